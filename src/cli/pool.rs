//! `repool pool`: read, pool each analysis, write text, JSON or CSV.

use std::io::{BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use repool::effect::{CcTo, EffectOptions, MdVariance, SmdCorrection, ZeroCellRule};
use repool::format::spelling::Spelled;
use repool::format::{p_val, Lang};
use repool::i18n::{count, fill, text};
use repool::io::read::{Analysis, AnalysisReader, ReadOptions};
use repool::io::write::{csv_writer, AnalysisRow, PoolJson, SubgroupTestRow};
use repool::pool::preset::Preset;
use repool::pool::{
    preset, subgroups, CiMethod, CommonMethod, I2Method, Model, PiMethod, PoolConfig, Tau2Method,
};
use repool::reproduce::PoolSettings;
use repool::Measure;

use super::output::Sink;
use super::spelled;
use super::FormatArg;
use super::EXIT_ERROR;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ModelArg {
    /// Common (fixed) effect; also accepted: common, EE, FE.
    #[value(
        alias = "common",
        alias = "EE",
        alias = "FE",
        alias = "ee",
        alias = "fe"
    )]
    Fixed,
    /// Random effects; also accepted: RE.
    #[value(alias = "RE", alias = "re")]
    Random,
    /// Both: a common-effect and a random-effects diamond. Only `repool forest` offers it
    /// ([`forest_model_parser`]); the other commands pool under one model.
    #[value(skip)]
    Both,
}

/// The `--model` parser of `repool forest`: `fixed` and `random` with their aliases, and
/// `both`.
pub(super) fn forest_model_parser() -> impl clap::builder::TypedValueParser<Value = ModelArg> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    let values = ModelArg::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .chain([
            PossibleValue::new("both").help("Both: a common-effect and a random-effects diamond")
        ]);
    PossibleValuesParser::new(values).try_map(|s| {
        if s.eq_ignore_ascii_case("both") {
            Ok(ModelArg::Both)
        } else {
            ModelArg::from_str(&s, true)
        }
    })
}

/// Pooling options shared by `repool pool` and `repool forest`. Defaults are metafor's
/// (random effects, REML, z).
#[derive(Debug, Args)]
pub struct PoolOptions {
    /// Effect measure (metafor codes). Needed for arm-level data; optional for yi, vi.
    #[arg(long, value_parser = spelled::<Measure>(), ignore_case = true)]
    measure: Option<Measure>,
    /// Common (fixed) or random-effects model.
    #[arg(long, value_enum, default_value = "random", ignore_case = true)]
    pub(super) model: ModelArg,
    /// Common-effect method for 2x2 data.
    #[arg(long, value_parser = spelled::<CommonMethod>(), default_value = "IV", ignore_case = true)]
    method: CommonMethod,
    /// Estimator of the between-study variance tau^2.
    #[arg(long = "tau2", value_parser = spelled::<Tau2Method>(), default_value = "REML", ignore_case = true)]
    tau2: Tau2Method,
    /// CI and test of the pooled effect.
    #[arg(long, value_parser = spelled::<CiMethod>(), default_value = "z", ignore_case = true)]
    ci: CiMethod,
    /// Confidence level (0.95 or 95).
    #[arg(long, default_value = "0.95", value_parser = parse_level)]
    level: f64,
    /// Prediction interval.
    #[arg(long, value_parser = spelled::<PiMethod>(), default_value = "metafor", ignore_case = true)]
    pi: PiMethod,
    /// Definition of I^2 (and H^2) for random-effects models.
    #[arg(long, value_parser = spelled::<I2Method>(), default_value = "tau2", ignore_case = true)]
    i2: I2Method,
    /// Small-sample correction of the SMD.
    #[arg(long, value_parser = spelled::<SmdCorrection>(), default_value = "exact", ignore_case = true)]
    smd_correction: SmdCorrection,
    /// Variance of the mean difference (MD from means and SDs), as metafor's vtype.
    #[arg(long, value_parser = spelled::<MdVariance>(), default_value = "LS", ignore_case = true)]
    vtype: MdVariance,
    /// Continuity correction added to the cells of 2x2 tables.
    #[arg(long, default_value = "0.5", value_parser = parse_cc)]
    cc: f64,
    /// Which 2x2 tables get the continuity correction.
    #[arg(long, value_parser = spelled::<CcTo>(), default_value = "only0", ignore_case = true)]
    cc_to: CcTo,
    /// Drop 2x2 tables without events in both arms (or with only events).
    #[arg(long)]
    drop_double_zero: bool,
    /// Confidence level of ci_low, ci_high in the input (95 or 0.95).
    #[arg(long, default_value = "95", value_parser = parse_level)]
    input_level: f64,
    /// Field delimiter (default: detected from the header: ',' ';' or tab).
    #[arg(long, value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// Numbers use a decimal comma (default: yes when the delimiter is not ',').
    #[arg(long)]
    decimal_comma: bool,
    /// Pool as a program does: 'revman5' (RevMan 5's rules: zero cells, Q around the MH or
    /// Peto estimate, DerSimonian-Laird from that Q, RevMan's SMD; overrides --tau2, --ci, --cc)
    /// or 'revman-web' (RevMan Web 2025: REML, HKSJ CI, I^2 from tau^2).
    #[arg(long, value_parser = spelled::<Preset>(), ignore_case = true)]
    pub(super) preset: Option<Preset>,
}

/// Options of `repool pool`.
#[derive(Debug, Args)]
#[command(after_help = "Input columns (case-insensitive): study plus one of
  events_t, n_t, events_c, n_c                 (2x2 tables; --measure RR|OR|RD)
  mean_t, sd_t, n_t, mean_c, sd_c, n_c         (means and SDs; --measure MD|SMD)
  yi, vi | estimate, se | estimate, ci_low, ci_high   (precomputed effects)
Optional: analysis (a batch: each value pooled separately), subgroup, year, label.

Examples:
  repool pool trials.csv --measure RR --model random --tau2 REML
  repool pool trials.csv --measure OR --model fixed --method MH --format json
  repool pool effects.csv --ci hksj --format csv --output pooled.csv")]
pub struct PoolArgs {
    /// CSV file with one row per study ('-' reads standard input).
    file: String,
    #[command(flatten)]
    opts: PoolOptions,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Decimals in the text output (0 to 15).
    #[arg(long, default_value = "4", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=15))]
    digits: usize,
    /// Pool each subgroup (the 'subgroup' column) separately as well as all studies, and
    /// test for subgroup differences.
    #[arg(long)]
    by_subgroup: bool,
    /// Language of the text output (numbers with decimal commas for nl and fr); JSON and
    /// CSV stay as they are.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
}

/// One result to write: a subgroup's or all studies'.
struct Entry {
    subgroup: Option<String>,
    result: Result<repool::PooledEstimate, String>,
    test: Option<subgroups::SubgroupTest>,
}

fn parse_level(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    let level = if x > 1.0 { x / 100.0 } else { x };
    if level > 0.0 && level < 1.0 {
        Ok(level)
    } else {
        Err(format!(
            "'{s}' is not a confidence level: give e.g. 0.95 or 95"
        ))
    }
}

fn parse_cc(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    if x >= 0.0 && x.is_finite() {
        Ok(x)
    } else {
        Err(format!(
            "'{s}': the continuity correction must be 0 or more"
        ))
    }
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!(
            "'{s}': the delimiter must be one character, e.g. ';' or tab"
        )),
    }
}

impl PoolOptions {
    fn measure(&self) -> Option<Measure> {
        self.measure
    }

    /// The read options of these pooling options.
    pub(super) fn read_options(&self) -> ReadOptions {
        ReadOptions {
            delimiter: self.delimiter,
            decimal_comma: self.decimal_comma.then_some(true),
            measure: self.measure(),
            input_level: self.input_level,
            keep_columns: Vec::new(),
        }
    }

    /// Pools with the configuration, or with RevMan 5's rules under `--preset revman5`.
    pub(super) fn pool(
        &self,
        studies: &[repool::Study],
        config: &PoolConfig,
    ) -> Result<repool::PooledEstimate, String> {
        self.pool_in(studies, config, Lang::En)
    }

    /// [`Self::pool`] with the error message in `lang`.
    pub(super) fn pool_in(
        &self,
        studies: &[repool::Study],
        config: &PoolConfig,
        lang: Lang,
    ) -> Result<repool::PooledEstimate, String> {
        preset::pool(self.preset, studies, config).map_err(|e| match e {
            repool::pool::PresetError::Pool(e) => super::hints::pool_error_in(&e, lang),
            e => e.to_string(),
        })
    }

    /// The pooling configuration for `measure` and `model`, with the preset's settings.
    pub(super) fn config(&self, measure: Measure, model: Model) -> PoolConfig {
        let c = self.base_config(measure, model);
        match self.preset {
            Some(p) => p.apply(c),
            None => c,
        }
    }

    fn base_config(&self, measure: Measure, model: Model) -> PoolConfig {
        PoolConfig::metafor(measure)
            .model(model)
            .method(self.method)
            .tau2(self.tau2)
            .ci(self.ci)
            .level(self.level)
            .pi(self.pi)
            .i2(self.i2)
            .effect(EffectOptions {
                zero_cell: ZeroCellRule {
                    add: self.cc,
                    to: self.cc_to,
                    drop_double_zero: self.drop_double_zero,
                },
                smd_correction: self.smd_correction,
                md_variance: self.vtype,
            })
    }
}

/// The `repool pool` flags that give the structured description `s` (the inverse of
/// [`PoolOptions::config`]; options left at their defaults are not written).
pub(super) fn flags(s: &PoolSettings) -> Vec<String> {
    let mut f: Vec<String> = vec![
        "--measure".into(),
        s.measure.code().into(),
        "--model".into(),
        s.model.code().into(),
    ];
    let mut push = |k: &str, v: String| {
        f.push(k.into());
        f.push(v);
    };
    if s.method != CommonMethod::IV {
        push("--method", s.method.code().into());
    }
    if let Some(t) = s.tau2 {
        push("--tau2", t.code().into());
    }
    if let Some(c) = s.ci {
        push("--ci", c.code().into());
    }
    if (s.level - 0.95).abs() > 1e-12 {
        push("--level", format!("{}", s.level));
    }
    if let Some(z) = s.zero_cell {
        push("--cc", format!("{}", z.add));
        push("--cc-to", z.to.code().into());
    }
    if let Some(c) = s.smd_correction {
        push("--smd-correction", c.spelling().name.into());
    }
    if let Some(v) = s.vtype {
        push("--vtype", v.code().into());
    }
    if let Some(Preset::Revman5) = s.preset {
        push("--preset", "revman5".into());
    }
    if s.zero_cell.is_some_and(|z| z.drop_double_zero) {
        f.push("--drop-double-zero".into());
    }
    f
}

/// Analyses read at a time: each chunk is pooled and written into memory by a worker thread,
/// while the main thread reads the next chunks and writes the finished ones in input order.
const CHUNK: usize = 128;

/// Chunks in memory per core (queued, being pooled or waiting to be written) before the oldest
/// is written: memory stays bounded however many analyses the input holds.
const IN_FLIGHT_PER_THREAD: usize = 3;

/// Chunks queued per worker before the reading thread pools one itself. With one, a worker
/// that finished while the reading thread was pooling often found the queue empty (a tenth of
/// its time idle on 2 cores); with two it rarely does.
const QUEUED_PER_WORKER: usize = 2;

/// Runs `repool pool`.
pub fn run(args: &PoolArgs) -> anyhow::Result<ExitCode> {
    let (input, name) = open_input(&args.file)?;
    let model = match args.opts.model {
        ModelArg::Fixed => Model::Fixed,
        ModelArg::Random => Model::Random,
        ModelArg::Both => bail!(
            "{}",
            repool::i18n::text(super::hints::lang(), "errors.cli.model_both_pool")
        ),
    };
    let mut reader = AnalysisReader::new(
        BufReader::with_capacity(1 << 16, input),
        &name,
        &args.opts.read_options(),
    )?;
    let config = args.opts.config(reader.measure(), model);
    let batch = reader.has_analysis_column();

    let mut out = Output::new(args)?;
    let mut tally = Tally::default();
    // One analysis (no batch, no subgroups) fails with the error in the command's language;
    // a batch's error fields stay English.
    let single = !batch && !args.by_subgroup;
    let lang = if single {
        super::hints::lang()
    } else {
        Lang::En
    };
    let work = Work {
        args,
        config: &config,
        name: &name,
        lang,
        single,
        batch,
    };
    work.pool_all(&mut reader, &mut out, &mut tally)?;
    out.finish()?;
    if tally.failed > 0 {
        let total = count(Lang::En, "count.analyses", (tally.ok + tally.failed) as u64);
        stderr_line!("repool: {} of {total} failed", tally.failed);
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(ExitCode::SUCCESS)
}

/// What every chunk of a run is pooled with.
struct Work<'a> {
    args: &'a PoolArgs,
    config: &'a PoolConfig,
    name: &'a str,
    lang: Lang,
    /// One analysis without subgroups: a reading error ends the run before any output.
    single: bool,
    batch: bool,
}

/// A chunk's results, or the panic of the worker that pooled it (raised again in the main
/// thread, as a panic there would be).
type Done = (usize, std::thread::Result<Part>);

impl Work<'_> {
    /// Reads `reader` chunk by chunk on this thread, pools the chunks on worker threads (and
    /// on this one, see [`Work::feed`]) and writes their rows into `out` in input order. A
    /// reading error ends the run after every analysis before it is written.
    fn pool_all<R: Read>(
        &self,
        reader: &mut AnalysisReader<R>,
        out: &mut Output,
        tally: &mut Tally,
    ) -> anyhow::Result<()> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // This thread reads and pools too, so one worker fewer than the cores keeps every
        // core busy without taking the reader's core from it.
        let workers = cores.saturating_sub(1).max(1);
        let (job_tx, job_rx) = std::sync::mpsc::channel::<(usize, Vec<Analysis>)>();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Done>();
        let queue = Queue {
            jobs: job_rx.into(),
            waiting: AtomicUsize::new(0),
        };
        std::thread::scope(|s| {
            for _ in 0..workers {
                let (queue, done_tx) = (&queue, done_tx.clone());
                s.spawn(move || self.worker(queue, done_tx));
            }
            drop(done_tx);
            let mut order = InOrder::new(done_rx, cores * IN_FLIGHT_PER_THREAD);
            // Leaving this closure drops the job queue, which stops the workers.
            let result = self.feed(
                reader,
                (&job_tx, &queue.waiting, workers),
                &mut order,
                out,
                tally,
            );
            drop(job_tx);
            result
        })
    }

    /// Pools the chunks of the job queue until it closes or the results are no longer read.
    fn worker(&self, queue: &Queue, done: std::sync::mpsc::Sender<Done>) {
        loop {
            let job = match queue.jobs.lock() {
                Ok(jobs) => jobs.recv(),
                Err(_) => return,
            };
            let Ok((i, analyses)) = job else { return };
            queue.waiting.fetch_sub(1, Ordering::Relaxed);
            let part = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                pool_part(self.args, self.config, self.name, &analyses, self.lang)
            }));
            if done.send((i, part)).is_err() {
                return;
            }
        }
    }

    /// Reads chunks and queues them, or pools a chunk on this thread when every worker already
    /// has [`QUEUED_PER_WORKER`] waiting (so that no worker runs out while this thread pools);
    /// writes finished chunks whenever as many are in memory as allowed.
    fn feed<R: Read>(
        &self,
        reader: &mut AnalysisReader<R>,
        (jobs, waiting, workers): (&Sender<(usize, Vec<Analysis>)>, &AtomicUsize, usize),
        order: &mut InOrder,
        out: &mut Output,
        tally: &mut Tally,
    ) -> anyhow::Result<()> {
        loop {
            while order.full() {
                order.write_next(out, self.batch, tally)?;
            }
            let (mut analyses, read_error) = read_chunk(reader);
            if self.single {
                if let Some(at) = analyses.iter().position(|a| a.studies.is_err()) {
                    if let Err(e) = analyses.swap_remove(at).studies {
                        return Err(e.into());
                    }
                }
            }
            let last = analyses.is_empty() || read_error.is_some();
            if !analyses.is_empty() {
                let i = order.sent;
                order.sent += 1;
                if waiting.load(Ordering::Relaxed) >= QUEUED_PER_WORKER * workers {
                    let part = pool_part(self.args, self.config, self.name, &analyses, self.lang);
                    order.waiting.insert(i, part);
                } else {
                    waiting.fetch_add(1, Ordering::Relaxed);
                    jobs.send((i, analyses))
                        .expect("the workers live as long as the queue");
                }
            }
            if last {
                while order.pending() {
                    order.write_next(out, self.batch, tally)?;
                }
                return match read_error {
                    Some(e) => Err(e.into()),
                    None => Ok(()),
                };
            }
        }
    }
}

/// The chunks queued for the workers, and how many of them no worker has taken yet.
struct Queue {
    jobs: std::sync::Mutex<std::sync::mpsc::Receiver<(usize, Vec<Analysis>)>>,
    waiting: AtomicUsize,
}

/// Finished chunks, written in the order they were read.
struct InOrder {
    results: std::sync::mpsc::Receiver<Done>,
    /// Chunks received out of order, by number.
    waiting: std::collections::BTreeMap<usize, Part>,
    /// Chunks queued so far, and the number of the next one to write.
    sent: usize,
    next: usize,
    limit: usize,
}

impl InOrder {
    fn new(results: std::sync::mpsc::Receiver<Done>, limit: usize) -> InOrder {
        InOrder {
            results,
            waiting: Default::default(),
            sent: 0,
            next: 0,
            limit,
        }
    }

    /// Whether as many chunks are queued or waiting as memory is allowed to hold.
    fn full(&self) -> bool {
        self.sent - self.next >= self.limit
    }

    fn pending(&self) -> bool {
        self.next < self.sent
    }

    /// Waits for the next chunk in input order and writes it.
    fn write_next(
        &mut self,
        out: &mut Output,
        batch: bool,
        tally: &mut Tally,
    ) -> anyhow::Result<()> {
        let part = loop {
            if let Some(part) = self.waiting.remove(&self.next) {
                break part;
            }
            let (i, part) = self
                .results
                .recv()
                .expect("a worker answers every queued chunk");
            match part {
                Ok(part) => self.waiting.insert(i, part),
                Err(panic) => std::panic::resume_unwind(panic),
            };
        };
        self.next += 1;
        out.part(part, batch, tally)
    }
}

/// Analyses pooled and failed so far.
#[derive(Default)]
struct Tally {
    ok: usize,
    failed: usize,
}

/// Up to [`CHUNK`] analyses, and the read error that ended them early, if any.
fn read_chunk<R: Read>(
    reader: &mut AnalysisReader<R>,
) -> (Vec<Analysis>, Option<repool::io::read::ReadError>) {
    let mut v = Vec::with_capacity(CHUNK);
    while v.len() < CHUNK {
        match reader.next_analysis() {
            None => break,
            Some(Ok(a)) => v.push(a),
            Some(Err(e)) => return (v, Some(e)),
        }
    }
    (v, None)
}

/// The results of consecutive analyses, with their JSON or CSV rows already written into
/// `bytes` (the `i`-th row ends at `ends[i]`); text is written later, in order, by
/// [`Output::part`]. For JSON and CSV only the failed entries are kept (for their messages),
/// and `ok` counts the others, whose results are freed on the thread that pooled them.
struct Part {
    analyses: Vec<(Option<String>, Vec<Entry>)>,
    ok: usize,
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

/// Pools `analyses` (on a worker thread) and writes their JSON or CSV rows.
fn pool_part(
    args: &PoolArgs,
    config: &PoolConfig,
    name: &str,
    analyses: &[Analysis],
    lang: Lang,
) -> Part {
    let mut ends = Vec::new();
    // A CSV row is under 1 KiB: one allocation holds the chunk's rows.
    let mut csv = Vec::with_capacity(if args.format == FormatArg::Csv {
        analyses.len() << 10
    } else {
        0
    });
    let mut json = Vec::new();
    let mut done = Vec::new();
    let mut ok = 0;
    for analysis in analyses {
        let entries = match &analysis.studies {
            Err(e) => vec![Entry {
                subgroup: None,
                result: Err(super::hints::read_error(e)),
                test: None,
            }],
            Ok(studies) => entries(args, config, name, studies, lang),
        };
        for entry in &entries {
            // Writing to a Vec fails only when memory does.
            match args.format {
                FormatArg::Text => {}
                FormatArg::Csv => {
                    let row = row_of(args.format, &analysis.name, entry);
                    row.push_csv(&mut csv);
                    ends.push(csv.len());
                }
                FormatArg::Json => {
                    let row = row_of(args.format, &analysis.name, entry);
                    serde_json::to_writer(&mut json, &row).expect("JSON into memory");
                    ends.push(json.len());
                }
            }
        }
        if args.format == FormatArg::Text {
            done.push((analysis.name.clone(), entries));
        } else {
            let all = entries.len();
            let failed: Vec<Entry> = entries.into_iter().filter(|e| e.result.is_err()).collect();
            ok += all - failed.len();
            if !failed.is_empty() {
                done.push((analysis.name.clone(), failed));
            }
        }
    }
    let bytes = match args.format {
        FormatArg::Csv => csv,
        _ => json,
    };
    Part {
        analyses: done,
        ok,
        bytes,
        ends,
    }
}

/// The output row of one result of the analysis `label`.
fn row_of(format: FormatArg, label: &Option<String>, entry: &Entry) -> AnalysisRow {
    let mut row = match &entry.result {
        Ok(r) if format == FormatArg::Csv => AnalysisRow::summary_of(label.clone(), r),
        Ok(r) => AnalysisRow::from_result(label.clone(), r),
        Err(msg) => AnalysisRow::from_error(label.clone(), msg.clone()),
    };
    row.subgroup = entry.subgroup.clone();
    row.subgroup_test = entry.test.map(|t| SubgroupTestRow {
        q: t.q,
        df: t.df,
        p_value: t.p_value,
        i2: t.i2_percent,
    });
    row
}

/// The results to write for one analysis's studies: all studies pooled, or with
/// `--by-subgroup` each subgroup and then all studies with the test for subgroup differences.
fn entries(
    args: &PoolArgs,
    config: &PoolConfig,
    name: &str,
    studies: &[repool::Study],
    lang: Lang,
) -> Vec<Entry> {
    let run = |s: &[repool::Study]| {
        args.opts
            .pool_in(s, config, lang)
            .map_err(|e| format!("{name}: {e}"))
    };
    if !args.by_subgroup {
        return vec![Entry {
            subgroup: None,
            result: run(studies),
            test: None,
        }];
    }
    let a = subgroups::analyse(studies, run);
    let mut v: Vec<Entry> = a
        .subgroups
        .into_iter()
        .map(|g| Entry {
            subgroup: Some(g.subgroup.unwrap_or_default()),
            result: g.result,
            test: None,
        })
        .collect();
    v.push(Entry {
        subgroup: None,
        result: a.overall,
        test: a.test,
    });
    v
}

/// The output of `repool pool`, written as results come: JSON rows, CSV rows (buffered in
/// chunks), or the text printout.
struct Output<'a> {
    args: &'a PoolArgs,
    sink: Sink,
    json: PoolJson,
    first: bool,
    /// Whether the JSON document's start or the CSV header is written: only with the first
    /// results, so that one analysis that fails leaves nothing on standard output.
    begun: bool,
}

impl<'a> Output<'a> {
    fn new(args: &'a PoolArgs) -> anyhow::Result<Output<'a>> {
        Ok(Output {
            args,
            sink: Sink::new(args.output.as_deref())?,
            json: PoolJson::default(),
            first: true,
            begun: false,
        })
    }

    /// Writes the JSON document's start or the CSV header, once.
    fn begin(&mut self) -> anyhow::Result<()> {
        if std::mem::replace(&mut self.begun, true) {
            return Ok(());
        }
        match self.args.format {
            FormatArg::Json => self.json.begin(&mut self.sink)?,
            FormatArg::Csv => {
                let mut w = csv_writer(&mut self.sink);
                w.write_record(AnalysisRow::csv_header())?;
                w.flush()?;
            }
            FormatArg::Text => {}
        }
        Ok(())
    }

    /// Writes the results of a [`Part`] in order, reporting each failed one on standard error;
    /// a failure ends the run when the input is one analysis without subgroups.
    fn part(&mut self, part: Part, batch: bool, tally: &mut Tally) -> anyhow::Result<()> {
        tally.ok += part.ok;
        for (label, entries) in &part.analyses {
            for entry in entries {
                if let Err(msg) = &entry.result {
                    if !batch && !self.args.by_subgroup {
                        bail!("{msg}");
                    }
                    tally.failed += 1;
                    stderr_line!(
                        "repool: error: analysis '{}'{}: {msg}",
                        label.as_deref().unwrap_or(""),
                        entry
                            .subgroup
                            .as_ref()
                            .map(|g| format!(", subgroup '{g}'"))
                            .unwrap_or_default()
                    );
                } else {
                    tally.ok += 1;
                }
                if self.args.format == FormatArg::Text {
                    let first = std::mem::replace(&mut self.first, false);
                    self.text(label, entry, first)?;
                }
            }
        }
        self.begin()?;
        match self.args.format {
            FormatArg::Text => {}
            FormatArg::Csv => self.sink.write_all(&part.bytes)?,
            FormatArg::Json => {
                let mut start = 0;
                for &end in &part.ends {
                    self.json
                        .row_bytes(&mut self.sink, &part.bytes[start..end])?;
                    start = end;
                }
            }
        }
        Ok(())
    }

    /// The text printout of one result, after a rule when it is not the first.
    fn text(&mut self, label: &Option<String>, entry: &Entry, first: bool) -> anyhow::Result<()> {
        let sink = &mut self.sink;
        let lang = self.args.lang;
        if !first {
            sink.write_all(
                b"\n----------------------------------------------------------------\n\n",
            )?;
        }
        let prefix = label
            .as_ref()
            .map(|l| format!("{l} / "))
            .unwrap_or_default();
        let heading = match (&entry.subgroup, self.args.by_subgroup) {
            (Some(g), _) => Some(format!(
                "{prefix}{}",
                fill(lang, "pool.subgroup", &[("subgroup", g)])
            )),
            (None, true) => Some(format!("{prefix}{}", text(lang, "pool.all_studies"))),
            (None, false) => label.clone(),
        };
        match &entry.result {
            Ok(r) => sink.write_all(
                super::hints::with_note_flags(
                    repool::report::text::render_in(lang, heading.as_deref(), r, self.args.digits),
                    &r.notes,
                    lang,
                )
                .as_bytes(),
            )?,
            Err(msg) => writeln!(
                sink,
                "{}\nerror: {msg}",
                fill(
                    lang,
                    "pool.analysis",
                    &[("name", heading.as_deref().unwrap_or(""))]
                )
            )?,
        }
        if let Some(t) = &entry.test {
            let p = match lang {
                Lang::En => p_val(t.p_value),
                _ => repool::format::p_equals(lang, t.p_value),
            };
            let test = format!(
                "Q(df = {}) = {}, {p}; I^2 = {}",
                t.df,
                fmt(lang, t.q, 4),
                repool::format::percent(lang, &fmt(lang, t.i2_percent, 2))
            );
            writeln!(
                sink,
                "\n{}",
                fill(lang, "pool.subgroup_test", &[("test", &test)])
            )?;
        }
        Ok(())
    }

    /// Ends the document and replaces the output file.
    fn finish(mut self) -> anyhow::Result<()> {
        self.begin()?;
        match self.args.format {
            FormatArg::Json => self.json.end(&mut self.sink)?,
            FormatArg::Csv | FormatArg::Text => {}
        }
        self.sink.commit()?;
        Ok(())
    }
}

/// Opens a path, or standard input for `-`, with its name for messages.
pub(super) fn open_input(file: &str) -> anyhow::Result<(Box<dyn Read>, String)> {
    if file == "-" {
        Ok((Box::new(std::io::stdin().lock()), "<stdin>".into()))
    } else {
        let f = std::fs::File::open(file).with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.cannot_open",
                &[("file", &file.to_string())],
            )
        })?;
        Ok((Box::new(f), file.to_string()))
    }
}

/// `x` with `d` decimals, with a decimal comma for Dutch and French.
fn fmt(lang: Lang, x: f64, d: usize) -> String {
    repool::format::localise_number(lang, &format!("{x:.d$}"))
}
