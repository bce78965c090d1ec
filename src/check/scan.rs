//! Finding every comparative effect estimate with its confidence interval in a document's
//! text, and checking each one with [`check`](super::check). Pure: text in, findings out.
//!
//! The finder uses the lexer and interval grammar of [`text`](super::text). An estimate
//! with an interval is kept when it is comparative:
//! - a measure is named before it in the same sentence (`RR`, `odds ratio`, `gemiddeld
//!   verschil`, `différence moyenne`, …), or
//! - it sits in a table whose header names the interval (`Reductie (95% BI)`, `OR (95% CI)`):
//!   the header's measure, and its `p`, `N`, `n` and relevance columns, carry forward over
//!   the table's rows until a caption or a line of prose ends the table, or
//! - its interval is labelled (`95% CI`) and the sentence says it compares (`versus`,
//!   `difference`, `reductie`, `réduction`, …) without describing one group (`prevalence`,
//!   `mean age`, …), or the estimate is negative (a difference).
//!
//! A bracketed pair without a label (`(1,2)`, `(40-60)`) counts only right after a named
//! measure or in such a table; a percentage is an estimate only with a named measure.

use super::text::{
    invalid_at, label_at, lex, measure_at, p_at, read_interval, relevance_word_at, Interval, Kind,
    MeasureName, Token, NOT_A_P,
};
use super::{check, CheckResult, Claim, ClaimError, ClaimMeasure, Lang, Reported, ReportedP};

/// Options of a scan.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Language of the checks' explanations.
    pub lang: Lang,
    /// Minimal important difference on the printed scale, signed in the direction of
    /// benefit. It applies to differences, and to ratios when it is positive.
    pub threshold: Option<f64>,
}

/// One estimate found in a text, with its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Line of the estimate (1-based).
    pub line: usize,
    /// Column of the estimate in characters (1-based).
    pub column: usize,
    /// Byte span of the snippet in the text.
    pub span: (usize, usize),
    /// The snippet as printed: from the named measure (when near) to the end of the interval.
    pub text: String,
    /// The measure's code when the text names it (`RR`, `OR`, `HR`, `IRR`, `MD`, `SMD`, `RD`).
    pub measure: Option<&'static str>,
    /// The claim checked: its measure is the named one's scale, or for an unnamed measure
    /// the scale (ratio or difference) on which the interval is more symmetric.
    pub claim: Claim,
    /// Level in percent as printed (95 when the text does not say).
    pub level: f64,
    /// Number of studies tied to the estimate (`N=3`, `3 studies`, a table's `N` column).
    pub n_studies: Option<u64>,
    /// Number of patients tied to the estimate (`n=96`, `1 415 patiënten`).
    pub n_patients: Option<u64>,
    /// The checks, or why the numbers cannot be checked (e.g. limits in the wrong order).
    pub check: Result<CheckResult, ClaimError>,
}

/// Words that say a sentence compares groups.
const COMPARATIVE: [&str; 30] = [
    "versus",
    "vs",
    "compar",
    "differen",
    "verschil",
    "vergel",
    "t.o.v",
    "reduc",
    "vermind",
    "daling",
    "toename",
    "stijging",
    "verbeter",
    "improv",
    "increas",
    "decreas",
    "réduc",
    "diminu",
    "augment",
    "amélio",
    "différen",
    "effect",
    "effet",
    "benefit",
    "voordeel",
    "bénéfice",
    "contrôle",
    "control",
    "placebo",
    "vergeleken",
];

/// Words that say a number describes one group.
const SINGLE_GROUP: [&str; 16] = [
    "prevalen",
    "prévalen",
    "incidence",
    "incidentie",
    "age",
    "aged",
    "leeftijd",
    "âge",
    "sensitiv",
    "specific",
    "sensibilit",
    "spécificit",
    "proportion",
    "percentage",
    "pourcentage",
    "accuracy",
];

const STUDY_WORDS: [&str; 12] = [
    "studies",
    "study",
    "studie",
    "trials",
    "trial",
    "rcts",
    "rct",
    "études",
    "étude",
    "essais",
    "onderzoeken",
    "studies)",
];

const PATIENT_WORDS: [&str; 11] = [
    "patients",
    "patiënten",
    "patienten",
    "participants",
    "deelnemers",
    "personen",
    "subjects",
    "sujets",
    "personnes",
    "people",
    "persons",
];

/// Columns of a table header after its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Col {
    P,
    Studies,
    Patients,
    Verdict,
}

/// A table header naming an interval, carried over its rows.
#[derive(Debug, Clone)]
struct Table {
    measure: Option<MeasureName>,
    cols: Vec<Col>,
}

fn starts_any(w: &str, stems: &[&str]) -> bool {
    stems.iter().any(|s| w.starts_with(s))
}

fn sentence_end(t: &Token) -> bool {
    matches!(t.kind, Kind::Punct('.' | '!' | '?'))
}

/// Scans a text for comparative estimates with a confidence interval and checks each.
///
/// # Examples
/// ```
/// use repool::check::{scan::{scan_text, ScanOptions}, Lang};
/// let text = "Pijn daalde (SMD -0,02; 95%-BI -0,49 tot 0,42). Leeftijd 54 (95% BI 50 tot 58).";
/// let found = scan_text(text, &ScanOptions { lang: Lang::Nl, threshold: None });
/// assert_eq!(found.len(), 1);
/// assert_eq!((found[0].measure, found[0].claim.estimate.value), (Some("SMD"), -0.02));
/// assert_eq!((found[0].line, found[0].column), (1, 18));
/// ```
pub fn scan_text(text: &str, opts: &ScanOptions) -> Vec<Finding> {
    let toks = lex(text);
    let lines = Lines::new(text, &toks);
    let mut found = Vec::new();
    let mut table: Option<(Table, usize)> = None;
    let (mut i, mut floor) = (0, 0);
    while i < toks.len() {
        let line = lines.line_of(toks[i].start);
        if (toks[i].breaks > 0 || i == 0) && (lines.is_prose(line) || caption_at(&toks, i)) {
            table = None;
        }
        if let Some(header) = header_at(text, &toks, i) {
            table = Some((header, line));
            i += 1;
            continue;
        }
        let Some(iv) = read_interval(&toks, i) else {
            i += 1;
            continue;
        };
        let tab = table.as_ref().map(|(t, _)| t);
        match accept(text, &toks, &iv, floor, tab) {
            Some((measure, from)) => {
                let limit = tail_limit(&toks, iv.end);
                let f = finding(text, &toks, &lines, &iv, (measure, from), tab, limit, opts);
                found.push(f);
                i = iv.end;
                floor = iv.end;
            }
            None => i += 1,
        }
    }
    found
}

/// The lines that hold tokens, each with its first byte, its number and its number of words
/// (lines without tokens take no memory), and the last column counted: findings come in
/// text order, so counting each column from the one before keeps a long line linear.
struct Lines {
    lines: Vec<LineInfo>,
    cursor: std::cell::Cell<(usize, usize)>,
}

/// A line that holds tokens.
struct LineInfo {
    start: usize,
    number: usize,
    words: usize,
}

impl Lines {
    fn new(text: &str, toks: &[Token]) -> Lines {
        let mut lines: Vec<LineInfo> = Vec::new();
        let (mut from, mut number, mut start) = (0, 1, 0);
        for t in toks {
            // From the previous token's start: a number broken over lines holds a break.
            let seg = &text[from..t.start];
            if let Some(k) = seg.rfind('\n') {
                number += seg.bytes().filter(|&b| b == b'\n').count();
                start = from + k + 1;
            }
            if lines.last().is_none_or(|l| l.number != number) {
                lines.push(LineInfo {
                    start,
                    number,
                    words: 0,
                });
            }
            if let (Some(l), Some(_)) = (lines.last_mut(), t.word()) {
                l.words += 1;
            }
            from = t.start;
        }
        Lines {
            lines,
            cursor: std::cell::Cell::new((0, 1)),
        }
    }

    /// The line holding the token that starts at a byte offset.
    fn info(&self, byte: usize) -> &LineInfo {
        let k = self.lines.partition_point(|l| l.start <= byte);
        &self.lines[k.saturating_sub(1)]
    }

    /// 1-based line of the byte offset where a token starts.
    fn line_of(&self, byte: usize) -> usize {
        self.info(byte).number
    }

    /// 1-based column in characters of the byte offset where a token starts.
    fn column_of(&self, text: &str, byte: usize) -> usize {
        let start = self.info(byte).start;
        let (at, column) = self.cursor.get();
        let (from, column) = if (start..=byte).contains(&at) {
            (at, column)
        } else {
            (start, 1)
        };
        let column = column + text[from..byte].chars().count();
        self.cursor.set((byte, column));
        column
    }

    /// A line of prose (many words) ends a table.
    fn is_prose(&self, line: usize) -> bool {
        self.lines
            .binary_search_by_key(&line, |l| l.number)
            .is_ok_and(|k| self.lines[k].words >= 12)
    }
}

/// A table caption at the start of a line: `Tabel`, `Table`, `Tableau`, `Figure`, `Figuur`.
fn caption_at(toks: &[Token], i: usize) -> bool {
    toks[i]
        .word()
        .is_some_and(|w| ["tabel", "table", "tableau", "figuur", "figure"].contains(&w))
}

/// A table header at `i`: an interval label not followed by numbers (`Reductie (95% BI) N n
/// Klinisch relevant?`), with the measure named before it and the columns after it.
fn header_at(text: &str, toks: &[Token], i: usize) -> Option<Table> {
    let open = toks[i].is('(') || toks[i].is('[');
    let (_, after) = label_at(toks, i + usize::from(open))?;
    if i > 0 && toks[i - 1].num().is_some() {
        return None;
    }
    let mut k = after;
    if open && toks.get(k).is_some_and(|t| t.is(')') || t.is(']')) {
        k += 1;
    }
    if toks
        .get(k)
        .is_none_or(|t| t.num().is_some() || t.is(':') || t.is('='))
    {
        return None;
    }
    // The last name in the window, read forwards so that "standardised mean difference" is
    // not cut to "mean difference".
    let (mut measure, mut j) = (None, i.saturating_sub(8));
    while j < i {
        match measure_at(text, toks, j, true) {
            Some((m, len)) => {
                measure = Some(m);
                j += len;
            }
            None => j += 1,
        }
    }
    let mut cols = Vec::new();
    for t in toks.iter().skip(k).take(12) {
        if t.num().is_some() {
            break;
        }
        let raw = &text[t.start..t.end];
        let col = match raw {
            "p" | "P" | "p-waarde" | "p-value" | "valeur" => Some(Col::P),
            "N" | "k" | "K" => Some(Col::Studies),
            "n" => Some(Col::Patients),
            _ if t
                .word()
                .is_some_and(|w| starts_any(w, &["relevan", "pertinen"])) =>
            {
                Some(Col::Verdict)
            }
            _ => None,
        };
        if let Some(c) = col.filter(|c| !cols.contains(c)) {
            cols.push(c);
        }
    }
    Some(Table { measure, cols })
}

/// Whether an interval is a comparative estimate: the measure named before it (if any) and
/// the token where the snippet starts.
fn accept(
    text: &str,
    toks: &[Token],
    iv: &Interval,
    floor: usize,
    table: Option<&Table>,
) -> Option<(Option<MeasureName>, usize)> {
    let i = iv.estimate_at;
    let mut from = i;
    while from > floor && i - from < 15 && !sentence_end(&toks[from - 1]) {
        from -= 1;
    }
    let mut named = None;
    let mut j = from;
    while j < i {
        match measure_at(text, toks, j, true) {
            Some((m, len)) if j + len <= i => {
                named = Some((m, j));
                j += len;
            }
            _ => j += 1,
        }
    }
    if let Some((m, at)) = named {
        if iv.labelled || i - at <= 6 {
            return Some((Some(m), at));
        }
    }
    if let Some(t) = table {
        return Some((t.measure, i));
    }
    let words = || toks[from..i].iter().filter_map(|t| t.word());
    let single = words().any(|w| starts_any(w, &SINGLE_GROUP));
    let comparative = words().any(|w| starts_any(w, &COMPARATIVE));
    let negative = iv.estimate.value < 0.0;
    (iv.labelled && !iv.percent && !single && (comparative || negative)).then_some((None, i))
}

/// Where the words tied to an estimate end: at the end of its sentence, a paragraph
/// break, the next interval, or 25 tokens on.
fn tail_limit(toks: &[Token], from: usize) -> usize {
    let mut k = from;
    while k < toks.len() && k < from + 25 {
        let t = &toks[k];
        if sentence_end(t) || (k > from && t.breaks >= 2) || read_interval(toks, k).is_some() {
            break;
        }
        k += 1;
    }
    k
}

/// What follows an estimate: p, numbers of studies and patients, the relevance verdict.
#[derive(Debug, Default)]
struct Tail {
    p: Option<ReportedP>,
    /// The token of a number after `p` that is not a p-value (outside [0, 1]).
    not_p: Option<usize>,
    n_studies: Option<u64>,
    n_patients: Option<u64>,
    verdict: Option<bool>,
}

fn integer(t: Option<&Token>) -> Option<u64> {
    let r = t?.num()?;
    (r.decimals == 0 && r.value >= 0.0 && r.value < 1e12).then_some(r.value as u64)
}

/// An integer at `k` with thousands grouped by a space (`1 415`) or mark (`13,136`): its
/// value and the token after it.
fn grouped(text: &str, toks: &[Token], k: usize) -> Option<(u64, usize)> {
    let t = toks.get(k)?;
    let r = t.num()?;
    if r.decimals == 3 && r.value > 0.0 {
        return Some(((r.value * 1000.0).round() as u64, k + 1));
    }
    let v = integer(Some(t))?;
    if let Some(next) = toks.get(k + 1) {
        let gap = &text[t.end..next.start];
        let digits = next.end - next.start;
        if gap == " " && digits == 3 && integer(Some(next)).is_some() && v < 1000 {
            return Some((v * 1000 + integer(Some(next))?, k + 2));
        }
    }
    Some((v, k + 1))
}

/// The table's columns after the interval, in order; each read when present.
fn read_columns(
    text: &str,
    toks: &[Token],
    table: &Table,
    mut k: usize,
    limit: usize,
    tail: &mut Tail,
) {
    for col in &table.cols {
        if k >= limit {
            break;
        }
        match col {
            Col::P => {
                let (op, at) = match toks[k].kind {
                    Kind::Punct(c @ ('<' | '>' | '≤' | '≥')) => (c.to_string(), k + 1),
                    _ => (String::new(), k),
                };
                let Some(r) = toks.get(at).and_then(|t| t.num()) else {
                    continue;
                };
                if r.decimals > 0 || !op.is_empty() {
                    tail.p = ReportedP::parse(&format!("{op}{}", r.printed()));
                    k = at + 1;
                }
            }
            Col::Studies => {
                if let Some(n) = integer(toks.get(k)) {
                    tail.n_studies = Some(n);
                    k += 1;
                }
            }
            Col::Patients => {
                if let Some((n, next)) = grouped(text, toks, k) {
                    tail.n_patients = Some(n);
                    k = next;
                }
            }
            Col::Verdict => {
                let w = toks[k].word().unwrap_or("");
                if ["ja", "yes", "oui"].contains(&w) {
                    tail.verdict = Some(true);
                } else if ["nee", "no", "non"].contains(&w) {
                    tail.verdict = Some(false);
                }
            }
        }
    }
}

/// Labelled words after an estimate: `p = 0,04`, `N=3`, `n=96`, `3 studies`, `96 patients`,
/// `(niet) klinisch relevant`.
fn read_words(text: &str, toks: &[Token], from: usize, limit: usize, tail: &mut Tail) {
    let mut k = from;
    while k < limit {
        if let Some((p, next)) = p_at(toks, k) {
            if tail.p.is_none() && tail.not_p.is_none() {
                match p {
                    Ok(p) => tail.p = Some(p),
                    Err(at) => tail.not_p = Some(at),
                }
            }
            k = next;
            continue;
        }
        let raw = &text[toks[k].start..toks[k].end];
        let eq = toks.get(k + 1).is_some_and(|t| t.is('='));
        if eq && matches!(raw, "N" | "k" | "K") {
            tail.n_studies = integer(toks.get(k + 2)).or(tail.n_studies);
        } else if eq && raw == "n" {
            tail.n_patients = grouped(text, toks, k + 2).map(|g| g.0).or(tail.n_patients);
        } else if toks[k].num().is_some() {
            if let Some((n, next)) = grouped(text, toks, k) {
                let word = toks.get(next).and_then(|t| t.word()).unwrap_or("");
                if STUDY_WORDS.contains(&word) {
                    tail.n_studies = Some(n);
                } else if PATIENT_WORDS.contains(&word) {
                    tail.n_patients = Some(n);
                }
            }
        } else if let Some(v) = relevance_word_at(toks, k, from) {
            tail.verdict = Some(v);
        }
        k += 1;
    }
}

/// The scale of an unnamed measure: a ratio when all three numbers are positive and the
/// interval is more symmetric on the log scale, else a difference.
fn infer_scale(e: Reported, l: Reported, h: Reported) -> ClaimMeasure {
    let (e, l, h) = (e.value, l.value, h.value);
    if e > 0.0 && l > 0.0 && h > l {
        let lin = ((h - e) - (e - l)).abs() / (h - l);
        let (le, ll, lh) = (e.ln(), l.ln(), h.ln());
        let log = ((lh - le) - (le - ll)).abs() / (lh - ll);
        if log < lin {
            return ClaimMeasure::RR;
        }
    }
    ClaimMeasure::MD
}

#[allow(clippy::too_many_arguments)]
fn finding(
    text: &str,
    toks: &[Token],
    lines: &Lines,
    iv: &Interval,
    (measure, from): (Option<MeasureName>, usize),
    table: Option<&Table>,
    limit: usize,
    opts: &ScanOptions,
) -> Finding {
    let mut tail = Tail::default();
    if let Some(t) = table {
        read_columns(text, toks, t, iv.end, limit, &mut tail);
    }
    read_words(text, toks, iv.end, limit, &mut tail);
    let est = &toks[iv.estimate_at];
    // The snippet starts at the measure's name when it is near.
    let start = if est.start - toks[from].start <= 80 {
        toks[from].start
    } else {
        est.start
    };
    let end = toks[iv.end - 1].end;
    let scale = measure.map_or_else(|| infer_scale(iv.estimate, iv.low, iv.high), |m| m.scale);
    let threshold = opts.threshold.filter(|&t| !scale.is_ratio() || t > 0.0);
    let (line, column) = (lines.line_of(est.start), lines.column_of(text, est.start));
    let claim = Claim {
        id: format!("{line}:{column}"),
        measure: scale,
        estimate: iv.estimate,
        ci_low: iv.low,
        ci_high: iv.high,
        level: iv.level / 100.0,
        p: tail.p,
        df: None,
        threshold,
        verdict: tail.verdict,
    };
    // A p that is not one is the finding's error, at its own place in the text.
    let checked = match tail.not_p {
        Some(k) => {
            let t = &toks[k];
            let at = (lines.line_of(t.start), lines.column_of(text, t.start));
            Err(invalid_at(text, t, at, NOT_A_P.0, NOT_A_P.1))
        }
        None => check(&claim, opts.lang),
    };
    Finding {
        line,
        column,
        span: (start, end),
        text: text[start..end].to_string(),
        measure: measure.map(|m| m.code),
        check: checked,
        claim,
        level: iv.level,
        n_studies: tail.n_studies,
        n_patients: tail.n_patients,
    }
}

/// The language a text is most likely written in, from its commonest short words.
///
/// # Examples
/// ```
/// use repool::check::{scan::detect_lang, Lang};
/// assert_eq!(detect_lang("Het effect van de behandeling was niet relevant"), Lang::Nl);
/// assert_eq!(detect_lang("L'effet du traitement et les patients"), Lang::Fr);
/// assert_eq!(detect_lang("The effect of the treatment was small"), Lang::En);
/// ```
pub fn detect_lang(text: &str) -> Lang {
    const EN: [&str; 8] = ["the", "and", "of", "with", "was", "were", "to", "in"];
    const NL: [&str; 8] = ["de", "het", "een", "van", "en", "niet", "met", "werd"];
    const FR: [&str; 8] = ["le", "la", "les", "des", "et", "du", "une", "à"];
    let mut counts = [0usize; 3];
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .take(20_000)
        .map(str::to_lowercase)
    {
        for (k, list) in [EN, NL, FR].iter().enumerate() {
            counts[k] += usize::from(list.contains(&w.as_str()));
        }
    }
    match (0..3).max_by_key(|&k| (counts[k], 3 - k)).unwrap_or(0) {
        1 => Lang::Nl,
        2 => Lang::Fr,
        _ => Lang::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<Finding> {
        scan_text(
            text,
            &ScanOptions {
                lang: Lang::En,
                threshold: None,
            },
        )
    }

    /// The one finding of `text`: (measure, estimate, low, high).
    fn one(text: &str) -> (Option<&'static str>, f64, f64, f64) {
        let f = scan(text);
        assert_eq!(f.len(), 1, "{text:?}: {f:#?}");
        let c = &f[0].claim;
        (
            f[0].measure,
            c.estimate.value,
            c.ci_low.value,
            c.ci_high.value,
        )
    }

    #[test]
    fn finds_each_measure_and_written_out_name() {
        let cases = [
            ("The RR was 1.23 (95% CI 1.16 to 2.07).", "RR"),
            ("OR 0.77 (95% CI 0.23-2.59)", "OR"),
            ("HR 0.80; 95% CI 0.70 to 0.91", "HR"),
            ("WMD -2.5 (95% CI -4.0 to -1.0)", "MD"),
            ("SMD 0.62 [95% CI 0.08, 1.17]", "SMD"),
            ("ARR -0.05 (95% CI -0.08 to -0.02)", "RD"),
            ("IRR 1.40 (95% CI 1.10 to 1.78)", "IRR"),
            ("a relative risk of 1.5 (95% CI 1.1 to 2.0)", "RR"),
            ("the hazard ratio was 0.8 (95% CI 0.7 to 0.9)", "HR"),
            (
                "een gemiddeld verschil van -5,3 (95% BI -7,2 tot -3,4)",
                "MD",
            ),
            ("relatief risico 1,8 (95%-BI 1,2 tot 2,7)", "RR"),
            ("un risque relatif de 1,4 (IC à 95 % : 1,1 à 1,8)", "RR"),
            ("un rapport de cotes de 2,1 (IC à 95 % 1,3 à 3,4)", "OR"),
            ("une différence moyenne de -3,2 (IC 95 % -5,0 à -1,4)", "MD"),
            (
                "standardised mean difference 0.4 (95% CI 0.1 to 0.7)",
                "SMD",
            ),
        ];
        for (text, code) in cases {
            assert_eq!(one(text).0, Some(code), "{text}");
        }
    }

    #[test]
    fn reads_number_formats_and_separators() {
        assert_eq!(
            one("RR 1,23 (95% BI 1,16 tot 2,07)"),
            (Some("RR"), 1.23, 1.16, 2.07)
        );
        assert_eq!(
            one("MD \u{2212}0,5 (95% CI \u{2212}0.8 to \u{2212}0,2)"),
            (Some("MD"), -0.5, -0.8, -0.2)
        );
        assert_eq!(
            one("MD \u{2013}0.5 (95% CI \u{2013}0.8; \u{2013}0.2)"),
            (Some("MD"), -0.5, -0.8, -0.2)
        );
        assert_eq!(
            one("MD -0,14mm (95% BI -0,20mm tot -0,08mm)"),
            (Some("MD"), -0.14, -0.2, -0.08)
        );
        assert_eq!(one("OR 1.5 (1.1\u{2013}2.0)"), (Some("OR"), 1.5, 1.1, 2.0));
        assert_eq!(one("OR 1.5 (95% CI 1.1, 2.0)"), (Some("OR"), 1.5, 1.1, 2.0));
        assert_eq!(
            one("OR 1.5 (IC à 95 % de 1,1 à 2,0)"),
            (Some("OR"), 1.5, 1.1, 2.0)
        );
        assert_eq!(
            one("SMD van -0,59 (-\n\n1,28 tot 0,10)"),
            (Some("SMD"), -0.59, -1.28, 0.10)
        );
        assert_eq!(
            one("RR van 2,44 (1,20\n\ntot 4,96)"),
            (Some("RR"), 2.44, 1.2, 4.96)
        );
        assert_eq!(one("SMD 0.4 (99% CI 0.1 to 0.7)").1, 0.4);
        assert_eq!(scan("SMD 0.4 (99% CI 0.1 to 0.7)")[0].level, 99.0);
    }

    #[test]
    fn finds_line_column_and_snippet() {
        let f = scan("Intro.\n  Pain fell (SMD \u{2212}0,3; 95% CI \u{2212}0,5 to \u{2212}0,1).");
        assert_eq!((f[0].line, f[0].column), (2, 18));
        assert_eq!(
            f[0].text,
            "SMD \u{2212}0,3; 95% CI \u{2212}0,5 to \u{2212}0,1"
        );
    }

    #[test]
    fn reads_p_studies_patients_and_verdict() {
        let f =
            scan("RR 1,23 (95% BI 1,01 tot 1,50; N=3; n=96), p = 0,04, niet klinisch relevant.");
        assert_eq!((f[0].n_studies, f[0].n_patients), (Some(3), Some(96)));
        assert_eq!(f[0].claim.p, ReportedP::parse("0,04"));
        assert_eq!(f[0].claim.verdict, Some(false));
        let f = scan("OR 2.0 (95% CI 1.5 to 2.7; P < .0001) in 12 trials with 13,136 patients.");
        assert_eq!(f[0].claim.p, Some(ReportedP::Below(0.0001)));
        assert_eq!((f[0].n_studies, f[0].n_patients), (Some(12), Some(13136)));
        let f = scan("OR 2,0 (IC à 95 % 1,5 à 2,7), p<0,001, cliniquement pertinent");
        assert_eq!(
            (f[0].claim.p, f[0].claim.verdict),
            (Some(ReportedP::Below(0.001)), Some(true))
        );
    }

    #[test]
    fn carries_a_table_header_over_its_rows() {
        let text = "Tabel 1\nUitkomst Follow-up OR (95% BI) p N n Klinisch relevant?\n\
                    pijn 3-13 weken 1,5 (1,1 tot 2,0) 0,01 4 1 415 nee\n\
                    functie 0,8 (0,6 tot 1,1) 0,12 2 300 ja\n";
        let f = scan(text);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            (f[0].measure, f[0].line, f[0].n_studies, f[0].n_patients),
            (Some("OR"), 3, Some(4), Some(1415))
        );
        assert_eq!(
            (f[0].claim.p, f[0].claim.verdict),
            (ReportedP::parse("0,01"), Some(false))
        );
        assert_eq!(
            (f[1].n_studies, f[1].n_patients, f[1].claim.verdict),
            (Some(2), Some(300), Some(true))
        );
        assert!(f[1].claim.measure.is_ratio());
        let f = scan("Standardised mean difference (95% CI) N\nx 0,4 (0,1 tot 0,7) 3\n");
        assert_eq!((f[0].measure, f[0].n_studies), (Some("SMD"), Some(3)));
    }

    #[test]
    fn does_not_find_what_is_not_a_comparative_estimate() {
        let texts = [
            "as shown before (1,2) and (3-5), see pages 12-15",
            "zoals eerder beschreven (1,2), p. 12-15",
            "patients aged 18 to 65 (mean age 54, 95% CI 50 to 58)",
            "patiënten van 18 tot 65 jaar (gemiddelde leeftijd 54; 95%-BI 50 tot 58)",
            "âgés de 18 à 65 ans (âge moyen 54 ; IC à 95 % 50 à 58)",
            "a prevalence of 20.9% (95% CI 20.2-21.5%)",
            "een prevalentie van 9,6% (95%-BI 8,4-11,2)",
            "une prévalence de 12 % (IC à 95 % 10 à 14 %)",
            "the 95% CI was 1.1 to 2.0",
            "het 95%-BI liep van 1,1 tot 2,0",
            "l'IC à 95 % allait de 1,1 à 2,0",
            "scores of 54 (40-60) at baseline",
            "the OR was not reported",
        ];
        for t in texts {
            assert!(scan(t).is_empty(), "{t:?}: {:#?}", scan(t));
        }
    }

    #[test]
    fn unnamed_comparative_estimates_are_found_with_no_measure() {
        let f =
            scan("Pijn daalde met -4,33 (95% BI van -6,87 tot -2,5) op een schaal van 0 tot 100.");
        assert_eq!((f.len(), f[0].measure), (1, None));
        let f = scan("Compared with placebo, the effect was 1.50 (95% CI 1.10 to 2.05).");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].claim.measure.is_ratio(),
            "more symmetric on the log scale"
        );
    }

    #[test]
    fn flags_inconsistencies_with_a_threshold() {
        let opts = ScanOptions {
            lang: Lang::Nl,
            threshold: Some(-10.0),
        };
        let f = scan_text(
            "MD -9,72 (95% BI -22,7 tot -6,69), niet klinisch relevant.",
            &opts,
        );
        let r = f[0].check.as_ref().unwrap();
        let codes: Vec<&str> = r.flags.iter().map(|f| f.code.code()).collect();
        assert_eq!(codes, ["ci_asymmetric", "verdict_mismatch"]);
        assert!(r.relevance.is_some());
        let f = scan_text("RR 1,5 (95% BI 2,0 tot 1,1)", &opts);
        assert!(
            f[0].check.is_err(),
            "limits in the wrong order cannot be checked"
        );
    }
    /// p in scientific notation is read after an estimate; a p outside [0, 1] makes the
    /// finding an error at the p's line and column.
    #[test]
    fn p_values_in_scientific_notation_and_out_of_range() {
        let text = "OR 1.20 (95% CI 1.10 to 1.30), P = 9 \u{d7} 10\u{2212}1.\n\
                    OR 1.20 (95% CI 1.10 to 1.30), P = 3.2E-5.\n\
                    OR 1,20 (95% BI 1,10 tot 1,30), p = 0,03.\n\
                    OR 1.20 (95% CI 1.10 to 1.30), P = 1.5.";
        let f = scan(text);
        assert_eq!(f.len(), 4);
        let ps: Vec<Option<f64>> = f
            .iter()
            .map(|f| match f.claim.p {
                Some(ReportedP::Equal(r)) => Some(r.value),
                _ => None,
            })
            .collect();
        assert_eq!(ps, [Some(0.9), Some(3.2e-5), Some(0.03), None]);
        let p_mismatch = |f: &Finding| {
            let flags = &f.check.as_ref().unwrap().flags;
            flags.iter().any(|g| g.code.code() == "p_mismatch")
        };
        assert!(p_mismatch(&f[0]) && p_mismatch(&f[2]));
        let e = f[3].check.as_ref().unwrap_err();
        assert_eq!(
            e.to_string(),
            "4:36: not a p-value: '1.5'; expected e.g. 0.01, <0.001, 0,04 or p<0.00001"
        );
    }

    /// Lines without tokens take no memory, and columns are counted in characters along a
    /// long line from finding to finding.
    #[test]
    fn lines_and_columns_of_long_and_empty_texts() {
        let blank = format!("{}x{}", "\n".repeat(1 << 20), " ".repeat(1 << 20));
        let toks = lex(&blank);
        let lines = Lines::new(&blank, &toks);
        assert_eq!(lines.lines.len(), 1);
        assert_eq!(lines.line_of(toks[0].start), (1 << 20) + 1);
        let one = "é RR 1.5 (95% CI 1.1 to 2.0); ".repeat(2000);
        let text = format!("{}\n\n{one}", " ".repeat(1 << 20));
        let f = scan(&text);
        assert_eq!(f.len(), 2000);
        for (k, f) in f.iter().enumerate() {
            assert_eq!((f.line, f.column), (3, 30 * k + 6), "{k}");
        }
    }
}
