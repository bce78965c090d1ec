//! The publication-bias suggestion (rules and references in [`super::certainty`]).

use super::certainty::{Judgement, Reason, Suggestion};
use crate::effect::StudyData;
use crate::pool::bias::{egger, trim_and_fill, TrimFillEstimator};
use crate::pool::regression::meta_regression;
use crate::pool::{Model, Tau2Method};
use crate::{Measure, PooledEstimate, Study};

/// The fewest studies for a funnel-plot test (Sterne et al. 2011).
pub const MIN_STUDIES: usize = 10;

/// The p-value of Egger's or Peters' test below which asymmetry is suggested (Egger et al.
/// 1997 used 0.10; Sterne et al. 2011 the same).
pub const EGGER_ALPHA: f64 = 0.10;

/// Peters' test: a regression of the log odds ratios on the inverse of each study's total
/// sample size, weighted by the inverse variances, z test of the slope (Peters et al. 2006;
/// in the form of metafor's `regtest(predictor = "ninv")`, with the analysis' τ² estimator
/// or a common effect). `n` holds each study's total participants. Returns the p-value;
/// `None` with fewer than 3 studies or a regression that cannot be fitted.
///
/// Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L (2006). Comparison of two methods to
/// detect publication bias in meta-analysis. JAMA 295:676–680.
pub fn peters(y: &[f64], v: &[f64], n: &[f64], method: Option<Tau2Method>) -> Option<f64> {
    let k = y.len();
    if k < 3 || v.len() != k || n.len() != k || n.iter().any(|&x| x.is_nan() || x <= 0.0) {
        return None;
    }
    let x = nalgebra::DMatrix::from_fn(k, 2, |r, c| if c == 0 { 1.0 } else { 1.0 / n[r] });
    let names = ["intrcpt".to_string(), "ninv".to_string()];
    let fit = meta_regression(&x, &names, y, v, method, false, 0.95).ok()?;
    Some(fit.coefficients[1].p_value).filter(|p| p.is_finite())
}

/// The total participants of each study with an effect, in the order of
/// [`PooledEstimate::effects`], when the pool is of odds ratios and every study is a 2×2
/// table; else `None` (Egger's test is used).
fn odds_ratio_sizes(studies: &[Study], r: &PooledEstimate) -> Option<Vec<f64>> {
    if r.config.measure != Measure::LogOddsRatio || studies.len() != r.studies.len() {
        return None;
    }
    studies
        .iter()
        .zip(&r.studies)
        .filter(|(_, row)| row.effect.is_some())
        .map(|(s, _)| match s.data {
            StudyData::TwoByTwo { n_t, n_c, .. } => Some(n_t + n_c),
            _ => None,
        })
        .collect()
}

/// Publication bias of `studies` pooled as `r` (effects and model from the pool); `display`
/// back-transforms the trim-and-fill estimates. Odds ratios from 2×2 tables are tested with
/// Peters' test, every other measure with Egger's (see [`super::certainty`]). A test that
/// cannot be computed is left out of the reasons.
pub fn judge(studies: &[Study], r: &PooledEstimate, display: impl Fn(f64) -> f64) -> Judgement {
    let (y, v) = r.effects();
    if y.len() < MIN_STUDIES {
        return Judgement {
            suggestion: Suggestion::NotAssessable,
            reasons: vec![Reason::TooFewForFunnelTests { k: y.len() }],
        };
    }
    let mut reasons = Vec::new();
    let mut suggestion = Suggestion::NoConcern;
    let method = (r.config.model == Model::Random).then_some(r.config.tau2_method);
    let test = match odds_ratio_sizes(studies, r) {
        Some(n) => peters(&y, &v, &n, method).map(|p| (p, Reason::Peters { p })),
        None => egger(&y, &v)
            .ok()
            .map(|e| (e.p_value, Reason::Egger { p: e.p_value })),
    };
    if let Some((p, reason)) = test {
        if p < EGGER_ALPHA {
            suggestion = Suggestion::RateDownOne;
        }
        reasons.push(reason);
    }
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
