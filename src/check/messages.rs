//! Plain-language explanations of the checks, in English, Dutch and French, from the
//! translation catalogue (`[check]` in `locales/*.toml`).

use super::{Claim, ClaimMeasure, ImpliedP, Relevance, ReportedP, Severity};
pub use crate::format::{fmt_num, localise_number, Lang};
use crate::format::{p_equals, p_value};
use crate::i18n::{count_with, fill, text};

/// Which CI limit is the likely typo, with the value a symmetric CI would have.
#[derive(Debug, Clone, PartialEq)]
pub enum Suspect {
    /// The lower limit.
    Low(String),
    /// The upper limit.
    High(String),
    /// Either (symmetric lower, symmetric upper).
    Either(String, String),
}

fn num(lang: Lang, s: &str) -> String {
    localise_number(lang, s)
}

/// What a CI implies about p, for a summary line: `p(CI) 0.0240`, or for an asymmetric CI
/// the p of its lower and upper half, `p(CI halves) <0.0001; 0.4357` (`p(BI-helften)`,
/// `p(moitiés de l'IC)`).
///
/// ```
/// use repool::check::{messages::implied_p_summary, Lang};
/// assert_eq!(implied_p_summary(Lang::En, Some(0.024), None), "p(CI) 0.0240");
/// assert_eq!(implied_p_summary(Lang::Nl, None, Some((1e-9, 0.4357))), "p(BI-helften) <0,0001; 0,4357");
/// ```
pub fn implied_p_summary(lang: Lang, whole: Option<f64>, halves: Option<(f64, f64)>) -> String {
    match (halves, whole) {
        (Some((a, b)), _) => {
            let (lower, upper) = (p_value(lang, a), p_value(lang, b));
            let args = [("lower", lower.as_str()), ("upper", upper.as_str())];
            fill(lang, "check.implied_p_halves", &args)
        }
        (None, Some(p)) => fill(lang, "check.implied_p", &[("p", &p_value(lang, p))]),
        (None, None) => String::new(),
    }
}

fn f(lang: Lang, x: f64, digits: usize) -> String {
    fmt_num(lang, x, digits)
}

/// The word for a severity: error/warning, fout/waarschuwing, erreur/avertissement.
///
/// ```
/// use repool::check::{messages::severity_label, Lang, Severity};
/// assert_eq!(severity_label(Lang::Nl, Severity::Warning), "waarschuwing");
/// assert_eq!(severity_label(Lang::Fr, Severity::Error), "erreur");
/// ```
pub fn severity_label(lang: Lang, s: Severity) -> &'static str {
    match s {
        Severity::Error => text(lang, "check.severity_error"),
        Severity::Warning => text(lang, "check.severity_warning"),
    }
}

fn ci(lang: Lang, c: &Claim) -> String {
    let (e, l, h) = (
        num(lang, &c.estimate.printed()),
        num(lang, &c.ci_low.printed()),
        num(lang, &c.ci_high.printed()),
    );
    let args = [
        ("code", c.measure.code()),
        ("estimate", e.as_str()),
        ("low", l.as_str()),
        ("high", h.as_str()),
    ];
    fill(lang, "check.ci", &args)
}

pub(crate) fn estimate_outside(lang: Lang, c: &Claim) -> String {
    fill(lang, "check.estimate_outside", &[("ci", &ci(lang, c))])
}

/// A fraction as a percentage: whole percents from 10%, one decimal below (so that a small
/// asymmetry does not print as 0%).
fn percent(lang: Lang, x: f64) -> String {
    let pct = 100.0 * x;
    f(lang, pct, if pct.abs() >= 9.95 { 0 } else { 1 })
}

/// Which limit of an asymmetric CI is the likely typo, in words.
fn suspect_text(lang: Lang, suspect: &Suspect) -> String {
    match suspect {
        Suspect::Low(v) => fill(lang, "check.suspect_low", &[("value", &num(lang, v))]),
        Suspect::High(v) => fill(lang, "check.suspect_high", &[("value", &num(lang, v))]),
        Suspect::Either(a, b) => fill(
            lang,
            "check.suspect_either",
            &[("low", &num(lang, a)), ("high", &num(lang, b))],
        ),
    }
}

pub(crate) fn asymmetric(
    lang: Lang,
    c: &Claim,
    (asym, min_asym): (f64, f64),
    se: f64,
    suspect: &Suspect,
    severity: Severity,
) -> String {
    let scale = if c.measure.is_ratio() {
        text(lang, "check.on_log_scale")
    } else {
        ""
    };
    let why = match severity {
        Severity::Warning => text(lang, "check.asymmetry_warning"),
        Severity::Error => text(lang, "check.asymmetry_error"),
    };
    let args = [
        ("ci", ci(lang, c)),
        ("scale", scale.to_string()),
        ("pct", percent(lang, asym.abs())),
        ("min", percent(lang, min_asym)),
        ("which", suspect_text(lang, suspect)),
        ("se", f(lang, se, 4)),
        ("why", why.to_string()),
    ];
    fill(lang, "check.asymmetric", &borrowed(&args))
}

/// `(name, value)` pairs as [`fill`] takes them.
fn borrowed<'a>(args: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    args.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The p-mismatch explanation: what the CI implies (its whole width, or each half when it is
/// asymmetric), and with `t_fits` that a t reading with few degrees of freedom would fit.
pub(crate) fn p_mismatch(lang: Lang, p: &ReportedP, implied: &ImpliedP, t_fits: bool) -> String {
    let rp = num(lang, &p.printed());
    let (a, b) = (
        p_value(lang, implied.range.0),
        p_value(lang, implied.range.1),
    );
    let what = match (implied.halves, implied.whole) {
        (Some((lo, hi)), _) => {
            let args = [
                ("lower", p_equals(lang, lo)),
                ("upper", p_equals(lang, hi)),
                ("a", a),
                ("b", b),
            ];
            fill(lang, "check.implied_by_halves", &borrowed(&args))
        }
        (None, w) => {
            let args = [
                ("p", p_equals(lang, w.unwrap_or(f64::NAN))),
                ("a", a),
                ("b", b),
            ];
            fill(lang, "check.implied_by_whole", &borrowed(&args))
        }
    };
    let t = if t_fits {
        text(lang, "check.t_fits")
    } else {
        ""
    };
    let args = [
        ("implied", what.as_str()),
        ("reported", rp.as_str()),
        ("t", t),
    ];
    fill(lang, "check.p_mismatch", &args)
}

pub(crate) fn significance(lang: Lang, p: &ReportedP, c: &Claim, p_significant: bool) -> String {
    let rp = num(lang, &p.printed());
    let null = num(lang, &format!("{}", c.measure.null()));
    let alpha = num(lang, &format!("{}", ((1.0 - c.level) * 1e6).round() / 1e6));
    let args = [
        ("p", rp.as_str()),
        ("alpha", alpha.as_str()),
        ("null", null.as_str()),
    ];
    if p_significant {
        fill(lang, "check.significant_p", &args)
    } else {
        fill(lang, "check.not_significant_p", &args)
    }
}

/// The plain-language sentence of a relevance category.
pub fn relevance(lang: Lang, cat: Relevance, threshold: f64) -> String {
    let t = num(lang, &format!("{threshold}"));
    let args = [("t", t.as_str())];
    match cat {
        Relevance::A => fill(lang, "check.relevance_a", &args),
        Relevance::B => fill(lang, "check.relevance_b", &args),
        Relevance::C => fill(lang, "check.relevance_c", &args),
        Relevance::D => fill(lang, "check.relevance_d", &args),
    }
}

pub(crate) fn verdict(
    lang: Lang,
    reported: bool,
    cat: Relevance,
    t: f64,
    m: ClaimMeasure,
) -> String {
    let _ = m;
    let t = num(lang, &format!("{t}"));
    let args = [("t", t.as_str()), ("category", cat.code())];
    if reported {
        fill(lang, "check.reported_relevant", &args)
    } else {
        fill(lang, "check.reported_not_relevant", &args)
    }
}

pub(crate) fn transcription(
    lang: Lang,
    differing: &[(&str, super::Reported, super::Reported)],
) -> String {
    let parts: Vec<String> = differing
        .iter()
        .map(|(what, printed, original)| {
            let what = match *what {
                "estimate" => text(lang, "check.estimate"),
                "lower limit" => text(lang, "check.lower_limit"),
                "upper limit" => text(lang, "check.upper_limit"),
                w => w,
            };
            format!(
                "{what} {} ≠ {}",
                num(lang, &printed.printed()),
                num(lang, &original.printed())
            )
        })
        .collect();
    fill(lang, "check.transcription", &[("list", &parts.join(", "))])
}

/// The note for a claim whose original paper's numbers are given only in part: the
/// transcription check needs all three and is not done. `missing` names the empty columns.
///
/// ```
/// use repool::check::{messages::partial_original, Lang};
/// assert!(partial_original(Lang::Nl, &["original_ci_high"]).contains("original_ci_high ontbreekt"));
/// ```
pub fn partial_original(lang: Lang, missing: &[&str]) -> String {
    let list = missing.join(", ");
    let n = missing.len() as u64;
    count_with(lang, "check.partial_original", n, &[("list", &list)])
}

/// The words of `repool scan`'s text and HTML output.
#[derive(Debug, Clone, Copy)]
pub struct ScanWords {
    /// "estimates found".
    pub found: &'static str,
    /// "no estimate with a confidence interval found".
    pub none: &'static str,
    /// "cannot be read".
    pub unreadable: &'static str,
    /// "note".
    pub note: &'static str,
    /// "cannot be checked".
    pub unchecked: &'static str,
    /// "studies".
    pub studies: &'static str,
    /// "patients".
    pub patients: &'static str,
    /// "unnamed measure".
    pub unnamed: &'static str,
    /// Title of the HTML page.
    pub title: &'static str,
}

/// [`ScanWords`] in a language, from the catalogue's `[scan]` table.
///
/// ```
/// use repool::check::{messages::scan_words, Lang};
/// assert_eq!(scan_words(Lang::Nl).studies, "studies");
/// assert_eq!(scan_words(Lang::Fr).patients, "patients");
/// ```
pub fn scan_words(lang: Lang) -> ScanWords {
    ScanWords {
        found: text(lang, "scan.found"),
        none: text(lang, "scan.none"),
        unreadable: text(lang, "scan.unreadable"),
        note: text(lang, "scan.note"),
        unchecked: text(lang, "scan.unchecked"),
        studies: text(lang, "scan.studies"),
        patients: text(lang, "scan.patients"),
        unnamed: text(lang, "scan.unnamed"),
        title: text(lang, "scan.title"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_and_check_words_are_in_the_language() {
        assert_eq!(scan_words(Lang::Nl).found, "schattingen gevonden");
        assert_eq!(text(Lang::Nl, "scan.ok"), "in orde");
        assert_eq!(text(Lang::Fr, "scan.se"), "ES");
        assert_eq!(text(Lang::Nl, "check.findings"), "Bevindingen:");
        assert_eq!(
            partial_original(Lang::En, &["a", "b"]),
            "transcription not checked: a, b are empty, and the check needs the original estimate and both limits."
        );
    }
}
