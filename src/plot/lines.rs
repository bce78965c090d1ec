//! Straight lines ([`Line`]: slanted, or dashed) drawn from coverage masks, for
//! [`super::render`]'s PNG: a funnel plot's two dashed slanted lines and a network graph's
//! edges, which tiny-skia would otherwise dash, stroke and fill with 16 samples a pixel in
//! every strip they cross.
//!
//! A line's stroke with butt ends is a rectangle along it, and with a dash pattern
//! (`stroke-dasharray`, from the line's start, a list of odd length taken twice as SVG 1.1
//! §11.4 says) the rectangles of its dashes. Their outlines are filled once, in bands of
//! [`BAND`] rows, by accumulated signed areas (ab_glyph_rasterizer, as the glyphs are): each
//! pixel gets the exact area of it the stroke covers, rounded to sixteenths as tiny-skia's
//! samples round it. Bands never share a row and dashes never overlap, so blending the bands
//! one after the other draws what one fill would. Only with the `render` feature.
#![cfg(feature = "render")]

use ab_glyph_rasterizer::{point, Point, Rasterizer};

use super::glyphs::over;
use super::parts::in_parts;
use super::svg_text::Line;

/// Rows of a band: a band's mask is its rows by the columns the line takes in them.
const BAND: i64 = 16;

/// Most bytes the masks of one figure's lines may take, and most dashes: beyond either,
/// [`Lines::new`] gives `None` and the figure is drawn by resvg whole.
const MAX_LINE_BYTES: usize = 64 << 20;
const MAX_DASHES: f64 = 1e6;

/// The coverage (0 to 255) of `width` × `height` pixels whose top left pixel is (`left`,
/// `top`) of the figure.
struct Band {
    left: i64,
    top: i64,
    width: usize,
    height: usize,
    coverage: Vec<u8>,
}

/// The lines of a figure, each as its bands, with its colour.
pub(super) struct Lines {
    /// For each line, in order: its bands and its colour.
    lines: Vec<(Vec<Band>, [u8; 3])>,
}

impl Lines {
    /// The masks of `lines` at `scale` device px per SVG px on a `canvas` of device px (rows
    /// off it are left out), filled on up to `threads` threads; `None` when they would have
    /// more than [`MAX_DASHES`] dashes or take more than [`MAX_LINE_BYTES`].
    pub fn new(lines: &[Line], scale: f32, canvas: (f32, f32), threads: usize) -> Option<Lines> {
        let (mut dashes, mut bytes) = (0.0, 0.0);
        for l in lines {
            let (length, rows, cols) = l.device_size(scale);
            dashes += l.dashes.as_ref().map_or(1.0, |d| length / d.period() + 1.0);
            // Whole bands (one more where the line starts and ends within one), on the canvas.
            let band = BAND as f64;
            let rows = ((rows / band).ceil() + 1.0) * band;
            bytes += rows.min(f64::from(canvas.1) + 2.0 * band) * cols;
        }
        if dashes > MAX_DASHES || bytes > MAX_LINE_BYTES as f64 {
            return None;
        }
        let rows = 0..canvas.1.ceil() as i64;
        let lines = in_parts(lines, threads, 1, |part| {
            Some(
                part.iter()
                    .map(|l| (bands(&quads(l, scale), rows.clone()), l.rgb))
                    .collect(),
            )
        })?;
        Some(Lines { lines })
    }

    /// Blends line `i` onto opaque premultiplied RGBA rows `width` px wide whose first row
    /// is row `top` of the figure.
    pub fn draw(&self, i: usize, rgba: &mut [u8], width: usize, top: u32) {
        let (bands, rgb) = &self.lines[i];
        let rows = (rgba.len() / (4 * width.max(1))) as i64;
        let (top, width_px) = (i64::from(top), width as i64);
        for b in bands {
            let ys = b.top.max(top)..(b.top + b.height as i64).min(top + rows);
            let xs = b.left.max(0)..(b.left + b.width as i64).min(width_px);
            if ys.is_empty() || xs.is_empty() {
                continue;
            }
            for y in ys {
                let src = (y - b.top) as usize * b.width + (xs.start - b.left) as usize;
                let dst = ((y - top) as usize * width + xs.start as usize) * 4;
                let n = xs.clone().count();
                let px = rgba[dst..dst + 4 * n].chunks_exact_mut(4);
                for (&a, px) in b.coverage[src..src + n].iter().zip(px) {
                    if a == 255 {
                        px[..3].copy_from_slice(rgb);
                    } else if a > 0 {
                        over(px, *rgb, a);
                    }
                }
            }
        }
    }
}

/// A dash pattern: lengths on and off, in SVG px, of even number, summing to more than 0.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Dashes(pub Vec<f32>);

impl Dashes {
    /// `stroke-dasharray`'s value (numbers separated by commas and/or white space) as a
    /// pattern, a list of odd length taken twice; `None` for `none`, a list with a negative
    /// value, units or percentages, or one that sums to 0 (which resvg draws solid or not at
    /// all, and is left to it).
    pub fn parse(v: &str) -> Option<Dashes> {
        let mut d = v
            .split(|c: char| c == ',' || c.is_ascii_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<f32>().ok().filter(|x| x.is_finite() && *x >= 0.0))
            .collect::<Option<Vec<f32>>>()?;
        if d.len() % 2 == 1 {
            d.extend_from_within(..);
        }
        (d.iter().sum::<f32>() > 0.0).then_some(Dashes(d))
    }

    /// The length of one repeat of the pattern, SVG px.
    fn period(&self) -> f64 {
        self.0.iter().map(|&x| f64::from(x)).sum()
    }
}

impl Line {
    /// The line's length (SVG px), the rows its stroke reaches, and the most columns a band
    /// of it takes (device px).
    fn device_size(&self, scale: f32) -> (f64, f64, f64) {
        let s = f64::from(scale);
        let (dx, dy) = (f64::from(self.x2 - self.x1), f64::from(self.y2 - self.y1));
        let w = f64::from(self.width) * s;
        let cols = dx.abs() * s + w + 4.0;
        // A band's rows and the stroke's width, across at the line's slope.
        let per_band = (BAND as f64 + w) * (dx / dy).abs() + w + 4.0;
        (dx.hypot(dy), dy.abs() * s + w + 2.0, cols.min(per_band))
    }
}

/// The corners of each dash's rectangle (the whole stroke's, without dashes), in order round
/// it, device px.
fn quads(l: &Line, scale: f32) -> Vec<[Point; 4]> {
    let s = f64::from(scale);
    let (x1, y1) = (f64::from(l.x1) * s, f64::from(l.y1) * s);
    let (dx, dy) = (f64::from(l.x2) * s - x1, f64::from(l.y2) * s - y1);
    let length = dx.hypot(dy);
    if length == 0.0 {
        return Vec::new();
    }
    let (ux, uy) = (dx / length, dy / length);
    let half = f64::from(l.width) * s / 2.0;
    let (nx, ny) = (-uy * half, ux * half);
    let at = |t: f64, side: f64| {
        point(
            (x1 + ux * t + nx * side) as f32,
            (y1 + uy * t + ny * side) as f32,
        )
    };
    let quad = |a: f64, b: f64| [at(a, 1.0), at(b, 1.0), at(b, -1.0), at(a, -1.0)];
    let Some(dashes) = &l.dashes else {
        return vec![quad(0.0, length)];
    };
    let mut out = Vec::new();
    let (mut t, mut k) = (0.0, 0);
    while t < length {
        let step = f64::from(dashes.0[k % dashes.0.len()]) * s;
        // A dash of no length draws nothing with butt ends.
        if k % 2 == 0 && step > 0.0 {
            out.push(quad(t, (t + step).min(length)));
        }
        t += step;
        k += 1;
    }
    out
}

/// The masks of the rectangles `quads` in bands of [`BAND`] rows (aligned to multiples of
/// it), within `rows` of the figure.
fn bands(quads: &[[Point; 4]], rows: std::ops::Range<i64>) -> Vec<Band> {
    let (mut first, mut last) = (f32::INFINITY, f32::NEG_INFINITY);
    for p in quads.iter().flatten() {
        first = first.min(p.y);
        last = last.max(p.y);
    }
    // No quads, or corners that are not numbers.
    if first.partial_cmp(&last).is_none_or(|o| o.is_gt()) {
        return Vec::new();
    }
    let from = (first.floor() as i64).max(rows.start).div_euclid(BAND) * BAND;
    let to = (last.ceil() as i64).min(rows.end);
    (0..)
        .map(|i| from + i * BAND)
        .take_while(|&top| top < to)
        .filter_map(|top| band(quads, top))
        .collect()
}

/// The band whose first row is `top`: the columns the rectangles take in its rows, with a
/// pixel to spare on each side; `None` when they take none.
fn band(quads: &[[Point; 4]], top: i64) -> Option<Band> {
    let (y0, y1) = (top as f32, (top + BAND) as f32);
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    let mut inside = Vec::new();
    for q in quads {
        let (qlo, qhi) = columns_within(q, y0, y1);
        if qlo <= qhi {
            lo = lo.min(qlo);
            hi = hi.max(qhi);
            inside.push(q);
        }
    }
    if inside.is_empty() {
        return None;
    }
    let left = lo.floor() as i64 - 1;
    let width = (hi.ceil() as i64 - left + 2) as usize;
    let mut raster = Rasterizer::new(width, BAND as usize);
    let shift = |p: Point| point(p.x - left as f32, p.y - y0);
    for q in inside {
        for i in 0..4 {
            raster.draw_line(shift(q[i]), shift(q[(i + 1) % 4]));
        }
    }
    let mut coverage = vec![0u8; width * BAND as usize];
    // Sixteenths, as tiny-skia's samples give them (and as the glyphs are drawn).
    raster.for_each_pixel(|i, a| coverage[i] = ((a.min(1.0) * 16.0).round() * 255.0 / 16.0) as u8);
    Some(Band {
        left,
        top,
        width,
        height: BAND as usize,
        coverage,
    })
}

/// The least and the greatest x of the parts of `q`'s edges between rows `y0` and `y1`
/// (the least above the greatest when none lies there).
fn columns_within(q: &[Point; 4], y0: f32, y1: f32) -> (f32, f32) {
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        if a.y.max(b.y) < y0 || a.y.min(b.y) > y1 {
            continue;
        }
        let ends = if a.y == b.y {
            // A level edge within the rows: both its ends.
            [a.x, b.x]
        } else {
            let x = |y: f32| a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y);
            [x(a.y.clamp(y0, y1)), x(b.y.clamp(y0, y1))]
        };
        for x in ends {
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x2: f32, y2: f32, dashes: Option<&str>) -> Line {
        Line {
            x1: 10.0,
            y1: 10.0,
            x2,
            y2,
            width: 2.0,
            rgb: [0; 3],
            dashes: dashes.map(|d| Dashes::parse(d).unwrap()),
        }
    }

    #[test]
    fn dash_patterns_are_read_as_svg_reads_them() {
        assert_eq!(Dashes::parse("4,3"), Some(Dashes(vec![4.0, 3.0])));
        assert_eq!(
            Dashes::parse(" 5  1,2 "),
            Some(Dashes(vec![5.0, 1.0, 2.0, 5.0, 1.0, 2.0]))
        );
        for other in ["none", "4,-3", "0 0", "4px", "", "4,,3x", "NaN"] {
            assert_eq!(Dashes::parse(other), None, "{other}");
        }
    }

    /// A dashed line is its dashes, the last cut at the line's end; a solid one is one
    /// rectangle; the rectangles are as wide as the stroke.
    #[test]
    fn dashes_are_rectangles_along_the_line() {
        let q = quads(&line(20.0, 10.0, Some("4,3")), 2.0);
        let spans: Vec<(f32, f32)> = q.iter().map(|r| (r[0].x, r[1].x)).collect();
        assert_eq!(spans, [(20.0, 28.0), (34.0, 40.0)]);
        assert!(q.iter().all(|r| r[0].y == 22.0 && r[3].y == 18.0));
        assert_eq!(quads(&line(10.0, 30.0, None), 1.0).len(), 1);
    }

    /// Coverage is the area covered: a rectangle on whole pixels covers them fully, and one
    /// that ends halfway across a pixel half of it.
    #[test]
    fn coverage_is_the_area_covered() {
        let lines = Lines::new(&[line(20.5, 10.0, None)], 1.0, (40.0, 40.0), 1).unwrap();
        let mut rgba = vec![255u8; 40 * 40 * 4];
        lines.draw(0, &mut rgba, 40, 0);
        let at = |x: usize, y: usize| rgba[(y * 40 + x) * 4];
        assert_eq!(
            [at(9, 9), at(10, 9), at(19, 10), at(20, 10), at(21, 10)],
            [255, 0, 0, 128, 255]
        );
        assert_eq!([at(15, 8), at(15, 11)], [255, 255]);
    }

    /// Too many dashes, or masks too large, and the figure is left to resvg.
    #[test]
    fn lines_keep_to_their_budget() {
        let fine = line(1000.0, 600.0, Some("0.0001,0.0001"));
        assert!(Lines::new(&[fine], 1.0, (1000.0, 1000.0), 1).is_none());
        let wide = line(1e7, 20.0, None);
        assert!(Lines::new(&[wide], 1.0, (1000.0, 1000.0), 1).is_none());
        let plain = line(1000.0, 600.0, Some("4,3"));
        assert!(Lines::new(&[plain], 1.0, (1000.0, 1000.0), 2).is_some());
    }
}
