//! The rows of `repool regress` (`repool.regress.v1`): the coefficients, the model and the
//! permutation test, and one CSV row per coefficient.

use serde::Serialize;

use crate::pool::permutation::PermutationTest;
use crate::pool::regression::MetaRegression;

use super::csv_header;

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
