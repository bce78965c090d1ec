//! Continuous outcomes: a standardised mean difference re-expressed on a familiar scale, and
//! the rule-of-thumb reading of its size.
//!
//! # Formula
//! With the SMD and the standard deviation `SD` of a familiar instrument (from a
//! representative study or population):
//! ```text
//! MD = SMD · SD,   limits SMD_low · SD and SMD_high · SD
//! ```
//! Rule of thumb (Cohen 1988, as the Handbook quotes it, with its caveats): |SMD| of 0.2 is
//! a small effect, 0.5 a moderate one and 0.8 a large one; below 0.2 it is read as trivial.
//!
//! # References
//! - Cochrane Handbook version 6.5 (2024), section 15.5.3 (re-expressing SMDs by
//!   multiplying by a familiar SD, and the rule of thumb); version 5.1, section 12.6.
//! - Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed.
//!   Hillsdale, NJ: Lawrence Erlbaum.

/// The rule-of-thumb size of an SMD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmdSize {
    /// |SMD| below 0.2.
    Trivial,
    /// 0.2 ≤ |SMD| < 0.5.
    Small,
    /// 0.5 ≤ |SMD| < 0.8.
    Moderate,
    /// |SMD| ≥ 0.8.
    Large,
}

impl SmdSize {
    /// `trivial`, `small`, `moderate` or `large`.
    pub fn code(self) -> &'static str {
        match self {
            SmdSize::Trivial => "trivial",
            SmdSize::Small => "small",
            SmdSize::Moderate => "moderate",
            SmdSize::Large => "large",
        }
    }
}

/// The rule-of-thumb size of `smd` (see the module).
///
/// ```
/// use repool::sof::continuous::{smd_size, SmdSize};
/// assert_eq!(smd_size(-0.35), SmdSize::Small);
/// assert_eq!(smd_size(0.8), SmdSize::Large);
/// ```
pub fn smd_size(smd: f64) -> SmdSize {
    match smd.abs() {
        a if a >= 0.8 => SmdSize::Large,
        a if a >= 0.5 => SmdSize::Moderate,
        a if a >= 0.2 => SmdSize::Small,
        _ => SmdSize::Trivial,
    }
}

/// An SMD and its CI re-expressed as a mean difference on a scale whose SD is `sd`.
///
/// ```
/// // An SMD of −0.5 (−0.8 to −0.2) on a 0–100 pain scale with SD 20: −10 (−16 to −4).
/// let (md, lo, hi) = repool::sof::continuous::re_express((-0.5, -0.8, -0.2), 20.0);
/// assert_eq!((md, lo, hi), (-10.0, -16.0, -4.0));
/// ```
pub fn re_express(smd: (f64, f64, f64), sd: f64) -> (f64, f64, f64) {
    (smd.0 * sd, smd.1 * sd, smd.2 * sd)
}
