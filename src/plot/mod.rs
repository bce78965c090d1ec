//! Figures: each layout module ([`layout`] for the forest plot, [`funnel`], [`bubble`],
//! [`rows`], [`baujat`], [`netgraph`]) computes every position, size and string as
//! [`primitives`] (pure, no statistics of its own); [`svg`] writes the primitives as SVG, and
//! [`render`] turns that SVG into PNG (resvg) or PDF (svg2pdf) with the bundled DejaVu Sans
//! font, so output is the same on every machine. For the PNG, `svg_text` takes the text, the
//! plain circles and lines out of the SVG; `glyphs` draws the text from a cache of glyph
//! masks, `stamps` the circles and `lines` the lines.
//!
//! Dependencies point one way: the layouts use [`axis`], [`labels`], [`font`] and
//! [`primitives`]; [`svg`] uses only [`primitives`] and [`font`].

pub mod axis;
pub mod baujat;
pub mod bubble;
mod deflate;
pub mod font;
pub mod funnel;
mod glyphs;
pub mod labels;
pub mod layout;
mod lines;
pub mod netgraph;
mod parts;
pub mod primitives;
pub mod render;
pub mod rows;
mod stamps;
pub mod svg;
mod svg_text;

pub use layout::{forest_layout, ForestInput, ForestLayout, ForestOptions, GroupInput, Pooled};
pub use primitives::{Anchor, Canvas, Figure, Item};
