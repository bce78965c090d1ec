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
    text.chars().map(|c| char_width(c, size, bold)).sum()
}

fn char_width(c: char, size: f64, bold: bool) -> f64 {
    let (units, upem) = match ascii_advances(bold).get(c as usize) {
        Some(&units) => (units, face(bold).units_per_em()),
        None => (advance(c, bold), face(bold).units_per_em()),
    };
    units * size / f64::from(upem)
}

/// The advance of `c` in font units (0.6 em for a character the font lacks).
fn advance(c: char, bold: bool) -> f64 {
    let f = face(bold);
    f.glyph_index(c)
        .and_then(|g| f.glyph_hor_advance(g))
        .map(f64::from)
        .unwrap_or(0.6 * f64::from(f.units_per_em()))
}

/// The advances of the ASCII characters, looked up once.
fn ascii_advances(bold: bool) -> &'static [f64; 128] {
    static R: OnceLock<[f64; 128]> = OnceLock::new();
    static B: OnceLock<[f64; 128]> = OnceLock::new();
    let cell = if bold { &B } else { &R };
    cell.get_or_init(|| std::array::from_fn(|i| advance(char::from(i as u8), bold)))
}

/// `text` cut to at most `max` px at `size`, ending in "…" when cut, so that a label of any
/// length (a study, treatment or moderator name, a title) takes a bounded place in a figure:
/// a figure as wide as a label of 65,536 characters would need gigabytes to render.
///
/// # Examples
/// ```
/// use repool::plot::font::{clip, text_width};
/// assert_eq!(clip("Study", 100.0, 11.0, false), "Study");
/// let long = "x".repeat(10_000);
/// let c = clip(&long, 100.0, 11.0, false);
/// assert!(c.ends_with('…') && text_width(&c, 11.0, false) <= 100.0);
/// ```
pub fn clip(text: &str, max: f64, size: f64, bold: bool) -> String {
    if text_width(text, size, bold) <= max {
        return text.to_string();
    }
    let budget = max - char_width('…', size, bold);
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = char_width(c, size, bold);
        if w + cw > budget {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}
