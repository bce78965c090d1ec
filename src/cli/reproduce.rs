//! `repool reproduce`: which methods reproduce a published pooled result from the study data?

use std::io::{BufReader, Write};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;

use repool::check::{text, ClaimMeasure};
use repool::format::{localise_number, Lang};
use repool::i18n::{count, fill};
use repool::io::read::{AnalysisReader, ReadOptions};
use repool::io::write::{csv_writer, CandidateRow, PublishedRow, ReproduceDoc, REPRODUCE_SCHEMA};
use repool::reproduce::{search_methods, Candidate};
use repool::Measure;

use super::forest::select_analysis;
use super::pool::{flags, open_input};
use super::{FormatArg, EXIT_FINDINGS};

/// Options of `repool reproduce`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  repool reproduce datasets/bcg/data.csv --published \"RR 0.49 (95% CI 0.34 to 0.70)\"
  repool reproduce trials.csv --published \"OR 0,93 (95% BI 0,74 tot 1,18)\" --top 5
  repool reproduce trials.csv --published \"OR 0.93 (0.74 to 1.18)\" --format json")]
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
    /// Output format: text, or JSON / CSV rows with each combination's `repool pool` options.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// Language of the text output (numbers with decimal commas for nl and fr).
    #[arg(long, value_parser = super::spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
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

/// Quotes `s` for a POSIX shell when it has characters the shell would interpret.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,:=+@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The output row of a candidate: its label, numbers and `repool pool` options.
fn candidate_row(c: &Candidate, file: &str) -> CandidateRow {
    let args = flags(&c.options);
    let command = ["repool", "pool", &shell_word(file)]
        .into_iter()
        .map(str::to_string)
        .chain(args.iter().map(|a| shell_word(a)))
        .collect::<Vec<_>>()
        .join(" ");
    CandidateRow {
        label: c.label.clone(),
        args,
        command,
        estimate: c.values.0,
        ci_low: c.values.1,
        ci_high: c.values.2,
        distance: c.distance,
        reproduced: c.distance <= 1.0 + 1e-9,
    }
}

/// The text output: the published result, the rows with their `repool pool` commands.
fn write_text(
    out: &mut impl Write,
    claim: &repool::check::Claim,
    doc: &ReproduceDoc,
    more: bool,
    lang: Lang,
) -> std::io::Result<()> {
    let p = &doc.published;
    let l = |x: &str| localise_number(lang, x);
    let ci =
        |low: &str, high: &str| fill(lang, "reproduce.interval", &[("low", low), ("high", high)]);
    let published = format!(
        "{} {} {}",
        p.measure,
        l(&p.estimate),
        ci(&l(&p.ci_low), &l(&p.ci_high))
    );
    let studies = count(lang, "count.studies", doc.studies as u64);
    let line = fill(
        lang,
        "reproduce.published",
        &[("published", &published), ("studies", &studies)],
    );
    writeln!(out, "{line}")?;
    let dec = claim
        .estimate
        .decimals
        .max(claim.ci_low.decimals)
        .max(claim.ci_high.decimals) as usize
        + 1;
    match doc.reproduced {
        0 => writeln!(out, "{}", repool::i18n::text(lang, "reproduce.none"))?,
        n => writeln!(out, "{}", count(lang, "reproduce.reproduced", n as u64))?,
    }
    for r in &doc.candidates {
        writeln!(
            out,
            "  {}  {} {}  {}\n          {}",
            localise_number(lang, &format!("{:>6.2}", r.distance)),
            localise_number(lang, &format!("{:.dec$}", r.estimate)),
            ci(
                &localise_number(lang, &format!("{:.dec$}", r.ci_low)),
                &localise_number(lang, &format!("{:.dec$}", r.ci_high))
            ),
            r.label,
            r.command
        )?;
    }
    if more {
        let n = (doc.reproduced - doc.candidates.len()).to_string();
        writeln!(out, "  {}", fill(lang, "reproduce.more", &[("n", &n)]))?;
    }
    writeln!(out, "{}", repool::i18n::text(lang, "reproduce.distance"))?;
    if doc.reproduced == 0 {
        writeln!(
            out,
            "{}",
            repool::i18n::text(lang, "reproduce.large_distance")
        )?;
    }
    Ok(())
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
    let n_reproduced = found.iter().filter(|c| c.distance <= 1.0 + 1e-9).count();
    // The reproducing combinations (at most --top), or the --top closest when none does.
    let shown = if n_reproduced == 0 {
        args.top
    } else {
        n_reproduced.min(args.top.max(1))
    };
    let rows: Vec<CandidateRow> = found
        .iter()
        .take(shown)
        .map(|c| candidate_row(c, &args.file))
        .collect();
    let doc = ReproduceDoc {
        schema: REPRODUCE_SCHEMA,
        published: PublishedRow {
            measure: claim.measure.code().into(),
            estimate: claim.estimate.printed(),
            ci_low: claim.ci_low.printed(),
            ci_high: claim.ci_high.printed(),
            level: claim.level,
        },
        studies: studies.len(),
        reproduced: n_reproduced,
        candidates: rows,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        FormatArg::Json => {
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        FormatArg::Csv => {
            let mut w = csv_writer(&mut out);
            w.write_record(CandidateRow::csv_header())?;
            for r in &doc.candidates {
                w.serialize(r.csv_record())?;
            }
            w.flush()?;
        }
        FormatArg::Text => write_text(&mut out, &claim, &doc, n_reproduced > shown, args.lang)?,
    }
    Ok(if n_reproduced == 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}
