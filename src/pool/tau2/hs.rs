//! Hunter–Schmidt estimator of τ².
//!
//! # Formula
//! ```text
//! w  = 1 / v
//! Q  = Σ w (y - μ̂)²,  μ̂ = Σ w y / Σ w
//! τ² = max(0, (Q - k) / Σ w)
//! ```
//!
//! # References
//! - Hunter JE, Schmidt FL (2004). Methods of Meta-Analysis, 2nd ed. Sage.
//! - Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
//!   random-effects model. J Educ Behav Stat 30:261–293.
//! - metafor `rma(method = "HS")`.

use super::{closed, Studies, Sums, Tau2Fit};

/// Hunter–Schmidt estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Tau2Fit {
    closed(raw(&Studies { y, v }))
}

/// The untruncated estimate `(Q − k) / Σw` at τ² = 0 of the fit whose sums are `sums` (with
/// moderators `Q = y'Py`, the residual Q).
pub(crate) fn raw(sums: &impl Sums) -> f64 {
    let m = sums.at(0.0);
    (m.ypy - sums.k() as f64) / m.sw
}
