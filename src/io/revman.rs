//! Reading RevMan 5 review files (`.rm5`, XML): studies, comparisons, outcomes,
//! subgroups, data rows, and the results RevMan stored. See the format notes for the
//! traps handled here: `CHI2` is heterogeneity and `Q` the subgroup test, `LOG_*` are
//! base-10 logs, numbers can be `NaN`/`-Infinity`/empty, two encodings, `EFFECT_MEASURE`
//! is an attribute for dichotomous and continuous outcomes but an element for generic
//! inverse-variance ones, and `_xHHHH_` escapes in IDs.

use std::collections::HashMap;

use super::number::{read_number, NumberProblem};
use crate::effect::{Measure, StudyData};
use crate::pool::{CommonMethod, Model};
use crate::Study;

/// Why a RevMan file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RevmanError {
    /// The file is not well-formed XML.
    #[error("{file}: not a readable RevMan 5 file: {message}")]
    Xml {
        /// File.
        file: String,
        /// Parser message (with line and column).
        message: String,
    },
    /// Elements nested deeper than the parser can take (it recurses once per level).
    #[error("{file}:{line}:{column}: elements nested more than {limit} levels deep; not a RevMan 5 file (they nest fewer than 20)")]
    TooDeep {
        /// File.
        file: String,
        /// Line of the tag that goes too deep (1-based).
        line: usize,
        /// Its column (1-based, in characters).
        column: usize,
        /// The deepest nesting read.
        limit: usize,
    },
    /// The root element is not a review.
    #[error("{file}: not a RevMan 5 review (root element <{root}>, expected <COCHRANE_REVIEW>)")]
    NotReview {
        /// File.
        file: String,
        /// Root element found.
        root: String,
    },
}

pub use crate::review::{RmGroup, RmOutcome, RmReview, Stored};

/// The text of a review file: UTF-16 when it starts with a UTF-16 byte-order mark (a file
/// saved by a Windows editor), Latin-1 when its XML declaration names it, else UTF-8 (a
/// byte-order mark dropped).
fn decode(bytes: &[u8]) -> String {
    let utf16 = |unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| unit([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, ..] => return utf16(u16::from_le_bytes),
        [0xFE, 0xFF, ..] => return utf16(u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => return decode(rest),
        _ => {}
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
    if head.contains("iso-8859-1") || head.contains("latin1") || head.contains("windows-1252") {
        bytes.iter().map(|&b| b as char).collect()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

fn num(n: roxmltree::Node, attr: &str) -> Option<f64> {
    let s = n.attribute(attr)?.trim();
    if s.is_empty() {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn unescape_id(s: &str) -> String {
    // `_x002d_` → '-'
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 2..];
        if tail.len() >= 5 && tail.as_bytes()[4] == b'_' {
            if let Ok(code) = u32::from_str_radix(&tail[..4], 16) {
                if let Some(c) = char::from_u32(code) {
                    out.push(c);
                    rest = &tail[5..];
                    continue;
                }
            }
        }
        out.push_str("_x");
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A number of a data row as written, or a message naming the attribute and the value. RevMan
/// writes every number of a row, also of a row that is not estimable (its counts kept), so an
/// empty or absent number is an error, as it is in RevMan's CSV export, never a row left out.
fn entered(n: roxmltree::Node, attr: &str) -> Result<f64, String> {
    match n.attribute(attr).map(str::trim) {
        None => Err(format!("{attr} is missing (no number entered)")),
        Some("") => Err(format!("{attr}=\"\" is empty (no number entered)")),
        Some(v) => read_number(v, false).map_err(|why| match why {
            NumberProblem::Empty | NumberProblem::NotANumber => {
                format!("{attr}=\"{v}\" is not a number")
            }
            _ => format!("{attr}=\"{v}\" is a {}", why.problem()),
        }),
    }
}

/// The kind of a data row, for [`row_problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    /// Events 1, total 1, events 2, total 2.
    Dich,
    /// Mean 1, SD 1, total 1, mean 2, SD 2, total 2.
    Cont,
    /// Estimate, SE.
    Iv,
}

impl RowKind {
    /// A row's study data from its numbers, in the order of the variants' documentation
    /// (the SE of a generic inverse-variance row squared to its variance).
    pub(crate) fn data(self, x: &[f64]) -> StudyData {
        match self {
            RowKind::Dich => StudyData::TwoByTwo {
                events_t: x[0],
                n_t: x[1],
                events_c: x[2],
                n_c: x[3],
            },
            RowKind::Cont => StudyData::MeanSd {
                mean_t: x[0],
                sd_t: x[1],
                n_t: x[2],
                mean_c: x[3],
                sd_c: x[4],
                n_c: x[5],
            },
            RowKind::Iv => StudyData::Effect {
                yi: x[0],
                vi: x[1] * x[1],
            },
        }
    }
}

/// What makes the input numbers of a data row impossible, if anything: a negative count,
/// total, SD or SE, or more events than participants. `values` are the row's numbers with
/// their names (attributes or columns) in the order of [`RowKind`]; `show` writes one of them
/// as the message names it. RevMan itself does not accept such values, so they are errors,
/// never rows left out as not estimable (or, for a negative SD or SE, used as if positive).
pub(crate) fn row_problem(
    kind: RowKind,
    values: &[(&str, f64)],
    show: &dyn Fn(&str, f64) -> String,
) -> Option<String> {
    let not_negative: &[usize] = match kind {
        RowKind::Dich => &[0, 1, 2, 3],
        RowKind::Cont => &[1, 2, 4, 5],
        RowKind::Iv => &[1],
    };
    let shown = |i: usize| show(values[i].0, values[i].1);
    if let Some(&i) = not_negative.iter().find(|&&i| values[i].1 < 0.0) {
        return Some(format!("{} is negative", shown(i)));
    }
    if kind == RowKind::Dich {
        if let Some((e, t)) = [(0, 1), (2, 3)]
            .into_iter()
            .find(|&(e, t)| values[e].1 > values[t].1)
        {
            return Some(format!(
                "{} is more than {} (more events than participants)",
                shown(e),
                shown(t)
            ));
        }
    }
    None
}

/// Where a data row of a `.rm5` file is, for messages.
struct RowAt<'a> {
    file: &'a str,
    line: u32,
    cno: u32,
    ono: u32,
}

/// One data row (`DICH_DATA`, `CONT_DATA`, `IV_DATA`) as a study (`None` for other elements),
/// or an error naming the file, line, element, attribute and value when a number is empty,
/// absent, broken or impossible.
fn data_row(
    r: roxmltree::Node,
    names: &HashMap<String, (String, Option<i32>)>,
    swap: bool,
    at: &RowAt,
) -> Result<Option<Study>, String> {
    let sid = r.attribute("STUDY_ID").unwrap_or("?");
    let (label, year) = names
        .get(sid)
        .cloned()
        .unwrap_or_else(|| (unescape_id(sid.trim_start_matches("STD-")), None));
    let tag = r.tag_name().name();
    let what = format!(
        "{}:{}: comparison {}, outcome {}, <{tag}> of study {label}",
        at.file, at.line, at.cno, at.ono
    );
    let (kind, attrs): (RowKind, &[&str]) = match tag {
        "DICH_DATA" => (
            RowKind::Dich,
            &["EVENTS_1", "TOTAL_1", "EVENTS_2", "TOTAL_2"],
        ),
        "CONT_DATA" => (
            RowKind::Cont,
            &["MEAN_1", "SD_1", "TOTAL_1", "MEAN_2", "SD_2", "TOTAL_2"],
        ),
        "IV_DATA" => (RowKind::Iv, &["ESTIMATE", "SE"]),
        _ => return Ok(None),
    };
    let mut v = Vec::with_capacity(attrs.len());
    for &a in attrs {
        v.push((a, entered(r, a).map_err(|e| format!("{what}: {e}"))?));
    }
    if let Some(p) = row_problem(kind, &v, &|a, x| format!("{a}=\"{x}\"")) {
        return Err(format!("{what}: {p}"));
    }
    let mut x: Vec<f64> = v.iter().map(|p| p.1).collect();
    if swap && kind == RowKind::Dich {
        // Events entered as non-events: the events are the totals minus them.
        x = vec![x[1] - x[0], x[1], x[3] - x[2], x[3]];
    }
    let data = kind.data(&x);
    let mut s = Study::new(label, data);
    s.year = year;
    Ok(Some(s))
}

/// The confidence level of an outcome's pooled CIs: `CI_TOTAL` in percent (RevMan offers 90,
/// 95 and 99), 0.95 when absent; an error naming the value when it is not a level between
/// 50 and 100 percent.
fn ci_level(out: roxmltree::Node) -> Result<f64, String> {
    let Some(v) = out.attribute("CI_TOTAL") else {
        return Ok(0.95);
    };
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| (50.0..100.0).contains(p))
        .map(|p| p / 100.0)
        .ok_or_else(|| {
            format!(
                "CI_TOTAL=\"{v}\" is not a confidence level in percent (at least 50, below 100)"
            )
        })
}

fn stored(n: roxmltree::Node) -> Stored {
    Stored {
        estimate: num(n, "EFFECT_SIZE"),
        ci_low: num(n, "CI_START"),
        ci_high: num(n, "CI_END"),
        q: num(n, "CHI2"),
        df: num(n, "DF"),
        i2: num(n, "I2"),
        tau2: num(n, "TAU2"),
        z: num(n, "Z"),
        p_value: num(n, "P_Z"),
        not_estimable: n.attribute("ESTIMABLE") == Some("NO"),
        half_units: None,
    }
}

fn child_text<'a>(n: roxmltree::Node<'a, 'a>, tag: &str) -> Option<String> {
    n.children()
        .find(|c| c.has_tag_name(tag))
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
}

/// The display name and year of each study, by its ID.
type StudyNames = HashMap<String, (String, Option<i32>)>;

/// Parses the decoded text of a `.rm5` file, refusing nesting deeper than
/// [`super::xml_depth::MAX_DEPTH`] before the parser sees it.
fn parse_rm5<'a>(text: &'a str, file: &str) -> Result<roxmltree::Document<'a>, RevmanError> {
    if let Some(at) = super::xml_depth::too_deep(text, super::xml_depth::MAX_DEPTH) {
        let before = &text[..at];
        return Err(RevmanError::TooDeep {
            file: file.into(),
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            limit: super::xml_depth::MAX_DEPTH,
        });
    }
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .map_err(|e| RevmanError::Xml {
        file: file.into(),
        message: e.to_string(),
    })
}

/// The `STUDY` elements' names (or their IDs unescaped) and years.
fn study_names(root: roxmltree::Node) -> StudyNames {
    let mut names = HashMap::new();
    for s in root.descendants().filter(|n| n.has_tag_name("STUDY")) {
        if let Some(id) = s.attribute("ID") {
            let name = s
                .attribute("NAME")
                .map(str::to_string)
                .unwrap_or_else(|| unescape_id(id.trim_start_matches("STD-")));
            let year = s
                .attribute("YEAR")
                .and_then(|y| y.trim().trim_end_matches('.').parse().ok());
            names.insert(id.to_string(), (name, year));
        }
    }
    names
}

/// The measure, its label and the pooling method of an outcome, or why it is skipped.
fn outcome_measure(
    out: roxmltree::Node,
    data_type: &str,
    log_data: bool,
) -> Result<(Measure, String, CommonMethod), String> {
    let unsupported = |other: &str| format!("effect measure {other:?} not supported");
    match data_type {
        "DICH" => {
            let em = out.attribute("EFFECT_MEASURE").unwrap_or("");
            let method = match out.attribute("METHOD").unwrap_or("IV") {
                "MH" => CommonMethod::MH,
                "PETO" => CommonMethod::Peto,
                _ => CommonMethod::IV,
            };
            match em {
                "RR" => Ok((Measure::LogRiskRatio, em.to_string(), method)),
                "OR" => Ok((Measure::LogOddsRatio, em.to_string(), method)),
                "RD" => Ok((Measure::RiskDifference, em.to_string(), method)),
                "PETO_OR" => Ok((Measure::LogOddsRatio, em.to_string(), CommonMethod::Peto)),
                other => Err(unsupported(other)),
            }
        }
        "CONT" => match out.attribute("EFFECT_MEASURE").unwrap_or("") {
            "MD" => Ok((Measure::MeanDifference, "MD".to_string(), CommonMethod::IV)),
            "SMD" => Ok((
                Measure::StandardizedMeanDifference,
                "SMD".to_string(),
                CommonMethod::IV,
            )),
            other => Err(unsupported(other)),
        },
        _ => {
            let em = child_text(out, "EFFECT_MEASURE").unwrap_or_default();
            let m = match (em.to_ascii_lowercase().as_str(), log_data) {
                ("risk ratio", true) => Measure::LogRiskRatio,
                ("odds ratio" | "peto odds ratio", true) => Measure::LogOddsRatio,
                ("hazard ratio", true) => Measure::LogHazardRatio,
                ("mean difference", false) => Measure::MeanDifference,
                ("std. mean difference", false) => Measure::StandardizedMeanDifference,
                ("risk difference", false) => Measure::RiskDifference,
                _ => Measure::Generic,
            };
            Ok((m, em, CommonMethod::IV))
        }
    }
}

/// What the outcomes of a review are read with: the offsets of the document's line breaks (for
/// line numbers), the studies' names and the file's name.
struct Rm5<'a> {
    newlines: &'a [usize],
    names: &'a StudyNames,
    file: &'a str,
}

impl Rm5<'_> {
    /// The line (from 1) of the byte at `pos`, as `roxmltree::Document::text_pos_at` counts
    /// it (one more than the `\n` before it), by binary search instead of a scan from the
    /// start of the file for every data row.
    fn line_at(&self, pos: usize) -> u32 {
        let before = self.newlines.partition_point(|&nl| nl < pos);
        u32::try_from(before + 1).unwrap_or(u32::MAX)
    }

    /// The groups of an outcome: its subgroups, or one group of all its data rows. Rows that
    /// cannot be read are left out and their errors collected.
    fn groups(
        &self,
        out: roxmltree::Node,
        data_type: &str,
        (cno, ono): (u32, u32),
        errors: &mut Vec<String>,
    ) -> Vec<RmGroup> {
        let swap = out.attribute("SWAP_EVENTS") == Some("YES");
        let errors = std::cell::RefCell::new(errors);
        let row = |r: roxmltree::Node| -> Option<Study> {
            let at = RowAt {
                file: self.file,
                line: self.line_at(r.range().start),
                cno,
                ono,
            };
            data_row(r, self.names, swap, &at).unwrap_or_else(|e| {
                errors.borrow_mut().push(e);
                None
            })
        };
        let data_tag = format!("{data_type}_DATA");
        let sub_tag = format!("{data_type}_SUBGROUP");
        let mut groups = Vec::new();
        if out.attribute("SUBGROUPS") == Some("YES") {
            for sg in out.children().filter(|n| n.has_tag_name(sub_tag.as_str())) {
                groups.push(RmGroup {
                    no: sg.attribute("NO").and_then(|s| s.parse().ok()),
                    name: child_text(sg, "NAME"),
                    studies: sg
                        .children()
                        .filter(|n| n.has_tag_name(data_tag.as_str()))
                        .filter_map(row)
                        .collect(),
                    stored: stored(sg),
                });
            }
        } else {
            groups.push(RmGroup {
                no: None,
                name: None,
                studies: out
                    .children()
                    .filter(|n| n.has_tag_name(data_tag.as_str()))
                    .filter_map(row)
                    .collect(),
                stored: Stored::default(),
            });
        }
        groups
    }

    /// One outcome element of comparison `cno` (named `cname`); `None` for other elements and
    /// for outcomes that are skipped (named in `skipped`).
    fn outcome(
        &self,
        out: roxmltree::Node,
        (cno, cname): (u32, &str),
        skipped: &mut Vec<String>,
    ) -> Option<RmOutcome> {
        let tag = out.tag_name().name();
        let data_type = match tag {
            "DICH_OUTCOME" => "DICH",
            "CONT_OUTCOME" => "CONT",
            "IV_OUTCOME" => "IV",
            "IPD_OUTCOME" | "OTHER_OUTCOME" => {
                skipped.push(format!(
                    "{cno}.{}: {} ({tag} not supported)",
                    out.attribute("NO").unwrap_or("?"),
                    child_text(out, "NAME").unwrap_or_default()
                ));
                return None;
            }
            _ => return None,
        };
        let ono: u32 = out
            .attribute("NO")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let name = child_text(out, "NAME").unwrap_or_default();
        let log_data = out.attribute("LOG_DATA") == Some("YES");
        let (measure, label, method) = match outcome_measure(out, data_type, log_data) {
            Ok(m) => m,
            Err(why) => {
                skipped.push(format!("{cno}.{ono}: {name} ({why})"));
                return None;
            }
        };
        let mut errors = Vec::new();
        let level = ci_level(out).unwrap_or_else(|e| {
            errors.push(format!(
                "{}:{}: comparison {cno}, outcome {ono}: {e}",
                self.file,
                self.line_at(out.range().start)
            ));
            0.95
        });
        let groups = self.groups(out, data_type, (cno, ono), &mut errors);
        let has_subgroups = out.attribute("SUBGROUPS") == Some("YES");
        let subgroup_test = if has_subgroups {
            match (num(out, "Q"), num(out, "P_Q"), num(out, "I2_Q")) {
                (Some(q), Some(p), Some(i)) => Some((q, p, i)),
                _ => None,
            }
        } else {
            None
        };
        Some(RmOutcome {
            error: (!errors.is_empty()).then(|| errors.join("; ")),
            comparison_no: cno,
            comparison_name: cname.to_string(),
            outcome_no: ono,
            name,
            data_type,
            measure,
            measure_label: label,
            log_scale: measure.is_ratio() || (data_type == "IV" && log_data),
            method,
            model: if out.attribute("RANDOM") == Some("YES") {
                Model::Random
            } else {
                Model::Fixed
            },
            level,
            totals: out.attribute("TOTALS").unwrap_or("YES").to_string(),
            has_subgroups,
            total: stored(out),
            subgroup_test,
            groups,
        })
    }
}

/// Parses the bytes of a `.rm5` file (named `file` in messages).
pub fn read_rm5(bytes: &[u8], file: &str) -> Result<RmReview, RevmanError> {
    let text = decode(bytes);
    let doc = parse_rm5(&text, file)?;
    let root = doc.root_element();
    if !root.has_tag_name("COCHRANE_REVIEW") {
        return Err(RevmanError::NotReview {
            file: file.into(),
            root: root.tag_name().name().into(),
        });
    }
    let title = root
        .descendants()
        .find(|n| n.has_tag_name("TITLE"))
        .and_then(|n| n.text())
        .unwrap_or("")
        .trim()
        .to_string();
    let names = study_names(root);
    let newlines: Vec<usize> = doc
        .input_text()
        .bytes()
        .enumerate()
        .filter_map(|(i, b)| (b == b'\n').then_some(i))
        .collect();
    let rm5 = Rm5 {
        newlines: &newlines,
        names: &names,
        file,
    };
    let mut outcomes = Vec::new();
    let mut skipped = Vec::new();
    for cmp in root.descendants().filter(|n| n.has_tag_name("COMPARISON")) {
        let cno: u32 = cmp
            .attribute("NO")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let cname = child_text(cmp, "NAME").unwrap_or_default();
        for out in cmp.children().filter(|n| n.is_element()) {
            outcomes.extend(rm5.outcome(out, (cno, &cname), &mut skipped));
        }
    }
    Ok(RmReview {
        title,
        outcomes,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_byte_order_marks_are_decoded() {
        let text = "<?xml version=\"1.0\"?>\n<COCHRANE_REVIEW>é</COCHRANE_REVIEW>";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        let bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
        for bytes in [le, be, bom] {
            assert_eq!(decode(&bytes), text);
        }
    }

    #[test]
    fn line_at_counts_lines_as_roxmltree_does() {
        let text = "<?xml version=\"1.0\"?>\r\n<A>\n\n  <B/>\n<C>x\ny</C></A>\n";
        let doc = roxmltree::Document::parse(text).unwrap();
        let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        let names = StudyNames::default();
        let rm5 = Rm5 {
            newlines: &newlines,
            names: &names,
            file: "x.rm5",
        };
        for pos in 0..=text.len() {
            assert_eq!(rm5.line_at(pos), doc.text_pos_at(pos).row, "at byte {pos}");
        }
    }
}
