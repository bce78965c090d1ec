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

/// Renders SVG text to PNG bytes at `dpi` (SVG px are 1/96 inch), within the pixel budget
/// ([`check_pixel_budget`], checked before the bitmap is allocated).
pub fn to_png(svg: &str, dpi: f64) -> Result<Vec<u8>, RenderError> {
    let t = tree(svg)?;
    let scale = (dpi / 96.0) as f32;
    let size = t.size();
    check_pixel_budget(size.width() as f64, size.height() as f64, dpi)?;
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(RenderError::TooLarge {
        width: w,
        height: h,
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &t,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| RenderError::Encode {
        format: "PNG",
        message: e.to_string(),
    })
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
            // The PNG header holds the width and the height, big-endian, at bytes 16..24.
            let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
            let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
            assert_eq!(png_pixels(width, height, 150.0), (w as f64, h as f64));
        }
    }
}
