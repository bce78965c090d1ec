//! The publication-bias suggestion (rules and references in [`super::certainty`]).

use super::certainty::{Judgement, Reason, Suggestion};
use crate::pool::bias::{egger, trim_and_fill, TrimFillEstimator};
use crate::pool::Model;
use crate::PooledEstimate;

/// The fewest studies for a funnel-plot test (Sterne et al. 2011).
pub const MIN_STUDIES: usize = 10;

/// Egger's p-value below which asymmetry is suggested (Egger et al. 1997 used 0.10).
pub const EGGER_ALPHA: f64 = 0.10;

/// Publication bias of the pool `r` (effects and model from it); `display` back-transforms
/// the trim-and-fill estimates. A test that cannot be computed is left out of the reasons.
pub fn judge(r: &PooledEstimate, display: impl Fn(f64) -> f64) -> Judgement {
    let (y, v) = r.effects();
    if y.len() < MIN_STUDIES {
        return Judgement {
            suggestion: Suggestion::NotAssessable,
            reasons: vec![Reason::TooFewForFunnelTests { k: y.len() }],
        };
    }
    let mut reasons = Vec::new();
    let mut suggestion = Suggestion::NoConcern;
    if let Ok(e) = egger(&y, &v) {
        if e.p_value < EGGER_ALPHA {
            suggestion = Suggestion::RateDownOne;
        }
        reasons.push(Reason::Egger { p: e.p_value });
    }
    let method = (r.config.model == Model::Random).then_some(r.config.tau2_method);
    if let Ok(tf) = trim_and_fill(&y, &v, method, TrimFillEstimator::L0) {
        let null = r.config.measure.null_value();
        let before = !(r.ci_low < null && null < r.ci_high);
        let after = !(tf.ci.0 < null && null < tf.ci.1);
        reasons.push(Reason::TrimFill {
            filled: tf.k0,
            before: display(r.estimate),
            after: display(tf.estimate),
            changes_conclusion: before && !after,
        });
    }
    if reasons.is_empty() {
        // Neither test could be computed: the data say nothing either way.
        suggestion = Suggestion::NotAssessable;
    }
    Judgement {
        suggestion,
        reasons,
    }
}
