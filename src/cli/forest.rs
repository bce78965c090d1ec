//! `repool forest`: a forest plot of one analysis to SVG, PNG or PDF.

use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use repool::check::Lang;
use repool::io::read::AnalysisReader;
use repool::plot::{self, ForestInput, ForestOptions, Pooled};
use repool::pool::{subgroups, Model};
use repool::{PoolConfig, Study};

use super::output::Sink;
use super::pool::{forest_model_parser, open_input, ModelArg, PoolOptions};
use super::spelled;

/// Options of `repool forest`.
#[derive(Debug, Args)]
#[command(
    after_help = "The format follows the extension of --output: .svg, .png or .pdf.

Examples:
  repool forest trials.csv --measure RR --model random --output forest.png
  repool forest pain.csv --measure MD --threshold -10 --lang nl --output forest.pdf
  repool forest trials.csv --measure OR --model both --method MH --output forest.svg",
    mut_arg("model", |a| a
        .value_parser(forest_model_parser())
        .help("Common (fixed) or random-effects model, or both (two diamonds)"))
)]
pub struct ForestArgs {
    /// CSV file with one row per study ('-' reads standard input).
    file: String,
    #[command(flatten)]
    opts: PoolOptions,
    /// Output file: .svg, .png or .pdf.
    #[arg(long, short)]
    output: PathBuf,
    /// Which analysis to draw when the file has an 'analysis' column with several values.
    #[arg(long)]
    analysis: Option<String>,
    /// Minimal important difference, drawn as a dashed line (a ratio > 0 for RR, OR, HR).
    #[arg(long, allow_hyphen_values = true)]
    threshold: Option<f64>,
    /// Also draw the threshold mirrored around the null.
    #[arg(long)]
    threshold_both: bool,
    /// Shade the region between the null and the threshold.
    #[arg(long)]
    shade_threshold: bool,
    /// x-axis limits on the display scale, e.g. "0.1,10" or "-30,30".
    #[arg(long, allow_hyphen_values = true)]
    xlim: Option<String>,
    /// Label under the left side of the axis.
    #[arg(long)]
    favours_left: Option<String>,
    /// Direction of benefit: 'lower' (default: fewer events, less pain) puts "Favours
    /// treatment" left of the null, 'higher' (e.g. responders) puts it right. With
    /// --threshold and no --benefit, the side of the threshold decides.
    #[arg(long, value_enum, ignore_case = true)]
    benefit: Option<BenefitArg>,
    /// Label under the right side of the axis.
    #[arg(long)]
    favours_right: Option<String>,
    /// Language of the labels.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
    /// Title above the plot.
    #[arg(long)]
    title: Option<String>,
    /// Resolution of PNG output.
    #[arg(long, default_value = "200")]
    dpi: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum BenefitArg {
    Lower,
    Higher,
}

pub(super) enum Format {
    Svg,
    Png,
    Pdf,
}

/// Runs `repool forest`.
pub fn run(args: &ForestArgs) -> anyhow::Result<ExitCode> {
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
    let (input, name) = open_input(&args.file)?;
    let mut reader = AnalysisReader::new(BufReader::new(input), &name, &args.opts.read_options())?;
    let measure = reader.measure();
    let studies = select_analysis(&mut reader, args.analysis.as_deref(), &name)?;
    // Threshold and axis limits on the display scale.
    if let Some(t) = args.threshold {
        if measure.is_ratio() && !(t > 0.0) {
            bail!(
                "{}",
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.threshold_ratio",
                    &[("threshold", &t.to_string()), ("measure", measure.code())]
                )
            );
        }
        if (measure.is_ratio() && t == 1.0) || (!measure.is_ratio() && t == 0.0) {
            bail!(
                "{}",
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.threshold_null",
                    &[("threshold", &t.to_string())]
                )
            );
        }
    }
    let xlim = match &args.xlim {
        Some(s) => Some(parse_xlim(s, measure.is_ratio())?),
        None => None,
    };
    let models: Vec<Model> = match args.opts.model {
        ModelArg::Fixed => vec![Model::Fixed],
        ModelArg::Random => vec![Model::Random],
        ModelArg::Both => vec![Model::Fixed, Model::Random],
    };
    let pool_all = |studies: &[Study]| -> Result<Pooled, String> {
        let mut p = Pooled::default();
        for &m in &models {
            let mut config: PoolConfig = args.opts.config(measure, m);
            if m == Model::Random && models.len() == 2 {
                config.method = repool::pool::CommonMethod::IV;
            }
            let r = args
                .opts
                .pool_in(studies, &config, super::hints::lang())
                .map_err(|e| format!("{name}: {e}"))?;
            match m {
                Model::Fixed => p.fixed = Some(r),
                Model::Random => p.random = Some(r),
            }
        }
        Ok(p)
    };
    let overall = pool_all(&studies).map_err(anyhow::Error::msg)?;
    let by_subgroup = subgroups::pool_each_if_any(&studies, &pool_all, Pooled::primary);
    let lang = args.lang;
    let input = ForestInput::new(&studies, measure, overall, by_subgroup);
    let benefit_higher = match (args.benefit, args.threshold) {
        (Some(b), _) => b == BenefitArg::Higher,
        (None, Some(t)) => {
            if measure.is_ratio() {
                t > 1.0
            } else {
                t > 0.0
            }
        }
        (None, None) => false,
    };
    let opts = ForestOptions {
        lang,
        title: args.title.clone(),
        threshold: args.threshold,
        threshold_both: args.threshold_both,
        shade_threshold: args.shade_threshold,
        xlim,
        favours_left: args.favours_left.clone(),
        favours_right: args.favours_right.clone(),
        benefit_higher,
    };
    let layout = plot::forest_layout(&input, &opts);
    write_figure(plot::svg::to_svg(&layout), format, args.dpi, &args.output)?;
    Ok(ExitCode::SUCCESS)
}

/// The studies of the one analysis to draw: the only one, or the one named by `--analysis`.
pub(super) fn select_analysis<R: std::io::Read>(
    reader: &mut AnalysisReader<R>,
    wanted: Option<&str>,
    name: &str,
) -> anyhow::Result<Vec<Study>> {
    let mut chosen = None;
    let mut names = Vec::new();
    while let Some(a) = reader.next_analysis() {
        let a = a?;
        let n = a.name.clone();
        let take = match (wanted, &n) {
            (Some(want), Some(have)) => want == have,
            (Some(_), None) => bail!("--analysis is given but {name} has no 'analysis' column"),
            (None, _) => chosen.is_none(),
        };
        names.push(n.unwrap_or_default());
        if take && chosen.is_none() {
            chosen = Some(a);
        }
    }
    if wanted.is_none() && names.len() > 1 {
        bail!(
            "{name} holds {} analyses; choose one with --analysis (one of: {})",
            names.len(),
            names.join(", ")
        );
    }
    let Some(analysis) = chosen else {
        bail!(
            "no analysis '{}' in {name} (analyses: {})",
            wanted.unwrap_or(""),
            names.join(", ")
        );
    };
    Ok(analysis.studies?)
}

/// The output format named by the file's extension.
pub(super) fn format_of(path: &std::path::Path) -> anyhow::Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    Ok(match ext.as_deref() {
        Some("svg") => Format::Svg,
        Some("png") => Format::Png,
        Some("pdf") => Format::Pdf,
        _ => bail!(
            "cannot tell the format of {}: the output file must end in .svg, .png or .pdf",
            path.display()
        ),
    })
}

/// Writes SVG text as SVG, PNG or PDF, atomically.
pub(super) fn write_figure(
    svg: String,
    format: Format,
    dpi: f64,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let bytes = match format {
        Format::Svg => svg.into_bytes(),
        Format::Png => plot::render::to_png(&svg, dpi)?,
        Format::Pdf => plot::render::to_pdf(&svg)?,
    };
    let mut sink = Sink::new(Some(path))?;
    sink.write_all(&bytes).with_context(|| {
        repool::i18n::fill(
            super::hints::lang(),
            "errors.cli.writing",
            &[("file", &path.display().to_string())],
        )
    })?;
    sink.commit()
}

/// Writes a figure to `path` in the format its extension names (200 dpi for PNG), atomically.
pub(super) fn write_plot(
    figure: &plot::layout::Figure,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    write_figure(figure.to_svg(), format_of(path)?, 200.0, path)
}

fn parse_xlim(s: &str, ratio: bool) -> anyhow::Result<(f64, f64)> {
    let parts: Vec<&str> = s.split([',', ';']).map(str::trim).collect();
    let nums: Option<Vec<f64>> = parts
        .iter()
        .map(|p| p.parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    match nums.as_deref() {
        Some([a, b])
            if a < b
                && (!ratio || *a > 0.0)
                && (!ratio || (*a < 1.0 && *b > 1.0))
                && (ratio || (*a < 0.0 && *b > 0.0)) =>
        {
            Ok((*a, *b))
        }
        Some([_, _]) if ratio => {
            bail!(
                "{}",
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.xlim_ratio",
                    &[("xlim", s)]
                )
            )
        }
        Some([_, _]) => {
            bail!(
                "{}",
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.xlim_difference",
                    &[("xlim", s)]
                )
            )
        }
        _ => bail!(
            "{}",
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.xlim_numbers",
                &[("xlim", s)]
            )
        ),
    }
}
