//! Reading network data: arm-level rows (`study, treatment, events, n` or `study,
//! treatment, n, mean, sd`) or contrast rows (`study, treat1, treat2, yi, vi` or `…, se`).
//! Header names are case-insensitive; the delimiter (`,`, `;`, tab) is detected and decimal
//! commas are accepted when it is not a comma. An optional `analysis` column splits the file into
//! several networks. Errors name the file, line, column and value.

use crate::io::number::parse_number;
use crate::io::read::{detect_delimiter, Position};
use crate::network::{Arm, ArmData, Contrast};

/// Rows of a network file.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkRows {
    /// One row per arm.
    Arms(Vec<Arm>),
    /// One row per contrast.
    Contrasts(Vec<Contrast>),
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
    /// Several analyses where one network was expected.
    #[error("{file}: the 'analysis' column holds several analyses ({names}); analyse them one at a time (repool network --analysis NAME) or together as a batch")]
    SeveralAnalyses {
        /// File.
        file: String,
        /// The analyses.
        names: String,
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

/// The rows of one analysis of a network file.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkAnalysis {
    /// The value of the `analysis` column (`None` when the file has none).
    pub analysis: Option<String>,
    /// Its rows.
    pub rows: NetworkRows,
}

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

/// Reads network rows from `text`, split by the optional `analysis` column (one network per
/// distinct value, in order of first appearance; the rows of one analysis need not be
/// contiguous). Without that column the whole file is one analysis.
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
    let decimal_comma = delim != b',';
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| NetworkReadError::Csv {
            pos: Position {
                file: file.into(),
                line: 1,
                column: None,
            },
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let study = col(&["study", "studlab", "id"]);
    let treatment = col(&["treatment", "treat", "trt"]);
    let (t1, t2) = (
        col(&["treat1", "treatment1"]),
        col(&["treat2", "treatment2"]),
    );
    let events = col(&["events", "event", "r", "xi"]);
    let n = col(&["n", "ni", "total"]);
    let mean = col(&["mean", "mi"]);
    let sd = col(&["sd", "sdi"]);
    let yi = col(&["yi", "te", "estimate"]);
    let vi = col(&["vi"]);
    let se = col(&["se", "sete", "sei"]);
    let analysis = col(&["analysis"]);
    let schema_err = || NetworkReadError::Schema {
        file: file.into(),
        found: headers.join(", "),
    };
    let study = study.ok_or_else(schema_err)?;
    enum Kind {
        Binary(usize, usize, usize),
        Cont(usize, usize, usize, usize),
        Contrast(usize, usize, usize, usize, bool),
    }
    let kind = match (treatment, events, n, mean, sd, t1, t2, yi, vi, se) {
        (_, _, _, _, _, Some(a), Some(b), Some(y), Some(v), _) => Kind::Contrast(a, b, y, v, false),
        (_, _, _, _, _, Some(a), Some(b), Some(y), None, Some(s)) => {
            Kind::Contrast(a, b, y, s, true)
        }
        (Some(t), Some(e), Some(n), _, _, _, _, _, _, _) => Kind::Binary(t, e, n),
        (Some(t), None, Some(n), Some(m), Some(s), _, _, _, _, _) => Kind::Cont(t, n, m, s),
        _ => return Err(schema_err()),
    };
    // (analysis, arms, contrasts), in order of first appearance.
    let mut groups: Vec<(Option<String>, Vec<Arm>, Vec<Contrast>)> = Vec::new();
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
        let pos = |c: usize| Position {
            file: file.into(),
            line,
            column: Some((c + 1, headers[c].clone())),
        };
        let text_at = |c: usize| -> Result<String, NetworkReadError> {
            let v = rec.get(c).unwrap_or("").trim();
            if v.is_empty() {
                Err(NetworkReadError::Invalid {
                    pos: pos(c),
                    value: v.into(),
                    problem: "missing value".into(),
                    expected: "a name".into(),
                })
            } else {
                Ok(v.to_string())
            }
        };
        let num =
            |c: usize, what: &str, ok: &dyn Fn(f64) -> bool| -> Result<f64, NetworkReadError> {
                let raw = rec.get(c).unwrap_or("");
                let bad = |problem: &str| NetworkReadError::Invalid {
                    pos: pos(c),
                    value: raw.trim().into(),
                    problem: problem.into(),
                    expected: what.into(),
                };
                let x = parse_number(raw, decimal_comma).ok_or_else(|| {
                    bad(if raw.trim().is_empty() {
                        "missing value"
                    } else {
                        "not a number"
                    })
                })?;
                if ok(x) {
                    Ok(x)
                } else {
                    Err(bad("out of range"))
                }
            };
        let s = text_at(study)?;
        let label = match analysis {
            Some(c) => Some(text_at(c)?),
            None => None,
        };
        let g = match groups.iter().position(|(a, _, _)| *a == label) {
            Some(g) => g,
            None => {
                groups.push((label, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        let (_, arms, contrasts) = &mut groups[g];
        match kind {
            Kind::Binary(t, e, nn) => {
                let nv = num(nn, "a count of at least 1", &|x| {
                    x >= 1.0 && x.fract() == 0.0
                })?;
                let ev = num(e, "a count from 0 to n", &|x| x >= 0.0 && x.fract() == 0.0)?;
                if ev > nv {
                    return Err(NetworkReadError::Invalid {
                        pos: pos(e),
                        value: rec.get(e).unwrap_or("").trim().into(),
                        problem: format!("more events than participants (n = {nv})"),
                        expected: "events ≤ n".into(),
                    });
                }
                arms.push(Arm {
                    study: s,
                    treatment: text_at(t)?,
                    data: ArmData::Binary { events: ev, n: nv },
                    line: Some(line),
                });
            }
            Kind::Cont(t, nn, m, sdc) => {
                let nv = num(nn, "a count of at least 2", &|x| x >= 2.0)?;
                let mv = num(m, "a number", &|_| true)?;
                let sv = num(sdc, "a positive SD", &|x| x > 0.0)?;
                arms.push(Arm {
                    study: s,
                    treatment: text_at(t)?,
                    data: ArmData::Continuous {
                        mean: mv,
                        sd: sv,
                        n: nv,
                    },
                    line: Some(line),
                });
            }
            Kind::Contrast(a, b, y, v, is_se) => {
                let yv = num(y, "a number", &|_| true)?;
                let vv = num(
                    v,
                    if is_se {
                        "a positive SE"
                    } else {
                        "a positive variance"
                    },
                    &|x| x > 0.0,
                )?;
                let var = if is_se { vv * vv } else { vv };
                if !(var > 0.0 && var.is_finite()) {
                    return Err(NetworkReadError::Invalid {
                        pos: pos(v),
                        value: rec.get(v).unwrap_or("").trim().into(),
                        problem: "out of range: its square, the variance, is not a positive number a double can hold".into(),
                        expected: "an SE from 1e-154 to 1e154".into(),
                    });
                }
                contrasts.push(Contrast {
                    study: s,
                    treat1: text_at(a)?,
                    treat2: text_at(b)?,
                    y: yv,
                    v: var,
                    line: Some(line),
                });
            }
        }
    }
    if groups.is_empty() {
        groups.push((None, Vec::new(), Vec::new()));
    }
    Ok(groups
        .into_iter()
        .map(|(analysis, arms, contrasts)| NetworkAnalysis {
            analysis,
            rows: match kind {
                Kind::Contrast(..) => NetworkRows::Contrasts(contrasts),
                _ => NetworkRows::Arms(arms),
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

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
