//! The rows of a network (arms or contrasts) and the errors of building it; from contrast rows
//! to a [`Network`] of pairwise comparisons, with the checks a network needs. Arm rows are
//! turned into contrasts by [`super::pairwise()`].
//!
//! Contrast data: a multi-arm study must give every pair of its treatments, and the
//! contrasts must be consistent (`y_ab = y_ac − y_bc` within 0.001, netmeta's
//! `tol.multiarm`).

use super::{Edge, Network};
use crate::effect::Measure;

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
    /// Comparisons without information left out of a multi-arm study, leaving an incomplete set.
    /// netmeta (3.6-2, `R/netmeta.R`) stops with "wrong number of comparisons" when the number
    /// left is not 1, 3, 6, …; when it is (a four-arm trial with three arms without events keeps
    /// three comparisons) it goes on and treats them as a three-arm trial's, which they are not.
    /// repool refuses both.
    #[error("study '{study}'{}: the comparisons {pairs} have no events (or only events) in both arms and are left out (as netmeta's default, meta::pairwise(allstudies = FALSE)), after which the study no longer gives every pair of its {arms} arms; keep them with the continuity correction added to every cell of every study or leave the study out", at(*.line))]
    PartialZeroMultiArm {
        /// Study.
        study: String,
        /// Line of its first arm.
        line: Option<u64>,
        /// The comparisons left out, "A vs B, …".
        pairs: String,
        /// Its number of arms.
        arms: usize,
    },
    /// Every study was left out for lack of information.
    #[error("every study is left out: each has no events (or, for the odds ratio, only events) in all its arms; only the continuity correction added to every cell of every study would keep them")]
    AllDropped,
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
    /// The network is larger than repool analyses (see [`super::MAX_TREATMENTS`],
    /// [`super::MAX_ARMS`], [`super::MAX_COMPARISONS`]).
    #[error("{} {count} {what}; repool analyses at most {max} {what}{}", .study.as_ref().map_or("the network has".to_string(), |s| format!("study '{s}' has")), if .study.is_some() { " per study" } else { " in one network" })]
    TooLarge {
        /// The study, when a limit per study is exceeded.
        study: Option<String>,
        /// What is counted: treatments, arms or pairwise comparisons.
        what: &'static str,
        /// How many there are (for arms and comparisons: at least this many).
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A contrast whose effect is not finite or whose variance is not positive and finite.
    #[error("study '{study}'{}: the contrast {treat1} vs {treat2} needs a finite effect and a positive, finite variance, got {y} and {v}", at(*.line))]
    BadContrast {
        /// Study.
        study: String,
        /// Line of the contrast.
        line: Option<u64>,
        /// First treatment.
        treat1: String,
        /// Second treatment.
        treat2: String,
        /// The effect.
        y: f64,
        /// The variance.
        v: f64,
    },
    /// Numerical failure.
    #[error("the network's Laplacian is singular")]
    Singular,
    /// A number of the result is not finite: the contrasts are too extreme to compute with.
    #[error("the network's {what} is not a finite number: the contrasts are too extreme to compute with ({extremes})")]
    NonFinite {
        /// Which result.
        what: &'static str,
        /// The most precise and the largest contrast, with their studies and lines.
        extremes: String,
    },
}

pub(super) fn at(line: Option<u64>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

/// Groups rows by study, keeping the order of first appearance.
pub(super) fn by_study<T>(rows: &[T], study: impl Fn(&T) -> &str) -> Vec<(String, Vec<&T>)> {
    let mut out: Vec<(String, Vec<&T>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = Default::default();
    for r in rows {
        let s = study(r);
        match index.get(s) {
            Some(&i) => out[i].1.push(r),
            None => {
                index.insert(s, out.len());
                out.push((s.to_string(), vec![r]));
            }
        }
    }
    out
}

/// The distinct treatment names, sorted; more than [`super::MAX_TREATMENTS`] is an error.
pub(super) fn treatments_of<'a>(
    names: impl Iterator<Item = &'a str>,
) -> Result<Vec<String>, NetworkError> {
    let mut t: Vec<&str> = names.collect();
    t.sort_unstable();
    t.dedup();
    super::check_limit(None, "treatments", t.len(), super::MAX_TREATMENTS)?;
    Ok(t.into_iter().map(String::from).collect())
}

/// The position of `name` in the sorted `treatments`.
pub(super) fn index_of(treatments: &[String], name: &str) -> usize {
    treatments
        .binary_search_by(|t| t.as_str().cmp(name))
        .unwrap_or(0)
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
        if !(r.y.is_finite() && r.v > 0.0 && r.v.is_finite()) {
            return Err(NetworkError::BadContrast {
                study: r.study.clone(),
                line: r.line,
                treat1: r.treat1.clone(),
                treat2: r.treat2.clone(),
                y: r.y,
                v: r.v,
            });
        }
    }
    let treatments = treatments_of(
        rows.iter()
            .flat_map(|r| [r.treat1.as_str(), r.treat2.as_str()]),
    )?;
    let mut net = Network {
        treatments,
        studies: Vec::new(),
        lines: Vec::new(),
        arms: Vec::new(),
        edges: Vec::new(),
        participants: None,
        notes: Vec::new(),
    };
    for (study, rs) in by_study(rows, |r| r.study.as_str()) {
        let (arms, pairs) = study_contrasts(&study, &rs)?;
        let s = net.studies.len();
        net.studies.push(study);
        net.lines.push(rs[0].line);
        net.arms
            .push(arms.iter().map(|t| index_of(&net.treatments, t)).collect());
        for ((i, j), (y, v)) in pairs {
            net.edges.push(Edge {
                study: s,
                t1: index_of(&net.treatments, arms[i]),
                t2: index_of(&net.treatments, arms[j]),
                y,
                v,
            });
        }
        super::check_limit(
            None,
            "pairwise comparisons",
            net.edges.len(),
            super::MAX_COMPARISONS,
        )?;
    }
    Ok(net)
}

/// A study's treatments in order of appearance (at most [`super::MAX_ARMS`]) and the
/// contrast of every pair of them, `(i, j)` positions with `i < j`, checked: each pair given
/// once, and a multi-arm study's contrasts consistent.
#[allow(clippy::type_complexity)]
fn study_contrasts<'a>(
    study: &str,
    rs: &[&'a Contrast],
) -> Result<(Vec<&'a str>, Vec<((usize, usize), (f64, f64))>), NetworkError> {
    let mut arms: Vec<&str> = Vec::new();
    for r in rs {
        for t in [r.treat1.as_str(), r.treat2.as_str()] {
            if !arms.contains(&t) {
                arms.push(t);
                super::check_limit(Some(study), "arms", arms.len(), super::MAX_ARMS)?;
            }
        }
    }
    let m = arms.len();
    let pos = |t: &str| arms.iter().position(|a| *a == t).unwrap_or(0);
    // y[i][j] = arm i − arm j, once per pair.
    let mut y: Vec<Vec<Option<(f64, f64)>>> = vec![vec![None; m]; m];
    for r in rs {
        let (i, j) = (pos(&r.treat1), pos(&r.treat2));
        if y[i][j].is_some() {
            let (a, b) = (arms[i.min(j)], arms[i.max(j)]);
            return Err(NetworkError::DuplicateArm {
                study: study.into(),
                treatment: format!("{a} vs {b}"),
                line: rs[0].line,
            });
        }
        y[i][j] = Some((r.y, r.v));
        y[j][i] = Some((-r.y, r.v));
    }
    let mut pairs = Vec::with_capacity(m * (m - 1) / 2);
    for i in 0..m {
        for j in i + 1..m {
            let Some(c) = y[i][j] else {
                return Err(NetworkError::IncompleteMultiArm {
                    study: study.into(),
                    treatments: arms.join(", "),
                    missing: format!("{} vs {}", arms[i], arms[j]),
                });
            };
            pairs.push(((i, j), c));
        }
    }
    // Consistency of multi-arm contrasts: y(a,b) = y(a,c) − y(b,c).
    let val = |i: usize, j: usize| y[i][j].map_or(0.0, |c| c.0);
    for i in 0..m {
        for j in i + 1..m {
            for k in j + 1..m {
                let (ab, ac, bc) = (val(i, j), val(i, k), val(j, k));
                if (ab - (ac - bc)).abs() > 1e-3 {
                    return Err(NetworkError::InconsistentMultiArm {
                        study: study.into(),
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
    Ok((arms, pairs))
}
