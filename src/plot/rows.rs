//! Forest-style plots of one pooled estimate per row: leave-one-out (the pool without each
//! study) and cumulative meta-analysis (the pool up to each study), as metafor's
//! `forest(leave1out(...))` and `forest(cumul(...))`. Each row shows the estimate and its CI;
//! a dashed line marks the estimate of all studies, drawn as a diamond in the last row.
//!
//! # References
//! - Lau J, Antman EM, Jimenez-Silva J, Kupelnick B, Mosteller F, Chalmers TC (1992).
//!   Cumulative meta-analysis of therapeutic trials for myocardial infarction. N Engl J Med
//!   327:248–254.
//! - Cochrane Handbook, version 6.4 (2023), section 10.14 (sensitivity analyses).

use super::axis::{axis, tick_label};
use super::font::{clip, text_width};
use super::labels::measure_name;
use super::primitives::{Anchor, Figure, Item};
use crate::format::fmt_num;
use crate::format::Lang;
use crate::Measure;

/// One row: a label and the estimate with its CI (analysis scale), or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateRow {
    /// Row label.
    pub label: String,
    /// Estimate, lower and upper limit, or the reason it could not be computed.
    pub value: Result<(f64, f64, f64), String>,
}

/// What the plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct RowsInput {
    /// Header of the label column ("Omitted study", "Added study").
    pub heading: String,
    /// The rows.
    pub rows: Vec<EstimateRow>,
    /// The pool of all studies (analysis scale): estimate, lower, upper; drawn as a diamond
    /// in the last row with a dashed line at its estimate. `None`: no such row.
    pub all: Option<(f64, f64, f64)>,
    /// Label of the last row.
    pub all_label: String,
    /// The measure.
    pub measure: Measure,
    /// Confidence level in percent, for the header.
    pub level_percent: f64,
    /// Title above the plot.
    pub title: Option<String>,
}

const ROW: f64 = 18.0;
const PLOT_W: f64 = 300.0;
const SIZE: f64 = 11.0;

/// Widest label or error text of a row, px (longer ones end in "…").
const MAX_LABEL_W: f64 = 300.0;

/// Lays out the plot (labels and error texts clipped to `MAX_LABEL_W`, 300 px; the title is
/// clipped like every figure's title).
pub fn rows_layout(input: &RowsInput, lang: Lang) -> Figure {
    let c = |t: &str, bold: bool| clip(t, MAX_LABEL_W, SIZE, bold);
    let clipped = RowsInput {
        heading: c(&input.heading, true),
        rows: input
            .rows
            .iter()
            .map(|r| EstimateRow {
                label: c(&r.label, false),
                value: r.value.clone().map_err(|e| c(&e, false)),
            })
            .collect(),
        all_label: c(&input.all_label, true),
        ..input.clone()
    };
    layout_clipped(&clipped, lang)
}

fn layout_clipped(input: &RowsInput, lang: Lang) -> Figure {
    let p = Plot::new(input, lang);
    let mut items = Vec::new();
    let first = p.header(&mut items);
    let mut y = first;
    for r in &input.rows {
        y += ROW;
        p.row(r, y, &mut items);
    }
    if let Some(all) = input.all {
        y += ROW + 4.0;
        p.all_row(all, y, &mut items);
    }
    let bottom = y + 8.0;
    p.axis(first, bottom, &mut items);
    let width = p.x0 + PLOT_W + 24.0;
    Figure::titled(items, width, bottom + 42.0, input.title.as_deref())
}

/// Where the columns go, and the axis.
struct Plot<'a> {
    input: &'a RowsInput,
    lang: Lang,
    /// x of the labels, px.
    x_label: f64,
    /// x of the estimates as text, px.
    x_value: f64,
    /// Left end of the plot, px.
    x0: f64,
    /// The axis range on the analysis scale.
    alo: f64,
    ahi: f64,
    /// The ticks on the display scale.
    ticks: Vec<f64>,
}

impl<'a> Plot<'a> {
    /// The columns as wide as their widest text, and an axis covering every estimate and CI.
    fn new(input: &'a RowsInput, lang: Lang) -> Plot<'a> {
        let ok: Vec<(f64, f64, f64)> = input
            .rows
            .iter()
            .filter_map(|r| r.value.as_ref().ok().copied())
            .chain(input.all)
            .collect();
        let core: Vec<f64> = ok.iter().flat_map(|&(e, l, h)| [e, l, h]).collect();
        let ((xlo, xhi), ticks) = axis(input.measure.is_ratio(), &core, &core, None);
        let label_w = input
            .rows
            .iter()
            .map(|r| text_width(&r.label, SIZE, false))
            .chain([
                text_width(&input.heading, SIZE, true),
                text_width(&input.all_label, SIZE, true),
            ])
            .fold(0.0, f64::max);
        let mut p = Plot {
            input,
            lang,
            x_label: 12.0,
            x_value: 12.0 + label_w + 16.0,
            x0: 0.0,
            alo: input.measure.from_display(xlo),
            ahi: input.measure.from_display(xhi),
            ticks,
        };
        let value_w = input
            .rows
            .iter()
            .map(|r| match &r.value {
                Ok(v) => text_width(&p.value_text(*v), SIZE, false),
                Err(e) => text_width(e, SIZE, false),
            })
            .chain(input.all.map(|a| text_width(&p.value_text(a), SIZE, true)))
            .fold(text_width(&p.ci_label(), SIZE, true), f64::max);
        p.x0 = p.x_value + value_w + 16.0;
        p
    }

    /// "95% CI" in the plot's language (the catalogue's `forest.ci_level`).
    fn ci_label(&self) -> String {
        super::labels::ci_label(self.lang, self.input.level_percent)
    }

    /// The value column's header: "RR [95% CI]".
    fn header_text(&self) -> String {
        format!("{} [{}]", self.input.measure.code(), self.ci_label())
    }

    /// "0.49 [0.34; 0.70]": an estimate and its CI (analysis scale) on the display scale.
    fn value_text(&self, r: (f64, f64, f64)) -> String {
        let d = |x: f64| fmt_num(self.lang, self.input.measure.display(x), 2);
        format!(
            "{} {}",
            d(r.0),
            crate::format::interval(self.lang, &d(r.1), &d(r.2))
        )
    }

    /// x of a value of the analysis scale, px (unclamped).
    fn px(&self, v: f64) -> f64 {
        self.x0 + (v - self.alo) / (self.ahi - self.alo) * PLOT_W
    }

    /// x of a value of the analysis scale, px, clamped to the plot.
    fn clamped(&self, v: f64) -> f64 {
        self.px(v).clamp(self.x0, self.x0 + PLOT_W)
    }

    /// The column headers; returns the top of the rows.
    fn header(&self, items: &mut Vec<Item>) -> f64 {
        let top = if self.input.title.is_some() {
            28.0
        } else {
            0.0
        };
        let y = top + 20.0;
        let header = self.header_text();
        items.push(text(
            self.x_label,
            y,
            &self.input.heading,
            true,
            Anchor::Start,
            INK,
        ));
        items.push(text(self.x_value, y, &header, true, Anchor::Start, INK));
        y + 8.0
    }

    /// One row with its baseline at `y`: label, and the estimate as text and as a square
    /// with its CI, or why there is none.
    fn row(&self, r: &EstimateRow, y: f64, items: &mut Vec<Item>) {
        items.push(text(self.x_label, y, &r.label, false, Anchor::Start, INK));
        let v = match &r.value {
            Ok(v) => *v,
            Err(e) => {
                items.push(text(self.x_value, y, e, false, Anchor::Start, "#666666"));
                return;
            }
        };
        items.push(text(
            self.x_value,
            y,
            &self.value_text(v),
            false,
            Anchor::Start,
            INK,
        ));
        let cy = y - 4.0;
        items.push(Item::Line {
            x1: self.clamped(v.1),
            y1: cy,
            x2: self.clamped(v.2),
            y2: cy,
            stroke: INK,
            width: 1.0,
            dash: None,
        });
        let cx = self.px(v.0);
        if (self.x0..=self.x0 + PLOT_W).contains(&cx) {
            items.push(Item::Rect {
                x: cx - 4.0,
                y: cy - 4.0,
                w: 8.0,
                h: 8.0,
                fill: "#1f3b73",
            });
        }
    }

    /// The row of all studies with its baseline at `y`, its estimate as a diamond.
    fn all_row(&self, all: (f64, f64, f64), y: f64, items: &mut Vec<Item>) {
        items.push(text(
            self.x_label,
            y,
            &self.input.all_label,
            true,
            Anchor::Start,
            INK,
        ));
        items.push(text(
            self.x_value,
            y,
            &self.value_text(all),
            true,
            Anchor::Start,
            INK,
        ));
        let cy = y - 4.0;
        items.push(Item::Polygon {
            points: vec![
                (self.clamped(all.1), cy),
                (self.clamped(all.0), cy - 6.0),
                (self.clamped(all.2), cy),
                (self.clamped(all.0), cy + 6.0),
            ],
            fill: INK,
            stroke: INK,
        });
    }

    /// The null line and the all-studies estimate (dashed) from `first` to `bottom`, and the
    /// axis at `bottom` with its ticks and title.
    fn axis(&self, first: f64, bottom: f64, items: &mut Vec<Item>) {
        let line = |x1, y1, x2, y2, stroke, dash| Item::Line {
            x1,
            y1,
            x2,
            y2,
            stroke,
            width: 0.8,
            dash,
        };
        items.push(line(self.px(0.0), first, self.px(0.0), bottom, INK, None));
        let x0 = self.x0;
        if let Some(all) = self
            .input
            .all
            .filter(|a| (x0..=x0 + PLOT_W).contains(&self.px(a.0)))
        {
            let x = self.px(all.0);
            items.push(line(x, first, x, bottom, "#888888", Some("4,3")));
        }
        items.push(line(x0, bottom, x0 + PLOT_W, bottom, INK, None));
        for &t in &self.ticks {
            let x = self.px(self.input.measure.from_display(t));
            items.push(line(x, bottom, x, bottom + 4.0, INK, None));
            let label = tick_label(self.lang, t);
            items.push(text(x, bottom + 16.0, &label, false, Anchor::Middle, INK));
        }
        let name = measure_name(self.lang, self.input.measure);
        items.push(text(
            x0 + PLOT_W / 2.0,
            bottom + 32.0,
            name,
            true,
            Anchor::Middle,
            INK,
        ));
    }
}

const INK: &str = "#000000";

/// Text with its baseline at `y`.
fn text(x: f64, y: f64, s: &str, bold: bool, anchor: Anchor, fill: &'static str) -> Item {
    Item::Text {
        x,
        y,
        text: s.to_string(),
        size: SIZE,
        bold,
        anchor,
        fill,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_square_per_estimable_row_and_a_diamond() {
        let input = RowsInput {
            heading: "Omitted study".into(),
            rows: vec![
                EstimateRow {
                    label: "A".into(),
                    value: Ok((-0.5, -0.9, -0.1)),
                },
                EstimateRow {
                    label: "B".into(),
                    value: Err("not estimable".into()),
                },
                EstimateRow {
                    label: "C".into(),
                    value: Ok((-0.3, -0.6, 0.0)),
                },
            ],
            all: Some((-0.4, -0.7, -0.1)),
            all_label: "All studies".into(),
            measure: Measure::LogRiskRatio,
            level_percent: 95.0,
            title: None,
        };
        let l = rows_layout(&input, Lang::En);
        let squares = l
            .items
            .iter()
            .filter(|i| matches!(i, Item::Rect { .. }))
            .count();
        assert_eq!(squares, 2);
        let diamonds: Vec<_> = l
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Polygon { points, .. } => Some(points.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(diamonds.len(), 1);
        // The diamond spans the CI: its left tip left of its centre, right tip right of it.
        assert!(diamonds[0][0].0 < diamonds[0][1].0 && diamonds[0][1].0 < diamonds[0][2].0);
        assert!(l
            .items
            .iter()
            .any(|i| matches!(i, Item::Text { text, .. } if text == "0.67 [0.50; 0.90]")));
    }
}
