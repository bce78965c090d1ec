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
//! The same equation, with `w`, `P` and `μ̂` of the fit at hand, serves the intercept-only
//! model, meta-regression (the score `y'PPy − Σw`, its derivative `−2y'PPPy + Σw²`) and
//! leave-one-out, through `tau2::Sums`.
//!
//! # References
//! - Hardy RJ, Thompson SG (1996). A likelihood approach to meta-analysis with random
//!   effects. Stat Med 15:619–629.
//! - Viechtbauer W (2005). J Educ Behav Stat 30:261–293.
//! - metafor `rma(method = "ML")`.

use super::{
    global, Moments, NotConverged, Observer, Quiet, Slope, Studies, Sums, Tau2Fit, Tau2Method,
};

/// ML estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_from(y, v, None)
}

/// The log-likelihood `ℓ(τ²)` of the module documentation, without its constant.
pub fn loglik(y: &[f64], v: &[f64], tau2: f64) -> f64 {
    global::loglik(false, Studies { y, v }.log_terms(tau2))
}

/// The score `S(τ²)` (without the factor ½) `y'PPy − Σw`, its slope (the exact derivative
/// `−2y'PPPy + Σw²`, or minus the Fisher information `−Σw²`) and the size of its terms.
pub(crate) fn score(m: &Moments, slope: Slope) -> (f64, f64, f64) {
    let slope = match slope {
        Slope::Exact => m.d_yppy + m.sw2,
        Slope::Expected => -m.sw2,
    };
    (m.yppy - m.sw, slope, m.yppy.max(m.sw))
}

/// As [`estimate`], with `start` (e.g. a nearby estimate) as the first guess inside the
/// bracket that contains it. The estimate is the global maximum of `ℓ` over τ² ≥ 0 either
/// way (see [`super::global`]).
pub fn estimate_from(y: &[f64], v: &[f64], start: Option<f64>) -> Result<Tau2Fit, NotConverged> {
    estimate_sums(&Studies { y, v }, start, &mut Quiet)
}

/// The ML estimate of the fit whose sums are `sums`, by Newton steps on the exact score.
pub(crate) fn estimate_sums(
    sums: &impl Sums,
    start: Option<f64>,
    observer: &mut impl Observer,
) -> Result<Tau2Fit, NotConverged> {
    Ok(global::estimate(Tau2Method::ML, sums, Slope::Exact, start, observer)?.fit())
}
