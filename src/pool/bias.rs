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
    /// The regression is degenerate (all standard errors equal).
    #[error("{method}: all standard errors are equal, so the regression is undefined")]
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
    Ok(Egger {
        t,
        df,
        p_value,
        limit_estimate: b0,
        slope: b1,
    })
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

/// The Begg–Mazumdar test (see the module documentation); needs `k ≥ 3`.
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
    let standardised: Vec<(&'static str, f64)> =
        ys.iter().map(|&x| ("standardised effect", x)).collect();
    finite(method, &standardised)?;
    let b = kendall(&ys, v);
    finite(method, &[("Kendall tau", b.tau), ("p-value", b.p_value)])?;
    Ok(b)
}

/// Kendall's τ-b of two samples with the p-value of R's `cor.test(method = "kendall")`.
pub fn kendall(x: &[f64], y: &[f64]) -> Begg {
    let n = x.len();
    let (mut conc, mut disc, mut tx, mut ty) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for i in 0..n {
        for j in i + 1..n {
            let a = (x[i] - x[j]).signum() * if x[i] == x[j] { 0.0 } else { 1.0 };
            let b = (y[i] - y[j]).signum() * if y[i] == y[j] { 0.0 } else { 1.0 };
            if a == 0.0 {
                tx += 1.0;
            }
            if b == 0.0 {
                ty += 1.0;
            }
            if a * b > 0.0 {
                conc += 1.0;
            } else if a * b < 0.0 {
                disc += 1.0;
            }
        }
    }
    let t0 = (n * (n - 1)) as f64 / 2.0;
    let tau = (conc - disc) / ((t0 - tx) * (t0 - ty)).sqrt();
    let ties = tx > 0.0 || ty > 0.0;
    if !ties {
        // Exact: the number of concordant pairs q against the distribution of the number
        // of inversions of a random permutation (Mahonian numbers), as R's ckendall.
        let q = ((tau + 1.0) * (n * (n - 1)) as f64 / 4.0).round() as usize;
        let dist = mahonian(n);
        let cdf = |m: isize| -> f64 {
            if m < 0 {
                0.0
            } else {
                dist[..=(m as usize).min(dist.len() - 1)].iter().sum()
            }
        };
        let p = (2.0 * cdf(q as isize).min(1.0 - cdf(q as isize - 1))).min(1.0);
        return Begg {
            tau,
            p_value: p,
            exact: true,
        };
    }
    // Normal approximation with tie corrections (R's cor.test, continuity = FALSE).
    let counts = |s: &[f64]| -> Vec<f64> {
        let mut v = s.to_vec();
        v.sort_by(f64::total_cmp);
        let mut out = Vec::new();
        let mut i = 0;
        while i < v.len() {
            let mut j = i;
            while j + 1 < v.len() && v[j + 1] == v[i] {
                j += 1;
            }
            if j > i {
                out.push((j - i + 1) as f64);
            }
            i = j + 1;
        }
        out
    };
    let (xt, yt) = (counts(x), counts(y));
    let nf = n as f64;
    let t1: f64 = xt.iter().map(|t| t * (t - 1.0)).sum::<f64>() / 2.0;
    let t2: f64 = yt.iter().map(|t| t * (t - 1.0)).sum::<f64>() / 2.0;
    let s = tau * ((t0 - t1) * (t0 - t2)).sqrt();
    let v0 = nf * (nf - 1.0) * (2.0 * nf + 5.0);
    let vt: f64 = xt.iter().map(|t| t * (t - 1.0) * (2.0 * t + 5.0)).sum();
    let vu: f64 = yt.iter().map(|t| t * (t - 1.0) * (2.0 * t + 5.0)).sum();
    let v1 = xt.iter().map(|t| t * (t - 1.0)).sum::<f64>()
        * yt.iter().map(|t| t * (t - 1.0)).sum::<f64>();
    let v2 = xt.iter().map(|t| t * (t - 1.0) * (t - 2.0)).sum::<f64>()
        * yt.iter().map(|t| t * (t - 1.0) * (t - 2.0)).sum::<f64>();
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

/// Probabilities of 0, 1, … n(n−1)/2 inversions in a random permutation of n.
fn mahonian(n: usize) -> Vec<f64> {
    let mut p = vec![1.0];
    for i in 1..=n {
        let mut next = vec![0.0; p.len() + i - 1];
        for (j, &pj) in p.iter().enumerate() {
            for t in 0..i {
                next[j + t] += pj / i as f64;
            }
        }
        p = next;
    }
    p
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
