//! Maximum-likelihood (ML) estimator of τ².
//!
//! # Formula
//! With `w = 1/(v + τ²)` and `μ̂ = Σwy/Σw`, the log-likelihood is
//! ```text
//! ℓ(τ²) = -½ [ Σ ln(v + τ²) + Σ w (y - μ̂)² ] + const
//! S(τ²) = ½ [ Σ w² (y - μ̂)² - Σ w ]            score
//! I(τ²) = ½ Σ w²                               Fisher information
//! ```
//! The estimate solves `S = 0` on τ² ≥ 0 (0 when `S(0) ≤ 0`), by Newton steps with the
//! exact derivative `dS/dτ² ∝ −2Σw³(y−μ̂)² + 2(Σw²(y−μ̂))²/Σw + Σw²` (metafor: Fisher scoring,
//! the expected derivative) kept inside a shrinking bracket (bisection when a step would
//! leave it or stops shrinking).
//!
//! # References
//! - Hardy RJ, Thompson SG (1996). A likelihood approach to meta-analysis with random
//!   effects. Stat Med 15:619–629.
//! - Viechtbauer W (2005). J Educ Behav Stat 30:261–293.
//! - metafor `rma(method = "ML")`.

use super::{he, solve_decreasing, sums, unweighted, NotConverged, Tau2Fit, Tau2Method};

/// ML estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_from(y, v, None)
}

/// As [`estimate`], starting the iteration at `start` (e.g. a nearby estimate) instead of
/// the Hedges estimate.
pub fn estimate_from(y: &[f64], v: &[f64], start: Option<f64>) -> Result<Tau2Fit, NotConverged> {
    let score = |t: f64| {
        let s = sums(y, v, t);
        (
            s.sw2r2 - s.sw,
            -2.0 * s.sw3r2 + 2.0 * s.sw2r * s.sw2r / s.sw + s.sw2,
            s.sw2r2.max(s.sw),
        )
    };
    if score(0.0).0 <= 0.0 {
        return Ok(Tau2Fit {
            tau2: 0.0,
            iterations: Some(0),
            truncated: true,
        });
    }
    let start = start
        .filter(|s| *s > 0.0)
        .unwrap_or_else(|| he::estimate(y, v).tau2);
    let (_, ss) = unweighted(y);
    let (tau2, iterations) = solve_decreasing(Tau2Method::ML, score, start, ss / y.len() as f64)?;
    Ok(Tau2Fit {
        tau2,
        iterations: Some(iterations),
        truncated: false,
    })
}
