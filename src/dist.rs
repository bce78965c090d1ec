//! Reference distributions: critical values and two-sided p-values (standard normal,
//! Student's t, chi-squared), computed with `statrs`.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

/// Two-sided critical value of the standard normal distribution for a confidence `level`
/// in (0, 1): `z` with `P(|Z| <= z) = level`.
///
/// # Examples
/// ```
/// let z = repool::dist::z_crit(0.95);
/// assert!((z - 1.959963984540054).abs() < 1e-12);
/// ```
pub fn z_crit(level: f64) -> f64 {
    let n = Normal::standard();
    n.inverse_cdf(1.0 - (1.0 - level) / 2.0)
}

/// Two-sided critical value of Student's t distribution with `df` degrees of freedom.
///
/// The quantile from `statrs` is refined by Newton steps on the distribution function,
/// so that it is accurate to close to machine precision.
///
/// # Examples
/// ```
/// let t = repool::dist::t_crit(0.95, 4.0);
/// assert!((t - 2.7764451051977987).abs() < 1e-10);
/// ```
pub fn t_crit(level: f64, df: f64) -> f64 {
    let t = StudentsT::new(0.0, 1.0, df).expect("degrees of freedom must be positive");
    let p = 1.0 - (1.0 - level) / 2.0;
    let mut x = t.inverse_cdf(p);
    for _ in 0..4 {
        let f = t.cdf(x) - p;
        let d = statrs::distribution::Continuous::pdf(&t, x);
        if d <= 0.0 || !d.is_finite() {
            break;
        }
        let step = f / d;
        x -= step;
        if step.abs() <= 1e-15 * x.abs().max(1.0) {
            break;
        }
    }
    x
}

/// Two-sided p-value of a standard normal test statistic.
pub fn p_normal(z: f64) -> f64 {
    2.0 * Normal::standard().sf(z.abs())
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom.
pub fn p_t(t: f64, df: f64) -> f64 {
    let d = StudentsT::new(0.0, 1.0, df).expect("degrees of freedom must be positive");
    2.0 * d.sf(t.abs())
}

/// Upper-tail probability of the chi-squared distribution, `P(X >= q)` with `df` degrees
/// of freedom (the p-value of Cochran's Q).
pub fn chi2_sf(q: f64, df: f64) -> f64 {
    let d = ChiSquared::new(df).expect("degrees of freedom must be positive");
    d.sf(q.max(0.0))
}
