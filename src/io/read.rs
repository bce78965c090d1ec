//! Reading studies from CSV: schema detection, delimiter and decimal-comma detection,
//! validation with positions, and streaming by analysis.
//!
//! # Input schema (one row per study; header names case-insensitive)
//! - 2×2 tables: `study, events_t, n_t, events_c, n_c`
//! - means and SDs: `study, mean_t, sd_t, n_t, mean_c, sd_c, n_c`
//! - precomputed: `study, yi, vi` | `study, estimate, se` | `study, estimate, ci_low, ci_high`
//!   (for RR, OR and HR, `estimate` and the CI are on the ratio scale and log-transformed;
//!   `se` is the standard error of the log ratio)
//! - optional: `analysis`, `subgroup`, `year`, `label` (shown instead of `study`), and
//!   `combine`: rows with the same value are treatment arms of one multi-arm trial sharing
//!   one control arm, combined into one study (Cochrane Handbook 23.3.4)
//!
//! Rows of one analysis must be contiguous; the reader streams one analysis at a time, so
//! memory does not grow with the number of analyses.

use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, Read};

use super::number::{read_number, NumberProblem};
use super::records::{Record, RecordError, Records};
use crate::dist;
use crate::effect::{Measure, StudyData};
use crate::Study;

/// How the input is read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// Field delimiter; `None` detects `,`, `;` or tab from the header line.
    pub delimiter: Option<u8>,
    /// Accept decimal commas; `None` accepts them when the delimiter is not a comma.
    pub decimal_comma: Option<bool>,
    /// The measure asked for, if any (needed to interpret arm data and ratio estimates).
    pub measure: Option<Measure>,
    /// Confidence level of `ci_low, ci_high` input, in (0, 1).
    pub input_level: f64,
    /// Further columns to keep with each study (e.g. moderators), in this order.
    pub keep_columns: Vec<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            delimiter: None,
            decimal_comma: None,
            measure: None,
            input_level: 0.95,
            keep_columns: Vec::new(),
        }
    }
}

/// The kind of data the columns describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `events_t, n_t, events_c, n_c`.
    TwoByTwo,
    /// `mean_t, sd_t, n_t, mean_c, sd_c, n_c`.
    MeanSd,
    /// `yi, vi`.
    YiVi,
    /// `estimate, se`.
    EstimateSe,
    /// `estimate, ci_low, ci_high`.
    EstimateCi,
}

impl InputKind {
    fn columns(self) -> &'static [&'static str] {
        match self {
            InputKind::TwoByTwo => &["events_t", "n_t", "events_c", "n_c"],
            InputKind::MeanSd => &["mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c"],
            InputKind::YiVi => &["yi", "vi"],
            InputKind::EstimateSe => &["estimate", "se"],
            InputKind::EstimateCi => &["estimate", "ci_low", "ci_high"],
        }
    }

    /// A description for messages.
    pub fn describe(self) -> &'static str {
        match self {
            InputKind::TwoByTwo => "2x2 tables (events_t, n_t, events_c, n_c)",
            InputKind::MeanSd => "means and SDs (mean_t, sd_t, n_t, mean_c, sd_c, n_c)",
            InputKind::YiVi => "effects and variances (yi, vi)",
            InputKind::EstimateSe => "estimates and standard errors (estimate, se)",
            InputKind::EstimateCi => {
                "estimates and confidence intervals (estimate, ci_low, ci_high)"
            }
        }
    }

    /// For the schemas that need a measure, their short name and the measures they can give,
    /// for messages: `("2x2 tables", "RR, OR or RD")`.
    pub fn measures(self) -> Option<(&'static str, &'static str)> {
        match self {
            InputKind::TwoByTwo => Some(("2x2 tables", "RR, OR or RD")),
            InputKind::MeanSd => Some(("means and SDs", "MD or SMD")),
            _ => None,
        }
    }
}

/// Every schema, in the order the header is matched against them.
const ORDER: [InputKind; 5] = [
    InputKind::TwoByTwo,
    InputKind::MeanSd,
    InputKind::YiVi,
    InputKind::EstimateSe,
    InputKind::EstimateCi,
];

/// Where in the input something is: file, line and (1-based) column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// File name as given (`<stdin>` for standard input).
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column number and column name, when one column is at fault.
    pub column: Option<(usize, String)>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some((no, name)) => write!(f, "{}:{}:{} (column '{}')", self.file, self.line, no, name),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

/// Why input could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// File name.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The input has no header line.
    #[error("{file}: the input is empty (expected a header line and one row per study)")]
    Empty {
        /// File name.
        file: String,
    },
    /// The CSV is malformed (e.g. an unclosed quote, invalid UTF-8).
    #[error("{pos}: malformed CSV: {message}")]
    Csv {
        /// Where.
        pos: Position,
        /// What the CSV parser said.
        message: String,
    },
    /// The header does not describe any known schema.
    #[error("{file}:1: cannot tell what the columns hold: {detail}{}; found columns: {found}", .measure.map(|m| format!(" to compute {m}")).unwrap_or_default())]
    Schema {
        /// File name.
        file: String,
        /// What is missing.
        detail: String,
        /// The measure asked for, whose columns are missing.
        measure: Option<Measure>,
        /// The header as read.
        found: String,
    },
    /// Two columns have the same name but for case or surrounding spaces.
    #[error("{file}:1: columns {} ('{}') and {} ('{}') have the same name (column names are case-insensitive), so which one holds the data cannot be told; rename or remove one", .first.0, .first.1, .second.0, .second.1)]
    DuplicateColumn {
        /// File name.
        file: String,
        /// 1-based number and name as written of the first column.
        first: (usize, String),
        /// The same of the second.
        second: (usize, String),
    },
    /// The measure does not fit the data, or is needed and missing.
    #[error("{file}: {problem}")]
    Measure {
        /// File name.
        file: String,
        /// What is wrong.
        problem: MeasureProblem,
    },
    /// A cell holds a value that is not allowed.
    #[error("{pos}: {problem}: '{value}'; expected {expected}")]
    Invalid {
        /// Where.
        pos: Position,
        /// The value as written.
        value: String,
        /// What is wrong with it.
        problem: String,
        /// What was expected.
        expected: String,
    },
    /// A cell holds a number written with a decimal comma, and decimal commas were not asked for.
    #[error("{pos}: {}: '{value}'; expected a number with a decimal point (decimal commas are read only when asked for)", NumberProblem::NotANumber.problem())]
    DecimalComma {
        /// Where.
        pos: Position,
        /// The value as written.
        value: String,
    },
    /// A row has more fields than the header.
    #[error("{pos}: the row has {found} fields but the header has {expected}")]
    RowLength {
        /// Where.
        pos: Position,
        /// Fields in the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A quoted cell runs over a line end: a closing quote is most likely missing, and the
    /// lines after it were read into that cell.
    #[error("{pos}: a quoted cell runs from line {} to line {last_line}: a closing quote is probably missing, and the lines in between were read as part of this cell (a quote inside a cell is written twice: \"\")", .pos.line)]
    QuoteAcrossLines {
        /// Where the cell starts.
        pos: Position,
        /// The line the cell ends on.
        last_line: u64,
    },
    /// The rows of an analysis are not contiguous.
    #[error("{pos}: rows of analysis '{analysis}' appear again after other analyses; the rows of one analysis must be contiguous (sort the file by the 'analysis' column)")]
    NotContiguous {
        /// Where the analysis appears again.
        pos: Position,
        /// The analysis.
        analysis: String,
    },
    /// Rows marked to be combined cannot be.
    #[error("{pos}: cannot combine the rows with combine = '{key}' (lines {lines}): {detail}")]
    Combine {
        /// Where the group starts.
        pos: Position,
        /// The `combine` value.
        key: String,
        /// Lines of the group.
        lines: String,
        /// Why.
        detail: String,
    },
    /// There are no data rows.
    #[error("{file}: no studies: the input has a header but no data rows")]
    NoRows {
        /// File name.
        file: String,
    },
}

/// What is wrong with the measure asked for, or with the confidence level of the input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MeasureProblem {
    /// The schema needs a measure and none was given.
    #[error("{} need a measure: {}", needs(*.kind).0, needs(*.kind).1)]
    Needed {
        /// The schema of the input.
        kind: InputKind,
    },
    /// The measure cannot be computed from the schema's columns.
    #[error("{measure} cannot be computed from {}", .kind.describe())]
    NotFrom {
        /// The measure asked for.
        measure: Measure,
        /// The schema of the input.
        kind: InputKind,
    },
    /// The confidence level of the input's intervals is not between 0 and 1.
    #[error("the confidence level of the input's intervals must be between 0 and 100 (exclusive), got {level}")]
    InputLevel {
        /// The level, as a fraction.
        level: f64,
    },
}

/// The short name of a schema that needs a measure and the measures it can give.
fn needs(kind: InputKind) -> (&'static str, &'static str) {
    kind.measures().unwrap_or((kind.describe(), "one given"))
}

/// One analysis as read: its name (from the `analysis` column) and its studies, or the
/// first error found in its rows.
#[derive(Debug)]
pub struct Analysis {
    /// The value of the `analysis` column, if the input has one.
    pub name: Option<String>,
    /// Line of the analysis' first row.
    pub line: u64,
    /// The studies, or why they could not be read.
    pub studies: Result<Vec<Study>, ReadError>,
}

struct Columns {
    study: Option<usize>,
    label: Option<usize>,
    analysis: Option<usize>,
    subgroup: Option<usize>,
    year: Option<usize>,
    combine: Option<usize>,
    keep: Vec<usize>,
    data: Vec<usize>,
}

/// Reads analyses one at a time from CSV input.
pub struct AnalysisReader<R: Read> {
    file: String,
    csv: Records<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>,
    header: Vec<String>,
    cols: Columns,
    kind: InputKind,
    measure: Measure,
    decimal_comma: bool,
    z_input: f64,
    record: Record,
    pending: Option<Analysis>,
    /// The `combine` value of each study of the pending analysis.
    pending_keys: Vec<Option<String>>,
    /// Rows of the analysis read last (at most 1,024): the room made for the next one's.
    last_size: usize,
    seen: HashSet<String>,
    done: bool,
    any_rows: bool,
}

/// The first column of `header` (names as written) that a reader looks up under one of
/// `names` (lower case) and that appears twice, with both positions: `n_t` and `N_T`, or
/// `study` twice. Names are compared as the readers compare them: without case, surrounding
/// spaces and a byte-order mark. Columns the reader does not use may repeat.
pub(crate) fn duplicate_column<'a>(
    header: impl IntoIterator<Item = &'a str>,
    names: &[&str],
) -> Option<((usize, String), (usize, String))> {
    let header: Vec<&str> = header.into_iter().collect();
    let key = |h: &str| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
    for (i, a) in header.iter().enumerate() {
        let ka = key(a);
        if !names.contains(&ka.as_str()) {
            continue;
        }
        if let Some(j) = (i + 1..header.len()).find(|&j| key(header[j]) == ka) {
            return Some((
                (i + 1, a.trim().to_string()),
                (j + 1, header[j].trim().to_string()),
            ));
        }
    }
    None
}

/// The delimiter of a header line: tab or `;` when they outnumber commas, else `,`.
pub(crate) fn detect_delimiter(header: &str) -> u8 {
    let count = |c: char| header.chars().filter(|&x| x == c).count();
    let (commas, semis, tabs) = (count(','), count(';'), count('\t'));
    if tabs > commas && tabs > semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

impl<R: Read> AnalysisReader<R> {
    /// Reads the header of `input` (named `file` in messages), detects the delimiter, the
    /// schema and the measure.
    pub fn new(
        mut input: std::io::BufReader<R>,
        file: &str,
        opts: &ReadOptions,
    ) -> Result<AnalysisReader<std::io::BufReader<R>>, ReadError> {
        let io_err = |source| ReadError::Io {
            file: file.to_string(),
            source,
        };
        let mut first = Vec::new();
        input.read_until(b'\n', &mut first).map_err(io_err)?;
        if first.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ReadError::Empty {
                file: file.to_string(),
            });
        }
        let first_text = String::from_utf8_lossy(&first).to_string();
        let delimiter = opts
            .delimiter
            .unwrap_or_else(|| detect_delimiter(&first_text));
        let decimal_comma = opts.decimal_comma.unwrap_or(delimiter != b',');
        let mut csv = Records::new(std::io::Cursor::new(first).chain(input), delimiter);
        let header = read_header(&mut csv, file, opts)?;
        let kind = schema_of(&header, file, opts.measure)?;
        let measure =
            resolve_measure(kind, opts.measure).map_err(|problem| ReadError::Measure {
                file: file.to_string(),
                problem,
            })?;
        if !(opts.input_level > 0.0 && opts.input_level < 1.0) {
            return Err(ReadError::Measure {
                file: file.to_string(),
                problem: MeasureProblem::InputLevel {
                    level: opts.input_level,
                },
            });
        }
        let cols = columns_of(&header, kind, file, &opts.keep_columns)?;
        Ok(AnalysisReader {
            file: file.to_string(),
            csv,
            header,
            cols,
            kind,
            measure,
            decimal_comma,
            z_input: dist::z_crit(opts.input_level),
            record: Record::default(),
            pending: None,
            pending_keys: Vec::new(),
            last_size: 0,
            seen: HashSet::new(),
            done: false,
            any_rows: false,
        })
    }

    /// The schema detected from the header.
    pub fn kind(&self) -> InputKind {
        self.kind
    }

    /// The 1-based column numbers of `ReadOptions::keep_columns`, in their order.
    pub fn kept_column_numbers(&self) -> Vec<usize> {
        self.cols.keep.iter().map(|c| c + 1).collect()
    }

    /// The measure of the analyses (given, or `GEN` for precomputed effects without one).
    pub fn measure(&self) -> Measure {
        self.measure
    }

    /// Whether the input has an `analysis` column.
    pub fn has_analysis_column(&self) -> bool {
        self.cols.analysis.is_some()
    }

    fn pos(&self, line: u64, col: Option<usize>) -> Position {
        Position {
            file: self.file.clone(),
            line,
            column: col.map(|c| (c + 1, self.header[c].clone())),
        }
    }

    /// A cell without surrounding spaces (trimmed here rather than by the CSV reader, which
    /// would trim every field of every row).
    fn cell<'a>(&self, rec: &'a Record, col: usize) -> &'a str {
        let raw = rec.get(col).unwrap_or("");
        // Most cells start and end with a visible ASCII character: nothing to trim.
        match (raw.as_bytes().first(), raw.as_bytes().last()) {
            (Some(&a), Some(&b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => raw,
            _ => raw.trim(),
        }
    }

    fn number(&self, rec: &Record, line: u64, col: usize) -> Result<f64, ReadError> {
        let raw = self.cell(rec, col);
        read_number(raw, self.decimal_comma).map_err(|why| {
            if why == NumberProblem::NotANumber && raw.contains(',') && !self.decimal_comma {
                return ReadError::DecimalComma {
                    pos: self.pos(line, Some(col)),
                    value: raw.to_string(),
                };
            }
            ReadError::Invalid {
                pos: self.pos(line, Some(col)),
                value: raw.to_string(),
                problem: why.problem().to_string(),
                expected: why.expected().to_string(),
            }
        })
    }

    fn invalid(
        &self,
        rec: &Record,
        line: u64,
        col: usize,
        problem: &str,
        expected: &str,
    ) -> ReadError {
        ReadError::Invalid {
            pos: self.pos(line, Some(col)),
            value: self.cell(rec, col).to_string(),
            problem: problem.to_string(),
            expected: expected.to_string(),
        }
    }

    /// The data of a row from its numbers (in the order of the schema's columns), checked:
    /// arm sizes of at least 1, events between 0 and the arm size, SDs of 0 or more, positive
    /// variances and SEs, the estimate within its CI.
    fn study_data(&self, rec: &Record, line: u64, v: [f64; 6]) -> Result<StudyData, ReadError> {
        let c = &self.cols.data;
        Ok(match self.kind {
            InputKind::TwoByTwo => return self.two_by_two(rec, line, v),
            InputKind::MeanSd => return self.mean_sd(rec, line, v),
            InputKind::EstimateCi => return self.estimate_ci(rec, line, v),
            InputKind::YiVi => {
                let [yi, vi, ..] = v;
                if vi < f64::MIN_POSITIVE {
                    return Err(self.invalid(
                        rec,
                        line,
                        c[1],
                        "non-positive variance",
                        "a sampling variance greater than 0",
                    ));
                }
                StudyData::Effect { yi, vi }
            }
            InputKind::EstimateSe => {
                let [est, se, ..] = v;
                if se <= 0.0 || (se * se) < f64::MIN_POSITIVE {
                    return Err(self.invalid(
                        rec,
                        line,
                        c[1],
                        "non-positive standard error",
                        "a standard error greater than 0",
                    ));
                }
                let yi = self.to_scale(rec, line, c[0], est)?;
                StudyData::Effect { yi, vi: se * se }
            }
        })
    }

    /// A 2x2 table: events and arm size of each arm.
    fn two_by_two(&self, rec: &Record, line: u64, v: [f64; 6]) -> Result<StudyData, ReadError> {
        let c = &self.cols.data;
        let [et, nt, ec, nc, ..] = v;
        for (i, (x, n)) in [(et, nt), (ec, nc)].into_iter().enumerate() {
            let (ce, cn) = (c[2 * i], c[2 * i + 1]);
            if n < 1.0 {
                return Err(self.invalid(
                    rec,
                    line,
                    cn,
                    "arm size below 1",
                    "a number of participants of at least 1",
                ));
            }
            if x < 0.0 {
                return Err(self.invalid(
                    rec,
                    line,
                    ce,
                    "negative number of events",
                    "events between 0 and the arm size",
                ));
            }
            if x > n {
                return Err(self.invalid(
                    rec,
                    line,
                    ce,
                    &format!("more events than participants ({x} > {n})"),
                    "events between 0 and the arm size",
                ));
            }
        }
        Ok(StudyData::TwoByTwo {
            events_t: et,
            n_t: nt,
            events_c: ec,
            n_c: nc,
        })
    }

    /// Means, SDs and arm sizes.
    fn mean_sd(&self, rec: &Record, line: u64, v: [f64; 6]) -> Result<StudyData, ReadError> {
        let c = &self.cols.data;
        let [mt, st, nt, mc, sc, nc] = v;
        for (x, col) in [(st, c[1]), (sc, c[4])] {
            if x < 0.0 {
                return Err(self.invalid(
                    rec,
                    line,
                    col,
                    "negative standard deviation",
                    "a standard deviation of 0 or more",
                ));
            }
        }
        for (x, col) in [(nt, c[2]), (nc, c[5])] {
            if x < 1.0 {
                return Err(self.invalid(
                    rec,
                    line,
                    col,
                    "arm size below 1",
                    "a number of participants of at least 1",
                ));
            }
        }
        Ok(StudyData::MeanSd {
            mean_t: mt,
            sd_t: st,
            n_t: nt,
            mean_c: mc,
            sd_c: sc,
            n_c: nc,
        })
    }

    /// An estimate and its CI: the effect and, on the analysis scale,
    /// `se = (upper - lower) / (2 z)`, z the normal quantile of the input's level.
    fn estimate_ci(&self, rec: &Record, line: u64, v: [f64; 6]) -> Result<StudyData, ReadError> {
        let c = &self.cols.data;
        let [est, lo, hi, ..] = v;
        if lo >= hi {
            return Err(self.invalid(
                rec,
                line,
                c[1],
                &format!("lower CI limit not below the upper limit ({hi})"),
                "ci_low < ci_high",
            ));
        }
        if est < lo || est > hi {
            return Err(self.invalid(
                rec,
                line,
                c[0],
                &format!("estimate outside its CI [{lo}; {hi}]"),
                "ci_low <= estimate <= ci_high",
            ));
        }
        let yi = self.to_scale(rec, line, c[0], est)?;
        let l = self.to_scale(rec, line, c[1], lo)?;
        let h = self.to_scale(rec, line, c[2], hi)?;
        let se = (h - l) / (2.0 * self.z_input);
        Ok(StudyData::Effect { yi, vi: se * se })
    }

    fn parse_row(&self, rec: &Record, line: u64, row_no: usize) -> Result<Study, ReadError> {
        if rec.len() > self.header.len() {
            return Err(ReadError::RowLength {
                pos: self.pos(line, None),
                found: rec.len(),
                expected: self.header.len(),
            });
        }
        let c = &self.cols.data;
        let mut v = [0.0; 6];
        for (i, &col) in c.iter().enumerate() {
            v[i] = self.number(rec, line, col)?;
        }
        let data = self.study_data(rec, line, v)?;
        let label_col = self.cols.label.or(self.cols.study);
        let label = match label_col {
            Some(col) if !self.cell(rec, col).is_empty() => self.cell(rec, col).to_string(),
            _ => format!("study {row_no}"),
        };
        let year = match self.cols.year {
            Some(col) if !self.cell(rec, col).is_empty() => {
                let raw = self.cell(rec, col);
                Some(raw.parse::<i32>().map_err(|_| {
                    self.invalid(
                        rec,
                        line,
                        col,
                        "not a year",
                        "a whole number such as 1994, or an empty cell",
                    )
                })?)
            }
            _ => None,
        };
        let subgroup = self
            .cols
            .subgroup
            .map(|col| self.cell(rec, col).to_string())
            .filter(|s| !s.is_empty());
        Ok(Study {
            label,
            year,
            subgroup,
            line: Some(line),
            data,
            combined_rows: 1,
            extra: self
                .cols
                .keep
                .iter()
                .map(|&c| self.cell(rec, c).to_string())
                .collect(),
        })
    }

    /// Ratio measures given on the ratio scale are analysed as logs.
    fn to_scale(&self, rec: &Record, line: u64, col: usize, x: f64) -> Result<f64, ReadError> {
        if self.measure.is_ratio() {
            if x <= 0.0 {
                return Err(self.invalid(
                    rec,
                    line,
                    col,
                    "a ratio must be positive",
                    "a ratio greater than 0 (give ratios on their natural scale, not as logs)",
                ));
            }
            Ok(x.ln())
        } else {
            Ok(x)
        }
    }

    /// The error of a cell of `rec` that holds a line end (only a quoted cell can): no cell of
    /// a study table spans lines, so its closing quote is missing and the rows after it were
    /// swallowed.
    fn across_lines(&self, rec: &Record) -> Option<ReadError> {
        let (col, field) = rec
            .iter()
            .enumerate()
            .find(|(_, f)| f.contains(['\n', '\r']))?;
        let breaks = field
            .replace("\r\n", "\n")
            .chars()
            .filter(|&c| c == '\n' || c == '\r')
            .count() as u64;
        Some(ReadError::QuoteAcrossLines {
            // A cell past the header's columns has no name to give.
            pos: self.pos(rec.line, Some(col).filter(|&c| c < self.header.len())),
            last_line: rec.line + breaks,
        })
    }

    /// The next analysis, or `None` at the end. A fatal error (malformed CSV, unreadable
    /// input) is returned as `Some(Err(..))` and ends the iteration.
    pub fn next_analysis(&mut self) -> Option<Result<Analysis, ReadError>> {
        loop {
            if self.done {
                let keys = std::mem::take(&mut self.pending_keys);
                return self.pending.take().map(|a| Ok(self.combine(a, keys)));
            }
            match self.csv.read(&mut self.record) {
                Err(e) => {
                    self.done = true;
                    let err = match e {
                        RecordError::Io(e) => ReadError::Io {
                            file: self.file.clone(),
                            source: std::io::Error::other(e.to_string()),
                        },
                        RecordError::Utf8 { line, message } => ReadError::Csv {
                            pos: self.pos(line, None),
                            message,
                        },
                    };
                    self.pending = None;
                    return Some(Err(err));
                }
                Ok(false) => {
                    self.done = true;
                    if !self.any_rows {
                        return Some(Err(ReadError::NoRows {
                            file: self.file.clone(),
                        }));
                    }
                    continue;
                }
                Ok(true) => {}
            }
            let rec = std::mem::take(&mut self.record);
            let line = rec.line;
            if let Some(e) = self.across_lines(&rec) {
                self.done = true;
                self.pending = None;
                return Some(Err(e));
            }
            if rec.iter().all(|f| f.trim().is_empty()) {
                self.record = rec;
                continue; // blank line
            }
            self.any_rows = true;
            let name_ref = self.cols.analysis.map(|c| self.cell(&rec, c));
            let mut finished = None;
            let same = matches!(&self.pending, Some(a) if a.name.as_deref() == name_ref);
            if !same {
                let name = name_ref.map(str::to_string);
                if let Some(Analysis { studies: Ok(s), .. }) = &self.pending {
                    self.last_size = s.len().min(1024);
                }
                let keys = std::mem::take(&mut self.pending_keys);
                self.pending_keys.reserve(self.last_size);
                finished = self.pending.take().map(|a| self.combine(a, keys));
                let mut studies = Ok(Vec::with_capacity(self.last_size));
                if let Some(n) = &name {
                    if !self.seen.insert(n.clone()) {
                        studies = Err(ReadError::NotContiguous {
                            pos: self.pos(line, self.cols.analysis),
                            analysis: n.clone(),
                        });
                    }
                }
                self.pending = Some(Analysis {
                    name,
                    line,
                    studies,
                });
            }
            let row_no = match &self.pending {
                Some(Analysis { studies: Ok(s), .. }) => s.len() + 1,
                _ => 0,
            };
            let parsed = if row_no > 0 {
                Some(self.parse_row(&rec, line, row_no))
            } else {
                None
            };
            if let (Some(parsed), Some(a)) = (parsed, self.pending.as_mut()) {
                match parsed {
                    Ok(study) => {
                        if let Ok(s) = a.studies.as_mut() {
                            s.push(study);
                            let key = self
                                .cols
                                .combine
                                .map(|c| rec.get(c).unwrap_or("").trim().to_string())
                                .filter(|k| !k.is_empty());
                            self.pending_keys.push(key);
                        }
                    }
                    Err(e) => a.studies = Err(e),
                }
            }
            self.record = rec;
            if let Some(a) = finished {
                return Some(Ok(a));
            }
        }
    }
}

impl<R: Read> AnalysisReader<R> {
    /// Merges the rows that share a `combine` value into one study (the arms of a
    /// multi-arm trial, Cochrane Handbook 23.3.4), at the position of the first of them.
    fn combine(&self, mut a: Analysis, keys: Vec<Option<String>>) -> Analysis {
        let Ok(studies) = &a.studies else { return a };
        if keys.iter().all(Option::is_none) {
            return a;
        }
        let mut out: Vec<Study> = Vec::with_capacity(studies.len());
        let mut done: Vec<&str> = Vec::new();
        for (i, s) in studies.iter().enumerate() {
            match &keys[i] {
                None => out.push(s.clone()),
                Some(k) if done.contains(&k.as_str()) => {}
                Some(k) => {
                    done.push(k);
                    let members: Vec<&Study> = studies
                        .iter()
                        .zip(&keys)
                        .filter(|(_, kk)| kk.as_deref() == Some(k))
                        .map(|(s, _)| s)
                        .collect();
                    let data: Vec<StudyData> = members.iter().map(|m| m.data.clone()).collect();
                    match crate::effect::combine::combine_arms(&data) {
                        Ok(d) => {
                            let mut merged = s.clone();
                            merged.data = d;
                            merged.combined_rows = members.len();
                            merged.label = combined_label(&members);
                            out.push(merged);
                        }
                        Err(e) => {
                            let lines: Vec<String> = members
                                .iter()
                                .filter_map(|m| m.line.map(|l| l.to_string()))
                                .collect();
                            a.studies = Err(ReadError::Combine {
                                pos: self.pos(s.line.unwrap_or(0), self.cols.combine),
                                key: k.clone(),
                                lines: lines.join(", "),
                                detail: e.to_string(),
                            });
                            return a;
                        }
                    }
                }
            }
        }
        a.studies = Ok(out);
        a
    }
}

/// The label of rows combined into one study: theirs when they share it, else each distinct
/// one joined by " + " (arms labelled apart, "Smith 2001 low dose" and "Smith 2001 high
/// dose", or a combine key given by mistake), so that no row's study disappears unnamed.
fn combined_label(members: &[&Study]) -> String {
    let mut labels: Vec<&str> = Vec::with_capacity(members.len());
    for m in members {
        if !labels.contains(&m.label.as_str()) {
            labels.push(&m.label);
        }
    }
    labels.join(" + ")
}

impl<R: Read> Iterator for AnalysisReader<R> {
    type Item = Result<Analysis, ReadError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_analysis()
    }
}

/// The header in lower case, checked for columns that differ only in case or spaces.
fn read_header<T: Read>(
    csv: &mut Records<T>,
    file: &str,
    opts: &ReadOptions,
) -> Result<Vec<String>, ReadError> {
    // No record at all reads as an empty header, as the `csv` crate has it.
    let mut raw_header = Record::default();
    csv.read(&mut raw_header).map_err(|e| ReadError::Csv {
        pos: Position {
            file: file.to_string(),
            line: 1,
            column: None,
        },
        message: match e {
            RecordError::Io(e) => e.to_string(),
            RecordError::Utf8 { message, .. } => message,
        },
    })?;
    let header: Vec<String> = raw_header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let keep: Vec<String> = opts
        .keep_columns
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let used: Vec<&str> = ORDER
        .iter()
        .flat_map(|k| k.columns().iter().copied())
        .chain(["study", "label", "analysis", "subgroup", "year", "combine"])
        .chain(keep.iter().map(String::as_str))
        .collect();
    if let Some((first, second)) = duplicate_column(raw_header.iter(), &used) {
        return Err(ReadError::DuplicateColumn {
            file: file.to_string(),
            first,
            second,
        });
    }
    Ok(header)
}

/// The schema of a header: the first in [`ORDER`] whose columns are all there, or, for a
/// measure computed from arms, that measure's arm schema (or a schema of precomputed
/// effects). Without one, an error names the columns missing from the closest schema.
fn schema_of(
    header: &[String],
    file: &str,
    measure: Option<Measure>,
) -> Result<InputKind, ReadError> {
    let find = |name: &str| header.iter().position(|h| h == name);
    let complete = |kind: InputKind| kind.columns().iter().all(|c| find(c).is_some());
    let arm_kind = match measure {
        Some(Measure::MeanDifference | Measure::StandardizedMeanDifference) => {
            Some(InputKind::MeanSd)
        }
        Some(Measure::LogRiskRatio | Measure::LogOddsRatio | Measure::RiskDifference) => {
            Some(InputKind::TwoByTwo)
        }
        _ => None,
    };
    let from_arms = |k: InputKind| matches!(k, InputKind::TwoByTwo | InputKind::MeanSd);
    let found = arm_kind.filter(|&k| complete(k)).or_else(|| {
        ORDER
            .into_iter()
            .find(|&k| complete(k) && !(arm_kind.is_some() && from_arms(k)))
    });
    if let Some(kind) = found {
        return Ok(kind);
    }
    // Name the missing columns of the schema the header comes closest to.
    let best = ORDER
        .into_iter()
        .filter(|&k| arm_kind.map_or(true, |a| a == k || !from_arms(k)))
        .max_by_key(|k| k.columns().iter().filter(|c| find(c).is_some()).count())
        .unwrap_or(InputKind::TwoByTwo);
    let missing: Vec<&str> = best
        .columns()
        .iter()
        .copied()
        .filter(|c| find(c).is_none())
        .collect();
    Err(ReadError::Schema {
        file: file.to_string(),
        detail: format!(
            "missing column{} {} for {}",
            if missing.len() == 1 { "" } else { "s" },
            missing
                .iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(", "),
            best.describe(),
        ),
        measure,
        found: header.join(", "),
    })
}

/// The columns of a header for a schema, with the extra columns to keep (each must be there).
fn columns_of(
    header: &[String],
    kind: InputKind,
    file: &str,
    keep: &[String],
) -> Result<Columns, ReadError> {
    let find = |name: &str| header.iter().position(|h| h == name);
    Ok(Columns {
        study: find("study"),
        label: find("label"),
        analysis: find("analysis"),
        subgroup: find("subgroup"),
        year: find("year"),
        combine: find("combine"),
        keep: keep
            .iter()
            .map(|c| {
                find(&c.to_ascii_lowercase()).ok_or_else(|| ReadError::Schema {
                    file: file.to_string(),
                    detail: format!("missing column '{c}'"),
                    measure: None,
                    found: header.join(", "),
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        data: kind.columns().iter().filter_map(|c| find(c)).collect(),
    })
}

/// The measure for a schema: given, or `GEN` for precomputed effects; an error where the
/// data cannot give the measure.
fn resolve_measure(kind: InputKind, measure: Option<Measure>) -> Result<Measure, MeasureProblem> {
    match (kind, measure) {
        (InputKind::TwoByTwo | InputKind::MeanSd, None) => Err(MeasureProblem::Needed { kind }),
        (_, None) => Ok(Measure::Generic),
        (
            InputKind::TwoByTwo,
            Some(m @ (Measure::LogRiskRatio | Measure::LogOddsRatio | Measure::RiskDifference)),
        ) => Ok(m),
        (
            InputKind::MeanSd,
            Some(m @ (Measure::MeanDifference | Measure::StandardizedMeanDifference)),
        ) => Ok(m),
        (InputKind::TwoByTwo | InputKind::MeanSd, Some(m)) => {
            Err(MeasureProblem::NotFrom { measure: m, kind })
        }
        (_, Some(m)) => Ok(m),
    }
}

/// Reads a whole CSV text into analyses (convenience for tests and small inputs).
///
/// # Examples
/// ```
/// use repool::io::read::{read_str, ReadOptions};
/// let csv = "study;yi;vi\nA;0,5;0,04\nB;0,3;0,09\n";
/// let analyses = read_str(csv, "example.csv", &ReadOptions::default()).unwrap();
/// let studies = analyses[0].studies.as_ref().unwrap();
/// assert_eq!(studies.len(), 2);
/// ```
pub fn read_str(text: &str, file: &str, opts: &ReadOptions) -> Result<Vec<Analysis>, ReadError> {
    let reader = AnalysisReader::new(std::io::BufReader::new(text.as_bytes()), file, opts)?;
    reader.collect()
}
