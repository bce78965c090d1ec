//! `repool revman`: recompute every outcome of a RevMan 5 file and compare with what
//! RevMan stored.

use std::io::Write;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;
use repool::io::write::{
    csv_writer, outcome_input_csv, to_writer_sorted_pretty, OutcomeCsvRow, OutcomeRow,
    RevmanBatchDoc, RevmanBatchReview, RevmanDoc, REVMAN_BATCH_SCHEMA, REVMAN_SCHEMA,
};
use repool::pool::preset::Preset;

use repool::io::revman::{read_rm5, RmReview};
use repool::reproduce::{check_review, OutcomeCheck};

use super::output::Sink;
use super::parallel;
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

Several reviews: give several paths, or a folder of reviews. A folder is a RevMan Web data
package when it holds a *-overall-estimates-and-settings.csv, or a *-analysis-data folder
that does; any other folder is a folder of reviews: its .rm5 and .csv files and its data-package folders,
and the reviews in its other folders, in name order. The reviews are checked in parallel
(--jobs) and written in that order: text sections headed by the file, a JSON document with one
entry per review (schema repool.revman-batch.v1), CSV rows with a first column `file`; with
--export, each review's outcomes go into a folder of DIR named after the review's file.
A review that cannot be read is named on standard error and the others are still checked.

Examples:
  repool revman CD008625StatsDataOnly.rm5
  repool revman review.rm5 --format json --export outcomes/
  repool revman reviews/ --format csv -o all.csv"
)]
pub struct RevmanArgs {
    /// A RevMan 5 file (.rm5), a RevMan 5 CSV export (.csv), the folder of a RevMan Web
    /// data package (version 1), or a folder of reviews; several for several reviews.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
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
    /// Number of reviews checked at the same time [default: the number of cores].
    #[arg(short = 'j', long)]
    jobs: Option<NonZeroUsize>,
}

fn f(lang: Lang, x: Option<f64>, d: usize) -> String {
    x.map(|v| localise_number(lang, &format!("{v:.d$}")))
        .unwrap_or_else(|| "-".into())
}

/// A review read and recomputed: the review and the check of each outcome and subgroup.
type Checked = (RmReview, Vec<OutcomeCheck>);

/// Runs `repool revman`.
pub fn run(args: &RevmanArgs) -> anyhow::Result<ExitCode> {
    let _ = args.preset;
    match args.files.as_slice() {
        [one] if !one.is_dir() || is_data_package(one) => run_one(args, one),
        paths => run_batch(args, &reviews_in(paths)?),
    }
}

/// One review, as `repool revman` has always checked it: a read error is the command's error.
fn run_one(args: &RevmanArgs, path: &Path) -> anyhow::Result<ExitCode> {
    let (review, checks) = read_and_check(path)?;
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
        export(dir, &review)?;
    }
    let read_errors = report_read_errors(&checks);
    Ok(if read_errors {
        ExitCode::from(super::EXIT_ERROR)
    } else if checks.iter().any(|c| c.reproduced == Some(false)) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads the review at `path` (a data-package folder, a RevMan 5 CSV export by its extension,
/// else a RevMan 5 file) and checks every outcome.
fn read_and_check(path: &Path) -> anyhow::Result<Checked> {
    let name = path.display().to_string();
    let review = if path.is_dir() {
        repool::io::revman_csv::read_data_package(path)?
    } else {
        let bytes = std::fs::read(path).with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.cannot_open",
                &[("file", &name.to_string())],
            )
        })?;
        if is_csv(path) {
            repool::io::revman_csv::read_revman_csv(&String::from_utf8_lossy(&bytes), &name)?
        } else {
            read_rm5(&bytes, &name)?
        }
    };
    let checks = check_review(&review);
    Ok((review, checks))
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Writes each outcome (and subgroup) of `review` into `dir` as a CSV in the input schema of
/// `repool pool`.
fn export(dir: &Path, review: &RmReview) -> anyhow::Result<()> {
    super::output::create_dir_all(dir)?;
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
    Ok(())
}

/// Prints the outcomes whose study rows could not be read; whether there were any.
fn report_read_errors(checks: &[OutcomeCheck]) -> bool {
    let mut any = false;
    for c in checks {
        if let Some(e) = c.error.as_deref().filter(|e| e.starts_with("cannot read")) {
            stderr_line!("repool: error: {e}");
            any = true;
        }
    }
    any
}

/// Whether a folder is a RevMan Web data package: it holds a
/// `*-overall-estimates-and-settings.csv`, or a `*-analysis-data` folder that does (the
/// layout RevMan Web exports).
fn is_data_package(dir: &Path) -> bool {
    let holds = |d: &Path| {
        std::fs::read_dir(d).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .ends_with("-overall-estimates-and-settings.csv")
            })
        })
    };
    holds(dir)
        || std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name().to_string_lossy().ends_with("-analysis-data") && holds(&e.path())
            })
        })
}

/// The reviews the paths name, in order: a file or data-package folder as it is, a folder of
/// reviews walked in name order ([`walk`]). A folder without any review is an error.
fn reviews_in(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() && !is_data_package(p) {
            let before = out.len();
            walk(p, &mut out).with_context(|| {
                fill(
                    super::hints::lang(),
                    "revman_batch.cannot_read_folder",
                    &[("folder", &p.display().to_string())],
                )
            })?;
            if out.len() == before {
                anyhow::bail!(
                    "{}",
                    fill(
                        super::hints::lang(),
                        "revman_batch.no_reviews",
                        &[("folder", &p.display().to_string())],
                    )
                );
            }
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// The reviews of a folder of reviews, in name order: .rm5 and .csv files, data-package
/// folders, and the reviews of its other folders; names starting with a dot are left out.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            if is_data_package(&p) {
                out.push(p);
            } else {
                walk(&p, out)?;
            }
        } else if is_csv(&p) || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("rm5")) {
            out.push(p);
        }
    }
    Ok(())
}

/// Several reviews, checked in parallel and written in input order; a review that cannot be
/// read is named on standard error and left out of the tally of the others.
fn run_batch(args: &RevmanArgs, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let export_names = export_folders(args.export.is_some(), paths)?;
    let results =
        parallel::map_in_order(paths, parallel::threads(args.jobs), |p| read_and_check(p));
    let mut sink = Sink::new(args.output.as_deref())?;
    write_batch(&mut sink, args, &names, &results)?;
    sink.commit()?;
    if let Some(dir) = &args.export {
        for (r, sub) in results.iter().zip(&export_names) {
            if let Ok((review, _)) = r {
                export(&dir.join(sub), review)?;
            }
        }
    }
    let mut error = false;
    for (name, r) in names.iter().zip(&results) {
        match r {
            Ok((_, checks)) => error |= report_read_errors(checks),
            Err(e) => {
                stderr_line!("{}", super::hints::item_error_line(name, e));
                error = true;
            }
        }
    }
    let differs = results
        .iter()
        .flatten()
        .any(|(_, checks)| checks.iter().any(|c| c.reproduced == Some(false)));
    Ok(if error {
        ExitCode::from(super::EXIT_ERROR)
    } else if differs {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Several reviews in `--format`: text sections, one JSON document, or CSV rows with a
/// leading `file` column.
fn write_batch(
    sink: &mut Sink,
    args: &RevmanArgs,
    names: &[String],
    results: &[anyhow::Result<Checked>],
) -> anyhow::Result<()> {
    match args.format {
        FormatArg::Json => {
            let reviews: Vec<RevmanBatchReview> = names
                .iter()
                .zip(results)
                .map(|(file, r)| match r {
                    Ok((review, checks)) => RevmanBatchReview {
                        file,
                        title: Some(&review.title),
                        outcomes: checks.iter().map(OutcomeRow::from).collect(),
                        skipped: &review.skipped,
                        error: None,
                    },
                    Err(e) => RevmanBatchReview {
                        file,
                        title: None,
                        outcomes: Vec::new(),
                        skipped: &[],
                        error: Some(super::hints::error_text(e)),
                    },
                })
                .collect();
            let doc = RevmanBatchDoc {
                schema: REVMAN_BATCH_SCHEMA,
                reviews: &reviews,
            };
            to_writer_sorted_pretty(&mut *sink, &doc)?;
            sink.write_all(b"\n")?;
        }
        FormatArg::Csv => {
            let mut w = csv_writer(&mut *sink);
            let mut header = vec!["file".to_string()];
            header.extend(OutcomeCsvRow::csv_header());
            w.write_record(header)?;
            for (file, r) in names.iter().zip(results) {
                match r {
                    Ok((_, checks)) => {
                        for c in checks {
                            w.serialize((file, OutcomeCsvRow::new(c)))?;
                        }
                    }
                    Err(e) => {
                        w.serialize((file, OutcomeCsvRow::unread(super::hints::error_text(e))))?
                    }
                }
            }
            w.flush()?;
        }
        FormatArg::Text => write_batch_text(sink, names, results, args.lang)?,
    }
    Ok(())
}

/// The folder of `--export`'s DIR for each review: the name of its file or folder, which must
/// then differ between the reviews (nothing is checked or written when two share one).
fn export_folders(export: bool, paths: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    if !export {
        return Ok(Vec::new());
    }
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    for (i, n) in names.iter().enumerate() {
        if let Some(j) = names[..i].iter().position(|m| m == n) {
            anyhow::bail!(
                "{}",
                fill(
                    super::hints::lang(),
                    "revman_batch.same_name",
                    &[
                        ("first", &paths[j].display().to_string()),
                        ("second", &paths[i].display().to_string()),
                    ],
                )
            );
        }
    }
    Ok(names)
}

/// The text printout of several reviews: each one's section headed by its file, then a line
/// that counts the reviews reproduced, not reproduced and not read.
fn write_batch_text(
    sink: &mut impl Write,
    names: &[String],
    results: &[anyhow::Result<Checked>],
    lang: Lang,
) -> std::io::Result<()> {
    let (mut ok, mut bad, mut failed) = (0, 0, 0);
    for (i, (file, r)) in names.iter().zip(results).enumerate() {
        if i > 0 {
            writeln!(sink)?;
        }
        writeln!(
            sink,
            "{}",
            fill(lang, "revman_batch.file", &[("file", file)])
        )?;
        match r {
            Ok((review, checks)) => {
                write_text(sink, review, checks, lang)?;
                if checks.iter().any(|c| c.reproduced == Some(false)) {
                    bad += 1;
                } else {
                    ok += 1;
                }
            }
            Err(e) => {
                failed += 1;
                writeln!(
                    sink,
                    "{}",
                    fill(
                        lang,
                        "revman_batch.not_read",
                        &[("message", &super::hints::error_text(e))]
                    )
                )?;
            }
        }
    }
    let summary = fill(
        lang,
        "revman_batch.summary",
        &[
            (
                "reviews",
                &count(lang, "revman_batch.reviews", names.len() as u64),
            ),
            ("ok", &ok.to_string()),
            ("bad", &bad.to_string()),
            ("failed", &failed.to_string()),
        ],
    );
    writeln!(sink, "\n{summary}")
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
            "{id:<9} {} {} {} {}  {} {}  k = {}{}  Q = {}  I2 = {}  tau2 = {}",
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
            repool::format::percent(lang, &f(v.i2, 1)),
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
