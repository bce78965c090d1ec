//! `repool sof` and the summary-of-findings library against published numbers: a Cochrane
//! summary-of-findings table, the Cochrane Handbook's worked examples and Altman's NNT example;
//! and the `repool.sof.v1` format.

use std::process::{Command, Output};

use repool::sof::absolute::risks;
use repool::sof::nnt::{nnt, rounded_up, NntKind};
use repool::Measure;

fn repool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// Per 1,000, rounded as a summary-of-findings table prints it.
fn per_1000(x: f64) -> f64 {
    (1000.0 * x).round()
}

/// Clarke M, Hopewell S, Juszczak E, Eisinga A, Kjeldstrøm M. Compression stockings for
/// preventing deep vein thrombosis in airline passengers. Cochrane Database Syst Rev 2006,
/// CD004002; its summary-of-findings table as reproduced in EBM Guidelines
/// (https://download.skyscape.com/download/ota/lonestar/B4562E59-87F6-47FA-8F09-D67E1FE536CA/ebmgneuro.ed18/content/HTML/s/tl34.htm):
/// symptomless DVT, OR 0.10 (0.04 to 0.25), low-risk population 10 per
/// 1,000 → 1 (0 to 3), high-risk population 30 per 1,000 → 3 (1 to 8); superficial vein
/// thrombosis, OR 0.45 (0.18 to 1.13), 13 per 1,000 → 6 (2 to 15).
#[test]
fn a_cochrane_summary_of_findings_table_is_reproduced() {
    let cases = [
        ((0.10, 0.04, 0.25), 0.010, (1.0, 0.0, 3.0)),
        ((0.10, 0.04, 0.25), 0.030, (3.0, 1.0, 8.0)),
        ((0.45, 0.18, 1.13), 0.013, (6.0, 2.0, 15.0)),
    ];
    for (or, acr, printed) in cases {
        let r = risks(Measure::LogOddsRatio, or, acr).unwrap();
        let got = (
            per_1000(r.intervention),
            per_1000(r.intervention_low),
            per_1000(r.intervention_high),
        );
        assert_eq!(got, printed, "OR {or:?}, control risk {acr}");
    }
}

/// Cochrane Handbook 5.1, 12.5.4.2 and 12.5.4.3: RR 0.92 with ACR 0.3 gives 24 fewer per
/// 1,000 and an NNT of 42; OR 0.73 with ACR 0.3 gives 62 fewer per 1,000 and an NNT of 17.
#[test]
fn the_handbooks_worked_examples() {
    for (m, effect, fewer, printed_nnt) in [
        (Measure::LogRiskRatio, 0.92, -24.0, 42),
        (Measure::LogOddsRatio, 0.73, -62.0, 17),
    ] {
        let r = risks(m, (effect, effect, effect), 0.3).unwrap();
        let (d, _, _) = r.difference();
        assert_eq!(per_1000(d), fewer);
        let n = nnt(d, d, d, false);
        assert_eq!(n.kind, NntKind::Benefit);
        assert_eq!(rounded_up(n.value), Some(printed_nnt as f64));
    }
}

/// Altman (1998): an absolute risk reduction of 10 % with CI −5 % to 25 % is NNTB 10, with
/// CI NNTB 4 to ∞ to NNTH 20.
#[test]
fn altmans_nnt_through_infinity() {
    let n = nnt(-0.10, -0.25, 0.05, false);
    assert!(n.crosses_infinity());
    assert_eq!(rounded_up(n.value), Some(10.0));
    assert_eq!(
        (rounded_up(n.low.value), n.low.kind),
        (Some(4.0), NntKind::Benefit)
    );
    assert_eq!(
        (rounded_up(n.high.value), n.high.kind),
        (Some(20.0), NntKind::Harm)
    );
    // For a desirable event the same differences change sides.
    let n = nnt(-0.10, -0.25, 0.05, true);
    assert_eq!(n.kind, NntKind::Harm);
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn the_json_has_the_published_keys() {
    let o = repool(&[
        "sof",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "repool.sof.v1");
    let outcome = &v["outcomes"][0];
    for key in [
        "outcome",
        "measure",
        "k",
        "participants",
        "relative",
        "risks",
        "certainty",
    ] {
        assert!(outcome.get(key).is_some(), "no {key}");
    }
    assert_eq!(
        keys(&outcome["relative"]),
        ["ci_high", "ci_low", "estimate"]
    );
    // The ratio, not its log: BCG's RR is about 0.49.
    let rr = outcome["relative"]["estimate"].as_f64().unwrap();
    assert!((rr - 0.4894).abs() < 1e-3, "{rr}");
    let risk = &outcome["risks"][0];
    for key in [
        "label",
        "control_per_1000",
        "intervention_per_1000",
        "intervention_ci_low",
        "intervention_ci_high",
        "difference_per_1000",
        "difference_ci_low",
        "difference_ci_high",
        "nnt",
        "nnt_ci_low",
        "nnt_ci_high",
        "nnt_kind",
    ] {
        assert!(risk.get(key).is_some(), "no risks[].{key}");
    }
    assert_eq!(risk["nnt_kind"], "benefit");
    // Unrounded in JSON.
    let per = risk["intervention_per_1000"].as_f64().unwrap();
    assert!(per.fract() != 0.0, "{per}");
    for domain in ["imprecision", "inconsistency", "publication_bias"] {
        let d = &outcome["certainty"][domain];
        assert!(
            d["suggestion"].is_string() && d["reasons"].is_array(),
            "{domain}"
        );
    }
}

#[test]
fn text_rounds_the_nnt_up_and_crosses_infinity_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("t.csv");
    // Two small trials whose pooled RR has a CI across 1.
    std::fs::write(
        &csv,
        "study,events_t,n_t,events_c,n_c\nA,10,100,12,100\nB,8,90,9,95\n",
    )
    .unwrap();
    let o = repool(&[
        "sof",
        csv.to_str().unwrap(),
        "--measure",
        "RR",
        "--control-risk",
        "0.1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(" to ∞ to NNTH "), "{text}");
    let o = repool(&[
        "sof",
        csv.to_str().unwrap(),
        "--measure",
        "RR",
        "--control-risk",
        "0.1",
        "--lang",
        "nl",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(" tot ∞ tot NNH "), "{text}");
}

#[test]
fn precomputed_effects_need_a_control_risk() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("hr.csv");
    std::fs::write(&csv, "study,yi,vi\nA,-0.3,0.04\nB,-0.2,0.02\nC,-0.1,0.05\n").unwrap();
    let path = csv.to_str().unwrap();
    let o = repool(&["sof", path, "--measure", "RR"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("control risk"));
    let o = repool(&[
        "sof",
        path,
        "--measure",
        "RR",
        "--control-risk",
        "low=0.05,high=0.2",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = String::from_utf8_lossy(&o.stdout);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.lines().nth(1).unwrap().contains(",low,50,"), "{csv}");
    let o = repool(&["sof", path, "--measure", "RR", "--control-risk", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1.5"));
}

#[test]
fn markdown_is_the_summary_of_findings_table() {
    let o = repool(&[
        "sof",
        "datasets/hfscs-responders/data.csv",
        "--measure",
        "RR",
        "--desirable",
        "--format",
        "markdown",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(
        md.starts_with("# Summary of findings\n\n| Outcome |"),
        "{md}"
    );
    // Responders are a desirable event: more of them is a benefit.
    assert!(md.contains("more per 1,000") && md.contains("NNTB"), "{md}");
}

#[test]
fn an_smd_is_re_expressed_and_read_by_the_rule_of_thumb() {
    let o = repool(&[
        "sof",
        "datasets/normand1999/data.csv",
        "--measure",
        "SMD",
        "--sd",
        "10",
        "--threshold",
        "-0.5",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let out = &v["outcomes"][0];
    let smd = out["effect"]["estimate"].as_f64().unwrap();
    let md = out["re_expressed"]["estimate"].as_f64().unwrap();
    assert!((md - 10.0 * smd).abs() < 1e-12);
    assert!(out["relative"].is_null());
    assert!(out["smd_size"].is_string());
    assert!(out["relevance"].is_string());
    assert_eq!(out["risks"].as_array().unwrap().len(), 0);
}

/// GRADE's figure of the optimal information size (α 0.05, β 0.20), as the Belgian KCE's
/// process book reads it: "if the best estimate of control event rate was 0.2 and one
/// specifies an RRR of 25%, the OIS is approximately 2 000 patients"
/// (https://processbook.kce.be/book/export/html/115, section 5.5.4). The figure is read by
/// eye on a log scale, so within 10 %; the formula itself is pinned by the doc test of
/// `ois::binary`.
#[test]
fn the_optimal_information_size_of_grades_figure() {
    let n = repool::sof::ois::binary(0.2, 0.25).unwrap();
    assert!((n / 2000.0 - 1.0).abs() < 0.10, "{n}");
    // A lower control risk needs more patients, a larger RRR fewer.
    assert!(repool::sof::ois::binary(0.05, 0.25).unwrap() > n);
    assert!(repool::sof::ois::binary(0.2, 0.30).unwrap() < n);
}

/// Control arms without events give no assumed risk: a row of risk 0 is left out, and with no
/// row left the user is asked for one; never an error about a value the user did not give.
#[test]
fn control_arms_without_events() {
    let dir = tempfile::tempdir().unwrap();
    let some = dir.path().join("some.csv");
    std::fs::write(
        &some,
        "study,events_t,n_t,events_c,n_c\nA,1,50,0,50\nB,2,60,0,60\nC,3,40,5,40\n",
    )
    .unwrap();
    let o = repool(&[
        "sof",
        some.to_str().unwrap(),
        "--measure",
        "RR",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The median control risk is 0: only the study population remains.
    assert_eq!(v["outcomes"][0]["risks"].as_array().unwrap().len(), 1);
    let none = dir.path().join("none.csv");
    std::fs::write(
        &none,
        "study,events_t,n_t,events_c,n_c\nA,1,50,0,50\nB,2,60,0,60\n",
    )
    .unwrap();
    let o = repool(&["sof", none.to_str().unwrap(), "--measure", "RD"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("give an assumed control risk"));
}

/// One mirror rule: the harm line is the benefit line mirrored on the display scale
/// (2 − T for a ratio), so `--threshold 0.75` gives the same 0.75/1.25 pair as the default.
#[test]
fn the_harm_line_mirrors_the_threshold_as_the_default_pair_does() {
    use repool::sof::{lines, SofOptions};
    let mut o = SofOptions::default();
    let default = lines(Measure::LogRiskRatio, &o).unwrap();
    o.threshold = Some(0.75);
    let given = lines(Measure::LogRiskRatio, &o).unwrap();
    assert_eq!(default, given);
    assert!((given.harm.unwrap().exp() - 1.25).abs() < 1e-12);
    o.threshold = Some(0.8);
    let l = lines(Measure::LogOddsRatio, &o).unwrap();
    assert!((l.harm.unwrap().exp() - 1.2).abs() < 1e-12);
    o.threshold = Some(-5.0);
    let l = lines(Measure::MeanDifference, &o).unwrap();
    assert_eq!((l.benefit, l.harm), (Some(-5.0), Some(5.0)));
    // A desirable outcome: 1.25 pairs with 0.75, as the default does.
    o.desirable = true;
    o.threshold = None;
    let default = lines(Measure::LogRiskRatio, &o).unwrap();
    o.threshold = Some(1.25);
    assert_eq!(default, lines(Measure::LogRiskRatio, &o).unwrap());
    // A ratio of 2 or more has no mirror image.
    o.threshold = Some(2.0);
    assert!(lines(Measure::LogRiskRatio, &o).is_err());
}

/// A threshold on the side of harm contradicts `--desirable` (or its absence): the error names
/// both.
#[test]
fn a_threshold_against_the_direction_is_rejected() {
    let o = repool(&[
        "sof",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--desirable",
        "--threshold",
        "0.8",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("0.8") && err.contains("--desirable"), "{err}");
    let o = repool(&[
        "sof",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--threshold",
        "1.25",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("1.25") && err.contains("--desirable"), "{err}");
}

/// Odds ratios from 2×2 tables are tested with Peters' test, not Egger's (Sterne et al. 2011);
/// risk ratios keep Egger's.
#[test]
fn odds_ratios_get_peters_test() {
    let run = |m: &str| {
        let o = repool(&["sof", "datasets/bcg/data.csv", "--measure", m]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let or = run("OR");
    assert!(or.contains("Peters' test") && !or.contains("Egger"), "{or}");
    let rr = run("RR");
    assert!(
        rr.contains("Egger's test") && !rr.contains("Peters"),
        "{rr}"
    );
}

/// Per-1,000 numbers round halves away from zero, as GRADEpro does (12.5 → 13, not 12).
#[test]
fn per_1000_rounds_halves_away_from_zero() {
    use repool::format::Lang;
    use repool::sof::text::{per_1000, whole};
    assert_eq!(whole(Lang::En, 12.5), "13");
    assert_eq!(whole(Lang::En, 13.5), "14");
    assert_eq!(whole(Lang::En, -2.5), "-3");
    assert_eq!(per_1000(Lang::En, 0.0125), "13 per 1,000");
}

/// A risk difference is shown per 1,000, as the absolute effects are.
#[test]
fn a_risk_difference_is_shown_per_1000() {
    let o = repool(&["sof", "datasets/bcg/data.csv", "--measure", "RD"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("RD -25 per 1,000 ("), "{text}");
}

/// A hazard ratio at a time point: risk_i = 1 − (1 − risk_c)^HR (Cochrane Handbook 15.4.4).
/// Lawrie TA, et al. Adjuvant (post-surgery) chemotherapy for early stage epithelial ovarian
/// cancer. Cochrane Database Syst Rev 2015, CD004706.pub5:
/// 10-year HRs 0.72 (0.57 to 0.92) for overall survival and 0.67 (0.53 to 0.83) for
/// progression-free survival (abstract, as reproduced in EBM Guidelines,
/// https://download.skyscape.com/download/ota/lonestar/B4562E59-87F6-47FA-8F09-D67E1FE536CA/ebmgpulm.ed18/content/HTML/o/tu51.htm);
/// its figures 4 and 5 (http://cochranelibrary-wiley.com/es/cdsr/doi/10.1002/14651858.CD004706.pub5/related-content/es):
/// of 100 women, 33 died in 10 years without chemotherapy against 25 (20 to 31) with it, and
/// 39 progressed against 28 (23 to 34).
#[test]
fn a_hazard_ratio_at_a_time_point_reproduces_a_cochrane_review() {
    let per_100 = |x: f64| (100.0 * x).round();
    for (hr, acr, printed) in [
        ((0.72, 0.57, 0.92), 0.33, (25.0, 20.0, 31.0)),
        ((0.67, 0.53, 0.83), 0.39, (28.0, 23.0, 34.0)),
    ] {
        let r = risks(Measure::LogHazardRatio, hr, acr).unwrap();
        let got = (
            per_100(r.intervention),
            per_100(r.intervention_low),
            per_100(r.intervention_high),
        );
        assert_eq!(got, printed, "HR {hr:?}, control risk {acr}");
    }
}

/// `repool sof` with a hazard ratio needs the time point its control risk applies at, and
/// labels the rows with it.
#[test]
fn a_hazard_ratio_needs_a_time_point() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("hr.csv");
    std::fs::write(&csv, "study,yi,vi\nA,-0.3,0.04\nB,-0.2,0.02\nC,-0.4,0.05\n").unwrap();
    let path = csv.to_str().unwrap();
    let o = repool(&["sof", path, "--measure", "HR", "--control-risk", "0.33"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("time point") && err.contains("--time-point"),
        "{err}"
    );
    let o = repool(&[
        "sof",
        path,
        "--measure",
        "HR",
        "--control-risk",
        "0.33",
        "--time-point",
        "10 years",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(", at 10 years:"), "{text}");
}

/// A `[[published]]` entry's certainty keys: read from `dataset.toml`, checked, and shown
/// beside the suggestions in the summary of findings of the dataset's report page.
#[test]
fn a_published_certainty_is_shown_beside_the_suggestions() {
    use repool::format::Lang;
    use repool::io::dataset::parse_dataset;
    use repool::io::read::{AnalysisReader, ReadOptions};
    use repool::report::build::build_pool_report;
    let root = env!("CARGO_MANIFEST_DIR");
    let toml = std::fs::read_to_string(format!(
        "{root}/datasets/duloxetine-withdrawal/dataset.toml"
    ))
    .unwrap();
    let marker = "verified = \"not verified against the original article\"\n";
    assert!(toml.contains(marker));
    // Invented values, for the test only: no seed prints a certainty for this outcome.
    let with = toml.replacen(
        marker,
        &format!("{marker}certainty = \"Low\"\ndowngraded = [\"imprecision\"]\nrisk_of_bias = \"serious\"\ncertainty_source = \"test document, line 1\"\n"),
        1,
    );
    let d = parse_dataset(&with, "dataset.toml", "duloxetine-withdrawal").unwrap();
    let c = d.published[0].certainty.as_ref().unwrap();
    assert_eq!((c.level.as_str(), c.downgraded.len()), ("low", 1));
    let bad = toml.replacen(
        marker,
        &format!("{marker}certainty = \"medium\"\ncertainty_source = \"x\"\n"),
        1,
    );
    let err = parse_dataset(&bad, "dataset.toml", "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("medium") && err.contains("certainty"), "{err}");
    let no_source = toml.replacen(marker, &format!("{marker}certainty = \"low\"\n"), 1);
    assert!(parse_dataset(&no_source, "dataset.toml", "x").is_err());

    let path = format!("{root}/datasets/duloxetine-withdrawal/data.csv");
    let f = std::fs::File::open(&path).unwrap();
    let opts = ReadOptions {
        measure: d.measure,
        ..ReadOptions::default()
    };
    let mut reader = AnalysisReader::new(std::io::BufReader::new(f), &path, &opts).unwrap();
    let studies = reader.next_analysis().unwrap().unwrap().studies.unwrap();
    let r = build_pool_report(&d, studies, Lang::En).unwrap();
    let md = repool::report::sof::dataset_section(&r, Lang::En, true);
    assert!(md.starts_with("\n## Summary of findings"), "{md}");
    assert!(
        md.contains("low (rated down for: imprecision); test document, line 1"),
        "{md}"
    );
    assert!(md.contains("Risk of bias: serious"), "{md}");
    let html = repool::report::sof::dataset_section(&r, Lang::En, false);
    assert!(html.contains("<table class=\"sof\">"), "{html}");
}

/// The serve page's pool carries its summary of findings in a `sof` field: per 1,000 with the
/// trials' control risk, and the NNT; the other fields stay as they are.
#[test]
fn the_serve_api_adds_the_summary_of_findings() {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let bcg = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/bcg/data.csv"
    ))
    .unwrap();
    let body = serde_json::json!({"csv": bcg, "measure": "RR"}).to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        s,
        "POST /api/pool HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let json = &raw[raw.find("\r\n\r\n").unwrap() + 4..];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let r = &v["result"];
    assert_eq!(r["summary"], "RR 0.489 [95% CI 0.344; 0.696], k = 13");
    let sof = &r["sof"];
    let risk = &sof["outcome"]["risks"][0];
    assert!(risk["control_per_1000"].as_f64().unwrap() > 0.0, "{sof}");
    assert_eq!(risk["nnt_kind"], "benefit", "{sof}");
    let text = sof["text"].as_str().unwrap();
    assert!(
        text.contains("fewer per 1,000") && text.contains("NNTB"),
        "{text}"
    );
}

#[test]
fn a_control_risk_with_a_decimal_comma_is_explained_not_split() {
    for (lang, words) in [
        ("en", "write the risk with a decimal point (0.2)"),
        ("nl", "schrijf het risico met een decimale punt (0.2)"),
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_repool"))
            .args([
                "sof",
                "datasets/bcg/data.csv",
                "--measure",
                "RR",
                "--control-risk",
                "0,2",
                "--lang",
                lang,
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(words), "{err}");
    }
}
