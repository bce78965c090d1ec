//! `repool serve`: a local web page for the classroom. One self-contained page (no CDN, no
//! external fonts) with an editable study table; every edit is pooled by the same library
//! calls as `repool pool`, `repool forest` and `repool explain`.
//!
//! Endpoints: `GET /` the page; `POST /api/pool` (JSON request → pooled numbers, forest SVG,
//! explanation, or errors located at a row and column of the table); `POST /api/png` (the
//! forest plot as PNG). Bodies are limited to 256 KiB and 500 studies; nothing reads or
//! writes files. Every refusal is JSON, `{"ok": false, "errors": [...]}` ([`reply`]);
//! timeouts and caps on connections and renderings are in [`listen`] and [`Limits`].

mod listen;
mod reply;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use clap::Args;
use serde::Deserialize;
use tokio::sync::Semaphore;

use repool::check::Lang;
use repool::explain::{explain, render, ExplainOptions, Format};
use repool::io::read::{read_str, ReadError, ReadOptions};
use repool::io::write::serve::{CellError, Numbers, PoolReply, PoolResult};
use repool::plot::layout::{ForestInput, ForestOptions, Pooled};
use repool::pool::{CiMethod, Model, PoolConfig, Tau2Method, TestKind};
use repool::{plot, Measure};

use listen::Limits;
use reply::ApiJson;

/// Largest request body.
const BODY_LIMIT: usize = 256 * 1024;
/// Most studies in one request.
const MAX_STUDIES: usize = 500;
/// Resolution of the PNG download.
const PNG_DPI: f64 = 150.0;
/// Default of `--header-timeout`, in seconds.
const HEADER_TIMEOUT_SECS: &str = "10";
/// Default of `--body-timeout`, in seconds.
const BODY_TIMEOUT_SECS: &str = "15";
/// Default of `--max-connections`.
const MAX_CONNECTIONS: &str = "256";
/// Default of `--max-renders`.
const MAX_RENDERS: &str = "1";
/// Default of `--render-wait`, in seconds.
const RENDER_WAIT_SECS: &str = "10";
/// Threads for pooling requests, besides one per PNG rendering slot. They live as long as
/// the server: with tokio's default (a new blocking thread whenever none is idle, up to 512,
/// ended after 10 s idle) the memory grew by 1 to 2 MiB with each new thread under a steady
/// load, and a burst of requests started a thread for each.
const POOL_THREADS: usize = 2;
/// How long open requests may take to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

const PAGE: &str = include_str!("serve_page.html");
const BCG: &str = include_str!("../../datasets/bcg/data.csv");

/// Options of `repool serve`.
#[derive(Debug, Args)]
#[command(
    after_help = "Opens nothing by itself: point a browser at the printed URL.
The page works offline; it sends the table to this server only.

Examples:
  repool serve
  repool serve --port 8080
  repool serve --host 0.0.0.0 --port 8080    # reachable from other machines in the room"
)]
pub struct ServeArgs {
    /// Address to bind (127.0.0.1: this machine only).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Port (0: any free port; the URL is printed).
    #[arg(long, default_value = "8080")]
    port: u16,
    /// Seconds a client has to send a request's headers, from the opening of the connection
    /// or the end of the previous answer; an idle connection is closed after as long.
    #[arg(long, value_name = "SECONDS", default_value = HEADER_TIMEOUT_SECS,
        value_parser = seconds, help_heading = "Limits")]
    header_timeout: Duration,
    /// Seconds a client has to send a request's body (408 after that).
    #[arg(long, value_name = "SECONDS", default_value = BODY_TIMEOUT_SECS,
        value_parser = seconds, help_heading = "Limits")]
    body_timeout: Duration,
    /// Most connections open at once; one more is answered 503 and closed at once.
    #[arg(long, value_name = "N", default_value = MAX_CONNECTIONS,
        value_parser = clap::value_parser!(u32).range(1..=65_536), help_heading = "Limits")]
    max_connections: u32,
    /// Most PNGs drawn at once.
    #[arg(long, value_name = "N", default_value = MAX_RENDERS,
        value_parser = clap::value_parser!(u32).range(1..=64), help_heading = "Limits")]
    max_renders: u32,
    /// Seconds a PNG request waits for its turn to be drawn (503 after that).
    #[arg(long, value_name = "SECONDS", default_value = RENDER_WAIT_SECS,
        value_parser = seconds, help_heading = "Limits")]
    render_wait: Duration,
}

/// A duration in seconds, more than 0 and at most an hour.
fn seconds(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 3600.0 => Ok(Duration::from_secs_f64(x)),
        _ => Err(format!("'{s}': give seconds, more than 0 and at most 3600")),
    }
}

impl ServeArgs {
    fn limits(&self) -> Limits {
        Limits {
            header_timeout: self.header_timeout,
            body_timeout: self.body_timeout,
            max_connections: self.max_connections as usize,
            max_renders: self.max_renders as usize,
            render_wait: self.render_wait,
        }
    }
}

/// Runs `repool serve` until interrupted.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let limits = args.limits();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(limits.max_renders + POOL_THREADS)
        .thread_keep_alive(Duration::from_secs(u32::MAX as u64))
        .enable_all()
        .build()?;
    rt.block_on(async {
        let addr = SocketAddr::new(args.host, args.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        // A closed stdout does not stop the server.
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(
            out,
            "repool: serving the classroom page on http://{local}/ (Ctrl-C to stop)"
        );
        let _ = out.flush();
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        listen::serve(listener, app(&limits), &limits, stop, SHUTDOWN_GRACE).await;
        Ok::<_, anyhow::Error>(())
    })?;
    rt.shutdown_timeout(SHUTDOWN_GRACE);
    Ok(ExitCode::SUCCESS)
}

/// What the handlers share: the body timeout and the PNG rendering slots.
struct AppState {
    body_timeout: Duration,
    renders: Arc<Semaphore>,
    render_wait: Duration,
}

fn app(limits: &Limits) -> Router {
    let state = Arc::new(AppState {
        body_timeout: limits.body_timeout,
        renders: Arc::new(Semaphore::new(limits.max_renders)),
        render_wait: limits.render_wait,
    });
    Router::new()
        .route("/", get(page))
        .route("/api/pool", post(api_pool))
        .route("/api/png", post(api_png))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

async fn page() -> Html<String> {
    let data = serde_json::to_string(BCG).unwrap_or_else(|_| "\"\"".into());
    // Inside a <script> element "</" would end it: escape it.
    Html(
        PAGE.replace("__INITIAL_CSV__", &data.replace("</", "<\\/"))
            .replace("__LABELS__", &page_labels().replace("</", "<\\/")),
    )
}

/// The page's labels in every language, `{"en": {"title": …}, "nl": …, "fr": …}`: the
/// catalogue's `[serve]` table, which the page applies for the language chosen.
fn page_labels() -> String {
    let mut all = serde_json::Map::new();
    for lang in repool::i18n::LANGS {
        let words: serde_json::Map<String, serde_json::Value> = repool::i18n::entries(lang)
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("serve.")?.to_string(), (*v).into())))
            .collect();
        let code = match lang {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
        };
        all.insert(code.into(), words.into());
    }
    serde_json::Value::Object(all).to_string()
}

/// A pooling request from the page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PoolRequest {
    /// The table as delimited text with a header line (tab, comma or semicolon).
    csv: String,
    measure: String,
    #[serde(default = "default_model")]
    model: String,
    #[serde(default = "default_tau2")]
    tau2: String,
    #[serde(default = "default_ci")]
    ci: String,
    /// Confidence level in percent.
    #[serde(default = "default_level")]
    level: f64,
    #[serde(default)]
    threshold: Option<f64>,
    #[serde(default = "default_lang")]
    lang: String,
    /// 0-based data rows left out of the pool.
    #[serde(default)]
    excluded: Vec<usize>,
}

fn default_model() -> String {
    "random".into()
}
fn default_tau2() -> String {
    "REML".into()
}
fn default_ci() -> String {
    "z".into()
}
fn default_level() -> f64 {
    95.0
}
fn default_lang() -> String {
    "en".into()
}

fn err(message: impl Into<String>) -> CellError {
    CellError::new(message)
}

/// The table's error, located at its data row and column.
fn read_error(e: &ReadError, lang: Lang) -> CellError {
    let pos = match e {
        ReadError::Csv { pos, .. }
        | ReadError::Invalid { pos, .. }
        | ReadError::DecimalComma { pos, .. }
        | ReadError::RowLength { pos, .. }
        | ReadError::NotContiguous { pos, .. }
        | ReadError::QuoteAcrossLines { pos, .. }
        | ReadError::Combine { pos, .. } => Some(pos),
        _ => None,
    };
    let text = super::hints::read_error(e);
    match pos {
        Some(p) => {
            // "table:3:2 (column 'yi'): not a number ..." → "row 2, yi: not a number ...".
            let rest = text
                .strip_prefix(&p.to_string())
                .map(|r| r.trim_start_matches(':').trim())
                .unwrap_or(&text);
            let row = p.line.saturating_sub(1).to_string();
            let at = match &p.column {
                Some((_, name)) => {
                    repool::i18n::fill(lang, "serve.row_column", &[("row", &row), ("column", name)])
                }
                None => repool::i18n::fill(lang, "serve.row", &[("row", &row)]),
            };
            CellError {
                row: p.line.checked_sub(2),
                column: p.column.as_ref().map(|(_, name)| name.clone()),
                message: format!("{at}: {rest}"),
            }
        }
        None => err(text.trim_start_matches("table:").trim().to_string()),
    }
}

/// The page's language codes.
fn lang_code(code: &str) -> Option<Lang> {
    match code {
        "en" => Some(Lang::En),
        "nl" => Some(Lang::Nl),
        "fr" => Some(Lang::Fr),
        _ => None,
    }
}

struct Parsed {
    config: PoolConfig,
    lang: Lang,
    threshold: Option<f64>,
}

fn parse_options(r: &PoolRequest) -> Result<Parsed, CellError> {
    use repool::format::localise_number;
    use repool::i18n::fill;
    // The messages' language: the one asked for, English while it is unknown.
    let say = lang_code(&r.lang).unwrap_or(Lang::En);
    let measure = Measure::from_code(&r.measure).ok_or_else(|| {
        err(fill(
            say,
            "serve.unknown_measure",
            &[("measure", &r.measure)],
        ))
    })?;
    let model = match r.model.to_ascii_lowercase().as_str() {
        "random" | "re" => Model::Random,
        "fixed" | "common" | "fe" | "ee" => Model::Fixed,
        m => return Err(err(fill(say, "serve.unknown_model", &[("model", m)]))),
    };
    let tau2 = Tau2Method::from_code(&r.tau2)
        .ok_or_else(|| err(fill(say, "serve.unknown_tau2", &[("tau2", &r.tau2)])))?;
    let ci: CiMethod = r.ci.parse().map_err(|_| {
        let ci = r.ci.to_ascii_lowercase();
        err(fill(say, "serve.unknown_ci", &[("ci", &ci)]))
    })?;
    // The page gives the level in percent.
    if !(r.level >= 50.0 && r.level < 100.0) {
        let level = localise_number(say, &r.level.to_string());
        return Err(err(fill(say, "serve.bad_level", &[("level", &level)])));
    }
    let level = r.level / 100.0;
    let lang = lang_code(&r.lang).ok_or_else(|| {
        err(fill(
            Lang::En,
            "serve.unknown_language",
            &[("lang", &r.lang)],
        ))
    })?;
    if let Some(t) = r.threshold {
        let args = [
            ("t", localise_number(lang, &t.to_string())),
            ("measure", measure.to_string()),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if !t.is_finite() || (measure.is_ratio() && t <= 0.0) {
            return Err(err(fill(lang, "serve.ratio_threshold", &args)));
        }
        if (measure.is_ratio() && t == 1.0) || (!measure.is_ratio() && t == 0.0) {
            return Err(err(fill(lang, "serve.null_threshold", &args)));
        }
    }
    Ok(Parsed {
        config: PoolConfig::metafor(measure)
            .model(model)
            .tau2(tau2)
            .ci(ci)
            .level(level),
        lang,
        threshold: r.threshold,
    })
}

/// Pools a request: pure (no I/O), the same library calls as the command line.
fn compute(r: &PoolRequest) -> Result<(PoolResult, (f64, f64)), Vec<CellError>> {
    let p = parse_options(r).map_err(|e| vec![e])?;
    let measure = p.config.measure;
    let opts = ReadOptions {
        measure: Some(measure),
        ..ReadOptions::default()
    };
    let (all, studies) = read_studies(r, &opts, p.lang)?;
    let ex = explain(
        &studies,
        &p.config,
        &ExplainOptions {
            lang: p.lang,
            threshold: p.threshold,
            digits: 4,
        },
    )
    .map_err(pool_error)?;
    let res = &ex.result;
    let with_all = if studies.len() < all.len() {
        repool::pool(&all, &p.config).ok().map(|a| Numbers {
            estimate: measure.display(a.estimate),
            ci_low: measure.display(a.ci_low),
            ci_high: measure.display(a.ci_high),
        })
    } else {
        None
    };
    let config = p.config;
    let layout = forest(&studies, &config, res, p.threshold, p.lang);
    let svg = plot::svg::to_svg(&layout);
    let d = |x: f64| measure.display(x);
    let test = match res.test {
        TestKind::Z => "z".to_string(),
        TestKind::T { df } => format!("t({df})"),
    };
    let num = |x: f64| repool::format::localise_number(p.lang, &format!("{x:.3}"));
    let args = [
        ("code", measure.code().to_string()),
        ("estimate", num(d(res.estimate))),
        ("level", format!("{:.0}", config.level * 100.0)),
        ("low", num(d(res.ci_low))),
        ("high", num(d(res.ci_high))),
        ("k", res.k.to_string()),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let summary = repool::i18n::fill(p.lang, "serve.summary", &args);
    let result = PoolResult {
        measure: measure.code().into(),
        k: res.k,
        estimate: d(res.estimate),
        ci_low: d(res.ci_low),
        ci_high: d(res.ci_high),
        p_value: res.p_value,
        tau2: res.tau2,
        i2: res.heterogeneity.i2_percent,
        q: res.heterogeneity.q,
        pi_low: res.pi.map(|x| d(x.0)),
        pi_high: res.pi.map(|x| d(x.1)),
        test,
        summary,
        with_all,
        svg,
        explain: render(&ex, Format::Text),
        notes: res.notes.iter().map(|n| n.message(p.lang)).collect(),
        sof: summary_of_findings(&studies, res, p.threshold, p.lang),
    };
    Ok((result, (layout.width, layout.height)))
}

/// The summary of findings of the pool, with the trials' control risks; the side of the
/// threshold says which direction is benefit, as on the forest plot. `None` when the data
/// cannot give one (no 2×2 tables for a binary measure, a control risk of 0).
fn summary_of_findings(
    studies: &[repool::Study],
    res: &repool::PooledEstimate,
    threshold: Option<f64>,
    lang: Lang,
) -> Option<repool::io::write::serve::ServeSof> {
    use repool::io::write::{ReviewerInput, SofOutcomeRow};
    let measure = res.config.measure;
    let mut opts = repool::sof::SofOptions::default();
    opts.threshold = threshold;
    opts.desirable = threshold.is_some_and(|t| if measure.is_ratio() { t > 1.0 } else { t > 0.0 });
    let o = repool::sof::summarise(studies, res, None, &opts).ok()?;
    let reviewer = ReviewerInput::default();
    let name = repool::i18n::text(lang, "sof.head.outcome");
    let entry = repool::report::sof::Entry {
        name,
        outcome: &o,
        reviewer: &reviewer,
    };
    Some(repool::io::write::serve::ServeSof {
        outcome: SofOutcomeRow::new(name, &o, &reviewer, lang),
        text: repool::report::sof::to_text(&[entry], lang),
    })
}

/// A pooling error, at the row of the study at fault when there is one.
fn pool_error(e: repool::PoolError) -> Vec<CellError> {
    let msg = super::hints::pool_error(&e);
    if let repool::PoolError::Effect { line: Some(l), .. }
    | repool::PoolError::RatioOverflow { line: Some(l), .. } = e
    {
        vec![CellError {
            row: l.checked_sub(2),
            column: None,
            message: msg,
        }]
    } else {
        vec![err(msg)]
    }
}

/// The table's studies: all of them, and those not switched off.
#[allow(clippy::type_complexity)]
fn read_studies(
    r: &PoolRequest,
    opts: &ReadOptions,
    lang: Lang,
) -> Result<(Vec<repool::Study>, Vec<repool::Study>), Vec<CellError>> {
    let analyses = read_str(&r.csv, "table", opts).map_err(|e| vec![read_error(&e, lang)])?;
    if analyses.len() != 1 {
        return Err(vec![err(repool::i18n::text(lang, "serve.one_analysis"))]);
    }
    let all = analyses
        .into_iter()
        .next()
        .map(|a| a.studies)
        .unwrap_or_else(|| Ok(Vec::new()))
        .map_err(|e| vec![read_error(&e, lang)])?;
    if all.len() > MAX_STUDIES {
        let (n, max) = (all.len().to_string(), MAX_STUDIES.to_string());
        let args = [("n", n.as_str()), ("max", max.as_str())];
        return Err(vec![err(repool::i18n::fill(lang, "serve.too_many", &args))]);
    }
    let studies: Vec<repool::Study> = all
        .iter()
        .filter(|s| {
            !s.line
                .is_some_and(|l| r.excluded.contains(&((l as usize).saturating_sub(2))))
        })
        .cloned()
        .collect();
    if studies.is_empty() {
        return Err(vec![err(repool::i18n::text(lang, "serve.all_off"))]);
    }
    Ok((all, studies))
}

/// The forest plot of `res`, as `repool forest` draws it.
fn forest(
    studies: &[repool::Study],
    config: &PoolConfig,
    res: &repool::PooledEstimate,
    threshold: Option<f64>,
    lang: Lang,
) -> plot::layout::ForestLayout {
    let measure = config.measure;
    let pool_group = |s: &[repool::Study]| {
        repool::pool(s, config)
            .map(Pooled::single)
            .map_err(|e| super::hints::pool_error(&e))
    };
    let subgroups = repool::pool::subgroups::pool_each_if_any(studies, pool_group, Pooled::primary);
    let input = ForestInput::new(studies, measure, Pooled::single(res.clone()), subgroups);
    let benefit_higher =
        threshold.is_some_and(|t| if measure.is_ratio() { t > 1.0 } else { t > 0.0 });
    let fopts = ForestOptions {
        lang,
        title: None,
        threshold,
        threshold_both: false,
        shade_threshold: false,
        xlim: None,
        favours_left: None,
        favours_right: None,
        benefit_higher,
    };
    plot::forest_layout(&input, &fopts)
}

async fn api_pool(ApiJson(req): ApiJson<PoolRequest>) -> Json<PoolReply> {
    let out = tokio::task::spawn_blocking(move || compute(&req)).await;
    Json(match out {
        Ok(Ok((result, _))) => PoolReply::result(result),
        Ok(Err(errors)) => PoolReply::errors(errors),
        Err(_) => PoolReply::errors(vec![err("internal error while pooling")]),
    })
}

/// The forest plot as PNG: one of `--max-renders` slots, waited for at most `--render-wait`
/// (503 after that), held until the drawing ends even if the client has gone.
async fn api_png(State(st): State<Arc<AppState>>, ApiJson(req): ApiJson<PoolRequest>) -> Response {
    let lang = lang_code(&req.lang).unwrap_or(Lang::En);
    let slot = tokio::time::timeout(st.render_wait, Arc::clone(&st.renders).acquire_owned()).await;
    let Ok(Ok(slot)) = slot else {
        return reply::busy(lang);
    };
    let out = tokio::task::spawn_blocking(move || {
        let png = png(&req, lang);
        drop(slot);
        png
    })
    .await;
    match out {
        Ok(Ok(png)) => ([(header::CONTENT_TYPE, "image/png")], png).into_response(),
        Ok(Err(errors)) => reply::errors(StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(_) => reply::errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            vec![err("internal error while drawing the PNG")],
        ),
    }
}

/// Pools the request and draws its forest plot, refused before anything is drawn when the
/// PNG would have more than [`plot::render::MAX_PNG_PIXELS`].
fn png(req: &PoolRequest, lang: Lang) -> Result<Vec<u8>, Vec<CellError>> {
    let (body, (width, height)) = compute(req)?;
    plot::render::check_pixel_budget(width, height, PNG_DPI)
        .map_err(|e| vec![reply::render_error(lang, &e)])?;
    plot::render::to_png(&body.svg, PNG_DPI).map_err(|e| vec![reply::render_error(lang, &e)])
}
