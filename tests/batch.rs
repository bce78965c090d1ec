//! `repool pool` on a batch larger than the chunks it is pooled in across threads: every row in
//! input order, every row the same bytes as the analysis pooled alone, failed analyses reported
//! in order and the others kept.

use std::process::{Command, Output};

fn repool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .output()
        .unwrap()
}

/// 1,000 analyses of 3 to 7 studies (a fixed pseudo-random sequence); every 97th has a study
/// with more events than participants.
fn batch() -> String {
    let mut state: u64 = 2026;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut csv = String::from("analysis,study,events_t,n_t,events_c,n_c\n");
    for a in 0..1000 {
        for s in 0..3 + next(5) {
            let (n_t, n_c) = (20 + next(200), 20 + next(200));
            let e_t = if a % 97 == 5 && s == 1 {
                n_t + 1
            } else {
                next(n_t)
            };
            csv += &format!("a{a},s{s},{e_t},{n_t},{},{n_c}\n", next(n_c));
        }
    }
    csv
}

#[test]
fn a_large_batch_comes_out_in_input_order_as_each_analysis_alone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("batch.csv");
    let text = batch();
    std::fs::write(&input, &text).unwrap();
    let path = input.to_str().unwrap();
    let o = repool(&["pool", path, "--measure", "OR", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 1000);
    for (a, row) in rows.iter().enumerate() {
        assert!(row.starts_with(&format!("a{a},")), "row {a}: {row}");
    }
    let err = String::from_utf8(o.stderr).unwrap();
    let failed: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("error: analysis"))
        .collect();
    let want: Vec<String> = (0..1000)
        .filter(|a| a % 97 == 5)
        .map(|a| format!("'a{a}'"))
        .collect();
    assert_eq!(failed.len(), want.len(), "{err}");
    for (line, name) in failed.iter().zip(&want) {
        assert!(line.contains(name.as_str()), "{line} for {name}");
    }
    // Analyses at chunk borders and elsewhere, pooled alone, give the same rows.
    let header = text.lines().next().unwrap();
    for a in [0, 1, 127, 128, 129, 255, 256, 500, 999] {
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(&format!("a{a},")))
            .collect();
        let one = dir.path().join(format!("a{a}.csv"));
        std::fs::write(&one, format!("{header}\n{}\n", lines.join("\n"))).unwrap();
        let o = repool(&[
            "pool",
            one.to_str().unwrap(),
            "--measure",
            "OR",
            "--format",
            "csv",
        ]);
        let alone = String::from_utf8(o.stdout).unwrap();
        assert_eq!(alone.lines().nth(1).unwrap(), rows[a], "analysis a{a}");
    }
}

#[test]
fn a_large_batch_in_json_keeps_the_order_and_the_errors() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("batch.csv");
    std::fs::write(&input, batch()).unwrap();
    let o = repool(&[
        "pool",
        input.to_str().unwrap(),
        "--measure",
        "OR",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let analyses = doc["analyses"].as_array().unwrap();
    assert_eq!(analyses.len(), 1000);
    for (a, row) in analyses.iter().enumerate() {
        assert_eq!(row["analysis"], format!("a{a}"));
        assert_eq!(row["error"].is_string(), a % 97 == 5, "a{a}");
    }
}
