//! Golden tests: every estimator against values produced by R's metafor.
//!
//! The reference values are in `tests/golden/metafor.json`, written by
//! `tests/golden/make_golden.R` (metafor's `rma()`, `rma.mh()`, `rma.peto()`, `predict()`,
//! `weights()`) from data sets of the metadat package, which the script also exports to
//! `tests/golden/data/`. Regenerate with `Rscript tests/golden/make_golden.R`.

mod util;

use repool::effect::{CcTo, EffectOptions, MdVariance, SmdCorrection, ZeroCellRule};
use repool::io::read::{read_str, ReadOptions};
use repool::pool::{
    pool, CiMethod, CommonMethod, I2Method, Model, PiMethod, PoolConfig, Tau2Method,
};
use repool::Measure;
use serde_json::Value;
use util::{close, repo_path, CLOSED_FORM, ITERATIVE};

fn golden() -> Value {
    let text = std::fs::read_to_string(repo_path("tests/golden/metafor.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn config_of(case: &Value, pi: PiMethod, i2: I2Method) -> PoolConfig {
    let s = |k: &str| case[k].as_str().unwrap_or("").to_string();
    PoolConfig::metafor(Measure::from_code(&s("measure")).unwrap())
        .model(if s("model") == "fixed" {
            Model::Fixed
        } else {
            Model::Random
        })
        .method(match s("method").as_str() {
            "MH" => CommonMethod::MH,
            "PETO" => CommonMethod::Peto,
            _ => CommonMethod::IV,
        })
        .tau2(Tau2Method::from_code(&s("tau2")).unwrap_or(Tau2Method::REML))
        .ci(match s("ci").as_str() {
            "hksj" => CiMethod::Hksj,
            "hksj-adhoc" => CiMethod::HksjAdhoc,
            _ => CiMethod::Z,
        })
        .level(0.95)
        .pi(pi)
        .i2(i2)
        .effect(EffectOptions {
            zero_cell: ZeroCellRule {
                add: case["cc"].as_f64().unwrap(),
                to: match s("cc_to").as_str() {
                    "all" => CcTo::All,
                    "none" => CcTo::None,
                    "if0all" => CcTo::If0All,
                    _ => CcTo::Only0,
                },
                drop_double_zero: case["drop_double_zero"].as_bool().unwrap(),
            },
            smd_correction: SmdCorrection::Exact,
            md_variance: if s("vtype") == "HO" {
                MdVariance::Pooled
            } else {
                MdVariance::Unequal
            },
        })
}

/// A JSON array of numbers; R's jsonlite writes a vector of length 1 as a scalar.
fn numbers(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap()).collect(),
        x => vec![x.as_f64().unwrap()],
    }
}

struct Checker {
    failures: Vec<String>,
    checked: usize,
}

impl Checker {
    /// Relative comparison with a floor at `scale`: for τ² (a variance, compared on the scale
    /// of the studies' variances) and I² (a percentage), where 1e-13 and 0 are both "none".
    fn check_scaled(&mut self, id: &str, what: &str, got: f64, want: f64, tol: f64, scale: f64) {
        self.checked += 1;
        if (got - want).abs() > tol * want.abs().max(got.abs()).max(scale) {
            self.failures.push(format!("{id}: {what}: got {got:.15e}, metafor {want:.15e} (tolerance {tol:e} relative to max(|value|, {scale:e}))"));
        }
    }

    fn check(&mut self, id: &str, what: &str, got: f64, want: f64, tol: f64) {
        self.checked += 1;
        if !close(got, want, tol) {
            self.failures.push(format!(
                "{id}: {what}: got {got:.15e}, metafor {want:.15e} (rel. diff {:.2e}, tolerance {tol:e})",
                (got - want).abs() / want.abs().max(1e-300)
            ));
        }
    }
}

#[test]
fn every_case_agrees_with_metafor() {
    let g = golden();
    let cases = g["cases"].as_array().unwrap();
    assert!(cases.len() > 250, "golden file has {} cases", cases.len());
    let mut c = Checker {
        failures: vec![],
        checked: 0,
    };
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let tol = if case["iterative"].as_bool().unwrap() {
            ITERATIVE
        } else {
            CLOSED_FORM
        };
        let data = std::fs::read_to_string(repo_path(&format!(
            "tests/golden/data/{}",
            case["data"].as_str().unwrap()
        )))
        .unwrap();
        let config = config_of(case, PiMethod::Metafor, I2Method::Tau2);
        let measure = match config.measure {
            Measure::Generic => None,
            m => Some(m),
        };
        let opts = ReadOptions {
            measure,
            ..ReadOptions::default()
        };
        let analyses = read_str(&data, case["data"].as_str().unwrap(), &opts).unwrap();
        let studies = analyses[0].studies.as_ref().unwrap();
        let r = pool(studies, &config).unwrap_or_else(|e| panic!("{id}: {e}"));
        let e = &case["expected"];
        let f = |k: &str| e[k].as_f64().unwrap_or_else(|| panic!("{id}: {k} missing"));
        c.check(id, "estimate", r.estimate, f("estimate"), tol);
        c.check(id, "se", r.se, f("se"), tol);
        c.check(id, "ci_low", r.ci_low, f("ci_low"), tol);
        c.check(id, "ci_high", r.ci_high, f("ci_high"), tol);
        c.check(
            id,
            "statistic",
            r.statistic.unwrap_or_else(|| panic!("{id}: no statistic")),
            f("statistic"),
            tol,
        );
        c.check(id, "p_value", r.p_value.unwrap(), f("p_value"), tol);
        c.check(id, "tau2", r.tau2.unwrap_or(0.0), f("tau2"), tol);
        c.check(id, "q", r.heterogeneity.q, f("q"), CLOSED_FORM);
        c.check(id, "q_p", r.heterogeneity.p_value, f("q_p"), CLOSED_FORM);
        c.check(id, "i2", r.heterogeneity.i2_percent, f("i2"), tol);
        c.check(id, "h2", r.heterogeneity.h2, f("h2"), tol);
        let (pl, ph) = r.pi.unwrap_or((r.ci_low, r.ci_high));
        c.check(id, "pi_low", pl, f("pi_low"), tol);
        c.check(id, "pi_high", ph, f("pi_high"), tol);
        let yi = numbers(&e["yi"]);
        let vi = numbers(&e["vi"]);
        let got: Vec<_> = r.studies.iter().filter_map(|s| s.effect).collect();
        assert_eq!(got.len(), yi.len(), "{id}: number of study effects");
        for (i, (ef, (y, v))) in got.iter().zip(yi.iter().zip(&vi)).enumerate() {
            c.check(id, &format!("yi[{i}]"), ef.yi(), *y, CLOSED_FORM);
            c.check(id, &format!("vi[{i}]"), ef.vi(), *v, CLOSED_FORM);
        }
        // rma.mh() and rma.peto() count every table in k and the tables with an effect of
        // their own in k.yi, which gives Q its df.
        if let Some(k) = e["k"].as_u64() {
            let k_yi = e["k_yi"]
                .as_u64()
                .unwrap_or_else(|| panic!("{id}: k_yi missing"));
            c.checked += 3;
            if r.k as u64 != k || r.k_estimable as u64 != k_yi {
                c.failures.push(format!(
                    "{id}: k = {}, k_estimable = {}; metafor k = {k}, k.yi = {k_yi}",
                    r.k, r.k_estimable
                ));
            }
            if r.heterogeneity.df as u64 + 1 != k_yi {
                c.failures.push(format!(
                    "{id}: df of Q = {}; metafor k.yi - 1 = {}",
                    r.heterogeneity.df,
                    k_yi - 1
                ));
            }
        } else if config.method != CommonMethod::IV {
            c.failures.push(format!("{id}: metafor's k missing"));
        }
        let w = numbers(&e["weights"]);
        assert_eq!(w.len(), r.studies.len(), "{id}: number of weights");
        for (i, (s, w)) in r.studies.iter().zip(w.iter().copied()).enumerate() {
            c.check(id, &format!("weight[{i}]"), s.weight_percent, w, tol);
        }
        // A bimodal likelihood: the other maximum and its log-likelihood gap.
        if let Some(other) = e["tau2_other"].as_f64() {
            let method = config.tau2_method;
            let fit = repool::pool::tau2::estimate(method, &yi, &vi).unwrap();
            match fit.other {
                Some(o) => {
                    c.check_scaled(id, "tau2_other", o.tau2, other, ITERATIVE, 1.0);
                    c.check(id, "loglik_gap", o.loglik_gap, f("loglik_gap"), ITERATIVE);
                }
                None => c
                    .failures
                    .push(format!("{id}: the second maximum is not reported")),
            }
            if !r
                .notes
                .iter()
                .any(|n| matches!(n, repool::pool::Note::Bimodal { .. }))
            {
                c.failures
                    .push(format!("{id}: no note that the likelihood is bimodal"));
            }
        }
        // Extra definitions computed in the R script from metafor's results.
        if let Some(lo) = e["pi_higgins_low"].as_f64() {
            let r2 = pool(studies, &config_of(case, PiMethod::Higgins, I2Method::Tau2)).unwrap();
            let (l, h) = r2.pi.unwrap();
            c.check(id, "pi_higgins_low", l, lo, tol);
            c.check(id, "pi_higgins_high", h, f("pi_higgins_high"), tol);
        }
        if let Some(ci) = e["tau2_ci"].as_array() {
            let want: Vec<f64> = ci.iter().map(|x| x.as_f64().unwrap()).collect();
            let got = r.tau2_ci.unwrap_or_else(|| panic!("{id}: no tau2 CI"));
            c.check(id, "tau2_ci_low", got.0, want[0], ITERATIVE);
            c.check(id, "tau2_ci_high", got.1, want[1], ITERATIVE);
            let i2 = numbers(&e["i2_ci"]);
            let h2 = numbers(&e["h2_ci"]);
            let (gi, gh) = (r.i2_ci.unwrap(), r.h2_ci.unwrap());
            c.check(id, "i2_ci_low", gi.0, i2[0], ITERATIVE);
            c.check(id, "i2_ci_high", gi.1, i2[1], ITERATIVE);
            c.check(id, "h2_ci_low", gh.0, h2[0], ITERATIVE);
            c.check(id, "h2_ci_high", gh.1, h2[1], ITERATIVE);
        }
        if let Some(ht) = e["i2_ht_ci"].as_array() {
            if config.method == CommonMethod::IV {
                let got = r.i2_ht_ci.unwrap_or_else(|| panic!("{id}: no HT CI"));
                c.check(
                    id,
                    "i2_ht_ci_low",
                    got.0,
                    ht[0].as_f64().unwrap(),
                    CLOSED_FORM,
                );
                c.check(
                    id,
                    "i2_ht_ci_high",
                    got.1,
                    ht[1].as_f64().unwrap(),
                    CLOSED_FORM,
                );
            }
        }
        if let Some(i2q) = e["i2_q"].as_f64() {
            if config.method == CommonMethod::IV {
                let r3 = pool(studies, &config_of(case, PiMethod::Metafor, I2Method::Q)).unwrap();
                c.check(id, "i2_q", r3.heterogeneity.i2_percent, i2q, CLOSED_FORM);
                c.check(id, "h2_q", r3.heterogeneity.h2, f("h2_q"), CLOSED_FORM);
            }
        }
    }
    assert!(
        c.failures.is_empty(),
        "{} of {} comparisons with metafor failed:\n{}",
        c.failures.len(),
        c.checked,
        c.failures.join("\n")
    );
    eprintln!("{} comparisons with metafor agree", c.checked);
}

#[test]
fn subgroup_differences_agree_with_metafor() {
    use repool::pool::subgroups;
    let g = golden();
    let cases = g["subgroup_cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let tol = if case["iterative"].as_bool().unwrap() {
            ITERATIVE
        } else {
            CLOSED_FORM
        };
        let data =
            std::fs::read_to_string(repo_path("tests/golden/data/bcg_subgroups.csv")).unwrap();
        let opts = ReadOptions {
            measure: Some(Measure::LogRiskRatio),
            ..ReadOptions::default()
        };
        let studies = read_str(&data, "bcg_subgroups.csv", &opts)
            .unwrap()
            .remove(0)
            .studies
            .unwrap();
        let mut config = config_of(
            &serde_json::json!({"measure": "RR", "model": "random", "method": "IV", "tau2": case["tau2"], "ci": "z",
                                "cc": 0.5, "cc_to": "only0", "drop_double_zero": false}),
            PiMethod::Metafor,
            I2Method::Tau2,
        );
        config.level = 0.95;
        let split = subgroups::split(&studies);
        let names: Vec<_> = split.iter().map(|(n, _)| n.clone().unwrap()).collect();
        let want_names: Vec<_> = case["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, want_names, "{id}");
        let mut est = Vec::new();
        for (i, (_, members)) in split.iter().enumerate() {
            let r = pool(members, &config).unwrap();
            assert!(
                close(r.estimate, case["estimates"][i].as_f64().unwrap(), tol),
                "{id}: estimate {i}"
            );
            assert!(
                close(r.se, case["se"][i].as_f64().unwrap(), tol),
                "{id}: se {i}"
            );
            est.push((r.estimate, r.se));
        }
        let t = subgroups::difference_test(&est).unwrap();
        assert!(
            close(t.q, case["q"].as_f64().unwrap(), tol),
            "{id}: q {} vs {}",
            t.q,
            case["q"]
        );
        assert_eq!(t.df as u64, case["df"].as_u64().unwrap());
        assert!(
            close(t.p_value, case["p_value"].as_f64().unwrap(), tol),
            "{id}: p"
        );
        assert!(
            close(t.i2_percent, case["i2"].as_f64().unwrap(), tol),
            "{id}: i2"
        );
    }
}

#[test]
fn sensitivity_and_small_study_tests_agree_with_metafor() {
    use repool::pool::{bias, sensitivity};
    let g = golden();
    let cases = g["other_cases"].as_array().unwrap();
    assert_eq!(cases.len(), 8);
    let mut c = Checker {
        failures: vec![],
        checked: 0,
    };
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let tau2 = case["tau2"].as_str().unwrap();
        let tol = if tau2 == "REML" {
            ITERATIVE
        } else {
            CLOSED_FORM
        };
        let config = config_of(
            &serde_json::json!({"measure": case["measure"], "model": "random", "method": "IV", "tau2": tau2,
                                "ci": "z", "cc": 0.5, "cc_to": "only0", "drop_double_zero": false}),
            PiMethod::Metafor,
            I2Method::Tau2,
        );
        let measure = match config.measure {
            Measure::Generic => None,
            m => Some(m),
        };
        let text = std::fs::read_to_string(repo_path(&format!(
            "tests/golden/data/{}",
            case["data"].as_str().unwrap()
        )))
        .unwrap();
        let studies = read_str(
            &text,
            "x.csv",
            &ReadOptions {
                measure,
                ..ReadOptions::default()
            },
        )
        .unwrap()
        .remove(0)
        .studies
        .unwrap();
        let full = pool(&studies, &config).unwrap();
        let vs: Vec<f64> = full
            .studies
            .iter()
            .filter_map(|s| s.effect)
            .map(|e| e.vi())
            .collect();
        let mean_v = vs.iter().sum::<f64>() / vs.len() as f64;
        for (name, got) in [
            ("leave1out", sensitivity::leave_one_out(&studies, &config)),
            ("cumul", sensitivity::cumulative(&studies, &config)),
        ] {
            let want = &case[name];
            for (i, (_, r)) in got.iter().enumerate() {
                let r = r.as_ref().unwrap();
                let tau2_got = r.tau2.unwrap_or(0.0);
                for (k, v) in [
                    ("estimate", r.estimate),
                    ("se", r.se),
                    ("ci_low", r.ci_low),
                    ("ci_high", r.ci_high),
                    ("tau2", tau2_got),
                    ("q", r.heterogeneity.q),
                    ("i2", r.heterogeneity.i2_percent),
                ] {
                    match want[k][i].as_f64() {
                        Some(w) if k == "tau2" => {
                            c.check_scaled(id, &format!("{name}[{i}].{k}"), v, w, tol, mean_v)
                        }
                        Some(w) if k == "i2" => {
                            c.check_scaled(id, &format!("{name}[{i}].{k}"), v, w, tol, 1.0)
                        }
                        Some(w) => c.check(id, &format!("{name}[{i}].{k}"), v, w, tol),
                        // metafor gives NA where its Fisher scoring does not converge
                        // (nielweise2007, REML, the first 8 studies); repool's bracketed
                        // solver does, and its result must be finite.
                        None => assert!(v.is_finite(), "{id}: {name}[{i}].{k} = {v}"),
                    }
                }
            }
        }
        let r = pool(&studies, &config).unwrap();
        let (y, v) = r.effects();
        let e = bias::egger(&y, &v).unwrap();
        c.check(
            id,
            "egger.t",
            e.t,
            case["egger"]["t"].as_f64().unwrap(),
            CLOSED_FORM,
        );
        c.check(
            id,
            "egger.p",
            e.p_value,
            case["egger"]["p_value"].as_f64().unwrap(),
            CLOSED_FORM,
        );
        c.check(
            id,
            "egger.limit",
            e.limit_estimate,
            case["egger"]["limit"].as_f64().unwrap(),
            CLOSED_FORM,
        );
        let method = Tau2Method::from_code(tau2);
        let er = bias::egger_rma(&y, &v, method).unwrap();
        c.check(
            id,
            "egger_rma.z",
            er.z,
            case["egger_rma"]["z"].as_f64().unwrap(),
            tol,
        );
        c.check(
            id,
            "egger_rma.p",
            er.p_value,
            case["egger_rma"]["p_value"].as_f64().unwrap(),
            tol,
        );
        c.check(
            id,
            "egger_rma.limit",
            er.limit_estimate,
            case["egger_rma"]["limit"].as_f64().unwrap(),
            tol,
        );
        for tf in case["trimfill"].as_array().unwrap() {
            let est = if tf["estimator"] == "R0" {
                bias::TrimFillEstimator::R0
            } else {
                bias::TrimFillEstimator::L0
            };
            let got = bias::trim_and_fill(&y, &v, method, est).unwrap();
            let what = format!("trimfill {}", tf["estimator"]);
            assert_eq!(
                got.k0 as u64,
                tf["k0"].as_u64().unwrap(),
                "{id}: {what}: k0"
            );
            assert_eq!(got.side, tf["side"].as_str().unwrap(), "{id}: {what}: side");
            c.check(
                id,
                &format!("{what}.estimate"),
                got.estimate,
                tf["estimate"].as_f64().unwrap(),
                tol,
            );
            c.check(
                id,
                &format!("{what}.se"),
                got.se,
                tf["se"].as_f64().unwrap(),
                tol,
            );
            c.check(
                id,
                &format!("{what}.ci_low"),
                got.ci.0,
                tf["ci_low"].as_f64().unwrap(),
                tol,
            );
            c.check_scaled(
                id,
                &format!("{what}.tau2"),
                got.tau2,
                tf["tau2"].as_f64().unwrap(),
                tol,
                mean_v,
            );
            let want_filled: Vec<f64> = match &tf["filled_yi"] {
                Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap()).collect(),
                Value::Number(n) => vec![n.as_f64().unwrap()],
                _ => vec![],
            };
            let mut got_filled: Vec<f64> = got.filled.iter().map(|f| f.0).collect();
            let mut want_sorted = want_filled.clone();
            got_filled.sort_by(f64::total_cmp);
            want_sorted.sort_by(f64::total_cmp);
            assert_eq!(got_filled.len(), want_sorted.len(), "{id}: {what}: filled");
            for (i, (a, b)) in got_filled.iter().zip(&want_sorted).enumerate() {
                c.check(id, &format!("{what}.filled[{i}]"), *a, *b, tol);
            }
        }
        let inf = repool::pool::influence::influence(&y, &v, method, false).unwrap();
        let want = &case["influence"];
        for (i, d) in inf.iter().enumerate() {
            for (k, got) in [
                ("rstudent", d.rstudent),
                ("dffits", d.dffits),
                ("cook_d", d.cook_d),
                ("cov_r", d.cov_r),
                ("qe_del", d.qe_del),
                ("hat", d.hat),
                ("weight", d.weight),
                ("dfbetas", d.dfbetas),
                ("baujat_x", d.baujat_x),
                ("baujat_y", d.baujat_y),
            ] {
                c.check(
                    id,
                    &format!("influence[{i}].{k}"),
                    got,
                    numbers(&want[k])[i],
                    tol,
                );
            }
            c.check_scaled(
                id,
                &format!("influence[{i}].tau2_del"),
                d.tau2_del,
                numbers(&want["tau2_del"])[i],
                tol,
                mean_v,
            );
            let flag = match &want["influential"] {
                Value::Array(a) => a[i].as_bool().unwrap(),
                x => x.as_bool().unwrap(),
            };
            assert_eq!(d.influential, flag, "{id}: influence[{i}].influential");
        }
        let b = bias::begg(&y, &v).unwrap();
        c.check(
            id,
            "begg.tau",
            b.tau,
            case["begg"]["tau"].as_f64().unwrap(),
            CLOSED_FORM,
        );
        c.check(
            id,
            "begg.p",
            b.p_value,
            case["begg"]["p_value"].as_f64().unwrap(),
            CLOSED_FORM,
        );
    }
    assert!(
        c.failures.is_empty(),
        "{} of {} failed:\n{}",
        c.failures.len(),
        c.checked,
        c.failures.join("\n")
    );
}

#[test]
fn meta_regression_agrees_with_metafor() {
    use repool::io::moderators::{design, Moderator};
    use repool::pool::regression::meta_regression;
    let g = golden();
    let cases = g["regression_cases"].as_array().unwrap();
    assert_eq!(cases.len(), 51);
    let text = std::fs::read_to_string(repo_path("tests/golden/data/bcg_moderators.csv")).unwrap();
    let mut c = Checker {
        failures: vec![],
        checked: 0,
    };
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let tol = if case["iterative"].as_bool().unwrap() {
            ITERATIVE
        } else {
            CLOSED_FORM
        };
        let mods: Vec<Moderator> = match &case["mods"] {
            Value::Array(a) => a
                .iter()
                .map(|m| Moderator::parse(m.as_str().unwrap()))
                .collect(),
            m => vec![Moderator::parse(m.as_str().unwrap())],
        };
        let opts = ReadOptions {
            measure: Some(Measure::LogRiskRatio),
            keep_columns: mods.iter().map(|m| m.column.clone()).collect(),
            ..ReadOptions::default()
        };
        let studies = read_str(&text, "bcg_moderators.csv", &opts)
            .unwrap()
            .remove(0)
            .studies
            .unwrap();
        let r0 = pool(&studies, &config_of(&serde_json::json!({"measure": "RR", "model": "fixed", "method": "IV", "ci": "z", "cc": 0.5, "cc_to": "only0", "drop_double_zero": false}), PiMethod::Metafor, I2Method::Tau2)).unwrap();
        let (y, v): (Vec<f64>, Vec<f64>) = r0
            .studies
            .iter()
            .map(|s| (s.effect.unwrap().yi(), s.effect.unwrap().vi()))
            .unzip();
        let values: Vec<Vec<String>> = studies.iter().map(|s| s.extra.clone()).collect();
        let (x, names) = design(&values, &mods).unwrap();
        let method = Tau2Method::from_code(case["tau2"].as_str().unwrap());
        let r = meta_regression(&x, &names, &y, &v, method, case["test"] == "knha", 0.95).unwrap();
        let want_names: Vec<String> = match &case["names"] {
            Value::Array(a) => a.iter().map(|n| n.as_str().unwrap().to_string()).collect(),
            n => vec![n.as_str().unwrap().to_string()],
        };
        let ours: Vec<String> = r.coefficients.iter().map(|c| c.name.clone()).collect();
        assert_eq!(ours, want_names, "{id}");
        for (j, coef) in r.coefficients.iter().enumerate() {
            for (k, got) in [
                ("b", coef.estimate),
                ("se", coef.se),
                ("stat", coef.statistic),
                ("pval", coef.p_value),
                ("ci_low", coef.ci_low),
                ("ci_high", coef.ci_high),
            ] {
                c.check(id, &format!("{k}[{j}]"), got, numbers(&case[k])[j], tol);
            }
        }
        let scale = v.iter().sum::<f64>() / v.len() as f64;
        c.check_scaled(
            id,
            "tau2",
            r.tau2,
            case["tau2_value"].as_f64().unwrap(),
            tol,
            scale,
        );
        c.check(id, "qe", r.qe.0, case["qe"].as_f64().unwrap(), CLOSED_FORM);
        c.check(
            id,
            "qe_p",
            r.qe.2,
            case["qe_p"].as_f64().unwrap(),
            CLOSED_FORM,
        );
        c.check(id, "qm", r.qm.0, case["qm"].as_f64().unwrap(), tol);
        c.check(id, "qm_p", r.qm.3, case["qm_p"].as_f64().unwrap(), tol);
        c.check_scaled(id, "i2", r.i2, case["i2"].as_f64().unwrap(), tol, 1.0);
        c.check(id, "h2", r.h2, case["h2"].as_f64().unwrap(), tol);
        if let Some(r2) = case["r2"].as_f64() {
            c.check_scaled(id, "r2", r.r2.unwrap_or(0.0), r2, tol, 1.0);
        }
    }
    assert!(
        c.failures.is_empty(),
        "{} of {} failed:\n{}",
        c.failures.len(),
        c.checked,
        c.failures.join("\n")
    );
}

/// Exact permutation tests (every distinct ordering of the design rows) against metafor
/// `permutest(exact = TRUE)`, from `tests/golden/permutest.json` (`make_permutest.R`).
///
/// metafor leaves out permutations whose refit fails (`failed`); repool's τ² solver converges
/// on those, so for such cases the count of repool's hits may exceed metafor's by at most the
/// number metafor left out, and must equal it otherwise.
#[test]
fn permutation_tests_agree_with_metafor() {
    use repool::io::moderators::{design, Moderator};
    use repool::pool::permutation::permutation_test;
    let text = std::fs::read_to_string(repo_path("tests/golden/permutest.json")).unwrap();
    let g: Value = serde_json::from_str(&text).unwrap();
    let cases = g["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let id = case["name"].as_str().unwrap();
        let y = numbers(&case["yi"]);
        let v = numbers(&case["vi"]);
        let mods: Vec<Moderator> = case["mods"]
            .as_str()
            .unwrap()
            .split('+')
            .map(Moderator::parse)
            .collect();
        let values: Vec<Vec<String>> = (0..y.len())
            .map(|i| {
                mods.iter()
                    .map(|m| match &case[m.column.as_str()][i] {
                        Value::String(s) => s.clone(),
                        n => n.to_string(),
                    })
                    .collect()
            })
            .collect();
        let (x, _) = design(&values, &mods).unwrap();
        let method = Tau2Method::from_code(case["method"].as_str().unwrap());
        let knha = case["test"] == "knha";
        let r = permutation_test(&x, &y, &v, method, knha, 100_000, 1).unwrap();
        assert!(r.exact, "{id}");
        let n = case["permutations"].as_u64().unwrap() as usize;
        let mf_failed = case["failed"].as_u64().unwrap() as usize;
        assert_eq!(r.permutations + r.failed, n, "{id}: distinct orderings");
        assert_eq!(r.failed, 0, "{id}: a refit failed");
        let counts = |p: f64, used: usize| (p * used as f64).round() as i64;
        let mut pairs = vec![(r.qm_p, case["qm_p"].as_f64().unwrap(), "QM".to_string())];
        for (j, (&ours, want)) in r
            .coefficient_p
            .iter()
            .zip(numbers(&case["coef_p"]))
            .enumerate()
        {
            pairs.push((ours, want, format!("coefficient {j}")));
        }
        for (ours, want, what) in pairs {
            let extra = counts(ours, r.permutations) - counts(want, n - mf_failed);
            assert!(
                (0..=mf_failed as i64).contains(&extra),
                "{id} {what}: p = {ours} (repool) vs {want} (metafor, {mf_failed} refits failed)"
            );
        }
    }
}

/// The Begg–Mazumdar test on 50 to 2,000 generated studies against metafor's `ranktest()`,
/// from `tests/golden/ranktest.json` (`make_ranktest.R`): exact p-values up to 170 studies
/// without ties (metafor's default), the normal approximation (`ranktest(exact = FALSE)`)
/// with ties or beyond 170 studies, where metafor's exact p-value is NaN.
#[test]
fn rank_test_on_many_studies_agrees_with_metafor() {
    let text = std::fs::read_to_string(repo_path("tests/golden/ranktest.json")).unwrap();
    let g: Value = serde_json::from_str(&text).unwrap();
    let cases = g["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let id = case["name"].as_str().unwrap();
        let (y, v) = (numbers(&case["yi"]), numbers(&case["vi"]));
        let b = repool::pool::bias::begg(&y, &v).unwrap();
        assert_eq!(b.exact, case["exact"].as_bool().unwrap(), "{id}: exact");
        let (tau, p) = (
            case["tau"].as_f64().unwrap(),
            case["p_value"].as_f64().unwrap(),
        );
        assert!(
            close(b.tau, tau, CLOSED_FORM),
            "{id}: tau {} vs {tau}",
            b.tau
        );
        assert!(
            close(b.p_value, p, CLOSED_FORM),
            "{id}: p {} vs {p}",
            b.p_value
        );
    }
}

#[test]
fn peters_test_agrees_with_metafor() {
    use repool::sof::publication_bias::peters;
    let g = golden();
    let cases = g["peters_cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let method = match case["tau2"].as_str().unwrap() {
            "EE" => None,
            m => Some(Tau2Method::from_code(m).unwrap()),
        };
        let tol = if case["iterative"].as_bool().unwrap() {
            ITERATIVE
        } else {
            CLOSED_FORM
        };
        let (y, v, n) = (
            numbers(&case["yi"]),
            numbers(&case["vi"]),
            numbers(&case["ni"]),
        );
        let p = peters(&y, &v, &n, method).unwrap();
        let want = case["p_value"].as_f64().unwrap();
        assert!(close(p, want, tol), "{id}: p = {p}, metafor {want}");
    }
}
