//! The rows of `repool compare` (`repool.compare.v1`): one row per program and model, with
//! the pool on the analysis and the display scale, and what differs from metafor's default.

use serde::Serialize;

use crate::compare::Row;
use crate::Measure;

/// Schema name of `repool compare` JSON documents.
pub const COMPARE_SCHEMA: &str = "repool.compare.v1";

/// One program's row of `repool compare` (JSON and CSV alike).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CompareRow {
    /// The program, e.g. `metafor`, `RevMan 5`.
    pub program: &'static str,
    /// The call or menu choice that computes it.
    pub call: String,
    /// The row is the program's default model.
    pub program_default: bool,
    /// `common` or `random`.
    pub model: &'static str,
    /// Studies pooled.
    pub k: Option<usize>,
    /// Pooled estimate (analysis scale).
    pub estimate: Option<f64>,
    /// Lower CI limit (analysis scale).
    pub ci_low: Option<f64>,
    /// Upper CI limit (analysis scale).
    pub ci_high: Option<f64>,
    /// p-value of the test of the pooled effect.
    pub p_value: Option<f64>,
    /// τ² (random effects).
    pub tau2: Option<f64>,
    /// I², percent.
    pub i2: Option<f64>,
    /// Lower prediction limit, when the program shows one (analysis scale).
    pub pi_low: Option<f64>,
    /// Upper prediction limit (analysis scale).
    pub pi_high: Option<f64>,
    /// Estimate on the display scale.
    pub display_estimate: Option<f64>,
    /// Lower CI limit on the display scale.
    pub display_ci_low: Option<f64>,
    /// Upper CI limit on the display scale.
    pub display_ci_high: Option<f64>,
    /// Lower prediction limit on the display scale.
    pub display_pi_low: Option<f64>,
    /// Upper prediction limit on the display scale.
    pub display_pi_high: Option<f64>,
    /// Settings that differ from metafor's default, joined by `; `.
    pub differences: String,
    /// What the row may not reproduce exactly, joined by `; `.
    pub caveats: String,
    /// Why the row could not be computed.
    pub error: Option<String>,
}

impl CompareRow {
    /// The row of one program's result; display values back-transformed by
    /// [`Measure::display`].
    pub fn new(r: &Row, measure: Measure) -> CompareRow {
        let d = |x: f64| measure.display(x);
        let ok = r.pooled();
        let pi = r.prediction_interval();
        CompareRow {
            program: r.setup.program,
            call: r.setup.call.clone(),
            program_default: r.setup.default,
            model: r.setup.model_code(),
            k: ok.map(|p| p.k),
            estimate: ok.map(|p| p.estimate),
            ci_low: ok.map(|p| p.ci_low),
            ci_high: ok.map(|p| p.ci_high),
            p_value: ok.and_then(|p| p.p_value),
            tau2: ok.and_then(|p| p.tau2),
            i2: ok.map(|p| p.heterogeneity.i2_percent),
            pi_low: pi.map(|x| x.0),
            pi_high: pi.map(|x| x.1),
            display_estimate: ok.map(|p| d(p.estimate)),
            display_ci_low: ok.map(|p| d(p.ci_low)),
            display_ci_high: ok.map(|p| d(p.ci_high)),
            display_pi_low: pi.map(|x| d(x.0)),
            display_pi_high: pi.map(|x| d(x.1)),
            differences: r.differences.join("; "),
            caveats: r.caveats.join("; "),
            error: r.error().map(|e| e.to_string()),
        }
    }
}

/// A `repool compare` document (written with sorted keys).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CompareDoc {
    /// [`COMPARE_SCHEMA`].
    pub schema: &'static str,
    /// Measure code.
    pub measure: &'static str,
    /// Confidence level.
    pub level: f64,
    /// One row per program and model.
    pub rows: Vec<CompareRow>,
}

impl CompareDoc {
    /// The document of `rows`, pooled with `measure` at `level`.
    pub fn new(measure: Measure, level: f64, rows: Vec<CompareRow>) -> CompareDoc {
        CompareDoc {
            schema: COMPARE_SCHEMA,
            measure: measure.code(),
            level,
            rows,
        }
    }
}
