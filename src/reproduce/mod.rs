//! Recomputing the results stored in a RevMan 5 file with RevMan 5's rules and saying,
//! outcome by outcome and subgroup by subgroup, whether they are reproduced; and, in
//! [`search`], finding the methods that reproduce a published pool. Pure computation.

pub mod label;
pub mod search;

pub use label::Label;
pub use search::{distinct_results, search_methods, Candidate, Distinct, PoolSettings};

use crate::pool::revman5;
use crate::pool::{subgroups, Model, PooledEstimate};
use crate::review::{RmOutcome, RmReview, Stored};

/// Tolerance on stored RevMan numbers (printed with about 16 digits), relative.
pub const RELATIVE: f64 = 1e-6;
/// Tolerance on p-values, absolute (RevMan's χ² tail probabilities are slightly inexact).
pub const P_ABSOLUTE: f64 = 1e-6;

/// The numbers compared, on RevMan's display scale (ratios exponentiated).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    /// Pooled effect.
    pub estimate: Option<f64>,
    /// Lower limit.
    pub ci_low: Option<f64>,
    /// Upper limit.
    pub ci_high: Option<f64>,
    /// Heterogeneity Q.
    pub q: Option<f64>,
    /// Its df.
    pub df: Option<f64>,
    /// I², percent.
    pub i2: Option<f64>,
    /// τ² (random effects).
    pub tau2: Option<f64>,
    /// |Z|.
    pub z: Option<f64>,
    /// p of Z.
    pub p_value: Option<f64>,
}

/// One outcome or subgroup, recomputed and compared.
#[derive(Debug, Clone)]
pub struct OutcomeCheck {
    /// Comparison number.
    pub comparison_no: u32,
    /// Outcome number.
    pub outcome_no: u32,
    /// Subgroup number (`None` for the outcome total).
    pub subgroup_no: Option<u32>,
    /// Outcome (and subgroup) name.
    pub name: String,
    /// RevMan's measure label.
    pub measure: String,
    /// MH, IV or PETO.
    pub method: String,
    /// fixed or random.
    pub model: String,
    /// Studies (data rows), estimable or not, as RevMan counts them (a study in two
    /// subgroups counts twice in the outcome total, where RevMan's `STUDIES` counts it once).
    pub k: usize,
    /// Estimable studies, the ones in Q (df = `k_estimable - 1`).
    pub k_estimable: usize,
    /// Recomputed values.
    pub recomputed: Option<Values>,
    /// Stored values.
    pub stored: Option<Values>,
    /// Recomputed test for subgroup differences `(Q, df, p, I²)` (outcome totals with subgroups).
    pub subgroup_test: Option<(f64, usize, f64, f64)>,
    /// Stored test `(Q, p, I²)`.
    pub stored_subgroup_test: Option<(f64, f64, f64)>,
    /// `Some(true)` reproduced, `Some(false)` not, `None` nothing stored to compare.
    pub reproduced: Option<bool>,
    /// Which numbers differ, with both values.
    pub differences: Vec<String>,
    /// Why nothing could be recomputed, if so.
    pub error: Option<String>,
    /// The recomputed pool (for export and reports).
    pub pooled: Option<PooledEstimate>,
}

impl Values {
    /// Every value given is finite.
    pub fn all_finite(&self) -> bool {
        [
            self.estimate,
            self.ci_low,
            self.ci_high,
            self.q,
            self.df,
            self.i2,
            self.tau2,
            self.z,
            self.p_value,
        ]
        .iter()
        .flatten()
        .all(|x| x.is_finite())
    }
}

fn values(r: &PooledEstimate, log: bool) -> Values {
    let d = |x: f64| if log { x.exp() } else { x };
    let h = &r.heterogeneity;
    Values {
        estimate: Some(d(r.estimate)),
        ci_low: Some(d(r.ci_low)),
        ci_high: Some(d(r.ci_high)),
        q: Some(h.q),
        df: Some(h.df as f64),
        i2: (h.df > 0).then_some(h.i2_percent),
        tau2: r.tau2.filter(|_| h.df > 0),
        z: r.statistic.map(f64::abs),
        p_value: r.p_value,
    }
}

fn stored_values(s: &Stored, model: Model) -> Option<Values> {
    if s.not_estimable || s.estimate.is_none() {
        return None;
    }
    let df = s.df;
    Some(Values {
        estimate: s.estimate,
        ci_low: s.ci_low,
        ci_high: s.ci_high,
        q: s.q,
        df,
        i2: s.i2.filter(|_| df.unwrap_or(0.0) > 0.0),
        tau2: s
            .tau2
            .filter(|_| model == Model::Random && df.unwrap_or(0.0) > 0.0),
        z: s.z.map(f64::abs),
        p_value: s.p_value,
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= RELATIVE * a.abs().max(b.abs()).max(1e-9) + 1e-12
}

fn compare(rec: &Values, st: &Values, half: Option<[f64; 8]>) -> Vec<String> {
    let mut diffs = Vec::new();
    // Values printed rounded are compared at their printed precision.
    if let Some(h) = half {
        let fields = [
            ("estimate", rec.estimate, st.estimate, h[0]),
            ("ci_low", rec.ci_low, st.ci_low, h[1]),
            ("ci_high", rec.ci_high, st.ci_high, h[2]),
            ("q", rec.q, st.q, h[3]),
            ("i2", rec.i2, st.i2, h[4]),
            ("tau2", rec.tau2, st.tau2, h[5]),
            ("z", rec.z, st.z, h[6]),
            ("p_value", rec.p_value, st.p_value, h[7]),
        ];
        for (name, a, b, hu) in fields {
            if let (Some(a), Some(b)) = (a, b) {
                if (a - b).abs() > hu * (1.0 + 1e-9) + 1e-12 {
                    diffs.push(format!(
                        "{name}: recomputed {a}, stored {b} (printed precision ±{hu})"
                    ));
                }
            }
        }
        if let (Some(a), Some(b)) = (rec.df, st.df) {
            if a != b {
                diffs.push(format!("df: recomputed {a}, stored {b}"));
            }
        }
        return diffs;
    }
    let pairs = [
        ("estimate", rec.estimate, st.estimate),
        ("ci_low", rec.ci_low, st.ci_low),
        ("ci_high", rec.ci_high, st.ci_high),
        ("q", rec.q, st.q),
        ("df", rec.df, st.df),
        ("i2", rec.i2, st.i2),
        ("tau2", rec.tau2, st.tau2),
        ("z", rec.z, st.z),
    ];
    for (name, a, b) in pairs {
        if let (Some(a), Some(b)) = (a, b) {
            if !close(a, b) {
                diffs.push(format!("{name}: recomputed {a}, stored {b}"));
            }
        }
    }
    if let (Some(a), Some(b)) = (rec.p_value, st.p_value) {
        if (a - b).abs() > P_ABSOLUTE {
            diffs.push(format!("p_value: recomputed {a}, stored {b}"));
        }
    }
    diffs
}

fn one(
    o: &RmOutcome,
    subgroup_no: Option<u32>,
    name: String,
    studies: &[crate::Study],
    stored: Option<Values>,
    half: Option<[f64; 8]>,
) -> OutcomeCheck {
    let res =
        revman5::pool(studies, o.measure, o.method, o.model).map(|r| revman5::at_level(r, o.level));
    let (pooled, mut error) = match res {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let mut recomputed = pooled.as_ref().map(|r| values(r, o.log_scale));
    if recomputed.as_ref().is_some_and(|v| !v.all_finite()) {
        // exp() of a log ratio beyond ±709 is not a double.
        recomputed = None;
        error = Some(
            "the recomputed ratio or its CI is beyond the range of a double on the ratio scale; check the input for extreme values"
                .into(),
        );
    }
    let (reproduced, differences) = match (&recomputed, &stored) {
        (Some(r), Some(s)) => {
            let d = compare(r, s, half);
            (Some(d.is_empty()), d)
        }
        (None, Some(_)) => (
            Some(false),
            vec!["RevMan stored a result but none could be recomputed".into()],
        ),
        _ => (None, vec![]),
    };
    OutcomeCheck {
        comparison_no: o.comparison_no,
        outcome_no: o.outcome_no,
        subgroup_no,
        name,
        measure: o.measure_label.clone(),
        method: o.method.code().to_string(),
        model: o.model.code().to_string(),
        k: studies.len(),
        k_estimable: pooled.as_ref().map(|r| r.k_estimable).unwrap_or(0),
        recomputed,
        stored,
        subgroup_test: None,
        stored_subgroup_test: None,
        reproduced,
        differences,
        error,
        pooled,
    }
}

/// Recomputes every outcome and subgroup of a review. Outcome totals with `TOTALS="SUB"`
/// or `"NO"` are not reference values and are recomputed without a comparison.
pub fn check_review(review: &RmReview) -> Vec<OutcomeCheck> {
    let mut out = Vec::new();
    for o in &review.outcomes {
        if let Some(e) = &o.error {
            out.push(OutcomeCheck {
                comparison_no: o.comparison_no,
                outcome_no: o.outcome_no,
                subgroup_no: None,
                name: o.name.clone(),
                measure: o.measure_label.clone(),
                method: o.method.code().to_string(),
                model: o.model.code().to_string(),
                // Nothing is pooled from an outcome that cannot be read.
                k: 0,
                k_estimable: 0,
                recomputed: None,
                stored: None,
                subgroup_test: None,
                stored_subgroup_test: None,
                reproduced: None,
                differences: vec![],
                error: Some(format!("cannot read the outcome: {e}")),
                pooled: None,
            });
            continue;
        }
        let mut sub_estimates = Vec::new();
        if o.has_subgroups {
            for g in &o.groups {
                let c = one(
                    o,
                    g.no,
                    format!("{} / {}", o.name, g.name.clone().unwrap_or_default()),
                    &g.studies,
                    stored_values(&g.stored, o.model),
                    g.stored.half_units,
                );
                if let Some(r) = &c.pooled {
                    if r.se > 0.0 {
                        sub_estimates.push((r.estimate, r.se));
                    }
                }
                out.push(c);
            }
        }
        let all: Vec<crate::Study> = o
            .groups
            .iter()
            .flat_map(|g| g.studies.iter().cloned())
            .collect();
        let stored = if o.totals == "YES" {
            stored_values(&o.total, o.model)
        } else {
            None
        };
        let mut c = one(o, None, o.name.clone(), &all, stored, o.total.half_units);
        if o.has_subgroups {
            if let Some(t) = subgroups::difference_test(&sub_estimates) {
                c.subgroup_test = Some((t.q, t.df, t.p_value, t.i2_percent));
                let anything_stored = o.groups.iter().any(|g| g.stored.estimate.is_some());
                if let Some((q, p, i2)) = o.subgroup_test.filter(|_| anything_stored) {
                    c.stored_subgroup_test = Some((q, p, i2));
                    if !close(t.q, q)
                        || (t.p_value - p).abs() > P_ABSOLUTE
                        || (t.df > 0 && !close(t.i2_percent, i2))
                    {
                        c.differences.push(format!("subgroup test: recomputed Q {} (p {}, I² {}), stored {q} (p {p}, I² {i2})", t.q, t.p_value, t.i2_percent));
                        if c.reproduced == Some(true) {
                            c.reproduced = Some(false);
                        }
                    }
                }
            }
        }
        out.push(c);
    }
    out
}
