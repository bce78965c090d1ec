//! `repool revman`: recompute every outcome of a RevMan 5 file and compare with what
//! RevMan stored.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;
use repool::io::write::{
    csv_writer, outcome_input_csv, to_writer_sorted_pretty, OutcomeCsvRow, OutcomeRow, RevmanDoc,
    REVMAN_SCHEMA,
};
use repool::pool::preset::Preset;

use repool::io::revman::{read_rm5, RmReview};
use repool::reproduce::{check_review, OutcomeCheck};

use super::output::Sink;
use super::FormatArg;
use super::EXIT_FINDINGS;
use repool::format::{localise_number, Lang};
use repool::i18n::{count, fill, text};
use repool::report::text::pad_right;

/// `--preset`: RevMan 5's rules, the only ones a review is recomputed with.
fn preset_parser() -> impl TypedValueParser<Value = Preset> {
    PossibleValuesParser::new([PossibleValue::new("revman5").help(
        "The rules RevMan 5 uses (zero cells, Q around the MH/Peto estimate, DL from that Q, \
         RevMan's SMD)",
    )])
    .try_map(|name| name.parse::<Preset>())
}

/// Options of `repool revman`.
#[derive(Debug, Args)]
#[command(
    after_help = "Reads a RevMan 5 review file (.rm5), recomputes every outcome and subgroup from
its study rows, and compares with the results RevMan stored (1e-6 relative; p-values 1e-6 absolute).
Exit code 0 when everything stored is reproduced, 1 when something is not, 2 on errors.

Examples:
  repool revman CD008625StatsDataOnly.rm5
  repool revman review.rm5 --format json --export outcomes/"
)]
pub struct RevmanArgs {
    /// A RevMan 5 file (.rm5), a RevMan 5 CSV export (.csv), or the folder of a RevMan Web
    /// data package (version 1).
    file: PathBuf,
    /// Pooling rules.
    #[arg(long, value_parser = preset_parser(), default_value = "revman5")]
    preset: Preset,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Write each outcome (and subgroup) as a CSV in the input schema of `repool pool`.
    #[arg(long)]
    export: Option<PathBuf>,
    /// Language of the text output (numbers with decimal commas for nl and fr).
    #[arg(long, value_parser = super::spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
}

fn f(lang: Lang, x: Option<f64>, d: usize) -> String {
    x.map(|v| localise_number(lang, &format!("{v:.d$}")))
        .unwrap_or_else(|| "-".into())
}

/// Runs `repool revman`.
pub fn run(args: &RevmanArgs) -> anyhow::Result<ExitCode> {
    let _ = args.preset;
    let name = args.file.display().to_string();
    let review = if args.file.is_dir() {
        repool::io::revman_csv::read_data_package(&args.file)?
    } else {
        let bytes = std::fs::read(&args.file).with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.cannot_open",
                &[("file", &name.to_string())],
            )
        })?;
        let is_csv = args
            .file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            repool::io::revman_csv::read_revman_csv(&String::from_utf8_lossy(&bytes), &name)?
        } else {
            read_rm5(&bytes, &name)?
        }
    };
    let checks = check_review(&review);
    let mut sink = Sink::new(args.output.as_deref())?;
    match args.format {
        FormatArg::Json => {
            let rows: Vec<OutcomeRow> = checks.iter().map(OutcomeRow::from).collect();
            let doc = RevmanDoc {
                schema: REVMAN_SCHEMA,
                title: &review.title,
                outcomes: &rows,
                skipped: &review.skipped,
            };
            to_writer_sorted_pretty(&mut sink, &doc)?;
            sink.write_all(b"\n")?;
        }
        FormatArg::Csv => {
            let mut w = csv_writer(&mut sink);
            w.write_record(OutcomeCsvRow::csv_header())?;
            for c in &checks {
                w.serialize(OutcomeCsvRow::new(c))?;
            }
            w.flush()?;
        }
        FormatArg::Text => write_text(&mut sink, &review, &checks, args.lang)?,
    }
    sink.commit()?;
    if let Some(dir) = &args.export {
        std::fs::create_dir_all(dir).with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.cannot_create",
                &[("folder", &dir.display().to_string())],
            )
        })?;
        for o in &review.outcomes {
            let text = outcome_input_csv(o);
            let path = dir.join(format!(
                "comparison{}_outcome{}.csv",
                o.comparison_no, o.outcome_no
            ));
            let mut sink = Sink::new(Some(&path))?;
            sink.write_all(text.as_bytes())?;
            sink.commit()?;
        }
        stderr_line!(
            "repool: wrote {} outcome files to {}",
            review.outcomes.len(),
            dir.display()
        );
    }
    let read_errors: Vec<&OutcomeCheck> = checks
        .iter()
        .filter(|c| {
            c.error
                .as_deref()
                .is_some_and(|e| e.starts_with("cannot read"))
        })
        .collect();
    for c in &read_errors {
        stderr_line!("repool: error: {}", c.error.as_deref().unwrap_or(""));
    }
    Ok(if !read_errors.is_empty() {
        ExitCode::from(super::EXIT_ERROR)
    } else if checks.iter().any(|c| c.reproduced == Some(false)) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// The text printout: one line per outcome (or subgroup) with its verdict and numbers.
fn write_text(
    sink: &mut impl Write,
    review: &RmReview,
    checks: &[OutcomeCheck],
    lang: Lang,
) -> std::io::Result<()> {
    let f = |x, d| f(lang, x, d);
    writeln!(sink, "{}", review.title)?;
    for c in checks {
        let id = match c.subgroup_no {
            Some(s) => format!("{}.{}.{}", c.comparison_no, c.outcome_no, s),
            None => format!("{}.{}", c.comparison_no, c.outcome_no),
        };
        let verdict = match c.reproduced {
            Some(true) => text(lang, "revman.reproduced"),
            Some(false) => text(lang, "revman.not_reproduced"),
            None => text(lang, "revman.nothing_stored"),
        };
        let verdict = pad_right(verdict, 14);
        let v = c.recomputed.clone().unwrap_or_default();
        writeln!(
            sink,
            "{id:<9} {} {} {} {}  {} {}  k = {}{}  Q = {}  I2 = {}%  tau2 = {}",
            verdict,
            c.measure,
            c.method,
            c.model,
            f(v.estimate, 4),
            fill(
                lang,
                "revman.interval",
                &[("low", &f(v.ci_low, 4)), ("high", &f(v.ci_high, 4))]
            ),
            c.k,
            if c.k_estimable == c.k {
                String::new()
            } else {
                fill(
                    lang,
                    "revman.estimable",
                    &[("n", &c.k_estimable.to_string())],
                )
            },
            f(v.q, 2),
            f(v.i2, 1),
            f(v.tau2, 4)
        )?;
        writeln!(sink, "          {}", c.name)?;
        for d in &c.differences {
            writeln!(
                sink,
                "          {}",
                fill(lang, "revman.differs", &[("what", d)])
            )?;
        }
        if let Some(e) = &c.error {
            writeln!(sink, "          {e}")?;
        }
    }
    let compared = checks.iter().filter(|c| c.reproduced.is_some()).count();
    let bad = checks
        .iter()
        .filter(|c| c.reproduced == Some(false))
        .count();
    let summary = fill(
        lang,
        "revman.summary",
        &[
            (
                "analyses",
                &count(lang, "count.analyses", checks.len() as u64),
            ),
            ("compared", &compared.to_string()),
            ("bad", &bad.to_string()),
        ],
    );
    writeln!(sink, "\n{summary}")?;
    for s in &review.skipped {
        writeln!(sink, "{}", fill(lang, "revman.skipped", &[("what", s)]))?;
    }
    Ok(())
}
