//! `repool scan`: find every effect estimate with its CI in documents and check each one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use repool::check::messages::{localise_number, scan_words, severity_label};
use repool::check::scan::{detect_lang, scan_text, ScanOptions};
use repool::check::{fmt_num, Lang, Severity};
use repool::i18n;
use repool::i18n::count;
use repool::io::extract::{read_document, read_text, Format};
use repool::io::write::{csv_writer, ScanDoc, ScanDocRow, ScanFindingRow, SCAN_SCHEMA};

use super::output::Sink;
use super::FormatArg;

/// `repool scan`'s formats: the rows of every command, and a self-contained HTML page.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ScanFormat {
    Rows(FormatArg),
    Html,
}

impl ValueEnum for ScanFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            ScanFormat::Rows(FormatArg::Text),
            ScanFormat::Rows(FormatArg::Json),
            ScanFormat::Rows(FormatArg::Csv),
            ScanFormat::Html,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        match self {
            ScanFormat::Rows(f) => f.to_possible_value(),
            ScanFormat::Html => Some(PossibleValue::new("html")),
        }
    }
}
use super::spelled;
use super::{EXIT_ERROR, EXIT_FINDINGS};

/// Options of `repool scan`.
#[derive(Debug, Args)]
#[command(
    after_help = "Reads .txt, .md, .html, .pdf (its text layer) and .docx; '-' reads standard
input; a folder scans every such file in it (and its subfolders). Text that is not UTF-8 is read
as Windows-1252 with a note.

Finds RR, OR, HR, IRR, MD (WMD), SMD and RD (ARR), named or written out in English, Dutch or
French, with a 95% CI / 95%-BI / IC à 95 % or a bracketed interval, and the p-value, numbers of
studies (N) and patients (n) and the relevance verdict tied to it; checks each as `repool check`.

Exit code: 0 no error-level finding (with --strict: nothing flagged), 1 a finding with an error
(with --strict: any finding), 2 a file could not be read (the others are still scanned).

Examples:
  repool scan review.pdf
  repool scan reviews/ --format json -o findings.json
  repool scan review.txt --lang nl --threshold -10 --format html -o review.html"
)]
pub struct ScanArgs {
    /// Documents or folders ('-' reads standard input).
    #[arg(required = true)]
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", ignore_case = true)]
    format: ScanFormat,
    /// Language of the output (default: each document's own, guessed from its words).
    #[arg(long, value_parser = spelled::<Lang>(), ignore_case = true)]
    lang: Option<Lang>,
    /// Minimal important difference on the printed scale, signed in the direction of benefit
    /// (applies to differences; to ratios too when positive).
    #[arg(long, allow_negative_numbers = true)]
    threshold: Option<f64>,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit with code 1 for warnings too, not only for errors.
    #[arg(long)]
    strict: bool,
}

/// Runs `repool scan`.
pub fn run(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    if let Some(t) = args.threshold.filter(|t| !t.is_finite() || *t == 0.0) {
        anyhow::bail!("--threshold must be a finite number other than 0, got {t}");
    }
    let inputs = expand(&args.files)?;
    let lang = args.lang;
    let docs = scan_all(&inputs, lang, args.threshold);
    let out_lang = lang.unwrap_or_else(|| docs.first().map_or(Lang::En, |d| d.1));
    let mut sink = Sink::new(args.output.as_deref())?;
    match args.format {
        ScanFormat::Rows(FormatArg::Json) => {
            let rows: Vec<&ScanDocRow> = docs.iter().map(|d| &d.0).collect();
            let doc = ScanDoc {
                schema: SCAN_SCHEMA,
                documents: rows,
            };
            serde_json::to_writer_pretty(&mut sink, &doc)?;
            sink.write_all(b"\n")?;
        }
        ScanFormat::Rows(FormatArg::Csv) => {
            let mut w = csv_writer(&mut sink);
            w.write_record(ScanFindingRow::csv_header())?;
            for (d, _, _) in &docs {
                for f in &d.findings {
                    w.serialize(f.csv_record(&d.file))?;
                }
            }
            w.flush()?;
        }
        ScanFormat::Rows(FormatArg::Text) => {
            for (d, l, _) in &docs {
                write_text(&mut sink, d, *l)?;
            }
        }
        ScanFormat::Html => {
            let pages: Vec<_> = docs.iter().map(|(d, l, t)| (d, *l, t.as_str())).collect();
            sink.write_all(repool::report::scan_html::render(&pages, out_lang).as_bytes())?;
        }
    }
    sink.commit()?;
    Ok(exit_code(&docs, args.strict))
}

fn exit_code(docs: &[(ScanDocRow, Lang, String)], strict: bool) -> ExitCode {
    for (d, _, _) in docs.iter().filter(|d| d.0.error.is_some()) {
        stderr_line!("repool: error: {}", d.error.as_deref().unwrap_or(""));
    }
    if docs.iter().any(|d| d.0.error.is_some()) {
        return ExitCode::from(EXIT_ERROR);
    }
    let fails = if strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    let flagged = docs
        .iter()
        .flat_map(|d| &d.0.findings)
        .any(|f| f.severity().is_some_and(|s| s >= fails));
    if flagged {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The files to scan: each argument, or the supported files under a folder (sorted).
fn expand(args: &[String]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for a in args {
        let p = Path::new(a);
        if a != "-" && p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).with_context(|| {
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.cannot_read_folder",
                    &[("folder", &a.to_string())],
                )
            })?;
            found.sort();
            out.extend(found.into_iter().map(|f| f.display().to_string()));
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if Format::of(&p).is_some() {
            out.push(p);
        }
    }
    Ok(())
}

/// Scans every input, in parallel over the available cores, results in input order: the
/// row, the language of its explanations and the document's text.
fn scan_all(
    inputs: &[String],
    lang: Option<Lang>,
    threshold: Option<f64>,
) -> Vec<(ScanDocRow, Lang, String)> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<(ScanDocRow, Lang, String)>>> =
        inputs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(file) = inputs.get(k) else { break };
                let doc = scan_one(file, lang, threshold);
                *slots[k].lock().unwrap_or_else(|e| e.into_inner()) = Some(doc);
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

pub(super) fn scan_one(
    file: &str,
    lang: Option<Lang>,
    threshold: Option<f64>,
) -> (ScanDocRow, Lang, String) {
    let read = if file == "-" {
        read_text(std::io::stdin().lock(), "-")
    } else {
        read_document(Path::new(file))
    };
    let mut row = ScanDocRow {
        file: file.to_string(),
        ..ScanDocRow::default()
    };
    let doc = match read {
        Ok(d) => d,
        Err(e) => {
            let l = lang.unwrap_or(Lang::En);
            row.lang = code(l).into();
            row.error = Some(e.to_string());
            return (row, l, String::new());
        }
    };
    let l = lang.unwrap_or_else(|| detect_lang(&doc.text));
    row.lang = code(l).into();
    row.note = doc.note;
    let opts = ScanOptions { lang: l, threshold };
    row.findings = scan_text(&doc.text, &opts)
        .iter()
        .map(ScanFindingRow::new)
        .collect();
    (row, l, doc.text)
}

fn code(l: Lang) -> &'static str {
    match l {
        Lang::En => "en",
        Lang::Nl => "nl",
        Lang::Fr => "fr",
    }
}

/// A number as the text printed it, with the language's decimal mark.
fn n(lang: Lang, x: f64) -> String {
    localise_number(lang, &format!("{x}"))
}

/// One line per finding, then its flags' explanations.
fn write_text(out: &mut impl Write, d: &ScanDocRow, lang: Lang) -> std::io::Result<()> {
    let w = scan_words(lang);
    if let Some(e) = &d.error {
        return writeln!(out, "{}: {} ({e})\n", d.file, w.unreadable);
    }
    let found = count(lang, "count.estimates_found", d.findings.len() as u64);
    writeln!(out, "{}: {found}", d.file)?;
    if let Some(note) = &d.note {
        writeln!(out, "  {}: {note}", w.note)?;
    }
    if d.findings.is_empty() {
        writeln!(out, "  {}", w.none)?;
    }
    for f in &d.findings {
        let status = f
            .severity()
            .map(|s| severity_label(lang, s))
            .unwrap_or(i18n::text(lang, "scan.ok"));
        let p = match (&f.p_relation, f.p) {
            (Some(r), Some(p)) => format!("  p {r} {}", n(lang, p)),
            _ => String::new(),
        };
        let counts = match (f.n_studies, f.n_patients) {
            (None, None) => String::new(),
            (s, p) => format!(
                "  {}{}",
                s.map(|s| format!("{} ", count(lang, "count.studies", s)))
                    .unwrap_or_default(),
                p.map(|p| format!("{p} {}", w.patients)).unwrap_or_default()
            ),
        };
        let checks = match (&f.error, f.implied_se) {
            (Some(_), _) => w.unchecked.to_string(),
            (None, Some(se)) => format!("{} {}", i18n::text(lang, "scan.se"), fmt_num(lang, se, 4)),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {}:{}  {:<8} {} {} {}{p}{counts}  {checks}",
            f.line,
            f.column,
            status,
            f.measure.as_deref().unwrap_or("?"),
            localise_number(lang, &f.printed[0]),
            repool::format::interval(
                lang,
                &localise_number(lang, &f.printed[1]),
                &localise_number(lang, &f.printed[2])
            ),
        )?;
        for fl in &f.flags {
            let sev = Severity::parse(&fl.severity)
                .map(|s| severity_label(lang, s))
                .unwrap_or("");
            writeln!(out, "      [{}] {sev}: {}", fl.code, fl.message)?;
        }
        if let Some(e) = &f.error {
            writeln!(out, "      {}: {e}", w.unchecked)?;
        }
        if let Some(r) = &f.relevance_text {
            writeln!(out, "      {r}")?;
        }
    }
    writeln!(out)
}
