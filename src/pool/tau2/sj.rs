//! Sidik–Jonkman estimator of τ².
//!
//! # Formula
//! ```text
//! τ0² = Σ (y - ȳ)² / k                      (ȳ unweighted mean)
//! w   = 1 / (v + τ0²)
//! μ̂   = Σ w y / Σ w
//! τ²  = τ0² Σ w (y - μ̂)² / (k - 1)
//! ```
//! The estimate is never negative; it is 0 only when all effects are equal.
//!
//! # References
//! - Sidik K, Jonkman JN (2005). Simple heterogeneity variance estimation for
//!   meta-analysis. J R Stat Soc C 54:367–384.
//! - metafor `rma(method = "SJ")` (default start value `var(y) (k-1)/k`).

use super::{closed, Studies, Sums, Tau2Fit};

/// Sidik–Jonkman estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Tau2Fit {
    closed(raw(&Studies { y, v }))
}

/// The estimate `τ0² y'Py / (k − p)` at `τ0² = Σ(y − ȳ)²/k` of the fit whose sums are `sums`
/// (with moderators `y'Py` is the residual Q; `τ0²` ignores them, as metafor's start value).
pub(crate) fn raw(sums: &impl Sums) -> f64 {
    let k = sums.k() as f64;
    let t0 = sums.ss() / k;
    t0 * sums.at(t0).ypy / (sums.k() - sums.p()) as f64
}
