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
