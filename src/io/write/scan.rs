//! The rows of `repool scan` (`repool.scan.v1`): each document scanned and each finding in it.

use serde::Serialize;

use super::{csv_header, CheckRow, FlagRow};

/// Schema name of `repool scan` JSON documents.
pub const SCAN_SCHEMA: &str = "repool.scan.v1";

/// One estimate found by `repool scan`, numbers on the printed scale.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ScanFindingRow {
    /// Line of the estimate (1-based).
    pub line: usize,
    /// Column of the estimate in characters (1-based).
    pub column: usize,
    /// The snippet as printed.
    pub text: String,
    /// Measure named by the text (`null` when it does not say).
    pub measure: Option<String>,
    /// Scale of the checks: `ratio` or `difference`.
    pub scale: String,
    /// Estimate.
    pub estimate: f64,
    /// Lower limit.
    pub ci_low: f64,
    /// Upper limit.
    pub ci_high: f64,
    /// Confidence level in percent.
    pub level: f64,
    /// p-value as printed (its bound for `p < x` and `p > x`).
    pub p: Option<f64>,
    /// `=`, `<` or `>`.
    pub p_relation: Option<String>,
    /// Number of studies.
    pub n_studies: Option<u64>,
    /// Number of patients.
    pub n_patients: Option<u64>,
    /// The text's clinical-relevance verdict.
    pub verdict: Option<bool>,
    /// Findings of the checks.
    pub flags: Vec<FlagRow>,
    /// SE implied by the CI (analysis scale: log for ratios).
    pub implied_se: Option<f64>,
    /// p implied by the CI (null when it is asymmetric).
    pub implied_p: Option<f64>,
    /// p implied by the lower half of an asymmetric CI.
    pub implied_p_lower_half: Option<f64>,
    /// p implied by the upper half of an asymmetric CI.
    pub implied_p_upper_half: Option<f64>,
    /// Relevance category A-D (with a threshold).
    pub relevance: Option<String>,
    /// Its sentence.
    pub relevance_text: Option<String>,
    /// Why the numbers cannot be checked.
    pub error: Option<String>,
    /// Byte span of the snippet in the document's text (not serialised).
    #[serde(skip)]
    pub span: (usize, usize),
    /// Estimate, lower and upper limit as printed, decimals kept (not serialised).
    #[serde(skip)]
    pub printed: [String; 3],
}

/// A CSV row of `repool scan`: the document, then the finding (the field names are the header).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanFindingCsvRow {
    file: String,
    line: String,
    column: String,
    measure: String,
    scale: String,
    estimate: String,
    ci_low: String,
    ci_high: String,
    level: String,
    p: String,
    p_relation: String,
    n_studies: String,
    n_patients: String,
    verdict: String,
    flags: String,
    severities: String,
    messages: String,
    implied_se: String,
    implied_p: String,
    relevance: String,
    error: String,
    text: String,
}

impl ScanFindingRow {
    /// The row of a finding.
    pub fn new(f: &crate::check::scan::Finding) -> ScanFindingRow {
        use crate::check::ReportedP;
        let c = &f.claim;
        let (p, rel) = match c.p {
            Some(ReportedP::Equal(r)) => (Some(r.value), Some("=")),
            Some(ReportedP::Below(x)) => (Some(x), Some("<")),
            Some(ReportedP::Above(x)) => (Some(x), Some(">")),
            None => (None, None),
        };
        let mut row = ScanFindingRow {
            line: f.line,
            column: f.column,
            text: f.text.clone(),
            measure: f.measure.map(String::from),
            scale: if c.measure.is_ratio() {
                "ratio"
            } else {
                "difference"
            }
            .into(),
            estimate: c.estimate.value,
            ci_low: c.ci_low.value,
            ci_high: c.ci_high.value,
            level: f.level,
            p,
            p_relation: rel.map(String::from),
            n_studies: f.n_studies,
            n_patients: f.n_patients,
            verdict: c.verdict,
            span: f.span,
            printed: [
                c.estimate.printed(),
                c.ci_low.printed(),
                c.ci_high.printed(),
            ],
            ..ScanFindingRow::default()
        };
        match &f.check {
            Ok(r) => {
                let base = CheckRow::from_result(String::new(), None, c, r, None);
                row.flags = base.flags;
                row.implied_se = base.implied_se;
                row.implied_p = base.implied_p;
                row.implied_p_lower_half = base.implied_p_lower_half;
                row.implied_p_upper_half = base.implied_p_upper_half;
                row.relevance = base.relevance;
                row.relevance_text = base.relevance_text;
            }
            Err(e) => row.error = Some(e.to_string()),
        }
        row
    }

    /// The most serious severity of the row's flags; a finding that cannot be checked
    /// (limits in the wrong order, a ratio at or below 0) counts as an error.
    pub fn severity(&self) -> Option<crate::check::Severity> {
        if self.error.is_some() {
            return Some(crate::check::Severity::Error);
        }
        self.flags
            .iter()
            .filter_map(|f| crate::check::Severity::parse(&f.severity))
            .max()
    }

    /// CSV header of [`ScanFindingRow::csv_record`] (after a `file` column).
    pub fn csv_header() -> Vec<String> {
        csv_header::<ScanFindingCsvRow>()
    }

    /// The row as CSV cells, `file` first.
    pub fn csv_record(&self, file: &str) -> ScanFindingCsvRow {
        let f = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
        let u = |x: Option<u64>| x.map(|v| v.to_string()).unwrap_or_default();
        let join = |g: fn(&FlagRow) -> &str, sep: &str| {
            self.flags.iter().map(g).collect::<Vec<_>>().join(sep)
        };
        ScanFindingCsvRow {
            file: file.to_string(),
            line: self.line.to_string(),
            column: self.column.to_string(),
            measure: self.measure.clone().unwrap_or_default(),
            scale: self.scale.clone(),
            estimate: format!("{}", self.estimate),
            ci_low: format!("{}", self.ci_low),
            ci_high: format!("{}", self.ci_high),
            level: format!("{}", self.level),
            p: f(self.p),
            p_relation: self.p_relation.clone().unwrap_or_default(),
            n_studies: u(self.n_studies),
            n_patients: u(self.n_patients),
            verdict: self
                .verdict
                .map(|v| if v { "yes" } else { "no" }.to_string())
                .unwrap_or_default(),
            flags: join(|x| &x.code, ";"),
            severities: join(|x| &x.severity, ";"),
            messages: join(|x| &x.message, " | "),
            implied_se: f(self.implied_se),
            implied_p: f(self.implied_p),
            relevance: self.relevance.clone().unwrap_or_default(),
            error: self.error.clone().unwrap_or_default(),
            text: self.text.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

/// A `repool scan` JSON document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScanDoc<'a> {
    /// [`SCAN_SCHEMA`].
    pub schema: &'static str,
    /// The documents scanned, in the order given.
    pub documents: Vec<&'a ScanDocRow>,
}

/// One document in the output of `repool scan`.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ScanDocRow {
    /// The file (`-` for standard input).
    pub file: String,
    /// Language of the explanations: `en`, `nl` or `fr`.
    pub lang: String,
    /// What was done to read it (e.g. decoded as Windows-1252).
    pub note: Option<String>,
    /// Why it could not be read (then no findings).
    pub error: Option<String>,
    /// The estimates found.
    pub findings: Vec<ScanFindingRow>,
}
