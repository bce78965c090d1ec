//! The forest plot as numbers: rows, columns, x-range and ticks, marker sizes, every
//! string and every position. Pure computation; [`super::svg`] only writes it out.
//!
//! The layout follows RevMan 5: study label and arm data on the left, then the weight,
//! the plot, and the effect with its CI as text on the right; pooled results as diamonds
//! (common and/or random effects), the prediction interval as a bar, totals rows, and the
//! heterogeneity and overall-effect lines under each pool. Squares have an area
//! proportional to the study's weight. CIs beyond the axis end in arrows.
//!
//! [`forest_layout`] works in steps, one module each:
//! 1. `text`: the plot's shared state (`Forest`: language, labels, measure, the
//!    pool whose weights are shown) and every string it writes;
//! 2. `rows`: the rows from top to bottom (subgroup headings, studies, pooled results,
//!    prediction intervals, text lines);
//! 3. `columns`: the width of every text column, and where the plot and the effect column go;
//! 4. `header`: the title and the two header lines;
//! 5. `body`: every row drawn on the axis' scale (the axis range from [`super::axis`]);
//! 6. `footer`: the null and threshold lines behind the rows, the axis, the "Favours" labels,
//!    the threshold legend, and the canvas size.

mod body;
mod columns;
mod footer;
mod header;
mod rows;
mod text;

use super::primitives::Canvas;
use crate::format::Lang;
use crate::pool::subgroups::{SubgroupTest, Subgroups};
use crate::pool::PooledEstimate;
use crate::{Measure, Study};

pub use super::primitives::{Anchor, Figure, Item};

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

impl ForestOptions {
    /// The plain picture in `lang`: no title, threshold or axis limits, the default labels,
    /// benefit to the left.
    pub fn new(lang: Lang) -> ForestOptions {
        ForestOptions {
            lang,
            title: None,
            threshold: None,
            threshold_both: false,
            shade_threshold: false,
            xlim: None,
            favours_left: None,
            favours_right: None,
            benefit_higher: false,
        }
    }
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
    /// Effect text on the right (e.g. "0.49 [0.34; 0.70]").
    pub effect_text: Option<String>,
    /// Weight text.
    pub weight_text: Option<String>,
    /// Marker.
    pub marker: Option<Marker>,
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

impl Canvas for ForestLayout {
    fn width(&self) -> f64 {
        self.width
    }
    fn height(&self) -> f64 {
        self.height
    }
    fn items(&self) -> &[Item] {
        &self.items
    }
}

/// Font size of every text but the title, px.
const FONT: f64 = 11.0;
/// Height of a row (one line of text), px.
const ROW: f64 = 17.0;
/// Margin around the figure, px.
const MARGIN: f64 = 16.0;
/// Gap between columns, px.
const GAP: f64 = 14.0;
/// Width of the plot column, px.
const PLOT_W: f64 = 260.0;
/// Widest label of a row, px (longer ones wrap).
const MAX_LABEL_W: f64 = 230.0;
/// Widest "Favours …" label under the axis, px.
const MAX_FAVOURS_W: f64 = 400.0;
const INK: &str = "#000000";
const SQUARE: &str = "#1f3b73";
const GRID: &str = "#555555";
const THRESHOLD: &str = "#b35806";
const SHADE: &str = "#eeeeee";

/// Text in the plot's font and ink.
fn text_item(x: f64, y: f64, s: &str, bold: bool, anchor: Anchor) -> Item {
    Item::Text {
        x,
        y,
        text: s.to_string(),
        size: FONT,
        bold,
        anchor,
        fill: INK,
    }
}

/// Computes the forest plot.
pub fn forest_layout(input: &ForestInput, opts: &ForestOptions) -> ForestLayout {
    let f = text::Forest::new(input, opts);
    let rows = rows::plan(&f);
    let geometry = columns::Geometry::measure(&f, &rows);
    let axis = footer::Axis::new(&f, &geometry);
    let header = header::draw(&f, &geometry);
    let body = body::draw(&f, &geometry, &axis.scale, &rows, header.y);
    footer::finish(&f, &geometry, axis, header, body)
}

impl<'a> ForestInput<'a> {
    /// The plot's input from the overall pool and, when the studies have subgroups, the
    /// subgroups' pools and test ([`crate::pool::subgroups::pool_each_if_any`]); without
    /// subgroups, one group of all studies.
    pub fn new(
        studies: &'a [Study],
        measure: Measure,
        overall: Pooled,
        subgroups: Option<Subgroups<Pooled, String>>,
    ) -> ForestInput<'a> {
        let (groups, has_subgroups, subgroup_test) = match subgroups {
            Some(s) => {
                let groups = s
                    .subgroups
                    .into_iter()
                    .map(|g| GroupInput {
                        name: g.subgroup,
                        indices: g.indices,
                        pooled: g.result,
                    })
                    .collect();
                (groups, true, s.test)
            }
            None => {
                // The single group of `subgroups::split`: none without studies.
                let all = (!studies.is_empty()).then(|| GroupInput {
                    name: None,
                    indices: (0..studies.len()).collect(),
                    pooled: Ok(Pooled::default()),
                });
                (all.into_iter().collect(), false, None)
            }
        };
        ForestInput {
            studies,
            measure,
            groups,
            has_subgroups,
            overall,
            subgroup_test,
        }
    }
}
