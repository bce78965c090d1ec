//! Re-checking published results: is a printed effect, CI, p-value and clinical-relevance
//! verdict internally consistent?
//!
//! Every check is rounding-aware: a printed number stands for the interval of values that
//! round to it ([`Reported`]), and a finding is raised only when no values within those
//! intervals are consistent.
//!
//! # Methods
//! - Symmetry: a Wald-type CI is symmetric around its estimate on the analysis scale
//!   (linear for MD, SMD, RD; log for RR, OR, HR): `2 g(est) = g(low) + g(high)`.
//!   The implied standard error is `SE = (g(high) − g(low)) / (2 z)`.
//! - p from CI: `z = g(est) / SE`, `p = 2 (1 − Φ(|z|))` (t with `df` when given).
//!   Altman DG, Bland JM (2011). How to obtain the P value from a confidence interval.
//!   BMJ 343:d2304; and How to obtain the confidence interval from a P value, BMJ 343:d2090.
//!   A CI that is asymmetric beyond rounding implies no single SE: each half implies one,
//!   `SE_low = (g(est) − g(low)) / z` and `SE_high = (g(high) − g(est)) / z` (the SEs of the
//!   two symmetric CIs that keep one printed limit), and the reported p is compared with every
//!   SE between them.
//! - Severity: every finding is an error or a warning ([`severity`]).
//! - Significance: the CI excludes the null (0, or 1 for ratios) exactly when `p < 1 − level`.
//! - Clinical relevance against a minimal important difference, categories A–D after
//!   Guyatt GH et al. (2011). GRADE guidelines 6: rating the quality of evidence—imprecision.
//!   J Clin Epidemiol 64:1283–1293; Cochrane Handbook, version 6.4 (2023), section 15.6.
//!
//! Pure computation: parsing of free text is in [`text`], of CSV files in `io::claims`.

pub mod messages;
pub mod reported;
pub mod scan;
pub mod severity;
pub mod text;

use crate::dist;
pub use messages::{fmt_num, Lang};
pub use reported::{Reported, ReportedP};
pub use severity::Severity;

/// The kind of measure of a claim: linear or ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimMeasure {
    /// Mean difference.
    MD,
    /// Standardised mean difference.
    SMD,
    /// Risk difference.
    RD,
    /// Risk ratio.
    RR,
    /// Odds ratio.
    OR,
    /// Hazard ratio.
    HR,
}

impl ClaimMeasure {
    /// The scale a printed result of an analysis with measure `m` is on; `None` for a generic
    /// effect, which names no scale.
    ///
    /// ```
    /// use repool::check::ClaimMeasure;
    /// assert_eq!(ClaimMeasure::of(repool::Measure::LogOddsRatio), Some(ClaimMeasure::OR));
    /// ```
    pub fn of(m: crate::Measure) -> Option<ClaimMeasure> {
        use crate::Measure;
        Some(match m {
            Measure::MeanDifference => ClaimMeasure::MD,
            Measure::StandardizedMeanDifference => ClaimMeasure::SMD,
            Measure::RiskDifference => ClaimMeasure::RD,
            Measure::LogRiskRatio => ClaimMeasure::RR,
            Measure::LogOddsRatio => ClaimMeasure::OR,
            Measure::LogHazardRatio => ClaimMeasure::HR,
            Measure::Generic => return None,
        })
    }

    /// Parses a measure name (case-insensitive).
    pub fn parse(s: &str) -> Option<ClaimMeasure> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "MD" | "WMD" => ClaimMeasure::MD,
            "SMD" => ClaimMeasure::SMD,
            "RD" | "ARR" => ClaimMeasure::RD,
            "RR" => ClaimMeasure::RR,
            "OR" => ClaimMeasure::OR,
            "HR" => ClaimMeasure::HR,
            _ => return None,
        })
    }

    /// The code, e.g. `RR`.
    pub fn code(self) -> &'static str {
        match self {
            ClaimMeasure::MD => "MD",
            ClaimMeasure::SMD => "SMD",
            ClaimMeasure::RD => "RD",
            ClaimMeasure::RR => "RR",
            ClaimMeasure::OR => "OR",
            ClaimMeasure::HR => "HR",
        }
    }

    /// Ratio measures are symmetric on the log scale.
    pub fn is_ratio(self) -> bool {
        matches!(self, ClaimMeasure::RR | ClaimMeasure::OR | ClaimMeasure::HR)
    }

    /// The null value on the printed scale (0, or 1 for ratios).
    pub fn null(self) -> f64 {
        if self.is_ratio() {
            1.0
        } else {
            0.0
        }
    }

    /// The analysis scale: identity, or log for ratios (values ≤ 0 map to −∞).
    fn g(self, x: f64) -> f64 {
        if self.is_ratio() {
            if x > 0.0 {
                x.ln()
            } else {
                f64::NEG_INFINITY
            }
        } else {
            x
        }
    }

    fn g_inv(self, x: f64) -> f64 {
        if self.is_ratio() {
            x.exp()
        } else {
            x
        }
    }
}

/// One reported result.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Identifier.
    pub id: String,
    /// Measure.
    pub measure: ClaimMeasure,
    /// Point estimate as printed.
    pub estimate: Reported,
    /// Lower CI limit as printed.
    pub ci_low: Reported,
    /// Upper CI limit as printed.
    pub ci_high: Reported,
    /// Confidence level in (0, 1).
    pub level: f64,
    /// p-value as printed.
    pub p: Option<ReportedP>,
    /// Degrees of freedom for a t-based CI.
    pub df: Option<f64>,
    /// Minimal important difference, on the printed scale, signed in the direction of benefit.
    pub threshold: Option<f64>,
    /// The reported clinical-relevance verdict (true = relevant).
    pub verdict: Option<bool>,
}

/// A finding's code (the contract scripts rely on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagCode {
    /// The estimate is outside its CI.
    EstimateOutsideCi,
    /// The CI is not symmetric around the estimate on the analysis scale.
    CiAsymmetric,
    /// The reported p does not fit the CI.
    PMismatch,
    /// Significance by p and by the CI disagree.
    SignificanceMismatch,
    /// The reported clinical-relevance verdict contradicts the CI.
    VerdictMismatch,
    /// A transcription differs from the original paper's numbers beyond rounding.
    TranscriptionMismatch,
}

impl FlagCode {
    /// `estimate_outside_ci`, `ci_asymmetric`, `p_mismatch`, `significance_mismatch`,
    /// `verdict_mismatch`, `transcription_mismatch`.
    pub fn code(self) -> &'static str {
        match self {
            FlagCode::EstimateOutsideCi => "estimate_outside_ci",
            FlagCode::CiAsymmetric => "ci_asymmetric",
            FlagCode::PMismatch => "p_mismatch",
            FlagCode::SignificanceMismatch => "significance_mismatch",
            FlagCode::VerdictMismatch => "verdict_mismatch",
            FlagCode::TranscriptionMismatch => "transcription_mismatch",
        }
    }
}

/// A finding with its severity and explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Code.
    pub code: FlagCode,
    /// Error or warning ([`severity`]).
    pub severity: Severity,
    /// Plain-language explanation in the chosen language.
    pub message: String,
}

/// Clinical relevance of a result against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relevance {
    /// The whole CI is beyond the threshold: relevant effect shown.
    A,
    /// Estimate beyond the threshold, CI crosses it: relevance possible, not shown.
    B,
    /// Estimate short of the threshold, CI includes it: relevant effect not excluded.
    C,
    /// The whole CI is short of the threshold: relevant effect excluded.
    D,
}

impl Relevance {
    /// `A`, `B`, `C` or `D`.
    pub fn code(self) -> &'static str {
        match self {
            Relevance::A => "A",
            Relevance::B => "B",
            Relevance::C => "C",
            Relevance::D => "D",
        }
    }
}

/// The relevance category of an estimate and its CI against a threshold, all on one
/// scale where differences are additive (the log scale for ratios), with `null` the value of
/// no effect; the threshold's side of the null is the direction of benefit. A: the whole CI
/// is beyond the threshold; B: the estimate is, the CI is not; C: the CI reaches it, the
/// estimate does not; D: the whole CI falls short.
///
/// # Examples
/// ```
/// use repool::check::{relevance_category, Relevance};
/// // Mean difference −5.3 (−7.31 to −3.30) against a threshold of −10 points.
/// assert_eq!(relevance_category(-5.3, -7.31, -3.30, -10.0, 0.0), Relevance::D);
/// assert_eq!(relevance_category(-12.0, -15.0, -9.0, -10.0, 0.0), Relevance::B);
/// ```
pub fn relevance_category(
    estimate: f64,
    ci_low: f64,
    ci_high: f64,
    threshold: f64,
    null: f64,
) -> Relevance {
    let d = (threshold - null).signum();
    let (near, far) = if d > 0.0 {
        (ci_low, ci_high)
    } else {
        (ci_high, ci_low)
    };
    let beyond = |x: f64| d * x >= d * threshold;
    if beyond(near) {
        Relevance::A
    } else if beyond(estimate) {
        Relevance::B
    } else if beyond(far) {
        Relevance::C
    } else {
        Relevance::D
    }
}

/// GRADE imprecision hint: what the CI crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imprecision {
    /// Neither the null nor the threshold.
    None,
    /// The null only.
    Null,
    /// The threshold only.
    Threshold,
    /// Both.
    Both,
}

impl Imprecision {
    /// `none`, `null`, `threshold`, `both`.
    pub fn code(self) -> &'static str {
        match self {
            Imprecision::None => "none",
            Imprecision::Null => "null",
            Imprecision::Threshold => "threshold",
            Imprecision::Both => "both",
        }
    }
}

/// What the checks found for one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// Findings (empty when consistent).
    pub flags: Vec<Flag>,
    /// SE implied by the CI's whole width, on the analysis scale.
    pub implied_se: f64,
    /// p implied by the estimate and the CI's whole width, from the printed values; `None`
    /// when the CI is asymmetric beyond rounding (it then implies no single p).
    pub implied_p: Option<f64>,
    /// p implied by the lower half and by the upper half of a CI that is asymmetric beyond
    /// rounding.
    pub implied_p_halves: Option<(f64, f64)>,
    /// Range of implied p over the rounding intervals (and, for an asymmetric CI, over
    /// every SE between its halves'): the p-values the check accepts.
    pub implied_p_range: (f64, f64),
    /// Relative asymmetry on the analysis scale: (upper half − lower half) / width.
    pub asymmetry: f64,
    /// Clinical-relevance category (with a threshold).
    pub relevance: Option<Relevance>,
    /// Its plain-language sentence.
    pub relevance_text: Option<String>,
    /// Imprecision hint.
    pub imprecision: Imprecision,
}

/// Why a claim cannot be checked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimError {
    /// Lower limit not below the upper one.
    #[error("the lower CI limit ({low}) is not below the upper limit ({high})")]
    CiOrder {
        /// Lower limit.
        low: String,
        /// Upper limit.
        high: String,
    },
    /// A ratio that is not positive.
    #[error("{what} of a ratio measure must be positive, got {value}")]
    NonPositiveRatio {
        /// Which number.
        what: &'static str,
        /// Its value.
        value: String,
    },
    /// A threshold at the null.
    #[error("the threshold must differ from the null value ({null}); for ratio measures give it as a ratio (e.g. 1.25 or 0.8)")]
    ThresholdAtNull {
        /// The null.
        null: f64,
    },
    /// The level is not in [0.5, 1).
    #[error("the confidence level must be at least 50% and below 100% (at most 99.9999999999999%, for a finite critical value), got {}%", .level * 100.0)]
    Level {
        /// The level.
        level: f64,
    },
    /// A number of a text that is not what its label says (`p = 1.5`, `df = 0`), at its
    /// line and column in the text.
    #[error("{line}:{column}: {problem}: '{value}'; expected {expected}")]
    Invalid {
        /// Line in the text (1-based).
        line: usize,
        /// Column in characters (1-based).
        column: usize,
        /// The number as printed.
        value: String,
        /// What it is not (`not a p-value`).
        problem: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// A number implied by the printed ones is not finite: they are too large to work with.
    #[error("the {what} implied by the printed numbers is not a finite number: they are too large to work with")]
    NonFinite {
        /// Which number.
        what: &'static str,
    },
}

impl CheckResult {
    /// Checks that every number of the result is finite: the implied SE, p-values and
    /// their range, and the asymmetry.
    pub fn check_finite(&self) -> Result<(), ClaimError> {
        let (lo, hi) = self.implied_p_halves.unzip();
        let values = [
            ("standard error", self.implied_se),
            ("asymmetry", self.asymmetry),
            ("p-value", self.implied_p.unwrap_or(0.0)),
            ("p-value of the lower half", lo.unwrap_or(0.0)),
            ("p-value of the upper half", hi.unwrap_or(0.0)),
            ("smallest p-value", self.implied_p_range.0),
            ("largest p-value", self.implied_p_range.1),
        ];
        match crate::pool::finite::first_non_finite(&values) {
            Some(what) => Err(ClaimError::NonFinite { what }),
            None => Ok(()),
        }
    }
}

/// Checks one claim.
///
/// # Examples
/// ```
/// use repool::check::{check, Claim, ClaimMeasure, FlagCode, Lang, Reported, Relevance, Severity};
/// // Seed 000: "-9,72 (-22,7 tot -6,69)", threshold -10, reported "not relevant".
/// let claim = Claim {
///     id: "oa".into(), measure: ClaimMeasure::MD,
///     estimate: Reported::parse("-9,72").unwrap(),
///     ci_low: Reported::parse("-22,7").unwrap(), ci_high: Reported::parse("-6,69").unwrap(),
///     level: 0.95, p: None, df: None, threshold: Some(-10.0), verdict: Some(false),
/// };
/// let r = check(&claim, Lang::En).unwrap();
/// let codes: Vec<_> = r.flags.iter().map(|f| (f.code, f.severity)).collect();
/// assert_eq!(codes, vec![(FlagCode::CiAsymmetric, Severity::Error), (FlagCode::VerdictMismatch, Severity::Error)]);
/// assert_eq!(r.relevance, Some(Relevance::C));
/// ```
pub fn check(c: &Claim, lang: Lang) -> Result<CheckResult, ClaimError> {
    validate(c)?;
    let m = c.measure;
    let b = Bounds::new(c);
    let reading = Reading::new(c.level, c.df);
    let (ge, gl, gh) = (
        m.g(c.estimate.value),
        m.g(c.ci_low.value),
        m.g(c.ci_high.value),
    );
    let implied_se = (gh - gl) / (2.0 * reading.crit);
    let asymmetry = ((gh - ge) - (ge - gl)) / (gh - gl);
    // Printed numbers near the largest double overflow the width: no finding from that.
    for (what, x) in [("standard error", implied_se), ("asymmetry", asymmetry)] {
        if !x.is_finite() {
            return Err(ClaimError::NonFinite { what });
        }
    }
    let mut flags = Vec::new();
    // 1. Estimate inside its CI; symmetry.
    if b.estimate_outside() {
        flags.push(Flag {
            code: FlagCode::EstimateOutsideCi,
            severity: Severity::Error,
            message: messages::estimate_outside(lang, c),
        });
    } else if let Some(f) = symmetry(c, &b, (asymmetry, implied_se), lang) {
        flags.push(f);
    }
    let asymmetric = flags.iter().any(|f| f.code == FlagCode::CiAsymmetric);
    // 2. p vs CI; 3. significance.
    let implied = implied_p(&b, reading, asymmetric);
    if let Some(p) = c.p {
        let mismatch = p_mismatch_severity(&p, &b, &implied, reading.df.is_some());
        if let Some(severity) = mismatch {
            flags.push(Flag {
                code: FlagCode::PMismatch,
                severity,
                message: messages::p_mismatch(lang, &p, &implied, severity == Severity::Warning),
            });
        }
        if let Some(p_sig) = significance_disagrees(c, &b, &p) {
            flags.push(Flag {
                code: FlagCode::SignificanceMismatch,
                severity: mismatch.unwrap_or(Severity::Warning),
                message: messages::significance(lang, &p, c, p_sig),
            });
        }
    }
    // 4. Relevance.
    let (relevance, relevance_text) = match c.threshold {
        Some(t) => {
            let (cat, flag) = relevance_and_verdict(c, &b, t, lang);
            flags.extend(flag);
            (Some(cat), Some(messages::relevance(lang, cat, t)))
        }
        None => (None, None),
    };
    let result = CheckResult {
        flags,
        implied_se,
        implied_p: implied.whole,
        implied_p_halves: implied.halves,
        implied_p_range: implied.range,
        asymmetry,
        relevance,
        relevance_text,
        imprecision: imprecision(c),
    };
    result.check_finite()?;
    Ok(result)
}

/// The claim's numbers make sense, before anything is checked or reproduced: level in
/// [0.5, 1) with a finite critical value (a level near 0 has a critical value of 0, and so an
/// infinite SE; intervals are reported at 80 % to 99.9 %), ordered limits, positive ratios, a
/// threshold away from the null.
pub fn validate(c: &Claim) -> Result<(), ClaimError> {
    let m = c.measure;
    // A level within 2e-16 of 1 has an infinite critical value (1 − α/2 rounds to 1).
    if !(c.level >= 0.5 && c.level < 1.0 && crate::dist::z_crit(c.level).is_finite()) {
        return Err(ClaimError::Level { level: c.level });
    }
    if c.ci_low.value >= c.ci_high.value {
        return Err(ClaimError::CiOrder {
            low: c.ci_low.printed(),
            high: c.ci_high.printed(),
        });
    }
    if m.is_ratio() {
        for (what, r) in [
            ("the estimate", c.estimate),
            ("the lower CI limit", c.ci_low),
            ("the upper CI limit", c.ci_high),
        ] {
            if r.value <= 0.0 {
                return Err(ClaimError::NonPositiveRatio {
                    what,
                    value: r.printed(),
                });
            }
        }
        if let Some(t) = c.threshold.filter(|&t| t <= 0.0) {
            return Err(ClaimError::NonPositiveRatio {
                what: "the threshold",
                value: t.to_string(),
            });
        }
    }
    if c.threshold == Some(m.null()) {
        return Err(ClaimError::ThresholdAtNull { null: m.null() });
    }
    Ok(())
}

/// The rounding intervals of a claim's estimate and limits (ratios kept positive).
struct Bounds {
    m: ClaimMeasure,
    level: f64,
    e: Reported,
    l: Reported,
    h: Reported,
}

impl Bounds {
    fn new(c: &Claim) -> Bounds {
        Bounds {
            m: c.measure,
            level: c.level,
            e: c.estimate,
            l: c.ci_low,
            h: c.ci_high,
        }
    }

    /// Smallest value that rounds to `r` (for ratios, positive).
    fn lo(&self, r: Reported) -> f64 {
        if self.m.is_ratio() {
            r.lo().max(r.value * 1e-6)
        } else {
            r.lo()
        }
    }

    /// The eight corners of the rounding box on the analysis scale: `(est, low, high)`.
    fn corners(&self) -> Vec<(f64, f64, f64)> {
        let g = |x: f64| self.m.g(x);
        let mut out = Vec::with_capacity(8);
        for est in [self.lo(self.e), self.e.hi()] {
            for low in [self.lo(self.l), self.l.hi()] {
                for high in [self.lo(self.h), self.h.hi()] {
                    out.push((g(est), g(low), g(high)));
                }
            }
        }
        out
    }

    /// Whether the estimate's rounding interval contains the null.
    fn estimate_may_be_null(&self) -> bool {
        let null = self.m.null();
        self.lo(self.e) <= null && null <= self.e.hi()
    }

    fn estimate_outside(&self) -> bool {
        self.e.hi() < self.lo(self.l) || self.lo(self.e) > self.h.hi()
    }
}

/// The `ci_asymmetric` finding, when no values within the rounding intervals are symmetric:
/// `2 g(est) = g(low) + g(high)`. Its severity follows the smallest asymmetry the rounding
/// allows ([`severity::asymmetry_severity`]); the message names the likely typo.
fn symmetry(c: &Claim, b: &Bounds, (asymmetry, se): (f64, f64), lang: Lang) -> Option<Flag> {
    let (m, e, l, h) = (b.m, b.e, b.l, b.h);
    let two_e = (2.0 * m.g(b.lo(e)), 2.0 * m.g(e.hi()));
    let sum = (m.g(b.lo(l)) + m.g(b.lo(h)), m.g(l.hi()) + m.g(h.hi()));
    if two_e.1 >= sum.0 && two_e.0 <= sum.1 {
        return None;
    }
    // The asymmetry is a linear-fractional function of the corners with a numerator of one
    // sign over the box, so its smallest size is taken at a corner.
    let min_asymmetry = b
        .corners()
        .into_iter()
        .filter(|(_, gl, gh)| gh > gl)
        .map(|(ge, gl, gh)| (((gh - ge) - (ge - gl)) / (gh - gl)).abs())
        .fold(f64::INFINITY, f64::min);
    let severity = severity::asymmetry_severity(min_asymmetry);
    // Which bound is the likely typo: the one whose symmetric replacement is closest, digit
    // by digit, to what was printed.
    let (ge, gl, gh) = (m.g(e.value), m.g(l.value), m.g(h.value));
    let sym_low = Reported::new(m.g_inv(2.0 * ge - gh), l.decimals);
    let sym_high = Reported::new(m.g_inv(2.0 * ge - gl), h.decimals);
    let d_low = digit_distance(&l.printed(), &sym_low.printed());
    let d_high = digit_distance(&h.printed(), &sym_high.printed());
    let suspect = if d_low < d_high {
        messages::Suspect::Low(sym_low.printed())
    } else if d_high < d_low {
        messages::Suspect::High(sym_high.printed())
    } else {
        messages::Suspect::Either(sym_low.printed(), sym_high.printed())
    };
    Some(Flag {
        code: FlagCode::CiAsymmetric,
        severity,
        message: messages::asymmetric(lang, c, (asymmetry, min_asymmetry), se, &suspect, severity),
    })
}

/// How a CI is read into a p-value: `z = g(est) / SE` with `SE` from a half-width and the
/// critical value, `p = 2 (1 − Φ(|z|))`, or the t distribution with `df`.
#[derive(Debug, Clone, Copy)]
struct Reading {
    crit: f64,
    df: Option<f64>,
}

impl Reading {
    fn new(level: f64, df: Option<f64>) -> Reading {
        match df {
            Some(df) if df > 0.0 => Reading {
                crit: dist::t_crit(level, df),
                df: Some(df),
            },
            _ => Reading {
                crit: dist::z_crit(level),
                df: None,
            },
        }
    }

    /// p of `g(est)` for a half-width on the analysis scale; a half-width ≤ 0 (possible
    /// within rounding) stands for an arbitrarily short one.
    fn p(&self, ge: f64, half_width: f64) -> f64 {
        if half_width <= 0.0 {
            return if ge == 0.0 { 1.0 } else { 0.0 };
        }
        let z = ge * self.crit / half_width;
        match self.df {
            Some(df) => dist::p_t(z, df),
            None => dist::p_normal(z),
        }
    }
}

/// What a CI implies about p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ImpliedP {
    /// From the whole width read as a symmetric interval; `None` when the CI is asymmetric.
    pub(crate) whole: Option<f64>,
    /// From the lower half and from the upper half, when the CI is asymmetric.
    pub(crate) halves: Option<(f64, f64)>,
    /// The p-values consistent with the printed numbers: over their rounding intervals, and
    /// for an asymmetric CI over every half-width between those of its two halves.
    pub(crate) range: (f64, f64),
}

/// The p implied by a CI (Altman & Bland 2011): from its whole width when it is symmetric,
/// from each half when it is not (asymmetric). The range takes the corners of the rounding
/// box (|z| is monotone in each number except through est = null, where p reaches 1).
fn implied_p(b: &Bounds, reading: Reading, asymmetric: bool) -> ImpliedP {
    let (ge, gl, gh) = (b.m.g(b.e.value), b.m.g(b.l.value), b.m.g(b.h.value));
    let range = p_range(b, reading, asymmetric);
    if asymmetric {
        ImpliedP {
            whole: None,
            halves: Some((reading.p(ge, ge - gl), reading.p(ge, gh - ge))),
            range,
        }
    } else {
        ImpliedP {
            whole: Some(reading.p(ge, (gh - gl) / 2.0)),
            halves: None,
            range,
        }
    }
}

/// Smallest and largest p over the corners of the rounding box, from the whole width or, with
/// `halves`, from either half (p is monotone in the half-width, so every half-width between
/// the two halves' gives a p between theirs).
fn p_range(b: &Bounds, reading: Reading, halves: bool) -> (f64, f64) {
    let (mut pmin, mut pmax) = (f64::INFINITY, f64::NEG_INFINITY);
    for (ge, gl, gh) in b.corners() {
        // A corner where the limits meet or cross stands for the arbitrarily short CIs
        // inside the box next to it (`Reading::p` reads a half-width ≤ 0 so).
        let widths = if halves {
            [ge - gl, gh - ge]
        } else {
            [(gh - gl) / 2.0; 2]
        };
        for w in widths {
            let p = reading.p(ge, w);
            pmin = pmin.min(p);
            pmax = pmax.max(p);
        }
    }
    if b.estimate_may_be_null() {
        pmax = 1.0;
    }
    (pmin, pmax)
}

/// The severity of a `p_mismatch`, `None` when the reported p fits. Without `df`, a p that
/// fits a t reading with one degree of freedom (the p of a printed CI moves monotonically
/// from the z value towards α as df falls) is a warning.
fn p_mismatch_severity(
    p: &ReportedP,
    b: &Bounds,
    implied: &ImpliedP,
    df_given: bool,
) -> Option<Severity> {
    let (p_lo, p_hi) = p.interval();
    let overlaps = |(lo, hi): (f64, f64)| p_hi >= lo && p_lo <= hi;
    if overlaps(implied.range) {
        return None;
    }
    if !df_given {
        let t1 = p_range(
            b,
            Reading::new(b.level, Some(1.0)),
            implied.halves.is_some(),
        );
        let hull = (implied.range.0.min(t1.0), implied.range.1.max(t1.1));
        if overlaps(hull) {
            return Some(Severity::Warning);
        }
    }
    Some(Severity::Error)
}

/// `Some(p_significant)` when significance by the reported p and by the CI disagree beyond
/// rounding: p < α while the CI includes the null, or p ≥ α while it excludes it.
fn significance_disagrees(c: &Claim, b: &Bounds, p: &ReportedP) -> Option<bool> {
    let (p_lo, p_hi) = p.interval();
    let alpha = 1.0 - c.level;
    let p_sig = match p {
        ReportedP::Below(x) => *x <= alpha + 1e-12,
        _ => p_hi < alpha,
    };
    let p_nonsig = p_lo >= alpha && !matches!(p, ReportedP::Below(_));
    let null = b.m.null();
    let ci_excludes = b.lo(b.l) > null || b.h.hi() < null;
    let ci_includes = b.l.hi() < null && null < b.lo(b.h);
    ((p_sig && ci_includes) || (p_nonsig && ci_excludes)).then_some(p_sig)
}

/// The relevance category against threshold `t`, and a `verdict_mismatch` when the reported
/// verdict contradicts the CI for all values that round to the printed ones.
fn relevance_and_verdict(c: &Claim, b: &Bounds, t: f64, lang: Lang) -> (Relevance, Option<Flag>) {
    let m = b.m;
    let gt = m.g(t);
    let d = (gt - m.g(m.null())).signum();
    let (near, far) = if d > 0.0 { (b.l, b.h) } else { (b.h, b.l) };
    let (e, l, h) = (c.estimate.value, c.ci_low.value, c.ci_high.value);
    let cat = relevance_category(m.g(e), m.g(l), m.g(h), gt, m.g(m.null()));
    let Some(v) = c.verdict else {
        return (cat, None);
    };
    // Could rounding make the whole CI beyond (A) or short of (D) the threshold?
    let a_possible = if d > 0.0 {
        m.g(near.hi()) >= gt
    } else {
        m.g(b.lo(near)) <= gt
    };
    let d_possible = if d > 0.0 {
        m.g(b.lo(far)) < gt
    } else {
        m.g(far.hi()) > gt
    };
    let flag = ((v && !a_possible) || (!v && !d_possible)).then(|| Flag {
        code: FlagCode::VerdictMismatch,
        severity: Severity::Error,
        message: messages::verdict(lang, v, cat, t, m),
    });
    (cat, flag)
}

/// What the printed CI crosses: the null, the threshold, both or neither.
fn imprecision(c: &Claim) -> Imprecision {
    let (l, h) = (c.ci_low.value, c.ci_high.value);
    let null = c.measure.null();
    let crosses_null = l < null && null < h;
    let crosses_t = c.threshold.is_some_and(|t| l < t && t < h);
    match (crosses_null, crosses_t) {
        (true, true) => Imprecision::Both,
        (true, false) => Imprecision::Null,
        (false, true) => Imprecision::Threshold,
        (false, false) => Imprecision::None,
    }
}

/// Compares a transcribed result with the original paper's numbers (estimate, lower and
/// upper limit): a finding when any pair cannot be the same value printed with different
/// decimals (their rounding intervals do not overlap). Always an error.
///
/// # Examples
/// ```
/// use repool::check::{compare_transcription, Lang, Reported};
/// let p = |s| Reported::parse(s).unwrap();
/// // Seed 000 prints -5,3 (-7,21 tot -3,30); Ferreira 2021 has -5.30 (-7.31 to -3.30).
/// let f = compare_transcription((p("-5,3"), p("-7,21"), p("-3,30")), (p("-5.30"), p("-7.31"), p("-3.30")), Lang::En);
/// assert!(f.unwrap().message.contains("-7.21"));
/// assert!(compare_transcription((p("2,16"), p("1,71"), p("2,73")), (p("2.16"), p("1.71"), p("2.73")), Lang::En).is_none());
/// ```
pub fn compare_transcription(
    printed: (Reported, Reported, Reported),
    original: (Reported, Reported, Reported),
    lang: Lang,
) -> Option<Flag> {
    let names = ["estimate", "lower limit", "upper limit"];
    let pairs = [
        (printed.0, original.0),
        (printed.1, original.1),
        (printed.2, original.2),
    ];
    let differing: Vec<(&str, Reported, Reported)> = names
        .iter()
        .zip(pairs)
        .filter(|(_, (a, b))| a.hi() < b.lo() || b.hi() < a.lo())
        .map(|(n, (a, b))| (*n, a, b))
        .collect();
    if differing.is_empty() {
        return None;
    }
    Some(Flag {
        code: FlagCode::TranscriptionMismatch,
        severity: Severity::Error,
        message: messages::transcription(lang, &differing),
    })
}

/// Edit distance between the digits of two printed numbers (signs and separators ignored).
fn digit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().filter(|c| c.is_ascii_digit()).collect();
    let b: Vec<char> = b.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(m: &str, e: &str, l: &str, h: &str) -> Claim {
        Claim {
            id: "t".into(),
            measure: ClaimMeasure::parse(m).unwrap(),
            estimate: Reported::parse(e).unwrap(),
            ci_low: Reported::parse(l).unwrap(),
            ci_high: Reported::parse(h).unwrap(),
            level: 0.95,
            p: None,
            df: None,
            threshold: None,
            verdict: None,
        }
    }

    fn codes(c: &Claim) -> Vec<&'static str> {
        check(c, Lang::En)
            .unwrap()
            .flags
            .iter()
            .map(|f| f.code.code())
            .collect()
    }

    /// RR 1.0 [0.9; 1.0]: printed to one decimal, the limits may lie as close together as
    /// 0.9499 and 0.9501, so any p down to 0 fits; p < 0.001 is no mismatch. (The corner of
    /// the rounding box where the limits meet used to be skipped, and the smallest p fitting
    /// the CI came out as 0.0445.)
    #[test]
    fn limits_that_may_meet_within_rounding_fit_any_small_p() {
        for p in ["<0.001", "0.0001"] {
            let c = Claim {
                p: Some(ReportedP::parse(p).unwrap()),
                ..claim("RR", "1.0", "0.9", "1.0")
            };
            let r = check(&c, Lang::En).unwrap();
            assert_eq!(r.implied_p_range.0, 0.0, "{p}");
            assert!(!codes(&c).contains(&"p_mismatch"), "{p}: {:?}", codes(&c));
        }
    }

    /// An estimate of −10³⁰⁸ with a CI of (−0.10, 0): its distance from either limit is
    /// finite, their difference (the asymmetry) is not.
    #[test]
    fn numbers_too_large_for_their_differences_are_an_error() {
        let c = claim("SMD", &format!("-1{}", "0".repeat(308)), "-0.10", "-0");
        assert!(matches!(
            check(&c, Lang::En),
            Err(ClaimError::NonFinite { .. })
        ));
    }

    /// A level of 6e-27 (read from "0.000…0006 %") has a critical value of 0 and gave an
    /// infinite implied SE; levels below 50 % are refused.
    #[test]
    fn levels_below_half_are_refused() {
        // 1 − 1e-16: 1 − α/2 rounds to 1, so the critical value is infinite.
        for level in [6e-27, 0.3, 1.0, 0.9999999999999999] {
            let c = Claim {
                level,
                ..claim("SMD", "-0.45", "-0.80", "-0.10")
            };
            assert!(
                matches!(check(&c, Lang::En), Err(ClaimError::Level { .. })),
                "{level}"
            );
        }
        let c = Claim {
            level: 0.5,
            ..claim("SMD", "-0.45", "-0.80", "-0.10")
        };
        assert!(check(&c, Lang::En).unwrap().implied_se.is_finite());
    }

    // Hand calculation: SE = (3 - 1) / (2 × 1.959964) = 0.510214; z = 2 / SE = 3.919928;
    // p = 2 (1 - Φ(3.919928)) = 8.8575e-5.
    #[test]
    fn symmetric_interval_gives_se_and_p() {
        let r = check(&claim("MD", "2.0", "1.0", "3.0"), Lang::En).unwrap();
        assert!(r.flags.is_empty());
        assert!((r.implied_se - 0.510_213_5).abs() < 1e-6);
        let p = r.implied_p.unwrap();
        assert!((p - 8.857_544e-5).abs() < 1e-10, "{p}");
        assert_eq!(r.implied_p_halves, None);
        assert_eq!(r.asymmetry, 0.0);
    }

    // Seed 000 / Ferreira 2021: RR 2.16 (1.71 to 2.73) is symmetric on the log scale
    // within rounding (halves 0.2336 and 0.2342).
    #[test]
    fn ratio_symmetric_on_log_scale() {
        assert!(codes(&claim("RR", "2,16", "1,71", "2,73")).is_empty());
    }

    #[test]
    fn estimate_outside_interval() {
        assert_eq!(
            codes(&claim("MD", "5", "1", "3")),
            vec!["estimate_outside_ci"]
        );
    }

    // Seed 000 prints -9,72 (-22,7 tot -6,69); the original is -9.72 (-12.75 to -6.69).
    #[test]
    fn asymmetry_names_the_likely_typo() {
        let r = check(&claim("MD", "-9,72", "-22,7", "-6,69"), Lang::En).unwrap();
        assert_eq!(r.flags[0].code, FlagCode::CiAsymmetric);
        assert!(
            r.flags[0]
                .message
                .contains("lower limit is the likely typo"),
            "{}",
            r.flags[0].message
        );
        assert!(r.flags[0].message.contains("-12.8"));
        assert!(r.flags[0].message.contains("profile-likelihood"));
    }

    // A rounded symmetric interval: 0.74 (0.51 to 0.97) is printed from 0.7449 ± 0.2294.
    #[test]
    fn rounding_is_not_asymmetry() {
        assert!(codes(&claim("MD", "0.74", "0.51", "0.97")).is_empty());
        assert!(codes(&claim("MD", "0.7", "0.5", "1.0")).is_empty());
    }

    // Seed 003: RR 2,44 (1,20 tot 4,96), p = 0,01; the CI implies p = 0.0137, which
    // prints as 0.01.
    #[test]
    fn p_consistent_with_ci() {
        let mut c = claim("RR", "2,44", "1,20", "4,96");
        c.p = ReportedP::parse("0,01");
        let r = check(&c, Lang::En).unwrap();
        assert!(r.flags.is_empty(), "{:?}", r.flags);
        assert!((r.implied_p.unwrap() - 0.0137).abs() < 5e-4);
    }

    #[test]
    fn p_inconsistent_with_ci() {
        let mut c = claim("MD", "2.0", "1.0", "3.0");
        c.p = ReportedP::parse("0.30");
        assert_eq!(codes(&c), vec!["p_mismatch", "significance_mismatch"]);
        c.p = ReportedP::parse("<0.001");
        assert!(codes(&c).is_empty());
    }

    #[test]
    fn significance_by_p_and_by_ci_disagree() {
        let mut c = claim("MD", "0.5", "-0.1", "1.1");
        c.p = ReportedP::parse("<0.05");
        let got = codes(&c);
        assert!(got.contains(&"significance_mismatch"), "{got:?}");
        // p = 0.05 printed could be 0.0499: no significance finding.
        c.p = ReportedP::parse("0.05");
        assert!(!codes(&c).contains(&"significance_mismatch"));
    }

    #[test]
    fn relevance_categories_for_a_benefit_below_the_null() {
        let cat = |e, l, h| {
            let mut c = claim("MD", e, l, h);
            c.threshold = Some(-10.0);
            check(&c, Lang::En).unwrap().relevance.unwrap()
        };
        assert_eq!(cat("-20", "-25", "-15"), Relevance::A);
        assert_eq!(cat("-12", "-16", "-8"), Relevance::B);
        assert_eq!(cat("-8", "-12", "-4"), Relevance::C);
        assert_eq!(cat("-5", "-7", "-3"), Relevance::D);
    }

    #[test]
    fn relevance_categories_for_a_ratio_above_the_null() {
        let cat = |e, l, h| {
            let mut c = claim("RR", e, l, h);
            c.threshold = Some(1.25);
            check(&c, Lang::En).unwrap().relevance.unwrap()
        };
        assert_eq!(cat("1.60", "1.30", "1.97"), Relevance::A);
        assert_eq!(cat("1.40", "1.10", "1.78"), Relevance::B);
        assert_eq!(cat("1.10", "0.90", "1.34"), Relevance::C);
        assert_eq!(cat("1.05", "0.95", "1.16"), Relevance::D);
    }

    #[test]
    fn verdicts_against_the_interval_with_rounding() {
        let mut c = claim("MD", "-15.0", "-20.0", "-9.96");
        c.threshold = Some(-10.0);
        c.verdict = Some(true);
        // -9.96 cannot round from a value at or below -10: relevance not shown.
        assert_eq!(codes(&c), vec!["verdict_mismatch"]);
        // -10.0 could be -10.04: not flagged.
        c.ci_high = Reported::parse("-10.0").unwrap();
        assert!(codes(&c).is_empty());
        // "No" while the CI reaches the threshold.
        let mut c = claim("MD", "-5.3", "-11.0", "0.4");
        c.threshold = Some(-10.0);
        c.verdict = Some(false);
        assert_eq!(codes(&c), vec!["verdict_mismatch"]);
        // "No" with the whole CI short of the threshold: consistent.
        let mut c = claim("MD", "-5.30", "-7.31", "-3.30");
        c.threshold = Some(-10.0);
        c.verdict = Some(false);
        assert!(codes(&c).is_empty());
    }

    #[test]
    fn imprecision_hint() {
        let mut c = claim("MD", "-8", "-12", "1");
        c.threshold = Some(-10.0);
        assert_eq!(check(&c, Lang::En).unwrap().imprecision, Imprecision::Both);
        c.ci_high = Reported::parse("-4").unwrap();
        assert_eq!(
            check(&c, Lang::En).unwrap().imprecision,
            Imprecision::Threshold
        );
    }

    #[test]
    fn bad_claims_are_errors() {
        assert!(check(&claim("MD", "1", "3", "2"), Lang::En).is_err());
        assert!(check(&claim("RR", "1", "0", "2"), Lang::En).is_err());
        let mut c = claim("RR", "1.2", "1.0", "1.4");
        c.threshold = Some(1.0);
        assert!(check(&c, Lang::En).is_err());
    }

    #[test]
    fn explanations_in_dutch_and_french_use_decimal_commas() {
        let c = claim("MD", "-9.72", "-22.7", "-6.69");
        let nl = check(&c, Lang::Nl).unwrap();
        assert!(
            nl.flags[0].message.contains("-22,7 tot -6,69"),
            "{}",
            nl.flags[0].message
        );
        let fr = check(&c, Lang::Fr).unwrap();
        assert!(
            fr.flags[0].message.contains("-22,7 à -6,69"),
            "{}",
            fr.flags[0].message
        );
    }

    fn flags(c: &Claim) -> Vec<(&'static str, Severity)> {
        check(c, Lang::En)
            .unwrap()
            .flags
            .iter()
            .map(|f| (f.code.code(), f.severity))
            .collect()
    }

    use Severity::{Error, Warning};

    // Seed 000 prints RR 1,23 (1,16 tot 2,07): on the log scale the halves are 0.0586 and
    // 0.5205, asymmetry 0.80 (at least 0.77 within rounding), beyond any interval method.
    // OR 2.35 (1.7 to 3.77) is 0.19 (at least 0.14): within what exact and
    // profile-likelihood intervals reach.
    #[test]
    fn asymmetry_beyond_half_the_width_is_an_error() {
        assert_eq!(
            flags(&claim("RR", "1.23", "1.16", "2.07")),
            vec![("ci_asymmetric", Error)]
        );
        assert_eq!(
            flags(&claim("OR", "2.35", "1.7", "3.77")),
            vec![("ci_asymmetric", Warning)]
        );
    }

    // At the cut-off: 0.00 (-1.00 to 2.90) has asymmetry 1.9 / 3.9 = 0.487; 0.00 (-1.00 to
    // 3.10) has 2.1 / 4.1 = 0.512, and at least (3.095 - 1.005 - 0.01) / 4.11 = 0.5085 given
    // rounding.
    #[test]
    fn asymmetry_cut_off_is_half_the_width_after_rounding() {
        assert_eq!(
            flags(&claim("MD", "0.00", "-1.00", "2.90")),
            vec![("ci_asymmetric", Warning)]
        );
        assert_eq!(
            flags(&claim("MD", "0.00", "-1.00", "3.10")),
            vec![("ci_asymmetric", Error)]
        );
        let m = check(&claim("MD", "0.00", "-1.00", "3.10"), Lang::En).unwrap();
        assert!(
            m.flags[0].message.contains("at least 51%"),
            "{}",
            m.flags[0].message
        );
    }

    // The smallest asymmetry over the rounding box is taken at a corner: no point of a
    // 21 × 21 × 21 grid over the box is less asymmetric. By hand, at est 2.355, lower 1.65,
    // upper 3.765: (ln 3.765 + ln 1.65 − 2 ln 2.355) / (ln 3.765 − ln 1.65) = 0.11344 / 0.82497
    // = 0.1375.
    #[test]
    fn smallest_asymmetry_is_at_a_corner() {
        let c = claim("OR", "2.35", "1.7", "3.77");
        let b = Bounds::new(&c);
        let at_corners = b
            .corners()
            .into_iter()
            .map(|(e, l, h)| (((h - e) - (e - l)) / (h - l)).abs())
            .fold(f64::INFINITY, f64::min);
        let step = |r: Reported, i: usize| (b.lo(r) + (r.hi() - b.lo(r)) * i as f64 / 20.0).ln();
        for i in 0..=20 {
            for j in 0..=20 {
                for k in 0..=20 {
                    let (e, l, h) = (step(c.estimate, i), step(c.ci_low, j), step(c.ci_high, k));
                    let a = (((h - e) - (e - l)) / (h - l)).abs();
                    assert!(a >= at_corners - 1e-12, "{a} < {at_corners}");
                }
            }
        }
        assert!((at_corners - 0.1375).abs() < 1e-4, "{at_corners}");
    }

    // RR 1.23 (1.16 to 2.07): SE_low = ln(1.23 / 1.16) / 1.959964 = 0.029895, z = 6.9246,
    // p = 4.4e-12; SE_high = ln(2.07 / 1.23) / 1.959964 = 0.265588, z = 0.77946, p = 0.4357.
    // The whole width (p = 0.16) is no reading of an interval this asymmetric.
    #[test]
    fn asymmetric_ci_implies_p_from_each_half() {
        let mut c = claim("RR", "1.23", "1.16", "2.07");
        let r = check(&c, Lang::En).unwrap();
        assert_eq!(r.implied_p, None);
        let (lo, hi) = r.implied_p_halves.unwrap();
        assert!(lo < 1e-10 && lo > 1e-13, "{lo}");
        assert!((hi - 0.4357).abs() < 5e-5, "{hi}");
        // p = 0.02 lies between the halves' readings: no p finding.
        c.p = ReportedP::parse("0.02");
        assert_eq!(flags(&c), vec![("ci_asymmetric", Error)]);
        c.p = ReportedP::parse("<0.001");
        assert_eq!(flags(&c), vec![("ci_asymmetric", Error)]);
        // p = 0.60 fits neither half.
        c.p = ReportedP::parse("0.60");
        assert_eq!(
            flags(&c),
            vec![
                ("ci_asymmetric", Error),
                ("p_mismatch", Error),
                ("significance_mismatch", Error)
            ]
        );
        let msg = &check(&c, Lang::En).unwrap().flags[1].message;
        assert!(msg.contains("lower half implies p < 0.0001"), "{msg}");
        assert!(msg.contains("upper half p = 0.4357"), "{msg}");
        assert!(!msg.contains("0.16"), "{msg}");
    }

    // p = 0.44 fits the upper half (a typo in the lower limit), yet the printed CI excludes 1:
    // the disagreement is at the boundary of what the readings allow, a warning.
    #[test]
    fn significance_mismatch_is_a_warning_when_a_reading_fits_the_p() {
        let mut c = claim("RR", "1.23", "1.16", "2.07");
        c.p = ReportedP::parse("0.44");
        assert_eq!(
            flags(&c),
            vec![("ci_asymmetric", Error), ("significance_mismatch", Warning)]
        );
        let mut c = claim("MD", "0.5", "-0.1", "1.1");
        c.p = ReportedP::parse("<0.05");
        assert_eq!(flags(&c), vec![("significance_mismatch", Warning)]);
    }

    // MD 2.0 (1.0 to 3.0): z gives p = 8.9e-5 (at most 0.0003 given rounding); a t reading
    // with 1 df gives p = 2 (1 - T1(2 × 12.706)) = 0.025, so p = 0.02 fits a t-based CI with
    // unstated df: a warning. With df = 4 stated: t = 2 × 2.776445 = 5.553, p = 0.0051, so
    // p = 0.02 is an error; so is p = 0.30, which no reading reaches.
    #[test]
    fn p_that_only_a_t_reading_explains_is_a_warning() {
        let mut c = claim("MD", "2.0", "1.0", "3.0");
        c.p = ReportedP::parse("0.02");
        assert_eq!(flags(&c), vec![("p_mismatch", Warning)]);
        let msg = &check(&c, Lang::En).unwrap().flags[0].message;
        assert!(msg.contains("give df"), "{msg}");
        c.df = Some(4.0);
        assert_eq!(flags(&c), vec![("p_mismatch", Error)]);
        let r = check(&c, Lang::En).unwrap();
        assert!(
            (r.implied_p.unwrap() - 0.00515).abs() < 5e-5,
            "{:?}",
            r.implied_p
        );
        c.df = None;
        c.p = ReportedP::parse("0.30");
        assert_eq!(
            flags(&c),
            vec![("p_mismatch", Error), ("significance_mismatch", Error)]
        );
    }

    // As df falls, the p of the same printed CI moves from the z value towards α (the
    // reason a t reading with 1 df bounds what unstated df can explain).
    #[test]
    fn t_readings_move_p_towards_alpha() {
        for x in [0.05, 0.3, 0.8, 1.5, 2.0, 4.0] {
            let ps: Vec<f64> = [None, Some(30.0), Some(5.0), Some(2.0), Some(1.0)]
                .iter()
                .map(|&df| Reading::new(0.95, df).p(x, 1.0))
                .collect();
            for w in ps.windows(2) {
                assert!((w[1] - 0.05).abs() < (w[0] - 0.05).abs(), "x = {x}: {ps:?}");
            }
        }
    }

    #[test]
    fn outside_verdict_and_transcription_findings_are_errors() {
        assert_eq!(
            flags(&claim("MD", "5", "1", "3")),
            vec![("estimate_outside_ci", Error)]
        );
        let mut c = claim("MD", "-15.0", "-20.0", "-9.96");
        c.threshold = Some(-10.0);
        c.verdict = Some(true);
        assert_eq!(flags(&c), vec![("verdict_mismatch", Error)]);
        let p = |s| Reported::parse(s).unwrap();
        let f = compare_transcription(
            (p("-5.3"), p("-7.21"), p("-3.30")),
            (p("-5.30"), p("-7.31"), p("-3.30")),
            Lang::En,
        );
        assert_eq!(f.unwrap().severity, Error);
    }

    #[test]
    fn new_explanations_in_dutch_and_french() {
        let mut c = claim("RR", "1.23", "1.16", "2.07");
        c.p = ReportedP::parse("0.60");
        let nl = check(&c, Lang::Nl).unwrap();
        assert!(
            nl.flags[0].message.contains("minstens 77%"),
            "{}",
            nl.flags[0].message
        );
        assert!(
            nl.flags[1].message.contains("de bovenste p = 0,4357"),
            "{}",
            nl.flags[1].message
        );
        let fr = check(&c, Lang::Fr).unwrap();
        assert!(
            fr.flags[0].message.contains("au moins 77 %"),
            "{}",
            fr.flags[0].message
        );
        assert!(
            fr.flags[1].message.contains("moitié supérieure p = 0,4357"),
            "{}",
            fr.flags[1].message
        );
        let mut c = claim("MD", "2.0", "1.0", "3.0");
        c.p = ReportedP::parse("0.02");
        let fr = check(&c, Lang::Fr).unwrap();
        assert!(
            fr.flags[0].message.contains("indiquez df"),
            "{}",
            fr.flags[0].message
        );
        assert_eq!(messages::severity_label(Lang::Nl, Error), "fout");
        assert_eq!(messages::severity_label(Lang::Fr, Warning), "avertissement");
    }

    #[test]
    fn digit_distance_counts_edits() {
        assert_eq!(digit_distance("-22.7", "-12.8"), 2);
        assert_eq!(digit_distance("1.16", "1.16"), 0);
    }
}
