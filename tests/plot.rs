//! Forest-plot layout tested on its numbers, the SVG against a committed snapshot
//! (`UPDATE_SNAPSHOTS=1 cargo test --test plot` rewrites it), PNG and PDF smoke tests.

mod util;

use repool::check::Lang;
use repool::effect::StudyData;
use repool::io::read::{read_str, ReadOptions};
use repool::plot::font::text_width;
use repool::plot::layout::{Anchor, Item, RowKind};
use repool::plot::{
    forest_layout, render, svg, ForestInput, ForestLayout, ForestOptions, GroupInput, Pooled,
};
use repool::pool::{pool, subgroups, Model, PoolConfig};
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
    ForestOptions {
        lang,
        title: None,
        threshold: None,
        threshold_both: false,
        shade_threshold: false,
        xlim: None,
        favours_left: None,
        favours_right: None,
        benefit_higher: false,
    }
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
    let has_subgroups = studies.iter().any(|s| s.subgroup.is_some());
    let mut groups = Vec::new();
    for (name, members) in subgroups::split(studies) {
        let indices = studies
            .iter()
            .enumerate()
            .filter(|(_, s)| s.subgroup == name)
            .map(|(i, _)| i)
            .collect();
        groups.push(GroupInput {
            name,
            indices,
            pooled: Ok(if has_subgroups {
                pool_all(&members)
            } else {
                Pooled::default()
            }),
        });
    }
    let subgroup_test = if has_subgroups {
        let est: Vec<_> = groups
            .iter()
            .map(|g| {
                let r = g.pooled.as_ref().unwrap().primary().unwrap();
                (r.estimate, r.se)
            })
            .collect();
        subgroups::difference_test(&est)
    } else {
        None
    };
    let input = ForestInput {
        studies,
        measure,
        groups,
        has_subgroups,
        overall: pool_all(studies),
        subgroup_test,
    };
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
    assert_eq!(studies[0].effect_text.as_deref(), Some("0.41 [0.13, 1.26]"));
    let total = l.rows.iter().find(|r| r.kind == RowKind::Pooled).unwrap();
    assert_eq!(
        total.effect_text.as_deref().unwrap(),
        format!(
            "{:.2} [{:.2}, {:.2}]",
            r.estimate.exp(),
            r.ci_low.exp(),
            r.ci_high.exp()
        )
    );
    assert_eq!(total.effect_text.as_deref(), Some("0.49 [0.34, 0.70]"));
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
    let path = repo_path("tests/snapshots/bcg_forest.svg");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &a).unwrap();
    }
    let want =
        std::fs::read_to_string(&path).expect("snapshot exists (UPDATE_SNAPSHOTS=1 writes it)");
    assert!(
        a == want,
        "SVG differs from tests/snapshots/bcg_forest.svg (UPDATE_SNAPSHOTS=1 to accept)"
    );
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
        });
        assert!(
            g.width < 3000.0 && g.height < 1000.0,
            "{} x {}",
            g.width,
            g.height
        );
    }
}
