//! Axes shared by the figures: a nice range and ticks covering the values (linear, or
//! logarithmic for ratio measures), and tick labels in the figure's language.

use crate::format::Lang;

/// Nice axis range and ticks (display scale) covering the values (analysis scale).
pub(crate) fn axis(
    ratio: bool,
    core: &[f64],
    all: &[f64],
    xlim: Option<(f64, f64)>,
) -> ((f64, f64), Vec<f64>) {
    if let Some((a, b)) = xlim {
        return ((a, b), ticks_within(ratio, a, b));
    }
    let maxabs = |v: &[f64]| {
        v.iter()
            .filter(|x| x.is_finite())
            .fold(0.0f64, |m, x| m.max(x.abs()))
    };
    let base = maxabs(core).max(1e-9);
    let full = maxabs(all).max(base);
    let want = full.min(3.0 * base).max(base);
    if ratio {
        let table: [(f64, &[f64]); 9] = [
            (1.5, &[0.67, 0.8, 1.0, 1.25, 1.5]),
            (2.0, &[0.5, 0.7, 1.0, 1.5, 2.0]),
            (5.0, &[0.2, 0.5, 1.0, 2.0, 5.0]),
            (10.0, &[0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]),
            (20.0, &[0.05, 0.2, 1.0, 5.0, 20.0]),
            (50.0, &[0.02, 0.1, 1.0, 10.0, 50.0]),
            (100.0, &[0.01, 0.1, 1.0, 10.0, 100.0]),
            (200.0, &[0.005, 0.1, 1.0, 10.0, 200.0]),
            (1000.0, &[0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]),
        ];
        let (r, ticks) = table
            .iter()
            .find(|(r, _)| r.ln() >= want * (1.0 - 1e-9))
            .unwrap_or(&table[table.len() - 1]);
        ((1.0 / r, *r), ticks.to_vec())
    } else {
        let m = nice_up(want);
        ((-m, m), vec![-m, -m / 2.0, 0.0, m / 2.0, m])
    }
}

/// The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least `x`.
pub(crate) fn nice_up(x: f64) -> f64 {
    let e = 10f64.powf(x.log10().floor());
    for f in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if f * e >= x * (1.0 - 1e-9) {
            return f * e;
        }
    }
    10.0 * e
}

/// Ticks inside `[a, b]` (display scale): 1-2-5 steps per decade for ratios (decades only
/// when that gives more than 7, and every 2nd, 5th, 10th... decade when even those are more
/// than 7), else a nice linear step.
pub(crate) fn ticks_within(ratio: bool, a: f64, b: f64) -> Vec<f64> {
    if ratio {
        let mut t = Vec::new();
        let (first, last) = (a.log10().floor() as i32 - 1, b.log10().ceil() as i32 + 1);
        for n in first..=last {
            // "1e-300" parsed is the double nearest the decade; multiplying by 10 drifts.
            let e: f64 = format!("1e{n}").parse().unwrap_or(f64::NAN);
            for f in [1.0, 2.0, 5.0] {
                let v = f * e;
                if v >= a * (1.0 - 1e-9) && v <= b * (1.0 + 1e-9) {
                    t.push(v);
                }
            }
        }
        if t.len() > 7 {
            t.retain(|v| (v.log10() - v.log10().round()).abs() < 1e-9);
        }
        if t.len() > 7 {
            // Decades 0, ±step, ±2·step... so that 1 stays among them.
            let step = [2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0]
                .into_iter()
                .find(|s| t.len() as f64 / s <= 7.0)
                .unwrap_or(500.0);
            t.retain(|v| (v.log10().round() % step).abs() < 0.5);
        }
        t
    } else {
        let step = nice_up((b - a) / 5.0);
        let mut t = Vec::new();
        let mut v = (a / step).ceil() * step;
        while v <= b + 1e-9 * step {
            t.push(if v.abs() < 1e-12 * step { 0.0 } else { v });
            v += step;
        }
        t
    }
}

/// A tick value with at most 4 decimals, trailing zeros dropped, in the language's convention;
/// in scientific notation (`1e-12`) from a million on and below 0.0001, where 4 decimals
/// would show 0 or a row of digits.
pub(crate) fn tick_label(lang: Lang, v: f64) -> String {
    let mut s = if v != 0.0 && !(1e-4..1e6).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v:.4}")
    };
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    if s == "-0" {
        s = "0".into();
    }
    match lang {
        Lang::En => s,
        _ => s.replace('.', ","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_axis_over_600_decades_has_few_ticks_and_readable_labels() {
        let t = ticks_within(true, 1e-300, 1e300);
        assert!((3..=7).contains(&t.len()), "{t:?}");
        assert!(t.contains(&1.0), "{t:?}");
        let labels: Vec<String> = t.iter().map(|&v| tick_label(Lang::En, v)).collect();
        assert!(labels.iter().all(|l| l.len() <= 6), "{labels:?}");
        assert!(labels.contains(&"1e-200".to_string()), "{labels:?}");
        // Ordinary axes keep their ticks and labels.
        assert_eq!(
            ticks_within(true, 0.1, 10.0),
            [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
        );
        assert_eq!(tick_label(Lang::Nl, 0.25), "0,25");
        assert_eq!(tick_label(Lang::En, 1e-5), "1e-5");
        assert_eq!(tick_label(Lang::En, 0.0), "0");
    }
}
