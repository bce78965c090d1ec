//! The HTML page of `repool scan`: each document's text with every estimate found
//! highlighted, and beside it the list of findings with their checks. Self-contained (inline
//! CSS, no script, no external resource) and every piece of text escaped.

use super::html::esc;
use crate::check::messages::{localise_number, scan_words, severity_label};
use crate::check::{Lang, Severity};
use crate::io::write::{ScanDocRow, ScanFindingRow};

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:1em;color:#111}\
.doc{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1em;margin-bottom:2em}\
pre{white-space:pre-wrap;font-size:.85em;background:#fafafa;padding:.5em;max-height:80vh;overflow:auto}\
mark{background:#d8ecff}mark.warning{background:#ffe9b3}mark.error{background:#ffc9c9}\
ol{font-size:.9em;max-height:80vh;overflow:auto}.error{color:#a01818}.warning{color:#8a5a00}";

/// The page for documents, each with its language and text.
pub fn render(docs: &[(&ScanDocRow, Lang, &str)], lang: Lang) -> String {
    let w = scan_words(lang);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>\n<h1>{}</h1>\n",
        lang_code(lang),
        esc(w.title),
        esc(w.title)
    );
    for (k, (d, l, text)) in docs.iter().enumerate() {
        out.push_str(&document(k, d, *l, text));
    }
    out.push_str("</body></html>\n");
    out
}

fn lang_code(l: Lang) -> &'static str {
    match l {
        Lang::En => "en",
        Lang::Nl => "nl",
        Lang::Fr => "fr",
    }
}

fn class(f: &ScanFindingRow) -> &'static str {
    match f.severity() {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        None => "ok",
    }
}

fn document(k: usize, d: &ScanDocRow, lang: Lang, text: &str) -> String {
    let w = scan_words(lang);
    let mut out = format!("<h2>{}</h2>\n", esc(&d.file));
    if let Some(e) = &d.error {
        out.push_str(&format!(
            "<p class=\"error\">{}: {}</p>\n",
            esc(w.unreadable),
            esc(e)
        ));
        return out;
    }
    if let Some(n) = &d.note {
        out.push_str(&format!("<p>{}: {}</p>\n", esc(w.note), esc(n)));
    }
    out.push_str(&format!(
        "<p>{} {}</p>\n<div class=\"doc\"><pre>",
        d.findings.len(),
        esc(w.found)
    ));
    let mut at = 0;
    for (j, f) in d.findings.iter().enumerate() {
        let (s, e) = f.span;
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&esc(&text[at..s]));
        out.push_str(&format!(
            "<mark id=\"d{k}f{j}\" class=\"{}\" title=\"{}:{}\">{}</mark>",
            class(f),
            f.line,
            f.column,
            esc(&text[s..e])
        ));
        at = e;
    }
    out.push_str(&esc(&text[at..]));
    out.push_str("</pre>\n<ol>\n");
    for (j, f) in d.findings.iter().enumerate() {
        out.push_str(&item(k, j, f, lang));
    }
    out.push_str("</ol></div>\n");
    out
}

fn item(k: usize, j: usize, f: &ScanFindingRow, lang: Lang) -> String {
    let n = |x: f64| esc(&localise_number(lang, &format!("{x}")));
    let mut li = format!(
        "<li class=\"{}\"><a href=\"#d{k}f{j}\">{}:{}</a> {} {} {}",
        class(f),
        f.line,
        f.column,
        esc(f.measure.as_deref().unwrap_or("?")),
        esc(&localise_number(lang, &f.printed[0])),
        esc(&crate::format::interval(
            lang,
            &localise_number(lang, &f.printed[1]),
            &localise_number(lang, &f.printed[2])
        ))
    );
    if let (Some(r), Some(p)) = (&f.p_relation, f.p) {
        li.push_str(&format!(", p {} {}", esc(r), n(p)));
    }
    li.push_str("<ul>");
    for fl in &f.flags {
        let sev = Severity::parse(&fl.severity)
            .map(|s| severity_label(lang, s))
            .unwrap_or("");
        li.push_str(&format!(
            "<li class=\"{}\"><code>{}</code> {}: {}</li>",
            esc(&fl.severity),
            esc(&fl.code),
            esc(sev),
            esc(&fl.message)
        ));
    }
    if let Some(e) = &f.error {
        li.push_str(&format!("<li class=\"error\">{}</li>", esc(e)));
    }
    if let Some(r) = &f.relevance_text {
        li.push_str(&format!("<li>{}</li>", esc(r)));
    }
    li.push_str("</ul></li>\n");
    li
}
