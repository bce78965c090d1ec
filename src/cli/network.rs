//! `repool network`: frequentist network meta-analysis (graph-theoretical method, as R's
//! netmeta) from arm-level or contrast-level rows.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use anyhow::{bail, Context};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};

use repool::effect::{EffectOptions, SmdCorrection};
use repool::format::{interval, localise_number};
use repool::i18n::{count, fill, text};
use repool::io::network::{read_network_analyses, NetworkAnalysis, NetworkRows};
use repool::io::network_rows::{
    BatchEntry, LeagueRow, NetworkBatchJson, NetworkJson, NetworkJsonSettings, NetworkTables,
    SplitRow, TreatmentRow, NETWORK_BATCH_SCHEMA,
};
use repool::network::notes::notes_heading;
use repool::network::{
    analyse, AgainstReference, LeagueTable, NetworkModel, NetworkOptions, NetworkResult,
    PairwiseOptions, PiDf, SmdMethod,
};
use repool::report::network::network_figures;
use repool::report::text::{measure_name, pad_left};
use repool::Measure;

use super::hints::network_note;
use super::output::Sink;
use super::spelled;
use super::FormatArg;
use repool::format::Lang;

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum TableArg {
    /// Every treatment against the reference.
    Treatments,
    /// All pairwise comparisons (the league table, long format).
    League,
    /// Node-splitting: direct, indirect and network estimates per comparison.
    Splits,
}

/// A choice on the command line: its name (one of the library enum's `NAMES`, in their
/// order), aliases and help.
type Choice = (&'static str, &'static [&'static str], &'static str);

/// `--model`: [`NetworkModel`].
const MODELS: &[Choice] = &[
    (
        "common",
        &["fixed", "EE", "FE"],
        "Common (fixed) effect; also accepted: fixed, EE, FE",
    ),
    (
        "random",
        &["RE"],
        "Random effects (tau^2 by generalised DerSimonian-Laird); also accepted: RE",
    ),
];

/// `--pi-df`: [`PiDf`].
const PI_DFS: &[Choice] = &[
    (
        "q",
        &["netmeta3"],
        "t with the degrees of freedom of Q (netmeta 3.0-2 and later)",
    ),
    (
        "q-minus-1",
        &["netmeta2"],
        "t with the degrees of freedom of Q minus 1 (netmeta 0.9-6 to 2.9-0)",
    ),
];

/// `--smd-method`: [`SmdMethod`].
const SMD_METHODS: &[Choice] = &[
    (
        "cohen",
        &[],
        "Cohen's d, SD pooled over all arms of a study, Crippa & Orsini's variance (netmeta)",
    ),
    (
        "hedges",
        &[],
        "Hedges' g of each pair of arms with its own pooled SD (metafor's escalc); a multi-arm study's SMDs then do not add up, and a note names it",
    ),
];

/// A clap parser of `choices` whose value the library enum's `FromStr` gives.
fn choice<T>(choices: &'static [Choice]) -> impl TypedValueParser<Value = T>
where
    T: FromStr + Clone + Send + Sync + 'static,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    PossibleValuesParser::new(
        choices
            .iter()
            .map(|&(name, aliases, help)| PossibleValue::new(name).aliases(aliases).help(help)),
    )
    .try_map(|s| s.parse::<T>())
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum SmallArg {
    /// Smaller effects are better (e.g. harms, symptom scores).
    Good,
    /// Larger effects are better (e.g. quitting, response).
    Bad,
}

/// Options of `repool network`.
#[derive(Debug, Args)]
#[command(
    after_help = "Input (one row per arm or per contrast; header names case-insensitive):
  study, treatment, events, n                 (binary arms; --measure OR, RR or RD)
  study, treatment, n, mean, sd               (continuous arms; --measure MD or SMD)
  study, treat1, treat2, yi, vi  (or se)      (contrasts treat1 - treat2 on the analysis
                                               scale, log OR for --measure OR; a multi-arm
                                               study gives every pair of its treatments)
An optional 'analysis' column (e.g. the follow-up phase) makes a batch: one network per value,
written one after another (JSON: repool.network.batch.v1; CSV: an 'analysis' column in front);
an analysis that fails shows its error, the others are still written, and the exit code is 2.
--analysis NAME analyses one of them.

Examples:
  repool network datasets/hasselblad1998/data.csv --measure OR --reference no_contact --small-values bad
  repool network trials.csv --measure SMD --reference physiotherapy --plot forest.svg --graph network.svg
  repool network trials.csv --measure MD --format csv --table league -o league.csv
  repool network phases.csv --measure SMD --reference physiotherapy --analysis \"long term\""
)]
pub struct NetworkArgs {
    /// CSV file ('-' reads standard input).
    file: String,
    /// Effect measure.
    #[arg(long, value_parser = spelled::<Measure>(), ignore_case = true)]
    measure: Measure,
    /// Reference treatment: every treatment is compared with it (default: the first in
    /// alphabetical order).
    #[arg(long)]
    reference: Option<String>,
    /// Which direction is better, for the P-scores.
    #[arg(long, value_enum, default_value = "good", ignore_case = true)]
    small_values: SmallArg,
    /// Model of the league table, node-splitting table and plot (the treatment table shows both).
    #[arg(long, value_parser = choice::<NetworkModel>(MODELS), default_value = "random", ignore_case = true)]
    model: NetworkModel,
    /// Confidence level (0.95 or 95).
    #[arg(long, default_value = "0.95")]
    level: String,
    /// How the SMD of two arms is computed: as netmeta (Cohen's d over the SD pooled across all
    /// arms of the study) or Hedges' g of each pair.
    #[arg(long, value_parser = choice::<SmdMethod>(SMD_METHODS), default_value = "cohen", ignore_case = true)]
    smd_method: SmdMethod,
    /// Small-sample correction of Hedges' g (with --smd-method hedges).
    #[arg(long, value_enum, default_value = "exact", ignore_case = true)]
    smd_correction: SmdArg,
    /// Keep trials with no events (for the odds ratio also: only events) in every arm, with 0.5
    /// added to every cell (netmeta's pairwise(allstudies = TRUE)); by default they are left
    /// out with a note, as netmeta does.
    #[arg(long)]
    all_studies: bool,
    /// Degrees of freedom of the t quantile of the prediction interval.
    #[arg(long, value_parser = choice::<PiDf>(PI_DFS), default_value = "q", ignore_case = true)]
    pi_df: PiDf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// Which table --format csv writes.
    #[arg(long, value_enum, default_value = "treatments", ignore_case = true)]
    table: TableArg,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Also draw every treatment against the reference, forest-style (.svg, .png or .pdf).
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    /// Also draw the network graph (.svg, .png or .pdf).
    #[arg(long, value_name = "FILE")]
    graph: Option<PathBuf>,
    /// Language of the plot labels, the notes and the prediction-interval rule.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
    /// Analyse only this value of the 'analysis' column (without it, a file with several
    /// analyses is analysed as a batch, one network per analysis).
    #[arg(long)]
    analysis: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum SmdArg {
    /// Exact Hedges correction (metafor).
    Exact,
    /// RevMan 5's approximation.
    Approx,
}

fn parse_level(s: &str) -> anyhow::Result<f64> {
    let x: f64 = s.trim().replace(',', ".").parse().map_err(|_| {
        anyhow::anyhow!(
            "{}",
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.level_number",
                &[("level", s)]
            )
        )
    })?;
    let l = if x > 1.0 { x / 100.0 } else { x };
    if l > 0.0 && l < 1.0 {
        Ok(l)
    } else {
        bail!(
            "{}",
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.level_range",
                &[("level", s)]
            )
        )
    }
}

/// One analysed network with its tables.
struct Computed {
    res: NetworkResult,
    reference: usize,
    /// Every treatment against the reference, both models.
    against: Vec<AgainstReference>,
    /// The league table of `--model`.
    league: LeagueTable,
    /// The tables as output rows.
    tables: NetworkTables,
}

/// Runs `repool network`.
pub fn run(args: &NetworkArgs) -> anyhow::Result<ExitCode> {
    let level = parse_level(&args.level)?;
    let measure = args.measure;
    let (mut input, name) = super::pool::open_input(&args.file)?;
    let mut text = String::new();
    input.read_to_string(&mut text).with_context(|| {
        repool::i18n::fill(
            super::hints::lang(),
            "errors.cli.reading",
            &[("file", &name.to_string())],
        )
    })?;
    let mut analyses = read_network_analyses(&text, &name)?;
    let names: Vec<String> = analyses.iter().filter_map(|a| a.analysis.clone()).collect();
    if let Some(wanted) = &args.analysis {
        analyses.retain(|a| a.analysis.as_deref() == Some(wanted.as_str()));
        if analyses.is_empty() {
            if names.is_empty() {
                bail!("{name}: --analysis '{wanted}' given, but the file has no 'analysis' column");
            }
            bail!(
                "{name}: no analysis '{wanted}' in the 'analysis' column (analyses: {})",
                names.join(", ")
            );
        }
    }
    if analyses.len() > 1 {
        return run_batch(args, &analyses, measure, level, &name);
    }
    let c = compute(&analyses[0].rows, args, measure, level, &name, None)?;
    let mut sink = Sink::new(args.output.as_deref())?;
    match args.format {
        FormatArg::Json => {
            serde_json::to_writer_pretty(&mut sink, &json_result(&c, args, measure, level))?;
            writeln!(sink)?;
        }
        FormatArg::Csv => {
            let mut w = csv::Writer::from_writer(&mut sink);
            write_csv_table(&mut w, &c, args.table, None)?;
            w.flush()?;
            notes_to_stderr(&c.res, args, None);
        }
        FormatArg::Text => write_text(&mut sink, &c, args, measure, level)?,
    }
    sink.commit()?;

    let lang = args.lang;
    if args.plot.is_some() || args.graph.is_some() {
        let (graph, forest) =
            network_figures(&c.res, measure, c.reference, level, args.model, lang);
        if let Some(path) = &args.plot {
            super::forest::write_plot(&forest, path)?;
        }
        if let Some(path) = &args.graph {
            super::forest::write_plot(&graph, path)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A file with several analyses: every analysis is analysed on its own; one that fails gets
/// its error in the output, the others are still written, and the exit code is 2.
fn run_batch(
    args: &NetworkArgs,
    analyses: &[NetworkAnalysis],
    measure: Measure,
    level: f64,
    name: &str,
) -> anyhow::Result<ExitCode> {
    let labels: Vec<String> = analyses
        .iter()
        .map(|a| a.analysis.clone().unwrap_or_default())
        .collect();
    if args.plot.is_some() || args.graph.is_some() {
        bail!(
            "{name}: --plot and --graph draw one network; choose one with --analysis (analyses: {})",
            labels.join(", ")
        );
    }
    // Each failure in English (the JSON field) and as the line on standard error, in the
    // command's language.
    let (results, error_lines): (Vec<Result<Computed, String>>, Vec<Option<String>>) = analyses
        .iter()
        .zip(&labels)
        .map(
            |(a, label)| match compute(&a.rows, args, measure, level, name, Some(label)) {
                Ok(c) => (Ok(c), None),
                Err(e) => (
                    Err(super::hints::error_text(&e)),
                    Some(super::hints::error_line(&e)),
                ),
            },
        )
        .unzip();
    let mut sink = Sink::new(args.output.as_deref())?;
    match args.format {
        FormatArg::Json => {
            let analyses = labels
                .iter()
                .zip(&results)
                .map(|(label, r)| BatchEntry {
                    analysis: label,
                    error: r.as_ref().err().map(String::as_str),
                    result: r
                        .as_ref()
                        .ok()
                        .map(|c| json_result(c, args, measure, level)),
                })
                .collect();
            let doc = NetworkBatchJson {
                analyses,
                schema: NETWORK_BATCH_SCHEMA,
            };
            serde_json::to_writer_pretty(&mut sink, &doc)?;
            writeln!(sink)?;
        }
        FormatArg::Csv => {
            let mut w = csv::Writer::from_writer(&mut sink);
            for (label, r) in labels.iter().zip(&results) {
                if let Ok(c) = r {
                    write_csv_table(&mut w, c, args.table, Some(label))?;
                    notes_to_stderr(&c.res, args, Some(label));
                }
            }
            w.flush()?;
        }
        FormatArg::Text => {
            for (i, (label, r)) in labels.iter().zip(&results).enumerate() {
                if i > 0 {
                    writeln!(sink)?;
                }
                writeln!(sink, "=== Analysis: {label} ===\n")?;
                match r {
                    Ok(c) => write_text(&mut sink, c, args, measure, level)?,
                    Err(e) => writeln!(sink, "error: {e}")?,
                }
            }
        }
    }
    sink.commit()?;
    let mut failed = false;
    for line in error_lines.iter().flatten() {
        stderr_line!("{line}");
        failed = true;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// CSV has no place for notes: they go to standard error, in `--lang`.
fn notes_to_stderr(res: &NetworkResult, args: &NetworkArgs, analysis: Option<&str>) {
    let lang = args.lang;
    for n in &res.network.notes {
        match analysis {
            Some(a) => stderr_line!("repool: note ({a}): {}", network_note(n, lang)),
            None => stderr_line!("repool: note: {}", network_note(n, lang)),
        }
    }
}

/// Writes the table `--table` chooses; in a batch (`analysis` given) every row starts with
/// its analysis, and the rows of all analyses share one header.
fn write_csv_table<W: Write>(
    w: &mut csv::Writer<W>,
    c: &Computed,
    table: TableArg,
    analysis: Option<&str>,
) -> anyhow::Result<()> {
    let a = analysis.map(str::to_string);
    match table {
        TableArg::Treatments => c.tables.versus_reference.iter().try_for_each(|r| {
            w.serialize(TreatmentRow {
                analysis: a.clone(),
                ..r.clone()
            })
        })?,
        TableArg::League => c.tables.league.iter().try_for_each(|r| {
            w.serialize(LeagueRow {
                analysis: a.clone(),
                ..r.clone()
            })
        })?,
        TableArg::Splits => c.tables.splits.iter().try_for_each(|r| {
            w.serialize(SplitRow {
                analysis: a.clone(),
                ..r.clone()
            })
        })?,
    }
    Ok(())
}

/// The `repool.network.v1` object of one network.
fn json_result<'a>(
    c: &'a Computed,
    args: &NetworkArgs,
    measure: Measure,
    level: f64,
) -> NetworkJson<'a> {
    let settings = NetworkJsonSettings {
        measure,
        level,
        reference: c.reference,
        small_values_good: args.small_values == SmallArg::Good,
        model: args.model,
        all_studies: args.all_studies,
        smd_method: args.smd_method,
        lang: args.lang,
    };
    NetworkJson::new(&c.res, &c.tables, &settings)
}

/// The library's options for building the network from arm rows.
fn pairwise_options(args: &NetworkArgs) -> PairwiseOptions {
    PairwiseOptions {
        effect: EffectOptions {
            smd_correction: match args.smd_correction {
                SmdArg::Exact => SmdCorrection::Exact,
                SmdArg::Approx => SmdCorrection::Approx,
            },
            ..EffectOptions::default()
        },
        all_studies: args.all_studies,
        smd: args.smd_method,
    }
}

/// Analyses one network (`analysis`: its label in a batch) and builds the output tables.
fn compute(
    rows: &NetworkRows,
    args: &NetworkArgs,
    measure: Measure,
    level: f64,
    name: &str,
    analysis: Option<&str>,
) -> anyhow::Result<Computed> {
    let name = match analysis {
        Some(a) => format!("{name} (analysis '{a}')"),
        None => name.to_string(),
    };
    let net = rows
        .to_network(measure, &pairwise_options(args))
        .with_context(|| name.clone())?;
    let reference = net
        .reference_index(args.reference.as_deref())
        .with_context(|| name.clone())?;
    let res = analyse(
        net,
        &NetworkOptions {
            level,
            small_values_good: args.small_values == SmallArg::Good,
            pi_df: args.pi_df,
        },
    )
    .with_context(|| name.clone())?;
    let against = res.against_reference(reference, level);
    let league = res.league(args.model, level);
    let tables = NetworkTables::new(&res, &against, &league, args.model, measure);
    Ok(Computed {
        res,
        reference,
        against,
        league,
        tables,
    })
}

/// The text output of one network.
fn write_text(
    out: &mut impl Write,
    c: &Computed,
    args: &NetworkArgs,
    measure: Measure,
    level: f64,
) -> anyhow::Result<()> {
    let (res, reference) = (&c.res, c.reference);
    let small_good = args.small_values == SmallArg::Good;
    let net = &res.network;
    let tr = &net.treatments;
    let lang = args.lang;
    let lv = localise_number(lang, &(level * 100.0).to_string());
    writeln!(out, "{}", heading(c, args, measure))?;
    if !net.notes.is_empty() {
        writeln!(out, "{}:", notes_heading(lang))?;
        for n in &net.notes {
            writeln!(out, "  - {}", network_note(n, lang))?;
        }
    }
    writeln!(out)?;
    let against = fill(
        lang,
        "network.against",
        &[("reference", &tr[reference]), ("level", &lv)],
    );
    writeln!(out, "{against}")?;
    let head = [
        text(lang, "network.col_treatment"),
        text(lang, "network.common"),
        text(lang, "network.random"),
        text(lang, "network.col_prediction"),
        "P-score",
    ];
    let ci = |x: &repool::network::DisplayedComparison| {
        format!(
            "{} {}",
            f(lang, x.estimate),
            interval(lang, &f(lang, x.ci.low), &f(lang, x.ci.high))
        )
    };
    let table: Vec<[String; 5]> = c
        .against
        .iter()
        .map(|r| {
            let (dc, dr) = (r.common.display(measure), r.random.display(measure));
            [
                tr[r.random.treatment].clone(),
                ci(&dc),
                ci(&dr),
                match dr.prediction {
                    Some(p) => interval(lang, &f(lang, p.low), &f(lang, p.high)),
                    None => "-".into(),
                },
                f(lang, r.pscore_random),
            ]
        })
        .collect();
    for l in super::output::aligned_table(head, &table, 1) {
        writeln!(out, "  {l}")?;
    }
    writeln!(out, "  {}", res.pi_df.describe(res.q_total.df, lang))?;
    let which = if small_good {
        text(lang, "network.smaller")
    } else {
        text(lang, "network.larger")
    };
    let pscores = fill(
        lang,
        "network.pscores",
        &[
            ("which", which),
            ("reference", &tr[reference]),
            ("score", &f(lang, res.pscores_random[reference])),
        ],
    );
    writeln!(out, "  {pscores}")?;
    writeln!(out)?;
    write_heterogeneity(out, res, lang)?;
    writeln!(out)?;
    let model = match args.model {
        NetworkModel::Common => text(lang, "network.common"),
        NetworkModel::Random => text(lang, "network.random"),
    };
    write_splits(out, res, args.model, model, measure, lang)?;
    writeln!(out)?;
    let league = fill(lang, "network.league", &[("model", model), ("level", &lv)]);
    writeln!(out, "{league}")?;
    write_league(out, &c.league, tr, measure, lang)
}

/// The first line of the text output: the measure and the size of the network.
fn heading(c: &Computed, args: &NetworkArgs, measure: Measure) -> String {
    let (lang, net, res) = (args.lang, &c.res.network, &c.res);
    let name = measure_name(lang, measure);
    let measure_text = if measure.is_ratio() {
        fill(
            lang,
            "network.measure_log",
            &[("name", name), ("code", measure.code())],
        )
    } else if measure == Measure::StandardizedMeanDifference && args.smd_method == SmdMethod::Cohen
    {
        text(lang, "network.smd_cohen").to_string()
    } else {
        name.to_string()
    };
    fill(
        lang,
        "network.heading",
        &[
            ("measure", &measure_text),
            (
                "studies",
                &count(lang, "count.studies", net.studies.len() as u64),
            ),
            ("multi", &net.n_multi_arm().to_string()),
            (
                "treatments",
                &count(lang, "count.treatments", net.treatments.len() as u64),
            ),
            (
                "comparisons",
                &count(lang, "network.pairwise_comparisons", net.edges.len() as u64),
            ),
            (
                "designs",
                &count(lang, "network.designs", res.designs.len() as u64),
            ),
        ],
    )
}

/// Three decimals, the precision of the text output (decimal comma in Dutch and French).
fn f(lang: Lang, x: f64) -> String {
    localise_number(lang, &format!("{x:.3}"))
}

/// A p-value of the text output (`-` when there is none).
fn pv(lang: Lang, p: Option<f64>) -> String {
    match p {
        Some(p) => repool::format::p_equals(lang, p),
        None => "p = -".into(),
    }
}

/// τ², I² and the decomposition of Q.
fn write_heterogeneity(
    out: &mut impl Write,
    res: &NetworkResult,
    lang: Lang,
) -> anyhow::Result<()> {
    let n = |x: f64, d: usize| localise_number(lang, &format!("{x:.d$}"));
    writeln!(out, "{}", text(lang, "network.heterogeneity_heading"))?;
    let tau2 = fill(
        lang,
        "network.tau2_line",
        &[
            ("tau2", &n(res.random.tau2, 4)),
            ("tau", &n(res.random.tau(), 4)),
            ("i2", &n(res.i2, 1)),
        ],
    );
    writeln!(out, "  {tau2}")?;
    for (label, t) in [
        (text(lang, "network.q_total"), &res.q_total),
        (text(lang, "network.q_within"), &res.q_within),
        (text(lang, "network.q_between"), &res.q_between),
    ] {
        writeln!(
            out,
            "  {label:<36} {:>9}  df = {:>3}  {}",
            n(t.q, 3),
            t.df,
            pv(lang, t.p)
        )?;
    }
    let model = fill(
        lang,
        "network.design_by_treatment_model",
        &[("tau2", &n(res.tau2_within, 4))],
    );
    writeln!(
        out,
        "  {:<36} {:>9}  df = {:>3}  {}   {model}",
        text(lang, "network.design_by_treatment"),
        n(res.q_between_random.q, 3),
        res.q_between_random.df,
        pv(lang, res.q_between_random.p),
    )?;
    Ok(())
}

/// The node-splits of `model` (named `model_name`).
fn write_splits(
    out: &mut impl Write,
    res: &NetworkResult,
    model: NetworkModel,
    model_name: &str,
    measure: Measure,
    lang: Lang,
) -> anyhow::Result<()> {
    let (tr, d) = (&res.network.treatments, |x: f64| measure.display(x));
    let heading = fill(lang, "network.splits_heading", &[("model", model_name)]);
    writeln!(out, "{heading}")?;
    for s in res.splits(model) {
        let difference = s.difference.map_or("-".into(), |x| {
            if measure.is_ratio() {
                fill(lang, "network.ratio", &[("value", &f(lang, d(x.0)))])
            } else {
                f(lang, x.0)
            }
        });
        let line = fill(
            lang,
            "network.split",
            &[
                ("t1", &tr[s.t1]),
                ("t2", &tr[s.t2]),
                ("k", &s.k.to_string()),
                ("network", &f(lang, d(s.nma.0))),
                ("direct", &f(lang, d(s.direct.0))),
                (
                    "indirect",
                    &s.indirect.map_or("-".into(), |x| f(lang, d(x.0))),
                ),
                ("difference", &difference),
                ("p", &pv(lang, s.difference.map(|x| x.2))),
            ],
        );
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// The league table as a matrix, row treatment against column treatment.
fn write_league(
    out: &mut impl Write,
    league: &LeagueTable,
    tr: &[String],
    measure: Measure,
    lang: Lang,
) -> anyhow::Result<()> {
    let n = tr.len();
    let cells: Vec<Vec<String>> = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| match league.get(a, b) {
                    None => tr[a].clone(),
                    Some(x) => {
                        let x = x.display(measure);
                        format!(
                            "{} {}",
                            f(lang, x.estimate),
                            interval(lang, &f(lang, x.ci.low), &f(lang, x.ci.high))
                        )
                    }
                })
                .collect()
        })
        .collect();
    let cw: Vec<usize> = (0..n)
        .map(|b| {
            cells
                .iter()
                .map(|r| r[b].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in &cells {
        let s: Vec<String> = r.iter().zip(&cw).map(|(c, w)| pad_left(c, *w)).collect();
        writeln!(out, "  {}", s.join("  "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every choice is one of the library enum's names, in its order, and parses.
    #[test]
    fn choices_are_the_library_names() {
        fn check<T: FromStr>(choices: &[Choice], names: &[&str]) {
            let ours: Vec<&str> = choices.iter().map(|c| c.0).collect();
            assert_eq!(ours, names);
            for (name, aliases, _) in choices {
                for s in std::iter::once(name).chain(aliases.iter()) {
                    assert!(s.parse::<T>().is_ok(), "{s}");
                    assert!(s.to_uppercase().parse::<T>().is_ok(), "{s}");
                }
            }
        }
        check::<NetworkModel>(MODELS, NetworkModel::NAMES);
        check::<PiDf>(PI_DFS, PiDf::NAMES);
        check::<SmdMethod>(SMD_METHODS, SmdMethod::NAMES);
    }
}
