//! The JSON rows of `repool revman` (`repool.revman.v1`): each outcome of a review,
//! recomputed and as stored.

use serde::Serialize;

use crate::reproduce::Values;

/// Schema name of `repool revman` JSON documents.
pub const REVMAN_SCHEMA: &str = "repool.revman.v1";

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
