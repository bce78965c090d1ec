//! `repool compare`: the same data pooled under the defaults of metafor, R meta, RevMan 5,
//! RevMan Web and Stata's metan, side by side.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use repool::compare::{caveats_in, compare, differences_in};
use repool::format::{localise_number, Lang};
use repool::i18n::{count, fill, text};
use repool::io::write::{to_writer_sorted_pretty, CompareDoc, CompareRow};
use repool::report::text::measure_name;

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
    /// Language of the text output (numbers with decimal commas for nl and fr); JSON and
    /// CSV stay as they are.
    #[arg(long, value_parser = super::spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
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
        FormatArg::Text => write_text(
            &mut sink,
            args,
            &rows,
            &out,
            measure,
            config.level,
            &studies,
        )?,
    }
    sink.commit()?;
    Ok(ExitCode::SUCCESS)
}

/// The text output: one row per program, then what differs from metafor's default.
fn write_text(
    sink: &mut impl Write,
    args: &CompareArgs,
    rows: &[repool::compare::Row],
    out: &[CompareRow],
    measure: repool::Measure,
    level: f64,
    studies: &[repool::Study],
) -> anyhow::Result<()> {
    let lang = args.lang;
    let k = studies.len();
    let zeros = repool::compare::has_zero_cells(studies);
    let dg = args.digits.min(10);
    let num = |x: f64| localise_number(lang, &format!("{x:.dg$}"));
    let f = |x: Option<f64>| x.map_or("-".to_string(), num);
    let range = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => fill(
            lang,
            "compare.range",
            &[("low", &num(a)), ("high", &num(b))],
        ),
        _ => "-".into(),
    };
    let lv = localise_number(lang, &(level * 100.0).to_string());
    let shown = if measure.is_ratio() {
        fill(lang, "compare.shown_as", &[("code", measure.code())])
    } else {
        measure.code().to_string()
    };
    let heading = fill(
        lang,
        "compare.heading",
        &[
            ("measure", measure_name(lang, measure)),
            ("shown", &shown),
            ("studies", &count(lang, "count.studies", k as u64)),
            ("level", &lv),
        ],
    );
    writeln!(sink, "{heading}")?;
    writeln!(sink)?;
    let head = [
        text(lang, "compare.col_program"),
        text(lang, "compare.col_model"),
        text(lang, "compare.col_estimate"),
        text(lang, "compare.col_ci"),
        "tau^2",
        "I^2",
        text(lang, "compare.col_pi"),
    ];
    let mut table: Vec<[String; 7]> = Vec::new();
    for (r, o) in rows.iter().zip(out) {
        table.push([
            format!("{}{}", o.program, if o.program_default { " *" } else { "" }),
            format!("{} ({})", o.model, r.setup.call),
            f(o.display_estimate),
            range(o.display_ci_low, o.display_ci_high),
            f(o.tau2),
            o.i2.map_or("-".into(), |x| {
                repool::format::percent(lang, &localise_number(lang, &format!("{x:.1}")))
            }),
            range(o.display_pi_low, o.display_pi_high),
        ]);
    }
    for l in super::output::aligned_table(head, &table, 2) {
        writeln!(sink, "{l}")?;
    }
    writeln!(sink)?;
    writeln!(sink, "{}", text(lang, "compare.differs"))?;
    for (r, o) in rows.iter().zip(out) {
        let name = format!("{} {}", o.program, r.setup.call);
        if let Some(e) = &o.error {
            writeln!(
                sink,
                "  {}",
                fill(
                    lang,
                    "compare.not_computed",
                    &[("name", &name), ("error", e)]
                )
            )?;
            continue;
        }
        let differences = differences_in(lang, &r.setup, &rows[0].setup, measure, zeros);
        if differences.is_empty() {
            writeln!(
                sink,
                "  {}",
                fill(lang, "compare.reference", &[("name", &name)])
            )?;
        } else {
            writeln!(sink, "  {name}:")?;
            for d in &differences {
                writeln!(sink, "      {d}")?;
            }
        }
        for c in &caveats_in(lang, &r.setup, level) {
            writeln!(sink, "      {}", fill(lang, "compare.note", &[("note", c)]))?;
        }
    }
    Ok(())
}
