//! `repool check`: re-check reported effects, CIs, p-values and relevance verdicts.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{ArgGroup, Args};

use repool::check::fmt_num;
use repool::check::messages::{
    implied_p_summary, localise_number, partial_original, severity_label,
};
use repool::check::{check, compare_transcription, text, Lang, Severity};
use repool::i18n;
use repool::io::claims::{read_claims, ClaimRecord};
use repool::io::write::{csv_writer, to_writer_sorted_pretty, CheckDoc, CheckRow, CHECK_SCHEMA};
use repool::report::text::pad_right;

use super::output::Sink;
use super::pool::open_input;
use super::spelled;
use super::FormatArg;
use super::{EXIT_ERROR, EXIT_FINDINGS};

/// Options of `repool check`.
#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("claims").required(true).args(["file", "text"])),
    after_help = "Claims CSV columns (case-insensitive): id, measure, estimate, ci_low, ci_high
and optional level (default 95), p, df, threshold, verdict (yes/no/ja/nee/oui/non), n_studies,
n_patients, source, original_estimate, original_ci_low, original_ci_high.
Numbers as printed: decimal commas and the printed decimals are kept (rounding-aware checks).

Flags: estimate_outside_ci, ci_asymmetric, p_mismatch, significance_mismatch, verdict_mismatch,
transcription_mismatch, each with a severity: error (no interval method explains it) or warning
(a profile-likelihood, exact, Bayesian or t-based interval can). Exit code: 0 no errors (with
--strict: nothing flagged), 1 an error (with --strict: any finding), 2 a claim could not be read.

Examples:
  repool check claims.csv
  repool check claims.csv --strict --format json
  repool check --text \"RR 1,23 (95% BI 1,16 tot 2,07)\"
  repool check --text \"MD -9.72 (95% CI -22.7 to -6.69), threshold -10, reported: not clinically relevant\""
)]
pub struct CheckArgs {
    /// Claims CSV ('-' reads standard input).
    #[arg(conflicts_with = "text")]
    file: Option<String>,
    /// One result as printed, e.g. "RR 1,23 (95% BI 1,16 tot 2,07)".
    #[arg(long)]
    text: Option<String>,
    /// Language of the explanations (numbers with decimal commas for nl and fr).
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: FormatArg,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit with code 1 for warnings too, not only for errors.
    #[arg(long)]
    strict: bool,
}

/// Runs `repool check`.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let lang = args.lang;
    let mut rows = Vec::new();
    if let Some(t) = &args.text {
        let claim = text::parse(t)?;
        let r = check(&claim, lang).with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.checking",
                &[("text", &format!("{t:?}").to_string())],
            )
        })?;
        rows.push(CheckRow::from_result("text".into(), None, &claim, &r, None));
    } else {
        let file = args
            .file
            .as_deref()
            .expect("clap requires a file or --text");
        let (input, name) = open_input(file)?;
        for rec in read_claims(input, &name)? {
            rows.push(record_row(&rec, lang, Some(&name)));
        }
    }
    let mut sink = Sink::new(args.output.as_deref())?;
    match args.format {
        FormatArg::Json => {
            let doc = CheckDoc {
                schema: CHECK_SCHEMA,
                claims: &rows,
            };
            to_writer_sorted_pretty(&mut sink, &doc)?;
            sink.write_all(b"\n")?;
        }
        FormatArg::Csv => {
            let mut w = csv_writer(&mut sink);
            w.write_record(CheckRow::csv_header())?;
            for r in &rows {
                w.serialize(r.csv_record())?;
            }
            w.flush()?;
        }
        FormatArg::Text => write_text(&mut sink, &rows, lang)?,
    }
    sink.commit()?;
    let n_err = rows.iter().filter(|r| r.error.is_some()).count();
    let fails = if args.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    let n_flagged = rows
        .iter()
        .filter(|r| r.severity().is_some_and(|s| s >= fails))
        .count();
    for r in rows.iter().filter(|r| r.error.is_some()) {
        stderr_line!("repool: error: {}", r.error.as_deref().unwrap_or(""));
    }
    if n_err > 0 {
        if n_err == rows.len() && args.text.is_none() && rows.len() == 1 {
            bail!(
                "{}",
                repool::i18n::text(super::hints::lang(), "errors.cli.no_claim")
            );
        }
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(if n_flagged > 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// The output row of one record of a claims file: the claim checked, with the transcription
/// check when the original paper's numbers are given and a note when only some are, or the
/// record's error. `file` prefixes errors of the check itself (errors of reading already
/// carry their position).
pub(super) fn record_row(rec: &ClaimRecord, lang: Lang, file: Option<&str>) -> CheckRow {
    let claim = match &rec.claim {
        Ok(c) => c,
        Err(e) => return error_row(&rec.id, rec.line, e.to_string(), rec.source.clone()),
    };
    let mut r = match check(claim, lang) {
        Ok(r) => r,
        Err(e) => {
            let message = match file {
                Some(f) => format!("{f}:{}: {e}", rec.line),
                None => e.to_string(),
            };
            return error_row(&rec.id, rec.line, message, rec.source.clone());
        }
    };
    if let Some(orig) = rec.original {
        let printed = (claim.estimate, claim.ci_low, claim.ci_high);
        r.flags.extend(compare_transcription(printed, orig, lang));
    }
    let mut row = CheckRow::from_result(
        rec.id.clone(),
        Some(rec.line),
        claim,
        &r,
        rec.source.clone(),
    );
    if !rec.original_missing.is_empty() {
        row.notes
            .push(partial_original(lang, &rec.original_missing));
    }
    row
}

fn error_row(id: &str, line: u64, message: String, source: Option<String>) -> CheckRow {
    CheckRow {
        id: id.to_string(),
        line: Some(line),
        source,
        error: Some(message),
        ..CheckRow::default()
    }
}

/// The severity of a flag row in the chosen language.
fn label(lang: Lang, severity: &str) -> &'static str {
    Severity::parse(severity)
        .map(|s| severity_label(lang, s))
        .unwrap_or("")
}

fn write_text(out: &mut impl Write, rows: &[CheckRow], lang: Lang) -> std::io::Result<()> {
    let w_id = rows
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    let w_status = [Severity::Error, Severity::Warning]
        .iter()
        .map(|&s| severity_label(lang, s).chars().count())
        .max()
        .unwrap_or(5);
    for r in rows {
        if let Some(e) = &r.error {
            writeln!(
                out,
                "{}  {}  {e}",
                pad_right(&r.id, w_id),
                pad_right(i18n::text(lang, "check.status_error"), w_status)
            )?;
            continue;
        }
        let status = r
            .severity()
            .map(|s| severity_label(lang, s))
            .unwrap_or(i18n::text(lang, "check.status_ok"));
        let codes: Vec<String> = r
            .flags
            .iter()
            .map(|f| format!("{} ({})", f.code, label(lang, &f.severity)))
            .collect();
        let n = |x: &Option<String>| localise_number(lang, x.as_deref().unwrap_or(""));
        let halves = r.implied_p_lower_half.zip(r.implied_p_upper_half);
        let relevance = r
            .relevance
            .as_ref()
            .map(|c| i18n::fill(lang, "check.relevance_category", &[("category", c)]))
            .unwrap_or_default();
        let crosses = match r.imprecision.as_deref() {
            Some("null") => i18n::text(lang, "check.crosses_null"),
            Some("threshold") => i18n::text(lang, "check.crosses_threshold"),
            Some("both") => i18n::text(lang, "check.crosses_both"),
            _ => "",
        };
        let flags = if codes.is_empty() {
            String::new()
        } else {
            format!("  {}", codes.join(", "))
        };
        let args = [
            ("id", pad_right(&r.id, w_id)),
            ("status", pad_right(status, w_status)),
            ("measure", r.measure.clone().unwrap_or_default()),
            ("estimate", n(&r.estimate)),
            ("low", n(&r.ci_low)),
            ("high", n(&r.ci_high)),
            ("se", fmt_num(lang, r.implied_se.unwrap_or(f64::NAN), 4)),
            ("p", implied_p_summary(lang, r.implied_p, halves)),
            ("relevance", relevance),
            ("crosses", crosses.to_string()),
            ("flags", flags),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        writeln!(out, "{}", i18n::fill(lang, "check.line", &args))?;
    }
    let flagged: Vec<&CheckRow> = rows.iter().filter(|r| !r.flags.is_empty()).collect();
    if !flagged.is_empty() {
        writeln!(out, "\n{}", i18n::text(lang, "check.findings"))?;
        for r in flagged {
            for f in &r.flags {
                let sev = label(lang, &f.severity);
                writeln!(out, "- {} [{}] {sev}: {}", r.id, f.code, f.message)?;
            }
        }
    }
    let noted: Vec<&CheckRow> = rows.iter().filter(|r| !r.notes.is_empty()).collect();
    if !noted.is_empty() {
        writeln!(out, "\n{}", i18n::text(lang, "check.notes"))?;
        for r in noted {
            for n in &r.notes {
                writeln!(out, "- {}: {n}", r.id)?;
            }
        }
    }
    let with_relevance: Vec<&CheckRow> =
        rows.iter().filter(|r| r.relevance_text.is_some()).collect();
    if !with_relevance.is_empty() {
        writeln!(out, "\n{}", i18n::text(lang, "check.clinical_relevance"))?;
        for r in with_relevance {
            writeln!(
                out,
                "- {}: {}",
                r.id,
                r.relevance_text.as_deref().unwrap_or("")
            )?;
        }
    }
    Ok(())
}
