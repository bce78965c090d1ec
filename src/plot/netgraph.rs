//! The network graph of a network meta-analysis, as netmeta's `netgraph()`: treatments on a
//! circle, an edge for every pair compared directly with its width growing with the number of
//! studies (the count printed on it), and node areas proportional to the participants (or,
//! for contrast data, the studies) of each treatment.
//!
//! # References
//! - Rücker G, Schwarzer G (2016). Automated drawing of network plots in network
//!   meta-analysis. Res Synth Methods 7:94–107.
//! - Chaimani A, Higgins JPT, Mavridis D, Spyridonos P, Salanti G (2013). Graphical tools for
//!   network meta-analysis in STATA. PLoS One 8:e76654.

use super::font::text_width;
use super::primitives::{Anchor, Figure, Item};
use crate::format::Lang;
use crate::i18n::{fill, text};

/// What the graph shows.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphInput {
    /// Treatment names.
    pub treatments: Vec<String>,
    /// Size of each node (participants or studies).
    pub sizes: Vec<f64>,
    /// What the size counts, for the legend (`netgraph.participants`, `netgraph.studies` of
    /// the catalogue in [`GraphInput::lang`]).
    pub size_label: String,
    /// Direct comparisons: (treatment a, treatment b, number of studies).
    pub edges: Vec<(usize, usize, usize)>,
    /// Title above the graph.
    pub title: Option<String>,
    /// Language of the legend.
    pub lang: Lang,
}

const SIZE: f64 = 11.0;
const R: f64 = 150.0;

/// Lays out the graph.
pub fn graph_layout(input: &GraphInput) -> Figure {
    let clipped = GraphInput {
        treatments: input
            .treatments
            .iter()
            .map(|t| super::font::clip(t, MAX_NAME_W, SIZE, false))
            .collect(),
        ..input.clone()
    };
    layout_clipped(&clipped)
}

/// Widest treatment name, px (longer ones end in "…").
const MAX_NAME_W: f64 = 200.0;

/// The legend under the graph: what the node areas and the edges show.
fn legend(lang: Lang, size: &str) -> String {
    fill(lang, "netgraph.legend", &[("size", size)])
}

fn layout_clipped(input: &GraphInput) -> Figure {
    let label_w = input
        .treatments
        .iter()
        .map(|t| text_width(t, SIZE, false))
        .fold(0.0, f64::max);
    let margin = label_w + 40.0;
    let top = if input.title.is_some() { 28.0 } else { 8.0 };
    let ring = Ring {
        n: input.treatments.len().max(1),
        cx: margin + R,
        cy: top + 24.0 + R,
    };
    let mut items = Vec::new();
    edges(input, &ring, &mut items);
    nodes(input, &ring, &mut items);
    let bottom = ring.cy + R + 58.0;
    items.push(Item::Text {
        x: 12.0,
        y: bottom,
        text: legend(input.lang, &input.size_label),
        size: 10.0,
        bold: false,
        anchor: Anchor::Start,
        fill: "#555555",
    });
    let widest = legend(input.lang, text(input.lang, "netgraph.participants"));
    let width = (2.0 * (margin + R)).max(12.0 + text_width(&widest, 10.0, false) + 12.0);
    Figure::titled(items, width, bottom + 12.0, input.title.as_deref())
}

/// `n` places on a circle of radius [`R`] around `(cx, cy)`, the first at the top.
struct Ring {
    n: usize,
    cx: f64,
    cy: f64,
}

impl Ring {
    /// The angle of place `i`, clockwise from the top.
    fn angle(&self, i: usize) -> f64 {
        -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / self.n as f64
    }

    /// The position of place `i`, px.
    fn pos(&self, i: usize) -> (f64, f64) {
        let a = self.angle(i);
        (self.cx + R * a.cos(), self.cy + R * a.sin())
    }
}

/// The edges, as wide as the square root of their number of studies, then those numbers at
/// 40 % along each edge, so that counts of crossing edges do not meet at the centre.
fn edges(input: &GraphInput, ring: &Ring, items: &mut Vec<Item>) {
    let max_k = input.edges.iter().map(|e| e.2).max().unwrap_or(1) as f64;
    for &(a, b, k) in &input.edges {
        let ((x1, y1), (x2, y2)) = (ring.pos(a), ring.pos(b));
        items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            stroke: "#7a8aa6",
            width: 1.0 + 7.0 * (k as f64 / max_k).sqrt(),
            dash: None,
        });
    }
    for &(a, b, k) in &input.edges {
        let ((x1, y1), (x2, y2)) = (ring.pos(a), ring.pos(b));
        let (x, y) = (x1 + 0.4 * (x2 - x1), y1 + 0.4 * (y2 - y1));
        let w = text_width(&k.to_string(), 9.0, true) + 6.0;
        items.push(Item::Rect {
            x: x - w / 2.0,
            y: y - 7.0,
            w,
            h: 13.0,
            fill: "#ffffff",
        });
        items.push(Item::Text {
            x,
            y: y + 3.5,
            text: k.to_string(),
            size: 9.0,
            bold: true,
            anchor: Anchor::Middle,
            fill: "#1b1f24",
        });
    }
}

/// The treatments as circles of area proportional to their size, each name outside its
/// circle.
fn nodes(input: &GraphInput, ring: &Ring, items: &mut Vec<Item>) {
    let max_size = input.sizes.iter().cloned().fold(0.0, f64::max).max(1e-300);
    for (i, t) in input.treatments.iter().enumerate() {
        let (x, y) = ring.pos(i);
        let r = 5.0 + 13.0 * (input.sizes.get(i).copied().unwrap_or(0.0) / max_size).sqrt();
        items.push(Item::Circle {
            cx: x,
            cy: y,
            r,
            fill: "#1f3b73",
            stroke: "#ffffff",
        });
        let (c, s) = (ring.angle(i).cos(), ring.angle(i).sin());
        let anchor = if c > 0.3 {
            Anchor::Start
        } else if c < -0.3 {
            Anchor::End
        } else {
            Anchor::Middle
        };
        let dy = if s > 0.3 {
            9.0
        } else if s < -0.3 {
            -2.0
        } else {
            4.0
        };
        let d = r + 6.0;
        items.push(Item::Text {
            x: x + d * c,
            y: y + d * s + dy,
            text: t.clone(),
            size: SIZE,
            bold: false,
            anchor,
            fill: "#000000",
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_on_a_circle_with_labels_outside() {
        let f = graph_layout(&GraphInput {
            treatments: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            sizes: vec![100.0, 400.0, 50.0, 25.0],
            size_label: "participants".into(),
            lang: Lang::En,
            edges: vec![(0, 1, 3), (1, 2, 1), (0, 2, 2), (2, 3, 1)],
            title: None,
        });
        let circles: Vec<(f64, f64, f64)> = f
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Circle { cx, cy, r, .. } => Some((*cx, *cy, *r)),
                _ => None,
            })
            .collect();
        assert_eq!(circles.len(), 4);
        // Largest node for the most participants.
        assert!(circles[1].2 > circles[0].2 && circles[0].2 > circles[3].2);
        let lines = f
            .items
            .iter()
            .filter(|i| matches!(i, Item::Line { .. }))
            .count();
        assert_eq!(lines, 4);
        assert!(f.to_svg().starts_with("<svg"));
    }
}
