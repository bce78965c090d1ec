//! `repool reproduce`: which methods reproduce a published pooled result from the study data?

use std::io::{BufReader, Write};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;

use repool::check::{text, ClaimMeasure};
use repool::io::read::{AnalysisReader, ReadOptions};
use repool::reproduce::search_methods;
use repool::Measure;

use super::forest::select_analysis;
use super::pool::open_input;
use super::EXIT_FINDINGS;

/// Options of `repool reproduce`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  repool reproduce datasets/bcg/data.csv --published \"RR 0.49 (95% CI 0.34 to 0.70)\"
  repool reproduce trials.csv --published \"OR 0,93 (95% BI 0,74 tot 1,18)\" --top 5")]
pub struct ReproduceArgs {
    /// CSV file with the studies (input schema of `repool pool`).
    file: String,
    /// The published result as printed, e.g. "RR 2.16 (1.71 to 2.73)".
    #[arg(long)]
    published: String,
    /// Which analysis, when the file has several.
    #[arg(long)]
    analysis: Option<String>,
    /// How many combinations to list.
    #[arg(long, default_value = "10")]
    top: usize,
}

fn measure_of(m: ClaimMeasure) -> Measure {
    match m {
        ClaimMeasure::MD => Measure::MeanDifference,
        ClaimMeasure::SMD => Measure::StandardizedMeanDifference,
        ClaimMeasure::RD => Measure::RiskDifference,
        ClaimMeasure::RR => Measure::LogRiskRatio,
        ClaimMeasure::OR => Measure::LogOddsRatio,
        ClaimMeasure::HR => Measure::LogHazardRatio,
    }
}

/// Runs `repool reproduce`.
pub fn run(args: &ReproduceArgs) -> anyhow::Result<ExitCode> {
    let claim = text::parse(&args.published)?;
    let measure = measure_of(claim.measure);
    let (input, name) = open_input(&args.file)?;
    let opts = ReadOptions {
        measure: Some(measure),
        ..ReadOptions::default()
    };
    let mut reader = AnalysisReader::new(BufReader::new(input), &name, &opts)
        .with_context(|| format!("reading {name} for {}", claim.measure.code()))?;
    let studies = select_analysis(&mut reader, args.analysis.as_deref(), &name)?;
    if studies.is_empty() {
        bail!("{name}: no studies");
    }
    let found = search_methods(
        &studies,
        measure,
        (claim.estimate, claim.ci_low, claim.ci_high),
        claim.level,
    );
    let mut out = std::io::stdout().lock();
    let p = |r: &repool::check::Reported| r.printed();
    writeln!(
        out,
        "Published: {} {} [{}, {}] ({} studies in the data)",
        claim.measure.code(),
        p(&claim.estimate),
        p(&claim.ci_low),
        p(&claim.ci_high),
        studies.len()
    )?;
    let reproduced: Vec<_> = found.iter().filter(|c| c.distance <= 1.0 + 1e-9).collect();
    let dec = claim
        .estimate
        .decimals
        .max(claim.ci_low.decimals)
        .max(claim.ci_high.decimals) as usize
        + 1;
    if reproduced.is_empty() {
        writeln!(
            out,
            "No combination reproduces the printed numbers within their precision. The closest:"
        )?;
    } else {
        writeln!(
            out,
            "{} combinations reproduce the printed numbers within their precision:",
            reproduced.len()
        )?;
    }
    let shown = if reproduced.is_empty() {
        args.top
    } else {
        reproduced.len().min(args.top.max(1))
    };
    for c in found.iter().take(shown) {
        writeln!(
            out,
            "  {:>6.2}  {:.dec$} [{:.dec$}, {:.dec$}]  {}",
            c.distance, c.values.0, c.values.1, c.values.2, c.settings
        )?;
    }
    if reproduced.len() > shown {
        writeln!(out, "  ... and {} more (--top)", reproduced.len() - shown)?;
    }
    writeln!(out, "(distance: the largest difference from a printed number, in half units of its last digit; 1 or less is within rounding)")?;
    if reproduced.is_empty() {
        writeln!(out, "A large distance points to different trial data (more or fewer trials, other counts) or a transcription error.")?;
    }
    Ok(if reproduced.is_empty() {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}
