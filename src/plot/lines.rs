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
//! one after the other draws what one fill would. A line is first cut (in f64) to the canvas
//! grown by its stroke, so that however far it reaches its masks stay within the canvas and its
//! corners exact; each rectangle is filled in the bands its rows reach. Only with the `render`
//! feature.
#![cfg(feature = "render")]

use ab_glyph_rasterizer::{point, Point, Rasterizer};

use super::glyphs::{blend_row, sixteenths};
use super::parts::in_parts;
use super::svg_text::Line;

/// Rows of a band: a band's mask is its rows by the columns the line takes in them.
const BAND: i64 = 16;

/// Most bytes the masks of one figure's lines may take, and most rectangles (dashes, and the
/// entries of dash lists walked to find them): beyond either, [`Lines::new`] gives `None`
/// and the figure is drawn by resvg whole. While a band is filled its raster takes four
/// times its mask's bytes more, on each thread.
const MAX_LINE_BYTES: f64 = (64 << 20) as f64;
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
    /// The masks of `lines` at `scale` device px per SVG px on a `canvas` of device px (what
    /// lies off it is left out), filled on up to `threads` threads; `None` when they would
    /// have more than [`MAX_DASHES`] rectangles or take more than [`MAX_LINE_BYTES`].
    pub fn new(lines: &[Line], scale: f32, canvas: (f32, f32), threads: usize) -> Option<Lines> {
        let visible: Vec<Option<Visible>> = lines
            .iter()
            .map(|l| Visible::of(l, scale, canvas))
            .collect();
        let (mut dashes, mut bytes) = (0.0, 0.0);
        for v in visible.iter().flatten() {
            dashes += v.walk();
            bytes += v.mask_bytes();
        }
        // (Counts that are not numbers fail too.)
        if dashes.is_nan() || bytes.is_nan() || dashes > MAX_DASHES || bytes > MAX_LINE_BYTES {
            return None;
        }
        let lines = in_parts(&visible, threads, 1, |part| {
            part.iter()
                .map(|v| match v {
                    Some(v) => bands(&v.quads(), v.cols_per_band()).map(|b| (b, v.rgb)),
                    // Nothing of it is drawn.
                    None => Some((Vec::new(), [0; 3])),
                })
                .collect()
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
                blend_row(&b.coverage[src..src + n], &mut rgba[dst..dst + 4 * n], *rgb);
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
        let mut d = Vec::new();
        // Entries are separated by a comma and/or white space: an empty one (two commas, or
        // one at either end) is an error, after which usvg keeps only what came before.
        for part in v.split(',') {
            let numbers: Vec<&str> = part.split_ascii_whitespace().collect();
            if numbers.is_empty() {
                return None;
            }
            for n in numbers {
                // usvg draws a list with a negative entry (−0 too) solid.
                let x = n
                    .parse::<f32>()
                    .ok()
                    .filter(|x| x.is_finite() && !x.is_sign_negative())?;
                d.push(x);
            }
        }
        if d.len() % 2 == 1 {
            d.extend_from_within(..);
        }
        (d.iter().sum::<f32>() > 0.0).then_some(Dashes(d))
    }
}

/// The part of a line that can touch the canvas, in device px: its centre line from `from`
/// to `to` along the unit direction `u` from (`x`, `y`), half the stroke's width, its dash
/// pattern (device px) and its colour.
struct Visible {
    x: f64,
    y: f64,
    u: (f64, f64),
    half: f64,
    from: f64,
    to: f64,
    dashes: Option<Vec<f64>>,
    rgb: [u8; 3],
}

impl Visible {
    /// `l` at `scale` cut to the `canvas` grown by its stroke and two pixels (a cut end then
    /// lies at least two pixels off the canvas), `None` when none of it is near it. Cut in f64,
    /// so that corners near the canvas are exact in f32 however far the line reaches.
    fn of(l: &Line, scale: f32, canvas: (f32, f32)) -> Option<Visible> {
        let s = f64::from(scale);
        let (x, y) = (f64::from(l.x1) * s, f64::from(l.y1) * s);
        let (dx, dy) = (f64::from(l.x2) * s - x, f64::from(l.y2) * s - y);
        let length = dx.hypot(dy);
        if length.is_nan() || length <= 0.0 || length.is_infinite() {
            return None;
        }
        let u = (dx / length, dy / length);
        let half = f64::from(l.width) * s / 2.0;
        let m = half + 2.0;
        // Liang–Barsky: the part of the centre line within the grown canvas.
        let (mut from, mut to) = (0.0, length);
        for (p, d, size) in [(x, u.0, canvas.0), (y, u.1, canvas.1)] {
            // The offsets t along the line at which p + d·t lies within [−m, size + m].
            let (lo, hi) = (-m - p, f64::from(size) + m - p);
            if d == 0.0 {
                if lo > 0.0 || hi < 0.0 {
                    return None;
                }
                continue;
            }
            let (t0, t1) = (lo / d, hi / d);
            from = f64::max(from, t0.min(t1));
            to = f64::min(to, t0.max(t1));
        }
        let dashes = l
            .dashes
            .as_ref()
            .map(|d| d.0.iter().map(|&v| f64::from(v) * s).collect());
        (from < to && half.is_finite()).then_some(Visible {
            x,
            y,
            u,
            half,
            from,
            to,
            dashes,
            rgb: l.rgb,
        })
    }

    /// The dash-list entries walked to draw it (each at most one rectangle).
    fn walk(&self) -> f64 {
        match &self.dashes {
            None => 1.0,
            Some(d) => {
                let period: f64 = d.iter().sum();
                ((self.to - self.from) / period + 2.0) * d.len() as f64
            }
        }
    }

    /// The most columns a band of it takes: the visible part's, or a band's rows and the
    /// stroke across at the line's slope, with the margins [`band`] adds.
    fn cols_per_band(&self) -> f64 {
        let w = 2.0 * self.half;
        let all = (self.to - self.from) * self.u.0.abs() + w;
        let band = (BAND as f64 + w) * (self.u.0 / self.u.1).abs() + w;
        all.min(band) + 4.0
    }

    /// The bytes of its masks: whole bands over the rows it reaches, by their columns.
    fn mask_bytes(&self) -> f64 {
        let rows = (self.to - self.from) * self.u.1.abs() + 2.0 * self.half;
        let band = BAND as f64;
        ((rows / band).ceil() + 2.0) * band * self.cols_per_band()
    }

    /// The corners of each dash's rectangle within the visible part (the whole part's,
    /// without dashes), in order round it: a dash pattern starts at the line's start. Placed
    /// from the visible part's start, so that a line reaching far off the canvas loses no
    /// precision near it.
    fn quads(&self) -> Vec<[Point; 4]> {
        let (nx, ny) = (-self.u.1 * self.half, self.u.0 * self.half);
        let start = (self.x + self.u.0 * self.from, self.y + self.u.1 * self.from);
        let at = |r: f64, side: f64| {
            let x = start.0 + self.u.0 * r + nx * side;
            point(x as f32, (start.1 + self.u.1 * r + ny * side) as f32)
        };
        let quad = |a: f64, b: f64| [at(a, 1.0), at(b, 1.0), at(b, -1.0), at(a, -1.0)];
        let length = self.to - self.from;
        let Some(dashes) = &self.dashes else {
            return vec![quad(0.0, length)];
        };
        // Where the visible part starts within the pattern.
        let period: f64 = dashes.iter().sum();
        let mut r = -(self.from - (self.from / period).floor() * period);
        let mut out = Vec::new();
        for (k, &step) in dashes.iter().enumerate().cycle() {
            if r >= length {
                break;
            }
            let (a, b) = (r.max(0.0), (r + step).min(length));
            // A dash of no length draws nothing with butt ends.
            if k % 2 == 0 && a < b {
                out.push(quad(a, b));
            }
            r += step;
        }
        out
    }
}

/// The masks of the rectangles `quads` in bands of [`BAND`] rows (aligned to multiples of
/// it), each rectangle filled in the bands its rows reach; `None` when a band would be wider
/// than `most_cols` columns (which [`Lines::new`] counted on).
fn bands(quads: &[[Point; 4]], most_cols: f64) -> Option<Vec<Band>> {
    let rows = |q: &[Point; 4]| {
        let ys = q.map(|p| p.y);
        let lo = ys.iter().fold(f32::INFINITY, |a, &y| a.min(y)).floor() as i64;
        let hi = ys.iter().fold(f32::NEG_INFINITY, |a, &y| a.max(y)).floor() as i64;
        lo.div_euclid(BAND)..=hi.div_euclid(BAND)
    };
    let (Some(first), Some(last)) = (
        quads.iter().map(|q| *rows(q).start()).min(),
        quads.iter().map(|q| *rows(q).end()).max(),
    ) else {
        return Some(Vec::new());
    };
    let mut within: Vec<Vec<usize>> = vec![Vec::new(); (last - first + 1) as usize];
    for (i, q) in quads.iter().enumerate() {
        for b in rows(q) {
            within[(b - first) as usize].push(i);
        }
    }
    let mut out = Vec::new();
    for (b, these) in (first..).zip(&within) {
        let these: Vec<&[Point; 4]> = these.iter().map(|&i| &quads[i]).collect();
        if let Some(band) = band(&these, b * BAND, most_cols)? {
            out.push(band);
        }
    }
    Some(out)
}

/// The band whose first row is `top`: the columns the rectangles take in its rows, with a
/// pixel to spare on the left and two on the right (ab_glyph_rasterizer writes a pixel past
/// a line's end); `Some(None)` when they take none, `None` when that is more than
/// `most_cols` columns.
fn band(quads: &[&[Point; 4]], top: i64, most_cols: f64) -> Option<Option<Band>> {
    let (y0, y1) = (top as f32, (top + BAND) as f32);
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    let mut inside = Vec::new();
    for &q in quads {
        let (qlo, qhi) = columns_within(q, y0, y1);
        if qlo <= qhi {
            lo = lo.min(qlo);
            hi = hi.max(qhi);
            inside.push(q);
        }
    }
    if inside.is_empty() {
        return Some(None);
    }
    if f64::from(hi - lo) + 3.0 > most_cols {
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
    raster.for_each_pixel(|i, a| coverage[i] = sixteenths(a));
    Some(Some(Band {
        left,
        top,
        width,
        height: BAND as usize,
        coverage,
    }))
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
        // As usvg reads them: solid (a negative entry, −0 too; an empty list; all zeros),
        // or only what precedes an error (an empty entry, a unit).
        for other in [
            "none", "4,-3", "-0 3", "0 0", "4px", "", "4,,3", ",4,3", "4,3,", "NaN",
        ] {
            assert_eq!(Dashes::parse(other), None, "{other}");
        }
    }

    /// A dashed line is its dashes, the last cut at the line's end; a solid one is one
    /// rectangle; the rectangles are as wide as the stroke.
    #[test]
    fn dashes_are_rectangles_along_the_line() {
        let visible = |l: &Line, scale| Visible::of(l, scale, (100.0, 100.0)).unwrap();
        let q = visible(&line(20.0, 10.0, Some("4,3")), 2.0).quads();
        let spans: Vec<(f32, f32)> = q.iter().map(|r| (r[0].x, r[1].x)).collect();
        assert_eq!(spans, [(20.0, 28.0), (34.0, 40.0)]);
        assert!(q.iter().all(|r| r[0].y == 22.0 && r[3].y == 18.0));
        assert_eq!(visible(&line(10.0, 30.0, None), 1.0).quads().len(), 1);
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

    /// Too many dashes or dash-list entries to walk, and the figure is left to resvg; a line
    /// reaching far off the canvas is cut to it first, so its masks stay the canvas's size.
    #[test]
    fn lines_keep_to_their_budget() {
        let fine = line(1000.0, 600.0, Some("0.0001,0.0001"));
        assert!(Lines::new(&[fine], 1.0, (1000.0, 1000.0), 1).is_none());
        let zeros = format!("{}1", "0 ".repeat(19_999));
        let many = line(11.0, 90_000.0, Some(&zeros));
        assert!(Lines::new(&[many], 1.0, (100.0, 100_000.0), 1).is_none());
        let plain = line(1000.0, 600.0, Some("4,3"));
        assert!(Lines::new(&[plain], 1.0, (1000.0, 1000.0), 2).is_some());
        for (x1, y1, x2, y2, scale) in [
            (-1e15, -1e15, 1e15, 1e15, 2.0),
            (-7.233e18, -2.411e18, 7.306e18, 2.387e18, 3.125),
            (-1e13, -1e13, 1.01e13, 9.9e12, 2.083),
            (-1e20, -5.0, -1e20, 5.0, 1.0),
        ] {
            let far = Line {
                x1,
                y1,
                x2,
                y2,
                ..line(0.0, 0.0, None)
            };
            let lines = Lines::new(&[far], scale, (100.0, 100.0), 1).unwrap();
            let bytes: usize = lines.lines[0].0.iter().map(|b| b.coverage.len()).sum();
            assert!(bytes < 200 * 16 * 16, "{x1}: {bytes} bytes");
        }
        // The diagonal crosses the canvas's middle, on the line.
        let diagonal = Line {
            x1: -1e15,
            y1: -1e15,
            x2: 1e15,
            y2: 1e15,
            ..line(0.0, 0.0, None)
        };
        let lines = Lines::new(&[diagonal], 1.0, (100.0, 100.0), 1).unwrap();
        let mut rgba = vec![255u8; 100 * 100 * 4];
        lines.draw(0, &mut rgba, 100, 0);
        let at = |x: usize, y: usize| rgba[(y * 100 + x) * 4];
        assert_eq!(
            [at(50, 50), at(30, 30), at(50, 40), at(40, 50)],
            [0, 0, 255, 255]
        );
    }
}
