//! Hartung–Knapp–Sidik–Jonkman (HKSJ) confidence interval for the pooled effect.
//!
//! # Formula
//! ```text
//! w*   = 1 / (v + τ²),  μ̂ = Σ w* y / Σ w*
//! s²   = Σ w* (y - μ̂)² / (k - 1)
//! SE   = sqrt(s² / Σ w*)                  (plain HKSJ; s² = 0 when the residual sum is 0)
//! SE   = sqrt(max(1, s²) / Σ w*)          (ad hoc variant: never narrower than the z CI)
//! CI   = μ̂ ± t(k - 1, 1 - α/2) SE,  test statistic t with k - 1 df
//! ```
//!
//! # References
//! - Hartung J, Knapp G (2001). A refined method for the meta-analysis of controlled
//!   clinical trials with binary outcome. Stat Med 20:3875–3889.
//! - Sidik K, Jonkman JN (2002). A simple confidence interval for meta-analysis. Stat Med
//!   21:3153–3159.
//! - Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression with
//!   a single covariate. Stat Med 22:2693–2710 (the ad hoc modification).
//! - Röver C, Knapp G, Friede T (2015). Hartung-Knapp-Sidik-Jonkman approach and its
//!   modification for random-effects meta-analysis with few studies. BMC Med Res Methodol 15:99.
//! - Cochrane Handbook, version 6.4 (2023), section 10.10.4.2; metafor `rma(test = "knha")`
//!   and `test = "adhoc"`.

/// The HKSJ variance multiplier `s²` (see the module documentation); `adhoc` truncates it
/// below at 1. Needs `k ≥ 2`.
pub fn scale_factor(y: &[f64], v: &[f64], tau2: f64, mu: f64, adhoc: bool) -> f64 {
    let k = y.len() as f64;
    let rss: f64 = y
        .iter()
        .zip(v)
        .map(|(yi, vi)| (yi - mu) * (yi - mu) / (vi + tau2))
        .sum();
    let s2 = if rss <= f64::EPSILON {
        0.0
    } else {
        rss / (k - 1.0)
    };
    if adhoc {
        s2.max(1.0)
    } else {
        s2
    }
}
