//! Data that are valid but unusual enough to deserve a second look before pooling: an event
//! count or arm size that is not a whole number (often a percentage turned back into a count,
//! or a typo), a standard deviation of 0 (every participant the same: often a missing value
//! entered as 0), and an arm of one participant. None of them stops the analysis; each becomes
//! a note naming the study and the value, as RevMan's data checks and metafor's warnings do.

use std::fmt;

use super::StudyData;

/// One reason to look at a study's data again.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Doubt {
    /// An event count or arm size that is not a whole number.
    Fractional {
        /// Which number: "events_t", "n_t", "events_c", "n_c", "n_t" or "n_c".
        column: &'static str,
        /// The value.
        value: f64,
    },
    /// A standard deviation of exactly 0.
    ZeroSd {
        /// "sd_t" or "sd_c".
        column: &'static str,
    },
    /// An arm of exactly one participant.
    SingleParticipant {
        /// "n_t" or "n_c".
        column: &'static str,
    },
}

impl fmt::Display for Doubt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Doubt::Fractional { column, value } => {
                write!(f, "{column} = {value} is not a whole number")
            }
            Doubt::ZeroSd { column } => write!(f, "{column} = 0 (no variation at all)"),
            Doubt::SingleParticipant { column } => write!(f, "{column} = 1 (one participant)"),
        }
    }
}

/// What is unusual about `data`, in the order of its columns.
///
/// # Examples
/// ```
/// use repool::effect::{doubt::{doubts, Doubt}, StudyData};
/// let d = StudyData::TwoByTwo { events_t: 12.5, n_t: 100.0, events_c: 10.0, n_c: 100.0 };
/// assert_eq!(doubts(&d), [Doubt::Fractional { column: "events_t", value: 12.5 }]);
/// let d = StudyData::MeanSd { mean_t: 1.0, sd_t: 0.0, n_t: 1.0, mean_c: 2.0, sd_c: 1.0, n_c: 20.0 };
/// assert_eq!(doubts(&d), [Doubt::ZeroSd { column: "sd_t" }, Doubt::SingleParticipant { column: "n_t" }]);
/// ```
pub fn doubts(data: &StudyData) -> Vec<Doubt> {
    let mut out = Vec::new();
    let whole = |out: &mut Vec<Doubt>, column, value: f64| {
        if value.fract() != 0.0 {
            out.push(Doubt::Fractional { column, value });
        }
    };
    match *data {
        StudyData::TwoByTwo {
            events_t,
            n_t,
            events_c,
            n_c,
        } => {
            for (column, value) in [
                ("events_t", events_t),
                ("n_t", n_t),
                ("events_c", events_c),
                ("n_c", n_c),
            ] {
                whole(&mut out, column, value);
            }
            single(&mut out, [("n_t", n_t), ("n_c", n_c)]);
        }
        StudyData::MeanSd {
            sd_t,
            n_t,
            sd_c,
            n_c,
            ..
        } => {
            for (column, sd) in [("sd_t", sd_t), ("sd_c", sd_c)] {
                if sd == 0.0 {
                    out.push(Doubt::ZeroSd { column });
                }
            }
            whole(&mut out, "n_t", n_t);
            whole(&mut out, "n_c", n_c);
            single(&mut out, [("n_t", n_t), ("n_c", n_c)]);
        }
        StudyData::Effect { .. } => {}
    }
    out
}

fn single(out: &mut Vec<Doubt>, arms: [(&'static str, f64); 2]) {
    for (column, n) in arms {
        if n == 1.0 {
            out.push(Doubt::SingleParticipant { column });
        }
    }
}
