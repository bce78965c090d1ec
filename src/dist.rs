//! Reference distributions: critical values and two-sided p-values (standard normal,
//! Student's t, chi-squared, F), computed with `statrs`.
//!
//! Every function takes any `f64` without panicking: `statrs` panics inside its incomplete
//! beta and gamma functions on a NaN argument and refuses degrees of freedom that are not
//! positive, so a statistic or a parameter that is NaN (or degrees of freedom ≤ 0) gives NaN
//! here, which the callers report as a result that is not finite. An infinite statistic gives
//! the limit (p = 0).

use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// Degrees of freedom that `statrs` accepts (Student's t takes ∞ as the normal
/// distribution, here; chi-squared and F degrees of freedom are counts).
fn valid_df(df: f64) -> bool {
    df > 0.0 && !df.is_nan()
}

/// Finite degrees of freedom, for chi-squared and F.
fn finite_df(df: f64) -> bool {
    valid_df(df) && df.is_finite()
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
    // A batch asks for a handful of quantiles: a short list searched from the most recent
    // is faster than hashing the key.
    const KEEP: usize = 64;
    thread_local! {
        static CACHE: RefCell<Vec<((u8, u64, u64), f64)>> = const { RefCell::new(Vec::new()) };
    }
    let key = (kind, a.to_bits(), b.to_bits());
    let found = CACHE.with(|c| {
        let c = c.borrow();
        c.iter().rev().find(|(k, _)| *k == key).map(|&(_, v)| v)
    });
    if let Some(v) = found {
        return v;
    }
    let v = f();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= KEEP {
            c.remove(0);
        }
        c.push((key, v));
    });
    v
}

/// Quantile `p` of the chi-squared distribution with `df` degrees of freedom, as R's
/// `qchisq(p, df)`.
///
/// `statrs`'s quantile is a start only: with one degree of freedom it is NaN below p ≈ 0.03
/// and off by 7·10⁻⁵ relative at 0.03 (the Q-profile CI of τ² with two studies needs
/// `qchisq(0.025, 1)`). It is refined by Newton steps kept inside a bracket of the root
/// ([`chi2_refined`]), on the distribution function below the median and on the survival
/// function above it, so that both tails are found to close to machine precision.
///
/// # Examples
/// ```
/// let x = repool::dist::chi2_quantile(0.025, 1.0);
/// assert!((x / 9.8206911717525617e-4 - 1.0).abs() < 1e-12);
/// ```
pub fn chi2_quantile(p: f64, df: f64) -> f64 {
    if !(finite_df(df) && (0.0..=1.0).contains(&p)) {
        return f64::NAN;
    }
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    cached(2, p, df, || match ChiSquared::new(df) {
        Ok(d) => chi2_refined(&d, p, df),
        Err(_) => f64::NAN,
    })
}

/// The root of `F(x) = p` (or `S(x) = 1 − p` above the median) for the chi-squared
/// distribution `d` with `df` degrees of freedom, 0 < p < 1. Newton steps on
/// `h(u) = ln F(eᵘ) − ln p` (or `ln(1 − p) − ln S(eᵘ)`), which are exact where F is a power of
/// x (the lower tail, however small) and S an exponential (the upper tail); they start from
/// `statrs`'s quantile, or where that is not a positive number from [`chi2_start`]. A step
/// that leaves the bracket of the root known so far is replaced by halving the bracket.
fn chi2_refined(d: &ChiSquared, p: f64, df: f64) -> f64 {
    use statrs::distribution::Continuous;
    let upper = p > 0.5;
    let (ln_p, ln_q) = (p.ln(), (1.0 - p).ln());
    // h and its derivative in u = ln x; h increases with u and is zero at the quantile.
    let h = |x: f64| {
        if upper {
            let s = d.sf(x);
            (ln_q - s.ln(), d.pdf(x) * x / s)
        } else if x < 2.0 {
            let (ln_f, slope) = chi2_ln_cdf_near_0(x, df);
            (ln_f - ln_p, slope)
        } else {
            let f = d.cdf(x);
            (f.ln() - ln_p, d.pdf(x) * x / f)
        }
    };
    let start = d.inverse_cdf(p);
    let start = if start > 0.0 && start.is_finite() {
        start
    } else {
        chi2_start(p, df)
    };
    let mut u = start.ln();
    let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
    for _ in 0..200 {
        let (hu, slope) = h(u.exp());
        if hu == 0.0 {
            break;
        }
        if hu < 0.0 {
            lo = u;
        } else {
            hi = u;
        }
        let mut next = u - hu / slope;
        if !(next > lo && next < hi) {
            next = match (lo.is_finite(), hi.is_finite()) {
                (true, true) => (lo + hi) / 2.0,
                (false, _) => u - 2.0,
                (true, false) => u + 2.0,
            };
        }
        let done = (next - u).abs() <= 4.0 * f64::EPSILON * u.abs().max(1.0);
        u = next;
        if done {
            break;
        }
    }
    u.exp()
}

/// `ln F(x)` of the chi-squared distribution with `df` degrees of freedom for `x` < 2, and
/// `d ln F / d ln x`, from the series of the regularised incomplete gamma function
/// (Abramowitz & Stegun 6.5.29) with `a = df/2`, `y = x/2`:
/// `F = yᵃ e⁻ʸ / Γ(a + 1) · Σₙ yⁿ / ((a + 1)⋯(a + n))`, whose slope in `ln x` is `a / Σ`.
/// `statrs` gives F = 0 below x ≈ 10⁻¹⁵; this holds down to the smallest doubles.
fn chi2_ln_cdf_near_0(x: f64, df: f64) -> (f64, f64) {
    let (a, y) = (df / 2.0, x / 2.0);
    let (mut sum, mut term) = (1.0f64, 1.0f64);
    for n in 1..200 {
        term *= y / (a + f64::from(n));
        sum += term;
        if term <= f64::EPSILON * sum {
            break;
        }
    }
    let ln_f = a * y.ln() - y - statrs::function::gamma::ln_gamma(a + 1.0) + sum.ln();
    (ln_f, a / sum)
}

/// A first guess of the chi-squared quantile: the Wilson–Hilferty approximation, or where
/// that is not positive (small `p`), the first term of the series of the distribution
/// function near 0, `F(x) ≈ (x/2)^(df/2) / Γ(df/2 + 1)`.
fn chi2_start(p: f64, df: f64) -> f64 {
    let z = Normal::standard().inverse_cdf(p);
    let c = 2.0 / (9.0 * df);
    let wh = df * (1.0 - c + z * c.sqrt()).powi(3);
    if wh > 0.0 && wh.is_finite() {
        return wh;
    }
    let half = df / 2.0;
    2.0 * ((p.ln() + statrs::function::gamma::ln_gamma(half + 1.0)) / half).exp()
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

/// Above this many degrees of freedom the distribution function of t is computed as R's
/// `pt()` computes it there (Abramowitz & Stegun 26.7.8): statrs's loses a digit per factor
/// 10 of the degrees of freedom (4·10⁻¹⁰ relative at 4·10⁵) and gives p = 0.5 for any t
/// from about 10⁵⁰ on.
const T_CDF_ASYMPTOTIC_DF: f64 = 4e5;

/// Above this many degrees of freedom the quantile of t is the Cornish–Fisher expansion
/// (exact to rounding there): statrs's quantile is off by 10⁻⁴ at 10⁶ and does not return
/// from about 3·10⁷ on (nor for ∞), and its distribution function, on which it is refined
/// below, is off by 10⁻¹⁰ at 10⁵.
const T_QUANTILE_ASYMPTOTIC_DF: f64 = 1e4;

/// The quantile `t_p(ν)` from the normal quantile `z` by the Cornish–Fisher expansion
/// (Abramowitz & Stegun 26.7.5), accurate to rounding for ν above 10⁴.
fn cornish_fisher(z: f64, df: f64) -> f64 {
    let z2 = z * z;
    let g1 = z * (z2 + 1.0) / 4.0;
    let g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
    let g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
    let g4 = z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}

fn t_crit_uncached(level: f64, df: f64) -> f64 {
    if df > T_QUANTILE_ASYMPTOTIC_DF {
        return cornish_fisher(z_crit(level), df);
    }
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
    if df > T_CDF_ASYMPTOTIC_DF {
        let a = 1.0 / (4.0 * df);
        return p_normal(t * (1.0 - a) / (1.0 + t * t * 2.0 * a).sqrt());
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
    if q.is_nan() || !finite_df(df) {
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
    if f.is_nan() || !finite_df(df1) || !finite_df(df2) {
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

    /// R's `qchisq(p, df)` (R 4.2.2) for p from 1e-100 to 0.9995; statrs's own quantile is NaN
    /// for df = 1 below p ≈ 0.03 and 7e-5 off at 0.03.
    #[test]
    fn chi2_quantiles_are_those_of_r_in_both_tails() {
        let ps = [1e-100, 1e-10, 0.0005, 0.025, 0.03, 0.5, 0.975, 0.9995];
        let r: [(f64, [f64; 8]); 6] = [
            (
                0.5,
                [
                    0.0,
                    1.34993957862235127e-40,
                    8.43712236638992402e-14,
                    5.27320259125999565e-07,
                    1.09345153693845464e-06,
                    8.73476047057468730e-02,
                    3.43323529996077870e+00,
                    9.97153732140941784e+00,
                ],
            ),
            (
                1.0,
                [
                    1.57079632679488234e-200,
                    1.57079632679489347e-20,
                    3.92699133102919685e-07,
                    9.82069117175256171e-04,
                    1.41438330081177280e-03,
                    4.54936423119572830e-01,
                    5.02388618731488457e+00,
                    1.21156651463973866e+01,
                ],
            ),
            (
                2.0,
                [
                    1.99999999999998151e-100,
                    2.00000000009999768e-10,
                    1.00025008336459588e-03,
                    5.06356159685797530e-02,
                    6.09184149694170854e-02,
                    1.38629436111989057e+00,
                    7.37775890822787073e+00,
                    1.52018049190843847e+01,
                ],
            ),
            (
                5.0,
                [
                    3.23340778058310457e-40,
                    3.23355714624969331e-04,
                    1.58137522889653492e-01,
                    8.31211613486662504e-01,
                    9.03055989012129467e-01,
                    4.35146019109552640e+00,
                    1.28325019940300251e+01,
                    2.21053267782076155e+01,
                ],
            ),
            (
                30.0,
                [
                    2.76777006133918939e-06,
                    3.04304037955334650e+00,
                    1.08043646724400038e+01,
                    1.67907722655666269e+01,
                    1.72076246819549112e+01,
                    2.93360315166615884e+01,
                    4.69792422436711519e+01,
                    6.21618528691810326e+01,
                ],
            ),
            (
                1000.0,
                [
                    3.22933970287434931e+02,
                    7.41268071719353088e+02,
                    8.59361505580630478e+02,
                    9.14257153799258958e+02,
                    9.17595889006364473e+02,
                    9.99333412403380976e+02,
                    1.08953091277491353e+03,
                    1.15373785006483445e+03,
                ],
            ),
        ];
        for (df, want) in r {
            for (&p, &w) in ps.iter().zip(&want) {
                if w == 0.0 {
                    continue; // R's value underflows
                }
                let x = chi2_quantile(p, df);
                assert!(
                    (x / w - 1.0).abs() < 1e-12,
                    "qchisq({p}, {df}) = {x}, R {w}"
                );
            }
        }
        assert_eq!(chi2_quantile(0.0, 1.0), 0.0);
        assert_eq!(chi2_quantile(1.0, 1.0), f64::INFINITY);
    }

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
        // statrs's quantile of t never returned from about 3·10⁷ degrees of freedom on ('check
        // --text' with df = 10^8 or 10^340 hung); t(∞) is the normal distribution.
        for df in [1e300, f64::INFINITY] {
            assert_eq!(t_crit(0.95, df), z_crit(0.95));
            assert_eq!(p_t(1.5, df), p_normal(1.5));
        }
        // R: qt(0.975, df) (statrs's own quantile was 1.9598477 at 10⁶) and 2 pt(-1.96, df).
        for (df, r) in [
            (2e5, 1.95997584596677),
            (1e6, 1.95996635681411),
            (1e7, 1.9599642217672),
        ] {
            let t = t_crit(0.95, df);
            assert!((t - r).abs() < 1e-12, "qt(0.975, {df}) = {r}, repool {t}");
        }
        // Beyond 4·10⁵ R's own formula, at 10⁵ statrs's: both within 10⁻¹⁰ (statrs's normal
        // distribution function is within 5·10⁻¹¹ of R's pnorm there).
        assert!((p_t(1.96, 1e7) - 0.0499958180253142).abs() < 1e-10 * 0.05);
        assert!((p_t(1.96, 1e5) - 4.999_856_319_430_168e-2).abs() < 1e-10 * 0.05);
        assert!((t_crit(0.95, 1e8) - 1.95996400826277).abs() < 1e-12);
        for (df, r) in [(1e3, 1.96233908082641), (1e5, 1.95998770753461)] {
            let t = t_crit(0.95, df);
            assert!((t - r).abs() < 1e-12, "qt(0.975, {df}) = {r}, repool {t}");
        }
        assert!(chi2_sf(1.0, f64::INFINITY).is_nan() && f_sf(1.0, 1.0, f64::INFINITY).is_nan());
    }
}
