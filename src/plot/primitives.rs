//! The drawing primitives every figure is laid out in: text, lines, rectangles, polygons and
//! circles in px on a canvas (y grows downwards), and [`Figure`], a canvas of them. The
//! layouts produce these; [`super::svg`] writes them out and knows nothing else.

use super::font::{clip, text_width};

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
    let text = clip(text, MAX_TITLE_W, 14.0, true);
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
}

/// A laid-out canvas: its size and its primitives in paint order. [`super::svg::to_svg`]
/// writes any of them.
pub trait Canvas {
    /// Canvas width, px.
    fn width(&self) -> f64;
    /// Canvas height, px.
    fn height(&self) -> f64;
    /// Drawing primitives in paint order.
    fn items(&self) -> &[Item];
}

impl Canvas for Figure {
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

impl Item {
    /// Moves the primitive `dx` px to the right.
    pub(crate) fn shift_x(&mut self, dx: f64) {
        match self {
            Item::Text { x, .. } | Item::Rect { x, .. } => *x += dx,
            Item::Line { x1, x2, .. } => {
                *x1 += dx;
                *x2 += dx;
            }
            Item::Polygon { points, .. } => points.iter_mut().for_each(|p| p.0 += dx),
            Item::Circle { cx, .. } => *cx += dx,
        }
    }
}
