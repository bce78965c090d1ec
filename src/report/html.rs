//! Self-contained HTML reports (inline CSS, the forest plot as inline SVG, no network),
//! readable on a phone and printable. Deterministic: the same input gives the same bytes.

use std::fmt::Write;

use super::build::{Comparison, PoolReport};
use super::dataset::Dataset;
use crate::format::{interval, localise_number, p_equals, percent, Lang};
use crate::i18n::{count_with, fill, text};
use crate::io::write::CheckRow;
use crate::pool::{Model, PooledEstimate, TestKind};
use crate::Measure;

const CSS: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0;color:#111;background:#fff;line-height:1.45}\
main{max-width:1100px;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{padding:.25rem .5rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}.figure svg{max-width:100%;height:auto}\
.ok{color:#1a5e20;font-weight:bold}.bad{color:#a01818;font-weight:bold}.meta{color:#444}.flag{color:#a01818}.flag.warning{color:#8a5a00}code{font-size:.9em}\
@media print{a{color:#000;text-decoration:none}.figure{page-break-inside:avoid}}";

/// Escapes text for HTML.
pub use crate::format::escape as esc;

/// Where a source's URL may link to: http and https URLs as they are, `doi:` to doi.org, and
/// relative links. Anything else gets no link and is shown as text: other schemes
/// (`javascript:`, `data:`, `file:`), `//host`, and a URL with spaces, control characters or
/// backslashes (which browsers strip or read as slashes) or with `<`, `>`, `"` or a backtick
/// (which a URL has percent-encoded).
pub fn safe_href(url: &str) -> Option<String> {
    let unsafe_char = |c: char| c.is_whitespace() || c.is_control() || "\\<>\"`".contains(c);
    if url.is_empty() || url.chars().any(unsafe_char) {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(url.to_string());
    }
    if lower.starts_with("doi:") {
        return (url.len() > 4).then(|| format!("https://doi.org/{}", &url[4..]));
    }
    // Relative: no scheme (a ':' before the first '/', '?' or '#') and no host ('//').
    let head = url.split(['/', '?', '#']).next().unwrap_or("");
    (!head.contains(':') && !url.starts_with("//")).then(|| url.to_string())
}

/// The `lang` attribute of an HTML page in `lang`.
pub(crate) fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Nl => "nl",
        Lang::Fr => "fr",
    }
}

pub(crate) fn page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        lang_code(lang),
        esc(title)
    )
}

/// A number on the display scale with `d` decimals.
pub fn disp(m: Measure, x: f64, d: usize) -> String {
    disp_in(Lang::En, m, x, d)
}

/// [`disp`] in `lang` (a decimal comma in Dutch and French).
pub fn disp_in(lang: Lang, m: Measure, x: f64, d: usize) -> String {
    num(lang, m.display(x), d)
}

/// `x` with `d` decimals in `lang`: as `format!` writes it, with a decimal comma in Dutch
/// and French.
pub(crate) fn num(lang: Lang, x: f64, d: usize) -> String {
    localise_number(lang, &format!("{x:.d$}"))
}

/// A difference with its sign, `d` decimals: "+0.0501", "-0.0287"; one that rounds to zero
/// is "0.0000", with no sign (as [`crate::format::fmt_num`] drops the minus of "-0.0000").
pub fn signed(lang: Lang, x: f64, d: usize) -> String {
    let s = crate::format::fmt_num(lang, x, d);
    if s.starts_with('-') || s.chars().all(|c| matches!(c, '0' | '.' | ',')) {
        s
    } else {
        format!("+{s}")
    }
}

/// "p = 0.0123" or "p &lt; 0.0001".
fn p_str(lang: Lang, p: f64) -> String {
    esc(&p_equals(lang, p))
}

/// One line describing a pooled result, e.g. "RR 0.49 [0.34; 0.70]".
pub fn result_line(r: &PooledEstimate, d: usize) -> String {
    result_line_in(Lang::En, r, d)
}

/// [`result_line`] in `lang`.
pub fn result_line_in(lang: Lang, r: &PooledEstimate, d: usize) -> String {
    let m = r.config.measure;
    format!(
        "{} {} {}",
        m.code(),
        disp_in(lang, m, r.estimate, d),
        interval(
            lang,
            &disp_in(lang, m, r.ci_low, d),
            &disp_in(lang, m, r.ci_high, d)
        )
    )
}

/// How a result was computed, e.g. "random effects, REML, z".
pub fn settings(r: &PooledEstimate) -> String {
    settings_in(Lang::En, r)
}

/// [`settings`] in `lang`.
pub fn settings_in(lang: Lang, r: &PooledEstimate) -> String {
    match r.config.model {
        Model::Fixed => fill(
            lang,
            "report.settings_common",
            &[("method", r.config.method.code())],
        ),
        Model::Random => fill(
            lang,
            "report.settings_random",
            &[
                ("tau2", &r.config.tau2_method.to_string()),
                ("ci", r.config.ci.code()),
            ],
        ),
    }
}

/// The name of a model: "common effect" or "random effects".
pub(crate) fn model_name(lang: Lang, m: Model) -> &'static str {
    match m {
        Model::Fixed => text(lang, "report.common_effect"),
        Model::Random => text(lang, "report.random_effects"),
    }
}

fn main_table(s: &mut String, lang: Lang, r: &PooledEstimate) {
    let h = &r.heterogeneity;
    let m = r.config.measure;
    let _ = writeln!(s, "<div class=\"scroll\"><table>");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(s, "<tr><th>{k}</th><td>{v}</td></tr>");
    };
    row(text(lang, "report.model"), esc(&settings_in(lang, r)));
    row(
        text(lang, "report.studies_k"),
        if r.k_estimable == r.k {
            r.k.to_string()
        } else {
            fill(
                lang,
                "report.k_estimable",
                &[("k", &r.k.to_string()), ("n", &r.k_estimable.to_string())],
            )
        },
    );
    row(
        text(lang, "report.pooled_effect"),
        esc(&result_line_in(lang, r, 2)),
    );
    if m.is_ratio() {
        row(
            text(lang, "report.log_scale"),
            fill(
                lang,
                "report.estimate_se",
                &[
                    ("estimate", &num(lang, r.estimate, 4)),
                    ("se", &num(lang, r.se, 4)),
                ],
            ),
        );
    } else {
        row(text(lang, "report.standard_error"), num(lang, r.se, 4));
    }
    if let Some((lo, hi)) = r.pi {
        row(
            text(lang, "report.prediction_interval"),
            interval(lang, &disp_in(lang, m, lo, 2), &disp_in(lang, m, hi, 2)),
        );
    }
    let test = match (r.test, r.statistic, r.p_value) {
        (TestKind::Z, Some(z), Some(p)) => format!("z = {}, {}", num(lang, z, 2), p_str(lang, p)),
        (TestKind::T { df }, Some(t), Some(p)) => {
            format!("t({df}) = {}, {}", num(lang, t, 2), p_str(lang, p))
        }
        _ => "–".into(),
    };
    row(text(lang, "report.overall_test"), test);
    row(
        text(lang, "report.heterogeneity"),
        format!(
            "Q = {}, df = {}, {}; I² = {}; H² = {}",
            num(lang, h.q, 2),
            h.df,
            p_str(lang, h.p_value),
            percent(lang, &num(lang, h.i2_percent, 1)),
            num(lang, h.h2, 2)
        ),
    );
    if let Some(t2) = r.tau2 {
        row(
            "τ² (τ)",
            format!("{} ({})", num(lang, t2, 4), num(lang, t2.sqrt(), 4)),
        );
    }
    let _ = writeln!(s, "</table></div>");
}

fn comparison(s: &mut String, lang: Lang, c: &Comparison, m: Measure) {
    let p = &c.published;
    let _ = writeln!(s, "<h3>{}</h3>", esc(&p.label));
    let _ = writeln!(
        s,
        "<p class=\"meta\">{}</p>",
        esc(&fill(
            lang,
            "report.published_meta",
            &[
                ("source", &p.source),
                ("model", model_name(lang, p.model)),
                ("verified", &p.verified)
            ]
        ))
    );
    let extra: Vec<String> = [
        p.i2.as_ref()
            .map(|i| format!("I² {}", localise_number(lang, i))),
        p.tau2_value
            .map(|t| format!("τ² {}", localise_number(lang, &t.printed()))),
        p.n.map(|n| format!("n = {n}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !extra.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"meta\">{}</p>",
            esc(&fill(
                lang,
                "report.also_printed",
                &[("what", &extra.join(", "))]
            ))
        );
    }
    match &c.recomputed {
        Err(e) => {
            let _ = writeln!(
                s,
                "<p class=\"bad\">{}</p>",
                esc(&fill(
                    lang,
                    "report.could_not_recompute",
                    &[("why", &e.to_string())]
                ))
            );
        }
        Ok(r) => comparison_table(s, lang, c, p, r, m),
    }
    if let Some(ch) = &c.check {
        for f in &ch.flags {
            let sev = f.severity.code();
            let _ = writeln!(
                s,
                "<p class=\"flag {sev}\">{}</p>",
                esc(&fill(
                    lang,
                    "report.check_flag",
                    &[
                        ("code", f.code.code()),
                        ("severity", severity_word(lang, sev)),
                        ("message", &f.message)
                    ]
                ))
            );
        }
    }
}

/// "error" or "warning" in `lang`.
pub(crate) fn severity_word(lang: Lang, sev: &str) -> &'static str {
    match sev {
        "error" => text(lang, "report.error"),
        "warning" => text(lang, "report.warning"),
        _ => text(lang, "report.note"),
    }
}

/// The published, recomputed and difference rows of one published result, and whether
/// (and under which settings) it is reproduced.
fn comparison_table(
    s: &mut String,
    lang: Lang,
    c: &Comparison,
    p: &super::dataset::Published,
    r: &PooledEstimate,
    m: Measure,
) {
    let d = p
        .estimate
        .decimals
        .max(p.ci_low.decimals)
        .max(p.ci_high.decimals) as usize;
    let (de, dl, dh) = c.differences.unwrap_or((0.0, 0.0, 0.0));
    let pr = |x: &crate::check::Reported| localise_number(lang, &x.printed());
    let _ = writeln!(s, "<div class=\"scroll\"><table><tr><th></th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">k</th><th>{}</th></tr>",
        text(lang, "report.estimate"), text(lang, "report.lower"), text(lang, "report.upper"), text(lang, "report.settings"));
    let _ = writeln!(s, "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
        text(lang, "report.published"), pr(&p.estimate), pr(&p.ci_low), pr(&p.ci_high), p.k.map(|k| k.to_string()).unwrap_or_else(|| "–".into()),
        esc(&p.tau2.map(|x| fill(lang, "report.tau2_by", &[("tau2", &x.to_string())])).unwrap_or_else(|| text(lang, "report.as_stated").into())));
    let _ = writeln!(s, "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
        text(lang, "report.recomputed"), disp_in(lang, m, r.estimate, d), disp_in(lang, m, r.ci_low, d), disp_in(lang, m, r.ci_high, d), r.k, esc(&settings_in(lang, r)));
    let _ = writeln!(s, "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td></tr></table></div>",
        text(lang, "report.difference"), signed(lang, de, 4), signed(lang, dl, 4), signed(lang, dh, 4), p.k.map(|k| format!("{:+}", r.k as i64 - k as i64)).unwrap_or_default());
    if c.reproduced {
        let _ = writeln!(
            s,
            "<p class=\"ok\">{}</p>",
            text(lang, "report.reproduced_within")
        );
    } else {
        let _ = writeln!(
            s,
            "<p class=\"bad\">{}</p>",
            text(lang, "report.not_reproduced_long")
        );
        let _ = writeln!(
            s,
            "<p>{}</p>",
            esc(&fill(
                lang,
                "report.what_could_explain",
                &[("why", &why_not_reproduced(lang, p, r))]
            ))
        );
    }
    if c.reproducing.is_empty() {
        let _ = writeln!(
            s,
            "<p>{}</p>",
            esc(text(lang, "report.no_setting_reproduces"))
        );
    } else {
        let _ = writeln!(
            s,
            "<p>{}</p>",
            esc(&fill(
                lang,
                "report.settings_reproduce",
                &[("settings", &c.reproducing.join("; "))]
            ))
        );
    }
}

/// Why a published result may not be reproduced: the dataset's own explanation when it has
/// one (it is the better-informed reading, and it already says what it knows about the
/// number of studies), else a different number of studies when the counts differ, else the
/// usual suspects.
fn why_not_reproduced(lang: Lang, p: &super::dataset::Published, r: &PooledEstimate) -> String {
    if let Some(e) = &p.explanation {
        return e.clone();
    }
    match p.k {
        Some(k) if k != r.k => count_with(
            lang,
            "report.used_studies",
            k as u64,
            &[("here", &r.k.to_string())],
        ),
        _ => text(lang, "report.usual_suspects").into(),
    }
}

pub(crate) fn sources(s: &mut String, lang: Lang, d: &Dataset) {
    let _ = writeln!(s, "<h2>{}</h2><ul>", text(lang, "report.sources"));
    for src in &d.sources {
        let mut line = esc(&src.citation);
        if let Some(doi) = &src.doi {
            let _ = write!(
                line,
                " doi:<a href=\"https://doi.org/{0}\">{0}</a>",
                esc(doi)
            );
        }
        if let Some(url) = &src.url {
            let _ = match safe_href(url) {
                Some(href) => write!(line, " <a href=\"{}\">{}</a>", esc(&href), esc(url)),
                None => write!(line, " {}", esc(url)),
            };
        }
        if let Some(doc) = &src.document {
            let _ = write!(
                line,
                " <span class=\"meta\">{}</span>",
                esc(&fill(lang, "report.transcribed_from", &[("document", doc)]))
            );
        }
        let _ = writeln!(s, "<li>{line}</li>");
    }
    let _ = writeln!(s, "</ul>");
    if !d.columns.is_empty() {
        let _ = writeln!(
            s,
            "<h3>{}</h3><div class=\"scroll\"><table>",
            text(lang, "report.column_sources")
        );
        for (k, v) in &d.columns {
            let _ = writeln!(
                s,
                "<tr><th><code>{}</code></th><td>{}</td></tr>",
                esc(k),
                esc(v)
            );
        }
        let _ = writeln!(s, "</table></div>");
    }
    if !d.derived.is_empty() {
        let _ = writeln!(s, "<h3>{}</h3><ul>", text(lang, "report.derived_values"));
        for (k, v) in &d.derived {
            let _ = writeln!(s, "<li><code>{}</code>: {}</li>", esc(k), esc(v));
        }
        let _ = writeln!(s, "</ul>");
    }
    if !d.notes.is_empty() {
        let _ = writeln!(s, "<h3>{}</h3><ul>", text(lang, "report.notes"));
        for n in &d.notes {
            let _ = writeln!(s, "<li>{}</li>", esc(&n.to_string()));
        }
        let _ = writeln!(s, "</ul>");
    }
}

/// The dataset's facts in one line: measure, outcome, scale, follow-up, threshold.
pub(crate) fn meta_line(lang: Lang, d: &Dataset) -> String {
    let mut meta = Vec::new();
    if let Some(m) = d.measure {
        meta.push(fill(lang, "report.meta_measure", &[("code", m.code())]));
    }
    if let Some(v) = d.outcome_in(lang) {
        meta.push(fill(lang, "report.meta_outcome", &[("value", v)]));
    }
    if let Some(v) = &d.scale {
        meta.push(fill(lang, "report.meta_scale", &[("value", v)]));
    }
    if let Some(v) = &d.follow_up {
        meta.push(fill(lang, "report.meta_follow_up", &[("value", v)]));
    }
    if let Some(t) = d.threshold {
        meta.push(fill(
            lang,
            "report.meta_threshold",
            &[("value", &localise_number(lang, &t.to_string()))],
        ));
    }
    meta.join(" · ")
}

pub(crate) fn header(s: &mut String, lang: Lang, d: &Dataset) {
    let _ = writeln!(
        s,
        "<p><a href=\"../index.html\">{}</a></p>\n<h1>{}</h1>",
        text(lang, "report.all_datasets"),
        esc(d.title_in(lang))
    );
    let _ = writeln!(s, "<p class=\"meta\">{}</p>", esc(&meta_line(lang, d)));
    if let Some(t) = d.teaches_in(lang) {
        let _ = writeln!(s, "<p>{}</p>", esc(t));
    }
}

/// The HTML page of a pool dataset, in the language it was built in.
pub fn pool_page(r: &PoolReport) -> String {
    let d = &r.dataset;
    let lang = r.lang;
    let m = r.main.config.measure;
    let mut s = String::new();
    header(&mut s, lang, d);
    let _ = writeln!(s, "<h2>{}</h2>", text(lang, "report.recomputed_heading"));
    main_table(&mut s, lang, &r.main);
    if let Some(t) = &r.subgroup_test {
        let _ = writeln!(
            s,
            "<p>{}</p>",
            fill(
                lang,
                "report.subgroup_test",
                &[
                    ("q", &num(lang, t.q, 2)),
                    ("df", &t.df.to_string()),
                    ("p", &p_str(lang, t.p_value)),
                    ("i2", &num(lang, t.i2_percent, 1))
                ]
            )
        );
    }
    if let Some(rel) = &r.relevance {
        let _ = writeln!(
            s,
            "<p><strong>{}</strong> {}</p>",
            text(lang, "report.clinical_relevance_label"),
            esc(rel)
        );
    }
    if !r.comparisons.is_empty() {
        let _ = writeln!(s, "<h2>{}</h2>", text(lang, "report.published_heading"));
        for c in &r.comparisons {
            comparison(&mut s, lang, c, m);
        }
    }
    let _ = writeln!(
        s,
        "<h2>{}</h2>\n<div class=\"figure scroll\">\n{}</div>",
        text(lang, "report.forest_plot"),
        r.forest_svg
    );
    s += &super::sof::dataset_section(r, lang, false);
    data_table(&mut s, lang, r);
    if !r.main.notes.is_empty() {
        let _ = writeln!(s, "<h3>{}</h3><ul>", text(lang, "report.computation_notes"));
        for n in &r.main.notes {
            let _ = writeln!(s, "<li>{}</li>", esc(&n.message(lang)));
        }
        let _ = writeln!(s, "</ul>");
    }
    let _ = writeln!(s, "<p class=\"meta\">{} <code>repool pool datasets/{}/data.csv --measure {} --model {} --tau2 {}</code></p>", text(lang, "report.recompute"), esc(&d.name), m.code(), r.main.config.model.code(), r.main.config.tau2_method);
    sources(&mut s, lang, d);
    page(lang, d.title_in(lang), &s)
}

/// The table of the studies' data, effects and weights.
fn data_table(s: &mut String, lang: Lang, r: &PoolReport) {
    let _ = writeln!(
        s,
        "<h2>{}</h2><div class=\"scroll\"><table>",
        text(lang, "report.data")
    );
    let th = |keys: &[&str]| -> String {
        keys.iter()
            .map(|k| format!("<th class=\"n\">{k}</th>"))
            .collect()
    };
    let arms = match r.studies.first().map(|s| &s.data) {
        Some(crate::effect::StudyData::TwoByTwo { .. }) => th(&[
            text(lang, "report.col.events_t"),
            text(lang, "report.col.total_t"),
            text(lang, "report.col.events_c"),
            text(lang, "report.col.total_c"),
        ]),
        Some(crate::effect::StudyData::MeanSd { .. }) => th(&[
            text(lang, "report.col.mean_t"),
            text(lang, "report.col.sd_t"),
            text(lang, "report.col.n_t"),
            text(lang, "report.col.mean_c"),
            text(lang, "report.col.sd_c"),
            text(lang, "report.col.n_c"),
        ]),
        _ => String::new(),
    };
    let sub = r.studies.iter().any(|s| s.subgroup.is_some());
    let _ = writeln!(s, "<tr><th>{}</th><th>{}</th>{}{arms}<th class=\"n\">yi</th><th class=\"n\">vi</th><th class=\"n\">{}</th></tr>",
        text(lang, "report.col.study"), text(lang, "report.col.year"),
        if sub { format!("<th>{}</th>", text(lang, "report.col.subgroup")) } else { String::new() },
        text(lang, "report.col.weight"));
    let n = |x: f64| localise_number(lang, &x.to_string());
    for (st, res) in r.studies.iter().zip(&r.main.studies) {
        let cells = match st.data {
            crate::effect::StudyData::TwoByTwo { events_t, n_t, events_c, n_c } => format!("<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>", n(events_t), n(n_t), n(events_c), n(n_c)),
            crate::effect::StudyData::MeanSd { mean_t, sd_t, n_t, mean_c, sd_c, n_c } => format!("<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>", n(mean_t), n(sd_t), n(n_t), n(mean_c), n(sd_c), n(n_c)),
            crate::effect::StudyData::Effect { .. } => String::new(),
        };
        let (yi, vi) = res
            .effect
            .map(|e| (num(lang, e.yi(), 4), num(lang, e.vi(), 4)))
            .unwrap_or(("–".into(), "–".into()));
        let _ = writeln!(s, "<tr><td>{}{}</td><td>{}</td>{}{cells}<td class=\"n\">{yi}</td><td class=\"n\">{vi}</td><td class=\"n\">{}</td></tr>",
            esc(&st.label), if st.combined_rows > 1 { fill(lang, "report.arms_combined", &[("n", &st.combined_rows.to_string())]) } else { String::new() },
            st.year.map(|y| y.to_string()).unwrap_or_default(),
            if sub { format!("<td>{}</td>", esc(st.subgroup.as_deref().unwrap_or(""))) } else { String::new() },
            percent(lang, &num(lang, res.weight_percent, 1)));
    }
    let _ = writeln!(s, "</table></div>");
}
/// Every finding, error and note of the checked rows, one list item each.
fn findings_explained(s: &mut String, lang: Lang, rows: &[CheckRow]) {
    for r in rows {
        for f in &r.flags {
            let _ = writeln!(
                s,
                "<li><strong>{0}</strong> [{1}] <span class=\"flag {2}\">{3}</span>: {4}</li>",
                esc(&r.id),
                f.code,
                esc(&f.severity),
                severity_word(lang, &f.severity),
                esc(&f.message)
            );
        }
        if let Some(e) = &r.error {
            let _ = writeln!(
                s,
                "<li><strong>{}</strong>: {}: {}</li>",
                esc(&r.id),
                text(lang, "report.error"),
                esc(e)
            );
        }
        for n in &r.notes {
            let _ = writeln!(
                s,
                "<li><strong>{}</strong>: {}: {}</li>",
                esc(&r.id),
                text(lang, "report.note"),
                esc(n)
            );
        }
    }
}

/// The HTML page of a claims dataset, in `lang` (the rows checked in `lang`).
pub fn claims_page(
    lang: Lang,
    d: &Dataset,
    rows: &[CheckRow],
    extra: &[(String, String)],
) -> String {
    let mut s = String::new();
    header(&mut s, lang, d);
    let (errors, warnings) = CheckRow::count_by_severity(rows);
    let _ = writeln!(
        s,
        "<p>{}</p>",
        fill(
            lang,
            "report.claims_summary",
            &[
                ("n", &rows.len().to_string()),
                ("errors", &errors.to_string()),
                ("warnings", &warnings.to_string())
            ]
        )
    );
    let _ = writeln!(s, "<div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        text(lang, "report.col.id"), text(lang, "report.col.where"), text(lang, "report.col.as_printed"), text(lang, "report.col.relevance"), text(lang, "report.col.findings"));
    for (r, (where_, what)) in rows.iter().zip(extra) {
        let res = match (&r.measure, &r.estimate, &r.ci_low, &r.ci_high) {
            (Some(m), Some(e), Some(l), Some(h)) => fill(
                lang,
                "report.claim_result",
                &[
                    ("measure", m),
                    ("estimate", &localise_number(lang, e)),
                    ("low", &localise_number(lang, l)),
                    ("high", &localise_number(lang, h)),
                ],
            ),
            _ => r.error.clone().unwrap_or_default(),
        };
        let flags: Vec<String> = r
            .flags
            .iter()
            .map(|f| {
                format!(
                    "<span class=\"flag {}\">{} ({})</span>",
                    esc(&f.severity),
                    esc(&f.code),
                    severity_word(lang, &f.severity)
                )
            })
            .collect();
        let _ = writeln!(s, "<tr><td>{}</td><td>{}</td><td>{}<br><span class=\"meta\">{}</span></td><td>{}</td><td>{}</td></tr>",
            esc(&r.id), esc(where_), esc(&res), esc(what), esc(r.relevance.as_deref().unwrap_or("")), flags.join(" "));
    }
    let _ = writeln!(
        s,
        "</table></div>\n<h2>{}</h2><ul>",
        text(lang, "report.findings_explained")
    );
    findings_explained(&mut s, lang, rows);
    let _ = writeln!(
        s,
        "</ul>\n<h2>{}</h2><ul>",
        text(lang, "report.clinical_relevance")
    );
    for r in rows.iter().filter(|r| r.relevance_text.is_some()) {
        let _ = writeln!(
            s,
            "<li><strong>{}</strong>: {}</li>",
            esc(&r.id),
            esc(r.relevance_text.as_deref().unwrap_or(""))
        );
    }
    let _ = writeln!(
        s,
        "</ul>\n<p class=\"meta\">{} <code>repool check datasets/{}/{}</code></p>",
        text(lang, "report.recompute"),
        esc(&d.name),
        esc(match &d.kind {
            super::dataset::DatasetKind::Claims { file } => file,
            _ => "",
        })
    );
    sources(&mut s, lang, d);
    page(lang, d.title_in(lang), &s)
}

/// One row of the index.
pub struct IndexRow {
    /// Folder name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Measure and k, or "claims".
    pub what: String,
    /// Recomputed result.
    pub recomputed: String,
    /// Published result(s) and verdicts.
    pub published: String,
    /// Error, if the dataset failed (its row then links to no page).
    pub error: Option<String>,
    /// What the scan of the dataset's source text found (its page is `scan.html`), if it has
    /// one.
    pub scan: Option<String>,
}

/// The index page, in `lang`.
pub fn index_page(lang: Lang, rows: &[IndexRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<h1>{}</h1>\n<p>{}</p>",
        text(lang, "report.index_title"),
        text(lang, "report.index_intro")
    );
    let _ = writeln!(
        s,
        "<div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        text(lang, "report.col.dataset"),
        text(lang, "report.data"),
        text(lang, "report.recomputed"),
        text(lang, "report.published")
    );
    for r in rows {
        let link = format!(
            "<a href=\"{0}/index.html\">{1}</a>",
            esc(&r.name),
            esc(&r.title)
        );
        match &r.error {
            // A failed dataset has no page.
            Some(e) => {
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td colspan=\"3\" class=\"bad\">{}: {}</td></tr>",
                    esc(&r.title),
                    text(lang, "report.error"),
                    esc(e)
                );
            }
            None => {
                let scan = r.scan.as_ref().map_or(String::new(), |x| {
                    format!("<br><a href=\"{}/scan.html\">{}</a>", esc(&r.name), esc(x))
                });
                let _ = writeln!(
                    s,
                    "<tr><td>{link}</td><td>{}{scan}</td><td>{}</td><td>{}</td></tr>",
                    esc(&r.what),
                    esc(&r.recomputed),
                    r.published
                );
            }
        }
    }
    let _ = writeln!(
        s,
        "</table></div>\n<p class=\"meta\">{}</p>",
        text(lang, "report.made_by")
    );
    page(lang, text(lang, "report.index_title"), &s)
}

#[cfg(test)]
mod tests {
    use super::{safe_href, signed};
    use crate::format::Lang;

    #[test]
    fn the_published_pool_counts_one_study_in_the_singular() {
        use crate::i18n::count_with;
        for (lang, one, many) in [
            (
                Lang::En,
                "the published pool used 1 study, the data here have 3",
                "the published pool used 2 studies, the data here have 3",
            ),
            (
                Lang::Nl,
                "de gepubliceerde pooling gebruikte 1 studie, de gegevens hier hebben er 3",
                "de gepubliceerde pooling gebruikte 2 studies, de gegevens hier hebben er 3",
            ),
            (
                Lang::Fr,
                "l'analyse poolée publiée utilisait 1 étude, les données ici en ont 3",
                "l'analyse poolée publiée utilisait 2 études, les données ici en ont 3",
            ),
        ] {
            let used = |k| count_with(lang, "report.used_studies", k, &[("here", "3")]);
            assert_eq!(used(1), one);
            assert_eq!(used(2), many);
        }
    }

    #[test]
    fn a_difference_that_rounds_to_zero_has_no_sign() {
        assert_eq!(signed(Lang::En, -0.00001, 4), "0.0000");
        assert_eq!(signed(Lang::En, 0.00001, 4), "0.0000");
        assert_eq!(signed(Lang::En, 0.0501, 4), "+0.0501");
        assert_eq!(signed(Lang::En, -0.0287, 4), "-0.0287");
        assert_eq!(signed(Lang::Nl, -0.0287, 4), "-0,0287");
        assert_eq!(signed(Lang::Fr, -0.00004, 4), "0,0000");
    }

    #[test]
    fn only_http_https_doi_and_relative_urls_are_links() {
        for (url, href) in [
            ("https://a.example/x?y=1", Some("https://a.example/x?y=1")),
            ("HTTP://a.example", Some("HTTP://a.example")),
            ("doi:10.1/x", Some("https://doi.org/10.1/x")),
            ("DOI:10.1/x", Some("https://doi.org/10.1/x")),
            ("doi:", None),
            ("notes/a.pdf", Some("notes/a.pdf")),
            ("../a.html#s", Some("../a.html#s")),
            ("a.html?x=b:c", Some("a.html?x=b:c")),
            ("javascript:alert(1)", None),
            ("JAVASCRIPT:alert(1)", None),
            (" https://a.example", None),
            ("java\tscript:x", None),
            ("java\nscript:x", None),
            ("data:text/html,x", None),
            ("file:///etc/passwd", None),
            ("//evil.example", None),
            ("\\\\evil.example\\x", None),
            ("https://a.example/<script>", None),
            ("", None),
        ] {
            assert_eq!(safe_href(url).as_deref(), href, "{url:?}");
        }
    }
}
