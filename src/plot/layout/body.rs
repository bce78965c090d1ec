//! The rows of the forest plot drawn one below the other: text in the columns, and on the
//! plot a square (area proportional to the weight) with its CI for a study, a diamond for a
//! pooled result (filled for random effects), a bar for a prediction interval. Labels wrap
//! into at most [`MAX_LABEL_LINES`] lines; CIs beyond the axis end in arrows.

use super::columns::Geometry;
use super::header::baseline;
use super::rows::Row;
use super::text::Forest;
use super::{
    text_item, Marker, RowInfo, RowKind, FONT, GRID, INK, MARGIN, MAX_LABEL_W, ROW, SQUARE,
};
use crate::plot::font::{clip, text_width};
use crate::plot::primitives::{Anchor, Item};
use crate::pool::{Model, PooledEstimate};

/// Lines a label wraps into at most; the last one ends in "…" when the label is longer.
const MAX_LABEL_LINES: usize = 4;

/// The plot's x-axis: analysis-scale values `lo..hi` on `x0..x1` px.
pub(super) struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub x0: f64,
    pub x1: f64,
}

impl Scale {
    /// Analysis-scale value → px (unclamped).
    pub fn px(&self, a: f64) -> f64 {
        self.x0 + (a - self.lo) / (self.hi - self.lo) * (self.x1 - self.x0)
    }

    /// The marker of an estimate with its interval, clamped to the plot, with arrows where
    /// the interval goes beyond it.
    fn marker(&self, est: f64, lo: f64, hi: f64, size: f64) -> Marker {
        let (xl, xh) = (self.px(lo), self.px(hi));
        Marker {
            x: self.px(est).clamp(self.x0, self.x1),
            size,
            ci: (xl.clamp(self.x0, self.x1), xh.clamp(self.x0, self.x1)),
            arrow_left: xl < self.x0 - 0.01,
            arrow_right: xh > self.x1 + 0.01,
        }
    }
}

/// The drawn rows.
pub(super) struct Body {
    /// Their primitives.
    pub items: Vec<Item>,
    /// What each row shows.
    pub infos: Vec<RowInfo>,
    /// Vertical spans (top, bottom) of consecutive rows with something on the plot.
    pub segments: Vec<(f64, f64)>,
    /// Width of the widest text line, px.
    pub footer_w: f64,
    /// The bottom of the last row, px.
    pub y: f64,
}

/// Draws `rows` from `y` down.
pub(super) fn draw(f: &Forest, g: &Geometry, scale: &Scale, rows: &[Row], y: f64) -> Body {
    let max_w = f
        .primary
        .studies
        .iter()
        .map(|s| s.weight_percent)
        .fold(0.0, f64::max)
        .max(1e-12);
    let mut d = Drawer {
        f,
        g,
        scale,
        max_w,
        seg_start: None,
        body: Body {
            items: Vec::new(),
            infos: Vec::new(),
            segments: Vec::new(),
            footer_w: 0.0,
            y,
        },
    };
    for r in rows {
        d.track_segment(r.in_plot());
        match r {
            Row::Heading(h) => d.heading(h),
            Row::Study { idx } => d.study(*idx),
            Row::Pooled {
                label,
                res,
                cells,
                weight,
            } => d.pooled(label, res, cells, weight.as_deref()),
            Row::Prediction { res } => d.prediction(res),
            Row::NotEstimable { label, reason } => d.not_estimable(label, reason),
            Row::Text(t) => d.text_line(t),
            Row::Blank => d.body.y += ROW / 2.0,
        }
    }
    d.track_segment(false);
    d.body
}

/// The state while the rows are drawn.
struct Drawer<'a> {
    f: &'a Forest<'a>,
    g: &'a Geometry,
    scale: &'a Scale,
    /// The largest study weight, percent (its square is the largest).
    max_w: f64,
    /// Top of the current run of rows with something on the plot.
    seg_start: Option<f64>,
    body: Body,
}

impl Drawer<'_> {
    /// Opens a segment at a row on the plot, closes it at one that is not.
    fn track_segment(&mut self, in_plot: bool) {
        let y = self.body.y;
        if in_plot && self.seg_start.is_none() {
            self.seg_start = Some(y);
        }
        if !in_plot {
            if let Some(s) = self.seg_start.take() {
                self.body.segments.push((s, y));
            }
        }
    }

    fn text(&mut self, x: f64, y: f64, s: &str, bold: bool, anchor: Anchor) {
        self.body.items.push(text_item(x, y, s, bold, anchor));
    }

    /// A row's label, wrapped, from the top of the row; returns the number of lines.
    fn label(&mut self, label: &str, bold: bool) -> usize {
        let lines = wrap(label, MAX_LABEL_W, bold);
        let (x, y) = (self.g.cols[0].x, self.body.y);
        for (k, line) in lines.iter().enumerate() {
            self.text(x, baseline(y + ROW * k as f64), line, bold, Anchor::Start);
        }
        lines.len()
    }

    /// Arm cells right-aligned in the arm columns.
    fn cells(&mut self, cells: &[String], bold: bool) {
        let y = baseline(self.body.y);
        for (j, c) in cells.iter().enumerate() {
            let col = &self.g.cols[j + 1];
            let x = col.x + col.width;
            self.text(x, y, c, bold, Anchor::End);
        }
    }

    /// Text right-aligned in the weight column.
    fn weight(&mut self, w: &str, bold: bool) {
        let wcol = self.g.weight_col();
        let x = wcol.x + wcol.width;
        self.text(x, baseline(self.body.y), w, bold, Anchor::End);
    }

    /// Text in the effect column.
    fn effect(&mut self, t: &str, bold: bool) {
        self.text(self.g.eff_x, baseline(self.body.y), t, bold, Anchor::Start);
    }

    fn info(
        &mut self,
        kind: RowKind,
        label: String,
        effect: Option<String>,
        weight: Option<String>,
        marker: Option<Marker>,
    ) {
        self.body.infos.push(RowInfo {
            kind,
            label,
            y: self.body.y + ROW / 2.0,
            effect_text: effect,
            weight_text: weight,
            marker,
        });
    }

    fn heading(&mut self, h: &str) {
        self.text(MARGIN, baseline(self.body.y), h, true, Anchor::Start);
        self.info(RowKind::Heading, h.to_string(), None, None, None);
        self.body.y += ROW;
    }

    fn study(&mut self, idx: usize) {
        let (f, s) = (self.f, &self.f.input.studies[idx]);
        let label = f.study_label(s);
        let lines = self.label(&label, false);
        self.cells(&f.arm_cells(s), false);
        let sr = &f.primary.studies[idx];
        let weight_text = f.weight_text(sr.weight_percent);
        self.weight(&weight_text, false);
        let cy = self.body.y + ROW / 2.0;
        let (effect_text, marker) = match (sr.effect, sr.ci) {
            (Some(e), Some((lo, hi))) => {
                let size = (12.0 * (sr.weight_percent / self.max_w).sqrt()).max(3.0);
                let mk = self.scale.marker(e.yi(), lo, hi, size);
                draw_ci(&mut self.body.items, &mk, cy);
                let x = self.scale.px(e.yi());
                if x >= self.scale.x0 && x <= self.scale.x1 {
                    self.body.items.push(Item::Rect {
                        x: mk.x - size / 2.0,
                        y: cy - size / 2.0,
                        w: size,
                        h: size,
                        fill: SQUARE,
                    });
                }
                let t = f.effect_text(e.yi(), lo, hi);
                self.effect(&t, false);
                (t, Some(mk))
            }
            _ => {
                self.effect(f.l.not_estimable, false);
                (f.l.not_estimable.to_string(), None)
            }
        };
        self.info(
            RowKind::Study,
            label,
            Some(effect_text),
            Some(weight_text),
            marker,
        );
        self.body.y += ROW * lines as f64;
    }

    fn pooled(
        &mut self,
        label: &str,
        res: &PooledEstimate,
        cells: &[String],
        weight: Option<&str>,
    ) {
        let lines = self.label(label, true);
        self.cells(cells, true);
        if let Some(w) = weight {
            self.weight(w, true);
        }
        let cy = self.body.y + ROW / 2.0;
        let mk = self
            .scale
            .marker(res.estimate, res.ci_low, res.ci_high, 10.0);
        let fill = if res.config.model == Model::Random {
            INK
        } else {
            "#ffffff"
        };
        self.body.items.push(Item::Polygon {
            points: vec![
                (mk.ci.0, cy),
                (mk.x, cy - 5.0),
                (mk.ci.1, cy),
                (mk.x, cy + 5.0),
            ],
            fill,
            stroke: INK,
        });
        let t = self.f.effect_text(res.estimate, res.ci_low, res.ci_high);
        self.effect(&t, true);
        let weight = weight.map(str::to_string);
        self.info(
            RowKind::Pooled,
            label.to_string(),
            Some(t),
            weight,
            Some(mk),
        );
        self.body.y += ROW * lines as f64;
    }

    fn prediction(&mut self, res: &PooledEstimate) {
        let (lo, hi) = res.pi.expect("pi");
        let label = self.f.l.prediction_interval;
        self.text(
            self.g.cols[0].x,
            baseline(self.body.y),
            label,
            false,
            Anchor::Start,
        );
        let cy = self.body.y + ROW / 2.0;
        let mk = self.scale.marker(res.estimate, lo, hi, 4.0);
        self.body.items.push(Item::Rect {
            x: mk.ci.0,
            y: cy - 2.0,
            w: (mk.ci.1 - mk.ci.0).max(0.5),
            h: 4.0,
            fill: GRID,
        });
        draw_arrows(&mut self.body.items, &mk, cy, GRID);
        let t = self.f.prediction_text(lo, hi);
        self.effect(&t, false);
        self.info(RowKind::Prediction, label.into(), Some(t), None, Some(mk));
        self.body.y += ROW;
    }

    fn not_estimable(&mut self, label: &str, reason: &str) {
        self.text(
            self.g.cols[0].x,
            baseline(self.body.y),
            label,
            true,
            Anchor::Start,
        );
        let ne = self.f.l.not_estimable;
        self.effect(ne, false);
        self.info(
            RowKind::Text,
            format!("{label}: {reason}"),
            Some(ne.into()),
            None,
            None,
        );
        self.body.y += ROW;
    }

    fn text_line(&mut self, t: &str) {
        self.text(MARGIN, baseline(self.body.y), t, false, Anchor::Start);
        self.body.footer_w = self.body.footer_w.max(text_width(t, FONT, false));
        self.info(RowKind::Text, t.to_string(), None, None, None);
        self.body.y += ROW;
    }
}

/// A CI as a line, with arrows where it goes beyond the plot.
fn draw_ci(items: &mut Vec<Item>, mk: &Marker, cy: f64) {
    items.push(Item::Line {
        x1: mk.ci.0,
        y1: cy,
        x2: mk.ci.1,
        y2: cy,
        stroke: INK,
        width: 1.0,
        dash: None,
    });
    draw_arrows(items, mk, cy, INK);
}

/// Arrow heads at the ends of an interval that goes beyond the plot.
fn draw_arrows(items: &mut Vec<Item>, mk: &Marker, cy: f64, fill: &'static str) {
    if mk.arrow_left {
        let x = mk.ci.0;
        items.push(Item::Polygon {
            points: vec![(x, cy), (x + 6.0, cy - 3.5), (x + 6.0, cy + 3.5)],
            fill,
            stroke: fill,
        });
    }
    if mk.arrow_right {
        let x = mk.ci.1;
        items.push(Item::Polygon {
            points: vec![(x, cy), (x - 6.0, cy - 3.5), (x - 6.0, cy + 3.5)],
            fill,
            stroke: fill,
        });
    }
}

/// `text` wrapped at spaces into lines of at most `max` px (a word wider than that cut with
/// "…"), at most [`MAX_LABEL_LINES`] of them.
fn wrap(text: &str, max: f64, bold: bool) -> Vec<String> {
    let mut lines = wrap_words(text, max, bold);
    if lines.len() > MAX_LABEL_LINES {
        lines.truncate(MAX_LABEL_LINES);
        let last = lines.pop().unwrap_or_default() + " …";
        lines.push(last);
    }
    lines
        .into_iter()
        .map(|l| clip(&l, max, FONT, bold))
        .collect()
}

/// `text` split at spaces into lines no wider than `max` px (a word wider than that alone on
/// its line).
fn wrap_words(text: &str, max: f64, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let trial = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&trial, FONT, bold) <= max || cur.is_empty() {
            cur = trial;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}
