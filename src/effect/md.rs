//! Mean difference of two arms.
//!
//! # Formula
//! ```text
//! yi = m1 - m2
//! vi = sd1² / n1 + sd2² / n2
//! ```
//!
//! # References
//! - Cochrane Handbook, version 6.4 (2023), section 6.5.1.1 (mean difference).
//! - metafor `escalc(measure = "MD")`, default `vtype = "LS"` (unequal variances).

/// Mean difference and its variance (see the module documentation).
///
/// # Examples
/// ```
/// let (yi, vi) = repool::effect::md::mean_difference(55.0, 47.0, 155.0, 75.0, 64.0, 156.0);
/// assert_eq!(yi, -20.0);
/// assert!((vi - (47.0f64.powi(2) / 155.0 + 64.0f64.powi(2) / 156.0)).abs() < 1e-12);
/// ```
pub fn mean_difference(m1: f64, sd1: f64, n1: f64, m2: f64, sd2: f64, n2: f64) -> (f64, f64) {
    (m1 - m2, sd1 * sd1 / n1 + sd2 * sd2 / n2)
}
