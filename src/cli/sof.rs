//! `repool sof`: a summary of findings (absolute effects, NNT, certainty suggestions) for one
//! or more outcomes, as text, Markdown, HTML, CSV or JSON.

use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use repool::format::Lang;
use repool::i18n::errors::Localize;
use repool::i18n::fill;
use repool::io::read::AnalysisReader;
use repool::io::write::{csv_writer, ReviewerInput, SofDoc, SofOutcomeRow, SOF_SCHEMA};
use repool::pool::{subgroups, Model, PoolConfig};
use repool::report::sof::{to_html, to_markdown, to_text, Entry};
use repool::sof::{summarise, AssumedRisk, Outcome, RiskLabel, SofError, SofOptions};
use repool::Study;

use super::output::Sink;
use super::pool::{open_input, ModelArg, PoolOptions};
use super::{spelled, EXIT_ERROR};

/// Output formats of `repool sof`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SofFormat {
    /// One block per outcome.
    Text,
    /// The summary-of-findings table in Markdown.
    #[value(alias = "md")]
    Markdown,
    /// The summary-of-findings table as an HTML page.
    Html,
    /// One row per outcome and control risk.
    Csv,
    /// `repool.sof.v1`.
    Json,
}

/// Options of `repool sof`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  repool sof trials.csv --measure RR
  repool sof trials.csv --measure OR --control-risk low=0.01,high=0.03 --format markdown
  repool sof responders.csv --measure RR --desirable --threshold 1.25
  repool sof pain.csv --measure SMD --sd 20 --threshold -0.5 --lang nl

Risks are per 1,000 and NNTs by Altman's method (Cochrane Handbook 15.4.4). Certainty:
suggestions for imprecision, inconsistency and publication bias, each with its reasons;
risk of bias and indirectness are yours (--risk-of-bias, --indirectness).")]
pub struct SofArgs {
    /// CSV files with one row per study, one outcome each (or one per analysis of a file
    /// with an `analysis` column); '-' reads standard input.
    #[arg(required = true)]
    files: Vec<String>,
    #[command(flatten)]
    opts: PoolOptions,
    /// Assumed control risks (proportions): 0.2, or labelled as low=0.05,high=0.3; without
    /// it, the trials' pooled and median control risks.
    #[arg(long = "control-risk", value_delimiter = ',', value_name = "RISK")]
    control_risk: Vec<String>,
    /// The time at which the control risks apply ("10 years"); needed for a hazard ratio,
    /// whose corresponding risk is 1 - (1 - control risk)^HR at that time.
    #[arg(long = "time-point", value_name = "TIME")]
    time_point: Option<String>,
    /// The event is desirable (response, recovery): more events is a benefit.
    #[arg(long)]
    desirable: bool,
    /// Threshold of an important effect on the display scale (a ratio for RR/OR/HR, e.g.
    /// 0.75; a difference for MD/SMD, e.g. -10); its side of the null is benefit.
    #[arg(long, allow_hyphen_values = true)]
    threshold: Option<f64>,
    /// SD of a familiar scale, to re-express an SMD on it.
    #[arg(long)]
    sd: Option<f64>,
    /// Relative risk reduction the optimal information size of a binary outcome is planned
    /// for (GRADE: 0.20-0.25).
    #[arg(long, default_value = "0.25")]
    rrr: f64,
    /// Name of the outcome (default: the analysis or the file name).
    #[arg(long)]
    outcome: Option<String>,
    /// Your judgement of risk of bias, carried into the table.
    #[arg(long = "risk-of-bias", value_name = "JUDGEMENT")]
    risk_of_bias: Option<String>,
    /// Your judgement of indirectness, carried into the table.
    #[arg(long, value_name = "JUDGEMENT")]
    indirectness: Option<String>,
    /// The certainty the publication states, shown beside the suggestions.
    #[arg(long, value_name = "CERTAINTY")]
    published: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: SofFormat,
    /// Language of the text, Markdown and HTML (and of the reasons in JSON and CSV).
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// One `--control-risk` value: `0.2` or `label=0.2`.
fn parse_risk(s: &str) -> anyhow::Result<AssumedRisk> {
    let (label, value) = match s.split_once('=') {
        Some((l, v)) => (Some(l.trim().to_string()), v.trim()),
        None => (None, s.trim()),
    };
    let risk: f64 = value
        .parse()
        .ok()
        // A subnormal risk (below 2.2e-308) has lost its precision, as pool refuses it.
        .filter(|r: &f64| r.is_normal() && *r > 0.0 && *r < 1.0)
        .with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.control_risk",
                &[("value", &format!("{s:?}"))],
            )
        })?;
    Ok(AssumedRisk {
        label: RiskLabel::Given(label),
        risk,
    })
}

impl SofArgs {
    fn sof_options(&self) -> anyhow::Result<SofOptions> {
        if !(self.rrr > 0.0 && self.rrr < 1.0) {
            bail!(
                "{}",
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.rrr",
                    &[("rrr", &self.rrr.to_string())]
                )
            );
        }
        if let [whole, fraction] = self.control_risk.as_slice() {
            let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            if whole == "0" && digits(fraction) {
                bail!(
                    "{}",
                    repool::i18n::fill(
                        super::hints::lang(),
                        "errors.cli.control_risk_comma",
                        &[("whole", whole), ("fraction", fraction)]
                    )
                );
            }
        }
        let mut o = SofOptions::default();
        o.control_risks = self
            .control_risk
            .iter()
            .map(|s| parse_risk(s))
            .collect::<anyhow::Result<_>>()?;
        o.desirable = self.desirable;
        o.threshold = self.threshold;
        o.sd = self.sd;
        o.rrr = self.rrr;
        o.time_point = self.time_point.clone();
        Ok(o)
    }

    fn reviewer(&self) -> ReviewerInput {
        ReviewerInput {
            risk_of_bias: self.risk_of_bias.clone(),
            indirectness: self.indirectness.clone(),
            published: self.published.clone(),
        }
    }

    fn model(&self) -> anyhow::Result<Model> {
        Ok(match self.opts.model {
            ModelArg::Fixed => Model::Fixed,
            ModelArg::Random => Model::Random,
            ModelArg::Both => {
                bail!(
                    "{}",
                    repool::i18n::text(super::hints::lang(), "errors.cli.model_both_sof")
                )
            }
        })
    }
}

/// The summary of one analysis's studies: pooled, with the subgroup test if there are
/// subgroups.
fn summarise_studies(
    args: &SofArgs,
    config: &PoolConfig,
    studies: &[Study],
    opts: &SofOptions,
) -> Result<Outcome, String> {
    let lang = super::hints::lang();
    let r = args.opts.pool_in(studies, config, lang)?;
    let subgroup_p = studies
        .iter()
        .any(|s| s.subgroup.is_some())
        .then(|| subgroups::analyse(studies, |s| args.opts.pool(s, config)).test)
        .flatten()
        .map(|t| t.p_value);
    summarise(studies, &r, subgroup_p, opts).map_err(|e| {
        let message = e.message(lang);
        match e {
            SofError::ThresholdSide {
                desirable: true, ..
            } => fill(
                lang,
                "errors.cli.threshold_side_given",
                &[("message", &message)],
            ),
            SofError::ThresholdSide { .. } => fill(
                lang,
                "errors.cli.threshold_side_not_given",
                &[("message", &message)],
            ),
            SofError::TimePoint => fill(lang, "errors.cli.time_point", &[("message", &message)]),
            _ => message,
        }
    })
}

/// Every outcome of the files, named; errors are reported and counted, not fatal.
fn outcomes(args: &SofArgs, opts: &SofOptions) -> anyhow::Result<(Vec<(String, Outcome)>, usize)> {
    let model = args.model()?;
    let (mut out, mut failed) = (Vec::new(), 0usize);
    for file in &args.files {
        let (input, name) = open_input(file)?;
        let mut reader =
            AnalysisReader::new(BufReader::new(input), &name, &args.opts.read_options())?;
        let config = args.opts.config(reader.measure(), model);
        while let Some(analysis) = reader.next_analysis() {
            let analysis = analysis?;
            let label = outcome_name(args, &name, analysis.name.as_deref());
            let result = match analysis.studies {
                Ok(studies) => summarise_studies(args, &config, &studies, opts),
                Err(e) => Err(super::hints::read_error_in(&e, super::hints::lang())),
            };
            match result {
                Ok(o) => out.push((label, o)),
                Err(msg) => {
                    failed += 1;
                    stderr_line!(
                        "{}",
                        fill(
                            super::hints::lang(),
                            "errors.cli.error",
                            &[(
                                "message",
                                &fill(
                                    super::hints::lang(),
                                    "errors.cli.file_message",
                                    &[("file", &label), ("message", &msg)],
                                ),
                            )],
                        )
                    );
                }
            }
        }
    }
    Ok((out, failed))
}

fn outcome_name(args: &SofArgs, file: &str, analysis: Option<&str>) -> String {
    match (analysis, &args.outcome) {
        (Some(a), _) => a.to_string(),
        (None, Some(o)) if args.files.len() == 1 => o.clone(),
        _ => std::path::Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.to_string()),
    }
}

fn write(args: &SofArgs, outcomes: &[(String, Outcome)], w: &mut impl Write) -> anyhow::Result<()> {
    let reviewer = args.reviewer();
    let lang = args.lang;
    let entries: Vec<Entry> = outcomes
        .iter()
        .map(|(name, o)| Entry {
            name,
            outcome: o,
            reviewer: &reviewer,
        })
        .collect();
    let rows = || -> Vec<SofOutcomeRow> {
        outcomes
            .iter()
            .map(|(name, o)| SofOutcomeRow::new(name, o, &reviewer, lang))
            .collect()
    };
    match args.format {
        SofFormat::Text => w.write_all(to_text(&entries, lang).as_bytes())?,
        SofFormat::Markdown => w.write_all(to_markdown(&entries, lang).as_bytes())?,
        SofFormat::Html => w.write_all(to_html(&entries, lang).as_bytes())?,
        SofFormat::Json => {
            let doc = SofDoc {
                schema: SOF_SCHEMA,
                outcomes: rows(),
            };
            serde_json::to_writer_pretty(&mut *w, &doc)?;
            writeln!(w)?;
        }
        SofFormat::Csv => {
            let mut c = csv_writer(&mut *w);
            c.write_record(SofOutcomeRow::csv_header())?;
            for row in rows() {
                for rec in row.csv_records() {
                    c.serialize(rec)?;
                }
            }
            c.flush()?;
        }
    }
    Ok(())
}

/// Runs `repool sof`.
pub fn run(args: &SofArgs) -> anyhow::Result<ExitCode> {
    let opts = args.sof_options()?;
    let (outcomes, failed) = outcomes(args, &opts)?;
    if outcomes.is_empty() {
        bail!(
            "{}",
            repool::i18n::text(super::hints::lang(), "errors.cli.no_outcome")
        );
    }
    let mut sink = Sink::new(args.output.as_deref())?;
    write(args, &outcomes, &mut sink)?;
    sink.commit()?;
    if failed > 0 {
        stderr_line!(
            "repool: {failed} of {} outcomes failed",
            outcomes.len() + failed
        );
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(ExitCode::SUCCESS)
}
