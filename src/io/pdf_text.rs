//! The text layer of a PDF page as lines of text, from where each string is drawn.
//!
//! A PDF does not store lines or spaces: it draws strings at positions. Producers differ —
//! TeX moves within a text object with `Td` and puts word gaps into `TJ` kerning, word
//! processors draw a line per `Tj`, SVG converters place every glyph on its own. So the
//! text is rebuilt from geometry (PDF 32000-1:2008, section 9.4): the text matrix is followed
//! through `BT`, `Tm`, `Td`, `TD`, `T*`, `TL`, `'` and `"`, every string's advance is
//! computed from its font's widths (`/Widths` of simple fonts, `/W` and `/DW` of CID fonts,
//! section 9.7.4.3), and then
//! - a string whose baseline lies more than half a font size from the previous one starts a
//!   new line;
//! - a string that starts more than 0.15 em after the previous one ended (or a `TJ` kerning
//!   of more than 150/1000 em) gets a space before it, unless one is already there.
//!
//! Strings are decoded with the font's encoding as `lopdf` reads it (ToUnicode CMaps,
//! standard and difference encodings).

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

/// A gap wider than this many em is a space.
const SPACE_EM: f64 = 0.15;

/// A font: its encoding, bytes per character code and widths (1/1000 em).
struct Font<'a> {
    encoding: Encoding<'a>,
    two_byte: bool,
    widths: BTreeMap<u32, f64>,
    default_width: f64,
}

impl Font<'_> {
    /// The advance of `bytes` in text space units of 1 em, and the number of codes.
    fn advance(&self, bytes: &[u8]) -> (f64, usize) {
        let codes: Vec<u32> = if self.two_byte {
            bytes
                .chunks(2)
                .map(|c| c.iter().fold(0u32, |a, &b| a << 8 | b as u32))
                .collect()
        } else {
            bytes.iter().map(|&b| b as u32).collect()
        };
        let w: f64 = codes
            .iter()
            .map(|c| *self.widths.get(c).unwrap_or(&self.default_width))
            .sum();
        (w / 1000.0, codes.len())
    }
}

/// The state of the text being drawn.
struct Pen {
    /// Text matrix and line matrix `[a b c d e f]`.
    tm: [f64; 6],
    tlm: [f64; 6],
    leading: f64,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    /// Where the last string ended (x, y) and its font size in device units.
    last: Option<(f64, f64, f64)>,
}

const IDENTITY: [f64; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn translate(m: [f64; 6], tx: f64, ty: f64) -> [f64; 6] {
    [
        m[0],
        m[1],
        m[2],
        m[3],
        tx * m[0] + ty * m[2] + m[4],
        tx * m[1] + ty * m[3] + m[5],
    ]
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

/// The text of every page, a blank line between pages; a page that cannot be read is left
/// out.
pub(crate) fn document_text(doc: &Document) -> String {
    let mut out = String::new();
    for (_, &page) in doc.get_pages().iter() {
        if let Some(t) = page_text(doc, page) {
            out.push_str(&t);
            out.push_str("\n\n");
        }
    }
    out
}

fn page_text(doc: &Document, page: ObjectId) -> Option<String> {
    let fonts: BTreeMap<Vec<u8>, Font> = doc
        .get_page_fonts(page)
        .ok()?
        .into_iter()
        .filter_map(|(name, dict)| Some((name, font(doc, dict)?)))
        .collect();
    let content = Content::decode(&doc.get_page_content(page).ok()?).ok()?;
    let mut pen = Pen {
        tm: IDENTITY,
        tlm: IDENTITY,
        leading: 0.0,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        last: None,
    };
    let mut font_now: Option<&Font> = None;
    let mut out = String::new();
    for op in &content.operations {
        let o = &op.operands;
        let n = |i: usize| o.get(i).and_then(num).unwrap_or(0.0);
        match op.operator.as_str() {
            "BT" => {
                pen.tm = IDENTITY;
                pen.tlm = IDENTITY;
            }
            "Tf" => {
                font_now = o
                    .first()
                    .and_then(|f| f.as_name().ok())
                    .and_then(|f| fonts.get(f));
                pen.size = n(1);
            }
            "Tc" => pen.char_spacing = n(0),
            "Tw" => pen.word_spacing = n(0),
            "TL" => pen.leading = n(0),
            "Td" => move_line(&mut pen, n(0), n(1)),
            "TD" => {
                pen.leading = -n(1);
                move_line(&mut pen, n(0), n(1));
            }
            "T*" => next_line(&mut pen),
            "Tm" if o.len() == 6 => {
                pen.tm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                pen.tlm = pen.tm;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator == "'" || op.operator == "\"" {
                    next_line(&mut pen);
                }
                if op.operator == "\"" {
                    pen.word_spacing = n(0);
                    pen.char_spacing = n(1);
                }
                if let Some(f) = font_now {
                    show(&mut pen, f, o, &mut out);
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// `T*`: to the start of the next line, one leading down.
fn next_line(pen: &mut Pen) {
    let leading = pen.leading;
    move_line(pen, 0.0, -leading);
}

fn move_line(pen: &mut Pen, tx: f64, ty: f64) {
    pen.tlm = translate(pen.tlm, tx, ty);
    pen.tm = pen.tlm;
}

/// Draws the strings of a `Tj`, `TJ`, `'` or `"` operation.
fn show(pen: &mut Pen, font: &Font, operands: &[Object], out: &mut String) {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => put(pen, font, bytes, out),
            Object::Array(items) => {
                for item in items {
                    match item {
                        Object::String(bytes, _) => put(pen, font, bytes, out),
                        other => {
                            // A kerning of k/1000 em moves the pen back by k.
                            let k = num(other).unwrap_or(0.0) / 1000.0;
                            pen.tm = translate(pen.tm, -k * pen.size, 0.0);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Writes one string at the pen's position, with a line break or space before it where the
/// geometry says so, and moves the pen past it.
fn put(pen: &mut Pen, font: &Font, bytes: &[u8], out: &mut String) {
    let mut text = String::new();
    if font.encoding.write_to_string(bytes, &mut text).is_err() || text.is_empty() {
        return;
    }
    if text.contains(|c: char| ('\u{FB00}'..='\u{FB06}').contains(&c)) {
        text = unligature(&text);
    }
    let (x, y) = (pen.tm[4], pen.tm[5]);
    let scale = (pen.tm[0] * pen.tm[3] - pen.tm[1] * pen.tm[2]).abs().sqrt();
    let em = (pen.size * scale).abs().max(1e-6);
    if let Some((lx, ly, lem)) = pen.last {
        let size = em.max(lem);
        if (y - ly).abs() > 0.5 * size || x < lx - 2.0 * size {
            out.push('\n');
        } else if x - lx > SPACE_EM * size && !out.ends_with([' ', '\n']) && !text.starts_with(' ')
        {
            out.push(' ');
        }
    }
    out.push_str(&text);
    let (w, codes) = font.advance(bytes);
    let spaces = text.matches(' ').count() as f64;
    let advance = w * pen.size + pen.char_spacing * codes as f64 + pen.word_spacing * spaces;
    pen.tm = translate(pen.tm, advance, 0.0);
    pen.last = Some((pen.tm[4], pen.tm[5], em));
}

/// Typographic ligatures (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) as their letters, so that words are found.
fn unligature(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

/// A page font's encoding and widths; `None` when its encoding cannot be read.
fn font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<Font<'a>> {
    let encoding = dict.get_font_encoding(doc).ok()?;
    let subtype = dict
        .get(b"Subtype")
        .and_then(|o| o.as_name())
        .unwrap_or(&[]);
    if subtype == b"Type0" {
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(|d| deref(doc, d))
            .and_then(|d| d.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|d| deref(doc, d))
            .and_then(|d| d.as_dict().ok());
        let (widths, default_width) =
            descendant.map_or((BTreeMap::new(), 1000.0), |d| cid_widths(doc, d));
        return Some(Font {
            encoding,
            two_byte: true,
            widths,
            default_width,
        });
    }
    let first = dict.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
    let widths = dict
        .get(b"Widths")
        .ok()
        .and_then(|w| deref(doc, w))
        .and_then(|w| w.as_array().ok())
        .map(|a| {
            a.iter()
                .enumerate()
                .filter_map(|(i, w)| Some((first + i as u32, num(deref(doc, w)?)?)))
                .collect()
        })
        .unwrap_or_default();
    Some(Font {
        encoding,
        two_byte: false,
        widths,
        // The standard 14 fonts come without widths: half an em is their typical advance.
        default_width: 500.0,
    })
}

/// The `/W` widths and `/DW` default of a CID font (section 9.7.4.3): `c [w1 w2 …]` gives
/// codes from `c` on, `c1 c2 w` one width for a range.
fn cid_widths(doc: &Document, d: &Dictionary) -> (BTreeMap<u32, f64>, f64) {
    let dw = d.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
    let mut widths = BTreeMap::new();
    let Some(w) = d
        .get(b"W")
        .ok()
        .and_then(|w| deref(doc, w))
        .and_then(|w| w.as_array().ok())
    else {
        return (widths, dw);
    };
    let mut i = 0;
    while i + 1 < w.len() {
        let Some(c) = num(&w[i]) else { break };
        match deref(doc, &w[i + 1]) {
            Some(Object::Array(list)) => {
                for (j, x) in list.iter().enumerate().take(65_536) {
                    if let Some(x) = num(x) {
                        widths.insert(c as u32 + j as u32, x);
                    }
                }
                i += 2;
            }
            Some(other) => {
                let (Some(c2), Some(x)) = (num(other), w.get(i + 2).and_then(num)) else {
                    break;
                };
                // Ranges are capped so that a hostile file cannot ask for billions of entries.
                for code in (c as u32..=c2 as u32).take(65_536) {
                    widths.insert(code, x);
                }
                i += 3;
            }
            None => break,
        }
    }
    (widths, dw)
}

/// An object, through a reference if it is one.
fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}
