//! The rows of `repool check` (`repool.check.v1`): one [`CheckRow`] per claim, its findings and
//! its CSV row.

use serde::Serialize;

use super::csv_header;

/// Schema name of `repool check` JSON documents.
pub const CHECK_SCHEMA: &str = "repool.check.v1";

/// The JSON document of `repool check` (written by [`super::to_writer_sorted_pretty`]).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckDoc<'a> {
    /// [`CHECK_SCHEMA`].
    pub schema: &'static str,
    /// One row per claim.
    pub claims: &'a [CheckRow],
}

/// One finding in the JSON output of `repool check`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlagRow {
    /// Flag code.
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    /// Explanation.
    pub message: String,
}

/// One claim in the output of `repool check`.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct CheckRow {
    /// Claim id.
    pub id: String,
    /// Line in the claims file (null for `--text`).
    pub line: Option<u64>,
    /// Measure code.
    pub measure: Option<String>,
    /// Estimate as printed.
    pub estimate: Option<String>,
    /// Lower limit as printed.
    pub ci_low: Option<String>,
    /// Upper limit as printed.
    pub ci_high: Option<String>,
    /// Confidence level.
    pub level: Option<f64>,
    /// Findings.
    pub flags: Vec<FlagRow>,
    /// SE implied by the CI (analysis scale).
    pub implied_se: Option<f64>,
    /// p implied by the CI's whole width (null when the CI is asymmetric).
    pub implied_p: Option<f64>,
    /// p implied by the lower half of an asymmetric CI.
    pub implied_p_lower_half: Option<f64>,
    /// p implied by the upper half of an asymmetric CI.
    pub implied_p_upper_half: Option<f64>,
    /// Smallest implied p given rounding.
    pub implied_p_low: Option<f64>,
    /// Largest implied p given rounding.
    pub implied_p_high: Option<f64>,
    /// Relative asymmetry on the analysis scale.
    pub asymmetry: Option<f64>,
    /// Relevance category A-D.
    pub relevance: Option<String>,
    /// Its sentence.
    pub relevance_text: Option<String>,
    /// `none`, `null`, `threshold` or `both`.
    pub imprecision: Option<String>,
    /// The `source` cell.
    pub source: Option<String>,
    /// Error message, null when the claim was checked.
    pub error: Option<String>,
    /// What was not checked and why (e.g. a transcription with only some original numbers).
    pub notes: Vec<String>,
}

/// A CSV row of `repool check` (the field names are the header).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckCsvRow {
    id: String,
    line: String,
    measure: String,
    estimate: String,
    ci_low: String,
    ci_high: String,
    level: String,
    flags: String,
    severities: String,
    messages: String,
    implied_se: String,
    implied_p: String,
    implied_p_lower_half: String,
    implied_p_upper_half: String,
    implied_p_low: String,
    implied_p_high: String,
    asymmetry: String,
    relevance: String,
    relevance_text: String,
    imprecision: String,
    source: String,
    error: String,
    notes: String,
}

impl CheckRow {
    /// The row of a checked claim.
    pub fn from_result(
        id: String,
        line: Option<u64>,
        claim: &crate::check::Claim,
        r: &crate::check::CheckResult,
        source: Option<String>,
    ) -> CheckRow {
        CheckRow {
            id,
            line,
            measure: Some(claim.measure.code().into()),
            estimate: Some(claim.estimate.printed()),
            ci_low: Some(claim.ci_low.printed()),
            ci_high: Some(claim.ci_high.printed()),
            level: Some(claim.level),
            flags: r
                .flags
                .iter()
                .map(|f| FlagRow {
                    code: f.code.code().into(),
                    severity: f.severity.code().into(),
                    message: f.message.clone(),
                })
                .collect(),
            implied_se: Some(r.implied_se),
            implied_p: r.implied_p,
            implied_p_lower_half: r.implied_p_halves.map(|h| h.0),
            implied_p_upper_half: r.implied_p_halves.map(|h| h.1),
            implied_p_low: Some(r.implied_p_range.0),
            implied_p_high: Some(r.implied_p_range.1),
            asymmetry: Some(r.asymmetry),
            relevance: r.relevance.map(|c| c.code().into()),
            relevance_text: r.relevance_text.clone(),
            imprecision: Some(r.imprecision.code().into()),
            source,
            error: None,
            notes: Vec::new(),
        }
    }

    /// The most serious severity of the row's findings (`None` without findings).
    pub fn severity(&self) -> Option<crate::check::Severity> {
        self.flags
            .iter()
            .filter_map(|f| crate::check::Severity::parse(&f.severity))
            .max()
    }

    /// How many rows have an error-level finding, and how many only warnings.
    pub fn count_by_severity(rows: &[CheckRow]) -> (usize, usize) {
        use crate::check::Severity;
        let count = |s: Severity| rows.iter().filter(|r| r.severity() == Some(s)).count();
        (count(Severity::Error), count(Severity::Warning))
    }

    /// CSV header of [`CheckRow::csv_record`].
    pub fn csv_header() -> Vec<String> {
        csv_header::<CheckCsvRow>()
    }

    /// The row as CSV cells; flags and their severities joined with `;` (in the same order),
    /// messages and notes with ` | `.
    pub fn csv_record(&self) -> CheckCsvRow {
        let s = |x: &Option<String>| x.clone().unwrap_or_default();
        let f = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
        CheckCsvRow {
            id: self.id.clone(),
            line: self.line.map(|l| l.to_string()).unwrap_or_default(),
            measure: s(&self.measure),
            estimate: s(&self.estimate),
            ci_low: s(&self.ci_low),
            ci_high: s(&self.ci_high),
            level: f(self.level),
            flags: self
                .flags
                .iter()
                .map(|x| x.code.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            severities: self
                .flags
                .iter()
                .map(|x| x.severity.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            messages: self
                .flags
                .iter()
                .map(|x| x.message.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            implied_se: f(self.implied_se),
            implied_p: f(self.implied_p),
            implied_p_lower_half: f(self.implied_p_lower_half),
            implied_p_upper_half: f(self.implied_p_upper_half),
            implied_p_low: f(self.implied_p_low),
            implied_p_high: f(self.implied_p_high),
            asymmetry: f(self.asymmetry),
            relevance: s(&self.relevance),
            relevance_text: s(&self.relevance_text),
            imprecision: s(&self.imprecision),
            source: s(&self.source),
            error: s(&self.error),
            notes: self.notes.join(" | "),
        }
    }
}
