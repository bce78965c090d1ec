//! Output rows for JSON (`repool.pool.v1`) and CSV, built from [`PooledEstimate`].
//!
//! These flat types are the serialisation boundary: the domain types can change without
//! changing the file formats scripts rely on.

use serde::Serialize;

use crate::pool::{Model, PooledEstimate, TestKind};

/// Schema name written into every JSON document of `repool pool`.
pub const POOL_SCHEMA: &str = "repool.pool.v1";

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
    /// Studies pooled.
    pub k: Option<usize>,
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
    pub fn csv_header() -> Vec<&'static str> {
        vec![
            "analysis",
            "measure",
            "model",
            "method",
            "tau2_method",
            "ci_method",
            "level",
            "k",
            "estimate",
            "se",
            "ci_low",
            "ci_high",
            "statistic_type",
            "statistic",
            "df",
            "p_value",
            "tau2",
            "tau",
            "tau2_iterations",
            "q",
            "q_df",
            "q_p",
            "i2",
            "i2_method",
            "h2",
            "pi_low",
            "pi_high",
            "pi_method",
            "scale",
            "display_estimate",
            "display_ci_low",
            "display_ci_high",
            "display_pi_low",
            "display_pi_high",
            "notes",
            "error",
            "subgroup",
            "subgroup_q",
            "subgroup_df",
            "subgroup_p",
            "subgroup_i2",
            "tau2_ci_low",
            "tau2_ci_high",
            "i2_ci_low",
            "i2_ci_high",
            "h2_ci_low",
            "h2_ci_high",
            "i2_ht_ci_low",
            "i2_ht_ci_high",
        ]
    }

    /// The scalar fields as CSV cells (empty for null), numbers with full precision.
    pub fn csv_record(&self) -> Vec<String> {
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
        vec![
            s(&self.analysis),
            s(&self.measure),
            s(&self.model),
            s(&self.method),
            s(&self.tau2_method),
            s(&self.ci_method),
            f(self.level),
            u(self.k),
            f(self.estimate),
            f(self.se),
            f(self.ci_low),
            f(self.ci_high),
            s(&self.statistic_type),
            f(self.statistic),
            f(self.df),
            f(self.p_value),
            f(self.tau2),
            f(self.tau),
            u(self.tau2_iterations),
            f(self.q),
            u(self.q_df),
            f(self.q_p),
            f(self.i2),
            s(&self.i2_method),
            f(self.h2),
            f(self.pi_low),
            f(self.pi_high),
            s(&self.pi_method),
            s(&self.scale),
            f(d.map(|d| d.estimate)),
            f(d.map(|d| d.ci_low)),
            f(d.map(|d| d.ci_high)),
            f(d.and_then(|d| d.pi_low)),
            f(d.and_then(|d| d.pi_high)),
            self.notes.join("; "),
            s(&self.error),
            s(&self.subgroup),
            f(self.subgroup_test.as_ref().map(|t| t.q)),
            u(self.subgroup_test.as_ref().map(|t| t.df)),
            f(self.subgroup_test.as_ref().map(|t| t.p_value)),
            f(self.subgroup_test.as_ref().map(|t| t.i2)),
            f(self.tau2_ci_low),
            f(self.tau2_ci_high),
            f(self.i2_ci_low),
            f(self.i2_ci_high),
            f(self.h2_ci_low),
            f(self.h2_ci_high),
            f(self.i2_ht_ci_low),
            f(self.i2_ht_ci_high),
        ]
    }
}

/// Schema name of `repool check` JSON documents.
pub const CHECK_SCHEMA: &str = "repool.check.v1";

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
    pub fn csv_header() -> Vec<&'static str> {
        vec![
            "id",
            "line",
            "measure",
            "estimate",
            "ci_low",
            "ci_high",
            "level",
            "flags",
            "severities",
            "messages",
            "implied_se",
            "implied_p",
            "implied_p_lower_half",
            "implied_p_upper_half",
            "implied_p_low",
            "implied_p_high",
            "asymmetry",
            "relevance",
            "relevance_text",
            "imprecision",
            "source",
            "error",
            "notes",
        ]
    }

    /// The row as CSV cells; flags and their severities joined with `;` (in the same order),
    /// messages and notes with ` | `.
    pub fn csv_record(&self) -> Vec<String> {
        let s = |x: &Option<String>| x.clone().unwrap_or_default();
        let f = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
        vec![
            self.id.clone(),
            self.line.map(|l| l.to_string()).unwrap_or_default(),
            s(&self.measure),
            s(&self.estimate),
            s(&self.ci_low),
            s(&self.ci_high),
            f(self.level),
            self.flags
                .iter()
                .map(|x| x.code.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            self.flags
                .iter()
                .map(|x| x.severity.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            self.flags
                .iter()
                .map(|x| x.message.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            f(self.implied_se),
            f(self.implied_p),
            f(self.implied_p_lower_half),
            f(self.implied_p_upper_half),
            f(self.implied_p_low),
            f(self.implied_p_high),
            f(self.asymmetry),
            s(&self.relevance),
            s(&self.relevance_text),
            s(&self.imprecision),
            s(&self.source),
            s(&self.error),
            self.notes.join(" | "),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_header_and_records_have_the_same_width() {
        assert_eq!(
            AnalysisRow::csv_header().len(),
            AnalysisRow::default().csv_record().len()
        );
        assert_eq!(
            CheckRow::csv_header().len(),
            CheckRow::default().csv_record().len()
        );
    }
}
