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

use super::{he, solve_decreasing, sums, unweighted, NotConverged, Tau2Fit, Tau2Method};

/// Paule–Mandel estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    solve_q_equation(Tau2Method::PM, y, v, None)
}

/// As [`estimate`], starting the iteration at `start`.
pub fn estimate_from(y: &[f64], v: &[f64], start: Option<f64>) -> Result<Tau2Fit, NotConverged> {
    solve_q_equation(Tau2Method::PM, y, v, start)
}

/// Solves `Q(τ²) = k - 1` for τ² ≥ 0 (shared with the empirical Bayes estimator, whose
/// estimating equation has the same root).
pub(crate) fn solve_q_equation(
    method: Tau2Method,
    y: &[f64],
    v: &[f64],
    start: Option<f64>,
) -> Result<Tau2Fit, NotConverged> {
    let target = y.len() as f64 - 1.0;
    let at_zero = sums(y, v, 0.0);
    if at_zero.q <= target {
        return Ok(Tau2Fit {
            tau2: 0.0,
            iterations: Some(0),
            truncated: true,
            other: None,
        });
    }
    let f = |t: f64| {
        let s = sums(y, v, t);
        (s.q - target, -s.sw2r2, s.q.max(target))
    };
    let start = start
        .filter(|s| *s > 0.0)
        .unwrap_or_else(|| he::estimate(y, v).tau2);
    let (_, ss) = unweighted(y);
    let scale = ss / y.len() as f64;
    let (tau2, iterations) = solve_decreasing(method, f, start, scale)?;
    Ok(Tau2Fit {
        tau2,
        iterations: Some(iterations),
        truncated: false,
        other: None,
    })
}
