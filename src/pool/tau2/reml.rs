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
//! The estimate solves `S = 0` on τ² ≥ 0 (0 when `S(0) ≤ 0`). Newton steps with the exact
//! derivative `dS/dτ² ∝ −2Σw³(y−μ̂)² + 2(Σw²(y−μ̂))²/Σw + tr(PP)` (metafor uses the
//! expected one, Fisher scoring) are taken inside a bracket that shrinks at every step, with
//! bisection when a step would leave it or stops shrinking, so the solution is found also
//! where plain Fisher scoring fails to converge.
//!
//! # References
//! - Harville DA (1977). Maximum likelihood approaches to variance component estimation
//!   and to related problems. J Am Stat Assoc 72:320–338.
//! - Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
//!   random-effects model. J Educ Behav Stat 30:261–293.
//! - metafor `rma(method = "REML")`.

use super::{he, solve_decreasing, sums, unweighted, NotConverged, Tau2Fit, Tau2Method};

/// REML estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_from(y, v, None)
}

/// As [`estimate`], starting the iteration at `start` (e.g. a nearby estimate) instead of
/// the Hedges estimate.
pub fn estimate_from(y: &[f64], v: &[f64], start: Option<f64>) -> Result<Tau2Fit, NotConverged> {
    let score = |t: f64| {
        let s = sums(y, v, t);
        let p2 = s.sw2 / s.sw;
        let tr_p = s.tr_p;
        let tr_pp = s.sw2 - 2.0 * s.sw3 / s.sw + p2 * p2;
        (
            s.sw2r2 - tr_p,
            -2.0 * s.sw3r2 + 2.0 * s.sw2r * s.sw2r / s.sw + tr_pp,
            s.sw2r2.max(tr_p),
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
    let (tau2, iterations) = solve_decreasing(Tau2Method::REML, score, start, ss / y.len() as f64)?;
    Ok(Tau2Fit {
        tau2,
        iterations: Some(iterations),
        truncated: false,
    })
}
