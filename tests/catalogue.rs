//! The translation catalogue is complete: Dutch and French have every key English has (and
//! no other), with the same placeholders, and every key the source asks for exists.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use repool::format::Lang;
use repool::i18n::{entries, LANGS};

/// The `{name}` placeholders of a template.
fn placeholders(template: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.insert(name.to_string());
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

#[test]
fn every_language_has_the_keys_and_placeholders_of_english() {
    let en = entries(Lang::En);
    assert!(
        !en.is_empty(),
        "the English catalogue is empty or does not parse"
    );
    for lang in &LANGS[1..] {
        let other = entries(*lang);
        for (key, text) in en {
            let Some(translated) = other.get(key) else {
                panic!("{lang:?} lacks {key} (English: {text:?})");
            };
            assert_eq!(
                placeholders(text),
                placeholders(translated),
                "{lang:?} {key}: placeholders differ from English"
            );
        }
        for key in other.keys() {
            assert!(
                en.contains_key(key),
                "{lang:?} has {key}, which English lacks"
            );
        }
    }
}

/// Keys written as string literals right after a catalogue call: `text(lang, "a.b")`,
/// `fill(lang, "a.b", …)`, `count(lang, "a.b", n)`, `count_with(…)`.
fn keys_in(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for call in ["text(", "fill(", "count(", "count_with("] {
        for (at, _) in source.match_indices(call) {
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &source[at + call.len()..];
            let Some(comma) = rest.find(',') else {
                continue;
            };
            let after = rest[comma + 1..].trim_start();
            let Some(lit) = after.strip_prefix('"') else {
                continue;
            };
            let Some(end) = lit.find('"') else { continue };
            let key = &lit[..end];
            let dotted = key.contains('.')
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
            if dotted {
                out.push(key.to_string());
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_key_the_source_asks_for_exists() {
    let en = entries(Lang::En);
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut seen = 0;
    // The catalogue's own tests ask for missing keys on purpose.
    for file in files.into_iter().filter(|f| !f.ends_with("i18n/mod.rs")) {
        let source = fs::read_to_string(&file).unwrap();
        for key in keys_in(&source) {
            seen += 1;
            let plural =
                en.contains_key(&format!("{key}.one")) && en.contains_key(&format!("{key}.other"));
            assert!(
                en.contains_key(&key) || plural,
                "{}: asks for {key}, which the catalogue lacks",
                file.display()
            );
        }
    }
    assert!(seen > 0, "no catalogue key found in the source");
}
