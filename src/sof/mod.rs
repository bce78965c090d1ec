//! A summary of findings, as in a Cochrane review or GRADEpro: from a pooled effect to what
//! it means per 1,000 people, the number needed to treat, a standardised mean difference on a
//! familiar scale, and suggestions for the GRADE domains the data can inform.
//!
//! [`summarise`] takes the studies and their pool and returns an [`Outcome`]; each step
//! lives in its own module with its formula and reference: [`absolute`] (corresponding risks,
//! Cochrane Handbook 15.4.4), [`nnt`] (Altman 1998), [`continuous`] (Handbook 15.5.3),
//! [`ois`] (GRADE's optimal information size), [`certainty`] and the three domains
//! [`imprecision`], [`inconsistency`] and [`publication_bias`].

pub mod absolute;
pub mod certainty;
pub mod continuous;
pub mod imprecision;
pub mod inconsistency;
pub mod nnt;
pub mod ois;
pub mod publication_bias;
mod risks;
pub mod text;

pub use risks::{control_risks, participants, ControlRisks};

use crate::check::{relevance_category, Relevance};
use crate::effect::StudyData;
use crate::{Measure, PooledEstimate, Study};
use absolute::CorrespondingRisk;
use certainty::Certainty;
use continuous::SmdSize;
use nnt::Nnt;

/// What a summary of findings is asked for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SofOptions {
    /// Assumed control risks (proportions); empty: from the trials (the pooled and the
    /// median control risk).
    pub control_risks: Vec<AssumedRisk>,
    /// Whether the event is desirable (response, recovery) rather than undesirable.
    pub desirable: bool,
    /// The threshold of an important effect on the display scale (a ratio for RR, OR and
    /// HR); its side of the null is the side of benefit.
    pub threshold: Option<f64>,
    /// The SD of a familiar scale, to re-express an SMD.
    pub sd: Option<f64>,
    /// The relative risk reduction the binary optimal information size is planned for.
    pub rrr: f64,
    /// The time point the assumed control risks apply at ("10 years"): a hazard ratio gives
    /// a corresponding risk only at a time point (see [`absolute`]).
    pub time_point: Option<String>,
}

impl Default for SofOptions {
    fn default() -> Self {
        SofOptions {
            control_risks: Vec::new(),
            desirable: false,
            threshold: None,
            sd: None,
            rrr: ois::RRR,
            time_point: None,
        }
    }
}

/// The label of an assumed control risk.
#[derive(Debug, Clone, PartialEq)]
pub enum RiskLabel {
    /// The control arms of the trials taken together (GRADEpro's "study population").
    StudyPopulation,
    /// The median of the trials' control risks.
    Median,
    /// A risk the user gave, with the user's label ("low", "high") or none.
    Given(Option<String>),
}

/// An assumed control risk.
#[derive(Debug, Clone, PartialEq)]
pub struct AssumedRisk {
    /// Its label.
    pub label: RiskLabel,
    /// The risk, a proportion.
    pub risk: f64,
}

/// One row of absolute effects.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskRow {
    /// Which control risk.
    pub label: RiskLabel,
    /// The control risk and the corresponding intervention risk with its CI.
    pub risk: CorrespondingRisk,
    /// The number needed to treat (`None` when the difference is exactly 0 at every limit).
    pub nnt: Option<Nnt>,
    /// The time point the control risk applies at, if given.
    pub time_point: Option<String>,
}

/// The null, benefit and harm lines on the analysis scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lines {
    /// No effect.
    pub null: f64,
    /// The threshold of an important benefit.
    pub benefit: Option<f64>,
    /// The threshold of an important harm (the mirror image of the benefit threshold).
    pub harm: Option<f64>,
}

/// A summary of findings for one outcome.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Outcome {
    /// The measure.
    pub measure: Measure,
    /// Studies.
    pub k: usize,
    /// Participants (`None` when a study gives only its effect).
    pub participants: Option<f64>,
    /// The pooled effect and its CI on the display scale.
    pub effect: (f64, f64, f64),
    /// The control risks of the trials (2×2 data).
    pub trials: Option<ControlRisks>,
    /// Absolute effects, one row per assumed control risk (binary outcomes).
    pub risks: Vec<RiskRow>,
    /// An SMD re-expressed on the familiar scale of [`SofOptions::sd`].
    pub re_expressed: Option<(f64, f64, f64)>,
    /// The rule-of-thumb size of an SMD.
    pub smd_size: Option<SmdSize>,
    /// The clinical-relevance category against the threshold (as `repool check`).
    pub relevance: Option<Relevance>,
    /// The threshold lines used, on the analysis scale.
    pub lines: Lines,
    /// The threshold as given (display scale).
    pub threshold: Option<f64>,
    /// The SD of the familiar scale an SMD is re-expressed on.
    pub sd: Option<f64>,
    /// The optimal information size the imprecision suggestion used.
    pub ois: Option<f64>,
    /// Suggestions for imprecision, inconsistency and publication bias.
    pub certainty: Certainty,
}

/// The certainty of the evidence as a publication states it (a `dataset.toml`'s
/// `[[published]]` keys `certainty`, `downgraded`, `risk_of_bias`, `indirectness` and
/// `certainty_source`), shown beside the suggestions from the data.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedCertainty {
    /// `high`, `moderate`, `low` or `very low`.
    pub level: String,
    /// The domains the publication rated down for.
    pub downgraded: Vec<String>,
    /// Its judgement of risk of bias, if printed.
    pub risk_of_bias: Option<String>,
    /// Its judgement of indirectness, if printed.
    pub indirectness: Option<String>,
    /// Where the certainty is printed.
    pub source: String,
}

impl PublishedCertainty {
    /// The GRADE levels a `certainty` key may take.
    pub const LEVELS: [&'static str; 4] = ["high", "moderate", "low", "very low"];

    /// The published certainty from the keys of a `[[published]]` entry: `None` without a
    /// `certainty`; an error `(key, value, what is expected)` for an unknown level, a
    /// certainty without its source, or a judgement without a certainty.
    #[allow(clippy::type_complexity)]
    pub fn from_keys(
        level: Option<&str>,
        downgraded: Vec<String>,
        risk_of_bias: Option<String>,
        indirectness: Option<String>,
        source: Option<String>,
    ) -> Result<Option<Self>, (&'static str, String, &'static str)> {
        let Some(level) = level else {
            if !downgraded.is_empty() || risk_of_bias.is_some() || indirectness.is_some() {
                return Err((
                    "certainty",
                    String::new(),
                    "a certainty (high, moderate, low or very low) when a publication's judgements are given",
                ));
            }
            return Ok(None);
        };
        let level = level.trim().to_ascii_lowercase();
        if !Self::LEVELS.contains(&level.as_str()) {
            return Err(("certainty", level, "high, moderate, low or very low"));
        }
        let source = source.ok_or((
            "certainty_source",
            String::new(),
            "where the certainty is printed (document and line)",
        ))?;
        Ok(Some(PublishedCertainty {
            level,
            downgraded,
            risk_of_bias,
            indirectness,
            source,
        }))
    }
}

/// Why a summary of findings cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SofError {
    /// A binary outcome without 2×2 data and without an assumed control risk.
    #[error("absolute effects need a control risk: the data have no 2x2 tables to take one from")]
    NoControlRisk,
    /// The trials' control risk is 0 or 1, so it cannot serve as the assumed risk.
    #[error("the control arms of the trials have a risk of {value}, which gives no absolute effect: give an assumed control risk")]
    TrialRisk {
        /// The trials' pooled control risk.
        value: f64,
    },
    /// An assumed control risk outside (0, 1).
    #[error("a control risk must lie between 0 and 1 (exclusive), got {value}")]
    ControlRisk {
        /// The value.
        value: f64,
    },
    /// A familiar SD that is not positive.
    #[error("the SD of the familiar scale must be positive, got {value}")]
    Sd {
        /// The value.
        value: f64,
    },
    /// A threshold at the null, or not positive for a ratio measure.
    #[error("a threshold of {value} cannot mark an important effect for {measure}")]
    Threshold {
        /// The value.
        value: f64,
        /// The measure's code.
        measure: &'static str,
    },
    /// A threshold on the side of harm: below the null with a desirable event, above it
    /// without.
    #[error("a threshold of {value} lies on the side of harm for {}: a threshold of an important benefit lies {} the null", if *desirable { "a desirable outcome (more is better)" } else { "an undesirable outcome (less is better)" }, if *desirable { "above" } else { "below" })]
    ThresholdSide {
        /// The threshold.
        value: f64,
        /// Whether the outcome was said to be desirable.
        desirable: bool,
    },
    /// A hazard ratio with control risks but no time point they apply at.
    #[error("a hazard ratio gives absolute effects only at a time point: give the time at which the control risk applies")]
    TimePoint,
    /// A ratio threshold of 2 or more, whose mirror image 2 − T is no ratio.
    #[error("a ratio threshold of {value} has no mirror image on the side of harm (2 - {value} is not a ratio): give a threshold below 2")]
    NoMirror {
        /// The threshold.
        value: f64,
    },
}

/// The threshold lines on the analysis scale (see [`certainty`]).
///
/// # The mirror rule
/// One rule gives the harm line from the benefit line, with or without `--threshold`: the
/// mirror image on the display scale, `harm = 2·null − benefit`. For a mean difference that
/// is −T; for a ratio it is GRADE's pairing of a relative risk reduction with a relative
/// risk increase of the same size, `2 − T`: RR 0.75 (RRR 25 %) pairs with 1.25 (RRI 25 %),
/// 0.80 with 1.20 (Guyatt et al. 2011, GRADE guidelines 6, 5.3; Core GRADE 2, 2025). Without
/// a threshold, ratio measures use that pair, 0.75 and 1.25, as GRADE's rough guide. A ratio
/// threshold of 2 or more has no such mirror image (`2 − T` is no ratio) and is rejected.
///
/// The threshold must lie on the side of benefit: below the null for an undesirable event
/// or outcome, above it with `desirable`.
pub fn lines(measure: Measure, opts: &SofOptions) -> Result<Lines, SofError> {
    let null = measure.null_value();
    let ratio = measure.is_ratio();
    let Some(t) = opts.threshold else {
        let (benefit, harm) = if opts.desirable {
            (1.25, 0.75)
        } else {
            (0.75, 1.25)
        };
        return Ok(Lines {
            null,
            benefit: ratio.then(|| f64::ln(benefit)),
            harm: ratio.then(|| f64::ln(harm)),
        });
    };
    let bad = || SofError::Threshold {
        value: t,
        measure: measure.code(),
    };
    // The threshold and its mirror image on the display scale.
    let shown_null = if ratio { 1.0 } else { null };
    if !t.is_finite() || t == shown_null || (ratio && t <= 0.0) {
        return Err(bad());
    }
    if (t > shown_null) != opts.desirable {
        return Err(SofError::ThresholdSide {
            value: t,
            desirable: opts.desirable,
        });
    }
    let mirror = 2.0 * shown_null - t;
    if ratio && mirror <= 0.0 {
        return Err(SofError::NoMirror { value: t });
    }
    let to_analysis = |x: f64| if ratio { x.ln() } else { x };
    Ok(Lines {
        null,
        benefit: Some(to_analysis(t)),
        harm: Some(to_analysis(mirror)),
    })
}

/// The summary of findings of `studies` pooled as `r`, with the p-value of the test for
/// subgroup differences if there are subgroups.
pub fn summarise(
    studies: &[Study],
    r: &PooledEstimate,
    subgroup_p: Option<f64>,
    opts: &SofOptions,
) -> Result<Outcome, SofError> {
    let measure = r.config.measure;
    let lines = lines(measure, opts)?;
    let show = |x: f64| measure.display(x);
    let effect = (show(r.estimate), show(r.ci_low), show(r.ci_high));
    let trials = control_risks(studies);
    let risks = risk_rows(measure, effect, trials.as_ref(), opts)?;
    let (re_expressed, smd_size) = smd_reading(measure, effect, opts.sd)?;
    let relevance = lines
        .benefit
        .filter(|_| opts.threshold.is_some())
        .map(|t| relevance_category(r.estimate, r.ci_low, r.ci_high, t, lines.null));
    let participants = participants(studies);
    let ois = optimal_information_size(measure, studies, trials.as_ref(), &risks, opts);
    let certainty = Certainty {
        imprecision: imprecision::judge(
            (r.ci_low, r.ci_high),
            &lines,
            participants,
            ois,
            !measure.is_ratio() || ois::needed_for_ratio(effect.0),
            show,
        ),
        inconsistency: inconsistency::judge(r, &lines, subgroup_p, show),
        publication_bias: publication_bias::judge(studies, r, show),
    };
    Ok(Outcome {
        measure,
        k: r.k,
        participants,
        effect,
        trials,
        risks,
        re_expressed,
        smd_size,
        relevance,
        lines,
        threshold: opts.threshold,
        sd: opts.sd,
        ois,
        certainty,
    })
}

/// The absolute-effect rows of a binary outcome: one per given control risk, else the
/// trials' pooled and median control risks.
fn risk_rows(
    measure: Measure,
    effect: (f64, f64, f64),
    trials: Option<&ControlRisks>,
    opts: &SofOptions,
) -> Result<Vec<RiskRow>, SofError> {
    if absolute::corresponding_risk(measure, 1.0, 0.5).is_none() {
        return Ok(Vec::new());
    }
    let assumed = if opts.control_risks.is_empty() {
        let t = trials.ok_or(SofError::NoControlRisk)?;
        // A risk of 0 or 1 from the trials (no events, or only events, in the control arms)
        // gives no absolute effect: that row is left out, and without any row the user is
        // asked for a risk.
        let rows: Vec<AssumedRisk> = [
            (RiskLabel::StudyPopulation, t.pooled),
            (RiskLabel::Median, t.median),
        ]
        .into_iter()
        .filter(|(_, r)| *r > 0.0 && *r < 1.0)
        .map(|(label, risk)| AssumedRisk { label, risk })
        .collect();
        if rows.is_empty() {
            return Err(SofError::TrialRisk { value: t.pooled });
        }
        rows
    } else {
        opts.control_risks.clone()
    };
    // A hazard ratio is a ratio of rates: the risk it corresponds to depends on the time
    // (risk_i = 1 − (1 − risk_c)^HR holds for the risks at one time point, Cochrane Handbook
    // 15.4.4), so its control risk is a risk at a stated time.
    if measure == Measure::LogHazardRatio && opts.time_point.is_none() {
        return Err(SofError::TimePoint);
    }
    assumed
        .into_iter()
        .map(|a| {
            risk_row(measure, effect, a, opts.desirable).map(|r| RiskRow {
                time_point: opts.time_point.clone(),
                ..r
            })
        })
        .collect()
}

fn risk_row(
    measure: Measure,
    effect: (f64, f64, f64),
    assumed: AssumedRisk,
    desirable: bool,
) -> Result<RiskRow, SofError> {
    if !(assumed.risk > 0.0 && assumed.risk < 1.0) {
        return Err(SofError::ControlRisk {
            value: assumed.risk,
        });
    }
    let risk = absolute::risks(measure, effect, assumed.risk).ok_or(SofError::NoControlRisk)?;
    let (d, lo, hi) = risk.difference();
    let nnt = (d != 0.0 || lo != 0.0 || hi != 0.0).then(|| nnt::nnt(d, lo, hi, desirable));
    Ok(RiskRow {
        label: assumed.label,
        risk,
        nnt,
        time_point: None,
    })
}

/// An SMD re-expressed with the familiar SD, and its rule-of-thumb size.
fn smd_reading(
    measure: Measure,
    effect: (f64, f64, f64),
    sd: Option<f64>,
) -> Result<(Option<(f64, f64, f64)>, Option<SmdSize>), SofError> {
    if measure != Measure::StandardizedMeanDifference {
        return Ok((None, None));
    }
    let re = match sd {
        Some(s) if s > 0.0 && s.is_finite() => Some(continuous::re_express(effect, s)),
        Some(s) => return Err(SofError::Sd { value: s }),
        None => None,
    };
    Ok((re, Some(continuous::smd_size(effect.0))))
}

/// The optimal information size for the outcome (see [`ois`]): binary outcomes from the
/// trials' pooled control risk (else the first assumed one); mean differences from the
/// studies' pooled SD and the threshold; SMDs with SD 1; continuous outcomes without a
/// threshold by GRADE's rule of thumb.
fn optimal_information_size(
    measure: Measure,
    studies: &[Study],
    trials: Option<&ControlRisks>,
    risks: &[RiskRow],
    opts: &SofOptions,
) -> Option<f64> {
    match measure {
        Measure::LogRiskRatio
        | Measure::LogOddsRatio
        | Measure::RiskDifference
        | Measure::LogHazardRatio => {
            let p = trials
                .map(|t| t.pooled)
                .or(risks.first().map(|r| r.risk.control))?;
            ois::binary(p, opts.rrr)
        }
        Measure::MeanDifference | Measure::StandardizedMeanDifference => {
            let sigma = match measure {
                Measure::MeanDifference => risks::pooled_sd(studies)?,
                _ => 1.0,
            };
            match opts.threshold {
                Some(t) => ois::continuous(sigma, t),
                None => Some(ois::CONTINUOUS_RULE_OF_THUMB),
            }
        }
        Measure::Generic => None,
    }
}

/// Whether every study has arms with sizes (2×2 tables or means and SDs).
pub fn has_arms(studies: &[Study]) -> bool {
    studies
        .iter()
        .all(|s| !matches!(s.data, StudyData::Effect { .. }))
}
