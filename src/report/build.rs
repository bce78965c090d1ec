//! Building the recomputation report of a dataset: the main analysis, each published
//! result recomputed under the settings the publication states, whether it is reproduced
//! within the printed precision, which methods would reproduce it, the clinical-relevance
//! reading and the consistency checks of the printed numbers. Pure computation.

use super::dataset::{Dataset, Published};
use crate::check::{self, CheckResult, Claim, ClaimMeasure, Lang, Reported};
use crate::i18n::fill;
use crate::plot::{self, ForestInput, ForestOptions, Pooled};
use crate::pool::{
    self, subgroups, CiMethod, CommonMethod, Model, PoolConfig, PooledEstimate, Tau2Method,
};
use crate::{Measure, Study};

/// A published result next to its recomputation.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The published result.
    pub published: Published,
    /// Recomputed under the published settings (or why it could not be).
    pub recomputed: Result<PooledEstimate, pool::PoolError>,
    /// Estimate, lower and upper limit reproduced within the printed precision.
    pub reproduced: bool,
    /// Recomputed minus published (display scale) for estimate, lower, upper limit.
    pub differences: Option<(f64, f64, f64)>,
    /// Settings (estimator, CI method, common-effect method) under which the printed
    /// numbers are reproduced.
    pub reproducing: Vec<String>,
    /// Consistency checks of the printed numbers themselves.
    pub check: Option<CheckResult>,
}

/// The report of a trial-level dataset.
#[derive(Debug, Clone)]
pub struct PoolReport {
    /// The dataset.
    pub dataset: Dataset,
    /// Its studies.
    pub studies: Vec<Study>,
    /// The main analysis.
    pub main: PooledEstimate,
    /// Published results and their recomputation.
    pub comparisons: Vec<Comparison>,
    /// Clinical relevance of the main analysis against the dataset's threshold.
    pub relevance: Option<String>,
    /// Test for subgroup differences, with subgroups.
    pub subgroup_test: Option<subgroups::SubgroupTest>,
    /// The forest plot (SVG text).
    pub forest_svg: String,
    /// The language the report was built in (of the plot, the checks and the pages).
    pub lang: Lang,
}

fn config(
    drop00: bool,
    measure: Measure,
    model: Model,
    method: CommonMethod,
    tau2: Tau2Method,
    ci: CiMethod,
) -> PoolConfig {
    let mut c = base_config(measure, model, method, tau2, ci);
    c.effect.zero_cell.drop_double_zero = drop00;
    c
}

fn base_config(
    measure: Measure,
    model: Model,
    method: CommonMethod,
    tau2: Tau2Method,
    ci: CiMethod,
) -> PoolConfig {
    PoolConfig::metafor(measure)
        .model(model)
        .method(method)
        .tau2(tau2)
        .ci(ci)
}

/// Whether a value (display scale) rounds to the printed one.
fn rounds_to(value: f64, printed: &Reported) -> bool {
    (value - printed.value).abs() <= printed.half_unit() * (1.0 + 1e-9) + 1e-12
}

fn reproduces(r: &PooledEstimate, p: &Published, ratio: bool) -> bool {
    let d = |x: f64| if ratio { x.exp() } else { x };
    rounds_to(d(r.estimate), &p.estimate)
        && rounds_to(d(r.ci_low), &p.ci_low)
        && rounds_to(d(r.ci_high), &p.ci_high)
}

/// Builds the report of a pool dataset from its studies: the main analysis, each published
/// result compared with its recomputation, the clinical relevance of the main analysis and
/// the forest plot.
pub fn build_pool_report(
    dataset: &Dataset,
    studies: Vec<Study>,
    lang: Lang,
) -> Result<PoolReport, pool::PoolError> {
    let measure = dataset.measure.expect("pool datasets have a measure");
    let main_cfg = main_config(dataset, measure);
    let main = pool::pool(&studies, &main_cfg)?;
    let comparisons = dataset
        .published
        .iter()
        .map(|p| compare_published(dataset, &studies, p, measure, lang))
        .collect();
    let relevance = main_relevance(dataset, &main, measure, lang);
    let (forest_svg, subgroup_test) = forest(dataset, &studies, &main, &main_cfg, lang);
    Ok(PoolReport {
        dataset: dataset.clone(),
        studies,
        main,
        comparisons,
        relevance,
        subgroup_test,
        forest_svg,
        lang,
    })
}

/// The settings of the dataset's main analysis: its model, its common-effect method for a
/// common-effect model (inverse variance under random effects), its τ² estimator, Wald CI.
fn main_config(dataset: &Dataset, measure: Measure) -> PoolConfig {
    config(
        dataset.drop_double_zero,
        measure,
        dataset.model,
        if dataset.model == Model::Fixed {
            dataset.method
        } else {
            CommonMethod::IV
        },
        dataset.tau2,
        CiMethod::Z,
    )
}

/// One published result recomputed under the settings it states, the differences on the
/// display scale, the settings that reproduce it and the checks of its printed numbers.
fn compare_published(
    dataset: &Dataset,
    studies: &[Study],
    p: &Published,
    measure: Measure,
    lang: Lang,
) -> Comparison {
    let drop00 = dataset.drop_double_zero;
    let measure = p.measure.unwrap_or(measure);
    let ratio = measure.is_ratio();
    let tau2 = p.tau2.unwrap_or(dataset.tau2);
    let mut cfg = config(
        drop00,
        measure,
        p.model,
        if p.model == Model::Fixed {
            p.method
        } else {
            CommonMethod::IV
        },
        tau2,
        CiMethod::Z,
    );
    if let Some(v) = p.vtype {
        cfg.effect.md_variance = v;
    }
    let recomputed = pool::pool(studies, &cfg);
    let reproduced = recomputed.as_ref().is_ok_and(|r| reproduces(r, p, ratio));
    let d = |x: f64| if ratio { x.exp() } else { x };
    let differences = recomputed.as_ref().ok().map(|r| {
        (
            d(r.estimate) - p.estimate.value,
            d(r.ci_low) - p.ci_low.value,
            d(r.ci_high) - p.ci_high.value,
        )
    });
    let reproducing = reproducing_settings(studies, p, measure, drop00, lang);
    let check = check_published(dataset, p, measure, lang);
    Comparison {
        published: p.clone(),
        recomputed,
        reproduced,
        differences,
        reproducing,
        check,
    }
}

/// Which settings reproduce the printed numbers: the label of every candidate of
/// [`candidate_configs`] whose pool rounds to them.
fn reproducing_settings(
    studies: &[Study],
    p: &Published,
    measure: Measure,
    drop00: bool,
    lang: Lang,
) -> Vec<String> {
    let ratio = measure.is_ratio();
    let mut reproducing = Vec::new();
    for (label, c) in candidate_configs(studies, measure, drop00, lang) {
        if let Ok(r) = pool::pool(studies, &c) {
            if reproduces(&r, p, ratio) {
                reproducing.push(label);
            }
        }
    }
    reproducing
}

/// The settings tried, each with its label: common effect by IV, MH and Peto; random effects
/// by every τ² estimator with a Wald or HKSJ CI; for a mean difference from means and SDs,
/// each of these again with the pooled-SD variance. The labels are in `lang`.
fn candidate_configs(
    studies: &[Study],
    measure: Measure,
    drop00: bool,
    lang: Lang,
) -> Vec<(String, PoolConfig)> {
    let mut candidates: Vec<(String, PoolConfig)> = Vec::new();
    for m in [CommonMethod::IV, CommonMethod::MH, CommonMethod::Peto] {
        candidates.push((
            fill(lang, "report.settings_common", &[("method", m.code())]),
            config(
                drop00,
                measure,
                Model::Fixed,
                m,
                Tau2Method::DL,
                CiMethod::Z,
            ),
        ));
    }
    for t in Tau2Method::ALL {
        for ci in [CiMethod::Z, CiMethod::Hksj] {
            candidates.push((
                fill(
                    lang,
                    "report.candidate_random",
                    &[("tau2", t.code()), ("ci", ci.code())],
                ),
                config(drop00, measure, Model::Random, CommonMethod::IV, t, ci),
            ));
        }
    }
    // A mean difference from means and SDs: also with the pooled-SD variance.
    let md_from_sds = measure == Measure::MeanDifference
        && studies
            .iter()
            .any(|s| matches!(s.data, crate::effect::StudyData::MeanSd { .. }));
    if md_from_sds {
        let pooled_sd: Vec<(String, PoolConfig)> = candidates
            .iter()
            .map(|(label, c)| {
                let mut c = c.clone();
                c.effect.md_variance = crate::effect::MdVariance::Pooled;
                (
                    fill(lang, "report.candidate_pooled_sd", &[("settings", label)]),
                    c,
                )
            })
            .collect();
        candidates.extend(pooled_sd);
    }
    candidates
}

/// The consistency checks of a published result's printed numbers (none for a measure a
/// claim cannot have).
fn check_published(
    dataset: &Dataset,
    p: &Published,
    measure: Measure,
    lang: Lang,
) -> Option<CheckResult> {
    ClaimMeasure::of(measure).and_then(|cm| {
        check::check(
            &Claim {
                id: p.label.clone(),
                measure: cm,
                estimate: p.estimate,
                ci_low: p.ci_low,
                ci_high: p.ci_high,
                level: 0.95,
                p: None,
                df: None,
                threshold: dataset.threshold,
                verdict: None,
            },
            lang,
        )
        .ok()
    })
}

/// Relevance of the main analysis against the dataset's threshold, when it has one.
fn main_relevance(
    dataset: &Dataset,
    main: &PooledEstimate,
    measure: Measure,
    lang: Lang,
) -> Option<String> {
    let ratio = measure.is_ratio();
    match (dataset.threshold, ClaimMeasure::of(measure)) {
        (Some(t), Some(cm)) => {
            let d = |x: f64| if ratio { x.exp() } else { x };
            let rep = |x: f64| Reported::new(d(x), 6);
            check::check(
                &Claim {
                    id: "main".into(),
                    measure: cm,
                    estimate: rep(main.estimate),
                    ci_low: rep(main.ci_low),
                    ci_high: rep(main.ci_high),
                    level: 0.95,
                    p: None,
                    df: None,
                    threshold: Some(t),
                    verdict: None,
                },
                lang,
            )
            .ok()
            .and_then(|r| r.relevance_text)
        }
        _ => None,
    }
}

/// Forest plot (SVG text), with subgroups when the data have them, and the test for
/// subgroup differences.
fn forest(
    dataset: &Dataset,
    studies: &[Study],
    main: &PooledEstimate,
    main_cfg: &PoolConfig,
    lang: Lang,
) -> (String, Option<subgroups::SubgroupTest>) {
    let measure = main_cfg.measure;
    let pooled_of = |s: &[Study]| -> Result<Pooled, String> {
        pool::pool(s, main_cfg)
            .map(Pooled::single)
            .map_err(|e| e.to_string())
    };
    let by_subgroup = subgroups::pool_each_if_any(studies, pooled_of, Pooled::primary);
    let input = ForestInput::new(studies, measure, Pooled::single(main.clone()), by_subgroup);
    let opts = ForestOptions {
        threshold: dataset.threshold,
        benefit_higher: dataset.benefit.as_deref() == Some("higher"),
        ..ForestOptions::new(lang)
    };
    let subgroup_test = input.subgroup_test;
    (
        plot::svg::to_svg(&plot::forest_layout(&input, &opts)),
        subgroup_test,
    )
}
