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

use super::{unweighted, Tau2Fit};

/// Hedges estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Tau2Fit {
    let k = y.len() as f64;
    let (_, ss) = unweighted(y);
    let raw = ss / (k - 1.0) - v.iter().sum::<f64>() / k;
    Tau2Fit {
        tau2: raw.max(0.0),
        iterations: None,
        truncated: raw < 0.0,
        other: None,
    }
}
