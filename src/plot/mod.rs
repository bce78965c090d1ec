//! Forest plots: [`layout`] computes every position, size and string (pure), [`svg`]
//! writes the layout as SVG, and [`render`] turns that SVG into PNG (resvg) or PDF
//! (svg2pdf) with the bundled DejaVu Sans font, so output is the same on every machine.

pub mod baujat;
pub mod bubble;
pub mod font;
pub mod funnel;
pub mod labels;
pub mod layout;
pub mod netgraph;
pub mod render;
pub mod rows;
pub mod svg;

pub use layout::{forest_layout, ForestInput, ForestLayout, ForestOptions, GroupInput, Pooled};
