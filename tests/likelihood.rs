//! REML and ML estimates are global maxima of their likelihoods over τ² ≥ 0.
//!
//! The analyses generated here mix very precise studies that agree with very imprecise
//! ones that scatter widely: such likelihoods often have two maxima (one of them at the
//! boundary τ² = 0), and a search from one starting value finds whichever is nearer. No τ²
//! on a dense grid may have a higher (restricted) log-likelihood than repool's estimate.

use nalgebra::DMatrix;
use proptest::prelude::*;
use repool::pool::regression::{self, meta_regression};
use repool::pool::tau2::{estimate, ml, reml, Tau2Method, BIMODAL_GAP};

/// A study: precise and close to 0, or imprecise and anywhere.
fn study() -> impl Strategy<Value = (f64, f64)> {
    prop_oneof![
        (-0.3f64..0.3, -3.5f64..-1.0).prop_map(|(y, lv)| (y, 10f64.powf(lv))),
        (-15.0f64..15.0, -0.5f64..1.7).prop_map(|(y, lv)| (y, 10f64.powf(lv))),
    ]
}

fn analysis() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec(study(), 3..16)
}

/// 0 and 2,601 points from 10⁻⁸ to 10⁵ (ratio 1.0116).
fn dense_grid() -> impl Iterator<Item = f64> {
    std::iter::once(0.0).chain((0..=2600).map(|j| 10f64.powf(-8.0 + j as f64 * 0.005)))
}

/// The grid point whose log-likelihood beats `best` by more than rounding, if any.
fn better_point(ll: impl Fn(f64) -> f64, best: f64) -> Option<(f64, f64)> {
    dense_grid()
        .map(|t| (t, ll(t)))
        .find(|&(_, l)| l > best + 1e-9 * (1.0 + best.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn reml_and_ml_are_global_maxima(d in analysis()) {
        let (y, v): (Vec<f64>, Vec<f64>) = d.into_iter().unzip();
        for method in [Tau2Method::REML, Tau2Method::ML] {
            let ll = |t: f64| match method {
                Tau2Method::REML => reml::loglik(&y, &v, t),
                _ => ml::loglik(&y, &v, t),
            };
            let fit = estimate(method, &y, &v).unwrap();
            let best = ll(fit.tau2);
            prop_assert!(
                better_point(ll, best).is_none(),
                "{method}: estimate {} (log-likelihood {best}) is beaten by {:?}",
                fit.tau2, better_point(ll, best)
            );
            if let Some(o) = fit.other {
                prop_assert!(o.loglik_gap >= 0.0 && o.loglik_gap <= BIMODAL_GAP);
                prop_assert!((ll(fit.tau2) - ll(o.tau2) - o.loglik_gap).abs() < 1e-9 * (1.0 + best.abs()));
            }
        }
    }

    #[test]
    fn meta_regression_reml_and_ml_are_global_maxima(
        d in analysis(), slope in -5.0f64..5.0,
    ) {
        let k = d.len();
        prop_assume!(k >= 4);
        // One moderator, the study's position, with a true slope.
        let x = DMatrix::from_fn(k, 2, |i, j| if j == 0 { 1.0 } else { i as f64 / k as f64 });
        let (y, v): (Vec<f64>, Vec<f64>) =
            d.iter().enumerate().map(|(i, &(y, v))| (y + slope * x[(i, 1)], v)).unzip();
        let names = vec!["intrcpt".to_string(), "x".to_string()];
        for method in [Tau2Method::REML, Tau2Method::ML] {
            let r = meta_regression(&x, &names, &y, &v, Some(method), false, 0.95).unwrap();
            let ll = |t: f64| regression::loglik(&x, &y, &v, method, t);
            let best = ll(r.tau2);
            prop_assert!(
                better_point(ll, best).is_none(),
                "{method}: estimate {} (log-likelihood {best}) is beaten by {:?}",
                r.tau2, better_point(ll, best)
            );
        }
    }
}

/// Gibson et al. (2002), 13 trials of asthma self-management education (mean differences,
/// metadat's `dat.gibson2002`): the restricted likelihood has maxima at τ² = 0 and 9.68.
/// The global one is at 9.68, where metafor's `rma()` gives −2.457 (SE 1.064); it is
/// reported with the lower one (golden values in `tests/golden/metafor.json`).
#[test]
fn gibson2002_reml_is_the_higher_of_two_maxima() {
    let d = [
        (-3.0, 12.73f64.powi(2) / 50.0 + 12.50f64.powi(2) / 54.0),
        (-16.5, 24.20f64.powi(2) / 140.0 + 38.80f64.powi(2) / 136.0),
        (0.15, 0.56f64.powi(2) / 23.0 + 0.29f64.powi(2) / 19.0),
        (-0.57, 5.93f64.powi(2) / 97.0 + 4.95f64.powi(2) / 94.0),
        (-15.08, 6.05f64.powi(2) / 35.0 + 26.34f64.powi(2) / 35.0),
        (-1.46, 4.75f64.powi(2) / 45.0 + 9.16f64.powi(2) / 55.0),
        (-2.0, 9.00f64.powi(2) / 56.0 + 7.20f64.powi(2) / 59.0),
        (-7.7, 11.80f64.powi(2) / 20.0 + 17.90f64.powi(2) / 20.0),
        (-0.9, 3.30f64.powi(2) / 128.0 + 7.60f64.powi(2) / 143.0),
        (0.52, 12.20f64.powi(2) / 119.0 + 8.57f64.powi(2) / 100.0),
        (-3.0, 8.00f64.powi(2) / 32.0 + 14.00f64.powi(2) / 33.0),
        (0.26, 1.48f64.powi(2) / 86.0 + 1.20f64.powi(2) / 100.0),
        (-18.0, 32.00f64.powi(2) / 25.0 + 70.00f64.powi(2) / 24.0),
    ];
    let (y, v): (Vec<f64>, Vec<f64>) = d.into_iter().unzip();
    let fit = estimate(Tau2Method::REML, &y, &v).unwrap();
    assert!((fit.tau2 - 9.679).abs() < 0.01, "{}", fit.tau2);
    let other = fit.other.expect("the maximum at 0 is reported");
    assert_eq!(other.tau2, 0.0);
    assert!(other.loglik_gap > 1.0 && other.loglik_gap < BIMODAL_GAP);
}
