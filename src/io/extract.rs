//! The text of a document, for `repool scan`: plain text and Markdown as they are, HTML
//! without its tags, PDF through its text layer, DOCX from `word/document.xml`.
//!
//! PDF text comes from [`lopdf`]'s `extract_text`, page by page: a pure-Rust parser with few
//! dependencies. Its extraction runs under `catch_unwind` on a thread of its own with a time
//! limit, and files above [`MAX_BYTES`] are refused, so a malformed PDF yields an error for
//! that file and never ends or hangs the process.
//!
//! Text that is not UTF-8 is decoded as Windows-1252 (which agrees with Latin-1 on every
//! printable character), with a note saying so.

use std::path::Path;
use std::time::Duration;

/// Largest file read (200 MB), and the largest text unpacked from one (a DOCX's
/// `word/document.xml`, standard input).
pub const MAX_BYTES: u64 = 200 * 1024 * 1024;
/// Longest a PDF's text extraction may take.
pub const PDF_TIME_LIMIT: Duration = Duration::from_secs(60);

/// Why a document's text cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// The file cannot be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The file.
        file: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Larger than [`MAX_BYTES`].
    #[error("{file}: {bytes} bytes is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A part of an archive that unpacks to more than [`MAX_BYTES`].
    #[error("{file}: {entry} unpacks to more than the limit of {limit} bytes")]
    Unpacked {
        /// The file.
        file: String,
        /// The part of the archive (`word/document.xml`).
        entry: &'static str,
        /// The limit.
        limit: u64,
    },
    /// Not text, and not a format read here.
    #[error("{file}: a binary file, not text (supported: .txt, .md, .html, .pdf, .docx)")]
    Binary {
        /// The file.
        file: String,
    },
    /// A PDF without a readable text layer.
    #[error("{file}: cannot read the PDF's text: {reason}")]
    Pdf {
        /// The file.
        file: String,
        /// What went wrong.
        reason: String,
    },
    /// A DOCX whose `word/document.xml` cannot be read.
    #[error("{file}: cannot read the DOCX's text: {reason}")]
    Docx {
        /// The file.
        file: String,
        /// What went wrong.
        reason: String,
    },
}

/// A document's text, with a note when it had to be decoded as Windows-1252.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// The text, lines kept.
    pub text: String,
    /// What was done to read it, if anything unusual.
    pub note: Option<String>,
}

/// The formats read, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown.
    Text,
    /// HTML.
    Html,
    /// PDF.
    Pdf,
    /// Word (Office Open XML).
    Docx,
}

impl Format {
    /// The format of a file name, `None` for extensions not read.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "md" | "markdown" | "text" => Format::Text,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            _ => return None,
        })
    }
}

/// Reads a file's text by its extension (other extensions are read as text when they are).
pub fn read_document(path: &Path) -> Result<Extracted, ExtractError> {
    let file = path.display().to_string();
    let io = |source| ExtractError::Io {
        file: file.clone(),
        source,
    };
    let bytes = std::fs::metadata(path).map_err(io)?.len();
    if bytes > MAX_BYTES {
        return Err(ExtractError::TooLarge {
            file,
            bytes,
            limit: MAX_BYTES,
        });
    }
    let data = std::fs::read(path).map_err(io)?;
    match Format::of(path).unwrap_or(Format::Text) {
        Format::Text => decode_bytes(data, &file),
        format => extract(&data, format, &file),
    }
}

/// Reads at most [`MAX_BYTES`] from a stream (standard input) as text, as [`decode_text`];
/// a longer stream is an error, and never more than the limit is held.
pub fn read_text(input: impl std::io::Read, file: &str) -> Result<Extracted, ExtractError> {
    use std::io::Read;
    let mut data = Vec::new();
    input
        .take(MAX_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|source| ExtractError::Io {
            file: file.to_string(),
            source,
        })?;
    if data.len() as u64 > MAX_BYTES {
        return Err(ExtractError::TooLarge {
            file: file.to_string(),
            bytes: data.len() as u64,
            limit: MAX_BYTES,
        });
    }
    decode_bytes(data, file)
}

/// The text of a document's bytes in a format.
pub fn extract(data: &[u8], format: Format, file: &str) -> Result<Extracted, ExtractError> {
    match format {
        Format::Text => decode_text(data, file),
        Format::Html => decode_text(data, file).map(|e| Extracted {
            text: html_to_text(&e.text),
            note: e.note,
        }),
        Format::Pdf => pdf_text(data, file).map(|text| Extracted { text, note: None }),
        Format::Docx => docx_text(data, file).map(|text| Extracted { text, note: None }),
    }
}

/// Text as UTF-8 (a byte-order mark dropped) or else as Windows-1252 with a note; a file
/// with NUL bytes or many control characters is binary.
pub fn decode_text(data: &[u8], file: &str) -> Result<Extracted, ExtractError> {
    decode_bytes(data.to_vec(), file)
}

/// [`decode_text`] of bytes it takes over: UTF-8 becomes the text in place (line ends
/// `\r\n` made `\n` in place too), so the text costs no copy.
pub fn decode_bytes(mut data: Vec<u8>, file: &str) -> Result<Extracted, ExtractError> {
    check_not_binary(&data, file)?;
    if data.starts_with(b"\xEF\xBB\xBF") {
        data.drain(..3);
    }
    unix_line_ends(&mut data);
    match String::from_utf8(data) {
        Ok(text) => Ok(Extracted { text, note: None }),
        Err(e) => Ok(Extracted {
            text: e.as_bytes().iter().map(|&b| windows_1252(b)).collect(),
            note: Some("not UTF-8: read as Windows-1252 (Latin-1)".to_string()),
        }),
    }
}

/// Removes the `\r` of every `\r\n`, in place (UTF-8 stays UTF-8: both are ASCII).
fn unix_line_ends(data: &mut Vec<u8>) {
    let Some(first) = data.windows(2).position(|w| w == b"\r\n") else {
        return;
    };
    let mut out = first;
    for k in first..data.len() {
        if !(data[k] == b'\r' && data.get(k + 1) == Some(&b'\n')) {
            data[out] = data[k];
            out += 1;
        }
    }
    data.truncate(out);
}

/// A text with NUL bytes or many control characters in its first 8 KiB is binary.
fn check_not_binary(data: &[u8], file: &str) -> Result<(), ExtractError> {
    let head = &data[..data.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if head.contains(&0) || controls * 20 > head.len().max(1) {
        return Err(ExtractError::Binary {
            file: file.to_string(),
        });
    }
    Ok(())
}

/// A Windows-1252 byte as a character (the five undefined bytes as the C1 controls
/// Latin-1 has there).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// HTML as text: tags dropped (a line break for block elements), scripts and styles
/// dropped, entities decoded; the source's own line breaks kept.
///
/// # Examples
/// ```
/// use repool::io::extract::html_to_text;
/// assert_eq!(html_to_text("<p>RR 1,2 &amp; <b>x</b></p><script>a<b</script>y&#8722;1"), "\nRR 1,2 & x\ny\u{2212}1");
/// ```
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |k| lt + k + 1);
        let tag = rest[lt + 1..tag_end.saturating_sub(1).max(lt + 1)].to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[tag_end..];
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |k| &rest[k..]);
            continue;
        }
        const BLOCK: [&str; 17] = [
            "p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table",
            "ul", "ol", "section",
        ];
        // An opening block tag starts a line; a closing one ends its line (once).
        if BLOCK.contains(&name.as_str()) && (!tag.starts_with('/') || !out.ends_with('\n')) {
            out.push('\n');
        }
    }
    push_decoded(&mut out, rest);
    out
}

/// Appends `s` to `out` with `&amp;`, `&#8722;`, `&#x2013;` and the named entities of
/// punctuation and accented letters common in reviews decoded; unknown ones stay as written.
fn push_decoded(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "minus" => '−',
        "le" => '≤',
        "ge" => '≥',
        "plusmn" => '±',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "agrave" => 'à',
        "ccedil" => 'ç',
        "euml" => 'ë',
        "iuml" => 'ï',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "rsquo" => '’',
        "lsquo" => '‘',
        "hellip" => '…',
        _ => return None,
    })
}

/// The text layer of a PDF, page after page, extracted on a thread of its own under
/// `catch_unwind` and within [`PDF_TIME_LIMIT`].
fn pdf_text(data: &[u8], file: &str) -> Result<String, ExtractError> {
    let err = |reason: String| ExtractError::Pdf {
        file: file.to_string(),
        reason,
    };
    let bytes = data.to_vec();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("pdf-text".into())
        .spawn(move || {
            let r = std::panic::catch_unwind(|| pdf_pages(&bytes));
            let _ = tx.send(r.unwrap_or_else(|_| Err("the PDF reader failed on this file".into())));
        })
        .map_err(|e| err(e.to_string()))?;
    let text = rx
        .recv_timeout(PDF_TIME_LIMIT)
        .map_err(|_| err(format!("no text within {} s", PDF_TIME_LIMIT.as_secs())))?
        .map_err(err)?;
    if text.trim().is_empty() {
        return Err(err("no text layer (a scanned PDF needs OCR first)".into()));
    }
    Ok(text)
}

fn pdf_pages(data: &[u8]) -> Result<String, String> {
    let doc = lopdf::Document::load_mem(data).map_err(|e| e.to_string())?;
    // Lines and spaces rebuilt from where the strings are drawn; a page whose text cannot be
    // read is skipped, the others still count.
    Ok(super::pdf_text::document_text(&doc))
}

/// The text of a DOCX: `word/document.xml` from the ZIP archive, one line per paragraph.
fn docx_text(data: &[u8], file: &str) -> Result<String, ExtractError> {
    docx_text_within(data, file, MAX_BYTES)
}

/// [`docx_text`] with `word/document.xml` refused when it unpacks to more than `limit`
/// bytes; it is inflated incrementally, so no more than the limit is ever held.
fn docx_text_within(data: &[u8], file: &str, limit: u64) -> Result<String, ExtractError> {
    const ENTRY: &str = "word/document.xml";
    let err = |reason: &str| ExtractError::Docx {
        file: file.to_string(),
        reason: reason.into(),
    };
    let xml = match zip_entry(data, ENTRY, limit) {
        Ok(xml) => xml,
        Err(ZipProblem::TooLarge) => {
            return Err(ExtractError::Unpacked {
                file: file.to_string(),
                entry: ENTRY,
                limit,
            })
        }
        Err(ZipProblem::Other(reason)) => return Err(err(reason)),
    };
    let xml = String::from_utf8(xml).map_err(|_| err("word/document.xml is not UTF-8"))?;
    Ok(docx_xml_text(&xml))
}

/// The text runs of WordprocessingML: `w:t` text, `w:tab` a tab, `w:br` and the end of a
/// paragraph a line break.
fn docx_xml_text(xml: &str) -> String {
    // The text is never longer than the XML it comes from.
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let end = rest[lt..].find('>').map_or(rest.len(), |k| lt + k + 1);
        let tag = &rest[lt..end];
        rest = &rest[end..];
        if tag.starts_with("<w:t>") || tag.starts_with("<w:t ") {
            let close = rest.find("</w:t>").unwrap_or(rest.len());
            push_decoded(&mut out, &rest[..close]);
            rest = &rest[close..];
        } else if tag.starts_with("<w:tab") {
            out.push('\t');
        } else if tag.starts_with("<w:br") || tag == "</w:p>" {
            out.push('\n');
        }
    }
    out
}

fn le16(d: &[u8], at: usize) -> Option<usize> {
    d.get(at..at + 2)
        .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
}

fn le32(d: &[u8], at: usize) -> Option<usize> {
    d.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// Why an entry of a ZIP archive cannot be read.
#[derive(Debug, PartialEq)]
enum ZipProblem {
    /// It unpacks to more than the limit.
    TooLarge,
    /// Another reason.
    Other(&'static str),
}

impl From<&'static str> for ZipProblem {
    fn from(reason: &'static str) -> ZipProblem {
        ZipProblem::Other(reason)
    }
}

/// One entry of a ZIP archive (stored or deflated), found through the central directory,
/// refused when it unpacks to more than `limit` bytes.
fn zip_entry(d: &[u8], name: &str, limit: u64) -> Result<Vec<u8>, ZipProblem> {
    const NOT_ZIP: &str = "not a ZIP archive";
    let eocd = (0..d.len().saturating_sub(21))
        .rev()
        .take(65_557)
        .find(|&k| d[k..].starts_with(b"PK\x05\x06"))
        .ok_or(NOT_ZIP)?;
    let count = le16(d, eocd + 10).ok_or(NOT_ZIP)?;
    let mut at = le32(d, eocd + 16).ok_or(NOT_ZIP)?;
    for _ in 0..count {
        if !d.get(at..).is_some_and(|r| r.starts_with(b"PK\x01\x02")) {
            return Err(ZipProblem::Other(NOT_ZIP));
        }
        let method = le16(d, at + 10).ok_or(NOT_ZIP)?;
        let size = le32(d, at + 20).ok_or(NOT_ZIP)?;
        let unpacked = le32(d, at + 24).ok_or(NOT_ZIP)?;
        let (n, x, c) = (le16(d, at + 28), le16(d, at + 30), le16(d, at + 32));
        let (n, x, c) = (n.ok_or(NOT_ZIP)?, x.ok_or(NOT_ZIP)?, c.ok_or(NOT_ZIP)?);
        let local = le32(d, at + 42).ok_or(NOT_ZIP)?;
        if d.get(at + 46..at + 46 + n) == Some(name.as_bytes()) {
            let ln = le16(d, local + 26).ok_or(NOT_ZIP)?;
            let lx = le16(d, local + 28).ok_or(NOT_ZIP)?;
            let start = local + 30 + ln + lx;
            let raw = d.get(start..start.saturating_add(size)).ok_or(NOT_ZIP)?;
            let out = match method {
                0 => raw.to_vec(),
                8 => inflate(raw, unpacked, limit)?,
                _ => {
                    let method = "word/document.xml is compressed with an unsupported method";
                    return Err(ZipProblem::Other(method));
                }
            };
            if out.len() as u64 > limit {
                return Err(ZipProblem::TooLarge);
            }
            return Ok(out);
        }
        at += 46 + n + x + c;
    }
    Err(ZipProblem::Other("no word/document.xml in the archive"))
}

/// A deflated stream inflated, reading at most one byte more than `limit` (which tells
/// that it is longer). The size the archive states (`unpacked`, which may be wrong) sizes
/// the buffer, so that it is not copied as it grows.
fn inflate(raw: &[u8], unpacked: usize, limit: u64) -> Result<Vec<u8>, ZipProblem> {
    use std::io::Read;
    let hint = (unpacked as u64).min(limit.saturating_add(1));
    let mut out = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    flate2::read::DeflateDecoder::new(raw)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|_| "word/document.xml cannot be inflated")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_text_is_decoded_with_a_note() {
        let e = decode_text(b"RR 1,2 (95% BI 1,1 \x96 1,4) caf\xe9", "x.txt").unwrap();
        assert_eq!(e.text, "RR 1,2 (95% BI 1,1 – 1,4) café");
        assert!(e.note.unwrap().contains("Windows-1252"));
        assert!(decode_text("é".as_bytes(), "x").unwrap().note.is_none());
    }

    #[test]
    fn binary_files_and_bad_pdfs_are_errors() {
        assert!(matches!(
            decode_text(b"\x7fELF\x02\x01\x00\x00", "a.out"),
            Err(ExtractError::Binary { .. })
        ));
        let e = extract(b"%PDF-1.4\n garbage", Format::Pdf, "bad.pdf").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("bad.pdf: cannot read the PDF's text"),
            "{e}"
        );
        let e = extract(b"PK\x03\x04 broken", Format::Docx, "bad.docx").unwrap_err();
        assert!(e.to_string().contains("not a ZIP archive"), "{e}");
    }

    #[test]
    fn docx_paragraphs_become_lines() {
        let xml = r#"<w:body><w:p><w:r><w:t>OR 1,5</w:t></w:r><w:r><w:t xml:space="preserve"> (95% CI 1,1 &#8211; 2,0)</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p></w:body>"#;
        assert_eq!(docx_xml_text(xml), "OR 1,5 (95% CI 1,1 – 2,0)\nb\n");
    }
    /// A ZIP archive with `word/document.xml` holding `xml`, deflated or stored.
    fn docx(xml: &[u8], deflated: bool) -> Vec<u8> {
        use std::io::Write;
        let data = if deflated {
            let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(xml).unwrap();
            z.finish().unwrap()
        } else {
            xml.to_vec()
        };
        let name = b"word/document.xml";
        let (method, size, n) = (
            u16::from(deflated) * 8,
            data.len() as u32,
            name.len() as u16,
        );
        let mut d = b"PK\x03\x04\x14\0\0\0".to_vec();
        d.extend(method.to_le_bytes());
        d.extend([0; 8]);
        d.extend(size.to_le_bytes());
        d.extend((xml.len() as u32).to_le_bytes());
        d.extend(n.to_le_bytes());
        d.extend([0, 0]);
        d.extend(name);
        d.extend(&data);
        let central = d.len() as u32;
        d.extend(b"PK\x01\x02\x14\0\x14\0\0\0");
        d.extend(method.to_le_bytes());
        d.extend([0; 8]);
        d.extend(size.to_le_bytes());
        d.extend((xml.len() as u32).to_le_bytes());
        d.extend(n.to_le_bytes());
        d.extend([0; 16]);
        d.extend(name);
        let dir = d.len() as u32 - central;
        d.extend(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
        d.extend(dir.to_le_bytes());
        d.extend(central.to_le_bytes());
        d.extend([0, 0]);
        d
    }

    /// A `word/document.xml` that unpacks to more than the limit is an error naming the
    /// file and the limit, deflated or stored; within the limit it is read.
    #[test]
    fn docx_text_above_the_limit_is_refused() {
        let run = |n: usize| {
            let spaces = " ".repeat(n);
            format!("<w:p><w:r><w:t>RR 0.80 (95% CI 0.70 to 0.90){spaces}</w:t></w:r></w:p>")
        };
        for deflated in [true, false] {
            let big = docx(run(5000).as_bytes(), deflated);
            let e = docx_text_within(&big, "b.docx", 4096).unwrap_err();
            assert!(
                matches!(e, ExtractError::Unpacked { limit: 4096, .. }),
                "{e}"
            );
            assert_eq!(
                e.to_string(),
                "b.docx: word/document.xml unpacks to more than the limit of 4096 bytes"
            );
            let small = docx(run(10).as_bytes(), deflated);
            let text = docx_text_within(&small, "s.docx", 4096).unwrap();
            assert!(text.starts_with("RR 0.80 (95% CI 0.70 to 0.90)"), "{text}");
            assert_eq!(extract(&small, Format::Docx, "s.docx").unwrap().text, text);
        }
    }

    /// Bytes taken over become the text in place: byte-order mark dropped, `\r\n` made
    /// `\n` (a lone `\r` kept).
    #[test]
    fn decoding_in_place_drops_the_bom_and_carriage_returns() {
        let e = decode_bytes(b"\xEF\xBB\xBFa\r\nb\rc\r\n".to_vec(), "x.txt").unwrap();
        assert_eq!(e.text, "a\nb\rc\n");
        let e = decode_bytes(b"caf\xe9\r\n".to_vec(), "x.txt").unwrap();
        assert_eq!(e.text, "café\n");
        let e = read_text(&b"RR 1,2\r\n"[..], "-").unwrap();
        assert_eq!(e.text, "RR 1,2\n");
    }
}
