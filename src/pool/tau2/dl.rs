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

use super::{closed, Studies, Sums, Tau2Fit};

/// DerSimonian–Laird estimate (see the module documentation). Needs `k ≥ 2`.
pub fn estimate(y: &[f64], v: &[f64]) -> Tau2Fit {
    closed(raw(&Studies { y, v }))
}

/// The untruncated estimate `(Q − (k − p)) / tr(P)` at τ² = 0 of the fit whose sums are
/// `sums` (with moderators `Q = y'Py`, the residual Q, and `C = tr(P)`; for the
/// intercept-only model `tr(P) = Σw − Σw²/Σw`, summed without cancellation).
pub(crate) fn raw(sums: &impl Sums) -> f64 {
    let m = sums.at(0.0);
    let df = (sums.k() - sums.p()) as f64;
    (m.ypy - df) / m.tr_p
}
