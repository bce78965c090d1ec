//! Sensitivity analyses: leave-one-out and cumulative meta-analysis, each pool fitted
//! with the same configuration as the full analysis.
//!
//! # References
//! - Viechtbauer W, Cheung MWL (2010). Outlier and influence diagnostics for meta-analysis.
//!   Res Synth Methods 1:112–125 (leave-one-out).
//! - Lau J, Antman EM, Jimenez-Silva J, Kupelnick B, Mosteller F, Chalmers TC (1992).
//!   Cumulative meta-analysis of therapeutic trials for myocardial infarction. N Engl J Med
//!   327:248–254.
//! - metafor `leave1out()` and `cumul()`.

use super::{pool, PoolConfig, PoolError, PooledEstimate};
use crate::Study;

/// The pool without each study in turn: `(label of the omitted study, result)`.
///
/// # Examples
/// ```
/// use repool::effect::StudyData;
/// use repool::pool::{sensitivity::leave_one_out, Model, PoolConfig};
/// use repool::{Measure, Study};
/// let s: Vec<Study> = [(0.1, 0.01), (0.5, 0.02), (0.3, 0.04)].iter().enumerate()
///     .map(|(i, &(yi, vi))| Study::new(format!("s{i}"), StudyData::Effect { yi, vi })).collect();
/// let c = PoolConfig::metafor(Measure::Generic).model(Model::Fixed);
/// let loo = leave_one_out(&s, &c);
/// assert_eq!(loo.len(), 3);
/// // Without s0 the common effect is (0.5/0.02 + 0.3/0.04) / (1/0.02 + 1/0.04).
/// assert!((loo[0].1.as_ref().unwrap().estimate - (25.0 + 7.5) / 75.0).abs() < 1e-12);
/// ```
pub fn leave_one_out(
    studies: &[Study],
    config: &PoolConfig,
) -> Vec<(String, Result<PooledEstimate, PoolError>)> {
    (0..studies.len())
        .map(|i| {
            let rest: Vec<Study> = studies
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, s)| s.clone())
                .collect();
            (studies[i].label.clone(), pool(&rest, config))
        })
        .collect()
}

/// The studies ordered by precision for a cumulative meta-analysis: most precise first
/// (smallest sampling variance `vᵢ` of the study's effect in the pool of all studies with
/// `config`), studies without an effect last, ties in input order.
///
/// # Examples
/// ```
/// use repool::effect::StudyData;
/// use repool::pool::{sensitivity::by_precision, Model, PoolConfig};
/// use repool::{Measure, Study};
/// let s: Vec<Study> = [(0.1, 0.04), (0.5, 0.01), (0.3, 0.02)].iter().enumerate()
///     .map(|(i, &(yi, vi))| Study::new(format!("s{i}"), StudyData::Effect { yi, vi })).collect();
/// let c = PoolConfig::metafor(Measure::Generic).model(Model::Fixed);
/// let ordered = by_precision(&s, &c).unwrap();
/// let labels: Vec<&str> = ordered.iter().map(|s| s.label.as_str()).collect();
/// assert_eq!(labels, ["s1", "s2", "s0"]);
/// ```
pub fn by_precision(studies: &[Study], config: &PoolConfig) -> Result<Vec<Study>, PoolError> {
    let full = pool(studies, config)?;
    let mut idx: Vec<usize> = (0..studies.len()).collect();
    let var = |i: usize| {
        full.studies[i]
            .effect
            .map(|e| e.vi())
            .unwrap_or(f64::INFINITY)
    };
    idx.sort_by(|&a, &b| var(a).total_cmp(&var(b)));
    Ok(idx.into_iter().map(|i| studies[i].clone()).collect())
}

/// The pool of the first 1, 2, … k studies in the given order: `(label of the study
/// added, result)`.
pub fn cumulative(
    studies: &[Study],
    config: &PoolConfig,
) -> Vec<(String, Result<PooledEstimate, PoolError>)> {
    (1..=studies.len())
        .map(|n| (studies[n - 1].label.clone(), pool(&studies[..n], config)))
        .collect()
}

/// One fit of the fast leave-one-out or cumulative path.
#[derive(Debug, Clone, PartialEq)]
pub struct LooFit {
    /// Pooled effect without the study.
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit.
    pub ci_high: f64,
    /// Two-sided p-value (`None` when the SE is 0, as [`PooledEstimate::p_value`]).
    pub p_value: Option<f64>,
    /// τ² without the study (`None` for the common-effect model).
    pub tau2: Option<f64>,
    /// Cochran's Q without the study.
    pub q: f64,
    /// I² without the study, percent.
    pub i2: f64,
}

/// Why the fast leave-one-out path gives no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LooError {
    /// τ² could not be estimated.
    #[error(transparent)]
    NotConverged(#[from] crate::pool::NotConverged),
    /// A pool without one study has a number that is not finite; [`leave_one_out`] refits
    /// each pool and says which and why.
    #[error("the {what} of the pool without the study at position {index} is not a finite number; check the input for extreme values")]
    NonFinite {
        /// 0-based position of the omitted study.
        index: usize,
        /// Which value.
        what: &'static str,
    },
}

impl LooFit {
    /// Checks that every number of the fit is finite; `index` names the omitted study.
    pub fn check_finite(&self, index: usize) -> Result<(), LooError> {
        let values = [
            ("pooled estimate", self.estimate),
            ("standard error", self.se),
            ("lower confidence limit", self.ci_low),
            ("upper confidence limit", self.ci_high),
            ("p-value", self.p_value.unwrap_or(0.0)),
            ("tau^2", self.tau2.unwrap_or(0.0)),
            ("Q statistic", self.q),
            ("I^2", self.i2),
        ];
        match super::finite::first_non_finite(&values) {
            Some(what) => Err(LooError::NonFinite { index, what }),
            None => Ok(()),
        }
    }
}

/// Leave-one-out for inverse-variance pooling of precomputed effects, without the extras of
/// a full pool (notes, heterogeneity CIs, study rows). Each omitted study's sums come from
/// moments of all studies computed once ([`super::loo`]), and iterative τ² estimators start
/// at the full data's τ², so k = 10,000 studies take a fraction of a second with any
/// estimator. Gives the same numbers as [`leave_one_out`] (tested); a pool whose numbers are
/// not finite is an error ([`LooError::NonFinite`]), after which [`leave_one_out`] says, pool
/// by pool, what could not be computed.
pub fn leave_one_out_fast(
    y: &[f64],
    v: &[f64],
    config: &PoolConfig,
) -> Result<Vec<LooFit>, LooError> {
    use crate::pool::{tau2, Model};
    let k = y.len();
    let random = config.model == Model::Random;
    let full_t2 = if random {
        tau2::estimate(config.tau2_method, y, v)?.tau2
    } else {
        0.0
    };
    let sums = super::loo::LooSums::for_method(
        random.then_some(config.tau2_method),
        y,
        v,
        super::common::inverse_variance(y, v, full_t2).0,
        full_t2,
    );
    let mut out = Vec::with_capacity(k);
    for i in 0..k {
        let at0 = sums.at(0.0, Some(i));
        let t2 = if random {
            super::loo::tau2_without(config.tau2_method, &sums, i, full_t2, y, v)?
        } else {
            0.0
        };
        let raw = if t2 == 0.0 { at0 } else { sums.at(t2, Some(i)) };
        let fit = subset_fit(config, k - 1, &at0, &raw, sums.centre, t2);
        fit.check_finite(i)?;
        if config.measure.is_ratio() && !super::finite::ratio_fits(fit.ci_high) {
            return Err(LooError::NonFinite {
                index: i,
                what: "upper confidence limit of the pooled ratio",
            });
        }
        out.push(fit);
    }
    Ok(out)
}

/// The fit of `kd` studies from their sums at τ² = 0 (`at0`) and at their τ² (`raw`, equal
/// to `at0` when τ² = 0), effects centred at `origin`, as [`pool`] computes it.
fn subset_fit(
    config: &PoolConfig,
    kd: usize,
    at0: &super::loo::Raw,
    raw: &super::loo::Raw,
    origin: f64,
    t2: f64,
) -> LooFit {
    use crate::pool::{CiMethod, I2Method, Model};
    let random = config.model == Model::Random;
    let df = kd.saturating_sub(1) as f64;
    let q = at0.q();
    let sw = raw.a[1][0];
    let mu_c = raw.mu();
    let mu = mu_c + origin;
    let rss = raw.centred2(1, mu_c);
    let (se, crit, p_of): (f64, f64, Box<dyn Fn(f64) -> f64>) = match config.ci {
        CiMethod::Z => (
            sw.recip().sqrt(),
            crate::dist::z_crit(config.level),
            Box::new(crate::dist::p_normal),
        ),
        ci => {
            let mut s2w = if rss <= f64::EPSILON { 0.0 } else { rss / df };
            if ci == CiMethod::HksjAdhoc {
                s2w = s2w.max(1.0);
            }
            (
                (s2w / sw).sqrt(),
                crate::dist::t_crit(config.level, df),
                Box::new(move |t| crate::dist::p_t(t, df)),
            )
        }
    };
    let i2 = match (random, config.i2) {
        (true, I2Method::Tau2) if kd > 1 => {
            let s2v = df / at0.tr_p();
            100.0 * t2 / (s2v + t2)
        }
        _ if q > 0.0 && kd > 1 => (100.0 * (q - df) / q).max(0.0),
        _ => 0.0,
    };
    LooFit {
        estimate: mu,
        se,
        ci_low: mu - crit * se,
        ci_high: mu + crit * se,
        p_value: (se > 0.0).then(|| p_of(mu / se)),
        tau2: random.then_some(t2),
        q: if kd > 1 { q } else { 0.0 },
        i2,
    }
}

/// Cumulative meta-analysis for inverse-variance pooling of precomputed effects, without the
/// extras of a full pool: entry i is the pool of the studies up to and including i, where
/// `effects[i]` is study i's `(yᵢ, vᵢ)` or `None` for a study without an effect of its own
/// (its pool is the previous one). Each pool adds one study to the sums of the previous
/// ([`super::prefix`]) and iterative τ² estimators start from the previous τ², so k = 10,000
/// studies take milliseconds and memory O(k). Gives the same numbers and errors as
/// [`cumulative`] (tested); an effect the zero-cell rule `if0all` computes differently for
/// a prefix than for all studies is the caller's to avoid.
pub fn cumulative_fast(
    effects: &[Option<(f64, f64)>],
    config: &PoolConfig,
) -> Vec<Result<LooFit, PoolError>> {
    use crate::pool::{CiMethod, Model};
    let (y, v): (Vec<f64>, Vec<f64>) = effects.iter().flatten().copied().unzip();
    let random = config.model == Model::Random;
    let likelihood = matches!(
        config.tau2_method,
        crate::pool::Tau2Method::REML | crate::pool::Tau2Method::ML
    );
    let mut sums = super::prefix::PrefixSums::new(&y, &v, random && likelihood);
    let mut out: Vec<Result<LooFit, PoolError>> = Vec::with_capacity(effects.len());
    let mut prev_t2 = 0.0;
    for (i, e) in effects.iter().enumerate() {
        if e.is_none() {
            let last = out.last().cloned();
            out.push(last.unwrap_or(Err(PoolError::NoStudies { excluded: i + 1 })));
            continue;
        }
        sums.push();
        let fit = (|| {
            let t2 = if random {
                super::prefix::tau2_prefix(config.tau2_method, &sums, prev_t2)?
            } else {
                0.0
            };
            prev_t2 = t2;
            if sums.n < 2 && config.ci != CiMethod::Z {
                return Err(PoolError::HksjNeedsTwo);
            }
            let (at0, origin) = sums.at0();
            let (raw, origin) = if t2 == 0.0 {
                (at0, origin)
            } else {
                sums.at(t2)
            };
            let f = subset_fit(config, sums.n, &at0, &raw, origin, t2);
            for (what, x) in [
                ("pooled estimate", f.estimate),
                ("standard error", f.se),
                ("tau^2", f.tau2.unwrap_or(0.0)),
                ("Q statistic", f.q),
                ("I^2", f.i2),
            ] {
                if !x.is_finite() {
                    return Err(PoolError::NonFinite { what });
                }
            }
            Ok(f)
        })();
        out.push(fit);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn config(model: Model, tau2_method: Tau2Method, ci: CiMethod) -> PoolConfig {
        PoolConfig::metafor(Measure::Generic)
            .model(model)
            .tau2(tau2_method)
            .ci(ci)
    }
    use crate::effect::StudyData;
    use crate::pool::{CiMethod, Model, Tau2Method};
    use crate::Measure;

    /// k = 300 heterogeneous studies: the moment series (not the direct sums) carry the
    /// fast path here.
    #[test]
    fn fast_leave_one_out_equals_full_refits_many_studies() {
        let k = 300;
        let y: Vec<f64> = (0..k)
            .map(|i| {
                40.0 + ((i as f64) * 0.618_034).fract() * 3.0 + if i % 50 == 0 { 9.0 } else { 0.0 }
            })
            .collect();
        let v: Vec<f64> = (0..k)
            .map(|i| 0.2 + ((i as f64) * 0.414_214).fract() * 2.0)
            .collect();
        let studies: Vec<Study> = y
            .iter()
            .zip(&v)
            .enumerate()
            .map(|(i, (&yi, &vi))| Study::new(format!("s{i}"), StudyData::Effect { yi, vi }))
            .collect();
        for method in Tau2Method::ALL {
            for ci in [CiMethod::Z, CiMethod::Hksj] {
                let c = config(Model::Random, method, ci);
                let slow = leave_one_out(&studies, &c);
                let fast = leave_one_out_fast(&y, &v, &c).unwrap();
                for ((_, s), f) in slow.iter().zip(&fast) {
                    let s = s.as_ref().unwrap();
                    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
                    assert!(
                        close(s.tau2.unwrap(), f.tau2.unwrap()),
                        "{method}: {:?} vs {:?}",
                        s.tau2,
                        f.tau2
                    );
                    assert!(
                        close(s.estimate, f.estimate) && close(s.se, f.se),
                        "{method}"
                    );
                    assert!(
                        close(s.heterogeneity.q, f.q) && close(s.heterogeneity.i2_percent, f.i2)
                    );
                }
            }
        }
    }

    /// The fast cumulative pools against full refits ([`cumulative`]) of the same studies;
    /// `None` is a study without an effect. Returns the τ² of the fast pools.
    fn assert_cumulative_equals_refits(effects: &[Option<(f64, f64)>], c: &PoolConfig) -> Vec<f64> {
        let studies: Vec<Study> = effects
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let data = match *e {
                    Some((yi, vi)) => StudyData::Effect { yi, vi },
                    // A double-zero table, dropped from the study effects.
                    None => StudyData::TwoByTwo {
                        events_t: 0.0,
                        n_t: 10.0,
                        events_c: 0.0,
                        n_c: 10.0,
                    },
                };
                Study::new(format!("s{i}"), data)
            })
            .collect();
        let mut c_slow = *c;
        c_slow.effect.zero_cell.drop_double_zero = true;
        c_slow.measure = Measure::LogOddsRatio;
        let slow = cumulative(&studies, &c_slow);
        let fast = cumulative_fast(effects, c);
        assert_eq!(slow.len(), fast.len());
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        let mut tau2 = Vec::new();
        for (i, ((_, s), f)) in slow.iter().zip(&fast).enumerate() {
            let (s, f) = match (s, f) {
                (Ok(s), Ok(f)) => (s, f),
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "{c:?} pool {i}");
                    continue;
                }
                _ => panic!("{:?} pool {i}: {s:?} vs {f:?}", c.tau2_method),
            };
            let m = c.tau2_method;
            assert!(
                close(s.tau2.unwrap_or(0.0), f.tau2.unwrap_or(0.0)),
                "{m} pool {i}: tau2 {:?} vs {:?}",
                s.tau2,
                f.tau2
            );
            assert!(
                close(s.estimate, f.estimate) && close(s.se, f.se),
                "{m} pool {i}"
            );
            assert!(
                close(s.ci_low, f.ci_low) && close(s.ci_high, f.ci_high),
                "{m} {i}"
            );
            assert!(close(s.heterogeneity.q, f.q), "{m} pool {i}: Q");
            assert!(close(s.heterogeneity.i2_percent, f.i2), "{m} pool {i}: I2");
            match (s.p_value, f.p_value) {
                (Some(p), Some(q)) => assert!(close(p, q), "{m} pool {i}: p"),
                (p, q) => assert_eq!(p, q, "{m} pool {i}: p"),
            }
            tau2.push(f.tau2.unwrap_or(0.0));
        }
        tau2
    }

    /// k = 300 heterogeneous studies, two without an effect (first and 151st), every
    /// estimator, z and HKSJ CIs, random and common effect.
    #[test]
    fn fast_cumulative_equals_full_refits() {
        let effects: Vec<Option<(f64, f64)>> = (0..300)
            .map(|i| {
                let x = i as f64;
                let y = 40.0 + (x * 0.618_034).fract() * 3.0 + if i % 50 == 0 { 9.0 } else { 0.0 };
                let v = 0.2 + (x * 0.414_214).fract() * 2.0;
                (i != 0 && i != 150).then_some((y, v))
            })
            .collect();
        for method in Tau2Method::ALL {
            for ci in [CiMethod::Z, CiMethod::Hksj, CiMethod::HksjAdhoc] {
                assert_cumulative_equals_refits(&effects, &config(Model::Random, method, ci));
            }
        }
        assert_cumulative_equals_refits(
            &effects,
            &config(Model::Fixed, Tau2Method::DL, CiMethod::Z),
        );
    }

    /// Precise studies that agree and imprecise ones that scatter, in an order in which the
    /// global maximum of the REML and ML likelihoods moves between a mode at or near 0 and
    /// one far above it; several prefixes have two maxima. Each pool equals a full refit.
    #[test]
    fn fast_cumulative_finds_each_prefixs_global_maximum() {
        let effects: Vec<Option<(f64, f64)>> = (0..120)
            .map(|i| {
                let u = (i as f64 * 0.618_034).fract();
                let w = (i as f64 * 0.414_214).fract();
                Some(if i % 6 == 0 || (60..80).contains(&i) {
                    (-6.0 + 12.0 * u, 10f64.powf(-0.5 + 2.0 * w))
                } else {
                    (-0.3 + 0.6 * u, 10f64.powf(-3.0 + 2.5 * w))
                })
            })
            .collect();
        for method in [Tau2Method::REML, Tau2Method::ML] {
            let c = config(Model::Random, method, CiMethod::Z);
            let tau2 = assert_cumulative_equals_refits(&effects, &c);
            let (y, v): (Vec<f64>, Vec<f64>) = effects.iter().flatten().copied().unzip();
            let bimodal = (31..=y.len())
                .filter(|&n| {
                    crate::pool::tau2::estimate(method, &y[..n], &v[..n])
                        .unwrap()
                        .other
                        .is_some()
                })
                .count();
            // The lower mode lies near 0.04, the upper one above 0.8.
            let (low, high) = (
                tau2[30..].iter().filter(|t| **t < 0.2).count(),
                tau2[30..].iter().filter(|t| **t > 0.8).count(),
            );
            assert!(
                bimodal > 0 && low > 0 && high > 0,
                "{method}: {bimodal} bimodal, modes {low}/{high}"
            );
        }
    }

    /// Gibson et al. (2002), Cochrane review of asthma self-management education, the 13
    /// trials with means and SDs (metadat's `dat.gibson2002`): mean differences and their
    /// variances `sd_t²/n_t + sd_c²/n_c`. Its REML and ML likelihoods are bimodal.
    pub(crate) fn gibson2002() -> (Vec<f64>, Vec<f64>) {
        let arms: [(f64, f64, f64, f64, f64, f64); 13] = [
            (50.0, 2.20, 12.73, 54.0, 5.20, 12.50),
            (140.0, 17.60, 24.20, 136.0, 34.10, 38.80),
            (23.0, 0.38, 0.56, 19.0, 0.23, 0.29),
            (97.0, 2.09, 5.93, 94.0, 2.66, 4.95),
            (35.0, 4.92, 6.05, 35.0, 20.00, 26.34),
            (45.0, 0.85, 4.75, 55.0, 2.31, 9.16),
            (56.0, 2.80, 9.00, 59.0, 4.80, 7.20),
            (20.0, 24.10, 11.80, 20.0, 31.80, 17.90),
            (128.0, 1.40, 3.30, 143.0, 2.30, 7.60),
            (119.0, 6.23, 12.20, 100.0, 5.71, 8.57),
            (32.0, 2.10, 8.00, 33.0, 5.10, 14.00),
            (86.0, 0.73, 1.48, 100.0, 0.47, 1.20),
            (25.0, 8.00, 32.00, 24.0, 26.00, 70.00),
        ];
        arms.iter()
            .map(|&(n1, m1, s1, n2, m2, s2)| (m1 - m2, s1 * s1 / n1 + s2 * s2 / n2))
            .unzip()
    }

    /// Leaving out a study can move the global maximum of a bimodal likelihood to the other
    /// mode (for Gibson 2002 under REML from 9.7 to 0.33, under ML from 0 to 9.0): Newton steps from the
    /// full data's τ² alone would stay at the old mode; the fast path must equal full refits.
    #[test]
    fn fast_leave_one_out_finds_each_subsets_global_maximum() {
        let (y, v) = gibson2002();
        let studies: Vec<Study> = y
            .iter()
            .zip(&v)
            .enumerate()
            .map(|(i, (&yi, &vi))| Study::new(format!("s{i}"), StudyData::Effect { yi, vi }))
            .collect();
        for method in [Tau2Method::REML, Tau2Method::ML] {
            let c = config(Model::Random, method, CiMethod::Z);
            let slow = leave_one_out(&studies, &c);
            let fast = leave_one_out_fast(&y, &v, &c).unwrap();
            let mut modes = (0, 0);
            for ((_, s), f) in slow.iter().zip(&fast) {
                let s = s.as_ref().unwrap();
                let (ts, tf) = (s.tau2.unwrap(), f.tau2.unwrap());
                assert!(
                    (ts - tf).abs() <= 1e-8 * ts.max(1.0),
                    "{method}: {ts} vs {tf}"
                );
                assert!((s.estimate - f.estimate).abs() <= 1e-8 * s.estimate.abs().max(1.0));
                // The lower mode is at or near 0 (REML: 0.33 and 0.59 without the 2nd
                // and 5th trials), the upper one above 5.
                if tf < 1.0 {
                    modes.0 += 1;
                } else if tf > 5.0 {
                    modes.1 += 1;
                }
            }
            assert!(
                modes.0 > 0 && modes.1 > 0,
                "{method} {modes:?}: both modes are reached"
            );
        }
    }

    #[test]
    fn fast_leave_one_out_equals_full_refits() {
        let y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9];
        let v = [
            0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225,
        ];
        let studies: Vec<Study> = y
            .iter()
            .zip(v)
            .enumerate()
            .map(|(i, (&yi, vi))| Study::new(format!("s{i}"), StudyData::Effect { yi, vi }))
            .collect();
        for (model, method, ci) in [
            (Model::Random, Tau2Method::REML, CiMethod::Z),
            (Model::Random, Tau2Method::DL, CiMethod::Hksj),
            (Model::Random, Tau2Method::PM, CiMethod::HksjAdhoc),
            (Model::Random, Tau2Method::HE, CiMethod::Z),
            (Model::Random, Tau2Method::HS, CiMethod::Z),
            (Model::Random, Tau2Method::SJ, CiMethod::Z),
            (Model::Random, Tau2Method::ML, CiMethod::Z),
            (Model::Random, Tau2Method::EB, CiMethod::Hksj),
            (Model::Fixed, Tau2Method::DL, CiMethod::Z),
        ] {
            let c = config(model, method, ci);
            let slow = leave_one_out(&studies, &c);
            let fast = leave_one_out_fast(&y, &v, &c).unwrap();
            for ((_, s), f) in slow.iter().zip(&fast) {
                let s = s.as_ref().unwrap();
                // The fast path subtracts sums; agreement to 1e-8 relative is the rounding of that.
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-8 * a.abs().max(1.0);
                assert!(
                    close(s.estimate, f.estimate) && close(s.se, f.se) && close(s.ci_low, f.ci_low),
                    "{model:?} {method}: {} vs {}",
                    s.estimate,
                    f.estimate
                );
                assert!(close(s.heterogeneity.q, f.q) && close(s.heterogeneity.i2_percent, f.i2));
                assert!(close(s.tau2.unwrap_or(0.0), f.tau2.unwrap_or(0.0)));
                assert!(close(s.p_value.unwrap(), f.p_value.unwrap()));
            }
        }
    }
}
