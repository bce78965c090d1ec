//! Markdown versions of the dataset pages (the forest plot as a linked SVG file).

use std::fmt::Write;

use super::build::{Comparison, PoolReport};
use super::dataset::Dataset;
use super::html::{disp_in, num, result_line_in, safe_href, settings_in, severity_word};
use crate::format::{interval, localise_number, percent, Lang};
use crate::i18n::{fill, text};
use crate::io::write::CheckRow;
use crate::Measure;

/// Text with the characters that make Markdown links, emphasis or HTML escaped.
fn md_text(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        if "\\`*_[]<>()!#|&".contains(c) {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

fn sources(s: &mut String, lang: Lang, d: &Dataset) {
    let _ = writeln!(s, "\n## {}\n", text(lang, "report.sources"));
    for src in &d.sources {
        let mut line = src.citation.clone();
        if let Some(doi) = &src.doi {
            let _ = write!(line, " doi:{doi}");
        }
        if let Some(url) = &src.url {
            let _ = match safe_href(url) {
                Some(href) if href.contains("://") => write!(line, " <{href}>"),
                Some(href) => write!(
                    line,
                    " [{}]({})",
                    md_text(url),
                    href.replace('(', "%28").replace(')', "%29")
                ),
                None => write!(line, " {}", md_text(url)),
            };
        }
        if let Some(doc) = &src.document {
            let _ = write!(
                line,
                " {}",
                fill(lang, "report.transcribed_from", &[("document", doc)])
            );
        }
        let _ = writeln!(s, "- {line}");
    }
    if !d.columns.is_empty() {
        let _ = writeln!(
            s,
            "\n| {} | {} |\n|---|---|",
            text(lang, "report.md.column"),
            text(lang, "report.md.source")
        );
        for (k, v) in &d.columns {
            let _ = writeln!(s, "| `{k}` | {} |", v.replace('|', "\\|"));
        }
    }
    for (k, v) in &d.derived {
        let _ = writeln!(
            s,
            "- {}",
            fill(
                lang,
                "report.md.derived",
                &[("what", &format!("`{k}`")), ("rule", v)]
            )
        );
    }
    for n in &d.notes {
        let _ = writeln!(s, "- {n}");
    }
}

/// The Markdown page of a pool dataset, in the language it was built in.
pub fn pool_page(r: &PoolReport) -> String {
    let d = &r.dataset;
    let lang = r.lang;
    let mut s = format!("# {}\n\n", d.title_in(lang));
    if let Some(t) = d.teaches_in(lang) {
        let _ = writeln!(s, "{t}\n");
    }
    recomputed_section(&mut s, r);
    if !r.comparisons.is_empty() {
        published_section(&mut s, r);
    }
    let _ = writeln!(
        s,
        "\n## {}\n\n![{}](forest.svg)",
        text(lang, "report.forest_plot"),
        text(lang, "report.md.forest_alt")
    );
    s += &super::sof::dataset_section(r, lang, true);
    data_section(&mut s, r);
    sources(&mut s, lang, d);
    s
}

/// The main analysis: the pooled result with its settings, the prediction interval,
/// heterogeneity and the clinical relevance.
fn recomputed_section(s: &mut String, r: &PoolReport) {
    let lang = r.lang;
    let m = r.main.config.measure;
    let h = &r.main.heterogeneity;
    let _ = writeln!(
        s,
        "## {}\n\n- {} ({}; {})",
        text(lang, "report.recomputed_heading"),
        result_line_in(lang, &r.main, 2),
        settings_in(lang, &r.main),
        crate::report::text::k_text_in(lang, &r.main)
    );
    if let Some((lo, hi)) = r.main.pi {
        let _ = writeln!(
            s,
            "- {} {}",
            text(lang, "report.prediction_interval"),
            interval(lang, &disp_in(lang, m, lo, 2), &disp_in(lang, m, hi, 2))
        );
    }
    let _ = writeln!(
        s,
        "- Q = {}, df = {}, p = {}; I² = {}{}",
        num(lang, h.q, 2),
        h.df,
        num(lang, h.p_value, 4),
        percent(lang, &num(lang, h.i2_percent, 1)),
        r.main
            .tau2
            .map(|t| format!("; τ² = {}", num(lang, t, 4)))
            .unwrap_or_default()
    );
    if let Some(rel) = &r.relevance {
        let _ = writeln!(
            s,
            "- {} {rel}",
            text(lang, "report.clinical_relevance_label")
        );
    }
}

/// The published results: one table row each, then why a result is not reproduced and the
/// checks of the printed numbers.
fn published_section(s: &mut String, r: &PoolReport) {
    let lang = r.lang;
    let _ = writeln!(
        s,
        "\n## {}\n\n{}\n|---|---|---|---|---|",
        text(lang, "report.published_heading"),
        text(lang, "report.md.published_columns")
    );
    for c in &r.comparisons {
        published_row(s, lang, c, r.main.config.measure);
    }
    for c in &r.comparisons {
        if let Some(e) = c.published.explanation.as_ref().filter(|_| !c.reproduced) {
            let _ = writeln!(s, "\n{}: {e}", c.published.label);
        }
        if let Some(ch) = &c.check {
            for f in &ch.flags {
                let _ = writeln!(
                    s,
                    "\n{}",
                    fill(
                        lang,
                        "report.md.check_flag",
                        &[
                            ("label", &c.published.label),
                            ("code", f.code.code()),
                            ("severity", severity_word(lang, f.severity.code())),
                            ("message", &f.message)
                        ]
                    )
                );
            }
        }
    }
}

/// One published result as printed, recomputed (to as many decimals as printed), the
/// verdict and the settings that reproduce it.
fn published_row(s: &mut String, lang: Lang, c: &Comparison, m: Measure) {
    let p = &c.published;
    let dec = p
        .estimate
        .decimals
        .max(p.ci_low.decimals)
        .max(p.ci_high.decimals) as usize;
    let rec = match &c.recomputed {
        Ok(x) => format!(
            "{} {} ({})",
            disp_in(lang, m, x.estimate, dec),
            interval(
                lang,
                &disp_in(lang, m, x.ci_low, dec),
                &disp_in(lang, m, x.ci_high, dec)
            ),
            crate::report::text::k_text_in(lang, x)
        ),
        Err(e) => format!("{}: {e}", text(lang, "report.error")),
    };
    let pr = |x: &crate::check::Reported| localise_number(lang, &x.printed());
    let _ = writeln!(
        s,
        "| {} | {} {}{} | {rec} | {} | {} |",
        p.label,
        pr(&p.estimate),
        interval(lang, &pr(&p.ci_low), &pr(&p.ci_high)),
        p.k.map(|k| format!(" (k = {k})")).unwrap_or_default(),
        if c.reproduced {
            text(lang, "report.md.reproduced").to_string()
        } else {
            format!("**{}**", text(lang, "report.md.not_reproduced"))
        },
        if c.reproducing.is_empty() {
            text(lang, "report.md.none").to_string()
        } else {
            c.reproducing.join("; ")
        }
    );
}

/// The studies: effect, variance and weight in the main analysis.
fn data_section(s: &mut String, r: &PoolReport) {
    let lang = r.lang;
    let _ = writeln!(
        s,
        "\n## {}\n\n{}\n|---|---|---:|---:|---:|",
        text(lang, "report.data"),
        text(lang, "report.md.data_columns")
    );
    for (st, res) in r.studies.iter().zip(&r.main.studies) {
        let (yi, vi) = res
            .effect
            .map(|e| (num(lang, e.yi(), 4), num(lang, e.vi(), 4)))
            .unwrap_or(("–".into(), "–".into()));
        let _ = writeln!(
            s,
            "| {} | {} | {yi} | {vi} | {} |",
            st.label,
            st.year.map(|y| y.to_string()).unwrap_or_default(),
            percent(lang, &num(lang, res.weight_percent, 1))
        );
    }
}

/// The Markdown page of a claims dataset, in `lang` (the rows checked in `lang`).
pub fn claims_page(lang: Lang, d: &Dataset, rows: &[CheckRow]) -> String {
    let (errors, warnings) = CheckRow::count_by_severity(rows);
    let mut s = format!(
        "# {}\n\n{}\n\n{}\n|---|---|---|---|\n",
        d.title_in(lang),
        fill(
            lang,
            "report.md.claims_summary",
            &[
                ("n", &rows.len().to_string()),
                ("errors", &errors.to_string()),
                ("warnings", &warnings.to_string())
            ]
        ),
        text(lang, "report.md.claims_columns")
    );
    for r in rows {
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
            .map(|f| format!("{} ({})", f.code, severity_word(lang, &f.severity)))
            .collect();
        let _ = writeln!(
            s,
            "| {} | {res} | {} | {} |",
            r.id,
            r.relevance.as_deref().unwrap_or(""),
            flags.join(", ")
        );
    }
    let _ = writeln!(s, "\n## {}\n", text(lang, "report.findings_explained"));
    for r in rows {
        for f in &r.flags {
            let _ = writeln!(
                s,
                "- **{}** [{}] {}: {}",
                r.id,
                f.code,
                severity_word(lang, &f.severity),
                f.message
            );
        }
        for n in &r.notes {
            let _ = writeln!(s, "- **{}** {}: {n}", r.id, text(lang, "report.note"));
        }
    }
    sources(&mut s, lang, d);
    s
}
