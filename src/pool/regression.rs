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
//! the likelihood can have two maxima, see `tau2::global`). Each equation is the
//! estimator's own in [`super::tau2`], fed the p × p sums of the design (`Design`); the
//! likelihoods are solved by Fisher scoring (the expected slope `−tr(PP)`, `−Σw²`) as
//! metafor does, the intercept-only model by Newton steps on the exact slope.
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

use super::tau2::{
    self, dl, global, he, hs, pm, sj, unweighted, LogTerms, Moments, OtherMaximum, Quiet, Slope,
    Sums, Tau2Fit, Tau2Method,
};
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
    /// Critical value of the confidence intervals: the t quantile with k − p df with the
    /// Knapp–Hartung method, the normal quantile otherwise.
    pub crit: f64,
}

/// The fitted line of a meta-regression on one moderator at one value of the moderator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinePoint {
    /// The fitted value `β̂₀ + β̂₁x`.
    pub fit: f64,
    /// Half the width of its confidence interval, `c √(x'Var(β̂)x)`.
    pub half_width: f64,
}

impl LinePoint {
    /// Lower confidence limit, `fit − half_width`.
    pub fn ci_low(&self) -> f64 {
        self.fit - self.half_width
    }

    /// Upper confidence limit, `fit + half_width`.
    pub fn ci_high(&self) -> f64 {
        self.fit + self.half_width
    }
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
    /// The model fits every effect exactly (QE = 0), so the Knapp–Hartung scale factor is 0
    /// and every standard error with it (metafor reports t = ∞).
    #[error("the model fits every effect exactly (QE = 0), so the Knapp-Hartung standard errors are all 0 and the tests infinite; use z tests")]
    ExactFit,
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
    /// The fitted line of a model with one moderator (the intercept and one slope) at the
    /// moderator value `x`, with its confidence interval, as drawn in a bubble plot.
    ///
    /// # Formula
    /// With `x = (1, x)'` and the covariance `Var(β̂)` of the coefficients ([`Self::vcov`]):
    /// ```text
    /// ŷ(x) = β̂₀ + β̂₁x
    /// ŷ(x) ± c √(x'Var(β̂)x) = ŷ(x) ± c √(v₀₀ + 2x v₀₁ + x² v₁₁)
    /// ```
    /// with `c` = [`Self::crit`] (z, or t with k − p df with Knapp–Hartung).
    ///
    /// # References
    /// - Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat
    ///   Softw 36(3):1–48; metafor `predict.rma()` (`ci.lb`, `ci.ub`) and `regplot()`.
    ///
    /// # Panics
    /// When the model has fewer than two coefficients.
    pub fn line_at(&self, x: f64) -> LinePoint {
        let p = self.coefficients.len();
        let (b0, b1) = (self.coefficients[0].estimate, self.coefficients[1].estimate);
        let (v00, v01, v11) = (self.vcov[0], self.vcov[1], self.vcov[p + 1]);
        LinePoint {
            fit: b0 + b1 * x,
            half_width: self.crit * (v00 + 2.0 * x * v01 + x * x * v11).max(0.0).sqrt(),
        }
    }

    /// Each study's weight in the fit, `1/(vᵢ + τ²)` (τ² = 0 for a common-effect model),
    /// from the studies' sampling variances `v`.
    pub fn weights(&self, v: &[f64]) -> Vec<f64> {
        v.iter().map(|vi| 1.0 / (vi + self.tau2)).collect()
    }

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
    /// `d(y'PPy)/dτ² = −2 y'PPPy = −2 (Σw³r² − g'A⁻¹g)`, `g = X'W²r`.
    d_yppy: f64,
    /// `ln det(X'WX)`.
    log_det_a: f64,
}

impl Fit {
    /// The moments of the estimating equations of [`super::tau2`].
    fn moments(&self) -> Moments {
        Moments {
            ypy: self.ypy,
            yppy: self.yppy,
            d_yppy: self.d_yppy,
            tr_p: self.tr_p,
            tr_pp: self.tr_pp,
            sw: self.sw,
            sw2: self.sw2,
        }
    }
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
    let (mut ypy, mut yppy, mut sw, mut sw2, mut sw3r2) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut g: DVector<f64> = DVector::zeros(p);
    for i in 0..k {
        let fitted: f64 = (0..p).map(|c| x[(i, c)] * beta[c]).sum();
        let r = y[i] - fitted;
        ypy += w[i] * r * r;
        yppy += w[i] * w[i] * r * r;
        sw3r2 += w[i] * w[i] * w[i] * r * r;
        sw += w[i];
        sw2 += w[i] * w[i];
        for c in 0..p {
            g[c] += w[i] * w[i] * r * x[(i, c)];
        }
    }
    let d_yppy = -2.0 * (sw3r2 - g.dot(&(&a_inv * &g)));
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
        d_yppy,
        log_det_a,
    })
}

fn weights(v: &[f64], tau2: f64) -> Vec<f64> {
    v.iter().map(|vi| 1.0 / (vi + tau2)).collect()
}

/// A meta-regression's data as the estimators of [`super::tau2`] see them: the sums of
/// the weighted fit of design `x` at any τ², through p × p matrices.
struct Design<'a> {
    x: &'a DMatrix<f64>,
    y: &'a [f64],
    v: &'a [f64],
    /// Residual sum of squares of the unweighted fit and `tr(P_OLS V)/(k − p)`.
    ols: (f64, f64),
}

impl<'a> Design<'a> {
    /// The design, with its unweighted fit; `Err` when the design is singular.
    fn new(x: &'a DMatrix<f64>, y: &'a [f64], v: &'a [f64]) -> Result<Self, RegressionError> {
        let (k, p) = x.shape();
        let ols = fit(x, y, &vec![1.0; k]).ok_or(RegressionError::Singular)?;
        let mut xvx = DMatrix::zeros(p, p);
        for i in 0..k {
            for r in 0..p {
                for c in 0..p {
                    xvx[(r, c)] += v[i] * x[(i, r)] * x[(i, c)];
                }
            }
        }
        let tr_pv = v.iter().sum::<f64>() - (&ols.a_inv * xvx).trace();
        Ok(Design {
            x,
            y,
            v,
            ols: (ols.ypy, tr_pv / (k - p) as f64),
        })
    }
}

impl Sums for Design<'_> {
    fn k(&self) -> usize {
        self.x.nrows()
    }
    fn p(&self) -> usize {
        self.x.ncols()
    }
    fn at(&self, tau2: f64) -> Moments {
        match fit(self.x, self.y, &weights(self.v, tau2)) {
            Some(f) => f.moments(),
            None => Moments {
                ypy: f64::NAN,
                yppy: f64::NAN,
                d_yppy: f64::NAN,
                tr_p: f64::NAN,
                tr_pp: f64::NAN,
                sw: f64::NAN,
                sw2: f64::NAN,
            },
        }
    }
    fn ss(&self) -> f64 {
        unweighted(self.y).1
    }
    fn ols(&self) -> (f64, f64) {
        self.ols
    }
    fn v_range(&self) -> (f64, f64) {
        tau2::v_range(self.v)
    }
    fn log_terms(&self, tau2: f64) -> LogTerms {
        let sum_log_v = self.v.iter().map(|vi| (vi + tau2).ln()).sum();
        match fit(self.x, self.y, &weights(self.v, tau2)) {
            Some(f) => LogTerms {
                sum_log_v,
                log_det: f.log_det_a,
                ypy: f.ypy,
            },
            // A singular design has no likelihood: −∞.
            None => LogTerms {
                sum_log_v,
                log_det: f64::INFINITY,
                ypy: f64::INFINITY,
            },
        }
    }
}

/// Estimates the residual τ² of the model with design `x` (see the module documentation).
pub fn tau2(
    x: &DMatrix<f64>,
    y: &[f64],
    v: &[f64],
    method: Tau2Method,
) -> Result<Tau2Fit, RegressionError> {
    let k = x.nrows();
    fit(x, y, &weights(v, 0.0)).ok_or(RegressionError::Singular)?;
    let design = Design::new(x, y, v)?;
    // A closed form is NaN only when the design is singular at the τ² it is read at.
    let closed = |raw: f64| match raw.is_nan() {
        true => Err(RegressionError::Singular),
        false => Ok(tau2::closed(raw)),
    };
    let not_converged = |_| RegressionError::NotConverged(method);
    match method {
        Tau2Method::DL => closed(dl::raw(&design)),
        Tau2Method::HE => closed(he::raw(&design)),
        Tau2Method::HS => closed(hs::raw(&design)),
        Tau2Method::SJ => closed(sj::raw(&design)),
        Tau2Method::ML | Tau2Method::REML => {
            global::estimate(method, &design, Slope::Expected, None, &mut Quiet)
                .map(|max| max.fit())
                .map_err(not_converged)
        }
        Tau2Method::PM | Tau2Method::EB => {
            // Start at the Hedges estimate, at least 1/1000 of the mean sampling variance.
            let scale = v.iter().sum::<f64>() / k as f64;
            let start = he::raw(&design).max(scale * 1e-3);
            pm::solve(method, &design, start, scale, &mut Quiet).map_err(not_converged)
        }
    }
}

/// The log-likelihood (`method` ML) or restricted log-likelihood (REML) of the model with
/// design `x` at `tau2`, without its constant:
/// ```text
/// ML:   ℓ(τ²) = −½ (Σ ln(vᵢ + τ²) + y'Py)
/// REML: ℓ(τ²) = −½ (Σ ln(vᵢ + τ²) + ln det(X'WX) + y'Py)
/// ```
/// −∞ when the design is singular. The ML and REML estimates are its global maximum over
/// τ² ≥ 0 (`tau2::global`).
pub fn loglik(x: &DMatrix<f64>, y: &[f64], v: &[f64], method: Tau2Method, tau2: f64) -> f64 {
    let Some(f) = fit(x, y, &weights(v, tau2)) else {
        return f64::NEG_INFINITY;
    };
    let logs: f64 = v.iter().map(|vi| (vi + tau2).ln()).sum();
    let terms = LogTerms {
        sum_log_v: logs,
        log_det: f.log_det_a,
        ypy: f.ypy,
    };
    global::loglik(method == Tau2Method::REML, terms)
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
            return Err(RegressionError::ExactFit);
        }
        f.ypy / kp
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
        crit,
    };
    result.check_finite()?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_at_adds_the_band_of_the_coefficients_covariance() {
        // y = 1 + 2x exactly: a common-effect fit through three points.
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 1.0, 1.0, 1.0, 2.0]);
        let names = ["intrcpt".to_string(), "x".to_string()];
        let r = meta_regression(
            &x,
            &names,
            &[1.0, 3.0, 5.0],
            &[0.5, 0.25, 0.5],
            None,
            false,
            0.95,
        )
        .unwrap();
        assert!((r.crit - dist::z_crit(0.95)).abs() < 1e-15);
        let at = r.line_at(3.0);
        assert!((at.fit - 7.0).abs() < 1e-12);
        // x'Vx with x = (1, 3) from the full covariance matrix.
        let xvx = r.vcov[0] + 2.0 * 3.0 * r.vcov[1] + 9.0 * r.vcov[3];
        assert!((at.half_width - r.crit * xvx.sqrt()).abs() < 1e-12);
        assert!((at.ci_high() - at.ci_low() - 2.0 * at.half_width).abs() < 1e-12);
        assert_eq!(r.weights(&[0.5, 0.25]), vec![2.0, 4.0]);
    }
}
