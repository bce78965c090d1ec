//! Standardised mean difference as Hedges' g.
//!
//! # Formula
//! ```text
//! s  = sqrt( ((n1 - 1) sd1² + (n2 - 1) sd2²) / (n1 + n2 - 2) )      pooled SD
//! d  = (m1 - m2) / s                                                 Cohen's d
//! exact (default, metafor):
//!   m  = n1 + n2 - 2
//!   J  = Γ(m/2) / ( sqrt(m/2) Γ((m-1)/2) )
//!   g  = J d
//!   vi = 1/n1 + 1/n2 + g² / (2 (n1 + n2))
//! approx (RevMan 5):
//!   N  = n1 + n2
//!   g  = d (1 - 3 / (4N - 9))
//!   vi = N / (n1 n2) + g² / (2 (N - 3.94))
//! ```
//!
//! # References
//! - Hedges LV (1981). Distribution theory for Glass's estimator of effect size and
//!   related estimators. J Educ Stat 6:107–128 (exact correction J).
//! - metafor `escalc(measure = "SMD")`, default `vtype = "LS"`.
//! - Deeks JJ, Higgins JPT (2010). Statistical algorithms in Review Manager 5, section
//!   "Standardised mean difference" (the approximation used by RevMan 5).
//! - Cochrane Handbook, version 6.4 (2023), section 6.5.1.2.

use super::EffectError;

/// Which small-sample correction Hedges' g uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmdCorrection {
    /// Exact gamma-function correction and large-sample variance (metafor).
    Exact,
    /// `1 - 3/(4N - 9)` and RevMan 5's variance.
    Approx,
}

/// Hedges' g and its variance (see the module documentation).
///
/// # Examples
/// ```
/// use repool::effect::smd::{hedges_g, SmdCorrection};
/// let (g, _) = hedges_g(55.0, 47.0, 155.0, 75.0, 64.0, 156.0, SmdCorrection::Exact).unwrap();
/// // metafor escalc(measure = "SMD"), dat.normand1999 study 1: yi = -0.355169640940107.
/// assert!((g - (-0.355169640940107)).abs() < 1e-12);
/// ```
pub fn hedges_g(
    m1: f64,
    sd1: f64,
    n1: f64,
    m2: f64,
    sd2: f64,
    n2: f64,
    correction: SmdCorrection,
) -> Result<(f64, f64), EffectError> {
    let nt = n1 + n2;
    if nt <= 3.0 {
        return Err(EffectError::SmdUndefined {
            detail: format!("needs more than 3 participants in both arms together, got {nt}"),
        });
    }
    let s = super::md::pooled_variance(sd1, n1, sd2, n2).sqrt();
    if !(s > 0.0) {
        return Err(EffectError::SmdUndefined {
            detail: "the pooled standard deviation is 0".into(),
        });
    }
    let d = (m1 - m2) / s;
    Ok(match correction {
        SmdCorrection::Exact => {
            let g = exact_j(nt - 2.0) * d;
            (g, 1.0 / n1 + 1.0 / n2 + g * g / (2.0 * nt))
        }
        SmdCorrection::Approx => {
            let g = d * (1.0 - 3.0 / (4.0 * nt - 9.0));
            (g, nt / (n1 * n2) + g * g / (2.0 * (nt - 3.94)))
        }
    })
}

/// The exact bias-correction factor `J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2))` (Hedges 1981),
/// computed on the log scale so that it does not overflow for large `m`.
pub fn exact_j(m: f64) -> f64 {
    use statrs::function::gamma::ln_gamma;
    (ln_gamma(m / 2.0) - (m / 2.0).sqrt().ln() - ln_gamma((m - 1.0) / 2.0)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hand calculation: m1 = 10, m2 = 8, sd = 2 in both arms of 10, so s = 2, d = 1, N = 20.
    #[test]
    fn revman_approximation() {
        let (g, v) = hedges_g(10.0, 2.0, 10.0, 8.0, 2.0, 10.0, SmdCorrection::Approx).unwrap();
        let j = 1.0 - 3.0 / 71.0;
        assert!((g - j).abs() < 1e-15);
        assert!((v - (20.0 / 100.0 + j * j / (2.0 * 16.06))).abs() < 1e-15);
    }

    // J(m) by its definition with the gamma function for a small m: J(4) = Γ(2)/(√2 Γ(1.5)).
    #[test]
    fn exact_correction_factor() {
        let want = 1.0 / (2.0f64.sqrt() * 0.886_226_925_452_758);
        assert!((exact_j(4.0) - want).abs() < 1e-12);
    }

    #[test]
    fn zero_pooled_sd_is_an_error() {
        assert!(hedges_g(1.0, 0.0, 10.0, 2.0, 0.0, 10.0, SmdCorrection::Exact).is_err());
    }
}
