//! Mixed-effects meta-regression: `y = Xβ + u + e`, `u ~ N(0, τ²)`, `e ~ N(0, v)`, with τ²
//! estimated by the same estimators as the random-effects model, generalised to moderators.
//!
//! # Formula
//! With `W = diag(w)`, `A = X'WX`, `β̂ = A⁻¹X'Wy`, `r = y − Xβ̂` and
//! `P = W − WXA⁻¹X'W` (computed through p × p matrices only):
//! ```text
//! y'Py  = Σ w r²                     tr(P)  = Σ w − tr(A⁻¹ X'W²X)
//! y'PPy = Σ w² r²                    tr(PP) = Σ w² − 2 tr(A⁻¹X'W³X) + tr((A⁻¹X'W²X)²)
//! DL:   τ² = (y'Py − (k − p)) / tr(P)        at w = 1/v
//! HE:   τ² = (RSS_OLS − tr(P_OLS V)) / (k − p)
//! HS:   τ² = (y'Py − k) / Σw                 at w = 1/v
//! SJ:   τ² = τ0² y'Py / (k − p)              at w = 1/(v + τ0²), τ0² = Σ(y − ȳ)²/k
//! PM, EB: y'Py = k − p                        at w = 1/(v + τ²)
//! ML:   y'PPy = Σ w;   REML: y'PPy = tr(P)    at w = 1/(v + τ²)
//! ```
//! (for ML and REML the root with the largest likelihood, τ² = 0 included: with moderators
//! the likelihood can have two maxima, see `likelihood_maximum`)
//! all truncated at 0; then `β̂` and `Var(β̂) = A⁻¹` at `w = 1/(v + τ²)` (times
//! `s² = Σw r²/(k − p)` with the Knapp–Hartung method), the omnibus test
//! `QM = β̂₁'Var(β̂₁)⁻¹β̂₁` of the moderators (χ² with p − 1 df, or F(p − 1, k − p)), the test
//! for residual heterogeneity `QE = Σ r²/v` (χ² with k − p df), and
//! `R² = (τ²₀ − τ²)/τ²₀` against the model without moderators (for common-effect models the
//! adjusted R² of the weighted regression, `1 − (QE/(k − p)) / (Q₀/(k − 1))`, as metafor).
//!
//! # References
//! - Thompson SG, Sharp SJ (1999). Explaining heterogeneity in meta-analysis: a comparison of
//!   methods. Stat Med 18:2693–2708.
//! - Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression with a
//!   single covariate. Stat Med 22:2693–2710.
//! - Raudenbush SW (2009). Analyzing effect sizes: random-effects models. In The Handbook of
//!   Research Synthesis and Meta-Analysis, 2nd ed., 295–315.
//! - Cochrane Handbook, version 6.4 (2023), section 10.11.4; metafor `rma(mods = ...)`.

use nalgebra::{DMatrix, DVector};

use super::tau2::{global, solve_decreasing, unweighted, OtherMaximum, Tau2Fit, Tau2Method};
use crate::dist;

/// One coefficient of a meta-regression.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    /// Name (`intrcpt`, a moderator, or `factor(name)level`).
    pub name: String,
    /// Estimate.
    pub estimate: f64,
    /// Standard error.
    pub se: f64,
    /// z or t statistic.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit.
    pub ci_high: f64,
}

/// A fitted meta-regression.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MetaRegression {
    /// Coefficients, intercept first.
    pub coefficients: Vec<Coefficient>,
    /// Residual τ².
    pub tau2: f64,
    /// Test for residual heterogeneity QE and its df and p.
    pub qe: (f64, usize, f64),
    /// Omnibus test of the moderators: statistic, df1, df2 (F with Knapp–Hartung), p.
    pub qm: (f64, usize, Option<usize>, f64),
    /// Residual I² (percent) and H².
    pub i2: f64,
    /// Residual H².
    pub h2: f64,
    /// R² (percent): heterogeneity accounted for, against the model without moderators.
    pub r2: Option<f64>,
    /// Number of studies.
    pub k: usize,
    /// Iterations of an iterative τ² estimator.
    pub iterations: Option<usize>,
    /// REML and ML: another maximum of the likelihood within
    /// [`super::tau2::BIMODAL_GAP`] of the estimate's (the likelihood is bimodal).
    pub tau2_other: Option<OtherMaximum>,
    /// Covariance matrix of the coefficients (row-major, p × p).
    pub vcov: Vec<f64>,
}

/// Why a meta-regression cannot be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RegressionError {
    /// Too few studies for the number of coefficients.
    #[error("meta-regression with {p} coefficients needs more than {p} studies, got k = {k}")]
    TooFew {
        /// Coefficients.
        p: usize,
        /// Studies.
        k: usize,
    },
    /// The moderators are collinear.
    #[error("the moderators are collinear (the design matrix has no full rank)")]
    Singular,
    /// τ² could not be estimated.
    #[error("the {0} estimator of tau^2 did not converge")]
    NotConverged(Tau2Method),
    /// A number of the fit is not finite (extreme moderator values).
    #[error("the meta-regression's {what} is not a finite number; check the moderators for extreme values")]
    NonFinite {
        /// Which result.
        what: &'static str,
    },
}

/// The first value of a fit that is not finite, as an error.
fn finite(values: &[(&'static str, f64)]) -> Result<(), RegressionError> {
    match super::finite::first_non_finite(values) {
        Some(what) => Err(RegressionError::NonFinite { what }),
        None => Ok(()),
    }
}

impl Fit {
    /// `Err` when the weighted sums of the design overflow (extreme moderator values).
    fn check_finite(&self) -> Result<(), RegressionError> {
        let sums = [self.ypy, self.tr_p, self.sw]
            .into_iter()
            .chain(self.a_inv.iter().copied())
            .chain(self.beta.iter().copied());
        match sums.into_iter().all(f64::is_finite) {
            true => Ok(()),
            false => Err(RegressionError::NonFinite {
                what: "weighted sum of the moderators (X'WX)",
            }),
        }
    }
}

impl MetaRegression {
    /// Checks that every number of the fit is finite: coefficients and their tests, τ², the
    /// tests QE and QM, I², H², R² and the covariance matrix.
    pub fn check_finite(&self) -> Result<(), RegressionError> {
        let mut v: Vec<(&'static str, f64)> = Vec::new();
        for c in &self.coefficients {
            v.extend([
                ("coefficient", c.estimate),
                ("standard error of a coefficient", c.se),
                ("test statistic of a coefficient", c.statistic),
                ("p-value of a coefficient", c.p_value),
                ("confidence limit of a coefficient", c.ci_low),
                ("confidence limit of a coefficient", c.ci_high),
            ]);
        }
        v.extend([
            ("tau^2", self.tau2),
            ("QE statistic", self.qe.0),
            ("p-value of QE", self.qe.2),
            ("QM statistic", self.qm.0),
            ("p-value of QM", self.qm.3),
            ("I^2", self.i2),
            ("H^2", self.h2),
            ("R^2", self.r2.unwrap_or(0.0)),
        ]);
        v.extend(
            self.vcov
                .iter()
                .map(|&x| ("covariance of the coefficients", x)),
        );
        finite(&v)
    }
}

struct Fit {
    a_inv: DMatrix<f64>,
    beta: DVector<f64>,
    ypy: f64,
    yppy: f64,
    tr_p: f64,
    tr_pp: f64,
    sw: f64,
    sw2: f64,
    /// `ln det(X'WX)`.
    log_det_a: f64,
}

fn fit(x: &DMatrix<f64>, y: &[f64], w: &[f64]) -> Option<Fit> {
    let (k, p) = x.shape();
    let mut a: DMatrix<f64> = DMatrix::zeros(p, p);
    let mut b2 = DMatrix::zeros(p, p);
    let mut b3 = DMatrix::zeros(p, p);
    let mut xwy: DVector<f64> = DVector::zeros(p);
    for i in 0..k {
        let wi = w[i];
        for r in 0..p {
            xwy[r] += wi * x[(i, r)] * y[i];
            for c in 0..p {
                let xx = x[(i, r)] * x[(i, c)];
                a[(r, c)] += wi * xx;
                b2[(r, c)] += wi * wi * xx;
                b3[(r, c)] += wi * wi * wi * xx;
            }
        }
    }
    let log_det_a = a.determinant().ln();
    let a_inv = a.try_inverse()?;
    let beta: DVector<f64> = &a_inv * xwy;
    let (mut ypy, mut yppy, mut sw, mut sw2) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..k {
        let fitted: f64 = (0..p).map(|c| x[(i, c)] * beta[c]).sum();
        let r = y[i] - fitted;
        ypy += w[i] * r * r;
        yppy += w[i] * w[i] * r * r;
        sw += w[i];
        sw2 += w[i] * w[i];
    }
    let ab2 = &a_inv * &b2;
    let tr_p = sw - ab2.trace();
    let tr_pp = sw2 - 2.0 * (&a_inv * &b3).trace() + (&ab2 * &ab2).trace();
    Some(Fit {
        a_inv,
        beta,
        ypy,
        yppy,
        tr_p,
        tr_pp,
        sw,
        sw2,
        log_det_a,
    })
}

fn weights(v: &[f64], tau2: f64) -> Vec<f64> {
    v.iter().map(|vi| 1.0 / (vi + tau2)).collect()
}

/// Estimates the residual τ² of the model with design `x` (see the module documentation).
pub fn tau2(
    x: &DMatrix<f64>,
    y: &[f64],
    v: &[f64],
    method: Tau2Method,
) -> Result<Tau2Fit, RegressionError> {
    let (k, p) = x.shape();
    let kp = (k - p) as f64;
    let f0 = fit(x, y, &weights(v, 0.0)).ok_or(RegressionError::Singular)?;
    // Hedges (OLS) estimate, also the start of the iterative estimators.
    let he = {
        let ones = vec![1.0; k];
        let ols = fit(x, y, &ones).ok_or(RegressionError::Singular)?;
        let mut xvx = DMatrix::zeros(p, p);
        for i in 0..k {
            for r in 0..p {
                for c in 0..p {
                    xvx[(r, c)] += v[i] * x[(i, r)] * x[(i, c)];
                }
            }
        }
        let tr_pv = v.iter().sum::<f64>() - (&ols.a_inv * xvx).trace();
        ((ols.ypy - tr_pv) / kp, ols.ypy)
    };
    let (he, rss) = he;
    let closed = |t: f64| {
        Ok(Tau2Fit {
            tau2: t.max(0.0),
            iterations: None,
            truncated: t < 0.0,
            other: None,
        })
    };
    match method {
        Tau2Method::DL => closed((f0.ypy - kp) / f0.tr_p),
        Tau2Method::HE => closed(he),
        Tau2Method::HS => closed((f0.ypy - k as f64) / f0.sw),
        Tau2Method::SJ => {
            let t0 = unweighted(y).1 / k as f64;
            let f = fit(x, y, &weights(v, t0)).ok_or(RegressionError::Singular)?;
            closed(t0 * f.ypy / kp)
        }
        Tau2Method::PM | Tau2Method::EB | Tau2Method::ML | Tau2Method::REML => {
            let score = |t: f64| -> (f64, f64, f64) {
                let Some(f) = fit(x, y, &weights(v, t)) else {
                    return (f64::NAN, f64::NAN, 1.0);
                };
                match method {
                    Tau2Method::ML => (f.yppy - f.sw, -f.sw2, f.yppy.max(f.sw)),
                    Tau2Method::REML => (f.yppy - f.tr_p, -f.tr_pp, f.yppy.max(f.tr_p)),
                    _ => (f.ypy - kp, -f.yppy, f.ypy.max(kp)),
                }
            };
            let scale = v.iter().sum::<f64>() / k as f64;
            if matches!(method, Tau2Method::ML | Tau2Method::REML) {
                return likelihood_maximum(method, &score, x, y, v, rss);
            }
            if !(score(0.0).0 > 0.0) {
                return Ok(Tau2Fit {
                    tau2: 0.0,
                    iterations: Some(0),
                    truncated: true,
                    other: None,
                });
            }
            solve_decreasing(method, score, he.max(scale * 1e-3), scale)
                .map(|(tau2, it)| Tau2Fit {
                    tau2,
                    iterations: Some(it),
                    truncated: false,
                    other: None,
                })
                .map_err(|_| RegressionError::NotConverged(method))
        }
    }
}

/// The log-likelihood (`method` ML) or restricted log-likelihood (REML) of the model with
/// design `x` at `tau2`, without its constant (see [`likelihood_maximum`]); −∞ when the
/// design is singular.
pub fn loglik(x: &DMatrix<f64>, y: &[f64], v: &[f64], method: Tau2Method, tau2: f64) -> f64 {
    let Some(f) = fit(x, y, &weights(v, tau2)) else {
        return f64::NEG_INFINITY;
    };
    let logs: f64 = v.iter().map(|vi| (vi + tau2).ln()).sum();
    let det = if method == Tau2Method::REML {
        f.log_det_a
    } else {
        0.0
    };
    -0.5 * (logs + det + f.ypy)
}

/// The ML or REML estimate as the global maximum of the (restricted) log-likelihood
/// ```text
/// ML:   ℓ(τ²) = −½ (Σ ln(vᵢ + τ²) + y'Py)
/// REML: ℓ(τ²) = −½ (Σ ln(vᵢ + τ²) + ln det(X'WX) + y'Py)
/// ```
/// With moderators, as without, the likelihood can have two maxima, so a root of the score is
/// not enough: [`super::tau2::global`] scans the score's sign over every τ² where a root can
/// be (its bound uses `rss`, the residual sum of squares of the unweighted fit), solves every
/// root within its bracket and keeps the candidate (0 included) with the largest likelihood.
fn likelihood_maximum(
    method: Tau2Method,
    score: &dyn Fn(f64) -> (f64, f64, f64),
    x: &DMatrix<f64>,
    y: &[f64],
    v: &[f64],
    rss: f64,
) -> Result<Tau2Fit, RegressionError> {
    let loglik = |t: f64| loglik(x, y, v, method, t);
    let (k, p) = x.shape();
    let m = if method == Tau2Method::REML { k - p } else { k } as f64;
    let (v_min, v_max) = v
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &t| (a.min(t), b.max(t)));
    let grid = global::grid(v_min, global::upper_bound(rss, v_max, m));
    let values = global::scan(&grid, score);
    global::maximise(method, &grid, &values, score, &loglik, None)
        .map(|max| max.fit())
        .map_err(|_| RegressionError::NotConverged(method))
}

/// The parts of a fit that the permutation test recomputes for every permutation.
pub(crate) struct Core {
    t2: f64,
    iterations: Option<usize>,
    other: Option<OtherMaximum>,
    f: Fit,
    vb: DMatrix<f64>,
    /// z (or t with Knapp–Hartung) statistic of each coefficient.
    pub(crate) statistics: Vec<f64>,
    /// Wald statistic `β̂₁'Var(β̂₁)⁻¹β̂₁` of the moderators (0 without moderators).
    pub(crate) qm: f64,
}

/// Fits τ², β̂ and its covariance, the coefficient statistics and the Wald statistic.
pub(crate) fn core(
    x: &DMatrix<f64>,
    y: &[f64],
    v: &[f64],
    method: Option<Tau2Method>,
    knapp_hartung: bool,
) -> Result<Core, RegressionError> {
    let (k, p) = x.shape();
    let (t2, iterations, other) = match method {
        Some(m) => {
            let fit = tau2(x, y, v, m)?;
            (fit.tau2, fit.iterations, fit.other)
        }
        None => (0.0, None, None),
    };
    let f = fit(x, y, &weights(v, t2)).ok_or(RegressionError::Singular)?;
    let kp = (k - p) as f64;
    let s2 = if knapp_hartung {
        if f.ypy <= f64::EPSILON {
            0.0
        } else {
            f.ypy / kp
        }
    } else {
        1.0
    };
    f.check_finite()?;
    let vb = &f.a_inv * s2;
    let statistics: Vec<f64> = (0..p).map(|j| f.beta[j] / vb[(j, j)].sqrt()).collect();
    let qm = if p > 1 {
        let b = f.beta.rows(1, p - 1).into_owned();
        let m = vb.view((1, 1), (p - 1, p - 1)).into_owned();
        m.try_inverse()
            .map(|mi| (b.transpose() * mi * &b)[(0, 0)])
            .ok_or(RegressionError::Singular)?
    } else {
        0.0
    };
    let stats = statistics
        .iter()
        .map(|&z| ("test statistic of a coefficient", z));
    finite(&stats.chain([("QM statistic", qm)]).collect::<Vec<_>>())?;
    Ok(Core {
        t2,
        iterations,
        other,
        f,
        vb,
        statistics,
        qm,
    })
}

/// Fits the meta-regression of effects `y` (variances `v`) on the design `x` (first column
/// the intercept), with `names` for the columns.
pub fn meta_regression(
    x: &DMatrix<f64>,
    names: &[String],
    y: &[f64],
    v: &[f64],
    method: Option<Tau2Method>,
    knapp_hartung: bool,
    level: f64,
) -> Result<MetaRegression, RegressionError> {
    let (k, p) = x.shape();
    if k <= p {
        return Err(RegressionError::TooFew { p, k });
    }
    // Extreme moderators overflow the weighted sums before any estimator can work with them.
    fit(x, y, &weights(v, 0.0))
        .ok_or(RegressionError::Singular)?
        .check_finite()?;
    let Core {
        t2,
        iterations,
        other,
        f,
        vb,
        statistics,
        qm: q,
    } = core(x, y, v, method, knapp_hartung)?;
    let kp = (k - p) as f64;
    let crit = if knapp_hartung {
        dist::t_crit(level, kp)
    } else {
        dist::z_crit(level)
    };
    let coefficients = (0..p)
        .map(|j| {
            let se = vb[(j, j)].sqrt();
            let stat = statistics[j];
            Coefficient {
                name: names[j].clone(),
                estimate: f.beta[j],
                se,
                statistic: stat,
                p_value: if knapp_hartung {
                    dist::p_t(stat, kp)
                } else {
                    dist::p_normal(stat)
                },
                ci_low: f.beta[j] - crit * se,
                ci_high: f.beta[j] + crit * se,
            }
        })
        .collect();
    // Omnibus test of the moderators (all but the intercept).
    let qm = if p > 1 {
        let df1 = p - 1;
        if knapp_hartung {
            let fstat = q / df1 as f64;
            let pval = dist::f_sf(fstat, df1 as f64, kp);
            (fstat, df1, Some(k - p), pval)
        } else {
            (q, df1, None, dist::chi2_sf(q, df1 as f64))
        }
    } else {
        (0.0, 0, None, 1.0)
    };
    let f0 = fit(x, y, &weights(v, 0.0)).ok_or(RegressionError::Singular)?;
    let qe = (f0.ypy.max(0.0), k - p, dist::chi2_sf(f0.ypy.max(0.0), kp));
    let vt = kp / f0.tr_p;
    let (i2, h2) = match method {
        Some(_) => (100.0 * t2 / (vt + t2), t2 / vt + 1.0),
        None => (
            if f0.ypy > 0.0 {
                (100.0 * (f0.ypy - kp) / f0.ypy).max(0.0)
            } else {
                0.0
            },
            f0.ypy / kp,
        ),
    };
    let r2 = match method {
        // Common-effect models: the adjusted R² of the weighted regression (as metafor).
        None if p > 1 => {
            let ones = DMatrix::from_element(k, 1, 1.0);
            let q0 = fit(&ones, y, &weights(v, 0.0))
                .ok_or(RegressionError::Singular)?
                .ypy;
            (q0 > 0.0).then(|| (100.0 * (1.0 - (f0.ypy / kp) / (q0 / (k - 1) as f64))).max(0.0))
        }
        Some(m) if p > 1 => {
            let ones = DMatrix::from_element(k, 1, 1.0);
            let t0 = tau2(&ones, y, v, m)?.tau2;
            (t0 > 0.0).then(|| (100.0 * (t0 - t2) / t0).max(0.0))
        }
        _ => None,
    };
    let result = MetaRegression {
        coefficients,
        tau2: t2,
        qe,
        qm,
        i2,
        h2,
        r2,
        k,
        iterations,
        tau2_other: other,
        vcov: vb.transpose().iter().copied().collect(),
    };
    result.check_finite()?;
    Ok(result)
}
