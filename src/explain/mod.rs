//! Worked derivations of a pooled result, the way a teacher writes them on the board: each
//! step's formula with the analysis's own numbers plugged in.
//!
//! The numbers are those of [`crate::pool()`]: the derivation calls it once and takes the
//! estimate, SE, CI, Q, τ², I² and prediction interval from its result; the intermediate
//! sums (Σw, Σwy, …) come from the same library functions the pool uses
//! ([`crate::pool::common::inverse_variance`], [`crate::pool::tau2::estimate_observed`]).
//!
//! The document is a list of [`Block`]s, rendered as Markdown, plain text or LaTeX by
//! [`render`]. Pure: no I/O.
//!
//! [`explain`] writes the sections in order, one function each: the studies' effects
//! (`steps::effects`), the common-effect weights (`steps::common_weights`, with the
//! Mantel–Haenszel or Peto sums of `mantel_haenszel`), Cochran's Q, τ² with its formula or
//! iterations (`tau2_step`), the random-effects weights, the pooled estimate and its CI, the
//! prediction interval, I², clinical relevance and the notes. Their words in English, Dutch
//! and French come from the translation catalogue through `messages`.
//!
//! # References
//! - Cochrane Handbook, version 6.4 (2023), sections 10.3 (inverse-variance and
//!   Mantel–Haenszel methods), 10.10.2 (I² and its rough guide), 10.10.4 (random effects,
//!   prediction intervals).
//! - Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
//!   Meta-Analysis, chapters 11–12 and 16. Wiley.

mod mantel_haenszel;
mod messages;
mod steps;
mod tau2_step;
mod text;

use crate::format::Lang;
use crate::pool::{common, Model, PoolConfig, PoolError, PooledEstimate};
use crate::Study;

use messages::Messages;

pub use text::{render, Format};

/// One piece of a derivation.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph of prose.
    Text(String),
    /// A formula, as plain text (Unicode) and as LaTeX.
    Math {
        /// Plain-text form.
        plain: String,
        /// LaTeX form (without surrounding `$`).
        tex: String,
    },
    /// A table with a header row.
    Table {
        /// Column headings.
        head: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
    },
}

/// A worked derivation and the result it derives.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Title of the document.
    pub title: String,
    /// The steps.
    pub blocks: Vec<Block>,
    /// The pooled result whose numbers the derivation shows.
    pub result: PooledEstimate,
}

/// Options of a derivation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExplainOptions {
    /// Language of the prose (Dutch and French use decimal commas).
    pub lang: Lang,
    /// Minimal important difference on the display scale (a ratio for RR/OR/HR), signed in
    /// the direction of benefit; adds the clinical-relevance reading.
    pub threshold: Option<f64>,
    /// Significant digits of the numbers shown.
    pub digits: usize,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            lang: Lang::En,
            threshold: None,
            digits: 4,
        }
    }
}

/// The derivation of the pool of `studies` under `config` (see the module documentation).
///
/// # Examples
/// ```
/// use repool::effect::StudyData;
/// use repool::explain::{explain, render, ExplainOptions, Format};
/// use repool::pool::{PoolConfig, Tau2Method};
/// use repool::{Measure, Study};
/// let studies = vec![
///     Study::new("Aronson 1948", StudyData::TwoByTwo { events_t: 4.0, n_t: 123.0, events_c: 11.0, n_c: 139.0 }),
///     Study::new("Ferguson & Simes 1949", StudyData::TwoByTwo { events_t: 6.0, n_t: 306.0, events_c: 29.0, n_c: 303.0 }),
///     Study::new("Rosenthal 1960", StudyData::TwoByTwo { events_t: 3.0, n_t: 231.0, events_c: 11.0, n_c: 220.0 }),
/// ];
/// let config = PoolConfig::metafor(Measure::LogRiskRatio).tau2(Tau2Method::DL);
/// let ex = explain(&studies, &config, &ExplainOptions::default()).unwrap();
/// let text = render(&ex, Format::Text);
/// assert!(text.contains("DerSimonian"));
/// assert!(text.contains("Σw"));
/// ```
pub fn explain(
    studies: &[Study],
    config: &PoolConfig,
    opts: &ExplainOptions,
) -> Result<Explanation, PoolError> {
    let result = crate::pool(studies, config)?;
    let cx = Context::new(studies, config, opts, &result);
    let w = Weights::new(&cx);
    let mut b = vec![steps::summary(&cx)];
    b.extend(steps::effects(&cx));
    b.extend(steps::common_weights(&cx, &w));
    b.extend(steps::heterogeneity(&cx));
    if cx.random && cx.k() > 1 {
        b.extend(tau2_step::tau2(&cx, w.t2));
        b.extend(steps::random_weights(&cx, &w));
    }
    b.extend(steps::pooled(&cx, &w));
    b.extend(steps::prediction(&cx, w.t2));
    b.extend(steps::i2(&cx, w.t2));
    b.extend(steps::relevance(&cx, opts.threshold));
    b.extend(steps::notes(&cx));
    // Sums the derivation shows can overflow where the pool's own computation does not (Σw²
    // of a variance of 1e-300): no "inf" or "NaN" is shown as if it were a step.
    if shows_non_finite(&b, &cx.labels) {
        return Err(PoolError::NonFinite {
            what: "intermediate result of the derivation (a sum of weights)",
        });
    }
    let title = steps::title(&cx);
    Ok(Explanation {
        title,
        blocks: b,
        result,
    })
}

/// What every step of a derivation reads: the options, the data, the pool's result and
/// the effects it pooled.
struct Context<'a> {
    lang: Lang,
    /// Significant digits of the numbers shown.
    dg: usize,
    msg: &'static Messages,
    config: &'a PoolConfig,
    studies: &'a [Study],
    result: &'a PooledEstimate,
    /// The effects and variances pooled (studies with an effect of their own).
    y: Vec<f64>,
    v: Vec<f64>,
    /// Their labels.
    labels: Vec<&'a str>,
    random: bool,
}

impl<'a> Context<'a> {
    fn new(
        studies: &'a [Study],
        config: &'a PoolConfig,
        opts: &ExplainOptions,
        result: &'a PooledEstimate,
    ) -> Context<'a> {
        let (y, v) = result.effects();
        let labels = result
            .studies
            .iter()
            .filter(|s| s.effect.is_some())
            .map(|s| s.label.as_str())
            .collect();
        Context {
            lang: opts.lang,
            dg: opts.digits.max(2),
            msg: messages::messages(opts.lang),
            config,
            studies,
            result,
            y,
            v,
            labels,
            random: config.model == Model::Random,
        }
    }

    /// Number of effects pooled.
    fn k(&self) -> usize {
        self.y.len()
    }

    /// A number with the derivation's significant digits.
    fn n(&self, x: f64) -> String {
        num(self.lang, x, self.dg)
    }

    /// A share (0–1) in percent, three significant digits: "41.4 %".
    fn pct(&self, p: f64) -> String {
        format!("{} %", num(self.lang, 100.0 * p, 3))
    }
}

/// The weights of both models and the sums built from them.
struct Weights {
    /// Common effect: `wᵢ = 1/vᵢ`, `Σw`, `Σwy`, the estimate, its SE and each study's share.
    w: Vec<f64>,
    sw: f64,
    swy: f64,
    mu_ce: f64,
    se_ce: f64,
    rel_ce: Vec<f64>,
    /// τ² of the random-effects model (0 for a common-effect model or one study).
    t2: f64,
    /// Random effects: `wᵢ* = 1/(vᵢ + τ²)`, `Σw*`, `Σw*y` and each study's share.
    wstar: Vec<f64>,
    swstar: f64,
    swstary: f64,
    rel_re: Vec<f64>,
}

impl Weights {
    fn new(cx: &Context) -> Weights {
        let (y, v) = (&cx.y, &cx.v);
        let (mu_ce, se_ce, rel_ce) = common::inverse_variance(y, v, 0.0);
        let w: Vec<f64> = v.iter().map(|vi| 1.0 / vi).collect();
        let sw: f64 = w.iter().sum();
        let swy: f64 = w.iter().zip(y).map(|(wi, yi)| wi * yi).sum();
        let t2 = match cx.random && cx.k() > 1 {
            true => cx.result.tau2.unwrap_or(0.0),
            false => 0.0,
        };
        let (_, _, rel_re) = common::inverse_variance(y, v, t2);
        let wstar: Vec<f64> = v.iter().map(|vi| 1.0 / (vi + t2)).collect();
        let swstar: f64 = wstar.iter().sum();
        let swstary: f64 = wstar.iter().zip(y).map(|(wi, yi)| wi * yi).sum();
        Weights {
            w,
            sw,
            swy,
            mu_ce,
            se_ce,
            rel_ce,
            t2,
            wstar,
            swstar,
            swstary,
            rel_re,
        }
    }
}

/// A number with `digits` significant digits (at least 1 and at most 8 decimals shown),
/// with a decimal comma in Dutch and French.
fn num(lang: Lang, x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let mag = if x == 0.0 {
        0
    } else {
        x.abs().log10().floor() as i64
    };
    let decimals = (digits as i64 - 1 - mag).clamp(1, 8) as usize;
    crate::format::fmt_num(lang, x, decimals)
}

/// A p-value as usually printed, with its relation: "= 0.031" or "< 0.0001".
fn pval(lang: Lang, p: f64) -> String {
    crate::format::p_relation(lang, p, 2)
}

/// A value that goes to 0: three significant digits, in scientific notation below 0.001.
fn small(lang: Lang, x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        let s = format!("{x:.2e}");
        match lang {
            Lang::En => s,
            _ => s.replace('.', ","),
        }
    } else {
        num(lang, x, 3)
    }
}

/// A count: whole numbers without decimals.
fn count(lang: Lang, x: f64, digits: usize) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        num(lang, x, digits)
    }
}

/// A confidence level in percent: "95", "99.5".
fn level_pct(lang: Lang, level: f64) -> String {
    let x = (level * 1000.0).round() / 10.0;
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        num(lang, x, 3)
    }
}

/// Whether a formula or table cell shows a number that is not finite (`NaN`, `inf` as they
/// are formatted); words of the study labels do not count.
fn shows_non_finite(blocks: &[Block], labels: &[&str]) -> bool {
    let bad = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|w| (w == "NaN" || w == "inf") && !labels.iter().any(|l| l.contains(w)))
    };
    blocks.iter().any(|b| match b {
        Block::Math { plain, .. } => bad(plain),
        Block::Table { rows, .. } => rows.iter().flatten().any(|c| bad(c)),
        Block::Heading(_) | Block::Text(_) => false,
    })
}
