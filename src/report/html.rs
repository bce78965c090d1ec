//! Self-contained HTML reports (inline CSS, the forest plot as inline SVG, no network),
//! readable on a phone and printable. Deterministic: the same input gives the same bytes.

use std::fmt::Write;

use super::build::{Comparison, PoolReport};
use super::dataset::Dataset;
use crate::format::{p_equals, Lang};
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

pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

/// A number on the display scale with `d` decimals.
pub fn disp(m: Measure, x: f64, d: usize) -> String {
    let v = m.display(x);
    format!("{v:.d$}")
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
fn p_str(p: f64) -> String {
    esc(&p_equals(Lang::En, p))
}

/// One line describing a pooled result, e.g. "RR 0.49 [0.34; 0.70]".
pub fn result_line(r: &PooledEstimate, d: usize) -> String {
    let m = r.config.measure;
    format!(
        "{} {} [{}; {}]",
        m.code(),
        disp(m, r.estimate, d),
        disp(m, r.ci_low, d),
        disp(m, r.ci_high, d)
    )
}

/// How a result was computed, e.g. "random effects, REML, z".
pub fn settings(r: &PooledEstimate) -> String {
    match r.config.model {
        Model::Fixed => format!("common effect, {}", r.config.method.code()),
        Model::Random => format!(
            "random effects, τ² by {}, {} CI",
            r.config.tau2_method,
            r.config.ci.code()
        ),
    }
}

fn main_table(s: &mut String, r: &PooledEstimate) {
    let h = &r.heterogeneity;
    let _ = writeln!(s, "<div class=\"scroll\"><table>");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(s, "<tr><th>{k}</th><td>{v}</td></tr>");
    };
    row("Model", esc(&settings(r)));
    row(
        "Studies (k)",
        if r.k_estimable == r.k {
            r.k.to_string()
        } else {
            format!("{} ({} estimable)", r.k, r.k_estimable)
        },
    );
    row("Pooled effect (95% CI)", esc(&result_line(r, 2)));
    if r.config.measure.is_ratio() {
        row(
            "On the log scale",
            format!("{:.4} (SE {:.4})", r.estimate, r.se),
        );
    } else {
        row("Standard error", format!("{:.4}", r.se));
    }
    if let Some((lo, hi)) = r.pi {
        row(
            "95% prediction interval",
            format!(
                "[{}; {}]",
                disp(r.config.measure, lo, 2),
                disp(r.config.measure, hi, 2)
            ),
        );
    }
    let test = match (r.test, r.statistic, r.p_value) {
        (TestKind::Z, Some(z), Some(p)) => format!("z = {z:.2}, {}", p_str(p)),
        (TestKind::T { df }, Some(t), Some(p)) => format!("t({df}) = {t:.2}, {}", p_str(p)),
        _ => "–".into(),
    };
    row("Test for the overall effect", test);
    row(
        "Heterogeneity",
        format!(
            "Q = {:.2}, df = {}, {}; I² = {:.1}%; H² = {:.2}",
            h.q,
            h.df,
            p_str(h.p_value),
            h.i2_percent,
            h.h2
        ),
    );
    if let Some(t2) = r.tau2 {
        row("τ² (τ)", format!("{t2:.4} ({:.4})", t2.sqrt()));
    }
    let _ = writeln!(s, "</table></div>");
}

fn comparison(s: &mut String, c: &Comparison, m: Measure) {
    let p = &c.published;
    let _ = writeln!(s, "<h3>{}</h3>", esc(&p.label));
    let _ = writeln!(
        s,
        "<p class=\"meta\">{} — {}. Verified: {}.</p>",
        esc(&p.source),
        esc(match p.model {
            Model::Fixed => "common effect",
            Model::Random => "random effects",
        }),
        esc(&p.verified)
    );
    let extra: Vec<String> = [
        p.i2.as_ref().map(|i| format!("I² {i}")),
        p.tau2_value.map(|t| format!("τ² {}", t.printed())),
        p.n.map(|n| format!("n = {n}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !extra.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"meta\">Also printed: {}.</p>",
            esc(&extra.join(", "))
        );
    }
    match &c.recomputed {
        Err(e) => {
            let _ = writeln!(
                s,
                "<p class=\"bad\">Could not recompute: {}</p>",
                esc(&e.to_string())
            );
        }
        Ok(r) => {
            let d = p
                .estimate
                .decimals
                .max(p.ci_low.decimals)
                .max(p.ci_high.decimals) as usize;
            let (de, dl, dh) = c.differences.unwrap_or((0.0, 0.0, 0.0));
            let _ = writeln!(s, "<div class=\"scroll\"><table><tr><th></th><th class=\"n\">Estimate</th><th class=\"n\">Lower</th><th class=\"n\">Upper</th><th class=\"n\">k</th><th>Settings</th></tr>");
            let _ = writeln!(s, "<tr><td>Published</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                p.estimate.printed(), p.ci_low.printed(), p.ci_high.printed(), p.k.map(|k| k.to_string()).unwrap_or_else(|| "–".into()),
                esc(&p.tau2.map(|t| format!("τ² by {t}")).unwrap_or_else(|| "as stated".into())));
            let _ = writeln!(s, "<tr><td>Recomputed</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                disp(m, r.estimate, d), disp(m, r.ci_low, d), disp(m, r.ci_high, d), r.k, esc(&settings(r)));
            let _ = writeln!(s, "<tr><td>Difference</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td></tr></table></div>",
                signed(Lang::En, de, 4), signed(Lang::En, dl, 4), signed(Lang::En, dh, 4), p.k.map(|k| format!("{:+}", r.k as i64 - k as i64)).unwrap_or_default());
            if c.reproduced {
                let _ = writeln!(
                    s,
                    "<p class=\"ok\">Reproduced within the printed precision.</p>"
                );
            } else {
                let _ = writeln!(s, "<p class=\"bad\">Not reproduced: the recomputed numbers do not round to the printed ones.</p>");
                let _ = writeln!(
                    s,
                    "<p>What could explain it: {}.</p>",
                    esc(&why_not_reproduced(p, r))
                );
            }
            if c.reproducing.is_empty() {
                let _ = writeln!(s, "<p>No common-effect method and no τ² estimator (z or HKSJ CI) reproduces the printed numbers from these data.</p>");
            } else {
                let _ = writeln!(
                    s,
                    "<p>Settings that reproduce the printed numbers: {}.</p>",
                    esc(&c.reproducing.join("; "))
                );
            }
        }
    }
    if let Some(ch) = &c.check {
        for f in &ch.flags {
            let sev = f.severity.code();
            let _ = writeln!(
                s,
                "<p class=\"flag {sev}\">Check of the printed numbers [{}] {sev}: {}</p>",
                f.code.code(),
                esc(&f.message)
            );
        }
    }
}

/// Why a published result may not be reproduced: the dataset's own explanation when it has
/// one (it is the better-informed reading, and it already says what it knows about the
/// number of studies), else a different number of studies when the counts differ, else the
/// usual suspects.
fn why_not_reproduced(p: &super::dataset::Published, r: &PooledEstimate) -> String {
    if let Some(e) = &p.explanation {
        return e.clone();
    }
    match p.k {
        Some(k) if k != r.k => format!(
            "the published pool used {k} studies, the data here have {}",
            r.k
        ),
        _ => "a different estimator, CI method or zero-cell rule, different trial data, or a transcription error".into(),
    }
}

pub(crate) fn sources(s: &mut String, d: &Dataset) {
    let _ = writeln!(s, "<h2>Sources</h2><ul>");
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
                " <span class=\"meta\">(transcribed from {})</span>",
                esc(doc)
            );
        }
        let _ = writeln!(s, "<li>{line}</li>");
    }
    let _ = writeln!(s, "</ul>");
    if !d.columns.is_empty() {
        let _ = writeln!(
            s,
            "<h3>Where each column comes from</h3><div class=\"scroll\"><table>"
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
        let _ = writeln!(s, "<h3>Derived values</h3><ul>");
        for (k, v) in &d.derived {
            let _ = writeln!(s, "<li><code>{}</code>: {}</li>", esc(k), esc(v));
        }
        let _ = writeln!(s, "</ul>");
    }
    if !d.notes.is_empty() {
        let _ = writeln!(s, "<h3>Notes</h3><ul>");
        for n in &d.notes {
            let _ = writeln!(s, "<li>{}</li>", esc(&n.to_string()));
        }
        let _ = writeln!(s, "</ul>");
    }
}

pub(crate) fn header(s: &mut String, d: &Dataset) {
    let _ = writeln!(
        s,
        "<p><a href=\"../index.html\">← all datasets</a></p>\n<h1>{}</h1>",
        esc(&d.title)
    );
    let mut meta = Vec::new();
    if let Some(m) = d.measure {
        meta.push(format!("measure {}", m.code()));
    }
    for (k, v) in [
        ("outcome", &d.outcome),
        ("scale", &d.scale),
        ("follow-up", &d.follow_up),
    ] {
        if let Some(v) = v {
            meta.push(format!("{k}: {v}"));
        }
    }
    if let Some(t) = d.threshold {
        meta.push(format!("minimal important difference: {t}"));
    }
    let _ = writeln!(s, "<p class=\"meta\">{}</p>", esc(&meta.join(" · ")));
    if let Some(t) = &d.teaches {
        let _ = writeln!(s, "<p>{}</p>", esc(t));
    }
}

/// The HTML page of a pool dataset.
pub fn pool_page(r: &PoolReport) -> String {
    let d = &r.dataset;
    let m = r.main.config.measure;
    let mut s = String::new();
    header(&mut s, d);
    let _ = writeln!(s, "<h2>Recomputed pooled result</h2>");
    main_table(&mut s, &r.main);
    if let Some(t) = &r.subgroup_test {
        let _ = writeln!(
            s,
            "<p>Test for subgroup differences: Q = {:.2}, df = {}, {}; I² = {:.1}%.</p>",
            t.q,
            t.df,
            p_str(t.p_value),
            t.i2_percent
        );
    }
    if let Some(rel) = &r.relevance {
        let _ = writeln!(
            s,
            "<p><strong>Clinical relevance:</strong> {}</p>",
            esc(rel)
        );
    }
    if !r.comparisons.is_empty() {
        let _ = writeln!(s, "<h2>Published results</h2>");
        for c in &r.comparisons {
            comparison(&mut s, c, m);
        }
    }
    let _ = writeln!(
        s,
        "<h2>Forest plot</h2>\n<div class=\"figure scroll\">\n{}</div>",
        r.forest_svg
    );
    s += &super::sof::dataset_section(r, crate::format::Lang::En, false);
    let _ = writeln!(s, "<h2>Data</h2><div class=\"scroll\"><table>");
    let arms = match r.studies.first().map(|s| &s.data) {
        Some(crate::effect::StudyData::TwoByTwo { .. }) => "<th class=\"n\">Events (t)</th><th class=\"n\">Total (t)</th><th class=\"n\">Events (c)</th><th class=\"n\">Total (c)</th>",
        Some(crate::effect::StudyData::MeanSd { .. }) => "<th class=\"n\">Mean (t)</th><th class=\"n\">SD (t)</th><th class=\"n\">n (t)</th><th class=\"n\">Mean (c)</th><th class=\"n\">SD (c)</th><th class=\"n\">n (c)</th>",
        _ => "",
    };
    let sub = r.studies.iter().any(|s| s.subgroup.is_some());
    let _ = writeln!(s, "<tr><th>Study</th><th>Year</th>{}{arms}<th class=\"n\">yi</th><th class=\"n\">vi</th><th class=\"n\">Weight</th></tr>", if sub { "<th>Subgroup</th>" } else { "" });
    for (st, res) in r.studies.iter().zip(&r.main.studies) {
        let cells = match st.data {
            crate::effect::StudyData::TwoByTwo { events_t, n_t, events_c, n_c } => format!("<td class=\"n\">{events_t}</td><td class=\"n\">{n_t}</td><td class=\"n\">{events_c}</td><td class=\"n\">{n_c}</td>"),
            crate::effect::StudyData::MeanSd { mean_t, sd_t, n_t, mean_c, sd_c, n_c } => format!("<td class=\"n\">{mean_t}</td><td class=\"n\">{sd_t}</td><td class=\"n\">{n_t}</td><td class=\"n\">{mean_c}</td><td class=\"n\">{sd_c}</td><td class=\"n\">{n_c}</td>"),
            crate::effect::StudyData::Effect { .. } => String::new(),
        };
        let (yi, vi) = res
            .effect
            .map(|e| (format!("{:.4}", e.yi()), format!("{:.4}", e.vi())))
            .unwrap_or(("–".into(), "–".into()));
        let _ = writeln!(s, "<tr><td>{}{}</td><td>{}</td>{}{cells}<td class=\"n\">{yi}</td><td class=\"n\">{vi}</td><td class=\"n\">{:.1}%</td></tr>",
            esc(&st.label), if st.combined_rows > 1 { format!(" ({} arms combined)", st.combined_rows) } else { String::new() },
            st.year.map(|y| y.to_string()).unwrap_or_default(),
            if sub { format!("<td>{}</td>", esc(st.subgroup.as_deref().unwrap_or(""))) } else { String::new() },
            res.weight_percent);
    }
    let _ = writeln!(s, "</table></div>");
    if !r.main.notes.is_empty() {
        let _ = writeln!(s, "<h3>Notes from the computation</h3><ul>");
        for n in &r.main.notes {
            let _ = writeln!(s, "<li>{}</li>", esc(&n.to_string()));
        }
        let _ = writeln!(s, "</ul>");
    }
    let _ = writeln!(s, "<p class=\"meta\">Recompute: <code>repool pool datasets/{}/data.csv --measure {} --model {} --tau2 {}</code></p>", esc(&d.name), m.code(), r.main.config.model.code(), r.main.config.tau2_method);
    sources(&mut s, d);
    page(&d.title, &s)
}

/// The HTML page of a claims dataset.
pub fn claims_page(d: &Dataset, rows: &[CheckRow], extra: &[(String, String)]) -> String {
    let mut s = String::new();
    header(&mut s, d);
    let (errors, warnings) = CheckRow::count_by_severity(rows);
    let _ = writeln!(
        s,
        "<p>{} results checked; {errors} with errors, {warnings} with warnings only (an error: no interval method explains the finding; a warning: a profile-likelihood, exact, Bayesian or t-based interval can).</p>",
        rows.len(),
    );
    let _ = writeln!(s, "<div class=\"scroll\"><table><tr><th>Id</th><th>Where</th><th>Result as printed</th><th>Relevance</th><th>Findings</th></tr>");
    for (r, (where_, what)) in rows.iter().zip(extra) {
        let res = match (&r.measure, &r.estimate, &r.ci_low, &r.ci_high) {
            (Some(m), Some(e), Some(l), Some(h)) => format!("{m} {e} ({l} to {h})"),
            _ => r.error.clone().unwrap_or_default(),
        };
        let flags: Vec<String> = r
            .flags
            .iter()
            .map(|f| {
                format!(
                    "<span class=\"flag {0}\">{1} ({0})</span>",
                    esc(&f.severity),
                    esc(&f.code)
                )
            })
            .collect();
        let _ = writeln!(s, "<tr><td>{}</td><td>{}</td><td>{}<br><span class=\"meta\">{}</span></td><td>{}</td><td>{}</td></tr>",
            esc(&r.id), esc(where_), esc(&res), esc(what), esc(r.relevance.as_deref().unwrap_or("")), flags.join(" "));
    }
    let _ = writeln!(s, "</table></div>\n<h2>Findings explained</h2><ul>");
    for r in rows {
        for f in &r.flags {
            let _ = writeln!(
                s,
                "<li><strong>{0}</strong> [{1}] <span class=\"flag {2}\">{2}</span>: {3}</li>",
                esc(&r.id),
                f.code,
                esc(&f.severity),
                esc(&f.message)
            );
        }
        if let Some(e) = &r.error {
            let _ = writeln!(
                s,
                "<li><strong>{}</strong>: error: {}</li>",
                esc(&r.id),
                esc(e)
            );
        }
        for n in &r.notes {
            let _ = writeln!(
                s,
                "<li><strong>{}</strong>: note: {}</li>",
                esc(&r.id),
                esc(n)
            );
        }
    }
    let _ = writeln!(s, "</ul>\n<h2>Clinical relevance</h2><ul>");
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
        "</ul>\n<p class=\"meta\">Recompute: <code>repool check datasets/{}/{}</code></p>",
        esc(&d.name),
        esc(match &d.kind {
            super::dataset::DatasetKind::Claims { file } => file,
            _ => "",
        })
    );
    sources(&mut s, d);
    page(&d.title, &s)
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

/// The index page.
pub fn index_page(rows: &[IndexRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "<h1>repool: recomputed meta-analyses</h1>\n<p>Every bundled dataset pooled again from its trial-level data and compared with the published result, or its printed results checked for consistency. Each page has the data, the forest plot, the differences and where every number comes from.</p>");
    let _ = writeln!(s, "<div class=\"scroll\"><table><tr><th>Dataset</th><th>Data</th><th>Recomputed</th><th>Published</th></tr>");
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
                    "<tr><td>{}</td><td colspan=\"3\" class=\"bad\">error: {}</td></tr>",
                    esc(&r.title),
                    esc(e)
                );
            }
            None => {
                let scan = r.scan.as_ref().map_or(String::new(), |t| {
                    format!("<br><a href=\"{}/scan.html\">{}</a>", esc(&r.name), esc(t))
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
    let _ = writeln!(s, "</table></div>\n<p class=\"meta\">Made by <code>repool report</code>; the same input always gives the same files.</p>");
    page("repool: recomputed meta-analyses", &s)
}

#[cfg(test)]
mod tests {
    use super::{safe_href, signed};
    use crate::format::Lang;

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
