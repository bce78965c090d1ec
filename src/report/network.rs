//! The report page of a network dataset: the network graph, every treatment against the
//! reference, heterogeneity and inconsistency with the published statistics next to the
//! recomputed ones, node-splitting, the league table. Pure: [`build_network_report`] analyses
//! the network and draws the figures; the pages are HTML and Markdown text.

use std::fmt::Write;

use super::dataset::{Dataset, DatasetKind};
use super::html::{esc, header, num, page, sources};
use crate::format::{localise_number, Lang};
use crate::i18n::{count, fill, text};
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
    /// The language of the figures and pages.
    pub lang: Lang,
}

/// Analyses the network of dataset `d` (effect `measure`; its reference treatment and
/// direction from `d`, 95% level, random effects for the figures and tables) and draws its
/// figures, in `lang`.
pub fn build_network_report(
    d: &Dataset,
    net: Network,
    measure: Measure,
    lang: Lang,
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
        lang,
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
        lang,
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
            heading: fill(
                lang,
                "report.net.treatment_vs",
                &[("reference", &tr[reference])],
            ),
            rows,
            all: None,
            all_label: String::new(),
            measure,
            level_percent: level * 100.0,
            title: Some(
                if random {
                    text(lang, "report.net.title_random")
                } else {
                    text(lang, "report.net.title_common")
                }
                .to_string(),
            ),
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
        title: Some(fill(
            lang,
            "report.net.graph_title",
            &[
                (
                    "studies",
                    &count(lang, "count.studies", net.studies.len() as u64),
                ),
                (
                    "treatments",
                    &count(lang, "count.treatments", tr.len() as u64),
                ),
            ],
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
fn ci(lang: Lang, m: Measure, c: &Comparison) -> String {
    let d = c.display(m);
    format!(
        "{} {}",
        num(lang, d.estimate, 2),
        crate::format::interval(lang, &num(lang, d.ci.low, 2), &num(lang, d.ci.high, 2))
    )
}

fn p(lang: Lang, p: Option<f64>) -> String {
    localise_number(lang, &crate::format::p_cell(p, "–"))
}

/// The measure as the report computes it (arm rows with netmeta's defaults: the SMD is Cohen's
/// d over the SD pooled across each study's arms).
fn measure_label(lang: Lang, m: Measure) -> &'static str {
    match (lang, m) {
        (_, Measure::StandardizedMeanDifference) => text(lang, "report.net.smd_label"),
        (Lang::En, _) => m.name(),
        (_, Measure::MeanDifference) => text(lang, "measure.md.name"),
        (_, Measure::LogRiskRatio) => text(lang, "measure.rr.name"),
        (_, Measure::LogOddsRatio) => text(lang, "measure.or.name"),
        (_, Measure::RiskDifference) => text(lang, "measure.rd.name"),
        (_, Measure::LogHazardRatio) => text(lang, "measure.hr.name"),
        (_, Measure::Generic) => text(lang, "measure.generic.name"),
    }
}

/// The HTML page, in the report's language.
pub fn network_page(r: &NetworkReport) -> String {
    let d = &r.dataset;
    let lang = r.lang;
    let res = &r.result;
    let net = &res.network;
    let tr = &net.treatments;
    let m = r.measure;
    let mut s = String::new();
    header(&mut s, lang, d);
    let _ = writeln!(
        s,
        "<p class=\"meta\">{}</p>",
        esc(&fill(
            lang,
            "report.net.meta",
            &[
                (
                    "studies",
                    &count(lang, "count.studies", net.studies.len() as u64)
                ),
                ("multi_arm", &net.n_multi_arm().to_string()),
                (
                    "treatments",
                    &count(lang, "count.treatments", tr.len() as u64)
                ),
                ("comparisons", &net.edges.len().to_string()),
                ("designs", &res.designs.len().to_string()),
                ("measure", measure_label(lang, m)),
                ("reference", &tr[r.reference]),
            ]
        ))
    );
    if !net.notes.is_empty() {
        let _ = writeln!(s, "<h2>{}</h2>\n<ul>", notes_heading(lang));
        for n in &net.notes {
            let _ = writeln!(s, "<li>{}</li>", esc(&n.message(lang)));
        }
        let _ = writeln!(s, "</ul>");
    }
    let _ = writeln!(
        s,
        "<h2>{}</h2>\n<figure>{}</figure>",
        text(lang, "report.net.the_network"),
        r.graph_svg
    );
    let _ = writeln!(
        s,
        "<h2>{}</h2>",
        esc(&fill(
            lang,
            "report.net.every_against",
            &[("reference", &tr[r.reference])]
        ))
    );
    let _ = writeln!(s, "<figure>{}</figure>", r.forest_svg);
    against_reference_html(&mut s, r);
    let _ = writeln!(
        s,
        "<p class=\"meta\">{}</p>",
        esc(&res.pi_df.describe(res.q_total.df, lang))
    );
    let small = matches!(
        d.kind,
        DatasetKind::Network {
            small_values_good: true,
            ..
        }
    );
    let _ = writeln!(
        s,
        "<p class=\"meta\">{}</p>",
        esc(&{
            let args = [
                ("reference", tr[r.reference].as_str()),
                ("pscore", &num(lang, res.pscores_random[r.reference], 3)),
            ];
            if small {
                fill(lang, "report.net.pscores_smaller", &args)
            } else {
                fill(lang, "report.net.pscores_larger", &args)
            }
        })
    );
    heterogeneity_html(&mut s, r);
    evidence_html(&mut s, r);
    let _ = writeln!(
        s,
        "<p class=\"meta\">{} <code>repool network datasets/{}/data.csv --measure {} --reference {}{}</code></p>",
        text(lang, "report.recompute"),
        esc(&d.name),
        m.code(),
        esc(&tr[r.reference]),
        if small { "" } else { " --small-values bad" }
    );
    sources(&mut s, lang, d);
    page(lang, d.title_in(lang), &s)
}

/// Every treatment against the reference: both models, the prediction interval, the P-score.
fn against_reference_html(s: &mut String, r: &NetworkReport) {
    let lang = r.lang;
    let m = r.measure;
    let tr = &r.result.network.treatments;
    let _ = writeln!(
        s,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        text(lang, "report.net.treatment"),
        text(lang, "report.net.common_ci"),
        text(lang, "report.net.random_ci"),
        text(lang, "report.net.prediction_interval"),
        text(lang, "report.net.pscore_random")
    );
    for a in &r.against_reference {
        let pi =
            a.random.display(m).prediction.map(|p| {
                crate::format::interval(lang, &num(lang, p.low, 2), &num(lang, p.high, 2))
            });
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&tr[a.random.treatment]),
            ci(lang, m, &a.common),
            ci(lang, m, &a.random),
            pi.unwrap_or_else(|| "–".into()),
            num(lang, a.pscore_random, 3)
        );
    }
    let _ = writeln!(s, "</table>");
}

/// Heterogeneity, inconsistency and the published statistics next to the recomputed ones.
fn heterogeneity_html(s: &mut String, r: &NetworkReport) {
    let lang = r.lang;
    let res = &r.result;
    let _ = writeln!(
        s,
        "<h2>{}</h2>",
        text(lang, "report.net.heterogeneity_heading")
    );
    let _ = writeln!(
        s,
        "<p>{}</p>",
        fill(
            lang,
            "report.net.tau2_line",
            &[
                ("tau2", &num(lang, res.random.tau2, 4)),
                ("i2", &num(lang, res.i2, 1))
            ]
        )
    );
    let _ = writeln!(
        s,
        "<table><tr><th></th><th>Q</th><th>df</th><th>p</th></tr>"
    );
    for (label, q) in [
        (text(lang, "report.net.q_total"), &res.q_total),
        (text(lang, "report.net.q_within"), &res.q_within),
        (text(lang, "report.net.q_between"), &res.q_between),
        (
            text(lang, "report.net.q_interaction"),
            &res.q_between_random,
        ),
    ] {
        let _ = writeln!(
            s,
            "<tr><td>{label}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            num(lang, q.q, 2),
            q.df,
            p(lang, q.p)
        );
    }
    let _ = writeln!(s, "</table>");
    let _ = writeln!(s, "<h2>{}</h2>", text(lang, "report.published"));
    if r.comparisons.is_empty() {
        let _ = writeln!(s, "<p>{}</p>", text(lang, "report.net.none_verified"));
    } else {
        let _ = writeln!(
            s,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th></th><th>{}</th></tr>",
            text(lang, "report.published"),
            text(lang, "report.as_printed"),
            text(lang, "report.recomputed"),
            text(lang, "report.source")
        );
        for c in &r.comparisons {
            let _ =
                writeln!(
                s,
                "<tr><td>{}</td><td>{}{}</td><td>{}{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
                esc(&c.label),
                esc(&localise_number(lang, &c.printed)),
                c.df.map(|d| format!(" (df {d})")).unwrap_or_default(),
                num(lang, c.recomputed.0, 4),
                c.recomputed.1.map(|d| format!(" (df {d})")).unwrap_or_default(),
                if c.reproduced { "ok" } else { "bad" },
                verdict_word(lang, c.reproduced),
                esc(&c.note)
            );
        }
        let _ = writeln!(s, "</table>");
    }
}

/// "reproduced" or "not reproduced" in `lang`.
fn verdict_word(lang: Lang, reproduced: bool) -> &'static str {
    if reproduced {
        text(lang, "report.md.reproduced")
    } else {
        text(lang, "report.md.not_reproduced")
    }
}

/// The node-splits and the league table (random effects).
fn evidence_html(s: &mut String, r: &NetworkReport) {
    let lang = r.lang;
    let res = &r.result;
    let tr = &res.network.treatments;
    let m = r.measure;
    let _ = writeln!(s, "<h2>{}</h2>", text(lang, "report.net.splits_heading"));
    let _ = writeln!(
        s,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        text(lang, "report.net.comparison"),
        text(lang, "report.net.studies"),
        text(lang, "report.net.network"),
        text(lang, "report.net.direct"),
        text(lang, "report.net.indirect"),
        text(lang, "report.net.p_direct_indirect")
    );
    for sp in &res.splits_random {
        let e = sp.estimates(LEVEL);
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&fill(
                lang,
                "report.net.vs",
                &[("a", &tr[sp.t1]), ("b", &tr[sp.t2])]
            )),
            sp.k,
            ci(lang, m, &e.network),
            ci(lang, m, &e.direct),
            e.indirect
                .map(|c| ci(lang, m, &c))
                .unwrap_or_else(|| "–".into()),
            p(lang, sp.difference.map(|x| x.2))
        );
    }
    let _ = writeln!(s, "</table>");
    let _ = writeln!(
        s,
        "<h2>{}</h2><table>",
        text(lang, "report.net.league_heading")
    );
    for a in 0..tr.len() {
        let _ = write!(s, "<tr>");
        for b in 0..tr.len() {
            if a == b {
                let _ = write!(s, "<th>{}</th>", esc(&tr[a]));
            } else if let Some(c) = r.league.get(a, b) {
                let _ = write!(s, "<td>{}</td>", ci(lang, m, c));
            }
        }
        let _ = writeln!(s, "</tr>");
    }
    let _ = writeln!(s, "</table>");
}

/// The Markdown page (summary; the HTML page has the figures and all tables), in the
/// report's language.
pub fn network_markdown(r: &NetworkReport) -> String {
    let d = &r.dataset;
    let lang = r.lang;
    let res = &r.result;
    let tr = &res.network.treatments;
    let m = r.measure;
    let mut s = format!("# {}\n\n", d.title_in(lang));
    let _ = writeln!(
        s,
        "{}\n",
        fill(
            lang,
            "report.net.md_intro",
            &[
                (
                    "studies",
                    &count(lang, "count.studies", res.network.studies.len() as u64)
                ),
                (
                    "treatments",
                    &count(lang, "count.treatments", tr.len() as u64)
                ),
                ("measure", measure_label(lang, m)),
                ("reference", &tr[r.reference]),
            ]
        )
    );
    for n in &res.network.notes {
        let _ = writeln!(s, "- {}", n.message(lang));
    }
    if !res.network.notes.is_empty() {
        let _ = writeln!(s);
    }
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        text(lang, "report.net.treatment"),
        text(lang, "report.net.common_ci"),
        text(lang, "report.net.random_ci"),
        text(lang, "report.net.pscore")
    );
    for a in &r.against_reference {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            tr[a.random.treatment],
            ci(lang, m, &a.common),
            ci(lang, m, &a.random),
            num(lang, a.pscore_random, 3)
        );
    }
    let q = |x: &QTest| num(lang, x.q, 2);
    let _ = writeln!(
        s,
        "\n{}\n",
        fill(
            lang,
            "report.net.md_q_line",
            &[
                ("tau2", &num(lang, res.random.tau2, 4)),
                ("q_total", &q(&res.q_total)),
                ("df_total", &res.q_total.df.to_string()),
                ("q_within", &q(&res.q_within)),
                ("df_within", &res.q_within.df.to_string()),
                ("q_between", &q(&res.q_between)),
                ("df_between", &res.q_between.df.to_string()),
            ]
        )
    );
    if !r.comparisons.is_empty() {
        let _ = writeln!(
            s,
            "| {} | {} | {} | |\n|---|---|---|---|",
            text(lang, "report.published"),
            text(lang, "report.as_printed"),
            text(lang, "report.recomputed")
        );
        for c in &r.comparisons {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                c.label,
                localise_number(lang, &c.printed),
                num(lang, c.recomputed.0, 4),
                verdict_word(lang, c.reproduced)
            );
        }
    }
    s
}

impl crate::i18n::errors::Localize for NetworkReportError {
    fn message(&self, lang: Lang) -> String {
        match self {
            NetworkReportError::UnknownReference { reference } => fill(
                lang,
                "errors.network_report.unknown_reference",
                &[("reference", reference)],
            ),
            NetworkReportError::NotNetwork { name } => {
                fill(lang, "errors.network_report.not_network", &[("name", name)])
            }
            NetworkReportError::Network(e) => e.message(lang),
        }
    }
}
