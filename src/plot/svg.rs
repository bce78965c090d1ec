//! Writing laid-out primitives as SVG text. Byte-for-byte stable: the same layout always
//! gives the same text (numbers rounded to 0.01 px). Knows only [`super::primitives`].

use std::fmt::Write;

use super::font::FAMILY;
use super::primitives::{Anchor, Canvas, Figure, Item};

use crate::format::escape as esc;

/// `x` with at most two decimals, without trailing zeros: `format!("{x:.2}")` trimmed, and
/// "-0" as "0".
fn n(x: f64) -> String {
    let hundredths = x * 100.0;
    // Rounding the hundredths gives the digits `{:.2}` gives (the nearest, from the exact
    // binary value) unless the value is within a hair of halfway between two of them.
    let nearest = hundredths.round();
    if !(nearest.abs() < 1e15) || ((hundredths - hundredths.trunc()).abs() - 0.5).abs() < 1e-6 {
        let s = format!("{x:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        return if s == "-0" { "0".into() } else { s.into() };
    }
    let h = nearest as i64;
    let (whole, part) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    let sign = if h < 0 { "-" } else { "" };
    match (part % 10, part) {
        (_, 0) => format!("{sign}{whole}"),
        (0, _) => format!("{sign}{whole}.{}", part / 10),
        _ => format!("{sign}{whole}.{part:02}"),
    }
}

/// The SVG document of a layout (a forest plot's [`super::ForestLayout`], a funnel plot's
/// layout, a [`Figure`]).
pub fn to_svg<C: Canvas + ?Sized>(layout: &C) -> String {
    items_to_svg(layout.width(), layout.height(), layout.items())
}

impl Figure {
    /// The figure as SVG text.
    pub fn to_svg(&self) -> String {
        to_svg(self)
    }
}

/// The SVG document of drawing primitives on a `width` × `height` canvas.
pub fn items_to_svg(width: f64, height: f64, items: &[Item]) -> String {
    let mut s = String::with_capacity(64 * items.len() + 512);
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FAMILY}, Verdana, sans-serif">"#,
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
        n(width),
        n(height)
    );
    for it in items {
        write_item(&mut s, it);
    }
    s.push_str("</svg>\n");
    s
}

/// Writes one primitive as an SVG element on its own line.
fn write_item(s: &mut String, it: &Item) {
    match it {
        Item::Text {
            x,
            y,
            text,
            size,
            bold,
            anchor,
            fill,
        } => {
            let anchor = match anchor {
                Anchor::Start => "",
                Anchor::Middle => r#" text-anchor="middle""#,
                Anchor::End => r#" text-anchor="end""#,
            };
            let weight = if *bold { r#" font-weight="bold""# } else { "" };
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" font-size="{}"{weight}{anchor} fill="{fill}">{}</text>"#,
                n(*x),
                n(*y),
                n(*size),
                esc(text)
            );
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            stroke,
            width,
            dash,
        } => {
            let dash = dash
                .map(|d| format!(r#" stroke-dasharray="{d}""#))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="{}"{dash}/>"#,
                n(*x1),
                n(*y1),
                n(*x2),
                n(*y2),
                n(*width)
            );
        }
        Item::Rect { x, y, w, h, fill } => {
            let _ = writeln!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
                n(*x),
                n(*y),
                n(*w),
                n(*h)
            );
        }
        Item::Polygon {
            points,
            fill,
            stroke,
        } => {
            let pts: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
                .collect();
            let _ = writeln!(
                s,
                r#"<polygon points="{}" fill="{fill}" stroke="{stroke}" stroke-width="1"/>"#,
                pts.join(" ")
            );
        }
        Item::Circle {
            cx,
            cy,
            r,
            fill,
            stroke,
        } => {
            let _ = writeln!(
                s,
                r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{stroke}" stroke-width="1"/>"#,
                n(*cx),
                n(*cy),
                n(*r)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::n;

    /// The shortcut gives what `format!` gives, halfway cases included.
    #[test]
    fn numbers_are_written_as_format_writes_them() {
        let slow = |x: f64| {
            let s = format!("{x:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".to_string()
            } else {
                s.to_string()
            }
        };
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut values = vec![
            0.0, -0.0, 0.005, -0.005, 0.125, 2.675, 1.005, -1.5, 1e20, -3e-9,
        ];
        values.extend([f64::NAN, f64::INFINITY, 1234.565, 99.995, -0.004, 0.015]);
        for i in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x >> 11) as f64 / (1u64 << 53) as f64;
            values.push(match i % 4 {
                0 => v * 2000.0 - 1000.0,
                1 => (v * 200_000.0).round() / 1000.0 - 100.0,
                2 => (v * 20_000.0).round() / 200.0,
                _ => v * 1e7,
            });
        }
        for v in values {
            assert_eq!(n(v), slow(v), "{v:e}");
        }
    }
}
