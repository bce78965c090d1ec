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

use super::{sums, Tau2Fit};

/// Hunter–Schmidt estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Tau2Fit {
    let s = sums(y, v, 0.0);
    let k = y.len() as f64;
    let raw = (s.q - k) / s.sw;
    Tau2Fit {
        tau2: raw.max(0.0),
        iterations: None,
        truncated: raw < 0.0,
        other: None,
    }
}
