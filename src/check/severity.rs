//! How serious a finding is: an **error** when no interval method explains it, a
//! **warning** when a non-Wald interval (profile likelihood, exact, Bayesian) or a t-based
//! interval with unstated degrees of freedom can.
//!
//! Rounding, including the rounding of a transformed scale, is never a finding: every check
//! maps the rounding interval of each printed number onto the analysis scale (a ratio printed
//! with two decimals is rounded on the ratio scale, its symmetry is on the log scale) and
//! raises a finding only when no values that round to the printed ones are consistent. The
//! grading is therefore about the *method* behind the numbers.
//!
//! # Each finding
//! - `estimate_outside_ci`: always an error. Every interval method keeps its own estimate
//!   inside its interval (the MLE inside its profile-likelihood interval, the conditional
//!   MLE inside the exact conditional one, the posterior median inside the equal-tailed
//!   credible interval).
//! - `ci_asymmetric`: a warning when the smallest asymmetry that the rounding allows is at
//!   most [`ASYMMETRY_ERROR`] (half of the width), an error above it. See below.
//! - `p_mismatch`: for a symmetric CI the p is compared with the Wald reading (z, or t with
//!   the given `df`); for an asymmetric CI with every standard error between those implied by
//!   its lower and its upper half (a Wald test's SE lies between them: in all ten
//!   profile-likelihood intervals of a log OR in `tests/check/asymmetry.txt`). A p that fits
//!   none of these is a warning when no `df` is given and a t reading with at least one
//!   degree of freedom fits it (Knapp–Hartung with few studies: as `df` falls, the p implied
//!   by the same printed CI moves from the z value towards α), an error otherwise.
//! - `significance_mismatch`: an error when the reported p fits no reading of the CI (then
//!   `p_mismatch` is an error too); a warning when some reading fits it, so that the
//!   disagreement sits at the α boundary, where a test that is not the inversion of the
//!   printed interval (an exact, score or likelihood-ratio p beside a Wald CI) can fall on the
//!   other side.
//! - `verdict_mismatch`: always an error: the verdict is checked against the printed CI
//!   itself, whatever method made it.
//! - `transcription_mismatch`: always an error: no method turns one printed number into
//!   another.
//!
//! # The asymmetry cut-off
//! Asymmetry is `a = ((upper − est) − (est − lower)) / (upper − lower)` on the analysis scale
//! (log for ratios); `|a| = 1/3` means one half is twice the other, `|a| = 1/2` three times.
//! `tests/check/asymmetry.R` (output in `tests/check/asymmetry.txt`, R 4.2, metafor, MASS)
//! computes it for common intervals; the largest `|a|` of each kind:
//!
//! | interval | largest asymmetry | where |
//! |---|---|---|
//! | Wald, t-based, Knapp–Hartung (any k) | 0 | symmetric on the analysis scale by construction |
//! | exact noncentral-t CI of an SMD (Hedges & Olkin 1985), 10–30 per arm | 0.014 | d = 1.2, 10 per arm |
//! | Newcombe hybrid-score CI of an RD | 0.19 | 1/10 vs 5/10; 0.09 at 1/100 vs 8/100, otherwise ≤ 0.03 |
//! | profile-likelihood CI of a single trial's log OR | 0.26 | 1/100 vs 8/100; 0.06 at 5/50 vs 12/50 |
//! | exact conditional (Fisher) CI of a log OR | 0.30 | 1/100 vs 8/100; 0.06 at 5/50 vs 12/50 |
//! | Clopper–Pearson CI of one arm's log risk | 0.42 | 1 event in 10 |
//! | Bayesian credible interval of a pooled log RR | 0.21 | 3 heterogeneous BCG trials; ≤ 0.03 for 5 or 13 |
//! | profile-likelihood CI of a pooled log RR | 0.45 | the same 3 trials (τ̂² = 0 at the ML); ≤ 0.05 otherwise |
//!
//! Pooled results from five or more studies stay within 0.05; single trials with one or two
//! events reach 0.13–0.30 (0.42 for one arm's exact interval), three heterogeneous trials
//! 0.21 (Bayesian) and 0.45 (profile likelihood). No interval computed reaches one half three
//! times the other (`|a| = 0.5`), which is the cut-off; a printed interval beyond it
//! (`RR 1.23 (1.16–2.07)`, `|a| = 0.80`) is most likely a typo. Bayesian network
//! meta-analyses give credible intervals of the same kind as the pairwise Bayesian ones (not
//! computed here); frequentist network estimates (as `repool network`) have Wald intervals.
//!
//! References: Hardy RJ, Thompson SG (1996). A likelihood approach to meta-analysis with
//! random effects. Stat Med 15:619–629. Venables WN, Ripley BD (2002). Modern Applied
//! Statistics with S, 4th ed. (profile-likelihood CIs of glm coefficients, MASS).
//! Clopper CJ, Pearson ES (1934). The use of confidence or fiducial limits illustrated in the
//! case of the binomial. Biometrika 26:404–413. Newcombe RG (1998). Interval estimation for
//! the difference between independent proportions: comparison of eleven methods. Stat Med
//! 17:873–890. Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis. Academic
//! Press. Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression
//! with a single covariate. Stat Med 22:2693–2710. Röver C (2020). Bayesian random-effects
//! meta-analysis using the bayesmeta R package. J Stat Softw 93(6):1–51.

/// The asymmetry (fraction of the CI's width, analysis scale) above which `ci_asymmetric`
/// is an error: one half three times the other. See the module documentation.
pub const ASYMMETRY_ERROR: f64 = 0.5;

/// How serious a finding is (ordered: a warning is less serious than an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A non-Wald or t-based interval could explain it.
    Warning,
    /// No interval method explains it.
    Error,
}

impl Severity {
    /// `warning` or `error` (the contract scripts rely on).
    pub fn code(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses [`Severity::code`].
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// The severity of `ci_asymmetric` from the smallest asymmetry the rounding allows.
///
/// ```
/// use repool::check::severity::{asymmetry_severity, Severity};
/// assert_eq!(asymmetry_severity(0.04), Severity::Warning);
/// assert_eq!(asymmetry_severity(0.80), Severity::Error);
/// ```
pub fn asymmetry_severity(min_asymmetry: f64) -> Severity {
    if min_asymmetry.abs() > ASYMMETRY_ERROR {
        Severity::Error
    } else {
        Severity::Warning
    }
}
