//! Reading a claims CSV for `repool check`: one reported result per row.
//!
//! Columns (case-insensitive): `id, measure, estimate, ci_low, ci_high` and optional
//! `level` (default 95), `p`, `df`, `threshold`, `verdict` (yes/no/ja/nee/oui/non),
//! `n_studies`, `n_patients`, `source`, and `original_estimate, original_ci_low,
//! original_ci_high` (the value in the original paper, when the claim is a transcription).
//! Numbers are read as printed, with a decimal point or a decimal comma; other columns are
//! kept out of the checks.

use std::io::Read;

use super::read::{duplicate_column, Position, ReadError};
use crate::check::{Claim, ClaimMeasure, Reported, ReportedP};

/// The columns a claims file may have (lower case).
const COLUMNS: [&str; 16] = [
    "id",
    "measure",
    "estimate",
    "ci_low",
    "ci_high",
    "level",
    "p",
    "df",
    "threshold",
    "verdict",
    "n_studies",
    "n_patients",
    "source",
    "original_estimate",
    "original_ci_low",
    "original_ci_high",
];

/// The columns of the original paper's numbers, for the transcription check.
const ORIGINAL: [&str; 3] = ["original_estimate", "original_ci_low", "original_ci_high"];

/// One row of a claims file.
#[derive(Debug)]
pub struct ClaimRecord {
    /// Line in the file.
    pub line: u64,
    /// The `id` cell (or `line N`).
    pub id: String,
    /// The claim, or why the row cannot be read.
    pub claim: Result<Claim, ReadError>,
    /// The `source` cell.
    pub source: Option<String>,
    /// The original paper's estimate and CI, when all three are given.
    pub original: Option<(Reported, Reported, Reported)>,
    /// The `original_*` columns left empty while others of them are given: the
    /// transcription check needs all three and is not done (a note, not silence).
    pub original_missing: Vec<&'static str>,
    /// Every cell of the row by column name (for reports).
    pub fields: Vec<(String, String)>,
}

/// Reads every row of a claims CSV; a bad row becomes an `Err` claim with its position,
/// a bad file (no header, missing columns, malformed CSV) an `Err` of the whole call.
pub fn read_claims<R: Read>(input: R, file: &str) -> Result<Vec<ClaimRecord>, ReadError> {
    let mut buf = String::new();
    let mut input = input;
    input
        .read_to_string(&mut buf)
        .map_err(|source| ReadError::Io {
            file: file.to_string(),
            source,
        })?;
    let first = buf.lines().next().unwrap_or("");
    if first.trim().is_empty() {
        return Err(ReadError::Empty { file: file.into() });
    }
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(buf.as_bytes());
    let pos = |line: u64, column: Option<(usize, String)>| Position {
        file: file.to_string(),
        line,
        column,
    };
    let raw_header = rdr
        .headers()
        .map_err(|e| ReadError::Csv {
            pos: pos(1, None),
            message: e.to_string(),
        })?
        .clone();
    if let Some((first, second)) = duplicate_column(raw_header.iter(), &COLUMNS) {
        return Err(ReadError::DuplicateColumn {
            file: file.into(),
            first,
            second,
        });
    }
    let header: Vec<String> = raw_header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let find = |n: &str| header.iter().position(|h| h == n);
    let required = ["id", "measure", "estimate", "ci_low", "ci_high"];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| find(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(ReadError::Schema {
            file: file.into(),
            detail: format!(
                "missing column{} {} for claims (id, measure, estimate, ci_low, ci_high)",
                if missing.len() == 1 { "" } else { "s" },
                missing
                    .iter()
                    .map(|c| format!("'{c}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            measure: None,
            found: header.join(", "),
        });
    }
    let col = |n: &str| find(n).expect("checked");
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ReadError::Csv {
            pos: pos(e.position().map(|p| p.line()).unwrap_or(0), None),
            message: e.to_string(),
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        let cell = |c: usize| rec.get(c).unwrap_or("").to_string();
        let opt = |n: &str| find(n).map(cell).filter(|s| !s.is_empty());
        let invalid = |c: usize, problem: &str, expected: &str| ReadError::Invalid {
            pos: pos(line, Some((c + 1, header[c].clone()))),
            value: cell(c),
            problem: problem.into(),
            expected: expected.into(),
        };
        let number = |n: &str| -> Result<Reported, ReadError> {
            let c = col(n);
            Reported::parse(&cell(c)).ok_or_else(|| {
                invalid(
                    c,
                    if cell(c).is_empty() {
                        "empty cell"
                    } else {
                        "not a number"
                    },
                    "a number as printed, e.g. -5,3 or 1.23",
                )
            })
        };
        let id = opt("id").unwrap_or_else(|| format!("line {line}"));
        let claim = (|| {
            let mc = col("measure");
            let measure = ClaimMeasure::parse(&cell(mc))
                .ok_or_else(|| invalid(mc, "unknown measure", "MD, SMD, RD, RR, OR or HR"))?;
            let (estimate, ci_low, ci_high) =
                (number("estimate")?, number("ci_low")?, number("ci_high")?);
            let level = match find("level").filter(|&c| !cell(c).is_empty()) {
                Some(c) => {
                    let v = Reported::parse(cell(c).trim_end_matches('%')).map(|r| r.value);
                    match v {
                        Some(x) if x > 1.0 && x < 100.0 => x / 100.0,
                        Some(x) if x > 0.0 && x < 1.0 => x,
                        _ => return Err(invalid(c, "not a confidence level", "e.g. 95 or 0.95")),
                    }
                }
                None => 0.95,
            };
            let p = match find("p").filter(|&c| !cell(c).is_empty()) {
                Some(c) => Some(ReportedP::parse(&cell(c)).ok_or_else(|| {
                    invalid(c, "not a p-value", "e.g. 0.01, <0.001, 0,04 or p<0.00001")
                })?),
                None => None,
            };
            let df = match find("df").filter(|&c| !cell(c).is_empty()) {
                Some(c) => Some(
                    Reported::parse(&cell(c))
                        .map(|r| r.value)
                        .filter(|&x| x > 0.0)
                        .ok_or_else(|| {
                            invalid(c, "not a number of degrees of freedom", "a number above 0")
                        })?,
                ),
                None => None,
            };
            let threshold = match find("threshold").filter(|&c| !cell(c).is_empty()) {
                Some(c) => Some(Reported::parse(&cell(c)).map(|r| r.value).ok_or_else(|| {
                    invalid(
                        c,
                        "not a number",
                        "the minimal important difference, e.g. -10 or 1.25",
                    )
                })?),
                None => None,
            };
            let verdict = match find("verdict").filter(|&c| !cell(c).is_empty()) {
                Some(c) => Some(match cell(c).to_lowercase().as_str() {
                    "yes" | "ja" | "oui" | "y" | "true" | "1" => true,
                    "no" | "nee" | "non" | "n" | "false" | "0" => false,
                    _ => return Err(invalid(c, "not a verdict", "yes/no, ja/nee or oui/non")),
                }),
                None => None,
            };
            if measure.is_ratio() {
                if let Some(t) = threshold.filter(|&t| t <= 0.0) {
                    let c = col("threshold");
                    let _ = t;
                    return Err(invalid(
                        c,
                        "a ratio threshold must be positive",
                        "a ratio such as 1.25 or 0.8",
                    ));
                }
            }
            Ok(Claim {
                id: id.clone(),
                measure,
                estimate,
                ci_low,
                ci_high,
                level,
                p,
                df,
                threshold,
                verdict,
            })
        })();
        // The original paper's numbers: each given one must be readable (else the row is an
        // error), and the check needs all three (else a note says it was not done).
        let mut given = Vec::new();
        let mut original_missing = Vec::new();
        let mut claim = claim;
        for n in ORIGINAL {
            match find(n).filter(|&c| !cell(c).is_empty()) {
                None => original_missing.push(n),
                Some(c) => match Reported::parse(&cell(c)) {
                    Some(r) => given.push(r),
                    None if claim.is_ok() => {
                        claim = Err(invalid(
                            c,
                            "not a number",
                            "the number as printed in the original paper, e.g. -5,3 or 1.23",
                        ))
                    }
                    None => {}
                },
            }
        }
        let original = match given[..] {
            [a, b, c] => Some((a, b, c)),
            _ => None,
        };
        if original_missing.len() == ORIGINAL.len() {
            original_missing.clear();
        }
        let fields = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), cell(i)))
            .collect();
        out.push(ClaimRecord {
            line,
            id,
            claim,
            source: opt("source"),
            original,
            original_missing,
            fields,
        });
    }
    if out.is_empty() {
        return Err(ReadError::NoRows { file: file.into() });
    }
    Ok(out)
}
