//! The same data pooled under the defaults of other programs, side by side, with each
//! setting that differs from metafor's named: the answer to "why does my result differ from
//! RevMan's?".
//!
//! # The programs and their defaults
//! | program | model by default | common effect (2×2 data) | τ² | CI | PI | I² | zero cells | SMD |
//! |---|---|---|---|---|---|---|---|---|
//! | metafor 4 `rma()` | random | IV (`method = "EE"`) | REML | z | z | from τ² | +½ to tables with a 0; double zeros kept | exact Hedges' g |
//! | R meta ≥ 7 (`metabin`, `metacont`, `metagen`) | common and random | MH | REML | z (`classic`) | not shown | from Q | +½ to tables with a 0, also in the MH sums (`MH.exact = FALSE`); double zeros excluded | approximate (RevMan's formula) |
//! | RevMan 5 | common | MH | DL from the MH-based Q | z | not shown | from Q | RevMan 5's rules ([`crate::pool::revman5`]) | approximate |
//! | RevMan Web (2025) | random | MH | REML | HKSJ | t(k − 1) | from τ² | RevMan's rules | approximate |
//! | Stata `metan` | common | MH | DL (`random`) | z | not shown | from Q | as RevMan 5 | Cohen's d (not computed here) |
//!
//! Each row is computed by repool's own estimators with those settings: rows under
//! RevMan 5's rules use [`crate::pool::revman5::pool`] (verified against 1,112 results in
//! published Cochrane reviews); the others [`crate::pool()`]. What a row cannot reproduce
//! exactly is said in its `caveats`.
//!
//! # References
//! - Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat
//!   Softw 36(3):1–48; metafor `rma()` documentation.
//! - Balduzzi S, Rücker G, Schwarzer G (2019). How to perform a meta-analysis with R: a
//!   practical tutorial. Evid Based Ment Health 22:153–160; meta `settings.meta()` (version
//!   7: REML, `method.random.ci = "classic"`, `method.I2 = "Q"`, `prediction = FALSE`).
//! - Deeks JJ, Higgins JPT (2010). Statistical algorithms in Review Manager 5.
//! - Cochrane Methods (2025). Random-effects meta-analysis methods in RevMan: REML,
//!   Q-profile CI of τ², HKSJ, prediction intervals, I² from τ².
//! - Harris RJ et al. (2008). metan: fixed- and random-effects meta-analysis. Stata J
//!   8:3–28 (defaults: fixed effect, MH for binary data, `random` = DerSimonian–Laird,
//!   `cohen` for the SMD).

use crate::effect::{CcTo, SmdCorrection, StudyData, ZeroCellRule};
use crate::format::Lang;
use crate::i18n::{fill, text};
use crate::pool::{
    CiMethod, CommonMethod, I2Method, Model, PiMethod, PoolConfig, PooledEstimate, Tau2Method,
};
use crate::{Measure, Study};

/// The settings one program uses for one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    /// The program, e.g. "RevMan 5".
    pub program: &'static str,
    /// The call or menu choice that gives this row.
    pub call: String,
    /// True when this is the model the program fits by default.
    pub default: bool,
    /// Common or random effects.
    pub model: Model,
    /// Common-effect method (MH for 2×2 data where the program uses it).
    pub method: CommonMethod,
    /// τ² estimator (random effects).
    pub tau2: Option<Tau2Method>,
    /// CI method.
    pub ci: CiMethod,
    /// Prediction interval, when the program shows one by default.
    pub pi: Option<PiMethod>,
    /// I² definition.
    pub i2: I2Method,
    /// Zero-cell handling, in words.
    pub zero_cells: &'static str,
    /// SMD correction.
    pub smd: SmdCorrection,
    /// Pooled with RevMan 5's rules.
    pub revman5: bool,
    /// Double-zero tables excluded.
    pub drop_double_zero: bool,
}

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The program's settings.
    pub setup: Setup,
    /// The pool, or why it cannot be computed.
    pub result: Result<PooledEstimate, CompareError>,
    /// Settings that differ from the reference row (metafor's default), as
    /// `"setting: this row's value (metafor: value)"`.
    pub differences: Vec<String>,
    /// What this row may not reproduce exactly.
    pub caveats: Vec<String>,
}

impl Setup {
    /// The model as `repool compare` writes it: `common` or `random`.
    pub fn model_code(&self) -> &'static str {
        match self.model {
            Model::Fixed => "common",
            Model::Random => "random",
        }
    }
}

/// Why one program's row cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CompareError {
    /// Stata metan's default SMD (Cohen's d) is not computed by repool.
    #[error("metan's default SMD is Cohen's d (no small-sample correction), which repool does not compute; compare with metan's 'hedges' option instead")]
    CohensD,
    /// The pool failed.
    #[error(transparent)]
    Pool(#[from] crate::pool::PoolError),
    /// RevMan 5's rules could not pool the data.
    #[error(transparent)]
    Revman5(#[from] crate::pool::revman5::RevmanPoolError),
}

impl Row {
    /// The pool, when it could be computed.
    pub fn pooled(&self) -> Option<&PooledEstimate> {
        self.result.as_ref().ok()
    }

    /// Why the pool could not be computed.
    pub fn error(&self) -> Option<&CompareError> {
        self.result.as_ref().err()
    }

    /// The prediction interval the program shows (analysis scale): the pool's, when the
    /// setup shows one by default ([`Setup::pi`]).
    pub fn prediction_interval(&self) -> Option<(f64, f64)> {
        self.pooled()
            .and_then(|p| if self.setup.pi.is_some() { p.pi } else { None })
    }
}

fn binary(studies: &[Study]) -> bool {
    !studies.is_empty()
        && studies
            .iter()
            .all(|s| matches!(s.data, StudyData::TwoByTwo { .. }))
}

/// The setups compared for data of this kind: metafor's default first (the reference), then
/// R meta, RevMan 5, RevMan Web and Stata metan, each with its default model first or second
/// as the program offers them (see the table in the module documentation).
pub fn setups(measure: Measure, binary: bool) -> Vec<Setup> {
    // The common-effect method of the programs that use Mantel–Haenszel for 2×2 data.
    let mh = if binary && measure != Measure::LogHazardRatio {
        CommonMethod::MH
    } else {
        CommonMethod::IV
    };
    let mut setups = metafor_setups();
    setups.extend(r_meta_setups(meta_function(measure, binary), mh));
    setups.extend(revman5_setups(mh));
    setups.extend(revman_web_setups(mh));
    setups.extend(stata_metan_setups(mh));
    setups
}

/// metafor's zero-cell rule (`escalc()`'s `add = 1/2, to = "only0", drop00 = FALSE`).
const METAFOR_ZERO: &str = "+0.5 to tables with a zero; double zeros kept";
/// R meta's zero-cell rule (`incr = 0.5`, `MH.exact = FALSE`, `allstudies = FALSE`).
const META_ZERO: &str = "+0.5 to tables with a zero (also in MH sums); double zeros excluded";
/// RevMan 5's zero-cell rule ([`crate::pool::revman5`]), also Stata metan's.
const REVMAN_ZERO: &str = "RevMan 5 rules: +0.5 to tables with a zero; double zeros not estimable";

/// metafor 4: `rma()` by default (random effects, REML, z CI, prediction interval, I² from
/// τ², exact Hedges' g), and the common-effect `method = "EE"`.
///
/// Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat
/// Softw 36(3):1–48; metafor `rma()` documentation.
fn metafor_setups() -> Vec<Setup> {
    let random = Setup {
        program: "metafor",
        call: String::from("rma(yi, vi)"),
        default: true,
        model: Model::Random,
        method: CommonMethod::IV,
        tau2: Some(Tau2Method::REML),
        ci: CiMethod::Z,
        pi: Some(PiMethod::Metafor),
        i2: I2Method::Tau2,
        zero_cells: METAFOR_ZERO,
        smd: SmdCorrection::Exact,
        revman5: false,
        drop_double_zero: false,
    };
    let common = Setup {
        call: String::from("rma(yi, vi, method = \"EE\")"),
        default: false,
        model: Model::Fixed,
        tau2: None,
        pi: None,
        i2: I2Method::Q,
        ..random.clone()
    };
    vec![random, common]
}

/// The R meta function for data of this kind: `metabin()` for 2×2 tables, `metacont()` for
/// means and SDs, `metagen()` for the rest.
fn meta_function(measure: Measure, binary: bool) -> &'static str {
    match (binary, measure) {
        (true, _) => "metabin()",
        (false, Measure::MeanDifference | Measure::StandardizedMeanDifference) => "metacont()",
        _ => "metagen()",
    }
}

/// R meta ≥ 7: common and random effects both by default; MH for 2×2 data (that row pooled
/// with RevMan 5's rules), REML with the classic z CI, no prediction
/// interval, I² from Q, RevMan's approximate SMD.
///
/// Balduzzi S, Rücker G, Schwarzer G (2019). How to perform a meta-analysis with R: a
/// practical tutorial. Evid Based Ment Health 22:153–160; meta `settings.meta()` (version 7:
/// REML, `method.random.ci = "classic"`, `method.I2 = "Q"`, `prediction = FALSE`).
fn r_meta_setups(meta_fn: &'static str, mh: CommonMethod) -> Vec<Setup> {
    let common = Setup {
        program: "R meta",
        call: String::from(meta_fn),
        default: true,
        model: Model::Fixed,
        method: mh,
        tau2: None,
        ci: CiMethod::Z,
        pi: None,
        i2: I2Method::Q,
        zero_cells: META_ZERO,
        smd: SmdCorrection::Approx,
        revman5: mh == CommonMethod::MH,
        drop_double_zero: true,
    };
    let random = Setup {
        model: Model::Random,
        method: CommonMethod::IV,
        tau2: Some(Tau2Method::REML),
        revman5: false,
        ..common.clone()
    };
    vec![common, random]
}

/// RevMan 5: common effect by default, MH for 2×2 data; random effects by DerSimonian–Laird
/// from the MH-based Q; z CI, I² from Q, all under RevMan 5's rules.
///
/// Deeks JJ, Higgins JPT (2010). Statistical algorithms in Review Manager 5.
fn revman5_setups(mh: CommonMethod) -> Vec<Setup> {
    let common = revman_common("RevMan 5", "fixed effect", true, mh);
    let random = Setup {
        call: String::from("random effects"),
        default: false,
        model: Model::Random,
        tau2: Some(Tau2Method::DL),
        ..common.clone()
    };
    vec![common, random]
}

/// RevMan Web (2025): random effects by default, by REML with the HKSJ CI, a prediction
/// interval on t(k − 1) and I² from τ²; its common-effect model as RevMan 5's.
///
/// Cochrane Methods (2025). Random-effects meta-analysis methods in RevMan: REML, Q-profile
/// CI of τ², HKSJ, prediction intervals, I² from τ².
fn revman_web_setups(mh: CommonMethod) -> Vec<Setup> {
    let common = revman_common("RevMan Web (2025)", "fixed effect", false, mh);
    let random = Setup {
        call: String::from("random effects"),
        default: true,
        model: Model::Random,
        method: CommonMethod::IV,
        tau2: Some(Tau2Method::REML),
        ci: CiMethod::Hksj,
        pi: Some(PiMethod::Metafor),
        i2: I2Method::Tau2,
        revman5: false,
        ..common.clone()
    };
    vec![common, random]
}

/// Stata `metan`: common effect by default (MH for binary data), `random` by
/// DerSimonian–Laird; pooled as RevMan 5 pools. Its SMD is Cohen's d, which is not computed
/// here (RevMan's approximate Hedges' g is used).
///
/// Harris RJ et al. (2008). metan: fixed- and random-effects meta-analysis. Stata J 8:3–28.
fn stata_metan_setups(mh: CommonMethod) -> Vec<Setup> {
    let common = revman_common("Stata metan", "metan (default)", true, mh);
    let random = Setup {
        call: String::from("metan, random"),
        default: false,
        model: Model::Random,
        tau2: Some(Tau2Method::DL),
        ..common.clone()
    };
    vec![common, random]
}

/// A common-effect setup under RevMan 5's rules: MH for 2×2 data, z CI, I² from Q, no
/// prediction interval, approximate SMD.
fn revman_common(program: &'static str, call: &str, default: bool, mh: CommonMethod) -> Setup {
    Setup {
        program,
        call: String::from(call),
        default,
        model: Model::Fixed,
        method: mh,
        tau2: None,
        ci: CiMethod::Z,
        pi: None,
        i2: I2Method::Q,
        zero_cells: REVMAN_ZERO,
        smd: SmdCorrection::Approx,
        revman5: true,
        drop_double_zero: true,
    }
}

/// The named settings of a setup, for listing differences; the zero-cell rule only when
/// the data have a table with a zero cell (`zeros`).
pub fn settings(s: &Setup, measure: Measure, zeros: bool) -> Vec<(&'static str, String)> {
    settings_in(Lang::En, s, measure, zeros)
        .into_iter()
        .map(|(_, name, value)| (name, value))
        .collect()
}

/// A setting's value in `lang`.
fn value(lang: Lang, key: &str) -> String {
    match key {
        "model.common" => text(lang, "compare.value.common_effect"),
        "model.random" => text(lang, "compare.value.random_effects"),
        "method.iv" => text(lang, "compare.value.inverse_variance"),
        "pi.none" => text(lang, "compare.value.not_shown"),
        "i2.tau2" => text(lang, "compare.value.i2_from_tau2"),
        "i2.q" => text(lang, "compare.value.i2_from_q"),
        "smd.exact" => text(lang, "compare.value.smd_exact"),
        "smd.approx" => text(lang, "compare.value.smd_approx"),
        METAFOR_ZERO => text(lang, "compare.value.zero_metafor"),
        META_ZERO => text(lang, "compare.value.zero_meta"),
        REVMAN_ZERO => text(lang, "compare.value.zero_revman"),
        other => other,
    }
    .to_string()
}

/// [`settings`] in `lang`: `(setting, its name, its value)`.
pub fn settings_in(
    lang: Lang,
    s: &Setup,
    measure: Measure,
    zeros: bool,
) -> Vec<(&'static str, &'static str, String)> {
    let pi = match (s.pi, s.ci) {
        (None, _) => value(lang, "pi.none"),
        (Some(PiMethod::Higgins), _) => "t(k - 2)".into(),
        (Some(PiMethod::Metafor), CiMethod::Z) => "z".into(),
        (Some(PiMethod::Metafor), _) => "t(k - 1)".into(),
    };
    let model = match s.model {
        Model::Fixed => value(lang, "model.common"),
        Model::Random => value(lang, "model.random"),
    };
    let method = match s.method {
        CommonMethod::IV => value(lang, "method.iv"),
        CommonMethod::MH => "Mantel-Haenszel".into(),
        CommonMethod::Peto => "Peto".into(),
    };
    let tau2 = s.tau2.map_or("-".into(), |t| {
        if s.revman5 && s.method == CommonMethod::MH {
            fill(lang, "compare.value.tau2_mh", &[("method", &t.to_string())])
        } else {
            t.to_string()
        }
    });
    let ci = match s.ci {
        CiMethod::Z => "z".to_string(),
        CiMethod::Hksj => "HKSJ, t(k - 1)".into(),
        CiMethod::HksjAdhoc => "HKSJ ad hoc".into(),
    };
    let i2 = match s.i2 {
        I2Method::Tau2 => value(lang, "i2.tau2"),
        I2Method::Q => value(lang, "i2.q"),
    };
    let mut v = vec![
        ("model", text(lang, "compare.setting.model"), model),
        ("method", text(lang, "compare.setting.method"), method),
        ("tau2", "tau2", tau2),
        ("ci", "ci", ci),
        ("pi", text(lang, "compare.setting.prediction_interval"), pi),
        ("i2", "I2", i2),
    ];
    if zeros && (measure.is_ratio() || measure == Measure::RiskDifference) {
        v.push((
            "zeros",
            text(lang, "compare.setting.zero_cells"),
            value(lang, s.zero_cells),
        ));
    }
    if measure == Measure::StandardizedMeanDifference {
        let smd = match s.smd {
            SmdCorrection::Exact => value(lang, "smd.exact"),
            SmdCorrection::Approx => value(lang, "smd.approx"),
        };
        v.push(("smd", "SMD", smd));
    }
    if s.model == Model::Fixed {
        v.retain(|(k, _, _)| *k != "tau2" && *k != "pi");
    }
    v
}

/// The settings of `setup` that differ from those of `reference` (metafor's default), in
/// `lang`: "setting: this row's value (metafor: value)".
pub fn differences_in(
    lang: Lang,
    setup: &Setup,
    reference: &Setup,
    measure: Measure,
    zeros: bool,
) -> Vec<String> {
    let reference = settings_in(lang, reference, measure, zeros);
    settings_in(lang, setup, measure, zeros)
        .iter()
        .filter_map(|(k, name, v)| {
            let r = reference
                .iter()
                .find(|(rk, _, _)| rk == k)
                .map(|(_, _, rv)| rv.as_str());
            match r {
                Some(rv) if rv != v => Some(fill(
                    lang,
                    "compare.difference",
                    &[("setting", name), ("value", v), ("reference", rv)],
                )),
                None => Some(format!("{name}: {v}")),
                _ => None,
            }
        })
        .collect()
}

/// What a row may not reproduce exactly, in `lang`.
pub fn caveats_in(lang: Lang, setup: &Setup, level: f64) -> Vec<String> {
    let mut caveats = Vec::new();
    if setup.revman5 && (level - 0.95).abs() > 1e-12 {
        caveats.push(text(lang, "compare.caveat.revman_level").to_string());
    }
    if setup.program == "R meta" && setup.model == Model::Fixed && setup.method == CommonMethod::MH
    {
        caveats.push(text(lang, "compare.caveat.meta_q").to_string());
    }
    if setup.program == "Stata metan" {
        caveats.push(text(lang, "compare.caveat.metan_zeros").to_string());
    }
    if setup.program == "RevMan Web (2025)" && setup.model == Model::Random {
        caveats.push(text(lang, "compare.caveat.revman_web_pi").to_string());
    }
    caveats
}

/// Whether some study's 2×2 table has a zero cell (or only events in an arm).
pub fn has_zero_cells(studies: &[Study]) -> bool {
    studies.iter().any(|s| match s.data {
        StudyData::TwoByTwo {
            events_t,
            n_t,
            events_c,
            n_c,
        } => events_t == 0.0 || events_c == 0.0 || events_t == n_t || events_c == n_c,
        _ => false,
    })
}

/// Pools `studies` (effect `measure`, confidence `level`) under every setup of
/// [`setups`]; the first row, metafor's default, is the reference for the differences.
pub fn compare(studies: &[Study], measure: Measure, level: f64) -> Vec<Row> {
    let is_binary = binary(studies);
    let zeros = has_zero_cells(studies);
    let all = setups(measure, is_binary);
    let reference = all[0].clone();
    all.into_iter()
        .map(|setup| {
            let result = if setup.program == "Stata metan"
                && measure == Measure::StandardizedMeanDifference
            {
                Err(CompareError::CohensD)
            } else if setup.revman5 {
                crate::pool::revman5::pool(studies, measure, setup.method, setup.model)
                    .map_err(CompareError::from)
            } else {
                let config = PoolConfig::metafor(measure)
                    .model(setup.model)
                    .method(setup.method)
                    .tau2(setup.tau2.unwrap_or(Tau2Method::REML))
                    .ci(setup.ci)
                    .level(level)
                    .pi(setup.pi.unwrap_or(PiMethod::Metafor))
                    .i2(setup.i2)
                    .zero_cell(ZeroCellRule {
                        add: 0.5,
                        to: CcTo::Only0,
                        drop_double_zero: setup.drop_double_zero,
                    })
                    .smd_correction(setup.smd)
                    .md_variance(crate::effect::MdVariance::Unequal);
                crate::pool(studies, &config).map_err(CompareError::from)
            };
            let caveats = caveats_in(Lang::En, &setup, level);
            let differences = differences_in(Lang::En, &setup, &reference, measure, zeros);
            Row {
                setup,
                result,
                differences,
                caveats,
            }
        })
        .collect()
}
