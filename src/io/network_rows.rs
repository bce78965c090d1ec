//! The JSON and CSV formats of `repool network`: flat serialisable rows built from the
//! library's [`Comparison`]s and [`Split`]s, the `repool.network.v1` object and the
//! `repool.network.batch.v1` batch, and their schema names.
//!
//! Every JSON object is written with its keys in alphabetical order: the structs below that
//! are only written as JSON list their fields in that order, and the rows (whose field order
//! is the CSV column order) are written through [`SortedRows`].

use serde::Serialize;

use crate::format::Lang;
use crate::network::{
    AgainstReference, Comparison, LeagueTable, NetworkModel, NetworkNote, NetworkResult, QTest,
    SmdMethod, Split,
};
use crate::Measure;

/// Schema name of the JSON object of one network.
pub const NETWORK_SCHEMA: &str = "repool.network.v1";
/// Schema name of the JSON object of a file with several analyses.
pub const NETWORK_BATCH_SCHEMA: &str = "repool.network.batch.v1";

/// One treatment against the reference under both models (`--table treatments`, the JSON's
/// `versus_reference`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreatmentRow {
    /// The analysis (batch CSV only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<String>,
    /// The treatment.
    pub treatment: String,
    /// The reference treatment.
    pub reference: String,
    /// Common-effect estimate (analysis scale).
    pub common_estimate: f64,
    /// Its standard error.
    pub common_se: f64,
    /// Lower confidence limit.
    pub common_ci_low: f64,
    /// Upper confidence limit.
    pub common_ci_high: f64,
    /// p-value.
    pub common_p: f64,
    /// Random-effects estimate (analysis scale).
    pub random_estimate: f64,
    /// Its standard error.
    pub random_se: f64,
    /// Lower confidence limit.
    pub random_ci_low: f64,
    /// Upper confidence limit.
    pub random_ci_high: f64,
    /// p-value.
    pub random_p: f64,
    /// Lower prediction limit.
    pub pi_low: Option<f64>,
    /// Upper prediction limit.
    pub pi_high: Option<f64>,
    /// P-score, common effect.
    pub pscore_common: f64,
    /// P-score, random effects.
    pub pscore_random: f64,
    /// The common-effect estimate on the display scale (a ratio for ratio measures).
    pub display_common_estimate: f64,
    /// Its lower confidence limit, display scale.
    pub display_common_ci_low: f64,
    /// Its upper confidence limit, display scale.
    pub display_common_ci_high: f64,
    /// The random-effects estimate, display scale.
    pub display_random_estimate: f64,
    /// Its lower confidence limit, display scale.
    pub display_random_ci_low: f64,
    /// Its upper confidence limit, display scale.
    pub display_random_ci_high: f64,
    /// Lower prediction limit, display scale.
    pub display_pi_low: Option<f64>,
    /// Upper prediction limit, display scale.
    pub display_pi_high: Option<f64>,
}

impl TreatmentRow {
    /// The row of `r`; `treatments` names the network's treatments.
    pub fn new(treatments: &[String], r: &AgainstReference, measure: Measure) -> TreatmentRow {
        let (c, rd) = (&r.common, &r.random);
        let (dc, dr) = (c.display(measure), rd.display(measure));
        TreatmentRow {
            analysis: None,
            treatment: treatments[rd.treatment].clone(),
            reference: treatments[rd.reference].clone(),
            common_estimate: c.estimate,
            common_se: c.se,
            common_ci_low: c.ci.low,
            common_ci_high: c.ci.high,
            common_p: c.p_value,
            random_estimate: rd.estimate,
            random_se: rd.se,
            random_ci_low: rd.ci.low,
            random_ci_high: rd.ci.high,
            random_p: rd.p_value,
            pi_low: rd.prediction.map(|p| p.low),
            pi_high: rd.prediction.map(|p| p.high),
            pscore_common: r.pscore_common,
            pscore_random: r.pscore_random,
            display_common_estimate: dc.estimate,
            display_common_ci_low: dc.ci.low,
            display_common_ci_high: dc.ci.high,
            display_random_estimate: dr.estimate,
            display_random_ci_low: dr.ci.low,
            display_random_ci_high: dr.ci.high,
            display_pi_low: dr.prediction.map(|p| p.low),
            display_pi_high: dr.prediction.map(|p| p.high),
        }
    }
}

/// One cell of the league table (`--table league`, the JSON's `league`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeagueRow {
    /// The analysis (batch CSV only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<String>,
    /// Row treatment.
    pub treatment1: String,
    /// Column treatment.
    pub treatment2: String,
    /// Estimate of treatment1 against treatment2 (analysis scale).
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit.
    pub ci_high: f64,
    /// p-value.
    pub p: f64,
    /// The estimate on the display scale.
    pub display_estimate: f64,
    /// Lower confidence limit, display scale.
    pub display_ci_low: f64,
    /// Upper confidence limit, display scale.
    pub display_ci_high: f64,
}

impl LeagueRow {
    /// The row of `c`; `treatments` names the network's treatments.
    pub fn new(treatments: &[String], c: &Comparison, measure: Measure) -> LeagueRow {
        let d = c.display(measure);
        LeagueRow {
            analysis: None,
            treatment1: treatments[c.treatment].clone(),
            treatment2: treatments[c.reference].clone(),
            estimate: c.estimate,
            se: c.se,
            ci_low: c.ci.low,
            ci_high: c.ci.high,
            p: c.p_value,
            display_estimate: d.estimate,
            display_ci_low: d.ci.low,
            display_ci_high: d.ci.high,
        }
    }
}

/// One node-split (`--table splits`, the JSON's `splits`), on the analysis scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitRow {
    /// The analysis (batch CSV only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<String>,
    /// First treatment.
    pub treatment1: String,
    /// Second treatment.
    pub treatment2: String,
    /// Studies with direct evidence.
    pub k: usize,
    /// Network estimate.
    pub nma: f64,
    /// Its standard error.
    pub nma_se: f64,
    /// Direct estimate.
    pub direct: f64,
    /// Its standard error.
    pub direct_se: f64,
    /// Indirect estimate.
    pub indirect: Option<f64>,
    /// Its standard error.
    pub indirect_se: Option<f64>,
    /// Direct minus indirect.
    pub difference: Option<f64>,
    /// z of the difference.
    pub z: Option<f64>,
    /// p of the difference.
    pub p: Option<f64>,
}

impl SplitRow {
    /// The row of `s`; `treatments` names the network's treatments.
    pub fn new(treatments: &[String], s: &Split) -> SplitRow {
        SplitRow {
            analysis: None,
            treatment1: treatments[s.t1].clone(),
            treatment2: treatments[s.t2].clone(),
            k: s.k,
            nma: s.nma.0,
            nma_se: s.nma_se(),
            direct: s.direct.0,
            direct_se: s.direct_se(),
            indirect: s.indirect.map(|x| x.0),
            indirect_se: s.indirect_se(),
            difference: s.difference.map(|x| x.0),
            z: s.difference.map(|x| x.1),
            p: s.difference.map(|x| x.2),
        }
    }
}

/// The three tables of one network as rows.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkTables {
    /// Every treatment against the reference.
    pub versus_reference: Vec<TreatmentRow>,
    /// The league table, long format.
    pub league: Vec<LeagueRow>,
    /// The node-splits.
    pub splits: Vec<SplitRow>,
}

impl NetworkTables {
    /// The rows of `against` (every treatment against the reference), `league` and the
    /// node-splits of `model`.
    pub fn new(
        res: &NetworkResult,
        against: &[AgainstReference],
        league: &LeagueTable,
        model: NetworkModel,
        measure: Measure,
    ) -> NetworkTables {
        let tr = &res.network.treatments;
        NetworkTables {
            versus_reference: against
                .iter()
                .map(|r| TreatmentRow::new(tr, r, measure))
                .collect(),
            league: league
                .comparisons
                .iter()
                .map(|c| LeagueRow::new(tr, c, measure))
                .collect(),
            splits: res
                .splits(model)
                .iter()
                .map(|s| SplitRow::new(tr, s))
                .collect(),
        }
    }
}

/// Rows written as JSON objects with their keys in alphabetical order (as every object of
/// the output), one row at a time: a league table of a million rows is never held as
/// `serde_json::Value`s.
#[derive(Debug, Clone, Copy)]
pub struct SortedRows<'a, T>(pub &'a [T]);

impl<T: Serialize> Serialize for SortedRows<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for row in self.0 {
            let v = serde_json::to_value(row).map_err(serde::ser::Error::custom)?;
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

/// A Q test in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QTestJson {
    /// Degrees of freedom.
    pub df: usize,
    /// p-value (`null` when df = 0).
    pub p: Option<f64>,
    /// The statistic.
    pub q: f64,
}

impl From<&QTest> for QTestJson {
    fn from(t: &QTest) -> Self {
        QTestJson {
            df: t.df,
            p: t.p,
            q: t.q,
        }
    }
}

/// A note in JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteJson<'a> {
    /// Kind of note ([`NetworkNote::kind`]).
    pub kind: &'static str,
    /// The note as a sentence.
    pub message: String,
    /// The study it is about, if any.
    pub study: Option<&'a str>,
}

impl<'a> NoteJson<'a> {
    /// The note `n` with its message in `lang`.
    pub fn new(n: &'a NetworkNote, lang: Lang) -> Self {
        NoteJson {
            kind: n.kind(),
            message: n.message(lang),
            study: n.study(),
        }
    }
}

/// The settings a network was analysed with, as the JSON shows them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkJsonSettings {
    /// Effect measure.
    pub measure: Measure,
    /// Confidence level.
    pub level: f64,
    /// Index of the reference treatment.
    pub reference: usize,
    /// True when smaller values are better.
    pub small_values_good: bool,
    /// The model of the league table and node-splits.
    pub model: NetworkModel,
    /// Trials without events kept.
    pub all_studies: bool,
    /// How SMDs were computed from arm rows.
    pub smd_method: SmdMethod,
    /// Language of the notes.
    pub lang: Lang,
}

/// The `repool.network.v1` object of one network; fields in alphabetical order (the order
/// of the keys as written).
#[derive(Debug, Clone, Serialize)]
pub struct NetworkJson<'a> {
    /// `--all-studies`.
    pub all_studies: bool,
    /// Pairwise comparisons (contrasts).
    pub comparisons: usize,
    /// Design-by-treatment interaction under random effects.
    pub design_by_treatment_random: QTestJson,
    /// Designs.
    pub designs: usize,
    /// I², percent.
    pub i2: f64,
    /// The league table.
    pub league: SortedRows<'a, LeagueRow>,
    /// Confidence level.
    pub level: f64,
    /// Measure code.
    pub measure: &'static str,
    /// Model of the league table and node-splits.
    pub model: &'static str,
    /// Studies with more than two arms.
    pub multi_arm_studies: usize,
    /// What was left out or used as it is.
    pub notes: Vec<NoteJson<'a>>,
    /// The prediction-interval rule.
    pub pi_df: &'static str,
    /// The t degrees of freedom of the prediction intervals.
    pub pi_t_df: Option<usize>,
    /// Q between designs.
    pub q_between_designs: QTestJson,
    /// Total Q.
    pub q_total: QTestJson,
    /// Q within designs.
    pub q_within_designs: QTestJson,
    /// Reference treatment.
    pub reference: &'a str,
    /// [`NETWORK_SCHEMA`].
    pub schema: &'static str,
    /// `good` or `bad`.
    pub small_values: &'static str,
    /// `cohen` or `hedges`.
    pub smd_method: &'static str,
    /// The node-splits.
    pub splits: SortedRows<'a, SplitRow>,
    /// Studies.
    pub studies: usize,
    /// τ.
    pub tau: f64,
    /// τ² (generalised DL).
    pub tau2: f64,
    /// τ² of the design-by-treatment model.
    pub tau2_design_by_treatment: f64,
    /// Treatment names.
    pub treatments: &'a [String],
    /// Every treatment against the reference.
    pub versus_reference: SortedRows<'a, TreatmentRow>,
}

impl<'a> NetworkJson<'a> {
    /// The object of `res` with its `tables`.
    pub fn new(
        res: &'a NetworkResult,
        tables: &'a NetworkTables,
        s: &NetworkJsonSettings,
    ) -> NetworkJson<'a> {
        let net = &res.network;
        NetworkJson {
            all_studies: s.all_studies,
            comparisons: net.edges.len(),
            design_by_treatment_random: (&res.q_between_random).into(),
            designs: res.designs.len(),
            i2: res.i2,
            league: SortedRows(&tables.league),
            level: s.level,
            measure: s.measure.code(),
            model: s.model.code(),
            multi_arm_studies: net.n_multi_arm(),
            notes: net.notes.iter().map(|n| NoteJson::new(n, s.lang)).collect(),
            pi_df: res.pi_df.code(),
            pi_t_df: res.pi_df.df(res.q_total.df),
            q_between_designs: (&res.q_between).into(),
            q_total: (&res.q_total).into(),
            q_within_designs: (&res.q_within).into(),
            reference: &net.treatments[s.reference],
            schema: NETWORK_SCHEMA,
            small_values: if s.small_values_good { "good" } else { "bad" },
            smd_method: s.smd_method.code(),
            splits: SortedRows(&tables.splits),
            studies: net.studies.len(),
            tau: res.random.tau(),
            tau2: res.random.tau2,
            tau2_design_by_treatment: res.tau2_within,
            treatments: &net.treatments,
            versus_reference: SortedRows(&tables.versus_reference),
        }
    }
}

/// One analysis of a batch: its result or its error.
#[derive(Debug, Clone, Serialize)]
pub struct BatchEntry<'a> {
    /// The value of the `analysis` column.
    pub analysis: &'a str,
    /// Why it could not be analysed.
    pub error: Option<&'a str>,
    /// The result.
    pub result: Option<NetworkJson<'a>>,
}

/// The `repool.network.batch.v1` object.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkBatchJson<'a> {
    /// The analyses in the order of the file.
    pub analyses: Vec<BatchEntry<'a>>,
    /// [`NETWORK_BATCH_SCHEMA`].
    pub schema: &'static str,
}
