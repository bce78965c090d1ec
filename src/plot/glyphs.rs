//! Text drawn from a cache of glyph masks, for [`super::render`]'s PNG.
//!
//! Each distinct text is shaped once with rustybuzz in the bundled font, as usvg shapes it
//! (left to right, with the font's kerning and ligatures; one shaping plan per face, script
//! and thread), the texts shared out among the cores. Each
//! glyph's outline is filled once per size and quarter-pixel position into a coverage mask
//! (the exact area of each pixel it covers, ab_glyph_rasterizer), and every glyph of that
//! size and position is blended from it: a forest plot of 200 studies draws about 8,000
//! glyphs from about 430 masks. A glyph lands at most an eighth of a pixel from where resvg
//! would draw it, and its edge pixels differ from resvg's 16-sample coverage by a little.
//! Only with the `render` feature.
#![cfg(feature = "render")]

use std::collections::HashMap;
use std::ops::Range;

use resvg::tiny_skia;
use rustybuzz::ttf_parser;

use super::font;
use super::parts::in_parts;
use super::svg_text::{Anchor, Text};

/// Glyph positions are rounded to 1/SUBPIXEL px, in both directions.
const SUBPIXEL: f32 = 4.0;

/// Text larger than this many device px is drawn by resvg, which fills only the visible part
/// of each glyph (a mask holds a whole glyph).
const MAX_SIZE: f32 = 256.0;

/// The most bytes of masks a figure's text may take (estimated from the font sizes before
/// any is filled); text that would need more is drawn by resvg.
const MAX_MASK_BYTES: f64 = 64e6;

/// One rasterised glyph: coverage (0 to 255) of `width` × `height` pixels whose top left is
/// `left`, `top` pixels from the glyph's rounded origin.
struct Mask {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    coverage: Vec<u8>,
}

/// What a mask is drawn from: the face, the glyph, px per font unit, and the origin's
/// position within its pixel in 1/SUBPIXEL px.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    bold: bool,
    glyph: u16,
    scale_bits: u32,
    fx: u8,
    fy: u8,
}

/// A glyph to draw: its mask, and the pixel of its rounded origin.
#[derive(Debug, Clone, Copy)]
struct Placed {
    mask: usize,
    x: i32,
    y: i32,
}

/// The glyphs of one text, with its colour and the rows it covers.
#[derive(Debug, Clone)]
pub(super) struct Run {
    glyphs: Range<usize>,
    rgb: [u8; 3],
    /// The first row any of its glyphs covers and the row after the last.
    rows: Range<i32>,
}

/// The texts of a figure, laid out in pixels, with the masks they are drawn from.
pub(super) struct Glyphs {
    masks: Vec<Mask>,
    placed: Vec<Placed>,
    /// One per text, in document order.
    pub runs: Vec<Run>,
}

/// The two bundled faces, regular and bold.
struct Faces<'a>([rustybuzz::Face<'a>; 2]);

impl Faces<'static> {
    fn bundled() -> Option<Self> {
        Some(Faces([
            rustybuzz::Face::from_slice(font::REGULAR, 0)?,
            rustybuzz::Face::from_slice(font::BOLD, 0)?,
        ]))
    }
}

impl Glyphs {
    /// Lays out `texts` at `scale` device px per SVG px on a `canvas` of that many device px
    /// (glyphs wholly off it are left out) and rasterises the masks they need on up to
    /// `threads` threads; `None` when a text has a character the bundled font lacks or that
    /// is written right to left (resvg then draws the text, as it falls back to other fonts
    /// and reorders), or when the masks would take more than [`MAX_MASK_BYTES`].
    pub(super) fn lay_out(
        texts: &[Text],
        scale: f32,
        canvas: (f32, f32),
        threads: usize,
    ) -> Option<Glyphs> {
        let faces = Faces::bundled()?;
        let shapes = Shapes::new(&faces, texts, threads)?;
        let mut layout = Layout {
            canvas,
            ..Layout::default()
        };
        for t in texts {
            layout.text(&faces, &shapes, t, scale)?;
        }
        let masks = rasterise(&faces, &layout.keys, threads);
        let mut runs = layout.runs;
        for run in &mut runs {
            run.rows = rows_covered(&masks, &layout.placed[run.glyphs.clone()]);
        }
        Some(Glyphs {
            masks,
            placed: layout.placed,
            runs,
        })
    }

    /// Blends `run`'s glyphs onto `rgba`, opaque premultiplied RGBA rows `width` px wide
    /// whose first row is row `top` of the figure.
    pub(super) fn draw(&self, run: &Run, rgba: &mut [u8], width: usize, top: i32) {
        let rows = (rgba.len() / (4 * width.max(1))) as i32;
        if run.rows.end <= top || run.rows.start >= top + rows {
            return;
        }
        for p in &self.placed[run.glyphs.clone()] {
            let m = &self.masks[p.mask];
            let (x0, y0) = (p.x + m.left, p.y + m.top);
            let ys = y0.max(top)..(y0 + m.height as i32).min(top + rows);
            let xs = x0.max(0)..(x0 + m.width as i32).min(width as i32);
            if xs.is_empty() {
                continue;
            }
            for y in ys {
                let src = (y - y0) as usize * m.width + (xs.start - x0) as usize;
                let dst = ((y - top) as usize * width + xs.start as usize) * 4;
                let n = xs.len();
                blend_row(
                    &m.coverage[src..src + n],
                    &mut rgba[dst..dst + 4 * n],
                    run.rgb,
                );
            }
        }
    }
}

/// Blends an opaque colour through `coverage` onto opaque RGBA pixels.
pub(super) fn blend_row(coverage: &[u8], rgba: &mut [u8], rgb: [u8; 3]) {
    for (&a, px) in coverage.iter().zip(rgba.chunks_exact_mut(4)) {
        if a == 0 {
            continue;
        }
        if a == 255 {
            px[..3].copy_from_slice(&rgb);
            continue;
        }
        over(px, rgb, a);
    }
}

/// An area covered (0 to 1, more counts as 1) as coverage from 0 to 255 in sixteenths, as
/// tiny-skia's 16 samples give it.
pub(super) fn sixteenths(area: f32) -> u8 {
    ((area.min(1.0) * 16.0).round() * 255.0 / 16.0) as u8
}

/// Blends an opaque colour over an opaque RGBA pixel with coverage `a` (0 to 255): each
/// channel becomes (d × (255 − a) + c × a) / 255, rounded.
pub(super) fn over(px: &mut [u8], rgb: [u8; 3], a: u8) {
    let (a, rest) = (u32::from(a), u32::from(255 - a));
    for (d, &c) in px.iter_mut().zip(&rgb) {
        *d = ((u32::from(*d) * rest + u32::from(c) * a + 127) / 255) as u8;
    }
}

/// The texts' glyphs as they are placed, and the masks they need.
#[derive(Default)]
struct Layout {
    /// The canvas, device px.
    canvas: (f32, f32),
    /// An estimate of the bytes the masks of `keys` take.
    mask_bytes: f64,
    keys: Vec<Key>,
    index: HashMap<Key, usize>,
    placed: Vec<Placed>,
    runs: Vec<Run>,
}

/// Every distinct text of a figure shaped once, by face and characters.
struct Shapes<'t> {
    index: HashMap<(bool, &'t str), usize>,
    shaped: Vec<Vec<Shaped>>,
}

/// A shaped glyph: its id and, in font units, its advance and offsets.
#[derive(Debug, Clone, Copy)]
struct Shaped {
    glyph: u16,
    advance: i32,
    dx: i32,
    dy: i32,
}

impl Layout {
    /// Places the glyphs of `t`, shaped in `shapes`; `None` if it cannot be drawn as usvg
    /// draws it.
    fn text(&mut self, faces: &Faces, shapes: &Shapes, t: &Text, scale: f32) -> Option<()> {
        let face = &faces.0[usize::from(t.bold)];
        let start = self.placed.len();
        if !t.text.is_empty() {
            let shaped = &shapes.shaped[*shapes.index.get(&(t.bold, t.text.as_str()))?];
            let em = t.size / face.units_per_em() as f32;
            if t.size * scale > MAX_SIZE {
                return None;
            }
            let width: i32 = shaped.iter().map(|g| g.advance).sum();
            let mut pen = t.x
                - match t.anchor {
                    Anchor::Start => 0.0,
                    Anchor::Middle => width as f32 * em / 2.0,
                    Anchor::End => width as f32 * em,
                };
            for &Shaped {
                glyph,
                advance,
                dx,
                dy,
            } in shaped
            {
                let x = (pen + dx as f32 * em) * scale;
                let y = (t.y - dy as f32 * em) * scale;
                pen += advance as f32 * em;
                // A glyph's ink lies within twice the font size of its origin.
                let reach = 2.0 * t.size * scale;
                let (w, h) = self.canvas;
                if !(x > -reach && x < w + reach && y > -reach && y < h + reach) {
                    continue;
                }
                self.place(t.bold, glyph, em * scale, x, y);
                if self.mask_bytes > MAX_MASK_BYTES {
                    return None;
                }
            }
        }
        self.runs.push(Run {
            glyphs: start..self.placed.len(),
            rgb: t.rgb,
            rows: 0..0,
        });
        Some(())
    }

    /// Places a glyph whose origin is at device px (`x`, `y`), rounded to 1/SUBPIXEL px.
    fn place(&mut self, bold: bool, glyph: u16, px_per_unit: f32, x: f32, y: f32) {
        let (qx, qy) = ((x * SUBPIXEL).round(), (y * SUBPIXEL).round());
        let (ix, iy) = ((qx / SUBPIXEL).floor(), (qy / SUBPIXEL).floor());
        let key = Key {
            bold,
            glyph,
            scale_bits: px_per_unit.to_bits(),
            fx: (qx - ix * SUBPIXEL) as u8,
            fy: (qy - iy * SUBPIXEL) as u8,
        };
        let (keys, bytes) = (&mut self.keys, &mut self.mask_bytes);
        let mask = *self.index.entry(key).or_insert_with(|| {
            // A glyph's box is within one and a half em each way (the bundled font has 2,048
            // units to the em).
            let side = f64::from(px_per_unit) * 2048.0 * 1.5 + 2.0;
            *bytes += side * side;
            keys.push(key);
            keys.len() - 1
        });
        self.placed.push(Placed {
            mask,
            x: ix as i32,
            y: iy as i32,
        });
    }
}

impl<'t> Shapes<'t> {
    /// The distinct texts of `texts` shaped on up to `threads` threads; `None` if one is
    /// written right to left or has a character the bundled font lacks.
    fn new(faces: &Faces, texts: &'t [Text], threads: usize) -> Option<Self> {
        let (mut index, mut distinct) = (HashMap::new(), Vec::new());
        for t in texts.iter().filter(|t| !t.text.is_empty()) {
            if t.text.chars().any(right_to_left) {
                return None;
            }
            index.entry((t.bold, t.text.as_str())).or_insert_with(|| {
                distinct.push((t.bold, t.text.as_str()));
                distinct.len() - 1
            });
        }
        let shaped = in_parts(&distinct, threads, 64, |part| {
            let mut plans = HashMap::new();
            part.iter()
                .map(|&(bold, text)| shape(faces, &mut plans, bold, text))
                .collect()
        })?;
        Some(Shapes { index, shaped })
    }
}

/// The glyphs of `text` and their positions (in font units), with the shaping plan for its
/// face and script made once in `plans`; `None` if the font lacks one of its characters.
fn shape(
    faces: &Faces,
    plans: &mut HashMap<(bool, rustybuzz::Script), rustybuzz::ShapePlan>,
    bold: bool,
    text: &str,
) -> Option<Vec<Shaped>> {
    let face = &faces.0[usize::from(bold)];
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(rustybuzz::Direction::LeftToRight);
    buffer.guess_segment_properties();
    if buffer.direction() != rustybuzz::Direction::LeftToRight {
        return None;
    }
    let script = buffer.script();
    let plan = plans.entry((bold, script)).or_insert_with(|| {
        rustybuzz::ShapePlan::new(
            face,
            rustybuzz::Direction::LeftToRight,
            Some(script),
            None,
            &[],
        )
    });
    let buffer = rustybuzz::shape_with_plan(face, plan, buffer);
    buffer
        .glyph_infos()
        .iter()
        .zip(buffer.glyph_positions())
        .map(|(info, pos)| {
            Some(Shaped {
                glyph: u16::try_from(info.glyph_id).ok().filter(|&g| g != 0)?,
                advance: pos.x_advance,
                dx: pos.x_offset,
                dy: pos.y_offset,
            })
        })
        .collect()
}

/// Whether `c` is written right to left (Hebrew, Arabic and the like, and the explicit
/// direction marks), which usvg reorders with the Unicode bidirectional algorithm.
fn right_to_left(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF
        | 0x1E800..=0x1EFFF | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
}

/// The masks of `keys`, in order, filled on up to `threads` threads.
fn rasterise(faces: &Faces, keys: &[Key], threads: usize) -> Vec<Mask> {
    in_parts(keys, threads, 64, |part| {
        Some(part.iter().map(|k| mask(faces, *k)).collect())
    })
    .unwrap_or_default()
}

/// The coverage of one glyph: the area of each pixel its outline covers (accumulated signed
/// areas, ab_glyph_rasterizer), over the pixels its outline's bounds touch.
fn mask(faces: &Faces, key: Key) -> Mask {
    let empty = Mask {
        left: 0,
        top: 0,
        width: 0,
        height: 0,
        coverage: Vec::new(),
    };
    let face = &faces.0[usize::from(key.bold)];
    let id = ttf_parser::GlyphId(key.glyph);
    let k = f32::from_bits(key.scale_bits);
    let (fx, fy) = (f32::from(key.fx) / SUBPIXEL, f32::from(key.fy) / SUBPIXEL);
    // A glyph without an outline (a space) has no path.
    let Some(path) = outline(face, id) else {
        return empty;
    };
    let bounds = path.bounds();
    let left = (fx + bounds.left() * k).floor() as i32;
    let right = (fx + bounds.right() * k).ceil() as i32;
    let top = (fy - bounds.bottom() * k).floor() as i32;
    let bottom = (fy - bounds.top() * k).ceil() as i32;
    let (width, height) = ((right - left) as usize, (bottom - top) as usize);
    let (dx, dy) = (fx - left as f32, fy - top as f32);
    let mut raster = ab_glyph_rasterizer::Rasterizer::new(width, height);
    let at = |p: tiny_skia::Point| ab_glyph_rasterizer::point(dx + p.x * k, dy - p.y * k);
    let (mut start, mut now) = (at(tiny_skia::Point::zero()), at(tiny_skia::Point::zero()));
    for segment in path.segments() {
        use tiny_skia::PathSegment as S;
        match segment {
            S::MoveTo(p) => {
                (start, now) = (at(p), at(p));
                continue;
            }
            S::LineTo(p) => raster.draw_line(now, at(p)),
            S::QuadTo(c, p) => raster.draw_quad(now, at(c), at(p)),
            S::CubicTo(c1, c2, p) => raster.draw_cubic(now, at(c1), at(c2), at(p)),
            S::Close => {
                raster.draw_line(now, start);
                now = start;
                continue;
            }
        }
        now = match segment {
            S::LineTo(p) | S::QuadTo(_, p) | S::CubicTo(_, _, p) => at(p),
            _ => now,
        };
    }
    let mut coverage = vec![0u8; width * height];
    // Coverage in sixteenths, as tiny-skia's 16 samples give it: fewer distinct values make a
    // PNG a third smaller.
    raster.for_each_pixel(|i, a| coverage[i] = sixteenths(a));
    Mask {
        left,
        top,
        width,
        height,
        coverage,
    }
}

/// A glyph's outline in font units (y up), as a path.
fn outline(face: &ttf_parser::Face, id: ttf_parser::GlyphId) -> Option<tiny_skia::Path> {
    struct Builder(tiny_skia::PathBuilder);
    impl ttf_parser::OutlineBuilder for Builder {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.move_to(x, y);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.line_to(x, y);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.quad_to(x1, y1, x, y);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.cubic_to(x1, y1, x2, y2, x, y);
        }
        fn close(&mut self) {
            self.0.close();
        }
    }
    let mut b = Builder(tiny_skia::PathBuilder::new());
    face.outline_glyph(id, &mut b)?;
    b.0.finish()
}

/// The rows that `placed` glyphs cover (none for glyphs without outlines).
fn rows_covered(masks: &[Mask], placed: &[Placed]) -> Range<i32> {
    let (mut first, mut after) = (i32::MAX, i32::MIN);
    for p in placed {
        let m = &masks[p.mask];
        if m.height == 0 {
            continue;
        }
        first = first.min(p.y + m.top);
        after = after.max(p.y + m.top + m.height as i32);
    }
    if first < after {
        first..after
    } else {
        0..0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(x: f32, size: f32) -> Text {
        Text {
            x,
            y: 50.0,
            size,
            bold: false,
            anchor: Anchor::Start,
            rgb: [0; 3],
            text: "Study 12 [0.52; 1.33] AVATAR".into(),
        }
    }

    /// Texts shaped on several threads are laid out as on one: the same glyphs, the same
    /// masks, in the same order; a character the font lacks in any part is refused.
    #[test]
    fn shaping_on_threads_changes_nothing() {
        let texts: Vec<Text> = (0..500)
            .map(|k| Text {
                text: format!("Study {} ({k}) fi ffl", k % 173),
                bold: k % 3 == 0,
                y: 10.0 + k as f32,
                ..text(5.0, 11.0)
            })
            .collect();
        let one = Glyphs::lay_out(&texts, 2.0, (800.0, 1200.0), 1).unwrap();
        let three = Glyphs::lay_out(&texts, 2.0, (800.0, 1200.0), 3).unwrap();
        let placed = |g: &Glyphs| {
            g.placed
                .iter()
                .map(|p| (p.mask, p.x, p.y))
                .collect::<Vec<_>>()
        };
        assert!(one.placed.len() > 5000);
        assert_eq!(placed(&one), placed(&three));
        let coverage = |g: &Glyphs| {
            g.masks
                .iter()
                .map(|m| m.coverage.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(coverage(&one), coverage(&three));
        let mut lacking = texts.clone();
        lacking[450].text = "\u{E000}".into();
        assert!(Glyphs::lay_out(&lacking, 2.0, (800.0, 1200.0), 3).is_none());
    }

    /// Glyphs wholly off the canvas are neither placed nor rasterised, whatever their size.
    #[test]
    fn text_off_the_canvas_costs_nothing() {
        let texts: Vec<Text> = (0..64)
            .map(|k| text(100_000.0, 150.0 - k as f32 * 0.01))
            .collect();
        let g = Glyphs::lay_out(&texts, 1.5625, (16.0, 16.0), 2).unwrap();
        assert!(g.masks.is_empty() && g.placed.is_empty());
    }

    /// Text that would need more mask memory than the cap is left to resvg, as is text too
    /// large for a mask.
    #[test]
    fn mask_memory_is_bounded() {
        let on_canvas: Vec<Text> = (0..400)
            .map(|k| text(0.0, 100.0 + k as f32 * 0.01))
            .collect();
        assert!(Glyphs::lay_out(&on_canvas, 1.5625, (4000.0, 4000.0), 2).is_none());
        assert!(Glyphs::lay_out(&[text(0.0, 300.0)], 1.0, (4000.0, 4000.0), 2).is_none());
        let few: Vec<Text> = (0..4).map(|k| text(0.0, 11.0 + k as f32)).collect();
        let g = Glyphs::lay_out(&few, 1.5625, (4000.0, 4000.0), 2).unwrap();
        assert_eq!(g.runs.len(), 4);
        assert!(!g.masks.is_empty());
    }
}
