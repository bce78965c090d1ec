//! Log risk ratio of a 2×2 table.
//!
//! # Formula
//! ```text
//! yi = ln( (a / n1) / (c / n2) )
//! vi = 1/a - 1/n1 + 1/c - 1/n2
//! ```
//! where `a`, `c` are the events and `n1`, `n2` the totals of the treatment and control arm.
//!
//! # References
//! - Cochrane Handbook, version 6.4 (2023), section 6.4.1.2 (risk ratio) and RevMan 5
//!   "Statistical methods" (Deeks & Higgins 2010), formula for SE{ln(RR)}.
//! - metafor `escalc(measure = "RR")`.

use super::zero_cell::Table;
use super::{EffectError, Measure};

/// Log risk ratio and its variance (see the module documentation).
///
/// # Examples
/// ```
/// use repool::effect::{rr::log_risk_ratio, zero_cell::Table};
/// let (yi, vi) = log_risk_ratio(&Table::from_arms(4.0, 123.0, 11.0, 139.0)).unwrap();
/// assert!((yi - (-0.889311333920205)).abs() < 1e-12);
/// assert!((vi - 0.325584765003961).abs() < 1e-12);
/// ```
pub fn log_risk_ratio(t: &Table) -> Result<(f64, f64), EffectError> {
    if t.a == 0.0 || t.c == 0.0 {
        return Err(EffectError::ZeroCell {
            measure: Measure::LogRiskRatio,
            detail: if t.a == 0.0 {
                "no events in the treatment arm".into()
            } else {
                "no events in the control arm".into()
            },
        });
    }
    let (n1, n2) = (t.n1(), t.n2());
    let yi = ((t.a / n1) / (t.c / n2)).ln();
    let vi = 1.0 / t.a - 1.0 / n1 + 1.0 / t.c - 1.0 / n2;
    Ok((yi, vi))
}
