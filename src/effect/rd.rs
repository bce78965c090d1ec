//! Risk difference of a 2×2 table.
//!
//! # Formula
//! ```text
//! p1 = a / n1,  p2 = c / n2
//! yi = p1 - p2
//! vi = p1 (1 - p1) / n1 + p2 (1 - p2) / n2
//! ```
//!
//! # References
//! - Cochrane Handbook, version 6.4 (2023), section 6.4.1.2 (risk difference).
//! - metafor `escalc(measure = "RD")` with its default large-sample variance (`vtype = "LS"`).

use super::zero_cell::Table;

/// Risk difference and its variance (see the module documentation). A table with no
/// events in both arms gives variance 0, which [`EffectSize::new`](super::EffectSize::new)
/// rejects unless a continuity correction was added.
///
/// # Examples
/// ```
/// use repool::effect::{rd::risk_difference, zero_cell::Table};
/// let (yi, vi) = risk_difference(&Table::from_arms(10.0, 100.0, 20.0, 100.0));
/// assert!((yi + 0.1).abs() < 1e-15);
/// assert!((vi - (0.1 * 0.9 / 100.0 + 0.2 * 0.8 / 100.0)).abs() < 1e-15);
/// ```
pub fn risk_difference(t: &Table) -> (f64, f64) {
    let (n1, n2) = (t.n1(), t.n2());
    let (p1, p2) = (t.a / n1, t.c / n2);
    (p1 - p2, p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2)
}
