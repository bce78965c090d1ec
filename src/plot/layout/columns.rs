//! The columns of the forest plot: the label column, the arm-data columns under their arm's
//! name, the weight; then the plot and the effect column. Each text column is as wide as its
//! widest cell or header (labels at most [`MAX_LABEL_W`]); an arm's name widens its columns
//! when it is wider than they are together.

use super::rows::Row;
use super::text::Forest;
use super::{FONT, GAP, MARGIN, MAX_LABEL_W, PLOT_W};
use crate::plot::font::text_width;
use crate::plot::labels::measure_name;

/// A text column: header (and an optional group header above it) and alignment.
pub(super) struct Column {
    /// The arm above the header, if any.
    pub group: Option<String>,
    /// The header.
    pub header: String,
    /// Right-aligned (numbers).
    pub right: bool,
    /// Width, px.
    pub width: f64,
    /// Left end, px.
    pub x: f64,
}

impl Column {
    /// The x and anchor of right- or left-aligned text in the column.
    pub fn text_x(&self) -> f64 {
        if self.right {
            self.x + self.width
        } else {
            self.x
        }
    }
}

/// Where everything goes across the plot.
pub(super) struct Geometry {
    /// The text columns: label, arm data, weight.
    pub cols: Vec<Column>,
    /// Left end of the plot, px.
    pub plot_x0: f64,
    /// Right end of the plot, px.
    pub plot_x1: f64,
    /// Left end of the effect column, px.
    pub eff_x: f64,
    /// Right end of the effect column, px.
    pub content_right: f64,
}

/// Widest cells: label, each arm column and the weight, the effect.
struct Widths {
    label: f64,
    cells: Vec<f64>,
    effect: f64,
}

impl Geometry {
    /// The columns of `rows`, measured and placed left to right.
    pub fn measure(f: &Forest, rows: &[Row]) -> Geometry {
        let mut cols = headers(f);
        let w = widths(f, rows, &cols);
        cols[0].width = w.label;
        for (c, width) in cols[1..].iter_mut().zip(&w.cells) {
            c.width = *width;
        }
        let mut x = MARGIN;
        for c in &mut cols {
            c.x = x;
            x += c.width + GAP;
        }
        let plot_x0 = x + 4.0;
        let plot_x1 = plot_x0 + PLOT_W;
        let eff_x = plot_x1 + GAP;
        Geometry {
            cols,
            plot_x0,
            plot_x1,
            eff_x,
            content_right: eff_x + w.effect,
        }
    }

    /// The weight column.
    pub fn weight_col(&self) -> &Column {
        &self.cols[self.cols.len() - 1]
    }
}

/// The text columns with their headers, not yet measured.
fn headers(f: &Forest) -> Vec<Column> {
    let l = &f.l;
    let col = |group: Option<&str>, header: &str, right: bool| Column {
        group: group.map(str::to_string),
        header: header.to_string(),
        right,
        width: 0.0,
        x: 0.0,
    };
    let arm_headers: &[&str] = match f.n_arm() {
        4 => &[l.events, l.total],
        6 => &[l.mean, l.sd, l.total],
        _ => &[],
    };
    let mut cols = vec![col(None, l.study, false)];
    if !arm_headers.is_empty() {
        for g in [l.treatment, l.control] {
            cols.extend(arm_headers.iter().map(|h| col(Some(g), h, true)));
        }
    }
    cols.push(col(None, l.weight, true));
    cols
}

/// The widest cell of each column over the rows and headers.
fn widths(f: &Forest, rows: &[Row], cols: &[Column]) -> Widths {
    let (l, n_arm) = (&f.l, f.n_arm());
    let tw = |s: &str, bold: bool| text_width(s, FONT, bold);
    let mut w = Widths {
        label: tw(l.study, true),
        cells: vec![0.0f64; n_arm + 1],
        effect: tw(measure_name(f.lang, f.measure()), true),
    };
    let widen = |m: &mut f64, v: f64| *m = m.max(v);
    for r in rows {
        match r {
            Row::Study { idx } => {
                let s = &f.input.studies[*idx];
                widen(&mut w.label, tw(&f.study_label(s), false).min(MAX_LABEL_W));
                for (j, c) in f.arm_cells(s).iter().enumerate() {
                    widen(&mut w.cells[j], tw(c, false));
                }
                widen(&mut w.cells[n_arm], tw("100.0%", false));
                let sr = &f.primary.studies[*idx];
                let effect = match sr.effect {
                    Some(e) => {
                        let (lo, hi) = sr.ci.unwrap_or((e.yi(), e.yi()));
                        f.effect_text(e.yi(), lo, hi)
                    }
                    None => l.not_estimable.to_string(),
                };
                widen(&mut w.effect, tw(&effect, false));
            }
            Row::Heading(h) => widen(&mut w.label, tw(h, true).min(MAX_LABEL_W)),
            Row::Pooled {
                label, res, cells, ..
            } => {
                widen(&mut w.label, tw(label, true).min(MAX_LABEL_W));
                for (j, c) in cells.iter().enumerate() {
                    widen(&mut w.cells[j], tw(c, true));
                }
                widen(&mut w.cells[n_arm], tw("100.0%", true));
                let effect = f.effect_text(res.estimate, res.ci_low, res.ci_high);
                widen(&mut w.effect, tw(&effect, true));
            }
            Row::Prediction { res } => {
                widen(&mut w.label, tw(l.prediction_interval, false));
                let (lo, hi) = res.pi.expect("pi");
                widen(&mut w.effect, tw(&f.prediction_text(lo, hi), false));
            }
            Row::NotEstimable { label, .. } => {
                widen(&mut w.label, tw(label, true).min(MAX_LABEL_W));
                widen(&mut w.effect, tw(l.not_estimable, false));
            }
            Row::Text(_) | Row::Blank => {}
        }
    }
    for (j, c) in cols.iter().enumerate().skip(1) {
        widen(&mut w.cells[j - 1], tw(&c.header, true));
    }
    widen_under_arm_names(f, &mut w.cells);
    w
}

/// Arm names span their columns: widens the columns evenly where the name is wider.
fn widen_under_arm_names(f: &Forest, cells: &mut [f64]) {
    let n_arm = f.n_arm();
    if n_arm == 0 {
        return;
    }
    let per = n_arm / 2;
    for (gi, g) in [f.l.treatment, f.l.control].iter().enumerate() {
        let span: f64 =
            cells[gi * per..(gi + 1) * per].iter().sum::<f64>() + GAP * (per as f64 - 1.0);
        let need = text_width(g, FONT, true);
        if need > span {
            let extra = (need - span) / per as f64;
            for w in &mut cells[gi * per..(gi + 1) * per] {
                *w += extra;
            }
        }
    }
}
