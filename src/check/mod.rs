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
//! - Significance: the CI excludes the null (0, or 1 for ratios) exactly when `p < 1 − level`.
//! - Clinical relevance against a minimal important difference, categories A–D after
//!   Guyatt GH et al. (2011). GRADE guidelines 6: rating the quality of evidence—imprecision.
//!   J Clin Epidemiol 64:1283–1293; Cochrane Handbook, version 6.4 (2023), section 15.6.
//!
//! Pure computation: parsing of free text is in [`text`], of CSV files in `io::claims`.

pub mod messages;
pub mod reported;
pub mod text;

use crate::dist;
pub use messages::{fmt_num, Lang};
pub use reported::{Reported, ReportedP};

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
    /// `verdict_mismatch`.
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

/// A finding with its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Code.
    pub code: FlagCode,
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
    /// SE implied by the CI, on the analysis scale.
    pub implied_se: f64,
    /// p implied by the estimate and the CI, from the printed values.
    pub implied_p: f64,
    /// Range of implied p over the rounding intervals.
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
    /// The level is not in (0, 1).
    #[error("the confidence level must be between 0 and 100, got {level}")]
    Level {
        /// The level.
        level: f64,
    },
}

/// Checks one claim.
///
/// # Examples
/// ```
/// use repool::check::{check, Claim, ClaimMeasure, FlagCode, Lang, Reported, Relevance};
/// // Seed 000: "-9,72 (-22,7 tot -6,69)", threshold -10, reported "not relevant".
/// let claim = Claim {
///     id: "oa".into(), measure: ClaimMeasure::MD,
///     estimate: Reported::parse("-9,72").unwrap(),
///     ci_low: Reported::parse("-22,7").unwrap(), ci_high: Reported::parse("-6,69").unwrap(),
///     level: 0.95, p: None, df: None, threshold: Some(-10.0), verdict: Some(false),
/// };
/// let r = check(&claim, Lang::En).unwrap();
/// let codes: Vec<_> = r.flags.iter().map(|f| f.code).collect();
/// assert_eq!(codes, vec![FlagCode::CiAsymmetric, FlagCode::VerdictMismatch]);
/// assert_eq!(r.relevance, Some(Relevance::C));
/// ```
pub fn check(c: &Claim, lang: Lang) -> Result<CheckResult, ClaimError> {
    let m = c.measure;
    if !(c.level > 0.0 && c.level < 1.0) {
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
        if let Some(t) = c.threshold {
            if t <= 0.0 {
                return Err(ClaimError::NonPositiveRatio {
                    what: "the threshold",
                    value: t.to_string(),
                });
            }
        }
    }
    if c.threshold == Some(m.null()) {
        return Err(ClaimError::ThresholdAtNull { null: m.null() });
    }
    // Rounding intervals; ratios are kept positive.
    let lo = |r: Reported| {
        if m.is_ratio() {
            r.lo().max(r.value * 1e-6)
        } else {
            r.lo()
        }
    };
    let (e, l, h) = (c.estimate, c.ci_low, c.ci_high);
    let crit = match c.df {
        Some(df) if df > 0.0 => dist::t_crit(c.level, df),
        _ => dist::z_crit(c.level),
    };
    let p_of = |est: f64, low: f64, high: f64| {
        let se = (m.g(high) - m.g(low)) / (2.0 * crit);
        let z = m.g(est) / se;
        match c.df {
            Some(df) if df > 0.0 => dist::p_t(z, df),
            _ => dist::p_normal(z),
        }
    };
    let (ge, gl, gh) = (m.g(e.value), m.g(l.value), m.g(h.value));
    let implied_se = (gh - gl) / (2.0 * crit);
    let implied_p = p_of(e.value, l.value, h.value);
    let asymmetry = ((gh - ge) - (ge - gl)) / (gh - gl);
    // Range of implied p over the corners of the rounding box (|z| is monotone in each
    // number except through est = null, where p reaches 1).
    let (mut pmin, mut pmax) = (f64::INFINITY, f64::NEG_INFINITY);
    for est in [lo(e), e.hi()] {
        for low in [lo(l), l.hi()] {
            for high in [lo(h), h.hi()] {
                if high > low {
                    let p = p_of(est, low, high);
                    pmin = pmin.min(p);
                    pmax = pmax.max(p);
                }
            }
        }
    }
    if lo(e) <= m.null() && m.null() <= e.hi() {
        pmax = 1.0;
    }
    let mut flags = Vec::new();
    // 1. Estimate inside its CI; symmetry.
    if e.hi() < lo(l) || lo(e) > h.hi() {
        flags.push(Flag {
            code: FlagCode::EstimateOutsideCi,
            message: messages::estimate_outside(lang, c),
        });
    } else {
        let two_e = (2.0 * m.g(lo(e)), 2.0 * m.g(e.hi()));
        let sum = (m.g(lo(l)) + m.g(lo(h)), m.g(l.hi()) + m.g(h.hi()));
        if two_e.1 < sum.0 || two_e.0 > sum.1 {
            // Which bound is the likely typo: the one whose symmetric replacement is
            // closest, digit by digit, to what was printed.
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
            flags.push(Flag {
                code: FlagCode::CiAsymmetric,
                message: messages::asymmetric(lang, c, asymmetry, implied_se, &suspect),
            });
        }
    }
    // 2. p vs CI.
    if let Some(p) = c.p {
        let (a, b) = p.interval();
        if b < pmin || a > pmax {
            flags.push(Flag {
                code: FlagCode::PMismatch,
                message: messages::p_mismatch(lang, &p, implied_p, (pmin, pmax)),
            });
        }
        // 3. Significance.
        let alpha = 1.0 - c.level;
        let p_sig = match p {
            ReportedP::Below(x) => x <= alpha + 1e-12,
            _ => b < alpha,
        };
        let p_nonsig = a >= alpha && !matches!(p, ReportedP::Below(_));
        let null = m.null();
        let ci_excludes = lo(l) > null || h.hi() < null;
        let ci_includes = l.hi() < null && null < lo(h);
        if (p_sig && ci_includes) || (p_nonsig && ci_excludes) {
            flags.push(Flag {
                code: FlagCode::SignificanceMismatch,
                message: messages::significance(lang, &p, c, p_sig),
            });
        }
    }
    // 4. Relevance.
    let (relevance, relevance_text) = match c.threshold {
        Some(t) => {
            let gt = m.g(t);
            let d = (gt - m.g(m.null())).signum();
            let (near, far) = if d > 0.0 { (l, h) } else { (h, l) };
            let cat =
                relevance_category(m.g(e.value), m.g(l.value), m.g(h.value), gt, m.g(m.null()));
            if let Some(v) = c.verdict {
                // Could rounding make the whole CI beyond (A) or short of (D) the threshold?
                let a_possible = if d > 0.0 {
                    m.g(near.hi()) >= gt
                } else {
                    m.g(lo(near)) <= gt
                };
                let d_possible = if d > 0.0 {
                    m.g(lo(far)) < gt
                } else {
                    m.g(far.hi()) > gt
                };
                if (v && !a_possible) || (!v && !d_possible) {
                    flags.push(Flag {
                        code: FlagCode::VerdictMismatch,
                        message: messages::verdict(lang, v, cat, t, m),
                    });
                }
            }
            (Some(cat), Some(messages::relevance(lang, cat, t)))
        }
        None => (None, None),
    };
    // 5. Imprecision.
    let null = m.null();
    let crosses_null = l.value < null && null < h.value;
    let crosses_t = c.threshold.is_some_and(|t| l.value < t && t < h.value);
    let imprecision = match (crosses_null, crosses_t) {
        (true, true) => Imprecision::Both,
        (true, false) => Imprecision::Null,
        (false, true) => Imprecision::Threshold,
        (false, false) => Imprecision::None,
    };
    Ok(CheckResult {
        flags,
        implied_se,
        implied_p,
        implied_p_range: (pmin, pmax),
        asymmetry,
        relevance,
        relevance_text,
        imprecision,
    })
}

/// Compares a transcribed result with the original paper's numbers (estimate, lower and
/// upper limit): a finding when any pair cannot be the same value printed with different
/// decimals (their rounding intervals do not overlap).
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

    // Hand calculation: SE = (3 - 1) / (2 × 1.959964) = 0.510214; z = 2 / SE = 3.919928;
    // p = 2 (1 - Φ(3.919928)) = 8.8575e-5.
    #[test]
    fn symmetric_interval_gives_se_and_p() {
        let r = check(&claim("MD", "2.0", "1.0", "3.0"), Lang::En).unwrap();
        assert!(r.flags.is_empty());
        assert!((r.implied_se - 0.510_213_5).abs() < 1e-6);
        assert!(
            (r.implied_p - 8.857_544e-5).abs() < 1e-10,
            "{}",
            r.implied_p
        );
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
        assert!((r.implied_p - 0.0137).abs() < 5e-4);
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

    #[test]
    fn digit_distance_counts_edits() {
        assert_eq!(digit_distance("-22.7", "-12.8"), 2);
        assert_eq!(digit_distance("1.16", "1.16"), 0);
    }
}
