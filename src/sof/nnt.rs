//! The number needed to treat for one more person to benefit (NNTB) or to be harmed (NNTH),
//! with its confidence interval by Altman's method.
//!
//! # Formula
//! With the risk difference `RD = IR − ACR` of an event and its limits `(l, u)`:
//! ```text
//! NNT = 1 / |RD|,   limits 1/|l| and 1/|u|
//! ```
//! When the event is undesirable, a negative RD is a benefit (NNTB) and a positive one a harm
//! (NNTH); when it is desirable (response, recovery), the other way round. When the CI of RD
//! includes 0, the CI of the NNT runs from one limit through infinity to the other:
//! "NNTB 1/|l| to ∞ to NNTH 1/u" (Altman's example: an absolute risk reduction from −5 % to
//! 25 % gives NNTB 4 to ∞ to NNTH 20).
//!
//! Text rounds an NNT up to the next whole number, as the Cochrane Handbook's convention
//! says; the numbers here are not rounded.
//!
//! # References
//! - Altman DG (1998). Confidence intervals for the number needed to treat. BMJ
//!   317:1309–1312. doi:10.1136/bmj.317.7168.1309
//! - Cochrane Handbook version 6.5 (2024), section 15.4.4; version 5.1, sections 12.5.4.1
//!   and 12.5.4.5.

/// Whether a number needed to treat is for one more person to benefit or to be harmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NntKind {
    /// Number needed to treat for one more person to benefit (NNTB).
    Benefit,
    /// Number needed to treat for one more person to be harmed (NNTH).
    Harm,
}

impl NntKind {
    /// `benefit` or `harm`.
    pub fn code(self) -> &'static str {
        match self {
            NntKind::Benefit => "benefit",
            NntKind::Harm => "harm",
        }
    }
}

/// One end of an NNT's confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NntLimit {
    /// `1/|RD|` at this limit (infinite when the limit is 0).
    pub value: f64,
    /// Benefit or harm at this limit.
    pub kind: NntKind,
}

/// An NNT and its CI. When the CI of the risk difference includes 0, `low` and `high` have
/// different kinds and the interval passes through infinity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nnt {
    /// `1/|RD|` (infinite when RD = 0).
    pub value: f64,
    /// Benefit or harm.
    pub kind: NntKind,
    /// The limit from the lower limit of RD.
    pub low: NntLimit,
    /// The limit from the upper limit of RD.
    pub high: NntLimit,
}

impl Nnt {
    /// Whether the interval passes through infinity (the CI of RD includes 0).
    pub fn crosses_infinity(&self) -> bool {
        self.low.kind != self.high.kind
    }
}

fn kind_of(rd: f64, desirable: bool) -> NntKind {
    if (rd < 0.0) != desirable {
        NntKind::Benefit
    } else {
        NntKind::Harm
    }
}

/// The NNT of the risk difference `rd` with CI `(low, high)` (proportions), for an event
/// that is `desirable` or not. See the module's formula.
///
/// # Examples
/// ```
/// use repool::sof::nnt::{nnt, NntKind};
/// // Altman (1998): ARR from −5 % to 25 % (an undesirable event, RD = −ARR): NNTB 4 to ∞ to NNTH 20.
/// let n = nnt(-0.10, -0.25, 0.05, false);
/// assert!(n.crosses_infinity());
/// assert_eq!((n.low.value, n.low.kind), (4.0, NntKind::Benefit));
/// assert_eq!((n.high.value, n.high.kind), (20.0, NntKind::Harm));
/// assert_eq!((n.value, n.kind), (10.0, NntKind::Benefit));
/// ```
pub fn nnt(rd: f64, low: f64, high: f64, desirable: bool) -> Nnt {
    // A limit of exactly 0 lies at infinity on the side of the estimate.
    let limit = |x: f64| NntLimit {
        value: 1.0 / x.abs(),
        kind: kind_of(if x == 0.0 { rd } else { x }, desirable),
    };
    Nnt {
        value: 1.0 / rd.abs(),
        kind: kind_of(rd, desirable),
        low: limit(low),
        high: limit(high),
    }
}

/// An NNT as text rounds it: up to the next whole number (Cochrane Handbook 5.1, 12.5.4.1:
/// an RD of −0.12 gives an NNT of 9); `None` when it is infinite. A whole number as a double,
/// so that an NNT beyond 2⁶⁴ (a control risk of 10⁻¹⁹) is not cut to the largest integer.
///
/// ```
/// assert_eq!(repool::sof::nnt::rounded_up(1.0 / 0.12), Some(9.0));
/// assert_eq!(repool::sof::nnt::rounded_up(1.96e19), Some(1.96e19));
/// assert_eq!(repool::sof::nnt::rounded_up(f64::INFINITY), None);
/// ```
pub fn rounded_up(value: f64) -> Option<f64> {
    // A value a hair above a whole number through floating error stays that number.
    (value.is_finite()).then(|| (value - 1e-9).ceil().max(1.0))
}
