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
/// when that gives more than 7), else a nice linear step.
pub(crate) fn ticks_within(ratio: bool, a: f64, b: f64) -> Vec<f64> {
    if ratio {
        let mut t = Vec::new();
        let mut e = 10f64.powf(a.log10().floor() - 1.0);
        while e <= b * 10.0 {
            for f in [1.0, 2.0, 5.0] {
                let v = f * e;
                if v >= a * (1.0 - 1e-9) && v <= b * (1.0 + 1e-9) {
                    t.push(v);
                }
            }
            e *= 10.0;
        }
        if t.len() > 7 {
            t.retain(|v| {
                (v.log10().fract()).abs() < 1e-9
                    || (v.log10().fract() - 1.0).abs() < 1e-9
                    || (v.log10().fract() + 1.0).abs() < 1e-9
            });
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

/// A tick value with at most 4 decimals, trailing zeros dropped, in the language's convention.
pub(crate) fn tick_label(lang: Lang, v: f64) -> String {
    let mut s = format!("{v:.4}");
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
