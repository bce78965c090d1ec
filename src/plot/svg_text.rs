//! The text of an SVG document taken out of it, so that [`super::render`] can draw the
//! shapes with resvg and the text from a cache of glyph masks ([`super::glyphs`]); with it
//! the rectangles along the axes (filled exactly), the plain circles (drawn from stamps,
//! [`super::stamps`]) and the other plain lines (from coverage masks, [`super::lines`]).
//!
//! Only documents as [`super::svg`] writes them are split: a root `<svg>` whose children are
//! shapes and `<text>` elements with plain attributes (position, size, weight, anchor, an
//! opaque fill) and one run of text. For anything else [`split`] gives `None` and the whole
//! document is rendered by resvg, text included. Only with the `render` feature.
#![cfg(feature = "render")]

use std::str::FromStr;

pub(super) use super::lines::Dashes;

pub(super) use super::primitives::Anchor;

/// One `<text>` element.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Text {
    pub x: f32,
    pub y: f32,
    /// Font size in SVG px.
    pub size: f32,
    pub bold: bool,
    pub anchor: Anchor,
    /// The fill colour, opaque.
    pub rgb: [u8; 3],
    /// The characters, with white space as SVG's default `xml:space` leaves it.
    pub text: String,
}

/// A rectangle of one opaque colour with sides along the axes, in SVG px: a `<rect>`, or
/// a `<line>` along an axis with its stroke (butt ends: the stroke covers exactly this).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Block {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub rgb: [u8; 3],
}

/// A `<circle>` with only its centre, its radius, and fill and stroke each opaque or none, in
/// SVG px: drawn from a stamp ([`super::stamps`]), as a funnel plot's many equal points are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Mark {
    pub cx: f32,
    pub cy: f32,
    pub r: f32,
    pub fill: Option<[u8; 3]>,
    /// The stroke's colour and width.
    pub stroke: Option<([u8; 3], f32)>,
}

impl Mark {
    /// How far the mark reaches from its centre, SVG px: the radius and half the stroke.
    pub fn extent(&self) -> f32 {
        self.r + self.stroke.map_or(0.0, |(_, w)| w / 2.0)
    }
}

/// A `<line>` with only its ends, an opaque stroke wider than a hairline and perhaps a dash
/// pattern, that is not a [`Block`] (slanted, or dashed), in SVG px: drawn from coverage
/// masks ([`super::lines`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub width: f32,
    pub rgb: [u8; 3],
    pub dashes: Option<Dashes>,
}

/// What was taken out of the document, in document order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Taken {
    /// The text of that number in [`Split::texts`].
    Text(usize),
    Block(Block),
    /// The mark of that number in [`Split::marks`].
    Mark(usize),
    /// The line of that number in [`Split::lines`].
    Line(usize),
}

/// An SVG document with its text and its axis-aligned rectangles taken out, and its other
/// shapes grouped: each run of shapes between two taken elements is one `<g>`, so that the
/// taken elements can be drawn between the groups.
#[derive(Debug)]
pub(super) struct Split {
    /// The document's width and height, SVG px.
    pub size: (f64, f64),
    /// The document without the taken elements.
    pub shapes_svg: String,
    /// How many groups of shapes the root of `shapes_svg` has.
    pub groups: usize,
    /// The texts, in document order.
    pub texts: Vec<Text>,
    /// The marks, in document order.
    pub marks: Vec<Mark>,
    /// The lines, in document order.
    pub lines: Vec<Line>,
    /// What was taken out, each with the number of groups before it in the document: it is
    /// drawn over those and under the rest.
    pub taken: Vec<(usize, Taken)>,
}

/// The shapes that may sit beside the texts: elements without children whose drawing does
/// not depend on anything else in the document.
const SHAPES: [&str; 7] = [
    "rect", "line", "circle", "ellipse", "polygon", "polyline", "path",
];

/// `svg` with its text, blocks, marks and lines taken out, or `None` when the document is not
/// one that can be split (see the module's documentation) or does not parse. Circles
/// reaching further than `mark_extent` SVG px from their centre stay shapes, and so do lines
/// no wider than `hairline` SVG px (which tiny-skia draws as hairlines).
pub(super) fn split(svg: &str, mark_extent: f32, hairline: f32) -> Option<Split> {
    let doc = roxmltree::Document::parse(svg).ok()?;
    let root = doc.root_element();
    if !is_svg(root, "svg") {
        return None;
    }
    let (width, height) = plain_root(root)?;
    let mut out = Shapes {
        svg,
        text: String::with_capacity(svg.len() + 64),
        copied: 0,
        open: None,
        groups: 0,
    };
    let (mut texts, mut marks, mut taken) = (Vec::new(), Vec::new(), Vec::new());
    let mut lines = Vec::new();
    for node in root.children() {
        if node.is_text() || node.is_comment() {
            continue;
        }
        if !node.is_element() {
            return None;
        }
        // usvg skips elements of other namespaces; so would the split, but simpler to leave
        // such a document to it.
        if node.tag_name().namespace() != Some(SVG_NS) {
            return None;
        }
        let name = node.tag_name().name();
        if name == "text" {
            out.close();
            taken.push((out.groups, Taken::Text(texts.len())));
            texts.push(text(node)?);
            out.skip(node.range());
        } else if let Some(block) = block(node) {
            out.close();
            // A rectangle of no size draws nothing, and a white one drawn first (the
            // background) nothing that the white canvas does not already have.
            let first = out.groups == 0 && taken.is_empty();
            if block.x0 < block.x1 && block.y0 < block.y1 && !(first && block.rgb == [255; 3]) {
                taken.push((out.groups, Taken::Block(block)));
            }
            out.skip(node.range());
        } else if let Some(mark) = mark(node).filter(|m| m.extent() <= mark_extent) {
            out.close();
            // A circle without fill or stroke draws nothing.
            if mark.fill.is_some() || mark.stroke.is_some() {
                taken.push((out.groups, Taken::Mark(marks.len())));
                marks.push(mark);
            }
            out.skip(node.range());
        } else if let Some(line) = line(node).filter(|l| l.width > hairline) {
            out.close();
            taken.push((out.groups, Taken::Line(lines.len())));
            lines.push(line);
            out.skip(node.range());
        } else if SHAPES.contains(&name) && !node.children().any(|c| c.is_element()) {
            out.shape(node.range());
        } else {
            return None;
        }
    }
    out.close();
    out.skip(svg.len()..svg.len());
    Some(Split {
        size: (width, height),
        shapes_svg: out.text,
        groups: out.groups,
        texts,
        marks,
        lines,
        taken,
    })
}

/// The document being copied without its text, each run of shapes between two texts
/// wrapped in a group of its own.
struct Shapes<'a> {
    svg: &'a str,
    text: String,
    /// How much of `svg` has been copied or skipped.
    copied: usize,
    /// The end of the last shape, while a group is open.
    open: Option<usize>,
    groups: usize,
}

impl Shapes<'_> {
    /// Copies the document up to the shape at `at`, opening a group if none is open.
    fn shape(&mut self, at: std::ops::Range<usize>) {
        if self.open.is_none() {
            self.text.push_str(&self.svg[self.copied..at.start]);
            self.text.push_str("<g>");
            self.copied = at.start;
        }
        self.open = Some(at.end);
    }

    /// Closes the open group, if any, after its last shape.
    fn close(&mut self) {
        if let Some(end) = self.open.take() {
            self.text.push_str(&self.svg[self.copied..end]);
            self.text.push_str("</g>");
            self.copied = end;
            self.groups += 1;
        }
    }

    /// Copies the document up to `at` and skips `at`.
    fn skip(&mut self, at: std::ops::Range<usize>) {
        self.text.push_str(&self.svg[self.copied..at.start]);
        self.copied = at.end;
    }
}

/// The SVG namespace.
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Whether `node` is the SVG element `name`, in SVG's namespace.
fn is_svg(node: roxmltree::Node, name: &str) -> bool {
    node.tag_name().namespace() == Some(SVG_NS) && node.tag_name().name() == name
}

/// The document's width and height in SVG px, if the root's attributes leave SVG px as the
/// coordinates of its children: no transform, no style, a view box (if any) at the origin
/// with the document's size.
fn plain_root(root: roxmltree::Node) -> Option<(f64, f64)> {
    let number = |name: &str| root.attribute(name).and_then(|v| f64::from_str(v).ok());
    let allowed = ["width", "height", "viewBox", "font-family"];
    // Namespaced attributes too (xml:space, or SVG's own through a prefix) change how usvg
    // draws the children.
    if root
        .attributes()
        .any(|a| a.namespace().is_some() || !allowed.contains(&a.name()))
    {
        return None;
    }
    let (w, h) = (number("width")?, number("height")?);
    let plain = match root.attribute("viewBox") {
        None => true,
        Some(v) => {
            let b: Vec<f64> = v
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(f64::from_str)
                .collect::<Result<_, _>>()
                .unwrap_or_default();
            b == [0.0, 0.0, w, h]
        }
    };
    plain.then_some((w, h))
}

/// A `<rect>` with only a position, a size and an opaque fill, or a `<line>` along an axis
/// with only its ends and an opaque stroke of some width, as the rectangle it covers.
fn block(node: roxmltree::Node) -> Option<Block> {
    let plain = |allowed: &[&str]| only(node, allowed) && !node.has_children();
    let number = |name: &str, default: f32| number(node, name, default);
    let colour = |name: &str| match node.attribute(name) {
        None => Some([0, 0, 0]),
        Some(v) => opaque(v),
    };
    match node.tag_name().name() {
        "rect" if plain(&["x", "y", "width", "height", "fill"]) => {
            let (x, y) = (number("x", 0.0)?, number("y", 0.0)?);
            let (w, h) = (number("width", 0.0)?, number("height", 0.0)?);
            Some(Block {
                x0: x,
                y0: y,
                x1: x + w,
                y1: y + h,
                rgb: colour("fill")?,
            })
        }
        "line" if plain(&["x1", "y1", "x2", "y2", "stroke", "stroke-width"]) => {
            let (x1, y1) = (number("x1", 0.0)?, number("y1", 0.0)?);
            let (x2, y2) = (number("x2", 0.0)?, number("y2", 0.0)?);
            let half = number("stroke-width", 1.0).filter(|w| *w >= 0.0)? / 2.0;
            // Without a stroke or a length (butt ends) a line draws nothing: an empty block.
            let nothing = Block {
                x0: 0.0,
                y0: 0.0,
                x1: 0.0,
                y1: 0.0,
                rgb: [0; 3],
            };
            let rgb = match node.attribute("stroke") {
                None => return Some(nothing),
                Some(v) => opaque(v)?,
            };
            if (x1, y1) == (x2, y2) {
                return Some(nothing);
            }
            let (left, right) = (x1.min(x2), x1.max(x2));
            let (up, down) = (y1.min(y2), y1.max(y2));
            if y1 == y2 && x1 != x2 {
                Some(Block {
                    x0: left,
                    y0: y1 - half,
                    x1: right,
                    y1: y1 + half,
                    rgb,
                })
            } else if x1 == x2 && y1 != y2 {
                Some(Block {
                    x0: x1 - half,
                    y0: up,
                    x1: x1 + half,
                    y1: down,
                    rgb,
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A `<line>` of some length with only its ends, an opaque stroke of some width and perhaps
/// a dash pattern of plain numbers ([`Dashes::parse`]); called for lines that are not blocks.
fn line(node: roxmltree::Node) -> Option<Line> {
    let allowed = [
        "x1",
        "y1",
        "x2",
        "y2",
        "stroke",
        "stroke-width",
        "stroke-dasharray",
    ];
    if node.tag_name().name() != "line" || node.has_children() || !only(node, &allowed) {
        return None;
    }
    let end = |name: &str| number(node, name, 0.0);
    let (x1, y1, x2, y2) = (end("x1")?, end("y1")?, end("x2")?, end("y2")?);
    let dashes = match node.attribute("stroke-dasharray") {
        None | Some("none") => None,
        Some(v) => Some(Dashes::parse(v)?),
    };
    let line = Line {
        x1,
        y1,
        x2,
        y2,
        width: number(node, "stroke-width", 1.0)?,
        rgb: opaque(node.attribute("stroke")?)?,
        dashes,
    };
    (line.width > 0.0 && (x1, y1) != (x2, y2)).then_some(line)
}

/// A `<circle>` with a radius above zero and only the attributes [`Mark`] holds, each fill and
/// stroke an opaque colour or none, a stroke (if any) of some width.
fn mark(node: roxmltree::Node) -> Option<Mark> {
    let allowed = ["cx", "cy", "r", "fill", "stroke", "stroke-width"];
    if node.tag_name().name() != "circle" || node.has_children() || !only(node, &allowed) {
        return None;
    }
    let number = |name: &str, default: f32| number(node, name, default);
    let paint = |name: &str, default: Option<[u8; 3]>| match node.attribute(name) {
        None => Some(default),
        Some("none") => Some(None),
        Some(v) => opaque(v).map(Some),
    };
    let stroke = match paint("stroke", None)? {
        None => None,
        Some(rgb) => Some((rgb, number("stroke-width", 1.0).filter(|w| *w > 0.0)?)),
    };
    Some(Mark {
        cx: number("cx", 0.0)?,
        cy: number("cy", 0.0)?,
        r: number("r", 0.0).filter(|r| *r > 0.0)?,
        fill: paint("fill", Some([0, 0, 0]))?,
        stroke,
    })
}

/// Whether every attribute of `node` is one of `allowed`, none in a namespace.
fn only(node: roxmltree::Node, allowed: &[&str]) -> bool {
    node.attributes()
        .all(|a| a.namespace().is_none() && allowed.contains(&a.name()))
}

/// The number in `node`'s attribute `name`, `default` without one; `None` if it is not a
/// finite number.
fn number(node: roxmltree::Node, name: &str, default: f32) -> Option<f32> {
    match node.attribute(name) {
        None => Some(default),
        Some(v) => f32::from_str(v).ok().filter(|n| n.is_finite()),
    }
}

/// An opaque colour, or `None` for any other paint (none, a gradient, a colour with alpha).
fn opaque(v: &str) -> Option<[u8; 3]> {
    let c = svgtypes::Color::from_str(v).ok()?;
    (c.alpha == 255).then_some([c.red, c.green, c.blue])
}

/// A `<text>` element with only the attributes [`Text`] holds and one run of characters.
fn text(node: roxmltree::Node) -> Option<Text> {
    let allowed = ["x", "y", "font-size", "font-weight", "text-anchor", "fill"];
    if !only(node, &allowed) {
        return None;
    }
    let number = |name: &str, default: f32| number(node, name, default);
    let chars = match node.children().collect::<Vec<_>>().as_slice() {
        [] => "",
        [only] if only.is_text() => only.text()?,
        _ => return None,
    };
    Some(Text {
        x: number("x", 0.0)?,
        y: number("y", 0.0)?,
        size: number("font-size", 12.0).filter(|s| *s > 0.0)?,
        bold: match node.attribute("font-weight") {
            None | Some("normal") => false,
            Some("bold") => true,
            Some(_) => return None,
        },
        anchor: match node.attribute("text-anchor") {
            None | Some("start") => Anchor::Start,
            Some("middle") => Anchor::Middle,
            Some("end") => Anchor::End,
            Some(_) => return None,
        },
        rgb: match node.attribute("fill") {
            None => [0, 0, 0],
            Some(v) => opaque(v)?,
        },
        text: collapse_white_space(chars),
    })
}

/// The characters of a text as SVG's default `xml:space` draws them (and usvg with it): line
/// breaks and tabs become spaces, runs of spaces one space, and a space at either end goes.
fn collapse_white_space(chars: &str) -> String {
    let mut out = String::with_capacity(chars.len());
    for c in chars.chars() {
        let c = if matches!(c, '\r' | '\n' | '\t') {
            ' '
        } else {
            c
        };
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    if out == " " {
        out.clear();
    } else if out.len() > 1 {
        if out.ends_with(' ') {
            out.pop();
        }
        if out.starts_with(' ') {
            out.remove(0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100" font-family="DejaVu Sans, Verdana, sans-serif">
<rect x="0" y="0" width="200" height="100" fill="#ffffff"/>
<text x="10" y="20" font-size="11" fill="#000000">Study &amp; 1</text>
<line x1="0" y1="0" x2="10" y2="10" stroke="#000000" stroke-width="1"/>
<text x="190" y="40.5" font-size="12" font-weight="bold" text-anchor="end" fill="#1f3b73">  Total
  (95%)  </text>
</svg>
"##;

    /// A document 50 px square of `body`.
    fn doc(body: &str) -> String {
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50">{body}</svg>"#)
    }

    #[test]
    fn texts_are_taken_out_with_their_place_among_the_shapes() {
        // The line, no wider than a hairline, stays a shape.
        let s = split(DOC, f32::INFINITY, 1.0).unwrap();
        assert_eq!(s.groups, 1);
        assert!(!s.shapes_svg.contains("<text"));
        assert!(s.shapes_svg.contains("<g><line") && s.shapes_svg.ends_with("</svg>\n"));
        assert!(s.shapes_svg.contains(r#"stroke-width="1"/></g>"#));
        assert_eq!(s.shapes_svg.matches("<g>").count(), 1);
        assert!(!s.shapes_svg.contains("<rect"));
        // The white background is left out: the canvas is white.
        assert_eq!(s.taken, [(0, Taken::Text(0)), (1, Taken::Text(1))]);
        assert_eq!(s.texts.len(), 2);
        let (a, b) = (&s.texts[0], &s.texts[1]);
        assert_eq!((a.x, a.y, a.size), (10.0, 20.0, 11.0));
        assert_eq!((a.bold, a.anchor, a.rgb), (false, Anchor::Start, [0, 0, 0]));
        assert_eq!(a.text, "Study & 1");
        assert_eq!((b.bold, b.anchor), (true, Anchor::End));
        assert_eq!(b.rgb, [0x1f, 0x3b, 0x73]);
        assert_eq!(b.text, "Total (95%)");
    }

    #[test]
    fn documents_it_cannot_draw_the_same_are_left_whole() {
        let cases = [
            // A transform, a group, a style sheet, a span, an opacity, a view box that scales.
            DOC.replace("<text x=\"10\"", r#"<text transform="scale(2)" x="10""#),
            DOC.replace("<rect ", r#"<g><rect "#)
                .replace(r##"fill="#ffffff"/>"##, r##"fill="#ffffff"/></g>"##),
            DOC.replace("<rect ", "<style>text { fill: red }</style><rect "),
            DOC.replace("Study &amp; 1", "Study <tspan>1</tspan>"),
            DOC.replace(
                r##"fill="#1f3b73""##,
                r##"fill="#1f3b73" fill-opacity="0.5""##,
            ),
            DOC.replace("viewBox=\"0 0 200 100\"", "viewBox=\"0 0 100 50\""),
            DOC.replace("font-weight=\"bold\"", "font-weight=\"600\""),
            DOC.replace("fill=\"#000000\">Study", "fill=\"rgba(0,0,0,0.5)\">Study"),
            DOC.replace("<svg ", "<svg style=\"font-size: 20px\" "),
            DOC.replace("<svg ", "<svg xml:space=\"preserve\" "),
            DOC.replace(
                "<svg ",
                "<svg xmlns:s=\"http://www.w3.org/2000/svg\" s:font-size=\"30\" ",
            ),
            DOC.replace("<line ", "<x:line xmlns:x=\"http://example.com/x\" "),
            DOC.replace(" xmlns=\"http://www.w3.org/2000/svg\"", ""),
            "<svg".to_string(),
        ];
        for doc in cases {
            assert!(split(&doc, f32::INFINITY, 0.0).is_none(), "{doc}");
        }
    }

    /// Rectangles and lines along an axis become blocks; a rect with a stroke or rounded
    /// corners, a line with square ends, stays a shape.
    #[test]
    fn blocks_are_the_area_a_rect_or_a_straight_line_covers() {
        let one = |body: &str| split(&doc(body), f32::INFINITY, 0.0).unwrap();
        let s = one(r##"<line x1="30" y1="8" x2="10" y2="8" stroke="#ff0000" stroke-width="2"/>"##);
        let want = Block {
            x0: 10.0,
            y0: 7.0,
            x1: 30.0,
            y1: 9.0,
            rgb: [255, 0, 0],
        };
        assert_eq!(
            (s.groups, s.taken.as_slice()),
            (0, [(0, Taken::Block(want))].as_slice())
        );
        let s = one(r#"<line x1="4" y1="40" x2="4" y2="2" stroke="black"/>"#);
        let want = Block {
            x0: 3.5,
            y0: 2.0,
            x1: 4.5,
            y1: 40.0,
            rgb: [0; 3],
        };
        assert_eq!(s.taken, [(0, Taken::Block(want))]);
        // Nothing to draw: no stroke, no length, no size.
        for nothing in [
            r#"<line x1="1" y1="2" x2="9" y2="2"/>"#,
            r#"<line x1="1" y1="2" x2="1" y2="2" stroke="black"/>"#,
            r#"<rect x="1" y="2" width="0" height="5"/>"#,
        ] {
            let s = one(nothing);
            assert!(s.taken.is_empty() && s.groups == 0, "{nothing}");
        }
        for shape in [
            r#"<line x1="1" y1="2" x2="9" y2="2" stroke="black" stroke-linecap="square"/>"#,
            r#"<rect x="1" y="2" width="3" height="5" stroke="black"/>"#,
            r#"<rect x="1" y="2" width="3" height="5" fill="none"/>"#,
            r#"<rect x="1" y="2" width="3" height="5" rx="1"/>"#,
        ] {
            let s = one(shape);
            assert!(s.taken.is_empty() && s.groups == 1, "{shape}");
        }
    }

    /// Slanted and dashed lines of plain paint, wider than a hairline, become lines; others
    /// stay shapes.
    #[test]
    fn lines_are_slanted_or_dashed_lines_of_plain_paint() {
        let one = |body: &str| split(&doc(body), f32::INFINITY, 0.5).unwrap();
        let s = one(r##"<line x1="1" y1="2" x2="9" y2="3" stroke="#102030" stroke-width="2"/>"##);
        let want = Line {
            x1: 1.0,
            y1: 2.0,
            x2: 9.0,
            y2: 3.0,
            width: 2.0,
            rgb: [0x10, 0x20, 0x30],
            dashes: None,
        };
        assert_eq!((s.taken, s.lines), (vec![(0, Taken::Line(0))], vec![want]));
        let s =
            one(r#"<line x1="1" y1="2" x2="9" y2="2" stroke="red" stroke-dasharray="4, 3 1"/>"#);
        let dashes = s.lines[0].dashes.clone();
        assert_eq!(dashes, Some(Dashes(vec![4.0, 3.0, 1.0, 4.0, 3.0, 1.0])));
        for shape in [
            // A hairline at this scale, a stroke with alpha, other attributes.
            r#"<line x1="1" y1="2" x2="9" y2="3" stroke="black" stroke-width="0.5"/>"#,
            r#"<line x1="1" y1="2" x2="9" y2="3" stroke="black" stroke-opacity="0.5"/>"#,
            r#"<line x1="1" y1="2" x2="9" y2="3" stroke="black" stroke-linecap="round"/>"#,
            // Dash patterns resvg draws otherwise, or that are not plain numbers.
            r#"<line x1="1" y1="2" x2="9" y2="3" stroke="black" stroke-dasharray="4,-1"/>"#,
            r#"<line x1="1" y1="2" x2="9" y2="3" stroke="black" stroke-dasharray="0,0"/>"#,
            r#"<line x1="1" y1="2" x2="9" y2="3" stroke="black" stroke-dasharray="4px"/>"#,
        ] {
            let s = one(shape);
            assert!(s.taken.is_empty() && s.groups == 1, "{shape}");
        }
    }

    /// Circles with opaque or no paint become marks; others stay shapes.
    #[test]
    fn marks_are_circles_of_plain_paint() {
        let s = split(
            &doc(r##"<circle cx="5" cy="6.5" r="3.5" fill="#1f3b73" stroke="#ffffff" stroke-width="1"/><line x1="1" y1="2" x2="9" y2="3" stroke="black"/><circle cx="1" cy="2" r="2" fill="none" stroke="red"/><circle cx="1" cy="2" r="2" fill="none"/><circle r="1"/>"##),
            4.0,
            // The line, no wider than a hairline, stays a shape.
            1.0,
        )
        .unwrap();
        let want = Mark {
            cx: 5.0,
            cy: 6.5,
            r: 3.5,
            fill: Some([0x1f, 0x3b, 0x73]),
            stroke: Some(([255; 3], 1.0)),
        };
        assert_eq!(s.marks[0], want);
        assert_eq!(want.extent(), 4.0);
        assert_eq!(s.marks[1].fill, None);
        assert_eq!(s.marks[1].stroke, Some(([255, 0, 0], 1.0)));
        assert_eq!(
            (s.marks[2].cx, s.marks[2].fill, s.marks[2].stroke),
            (0.0, Some([0; 3]), None)
        );
        assert_eq!(
            s.taken,
            [
                (0, Taken::Mark(0)),
                (1, Taken::Mark(1)),
                (1, Taken::Mark(2))
            ]
        );
        assert_eq!(s.groups, 1);
        for shape in [
            r##"<circle cx="5" cy="5" r="3.5" fill="#1f3b73" stroke="#ffffff" stroke-width="1"/>"##,
            r#"<circle cx="5" cy="5" r="2" fill-opacity="0.5"/>"#,
            r#"<circle cx="5" cy="5" r="2" fill="rgba(0,0,0,0.5)"/>"#,
            r#"<circle cx="5" cy="5" r="0"/>"#,
            r#"<circle cx="5" cy="5" r="-1"/>"#,
            r#"<circle cx="5" cy="5" r="2" stroke="black" stroke-width="0"/>"#,
            r#"<circle cx="5" cy="5" r="2" fill="url(#g)"/>"#,
            r#"<circle cx="5" cy="5" r="2" fill="currentColor"/>"#,
            r#"<circle cx="inf" cy="5" r="2"/>"#,
            r#"<ellipse cx="5" cy="5" rx="2" ry="2"/>"#,
        ] {
            // The first reaches 4 px from its centre: more than 3.5.
            let s = split(&doc(shape), 3.5, 0.0).unwrap();
            assert!(s.marks.is_empty() && s.groups == 1, "{shape}");
        }
    }

    #[test]
    fn white_space_is_collapsed_as_svg_does() {
        for (raw, want) in [
            ("a  b", "a b"),
            (" a\tb\n", "a b"),
            (" ", ""),
            ("\n\n", ""),
            ("x", "x"),
            ("  x  ", "x"),
            ("é  ", "é"),
        ] {
            assert_eq!(collapse_white_space(raw), want, "{raw:?}");
        }
    }
}
