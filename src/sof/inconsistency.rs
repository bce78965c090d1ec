//! The inconsistency suggestion (rules and references in [`super::certainty`]).

use super::certainty::{i2_band, Judgement, Line, Reason, Suggestion};
use super::Lines;
use crate::PooledEstimate;

/// The line that matters for inconsistency: the benefit threshold when there is one (the
/// side of the pooled estimate decides whether an effect is important), else the null.
fn line_of(lines: &Lines) -> (Line, f64) {
    match lines.benefit {
        Some(t) => (Line::Threshold, t),
        None => (Line::Null, lines.null),
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
    let (line, at) = line_of(lines);
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
