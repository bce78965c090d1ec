//! Mantel–Haenszel common-effect estimates for 2×2 tables (RR, OR, RD).
//!
//! # Formula
//! For study i with cells `a, b, c, d`, arm totals `n1, n2` and `N = n1 + n2`:
//! ```text
//! OR:  R = Σ a d / N,   S = Σ b c / N,   OR_MH = R / S
//!      Var(ln OR_MH) = ½ [ Σ P R_i / R² + Σ (P S_i + Q R_i) / (R S) + Σ Q S_i / S² ]
//!      with P = (a + d)/N, Q = (b + c)/N          (Robins, Breslow & Greenland 1986)
//!      weight b c / N
//! RR:  R = Σ a n2 / N,  S = Σ c n1 / N,  RR_MH = R / S
//!      Var(ln RR_MH) = Σ (n1 n2 (a + c) / N² - a c / N) / (R S)   (Greenland & Robins 1985)
//!      weight c n1 / N
//! RD:  RD_MH = Σ (a n2 - c n1) / N / Σ n1 n2 / N
//!      Var = [ RD Σ (c (n1/N)² - a (n2/N)² + (n1/N)(n2/N)(n2 - n1)/2)
//!              + Σ (a (n2 - c) + c (n1 - a)) / (2N) ] / (Σ n1 n2 / N)²   (Sato, Greenland & Robins 1989)
//!      weight n1 n2 / N
//! ```
//! The estimate uses the tables as they are (no continuity correction); tables without
//! events in both arms add nothing to the RR and OR sums but count for the RD.
//!
//! # References
//! - Mantel N, Haenszel W (1959). J Natl Cancer Inst 22:719–748.
//! - Robins J, Breslow N, Greenland S (1986). Biometrics 42:311–323.
//! - Greenland S, Robins JM (1985). Biometrics 41:55–68.
//! - Sato T, Greenland S, Robins JM (1989). Biometrics 45:1323–1324.
//! - Cochrane Handbook, version 6.4 (2023), section 10.4.2; metafor `rma.mh()`.

use crate::effect::zero_cell::Table;
use crate::effect::Measure;

/// A Mantel–Haenszel estimate on the analysis scale (log for RR and OR).
#[derive(Debug, Clone, PartialEq)]
pub struct MhEstimate {
    /// The estimate (log RR, log OR, or RD).
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// The Mantel–Haenszel weight of each table (not normalised).
    pub weights: Vec<f64>,
}

/// Mantel–Haenszel estimate for `measure` (RR, OR or RD) from uncorrected tables.
/// Returns `None` when the estimate is undefined (no events in one of the arms over all
/// studies for RR; no events, or only events, in one of them for OR).
pub fn estimate(measure: Measure, tables: &[Table]) -> Option<MhEstimate> {
    match measure {
        Measure::LogOddsRatio => odds_ratio(tables),
        Measure::LogRiskRatio => risk_ratio(tables),
        Measure::RiskDifference => Some(risk_difference(tables)),
        _ => None,
    }
}

fn odds_ratio(tables: &[Table]) -> Option<MhEstimate> {
    let (mut r, mut s, mut pr, mut ps_qr, mut qs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut weights = Vec::with_capacity(tables.len());
    for t in tables {
        let n = t.n1() + t.n2();
        let ri = t.a * t.d / n;
        let si = t.b * t.c / n;
        let pi = (t.a + t.d) / n;
        let qi = (t.b + t.c) / n;
        r += ri;
        s += si;
        pr += pi * ri;
        ps_qr += pi * si + qi * ri;
        qs += qi * si;
        weights.push(si);
    }
    if r == 0.0 || s == 0.0 {
        return None;
    }
    let var = 0.5 * (pr / (r * r) + ps_qr / (r * s) + qs / (s * s));
    Some(MhEstimate {
        estimate: (r / s).ln(),
        se: var.sqrt(),
        weights,
    })
}

fn risk_ratio(tables: &[Table]) -> Option<MhEstimate> {
    let (mut r, mut s, mut num, mut sa, mut sc) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut weights = Vec::with_capacity(tables.len());
    for t in tables {
        let (n1, n2) = (t.n1(), t.n2());
        let n = n1 + n2;
        r += t.a * n2 / n;
        s += t.c * n1 / n;
        num += (n1 / n) * (n2 / n) * (t.a + t.c) - (t.a / n) * t.c;
        sa += t.a;
        sc += t.c;
        weights.push(t.c * n1 / n);
    }
    if sa == 0.0 || sc == 0.0 {
        return None;
    }
    Some(MhEstimate {
        estimate: (r / s).ln(),
        se: (num / (r * s)).sqrt(),
        weights,
    })
}

fn risk_difference(tables: &[Table]) -> MhEstimate {
    let (mut num, mut den, mut s1, mut s2) = (0.0, 0.0, 0.0, 0.0);
    let mut weights = Vec::with_capacity(tables.len());
    for t in tables {
        let (n1, n2) = (t.n1(), t.n2());
        let n = n1 + n2;
        num += t.a * (n2 / n) - t.c * (n1 / n);
        den += n1 * (n2 / n);
        s1 +=
            t.c * (n1 / n).powi(2) - t.a * (n2 / n).powi(2) + (n1 / n) * (n2 / n) * (n2 - n1) / 2.0;
        s2 += t.a * (n2 - t.c) / n + t.c * (n1 - t.a) / n;
        weights.push(n1 * (n2 / n));
    }
    let rd = num / den;
    let var = (rd * s1 + s2 / 2.0) / (den * den);
    MhEstimate {
        estimate: rd,
        se: var.sqrt(),
        weights,
    }
}
