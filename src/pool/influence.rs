//! Influence diagnostics of a random- or common-effect model, as metafor's `influence()`.
//!
//! # Formula
//! With the full fit `μ̂, Var(μ̂) = 1/Σw` (`w = 1/(v + τ²)`, times `s²` with HKSJ), hat values
//! `h_i = w_i/Σw`, and the fit without study i (`μ̂₍ᵢ₎, τ²₍ᵢ₎, Var₍ᵢ₎`):
//! ```text
//! rstudent_i = (y_i − μ̂₍ᵢ₎) / sqrt(s²₍ᵢ₎ (v_i + τ²₍ᵢ₎) + Var₍ᵢ₎)
//! DFFITS_i   = (μ̂ − μ̂₍ᵢ₎) / sqrt(s²₍ᵢ₎ h_i (τ²₍ᵢ₎ + v_i))
//! Cook's D_i = (μ̂ − μ̂₍ᵢ₎)² / Var(μ̂)
//! COVRATIO_i = Var₍ᵢ₎ / Var(μ̂)
//! DFBETAS_i  = (μ̂ − μ̂₍ᵢ₎) / sqrt(s²₍ᵢ₎ / Σ_j 1/(v_j + τ²₍ᵢ₎))    (sum over all k studies)
//! influential: |DFFITS| > 3 sqrt(p/(k − p)), P(χ²₁ ≤ D) > 0.5, h > 3p/k, or |DFBETAS| > 1
//! ```
//! and the Baujat coordinates (as metafor's `baujat()`): the study's contribution to the
//! heterogeneity, `(y_i − μ̂)²/(v_i + τ²)`, against its influence on the pooled result,
//! `(μ̂ − μ̂₍ᵢ₎)² / Var₍ᵢ₎`.
//!
//! # References
//! - Viechtbauer W, Cheung MWL (2010). Outlier and influence diagnostics for meta-analysis.
//!   Res Synth Methods 1:112–125.
//! - Baujat B, Mahé C, Pignon JP, Hill C (2002). A graphical method for exploring
//!   heterogeneity in meta-analyses: application to a meta-analysis of 65 trials. Stat Med
//!   21:2641–2652.
//! - metafor `influence.rma.uni()`, `baujat()`.

use super::tau2::{self, Tau2Method};
use super::NotConverged;
use crate::dist;

/// Diagnostics of one study.
#[derive(Debug, Clone, PartialEq)]
pub struct Influence {
    /// Externally standardised residual.
    pub rstudent: f64,
    /// DFFITS.
    pub dffits: f64,
    /// Cook's distance.
    pub cook_d: f64,
    /// Covariance ratio.
    pub cov_r: f64,
    /// τ² without the study.
    pub tau2_del: f64,
    /// Q without the study.
    pub qe_del: f64,
    /// Hat value.
    pub hat: f64,
    /// Weight, percent.
    pub weight: f64,
    /// DFBETAS of the pooled effect.
    pub dfbetas: f64,
    /// Flagged as influential by metafor's rule.
    pub influential: bool,
    /// Baujat x: contribution to the heterogeneity.
    pub baujat_x: f64,
    /// Baujat y: influence on the pooled result.
    pub baujat_y: f64,
}

struct Fit {
    mu: f64,
    var: f64,
    tau2: f64,
    q: f64,
    s2: f64,
}

fn fit(y: &[f64], v: &[f64], method: Option<Tau2Method>, hksj: bool) -> Result<Fit, NotConverged> {
    let t2 = match method {
        Some(m) => tau2::estimate(m, y, v)?.tau2,
        None => 0.0,
    };
    let (mu, se, _) = super::common::inverse_variance(y, v, t2);
    let (mu_fe, _, _) = super::common::inverse_variance(y, v, 0.0);
    let q = super::heterogeneity::cochran_q(y, v, mu_fe);
    let s2 = if hksj && y.len() > 1 {
        super::hksj::scale_factor(y, v, t2, mu, false)
    } else {
        1.0
    };
    Ok(Fit {
        mu,
        var: se * se * s2,
        tau2: t2,
        q,
        s2,
    })
}

/// Influence diagnostics of every study (effects `y`, variances `v`; needs `k ≥ 3`).
/// `method` is the τ² estimator (`None`: common effect); `hksj` uses the Knapp–Hartung
/// variance as metafor's `test = "knha"`.
pub fn influence(
    y: &[f64],
    v: &[f64],
    method: Option<Tau2Method>,
    hksj: bool,
) -> Result<Vec<Influence>, NotConverged> {
    let k = y.len();
    let full = fit(y, v, method, hksj)?;
    let w: Vec<f64> = v.iter().map(|vi| 1.0 / (vi + full.tau2)).collect();
    let sw: f64 = w.iter().sum();
    let p = 1.0;
    let mut out = Vec::with_capacity(k);
    for i in 0..k {
        let yd: Vec<f64> = y
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, x)| *x)
            .collect();
        let vd: Vec<f64> = v
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, x)| *x)
            .collect();
        let del = fit(&yd, &vd, method, hksj)?;
        let hat = w[i] / sw;
        let dfb = full.mu - del.mu;
        let vb_del_all: f64 = 1.0 / v.iter().map(|vj| 1.0 / (vj + del.tau2)).sum::<f64>();
        let dffits = dfb / (del.s2 * hat * (del.tau2 + v[i])).sqrt();
        let cook_d = dfb * dfb / full.var;
        let dfbetas = dfb / (del.s2 * vb_del_all).sqrt();
        let resid = y[i] - del.mu;
        let resid = if resid.abs() < 100.0 * f64::EPSILON {
            0.0
        } else {
            resid
        };
        let rstudent = resid / (v[i] * del.s2 + del.var + del.tau2 * del.s2).sqrt();
        let chi1 = 1.0 - dist::chi2_sf(cook_d, 1.0);
        let influential = dffits.abs() > 3.0 * (p / (k as f64 - p)).sqrt()
            || chi1 > 0.5
            || hat > 3.0 * p / k as f64
            || dfbetas.abs() > 1.0;
        out.push(Influence {
            rstudent,
            dffits,
            cook_d,
            cov_r: del.var / full.var,
            tau2_del: del.tau2,
            qe_del: del.q,
            hat,
            weight: 100.0 * hat,
            dfbetas,
            influential,
            baujat_x: (y[i] - full.mu).powi(2) / (v[i] + full.tau2),
            baujat_y: dfb * dfb / del.var,
        });
    }
    Ok(out)
}
