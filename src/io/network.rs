//! Reading network data: arm-level rows (`study, treatment, events, n` or `study,
//! treatment, n, mean, sd`) or contrast rows (`study, treat1, treat2, yi, vi` or `…, se`).
//! Header names are case-insensitive; the delimiter (`,`, `;`, tab) is detected and decimal
//! commas are accepted when it is not a comma. An optional `analysis` column splits the file into
//! several networks. Errors name the file, line, column and value.

use crate::io::number::{read_number, NumberProblem};
use crate::io::read::{detect_delimiter, duplicate_column, Position};
use crate::network::{
    from_contrasts, pairwise, Arm, ArmData, Contrast, Network, NetworkError, PairwiseOptions,
};
use crate::Measure;

/// Rows of a network file.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkRows {
    /// One row per arm.
    Arms(Vec<Arm>),
    /// One row per contrast.
    Contrasts(Vec<Contrast>),
}

impl NetworkRows {
    /// The network of these rows: arm rows become contrasts of `measure` by
    /// [`pairwise()`] with `options`; contrast rows are taken as they are
    /// ([`from_contrasts`], which ignores `measure` and `options`).
    pub fn to_network(
        &self,
        measure: Measure,
        options: &PairwiseOptions,
    ) -> Result<Network, NetworkError> {
        match self {
            NetworkRows::Arms(arms) => pairwise(arms, measure, options),
            NetworkRows::Contrasts(c) => from_contrasts(c),
        }
    }
}

/// Why a network file cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetworkReadError {
    /// Empty input.
    #[error("{file}: the input is empty (expected a header line and one row per arm or contrast)")]
    Empty {
        /// File.
        file: String,
    },
    /// Malformed CSV.
    #[error("{pos}: malformed CSV: {message}")]
    Csv {
        /// Where.
        pos: Position,
        /// What.
        message: String,
    },
    /// The header fits no network schema.
    #[error("{file}:1: cannot tell what the columns hold; a network needs 'study, treatment, events, n' or 'study, treatment, n, mean, sd' (one row per arm) or 'study, treat1, treat2, yi, vi' (one row per contrast); found: {found}")]
    Schema {
        /// File.
        file: String,
        /// The header.
        found: String,
    },
    /// Two columns have the same name but for case or surrounding spaces.
    #[error("{file}:1: columns {} ('{}') and {} ('{}') have the same name (column names are case-insensitive), so which one holds the data cannot be told; rename or remove one", .first.0, .first.1, .second.0, .second.1)]
    DuplicateColumn {
        /// File.
        file: String,
        /// 1-based number and name as written of the first column.
        first: (usize, String),
        /// The same of the second.
        second: (usize, String),
    },
    /// Several analyses where one network was expected.
    #[error("{file}: the 'analysis' column holds several analyses ({names}); analyse them one at a time or together as a batch")]
    SeveralAnalyses {
        /// File.
        file: String,
        /// The analyses.
        names: String,
    },
    /// The rows of a study are not consecutive.
    #[error("{pos}: the rows of study '{study}' are not consecutive: its rows up to line {earlier} are followed by other studies' before this one; the arms (or contrasts) of one trial must be on consecutive rows (different trials need different labels)")]
    StudyNotContiguous {
        /// Where the study appears again.
        pos: Position,
        /// The study.
        study: String,
        /// The line of its last row before the others.
        earlier: u64,
    },
    /// A bad value.
    #[error("{pos}: {problem}: '{value}'; expected {expected}")]
    Invalid {
        /// Where.
        pos: Position,
        /// The value.
        value: String,
        /// What is wrong.
        problem: String,
        /// What was expected.
        expected: String,
    },
}

/// The study of the rows read last, and the studies whose rows ended before it with the line
/// of their last row: a study must not come back after another (its rows would be merged
/// into one trial with arms that are not its own).
#[derive(Debug, Default)]
struct StudyRuns {
    current: Option<(String, u64)>,
    done: std::collections::HashMap<String, u64>,
}

impl StudyRuns {
    /// Records a row of `study` at `line`; `Err` with the line of the study's last row when
    /// other studies came in between.
    fn see(&mut self, study: &str, line: u64) -> Result<(), u64> {
        match &mut self.current {
            Some((s, last)) if s == study => {
                *last = line;
                return Ok(());
            }
            Some((s, last)) => {
                self.done.insert(std::mem::take(s), *last);
            }
            None => {}
        }
        if let Some(&earlier) = self.done.get(study) {
            return Err(earlier);
        }
        self.current = Some((study.to_string(), line));
        Ok(())
    }
}

/// The rows of one analysis as they are read.
struct Group {
    analysis: Option<String>,
    arms: Vec<Arm>,
    contrasts: Vec<Contrast>,
    runs: StudyRuns,
}

impl Group {
    fn new(analysis: Option<String>) -> Group {
        Group {
            analysis,
            arms: Vec::new(),
            contrasts: Vec::new(),
            runs: StudyRuns::default(),
        }
    }
}

/// The rows of one analysis of a network file.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkAnalysis {
    /// The value of the `analysis` column (`None` when the file has none).
    pub analysis: Option<String>,
    /// Its rows.
    pub rows: NetworkRows,
}

/// The names each column may have (lower case): study, treatment, treat1, treat2, events, n,
/// mean, sd, yi, vi, se, analysis.
const COLUMN_NAMES: [&[&str]; 12] = [
    &["study", "studlab", "id"],
    &["treatment", "treat", "trt"],
    &["treat1", "treatment1"],
    &["treat2", "treatment2"],
    &["events", "event", "r", "xi"],
    &["n", "ni", "total"],
    &["mean", "mi"],
    &["sd", "sdi"],
    &["yi", "te", "estimate"],
    &["vi"],
    &["se", "sete", "sei"],
    &["analysis"],
];

/// Reads network rows from `text` (named `file` in messages). A file with an `analysis`
/// column holding more than one value is refused (see [`read_network_analyses`]).
pub fn read_network(text: &str, file: &str) -> Result<NetworkRows, NetworkReadError> {
    let mut all = read_network_analyses(text, file)?;
    if all.len() > 1 {
        return Err(NetworkReadError::SeveralAnalyses {
            file: file.into(),
            names: all
                .iter()
                .map(|a| a.analysis.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(all.remove(0).rows)
}

/// What the rows of a network file hold, with the columns of each value.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Arms with events and participants: treatment, events, n.
    Binary(usize, usize, usize),
    /// Arms with means and SDs: treatment, n, mean, SD.
    Cont(usize, usize, usize, usize),
    /// Contrasts: treat1, treat2, effect, variance (or SE, when the flag is set).
    Contrast(usize, usize, usize, usize, bool),
}

/// The columns of a network file, read off its header.
struct Layout {
    /// The header, trimmed and in lower case.
    headers: Vec<String>,
    study: usize,
    analysis: Option<usize>,
    kind: Kind,
}

/// Reads the header: no duplicate columns, a study column and the columns of arms or
/// contrasts.
fn network_layout(rdr: &mut csv::Reader<&[u8]>, file: &str) -> Result<Layout, NetworkReadError> {
    let raw_headers = rdr
        .headers()
        .map_err(|e| NetworkReadError::Csv {
            pos: Position {
                file: file.into(),
                line: 1,
                column: None,
            },
            message: e.to_string(),
        })?
        .clone();
    if let Some((first, second)) = duplicate_column(raw_headers.iter(), &COLUMN_NAMES.concat()) {
        return Err(NetworkReadError::DuplicateColumn {
            file: file.into(),
            first,
            second,
        });
    }
    let headers: Vec<String> = raw_headers
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let [study, treatment, t1, t2, events, n, mean, sd, yi, vi, se, analysis] =
        COLUMN_NAMES.map(col);
    let schema_err = || NetworkReadError::Schema {
        file: file.into(),
        found: headers.join(", "),
    };
    let study = study.ok_or_else(schema_err)?;
    let kind = match (treatment, events, n, mean, sd, t1, t2, yi, vi, se) {
        (_, _, _, _, _, Some(a), Some(b), Some(y), Some(v), _) => Kind::Contrast(a, b, y, v, false),
        (_, _, _, _, _, Some(a), Some(b), Some(y), None, Some(s)) => {
            Kind::Contrast(a, b, y, s, true)
        }
        (Some(t), Some(e), Some(n), _, _, _, _, _, _, _) => Kind::Binary(t, e, n),
        (Some(t), None, Some(n), Some(m), Some(s), _, _, _, _, _) => Kind::Cont(t, n, m, s),
        _ => return Err(schema_err()),
    };
    Ok(Layout {
        headers,
        study,
        analysis,
        kind,
    })
}

/// One data row of a network file, with what its errors need to say where they are.
struct NetRow<'a> {
    rec: &'a csv::StringRecord,
    file: &'a str,
    line: u64,
    headers: &'a [String],
    decimal_comma: bool,
}

impl NetRow<'_> {
    /// The position of a cell.
    fn pos(&self, c: usize) -> Position {
        Position {
            file: self.file.into(),
            line: self.line,
            column: Some((c + 1, self.headers[c].clone())),
        }
    }

    /// The raw cell, trimmed.
    fn raw(&self, c: usize) -> &str {
        self.rec.get(c).unwrap_or("").trim()
    }

    /// A name: a cell that must not be empty.
    fn text_at(&self, c: usize) -> Result<String, NetworkReadError> {
        let v = self.raw(c);
        if v.is_empty() {
            Err(NetworkReadError::Invalid {
                pos: self.pos(c),
                value: v.into(),
                problem: "missing value".into(),
                expected: "a name".into(),
            })
        } else {
            Ok(v.to_string())
        }
    }

    /// A number for which `ok` holds (`what` says which, in messages).
    fn num(&self, c: usize, what: &str, ok: &dyn Fn(f64) -> bool) -> Result<f64, NetworkReadError> {
        let raw = self.rec.get(c).unwrap_or("");
        let bad = |problem: &str| NetworkReadError::Invalid {
            pos: self.pos(c),
            value: raw.trim().into(),
            problem: problem.into(),
            expected: what.into(),
        };
        let x = read_number(raw, self.decimal_comma).map_err(|why| match why {
            NumberProblem::Empty => bad("missing value"),
            NumberProblem::NotANumber => bad("not a number"),
            _ => NetworkReadError::Invalid {
                pos: self.pos(c),
                value: raw.trim().into(),
                problem: why.problem().into(),
                expected: why.expected().into(),
            },
        })?;
        if ok(x) {
            Ok(x)
        } else {
            Err(bad("out of range"))
        }
    }
}

/// Adds a row of study `s` to its analysis: an arm or a contrast, by the file's kind.
fn add_network_row(
    group: &mut Group,
    row: &NetRow,
    kind: Kind,
    s: String,
) -> Result<(), NetworkReadError> {
    let line = row.line;
    match kind {
        Kind::Binary(t, e, nn) => {
            let nv = row.num(nn, "a count of at least 1", &|x| {
                x >= 1.0 && x.fract() == 0.0
            })?;
            let ev = row.num(e, "a count from 0 to n", &|x| x >= 0.0 && x.fract() == 0.0)?;
            if ev > nv {
                return Err(NetworkReadError::Invalid {
                    pos: row.pos(e),
                    value: row.raw(e).into(),
                    problem: format!("more events than participants (n = {nv})"),
                    expected: "events ≤ n".into(),
                });
            }
            group.arms.push(Arm {
                study: s,
                treatment: row.text_at(t)?,
                data: ArmData::Binary { events: ev, n: nv },
                line: Some(line),
            });
        }
        Kind::Cont(t, nn, m, sdc) => {
            let nv = row.num(nn, "a count of at least 2", &|x| x >= 2.0)?;
            let mv = row.num(m, "a number", &|_| true)?;
            let sv = row.num(sdc, "a positive SD", &|x| x > 0.0)?;
            group.arms.push(Arm {
                study: s,
                treatment: row.text_at(t)?,
                data: ArmData::Continuous {
                    mean: mv,
                    sd: sv,
                    n: nv,
                },
                line: Some(line),
            });
        }
        Kind::Contrast(a, b, y, v, is_se) => {
            let yv = row.num(y, "a number", &|_| true)?;
            let vv = row.num(
                v,
                if is_se {
                    "a positive SE"
                } else {
                    "a positive variance"
                },
                &|x| x > 0.0,
            )?;
            // The variance is the square of the SE: it must not underflow or overflow.
            let var = if is_se { vv * vv } else { vv };
            if is_se && !(var.is_finite() && var >= f64::MIN_POSITIVE) {
                return Err(NetworkReadError::Invalid {
                    pos: row.pos(v),
                    value: row.raw(v).into(),
                    problem: "standard error out of range: its square, the variance, cannot be represented".into(),
                    expected: "a standard error between 1.5e-154 and 1.3e154".into(),
                });
            }
            group.contrasts.push(Contrast {
                study: s,
                treat1: row.text_at(a)?,
                treat2: row.text_at(b)?,
                y: yv,
                v: var,
                line: Some(line),
            });
        }
    }
    Ok(())
}

/// Reads network rows from `text`, split by the optional `analysis` column (one network per
/// distinct value, in order of first appearance; the rows of one analysis need not be
/// contiguous, but within an analysis the rows of one study must be). Without that column the
/// whole file is one analysis.
pub fn read_network_analyses(
    text: &str,
    file: &str,
) -> Result<Vec<NetworkAnalysis>, NetworkReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().next().unwrap_or("");
    if header_line.trim().is_empty() {
        return Err(NetworkReadError::Empty { file: file.into() });
    }
    let delim = detect_delimiter(header_line);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let layout = network_layout(&mut rdr, file)?;
    // The rows of each analysis, in order of first appearance.
    let mut groups: Vec<Group> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| NetworkReadError::Csv {
            pos: Position {
                file: file.into(),
                line,
                column: None,
            },
            message: e.to_string(),
        })?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let row = NetRow {
            rec: &rec,
            file,
            line,
            headers: &layout.headers,
            decimal_comma: delim != b',',
        };
        let s = row.text_at(layout.study)?;
        let label = match layout.analysis {
            Some(c) => Some(row.text_at(c)?),
            None => None,
        };
        let g = match groups.iter().position(|g| g.analysis == label) {
            Some(g) => g,
            None => {
                groups.push(Group::new(label));
                groups.len() - 1
            }
        };
        groups[g]
            .runs
            .see(&s, line)
            .map_err(|earlier| NetworkReadError::StudyNotContiguous {
                pos: row.pos(layout.study),
                study: s.clone(),
                earlier,
            })?;
        add_network_row(&mut groups[g], &row, layout.kind, s)?;
    }
    if groups.is_empty() {
        groups.push(Group::new(None));
    }
    Ok(groups
        .into_iter()
        .map(
            |Group {
                 analysis,
                 arms,
                 contrasts,
                 ..
             }| NetworkAnalysis {
                analysis,
                rows: match layout.kind {
                    Kind::Contrast(..) => NetworkRows::Contrasts(contrasts),
                    _ => NetworkRows::Arms(arms),
                },
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_study_whose_rows_are_not_consecutive_is_refused_naming_both_lines() {
        // s1's arm C (line 6) used to be merged with its arms A and B into a three-arm trial.
        let text =
            "study,treatment,events,n\ns1,A,1,10\ns1,B,2,10\ns2,A,3,10\ns2,C,4,10\ns1,C,5,10\n";
        let err = read_network(text, "f.csv").unwrap_err().to_string();
        assert!(
            err.starts_with("f.csv:6:1 (column 'study'): the rows of study 's1' are not consecutive: its rows up to line 3"),
            "{err}"
        );
        let text = "study,treat1,treat2,yi,vi\ns1,A,B,1,1\ns2,A,C,1,1\ns1,A,C,1,1\n";
        let err = read_network(text, "f.csv").unwrap_err().to_string();
        assert!(
            err.starts_with("f.csv:4:1 (column 'study')") && err.contains("line 2"),
            "{err}"
        );
        // Rows of other analyses in between do not count.
        let text = "analysis,study,treatment,events,n\nx,s1,A,1,10\ny,s1,A,1,10\nx,s1,B,1,10\ny,s1,B,1,10\n";
        assert_eq!(read_network_analyses(text, "f.csv").unwrap().len(), 2);
    }

    #[test]
    fn analysis_column_splits_the_file_and_keeps_line_numbers() {
        let text = "analysis,study,treatment,events,n\n\
                    early,s1,A,1,10\nlate,s1,A,2,10\nearly,s1,B,3,10\nlate,s1,B,x,10\n";
        let err = read_network_analyses(text, "f.csv")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("f.csv:5:4 (column 'events')"), "{err}");
        let text = text.replace(",x,", ",4,");
        let all = read_network_analyses(&text, "f.csv").unwrap();
        let names: Vec<_> = all.iter().map(|a| a.analysis.as_deref()).collect();
        assert_eq!(names, [Some("early"), Some("late")]);
        let NetworkRows::Arms(late) = &all[1].rows else {
            panic!()
        };
        assert_eq!(
            late.iter().map(|a| a.line).collect::<Vec<_>>(),
            [Some(3), Some(5)]
        );
        let err = read_network(&text, "f.csv").unwrap_err().to_string();
        assert!(err.contains("several analyses (early, late)"), "{err}");
        let err = read_network_analyses("analysis,study,treatment,events,n\n,s1,A,1,10\n", "f.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("f.csv:2:1 (column 'analysis'): missing value"),
            "{err}"
        );
    }
}
