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

/// Why influence diagnostics cannot be given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InfluenceError {
    /// τ² could not be estimated (for all studies or without one).
    #[error(transparent)]
    NotConverged(#[from] NotConverged),
    /// A diagnostic of one study is not a finite number (extreme effects or variances, or a
    /// study of no weight).
    #[error("the {what} of the study at position {index} is not a finite number; check the input for extreme values")]
    NonFinite {
        /// 0-based position of the study among the studies with an effect.
        index: usize,
        /// Which diagnostic.
        what: &'static str,
    },
}

impl Influence {
    /// Checks that every diagnostic is a finite number; `index` names the study in the error.
    pub fn check_finite(&self, index: usize) -> Result<(), InfluenceError> {
        let values = [
            ("standardised residual", self.rstudent),
            ("DFFITS", self.dffits),
            ("Cook's distance", self.cook_d),
            ("covariance ratio", self.cov_r),
            ("tau^2 without it", self.tau2_del),
            ("Q without it", self.qe_del),
            ("hat value", self.hat),
            ("DFBETAS", self.dfbetas),
            ("Baujat x", self.baujat_x),
            ("Baujat y", self.baujat_y),
        ];
        match super::finite::first_non_finite(&values) {
            Some(what) => Err(InfluenceError::NonFinite { index, what }),
            None => Ok(()),
        }
    }
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

/// Influence diagnostics of every study (effects `y`, variances `v`; needs `k ≥ 3`); an
/// error names the first study whose diagnostics are not finite.
/// `method` is the τ² estimator (`None`: common effect); `hksj` uses the Knapp–Hartung
/// variance as metafor's `test = "knha"`. The fits without each study come from moments of
/// all studies computed once ([`super::loo`]), so k = 10,000 studies take milliseconds;
/// [`influence_by_refits`] refits from scratch and gives the same numbers (tested).
pub fn influence(
    y: &[f64],
    v: &[f64],
    method: Option<Tau2Method>,
    hksj: bool,
) -> Result<Vec<Influence>, InfluenceError> {
    let k = y.len();
    let full = fit(y, v, method, hksj)?;
    let sums = super::loo::LooSums::for_method(method, y, v, full.mu, full.tau2);
    let dels = (0..k).map(|i| {
        let tau2 = match method {
            Some(m) => super::loo::tau2_without(m, &sums, i, full.tau2, y, v)?,
            None => 0.0,
        };
        let raw = sums.at(tau2, Some(i));
        let mu_c = raw.mu();
        let sw = raw.a[1][0];
        let s2 = if hksj && k > 2 {
            let rss = raw.centred2(1, mu_c);
            if rss <= f64::EPSILON {
                0.0
            } else {
                rss / (k - 2) as f64
            }
        } else {
            1.0
        };
        Ok(Del {
            fit: Fit {
                mu: mu_c + sums.centre,
                var: s2 / sw,
                tau2,
                q: sums.at(0.0, Some(i)).q(),
                s2,
            },
            sw_all: sums.at(tau2, None).a[1][0],
        })
    });
    diagnostics(y, v, &full, dels)
}

/// [`influence`] by refitting the model without each study from scratch (O(k²)); the
/// reference for the fast path.
pub fn influence_by_refits(
    y: &[f64],
    v: &[f64],
    method: Option<Tau2Method>,
    hksj: bool,
) -> Result<Vec<Influence>, InfluenceError> {
    let k = y.len();
    let full = fit(y, v, method, hksj)?;
    let dels = (0..k).map(|i| {
        let yd: Vec<f64> = (0..k).filter(|&j| j != i).map(|j| y[j]).collect();
        let vd: Vec<f64> = (0..k).filter(|&j| j != i).map(|j| v[j]).collect();
        let fit = fit(&yd, &vd, method, hksj)?;
        let sw_all = v.iter().map(|vj| 1.0 / (vj + fit.tau2)).sum::<f64>();
        Ok(Del { fit, sw_all })
    });
    diagnostics(y, v, &full, dels)
}

/// The fit without one study, and `Σ_j 1/(v_j + τ²₍ᵢ₎)` over all k studies.
struct Del {
    fit: Fit,
    sw_all: f64,
}

fn diagnostics(
    y: &[f64],
    v: &[f64],
    full: &Fit,
    dels: impl Iterator<Item = Result<Del, NotConverged>>,
) -> Result<Vec<Influence>, InfluenceError> {
    let k = y.len();
    let sw: f64 = v.iter().map(|vi| 1.0 / (vi + full.tau2)).sum();
    let p = 1.0;
    let mut out = Vec::with_capacity(k);
    for (i, d) in dels.enumerate() {
        let Del { fit: del, sw_all } = d?;
        let hat = 1.0 / (v[i] + full.tau2) / sw;
        let dfb = full.mu - del.mu;
        let vb_del_all = 1.0 / sw_all;
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
        let d = Influence {
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
        };
        d.check_finite(i)?;
        out.push(d);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_influence_equals_refits() {
        let synthetic = |k: usize| -> (Vec<f64>, Vec<f64>) {
            let y = (0..k)
                .map(|i| {
                    -0.5 + ((i as f64) * 0.618_034).fract() + if i % 40 == 1 { 2.0 } else { 0.0 }
                })
                .collect();
            let v = (0..k)
                .map(|i| 0.02 + ((i as f64) * 0.414_214).fract() * 0.3)
                .collect();
            (y, v)
        };
        // Gibson 2002: bimodal likelihoods, whose subsets' global maxima switch modes.
        let data = [4usize, 9, 250]
            .map(synthetic)
            .into_iter()
            .chain([super::super::sensitivity::tests::gibson2002()]);
        for (y, v) in data {
            let k = y.len();
            for method in Tau2Method::ALL.map(Some).into_iter().chain([None]) {
                for hksj in [false, true] {
                    let fast = influence(&y, &v, method, hksj).unwrap();
                    let slow = influence_by_refits(&y, &v, method, hksj).unwrap();
                    let close = |a: f64, b: f64| (a - b).abs() <= 1e-8 * a.abs().max(1.0);
                    for (f, s) in fast.iter().zip(&slow) {
                        for (a, b) in [
                            (f.rstudent, s.rstudent),
                            (f.dffits, s.dffits),
                            (f.cook_d, s.cook_d),
                            (f.cov_r, s.cov_r),
                            (f.tau2_del, s.tau2_del),
                            (f.qe_del, s.qe_del),
                            (f.dfbetas, s.dfbetas),
                            (f.baujat_y, s.baujat_y),
                        ] {
                            assert!(close(a, b), "k={k} {method:?} hksj={hksj}: {a} vs {b}");
                        }
                        assert_eq!(f.influential, s.influential);
                    }
                }
            }
        }
    }
}
