//! A mutation fuzzer of the readers and of what runs after them, on stable Rust.
//!
//! Seed inputs (the bundled datasets, `tests/fixtures`, the golden data and a few claims)
//! are mutated by byte flips, interesting bytes, insertions, deletions, duplicated ranges,
//! splicing with another seed, line operations, fields replaced by long or empty values and
//! numbers replaced by edge values (0, -0, 1e-400, 1e400, NaN, inf, 10^400, 70,000 decimals,
//! …). Each input runs in-process through one target:
//!
//! | target | reader | then |
//! |---|---|---|
//! | `pool` | `io::read` (CSV) | `pool` (options drawn from the input's hash), the text printout, `explain`, the funnel layout, fast leave-one-out and cumulative pools, Egger, Begg, trim-and-fill |
//! | `claims` | `io::claims` | `check`, `compare_transcription`, the output row |
//! | `check-text` | `check::text::parse` | `check`, the output row |
//! | `rm5` | `io::revman::read_rm5` | `reproduce::check_review` |
//! | `revman-csv` | `io::revman_csv::read_revman_csv` | `reproduce::check_review` |
//! | `network` | `io::network` | `pairwise` or `from_contrasts`, `analyse` |
//! | `svg` | `plot::render::to_png` (SVG text, as `repool serve` receives it) | the PNG's text and shapes split from the document or resvg drawing it whole |
//! | `cli` | the `repool` binary on the input as a file | one of `pool`, `check`, `network`, `revman`, `bias`, `sensitivity`, `explain`, `regress`, `forest`, `funnel`, `compare`, `reproduce` (their text, JSON and CSV output and plots) |
//!
//! A finding is an input that panics (in-process, or the binary exits with 101 or a
//! signal), whose successful result holds a number that is not finite (NaN or ±inf anywhere
//! in its `Debug` text outside strings), or that takes longer than the time limit.
//!
//! - `cargo test --test fuzz` runs a short, deterministic round (200 inputs per target) and
//!   replays `tests/fuzz_corpus/` (CI runs both).
//! - `REPOOL_FUZZ_SECS=900 cargo test --release --test fuzz -- --ignored` fuzzes for 15
//!   minutes (`REPOOL_FUZZ_SEED` fixes the random seed, `REPOOL_FUZZ_TIMEOUT_SECS` the time
//!   limit per input, default 10 s; without `REPOOL_FUZZ_SECS` the test does nothing, so that
//!   `--include-ignored` is not held up). Findings are written to `fuzz-findings/<target>/` under
//!   cargo's temporary folder (the path is printed) and fail the run; once fixed, an input
//!   goes into `tests/fuzz_corpus/<target>/`, where the replay test keeps it fixed.

mod util;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use repool::check::{check, compare_transcription, text, Lang};
use repool::effect::{CcTo, EffectOptions, MdVariance, SmdCorrection, ZeroCellRule};
use repool::io::read::{AnalysisReader, ReadOptions};
use repool::io::write::CheckRow;
use repool::network::{analyse, from_contrasts, pairwise, NetworkOptions, PairwiseOptions};
use repool::pool::{
    bias, sensitivity, CiMethod, CommonMethod, I2Method, Model, PiMethod, PoolConfig, Tau2Method,
};
use repool::Measure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Pool,
    Claims,
    CheckText,
    Rm5,
    RevmanCsv,
    Network,
    Svg,
    Cli,
}

const TARGETS: [Target; 8] = [
    Target::Pool,
    Target::Claims,
    Target::CheckText,
    Target::Rm5,
    Target::RevmanCsv,
    Target::Network,
    Target::Svg,
    Target::Cli,
];

/// Claims with every optional column, and free-text results, as seeds.
const CLAIMS: &str = "id,measure,estimate,ci_low,ci_high,level,p,df,threshold,verdict,n_studies,n_patients,source,original_estimate,original_ci_low,original_ci_high
a,RR,1.23,1.16,2.07,95,0.02,,1.25,clinically relevant,12,3400,Table 2,1.23,1.16,2.01
b,MD,-9.72,-22.7,-6.69,0.95,<0.001,14,-10,not clinically relevant,,,,,,
c,SMD,\u{2212}0.45,\u{2212}0.80,\u{2212}0.10,90,0.03,,,,,,,,,
d,HR,\"0,81\",\"0,70\",\"0,94\",95,p<0.001,,,,,,,,,
";

const TEXTS: [&str; 6] = [
    "RR 1,23 (95% BI 1,16 tot 2,07)",
    "MD -9.72 (95% CI -22.7 to -6.69), threshold -10, reported: not clinically relevant",
    "OR 2.35 (1.7–3.77), p = 0.02",
    "HR 0.81 [0.70; 0.94] p<0.001",
    "SMD −0.45 (−0.80 to −0.10), df = 12",
    "RD 0,05 (IC 95 % 0,01 à 0,09), p = 0,04",
];

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Pool => "pool",
            Target::Claims => "claims",
            Target::CheckText => "check-text",
            Target::Rm5 => "rm5",
            Target::RevmanCsv => "revman-csv",
            Target::Network => "network",
            Target::Svg => "svg",
            Target::Cli => "cli",
        }
    }

    fn from_name(s: &str) -> Option<Target> {
        TARGETS.into_iter().find(|t| t.name() == s)
    }

    /// The seed inputs.
    fn seeds(self) -> Vec<Vec<u8>> {
        let files = |paths: &[&str]| -> Vec<Vec<u8>> {
            paths
                .iter()
                .flat_map(|p| glob(p))
                .map(|p| std::fs::read(p).unwrap())
                .collect()
        };
        match self {
            Target::Pool => files(&["datasets/*/data.csv", "tests/golden/data/*.csv"]),
            Target::Claims => {
                let mut s = files(&["datasets/minerva-claims/claims.csv"]);
                s.push(CLAIMS.as_bytes().to_vec());
                s
            }
            Target::CheckText => TEXTS.iter().map(|t| t.as_bytes().to_vec()).collect(),
            Target::Rm5 => files(&["tests/fixtures/*.rm5"]),
            Target::RevmanCsv => files(&[
                "tests/fixtures/Fleiss1993_CR.csv",
                "tests/fixtures/fleiss1993-datapackage/*.csv",
            ]),
            Target::Network => files(&[
                "tests/golden/network_*.csv",
                "datasets/hasselblad1998/data.csv",
                "datasets/senn2013/data.csv",
                "datasets/senn2013-contrasts/data.csv",
            ]),
            Target::Svg => files(&["tests/snapshots/*.svg"]),
            Target::Cli => TARGETS[..6].iter().flat_map(|t| t.seeds()).collect(),
        }
    }

    /// Runs the input through the target: `Err` names a non-finite number in a result, or
    /// how the binary failed.
    fn run(self, input: &[u8]) -> Result<(), Finding> {
        let h = fnv(input);
        let checked = match self {
            Target::Pool => run_pool(input, h),
            Target::Claims => run_claims(input, h),
            Target::CheckText => run_check_text(input, h),
            Target::Rm5 => run_review(repool::io::revman::read_rm5(input, "fuzz.rm5").ok()),
            Target::RevmanCsv => run_review(
                repool::io::revman_csv::read_revman_csv(
                    &String::from_utf8_lossy(input),
                    "fuzz.csv",
                )
                .ok(),
            ),
            Target::Network => run_network(input, h),
            // Any SVG gives a PNG or an error; a panic or a hang is a finding.
            Target::Svg => {
                let _ = repool::plot::render::to_png(&String::from_utf8_lossy(input), 96.0);
                Ok(())
            }
            Target::Cli => return run_cli(input, h),
        };
        checked.map_err(Finding::NonFinite)
    }
}

/// The files matching `pattern` (relative to the repository; `*` within one path
/// component), sorted.
fn glob(pattern: &str) -> Vec<PathBuf> {
    let mut found = vec![util::repo_path("")];
    for part in pattern.split('/') {
        let (prefix, suffix) = part.split_once('*').unwrap_or((part, ""));
        let star = part.contains('*');
        found = found
            .into_iter()
            .flat_map(|dir| {
                let mut next: Vec<PathBuf> = match std::fs::read_dir(&dir) {
                    Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
                    Err(_) => Vec::new(),
                };
                next.retain(|p| {
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if star {
                        name.starts_with(prefix) && name.ends_with(suffix)
                    } else {
                        name == part
                    }
                });
                next
            })
            .collect();
    }
    found.sort();
    found
}

/// FNV-1a: the options of a run follow from the input, so that a finding replays.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Picks an element of `options` with the bits of `h` from `shift` on.
fn pick<T: Copy>(h: u64, shift: u32, options: &[T]) -> T {
    options[((h >> shift) % options.len() as u64) as usize]
}

/// The first NaN or infinity in `debug` outside quoted strings, with its context.
fn non_finite(debug: &str) -> Option<String> {
    let b = debug.as_bytes();
    let word = |i: usize| i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_');
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
        } else if (b[i..].starts_with(b"NaN") || b[i..].starts_with(b"inf"))
            && (i == 0 || !word(i - 1))
            && !word(i + 3)
        {
            let mut lo = i.saturating_sub(160);
            while !debug.is_char_boundary(lo) {
                lo -= 1;
            }
            let mut hi = (i + 40).min(debug.len());
            while !debug.is_char_boundary(hi) {
                hi += 1;
            }
            return Some(debug[lo..hi].to_string());
        }
        i += 1;
    }
    None
}

fn finite(what: &str, value: &impl std::fmt::Debug) -> Result<(), String> {
    match non_finite(&format!("{value:?}")) {
        Some(ctx) => Err(format!("{what}: …{ctx}…")),
        None => Ok(()),
    }
}

fn pool_config(measure: Measure, h: u64) -> PoolConfig {
    PoolConfig::metafor(measure)
        .model(pick(h, 0, &[Model::Random, Model::Random, Model::Fixed]))
        .method(pick(
            h,
            2,
            &[
                CommonMethod::IV,
                CommonMethod::IV,
                CommonMethod::MH,
                CommonMethod::Peto,
            ],
        ))
        .tau2(pick(h, 5, &Tau2Method::ALL))
        .ci(pick(
            h,
            9,
            &[CiMethod::Z, CiMethod::Hksj, CiMethod::HksjAdhoc],
        ))
        .level(pick(h, 12, &[0.95, 0.9, 0.99]))
        .pi(pick(h, 14, &[PiMethod::Metafor, PiMethod::Higgins]))
        .i2(pick(h, 15, &[I2Method::Tau2, I2Method::Q]))
        .effect(EffectOptions {
            zero_cell: ZeroCellRule {
                add: pick(h, 16, &[0.5, 0.5, 0.0, 1e-300]),
                to: pick(h, 18, &[CcTo::Only0, CcTo::All, CcTo::If0All, CcTo::None]),
                drop_double_zero: pick(h, 20, &[false, true]),
            },
            smd_correction: pick(h, 21, &[SmdCorrection::Exact, SmdCorrection::Approx]),
            md_variance: pick(
                h,
                22,
                &[MdVariance::Unequal, MdVariance::Unequal, MdVariance::Pooled],
            ),
        })
}

fn run_pool(input: &[u8], h: u64) -> Result<(), String> {
    let measures = [
        None,
        Some(Measure::MeanDifference),
        Some(Measure::StandardizedMeanDifference),
        Some(Measure::LogRiskRatio),
        Some(Measure::LogOddsRatio),
        Some(Measure::RiskDifference),
        Some(Measure::LogHazardRatio),
        Some(Measure::Generic),
    ];
    let opts = ReadOptions {
        measure: pick(h, 24, &measures),
        decimal_comma: pick(h, 27, &[None, None, Some(true), Some(false)]),
        input_level: pick(h, 29, &[0.95, 0.9]),
        ..ReadOptions::default()
    };
    let Ok(reader) = AnalysisReader::new(std::io::BufReader::new(input), "fuzz.csv", &opts) else {
        return Ok(());
    };
    let config = pool_config(reader.measure(), h);
    for analysis in reader.flatten() {
        if let Ok(studies) = analysis.studies {
            pool_analysis(&studies, &config, h)?;
        }
    }
    Ok(())
}

/// Everything `repool pool`, `explain`, `funnel`, `sensitivity` and `bias` compute from
/// one analysis.
fn pool_analysis(studies: &[repool::Study], config: &PoolConfig, h: u64) -> Result<(), String> {
    let Ok(r) = repool::pool(studies, config) else {
        return Ok(());
    };
    finite("pool", &r)?;
    let _ = repool::report::text::render(None, &r, pick(h, 31, &[4, 0, 15]));
    let lang = pick(h, 33, &[Lang::En, Lang::Nl, Lang::Fr]);
    let ex_opts = repool::explain::ExplainOptions {
        lang,
        ..Default::default()
    };
    if let Ok(ex) = repool::explain::explain(studies, config, &ex_opts) {
        let _ = repool::explain::render(&ex, repool::explain::Format::Text);
    }
    let _ = repool::plot::funnel::funnel_layout(&r, lang, true, None, None);
    let (y, v) = r.effects();
    if config.method == CommonMethod::IV && y.len() >= 2 {
        if let Ok(fits) = sensitivity::leave_one_out_fast(&y, &v, config) {
            finite("leave-one-out", &fits)?;
        }
        let effects: Vec<Option<(f64, f64)>> =
            y.iter().zip(&v).map(|(&a, &b)| Some((a, b))).collect();
        for f in sensitivity::cumulative_fast(&effects, config)
            .iter()
            .flatten()
        {
            finite("cumulative", f)?;
        }
    }
    if y.len() >= 3 {
        let method = (config.model == Model::Random).then_some(config.tau2_method);
        if let Ok(e) = bias::egger(&y, &v) {
            finite("egger", &e)?;
        }
        if let Ok(b) = bias::begg(&y, &v) {
            finite("begg", &b)?;
        }
        if let Ok(t) = bias::trim_and_fill(&y, &v, method, bias::TrimFillEstimator::L0) {
            finite("trim-and-fill", &t)?;
        }
    }
    Ok(())
}

fn run_claims(input: &[u8], h: u64) -> Result<(), String> {
    let Ok(records) = repool::io::claims::read_claims(input, "fuzz.csv") else {
        return Ok(());
    };
    let lang = pick(h, 0, &[Lang::En, Lang::Nl, Lang::Fr]);
    for rec in records {
        let Ok(claim) = &rec.claim else { continue };
        if let Ok(r) = check(claim, lang) {
            finite("check", &r)?;
            if let Some(orig) = rec.original {
                let _ = compare_transcription(
                    (claim.estimate, claim.ci_low, claim.ci_high),
                    orig,
                    lang,
                );
            }
            let _ = CheckRow::from_result(rec.id.clone(), Some(rec.line), claim, &r, None);
        }
    }
    Ok(())
}

fn run_check_text(input: &[u8], h: u64) -> Result<(), String> {
    let Ok(claim) = text::parse(&String::from_utf8_lossy(input)) else {
        return Ok(());
    };
    let lang = pick(h, 0, &[Lang::En, Lang::Nl, Lang::Fr]);
    if let Ok(r) = check(&claim, lang) {
        finite("check --text", &r)?;
        let _ = CheckRow::from_result("text".into(), None, &claim, &r, None);
    }
    Ok(())
}

fn run_review(review: Option<repool::io::revman::RmReview>) -> Result<(), String> {
    let Some(review) = review else { return Ok(()) };
    for c in repool::reproduce::check_review(&review) {
        finite("recomputed", &c.recomputed)?;
        finite("subgroup test", &c.subgroup_test)?;
    }
    Ok(())
}

fn run_network(input: &[u8], h: u64) -> Result<(), String> {
    use repool::io::network::{read_network_analyses, NetworkRows};
    let Ok(analyses) = read_network_analyses(&String::from_utf8_lossy(input), "fuzz.csv") else {
        return Ok(());
    };
    let measures = [
        Measure::LogOddsRatio,
        Measure::LogRiskRatio,
        Measure::RiskDifference,
        Measure::MeanDifference,
        Measure::StandardizedMeanDifference,
    ];
    let opts = PairwiseOptions {
        all_studies: pick(h, 3, &[false, true]),
        smd: pick(
            h,
            4,
            &[
                repool::network::SmdMethod::Cohen,
                repool::network::SmdMethod::Hedges,
            ],
        ),
        ..PairwiseOptions::default()
    };
    for a in analyses {
        let net = match &a.rows {
            NetworkRows::Arms(arms) => pairwise(arms, pick(h, 0, &measures), &opts),
            NetworkRows::Contrasts(c) => from_contrasts(c),
        };
        let Ok(net) = net else { continue };
        if let Ok(res) = analyse(net, &NetworkOptions::default()) {
            finite(
                "network",
                &(&res.common, &res.random, &res.q_total, &res.splits_random),
            )?;
            finite(
                "network",
                &(&res.pscores_random, &res.q_within, &res.q_between_random),
            )?;
        }
    }
    Ok(())
}

/// How long the binary may run on one input (the fuzzing round's time limit less a margin).
static CLI_TIMEOUT_MS: AtomicU64 = AtomicU64::new(50_000);

/// Runs the binary on the input (a `.csv` or `.rm5` file): exit codes 0, 1 and 2 are
/// answers; 101 (a panic) or a signal is a finding. Plots go to a temporary folder.
fn run_cli(input: &[u8], h: u64) -> Result<(), Finding> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join(
        if input.starts_with(b"<?xml") || pick(h, 0, &[false, false, true]) {
            "in.rm5"
        } else {
            "in.csv"
        },
    );
    std::fs::write(&file, input).expect("the input is written");
    let (f, svg) = (
        file.to_string_lossy().into_owned(),
        dir.path().join("out.svg").to_string_lossy().into_owned(),
    );
    let commands: [Vec<&str>; 16] = [
        vec!["pool", &f],
        vec!["pool", &f, "--format", "json", "--by-subgroup"],
        vec!["pool", &f, "--format", "csv", "--preset", "revman5"],
        vec!["check", &f, "--format", "json", "--lang", "nl"],
        vec!["check", &f],
        vec!["network", &f, "--measure", "OR"],
        vec!["network", &f, "--measure", "MD", "--format", "json"],
        vec!["revman", &f],
        vec!["bias", &f],
        vec!["sensitivity", &f, "--cumulative", "--tau2", "PM"],
        vec!["explain", &f, "--lang", "fr"],
        vec!["regress", &f, "--mod", "year"],
        vec!["forest", &f, "-o", &svg],
        vec!["funnel", &f, "--trimfill", "-o", &svg],
        vec!["compare", &f],
        vec!["reproduce", &f, "--published", "RR 0.49 (0.34 to 0.70)"],
    ];
    let args = &commands[((h >> 3) % commands.len() as u64) as usize];
    let stderr_path = dir.path().join("stderr");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).expect("a stderr file"))
        .spawn()
        .expect("repool runs");
    let (start, limit) = (
        Instant::now(),
        Duration::from_millis(CLI_TIMEOUT_MS.load(Relaxed)),
    );
    let status = loop {
        if let Some(status) = child.try_wait().expect("repool's status") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Finding::Slow(start.elapsed()));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    match status.code() {
        Some(0..=2) => Ok(()),
        code => {
            let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            let tail: String = err
                .chars()
                .rev()
                .take(600)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            Err(Finding::Panic(format!(
                "repool {} exited with {code:?}: {tail}",
                args[0]
            )))
        }
    }
}

/// Interesting replacements of a number.
fn edge_number(rng: &mut ChaCha8Rng) -> String {
    const FIXED: [&str; 30] = [
        "0",
        "-0",
        "0.0",
        "1e-400",
        "1e400",
        "-1e400",
        "1e308",
        "-1e308",
        "4.9e-324",
        "2.2e-308",
        "1e-320",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "0.5",
        "1",
        "-1",
        "2",
        "1e-12",
        "1e12",
        "1,5",
        "1.5.5",
        "",
        "-",
        "1e",
        "0x10",
        "4294967297",
        "18446744073709551617",
    ];
    match rng.gen_range(0..10) {
        0 => format!("1{}", "0".repeat(rng.gen_range(300..500))),
        1 => format!("0.{}1", "0".repeat(rng.gen_range(300..70_000))),
        2 => format!("{}", rng.gen::<f64>() * 10f64.powi(rng.gen_range(-30..30))),
        _ => FIXED[rng.gen_range(0..FIXED.len())].to_string(),
    }
}

/// The byte ranges of the numbers in `s`.
fn numbers_in(s: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i].is_ascii_digit() {
            let start = i;
            while i < s.len() && (s[i].is_ascii_digit() || b".eE+-".contains(&s[i])) {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// The byte ranges of the fields (between delimiters, quotes, tags) and lines of `s`.
fn fields_in(s: &[u8], sep: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.iter().enumerate() {
        if sep.contains(c) {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, s.len()));
    out
}

const MAX_INPUT: usize = 256 * 1024;

/// One to four mutations of `input`; `others` are the target's other seeds (for splicing).
fn mutate(rng: &mut ChaCha8Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.gen_range(1..=4) {
        mutate_once(rng, &mut out, others);
        out.truncate(MAX_INPUT);
    }
    out
}

fn mutate_once(rng: &mut ChaCha8Rng, out: &mut Vec<u8>, others: &[Vec<u8>]) {
    let len = out.len();
    let at = |rng: &mut ChaCha8Rng| rng.gen_range(0..=len);
    match rng.gen_range(0..11) {
        0 if len > 0 => {
            let i = rng.gen_range(0..len);
            out[i] ^= 1 << rng.gen_range(0..8);
        }
        1 if len > 0 => {
            const BYTES: &[u8] = b"\0\xff,;\t\n\r\"<>/.-e9 =&'\\";
            let i = rng.gen_range(0..len);
            out[i] = BYTES[rng.gen_range(0..BYTES.len())];
        }
        2 => {
            let i = at(rng);
            let n = rng.gen_range(1..8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
            out.splice(i..i, bytes);
        }
        3 if len > 0 => {
            let i = rng.gen_range(0..len);
            let j = (i + rng.gen_range(1..64)).min(len);
            out.drain(i..j);
        }
        4 if len > 0 => {
            let i = rng.gen_range(0..len);
            let j = (i + rng.gen_range(1..256)).min(len);
            let copy = out[i..j].to_vec();
            let k = at(rng);
            out.splice(k..k, copy);
        }
        5 if !others.is_empty() => {
            let other = &others[rng.gen_range(0..others.len())];
            let i = at(rng);
            let j = rng.gen_range(0..=other.len());
            out.truncate(i);
            out.extend_from_slice(&other[j..]);
        }
        6..=7 => {
            let nums = numbers_in(out);
            if let Some(&(i, j)) = nums.get(rng.gen_range(0..nums.len().max(1))) {
                let n = edge_number(rng);
                out.splice(i..j, n.into_bytes());
            }
        }
        8 => mutate_lines(rng, out),
        _ => {
            let fields = fields_in(out, b",;\t\n\"<>");
            let (i, j) = fields[rng.gen_range(0..fields.len())];
            let value = match rng.gen_range(0..5) {
                0 => "x".repeat(65_536),
                1 => String::new(),
                2 => "\"".into(),
                3 => "NA".into(),
                _ => "é\u{2212}\u{feff}".into(),
            };
            out.splice(i..j, value.into_bytes());
        }
    }
}

/// Duplicates a line up to 2,000 times, deletes one or swaps two.
fn mutate_lines(rng: &mut ChaCha8Rng, out: &mut Vec<u8>) {
    let lines = fields_in(out, b"\n");
    if lines.len() < 2 {
        return;
    }
    let (i, j) = lines[rng.gen_range(1..lines.len())];
    match rng.gen_range(0..3) {
        0 => {
            let line: Vec<u8> = out[i..j].iter().copied().chain([b'\n']).collect();
            let times = if rng.gen_bool(0.2) {
                rng.gen_range(100..2_000)
            } else {
                rng.gen_range(1..5)
            };
            let copies: Vec<u8> = line.repeat(times);
            out.splice(i..i, copies);
        }
        1 => {
            out.drain(i..(j + 1).min(out.len()));
        }
        _ => {
            let (k, l) = lines[rng.gen_range(1..lines.len())];
            if l <= i {
                let (a, b) = (out[k..l].to_vec(), out[i..j].to_vec());
                out.splice(i..j, a);
                out.splice(k..l, b);
            }
        }
    }
}

/// What went wrong with one input.
enum Finding {
    Panic(String),
    NonFinite(String),
    Slow(Duration),
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Panic(m) => write!(f, "panic: {m}"),
            Finding::NonFinite(m) => write!(f, "not finite: {m}"),
            Finding::Slow(d) => write!(f, "still running after {:.1} s", d.as_secs_f64()),
        }
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Runs `input` through `target`, catching panics.
fn run_caught(target: Target, input: &[u8]) -> Result<(), Finding> {
    match catch_unwind(AssertUnwindSafe(|| target.run(input))) {
        Ok(r) => r,
        Err(p) => Err(Finding::Panic(panic_message(p))),
    }
}

/// Runs `input` in a thread of its own, giving up after `timeout`.
fn run_guarded(target: Target, input: &[u8], timeout: Duration) -> Result<(), Finding> {
    let (tx, rx) = mpsc::channel();
    let owned = input.to_vec();
    let start = Instant::now();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(run_caught(target, &owned));
        })
        .expect("a fuzzing thread starts");
    match rx.recv_timeout(timeout) {
        Ok(r) => r,
        Err(_) => Err(Finding::Slow(start.elapsed())),
    }
}

/// Where findings are written.
fn findings_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings")
}

fn save(target: Target, input: &[u8]) -> PathBuf {
    let dir = findings_dir().join(target.name());
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{:016x}", fnv(input)));
    std::fs::write(&path, input).unwrap();
    path
}

/// Fuzzes until `done` says so: each round picks a target, a seed and mutations; inputs the
/// reader accepts join the target's seeds (up to 2,000). Returns the findings, each saved.
fn fuzz(seed: u64, timeout: Duration, done: &mut dyn FnMut(usize) -> bool) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    CLI_TIMEOUT_MS.store((timeout.as_millis() as u64) * 4 / 5, Relaxed);
    let mut pools: Vec<(Target, Vec<Vec<u8>>)> = TARGETS
        .iter()
        .map(|&t| {
            let mut seeds = t.seeds();
            seeds.extend(corpus(t).into_iter().map(|(_, b)| b));
            assert!(!seeds.is_empty(), "{} has seeds", t.name());
            (t, seeds)
        })
        .collect();
    let mut findings = Vec::new();
    let mut round = 0;
    while !done(round) {
        let which = round % pools.len();
        let (target, seeds) = &pools[which];
        let base = &seeds[rng.gen_range(0..seeds.len())];
        let input = mutate(&mut rng, base, seeds);
        match run_guarded(*target, &input, timeout) {
            Ok(()) => {
                if pools[which].1.len() < 2_000 && rng.gen_bool(0.05) {
                    pools[which].1.push(input);
                }
            }
            Err(f) => {
                let path = save(*target, &input);
                findings.push(format!("{} {f}: {}", target.name(), path.display()));
                if matches!(f, Finding::Slow(_)) {
                    break;
                }
            }
        }
        round += 1;
    }
    findings
}

/// The committed inputs of `tests/fuzz_corpus/<target>/`.
fn corpus(target: Target) -> Vec<(PathBuf, Vec<u8>)> {
    glob(&format!("tests/fuzz_corpus/{}/*", target.name()))
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// A short deterministic round: 200 inputs per target.
#[test]
fn fuzz_briefly() {
    let rounds = 200 * TARGETS.len();
    let findings = fuzz(1, Duration::from_secs(60), &mut |r| r >= rounds);
    assert!(findings.is_empty(), "findings:\n{}", findings.join("\n"));
}

/// Every committed input of `tests/fuzz_corpus/` runs without a panic and without a number
/// that is not finite in a successful result.
#[test]
fn fuzz_corpus_replays() {
    for dir in glob("tests/fuzz_corpus/*")
        .into_iter()
        .filter(|p| p.is_dir())
    {
        let name = dir.file_name().unwrap().to_str().unwrap();
        assert!(
            Target::from_name(name).is_some(),
            "unknown target folder {name}"
        );
    }
    let mut failed = Vec::new();
    for target in TARGETS {
        for (path, input) in corpus(target) {
            if let Err(f) = run_caught(target, &input) {
                failed.push(format!("{}: {f}", path.display()));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The long run: `REPOOL_FUZZ_SECS=900 cargo test --release --test fuzz -- --ignored`.
#[test]
#[ignore]
fn fuzz_for_a_while() {
    let Some(secs) = env_u64("REPOOL_FUZZ_SECS") else {
        eprintln!("REPOOL_FUZZ_SECS is not set: no long fuzzing run");
        return;
    };
    let seed = env_u64("REPOOL_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    let timeout = Duration::from_secs(env_u64("REPOOL_FUZZ_TIMEOUT_SECS").unwrap_or(10));
    let start = Instant::now();
    let mut rounds = 0;
    let findings = fuzz(seed, timeout, &mut |r| {
        rounds = r;
        start.elapsed() >= Duration::from_secs(secs)
    });
    eprintln!(
        "fuzzed {rounds} inputs in {:.0} s with seed {seed}; findings in {}",
        start.elapsed().as_secs_f64(),
        findings_dir().display()
    );
    assert!(findings.is_empty(), "findings:\n{}", findings.join("\n"));
}

#[test]
fn non_finite_numbers_are_found_outside_strings() {
    assert!(non_finite("Fit { a: 1.0, b: NaN }").is_some());
    assert!(non_finite("Some(-inf)").is_some());
    assert!(non_finite("Study { label: \"NaN inf \\\" NaN\", y: 2.0 }").is_none());
    assert!(non_finite("influential: true, info: 1").is_none());
}
