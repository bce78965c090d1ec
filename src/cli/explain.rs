//! `repool explain`: the worked derivation of a pool, and `repool compare`: the same data
//! pooled under the defaults of other programs.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use repool::explain::{explain, render, ExplainOptions, Format};

use super::output::Sink;
use super::pool::PoolOptions;
use super::spelled;
use repool::format::Lang;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Markdown with $$ display math.
    Md,
    /// Plain text.
    Txt,
    /// A LaTeX document.
    Tex,
}

/// Options of `repool explain`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  repool explain datasets/bcg/data.csv --measure RR --tau2 DL
  repool explain pain.csv --measure MD --threshold -10 --lang nl --format md -o uitleg.md
  repool explain trials.csv --measure OR --model fixed --method MH --format tex -o derivation.tex")]
pub struct ExplainArgs {
    /// CSV file with one row per study ('-' reads standard input).
    file: String,
    #[command(flatten)]
    opts: PoolOptions,
    /// Which analysis, when the file has several.
    #[arg(long)]
    analysis: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "txt", ignore_case = true)]
    format: FormatArg,
    /// Language of the explanation.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
    /// Minimal important difference (display scale, signed in the direction of benefit,
    /// a ratio for RR/OR/HR): adds the clinical-relevance reading.
    #[arg(long, allow_hyphen_values = true)]
    threshold: Option<f64>,
    /// Significant digits of the numbers shown.
    #[arg(long, default_value = "4")]
    digits: usize,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs `repool explain`.
pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    if args.opts.preset.is_some() {
        anyhow::bail!(
            "{}",
            repool::i18n::text(super::hints::lang(), "errors.cli.preset_explain")
        );
    }
    let (studies, config) =
        super::sensitivity::load(&args.file, &args.opts, args.analysis.as_deref())?;
    if let (Some(t), true) = (args.threshold, config.measure.is_ratio()) {
        if t <= 0.0 {
            anyhow::bail!(
                "{}",
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.threshold_ratio",
                    &[
                        ("threshold", &t.to_string()),
                        ("measure", config.measure.code())
                    ]
                )
            );
        }
    }
    let ex = explain(
        &studies,
        &config,
        &ExplainOptions {
            lang: args.lang,
            threshold: args.threshold,
            digits: args.digits.clamp(2, 10),
        },
    )
    .map_err(super::hints::pool_anyhow)
    .with_context(|| {
        repool::i18n::fill(
            super::hints::lang(),
            "errors.cli.cannot_pool",
            &[("file", &args.file.to_string())],
        )
    })?;
    let format = match args.format {
        FormatArg::Md => Format::Markdown,
        FormatArg::Txt => Format::Text,
        FormatArg::Tex => Format::Tex,
    };
    let mut sink = Sink::new(args.output.as_deref())?;
    sink.write_all(render(&ex, format).as_bytes())?;
    sink.commit()?;
    Ok(ExitCode::SUCCESS)
}
