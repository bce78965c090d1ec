//! Parsing numbers as spreadsheets write them: decimal point or decimal comma, a
//! Unicode minus sign, surrounding spaces.

/// Parses a number. With `decimal_comma`, a single comma is the decimal separator
/// (`-5,3` is −5.3); a value with both `.` and `,` is rejected rather than guessed.
/// Returns `None` for anything that is not a finite number (including `NA` and empty cells).
///
/// # Examples
/// ```
/// use repool::io::number::parse_number;
/// assert_eq!(parse_number("-5,3", true), Some(-5.3));
/// assert_eq!(parse_number(" 1.25 ", false), Some(1.25));
/// assert_eq!(parse_number("\u{2212}2", false), Some(-2.0));
/// assert_eq!(parse_number("1,5", false), None);
/// assert_eq!(parse_number("1.234,5", true), None);
/// assert_eq!(parse_number("NA", false), None);
/// ```
pub fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let mut owned;
    let mut t = t;
    if t.contains('\u{2212}') {
        owned = t.replace('\u{2212}', "-");
        t = &owned;
    }
    if t.contains(',') {
        if !decimal_comma || t.contains('.') || t.matches(',').count() > 1 {
            return None;
        }
        owned = t.replace(',', ".");
        t = &owned;
    }
    // Only plain decimal notation (with optional exponent): no "inf", "nan", hex, etc.
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}
