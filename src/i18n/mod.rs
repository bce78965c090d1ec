//! The translation catalogue: every sentence, label and heading a person reads, keyed, in
//! English, Dutch and French, one file per language (`locales/en.toml`, `locales/nl.toml`,
//! `locales/fr.toml`, compiled into the library).
//!
//! A key is a dotted path: the TOML table, then the entry (`forest.study`). A text with
//! numbers or names in it is a template whose `{name}` placeholders [`fill`] replaces; a
//! text that depends on a count is a table `{ one = "…", other = "…" }` that [`count`]
//! chooses from with the language's plural rule.
//!
//! A key missing from Dutch or French falls back to English, and a key missing from English
//! is printed as itself, so a gap is visible but never an error. The tests make sure there
//! is no gap: every language has the keys English has, with the same placeholders, and
//! every key the source asks for exists.
//!
//! ```
//! use repool::format::Lang;
//! use repool::i18n;
//! assert_eq!(i18n::count(Lang::En, "count.studies", 1), "1 study");
//! assert_eq!(i18n::count(Lang::Nl, "count.studies", 3), "3 studies");
//! assert_eq!(i18n::count(Lang::Fr, "count.studies", 0), "0 étude");
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::format::Lang;

pub mod errors;
mod quick;

/// The catalogue files as compiled in, in the order of [`LANGS`].
const SOURCES: [&str; 3] = [
    include_str!("../../locales/en.toml"),
    include_str!("../../locales/nl.toml"),
    include_str!("../../locales/fr.toml"),
];

/// Every language of the catalogue.
pub const LANGS: [Lang; 3] = [Lang::En, Lang::Nl, Lang::Fr];

/// One language's entries, by dotted key.
pub type Entries = BTreeMap<String, &'static str>;

fn index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Nl => 1,
        Lang::Fr => 2,
    }
}

/// The entries of one language, parsed when first asked for (a command in English never
/// parses the other two).
fn catalogue(lang: Lang) -> &'static Entries {
    static CATALOGUES: [OnceLock<Entries>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = index(lang);
    CATALOGUES[i].get_or_init(|| quick::parse(SOURCES[i]).unwrap_or_else(|| parse(SOURCES[i])))
}

/// Flattens one catalogue file into dotted keys. A file that does not parse gives no
/// entries (the tests parse every file with [`parse_strict`]).
fn parse(source: &'static str) -> Entries {
    parse_strict(source).unwrap_or_default()
}

/// Flattens one catalogue file into dotted keys, or says why it is not a catalogue.
pub fn parse_strict(source: &str) -> Result<Entries, String> {
    let table: toml::Table = source.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut out = Entries::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Entries) -> Result<(), String> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::String(s) => {
                // Leaked once per entry, when the catalogue is first read.
                out.insert(key, Box::leak(s.clone().into_boxed_str()));
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            _ => return Err(format!("{key}: a catalogue entry must be text")),
        }
    }
    Ok(())
}

/// Every entry of `lang`, by dotted key.
pub fn entries(lang: Lang) -> &'static Entries {
    catalogue(lang)
}

/// The text of `key` in `lang`; English when `lang` lacks it, the key itself when English
/// lacks it too.
pub fn text(lang: Lang, key: &str) -> &'static str {
    let found = |l: Lang| catalogue(l).get(key).copied();
    found(lang)
        .or_else(|| found(Lang::En))
        .unwrap_or_else(|| Box::leak(key.to_string().into_boxed_str()))
}

/// The text of `key` in `lang` with each `{name}` of `args` replaced by its value.
/// Braces that name no argument stay as they are (formulas keep theirs).
pub fn fill(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    fill_template(text(lang, key), args)
}

/// Replaces each `{name}` of `args` in `template`.
///
/// ```
/// use repool::i18n::fill_template;
/// assert_eq!(fill_template("{k} of {n} \\frac{a}{b}", &[("k", "3"), ("n", "7")]), "3 of 7 \\frac{a}{b}");
/// ```
pub fn fill_template(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out += &rest[..open];
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let value = args.iter().find(|(n, _)| *n == name)?.1;
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                out += value;
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out + rest
}

/// Whether `n` takes the singular form in `lang`: `n = 1` in English and Dutch, `n < 2` in
/// French (the CLDR plural rules, <https://cldr.unicode.org/index/cldr-spec/plural-rules>,
/// for whole numbers).
pub fn is_singular(lang: Lang, n: u64) -> bool {
    match lang {
        Lang::En | Lang::Nl => n == 1,
        Lang::Fr => n < 2,
    }
}

/// The form of the plural entry `key` (`key.one` or `key.other`) that goes with `n`, with
/// `{n}` replaced by the count and each `{name}` of `args` by its value.
pub fn count_with(lang: Lang, key: &str, n: u64, args: &[(&str, &str)]) -> String {
    let form = if is_singular(lang, n) { "one" } else { "other" };
    let n_text = n.to_string();
    let mut all = vec![("n", n_text.as_str())];
    all.extend_from_slice(args);
    fill(lang, &format!("{key}.{form}"), &all)
}

/// The form of the plural entry `key` that goes with `n`, with `{n}` replaced by the count:
/// "1 study", "2 studies".
pub fn count(lang: Lang, key: &str, n: u64) -> String {
    count_with(lang, key, n, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_parses() {
        for (lang, source) in LANGS.iter().zip(SOURCES) {
            if let Err(e) = parse_strict(source) {
                panic!("locales/{lang:?}.toml: {e}");
            }
        }
    }

    #[test]
    fn a_missing_key_falls_back_to_english_then_to_itself() {
        assert_eq!(text(Lang::Nl, "no.such.key"), "no.such.key");
        assert_eq!(fill(Lang::Fr, "no.such.{x}", &[("x", "1")]), "no.such.1");
    }

    #[test]
    fn french_takes_the_singular_for_zero_and_one() {
        assert!(is_singular(Lang::Fr, 0) && is_singular(Lang::Fr, 1));
        assert!(!is_singular(Lang::Fr, 2));
        assert!(!is_singular(Lang::En, 0) && !is_singular(Lang::Nl, 0));
    }
}
