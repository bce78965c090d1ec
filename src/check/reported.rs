//! Numbers as printed: a value with the number of decimals it was printed with, which
//! defines the interval of true values that round to it.

/// Decimals kept of a printed number. Beyond 10⁻³²⁴ an `f64` holds nothing, so the rounding
/// interval of a number with more decimals is the same (a half unit of 0); keeping the count
/// bounded keeps the numbers that repeat it printable.
pub const MAX_DECIMALS: usize = 340;

/// A printed number: `-5,30` is value −5.3 printed with 2 decimals, so any true value in
/// [−5.305, −5.295] is consistent with it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reported {
    /// The value.
    pub value: f64,
    /// Decimals printed.
    pub decimals: u32,
}

impl Reported {
    /// A value printed with `decimals` decimals.
    pub fn new(value: f64, decimals: u32) -> Reported {
        Reported { value, decimals }
    }

    /// Parses a printed number with a decimal point or a decimal comma and an optional
    /// (Unicode) minus sign, keeping its number of decimals; in scientific notation
    /// (`3.2e-5`) the decimals are those of the number written out (`0.000032`: 6).
    ///
    /// # Examples
    /// ```
    /// use repool::check::Reported;
    /// let r = Reported::parse("-5,30").unwrap();
    /// assert_eq!((r.value, r.decimals), (-5.3, 2));
    /// assert_eq!(Reported::parse("12").unwrap().decimals, 0);
    /// assert!(Reported::parse("1.2.3").is_none());
    /// let r = Reported::parse("3.2E\u{2212}5").unwrap();
    /// assert_eq!((r.value, r.decimals), (3.2e-5, 6));
    /// assert_eq!(Reported::parse("2e1").unwrap().value, 20.0);
    /// ```
    pub fn parse(s: &str) -> Option<Reported> {
        let t = s.trim().replace('\u{2212}', "-");
        let (t, exponent) = match t.find(['e', 'E']) {
            Some(k) => (&t[..k], Some(t[k + 1..].parse::<i32>().ok()?)),
            None => (t.as_str(), None),
        };
        if t.is_empty() || t.matches([',', '.']).count() > 1 {
            return None;
        }
        let t = t.replace(',', ".");
        let digits = t.trim_start_matches(['-', '+']);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        let decimals = t.find('.').map_or(0, |i| t.len() - i - 1) as i64;
        let exponent = exponent.unwrap_or(0);
        let decimals = (decimals - i64::from(exponent)).clamp(0, MAX_DECIMALS as i64) as u32;
        let value: f64 = format!("{t}e{exponent}").parse().ok()?;
        value.is_finite().then_some(Reported { value, decimals })
    }

    /// Half a unit of the last printed digit.
    pub fn half_unit(&self) -> f64 {
        0.5 * 10f64.powi(-(self.decimals as i32))
    }

    /// Smallest value that rounds to the printed one.
    pub fn lo(&self) -> f64 {
        self.value - self.half_unit()
    }

    /// Largest value that rounds to the printed one.
    pub fn hi(&self) -> f64 {
        self.value + self.half_unit()
    }

    /// The value formatted with the printed decimals.
    pub fn printed(&self) -> String {
        format!(
            "{:.*}",
            (self.decimals as usize).min(MAX_DECIMALS),
            self.value
        )
    }
}

/// A p-value as printed: `0.04`, `<0.001`, `p > 0.05`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReportedP {
    /// `p = x` with its decimals.
    Equal(Reported),
    /// `p < x` (or `p ≤ x`).
    Below(f64),
    /// `p > x` (or `p ≥ x`).
    Above(f64),
}

impl ReportedP {
    /// Parses `0.01`, `<0.001`, `0,04`, `p<0.00001`, `p = 0.3`, `> 0.05`, `≤0.05`.
    ///
    /// # Examples
    /// ```
    /// use repool::check::ReportedP;
    /// assert_eq!(ReportedP::parse("p<0,00001"), Some(ReportedP::Below(0.00001)));
    /// assert!(matches!(ReportedP::parse("0.04"), Some(ReportedP::Equal(_))));
    /// assert_eq!(ReportedP::parse("abc"), None);
    /// ```
    pub fn parse(s: &str) -> Option<ReportedP> {
        let mut t = s.trim().to_ascii_lowercase();
        if let Some(rest) = t.strip_prefix("p-value").or_else(|| t.strip_prefix("p")) {
            t = rest.trim().to_string();
        }
        let (op, rest) = if let Some(r) = t.strip_prefix("<=").or_else(|| t.strip_prefix('≤')) {
            ('<', r)
        } else if let Some(r) = t.strip_prefix(">=").or_else(|| t.strip_prefix('≥')) {
            ('>', r)
        } else if let Some(r) = t.strip_prefix('<') {
            ('<', r)
        } else if let Some(r) = t.strip_prefix('>') {
            ('>', r)
        } else if let Some(r) = t.strip_prefix('=') {
            ('=', r)
        } else {
            ('=', t.as_str())
        };
        let r = Reported::parse(rest)?;
        if !(0.0..=1.0).contains(&r.value) {
            return None;
        }
        Some(match op {
            '<' => ReportedP::Below(r.value),
            '>' => ReportedP::Above(r.value),
            _ => ReportedP::Equal(r),
        })
    }

    /// The interval of p-values consistent with what was printed.
    pub fn interval(&self) -> (f64, f64) {
        match *self {
            ReportedP::Equal(r) => (r.lo().max(0.0), r.hi().min(1.0)),
            ReportedP::Below(x) => (0.0, x),
            ReportedP::Above(x) => (x, 1.0),
        }
    }

    /// As printed, e.g. `p = 0.04` or `p < 0.001`.
    pub fn printed(&self) -> String {
        match self {
            ReportedP::Equal(r) => format!("p = {}", r.printed()),
            ReportedP::Below(x) => format!("p < {x}"),
            ReportedP::Above(x) => format!("p > {x}"),
        }
    }
}
