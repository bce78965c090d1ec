//! `repool report`: recompute every dataset of a folder and write HTML and Markdown reports.

use std::io::{BufReader, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use repool::check::Lang;
use repool::format::localise_number;
use repool::i18n::{count, fill, text};
use repool::io::claims::read_claims;
use repool::io::dataset::{data_path, read_dataset, source_text_path};
use repool::io::read::{AnalysisReader, ReadOptions};
use repool::io::write::CheckRow;
use repool::report::build::build_pool_report;
use repool::report::dataset::{Dataset, DatasetKind};
use repool::report::html::{self, IndexRow};
use repool::report::markdown;

use super::output::Sink;
use super::parallel;
use super::{spelled, EXIT_ERROR};

/// The files of one dataset's folder of OUT, each with its content, in the order they are
/// written.
type Pages = Vec<(&'static str, String)>;

/// Options of `repool report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Each subfolder of DIR with a dataset.toml is one dataset: data.csv (trial-level data,
kind = \"pool\") or a claims CSV (kind = \"claims\"). See datasets/README.md for the schema.

--lang nl or --lang fr writes every page, table and plot in Dutch or French (a dataset's
title, outcome and teaching text from its [nl] / [fr] table when it has one). Without --out,
those reports go to reports-nl/ or reports-fr/, so that the English reports/ stay as they are.

Examples:
  repool report                       (datasets/ -> reports/)
  repool report --lang nl             (datasets/ -> reports-nl/, in Dutch)
  repool report my-datasets --out my-reports"
)]
pub struct ReportArgs {
    /// Folder of datasets.
    #[arg(default_value = "datasets")]
    dir: PathBuf,
    /// Folder to write the reports to (made if missing) [default: reports, or reports-nl /
    /// reports-fr with --lang nl / fr].
    #[arg(short = 'o', long)]
    out: Option<PathBuf>,
    /// Language of the reports: en, nl or fr.
    #[arg(long, value_parser = spelled::<Lang>(), default_value = "en", ignore_case = true)]
    lang: Lang,
    /// Number of datasets built at the same time [default: the number of cores].
    #[arg(short = 'j', long)]
    jobs: Option<NonZeroUsize>,
}

impl ReportArgs {
    /// The output folder: --out, else `reports` (English), `reports-nl` or `reports-fr`.
    fn out(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| {
            PathBuf::from(match self.lang {
                Lang::En => "reports",
                Lang::Nl => "reports-nl",
                Lang::Fr => "reports-fr",
            })
        })
    }
}

fn write_file(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        super::output::create_dir_all(dir)?;
    }
    let mut sink = Sink::new(Some(path))?;
    sink.write_all(content)?;
    sink.commit()
}

/// Runs `repool report`.
pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let out = args.out();
    let lang = args.lang;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.cannot_read_dataset_folder",
                &[("folder", &args.dir.display().to_string())],
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("dataset.toml").is_file())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        anyhow::bail!(
            "{}",
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.no_dataset_folders",
                &[("folder", &args.dir.display().to_string())]
            )
        );
    }
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(dirs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let names: Vec<String> = dirs
        .iter()
        .map(|d| {
            d.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    // The pages of each dataset are built in memory on several threads; the calling thread
    // writes them, and reports errors, in the order of the folders (each dataset as soon as it
    // and those before it are built), as one thread would.
    let jobs: Vec<(&PathBuf, &String)> = dirs.iter().zip(&names).collect();
    let mut index = Vec::new();
    let mut failed = 0;
    let build = |(dir, name): &(&PathBuf, &String)| {
        bar.set_message((*name).clone());
        build_one(dir, lang)
    };
    parallel::for_each_in_order(&jobs, parallel::threads(args.jobs), build, |k, result| {
        let name = names[k].clone();
        let dir_out = out.join(&name);
        match result.and_then(|(row, pages)| write_pages(&dir_out, &pages).map(|()| row)) {
            Ok(row) => index.push(row),
            Err(e) => {
                failed += 1;
                stderr_line!("{}", super::hints::item_error_line(&name, &e));
                remove_stale_pages(&dir_out);
                index.push(error_row(name, &e));
            }
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
    write_file(
        &out.join("index.html"),
        html::index_page(lang, &index).as_bytes(),
    )?;
    stderr_line!(
        "repool: wrote {} dataset reports to {}",
        dirs.len() - failed,
        out.display()
    );
    Ok(if failed > 0 {
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}

/// The row of the index page of a dataset that failed: its name and the error.
fn error_row(name: String, e: &anyhow::Error) -> IndexRow {
    IndexRow {
        name: name.clone(),
        title: name,
        what: String::new(),
        recomputed: String::new(),
        published: String::new(),
        error: Some(super::hints::error_text(e)),
        scan: None,
    }
}

/// The files `repool report` writes into a dataset's folder of OUT (`report_pool`,
/// `report_claims` and `report_network`).
const PAGES: [&str; 5] = [
    "index.html",
    "README.md",
    "forest.svg",
    "network.svg",
    "scan.html",
];

/// Removes what an earlier run wrote for a dataset that now fails, so that OUT shows no stale
/// results: the regular files named in [`PAGES`] (not symbolic links, not other files), and
/// the folder when nothing else is left in it.
fn remove_stale_pages(out: &Path) {
    for page in PAGES {
        let path = out.join(page);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            if let Err(e) = std::fs::remove_file(&path) {
                stderr_line!("repool: cannot remove the stale {}: {e}", path.display());
            }
        }
    }
    let _ = std::fs::remove_dir(out);
}

/// Writes a dataset's pages into its folder of OUT, in order; the first error stops.
fn write_pages(out: &Path, pages: &Pages) -> anyhow::Result<()> {
    for (file, content) in pages {
        write_file(&out.join(file), content.as_bytes())?;
    }
    Ok(())
}

/// Reads and recomputes one dataset: its row of the index page and its pages (nothing is
/// written).
fn build_one(dir: &Path, lang: Lang) -> anyhow::Result<(IndexRow, Pages)> {
    let d = read_dataset(dir)?;
    let data = data_path(dir, &d)?;
    let source = source_text_path(dir, &d)?;
    let threshold = d.threshold;
    let mut pages = Pages::new();
    let mut row = match &d.kind {
        DatasetKind::Pool => report_pool(&data, &mut pages, d, lang),
        DatasetKind::Claims { .. } => report_claims(&data, &mut pages, d.clone(), lang),
        DatasetKind::Network { .. } => report_network(&data, &mut pages, d.clone(), lang),
    }?;
    if let Some(path) = source {
        row.scan = Some(report_scan(&path, &mut pages, threshold, lang)?);
    }
    Ok((row, pages))
}

/// Scans the dataset's source text into `OUT/NAME/scan.html` (as `repool scan --format
/// html`) and says what it found.
fn report_scan(
    path: &Path,
    pages: &mut Pages,
    threshold: Option<f64>,
    report_lang: Lang,
) -> anyhow::Result<String> {
    let (row, lang, text) = super::scan::scan_one(&path.display().to_string(), None, threshold);
    if let Some(e) = &row.error {
        anyhow::bail!("source_text: {e}");
    }
    let page = repool::report::scan_html::render(&[(&row, lang, text.as_str())], lang);
    pages.push(("scan.html", page));
    let errors = row
        .findings
        .iter()
        .filter(|f| f.flags.iter().any(|g| g.severity == "error"))
        .count();
    Ok(fill(
        report_lang,
        "report.index.scan",
        &[
            ("n", &row.findings.len().to_string()),
            ("errors", &errors.to_string()),
        ],
    ))
}

fn report_pool(path: &Path, pages: &mut Pages, d: Dataset, lang: Lang) -> anyhow::Result<IndexRow> {
    let file = path.display().to_string();
    let f = std::fs::File::open(path).with_context(|| {
        repool::i18n::fill(
            super::hints::lang(),
            "errors.cli.cannot_open",
            &[("file", &file.to_string())],
        )
    })?;
    let opts = ReadOptions {
        measure: d.measure,
        ..ReadOptions::default()
    };
    let mut reader = AnalysisReader::new(BufReader::new(f), &file, &opts)?;
    let first = reader.next_analysis().context("no analysis")??;
    if reader.next_analysis().is_some() {
        anyhow::bail!(
            "{file}: a dataset folder holds one analysis; split the 'analysis' values into folders"
        );
    }
    let studies = first.studies?;
    let r = build_pool_report(&d, studies, lang)
        .map_err(|e| anyhow::anyhow!("{file}: {}", super::hints::pool_error(&e)))?;
    pages.push(("index.html", html::pool_page(&r)));
    pages.push(("README.md", markdown::pool_page(&r)));
    pages.push(("forest.svg", r.forest_svg));
    let published: Vec<String> = r
        .comparisons
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {}",
                html::esc(&c.published.label),
                localise_number(lang, &c.published.estimate.printed()),
                repool::format::interval(
                    lang,
                    &localise_number(lang, &c.published.ci_low.printed()),
                    &localise_number(lang, &c.published.ci_high.printed())
                ),
                verdict(lang, c.reproduced)
            )
        })
        .collect();
    Ok(IndexRow {
        name: d.name.clone(),
        title: d.title_in(lang).to_string(),
        what: format!("{}, k = {}", r.main.config.measure.code(), r.main.k),
        recomputed: format!(
            "{} ({})",
            html::result_line_in(lang, &r.main, 2),
            html::settings_in(lang, &r.main)
        ),
        published: if published.is_empty() {
            "–".into()
        } else {
            published.join("<br>")
        },
        error: None,
        scan: None,
    })
}

/// "reproduced" or "not reproduced", marked for the index page.
fn verdict(lang: Lang, reproduced: bool) -> String {
    if reproduced {
        format!(
            "<span class=\"ok\">{}</span>",
            text(lang, "report.md.reproduced")
        )
    } else {
        format!(
            "<span class=\"bad\">{}</span>",
            text(lang, "report.md.not_reproduced")
        )
    }
}

fn report_network(
    path: &Path,
    pages: &mut Pages,
    d: Dataset,
    lang: Lang,
) -> anyhow::Result<IndexRow> {
    use repool::io::network::read_network;
    use repool::report::network::{build_network_report, network_markdown, network_page};
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| {
        repool::i18n::fill(
            super::hints::lang(),
            "errors.cli.cannot_open",
            &[("file", &file.to_string())],
        )
    })?;
    let measure = d.measure.context("a network dataset needs a measure")?;
    let net = read_network(&text, &file)?
        .to_network(measure, &Default::default())
        .with_context(|| file.clone())?;
    let report = build_network_report(&d, net, measure, lang).with_context(|| file.clone())?;
    pages.push(("index.html", network_page(&report)));
    pages.push(("README.md", network_markdown(&report)));
    pages.push(("network.svg", report.graph_svg));
    pages.push(("forest.svg", report.forest_svg));
    let res = &report.result;
    let published: Vec<String> = report
        .comparisons
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                html::esc(&c.label),
                localise_number(lang, &c.printed),
                verdict(lang, c.reproduced)
            )
        })
        .collect();
    Ok(IndexRow {
        name: d.name.clone(),
        title: d.title_in(lang).to_string(),
        what: fill(
            lang,
            "report.index.network",
            &[
                (
                    "treatments",
                    &count(
                        lang,
                        "count.treatments",
                        res.network.treatments.len() as u64,
                    ),
                ),
                (
                    "studies",
                    &count(lang, "count.studies", res.network.studies.len() as u64),
                ),
            ],
        ),
        recomputed: fill(
            lang,
            "report.index.network_fit",
            &[
                (
                    "tau2",
                    &localise_number(lang, &format!("{:.4}", res.random.tau2)),
                ),
                (
                    "q_total",
                    &localise_number(lang, &format!("{:.2}", res.q_total.q)),
                ),
                ("df_total", &res.q_total.df.to_string()),
                (
                    "q_between",
                    &localise_number(lang, &format!("{:.2}", res.q_between.q)),
                ),
                ("df_between", &res.q_between.df.to_string()),
            ],
        ),
        published: if published.is_empty() {
            "–".into()
        } else {
            published.join("<br>")
        },
        error: None,
        scan: None,
    })
}

fn report_claims(
    path: &Path,
    pages: &mut Pages,
    d: Dataset,
    lang: Lang,
) -> anyhow::Result<IndexRow> {
    let file = path.display().to_string();
    let f = std::fs::File::open(path).with_context(|| {
        repool::i18n::fill(
            super::hints::lang(),
            "errors.cli.cannot_open",
            &[("file", &file.to_string())],
        )
    })?;
    let records = read_claims(f, &file)?;
    let mut rows = Vec::new();
    let mut extra = Vec::new();
    for rec in &records {
        let field = |k: &str| {
            rec.fields
                .iter()
                .find(|(h, _)| h == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        extra.push((
            format!("{}:{}", field("seed"), field("line")),
            format!("{} — {}", field("comparison"), field("outcome")),
        ));
        rows.push(super::check::record_row(rec, lang, None));
    }
    pages.push(("index.html", html::claims_page(lang, &d, &rows, &extra)));
    pages.push(("README.md", markdown::claims_page(lang, &d, &rows)));
    let (errors, warnings) = CheckRow::count_by_severity(&rows);
    Ok(IndexRow {
        name: d.name.clone(),
        title: d.title_in(lang).to_string(),
        what: fill(
            lang,
            "report.index.claims",
            &[("n", &rows.len().to_string())],
        ),
        recomputed: fill(
            lang,
            "report.index.claims_checked",
            &[
                ("errors", &errors.to_string()),
                ("warnings", &warnings.to_string()),
            ],
        ),
        published: "–".into(),
        error: None,
        scan: None,
    })
}
