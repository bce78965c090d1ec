//! Estimators of the between-study variance τ², one per file, named as in metafor's
//! `rma(method = ...)`: [`dl`], [`reml`], [`ml`], [`pm`], [`he`], [`sj`], [`eb`], [`hs`].
//!
//! The public functions work on the intercept-only random-effects model
//! `yi = μ + ui + ei`, `ui ~ N(0, τ²)`, `ei ~ N(0, vi)`, and truncate negative values
//! at 0 as metafor does (`tau2.min = 0`).
//!
//! Each estimator's equation (the REML and ML scores and their slopes, the Paule–Mandel
//! equation, the closed forms of DL, HE, HS and SJ) is written once, in its file, over the
//! weighted sums of a fit at a given τ² (`Moments`: `y'Py`, `y'PPy`, `tr(P)`, …). Where
//! those sums come from is the `Sums` trait: the studies of the intercept-only model
//! (`Studies`), a meta-regression's design (`regression.rs`, p × p algebra), all studies but
//! one (`loo.rs`) and the first n studies (`prefix.rs`), so pooling, meta-regression,
//! leave-one-out, influence and cumulative pools run the same code. The solvers
//! (`solve_decreasing` and the global likelihood maximum of `global`) tell an
//! [`Observer`] every step ([`estimate_observed`]); [`estimate`] passes [`Quiet`].

pub mod dl;
pub mod eb;
pub(crate) mod global;
pub mod he;
pub mod hs;
pub mod ml;
pub mod pm;
pub mod reml;
pub mod sj;

use std::fmt;

pub use global::{OtherMaximum, BIMODAL_GAP};

/// A τ² estimator. Spellings are metafor's `method` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tau2Method {
    /// DerSimonian–Laird (method of moments).
    DL,
    /// Restricted maximum likelihood (metafor's default).
    REML,
    /// Maximum likelihood.
    ML,
    /// Paule–Mandel.
    PM,
    /// Hedges (unweighted method of moments).
    HE,
    /// Sidik–Jonkman.
    SJ,
    /// Empirical Bayes (Morris).
    EB,
    /// Hunter–Schmidt.
    HS,
}

impl Tau2Method {
    /// All estimators, in the order of the documentation.
    pub const ALL: [Tau2Method; 8] = [
        Tau2Method::DL,
        Tau2Method::REML,
        Tau2Method::ML,
        Tau2Method::PM,
        Tau2Method::HE,
        Tau2Method::SJ,
        Tau2Method::EB,
        Tau2Method::HS,
    ];

    /// The metafor code, e.g. `"REML"`.
    pub fn code(self) -> &'static str {
        match self {
            Tau2Method::DL => "DL",
            Tau2Method::REML => "REML",
            Tau2Method::ML => "ML",
            Tau2Method::PM => "PM",
            Tau2Method::HE => "HE",
            Tau2Method::SJ => "SJ",
            Tau2Method::EB => "EB",
            Tau2Method::HS => "HS",
        }
    }

    /// Parses a metafor code (case-insensitive).
    pub fn from_code(s: &str) -> Option<Tau2Method> {
        Tau2Method::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(s))
    }

    /// Whether the estimator is found by iteration (and so reports iterations).
    pub fn is_iterative(self) -> bool {
        matches!(
            self,
            Tau2Method::REML | Tau2Method::ML | Tau2Method::PM | Tau2Method::EB
        )
    }
}

impl fmt::Display for Tau2Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An estimate of τ².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tau2Fit {
    /// The estimate, at least 0.
    pub tau2: f64,
    /// Iterations taken by an iterative estimator; `None` for closed forms.
    pub iterations: Option<usize>,
    /// True when the untruncated estimate (or the root of the estimating equation) was
    /// negative and the estimate was set to 0.
    pub truncated: bool,
    /// REML and ML: another local maximum of the likelihood whose log-likelihood is within
    /// [`BIMODAL_GAP`] of the estimate's (the likelihood is bimodal).
    pub other: Option<OtherMaximum>,
}

/// An iterative estimator found no solution.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the {method} estimator of tau^2 did not converge after {iterations} iterations")]
pub struct NotConverged {
    /// The estimator.
    pub method: Tau2Method,
    /// Iterations taken.
    pub iterations: usize,
}

/// Estimates τ² with `method` from effects `y` and sampling variances `v` (same length,
/// `v > 0`). With one study every estimator gives 0, as in metafor.
///
/// # Examples
/// ```
/// use repool::pool::tau2::{estimate, Tau2Method};
/// // Kacker (2004); metafor 3.8-1 rma(method = "DL"): tau2 = 0.288049246972265.
/// let y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9];
/// let v = [0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225];
/// let fit = estimate(Tau2Method::DL, &y, &v).unwrap();
/// assert!((fit.tau2 - 0.288049246972265).abs() < 1e-12);
/// ```
pub fn estimate(method: Tau2Method, y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_observed(method, y, v, &mut Quiet)
}

/// As [`estimate`], telling `observer` every step the iterative estimators take toward the
/// estimate (nothing for the closed forms, and nothing when the estimate is 0 because the
/// estimating function is ≤ 0 at τ² = 0). The estimate is the same computation as
/// [`estimate`]'s.
///
/// # Examples
/// ```
/// use repool::pool::tau2::{estimate_observed, Step, Tau2Method};
/// let y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9];
/// let v = [0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225];
/// let mut steps: Vec<Step> = Vec::new();
/// let fit = estimate_observed(Tau2Method::PM, &y, &v, &mut steps).unwrap();
/// assert_eq!(steps.last().unwrap().tau2, fit.tau2);
/// ```
pub fn estimate_observed(
    method: Tau2Method,
    y: &[f64],
    v: &[f64],
    observer: &mut impl Observer,
) -> Result<Tau2Fit, NotConverged> {
    assert_eq!(y.len(), v.len(), "y and v must have the same length");
    if y.len() < 2 {
        return Ok(Tau2Fit {
            tau2: 0.0,
            iterations: None,
            truncated: false,
            other: None,
        });
    }
    let s = Studies { y, v };
    match method {
        Tau2Method::DL => Ok(closed(dl::raw(&s))),
        Tau2Method::HE => Ok(closed(he::raw(&s))),
        Tau2Method::HS => Ok(closed(hs::raw(&s))),
        Tau2Method::SJ => Ok(closed(sj::raw(&s))),
        Tau2Method::REML => reml::estimate_sums(&s, None, observer),
        Tau2Method::ML => ml::estimate_sums(&s, None, observer),
        Tau2Method::PM => pm::estimate_sums(Tau2Method::PM, &s, None, observer),
        Tau2Method::EB => eb::estimate_sums(&s, observer),
    }
}

/// As [`estimate`], with a starting value for the iterative estimators (REML, ML, PM, EB),
/// e.g. the estimate of a nearby data set; the closed forms ignore it.
pub fn estimate_from(
    method: Tau2Method,
    y: &[f64],
    v: &[f64],
    start: Option<f64>,
) -> Result<Tau2Fit, NotConverged> {
    if y.len() < 2 {
        return estimate(method, y, v);
    }
    let s = Studies { y, v };
    match method {
        Tau2Method::REML => reml::estimate_sums(&s, start, &mut Quiet),
        Tau2Method::ML => ml::estimate_sums(&s, start, &mut Quiet),
        Tau2Method::PM | Tau2Method::EB => pm::estimate_sums(Tau2Method::PM, &s, start, &mut Quiet),
        _ => estimate(method, y, v),
    }
}

/// A closed-form estimate `raw` truncated at 0, as metafor does (`tau2.min = 0`).
pub(crate) fn closed(raw: f64) -> Tau2Fit {
    Tau2Fit {
        tau2: raw.max(0.0),
        iterations: None,
        truncated: raw < 0.0,
        other: None,
    }
}

/// One step of an iterative estimator: the value of τ² tried and the value of the
/// estimating function there (the REML or ML score up to the factor ½, or `Q(τ²) − (k − 1)`
/// for PM and EB); the root is where it is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// τ² at this step.
    pub tau2: f64,
    /// Value of the estimating function.
    pub value: f64,
}

/// Receives the steps of an iterative estimator (see [`estimate_observed`]).
pub trait Observer {
    /// Whether the steps are wanted at all; when not, the solvers do not keep them.
    fn wants_steps(&self) -> bool {
        true
    }
    /// One step toward the estimate, in order.
    fn step(&mut self, step: Step);
}

/// The observer of [`estimate`]: it ignores every step.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Observer for Quiet {
    fn wants_steps(&self) -> bool {
        false
    }
    fn step(&mut self, _: Step) {}
}

/// Keeps every step.
impl Observer for Vec<Step> {
    fn step(&mut self, step: Step) {
        self.push(step);
    }
}

/// The weighted sums of a fit at one τ², with `w = 1/(v + τ²)`, `W = diag(w)`, the design
/// `X` (a column of ones for the intercept-only model), `P = W − WX(X'WX)⁻¹X'W` and `r` the
/// residuals of the weighted fit: everything an estimating equation of [`Tau2Method`] needs.
/// For the intercept-only model `y'Py = Σw(y − μ̂)²` is the generalised `Q(τ²)`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Moments {
    /// `y'Py = Σ w r²`.
    pub ypy: f64,
    /// `y'PPy = Σ w² r²`.
    pub yppy: f64,
    /// `d(y'PPy)/dτ² = −2 y'PPPy` (`dP/dτ² = −PP`).
    pub d_yppy: f64,
    /// `tr(P)`.
    pub tr_p: f64,
    /// `tr(PP)`.
    pub tr_pp: f64,
    /// `Σw`.
    pub sw: f64,
    /// `Σw²`.
    pub sw2: f64,
}

/// The terms of a (restricted) log-likelihood at one τ²: `Σ ln(v + τ²)`, `ln det(X'WX)` and
/// `y'Py`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogTerms {
    pub sum_log_v: f64,
    pub log_det: f64,
    pub ypy: f64,
}

/// Where the weighted sums of an estimating equation come from: the studies of the
/// intercept-only model ([`Studies`]), a meta-regression's design
/// (`regression::Design`), or all studies but one (`loo::Without`). Each estimator is
/// written once, over this trait.
pub(crate) trait Sums {
    /// Number of studies `k`.
    fn k(&self) -> usize;
    /// Number of coefficients `p` of the mean (1 for the intercept-only model).
    fn p(&self) -> usize;
    /// The moments at `tau2` (NaN when the fit is singular there).
    fn at(&self, tau2: f64) -> Moments;
    /// `Σ (y − ȳ)²` about the unweighted mean (SJ's starting value; no moderators).
    fn ss(&self) -> f64;
    /// The unweighted (OLS) fit: its residual sum of squares `RSS` and the sampling variance
    /// it leaves per residual degree of freedom, `tr(P_OLS V)/(k − p)` with
    /// `P_OLS = I − X(X'X)⁻¹X'`, `V = diag(v)` (`Σv/k` for the intercept-only model): Hedges'
    /// estimator and the likelihood scan's bound.
    fn ols(&self) -> (f64, f64);
    /// The smallest and largest sampling variance.
    fn v_range(&self) -> (f64, f64);
    /// The terms of the log-likelihood at `tau2`.
    fn log_terms(&self, tau2: f64) -> LogTerms;
    /// The value of `method`'s estimating equation at `tau2` (the first of [`equation`]'s
    /// three), as the likelihood scan needs it many times; an implementation may compute it
    /// from fewer sums, to the same bits.
    fn value_at(&self, method: Tau2Method, tau2: f64, df: f64) -> f64 {
        equation(method, &self.at(tau2), df, Slope::Exact).0
    }
}

/// The slope a likelihood estimator's solver takes: the exact derivative of the score
/// (Newton), or its expectation, minus the Fisher information (Fisher scoring, metafor's
/// algorithm).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slope {
    Exact,
    Expected,
}

/// The estimating function of an iterative `method` at moments `m` of a fit with `df = k − p`
/// residual degrees of freedom: the REML or ML score (without the factor ½), or
/// `y'Py − (k − p)` for PM and EB; with its slope and the magnitude of the terms whose
/// difference it is, as [`solve_decreasing`] takes them. (The closed forms are not solved:
/// see `raw` in their files.)
pub(crate) fn equation(method: Tau2Method, m: &Moments, df: f64, slope: Slope) -> (f64, f64, f64) {
    match method {
        Tau2Method::REML => reml::score(m, slope),
        Tau2Method::ML => ml::score(m, slope),
        _ => pm::equation(m, df),
    }
}

/// The studies of the intercept-only model: effects `y` with variances `v`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Studies<'a> {
    pub y: &'a [f64],
    pub v: &'a [f64],
}

impl Sums for Studies<'_> {
    fn k(&self) -> usize {
        self.y.len()
    }
    fn p(&self) -> usize {
        1
    }
    fn at(&self, tau2: f64) -> Moments {
        let s = sums(self.y, self.v, tau2);
        let p2 = s.sw2 / s.sw;
        Moments {
            ypy: s.q,
            yppy: s.sw2r2,
            d_yppy: -2.0 * s.sw3r2 + 2.0 * s.sw2r * s.sw2r / s.sw,
            tr_p: s.tr_p,
            tr_pp: s.sw2 - 2.0 * s.sw3 / s.sw + p2 * p2,
            sw: s.sw,
            sw2: s.sw2,
        }
    }
    fn ss(&self) -> f64 {
        unweighted(self.y).1
    }
    fn ols(&self) -> (f64, f64) {
        (self.ss(), self.v.iter().sum::<f64>() / self.y.len() as f64)
    }
    fn v_range(&self) -> (f64, f64) {
        v_range(self.v)
    }
    fn value_at(&self, method: Tau2Method, tau2: f64, df: f64) -> f64 {
        // The REML score `y'PPy − tr(P)` and the ML score `y'PPy − Σw` from the three sums
        // they need, accumulated as [`sums`] accumulates them.
        if !matches!(method, Tau2Method::REML | Tau2Method::ML) {
            return equation(method, &self.at(tau2), df, Slope::Exact).0;
        }
        // The weights are kept for the second pass when they fit on the stack.
        let mut kept = [0.0; 32];
        let keep = self.y.len() <= kept.len();
        let (mut sw, mut swy, mut pairs) = (0.0, 0.0, 0.0);
        for (i, (&yi, &vi)) in self.y.iter().zip(self.v).enumerate() {
            let w = 1.0 / (vi + tau2);
            if keep {
                kept[i] = w;
            }
            pairs += w * sw;
            sw += w;
            swy += w * yi;
        }
        let mu = swy / sw;
        let mut sw2r2 = 0.0;
        for (i, (&yi, &vi)) in self.y.iter().zip(self.v).enumerate() {
            let w = if keep { kept[i] } else { 1.0 / (vi + tau2) };
            let r = yi - mu;
            sw2r2 += w * w * r * r;
        }
        match method {
            Tau2Method::REML => sw2r2 - 2.0 * pairs / sw,
            _ => sw2r2 - sw,
        }
    }
    fn log_terms(&self, tau2: f64) -> LogTerms {
        let s = sums(self.y, self.v, tau2);
        LogTerms {
            sum_log_v: self.v.iter().map(|vi| (vi + tau2).ln()).sum(),
            log_det: s.sw.ln(),
            ypy: s.q,
        }
    }
}

/// The smallest and largest of `v`.
pub(crate) fn v_range(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)))
}

/// Sums of the inverse-variance fit at a given τ²: `Σw`, `μ = Σwy/Σw`, the generalised
/// `Q(τ²) = Σw(y-μ)²`, `Σw²`, `Σw²(y-μ)²` and `Σw³`, with `w = 1/(v + τ²)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SumsAt {
    /// Σw³(y-μ)².
    pub sw3r2: f64,
    /// Σw²(y-μ).
    pub sw2r: f64,
    /// tr(P) = Σw − Σw²/Σw, computed as 2Σ_{i<j} w_i w_j / Σw (no cancellation).
    pub tr_p: f64,
    pub sw: f64,
    #[allow(dead_code)]
    pub mu: f64,
    pub q: f64,
    pub sw2: f64,
    pub sw2r2: f64,
    pub sw3: f64,
}

pub(crate) fn sums(y: &[f64], v: &[f64], tau2: f64) -> SumsAt {
    let (mut sw, mut swy, mut sw2, mut sw3, mut pairs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (&yi, &vi) in y.iter().zip(v) {
        let w = 1.0 / (vi + tau2);
        pairs += w * sw;
        sw += w;
        swy += w * yi;
        sw2 += w * w;
        sw3 += w * w * w;
    }
    let mu = swy / sw;
    let (mut q, mut sw2r2, mut sw3r2, mut sw2r) = (0.0, 0.0, 0.0, 0.0);
    for (&yi, &vi) in y.iter().zip(v) {
        let w = 1.0 / (vi + tau2);
        let r = yi - mu;
        q += w * r * r;
        sw2r2 += w * w * r * r;
        sw3r2 += w * w * w * r * r;
        sw2r += w * w * r;
    }
    SumsAt {
        sw3r2,
        sw2r,
        tr_p: 2.0 * pairs / sw,
        sw,
        mu,
        q,
        sw2,
        sw2r2,
        sw3,
    }
}

/// `Σw - Σw²/Σw`, computed as `2 Σ_{i<j} w_i w_j / Σw`: a sum of positive terms, so
/// that it stays accurate when one weight dominates (where the direct difference cancels).
pub(crate) fn trace_p(w: impl Iterator<Item = f64>) -> f64 {
    let (mut pairs, mut prefix) = (0.0, 0.0);
    for wi in w {
        pairs += wi * prefix;
        prefix += wi;
    }
    2.0 * pairs / prefix
}

/// Unweighted mean and sum of squared deviations of `y`.
pub(crate) fn unweighted(y: &[f64]) -> (f64, f64) {
    let k = y.len() as f64;
    let mean = y.iter().sum::<f64>() / k;
    (mean, y.iter().map(|&yi| (yi - mean) * (yi - mean)).sum())
}

/// Solves `f(τ²) = 0` on `τ² > 0` for an estimating function that is positive at 0 and
/// negative for large τ², by Newton (Fisher scoring) steps `τ² - f/f'` kept inside a
/// bracket that is narrowed at every step, with bisection whenever a step would leave the
/// bracket or Newton's steps stop shrinking (as in rtsafe). This converges wherever the plain
/// Fisher scoring of metafor converges and also where it fails (steps that overshoot, very
/// flat likelihoods, a root next to 0).
///
/// `f` returns the value, an approximation of the (negative) slope, and the magnitude of
/// the terms whose difference the value is (the solver stops when the value is below
/// 1e-12 of it: rounding noise). `start` is a first guess and `scale` a typical size of τ²
/// for the search of the upper bracket.
pub(crate) fn solve_decreasing(
    method: Tau2Method,
    f: impl Fn(f64) -> (f64, f64, f64),
    start: f64,
    scale: f64,
    observer: &mut impl Observer,
) -> Result<(f64, usize), NotConverged> {
    let mut iterations = 0;
    let fail = |iterations| NotConverged { method, iterations };
    // Bracket: f(lo) > 0, f(hi) < 0.
    let mut lo = 0.0;
    let mut hi = start.max(scale).max(1e-300);
    let (mut fhi, _, _) = f(hi);
    while fhi > 0.0 {
        iterations += 1;
        if iterations > 2000 || !hi.is_finite() {
            return Err(fail(iterations));
        }
        lo = hi;
        hi *= 4.0;
        fhi = f(hi).0;
    }
    if fhi == 0.0 {
        return Ok((hi, iterations));
    }
    let start = Some(start).filter(|&s| s > lo && s < hi);
    solve_in_bracket(method, &f, lo, hi, start, iterations, observer)
}

/// Solves `f(τ²) = 0` inside `[lo, hi]`, where `f(lo) > 0 ≥ f(hi)`, from `start` (or the
/// midpoint): Newton steps `τ² − f/f'` while they stay inside the bracket and shrink, bisection
/// otherwise (as in rtsafe). `iterations` counts steps already taken; `observer` is told
/// every step.
pub(crate) fn solve_in_bracket(
    method: Tau2Method,
    f: &impl Fn(f64) -> (f64, f64, f64),
    mut lo: f64,
    mut hi: f64,
    start: Option<f64>,
    mut iterations: usize,
    observer: &mut impl Observer,
) -> Result<(f64, usize), NotConverged> {
    const MAX_ITER: usize = 1000;
    let fail = |iterations| NotConverged { method, iterations };
    let mut x = start.unwrap_or(0.5 * (lo + hi));
    // The step before the last (rtsafe's `dxold`): Newton is taken only while its steps
    // shrink at least by half every two steps; otherwise the bracket is bisected.
    let (mut step_old, mut step) = (f64::INFINITY, f64::INFINITY);
    loop {
        iterations += 1;
        if iterations > MAX_ITER {
            return Err(fail(iterations));
        }
        let (fx, slope, magnitude) = f(x);
        if !fx.is_finite() {
            return Err(fail(iterations));
        }
        observer.step(Step { tau2: x, value: fx });
        if fx.abs() <= 1e-12 * magnitude {
            return Ok((x, iterations));
        }
        if fx > 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let width = hi - lo;
        let newton = if slope < 0.0 && slope.is_finite() {
            x - fx / slope
        } else {
            f64::NAN
        };
        let stalled = (newton - x).abs() > 0.5 * step_old;
        let next = if !stalled && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        step_old = step;
        step = (next - x).abs();
        if (next - x).abs() <= 1e-12 * next.abs().max(1e-300) || width <= 1e-15 * hi {
            return Ok((next, iterations));
        }
        x = next;
    }
}
