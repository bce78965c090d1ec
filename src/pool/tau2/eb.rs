//! Empirical Bayes (Morris) estimator of τ².
//!
//! # Formula
//! Morris's estimating equation, which metafor iterates as
//! `τ² ← τ² + (Q(τ²) k/(k-1) - k) / Σ w`:
//! ```text
//! τ² = Σ w [ k/(k-1) (y - μ̂)² - v ] / Σ w,     w = 1 / (v + τ²)
//! ```
//! Multiplying out, `k/(k-1) Σ w (y - μ̂)² = Σ w (v + τ²) = k`, i.e. `Q(τ²) = k - 1`: the
//! root is the Paule–Mandel estimate, and it is computed by the same safeguarded solver.
//!
//! # References
//! - Morris CN (1983). Parametric empirical Bayes inference: theory and applications.
//!   J Am Stat Assoc 78:47–55.
//! - Berkey CS, Hoaglin DC, Mosteller F, Colditz GA (1995). A random-effects regression
//!   model for meta-analysis. Stat Med 14:395–411.
//! - Viechtbauer W, López-López JA, Sánchez-Meca J, Marín-Martínez F (2015). A comparison of
//!   procedures to test for moderators in mixed-effects meta-regression models. Psychol
//!   Methods 20:360–374 (equivalence of EB and PM).
//! - metafor `rma(method = "EB")`.

use super::{pm, NotConverged, Observer, Quiet, Studies, Sums, Tau2Fit, Tau2Method};

/// Empirical Bayes estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Result<Tau2Fit, NotConverged> {
    estimate_sums(&Studies { y, v }, &mut Quiet)
}

/// The empirical Bayes estimate of the fit whose sums are `sums`: the root of
/// `Q(τ²) = k − p`, solved as [`pm::estimate_sums`] solves it.
pub(crate) fn estimate_sums(
    sums: &impl Sums,
    observer: &mut impl Observer,
) -> Result<Tau2Fit, NotConverged> {
    pm::estimate_sums(Tau2Method::EB, sums, None, observer)
}
