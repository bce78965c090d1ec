//! Hedges (unweighted method of moments) estimator of τ².
//!
//! # Formula
//! ```text
//! ȳ  = Σ y / k
//! τ² = max(0, Σ (y - ȳ)² / (k - 1) - Σ v / k)
//! ```
//! (metafor: `(RSS - tr(PV)) / (k - p)` with the unweighted projection `P`; for the
//! intercept-only model `tr(PV) = (k - 1) Σv / k`.)
//!
//! # References
//! - Hedges LV (1983). A random effects model for effect sizes. Psychol Bull 93:388–395.
//! - Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis. Academic Press.
//! - metafor `rma(method = "HE")`.

use super::{closed, Studies, Sums, Tau2Fit};

/// Hedges estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Tau2Fit {
    closed(raw(&Studies { y, v }))
}

/// The untruncated estimate `RSS/(k − p) − tr(PV)/(k − p)` of the unweighted fit whose sums
/// are `sums` (for the intercept-only model `Σ(y − ȳ)²/(k − 1) − Σv/k`).
pub(crate) fn raw(sums: &impl Sums) -> f64 {
    let (rss, mean_v) = sums.ols();
    rss / (sums.k() - sums.p()) as f64 - mean_v
}
