//! A summary of findings as a person reads it: text (one block per outcome), Markdown and HTML
//! (the Cochrane/GRADEpro table: outcome, studies and participants, relative effect, risk
//! with control, risk with intervention, difference, NNT, certainty and comments).

use crate::format::{escape, fmt_num, Lang};
use crate::i18n::{fill, text};
use crate::io::write::ReviewerInput;
use crate::sof::certainty::Judgement;
use crate::sof::continuous::SmdSize;
use crate::sof::text::{self as words, per_1000, whole};
use crate::sof::{Outcome, RiskRow};

/// One outcome to show: its name, its summary and what the reviewer adds.
pub struct Entry<'a> {
    /// The outcome's name.
    pub name: &'a str,
    /// Its summary.
    pub outcome: &'a Outcome,
    /// The reviewer's judgements.
    pub reviewer: &'a ReviewerInput,
}

/// The cells of one risk row: control, intervention (CI), difference (CI), NNT (CI).
fn risk_cells(lang: Lang, r: &RiskRow) -> [String; 4] {
    let k = &r.risk;
    let (a, b) = (
        whole(lang, 1000.0 * k.intervention_low),
        whole(lang, 1000.0 * k.intervention_high),
    );
    let limits = fill(lang, "sof.interval", &[("low", &a), ("high", &b)]);
    let (d, dl, dh) = k.difference();
    let (dl, dh) = (
        words::difference_limit(lang, dl),
        words::difference_limit(lang, dh),
    );
    let diff_limits = fill(
        lang,
        "sof.difference_interval",
        &[("low", &dl), ("high", &dh)],
    );
    [
        per_1000(lang, k.control),
        format!("{} ({limits})", per_1000(lang, k.intervention)),
        format!("{} ({diff_limits})", words::difference(lang, d)),
        r.nnt
            .as_ref()
            .map(|n| words::nnt(lang, n))
            .unwrap_or_default(),
    ]
}

fn smd_size(lang: Lang, s: SmdSize) -> &'static str {
    match s {
        SmdSize::Trivial => text(lang, "sof.smd_size.trivial"),
        SmdSize::Small => text(lang, "sof.smd_size.small"),
        SmdSize::Moderate => text(lang, "sof.smd_size.moderate"),
        SmdSize::Large => text(lang, "sof.smd_size.large"),
    }
}

/// The comments of an outcome: the SMD reading, the relevance category, bounded risks, the
/// published certainty.
fn comments(lang: Lang, o: &Outcome, reviewer: &ReviewerInput) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some((md, lo, hi)), Some(sd)) = (o.re_expressed, o.sd) {
        let n = |x: f64| fmt_num(lang, x, 1);
        let args = [
            ("sd", n(sd)),
            ("md", n(md)),
            ("low", n(lo)),
            ("high", n(hi)),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        out.push(fill(lang, "sof.re_expressed", &args));
    }
    if let Some(size) = o.smd_size {
        out.push(fill(
            lang,
            "sof.rule_of_thumb",
            &[("size", smd_size(lang, size))],
        ));
    }
    if let (Some(cat), Some(t)) = (o.relevance, o.threshold) {
        let t = fmt_num(lang, t, 2);
        out.push(fill(
            lang,
            "sof.relevance",
            &[("threshold", &t), ("category", cat.code())],
        ));
    }
    if o.risks.iter().any(|r| r.risk.bounded) {
        out.push(text(lang, "sof.bounded").to_string());
    }
    if let Some(p) = &reviewer.published {
        out.push(fill(lang, "sof.published", &[("certainty", p)]));
    }
    out
}

/// One domain's suggestion and reasons: "Imprecision: rate down one level (serious): the CI
/// crosses …".
fn domain(lang: Lang, heading: &str, j: &Judgement) -> String {
    let reasons: Vec<String> = j.reasons.iter().map(|r| words::reason(lang, r)).collect();
    format!(
        "{heading}: {}{}{}",
        words::suggestion(lang, j.suggestion),
        if reasons.is_empty() { "" } else { ": " },
        reasons.join("; ")
    )
}

/// The certainty lines of an outcome: the three suggestions and the reviewer's judgements.
fn certainty(lang: Lang, o: &Outcome, reviewer: &ReviewerInput) -> Vec<String> {
    let c = &o.certainty;
    let mut out = vec![
        domain(lang, text(lang, "sof.domain.imprecision"), &c.imprecision),
        domain(
            lang,
            text(lang, "sof.domain.inconsistency"),
            &c.inconsistency,
        ),
        domain(
            lang,
            text(lang, "sof.domain.publication_bias"),
            &c.publication_bias,
        ),
    ];
    let given = [
        (
            text(lang, "sof.domain.risk_of_bias"),
            &reviewer.risk_of_bias,
        ),
        (
            text(lang, "sof.domain.indirectness"),
            &reviewer.indirectness,
        ),
    ];
    for (heading, value) in given {
        if let Some(v) = value {
            out.push(format!("{heading}: {v}"));
        }
    }
    out
}

/// The effect cell: the ratio for binary outcomes, the effect of a continuous one.
fn effect_cell(lang: Lang, o: &Outcome) -> String {
    words::relative(lang, o)
}

/// The summary of findings as text: one block per outcome.
pub fn to_text(entries: &[Entry], lang: Lang) -> String {
    let mut s = format!("{}\n", text(lang, "sof.title"));
    for e in entries {
        let o = e.outcome;
        s += &format!("\n{}: {}\n", text(lang, "sof.head.outcome"), e.name);
        s += &format!(
            "{}: {}\n",
            text(lang, "sof.head.studies"),
            words::size(lang, o)
        );
        s += &format!(
            "{}: {}\n",
            text(lang, "sof.head.effect"),
            effect_cell(lang, o)
        );
        for r in &o.risks {
            let [c, i, d, n] = risk_cells(lang, r);
            s += &format!("  {}:\n", words::row_label(lang, r));
            s += &format!("    {}: {c}\n", text(lang, "sof.head.control"));
            s += &format!("    {}: {i}\n", text(lang, "sof.head.intervention"));
            s += &format!("    {}: {d}\n", text(lang, "sof.head.difference"));
            if !n.is_empty() {
                s += &format!("    {}: {n}\n", text(lang, "sof.head.nnt"));
            }
        }
        s += &format!("{}:\n", text(lang, "sof.head.certainty"));
        for line in certainty(lang, o, e.reviewer) {
            s += &format!("  {line}\n");
        }
        for line in comments(lang, o, e.reviewer) {
            s += &format!("{}: {line}\n", text(lang, "sof.head.comments"));
        }
    }
    s + &format!("\n{}\n", text(lang, "sof.judgement_note"))
}

/// The table's rows: per outcome one row per risk (the outcome's own cells on the first).
fn table_rows(entries: &[Entry], lang: Lang) -> Vec<[String; 9]> {
    let mut rows = Vec::new();
    for e in entries {
        let o = e.outcome;
        let first = [
            e.name.to_string(),
            words::size(lang, o),
            effect_cell(lang, o),
        ];
        let certainty = certainty(lang, o, e.reviewer).join("\n");
        let comments = comments(lang, o, e.reviewer).join("\n");
        if o.risks.is_empty() {
            let [a, b, c] = first;
            let blank = String::new;
            rows.push([
                a,
                b,
                c,
                blank(),
                blank(),
                blank(),
                blank(),
                certainty,
                comments,
            ]);
            continue;
        }
        for (i, r) in o.risks.iter().enumerate() {
            let [c, iv, d, n] = risk_cells(lang, r);
            let label = words::row_label(lang, r);
            let own = |j: usize| {
                if i == 0 {
                    first[j].clone()
                } else {
                    String::new()
                }
            };
            let (cert, com) = if i == 0 {
                (certainty.clone(), comments.clone())
            } else {
                (String::new(), String::new())
            };
            rows.push([
                own(0),
                own(1),
                own(2),
                format!("{c} ({label})"),
                iv,
                d,
                n,
                cert,
                com,
            ]);
        }
    }
    rows
}

fn headings(lang: Lang) -> [&'static str; 9] {
    [
        "sof.head.outcome",
        "sof.head.studies",
        "sof.head.effect",
        "sof.head.control",
        "sof.head.intervention",
        "sof.head.difference",
        "sof.head.nnt",
        "sof.head.certainty",
        "sof.head.comments",
    ]
    .map(|k| text(lang, k))
}

/// The summary of findings as a Markdown table.
pub fn to_markdown(entries: &[Entry], lang: Lang) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
    let mut s = format!("# {}\n\n", text(lang, "sof.title"));
    s += &format!("| {} |\n", headings(lang).join(" | "));
    s += &format!("|{}\n", "---|".repeat(9));
    for row in table_rows(entries, lang) {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        s += &format!("| {} |\n", cells.join(" | "));
    }
    s + &format!("\n{}\n", text(lang, "sof.judgement_note"))
}

/// The summary of findings as an HTML table (a fragment: a `<table>` and its note).
pub fn to_html_table(entries: &[Entry], lang: Lang) -> String {
    let cell = |s: &str| escape(s).replace('\n', "<br>");
    let mut s = String::from("<table class=\"sof\">\n<thead><tr>");
    for h in headings(lang) {
        s += &format!("<th>{}</th>", escape(h));
    }
    s += "</tr></thead>\n<tbody>\n";
    for row in table_rows(entries, lang) {
        let cells: String = row
            .iter()
            .map(|c| format!("<td>{}</td>", cell(c)))
            .collect();
        s += &format!("<tr>{cells}</tr>\n");
    }
    s + &format!(
        "</tbody>\n</table>\n<p class=\"note\">{}</p>\n",
        escape(text(lang, "sof.judgement_note"))
    )
}

/// The summary of findings as a standalone HTML page.
pub fn to_html(entries: &[Entry], lang: Lang) -> String {
    let code = match lang {
        Lang::En => "en",
        Lang::Nl => "nl",
        Lang::Fr => "fr",
    };
    let title = escape(text(lang, "sof.title"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\nbody{{font-family:sans-serif;margin:2em}}\ntable.sof{{border-collapse:collapse}}\ntable.sof th,table.sof td{{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}}\n.note{{color:#555}}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n{}</body>\n</html>\n",
        to_html_table(entries, lang)
    )
}

/// The options a dataset's summary of findings uses: its direction of benefit, and its
/// threshold when that lies on the side of benefit (a dataset may give the line of an
/// important harm, as for an adverse outcome; then the default lines of
/// [`crate::sof::lines`] apply, which for a ratio are the same pair).
fn dataset_options(d: &crate::dataset::Dataset, measure: crate::Measure) -> crate::sof::SofOptions {
    let mut opts = crate::sof::SofOptions {
        desirable: d.benefit.as_deref() == Some("higher"),
        threshold: d.threshold,
        ..Default::default()
    };
    if crate::sof::lines(measure, &opts).is_err() {
        opts.threshold = None;
    }
    opts
}

/// The certainty a publication states, in one line: "moderate (rated down for: imprecision);
/// source".
fn published_line(lang: Lang, c: &crate::sof::PublishedCertainty) -> String {
    let mut s = c.level.clone();
    if !c.downgraded.is_empty() {
        s += &fill(
            lang,
            "sof.published_downgraded",
            &[("domains", &c.downgraded.join(", "))],
        );
    }
    format!("{s}; {}", c.source)
}

/// The summary of findings of a trial-level dataset's main analysis, for its report page next
/// to the forest plot: an HTML fragment (`markdown` false) or a Markdown section; empty when
/// the data have no arms (2×2 tables or means and SDs) or no summary can be made. The
/// publication's stated certainty, where the dataset gives it, is shown beside the
/// suggestions.
pub fn dataset_section(r: &crate::report::build::PoolReport, lang: Lang, markdown: bool) -> String {
    let measure = r.main.config.measure;
    if !crate::sof::has_arms(&r.studies) || r.studies.is_empty() {
        return String::new();
    }
    let opts = dataset_options(&r.dataset, measure);
    let subgroup_p = r.subgroup_test.as_ref().map(|t| t.p_value);
    let Ok(outcome) = crate::sof::summarise(&r.studies, &r.main, subgroup_p, &opts) else {
        return String::new();
    };
    let stated = r
        .dataset
        .published
        .iter()
        .find_map(|p| p.certainty.as_ref());
    let reviewer = ReviewerInput {
        risk_of_bias: stated.and_then(|c| c.risk_of_bias.clone()),
        indirectness: stated.and_then(|c| c.indirectness.clone()),
        published: stated.map(|c| published_line(lang, c)),
    };
    let name = r
        .dataset
        .outcome_in(lang)
        .unwrap_or(r.dataset.title_in(lang));
    let entries = [Entry {
        name,
        outcome: &outcome,
        reviewer: &reviewer,
    }];
    if markdown {
        format!("\n#{}", to_markdown(&entries, lang))
    } else {
        format!(
            "<h2>{}</h2>\n<div class=\"scroll\">\n{}</div>\n",
            escape(text(lang, "sof.title")),
            to_html_table(&entries, lang)
        )
    }
}
