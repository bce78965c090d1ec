//! Which methods reproduce a published pooled result from the study data (`repool
//! reproduce`)?
//!
//! The search pools the studies under every combination of: common effect by inverse
//! variance, Mantel–Haenszel or Peto; random effects with every τ² estimator and the z,
//! HKSJ and ad hoc HKSJ CIs; the zero-cell rules; both SMD corrections; the MD variance from
//! each arm's SD or the pooled SD; and RevMan 5's rules. Each [`Candidate`] carries the
//! `repool pool` options that recompute it ([`PoolSettings`]) and a label that says what was
//! computed.
//!
//! Combinations that are different words for the same computation are offered once:
//! - the zero-cell rule is not varied for Mantel–Haenszel and Peto, whose estimate and CI
//!   come from the uncorrected tables (metafor's `rma.mh()`, `rma.peto()`);
//! - "0.5 to all tables if any has a zero" (`--cc-to if0all`) is always the same as "to all
//!   tables" (some table has a zero) or as "to tables with a zero" (none has one); "to tables
//!   with a zero" is the same as "to all tables" when every table has one; dropping
//!   double-zero tables changes nothing when there are none;
//! - a RevMan 5 rule that computes what a plain `repool pool` combination computes (see
//!   `revman_twin`) is not listed twice: the plain row's label says so.

use super::label::{Label, Piece};
use crate::check::Reported;
use crate::effect::zero_cell::Table;
use crate::effect::{CcTo, MdVariance, SmdCorrection, StudyData, ZeroCellRule};
use crate::format::Lang;
use crate::pool::preset::{self, Preset};
use crate::pool::{
    CiMethod, CommonMethod, Model, PoolConfig, PooledEstimate, PresetError, Tau2Method,
};
use crate::{Measure, Study};

/// The options of `repool pool` that recompute one candidate: a structured description of
/// the command line. `None` leaves an option at `repool pool`'s default, which is then
/// either irrelevant to this computation or set by the preset.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSettings {
    /// `--measure`.
    pub measure: Measure,
    /// `--model`.
    pub model: Model,
    /// `--method`.
    pub method: CommonMethod,
    /// `--tau2` (random effects without a preset).
    pub tau2: Option<Tau2Method>,
    /// `--ci` (random effects without a preset).
    pub ci: Option<CiMethod>,
    /// `--level`.
    pub level: f64,
    /// `--cc`, `--cc-to`, `--drop-double-zero`: only where the rule changes the estimate or
    /// CI (2×2 data pooled by inverse variance without a preset).
    pub zero_cell: Option<ZeroCellRule>,
    /// `--smd-correction` (SMD without a preset).
    pub smd_correction: Option<SmdCorrection>,
    /// `--vtype` (MD from means and SDs).
    pub vtype: Option<MdVariance>,
    /// `--preset`.
    pub preset: Option<Preset>,
}

impl PoolSettings {
    /// Plain settings (no preset) for `measure` and `model`, everything else at the default.
    fn plain(measure: Measure, model: Model, method: CommonMethod, level: f64) -> PoolSettings {
        PoolSettings {
            measure,
            model,
            method,
            tau2: None,
            ci: None,
            level,
            zero_cell: None,
            smd_correction: None,
            vtype: None,
            preset: None,
        }
    }

    /// The configuration `repool pool` builds from these options: `repool pool`'s defaults
    /// (REML, z, 0.5 to tables with a zero, exact SMD correction, each arm's SD) where an
    /// option is `None`, then the preset's settings ([`Preset::apply`]; under `--preset
    /// revman5` DerSimonian–Laird, z, the Q-based I² and RevMan's SMD).
    pub fn config(&self) -> PoolConfig {
        let base = PoolConfig::metafor(self.measure)
            .model(self.model)
            .method(self.method)
            .tau2(self.tau2.unwrap_or(Tau2Method::REML))
            .ci(self.ci.unwrap_or(CiMethod::Z))
            .smd_correction(self.smd_correction.unwrap_or(SmdCorrection::Exact))
            .level(self.level)
            .zero_cell(self.zero_cell.unwrap_or_default())
            .md_variance(self.vtype.unwrap_or_default());
        match self.preset {
            Some(p) => p.apply(base),
            None => base,
        }
    }

    /// Pools `studies` as `repool pool` does with these options ([`preset::pool`]).
    pub fn pool(&self, studies: &[Study]) -> Result<PooledEstimate, PresetError> {
        preset::pool(self.preset, studies, &self.config())
    }
}

/// One combination of methods and how close it comes to a published result.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// What was computed, in English (the `label` of the JSON and CSV output), e.g.
    /// "random effects, τ² REML, hksj CI, 0.5 to tables with a zero".
    pub label: String,
    /// What was computed, to be written in the reader's language ([`Label::text`]).
    pub words: Label,
    /// The `repool pool` options that recompute it.
    pub options: PoolSettings,
    /// Recomputed estimate and CI on the display scale.
    pub values: (f64, f64, f64),
    /// Largest distance to the printed numbers, in half units of their last digit
    /// (≤ 1: reproduced within the printed precision).
    pub distance: f64,
    /// How rarely papers use this combination ([`preference`]; 0: metafor's defaults).
    pub preference: u32,
}

impl Candidate {
    /// Whether it reproduces the printed numbers within their precision (distance ≤ 1).
    pub fn reproduces(&self) -> bool {
        self.distance <= 1.0 + 1e-9
    }
}

/// Whether `s` is what `repool pool` (and metafor's `rma()`) computes without options:
/// random effects, REML, z CI, 0.5 added to tables with a zero, the exact SMD correction,
/// each arm's SD.
pub fn is_metafor_default(s: &PoolSettings) -> bool {
    s.preset.is_none()
        && s.model == Model::Random
        && s.method == CommonMethod::IV
        && s.tau2.unwrap_or(Tau2Method::REML) == Tau2Method::REML
        && s.ci.unwrap_or(CiMethod::Z) == CiMethod::Z
        && s.zero_cell.unwrap_or_default() == ZeroCellRule::default()
        && s.smd_correction.unwrap_or(SmdCorrection::Exact) == SmdCorrection::Exact
        && s.vtype.unwrap_or_default() == MdVariance::default()
}

/// How rarely published meta-analyses use a combination, lower first: metafor's defaults
/// (0); RevMan 5's defaults, Mantel–Haenszel common effect for 2×2 tables and inverse
/// variance otherwise (1); RevMan 5's other rules (2); then the plain combinations, the
/// common effect and REML or DerSimonian–Laird with a z CI first, then Paule–Mandel and
/// the HKSJ CI, non-default zero-cell rules, SMD corrections and MD variances last. Orders
/// the combinations that reproduce a published result equally well.
pub fn preference(s: &PoolSettings, binary: bool) -> u32 {
    if is_metafor_default(s) {
        return 0;
    }
    if s.preset == Some(Preset::Revman5) {
        let default_method = if binary {
            CommonMethod::MH
        } else {
            CommonMethod::IV
        };
        return if s.model == Model::Fixed && s.method == default_method {
            1
        } else {
            2
        };
    }
    let model = match (s.model, s.method) {
        (Model::Fixed, CommonMethod::IV | CommonMethod::MH) => 0,
        (Model::Fixed, CommonMethod::Peto) => 3,
        (Model::Random, _) => match s.tau2.unwrap_or(Tau2Method::REML) {
            Tau2Method::REML => 0,
            Tau2Method::DL => 1,
            Tau2Method::PM => 3,
            Tau2Method::ML | Tau2Method::SJ => 5,
            _ => 6,
        },
    };
    let ci = match s.ci.unwrap_or(CiMethod::Z) {
        CiMethod::Z => 0,
        CiMethod::Hksj => 2,
        _ => 4,
    };
    let zero = u32::from(s.zero_cell.unwrap_or_default() != ZeroCellRule::default()) * 3;
    let smd =
        u32::from(s.smd_correction.unwrap_or(SmdCorrection::Exact) != SmdCorrection::Exact) * 2;
    let md = u32::from(s.vtype.unwrap_or_default() != MdVariance::default()) * 2;
    10 + model + ci + zero + smd + md
}

/// Whether two recomputed results are the same numbers up to floating-point error (not
/// rounding): each of estimate and limits within 1e-10 relative.
fn same_numbers(a: (f64, f64, f64), b: (f64, f64, f64)) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-10 * x.abs().max(y.abs()).max(1e-300);
    close(a.0, b.0) && close(a.1, b.1) && close(a.2, b.2)
}

/// The combinations that give one result: the same estimate and CI up to floating-point
/// error ([`distinct_results`]).
#[derive(Debug, Clone)]
pub struct Distinct {
    /// The combinations, the one papers use most first ([`preference`]).
    pub members: Vec<Candidate>,
}

impl Distinct {
    /// The combination that stands for the others.
    pub fn first(&self) -> &Candidate {
        &self.members[0]
    }

    /// Whether one of the combinations is metafor's default.
    pub fn has_metafor_default(&self) -> bool {
        self.members.iter().any(|c| c.preference == 0)
    }
}

/// Each distinct result once: the candidates grouped by equal numbers (zero-cell rules on
/// tables without zero cells, every τ² estimator when τ² is 0, SMD corrections on
/// precomputed effects, …). The results that reproduce the printed numbers come first,
/// ordered by [`preference`] (ties within rounding go to the methods papers use most), then
/// the others, closest first (equal distances to 2 decimals again by [`preference`]).
pub fn distinct_results(found: Vec<Candidate>) -> Vec<Distinct> {
    let mut groups: Vec<Distinct> = Vec::new();
    for c in found {
        match groups
            .iter_mut()
            .find(|g| same_numbers(g.first().values, c.values))
        {
            Some(g) => g.members.push(c),
            None => groups.push(Distinct { members: vec![c] }),
        }
    }
    for g in &mut groups {
        g.members.sort_by(|a, b| {
            a.preference
                .cmp(&b.preference)
                .then_with(|| a.label.cmp(&b.label))
        });
    }
    groups.sort_by(|a, b| {
        let (a, b) = (a.first(), b.first());
        b.reproduces().cmp(&a.reproduces()).then_with(|| {
            if a.reproduces() {
                a.preference
                    .cmp(&b.preference)
                    .then_with(|| a.distance.total_cmp(&b.distance))
            } else {
                // Distances are printed with 2 decimals: equal as printed is a tie.
                let shown = |d: f64| (d * 100.0).round();
                shown(a.distance)
                    .total_cmp(&shown(b.distance))
                    .then_with(|| a.preference.cmp(&b.preference))
                    .then_with(|| a.distance.total_cmp(&b.distance))
            }
            .then_with(|| a.label.cmp(&b.label))
        })
    });
    groups
}

/// What the 2×2 tables of the data look like, as far as the zero-cell rules care.
#[derive(Debug, Clone, Copy, Default)]
struct Zeros {
    /// Some study has a 2×2 table.
    binary: bool,
    /// Some table has a zero cell.
    any: bool,
    /// Some table has no events (or only events) in both arms.
    double: bool,
}

fn tables(studies: &[Study]) -> Vec<Table> {
    studies
        .iter()
        .filter_map(|s| match s.data {
            StudyData::TwoByTwo {
                events_t,
                n_t,
                events_c,
                n_c,
            } => Some(Table::from_arms(events_t, n_t, events_c, n_c)),
            _ => None,
        })
        .collect()
}

fn zeros(tables: &[Table]) -> Zeros {
    Zeros {
        binary: !tables.is_empty(),
        any: tables.iter().any(Table::has_zero),
        double: tables.iter().any(Table::is_double_zero),
    }
}

/// The zero-cell rules that give different study effects, each with its label: for each
/// choice of dropping double-zero tables (only when there are some), "to tables with a zero"
/// and "to all tables", or one of them when they coincide.
fn zero_rules(tables: &[Table]) -> Vec<(Vec<Piece>, ZeroCellRule)> {
    let double = tables.iter().any(Table::is_double_zero);
    let mut out = Vec::new();
    for drop in [false, true] {
        if drop && !double {
            continue;
        }
        let rule = |to| ZeroCellRule {
            add: 0.5,
            to,
            drop_double_zero: drop,
        };
        let with = |p: Piece| {
            let mut v = vec![p];
            if drop {
                v.push(Piece::DoubleZeroDropped);
            }
            v
        };
        let kept: Vec<&Table> = tables
            .iter()
            .filter(|t| !(drop && t.is_double_zero()))
            .collect();
        let with_zero = kept.iter().filter(|t| t.has_zero()).count();
        if with_zero == 0 {
            out.push((with(Piece::NoCorrection), rule(CcTo::Only0)));
            out.push((with(Piece::HalfToAll), rule(CcTo::All)));
        } else if with_zero == kept.len() {
            out.push((with(Piece::HalfToAllEachZero), rule(CcTo::Only0)));
        } else {
            out.push((with(Piece::HalfToZero), rule(CcTo::Only0)));
            out.push((with(Piece::HalfToAll), rule(CcTo::All)));
        }
    }
    out
}

/// The effect-size choices for continuous data: both SMD corrections, or both MD variances
/// when the MD comes from means and SDs.
type ContinuousRule = (Option<Piece>, Option<SmdCorrection>, Option<MdVariance>);

fn continuous_rules(studies: &[Study], measure: Measure) -> Vec<ContinuousRule> {
    let md_from_sds = measure == Measure::MeanDifference
        && studies
            .iter()
            .any(|s| matches!(s.data, StudyData::MeanSd { .. }));
    if measure == Measure::StandardizedMeanDifference {
        vec![
            (Some(Piece::ExactHedges), Some(SmdCorrection::Exact), None),
            (
                Some(Piece::ApproximateCorrection),
                Some(SmdCorrection::Approx),
                None,
            ),
        ]
    } else if md_from_sds {
        vec![
            (Some(Piece::OwnSd), None, Some(MdVariance::Unequal)),
            (Some(Piece::PooledSd), None, Some(MdVariance::Pooled)),
        ]
    } else {
        vec![(None, None, None)]
    }
}

/// Common-effect IV and random-effects combinations under every effect-size rule, and
/// Mantel–Haenszel and Peto once each.
fn plain_settings(studies: &[Study], measure: Measure, level: f64) -> Vec<(Label, PoolSettings)> {
    let tables = tables(studies);
    let z = zeros(&tables);
    let zero: Vec<(Vec<Piece>, Option<ZeroCellRule>)> = if z.binary {
        zero_rules(&tables)
            .into_iter()
            .map(|(l, r)| (l, Some(r)))
            .collect()
    } else {
        vec![(Vec::new(), None)]
    };
    let mut out = Vec::new();
    for (zl, zr) in &zero {
        for (cl, smd, vtype) in continuous_rules(studies, measure) {
            let extra: Vec<Piece> = zl.iter().cloned().chain(cl).collect();
            let base = |model| PoolSettings {
                zero_cell: *zr,
                smd_correction: smd,
                vtype,
                ..PoolSettings::plain(measure, model, CommonMethod::IV, level)
            };
            out.push((
                Label::new(vec![Piece::CommonEffect, Piece::Method(CommonMethod::IV)])
                    .with(extra.clone()),
                base(Model::Fixed),
            ));
            for t in Tau2Method::ALL {
                for ci in [CiMethod::Z, CiMethod::Hksj, CiMethod::HksjAdhoc] {
                    out.push((
                        Label::new(vec![
                            Piece::RandomEffects,
                            Piece::Tau2(t.code().into()),
                            Piece::Ci(ci.code()),
                        ])
                        .with(extra.clone()),
                        PoolSettings {
                            tau2: Some(t),
                            ci: Some(ci),
                            ..base(Model::Random)
                        },
                    ));
                }
            }
        }
    }
    for m in mh_peto_methods(z, measure) {
        let mut label = vec![Piece::CommonEffect, Piece::Method(m)];
        if z.any {
            label.push(Piece::Uncorrected);
        }
        out.push((
            Label::new(label),
            PoolSettings::plain(measure, Model::Fixed, m, level),
        ));
    }
    out
}

/// MH for RR, OR and RD, Peto for the OR, from 2×2 tables.
fn mh_peto_methods(z: Zeros, measure: Measure) -> Vec<CommonMethod> {
    match (z.binary, measure) {
        (true, Measure::LogOddsRatio) => vec![CommonMethod::MH, CommonMethod::Peto],
        (true, Measure::LogRiskRatio | Measure::RiskDifference) => vec![CommonMethod::MH],
        _ => vec![],
    }
}

/// RevMan 5's rules: MH, IV (and Peto for the OR) for 2×2 tables, IV otherwise; common and
/// random effects.
fn revman_settings(measure: Measure, z: Zeros) -> Vec<PoolSettings> {
    let mut methods = vec![CommonMethod::IV];
    methods.extend(mh_peto_methods(z, measure));
    let mut out = Vec::new();
    for m in methods {
        for model in [Model::Fixed, Model::Random] {
            out.push(PoolSettings {
                preset: Some(Preset::Revman5),
                ..PoolSettings::plain(measure, model, m, 0.95)
            });
        }
    }
    out
}

/// What RevMan 5's rules compute, in words.
fn revman_label(s: &PoolSettings, z: Zeros) -> Label {
    let mut label = match s.model {
        Model::Fixed => vec![
            Piece::RevmanRules,
            Piece::CommonEffect,
            Piece::Method(s.method),
        ],
        Model::Random => vec![
            Piece::RevmanRules,
            Piece::RandomEffects,
            Piece::RevmanTau2(s.method),
            Piece::Ci(CiMethod::Z.code()),
        ],
    };
    let rd = s.measure == Measure::RiskDifference;
    if z.binary && s.method != CommonMethod::Peto {
        if z.any {
            label.push(Piece::RevmanHalf);
            if s.method == CommonMethod::MH {
                label.push(Piece::AlsoMh);
            }
            if rd {
                label.push(Piece::RdRaw);
            }
        }
        if z.double && !rd {
            label.push(Piece::DoubleZeroNotEstimable);
        }
    }
    if s.measure == Measure::StandardizedMeanDifference {
        label.push(Piece::ApproximateCorrection);
    }
    Label::new(label)
}

/// The plain `repool pool` settings that compute the same estimate and CI as RevMan 5's
/// rules `s`, when that follows from the rules (`pool::revman5`) without computing:
/// - Peto, common effect: RevMan's Peto is metafor's (tables without events or non-events
///   add 0 to Σ(O − E) and ΣV);
/// - Mantel–Haenszel, common effect, RR or OR without zero cells: the same sums on the same
///   tables (RevMan's correction applies only to tables with a zero; its RD variance differs);
/// - inverse variance: RevMan's study effects are metafor's with 0.5 added to tables with a
///   zero and double-zero tables dropped for RR and OR, for the RD only without zero cells
///   (RevMan's RD uses the raw counts); each arm's SD for the MD; the approximate SMD
///   correction; and its random effects are DerSimonian–Laird with a z CI.
///
/// `None` for the other rules (MH and Peto with random effects, the MH RD).
fn revman_twin(s: &PoolSettings, z: Zeros, md_from_sds: bool) -> Option<PoolSettings> {
    let plain = PoolSettings::plain(s.measure, s.model, s.method, s.level);
    match (s.method, s.model) {
        (CommonMethod::Peto, Model::Fixed) => Some(plain),
        (CommonMethod::MH, Model::Fixed) => {
            (matches!(s.measure, Measure::LogRiskRatio | Measure::LogOddsRatio) && !z.any)
                .then_some(plain)
        }
        (CommonMethod::IV, model) => {
            let ratio2x2 = matches!(s.measure, Measure::LogRiskRatio | Measure::LogOddsRatio);
            if z.binary && !ratio2x2 && z.any {
                return None;
            }
            let zero_cell = z.binary.then_some(ZeroCellRule {
                add: 0.5,
                to: CcTo::Only0,
                drop_double_zero: ratio2x2 && z.double,
            });
            let random = model == Model::Random;
            Some(PoolSettings {
                zero_cell,
                tau2: random.then_some(Tau2Method::DL),
                ci: random.then_some(CiMethod::Z),
                smd_correction: (s.measure == Measure::StandardizedMeanDifference)
                    .then_some(SmdCorrection::Approx),
                vtype: md_from_sds.then_some(MdVariance::Unequal),
                ..plain
            })
        }
        _ => None,
    }
}

/// Searches the space of methods for the combinations that reproduce a printed estimate
/// and CI (display scale), closest first. RevMan 5's rules are tried at the 95% level only
/// (RevMan's CIs are 95%).
pub fn search_methods(
    studies: &[Study],
    measure: Measure,
    printed: (Reported, Reported, Reported),
    level: f64,
) -> Vec<Candidate> {
    let d = |x: f64| if measure.is_ratio() { x.exp() } else { x };
    let distance = |v: (f64, f64, f64)| {
        [(v.0, &printed.0), (v.1, &printed.1), (v.2, &printed.2)]
            .iter()
            .map(|(x, p)| (x - p.value).abs() / p.half_unit())
            .fold(0.0, f64::max)
    };
    let binary = zeros(&tables(studies)).binary;
    let candidate = |words: Label, options: PoolSettings| {
        let r = options.pool(studies).ok()?;
        let values = (d(r.estimate), d(r.ci_low), d(r.ci_high));
        Some(Candidate {
            label: words.text(Lang::En),
            words,
            preference: preference(&options, binary),
            options,
            values,
            distance: distance(values),
        })
    };
    let mut out: Vec<Candidate> = plain_settings(studies, measure, level)
        .into_iter()
        .filter_map(|(label, s)| candidate(label, s))
        .collect();
    if (level - 0.95).abs() < 1e-12 {
        let z = zeros(&tables(studies));
        let md_from_sds = continuous_rules(studies, measure)
            .iter()
            .any(|r| r.2.is_some());
        for s in revman_settings(measure, z) {
            let twin = revman_twin(&s, z, md_from_sds)
                .and_then(|t| out.iter_mut().find(|c| c.options == t));
            match twin {
                Some(c) => {
                    c.words.pieces.push(Piece::RevmanSame);
                    c.label = c.words.text(Lang::En);
                    c.preference = c.preference.min(preference(&s, binary));
                }
                None => out.extend(candidate(revman_label(&s, z), s)),
            }
        }
    }
    out.sort_by(|a, b| {
        a.distance
            .total_cmp(&b.distance)
            .then_with(|| a.label.cmp(&b.label))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(a: f64, n1: f64, c: f64, n2: f64) -> Study {
        Study::new(
            format!("{a}/{n1} {c}/{n2}"),
            StudyData::TwoByTwo {
                events_t: a,
                n_t: n1,
                events_c: c,
                n_c: n2,
            },
        )
    }

    /// Every twin RevMan 5 rule gives the estimate and CI of its plain settings, on tables
    /// with zero cells, a double zero, and without zeros; for every measure of 2×2 data.
    #[test]
    fn revman_twins_compute_the_same() {
        let with_zeros = vec![
            table(0.0, 20.0, 3.0, 21.0),
            table(0.0, 15.0, 0.0, 14.0),
            table(4.0, 30.0, 9.0, 31.0),
            table(7.0, 40.0, 12.0, 38.0),
            table(2.0, 25.0, 6.0, 22.0),
        ];
        let without: Vec<Study> = with_zeros.iter().skip(2).cloned().collect();
        let mut twins = 0;
        for studies in [&with_zeros, &without] {
            let z = zeros(&tables(studies));
            for m in [
                Measure::LogRiskRatio,
                Measure::LogOddsRatio,
                Measure::RiskDifference,
            ] {
                for s in revman_settings(m, z) {
                    let Some(t) = revman_twin(&s, z, false) else {
                        continue;
                    };
                    twins += 1;
                    let (a, b) = (s.pool(studies).unwrap(), t.pool(studies).unwrap());
                    for (x, y) in [
                        (a.estimate, b.estimate),
                        (a.ci_low, b.ci_low),
                        (a.ci_high, b.ci_high),
                    ] {
                        assert!(
                            (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                            "{s:?}: {x} vs {y}"
                        );
                    }
                }
            }
        }
        // Without zeros: IV fixed and random for 3 measures, Peto, MH for RR and OR; with
        // zeros: IV fixed and random for RR and OR, Peto.
        assert_eq!(twins, 9 + 5);
    }

    #[test]
    fn zero_rules_are_offered_once_per_distinct_computation() {
        let some = [
            Table::from_arms(0.0, 10.0, 2.0, 10.0),
            Table::from_arms(1.0, 10.0, 2.0, 10.0),
        ];
        let labels = |t: &[Table]| -> Vec<String> {
            zero_rules(t)
                .into_iter()
                .map(|(l, _)| Label::new(l).text(Lang::En))
                .collect()
        };
        assert_eq!(
            labels(&some),
            ["0.5 to tables with a zero", "0.5 to all tables"]
        );
        assert_eq!(
            labels(&some[1..]),
            [
                "no continuity correction (no table has a zero cell)",
                "0.5 to all tables"
            ]
        );
        assert_eq!(
            labels(&some[..1]),
            ["0.5 to all tables (each has a zero cell)"]
        );
        let double = [some[1], Table::from_arms(0.0, 10.0, 0.0, 10.0)];
        assert_eq!(
            labels(&double),
            [
                "0.5 to tables with a zero",
                "0.5 to all tables",
                "no continuity correction (no table has a zero cell), double-zero tables dropped",
                "0.5 to all tables, double-zero tables dropped"
            ]
        );
    }

    fn effect(yi: f64, vi: f64) -> Study {
        Study::new(format!("{yi}/{vi}"), StudyData::Effect { yi, vi })
    }

    fn printed(x: f64, lo: f64, hi: f64) -> (Reported, Reported, Reported) {
        (
            Reported::new(x, 2),
            Reported::new(lo, 2),
            Reported::new(hi, 2),
        )
    }

    /// When τ² comes out as 0, every estimator with the z CI gives the common-effect result:
    /// one row, metafor's default (REML) first, naming the others.
    #[test]
    fn tau2_estimators_that_give_zero_are_one_result() {
        let studies: Vec<Study> = [0.1, 0.12, 0.09, 0.11, 0.1]
            .iter()
            .map(|&y| effect(y, 0.04))
            .collect();
        let found = search_methods(
            &studies,
            Measure::MeanDifference,
            printed(0.10, -0.07, 0.28),
            0.95,
        );
        let n = found.len();
        let groups = distinct_results(found);
        assert!(groups.len() < n);
        let total: usize = groups.iter().map(|g| g.members.len()).sum();
        assert_eq!(total, n);
        let g = groups
            .iter()
            .find(|g| g.has_metafor_default())
            .expect("metafor's default");
        assert_eq!(g.first().preference, 0);
        assert_eq!(g.first().label, "random effects, τ² REML, z CI");
        let labels: Vec<&str> = g.members.iter().map(|c| c.label.as_str()).collect();
        for want in [
            "common effect, inverse variance",
            "random effects, τ² DL, z CI",
            "random effects, τ² PM, z CI",
        ] {
            assert!(labels.iter().any(|l| l.starts_with(want)), "{labels:?}");
        }
        // The rows that reproduce come first, metafor's default leading them.
        assert!(groups[0].first().reproduces());
        assert!(groups[0].has_metafor_default());
        // No two groups give the same numbers.
        for (i, a) in groups.iter().enumerate() {
            for b in &groups[..i] {
                assert!(!same_numbers(a.first().values, b.first().values));
            }
        }
    }

    /// Both SMD corrections on precomputed effects give the same numbers: one row.
    #[test]
    fn smd_corrections_on_precomputed_effects_are_one_result() {
        let studies: Vec<Study> = [(-0.3, 0.02), (-0.5, 0.03), (-0.1, 0.05), (-0.6, 0.04)]
            .iter()
            .map(|&(y, v)| effect(y, v))
            .collect();
        let found = search_methods(
            &studies,
            Measure::StandardizedMeanDifference,
            printed(-0.38, -0.55, -0.21),
            0.95,
        );
        let n = found.len();
        let groups = distinct_results(found);
        assert!(groups.len() < n);
        // Each plain combination with the exact correction has its twin with RevMan's
        // approximate one in the same row.
        for g in &groups {
            let plain = |c: SmdCorrection| {
                g.members
                    .iter()
                    .filter(|m| m.options.preset.is_none() && m.options.smd_correction == Some(c))
                    .count()
            };
            assert_eq!(plain(SmdCorrection::Exact), plain(SmdCorrection::Approx));
        }
    }

    /// The ranking of methods: metafor's defaults, RevMan 5's defaults, its other rules, then
    /// the common choices before the rare ones.
    #[test]
    fn preference_puts_the_defaults_first() {
        let m = Measure::LogOddsRatio;
        let plain = |model, method| PoolSettings::plain(m, model, method, 0.95);
        let random = |t, ci| PoolSettings {
            tau2: Some(t),
            ci: Some(ci),
            ..plain(Model::Random, CommonMethod::IV)
        };
        let revman = |model, method| PoolSettings {
            preset: Some(Preset::Revman5),
            ..plain(model, method)
        };
        let order = [
            preference(&random(Tau2Method::REML, CiMethod::Z), true),
            preference(&revman(Model::Fixed, CommonMethod::MH), true),
            preference(&revman(Model::Random, CommonMethod::IV), true),
            preference(&plain(Model::Fixed, CommonMethod::IV), true),
            preference(&random(Tau2Method::DL, CiMethod::Z), true),
            preference(&random(Tau2Method::PM, CiMethod::Hksj), true),
            preference(&random(Tau2Method::HS, CiMethod::HksjAdhoc), true),
        ];
        assert_eq!(order[..3], [0, 1, 2]);
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
        assert_eq!(
            preference(&revman(Model::Fixed, CommonMethod::IV), false),
            1
        );
    }
}
