//! The rows of `repool sensitivity`: leave-one-out and cumulative pools
//! (`repool.sensitivity.v1`) and influence diagnostics (`repool.influence.v1`).

use serde::Serialize;

use crate::pool::influence::Influence;

/// Schema name of `repool sensitivity` JSON documents (leave-one-out, cumulative).
pub const SENSITIVITY_SCHEMA: &str = "repool.sensitivity.v1";

/// Schema name of `repool sensitivity --influence` JSON documents.
pub const INFLUENCE_SCHEMA: &str = "repool.influence.v1";

/// One pool of a leave-one-out or cumulative analysis (also its CSV row, in this order).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SensitivityRow {
    /// The study left out, or the last study added.
    pub study: String,
    /// Studies pooled.
    pub k: Option<usize>,
    /// Pooled estimate (analysis scale).
    pub estimate: Option<f64>,
    /// Its standard error.
    pub se: Option<f64>,
    /// Lower CI limit.
    pub ci_low: Option<f64>,
    /// Upper CI limit.
    pub ci_high: Option<f64>,
    /// p-value of the pooled effect.
    pub p_value: Option<f64>,
    /// τ².
    pub tau2: Option<f64>,
    /// Cochran's Q.
    pub q: Option<f64>,
    /// I², percent.
    pub i2: Option<f64>,
    /// Estimate on the display scale (ratios back-transformed).
    pub display_estimate: Option<f64>,
    /// Lower CI limit on the display scale.
    pub display_ci_low: Option<f64>,
    /// Upper CI limit on the display scale.
    pub display_ci_high: Option<f64>,
    /// Why this pool failed.
    pub error: Option<String>,
}

/// The JSON document of a leave-one-out or cumulative analysis.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SensitivityDoc<'a> {
    /// [`SENSITIVITY_SCHEMA`].
    pub schema: &'static str,
    /// `leave-one-out` or `cumulative`.
    pub kind: &'static str,
    /// One row per pool.
    pub rows: &'a [SensitivityRow],
}

/// Influence diagnostics of one study (as metafor's `influence()`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InfluenceRow<'a> {
    /// The study.
    pub study: &'a str,
    /// Externally standardised residual.
    pub rstudent: f64,
    /// DFFITS.
    pub dffits: f64,
    /// Cook's distance.
    pub cook_d: f64,
    /// Covariance ratio.
    pub cov_r: f64,
    /// τ² without the study.
    pub tau2_del: f64,
    /// Q without the study.
    pub qe_del: f64,
    /// Hat value.
    pub hat: f64,
    /// Weight, percent.
    pub weight: f64,
    /// DFBETAS of the pooled effect.
    pub dfbetas: f64,
    /// Flagged as influential by metafor's rule.
    pub influential: bool,
    /// Baujat x: contribution to the heterogeneity.
    pub baujat_x: f64,
    /// Baujat y: influence on the pooled result.
    pub baujat_y: f64,
}

impl<'a> InfluenceRow<'a> {
    /// The row of study `study`.
    pub fn new(study: &'a str, d: &Influence) -> InfluenceRow<'a> {
        InfluenceRow {
            study,
            rstudent: d.rstudent,
            dffits: d.dffits,
            cook_d: d.cook_d,
            cov_r: d.cov_r,
            tau2_del: d.tau2_del,
            qe_del: d.qe_del,
            hat: d.hat,
            weight: d.weight,
            dfbetas: d.dfbetas,
            influential: d.influential,
            baujat_x: d.baujat_x,
            baujat_y: d.baujat_y,
        }
    }
}

/// The JSON document of `repool sensitivity --influence`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InfluenceDoc<'a> {
    /// [`INFLUENCE_SCHEMA`].
    pub schema: &'static str,
    /// One row per study.
    pub rows: &'a [InfluenceRow<'a>],
}

/// A CSV row of `repool sensitivity --influence` (the field names are the header; numbers
/// with full precision).
#[derive(Debug, Clone, Default, Serialize)]
pub struct InfluenceCsvRow {
    study: String,
    rstudent: String,
    dffits: String,
    cook_d: String,
    cov_r: String,
    tau2_del: String,
    qe_del: String,
    hat: String,
    weight: String,
    dfbetas: String,
    influential: String,
    baujat_x: String,
    baujat_y: String,
}

impl InfluenceCsvRow {
    /// The CSV header.
    pub fn csv_header() -> Vec<String> {
        super::csv_header::<InfluenceCsvRow>()
    }

    /// The row of study `study`.
    pub fn new(study: &str, d: &Influence) -> InfluenceCsvRow {
        InfluenceCsvRow {
            study: study.to_string(),
            rstudent: d.rstudent.to_string(),
            dffits: d.dffits.to_string(),
            cook_d: d.cook_d.to_string(),
            cov_r: d.cov_r.to_string(),
            tau2_del: d.tau2_del.to_string(),
            qe_del: d.qe_del.to_string(),
            hat: d.hat.to_string(),
            weight: d.weight.to_string(),
            dfbetas: d.dfbetas.to_string(),
            influential: d.influential.to_string(),
            baujat_x: d.baujat_x.to_string(),
            baujat_y: d.baujat_y.to_string(),
        }
    }
}
