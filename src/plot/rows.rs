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

/// Lays out the plot (labels and error texts clipped to [`MAX_LABEL_W`]; the title is
/// clipped by [`Figure::titled`]).
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
    let ratio = input.measure.is_ratio();
    let d = |x: f64| if ratio { x.exp() } else { x };
    let ok: Vec<(f64, f64, f64)> = input
        .rows
        .iter()
        .filter_map(|r| r.value.as_ref().ok().copied())
        .chain(input.all)
        .collect();
    let core: Vec<f64> = ok.iter().flat_map(|&(e, l, h)| [e, l, h]).collect();
    let ((xlo, xhi), ticks) = axis(ratio, &core, &core, None);
    let a = |v: f64| if ratio { v.ln() } else { v };
    let (alo, ahi) = (a(xlo), a(xhi));
    let text = |r: (f64, f64, f64)| {
        format!(
            "{} [{}, {}]",
            fmt_num(lang, d(r.0), 2),
            fmt_num(lang, d(r.1), 2),
            fmt_num(lang, d(r.2), 2)
        )
    };
    let label_w = input
        .rows
        .iter()
        .map(|r| text_width(&r.label, SIZE, false))
        .chain([
            text_width(&input.heading, SIZE, true),
            text_width(&input.all_label, SIZE, true),
        ])
        .fold(0.0, f64::max);
    let value_w = input
        .rows
        .iter()
        .map(|r| match &r.value {
            Ok(v) => text_width(&text(*v), SIZE, false),
            Err(e) => text_width(e, SIZE, false),
        })
        .chain(input.all.map(|a| text_width(&text(a), SIZE, true)))
        .fold(text_width("95% CI", SIZE, true), f64::max);
    let x_label = 12.0;
    let x_value = x_label + label_w + 16.0;
    let x0 = x_value + value_w + 16.0;
    let px = |v: f64| x0 + (v - alo) / (ahi - alo) * PLOT_W;
    let clamp = |x: f64| x.clamp(x0, x0 + PLOT_W);
    let top = if input.title.is_some() { 28.0 } else { 0.0 };
    let mut items = Vec::new();
    let mut y = top + 20.0;
    let header = format!(
        "{} [{}% CI]",
        input.measure.code(),
        fmt_num(lang, input.level_percent, 0)
    );
    for (x, t, anchor) in [
        (x_label, input.heading.as_str(), Anchor::Start),
        (x_value, header.as_str(), Anchor::Start),
    ] {
        items.push(Item::Text {
            x,
            y,
            text: t.to_string(),
            size: SIZE,
            bold: true,
            anchor,
            fill: "#000000",
        });
    }
    y += 8.0;
    let first = y;
    for r in &input.rows {
        y += ROW;
        items.push(Item::Text {
            x: x_label,
            y,
            text: r.label.clone(),
            size: SIZE,
            bold: false,
            anchor: Anchor::Start,
            fill: "#000000",
        });
        match &r.value {
            Ok(v) => {
                items.push(Item::Text {
                    x: x_value,
                    y,
                    text: text(*v),
                    size: SIZE,
                    bold: false,
                    anchor: Anchor::Start,
                    fill: "#000000",
                });
                let cy = y - 4.0;
                items.push(Item::Line {
                    x1: clamp(px(v.1)),
                    y1: cy,
                    x2: clamp(px(v.2)),
                    y2: cy,
                    stroke: "#000000",
                    width: 1.0,
                    dash: None,
                });
                let cx = px(v.0);
                if (x0..=x0 + PLOT_W).contains(&cx) {
                    items.push(Item::Rect {
                        x: cx - 4.0,
                        y: cy - 4.0,
                        w: 8.0,
                        h: 8.0,
                        fill: "#1f3b73",
                    });
                }
            }
            Err(e) => items.push(Item::Text {
                x: x_value,
                y,
                text: e.clone(),
                size: SIZE,
                bold: false,
                anchor: Anchor::Start,
                fill: "#666666",
            }),
        }
    }
    if let Some(all) = input.all {
        y += ROW + 4.0;
        items.push(Item::Text {
            x: x_label,
            y,
            text: input.all_label.clone(),
            size: SIZE,
            bold: true,
            anchor: Anchor::Start,
            fill: "#000000",
        });
        items.push(Item::Text {
            x: x_value,
            y,
            text: text(all),
            size: SIZE,
            bold: true,
            anchor: Anchor::Start,
            fill: "#000000",
        });
        let cy = y - 4.0;
        items.push(Item::Polygon {
            points: vec![
                (clamp(px(all.1)), cy),
                (clamp(px(all.0)), cy - 6.0),
                (clamp(px(all.2)), cy),
                (clamp(px(all.0)), cy + 6.0),
            ],
            fill: "#000000",
            stroke: "#000000",
        });
    }
    let bottom = y + 8.0;
    // Null line, the all-studies estimate (dashed), axis with ticks.
    items.push(Item::Line {
        x1: px(0.0),
        y1: first,
        x2: px(0.0),
        y2: bottom,
        stroke: "#000000",
        width: 0.8,
        dash: None,
    });
    if let Some(all) = input.all.filter(|a| (x0..=x0 + PLOT_W).contains(&px(a.0))) {
        items.push(Item::Line {
            x1: px(all.0),
            y1: first,
            x2: px(all.0),
            y2: bottom,
            stroke: "#888888",
            width: 0.8,
            dash: Some("4,3"),
        });
    }
    items.push(Item::Line {
        x1: x0,
        y1: bottom,
        x2: x0 + PLOT_W,
        y2: bottom,
        stroke: "#000000",
        width: 0.8,
        dash: None,
    });
    for t in ticks {
        let x = px(a(t));
        items.push(Item::Line {
            x1: x,
            y1: bottom,
            x2: x,
            y2: bottom + 4.0,
            stroke: "#000000",
            width: 0.8,
            dash: None,
        });
        items.push(Item::Text {
            x,
            y: bottom + 16.0,
            text: tick_label(lang, t),
            size: SIZE,
            bold: false,
            anchor: Anchor::Middle,
            fill: "#000000",
        });
    }
    let xlabel = measure_name(lang, input.measure).to_string();
    items.push(Item::Text {
        x: x0 + PLOT_W / 2.0,
        y: bottom + 32.0,
        text: xlabel,
        size: SIZE,
        bold: true,
        anchor: Anchor::Middle,
        fill: "#000000",
    });
    let width = x0 + PLOT_W + 24.0;
    Figure::titled(items, width, bottom + 42.0, input.title.as_deref())
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
            .any(|i| matches!(i, Item::Text { text, .. } if text == "0.67 [0.50, 0.90]")));
    }
}
