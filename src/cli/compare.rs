//! `repool compare`: the same data pooled under the defaults of metafor, R meta, RevMan 5,
//! RevMan Web and Stata's metan, side by side.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use repool::compare::compare;
use repool::io::write::{to_writer_sorted_pretty, CompareDoc, CompareRow};

use super::output::Sink;
use super::pool::PoolOptions;
use super::FormatArg;

/// Options of `repool compare`.
#[derive(Debug, Args)]
#[command(
    after_help = "Each row pools the same studies with one program's settings; 'differs from metafor'
names every setting that is not metafor's default (estimator, CI method, prediction interval,
zero-cell rule, I^2 definition, SMD correction).

Examples:
  repool compare datasets/bcg/data.csv --measure RR
  repool compare trials.csv --measure OR --format csv -o programs.csv"
)]
pub struct CompareArgs {
    /// CSV file with one row per study ('-' reads standard input).
    file: String,
    #[command(flatten)]
    opts: PoolOptions,
    /// Which analysis, when the file has several.
    #[arg(long)]
    analysis: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// Decimals in the text output.
    #[arg(long, default_value = "3")]
    digits: usize,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs `repool compare`.
pub fn run(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    if args.opts.preset.is_some() {
        anyhow::bail!(
            "repool compare does not take --preset: it shows every program's defaults side by side"
        );
    }
    let (studies, config) =
        super::sensitivity::load(&args.file, &args.opts, args.analysis.as_deref())?;
    let measure = config.measure;
    let rows = compare(&studies, measure, config.level);
    let out: Vec<CompareRow> = rows.iter().map(|r| CompareRow::new(r, measure)).collect();
    let mut sink = Sink::new(args.output.as_deref())?;
    match args.format {
        FormatArg::Json => {
            let doc = CompareDoc::new(measure, config.level, out);
            to_writer_sorted_pretty(&mut sink, &doc)?;
            writeln!(sink)?;
        }
        FormatArg::Csv => {
            let mut w = csv::Writer::from_writer(&mut sink);
            for r in &out {
                w.serialize(r)?;
            }
            w.flush()?;
        }
        FormatArg::Text => {
            let dg = args.digits.min(10);
            let f = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.dg$}"));
            let lv = config.level * 100.0;
            writeln!(
                sink,
                "{} ({}), k = {} studies, {lv}% CI; * = the program's default model",
                measure.name(),
                if measure.is_ratio() {
                    format!("shown as {}", measure.code())
                } else {
                    measure.code().to_string()
                },
                studies.len()
            )?;
            writeln!(sink)?;
            let head = ["program", "model", "estimate", "CI", "tau^2", "I^2", "PI"];
            let mut table: Vec<[String; 7]> = Vec::new();
            for (r, o) in rows.iter().zip(&out) {
                table.push([
                    format!("{}{}", o.program, if o.program_default { " *" } else { "" }),
                    format!("{} ({})", o.model, r.setup.call),
                    f(o.display_estimate),
                    match (o.display_ci_low, o.display_ci_high) {
                        (Some(a), Some(b)) => format!("{a:.dg$} to {b:.dg$}"),
                        _ => "-".into(),
                    },
                    f(o.tau2),
                    o.i2.map_or("-".into(), |x| format!("{x:.1}%")),
                    match (o.display_pi_low, o.display_pi_high) {
                        (Some(a), Some(b)) => format!("{a:.dg$} to {b:.dg$}"),
                        _ => "-".into(),
                    },
                ]);
            }
            for l in super::output::aligned_table(head, &table, 2) {
                writeln!(sink, "{l}")?;
            }
            writeln!(sink)?;
            writeln!(sink, "What differs from metafor's default (rma, REML, z):")?;
            for (r, o) in rows.iter().zip(&out) {
                let name = format!("{} {}", o.program, r.setup.call);
                if let Some(e) = &o.error {
                    writeln!(sink, "  {name}: not computed: {e}")?;
                    continue;
                }
                if r.differences.is_empty() {
                    writeln!(sink, "  {name}: the reference")?;
                } else {
                    writeln!(sink, "  {name}:")?;
                    for d in &r.differences {
                        writeln!(sink, "      {d}")?;
                    }
                }
                for c in &r.caveats {
                    writeln!(sink, "      note: {c}")?;
                }
            }
        }
    }
    sink.commit()?;
    Ok(ExitCode::SUCCESS)
}
