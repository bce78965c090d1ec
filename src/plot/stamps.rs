//! Marks (circles, [`Mark`]) drawn from stamps: each distinct circle is outlined once, as
//! resvg outlines it (usvg's path, its stroke stroked by tiny-skia), and filled into a small
//! image at each quarter-pixel position it takes; every mark is blended from its image. A
//! funnel plot of 200 studies has 200 equal points, which resvg would otherwise stroke and
//! fill one by one, in every strip they touch. Only with the `render` feature.
#![cfg(feature = "render")]

use std::collections::HashMap;

use resvg::{tiny_skia, usvg};

use super::parts::in_parts;
use super::svg_text::Mark;

/// Positions of a stamp per pixel, across and down: a mark lands at most an eighth of a pixel
/// from its place, as a glyph does ([`super::glyphs`]). A filled circle then differs from
/// resvg's only at its edge; a stroke a little more, as tiny-skia's outline of a stroke
/// depends on where it lies.
const STEPS: f64 = 4.0;

/// Most bytes the stamps of one figure may take, and most stamps: beyond either,
/// [`Stamps::new`] gives `None` and the figure is drawn by resvg whole (circles that many
/// and that different gain nothing from stamps).
const MAX_STAMP_BYTES: usize = 32 << 20;
const MAX_STAMPS: usize = 4096;

/// Most device pixels a mark may reach from its centre to be drawn from a stamp: larger
/// circles are few, and cheaper drawn where they are.
pub(super) const MAX_EXTENT_PX: f32 = 64.0;

/// One circle at one quarter-pixel position, as resvg draws it on a transparent image.
struct Stamp {
    /// Width and height: twice the pixels from the image's corner to the pixel the circle's
    /// centre falls in, and one.
    side: usize,
    /// Premultiplied RGBA, row after row.
    rgba: Vec<u8>,
}

/// What makes two stamps the same: the circle (radius and paint, as bits) and where its centre
/// falls within a pixel, in quarters.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    r: u32,
    fill: Option<[u8; 3]>,
    stroke: Option<([u8; 3], u32)>,
    quarter: (u8, u8),
}

/// The stamps of a figure's marks, and where each mark goes.
pub(super) struct Stamps {
    images: Vec<Stamp>,
    /// For each mark, in order: its stamp and the figure's pixel (device px) of the stamp's
    /// top-left corner; `None` for a mark wholly off the canvas.
    placed: Vec<Option<(usize, i64, i64)>>,
}

impl Stamps {
    /// The stamps of `marks` at `scale` device px per SVG px on a `canvas` of device px,
    /// drawn on up to `threads` threads, or `None` when they would be more than
    /// [`MAX_STAMPS`] or take more than [`MAX_STAMP_BYTES`], or one cannot be drawn.
    pub fn new(marks: &[Mark], scale: f32, canvas: (f32, f32), threads: usize) -> Option<Stamps> {
        let (mut keys, mut index) = (Vec::new(), HashMap::new());
        let (mut bytes, mut placed) = (0usize, Vec::with_capacity(marks.len()));
        for mark in marks {
            let margin = (f64::from(mark.extent()) * f64::from(scale)).ceil() as usize + 1;
            let side = 2 * margin + 1;
            let (x, qx) = pixel(mark.cx, scale);
            let (y, qy) = pixel(mark.cy, scale);
            let (left, up) = (x - margin as f64, y - margin as f64);
            let off = left >= f64::from(canvas.0)
                || up >= f64::from(canvas.1)
                || left + (side as f64) <= 0.0
                || up + (side as f64) <= 0.0;
            if off {
                placed.push(None);
                continue;
            }
            let key = Key {
                r: mark.r.to_bits(),
                fill: mark.fill,
                stroke: mark.stroke.map(|(rgb, w)| (rgb, w.to_bits())),
                quarter: (qx, qy),
            };
            let n = *index.entry(key).or_insert_with(|| {
                keys.push((key, *mark, margin));
                bytes += side * side * 4;
                keys.len() - 1
            });
            if bytes > MAX_STAMP_BYTES || keys.len() > MAX_STAMPS {
                return None;
            }
            placed.push(Some((n, left as i64, up as i64)));
        }
        let images = draw_stamps(&keys, scale, threads)?;
        Some(Stamps { images, placed })
    }

    /// Blends mark `i` into opaque premultiplied RGBA rows `width` px wide whose first row is
    /// row `top` of the figure, as tiny-skia's source-over does.
    pub fn draw(&self, i: usize, rgba: &mut [u8], width: usize, top: u32) {
        let Some((n, left, up)) = self.placed[i] else {
            return;
        };
        let stamp = &self.images[n];
        let rows = (rgba.len() / (4 * width.max(1))) as i64;
        let (first, after) = (up - i64::from(top), up - i64::from(top) + stamp.side as i64);
        if after <= 0 || first >= rows {
            return;
        }
        let columns = left.max(0)..(left + stamp.side as i64).min(width as i64);
        if columns.is_empty() {
            return;
        }
        let skip = (columns.start - left) as usize * 4;
        for (sy, src) in stamp.rgba.chunks_exact(stamp.side * 4).enumerate() {
            let y = up + sy as i64 - i64::from(top);
            if !(0..rows).contains(&y) {
                continue;
            }
            let at = (y as usize * width + columns.start as usize) * 4;
            let dst = &mut rgba[at..at + columns.clone().count() * 4];
            let src = &src[skip..skip + dst.len()];
            for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                source_over(d, s);
            }
        }
    }
}

/// The stamps of `keys` (each with a mark it is drawn from and its margin), in order, drawn
/// on up to `threads` threads. Each circle is outlined (and its stroke stroked) once per
/// thread, and filled at each position.
fn draw_stamps(keys: &[(Key, Mark, usize)], scale: f32, threads: usize) -> Option<Vec<Stamp>> {
    in_parts(keys, threads, 4, |part| {
        let options = usvg::Options::default();
        let mut made: HashMap<Key, Option<Outlines>> = HashMap::new();
        part.iter()
            .map(|(key, mark, margin)| {
                let style = Key {
                    quarter: (0, 0),
                    ..*key
                };
                let outlines = made
                    .entry(style)
                    .or_insert_with(|| outlines(mark, scale, &options));
                match outlines {
                    Some(o) => filled(o, key.quarter, *margin, scale),
                    None => stamp(mark, key.quarter, *margin, scale, &options),
                }
            })
            .collect()
    })
}

/// A circle as resvg fills it: the outline of its fill and of its stroke (stroked at the
/// resolution of the figure's scale), each with its paint, in the order they are painted.
struct Outlines {
    fill: Option<(tiny_skia::Path, tiny_skia::Paint<'static>)>,
    stroke: Option<(tiny_skia::Path, tiny_skia::Paint<'static>)>,
}

/// `mark`'s outlines at `scale`, as resvg and tiny-skia make them when they draw it: usvg's
/// path of the circle, filled with the winding rule; its stroke stroked with tiny-skia at a
/// resolution of `scale` and filled. `None` where resvg draws otherwise: a stroke a device
/// pixel wide or less (which tiny-skia draws as a hairline), or anything but plain paint.
fn outlines(mark: &Mark, scale: f32, options: &usvg::Options) -> Option<Outlines> {
    if mark.stroke.is_some_and(|(_, w)| w * scale <= 1.0) {
        return None;
    }
    let tree = usvg::Tree::from_str(&circle_svg(mark, (0.0, 0.0), 1.0), options).ok()?;
    let [usvg::Node::Path(path)] = tree.root().children() else {
        return None;
    };
    if !path.is_visible() || path.paint_order() != usvg::PaintOrder::FillAndStroke {
        return None;
    }
    let paint = |p: &usvg::Paint| match p {
        usvg::Paint::Color(c) => {
            let mut paint = tiny_skia::Paint::default();
            paint.set_color_rgba8(c.red, c.green, c.blue, 255);
            paint.anti_alias = path.rendering_mode().use_shape_antialiasing();
            Some(paint)
        }
        _ => None,
    };
    let data = path.data();
    let fill = match path.fill() {
        Some(f) if f.rule() == usvg::FillRule::NonZero => {
            let empty = data.bounds().width() == 0.0 || data.bounds().height() == 0.0;
            (!empty).then_some((data.clone(), paint(f.paint())?))
        }
        Some(_) => return None,
        None => None,
    };
    let stroke = match path.stroke() {
        Some(s) if s.dasharray().is_none() => {
            Some((data.stroke(&s.to_tiny_skia(), scale)?, paint(s.paint())?))
        }
        Some(_) => return None,
        None => None,
    };
    Some(Outlines { fill, stroke })
}

/// The stamp of `outlines` with the circle's centre `quarter` quarters of a pixel past the
/// corner of the middle pixel of an image `2 × margin + 1` px wide and high.
fn filled(outlines: &Outlines, quarter: (u8, u8), margin: usize, scale: f32) -> Option<Stamp> {
    let side = 2 * margin + 1;
    let mut image = tiny_skia::Pixmap::new(side as u32, side as u32)?;
    let at = |q: u8| margin as f32 + f32::from(q) / STEPS as f32;
    let place =
        tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, at(quarter.0), at(quarter.1));
    for (path, paint) in [&outlines.fill, &outlines.stroke].into_iter().flatten() {
        image.fill_path(path, paint, tiny_skia::FillRule::Winding, place, None);
    }
    Some(Stamp {
        side,
        rgba: image.take(),
    })
}

/// A document of one circle, `mark` centred at `centre` on a square `size` SVG px wide.
fn circle_svg(mark: &Mark, centre: (f64, f64), size: f64) -> String {
    let colour = |rgb: [u8; 3]| format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
    let fill = mark.fill.map_or("none".to_string(), colour);
    let stroke = match mark.stroke {
        Some((rgb, w)) => format!(r#" stroke="{}" stroke-width="{w}""#, colour(rgb)),
        None => String::new(),
    };
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}"><circle cx="{}" cy="{}" r="{}" fill="{fill}"{stroke}/></svg>"#,
        centre.0, centre.1, mark.r,
    )
}

/// The pixel a coordinate (SVG px) falls in at `scale`, and the quarter of it, rounded.
fn pixel(at: f32, scale: f32) -> (f64, u8) {
    let device = f64::from(at) * f64::from(scale);
    let whole = device.floor();
    let quarter = ((device - whole) * STEPS).round();
    if quarter >= STEPS {
        (whole + 1.0, 0)
    } else {
        (whole, quarter as u8)
    }
}

/// A premultiplied pixel `s` over an opaque pixel `d`: `s + d × (255 − αₛ) / 255`, dividing as
/// tiny-skia's 8-bit pipeline does (`(v + 255) >> 8`).
#[inline]
fn source_over(d: &mut [u8], s: &[u8]) {
    let rest = 255 - u16::from(s[3]);
    match rest {
        255 => {}
        0 => d[..3].copy_from_slice(&s[..3]),
        _ => {
            for c in 0..3 {
                d[c] = (u16::from(s[c]) + ((u16::from(d[c]) * rest + 255) >> 8)) as u8;
            }
        }
    }
}

/// `mark` drawn by resvg with its centre `quarter` quarters of a pixel past the centre of the
/// image's middle pixel's corner, on a transparent image `2 × margin + 1` px wide and high.
fn stamp(
    mark: &Mark,
    quarter: (u8, u8),
    margin: usize,
    scale: f32,
    options: &usvg::Options,
) -> Option<Stamp> {
    let side = 2 * margin + 1;
    let centre = |q: u8| (margin as f64 + f64::from(q) / STEPS) / f64::from(scale);
    let size = side as f64 / f64::from(scale);
    let svg = circle_svg(mark, (centre(quarter.0), centre(quarter.1)), size);
    let tree = usvg::Tree::from_str(&svg, options).ok()?;
    let mut image = tiny_skia::Pixmap::new(side as u32, side as u32)?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut image.as_mut(),
    );
    Some(Stamp {
        side,
        rgba: image.take(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(cx: f32, cy: f32) -> Mark {
        Mark {
            cx,
            cy,
            r: 3.5,
            fill: Some([0x1f, 0x3b, 0x73]),
            stroke: Some(([255; 3], 1.0)),
        }
    }

    /// Marks alike at the same quarter-pixel position share a stamp; marks off the canvas get
    /// none.
    #[test]
    fn equal_marks_share_a_stamp() {
        let marks = [
            mark(10.0, 10.0),
            mark(20.0, 30.0),
            mark(20.1, 30.0),
            mark(-50.0, 10.0),
            mark(10.0, 1e30),
        ];
        let s = Stamps::new(&marks, 2.0, (100.0, 100.0), 2).unwrap();
        assert_eq!(s.images.len(), 2);
        assert_eq!(s.placed[0].unwrap().0, s.placed[1].unwrap().0);
        assert_ne!(s.placed[0].unwrap().0, s.placed[2].unwrap().0);
        // The mark reaches 4 SVG px, 8 device px, from its centre: a margin of 9.
        assert_eq!(s.placed[0].unwrap(), (0, 20 - 9, 20 - 9));
        assert_eq!(s.images[0].side, 19);
        assert!(s.placed[3].is_none() && s.placed[4].is_none());
    }

    /// A circle is outlined once and filled at each position, but for a stroke tiny-skia
    /// draws as a hairline (a device pixel wide or less), which resvg draws at each position.
    #[test]
    fn hairlines_are_left_to_resvg() {
        let options = usvg::Options::default();
        let m = mark(0.0, 0.0);
        let o = outlines(&m, 2.0, &options).unwrap();
        assert!(o.fill.is_some() && o.stroke.is_some());
        assert!(outlines(&m, 1.0, &options).is_none());
        let unstroked = Mark { stroke: None, ..m };
        assert!(outlines(&unstroked, 0.5, &options)
            .unwrap()
            .stroke
            .is_none());
        // Both ways give the same picture where both apply.
        let a = filled(&o, (1, 3), 9, 2.0).unwrap();
        let b = stamp(&m, (1, 3), 9, 2.0, &options).unwrap();
        let worst = a
            .rgba
            .iter()
            .zip(&b.rgba)
            .map(|(x, y)| x.abs_diff(*y))
            .max();
        assert!(worst <= Some(2), "{worst:?}");
        assert!(a.rgba.contains(&255));
    }

    #[test]
    fn a_position_is_a_pixel_and_the_nearest_quarter_of_it() {
        assert_eq!(pixel(10.0, 1.0), (10.0, 0));
        assert_eq!(pixel(10.3, 1.0), (10.0, 1));
        assert_eq!(pixel(10.9, 1.0), (11.0, 0));
        assert_eq!(pixel(-0.25, 2.0), (-1.0, 2));
    }

    /// Stamps taking too much memory, or too many of them, are refused rather than drawn.
    #[test]
    fn stamps_keep_to_their_budget() {
        let marks = |n: usize, r: f32| -> Vec<Mark> {
            (0..n)
                .map(|i| Mark {
                    r: r + i as f32 * 1e-3,
                    ..mark(100.0, 100.0)
                })
                .collect()
        };
        // About 1,200 stamps of 29 KB each.
        assert!(Stamps::new(&marks(1200, 20.0), 2.0, (400.0, 400.0), 2).is_none());
        assert!(Stamps::new(&marks(900, 20.0), 2.0, (400.0, 400.0), 2).is_some());
        // Small ones, more than 4,096.
        assert!(Stamps::new(&marks(4097, 0.5), 2.0, (400.0, 400.0), 2).is_none());
        assert!(Stamps::new(&marks(4096, 0.5), 2.0, (400.0, 400.0), 2).is_some());
    }

    #[test]
    fn source_over_keeps_what_is_transparent_and_replaces_what_is_opaque() {
        let mut d = [10, 20, 30, 255];
        source_over(&mut d, &[0, 0, 0, 0]);
        assert_eq!(d, [10, 20, 30, 255]);
        source_over(&mut d, &[1, 2, 3, 255]);
        assert_eq!(d, [1, 2, 3, 255]);
        // Half-covered white over black: 128.
        let mut d = [0, 0, 0, 255];
        source_over(&mut d, &[128, 128, 128, 128]);
        assert_eq!(d, [128, 128, 128, 255]);
    }
}
