//! The JSON rows of `repool revman` (`repool.revman.v1`): each outcome of a review,
//! recomputed and as stored.

use serde::Serialize;

use crate::effect::StudyData;
use crate::io::revman::RmOutcome;
use crate::reproduce::{OutcomeCheck, Values};

/// Schema name of `repool revman` JSON documents.
pub const REVMAN_SCHEMA: &str = "repool.revman.v1";

/// Schema name of `repool revman` JSON documents of several reviews.
pub const REVMAN_BATCH_SCHEMA: &str = "repool.revman-batch.v1";

/// A pooled result's numbers, recomputed or as stored in the review.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValuesRow {
    /// Pooled estimate (display scale).
    pub estimate: Option<f64>,
    /// Lower CI limit.
    pub ci_low: Option<f64>,
    /// Upper CI limit.
    pub ci_high: Option<f64>,
    /// Cochran's Q.
    pub q: Option<f64>,
    /// Degrees of freedom of Q.
    pub df: Option<f64>,
    /// I², percent.
    pub i2: Option<f64>,
    /// τ².
    pub tau2: Option<f64>,
    /// z statistic.
    pub z: Option<f64>,
    /// p-value of the pooled effect.
    pub p_value: Option<f64>,
}

impl From<&Values> for ValuesRow {
    fn from(v: &Values) -> Self {
        ValuesRow {
            estimate: v.estimate,
            ci_low: v.ci_low,
            ci_high: v.ci_high,
            q: v.q,
            df: v.df,
            i2: v.i2,
            tau2: v.tau2,
            z: v.z,
            p_value: v.p_value,
        }
    }
}

/// A test for subgroup differences, recomputed (with its df) or as stored (without).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RevmanSubgroupTestRow {
    /// Q between subgroups.
    pub q: f64,
    /// Degrees of freedom (recomputed tests only).
    pub df: Option<usize>,
    /// p-value.
    pub p_value: f64,
    /// I² for subgroup differences, percent.
    pub i2: f64,
}

/// One outcome (or subgroup) of a review: recomputed against stored.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutcomeRow {
    /// Comparison number in the review.
    pub comparison_no: u32,
    /// Outcome number within the comparison.
    pub outcome_no: u32,
    /// Subgroup number within the outcome.
    pub subgroup_no: Option<u32>,
    /// Outcome (or subgroup) name.
    pub name: String,
    /// Effect measure as RevMan names it.
    pub measure: String,
    /// Statistical method as RevMan names it.
    pub method: String,
    /// Model as RevMan names it.
    pub model: String,
    /// Number of studies.
    pub k: usize,
    /// Number of studies with an estimable effect.
    pub k_estimable: usize,
    /// The recomputed result.
    pub recomputed: Option<ValuesRow>,
    /// The result stored in the review.
    pub stored: Option<ValuesRow>,
    /// The recomputed test for subgroup differences.
    pub subgroup_test: Option<RevmanSubgroupTestRow>,
    /// The stored test for subgroup differences.
    pub stored_subgroup_test: Option<RevmanSubgroupTestRow>,
    /// Whether the stored result was reproduced.
    pub reproduced: Option<bool>,
    /// What differs.
    pub differences: Vec<String>,
    /// Why the outcome could not be recomputed.
    pub error: Option<String>,
}

impl From<&OutcomeCheck> for OutcomeRow {
    fn from(c: &OutcomeCheck) -> OutcomeRow {
        OutcomeRow {
            comparison_no: c.comparison_no,
            outcome_no: c.outcome_no,
            subgroup_no: c.subgroup_no,
            name: c.name.clone(),
            measure: c.measure.clone(),
            method: c.method.clone(),
            model: c.model.clone(),
            k: c.k,
            k_estimable: c.k_estimable,
            recomputed: c.recomputed.as_ref().map(Into::into),
            stored: c.stored.as_ref().map(Into::into),
            subgroup_test: c.subgroup_test.map(|(q, df, p, i2)| RevmanSubgroupTestRow {
                q,
                df: Some(df),
                p_value: p,
                i2,
            }),
            stored_subgroup_test: c
                .stored_subgroup_test
                .map(|(q, p, i2)| RevmanSubgroupTestRow {
                    q,
                    df: None,
                    p_value: p,
                    i2,
                }),
            reproduced: c.reproduced,
            differences: c.differences.clone(),
            error: c.error.clone(),
        }
    }
}

/// The JSON document of `repool revman`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RevmanDoc<'a> {
    /// [`REVMAN_SCHEMA`].
    pub schema: &'static str,
    /// The review's title.
    pub title: &'a str,
    /// Every outcome and subgroup.
    pub outcomes: &'a [OutcomeRow],
    /// What the reader left out, with why.
    pub skipped: &'a [String],
}

/// One review of a [`RevmanBatchDoc`]: what [`RevmanDoc`] holds for it, with the file it came
/// from, or the error that stopped its reading (then no title, outcomes or skipped).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RevmanBatchReview<'a> {
    /// The path of the review as given or found in a folder.
    pub file: &'a str,
    /// The review's title; `None` when it could not be read.
    pub title: Option<&'a str>,
    /// Every outcome and subgroup.
    pub outcomes: Vec<OutcomeRow>,
    /// What the reader left out, with why.
    pub skipped: &'a [String],
    /// Why the review could not be read.
    pub error: Option<String>,
}

/// The JSON document of `repool revman` for several reviews, in input order.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RevmanBatchDoc<'a> {
    /// [`REVMAN_BATCH_SCHEMA`].
    pub schema: &'static str,
    /// One entry per review.
    pub reviews: &'a [RevmanBatchReview<'a>],
}

/// A CSV row of `repool revman`: one outcome (or subgroup), recomputed and stored values side
/// by side (the field names are the header).
#[derive(Debug, Clone, Default, Serialize)]
pub struct OutcomeCsvRow {
    comparison_no: String,
    outcome_no: String,
    subgroup_no: String,
    name: String,
    measure: String,
    method: String,
    model: String,
    k: String,
    estimate: String,
    ci_low: String,
    ci_high: String,
    q: String,
    df: String,
    i2: String,
    tau2: String,
    z: String,
    p_value: String,
    stored_estimate: String,
    stored_ci_low: String,
    stored_ci_high: String,
    stored_q: String,
    stored_df: String,
    stored_i2: String,
    stored_tau2: String,
    stored_z: String,
    stored_p_value: String,
    reproduced: String,
    differences: String,
    error: String,
    k_estimable: String,
}

impl OutcomeCsvRow {
    /// The CSV header.
    pub fn csv_header() -> Vec<String> {
        super::csv_header::<OutcomeCsvRow>()
    }

    /// The row of a review that could not be read: only the error.
    pub fn unread(error: String) -> OutcomeCsvRow {
        OutcomeCsvRow {
            error,
            ..OutcomeCsvRow::default()
        }
    }

    /// The row of one outcome's check.
    pub fn new(c: &OutcomeCheck) -> OutcomeCsvRow {
        let v = c.recomputed.clone().unwrap_or_default();
        let s = c.stored.clone().unwrap_or_default();
        let o = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        OutcomeCsvRow {
            comparison_no: c.comparison_no.to_string(),
            outcome_no: c.outcome_no.to_string(),
            subgroup_no: c.subgroup_no.map(|n| n.to_string()).unwrap_or_default(),
            name: c.name.clone(),
            measure: c.measure.clone(),
            method: c.method.clone(),
            model: c.model.clone(),
            k: c.k.to_string(),
            estimate: o(v.estimate),
            ci_low: o(v.ci_low),
            ci_high: o(v.ci_high),
            q: o(v.q),
            df: o(v.df),
            i2: o(v.i2),
            tau2: o(v.tau2),
            z: o(v.z),
            p_value: o(v.p_value),
            stored_estimate: o(s.estimate),
            stored_ci_low: o(s.ci_low),
            stored_ci_high: o(s.ci_high),
            stored_q: o(s.q),
            stored_df: o(s.df),
            stored_i2: o(s.i2),
            stored_tau2: o(s.tau2),
            stored_z: o(s.z),
            stored_p_value: o(s.p_value),
            reproduced: c.reproduced.map(|r| r.to_string()).unwrap_or_default(),
            differences: c.differences.join("; "),
            error: c.error.clone().unwrap_or_default(),
            k_estimable: c.k_estimable.to_string(),
        }
    }
}

/// One outcome of a review as a CSV in the input schema of `repool pool` (study, year,
/// subgroup when the outcome has subgroups, then the columns of its data: 2×2 tables, means
/// and SDs, or `yi`, `vi`), numbers as stored, labels quoted.
pub fn outcome_input_csv(o: &RmOutcome) -> String {
    let mut text = String::new();
    let sub = o.has_subgroups;
    let header = match o
        .groups
        .iter()
        .flat_map(|g| g.studies.first())
        .next()
        .map(|s| &s.data)
    {
        Some(StudyData::TwoByTwo { .. }) => "events_t,n_t,events_c,n_c",
        Some(StudyData::MeanSd { .. }) => "mean_t,sd_t,n_t,mean_c,sd_c,n_c",
        _ => "yi,vi",
    };
    text.push_str(&format!(
        "study,year,{}{header}\n",
        if sub { "subgroup," } else { "" }
    ));
    for g in &o.groups {
        for s in &g.studies {
            let cells = match s.data {
                StudyData::TwoByTwo {
                    events_t,
                    n_t,
                    events_c,
                    n_c,
                } => format!("{events_t},{n_t},{events_c},{n_c}"),
                StudyData::MeanSd {
                    mean_t,
                    sd_t,
                    n_t,
                    mean_c,
                    sd_c,
                    n_c,
                } => format!("{mean_t},{sd_t},{n_t},{mean_c},{sd_c},{n_c}"),
                StudyData::Effect { yi, vi } => format!("{yi},{vi}"),
            };
            let q = |x: &str| format!("\"{}\"", x.replace('"', "\"\""));
            text.push_str(&format!(
                "{},{},{}{cells}\n",
                q(&s.label),
                s.year.map(|y| y.to_string()).unwrap_or_default(),
                if sub {
                    format!("{},", q(g.name.as_deref().unwrap_or("")))
                } else {
                    String::new()
                }
            ));
        }
    }
    text
}
