//! The Mantel–Haenszel or Peto sums of the 2×2 tables (uncorrected, as the pool uses them):
//! each study's weight and share, and the estimate from the sums. Every table is listed,
//! double-zero ones included: they enter the sums as the pool enters them (with weight 0,
//! except in the MH risk difference).
//!
//! # References
//! - Cochrane Handbook, version 6.4 (2023), sections 10.4.2 (Mantel–Haenszel) and 10.4.4.2
//!   (Peto).

use super::{Block, Context};
use crate::effect::zero_cell::Table;
use crate::effect::StudyData;
use crate::pool::CommonMethod;
use crate::Measure;

/// The sums of the pool's common-effect method (Mantel–Haenszel or Peto).
pub(super) fn sums(cx: &Context) -> Vec<Block> {
    let rows: Vec<(&str, Table)> = cx
        .studies
        .iter()
        .zip(&cx.result.studies)
        .filter_map(|(s, r)| match s.data {
            StudyData::TwoByTwo {
                events_t,
                n_t,
                events_c,
                n_c,
            } => Some((
                r.label.as_str(),
                Table::from_arms(events_t, n_t, events_c, n_c),
            )),
            _ => None,
        })
        .collect();
    match cx.result.config.method {
        CommonMethod::Peto => peto(cx, &rows),
        _ => mantel_haenszel(cx, &rows),
    }
}

/// Peto: `O − E` and `V` of each table, `ln OR = Σ(O − E)/ΣV`.
fn peto(cx: &Context, rows: &[(&str, Table)]) -> Vec<Block> {
    let (n, result) = (|x: f64| cx.n(x), cx.result);
    let ov: Vec<(f64, f64)> = rows
        .iter()
        .map(|(_, t)| crate::pool::peto::o_minus_e(t))
        .collect();
    let (so, sv) = ov.iter().fold((0.0, 0.0), |a, x| (a.0 + x.0, a.1 + x.1));
    vec![
        Block::Table {
            head: vec![
                cx.msg.study.into(),
                "Oᵢ − Eᵢ".into(),
                "Vᵢ".into(),
                cx.msg.share.into(),
            ],
            rows: rows
                .iter()
                .zip(&ov)
                .map(|((lab, _), (o, v))| vec![lab.to_string(), n(*o), n(*v), share(cx, 100.0 * v / sv)])
                .collect(),
        },
        Block::Math {
            plain: format!(
                "ln OR_Peto = Σ(O − E) / ΣV = {} / {} = {}   SE = 1/√ΣV = {}",
                n(so),
                n(sv),
                n(result.estimate),
                n(result.se)
            ),
            tex: format!(
                "\\ln OR_{{Peto}} = \\frac{{\\sum (O_i - E_i)}}{{\\sum V_i}} = \\frac{{{}}}{{{}}} = {},\\quad SE = {}",
                n(so),
                n(sv),
                n(result.estimate),
                n(result.se)
            ),
        },
    ]
}

/// Mantel–Haenszel: each table's weight and share, the estimate from the sums and the
/// variance estimator of the measure.
fn mantel_haenszel(cx: &Context, rows: &[(&str, Table)]) -> Vec<Block> {
    let (n, result) = (|x: f64| cx.n(x), cx.result);
    let m = result.config.measure;
    let tables: Vec<Table> = rows.iter().map(|(_, t)| *t).collect();
    let Some(est) = crate::pool::mh::estimate(m, &tables) else {
        return Vec::new();
    };
    let sw: f64 = est.weights.iter().sum();
    let (wname, plain, tex) = estimate_from_sums(cx, &tables, sw);
    let variance = match m {
        Measure::LogOddsRatio => "Robins–Breslow–Greenland",
        Measure::LogRiskRatio => "Greenland–Robins",
        _ => "Sato–Greenland–Robins",
    };
    vec![
        Block::Table {
            head: vec![
                cx.msg.study.into(),
                format!("wᵢ = {wname}"),
                cx.msg.share.into(),
            ],
            rows: rows
                .iter()
                .zip(&est.weights)
                .map(|((lab, _), w)| vec![lab.to_string(), n(*w), share(cx, 100.0 * w / sw)])
                .collect(),
        },
        Block::Math { plain, tex },
        Block::Math {
            plain: format!("SE = {}   ({variance} variance)", n(result.se)),
            tex: format!("SE = {}", n(result.se)),
        },
    ]
}

/// The Mantel–Haenszel weight of the measure and its estimate from the sums (`sw` is the
/// sum of the weights): (weight, plain formula, LaTeX formula).
fn estimate_from_sums(cx: &Context, tables: &[Table], sw: f64) -> (&'static str, String, String) {
    let (n, estimate) = (|x: f64| cx.n(x), cx.result.estimate);
    match cx.result.config.measure {
        Measure::LogOddsRatio => {
            let r: f64 = tables.iter().map(|t| t.a * t.d / (t.n1() + t.n2())).sum();
            (
                "bᵢcᵢ/Nᵢ",
                format!("R = Σ aᵢdᵢ/Nᵢ = {}   S = Σ bᵢcᵢ/Nᵢ = {}   ln OR_MH = ln(R/S) = {}", n(r), n(sw), n(estimate)),
                format!("R = \\sum \\frac{{a_i d_i}}{{N_i}} = {},\\quad S = \\sum \\frac{{b_i c_i}}{{N_i}} = {},\\quad \\ln OR_{{MH}} = \\ln\\frac{{R}}{{S}} = {}", n(r), n(sw), n(estimate)),
            )
        }
        Measure::LogRiskRatio => {
            let r: f64 = tables
                .iter()
                .map(|t| t.a * t.n2() / (t.n1() + t.n2()))
                .sum();
            (
                "cᵢn₁ᵢ/Nᵢ",
                format!("R = Σ aᵢn₂ᵢ/Nᵢ = {}   S = Σ cᵢn₁ᵢ/Nᵢ = {}   ln RR_MH = ln(R/S) = {}", n(r), n(sw), n(estimate)),
                format!("R = \\sum \\frac{{a_i n_{{2i}}}}{{N_i}} = {},\\quad S = \\sum \\frac{{c_i n_{{1i}}}}{{N_i}} = {},\\quad \\ln RR_{{MH}} = \\ln\\frac{{R}}{{S}} = {}", n(r), n(sw), n(estimate)),
            )
        }
        _ => {
            let num: f64 = tables
                .iter()
                .map(|t| (t.a * t.n2() - t.c * t.n1()) / (t.n1() + t.n2()))
                .sum();
            (
                "n₁ᵢn₂ᵢ/Nᵢ",
                format!("RD_MH = Σ (aᵢn₂ᵢ − cᵢn₁ᵢ)/Nᵢ / Σ n₁ᵢn₂ᵢ/Nᵢ = {} / {} = {}", n(num), n(sw), n(estimate)),
                format!("RD_{{MH}} = \\frac{{\\sum (a_i n_{{2i}} - c_i n_{{1i}})/N_i}}{{\\sum n_{{1i}} n_{{2i}}/N_i}} = {}", n(estimate)),
            )
        }
    }
}

/// A share already in percent, three significant digits: "41.4 %".
fn share(cx: &Context, percent: f64) -> String {
    format!("{} %", super::num(cx.lang, percent, 3))
}
