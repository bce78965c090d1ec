//! Reading one result as printed in English, Dutch or French:
//! `RR 1,23 (95% BI 1,16 tot 2,07)`, `MD -9.72 (95% CI -22.7 to -6.69), threshold -10,
//! reported: not clinically relevant`, `OR 0,77 (IC à 95 % 0,23 à 2,59), p = 0,67`.

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

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(String),
    Percent,
    Op(char),
}

fn normalise(text: &str) -> String {
    let mut s = text
        .replace('\u{2212}', "-")
        .replace(['\u{2013}', '\u{2014}'], " to ");
    // "1.16-2.07": a hyphen between two digits is a range.
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &ch) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j));
        let next = chars.get(i + 1);
        if ch == '-'
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit())
        {
            out.push_str(" to ");
        } else {
            out.push(ch);
        }
    }
    s = out;
    // Decimal commas: a comma between digits, unless the text uses decimal points.
    let chars: Vec<char> = s.chars().collect();
    let has_point = chars
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == '.' && w[2].is_ascii_digit());
    if !has_point {
        let mut out = String::with_capacity(s.len());
        for (i, &ch) in chars.iter().enumerate() {
            let between = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            out.push(if ch == ',' && between { '.' } else { ch });
        }
        s = out;
    }
    s
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_number = c.is_ascii_digit()
            || (matches!(c, '-' | '+' | '.')
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()));
        if starts_number {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                j += 1;
            }
            toks.push(Tok::Num(chars[i..j].iter().collect()));
            i = j;
        } else if c.is_alphabetic() {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_alphabetic() || chars[j] == '\'' || chars[j] == '-')
            {
                j += 1;
            }
            toks.push(Tok::Word(
                chars[i..j].iter().collect::<String>().to_lowercase(),
            ));
            i = j;
        } else if c == '%' {
            toks.push(Tok::Percent);
            i += 1;
        } else if matches!(c, '<' | '>' | '=' | '≤' | '≥') {
            toks.push(Tok::Op(c));
            i += 1;
        } else {
            i += 1;
        }
    }
    toks
}

/// Reads one result from text. Measure names: MD, SMD, RR, OR, HR, RD; level as `95%`;
/// optional `p = …`, `threshold …` (`drempel`, `seuil`), `df …`, and a reported verdict
/// (`clinically relevant` / `not clinically relevant`, `klinisch relevant` / `niet klinisch
/// relevant`, `cliniquement pertinent` / `pas cliniquement pertinent`, or `reported: yes|no`).
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
    let err = |reason: &str| TextError {
        text: text.to_string(),
        reason: reason.to_string(),
    };
    let toks = tokenize(&normalise(text));
    let mpos = toks
        .iter()
        .position(|t| matches!(t, Tok::Word(w) if ClaimMeasure::parse(w).is_some()))
        .ok_or_else(|| err("no measure (MD, SMD, RR, OR, HR or RD)"))?;
    let Tok::Word(mw) = &toks[mpos] else {
        unreachable!()
    };
    let measure = ClaimMeasure::parse(mw).expect("checked");
    let nums_after = |from: usize| -> Vec<(usize, String)> {
        toks.iter()
            .enumerate()
            .skip(from)
            .filter_map(|(i, t)| match t {
                Tok::Num(n) => Some((i, n.clone())),
                _ => None,
            })
            .collect()
    };
    let after = nums_after(mpos + 1);
    let (ei, e) = after
        .first()
        .cloned()
        .ok_or_else(|| err("no estimate after the measure"))?;
    let estimate = Reported::parse(&e).ok_or_else(|| err("the estimate is not a number"))?;
    // A level: a number directly followed by '%'.
    let level_pos = toks
        .iter()
        .enumerate()
        .skip(ei + 1)
        .find(|(i, t)| matches!(t, Tok::Num(_)) && toks.get(i + 1) == Some(&Tok::Percent))
        .map(|(i, _)| i);
    let (level, ci_from) = match level_pos {
        Some(i) => {
            let Tok::Num(n) = &toks[i] else {
                unreachable!()
            };
            let v: f64 = n.parse().map_err(|_| err("bad level"))?;
            (v / 100.0, i + 2)
        }
        None => (0.95, ei + 1),
    };
    let ci_nums = nums_after(ci_from);
    if ci_nums.len() < 2 {
        return Err(err(
            "no confidence interval (two numbers after the estimate)",
        ));
    }
    let ci_low = Reported::parse(&ci_nums[0].1).ok_or_else(|| err("bad lower limit"))?;
    let ci_high = Reported::parse(&ci_nums[1].1).ok_or_else(|| err("bad upper limit"))?;
    let rest_from = ci_nums[1].0 + 1;
    let mut p = None;
    let mut threshold = None;
    let mut df = None;
    let mut verdict = None;
    let mut i = rest_from;
    while i < toks.len() {
        match &toks[i] {
            Tok::Word(w) if w == "p" || w == "p-value" || w == "p-waarde" || w == "valeur" => {
                let mut j = i + 1;
                let mut op = String::new();
                while let Some(Tok::Op(o)) = toks.get(j) {
                    op.push(*o);
                    j += 1;
                }
                if let Some(Tok::Num(n)) = toks.get(j) {
                    p = ReportedP::parse(&format!("{op}{n}"));
                    i = j;
                }
            }
            Tok::Word(w)
                if ["threshold", "drempel", "seuil", "mid", "mcid"].contains(&w.as_str()) =>
            {
                let j = (i + 1..toks.len()).find(|&j| matches!(toks[j], Tok::Num(_)));
                if let Some(j) = j {
                    if let Tok::Num(n) = &toks[j] {
                        threshold = n.parse().ok();
                    }
                    i = j;
                }
            }
            Tok::Word(w) if w == "df" => {
                let j = (i + 1..toks.len()).find(|&j| matches!(toks[j], Tok::Num(_)));
                if let Some(j) = j {
                    if let Tok::Num(n) = &toks[j] {
                        df = n.parse().ok();
                    }
                    i = j;
                }
            }
            Tok::Word(w) if ["relevant", "pertinent", "pertinente"].contains(&w.as_str()) => {
                let negated = toks[rest_from..i].iter().rev().take(3).any(|t| {
                    matches!(t, Tok::Word(x) if ["not", "niet", "pas", "non", "geen", "no"].contains(&x.as_str()))
                });
                verdict = Some(!negated);
            }
            Tok::Word(w) if ["yes", "ja", "oui"].contains(&w.as_str()) => verdict = Some(true),
            Tok::Word(w) if ["no", "nee", "non"].contains(&w.as_str()) => {
                // "no" directly before "clinically relevant" is handled by the negation above.
                if !toks[i + 1..].iter().any(|t| matches!(t, Tok::Word(x) if ["relevant", "pertinent"].contains(&x.as_str()))) {
                    verdict = Some(false);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(Claim {
        id: "text".into(),
        measure,
        estimate,
        ci_low,
        ci_high,
        level,
        p,
        df,
        threshold,
        verdict,
    })
}
