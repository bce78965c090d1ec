//! The browser test of `repool serve` (tests/e2e/serve.test.mjs): headless Debian Chromium
//! driven by playwright-core loads the page, edits a cell and checks that the pooled
//! estimate and the plot change. Needs chromium, node and `npm ci` in tests/e2e, which
//! `tests/run` (the README's test command) installs; plain `cargo test` skips it.

use std::process::Command;

#[test]
#[ignore = "needs chromium, node and playwright-core: run tests/run"]
fn classroom_page_in_headless_chromium() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("node")
        .args(["--test", "serve.test.mjs"])
        .current_dir(format!("{root}/tests/e2e"))
        .env("REPOOL_BIN", env!("CARGO_BIN_EXE_repool"))
        .env("SCREENSHOTS", format!("{root}/target/e2e"))
        .output()
        .expect("node is needed for the browser test: run tests/run");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser test failed:\n{text}");
    assert!(text.contains("# pass 1"), "{text}");
}
