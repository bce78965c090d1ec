//! Pooling: the one entry point [`pool`] turns the studies of one analysis into a
//! [`PooledEstimate`] (common or random effects, heterogeneity, prediction interval).
//!
//! Pure computation: no I/O. Statistical edge cases (τ² truncated at 0, continuity
//! corrections, dropped tables) are recorded in [`PooledEstimate::notes`], not thrown.

pub mod bias;
pub mod common;
pub mod finite;
pub mod heterogeneity;
pub mod hksj;
pub mod influence;
pub(crate) mod loo;
pub mod mh;
pub mod notes;
pub mod permutation;
pub mod peto;
pub mod prediction;
pub(crate) mod prefix;
pub mod preset;
pub mod regression;
pub mod revman5;
pub mod sensitivity;
pub mod subgroups;
pub mod tau2;
pub mod tau2_ci;

use std::fmt;

use crate::dist;
use crate::effect::zero_cell::Table;
use crate::effect::{self, Computed, EffectError, EffectOptions, EffectSize, Measure, StudyData};
use crate::Study;

pub use heterogeneity::{Heterogeneity, I2Method};
pub use notes::Note;
pub use prediction::PiMethod;
pub use tau2::{NotConverged, Tau2Method};

/// Common-effect (fixed) or random-effects model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Common (fixed) effect: one true effect shared by all studies (metafor `"EE"`).
    Fixed,
    /// Random effects: true effects vary with variance τ².
    Random,
}

impl Model {
    /// `"fixed"` or `"random"`.
    pub fn code(self) -> &'static str {
        match self {
            Model::Fixed => "fixed",
            Model::Random => "random",
        }
    }
}

/// How the common effect is computed for 2×2 data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommonMethod {
    /// Inverse variance (metafor `rma()`).
    IV,
    /// Mantel–Haenszel (metafor `rma.mh()`); RR, OR, RD.
    MH,
    /// Peto's one-step odds ratio (metafor `rma.peto()`); OR only.
    Peto,
}

impl CommonMethod {
    /// `"IV"`, `"MH"` or `"PETO"`.
    pub fn code(self) -> &'static str {
        match self {
            CommonMethod::IV => "IV",
            CommonMethod::MH => "MH",
            CommonMethod::Peto => "PETO",
        }
    }
}

/// How the CI and test of the pooled effect are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiMethod {
    /// Normal distribution (Wald z), metafor's default.
    Z,
    /// Hartung–Knapp–Sidik–Jonkman: t with k - 1 df and a rescaled variance.
    Hksj,
    /// HKSJ with the variance multiplier truncated below at 1.
    HksjAdhoc,
}

impl CiMethod {
    /// `"z"`, `"hksj"` or `"hksj-adhoc"`.
    pub fn code(self) -> &'static str {
        match self {
            CiMethod::Z => "z",
            CiMethod::Hksj => "hksj",
            CiMethod::HksjAdhoc => "hksj-adhoc",
        }
    }
}

/// Every choice of a pooling run.
///
/// Deliberately no `Default`: start from a program's defaults, [`PoolConfig::metafor`] or
/// [`PoolConfig::revman5`], and change what differs with the setters, so that a reader sees
/// whose defaults a run follows. `#[non_exhaustive]`: a new choice gets a default in the
/// constructors, so code built that way keeps compiling.
///
/// ```
/// use repool::pool::{CiMethod, PoolConfig, Tau2Method};
/// use repool::Measure;
/// let config = PoolConfig::metafor(Measure::LogOddsRatio)
///     .tau2(Tau2Method::DL)
///     .ci(CiMethod::Hksj)
///     .level(0.90);
/// assert_eq!(config.tau2_method, Tau2Method::DL);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct PoolConfig {
    /// The effect measure.
    pub measure: Measure,
    /// Common or random effects.
    pub model: Model,
    /// Common-effect method for 2×2 data.
    pub method: CommonMethod,
    /// τ² estimator (random effects).
    pub tau2_method: Tau2Method,
    /// CI and test of the pooled effect.
    pub ci: CiMethod,
    /// Confidence level in (0, 1), e.g. 0.95.
    pub level: f64,
    /// Prediction-interval method.
    pub pi: PiMethod,
    /// I² definition.
    pub i2: I2Method,
    /// Effect-size options (zero cells, SMD correction).
    pub effect: EffectOptions,
}

impl PoolConfig {
    /// The defaults of metafor's `rma()` (Viechtbauer 2010), which are also `repool pool`'s:
    /// random effects with inverse-variance weights, τ² by REML, a Wald-type (z) CI and test,
    /// level 0.95, metafor's prediction interval (normal quantile, τ² plus the SE² of the
    /// estimate), I² from τ², and [`EffectOptions::default`] (½ added to every cell of a
    /// table with a zero, the exact Hedges' correction, each arm's own SD).
    pub fn metafor(measure: Measure) -> Self {
        PoolConfig {
            measure,
            model: Model::Random,
            method: CommonMethod::IV,
            tau2_method: Tau2Method::REML,
            ci: CiMethod::Z,
            level: 0.95,
            pi: PiMethod::Metafor,
            i2: I2Method::Tau2,
            effect: EffectOptions::default(),
        }
    }

    /// The defaults of RevMan 5 (Cochrane's Review Manager; Deeks & Higgins 2010, the
    /// statistical algorithms in RevMan): the `model` and common-effect `method` as chosen,
    /// τ² by DerSimonian–Laird, a z CI and test, level 0.95, I² from Q, `(Q - df) / Q`, and
    /// the SMD with Hedges' approximate correction `1 - 3 / (4 N - 9)`. This is the
    /// configuration [`revman5::pool`] reports (it applies RevMan's own zero-cell rule, ½
    /// added to every cell of a table with a zero, whatever `effect.zero_cell` says).
    pub fn revman5(measure: Measure, model: Model, method: CommonMethod) -> Self {
        PoolConfig {
            measure,
            model,
            method,
            tau2_method: Tau2Method::DL,
            ci: CiMethod::Z,
            level: 0.95,
            pi: PiMethod::Metafor,
            i2: I2Method::Q,
            effect: EffectOptions {
                smd_correction: effect::SmdCorrection::Approx,
                ..EffectOptions::default()
            },
        }
    }

    /// Sets the effect measure.
    #[must_use]
    pub fn measure(mut self, measure: Measure) -> Self {
        self.measure = measure;
        self
    }

    /// Sets the model: common (fixed) or random effects.
    #[must_use]
    pub fn model(mut self, model: Model) -> Self {
        self.model = model;
        self
    }

    /// Sets the common-effect method for 2×2 data (IV, MH or Peto).
    #[must_use]
    pub fn method(mut self, method: CommonMethod) -> Self {
        self.method = method;
        self
    }

    /// Sets the τ² estimator.
    #[must_use]
    pub fn tau2(mut self, tau2_method: Tau2Method) -> Self {
        self.tau2_method = tau2_method;
        self
    }

    /// Sets the CI and test of the pooled effect.
    #[must_use]
    pub fn ci(mut self, ci: CiMethod) -> Self {
        self.ci = ci;
        self
    }

    /// Sets the confidence level, in (0, 1); [`pool`] rejects other values.
    #[must_use]
    pub fn level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }

    /// Sets the prediction-interval method.
    #[must_use]
    pub fn pi(mut self, pi: PiMethod) -> Self {
        self.pi = pi;
        self
    }

    /// Sets the I² definition.
    #[must_use]
    pub fn i2(mut self, i2: I2Method) -> Self {
        self.i2 = i2;
        self
    }

    /// Sets all effect-size options at once.
    #[must_use]
    pub fn effect(mut self, effect: EffectOptions) -> Self {
        self.effect = effect;
        self
    }

    /// Sets the zero-cell rule for 2×2 tables.
    #[must_use]
    pub fn zero_cell(mut self, zero_cell: effect::ZeroCellRule) -> Self {
        self.effect.zero_cell = zero_cell;
        self
    }

    /// Sets the small-sample correction of the SMD.
    #[must_use]
    pub fn smd_correction(mut self, smd_correction: effect::SmdCorrection) -> Self {
        self.effect.smd_correction = smd_correction;
        self
    }

    /// Sets the variance of the mean difference (each arm's SD or the pooled SD).
    #[must_use]
    pub fn md_variance(mut self, md_variance: effect::MdVariance) -> Self {
        self.effect.md_variance = md_variance;
        self
    }
}

/// The distribution of the test statistic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TestKind {
    /// Standard normal.
    Z,
    /// Student's t with `df` degrees of freedom.
    T {
        /// Degrees of freedom.
        df: f64,
    },
}

/// One study's row of the result. `#[non_exhaustive]`: rows gain fields as methods are added.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StudyResult {
    /// Study label.
    pub label: String,
    /// Effect on the analysis scale; `None` when the study was excluded.
    pub effect: Option<EffectSize>,
    /// Its confidence interval (normal, at the analysis level).
    pub ci: Option<(f64, f64)>,
    /// Weight in the pooled estimate, percent (0 when excluded).
    pub weight_percent: f64,
    /// True when a continuity correction was added to the study's 2×2 table.
    pub corrected: bool,
    /// Why the study has no effect of its own, if so.
    pub excluded: Option<String>,
    /// Line of the study in its input, if known.
    pub line: Option<u64>,
}

/// The result of pooling one analysis. Values are on the analysis scale (log for ratios).
/// `#[non_exhaustive]`: results gain fields as methods are added.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PooledEstimate {
    /// The configuration used.
    pub config: PoolConfig,
    /// Number of studies, counted as metafor counts them: for inverse-variance pools the
    /// studies with an effect (`rma()`'s `k`), for Mantel–Haenszel and Peto pools every 2×2
    /// table, double-zero tables included (`rma.mh()`'s and `rma.peto()`'s `k`, and
    /// RevMan's number of studies).
    pub k: usize,
    /// Number of studies with an effect of their own (metafor's `k.yi`): the studies in Q,
    /// whose df is `k_estimable - 1`. Equal to `k` except for MH and Peto pools with tables
    /// that have no events (or only events) in both arms.
    pub k_estimable: usize,
    /// Pooled estimate.
    pub estimate: f64,
    /// Its standard error (HKSJ-adjusted where chosen).
    pub se: f64,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit.
    pub ci_high: f64,
    /// Distribution of the test statistic.
    pub test: TestKind,
    /// Test statistic for the overall effect (`None` when the SE is 0).
    pub statistic: Option<f64>,
    /// Its two-sided p-value (`None` when the SE is 0).
    pub p_value: Option<f64>,
    /// τ² (`None` for the common-effect model).
    pub tau2: Option<f64>,
    /// Iterations of an iterative τ² estimator.
    pub tau2_iterations: Option<usize>,
    /// Q, I², H².
    pub heterogeneity: Heterogeneity,
    /// Prediction interval (`None` for the common-effect model or when undefined).
    pub pi: Option<(f64, f64)>,
    /// Q-profile CI of τ² (random effects, k ≥ 2).
    pub tau2_ci: Option<(f64, f64)>,
    /// I² (percent) at the limits of the τ² CI.
    pub i2_ci: Option<(f64, f64)>,
    /// H² at the limits of the τ² CI.
    pub h2_ci: Option<(f64, f64)>,
    /// Higgins–Thompson test-based CI of I² (percent; k ≥ 3), as RevMan and R meta report it.
    pub i2_ht_ci: Option<(f64, f64)>,
    /// Per-study rows, in input order.
    pub studies: Vec<StudyResult>,
    /// What was done that a reader should know (corrections, truncations, exclusions).
    pub notes: Vec<Note>,
}

impl PooledEstimate {
    /// τ, the square root of τ².
    pub fn tau(&self) -> Option<f64> {
        self.tau2.map(f64::sqrt)
    }

    /// Effects `yᵢ` and variances `vᵢ` (analysis scale) of the studies that have one, in
    /// input order.
    pub fn effects(&self) -> (Vec<f64>, Vec<f64>) {
        self.studies
            .iter()
            .filter_map(|s| s.effect)
            .map(|e| (e.yi(), e.vi()))
            .unzip()
    }
}

/// Why an analysis could not be pooled. The messages say what is wrong with the data or the
/// configuration, in the library's terms; the command line words them with its options.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PoolError {
    /// A study's effect could not be computed.
    #[error("study '{study}'{}: {source}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Effect {
        /// Study label.
        study: String,
        /// Line of the study in its input, if known.
        line: Option<u64>,
        /// What went wrong.
        source: EffectError,
    },
    /// No study is left to pool.
    #[error("no studies to pool (k = 0){}", match *.excluded { 0 => String::new(), 1 => ": the one study was excluded".into(), n => format!(": all {n} studies were excluded") })]
    NoStudies {
        /// How many studies were excluded.
        excluded: usize,
    },
    /// An iterative τ² estimator failed.
    #[error(transparent)]
    NotConverged(#[from] NotConverged),
    /// MH or Peto on data that are not 2×2 tables.
    #[error("the {method} method needs 2x2 tables (events_t, n_t, events_c, n_c), but study '{study}' has {kind}")]
    NeedsTwoByTwo {
        /// MH or PETO.
        method: &'static str,
        /// The first offending study.
        study: String,
        /// Its data kind.
        kind: &'static str,
    },
    /// A common-effect method that does not exist for this measure.
    #[error("the {method} method is not defined for measure {measure} (MH: RR, OR, RD; PETO: OR)")]
    MethodMeasure {
        /// MH or PETO.
        method: &'static str,
        /// The measure.
        measure: Measure,
    },
    /// The pooled-SD variance asked for another measure than MD.
    #[error("the pooled-SD variance (vtype HO) applies to the mean difference (MD) from means and SDs, not to {measure}")]
    VtypeMeasure {
        /// The measure.
        measure: Measure,
    },
    /// MH or Peto with random effects.
    #[error("the {method} method is a common-effect method: it pools the common-effect model only (random-effects pooling uses inverse-variance weights, IV)")]
    MethodModel {
        /// MH or PETO.
        method: &'static str,
    },
    /// MH or Peto with HKSJ.
    #[error("the {method} method supports only the normal (z) CI")]
    MethodCi {
        /// MH or PETO.
        method: &'static str,
    },
    /// The MH or Peto estimate is undefined.
    #[error("the {method} estimate is undefined: {detail}")]
    Undefined {
        /// MH or PETO.
        method: &'static str,
        /// Why.
        detail: &'static str,
    },
    /// HKSJ with one study.
    #[error("the Hartung-Knapp-Sidik-Jonkman CI needs at least 2 studies (k = 1)")]
    HksjNeedsTwo,
    /// A study's ratio, or the upper limit of its CI, is too large to be shown
    /// back-transformed: `exp` of its log overflows.
    #[error("study '{study}'{}: its {what} as a ratio, exp({log:.2}), is too large to be represented (above 1.8e308); check its data for extreme values", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    RatioOverflow {
        /// Study label.
        study: String,
        /// Line of the study in its input, if known.
        line: Option<u64>,
        /// `effect` or `upper confidence limit`.
        what: &'static str,
        /// The value on the log scale.
        log: f64,
    },
    /// The computation gave a number that is not finite (extreme input values).
    #[error("the {what} is not a finite number; check the input for extreme values")]
    NonFinite {
        /// Which result.
        what: &'static str,
    },
    /// The level is not in (0, 1).
    #[error("the confidence level must be between 0 and 1 (exclusive), got {level}")]
    Level {
        /// The level given.
        level: f64,
    },
}

pub use preset::PresetError;

impl fmt::Display for TestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestKind::Z => f.write_str("z"),
            TestKind::T { df } => write!(f, "t(df = {df})"),
        }
    }
}

/// Pools the studies of one analysis.
///
/// # Examples
/// ```
/// use repool::effect::StudyData;
/// use repool::pool::{pool, PoolConfig, Tau2Method};
/// use repool::{Measure, Study};
/// let y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9];
/// let v = [0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225];
/// let studies: Vec<Study> = y.iter().zip(v).enumerate()
///     .map(|(i, (&yi, vi))| Study::new(format!("lab {}", i + 1), StudyData::Effect { yi, vi }))
///     .collect();
/// let config = PoolConfig::metafor(Measure::Generic).tau2(Tau2Method::DL);
/// let res = pool(&studies, &config).unwrap();
/// // metafor: rma(y, v, method = "DL") gives b = 62.3901386044504, I2 = 67.744403741711.
/// assert!((res.estimate - 62.3901386044504).abs() < 1e-9);
/// assert!((res.heterogeneity.i2_percent - 67.744403741711).abs() < 1e-9);
/// ```
pub fn pool(studies: &[Study], config: &PoolConfig) -> Result<PooledEstimate, PoolError> {
    if !(config.level > 0.0 && config.level < 1.0) {
        return Err(PoolError::Level {
            level: config.level,
        });
    }
    if config.effect.md_variance == crate::effect::MdVariance::Pooled
        && config.measure != Measure::MeanDifference
    {
        return Err(PoolError::VtypeMeasure {
            measure: config.measure,
        });
    }
    match config.method {
        CommonMethod::IV => pool_iv(studies, config),
        CommonMethod::MH | CommonMethod::Peto => pool_mh_peto(studies, config),
    }
}

/// Effects of all studies under the configuration's zero-cell rule (or a modified one).
struct Effects {
    rows: Vec<StudyResult>,
    y: Vec<f64>,
    v: Vec<f64>,
    /// Index into `rows` of each entry of `y`/`v`.
    idx: Vec<usize>,
    /// Labels of the tables without events (or with only events) in both arms that were
    /// dropped from the study effects; the caller's note says what that means for the pool.
    dropped: Vec<String>,
    notes: Vec<Note>,
}

/// A note for each study whose data are valid but unusual ([`effect::doubt`]): a count that
/// is not a whole number, an SD of 0, an arm of one participant.
fn doubt_notes(studies: &[Study]) -> impl Iterator<Item = Note> + '_ {
    studies.iter().filter_map(|s| {
        let doubts = effect::doubt::doubts(&s.data);
        (!doubts.is_empty()).then(|| Note::Doubts {
            study: s.label.clone(),
            line: s.line,
            doubts,
        })
    })
}

fn compute_effects(
    studies: &[Study],
    measure: Measure,
    opts: &EffectOptions,
    peto: bool,
) -> Result<Effects, PoolError> {
    let any_zero = studies.iter().any(|s| match s.data {
        StudyData::TwoByTwo {
            events_t,
            n_t,
            events_c,
            n_c,
        } => Table::from_arms(events_t, n_t, events_c, n_c).has_zero(),
        _ => false,
    });
    let mut out = Effects {
        rows: Vec::with_capacity(studies.len()),
        y: Vec::with_capacity(studies.len()),
        v: Vec::with_capacity(studies.len()),
        idx: Vec::with_capacity(studies.len()),
        dropped: Vec::new(),
        notes: Vec::new(),
    };
    let mut corrected = Vec::new();
    out.notes.extend(doubt_notes(studies));
    for s in studies.iter().filter(|s| s.combined_rows > 1) {
        out.notes.push(Note::ArmsCombined {
            study: s.label.clone(),
            arms: s.combined_rows,
        });
    }
    for s in studies {
        let err = |source| PoolError::Effect {
            study: s.label.clone(),
            line: s.line,
            source,
        };
        let computed = if peto {
            peto_effect(&s.data, opts, any_zero).map_err(err)?
        } else {
            effect::compute(measure, &s.data, opts, any_zero).map_err(err)?
        };
        match computed {
            Computed::Effect {
                effect,
                corrected: c,
            } => {
                if c {
                    corrected.push(s.label.clone());
                }
                out.idx.push(out.rows.len());
                out.y.push(effect.yi());
                out.v.push(effect.vi());
                out.rows.push(StudyResult {
                    label: s.label.clone(),
                    effect: Some(effect),
                    ci: None,
                    weight_percent: 0.0,
                    corrected: c,
                    excluded: None,
                    line: s.line,
                });
            }
            Computed::DoubleZeroDropped => {
                out.dropped.push(s.label.clone());
                out.rows.push(StudyResult {
                    label: s.label.clone(),
                    effect: None,
                    ci: None,
                    weight_percent: 0.0,
                    corrected: false,
                    excluded: Some("no events (or only events) in both arms".into()),
                    line: s.line,
                });
            }
        }
    }
    if !corrected.is_empty() {
        out.notes.push(Note::ContinuityCorrection {
            add: opts.zero_cell.add,
            to: opts.zero_cell.to,
            studies: corrected,
        });
    }
    Ok(out)
}

/// The note on double-zero tables of an inverse-variance pool: they are not in the analysis.
fn dropped_note_iv(dropped: &[String]) -> Option<Note> {
    (!dropped.is_empty()).then(|| Note::DoubleZeroExcluded {
        studies: dropped.to_vec(),
    })
}

/// The note on double-zero tables of a Mantel–Haenszel or Peto pool ([`Note::DoubleZeroCounted`]).
fn dropped_note_mh_peto(
    dropped: &[String],
    method: CommonMethod,
    measure: Measure,
) -> Option<Note> {
    (!dropped.is_empty()).then(|| Note::DoubleZeroCounted {
        studies: dropped.to_vec(),
        method,
        measure,
    })
}

/// Peto's per-study log odds ratio, with the zero-cell rule applied as metafor's
/// `escalc(measure = "PETO")` does.
fn peto_effect(
    data: &StudyData,
    opts: &EffectOptions,
    any_zero: bool,
) -> Result<Computed, EffectError> {
    let StudyData::TwoByTwo {
        events_t,
        n_t,
        events_c,
        n_c,
    } = *data
    else {
        return Err(EffectError::WrongData {
            measure: Measure::LogOddsRatio,
            kind: data.kind(),
        });
    };
    let Some((t, corrected)) = opts
        .zero_cell
        .apply(Table::from_arms(events_t, n_t, events_c, n_c), any_zero)
    else {
        return Ok(Computed::DoubleZeroDropped);
    };
    let (oe, v) = peto::o_minus_e(&t);
    Ok(Computed::Effect {
        effect: EffectSize::new(oe / v, 1.0 / v)?,
        corrected,
    })
}

fn pool_iv(studies: &[Study], config: &PoolConfig) -> Result<PooledEstimate, PoolError> {
    let eff = compute_effects(studies, config.measure, &config.effect, false)?;
    let Effects {
        mut rows,
        y,
        v,
        idx,
        dropped,
        mut notes,
    } = eff;
    notes.extend(dropped_note_iv(&dropped));
    let k = y.len();
    if k == 0 {
        return Err(PoolError::NoStudies {
            excluded: rows.len(),
        });
    }
    let (tau2, iterations) = match config.model {
        Model::Fixed => (None, None),
        Model::Random => {
            let fit = tau2::estimate(config.tau2_method, &y, &v)?;
            if k == 1 {
                notes.push(Note::SingleStudy);
            } else if fit.truncated {
                notes.push(Note::Tau2OnBoundary {
                    method: config.tau2_method,
                });
            }
            if let Some(o) = fit.other {
                notes.push(Note::Bimodal {
                    method: config.tau2_method,
                    tau2: fit.tau2,
                    other: o.tau2,
                    gap: o.loglik_gap,
                    limit: tau2::BIMODAL_GAP,
                });
            }
            if let Some(it) = fit.iterations {
                if k > 1 && it > 0 {
                    notes.push(Note::Converged {
                        method: config.tau2_method,
                        iterations: it,
                    });
                }
            }
            (Some(fit.tau2), fit.iterations)
        }
    };
    let t2 = tau2.unwrap_or(0.0);
    let (mu, se_z, weights) = common::inverse_variance(&y, &v, t2);
    for (w, &i) in weights.iter().zip(&idx) {
        rows[i].weight_percent = 100.0 * w;
    }
    let (mu_fe, _, _) = common::inverse_variance(&y, &v, 0.0);
    let q = heterogeneity::cochran_q(&y, &v, mu_fe);
    let het = heterogeneity::heterogeneity(q, &v, tau2, config.i2);
    let (se, test) = match config.ci {
        CiMethod::Z => (se_z, TestKind::Z),
        CiMethod::Hksj | CiMethod::HksjAdhoc => {
            if k < 2 {
                return Err(PoolError::HksjNeedsTwo);
            }
            if config.model == Model::Fixed {
                notes.push(Note::HksjWithCommonEffect);
            }
            let s2 = hksj::scale_factor(&y, &v, t2, mu, config.ci == CiMethod::HksjAdhoc);
            (se_z * s2.sqrt(), TestKind::T { df: (k - 1) as f64 })
        }
    };
    let crit = critical(test, config.level);
    let pi = match config.model {
        Model::Fixed => None,
        Model::Random => match config.pi {
            PiMethod::Metafor => Some(prediction::interval(mu, se, t2, crit)),
            PiMethod::Higgins => {
                if k >= 3 {
                    let c = dist::t_crit(config.level, (k - 2) as f64);
                    Some(prediction::interval(mu, se, t2, c))
                } else {
                    notes.push(Note::NoHigginsInterval { k });
                    None
                }
            }
        },
    };
    finish(
        config, k, rows, &y, &v, &idx, mu, se, test, tau2, iterations, het, pi, notes,
    )
}

/// A common-effect pool by Mantel–Haenszel (RR, OR, RD; [`mh`]: Greenland & Robins 1985,
/// Robins, Breslow & Greenland 1986, Sato, Greenland & Robins 1989) or Peto (OR; [`peto`]:
/// Yusuf et al. 1985), as metafor's `rma.mh()` and `rma.peto()`: the estimate from the
/// uncorrected 2×2 tables, the weights of that method, and Q from the studies' own effects
/// around it (for Peto, `Q = Σ (O − E)²/V − (Σ (O − E))²/Σ V`), with the Q-based I².
fn pool_mh_peto(studies: &[Study], config: &PoolConfig) -> Result<PooledEstimate, PoolError> {
    let peto = config.method == CommonMethod::Peto;
    check_mh_peto_settings(config)?;
    let tables = two_by_two_tables(studies, config.method)?;
    // Study effects for the table and Q: as metafor's rma.mh / rma.peto, tables without
    // events in both arms are dropped there (drop00 = TRUE), the rest corrected as chosen.
    let mut opts = config.effect;
    opts.zero_cell.drop_double_zero = true;
    let Effects {
        mut rows,
        y,
        v,
        idx,
        dropped,
        mut notes,
    } = compute_effects(studies, config.measure, &opts, peto)?;
    notes.extend(dropped_note_mh_peto(
        &dropped,
        config.method,
        config.measure,
    ));
    let (mu, se, weights) = mh_peto_estimate(config, &tables)?;
    let sw: f64 = weights.iter().sum();
    for (row, w) in rows.iter_mut().zip(&weights) {
        row.weight_percent = 100.0 * w / sw;
    }
    notes.push(Note::MhPetoEstimate {
        method: config.method,
    });
    let q = if peto {
        peto::q_statistic(&tables)
    } else {
        heterogeneity::cochran_q(&y, &v, mu)
    };
    // metafor's rma.mh / rma.peto report the Q-based I².
    let het = heterogeneity::heterogeneity(q, &v, None, I2Method::Q);
    finish(
        config,
        tables.len(),
        rows,
        &y,
        &v,
        &idx,
        mu,
        se,
        TestKind::Z,
        None,
        None,
        het,
        None,
        notes,
    )
}

/// Mantel–Haenszel pools RR, OR and RD, Peto the OR; both are common-effect methods with a
/// z CI, as in metafor.
fn check_mh_peto_settings(config: &PoolConfig) -> Result<(), PoolError> {
    let name = config.method.code();
    match (config.method, config.measure) {
        (
            CommonMethod::MH,
            Measure::LogRiskRatio | Measure::LogOddsRatio | Measure::RiskDifference,
        )
        | (CommonMethod::Peto, Measure::LogOddsRatio) => {}
        _ => {
            return Err(PoolError::MethodMeasure {
                method: name,
                measure: config.measure,
            })
        }
    }
    if config.model == Model::Random {
        return Err(PoolError::MethodModel { method: name });
    }
    if config.ci != CiMethod::Z {
        return Err(PoolError::MethodCi { method: name });
    }
    Ok(())
}

/// Every study's 2×2 table as it is (no correction); an error names the first study that
/// has none.
fn two_by_two_tables(studies: &[Study], method: CommonMethod) -> Result<Vec<Table>, PoolError> {
    let mut tables = Vec::with_capacity(studies.len());
    for s in studies {
        match s.data {
            StudyData::TwoByTwo {
                events_t,
                n_t,
                events_c,
                n_c,
            } => tables.push(Table::from_arms(events_t, n_t, events_c, n_c)),
            _ => {
                return Err(PoolError::NeedsTwoByTwo {
                    method: method.code(),
                    study: s.label.clone(),
                    kind: s.data.kind(),
                })
            }
        }
    }
    Ok(tables)
}

/// The Mantel–Haenszel or Peto estimate from the tables, its SE and the method's weights.
fn mh_peto_estimate(
    config: &PoolConfig,
    tables: &[Table],
) -> Result<(f64, f64, Vec<f64>), PoolError> {
    let name = config.method.code();
    if config.method == CommonMethod::Peto {
        peto::estimate(tables).ok_or(PoolError::Undefined {
            method: name,
            detail: "no study has both events and non-events",
        })
    } else {
        // The MH odds ratio needs events and non-events in both arms (Σ a·d/n and Σ b·c/n
        // both above 0), the risk ratio events in both.
        let detail = if config.measure == Measure::LogOddsRatio {
            "no events, or only events, in one of the arms across all studies"
        } else {
            "no events in one of the arms across all studies"
        };
        let m = mh::estimate(config.measure, tables).ok_or(PoolError::Undefined {
            method: name,
            detail,
        })?;
        Ok((m.estimate, m.se, m.weights))
    }
}

fn critical(test: TestKind, level: f64) -> f64 {
    match test {
        TestKind::Z => dist::z_crit(level),
        TestKind::T { df } => dist::t_crit(level, df),
    }
}

#[allow(clippy::too_many_arguments)]
fn finish(
    config: &PoolConfig,
    k_total: usize,
    mut rows: Vec<StudyResult>,
    y: &[f64],
    v: &[f64],
    idx: &[usize],
    mu: f64,
    se: f64,
    test: TestKind,
    tau2: Option<f64>,
    tau2_iterations: Option<usize>,
    heterogeneity: Heterogeneity,
    pi: Option<(f64, f64)>,
    mut notes: Vec<Note>,
) -> Result<PooledEstimate, PoolError> {
    let k = y.len();
    if k == 0 {
        return Err(PoolError::NoStudies {
            excluded: rows.len(),
        });
    }
    let z = dist::z_crit(config.level);
    for ((&yi, &vi), &i) in y.iter().zip(v).zip(idx) {
        let h = z * vi.sqrt();
        rows[i].ci = Some((yi - h, yi + h));
    }
    let crit = critical(test, config.level);
    for (what, x) in [
        ("pooled estimate", mu),
        ("standard error", se),
        ("tau^2", tau2.unwrap_or(0.0)),
        ("Q statistic", heterogeneity.q),
        ("I^2", heterogeneity.i2_percent),
    ] {
        if !x.is_finite() {
            return Err(PoolError::NonFinite { what });
        }
    }
    let (statistic, p_value) = if se > 0.0 {
        let stat = mu / se;
        let p = match test {
            TestKind::Z => dist::p_normal(stat),
            TestKind::T { df } => dist::p_t(stat, df),
        };
        (Some(stat), Some(p))
    } else {
        notes.push(Note::ZeroStandardError);
        (None, None)
    };
    let (tau2_ci, i2_ci, h2_ci) = match tau2 {
        Some(t) if k >= 2 => match tau2_ci::q_profile_from(y, v, config.level, Some(t)) {
            Some((lo, hi)) => {
                if t < lo || t > hi {
                    notes.push(Note::Tau2OutsideCi {
                        method: config.tau2_method,
                        tau2: t,
                        low: lo,
                        high: hi,
                    });
                }
                let (il, hl) = tau2_ci::i2_h2_at(v, lo);
                let (ih, hh) = tau2_ci::i2_h2_at(v, hi);
                (Some((lo, hi)), Some((il, ih)), Some((hl, hh)))
            }
            None => (None, None, None),
        },
        _ => (None, None, None),
    };
    let i2_ht_ci = tau2_ci::higgins_thompson_i2(heterogeneity.q, k, config.level);
    let pi = shown_interval(pi, config.measure, &mut notes);
    let est = PooledEstimate {
        config: *config,
        tau2_ci,
        i2_ci,
        h2_ci,
        i2_ht_ci,
        k: k_total,
        k_estimable: k,
        estimate: mu,
        se,
        ci_low: mu - crit * se,
        ci_high: mu + crit * se,
        test,
        statistic,
        p_value,
        tau2,
        tau2_iterations,
        heterogeneity,
        pi,
        studies: rows,
        notes,
    };
    est.check_finite()?;
    Ok(est)
}

/// The prediction interval, or `None` with a note when it cannot be shown: a limit is not
/// finite, or for a ratio measure `exp` of its upper limit overflows (huge τ²).
fn shown_interval(
    pi: Option<(f64, f64)>,
    measure: Measure,
    notes: &mut Vec<Note>,
) -> Option<(f64, f64)> {
    let (lo, hi) = pi?;
    let fits = lo.is_finite() && hi.is_finite() && (!measure.is_ratio() || finite::ratio_fits(hi));
    if !fits {
        notes.push(Note::PredictionTooLarge {
            high: hi,
            ratio: measure.is_ratio(),
        });
        return None;
    }
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::StudyData;

    /// Valid but unusual data are pooled and named in a note: a fractional event count, an
    /// arm of one participant, an SD of 0; ordinary data get no such note.
    #[test]
    fn unusual_data_get_a_note_naming_the_study_line_and_value() {
        let mut a = Study::new(
            "A",
            StudyData::TwoByTwo {
                events_t: 12.5,
                n_t: 100.0,
                events_c: 10.0,
                n_c: 100.0,
            },
        );
        a.line = Some(2);
        let b = Study::new(
            "B",
            StudyData::TwoByTwo {
                events_t: 1.0,
                n_t: 1.0,
                events_c: 3.0,
                n_c: 50.0,
            },
        );
        let c = Study::new(
            "C",
            StudyData::TwoByTwo {
                events_t: 20.0,
                n_t: 200.0,
                events_c: 25.0,
                n_c: 200.0,
            },
        );
        let r = pool(&[a, b, c], &PoolConfig::metafor(Measure::LogRiskRatio)).unwrap();
        let doubts: Vec<String> = r
            .notes
            .iter()
            .map(ToString::to_string)
            .filter(|n| n.contains("check the data"))
            .collect();
        assert_eq!(doubts.len(), 2, "{:?}", r.notes);
        assert!(doubts[0].starts_with("study 'A' (line 2): events_t = 12.5 is not a whole number"));
        assert!(doubts[1].starts_with("study 'B': n_t = 1 (one participant)"));
        let sd0 = Study::new(
            "D",
            StudyData::MeanSd {
                mean_t: 5.0,
                sd_t: 0.0,
                n_t: 20.0,
                mean_c: 6.0,
                sd_c: 2.0,
                n_c: 20.0,
            },
        );
        let ok = Study::new(
            "E",
            StudyData::MeanSd {
                mean_t: 5.0,
                sd_t: 1.0,
                n_t: 30.0,
                mean_c: 6.0,
                sd_c: 2.0,
                n_c: 30.0,
            },
        );
        let r = pool(&[sd0, ok], &PoolConfig::metafor(Measure::MeanDifference)).unwrap();
        let doubts: Vec<String> = r
            .notes
            .iter()
            .map(ToString::to_string)
            .filter(|n| n.contains("check the data"))
            .collect();
        assert_eq!(
            doubts,
            ["study 'D': sd_t = 0 (no variation at all); valid, but check the data"]
        );
    }
}
