//! Runs the `repool` binary on good and bad input and checks output and exit codes.

mod util;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use util::repo_path;

fn repool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn repool_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `content` to a file in a fresh temporary folder and returns both.
fn temp_csv(name: &str, content: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    (dir, path.to_string_lossy().into_owned())
}

fn assert_error(o: &Output, needles: &[&str]) {
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {}", stderr(o));
    let err = stderr(o);
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bcg_text_output_matches_metafor_printout() {
    let o = repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--model",
        "random",
        "--tau2",
        "REML",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // metafor: rma(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
    for line in [
        "Random-effects model (k = 13; tau^2 estimator: REML)",
        "tau^2 (estimated amount of total heterogeneity): 0.3132",
        "I^2 (total heterogeneity / total variability):   92.22%",
        "H^2 (total variability / sampling variability):  12.86",
        "Q(df = 12) = 152.2330, p-val < .0001",
        " -0.7145  0.1798  -3.9744  <.0001  -1.0669  -0.3622",
        "Pooled RR: 0.4894 [95% CI 0.3441; 0.6962]",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
}

#[test]
fn json_output_has_the_documented_keys() {
    let o = repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "repool.pool.v1");
    let a = &v["analyses"][0];
    for key in [
        "analysis",
        "measure",
        "model",
        "method",
        "tau2_method",
        "ci_method",
        "level",
        "k",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "statistic",
        "df",
        "p_value",
        "tau2",
        "tau",
        "q",
        "q_df",
        "q_p",
        "i2",
        "h2",
        "pi_low",
        "pi_high",
        "scale",
        "display",
        "studies",
        "notes",
        "error",
    ] {
        assert!(a.get(key).is_some(), "key {key} missing in {a}");
    }
    assert_eq!(a["measure"], "RR");
    assert_eq!(a["scale"], "log");
    assert_eq!(a["k"], 13);
    assert!(a["error"].is_null());
    assert!(a["df"].is_null());
    assert!((a["estimate"].as_f64().unwrap() - (-0.714532)).abs() < 1e-5);
    assert!((a["display"]["estimate"].as_f64().unwrap() - 0.4894).abs() < 1e-4);
    let w: f64 = a["studies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["weight"].as_f64().unwrap())
        .sum();
    assert!((w - 100.0).abs() < 1e-9);
}

#[test]
fn csv_output_is_one_row_per_analysis() {
    let o = repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "OR",
        "--model",
        "fixed",
        "--method",
        "MH",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let headers = r.headers().unwrap().clone();
    let rows: Vec<_> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    let get = |k: &str| rows[0][headers.iter().position(|h| h == k).unwrap()].to_string();
    assert_eq!(get("method"), "MH");
    assert_eq!(get("tau2"), "");
    assert_eq!(get("error"), "");
}

/// Peto on the Yusuf (1985) trials: 21 tables, 3 without deaths in either arm. metafor's
/// `rma.peto()` gives k = 21 and Q with k.yi - 1 = 17 df.
#[test]
fn peto_counts_every_table_in_k_and_the_estimable_ones_in_q() {
    let args = [
        "pool",
        "datasets/yusuf1985/data.csv",
        "--measure",
        "OR",
        "--model",
        "fixed",
        "--method",
        "PETO",
    ];
    let o = repool(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a = &v["analyses"][0];
    assert_eq!(a["k"], 21);
    assert_eq!(a["k_estimable"], 18);
    assert_eq!(a["q_df"], 17);
    let note = a["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .find(|n| n.starts_with("3 studies without events in both arms"))
        .unwrap_or_else(|| panic!("no note on the double-zero tables: {}", a["notes"]));
    assert!(
        note.contains("not in Q and its df, but counted in k")
            && note.ends_with(": Pitt, Hutton, Yusuf"),
        "{note}"
    );
    let o = repool(&[&args[..], &["--format", "csv"]].concat());
    let out = stdout(&o);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let get = |k: &str| row[headers.iter().position(|h| h == k).unwrap()].to_string();
    assert_eq!(
        (
            get("k").as_str(),
            get("k_estimable").as_str(),
            get("q_df").as_str()
        ),
        ("21", "18", "17")
    );
    let o = repool(&args);
    assert!(
        stdout(&o).starts_with("Common-effect model (k = 21, 18 estimable; Peto)"),
        "{}",
        stdout(&o)
    );
    // Inverse variance with the double-zero tables corrected: all 21 have an effect.
    let o = repool(&["pool", "datasets/yusuf1985/data.csv", "--measure", "OR"]);
    assert!(
        stdout(&o).starts_with("Random-effects model (k = 21; tau^2"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn hksj_reports_t_with_k_minus_1_df() {
    let o = repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--ci",
        "hksj",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["analyses"][0]["df"], 12.0);
    assert_eq!(v["analyses"][0]["statistic_type"], "t");
}

#[test]
fn semicolons_and_decimal_commas_are_detected() {
    let o = repool_stdin(
        &["pool", "-", "--tau2", "DL"],
        "study;yi;vi\nA;0,5;0,04\nB;0,1;0,09\nC;-0,2;0,05\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Random-effects model (k = 3; tau^2 estimator: DL)"));
}

#[test]
fn estimate_and_ci_on_the_ratio_scale_are_log_transformed() {
    let (_d, p) = temp_csv(
        "e.csv",
        "study,estimate,ci_low,ci_high\nA,0.5,0.25,1.0\nB,0.8,0.4,1.6\n",
    );
    let o = repool(&[
        "pool",
        &p,
        "--measure",
        "HR",
        "--model",
        "fixed",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let y0 = v["analyses"][0]["studies"][0]["yi"].as_f64().unwrap();
    assert!((y0 - 0.5f64.ln()).abs() < 1e-12);
    let se = (1.0f64.ln() - 0.25f64.ln()) / (2.0 * 1.959963984540054);
    let v0 = v["analyses"][0]["studies"][0]["vi"].as_f64().unwrap();
    assert!((v0 - se * se).abs() < 1e-12);
}

#[test]
fn missing_column_is_named() {
    let (_d, p) = temp_csv("t.csv", "study,events_t,n_t,events_c\nA,1,10,2\n");
    let o = repool(&["pool", &p, "--measure", "RR"]);
    assert_error(&o, &["t.csv", "missing column 'n_c'"]);
}

#[test]
fn non_numeric_value_names_file_line_column_and_value() {
    let (_d, p) = temp_csv(
        "t.csv",
        "study,events_t,n_t,events_c,n_c\nA,1,10,2,20\nB,3,abc,2,20\n",
    );
    let o = repool(&["pool", &p, "--measure", "RR"]);
    assert_error(&o, &["t.csv:3:3", "'n_t'", "'abc'", "expected a number"]);
}

#[test]
fn one_analysis_that_fails_leaves_standard_output_empty_in_json_and_csv() {
    // The JSON document's start and the CSV header were written before the error, which
    // left a truncated JSON document on standard output.
    let (_d, p) = temp_csv(
        "t.csv",
        "study,events_t,n_t,events_c,n_c\nA,1,10,2,20\nB,NaN,10,2,20\n",
    );
    for format in ["json", "csv"] {
        let o = repool(&["pool", &p, "--measure", "RR", "--format", format]);
        assert_error(&o, &["t.csv:3:2", "'NaN'"]);
        assert_eq!(stdout(&o), "", "{format}");
    }
    // A batch keeps its good analyses, in a complete document.
    let (_d, p) = temp_csv(
        "b.csv",
        "analysis,study,events_t,n_t,events_c,n_c\nX,A,1,10,2,20\nX,B,3,10,2,20\nY,A,1,10,2,20\nY,B,NaN,10,2,20\n",
    );
    let o = repool(&["pool", &p, "--measure", "RR", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("complete JSON");
    assert_eq!(doc["analyses"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_quote_never_closed_is_an_error_not_later_analyses_swallowed() {
    // The quoted cell ran to the end of the file, so analysis Z vanished into it.
    let (_d, p) = temp_csv(
        "q.csv",
        "analysis,study,events_t,n_t,events_c,n_c\nX,A,1,10,2,10\nX,B,3,20,4,20\nY,\"A,1,10,2,10\nY,B,3,20,4,20\nZ,A,1,10,2,10\nZ,B,3,20,4,20\n",
    );
    let o = repool(&["pool", &p, "--measure", "RR", "--format", "csv"]);
    assert_error(
        &o,
        &[
            "q.csv:4:2",
            "from line 4 to line 8",
            "closing quote is probably missing",
        ],
    );
    // In a cell past the header's columns, which has no name (this panicked).
    let (_d, p) = temp_csv(
        "e.csv",
        "study,events_t,n_t,events_c,n_c\nA,1,10,2,10,\"x\ny\"\n",
    );
    let o = repool(&["pool", &p, "--measure", "RR"]);
    assert_error(&o, &["e.csv:2", "from line 2 to line 3"]);
}

#[test]
fn rows_combined_under_different_labels_keep_every_label() {
    // Study C was combined into A and its name disappeared.
    let (_d, p) = temp_csv(
        "c.csv",
        "study,combine,events_t,n_t,events_c,n_c\nA,1,1,10,2,10\nB,,3,20,4,20\nC,1,3,20,2,10\nD,2,1,10,2,10\nD,2,2,10,2,10\n",
    );
    let o = repool(&["pool", &p, "--measure", "RR"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("study 'A + C': 2 treatment arms"), "{out}");
    // Arms of one study under one label keep it.
    assert!(out.contains("study 'D': 2 treatment arms"), "{out}");
}

#[test]
fn impossible_values_are_rejected_with_their_position() {
    let cases = [
        (
            "study,mean_t,sd_t,n_t,mean_c,sd_c,n_c\nA,1,-2,10,2,3,10\n",
            "MD",
            "t.csv:2:3",
            "negative standard deviation",
        ),
        (
            "study,mean_t,sd_t,n_t,mean_c,sd_c,n_c\nA,1,2,0,2,3,10\n",
            "MD",
            "t.csv:2:4",
            "arm size below 1",
        ),
        (
            "study,events_t,n_t,events_c,n_c\nA,12,10,2,20\n",
            "RR",
            "t.csv:2:2",
            "more events than participants",
        ),
        (
            "study,yi,vi\nA,0.1,0\n",
            "MD",
            "t.csv:2:3",
            "non-positive variance",
        ),
        (
            "study,estimate,ci_low,ci_high\nA,1.2,1.5,1.1\n",
            "RR",
            "t.csv:2:3",
            "lower CI limit not below",
        ),
        (
            "study,estimate,ci_low,ci_high\nA,2.5,1.1,1.5\n",
            "RR",
            "t.csv:2:2",
            "estimate outside its CI",
        ),
    ];
    for (csv, measure, pos, what) in cases {
        let (_d, p) = temp_csv("t.csv", csv);
        let o = repool(&["pool", &p, "--measure", measure]);
        assert_error(&o, &[pos, what]);
    }
}

#[test]
fn numbers_a_double_cannot_hold_are_errors_not_zero_or_infinity() {
    // 1e-400 used to be read as 0 and pooled; 1e400 was "not a number".
    let (_d, p) = temp_csv("t.csv", "study,yi,vi\nA,1e-400,0.1\nB,0.2,0.1\n");
    assert_error(
        &repool(&["pool", &p]),
        &["t.csv:2:2 (column 'yi')", "'1e-400'", "too close to 0"],
    );
    let (_d, p) = temp_csv("t.csv", "study;yi;vi\nA;0,1;1e400\nB;0,2;0,1\n");
    assert_error(
        &repool(&["pool", &p]),
        &["t.csv:2:3 (column 'vi')", "'1e400'", "too large"],
    );
    let (_d, p) = temp_csv(
        "n.csv",
        "study,treat1,treat2,yi,se\ns1,A,B,-1E-999,0.1\ns2,B,C,0.2,0.1\n",
    );
    assert_error(
        &repool(&["network", &p, "--measure", "MD"]),
        &["n.csv:2:4 (column 'yi')", "'-1E-999'", "too close to 0"],
    );
    let (_d, p) = temp_csv(
        "m.csv",
        "study,yi,vi,x\nA,0.1,0.01,1\nB,0.2,0.02,2e-320\nC,0.3,0.03,3\nD,0.1,0.02,4\n",
    );
    assert_error(
        &repool(&["regress", &p, "--mod", "x"]),
        &[
            "m.csv:3:4 (column 'x'): study 'B'",
            "'2e-320'",
            "too close to 0",
        ],
    );
}

#[test]
fn a_column_named_twice_is_an_error_naming_both() {
    // The second 'N_T' used to be ignored silently in favour of the first 'n_t'.
    let (_d, p) = temp_csv(
        "t.csv",
        "study,events_t,n_t,events_c,n_c,N_T,,\nA,1,10,2,20,100,,\nB,3,10,2,20,100,,\n",
    );
    assert_error(
        &repool(&["pool", &p, "--measure", "RR"]),
        &["t.csv:1: columns 3 ('n_t') and 6 ('N_T') have the same name"],
    );
    // Columns the reader does not use may repeat (here two empty names and two notes).
    let (_d, p) = temp_csv(
        "t.csv",
        "study,yi,vi,notes,,notes,\nA,0.1,0.01,a,,b,\nB,0.2,0.02,c,,d,\n",
    );
    assert_eq!(repool(&["pool", &p]).status.code(), Some(0));
    let (_d, p) = temp_csv(
        "m.csv",
        "study,yi,vi,x,X \nA,0.1,0.01,1,5\nB,0.2,0.02,2,6\nC,0.3,0.03,3,7\n",
    );
    assert_error(
        &repool(&["regress", &p, "--mod", "x"]),
        &["m.csv:1: columns 4 ('x') and 5 ('X') have the same name"],
    );
    let (_d, p) = temp_csv(
        "n.csv",
        "Study,treatment,events,n,study\ns1,A,1,10,x\ns1,B,2,10,x\n",
    );
    assert_error(
        &repool(&["network", &p, "--measure", "OR"]),
        &["n.csv:1: columns 1 ('Study') and 5 ('study') have the same name"],
    );
    let (_d, p) = temp_csv(
        "c.csv",
        "id,measure,estimate,ci_low,ci_high,Estimate\n1,RR,1.2,1.1,1.3,2.0\n",
    );
    assert_error(
        &repool(&["check", &p]),
        &["c.csv:1: columns 3 ('estimate') and 6 ('Estimate') have the same name"],
    );
}

#[test]
fn a_ratio_too_large_to_show_is_an_error_naming_the_study_not_inf() {
    // These printed "inf [inf; inf]" or a CI up to inf, with exit code 0.
    let (_d, p) = temp_csv(
        "t.csv",
        "study,events_t,n_t,events_c,n_c\nA,5,10,3,10\nB,1e308,1e308,1,1e308\n",
    );
    assert_error(
        &repool(&["pool", &p, "--measure", "RR"]),
        &["t.csv: study 'B' (line 3): its upper confidence limit as a ratio, exp(710.39), is too large"],
    );
    let (d, p) = temp_csv("t.csv", "study,yi,vi\nA,800,0.1\nB,0.2,0.1\n");
    let svg = d.path().join("f.svg");
    for cmd in ["pool", "forest", "explain"] {
        let mut args = vec![cmd, p.as_str(), "--measure", "OR"];
        if cmd == "forest" {
            args.extend(["--output", svg.to_str().unwrap()]);
        }
        assert_error(
            &repool(&args),
            &["study 'A' (line 2): its effect as a ratio, exp(800.00), is too large"],
        );
    }
    let (_d, p) = temp_csv(
        "t.csv",
        "study,events_t,n_t,events_c,n_c\nA,1e300,1e300,1,1e300\nB,5,10,3,10\n",
    );
    assert_error(
        &repool(&["pool", &p, "--measure", "RR"]),
        &["the upper confidence limit of the pooled ratio is not a finite number"],
    );
    // Only the prediction interval would overflow: left out with a note.
    let (_d, p) = temp_csv("t.csv", "study,yi,vi\nA,0,0.01\nB,600,0.01\nC,300,0.01\n");
    let o = repool(&["pool", &p, "--measure", "RR", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let a = &v["analyses"][0];
    assert!(
        a["pi_high"].is_null() && a["display"]["pi_high"].is_null(),
        "{a}"
    );
    assert!(
        a["notes"].to_string().contains("no prediction interval"),
        "{a}"
    );
}

#[test]
fn no_studies_left_is_an_error() {
    let (_d, p) = temp_csv(
        "t.csv",
        "study,events_t,n_t,events_c,n_c\nA,0,10,0,20\nB,0,5,0,5\n",
    );
    let o = repool(&["pool", &p, "--measure", "RR", "--drop-double-zero"]);
    assert_error(&o, &["k = 0", "all 2 studies were excluded"]);
    let (_d2, p2) = temp_csv("t.csv", "study,yi,vi\n");
    assert_error(&repool(&["pool", &p2]), &["no data rows"]);
}

#[test]
fn arm_data_need_a_measure() {
    assert_error(
        &repool(&["pool", "datasets/bcg/data.csv"]),
        &["--measure RR, OR or RD"],
    );
    assert_error(
        &repool(&["pool", "datasets/bcg/data.csv", "--measure", "MD"]),
        &["missing column"],
    );
}

#[test]
fn mantel_haenszel_is_common_effect_only() {
    let o = repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--method",
        "MH",
    ]);
    assert_error(&o, &["--model fixed"]);
}

#[test]
fn batch_keeps_good_analyses_when_one_fails() {
    let csv = "analysis,study,yi,vi\nfirst,A,0.1,0.01\nfirst,B,0.3,0.02\nbad,C,0.2,x\nlast,D,0.5,0.04\nlast,E,0.4,0.05\n";
    let (dir, p) = temp_csv("b.csv", csv);
    let out = dir.path().join("out.json");
    let o = repool(&[
        "pool",
        &p,
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("analysis 'bad'"), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let a = v["analyses"].as_array().unwrap();
    assert_eq!(a.len(), 3);
    assert_eq!(a[0]["analysis"], "first");
    assert!(a[0]["error"].is_null());
    assert!(a[1]["error"].as_str().unwrap().contains("b.csv:4:4"));
    assert_eq!(a[2]["k"], 2);
}

#[test]
fn analyses_must_be_contiguous() {
    let csv = "analysis,study,yi,vi\nx,A,0.1,0.01\ny,B,0.3,0.02\nx,C,0.2,0.03\n";
    let o = repool_stdin(&["pool", "-", "--format", "csv"], csv);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("must be contiguous"), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 4);
}

#[test]
fn a_failing_command_leaves_no_output_file() {
    let (dir, p) = temp_csv("t.csv", "study,yi,vi\nA,0.1,-1\n");
    let out = dir.path().join("out.csv");
    let o = repool(&["pool", &p, "--format", "csv", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn pool_digits_beyond_15_is_an_error_not_a_panic() {
    for digits in ["16", "65533", "x"] {
        assert_error(
            &repool(&[
                "pool",
                "datasets/bcg/data.csv",
                "--measure",
                "RR",
                "--digits",
                digits,
            ]),
            &["--digits"],
        );
    }
    let o = repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--digits",
        "15",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("0.119718361141261"), "{}", stdout(&o));
}

#[test]
fn missing_file_is_an_error_not_a_panic() {
    assert_error(
        &repool(&["pool", "no/such/file.csv"]),
        &["cannot open no/such/file.csv"],
    );
}

#[test]
fn one_study_pools_to_itself() {
    let o = repool(&[
        "pool",
        &repo_path("tests/golden/data/bcg_k1.csv").to_string_lossy(),
        "--measure",
        "RR",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a = &v["analyses"][0];
    assert_eq!(a["k"], 1);
    assert_eq!(a["tau2"], 0.0);
    assert_eq!(a["estimate"], a["studies"][0]["yi"]);
}

#[test]
fn regression_fitting_every_effect_exactly_under_hksj_is_named_not_called_collinear() {
    // QE = 0 made every Knapp-Hartung SE 0, which was reported as collinear moderators.
    let (_d, p) = temp_csv(
        "r.csv",
        "study,yi,vi,x\nA,0.1,0.1,1\nB,0.2,0.1,2\nC,0.3,0.1,3\nD,0.4,0.1,4\n",
    );
    let o = repool(&["regress", &p, "--mod", "x", "--ci", "hksj"]);
    assert_error(
        &o,
        &["r.csv", "fits every effect exactly (QE = 0)", "--ci z"],
    );
    assert!(!stderr(&o).contains("collinear"), "{}", stderr(&o));
    let o = repool(&["regress", &p, "--mod", "x"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn hksj_with_one_study_is_an_error() {
    let o = repool(&[
        "pool",
        "tests/golden/data/bcg_k1.csv",
        "--measure",
        "RR",
        "--ci",
        "hksj",
    ]);
    assert_error(&o, &["at least 2 studies"]);
}

// ---- repool check ----

#[test]
fn check_original_numbers_unreadable_are_errors_and_partial_ones_a_note() {
    // Both used to skip the transcription check without a word.
    let header =
        "id,measure,estimate,ci_low,ci_high,original_estimate,original_ci_low,original_ci_high\n";
    let (_d, p) = temp_csv(
        "c.csv",
        &format!("{header}a,MD,-5.3,-7.21,-3.30,-5.3,abc,-3.3\nb,MD,-5.3,-7.31,-3.30,,,\n"),
    );
    let o = repool(&["check", &p]);
    assert_error(
        &o,
        &["c.csv:2:7 (column 'original_ci_low'): not a number: 'abc'"],
    );
    assert!(
        stdout(&o).contains("b "),
        "the other claim is still checked"
    );
    let (_d, p) = temp_csv(
        "c.csv",
        &format!("{header}a,MD,-5.3,-7.21,-3.30,-5.3,-7.31,\n"),
    );
    let o = repool(&["check", &p, "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .contains("Remarques :\n- a: transcription non vérifiée : original_ci_high est vide"),
        "{}",
        stdout(&o)
    );
    let o = repool(&["check", &p, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["claims"][0]["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("transcription not checked: original_ci_high is empty"),
        "{v}"
    );
}

#[test]
fn check_numbers_too_large_to_work_with_are_an_error_not_an_inf_finding() {
    // The width overflowed: "Implied SE inf" and a bogus ci_asymmetric error (exit 1).
    let big = "9".repeat(308);
    let (_d, p) = temp_csv(
        "c.csv",
        &format!("id,measure,estimate,ci_low,ci_high\na,MD,1,-{big},{big}\nb,MD,1,0.5,1.5\n"),
    );
    let o = repool(&["check", &p, "--format", "json"]);
    assert_error(
        &o,
        &["c.csv:2: the standard error implied by the printed numbers is not a finite number"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["claims"][0]["flags"].as_array().unwrap().is_empty());
    assert!(v["claims"][1]["implied_se"].as_f64().is_some());
}

#[test]
fn check_text_flags_the_minerva_example() {
    let o = repool(&[
        "check",
        "--text",
        "MD -9.72 (95% CI -22.7 to -6.69), threshold -10, reported: not clinically relevant",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("ci_asymmetric") && out.contains("verdict_mismatch"),
        "{out}"
    );
    assert!(out.contains("a symmetric CI would have -12.8"), "{out}");
}

#[test]
fn check_text_in_dutch_with_decimal_commas() {
    let o = repool(&[
        "check",
        "--text",
        "RR 2,16 (95% BI 1,71 tot 2,73)",
        "--lang",
        "nl",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = repool(&[
        "check",
        "--text",
        "OR 0,77 (IC à 95 % 0,23 à 2,59), p = 0,01",
        "--lang",
        "fr",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "repool.check.v1");
    let c = &v["claims"][0];
    for key in [
        "id",
        "measure",
        "flags",
        "implied_se",
        "implied_p",
        "asymmetry",
        "relevance",
        "relevance_text",
        "imprecision",
    ] {
        assert!(c.get(key).is_some(), "{key} missing in {c}");
    }
    assert_eq!(c["flags"][0]["code"], "p_mismatch");
    assert!(c["flags"][0]["message"].as_str().unwrap().contains("0,67"));
}

#[test]
fn check_claims_file_reports_bad_rows_and_checks_the_rest() {
    let csv = "id,measure,estimate,ci_low,ci_high,p\na,MD,2.0,1.0,3.0,<0.001\nb,XX,1,0,2,\nc,RR,\"2,16\",\"1,71\",\"2,73\",\n";
    let (_d, p) = temp_csv("claims.csv", csv);
    let o = repool(&["check", &p, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("claims.csv:3:2 (column 'measure')"),
        "{}",
        stderr(&o)
    );
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(out.lines().nth(3).unwrap().starts_with("c,"));
}

#[test]
fn check_exit_code_is_zero_when_nothing_is_flagged() {
    let (_d, p) = temp_csv(
        "claims.csv",
        "id;measure;estimate;ci_low;ci_high;p\na;RR;2,44;1,20;4,96;0,01\n",
    );
    let o = repool(&["check", &p]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o)
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .take(2)
        .eq(["a", "ok"]));
}

#[test]
fn check_bundled_minerva_claims() {
    let o = repool(&[
        "check",
        "datasets/minerva-claims/claims.csv",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let claims = v["claims"].as_array().unwrap();
    let flags = |id: &str| -> Vec<String> {
        let c = claims.iter().find(|c| c["id"] == id).unwrap();
        c["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    // Seed 000 prints -7,21 where Ferreira 2021 has -7.31, and -22,7 for -12.75.
    assert_eq!(flags("000-01"), vec!["transcription_mismatch"]);
    assert_eq!(
        flags("000-02"),
        vec![
            "ci_asymmetric",
            "verdict_mismatch",
            "transcription_mismatch"
        ]
    );
    // "Clinically relevant: yes" with a CI reaching below the 10-point threshold.
    assert_eq!(
        flags("000-03"),
        vec!["verdict_mismatch", "transcription_mismatch"]
    );
    let severity = |id: &str, code: &str| -> String {
        let c = claims.iter().find(|c| c["id"] == id).unwrap();
        let f = c["flags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code);
        f.unwrap()["severity"].as_str().unwrap().to_string()
    };
    // -22,7 for -12,75 is beyond any interval method; OR 2,35 (1,7 tot 3,77) is not.
    assert_eq!(severity("000-02", "ci_asymmetric"), "error");
    assert_eq!(severity("000-09", "ci_asymmetric"), "error");
    assert_eq!(severity("000-14", "ci_asymmetric"), "warning");
    assert_eq!(severity("000-02", "transcription_mismatch"), "error");
    // Seed 003's p-values fit their CIs.
    assert!(flags("003-01").is_empty());
    assert!(flags("003-03").is_empty());
    assert!(claims.iter().all(|c| c["error"].is_null()));
}

#[test]
fn check_exit_code_follows_severity_and_strict() {
    // OR 2.35 (1.7 to 3.77): asymmetry 0.19 of the width on the log scale, a warning.
    let warn = "OR 2.35 (95% CI 1.7 to 3.77)";
    let o = repool(&["check", "--text", warn]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("ci_asymmetric (warning)"),
        "{}",
        stdout(&o)
    );
    let o = repool(&["check", "--text", warn, "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // RR 1.23 (1.16-2.07): asymmetry 0.80, an error with and without --strict.
    for extra in [&[][..], &["--strict"][..]] {
        let mut args = vec!["check", "--text", "RR 1.23 (1.16\u{2013}2.07)"];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        assert!(
            stdout(&o).contains("ci_asymmetric (error)"),
            "{}",
            stdout(&o)
        );
    }
    // Nothing flagged: 0 with --strict too.
    let o = repool(&[
        "check",
        "--text",
        "RR 2.16 (95% CI 1.71 to 2.73)",
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn check_json_and_csv_carry_the_severity() {
    let o = repool(&[
        "check",
        "--text",
        "OR 2.35 (95% CI 1.7 to 3.77), p = 0.60",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f = &v["claims"][0]["flags"];
    assert_eq!(f[0]["code"], "ci_asymmetric");
    assert_eq!(f[0]["severity"], "warning");
    assert_eq!(f[1]["code"], "p_mismatch");
    assert_eq!(f[1]["severity"], "error");
    let o = repool(&[
        "check",
        "--text",
        "OR 2.35 (95% CI 1.7 to 3.77)",
        "--format",
        "csv",
    ]);
    let out = stdout(&o);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(row[col("flags")], "ci_asymmetric");
    assert_eq!(row[col("severities")], "warning");
}

/// A p in scientific notation is read (2e-10 contradicts the CI: an error, exit 1); a p
/// outside [0, 1] cannot be read (exit 2), named by its place and value in the reader's
/// language; `scan` reads `3.2E-5` and `9 × 10−1` too.
#[test]
fn check_text_reads_scientific_p_and_refuses_p_outside_0_1() {
    let o = repool(&["check", "--text", "RR 2 (1 to 4), p = 2e-10"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("p_mismatch"), "{}", stdout(&o));
    let o = repool(&["check", "--text", "RR 2 (1 to 4), p = 1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("1:20: not a p-value: '1.5'; expected e.g. 0.01"),
        "{}",
        stderr(&o)
    );
    let o = repool(&["check", "--lang", "nl", "--text", "RR 2 (1 to 4), p = 1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("1:20: geen p-waarde: '1.5'; verwacht: bijv. 0,01"),
        "{}",
        stderr(&o)
    );
    let text = "OR 1.20 (95% CI 1.10 to 1.30), P = 9 \u{d7} 10\u{2212}1.\n\
                OR 1.20 (95% CI 1.10 to 1.30), P = 3.2E-5.\n";
    let o = repool_stdin(&["scan", "-", "--format", "json"], text);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ps: Vec<f64> = v["documents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["p"].as_f64().unwrap())
        .collect();
    assert_eq!(ps, [0.9, 3.2e-5]);
}

// RR 1.23 (1.16 to 2.07), p = 0.02: the whole width would imply p = 0.16; the halves imply
// p < 0.0001 (lower) and 0.4357 (upper), and p = 0.02 lies between them.
#[test]
fn check_asymmetric_ci_is_read_from_its_halves() {
    let text = "RR 1.23 (95% CI 1.16 to 2.07), p = 0.02";
    let o = repool(&["check", "--text", text]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("0.16"), "{out}");
    assert!(!out.contains("p_mismatch"), "{out}");
    assert!(out.contains("p(CI halves) <0.0001; 0.4357"), "{out}");
    assert!(out.contains("ci_asymmetric (error)"), "{out}");
    let o = repool(&["check", "--text", text, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let c = &v["claims"][0];
    assert!(c["implied_p"].is_null(), "{c}");
    assert!(c["implied_p_lower_half"].as_f64().unwrap() < 1e-10, "{c}");
    assert!((c["implied_p_upper_half"].as_f64().unwrap() - 0.4357).abs() < 5e-5);
    let codes: Vec<&str> = c["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["ci_asymmetric"]);
}

#[test]
fn check_text_severity_in_dutch_and_french() {
    let o = repool(&[
        "check",
        "--text",
        "MD 2,0 (95% BI 1,0 tot 3,0), p = 0,02",
        "--lang",
        "nl",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("waarschuwing") && out.contains("SE 0,5102"),
        "{out}"
    );
    assert!(out.contains("[p_mismatch] waarschuwing: "), "{out}");
    let o = repool(&[
        "check",
        "--text",
        "RR 1,23 (IC à 95 % 1,16 à 2,07)",
        "--lang",
        "fr",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("[ci_asymmetric] erreur: "), "{out}");
    assert!(out.contains("RR 1,23 [1,16; 2,07]"), "{out}");
    assert!(out.contains("p(moitiés de l'IC) <0,0001; 0,4357"), "{out}");
    assert!(
        out.contains("\nConstats :\n") && !out.contains("Findings"),
        "{out}"
    );
}

#[test]
fn check_text_in_dutch_has_dutch_headings_and_decimal_commas() {
    let o = repool(&[
        "check",
        "--text",
        "MD -9,72 (95% BI -22,7 tot -6,69), threshold -10, reported: not clinically relevant",
        "--lang",
        "nl",
    ]);
    let out = stdout(&o);
    for english in [
        "Findings:",
        "Clinical relevance:",
        "Notes:",
        "relevance ",
        "crosses",
        "p(CI",
    ] {
        assert!(!out.contains(english), "{english:?} in {out}");
    }
    assert!(
        out.contains("Bevindingen:\n") && out.contains("Klinische relevantie:\n"),
        "{out}"
    );
    assert!(
        out.contains("MD -9,72 [-22,7; -6,69]  SE 4,0843  p(BI-helften) 0,1422"),
        "{out}"
    );
    assert!(
        out.contains("  relevantie C  overschrijdt de drempel"),
        "{out}"
    );
}

#[test]
fn check_needs_a_file_or_text() {
    let o = repool(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    let o = repool(&["check", "--text", "nothing to see here"]);
    assert_error(&o, &["no measure"]);
}

// ---- repool forest ----

#[test]
fn forest_writes_svg_png_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    for (ext, magic) in [
        ("svg", &b"<svg"[..]),
        ("png", &b"\x89PNG"[..]),
        ("pdf", &b"%PDF"[..]),
    ] {
        let out = dir.path().join(format!("f.{ext}"));
        let o = repool(&[
            "forest",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--model",
            "random",
            "--output",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{ext}");
        if ext == "svg" {
            let s = String::from_utf8(bytes).unwrap();
            assert!(s.contains("0.49 [0.34; 0.70]"));
            assert!(s.contains("Favours treatment"));
        }
    }
}

#[test]
fn forest_in_dutch_with_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.svg");
    let o = repool(&[
        "forest",
        "tests/golden/data/normand1999.csv",
        "--measure",
        "MD",
        "--threshold",
        "-10",
        "--lang",
        "nl",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = std::fs::read_to_string(&out).unwrap();
    assert!(
        s.contains("Gewicht")
            && s.contains("In het voordeel van")
            && s.contains("-15,11 [-32,64; 2,43]"),
        "{s}"
    );
    assert!(s.contains("stroke-dasharray"));
}

#[test]
fn forest_rejects_bad_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    assert_error(
        &repool(&[
            "forest",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--output",
            &out("f.jpg"),
        ]),
        &["must end in .svg, .png or .pdf"],
    );
    assert_error(
        &repool(&[
            "forest",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--threshold",
            "-0.2",
            "--output",
            &out("f.svg"),
        ]),
        &["must be > 0"],
    );
    assert_error(
        &repool(&[
            "forest",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--xlim",
            "-1,5",
            "--output",
            &out("f.svg"),
        ]),
        &["ratios around 1"],
    );
    assert!(!dir.path().join("f.svg").exists());
    let csv = "analysis,study,yi,vi\nx,A,0.1,0.01\nx,B,0.3,0.02\ny,C,0.2,0.03\ny,D,0.1,0.02\n";
    let (_d, p) = temp_csv("b.csv", csv);
    assert_error(
        &repool(&["forest", &p, "--output", &out("f.svg")]),
        &["choose one with --analysis", "x, y"],
    );
    let o = repool(&["forest", &p, "--analysis", "y", "--output", &out("f.svg")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn pool_by_subgroup_gives_each_subgroup_and_the_test() {
    let o = repool(&[
        "pool",
        "tests/golden/data/bcg_subgroups.csv",
        "--measure",
        "RR",
        "--tau2",
        "DL",
        "--by-subgroup",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a = v["analyses"].as_array().unwrap();
    assert_eq!(a.len(), 4);
    assert_eq!(a[0]["subgroup"], "random");
    assert!(a[3]["subgroup"].is_null());
    // metafor: rma(yi = subgroup estimates, sei = their SEs, method = "EE")$QE = 1.53676887206275
    assert!((a[3]["subgroup_test"]["q"].as_f64().unwrap() - 1.53676887206275).abs() < 1e-9);
    assert_eq!(a[3]["subgroup_test"]["df"], 2);
    let o = repool(&[
        "pool",
        "tests/golden/data/bcg_subgroups.csv",
        "--measure",
        "RR",
        "--by-subgroup",
    ]);
    assert!(stdout(&o).contains("Test for subgroup differences: Q(df = 2)"));
}

// ---- repool funnel ----

#[test]
fn funnel_draws_one_point_per_study() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.svg");
    let o = repool(&[
        "funnel",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--contours",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = std::fs::read_to_string(&out).unwrap();
    assert_eq!(s.matches("<circle").count(), 13);
    assert!(s.contains("Standard error") && s.contains("p &lt; 0.01"));
    let png = dir.path().join("f.png");
    let o = repool(&[
        "funnel",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--output",
        png.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_error(
        &repool(&[
            "funnel",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--output",
            "f.txt",
        ]),
        &["must end in .svg, .png or .pdf"],
    );
}

// ---- repool report ----

#[test]
fn report_writes_pages_keeps_good_datasets_and_names_the_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("good")).unwrap();
    std::fs::create_dir_all(data.join("bad")).unwrap();
    std::fs::create_dir_all(data.join("nomeasure")).unwrap();
    std::fs::copy(
        repo_path("datasets/bcg/data.csv"),
        data.join("good/data.csv"),
    )
    .unwrap();
    std::fs::write(
        data.join("good/dataset.toml"),
        "title = \"Good\"\nmeasure = \"RR\"\n[[published]]\nlabel = \"Colditz\"\nmodel = \"random\"\ntau2 = \"DL\"\nestimate = \"0.49\"\nci_low = \"0.34\"\nci_high = \"0.70\"\nsource = \"abstract\"\nverified = \"no\"\n",
    )
    .unwrap();
    std::fs::copy(
        repo_path("datasets/bcg/data.csv"),
        data.join("bad/data.csv"),
    )
    .unwrap();
    std::fs::write(
        data.join("bad/dataset.toml"),
        "title = \"Bad\"\nmeasure = \"XX\"\n",
    )
    .unwrap();
    std::fs::write(data.join("nomeasure/dataset.toml"), "measure = \"RR\"\n").unwrap();
    let out = dir.path().join("out");
    let o = repool(&[
        "report",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("bad/dataset.toml: measure = \"XX\": one of MD, SMD"),
        "{err}"
    );
    assert!(
        err.contains("nomeasure/dataset.toml") && err.contains("missing field `title`"),
        "{err}"
    );
    let page = std::fs::read_to_string(out.join("good/index.html")).unwrap();
    assert!(page.contains("Reproduced within the printed precision") && page.contains("<svg"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("good/index.html") && index.contains("error:"));
    // The same input gives the same bytes.
    let first = std::fs::read(out.join("good/index.html")).unwrap();
    let _ = repool(&[
        "report",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(first, std::fs::read(out.join("good/index.html")).unwrap());
}

/// A dataset folder with `dataset.toml` and, optionally, a copy of the BCG data.
fn dataset(root: &std::path::Path, name: &str, toml: &str, data: bool) {
    let d = root.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("dataset.toml"), toml).unwrap();
    if data {
        std::fs::copy(repo_path("datasets/bcg/data.csv"), d.join("data.csv")).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn report_reads_no_file_outside_a_dataset_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let secret = root.join("secret.csv");
    std::fs::write(&secret, "id,SECRET-LINE\n1,2\n").unwrap();
    let data = root.join("data");
    let claims = |file: &str| format!("title = \"T\"\nkind = \"claims\"\nfile = {file:?}\n");
    dataset(&data, "absolute", &claims(secret.to_str().unwrap()), false);
    dataset(&data, "dotdot", &claims("../../secret.csv"), false);
    dataset(&data, "linked", &claims("claims.csv"), false);
    std::os::unix::fs::symlink(&secret, data.join("linked/claims.csv")).unwrap();
    dataset(
        &data,
        "datalink",
        "title = \"T\"\nmeasure = \"RR\"\n",
        false,
    );
    std::os::unix::fs::symlink(&secret, data.join("datalink/data.csv")).unwrap();
    std::fs::create_dir_all(data.join("tomllink")).unwrap();
    std::os::unix::fs::symlink(&secret, data.join("tomllink/dataset.toml")).unwrap();
    dataset(&data, "good", "title = \"Good\"\nmeasure = \"RR\"\n", true);
    let out = root.join("out");
    let o = repool(&[
        "report",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    for needle in [
        "absolute/dataset.toml: file = \"/",
        "dotdot/dataset.toml: file = \"../../secret.csv\" lies outside the dataset folder",
        "linked/dataset.toml: file = \"claims.csv\" lies outside",
        "datalink/dataset.toml: data.csv lies outside",
        "tomllink/dataset.toml: dataset.toml lies outside",
    ] {
        assert!(err.contains(needle), "{needle:?} not in:\n{err}");
    }
    let mut written = String::new();
    for e in walk(&out) {
        written.push_str(&std::fs::read_to_string(e).unwrap());
    }
    assert!(!err.contains("SECRET-LINE") && !written.contains("SECRET-LINE"));
    assert!(out.join("good/index.html").exists());
}

#[test]
fn report_links_only_http_https_doi_and_relative_urls() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let urls = [
        "javascript:alert(1)",
        "JavaScript:alert(2)",
        " javascript:alert(3)",
        "java\tscript:alert(4)",
        "data:text/html,<script>alert(5)</script>",
        "//evil.example/x",
        "https://ok.example/a?b=1&c=2",
        "HTTP://ok.example/upper",
        "doi:10.1000/xyz",
        "notes/source.pdf",
    ];
    let mut toml = String::from("title = \"Links\"\nmeasure = \"RR\"\n");
    for u in urls {
        toml.push_str(&format!("[[sources]]\ncitation = \"C\"\nurl = {u:?}\n"));
    }
    dataset(&data, "links", &toml, true);
    let out = dir.path().join("out");
    let o = repool(&[
        "report",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(out.join("links/index.html")).unwrap();
    let hrefs: Vec<&str> = page
        .split("href=\"")
        .skip(1)
        .map(|h| &h[..h.find('"').unwrap()])
        .collect();
    assert_eq!(
        hrefs,
        [
            "../index.html",
            "https://ok.example/a?b=1&amp;c=2",
            "HTTP://ok.example/upper",
            "https://doi.org/10.1000/xyz",
            "notes/source.pdf"
        ]
    );
    // The others are shown as text, escaped.
    assert!(page.contains("C javascript:alert(1)</li>"), "{page}");
    assert!(page.contains("data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;"));
    assert!(!page.contains("<script>"));
    let md = std::fs::read_to_string(out.join("links/README.md")).unwrap();
    assert!(md.contains("<https://ok.example/a?b=1&c=2>") && !md.contains("<javascript:"));
    assert!(md.contains("[notes/source.pdf](notes/source.pdf)"), "{md}");
}

#[test]
fn report_removes_the_stale_pages_of_a_dataset_that_now_fails() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    dataset(&data, "bcg", "title = \"BCG\"\nmeasure = \"RR\"\n", true);
    let out = dir.path().join("out");
    let run = || {
        repool(&[
            "report",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    assert_eq!(run().status.code(), Some(0));
    for page in ["index.html", "README.md", "forest.svg"] {
        assert!(out.join("bcg").join(page).exists(), "{page}");
    }
    std::fs::write(out.join("bcg/mine.txt"), "not repool's").unwrap();
    std::fs::write(
        data.join("bcg/dataset.toml"),
        "title = \"BCG\"\nmeasure = \"XX\"\n",
    )
    .unwrap();
    let o = run();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    for page in ["index.html", "README.md", "forest.svg"] {
        assert!(!out.join("bcg").join(page).exists(), "stale {page} kept");
    }
    assert!(out.join("bcg/mine.txt").exists(), "only repool's pages go");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        !index.contains("bcg/index.html") && index.contains("error:"),
        "{index}"
    );
    // Without other files the dataset's folder goes too.
    std::fs::remove_file(out.join("bcg/mine.txt")).unwrap();
    std::fs::write(
        data.join("bcg/dataset.toml"),
        "title = \"BCG\"\nmeasure = \"RR\"\n",
    )
    .unwrap();
    assert_eq!(run().status.code(), Some(0));
    std::fs::write(data.join("bcg/dataset.toml"), "title = \"BCG\"\n").unwrap();
    assert_eq!(run().status.code(), Some(2));
    assert!(!out.join("bcg").exists());
}

/// Every file below `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

#[test]
fn report_claims_pages_show_the_severity() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data/minerva-claims");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["dataset.toml", "claims.csv"] {
        std::fs::copy(
            repo_path(&format!("datasets/minerva-claims/{f}")),
            data.join(f),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let o = repool(&[
        "report",
        dir.path().join("data").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(out.join("minerva-claims/index.html")).unwrap();
    assert!(
        page.contains("<span class=\"flag warning\">ci_asymmetric (warning)</span>"),
        "OR 2,35 (1,7 tot 3,77)"
    );
    assert!(page.contains("<span class=\"flag error\">ci_asymmetric (error)</span>"));
    assert!(page.contains("with errors") && page.contains("with warnings only"));
    let md = std::fs::read_to_string(out.join("minerva-claims/README.md")).unwrap();
    assert!(
        md.contains("- **000-14** [ci_asymmetric] warning: "),
        "{md}"
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("with errors"), "{index}");
}

#[test]
fn forest_favours_labels_follow_the_direction_of_benefit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.svg");
    let line = |s: &str, label: &str| s.lines().find(|l| l.contains(label)).unwrap().to_string();
    let o = repool(&[
        "forest",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let s = std::fs::read_to_string(&out).unwrap();
    assert!(
        line(&s, "Favours treatment").contains("text-anchor=\"end\""),
        "left of the null by default"
    );
    let o = repool(&[
        "forest",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--benefit",
        "higher",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let s = std::fs::read_to_string(&out).unwrap();
    assert!(
        !line(&s, "Favours treatment").contains("text-anchor"),
        "right of the null when benefit is higher"
    );
    assert!(line(&s, "Favours control").contains("text-anchor=\"end\""));
}

// ---- repool revman ----

#[test]
fn revman_reproduces_fleiss1993_and_exports_poolable_csv() {
    let dir = tempfile::tempdir().unwrap();
    let o = repool(&[
        "revman",
        "tests/fixtures/Fleiss1993.rm5",
        "--format",
        "json",
        "--export",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "repool.revman.v1");
    let first = &v["outcomes"][0];
    for key in [
        "comparison_no",
        "outcome_no",
        "subgroup_no",
        "name",
        "measure",
        "method",
        "model",
        "k",
        "recomputed",
        "stored",
        "reproduced",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
    assert_eq!(first["reproduced"], true);
    assert!(
        v["outcomes"][1]["reproduced"].is_null(),
        "the CONT outcome stores nothing"
    );
    // The exported outcome pools to RevMan's stored MH odds ratio 0.8968655609130709.
    let csv = dir.path().join("comparison1_outcome1.csv");
    let o = repool(&[
        "pool",
        csv.to_str().unwrap(),
        "--measure",
        "OR",
        "--model",
        "fixed",
        "--method",
        "MH",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let p: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        (p["analyses"][0]["display"]["estimate"].as_f64().unwrap() - 0.8968655609130709).abs()
            < 1e-9
    );
}

#[test]
fn revman_rejects_files_that_are_not_reviews() {
    let (_d, p) = temp_csv("x.rm5", "<?xml version=\"1.0\"?><NOT_A_REVIEW/>");
    assert_error(
        &repool(&["revman", &p]),
        &["x.rm5", "not a RevMan 5 review"],
    );
    let (_d2, p2) = temp_csv("y.rm5", "<COCHRANE_REVIEW><unclosed>");
    assert_error(
        &repool(&["revman", &p2]),
        &["y.rm5", "not a readable RevMan 5 file"],
    );
}

/// roxmltree parses nested elements by recursion: a deep file used to overflow the stack.
#[test]
fn revman_too_deeply_nested_file_is_an_error_naming_it() {
    let deep = 12_600;
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<COCHRANE_REVIEW>{}{}</COCHRANE_REVIEW>\n",
        "<A>".repeat(deep),
        "</A>".repeat(deep)
    );
    let (_dir, p) = temp_csv("deep.rm5", &xml);
    assert_error(
        &repool(&["revman", &p]),
        &["deep.rm5:2:", "nested more than 128 levels deep"],
    );
    // Entities that expand to nested elements, chained: 8 x 200 levels.
    let mut dtd = format!(
        "<!ENTITY e0 \"{}x{}\">",
        "<A>".repeat(200),
        "</A>".repeat(200)
    );
    for i in 1..8 {
        dtd.push_str(&format!(
            "<!ENTITY e{i} \"{}&e{};{}\">",
            "<A>".repeat(200),
            i - 1,
            "</A>".repeat(200)
        ));
    }
    let xml =
        format!("<!DOCTYPE COCHRANE_REVIEW [{dtd}]>\n<COCHRANE_REVIEW>&e7;</COCHRANE_REVIEW>\n");
    let (_dir, p) = temp_csv("entities.rm5", &xml);
    assert_error(
        &repool(&["revman", &p]),
        &["entities.rm5:1:", "nested more than"],
    );
}

#[test]
fn revman_broken_number_is_an_error_but_other_outcomes_are_reported() {
    let o = repool(&["revman", "tests/fixtures/traps.rm5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("traps.rm5:24: comparison 1, outcome 2, <CONT_DATA> of study Costa: SD_1=\"abc\" is not a number"), "{}", stderr(&o));
    assert!(stdout(&o).contains("Time to relapse"));
}

#[test]
fn revman_impossible_row_is_an_error_not_a_smaller_k() {
    let text = std::fs::read_to_string(repo_path("tests/fixtures/Fleiss1993_CR.csv")).unwrap();
    let (_d, p) = temp_csv(
        "bad.csv",
        &text.replace("MRC-1,,,,,49,0,0,615", "MRC-1,,,,,49,0,0,-615"),
    );
    let o = repool(&["revman", &p]);
    assert_error(
        &o,
        &["bad.csv:4: study 'MRC-1': column 'Total 1' (-615) is negative"],
    );
    assert!(stdout(&o).contains("Mental Health"), "the other outcome");
}

// ---- repool reproduce ----

#[test]
fn reproduce_refuses_a_published_result_that_cannot_be_one_as_check_does() {
    // Reversed limits were compared with every method and reported as not reproduced (exit 1).
    let o = repool(&[
        "reproduce",
        "datasets/bcg/data.csv",
        "--published",
        "RR 0.49 (0.70 to 0.34)",
    ]);
    assert_error(
        &o,
        &["--published", "(0.70) is not below the upper limit (0.34)"],
    );
}

#[test]
fn reproduce_lists_the_methods_behind_a_published_pool() {
    // Hackshaw 1997: excess risk 24% (13% to 36%) is reproduced by DerSimonian-Laird.
    let o = repool(&[
        "reproduce",
        "datasets/hackshaw1998/data.csv",
        "--published",
        "OR 1.24 (95% CI 1.13 to 1.36)",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("5 distinct results (5 combinations) reproduce")
            && out.contains("random effects, τ² DL, z CI"),
        "{out}"
    );
    assert!(!out.contains("common effect, inverse variance"), "{out}");
    // Each result is followed by the repool pool command that recomputes it.
    assert!(
        out.contains("random effects, τ² DL, z CI (RevMan 5's rules give the same estimate and CI)\n          repool pool datasets/hackshaw1998/data.csv --measure OR --model random --tau2 DL --ci z\n"),
        "{out}"
    );
    let o = repool(&[
        "reproduce",
        "datasets/hackshaw1998/data.csv",
        "--published",
        "OR 1.24 (95% CI 1.13 to 1.36)",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "label",
            "estimate",
            "ci_low",
            "ci_high",
            "distance",
            "reproduced",
            "command",
            "methods",
            "metafor_default"
        ]
    );
    let rows: Vec<_> = r.records().map(|x| x.unwrap()).collect();
    // The five that reproduce, then metafor's default (REML), which does not.
    assert_eq!(rows.len(), 6, "{out}");
    assert!(rows[..5]
        .iter()
        .all(|r| &r[5] == "true" && r[6].starts_with("repool pool ") && &r[8] == "false"));
    assert_eq!(&rows[5][5], "false");
    assert_eq!(&rows[5][8], "true");
    assert_eq!(&rows[5][0], "random effects, τ² REML, z CI");
    // The duloxetine pool (one trial more in the publication) is not reproduced: exit 1.
    let o = repool(&[
        "reproduce",
        "datasets/duloxetine-withdrawal/data.csv",
        "--published",
        "RR 2,16 (95% BI 1,71 tot 2,73)",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("No combination reproduces"));
    assert_error(
        &repool(&[
            "reproduce",
            "datasets/bcg/data.csv",
            "--published",
            "nothing",
        ]),
        &["no measure"],
    );
}

/// Every row of `repool reproduce` carries the `repool pool` options that recompute it, and
/// so does every other combination it stands for (`methods`): running `repool pool` with
/// them gives the row's estimate and CI. The published values are far from every
/// combination, so that all of them are listed. Also: no two combinations are the same
/// options, no two rows the same numbers, and Mantel–Haenszel and Peto rows claim no
/// continuity correction.
#[test]
fn reproduce_rows_are_recomputed_by_their_repool_pool_options() {
    let cases = [
        (
            "tests/golden/data/nielweise2007.csv",
            "OR 99.1 (95% CI 99.0 to 99.2)",
        ),
        (
            "tests/golden/data/nielweise2007.csv",
            "RR 99.1 (95% CI 99.0 to 99.2)",
        ),
        (
            "tests/golden/data/nielweise2007.csv",
            "RD 9.1 (95% CI 9.0 to 9.2)",
        ),
        (
            "tests/golden/data/nielweise2007.csv",
            "OR 99.1 (90% CI 99.0 to 99.2)",
        ),
        ("datasets/bcg/data.csv", "RR 99.1 (95% CI 99.0 to 99.2)"),
        (
            "datasets/normand1999/data.csv",
            "MD 99.1 (95% CI 99.0 to 99.2)",
        ),
        (
            "datasets/normand1999/data.csv",
            "SMD 99.1 (95% CI 99.0 to 99.2)",
        ),
    ];
    let mut rows_checked = 0;
    for (file, published) in cases {
        let o = repool(&[
            "reproduce",
            file,
            "--published",
            published,
            "--format",
            "json",
            "--top",
            "1000",
        ]);
        assert_eq!(o.status.code(), Some(1), "{published}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["schema"], "repool.reproduce.v1");
        let rows = v["candidates"].as_array().unwrap();
        let mut seen = std::collections::HashSet::new();
        let numbers = |r: &serde_json::Value| {
            ["estimate", "ci_low", "ci_high"].map(|k| r[k].as_f64().unwrap())
        };
        for (i, a) in rows.iter().enumerate() {
            assert_eq!(a["methods"][0]["args"], a["args"], "{published}");
            for b in &rows[..i] {
                let (x, y) = (numbers(a), numbers(b));
                assert!(
                    (0..3).any(|k| (x[k] - y[k]).abs() > 1e-10 * x[k].abs().max(1e-300)),
                    "{published}: two rows give {x:?}"
                );
            }
        }
        let methods = rows.iter().flat_map(|row| {
            row["methods"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(move |(k, m)| (row, k, m))
        });
        for (row, k, method) in methods {
            let label = method["label"].as_str().unwrap();
            let args: Vec<&str> = method["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            assert!(seen.insert(args.clone()), "{published}: twice {args:?}");
            assert_eq!(
                method["command"].as_str().unwrap(),
                format!("repool pool {file} {}", args.join(" "))
            );
            if args.contains(&"MH") || args.contains(&"PETO") {
                assert!(
                    !label.contains("0.5") || args.contains(&"revman5"),
                    "{label}"
                );
                assert!(!args.contains(&"--cc"), "{label}: {args:?}");
            }
            if published.contains("90%") {
                assert!(args.windows(2).any(|w| w == ["--level", "0.9"]), "{args:?}");
                assert!(!label.contains("RevMan"), "{label}");
            }
            let mut pool_args = vec!["pool", file];
            pool_args.extend(&args);
            pool_args.extend(["--format", "json"]);
            let p = repool(&pool_args);
            assert_eq!(p.status.code(), Some(0), "{label}: {}", stderr(&p));
            let pv: serde_json::Value = serde_json::from_slice(&p.stdout).unwrap();
            let a = &pv["analyses"][0];
            let shown = if a["display"].is_null() {
                a
            } else {
                &a["display"]
            };
            for key in ["estimate", "ci_low", "ci_high"] {
                let (got, want) = (shown[key].as_f64().unwrap(), row[key].as_f64().unwrap());
                // The first of a row is the one whose numbers the row shows; the others give
                // them up to floating-point error.
                let tolerance = if k == 0 { 1e-12 } else { 1e-10 };
                assert!(
                    (got - want).abs() <= tolerance * want.abs().max(1e-300),
                    "{published}, {label}: repool pool {args:?} gives {key} {got}, reproduce {want}"
                );
            }
            rows_checked += 1;
        }
        let labels: Vec<&str> = rows
            .iter()
            .flat_map(|r| r["methods"].as_array().unwrap())
            .map(|m| m["label"].as_str().unwrap())
            .collect();
        let count = |needle: &str| labels.iter().filter(|l| l.contains(needle)).count();
        if published.starts_with("OR") && published.contains("95%") {
            // One plain MH and one plain Peto row; Peto's twin under RevMan's rules is merged.
            assert_eq!(
                count("common effect, Mantel–Haenszel on the uncorrected tables"),
                1
            );
            assert_eq!(count("common effect, Peto on the uncorrected tables (RevMan 5's rules give the same estimate and CI)"), 1);
            assert_eq!(count("RevMan 5's rules: common effect, Mantel–Haenszel, 0.5 added to all cells of tables with a zero (also in the MH sums), double-zero tables not estimable"), 1);
            assert_eq!(count("if any has a zero"), 0);
        }
        if file.contains("bcg") {
            // No zero cells: no zero-cell variants beyond "none" and "0.5 to all tables", and
            // RevMan's MH is the plain MH.
            assert_eq!(count("common effect, inverse variance"), 2, "{labels:?}");
            assert_eq!(count("common effect, Mantel–Haenszel (RevMan 5's rules give the same estimate and CI)"), 1);
            assert_eq!(count("RevMan 5's rules: common effect"), 0, "{labels:?}");
        }
    }
    assert!(rows_checked > 400, "{rows_checked} rows");
}

#[test]
fn presets_pool_as_revman_does() {
    // RevMan 5: Mantel-Haenszel with random effects (DL from the MH-based Q) is allowed.
    let o = repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--method",
        "MH",
        "--preset",
        "revman5",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["analyses"][0]["method"], "MH");
    assert_eq!(v["analyses"][0]["i2_method"], "q");
    // RevMan Web: REML with the HKSJ CI.
    let o = repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--preset",
        "revman-web",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["analyses"][0]["tau2_method"], "REML");
    assert_eq!(v["analyses"][0]["ci_method"], "hksj");
    // The Fleiss 1993 aspirin outcome pooled with --preset revman5 gives RevMan's stored OR.
    let dir = tempfile::tempdir().unwrap();
    let _ = repool(&[
        "revman",
        "tests/fixtures/Fleiss1993.rm5",
        "--export",
        dir.path().to_str().unwrap(),
    ]);
    let csv = dir.path().join("comparison1_outcome1.csv");
    let o = repool(&[
        "pool",
        csv.to_str().unwrap(),
        "--measure",
        "OR",
        "--model",
        "fixed",
        "--method",
        "MH",
        "--preset",
        "revman5",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        (v["analyses"][0]["display"]["estimate"].as_f64().unwrap() - 0.8968655609130709).abs()
            < 1e-9
    );
    assert!((v["analyses"][0]["q"].as_f64().unwrap() - 9.946055983220074).abs() < 1e-8);
}

// ---- repool sensitivity / bias ----

#[test]
fn sensitivity_and_bias_commands() {
    let o = repool(&[
        "sensitivity",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--cumulative",
        "--order",
        "year",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 13);
    assert_eq!(rows[0]["study"], "Aronson", "earliest first");
    assert_eq!(rows[12]["k"], 13);
    // metafor: regtest(res, model = "lm"): t = -1.4013, p = 0.1887; ranktest(res): tau = 0.0256.
    let o = repool(&[
        "bias",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!((v["egger"]["t"].as_f64().unwrap() + 1.4012820).abs() < 1e-6);
    assert!(v["warning"].is_null());
    let (_d, p) = temp_csv("two.csv", "study,yi,vi\nA,0.1,0.01\nB,0.2,0.02\n");
    assert_error(
        &repool(&["bias", &p]),
        &["Egger's test needs at least 3 studies, got k = 2"],
    );
    assert_eq!(
        repool(&["sensitivity", &p]).status.code(),
        Some(2),
        "--leave-one-out or --cumulative is required"
    );
}

/// 10,000 studies: cumulative pools are built by adding one study at a time to the sums of
/// the previous pool (full refits took 22 s and 6.6 GB in a release build). The last pool is
/// the pool of all studies; with `--cc-to if0all` (which cannot change effects given as
/// yi, vi) the full refits give the same first pools.
#[test]
fn cumulative_pools_of_10000_studies() {
    let mut csv = String::from("study,yi,vi\n");
    for i in 0..10_000 {
        let u = (i as f64 * 0.618_034).fract();
        let w = (i as f64 * 0.414_214).fract();
        csv.push_str(&format!("s{i},{},{}\n", 0.4 * u - 0.1, 0.01 + 0.3 * w));
    }
    let (_d, file) = temp_csv("many.csv", &csv);
    let o = repool(&[
        "sensitivity",
        &file,
        "--measure",
        "GEN",
        "--cumulative",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 10_000);
    assert_eq!(rows[9_999]["k"], 10_000);
    let o = repool(&["pool", &file, "--measure", "GEN", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in ["estimate", "se", "tau2", "q", "i2"] {
        let (a, b) = (
            rows[9_999][key].as_f64().unwrap(),
            all["analyses"][0][key].as_f64().unwrap(),
        );
        assert!(
            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            "{key}: {a} vs {b}"
        );
    }
    let head: String = csv.lines().take(201).map(|l| format!("{l}\n")).collect();
    let (_d2, small) = temp_csv("head.csv", &head);
    let run = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "sensitivity",
            &small,
            "--measure",
            "GEN",
            "--cumulative",
            "--format",
            "json",
        ];
        args.extend(extra);
        serde_json::from_str(&stdout(&repool(&args))).unwrap()
    };
    let (fast, refits) = (run(&[]), run(&["--cc-to", "if0all"]));
    for (a, b) in fast["rows"]
        .as_array()
        .unwrap()
        .iter()
        .zip(refits["rows"].as_array().unwrap())
    {
        for key in ["estimate", "ci_low", "tau2", "i2"] {
            let (x, y) = (a[key].as_f64().unwrap(), b[key].as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                "{key}: {x} vs {y}"
            );
        }
    }
}

#[test]
fn regress_on_latitude_and_bad_moderators() {
    let o = repool(&[
        "regress",
        "tests/golden/data/bcg_moderators.csv",
        "--measure",
        "RR",
        "--mod",
        "latitude",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["coefficients"][1]["name"], "latitude");
    // metafor: rma(yi, vi, mods = ~ ablat, data = dat) gives -0.0291 for latitude.
    assert!((v["coefficients"][1]["estimate"].as_f64().unwrap() + 0.0291).abs() < 1e-4);
    assert_error(
        &repool(&[
            "regress",
            "tests/golden/data/bcg_moderators.csv",
            "--measure",
            "RR",
            "--mod",
            "nosuch",
        ]),
        &["missing column 'nosuch'"],
    );
    assert_error(
        &repool(&[
            "regress",
            "tests/golden/data/bcg_moderators.csv",
            "--measure",
            "RR",
            "--mod",
            "allocation",
        ]),
        &[
            "bcg_moderators.csv:2:8 (column 'allocation'): study 'Aronson'",
            "not a number: 'random'",
            "factor(allocation)",
        ],
    );
    let (_d, p) = temp_csv(
        "m.csv",
        "study,yi,vi,x\nA,0.1,0.01,1\nB,0.2,0.02,\nC,0.3,0.03,3\n",
    );
    assert_error(
        &repool(&["regress", &p, "--mod", "x"]),
        &[
            "m.csv:3:4 (column 'x'): study 'B'",
            "no value for the moderator 'x'",
        ],
    );
    let (_d2, p2) = temp_csv("m2.csv", "study,yi,vi,x\nA,0.1,0.01,1\nB,0.2,0.02,2\n");
    assert_error(
        &repool(&["regress", &p2, "--mod", "x"]),
        &["needs more than 2 studies"],
    );
}

/// `repool bias --format text|json|csv`, and `--json` as the same as `--format json`.
/// metafor on the BCG trials (RR, REML): regtest(res, model = "lm") t = -1.4013 with 11 df,
/// ranktest(res) tau = 0.0256.
#[test]
fn bias_writes_text_json_and_csv() {
    let run = |extra: &[&str]| {
        let mut args = vec!["bias", "datasets/bcg/data.csv", "--measure", "RR"];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let text = run(&[]);
    assert!(
        text.contains("Egger's regression test: t = -1.4013, df = 11"),
        "{text}"
    );
    assert!(text.contains("Kendall's tau = 0.0256"), "{text}");
    let json = run(&["--format", "json"]);
    assert_eq!(json, run(&["--json"]), "--json is --format json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "repool.bias.v1");
    assert_eq!(v["measure"], "RR");
    let csv_text = run(&["--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let rows: Vec<_> = r.records().map(|x| x.unwrap()).collect();
    let cell = |row: usize, col: &str| {
        rows[row][headers.iter().position(|h| h == col).unwrap()].to_string()
    };
    let tests: Vec<String> = (0..rows.len()).map(|i| cell(i, "test")).collect();
    assert_eq!(tests, ["egger", "egger_rma", "begg", "trimfill"]);
    let num = |row: usize, col: &str| cell(row, col).parse::<f64>().unwrap();
    assert!((num(0, "statistic") + 1.4012820).abs() < 1e-6);
    assert_eq!(num(0, "df"), 11.0);
    assert_eq!(
        num(0, "estimate"),
        v["egger"]["limit_estimate"].as_f64().unwrap()
    );
    assert_eq!(num(1, "statistic"), v["egger_rma"]["z"].as_f64().unwrap());
    assert_eq!(
        (cell(2, "statistic_type"), cell(2, "exact")),
        ("kendall_tau".into(), "true".into())
    );
    assert!((num(2, "statistic") - 0.0256).abs() < 1e-4);
    assert_eq!(cell(2, "estimate"), "", "no estimate for Begg's test");
    let tf = &v["trimfill"];
    assert_eq!(num(3, "k0"), tf["k0"].as_f64().unwrap());
    assert_eq!(cell(3, "side"), tf["side"].as_str().unwrap());
    assert_eq!(
        num(3, "display_ci_high"),
        tf["display"]["ci_high"].as_f64().unwrap()
    );
    assert!(rows.iter().all(|r| &r[1] == "RR" && &r[2] == "13"));
    assert_error(
        &repool(&[
            "bias",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--json",
            "--format",
            "csv",
        ]),
        &["--json", "--format"],
    );
}

/// `repool regress --format text|json|csv`: CSV has one row per coefficient with the
/// model-level fields repeated; `--json` is `--format json`. metafor: rma(yi, vi, mods =
/// ~ ablat) gives -0.0291 for latitude and QE(df = 11) = 30.7331.
#[test]
fn regress_writes_text_json_and_csv() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "regress",
            "tests/golden/data/bcg_moderators.csv",
            "--measure",
            "RR",
            "--mod",
            "latitude",
            "--permutations",
            "100",
            "--seed",
            "5",
        ];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let text = run(&[]);
    assert!(text.contains("QE(df = 11) = 30.7331"), "{text}");
    assert!(text.contains("latitude   -0.0291"), "{text}");
    assert!(
        text.contains("Permutation test (approximate, 100 permutations, seed 5)"),
        "{text}"
    );
    let json = run(&["--format", "json"]);
    assert_eq!(json, run(&["--json"]), "--json is --format json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "repool.regress.v1");
    let csv_text = run(&["--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let rows: Vec<_> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 2, "{csv_text}");
    let cell = |row: usize, col: &str| {
        rows[row][headers.iter().position(|h| h == col).unwrap()].to_string()
    };
    for (i, c) in v["coefficients"].as_array().unwrap().iter().enumerate() {
        assert_eq!(cell(i, "coefficient"), c["name"].as_str().unwrap());
        for key in [
            "estimate",
            "se",
            "statistic",
            "p_value",
            "ci_low",
            "ci_high",
        ] {
            assert_eq!(
                cell(i, key).parse::<f64>().unwrap(),
                c[key].as_f64().unwrap(),
                "{key}"
            );
        }
        assert_eq!(
            cell(i, "permutation_p").parse::<f64>().unwrap(),
            v["permutation"]["coefficient_p"][i].as_f64().unwrap()
        );
        // Model-level fields on every row.
        assert_eq!(
            cell(i, "qe").parse::<f64>().unwrap(),
            v["qe"].as_f64().unwrap()
        );
        assert_eq!(cell(i, "qe_df"), "11");
        assert_eq!(
            (cell(i, "model"), cell(i, "tau2_method"), cell(i, "test")),
            ("random".into(), "REML".into(), "z".into())
        );
        assert_eq!(
            (cell(i, "permutations"), cell(i, "permutation_seed")),
            ("100".into(), "5".into())
        );
    }
    assert!((cell(1, "estimate").parse::<f64>().unwrap() + 0.0291).abs() < 1e-4);
}

#[test]
fn regress_with_an_extreme_moderator_is_an_error_naming_it_not_nan() {
    // DL and common-effect fits printed NaN coefficients with "p-val = 1.0000" and exit 0.
    let (_d, p) = temp_csv(
        "m.csv",
        "study,yi,vi,x\nA,0.1,0.01,1\nB,0.2,0.02,1e300\nC,0.3,0.03,3\nD,0.5,0.02,4\n",
    );
    for extra in [
        &["--tau2", "DL"][..],
        &["--model", "fixed"],
        &[],
        &["--json"],
    ] {
        let mut args = vec!["regress", p.as_str(), "--mod", "x"];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_error(
            &o,
            &[
                "m.csv: the meta-regression's",
                "is not a finite number",
                "largest moderator value is '1e300' at ",
                "m.csv:3:4 (column 'x'), study 'B'",
            ],
        );
        assert!(!stdout(&o).contains("NaN") && !stdout(&o).contains("null"));
    }
}

#[test]
fn bias_sensitivity_and_explain_never_show_nan_or_panic_on_extreme_variances() {
    // A variance of 1e-300 next to one of 1e300: Egger's test panicked (exit 101), influence
    // printed NaN DFFITS, fast leave-one-out NaN I^2, explain "/ -inf", all with exit 0 but
    // the panic.
    let (_d, p) = temp_csv(
        "x.csv",
        "study,yi,vi\nA,0.1,1e-300\nB,0.2,0.02\nC,0.3,0.03\nD,0.5,0.02\nE,0.3,1e300\nF,0.3,0.05\nG,-0.3,0.05\n",
    );
    let run = |args: &[&str]| {
        let mut all = vec![args[0], p.as_str()];
        all.extend_from_slice(&args[1..]);
        repool(&all)
    };
    assert_error(
        &run(&["bias", "--model", "fixed"]),
        &["Egger's test: the t statistic is not a finite number"],
    );
    assert_error(
        &run(&["sensitivity", "--influence", "--model", "fixed"]),
        &["study 'E' (line 6): its DFFITS is not a finite number"],
    );
    assert_error(
        &run(&["explain", "--tau2", "DL"]),
        &["derivation (a sum of weights) is not a finite number"],
    );
    let o = run(&["sensitivity", "--leave-one-out", "--tau2", "DL"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("NaN") && !out.contains("inf"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains("  6  ")).count(),
        7,
        "{out}"
    );
}

#[test]
fn regress_permutation_test_is_seeded_and_exact_when_small() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "regress",
            "tests/golden/data/bcg_moderators.csv",
            "--measure",
            "RR",
            "--mod",
            "latitude",
            "--json",
        ];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap()["permutation"].clone()
    };
    let a = run(&["--permutations", "500", "--seed", "7"]);
    let b = run(&["--permutations", "500", "--seed", "7"]);
    let c = run(&["--permutations", "500", "--seed", "8"]);
    assert_eq!(a, b, "same seed, same permutations");
    assert_eq!(a["exact"], false);
    assert_eq!(a["permutations"], 500);
    assert_ne!(a["coefficient_p"], c["coefficient_p"]);
    // Latitude is a strong moderator in the BCG trials: few permutations reach its QM.
    let p = a["qm_p"].as_f64().unwrap();
    assert!(p > 0.0 && p < 0.02, "{p}");
    assert!(run(&[])["permutation"].is_null());
    assert_error(
        &repool(&[
            "regress",
            "tests/golden/data/bcg_moderators.csv",
            "--measure",
            "RR",
            "--mod",
            "latitude",
            "--permutations",
            "1",
        ]),
        &["--permutations"],
    );
}

#[test]
fn funnel_draws_the_studies_trim_and_fill_adds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.svg");
    let o = repool(&[
        "funnel",
        "datasets/hackshaw1998/data.csv",
        "--measure",
        "OR",
        "--trimfill",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = std::fs::read_to_string(&out).unwrap();
    // 37 studies and the 7 that L0 fills in on the left (as `repool bias` and metafor's
    // trimfill() report), drawn as open circles.
    assert_eq!(s.matches("<circle").count(), 44);
    assert_eq!(
        s.matches(r##"<circle"##).count() - s.matches(r##"fill="#1f3b73""##).count(),
        7
    );
    assert!(s.contains("7 studies filled in by trim-and-fill (L0)"));
    assert_error(
        &repool(&[
            "funnel",
            "datasets/hackshaw1998/data.csv",
            "--measure",
            "OR",
            "--trimfill",
            "Q0",
            "--output",
            out.to_str().unwrap(),
        ]),
        &["Q0"],
    );
}

#[test]
fn regress_draws_a_bubble_plot_for_one_numeric_moderator() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.svg");
    let o = repool(&[
        "regress",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--mod",
        "latitude",
        "--plot",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = std::fs::read_to_string(&out).unwrap();
    assert_eq!(s.matches("<circle").count(), 13);
    assert!(s.contains("latitude") && s.contains("Risk ratio (log scale)"));
    let bad = dir.path().join("bad.svg");
    assert_error(
        &repool(&[
            "regress",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--mod",
            "factor(allocation)",
            "--plot",
            bad.to_str().unwrap(),
        ]),
        &["exactly one numeric moderator", "factor(allocation)"],
    );
    assert!(!bad.exists());
}

#[test]
fn sensitivity_plots_leave_one_out_and_cumulative_pools() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["--leave-one-out", "--cumulative"] {
        let out = dir.path().join("s.svg");
        let o = repool(&[
            "sensitivity",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            kind,
            "--plot",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let s = std::fs::read_to_string(&out).unwrap();
        // One square per pool (13 studies) and the all-studies diamond, 0.49 [0.34; 0.70].
        assert_eq!(s.matches("<rect").count() - 1, 13, "{kind}");
        assert!(s.contains("0.49 [0.34; 0.70]"), "{kind}");
    }
    assert_error(
        &repool(&[
            "sensitivity",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--leave-one-out",
            "--plot",
            dir.path().join("s.txt").to_str().unwrap(),
        ]),
        &["s.txt"],
    );
}

#[test]
fn sensitivity_influence_draws_the_baujat_plot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("baujat.svg");
    let o = repool(&[
        "sensitivity",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--influence",
        "--plot",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = std::fs::read_to_string(&out).unwrap();
    assert_eq!(s.matches("<circle").count(), 13);
    assert!(s.contains("Contribution to overall heterogeneity") && s.contains("TPT Madras"));
}

#[test]
fn explain_bcg_shows_metafor_numbers_step_by_step() {
    let o = repool(&["explain", "datasets/bcg/data.csv", "--measure", "RR"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // metafor: rma(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg):
    // tau^2 0.3132, estimate -0.7145 (SE 0.1798), CI -1.0669 to -0.3622, I^2 92.22%, Q 152.2330.
    for needle in [
        "Aronson",
        "4/123 vs 11/139",
        "Σw = 609.7",
        "Q = Σ wᵢ (yᵢ − μ̂_CE)² = 152.2",
        "τ² = 0.3132",
        "μ̂ = Σw*y / Σw* = -22.11 / 30.94 = -0.7145",
        "SE = 1/√Σw* = 0.1798",
        "[-1.067; -0.3622]",
        "RR 0.4894 (95% CI 0.3441 to 0.6962)",
        "= 92.2 %",
        "TPT Madras) falls from 41.4 % to 10.2 %",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    // The iteration table of REML ends at the estimate.
    assert!(out.contains("step      τ²"), "{out}");
}

#[test]
fn explain_dl_formula_languages_and_formats() {
    let o = repool(&[
        "explain",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--tau2",
        "DL",
        "--lang",
        "nl",
        "--threshold",
        "0.8",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // metafor rma(method = "DL"): tau^2 = 0.3088, estimate -0.7141.
    for needle in [
        "(152,2 − 12) / 454,2) = 0,3088",
        "-0,7141",
        "Klinische relevantie",
        "A: het hele interval",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("x.md");
    let tex = dir.path().join("x.tex");
    for (f, path) in [("md", &md), ("tex", &tex)] {
        let o = repool(&[
            "explain",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--lang",
            "fr",
            "--format",
            f,
            "-o",
            path.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let md = std::fs::read_to_string(md).unwrap();
    assert!(md.starts_with("# Comment on calcule le logarithme du risque relatif poolé"));
    assert!(md.contains("$$\n") && md.contains("| Aronson | 4/123 vs 11/139 |"));
    let tex = std::fs::read_to_string(tex).unwrap();
    assert!(
        tex.starts_with("\\documentclass{article}") && tex.trim_end().ends_with("\\end{document}")
    );
    assert!(
        tex.contains("Ferguson \\& Simes"),
        "special characters escaped"
    );
}

/// The MH risk difference takes double-zero tables into its sums (metafor's rma.mh()), so
/// the sums explain shows must include them: Σ (aᵢn₂ᵢ − cᵢn₁ᵢ)/Nᵢ = −30.12 and
/// Σ n₁ᵢn₂ᵢ/Nᵢ = 1241.6 over all 18 Niel-Weise tables give metafor's −0.02426.
#[test]
fn explain_mantel_haenszel_sums_include_double_zero_tables() {
    let o = repool(&[
        "explain",
        "tests/golden/data/nielweise2007.csv",
        "--measure",
        "RD",
        "--model",
        "fixed",
        "--method",
        "MH",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("18 studies (17 with an effect of their own);"),
        "{out}"
    );
    assert!(out.contains("= -30.12 / 1241.6 = -0.02426"), "{out}");
    // Q's degrees of freedom count the studies that enter it, not all 18.
    assert!(out.contains("df = k − 1 = 17 − 1 = 16"), "{out}");
}

#[test]
fn explain_common_effect_mantel_haenszel_and_errors() {
    let o = repool(&[
        "explain",
        "datasets/bcg/data.csv",
        "--measure",
        "OR",
        "--model",
        "fixed",
        "--method",
        "MH",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Mantel–Haenszel"), "{out}");
    // ln(R/S) with R = Σ ad/N, S = Σ bc/N: the MH odds ratio of the BCG trials, 0.6229.
    assert!(out.contains("R = Σ aᵢdᵢ/Nᵢ = 474.0"), "{out}");
    assert!(out.contains("ln OR_MH = ln(R/S) = -0.4734"), "{out}");
    assert!(!out.contains("Random-effects weights"), "{out}");
    // Homogeneous effects: tau^2 = 0, and the explanation says the weights do not change.
    let (_h, flat) = temp_csv(
        "flat.csv",
        "study,yi,vi\na,0.1,0.01\nb,0.1,0.02\nc,0.1,0.04\n",
    );
    let o = repool(&["explain", &flat]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Here τ² = 0"), "{out}");
    assert!(!out.contains("CI is wider"), "{out}");
    let (_d, bad) = temp_csv("bad.csv", "study,yi,vi\na,0.1,0.01\nb,x,0.02\n");
    assert_error(&repool(&["explain", &bad]), &["bad.csv:3:2", "yi", "'x'"]);
    assert_error(
        &repool(&["explain", "no-such-file.csv"]),
        &["no-such-file.csv"],
    );
    assert_error(
        &repool(&[
            "explain",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--threshold",
            "-2",
        ]),
        &["ratio"],
    );
}

#[test]
fn compare_lists_each_program_and_what_differs() {
    let o = repool(&[
        "compare",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "repool.compare.v1");
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    let find = |program: &str, model: &str| {
        rows.iter()
            .find(|r| r["program"] == program && r["model"] == model)
            .unwrap_or_else(|| panic!("no row {program} {model}"))
    };
    // metafor rma(measure = "RR", ..., data = dat.bcg): -0.7145 (-1.0669, -0.3622), tau^2 0.3132.
    let m = find("metafor", "random");
    assert!((m["estimate"].as_f64().unwrap() + 0.7145).abs() < 5e-5);
    assert!((m["ci_low"].as_f64().unwrap() + 1.0669).abs() < 5e-5);
    assert!((m["tau2"].as_f64().unwrap() - 0.3132).abs() < 5e-5);
    assert_eq!(m["differences"], "");
    assert_eq!(m["program_default"], true);
    // RevMan 5's random effects: DL from the MH-based Q, I^2 from Q.
    let r = find("RevMan 5", "random");
    let diff = r["differences"].as_str().unwrap();
    assert!(
        diff.contains("tau2: DL (Q around the MH estimate) (metafor: REML)"),
        "{diff}"
    );
    assert!(diff.contains("I2: from Q (metafor: from tau^2)"), "{diff}");
    assert!(
        !diff.contains("zero cells"),
        "no zero cells in the BCG trials: {diff}"
    );
    // RevMan Web: HKSJ with t(k - 1): wider than metafor's z CI.
    let w = find("RevMan Web (2025)", "random");
    assert!(w["ci_low"].as_f64().unwrap() < m["ci_low"].as_f64().unwrap());
    assert!(w["differences"]
        .as_str()
        .unwrap()
        .contains("ci: HKSJ, t(k - 1) (metafor: z)"));

    // Zero cells make the zero-cell rules part of the differences; text output names them.
    let o = repool(&[
        "compare",
        "datasets/nielweise2007/data.csv",
        "--measure",
        "OR",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("zero cells: RevMan 5 rules"), "{out}");
    assert!(out.contains("RevMan Web (2025) *"), "{out}");

    // Stata's default SMD is Cohen's d: said, not faked.
    let o = repool(&[
        "compare",
        "datasets/normand1999/data.csv",
        "--measure",
        "SMD",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out
        .lines()
        .next()
        .unwrap()
        .starts_with("program,call,program_default,model,k,estimate"));
    assert!(out.contains("Cohen's d"), "{out}");
    assert_error(&repool(&["compare", "datasets/bcg/data.csv"]), &["measure"]);
}

#[test]
fn network_reports_every_treatment_against_the_reference_and_draws() {
    let dir = tempfile::tempdir().unwrap();
    let (plot, graph) = (dir.path().join("f.svg"), dir.path().join("g.png"));
    let o = repool(&[
        "network",
        "tests/golden/network_hasselblad1998.csv",
        "--measure",
        "OR",
        "--reference",
        "no_contact",
        "--small-values",
        "bad",
        "--plot",
        plot.to_str().unwrap(),
        "--graph",
        graph.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "24 studies (2 multi-arm), 4 treatments, 28 pairwise comparisons, 8 designs",
        "tau^2 = 0.5989",
        "Q between designs (inconsistency)",
        "grp_counseling vs ind_counseling (k = 4)",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(std::fs::read_to_string(&plot)
        .unwrap()
        .contains("grp_counseling"));
    assert!(std::fs::read(&graph).unwrap().starts_with(b"\x89PNG"));
    // JSON and the CSV tables.
    let o = repool(&[
        "network",
        "tests/golden/network_senn2013.csv",
        "--measure",
        "MD",
        "--reference",
        "placebo",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "repool.network.v1");
    assert_eq!(v["versus_reference"].as_array().unwrap().len(), 9);
    assert_eq!(v["league"].as_array().unwrap().len(), 90);
    assert_eq!(v["q_total"]["df"], 18);
    let o = repool(&[
        "network",
        "tests/golden/network_senn2013.csv",
        "--measure",
        "MD",
        "--format",
        "csv",
        "--table",
        "splits",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("treatment1,treatment2,k,nma,nma_se,direct"));
}

#[test]
fn network_whose_laplacian_is_singular_names_the_extreme_contrasts() {
    // Variances of 1e-30 and 1e30: the error said only "the network's Laplacian is singular".
    let (_d, p) = temp_csv(
        "w.csv",
        "study,treat1,treat2,yi,vi\nS1,A,B,0.5,1e-30\nS2,B,C,0.3,0.01\nS3,A,C,0.1,1e30\n",
    );
    let o = repool(&["network", &p, "--measure", "MD", "--reference", "A"]);
    assert_error(
        &o,
        &[
            "w.csv: the network's Laplacian inverse is not a finite number",
            "smallest variance 1e-30 in study 'S1' (line 2)",
            "largest variance 1e30 in study 'S3' (line 4)",
        ],
    );
}

#[test]
fn network_with_extreme_contrasts_is_an_error_not_nan() {
    // Both printed NaN everywhere with exit code 0.
    let body = "s1,A,B,0.5,{se}\ns2,B,C,0.2,0.1\ns3,A,C,0.6,0.2\n";
    let (_d, p) = temp_csv(
        "n.csv",
        &format!(
            "study,treat1,treat2,yi,se\n{}",
            body.replace("{se}", "1e-163")
        ),
    );
    assert_error(
        &repool(&["network", &p, "--measure", "MD"]),
        &[
            "n.csv:2:5 (column 'se')",
            "'1e-163'",
            "its square, the variance",
        ],
    );
    let (_d, p) = temp_csv(
        "n.csv",
        &format!(
            "study,treat1,treat2,yi,se\n{}",
            body.replace("{se}", "1e-150")
        ),
    );
    let o = repool(&["network", &p, "--measure", "MD"]);
    assert_error(
        &o,
        &[
            "n.csv: the network's",
            "is not a finite number",
            "smallest variance 1e-300 in study 's1' (line 2)",
        ],
    );
    assert!(!stdout(&o).contains("NaN"));
    // In a batch the other analysis is still written.
    let batch = format!(
        "analysis,study,treat1,treat2,yi,se\n{}{}",
        body.replace("{se}", "0.3").replace("s", "ok,s"),
        body.replace("{se}", "1e-150").replace("s", "bad,s"),
    );
    let (_d, p) = temp_csv("n.csv", &batch);
    let o = repool(&["network", &p, "--measure", "MD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["analyses"][0]["error"].is_null() && !v["analyses"][0]["result"].is_null());
    assert!(v["analyses"][1]["error"]
        .as_str()
        .unwrap()
        .contains("study 's1' (line 5)"));
    assert!(!stdout(&o).contains("NaN"));
}

#[test]
fn network_rejects_bad_networks_with_names() {
    let run = |csv: &str, extra: &[&str]| {
        let (_d, p) = temp_csv("net.csv", csv);
        let mut args = vec!["network", p.as_str(), "--measure", "OR"];
        args.extend_from_slice(extra);
        repool(&args)
    };
    // Two separate parts.
    let o = run(
        "study,treatment,events,n\ns1,A,5,50\ns1,B,8,50\ns2,C,4,40\ns2,D,9,40\n",
        &[],
    );
    assert_error(&o, &["disconnected", "{A, B}", "{C, D}"]);
    // A treatment compared with itself (contrast rows).
    let (_d, p) = temp_csv("c.csv", "study,treat1,treat2,yi,vi\ns1,A,A,0.1,0.02\n");
    assert_error(
        &repool(&["network", &p, "--measure", "GEN"]),
        &["study 's1'", "line 2", "'A' with itself"],
    );
    // Inconsistent arm data.
    let o = run("study,treatment,events,n\ns1,A,60,50\ns1,B,8,50\n", &[]);
    assert_error(
        &o,
        &[
            "net.csv:2:3",
            "events",
            "'60'",
            "more events than participants",
        ],
    );
    let o = run("study,treatment,events,n\ns1,A,5,50\ns1,A,8,50\n", &[]);
    assert_error(&o, &["study 's1'", "line 3", "'A' appears twice"]);
    // A study label that comes back after another study: not merged into one trial.
    let o = run(
        "study,treatment,events,n\ns1,A,5,50\ns1,B,8,50\ns2,A,4,40\ns2,C,9,40\ns1,C,6,50\n",
        &[],
    );
    assert_error(
        &o,
        &["net.csv:6:1 (column 'study')", "'s1'", "up to line 3"],
    );
    let o = run(
        "study,treatment,events,n\ns1,A,5,50\ns2,A,8,50\ns2,B,3,40\n",
        &[],
    );
    assert_error(&o, &["study 's1'", "only one arm"]);
    // Unknown reference.
    let o = run(
        "study,treatment,events,n\ns1,A,5,50\ns1,B,8,50\n",
        &["--reference", "placebo"],
    );
    assert_error(&o, &["unknown reference treatment 'placebo'", "A, B"]);
    // Multi-arm contrasts that contradict each other.
    let (_d, p) = temp_csv(
        "m.csv",
        "study,treat1,treat2,yi,vi\ns1,A,B,0.5,0.02\ns1,A,C,0.2,0.02\ns1,B,C,0.9,0.02\n",
    );
    assert_error(
        &repool(&["network", &p, "--measure", "GEN"]),
        &["study 's1'", "inconsistent contrasts"],
    );
}

/// The stroke-prevention network (Dogliotti 2014, tests/golden/network_dogliotti2014.csv): by
/// default the trial without strokes (WASPO 2007) is left out as netmeta does, with a note in the
/// text, the JSON and (for CSV) on standard error, in --lang; --all-studies keeps it.
#[test]
fn network_leaves_out_a_trial_without_events_and_all_studies_keeps_it() {
    let file = "tests/golden/network_dogliotti2014.csv";
    let run = |extra: &[&str]| {
        let mut args = vec!["network", file, "--measure", "OR"];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o
    };
    let out = stdout(&run(&[]));
    for needle in [
        "19 studies (4 multi-arm)",
        "Notes:\n  - study 'WASPO, 2007' (line 44) is left out: no events in any arm",
        "Q total                                 18.757  df =  16",
        "Prediction intervals: t distribution with 16 degrees of freedom (those of Q), as netmeta 3.0-2 and later.",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    let out = stdout(&run(&["--all-studies", "--lang", "nl"]));
    for needle in [
        "20 studies (4 met meer dan twee armen)",
        "Opmerkingen:\n  - studie 'WASPO, 2007' (regel 44): geen gebeurtenissen (of alleen gebeurtenissen) in beide armen van VKAs vs Aspirin; behouden met 0,5",
        "Q totaal                                18,883  df =  17",
        "Predictie-intervallen: t-verdeling met 17 vrijheidsgraden",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    let o = run(&["--format", "json", "--pi-df", "q-minus-1", "--lang", "fr"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["studies"], 19);
    assert_eq!(
        (
            v["all_studies"].clone(),
            v["pi_df"].clone(),
            v["pi_t_df"].clone()
        ),
        (false.into(), "q-minus-1".into(), 15.into())
    );
    assert_eq!(v["notes"][0]["kind"], "trial_dropped");
    assert_eq!(v["notes"][0]["study"], "WASPO, 2007");
    assert!(v["notes"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("l'étude 'WASPO, 2007' (ligne 44) est écartée"));
    let o = run(&["--format", "csv"]);
    assert!(
        stderr(&o).contains("repool: note: study 'WASPO, 2007' (line 44) is left out"),
        "{}",
        stderr(&o)
    );
}

/// The three-arm trial of the diabetes network as SMD: netmeta's Cohen's d adds up (no note);
/// Hedges' g of each pair does not, and the note names the trial.
#[test]
fn network_smd_of_a_multi_arm_trial_that_do_not_add_up_is_noted() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "network",
            "tests/golden/network_senn2013.csv",
            "--measure",
            "SMD",
        ];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let out = run(&[]);
    assert!(
        out.contains("(Cohen's d, SD pooled over each study's arms)"),
        "{out}"
    );
    assert!(!out.contains("Notes:"), "{out}");
    let out = run(&["--smd-method", "hedges"]);
    assert!(
        out.contains("Notes:\n  - study 'Willms (1999)' (line 6): its Hedges' g do not add up"),
        "{out}"
    );
}

/// A file with an `analysis` column (e.g. one network per follow-up phase) is analysed as a
/// batch: every analysis on its own, a failing one reported with its error while the others are
/// written, exit code 2; `--analysis NAME` picks one.
#[test]
fn network_batch_by_analysis_column() {
    let csv = "analysis,study,treatment,events,n\n\
               short,s1,A,5,50\nshort,s1,B,9,50\nshort,s2,B,7,40\nshort,s2,C,12,40\nshort,s3,A,4,30\nshort,s3,C,9,30\n\
               long,s1,A,3,50\nlong,s1,B,6,50\nlong,s2,B,5,40\nlong,s2,C,9,40\n\
               broken,s1,A,5,50\nbroken,s1,B,9,50\nbroken,s2,C,7,40\nbroken,s2,D,12,40\n";
    let (_d, p) = temp_csv("phases.csv", csv);
    let run = |extra: &[&str]| {
        let mut args = vec!["network", p.as_str(), "--measure", "OR", "--reference", "A"];
        args.extend_from_slice(extra);
        repool(&args)
    };
    let o = run(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("analysis 'broken'") && stderr(&o).contains("disconnected"));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "repool.network.batch.v1");
    let a = v["analyses"].as_array().unwrap();
    let names: Vec<&str> = a.iter().map(|x| x["analysis"].as_str().unwrap()).collect();
    assert_eq!(names, ["short", "long", "broken"]);
    assert_eq!(a[0]["result"]["schema"], "repool.network.v1");
    assert_eq!(a[0]["result"]["studies"], 3);
    assert_eq!(a[1]["result"]["studies"], 2);
    assert!(a[2]["result"].is_null());
    assert!(a[2]["error"].as_str().unwrap().contains("disconnected"));

    // The one-network output of --analysis equals that analysis in the batch.
    let o = run(&["--format", "json", "--analysis", "long"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let one: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(one, a[1]["result"]);

    // CSV: one table, an analysis column in front.
    let o = run(&["--format", "csv"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.starts_with("analysis,treatment,reference,"), "{out}");
    assert!(out.contains("\nshort,B,A,") && out.contains("\nlong,C,A,"));
    assert!(!out.contains("broken"));

    // Text: a section per analysis, the error in its place.
    let out = stdout(&run(&[]));
    assert!(out.contains("=== Analysis: short ===") && out.contains("=== Analysis: long ==="));
    assert!(out.contains("=== Analysis: broken ===\n\nerror: "), "{out}");

    assert_error(
        &run(&["--analysis", "middle"]),
        &["no analysis 'middle'", "short, long, broken"],
    );
    assert_error(&run(&["--plot", "x.svg"]), &["choose one with --analysis"]);
}

/// `--vtype HO` (metafor's code) computes the MD variance from the pooled SD, as Normand (1999)
/// does: the paper's DL pool -14.10 [-24.45, -3.75] is then reproduced, the default (LS) is not.
#[test]
fn pool_vtype_ho_uses_the_pooled_sd_for_the_md_variance() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "pool",
            "datasets/normand1999/data.csv",
            "--measure",
            "MD",
            "--tau2",
            "DL",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let a = &v["analyses"][0];
        let r = |k: &str| format!("{:.2}", a[k].as_f64().unwrap());
        (r("estimate"), r("ci_low"), r("ci_high"))
    };
    let want = (
        "-14.10".to_string(),
        "-24.45".to_string(),
        "-3.75".to_string(),
    );
    assert_eq!(run(&["--vtype", "HO"]), want);
    assert_eq!(run(&["--vtype", "pooled"]), want);
    assert_ne!(run(&[]), want);
    assert_error(
        &repool(&[
            "pool",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--vtype",
            "HO",
        ]),
        &["--vtype HO", "--measure MD", "not to RR"],
    );
}

/// Gibson 2002 (13 asthma trials, MD): REML's restricted likelihood has maxima at τ² = 0
/// and 9.68; repool returns the global one (metafor 3.8-1 `rma()`: −2.457027, SE 1.064033)
/// and names the other in its notes (text, JSON and CSV).
#[test]
fn pool_reports_a_bimodal_likelihood_and_takes_its_global_maximum() {
    let file = "tests/golden/data/gibson2002.csv";
    let o = repool(&["pool", file, "--measure", "MD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a = &j["analyses"][0];
    assert!((a["estimate"].as_f64().unwrap() + 2.457027).abs() < 1e-5);
    assert!((a["tau2"].as_f64().unwrap() - 9.679214).abs() < 1e-4);
    let notes = a["notes"].to_string();
    assert!(
        notes.contains("bimodal") && notes.contains("tau^2 = 0,"),
        "{notes}"
    );
    let t = stdout(&repool(&["pool", file, "--measure", "MD"]));
    assert!(t.contains("REML likelihood is bimodal"), "{t}");
    let c = stdout(&repool(&[
        "pool",
        file,
        "--measure",
        "MD",
        "--format",
        "csv",
    ]));
    assert!(c.contains("bimodal"), "{c}");
}

/// The explanation shows the scan, the steps to the global maximum and the second one, in
/// the reader's language.
#[test]
fn explain_shows_the_path_to_the_global_maximum() {
    let file = "tests/golden/data/gibson2002.csv";
    let o = repool(&["explain", file, "--measure", "MD", "--format", "txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("more than one maximum"), "{t}");
    assert!(t.contains("second maximum at τ² = 0,"), "{t}");
    assert!(t.contains("τ² = 9.679"), "{t}");
    let nl = stdout(&repool(&[
        "explain",
        file,
        "--measure",
        "MD",
        "--format",
        "txt",
        "--lang",
        "nl",
    ]));
    assert!(nl.contains("bimodaal") && nl.contains("1,76"), "{nl}");
}

/// Meta-regression of Gibson 2002 on the year: the ML likelihood has maxima at 0.5517 and
/// at 0, 0.4438 units lower (metafor 3.8-1 `rma(yi, vi, mods = ~ year, method = "ML")`:
/// τ² = 0.5516604856, logLik difference to `tau2 = 0` 0.4438286114).
#[test]
fn regress_reports_a_bimodal_likelihood() {
    let file = "tests/golden/data/gibson2002.csv";
    let args = [
        "regress",
        file,
        "--measure",
        "MD",
        "--mod",
        "year",
        "--tau2",
        "ML",
    ];
    let o = repool(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!((j["tau2"].as_f64().unwrap() - 0.5516604856).abs() < 1e-4 * 0.55);
    assert_eq!(j["tau2_other"].as_f64(), Some(0.0));
    assert!((j["tau2_other_loglik_gap"].as_f64().unwrap() - 0.4438286114).abs() < 1e-6);
    let t = stdout(&repool(&args));
    assert!(t.contains("likelihood is bimodal"), "{t}");
    let reml = repool(&[
        "regress",
        file,
        "--measure",
        "MD",
        "--mod",
        "year",
        "--format",
        "json",
    ]);
    let j: serde_json::Value = serde_json::from_str(&stdout(&reml)).unwrap();
    assert!(
        j["tau2_other"].is_null(),
        "REML with the year has one maximum"
    );
}

/// A PNG beyond the pixel budget is refused before its bitmap is allocated (300 studies at
/// 1,200 dpi would need more than a gigapixel); SVG of the same plot is written.
#[test]
fn forest_png_beyond_the_pixel_budget_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("many.csv");
    let mut text = String::from("study,yi,vi\n");
    for i in 0..300 {
        text.push_str(&format!("s{i},{},0.04\n", (i % 17) as f64 * 0.05 - 0.4));
    }
    std::fs::write(&csv, text).unwrap();
    let png = dir.path().join("f.png");
    let o = repool(&[
        "forest",
        csv.to_str().unwrap(),
        "--dpi",
        "1200",
        "--output",
        png.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("megapixels"), "{}", stderr(&o));
    assert!(!png.exists());
    let svg = dir.path().join("f.svg");
    let o = repool(&[
        "forest",
        csv.to_str().unwrap(),
        "--output",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn scan_text_json_csv_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.txt");
    std::fs::write(
        &p,
        "Intro.\nRR 1,23 (95% BI 1,16 tot 2,07) en <b>OR 1,5 (95% BI 1,1 tot 2,0)</b>.\n",
    )
    .unwrap();
    let f = p.to_str().unwrap();
    let o = repool(&["scan", f]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("2 schattingen gevonden"), "{out}");
    assert!(
        out.contains("2:4")
            && out.contains("RR 1,23 [1,16; 2,07]")
            && out.contains("[ci_asymmetric] fout"),
        "{out}"
    );
    let o = repool(&["scan", f, "--format", "json", "--lang", "en"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "repool.scan.v1");
    let d = &v["documents"][0];
    assert_eq!(d["file"], f);
    let x = &d["findings"][0];
    for key in [
        "line",
        "column",
        "text",
        "measure",
        "estimate",
        "ci_low",
        "ci_high",
        "level",
        "p",
        "n_studies",
        "n_patients",
        "flags",
    ] {
        assert!(x.get(key).is_some(), "{key} missing: {x}");
    }
    assert_eq!(
        (
            x["line"].as_u64(),
            x["column"].as_u64(),
            x["estimate"].as_f64()
        ),
        (Some(2), Some(4), Some(1.23))
    );
    assert_eq!(x["flags"][0]["severity"], "error");
    let o = repool(&["scan", f, "--format", "csv"]);
    let csv = stdout(&o);
    assert!(csv.starts_with("file,line,column,measure"), "{csv}");
    assert_eq!(csv.lines().count(), 3);
    let o = repool(&["scan", f, "--format", "html"]);
    let html = stdout(&o);
    assert!(html.contains("<mark id=\"d0f1\""), "{html}");
    assert!(
        html.contains("&lt;b&gt;<mark") && !html.contains("<b>"),
        "tags in the text are escaped"
    );
}

#[test]
fn scan_exit_codes_folder_bad_files_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "OR 1.5 (95% CI 1.1 to 2.0), p = 0.01\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.md"),
        b"R\xe9sultat du traitement et de la kin\xe9 : OR 1,5 (IC \xe0 95 % 1,1 \xe0 2,0)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("c.html"),
        "<p>HR 0.80 (95% CI 0.70&ndash;0.91)</p>",
    )
    .unwrap();
    std::fs::write(dir.path().join("skip.csv"), "x").unwrap();
    let d = dir.path().to_str().unwrap();
    let o = repool(&["scan", d, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3, "only supported files, in order");
    assert!(docs[0]["file"].as_str().unwrap().ends_with("a.txt"));
    assert!(docs[1]["note"].as_str().unwrap().contains("Windows-1252"));
    assert_eq!(docs[1]["lang"], "fr");
    assert_eq!(docs[1]["findings"][0]["measure"], "OR");
    assert_eq!(docs[2]["findings"][0]["ci_high"], 0.91);
    let bad = dir.path().join("bad.pdf");
    std::fs::write(&bad, "%PDF-1.4 not really").unwrap();
    let bin = dir.path().join("bin.txt");
    std::fs::write(&bin, b"\x00\x01\x02ELF").unwrap();
    let o = repool(&[
        "scan",
        bad.to_str().unwrap(),
        bin.to_str().unwrap(),
        &format!("{d}/a.txt"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(
        err.contains("bad.pdf: cannot read the PDF's text")
            && err.contains("bin.txt: a binary file"),
        "{err}"
    );
    assert!(
        out.contains("1 estimate found") && !out.contains("1 estimates"),
        "the other file is still scanned: {out}"
    );
    let o = repool_stdin(
        &["scan", "-", "--strict"],
        "SMD 0,02 (95% BI -0,42 tot 0,43)",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = repool_stdin(&["scan", "-"], "nothing here (1,2)");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("no estimate with a confidence interval found"));
}

/// A dataset's `source_text` is scanned by `repool report` into `scan.html`, linked from the
/// index; a source text outside the dataset folder is refused like any other file.
#[test]
fn report_scans_a_datasets_source_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ds = data.join("bcg");
    std::fs::create_dir_all(&ds).unwrap();
    std::fs::copy(repo_path("datasets/bcg/data.csv"), ds.join("data.csv")).unwrap();
    let toml = std::fs::read_to_string(repo_path("datasets/bcg/dataset.toml")).unwrap();
    let with_source = format!("source_text = \"review.txt\"\n{toml}");
    std::fs::write(ds.join("dataset.toml"), &with_source).unwrap();
    std::fs::write(
        ds.join("review.txt"),
        "BCG vaccine: RR 0.49 (95% CI 0.34 to 0.70).\nA typo: RR 1.23 (95% CI 1.16 to 2.07).\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = repool(&[
        "report",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let scan = std::fs::read_to_string(out.join("bcg/scan.html")).unwrap();
    assert!(
        scan.contains("0.49") && scan.contains("ci_asymmetric"),
        "{scan}"
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("bcg/scan.html")
            && index.contains("source text: 2 estimates, 1 with errors"),
        "{index}"
    );
    std::fs::write(
        ds.join("dataset.toml"),
        format!("source_text = \"../secret.txt\"\n{toml}"),
    )
    .unwrap();
    let o = repool(&[
        "report",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("source_text = \"../secret.txt\""),
        "{}",
        stderr(&o)
    );
    assert!(
        !out.join("bcg/scan.html").exists(),
        "the stale scan page is removed"
    );
}

/// Columns as wide as their longest cell: Rust's formatter takes widths only up to 65,535
/// and panicked (exit 101) on an id, treatment or moderator name of 65,536 characters.
#[test]
fn labels_longer_than_the_formatters_widths_are_printed() {
    let long = "x".repeat(65_536);
    let (_d, claims) = temp_csv(
        "claims.csv",
        &format!("id,measure,estimate,ci_low,ci_high\n{long},MD,1.2,1.0,1.4\n"),
    );
    let o = repool(&["check", &claims]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("{long}  ok")));

    let (_d2, net) = temp_csv(
        "net.csv",
        &format!("study,treat1,treat2,yi,vi\ns1,{long},B,0.1,0.04\ns2,B,C,0.2,0.05\n"),
    );
    let o = repool(&["network", &net, "--measure", "MD"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(&long));

    let (_d3, reg) = temp_csv(
        "reg.csv",
        &format!("study,yi,vi,{long}\na,0.1,0.01,1\nb,0.2,0.02,2\nc,0.3,0.03,3\nd,0.5,0.04,5\n"),
    );
    let o = repool(&["regress", &reg, "--measure", "GEN", "--mod", &long]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.lines().any(|l| l.starts_with(&long)), "{}", &out[..200]);
}

/// A printed number with 70,000 decimals: the rounding interval is that of f64 (a half unit
/// of 0); printing it back panicked in the formatter (precision above 65,535).
#[test]
fn numbers_with_more_decimals_than_a_double_holds_are_checked() {
    let zeros = "0".repeat(70_000);
    let o = repool(&["check", "--text", &format!("RR 1.{zeros}1 (1.0 to 2.0)")]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    let o = repool(&[
        "reproduce",
        "datasets/bcg/data.csv",
        "--published",
        &format!("RR 0.49{zeros} (0.34 to 0.70)"),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

/// An SE of 1e-120 gives one study all the weight: Egger's t is NaN, and statrs panicked
/// on it inside its incomplete beta function (exit 101).
#[test]
fn bias_with_a_study_carrying_all_the_weight_is_an_error() {
    let (_d, hr) = temp_csv(
        "hr.csv",
        "study,estimate,se\na,1.2,1e-120\nb,1.1,0.2\nc,0.9,0.3\nd,1.3,0.25\n",
    );
    for model in ["fixed", "random"] {
        let o = repool(&[
            "bias",
            &hr,
            "--measure",
            "HR",
            "--model",
            model,
            "--tau2",
            "DL",
        ]);
        assert_error(&o, &["not a finite number"]);
    }
}

/// More than 1,000 treatments: a clear error (exit 2) instead of gigabytes of memory.
#[test]
fn a_network_of_more_than_1000_treatments_is_refused() {
    let mut csv = String::from("study,treat1,treat2,yi,vi\n");
    for i in 1..=1_000 {
        csv.push_str(&format!("s{i},t{},t{i},0.1,0.04\n", i - 1));
    }
    let (_d, file) = temp_csv("big.csv", &csv);
    let o = repool(&["network", &file, "--measure", "MD"]);
    assert_error(
        &o,
        &["the network has 1001 treatments; repool analyses at most 1000 treatments"],
    );
}

/// Leave-one-out of two studies with HKSJ: each pool has one study, for which the HKSJ CI
/// is undefined. The fast path panicked in statrs (t with 0 degrees of freedom, exit 101);
/// now each row says so, as full refits do.
#[test]
fn leave_one_out_of_two_studies_with_hksj_names_the_error_per_row() {
    let (_d, p) = temp_csv("two.csv", "study,yi,vi\nA,0.1,0.01\nB,0.3,0.02\n");
    let o = repool(&[
        "sensitivity",
        &p,
        "--leave-one-out",
        "--ci",
        "hksj",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(
        out.matches("the Hartung-Knapp-Sidik-Jonkman CI needs at least 2 studies")
            .count(),
        2,
        "{out}"
    );
    assert!(!out.contains("NaN"));
}

#[test]
fn check_without_arguments_mentions_text() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_repool"))
        .arg("check")
        .output()
        .expect("run repool");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--text"), "{err}");
}

#[test]
fn sensitivity_without_a_mode_names_the_three_modes() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(["sensitivity", "trials.csv"])
        .output()
        .expect("run repool");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for mode in ["--leave-one-out", "--cumulative", "--influence"] {
        assert!(err.contains(mode), "{mode} missing in {err}");
    }
}

/// `--model` takes the same values in every command (fixed, common, EE, FE, random, RE, in
/// any case, network included); `both` only where it means something, the forest plot:
/// elsewhere clap rejects it and names the values it takes, and the help does not offer it.
#[test]
fn model_values_are_the_same_in_every_command() {
    for v in ["fixed", "common", "EE", "fe", "FE", "random", "RE", "re"] {
        let o = repool(&[
            "pool",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--model",
            v,
        ]);
        assert_eq!(o.status.code(), Some(0), "pool --model {v}: {}", stderr(&o));
        let o = repool(&[
            "network",
            "tests/golden/network_hasselblad1998.csv",
            "--measure",
            "OR",
            "--model",
            v,
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "network --model {v}: {}",
            stderr(&o)
        );
    }
    for cmd in [
        "pool",
        "bias",
        "explain",
        "sensitivity",
        "regress",
        "compare",
        "funnel",
    ] {
        assert_error(
            &repool(&[
                cmd,
                "datasets/bcg/data.csv",
                "--measure",
                "RR",
                "--model",
                "both",
            ]),
            &[
                "invalid value 'both' for '--model <MODEL>'",
                "[possible values: fixed, random]",
            ],
        );
        let help = stdout(&repool(&[cmd, "--help"]));
        let model = help.split("--model <MODEL>").nth(1).unwrap();
        let model = model.split("\n      --").next().unwrap();
        assert!(!model.contains("both"), "{cmd} --help offers both: {model}");
        assert!(
            model.contains("also accepted: common, EE, FE"),
            "{cmd}: {model}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("f.svg");
    for v in ["both", "Both", "FE", "common"] {
        let o = repool(&[
            "forest",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--model",
            v,
            "-o",
            svg.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "forest --model {v}: {}",
            stderr(&o)
        );
    }
    let help = stdout(&repool(&["forest", "--help"]));
    assert!(help.contains("- both:"), "{help}");
    let help = stdout(&repool(&["network", "--help"]));
    assert!(help.contains("also accepted: fixed, EE, FE"), "{help}");
}

/// Every command that writes data takes `--format text|json|csv`; the older `--json` of
/// `bias` and `regress` still works, hidden from the help; a format a command does not write
/// is a clap error that names the formats it does.
#[test]
fn every_data_command_takes_format_text_json_csv() {
    for cmd in [
        "pool",
        "check",
        "revman",
        "reproduce",
        "sensitivity",
        "bias",
        "regress",
        "compare",
        "network",
        "scan",
    ] {
        let help = stdout(&repool(&[cmd, "--help"]));
        let format = help.split("--format <FORMAT>").nth(1).unwrap_or("");
        let format = format.split("\n      --").next().unwrap();
        for v in ["text", "json", "csv"] {
            assert!(
                format.contains(&format!("- {v}"))
                    || format.contains(&format!(" {v},"))
                    || format.contains(&format!(" {v}]")),
                "{cmd} --format lacks {v}: {format}"
            );
        }
        assert!(!help.contains("--json"), "{cmd} --help shows --json");
    }
    let json = |extra: &[&str]| {
        let mut args = vec!["bias", "datasets/bcg/data.csv", "--measure", "RR"];
        args.extend_from_slice(extra);
        let o = repool(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    assert_eq!(json(&["--json"]), json(&["--format", "json"]));
    let o = repool(&[
        "regress",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--mod",
        "latitude",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(serde_json::from_slice::<serde_json::Value>(&o.stdout).is_ok());
    assert_error(
        &repool(&[
            "explain",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--format",
            "json",
        ]),
        &[
            "invalid value 'json' for '--format <FORMAT>'",
            "[possible values: md, txt, tex]",
        ],
    );
}

/// `repool reproduce --measure` names the measure a published text leaves out (a file of
/// precomputed effects); results are accepted as abstracts print them; combinations that
/// give the same numbers are one row that names them all, metafor's default (REML) first.
#[test]
fn reproduce_takes_measure_abstract_wording_and_lists_each_result_once() {
    // Five log odds ratios with no heterogeneity: τ² is 0 for every estimator but SJ.
    let (_d, file) = temp_csv(
        "effects.csv",
        "study,yi,vi\na,-0.58,0.1\nb,-0.55,0.1\nc,-0.6,0.1\nd,-0.57,0.1\ne,-0.59,0.1\n",
    );
    let run = |published: &str, extra: &[&str]| {
        let mut args = vec!["reproduce", &file, "--published", published];
        args.extend_from_slice(extra);
        repool(&args)
    };
    let o = run("0.56 (95% CI, 0.43\u{2013}0.74)", &["--measure", "OR"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Published: OR 0.56 [0.43; 0.74]"), "{out}");
    assert!(
        out.contains("2 distinct results (9 combinations) reproduce the printed numbers"),
        "{out}"
    );
    assert!(
        out.contains(
            "  random effects, τ² REML, z CI\n          = common effect, inverse variance"
        ),
        "{out}"
    );
    assert!(
        out.contains("          = random effects, τ² PM/ML/EB/HE/HS, z CI\n"),
        "{out}"
    );
    for published in [
        "odds ratio 0.56, 95% confidence interval 0.43 to 0.74",
        "pooled odds ratio, 0.56; 95% CI, 0.43 to 0.74",
        "OR 0.56 (0.43 to 0.74)",
    ] {
        let o = run(published, &[]);
        assert_eq!(o.status.code(), Some(0), "{published}: {}", stderr(&o));
        assert!(stdout(&o).contains("2 distinct results"), "{published}");
        // --measure agrees with the text: the same.
        assert_eq!(run(published, &["--measure", "or"]).stdout, o.stdout);
    }
    let o = run("relative risk 0.79 (0.65 to 0.96)", &[]);
    assert!(
        stdout(&o).starts_with("Published: RR 0.79 [0.65; 0.96]"),
        "{}",
        stderr(&o)
    );
    // JSON: each row lists all its combinations, each with its repool pool options.
    let o = run(
        "0.56 (95% CI, 0.43\u{2013}0.74)",
        &["--measure", "OR", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["reproduced"], 2);
    assert_eq!(v["reproduced_combinations"], 9);
    let first = &v["candidates"][0];
    assert_eq!(first["label"], "random effects, τ² REML, z CI");
    assert_eq!(first["metafor_default"], true);
    assert_eq!(first["methods"].as_array().unwrap().len(), 8);
    assert_eq!(first["methods"][0]["args"], first["args"]);
    // Errors: clap knows --measure (no "-- --measure" tip); a text without a measure and
    // without --measure names both ways; a text and --measure that disagree.
    let o = run("0.56 (95% CI, 0.43\u{2013}0.74)", &[]);
    assert_error(&o, &["no measure", "--measure"]);
    assert!(!stderr(&o).contains("-- --measure"));
    assert_error(
        &run("RR 0.56 (0.43 to 0.74)", &["--measure", "OR"]),
        &["--published names RR but --measure says OR"],
    );
    assert_error(
        &run("0.56 (0.43 to 0.74)", &["--measure", "GEN"]),
        &["--measure GEN"],
    );
}

/// `check --text` reads written-out measure names and the French abbreviations.
#[test]
fn check_text_reads_measure_names_and_french_abbreviations() {
    for (text, want) in [
        ("DM -12 (IC à 95 % -18 à -6)", "MD -12 [-18; -6]"),
        ("DMS -0,4 (IC à 95 % -0,6 à -0,2)", "SMD -0.4 [-0.6; -0.2]"),
        ("DMP -12 (IC à 95 % -18 à -6)", "MD -12 [-18; -6]"),
        ("RC 0,61 (IC à 95 % 0,43 à 0,87)", "OR 0.61 [0.43; 0.87]"),
        ("hazard ratio 0.76 (0.62 to 0.93)", "HR 0.76 [0.62; 0.93]"),
        (
            "relatief risico 0,79 (95%-BI 0,65 tot 0,96)",
            "RR 0.79 [0.65; 0.96]",
        ),
        (
            "risque relatif 0,79 (IC à 95 % 0,65 à 0,96)",
            "RR 0.79 [0.65; 0.96]",
        ),
        (
            "rapport des cotes 0,61 (IC à 95 % 0,43 à 0,87)",
            "OR 0.61 [0.43; 0.87]",
        ),
        (
            "différence moyenne -12 (IC à 95 % -18 à -6)",
            "MD -12 [-18; -6]",
        ),
    ] {
        let o = repool(&["check", "--text", text]);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{text}: {}",
            stderr(&o)
        );
        assert!(stdout(&o).contains(want), "{text}: {}", stdout(&o));
    }
}

// ---- the committed reports (regenerated by `repool report`, checked for staleness by CI) ----

fn committed_report(path: &str) -> String {
    std::fs::read_to_string(repo_path(&format!("reports/{path}"))).unwrap()
}

#[test]
fn report_index_writes_tau_squared_as_the_other_rows_do() {
    let index = committed_report("index.html");
    assert!(!index.contains("tau^2"), "tau^2 in the index");
    assert!(index.contains("τ² = 0.5989; Q = 202.62"), "hasselblad row");
}

#[test]
fn report_differences_that_round_to_zero_have_no_minus_sign() {
    for name in [
        "bcg",
        "normand1999",
        "yusuf1985",
        "nielweise2007",
        "hackshaw1998",
    ] {
        let page = committed_report(&format!("{name}/index.html"));
        assert!(!page.contains(">-0.0000<"), "{name}: -0.0000");
    }
}

#[test]
fn report_says_why_a_result_is_not_reproduced_once() {
    let page = committed_report("duloxetine-withdrawal/index.html");
    let why = page
        .lines()
        .find(|l| l.starts_with("<p>What could explain it:"))
        .expect("an explanation");
    assert!(!why.contains("used 7 studies"), "{why}");
    assert_eq!(why.matches("7 trials").count(), 1, "{why}");
    // Without an explanation of its own, a different number of studies is the reason given.
    let dir = tempfile::tempdir().unwrap();
    dataset(
        dir.path(),
        "k",
        "title = \"K\"\nmeasure = \"RR\"\n[[published]]\nlabel = \"P\"\nmodel = \"random\"\nestimate = \"0.50\"\nci_low = \"0.30\"\nci_high = \"0.80\"\nk = 12\nsource = \"abstract\"\nverified = \"no\"\n",
        true,
    );
    let out = dir.path().join("out");
    let o = repool(&[
        "report",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(out.join("k/index.html")).unwrap();
    assert!(
        page.contains(
            "What could explain it: the published pool used 12 studies, the data here have 13.</p>"
        ),
        "{page}"
    );
}

#[test]
fn report_cites_publications_not_source_files() {
    for name in [
        "duloxetine-withdrawal",
        "hfscs-responders",
        "minerva-claims",
    ] {
        for page in ["index.html", "README.md"] {
            let text = committed_report(&format!("{name}/{page}"));
            let sources = &text[text.find("Sources").expect("a sources section")..];
            for (i, _) in sources.match_indices("seeds/") {
                let before = &sources[..i];
                assert!(
                    before.ends_with("(transcribed from "),
                    "{name}/{page}: a source file cited as a source: {}",
                    &sources[i.saturating_sub(80)..(i + 40).min(sources.len())]
                );
            }
        }
    }
    let page = committed_report("hfscs-responders/README.md");
    assert!(page.contains("Clin J Pain 2024;40:415-27. doi:10.1097/AJP.0000000000001215"));
    let page = committed_report("duloxetine-withdrawal/index.html");
    assert!(
        !page.contains("seed 000"),
        "seed named in the published result"
    );
}

#[test]
fn report_writes_intervals_as_low_semicolon_high() {
    let page = committed_report("bcg/README.md");
    assert!(page.contains("- RR 0.49 [0.34; 0.70]"), "{page}");
    assert!(
        page.contains("- 95% prediction interval [0.15; 1.55]"),
        "{page}"
    );
    let index = committed_report("index.html");
    assert!(index.contains("RR 0.49 [0.34; 0.70]") && !index.contains("[0.34, 0.70]"));
}

#[test]
fn forest_threshold_both_legend_names_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, needle) in [
        ("en", "- - - minimal important difference (0.8; 1.25)"),
        ("nl", "(0,8; 1,25)"),
    ] {
        let out = dir.path().join(format!("{lang}.svg"));
        let o = repool(&[
            "forest",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--threshold",
            "1.25",
            "--threshold-both",
            "--lang",
            lang,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let svg = std::fs::read_to_string(&out).unwrap();
        assert!(svg.contains(needle), "{lang}");
    }
    // One threshold: the legend names the one line.
    let out = dir.path().join("one.svg");
    let o = repool(&[
        "forest",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--threshold",
        "1.25",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("- - - minimal important difference (1.25)"));
}

#[test]
fn forest_and_pool_write_a_ci_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.svg");
    let o = repool(&[
        "forest",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&out).unwrap();
    let text = stdout(&repool(&[
        "pool",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
    ]));
    assert!(svg.contains("0.41 [0.13; 1.26]") && text.contains("0.41 [0.13; 1.26]"));
    // The prediction interval too (measured and printed with the same separator).
    assert!(svg.contains("[0.15; 1.55]"), "prediction interval");
}

/// A folder with a copy of the bcg dataset and of the minerva claims, for `repool report`.
fn report_fixture(dir: &std::path::Path) {
    for (name, files) in [
        ("bcg", &["dataset.toml", "data.csv"][..]),
        ("minerva-claims", &["dataset.toml", "claims.csv"][..]),
    ] {
        let data = dir.join("datasets").join(name);
        std::fs::create_dir_all(&data).unwrap();
        for f in files {
            std::fs::copy(repo_path(&format!("datasets/{name}/{f}")), data.join(f)).unwrap();
        }
    }
}

#[test]
fn report_writes_each_language_to_its_own_folder_by_default() {
    let dir = tempfile::tempdir().unwrap();
    report_fixture(dir.path());
    for (lang, folder) in [
        (None, "reports"),
        (Some("nl"), "reports-nl"),
        (Some("fr"), "reports-fr"),
    ] {
        let mut args = vec!["report"];
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        let o = Command::new(env!("CARGO_BIN_EXE_repool"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let index = std::fs::read_to_string(dir.path().join(folder).join("index.html")).unwrap();
        let code = lang.unwrap_or("en");
        assert!(
            index.contains(&format!("<html lang=\"{code}\">")),
            "{index}"
        );
        let page = std::fs::read_to_string(dir.path().join(folder).join("bcg/index.html")).unwrap();
        assert!(page.contains(&format!("<html lang=\"{code}\">")));
    }
    // --out still wins over the language's folder.
    let out = dir.path().join("elsewhere");
    let o = Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(["report", "--lang", "fr", "--out", out.to_str().unwrap()])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("bcg/README.md").is_file());
}

#[test]
fn report_in_dutch_and_french_has_translated_pages_and_english_stays_as_committed() {
    let dir = tempfile::tempdir().unwrap();
    report_fixture(dir.path());
    let data = dir.path().join("datasets");
    let run = |lang: &str, out: &str| {
        let out = dir.path().join(out);
        let o = repool(&[
            "report",
            data.to_str().unwrap(),
            "--lang",
            lang,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        out
    };
    let en = run("en", "en");
    for page in [
        "bcg/index.html",
        "bcg/README.md",
        "minerva-claims/index.html",
        "minerva-claims/README.md",
    ] {
        assert_eq!(
            std::fs::read_to_string(en.join(page)).unwrap(),
            std::fs::read_to_string(repo_path(&format!("reports/{page}"))).unwrap(),
            "{page}"
        );
    }
    let nl = run("nl", "nl");
    let page = std::fs::read_to_string(nl.join("bcg/index.html")).unwrap();
    assert!(page.contains("<html lang=\"nl\">"));
    assert!(page.contains("<h1>BCG-vaccin ter preventie van tuberculose (13 studies)</h1>"));
    assert!(page.contains("Opnieuw berekend gepoold resultaat"));
    assert!(page.contains("RR 0,49 [0,34; 0,70]"), "{page}");
    let md = std::fs::read_to_string(nl.join("bcg/README.md")).unwrap();
    assert!(md.contains("random-effectsmodel, τ² volgens REML"), "{md}");
    let fr = run("fr", "fr");
    let page = std::fs::read_to_string(fr.join("minerva-claims/index.html")).unwrap();
    assert!(page.contains("<html lang=\"fr\">"));
    assert!(page.contains("Constats expliqués"), "{page}");
    let index = std::fs::read_to_string(fr.join("index.html")).unwrap();
    assert!(
        index.contains("repool : méta-analyses recalculées"),
        "{index}"
    );
}

#[test]
fn the_network_report_prints_the_command_that_reproduces_its_p_scores() {
    // hasselblad1998 counts events that are good (smoking cessation): its P-scores rank larger
    // values first, so the command on its page must say so.
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/hasselblad1998/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("--measure OR --reference no_contact --small-values bad</code>"),
        "{page}"
    );
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/senn2013/index.html"),
    )
    .unwrap();
    assert!(!page.contains("--small-values"), "{page}");
}
