//! Markdown versions of the dataset pages (the forest plot as a linked SVG file).

use std::fmt::Write;

use super::build::{Comparison, PoolReport};
use super::dataset::Dataset;
use super::html::{disp, result_line, safe_href, settings};
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

fn sources(s: &mut String, d: &Dataset) {
    let _ = writeln!(s, "\n## Sources\n");
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
            let _ = write!(line, " (transcribed from {doc})");
        }
        let _ = writeln!(s, "- {line}");
    }
    if !d.columns.is_empty() {
        let _ = writeln!(s, "\n| column | source |\n|---|---|");
        for (k, v) in &d.columns {
            let _ = writeln!(s, "| `{k}` | {} |", v.replace('|', "\\|"));
        }
    }
    for (k, v) in &d.derived {
        let _ = writeln!(s, "- derived `{k}`: {v}");
    }
    for n in &d.notes {
        let _ = writeln!(s, "- {n}");
    }
}

/// The Markdown page of a pool dataset.
pub fn pool_page(r: &PoolReport) -> String {
    let d = &r.dataset;
    let mut s = format!("# {}\n\n", d.title);
    if let Some(t) = &d.teaches {
        let _ = writeln!(s, "{t}\n");
    }
    recomputed_section(&mut s, r);
    if !r.comparisons.is_empty() {
        published_section(&mut s, r);
    }
    let _ = writeln!(s, "\n## Forest plot\n\n![forest plot](forest.svg)");
    s += &super::sof::dataset_section(r, crate::format::Lang::En, true);
    data_section(&mut s, r);
    sources(&mut s, d);
    s
}

/// The main analysis: the pooled result with its settings, the prediction interval,
/// heterogeneity and the clinical relevance.
fn recomputed_section(s: &mut String, r: &PoolReport) {
    let m = r.main.config.measure;
    let h = &r.main.heterogeneity;
    let _ = writeln!(
        s,
        "## Recomputed pooled result\n\n- {} ({}; {})",
        result_line(&r.main, 2),
        settings(&r.main),
        crate::report::text::k_text(&r.main)
    );
    if let Some((lo, hi)) = r.main.pi {
        let _ = writeln!(
            s,
            "- 95% prediction interval [{}; {}]",
            disp(m, lo, 2),
            disp(m, hi, 2)
        );
    }
    let _ = writeln!(
        s,
        "- Q = {:.2}, df = {}, p = {:.4}; I² = {:.1}%{}",
        h.q,
        h.df,
        h.p_value,
        h.i2_percent,
        r.main
            .tau2
            .map(|t| format!("; τ² = {t:.4}"))
            .unwrap_or_default()
    );
    if let Some(rel) = &r.relevance {
        let _ = writeln!(s, "- Clinical relevance: {rel}");
    }
}

/// The published results: one table row each, then why a result is not reproduced and the
/// checks of the printed numbers.
fn published_section(s: &mut String, r: &PoolReport) {
    let _ = writeln!(s, "\n## Published results\n\n| published | as printed | recomputed | verdict | settings that reproduce it |\n|---|---|---|---|---|");
    for c in &r.comparisons {
        published_row(s, c, r.main.config.measure);
    }
    for c in &r.comparisons {
        if let Some(e) = c.published.explanation.as_ref().filter(|_| !c.reproduced) {
            let _ = writeln!(s, "\n{}: {e}", c.published.label);
        }
        if let Some(ch) = &c.check {
            for f in &ch.flags {
                let _ = writeln!(
                    s,
                    "\nCheck of the printed numbers ({}) [{}] {}: {}",
                    c.published.label,
                    f.code.code(),
                    f.severity.code(),
                    f.message
                );
            }
        }
    }
}

/// One published result as printed, recomputed (to as many decimals as printed), the
/// verdict and the settings that reproduce it.
fn published_row(s: &mut String, c: &Comparison, m: Measure) {
    let p = &c.published;
    let dec = p
        .estimate
        .decimals
        .max(p.ci_low.decimals)
        .max(p.ci_high.decimals) as usize;
    let rec = match &c.recomputed {
        Ok(x) => format!(
            "{} [{}; {}] ({})",
            disp(m, x.estimate, dec),
            disp(m, x.ci_low, dec),
            disp(m, x.ci_high, dec),
            crate::report::text::k_text(x)
        ),
        Err(e) => format!("error: {e}"),
    };
    let _ = writeln!(
        s,
        "| {} | {} [{}; {}]{} | {rec} | {} | {} |",
        p.label,
        p.estimate.printed(),
        p.ci_low.printed(),
        p.ci_high.printed(),
        p.k.map(|k| format!(" (k = {k})")).unwrap_or_default(),
        if c.reproduced {
            "reproduced"
        } else {
            "**not reproduced**"
        },
        if c.reproducing.is_empty() {
            "none".to_string()
        } else {
            c.reproducing.join("; ")
        }
    );
}

/// The studies: effect, variance and weight in the main analysis.
fn data_section(s: &mut String, r: &PoolReport) {
    let _ = writeln!(
        s,
        "\n## Data\n\n| study | year | yi | vi | weight |\n|---|---|---:|---:|---:|"
    );
    for (st, res) in r.studies.iter().zip(&r.main.studies) {
        let (yi, vi) = res
            .effect
            .map(|e| (format!("{:.4}", e.yi()), format!("{:.4}", e.vi())))
            .unwrap_or(("–".into(), "–".into()));
        let _ = writeln!(
            s,
            "| {} | {} | {yi} | {vi} | {:.1}% |",
            st.label,
            st.year.map(|y| y.to_string()).unwrap_or_default(),
            res.weight_percent
        );
    }
}

/// The Markdown page of a claims dataset.
pub fn claims_page(d: &Dataset, rows: &[CheckRow]) -> String {
    let (errors, warnings) = CheckRow::count_by_severity(rows);
    let mut s = format!(
        "# {}\n\n{} results checked; {errors} with errors, {warnings} with warnings only.\n\n| id | result as printed | relevance | findings |\n|---|---|---|---|\n",
        d.title,
        rows.len()
    );
    for r in rows {
        let res = match (&r.measure, &r.estimate, &r.ci_low, &r.ci_high) {
            (Some(m), Some(e), Some(l), Some(h)) => format!("{m} {e} ({l} to {h})"),
            _ => r.error.clone().unwrap_or_default(),
        };
        let flags: Vec<String> = r
            .flags
            .iter()
            .map(|f| format!("{} ({})", f.code, f.severity))
            .collect();
        let _ = writeln!(
            s,
            "| {} | {res} | {} | {} |",
            r.id,
            r.relevance.as_deref().unwrap_or(""),
            flags.join(", ")
        );
    }
    let _ = writeln!(s, "\n## Findings explained\n");
    for r in rows {
        for f in &r.flags {
            let _ = writeln!(
                s,
                "- **{}** [{}] {}: {}",
                r.id, f.code, f.severity, f.message
            );
        }
        for n in &r.notes {
            let _ = writeln!(s, "- **{}** note: {n}", r.id);
        }
    }
    sources(&mut s, d);
    s
}
