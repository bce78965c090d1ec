//! The inconsistency suggestion (rules and references in [`super::certainty`]).

use super::certainty::{i2_band, Judgement, Line, Reason, Suggestion};
use super::Lines;
use crate::PooledEstimate;

/// The line that matters for inconsistency (Core GRADE 3: where the point estimates lie
/// relative to the target of the certainty rating): the threshold on the pooled estimate's
/// side of the null, that is the benefit threshold, or the harm threshold when the pooled
/// estimate lies on the side of harm (at or beyond the harm line); without thresholds, the
/// null.
fn line_of(lines: &Lines, estimate: f64) -> (Line, f64) {
    match (lines.benefit, lines.harm) {
        (Some(_), Some(h)) if (estimate - lines.null) * (h - lines.null) > 0.0 => {
            (Line::Threshold, h)
        }
        (Some(t), _) => (Line::Threshold, t),
        (None, _) => (Line::Null, lines.null),
    }
}

/// Studies on the pooled estimate's side of `at` and against it; a study exactly on the line
/// is on neither side.
fn sides(r: &PooledEstimate, at: f64) -> (usize, usize) {
    let (y, _) = r.effects();
    let pooled_above = r.estimate > at;
    let on_side = |x: f64, above: bool| if above { x > at } else { x < at };
    let with = y.iter().filter(|&&x| on_side(x, pooled_above)).count();
    let against = y.iter().filter(|&&x| on_side(x, !pooled_above)).count();
    (with, against)
}

/// Inconsistency of the pool `r` against `lines`, with the p-value of the test for subgroup
/// differences if there are subgroups; `display` back-transforms the prediction interval.
pub fn judge(
    r: &PooledEstimate,
    lines: &Lines,
    subgroup_p: Option<f64>,
    display: impl Fn(f64) -> f64,
) -> Judgement {
    if r.k_estimable < 2 {
        return Judgement {
            suggestion: Suggestion::NotAssessable,
            reasons: vec![Reason::SingleStudy],
        };
    }
    let i2 = r.heterogeneity.i2_percent;
    let mut reasons = vec![Reason::I2 {
        i2,
        band: i2_band(i2),
    }];
    let (line, at) = line_of(lines, r.estimate);
    if let Some(tau) = r.tau2.filter(|&t| t > 0.0).map(f64::sqrt) {
        reasons.push(Reason::Tau {
            tau,
            distance: (r.estimate - at).abs(),
            line,
        });
    }
    let pi_crosses = |x: f64| {
        let ci_crosses = r.ci_low < x && x < r.ci_high;
        r.pi.is_some_and(|(lo, hi)| lo < x && x < hi) && !ci_crosses
    };
    let crosses_line = pi_crosses(at);
    let crosses_null = pi_crosses(lines.null);
    let both = match (lines.benefit, lines.harm, r.pi) {
        (Some(b), Some(h), Some((lo, hi))) => lo < b.min(h) && b.max(h) < hi,
        _ => false,
    };
    if let Some((lo, hi)) = r.pi.filter(|_| crosses_line || crosses_null) {
        let line = match (both, crosses_line) {
            (true, _) => Line::BenefitAndHarm,
            (false, true) => line,
            (false, false) => Line::Null,
        };
        reasons.push(Reason::PredictionCrosses {
            line,
            low: display(lo),
            high: display(hi),
        });
    }
    let (with_pool, against) = sides(r, at);
    if against > 0 {
        reasons.push(Reason::StudiesOnBothSides {
            line,
            with_pool,
            against,
        });
    }
    if let Some(p) = subgroup_p {
        reasons.push(Reason::SubgroupTest { p });
    }
    let spread = crosses_line || crosses_null || against > 0;
    let suggestion = if i2 >= 75.0 && both {
        Suggestion::RateDownTwo
    } else if i2 >= 50.0 && spread {
        Suggestion::RateDownOne
    } else {
        Suggestion::NoConcern
    };
    Judgement {
        suggestion,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_estimate_on_the_side_of_harm_is_judged_against_the_harm_line() {
        let lines = Lines {
            null: 0.0,
            benefit: Some(0.75f64.ln()),
            harm: Some(1.25f64.ln()),
        };
        assert_eq!(
            line_of(&lines, 0.5f64.ln()),
            (Line::Threshold, 0.75f64.ln())
        );
        assert_eq!(
            line_of(&lines, 1.1f64.ln()),
            (Line::Threshold, 1.25f64.ln())
        );
        assert_eq!(
            line_of(&lines, 1.6f64.ln()),
            (Line::Threshold, 1.25f64.ln())
        );
        let none = Lines {
            null: 0.0,
            benefit: None,
            harm: None,
        };
        assert_eq!(line_of(&none, 1.0), (Line::Null, 0.0));
    }
}
