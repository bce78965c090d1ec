//! Restricted maximum-likelihood (REML) estimator of τ², metafor's default.
//!
//! # Formula
//! The restricted log-likelihood of the intercept-only model, with `w = 1/(v + τ²)` and
//! `μ̂ = Σwy/Σw`, is
//! ```text
//! ℓR(τ²) = -½ [ Σ ln(v + τ²) + ln Σw + Σ w (y - μ̂)² ] + const
//! ```
//! Its score and Fisher information are
//! ```text
//! S(τ²) = ½ [ Σ w² (y - μ̂)² - tr(P) ],     tr(P)  = Σw - Σw²/Σw
//! I(τ²) = ½ tr(PP),                          tr(PP) = Σw² - 2Σw³/Σw + (Σw²/Σw)²
//! ```
//! The estimate is the global maximum of `ℓR` over τ² ≥ 0: the likelihood can have two
//! maxima, so every root of `S` is found from a scan of its sign ([`super::global`]), each is
//! solved by Newton steps with the exact derivative
//! `dS/dτ² ∝ −2Σw³(y−μ̂)² + 2(Σw²(y−μ̂))²/Σw + tr(PP)` (metafor uses the expected one, Fisher
//! scoring) inside a bracket that shrinks at every step, with bisection when a step would
//! leave it or stops shrinking, and the root (or τ² = 0) with the largest `ℓR` is the
//! estimate. metafor's Fisher scoring finds the maximum nearest its starting value, so it
//! agrees whenever the likelihood has one maximum, and otherwise with
//! `control = list(tau2.init = ...)` started near the global one.
//!
//! # References
//! - Harville DA (1977). Maximum likelihood approaches to variance component estimation
//!   and to related problems. J Am Stat Assoc 72:320–338.
//! - Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
//!   random-effects model. J Educ Behav Stat 30:261–293.
//! - metafor `rma(method = "REML")`.

use super::global::{grid_intercept, maximise, scan};
use super::{sums, NotConverged, Tau2Fit, Tau2Method};

/// REML estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_from(y, v, None)
}

/// The restricted log-likelihood `ℓR(τ²)` of the module documentation, without its constant.
pub fn loglik(y: &[f64], v: &[f64], tau2: f64) -> f64 {
    let s = sums(y, v, tau2);
    let logs: f64 = v.iter().map(|vi| (vi + tau2).ln()).sum();
    -0.5 * (logs + s.sw.ln() + s.q)
}

/// The score `S(τ²)` (without the factor ½), its exact derivative and the size of its terms.
pub(crate) fn score(y: &[f64], v: &[f64], t: f64) -> (f64, f64, f64) {
    let s = sums(y, v, t);
    let p2 = s.sw2 / s.sw;
    let tr_p = s.tr_p;
    let tr_pp = s.sw2 - 2.0 * s.sw3 / s.sw + p2 * p2;
    (
        s.sw2r2 - tr_p,
        -2.0 * s.sw3r2 + 2.0 * s.sw2r * s.sw2r / s.sw + tr_pp,
        s.sw2r2.max(tr_p),
    )
}

/// As [`estimate`], with `start` (e.g. a nearby estimate) as the first guess inside the
/// bracket that contains it. The estimate is the global maximum of `ℓR` over τ² ≥ 0 either
/// way (see [`super::global`]).
pub fn estimate_from(y: &[f64], v: &[f64], start: Option<f64>) -> Result<Tau2Fit, NotConverged> {
    let f = |t: f64| score(y, v, t);
    let grid = grid_intercept(y, v, true);
    let values = scan(&grid, &f);
    let max = maximise(
        Tau2Method::REML,
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
