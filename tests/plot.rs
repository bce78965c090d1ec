//! Figures tested on their numbers, every figure's SVG against a committed snapshot in
//! `tests/snapshots/`, PNG and PDF smoke tests.
//!
//! A snapshot test fails whenever the SVG differs from the committed file: it writes the new
//! output next to it as `<name>.svg.new` for review. With `REPOOL_UPDATE_SNAPSHOTS=1` it also
//! overwrites the snapshot, and still fails, so a run that changed a figure never looks green;
//! the next run passes. A missing snapshot is written, and the test fails.

mod util;

use repool::check::Lang;
use repool::effect::{EffectOptions, StudyData};
use repool::io::read::{read_str, ReadOptions};
use repool::plot::font::text_width;
use repool::plot::layout::{Anchor, Item, RowKind};
use repool::plot::{forest_layout, render, svg, ForestInput, ForestLayout, ForestOptions, Pooled};
use repool::pool::{pool, subgroups, Model, PoolConfig, Tau2Method};
use repool::{Measure, Study};
use util::repo_path;

fn config(measure: Measure, model: Model) -> PoolConfig {
    PoolConfig::metafor(measure).model(model)
}

fn studies_of(file: &str, measure: Measure) -> Vec<Study> {
    let text = std::fs::read_to_string(repo_path(file)).unwrap();
    let opts = ReadOptions {
        measure: Some(measure),
        ..ReadOptions::default()
    };
    read_str(&text, file, &opts)
        .unwrap()
        .remove(0)
        .studies
        .unwrap()
}

fn options(lang: Lang) -> ForestOptions {
    ForestOptions::new(lang)
}

fn layout(
    studies: &[Study],
    measure: Measure,
    models: &[Model],
    opts: &ForestOptions,
) -> ForestLayout {
    let pool_all = |s: &[Study]| {
        let mut p = Pooled::default();
        for &m in models {
            let r = pool(s, &config(measure, m)).unwrap();
            match m {
                Model::Fixed => p.fixed = Some(r),
                Model::Random => p.random = Some(r),
            }
        }
        p
    };
    let by_subgroup =
        subgroups::pool_each_if_any(studies, |s| Ok::<_, String>(pool_all(s)), Pooled::primary);
    let input = ForestInput::new(studies, measure, pool_all(studies), by_subgroup);
    forest_layout(&input, opts)
}

/// Every text's box, from the same font metrics the layout uses.
fn boxes(l: &ForestLayout) -> Vec<(f64, f64, f64, f64, String)> {
    l.items
        .iter()
        .filter_map(|it| match it {
            Item::Text {
                x,
                y,
                text,
                size,
                bold,
                anchor,
                ..
            } => {
                let w = text_width(text, *size, *bold);
                let x0 = match anchor {
                    Anchor::Start => *x,
                    Anchor::Middle => x - w / 2.0,
                    Anchor::End => x - w,
                };
                Some((x0, y - 0.8 * size, x0 + w, y + 0.25 * size, text.clone()))
            }
            _ => None,
        })
        .collect()
}

fn assert_no_overlap_and_inside(l: &ForestLayout) {
    let b = boxes(l);
    for (i, p) in b.iter().enumerate() {
        assert!(
            p.0 >= 0.0 && p.2 <= l.width && p.1 >= 0.0 && p.3 <= l.height,
            "{:?} outside {}x{}",
            p,
            l.width,
            l.height
        );
        for q in &b[i + 1..] {
            let overlap = p.0 < q.2 - 0.5 && q.0 < p.2 - 0.5 && p.1 < q.3 - 0.5 && q.1 < p.3 - 0.5;
            assert!(!overlap, "texts overlap: {p:?} and {q:?}");
        }
    }
}

#[test]
fn network_graph_legend_is_in_the_language() {
    use repool::plot::netgraph::{graph_layout, GraphInput};
    let input = |lang| GraphInput {
        treatments: vec!["A".into(), "B".into()],
        sizes: vec![1.0, 2.0],
        size_label: "deelnemers".into(),
        edges: vec![(0, 1, 1)],
        title: None,
        lang,
    };
    let nl = graph_layout(&input(Lang::Nl)).to_svg();
    assert!(
        nl.contains("Oppervlakte van een knoop: deelnemers;"),
        "{nl}"
    );
    assert!(!nl.contains("Node area"));
}

#[test]
fn bcg_layout_numbers_are_those_of_pool() {
    let s = studies_of("datasets/bcg/data.csv", Measure::LogRiskRatio);
    let l = layout(
        &s,
        Measure::LogRiskRatio,
        &[Model::Random],
        &options(Lang::En),
    );
    let r = pool(&s, &config(Measure::LogRiskRatio, Model::Random)).unwrap();
    let studies: Vec<_> = l.rows.iter().filter(|r| r.kind == RowKind::Study).collect();
    assert_eq!(studies.len(), 13);
    assert_eq!(studies[0].label, "Aronson 1948");
    assert_eq!(studies[0].effect_text.as_deref(), Some("0.41 [0.13; 1.26]"));
    let total = l.rows.iter().find(|r| r.kind == RowKind::Pooled).unwrap();
    assert_eq!(
        total.effect_text.as_deref().unwrap(),
        format!(
            "{:.2} [{:.2}; {:.2}]",
            r.estimate.exp(),
            r.ci_low.exp(),
            r.ci_high.exp()
        )
    );
    assert_eq!(total.effect_text.as_deref(), Some("0.49 [0.34; 0.70]"));
    // Square sides grow with the weight (area proportional to weight).
    let (w0, s0) = (r.studies[0].weight_percent, studies[0].marker.unwrap().size);
    let (w7, s7) = (r.studies[7].weight_percent, studies[7].marker.unwrap().size);
    assert!(((s0 / s7).powi(2) - w0 / w7).abs() < 1e-9);
    // The axis: log scale, symmetric around 1, ticks at the usual ratios.
    assert_eq!(l.x_range, (0.05, 20.0));
    assert_eq!(l.ticks, vec![0.05, 0.2, 1.0, 5.0, 20.0]);
    // The diamond's ends are the CI on the log-scaled axis.
    let mk = total.marker.unwrap();
    let px = |v: f64| {
        l.plot_x.0 + (v - 0.05f64.ln()) / (20f64.ln() - 0.05f64.ln()) * (l.plot_x.1 - l.plot_x.0)
    };
    assert!((mk.ci.0 - px(r.ci_low)).abs() < 1e-9 && (mk.ci.1 - px(r.ci_high)).abs() < 1e-9);
    assert!(l.rows.iter().any(|r| r.kind == RowKind::Prediction));
    assert_no_overlap_and_inside(&l);
}

#[test]
fn cis_beyond_the_axis_end_in_arrows() {
    let s = studies_of("datasets/bcg/data.csv", Measure::LogRiskRatio);
    let mut o = options(Lang::En);
    o.xlim = Some((0.5, 2.0));
    let l = layout(&s, Measure::LogRiskRatio, &[Model::Random], &o);
    let aronson = l
        .rows
        .iter()
        .find(|r| r.label == "Aronson 1948")
        .unwrap()
        .marker
        .unwrap();
    assert!(aronson.arrow_left && !aronson.arrow_right);
    assert!((aronson.ci.0 - l.plot_x.0).abs() < 1e-9);
    assert_eq!(l.x_range, (0.5, 2.0));
    assert_no_overlap_and_inside(&l);
}

#[test]
fn subgroups_both_models_dutch_threshold_do_not_overlap() {
    let mut s = studies_of("datasets/bcg/data.csv", Measure::LogRiskRatio);
    for (i, st) in s.iter_mut().enumerate() {
        st.subgroup = Some(if i < 6 { "early".into() } else { "late".into() });
    }
    let mut o = options(Lang::Nl);
    o.threshold = Some(0.8);
    o.shade_threshold = true;
    o.title = Some("BCG".into());
    let l = layout(
        &s,
        Measure::LogRiskRatio,
        &[Model::Fixed, Model::Random],
        &o,
    );
    assert_eq!(
        l.rows.iter().filter(|r| r.kind == RowKind::Heading).count(),
        2
    );
    assert_eq!(
        l.rows.iter().filter(|r| r.kind == RowKind::Pooled).count(),
        6
    );
    assert!(l
        .rows
        .iter()
        .any(|r| r.label.starts_with("Test voor subgroepverschillen")));
    let total = l.rows.iter().rfind(|r| r.kind == RowKind::Pooled).unwrap();
    assert_eq!(total.effect_text.as_deref(), Some("0,49 [0,34; 0,70]"));
    assert_no_overlap_and_inside(&l);
}

#[test]
fn two_hundred_studies_with_long_names_fit() {
    let s: Vec<Study> = (0..200)
        .map(|i| {
            let name = if i % 17 == 0 {
                format!("A very long study name from a multicentre consortium number {i} with many words")
            } else {
                format!("Study {i}")
            };
            let u = ((i as f64) * 0.618).fract();
            Study::new(name, StudyData::Effect { yi: u - 0.5, vi: 0.01 + 0.2 * ((i as f64) * 0.414).fract() })
        })
        .collect();
    let l = layout(
        &s,
        Measure::MeanDifference,
        &[Model::Random],
        &options(Lang::En),
    );
    assert_eq!(
        l.rows.iter().filter(|r| r.kind == RowKind::Study).count(),
        200
    );
    assert!(l.height > 200.0 * 17.0);
    assert_no_overlap_and_inside(&l);
}

#[test]
fn svg_is_stable_and_matches_the_snapshot() {
    let s = studies_of("datasets/bcg/data.csv", Measure::LogRiskRatio);
    let l = layout(
        &s,
        Measure::LogRiskRatio,
        &[Model::Random],
        &options(Lang::En),
    );
    let a = svg::to_svg(&l);
    let b = svg::to_svg(&layout(
        &s,
        Measure::LogRiskRatio,
        &[Model::Random],
        &options(Lang::En),
    ));
    assert_eq!(a, b);
    assert_snapshot("bcg_forest", &a);
}

#[test]
fn png_and_pdf_render() {
    let s = studies_of("tests/golden/data/normand1999.csv", Measure::MeanDifference);
    let mut o = options(Lang::Fr);
    o.threshold = Some(-10.0);
    o.threshold_both = true;
    let l = layout(&s, Measure::MeanDifference, &[Model::Random], &o);
    assert_no_overlap_and_inside(&l);
    let svg = svg::to_svg(&l);
    let png = render::to_png(&svg, 150.0).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let pdf = render::to_pdf(&svg).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn funnel_points_sit_at_effect_and_standard_error() {
    use repool::plot::funnel::funnel_layout;
    let s = studies_of("datasets/bcg/data.csv", Measure::LogRiskRatio);
    let r = pool(&s, &config(Measure::LogRiskRatio, Model::Random)).unwrap();
    let f = funnel_layout(&r, Lang::En, true, None, None);
    assert_eq!(f.points.len(), 13);
    // The study with the largest SE is the lowest point, and SE grows downwards.
    let ses: Vec<f64> = r.studies.iter().map(|s| s.effect.unwrap().se()).collect();
    let imax = (0..13).max_by(|&a, &b| ses[a].total_cmp(&ses[b])).unwrap();
    let ylow = f.points.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    assert_eq!(f.points[imax].1, ylow);
    assert!(f.se_max >= ses[imax]);
    let svg = svg::items_to_svg(f.width, f.height, &f.items);
    assert!(render::to_png(&svg, 96.0).is_ok());
}

/// Labels of 65,536 characters (one word, or 30,000 words) used to widen or lengthen the
/// figure to match: 400,000 px wide or 82,000 px tall, gigabytes to render as PNG. Now every
/// label is clipped ("…") and wraps into at most four lines; the forest plot's texts still
/// neither overlap nor leave the canvas.
#[test]
fn huge_labels_leave_figures_of_ordinary_size() {
    use repool::plot::netgraph::{graph_layout, GraphInput};
    use repool::plot::rows::{rows_layout, EstimateRow, RowsInput};
    let word = "y".repeat(65_536);
    let words = "ab ".repeat(30_000);
    for long in [&word, &words] {
        let s: Vec<Study> = [(long.as_str(), 0.1), ("b", 0.2), ("c", 0.4)]
            .iter()
            .map(|&(n, yi)| Study::new(n, StudyData::Effect { yi, vi: 0.02 }))
            .collect();
        let mut opts = options(Lang::En);
        opts.title = Some(long.clone());
        opts.favours_left = Some(long.clone());
        let l = layout(&s, Measure::MeanDifference, &[Model::Random], &opts);
        assert!(
            l.width < 3000.0 && l.height < 600.0,
            "{} x {}",
            l.width,
            l.height
        );
        assert_no_overlap_and_inside(&l);

        let rows = RowsInput {
            heading: long.clone(),
            rows: vec![EstimateRow {
                label: long.clone(),
                value: Err(long.clone()),
            }],
            all: Some((0.1, 0.0, 0.2)),
            all_label: "All".into(),
            measure: Measure::MeanDifference,
            level_percent: 95.0,
            title: Some(long.clone()),
        };
        let f = rows_layout(&rows, Lang::En);
        assert!(
            f.width < 3000.0 && f.height < 600.0,
            "{} x {}",
            f.width,
            f.height
        );

        let g = graph_layout(&GraphInput {
            treatments: vec![long.clone(), "B".into(), "C".into()],
            sizes: vec![1.0, 2.0, 3.0],
            size_label: "studies".into(),
            edges: vec![(0, 1, 1), (1, 2, 2)],
            title: Some(long.clone()),
            lang: Lang::En,
        });
        assert!(
            g.width < 3000.0 && g.height < 1000.0,
            "{} x {}",
            g.width,
            g.height
        );
    }
}

// ---- Snapshots ---------------------------------------------------------------------------

/// Fails unless `svg` is byte for byte `tests/snapshots/<name>.svg` (see `util::assert_snapshot`).
fn assert_snapshot(name: &str, svg: &str) {
    util::assert_snapshot(&format!("tests/snapshots/{name}.svg"), svg);
}

#[test]
fn a_snapshot_test_fails_on_any_change_even_while_updating() {
    let dir = std::env::temp_dir().join(format!("repool-snapshot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("fig.svg");
    let new = dir.join("fig.svg.new");
    let _ = std::fs::remove_file(&path);
    // Missing: written, and a failure.
    assert!(util::check_snapshot(&path, "<svg>a</svg>", false).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg>a</svg>");
    // Unchanged: passes, with or without updating.
    assert!(util::check_snapshot(&path, "<svg>a</svg>", false).is_ok());
    assert!(util::check_snapshot(&path, "<svg>a</svg>", true).is_ok());
    // Changed: fails, the new output beside the snapshot, the snapshot untouched.
    assert!(util::check_snapshot(&path, "<svg>b</svg>", false).is_err());
    assert_eq!(std::fs::read_to_string(&new).unwrap(), "<svg>b</svg>");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg>a</svg>");
    // Changed while updating: the snapshot is rewritten, and the test still fails.
    assert!(util::check_snapshot(&path, "<svg>b</svg>", true).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg>b</svg>");
    // Then it passes, and the stale .new is gone.
    assert!(util::check_snapshot(&path, "<svg>b</svg>", false).is_ok());
    assert!(!new.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Reads the one analysis of a bundled file, keeping `keep` columns, as the CLI does.
fn read_studies(file: &str, measure: Measure, keep: &[&str]) -> Vec<Study> {
    let text = std::fs::read_to_string(repo_path(file)).unwrap();
    let opts = ReadOptions {
        measure: Some(measure),
        keep_columns: keep.iter().map(|c| c.to_string()).collect(),
        ..ReadOptions::default()
    };
    read_str(&text, file, &opts)
        .unwrap()
        .remove(0)
        .studies
        .unwrap()
}

/// Effect options that drop 2×2 tables without events in either arm (`--drop00`).
fn drop00() -> EffectOptions {
    let mut e = EffectOptions::default();
    e.zero_cell.drop_double_zero = true;
    e
}

/// The forest plot's SVG built as `repool forest` builds it: every group pooled with each
/// model, the groups and the subgroup test from `subgroups::pool_each_if_any`.
fn forest_svg(
    studies: &[Study],
    measure: Measure,
    models: &[Model],
    opts: &ForestOptions,
    effect: EffectOptions,
) -> String {
    let pool_all = |s: &[Study]| -> Result<Pooled, String> {
        let mut p = Pooled::default();
        for &m in models {
            let mut c = config(measure, m);
            c.effect = effect.clone();
            let r = pool(s, &c).map_err(|e| e.to_string())?;
            match m {
                Model::Fixed => p.fixed = Some(r),
                Model::Random => p.random = Some(r),
            }
        }
        Ok(p)
    };
    let overall = pool_all(studies).unwrap();
    let by_subgroup = subgroups::pool_each_if_any(studies, pool_all, Pooled::primary);
    let input = ForestInput::new(studies, measure, overall, by_subgroup);
    svg::to_svg(&forest_layout(&input, opts))
}

#[test]
fn forest_with_subgroups_of_a_ratio_matches_the_snapshot() {
    // Both models, odds ratios, a shaded threshold and a title.
    let s = read_studies(
        "datasets/bcg-allocation/data.csv",
        Measure::LogOddsRatio,
        &[],
    );
    let mut o = options(Lang::En);
    o.title = Some("BCG vaccine and tuberculosis, by allocation".into());
    o.threshold = Some(0.8);
    o.shade_threshold = true;
    let svg = forest_svg(
        &s,
        Measure::LogOddsRatio,
        &[Model::Fixed, Model::Random],
        &o,
        EffectOptions::default(),
    );
    assert_snapshot("forest_subgroups_or", &svg);
}

#[test]
fn forest_in_dutch_matches_the_snapshot() {
    // Means and SDs, a threshold on both sides, benefit higher, decimal commas.
    let s = read_studies(
        "tests/golden/data/gibson2002.csv",
        Measure::MeanDifference,
        &[],
    );
    let mut o = options(Lang::Nl);
    o.threshold = Some(0.5);
    o.threshold_both = true;
    o.benefit_higher = true;
    let svg = forest_svg(
        &s,
        Measure::MeanDifference,
        &[Model::Random],
        &o,
        EffectOptions::default(),
    );
    assert_snapshot("forest_nl", &svg);
}

#[test]
fn forest_with_a_subgroup_not_estimable_matches_the_snapshot() {
    // A study without events in either arm, dropped (not estimable), alone in its subgroup,
    // whose pool fails; the others by period; common effect, French, custom axis and labels.
    let mut s = read_studies(
        "datasets/nielweise2007/data.csv",
        Measure::LogRiskRatio,
        &[],
    );
    for st in &mut s {
        st.subgroup = Some(match st.year {
            _ if st.label.starts_with("Yucel") => "sans événements".into(),
            Some(y) if y < 2000 => "avant 2000".into(),
            _ => "depuis 2000".into(),
        });
    }
    let mut o = options(Lang::Fr);
    o.xlim = Some((0.01, 10.0));
    o.favours_left = Some("Cathéter imprégné".into());
    o.favours_right = Some("Cathéter standard".into());
    let svg = forest_svg(&s, Measure::LogRiskRatio, &[Model::Fixed], &o, drop00());
    assert_snapshot("forest_not_estimable_fr", &svg);
}

#[test]
fn forest_of_given_effects_matches_the_snapshot() {
    // yi, vi input (no arm columns), risk differences are not possible here: a generic effect.
    let s = read_studies("tests/golden/data/hackshaw1998.csv", Measure::Generic, &[]);
    let svg = forest_svg(
        &s,
        Measure::Generic,
        &[Model::Random],
        &options(Lang::En),
        EffectOptions::default(),
    );
    assert_snapshot("forest_effects", &svg);
}

#[test]
fn forest_of_risk_differences_matches_the_snapshot() {
    // Three decimals for risk differences.
    let s = read_studies("datasets/yusuf1985/data.csv", Measure::RiskDifference, &[]);
    let svg = forest_svg(
        &s,
        Measure::RiskDifference,
        &[Model::Random],
        &options(Lang::En),
        EffectOptions::default(),
    );
    assert_snapshot("forest_rd", &svg);
}

#[test]
fn funnels_match_the_snapshots() {
    use repool::plot::funnel::funnel_layout;
    use repool::pool::bias::{trim_and_fill, TrimFillEstimator};
    // Contour-enhanced, with trim-and-fill and a title, as `repool funnel --contours
    // --trimfill L0 --title ...`.
    let s = read_studies(
        "tests/golden/data/hackshaw1998.csv",
        Measure::LogOddsRatio,
        &[],
    );
    let r = pool(&s, &config(Measure::LogOddsRatio, Model::Random)).unwrap();
    let (y, v) = r.effects();
    let tf = trim_and_fill(&y, &v, Some(r.config.tau2_method), TrimFillEstimator::L0).unwrap();
    assert!(tf.k0 > 0, "trim-and-fill fills studies in");
    let f = funnel_layout(
        &r,
        Lang::En,
        true,
        Some("Passive smoking"),
        Some((&tf, "L0")),
    );
    assert_snapshot(
        "funnel_contours_trimfill",
        &svg::items_to_svg(f.width, f.height, &f.items),
    );
    // Plain, a mean difference, in Dutch.
    let s = read_studies(
        "datasets/normand1999/data.csv",
        Measure::MeanDifference,
        &[],
    );
    let r = pool(&s, &config(Measure::MeanDifference, Model::Fixed)).unwrap();
    let f = funnel_layout(&r, Lang::Nl, false, None, None);
    assert_snapshot("funnel_nl", &svg::items_to_svg(f.width, f.height, &f.items));
}

#[test]
fn baujat_matches_the_snapshot() {
    use repool::plot::baujat::baujat_layout;
    // As `repool sensitivity --influence --plot`.
    let s = read_studies("datasets/bcg/data.csv", Measure::LogRiskRatio, &[]);
    let r = pool(&s, &config(Measure::LogRiskRatio, Model::Random)).unwrap();
    let labels: Vec<&str> = r
        .studies
        .iter()
        .filter(|s| s.effect.is_some())
        .map(|s| s.label.as_str())
        .collect();
    let (y, v) = r.effects();
    let inf = repool::pool::influence::influence(&y, &v, Some(Tau2Method::REML), false).unwrap();
    let points: Vec<(f64, f64)> = inf.iter().map(|d| (d.baujat_x, d.baujat_y)).collect();
    assert_snapshot(
        "baujat",
        &baujat_layout(&labels, &points, Lang::En).to_svg(),
    );
}

#[test]
fn bubble_matches_the_snapshot() {
    use repool::io::moderators::{design, Moderator};
    use repool::plot::bubble::{bubble_layout, BubbleInput};
    use repool::pool::regression::meta_regression;
    // As `repool regress bcg.csv --measure RR --mod latitude --plot`.
    let s = read_studies(
        "datasets/bcg/data.csv",
        Measure::LogRiskRatio,
        &["latitude"],
    );
    let mods = [Moderator::parse("latitude")];
    let values: Vec<Vec<String>> = s.iter().map(|s| s.extra.clone()).collect();
    let (x, names) = design(&values, &mods).unwrap();
    let r0 = pool(&s, &config(Measure::LogRiskRatio, Model::Random)).unwrap();
    let (y, v) = r0.effects();
    let r = meta_regression(&x, &names, &y, &v, Some(Tau2Method::REML), false, 0.95).unwrap();
    let weights = r.weights(&v);
    let xs: Vec<f64> = (0..x.nrows()).map(|i| x[(i, 1)]).collect();
    let input = BubbleInput {
        x: &xs,
        y: &y,
        weights: &weights,
        regression: &r,
        measure: Measure::LogRiskRatio,
        moderator: &mods[0].column,
        title: Some("BCG vaccine by latitude"),
    };
    assert_snapshot("bubble", &bubble_layout(&input, Lang::En).to_svg());
}

#[test]
fn leave_one_out_and_cumulative_rows_match_the_snapshots() {
    use repool::plot::rows::{rows_layout, EstimateRow, RowsInput};
    let row =
        |label: &str, r: Result<repool::PooledEstimate, repool::pool::PoolError>| EstimateRow {
            label: label.to_string(),
            value: r
                .map(|r| (r.estimate, r.ci_low, r.ci_high))
                .map_err(|e| e.to_string()),
        };
    // Leave-one-out, as `repool sensitivity --leave-one-out --plot` (by full refits).
    let s = read_studies("datasets/bcg/data.csv", Measure::LogRiskRatio, &[]);
    let c = config(Measure::LogRiskRatio, Model::Random);
    let all = pool(&s, &c).unwrap();
    let rows = (0..s.len())
        .map(|i| {
            let rest: Vec<Study> = (0..s.len())
                .filter(|&j| j != i)
                .map(|j| s[j].clone())
                .collect();
            row(&s[i].label, pool(&rest, &c))
        })
        .collect();
    let input = RowsInput {
        heading: "Omitted study".into(),
        rows,
        all: Some((all.estimate, all.ci_low, all.ci_high)),
        all_label: "All studies".into(),
        measure: Measure::LogRiskRatio,
        level_percent: 95.0,
        title: None,
    };
    assert_snapshot(
        "rows_leave_one_out",
        &rows_layout(&input, Lang::En).to_svg(),
    );
    // Cumulative, in Dutch: the first pool, of one study without events (dropped), is an error.
    let s = read_studies(
        "datasets/nielweise2007/data.csv",
        Measure::LogOddsRatio,
        &[],
    );
    let mut s: Vec<Study> = s.into_iter().rev().collect();
    s.rotate_left(3);
    let mut c = config(Measure::LogOddsRatio, Model::Random);
    c.effect = drop00();
    let all = pool(&s, &c).unwrap();
    let rows = (1..=s.len())
        .map(|n| row(&s[n - 1].label, pool(&s[..n], &c)))
        .collect();
    let input = RowsInput {
        heading: "Toegevoegde studie".into(),
        rows,
        all: Some((all.estimate, all.ci_low, all.ci_high)),
        all_label: "Alle studies".into(),
        measure: Measure::LogOddsRatio,
        level_percent: 95.0,
        title: Some("Cumulatief".into()),
    };
    assert_snapshot(
        "rows_cumulative_nl",
        &rows_layout(&input, Lang::Nl).to_svg(),
    );
}

/// The network graph as `repool network --graph` draws it: studies per compared pair, node
/// sizes by participants when the arms give them, else by studies.
fn graph_svg(net: &repool::network::Network) -> String {
    use repool::plot::netgraph::{graph_layout, GraphInput};
    let n = net.treatments.len();
    let mut pairs: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    let mut per_treatment = vec![0.0; n];
    for arms in &net.arms {
        for (i, &a) in arms.iter().enumerate() {
            per_treatment[a] += 1.0;
            for &b in &arms[i + 1..] {
                *pairs.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }
    let (sizes, size_label) = match &net.participants {
        Some(p) => (p.clone(), "participants"),
        None => (per_treatment, "studies"),
    };
    graph_layout(&GraphInput {
        treatments: net.treatments.clone(),
        sizes,
        size_label: size_label.into(),
        edges: pairs.into_iter().map(|((a, b), k)| (a, b, k)).collect(),
        title: Some(format!("{} studies, {} treatments", net.studies.len(), n)),
        lang: Lang::En,
    })
    .to_svg()
}

#[test]
fn network_graphs_match_the_snapshots() {
    use repool::io::network::{read_network, NetworkRows};
    use repool::network::{from_contrasts, pairwise, PairwiseOptions};
    let read = |file: &str| {
        let text = std::fs::read_to_string(repo_path(file)).unwrap();
        read_network(&text, file).unwrap()
    };
    let NetworkRows::Arms(arms) = read("datasets/senn2013/data.csv") else {
        panic!("arm rows")
    };
    let net = pairwise(&arms, Measure::MeanDifference, &PairwiseOptions::default()).unwrap();
    assert_snapshot("netgraph_arms", &graph_svg(&net));
    let NetworkRows::Contrasts(rows) = read("datasets/senn2013-contrasts/data.csv") else {
        panic!("contrast rows")
    };
    assert_snapshot(
        "netgraph_contrasts",
        &graph_svg(&from_contrasts(&rows).unwrap()),
    );
}

/// A pool of one study (here a subgroup of one) has no heterogeneity and no prediction
/// interval to show: both read "Not applicable", as in RevMan, in every language, instead of
/// "Chi² = 0.00, df = 0 (P = 1.00)".
#[test]
fn a_pool_of_one_study_shows_heterogeneity_and_prediction_as_not_applicable() {
    let study = |label: &str, e: f64, g: &str| Study {
        subgroup: Some(g.into()),
        ..Study::new(
            label,
            StudyData::TwoByTwo {
                events_t: e,
                n_t: 100.0,
                events_c: 10.0,
                n_c: 100.0,
            },
        )
    };
    let studies = [
        study("A", 12.0, "x"),
        study("B", 5.0, "y"),
        study("C", 20.0, "y"),
    ];
    for (lang, het, na) in [
        (Lang::En, "Heterogeneity", "Not applicable"),
        (Lang::Nl, "Heterogeniteit", "Niet van toepassing"),
        (Lang::Fr, "Hétérogénéité", "Non applicable"),
    ] {
        let svg = forest_svg(
            &studies,
            Measure::LogRiskRatio,
            &[Model::Random],
            &options(lang),
            EffectOptions::default(),
        );
        assert_eq!(svg.matches(&format!("{het}: {na}")).count(), 1, "{svg}");
        assert_eq!(svg.matches(&format!(": {na}")).count(), 2, "{svg}");
        assert!(!svg.contains("df = 0"), "{svg}");
    }
}
