//! Parsing numbers as spreadsheets write them: decimal point or decimal comma, a
//! Unicode minus sign, surrounding spaces.

/// Why a cell does not hold a usable number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    /// The cell is empty.
    Empty,
    /// The text is not a number (including `NA`, `inf`, `nan`, both `.` and `,`).
    NotANumber,
    /// A number beyond the largest a double holds (about 1.8e308): it would be infinite.
    TooLarge,
    /// A number other than 0 closer to 0 than the smallest normal double (about 2.2e-308):
    /// it would be read as 0 or lose its precision.
    TooSmall,
}

impl NumberProblem {
    /// What is wrong, for messages (`"not a number"`, …).
    pub fn problem(self) -> &'static str {
        match self {
            NumberProblem::Empty => "empty cell",
            NumberProblem::NotANumber => "not a number",
            NumberProblem::TooLarge => "number too large to be represented (it would be infinite)",
            NumberProblem::TooSmall => {
                "number too close to 0 to be represented (it would be read as 0)"
            }
        }
    }

    /// What was expected instead, for messages.
    pub fn expected(self) -> &'static str {
        match self {
            NumberProblem::Empty | NumberProblem::NotANumber => "a number",
            NumberProblem::TooLarge => "a number of at most 1.8e308 in absolute value",
            NumberProblem::TooSmall => "0, or a number of at least 2.2e-308 in absolute value",
        }
    }
}

/// Reads a number, saying why when the text is not one. With `decimal_comma`, a single
/// comma is the decimal separator (`-5,3` is −5.3); a value with both `.` and `,` is
/// rejected rather than guessed. Values that a double cannot hold are refused rather than
/// read as infinity (`1e400`) or as 0 (`1e-400`).
///
/// # Examples
/// ```
/// use repool::io::number::{read_number, NumberProblem};
/// assert_eq!(read_number("-5,3", true), Ok(-5.3));
/// assert_eq!(read_number("1e-400", false), Err(NumberProblem::TooSmall));
/// assert_eq!(read_number("-1e400", false), Err(NumberProblem::TooLarge));
/// assert_eq!(read_number("0e-400", false), Ok(0.0));
/// assert_eq!(read_number(" ", false), Err(NumberProblem::Empty));
/// ```
pub fn read_number(s: &str, decimal_comma: bool) -> Result<f64, NumberProblem> {
    if let Some(x) = plain_integer(s) {
        return Ok(x);
    }
    let owned;
    let t = if is_plain(s) {
        s
    } else {
        owned = normalise(s, decimal_comma)?;
        &owned
    };
    // Only plain decimal notation (with optional exponent): no "inf", "nan", hex, etc.
    if !is_plain(t) {
        return Err(NumberProblem::NotANumber);
    }
    let x: f64 = t.parse().map_err(|_| NumberProblem::NotANumber)?;
    if !x.is_finite() {
        return Err(NumberProblem::TooLarge);
    }
    if x.abs() < f64::MIN_POSITIVE {
        let mantissa = t.split(['e', 'E']).next().unwrap_or("");
        if mantissa.bytes().any(|b| matches!(b, b'1'..=b'9')) {
            return Err(NumberProblem::TooSmall);
        }
    }
    Ok(x)
}

/// 1 to 15 ASCII digits (counts and sample sizes, the most common cells), read without the
/// general parser: every such number is exactly a double.
fn plain_integer(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 15 {
        return None;
    }
    let mut n: u64 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u64::from(d);
    }
    Some(n as f64)
}

/// Whether `s` is non-empty and holds only the characters of plain decimal notation, so
/// that it needs no trimming or rewriting before it is parsed.
fn is_plain(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
}

/// `s` without surrounding spaces, with a Unicode minus sign as `-` and, with
/// `decimal_comma`, a single comma as the decimal point.
fn normalise(s: &str, decimal_comma: bool) -> Result<String, NumberProblem> {
    let t = s.trim();
    if t.is_empty() {
        return Err(NumberProblem::Empty);
    }
    let mut t = t.replace('\u{2212}', "-");
    if t.contains(',') {
        if !decimal_comma || t.contains('.') || t.matches(',').count() > 1 {
            return Err(NumberProblem::NotANumber);
        }
        t = t.replace(',', ".");
    }
    Ok(t)
}

/// Parses a number as [`read_number`] does; `None` for anything that is not a usable
/// finite number (including `NA`, empty cells and values out of range).
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
/// assert_eq!(parse_number("1e-400", false), None);
/// ```
pub fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    read_number(s, decimal_comma).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general parser, as every cell was read before the shortcuts for plain cells.
    fn general(s: &str, decimal_comma: bool) -> Result<f64, NumberProblem> {
        let t = normalise(s, decimal_comma)?;
        if !is_plain(&t) {
            return Err(NumberProblem::NotANumber);
        }
        let x: f64 = t.parse().map_err(|_| NumberProblem::NotANumber)?;
        if !x.is_finite() {
            return Err(NumberProblem::TooLarge);
        }
        Ok(x)
    }

    #[test]
    fn the_shortcuts_read_what_the_general_parser_reads() {
        let cells = [
            "0",
            "7",
            "0042",
            "123456789012345",
            "1234567890123456",
            "999999999999999",
            "-3",
            "+3",
            "1.5",
            "-0.25",
            "1e3",
            "1E-3",
            ".5",
            "5.",
            "-",
            "e",
            "1e",
            "--1",
            "1.2.3",
            "00.10",
            "1e308",
            "12 ",
            " 12",
            "1,5",
            "\u{2212}2",
            "",
        ];
        for cell in cells {
            for comma in [false, true] {
                let got = read_number(cell, comma);
                let want = general(cell, comma);
                assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{cell:?}");
            }
        }
    }

    #[test]
    fn long_digit_strings_are_not_taken_as_exact_integers() {
        // 16 digits and more go through the general parser (rounded to the nearest double).
        assert_eq!(
            read_number("12345678901234567", false),
            Ok(12345678901234567.0)
        );
        assert_eq!(plain_integer("1234567890123456"), None);
        assert_eq!(plain_integer("123456789012345"), Some(123456789012345.0));
    }
}
