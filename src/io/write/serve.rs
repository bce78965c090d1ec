//! The JSON replies of `repool serve` (`POST /api/pool`, and every refusal of `/api/png`):
//! `{"ok": true, "errors": [], "result": {...}}` or `{"ok": false, "errors": [...]}`.

use serde::Serialize;

/// A problem, at a data row (0-based) and column of the table when it has one.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CellError {
    /// Data row of the table (0-based), when the problem has one.
    pub row: Option<u64>,
    /// Column of the table, when the problem has one.
    pub column: Option<String>,
    /// What is wrong, in the page's language where the message is the server's own.
    pub message: String,
}

impl CellError {
    /// A problem of the whole table or request.
    pub fn new(message: impl Into<String>) -> CellError {
        CellError {
            row: None,
            column: None,
            message: message.into(),
        }
    }
}

/// A pooled estimate and its CI on the display scale.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Numbers {
    /// Estimate.
    pub estimate: f64,
    /// Lower CI limit.
    pub ci_low: f64,
    /// Upper CI limit.
    pub ci_high: f64,
}

/// The reply to a pooling request.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PoolReply {
    /// Whether the table was pooled.
    pub ok: bool,
    /// Why not (empty when `ok`).
    pub errors: Vec<CellError>,
    /// The result, when `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<PoolResult>,
}

impl PoolReply {
    /// The reply of a pooled table.
    pub fn result(result: PoolResult) -> PoolReply {
        PoolReply {
            ok: true,
            errors: Vec::new(),
            result: Some(result),
        }
    }

    /// The reply of a refused request.
    pub fn errors(errors: Vec<CellError>) -> PoolReply {
        PoolReply {
            ok: false,
            errors,
            result: None,
        }
    }
}

/// What the page shows of a pool.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PoolResult {
    /// Measure code (metafor's).
    pub measure: String,
    /// Number of studies.
    pub k: usize,
    /// Pooled estimate on the display scale (ratios back-transformed).
    pub estimate: f64,
    /// Lower CI limit, display scale.
    pub ci_low: f64,
    /// Upper CI limit, display scale.
    pub ci_high: f64,
    /// p-value of the pooled effect.
    pub p_value: Option<f64>,
    /// τ² (random effects).
    pub tau2: Option<f64>,
    /// I², percent.
    pub i2: f64,
    /// Cochran's Q.
    pub q: f64,
    /// Lower prediction limit, display scale.
    pub pi_low: Option<f64>,
    /// Upper prediction limit, display scale.
    pub pi_high: Option<f64>,
    /// The test: `z` or `t(df)`.
    pub test: String,
    /// One line: measure, estimate, CI and k.
    pub summary: String,
    /// The pool of all studies, when some were left out.
    pub with_all: Option<Numbers>,
    /// The forest plot (SVG).
    pub svg: String,
    /// The worked explanation (plain text).
    pub explain: String,
    /// The pool's notes.
    pub notes: Vec<String>,
    /// The summary of findings of the pool (absolute effects per 1,000 with the trials'
    /// control risk, NNT, suggestions), when one can be made from the data.
    pub sof: Option<ServeSof>,
}

/// The summary of findings the page shows under the pooled result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ServeSof {
    /// The outcome as in `repool.sof.v1` (per-1,000 numbers unrounded).
    pub outcome: super::sof::SofOutcomeRow,
    /// The same as text, in the page's language, rounded as a table prints it.
    pub text: String,
}
