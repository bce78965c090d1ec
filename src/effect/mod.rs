//! Effect sizes per study: the measure, the raw data a study brings, and the
//! computation of `(yi, vi)` on the analysis scale (log scale for ratio measures).
//!
//! One measure per file: [`md`], [`smd`], [`rr`], [`or`], [`rd`]; the zero-cell rule
//! for 2×2 tables is in [`zero_cell`].

pub mod combine;
pub mod doubt;
pub mod md;
pub mod or;
pub mod rd;
pub mod rr;
pub mod smd;
pub mod zero_cell;

use std::fmt;

pub use smd::SmdCorrection;
pub use zero_cell::{CcTo, ZeroCellRule};

/// The effect measure of an analysis. Spellings follow metafor's `measure` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Measure {
    /// Mean difference (raw units).
    MeanDifference,
    /// Standardised mean difference (Hedges' g).
    StandardizedMeanDifference,
    /// Log risk ratio.
    LogRiskRatio,
    /// Log odds ratio.
    LogOddsRatio,
    /// Risk difference.
    RiskDifference,
    /// Log hazard ratio (precomputed effects only).
    LogHazardRatio,
    /// A generic effect given as `yi, vi` without a named measure (metafor `"GEN"`).
    Generic,
}

impl Measure {
    /// The metafor code: `MD`, `SMD`, `RR`, `OR`, `RD`, `HR` or `GEN`.
    pub fn code(self) -> &'static str {
        match self {
            Measure::MeanDifference => "MD",
            Measure::StandardizedMeanDifference => "SMD",
            Measure::LogRiskRatio => "RR",
            Measure::LogOddsRatio => "OR",
            Measure::RiskDifference => "RD",
            Measure::LogHazardRatio => "HR",
            Measure::Generic => "GEN",
        }
    }

    /// Parses a metafor code (case-insensitive).
    ///
    /// # Examples
    /// ```
    /// use repool::Measure;
    /// assert_eq!(Measure::from_code("rr"), Some(Measure::LogRiskRatio));
    /// assert_eq!(Measure::from_code("XYZ"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<Measure> {
        Some(match code.to_ascii_uppercase().as_str() {
            "MD" => Measure::MeanDifference,
            "SMD" => Measure::StandardizedMeanDifference,
            "RR" => Measure::LogRiskRatio,
            "OR" => Measure::LogOddsRatio,
            "RD" => Measure::RiskDifference,
            "HR" => Measure::LogHazardRatio,
            "GEN" => Measure::Generic,
            _ => return None,
        })
    }

    /// Whether the measure is a ratio, analysed on the log scale and shown back-transformed.
    pub fn is_ratio(self) -> bool {
        matches!(
            self,
            Measure::LogRiskRatio | Measure::LogOddsRatio | Measure::LogHazardRatio
        )
    }

    /// A readable name, e.g. "log risk ratio".
    pub fn name(self) -> &'static str {
        match self {
            Measure::MeanDifference => "mean difference",
            Measure::StandardizedMeanDifference => "standardised mean difference (Hedges' g)",
            Measure::LogRiskRatio => "log risk ratio",
            Measure::LogOddsRatio => "log odds ratio",
            Measure::RiskDifference => "risk difference",
            Measure::LogHazardRatio => "log hazard ratio",
            Measure::Generic => "generic effect",
        }
    }

    /// The value of "no effect" on the analysis scale (0 for every measure, since ratios
    /// are analysed as logs).
    pub fn null_value(self) -> f64 {
        0.0
    }

    /// A value on the analysis scale back-transformed to the scale it is shown on: `exp(x)`
    /// for ratio measures (analysed as logs), `x` itself for the others (metafor's `transf`).
    ///
    /// # Examples
    /// ```
    /// use repool::Measure;
    /// assert_eq!(Measure::LogRiskRatio.display(0.0), 1.0);
    /// assert_eq!(Measure::MeanDifference.display(-1.5), -1.5);
    /// ```
    pub fn display(self, x: f64) -> f64 {
        if self.is_ratio() {
            x.exp()
        } else {
            x
        }
    }

    /// The inverse of [`Measure::display`]: a value on the display scale (a ratio for ratio
    /// measures) on the analysis scale, `ln(x)` for ratio measures, `x` for the others.
    ///
    /// # Examples
    /// ```
    /// use repool::Measure;
    /// assert_eq!(Measure::LogOddsRatio.from_display(1.0), 0.0);
    /// assert_eq!(Measure::RiskDifference.from_display(0.1), 0.1);
    /// ```
    pub fn from_display(self, x: f64) -> f64 {
        if self.is_ratio() {
            x.ln()
        } else {
            x
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The raw data one study brings.
#[derive(Debug, Clone, PartialEq)]
pub enum StudyData {
    /// A 2×2 table: events and totals in the treatment (t) and control (c) arm.
    TwoByTwo {
        /// Events in the treatment arm.
        events_t: f64,
        /// Participants in the treatment arm.
        n_t: f64,
        /// Events in the control arm.
        events_c: f64,
        /// Participants in the control arm.
        n_c: f64,
    },
    /// Means, standard deviations and sizes of two arms.
    MeanSd {
        /// Mean, treatment arm.
        mean_t: f64,
        /// Standard deviation, treatment arm.
        sd_t: f64,
        /// Size, treatment arm.
        n_t: f64,
        /// Mean, control arm.
        mean_c: f64,
        /// Standard deviation, control arm.
        sd_c: f64,
        /// Size, control arm.
        n_c: f64,
    },
    /// A precomputed effect on the analysis scale and its sampling variance.
    Effect {
        /// Effect on the analysis scale (log scale for ratio measures).
        yi: f64,
        /// Sampling variance of `yi`.
        vi: f64,
    },
}

impl StudyData {
    /// The kind of data, for messages: "2×2 table", "means and SDs" or "precomputed effect".
    pub fn kind(&self) -> &'static str {
        match self {
            StudyData::TwoByTwo { .. } => "2x2 table",
            StudyData::MeanSd { .. } => "means and SDs",
            StudyData::Effect { .. } => "precomputed effect",
        }
    }
}

/// An effect size with its sampling variance, on the analysis scale.
///
/// The constructor guarantees a finite estimate and a finite, positive variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EffectSize {
    yi: f64,
    vi: f64,
}

impl EffectSize {
    /// Validates and builds an effect size.
    ///
    /// # Examples
    /// ```
    /// use repool::EffectSize;
    /// assert!(EffectSize::new(0.5, 0.04).is_ok());
    /// assert!(EffectSize::new(0.5, 0.0).is_err());
    /// ```
    pub fn new(yi: f64, vi: f64) -> Result<EffectSize, EffectError> {
        if !yi.is_finite() {
            return Err(EffectError::NonFiniteEffect { yi });
        }
        if !(vi.is_finite() && vi >= f64::MIN_POSITIVE) {
            return Err(EffectError::NonPositiveVariance { vi });
        }
        Ok(EffectSize { yi, vi })
    }

    /// The effect on the analysis scale.
    pub fn yi(&self) -> f64 {
        self.yi
    }

    /// The sampling variance.
    pub fn vi(&self) -> f64 {
        self.vi
    }

    /// The standard error, `sqrt(vi)`.
    pub fn se(&self) -> f64 {
        self.vi.sqrt()
    }
}

/// Why an effect size could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EffectError {
    /// The effect is infinite or not a number.
    #[error("the effect is not a finite number ({yi})")]
    NonFiniteEffect {
        /// The value computed.
        yi: f64,
    },
    /// The variance is zero, negative or not finite.
    #[error("the sampling variance must be positive and finite, got {vi}")]
    NonPositiveVariance {
        /// The value computed.
        vi: f64,
    },
    /// The data kind does not fit the measure.
    #[error("{measure} cannot be computed from {kind}")]
    WrongData {
        /// The measure asked for.
        measure: Measure,
        /// The kind of data the study has.
        kind: &'static str,
    },
    /// A ratio or its variance is undefined because of a zero cell and no correction.
    #[error("{measure} is undefined for this 2x2 table ({detail}); add a continuity correction to tables with a zero cell, or pool with the Mantel-Haenszel or Peto method")]
    ZeroCell {
        /// The measure asked for.
        measure: Measure,
        /// Which cell or total is zero.
        detail: String,
    },
    /// A standardised mean difference needs more than two participants and a positive pooled SD.
    #[error("SMD is undefined: {detail}")]
    SmdUndefined {
        /// What is wrong.
        detail: String,
    },
}

/// Options of the effect-size computation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EffectOptions {
    /// Zero-cell rule for 2×2 tables.
    pub zero_cell: ZeroCellRule,
    /// Small-sample correction for the SMD.
    pub smd_correction: SmdCorrection,
    /// Variance of the mean difference.
    pub md_variance: MdVariance,
}

/// How the variance of a mean difference is computed (see [`md`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MdVariance {
    /// Each arm's own SD, `sd1²/n1 + sd2²/n2` (metafor `vtype = "LS"`, RevMan).
    #[default]
    Unequal,
    /// The pooled SD of both arms, `sp² (1/n1 + 1/n2)` (metafor `vtype = "HO"`).
    Pooled,
}

impl MdVariance {
    /// metafor's `vtype` code.
    pub fn code(self) -> &'static str {
        match self {
            MdVariance::Unequal => "LS",
            MdVariance::Pooled => "HO",
        }
    }
}

impl Default for EffectOptions {
    /// metafor's defaults: add 1/2 to the cells of tables with a zero, exact Hedges' correction.
    fn default() -> Self {
        EffectOptions {
            zero_cell: ZeroCellRule::default(),
            smd_correction: SmdCorrection::Exact,
            md_variance: MdVariance::Unequal,
        }
    }
}

/// The result of computing one study's effect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Computed {
    /// The effect, and whether a continuity correction was added to the table.
    Effect {
        /// The effect size.
        effect: EffectSize,
        /// True when the zero-cell rule added a constant to this study's cells.
        corrected: bool,
    },
    /// A 2×2 table with no events in either arm, dropped by the zero-cell rule.
    DoubleZeroDropped,
}

/// Computes one study's effect size for `measure`.
///
/// `any_zero_in_analysis` is needed only for the `if0all` zero-cell rule (add to every
/// table when any table of the analysis has a zero cell).
///
/// # Examples
/// ```
/// use repool::effect::{compute, Computed, EffectOptions, StudyData};
/// use repool::Measure;
/// let data = StudyData::TwoByTwo { events_t: 4.0, n_t: 123.0, events_c: 11.0, n_c: 139.0 };
/// let Computed::Effect { effect, .. } =
///     compute(Measure::LogRiskRatio, &data, &EffectOptions::default(), false).unwrap()
/// else { unreachable!() };
/// assert!((effect.yi() - (-0.889311333920205)).abs() < 1e-12);
/// ```
pub fn compute(
    measure: Measure,
    data: &StudyData,
    opts: &EffectOptions,
    any_zero_in_analysis: bool,
) -> Result<Computed, EffectError> {
    match (measure, data) {
        (
            Measure::LogRiskRatio | Measure::LogOddsRatio | Measure::RiskDifference,
            StudyData::TwoByTwo {
                events_t,
                n_t,
                events_c,
                n_c,
            },
        ) => {
            let table = zero_cell::Table::from_arms(*events_t, *n_t, *events_c, *n_c);
            let Some((table, corrected)) = opts.zero_cell.apply(table, any_zero_in_analysis) else {
                return Ok(Computed::DoubleZeroDropped);
            };
            let (yi, vi) = match measure {
                Measure::LogRiskRatio => rr::log_risk_ratio(&table)?,
                Measure::LogOddsRatio => or::log_odds_ratio(&table)?,
                _ => rd::risk_difference(&table),
            };
            Ok(Computed::Effect {
                effect: EffectSize::new(yi, vi)?,
                corrected,
            })
        }
        (
            Measure::MeanDifference,
            StudyData::MeanSd {
                mean_t,
                sd_t,
                n_t,
                mean_c,
                sd_c,
                n_c,
            },
        ) => {
            let (yi, vi) = match opts.md_variance {
                MdVariance::Unequal => {
                    md::mean_difference(*mean_t, *sd_t, *n_t, *mean_c, *sd_c, *n_c)
                }
                MdVariance::Pooled => {
                    md::mean_difference_pooled(*mean_t, *sd_t, *n_t, *mean_c, *sd_c, *n_c)
                }
            };
            Ok(Computed::Effect {
                effect: EffectSize::new(yi, vi)?,
                corrected: false,
            })
        }
        (
            Measure::StandardizedMeanDifference,
            StudyData::MeanSd {
                mean_t,
                sd_t,
                n_t,
                mean_c,
                sd_c,
                n_c,
            },
        ) => {
            let (yi, vi) = smd::hedges_g(
                *mean_t,
                *sd_t,
                *n_t,
                *mean_c,
                *sd_c,
                *n_c,
                opts.smd_correction,
            )?;
            Ok(Computed::Effect {
                effect: EffectSize::new(yi, vi)?,
                corrected: false,
            })
        }
        (_, StudyData::Effect { yi, vi }) => Ok(Computed::Effect {
            effect: EffectSize::new(*yi, *vi)?,
            corrected: false,
        }),
        (measure, data) => Err(EffectError::WrongData {
            measure,
            kind: data.kind(),
        }),
    }
}
