//! Confidence intervals for the heterogeneity: τ² by the Q-profile method (and I², H²
//! from its limits), and the Higgins–Thompson test-based interval for I².
//!
//! # Formula
//! Q-profile (metafor `confint()` default): with the generalised Q statistic
//! `Q(τ²) = Σ w (y − μ̂)²`, `w = 1/(v + τ²)`, which decreases in τ²,
//! ```text
//! lower limit: Q(τ²_L) = χ²(k − 1; 1 − α/2)    (0 when Q(0) is below it)
//! upper limit: Q(τ²_U) = χ²(k − 1; α/2)        (0 when Q(0) is below it)
//! I² = 100 τ² / (s² + τ²),   H² = (s² + τ²) / s²   at each limit (s² the typical variance)
//! ```
//! Higgins–Thompson (RevMan, R meta): `H = sqrt(Q/df)` and
//! ```text
//! SE(ln H) = ½ (ln Q − ln df) / (sqrt(2Q) − sqrt(2k − 3))          if Q > k
//!          = sqrt( 1/(2(k − 2)) · (1 − 1/(3(k − 2)²)) )             otherwise
//! H limits = exp(ln H ± z SE),   I² limits = 100 max(0, (H² − 1)/H²)
//! ```
//!
//! # References
//! - Viechtbauer W (2007). Confidence intervals for the amount of heterogeneity in
//!   meta-analysis. Stat Med 26:37–52.
//! - Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis. Stat Med
//!   21:1539–1558 (appendix: the test-based interval).
//! - Cochrane Handbook, version 6.4 (2023), section 10.10.2; metafor `confint.rma.uni()`.

use super::heterogeneity::typical_variance;
use super::tau2::{solve_decreasing, sums, Quiet, Tau2Method};

/// Q-profile interval for τ² at confidence `level`; needs `k ≥ 2`. `None` when a limit
/// cannot be found.
///
/// # Examples
/// ```
/// // BCG trials (log RR), metafor confint(): tau^2 in [0.1197183611, 1.1114790841].
/// let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/data/bcg.csv")).unwrap();
/// let opts = repool::io::read::ReadOptions { measure: Some(repool::Measure::LogRiskRatio), ..Default::default() };
/// let a = repool::io::read::read_str(&csv, "bcg.csv", &opts).unwrap().remove(0).studies.unwrap();
/// let e: Vec<_> = a.iter().map(|s| match repool::effect::compute(repool::Measure::LogRiskRatio, &s.data, &Default::default(), false).unwrap() {
///     repool::effect::Computed::Effect { effect, .. } => effect, _ => unreachable!() }).collect();
/// let y: Vec<f64> = e.iter().map(|e| e.yi()).collect();
/// let v: Vec<f64> = e.iter().map(|e| e.vi()).collect();
/// let (lo, hi) = repool::pool::tau2_ci::q_profile(&y, &v, 0.95).unwrap();
/// assert!((lo - 0.1197183611).abs() < 1e-8 && (hi - 1.1114790841).abs() < 1e-8);
/// ```
pub fn q_profile(y: &[f64], v: &[f64], level: f64) -> Option<(f64, f64)> {
    q_profile_from(y, v, level, None)
}

/// As [`q_profile`], starting the search at `hint` (an estimate of τ²), which saves
/// iterations in large batches.
pub fn q_profile_from(y: &[f64], v: &[f64], level: f64, hint: Option<f64>) -> Option<(f64, f64)> {
    let k = y.len();
    if k < 2 {
        return None;
    }
    let df = (k - 1) as f64;
    let alpha = 1.0 - level;
    let q_lower = crate::dist::chi2_quantile(1.0 - alpha / 2.0, df);
    let q_upper = crate::dist::chi2_quantile(alpha / 2.0, df);
    let q0 = sums(y, v, 0.0).q;
    let scale = {
        let mean = y.iter().sum::<f64>() / k as f64;
        y.iter().map(|yi| (yi - mean) * (yi - mean)).sum::<f64>() / k as f64
    };
    let solve = |target: f64, start: f64| -> Option<f64> {
        if q0 <= target {
            return Some(0.0);
        }
        let f = |t: f64| {
            let (q, sw2r2) = q_and_slope(y, v, t);
            (q - target, -sw2r2, q.max(target))
        };
        solve_decreasing(Tau2Method::PM, f, start, scale.max(start), &mut Quiet)
            .ok()
            .map(|r| r.0)
    };
    let h = hint.filter(|h| *h > 0.0).unwrap_or(scale).max(1e-12);
    Some((solve(q_lower, 0.5 * h)?, solve(q_upper, 2.0 * h)?))
}

/// The generalised `Q(τ²) = Σw(y − μ̂)²` and `Σw²(y − μ̂)²` (minus its slope), accumulated as
/// [`sums`] accumulates them, without the sums the profile does not need.
fn q_and_slope(y: &[f64], v: &[f64], tau2: f64) -> (f64, f64) {
    let (mut sw, mut swy) = (0.0, 0.0);
    for (&yi, &vi) in y.iter().zip(v) {
        let w = 1.0 / (vi + tau2);
        sw += w;
        swy += w * yi;
    }
    let mu = swy / sw;
    let (mut q, mut sw2r2) = (0.0, 0.0);
    for (&yi, &vi) in y.iter().zip(v) {
        let w = 1.0 / (vi + tau2);
        let r = yi - mu;
        q += w * r * r;
        sw2r2 += w * w * r * r;
    }
    (q, sw2r2)
}

/// I² (percent) and H² at a τ² value, from the typical within-study variance of `v`.
pub fn i2_h2_at(v: &[f64], tau2: f64) -> (f64, f64) {
    let s2 = typical_variance(v);
    (100.0 * tau2 / (s2 + tau2), (s2 + tau2) / s2)
}

/// Higgins–Thompson test-based interval for I² (percent) from Q and k; needs `k ≥ 3`
/// (the variance formula has k − 2 in a denominator).
///
/// # Examples
/// ```
/// let (lo, hi) = repool::pool::tau2_ci::higgins_thompson_i2(152.2330, 13, 0.95).unwrap();
/// assert!(lo > 80.0 && hi < 97.0 && lo < hi);
/// ```
pub fn higgins_thompson_i2(q: f64, k: usize, level: f64) -> Option<(f64, f64)> {
    if k < 3 || !(q > 0.0) {
        return None;
    }
    let df = (k - 1) as f64;
    let kf = k as f64;
    let ln_h = 0.5 * (q / df).ln();
    let se = if q > kf {
        0.5 * (q.ln() - df.ln()) / ((2.0 * q).sqrt() - (2.0 * kf - 3.0).sqrt())
    } else {
        ((1.0 / (2.0 * (kf - 2.0))) * (1.0 - 1.0 / (3.0 * (kf - 2.0).powi(2)))).sqrt()
    };
    let z = crate::dist::z_crit(level);
    let i2 = |ln_h: f64| {
        let h2 = (2.0 * ln_h).exp();
        (100.0 * (h2 - 1.0) / h2).max(0.0)
    };
    Some((i2(ln_h - z * se), i2(ln_h + z * se)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_sums_are_those_of_the_full_sums_to_the_bit() {
        let y = [0.0, 10.0, -7.0, 3.0, 0.25, -1e-3, 1e3];
        let v = [0.001, 5.0, 2.0, 0.3, 1e-9, 7.5, 1e4];
        for k in 2..=y.len() {
            for t in [0.0, 1e-12, 1e-3, 0.5, 3.7, 1e9] {
                let full = sums(&y[..k], &v[..k], t);
                let (q, sw2r2) = q_and_slope(&y[..k], &v[..k], t);
                assert_eq!(q.to_bits(), full.q.to_bits());
                assert_eq!(sw2r2.to_bits(), full.sw2r2.to_bits());
            }
        }
    }
}
