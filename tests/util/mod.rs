//! Shared test helpers: named tolerances in one place and a comparison that prints both sides.
#![allow(dead_code)]

/// Tolerance against metafor for closed-form results (relative).
pub const CLOSED_FORM: f64 = 1e-6;
/// Tolerance against metafor for results of iterative estimators (relative).
pub const ITERATIVE: f64 = 1e-4;
/// Below this magnitude values are compared absolutely (a τ² of 0 against 1e-17).
pub const ABS_FLOOR: f64 = 1e-10;

/// Whether `got` agrees with `want` to relative tolerance `tol`.
pub fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(got.abs()).max(ABS_FLOOR)
}

#[allow(dead_code)]
pub fn repo_path(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Compares `actual` with the snapshot at `path` byte for byte. On a difference it writes
/// `actual` to `<path>.new` and, when `update` is set, over the snapshot too; a missing
/// snapshot is written. Either way the answer is an error: only an unchanged output passes.
pub fn check_snapshot(path: &std::path::Path, actual: &str, update: bool) -> Result<(), String> {
    let mut new = path.as_os_str().to_owned();
    new.push(".new");
    let new = std::path::PathBuf::from(new);
    match std::fs::read(path) {
        Ok(want) if want == actual.as_bytes() => {
            let _ = std::fs::remove_file(&new);
            Ok(())
        }
        Ok(_) => {
            std::fs::write(&new, actual).map_err(|e| format!("writing {}: {e}", new.display()))?;
            if update {
                std::fs::write(path, actual)
                    .map_err(|e| format!("writing {}: {e}", path.display()))?;
                Err(format!(
                    "{} changed and was rewritten (the new output is also in {}); review the \
                     change, commit it and run the test again",
                    path.display(),
                    new.display()
                ))
            } else {
                Err(format!(
                    "output differs from {}: the new output is in {}; compare them, and if the \
                     change is intended run again with REPOOL_UPDATE_SNAPSHOTS=1",
                    path.display(),
                    new.display()
                ))
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::write(path, actual).map_err(|e| format!("writing {}: {e}", path.display()))?;
            Err(format!(
                "{} did not exist and was written; review it, commit it and run the test again",
                path.display()
            ))
        }
        Err(e) => Err(format!("reading {}: {e}", path.display())),
    }
}

/// Fails unless `actual` is byte for byte the snapshot at `rel` (from the repository root).
/// A difference writes `<rel>.new` and fails; `REPOOL_UPDATE_SNAPSHOTS=1` also rewrites the
/// snapshot and still fails, so a changed output never passes unnoticed.
pub fn assert_snapshot(rel: &str, actual: &str) {
    let update = std::env::var("REPOOL_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    if let Err(e) = check_snapshot(&repo_path(rel), actual, update) {
        panic!("{e}");
    }
}
