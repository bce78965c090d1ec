//! From arm-level or contrast-level rows to a [`Network`] of pairwise comparisons (as
//! netmeta's `pairwise()`), with the checks a network needs.
//!
//! Arm data: every pair of a study's arms gives one contrast, computed by
//! [`crate::effect::compute`] with the first-listed arm as "treatment". In a study with a zero
//! cell in any arm, 0.5 is added to every cell of every arm, so that each arm contributes the
//! same variance to all its contrasts (the multi-arm reduction relies on it).
//!
//! Contrast data: a multi-arm study must give every pair of its treatments, and the
//! contrasts must be consistent (`y_ab = y_ac − y_bc` within 0.001, netmeta's
//! `tol.multiarm`).

use super::{Edge, Network};
use crate::effect::{self, CcTo, Computed, EffectOptions, Measure, StudyData, ZeroCellRule};

/// Data of one arm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ArmData {
    /// Events and participants.
    Binary {
        /// Events.
        events: f64,
        /// Participants.
        n: f64,
    },
    /// Mean, SD and participants.
    Continuous {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// Participants.
        n: f64,
    },
}

impl ArmData {
    fn n(&self) -> f64 {
        match *self {
            ArmData::Binary { n, .. } | ArmData::Continuous { n, .. } => n,
        }
    }
}

/// One arm of one study.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    /// Study label.
    pub study: String,
    /// Treatment name.
    pub treatment: String,
    /// The arm's data.
    pub data: ArmData,
    /// Line in the input, for messages.
    pub line: Option<u64>,
}

/// One contrast: `y` = treat1 − treat2 (analysis scale), variance `v`.
#[derive(Debug, Clone, PartialEq)]
pub struct Contrast {
    /// Study label.
    pub study: String,
    /// First treatment.
    pub treat1: String,
    /// Second treatment.
    pub treat2: String,
    /// Effect of treat1 against treat2.
    pub y: f64,
    /// Its variance.
    pub v: f64,
    /// Line in the input.
    pub line: Option<u64>,
}

/// Why a network cannot be built or analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// No rows.
    #[error("no studies in the input")]
    Empty,
    /// A study lists a treatment twice.
    #[error("study '{study}'{}: treatment '{treatment}' appears twice", at(*.line))]
    DuplicateArm {
        /// Study.
        study: String,
        /// Treatment.
        treatment: String,
        /// Line.
        line: Option<u64>,
    },
    /// A contrast compares a treatment with itself.
    #[error("study '{study}'{}: compares treatment '{treatment}' with itself", at(*.line))]
    SelfComparison {
        /// Study.
        study: String,
        /// Treatment.
        treatment: String,
        /// Line.
        line: Option<u64>,
    },
    /// A study with one arm.
    #[error("study '{study}'{} has only one arm ('{treatment}'): a study must compare at least two treatments", at(*.line))]
    SingleArm {
        /// Study.
        study: String,
        /// Its only treatment.
        treatment: String,
        /// Line.
        line: Option<u64>,
    },
    /// The rows of one study mix kinds of data.
    #[error("study '{study}'{}: arms mix binary and continuous data", at(*.line))]
    MixedArms {
        /// Study.
        study: String,
        /// Line.
        line: Option<u64>,
    },
    /// An effect could not be computed.
    #[error("study '{study}'{}, {treat1} vs {treat2}: {detail}", at(*.line))]
    Effect {
        /// Study.
        study: String,
        /// First treatment.
        treat1: String,
        /// Second treatment.
        treat2: String,
        /// Line of the first arm.
        line: Option<u64>,
        /// What went wrong.
        detail: String,
    },
    /// A multi-arm study's contrasts do not cover every pair.
    #[error("study '{study}': a multi-arm study must give every pair of its treatments ({treatments}); missing {missing}")]
    IncompleteMultiArm {
        /// Study.
        study: String,
        /// Its treatments.
        treatments: String,
        /// A missing pair.
        missing: String,
    },
    /// A multi-arm study's contrasts contradict each other.
    #[error("study '{study}': inconsistent contrasts: {detail}")]
    InconsistentMultiArm {
        /// Study.
        study: String,
        /// Which contrasts and by how much.
        detail: String,
    },
    /// The multi-arm reduction gives a non-positive weight.
    #[error("study '{study}': the variances of its contrasts cannot come from one set of arms (the multi-arm reduction gives a negative weight)")]
    MultiArm {
        /// Study.
        study: String,
    },
    /// The network falls apart.
    #[error("the network is disconnected: {} separate parts: {}", .components.len(), .components.iter().map(|c| format!("{{{}}}", c.join(", "))).collect::<Vec<_>>().join(" and "))]
    Disconnected {
        /// Treatments of each component.
        components: Vec<Vec<String>>,
    },
    /// The reference treatment is not in the network.
    #[error("unknown reference treatment '{reference}'; the treatments are: {treatments}")]
    UnknownReference {
        /// The name given.
        reference: String,
        /// The treatments.
        treatments: String,
    },
    /// The measure does not fit the data.
    #[error(
        "measure {measure} does not fit {kind} arm data (binary: RR, OR, RD; continuous: MD, SMD)"
    )]
    Measure {
        /// The measure.
        measure: Measure,
        /// The data kind.
        kind: &'static str,
    },
    /// Numerical failure.
    #[error("the network's Laplacian is singular")]
    Singular,
}

fn at(line: Option<u64>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

/// Groups rows by study, keeping the order of first appearance.
fn by_study<T>(rows: &[T], study: impl Fn(&T) -> &str) -> Vec<(String, Vec<&T>)> {
    let mut out: Vec<(String, Vec<&T>)> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|(s, _)| s == study(r)) {
            Some((_, v)) => v.push(r),
            None => out.push((study(r).to_string(), vec![r])),
        }
    }
    out
}

fn treatments_of<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut t: Vec<String> = names.map(String::from).collect();
    t.sort();
    t.dedup();
    t
}

/// Builds the network from arm-level rows: every pair of each study's arms.
pub fn pairwise(
    arms: &[Arm],
    measure: Measure,
    opts: &EffectOptions,
) -> Result<Network, NetworkError> {
    if arms.is_empty() {
        return Err(NetworkError::Empty);
    }
    let treatments = treatments_of(arms.iter().map(|a| a.treatment.as_str()));
    let index = |t: &str| treatments.iter().position(|x| x == t).unwrap_or(0);
    let mut net = Network {
        treatments: treatments.clone(),
        studies: Vec::new(),
        arms: Vec::new(),
        edges: Vec::new(),
        participants: Some(vec![0.0; treatments.len()]),
    };
    for (study, rows) in by_study(arms, |a| a.study.as_str()) {
        let first = rows[0];
        if rows.len() < 2 {
            return Err(NetworkError::SingleArm {
                study,
                treatment: first.treatment.clone(),
                line: first.line,
            });
        }
        for (i, a) in rows.iter().enumerate() {
            if rows[..i].iter().any(|b| b.treatment == a.treatment) {
                return Err(NetworkError::DuplicateArm {
                    study,
                    treatment: a.treatment.clone(),
                    line: a.line,
                });
            }
            if std::mem::discriminant(&a.data) != std::mem::discriminant(&first.data) {
                return Err(NetworkError::MixedArms {
                    study,
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
        if !fits {
            return Err(NetworkError::Measure {
                measure,
                kind: if binary { "binary" } else { "continuous" },
            });
        }
        let zero = rows.iter().any(|a| match a.data {
            ArmData::Binary { events, n } => events == 0.0 || events == n,
            _ => false,
        });
        let eopts = EffectOptions {
            zero_cell: ZeroCellRule {
                add: opts.zero_cell.add,
                to: if zero { CcTo::All } else { CcTo::None },
                drop_double_zero: false,
            },
            smd_correction: opts.smd_correction,
            md_variance: crate::effect::MdVariance::Unequal,
        };
        let s = net.studies.len();
        net.studies.push(study.clone());
        net.arms
            .push(rows.iter().map(|a| index(&a.treatment)).collect());
        if let Some(p) = net.participants.as_mut() {
            for a in &rows {
                p[index(&a.treatment)] += a.data.n();
            }
        }
        for i in 0..rows.len() {
            for j in i + 1..rows.len() {
                let (a, b) = (rows[i], rows[j]);
                let data = match (a.data, b.data) {
                    (
                        ArmData::Binary { events: e1, n: n1 },
                        ArmData::Binary { events: e2, n: n2 },
                    ) => StudyData::TwoByTwo {
                        events_t: e1,
                        n_t: n1,
                        events_c: e2,
                        n_c: n2,
                    },
                    (
                        ArmData::Continuous {
                            mean: m1,
                            sd: s1,
                            n: n1,
                        },
                        ArmData::Continuous {
                            mean: m2,
                            sd: s2,
                            n: n2,
                        },
                    ) => StudyData::MeanSd {
                        mean_t: m1,
                        sd_t: s1,
                        n_t: n1,
                        mean_c: m2,
                        sd_c: s2,
                        n_c: n2,
                    },
                    _ => unreachable!("arm kinds checked above"),
                };
                let err = |detail: String| NetworkError::Effect {
                    study: study.clone(),
                    treat1: a.treatment.clone(),
                    treat2: b.treatment.clone(),
                    line: a.line,
                    detail,
                };
                match effect::compute(measure, &data, &eopts, zero)
                    .map_err(|e| err(e.to_string()))?
                {
                    Computed::Effect { effect, .. } => net.edges.push(Edge {
                        study: s,
                        t1: index(&a.treatment),
                        t2: index(&b.treatment),
                        y: effect.yi(),
                        v: effect.vi(),
                    }),
                    Computed::DoubleZeroDropped => {
                        return Err(err("no events (or only events) in both arms".into()))
                    }
                }
            }
        }
    }
    Ok(net)
}

/// Builds the network from contrast rows (`y = treat1 − treat2`, variance `v`).
pub fn from_contrasts(rows: &[Contrast]) -> Result<Network, NetworkError> {
    if rows.is_empty() {
        return Err(NetworkError::Empty);
    }
    for r in rows {
        if r.treat1 == r.treat2 {
            return Err(NetworkError::SelfComparison {
                study: r.study.clone(),
                treatment: r.treat1.clone(),
                line: r.line,
            });
        }
    }
    let treatments = treatments_of(
        rows.iter()
            .flat_map(|r| [r.treat1.as_str(), r.treat2.as_str()]),
    );
    let index = |t: &str| treatments.iter().position(|x| x == t).unwrap_or(0);
    let mut net = Network {
        treatments: treatments.clone(),
        studies: Vec::new(),
        arms: Vec::new(),
        edges: Vec::new(),
        participants: None,
    };
    for (study, rs) in by_study(rows, |r| r.study.as_str()) {
        // The study's treatments in order of appearance.
        let mut arms: Vec<&str> = Vec::new();
        for r in &rs {
            for t in [r.treat1.as_str(), r.treat2.as_str()] {
                if !arms.contains(&t) {
                    arms.push(t);
                }
            }
        }
        let m = arms.len();
        // Find each pair's contrast (either orientation).
        let get = |a: &str, b: &str| -> Option<(f64, f64, bool)> {
            rs.iter().find_map(|r| {
                if r.treat1 == a && r.treat2 == b {
                    Some((r.y, r.v, true))
                } else if r.treat1 == b && r.treat2 == a {
                    Some((-r.y, r.v, false))
                } else {
                    None
                }
            })
        };
        for i in 0..m {
            for j in i + 1..m {
                let n_pair = rs
                    .iter()
                    .filter(|r| {
                        (r.treat1 == arms[i] && r.treat2 == arms[j])
                            || (r.treat1 == arms[j] && r.treat2 == arms[i])
                    })
                    .count();
                if n_pair == 0 {
                    return Err(NetworkError::IncompleteMultiArm {
                        study,
                        treatments: arms.join(", "),
                        missing: format!("{} vs {}", arms[i], arms[j]),
                    });
                }
                if n_pair > 1 {
                    return Err(NetworkError::DuplicateArm {
                        study,
                        treatment: format!("{} vs {}", arms[i], arms[j]),
                        line: rs[0].line,
                    });
                }
            }
        }
        // Consistency of multi-arm contrasts: y(a,b) = y(a,c) − y(b,c).
        for i in 0..m {
            for j in i + 1..m {
                for k in j + 1..m {
                    let (ab, _, _) = get(arms[i], arms[j]).unwrap_or_default();
                    let (ac, _, _) = get(arms[i], arms[k]).unwrap_or_default();
                    let (bc, _, _) = get(arms[j], arms[k]).unwrap_or_default();
                    if (ab - (ac - bc)).abs() > 1e-3 {
                        return Err(NetworkError::InconsistentMultiArm {
                            study,
                            detail: format!(
                                "{a} vs {b} is {ab}, but {a} vs {c} minus {b} vs {c} is {}",
                                ac - bc,
                                a = arms[i],
                                b = arms[j],
                                c = arms[k]
                            ),
                        });
                    }
                }
            }
        }
        let s = net.studies.len();
        net.studies.push(study.clone());
        net.arms.push(arms.iter().map(|t| index(t)).collect());
        for i in 0..m {
            for j in i + 1..m {
                let (y, v, _) = get(arms[i], arms[j]).unwrap_or_default();
                net.edges.push(Edge {
                    study: s,
                    t1: index(arms[i]),
                    t2: index(arms[j]),
                    y,
                    v,
                });
            }
        }
    }
    Ok(net)
}
