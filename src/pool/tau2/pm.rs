//! Paule–Mandel estimator of τ².
//!
//! # Formula
//! τ² is the root of the generalised Q statistic set equal to its expectation:
//! ```text
//! w(τ²) = 1 / (v + τ²),   μ̂(τ²) = Σ w y / Σ w
//! Q(τ²) = Σ w (y - μ̂)² = k - 1
//! ```
//! `Q(τ²)` decreases in τ²; when `Q(0) ≤ k - 1` the estimate is 0. The root is found with
//! safeguarded Newton steps (`dQ/dτ² = -Σ w² (y - μ̂)²`) inside a shrinking bracket.
//!
//! # References
//! - Paule RC, Mandel J (1982). Consensus values and weighting factors. J Res Natl Bur
//!   Stand 87:377–385.
//! - Veroniki AA et al. (2016). Methods to estimate the between-study variance and its
//!   uncertainty in meta-analysis. Res Synth Methods 7:55–79.
//! - Cochrane Handbook, version 6.4 (2023), section 10.10.4.1; metafor `rma(method = "PM")`.

use super::{
    he, solve_decreasing, Moments, NotConverged, Observer, Quiet, Studies, Sums, Tau2Fit,
    Tau2Method,
};

/// Paule–Mandel estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_sums(Tau2Method::PM, &Studies { y, v }, None, &mut Quiet)
}

/// As [`estimate`], starting the iteration at `start`.
pub fn estimate_from(y: &[f64], v: &[f64], start: Option<f64>) -> Result<Tau2Fit, NotConverged> {
    estimate_sums(Tau2Method::PM, &Studies { y, v }, start, &mut Quiet)
}

/// The estimating function `Q(τ²) − (k − p)` at moments `m` (`Q = y'Py`, with moderators
/// the residual `Q`), its derivative `−y'PPy` and the size of its terms; `df = k − p`.
pub(crate) fn equation(m: &Moments, df: f64) -> (f64, f64, f64) {
    (m.ypy - df, -m.yppy, m.ypy.max(df))
}

/// Solves `Q(τ²) = k − p` for τ² ≥ 0 (`method` PM, or EB, whose estimating equation has the
/// same root), starting at `start` (when positive) or at the Hedges estimate, with the
/// spread of the effects (`Σ(y − ȳ)²/k`) as the scale of the search for a bracket.
pub(crate) fn estimate_sums(
    method: Tau2Method,
    sums: &impl Sums,
    start: Option<f64>,
    observer: &mut impl Observer,
) -> Result<Tau2Fit, NotConverged> {
    let start = start
        .filter(|s| *s > 0.0)
        .unwrap_or_else(|| he::raw(sums).max(0.0));
    let scale = sums.ss() / sums.k() as f64;
    solve(method, sums, start, scale, observer)
}

/// Solves `Q(τ²) = k − p` from `start`, with `scale` a typical size of τ²: 0 when
/// `Q(0) ≤ k − p` (`Q` decreases in τ²), else the root by [`solve_decreasing`].
pub(crate) fn solve(
    method: Tau2Method,
    sums: &impl Sums,
    start: f64,
    scale: f64,
    observer: &mut impl Observer,
) -> Result<Tau2Fit, NotConverged> {
    let df = (sums.k() - sums.p()) as f64;
    if equation(&sums.at(0.0), df).0 <= 0.0 {
        return Ok(Tau2Fit {
            tau2: 0.0,
            iterations: Some(0),
            truncated: true,
            other: None,
        });
    }
    let f = |t: f64| equation(&sums.at(t), df);
    let (tau2, iterations) = solve_decreasing(method, f, start, scale, observer)?;
    Ok(Tau2Fit {
        tau2,
        iterations: Some(iterations),
        truncated: false,
        other: None,
    })
}
