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
//! The same equation, with `w`, `P` and `μ̂` of the fit at hand, serves the intercept-only
//! model, meta-regression (`P = W − WX(X'WX)⁻¹X'W`, the score `y'PPy − tr(P)`, its derivative
//! `−2y'PPPy + tr(PP)`) and leave-one-out, through `tau2::Sums`.
//!
//! # References
//! - Harville DA (1977). Maximum likelihood approaches to variance component estimation
//!   and to related problems. J Am Stat Assoc 72:320–338.
//! - Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
//!   random-effects model. J Educ Behav Stat 30:261–293.
//! - metafor `rma(method = "REML")`.

use super::{
    global, Moments, NotConverged, Observer, Quiet, Slope, Studies, Sums, Tau2Fit, Tau2Method,
};

/// REML estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_from(y, v, None)
}

/// The restricted log-likelihood `ℓR(τ²)` of the module documentation, without its constant.
pub fn loglik(y: &[f64], v: &[f64], tau2: f64) -> f64 {
    global::loglik(true, Studies { y, v }.log_terms(tau2))
}

/// The score `S(τ²)` (without the factor ½) `y'PPy − tr(P)`, its slope (the exact
/// derivative `−2y'PPPy + tr(PP)`, or minus the Fisher information `−tr(PP)`) and the size of
/// its terms.
pub(crate) fn score(m: &Moments, slope: Slope) -> (f64, f64, f64) {
    let slope = match slope {
        Slope::Exact => m.d_yppy + m.tr_pp,
        Slope::Expected => -m.tr_pp,
    };
    (m.yppy - m.tr_p, slope, m.yppy.max(m.tr_p))
}

/// As [`estimate`], with `start` (e.g. a nearby estimate) as the first guess inside the
/// bracket that contains it. The estimate is the global maximum of `ℓR` over τ² ≥ 0 either
/// way (see [`super::global`]).
pub fn estimate_from(y: &[f64], v: &[f64], start: Option<f64>) -> Result<Tau2Fit, NotConverged> {
    estimate_sums(&Studies { y, v }, start, &mut Quiet)
}

/// The REML estimate of the fit whose sums are `sums`, by Newton steps on the exact score.
pub(crate) fn estimate_sums(
    sums: &impl Sums,
    start: Option<f64>,
    observer: &mut impl Observer,
) -> Result<Tau2Fit, NotConverged> {
    Ok(global::estimate(Tau2Method::REML, sums, Slope::Exact, start, observer)?.fit())
}
