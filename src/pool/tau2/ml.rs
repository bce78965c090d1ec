//! Maximum-likelihood (ML) estimator of τ².
//!
//! # Formula
//! With `w = 1/(v + τ²)` and `μ̂ = Σwy/Σw`, the log-likelihood is
//! ```text
//! ℓ(τ²) = -½ [ Σ ln(v + τ²) + Σ w (y - μ̂)² ] + const
//! S(τ²) = ½ [ Σ w² (y - μ̂)² - Σ w ]            score
//! I(τ²) = ½ Σ w²                               Fisher information
//! ```
//! The estimate is the global maximum of `ℓ` over τ² ≥ 0: every root of `S` is found from a
//! scan of its sign ([`super::global`]) and solved by Newton steps with the exact derivative
//! `dS/dτ² ∝ −2Σw³(y−μ̂)² + 2(Σw²(y−μ̂))²/Σw + Σw²` (metafor: Fisher scoring, the expected
//! derivative) kept inside a shrinking bracket (bisection when a step would leave it or stops
//! shrinking); the root (or τ² = 0) with the largest `ℓ` is the estimate.
//!
//! # References
//! - Hardy RJ, Thompson SG (1996). A likelihood approach to meta-analysis with random
//!   effects. Stat Med 15:619–629.
//! - Viechtbauer W (2005). J Educ Behav Stat 30:261–293.
//! - metafor `rma(method = "ML")`.

use super::global::{grid_intercept, maximise, scan};
use super::{sums, NotConverged, Tau2Fit, Tau2Method};

/// ML estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_from(y, v, None)
}

/// The log-likelihood `ℓ(τ²)` of the module documentation, without its constant.
pub fn loglik(y: &[f64], v: &[f64], tau2: f64) -> f64 {
    let s = sums(y, v, tau2);
    let logs: f64 = v.iter().map(|vi| (vi + tau2).ln()).sum();
    -0.5 * (logs + s.q)
}

/// The score `S(τ²)` (without the factor ½), its exact derivative and the size of its terms.
pub(crate) fn score(y: &[f64], v: &[f64], t: f64) -> (f64, f64, f64) {
    let s = sums(y, v, t);
    (
        s.sw2r2 - s.sw,
        -2.0 * s.sw3r2 + 2.0 * s.sw2r * s.sw2r / s.sw + s.sw2,
        s.sw2r2.max(s.sw),
    )
}

/// As [`estimate`], with `start` (e.g. a nearby estimate) as the first guess inside the
/// bracket that contains it. The estimate is the global maximum of `ℓ` over τ² ≥ 0 either
/// way (see [`super::global`]).
pub fn estimate_from(y: &[f64], v: &[f64], start: Option<f64>) -> Result<Tau2Fit, NotConverged> {
    let f = |t: f64| score(y, v, t);
    let grid = grid_intercept(y, v, false);
    let values = scan(&grid, &f);
    let max = maximise(
        Tau2Method::ML,
        &grid,
        &values,
        &f,
        &|t| loglik(y, v, t),
        start,
    )?;
    Ok(Tau2Fit {
        tau2: max.tau2,
        iterations: Some(max.iterations),
        truncated: max.tau2 == 0.0,
        other: max.other,
    })
}
