//! Combining the arms of a multi-arm trial into one group, so that a shared control arm
//! is counted once.
//!
//! # Formula (Cochrane Handbook, version 6.4 (2023), section 23.3.4, Table 23.3.a)
//! ```text
//! dichotomous: events = e1 + e2,  n = n1 + n2
//! continuous:  N  = N1 + N2
//!              M  = (N1 M1 + N2 M2) / N
//!              SD = sqrt( ((N1 - 1) SD1² + (N2 - 1) SD2² + N1 N2 / N (M1 - M2)²) / (N - 1) )
//! ```
//! applied pairwise for more than two arms.
//!
//! # References
//! - Higgins JPT, Li T, Deeks JJ (editors). Chapter 6: Choosing effect measures and
//!   computing estimates of effect, section 6.5.2.10 and Table 6.5.a; and Chapter 23:
//!   Including variants on randomized trials, section 23.3.4. Cochrane Handbook for
//!   Systematic Reviews of Interventions, version 6.4 (2023).

use super::StudyData;

/// Why arms cannot be combined.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CombineError {
    /// The rows do not hold arm data of one kind.
    #[error(
        "only rows with arm data of the same kind (2x2 tables, or means and SDs) can be combined"
    )]
    Kind,
    /// The shared control arm differs between rows.
    #[error("the rows to combine must share one control arm, but their control arms differ")]
    ControlDiffers,
}

/// Mean, SD and size of one arm combined from two (Handbook Table 23.3.a).
///
/// # Examples
/// ```
/// use repool::effect::combine::combine_mean_sd;
/// let (m, sd, n) = combine_mean_sd((10.0, 2.0, 20.0), (14.0, 3.0, 30.0));
/// assert_eq!(n, 50.0);
/// assert!((m - 12.4).abs() < 1e-12);
/// // sqrt((19·4 + 29·9 + 20·30/50·16) / 49)
/// assert!((sd - ((19.0 * 4.0 + 29.0 * 9.0 + 12.0 * 16.0) / 49.0f64).sqrt()).abs() < 1e-12);
/// ```
pub fn combine_mean_sd(a: (f64, f64, f64), b: (f64, f64, f64)) -> (f64, f64, f64) {
    let (m1, s1, n1) = a;
    let (m2, s2, n2) = b;
    let n = n1 + n2;
    let m = (n1 * m1 + n2 * m2) / n;
    let var = ((n1 - 1.0) * s1 * s1 + (n2 - 1.0) * s2 * s2 + n1 * n2 / n * (m1 - m2) * (m1 - m2))
        / (n - 1.0);
    (m, var.sqrt(), n)
}

/// Combines the treatment arms of rows that share one control arm into one study's data.
///
/// # Examples
/// ```
/// use repool::effect::{combine::combine_arms, StudyData};
/// // Skljarevski 2009: three duloxetine doses against one placebo arm of 117.
/// let arm = |e, n| StudyData::TwoByTwo { events_t: e, n_t: n, events_c: 10.0, n_c: 117.0 };
/// let d = combine_arms(&[arm(9.0, 59.0), arm(17.0, 116.0), arm(27.0, 112.0)]).unwrap();
/// assert_eq!(d, StudyData::TwoByTwo { events_t: 53.0, n_t: 287.0, events_c: 10.0, n_c: 117.0 });
/// ```
pub fn combine_arms(rows: &[StudyData]) -> Result<StudyData, CombineError> {
    let first = rows.first().ok_or(CombineError::Kind)?;
    match *first {
        StudyData::TwoByTwo { events_c, n_c, .. } => {
            let (mut e, mut n) = (0.0, 0.0);
            for r in rows {
                match *r {
                    StudyData::TwoByTwo {
                        events_t,
                        n_t,
                        events_c: ec,
                        n_c: nc,
                    } => {
                        if ec != events_c || nc != n_c {
                            return Err(CombineError::ControlDiffers);
                        }
                        e += events_t;
                        n += n_t;
                    }
                    _ => return Err(CombineError::Kind),
                }
            }
            Ok(StudyData::TwoByTwo {
                events_t: e,
                n_t: n,
                events_c,
                n_c,
            })
        }
        StudyData::MeanSd {
            mean_c, sd_c, n_c, ..
        } => {
            let mut acc: Option<(f64, f64, f64)> = None;
            for r in rows {
                match *r {
                    StudyData::MeanSd {
                        mean_t,
                        sd_t,
                        n_t,
                        mean_c: mc,
                        sd_c: sc,
                        n_c: nc,
                    } => {
                        if mc != mean_c || sc != sd_c || nc != n_c {
                            return Err(CombineError::ControlDiffers);
                        }
                        acc = Some(match acc {
                            None => (mean_t, sd_t, n_t),
                            Some(a) => combine_mean_sd(a, (mean_t, sd_t, n_t)),
                        });
                    }
                    _ => return Err(CombineError::Kind),
                }
            }
            let (mean_t, sd_t, n_t) = acc.expect("at least one row");
            Ok(StudyData::MeanSd {
                mean_t,
                sd_t,
                n_t,
                mean_c,
                sd_c,
                n_c,
            })
        }
        StudyData::Effect { .. } => Err(CombineError::Kind),
    }
}
