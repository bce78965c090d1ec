//! The imprecision suggestion (rules and references in [`super::certainty`]).

use super::certainty::{Judgement, Reason, Suggestion};
use super::Lines;

/// Whether the open interval `(low, high)` contains `x`.
fn spans(low: f64, high: f64, x: f64) -> bool {
    low < x && x < high
}

/// Imprecision from the CI `(low, high)` on the analysis scale against `lines`, and, when
/// `large` (the effect is large enough for the OIS to matter, see [`super::ois`]), the
/// participants against the optimal information size `ois` (`None`: unknown); `display`
/// back-transforms a threshold for the reasons.
pub fn judge(
    ci: (f64, f64),
    lines: &Lines,
    participants: Option<f64>,
    ois: Option<f64>,
    large: bool,
    display: impl Fn(f64) -> f64,
) -> Judgement {
    let (low, high) = ci;
    let crosses = |t: Option<f64>| t.filter(|&t| spans(low, high, t));
    let by_ci = match (crosses(lines.benefit), crosses(lines.harm)) {
        (Some(b), Some(h)) => Some((
            Suggestion::RateDownTwo,
            Reason::CrossesBenefitAndHarm {
                benefit: display(b),
                harm: display(h),
            },
        )),
        (Some(t), None) | (None, Some(t)) => Some((
            Suggestion::RateDownOne,
            Reason::CrossesThreshold {
                threshold: display(t),
            },
        )),
        (None, None) if lines.benefit.is_none() && spans(low, high, lines.null) => {
            Some((Suggestion::RateDownOne, Reason::IncludesNull))
        }
        (None, None) => None,
    };
    if let Some((suggestion, reason)) = by_ci {
        return Judgement {
            suggestion,
            reasons: vec![reason],
        };
    }
    if !large {
        return Judgement {
            suggestion: Suggestion::NoConcern,
            reasons: vec![Reason::ClearOfThresholds, Reason::EffectNotLarge],
        };
    }
    let (suggestion, size) = match (participants, ois) {
        (Some(n), Some(ois)) if n < ois => (
            Suggestion::RateDownOne,
            Reason::BelowOis {
                participants: n,
                ois,
            },
        ),
        (Some(n), Some(ois)) => (
            Suggestion::NoConcern,
            Reason::ReachesOis {
                participants: n,
                ois,
            },
        ),
        _ => (Suggestion::NoConcern, Reason::OisUnknown),
    };
    Judgement {
        suggestion,
        reasons: vec![Reason::ClearOfThresholds, size],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines() -> Lines {
        // RR 0.75 and 1.25 on the log scale.
        Lines {
            null: 0.0,
            benefit: Some(0.75f64.ln()),
            harm: Some(1.25f64.ln()),
        }
    }

    #[test]
    fn a_ci_across_appreciable_benefit_and_harm_is_two_levels() {
        let j = judge(
            (0.5f64.ln(), 1.6f64.ln()),
            &lines(),
            Some(5000.0),
            Some(1000.0),
            true,
            f64::exp,
        );
        assert_eq!(j.suggestion, Suggestion::RateDownTwo);
    }

    #[test]
    fn a_precise_ci_below_the_ois_is_one_level() {
        let j = judge(
            (0.5f64.ln(), 0.7f64.ln()),
            &lines(),
            Some(300.0),
            Some(1806.0),
            true,
            f64::exp,
        );
        assert_eq!(j.suggestion, Suggestion::RateDownOne);
        let j = judge(
            (0.5f64.ln(), 0.7f64.ln()),
            &lines(),
            Some(3000.0),
            Some(1806.0),
            true,
            f64::exp,
        );
        assert_eq!(j.suggestion, Suggestion::NoConcern);
    }

    #[test]
    fn a_clear_ci_of_an_effect_that_is_not_large_needs_no_ois() {
        let j = judge(
            (0.7f64.ln(), 0.74f64.ln()),
            &lines(),
            Some(300.0),
            Some(1806.0),
            false,
            f64::exp,
        );
        assert_eq!(j.suggestion, Suggestion::NoConcern);
        assert_eq!(
            j.reasons,
            vec![Reason::ClearOfThresholds, Reason::EffectNotLarge]
        );
    }

    #[test]
    fn without_a_threshold_the_null_decides() {
        let none = Lines {
            null: 0.0,
            benefit: None,
            harm: None,
        };
        let j = judge((-3.0, 1.0), &none, None, None, true, |x| x);
        assert_eq!(j.reasons, vec![Reason::IncludesNull]);
    }
}
