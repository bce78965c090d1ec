//! The bundled font (DejaVu Sans, Bitstream Vera licence: see `font/LICENSE-DejaVu.txt`)
//! and text measurement from its glyph advances.

use std::sync::OnceLock;

/// DejaVu Sans, regular.
pub const REGULAR: &[u8] = include_bytes!("font/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub const BOLD: &[u8] = include_bytes!("font/DejaVuSans-Bold.ttf");
/// The family name used in the SVG.
pub const FAMILY: &str = "DejaVu Sans";

fn face(bold: bool) -> &'static ttf_parser::Face<'static> {
    static R: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    static B: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    let (cell, bytes) = if bold { (&B, BOLD) } else { (&R, REGULAR) };
    cell.get_or_init(|| ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses"))
}

/// Width in px of `text` set in DejaVu Sans at `size` px.
///
/// # Examples
/// ```
/// let w = repool::plot::font::text_width("Study", 11.0, false);
/// assert!(w > 20.0 && w < 40.0);
/// ```
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let f = face(bold);
    let upem = f64::from(f.units_per_em());
    let units: f64 = text
        .chars()
        .map(|c| {
            f.glyph_index(c)
                .and_then(|g| f.glyph_hor_advance(g))
                .map(f64::from)
                .unwrap_or(0.6 * upem)
        })
        .sum();
    units * size / upem
}
