//! Sensitivity analyses: leave-one-out and cumulative meta-analysis, each pool fitted
//! with the same configuration as the full analysis.
//!
//! # References
//! - Viechtbauer W, Cheung MWL (2010). Outlier and influence diagnostics for meta-analysis.
//!   Res Synth Methods 1:112–125 (leave-one-out).
//! - Lau J, Antman EM, Jimenez-Silva J, Kupelnick B, Mosteller F, Chalmers TC (1992).
//!   Cumulative meta-analysis of therapeutic trials for myocardial infarction. N Engl J Med
//!   327:248–254.
//! - metafor `leave1out()` and `cumul()`.

use super::{pool, PoolConfig, PoolError, PooledEstimate};
use crate::Study;

/// The pool without each study in turn: `(label of the omitted study, result)`.
///
/// # Examples
/// ```
/// use repool::effect::StudyData;
/// use repool::pool::{sensitivity::leave_one_out, CiMethod, CommonMethod, I2Method, Model, PiMethod, PoolConfig, Tau2Method};
/// use repool::{Measure, Study};
/// let s: Vec<Study> = [(0.1, 0.01), (0.5, 0.02), (0.3, 0.04)].iter().enumerate()
///     .map(|(i, &(yi, vi))| Study::new(format!("s{i}"), StudyData::Effect { yi, vi })).collect();
/// let c = PoolConfig { measure: Measure::Generic, model: Model::Fixed, method: CommonMethod::IV,
///     tau2_method: Tau2Method::DL, ci: CiMethod::Z, level: 0.95, pi: PiMethod::Metafor,
///     i2: I2Method::Tau2, effect: Default::default() };
/// let loo = leave_one_out(&s, &c);
/// assert_eq!(loo.len(), 3);
/// // Without s0 the common effect is (0.5/0.02 + 0.3/0.04) / (1/0.02 + 1/0.04).
/// assert!((loo[0].1.as_ref().unwrap().estimate - (25.0 + 7.5) / 75.0).abs() < 1e-12);
/// ```
pub fn leave_one_out(
    studies: &[Study],
    config: &PoolConfig,
) -> Vec<(String, Result<PooledEstimate, PoolError>)> {
    (0..studies.len())
        .map(|i| {
            let rest: Vec<Study> = studies
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, s)| s.clone())
                .collect();
            (studies[i].label.clone(), pool(&rest, config))
        })
        .collect()
}

/// The pool of the first 1, 2, … k studies in the given order: `(label of the study
/// added, result)`.
pub fn cumulative(
    studies: &[Study],
    config: &PoolConfig,
) -> Vec<(String, Result<PooledEstimate, PoolError>)> {
    (1..=studies.len())
        .map(|n| (studies[n - 1].label.clone(), pool(&studies[..n], config)))
        .collect()
}
