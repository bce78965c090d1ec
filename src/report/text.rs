//! The text printout of a pooled analysis, modelled on metafor's `print.rma()`: every
//! statistic labelled, the model results table on the analysis scale, and ratio measures
//! also back-transformed.

use std::fmt::Write;

use crate::pool::{Model, PooledEstimate, TestKind};

pub use crate::format::format_p;
use crate::format::p_val;

/// `s` right-aligned in `width` characters (left-padded with spaces; never cut).
///
/// The standard formatter's `{:>w$}` takes widths only up to 65,535 and panics beyond, so a
/// column as wide as its longest cell (a study label, an id, a treatment name) is padded here.
///
/// # Examples
/// ```
/// use repool::report::text::{pad_left, pad_right};
/// assert_eq!(pad_left("ab", 4), "  ab");
/// assert_eq!(pad_right("ab", 4), "ab  ");
/// assert_eq!(pad_left("abcdef", 4), "abcdef");
/// assert_eq!(pad_left("x", 70_000).len(), 70_000);
/// ```
pub fn pad_left(s: &str, width: usize) -> String {
    let n = s.chars().count();
    let mut out = " ".repeat(width.saturating_sub(n));
    out.push_str(s);
    out
}

/// `s` left-aligned in `width` characters (right-padded with spaces; never cut); see
/// [`pad_left`].
pub fn pad_right(s: &str, width: usize) -> String {
    let n = s.chars().count();
    let mut out = s.to_string();
    out.push_str(&" ".repeat(width.saturating_sub(n)));
    out
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "-".into())
}

/// `k = 18`, or `k = 18, 17 estimable` when some studies have no effect of their own
/// (double-zero tables of a Mantel–Haenszel or Peto pool, RevMan's non-estimable studies).
///
/// # Examples
/// ```
/// # use repool::effect::StudyData;
/// # use repool::pool::{pool, CommonMethod, I2Method, Model, PoolConfig, Tau2Method};
/// # use repool::{Measure, Study};
/// let t = |a, c| StudyData::TwoByTwo { events_t: a, n_t: 20.0, events_c: c, n_c: 20.0 };
/// let studies = vec![Study::new("A", t(2.0, 6.0)), Study::new("B", t(0.0, 0.0)), Study::new("C", t(3.0, 5.0))];
/// let config = PoolConfig::metafor(Measure::LogOddsRatio)
///     .model(Model::Fixed).method(CommonMethod::MH).tau2(Tau2Method::DL).i2(I2Method::Q);
/// let r = pool(&studies, &config).unwrap();
/// assert_eq!(repool::report::text::k_text(&r), "k = 3, 2 estimable");
/// ```
pub fn k_text(r: &PooledEstimate) -> String {
    if r.k_estimable == r.k {
        format!("k = {}", r.k)
    } else {
        format!("k = {}, {} estimable", r.k, r.k_estimable)
    }
}

/// Renders one analysis. `name` is the value of its `analysis` column, if any.
pub fn render(name: Option<&str>, r: &PooledEstimate, digits: usize) -> String {
    let mut s = String::new();
    write_heading(&mut s, name, r);
    write_heterogeneity(&mut s, r, digits);
    write_model_results(&mut s, r, digits);
    write_studies(&mut s, r, digits);
    if !r.notes.is_empty() {
        s.push('\n');
        let _ = writeln!(s, "Notes:");
        for n in &r.notes {
            let _ = writeln!(s, "- {n}");
        }
    }
    s
}

/// The analysis's name, the model with k and the estimator, and the measure.
fn write_heading(s: &mut String, name: Option<&str>, r: &PooledEstimate) {
    let c = &r.config;
    if let Some(n) = name {
        let _ = writeln!(s, "Analysis: {n}");
    }
    match c.model {
        Model::Random => {
            let _ = writeln!(
                s,
                "Random-effects model ({}; tau^2 estimator: {})",
                k_text(r),
                c.tau2_method
            );
        }
        Model::Fixed => {
            let how = match c.method {
                crate::pool::CommonMethod::IV => "inverse variance",
                crate::pool::CommonMethod::MH => "Mantel-Haenszel",
                crate::pool::CommonMethod::Peto => "Peto",
            };
            let _ = writeln!(s, "Common-effect model ({}; {how})", k_text(r));
        }
    }
    let scale = if c.measure.is_ratio() {
        "analysed on the log scale"
    } else {
        "analysed on its own scale"
    };
    let _ = writeln!(
        s,
        "Measure: {} ({}), {scale}",
        c.measure.code(),
        c.measure.name()
    );
    s.push('\n');
}

/// τ², I², H² with their CIs, and the test for heterogeneity.
fn write_heterogeneity(s: &mut String, r: &PooledEstimate, d: usize) {
    let c = &r.config;
    if let Some(t2) = r.tau2 {
        let it = r
            .tau2_iterations
            .filter(|&i| i > 0)
            .map(|i| format!(" ({i} iterations)"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "tau^2 (estimated amount of total heterogeneity): {t2:.d$}{it}"
        );
        let _ = writeln!(
            s,
            "tau (square root of estimated tau^2 value):      {:.d$}",
            t2.sqrt()
        );
    }
    let h = &r.heterogeneity;
    let i2_how = match (c.model, c.i2, c.method) {
        (Model::Random, crate::pool::I2Method::Tau2, crate::pool::CommonMethod::IV) => "",
        _ => " [(Q - df)/Q]",
    };
    let _ = writeln!(
        s,
        "I^2 (total heterogeneity / total variability):   {:.2}%{i2_how}",
        h.i2_percent
    );
    let _ = writeln!(
        s,
        "H^2 (total variability / sampling variability):  {:.2}",
        h.h2
    );
    if let (Some(t), Some(i), Some(hc)) = (r.tau2_ci, r.i2_ci, r.h2_ci) {
        let pct = c.level * 100.0;
        let _ = writeln!(
            s,
            "{pct}% CI (Q-profile): tau^2 [{:.d$}; {:.d$}], I^2 [{:.2}%; {:.2}%], H^2 [{:.2}; {:.2}]",
            t.0, t.1, i.0, i.1, hc.0, hc.1
        );
    }
    if let Some((lo, hi)) = r.i2_ht_ci {
        let _ = writeln!(
            s,
            "{}% CI of I^2 (Higgins-Thompson): [{lo:.2}%; {hi:.2}%]",
            c.level * 100.0
        );
    }
    s.push('\n');
    let _ = writeln!(s, "Test for heterogeneity:");
    let _ = writeln!(s, "Q(df = {}) = {:.4}, {}", h.df, h.q, p_val(h.p_value));
    s.push('\n');
}

/// The pooled estimate on the analysis scale (metafor's table), then back-transformed with
/// its CI and prediction interval.
fn write_model_results(s: &mut String, r: &PooledEstimate, d: usize) {
    let c = &r.config;
    let stat_name = match r.test {
        TestKind::Z => "zval",
        TestKind::T { .. } => "tval",
    };
    let ci_desc = match (c.ci, r.test) {
        (crate::pool::CiMethod::Z, _) => String::new(),
        (crate::pool::CiMethod::Hksj, TestKind::T { df }) => {
            format!(", Hartung-Knapp-Sidik-Jonkman, t(df = {df})")
        }
        (_, TestKind::T { df }) => {
            format!(", HKSJ ad hoc (variance never below the z method's), t(df = {df})")
        }
        _ => String::new(),
    };
    let _ = writeln!(
        s,
        "Model results ({} scale{ci_desc}):",
        if c.measure.is_ratio() {
            "log"
        } else {
            "analysis"
        }
    );
    s.push('\n');
    let level_pct = c.level * 100.0;
    let cells = [
        ("estimate", format!("{:.d$}", r.estimate)),
        ("se", format!("{:.d$}", r.se)),
        (stat_name, opt(r.statistic, d)),
        (
            "pval",
            r.p_value.map(format_p).unwrap_or_else(|| "-".into()),
        ),
        ("ci.lb", format!("{:.d$}", r.ci_low)),
        ("ci.ub", format!("{:.d$}", r.ci_high)),
    ];
    let widths: Vec<usize> = cells.iter().map(|(h, v)| h.len().max(v.len())).collect();
    let head: Vec<String> = cells
        .iter()
        .zip(&widths)
        .map(|((h, _), w)| pad_left(h, *w))
        .collect();
    let vals: Vec<String> = cells
        .iter()
        .zip(&widths)
        .map(|((_, v), w)| pad_left(v, *w))
        .collect();
    let _ = writeln!(s, "{}", head.join("  "));
    let _ = writeln!(s, "{}", vals.join("  "));
    s.push('\n');
    let code = c.measure.code();
    let tr = |x: f64| c.measure.display(x);
    let _ = writeln!(
        s,
        "Pooled {code}: {:.d$} [{level_pct}% CI {:.d$}; {:.d$}]",
        tr(r.estimate),
        tr(r.ci_low),
        tr(r.ci_high)
    );
    if let Some((lo, hi)) = r.pi {
        let _ = writeln!(
            s,
            "{level_pct}% prediction interval: {code} [{:.d$}; {:.d$}]",
            tr(lo),
            tr(hi)
        );
    }
    s.push('\n');
}

/// One line per study: yi, vi, weight and the effect with its CI on the display scale.
fn write_studies(s: &mut String, r: &PooledEstimate, d: usize) {
    let c = &r.config;
    let code = c.measure.code();
    let level_pct = c.level * 100.0;
    let tr = |x: f64| c.measure.display(x);
    // Study table.
    let eff_head = format!("{code} [{level_pct}% CI]");
    let mut rows: Vec<[String; 5]> = vec![[
        "study".into(),
        "yi".into(),
        "vi".into(),
        "weight".into(),
        eff_head,
    ]];
    for st in &r.studies {
        let label = if st.corrected {
            format!("{}*", st.label)
        } else {
            st.label.clone()
        };
        match (st.effect, st.ci) {
            (Some(e), Some((lo, hi))) => rows.push([
                label,
                format!("{:.d$}", e.yi()),
                format!("{:.d$}", e.vi()),
                format!("{:.2}%", st.weight_percent),
                format!("{:.2} [{:.2}; {:.2}]", tr(e.yi()), tr(lo), tr(hi)),
            ]),
            _ => rows.push([
                label,
                "-".into(),
                "-".into(),
                format!("{:.2}%", st.weight_percent),
                st.excluded
                    .clone()
                    .unwrap_or_else(|| "not estimable".into()),
            ]),
        }
    }
    let w: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let _ = writeln!(s, "Studies:");
    for row in &rows {
        let pad = |x: &str, w: usize| " ".repeat(w.saturating_sub(x.chars().count()));
        let _ = writeln!(
            s,
            "{}{}  {}{}  {}{}  {}{}  {}",
            row[0],
            pad(&row[0], w[0]),
            pad(&row[1], w[1]),
            row[1],
            pad(&row[2], w[2]),
            row[2],
            pad(&row[3], w[3]),
            row[3],
            row[4]
        );
    }
    if r.studies.iter().any(|st| st.corrected) {
        let _ = writeln!(
            s,
            "* continuity correction applied to this study's 2x2 table"
        );
    }
}
