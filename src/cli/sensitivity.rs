//! `repool sensitivity` (leave-one-out, cumulative) and `repool bias` (Egger, Begg).

use std::io::{BufReader, Write};
use std::process::ExitCode;

use anyhow::bail;
use clap::{ArgGroup, Args, ValueEnum};
use repool::io::write::{
    csv_writer, to_writer_sorted_pretty, InfluenceCsvRow, InfluenceDoc, InfluenceRow,
    SensitivityDoc, SensitivityRow, INFLUENCE_SCHEMA, SENSITIVITY_SCHEMA,
};

use repool::io::read::AnalysisReader;
use repool::io::write::BiasDoc;
use repool::pool::influence::InfluenceError;
use repool::pool::{bias, sensitivity, Model, PooledEstimate};
use repool::Study;

use super::forest::{select_analysis, write_plot};
use super::pool::{open_input, ModelArg, PoolOptions};
use super::{spelled, FormatArg};
use repool::check::Lang;
use repool::format::localise_number;
use repool::i18n;
use repool::i18n::{count, fill, text};
use repool::plot::rows::{rows_layout, EstimateRow, RowsInput};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum OrderArg {
    /// As in the file.
    Input,
    /// By year (studies without a year last).
    Year,
    /// Most precise first (smallest variance).
    Precision,
}

/// Options of `repool sensitivity`.
#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("mode").required(true).args(["leave_one_out", "cumulative", "influence"])),
    after_help = "Examples:
  repool sensitivity trials.csv --measure RR --leave-one-out
  repool sensitivity trials.csv --measure RR --cumulative --order year --format csv
  repool sensitivity trials.csv --measure RR --leave-one-out --plot loo.png")]
pub struct SensitivityArgs {
    /// CSV file with the studies.
    file: String,
    #[command(flatten)]
    opts: PoolOptions,
    /// Pool without each study in turn.
    #[arg(long, conflicts_with_all = ["cumulative", "influence"])]
    leave_one_out: bool,
    /// Pool the first 1, 2, … k studies.
    #[arg(long, conflicts_with = "influence")]
    cumulative: bool,
    /// Influence diagnostics as metafor's influence(): standardised residuals, DFFITS, Cook's
    /// distance, covariance ratio, tau^2 and Q without the study, hat values, DFBETAS, the
    /// "influential" rule, and Baujat coordinates.
    #[arg(long)]
    influence: bool,
    /// Order of the cumulative analysis.
    #[arg(long, value_enum, default_value = "input")]
    order: OrderArg,
    /// Which analysis, when the file has several.
    #[arg(long)]
    analysis: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// Also draw a plot (.svg, .png or .pdf): the leave-one-out or cumulative pools
    /// forest-style, or with --influence the Baujat plot.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    /// Language of the text output and the plot labels (decimal commas for nl and fr); JSON
    /// and CSV stay as they are.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
}

pub(super) fn load(
    file: &str,
    opts: &PoolOptions,
    analysis: Option<&str>,
) -> anyhow::Result<(Vec<Study>, repool::PoolConfig)> {
    let model = match opts.model {
        ModelArg::Fixed => Model::Fixed,
        ModelArg::Random => Model::Random,
        ModelArg::Both => bail!(
            "{}",
            repool::i18n::text(super::hints::lang(), "errors.cli.model_both")
        ),
    };
    let (input, name) = open_input(file)?;
    let mut reader = AnalysisReader::new(BufReader::new(input), &name, &opts.read_options())?;
    let measure = reader.measure();
    let studies = select_analysis(&mut reader, analysis, &name)?;
    Ok((studies, opts.config(measure, model)))
}

/// Runs `repool sensitivity`.
pub fn run(args: &SensitivityArgs) -> anyhow::Result<ExitCode> {
    let (mut studies, config) = load(&args.file, &args.opts, args.analysis.as_deref())?;
    if args.influence {
        return run_influence(args, &studies, &config);
    }
    let measure = config.measure;
    let d = |x: f64| measure.display(x);
    // Inverse-variance pools whose study effects do not depend on the other studies take the
    // fast paths (the same numbers, no full refits): with `--cc-to if0all` a study's
    // correction depends on whether the others have a zero cell.
    let fast = config.method == repool::pool::CommonMethod::IV
        && config.effect.zero_cell.to != repool::effect::CcTo::If0All;
    if args.cumulative {
        order_studies(&mut studies, args.order, &config)?;
    }
    let all = repool::pool(&studies, &config).map_err(super::hints::pool_anyhow)?;
    // The fast leave-one-out gives way to refits when a pool has a number that is not
    // finite, so that the refits say which and why, pool by pool.
    let fast_loo = match (args.leave_one_out, fast) {
        (true, true) => leave_one_out_rows(&all, &config, &d)?,
        _ => None,
    };
    let fast = fast && (!args.leave_one_out || fast_loo.is_some());
    let rows: Vec<SensitivityRow> = match (args.leave_one_out, fast) {
        (true, true) => fast_loo.unwrap_or_default(),
        (false, true) => {
            let effects: Vec<Option<(f64, f64)>> = all
                .studies
                .iter()
                .map(|s| s.effect.map(|e| (e.yi(), e.vi())))
                .collect();
            let mut k = 0;
            sensitivity::cumulative_fast(&effects, &config)
                .into_iter()
                .zip(&studies)
                .zip(&effects)
                .map(|((f, s), e)| {
                    k += e.is_some() as usize;
                    match f {
                        Ok(f) => fast_row(&s.label, k, &f, &d),
                        Err(e) => error_row(&s.label, &super::hints::pool_error(&e)),
                    }
                })
                .collect()
        }
        // Full refits, each turned into its row at once (a pool keeps every study's row).
        (true, false) => (0..studies.len())
            .map(|i| {
                let rest: Vec<Study> = studies
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, s)| s.clone())
                    .collect();
                pooled_row(&studies[i].label, repool::pool(&rest, &config), &d)
            })
            .collect(),
        (false, false) => (1..=studies.len())
            .map(|n| {
                pooled_row(
                    &studies[n - 1].label,
                    repool::pool(&studies[..n], &config),
                    &d,
                )
            })
            .collect(),
    };
    write_rows(args, &config, rows, &all)
}

/// Puts the studies of a cumulative analysis in `order`.
fn order_studies(
    studies: &mut Vec<Study>,
    order: OrderArg,
    config: &repool::PoolConfig,
) -> anyhow::Result<()> {
    match order {
        OrderArg::Input => {}
        OrderArg::Year => studies.sort_by_key(|s| s.year.unwrap_or(i32::MAX)),
        OrderArg::Precision => {
            *studies =
                sensitivity::by_precision(studies, config).map_err(super::hints::pool_anyhow)?;
        }
    }
    Ok(())
}

/// Leave-one-out rows by the fast path from the pool of all studies.
fn leave_one_out_rows(
    full: &PooledEstimate,
    config: &repool::PoolConfig,
    d: &dyn Fn(f64) -> f64,
) -> anyhow::Result<Option<Vec<SensitivityRow>>> {
    let kept: Vec<&repool::pool::StudyResult> =
        full.studies.iter().filter(|s| s.effect.is_some()).collect();
    let (y, v) = full.effects();
    if y.len() < 2 {
        bail!(
            "leave-one-out needs at least 2 studies, got k = {}",
            y.len()
        );
    }
    let fits = match sensitivity::leave_one_out_fast(&y, &v, config) {
        Ok(fits) => fits,
        Err(sensitivity::LooError::NonFinite { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(Some(
        kept.iter()
            .zip(&fits)
            .map(|(s, f)| fast_row(&s.label, y.len() - 1, f, d))
            .collect(),
    ))
}

fn fast_row(
    label: &str,
    k: usize,
    f: &sensitivity::LooFit,
    d: &dyn Fn(f64) -> f64,
) -> SensitivityRow {
    SensitivityRow {
        study: label.to_string(),
        k: Some(k),
        estimate: Some(f.estimate),
        se: Some(f.se),
        ci_low: Some(f.ci_low),
        ci_high: Some(f.ci_high),
        p_value: f.p_value,
        tau2: f.tau2,
        q: Some(f.q),
        i2: Some(f.i2),
        display_estimate: Some(d(f.estimate)),
        display_ci_low: Some(d(f.ci_low)),
        display_ci_high: Some(d(f.ci_high)),
        error: None,
    }
}

fn pooled_row(
    label: &str,
    r: Result<PooledEstimate, repool::pool::PoolError>,
    d: &dyn Fn(f64) -> f64,
) -> SensitivityRow {
    match r {
        Ok(r) => row(label, &r, d),
        Err(e) => error_row(label, &super::hints::pool_error(&e)),
    }
}

fn error_row(label: &str, e: &dyn std::fmt::Display) -> SensitivityRow {
    SensitivityRow {
        study: label.to_string(),
        k: None,
        estimate: None,
        se: None,
        ci_low: None,
        ci_high: None,
        p_value: None,
        tau2: None,
        q: None,
        i2: None,
        display_estimate: None,
        display_ci_low: None,
        display_ci_high: None,
        error: Some(e.to_string()),
    }
}

fn write_rows(
    args: &SensitivityArgs,
    config: &repool::PoolConfig,
    rows: Vec<SensitivityRow>,
    all: &PooledEstimate,
) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.plot {
        write_rows_plot(args, config, &rows, all, path)?;
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        FormatArg::Json => {
            let doc = SensitivityDoc {
                schema: SENSITIVITY_SCHEMA,
                kind: if args.leave_one_out {
                    "leave-one-out"
                } else {
                    "cumulative"
                },
                rows: &rows,
            };
            to_writer_sorted_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        FormatArg::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            for r in &rows {
                w.serialize(r)?;
            }
            w.flush()?;
        }
        FormatArg::Text => {
            let lang = args.lang;
            let code = config.measure.code();
            let n = |x: f64, d: usize| localise_number(lang, &format!("{x:.d$}"));
            let heading = if args.leave_one_out {
                i18n::fill(lang, "sensitivity.loo_heading", &[("measure", code)])
            } else {
                i18n::fill(lang, "sensitivity.cumulative_heading", &[("measure", code)])
            };
            writeln!(out, "{heading}")?;
            writeln!(
                out,
                "{:<28} {:>3} {:>9} {:>9} {:>9} {:>8} {:>9} {:>7}",
                i18n::text(lang, "sensitivity.study"),
                "k",
                code,
                "ci.lb",
                "ci.ub",
                "pval",
                "tau2",
                "I2(%)"
            )?;
            for r in &rows {
                match &r.error {
                    Some(e) => writeln!(out, "{:<28} {e}", r.study)?,
                    None => writeln!(
                        out,
                        "{:<28} {:>3} {:>9} {:>9} {:>9} {:>8} {:>9} {:>7}",
                        r.study.chars().take(28).collect::<String>(),
                        r.k.unwrap_or(0),
                        n(r.display_estimate.unwrap_or(f64::NAN), 4),
                        n(r.display_ci_low.unwrap_or(f64::NAN), 4),
                        n(r.display_ci_high.unwrap_or(f64::NAN), 4),
                        r.p_value
                            .map(|p| localise_number(lang, &repool::format::format_p(p)))
                            .unwrap_or_else(|| "-".into()),
                        n(r.tau2.unwrap_or(0.0), 4),
                        n(r.i2.unwrap_or(0.0), 2)
                    )?,
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The leave-one-out or cumulative plot: one estimate per row, the pool of all studies last.
fn write_rows_plot(
    args: &SensitivityArgs,
    config: &repool::PoolConfig,
    rows: &[SensitivityRow],
    all: &PooledEstimate,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let lang = args.lang;
    let heading = if args.leave_one_out {
        i18n::text(lang, "sensitivity.omitted_study")
    } else {
        i18n::text(lang, "sensitivity.added_study")
    };
    let all_label = i18n::text(lang, "sensitivity.all_studies");
    let input = RowsInput {
        heading: heading.into(),
        rows: rows
            .iter()
            .map(|r| EstimateRow {
                label: r.study.clone(),
                value: match (&r.error, r.estimate, r.ci_low, r.ci_high) {
                    (None, Some(e), Some(l), Some(h)) => Ok((e, l, h)),
                    (e, ..) => Err(e
                        .clone()
                        .unwrap_or_else(|| i18n::text(lang, "sensitivity.not_estimable").into())),
                },
            })
            .collect(),
        all: Some((all.estimate, all.ci_low, all.ci_high)),
        all_label: all_label.into(),
        measure: config.measure,
        level_percent: 100.0 * config.level,
        title: None,
    };
    write_plot(&rows_layout(&input, lang), path)
}

fn run_influence(
    args: &SensitivityArgs,
    studies: &[Study],
    config: &repool::PoolConfig,
) -> anyhow::Result<ExitCode> {
    let full = repool::pool(studies, config).map_err(super::hints::pool_anyhow)?;
    let labels: Vec<&str> = full
        .studies
        .iter()
        .filter(|s| s.effect.is_some())
        .map(|s| s.label.as_str())
        .collect();
    let (y, v) = full.effects();
    if y.len() < 3 {
        bail!(
            "{}",
            fill(
                super::hints::lang(),
                "errors.cli.influence_too_few",
                &[("k", &y.len().to_string())]
            )
        );
    }
    let method = (config.model == Model::Random).then_some(config.tau2_method);
    let hksj = config.ci != repool::pool::CiMethod::Z;
    let with_effect: Vec<&repool::pool::StudyResult> =
        full.studies.iter().filter(|s| s.effect.is_some()).collect();
    let inf = repool::pool::influence::influence(&y, &v, method, hksj).map_err(|e| match e {
        InfluenceError::NonFinite { index, what } => {
            let s = with_effect[index];
            let lang = super::hints::lang();
            anyhow::anyhow!(
                "{}",
                fill(
                    lang,
                    "errors.cli.influence_non_finite",
                    &[
                        ("study", &s.label),
                        (
                            "line",
                            &s.line
                                .map(|l| fill(lang, "errors.at_line", &[("line", &l.to_string())]))
                                .unwrap_or_default()
                        ),
                        ("what", &repool::i18n::errors::phrase(lang, what)),
                    ]
                )
            )
        }
        e => e.into(),
    })?;
    if let Some(path) = &args.plot {
        let points: Vec<(f64, f64)> = inf.iter().map(|d| (d.baujat_x, d.baujat_y)).collect();
        write_plot(
            &repool::plot::baujat::baujat_layout(&labels, &points, args.lang),
            path,
        )?;
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        FormatArg::Json | FormatArg::Csv => {
            let rows: Vec<InfluenceRow> = labels
                .iter()
                .zip(&inf)
                .map(|(l, d)| InfluenceRow::new(l, d))
                .collect();
            if args.format == FormatArg::Json {
                let doc = InfluenceDoc {
                    schema: INFLUENCE_SCHEMA,
                    rows: &rows,
                };
                to_writer_sorted_pretty(&mut out, &doc)?;
                writeln!(out)?;
            } else {
                let mut w = csv_writer(&mut out);
                w.write_record(InfluenceCsvRow::csv_header())?;
                for (l, d) in labels.iter().zip(&inf) {
                    w.serialize(InfluenceCsvRow::new(l, d))?;
                }
                w.flush()?;
            }
        }
        FormatArg::Text => {
            write_influence_text(&mut out, args.lang, config.measure.code(), &labels, &inf)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The influence diagnostics as a table, in `lang` (metafor's column names, decimal commas in
/// Dutch and French).
fn write_influence_text(
    out: &mut impl Write,
    lang: Lang,
    code: &str,
    labels: &[&str],
    inf: &[repool::pool::influence::Influence],
) -> anyhow::Result<()> {
    let heading = i18n::fill(lang, "sensitivity.influence_heading", &[("measure", code)]);
    writeln!(out, "{heading}")?;
    writeln!(
        out,
        "{:<24} {:>8} {:>8} {:>7} {:>7} {:>8} {:>9} {:>6} {:>7} {:>7} {:>3}",
        i18n::text(lang, "sensitivity.study"),
        "rstudent",
        "dffits",
        "cook.d",
        "cov.r",
        "tau2.del",
        "QE.del",
        "hat",
        "weight",
        "dfbs",
        "inf"
    )?;
    for (l, d) in labels.iter().zip(inf) {
        let n = |x: f64, d: usize| localise_number(lang, &format!("{x:.d$}"));
        writeln!(
            out,
            "{:<24} {:>8} {:>8} {:>7} {:>7} {:>8} {:>9} {:>6} {:>7} {:>7} {:>3}",
            l.chars().take(24).collect::<String>(),
            n(d.rstudent, 4),
            n(d.dffits, 4),
            n(d.cook_d, 4),
            n(d.cov_r, 4),
            n(d.tau2_del, 4),
            n(d.qe_del, 4),
            n(d.hat, 4),
            n(d.weight, 2),
            n(d.dfbetas, 4),
            if d.influential { "*" } else { "" }
        )?;
    }
    writeln!(out, "{}", i18n::text(lang, "sensitivity.influence_legend"))?;
    Ok(())
}

fn row(label: &str, r: &PooledEstimate, d: &dyn Fn(f64) -> f64) -> SensitivityRow {
    SensitivityRow {
        study: label.to_string(),
        k: Some(r.k),
        estimate: Some(r.estimate),
        se: Some(r.se),
        ci_low: Some(r.ci_low),
        ci_high: Some(r.ci_high),
        p_value: r.p_value,
        tau2: r.tau2,
        q: Some(r.heterogeneity.q),
        i2: Some(r.heterogeneity.i2_percent),
        display_estimate: Some(d(r.estimate)),
        display_ci_low: Some(d(r.ci_low)),
        display_ci_high: Some(d(r.ci_high)),
        error: None,
    }
}

/// Options of `repool bias`.
#[derive(Debug, Args)]
#[command(
    after_help = "Egger's regression test (classic: weighted regression of the effects on their
standard errors, t with k - 2 df; metafor regtest(model = \"lm\")) and the Begg-Mazumdar rank
correlation test (metafor ranktest()). Both have little power with fewer than 10 studies."
)]
pub struct BiasArgs {
    /// CSV file with the studies.
    file: String,
    #[command(flatten)]
    opts: PoolOptions,
    /// Which analysis, when the file has several.
    #[arg(long)]
    analysis: Option<String>,
    /// Output format (csv: one row per test).
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// The same as --format json (kept for scripts written before --format).
    #[arg(long, hide = true, conflicts_with = "format")]
    json: bool,
    /// Use the R0 estimator of trim-and-fill instead of L0.
    #[arg(long)]
    r0: bool,
    /// Language of the text output (numbers with decimal commas for nl and fr); JSON and
    /// CSV stay as they are.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
}

/// Runs `repool bias`.
pub fn run_bias(args: &BiasArgs) -> anyhow::Result<ExitCode> {
    let (studies, config) = load(&args.file, &args.opts, args.analysis.as_deref())?;
    let r = repool::pool(&studies, &config).map_err(super::hints::pool_anyhow)?;
    let (y, v) = r.effects();
    let egger = bias::egger(&y, &v)?;
    let begg = bias::begg(&y, &v)?;
    let method = (config.model == Model::Random).then_some(config.tau2_method);
    let egger_rma = bias::egger_rma(&y, &v, method)?;
    let est = if args.r0 {
        bias::TrimFillEstimator::R0
    } else {
        bias::TrimFillEstimator::L0
    };
    let tf = bias::trim_and_fill(&y, &v, method, est)?;
    let k = y.len();
    let few = |lang| few_studies_warning(lang, k);
    let warning = (k < 10).then(|| few(Lang::En));
    let doc = BiasDoc::new(
        config.measure,
        k,
        (&egger, &begg, &egger_rma),
        &tf,
        est,
        warning,
    );
    let mut out = std::io::stdout().lock();
    let format = if args.json {
        FormatArg::Json
    } else {
        args.format
    };
    match format {
        FormatArg::Json => {
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        FormatArg::Csv => {
            let mut w = csv_writer(&mut out);
            w.write_record(BiasDoc::csv_header())?;
            for r in doc.csv_records() {
                w.serialize(r)?;
            }
            w.flush()?;
        }
        FormatArg::Text => {
            let lang = args.lang;
            let doc = BiasDoc {
                warning: doc.warning.as_ref().map(|_| few(lang)),
                ..doc
            };
            write_bias_text(&mut out, &doc, lang)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The warning that a funnel-plot test of `k` studies has little power.
fn few_studies_warning(lang: Lang, k: usize) -> String {
    fill(
        lang,
        "bias.few_studies",
        &[("studies", &count(lang, "count.studies", k as u64))],
    )
}

/// The text output of `repool bias`, in `lang`.
fn write_bias_text(out: &mut impl Write, doc: &BiasDoc, lang: Lang) -> std::io::Result<()> {
    let (e, b, r, tf) = (&doc.egger, &doc.begg, &doc.egger_rma, &doc.trimfill);
    let n = |x: f64| localise_number(lang, &format!("{x:.4}"));
    let k = doc.k.to_string();
    let line = |key: &str, args: &[(&str, &str)]| fill(lang, key, args);
    writeln!(
        out,
        "{}",
        line("bias.heading", &[("k", &k), ("measure", &doc.measure)])
    )?;
    let egger = [
        ("t", n(e.t)),
        ("df", e.df.to_string()),
        ("p", n(e.p_value)),
        ("limit", n(e.limit_estimate)),
    ];
    writeln!(out, "{}", fill(lang, "bias.egger", &pairs(&egger)))?;
    let how = if b.exact {
        text(lang, "bias.begg_exact")
    } else if doc.k > bias::BEGG_EXACT_MAX_K {
        text(lang, "bias.begg_normal_many")
    } else {
        text(lang, "bias.begg_normal_ties")
    };
    let begg = [
        ("tau", n(b.tau)),
        ("p", n(b.p_value)),
        ("how", how.to_string()),
    ];
    writeln!(out, "{}", fill(lang, "bias.begg", &pairs(&begg)))?;
    let rma = [
        ("z", n(r.z)),
        ("p", n(r.p_value)),
        ("limit", n(r.limit_estimate)),
    ];
    writeln!(out, "{}", fill(lang, "bias.egger_rma", &pairs(&rma)))?;
    let side = match tf.side.as_str() {
        "left" => text(lang, "bias.side_left"),
        "right" => text(lang, "bias.side_right"),
        other => other,
    };
    let tfa = [
        ("estimator", tf.estimator.to_string()),
        ("missing", count(lang, "count.studies", tf.k0 as u64)),
        ("side", side.to_string()),
        ("measure", doc.measure.to_string()),
        ("estimate", n(tf.display.estimate)),
        ("low", n(tf.display.ci_low)),
        ("high", n(tf.display.ci_high)),
    ];
    writeln!(out, "{}", fill(lang, "bias.trim_fill", &pairs(&tfa)))?;
    for (i, f) in tf.filled.iter().enumerate() {
        let filled = [("i", (i + 1).to_string()), ("yi", n(f.yi)), ("vi", n(f.vi))];
        writeln!(out, "  {}", fill(lang, "bias.filled", &pairs(&filled)))?;
    }
    if let Some(w) = &doc.warning {
        writeln!(out, "{}", fill(lang, "bias.note", &[("note", w)]))?;
    }
    Ok(())
}

/// Owned name/value pairs as the borrowed pairs [`fill`] takes.
fn pairs<'a>(args: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    args.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
