//! Reading results as printed in English, Dutch or French:
//! `RR 1,23 (95% BI 1,16 tot 2,07)`, `MD -9.72 (95% CI -22.7 to -6.69), threshold -10,
//! reported: not clinically relevant`, `OR 0,77 (IC à 95 % 0,23 à 2,59), p = 0,67`.
//!
//! One lexer ([`lex`]) and one grammar of an estimate with its interval ([`read_interval`])
//! serve both [`parse`] (one result) and [`scan`](super::scan) (every result of a document).
//! Tokens keep their byte offsets in the text, so a finding knows its line, column and
//! snippet.

use super::{Claim, ClaimError, ClaimMeasure, Reported, ReportedP};

/// Why a text could not be read as a result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("cannot read {text:?} as a result: {reason}")]
pub struct TextError {
    /// The text.
    pub text: String,
    /// What is missing.
    pub reason: String,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A number as printed, with its sign (`-`, `−`, `–`) and decimal mark (`.` or `,`).
    Num(Reported),
    /// A run of letters (with inner `-` or `'`), lower-cased.
    Word(String),
    /// Any other visible character.
    Punct(char),
}

/// A token with its byte span in the text and the number of line breaks before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset after its last character.
    pub end: usize,
    /// Line breaks between the previous token and this one.
    pub breaks: u32,
    /// Whether whitespace separates it from the previous token.
    pub spaced: bool,
}

impl Token {
    /// The word, if it is one.
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            Kind::Word(w) => Some(w),
            _ => None,
        }
    }

    /// The number, if it is one.
    pub fn num(&self) -> Option<Reported> {
        match &self.kind {
            Kind::Num(r) => Some(*r),
            _ => None,
        }
    }

    /// Whether it is this punctuation character.
    pub fn is(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }
}

const DASHES: [char; 4] = ['-', '\u{2212}', '\u{2013}', '\u{2014}'];

/// The character at byte offset `b` (a character boundary) of `text`, if any.
fn char_at(text: &str, b: usize) -> Option<char> {
    text.get(b..)?.chars().next()
}

/// The character before byte offset `b` (a character boundary) of `text`, if any.
fn char_before(text: &str, b: usize) -> Option<char> {
    text.get(..b)?.chars().next_back()
}

/// Whether the dash at byte `b` is the sign of the number after it: directly followed by a
/// digit (or, for `-` and `−`, by a line break and a digit: a number broken over lines),
/// and not directly after a digit or letter (`1,16-2,07` is a range, `COVID-19` a name).
/// The byte offset of the number's digits.
fn is_sign(text: &str, b: usize) -> Option<usize> {
    let c = char_at(text, b)?;
    if char_before(text, b).is_some_and(char::is_alphanumeric) {
        return None;
    }
    let after = b + c.len_utf8();
    let next = char_at(text, after)?;
    if next.is_ascii_digit() {
        return Some(after);
    }
    if c == '\u{2013}' || c == '\u{2014}' || !next.is_whitespace() {
        return None;
    }
    let rest = &text[after..];
    let gap = rest.len() - rest.trim_start().len();
    let broke = rest[..gap].contains('\n');
    let digit = char_at(text, after + gap).is_some_and(|d| d.is_ascii_digit());
    (broke && digit).then_some(after + gap)
}

/// The end (exclusive byte offset) of the digits of a number starting at byte `i`: digits
/// with at most one decimal mark (`.` or `,`) that has a digit on both sides; a leading `.`
/// (`p < .0001`) counts as the mark. Digits and marks are ASCII, so bytes are characters.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    let digit = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let mut mark = bytes[i] == b'.';
    if mark {
        i += 1;
    }
    while let Some(&c) = bytes.get(i) {
        if c.is_ascii_digit() {
            i += 1;
        } else if !mark && (c == b'.' || c == b',') && digit(i + 1) && i > 0 && digit(i - 1) {
            mark = true;
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The end (exclusive byte offset) of a word starting at byte `i`: letters, with inner `-`,
/// `'` or `’` between letters.
fn word_end(text: &str, mut i: usize) -> usize {
    while let Some(d) = char_at(text, i) {
        let inner = matches!(d, '-' | '\'' | '\u{2019}')
            && char_at(text, i + d.len_utf8()).is_some_and(char::is_alphabetic);
        if !(d.is_alphabetic() || inner) {
            break;
        }
        i += d.len_utf8();
    }
    i
}

/// Superscript digits, `⁰` to `⁹`.
const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// An exponent at byte `b` written with `digits` (each character's value, `None` for a
/// character that is not one) after an optional sign out of `signs` (the first negative):
/// at most four digits, not followed by a letter or digit. The exponent and the byte after.
fn exponent_digits(
    text: &str,
    mut b: usize,
    signs: [char; 3],
    digit: impl Fn(char) -> Option<i32>,
) -> Option<(i32, usize)> {
    let first = char_at(text, b)?;
    let negative = first == signs[0] || (signs[0] == '-' && first == '\u{2212}');
    if signs.contains(&first) || negative {
        b += first.len_utf8();
    }
    let (mut value, mut count) = (0i32, 0);
    while let Some((c, d)) = char_at(text, b).and_then(|c| digit(c).map(|d| (c, d))) {
        value = value * 10 + d;
        count += 1;
        b += c.len_utf8();
        if count > 4 {
            return None;
        }
    }
    let glued = char_at(text, b).is_some_and(char::is_alphanumeric);
    (count > 0 && !glued).then_some((if negative { -value } else { value }, b))
}

/// The power of ten at byte `b`, after `10`: `^-5`, `^5`, `⁻⁵`, and with `bare` (after `×`)
/// also `-5` or `−5`.
fn power_at(text: &str, b: usize, bare: bool) -> Option<(i32, usize)> {
    let ascii = |c: char| c.to_digit(10).map(|d| d as i32);
    let superscript = |c: char| SUPERSCRIPTS.iter().position(|&s| s == c).map(|d| d as i32);
    match char_at(text, b)? {
        '^' => exponent_digits(text, b + 1, ['-', '+', '+'], ascii),
        '-' | '\u{2212}' if bare => exponent_digits(text, b, ['-', '-', '-'], ascii),
        c if c == '⁻' || c == '⁺' || superscript(c).is_some() => {
            exponent_digits(text, b, ['⁻', '⁺', '⁺'], superscript)
        }
        _ => None,
    }
}

/// Scientific notation after a number's digits `mantissa` ending at byte `b`: `e-10`,
/// `E-5`, `× 10−5`, `×10^-5`, `x 10⁻⁵`, `*10^-5` (`x` and `*` only with `^` or
/// superscripts), or a bare power of ten (`10^-5`, `10⁻⁵`). The mantissa, the exponent and
/// the byte after them.
fn scientific_at<'t>(text: &str, b: usize, mantissa: &'t str) -> Option<(&'t str, i32, usize)> {
    let c = char_at(text, b)?;
    if c == 'e' || c == 'E' {
        let ascii = |c: char| c.to_digit(10).map(|d| d as i32);
        let (e, end) = exponent_digits(text, b + 1, ['-', '+', '+'], ascii)?;
        return Some((mantissa, e, end));
    }
    if mantissa == "10" {
        if let Some((e, end)) = power_at(text, b, false) {
            return Some(("1", e, end));
        }
    }
    let spaces = |k: usize| {
        let rest = &text[k..];
        k + rest.len()
            - rest
                .trim_start_matches([' ', '\u{a0}', '\u{2009}', '\u{202f}'])
                .len()
    };
    let times = spaces(b);
    let sign = char_at(text, times)?;
    if !matches!(sign, '×' | 'x' | 'X' | '*') {
        return None;
    }
    let ten = spaces(times + sign.len_utf8());
    if !text[ten..].starts_with("10") {
        return None;
    }
    let (e, end) = power_at(text, ten + 2, sign == '×')?;
    Some((mantissa, e, end))
}

/// The number whose sign or first digit is at byte `i` (`sign`: the byte of its digits
/// after a sign), in scientific notation where it is ([`scientific_at`]), and the byte
/// after it. A number that does not parse is punctuation.
fn number_at(text: &str, i: usize, sign: Option<usize>) -> (Kind, usize) {
    let c = char_at(text, i).unwrap_or('0');
    let body = sign.unwrap_or(i);
    let mut end = number_end(text.as_bytes(), body);
    let minus = sign.is_some() && c != '+';
    let mut printed = String::with_capacity(end - body + 8);
    if minus {
        printed.push('-');
    }
    if text.as_bytes()[body] == b'.' {
        printed.push('0');
    }
    match scientific_at(text, end, &text[body..end]) {
        Some((mantissa, exponent, after)) => {
            printed.push_str(&format!("{mantissa}e{exponent}"));
            end = after;
        }
        None => printed.push_str(&text[body..end]),
    }
    let printed = printed.replace(',', ".");
    match Reported::parse(&printed) {
        Some(r) => (Kind::Num(r), end),
        None => (Kind::Punct(c), end),
    }
}

/// Splits a text into numbers, words and punctuation, with their byte spans.
///
/// Time and memory are linear in the text: it is walked once by byte offset, and only the
/// tokens are kept.
///
/// # Examples
/// ```
/// use repool::check::text::{lex, Kind};
/// let t = lex("RR 1,23 (95%-BI 1.16\u{2013}2,07)");
/// let nums: Vec<f64> = t.iter().filter_map(|t| t.num()).map(|r| r.value).collect();
/// assert_eq!(nums, vec![1.23, 95.0, 1.16, 2.07]);
/// assert_eq!(t[0].kind, Kind::Word("rr".into()));
/// ```
pub fn lex(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let (mut i, mut breaks, mut spaced) = (0, 0u32, false);
    while let Some(c) = char_at(text, i) {
        if c.is_whitespace() {
            breaks = breaks.saturating_add(u32::from(c == '\n'));
            spaced = true;
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let sign = if DASHES.contains(&c) || c == '+' {
            is_sign(text, i)
        } else {
            None
        };
        let leading_point = c == '.'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            && !(i > 0 && bytes[i - 1].is_ascii_digit());
        let kind;
        if c.is_ascii_digit() || sign.is_some() || leading_point {
            (kind, i) = number_at(text, i, sign);
        } else if c.is_alphabetic() {
            i = word_end(text, i + c.len_utf8());
            kind = Kind::Word(text[start..i].to_lowercase());
        } else {
            i += c.len_utf8();
            kind = Kind::Punct(c);
        }
        toks.push(Token {
            kind,
            start,
            end: i,
            breaks,
            spaced,
        });
        breaks = 0;
        spaced = false;
    }
    toks
}

/// A measure named in the text: its code (`IRR` is read on the ratio scale of `RR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureName {
    /// `RR`, `OR`, `HR`, `IRR`, `MD`, `SMD` or `RD` (`WMD` is `MD`, `ARR` is `RD`).
    pub code: &'static str,
    /// The scale the checks use.
    pub scale: ClaimMeasure,
}

const fn name(code: &'static str, scale: ClaimMeasure) -> MeasureName {
    MeasureName { code, scale }
}

const RR: MeasureName = name("RR", ClaimMeasure::RR);
const OR: MeasureName = name("OR", ClaimMeasure::OR);
const HR: MeasureName = name("HR", ClaimMeasure::HR);
const IRR: MeasureName = name("IRR", ClaimMeasure::RR);
const MD: MeasureName = name("MD", ClaimMeasure::MD);
const SMD: MeasureName = name("SMD", ClaimMeasure::SMD);
const RD: MeasureName = name("RD", ClaimMeasure::RD);

/// Abbreviations, matched as printed (upper case) when scanning documents. French: DM
/// (différence moyenne), DMP (différence moyenne pondérée, the weighted MD), DMS
/// (différence moyenne standardisée), RC (rapport des cotes, the odds ratio).
const ABBREVIATIONS: [(&str, MeasureName); 18] = [
    ("RR", RR),
    ("aRR", RR),
    ("OR", OR),
    ("aOR", OR),
    ("HR", HR),
    ("aHR", HR),
    ("IRR", IRR),
    ("MD", MD),
    ("WMD", MD),
    ("SMD", SMD),
    ("RD", RD),
    ("ARR", RD),
    ("ARD", RD),
    ("RRR", RR),
    ("DM", MD),
    ("DMP", MD),
    ("DMS", SMD),
    ("RC", OR),
];

/// Written-out names in English, Dutch and French, longest first where one starts another.
const PHRASES: &[(&[&str], MeasureName)] = &[
    (&["standardised", "mean", "difference"], SMD),
    (&["standardized", "mean", "difference"], SMD),
    (&["gestandaardiseerd", "gemiddeld", "verschil"], SMD),
    (&["gestandaardiseerde", "gemiddelde", "verschil"], SMD),
    (&["gestandaardiseerd", "verschil"], SMD),
    (&["différence", "moyenne", "standardisée"], SMD),
    (&["différence", "de", "moyennes", "standardisée"], SMD),
    (&["weighted", "mean", "difference"], MD),
    (&["mean", "difference"], MD),
    (&["difference", "in", "means"], MD),
    (&["gewogen", "gemiddeld", "verschil"], MD),
    (&["gemiddeld", "verschil"], MD),
    (&["gemiddelde", "verschil"], MD),
    (&["différence", "moyenne", "pondérée"], MD),
    (&["différence", "moyenne"], MD),
    (&["différence", "de", "moyennes"], MD),
    (&["incidence", "rate", "ratio"], IRR),
    (&["rate", "ratio"], IRR),
    (&["incidentieratio"], IRR),
    (&["rapport", "des", "taux", "d'incidence"], IRR),
    (&["rapport", "de", "taux", "d'incidence"], IRR),
    (&["hazard", "ratio"], HR),
    (&["hazardratio"], HR),
    (&["hazard-ratio"], HR),
    (&["rapport", "de", "risques", "instantanés"], HR),
    (&["rapport", "des", "risques", "instantanés"], HR),
    (&["odds", "ratio"], OR),
    (&["odds-ratio"], OR),
    (&["oddsratio"], OR),
    (&["rapport", "de", "cotes"], OR),
    (&["rapport", "des", "cotes"], OR),
    (&["ratio", "des", "cotes"], OR),
    (&["relative", "risk"], RR),
    (&["risk", "ratio"], RR),
    (&["relatief", "risico"], RR),
    (&["relatieve", "risico"], RR),
    (&["risicoratio"], RR),
    (&["risque", "relatif"], RR),
    (&["rapport", "de", "risques"], RR),
    (&["absolute", "risk", "reduction"], RD),
    (&["absolute", "risk", "difference"], RD),
    (&["risk", "difference"], RD),
    (&["risicoverschil"], RD),
    (&["absoluut", "risicoverschil"], RD),
    (&["absolute", "risicoreductie"], RD),
    (&["différence", "de", "risque"], RD),
    (&["différence", "de", "risques"], RD),
    (&["différence", "absolue", "de", "risque"], RD),
    (&["réduction", "absolue", "du", "risque"], RD),
];

/// The measure named at token `i`, with the number of tokens its name takes. With
/// `strict`, abbreviations count only as printed in capitals (`OR`, not the word "or").
pub fn measure_at(
    text: &str,
    toks: &[Token],
    i: usize,
    strict: bool,
) -> Option<(MeasureName, usize)> {
    let w = toks[i].word()?;
    let raw = &text[toks[i].start..toks[i].end];
    for (abbr, m) in ABBREVIATIONS {
        if raw == abbr || (!strict && w.eq_ignore_ascii_case(abbr)) {
            return Some((m, 1));
        }
    }
    PHRASES.iter().find_map(|(words, m)| {
        let fits = words.iter().enumerate().all(|(k, want)| {
            toks.get(i + k)
                .and_then(|t| t.word())
                .is_some_and(|w| w == *want || w.strip_suffix('s') == Some(*want))
        });
        fits.then_some((*m, words.len()))
    })
}

/// An estimate followed by its confidence interval, as token indices and printed numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// Token of the estimate.
    pub estimate_at: usize,
    /// The estimate.
    pub estimate: Reported,
    /// Lower limit.
    pub low: Reported,
    /// Upper limit.
    pub high: Reported,
    /// Confidence level in percent (95 when the text does not say).
    pub level: f64,
    /// Whether the interval is labelled (`95% CI`, `BI`, `IC à 95 %`).
    pub labelled: bool,
    /// Whether the estimate is followed by `%`.
    pub percent: bool,
    /// Token after the interval (after its closing bracket).
    pub end: usize,
}

const UNITS: [&str; 16] = [
    "mm", "cm", "m", "kg", "g", "mg", "ml", "mmhg", "points", "point", "punten", "punt", "pts",
    "days", "dagen", "jours",
];

/// Skips a unit after a number (`%`, `mm`, `punten`, …); whether it was `%`.
fn skip_unit(toks: &[Token], j: &mut usize) -> bool {
    match toks.get(*j) {
        Some(t) if t.is('%') => {
            *j += 1;
            true
        }
        Some(t) if t.word().is_some_and(|w| UNITS.contains(&w)) => {
            *j += 1;
            false
        }
        _ => false,
    }
}

fn word_is(toks: &[Token], j: usize, words: &[&str]) -> bool {
    toks.get(j)
        .and_then(|t| t.word())
        .is_some_and(|w| words.contains(&w))
}

/// The words of an interval label at `j` (`CI`, `confidence interval`, `intervalle de
/// confiance`, `95%-betrouwbaarheidsinterval (BI)`); the token after them.
fn label_words(toks: &[Token], j: usize) -> Option<usize> {
    const ONE: [&str; 9] = [
        "ci",
        "bi",
        "ic",
        "cri",
        "ui",
        "ki",
        "betrouwbaarheidsinterval",
        "vertrouwensinterval",
        "betrouwbaarheidsintervallen",
    ];
    const MANY: [&[&str]; 5] = [
        &["confidence", "interval"],
        &["confidence", "intervals"],
        &["credible", "interval"],
        &["intervalle", "de", "confiance"],
        &["intervalles", "de", "confiance"],
    ];
    let mut k = if word_is(toks, j, &ONE) {
        j + 1
    } else {
        let words = MANY.iter().find(|ws| {
            ws.iter()
                .enumerate()
                .all(|(n, w)| word_is(toks, j + n, &[w]))
        })?;
        j + words.len()
    };
    // "95%-betrouwbaarheidsinterval (BI)": the abbreviation in brackets.
    if toks.get(k).is_some_and(|t| t.is('('))
        && word_is(toks, k + 1, &ONE)
        && toks.get(k + 2).is_some_and(|t| t.is(')'))
    {
        k += 3;
    }
    Some(k)
}

/// A level `95%` (or `95 %`) at `j`: its value and the token after the `%`.
fn level_at(toks: &[Token], j: usize) -> Option<(f64, usize)> {
    let v = toks.get(j)?.num()?.value;
    (toks.get(j + 1)?.is('%') && (50.0..100.0).contains(&v)).then_some((v, j + 2))
}

/// An interval label at `j`: `95% CI`, `95%-BI`, `CI 95%`, `IC à 95 %`, `IC95%`, or a
/// label alone (level 95). Its level and the token after it.
pub fn label_at(toks: &[Token], j: usize) -> Option<(f64, usize)> {
    if let Some((level, k)) = level_at(toks, j) {
        let k = if toks.get(k).is_some_and(|t| t.is('-')) {
            k + 1
        } else {
            k
        };
        return label_words(toks, k).map(|after| (level, after));
    }
    let k = label_words(toks, j)?;
    let k2 = if word_is(toks, k, &["à", "a", "at", "of", "van", "de"]) {
        k + 1
    } else {
        k
    };
    match level_at(toks, k2) {
        Some((level, after)) => Some((level, after)),
        None => Some((95.0, k)),
    }
}

/// Whether the token at `j` separates the limits: `to`, `tot`, `à`, a dash, `;` or `,`.
fn separator_at(toks: &[Token], j: usize) -> Option<bool> {
    let t = toks.get(j)?;
    if word_is(toks, j, &["to", "tot", "à", "a", "au", "and", "en", "et"]) {
        return Some(true);
    }
    match t.kind {
        Kind::Punct(c) if DASHES.contains(&c) => Some(true),
        Kind::Punct(';') | Kind::Punct(',') => Some(false),
        _ => None,
    }
}

/// Reads an estimate at token `i` followed by its interval: `1,23 (95% BI 1,16 tot 2,07)`,
/// `-0.5 [95% CI -0.8, -0.2]`, `1,27 (95% BI van 1,03 tot 1,56)`, `0,77 (IC à 95 % : 0,23 à
/// 2,59)`, `-5,3 (-7,21 tot -3,30)`. An interval without a label needs brackets and a word
/// or dash between its limits. A level (`95%` before a label) is not an estimate.
pub fn read_interval(toks: &[Token], i: usize) -> Option<Interval> {
    let estimate = toks.get(i)?.num()?;
    let mut j = i + 1;
    let percent = skip_unit(toks, &mut j);
    if percent && level_at(toks, i).is_some() && label_at(toks, i).is_some() {
        return None;
    }
    if toks
        .get(j)
        .is_some_and(|t| t.is(',') || t.is(';') || t.is(':'))
    {
        j += 1;
    }
    if word_is(toks, j, &["met", "with", "avec"]) {
        j += 1;
    }
    let open = toks.get(j).is_some_and(|t| t.is('(') || t.is('['));
    j += usize::from(open);
    let label = label_at(toks, j);
    let labelled = label.is_some();
    if let Some((_, k)) = label {
        j = k;
    }
    if !labelled && !open {
        return None;
    }
    while toks
        .get(j)
        .is_some_and(|t| t.is(':') || t.is('=') || t.is(','))
    {
        j += 1;
    }
    if labelled
        && word_is(
            toks,
            j,
            &["van", "from", "de", "of", "ranging", "was", "is"],
        )
    {
        j += 1;
    }
    let low = toks.get(j)?.num()?;
    j += 1;
    skip_unit(toks, &mut j);
    let high = match separator_at(toks, j) {
        Some(worded) => {
            if !labelled && !worded {
                return None;
            }
            j += 1;
            toks.get(j)?.num()?
        }
        // "1.16 -2.07": a hyphen read as a sign is the separator when only that orders them.
        None => {
            let t = toks.get(j)?;
            let h = t.num()?;
            if !(labelled && h.value < 0.0 && low.value > h.value && low.value < -h.value) {
                return None;
            }
            Reported::new(-h.value, h.decimals)
        }
    };
    j += 1;
    skip_unit(toks, &mut j);
    let closed = open && toks.get(j).is_some_and(|t| t.is(')') || t.is(']'));
    if !labelled && !closed {
        return None;
    }
    j += usize::from(closed);
    let level = label.map_or(95.0, |(l, _)| l);
    Some(Interval {
        estimate_at: i,
        estimate,
        low,
        high,
        level,
        labelled,
        percent,
        end: j,
    })
}

/// A p-value at `j` (`p = 0,04`, `p<0.001`, `P < .0001`, `p-waarde 0,3`, `p = 3.2 ×
/// 10⁻⁵`): it, or the token of the number after `p` that is not a p-value (outside [0, 1]),
/// and the token after it.
pub fn p_at(toks: &[Token], j: usize) -> Option<(Result<ReportedP, usize>, usize)> {
    let w = toks.get(j)?.word()?;
    if !["p", "p-value", "p-waarde", "p-valeur"].contains(&w) {
        return None;
    }
    let mut k = j + 1;
    let mut op = String::new();
    while let Some(Kind::Punct(c)) = toks.get(k).map(|t| &t.kind) {
        if !matches!(c, '<' | '>' | '=' | '≤' | '≥' | ':') {
            break;
        }
        if *c != ':' {
            op.push(*c);
        }
        k += 1;
    }
    let n = toks.get(k)?.num()?;
    let p = ReportedP::parse(&format!("{op}{}", n.printed())).ok_or(k);
    Some((p, k + 1))
}

/// The error of a number token of `text` that is not what its label says, with its line
/// and column (1-based, in characters) in `text`; the value runs on over letters and digits
/// glued to it (`2e`).
pub fn invalid_at(
    text: &str,
    tok: &Token,
    (line, column): (usize, usize),
    problem: &'static str,
    expected: &'static str,
) -> ClaimError {
    let rest = &text[tok.end..];
    let end = tok.end
        + rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
    ClaimError::Invalid {
        line,
        column,
        value: text[tok.start..end].to_string(),
        problem,
        expected,
    }
}

/// What a p-value that is not one is (the wording of the claims file's error).
pub const NOT_A_P: (&str, &str) = ("not a p-value", "e.g. 0.01, <0.001, 0,04 or p<0.00001");

/// What degrees of freedom that are not a number above 0 are.
const NOT_DF: (&str, &str) = ("not a number of degrees of freedom", "a number above 0");

/// 1-based line and column (in characters) of a byte offset of a short text.
fn line_column(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let start = before.rfind('\n').map_or(0, |k| k + 1);
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    (line, 1 + before[start..].chars().count())
}

/// Whether a clinical-relevance word at `i` is negated by one of the three words before it
/// (not before `from`): `niet klinisch relevant`, `pas cliniquement pertinent`.
pub fn relevance_word_at(toks: &[Token], i: usize, from: usize) -> Option<bool> {
    if !word_is(
        toks,
        i,
        &["relevant", "pertinent", "pertinente", "pertinents"],
    ) {
        return None;
    }
    let negated = toks[from.min(i)..i].iter().rev().take(3).any(|t| {
        t.word()
            .is_some_and(|x| ["not", "niet", "pas", "non", "geen", "no", "nicht"].contains(&x))
    });
    Some(!negated)
}

/// Reads one result from text. Measure names: MD, SMD, RR, OR, HR, RD, IRR (and their
/// written-out names); level as `95%`; optional `p = …`, `threshold …` (`drempel`, `seuil`),
/// `df …`, and a reported verdict (`clinically relevant` / `not clinically relevant`,
/// `klinisch relevant` / `niet klinisch relevant`, `cliniquement pertinent` / `pas
/// cliniquement pertinent`, or `reported: yes|no`).
///
/// # Examples
/// ```
/// use repool::check::text::parse;
/// let c = parse("RR 1,23 (95% BI 1,16 tot 2,07)").unwrap();
/// assert_eq!((c.estimate.value, c.ci_low.value, c.ci_high.value), (1.23, 1.16, 2.07));
/// let c = parse("MD -9.72 (95% CI -22.7 to -6.69), threshold -10, reported: not clinically relevant").unwrap();
/// assert_eq!((c.threshold, c.verdict), (Some(-10.0), Some(false)));
/// ```
pub fn parse(text: &str) -> Result<Claim, TextError> {
    parse_as(text, None)
}

/// [`parse`], with the measure to assume when the text names none: `0.56 (95% CI,
/// 0.43–0.68)` read as an odds ratio. A measure named in the text wins.
///
/// # Examples
/// ```
/// use repool::check::{text::parse_as, ClaimMeasure};
/// let c = parse_as("0.56 (95% CI, 0.43\u{2013}0.68)", Some(ClaimMeasure::OR)).unwrap();
/// assert_eq!((c.measure, c.ci_high.value), (ClaimMeasure::OR, 0.68));
/// let c = parse_as("relative risk 0.79 (0.65 to 0.96)", Some(ClaimMeasure::OR)).unwrap();
/// assert_eq!(c.measure, ClaimMeasure::RR);
/// ```
pub fn parse_as(text: &str, assumed: Option<ClaimMeasure>) -> Result<Claim, TextError> {
    let err = |reason: &str| TextError {
        text: text.to_string(),
        reason: reason.to_string(),
    };
    let toks = lex(text);
    let named = (0..toks.len()).find_map(|i| measure_at(text, &toks, i, false).map(|m| (i, m)));
    let (measure, from) = match (named, assumed) {
        (Some((mpos, (m, len))), _) => (m, mpos + len),
        (None, Some(scale)) => (
            MeasureName {
                code: scale.code(),
                scale,
            },
            0,
        ),
        (None, None) => return Err(err("no measure (MD, SMD, RR, OR, HR, RD or IRR)")),
    };
    let ei = (from..toks.len())
        .find(|&i| toks[i].num().is_some())
        .ok_or_else(|| err("no estimate after the measure"))?;
    let iv = read_interval(&toks, ei).ok_or_else(|| {
        err("no confidence interval (two numbers after the estimate, in brackets or after a label such as 95% CI)")
    })?;
    let mut claim = Claim {
        id: "text".into(),
        measure: measure.scale,
        estimate: iv.estimate,
        ci_low: iv.low,
        ci_high: iv.high,
        level: iv.level / 100.0,
        p: None,
        df: None,
        threshold: None,
        verdict: None,
    };
    read_tail(text, &toks, iv.end, &mut claim).map_err(|e| err(&e.to_string()))?;
    Ok(claim)
}

/// The number after token `i` (skipping words such as `of` and `:`), and its index.
fn number_after(toks: &[Token], i: usize) -> Option<(f64, usize)> {
    (i + 1..toks.len().min(i + 4)).find_map(|j| toks[j].num().map(|n| (n.value, j)))
}

/// What follows a result in [`parse`]: p, threshold, df and the reported verdict; a p
/// outside [0, 1], or df that are not a number above 0, is an error at its place.
fn read_tail(text: &str, toks: &[Token], from: usize, c: &mut Claim) -> Result<(), ClaimError> {
    let invalid = |k: usize, (problem, expected)| {
        let at = line_column(text, toks[k].start);
        invalid_at(text, &toks[k], at, problem, expected)
    };
    let mut i = from;
    while i < toks.len() {
        if let Some((p, next)) = p_at(toks, i) {
            c.p = Some(p.map_err(|k| invalid(k, NOT_A_P))?);
            i = next;
            continue;
        }
        let w = toks[i].word().unwrap_or("");
        if ["threshold", "drempel", "seuil", "mid", "mcid"].contains(&w) {
            if let Some((v, j)) = number_after(toks, i) {
                c.threshold = Some(v);
                i = j;
            }
        } else if w == "df" {
            if let Some((v, j)) = number_after(toks, i) {
                // Digits glued to letters (`2e`, `2x1`) are not a number read whole.
                let glued = toks
                    .get(j + 1)
                    .is_some_and(|t| !t.spaced && t.word().is_some());
                if v <= 0.0 || glued {
                    return Err(invalid(j, NOT_DF));
                }
                c.df = Some(v);
                i = j;
            }
        } else if let Some(v) = relevance_word_at(toks, i, from) {
            c.verdict = Some(v);
        } else if ["yes", "ja", "oui"].contains(&w) {
            c.verdict = Some(true);
        } else if ["no", "nee", "non"].contains(&w) {
            // "no" directly before "clinically relevant" is handled by the negation above.
            let later = (i + 1..toks.len()).any(|j| relevance_word_at(toks, j, j).is_some());
            if !later {
                c.verdict = Some(false);
            }
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (ClaimMeasure, f64, f64, f64) {
        let c = parse(text).unwrap_or_else(|e| panic!("{e}"));
        (c.measure, c.estimate.value, c.ci_low.value, c.ci_high.value)
    }

    /// Written-out measure names in English, Dutch and French, and the French abbreviations
    /// DM, DMP (weighted MD), DMS and RC (rapport des cotes).
    #[test]
    fn measures_are_read_written_out_and_by_french_abbreviation() {
        use ClaimMeasure::*;
        let cases = [
            ("hazard ratio 0.76 (0.62 to 0.93)", (HR, 0.76, 0.62, 0.93)),
            (
                "odds ratio 0.61, 95% confidence interval 0.43 to 0.87",
                (OR, 0.61, 0.43, 0.87),
            ),
            (
                "pooled odds ratio, 0.54; 95% CI, 0.39 to 0.74",
                (OR, 0.54, 0.39, 0.74),
            ),
            ("relative risk 0.79 (0.65 to 0.96)", (RR, 0.79, 0.65, 0.96)),
            ("risk ratio 0.79 (0.65 to 0.96)", (RR, 0.79, 0.65, 0.96)),
            (
                "mean difference -2.1 (95% CI -3.0 to -1.2)",
                (MD, -2.1, -3.0, -1.2),
            ),
            (
                "standardised mean difference -0.4 (-0.6 to -0.2)",
                (SMD, -0.4, -0.6, -0.2),
            ),
            (
                "standardized mean difference -0.4 (-0.6 to -0.2)",
                (SMD, -0.4, -0.6, -0.2),
            ),
            (
                "risk difference -0.05 (-0.09 to -0.01)",
                (RD, -0.05, -0.09, -0.01),
            ),
            (
                "relatief risico 0,79 (95%-BI 0,65 tot 0,96)",
                (RR, 0.79, 0.65, 0.96),
            ),
            ("oddsratio 1,8 (95%-BI 1,2 tot 2,7)", (OR, 1.8, 1.2, 2.7)),
            (
                "gemiddeld verschil -12 (95%-BI -18 tot -6)",
                (MD, -12.0, -18.0, -6.0),
            ),
            (
                "risque relatif 0,79 (IC à 95 % 0,65 à 0,96)",
                (RR, 0.79, 0.65, 0.96),
            ),
            (
                "rapport des cotes 0,61 (IC à 95 % 0,43 à 0,87)",
                (OR, 0.61, 0.43, 0.87),
            ),
            (
                "différence moyenne -12 (IC à 95 % -18 à -6)",
                (MD, -12.0, -18.0, -6.0),
            ),
            (
                "différence moyenne pondérée -12 (IC à 95 % -18 à -6)",
                (MD, -12.0, -18.0, -6.0),
            ),
            ("DM -12 (IC à 95 % -18 à -6)", (MD, -12.0, -18.0, -6.0)),
            ("DMP -12 (IC à 95 % -18 à -6)", (MD, -12.0, -18.0, -6.0)),
            ("DMS -0,4 (IC à 95 % -0,6 à -0,2)", (SMD, -0.4, -0.6, -0.2)),
            ("RC 0,61 (IC à 95 % 0,43 à 0,87)", (OR, 0.61, 0.43, 0.87)),
        ];
        for (text, want) in cases {
            assert_eq!(read(text), want, "{text}");
        }
    }

    /// When scanning documents the French abbreviations count only in capitals.
    #[test]
    fn french_abbreviations_are_strict_when_scanning() {
        let text = "dm rc DM RC DMS DMP";
        let toks = lex(text);
        let codes: Vec<Option<&str>> = (0..toks.len())
            .map(|i| measure_at(text, &toks, i, true).map(|(m, _)| m.code))
            .collect();
        assert_eq!(
            codes,
            [None, None, Some("MD"), Some("OR"), Some("SMD"), Some("MD")]
        );
    }

    /// A text without a measure is read with the measure assumed; a measure in the text wins.
    #[test]
    fn an_assumed_measure_fills_in_for_a_text_without_one() {
        let c = parse_as("0.56 (95% CI, 0.43\u{2013}0.68)", Some(ClaimMeasure::OR)).unwrap();
        assert_eq!(
            (c.measure, c.estimate.value, c.ci_low.value, c.ci_high.value),
            (ClaimMeasure::OR, 0.56, 0.43, 0.68)
        );
        assert!(parse("0.56 (95% CI, 0.43\u{2013}0.68)")
            .unwrap_err()
            .reason
            .starts_with("no measure"));
        let c = parse_as("HR 0.8 (0.7 to 0.9)", Some(ClaimMeasure::OR)).unwrap();
        assert_eq!(c.measure, ClaimMeasure::HR);
    }

    /// Numbers in scientific notation are read whole, with the decimals of the number
    /// written out; `x` and `*` need `^` or superscripts, and `2e` (Dutch "second") or
    /// `2 × 105` stay what they are.
    #[test]
    fn scientific_notation_is_one_number() {
        let nums = |t: &str| -> Vec<(f64, u32)> {
            lex(t)
                .iter()
                .filter_map(|t| t.num())
                .map(|r| (r.value, r.decimals))
                .collect()
        };
        let cases: [(&str, f64, u32); 12] = [
            ("2e-10", 2e-10, 10),
            ("3.2E-5", 3.2e-5, 6),
            ("3.2 \u{d7} 10\u{2212}5", 3.2e-5, 6),
            ("3.2 \u{d7} 10^-5", 3.2e-5, 6),
            ("3.2\u{d7}10-5", 3.2e-5, 6),
            ("3,2 \u{d7} 10\u{207b}\u{2075}", 3.2e-5, 6),
            ("3.2 x 10^-5", 3.2e-5, 6),
            ("3.2*10^\u{2212}5", 3.2e-5, 6),
            ("10^-5", 1e-5, 5),
            ("10\u{207b}\u{b9}\u{2070}", 1e-10, 10),
            ("2e1", 20.0, 0),
            ("-1.5e+2", -150.0, 0),
        ];
        for (text, value, decimals) in cases {
            assert_eq!(nums(text), [(value, decimals)], "{text}");
        }
        assert_eq!(nums("de 2e lijn"), [(2.0, 0)]);
        assert_eq!(nums("2 x 10-5"), [(2.0, 0), (10.0, 0), (5.0, 0)]);
        assert_eq!(nums("2 \u{d7} 105"), [(2.0, 0), (105.0, 0)]);
        assert_eq!(nums("1e-5mg"), [(1.0, 0), (5.0, 0)]);
    }

    /// `p` in scientific notation is read; a p outside [0, 1] is an error naming its line,
    /// column and value; decimal commas still read.
    #[test]
    fn p_values_in_scientific_notation_and_out_of_range() {
        let p = |t: &str| parse(t).unwrap().p.map(|p| p.interval());
        let tiny = p("RR 2 (1 to 4), p = 2e-10").unwrap();
        assert!((tiny.0 - 1.5e-10).abs() < 1e-20 && (tiny.1 - 2.5e-10).abs() < 1e-20);
        let small = p("OR 1.20 (95% CI 1.10 to 1.30), P = 3.2 \u{d7} 10^-5").unwrap();
        assert!((small.0 - 3.15e-5).abs() < 1e-15, "{small:?}");
        let comma = Some(ReportedP::Equal(Reported::new(0.03, 2)));
        assert_eq!(parse("RR 2 (1 to 4), p = 0,03").unwrap().p, comma);
        let nl = parse("RR 1,23 (95% BI 1,16 tot 2,07), p = 0,03").unwrap();
        assert_eq!(nl.p, comma);
        assert!(p("RR 0,8 (IC à 95 % 0,7 à 0,9), p = 3,2 \u{d7} 10\u{2212}5").is_some());
        let e = parse("RR 2 (1 to 4), p = 1.5").unwrap_err();
        assert_eq!(
            e.reason,
            "1:20: not a p-value: '1.5'; expected e.g. 0.01, <0.001, 0,04 or p<0.00001"
        );
        let e = parse("RR 2 (1 to 4),\np = 2e1").unwrap_err();
        assert!(
            e.reason.starts_with("2:5: not a p-value: '2e1'"),
            "{}",
            e.reason
        );
    }

    /// Degrees of freedom are read whole (`2e1` is 20), and digits glued to letters or a
    /// number not above 0 are an error, never the leading digit.
    #[test]
    fn df_is_read_whole() {
        let df = |t: &str| parse(t).map(|c| c.df);
        assert_eq!(df("RR 2 (1 to 4), df = 2e1, p = 0.05"), Ok(Some(20.0)));
        assert_eq!(df("RR 2 (1 to 4), df = 12, p = 0.05"), Ok(Some(12.0)));
        let e = df("RR 2 (1 to 4), df = 2e, p = 0.05").unwrap_err();
        assert!(
            e.reason.contains("degrees of freedom: '2e'"),
            "{}",
            e.reason
        );
        let e = df("RR 2 (1 to 4), df = 0").unwrap_err();
        assert!(e.reason.starts_with("1:21: not a number"), "{}", e.reason);
    }

    /// The lexer walks bytes, not a table of characters: positions stay byte offsets
    /// around multi-byte characters, and megabytes of whitespace cost only their tokens.
    #[test]
    fn lexing_keeps_byte_offsets_and_only_tokens() {
        let text = "é −1,5 – naïve";
        let t = lex(text);
        assert_eq!(t.len(), 4);
        assert_eq!(&text[t[1].start..t[1].end], "−1,5");
        assert_eq!(t[1].num().map(|r| r.value), Some(-1.5));
        assert_eq!(&text[t[3].start..t[3].end], "naïve");
        let big = format!("{}RR{}", " ".repeat(4 << 20), "\n".repeat(1 << 20));
        let t = lex(&big);
        assert_eq!((t.len(), t[0].start), (1, 4 << 20));
        assert!(t.capacity() < 16, "{}", t.capacity());
    }
}
