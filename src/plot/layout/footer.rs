//! The bottom of the forest plot and what runs behind the rows: the axis (range and ticks
//! from [`crate::plot::axis`], covering the pooled results, prediction intervals, study
//! estimates and threshold), the null and threshold lines and the shading between them, the
//! "Favours" labels either side of the null, the threshold's legend; then the canvas size,
//! everything moved right when the left "Favours" label would leave the canvas.

use super::body::{Body, Scale};
use super::columns::Geometry;
use super::header::Header;
use super::text::Forest;
use super::{text_item, ForestLayout, FONT, INK, MARGIN, MAX_FAVOURS_W, ROW, SHADE, THRESHOLD};
use crate::plot::axis::{axis, tick_label};
use crate::plot::font::{clip, text_width};
use crate::plot::primitives::{Anchor, Item};

/// The plot's x-axis.
pub(super) struct Axis {
    /// Range on the display scale.
    pub range: (f64, f64),
    /// Ticks on the display scale.
    pub ticks: Vec<f64>,
    /// The range on the plot's px.
    pub scale: Scale,
}

impl Axis {
    /// An axis covering the overall pools with their CIs and prediction intervals, the
    /// study estimates and the threshold (and, up to three times as far, the study CIs), or
    /// the range asked for.
    pub fn new(f: &Forest, g: &Geometry) -> Axis {
        let (p, m) = (f.primary, f.measure());
        let mut core = vec![p.estimate, p.ci_low, p.ci_high];
        let mut all = core.clone();
        let overall = &f.input.overall;
        for r in [overall.fixed.as_ref(), overall.random.as_ref()]
            .into_iter()
            .flatten()
        {
            core.extend([r.ci_low, r.ci_high]);
            if let Some((lo, hi)) = r.pi {
                core.extend([lo, hi]);
            }
        }
        for s in &p.studies {
            if let (Some(e), Some((lo, hi))) = (s.effect, s.ci) {
                core.push(e.yi());
                all.extend([lo, hi]);
            }
        }
        if let Some(t) = f.opts.threshold {
            core.push(m.from_display(t));
        }
        let ((lo, hi), ticks) = axis(m.is_ratio(), &core, &all, f.opts.xlim);
        Axis {
            range: (lo, hi),
            ticks,
            scale: Scale {
                lo: m.from_display(lo),
                hi: m.from_display(hi),
                x0: g.plot_x0,
                x1: g.plot_x1,
            },
        }
    }
}

/// The whole plot: the header, the lines behind the rows, the rows, the axis and the labels
/// under it, on a canvas that holds them all.
pub(super) fn finish(
    f: &Forest,
    g: &Geometry,
    axis: Axis,
    header: Header,
    body: Body,
) -> ForestLayout {
    let y_axis = body.y + 4.0;
    let mut items = header.items;
    items.extend(background(f, g, &axis.scale, &body, y_axis));
    items.extend(body.items);
    axis_items(f, g, &axis, y_axis, &mut items);
    let labels = favours(f, g, &axis.scale, y_axis, &mut items);
    let null_x = axis.scale.px(0.0);
    let shift = (MARGIN - labels.left_end).max(0.0);
    let width = (g
        .content_right
        .max(null_x + 6.0 + labels.right_w)
        .max(MARGIN + body.footer_w)
        .max(MARGIN + header.title_w)
        + MARGIN
        + shift)
        .ceil();
    let mut rows = body.infos;
    if shift > 0.0 {
        for it in &mut items {
            it.shift_x(shift);
        }
        for mk in rows.iter_mut().filter_map(|r| r.marker.as_mut()) {
            mk.x += shift;
            mk.ci.0 += shift;
            mk.ci.1 += shift;
        }
    }
    ForestLayout {
        width,
        height: (labels.bottom + MARGIN).ceil(),
        items,
        x_range: axis.range,
        ticks: axis.ticks,
        rows,
        plot_x: (g.plot_x0 + shift, g.plot_x1 + shift),
    }
}

/// The thresholds on the analysis scale (mirrored around the null when asked).
fn thresholds(f: &Forest) -> Vec<f64> {
    match f.opts.threshold {
        Some(t) => {
            let at = f.measure().from_display(t);
            if f.opts.threshold_both {
                vec![at, -at]
            } else {
                vec![at]
            }
        }
        None => vec![],
    }
}

/// Behind the rows: the shading between the null and each threshold over the plotted rows,
/// then the null and threshold lines from the first plotted row to the axis (only over the
/// plotted rows when a text line reaches into the plot).
fn background(f: &Forest, g: &Geometry, scale: &Scale, body: &Body, y_axis: f64) -> Vec<Item> {
    let (x0, x1) = (g.plot_x0, g.plot_x1);
    let null_x = scale.px(0.0);
    let thresholds = thresholds(f);
    let mut back = Vec::new();
    for &(y0, y1) in &body.segments {
        for &t in thresholds.iter().filter(|_| f.opts.shade_threshold) {
            let tx = scale.px(t);
            let (xa, xb) = (tx.min(null_x).max(x0), tx.max(null_x).min(x1));
            if xb > xa {
                back.push(Item::Rect {
                    x: xa,
                    y: y0,
                    w: xb - xa,
                    h: y1 - y0,
                    fill: SHADE,
                });
            }
        }
    }
    let top = body.segments.first().map(|s| s.0).unwrap_or(y_axis);
    let spans = if MARGIN + body.footer_w < x0 - 4.0 {
        vec![(top, y_axis)]
    } else {
        body.segments.clone()
    };
    let line = |x: f64, (y1, y2): (f64, f64), stroke, width, dash| Item::Line {
        x1: x,
        y1,
        x2: x,
        y2,
        stroke,
        width,
        dash,
    };
    for &span in &spans {
        if (x0..=x1).contains(&null_x) {
            back.push(line(null_x, span, INK, 0.8, None));
        }
        for &t in &thresholds {
            let tx = scale.px(t);
            if (x0..=x1).contains(&tx) {
                back.push(line(tx, span, THRESHOLD, 1.2, Some("5,3")));
            }
        }
    }
    back
}

/// The axis line at `y_axis` with its ticks and their labels.
fn axis_items(f: &Forest, g: &Geometry, axis: &Axis, y_axis: f64, items: &mut Vec<Item>) {
    let line = |x1, y1, x2, y2| Item::Line {
        x1,
        y1,
        x2,
        y2,
        stroke: INK,
        width: 0.8,
        dash: None,
    };
    items.push(line(g.plot_x0, y_axis, g.plot_x1, y_axis));
    for &t in &axis.ticks {
        let tx = axis.scale.px(f.measure().from_display(t));
        items.push(line(tx, y_axis, tx, y_axis + 4.0));
        let label = tick_label(f.lang, t);
        items.push(text_item(tx, y_axis + 15.0, &label, false, Anchor::Middle));
    }
}

/// Where the labels under the axis end.
struct Favours {
    /// Left end of the left label, px.
    left_end: f64,
    /// Width of the right label, px.
    right_w: f64,
    /// Baseline of the lowest label, px.
    bottom: f64,
}

/// "Favours treatment" and "Favours control" either side of the null (benefit is lower
/// values by default, as for harms and symptoms; higher when benefit is higher, e.g.
/// responders), and under them the threshold's legend.
fn favours(f: &Forest, g: &Geometry, scale: &Scale, y_axis: f64, items: &mut Vec<Item>) -> Favours {
    let l = &f.l;
    let (left_default, right_default) = if f.opts.benefit_higher {
        (l.control, l.treatment)
    } else {
        (l.treatment, l.control)
    };
    let label = |given: &Option<String>, default: &str| {
        let s = given
            .clone()
            .unwrap_or_else(|| format!("{} {}", l.favours, default.to_lowercase()));
        clip(&s, MAX_FAVOURS_W, FONT, false)
    };
    let fl = label(&f.opts.favours_left, left_default);
    let fr = label(&f.opts.favours_right, right_default);
    let null_x = scale.px(0.0).clamp(g.plot_x0, g.plot_x1);
    let fy = y_axis + 30.0;
    items.push(text_item(null_x - 6.0, fy, &fl, false, Anchor::End));
    items.push(text_item(null_x + 6.0, fy, &fr, false, Anchor::Start));
    let mut bottom = fy;
    if let Some(t) = f.opts.threshold {
        bottom += ROW;
        items.push(Item::Text {
            x: g.plot_x0,
            y: bottom,
            text: f.threshold_legend(t),
            size: FONT,
            bold: false,
            anchor: Anchor::Start,
            fill: THRESHOLD,
        });
    }
    Favours {
        left_end: null_x - 6.0 - text_width(&fl, FONT, false),
        right_w: text_width(&fr, FONT, false),
        bottom,
    }
}
