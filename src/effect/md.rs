//! Mean difference of two arms.
//!
//! # Formula
//! ```text
//! yi = m1 - m2
//! vi = sd1² / n1 + sd2² / n2                         (unequal variances, the default)
//! vi = sp² (1/n1 + 1/n2),                            (equal variances, pooled SD)
//!      sp² = ((n1 - 1) sd1² + (n2 - 1) sd2²) / (n1 + n2 - 2)
//! ```
//!
//! # References
//! - Cochrane Handbook, version 6.4 (2023), section 6.5.1.1 (mean difference; RevMan uses the
//!   unequal-variance form).
//! - Borenstein M, Hedges LV, Higgins JPT, Rothstein HR. Introduction to Meta-Analysis. Wiley
//!   2009, section 4.2, equations 4.2–4.5 (both forms; the pooled form when the two population
//!   SDs are assumed equal).
//! - metafor `escalc(measure = "MD")`: default `vtype = "LS"` (unequal variances), `vtype =
//!   "HO"` the pooled (homoscedastic) form.

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

/// Mean difference and its variance from the pooled SD of both arms (equal population
/// variances; metafor `vtype = "HO"`; see the module documentation).
///
/// # Examples
/// ```
/// let (yi, vi) = repool::effect::md::mean_difference_pooled(55.0, 47.0, 155.0, 75.0, 64.0, 156.0);
/// assert_eq!(yi, -20.0);
/// let sp2 = (154.0 * 47.0f64.powi(2) + 155.0 * 64.0f64.powi(2)) / 309.0;
/// assert!((vi - sp2 * (1.0 / 155.0 + 1.0 / 156.0)).abs() < 1e-12);
/// ```
pub fn mean_difference_pooled(
    m1: f64,
    sd1: f64,
    n1: f64,
    m2: f64,
    sd2: f64,
    n2: f64,
) -> (f64, f64) {
    (
        m1 - m2,
        pooled_variance(sd1, n1, sd2, n2) * (1.0 / n1 + 1.0 / n2),
    )
}

/// The pooled within-group variance of two arms, `((n1 − 1) sd1² + (n2 − 1) sd2²) / (n1 + n2 −
/// 2)` (its square root is the SD that standardises Hedges' g).
pub fn pooled_variance(sd1: f64, n1: f64, sd2: f64, n2: f64) -> f64 {
    ((n1 - 1.0) * sd1 * sd1 + (n2 - 1.0) * sd2 * sd2) / (n1 + n2 - 2.0)
}
