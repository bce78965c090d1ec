//! Peto's one-step odds ratio.
//!
//! # Formula
//! For study i with `a` events among `n1` in the treatment arm, `c` among `n2` in the
//! control arm, `N = n1 + n2`, `m1 = a + c` events and `m2 = N - m1` non-events:
//! ```text
//! O - E = a - m1 n1 / N
//! V     = m1 m2 n1 n2 / (N² (N - 1))
//! ln OR_i      = (O - E) / V,           Var = 1 / V        (per study)
//! ln OR_Peto   = Σ (O - E) / Σ V,       Var = 1 / Σ V      (pooled; weight V)
//! ```
//!
//! # References
//! - Yusuf S, Peto R, Lewis J, Collins R, Sleight P (1985). Beta blockade during and after
//!   myocardial infarction. Prog Cardiovasc Dis 27:335–371.
//! - Cochrane Handbook, version 6.4 (2023), section 10.4.4.2; metafor `rma.peto()`.

use crate::effect::zero_cell::Table;

/// `(O - E, V)` of one table.
pub fn o_minus_e(t: &Table) -> (f64, f64) {
    let (n1, n2) = (t.n1(), t.n2());
    let n = n1 + n2;
    let m1 = t.a + t.c;
    let m2 = n - m1;
    (t.a - m1 * n1 / n, m1 * m2 * n1 * n2 / (n * n * (n - 1.0)))
}

/// Peto's heterogeneity statistic from the uncorrected tables (as metafor's `rma.peto`):
///
/// ```text
/// Q = Σ (O - E)² / V - (Σ (O - E))² / Σ V        over tables with V > 0
/// ```
pub fn q_statistic(tables: &[Table]) -> f64 {
    let (mut s1, mut soe, mut sv) = (0.0, 0.0, 0.0);
    for t in tables {
        let (oe, v) = o_minus_e(t);
        if v > 0.0 {
            s1 += oe * oe / v;
            soe += oe;
            sv += v;
        }
    }
    if sv > 0.0 {
        (s1 - soe * soe / sv).max(0.0)
    } else {
        0.0
    }
}

/// Pooled Peto log odds ratio `(estimate, se, weights V)`; `None` when `Σ V = 0` (no
/// table has both events and non-events).
pub fn estimate(tables: &[Table]) -> Option<(f64, f64, Vec<f64>)> {
    let (mut soe, mut sv) = (0.0, 0.0);
    let mut weights = Vec::with_capacity(tables.len());
    for t in tables {
        let (oe, v) = o_minus_e(t);
        soe += oe;
        sv += v;
        weights.push(v);
    }
    if !(sv > 0.0) {
        return None;
    }
    Some((soe / sv, (1.0 / sv).sqrt(), weights))
}
