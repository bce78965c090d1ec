//! Reading the RevMan 5 CSV export and RevMan Web data packages (version 1) into the same
//! review structure as `.rm5` files. Their stored results are rounded (8 and about 6
//! decimals), so they are compared at the printed precision of each value.
//!
//! Traps: in the CSV export `Q`/`P(Q)`/`I²(Q)` are heterogeneity and `Qint`/`P(Qint)`/
//! `I²(Qint)` the test for subgroup differences; row kinds follow from position, not from
//! a column; numbers can carry thousands separators; data packages write `#N/A` for missing
//! values and 0 everywhere for analyses with nothing computed; both start with a BOM.

use std::collections::HashMap;

use super::number::{read_number, NumberProblem};
use super::revman::{row_problem, RevmanError, RmGroup, RmOutcome, RmReview, RowKind, Stored};
use crate::effect::{Measure, StudyData};
use crate::pool::{CommonMethod, Model};
use crate::Study;

/// An input number of a data row: the number, or why the text is not one.
fn data_number(s: &str) -> Result<f64, String> {
    let t = s.trim().replace(',', "");
    read_number(&t, false).map_err(|why| match why {
        NumberProblem::Empty => "is empty".to_string(),
        NumberProblem::NotANumber => format!("is not a number: {s:?}"),
        _ => format!("is a {}: {s:?}", why.problem()),
    })
}

/// The data of a study row from its `columns` (in the order of `kind`), read by `get`: an
/// error names the column and its value, also for impossible values (a negative count, SD
/// or SE, more events than participants), which RevMan does not accept.
fn study_data(
    kind: RowKind,
    columns: &[&str],
    get: &dyn Fn(&str) -> Result<f64, String>,
) -> Result<StudyData, String> {
    let mut v = Vec::with_capacity(columns.len());
    for &c in columns {
        v.push((c, get(c).map_err(|e| format!("column '{c}' {e}"))?));
    }
    if let Some(p) = row_problem(kind, &v, &|c, x| format!("column '{c}' ({x})")) {
        return Err(p);
    }
    let x: Vec<f64> = v.iter().map(|p| p.1).collect();
    Ok(kind.data(&x))
}

/// A number as printed and half a unit of its last digit.
fn printed(s: &str) -> Option<(f64, f64)> {
    let t = s.trim().replace(',', "");
    if t.is_empty() || t == "#N/A" {
        return None;
    }
    let v: f64 = t.parse().ok().filter(|x: &f64| x.is_finite())?;
    let decimals = t.find('.').map(|i| t.len() - i - 1).unwrap_or(0);
    Some((v, 0.5 * 10f64.powi(-(decimals as i32))))
}

fn measure_of(text: &str, log: bool) -> (Measure, Option<CommonMethod>) {
    match text.trim().to_ascii_lowercase().as_str() {
        "or" | "odds ratio" => (Measure::LogOddsRatio, None),
        "peto_or" | "peto odds ratio" => (Measure::LogOddsRatio, Some(CommonMethod::Peto)),
        "rr" | "risk ratio" => (Measure::LogRiskRatio, None),
        "rd" | "risk difference" => (Measure::RiskDifference, None),
        "md" | "mean difference" => (Measure::MeanDifference, None),
        "smd"
        | "std. mean difference"
        | "standardized mean difference"
        | "standardised mean difference" => (Measure::StandardizedMeanDifference, None),
        "hr" | "hazard ratio" => (Measure::LogHazardRatio, None),
        _ if log => (Measure::LogHazardRatio, None),
        _ => (Measure::Generic, None),
    }
}

fn method_of(s: &str) -> CommonMethod {
    match s.trim().to_ascii_uppercase().as_str() {
        "MH" => CommonMethod::MH,
        "PETO" | "EXP_O_E_VAR" => CommonMethod::Peto,
        _ => CommonMethod::IV,
    }
}

fn stored_from(get: &dyn Fn(&str) -> Option<(f64, f64)>, keys: [&str; 9]) -> Stored {
    let v = |k: &str| get(k);
    let (est, lo, hi, q, df, i2, tau2, z, p) = (
        v(keys[0]),
        v(keys[1]),
        v(keys[2]),
        v(keys[3]),
        v(keys[4]),
        v(keys[5]),
        v(keys[6]),
        v(keys[7]),
        v(keys[8]),
    );
    // Nothing computed: RevMan writes 0 for the estimate and both limits.
    let nothing = matches!(
        (est, lo, hi),
        (Some((0.0, _)), Some((0.0, _)), Some((0.0, _)))
    );
    let h = |x: Option<(f64, f64)>| x.map(|x| x.1).unwrap_or(0.0);
    Stored {
        estimate: if nothing { None } else { est.map(|x| x.0) },
        ci_low: lo.map(|x| x.0),
        ci_high: hi.map(|x| x.0),
        q: q.map(|x| x.0),
        df: df.map(|x| x.0),
        i2: i2.map(|x| x.0),
        tau2: tau2.map(|x| x.0),
        z: z.map(|x| x.0),
        p_value: p.map(|x| x.0),
        not_estimable: nothing,
        half_units: Some([h(est), h(lo), h(hi), h(q), h(i2), h(tau2), h(z), h(p)]),
    }
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
}

/// Reads a RevMan 5 CSV export (the text of the file, named `file` in messages).
pub fn read_revman_csv(text: &str, file: &str) -> Result<RmReview, RevmanError> {
    let mut rdr = reader(text);
    let err = |message: String| RevmanError::Xml {
        file: file.into(),
        message,
    };
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| err(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |n: &str| header.iter().position(|h| h == n);
    for needed in [
        "Comparison Number",
        "Outcome Number",
        "Subgroup Number",
        "Name",
    ] {
        if col(needed).is_none() {
            return Err(err(format!(
                "not a RevMan 5 CSV export: column '{needed}' is missing"
            )));
        }
    }
    let mut outcomes: Vec<RmOutcome> = Vec::new();
    let mut skipped = Vec::new();
    let mut title = String::new();
    let (mut last_cmp, mut cmp_name) = (String::new(), String::new());
    for rec in rdr.records() {
        let rec = rec.map_err(|e| err(e.to_string()))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let cell = |n: &str| {
            col(n)
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let get = |n: &str| printed(&cell(n));
        let (c, o, sg) = (
            cell("Comparison Number"),
            cell("Outcome Number"),
            cell("Subgroup Number"),
        );
        if c != last_cmp || o == "0" {
            last_cmp = c.clone();
            cmp_name = cell("Name");
            if title.is_empty() {
                title = cmp_name.clone();
            }
            continue;
        }
        let ono: u32 = o.parse().unwrap_or(0);
        let cno: u32 = c.parse().unwrap_or(0);
        let new_outcome = outcomes.last().map_or(true, |last| {
            last.comparison_no != cno || last.outcome_no != ono
        });
        if new_outcome {
            let dtype = cell("Data Type");
            let data_type = match dtype.chars().next() {
                Some('D') => "DICH",
                Some('C') => "CONT",
                _ => {
                    skipped.push(format!(
                        "{cno}.{ono}: {} (data type {dtype:?} not supported in CSV exports)",
                        cell("Name")
                    ));
                    "SKIP"
                }
            };
            let (measure, forced) = measure_of(&cell("Effect Measure"), false);
            outcomes.push(RmOutcome {
                comparison_no: cno,
                comparison_name: cmp_name.clone(),
                outcome_no: ono,
                name: cell("Name"),
                data_type,
                measure,
                measure_label: cell("Effect Measure"),
                log_scale: measure.is_ratio(),
                method: forced.unwrap_or_else(|| method_of(&cell("Statistical Method"))),
                model: if cell("Analysis Model").eq_ignore_ascii_case("random") {
                    Model::Random
                } else {
                    Model::Fixed
                },
                totals: if cell("Totals").is_empty() {
                    "YES".into()
                } else {
                    cell("Totals").to_ascii_uppercase()
                },
                has_subgroups: false,
                total: stored_from(
                    &get,
                    [
                        "Effect Estimate",
                        "CI Start",
                        "CI End",
                        "Q",
                        "df",
                        "I²(Q)",
                        "Tau²",
                        "Z",
                        "P(Z)",
                    ],
                ),
                subgroup_test: match (get("Qint"), get("P(Qint)"), get("I²(Qint)")) {
                    (Some(q), Some(p), Some(i)) => Some((q.0, p.0, i.0)),
                    _ => None,
                },
                groups: vec![],
                error: None,
            });
            continue;
        }
        let out = outcomes.last_mut().expect("an outcome");
        if out.data_type == "SKIP" {
            continue;
        }
        let sgno: u32 = sg.parse().unwrap_or(0);
        let is_study = !cell("Total 1").is_empty() && !cell("Total 2").is_empty();
        if sgno > 0 && !is_study {
            out.has_subgroups = true;
            out.groups.push(RmGroup {
                no: Some(sgno),
                name: Some(cell("Name")),
                studies: vec![],
                stored: stored_from(
                    &get,
                    [
                        "Effect Estimate",
                        "CI Start",
                        "CI End",
                        "Q",
                        "df",
                        "I²(Q)",
                        "Tau²",
                        "Z",
                        "P(Z)",
                    ],
                ),
            });
            continue;
        }
        let (kind, columns): (RowKind, &[&str]) = match out.data_type {
            "DICH" => (
                RowKind::Dich,
                &["Events 1", "Total 1", "Events 2", "Total 2"],
            ),
            _ => (
                RowKind::Cont,
                &["Mean 1", "SD 1", "Total 1", "Mean 2", "SD 2", "Total 2"],
            ),
        };
        let data = study_data(kind, columns, &|n| data_number(&cell(n)))
            .map_err(|e| format!("{file}:{line}: study '{}': {e}", cell("Name")));
        match data {
            Ok(d) => {
                let mut s = Study::new(cell("Name"), d);
                s.year = cell("Year of study").parse().ok();
                if out.groups.is_empty()
                    || (sgno == 0 && out.groups.last().is_some_and(|g| g.no.is_some()))
                {
                    out.groups.push(RmGroup {
                        no: None,
                        name: None,
                        studies: vec![],
                        stored: Stored::default(),
                    });
                }
                out.groups.last_mut().expect("a group").studies.push(s);
            }
            Err(e) => {
                out.error = Some(out.error.take().map(|x| format!("{x}; {e}")).unwrap_or(e));
            }
        }
    }
    outcomes.retain(|o| o.data_type != "SKIP");
    Ok(RmReview {
        title,
        outcomes,
        skipped,
    })
}

/// Reads a RevMan Web data package (version 1): the folder that holds
/// `<ID>-analysis-data/` (or that folder itself).
pub fn read_data_package(dir: &std::path::Path) -> Result<RmReview, RevmanError> {
    let file = dir.display().to_string();
    let err = |message: String| RevmanError::Xml {
        file: file.clone(),
        message,
    };
    let find = |suffix: &str| -> Option<std::path::PathBuf> {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).ok()?.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(suffix))
                {
                    return Some(p);
                }
            }
        }
        None
    };
    let overall = find("-overall-estimates-and-settings.csv").ok_or_else(|| {
        err(
            "no *-overall-estimates-and-settings.csv: not a RevMan Web data package (version 1)"
                .into(),
        )
    })?;
    let rows = find("-data-rows.csv")
        .ok_or_else(|| err("no *-data-rows.csv in the data package".into()))?;
    let subs = find("-subgroup-estimates.csv");
    let read = |p: &std::path::Path| {
        std::fs::read_to_string(p).map_err(|e| err(format!("{}: {e}", p.display())))
    };
    let table = |text: &str| -> Result<(Vec<String>, Vec<csv::StringRecord>), RevmanError> {
        let mut r = reader(text);
        let h = r
            .headers()
            .map_err(|e| err(e.to_string()))?
            .iter()
            .map(|s| s.trim().to_string())
            .collect();
        let recs = r
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err(e.to_string()))?;
        Ok((h, recs))
    };
    let (oh, orecs) = table(&read(&overall)?)?;
    let (rh, rrecs) = table(&read(&rows)?)?;
    let sub_table = match &subs {
        Some(p) => Some(table(&read(p)?)?),
        None => None,
    };
    let at = |h: &[String], r: &csv::StringRecord, n: &str| {
        h.iter()
            .position(|x| x == n)
            .and_then(|i| r.get(i))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut outcomes = Vec::new();
    let mut skipped = Vec::new();
    for r in &orecs {
        let get = |n: &str| printed(&at(&oh, r, n));
        let (cno, ono): (u32, u32) = (
            at(&oh, r, "Analysis group").parse().unwrap_or(0),
            at(&oh, r, "Analysis number").parse().unwrap_or(0),
        );
        let name = at(&oh, r, "Analysis name");
        let dtype = at(&oh, r, "Data type");
        let data_type = match dtype.as_str() {
            "Dichotomous" => "DICH",
            "Continuous" => "CONT",
            "Contrast level" => "IV",
            _ => {
                skipped.push(format!(
                    "{cno}.{ono}: {name} (data type {dtype:?} not supported)"
                ));
                continue;
            }
        };
        let log = at(&oh, r, "Log-scale data") == "true";
        let (measure, forced) = measure_of(&at(&oh, r, "Effect measure"), log && data_type == "IV");
        let mut out = RmOutcome {
            comparison_no: cno,
            comparison_name: at(&oh, r, "Analysis group name"),
            outcome_no: ono,
            name: name.clone(),
            data_type,
            measure,
            measure_label: at(&oh, r, "Effect measure"),
            log_scale: measure.is_ratio(),
            method: forced.unwrap_or_else(|| method_of(&at(&oh, r, "Statistical method"))),
            model: if at(&oh, r, "Analysis model")
                .to_ascii_lowercase()
                .starts_with("random")
            {
                Model::Random
            } else {
                Model::Fixed
            },
            totals: if at(&oh, r, "Overall estimates") == "false" {
                "NO".into()
            } else {
                "YES".into()
            },
            has_subgroups: false,
            total: stored_from(
                &get,
                [
                    "Mean",
                    "CI start",
                    "CI end",
                    "Heterogeneity Chi²",
                    "Heterogeneity df",
                    "Heterogeneity I²",
                    "Heterogeneity Tau²",
                    "Effect Z",
                    "Effect P",
                ],
            ),
            subgroup_test: match (get("Subgroup Chi²"), get("Subgroup P"), get("Subgroup I²")) {
                (Some(q), Some(p), Some(i)) => Some((q.0, p.0, i.0)),
                _ => None,
            },
            groups: vec![],
            error: None,
        };
        let mut groups: Vec<(String, Vec<Study>)> = Vec::new();
        for dr in rrecs.iter().filter(|dr| {
            at(&rh, dr, "Analysis group") == cno.to_string()
                && at(&rh, dr, "Analysis number") == ono.to_string()
        }) {
            let study = at(&rh, dr, "Study");
            let (kind, columns): (RowKind, &[&str]) = match data_type {
                "DICH" => (
                    RowKind::Dich,
                    &[
                        "Experimental cases",
                        "Experimental N",
                        "Control cases",
                        "Control N",
                    ],
                ),
                "CONT" => (
                    RowKind::Cont,
                    &[
                        "Experimental mean",
                        "Experimental SD",
                        "Experimental N",
                        "Control mean",
                        "Control SD",
                        "Control N",
                    ],
                ),
                _ => (RowKind::Iv, &["GIV Mean", "GIV SE"]),
            };
            let data = match study_data(kind, columns, &|n| data_number(&at(&rh, dr, n))) {
                Ok(d) => d,
                Err(e) => {
                    let line = dr.position().map(|p| p.line()).unwrap_or(0);
                    let e = format!(
                        "{}:{line}: analysis {cno}.{ono}, study {study}: {e}",
                        rows.display()
                    );
                    out.error = Some(out.error.take().map(|x| format!("{x}; {e}")).unwrap_or(e));
                    continue;
                }
            };
            let mut s = Study::new(study, data);
            s.year = at(&rh, dr, "Study year").parse().ok();
            let sg = at(&rh, dr, "Subgroup");
            match groups.iter_mut().find(|(n, _)| *n == sg) {
                Some((_, v)) => v.push(s),
                None => groups.push((sg, vec![s])),
            }
        }
        let mut sub_stored: HashMap<String, (u32, Stored)> = HashMap::new();
        if let Some((sh, srecs)) = &sub_table {
            for sr in srecs.iter().filter(|sr| {
                at(sh, sr, "Analysis group") == cno.to_string()
                    && at(sh, sr, "Analysis number") == ono.to_string()
            }) {
                let get = |n: &str| printed(&at(sh, sr, n));
                sub_stored.insert(
                    at(sh, sr, "Subgroup"),
                    (
                        at(sh, sr, "Subgroup number").parse().unwrap_or(0),
                        stored_from(
                            &get,
                            [
                                "Mean",
                                "CI start",
                                "CI end",
                                "Heterogeneity Chi²",
                                "Heterogeneity df",
                                "Heterogeneity I²",
                                "Heterogeneity Tau²",
                                "Effect Z",
                                "Effect P",
                            ],
                        ),
                    ),
                );
            }
        }
        out.has_subgroups = groups.iter().any(|(n, _)| !n.is_empty());
        out.groups = groups
            .into_iter()
            .map(|(n, studies)| {
                let (no, stored) = sub_stored
                    .remove(&n)
                    .map(|(no, s)| (Some(no), s))
                    .unwrap_or((None, Stored::default()));
                RmGroup {
                    no: if n.is_empty() { None } else { no },
                    name: (!n.is_empty()).then_some(n),
                    studies,
                    stored,
                }
            })
            .collect();
        outcomes.push(out);
    }
    Ok(RmReview {
        title: file.clone(),
        outcomes,
        skipped,
    })
}
