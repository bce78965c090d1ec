//! PNG and PDF from the SVG text, rendered with resvg and svg2pdf using only the bundled
//! fonts (no system fonts), so the output is the same on every machine.
//!
//! Only with the `render` feature (on by default, through `cli`).
#![cfg(feature = "render")]

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

use super::deflate;
use super::font;
use super::glyphs::{self, Glyphs};
use super::lines::Lines;
use super::parts::joined;
use super::stamps::{self, Stamps};
use super::svg_text::{self, Block, Taken};

/// Why a plot could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The SVG could not be parsed (a bug: the layout writes it).
    #[error("internal error: the plot's SVG does not parse: {0}")]
    Svg(String),
    /// The canvas is too large for a bitmap.
    #[error("the plot is too large for a PNG of {width} x {height} pixels; lower the resolution or use SVG or PDF")]
    TooLarge {
        /// Width in px.
        width: u32,
        /// Height in px.
        height: u32,
    },
    /// The bitmap would have more pixels than [`MAX_PNG_PIXELS`].
    #[error("a PNG of {width} x {height} pixels is more than the {max_megapixels} megapixels allowed; use SVG or PDF, or fewer rows")]
    OverBudget {
        /// Width in px.
        width: u64,
        /// Height in px.
        height: u64,
        /// The budget, in millions of pixels.
        max_megapixels: u64,
    },
    /// The rasteriser or the PDF writer stopped on the document (a panic inside resvg,
    /// tiny-skia or svg2pdf, caught so that one figure does not end the process).
    #[error("internal error: the {format} of this plot could not be drawn; it can still be written as SVG")]
    Failed {
        /// PNG or PDF.
        format: &'static str,
    },
    /// PNG or PDF encoding failed.
    #[error("cannot encode the {format}: {message}")]
    Encode {
        /// PNG or PDF.
        format: &'static str,
        /// Why.
        message: String,
    },
}

impl crate::i18n::errors::Localize for RenderError {
    fn message(&self, lang: crate::format::Lang) -> String {
        match self {
            RenderError::TooLarge { width, height } => crate::i18n::fill(
                lang,
                "errors.render.too_large",
                &[
                    ("width", &width.to_string()),
                    ("height", &height.to_string()),
                ],
            ),
            RenderError::OverBudget {
                width,
                height,
                max_megapixels,
            } => crate::i18n::fill(
                lang,
                "errors.render.over_budget",
                &[
                    ("width", &width.to_string()),
                    ("height", &height.to_string()),
                    ("max_megapixels", &max_megapixels.to_string()),
                ],
            ),
            RenderError::Failed { format } => {
                crate::i18n::fill(lang, "errors.render.failed", &[("format", format)])
            }
            RenderError::Encode { format, message } => crate::i18n::fill(
                lang,
                "errors.render.encode",
                &[("format", format), ("message", message)],
            ),
            // An SVG that does not parse only a bug can cause.
            RenderError::Svg(_) => self.to_string(),
        }
    }
}

/// Most pixels of a PNG: 40 megapixels, 160 MB as RGBA while it is drawn (encoding holds
/// about two more copies). A forest plot of 500 studies at 150 dpi has 12 to 19 megapixels;
/// 500 studies each in its own subgroup would have more than 80.
pub const MAX_PNG_PIXELS: u64 = 40_000_000;

/// Checks that a `width` × `height` canvas (SVG px, 1/96 inch) rendered at `dpi` stays within
/// [`MAX_PNG_PIXELS`]: cheap, from the layout's size, so a caller can refuse a PNG before
/// anything is parsed or allocated. The size is the one [`to_png`] draws (to a pixel).
pub fn check_pixel_budget(width: f64, height: f64, dpi: f64) -> Result<(), RenderError> {
    let (w, h) = png_pixels(width, height, dpi);
    // NaN fails every comparison, so a non-finite size is over budget too.
    if w >= 0.0 && h >= 0.0 && w * h <= MAX_PNG_PIXELS as f64 {
        return Ok(());
    }
    Err(RenderError::OverBudget {
        width: w as u64,
        height: h as u64,
        max_megapixels: MAX_PNG_PIXELS / 1_000_000,
    })
}

/// Width and height in pixels of a `width` × `height` px canvas at `dpi`, rounded up.
fn png_pixels(width: f64, height: f64, dpi: f64) -> (f64, f64) {
    // Multiplied before divided, so that a whole number of pixels (804 px at 200 dpi: 1,675)
    // is not rounded up by the error in dpi / 96.
    ((width * dpi / 96.0).ceil(), (height * dpi / 96.0).ceil())
}

/// `svg` parsed with the bundled fonts for its text.
fn tree(svg: &str) -> Result<usvg::Tree, RenderError> {
    let mut opt = usvg::Options {
        font_family: font::FAMILY.to_string(),
        ..usvg::Options::default()
    };
    let db = opt.fontdb_mut();
    db.load_font_data(font::REGULAR.to_vec());
    db.load_font_data(font::BOLD.to_vec());
    db.set_sans_serif_family(font::FAMILY);
    // usvg's last resort for a family it does not find is the serif family: the bundled font
    // too, so that text in any family is drawn, in the PNG's text as in resvg's.
    db.set_serif_family(font::FAMILY);
    let _ = Arc::clone(&opt.fontdb);
    parse(svg, opt)
}

fn parse(svg: &str, opt: usvg::Options) -> Result<usvg::Tree, RenderError> {
    usvg::Tree::from_str(svg, &opt).map_err(|e| RenderError::Svg(e.to_string()))
}

/// Rows of pixels drawn at a time by [`to_png`]: a strip of this height is drawn, appended to
/// the PNG stream and drawn over with the next, so memory stays at one strip per core (about
/// 3.5 MB at 1,700 px wide) however tall the figure.
const STRIP_ROWS: u32 = 512;

/// Renders SVG text to PNG bytes at `dpi` (SVG px are 1/96 inch), within the pixel budget
/// ([`check_pixel_budget`], checked before anything is allocated).
///
/// The figure is drawn on white in strips of at most [`STRIP_ROWS`] rows, each shifted by a
/// whole number of pixels, so every pixel is the one a single canvas would have; it is opaque,
/// so the PNG is 8-bit RGB (no alpha channel) with fast compression. The strips are drawn and
/// compressed on every core, one strip per core in memory at a time ([`draw_strips`]).
///
/// A panic inside the rasteriser becomes [`RenderError::Failed`].
pub fn to_png(svg: &str, dpi: f64) -> Result<Vec<u8>, RenderError> {
    guarded("PNG", || png(svg, dpi))
}

/// `draw()`, with a panic inside it (resvg and tiny-skia index slices, and some documents
/// they are given reach a bound they do not check) turned into [`RenderError::Failed`].
fn guarded<T>(
    format: &'static str,
    draw: impl FnOnce() -> Result<T, RenderError>,
) -> Result<T, RenderError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(draw))
        .unwrap_or(Err(RenderError::Failed { format }))
}

/// [`to_png`]'s drawing.
fn png(svg: &str, dpi: f64) -> Result<Vec<u8>, RenderError> {
    let scale = (dpi / 96.0) as f32;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    let scene = Scene::new(svg, dpi, cores as usize)?;
    let size = scene.tree.size();
    // The size the pixel budget counts (check_pixel_budget), to a pixel.
    let (w, h) = png_pixels(f64::from(size.width()), f64::from(size.height()), dpi);
    let (w, h) = (w as u32, h as u32);
    if w == 0 || h == 0 {
        return Err(RenderError::TooLarge {
            width: w,
            height: h,
        });
    }
    // Enough strips for every core, none taller than STRIP_ROWS.
    let rows = STRIP_ROWS.min(h.div_ceil(cores)).max(1);
    let canvas = Canvas {
        scene: &scene,
        scale,
        width: w,
        height: h,
        rows,
    };
    let strips = draw_strips(&canvas, cores.min(h.div_ceil(rows)) as usize)?;
    png_file(w, h, &strips)
}

/// What a PNG is drawn from: the document's shapes as resvg draws them, and its text either
/// from glyph masks ([`glyphs`], for a document that [`svg_text::split`] takes apart and
/// whose characters the bundled font has) or by resvg with the shapes.
struct Scene {
    tree: usvg::Tree,
    /// The elements taken out of the document, with the number of groups of shapes before
    /// each, when the document was split; `None` when resvg draws it whole.
    taken: Option<Parts>,
}

/// What a split document's taken elements are drawn from.
struct Parts {
    /// Each element, with the number of groups of shapes before it.
    order: Vec<(usize, Taken)>,
    glyphs: Glyphs,
    stamps: Stamps,
    lines: Lines,
}

impl Scene {
    /// The scene of `svg` at `dpi`, within the pixel budget (checked before the text is laid
    /// out); glyph masks, stamps and line masks are filled on up to `threads` threads.
    fn new(svg: &str, dpi: f64, threads: usize) -> Result<Scene, RenderError> {
        let scale = (dpi / 96.0) as f32;
        if let Some(split) = svg_text::split(svg, stamps::MAX_EXTENT_PX / scale, 1.0 / scale) {
            let (width, height) = split.size;
            check_pixel_budget(width, height, dpi)?;
            let canvas = png_pixels(width, height, dpi);
            let canvas = (canvas.0 as f32, canvas.1 as f32);
            // The text is laid out, the marks stamped and the lines filled while the shapes
            // are parsed.
            let (tree, glyphs, stamps, lines) = std::thread::scope(|s| {
                let glyphs = s.spawn(|| Glyphs::lay_out(&split.texts, scale, canvas, threads));
                let stamps = s.spawn(|| Stamps::new(&split.marks, scale, canvas, threads));
                let lines = Lines::new(&split.lines, scale, canvas, threads);
                let tree = parse(&split.shapes_svg, usvg::Options::default());
                (tree, joined(glyphs), joined(stamps), lines)
            });
            let tree = tree?;
            check_tree_budget(&tree, dpi)?;
            if let (true, Some(glyphs), Some(stamps), Some(lines)) = (
                tree.root().children().len() == split.groups,
                glyphs,
                stamps,
                lines,
            ) {
                return Ok(Scene {
                    tree,
                    taken: Some(Parts {
                        order: split.taken,
                        glyphs,
                        stamps,
                        lines,
                    }),
                });
            }
        }
        let tree = tree(svg)?;
        check_tree_budget(&tree, dpi)?;
        Ok(Scene { tree, taken: None })
    }

    /// Draws the scene into `pixmap`, whose first row is row `top` of the figure, with
    /// `transform` from SVG px to the pixmap's pixels.
    fn draw(&self, transform: tiny_skia::Transform, pixmap: &mut tiny_skia::PixmapMut, top: u32) {
        let Some(parts) = &self.taken else {
            resvg::render(&self.tree, transform, pixmap);
            return;
        };
        let (glyphs, stamps, lines) = (&parts.glyphs, &parts.stamps, &parts.lines);
        let width = pixmap.width() as usize;
        let rows = f64::from(top)..f64::from(top + pixmap.height());
        let scale = transform.sy;
        let mut taken = parts.order.iter().peekable();
        let draw_taken = |pixmap: &mut tiny_skia::PixmapMut, t: &Taken| match t {
            Taken::Text(i) => glyphs.draw(&glyphs.runs[*i], pixmap.data_mut(), width, top as i32),
            Taken::Block(b) => fill_block(pixmap.data_mut(), width, top, b, scale),
            Taken::Mark(i) => stamps.draw(*i, pixmap.data_mut(), width, top),
            Taken::Line(i) => lines.draw(*i, pixmap.data_mut(), width, top),
        };
        for (i, node) in self.tree.root().children().iter().enumerate() {
            while let Some((_, t)) = taken.next_if(|(after, _)| *after <= i) {
                draw_taken(pixmap, t);
            }
            // Groups wholly above or below the strip are passed over (a pixel to spare).
            let Some(b) = node.abs_layer_bounding_box() else {
                continue;
            };
            let scale = f64::from(scale);
            let (y0, y1) = (f64::from(b.top()) * scale, f64::from(b.bottom()) * scale);
            if y1 + 1.0 < rows.start || y0 - 1.0 > rows.end {
                continue;
            }
            // render_node draws a node's layer bounds at the origin; this undoes that.
            resvg::render_node(node, transform.pre_translate(b.x(), b.y()), pixmap);
        }
        for (_, t) in taken {
            draw_taken(pixmap, t);
        }
    }
}

/// Fills `block` (SVG px, `scale` device px each) into opaque premultiplied RGBA rows
/// `width` px wide whose first row is row `top` of the figure, each pixel covered by the
/// area of it the block covers.
fn fill_block(rgba: &mut [u8], width: usize, top: u32, block: &Block, scale: f32) {
    let rows = rgba.len() / (4 * width.max(1));
    let (x0, x1) = (block.x0 * scale, block.x1 * scale);
    let (y0, y1) = (block.y0 * scale - top as f32, block.y1 * scale - top as f32);
    let columns = span(x0, x1, width);
    if columns.is_empty() {
        return;
    }
    let (first, last) = (columns.start, columns.end - 1);
    let (c_first, c_last) = (cover(first, x0, x1), cover(last, x0, x1));
    let colour = [block.rgb[0], block.rgb[1], block.rgb[2], 255];
    for y in span(y0, y1, rows) {
        let cy = cover(y, y0, y1);
        let row = &mut rgba[(y * width + first) * 4..(y * width + last + 1) * 4];
        let (ends, inside) = (
            [(0, c_first), (last - first, c_last)],
            (first + 1..last).len(),
        );
        if ((cy * 255.0 + 0.5) as u32) < 255 || inside == 0 {
            for (i, px) in row.chunks_exact_mut(4).enumerate() {
                let cx = if i == 0 {
                    c_first
                } else if i == last - first {
                    c_last
                } else {
                    1.0
                };
                blend(px, block.rgb, cx * cy);
            }
            continue;
        }
        // A row wholly covered but at its ends.
        for px in row[4..4 + 4 * inside].chunks_exact_mut(4) {
            px.copy_from_slice(&colour);
        }
        for (i, cx) in ends {
            blend(&mut row[4 * i..4 * i + 4], block.rgb, cx);
        }
    }
}

/// Blends an opaque colour over an opaque pixel with `coverage` (0 to 1).
fn blend(px: &mut [u8], rgb: [u8; 3], coverage: f32) {
    glyphs::over(px, rgb, (coverage * 255.0 + 0.5) as u8);
}

/// The part of pixel `i` that [`lo`, `hi`) covers.
fn cover(i: usize, lo: f32, hi: f32) -> f32 {
    (hi.min(i as f32 + 1.0) - lo.max(i as f32)).clamp(0.0, 1.0)
}

/// The pixels that [`lo`, `hi`) touches among `0..n`.
fn span(lo: f32, hi: f32, n: usize) -> std::ops::Range<usize> {
    (lo.max(0.0).floor() as usize).min(n)..(hi.max(0.0).ceil() as usize).min(n)
}

/// Checks a parsed document's size against the pixel budget at `dpi`.
fn check_tree_budget(tree: &usvg::Tree, dpi: f64) -> Result<(), RenderError> {
    let size = tree.size();
    check_pixel_budget(f64::from(size.width()), f64::from(size.height()), dpi)
}

/// What every strip of one PNG is drawn from.
struct Canvas<'a> {
    scene: &'a Scene,
    scale: f32,
    width: u32,
    height: u32,
    /// Rows per strip.
    rows: u32,
}

/// One strip of the image, compressed: its rows filtered with PNG's `Sub` filter and deflated
/// on their own (a raw deflate stream ending in a sync flush, so the strips' streams joined
/// in order are one stream), with the Adler-32 checksum and length of the filtered rows.
struct Strip {
    deflated: Vec<u8>,
    adler: u32,
    len: u64,
}

/// Draws and compresses the strips of `canvas` on `threads` threads, each drawing the next
/// strip not yet taken into its own pixmap; the strips in order from top to bottom.
fn draw_strips(canvas: &Canvas, threads: usize) -> Result<Vec<Strip>, RenderError> {
    let count = canvas.height.div_ceil(canvas.rows) as usize;
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Each thread's strips with their numbers; a thread's panic is raised again here.
    let mut drawn: Vec<(usize, Result<Strip, RenderError>)> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    let mut work = Workspace::new(canvas);
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= count {
                            return mine;
                        }
                        let strip = match &mut work {
                            Some(w) => Ok(draw_strip(canvas, w, i as u32 * canvas.rows)),
                            None => Err(RenderError::TooLarge {
                                width: canvas.width,
                                height: canvas.height,
                            }),
                        };
                        mine.push((i, strip));
                    }
                })
            })
            .collect();
        threads.into_iter().flat_map(joined).collect()
    });
    drawn.sort_by_key(|&(i, _)| i);
    drawn.into_iter().map(|(_, strip)| strip).collect()
}

/// What one thread draws and compresses its strips with, reused from strip to strip.
struct Workspace {
    pixmap: tiny_skia::Pixmap,
    /// Whether the pixmap is white, as made and not yet drawn on.
    white: bool,
    encoder: deflate::Encoder,
    deflated: Vec<u8>,
}

impl Workspace {
    /// `None` when a strip of `canvas` is too large for a pixmap.
    fn new(canvas: &Canvas) -> Option<Workspace> {
        let size = tiny_skia::IntSize::from_wh(canvas.width, canvas.rows)?;
        let bytes = (canvas.width as usize)
            .checked_mul(canvas.rows as usize)?
            .checked_mul(4)?;
        // Made white (opaque premultiplied white is all 255), so the first strip is not
        // cleared twice.
        let pixmap = tiny_skia::Pixmap::from_vec(vec![255; bytes], size)?;
        Some(Workspace {
            pixmap,
            white: true,
            encoder: deflate::Encoder::new(bytes / 8),
            deflated: Vec::with_capacity(bytes / 16),
        })
    }
}

/// Draws the strip whose first row is `top` and compresses it.
fn draw_strip(canvas: &Canvas, work: &mut Workspace, top: u32) -> Strip {
    let rows = (canvas.height - top).min(canvas.rows);
    let pixmap = &mut work.pixmap;
    if !std::mem::take(&mut work.white) {
        pixmap.fill(tiny_skia::Color::WHITE);
    }
    let scale = canvas.scale;
    canvas.scene.draw(
        tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, 0.0, -(top as f32)),
        &mut pixmap.as_mut(),
        top,
    );
    let drawn = &pixmap.data()[..(rows * canvas.width * 4) as usize];
    sub_filtered(drawn, canvas.width as usize, &mut work.encoder);
    work.deflated.clear();
    let (adler, len) = work.encoder.finish(&mut work.deflated);
    Strip {
        deflated: work.deflated.clone(),
        adler,
        len,
    }
}

/// Gives `encoder` rows of premultiplied RGBA pixels over white (so opaque: the colour is the
/// premultiplied colour) as PNG rows of RGB, each with filter type `Sub`: the difference
/// from the pixel to the left, zero wherever the figure is one colour. A pixel the colour of
/// the one to its left is three zeros, found four pixels at a time.
fn sub_filtered(rgba: &[u8], width: usize, encoder: &mut deflate::Encoder) {
    const SUB: u8 = 1;
    for row in rgba.chunks_exact(width * 4) {
        encoder.byte(SUB);
        let mut left = 0u32;
        let mut i = 0;
        while i < row.len() {
            let px = pixel(row, i);
            if px == left {
                let same = 4 + same_as(&row[i + 4..], left);
                encoder.zeros(same / 4 * 3);
                i += same;
                continue;
            }
            // The three colour bytes less the left pixel's, each modulo 256.
            let [r, g, b, _] = px.to_le_bytes();
            let [lr, lg, lb, _] = left.to_le_bytes();
            encoder.three(r.wrapping_sub(lr), g.wrapping_sub(lg), b.wrapping_sub(lb));
            left = px;
            i += 4;
        }
        encoder.reduce();
    }
}

/// The RGBA pixel at byte `i` of `row`.
#[inline]
fn pixel(row: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(row[i..i + 4].try_into().unwrap_or([0; 4]))
}

/// How many bytes at the start of `rgba` are pixels equal to `px`.
#[inline]
fn same_as(rgba: &[u8], px: u32) -> usize {
    let four = u128::from(px) * 0x0000_0001_0000_0001_0000_0001_0000_0001;
    let mut n = 0;
    for chunk in rgba.chunks_exact(16) {
        if u128::from_le_bytes(chunk.try_into().unwrap_or([0; 16])) != four {
            break;
        }
        n += 16;
    }
    while n + 4 <= rgba.len() && pixel(rgba, n) == px {
        n += 4;
    }
    n
}

/// The Adler-32 checksum of two pieces of data from theirs (`len_b` is the second's length),
/// as zlib's `adler32_combine` computes it.
fn adler32_combine(a: u32, b: u32, len_b: u64) -> u32 {
    const BASE: u64 = 65521;
    let rem = len_b % BASE;
    let (a1, a2) = (u64::from(a & 0xffff), u64::from(a >> 16));
    let (b1, b2) = (u64::from(b & 0xffff), u64::from(b >> 16));
    let sum1 = (a1 + b1 + BASE - 1) % BASE;
    let sum2 = (rem * a1 % BASE + a2 + b2 + BASE - rem) % BASE;
    (sum1 | (sum2 << 16)) as u32
}

/// The PNG file: its header, the strips' deflate streams joined into one zlib stream (zlib's
/// header, the streams, a final empty block, the Adler-32 of all rows) as IDAT chunks, its end.
/// The stream may be cut into IDAT chunks anywhere, so each strip is a chunk of its own,
/// copied once, straight into the file.
fn png_file(width: u32, height: u32, strips: &[Strip]) -> Result<Vec<u8>, RenderError> {
    let encode = |e: png::EncodingError| encode_error(e.into());
    let total: usize = strips.iter().map(|s| s.deflated.len() + 12).sum();
    let mut out = Vec::with_capacity(total + 128);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(encode)?;
    // CMF 0x78 (deflate, 32 KiB window), FLG 0x01 (fastest; the pair is a multiple of 31).
    writer
        .write_chunk(png::chunk::IDAT, &[0x78, 0x01])
        .map_err(encode)?;
    let mut adler = 1;
    for s in strips {
        for chunk in s.deflated.chunks(1 << 30) {
            writer
                .write_chunk(png::chunk::IDAT, chunk)
                .map_err(encode)?;
        }
        adler = adler32_combine(adler, s.adler, s.len);
    }
    // A final empty block with fixed codes (BFINAL 1, BTYPE 01, end of block), the checksum.
    let mut end = [0x03, 0x00, 0, 0, 0, 0];
    end[2..].copy_from_slice(&adler.to_be_bytes());
    writer.write_chunk(png::chunk::IDAT, &end).map_err(encode)?;
    writer.finish().map_err(encode)?;
    Ok(out)
}

fn encode_error(e: std::io::Error) -> RenderError {
    RenderError::Encode {
        format: "PNG",
        message: e.to_string(),
    }
}

/// Converts SVG text to a one-page vector PDF with the fonts embedded.
pub fn to_pdf(svg: &str) -> Result<Vec<u8>, RenderError> {
    guarded("PDF", || {
        let t = tree(svg)?;
        svg2pdf::to_pdf(
            &t,
            svg2pdf::ConversionOptions::default(),
            svg2pdf::PageOptions::default(),
        )
        .map_err(|e| RenderError::Encode {
            format: "PDF",
            message: e.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_the_rasteriser_is_an_error_not_a_crash() {
        // A nearly vertical thick line two billion px long, in a group so that resvg draws
        // it: at 200 dpi tiny-skia 0.11 indexes out of a slice on it.
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><g><line x1="50" y1="-1e9" x2="50.001" y2="1e9" stroke="black" stroke-width="3"/></g></svg>"#;
        match to_png(svg, 200.0) {
            Ok(png) => assert!(png.starts_with(b"\x89PNG")),
            Err(e) => assert!(matches!(e, RenderError::Failed { format: "PNG" }), "{e}"),
        }
        assert!(matches!(
            guarded("PNG", || -> Result<(), RenderError> { panic!("inside") }),
            Err(RenderError::Failed { format: "PNG" })
        ));
    }

    #[test]
    fn pixel_budget_refuses_what_exceeds_it_and_only_that() {
        // 96 dpi: SVG px are pixels. 40,000,000 = 4,000 x 10,000.
        assert!(check_pixel_budget(4000.0, 10_000.0, 96.0).is_ok());
        assert!(check_pixel_budget(4000.0, 10_000.5, 96.0).is_err());
        // 500 studies, each in its own subgroup, 2x2 data, at 150 dpi: 1,282 x 99,930 px.
        match check_pixel_budget(820.4, 63_955.0, 150.0) {
            Err(RenderError::OverBudget {
                width,
                height,
                max_megapixels,
            }) => {
                assert_eq!((width, height, max_megapixels), (1282, 99_930, 40));
            }
            other => panic!("{other:?}"),
        }
        // 500 studies without subgroups (2x2 data) at 150 dpi: about 18 megapixels.
        assert!(check_pixel_budget(864.0, 8688.0, 150.0).is_ok());
        for bad in [f64::NAN, f64::INFINITY, -1.0] {
            assert!(check_pixel_budget(bad, 100.0, 150.0).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_whole_number_of_pixels_is_not_rounded_up() {
        assert_eq!(png_pixels(804.0, 3588.0, 200.0), (1675.0, 7475.0));
        assert_eq!(png_pixels(96.0, 0.5, 150.0), (150.0, 1.0));
        assert_eq!(png_pixels(804.01, 1.0, 200.0), (1676.0, 3.0));
    }

    #[test]
    fn the_budget_counts_the_pixels_that_to_png_draws() {
        for (width, height) in [(201.3, 99.7), (589.0, 171.0), (864.0, 217.35)] {
            let svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"></svg>"#
            );
            let png = to_png(&svg, 150.0).unwrap();
            let decoded = png::Decoder::new(png.as_slice()).read_info().unwrap();
            assert_eq!(decoded.info().color_type, png::ColorType::Rgb);
            // The PNG header holds the width and the height, big-endian, at bytes 16..24.
            let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
            let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
            assert_eq!(png_pixels(width, height, 150.0), (w as f64, h as f64));
        }
    }
}

#[cfg(test)]
mod strips {
    use super::*;

    #[test]
    fn adler32_of_joined_pieces_is_combined_from_theirs() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let whole = simd_adler32::adler32(&data.as_slice());
        for cut in [0, 1, 5552, 65521, 65522, 100_000, 200_000] {
            let (x, y) = data.split_at(cut);
            let sum = |d: &[u8]| simd_adler32::adler32(&d);
            assert_eq!(
                adler32_combine(sum(x), sum(y), y.len() as u64),
                whole,
                "{cut}"
            );
        }
    }

    /// The strips' streams make one zlib stream whose checksum a strict decoder accepts, and
    /// which holds the filtered rows.
    #[test]
    fn the_joined_strips_are_one_valid_zlib_stream() {
        use std::io::Read;
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="3000">
            <rect x="10" y="10" width="200" height="2900" fill="#336699"/></svg>"##;
        let png = to_png(svg, 96.0).unwrap();
        // The IDAT chunks' data, joined.
        let mut zlib = Vec::new();
        let mut at = 8;
        while at + 8 <= png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            if &png[at + 4..at + 8] == b"IDAT" {
                zlib.extend_from_slice(&png[at + 8..at + 8 + len]);
            }
            at += 12 + len;
        }
        let mut rows = Vec::new();
        flate2::read::ZlibDecoder::new(zlib.as_slice())
            .read_to_end(&mut rows)
            .unwrap();
        assert_eq!(rows.len(), 3000 * (1 + 300 * 3));
    }

    /// The RGB pixels of a PNG.
    fn decoded(png: &[u8]) -> Vec<u8> {
        let mut decoder = png::Decoder::new(png).read_info().unwrap();
        let mut rgb = vec![0; decoder.output_buffer_size()];
        decoder.next_frame(&mut rgb).unwrap();
        rgb
    }

    /// The RGB pixels of a `width` × `height` px figure at `dpi` drawn on one white canvas.
    fn one_canvas(
        (width, height): (f64, f64),
        dpi: f64,
        draw: impl Fn(tiny_skia::Transform, &mut tiny_skia::PixmapMut),
    ) -> Vec<u8> {
        let scale = (dpi / 96.0) as f32;
        let (w, h) = png_pixels(width, height, dpi);
        let mut one = tiny_skia::Pixmap::new(w as u32, h as u32).unwrap();
        one.fill(tiny_skia::Color::WHITE);
        draw(
            tiny_skia::Transform::from_scale(scale, scale),
            &mut one.as_mut(),
        );
        one.data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    /// How much channel values differ on average.
    fn mean_difference(got: &[u8], want: &[u8]) -> f64 {
        let sum: f64 = got
            .iter()
            .zip(want)
            .map(|(a, b)| f64::from(a.abs_diff(*b)))
            .sum();
        sum / got.len() as f64
    }

    /// How many channel values differ, and by how much at most.
    /// How many of the elements taken out of `svg` at `dpi` are of the `kind` wanted.
    fn taken(svg: &str, dpi: f64, kind: impl Fn(&Taken) -> bool) -> usize {
        let scene = Scene::new(svg, dpi, 1).unwrap();
        let parts = scene.taken.as_ref().expect("the document is split");
        parts.order.iter().filter(|(_, t)| kind(t)).count()
    }

    /// `svg` (`size` SVG px) as `to_png` draws it and as resvg draws it on one canvas, at
    /// `dpi`: how many channel values differ, by how much at most, by how much on average,
    /// and the values themselves (`to_png`'s, resvg's).
    fn against_resvg(svg: &str, size: (f64, f64), dpi: f64) -> (usize, u8, f64, Vec<u8>, Vec<u8>) {
        let got = decoded(&to_png(svg, dpi).unwrap());
        let t = tree(svg).unwrap();
        let want = one_canvas(size, dpi, |tr, p| resvg::render(&t, tr, p));
        let (differ, worst) = difference(&got, &want);
        let mean = mean_difference(&got, &want);
        (differ, worst, mean, got, want)
    }

    fn difference(got: &[u8], want: &[u8]) -> (usize, u8) {
        assert_eq!(got.len(), want.len());
        let differ = got.iter().zip(want).filter(|(a, b)| a != b).count();
        let worst = got.iter().zip(want).map(|(a, b)| a.abs_diff(*b)).max();
        (differ, worst.unwrap_or(0))
    }

    const TALL: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="2200">
        <rect x="10.3" y="5.7" width="50.2" height="600.1" fill="#336699"/>
        <circle cx="60" cy="170.4" r="33.3" fill="none" stroke="black" stroke-width="1.3"/>
        <line x1="0" y1="0" x2="120" y2="2200" stroke="red" stroke-width="0.7"/>
        <text x="20" y="168" font-size="11">Study 1 [0.52; 1.33]</text>
        <polygon points="5,500 60,480 115,500 60,520" fill="black"/>
        <text x="60" y="1700.3" font-size="13" font-weight="bold" text-anchor="middle">Total</text>
    </svg>"##;

    /// The pixels of a figure taller than a strip, drawn strip by strip, are the pixels of one
    /// canvas, text included.
    #[test]
    fn strips_draw_what_one_canvas_draws() {
        let dpi = 150.0;
        let got = decoded(&to_png(TALL, dpi).unwrap());
        let scene = Scene::new(TALL, dpi, 1).unwrap();
        assert!(scene.taken.is_some(), "the text is drawn from glyph masks");
        let want = one_canvas((120.0, 2200.0), dpi, |t, p| scene.draw(t, p, 0));
        assert!(png_pixels(120.0, 2200.0, dpi).1 as u32 > 3 * STRIP_ROWS);
        let (differ, worst) = difference(&got, &want);
        // Where a path is cut at a strip's edge, tiny-skia may find a few edge pixels of a
        // slanted line a sixteenth or a quarter more or less covered: a few in ten thousand
        // channel values (a forest plot of 200 studies: 3,690 of 37.6 million, 64 at most).
        assert!(
            worst <= 64 && differ * 500 <= got.len(),
            "{differ} differ, by up to {worst}"
        );
    }

    /// A document the text cannot be taken out of (here, text in a group) is drawn whole by
    /// resvg, strip by strip.
    #[test]
    fn other_documents_are_drawn_whole_by_resvg() {
        let svg = TALL
            .replace("<text x=\"20\"", "<g><text x=\"20\"")
            .replace("1.33]</text>", "1.33]</text></g>");
        let dpi = 150.0;
        assert!(Scene::new(&svg, dpi, 1).unwrap().taken.is_none());
        let got = decoded(&to_png(&svg, dpi).unwrap());
        let t = tree(&svg).unwrap();
        let want = one_canvas((120.0, 2200.0), dpi, |tr, p| resvg::render(&t, tr, p));
        let (differ, worst) = difference(&got, &want);
        assert!(
            worst <= 64 && differ * 500 <= got.len(),
            "{differ} differ, by up to {worst}"
        );
    }

    /// Marks drawn from stamps look as resvg draws the circles: each lands at most an eighth
    /// of a pixel from its place, so edge pixels differ by a little and none by much;
    /// overlapping marks are blended in document order, and a circle too large for a stamp
    /// stays with resvg.
    #[test]
    fn marks_are_drawn_as_resvg_draws_them() {
        let mut svg = String::from(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">
            <rect x="20" y="20" width="260" height="160" fill="#dddddd"/>
            <circle cx="150" cy="100" r="70" fill="none" stroke="#aa0000" stroke-width="3"/>"##,
        );
        for i in 0..120 {
            // Away from the edges, where resvg's own drawing of a clipped stroke is off.
            let (x, y) = (
                10.0 + (i * 37 % 270) as f64 * 1.013,
                10.0 + (i * 53 % 175) as f64 * 0.987,
            );
            // The last, under a device pixel wide, is a hairline to tiny-skia.
            let paint = match i % 5 {
                0 => r##"fill="#1f3b73" stroke="#ffffff" stroke-width="1""##,
                1 => r##"fill="#ffffff" stroke="#1f3b73" stroke-width="1.5""##,
                2 => r##"fill="#7f9fcf""##,
                3 => r##"fill="none" stroke="black" stroke-width="0.8""##,
                _ => r##"fill="#dd8800" stroke="black" stroke-width="0.3""##,
            };
            let r = [3.5, 2.25, 6.0][i % 3];
            svg.push_str(&format!(
                r#"<circle cx="{x:.3}" cy="{y:.3}" r="{r}" {paint}/>"#
            ));
        }
        svg.push_str("</svg>");
        let dpi = 200.0;
        let marks = taken(&svg, dpi, |t| matches!(t, Taken::Mark(_)));
        assert_eq!(marks, 120, "all but the large circle");
        let (differ, worst, mean, got, _) = against_resvg(&svg, (300.0, 200.0), dpi);
        // tiny-skia samples each pixel on a grid of quarters, so moving an edge by an eighth
        // of a pixel can move it past two samples of a row: up to 2 × 64. Measured: up to 96,
        // 0.40 on average, 25,478 of 781,875 values differ.
        assert!(
            worst <= 128 && mean < 0.5 && differ * 20 < got.len(),
            "{differ} differ, up to {worst}, {mean:.3} on average"
        );
    }

    /// Slanted and dashed lines drawn from coverage masks look as resvg draws them: each
    /// pixel's coverage is the exact area the stroke covers, in sixteenths, where tiny-skia
    /// samples 16 points, so edge pixels differ by a little and none by much; lines reaching
    /// off the canvas and across strips are drawn where they are on it.
    #[test]
    fn lines_are_drawn_as_resvg_draws_them() {
        let mut svg = String::from(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="1400">
            <rect x="20" y="20" width="260" height="1360" fill="#dddddd"/>"##,
        );
        for i in 0..40 {
            let (x1, y1) = (
                -20.0 + (i * 37 % 300) as f64 * 1.013,
                (i * 53 % 1400) as f64,
            );
            let (x2, y2) = (
                x1 + (i * 17 % 90) as f64 - 45.0,
                y1 + (i * 29 % 700) as f64 - 200.0,
            );
            let width = [0.8, 1.5, 3.56, 8.0][i % 4];
            let dashes = match i % 3 {
                0 => "",
                1 => r#" stroke-dasharray="4,3""#,
                _ => r#" stroke-dasharray="2 1 0.5""#,
            };
            svg.push_str(&format!(
                r##"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="#{c:06x}" stroke-width="{width}"{dashes}/>"##,
                c = (i * 0x3a5f17) % 0xffffff,
            ));
        }
        svg.push_str("</svg>");
        let dpi = 200.0;
        assert_eq!(taken(&svg, dpi, |t| matches!(t, Taken::Line(_))), 40);
        let (differ, worst, mean, got, _) = against_resvg(&svg, (300.0, 1400.0), dpi);
        // Sixteenths of exact area against 16 samples: at most a quarter of a pixel apart
        // (64 of 255 on black and white). Measured: up to 37, 0.081 on average, 83,551 of
        // 10.9 million values differ.
        assert!(
            worst <= 64 && mean < 0.5 && differ * 20 < got.len(),
            "{differ} differ, up to {worst}, {mean:.3} on average"
        );
    }

    /// Text drawn from glyph masks looks as resvg draws it: a glyph lands at most an eighth of
    /// a pixel from resvg's place, and each pixel's coverage is its exact area instead of
    /// tiny-skia's 16 samples, so edge pixels differ by a little and no pixel by much.
    #[test]
    fn text_is_drawn_as_resvg_draws_it() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120">
            <text x="10.37" y="20.2" font-size="11">Study 12 [0.52; 1.33] fi ffl AVATAR Wa</text>
            <text x="390" y="45.71" font-size="11" text-anchor="end" fill="#1f3b73">−0.27 (−0.41 to −0.13) 95%</text>
            <text x="200" y="75" font-size="14.5" font-weight="bold" text-anchor="middle">Risk ratio (log scale) éàç</text>
            <text x="3.1" y="110.9" font-size="8" fill="#555555">Heterogeneity: I² = 42%, τ² = 0.031</text>
        </svg>"##;
        let dpi = 150.0;
        assert!(Scene::new(svg, dpi, 1).unwrap().taken.is_some());
        let (_, worst, mean, _, want) = against_resvg(svg, (400.0, 120.0), dpi);
        let inked = want.iter().filter(|&&v| v < 250).count();
        assert!(
            inked * 20 > want.len(),
            "the text is drawn: {inked} dark values"
        );
        assert!(
            worst <= 96 && mean < 1.0,
            "up to {worst}, {mean:.3} on average"
        );
    }
}
