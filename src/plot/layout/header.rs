//! The top of the forest plot: the title, then two header lines (the arms' names over their
//! columns and the measure over the plot; the column headers, the model and the CI level),
//! closed by a rule.

use super::columns::Geometry;
use super::text::Forest;
use super::{text_item, FONT, GRID, INK, MARGIN, ROW};
use crate::plot::font::{clip, text_width};
use crate::plot::labels::measure_name;
use crate::plot::primitives::{Anchor, Item, MAX_TITLE_W};

/// The drawn header.
pub(super) struct Header {
    /// Its primitives.
    pub items: Vec<Item>,
    /// Where the rows start, px.
    pub y: f64,
    /// Width of the title, px (0 without one).
    pub title_w: f64,
}

/// The baseline of text in the row starting at `y`.
pub(super) fn baseline(y: f64) -> f64 {
    y + ROW / 2.0 + FONT * 0.35
}

/// Draws the header.
pub(super) fn draw(f: &Forest, g: &Geometry) -> Header {
    let mut items = Vec::new();
    let mut y = MARGIN;
    let mut title_w: f64 = 0.0;
    if let Some(t) = &f.opts.title {
        let t = clip(t, MAX_TITLE_W, 14.0, true);
        title_w = text_width(&t, 14.0, true);
        items.push(Item::Text {
            x: MARGIN,
            y: y + 14.0,
            text: t,
            size: 14.0,
            bold: true,
            anchor: Anchor::Start,
            fill: INK,
        });
        y += 26.0;
    }
    arm_names(f, g, y, &mut items);
    let plot_mid = (g.plot_x0 + g.plot_x1) / 2.0;
    let measure = measure_name(f.lang, f.measure());
    items.push(text_item(
        plot_mid,
        baseline(y),
        measure,
        true,
        Anchor::Middle,
    ));
    y += ROW;
    for c in &g.cols {
        let anchor = if c.right { Anchor::End } else { Anchor::Start };
        items.push(text_item(c.text_x(), baseline(y), &c.header, true, anchor));
    }
    let models = model_lines(f);
    items.push(text_item(
        plot_mid,
        baseline(y),
        &models[0],
        false,
        Anchor::Middle,
    ));
    items.push(text_item(
        g.eff_x,
        baseline(y),
        &f.ci_label,
        true,
        Anchor::Start,
    ));
    y += ROW;
    for line in &models[1..] {
        items.push(text_item(
            plot_mid,
            baseline(y),
            line,
            false,
            Anchor::Middle,
        ));
        y += ROW;
    }
    items.push(Item::Line {
        x1: MARGIN,
        y1: y,
        x2: g.content_right,
        y2: y,
        stroke: INK,
        width: 0.8,
        dash: None,
    });
    Header {
        items,
        y: y + 3.0,
        title_w,
    }
}

/// Each arm's name centred over its columns, underlined, in the row starting at `y`.
fn arm_names(f: &Forest, g: &Geometry, y: f64, items: &mut Vec<Item>) {
    let n_arm = f.n_arm();
    if n_arm == 0 {
        return;
    }
    let per = n_arm / 2;
    for gi in 0..2 {
        let first = &g.cols[1 + gi * per];
        let last = &g.cols[gi * per + per];
        let cx = (first.x + last.x + last.width) / 2.0;
        let name = first.group.as_deref().unwrap_or("");
        items.push(text_item(cx, baseline(y), name, true, Anchor::Middle));
        items.push(Item::Line {
            x1: first.x,
            y1: y + ROW - 1.0,
            x2: last.x + last.width,
            y2: y + ROW - 1.0,
            stroke: GRID,
            width: 0.6,
            dash: None,
        });
    }
}

/// The models and methods over the plot: one line, or two where the language's template
/// breaks it (Dutch, whose model names are longer, with both models).
fn model_lines(f: &Forest) -> Vec<String> {
    f.model_description()
        .split('\n')
        .map(str::to_string)
        .collect()
}
