//! `repool funnel`: a funnel plot (effect against standard error) to SVG, PNG or PDF.

use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::Args;

use repool::check::Lang;
use repool::io::read::AnalysisReader;
use repool::plot;
use repool::pool::bias::{trim_and_fill, TrimFillEstimator};
use repool::pool::Model;

use super::forest::{format_of, select_analysis, write_figure};
use super::pool::{open_input, ModelArg, PoolOptions};
use super::spelled;

/// Options of `repool funnel`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  repool funnel trials.csv --measure RR --output funnel.png
  repool funnel trials.csv --measure OR --contours --output funnel.svg
  repool funnel trials.csv --measure OR --trimfill --output funnel.svg")]
pub struct FunnelArgs {
    /// CSV file with one row per study ('-' reads standard input).
    file: String,
    #[command(flatten)]
    opts: PoolOptions,
    /// Output file: .svg, .png or .pdf.
    #[arg(long, short)]
    output: PathBuf,
    /// Which analysis to draw when the file has several.
    #[arg(long)]
    analysis: Option<String>,
    /// Contour-enhanced funnel: shade where studies would be significant at 10%, 5%, 1%.
    #[arg(long)]
    contours: bool,
    /// Language of the labels.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
    /// Title above the plot.
    #[arg(long)]
    title: Option<String>,
    /// Run trim-and-fill (L0, or R0) and draw the studies it fills in as open circles, with
    /// the funnel centred on the adjusted estimate.
    #[arg(long, value_name = "ESTIMATOR", num_args = 0..=1, default_missing_value = "L0", value_parser = ["L0", "R0"], ignore_case = true)]
    trimfill: Option<String>,
    /// Resolution of PNG output.
    #[arg(long, default_value = "200")]
    dpi: f64,
}

/// Runs `repool funnel`.
pub fn run(args: &FunnelArgs) -> anyhow::Result<ExitCode> {
    let format = format_of(&args.output)?;
    if !(args.dpi >= 30.0 && args.dpi <= 1200.0) {
        bail!(
            "{}",
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.dpi",
                &[("dpi", &args.dpi.to_string())]
            )
        );
    }
    let model = match args.opts.model {
        ModelArg::Fixed => Model::Fixed,
        ModelArg::Random => Model::Random,
        ModelArg::Both => {
            bail!(
                "{}",
                repool::i18n::text(super::hints::lang(), "errors.cli.model_both_funnel")
            )
        }
    };
    let (input, name) = open_input(&args.file)?;
    let mut reader = AnalysisReader::new(BufReader::new(input), &name, &args.opts.read_options())?;
    let measure = reader.measure();
    let studies = select_analysis(&mut reader, args.analysis.as_deref(), &name)?;
    let r = args
        .opts
        .pool(&studies, &args.opts.config(measure, model))
        .map_err(|e| anyhow::Error::msg(format!("{name}: {e}")))?;
    let lang = args.lang;
    if r.k_estimable < 3 {
        let studies = repool::i18n::count(lang, "count.studies", r.k_estimable as u64);
        let note = repool::i18n::fill(lang, "funnel.few_studies", &[("studies", &studies)]);
        stderr_line!("repool: {note}");
    }
    let tf = match args.trimfill.as_deref().map(str::to_ascii_uppercase) {
        Some(estimator_name) => {
            let (y, v) = r.effects();
            let estimator = if estimator_name == "R0" {
                TrimFillEstimator::R0
            } else {
                TrimFillEstimator::L0
            };
            let method = (model == Model::Random).then_some(r.config.tau2_method);
            let tf = trim_and_fill(&y, &v, method, estimator)
                .map_err(|e| anyhow::Error::msg(format!("{name}: {e}")))?;
            Some((tf, estimator_name))
        }
        None => None,
    };
    let l = plot::funnel::funnel_layout(
        &r,
        lang,
        args.contours,
        args.title.as_deref(),
        tf.as_ref().map(|(t, n)| (t, n.as_str())),
    );
    write_figure(
        plot::svg::items_to_svg(l.width, l.height, &l.items),
        format,
        args.dpi,
        &args.output,
    )?;
    Ok(ExitCode::SUCCESS)
}
