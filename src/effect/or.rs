//! Log odds ratio of a 2×2 table.
//!
//! # Formula
//! ```text
//! yi = ln( (a d) / (b c) )
//! vi = 1/a + 1/b + 1/c + 1/d
//! ```
//! (Woolf's variance), with `a`, `b` the events and non-events of the treatment arm and
//! `c`, `d` those of the control arm.
//!
//! # References
//! - Woolf B (1955). On estimating the relation between blood group and disease.
//!   Ann Hum Genet 19:251–253.
//! - Cochrane Handbook, version 6.4 (2023), section 6.4.1.2; metafor `escalc(measure = "OR")`.

use super::zero_cell::Table;
use super::{EffectError, Measure};

/// Log odds ratio and its variance (see the module documentation).
///
/// # Examples
/// ```
/// use repool::effect::{or::log_odds_ratio, zero_cell::Table};
/// let (yi, vi) = log_odds_ratio(&Table::from_arms(4.0, 123.0, 11.0, 139.0)).unwrap();
/// assert!((yi - (4.0_f64 * 128.0 / (119.0 * 11.0)).ln()).abs() < 1e-12);
/// ```
pub fn log_odds_ratio(t: &Table) -> Result<(f64, f64), EffectError> {
    for (v, what) in [
        (t.a, "no events in the treatment arm"),
        (t.b, "only events in the treatment arm"),
        (t.c, "no events in the control arm"),
        (t.d, "only events in the control arm"),
    ] {
        if v == 0.0 {
            return Err(EffectError::ZeroCell {
                measure: Measure::LogOddsRatio,
                detail: what.into(),
            });
        }
    }
    let yi = ((t.a * t.d) / (t.b * t.c)).ln();
    let vi = 1.0 / t.a + 1.0 / t.b + 1.0 / t.c + 1.0 / t.d;
    Ok((yi, vi))
}
