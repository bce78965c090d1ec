//! Drawing alone, as R's side of `benches/figures.sh` is timed: from a fitted analysis to a PNG
//! file of its forest plot and of its funnel plot, and from a fitted network to its network
//! graph, in this process, so neither starting the program nor reading and pooling the CSV is
//! counted (R's `system.time()` around `png(); forest(fit); dev.off()` counts neither).
//! Prints the best of the runs, in seconds, a line a figure (`forest 0.0241`):
//!
//! `cargo bench --bench figures -- <studies.csv> <network.csv> <reference> <out-dir> [runs] [forest|funnel|graph]`

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::time::Instant;

use repool::check::Lang;
use repool::io::network::read_network_analyses;
use repool::io::read::{AnalysisReader, ReadOptions};
use repool::network::{analyse, NetworkModel, NetworkOptions, NetworkResult, PairwiseOptions};
use repool::plot::{self, ForestInput, ForestOptions, Pooled};
use repool::pool::{pool, PoolConfig, PooledEstimate};
use repool::report::network::network_figures;
use repool::{Measure, Study};

// The allocator the `repool` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // cargo appends `--bench`; the paths and the count come first.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (input, network, reference, dir, rest) = match &args[..] {
        [i, net, r, d, rest @ ..] if rest.len() <= 2 => (i, net, r, Path::new(d), rest),
        _ => {
            eprintln!(
                "usage: figures <studies.csv> <network.csv> <reference> <out-dir> [runs] \
                 [forest|funnel|graph]"
            );
            std::process::exit(2);
        }
    };
    let runs = rest
        .first()
        .map_or(5, |n| n.parse().expect("a number of runs"));
    let wanted = |figure: &str| rest.get(1).is_none_or(|f| f == figure);
    let studies = read(input);
    let fit = pool(&studies, &PoolConfig::metafor(Measure::LogRiskRatio)).expect("a pool");
    if wanted("forest") {
        let forest = best(runs, || forest_png(&studies, &fit, &dir.join("forest.png")));
        println!("forest {forest:.4}");
    }
    if wanted("funnel") {
        let funnel = best(runs, || funnel_png(&fit, &dir.join("funnel.png")));
        println!("funnel {funnel:.4}");
    }
    if wanted("graph") {
        let (net, reference) = fitted_network(network, reference);
        let graph = best(runs, || graph_png(&net, reference, &dir.join("graph.png")));
        println!("graph {graph:.4}");
    }
}

/// The studies of the file's one analysis, as risk ratios.
fn read(path: &str) -> Vec<Study> {
    let opts = ReadOptions {
        measure: Some(Measure::LogRiskRatio),
        ..ReadOptions::default()
    };
    let file = File::open(path).expect("the studies file");
    let mut reader = AnalysisReader::new(BufReader::new(file), path, &opts).expect("a header");
    let analysis = reader
        .next_analysis()
        .expect("one analysis")
        .expect("readable");
    analysis.studies.expect("study rows")
}

/// The file's one network of arm-level odds ratios, fitted, with the index of `reference`.
fn fitted_network(path: &str, reference: &str) -> (NetworkResult, usize) {
    let text = std::fs::read_to_string(path).expect("the network file");
    let analyses = read_network_analyses(&text, path).expect("a network");
    let net = analyses[0]
        .rows
        .to_network(Measure::LogOddsRatio, &PairwiseOptions::default())
        .expect("comparisons");
    let index = net.reference_index(Some(reference)).expect("the reference");
    let res = analyse(net, &NetworkOptions::default()).expect("a fit");
    (res, index)
}

/// The shortest of `runs` runs of `f`, in seconds.
fn best(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn forest_png(studies: &[Study], fit: &PooledEstimate, path: &Path) {
    let input = ForestInput::new(
        studies,
        fit.config.measure,
        Pooled::single(fit.clone()),
        None,
    );
    let opts = ForestOptions::new(Lang::En);
    let svg = plot::svg::to_svg(&plot::forest_layout(&input, &opts));
    write(path, &plot::render::to_png(&svg, 200.0).expect("a PNG"));
}

fn funnel_png(fit: &PooledEstimate, path: &Path) {
    let l = plot::funnel::funnel_layout(fit, Lang::En, false, None, None);
    let svg = plot::svg::items_to_svg(l.width, l.height, &l.items);
    write(path, &plot::render::to_png(&svg, 200.0).expect("a PNG"));
}

fn graph_png(net: &NetworkResult, reference: usize, path: &Path) {
    let (graph, _) = network_figures(
        net,
        Measure::LogOddsRatio,
        reference,
        0.95,
        NetworkModel::Random,
        Lang::En,
    );
    let svg = plot::svg::to_svg(&graph);
    write(path, &plot::render::to_png(&svg, 200.0).expect("a PNG"));
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("the PNG file");
}
