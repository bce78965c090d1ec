//! The rows of `repool reproduce` (`repool.reproduce.v1`): the published result and each
//! combination of methods tried, with its `repool pool` command.

use serde::Serialize;

use super::csv_header;

/// Schema name of `repool reproduce` JSON documents.
pub const REPRODUCE_SCHEMA: &str = "repool.reproduce.v1";

/// The published result `repool reproduce` searched for.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PublishedRow {
    /// Measure code.
    pub measure: String,
    /// Estimate as printed.
    pub estimate: String,
    /// Lower limit as printed.
    pub ci_low: String,
    /// Upper limit as printed.
    pub ci_high: String,
    /// Confidence level.
    pub level: f64,
}

/// One combination of methods behind a row of `repool reproduce`.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct MethodRow {
    /// What was computed.
    pub label: String,
    /// The `repool pool` options that recompute it, one argument per element.
    pub args: Vec<String>,
    /// The `repool pool` command line.
    pub command: String,
}

/// One distinct result in the output of `repool reproduce`: the combination of methods
/// papers use most among those that give it (`label`, `args`, `command`) and all of them
/// (`methods`).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct CandidateRow {
    /// What was computed.
    pub label: String,
    /// The `repool pool` options that recompute it, one argument per element.
    pub args: Vec<String>,
    /// The `repool pool` command line (the input file and `args`, quoted for a POSIX shell).
    pub command: String,
    /// Estimate (display scale: ratios exponentiated).
    pub estimate: f64,
    /// Lower CI limit (display scale).
    pub ci_low: f64,
    /// Upper CI limit (display scale).
    pub ci_high: f64,
    /// Largest distance to a printed number in half units of its last digit.
    pub distance: f64,
    /// Whether all three round to the printed numbers (distance ≤ 1).
    pub reproduced: bool,
    /// Every combination that gives these numbers (up to floating-point error), the one
    /// above first.
    pub methods: Vec<MethodRow>,
    /// Whether one of them is metafor's default (random effects, REML, z CI).
    pub metafor_default: bool,
}

/// A `repool reproduce` JSON document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReproduceDoc {
    /// [`REPRODUCE_SCHEMA`].
    pub schema: &'static str,
    /// The published result.
    pub published: PublishedRow,
    /// Studies in the data.
    pub studies: usize,
    /// How many distinct results reproduce the printed numbers.
    pub reproduced: usize,
    /// How many combinations of methods give them.
    pub reproduced_combinations: usize,
    /// The distinct results listed (see `--top`): those that reproduce the printed numbers,
    /// the methods papers use most first, or the closest; metafor's default always.
    pub candidates: Vec<CandidateRow>,
}

/// A CSV row of `repool reproduce` (the field names are the header).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CandidateCsvRow {
    label: String,
    estimate: String,
    ci_low: String,
    ci_high: String,
    distance: String,
    reproduced: String,
    command: String,
    methods: String,
    metafor_default: String,
}

impl CandidateRow {
    /// CSV header of [`CandidateRow::csv_record`].
    pub fn csv_header() -> Vec<String> {
        csv_header::<CandidateCsvRow>()
    }

    /// The row as CSV cells.
    pub fn csv_record(&self) -> CandidateCsvRow {
        CandidateCsvRow {
            label: self.label.clone(),
            estimate: format!("{}", self.estimate),
            ci_low: format!("{}", self.ci_low),
            ci_high: format!("{}", self.ci_high),
            distance: format!("{}", self.distance),
            reproduced: self.reproduced.to_string(),
            command: self.command.clone(),
            methods: self
                .methods
                .iter()
                .map(|m| m.label.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            metafor_default: self.metafor_default.to_string(),
        }
    }
}
