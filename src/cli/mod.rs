//! Command-line interface: clap definitions and dispatch. Holds no maths: it parses,
//! builds the library's configuration, calls the library and renders.

/// `eprintln!` that never panics: a message to a closed or broken standard error (say,
/// `repool report 2>&1 | head -1`) is dropped.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod check;
mod compare;
mod explain;
mod forest;
mod funnel;
mod hints;
pub(crate) use hints::error_line;
pub(crate) mod network;
mod output;
mod parallel;
mod pool;
mod regress;
mod report;
mod reproduce;
mod revman;
mod scan;
mod sensitivity;
mod serve;
mod sof;
mod tempfiles;

use std::process::ExitCode;

use clap::builder::TypedValueParser as _;
use clap::{Parser, Subcommand};
use repool::format::spelling::{Spelled, UnknownName};

/// Recompute and check meta-analyses.
#[derive(Debug, Parser)]
#[command(name = "repool", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Pool the studies of a CSV file (common or random effects) and report the pooled
    /// effect, its CI and test, heterogeneity (Q, I^2, H^2, tau^2) and the prediction interval.
    Pool(pool::PoolArgs),
    /// Re-check published results: estimate vs CI symmetry, p-value vs CI, significance,
    /// and the clinical-relevance verdict against a threshold (rounding-aware).
    Check(check::CheckArgs),
    /// Draw a forest plot of one analysis (SVG, PNG or PDF by the output's extension),
    /// with subgroups, prediction interval and a clinical-relevance threshold.
    Forest(forest::ForestArgs),
    /// Draw a funnel plot (effect against standard error), optionally contour-enhanced.
    Funnel(funnel::FunnelArgs),
    /// Recompute every bundled dataset and write HTML and Markdown reports (the main job).
    Report(report::ReportArgs),
    /// Recompute every outcome of a RevMan 5 file (.rm5) and compare with the stored results.
    Revman(revman::RevmanArgs),
    /// Find the methods that reproduce a published pooled result from the study data.
    Reproduce(reproduce::ReproduceArgs),
    /// Leave-one-out or cumulative meta-analysis.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Tests for small-study effects: Egger's regression and Begg's rank correlation.
    Bias(sensitivity::BiasArgs),
    /// Meta-regression on moderator columns (mixed effects; z or Knapp-Hartung tests).
    Regress(regress::RegressArgs),
    /// Worked derivation of a pool with the actual numbers, as on a blackboard (md, txt, tex;
    /// en, nl, fr).
    Explain(explain::ExplainArgs),
    /// Summary of findings: absolute effects per 1,000 and NNTs from the pooled RR/OR/HR/RD,
    /// an SMD on a familiar scale, and GRADE suggestions (imprecision, inconsistency,
    /// publication bias) with their reasons; text, Markdown, HTML, CSV, JSON; en, nl, fr.
    Sof(sof::SofArgs),
    /// The same data pooled under the defaults of metafor, R meta, RevMan 5, RevMan Web and
    /// Stata's metan, side by side, with every differing setting named.
    Compare(compare::CompareArgs),
    /// A local page for the classroom: an editable study table, the forest plot, the pooled
    /// numbers and the explanation, recomputed as you type.
    Serve(serve::ServeArgs),
    /// Network meta-analysis (as R's netmeta): every treatment against a reference, league
    /// table, P-scores, heterogeneity and inconsistency, node-splitting, network graph.
    Network(network::NetworkArgs),
    /// Find every effect estimate with its CI in documents (.txt, .md, .html, .pdf, .docx)
    /// and check each one, in English, Dutch or French.
    Scan(scan::ScanArgs),
}

/// The output format of a command (`--format text|json|csv`), shared by every command that
/// writes rows; `scan` adds `html` ([`scan`]'s `ScanFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FormatArg {
    Text,
    Json,
    Csv,
}

/// A value parser for a library choice: its names, aliases and help from
/// [`Spelled::SPELLINGS`], the value from its `FromStr`.
pub(crate) fn spelled<T>() -> impl clap::builder::TypedValueParser<Value = T>
where
    T: Spelled + std::str::FromStr<Err = UnknownName> + Send + Sync,
{
    clap::builder::PossibleValuesParser::new(T::SPELLINGS.iter().map(|(_, s)| {
        clap::builder::PossibleValue::new(s.name)
            .help(s.help)
            .aliases(s.aliases.iter().copied())
    }))
    .try_map(|name| name.parse::<T>())
}

/// Exit codes: 0 ok, 1 a check found a discrepancy, 2 error.
pub const EXIT_ERROR: u8 = 2;
/// Exit code of `check` when a finding is an error (with `--strict`, any finding).
pub const EXIT_FINDINGS: u8 = 1;

/// Parses the command line and runs the command.
pub fn run() -> anyhow::Result<ExitCode> {
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().get_matches();
    // Errors are told in the command's --lang, when it has one.
    let lang = matches
        .subcommand()
        .and_then(|(_, m)| m.try_get_one::<repool::format::Lang>("lang").ok()?);
    hints::set_lang(lang.copied().unwrap_or(repool::format::Lang::En));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Pool(args) => pool::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Forest(args) => forest::run(&args),
        Command::Funnel(args) => funnel::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Revman(args) => revman::run(&args),
        Command::Reproduce(args) => reproduce::run(&args),
        Command::Sensitivity(args) => sensitivity::run(&args),
        Command::Bias(args) => sensitivity::run_bias(&args),
        Command::Regress(args) => regress::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Sof(args) => sof::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Network(args) => network::run(&args),
        Command::Scan(args) => scan::run(&args),
    }
}
