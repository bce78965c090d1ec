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

use super::{sums, unweighted, Tau2Fit};

/// Sidik–Jonkman estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Tau2Fit {
    let k = y.len() as f64;
    let (_, ss) = unweighted(y);
    let tau2_0 = ss / k;
    let s = sums(y, v, tau2_0);
    Tau2Fit {
        tau2: (tau2_0 * s.q / (k - 1.0)).max(0.0),
        iterations: None,
        truncated: false,
        other: None,
    }
}
