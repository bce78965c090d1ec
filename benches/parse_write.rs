//! The floor under `repool pool` on a batch: reads a batch CSV with the same reader and writes
//! one CSV row per analysis with the same columns and as many digits, without pooling, and
//! prints the time it took. Run by `benches/batch.sh`:
//!
//! `cargo bench --bench parse_write -- <batch.csv> <out.csv>`

use std::io::{BufReader, BufWriter, Write};
use std::time::Instant;

use repool::io::read::{AnalysisReader, ReadOptions};
use repool::io::write::{csv_writer, AnalysisRow};
use repool::Measure;

fn main() {
    // cargo appends `--bench`; the two paths come first.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [input, output] = &args[..] else {
        eprintln!("usage: parse_write <batch.csv> <out.csv>");
        std::process::exit(2);
    };
    let start = Instant::now();
    let file = std::fs::File::open(input).expect("the batch file");
    let opts = ReadOptions {
        measure: Some(Measure::LogRiskRatio),
        ..ReadOptions::default()
    };
    let mut reader = AnalysisReader::new(BufReader::with_capacity(1 << 16, file), input, &opts)
        .expect("a batch header");
    let mut sink = BufWriter::new(std::fs::File::create(output).expect("the output file"));
    let mut w = csv_writer(&mut sink);
    w.write_record(AnalysisRow::csv_header()).unwrap();
    w.flush().unwrap();
    drop(w);
    let mut rows = Vec::with_capacity(1 << 16);
    let mut n = 0usize;
    while let Some(analysis) = reader.next_analysis() {
        let analysis = analysis.expect("a readable batch");
        let k = analysis.studies.as_ref().map_or(0, Vec::len);
        // A number with all 17 digits in every numeric cell, as a pooled row has.
        let x = ((analysis.line + k as u64) as f64).ln();
        let text = |s: &'static str| Some(s.into());
        let row = AnalysisRow {
            analysis: analysis.name,
            measure: text("RR"),
            model: text("random"),
            method: text("IV"),
            tau2_method: text("REML"),
            ci_method: text("z"),
            level: Some(0.95),
            k: Some(k),
            k_estimable: Some(k),
            estimate: Some(x),
            se: Some(x / 3.0),
            ci_low: Some(x - 1.0),
            ci_high: Some(x + 1.0),
            statistic_type: text("z"),
            statistic: Some(x * 7.0),
            p_value: Some(x / 11.0),
            tau2: Some(x / 13.0),
            tau: Some(x / 17.0),
            tau2_iterations: Some(4),
            q: Some(x * 19.0),
            q_df: Some(k.saturating_sub(1)),
            q_p: Some(x / 23.0),
            i2: Some(x * 29.0),
            i2_method: text("tau2"),
            h2: Some(x / 31.0),
            pi_low: Some(x - 2.0),
            pi_high: Some(x + 2.0),
            pi_method: text("metafor"),
            scale: text("log"),
            display: Some(repool::io::write::Display {
                estimate: x.exp(),
                ci_low: (x - 1.0).exp(),
                ci_high: (x + 1.0).exp(),
                pi_low: Some((x - 2.0).exp()),
                pi_high: Some((x + 2.0).exp()),
            }),
            tau2_ci_low: Some(x / 37.0),
            tau2_ci_high: Some(x * 41.0),
            i2_ci_low: Some(x / 43.0),
            i2_ci_high: Some(x * 47.0),
            h2_ci_low: Some(x / 53.0),
            h2_ci_high: Some(x * 59.0),
            i2_ht_ci_low: Some(x / 61.0),
            i2_ht_ci_high: Some(x * 67.0),
            ..AnalysisRow::default()
        };
        row.push_csv(&mut rows);
        if rows.len() >= 1 << 16 {
            sink.write_all(&rows).unwrap();
            rows.clear();
        }
        n += 1;
    }
    sink.write_all(&rows).unwrap();
    sink.flush().unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!("{n} {secs:.6}");
}
