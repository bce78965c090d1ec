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

/// The header of a claims file, in lower case, checked for duplicate and missing columns.
fn claims_header(rdr: &mut csv::Reader<&[u8]>, file: &str) -> Result<Vec<String>, ReadError> {
    let raw_header = rdr
        .headers()
        .map_err(|e| ReadError::Csv {
            pos: Position {
                file: file.to_string(),
                line: 1,
                column: None,
            },
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
    let required = ["id", "measure", "estimate", "ci_low", "ci_high"];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
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
    Ok(header)
}

/// One row of a claims file, its cells found by column name.
struct ClaimRow<'a> {
    rec: &'a csv::StringRecord,
    header: &'a [String],
    file: &'a str,
    line: u64,
}

impl ClaimRow<'_> {
    /// The column of a name.
    fn find(&self, n: &str) -> Option<usize> {
        self.header.iter().position(|h| h == n)
    }

    /// The column of a required name (checked with the header).
    fn col(&self, n: &str) -> usize {
        self.find(n).expect("checked")
    }

    /// The cell of a column.
    fn cell(&self, c: usize) -> String {
        self.rec.get(c).unwrap_or("").to_string()
    }

    /// The cell of a column, if the file has it.
    fn opt(&self, n: &str) -> Option<String> {
        self.find(n).map(|c| self.cell(c)).filter(|s| !s.is_empty())
    }

    /// The column of a name, if the file has it and its cell is not empty.
    fn filled(&self, n: &str) -> Option<usize> {
        self.find(n).filter(|&c| !self.cell(c).is_empty())
    }

    /// The error of a cell.
    fn invalid(&self, c: usize, problem: &str, expected: &str) -> ReadError {
        ReadError::Invalid {
            pos: Position {
                file: self.file.to_string(),
                line: self.line,
                column: Some((c + 1, self.header[c].clone())),
            },
            value: self.cell(c),
            problem: problem.into(),
            expected: expected.into(),
        }
    }

    /// A required number, as printed.
    fn number(&self, n: &str) -> Result<Reported, ReadError> {
        let c = self.col(n);
        Reported::parse(&self.cell(c)).ok_or_else(|| {
            self.invalid(
                c,
                if self.cell(c).is_empty() {
                    "empty cell"
                } else {
                    "not a number"
                },
                "a number as printed, e.g. -5,3 or 1.23",
            )
        })
    }

    /// The confidence level, 0.95 when not given (written as 95, 95% or 0.95).
    fn level(&self) -> Result<f64, ReadError> {
        let Some(c) = self.filled("level") else {
            return Ok(0.95);
        };
        let v = Reported::parse(self.cell(c).trim_end_matches('%')).map(|r| r.value);
        match v {
            Some(x) if x > 1.0 && x < 100.0 => Ok(x / 100.0),
            Some(x) if x > 0.0 && x < 1.0 => Ok(x),
            _ => Err(self.invalid(c, "not a confidence level", "e.g. 95 or 0.95")),
        }
    }

    /// The p-value, the degrees of freedom and the threshold, where given.
    #[allow(clippy::type_complexity)]
    fn p_df_threshold(&self) -> Result<(Option<ReportedP>, Option<f64>, Option<f64>), ReadError> {
        let p = match self.filled("p") {
            Some(c) => Some(ReportedP::parse(&self.cell(c)).ok_or_else(|| {
                self.invalid(c, "not a p-value", "e.g. 0.01, <0.001, 0,04 or p<0.00001")
            })?),
            None => None,
        };
        let df = match self.filled("df") {
            Some(c) => Some(
                Reported::parse(&self.cell(c))
                    .map(|r| r.value)
                    .filter(|&x| x > 0.0)
                    .ok_or_else(|| {
                        self.invalid(c, "not a number of degrees of freedom", "a number above 0")
                    })?,
            ),
            None => None,
        };
        let threshold =
            match self.filled("threshold") {
                Some(c) => Some(Reported::parse(&self.cell(c)).map(|r| r.value).ok_or_else(
                    || {
                        self.invalid(
                            c,
                            "not a number",
                            "the minimal important difference, e.g. -10 or 1.25",
                        )
                    },
                )?),
                None => None,
            };
        Ok((p, df, threshold))
    }

    /// The verdict, where given.
    fn verdict(&self) -> Result<Option<bool>, ReadError> {
        let Some(c) = self.filled("verdict") else {
            return Ok(None);
        };
        match self.cell(c).to_lowercase().as_str() {
            "yes" | "ja" | "oui" | "y" | "true" | "1" => Ok(Some(true)),
            "no" | "nee" | "non" | "n" | "false" | "0" => Ok(Some(false)),
            _ => Err(self.invalid(c, "not a verdict", "yes/no, ja/nee or oui/non")),
        }
    }

    /// The claim of the row.
    fn claim(&self, id: &str) -> Result<Claim, ReadError> {
        let mc = self.col("measure");
        let measure = ClaimMeasure::parse(&self.cell(mc))
            .ok_or_else(|| self.invalid(mc, "unknown measure", "MD, SMD, RD, RR, OR or HR"))?;
        let (estimate, ci_low, ci_high) = (
            self.number("estimate")?,
            self.number("ci_low")?,
            self.number("ci_high")?,
        );
        let level = self.level()?;
        let (p, df, threshold) = self.p_df_threshold()?;
        let verdict = self.verdict()?;
        if measure.is_ratio() && threshold.is_some_and(|t| t <= 0.0) {
            return Err(self.invalid(
                self.col("threshold"),
                "a ratio threshold must be positive",
                "a ratio such as 1.25 or 0.8",
            ));
        }
        Ok(Claim {
            id: id.to_string(),
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
    }

    /// The original paper's numbers: each given one must be readable (else the row is an
    /// error, unless it already is one), and the check needs all three (else the missing ones
    /// are named, unless none is given).
    #[allow(clippy::type_complexity)]
    fn original(
        &self,
        claim: &mut Result<Claim, ReadError>,
    ) -> (Option<(Reported, Reported, Reported)>, Vec<&'static str>) {
        let mut given = Vec::new();
        let mut original_missing = Vec::new();
        for n in ORIGINAL {
            match self.filled(n) {
                None => original_missing.push(n),
                Some(c) => match Reported::parse(&self.cell(c)) {
                    Some(r) => given.push(r),
                    None if claim.is_ok() => {
                        *claim = Err(self.invalid(
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
        (original, original_missing)
    }
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
    let header = claims_header(&mut rdr, file)?;
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ReadError::Csv {
            pos: Position {
                file: file.to_string(),
                line: e.position().map(|p| p.line()).unwrap_or(0),
                column: None,
            },
            message: e.to_string(),
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        let row = ClaimRow {
            rec: &rec,
            header: &header,
            file,
            line,
        };
        let id = row.opt("id").unwrap_or_else(|| format!("line {line}"));
        let mut claim = row.claim(&id);
        let (original, original_missing) = row.original(&mut claim);
        let fields = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), row.cell(i)))
            .collect();
        out.push(ClaimRecord {
            line,
            id,
            claim,
            source: row.opt("source"),
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
