//! How numbers and text read: the language of what a person reads, numbers with a decimal
//! point or comma, p-values, and escaping for HTML and SVG. Pure functions, shared by every
//! writer (text, HTML, SVG), so that a number reads the same wherever it appears.

pub mod spelling;

/// Language of the explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Dutch (decimal commas).
    Nl,
    /// French (decimal commas).
    Fr,
}

/// A number as printed (`-5.30`), with a decimal comma for Dutch and French.
///
/// ```
/// use repool::format::{localise_number, Lang};
/// assert_eq!(localise_number(Lang::Fr, "-5.30"), "-5,30");
/// ```
pub fn localise_number(lang: Lang, s: &str) -> String {
    match lang {
        Lang::En => s.to_string(),
        _ => s.replace('.', ","),
    }
}

/// Formats a number with `d` decimals in the language's convention (decimal comma for Dutch
/// and French); a value that rounds to zero is printed without a minus sign.
///
/// ```
/// use repool::format::{fmt_num, Lang};
/// assert_eq!(fmt_num(Lang::En, -5.3, 2), "-5.30");
/// assert_eq!(fmt_num(Lang::Nl, -5.3, 1), "-5,3");
/// assert_eq!(fmt_num(Lang::Fr, -0.001, 2), "0,00");
/// ```
pub fn fmt_num(lang: Lang, x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    };
    match lang {
        Lang::En => s,
        _ => s.replace('.', ","),
    }
}

/// A percentage whose number is already written (`92.22`), as the language writes it:
/// `92.22%` in English and Dutch, `92,22 %` in French (the catalogue's `typography.percent`).
///
/// ```
/// use repool::format::{fmt_num, percent, Lang};
/// assert_eq!(percent(Lang::En, &fmt_num(Lang::En, 92.2222, 2)), "92.22%");
/// assert_eq!(percent(Lang::Fr, &fmt_num(Lang::Fr, 92.2222, 2)), "92,22 %");
/// ```
pub fn percent(lang: Lang, value: &str) -> String {
    crate::i18n::fill(lang, "typography.percent", &[("value", value)])
}

/// The two limits of an interval, already written, in brackets with the language's
/// [`separator`]: `[0.12; 1.11]`, `[0,12; 1,11]` in Dutch, `[0,12 ; 1,11]` in French.
///
/// ```
/// use repool::format::{interval, Lang};
/// assert_eq!(interval(Lang::Nl, "0,12", "1,11"), "[0,12; 1,11]");
/// assert_eq!(interval(Lang::Fr, "0,12", "1,11"), "[0,12 ; 1,11]");
/// ```
pub fn interval(lang: Lang, low: &str, high: &str) -> String {
    format!("[{low}{}{high}]", separator(lang))
}

/// What separates the two limits of an interval (the catalogue's `typography.separator`): a
/// semicolon, unambiguous next to a decimal comma, with a space before it in French.
pub fn separator(lang: Lang) -> &'static str {
    crate::i18n::text(lang, "typography.separator")
}

/// Formats a p-value as metafor does: `<.0001` below 0.0001, else 4 decimals.
///
/// # Examples
/// ```
/// assert_eq!(repool::format::format_p(0.00001), "<.0001");
/// assert_eq!(repool::format::format_p(0.01234), "0.0123");
/// ```
pub fn format_p(p: f64) -> String {
    if p < 0.0001 {
        "<.0001".into()
    } else {
        format!("{p:.4}")
    }
}

/// A p-value after metafor's `p-val`, as its printouts write it: `p-val < .0001` below
/// 0.0001, else `p-val = ` and 4 decimals.
///
/// # Examples
/// ```
/// assert_eq!(repool::format::p_val(0.00001), "p-val < .0001");
/// assert_eq!(repool::format::p_val(0.01234), "p-val = 0.0123");
/// ```
pub fn p_val(p: f64) -> String {
    if p < 0.0001 {
        "p-val < .0001".into()
    } else {
        format!("p-val = {p:.4}")
    }
}

/// A p-value on its own in the language's convention: `<0.0001` below 0.0001, else 4
/// decimals (`0,0123` in Dutch and French).
///
/// # Examples
/// ```
/// use repool::format::{p_value, Lang};
/// assert_eq!(p_value(Lang::Nl, 0.00001), "<0,0001");
/// assert_eq!(p_value(Lang::En, 0.01234), "0.0123");
/// ```
pub fn p_value(lang: Lang, p: f64) -> String {
    if p < 0.0001 {
        localise_number(lang, "<0.0001")
    } else {
        fmt_num(lang, p, 4)
    }
}

/// `p = 0.0123`, or `p < 0.0001` below 0.0001, in the language's convention (`p = 0,0123`
/// in Dutch and French). HTML writers [`escape`] it.
///
/// # Examples
/// ```
/// use repool::format::{p_equals, Lang};
/// assert_eq!(p_equals(Lang::En, 0.00001), "p < 0.0001");
/// assert_eq!(p_equals(Lang::Fr, 0.1612), "p = 0,1612");
/// ```
pub fn p_equals(lang: Lang, p: f64) -> String {
    if p < 0.0001 {
        localise_number(lang, "p < 0.0001")
    } else {
        format!("p = {}", fmt_num(lang, p, 4))
    }
}

/// A p-value as RevMan 5 prints it: `P < 0.00001`, two significant digits below 0.001, three
/// decimals below 0.01, else two (decimal comma in Dutch and French).
///
/// # Examples
/// ```
/// use repool::format::{p_revman, Lang};
/// assert_eq!(p_revman(Lang::En, 0.000001), "P < 0.00001");
/// assert_eq!(p_revman(Lang::En, 0.00042), "P = 0.00042");
/// assert_eq!(p_revman(Lang::Nl, 0.0123), "P = 0,01");
/// ```
pub fn p_revman(lang: Lang, p: f64) -> String {
    let s = if p < 0.00001 {
        "P < 0.00001".to_string()
    } else if p < 0.001 {
        format!("P = {}", significant(p, 2))
    } else if p < 0.01 {
        format!("P = {p:.3}")
    } else {
        format!("P = {p:.2}")
    };
    localise_number(lang, &s)
}

/// `x` with `digits` significant digits.
fn significant(x: f64, digits: i32) -> String {
    let mag = x.abs().log10().floor() as i32;
    let d = (digits - 1 - mag).max(0) as usize;
    format!("{x:.d$}")
}

/// A p-value in a table: `< 0.0001` below 0.0001, else 4 decimals; `none` when there is none.
///
/// # Examples
/// ```
/// use repool::format::p_cell;
/// assert_eq!(p_cell(Some(0.00001), "-"), "< 0.0001");
/// assert_eq!(p_cell(Some(0.01234), "-"), "0.0123");
/// assert_eq!(p_cell(None, "–"), "–");
/// ```
pub fn p_cell(p: Option<f64>, none: &str) -> String {
    match p {
        None => none.into(),
        Some(p) if p < 0.0001 => "< 0.0001".into(),
        Some(p) => format!("{p:.4}"),
    }
}

/// A p-value with its relation, as prose writes it: `= 0.031` (with `digits` significant
/// digits, from 1 to 8 decimals), or `< 0.0001` below 0.0001, in the language's convention.
///
/// # Examples
/// ```
/// use repool::format::{p_relation, Lang};
/// assert_eq!(p_relation(Lang::Nl, 0.00001, 2), "< 0,0001");
/// assert_eq!(p_relation(Lang::En, 0.0312, 2), "= 0.031");
/// assert_eq!(p_relation(Lang::En, 0.5, 2), "= 0.50");
/// ```
pub fn p_relation(lang: Lang, p: f64, digits: usize) -> String {
    if p < 0.0001 {
        return localise_number(lang, "< 0.0001");
    }
    let mag = p.log10().floor() as i64;
    let decimals = (digits as i64 - 1 - mag).clamp(1, 8) as usize;
    format!("= {}", fmt_num(lang, p, decimals))
}

/// Escapes text for HTML and SVG (XML): `&`, `<`, `>` and `"`.
///
/// ```
/// assert_eq!(repool::format::escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
/// ```
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
