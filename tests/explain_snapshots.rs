//! `repool explain` compared byte for byte with one committed derivation per language
//! (`tests/snapshots/explain_{en,nl,fr}.txt`). `UPDATE_SNAPSHOTS=1 cargo test --test
//! explain_snapshots` rewrites a snapshot that differs, and the test still fails, so that a
//! changed explanation is never accepted without being looked at.

use std::path::PathBuf;
use std::process::Command;

/// Runs `repool explain` with `args` from the repository root and returns its output.
fn explain(args: &[&str]) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let o = Command::new(env!("CARGO_BIN_EXE_repool"))
        .arg("explain")
        .args(args)
        .current_dir(root)
        .output()
        .expect("repool runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

/// Compares `got` with `tests/snapshots/<name>`, printing the first differing line.
fn assert_snapshot(name: &str, got: &str) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "snapshots", name]
        .iter()
        .collect();
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if got == want {
        return;
    }
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, got).expect("snapshot written");
        panic!("tests/snapshots/{name} was out of date and has been rewritten: review the change and run the test again");
    }
    let line = got
        .lines()
        .zip(want.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
    panic!(
        "repool explain differs from tests/snapshots/{name} at line {}:\n got: {:?}\nwant: {:?}\n(UPDATE_SNAPSHOTS=1 rewrites the snapshot)",
        line + 1,
        got.lines().nth(line).unwrap_or("<end>"),
        want.lines().nth(line).unwrap_or("<end>")
    );
}

/// English, plain text: REML with its iteration table, the random-effects weights, the
/// prediction interval, I² and the clinical relevance of a risk ratio.
#[test]
fn explain_en_matches_the_snapshot() {
    let got = explain(&[
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--threshold",
        "0.8",
    ]);
    assert_snapshot("explain_en.txt", &got);
}

/// Dutch, plain text: a mean difference with Paule–Mandel, HKSJ and a threshold, decimal
/// commas throughout.
#[test]
fn explain_nl_matches_the_snapshot() {
    let got = explain(&[
        "datasets/normand1999/data.csv",
        "--measure",
        "MD",
        "--tau2",
        "PM",
        "--ci",
        "hksj",
        "--threshold",
        "-10",
        "--lang",
        "nl",
    ]);
    assert_snapshot("explain_nl.txt", &got);
}

/// French, Markdown: DerSimonian–Laird on odds ratios, with the Higgins prediction interval.
#[test]
fn explain_fr_matches_the_snapshot() {
    let got = explain(&[
        "datasets/bcg/data.csv",
        "--measure",
        "OR",
        "--tau2",
        "DL",
        "--pi",
        "higgins",
        "--lang",
        "fr",
        "--format",
        "md",
    ]);
    assert_snapshot("explain_fr.txt", &got);
}
