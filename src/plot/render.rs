//! PNG and PDF from the SVG text, rendered with resvg and svg2pdf using only the bundled
//! fonts (no system fonts), so the output is the same on every machine.
//!
//! Only with the `render` feature (on by default, through `cli`).
#![cfg(feature = "render")]

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

use super::font;

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
    let scale = dpi / 96.0;
    ((width * scale).ceil(), (height * scale).ceil())
}

fn tree(svg: &str) -> Result<usvg::Tree, RenderError> {
    let mut opt = usvg::Options {
        font_family: font::FAMILY.to_string(),
        ..usvg::Options::default()
    };
    let db = opt.fontdb_mut();
    db.load_font_data(font::REGULAR.to_vec());
    db.load_font_data(font::BOLD.to_vec());
    db.set_sans_serif_family(font::FAMILY);
    let _ = Arc::clone(&opt.fontdb);
    usvg::Tree::from_str(svg, &opt).map_err(|e| RenderError::Svg(e.to_string()))
}

/// Rows of pixels drawn at a time by [`to_png`]: a strip of this height is drawn, appended to
/// the PNG stream and drawn over with the next, so memory stays at one strip (about 7 MB at
/// 1,700 px wide) however tall the figure.
const STRIP_ROWS: u32 = 1024;

/// Renders SVG text to PNG bytes at `dpi` (SVG px are 1/96 inch), within the pixel budget
/// ([`check_pixel_budget`], checked before anything is allocated).
///
/// The figure is drawn on white in strips of [`STRIP_ROWS`] rows, each shifted by a whole
/// number of pixels, so every pixel is the one a single canvas would have; it is opaque, so
/// the PNG is 8-bit RGB (no alpha channel) with fast compression.
pub fn to_png(svg: &str, dpi: f64) -> Result<Vec<u8>, RenderError> {
    let t = tree(svg)?;
    let scale = (dpi / 96.0) as f32;
    let size = t.size();
    check_pixel_budget(size.width() as f64, size.height() as f64, dpi)?;
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let too_large = RenderError::TooLarge {
        width: w,
        height: h,
    };
    if w == 0 || h == 0 {
        return Err(too_large);
    }
    let mut pixmap = tiny_skia::Pixmap::new(w, h.min(STRIP_ROWS)).ok_or(too_large)?;
    let mut image = Idat::new(w)?;
    let mut rgb = Vec::with_capacity(pixmap.data().len() / 4 * 3);
    let mut top = 0;
    while top < h {
        let rows = (h - top).min(STRIP_ROWS);
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &t,
            tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, 0.0, -(top as f32)),
            &mut pixmap.as_mut(),
        );
        rgb.clear();
        let drawn = &pixmap.data()[..(rows * w * 4) as usize];
        // Over white every pixel is opaque, so the premultiplied colour is the colour.
        rgb.extend(drawn.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]));
        image.rows(&rgb)?;
        top += rows;
    }
    image.finish(w, h)
}

/// The compressed image data of an 8-bit RGB PNG, written a strip at a time: each row
/// filtered with PNG's `Sub` filter (the difference from the pixel to the left, zero wherever
/// the figure is one colour), then the whole strip deflated at zlib's fast level in one write.
/// (Row by row, as the `png` crate's stream writer feeds it, the deflate writer clears its
/// 32 KiB output buffer at every row and spent more time on that than on compressing.)
struct Idat {
    zlib: flate2::write::ZlibEncoder<Vec<u8>>,
    row: usize,
    filtered: Vec<u8>,
}

impl Idat {
    fn new(width: u32) -> Result<Idat, RenderError> {
        Ok(Idat {
            zlib: flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast()),
            row: width as usize * 3,
            filtered: Vec::new(),
        })
    }

    /// Filters and compresses whole rows of RGB pixels.
    fn rows(&mut self, rgb: &[u8]) -> Result<(), RenderError> {
        const SUB: u8 = 1;
        self.filtered.clear();
        for row in rgb.chunks_exact(self.row) {
            self.filtered.push(SUB);
            self.filtered.extend_from_slice(&row[..3.min(row.len())]);
            let diffs = row[3.min(row.len())..]
                .iter()
                .zip(row)
                .map(|(&now, &left)| now.wrapping_sub(left));
            self.filtered.extend(diffs);
        }
        std::io::Write::write_all(&mut self.zlib, &self.filtered).map_err(encode_error)
    }

    /// The PNG file: its header, the compressed rows as IDAT chunks, its end.
    fn finish(self, width: u32, height: u32) -> Result<Vec<u8>, RenderError> {
        let encode = |e: png::EncodingError| encode_error(e.into());
        let data = self.zlib.finish().map_err(encode_error)?;
        let mut out = Vec::with_capacity(data.len() + 1024);
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(encode)?;
        for chunk in data.chunks(1 << 20) {
            writer
                .write_chunk(png::chunk::IDAT, chunk)
                .map_err(encode)?;
        }
        writer.finish().map_err(encode)?;
        Ok(out)
    }
}

fn encode_error(e: std::io::Error) -> RenderError {
    RenderError::Encode {
        format: "PNG",
        message: e.to_string(),
    }
}

/// Converts SVG text to a one-page vector PDF with the fonts embedded.
pub fn to_pdf(svg: &str) -> Result<Vec<u8>, RenderError> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The pixels of a figure taller than a strip, drawn strip by strip, are the pixels of one
    /// canvas (as resvg draws it, over white).
    #[test]
    fn strips_draw_what_one_canvas_draws() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="2200">
            <rect x="10.3" y="5.7" width="50.2" height="600.1" fill="#336699"/>
            <circle cx="60" cy="170.4" r="33.3" fill="none" stroke="black" stroke-width="1.3"/>
            <line x1="0" y1="0" x2="120" y2="2200" stroke="red" stroke-width="0.7"/>
            <text x="20" y="168" font-size="11">Study 1 [0.52; 1.33]</text>
            <polygon points="5,500 60,480 115,500 60,520" fill="black"/>
        </svg>"##;
        let dpi = 150.0;
        let png = to_png(svg, dpi).unwrap();
        let mut decoder = png::Decoder::new(png.as_slice()).read_info().unwrap();
        let mut got = vec![0; decoder.output_buffer_size()];
        decoder.next_frame(&mut got).unwrap();

        let t = tree(svg).unwrap();
        let scale = (dpi / 96.0) as f32;
        let (w, h) = png_pixels(120.0, 2200.0, dpi);
        assert!(h as u32 > 3 * STRIP_ROWS);
        let mut one = tiny_skia::Pixmap::new(w as u32, h as u32).unwrap();
        one.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &t,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut one.as_mut(),
        );
        let want: Vec<u8> = one
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(got.len(), want.len());
        let differ = got.iter().zip(&want).filter(|(a, b)| a != b).count();
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        // Where a path is cut at a strip's edge, tiny-skia may find a few edge pixels of a
        // slanted line a sixteenth or a quarter more or less covered: a few in ten thousand
        // channel values (a forest plot of 200 studies: 3,690 of 37.6 million, 64 at most).
        assert!(
            worst <= 64 && differ * 500 <= got.len(),
            "{differ} differ, by up to {worst}"
        );
    }
}
