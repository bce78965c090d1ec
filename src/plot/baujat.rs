//! Baujat plot: for each study, its contribution to the heterogeneity (x) against its
//! influence on the pooled result (y), from the fitted model, as metafor's `baujat()`
//! (coordinates computed in [`crate::pool::influence`]). Studies in the upper right both add
//! much heterogeneity and move the estimate.
//!
//! # Formula
//! ```text
//! x_i = (y_i − μ̂)² / (v_i + τ̂²)
//! y_i = (μ̂ − μ̂₍₋ᵢ₎)² / Var(μ̂₍₋ᵢ₎)
//! ```
//!
//! # References
//! - Baujat B, Mahé C, Pignon JP, Hill C (2002). A graphical method for exploring
//!   heterogeneity in meta-analyses: application to a meta-analysis of 65 trials. Stat Med
//!   21:2641–2652.

use super::axis::{nice_up, tick_label, ticks_within};
use super::font::text_width;
use super::primitives::{Anchor, Figure, Item};
use crate::format::Lang;

const X0: f64 = 70.0;
const W: f64 = 400.0;
const Y0: f64 = 30.0;
const H: f64 = 300.0;

/// Lays out the Baujat plot of the studies `labels` with coordinates `points`.
pub fn baujat_layout(labels: &[&str], points: &[(f64, f64)], lang: Lang) -> Figure {
    let top_of = |v: f64| if v > 0.0 { nice_up(v * 1.05) } else { 1.0 };
    let b = Baujat {
        xhi: top_of(points.iter().map(|p| p.0).fold(0.0, f64::max)),
        yhi: top_of(points.iter().map(|p| p.1).fold(0.0, f64::max)),
    };
    let mut items = Vec::new();
    b.axes(lang, &mut items);
    let right = b.points(labels, points, &mut items);
    axis_titles(lang, &mut items);
    Figure {
        width: (right + 20.0).ceil(),
        height: (Y0 + H + 46.0).ceil(),
        items,
    }
}

const INK: &str = "#000000";

/// The axes' upper ends (both start at 0).
struct Baujat {
    xhi: f64,
    yhi: f64,
}

impl Baujat {
    fn px(&self, x: f64) -> f64 {
        X0 + x / self.xhi * W
    }

    fn py(&self, y: f64) -> f64 {
        Y0 + H - y / self.yhi * H
    }

    /// The frame and the ticks of both axes.
    fn axes(&self, lang: Lang, items: &mut Vec<Item>) {
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
        items.push(line(X0, Y0 + H, X0 + W, Y0 + H));
        items.push(line(X0, Y0, X0, Y0 + H));
        for t in ticks_within(false, 0.0, self.xhi) {
            let x = self.px(t);
            items.push(line(x, Y0 + H, x, Y0 + H + 4.0));
            items.push(label(x, Y0 + H + 16.0, t, Anchor::Middle));
        }
        for t in ticks_within(false, 0.0, self.yhi) {
            let y = self.py(t);
            items.push(line(X0 - 4.0, y, X0, y));
            items.push(label(X0 - 7.0, y + 4.0, t, Anchor::End));
        }
    }

    /// The points from the top down, each with its label (at most 24 characters) at the
    /// first place (beside, above or below, then stacked above, joined by a thin line) that
    /// overlaps no point and no label already placed. Returns the right end of the labels.
    fn points(&self, labels: &[&str], points: &[(f64, f64)], items: &mut Vec<Item>) -> f64 {
        let mut right = X0 + W;
        let mut placed: Vec<Rect> = points
            .iter()
            .map(|&(x, y)| {
                let (x, y) = (self.px(x), self.py(y));
                (x - 2.0, y - 4.0, x + 2.0, y + 4.0)
            })
            .collect();
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by(|&a, &b| points[b].1.total_cmp(&points[a].1));
        for i in order {
            let (cx, cy) = (self.px(points[i].0), self.py(points[i].1));
            items.push(Item::Circle {
                cx,
                cy,
                r: 3.5,
                fill: "#1f3b73",
                stroke: "#ffffff",
            });
            let text: String = labels[i].chars().take(24).collect();
            let (chosen, r) = place_label(cx, cy, text_width(&text, 10.0, false), &placed);
            placed.push(r);
            if chosen.1 < cy - 20.0 {
                items.push(Item::Line {
                    x1: cx,
                    y1: cy - 3.0,
                    x2: chosen.0 - 2.0,
                    y2: chosen.1 - 4.0,
                    stroke: "#999999",
                    width: 0.6,
                    dash: None,
                });
            }
            right = right.max(r.2);
            items.push(Item::Text {
                x: chosen.0,
                y: chosen.1,
                text,
                size: 10.0,
                bold: false,
                anchor: chosen.2,
                fill: "#333333",
            });
        }
        right
    }
}

/// A box: left, top, right, bottom, px.
type Rect = (f64, f64, f64, f64);

/// Where the label (`tw` px wide) of the point at `(cx, cy)` goes: its anchor point and
/// alignment, and its box. The first candidate whose box overlaps nothing `placed` and stays
/// inside the plot's left and bottom; else beside the point.
fn place_label(cx: f64, cy: f64, tw: f64, placed: &[Rect]) -> ((f64, f64, Anchor), Rect) {
    let mut candidates = vec![
        (cx + 6.0, cy - 4.0, Anchor::Start),
        (cx + 6.0, cy + 12.0, Anchor::Start),
        (cx - 6.0, cy - 4.0, Anchor::End),
        (cx - 6.0, cy + 12.0, Anchor::End),
        (cx + 6.0, cy - 16.0, Anchor::Start),
        (cx + 6.0, cy + 24.0, Anchor::Start),
    ];
    // Then stacked further up and to the right, joined to the point by a thin line.
    candidates.extend((2..10).map(|n| (cx + 14.0, cy - 4.0 - 13.0 * n as f64, Anchor::Start)));
    let rect = |&(x, y, anchor): &(f64, f64, Anchor)| {
        let x1 = if anchor == Anchor::End { x - tw } else { x };
        (x1, y - 10.0, x1 + tw, y + 2.0)
    };
    let free = |r: &Rect| {
        placed
            .iter()
            .all(|p| r.2 + 4.0 <= p.0 || r.0 >= p.2 + 4.0 || r.3 <= p.1 || r.1 >= p.3)
    };
    let chosen = *candidates
        .iter()
        .find(|c| free(&rect(c)) && rect(c).0 >= X0 && rect(c).3 <= Y0 + H)
        .unwrap_or(&candidates[0]);
    (chosen, rect(&chosen))
}

/// The titles of the axes.
fn axis_titles(lang: Lang, items: &mut Vec<Item>) {
    let (xlabel, ylabel) = (
        crate::i18n::text(lang, "baujat.x_title"),
        crate::i18n::text(lang, "baujat.y_title"),
    );
    items.push(Item::Text {
        x: X0 + W / 2.0,
        y: Y0 + H + 34.0,
        text: xlabel.into(),
        size: 11.0,
        bold: true,
        anchor: Anchor::Middle,
        fill: INK,
    });
    items.push(Item::Text {
        x: 12.0,
        y: Y0 - 12.0,
        text: ylabel.into(),
        size: 11.0,
        bold: true,
        anchor: Anchor::Start,
        fill: INK,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_keep_their_order_on_both_axes() {
        let l = baujat_layout(&["a", "b"], &[(1.0, 4.0), (3.0, 2.0)], Lang::En);
        let c: Vec<(f64, f64)> = l
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Circle { cx, cy, .. } => Some((*cx, *cy)),
                _ => None,
            })
            .collect();
        assert_eq!(c.len(), 2);
        // b contributes more to Q (further right) and influences less (lower, larger y px).
        assert!(c[1].0 > c[0].0 && c[1].1 > c[0].1);
    }
}
