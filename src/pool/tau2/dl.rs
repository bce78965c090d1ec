//! DerSimonian–Laird (method of moments) estimator of τ².
//!
//! # Formula
//! ```text
//! w  = 1 / v
//! μ̂  = Σ w y / Σ w
//! Q  = Σ w (y - μ̂)²
//! τ² = max(0, (Q - (k - 1)) / (Σ w - Σ w² / Σ w))
//! ```
//!
//! # References
//! - DerSimonian R, Laird N (1986). Meta-analysis in clinical trials. Control Clin
//!   Trials 7:177–188.
//! - Cochrane Handbook, version 6.4 (2023), section 10.10.4.1; metafor `rma(method = "DL")`.

use super::{sums, trace_p, Tau2Fit};

/// DerSimonian–Laird estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Tau2Fit {
    let s = sums(y, v, 0.0);
    let k = y.len() as f64;
    let c = trace_p(v.iter().map(|vi| 1.0 / vi));
    let raw = (s.q - (k - 1.0)) / c;
    Tau2Fit {
        tau2: raw.max(0.0),
        iterations: None,
        truncated: raw < 0.0,
        other: None,
    }
}
