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
    let t = s.trim();
    if t.is_empty() {
        return Err(NumberProblem::Empty);
    }
    let mut owned;
    let mut t = t;
    if t.contains('\u{2212}') {
        owned = t.replace('\u{2212}', "-");
        t = &owned;
    }
    if t.contains(',') {
        if !decimal_comma || t.contains('.') || t.matches(',').count() > 1 {
            return Err(NumberProblem::NotANumber);
        }
        owned = t.replace(',', ".");
        t = &owned;
    }
    // Only plain decimal notation (with optional exponent): no "inf", "nan", hex, etc.
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
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
