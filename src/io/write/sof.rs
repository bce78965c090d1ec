//! The rows of `repool sof` (`repool.sof.v1`): one [`SofOutcomeRow`] per outcome with its
//! absolute effects ([`SofRiskRow`]) and certainty suggestions, and the CSV row (one per
//! outcome and control risk).
//!
//! Per-1,000 numbers and NNTs are unrounded here; only text, Markdown and HTML round them.
//! `relative` is on the display scale (the ratio, not its log) and only for ratio measures;
//! `effect` holds the pooled effect of every measure on its display scale.

use serde::Serialize;

use super::csv_header;
use crate::format::Lang;
use crate::sof::certainty::Judgement;
use crate::sof::nnt::Nnt;
use crate::sof::text::reason;
use crate::sof::{Outcome, RiskRow};

/// Schema name of `repool sof` JSON documents.
pub const SOF_SCHEMA: &str = "repool.sof.v1";

/// The JSON document of `repool sof`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SofDoc {
    /// [`SOF_SCHEMA`].
    pub schema: &'static str,
    /// One row per outcome.
    pub outcomes: Vec<SofOutcomeRow>,
}

/// An estimate and its CI.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct EstimateRow {
    /// Estimate.
    pub estimate: f64,
    /// Lower limit.
    pub ci_low: f64,
    /// Upper limit.
    pub ci_high: f64,
}

impl From<(f64, f64, f64)> for EstimateRow {
    fn from((estimate, ci_low, ci_high): (f64, f64, f64)) -> Self {
        EstimateRow {
            estimate,
            ci_low,
            ci_high,
        }
    }
}

/// One assumed control risk and what the pooled effect makes of it, per 1,000.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SofRiskRow {
    /// Which control risk ("study population", "median control risk" or the user's label).
    pub label: String,
    /// Control risk per 1,000.
    pub control_per_1000: f64,
    /// Corresponding intervention risk per 1,000.
    pub intervention_per_1000: f64,
    /// Its lower limit.
    pub intervention_ci_low: f64,
    /// Its upper limit.
    pub intervention_ci_high: f64,
    /// Intervention minus control, per 1,000.
    pub difference_per_1000: f64,
    /// Its lower limit.
    pub difference_ci_low: f64,
    /// Its upper limit.
    pub difference_ci_high: f64,
    /// 1/|difference| (null when the difference is 0).
    pub nnt: Option<f64>,
    /// The NNT at the difference's lower limit (null when that limit is 0).
    pub nnt_ci_low: Option<f64>,
    /// The NNT at the difference's upper limit (null when that limit is 0).
    pub nnt_ci_high: Option<f64>,
    /// `benefit` or `harm`.
    pub nnt_kind: Option<&'static str>,
    /// `benefit` or `harm` at the lower limit (differs from the upper one when the CI passes
    /// through infinity).
    pub nnt_ci_low_kind: Option<&'static str>,
    /// `benefit` or `harm` at the upper limit.
    pub nnt_ci_high_kind: Option<&'static str>,
    /// Whether a limit lay outside 0–1 and is shown at the bound.
    pub bounded: bool,
}

/// A suggestion for one domain and its reasons in words.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JudgementRow {
    /// `no_concern`, `rate_down_one`, `rate_down_two` or `not_assessable`.
    pub suggestion: &'static str,
    /// Why, in the output's language.
    pub reasons: Vec<String>,
}

/// The certainty suggestions, and the reviewer's own judgements where given.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CertaintyRow {
    /// Imprecision.
    pub imprecision: JudgementRow,
    /// Inconsistency.
    pub inconsistency: JudgementRow,
    /// Publication bias.
    pub publication_bias: JudgementRow,
    /// The reviewer's judgement of risk of bias, as given.
    pub risk_of_bias: Option<String>,
    /// The reviewer's judgement of indirectness, as given.
    pub indirectness: Option<String>,
    /// The published certainty, as given.
    pub published: Option<String>,
}

/// The control risks of the trials (2×2 data), as proportions.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct TrialRisksRow {
    /// Σ events / Σ participants of the control arms.
    pub pooled: f64,
    /// Median.
    pub median: f64,
    /// Lowest.
    pub lowest: f64,
    /// Highest.
    pub highest: f64,
}

/// One outcome of a summary of findings.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SofOutcomeRow {
    /// The outcome's name.
    pub outcome: String,
    /// Measure code (RR, OR, MD, …).
    pub measure: &'static str,
    /// Studies.
    pub k: usize,
    /// Participants (null when a study gives only its effect).
    pub participants: Option<f64>,
    /// The pooled ratio on the display scale (ratio measures only).
    pub relative: Option<EstimateRow>,
    /// The pooled effect on the display scale (every measure).
    pub effect: EstimateRow,
    /// Absolute effects, one per control risk (binary outcomes).
    pub risks: Vec<SofRiskRow>,
    /// The control risks of the trials.
    pub trial_control_risks: Option<TrialRisksRow>,
    /// An SMD re-expressed on the familiar scale given by its SD.
    pub re_expressed: Option<EstimateRow>,
    /// `trivial`, `small`, `moderate` or `large` (SMD, rule of thumb).
    pub smd_size: Option<&'static str>,
    /// A–D against the threshold.
    pub relevance: Option<&'static str>,
    /// The optimal information size used for imprecision.
    pub optimal_information_size: Option<f64>,
    /// Certainty suggestions.
    pub certainty: CertaintyRow,
}

/// What the reviewer adds to an outcome: judgements the data cannot make.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewerInput {
    /// Risk of bias.
    pub risk_of_bias: Option<String>,
    /// Indirectness.
    pub indirectness: Option<String>,
    /// The certainty the publication states.
    pub published: Option<String>,
}

fn judgement(lang: Lang, j: &Judgement) -> JudgementRow {
    JudgementRow {
        suggestion: j.suggestion.code(),
        reasons: j.reasons.iter().map(|r| reason(lang, r)).collect(),
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn nnt_cells(n: Option<&Nnt>) -> [(Option<f64>, Option<&'static str>); 3] {
    match n {
        Some(n) => [
            (finite(n.value), Some(n.kind.code())),
            (finite(n.low.value), Some(n.low.kind.code())),
            (finite(n.high.value), Some(n.high.kind.code())),
        ],
        None => [(None, None); 3],
    }
}

impl SofRiskRow {
    /// The row of one control risk.
    pub fn new(lang: Lang, r: &RiskRow) -> SofRiskRow {
        let k = &r.risk;
        let (d, dl, dh) = k.difference();
        let [n, lo, hi] = nnt_cells(r.nnt.as_ref());
        SofRiskRow {
            label: crate::sof::text::row_label(lang, r),
            control_per_1000: 1000.0 * k.control,
            intervention_per_1000: 1000.0 * k.intervention,
            intervention_ci_low: 1000.0 * k.intervention_low,
            intervention_ci_high: 1000.0 * k.intervention_high,
            difference_per_1000: 1000.0 * d,
            difference_ci_low: 1000.0 * dl,
            difference_ci_high: 1000.0 * dh,
            nnt: n.0,
            nnt_ci_low: lo.0,
            nnt_ci_high: hi.0,
            nnt_kind: n.1,
            nnt_ci_low_kind: lo.1,
            nnt_ci_high_kind: hi.1,
            bounded: k.bounded,
        }
    }
}

impl SofOutcomeRow {
    /// The row of one outcome named `name`, its reasons and labels in `lang`.
    pub fn new(name: &str, o: &Outcome, reviewer: &ReviewerInput, lang: Lang) -> SofOutcomeRow {
        SofOutcomeRow {
            outcome: name.to_string(),
            measure: o.measure.code(),
            k: o.k,
            participants: o.participants,
            relative: o.measure.is_ratio().then(|| o.effect.into()),
            effect: o.effect.into(),
            risks: o.risks.iter().map(|r| SofRiskRow::new(lang, r)).collect(),
            trial_control_risks: o.trials.map(|t| TrialRisksRow {
                pooled: t.pooled,
                median: t.median,
                lowest: t.lowest,
                highest: t.highest,
            }),
            re_expressed: o.re_expressed.map(Into::into),
            smd_size: o.smd_size.map(|s| s.code()),
            relevance: o.relevance.map(|r| r.code()),
            optimal_information_size: o.ois,
            certainty: CertaintyRow {
                imprecision: judgement(lang, &o.certainty.imprecision),
                inconsistency: judgement(lang, &o.certainty.inconsistency),
                publication_bias: judgement(lang, &o.certainty.publication_bias),
                risk_of_bias: reviewer.risk_of_bias.clone(),
                indirectness: reviewer.indirectness.clone(),
                published: reviewer.published.clone(),
            },
        }
    }

    /// The CSV rows of this outcome: one per control risk, or one without risks.
    pub fn csv_records(&self) -> Vec<SofCsvRow> {
        let base = SofCsvRow {
            outcome: self.outcome.clone(),
            measure: self.measure.to_string(),
            k: self.k.to_string(),
            participants: cell(self.participants),
            estimate: self.effect.estimate.to_string(),
            ci_low: self.effect.ci_low.to_string(),
            ci_high: self.effect.ci_high.to_string(),
            imprecision: self.certainty.imprecision.suggestion.to_string(),
            inconsistency: self.certainty.inconsistency.suggestion.to_string(),
            publication_bias: self.certainty.publication_bias.suggestion.to_string(),
            relevance: self.relevance.unwrap_or_default().to_string(),
            ..SofCsvRow::default()
        };
        if self.risks.is_empty() {
            return vec![base];
        }
        self.risks.iter().map(|r| base.with_risk(r)).collect()
    }

    /// The CSV header.
    pub fn csv_header() -> Vec<String> {
        csv_header::<SofCsvRow>()
    }
}

fn cell(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// A CSV row of `repool sof` (the field names are the header).
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct SofCsvRow {
    pub outcome: String,
    pub measure: String,
    pub k: String,
    pub participants: String,
    pub estimate: String,
    pub ci_low: String,
    pub ci_high: String,
    pub label: String,
    pub control_per_1000: String,
    pub intervention_per_1000: String,
    pub intervention_ci_low: String,
    pub intervention_ci_high: String,
    pub difference_per_1000: String,
    pub difference_ci_low: String,
    pub difference_ci_high: String,
    pub nnt: String,
    pub nnt_ci_low: String,
    pub nnt_ci_high: String,
    pub nnt_kind: String,
    pub nnt_ci_low_kind: String,
    pub nnt_ci_high_kind: String,
    pub bounded: String,
    pub relevance: String,
    pub imprecision: String,
    pub inconsistency: String,
    pub publication_bias: String,
}

impl SofCsvRow {
    fn with_risk(&self, r: &SofRiskRow) -> SofCsvRow {
        SofCsvRow {
            label: r.label.clone(),
            control_per_1000: r.control_per_1000.to_string(),
            intervention_per_1000: r.intervention_per_1000.to_string(),
            intervention_ci_low: r.intervention_ci_low.to_string(),
            intervention_ci_high: r.intervention_ci_high.to_string(),
            difference_per_1000: r.difference_per_1000.to_string(),
            difference_ci_low: r.difference_ci_low.to_string(),
            difference_ci_high: r.difference_ci_high.to_string(),
            nnt: cell(r.nnt),
            nnt_ci_low: cell(r.nnt_ci_low),
            nnt_ci_high: cell(r.nnt_ci_high),
            nnt_kind: r.nnt_kind.unwrap_or_default().to_string(),
            nnt_ci_low_kind: r.nnt_ci_low_kind.unwrap_or_default().to_string(),
            nnt_ci_high_kind: r.nnt_ci_high_kind.unwrap_or_default().to_string(),
            bounded: r.bounded.to_string(),
            ..self.clone()
        }
    }
}
