//! Network meta-analysis against metafor's rma.mv (tests/golden/make_network.R): the
//! smoking-cessation network (Hasselblad 1998, log OR, two three-arm studies) and the diabetes
//! network (Senn 2013, MD, one three-arm study).

mod util;

use repool::effect::EffectOptions;
use repool::io::network::{read_network, NetworkRows};
use repool::network::{analyse, pairwise, Fit, NetworkOptions};
use repool::Measure;
use serde_json::Value;

/// 1e-6 relative for the closed-form parts, as every golden test here.
fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-6 * b.abs().max(1e-3),
        "{what}: repool {a} vs metafor {b}"
    );
}

fn check(name: &str, measure: Measure) {
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(util::repo_path("tests/golden/network.json")).unwrap(),
    )
    .unwrap();
    let g = &golden[name];
    let path = format!("tests/golden/network_{name}.csv");
    let text = std::fs::read_to_string(util::repo_path(&path)).unwrap();
    let NetworkRows::Arms(arms) = read_network(&text, &path).unwrap() else {
        panic!("arm data expected")
    };
    let net = pairwise(&arms, measure, &EffectOptions::default()).unwrap();
    let small = g["small_values_good"].as_bool().unwrap();
    let res = analyse(
        net,
        &NetworkOptions {
            level: 0.95,
            small_values_good: small,
        },
    )
    .unwrap();
    let trts: Vec<String> = g["treatments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert_eq!(res.network.treatments, trts);
    close(res.q_total.q, g["q"].as_f64().unwrap(), "Q");
    assert_eq!(res.q_total.df as u64, g["df"].as_u64().unwrap());
    close(res.random.tau2, g["tau2"].as_f64().unwrap(), "tau2");
    close(
        res.q_within.q,
        g["q_within"].as_f64().unwrap(),
        "Q within designs",
    );
    assert_eq!(res.q_within.df as u64, g["df_within"].as_u64().unwrap());
    close(
        res.q_between.q,
        g["q_between"].as_f64().unwrap(),
        "Q between designs",
    );
    close(
        res.tau2_within,
        g["tau2_within"].as_f64().unwrap(),
        "tau2 within",
    );
    close(
        res.q_between_random.q,
        g["q_between_random"].as_f64().unwrap(),
        "Q between (random)",
    );
    for (model, fit, pscores, splits) in [
        (
            "common",
            &res.common,
            &res.pscores_common,
            &res.splits_common,
        ),
        (
            "random",
            &res.random,
            &res.pscores_random,
            &res.splits_random,
        ),
    ] {
        let gm = &g[model];
        let n = trts.len();
        for a in 0..n {
            for b in 0..n {
                let what = format!("{name} {model} d[{},{}]", trts[a], trts[b]);
                close(fit.d[(a, b)], gm["d"][a][b].as_f64().unwrap(), &what);
                close(
                    fit.var[(a, b)].sqrt(),
                    gm["se"][a][b].as_f64().unwrap(),
                    &what,
                );
            }
            close(pscores[a], gm["pscore"][a].as_f64().unwrap(), "P-score");
            if model == "random" {
                for b in (0..n).filter(|&b| b != a) {
                    let (lo, hi) = res.prediction_interval(a, b, 0.95).unwrap();
                    close(lo, gm["pi_low"][a][b].as_f64().unwrap(), "PI low");
                    close(hi, gm["pi_high"][a][b].as_f64().unwrap(), "PI high");
                }
            }
        }
        let gs = gm["splits"].as_array().unwrap();
        assert_eq!(splits.len(), gs.len(), "{model} splits");
        for (s, e) in splits.iter().zip(gs) {
            assert_eq!(trts[s.t1], e["t1"].as_str().unwrap());
            assert_eq!(trts[s.t2], e["t2"].as_str().unwrap());
            assert_eq!(s.k as u64, e["k"].as_u64().unwrap());
            close(s.direct.0, e["direct"].as_f64().unwrap(), "direct");
            close(s.direct.1, e["direct_var"].as_f64().unwrap(), "direct var");
            match (&s.indirect, e.get("indirect")) {
                (Some((y, v)), Some(gy)) => {
                    close(*y, gy.as_f64().unwrap(), "indirect");
                    close(*v, e["indirect_var"].as_f64().unwrap(), "indirect var");
                    let (diff, z, p) = s.difference.unwrap();
                    close(diff, e["diff"].as_f64().unwrap(), "difference");
                    close(z, e["z"].as_f64().unwrap(), "z");
                    close(p, e["p"].as_f64().unwrap(), "p");
                }
                (None, None) => {}
                (a, b) => panic!(
                    "{model} split {}-{}: {a:?} vs {b:?}",
                    trts[s.t1], trts[s.t2]
                ),
            }
        }
        let _: &Fit = fit;
    }
}

#[test]
fn smoking_cessation_network_matches_metafor() {
    check("hasselblad1998", Measure::LogOddsRatio);
}

#[test]
fn diabetes_network_matches_metafor() {
    check("senn2013", Measure::MeanDifference);
}

/// The same network given as contrast rows (every pair of each study, one orientation
/// reversed) gives the same analysis as the arm rows.
#[test]
fn contrast_rows_give_the_arm_rows_result() {
    use repool::network::{from_contrasts, Contrast};
    let text =
        std::fs::read_to_string(util::repo_path("tests/golden/network_senn2013.csv")).unwrap();
    let NetworkRows::Arms(arms) = read_network(&text, "senn").unwrap() else {
        panic!()
    };
    let net = pairwise(&arms, Measure::MeanDifference, &EffectOptions::default()).unwrap();
    let rows: Vec<Contrast> = net
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (t1, t2, y) = if i % 2 == 0 {
                (e.t1, e.t2, e.y)
            } else {
                (e.t2, e.t1, -e.y)
            };
            Contrast {
                study: net.studies[e.study].clone(),
                treat1: net.treatments[t1].clone(),
                treat2: net.treatments[t2].clone(),
                y,
                v: e.v,
                line: None,
            }
        })
        .collect();
    let opts = NetworkOptions {
        level: 0.95,
        small_values_good: true,
    };
    let a = analyse(net, &opts).unwrap();
    let b = analyse(from_contrasts(&rows).unwrap(), &opts).unwrap();
    assert_eq!(a.network.treatments, b.network.treatments);
    close(b.random.tau2, a.random.tau2, "tau2");
    close(b.q_between.q, a.q_between.q, "Q between");
    for i in 0..a.network.treatments.len() {
        for j in 0..a.network.treatments.len() {
            close(b.random.d[(i, j)], a.random.d[(i, j)], "d");
            close(b.random.var[(i, j)], a.random.var[(i, j)], "var");
        }
    }
}

/// netmeta prints Q = 96.99 (df 18), 74.46 within designs (df 11) and 22.53 between designs
/// (df 7) for its Senn2013 data, whose contrasts are rounded to 2 (difference) and 4 (SE)
/// decimals. The same trials rounded that way (datasets/senn2013-contrasts) give these values to
/// the printed precision; from the unrounded arm data Q total and Q within differ in the second
/// decimal (96.98, 74.45).
#[test]
fn rounded_diabetes_contrasts_give_netmeta_printed_q_decomposition() {
    use repool::network::from_contrasts;
    let path = "datasets/senn2013-contrasts/data.csv";
    let text = std::fs::read_to_string(util::repo_path(path)).unwrap();
    let NetworkRows::Contrasts(rows) = read_network(&text, path).unwrap() else {
        panic!("contrast rows expected")
    };
    let opts = NetworkOptions {
        level: 0.95,
        small_values_good: true,
    };
    let r = analyse(from_contrasts(&rows).unwrap(), &opts).unwrap();
    let printed = |x: f64| format!("{x:.2}");
    assert_eq!((printed(r.q_total.q), r.q_total.df), ("96.99".into(), 18));
    assert_eq!((printed(r.q_within.q), r.q_within.df), ("74.46".into(), 11));
    assert_eq!(
        (printed(r.q_between.q), r.q_between.df),
        ("22.53".into(), 7)
    );

    let arms_path = "datasets/senn2013/data.csv";
    let text = std::fs::read_to_string(util::repo_path(arms_path)).unwrap();
    let NetworkRows::Arms(arms) = read_network(&text, arms_path).unwrap() else {
        panic!("arm rows expected")
    };
    let net = pairwise(&arms, Measure::MeanDifference, &EffectOptions::default()).unwrap();
    let a = analyse(net, &opts).unwrap();
    assert_eq!(printed(a.q_total.q), "96.98");
    assert_eq!(printed(a.q_within.q), "74.45");
}
