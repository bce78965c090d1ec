//! What the trials say about the control arms: their risks, their participants and their
//! pooled SD.

use crate::effect::StudyData;
use crate::Study;

/// The control risks of trials with 2×2 data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlRisks {
    /// The control arms taken together: Σ events / Σ participants (GRADEpro's "study
    /// population" risk; Cochrane Handbook 14.1.6.3).
    pub pooled: f64,
    /// The median of the trials' control risks.
    pub median: f64,
    /// The lowest control risk.
    pub lowest: f64,
    /// The highest control risk.
    pub highest: f64,
    /// Trials with a control arm of at least one participant.
    pub trials: usize,
}

/// The control risks of `studies`, `None` unless every study is a 2×2 table and some control
/// arm has participants.
///
/// ```
/// use repool::effect::StudyData;
/// use repool::Study;
/// let t = |e: f64, n: f64| Study::new("s", StudyData::TwoByTwo { events_t: 1.0, n_t: 10.0, events_c: e, n_c: n });
/// let r = repool::sof::control_risks(&[t(1.0, 10.0), t(3.0, 10.0), t(4.0, 20.0)]).unwrap();
/// assert_eq!((r.pooled, r.median, r.lowest, r.highest), (0.2, 0.2, 0.1, 0.3));
/// ```
pub fn control_risks(studies: &[Study]) -> Option<ControlRisks> {
    let mut risks = Vec::with_capacity(studies.len());
    let (mut events, mut total) = (0.0, 0.0);
    for s in studies {
        let StudyData::TwoByTwo { events_c, n_c, .. } = s.data else {
            return None;
        };
        if n_c > 0.0 {
            risks.push(events_c / n_c);
            events += events_c;
            total += n_c;
        }
    }
    if risks.is_empty() {
        return None;
    }
    risks.sort_by(f64::total_cmp);
    let m = risks.len();
    let median = if m % 2 == 1 {
        risks[m / 2]
    } else {
        (risks[m / 2 - 1] + risks[m / 2]) / 2.0
    };
    Some(ControlRisks {
        pooled: events / total,
        median,
        lowest: risks[0],
        highest: risks[m - 1],
        trials: m,
    })
}

/// All participants of `studies`, `None` when a study gives only its effect.
pub fn participants(studies: &[Study]) -> Option<f64> {
    studies.iter().try_fold(0.0, |sum, s| match s.data {
        StudyData::TwoByTwo { n_t, n_c, .. } | StudyData::MeanSd { n_t, n_c, .. } => {
            Some(sum + n_t + n_c)
        }
        StudyData::Effect { .. } => None,
    })
}

/// The SD of all arms pooled: `sqrt(Σ (n − 1) SD² / Σ (n − 1))`; `None` without means and SDs.
pub(super) fn pooled_sd(studies: &[Study]) -> Option<f64> {
    let (mut ss, mut df) = (0.0, 0.0);
    for s in studies {
        let StudyData::MeanSd {
            sd_t,
            n_t,
            sd_c,
            n_c,
            ..
        } = s.data
        else {
            return None;
        };
        ss += (n_t - 1.0) * sd_t * sd_t + (n_c - 1.0) * sd_c * sd_c;
        df += n_t + n_c - 2.0;
    }
    (df > 0.0).then(|| (ss / df).sqrt()).filter(|s| *s > 0.0)
}
