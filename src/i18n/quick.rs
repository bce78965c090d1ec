//! A reader of the catalogue files' own subset of TOML, about ten times faster than the toml
//! crate (which every command would otherwise spend a few milliseconds on at its start):
//! comments, `[table]` and `[table.sub]` headers, and `key = "text"` or `key = { a = "text", b = "text" }`
//! lines, with bare keys and basic strings. Anything else (another kind of string or value,
//! a repeated key, a line it does not recognise) gives `None`, and the toml crate reads the
//! file instead ([`super::parse_strict`]); a test checks that both read every catalogue alike.

use super::Entries;

/// The entries of `source`, or `None` when it steps outside the subset.
pub(super) fn parse(source: &'static str) -> Option<Entries> {
    let mut out = Entries::new();
    let mut table = "";
    for line in source.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            // A dotted header: bare keys joined by dots.
            name.split('.')
                .try_for_each(|part| bare(part).map(|_| ()))?;
            table = name;
            continue;
        }
        let (key, value) = line.split_once('=')?;
        let key = format!("{table}.{}", bare(key.trim())?);
        let value = value.trim_start();
        let rest = if let Some(inner) = value.strip_prefix('{') {
            inline_table(&key, inner, &mut out)?
        } else {
            let (text, rest) = string(value)?;
            insert(&mut out, key, text)?;
            rest
        };
        let rest = rest.trim_start();
        if !(rest.is_empty() || rest.starts_with('#')) {
            return None;
        }
    }
    Some(out)
}

/// The pairs of an inline table after its `{`, each as `key.name`; what follows its `}`.
fn inline_table(key: &str, mut rest: &'static str, out: &mut Entries) -> Option<&'static str> {
    loop {
        let (name, value) = rest.split_once('=')?;
        let (text, after) = string(value.trim_start())?;
        insert(out, format!("{key}.{}", bare(name.trim())?), text)?;
        let after = after.trim_start();
        if let Some(next) = after.strip_prefix(',') {
            rest = next;
        } else {
            return after.strip_prefix('}');
        }
    }
}

/// Adds an entry; `None` if the key is already there (TOML forbids that).
fn insert(out: &mut Entries, key: String, text: &'static str) -> Option<()> {
    out.insert(key, text).is_none().then_some(())
}

/// A bare key: ASCII letters, digits, `_` and `-`.
fn bare(key: &str) -> Option<&str> {
    let ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then_some(key)
}

/// A basic string at the start of `s` (`"…"`, with TOML's escapes), and what follows it. A
/// string without escapes is the source's own text; one with escapes is unescaped once.
fn string(s: &'static str) -> Option<(&'static str, &'static str)> {
    let body = s.strip_prefix('"')?;
    let mut escaped = false;
    let mut chars = body.char_indices();
    let end = loop {
        match chars.next()? {
            (i, '"') => break i,
            (_, '\\') => {
                escaped = true;
                chars.next()?;
            }
            _ => {}
        }
    };
    let (raw, rest) = (&body[..end], &body[end + 1..]);
    if !escaped {
        return Some((raw, rest));
    }
    let text: &'static str = Box::leak(unescape(raw)?.into_boxed_str());
    Some((text, rest))
}

/// A basic string's escapes replaced (TOML 1.0: `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`).
fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let c = match chars.next()? {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{c}',
            'r' => '\r',
            '"' => '"',
            '\\' => '\\',
            u @ ('u' | 'U') => {
                let digits: String = chars.by_ref().take(if u == 'u' { 4 } else { 8 }).collect();
                char::from_u32(u32::from_str_radix(&digits, 16).ok()?)?
            }
            _ => return None,
        };
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick reader reads every catalogue as the toml crate does.
    #[test]
    fn every_catalogue_reads_as_toml_reads_it() {
        for source in super::super::SOURCES {
            let quick = parse(source).expect("the catalogue keeps to the quick reader's subset");
            assert_eq!(quick, super::super::parse_strict(source).unwrap());
        }
    }

    #[test]
    fn other_toml_is_left_to_the_toml_crate() {
        for source in [
            "[a]\nx = 'literal'\n",
            "[a]\nx = \"\"\"multi\"\"\"\n",
            "[a]\nx = 3\n",
            "[a]\nx = \"1\"\nx = \"2\"\n",
            "[a..b]\nx = \"1\"\n",
            "[a]\nx = \"1\" y\n",
            "[a]\nx = { one = \"1\", other = 2 }\n",
            "[a]\n\"quoted key\" = \"1\"\n",
            "[a]\nx = \"bad \\q escape\"\n",
            "[a]\nx = \"unterminated\n",
        ] {
            assert_eq!(parse(source), None, "{source}");
        }
    }

    #[test]
    fn escapes_and_comments_are_read() {
        let e = parse("[a]\nx = \"tab\\there \\\"q\\\" \\u00e9\" # note\ny = { one = \"1\", other = \"n # not a comment\" }\n")
            .unwrap();
        assert_eq!(e["a.x"], "tab\there \"q\" é");
        assert_eq!(e["a.y.one"], "1");
        assert_eq!(e["a.y.other"], "n # not a comment");
    }
}
