//! Network meta-analysis against metafor's rma.mv (tests/golden/make_network.R writes every
//! reference number into tests/golden/network.json): the smoking-cessation network (Hasselblad
//! 1998, log OR, two three-arm studies), the diabetes network (Senn 2013, MD, one three-arm study;
//! and SMD as meta's pairwise() computes it, its formulas written out in the R script because
//! meta and netmeta cannot be installed here) and the stroke-prevention network (Dogliotti 2014,
//! log OR, four three-arm studies, one trial without events).
//!
//! Prediction intervals: `d ± t(ν) sqrt(se² + τ²)` with the golden d, se and τ² and R's `qt`;
//! `pi_low`/`pi_high` with `ν = df(Q)` (netmeta 3.0-2 and later, `R/netmeta.R`:
//! `ci(TE.random, seTE.predict, level.predict, df.Q)`), `pi_low_q_minus_1`/`pi_high_q_minus_1`
//! with `ν = df(Q) − 1` (netmeta 0.9-6 to 2.9-0, the rule repool used before).

mod util;

use repool::io::network::{read_network, NetworkRows};
use repool::network::{
    analyse, pairwise, Arm, Fit, NetworkError, NetworkNote, NetworkOptions, PairwiseOptions, PiDf,
    SmdMethod,
};
use repool::Measure;
use serde_json::Value;

/// 1e-6 relative for the closed-form parts, as every golden test here.
fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-6 * b.abs().max(1e-3),
        "{what}: repool {a} vs metafor {b}"
    );
}

/// The arm rows of `tests/golden/network_{file}.csv`.
fn arms(file: &str) -> Vec<Arm> {
    let path = format!("tests/golden/network_{file}.csv");
    let text = std::fs::read_to_string(util::repo_path(&path)).unwrap();
    let NetworkRows::Arms(arms) = read_network(&text, &path).unwrap() else {
        panic!("arm data expected")
    };
    arms
}

/// Analyses `tests/golden/network_{file}.csv` with `opts` and compares everything with the
/// golden entry `name`; returns the result for further checks.
fn check(
    name: &str,
    file: &str,
    measure: Measure,
    opts: &PairwiseOptions,
) -> repool::network::NetworkResult {
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(util::repo_path("tests/golden/network.json")).unwrap(),
    )
    .unwrap();
    let g = &golden[name];
    let net = pairwise(&arms(file), measure, opts).unwrap();
    let small = g["small_values_good"].as_bool().unwrap();
    let mut res = analyse(
        net,
        &NetworkOptions {
            level: 0.95,
            small_values_good: small,
            ..NetworkOptions::default()
        },
    )
    .unwrap();
    assert_eq!(res.pi_df, PiDf::Q, "netmeta's current rule is the default");
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
                    for (rule, suffix) in [(PiDf::Q, ""), (PiDf::QMinus1, "_q_minus_1")] {
                        res.pi_df = rule;
                        let (lo, hi) = res.prediction_interval(a, b, 0.95).unwrap();
                        let what = format!("PI ({rule:?})");
                        let key = |k: &str| format!("{k}{suffix}");
                        close(lo, gm[key("pi_low")][a][b].as_f64().unwrap(), &what);
                        close(hi, gm[key("pi_high")][a][b].as_f64().unwrap(), &what);
                    }
                    res.pi_df = PiDf::Q;
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
    res
}

#[test]
fn smoking_cessation_network_matches_metafor() {
    let res = check(
        "hasselblad1998",
        "hasselblad1998",
        Measure::LogOddsRatio,
        &PairwiseOptions::default(),
    );
    // Two trials have a zero arm, but no comparison without events in both arms.
    assert_eq!(res.network.notes, []);
}

#[test]
fn diabetes_network_matches_metafor() {
    check(
        "senn2013",
        "senn2013",
        Measure::MeanDifference,
        &PairwiseOptions::default(),
    );
}

/// The comparisons of the smoking-cessation network (every treatment against the reference,
/// the league table) carry metafor's estimates, standard errors and prediction intervals, with
/// the z-based CI and p-value of each, and show as odds ratios.
#[test]
fn comparisons_carry_the_golden_estimates_intervals_and_p_values() {
    use repool::network::NetworkModel;
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(util::repo_path("tests/golden/network.json")).unwrap(),
    )
    .unwrap();
    let g = &golden["hasselblad1998"];
    let net = pairwise(
        &arms("hasselblad1998"),
        Measure::LogOddsRatio,
        &Default::default(),
    )
    .unwrap();
    let reference = net.reference_index(Some("no_contact")).unwrap();
    assert_eq!(reference, 2);
    assert!(matches!(
        net.reference_index(Some("placebo")),
        Err(NetworkError::UnknownReference { .. })
    ));
    let res = analyse(net, &NetworkOptions::default()).unwrap();
    let z = repool::dist::z_crit(0.95);
    let golden_at =
        |model: &str, key: &str, a: usize, b: usize| g[model][key][a][b].as_f64().unwrap();
    let against = res.against_reference(reference, 0.95);
    assert_eq!(against.len(), 3);
    for r in &against {
        let a = r.random.treatment;
        assert_eq!(r.random.reference, reference);
        for (model, c) in [("common", &r.common), ("random", &r.random)] {
            close(c.estimate, golden_at(model, "d", a, reference), "estimate");
            close(c.se, golden_at(model, "se", a, reference), "se");
            close(c.ci.low, c.estimate - z * c.se, "CI");
            close(c.ci.high, c.estimate + z * c.se, "CI");
            close(c.p_value, repool::dist::p_normal(c.estimate / c.se), "p");
        }
        assert_eq!(r.common.prediction, None);
        let pi = r.random.prediction.unwrap();
        close(pi.low, golden_at("random", "pi_low", a, reference), "PI");
        close(pi.high, golden_at("random", "pi_high", a, reference), "PI");
        let shown = r.random.display(Measure::LogOddsRatio);
        close(shown.estimate, r.random.estimate.exp(), "odds ratio");
        close(shown.ci.low, r.random.ci.low.exp(), "odds ratio CI");
        close(
            shown.prediction.unwrap().high,
            pi.high.exp(),
            "odds ratio PI",
        );
        assert_eq!(r.pscore_random, res.pscores_random[a]);
    }
    let league = res.league(NetworkModel::Common, 0.95);
    assert_eq!(league.comparisons.len(), 4 * 3);
    for a in 0..4 {
        assert!(league.get(a, a).is_none());
        for b in (0..4).filter(|&b| b != a) {
            let c = league.get(a, b).unwrap();
            assert_eq!((c.treatment, c.reference), (a, b));
            close(
                c.estimate,
                golden_at("common", "d", a, b),
                "league estimate",
            );
            close(c.se, golden_at("common", "se", a, b), "league se");
            assert_eq!(c.prediction, None);
        }
    }
    assert_eq!(
        res.comparison(0, 2, NetworkModel::Random, 0.95),
        against[0].random
    );
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
    let net = pairwise(&arms, Measure::MeanDifference, &Default::default()).unwrap();
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
    let opts = NetworkOptions::default();
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
    let opts = NetworkOptions::default();
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
    let net = pairwise(&arms, Measure::MeanDifference, &Default::default()).unwrap();
    let a = analyse(net, &opts).unwrap();
    assert_eq!(printed(a.q_total.q), "96.98");
    assert_eq!(printed(a.q_within.q), "74.45");
}

/// Dogliotti et al. (2014), metadat's dat.dogliotti2014: the two-arm trial WASPO 2007 has no
/// stroke in either arm. netmeta's default (meta's `pairwise(allstudies = FALSE)`) leaves it out
/// (metadat's help page of dat.dogliotti2014 shows it as the study netmeta excludes), so Q has 16
/// degrees of freedom instead of 17; the golden values are rma.mv's fit of the other 19 trials.
#[test]
fn stroke_network_leaves_out_the_trial_without_events() {
    let res = check(
        "dogliotti2014",
        "dogliotti2014",
        Measure::LogOddsRatio,
        &PairwiseOptions::default(),
    );
    assert_eq!(res.network.studies.len(), 19);
    assert!(!res.network.studies.iter().any(|s| s == "WASPO, 2007"));
    assert_eq!(
        res.network.notes,
        [NetworkNote::TrialDropped {
            study: "WASPO, 2007".into(),
            line: Some(44),
            all_events: false,
            add: 0.5,
        }]
    );
    assert_eq!(
        (format!("{:.2}", res.q_total.q), res.q_total.df),
        ("18.76".into(), 16)
    );
}

/// `all_studies` (netmeta's `allstudies = TRUE`) keeps WASPO 2007 with 0.5 added to every cell:
/// the golden values are rma.mv's fit of all 20 trials (Q = 18.88 on 17 df).
#[test]
fn all_studies_keeps_the_trial_without_events_with_the_correction() {
    let opts = PairwiseOptions {
        all_studies: true,
        ..Default::default()
    };
    let res = check(
        "dogliotti2014_all_studies",
        "dogliotti2014",
        Measure::LogOddsRatio,
        &opts,
    );
    assert_eq!(res.network.studies.len(), 20);
    assert_eq!(
        res.network.notes,
        [NetworkNote::TrialKept {
            study: "WASPO, 2007".into(),
            line: Some(44),
            pairs: vec![("VKAs".into(), "Aspirin".into())],
            add: 0.5,
        }]
    );
    assert_eq!(
        (format!("{:.2}", res.q_total.q), res.q_total.df),
        ("18.88".into(), 17)
    );
}

fn arm(study: &str, treatment: &str, events: f64, n: f64) -> Arm {
    Arm {
        study: study.into(),
        treatment: treatment.into(),
        data: repool::network::ArmData::Binary { events, n },
        line: None,
    }
}

/// Multi-arm trials of Dong et al. (2013), metadat's dat.dong2013 (deaths / randomised): in
/// trial 33 one comparison (LABA vs Placebo) has no deaths in either arm. meta's pairwise() gives
/// it no estimate, after which netmeta stops ("wrong number of comparisons", suggesting
/// allstudies = TRUE); so does repool. Trial 41 (three of four arms without deaths) loses three of
/// its six comparisons and is refused as well. Trial 37 has no deaths at all and is left out
/// whole, and the treatments that only it has are left out of the network.
#[test]
fn a_multi_arm_trial_with_some_comparisons_without_events_is_refused_unless_all_studies() {
    let t33 = [
        arm("33", "LABA-ICS", 1.0, 131.0),
        arm("33", "LABA", 0.0, 131.0),
        arm("33", "Placebo", 0.0, 125.0),
    ];
    let default = PairwiseOptions::default();
    match pairwise(&t33, Measure::LogOddsRatio, &default) {
        Err(NetworkError::PartialZeroMultiArm {
            study, pairs, arms, ..
        }) => {
            assert_eq!(
                (study.as_str(), pairs.as_str(), arms),
                ("33", "LABA vs Placebo", 3)
            )
        }
        other => panic!("{other:?}"),
    }
    let all = PairwiseOptions {
        all_studies: true,
        ..default
    };
    let net = pairwise(&t33, Measure::LogOddsRatio, &all).unwrap();
    assert_eq!(net.edges.len(), 3);
    assert!(matches!(&net.notes[..], [NetworkNote::TrialKept { pairs, .. }] if pairs.len() == 1));
    // The risk difference keeps every comparison, without a note.
    let net = pairwise(&t33, Measure::RiskDifference, &default).unwrap();
    assert_eq!((net.edges.len(), net.notes.len()), (3, 0));

    let t41 = [
        arm("41", "LABA-ICS", 0.0, 165.0),
        arm("41", "LABA", 0.0, 160.0),
        arm("41", "ICS", 0.0, 168.0),
        arm("41", "Placebo", 3.0, 181.0),
    ];
    assert!(matches!(
        pairwise(&t41, Measure::LogRiskRatio, &default),
        Err(NetworkError::PartialZeroMultiArm { arms: 4, .. })
    ));

    let mut rows = vec![
        arm("1", "TIO-SMI", 52.0, 1989.0),
        arm("1", "Placebo", 38.0, 2002.0),
        arm("37", "LABA-ICS", 0.0, 178.0),
        arm("37", "LABA", 0.0, 177.0),
        arm("37", "ICS", 0.0, 183.0),
        arm("37", "Placebo", 0.0, 185.0),
    ];
    let net = pairwise(&rows, Measure::LogOddsRatio, &default).unwrap();
    assert_eq!(net.studies, ["1"]);
    assert_eq!(net.treatments, ["Placebo", "TIO-SMI"]);
    let kinds: Vec<_> = net.notes.iter().map(|n| n.kind()).collect();
    assert_eq!(
        kinds,
        [
            "trial_dropped",
            "treatment_left_out",
            "treatment_left_out",
            "treatment_left_out"
        ]
    );
    rows.truncate(2);
    assert_eq!(
        pairwise(&rows, Measure::LogOddsRatio, &default)
            .unwrap()
            .notes,
        []
    );
}

/// Synthetic fixture (not real data): a trial in which every participant of both arms had the
/// event. meta's metabin() leaves it out for the odds ratio but keeps it for the risk ratio
/// (only double zeros are left out there).
#[test]
fn a_trial_with_only_events_is_left_out_for_the_odds_ratio_only() {
    let rows = [
        arm("synthetic 1", "A", 10.0, 10.0),
        arm("synthetic 1", "B", 12.0, 12.0),
        arm("synthetic 2", "A", 3.0, 10.0),
        arm("synthetic 2", "B", 5.0, 12.0),
    ];
    let opts = PairwiseOptions::default();
    let or = pairwise(&rows, Measure::LogOddsRatio, &opts).unwrap();
    assert_eq!(or.studies, ["synthetic 2"]);
    assert!(matches!(
        &or.notes[..],
        [NetworkNote::TrialDropped {
            all_events: true,
            ..
        }]
    ));
    let rr = pairwise(&rows, Measure::LogRiskRatio, &opts).unwrap();
    assert_eq!((rr.studies.len(), rr.notes.len()), (2, 0));
    let only = pairwise(&rows[..2], Measure::LogOddsRatio, &opts);
    assert!(matches!(only, Err(NetworkError::AllDropped)), "{only:?}");
}

/// The diabetes network as SMD, netmeta's way (Cohen's d over the SD pooled across all arms,
/// Crippa & Orsini's variance): golden values from rma.mv on those contrasts (make_network.R
/// writes meta's formulas out). The three-arm trial's SMDs add up, so there is no note.
#[test]
fn diabetes_network_as_smd_matches_meta_pairwise() {
    let res = check(
        "senn2013_smd",
        "senn2013",
        Measure::StandardizedMeanDifference,
        &PairwiseOptions::default(),
    );
    assert_eq!(res.network.notes, []);
    let s = res
        .network
        .studies
        .iter()
        .position(|s| s == "Willms (1999)")
        .unwrap();
    let e: Vec<_> = res.network.edges.iter().filter(|e| e.study == s).collect();
    assert_eq!(e.len(), 3);
    // Arms a, b, c: y_ac = y_ab + y_bc.
    assert!((e[1].y - (e[0].y + e[2].y)).abs() < 1e-12);
}

/// Hedges' g of each pair of arms (metafor's escalc) standardise every pair by its own SD: the
/// three-arm trial Willms (1999) of the diabetes network gets a note naming it.
#[test]
fn hedges_g_of_a_multi_arm_trial_that_do_not_add_up_get_a_note() {
    let opts = PairwiseOptions {
        smd: SmdMethod::Hedges,
        ..Default::default()
    };
    let net = pairwise(
        &arms("senn2013"),
        Measure::StandardizedMeanDifference,
        &opts,
    )
    .unwrap();
    match &net.notes[..] {
        [NetworkNote::SmdInconsistent {
            study,
            line,
            direct,
            via,
            ..
        }] => {
            assert_eq!((study.as_str(), *line), ("Willms (1999)", Some(6)));
            assert!((direct - via).abs() > 0.1, "{direct} vs {via}");
        }
        other => panic!("{other:?}"),
    }
    // The mean difference of the same arms adds up: no note.
    let md = pairwise(&arms("senn2013"), Measure::MeanDifference, &opts).unwrap();
    assert_eq!(md.notes, []);
}

/// A contrast row per study (`s{i}: t{a} vs t{b}`), effects from a fixed sequence.
fn contrast(i: usize, a: usize, b: usize) -> repool::network::Contrast {
    repool::network::Contrast {
        study: format!("s{i}"),
        treat1: format!("t{a:04}"),
        treat2: format!("t{b:04}"),
        y: ((i as f64) * 0.618_034).fract() - 0.5,
        v: 0.02 + 0.2 * ((i as f64) * 0.414_214).fract(),
        line: Some(i as u64 + 2),
    }
}

/// 200 treatments and 4,000 two-arm studies, almost every one its own design: the fit of
/// each design used to keep two 200 × 200 matrices (memory grew as T²·designs: 2.6 GB here,
/// more than 6 GB for 1,000 treatments) and cost O(T²) per design; each design is now
/// fitted on its own two treatments.
#[test]
fn a_network_of_thousands_of_designs_is_analysed() {
    let t = 200;
    let mut rows: Vec<_> = (1..t).map(|i| contrast(i, i - 1, i)).collect();
    for i in t..4_000 {
        let a = (i * 7919) % t;
        let b = (a + 1 + (i * 104_729) % (t - 1)) % t;
        rows.push(contrast(i, a, b));
    }
    let net = repool::network::from_contrasts(&rows).unwrap();
    let res = analyse(net, &NetworkOptions::default()).unwrap();
    assert!(res.designs.len() > 3_000, "{} designs", res.designs.len());
    assert_eq!(res.q_total.df, 4_000 - 1 - (t - 1));
    // Q splits into the part within designs and the part between them.
    let (q, qw, qb) = (res.q_total.q, res.q_within.q, res.q_between.q);
    assert!((q - qw - qb).abs() <= 1e-9 * q && qw >= 0.0 && qb >= 0.0);
    assert_eq!(res.splits_common.len(), res.splits_random.len());
}

/// More treatments than [`repool::network::MAX_TREATMENTS`], more arms in a study than
/// [`repool::network::MAX_ARMS`], more comparisons than
/// [`repool::network::MAX_COMPARISONS`]: errors before any work that grows with them.
#[test]
fn networks_beyond_the_limits_are_refused() {
    use repool::network::{from_contrasts, MAX_ARMS, MAX_COMPARISONS, MAX_TREATMENTS};
    let path: Vec<_> = (1..=MAX_TREATMENTS)
        .map(|i| contrast(i, i - 1, i))
        .collect();
    let e = from_contrasts(&path).unwrap_err();
    assert!(
        matches!(e, NetworkError::TooLarge { what: "treatments", count, .. } if count == MAX_TREATMENTS + 1),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "the network has 1001 treatments; repool analyses at most 1000 treatments in one network"
    );
    let m = MAX_ARMS + 1;
    let mut big = Vec::new();
    for a in 0..m {
        for b in a + 1..m {
            big.push(repool::network::Contrast {
                study: "big".into(),
                ..contrast(0, a, b)
            });
        }
    }
    let e = from_contrasts(&big).unwrap_err();
    assert_eq!(
        e.to_string(),
        "study 'big' has 101 arms; repool analyses at most 100 arms per study"
    );
    let arms: Vec<Arm> = (0..m)
        .map(|a| arm("big", &format!("t{a}"), 1.0, 10.0))
        .collect();
    let e = pairwise(&arms, Measure::LogOddsRatio, &PairwiseOptions::default()).unwrap_err();
    assert!(
        matches!(e, NetworkError::TooLarge { what: "arms", .. }),
        "{e}"
    );
    let many: Vec<_> = (0..=MAX_COMPARISONS)
        .map(|i| contrast(i, i % 50, 50 + i % 7))
        .collect();
    let e = from_contrasts(&many).unwrap_err();
    assert!(
        matches!(
            e,
            NetworkError::TooLarge {
                what: "pairwise comparisons",
                ..
            }
        ),
        "{e}"
    );
}
