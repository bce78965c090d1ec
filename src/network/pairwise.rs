//! From arm rows to a [`Network`], as meta's `pairwise()` prepares them for netmeta (meta
//! 8.4-0, `R/pairwise.R`; netmeta 3.6-2, `R/netmeta.R`): every pair of a study's arms gives one
//! contrast, the first-listed arm as "treatment".
//!
//! # Binary outcomes
//! In a study with a zero cell in any arm (no events, or only events), 0.5 is added to every cell
//! of every arm (meta's `incr.study`, `method.incr = "only0"`), so that each arm contributes the
//! same variance to all its contrasts. A comparison without information is one with no events in
//! both arms, or, for the odds ratio, only events in both arms (meta's `metabin()`: `incl`); the
//! risk difference keeps every comparison. By default (`allstudies = FALSE`) such comparisons get
//! no estimate and `netmeta()` leaves them out: a trial all of whose comparisons are without
//! information is left out with a note ([`NetworkNote::TrialDropped`]); a multi-arm trial with
//! some of them no longer gives every pair of its arms, which netmeta refuses ("wrong number of
//! comparisons"), and so does repool ([`NetworkError::PartialZeroMultiArm`]). With
//! [`PairwiseOptions::all_studies`] they are kept with the correction, and a note says so.
//!
//! # Standardised mean difference
//! [`SmdMethod::Cohen`] (netmeta ≥ 2.0-0): Cohen's d, with the SD of a study with three or more
//! arms pooled over all its arms, and the variance of Crippa & Orsini (2016), eq. (4) and (5):
//! ```text
//! s_p² = Σ_i (n_i − 1) s_i² / Σ_i (n_i − 1)
//! d_ij = (m_i − m_j) / s_p,     Var(d_ij) = 1/n_i + 1/n_j + d_ij² / (2 N),   N = Σ_i n_i
//! ```
//! (for two arms `s_p` is the usual pooled SD). A multi-arm study's SMDs then add up:
//! `d_ik = d_ij + d_jk`. [`SmdMethod::Hedges`] computes Hedges' g of each pair as metafor's
//! `escalc()`, each pair standardised by its own pooled SD; they do not add up, and a note names
//! every multi-arm study where they differ by more than netmeta's `tol.multiarm` (0.001).
//!
//! # References
//! - Crippa A, Orsini N (2016). Dose-response meta-analysis of differences in means. BMC Med Res
//!   Methodol 16:91.
//! - R packages meta (`pairwise()`, `metabin()`, `metacont()`) and netmeta (`netmeta()`).

use super::contrasts::{by_study, index_of, treatments_of};
use super::{Arm, ArmData, Edge, Network, NetworkError, NetworkNote};
use crate::effect::{self, CcTo, Computed, EffectOptions, Measure, StudyData, ZeroCellRule};

/// How the SMD of a pair of arms is computed (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmdMethod {
    /// Cohen's d with the SD pooled over all arms of the study and Crippa & Orsini's variance,
    /// as meta's `pairwise()` and so netmeta (≥ 2.0-0).
    #[default]
    Cohen,
    /// Hedges' g of each pair of arms with its own pooled SD (metafor's `escalc()`, correction
    /// from [`EffectOptions::smd_correction`]).
    Hedges,
}

impl SmdMethod {
    /// The names [`SmdMethod::from_str`](std::str::FromStr::from_str) accepts, in the order
    /// of the variants ([`SmdMethod::code`]).
    pub const NAMES: &'static [&'static str] = &["cohen", "hedges"];

    /// The method's name on the command line and in JSON.
    pub fn code(self) -> &'static str {
        match self {
            SmdMethod::Cohen => "cohen",
            SmdMethod::Hedges => "hedges",
        }
    }
}

impl std::str::FromStr for SmdMethod {
    type Err = super::UnknownName;

    /// `cohen` or `hedges`, case-insensitive.
    ///
    /// ```
    /// use repool::network::SmdMethod;
    /// assert_eq!("Hedges".parse::<SmdMethod>(), Ok(SmdMethod::Hedges));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "cohen" => Ok(SmdMethod::Cohen),
            "hedges" => Ok(SmdMethod::Hedges),
            _ => Err(super::UnknownName::new("SMD method", s, Self::NAMES)),
        }
    }
}

/// Options of [`pairwise`]; the default is netmeta's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairwiseOptions {
    /// Effect sizes: the zero-cell constant (`zero_cell.add`), the Hedges correction.
    pub effect: EffectOptions,
    /// Keep comparisons with no events (or only events) in both arms, with the correction
    /// (meta's `allstudies = TRUE`); by default they are left out.
    pub all_studies: bool,
    /// How SMDs are computed.
    pub smd: SmdMethod,
}

impl Default for PairwiseOptions {
    fn default() -> Self {
        PairwiseOptions {
            effect: EffectOptions::default(),
            all_studies: false,
            smd: SmdMethod::Cohen,
        }
    }
}

/// One contrast of a study: arms `i` and `j` (positions in the study), `y = arm i − arm j`.
struct PairEffect {
    i: usize,
    j: usize,
    y: f64,
    v: f64,
}

/// Builds the network from arm-level rows: every pair of each study's arms (see the module
/// documentation for what is left out and noted).
pub fn pairwise(
    arms: &[Arm],
    measure: Measure,
    opts: &PairwiseOptions,
) -> Result<Network, NetworkError> {
    if arms.is_empty() {
        return Err(NetworkError::Empty);
    }
    let mut notes = Vec::new();
    let mut kept: Vec<(String, Vec<&Arm>, Vec<PairEffect>)> = Vec::new();
    treatments_of(arms.iter().map(|a| a.treatment.as_str()))?;
    let mut comparisons = 0;
    for (study, rows) in by_study(arms, |a| a.study.as_str()) {
        super::check_limit(Some(&study), "arms", rows.len(), super::MAX_ARMS)?;
        comparisons += rows.len() * (rows.len() - 1) / 2;
        super::check_limit(
            None,
            "pairwise comparisons",
            comparisons,
            super::MAX_COMPARISONS,
        )?;
        check_arms(&study, &rows, measure)?;
        let pairs = match rows[0].data {
            ArmData::Binary { .. } => binary_contrasts(&study, &rows, measure, opts, &mut notes)?,
            ArmData::Continuous { .. } => Some(continuous_contrasts(
                &study, &rows, measure, opts, &mut notes,
            )?),
        };
        if let Some(pairs) = pairs {
            kept.push((study, rows, pairs));
        }
    }
    if kept.is_empty() {
        return Err(NetworkError::AllDropped);
    }
    assemble(arms, kept, notes)
}

/// At least two arms, no treatment twice, one kind of data, and that kind fits the measure.
fn check_arms(study: &str, rows: &[&Arm], measure: Measure) -> Result<(), NetworkError> {
    let first = rows[0];
    if rows.len() < 2 {
        return Err(NetworkError::SingleArm {
            study: study.into(),
            treatment: first.treatment.clone(),
            line: first.line,
        });
    }
    for (i, a) in rows.iter().enumerate() {
        if rows[..i].iter().any(|b| b.treatment == a.treatment) {
            return Err(NetworkError::DuplicateArm {
                study: study.into(),
                treatment: a.treatment.clone(),
                line: a.line,
            });
        }
        if std::mem::discriminant(&a.data) != std::mem::discriminant(&first.data) {
            return Err(NetworkError::MixedArms {
                study: study.into(),
                line: a.line,
            });
        }
    }
    let binary = matches!(first.data, ArmData::Binary { .. });
    let fits = match measure {
        Measure::LogRiskRatio | Measure::LogOddsRatio | Measure::RiskDifference => binary,
        Measure::MeanDifference | Measure::StandardizedMeanDifference => !binary,
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(NetworkError::Measure {
            measure,
            kind: if binary { "binary" } else { "continuous" },
        })
    }
}

/// True when a comparison of two arms carries no information for `measure` (meta's
/// `metabin()`, `allstudies = FALSE`): no events in both arms (OR, RR), or only events in both
/// arms (OR). The risk difference keeps every comparison.
///
/// ```
/// use repool::network::pairwise::uninformative;
/// use repool::Measure;
/// assert!(uninformative(Measure::LogOddsRatio, (0.0, 36.0), (0.0, 39.0)));
/// assert!(uninformative(Measure::LogOddsRatio, (10.0, 10.0), (12.0, 12.0)));
/// assert!(!uninformative(Measure::LogRiskRatio, (10.0, 10.0), (12.0, 12.0)));
/// assert!(!uninformative(Measure::RiskDifference, (0.0, 36.0), (0.0, 39.0)));
/// ```
pub fn uninformative(measure: Measure, (e1, n1): (f64, f64), (e2, n2): (f64, f64)) -> bool {
    match measure {
        Measure::LogOddsRatio => (e1 == 0.0 && e2 == 0.0) || (e1 == n1 && e2 == n2),
        Measure::LogRiskRatio => e1 == 0.0 && e2 == 0.0,
        _ => false,
    }
}

fn events(a: &Arm) -> (f64, f64) {
    match a.data {
        ArmData::Binary { events, n } => (events, n),
        ArmData::Continuous { n, .. } => (f64::NAN, n),
    }
}

/// Every pair of arms of `rows`, as (i, j) positions with i < j.
fn pairs_of(m: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..m).flat_map(move |i| (i + 1..m).map(move |j| (i, j)))
}

/// The contrasts of a binary study, `None` when the study is left out (with a note).
fn binary_contrasts(
    study: &str,
    rows: &[&Arm],
    measure: Measure,
    opts: &PairwiseOptions,
    notes: &mut Vec<NetworkNote>,
) -> Result<Option<Vec<PairEffect>>, NetworkError> {
    let m = rows.len();
    let empty: Vec<(usize, usize)> = pairs_of(m)
        .filter(|&(i, j)| uninformative(measure, events(rows[i]), events(rows[j])))
        .collect();
    let add = opts.effect.zero_cell.add;
    let (line, names) = (rows[0].line, |&(i, j): &(usize, usize)| {
        (rows[i].treatment.clone(), rows[j].treatment.clone())
    });
    if !empty.is_empty() && opts.all_studies {
        notes.push(NetworkNote::TrialKept {
            study: study.into(),
            line,
            pairs: empty.iter().map(names).collect(),
            add,
        });
    } else if empty.len() == m * (m - 1) / 2 {
        let (e, n) = events(rows[0]);
        notes.push(NetworkNote::TrialDropped {
            study: study.into(),
            line,
            all_events: e == n && e > 0.0,
            add,
        });
        return Ok(None);
    } else if !empty.is_empty() {
        return Err(NetworkError::PartialZeroMultiArm {
            study: study.into(),
            line,
            pairs: empty
                .iter()
                .map(names)
                .map(|(a, b)| format!("{a} vs {b}"))
                .collect::<Vec<_>>()
                .join(", "),
            arms: m,
        });
    }
    let zero = rows.iter().any(|a| {
        let (e, n) = events(a);
        e == 0.0 || e == n
    });
    let eopts = EffectOptions {
        zero_cell: ZeroCellRule {
            add,
            to: if zero { CcTo::All } else { CcTo::None },
            drop_double_zero: false,
        },
        ..opts.effect
    };
    pairs_of(m)
        .map(|(i, j)| {
            let ((e1, n1), (e2, n2)) = (events(rows[i]), events(rows[j]));
            let data = StudyData::TwoByTwo {
                events_t: e1,
                n_t: n1,
                events_c: e2,
                n_c: n2,
            };
            effect_of(study, rows, (i, j), measure, &data, &eopts)
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// One pair's effect by [`effect::compute`], errors naming the study and the arms.
fn effect_of(
    study: &str,
    rows: &[&Arm],
    (i, j): (usize, usize),
    measure: Measure,
    data: &StudyData,
    eopts: &EffectOptions,
) -> Result<PairEffect, NetworkError> {
    let err = |detail: String| NetworkError::Effect {
        study: study.into(),
        treat1: rows[i].treatment.clone(),
        treat2: rows[j].treatment.clone(),
        line: rows[i].line,
        detail,
    };
    match effect::compute(measure, data, eopts, false).map_err(|e| err(e.to_string()))? {
        Computed::Effect { effect, .. } => Ok(PairEffect {
            i,
            j,
            y: effect.yi(),
            v: effect.vi(),
        }),
        Computed::DoubleZeroDropped => Err(err("no events (or only events) in both arms".into())),
    }
}

fn mean_sd_n(a: &Arm) -> (f64, f64, f64) {
    match a.data {
        ArmData::Continuous { mean, sd, n } => (mean, sd, n),
        ArmData::Binary { n, .. } => (f64::NAN, f64::NAN, n),
    }
}

/// The contrasts of a continuous study (MD, or SMD by `opts.smd`).
fn continuous_contrasts(
    study: &str,
    rows: &[&Arm],
    measure: Measure,
    opts: &PairwiseOptions,
    notes: &mut Vec<NetworkNote>,
) -> Result<Vec<PairEffect>, NetworkError> {
    if measure == Measure::StandardizedMeanDifference && opts.smd == SmdMethod::Cohen {
        return cohen_contrasts(study, rows);
    }
    let eopts = EffectOptions {
        md_variance: effect::MdVariance::Unequal,
        ..opts.effect
    };
    let out = pairs_of(rows.len())
        .map(|(i, j)| {
            let ((m1, s1, n1), (m2, s2, n2)) = (mean_sd_n(rows[i]), mean_sd_n(rows[j]));
            let data = StudyData::MeanSd {
                mean_t: m1,
                sd_t: s1,
                n_t: n1,
                mean_c: m2,
                sd_c: s2,
                n_c: n2,
            };
            effect_of(study, rows, (i, j), measure, &data, &eopts)
        })
        .collect::<Result<Vec<_>, _>>()?;
    if measure == Measure::StandardizedMeanDifference {
        notes.extend(smd_disagreement(study, rows, &out));
    }
    Ok(out)
}

/// Cohen's d over the SD pooled across all arms, with Crippa & Orsini's variance (see the
/// module documentation).
fn cohen_contrasts(study: &str, rows: &[&Arm]) -> Result<Vec<PairEffect>, NetworkError> {
    let arms: Vec<(f64, f64, f64)> = rows.iter().map(|a| mean_sd_n(a)).collect();
    let df: f64 = arms.iter().map(|a| a.2 - 1.0).sum();
    let sp = (arms.iter().map(|a| (a.2 - 1.0) * a.1 * a.1).sum::<f64>() / df).sqrt();
    let total: f64 = arms.iter().map(|a| a.2).sum();
    if !(sp > 0.0 && sp.is_finite()) {
        return Err(NetworkError::Effect {
            study: study.into(),
            treat1: rows[0].treatment.clone(),
            treat2: rows[1].treatment.clone(),
            line: rows[0].line,
            detail: "the pooled standard deviation is 0".into(),
        });
    }
    Ok(pairs_of(rows.len())
        .map(|(i, j)| {
            let d = (arms[i].0 - arms[j].0) / sp;
            let v = 1.0 / arms[i].2 + 1.0 / arms[j].2 + d * d / (2.0 * total);
            PairEffect { i, j, y: d, v }
        })
        .collect())
}

/// A note when a multi-arm study's SMDs do not add up (`y_ik ≠ y_ij + y_jk` by more than
/// netmeta's `tol.multiarm`, 0.001), naming the triple that disagrees most.
fn smd_disagreement(study: &str, rows: &[&Arm], pairs: &[PairEffect]) -> Option<NetworkNote> {
    let m = rows.len();
    let mut table = vec![f64::NAN; m * m];
    for p in pairs {
        table[p.i * m + p.j] = p.y;
    }
    let y = |i: usize, j: usize| table[i * m + j];
    let worst = pairs_of(m)
        .flat_map(|(i, j)| (j + 1..m).map(move |k| (i, j, k)))
        .map(|(i, j, k)| (i, j, k, y(i, k), y(i, j) + y(j, k)))
        .max_by(|a, b| (a.3 - a.4).abs().total_cmp(&(b.3 - b.4).abs()))?;
    let (i, j, k, direct, via) = worst;
    ((direct - via).abs() > 1e-3).then(|| NetworkNote::SmdInconsistent {
        study: study.into(),
        line: rows[0].line,
        treatments: [i, j, k].map(|t| rows[t].treatment.clone()),
        direct,
        via,
    })
}

/// The network of the kept studies; treatments only in left-out studies are noted.
fn assemble(
    arms: &[Arm],
    kept: Vec<(String, Vec<&Arm>, Vec<PairEffect>)>,
    mut notes: Vec<NetworkNote>,
) -> Result<Network, NetworkError> {
    let treatments = treatments_of(
        kept.iter()
            .flat_map(|(_, rows, _)| rows.iter().map(|a| a.treatment.as_str())),
    )?;
    for t in treatments_of(arms.iter().map(|a| a.treatment.as_str()))? {
        if treatments.binary_search(&t).is_err() {
            notes.push(NetworkNote::TreatmentLeftOut { treatment: t });
        }
    }
    let index = |t: &str| index_of(&treatments, t);
    let mut net = Network {
        participants: Some(vec![0.0; treatments.len()]),
        treatments: treatments.clone(),
        studies: Vec::new(),
        lines: Vec::new(),
        arms: Vec::new(),
        edges: Vec::new(),
        notes,
    };
    for (s, (study, rows, pairs)) in kept.into_iter().enumerate() {
        net.studies.push(study);
        net.lines.push(rows[0].line);
        net.arms
            .push(rows.iter().map(|a| index(&a.treatment)).collect());
        if let Some(p) = net.participants.as_mut() {
            for a in &rows {
                p[index(&a.treatment)] += events(a).1;
            }
        }
        net.edges.extend(pairs.iter().map(|p| Edge {
            study: s,
            t1: index(&rows[p.i].treatment),
            t2: index(&rows[p.j].treatment),
            y: p.y,
            v: p.v,
        }));
    }
    Ok(net)
}
