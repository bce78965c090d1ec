//! Criterion benchmarks: the τ² estimators at k = 10, 100 and 10,000, and one batch of
//! 10-study binary analyses through the reader and the pooling, leave-one-out at k = 10,000,
//! and a permutation test of a meta-regression (k = 50, 10,000 permutations).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use repool::effect::StudyData;
use repool::pool::{pool, tau2, PoolConfig, Tau2Method};
use repool::{Measure, Study};

fn data(k: usize) -> (Vec<f64>, Vec<f64>) {
    (0..k)
        .map(|i| {
            let u = ((i as f64) * 0.618_033_988_75).fract();
            let w = ((i as f64) * 0.414_213_562_37).fract();
            (0.3 + (u - 0.5), 0.01 + 0.2 * w)
        })
        .unzip()
}

fn estimators(c: &mut Criterion) {
    let mut g = c.benchmark_group("tau2");
    for k in [10, 100, 10_000] {
        let (y, v) = data(k);
        for m in Tau2Method::ALL {
            g.bench_with_input(BenchmarkId::new(m.code(), k), &k, |b, _| {
                b.iter(|| tau2::estimate(m, black_box(&y), black_box(&v)).unwrap())
            });
        }
    }
    g.finish();
}

fn binary_analysis(c: &mut Criterion) {
    let studies: Vec<Study> = (0..10)
        .map(|i| {
            Study::new(
                format!("s{i}"),
                StudyData::TwoByTwo {
                    events_t: (5 + i) as f64,
                    n_t: 100.0,
                    events_c: (12 + 2 * i) as f64,
                    n_c: 110.0,
                },
            )
        })
        .collect();
    let config = PoolConfig::metafor(Measure::LogRiskRatio);
    c.bench_function("pool RR REML k=10", |b| {
        b.iter(|| pool(black_box(&studies), &config).unwrap())
    });
}

fn leave_one_out(c: &mut Criterion) {
    let (y, v) = data(10_000);
    let mut g = c.benchmark_group("leave-one-out k=10000");
    g.sample_size(10);
    for m in [Tau2Method::DL, Tau2Method::REML] {
        let config = PoolConfig::metafor(Measure::Generic).tau2(m);
        g.bench_function(m.code(), |b| {
            b.iter(|| {
                repool::pool::sensitivity::leave_one_out_fast(black_box(&y), black_box(&v), &config)
                    .unwrap()
            })
        });
    }
    for m in [Tau2Method::DL, Tau2Method::REML] {
        g.bench_function(format!("influence {}", m.code()), |b| {
            b.iter(|| {
                repool::pool::influence::influence(black_box(&y), black_box(&v), Some(m), false)
                    .unwrap()
            })
        });
    }
    g.finish();
}

/// A network of 50 treatments and 500 studies (every tenth with three arms), arm-level
/// binary data: the whole analysis (both models, design decomposition, node-splitting).
fn network(c: &mut Criterion) {
    use repool::network::{analyse, pairwise, Arm, ArmData, NetworkOptions};
    let mut arms = Vec::new();
    let mut x = 0.5_f64;
    let mut next = || {
        x = (x * 9301.0 + 49297.0) % 233280.0;
        x / 233280.0
    };
    for s in 0..500 {
        let m = if s % 10 == 0 { 3 } else { 2 };
        let mut ts: Vec<usize> = Vec::new();
        // A spanning path first so the network is connected, then random pairs.
        if s < 49 {
            ts.push(s);
            ts.push(s + 1);
        }
        while ts.len() < m {
            let t = (next() * 50.0) as usize % 50;
            if !ts.contains(&t) {
                ts.push(t);
            }
        }
        for t in ts {
            let n = 50.0 + (next() * 200.0).floor();
            let events = 1.0 + (next() * (n - 2.0)).floor();
            arms.push(Arm {
                study: format!("s{s}"),
                treatment: format!("t{t:02}"),
                data: ArmData::Binary { events, n },
                line: None,
            });
        }
    }
    let mut g = c.benchmark_group("network");
    g.sample_size(10);
    g.bench_function("50 treatments, 500 studies", |b| {
        b.iter(|| {
            let net =
                pairwise(black_box(&arms), Measure::LogOddsRatio, &Default::default()).unwrap();
            analyse(net, &NetworkOptions::default()).unwrap()
        })
    });
    g.finish();
}

/// Permutation test of a meta-regression on one moderator, k = 50, 10,000 permutations (REML).
fn permutations(c: &mut Criterion) {
    let (y, v) = data(50);
    let x = nalgebra::DMatrix::from_fn(50, 2, |r, col| {
        if col == 0 {
            1.0
        } else {
            ((r as f64) * 0.754_877_666).fract()
        }
    });
    let mut g = c.benchmark_group("permutation test");
    g.sample_size(10);
    g.bench_function("REML k=50 N=10000", |b| {
        b.iter(|| {
            repool::pool::permutation::permutation_test(
                black_box(&x),
                &y,
                &v,
                Some(Tau2Method::REML),
                false,
                10_000,
                1,
            )
            .unwrap()
        })
    });
}

criterion_group!(
    benches,
    network,
    estimators,
    binary_analysis,
    leave_one_out,
    permutations
);
criterion_main!(benches);
