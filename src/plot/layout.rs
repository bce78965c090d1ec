//! The forest plot as numbers: rows, columns, x-range and ticks, marker sizes, every
//! string and every position. Pure computation; [`super::svg`] only writes it out.
//!
//! The layout follows RevMan 5: study label and arm data on the left, then the weight,
//! the plot, and the effect with its CI as text on the right; pooled results as diamonds
//! (common and/or random effects), the prediction interval as a bar, totals rows, and the
//! heterogeneity and overall-effect lines under each pool. Squares have an area
//! proportional to the study's weight. CIs beyond the axis end in arrows.

use super::font::text_width;
use super::labels::{labels, measure_name};
use crate::format::Lang;
use crate::effect::StudyData;
use crate::pool::subgroups::SubgroupTest;
use crate::pool::{CommonMethod, Model, PooledEstimate, TestKind};
use crate::{Measure, Study};

/// Choices that change the picture, not the numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestOptions {
    /// Language of the labels (numbers with decimal commas for nl and fr).
    pub lang: Lang,
    /// Title above the plot.
    pub title: Option<String>,
    /// Minimal important difference on the display scale (a ratio for ratio measures).
    pub threshold: Option<f64>,
    /// Also draw the threshold mirrored around the null.
    pub threshold_both: bool,
    /// Shade the region between the null and the threshold.
    pub shade_threshold: bool,
    /// x-axis limits on the display scale.
    pub xlim: Option<(f64, f64)>,
    /// Label under the left half of the axis (default "Favours treatment", or "Favours
    /// control" when benefit is higher).
    pub favours_left: Option<String>,
    /// Benefit is an increase (e.g. responders): "Favours treatment" goes to the right.
    pub benefit_higher: bool,
    /// Label under the right half of the axis (default "Favours control").
    pub favours_right: Option<String>,
}

/// Common- and/or random-effects results of one pool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pooled {
    /// Common-effect result.
    pub fixed: Option<PooledEstimate>,
    /// Random-effects result.
    pub random: Option<PooledEstimate>,
}

impl Pooled {
    /// One result, filed under the model it was pooled with.
    pub fn single(r: PooledEstimate) -> Pooled {
        match r.config.model {
            crate::pool::Model::Fixed => Pooled {
                fixed: Some(r),
                random: None,
            },
            crate::pool::Model::Random => Pooled {
                fixed: None,
                random: Some(r),
            },
        }
    }

    /// The result whose weights are shown: random effects if present.
    pub fn primary(&self) -> Option<&PooledEstimate> {
        self.random.as_ref().or(self.fixed.as_ref())
    }
}

/// One subgroup (or the single group when there are no subgroups).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupInput {
    /// Subgroup name (`None`: no subgroups, or studies without one).
    pub name: Option<String>,
    /// Indices of the group's studies in [`ForestInput::studies`].
    pub indices: Vec<usize>,
    /// The group's pool, or why it is not estimable (unused without subgroups).
    pub pooled: Result<Pooled, String>,
}

/// Everything the plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestInput<'a> {
    /// All studies, in input order.
    pub studies: &'a [Study],
    /// The measure.
    pub measure: Measure,
    /// The groups; one group with `name: None` when there are no subgroups.
    pub groups: Vec<GroupInput>,
    /// Whether the groups are subgroups.
    pub has_subgroups: bool,
    /// The overall pool (its study rows give the weights and study CIs).
    pub overall: Pooled,
    /// Test for subgroup differences.
    pub subgroup_test: Option<SubgroupTest>,
}

/// Horizontal text anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Left-aligned.
    Start,
    /// Centred.
    Middle,
    /// Right-aligned.
    End,
}

/// A drawing primitive in px (y grows downwards); fields as in SVG.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text with its baseline at `y`.
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        bold: bool,
        anchor: Anchor,
        fill: &'static str,
    },
    /// A line segment.
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &'static str,
        width: f64,
        dash: Option<&'static str>,
    },
    /// A rectangle.
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &'static str,
    },
    /// A closed polygon.
    Polygon {
        points: Vec<(f64, f64)>,
        fill: &'static str,
        stroke: &'static str,
    },
    /// A circle.
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        fill: &'static str,
        stroke: &'static str,
    },
}

/// What a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A study.
    Study,
    /// A subgroup heading.
    Heading,
    /// A pooled result (diamond).
    Pooled,
    /// A prediction interval.
    Prediction,
    /// A line of text (totals, heterogeneity, tests).
    Text,
}

/// A row's marker in px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marker {
    /// x of the estimate (clamped to the plot).
    pub x: f64,
    /// Side of the square, or height of the diamond.
    pub size: f64,
    /// x of the CI limits (clamped to the plot).
    pub ci: (f64, f64),
    /// The CI continues beyond the left end of the axis.
    pub arrow_left: bool,
    /// The CI continues beyond the right end of the axis.
    pub arrow_right: bool,
}

/// One row, for tests and for anyone who wants to check the picture by numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct RowInfo {
    /// Kind.
    pub kind: RowKind,
    /// Main label (study label, "Total (95% CI)", …).
    pub label: String,
    /// Centre of the row in px.
    pub y: f64,
    /// Effect text on the right (e.g. "0.49 [0.34, 0.70]").
    pub effect_text: Option<String>,
    /// Weight text.
    pub weight_text: Option<String>,
    /// Marker.
    pub marker: Option<Marker>,
}

/// A laid-out figure other than the forest plot: canvas size and drawing primitives.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Canvas width, px.
    pub width: f64,
    /// Canvas height, px.
    pub height: f64,
    /// Drawing primitives.
    pub items: Vec<Item>,
}

/// The title of a figure at its top left, and the canvas width it needs.
pub(crate) fn title_item(text: &str) -> (Item, f64) {
    let text = super::font::clip(text, MAX_TITLE_W, 14.0, true);
    (
        Item::Text {
            x: 12.0,
            y: 20.0,
            text: text.clone(),
            size: 14.0,
            bold: true,
            anchor: Anchor::Start,
            fill: "#000000",
        },
        text_width(&text, 14.0, true) + 24.0,
    )
}

/// Widest "Favours …" label under the axis, px.
const MAX_FAVOURS_W: f64 = 400.0;

/// Widest title of a figure, px.
pub(crate) const MAX_TITLE_W: f64 = 1200.0;

impl Figure {
    /// A figure of `items`, `width` × `height` px rounded up to whole pixels, with `title` (if
    /// any) on top, widened to fit it.
    pub(crate) fn titled(
        mut items: Vec<Item>,
        width: f64,
        height: f64,
        title: Option<&str>,
    ) -> Figure {
        let mut width = width;
        if let Some(t) = title {
            let (item, w) = title_item(t);
            items.push(item);
            width = width.max(w);
        }
        Figure {
            width: width.ceil(),
            height: height.ceil(),
            items,
        }
    }

    /// The figure as SVG text.
    pub fn to_svg(&self) -> String {
        super::svg::items_to_svg(self.width, self.height, &self.items)
    }
}

/// The complete plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestLayout {
    /// Canvas width, px.
    pub width: f64,
    /// Canvas height, px.
    pub height: f64,
    /// Drawing primitives in paint order.
    pub items: Vec<Item>,
    /// Axis range on the display scale.
    pub x_range: (f64, f64),
    /// Ticks on the display scale.
    pub ticks: Vec<f64>,
    /// Rows from top to bottom.
    pub rows: Vec<RowInfo>,
    /// x of the plot area's left and right ends.
    pub plot_x: (f64, f64),
}

const FONT: f64 = 11.0;
const ROW: f64 = 17.0;
const MARGIN: f64 = 16.0;
const GAP: f64 = 14.0;
const PLOT_W: f64 = 260.0;
const MAX_LABEL_W: f64 = 230.0;
const INK: &str = "#000000";
const SQUARE: &str = "#1f3b73";
const GRID: &str = "#555555";
const THRESHOLD: &str = "#b35806";
const SHADE: &str = "#eeeeee";

pub use crate::format::fmt_num;

fn fmt_p(lang: Lang, p: f64) -> String {
    let s = if p < 0.00001 {
        "P < 0.00001".to_string()
    } else if p < 0.001 {
        format!("P = {}", sig(p, 2))
    } else if p < 0.01 {
        format!("P = {p:.3}")
    } else {
        format!("P = {p:.2}")
    };
    match lang {
        Lang::En => s,
        _ => s.replace('.', ","),
    }
}

fn sig(x: f64, digits: i32) -> String {
    let mag = x.abs().log10().floor() as i32;
    let d = (digits - 1 - mag).max(0) as usize;
    format!("{x:.d$}")
}

/// A value as it was probably entered: up to 3 decimals, trailing zeros dropped.
fn as_given(lang: Lang, x: f64) -> String {
    let mut s = format!("{x:.3}");
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    match lang {
        Lang::En => s,
        _ => s.replace('.', ","),
    }
}

fn count(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}

struct Scale {
    lo: f64,
    hi: f64,
    x0: f64,
    x1: f64,
}

impl Scale {
    /// Analysis-scale value → px (unclamped).
    fn px(&self, a: f64) -> f64 {
        self.x0 + (a - self.lo) / (self.hi - self.lo) * (self.x1 - self.x0)
    }
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

pub(crate) fn nice_up(x: f64) -> f64 {
    let e = 10f64.powf(x.log10().floor());
    for f in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if f * e >= x * (1.0 - 1e-9) {
            return f * e;
        }
    }
    10.0 * e
}

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

/// Splits `text` into lines no wider than `max` px (words are not broken unless one word
/// alone is wider, in which case it stands on its own line).
/// Lines a label wraps into at most; the last one ends in "…" when the label is longer.
const MAX_LABEL_LINES: usize = 4;

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
        .map(|l| super::font::clip(&l, max, FONT, bold))
        .collect()
}

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

/// A text column: header (and an optional group header above it) and alignment.
struct Column {
    group: Option<String>,
    header: String,
    right: bool,
    width: f64,
    x: f64,
}

enum Row {
    Heading(String),
    Study {
        idx: usize,
    },
    Pooled {
        label: String,
        res: PooledEstimate,
        cells: Vec<String>,
        weight: Option<String>,
    },
    NotEstimable {
        label: String,
        reason: String,
    },
    Prediction {
        res: PooledEstimate,
    },
    Text(String),
    Blank,
}

/// Computes the forest plot.
pub fn forest_layout(input: &ForestInput, opts: &ForestOptions) -> ForestLayout {
    let lang = opts.lang;
    let l = labels(lang);
    let m = input.measure;
    let ratio = m.is_ratio();
    let primary = input.overall.primary().expect("an overall pool");
    let level_pct = fmt_num(lang, primary.config.level * 100.0, 0);
    let ci_label = match lang {
        Lang::En => format!("{level_pct}% {}", l.ci),
        Lang::Nl => format!("{level_pct}%-{}", l.ci),
        Lang::Fr => format!("{} {level_pct} %", l.ci),
    };
    let disp = |a: f64| if ratio { a.exp() } else { a };
    let d = if matches!(m, Measure::RiskDifference) {
        3
    } else {
        2
    };
    let eff_text = |est: f64, lo: f64, hi: f64| {
        let sep = if lang == Lang::En { ", " } else { "; " };
        format!(
            "{} [{}{sep}{}]",
            fmt_num(lang, disp(est), d),
            fmt_num(lang, disp(lo), d),
            fmt_num(lang, disp(hi), d)
        )
    };

    // ---- Columns -------------------------------------------------------------------
    let kind = input.studies.first().map(|s| s.data.clone());
    let mut cols: Vec<Column> = Vec::new();
    let col = |group: Option<&str>, header: &str, right: bool| Column {
        group: group.map(str::to_string),
        header: header.to_string(),
        right,
        width: 0.0,
        x: 0.0,
    };
    cols.push(col(None, l.study, false));
    match kind {
        Some(StudyData::TwoByTwo { .. }) => {
            for g in [l.treatment, l.control] {
                cols.push(col(Some(g), l.events, true));
                cols.push(col(Some(g), l.total, true));
            }
        }
        Some(StudyData::MeanSd { .. }) => {
            for g in [l.treatment, l.control] {
                cols.push(col(Some(g), l.mean, true));
                cols.push(col(Some(g), l.sd, true));
                cols.push(col(Some(g), l.total, true));
            }
        }
        _ => {}
    }
    cols.push(col(None, l.weight, true));
    let n_arm = cols.len() - 2;

    let arm_cells = |s: &Study| -> Vec<String> {
        match s.data {
            StudyData::TwoByTwo {
                events_t,
                n_t,
                events_c,
                n_c,
            } => vec![count(events_t), count(n_t), count(events_c), count(n_c)],
            StudyData::MeanSd {
                mean_t,
                sd_t,
                n_t,
                mean_c,
                sd_c,
                n_c,
            } => vec![
                as_given(lang, mean_t),
                as_given(lang, sd_t),
                count(n_t),
                as_given(lang, mean_c),
                as_given(lang, sd_c),
                count(n_c),
            ],
            StudyData::Effect { .. } => vec![],
        }
    };
    let total_cells = |idx: &[usize]| -> Vec<String> {
        let sum = |f: &dyn Fn(&StudyData) -> f64| {
            idx.iter().map(|&i| f(&input.studies[i].data)).sum::<f64>()
        };
        match kind {
            Some(StudyData::TwoByTwo { .. }) => vec![
                String::new(),
                count(sum(&|d| {
                    if let StudyData::TwoByTwo { n_t, .. } = d {
                        *n_t
                    } else {
                        0.0
                    }
                })),
                String::new(),
                count(sum(&|d| {
                    if let StudyData::TwoByTwo { n_c, .. } = d {
                        *n_c
                    } else {
                        0.0
                    }
                })),
            ],
            Some(StudyData::MeanSd { .. }) => vec![
                String::new(),
                String::new(),
                count(sum(&|d| {
                    if let StudyData::MeanSd { n_t, .. } = d {
                        *n_t
                    } else {
                        0.0
                    }
                })),
                String::new(),
                String::new(),
                count(sum(&|d| {
                    if let StudyData::MeanSd { n_c, .. } = d {
                        *n_c
                    } else {
                        0.0
                    }
                })),
            ],
            _ => vec![],
        }
    };
    let events_line = |idx: &[usize]| -> Option<String> {
        if let Some(StudyData::TwoByTwo { .. }) = kind {
            let (mut et, mut ec) = (0.0, 0.0);
            for &i in idx {
                if let StudyData::TwoByTwo {
                    events_t, events_c, ..
                } = input.studies[i].data
                {
                    et += events_t;
                    ec += events_c;
                }
            }
            Some(format!(
                "{}: {} ({}), {} ({})",
                l.total_events,
                count(et),
                l.treatment.to_lowercase(),
                count(ec),
                l.control.to_lowercase()
            ))
        } else {
            None
        }
    };
    let weight_of = |i: usize| primary.studies[i].weight_percent;
    let het_line = |r: &PooledEstimate| -> String {
        let h = &r.heterogeneity;
        let tau = r
            .tau2
            .map(|t| format!("Tau² = {}; ", fmt_num(lang, t, 2)))
            .unwrap_or_default();
        format!(
            "{}: {tau}Chi² = {}, df = {} ({}); I² = {}%",
            l.heterogeneity,
            fmt_num(lang, h.q, 2),
            h.df,
            fmt_p(lang, h.p_value),
            fmt_num(lang, h.i2_percent, 0)
        )
    };
    let test_line = |r: &PooledEstimate| -> String {
        let stat = match (r.test, r.statistic) {
            (TestKind::Z, Some(z)) => format!("Z = {}", fmt_num(lang, z.abs(), 2)),
            (TestKind::T { df }, Some(t)) => {
                format!("t = {} (df = {})", fmt_num(lang, t.abs(), 2), df)
            }
            _ => "-".to_string(),
        };
        let p = r
            .p_value
            .map(|p| format!(" ({})", fmt_p(lang, p)))
            .unwrap_or_default();
        format!("{}: {stat}{p}", l.overall_effect)
    };

    // ---- Rows ----------------------------------------------------------------------
    let mut rows: Vec<Row> = Vec::new();
    let push_pool = |rows: &mut Vec<Row>,
                     pooled: &Pooled,
                     idx: &[usize],
                     total_label: &str,
                     weight: Option<f64>| {
        let both = pooled.fixed.is_some() && pooled.random.is_some();
        let mut first = true;
        for r in [pooled.fixed.as_ref(), pooled.random.as_ref()]
            .into_iter()
            .flatten()
        {
            let label = if both {
                let model = match r.config.model {
                    Model::Fixed => l.common,
                    Model::Random => l.random,
                };
                format!("{total_label}, {model}")
            } else {
                format!("{total_label} ({ci_label})")
            };
            rows.push(Row::Pooled {
                label,
                res: r.clone(),
                cells: if first {
                    total_cells(idx)
                } else {
                    vec![String::new(); n_arm]
                },
                weight: if first {
                    weight.map(|w| format!("{}%", fmt_num(lang, w, 1)))
                } else {
                    None
                },
            });
            first = false;
        }
        if let Some(r) = pooled.random.as_ref().filter(|r| r.pi.is_some()) {
            rows.push(Row::Prediction { res: r.clone() });
        }
        if let Some(e) = events_line(idx) {
            rows.push(Row::Text(e));
        }
        for r in [pooled.fixed.as_ref(), pooled.random.as_ref()]
            .into_iter()
            .flatten()
        {
            let suffix = if both {
                format!(
                    " [{}]",
                    match r.config.model {
                        Model::Fixed => l.common,
                        Model::Random => l.random,
                    }
                )
            } else {
                String::new()
            };
            rows.push(Row::Text(format!("{}{suffix}", het_line(r))));
            rows.push(Row::Text(format!("{}{suffix}", test_line(r))));
        }
    };
    for g in &input.groups {
        if input.has_subgroups {
            rows.push(Row::Heading(
                g.name.clone().unwrap_or_else(|| l.no_subgroup.to_string()),
            ));
        }
        for &i in &g.indices {
            rows.push(Row::Study { idx: i });
        }
        if input.has_subgroups {
            let w: f64 = g.indices.iter().map(|&i| weight_of(i)).sum();
            match &g.pooled {
                Ok(p) if p.primary().is_some() => {
                    push_pool(&mut rows, p, &g.indices, l.subtotal, Some(w))
                }
                Ok(_) => {}
                Err(reason) => rows.push(Row::NotEstimable {
                    label: format!("{} ({ci_label})", l.subtotal),
                    reason: reason.clone(),
                }),
            }
            rows.push(Row::Blank);
        }
    }
    let all: Vec<usize> = (0..input.studies.len()).collect();
    push_pool(&mut rows, &input.overall, &all, l.total_row, Some(100.0));
    if let Some(t) = &input.subgroup_test {
        rows.push(Row::Text(format!(
            "{}: Chi² = {}, df = {} ({}), I² = {}%",
            l.subgroup_differences,
            fmt_num(lang, t.q, 2),
            t.df,
            fmt_p(lang, t.p_value),
            fmt_num(lang, t.i2_percent, 1)
        )));
    }

    // ---- Column widths ---------------------------------------------------------------
    let study_label = |s: &Study| match s.year {
        Some(y) if !s.label.contains(&y.to_string()) => format!("{} {y}", s.label),
        _ => s.label.clone(),
    };
    let mut label_w = text_width(l.study, FONT, true);
    let mut cell_w = vec![0.0f64; n_arm + 1];
    let mut eff_w = text_width(measure_name(lang, m), FONT, true);
    for r in &rows {
        match r {
            Row::Study { idx } => {
                let s = &input.studies[*idx];
                label_w = label_w.max(text_width(&study_label(s), FONT, false).min(MAX_LABEL_W));
                for (j, c) in arm_cells(s).iter().enumerate() {
                    cell_w[j] = cell_w[j].max(text_width(c, FONT, false));
                }
                cell_w[n_arm] = cell_w[n_arm].max(text_width("100.0%", FONT, false));
                if let Some(e) = primary.studies[*idx].effect {
                    let (lo, hi) = primary.studies[*idx].ci.unwrap_or((e.yi(), e.yi()));
                    eff_w = eff_w.max(text_width(&eff_text(e.yi(), lo, hi), FONT, false));
                } else {
                    eff_w = eff_w.max(text_width(l.not_estimable, FONT, false));
                }
            }
            Row::Heading(h) => label_w = label_w.max(text_width(h, FONT, true).min(MAX_LABEL_W)),
            Row::Pooled {
                label, res, cells, ..
            } => {
                label_w = label_w.max(text_width(label, FONT, true).min(MAX_LABEL_W));
                for (j, c) in cells.iter().enumerate() {
                    cell_w[j] = cell_w[j].max(text_width(c, FONT, true));
                }
                cell_w[n_arm] = cell_w[n_arm].max(text_width("100.0%", FONT, true));
                eff_w = eff_w.max(text_width(
                    &eff_text(res.estimate, res.ci_low, res.ci_high),
                    FONT,
                    true,
                ));
            }
            Row::Prediction { res } => {
                label_w = label_w.max(text_width(l.prediction_interval, FONT, false));
                let (lo, hi) = res.pi.expect("pi");
                eff_w = eff_w.max(text_width(
                    &format!(
                        "[{}, {}]",
                        fmt_num(lang, disp(lo), d),
                        fmt_num(lang, disp(hi), d)
                    ),
                    FONT,
                    false,
                ));
            }
            Row::NotEstimable { label, .. } => {
                label_w = label_w.max(text_width(label, FONT, true).min(MAX_LABEL_W));
                eff_w = eff_w.max(text_width(l.not_estimable, FONT, false));
            }
            _ => {}
        }
    }
    for (j, c) in cols.iter().enumerate().skip(1) {
        cell_w[j - 1] = cell_w[j - 1].max(text_width(&c.header, FONT, true));
    }
    // Group headers span their columns: widen the columns if the header is wider.
    if n_arm > 0 {
        let per = n_arm / 2;
        for (gi, g) in [l.treatment, l.control].iter().enumerate() {
            let span: f64 =
                cell_w[gi * per..(gi + 1) * per].iter().sum::<f64>() + GAP * (per as f64 - 1.0);
            let need = text_width(g, FONT, true);
            if need > span {
                let extra = (need - span) / per as f64;
                for w in &mut cell_w[gi * per..(gi + 1) * per] {
                    *w += extra;
                }
            }
        }
    }
    cols[0].width = label_w;
    for j in 1..cols.len() {
        cols[j].width = cell_w[j - 1];
    }
    let mut x = MARGIN;
    for c in &mut cols {
        c.x = x;
        x += c.width + GAP;
    }
    let plot_x0 = x + 4.0;
    let plot_x1 = plot_x0 + PLOT_W;
    let eff_x = plot_x1 + GAP;
    let content_right = eff_x + eff_w;

    // ---- Axis ----------------------------------------------------------------------------
    let a = |v: f64| if ratio { v.ln() } else { v };
    let mut core = vec![primary.estimate, primary.ci_low, primary.ci_high];
    let mut all_vals = core.clone();
    for r in [input.overall.fixed.as_ref(), input.overall.random.as_ref()]
        .into_iter()
        .flatten()
    {
        core.extend([r.ci_low, r.ci_high]);
        if let Some((lo, hi)) = r.pi {
            core.extend([lo, hi]);
        }
    }
    for s in &primary.studies {
        if let (Some(e), Some((lo, hi))) = (s.effect, s.ci) {
            core.push(e.yi());
            all_vals.extend([lo, hi]);
        }
    }
    if let Some(t) = opts.threshold {
        core.push(a(t));
    }
    let ((xlo, xhi), ticks) = axis(ratio, &core, &all_vals, opts.xlim);
    let scale = Scale {
        lo: a(xlo),
        hi: a(xhi),
        x0: plot_x0,
        x1: plot_x1,
    };

    // ---- Header --------------------------------------------------------------------
    let mut items: Vec<Item> = Vec::new();
    let mut y = MARGIN;
    let text = |items: &mut Vec<Item>, x: f64, y: f64, s: &str, bold: bool, anchor: Anchor| {
        items.push(Item::Text {
            x,
            y,
            text: s.to_string(),
            size: FONT,
            bold,
            anchor,
            fill: INK,
        });
    };
    let mut title_w: f64 = 0.0;
    if let Some(t) = &opts.title {
        let t = super::font::clip(t, MAX_TITLE_W, 14.0, true);
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
    let base = |y: f64| y + ROW / 2.0 + FONT * 0.35;
    // Header line 1: arm group names, measure name.
    if n_arm > 0 {
        let per = n_arm / 2;
        for gi in 0..2 {
            let first = &cols[1 + gi * per];
            let last = &cols[gi * per + per];
            let cx = (first.x + last.x + last.width) / 2.0;
            text(
                &mut items,
                cx,
                base(y),
                first.group.as_deref().unwrap_or(""),
                true,
                Anchor::Middle,
            );
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
    text(
        &mut items,
        (plot_x0 + plot_x1) / 2.0,
        base(y),
        measure_name(lang, m),
        true,
        Anchor::Middle,
    );
    y += ROW;
    // Header line 2.
    for c in &cols {
        let (x, anchor) = if c.right {
            (c.x + c.width, Anchor::End)
        } else {
            (c.x, Anchor::Start)
        };
        text(&mut items, x, base(y), &c.header, true, anchor);
    }
    let model_desc = match (input.overall.fixed.as_ref(), input.overall.random.as_ref()) {
        (Some(f), Some(r)) => format!(
            "{} ({}) + {} ({}), {ci_label}",
            l.common,
            method_code(f.config.method),
            l.random,
            r.config.tau2_method
        ),
        (_, Some(r)) => format!("{}, {}, {ci_label}", l.random, r.config.tau2_method),
        (Some(f), None) => format!("{}, {}, {ci_label}", l.common, method_code(f.config.method)),
        _ => String::new(),
    };
    text(
        &mut items,
        (plot_x0 + plot_x1) / 2.0,
        base(y),
        &model_desc,
        false,
        Anchor::Middle,
    );
    text(&mut items, eff_x, base(y), &ci_label, true, Anchor::Start);
    y += ROW;
    items.push(Item::Line {
        x1: MARGIN,
        y1: y,
        x2: content_right,
        y2: y,
        stroke: INK,
        width: 0.8,
        dash: None,
    });
    y += 3.0;

    // ---- Body --------------------------------------------------------------------------
    let mut infos: Vec<RowInfo> = Vec::new();
    let mut plot_segments: Vec<(f64, f64)> = Vec::new();
    let mut seg_start: Option<f64> = None;
    let max_w = primary
        .studies
        .iter()
        .map(|s| s.weight_percent)
        .fold(0.0, f64::max)
        .max(1e-12);
    let mut footer_w: f64 = 0.0;
    let mut body_items: Vec<Item> = Vec::new();
    for r in &rows {
        let in_plot = matches!(
            r,
            Row::Study { .. }
                | Row::Pooled { .. }
                | Row::Prediction { .. }
                | Row::NotEstimable { .. }
        );
        if in_plot && seg_start.is_none() {
            seg_start = Some(y);
        }
        if !in_plot {
            if let Some(s) = seg_start.take() {
                plot_segments.push((s, y));
            }
        }
        match r {
            Row::Heading(h) => {
                text(&mut body_items, MARGIN, base(y), h, true, Anchor::Start);
                infos.push(RowInfo {
                    kind: RowKind::Heading,
                    label: h.clone(),
                    y: y + ROW / 2.0,
                    effect_text: None,
                    weight_text: None,
                    marker: None,
                });
                y += ROW;
            }
            Row::Study { idx } => {
                let s = &input.studies[*idx];
                let lines = wrap(&study_label(s), MAX_LABEL_W, false);
                let h = ROW * lines.len() as f64;
                for (k, line) in lines.iter().enumerate() {
                    text(
                        &mut body_items,
                        cols[0].x,
                        base(y + ROW * k as f64),
                        line,
                        false,
                        Anchor::Start,
                    );
                }
                for (j, c) in arm_cells(s).iter().enumerate() {
                    let col = &cols[j + 1];
                    text(
                        &mut body_items,
                        col.x + col.width,
                        base(y),
                        c,
                        false,
                        Anchor::End,
                    );
                }
                let sr = &primary.studies[*idx];
                let wcol = &cols[cols.len() - 1];
                let weight_text = format!("{}%", fmt_num(lang, sr.weight_percent, 1));
                text(
                    &mut body_items,
                    wcol.x + wcol.width,
                    base(y),
                    &weight_text,
                    false,
                    Anchor::End,
                );
                let cy = y + ROW / 2.0;
                let (effect_text, marker) = match (sr.effect, sr.ci) {
                    (Some(e), Some((lo, hi))) => {
                        let size = (12.0 * (sr.weight_percent / max_w).sqrt()).max(3.0);
                        let mk = scale.marker(e.yi(), lo, hi, size);
                        draw_ci(&mut body_items, &mk, cy);
                        let in_range = scale.px(e.yi()) >= scale.x0 && scale.px(e.yi()) <= scale.x1;
                        if in_range {
                            body_items.push(Item::Rect {
                                x: mk.x - size / 2.0,
                                y: cy - size / 2.0,
                                w: size,
                                h: size,
                                fill: SQUARE,
                            });
                        }
                        let t = eff_text(e.yi(), lo, hi);
                        text(&mut body_items, eff_x, base(y), &t, false, Anchor::Start);
                        (Some(t), Some(mk))
                    }
                    _ => {
                        text(
                            &mut body_items,
                            eff_x,
                            base(y),
                            l.not_estimable,
                            false,
                            Anchor::Start,
                        );
                        (Some(l.not_estimable.to_string()), None)
                    }
                };
                infos.push(RowInfo {
                    kind: RowKind::Study,
                    label: study_label(s),
                    y: cy,
                    effect_text,
                    weight_text: Some(weight_text),
                    marker,
                });
                y += h;
            }
            Row::Pooled {
                label,
                res,
                cells,
                weight,
            } => {
                let lines = wrap(label, MAX_LABEL_W, true);
                for (k, line) in lines.iter().enumerate() {
                    text(
                        &mut body_items,
                        cols[0].x,
                        base(y + ROW * k as f64),
                        line,
                        true,
                        Anchor::Start,
                    );
                }
                for (j, c) in cells.iter().enumerate() {
                    let col = &cols[j + 1];
                    text(
                        &mut body_items,
                        col.x + col.width,
                        base(y),
                        c,
                        true,
                        Anchor::End,
                    );
                }
                if let Some(w) = weight {
                    let wcol = &cols[cols.len() - 1];
                    text(
                        &mut body_items,
                        wcol.x + wcol.width,
                        base(y),
                        w,
                        true,
                        Anchor::End,
                    );
                }
                let cy = y + ROW / 2.0;
                let mk = scale.marker(res.estimate, res.ci_low, res.ci_high, 10.0);
                let fill = if res.config.model == Model::Random {
                    INK
                } else {
                    "#ffffff"
                };
                body_items.push(Item::Polygon {
                    points: vec![
                        (mk.ci.0, cy),
                        (mk.x, cy - 5.0),
                        (mk.ci.1, cy),
                        (mk.x, cy + 5.0),
                    ],
                    fill,
                    stroke: INK,
                });
                let t = eff_text(res.estimate, res.ci_low, res.ci_high);
                text(&mut body_items, eff_x, base(y), &t, true, Anchor::Start);
                infos.push(RowInfo {
                    kind: RowKind::Pooled,
                    label: label.clone(),
                    y: cy,
                    effect_text: Some(t),
                    weight_text: weight.clone(),
                    marker: Some(mk),
                });
                y += ROW * lines.len() as f64;
            }
            Row::Prediction { res } => {
                let (lo, hi) = res.pi.expect("pi");
                text(
                    &mut body_items,
                    cols[0].x,
                    base(y),
                    l.prediction_interval,
                    false,
                    Anchor::Start,
                );
                let cy = y + ROW / 2.0;
                let mk = scale.marker(res.estimate, lo, hi, 4.0);
                body_items.push(Item::Rect {
                    x: mk.ci.0,
                    y: cy - 2.0,
                    w: (mk.ci.1 - mk.ci.0).max(0.5),
                    h: 4.0,
                    fill: GRID,
                });
                draw_arrows(&mut body_items, &mk, cy, GRID);
                let sep = if lang == Lang::En { ", " } else { "; " };
                let t = format!(
                    "[{}{sep}{}]",
                    fmt_num(lang, disp(lo), d),
                    fmt_num(lang, disp(hi), d)
                );
                text(&mut body_items, eff_x, base(y), &t, false, Anchor::Start);
                infos.push(RowInfo {
                    kind: RowKind::Prediction,
                    label: l.prediction_interval.into(),
                    y: cy,
                    effect_text: Some(t),
                    weight_text: None,
                    marker: Some(mk),
                });
                y += ROW;
            }
            Row::NotEstimable { label, reason } => {
                text(
                    &mut body_items,
                    cols[0].x,
                    base(y),
                    label,
                    true,
                    Anchor::Start,
                );
                text(
                    &mut body_items,
                    eff_x,
                    base(y),
                    l.not_estimable,
                    false,
                    Anchor::Start,
                );
                infos.push(RowInfo {
                    kind: RowKind::Text,
                    label: format!("{label}: {reason}"),
                    y: y + ROW / 2.0,
                    effect_text: Some(l.not_estimable.into()),
                    weight_text: None,
                    marker: None,
                });
                y += ROW;
            }
            Row::Text(t) => {
                text(&mut body_items, MARGIN, base(y), t, false, Anchor::Start);
                footer_w = footer_w.max(text_width(t, FONT, false));
                infos.push(RowInfo {
                    kind: RowKind::Text,
                    label: t.clone(),
                    y: y + ROW / 2.0,
                    effect_text: None,
                    weight_text: None,
                    marker: None,
                });
                y += ROW;
            }
            Row::Blank => y += ROW / 2.0,
        }
    }
    if let Some(s) = seg_start.take() {
        plot_segments.push((s, y));
    }
    // Background: threshold shading, then null and threshold lines over the plot rows.
    let mut back: Vec<Item> = Vec::new();
    let null_x = scale.px(0.0);
    let thresholds: Vec<f64> = match opts.threshold {
        Some(t) => {
            let at = a(t);
            if opts.threshold_both {
                vec![at, -at]
            } else {
                vec![at]
            }
        }
        None => vec![],
    };
    for &(y0, y1) in &plot_segments {
        for &t in &thresholds {
            let tx = scale.px(t);
            if opts.shade_threshold {
                let (xa, xb) = (tx.min(null_x).max(plot_x0), tx.max(null_x).min(plot_x1));
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
    }
    let y_axis = y + 4.0;
    let top = plot_segments.first().map(|s| s.0).unwrap_or(y_axis);
    // Vertical lines run from the first plotted row to the axis, unless a text row reaches
    // into the plot area: then they are drawn only over the plotted rows.
    let spans: Vec<(f64, f64)> = if MARGIN + footer_w < plot_x0 - 4.0 {
        vec![(top, y_axis)]
    } else {
        plot_segments.clone()
    };
    for &(y0, y1) in &spans {
        if (plot_x0..=plot_x1).contains(&null_x) {
            back.push(Item::Line {
                x1: null_x,
                y1: y0,
                x2: null_x,
                y2: y1,
                stroke: INK,
                width: 0.8,
                dash: None,
            });
        }
        for &t in &thresholds {
            let tx = scale.px(t);
            if (plot_x0..=plot_x1).contains(&tx) {
                back.push(Item::Line {
                    x1: tx,
                    y1: y0,
                    x2: tx,
                    y2: y1,
                    stroke: THRESHOLD,
                    width: 1.2,
                    dash: Some("5,3"),
                });
            }
        }
    }
    items.extend(back);
    items.extend(body_items);

    // ---- Axis ----------------------------------------------------------------------------
    items.push(Item::Line {
        x1: plot_x0,
        y1: y_axis,
        x2: plot_x1,
        y2: y_axis,
        stroke: INK,
        width: 0.8,
        dash: None,
    });
    for &t in &ticks {
        let tx = scale.px(a(t));
        items.push(Item::Line {
            x1: tx,
            y1: y_axis,
            x2: tx,
            y2: y_axis + 4.0,
            stroke: INK,
            width: 0.8,
            dash: None,
        });
        text(
            &mut items,
            tx,
            y_axis + 15.0,
            &tick_label(lang, t),
            false,
            Anchor::Middle,
        );
    }
    // Which side favours the treatment: the side of benefit (lower values by default, as
    // for harms and symptoms; higher when benefit is higher, e.g. responders).
    let (left_default, right_default) = if opts.benefit_higher {
        (l.control, l.treatment)
    } else {
        (l.treatment, l.control)
    };
    let fl = opts
        .favours_left
        .clone()
        .unwrap_or_else(|| format!("{} {}", l.favours, left_default.to_lowercase()));
    let fr = opts
        .favours_right
        .clone()
        .unwrap_or_else(|| format!("{} {}", l.favours, right_default.to_lowercase()));
    let (fl, fr) = (
        super::font::clip(&fl, MAX_FAVOURS_W, FONT, false),
        super::font::clip(&fr, MAX_FAVOURS_W, FONT, false),
    );
    let fy = y_axis + 30.0;
    text(
        &mut items,
        null_x.clamp(plot_x0, plot_x1) - 6.0,
        fy,
        &fl,
        false,
        Anchor::End,
    );
    text(
        &mut items,
        null_x.clamp(plot_x0, plot_x1) + 6.0,
        fy,
        &fr,
        false,
        Anchor::Start,
    );
    let fav_left_w = text_width(&fl, FONT, false);
    let fav_right_w = text_width(&fr, FONT, false);
    let mut legend_y = fy;
    if let Some(t) = opts.threshold {
        legend_y += ROW;
        let label = match lang {
            Lang::En => format!(
                "- - - minimal important difference ({})",
                tick_label(lang, t)
            ),
            Lang::Nl => format!(
                "- - - klinische relevantiedrempel ({})",
                tick_label(lang, t)
            ),
            Lang::Fr => format!(
                "- - - seuil de pertinence clinique ({})",
                tick_label(lang, t)
            ),
        };
        items.push(Item::Text {
            x: plot_x0,
            y: legend_y,
            text: label,
            size: FONT,
            bold: false,
            anchor: Anchor::Start,
            fill: THRESHOLD,
        });
    }
    let left_need = null_x.clamp(plot_x0, plot_x1) - 6.0 - fav_left_w;
    let shift = if left_need < MARGIN {
        MARGIN - left_need
    } else {
        0.0
    };
    let width = (content_right
        .max(null_x + 6.0 + fav_right_w)
        .max(MARGIN + footer_w)
        .max(MARGIN + title_w)
        + MARGIN
        + shift)
        .ceil();
    let height = (legend_y + MARGIN).ceil();
    if shift > 0.0 {
        for it in &mut items {
            shift_item(it, shift);
        }
        for r in &mut infos {
            if let Some(mk) = &mut r.marker {
                mk.x += shift;
                mk.ci.0 += shift;
                mk.ci.1 += shift;
            }
        }
    }
    ForestLayout {
        width,
        height,
        items,
        x_range: (xlo, xhi),
        ticks,
        rows: infos,
        plot_x: (plot_x0 + shift, plot_x1 + shift),
    }
}

fn method_code(m: CommonMethod) -> &'static str {
    match m {
        CommonMethod::IV => "IV",
        CommonMethod::MH => "MH",
        CommonMethod::Peto => "Peto",
    }
}

fn shift_item(it: &mut Item, dx: f64) {
    match it {
        Item::Text { x, .. } | Item::Rect { x, .. } => *x += dx,
        Item::Line { x1, x2, .. } => {
            *x1 += dx;
            *x2 += dx;
        }
        Item::Polygon { points, .. } => points.iter_mut().for_each(|p| p.0 += dx),
        Item::Circle { cx, .. } => *cx += dx,
    }
}

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

/// The groups of a forest plot: the studies by subgroup (in order of first appearance), each
/// subgroup pooled with `pool_group` when the studies have subgroups, and the test for
/// subgroup differences between the subgroups' results. Returns the groups, whether there
/// are subgroups, and the test.
pub fn group_studies(
    studies: &[Study],
    pool_group: impl Fn(&[Study]) -> Result<Pooled, String>,
) -> (Vec<GroupInput>, bool, Option<SubgroupTest>) {
    let has_subgroups = studies.iter().any(|s| s.subgroup.is_some());
    let mut groups = Vec::new();
    for (name, members) in crate::pool::subgroups::split(studies) {
        let indices = studies
            .iter()
            .enumerate()
            .filter(|(_, s)| s.subgroup == name)
            .map(|(i, _)| i)
            .collect();
        let pooled = if has_subgroups {
            pool_group(&members)
        } else {
            Ok(Pooled::default())
        };
        groups.push(GroupInput {
            name,
            indices,
            pooled,
        });
    }
    let test = if has_subgroups {
        let est: Vec<(f64, f64)> = groups
            .iter()
            .filter_map(|g| {
                g.pooled
                    .as_ref()
                    .ok()
                    .and_then(|p| p.primary())
                    .map(|r| (r.estimate, r.se))
            })
            .filter(|(_, se)| *se > 0.0)
            .collect();
        crate::pool::subgroups::difference_test(&est)
    } else {
        None
    };
    (groups, has_subgroups, test)
}
