//! The words of a summary of findings, from the catalogue's `sof` section: suggestions,
//! reasons, risk labels, per-1,000 numbers and NNTs, in the reader's language. Numbers are
//! rounded here and only here: per 1,000 to whole numbers, NNTs up to the next whole number.

use super::certainty::{Line, Reason, Suggestion};
use super::nnt::{rounded_up, Nnt, NntKind};
use super::{Outcome, RiskLabel};
use crate::format::{fmt_num, p_equals, Lang};
use crate::i18n::{count, count_with, fill, text};

/// A whole number with the language's thousands separator: 1,415 · 1.415 · 1 415. Halves are
/// rounded away from zero (12.5 → 13, −12.5 → −13), as GRADEpro and the Cochrane
/// summary-of-findings tables do, not to the even neighbour.
///
/// ```
/// use repool::format::Lang;
/// assert_eq!(repool::sof::text::whole(Lang::En, 13136.0), "13,136");
/// assert_eq!(repool::sof::text::whole(Lang::Nl, 1415.0), "1.415");
/// assert_eq!(repool::sof::text::whole(Lang::Fr, 772.0), "772");
/// assert_eq!(repool::sof::text::whole(Lang::En, 12.5), "13");
/// assert_eq!(repool::sof::text::whole(Lang::En, -0.5), "-1");
/// ```
pub fn whole(lang: Lang, x: f64) -> String {
    // f64::round rounds halves away from zero; `{:.0}` would round them to even.
    let digits = format!("{:.0}", x.abs().round());
    let sep = match lang {
        Lang::En => ",",
        Lang::Nl => ".",
        Lang::Fr => "\u{202f}",
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out += sep;
        }
        out.push(c);
    }
    let negative = x < 0.0 && digits != "0";
    if negative {
        format!("-{out}")
    } else {
        out
    }
}

/// The words of a suggestion.
pub fn suggestion(lang: Lang, s: Suggestion) -> &'static str {
    match s {
        Suggestion::NoConcern => text(lang, "sof.suggestion.no_concern"),
        Suggestion::RateDownOne => text(lang, "sof.suggestion.rate_down_one"),
        Suggestion::RateDownTwo => text(lang, "sof.suggestion.rate_down_two"),
        Suggestion::NotAssessable => text(lang, "sof.suggestion.not_assessable"),
    }
}

fn band(lang: Lang, band: usize) -> &'static str {
    match band {
        0 => text(lang, "sof.i2_band.not_important"),
        1 => text(lang, "sof.i2_band.moderate"),
        2 => text(lang, "sof.i2_band.substantial"),
        _ => text(lang, "sof.i2_band.considerable"),
    }
}

/// An effect on the display scale, two decimals.
fn effect(lang: Lang, x: f64) -> String {
    fmt_num(lang, x, 2)
}

/// One reason in words.
pub fn reason(lang: Lang, r: &Reason) -> String {
    match r {
        Reason::CrossesBenefitAndHarm { benefit, harm } => fill(
            lang,
            "sof.reason.crosses_both",
            &[
                ("benefit", &effect(lang, *benefit)),
                ("harm", &effect(lang, *harm)),
            ],
        ),
        Reason::CrossesThreshold { threshold } => fill(
            lang,
            "sof.reason.crosses_threshold",
            &[("threshold", &effect(lang, *threshold))],
        ),
        Reason::IncludesNull => text(lang, "sof.reason.includes_null").to_string(),
        Reason::ClearOfThresholds => text(lang, "sof.reason.clear").to_string(),
        Reason::BelowOis { participants, ois } => fill(
            lang,
            "sof.reason.below_ois",
            &[
                ("participants", &whole(lang, *participants)),
                ("ois", &whole(lang, *ois)),
            ],
        ),
        Reason::ReachesOis { participants, ois } => fill(
            lang,
            "sof.reason.reaches_ois",
            &[
                ("participants", &whole(lang, *participants)),
                ("ois", &whole(lang, *ois)),
            ],
        ),
        Reason::OisUnknown => text(lang, "sof.reason.ois_unknown").to_string(),
        Reason::EffectNotLarge => text(lang, "sof.reason.not_large").to_string(),
        Reason::SingleStudy => text(lang, "sof.reason.single_study").to_string(),
        Reason::I2 { i2, band: b } => fill(
            lang,
            "sof.reason.i2",
            &[("i2", &fmt_num(lang, *i2, 0)), ("band", band(lang, *b))],
        ),
        _ => spread_or_bias(lang, r),
    }
}

fn spread_or_bias(lang: Lang, r: &Reason) -> String {
    match r {
        Reason::PredictionCrosses { line, low, high } => {
            let args = [("low", effect(lang, *low)), ("high", effect(lang, *high))];
            let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
            match line {
                Line::Null => fill(lang, "sof.reason.prediction_null", &args),
                Line::Threshold => fill(lang, "sof.reason.prediction_threshold", &args),
                Line::BenefitAndHarm => fill(lang, "sof.reason.prediction_both", &args),
            }
        }
        Reason::StudiesOnBothSides {
            line,
            with_pool,
            against,
        } => {
            let of = count(lang, "count.studies", (*with_pool + *against) as u64);
            let args = [("against", against.to_string()), ("studies", of)];
            let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
            match line {
                Line::Null => fill(lang, "sof.reason.sides_null", &args),
                _ => fill(lang, "sof.reason.sides_threshold", &args),
            }
        }
        Reason::SubgroupTest { p } => {
            fill(lang, "sof.reason.subgroup", &[("p", &p_equals(lang, *p))])
        }
        Reason::TooFewForFunnelTests { k } => {
            let studies = count(lang, "count.studies", *k as u64);
            fill(lang, "sof.reason.too_few", &[("studies", &studies)])
        }
        Reason::Egger { p } => fill(lang, "sof.reason.egger", &[("p", &p_equals(lang, *p))]),
        Reason::Peters { p } => fill(lang, "sof.reason.peters", &[("p", &p_equals(lang, *p))]),
        Reason::Tau {
            tau,
            distance,
            line,
        } => tau_reason(lang, *tau, *distance, *line),
        Reason::TrimFill {
            filled,
            before,
            after,
            changes_conclusion,
        } => trim_fill(lang, *filled, *before, *after, *changes_conclusion),
        _ => String::new(),
    }
}

/// τ against the distance from the pooled estimate to the line that matters: whether the
/// range of true effects, ±1.96 τ, reaches past it.
fn tau_reason(lang: Lang, tau: f64, distance: f64, line: Line) -> String {
    let spread = crate::dist::z_crit(0.95) * tau;
    let line = match line {
        Line::Null => text(lang, "sof.reason.line_null"),
        _ => text(lang, "sof.reason.line_threshold"),
    };
    let args = [
        ("tau", fmt_num(lang, tau, 3)),
        ("spread", fmt_num(lang, spread, 3)),
        ("distance", fmt_num(lang, distance, 3)),
        ("line", line.to_string()),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    if spread > distance {
        fill(lang, "sof.reason.tau_reaches", &args)
    } else {
        fill(lang, "sof.reason.tau_short", &args)
    }
}

fn trim_fill(lang: Lang, filled: usize, before: f64, after: f64, changes: bool) -> String {
    let studies = count(lang, "count.studies", filled as u64);
    let (b, a) = (effect(lang, before), effect(lang, after));
    let moved = fill(
        lang,
        "sof.reason.trimfill",
        &[("studies", &studies), ("before", &b), ("after", &a)],
    );
    if changes {
        format!("{moved}{}", text(lang, "sof.reason.trimfill_changes"))
    } else {
        moved
    }
}

/// The label of a row of absolute effects, with the time point its risks apply at:
/// "study population", "high, at 10 years".
pub fn row_label(lang: Lang, r: &super::RiskRow) -> String {
    let l = label(lang, &r.label);
    match &r.time_point {
        Some(t) => fill(lang, "sof.at_time", &[("label", &l), ("time", t)]),
        None => l,
    }
}

/// The label of a control risk.
pub fn label(lang: Lang, l: &RiskLabel) -> String {
    match l {
        RiskLabel::StudyPopulation => text(lang, "sof.label.study_population").to_string(),
        RiskLabel::Median => text(lang, "sof.label.median").to_string(),
        RiskLabel::Given(Some(name)) => name.clone(),
        RiskLabel::Given(None) => text(lang, "sof.label.given").to_string(),
    }
}

/// A risk per 1,000, rounded to a whole number: "15 per 1,000".
pub fn per_1000(lang: Lang, risk: f64) -> String {
    fill(lang, "sof.per_1000", &[("n", &whole(lang, 1000.0 * risk))])
}

/// A difference per 1,000 in words: "15 fewer per 1,000", "3 more per 1,000".
pub fn difference(lang: Lang, d: f64) -> String {
    let n = whole(lang, (1000.0 * d).abs());
    if n == "0" {
        return text(lang, "sof.no_difference").to_string();
    }
    if d < 0.0 {
        fill(lang, "sof.fewer", &[("n", &n)])
    } else {
        fill(lang, "sof.more", &[("n", &n)])
    }
}

/// A limit of a difference per 1,000, short: "6 fewer", "3 more", "0".
pub fn difference_limit(lang: Lang, d: f64) -> String {
    let n = whole(lang, (1000.0 * d).abs());
    if n == "0" {
        return n;
    }
    if d < 0.0 {
        fill(lang, "sof.fewer_short", &[("n", &n)])
    } else {
        fill(lang, "sof.more_short", &[("n", &n)])
    }
}

fn nnt_one(lang: Lang, value: f64, kind: NntKind) -> String {
    let n = rounded_up(value).map_or("∞".to_string(), |n| whole(lang, n));
    match kind {
        NntKind::Benefit => fill(lang, "sof.nntb", &[("n", &n)]),
        NntKind::Harm => fill(lang, "sof.nnth", &[("n", &n)]),
    }
}

/// An NNT and its CI in words, rounded up: "NNTB 7 (5 to 12)", or through infinity "NNTB 10
/// (NNTB 4 to ∞ to NNTH 20)".
pub fn nnt(lang: Lang, n: &Nnt) -> String {
    let main = nnt_one(lang, n.value, n.kind);
    let limits = if n.crosses_infinity() {
        let (b, h) = if n.low.kind == NntKind::Benefit {
            (n.low, n.high)
        } else {
            (n.high, n.low)
        };
        fill(
            lang,
            "sof.nnt_through_infinity",
            &[
                ("benefit", &nnt_one(lang, b.value, b.kind)),
                ("harm", &nnt_one(lang, h.value, h.kind)),
            ],
        )
    } else {
        let round = |v: f64| rounded_up(v).map_or("∞".to_string(), |n| whole(lang, n));
        let (a, b) = (n.low.value.min(n.high.value), n.low.value.max(n.high.value));
        fill(
            lang,
            "sof.interval",
            &[("low", &round(a)), ("high", &round(b))],
        )
    };
    format!("{main} ({limits})")
}

/// The pooled effect with its CI: "RR 0.49 (0.34 to 0.70)". A risk difference is shown per
/// 1,000 in whole numbers, as the absolute effects of the table are: "RD -25 per 1,000 (-50
/// to 0)" rather than "RD -0.03 (-0.05 to 0.00)", whose two decimals hide the
/// difference between 25 and 34 fewer per 1,000.
pub fn relative(lang: Lang, o: &Outcome) -> String {
    let (e, lo, hi) = o.effect;
    if o.measure == crate::Measure::RiskDifference {
        let limits = fill(
            lang,
            "sof.interval",
            &[
                ("low", &whole(lang, 1000.0 * lo)),
                ("high", &whole(lang, 1000.0 * hi)),
            ],
        );
        return format!("{} {} ({limits})", o.measure.code(), per_1000(lang, e));
    }
    let digits = 2;
    let limits = fill(
        lang,
        "sof.interval",
        &[
            ("low", &fmt_num(lang, lo, digits)),
            ("high", &fmt_num(lang, hi, digits)),
        ],
    );
    format!(
        "{} {} ({limits})",
        o.measure.code(),
        fmt_num(lang, e, digits)
    )
}

/// The number of studies and participants: "13 studies (357,347 participants)".
pub fn size(lang: Lang, o: &Outcome) -> String {
    let studies = count(lang, "count.studies", o.k as u64);
    match o.participants {
        Some(n) => {
            let people = count_with(
                lang,
                "sof.participants",
                n as u64,
                &[("people", &whole(lang, n))],
            );
            format!("{studies} ({people})")
        }
        None => studies,
    }
}
