//! Heterogeneity statistics: Cochran's Q, I², H², τ.
//!
//! # Formula
//! ```text
//! Q   = Σ w (y - μ̂)²,  w = 1/v, μ̂ the common-effect estimate  (df = k - 1)
//! p   = P(χ²(k - 1) ≥ Q)
//! I²  (τ²-based, metafor's default for random-effects models):
//!       s² = (k - 1) / (Σw - Σw²/Σw)          "typical" within-study variance
//!       I² = 100 τ² / (s² + τ²),    H² = (s² + τ²) / s²
//! I²  (Q-based, RevMan 5 and metafor's common-effect models):
//!       I² = 100 max(0, (Q - df) / Q),  H² = Q / df
//! ```
//! With the Mantel–Haenszel method, μ̂ is the MH estimate and `y, v` are the studies' own
//! (continuity-corrected) effects, as in RevMan 5 and metafor's `rma.mh`; with Peto's
//! method, Q is Peto's statistic from the uncorrected tables ([`super::peto::q_statistic`]).
//!
//! # References
//! - Cochran WG (1954). The combination of estimates from different experiments.
//!   Biometrics 10:101–129.
//! - Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis.
//!   Stat Med 21:1539–1558.
//! - Cochrane Handbook, version 6.4 (2023), section 10.10.2; metafor `rma()` (`I2`, `H2`).

use crate::dist;

/// Which definition of I² (and H²) is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum I2Method {
    /// From τ² and the typical within-study variance (metafor, random effects).
    Tau2,
    /// `(Q - df)/Q` (RevMan 5; metafor for common-effect models).
    Q,
}

/// Heterogeneity of an analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Heterogeneity {
    /// Cochran's Q.
    pub q: f64,
    /// Its degrees of freedom, `k - 1`.
    pub df: usize,
    /// p-value of the test of homogeneity (1 when `k = 1`).
    pub p_value: f64,
    /// I² in percent.
    pub i2_percent: f64,
    /// H².
    pub h2: f64,
}

/// Cochran's Q of effects `y` with variances `v` around `mu`.
pub fn cochran_q(y: &[f64], v: &[f64], mu: f64) -> f64 {
    y.iter()
        .zip(v)
        .map(|(yi, vi)| (yi - mu) * (yi - mu) / vi)
        .sum::<f64>()
        .max(0.0)
}

/// The typical within-study variance `(k - 1) / (Σw - Σw²/Σw)` of Higgins & Thompson (2002).
pub fn typical_variance(v: &[f64]) -> f64 {
    let k = v.len() as f64;
    (k - 1.0) / crate::pool::tau2::trace_p(v.iter().map(|vi| 1.0 / vi))
}

/// Heterogeneity statistics given Q around the common estimate and, for `I2Method::Tau2`,
/// τ² (see the module documentation).
pub fn heterogeneity(q: f64, v: &[f64], tau2: Option<f64>, method: I2Method) -> Heterogeneity {
    let k = v.len();
    if k < 2 {
        return Heterogeneity {
            q: 0.0,
            df: 0,
            p_value: 1.0,
            i2_percent: 0.0,
            h2: 1.0,
        };
    }
    let df = k - 1;
    let p_value = dist::chi2_sf(q, df as f64);
    let (i2_percent, h2) = match (method, tau2) {
        (I2Method::Tau2, Some(tau2)) => {
            let s2 = typical_variance(v);
            (100.0 * tau2 / (s2 + tau2), (s2 + tau2) / s2)
        }
        _ => {
            let i2 = if q > 0.0 {
                (100.0 * (q - df as f64) / q).max(0.0)
            } else {
                0.0
            };
            (i2, q / df as f64)
        }
    };
    Heterogeneity {
        q,
        df,
        p_value,
        i2_percent,
        h2,
    }
}
