//! How deep an XML text nests, checked before parsing. roxmltree (0.20) parses nested elements
//! by recursion, one call per level, so a small file nested thousands of levels deep overflows
//! the stack and aborts the process; this scan finds such a file first.

/// Deepest nesting accepted: RevMan 5 files nest fewer than 20 levels, and 128 levels stay far
/// inside the stack of any thread, also in a debug build.
pub(crate) const MAX_DEPTH: usize = 128;

/// The byte offset of the first tag at which the parser could nest deeper than `limit`
/// elements, if there is one.
///
/// Start tags (not self-closing) open a level and end tags close one; comments, CDATA sections
/// and processing instructions are skipped. Entities declared in a DOCTYPE can expand to
/// nested elements, so every `<` and `&#` inside declarations counts as a level for the whole
/// document: any chain of entity references adds fewer levels than that (a chain uses each
/// entity once, and each level of a replacement text needs one `<`, written as such or as a
/// character reference).
pub(crate) fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut depth, mut declared, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let p = i + off;
        let rest = &b[p..];
        i = if rest.starts_with(b"<!--") {
            after(b, p + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            after(b, p + 9, b"]]>")
        } else if rest.starts_with(b"<?") {
            after(b, p + 2, b"?>")
        } else if rest.starts_with(b"<!") {
            let end = declaration_end(b, p);
            let inside = &b[p..end];
            declared += inside.iter().filter(|&&c| c == b'<').count()
                + inside.windows(2).filter(|w| w == b"&#").count();
            end
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            p + 2
        } else {
            let end = tag_end(b, p);
            if !b[p..end].ends_with(b"/>") {
                depth += 1;
            }
            end
        };
        if depth + declared > limit {
            return Some(p);
        }
    }
    None
}

/// The index after the first `pat` at or after `from` (the end of the text if none).
fn after(b: &[u8], from: usize, pat: &[u8]) -> usize {
    b.get(from..)
        .and_then(|r| r.windows(pat.len()).position(|w| w == pat))
        .map_or(b.len(), |q| from + q + pat.len())
}

/// The index after the `>` that ends the tag starting at `p`, outside quoted values.
fn tag_end(b: &[u8], p: usize) -> usize {
    let mut quote = None;
    for (j, &c) in b.iter().enumerate().skip(p + 1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return j + 1,
            _ => {}
        }
    }
    b.len()
}

/// The index after the `>` that ends the declaration starting at `p` (a DOCTYPE with an
/// internal subset in brackets), outside quoted values.
fn declaration_end(b: &[u8], p: usize) -> usize {
    let (mut quote, mut brackets) = (None, 0usize);
    for (j, &c) in b.iter().enumerate().skip(p + 2) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'[') => brackets += 1,
            (None, b']') => brackets = brackets.saturating_sub(1),
            (None, b'>') if brackets == 0 => return j + 1,
            _ => {}
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!("<r>{}{}</r>", "<a x='>'>".repeat(n), "</a>".repeat(n))
    }

    #[test]
    fn counts_levels_of_elements() {
        assert_eq!(too_deep(&nested(9), 10), None);
        assert_eq!(too_deep(&nested(10), 10), Some(3 + 9 * 9));
        // Siblings, self-closing tags, comments, CDATA and PIs add no level.
        let flat = format!(
            "<?xml version=\"1.0\"?><r>{}<!-- <a><a><a> --><![CDATA[<a><a><a>]]><?pi <a><a> ?></r>",
            "<a></a><b/>".repeat(50)
        );
        assert_eq!(too_deep(&flat, 2), None);
    }

    #[test]
    fn entity_declarations_count_as_levels() {
        let doc = "<!DOCTYPE r [<!ENTITY e \"&#60;a>&#60;a>x&#60;/a>&#60;/a>\">]><r>&e;</r>";
        // Two '<' and four '&#' in the declarations, and <r>.
        assert_eq!(too_deep(doc, 7), None);
        assert_eq!(too_deep(doc, 6), Some(doc.find("<r>").unwrap()));
    }
}
