//! Prediction interval for the effect in a new study.
//!
//! # Formula
//! ```text
//! metafor predict() (default):  μ̂ ± c sqrt(SE² + τ²)
//!     c = z(1 - α/2) with the z test, t(k - 1, 1 - α/2) with HKSJ; SE as used for the CI
//! Higgins et al. (2009):        μ̂ ± t(k - 2, 1 - α/2) sqrt(SE² + τ²)     (needs k ≥ 3)
//! ```
//! For a common-effect model the prediction interval equals the confidence interval.
//!
//! # References
//! - Higgins JPT, Thompson SG, Spiegelhalter DJ (2009). A re-evaluation of random-effects
//!   meta-analysis. J R Stat Soc A 172:137–159.
//! - Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects
//!   meta-analyses. BMJ 342:d549.
//! - Cochrane Handbook, version 6.4 (2023), section 10.10.4.3; metafor `predict.rma()`.

/// How the prediction interval is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiMethod {
    /// As metafor's `predict()`: the CI's critical value (z, or t with k - 1 df).
    Metafor,
    /// t with k - 2 df (Higgins, Thompson & Spiegelhalter 2009).
    Higgins,
}

/// Prediction interval `(low, high)` from the estimate, its SE, τ² and a critical value.
pub fn interval(mu: f64, se: f64, tau2: f64, crit: f64) -> (f64, f64) {
    let half = crit * (se * se + tau2).sqrt();
    (mu - half, mu + half)
}
