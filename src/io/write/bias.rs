//! The rows of `repool bias` (`repool.bias.v1`): Egger's and Begg's tests and trim-and-fill,
//! and one CSV row per test.

use serde::Serialize;

use crate::pool::bias::{Begg, Egger, EggerRma, TrimFill, TrimFillEstimator};

use super::csv_header;

/// Schema name of `repool bias` JSON documents.
pub const BIAS_SCHEMA: &str = "repool.bias.v1";

/// Egger's classic regression test in the output of `repool bias`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EggerRow {
    /// t statistic of the slope on the SE.
    pub t: f64,
    /// Its df (k − 2).
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The intercept: the effect at SE = 0 (analysis scale).
    pub limit_estimate: f64,
    /// The slope on the SE.
    pub slope: f64,
}

/// The Begg–Mazumdar rank correlation in the output of `repool bias`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BeggRow {
    /// Kendall's τ.
    pub tau: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Whether the p-value is exact (no ties) or from the normal approximation.
    pub exact: bool,
}

/// Egger's test as a meta-regression on the SE in the output of `repool bias`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EggerRmaRow {
    /// z statistic of the SE coefficient.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The intercept (analysis scale).
    pub limit_estimate: f64,
}

/// An estimate and CI back-transformed for display (ratio measures exponentiated).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DisplayCi {
    /// Estimate.
    pub estimate: f64,
    /// Lower limit.
    pub ci_low: f64,
    /// Upper limit.
    pub ci_high: f64,
}

/// A study filled in by trim-and-fill.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FilledRow {
    /// Effect (analysis scale).
    pub yi: f64,
    /// Variance.
    pub vi: f64,
}

/// Trim-and-fill in the output of `repool bias`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrimFillRow {
    /// `L0` or `R0`.
    pub estimator: String,
    /// Studies estimated missing.
    pub k0: usize,
    /// `left` or `right`.
    pub side: String,
    /// Pooled estimate with the filled studies (analysis scale).
    pub estimate: f64,
    /// Its SE.
    pub se: f64,
    /// Lower CI limit.
    pub ci_low: f64,
    /// Upper CI limit.
    pub ci_high: f64,
    /// τ² of the filled analysis.
    pub tau2: f64,
    /// Display scale (ratio measures exponentiated; otherwise the same numbers).
    pub display: DisplayCi,
    /// The filled studies.
    pub filled: Vec<FilledRow>,
}

/// A `repool bias` document: the tests for small-study effects of one analysis.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BiasDoc {
    /// [`BIAS_SCHEMA`].
    pub schema: &'static str,
    /// Studies with an effect.
    pub k: usize,
    /// Measure code.
    pub measure: String,
    /// Egger's classic test.
    pub egger: EggerRow,
    /// Begg–Mazumdar.
    pub begg: BeggRow,
    /// Egger's test as meta-regression.
    pub egger_rma: EggerRmaRow,
    /// Trim-and-fill.
    pub trimfill: TrimFillRow,
    /// Fewer than 10 studies, or null.
    pub warning: Option<String>,
}

impl BiasDoc {
    /// The document of the four tests on `k` studies of `measure`.
    pub fn new(
        measure: crate::Measure,
        k: usize,
        tests: (&Egger, &Begg, &EggerRma),
        tf: &TrimFill,
        estimator: TrimFillEstimator,
        warning: Option<String>,
    ) -> BiasDoc {
        let (egger, begg, rma) = tests;
        let d = |x: f64| measure.display(x);
        BiasDoc {
            schema: BIAS_SCHEMA,
            k,
            measure: measure.code().into(),
            egger: EggerRow {
                t: egger.t,
                df: egger.df,
                p_value: egger.p_value,
                limit_estimate: egger.limit_estimate,
                slope: egger.slope,
            },
            begg: BeggRow {
                tau: begg.tau,
                p_value: begg.p_value,
                exact: begg.exact,
            },
            egger_rma: EggerRmaRow {
                z: rma.z,
                p_value: rma.p_value,
                limit_estimate: rma.limit_estimate,
            },
            trimfill: TrimFillRow {
                estimator: match estimator {
                    TrimFillEstimator::L0 => "L0",
                    TrimFillEstimator::R0 => "R0",
                }
                .into(),
                k0: tf.k0,
                side: tf.side.into(),
                estimate: tf.estimate,
                se: tf.se,
                ci_low: tf.ci.0,
                ci_high: tf.ci.1,
                tau2: tf.tau2,
                display: DisplayCi {
                    estimate: d(tf.estimate),
                    ci_low: d(tf.ci.0),
                    ci_high: d(tf.ci.1),
                },
                filled: tf
                    .filled
                    .iter()
                    .map(|&(yi, vi)| FilledRow { yi, vi })
                    .collect(),
            },
            warning,
        }
    }

    /// CSV header of [`BiasDoc::csv_records`].
    pub fn csv_header() -> Vec<String> {
        csv_header::<BiasCsvCells>()
    }

    /// One CSV row per test: `egger` (classic regression; `estimate` is the limit estimate,
    /// the effect at SE = 0), `egger_rma` (meta-regression on the SE; the same), `begg`
    /// (`statistic` is Kendall's τ) and `trimfill` (the pool with the filled studies); the
    /// cells a test has no value for are empty.
    pub fn csv_records(&self) -> Vec<BiasCsvCells> {
        let t = &self.trimfill;
        let rows = [
            BiasCsvRow {
                test: "egger",
                statistic: Some(("t", self.egger.t)),
                df: Some(self.egger.df),
                p_value: Some(self.egger.p_value),
                estimate: Some(self.egger.limit_estimate),
                slope: Some(self.egger.slope),
                ..BiasCsvRow::default()
            },
            BiasCsvRow {
                test: "egger_rma",
                statistic: Some(("z", self.egger_rma.z)),
                p_value: Some(self.egger_rma.p_value),
                estimate: Some(self.egger_rma.limit_estimate),
                ..BiasCsvRow::default()
            },
            BiasCsvRow {
                test: "begg",
                statistic: Some(("kendall_tau", self.begg.tau)),
                p_value: Some(self.begg.p_value),
                exact: Some(self.begg.exact),
                ..BiasCsvRow::default()
            },
            BiasCsvRow {
                test: "trimfill",
                estimate: Some(t.estimate),
                se: Some(t.se),
                ci: Some((t.ci_low, t.ci_high)),
                tau2: Some(t.tau2),
                trimfill: Some((t.estimator.as_str(), t.k0, t.side.as_str())),
                ..BiasCsvRow::default()
            },
        ];
        let measure = crate::Measure::from_code(&self.measure);
        rows.iter()
            .map(|r| r.record(&self.measure, measure, self.k, self.warning.as_deref()))
            .collect()
    }
}

/// A CSV row of `repool bias`: one test (the field names are the header).
#[derive(Debug, Clone, Default, Serialize)]
pub struct BiasCsvCells {
    test: String,
    measure: String,
    k: String,
    statistic_type: String,
    statistic: String,
    df: String,
    p_value: String,
    exact: String,
    estimate: String,
    se: String,
    ci_low: String,
    ci_high: String,
    tau2: String,
    display_estimate: String,
    display_ci_low: String,
    display_ci_high: String,
    slope: String,
    estimator: String,
    k0: String,
    side: String,
    warning: String,
}

/// One test of [`BiasDoc::csv_records`]; `None` is an empty cell.
#[derive(Default)]
struct BiasCsvRow<'a> {
    test: &'a str,
    statistic: Option<(&'a str, f64)>,
    df: Option<f64>,
    p_value: Option<f64>,
    exact: Option<bool>,
    estimate: Option<f64>,
    se: Option<f64>,
    ci: Option<(f64, f64)>,
    tau2: Option<f64>,
    slope: Option<f64>,
    trimfill: Option<(&'a str, usize, &'a str)>,
}

impl BiasCsvRow<'_> {
    fn record(
        &self,
        code: &str,
        measure: Option<crate::Measure>,
        k: usize,
        warning: Option<&str>,
    ) -> BiasCsvCells {
        let f = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
        let d = |x: Option<f64>| f(x.map(|v| measure.map_or(v, |m| m.display(v))));
        let tf = self.trimfill;
        BiasCsvCells {
            test: self.test.into(),
            measure: code.into(),
            k: k.to_string(),
            statistic_type: self.statistic.map(|s| s.0.to_string()).unwrap_or_default(),
            statistic: f(self.statistic.map(|s| s.1)),
            df: f(self.df),
            p_value: f(self.p_value),
            exact: self.exact.map(|e| e.to_string()).unwrap_or_default(),
            estimate: f(self.estimate),
            se: f(self.se),
            ci_low: f(self.ci.map(|c| c.0)),
            ci_high: f(self.ci.map(|c| c.1)),
            tau2: f(self.tau2),
            display_estimate: d(self.estimate),
            display_ci_low: d(self.ci.map(|c| c.0)),
            display_ci_high: d(self.ci.map(|c| c.1)),
            slope: f(self.slope),
            estimator: tf.map(|t| t.0.to_string()).unwrap_or_default(),
            k0: tf.map(|t| t.1.to_string()).unwrap_or_default(),
            side: tf.map(|t| t.2.to_string()).unwrap_or_default(),
            warning: warning.unwrap_or_default().into(),
        }
    }
}
