//! Reference distributions: critical values and two-sided p-values (standard normal,
//! Student's t, chi-squared, F), computed with `statrs`.
//!
//! Every function takes any `f64` without panicking: `statrs` panics inside its incomplete
//! beta and gamma functions on a NaN argument and refuses degrees of freedom that are not
//! positive, so a statistic or a parameter that is NaN (or degrees of freedom ≤ 0) gives NaN
//! here, which the callers report as a result that is not finite. An infinite statistic gives
//! the limit (p = 0).

use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// Degrees of freedom that `statrs` accepts.
fn valid_df(df: f64) -> bool {
    df > 0.0 && !df.is_nan()
}

/// Two-sided critical value of the standard normal distribution for a confidence `level`
/// in (0, 1): `z` with `P(|Z| <= z) = level`.
///
/// # Examples
/// ```
/// let z = repool::dist::z_crit(0.95);
/// assert!((z - 1.959963984540054).abs() < 1e-12);
/// ```
pub fn z_crit(level: f64) -> f64 {
    if !(level > 0.0 && level < 1.0) {
        return f64::NAN;
    }
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
    if !(valid_df(df) && (0.0..=1.0).contains(&p)) {
        return f64::NAN;
    }
    cached(2, p, df, || match ChiSquared::new(df) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
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
    if !(valid_df(df) && level > 0.0 && level < 1.0) {
        return f64::NAN;
    }
    cached(1, level, df, || t_crit_uncached(level, df))
}

fn t_crit_uncached(level: f64, df: f64) -> f64 {
    let Ok(t) = StudentsT::new(0.0, 1.0, df) else {
        return f64::NAN;
    };
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
    if t.is_nan() || !valid_df(df) {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => 2.0 * d.sf(t.abs()),
        Err(_) => f64::NAN,
    }
}

/// Upper-tail probability of the chi-squared distribution, `P(X >= q)` with `df` degrees
/// of freedom (the p-value of Cochran's Q). `NaN` for a statistic that is not a number,
/// never the 1 of a statistic of 0.
///
/// ```
/// assert!(repool::dist::chi2_sf(f64::NAN, 2.0).is_nan());
/// ```
pub fn chi2_sf(q: f64, df: f64) -> f64 {
    if q.is_nan() || !valid_df(df) {
        return f64::NAN;
    }
    if q == f64::INFINITY {
        return 0.0;
    }
    match ChiSquared::new(df) {
        Ok(d) => d.sf(q.max(0.0)),
        Err(_) => f64::NAN,
    }
}

/// Upper-tail probability of the F distribution with `df1` and `df2` degrees of freedom,
/// `P(X >= f)` (the p-value of an F test).
pub fn f_sf(f: f64, df1: f64, df2: f64) -> f64 {
    if f.is_nan() || !valid_df(df1) || !valid_df(df2) {
        return f64::NAN;
    }
    if f == f64::INFINITY {
        return 0.0;
    }
    match FisherSnedecor::new(df1, df2) {
        Ok(d) => d.sf(f.max(0.0)),
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// statrs panics on these (a NaN inside its incomplete beta and gamma functions, degrees
    /// of freedom ≤ 0); here they are NaN or the limit.
    #[test]
    fn invalid_arguments_give_nan_not_a_panic() {
        assert!(p_t(f64::NAN, 3.0).is_nan());
        assert!(p_t(1.0, 0.0).is_nan());
        assert!(p_t(1.0, f64::NAN).is_nan());
        assert_eq!(p_t(f64::INFINITY, 3.0), 0.0);
        assert!(chi2_sf(f64::NAN, 2.0).is_nan());
        assert!(chi2_sf(1.0, -1.0).is_nan());
        assert_eq!(chi2_sf(f64::INFINITY, 2.0), 0.0);
        assert!(f_sf(f64::NAN, 1.0, 3.0).is_nan());
        assert!(f_sf(1.0, 1.0, 0.0).is_nan());
        assert!(t_crit(0.95, 0.0).is_nan());
        assert!(t_crit(f64::NAN, 3.0).is_nan());
        assert!(chi2_quantile(0.5, 0.0).is_nan());
        assert!(chi2_quantile(f64::NAN, 1.0).is_nan());
        assert!(z_crit(1.5).is_nan());
        assert!(p_normal(f64::NAN).is_nan());
        assert!((f_sf(2.0, 1.0, 10.0) - p_t(2f64.sqrt(), 10.0)).abs() < 1e-12);
    }
}
