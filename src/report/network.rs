//! The report page of a network dataset: the network graph, every treatment against the
//! reference, heterogeneity and inconsistency with the published statistics next to the
//! recomputed ones, node-splitting, the league table. Pure: [`build_network_report`] analyses
//! the network and draws the figures; the pages are HTML and Markdown text.

use std::fmt::Write;

use super::dataset::{Dataset, DatasetKind};
use super::html::{esc, header, page, sources};
use crate::format::Lang;
use crate::network::notes::notes_heading;
use crate::network::{
    analyse, AgainstReference, Comparison, LeagueTable, Network, NetworkError, NetworkModel,
    NetworkOptions, NetworkResult, QTest,
};
use crate::plot::layout::Figure;
use crate::plot::netgraph::{graph_layout, GraphInput};
use crate::plot::rows::{rows_layout, EstimateRow, RowsInput};
use crate::Measure;

/// The confidence level of the report's intervals.
const LEVEL: f64 = 0.95;

/// Why a network dataset cannot be reported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkReportError {
    /// The dataset's reference treatment is not one of the network's.
    #[error("reference treatment '{reference}' is not in the data")]
    UnknownReference {
        /// The name in `dataset.toml`.
        reference: String,
    },
    /// The dataset is not a network dataset.
    #[error("dataset '{name}' is not a network dataset")]
    NotNetwork {
        /// The dataset.
        name: String,
    },
    /// The analysis failed.
    #[error(transparent)]
    Network(#[from] NetworkError),
}

/// A published statistic next to its recomputed value.
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticComparison {
    /// Label.
    pub label: String,
    /// As printed.
    pub printed: String,
    /// Printed df, if any.
    pub df: Option<usize>,
    /// Recomputed value and df.
    pub recomputed: (f64, Option<usize>),
    /// Within the rounding of the printed value (and the same df).
    pub reproduced: bool,
    /// Where printed, how verified, what explains a difference.
    pub note: String,
}

/// Everything the network pages show.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkReport {
    /// The dataset.
    pub dataset: Dataset,
    /// The analysis.
    pub result: NetworkResult,
    /// The measure.
    pub measure: Measure,
    /// Reference treatment (index).
    pub reference: usize,
    /// Published statistics compared.
    pub comparisons: Vec<StatisticComparison>,
    /// Every treatment against the reference, at the 95% level.
    pub against_reference: Vec<AgainstReference>,
    /// The league table of the random-effects model, at the 95% level.
    pub league: LeagueTable,
    /// The network graph, SVG.
    pub graph_svg: String,
    /// Every treatment against the reference, SVG.
    pub forest_svg: String,
}

/// Analyses the network of dataset `d` (effect `measure`; its reference treatment and
/// direction from `d`, 95% level, random effects for the figures and tables) and draws its
/// figures.
pub fn build_network_report(
    d: &Dataset,
    net: Network,
    measure: Measure,
) -> Result<NetworkReport, NetworkReportError> {
    let DatasetKind::Network {
        reference,
        small_values_good,
    } = &d.kind
    else {
        return Err(NetworkReportError::NotNetwork {
            name: d.name.clone(),
        });
    };
    let reference = match reference {
        Some(r) => net
            .treatment_index(r)
            .ok_or_else(|| NetworkReportError::UnknownReference {
                reference: r.clone(),
            })?,
        None => 0,
    };
    let result = analyse(
        net,
        &NetworkOptions {
            level: LEVEL,
            small_values_good: *small_values_good,
            ..NetworkOptions::default()
        },
    )?;
    let (graph, forest) = network_figures(
        &result,
        measure,
        reference,
        LEVEL,
        NetworkModel::Random,
        Lang::En,
    );
    Ok(NetworkReport {
        dataset: d.clone(),
        comparisons: compare_statistics(d, &result),
        against_reference: result.against_reference(reference, LEVEL),
        league: result.league(NetworkModel::Random, LEVEL),
        result,
        measure,
        reference,
        graph_svg: graph.to_svg(),
        forest_svg: forest.to_svg(),
    })
}

/// The network graph and the forest plot of every treatment against `reference` under
/// `model`, at confidence `level`.
pub fn network_figures(
    res: &NetworkResult,
    measure: Measure,
    reference: usize,
    level: f64,
    model: NetworkModel,
    lang: Lang,
) -> (Figure, Figure) {
    let net = &res.network;
    let tr = &net.treatments;
    let random = model == NetworkModel::Random;
    let rows: Vec<EstimateRow> = res
        .against_reference(reference, level)
        .iter()
        .map(|r| {
            let c = if random { &r.random } else { &r.common };
            EstimateRow {
                label: tr[c.treatment].clone(),
                value: Ok((c.estimate, c.ci.low, c.ci.high)),
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
    let (sizes, size_label) = match &net.participants {
        Some(p) => (p.clone(), crate::i18n::text(lang, "netgraph.participants")),
        None => (
            net.studies_per_treatment()
                .into_iter()
                .map(|n| n as f64)
                .collect(),
            crate::i18n::text(lang, "netgraph.studies"),
        ),
    };
    let graph = graph_layout(&GraphInput {
        lang,
        treatments: tr.clone(),
        sizes,
        size_label: size_label.into(),
        edges: net
            .direct_pairs()
            .iter()
            .map(|p| (p.a, p.b, p.n_studies))
            .collect(),
        title: Some(format!(
            "{} studies, {} treatments",
            net.studies.len(),
            tr.len()
        )),
    });
    (graph, forest)
}

/// Compares the dataset's published statistics with the analysis.
pub fn compare_statistics(d: &Dataset, r: &NetworkResult) -> Vec<StatisticComparison> {
    d.published_statistics
        .iter()
        .map(|p| {
            let test = |t: &QTest| (t.q, Some(t.df));
            let recomputed = match p.statistic.as_str() {
                "q_total" => test(&r.q_total),
                "q_within" => test(&r.q_within),
                "q_between" => test(&r.q_between),
                _ => (r.random.tau2, None),
            };
            let within = (recomputed.0 - p.value.value).abs() <= p.value.half_unit() * (1.0 + 1e-9);
            let df_ok = p.df.is_none() || p.df == recomputed.1;
            StatisticComparison {
                label: p.label.clone(),
                printed: p.value.printed(),
                df: p.df,
                recomputed,
                reproduced: within && df_ok,
                note: format!(
                    "{}; {}{}",
                    p.source,
                    p.verified,
                    p.explanation
                        .as_ref()
                        .map(|e| format!("; {e}"))
                        .unwrap_or_default()
                ),
            }
        })
        .collect()
}

/// `estimate [low; high]` on the display scale, two decimals.
fn ci(m: Measure, c: &Comparison) -> String {
    let d = c.display(m);
    format!("{:.2} [{:.2}; {:.2}]", d.estimate, d.ci.low, d.ci.high)
}

fn p(p: Option<f64>) -> String {
    crate::format::p_cell(p, "–")
}

/// The measure as the report computes it (arm rows with netmeta's defaults: the SMD is Cohen's
/// d over the SD pooled across each study's arms).
fn measure_label(m: Measure) -> &'static str {
    match m {
        Measure::StandardizedMeanDifference => {
            "standardised mean difference (Cohen's d, SD pooled over each study's arms)"
        }
        _ => m.name(),
    }
}

/// The HTML page.
pub fn network_page(r: &NetworkReport) -> String {
    let d = &r.dataset;
    let res = &r.result;
    let net = &res.network;
    let tr = &net.treatments;
    let m = r.measure;
    let mut s = String::new();
    header(&mut s, d);
    let _ = writeln!(
        s,
        "<p class=\"meta\">{} studies ({} multi-arm), {} treatments, {} pairwise comparisons, {} designs; {}; reference: {}</p>",
        net.studies.len(),
        net.n_multi_arm(),
        tr.len(),
        net.edges.len(),
        res.designs.len(),
        esc(measure_label(m)),
        esc(&tr[r.reference])
    );
    if !net.notes.is_empty() {
        let _ = writeln!(s, "<h2>{}</h2>\n<ul>", notes_heading(Lang::En));
        for n in &net.notes {
            let _ = writeln!(s, "<li>{}</li>", esc(&n.message(Lang::En)));
        }
        let _ = writeln!(s, "</ul>");
    }
    let _ = writeln!(s, "<h2>The network</h2>\n<figure>{}</figure>", r.graph_svg);
    let _ = writeln!(
        s,
        "<h2>Every treatment against {}</h2>",
        esc(&tr[r.reference])
    );
    let _ = writeln!(s, "<figure>{}</figure>", r.forest_svg);
    let _ = writeln!(
        s,
        "<table><tr><th>Treatment</th><th>Common effect (95% CI)</th><th>Random effects (95% CI)</th><th>Prediction interval</th><th>P-score (random)</th></tr>"
    );
    for a in &r.against_reference {
        let pi = a
            .random
            .display(m)
            .prediction
            .map(|p| format!("[{:.2}; {:.2}]", p.low, p.high));
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.3}</td></tr>",
            esc(&tr[a.random.treatment]),
            ci(m, &a.common),
            ci(m, &a.random),
            pi.unwrap_or_else(|| "–".into()),
            a.pscore_random
        );
    }
    let _ = writeln!(s, "</table>");
    let _ = writeln!(
        s,
        "<p class=\"meta\">{}</p>",
        esc(&res.pi_df.describe(res.q_total.df, Lang::En))
    );
    let _ = writeln!(
        s,
        "<p class=\"meta\">P-scores: {} values are better; {}: {:.3}.</p>",
        if matches!(
            d.kind,
            DatasetKind::Network {
                small_values_good: true,
                ..
            }
        ) {
            "smaller"
        } else {
            "larger"
        },
        esc(&tr[r.reference]),
        res.pscores_random[r.reference]
    );
    heterogeneity_html(&mut s, r);
    evidence_html(&mut s, r);
    let _ = writeln!(
        s,
        "<p class=\"meta\">Recompute: <code>repool network datasets/{}/data.csv --measure {} --reference {}</code></p>",
        esc(&d.name),
        m.code(),
        esc(&tr[r.reference])
    );
    sources(&mut s, d);
    page(&d.title, &s)
}

/// Heterogeneity, inconsistency and the published statistics next to the recomputed ones.
fn heterogeneity_html(s: &mut String, r: &NetworkReport) {
    let res = &r.result;
    let _ = writeln!(s, "<h2>Heterogeneity and inconsistency</h2>");
    let _ = writeln!(
        s,
        "<p>τ² = {:.4} (generalised DerSimonian–Laird), I² = {:.1}%</p>",
        res.random.tau2, res.i2
    );
    let _ = writeln!(
        s,
        "<table><tr><th></th><th>Q</th><th>df</th><th>p</th></tr>"
    );
    for (label, q) in [
        ("Total", &res.q_total),
        ("Within designs", &res.q_within),
        ("Between designs", &res.q_between),
        (
            "Design-by-treatment interaction (random effects)",
            &res.q_between_random,
        ),
    ] {
        let _ = writeln!(
            s,
            "<tr><td>{label}</td><td>{:.2}</td><td>{}</td><td>{}</td></tr>",
            q.q,
            q.df,
            p(q.p)
        );
    }
    let _ = writeln!(s, "</table>");
    let _ = writeln!(s, "<h2>Published</h2>");
    if r.comparisons.is_empty() {
        let _ = writeln!(
            s,
            "<p>No published statistic of this network has been verified here.</p>"
        );
    } else {
        let _ = writeln!(
            s,
            "<table><tr><th>Published</th><th>As printed</th><th>Recomputed</th><th></th><th>Source</th></tr>"
        );
        for c in &r.comparisons {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}{}</td><td>{:.4}{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
                esc(&c.label),
                esc(&c.printed),
                c.df.map(|d| format!(" (df {d})")).unwrap_or_default(),
                c.recomputed.0,
                c.recomputed.1.map(|d| format!(" (df {d})")).unwrap_or_default(),
                if c.reproduced { "ok" } else { "bad" },
                if c.reproduced { "reproduced" } else { "not reproduced" },
                esc(&c.note)
            );
        }
        let _ = writeln!(s, "</table>");
    }
}

/// The node-splits and the league table (random effects).
fn evidence_html(s: &mut String, r: &NetworkReport) {
    let res = &r.result;
    let tr = &res.network.treatments;
    let m = r.measure;
    let _ = writeln!(
        s,
        "<h2>Direct and indirect evidence (node-splitting, random effects)</h2>"
    );
    let _ = writeln!(
        s,
        "<table><tr><th>Comparison</th><th>Studies</th><th>Network</th><th>Direct</th><th>Indirect</th><th>p (direct vs indirect)</th></tr>"
    );
    for sp in &res.splits_random {
        let e = sp.estimates(LEVEL);
        let _ = writeln!(
            s,
            "<tr><td>{} vs {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&tr[sp.t1]),
            esc(&tr[sp.t2]),
            sp.k,
            ci(m, &e.network),
            ci(m, &e.direct),
            e.indirect.map(|c| ci(m, &c)).unwrap_or_else(|| "–".into()),
            p(sp.difference.map(|x| x.2))
        );
    }
    let _ = writeln!(s, "</table>");
    let _ = writeln!(
        s,
        "<h2>League table (random effects; row against column)</h2><table>"
    );
    for a in 0..tr.len() {
        let _ = write!(s, "<tr>");
        for b in 0..tr.len() {
            if a == b {
                let _ = write!(s, "<th>{}</th>", esc(&tr[a]));
            } else if let Some(c) = r.league.get(a, b) {
                let _ = write!(s, "<td>{}</td>", ci(m, c));
            }
        }
        let _ = writeln!(s, "</tr>");
    }
    let _ = writeln!(s, "</table>");
}

/// The Markdown page (summary; the HTML page has the figures and all tables).
pub fn network_markdown(r: &NetworkReport) -> String {
    let d = &r.dataset;
    let res = &r.result;
    let tr = &res.network.treatments;
    let m = r.measure;
    let mut s = format!("# {}\n\n", d.title);
    let _ = writeln!(
        s,
        "{} studies, {} treatments; {}; reference: {}. Open `index.html` for the network graph, the forest plot and the league table.\n",
        res.network.studies.len(),
        tr.len(),
        measure_label(m),
        tr[r.reference]
    );
    for n in &res.network.notes {
        let _ = writeln!(s, "- {}", n.message(Lang::En));
    }
    if !res.network.notes.is_empty() {
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "| Treatment | Common effect (95% CI) | Random effects (95% CI) | P-score |\n|---|---|---|---|");
    for a in &r.against_reference {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.3} |",
            tr[a.random.treatment],
            ci(m, &a.common),
            ci(m, &a.random),
            a.pscore_random
        );
    }
    let _ = writeln!(
        s,
        "\nτ² = {:.4}; Q total {:.2} (df {}), within designs {:.2} (df {}), between designs {:.2} (df {}).\n",
        res.random.tau2, res.q_total.q, res.q_total.df, res.q_within.q, res.q_within.df, res.q_between.q, res.q_between.df
    );
    if !r.comparisons.is_empty() {
        let _ = writeln!(
            s,
            "| Published | As printed | Recomputed | |\n|---|---|---|---|"
        );
        for c in &r.comparisons {
            let _ = writeln!(
                s,
                "| {} | {} | {:.4} | {} |",
                c.label,
                c.printed,
                c.recomputed.0,
                if c.reproduced {
                    "reproduced"
                } else {
                    "not reproduced"
                }
            );
        }
    }
    s
}
