//! The optimal information size (OIS): the number of participants a single adequately
//! powered trial would need, against which GRADE judges a pooled sample.
//!
//! # Formulas
//! Two-sided α and power 1 − β (GRADE: α = 0.05, β = 0.20), `z_a = Φ⁻¹(1 − α/2)`,
//! `z_b = Φ⁻¹(1 − β)`:
//! ```text
//! binary:      n per arm = [z_a √(2 p̄(1 − p̄)) + z_b √(p_c(1 − p_c) + p_t(1 − p_t))]² / (p_c − p_t)²,
//!              p_t = p_c · (1 − RRR), p̄ = (p_c + p_t)/2, RRR = 25 % by default
//!              (the chi-squared test of two proportions, Fleiss et al. 2003, eq. 4.14,
//!              without continuity correction)
//! continuous:  n per arm = 2 (z_a + z_b)² · σ² / Δ²
//! OIS = 2 · n per arm, rounded up
//! ```
//! For a continuous outcome without a threshold Δ the GRADE rule of thumb of 400
//! participants applies.
//!
//! # When the OIS matters
//! A CI that is clear of every threshold is usually precise enough. The exception is a
//! large effect from a small sample with few events: the CI may then look robust while the
//! effect is likely overestimated, and GRADE asks for the OIS (Guyatt et al. 2011, GRADE 6,
//! section 6; Core GRADE 2, 2025: "whenever the effect is large (and for binary outcomes
//! this can mean a relative risk reduction greater than 30%) ... consider invoking the
//! optimal information size"). For ratio measures the OIS is therefore applied only when
//! the pooled ratio is a relative change of more than 30 % ([`LARGE_RELATIVE_CHANGE`]);
//! for risk differences and continuous measures, where GRADE gives no such cut-off, it is
//! applied whenever the CI is clear (GRADE 6: "initially considering the upper and lower
//! limits of the CI, and subsequently calculating an OIS").
//!
//! # References
//! - Fleiss JL, Levin B, Paik MC (2003). Statistical Methods for Rates and Proportions, 3rd
//!   ed. Hoboken, NJ: Wiley; section 4.2.
//! - Guyatt GH, Oxman AD, Kunz R, et al. (2011). GRADE guidelines 6. Rating the quality of
//!   evidence—imprecision. J Clin Epidemiol 64:1283–1293. doi:10.1016/j.jclinepi.2011.01.012
//! - Guyatt G, Zeng L, Brignardello-Petersen R, et al. (2025). Core GRADE 2: choosing the
//!   target of certainty rating and assessing imprecision. BMJ 389:e081904.
//!   doi:10.1136/bmj-2024-081904 (OIS when an effect is large; RRR 20–25 %).

use crate::dist::z_crit;

/// GRADE's α (two-sided) and β for the OIS.
pub const ALPHA: f64 = 0.05;
/// GRADE's β (power 80 %).
pub const BETA: f64 = 0.20;
/// The relative risk reduction the binary OIS is planned for.
pub const RRR: f64 = 0.25;
/// The relative change (RRR or relative increase) above which a ratio is a large effect and
/// the OIS is applied (Core GRADE 2: "a relative risk reduction greater than 30%").
pub const LARGE_RELATIVE_CHANGE: f64 = 0.30;

/// Whether the OIS applies to a pooled effect `ratio` (display scale) of a ratio measure:
/// a relative change of more than [`LARGE_RELATIVE_CHANGE`], either way.
///
/// ```
/// use repool::sof::ois::needed_for_ratio;
/// assert!(needed_for_ratio(0.6) && needed_for_ratio(1.4));
/// assert!(!needed_for_ratio(0.8) && !needed_for_ratio(1.2));
/// ```
pub fn needed_for_ratio(ratio: f64) -> bool {
    (ratio - 1.0).abs() > LARGE_RELATIVE_CHANGE
}

/// GRADE's rule of thumb for continuous outcomes without a threshold: 400 participants.
pub const CONTINUOUS_RULE_OF_THUMB: f64 = 400.0;

fn z_a() -> f64 {
    z_crit(1.0 - ALPHA)
}

fn z_b() -> f64 {
    z_crit(1.0 - 2.0 * BETA)
}

/// The OIS (participants, both arms) for a binary outcome with control risk `p_c` and the
/// relative risk reduction `rrr`; `None` when the risk is not strictly between 0 and 1.
///
/// ```
/// // Control risk 20 %, RRR 25 % (15 % with the intervention): 906 per arm.
/// let n = repool::sof::ois::binary(0.2, 0.25).unwrap();
/// assert_eq!(n, 2.0 * 906.0);
/// ```
pub fn binary(p_c: f64, rrr: f64) -> Option<f64> {
    if !(p_c > 0.0 && p_c < 1.0 && rrr > 0.0 && rrr < 1.0) {
        return None;
    }
    let p_t = p_c * (1.0 - rrr);
    let p_bar = (p_c + p_t) / 2.0;
    let null_sd = (2.0 * p_bar * (1.0 - p_bar)).sqrt();
    let alt_sd = (p_c * (1.0 - p_c) + p_t * (1.0 - p_t)).sqrt();
    let per_arm = (z_a() * null_sd + z_b() * alt_sd).powi(2) / (p_c - p_t).powi(2);
    Some(2.0 * per_arm.ceil())
}

/// The OIS (participants, both arms) for a continuous outcome with SD `sigma` and the
/// difference `delta` to detect; `None` unless both are positive and finite.
///
/// ```
/// // Δ = 0.5 SD: 63 per arm.
/// assert_eq!(repool::sof::ois::continuous(1.0, 0.5), Some(126.0));
/// ```
pub fn continuous(sigma: f64, delta: f64) -> Option<f64> {
    let ok = |x: f64| x.is_finite() && x > 0.0;
    if !(ok(sigma) && ok(delta.abs())) {
        return None;
    }
    let per_arm = 2.0 * (z_a() + z_b()).powi(2) * sigma.powi(2) / delta.powi(2);
    Some(2.0 * per_arm.ceil())
}
