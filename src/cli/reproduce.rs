//! `repool reproduce`: which methods reproduce a published pooled result from the study data?

use std::io::{BufReader, Write};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;

use repool::check::{text, ClaimMeasure};
use repool::format::{localise_number, Lang};
use repool::i18n::{count, count_with, fill};
use repool::io::read::{AnalysisReader, ReadOptions};
use repool::io::write::{
    csv_writer, CandidateRow, MethodRow, PublishedRow, ReproduceDoc, REPRODUCE_SCHEMA,
};
use repool::reproduce::{distinct_results, search_methods, Candidate, Distinct, Label};
use repool::Measure;

use super::forest::select_analysis;
use super::pool::{flags, open_input};
use super::{spelled, FormatArg, EXIT_FINDINGS};

/// Options of `repool reproduce`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  repool reproduce datasets/bcg/data.csv --published \"RR 0.49 (95% CI 0.34 to 0.70)\"
  repool reproduce trials.csv --published \"OR 0,93 (95% BI 0,74 tot 1,18)\" --top 5
  repool reproduce trials.csv --published \"OR 0.93 (0.74 to 1.18)\" --format json
  repool reproduce effects.csv --measure OR --published \"0.56 (95% CI, 0.43-0.68)\"")]
pub struct ReproduceArgs {
    /// CSV file with the studies (input schema of `repool pool`).
    file: String,
    /// The published result as printed, e.g. "RR 2.16 (1.71 to 2.73)" or "odds ratio 0.61,
    /// 95% confidence interval 0.43 to 0.87".
    #[arg(long)]
    published: String,
    /// Effect measure (metafor codes), when the published text does not name it, e.g.
    /// "0.56 (95% CI, 0.43-0.68)" for a file of precomputed effects.
    #[arg(long, value_parser = spelled::<Measure>(), ignore_case = true)]
    measure: Option<Measure>,
    /// Which analysis, when the file has several.
    #[arg(long)]
    analysis: Option<String>,
    /// How many combinations to list.
    #[arg(long, default_value = "10")]
    top: usize,
    /// Output format: text, or JSON / CSV rows with each combination's `repool pool` options.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// Language of the text output (numbers with decimal commas for nl and fr).
    #[arg(long, value_parser = super::spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
}

/// The published result: the text read with `--measure` as the measure it does not name.
fn read_published(args: &ReproduceArgs) -> anyhow::Result<repool::check::Claim> {
    let assumed = match args.measure {
        Some(m) => Some(ClaimMeasure::of(m).with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.measure_published",
                &[("measure", m.code())],
            )
        })?),
        None => None,
    };
    let claim = match text::parse_as(&args.published, assumed) {
        Ok(c) => c,
        Err(e) if assumed.is_none() && e.reason.starts_with("no measure") => {
            bail!(
                "{}",
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.name_the_measure",
                    &[(
                        "message",
                        &repool::i18n::errors::Localize::message(&e, super::hints::lang())
                    )]
                )
            )
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(m) = assumed.filter(|&m| m != claim.measure) {
        bail!(
            "{}",
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.published_measure",
                &[("named", claim.measure.code()), ("measure", m.code())]
            )
        );
    }
    // Reversed limits, a ratio of 0, a level of 100 %: no method can reproduce them.
    repool::check::validate(&claim).with_context(|| {
        repool::i18n::fill(
            super::hints::lang(),
            "errors.cli.checking",
            &[("text", &format!("--published {:?}", args.published))],
        )
    })?;
    Ok(claim)
}

fn measure_of(m: ClaimMeasure) -> Measure {
    match m {
        ClaimMeasure::MD => Measure::MeanDifference,
        ClaimMeasure::SMD => Measure::StandardizedMeanDifference,
        ClaimMeasure::RD => Measure::RiskDifference,
        ClaimMeasure::RR => Measure::LogRiskRatio,
        ClaimMeasure::OR => Measure::LogOddsRatio,
        ClaimMeasure::HR => Measure::LogHazardRatio,
    }
}

/// Quotes `s` for a POSIX shell when it has characters the shell would interpret.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,:=+@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A combination's label, `repool pool` options and command line.
fn method_row(c: &Candidate, file: &str) -> MethodRow {
    let args = flags(&c.options);
    let command = ["repool", "pool", &shell_word(file)]
        .into_iter()
        .map(str::to_string)
        .chain(args.iter().map(|a| shell_word(a)))
        .collect::<Vec<_>>()
        .join(" ");
    MethodRow {
        label: c.label.clone(),
        args,
        command,
    }
}

/// The output row of a distinct result: its numbers, and the label and `repool pool`
/// options of the combination papers use most, then all of them.
fn candidate_row(g: &Distinct, file: &str) -> CandidateRow {
    let c = g.first();
    let methods: Vec<MethodRow> = g.members.iter().map(|m| method_row(m, file)).collect();
    let first = methods[0].clone();
    CandidateRow {
        label: first.label,
        args: first.args,
        command: first.command,
        estimate: c.values.0,
        ci_low: c.values.1,
        ci_high: c.values.2,
        distance: c.distance,
        reproduced: c.reproduces(),
        methods,
        metafor_default: g.has_metafor_default(),
    }
}

/// The labels of the other combinations of a row in `lang`, those that differ only in the
/// τ² estimator written as one: "random effects, τ² DL/REML/PM, z CI".
fn other_labels(words: &[Label], lang: Lang) -> Vec<String> {
    let others: Vec<&Label> = words.iter().skip(1).collect();
    Label::merge_tau2(&others)
        .iter()
        .map(|l| l.text(lang))
        .collect()
}

/// The heading of the text output's rows.
fn count_line(doc: &ReproduceDoc, lang: Lang) -> String {
    if doc.reproduced == 0 {
        return repool::i18n::text(lang, "reproduce.none").to_string();
    }
    let combinations = count(
        lang,
        "reproduce.combinations",
        doc.reproduced_combinations as u64,
    );
    count_with(
        lang,
        "reproduce.reproduced",
        doc.reproduced as u64,
        &[("combinations", &combinations)],
    )
}

/// The text output: the published result, the rows with the other combinations that give
/// the same numbers and the `repool pool` command of the first.
fn write_text(
    out: &mut impl Write,
    claim: &repool::check::Claim,
    doc: &ReproduceDoc,
    words: &[Vec<Label>],
    more: usize,
    default_appended: bool,
    lang: Lang,
) -> std::io::Result<()> {
    let p = &doc.published;
    let l = |x: &str| localise_number(lang, x);
    let ci =
        |low: &str, high: &str| fill(lang, "reproduce.interval", &[("low", low), ("high", high)]);
    let published = format!(
        "{} {} {}",
        p.measure,
        l(&p.estimate),
        ci(&l(&p.ci_low), &l(&p.ci_high))
    );
    let studies = count(lang, "count.studies", doc.studies as u64);
    let line = fill(
        lang,
        "reproduce.published",
        &[("published", &published), ("studies", &studies)],
    );
    writeln!(out, "{line}")?;
    let dec = claim
        .estimate
        .decimals
        .max(claim.ci_low.decimals)
        .max(claim.ci_high.decimals) as usize
        + 1;
    writeln!(out, "{}", count_line(doc, lang))?;
    let more_line = |n: usize| fill(lang, "reproduce.more", &[("n", &n.to_string())]);
    for (i, r) in doc.candidates.iter().enumerate() {
        if default_appended && i + 1 == doc.candidates.len() {
            if more > 0 {
                writeln!(out, "  {}", more_line(more))?;
            }
            writeln!(
                out,
                "{}",
                repool::i18n::text(lang, "reproduce.default_heading")
            )?;
        }
        writeln!(
            out,
            "  {}  {} {}  {}",
            localise_number(lang, &format!("{:>6.2}", r.distance)),
            localise_number(lang, &format!("{:.dec$}", r.estimate)),
            ci(
                &localise_number(lang, &format!("{:.dec$}", r.ci_low)),
                &localise_number(lang, &format!("{:.dec$}", r.ci_high))
            ),
            words[i][0].text(lang)
        )?;
        for other in other_labels(&words[i], lang) {
            writeln!(out, "          = {other}")?;
        }
        writeln!(out, "          {}", r.command)?;
    }
    if more > 0 && !default_appended {
        writeln!(out, "  {}", more_line(more))?;
    }
    writeln!(out, "{}", repool::i18n::text(lang, "reproduce.distance"))?;
    if doc.reproduced == 0 {
        writeln!(
            out,
            "{}",
            repool::i18n::text(lang, "reproduce.large_distance")
        )?;
    }
    Ok(())
}

/// Runs `repool reproduce`.
pub fn run(args: &ReproduceArgs) -> anyhow::Result<ExitCode> {
    let claim = read_published(args)?;
    let measure = measure_of(claim.measure);
    let (input, name) = open_input(&args.file)?;
    let opts = ReadOptions {
        measure: Some(measure),
        ..ReadOptions::default()
    };
    let mut reader =
        AnalysisReader::new(BufReader::new(input), &name, &opts).with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.reading_for",
                &[("file", &name), ("measure", claim.measure.code())],
            )
        })?;
    let studies = select_analysis(&mut reader, args.analysis.as_deref(), &name)?;
    if studies.is_empty() {
        bail!(
            "{}",
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.no_studies",
                &[("file", &name)]
            )
        );
    }
    let found = search_methods(
        &studies,
        measure,
        (claim.estimate, claim.ci_low, claim.ci_high),
        claim.level,
    );
    let groups = distinct_results(found);
    let reproducing = || groups.iter().filter(|g| g.first().reproduces());
    let n_reproduced = reproducing().count();
    let reproduced_combinations = reproducing().map(|g| g.members.len()).sum();
    // The reproducing results (at most --top), or the --top closest when none does; and
    // metafor's default when it is not among them.
    let shown = if n_reproduced == 0 {
        args.top
    } else {
        n_reproduced.min(args.top.max(1))
    };
    let mut rows: Vec<CandidateRow> = groups
        .iter()
        .take(shown)
        .map(|g| candidate_row(g, &args.file))
        .collect();
    // The rows' labels, written in --lang by the text output.
    let labels = |g: &Distinct| g.members.iter().map(|m| m.words.clone()).collect();
    let mut words: Vec<Vec<Label>> = groups.iter().take(shown).map(labels).collect();
    let more = n_reproduced.saturating_sub(rows.len());
    let default_appended = !rows.iter().any(|r| r.metafor_default)
        && match groups.iter().skip(shown).find(|g| g.has_metafor_default()) {
            Some(g) => {
                rows.push(candidate_row(g, &args.file));
                words.push(labels(g));
                true
            }
            None => false,
        };
    let doc = ReproduceDoc {
        schema: REPRODUCE_SCHEMA,
        published: PublishedRow {
            measure: claim.measure.code().into(),
            estimate: claim.estimate.printed(),
            ci_low: claim.ci_low.printed(),
            ci_high: claim.ci_high.printed(),
            level: claim.level,
        },
        studies: studies.len(),
        reproduced: n_reproduced,
        reproduced_combinations,
        candidates: rows,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        FormatArg::Json => {
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        FormatArg::Csv => {
            let mut w = csv_writer(&mut out);
            w.write_record(CandidateRow::csv_header())?;
            for r in &doc.candidates {
                w.serialize(r.csv_record())?;
            }
            w.flush()?;
        }
        FormatArg::Text => write_text(
            &mut out,
            &claim,
            &doc,
            &words,
            more,
            default_appended,
            args.lang,
        )?,
    }
    Ok(if n_reproduced == 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}
