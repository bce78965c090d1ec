//! A review as RevMan 5 stores it: comparisons, outcomes, subgroups with their studies, and
//! the results RevMan computed and stored. [`crate::io::revman`] and [`crate::io::revman_csv`]
//! read these from `.rm5` files, CSV exports and data packages; [`crate::reproduce`] and
//! [`crate::pool::revman5`] recompute them.

use crate::effect::Measure;
use crate::pool::{CommonMethod, Model};
use crate::Study;

/// Results RevMan stored for a pool (natural scale for ratios); `None` when empty or absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stored {
    /// Pooled effect.
    pub estimate: Option<f64>,
    /// Lower limit.
    pub ci_low: Option<f64>,
    /// Upper limit.
    pub ci_high: Option<f64>,
    /// Heterogeneity Q (`CHI2`).
    pub q: Option<f64>,
    /// Its df.
    pub df: Option<f64>,
    /// I², percent.
    pub i2: Option<f64>,
    /// τ² (DL; 0 for fixed effect).
    pub tau2: Option<f64>,
    /// Z.
    pub z: Option<f64>,
    /// p of Z.
    pub p_value: Option<f64>,
    /// `ESTIMABLE="NO"`.
    pub not_estimable: bool,
    /// For values printed rounded (CSV exports, data packages): half a unit of the last
    /// printed digit of estimate, ci_low, ci_high, q, i2, tau2, z, p_value, in that order.
    /// `None` for the full-precision values of `.rm5` files.
    pub half_units: Option<[f64; 8]>,
}

/// A subgroup, or all rows of an outcome without subgroups.
#[derive(Debug, Clone)]
pub struct RmGroup {
    /// Subgroup number (`None`: the outcome has no subgroups).
    pub no: Option<u32>,
    /// Subgroup name.
    pub name: Option<String>,
    /// Its studies.
    pub studies: Vec<Study>,
    /// What RevMan stored for it.
    pub stored: Stored,
}

/// One outcome of a comparison.
#[derive(Debug, Clone)]
pub struct RmOutcome {
    /// Comparison number.
    pub comparison_no: u32,
    /// Comparison name.
    pub comparison_name: String,
    /// Outcome number.
    pub outcome_no: u32,
    /// Outcome name.
    pub name: String,
    /// `DICH`, `CONT` or `IV`.
    pub data_type: &'static str,
    /// The measure (for IV outcomes with ratio data: the log of the named ratio).
    pub measure: Measure,
    /// RevMan's name of the measure, e.g. `RR`, `PETO_OR`, `Hazard Ratio`.
    pub measure_label: String,
    /// Estimates are on the log scale and shown exponentiated.
    pub log_scale: bool,
    /// MH, IV or PETO.
    pub method: CommonMethod,
    /// Fixed or random.
    pub model: Model,
    /// The confidence level of the pooled CIs (`CI_TOTAL`, in percent in the file), 0.95 where
    /// the file does not give it.
    pub level: f64,
    /// `TOTALS`: `YES`, `SUB` or `NO`.
    pub totals: String,
    /// Whether the rows sit in subgroups.
    pub has_subgroups: bool,
    /// The outcome-level stored results.
    pub total: Stored,
    /// Stored test for subgroup differences `(Q, P_Q, I2_Q)`, with subgroups.
    pub subgroup_test: Option<(f64, f64, f64)>,
    /// Groups of rows.
    pub groups: Vec<RmGroup>,
    /// Why the outcome's rows could not be read (file, element, value), if so.
    pub error: Option<String>,
}

/// A review.
#[derive(Debug, Clone)]
pub struct RmReview {
    /// Title.
    pub title: String,
    /// Outcomes with statistics.
    pub outcomes: Vec<RmOutcome>,
    /// Outcomes left out (IPD, other), with the reason.
    pub skipped: Vec<String>,
}
