//! `repool explain` compared byte for byte with one committed derivation per language
//! (`tests/snapshots/explain_{en,nl,fr}.txt`). A difference writes `<name>.new` and fails;
//! `REPOOL_UPDATE_SNAPSHOTS=1 cargo test --test explain_snapshots` also rewrites the snapshot
//! and the test still fails, so that a changed explanation is never accepted without being
//! looked at.

use std::process::Command;

mod util;

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

/// Fails unless `got` is byte for byte `tests/snapshots/<name>` (see `util::assert_snapshot`).
fn assert_snapshot(name: &str, got: &str) {
    util::assert_snapshot(&format!("tests/snapshots/{name}"), got);
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
