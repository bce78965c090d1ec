//! Inverse-variance pooling: the common (fixed) effect with `w = 1/v`, and the
//! random-effects estimate with `w = 1/(v + τ²)`.
//!
//! # Formula
//! ```text
//! μ̂      = Σ w y / Σ w
//! SE(μ̂)  = sqrt(1 / Σ w)
//! ```
//!
//! # References
//! - Cochrane Handbook, version 6.4 (2023), sections 10.3.1 (inverse-variance method) and
//!   10.10.4 (random effects).
//! - Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
//!   Meta-Analysis, chapters 11–12. Wiley.

/// Inverse-variance weighted mean with weights `1/(v + tau2)`: returns `(μ̂, SE, weights)`,
/// the weights relative (summing to 1).
///
/// # Examples
/// ```
/// // Kacker (2004); metafor EE: b = 62.5833970939982, se = 0.107845705498231.
/// let y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9];
/// let v = [0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225];
/// let (mu, se, w) = repool::pool::common::inverse_variance(&y, &v, 0.0);
/// assert!((mu - 62.5833970939982).abs() < 1e-10);
/// assert!((se - 0.107845705498231).abs() < 1e-12);
/// assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// ```
pub fn inverse_variance(y: &[f64], v: &[f64], tau2: f64) -> (f64, f64, Vec<f64>) {
    let w: Vec<f64> = v.iter().map(|&vi| 1.0 / (vi + tau2)).collect();
    let sw: f64 = w.iter().sum();
    // Relative weights first: with one study the weight is exactly 1 and μ̂ = y exactly.
    let rel: Vec<f64> = w.iter().map(|wi| wi / sw).collect();
    let mu = rel.iter().zip(y).map(|(p, yi)| p * yi).sum::<f64>();
    (mu, (1.0 / sw).sqrt(), rel)
}
