//! Output rows for JSON (`repool.pool.v1`) and CSV, built from [`PooledEstimate`].
//!
//! These flat types are the serialisation boundary: the domain types can change without
//! changing the file formats scripts rely on.

use serde::Serialize;

mod revman;
mod sensitivity;
pub mod serve;

pub use revman::{
    OutcomeCsvRow, OutcomeRow, RevmanDoc, RevmanSubgroupTestRow, ValuesRow, REVMAN_SCHEMA,
};
pub use sensitivity::{
    InfluenceCsvRow, InfluenceDoc, InfluenceRow, SensitivityDoc, SensitivityRow, INFLUENCE_SCHEMA,
    SENSITIVITY_SCHEMA,
};

/// The header of a CSV row type: the names of its fields, in order. The row types hold
/// their cells as text (numbers with full precision, empty for none), so that a cell reads
/// the same whichever writer wrote it.
pub fn csv_header<T: Serialize + Default>() -> Vec<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(T::default())
        .expect("a row of text cells serialises");
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(String::from).collect())
        .unwrap_or_default()
}

/// A CSV writer of rows whose header is written apart ([`csv_header`]), so that a file
/// without rows still has its header.
pub fn csv_writer<W: std::io::Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().has_headers(false).from_writer(w)
}

/// Writes `doc` as indented JSON with the keys of every object in alphabetical order, as the
/// `check`, `revman` and `sensitivity` documents have always been written (their order is
/// part of the format; `pool`, `scan`, `bias`, `regress` and `reproduce` keep their fields'
/// order).
pub fn to_writer_sorted_pretty<W: std::io::Write, T: Serialize>(
    w: W,
    doc: &T,
) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(w, &serde_json::to_value(doc)?)
}

use crate::pool::bias::{Begg, Egger, EggerRma, TrimFill, TrimFillEstimator};
use crate::pool::permutation::PermutationTest;
use crate::pool::regression::MetaRegression;
use crate::pool::{Model, PooledEstimate, TestKind};

/// Schema name written into every JSON document of `repool pool`.
pub const POOL_SCHEMA: &str = "repool.pool.v1";

/// The `repool.pool.v1` JSON document written one analysis at a time, so that memory does not
/// grow with the number of analyses: `{"schema":"repool.pool.v1","analyses":[`, one
/// [`AnalysisRow`] per line, `]}`.
#[derive(Debug, Default)]
pub struct PoolJson {
    rows: usize,
}

impl PoolJson {
    /// Writes the opening of the document.
    pub fn begin(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        write!(w, "{{\"schema\":\"{POOL_SCHEMA}\",\"analyses\":[")
    }

    /// Writes one analysis.
    pub fn row(
        &mut self,
        w: &mut impl std::io::Write,
        row: &AnalysisRow,
    ) -> serde_json::Result<()> {
        let sep: &[u8] = if self.rows == 0 { b"\n" } else { b",\n" };
        w.write_all(sep).map_err(serde_json::Error::io)?;
        serde_json::to_writer(&mut *w, row)?;
        self.rows += 1;
        Ok(())
    }

    /// Writes the end of the document.
    pub fn end(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        w.write_all(b"\n]}\n")
    }
}

/// Back-transformed values of a ratio measure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Display {
    /// `exp(estimate)`.
    pub estimate: f64,
    /// `exp(ci_low)`.
    pub ci_low: f64,
    /// `exp(ci_high)`.
    pub ci_high: f64,
    /// `exp(pi_low)`.
    pub pi_low: Option<f64>,
    /// `exp(pi_high)`.
    pub pi_high: Option<f64>,
}

/// One study in the JSON output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StudyRow {
    /// Label.
    pub study: String,
    /// Effect (analysis scale).
    pub yi: Option<f64>,
    /// Variance.
    pub vi: Option<f64>,
    /// Lower CI limit (analysis scale).
    pub ci_low: Option<f64>,
    /// Upper CI limit (analysis scale).
    pub ci_high: Option<f64>,
    /// Weight, percent.
    pub weight: f64,
    /// Whether a continuity correction was applied.
    pub corrected: bool,
    /// Why the study has no effect, if so.
    pub excluded: Option<String>,
}

/// The test for subgroup differences in the output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubgroupTestRow {
    /// Q between subgroups.
    pub q: f64,
    /// Its degrees of freedom.
    pub df: usize,
    /// p-value.
    pub p_value: f64,
    /// I² for subgroup differences, percent.
    pub i2: f64,
}

/// One analysis: every scalar of the result, `null` where unused.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct AnalysisRow {
    /// The `analysis` value (null without an analysis column).
    pub analysis: Option<String>,
    /// The subgroup (with `--by-subgroup`; null for all studies).
    pub subgroup: Option<String>,
    /// Test for subgroup differences (on the all-studies row with `--by-subgroup`).
    pub subgroup_test: Option<SubgroupTestRow>,
    /// Measure code.
    pub measure: Option<String>,
    /// `fixed` or `random`.
    pub model: Option<String>,
    /// `IV`, `MH` or `PETO`.
    pub method: Option<String>,
    /// τ² estimator (random effects).
    pub tau2_method: Option<String>,
    /// `z`, `hksj` or `hksj-adhoc`.
    pub ci_method: Option<String>,
    /// Confidence level, e.g. 0.95.
    pub level: Option<f64>,
    /// Studies in the analysis (for Mantel–Haenszel and Peto pools every 2×2 table, as
    /// metafor's `rma.mh()`/`rma.peto()` and RevMan count them).
    pub k: Option<usize>,
    /// Studies with an effect of their own, the ones in Q (`q_df = k_estimable - 1`).
    pub k_estimable: Option<usize>,
    /// Pooled estimate (analysis scale).
    pub estimate: Option<f64>,
    /// Its SE.
    pub se: Option<f64>,
    /// Lower CI limit.
    pub ci_low: Option<f64>,
    /// Upper CI limit.
    pub ci_high: Option<f64>,
    /// `z` or `t`.
    pub statistic_type: Option<String>,
    /// z or t value.
    pub statistic: Option<f64>,
    /// df of t (null for z).
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
    /// τ².
    pub tau2: Option<f64>,
    /// τ.
    pub tau: Option<f64>,
    /// Iterations of the τ² estimator.
    pub tau2_iterations: Option<usize>,
    /// Cochran's Q.
    pub q: Option<f64>,
    /// df of Q.
    pub q_df: Option<usize>,
    /// p of Q.
    pub q_p: Option<f64>,
    /// I², percent.
    pub i2: Option<f64>,
    /// `tau2` or `q`.
    pub i2_method: Option<String>,
    /// H².
    pub h2: Option<f64>,
    /// Q-profile CI of τ², lower limit.
    pub tau2_ci_low: Option<f64>,
    /// Q-profile CI of τ², upper limit.
    pub tau2_ci_high: Option<f64>,
    /// I² at the lower τ² limit (percent).
    pub i2_ci_low: Option<f64>,
    /// I² at the upper τ² limit (percent).
    pub i2_ci_high: Option<f64>,
    /// H² at the lower τ² limit.
    pub h2_ci_low: Option<f64>,
    /// H² at the upper τ² limit.
    pub h2_ci_high: Option<f64>,
    /// Higgins–Thompson CI of I², lower limit (percent).
    pub i2_ht_ci_low: Option<f64>,
    /// Higgins–Thompson CI of I², upper limit (percent).
    pub i2_ht_ci_high: Option<f64>,
    /// Lower prediction limit.
    pub pi_low: Option<f64>,
    /// Upper prediction limit.
    pub pi_high: Option<f64>,
    /// `metafor` or `higgins`.
    pub pi_method: Option<String>,
    /// `log` for ratio measures, else `linear`.
    pub scale: Option<String>,
    /// Back-transformed values for ratio measures.
    pub display: Option<Display>,
    /// Studies.
    pub studies: Vec<StudyRow>,
    /// Notes.
    pub notes: Vec<String>,
    /// Error message, null when the analysis was pooled.
    pub error: Option<String>,
}

/// A CSV row of `repool pool`: the scalar fields of an [`AnalysisRow`] as cells (empty for
/// null, numbers with full precision); the field names are the header.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AnalysisCsvRow {
    analysis: String,
    measure: String,
    model: String,
    method: String,
    tau2_method: String,
    ci_method: String,
    level: String,
    k: String,
    estimate: String,
    se: String,
    ci_low: String,
    ci_high: String,
    statistic_type: String,
    statistic: String,
    df: String,
    p_value: String,
    tau2: String,
    tau: String,
    tau2_iterations: String,
    q: String,
    q_df: String,
    q_p: String,
    i2: String,
    i2_method: String,
    h2: String,
    pi_low: String,
    pi_high: String,
    pi_method: String,
    scale: String,
    display_estimate: String,
    display_ci_low: String,
    display_ci_high: String,
    display_pi_low: String,
    display_pi_high: String,
    notes: String,
    error: String,
    subgroup: String,
    subgroup_q: String,
    subgroup_df: String,
    subgroup_p: String,
    subgroup_i2: String,
    tau2_ci_low: String,
    tau2_ci_high: String,
    i2_ci_low: String,
    i2_ci_high: String,
    h2_ci_low: String,
    h2_ci_high: String,
    i2_ht_ci_low: String,
    i2_ht_ci_high: String,
    k_estimable: String,
}

impl AnalysisRow {
    /// The row of a pooled analysis without its per-study rows (enough for CSV output, and
    /// cheaper for large batches).
    pub fn summary_of(name: Option<String>, r: &PooledEstimate) -> AnalysisRow {
        AnalysisRow::build(name, r, false)
    }

    /// The row of a pooled analysis.
    pub fn from_result(name: Option<String>, r: &PooledEstimate) -> AnalysisRow {
        AnalysisRow::build(name, r, true)
    }

    fn build(name: Option<String>, r: &PooledEstimate, with_studies: bool) -> AnalysisRow {
        let c = &r.config;
        let ratio = c.measure.is_ratio();
        let (df, stype) = match r.test {
            TestKind::Z => (None, "z"),
            TestKind::T { df } => (Some(df), "t"),
        };
        let random = c.model == Model::Random;
        AnalysisRow {
            analysis: name,
            subgroup: None,
            subgroup_test: None,
            measure: Some(c.measure.code().into()),
            model: Some(c.model.code().into()),
            method: Some(c.method.code().into()),
            tau2_method: random.then(|| c.tau2_method.code().into()),
            ci_method: Some(c.ci.code().into()),
            level: Some(c.level),
            k: Some(r.k),
            k_estimable: Some(r.k_estimable),
            estimate: Some(r.estimate),
            se: Some(r.se),
            ci_low: Some(r.ci_low),
            ci_high: Some(r.ci_high),
            statistic_type: Some(stype.into()),
            statistic: r.statistic,
            df,
            p_value: r.p_value,
            tau2: r.tau2,
            tau: r.tau(),
            tau2_iterations: r.tau2_iterations,
            q: Some(r.heterogeneity.q),
            q_df: Some(r.heterogeneity.df),
            q_p: Some(r.heterogeneity.p_value),
            i2: Some(r.heterogeneity.i2_percent),
            i2_method: Some(
                match (c.i2, random) {
                    (crate::pool::I2Method::Tau2, true) => "tau2",
                    _ => "q",
                }
                .into(),
            ),
            h2: Some(r.heterogeneity.h2),
            tau2_ci_low: r.tau2_ci.map(|c| c.0),
            tau2_ci_high: r.tau2_ci.map(|c| c.1),
            i2_ci_low: r.i2_ci.map(|c| c.0),
            i2_ci_high: r.i2_ci.map(|c| c.1),
            h2_ci_low: r.h2_ci.map(|c| c.0),
            h2_ci_high: r.h2_ci.map(|c| c.1),
            i2_ht_ci_low: r.i2_ht_ci.map(|c| c.0),
            i2_ht_ci_high: r.i2_ht_ci.map(|c| c.1),
            pi_low: r.pi.map(|p| p.0),
            pi_high: r.pi.map(|p| p.1),
            pi_method: r.pi.map(|_| {
                match c.pi {
                    crate::pool::PiMethod::Metafor => "metafor",
                    crate::pool::PiMethod::Higgins => "higgins",
                }
                .into()
            }),
            scale: Some(if ratio { "log" } else { "linear" }.into()),
            display: ratio.then(|| Display {
                estimate: r.estimate.exp(),
                ci_low: r.ci_low.exp(),
                ci_high: r.ci_high.exp(),
                pi_low: r.pi.map(|p| p.0.exp()),
                pi_high: r.pi.map(|p| p.1.exp()),
            }),
            studies: if !with_studies {
                Vec::new()
            } else {
                r.studies
                    .iter()
                    .map(|s| StudyRow {
                        study: s.label.clone(),
                        yi: s.effect.map(|e| e.yi()),
                        vi: s.effect.map(|e| e.vi()),
                        ci_low: s.ci.map(|c| c.0),
                        ci_high: s.ci.map(|c| c.1),
                        weight: s.weight_percent,
                        corrected: s.corrected,
                        excluded: s.excluded.clone(),
                    })
                    .collect()
            },
            notes: r.notes.clone(),
            error: None,
        }
    }

    /// The row of an analysis that failed.
    pub fn from_error(name: Option<String>, message: String) -> AnalysisRow {
        AnalysisRow {
            analysis: name,
            error: Some(message),
            ..AnalysisRow::default()
        }
    }

    /// The CSV header of [`AnalysisRow::csv_record`].
    pub fn csv_header() -> Vec<String> {
        csv_header::<AnalysisCsvRow>()
    }

    /// The scalar fields as CSV cells (empty for null), numbers with full precision; written
    /// by [`csv_writer`]'s `serialize`.
    pub fn csv_record(&self) -> AnalysisCsvRow {
        fn s(x: &Option<String>) -> String {
            x.clone().unwrap_or_default()
        }
        fn f(x: Option<f64>) -> String {
            x.map(|v| format!("{v}")).unwrap_or_default()
        }
        fn u(x: Option<usize>) -> String {
            x.map(|v| v.to_string()).unwrap_or_default()
        }
        let d = self.display.as_ref();
        AnalysisCsvRow {
            analysis: s(&self.analysis),
            measure: s(&self.measure),
            model: s(&self.model),
            method: s(&self.method),
            tau2_method: s(&self.tau2_method),
            ci_method: s(&self.ci_method),
            level: f(self.level),
            k: u(self.k),
            estimate: f(self.estimate),
            se: f(self.se),
            ci_low: f(self.ci_low),
            ci_high: f(self.ci_high),
            statistic_type: s(&self.statistic_type),
            statistic: f(self.statistic),
            df: f(self.df),
            p_value: f(self.p_value),
            tau2: f(self.tau2),
            tau: f(self.tau),
            tau2_iterations: u(self.tau2_iterations),
            q: f(self.q),
            q_df: u(self.q_df),
            q_p: f(self.q_p),
            i2: f(self.i2),
            i2_method: s(&self.i2_method),
            h2: f(self.h2),
            pi_low: f(self.pi_low),
            pi_high: f(self.pi_high),
            pi_method: s(&self.pi_method),
            scale: s(&self.scale),
            display_estimate: f(d.map(|d| d.estimate)),
            display_ci_low: f(d.map(|d| d.ci_low)),
            display_ci_high: f(d.map(|d| d.ci_high)),
            display_pi_low: f(d.and_then(|d| d.pi_low)),
            display_pi_high: f(d.and_then(|d| d.pi_high)),
            notes: self.notes.join("; "),
            error: s(&self.error),
            subgroup: s(&self.subgroup),
            subgroup_q: f(self.subgroup_test.as_ref().map(|t| t.q)),
            subgroup_df: u(self.subgroup_test.as_ref().map(|t| t.df)),
            subgroup_p: f(self.subgroup_test.as_ref().map(|t| t.p_value)),
            subgroup_i2: f(self.subgroup_test.as_ref().map(|t| t.i2)),
            tau2_ci_low: f(self.tau2_ci_low),
            tau2_ci_high: f(self.tau2_ci_high),
            i2_ci_low: f(self.i2_ci_low),
            i2_ci_high: f(self.i2_ci_high),
            h2_ci_low: f(self.h2_ci_low),
            h2_ci_high: f(self.h2_ci_high),
            i2_ht_ci_low: f(self.i2_ht_ci_low),
            i2_ht_ci_high: f(self.i2_ht_ci_high),
            k_estimable: u(self.k_estimable),
        }
    }
}

/// Schema name of `repool check` JSON documents.
pub const CHECK_SCHEMA: &str = "repool.check.v1";

/// The JSON document of `repool check` (written by [`to_writer_sorted_pretty`]).
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

/// One combination of methods in the output of `repool reproduce`.
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
    /// How many combinations reproduce the printed numbers.
    pub reproduced: usize,
    /// The combinations listed (see `--top`), closest first.
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
        }
    }
}

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
        let d = |x: f64| if measure.is_ratio() { x.exp() } else { x };
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
        let ratio = crate::Measure::from_code(&self.measure).is_some_and(|m| m.is_ratio());
        rows.iter()
            .map(|r| r.record(&self.measure, self.k, ratio, self.warning.as_deref()))
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
    fn record(&self, measure: &str, k: usize, ratio: bool, warning: Option<&str>) -> BiasCsvCells {
        let f = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
        let d = |x: Option<f64>| f(x.map(|v| if ratio { v.exp() } else { v }));
        let tf = self.trimfill;
        BiasCsvCells {
            test: self.test.into(),
            measure: measure.into(),
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

/// Schema name of `repool regress` JSON documents.
pub const REGRESS_SCHEMA: &str = "repool.regress.v1";

/// One coefficient of a meta-regression.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CoefficientRow {
    /// `intrcpt`, a moderator, or a factor level (`factor(x)level`).
    pub name: String,
    /// Estimate (analysis scale).
    pub estimate: f64,
    /// Its SE.
    pub se: f64,
    /// z, or t with Knapp–Hartung.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Lower CI limit.
    pub ci_low: f64,
    /// Upper CI limit.
    pub ci_high: f64,
}

/// The permutation test of a meta-regression.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PermutationRow {
    /// Every distinct ordering used once.
    pub exact: bool,
    /// Permutations used.
    pub permutations: usize,
    /// Refits that failed and were left out.
    pub failed: usize,
    /// The seed of random permutations (null when exact).
    pub seed: Option<u64>,
    /// Permutation p-value of the test of moderators.
    pub qm_p: f64,
    /// Permutation p-value of each coefficient, in order.
    pub coefficient_p: Vec<f64>,
}

/// A `repool regress` document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegressDoc {
    /// [`REGRESS_SCHEMA`].
    pub schema: &'static str,
    /// Studies.
    pub k: usize,
    /// Measure code.
    pub measure: String,
    /// `fixed` or `random`.
    pub model: String,
    /// τ² estimator (random effects).
    pub tau2_method: Option<String>,
    /// `z` or `knapp-hartung`.
    pub test: String,
    /// Coefficients, intercept first.
    pub coefficients: Vec<CoefficientRow>,
    /// Residual τ² (random effects).
    pub tau2: Option<f64>,
    /// Test for residual heterogeneity QE.
    pub qe: f64,
    /// Its df.
    pub qe_df: usize,
    /// Its p-value.
    pub qe_p: f64,
    /// Test of moderators: QM, or F with Knapp–Hartung.
    pub qm: f64,
    /// Its (numerator) df.
    pub qm_df1: usize,
    /// Denominator df of F (Knapp–Hartung), else null.
    pub qm_df2: Option<usize>,
    /// Its p-value.
    pub qm_p: f64,
    /// Residual I², percent.
    pub i2: f64,
    /// Residual H².
    pub h2: f64,
    /// R², percent (random effects with moderators).
    pub r2: Option<f64>,
    /// Iterations of the τ² estimator.
    pub tau2_iterations: Option<usize>,
    /// REML and ML: τ² at a second maximum of the likelihood within 1.92 log-likelihood
    /// units of the estimate's (the likelihood is bimodal), else null.
    pub tau2_other: Option<f64>,
    /// How much lower the log-likelihood is at `tau2_other`.
    pub tau2_other_loglik_gap: Option<f64>,
    /// The permutation test, when asked for.
    pub permutation: Option<PermutationRow>,
}

/// A CSV row of `repool regress`: one coefficient, then the model-level fields repeated on
/// every row (the field names are the header).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegressCsvRow {
    coefficient: String,
    estimate: String,
    se: String,
    statistic: String,
    p_value: String,
    ci_low: String,
    ci_high: String,
    permutation_p: String,
    k: String,
    measure: String,
    model: String,
    tau2_method: String,
    test: String,
    tau2: String,
    i2: String,
    h2: String,
    r2: String,
    qe: String,
    qe_df: String,
    qe_p: String,
    qm: String,
    qm_df1: String,
    qm_df2: String,
    qm_p: String,
    qm_permutation_p: String,
    permutations: String,
    permutation_exact: String,
    permutation_seed: String,
    tau2_other: String,
    tau2_other_loglik_gap: String,
}

impl RegressDoc {
    /// The document of a meta-regression of `measure` (`tau2_method` `None`: common effect),
    /// with its permutation test and the seed that drew it.
    pub fn new(
        measure: crate::Measure,
        tau2_method: Option<crate::pool::Tau2Method>,
        knapp_hartung: bool,
        r: &MetaRegression,
        perm: Option<(&PermutationTest, u64)>,
    ) -> RegressDoc {
        RegressDoc {
            schema: REGRESS_SCHEMA,
            k: r.k,
            measure: measure.code().into(),
            model: if tau2_method.is_some() {
                "random"
            } else {
                "fixed"
            }
            .into(),
            tau2_method: tau2_method.map(|m| m.code().into()),
            test: if knapp_hartung { "knapp-hartung" } else { "z" }.into(),
            coefficients: r
                .coefficients
                .iter()
                .map(|c| CoefficientRow {
                    name: c.name.clone(),
                    estimate: c.estimate,
                    se: c.se,
                    statistic: c.statistic,
                    p_value: c.p_value,
                    ci_low: c.ci_low,
                    ci_high: c.ci_high,
                })
                .collect(),
            tau2: tau2_method.map(|_| r.tau2),
            qe: r.qe.0,
            qe_df: r.qe.1,
            qe_p: r.qe.2,
            qm: r.qm.0,
            qm_df1: r.qm.1,
            qm_df2: r.qm.2,
            qm_p: r.qm.3,
            i2: r.i2,
            h2: r.h2,
            r2: r.r2,
            tau2_iterations: r.iterations,
            tau2_other: r.tau2_other.map(|o| o.tau2),
            tau2_other_loglik_gap: r.tau2_other.map(|o| o.loglik_gap),
            permutation: perm.map(|(t, seed)| PermutationRow {
                exact: t.exact,
                permutations: t.permutations,
                failed: t.failed,
                seed: (!t.exact).then_some(seed),
                qm_p: t.qm_p,
                coefficient_p: t.coefficient_p.clone(),
            }),
        }
    }

    /// CSV header of [`RegressDoc::csv_records`].
    pub fn csv_header() -> Vec<String> {
        csv_header::<RegressCsvRow>()
    }

    /// One CSV row per coefficient (its own columns first), the model-level fields repeated
    /// on every row.
    pub fn csv_records(&self) -> Vec<RegressCsvRow> {
        let f = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
        let u = |x: Option<usize>| x.map(|v| v.to_string()).unwrap_or_default();
        let p = self.permutation.as_ref();
        let model = RegressCsvRow {
            k: self.k.to_string(),
            measure: self.measure.clone(),
            model: self.model.clone(),
            tau2_method: self.tau2_method.clone().unwrap_or_default(),
            test: self.test.clone(),
            tau2: f(self.tau2),
            i2: f(Some(self.i2)),
            h2: f(Some(self.h2)),
            r2: f(self.r2),
            qe: f(Some(self.qe)),
            qe_df: u(Some(self.qe_df)),
            qe_p: f(Some(self.qe_p)),
            qm: f(Some(self.qm)),
            qm_df1: u(Some(self.qm_df1)),
            qm_df2: u(self.qm_df2),
            qm_p: f(Some(self.qm_p)),
            qm_permutation_p: f(p.map(|p| p.qm_p)),
            permutations: u(p.map(|p| p.permutations)),
            permutation_exact: p.map(|p| p.exact.to_string()).unwrap_or_default(),
            permutation_seed: p
                .and_then(|p| p.seed)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            tau2_other: f(self.tau2_other),
            tau2_other_loglik_gap: f(self.tau2_other_loglik_gap),
            ..RegressCsvRow::default()
        };
        self.coefficients
            .iter()
            .enumerate()
            .map(|(i, c)| RegressCsvRow {
                coefficient: c.name.clone(),
                estimate: f(Some(c.estimate)),
                se: f(Some(c.se)),
                statistic: f(Some(c.statistic)),
                p_value: f(Some(c.p_value)),
                ci_low: f(Some(c.ci_low)),
                ci_high: f(Some(c.ci_high)),
                permutation_p: f(p.and_then(|p| p.coefficient_p.get(i).copied())),
                ..model.clone()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_header_and_records_have_the_same_width() {
        fn width<T: Serialize>(row: T) -> usize {
            let mut w = csv_writer(Vec::new());
            w.serialize(row).unwrap();
            let bytes = w.into_inner().unwrap();
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice())
                .records()
                .next()
                .unwrap()
                .unwrap()
                .len()
        }
        assert_eq!(
            AnalysisRow::csv_header().len(),
            width(AnalysisRow::default().csv_record())
        );
        assert_eq!(
            CheckRow::csv_header().len(),
            width(CheckRow::default().csv_record())
        );
        assert_eq!(
            CandidateRow::csv_header().len(),
            width(CandidateRow::default().csv_record())
        );
        assert_eq!(
            ScanFindingRow::csv_header().len(),
            width(ScanFindingRow::default().csv_record("f.txt"))
        );
        assert_eq!(
            AnalysisRow::csv_header()[..3],
            ["analysis", "measure", "model"]
        );
        assert_eq!(ScanFindingRow::csv_header()[0], "file");
    }
}

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
