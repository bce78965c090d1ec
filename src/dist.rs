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
    cached(0, level, 0.0, || {
        Normal::standard().inverse_cdf(1.0 - (1.0 - level) / 2.0)
    })
}

/// Quantiles are inverted numerically, which costs microseconds; a batch of many analyses
/// asks for the same few again and again, so they are kept per thread.
fn cached(kind: u8, a: f64, b: f64, f: impl FnOnce() -> f64) -> f64 {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static CACHE: RefCell<HashMap<(u8, u64, u64), f64>> = RefCell::new(HashMap::new());
    }
    let key = (kind, a.to_bits(), b.to_bits());
    if let Some(v) = CACHE.with(|c| c.borrow().get(&key).copied()) {
        return v;
    }
    let v = f();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 10_000 {
            c.clear();
        }
        c.insert(key, v);
    });
    v
}

/// Quantile `p` of the chi-squared distribution with `df` degrees of freedom.
pub fn chi2_quantile(p: f64, df: f64) -> f64 {
    cached(2, p, df, || {
        ChiSquared::new(df)
            .expect("degrees of freedom must be positive")
            .inverse_cdf(p)
    })
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
    cached(1, level, df, || t_crit_uncached(level, df))
}

fn t_crit_uncached(level: f64, df: f64) -> f64 {
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

/// The standard normal distribution function Φ(z).
pub fn normal_cdf(z: f64) -> f64 {
    Normal::standard().cdf(z)
}

/// Two-sided p-value of a standard normal test statistic (`NaN` for a statistic that is not
/// a number, so that the result checks catch it).
pub fn p_normal(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    2.0 * Normal::standard().sf(z.abs())
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom (`NaN` for a statistic
/// that is not a number, where `statrs` would panic).
///
/// ```
/// assert!(repool::dist::p_t(f64::NAN, 3.0).is_nan());
/// ```
pub fn p_t(t: f64, df: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    let d = StudentsT::new(0.0, 1.0, df).expect("degrees of freedom must be positive");
    2.0 * d.sf(t.abs())
}

/// Upper-tail probability of the chi-squared distribution, `P(X >= q)` with `df` degrees
/// of freedom (the p-value of Cochran's Q). `NaN` for a statistic that is not a number,
/// never the 1 of a statistic of 0.
///
/// ```
/// assert!(repool::dist::chi2_sf(f64::NAN, 2.0).is_nan());
/// ```
pub fn chi2_sf(q: f64, df: f64) -> f64 {
    if q.is_nan() {
        return f64::NAN;
    }
    let d = ChiSquared::new(df).expect("degrees of freedom must be positive");
    d.sf(q.max(0.0))
}
