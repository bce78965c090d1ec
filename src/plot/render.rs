//! PNG and PDF from the SVG text, rendered with resvg and svg2pdf using only the bundled
//! fonts (no system fonts), so the output is the same on every machine.

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
    #[error("the plot is too large for a PNG of {width} x {height} pixels; lower --dpi or use .svg or .pdf")]
    TooLarge {
        /// Width in px.
        width: u32,
        /// Height in px.
        height: u32,
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

/// Renders SVG text to PNG bytes at `dpi` (SVG px are 1/96 inch).
pub fn to_png(svg: &str, dpi: f64) -> Result<Vec<u8>, RenderError> {
    let t = tree(svg)?;
    let scale = (dpi / 96.0) as f32;
    let size = t.size();
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
