//! Pooling as RevMan 5 does it, so that results stored in `.rm5` files can be recomputed.
//!
//! # Rules (verified on published Cochrane review files; see the format notes)
//! - Zero cells: a 2×2 table with any zero cell gets 0.5 added to all four cells; this
//!   corrected table gives ln OR, ln RR and their SEs, and the SE of the RD, while the RD
//!   itself uses the raw counts. Tables without events (or with only events) in both arms
//!   are not estimable for OR and RR, and kept for RD.
//! - Peto: no correction; `ln OR = (O − E)/V`, `SE = 1/sqrt(V)`.
//! - Mantel–Haenszel: the sums use the corrected tables of zero-cell studies. The RD
//!   estimate uses raw counts and its variance
//!   `Σ (A B N2³ + C D N1³)/(N1 N2 N²) / (Σ n1 n2 / n)²` (corrected cells in the numerator,
//!   raw totals in the denominator). With one study the pool is that study.
//! - SMD: Hedges' g with the approximate correction and RevMan's SE.
//! - Heterogeneity: `Q = Σ w (y − θ̂)²` with `w = 1/SE²` and θ̂ the chosen method's
//!   common-effect estimate (MH, Peto or IV); `I² = max(0, (Q − df)/Q)`.
//! - Counts: k is every study, estimable or not (RevMan's `STUDIES`); Q has
//!   (estimable studies − 1) df (RevMan's `DF`).
//! - Random effects: DerSimonian–Laird τ² from that Q, then inverse-variance weights
//!   `1/(SE² + τ²)`, whatever the method.
//! - CI: estimate ± 1.959964 SE; Z = |estimate|/SE.
//!
//! # References
//! - Deeks JJ, Higgins JPT (2010). Statistical algorithms in Review Manager 5. Statistical
//!   Methods Group of The Cochrane Collaboration.
//! - Cochrane Handbook 5.1 (2011), sections 9.4.4 and 16.9.3 (zero cells, studies with no events).

use super::heterogeneity::{self, Heterogeneity};
use super::{CommonMethod, Model, Note, PoolConfig, PooledEstimate, StudyResult, TestKind};
use crate::effect::smd::{hedges_g, SmdCorrection};
use crate::effect::zero_cell::Table;
use crate::effect::{EffectSize, Measure, StudyData};
use crate::{dist, Study};

/// Why RevMan's rules give no pooled result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RevmanPoolError {
    /// No estimable study.
    #[error("no estimable study")]
    NoEstimable,
    /// The data kind does not fit the measure or method.
    #[error("{0}")]
    Unsupported(String),
    /// The result has a number that is not finite (extreme input values).
    #[error(transparent)]
    NonFinite(#[from] super::PoolError),
}

/// One study's effect under RevMan 5's rules: `None` when not estimable.
fn study_effect(
    measure: Measure,
    method: CommonMethod,
    data: &StudyData,
) -> Result<Option<(f64, f64, bool)>, RevmanPoolError> {
    Ok(match *data {
        StudyData::TwoByTwo {
            events_t,
            n_t,
            events_c,
            n_c,
        } => {
            let raw = Table::from_arms(events_t, n_t, events_c, n_c);
            if method == CommonMethod::Peto {
                let (oe, v) = super::peto::o_minus_e(&raw);
                return Ok((v > 0.0).then(|| (oe / v, 1.0 / v, false)));
            }
            let double = raw.is_double_zero();
            if double && measure != Measure::RiskDifference {
                return Ok(None);
            }
            let corrected = raw.has_zero();
            let t = if corrected {
                Table {
                    a: raw.a + 0.5,
                    b: raw.b + 0.5,
                    c: raw.c + 0.5,
                    d: raw.d + 0.5,
                }
            } else {
                raw
            };
            let (n1, n2) = (t.n1(), t.n2());
            match measure {
                Measure::LogOddsRatio => Some((
                    ((t.a * t.d) / (t.b * t.c)).ln(),
                    1.0 / t.a + 1.0 / t.b + 1.0 / t.c + 1.0 / t.d,
                    corrected,
                )),
                Measure::LogRiskRatio => Some((
                    ((t.a / n1) / (t.c / n2)).ln(),
                    1.0 / t.a - 1.0 / n1 + 1.0 / t.c - 1.0 / n2,
                    corrected,
                )),
                Measure::RiskDifference => {
                    let y = raw.a / raw.n1() - raw.c / raw.n2();
                    let v = t.a * t.b / n1.powi(3) + t.c * t.d / n2.powi(3);
                    Some((y, v, corrected))
                }
                m => return Err(RevmanPoolError::Unsupported(format!("{m} from 2x2 tables"))),
            }
        }
        StudyData::MeanSd {
            mean_t,
            sd_t,
            n_t,
            mean_c,
            sd_c,
            n_c,
        } => match measure {
            Measure::MeanDifference => Some((
                mean_t - mean_c,
                sd_t * sd_t / n_t + sd_c * sd_c / n_c,
                false,
            )),
            Measure::StandardizedMeanDifference => {
                hedges_g(mean_t, sd_t, n_t, mean_c, sd_c, n_c, SmdCorrection::Approx)
                    .ok()
                    .map(|(g, v)| (g, v, false))
            }
            m => {
                return Err(RevmanPoolError::Unsupported(format!(
                    "{m} from means and SDs"
                )))
            }
        },
        StudyData::Effect { yi, vi } => Some((yi, vi, false)),
    })
    .map(|o| o.filter(|&(y, v, _)| y.is_finite() && v.is_finite() && v > 0.0))
}

fn corrected_table(data: &StudyData) -> Option<(Table, Table)> {
    match *data {
        StudyData::TwoByTwo {
            events_t,
            n_t,
            events_c,
            n_c,
        } => {
            let raw = Table::from_arms(events_t, n_t, events_c, n_c);
            let t = if raw.has_zero() {
                Table {
                    a: raw.a + 0.5,
                    b: raw.b + 0.5,
                    c: raw.c + 0.5,
                    d: raw.d + 0.5,
                }
            } else {
                raw
            };
            Some((raw, t))
        }
        _ => None,
    }
}

/// Pools `studies` with RevMan 5's rules for `measure`, `method` (MH, IV or PETO for 2×2
/// data; IV otherwise) and `model` (see the module documentation for the rules, after Deeks
/// and Higgins 2010): each study's effect, the common-effect estimate of the method, Q from
/// inverse-variance weights around it, DerSimonian–Laird τ² from that Q for random effects,
/// and a z CI.
pub fn pool(
    studies: &[Study],
    measure: Measure,
    method: CommonMethod,
    model: Model,
) -> Result<PooledEstimate, RevmanPoolError> {
    let Effects {
        mut rows,
        y,
        v,
        idx,
    } = effects(studies, measure, method)?;
    let k = y.len();
    if k == 0 {
        return Err(RevmanPoolError::NoEstimable);
    }
    let w: Vec<f64> = v.iter().map(|vi| 1.0 / vi).collect();
    let (theta_f, se_f, fe_weights) = common_effect(studies, &idx, measure, method, &y, &v, &w)?;
    let q = y
        .iter()
        .zip(&w)
        .map(|(yi, wi)| wi * (yi - theta_f) * (yi - theta_f))
        .sum::<f64>();
    let df = k - 1;
    let (estimate, se, tau2, weights) = match model {
        Model::Fixed => (theta_f, se_f, None, fe_weights),
        Model::Random => {
            let (estimate, se, tau2, weights) = random_effects(&y, &v, &w, q);
            (estimate, se, Some(tau2), weights)
        }
    };
    let total_w: f64 = weights.iter().sum();
    for (wi, &i) in weights.iter().zip(&idx) {
        rows[i].weight_percent = 100.0 * wi / total_w;
    }
    let z = 1.959963984540054;
    let notes = notes(&rows);
    let est = PooledEstimate {
        config: PoolConfig::revman5(measure, model, method),
        k: rows.len(),
        k_estimable: k,
        estimate,
        se,
        ci_low: estimate - z * se,
        ci_high: estimate + z * se,
        test: TestKind::Z,
        statistic: (se > 0.0).then(|| estimate / se),
        p_value: (se > 0.0).then(|| dist::p_normal(estimate / se)),
        tau2,
        tau2_iterations: None,
        heterogeneity: revman_heterogeneity(q, df),
        pi: None,
        tau2_ci: None,
        i2_ci: None,
        h2_ci: None,
        i2_ht_ci: super::tau2_ci::higgins_thompson_i2(q, k, 0.95),
        studies: rows,
        notes,
    };
    est.check_finite()?;
    Ok(est)
}

/// `est` with its CI at confidence `level` instead of 95% (RevMan's `CI_TOTAL`): the estimate
/// ± z₁₋α/₂ × SE, as RevMan 5 computes a pooled CI at any level (Deeks and Higgins 2010).
pub fn at_level(mut est: PooledEstimate, level: f64) -> PooledEstimate {
    if level == est.config.level {
        return est;
    }
    let z = dist::z_crit(level);
    est.ci_low = est.estimate - z * est.se;
    est.ci_high = est.estimate + z * est.se;
    est.config.level = level;
    est
}

/// Every study's row (effect and 95% CI, or "not estimable"), and the effects `y`, variances
/// `v` and row indices `idx` of the estimable studies.
struct Effects {
    rows: Vec<StudyResult>,
    y: Vec<f64>,
    v: Vec<f64>,
    idx: Vec<usize>,
}

/// Each study's effect under RevMan 5's rules ([`study_effect`]), as a row of the result.
fn effects(
    studies: &[Study],
    measure: Measure,
    method: CommonMethod,
) -> Result<Effects, RevmanPoolError> {
    let mut rows = Vec::with_capacity(studies.len());
    let (mut y, mut v, mut idx) = (Vec::new(), Vec::new(), Vec::new());
    for s in studies {
        let e = study_effect(measure, method, &s.data)?;
        match e {
            Some((yi, vi, corrected)) => {
                idx.push(rows.len());
                y.push(yi);
                v.push(vi);
                rows.push(StudyResult {
                    label: s.label.clone(),
                    effect: EffectSize::new(yi, vi).ok(),
                    ci: Some((
                        yi - 1.959963984540054 * vi.sqrt(),
                        yi + 1.959963984540054 * vi.sqrt(),
                    )),
                    weight_percent: 0.0,
                    corrected,
                    excluded: None,
                    line: s.line,
                });
            }
            None => rows.push(StudyResult {
                label: s.label.clone(),
                effect: None,
                ci: None,
                weight_percent: 0.0,
                corrected: false,
                excluded: Some("not estimable".into()),
                line: s.line,
            }),
        }
    }
    Ok(Effects { rows, y, v, idx })
}

/// The common-effect estimate of the chosen method, its SE and weights: inverse variance
/// (`θ = Σ w y / Σ w`, `SE = 1/sqrt(Σ w)`, `w = 1/v`), Peto (on the raw tables) or
/// Mantel–Haenszel ([`mh`]).
fn common_effect(
    studies: &[Study],
    idx: &[usize],
    measure: Measure,
    method: CommonMethod,
    y: &[f64],
    v: &[f64],
    w: &[f64],
) -> Result<(f64, f64, Vec<f64>), RevmanPoolError> {
    let sw: f64 = w.iter().sum();
    Ok(match method {
        CommonMethod::IV => (
            w.iter().zip(y).map(|(w, y)| w * y).sum::<f64>() / sw,
            (1.0 / sw).sqrt(),
            w.to_vec(),
        ),
        CommonMethod::Peto => {
            let tables: Vec<Table> = idx
                .iter()
                .filter_map(|&i| corrected_table(&studies[i].data).map(|t| t.0))
                .collect();
            let (est, se, ws) =
                super::peto::estimate(&tables).ok_or(RevmanPoolError::NoEstimable)?;
            (est, se, ws)
        }
        CommonMethod::MH => mh(studies, idx, measure, y, v)?,
    })
}

/// RevMan 5's random-effects pool, whatever the method: DerSimonian–Laird
/// `τ² = max(0, (Q − df)/(Σ w − Σ w²/Σ w))` from the method's Q (0 for one study), then
/// inverse-variance weights `1/(v + τ²)`. Returns (estimate, SE, τ², weights).
fn random_effects(y: &[f64], v: &[f64], w: &[f64], q: f64) -> (f64, f64, f64, Vec<f64>) {
    let k = y.len();
    let df = k - 1;
    let c = super::tau2::trace_p(w.iter().copied());
    let tau2 = if k > 1 {
        ((q - df as f64) / c).max(0.0)
    } else {
        0.0
    };
    let ws: Vec<f64> = v.iter().map(|vi| 1.0 / (vi + tau2)).collect();
    let s: f64 = ws.iter().sum();
    (
        ws.iter().zip(y).map(|(w, y)| w * y).sum::<f64>() / s,
        (1.0 / s).sqrt(),
        tau2,
        ws,
    )
}

/// Heterogeneity as RevMan 5 reports it: Q on `df` (estimable studies − 1) degrees of
/// freedom, `I² = max(0, (Q − df)/Q)`, `H² = Q/df`.
fn revman_heterogeneity(q: f64, df: usize) -> Heterogeneity {
    let _ = heterogeneity::cochran_q;
    Heterogeneity {
        q,
        df,
        p_value: if df > 0 {
            dist::chi2_sf(q, df as f64)
        } else {
            1.0
        },
        i2_percent: if df > 0 && q > 0.0 {
            (100.0 * (q - df as f64) / q).max(0.0)
        } else {
            0.0
        },
        h2: if df > 0 { q / df as f64 } else { 1.0 },
    }
}

/// The notes of a RevMan 5 pool: its rules, and the studies not estimable (in k, not in Q).
fn notes(rows: &[StudyResult]) -> Vec<Note> {
    let mut notes = vec![Note::RevMan5Rules];
    let not_estimable: Vec<String> = rows
        .iter()
        .filter(|r| r.effect.is_none())
        .map(|r| r.label.clone())
        .collect();
    if !not_estimable.is_empty() {
        notes.push(Note::NotEstimable {
            studies: not_estimable,
        });
    }
    notes
}

/// [`pool`] with the measure, model and method of `config` (`repool pool --preset revman5`):
/// the method for ratios and the RD, inverse variance for other measures. The other settings
/// of `config` are RevMan's own (DL, z, 95%).
pub fn pool_config(
    studies: &[Study],
    config: &PoolConfig,
) -> Result<PooledEstimate, RevmanPoolError> {
    let method = if config.measure.is_ratio() || config.measure == Measure::RiskDifference {
        config.method
    } else {
        CommonMethod::IV
    };
    pool(studies, config.measure, method, config.model)
}

/// Mantel–Haenszel with RevMan 5's zero-cell handling; returns (estimate, SE, weights).
fn mh(
    studies: &[Study],
    idx: &[usize],
    measure: Measure,
    y: &[f64],
    v: &[f64],
) -> Result<(f64, f64, Vec<f64>), RevmanPoolError> {
    let pairs: Vec<(Table, Table)> = idx
        .iter()
        .filter_map(|&i| corrected_table(&studies[i].data))
        .collect();
    if pairs.len() != idx.len() {
        return Err(RevmanPoolError::Unsupported(
            "Mantel-Haenszel needs 2x2 tables".into(),
        ));
    }
    if pairs.len() == 1 {
        return Ok((y[0], v[0].sqrt(), vec![1.0]));
    }
    match measure {
        Measure::LogOddsRatio | Measure::LogRiskRatio => {
            let tables: Vec<Table> = pairs.iter().map(|p| p.1).collect();
            let m = super::mh::estimate(measure, &tables).ok_or(RevmanPoolError::NoEstimable)?;
            Ok((m.estimate, m.se, m.weights))
        }
        Measure::RiskDifference => {
            let (mut num, mut den, mut var_num) = (0.0, 0.0, 0.0);
            let mut weights = Vec::new();
            for (raw, t) in &pairs {
                let (n1, n2) = (raw.n1(), raw.n2());
                let n = n1 + n2;
                num += raw.a * n2 / n - raw.c * n1 / n;
                den += n1 * n2 / n;
                let (cn1, cn2) = (t.n1(), t.n2());
                let cn = cn1 + cn2;
                var_num +=
                    (t.a * t.b * cn2.powi(3) + t.c * t.d * cn1.powi(3)) / (cn1 * cn2 * cn * cn);
                weights.push(t.n1() * t.n2() / cn);
            }
            Ok((num / den, (var_num / (den * den)).sqrt(), weights))
        }
        m => Err(RevmanPoolError::Unsupported(format!(
            "Mantel-Haenszel for {m}"
        ))),
    }
}
