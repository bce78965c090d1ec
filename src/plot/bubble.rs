//! Bubble plot of a meta-regression on one continuous moderator: each study's effect against
//! the moderator, with the area of its circle proportional to its weight `1/(vᵢ + τ²)`, the
//! fitted line `β̂₀ + β̂₁x` and its confidence band `± c √(x'Var(β̂)x)` (`c` the z or t
//! quantile of the test used), both from the fit ([`MetaRegression::line_at`],
//! [`MetaRegression::weights`]). Ratio measures are drawn on the log scale with
//! back-transformed tick labels.
//!
//! # References
//! - Thompson SG, Higgins JPT (2002). How should meta-regression analyses be undertaken and
//!   interpreted? Stat Med 21:1559–1573.
//! - Cochrane Handbook, version 6.4 (2023), section 10.11.4; metafor `regplot()`.

use super::axis::{nice_up, tick_label, ticks_within};
use super::font::text_width;
use super::labels::measure_name;
use super::primitives::{Anchor, Figure, Item};
use crate::format::Lang;
use crate::pool::regression::MetaRegression;
use crate::Measure;

/// What a bubble plot shows.
#[derive(Debug, Clone)]
pub struct BubbleInput<'a> {
    /// Moderator value of each study.
    pub x: &'a [f64],
    /// Effect of each study (analysis scale).
    pub y: &'a [f64],
    /// Weight of each study, `1/(vᵢ + τ²)` ([`MetaRegression::weights`]).
    pub weights: &'a [f64],
    /// The fitted meta-regression on the moderator: its line and confidence band
    /// ([`MetaRegression::line_at`]).
    pub regression: &'a MetaRegression,
    /// Effect measure.
    pub measure: Measure,
    /// Name of the moderator (x-axis label).
    pub moderator: &'a str,
    /// Title above the plot.
    pub title: Option<&'a str>,
}

const X0: f64 = 70.0;
const W: f64 = 400.0;
const Y0: f64 = 30.0;
const H: f64 = 300.0;

fn linear_range(lo: f64, hi: f64) -> (f64, f64) {
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let step = nice_up(span / 5.0);
    ((lo / step).floor() * step, (hi / step).ceil() * step)
}

/// Lays out the bubble plot.
pub fn bubble_layout(input: &BubbleInput, lang: Lang) -> Figure {
    let b = Bubble::new(input);
    let mut items = Vec::new();
    b.band_and_line(&mut items);
    b.studies(&mut items);
    b.axes(lang, &mut items);
    let ylabel = b.titles(lang, &mut items);
    let legend = crate::i18n::text(lang, "bubble.legend");
    let height = Y0 + b.top + H + 52.0;
    items.push(Item::Text {
        x: 12.0,
        y: height,
        text: legend.into(),
        size: 10.0,
        bold: false,
        anchor: Anchor::Start,
        fill: INK,
    });
    let width = (X0 + W + 20.0)
        .max(text_width(legend, 10.0, false) + 24.0)
        .max(text_width(&ylabel, 11.0, true) + 24.0);
    Figure::titled(items, width, height + 8.0, input.title)
}

const INK: &str = "#000000";

/// The input and the axes' ranges.
struct Bubble<'a> {
    input: &'a BubbleInput<'a>,
    /// The moderator's range.
    xlo: f64,
    xhi: f64,
    /// The effect's range (analysis scale).
    ylo: f64,
    yhi: f64,
    /// Room for the title above the plot, px.
    top: f64,
}

impl<'a> Bubble<'a> {
    /// Ranges covering the studies, and the band at both ends of the moderator's range.
    fn new(input: &'a BubbleInput<'a>) -> Bubble<'a> {
        let min = |v: &mut dyn Iterator<Item = f64>| v.fold(f64::INFINITY, f64::min);
        let max = |v: &mut dyn Iterator<Item = f64>| v.fold(f64::NEG_INFINITY, f64::max);
        let (xlo, xhi) = linear_range(
            min(&mut input.x.iter().copied()),
            max(&mut input.x.iter().copied()),
        );
        let mut b = Bubble {
            input,
            xlo,
            xhi,
            ylo: 0.0,
            yhi: 0.0,
            top: if input.title.is_some() { 24.0 } else { 0.0 },
        };
        let ends = [xlo, xhi];
        let ys = || input.y.iter().copied();
        let ylo = min(&mut ys().chain(ends.iter().map(|&x| b.fitted(x) - b.band(x))));
        let yhi = max(&mut ys().chain(ends.iter().map(|&x| b.fitted(x) + b.band(x))));
        let pad = 0.05 * (yhi - ylo).max(1e-6);
        (b.ylo, b.yhi) = if input.measure.is_ratio() {
            (ylo - pad, yhi + pad)
        } else {
            linear_range(ylo - pad, yhi + pad)
        };
        b
    }

    /// The fitted line `β̂₀ + β̂₁x`.
    fn fitted(&self, x: f64) -> f64 {
        self.input.regression.line_at(x).fit
    }

    /// Half the width of the band at `x`, `c √(x'Var(β̂)x)`.
    fn band(&self, x: f64) -> f64 {
        self.input.regression.line_at(x).half_width
    }

    /// x of a moderator value, px.
    fn px(&self, x: f64) -> f64 {
        X0 + (x - self.xlo) / (self.xhi - self.xlo) * W
    }

    /// y of an effect (analysis scale), px.
    fn py(&self, y: f64) -> f64 {
        Y0 + self.top + (self.yhi - y) / (self.yhi - self.ylo) * H
    }

    /// The confidence band and the fitted line, sampled along the moderator, and the null
    /// line.
    fn band_and_line(&self, items: &mut Vec<Item>) {
        let (xlo, xhi) = (self.xlo, self.xhi);
        let n = 60;
        let xs: Vec<f64> = (0..=n)
            .map(|i| xlo + (xhi - xlo) * i as f64 / n as f64)
            .collect();
        let mut poly: Vec<(f64, f64)> = xs
            .iter()
            .map(|&x| (self.px(x), self.py(self.fitted(x) + self.band(x))))
            .collect();
        poly.extend(
            xs.iter()
                .rev()
                .map(|&x| (self.px(x), self.py(self.fitted(x) - self.band(x)))),
        );
        items.push(Item::Polygon {
            points: poly,
            fill: "#dde3ee",
            stroke: "#dde3ee",
        });
        if self.ylo < 0.0 && self.yhi > 0.0 {
            items.push(Item::Line {
                x1: X0,
                y1: self.py(0.0),
                x2: X0 + W,
                y2: self.py(0.0),
                stroke: "#888888",
                width: 0.8,
                dash: Some("4,3"),
            });
        }
        items.push(Item::Line {
            x1: self.px(xlo),
            y1: self.py(self.fitted(xlo)),
            x2: self.px(xhi),
            y2: self.py(self.fitted(xhi)),
            stroke: "#1f3b73",
            width: 1.5,
            dash: None,
        });
    }

    /// The studies, largest first so small ones stay visible; area proportional to the
    /// weight.
    fn studies(&self, items: &mut Vec<Item>) {
        let input = self.input;
        let wmax = input.weights.iter().copied().fold(0.0, f64::max);
        let mut order: Vec<usize> = (0..input.x.len()).collect();
        order.sort_by(|&a, &b| input.weights[b].total_cmp(&input.weights[a]));
        for i in order {
            let r = 2.0 + 10.0 * (input.weights[i] / wmax).sqrt();
            items.push(Item::Circle {
                cx: self.px(input.x[i]),
                cy: self.py(input.y[i]),
                r,
                fill: "#9fb3d6",
                stroke: "#1f3b73",
            });
        }
    }

    /// The frame and the ticks of both axes (the effect's back-transformed for ratios).
    fn axes(&self, lang: Lang, items: &mut Vec<Item>) {
        let (top, m) = (self.top, self.input.measure);
        let line = |x1, y1, x2, y2| Item::Line {
            x1,
            y1,
            x2,
            y2,
            stroke: INK,
            width: 0.8,
            dash: None,
        };
        let label = |x, y, v: f64, anchor| Item::Text {
            x,
            y,
            text: tick_label(lang, v),
            size: 11.0,
            bold: false,
            anchor,
            fill: INK,
        };
        items.push(line(X0, Y0 + top + H, X0 + W, Y0 + top + H));
        items.push(line(X0, Y0 + top, X0, Y0 + top + H));
        for t in ticks_within(false, self.xlo, self.xhi) {
            let x = self.px(t);
            items.push(line(x, Y0 + top + H, x, Y0 + top + H + 4.0));
            items.push(label(x, Y0 + top + H + 16.0, t, Anchor::Middle));
        }
        // Ticks on the analysis scale, labelled on the display scale.
        let (lo, hi) = (m.display(self.ylo), m.display(self.yhi));
        let yticks = ticks_within(m.is_ratio(), lo, hi)
            .into_iter()
            .map(|t| m.from_display(t));
        for t in yticks {
            let y = self.py(t);
            items.push(line(X0 - 4.0, y, X0, y));
            items.push(label(X0 - 7.0, y + 4.0, m.display(t), Anchor::End));
        }
    }

    /// The moderator's name under the plot and the measure's above it; returns the latter.
    fn titles(&self, lang: Lang, items: &mut Vec<Item>) -> String {
        let top = self.top;
        items.push(Item::Text {
            x: X0 + W / 2.0,
            y: Y0 + top + H + 34.0,
            text: super::font::clip(self.input.moderator, W, 11.0, true),
            size: 11.0,
            bold: true,
            anchor: Anchor::Middle,
            fill: INK,
        });
        let log = crate::i18n::text(lang, "bubble.log_scale");
        let ratio = self.input.measure.is_ratio();
        let ylabel =
            measure_name(lang, self.input.measure).to_string() + if ratio { log } else { "" };
        items.push(Item::Text {
            x: 12.0,
            y: Y0 + top - 12.0,
            text: ylabel.clone(),
            size: 11.0,
            bold: true,
            anchor: Anchor::Start,
            fill: INK,
        });
        ylabel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_lies_inside_its_band_and_bubbles_follow_the_weights() {
        let (x, y, w) = ([10.0, 20.0, 30.0], [0.1, -0.2, -0.5], [1.0, 4.0, 9.0]);
        let design = nalgebra::DMatrix::from_row_slice(3, 2, &[1.0, 10.0, 1.0, 20.0, 1.0, 30.0]);
        let names = ["intrcpt".to_string(), "dose".to_string()];
        let v = w.map(|w| 1.0 / w);
        let regression =
            crate::pool::regression::meta_regression(&design, &names, &y, &v, None, false, 0.95)
                .unwrap();
        assert_eq!(regression.weights(&v), w);
        let input = BubbleInput {
            x: &x,
            y: &y,
            weights: &w,
            regression: &regression,
            measure: Measure::MeanDifference,
            moderator: "dose",
            title: None,
        };
        let l = bubble_layout(&input, Lang::En);
        let Item::Polygon { points, .. } = &l.items[0] else {
            panic!("band first")
        };
        let n = points.len() / 2;
        for i in 0..n {
            // Upper edge above (smaller y in px) the lower edge at the same x.
            let (up, low) = (points[i], points[points.len() - 1 - i]);
            assert!((up.0 - low.0).abs() < 1e-9 && up.1 < low.1);
        }
        let radii: Vec<f64> = l
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Circle { r, .. } => Some(*r),
                _ => None,
            })
            .collect();
        // Drawn largest first; area (r - 2)² proportional to the weight.
        let want = [12.0, 2.0 + 10.0 * (4.0f64 / 9.0).sqrt(), 2.0 + 10.0 / 3.0];
        assert_eq!(radii.len(), 3);
        assert!(radii.iter().zip(want).all(|(r, w)| (r - w).abs() < 1e-12));
    }
}
