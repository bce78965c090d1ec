//! `repool network`: frequentist network meta-analysis (graph-theoretical method, as R's
//! netmeta) from arm-level or contrast-level rows.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use serde::Serialize;

use repool::effect::{EffectOptions, SmdCorrection};
use repool::io::network::{read_network_analyses, NetworkAnalysis, NetworkRows};
use repool::network::notes::notes_heading;
use repool::network::{
    analyse, from_contrasts, pairwise, Fit, NetworkOptions, NetworkResult, PairwiseOptions, PiDf,
    SmdMethod, Split,
};
use repool::plot::netgraph::{graph_layout, GraphInput};
use repool::plot::rows::{rows_layout, EstimateRow, RowsInput};
use repool::report::text::pad_left;
use repool::{dist, Measure};

use super::output::Sink;
use super::pool::MeasureArg;
use super::LangArg;

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum TableArg {
    /// Every treatment against the reference.
    Treatments,
    /// All pairwise comparisons (the league table, long format).
    League,
    /// Node-splitting: direct, indirect and network estimates per comparison.
    Splits,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum ModelArg {
    /// Common (fixed) effect.
    #[value(alias = "fixed")]
    Common,
    /// Random effects (tau^2 by generalised DerSimonian-Laird).
    Random,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum PiDfArg {
    /// t with the degrees of freedom of Q (netmeta 3.0-2 and later).
    #[value(name = "q", alias = "netmeta3")]
    Q,
    /// t with the degrees of freedom of Q minus 1 (netmeta 0.9-6 to 2.9-0).
    #[value(name = "q-minus-1", alias = "netmeta2")]
    QMinus1,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum SmdMethodArg {
    /// Cohen's d, SD pooled over all arms of a study, Crippa & Orsini's variance (netmeta).
    Cohen,
    /// Hedges' g of each pair of arms with its own pooled SD (metafor's escalc); a multi-arm
    /// study's SMDs then do not add up, and a note names it.
    Hedges,
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
    #[arg(long, value_enum, ignore_case = true)]
    measure: MeasureArg,
    /// Reference treatment: every treatment is compared with it (default: the first in
    /// alphabetical order).
    #[arg(long)]
    reference: Option<String>,
    /// Which direction is better, for the P-scores.
    #[arg(long, value_enum, default_value = "good", ignore_case = true)]
    small_values: SmallArg,
    /// Model of the league table, node-splitting table and plot (the treatment table shows both).
    #[arg(long, value_enum, default_value = "random", ignore_case = true)]
    model: ModelArg,
    /// Confidence level (0.95 or 95).
    #[arg(long, default_value = "0.95")]
    level: String,
    /// How the SMD of two arms is computed: as netmeta (Cohen's d over the SD pooled across all
    /// arms of the study) or Hedges' g of each pair.
    #[arg(long, value_enum, default_value = "cohen", ignore_case = true)]
    smd_method: SmdMethodArg,
    /// Small-sample correction of Hedges' g (with --smd-method hedges).
    #[arg(long, value_enum, default_value = "exact", ignore_case = true)]
    smd_correction: SmdArg,
    /// Keep trials with no events (for the odds ratio also: only events) in every arm, with 0.5
    /// added to every cell (netmeta's pairwise(allstudies = TRUE)); by default they are left
    /// out with a note, as netmeta does.
    #[arg(long)]
    all_studies: bool,
    /// Degrees of freedom of the t quantile of the prediction interval.
    #[arg(long, value_enum, default_value = "q", ignore_case = true)]
    pi_df: PiDfArg,
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
    #[arg(long, value_enum, default_value = "en", ignore_case = true)]
    lang: LangArg,
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

#[derive(Clone, Serialize)]
struct TreatmentRow {
    /// The analysis (batch CSV only).
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<String>,
    treatment: String,
    reference: String,
    common_estimate: f64,
    common_se: f64,
    common_ci_low: f64,
    common_ci_high: f64,
    common_p: f64,
    random_estimate: f64,
    random_se: f64,
    random_ci_low: f64,
    random_ci_high: f64,
    random_p: f64,
    pi_low: Option<f64>,
    pi_high: Option<f64>,
    pscore_common: f64,
    pscore_random: f64,
    display_common_estimate: f64,
    display_common_ci_low: f64,
    display_common_ci_high: f64,
    display_random_estimate: f64,
    display_random_ci_low: f64,
    display_random_ci_high: f64,
    display_pi_low: Option<f64>,
    display_pi_high: Option<f64>,
}

#[derive(Clone, Serialize)]
struct LeagueRow {
    /// The analysis (batch CSV only).
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<String>,
    treatment1: String,
    treatment2: String,
    estimate: f64,
    se: f64,
    ci_low: f64,
    ci_high: f64,
    p: f64,
    display_estimate: f64,
    display_ci_low: f64,
    display_ci_high: f64,
}

#[derive(Clone, Serialize)]
struct SplitRow {
    /// The analysis (batch CSV only).
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<String>,
    treatment1: String,
    treatment2: String,
    k: usize,
    nma: f64,
    nma_se: f64,
    direct: f64,
    direct_se: f64,
    indirect: Option<f64>,
    indirect_se: Option<f64>,
    difference: Option<f64>,
    z: Option<f64>,
    p: Option<f64>,
}

fn parse_level(s: &str) -> anyhow::Result<f64> {
    let x: f64 = s
        .trim()
        .replace(',', ".")
        .parse()
        .map_err(|_| anyhow::anyhow!("--level '{s}' is not a number"))?;
    let l = if x > 1.0 { x / 100.0 } else { x };
    if l > 0.0 && l < 1.0 {
        Ok(l)
    } else {
        bail!("--level '{s}' is not a confidence level: give e.g. 0.95 or 95")
    }
}

/// One analysed network with its output tables.
struct Computed {
    res: NetworkResult,
    reference: usize,
    treat_rows: Vec<TreatmentRow>,
    league: Vec<LeagueRow>,
    split_rows: Vec<SplitRow>,
}

/// Runs `repool network`.
pub fn run(args: &NetworkArgs) -> anyhow::Result<ExitCode> {
    let level = parse_level(&args.level)?;
    let measure = args.measure.measure();
    let (mut input, name) = super::pool::open_input(&args.file)?;
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .with_context(|| format!("reading {name}"))?;
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

    let lang = repool::check::Lang::from(args.lang);
    if args.plot.is_some() || args.graph.is_some() {
        let (graph, forest) = figures(
            &c.res,
            measure,
            c.reference,
            level,
            args.model == ModelArg::Random,
            lang,
        );
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
    let results: Vec<Result<Computed, String>> = analyses
        .iter()
        .zip(&labels)
        .map(|(a, label)| {
            compute(&a.rows, args, measure, level, name, Some(label)).map_err(|e| format!("{e:#}"))
        })
        .collect();
    let mut sink = Sink::new(args.output.as_deref())?;
    match args.format {
        FormatArg::Json => {
            #[derive(Serialize)]
            struct Entry<'a> {
                analysis: &'a str,
                error: Option<&'a str>,
                result: Option<NetworkJson<'a>>,
            }
            #[derive(Serialize)]
            struct Batch<'a> {
                analyses: Vec<Entry<'a>>,
                schema: &'static str,
            }
            let analyses = labels
                .iter()
                .zip(&results)
                .map(|(label, r)| Entry {
                    analysis: label,
                    error: r.as_ref().err().map(String::as_str),
                    result: r
                        .as_ref()
                        .ok()
                        .map(|c| json_result(c, args, measure, level)),
                })
                .collect();
            let doc = Batch {
                analyses,
                schema: "repool.network.batch.v1",
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
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        stderr_line!("repool: error: {e}");
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
    let lang = repool::check::Lang::from(args.lang);
    for n in &res.network.notes {
        match analysis {
            Some(a) => stderr_line!("repool: note ({a}): {}", n.message(lang)),
            None => stderr_line!("repool: note: {}", n.message(lang)),
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
        TableArg::Treatments => c.treat_rows.iter().try_for_each(|r| {
            w.serialize(TreatmentRow {
                analysis: a.clone(),
                ..r.clone()
            })
        })?,
        TableArg::League => c.league.iter().try_for_each(|r| {
            w.serialize(LeagueRow {
                analysis: a.clone(),
                ..r.clone()
            })
        })?,
        TableArg::Splits => c.split_rows.iter().try_for_each(|r| {
            w.serialize(SplitRow {
                analysis: a.clone(),
                ..r.clone()
            })
        })?,
    }
    Ok(())
}

/// One value of the `repool.network.v1` object: the tables are serialised from the rows as
/// they are (a league table of a million rows as `serde_json::Value`s would take gigabytes).
#[derive(Serialize)]
#[serde(untagged)]
enum JsonPart<'a> {
    Value(serde_json::Value),
    Treatments(SortedRows<'a, TreatmentRow>),
    League(SortedRows<'a, LeagueRow>),
    Splits(SortedRows<'a, SplitRow>),
}

/// Rows written as JSON objects with their keys in alphabetical order (as every object of
/// the output), one row at a time.
struct SortedRows<'a, T>(&'a [T]);

impl<T: Serialize> Serialize for SortedRows<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for row in self.0 {
            let v = serde_json::to_value(row).map_err(serde::ser::Error::custom)?;
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

/// The `repool.network.v1` object of one network, keys in alphabetical order.
type NetworkJson<'a> = std::collections::BTreeMap<String, JsonPart<'a>>;

fn json_result<'a>(
    c: &'a Computed,
    args: &NetworkArgs,
    measure: Measure,
    level: f64,
) -> NetworkJson<'a> {
    let mut out: NetworkJson<'a> = json_head(c, args, measure, level)
        .into_iter()
        .map(|(k, v)| (k, JsonPart::Value(v)))
        .collect();
    out.insert(
        "versus_reference".into(),
        JsonPart::Treatments(SortedRows(&c.treat_rows)),
    );
    out.insert("league".into(), JsonPart::League(SortedRows(&c.league)));
    out.insert("splits".into(), JsonPart::Splits(SortedRows(&c.split_rows)));
    out
}

/// The `repool.network.v1` object without its tables.
fn json_head(
    c: &Computed,
    args: &NetworkArgs,
    measure: Measure,
    level: f64,
) -> serde_json::Map<String, serde_json::Value> {
    let res = &c.res;
    let tr = &res.network.treatments;
    let lang = repool::check::Lang::from(args.lang);
    let q = |t: &repool::network::QTest| serde_json::json!({"q": t.q, "df": t.df, "p": t.p});
    let head = serde_json::json!({
        "schema": "repool.network.v1",
        "measure": measure.code(),
        "level": level,
        "reference": tr[c.reference],
        "small_values": if args.small_values == SmallArg::Good { "good" } else { "bad" },
        "treatments": tr,
        "studies": res.network.studies.len(),
        "comparisons": res.network.edges.len(),
        "multi_arm_studies": res.network.arms.iter().filter(|a| a.len() > 2).count(),
        "designs": res.designs.len(),
        "tau2": res.random.tau2,
        "tau": res.random.tau2.sqrt(),
        "i2": res.i2,
        "q_total": q(&res.q_total),
        "q_within_designs": q(&res.q_within),
        "q_between_designs": q(&res.q_between),
        "design_by_treatment_random": q(&res.q_between_random),
        "tau2_design_by_treatment": res.tau2_within,
        "model": match args.model { ModelArg::Common => "common", ModelArg::Random => "random" },
        "all_studies": args.all_studies,
        "smd_method": match args.smd_method { SmdMethodArg::Cohen => "cohen", SmdMethodArg::Hedges => "hedges" },
        "pi_df": res.pi_df.code(),
        "pi_t_df": res.pi_df.df(res.q_total.df),
        "notes": res.network.notes.iter().map(|n| serde_json::json!({
            "kind": n.kind(),
            "study": n.study(),
            "message": n.message(lang),
        })).collect::<Vec<_>>(),
    });
    match head {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
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
        smd: match args.smd_method {
            SmdMethodArg::Cohen => SmdMethod::Cohen,
            SmdMethodArg::Hedges => SmdMethod::Hedges,
        },
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
    let net = match rows {
        NetworkRows::Arms(arms) => {
            pairwise(arms, measure, &pairwise_options(args)).with_context(|| name.clone())?
        }
        NetworkRows::Contrasts(c) => from_contrasts(c).with_context(|| name.clone())?,
    };
    let reference = match &args.reference {
        Some(r) => net
            .treatments
            .iter()
            .position(|t| t == r)
            .ok_or_else(|| repool::network::NetworkError::UnknownReference {
                reference: r.clone(),
                treatments: net.treatments.join(", "),
            })
            .with_context(|| name.clone())?,
        None => 0,
    };
    let small_good = args.small_values == SmallArg::Good;
    let res = analyse(
        net,
        &NetworkOptions {
            level,
            small_values_good: small_good,
            pi_df: match args.pi_df {
                PiDfArg::Q => PiDf::Q,
                PiDfArg::QMinus1 => PiDf::QMinus1,
            },
        },
    )
    .with_context(|| name.clone())?;
    let ratio = measure.is_ratio();
    let d = |x: f64| if ratio { x.exp() } else { x };
    let z = dist::z_crit(level);
    let tr = &res.network.treatments;
    let n = tr.len();
    let treat_rows: Vec<TreatmentRow> = (0..n)
        .filter(|&i| i != reference)
        .map(|i| {
            let (ce, cv) = (res.common.d[(i, reference)], res.common.var[(i, reference)]);
            let (re, rv) = (res.random.d[(i, reference)], res.random.var[(i, reference)]);
            let pi = res.prediction_interval(i, reference, level);
            TreatmentRow {
                analysis: None,
                treatment: tr[i].clone(),
                reference: tr[reference].clone(),
                common_estimate: ce,
                common_se: cv.sqrt(),
                common_ci_low: ce - z * cv.sqrt(),
                common_ci_high: ce + z * cv.sqrt(),
                common_p: dist::p_normal(ce / cv.sqrt()),
                random_estimate: re,
                random_se: rv.sqrt(),
                random_ci_low: re - z * rv.sqrt(),
                random_ci_high: re + z * rv.sqrt(),
                random_p: dist::p_normal(re / rv.sqrt()),
                pi_low: pi.map(|p| p.0),
                pi_high: pi.map(|p| p.1),
                pscore_common: res.pscores_common[i],
                pscore_random: res.pscores_random[i],
                display_common_estimate: d(ce),
                display_common_ci_low: d(ce - z * cv.sqrt()),
                display_common_ci_high: d(ce + z * cv.sqrt()),
                display_random_estimate: d(re),
                display_random_ci_low: d(re - z * rv.sqrt()),
                display_random_ci_high: d(re + z * rv.sqrt()),
                display_pi_low: pi.map(|p| d(p.0)),
                display_pi_high: pi.map(|p| d(p.1)),
            }
        })
        .collect();
    let (fit, splits): (&Fit, &Vec<Split>) = match args.model {
        ModelArg::Common => (&res.common, &res.splits_common),
        ModelArg::Random => (&res.random, &res.splits_random),
    };
    let league: Vec<LeagueRow> = (0..n)
        .flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)))
        .map(|(a, b)| {
            let (e, v) = (fit.d[(a, b)], fit.var[(a, b)]);
            LeagueRow {
                analysis: None,
                treatment1: tr[a].clone(),
                treatment2: tr[b].clone(),
                estimate: e,
                se: v.sqrt(),
                ci_low: e - z * v.sqrt(),
                ci_high: e + z * v.sqrt(),
                p: dist::p_normal(e / v.sqrt()),
                display_estimate: d(e),
                display_ci_low: d(e - z * v.sqrt()),
                display_ci_high: d(e + z * v.sqrt()),
            }
        })
        .collect();
    let split_rows: Vec<SplitRow> = splits
        .iter()
        .map(|s| SplitRow {
            analysis: None,
            treatment1: tr[s.t1].clone(),
            treatment2: tr[s.t2].clone(),
            k: s.k,
            nma: s.nma.0,
            nma_se: s.nma.1.sqrt(),
            direct: s.direct.0,
            direct_se: s.direct.1.sqrt(),
            indirect: s.indirect.map(|x| x.0),
            indirect_se: s.indirect.map(|x| x.1.sqrt()),
            difference: s.difference.map(|x| x.0),
            z: s.difference.map(|x| x.1),
            p: s.difference.map(|x| x.2),
        })
        .collect();

    Ok(Computed {
        res,
        reference,
        treat_rows,
        league,
        split_rows,
    })
}

/// The network graph and the forest plot of every treatment against the reference.
pub(super) fn figures(
    res: &NetworkResult,
    measure: Measure,
    reference: usize,
    level: f64,
    random: bool,
    lang: repool::check::Lang,
) -> (repool::plot::layout::Figure, repool::plot::layout::Figure) {
    let net = &res.network;
    let tr = &net.treatments;
    let n = tr.len();
    let z = dist::z_crit(level);
    let fit = if random { &res.random } else { &res.common };
    let rows: Vec<EstimateRow> = (0..n)
        .filter(|&i| i != reference)
        .map(|i| {
            let (e, v) = (fit.d[(i, reference)], fit.var[(i, reference)]);
            EstimateRow {
                label: tr[i].clone(),
                value: Ok((e, e - z * v.sqrt(), e + z * v.sqrt())),
            }
        })
        .collect();
    let forest = rows_layout(
        &RowsInput {
            heading: format!("Treatment vs {}", tr[reference]),
            rows,
            all: None,
            all_label: String::new(),
            measure,
            level_percent: level * 100.0,
            title: Some(format!(
                "Network meta-analysis, {} model",
                if random {
                    "random-effects"
                } else {
                    "common-effect"
                }
            )),
        },
        lang,
    );
    // Studies per compared pair (a < b) and per treatment, from each study's arms.
    let mut pairs: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    let mut per_treatment = vec![0.0; n];
    for arms in &net.arms {
        for (i, &a) in arms.iter().enumerate() {
            per_treatment[a] += 1.0;
            for &b in &arms[i + 1..] {
                *pairs.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }
    let edges: Vec<(usize, usize, usize)> =
        pairs.into_iter().map(|((a, b), k)| (a, b, k)).collect();
    let (sizes, size_label) = match &net.participants {
        Some(p) => (p.clone(), "participants"),
        None => (per_treatment, "studies"),
    };
    let graph = graph_layout(&GraphInput {
        treatments: tr.clone(),
        sizes,
        size_label: size_label.into(),
        edges,
        title: Some(format!("{} studies, {} treatments", net.studies.len(), n)),
    });
    (graph, forest)
}

#[allow(clippy::too_many_arguments)]
fn write_text(
    out: &mut impl Write,
    c: &Computed,
    args: &NetworkArgs,
    measure: Measure,
    level: f64,
) -> anyhow::Result<()> {
    let (res, rows, splits, reference) = (&c.res, &c.treat_rows, &c.split_rows, c.reference);
    let small_good = args.small_values == SmallArg::Good;
    let net = &res.network;
    let tr = &net.treatments;
    let ratio = measure.is_ratio();
    let d = |x: f64| if ratio { x.exp() } else { x };
    let lv = level * 100.0;
    let f = |x: f64| format!("{x:.3}");
    let pv = |p: Option<f64>| match p {
        None => "-".to_string(),
        Some(p) if p < 0.0001 => "< 0.0001".into(),
        Some(p) => format!("{p:.4}"),
    };
    writeln!(
        out,
        "Network meta-analysis ({}): {} studies ({} multi-arm), {} treatments, {} pairwise comparisons, {} designs",
        if ratio {
            format!("{} on the log scale, shown as {}", measure.name(), measure.code())
        } else if measure == Measure::StandardizedMeanDifference && args.smd_method == SmdMethodArg::Cohen {
            "standardised mean difference (Cohen's d, SD pooled over each study's arms)".into()
        } else {
            measure.name().to_string()
        },
        net.studies.len(),
        net.arms.iter().filter(|a| a.len() > 2).count(),
        tr.len(),
        net.edges.len(),
        res.designs.len()
    )?;
    let lang = repool::check::Lang::from(args.lang);
    if !net.notes.is_empty() {
        writeln!(out, "{}:", notes_heading(lang))?;
        for n in &net.notes {
            writeln!(out, "  - {}", n.message(lang))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Each treatment against {} ({lv}% CI)", tr[reference])?;
    let head = [
        "treatment",
        "common effect",
        "random effects",
        "prediction interval",
        "P-score",
    ];
    let table: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.treatment.clone(),
                format!(
                    "{} [{}; {}]",
                    f(r.display_common_estimate),
                    f(r.display_common_ci_low),
                    f(r.display_common_ci_high)
                ),
                format!(
                    "{} [{}; {}]",
                    f(r.display_random_estimate),
                    f(r.display_random_ci_low),
                    f(r.display_random_ci_high)
                ),
                match (r.display_pi_low, r.display_pi_high) {
                    (Some(a), Some(b)) => format!("[{}; {}]", f(a), f(b)),
                    _ => "-".into(),
                },
                format!("{:.3}", r.pscore_random),
            ]
        })
        .collect();
    for l in super::output::aligned_table(head, &table, 1) {
        writeln!(out, "  {l}")?;
    }
    writeln!(out, "  {}", res.pi_df.describe(res.q_total.df, lang))?;
    writeln!(
        out,
        "  P-scores (random effects; {} values are better): {}: {:.3}",
        if small_good { "smaller" } else { "larger" },
        tr[reference],
        res.pscores_random[reference]
    )?;
    writeln!(out)?;
    writeln!(out, "Heterogeneity and inconsistency")?;
    writeln!(
        out,
        "  tau^2 = {:.4}; tau = {:.4}; I^2 = {:.1}% (generalised DerSimonian-Laird)",
        res.random.tau2,
        res.random.tau2.sqrt(),
        res.i2
    )?;
    for (label, t) in [
        ("Q total", &res.q_total),
        ("Q within designs (heterogeneity)", &res.q_within),
        ("Q between designs (inconsistency)", &res.q_between),
    ] {
        writeln!(
            out,
            "  {label:<36} {:>9.3}  df = {:>3}  p = {}",
            t.q,
            t.df,
            pv(t.p)
        )?;
    }
    writeln!(
        out,
        "  {:<36} {:>9.3}  df = {:>3}  p = {}   (random effects, tau^2 = {:.4} of the design-by-treatment model)",
        "Design-by-treatment interaction",
        res.q_between_random.q,
        res.q_between_random.df,
        pv(res.q_between_random.p),
        res.tau2_within
    )?;
    writeln!(out)?;
    let model = match args.model {
        ModelArg::Common => "common effect",
        ModelArg::Random => "random effects",
    };
    writeln!(
        out,
        "Direct and indirect evidence (node-splitting by back-calculation, {model})"
    )?;
    for s in splits {
        writeln!(
            out,
            "  {} vs {} (k = {}): network {}  direct {}  indirect {}  difference {}  p = {}",
            s.treatment1,
            s.treatment2,
            s.k,
            f(d(s.nma)),
            f(d(s.direct)),
            s.indirect.map_or("-".into(), |x| f(d(x))),
            s.difference.map_or("-".into(), |x| if ratio {
                format!("{} (ratio)", f(x.exp()))
            } else {
                f(x)
            }),
            pv(s.p)
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "League table ({model}; row treatment against column treatment, {lv}% CI)"
    )?;
    let fit = match args.model {
        ModelArg::Common => &res.common,
        ModelArg::Random => &res.random,
    };
    let z = dist::z_crit(level);
    let n = tr.len();
    let cells: Vec<Vec<String>> = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| {
                    if a == b {
                        tr[a].clone()
                    } else {
                        let (e, v) = (fit.d[(a, b)], fit.var[(a, b)]);
                        format!(
                            "{} [{}; {}]",
                            f(d(e)),
                            f(d(e - z * v.sqrt())),
                            f(d(e + z * v.sqrt()))
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
