//! Property tests (proptest): invariants every pooling result must satisfy.

use proptest::prelude::*;
use repool::effect::StudyData;
use repool::pool::{pool, CiMethod, Model, PoolConfig, Tau2Method};
use repool::{Measure, Study};

fn config(model: Model, tau2_method: Tau2Method) -> PoolConfig {
    PoolConfig::metafor(Measure::Generic)
        .model(model)
        .tau2(tau2_method)
}

fn studies(yv: &[(f64, f64)]) -> Vec<Study> {
    yv.iter()
        .enumerate()
        .map(|(i, &(yi, vi))| Study::new(format!("s{i}"), StudyData::Effect { yi, vi }))
        .collect()
}

fn data() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((-5.0f64..5.0, 0.001f64..2.0), 2..30)
}

fn method() -> impl Strategy<Value = Tau2Method> {
    prop::sample::select(Tau2Method::ALL.to_vec())
}

fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1e-12)
}

proptest! {
    #[test]
    fn tau2_is_never_negative_and_i2_in_range(d in data(), m in method()) {
        let r = pool(&studies(&d), &config(Model::Random, m)).unwrap();
        prop_assert!(r.tau2.unwrap() >= 0.0);
        prop_assert!(r.heterogeneity.i2_percent >= 0.0 && r.heterogeneity.i2_percent < 100.0);
    }

    #[test]
    fn weights_sum_to_100(d in data(), m in method(), random in any::<bool>()) {
        let model = if random { Model::Random } else { Model::Fixed };
        let r = pool(&studies(&d), &config(model, m)).unwrap();
        let total: f64 = r.studies.iter().map(|s| s.weight_percent).sum();
        prop_assert!((total - 100.0).abs() < 1e-9);
    }

    #[test]
    fn permuting_studies_changes_nothing(d in data(), m in method(), seed in any::<u64>()) {
        let r1 = pool(&studies(&d), &config(Model::Random, m)).unwrap();
        let mut p = d.clone();
        // A deterministic shuffle driven by the seed.
        let mut s = seed | 1;
        for i in (1..p.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            p.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let r2 = pool(&studies(&p), &config(Model::Random, m)).unwrap();
        prop_assert!(rel_close(r1.estimate, r2.estimate, 1e-9));
        prop_assert!(rel_close(r1.se, r2.se, 1e-9));
        prop_assert!((r1.tau2.unwrap() - r2.tau2.unwrap()).abs() <= 1e-9 * r1.tau2.unwrap().max(1e-6));
    }

    #[test]
    fn random_effects_ci_is_at_least_as_wide(d in data(), m in method()) {
        let re = pool(&studies(&d), &config(Model::Random, m)).unwrap();
        let fe = pool(&studies(&d), &config(Model::Fixed, m)).unwrap();
        if re.tau2.unwrap() > 0.0 {
            prop_assert!(re.ci_high - re.ci_low >= (fe.ci_high - fe.ci_low) * (1.0 - 1e-12));
        }
    }

    #[test]
    fn common_effect_lies_within_the_studies(d in data()) {
        let fe = pool(&studies(&d), &config(Model::Fixed, Tau2Method::DL)).unwrap();
        let lo = d.iter().map(|x| x.0).fold(f64::INFINITY, f64::min);
        let hi = d.iter().map(|x| x.0).fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(fe.estimate >= lo - 1e-12 && fe.estimate <= hi + 1e-12);
    }

    #[test]
    fn scaling_y_by_c_scales_estimate_and_se(d in data(), m in method(), c in prop::sample::select(vec![-3.0, 0.5, 2.0, 10.0])) {
        let r1 = pool(&studies(&d), &config(Model::Random, m)).unwrap();
        let scaled: Vec<_> = d.iter().map(|&(y, v)| (c * y, c * c * v)).collect();
        let r2 = pool(&studies(&scaled), &config(Model::Random, m)).unwrap();
        prop_assert!(rel_close(r2.estimate, c * r1.estimate, 1e-6) || (r2.estimate - c * r1.estimate).abs() < 1e-9);
        prop_assert!(rel_close(r2.se, c.abs() * r1.se, 1e-6));
    }

    #[test]
    fn one_study_pools_to_itself(y in -5.0f64..5.0, v in 0.001f64..2.0, m in method()) {
        let r = pool(&studies(&[(y, v)]), &config(Model::Random, m)).unwrap();
        prop_assert_eq!(r.estimate, y);
        prop_assert_eq!(r.tau2, Some(0.0));
        prop_assert!(rel_close(r.se, v.sqrt(), 1e-12));
    }
}

#[test]
fn identical_effects_give_zero_heterogeneity() {
    let d = vec![(0.3, 0.01), (0.3, 0.05), (0.3, 0.2), (0.3, 0.02)];
    for m in Tau2Method::ALL {
        let r = pool(&studies(&d), &config(Model::Random, m)).unwrap();
        assert_eq!(r.tau2, Some(0.0), "{m}");
        assert!((r.estimate - 0.3).abs() < 1e-12);
        assert!(r.heterogeneity.q.abs() < 1e-20);
        assert_eq!(r.heterogeneity.i2_percent, 0.0);
    }
    // HKSJ with Q = 0 gives a zero-width CI (as metafor); the ad hoc variant does not.
    let mut c = config(Model::Random, Tau2Method::REML);
    c.ci = CiMethod::Hksj;
    let r = pool(&studies(&d), &c).unwrap();
    assert_eq!(r.se, 0.0);
    assert!(r.statistic.is_none() && r.p_value.is_none());
    c.ci = CiMethod::HksjAdhoc;
    let r = pool(&studies(&d), &c).unwrap();
    assert!(r.se > 0.0 && r.p_value.is_some());
}

#[test]
fn huge_weights_stay_finite() {
    let d = vec![(0.1, 1e-30), (0.5, 1.0), (-0.2, 0.5), (0.3, 1e-12)];
    for m in Tau2Method::ALL {
        let r = pool(&studies(&d), &config(Model::Random, m)).unwrap();
        assert!(
            r.estimate.is_finite() && r.se.is_finite() && r.tau2.unwrap().is_finite(),
            "{m}: {r:?}"
        );
        assert!(r.heterogeneity.i2_percent.is_finite());
    }
}

#[test]
fn one_hundred_thousand_studies_in_one_analysis() {
    // A deterministic spread of effects around 0.2 with heterogeneity.
    let d: Vec<(f64, f64)> = (0..100_000)
        .map(|i| {
            let u = ((i as f64) * 0.618_033_988_75).fract();
            (
                0.2 + (u - 0.5),
                0.01 + 0.1 * ((i as f64) * 0.414_213_562_37).fract(),
            )
        })
        .collect();
    for m in [Tau2Method::DL, Tau2Method::REML, Tau2Method::PM] {
        let r = pool(&studies(&d), &config(Model::Random, m)).unwrap();
        assert_eq!(r.k, 100_000);
        assert!(
            r.tau2.unwrap() > 0.0 && (r.estimate - 0.2).abs() < 0.01,
            "{m}: {}",
            r.estimate
        );
    }
}

#[test]
fn reml_converges_where_plain_fisher_scoring_struggles() {
    // One very precise outlier and many imprecise studies: a flat restricted likelihood.
    let mut d: Vec<(f64, f64)> = (0..20).map(|i| (i as f64 * 0.01, 50.0)).collect();
    d.push((30.0, 1e-4));
    let r = pool(&studies(&d), &config(Model::Random, Tau2Method::REML)).unwrap();
    assert!(r.tau2.unwrap() > 0.0);
    assert!(r.tau2_iterations.unwrap() > 0);
}

mod check_properties {
    use proptest::prelude::*;
    use repool::check::{check, Claim, ClaimMeasure, FlagCode, Lang, Reported, ReportedP};

    fn rounded(x: f64, d: u32) -> Reported {
        let s = format!("{x:.*}", d as usize);
        Reported::parse(&s).unwrap()
    }

    proptest! {
        // A CI built symmetric (on the analysis scale) and then rounded never raises
        // ci_asymmetric or p_mismatch, whatever the number of decimals printed.
        #[test]
        fn rounded_symmetric_interval_is_consistent(
            est in -50.0f64..50.0, se in 0.01f64..20.0, d in 0u32..4,
            ratio in any::<bool>(), pd in 2u32..5,
        ) {
            let z = 1.959963984540054;
            let (measure, e, l, h, g) = if ratio {
                let g = est / 25.0; // log ratio in [-2, 2]
                let s = se / 20.0;
                (ClaimMeasure::RR, g.exp(), (g - z * s).exp(), (g + z * s).exp(), g / s)
            } else {
                (ClaimMeasure::MD, est, est - z * se, est + z * se, est / se)
            };
            // Skip printouts that collapse (limits rounding to the same value or to 0 for ratios).
            let (re, rl, rh) = (rounded(e, d), rounded(l, d), rounded(h, d));
            prop_assume!(rl.value < rh.value);
            prop_assume!(!ratio || rl.value > 0.0);
            let p = 2.0 * (1.0 - statrs::distribution::ContinuousCDF::cdf(&statrs::distribution::Normal::standard(), g.abs()));
            let p_printed = if p < 0.001 { ReportedP::Below(0.001) } else { ReportedP::Equal(rounded(p, pd)) };
            let c = Claim {
                id: "p".into(), measure, estimate: re, ci_low: rl, ci_high: rh, level: 0.95,
                p: Some(p_printed), df: None, threshold: None, verdict: None,
            };
            let r = check(&c, Lang::En).unwrap();
            let bad: Vec<_> = r.flags.iter().filter(|f| matches!(f.code, FlagCode::CiAsymmetric | FlagCode::PMismatch)).collect();
            prop_assert!(bad.is_empty(), "{:?} for {:?}", bad, c);
        }
    }
}
