//! Small-study effects: Egger's regression test and the Begg–Mazumdar rank correlation.
//!
//! # Formula
//! Egger (classic, metafor `regtest(model = "lm")`): weighted least squares of the effects
//! on their standard errors with weights `1/v`,
//! ```text
//! y_i = b0 + b1 sei_i + e_i,   Var(e_i) = σ² v_i
//! t = b1 / SE(b1) with k − 2 df;  b0 is the "limit estimate" (the effect at SE = 0)
//! ```
//! (the same test as regressing `y/se` on `1/se` and testing the intercept).
//! Begg & Mazumdar (metafor `ranktest()`): with the common-effect estimate θ̂ and its
//! variance `v̄ = 1/Σw`, standardised effects `y*_i = (y_i − θ̂)/sqrt(v_i − v̄)`, and
//! Kendall's τ between `y*` and `v`, its p-value exact (no ties) or from the normal
//! approximation of τ-b with the tie-corrected variance (as R's `cor.test`).
//!
//! # References
//! - Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in meta-analysis detected by a
//!   simple, graphical test. BMJ 315:629–634.
//! - Begg CB, Mazumdar M (1994). Operating characteristics of a rank correlation test for
//!   publication bias. Biometrics 50:1088–1101.
//! - Sterne JAC et al. (2011). Recommendations for examining and interpreting funnel plot
//!   asymmetry in meta-analyses of randomised controlled trials. BMJ 343:d4002 (use with
//!   at least 10 studies); Cochrane Handbook, version 6.4 (2023), section 13.3.5.

use crate::dist;
use statrs::distribution::{ContinuousCDF, Normal};

/// Egger's regression test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Egger {
    /// t statistic of the SE coefficient.
    pub t: f64,
    /// Degrees of freedom, k − 2.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The intercept: the effect expected at SE = 0.
    pub limit_estimate: f64,
    /// The SE coefficient (the asymmetry).
    pub slope: f64,
}

/// Why a test cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BiasError {
    /// Too few studies.
    #[error("{method} needs at least {needed} studies, got k = {k}")]
    TooFew {
        /// The method.
        method: &'static str,
        /// Studies needed.
        needed: usize,
        /// Studies given.
        k: usize,
    },
    /// The test is degenerate (all standard errors equal).
    #[error("{method}: all standard errors are equal, so the test is undefined")]
    Degenerate {
        /// The method.
        method: &'static str,
    },
    /// A number of the result is not finite (extreme effects or variances).
    #[error("{method}: the {what} is not a finite number; check the input for extreme values")]
    NonFinite {
        /// The method.
        method: &'static str,
        /// Which result.
        what: &'static str,
    },
}

/// `Err` naming the first value of `method`'s result that is not finite.
fn finite(method: &'static str, values: &[(&'static str, f64)]) -> Result<(), BiasError> {
    match super::finite::first_non_finite(values) {
        Some(what) => Err(BiasError::NonFinite { method, what }),
        None => Ok(()),
    }
}

/// The error of a meta-regression inside a bias method: a result that is not finite keeps
/// its name, anything else makes the method undefined.
fn regression_error(method: &'static str, e: super::regression::RegressionError) -> BiasError {
    match e {
        super::regression::RegressionError::NonFinite { what } => {
            BiasError::NonFinite { method, what }
        }
        _ => BiasError::Degenerate { method },
    }
}

/// Egger's test (see the module documentation); needs `k ≥ 3`.
pub fn egger(y: &[f64], v: &[f64]) -> Result<Egger, BiasError> {
    let k = y.len();
    if k < 3 {
        return Err(BiasError::TooFew {
            method: "Egger's test",
            needed: 3,
            k,
        });
    }
    let (mut s0, mut s1, mut s2, mut sy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (&yi, &vi) in y.iter().zip(v) {
        let (w, x) = (1.0 / vi, vi.sqrt());
        s0 += w;
        s1 += w * x;
        s2 += w * x * x;
        sy += w * yi;
        sxy += w * x * yi;
    }
    let det = s0 * s2 - s1 * s1;
    if !(det.abs() > 1e-12 * s0 * s2) {
        return Err(BiasError::Degenerate {
            method: "Egger's test",
        });
    }
    let b1 = (s0 * sxy - s1 * sy) / det;
    let b0 = (sy - b1 * s1) / s0;
    let rss: f64 = y
        .iter()
        .zip(v)
        .map(|(&yi, &vi)| (yi - b0 - b1 * vi.sqrt()).powi(2) / vi)
        .sum();
    let df = (k - 2) as f64;
    let sigma2 = rss / df;
    let se_b1 = (sigma2 * s0 / det).sqrt();
    let t = b1 / se_b1;
    let p_value = dist::p_t(t, df);
    finite(
        "Egger's test",
        &[
            ("t statistic", t),
            ("p-value", p_value),
            ("limit estimate", b0),
            ("slope", b1),
        ],
    )?;
    let out = Egger {
        t,
        df,
        p_value,
        limit_estimate: b0,
        slope: b1,
    };
    Ok(out)
}

/// Begg and Mazumdar's rank correlation test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Begg {
    /// Kendall's τ (τ-b with ties).
    pub tau: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Whether the p-value is exact.
    pub exact: bool,
}

/// The largest number of studies whose rank test gets the exact p-value (without ties).
///
/// metafor 3.8-1's `ranktest()` calls `cor.test(..., method = "kendall", exact = TRUE)`,
/// whose exact distribution divides counts of permutations by `k!`: from k = 171 on, `k!`
/// overflows a double and metafor returns a p-value of NaN (and its recursion takes
/// seconds from k = 300 and minutes beyond). repool uses the exact distribution up to 170
/// studies, where metafor's value is defined and agrees with repool's, and beyond it the
/// normal approximation of `cor.test(..., exact = FALSE)` (metafor's
/// `ranktest(..., exact = FALSE)`), which is within 0.01 of the exact p-value from k = 50 on.
pub const BEGG_EXACT_MAX_K: usize = 170;

/// The Begg–Mazumdar test (see the module documentation); needs `k ≥ 3`. The p-value is
/// exact without ties up to [`BEGG_EXACT_MAX_K`] studies, otherwise from the normal
/// approximation; O(k log k) either way.
pub fn begg(y: &[f64], v: &[f64]) -> Result<Begg, BiasError> {
    let k = y.len();
    if k < 3 {
        return Err(BiasError::TooFew {
            method: "the rank correlation test",
            needed: 3,
            k,
        });
    }
    let w: Vec<f64> = v.iter().map(|vi| 1.0 / vi).collect();
    let sw: f64 = w.iter().sum();
    let theta = w.iter().zip(y).map(|(w, y)| w * y).sum::<f64>() / sw;
    let vb = 1.0 / sw;
    let ys: Vec<f64> = y
        .iter()
        .zip(v)
        .map(|(yi, vi)| (yi - theta) / (vi - vb).sqrt())
        .collect();
    let method = "the rank correlation test";
    if v.iter().all(|&x| x == v[0]) {
        // Kendall's τ with a constant sample is 0/0 (R's cor() gives NA).
        return Err(BiasError::Degenerate { method });
    }
    // One study with all the weight leaves v − v̄ at 0 (or below, by rounding).
    let standardised: Vec<(&'static str, f64)> =
        ys.iter().map(|&x| ("standardised effect", x)).collect();
    finite(method, &standardised)?;
    let b = kendall(&ys, v);
    finite(method, &[("Kendall tau", b.tau), ("p-value", b.p_value)])?;
    Ok(b)
}

/// Pair counts of two samples for Kendall's τ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PairCounts {
    /// All pairs, n(n − 1)/2.
    pairs: u64,
    /// Pairs tied in x (including those tied in both).
    tied_x: u64,
    /// Pairs tied in y (including those tied in both).
    tied_y: u64,
    /// Pairs tied in both.
    tied_xy: u64,
    /// Discordant pairs (x and y ordered in opposite directions).
    discordant: u64,
}

impl PairCounts {
    /// Concordant minus discordant pairs (Kendall's S).
    fn s(&self) -> i64 {
        // Pairs tied in neither (inclusion–exclusion: those tied in both are in both counts).
        let untied = self.pairs + self.tied_xy - self.tied_x - self.tied_y;
        untied as i64 - 2 * self.discordant as i64
    }
}

/// Sizes of the groups of equal values (of at least 2) of `sorted` (ascending).
fn tie_groups(sorted: &[f64]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let j = (i..sorted.len())
            .find(|&j| sorted[j] != sorted[i])
            .unwrap_or(sorted.len());
        if j - i > 1 {
            out.push((j - i) as u64);
        }
        i = j;
    }
    out
}

fn pairs_in(groups: &[u64]) -> u64 {
    groups.iter().map(|t| t * (t - 1) / 2).sum()
}

/// Counts the pairs of Kendall's τ in O(n log n) (Knight 1966): the points sorted by x (then
/// y), the discordant pairs are the inversions of y in that order, counted by a merge sort.
/// Returns the counts and the tie groups of x and y. The values must not be NaN.
fn pair_counts(x: &[f64], y: &[f64]) -> (PairCounts, Vec<u64>, Vec<u64>) {
    let n = x.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b])));
    let xs: Vec<f64> = idx.iter().map(|&i| x[i]).collect();
    let mut ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
    let x_groups = tie_groups(&xs);
    // Pairs tied in both: runs of equal (x, y) in this order.
    let mut tied_xy = 0u64;
    let mut run = 1u64;
    for i in 1..=n {
        if i < n && xs[i] == xs[i - 1] && ys[i] == ys[i - 1] {
            run += 1;
        } else {
            tied_xy += run * (run - 1) / 2;
            run = 1;
        }
    }
    let mut buf = vec![0.0; n];
    let discordant = merge_count(&mut ys, &mut buf);
    let y_groups = tie_groups(&ys);
    let counts = PairCounts {
        pairs: (n as u64) * (n.saturating_sub(1) as u64) / 2,
        tied_x: pairs_in(&x_groups),
        tied_y: pairs_in(&y_groups),
        tied_xy,
        discordant,
    };
    (counts, x_groups, y_groups)
}

/// Sorts `a` ascending and returns the number of pairs `i < j` with `a[i] > a[j]` (equal
/// values are no inversion).
fn merge_count(a: &mut [f64], buf: &mut [f64]) -> u64 {
    let n = a.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut count = {
        let (l, r) = a.split_at_mut(mid);
        let (bl, br) = buf.split_at_mut(mid);
        merge_count(l, bl) + merge_count(r, br)
    };
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < mid && j < n {
        if a[i] <= a[j] {
            buf[k] = a[i];
            i += 1;
        } else {
            buf[k] = a[j];
            count += (mid - i) as u64;
            j += 1;
        }
        k += 1;
    }
    buf[k..k + mid - i].copy_from_slice(&a[i..mid]);
    k += mid - i;
    buf[k..k + n - j].copy_from_slice(&a[j..n]);
    a.copy_from_slice(&buf[..n]);
    count
}

/// Kendall's τ-b of two samples with the p-value of R's `cor.test(method = "kendall")`:
/// exact without ties for at most [`BEGG_EXACT_MAX_K`] pairs (`exact = TRUE`, as metafor's
/// `ranktest()`), else the normal approximation with the tie-corrected variance
/// (`continuity = FALSE`). O(n log n). NaN in either sample gives NaN.
pub fn kendall(x: &[f64], y: &[f64]) -> Begg {
    let n = x.len();
    if x.iter().chain(y).any(|v| v.is_nan()) || n < 2 {
        return Begg {
            tau: f64::NAN,
            p_value: f64::NAN,
            exact: false,
        };
    }
    let (c, xt, yt) = pair_counts(x, y);
    let t0 = c.pairs as f64;
    let s = c.s() as f64;
    let tau = s / ((t0 - c.tied_x as f64) * (t0 - c.tied_y as f64)).sqrt();
    let ties = c.tied_x > 0 || c.tied_y > 0;
    if !ties && n <= BEGG_EXACT_MAX_K {
        // Exact: the number of concordant pairs q against the distribution of the number
        // of inversions of a random permutation (Mahonian numbers), as R's ckendall; the
        // upper tail through the symmetry P(T ≥ q) = P(T ≤ N − q).
        let q = (c.pairs - c.discordant) as usize;
        let dist = mahonian(n);
        let cdf = |m: usize| -> f64 { dist[..=m.min(dist.len() - 1)].iter().sum() };
        let big_n = dist.len() - 1;
        let p = if 2 * q > big_n {
            cdf(big_n - q)
        } else {
            cdf(q)
        };
        return Begg {
            tau,
            p_value: (2.0 * p).min(1.0),
            exact: true,
        };
    }
    // Normal approximation with tie corrections (R's cor.test, continuity = FALSE).
    let f = |g: &[u64], h: &dyn Fn(f64) -> f64| g.iter().map(|&t| h(t as f64)).sum::<f64>();
    let nf = n as f64;
    let v0 = nf * (nf - 1.0) * (2.0 * nf + 5.0);
    let vt = f(&xt, &|t| t * (t - 1.0) * (2.0 * t + 5.0));
    let vu = f(&yt, &|t| t * (t - 1.0) * (2.0 * t + 5.0));
    let v1 = f(&xt, &|t| t * (t - 1.0)) * f(&yt, &|t| t * (t - 1.0));
    let v2 = f(&xt, &|t| t * (t - 1.0) * (t - 2.0)) * f(&yt, &|t| t * (t - 1.0) * (t - 2.0));
    let var_s = (v0 - vt - vu) / 18.0
        + v1 / (2.0 * nf * (nf - 1.0))
        + v2 / (9.0 * nf * (nf - 1.0) * (nf - 2.0));
    let z = s / var_s.sqrt();
    let nd = Normal::standard();
    Begg {
        tau,
        p_value: 2.0 * nd.cdf(z).min(nd.sf(z)),
        exact: false,
    }
}

/// Probabilities of 0, 1, … n(n−1)/2 inversions in a random permutation of n: the
/// distribution for i elements is that for i − 1 convolved with the uniform on 0…i−1, a
/// moving sum, so O(n³) in all.
fn mahonian(n: usize) -> Vec<f64> {
    let mut p = vec![1.0];
    for i in 2..=n {
        let len = p.len() + i - 1;
        let mut next = vec![0.0; len];
        let mut window = 0.0;
        for (j, slot) in next.iter_mut().enumerate() {
            if j < p.len() {
                window += p[j];
            }
            if j >= i {
                window -= p[j - i];
            }
            *slot = window / i as f64;
        }
        p = next;
    }
    p
}

/// The lines of a funnel plot: `centre ± z·SE` as the standard error grows from 0.
///
/// # Formula
/// Pseudo-confidence limits around the pooled estimate `μ̂` at level `1 − α`, and the
/// significance contours of the contour-enhanced funnel around the null at `p`:
/// ```text
/// pseudo-confidence limits:  μ̂ ± z_{1−α/2} SE
/// contour at p:              0 ± z_{1−p/2} SE
/// ```
///
/// # References
/// - Sterne JAC, Egger M (2001). Funnel plots for detecting bias in meta-analysis:
///   guidelines on choice of axis. J Clin Epidemiol 54:1046–1055.
/// - Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L (2008). Contour-enhanced
///   meta-analysis funnel plots help distinguish publication bias from other causes of
///   asymmetry. J Clin Epidemiol 61:991–996.
///
/// # Examples
/// ```
/// use repool::pool::bias::FunnelLimits;
/// let f = FunnelLimits::pseudo_confidence(0.5, 0.95);
/// let (lo, hi) = f.at(0.1);
/// assert!((lo - (0.5 - 1.959964 * 0.1)).abs() < 1e-6 && (hi + lo - 1.0).abs() < 1e-12);
/// assert!((f.se_at(hi) - 0.1).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunnelLimits {
    /// Centre of the funnel (the estimate, or 0 for the contours).
    pub centre: f64,
    /// Normal quantile of the limits.
    pub z: f64,
}

impl FunnelLimits {
    /// Pseudo-confidence limits `estimate ± z SE` at confidence `level` (e.g. 0.95).
    pub fn pseudo_confidence(estimate: f64, level: f64) -> FunnelLimits {
        FunnelLimits {
            centre: estimate,
            z: dist::z_crit(level),
        }
    }

    /// The contour around the null where a study is significant at two-sided `p`
    /// (e.g. 0.05): `0 ± z_{1−p/2} SE`.
    pub fn significance_contour(p: f64) -> FunnelLimits {
        FunnelLimits {
            centre: 0.0,
            z: dist::z_crit(1.0 - p),
        }
    }

    /// The limits at standard error `se`: `(centre − z se, centre + z se)`.
    pub fn at(&self, se: f64) -> (f64, f64) {
        (self.centre - self.z * se, self.centre + self.z * se)
    }

    /// The standard error at which a limit reaches the effect `x`: `|x − centre| / z`.
    pub fn se_at(&self, x: f64) -> f64 {
        (x - self.centre).abs() / self.z
    }
}

/// Egger's test as metafor's `regtest()` default: a meta-regression of the effects on their
/// standard errors with the analysis' τ² estimator (or common effect), z test of the slope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EggerRma {
    /// z statistic of the SE coefficient.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The intercept (effect at SE = 0).
    pub limit_estimate: f64,
}

/// Egger's test, meta-regression version (see [`EggerRma`]); needs `k ≥ 3`.
pub fn egger_rma(
    y: &[f64],
    v: &[f64],
    method: Option<crate::pool::Tau2Method>,
) -> Result<EggerRma, BiasError> {
    let k = y.len();
    if k < 3 {
        return Err(BiasError::TooFew {
            method: "Egger's test",
            needed: 3,
            k,
        });
    }
    let x = nalgebra::DMatrix::from_fn(k, 2, |r, c| if c == 0 { 1.0 } else { v[r].sqrt() });
    let names = ["intrcpt".to_string(), "sei".to_string()];
    let r = crate::pool::regression::meta_regression(&x, &names, y, v, method, false, 0.95)
        .map_err(|e| regression_error("Egger's test", e))?;
    Ok(EggerRma {
        z: r.coefficients[1].statistic,
        p_value: r.coefficients[1].p_value,
        limit_estimate: r.coefficients[0].estimate,
    })
}

/// Estimator of the number of missing studies in trim-and-fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrimFillEstimator {
    /// Duval & Tweedie's L0 (metafor's default).
    L0,
    /// Duval & Tweedie's R0.
    R0,
}

/// The result of trim-and-fill.
#[derive(Debug, Clone, PartialEq)]
pub struct TrimFill {
    /// Estimated number of missing studies.
    pub k0: usize,
    /// Side on which studies are missing: "left" or "right".
    pub side: &'static str,
    /// The filled (mirrored) studies `(yi, vi)`.
    pub filled: Vec<(f64, f64)>,
    /// Pooled estimate of observed and filled studies.
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// Its z confidence interval.
    pub ci: (f64, f64),
    /// τ² of the filled analysis (0 for common effect).
    pub tau2: f64,
    /// Iterations of the trimming.
    pub iterations: usize,
}

fn pool_yv(
    y: &[f64],
    v: &[f64],
    method: Option<crate::pool::Tau2Method>,
) -> Result<(f64, f64, f64), BiasError> {
    let t2 = match method {
        Some(m) => {
            crate::pool::tau2::estimate(m, y, v)
                .map_err(|_| BiasError::Degenerate {
                    method: "trim-and-fill",
                })?
                .tau2
        }
        None => 0.0,
    };
    let (mu, se, _) = crate::pool::common::inverse_variance(y, v, t2);
    Ok((mu, se, t2))
}

/// Trim-and-fill (see the module documentation of metafor's `trimfill()`): the side is the
/// one opposite to the sign of Egger's meta-regression slope when not given; studies are
/// trimmed iteratively from the side with excess, the pool re-estimated, and the k0 most
/// extreme studies mirrored around the trimmed estimate. Needs `k ≥ 3`.
///
/// # Formula
/// With ranks `r` of `|y − θ̂|` signed by `y − θ̂` (ties: first):
/// ```text
/// L0 = (4 Σ_{r>0} r − k(k + 1)) / (2k − 1),   R0 = k − (largest rank of a negative deviation) − 1
/// ```
/// rounded and truncated at 0, iterated until k0 no longer changes; filled studies are
/// `2θ̂ − y` with the same variances.
///
/// # References
/// - Duval S, Tweedie R (2000). Trim and fill: a simple funnel-plot-based method of testing
///   and adjusting for publication bias in meta-analysis. Biometrics 56:455–463.
/// - Duval S, Tweedie R (2000). A nonparametric "trim and fill" method of accounting for
///   publication bias in meta-analysis. J Am Stat Assoc 95:89–98.
pub fn trim_and_fill(
    y: &[f64],
    v: &[f64],
    method: Option<crate::pool::Tau2Method>,
    estimator: TrimFillEstimator,
) -> Result<TrimFill, BiasError> {
    let k = y.len();
    if k < 3 {
        return Err(BiasError::TooFew {
            method: "trim-and-fill",
            needed: 3,
            k,
        });
    }
    let x = nalgebra::DMatrix::from_fn(k, 2, |r, c| if c == 0 { 1.0 } else { v[r].sqrt() });
    let names = ["intrcpt".to_string(), "sei".to_string()];
    let slope = crate::pool::regression::meta_regression(&x, &names, y, v, method, false, 0.95)
        .map_err(|e| regression_error("trim-and-fill", e))?
        .coefficients[1]
        .estimate;
    let right = slope < 0.0;
    let flip = if right { -1.0 } else { 1.0 };
    let mut idx: Vec<usize> = (0..k).collect();
    idx.sort_by(|&a, &b| (flip * y[a]).total_cmp(&(flip * y[b])));
    let ys: Vec<f64> = idx.iter().map(|&i| flip * y[i]).collect();
    let vs: Vec<f64> = idx.iter().map(|&i| v[i]).collect();
    let (mut k0, mut k0_prev, mut iterations) = (0usize, usize::MAX, 0usize);
    let mut beta = 0.0;
    while k0 != k0_prev {
        k0_prev = k0;
        iterations += 1;
        if iterations > 100 || k0 >= k {
            return Err(BiasError::Degenerate {
                method: "trim-and-fill",
            });
        }
        beta = pool_yv(&ys[..k - k0], &vs[..k - k0], method)?.0;
        let dev: Vec<f64> = ys.iter().map(|yi| yi - beta).collect();
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| dev[a].abs().total_cmp(&dev[b].abs()).then(a.cmp(&b)));
        let mut rank = vec![0.0; k];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = (r + 1) as f64 * dev[i].signum();
        }
        let est = match estimator {
            TrimFillEstimator::L0 => {
                let sr: f64 = rank.iter().filter(|r| **r > 0.0).sum();
                (4.0 * sr - (k * (k + 1)) as f64) / (2.0 * k as f64 - 1.0)
            }
            TrimFillEstimator::R0 => {
                let max_neg = rank
                    .iter()
                    .filter(|r| **r < 0.0)
                    .map(|r| -r)
                    .fold(0.0, f64::max);
                k as f64 - max_neg - 1.0
            }
        };
        // R rounds halves to even.
        k0 = est.round_ties_even().max(0.0) as usize;
    }
    let filled: Vec<(f64, f64)> = (k - k0..k)
        .map(|i| (flip * (2.0 * beta - ys[i]), vs[i]))
        .collect();
    let all_y: Vec<f64> = y
        .iter()
        .copied()
        .chain(filled.iter().map(|f| f.0))
        .collect();
    let all_v: Vec<f64> = v
        .iter()
        .copied()
        .chain(filled.iter().map(|f| f.1))
        .collect();
    let (mu, se, tau2) = pool_yv(&all_y, &all_v, method)?;
    let z = dist::z_crit(0.95);
    let filled_y = filled.iter().map(|f| ("filled study's effect", f.0));
    let values: Vec<(&'static str, f64)> = [
        ("adjusted estimate", mu),
        ("standard error", se),
        ("confidence limit", mu + z * se),
        ("tau^2", tau2),
    ]
    .into_iter()
    .chain(filled_y)
    .collect();
    finite("trim-and-fill", &values)?;
    Ok(TrimFill {
        k0,
        side: if right { "right" } else { "left" },
        filled,
        estimate: mu,
        se,
        ci: (mu - z * se, mu + z * se),
        tau2,
        iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic sequence in [0, 1) (golden-ratio steps), with ties when `levels` is
    /// given (values rounded to that many levels).
    fn seq(n: usize, step: f64, levels: Option<f64>) -> Vec<f64> {
        (0..n)
            .map(|i| {
                let u = (i as f64 * step).fract();
                levels.map_or(u, |l| (u * l).floor() / l)
            })
            .collect()
    }

    fn brute_force(x: &[f64], y: &[f64]) -> PairCounts {
        let n = x.len();
        let mut c = PairCounts {
            pairs: (n * (n - 1) / 2) as u64,
            tied_x: 0,
            tied_y: 0,
            tied_xy: 0,
            discordant: 0,
        };
        for i in 0..n {
            for j in i + 1..n {
                let (a, b) = (x[i] == x[j], y[i] == y[j]);
                c.tied_x += a as u64;
                c.tied_y += b as u64;
                c.tied_xy += (a && b) as u64;
                if (x[i] - x[j]) * (y[i] - y[j]) < 0.0 {
                    c.discordant += 1;
                }
            }
        }
        c
    }

    #[test]
    fn merge_sort_counts_equal_the_pairwise_counts() {
        for (levels_x, levels_y) in [(None, None), (Some(40.0), None), (Some(7.0), Some(13.0))] {
            let x = seq(2000, 0.618_033_988_7, levels_x);
            let y = seq(2000, 0.414_213_562_3, levels_y);
            let (fast, xt, yt) = pair_counts(&x, &y);
            assert_eq!(fast, brute_force(&x, &y), "{levels_x:?} {levels_y:?}");
            assert_eq!(pairs_in(&xt), fast.tied_x);
            assert_eq!(pairs_in(&yt), fast.tied_y);
        }
    }

    /// 100,000 pairs (5·10⁹ pairs, beyond a pairwise count): y is x in groups of 10 tied
    /// values, so no pair is discordant and τ-b = sqrt((N − N_y)/N); reversed, −τ-b.
    #[test]
    fn kendall_tau_of_100000_pairs() {
        let n = 100_000usize;
        let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let y: Vec<f64> = (0..n).map(|i| (i / 10) as f64).collect();
        let pairs = (n * (n - 1) / 2) as f64;
        let tied_y = (n / 10 * 45) as f64;
        let want = ((pairs - tied_y) / pairs).sqrt();
        let b = kendall(&x, &y);
        assert!((b.tau - want).abs() < 1e-12, "{} vs {want}", b.tau);
        assert!(!b.exact);
        let neg: Vec<f64> = y.iter().map(|v| -v).collect();
        assert!((kendall(&x, &neg).tau + want).abs() < 1e-12);
    }

    /// The moving-sum recursion against the Mahonian numbers counted exactly (30! < 2^128),
    /// on the lower half of the distribution, which is all the p-value reads.
    #[test]
    fn mahonian_probabilities_are_exact_in_the_lower_half() {
        let n = 30usize;
        let mut counts: Vec<u128> = vec![1];
        for i in 2..=n {
            let mut next = vec![0u128; counts.len() + i - 1];
            for (j, &c) in counts.iter().enumerate() {
                for slot in &mut next[j..j + i] {
                    *slot += c;
                }
            }
            counts = next;
        }
        let total: u128 = (1..=n as u128).product();
        let p = mahonian(n);
        assert_eq!(p.len(), counts.len());
        for j in 0..=counts.len() / 2 {
            let want = counts[j] as f64 / total as f64;
            assert!(
                (p[j] - want).abs() <= 1e-13 * want,
                "{j}: {} vs {want}",
                p[j]
            );
        }
    }

    /// Without ties, 170 studies get the exact p-value and 171 the normal approximation
    /// (the exact recursion is O(k³) and metafor's is NaN from 171 on); 20,000 studies take
    /// O(k log k).
    #[test]
    fn begg_is_exact_up_to_170_studies() {
        for (k, exact) in [(170, true), (171, false), (20_000, false)] {
            let y: Vec<f64> = seq(k, 0.618_033_988_7, None)
                .iter()
                .map(|u| u - 0.5)
                .collect();
            let v: Vec<f64> = seq(k, 0.414_213_562_3, None)
                .iter()
                .map(|u| 0.01 + u)
                .collect();
            let b = begg(&y, &v).unwrap();
            assert_eq!(b.exact, exact, "k = {k}");
            assert!(b.p_value > 0.0 && b.p_value <= 1.0);
        }
    }

    /// Every x tied (and some y): no pair is untied; the count overflowed (found by the
    /// fuzzer). τ-b is then 0/0; Begg's test with equal variances is an error.
    #[test]
    fn all_values_tied_in_one_sample() {
        let (x, y) = ([1.0, 1.0, 1.0, 1.0], [2.0, 2.0, 3.0, 4.0]);
        let (c, _, _) = pair_counts(&x, &y);
        assert_eq!(c, brute_force(&x, &y));
        assert_eq!(c.s(), 0);
        assert!(kendall(&x, &y).tau.is_nan());
        let (y, v) = ([0.1, 0.2, 0.3, 0.5], [0.04, 0.04, 0.04, 0.04]);
        assert!(matches!(begg(&y, &v), Err(BiasError::Degenerate { .. })));
    }

    #[test]
    fn a_study_with_all_the_weight_is_an_error_not_nan() {
        let y = [0.18, 0.1, -0.1, 0.26];
        let v = [1e-240, 0.04, 0.09, 0.0625];
        assert!(matches!(begg(&y, &v), Err(BiasError::NonFinite { .. })));
        assert!(matches!(egger(&y, &v), Err(BiasError::NonFinite { .. })));
    }
}
