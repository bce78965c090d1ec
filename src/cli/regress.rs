//! `repool regress`: mixed-effects meta-regression on moderator columns.

use std::io::{BufReader, Write};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;

use repool::i18n::errors::Localize;
use repool::io::moderators::{design, DesignError, Moderator};
use repool::io::read::AnalysisReader;
use repool::io::write::{csv_writer, RegressDoc};
use repool::pool::permutation::permutation_test;
use repool::pool::regression::{meta_regression, RegressionError};
use repool::pool::{CiMethod, Model};
use repool::report::text::pad_right;
use repool::Measure;

use super::forest::{format_of, select_analysis, write_plot};
use super::pool::{open_input, ModelArg, PoolOptions};
use super::{spelled, FormatArg};
use repool::check::Lang;
use repool::i18n::{count, fill, text};
use repool::plot::bubble::{bubble_layout, BubbleInput};
use std::path::PathBuf;

/// Options of `repool regress`.
#[derive(Debug, Args)]
#[command(
    after_help = "Each --mod names a column of the input: numeric, or 'factor(name)' for a categorical
moderator (dummy coded, the first level in sorted order as reference, as R does).
--ci hksj gives Knapp-Hartung t and F tests.

Examples:
  repool regress bcg.csv --measure RR --mod latitude
  repool regress bcg.csv --measure RR --mod latitude --mod year --tau2 REML --ci hksj
  repool regress bcg.csv --measure RR --mod 'factor(allocation)'
  repool regress bcg.csv --measure RR --mod latitude --permutations 10000 --seed 7
  repool regress bcg.csv --measure RR --mod latitude --plot bubble.png"
)]
pub struct RegressArgs {
    /// CSV file with the studies and the moderator columns.
    file: String,
    #[command(flatten)]
    opts: PoolOptions,
    /// A moderator: a column name, or factor(column).
    #[arg(long = "mod", required = true)]
    mods: Vec<String>,
    /// Which analysis, when the file has several.
    #[arg(long)]
    analysis: Option<String>,
    /// Permutation test with N permutations (exact, over every distinct ordering, when there
    /// are no more than N).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=10_000_000))]
    permutations: Option<u64>,
    /// Random seed of the permutation test.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Draw a bubble plot (effects against the moderator, fitted line and its confidence
    /// band) to this .svg, .png or .pdf file; needs exactly one numeric moderator.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    /// Language of the text output and the plot labels.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
    /// Output format (csv: one row per coefficient, the model-level fields repeated).
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// The same as --format json (kept for scripts written before --format).
    #[arg(long, hide = true, conflicts_with = "format")]
    json: bool,
}

/// Runs `repool regress`.
pub fn run(args: &RegressArgs) -> anyhow::Result<ExitCode> {
    let model = match args.opts.model {
        ModelArg::Fixed => Model::Fixed,
        ModelArg::Random => Model::Random,
        ModelArg::Both => bail!(
            "{}",
            repool::i18n::text(super::hints::lang(), "errors.cli.model_both")
        ),
    };
    let mods: Vec<Moderator> = args.mods.iter().map(|m| Moderator::parse(m)).collect();
    if let Some(path) = &args.plot {
        if mods.len() != 1 || mods[0].factor {
            bail!(
                "--plot draws a bubble plot for exactly one numeric moderator, got --mod {}",
                args.mods.join(" --mod ")
            );
        }
        // Checked before the fit, so a wrong extension fails fast.
        format_of(path)?;
    }
    let (input, name) = open_input(&args.file)?;
    let mut ropts = args.opts.read_options();
    ropts.keep_columns = mods.iter().map(|m| m.column.clone()).collect();
    let mut reader = AnalysisReader::new(BufReader::new(input), &name, &ropts)?;
    let measure = reader.measure();
    let col_numbers = reader.kept_column_numbers();
    let studies = select_analysis(&mut reader, args.analysis.as_deref(), &name)?;
    let config = args.opts.config(measure, model);
    let pooled = repool::pool(&studies, &config)
        .map_err(super::hints::pool_anyhow)
        .with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.computing_effects",
                &[("file", &name.to_string())],
            )
        })?;
    // Studies with an effect, their moderator values, and the design matrix.
    let rows: Vec<usize> = (0..studies.len())
        .filter(|&i| pooled.studies[i].effect.is_some())
        .collect();
    let values: Vec<Vec<String>> = rows.iter().map(|&i| studies[i].extra.clone()).collect();
    let at = Located {
        name: &name,
        studies: &studies,
        rows: &rows,
        mods: &mods,
        col_numbers: &col_numbers,
    };
    let (x, names) = design(&values, &mods).map_err(|e| at.design_error(&e))?;
    let y: Vec<f64> = rows
        .iter()
        .map(|&i| pooled.studies[i].effect.expect("estimable").yi())
        .collect();
    let v: Vec<f64> = rows
        .iter()
        .map(|&i| pooled.studies[i].effect.expect("estimable").vi())
        .collect();
    let method = (model == Model::Random).then_some(config.tau2_method);
    let kh = config.ci != CiMethod::Z;
    let r = meta_regression(&x, &names, &y, &v, method, kh, config.level)
        .map_err(|e| at.regression_error(&e, &x, &names))?;
    let perm = match args.permutations {
        Some(n) => Some(permutation_test(
            &x, &y, &v, method, kh, n as usize, args.seed,
        )?),
        None => None,
    };
    if let Some(path) = &args.plot {
        let weights = r.weights(&v);
        let xs: Vec<f64> = (0..x.nrows()).map(|i| x[(i, 1)]).collect();
        let input = BubbleInput {
            x: &xs,
            y: &y,
            weights: &weights,
            regression: &r,
            measure,
            moderator: &mods[0].column,
            title: None,
        };
        write_plot(&bubble_layout(&input, args.lang), path)?;
    }
    let doc = RegressDoc::new(
        measure,
        method,
        kh,
        &r,
        perm.as_ref().map(|t| (t, args.seed)),
    );
    let format = if args.json {
        FormatArg::Json
    } else {
        args.format
    };
    write_doc(&doc, format, measure, args.lang)?;
    Ok(ExitCode::SUCCESS)
}

/// Where a moderator value sits in the input, for error messages.
struct Located<'a> {
    name: &'a str,
    studies: &'a [repool::Study],
    /// The studies with an effect (rows of the design matrix), as indices into `studies`.
    rows: &'a [usize],
    mods: &'a [Moderator],
    col_numbers: &'a [usize],
}

impl Located<'_> {
    /// A moderator value that cannot enter the design matrix, at its file, line and column.
    fn design_error(&self, e: &DesignError) -> anyhow::Error {
        let (row, column) = match e {
            DesignError::Missing { row, column }
            | DesignError::NotNumber { row, column, .. }
            | DesignError::OutOfRange { row, column, .. } => (*row, column),
        };
        let number = self
            .mods
            .iter()
            .position(|m| &m.column == column)
            .and_then(|j| self.col_numbers.get(j).copied())
            .unwrap_or(0);
        let s = &self.studies[self.rows[row]];
        let lang = super::hints::lang();
        let pos = repool::io::read::Position {
            file: self.name.to_string(),
            line: s.line.unwrap_or(0),
            column: Some((number, column.clone())),
        };
        let message = e.message(lang);
        anyhow::anyhow!(
            "{}",
            fill(
                lang,
                "errors.cli.design",
                &[
                    ("pos", &pos.message(lang)),
                    ("study", &s.label),
                    (
                        "detail",
                        message.split_once(": ").map(|x| x.1).unwrap_or_default()
                    ),
                ],
            )
        )
    }

    /// A failed fit; when its numbers overflowed, with the largest moderator value.
    fn regression_error(
        &self,
        e: &RegressionError,
        x: &nalgebra::DMatrix<f64>,
        names: &[String],
    ) -> anyhow::Error {
        let name = self.name;
        let lang = super::hints::lang();
        let largest = largest_moderator(x, names, self.mods).map(|(row, j)| {
            let s = &self.studies[self.rows[row]];
            let pos = repool::io::read::Position {
                file: name.to_string(),
                line: s.line.unwrap_or(0),
                column: Some((
                    self.col_numbers.get(j).copied().unwrap_or(0),
                    self.mods[j].column.clone(),
                )),
            };
            fill(
                lang,
                "errors.cli.largest_moderator",
                &[
                    ("value", s.extra[j].trim()),
                    ("pos", &pos.message(lang)),
                    ("study", &s.label),
                ],
            )
        });
        let message = fill(
            lang,
            "errors.cli.file_message",
            &[
                ("file", name),
                ("message", &super::hints::regression_error(e, lang)),
            ],
        );
        match (e, largest) {
            (RegressionError::NonFinite { .. }, Some(l)) => anyhow::anyhow!("{message}{l}"),
            _ => anyhow::anyhow!("{message}"),
        }
    }
}

/// Writes the result to standard output in the chosen format.
fn write_doc(
    doc: &RegressDoc,
    format: FormatArg,
    measure: Measure,
    lang: Lang,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        FormatArg::Json => {
            serde_json::to_writer_pretty(&mut out, doc)?;
            writeln!(out)?;
        }
        FormatArg::Csv => {
            let mut w = csv_writer(&mut out);
            w.write_record(RegressDoc::csv_header())?;
            for row in doc.csv_records() {
                w.serialize(row)?;
            }
            w.flush()?;
        }
        FormatArg::Text => write_text(&mut out, doc, measure, lang)?,
    }
    Ok(())
}

/// A number of the text output with `d` decimals (decimal comma in Dutch and French).
fn num(lang: Lang, x: f64, d: usize) -> String {
    repool::format::localise_number(lang, &format!("{x:.d$}"))
}

/// A p-value of the text output: metafor's `p-val = 0.0123` in English, `p = 0,0123` in
/// Dutch and French.
fn p_text(lang: Lang, p: f64) -> String {
    match lang {
        Lang::En => format!("p-val = {}", repool::format::format_p(p)),
        _ => repool::format::p_equals(lang, p),
    }
}

/// The text output of `repool regress`, as metafor prints an `rma()` fit with moderators.
fn write_text(
    out: &mut impl Write,
    doc: &RegressDoc,
    measure: Measure,
    lang: Lang,
) -> std::io::Result<()> {
    let k = doc.k.to_string();
    let heading = match &doc.tau2_method {
        Some(m) => fill(
            lang,
            "regress.mixed_heading",
            &[("k", &k), ("method", &m.to_string())],
        ),
        None => fill(lang, "regress.common_heading", &[("k", &k)]),
    };
    writeln!(out, "{heading}")?;
    let scale = if measure.is_ratio() {
        text(lang, "regress.scale_log")
    } else {
        text(lang, "regress.scale_analysis")
    };
    let name = repool::report::text::measure_name(lang, measure);
    let line = fill(
        lang,
        "regress.measure_line",
        &[("code", measure.code()), ("name", name), ("scale", scale)],
    );
    writeln!(out, "{line}\n")?;
    if let Some(tau2) = doc.tau2 {
        let tau2 = num(lang, tau2, 4);
        writeln!(
            out,
            "{}",
            fill(lang, "regress.tau2_line", &[("tau2", &tau2)])
        )?;
        let i2 = num(lang, doc.i2, 2);
        writeln!(out, "{}", fill(lang, "regress.i2_line", &[("i2", &i2)]))?;
        let h2 = num(lang, doc.h2, 2);
        writeln!(out, "{}", fill(lang, "regress.h2_line", &[("h2", &h2)]))?;
        if let Some(r2) = doc.r2 {
            let r2 = num(lang, r2, 2);
            writeln!(out, "{}", fill(lang, "regress.r2_line", &[("r2", &r2)]))?;
        }
        if let (Some(other), Some(gap)) = (doc.tau2_other, doc.tau2_other_loglik_gap) {
            let args = [
                ("tau2", num(lang, other, 4)),
                ("gap", num(lang, gap, 2)),
                ("limit", num(lang, 1.92, 2)),
            ];
            let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
            writeln!(out, "{}", fill(lang, "regress.bimodal", &args))?;
        }
    }
    writeln!(
        out,
        "\n{}\nQE(df = {}) = {}, {}",
        text(lang, "regress.residual_test"),
        doc.qe_df,
        num(lang, doc.qe, 4),
        p_text(lang, doc.qe_p)
    )?;
    if doc.qm_df1 > 0 {
        let coefs = (doc.qm_df1 + 1).to_string();
        let test = fill(lang, "regress.moderators_test", &[("coefs", &coefs)]);
        let (qm, p) = (num(lang, doc.qm, 4), p_text(lang, doc.qm_p));
        match doc.qm_df2 {
            Some(df2) => writeln!(
                out,
                "\n{test}\nF(df1 = {}, df2 = {df2}) = {qm}, {p}",
                doc.qm_df1
            )?,
            None => writeln!(out, "\n{test}\nQM(df = {}) = {qm}, {p}", doc.qm_df1)?,
        }
    }
    write_coefficients(out, doc, lang)
}

/// The model results table and the permutation p-values of the text output.
fn write_coefficients(out: &mut impl Write, doc: &RegressDoc, lang: Lang) -> std::io::Result<()> {
    let w = doc
        .coefficients
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let estimate = text(lang, "regress.col_estimate");
    let ew = estimate.chars().count().max(9);
    let p_cell = |p: f64| match lang {
        Lang::En => repool::format::format_p(p),
        _ => repool::format::p_value(lang, p),
    };
    writeln!(
        out,
        "\n{}\n\n{} {:>ew$} {:>9} {:>9} {:>8} {:>9} {:>9}",
        text(lang, "regress.results"),
        pad_right("", w),
        estimate,
        "se",
        if doc.test == "z" { "zval" } else { "tval" },
        "pval",
        "ci.lb",
        "ci.ub"
    )?;
    for c in &doc.coefficients {
        writeln!(
            out,
            "{} {:>ew$} {:>9} {:>9} {:>8} {:>9} {:>9}",
            pad_right(&c.name, w),
            num(lang, c.estimate, 4),
            num(lang, c.se, 4),
            num(lang, c.statistic, 4),
            p_cell(c.p_value),
            num(lang, c.ci_low, 4),
            num(lang, c.ci_high, 4)
        )?;
    }
    let Some(t) = &doc.permutation else {
        return Ok(());
    };
    let how = if t.exact {
        text(lang, "regress.exact")
    } else {
        text(lang, "regress.approximate")
    };
    let n = count(lang, "regress.permutations", t.permutations as u64);
    let seed = t
        .seed
        .map(|s| fill(lang, "regress.seed", &[("seed", &s.to_string())]))
        .unwrap_or_default();
    let failed = if t.failed > 0 {
        count(lang, "regress.failed", t.failed as u64)
    } else {
        String::new()
    };
    let heading = fill(
        lang,
        "regress.permutation",
        &[
            ("how", how),
            ("permutations", &n),
            ("seed", &seed),
            ("failed", &failed),
        ],
    );
    writeln!(out, "\n{heading}")?;
    if doc.qm_df1 > 0 {
        let line = fill(
            lang,
            "regress.moderators_p",
            &[("p", &p_text(lang, t.qm_p))],
        );
        writeln!(out, "{line}")?;
    }
    for (c, p) in doc.coefficients.iter().zip(&t.coefficient_p) {
        writeln!(out, "{} {}", pad_right(&c.name, w), p_text(lang, *p))?;
    }
    Ok(())
}

/// The row and moderator (index into `mods`) of the numeric moderator value largest in
/// absolute value: where to look when the fit overflows.
fn largest_moderator(
    x: &nalgebra::DMatrix<f64>,
    names: &[String],
    mods: &[Moderator],
) -> Option<(usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    for (j, m) in mods.iter().enumerate().filter(|(_, m)| !m.factor) {
        let Some(c) = names.iter().position(|n| *n == m.column) else {
            continue;
        };
        for row in 0..x.nrows() {
            let a = x[(row, c)].abs();
            if best.map_or(true, |b| a > b.0) {
                best = Some((a, row, j));
            }
        }
    }
    best.map(|(_, row, j)| (row, j))
}
