//! The text printout of a pooled analysis, modelled on metafor's `print.rma()`: every
//! statistic labelled, the model results table on the analysis scale, and ratio measures
//! also back-transformed.

use std::fmt::Write;

use crate::effect::Measure;
use crate::format::{interval, localise_number, p_equals, percent, Lang};
use crate::i18n::{count, fill, text};
use crate::pool::notes::notes_heading;
use crate::pool::{CommonMethod, Model, PooledEstimate, TestKind};

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

/// `x` with `digits` decimals, with a decimal comma for Dutch and French (a value that
/// rounds to zero keeps its sign, as metafor prints it).
fn num(lang: Lang, x: f64, digits: usize) -> String {
    localise_number(lang, &format!("{x:.digits$}"))
}

fn opt(lang: Lang, x: Option<f64>, digits: usize) -> String {
    x.map(|v| num(lang, v, digits))
        .unwrap_or_else(|| "-".into())
}

/// A p-value: metafor's `p-val = 0.0123` in English, `p = 0,0123` in Dutch and French.
fn p_text(lang: Lang, p: f64) -> String {
    match lang {
        Lang::En => p_val(p),
        _ => p_equals(lang, p),
    }
}

/// The confidence level as a percentage (`95`, `97,5`).
fn level_text(lang: Lang, level: f64) -> String {
    localise_number(lang, &(level * 100.0).to_string())
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
    k_text_in(Lang::En, r)
}

/// [`k_text`] in `lang`.
pub fn k_text_in(lang: Lang, r: &PooledEstimate) -> String {
    if r.k_estimable == r.k {
        format!("k = {}", r.k)
    } else {
        fill(
            lang,
            "pool.k_estimable",
            &[
                ("k", &r.k.to_string()),
                ("estimable", &r.k_estimable.to_string()),
            ],
        )
    }
}

/// The measure's name in `lang` ("log risk ratio", "log relatief risico").
pub fn measure_name(lang: Lang, m: Measure) -> &'static str {
    match m {
        Measure::MeanDifference => text(lang, "pool.measure.md"),
        Measure::StandardizedMeanDifference => text(lang, "pool.measure.smd"),
        Measure::LogRiskRatio => text(lang, "pool.measure.rr"),
        Measure::LogOddsRatio => text(lang, "pool.measure.or"),
        Measure::RiskDifference => text(lang, "pool.measure.rd"),
        Measure::LogHazardRatio => text(lang, "pool.measure.hr"),
        Measure::Generic => text(lang, "pool.measure.generic"),
    }
}

/// Renders one analysis in English. `name` is the value of its `analysis` column, if any.
pub fn render(name: Option<&str>, r: &PooledEstimate, digits: usize) -> String {
    render_in(Lang::En, name, r, digits)
}

/// Renders one analysis in `lang` (words from the `[pool]` section of the catalogue,
/// decimal commas for Dutch and French).
pub fn render_in(lang: Lang, name: Option<&str>, r: &PooledEstimate, digits: usize) -> String {
    let mut s = String::new();
    write_heading(&mut s, lang, name, r);
    write_heterogeneity(&mut s, lang, r, digits);
    write_model_results(&mut s, lang, r, digits);
    write_studies(&mut s, lang, r, digits);
    if !r.notes.is_empty() {
        s.push('\n');
        let _ = writeln!(s, "{}:", notes_heading(lang));
        for n in &r.notes {
            let _ = writeln!(s, "- {}", n.message(lang));
        }
    }
    s
}

/// The analysis's name, the model with k and the estimator, and the measure.
fn write_heading(s: &mut String, lang: Lang, name: Option<&str>, r: &PooledEstimate) {
    let c = &r.config;
    if let Some(n) = name {
        let _ = writeln!(s, "{}", fill(lang, "pool.analysis", &[("name", n)]));
    }
    let k = k_text_in(lang, r);
    let line = match c.model {
        Model::Random => fill(
            lang,
            "pool.random_heading",
            &[("k", &k), ("method", &c.tau2_method.to_string())],
        ),
        Model::Fixed => {
            let how = match c.method {
                CommonMethod::IV => text(lang, "pool.inverse_variance"),
                CommonMethod::MH => "Mantel-Haenszel",
                CommonMethod::Peto => "Peto",
            };
            fill(lang, "pool.common_heading", &[("k", &k), ("how", how)])
        }
    };
    let _ = writeln!(s, "{line}");
    let scale = if c.measure.is_ratio() {
        text(lang, "pool.scale_log")
    } else {
        text(lang, "pool.scale_own")
    };
    let name = measure_name(lang, c.measure);
    let _ = writeln!(
        s,
        "{}",
        fill(
            lang,
            "pool.measure_line",
            &[("code", c.measure.code()), ("name", name), ("scale", scale)]
        )
    );
    s.push('\n');
}

/// τ², I², H² with their CIs, and the test for heterogeneity; for one study, that
/// heterogeneity is not applicable (as RevMan prints it).
fn write_heterogeneity(s: &mut String, lang: Lang, r: &PooledEstimate, d: usize) {
    let c = &r.config;
    if r.k_estimable < 2 {
        let _ = writeln!(s, "{}", text(lang, "pool.heterogeneity_not_applicable"));
        s.push('\n');
        return;
    }
    if let Some(t2) = r.tau2 {
        let it = r
            .tau2_iterations
            .filter(|&i| i > 0)
            .map(|i| format!(" ({})", count(lang, "count.iterations", i as u64)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{}",
            fill(
                lang,
                "pool.tau2_line",
                &[("tau2", &num(lang, t2, d)), ("iterations", &it)]
            )
        );
        let _ = writeln!(
            s,
            "{}",
            fill(lang, "pool.tau_line", &[("tau", &num(lang, t2.sqrt(), d))])
        );
    }
    let h = &r.heterogeneity;
    let i2_how = match (c.model, c.i2, c.method) {
        (Model::Random, crate::pool::I2Method::Tau2, CommonMethod::IV) => "",
        _ => " [(Q - df)/Q]",
    };
    let i2 = format!("{}{i2_how}", percent(lang, &num(lang, h.i2_percent, 2)));
    let _ = writeln!(s, "{}", fill(lang, "pool.i2_line", &[("i2", &i2)]));
    let _ = writeln!(
        s,
        "{}",
        fill(lang, "pool.h2_line", &[("h2", &num(lang, h.h2, 2))])
    );
    let level = level_text(lang, c.level);
    if let (Some(t), Some(i), Some(hc)) = (r.tau2_ci, r.i2_ci, r.h2_ci) {
        let pct = |x: f64| percent(lang, &num(lang, x, 2));
        let ci = format!(
            "tau^2 {}, I^2 {}, H^2 {}",
            interval(lang, &num(lang, t.0, d), &num(lang, t.1, d)),
            interval(lang, &pct(i.0), &pct(i.1)),
            interval(lang, &num(lang, hc.0, 2), &num(lang, hc.1, 2))
        );
        let _ = writeln!(
            s,
            "{}",
            fill(lang, "pool.q_profile", &[("level", &level), ("ci", &ci)])
        );
    }
    if let Some((lo, hi)) = r.i2_ht_ci {
        let pct = |x: f64| percent(lang, &num(lang, x, 2));
        let ci = interval(lang, &pct(lo), &pct(hi));
        let _ = writeln!(
            s,
            "{}",
            fill(
                lang,
                "pool.higgins_thompson",
                &[("level", &level), ("ci", &ci)]
            )
        );
    }
    s.push('\n');
    let _ = writeln!(s, "{}", text(lang, "pool.heterogeneity_test"));
    let _ = writeln!(
        s,
        "Q(df = {}) = {}, {}",
        h.df,
        num(lang, h.q, 4),
        p_text(lang, h.p_value)
    );
    s.push('\n');
}

/// The pooled estimate on the analysis scale (metafor's table), then back-transformed with
/// its CI and prediction interval.
fn write_model_results(s: &mut String, lang: Lang, r: &PooledEstimate, d: usize) {
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
        (_, TestKind::T { df }) => fill(lang, "pool.hksj_adhoc", &[("df", &df.to_string())]),
        _ => String::new(),
    };
    let key = if c.measure.is_ratio() {
        "pool.results_log"
    } else {
        "pool.results_analysis"
    };
    let _ = writeln!(s, "{}", fill_results(lang, key, &ci_desc));
    s.push('\n');
    let cells = [
        (text(lang, "pool.col_estimate"), num(lang, r.estimate, d)),
        ("se", num(lang, r.se, d)),
        (stat_name, opt(lang, r.statistic, d)),
        (
            "pval",
            r.p_value
                .map(|p| match lang {
                    Lang::En => format_p(p),
                    _ => crate::format::p_value(lang, p),
                })
                .unwrap_or_else(|| "-".into()),
        ),
        ("ci.lb", num(lang, r.ci_low, d)),
        ("ci.ub", num(lang, r.ci_high, d)),
    ];
    let widths: Vec<usize> = cells
        .iter()
        .map(|(h, v)| h.chars().count().max(v.chars().count()))
        .collect();
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
    write_pooled(s, lang, r, d);
    s.push('\n');
}

/// The "Model results (… scale…):" heading.
fn fill_results(lang: Lang, key: &str, ci_desc: &str) -> String {
    match key {
        "pool.results_log" => fill(lang, "pool.results_log", &[("ci", ci_desc)]),
        _ => fill(lang, "pool.results_analysis", &[("ci", ci_desc)]),
    }
}

/// The pooled effect back-transformed, with its CI and prediction interval (not applicable
/// for one study).
fn write_pooled(s: &mut String, lang: Lang, r: &PooledEstimate, d: usize) {
    let c = &r.config;
    let code = c.measure.code();
    let level = level_text(lang, c.level);
    let tr = |x: f64| num(lang, c.measure.display(x), d);
    let ci = fill(
        lang,
        "pool.ci",
        &[
            ("level", &level),
            ("low", &tr(r.ci_low)),
            ("high", &tr(r.ci_high)),
        ],
    );
    let _ = writeln!(
        s,
        "{}",
        fill(
            lang,
            "pool.pooled",
            &[("code", code), ("estimate", &tr(r.estimate)), ("ci", &ci)]
        )
    );
    if r.k_estimable < 2 && c.model == Model::Random {
        let _ = writeln!(
            s,
            "{}",
            fill(lang, "pool.prediction_not_applicable", &[("level", &level)])
        );
    } else if let Some((lo, hi)) = r.pi {
        let _ = writeln!(
            s,
            "{}",
            fill(
                lang,
                "pool.prediction",
                &[
                    ("level", &level),
                    ("code", code),
                    ("low", &tr(lo)),
                    ("high", &tr(hi))
                ]
            )
        );
    }
}

/// Why a study has no effect, in `lang`: the pool's reasons are known sentences.
fn excluded_text(lang: Lang, why: Option<&str>) -> String {
    match why {
        Some("no events (or only events) in both arms") => {
            text(lang, "pool.excluded_double_zero").to_string()
        }
        Some("not estimable") | None => text(lang, "pool.not_estimable").to_string(),
        Some(other) => other.to_string(),
    }
}

/// One line per study: yi, vi, weight and the effect with its CI on the display scale.
fn write_studies(s: &mut String, lang: Lang, r: &PooledEstimate, d: usize) {
    let c = &r.config;
    let code = c.measure.code();
    let level = level_text(lang, c.level);
    let tr = |x: f64| num(lang, c.measure.display(x), 2);
    // Study table.
    let eff_head = fill(
        lang,
        "pool.col_effect",
        &[("code", code), ("level", &level)],
    );
    let mut rows: Vec<[String; 5]> = vec![[
        text(lang, "pool.col_study").into(),
        "yi".into(),
        "vi".into(),
        text(lang, "pool.col_weight").into(),
        eff_head,
    ]];
    for st in &r.studies {
        let label = if st.corrected {
            format!("{}*", st.label)
        } else {
            st.label.clone()
        };
        let weight = percent(lang, &num(lang, st.weight_percent, 2));
        match (st.effect, st.ci) {
            (Some(e), Some((lo, hi))) => rows.push([
                label,
                num(lang, e.yi(), d),
                num(lang, e.vi(), d),
                weight,
                format!("{} {}", tr(e.yi()), interval(lang, &tr(lo), &tr(hi))),
            ]),
            _ => rows.push([
                label,
                "-".into(),
                "-".into(),
                weight,
                excluded_text(lang, st.excluded.as_deref()),
            ]),
        }
    }
    let w: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let _ = writeln!(s, "{}", text(lang, "pool.studies_heading"));
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
        let _ = writeln!(s, "{}", text(lang, "pool.corrected"));
    }
}
