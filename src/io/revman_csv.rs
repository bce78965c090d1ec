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

/// The columns of a pooled result (overall or of a subgroup) in the CSV export.
const STORED_COLUMNS: [&str; 9] = [
    "Effect Estimate",
    "CI Start",
    "CI End",
    "Q",
    "df",
    "I²(Q)",
    "Tau²",
    "Z",
    "P(Z)",
];

/// One record of the CSV export, its cells found by column name.
struct CsvRow<'a> {
    header: &'a [String],
    rec: &'a csv::StringRecord,
}

impl CsvRow<'_> {
    /// The trimmed cell of a column, empty when the column or the cell is missing.
    fn cell(&self, name: &str) -> String {
        self.header
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.rec.get(i))
            .unwrap_or("")
            .trim()
            .to_string()
    }

    /// The value of a cell and its printed precision.
    fn get(&self, name: &str) -> Option<(f64, f64)> {
        printed(&self.cell(name))
    }
}

/// The trimmed header of the CSV export, checked for the columns that identify one.
fn csv_header(
    rdr: &mut csv::Reader<&[u8]>,
    err: &dyn Fn(String) -> RevmanError,
) -> Result<Vec<String>, RevmanError> {
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| err(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for needed in [
        "Comparison Number",
        "Outcome Number",
        "Subgroup Number",
        "Name",
    ] {
        if !header.iter().any(|h| h == needed) {
            return Err(err(format!(
                "not a RevMan 5 CSV export: column '{needed}' is missing"
            )));
        }
    }
    Ok(header)
}

/// The outcome a row opens: its settings and stored totals. An outcome of an unsupported data
/// type is marked `SKIP` and named in `skipped`.
fn csv_outcome(
    row: &CsvRow,
    (cno, ono): (u32, u32),
    cmp_name: &str,
    skipped: &mut Vec<String>,
) -> RmOutcome {
    let cell = |n: &str| row.cell(n);
    let get = |n: &str| row.get(n);
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
    RmOutcome {
        comparison_no: cno,
        comparison_name: cmp_name.to_string(),
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
        // The CSV export has no column of the confidence level; RevMan's default.
        level: 0.95,
        totals: if cell("Totals").is_empty() {
            "YES".into()
        } else {
            cell("Totals").to_ascii_uppercase()
        },
        has_subgroups: false,
        total: stored_from(&get, STORED_COLUMNS),
        subgroup_test: match (get("Qint"), get("P(Qint)"), get("I²(Qint)")) {
            (Some(q), Some(p), Some(i)) => Some((q.0, p.0, i.0)),
            _ => None,
        },
        groups: vec![],
        error: None,
    }
}

/// Adds a row of an outcome to it: a subgroup's totals, or a study (into the current group,
/// opening one without a number where needed). A study whose numbers cannot be read becomes
/// the outcome's error, with the file and line.
fn csv_outcome_row(out: &mut RmOutcome, row: &CsvRow, sgno: u32, (file, line): (&str, u64)) {
    let cell = |n: &str| row.cell(n);
    let is_study = !cell("Total 1").is_empty() && !cell("Total 2").is_empty();
    if sgno > 0 && !is_study {
        out.has_subgroups = true;
        out.groups.push(RmGroup {
            no: Some(sgno),
            name: Some(cell("Name")),
            studies: vec![],
            stored: stored_from(&|n| row.get(n), STORED_COLUMNS),
        });
        return;
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

/// Reads a RevMan 5 CSV export (the text of the file, named `file` in messages).
///
/// A row with a new comparison number (or outcome number 0) names a comparison; a row with a
/// new outcome number opens an outcome (`csv_outcome`); the rows after it are its subgroups
/// and studies (`csv_outcome_row`).
pub fn read_revman_csv(text: &str, file: &str) -> Result<RmReview, RevmanError> {
    let mut rdr = reader(text);
    let err = |message: String| RevmanError::Xml {
        file: file.into(),
        message,
    };
    let header = csv_header(&mut rdr, &err)?;
    let mut outcomes: Vec<RmOutcome> = Vec::new();
    let mut skipped = Vec::new();
    let mut title = String::new();
    let (mut last_cmp, mut cmp_name) = (String::new(), String::new());
    for rec in rdr.records() {
        let rec = rec.map_err(|e| err(e.to_string()))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let row = CsvRow {
            header: &header,
            rec: &rec,
        };
        let (c, o, sg) = (
            row.cell("Comparison Number"),
            row.cell("Outcome Number"),
            row.cell("Subgroup Number"),
        );
        if c != last_cmp || o == "0" {
            last_cmp = c.clone();
            cmp_name = row.cell("Name");
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
            outcomes.push(csv_outcome(&row, (cno, ono), &cmp_name, &mut skipped));
            continue;
        }
        let out = outcomes.last_mut().expect("an outcome");
        if out.data_type == "SKIP" {
            continue;
        }
        csv_outcome_row(out, &row, sg.parse().unwrap_or(0), (file, line));
    }
    outcomes.retain(|o| o.data_type != "SKIP");
    Ok(RmReview {
        title,
        outcomes,
        skipped,
    })
}

/// The columns of a pooled result (overall or of a subgroup) in a data package.
const PACKAGE_STORED_COLUMNS: [&str; 9] = [
    "Mean",
    "CI start",
    "CI end",
    "Heterogeneity Chi²",
    "Heterogeneity df",
    "Heterogeneity I²",
    "Heterogeneity Tau²",
    "Effect Z",
    "Effect P",
];

/// One CSV file of a data package: its trimmed header and its records.
struct PackageTable {
    header: Vec<String>,
    records: Vec<csv::StringRecord>,
}

impl PackageTable {
    /// Reads and parses the file at `path`.
    fn read(
        path: &std::path::Path,
        err: &dyn Fn(String) -> RevmanError,
    ) -> Result<PackageTable, RevmanError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| err(format!("{}: {e}", path.display())))?;
        let mut r = reader(&text);
        let header = r
            .headers()
            .map_err(|e| err(e.to_string()))?
            .iter()
            .map(|s| s.trim().to_string())
            .collect();
        let records = r
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err(e.to_string()))?;
        Ok(PackageTable { header, records })
    }

    /// The trimmed cell of a record in a column, empty when either is missing.
    fn at(&self, r: &csv::StringRecord, name: &str) -> String {
        self.header
            .iter()
            .position(|x| x == name)
            .and_then(|i| r.get(i))
            .unwrap_or("")
            .trim()
            .to_string()
    }

    /// The records of analysis `cno.ono`.
    fn of_analysis(&self, (cno, ono): (u32, u32)) -> impl Iterator<Item = &csv::StringRecord> {
        self.records.iter().filter(move |r| {
            self.at(r, "Analysis group") == cno.to_string()
                && self.at(r, "Analysis number") == ono.to_string()
        })
    }
}

/// The first file under `dir` (searched depth first) whose name ends with `suffix`.
fn find_in(dir: &std::path::Path, suffix: &str) -> Option<std::path::PathBuf> {
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
}

/// The outcome of one row of the overall-estimates file, without its studies; `None` (and
/// its name in `skipped`) for an unsupported data type.
fn package_outcome(
    t: &PackageTable,
    r: &csv::StringRecord,
    skipped: &mut Vec<String>,
) -> Option<RmOutcome> {
    let at = |n: &str| t.at(r, n);
    let get = |n: &str| printed(&at(n));
    let (cno, ono): (u32, u32) = (
        at("Analysis group").parse().unwrap_or(0),
        at("Analysis number").parse().unwrap_or(0),
    );
    let name = at("Analysis name");
    let dtype = at("Data type");
    let data_type = match dtype.as_str() {
        "Dichotomous" => "DICH",
        "Continuous" => "CONT",
        "Contrast level" => "IV",
        _ => {
            skipped.push(format!(
                "{cno}.{ono}: {name} (data type {dtype:?} not supported)"
            ));
            return None;
        }
    };
    let log = at("Log-scale data") == "true";
    let (measure, forced) = measure_of(&at("Effect measure"), log && data_type == "IV");
    Some(RmOutcome {
        comparison_no: cno,
        comparison_name: at("Analysis group name"),
        outcome_no: ono,
        name: name.clone(),
        data_type,
        measure,
        measure_label: at("Effect measure"),
        log_scale: measure.is_ratio(),
        method: forced.unwrap_or_else(|| method_of(&at("Statistical method"))),
        // Data packages name no confidence level; RevMan's default.
        level: 0.95,
        model: if at("Analysis model")
            .to_ascii_lowercase()
            .starts_with("random")
        {
            Model::Random
        } else {
            Model::Fixed
        },
        totals: if at("Overall estimates") == "false" {
            "NO".into()
        } else {
            "YES".into()
        },
        has_subgroups: false,
        total: stored_from(&get, PACKAGE_STORED_COLUMNS),
        subgroup_test: match (get("Subgroup Chi²"), get("Subgroup P"), get("Subgroup I²")) {
            (Some(q), Some(p), Some(i)) => Some((q.0, p.0, i.0)),
            _ => None,
        },
        groups: vec![],
        error: None,
    })
}

/// The studies of an outcome from the data-rows file (`path` in messages), by subgroup name
/// in order of first appearance ("" without subgroups). A study whose numbers cannot be read
/// becomes the outcome's error.
fn package_studies(
    out: &mut RmOutcome,
    rows: &PackageTable,
    path: &std::path::Path,
) -> Vec<(String, Vec<Study>)> {
    let (cno, ono) = (out.comparison_no, out.outcome_no);
    let (kind, columns): (RowKind, &[&str]) = match out.data_type {
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
    let mut groups: Vec<(String, Vec<Study>)> = Vec::new();
    for dr in rows.of_analysis((cno, ono)) {
        let study = rows.at(dr, "Study");
        let data = match study_data(kind, columns, &|n| data_number(&rows.at(dr, n))) {
            Ok(d) => d,
            Err(e) => {
                let line = dr.position().map(|p| p.line()).unwrap_or(0);
                let e = format!(
                    "{}:{line}: analysis {cno}.{ono}, study {study}: {e}",
                    path.display()
                );
                out.error = Some(out.error.take().map(|x| format!("{x}; {e}")).unwrap_or(e));
                continue;
            }
        };
        let mut s = Study::new(study, data);
        s.year = rows.at(dr, "Study year").parse().ok();
        let sg = rows.at(dr, "Subgroup");
        match groups.iter_mut().find(|(n, _)| *n == sg) {
            Some((_, v)) => v.push(s),
            None => groups.push((sg, vec![s])),
        }
    }
    groups
}

/// The stored results of an outcome's subgroups, by subgroup name: number and results.
fn package_subgroups(
    subs: Option<&PackageTable>,
    analysis: (u32, u32),
) -> HashMap<String, (u32, Stored)> {
    let mut stored = HashMap::new();
    let Some(t) = subs else {
        return stored;
    };
    for sr in t.of_analysis(analysis) {
        let get = |n: &str| printed(&t.at(sr, n));
        stored.insert(
            t.at(sr, "Subgroup"),
            (
                t.at(sr, "Subgroup number").parse().unwrap_or(0),
                stored_from(&get, PACKAGE_STORED_COLUMNS),
            ),
        );
    }
    stored
}

/// Reads a RevMan Web data package (version 1): the folder that holds
/// `<ID>-analysis-data/` (or that folder itself).
///
/// Each row of `*-overall-estimates-and-settings.csv` is an outcome (`package_outcome`);
/// its studies are the rows of `*-data-rows.csv` with its analysis numbers
/// (`package_studies`), grouped by subgroup with the stored results of
/// `*-subgroup-estimates.csv` (`package_subgroups`).
pub fn read_data_package(dir: &std::path::Path) -> Result<RmReview, RevmanError> {
    let file = dir.display().to_string();
    let err = |message: String| RevmanError::Xml {
        file: file.clone(),
        message,
    };
    let overall = find_in(dir, "-overall-estimates-and-settings.csv").ok_or_else(|| {
        err(
            "no *-overall-estimates-and-settings.csv: not a RevMan Web data package (version 1)"
                .into(),
        )
    })?;
    let rows_path = find_in(dir, "-data-rows.csv")
        .ok_or_else(|| err("no *-data-rows.csv in the data package".into()))?;
    let subs = find_in(dir, "-subgroup-estimates.csv");
    let overall = PackageTable::read(&overall, &err)?;
    let rows = PackageTable::read(&rows_path, &err)?;
    let subs = match &subs {
        Some(p) => Some(PackageTable::read(p, &err)?),
        None => None,
    };
    let mut outcomes = Vec::new();
    let mut skipped = Vec::new();
    for r in &overall.records {
        let Some(mut out) = package_outcome(&overall, r, &mut skipped) else {
            continue;
        };
        let groups = package_studies(&mut out, &rows, &rows_path);
        let mut sub_stored = package_subgroups(subs.as_ref(), (out.comparison_no, out.outcome_no));
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
