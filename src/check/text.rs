//! Reading results as printed in English, Dutch or French:
//! `RR 1,23 (95% BI 1,16 tot 2,07)`, `MD -9.72 (95% CI -22.7 to -6.69), threshold -10,
//! reported: not clinically relevant`, `OR 0,77 (IC à 95 % 0,23 à 2,59), p = 0,67`.
//!
//! One lexer ([`lex`]) and one grammar of an estimate with its interval ([`read_interval`])
//! serve both [`parse`] (one result) and [`scan`](super::scan) (every result of a document).
//! Tokens keep their byte offsets in the text, so a finding knows its line, column and
//! snippet.

use super::{Claim, ClaimMeasure, Reported, ReportedP};

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

/// Whether the dash at `i` is the sign of the number after it: directly followed by a
/// digit (or, for `-` and `−`, by a line break and a digit: a number broken over lines),
/// and not directly after a digit or letter (`1,16-2,07` is a range, `COVID-19` a name).
fn is_sign(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let c = chars[i].1;
    if i > 0 && chars[i - 1].1.is_alphanumeric() {
        return None;
    }
    let next = chars.get(i + 1)?.1;
    if next.is_ascii_digit() {
        return Some(i + 1);
    }
    if c == '\u{2013}' || c == '\u{2014}' || !next.is_whitespace() {
        return None;
    }
    let mut j = i + 1;
    let mut broke = false;
    while j < chars.len() && chars[j].1.is_whitespace() {
        broke |= chars[j].1 == '\n';
        j += 1;
    }
    (broke && chars.get(j).is_some_and(|(_, d)| d.is_ascii_digit())).then_some(j)
}

/// The end (exclusive char index) of the digits of a number starting at `i`: digits with
/// at most one decimal mark (`.` or `,`) that has a digit on both sides; a leading `.`
/// (`p < .0001`) counts as the mark.
fn number_end(chars: &[(usize, char)], mut i: usize) -> usize {
    let digit = |k: usize| chars.get(k).is_some_and(|(_, c)| c.is_ascii_digit());
    let mut mark = chars[i].1 == '.';
    if mark {
        i += 1;
    }
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_ascii_digit() {
            i += 1;
        } else if !mark && (c == '.' || c == ',') && digit(i + 1) && i > 0 && digit(i - 1) {
            mark = true;
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Splits a text into numbers, words and punctuation, with their byte spans.
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
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |k: usize| chars.get(k).map_or(text.len(), |(b, _)| *b);
    let mut toks = Vec::with_capacity(text.len() / 4);
    let (mut i, mut breaks, mut spaced) = (0, 0u32, false);
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            breaks += u32::from(c == '\n');
            spaced = true;
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        let sign = if DASHES.contains(&c) || c == '+' {
            is_sign(&chars, i)
        } else {
            None
        };
        let leading_point = c == '.'
            && chars.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit())
            && !(i > 0 && chars[i - 1].1.is_ascii_digit());
        if c.is_ascii_digit() || sign.is_some() || leading_point {
            let body = sign.unwrap_or(i);
            i = number_end(&chars, body);
            let digits = &text[at(body)..at(i)];
            let minus = sign.is_some() && c != '+';
            let printed = format!(
                "{}{}",
                if minus { "-" } else { "" },
                digits.replace(',', ".")
            );
            let printed = if printed.starts_with('.') || printed.starts_with("-.") {
                printed.replacen('.', "0.", 1)
            } else {
                printed
            };
            match Reported::parse(&printed) {
                Some(r) => kind = Kind::Num(r),
                None => kind = Kind::Punct(c),
            }
        } else if c.is_alphabetic() {
            i += 1;
            while i < chars.len() {
                let d = chars[i].1;
                let inner = matches!(d, '-' | '\'' | '\u{2019}')
                    && chars.get(i + 1).is_some_and(|(_, e)| e.is_alphabetic());
                if d.is_alphabetic() || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            kind = Kind::Word(text[at(start)..at(i)].to_lowercase());
        } else {
            i += 1;
            kind = Kind::Punct(c);
        }
        toks.push(Token {
            kind,
            start: at(start),
            end: at(i),
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

/// A p-value at `j` (`p = 0,04`, `p<0.001`, `P < .0001`, `p-waarde 0,3`): it and the token
/// after it.
pub fn p_at(toks: &[Token], j: usize) -> Option<(ReportedP, usize)> {
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
    ReportedP::parse(&format!("{op}{}", n.printed())).map(|p| (p, k + 1))
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
    read_tail(&toks, iv.end, &mut claim);
    Ok(claim)
}

/// The number after token `i` (skipping words such as `of` and `:`), and its index.
fn number_after(toks: &[Token], i: usize) -> Option<(f64, usize)> {
    (i + 1..toks.len().min(i + 4)).find_map(|j| toks[j].num().map(|n| (n.value, j)))
}

/// What follows a result in [`parse`]: p, threshold, df and the reported verdict.
fn read_tail(toks: &[Token], from: usize, c: &mut Claim) {
    let mut i = from;
    while i < toks.len() {
        if let Some((p, next)) = p_at(toks, i) {
            c.p = Some(p);
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
}
