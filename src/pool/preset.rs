//! Presets: another program's settings and rules, so that a pool reproduces that program's
//! published numbers from the same data.
//!
//! - [`Preset::Revman5`] reproduces Review Manager 5: zero cells as RevMan 5 corrects them,
//!   Q around the Mantel–Haenszel, Peto or inverse-variance common-effect estimate,
//!   DerSimonian–Laird τ² from that Q, a z CI, `I² = (Q − df)/Q` and RevMan's approximate
//!   Hedges correction of the SMD. The pooling itself is [`super::revman5`] (Deeks JJ,
//!   Higgins JPT (2010). Statistical algorithms in Review Manager 5).
//! - [`Preset::RevmanWeb`] reproduces RevMan Web's defaults (2025): REML τ², the
//!   Hartung–Knapp–Sidik–Jonkman CI, I² from τ² and metafor's prediction interval (Cochrane
//!   Methods (2025). Random-effects meta-analysis methods in RevMan: REML, Q-profile CI of
//!   τ², HKSJ, prediction intervals, I² from τ²).
//!
//! Presets override the settings they name and keep the others (measure, model,
//! common-effect method, level, zero-cell rule).

use super::revman5::{self, RevmanPoolError};
use super::{CiMethod, I2Method, PiMethod, PoolConfig, PoolError, PooledEstimate, Tau2Method};
use crate::effect::SmdCorrection;
use crate::Study;

/// A program whose settings and rules a pool can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Review Manager 5: its zero-cell rules, Q around the common-effect estimate,
    /// DerSimonian–Laird τ² from that Q, z CI, the Q-based I², RevMan's SMD.
    Revman5,
    /// RevMan Web (2025 defaults): REML τ², HKSJ CI, I² from τ².
    RevmanWeb,
}

impl Preset {
    /// `config` with this program's settings; the measure, model, common-effect method,
    /// level and zero-cell rule are kept.
    ///
    /// # Examples
    /// ```
    /// use repool::pool::{preset::Preset, CiMethod, PoolConfig, Tau2Method};
    /// let config = PoolConfig::metafor(repool::Measure::LogRiskRatio);
    /// let c = Preset::Revman5.apply(config);
    /// assert_eq!(c.tau2_method, Tau2Method::DL);
    /// assert_eq!(c.ci, CiMethod::Z);
    /// ```
    pub fn apply(self, mut config: PoolConfig) -> PoolConfig {
        match self {
            Preset::RevmanWeb => {
                config.tau2_method = Tau2Method::REML;
                config.ci = CiMethod::Hksj;
                config.i2 = I2Method::Tau2;
                config.pi = PiMethod::Metafor;
            }
            Preset::Revman5 => {
                config.tau2_method = Tau2Method::DL;
                config.ci = CiMethod::Z;
                config.i2 = I2Method::Q;
                config.effect.smd_correction = SmdCorrection::Approx;
            }
        }
        config
    }
}

/// Why a pool under a preset failed: the error of [`super::pool`] or of RevMan 5's rules.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PresetError {
    /// The pool itself failed.
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// RevMan 5's rules could not pool the data.
    #[error(transparent)]
    Revman5(#[from] RevmanPoolError),
}

/// Pools `studies` with `config` (already [`Preset::apply`]d), by RevMan 5's rules
/// ([`revman5::pool_config`]) under [`Preset::Revman5`] and by [`super::pool`] otherwise.
pub fn pool(
    preset: Option<Preset>,
    studies: &[Study],
    config: &PoolConfig,
) -> Result<PooledEstimate, PresetError> {
    if preset == Some(Preset::Revman5) {
        return Ok(revman5::pool_config(studies, config)?);
    }
    Ok(super::pool(studies, config)?)
}
