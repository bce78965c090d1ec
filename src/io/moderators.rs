//! Moderators of a meta-regression as a data file gives them: `name` or `factor(name)`, and
//! the design matrix built from each study's values (numbers read as the CSV reader reads
//! them, factors dummy coded). [`crate::pool::regression`] fits the model on that matrix.

use nalgebra::DMatrix;

/// A moderator: a column, numeric or a factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moderator {
    /// Column name.
    pub column: String,
    /// Categorical (dummy coded).
    pub factor: bool,
}

impl Moderator {
    /// Parses `name` or `factor(name)`.
    ///
    /// # Examples
    /// ```
    /// use repool::io::moderators::Moderator;
    /// assert_eq!(Moderator::parse("factor(alloc)"), Moderator { column: "alloc".into(), factor: true });
    /// ```
    pub fn parse(s: &str) -> Moderator {
        match s
            .trim()
            .strip_prefix("factor(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(inner) => Moderator {
                column: inner.trim().to_string(),
                factor: true,
            },
            None => Moderator {
                column: s.trim().to_string(),
                factor: false,
            },
        }
    }
}

/// Why a design matrix cannot be built: the study (row index) and moderator at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DesignError {
    /// An empty cell.
    #[error("study {row}: no value for the moderator '{column}'")]
    Missing {
        /// Row index.
        row: usize,
        /// Moderator.
        column: String,
    },
    /// Not a number for a numeric moderator.
    #[error("study {row}: moderator '{column}' is not a number: '{value}' (use factor({column}) for a categorical moderator)")]
    NotNumber {
        /// Row index.
        row: usize,
        /// Moderator.
        column: String,
        /// The value.
        value: String,
    },
    /// A number that a double cannot hold (it would be infinite, or read as 0).
    #[error("study {row}: moderator '{column}' is out of range: '{value}': {problem}")]
    OutOfRange {
        /// Row index.
        row: usize,
        /// Moderator.
        column: String,
        /// The value.
        value: String,
        /// What is wrong with it.
        problem: &'static str,
    },
}

/// The design matrix (intercept first) and its column names from the moderator values of
/// each study (`values[i][j]`: study i, moderator j). Factors are dummy coded with the first
/// level in sorted order as the reference, as R does.
pub fn design(
    values: &[Vec<String>],
    mods: &[Moderator],
) -> Result<(DMatrix<f64>, Vec<String>), DesignError> {
    let k = values.len();
    let mut names = vec!["intrcpt".to_string()];
    let mut columns: Vec<Vec<f64>> = vec![vec![1.0; k]];
    for (j, m) in mods.iter().enumerate() {
        let col: Vec<&str> = values.iter().map(|r| r[j].trim()).collect();
        if let Some(row) = col.iter().position(|v| v.is_empty()) {
            return Err(DesignError::Missing {
                row,
                column: m.column.clone(),
            });
        }
        if m.factor {
            let mut levels = col.clone();
            levels.sort();
            levels.dedup();
            for level in levels.iter().skip(1) {
                names.push(format!("factor({}){level}", m.column));
                columns.push(
                    col.iter()
                        .map(|v| if v == level { 1.0 } else { 0.0 })
                        .collect(),
                );
            }
        } else {
            let mut nums = Vec::with_capacity(k);
            for (row, v) in col.iter().enumerate() {
                use super::number::{read_number, NumberProblem};
                nums.push(read_number(v, true).map_err(|why| match why {
                    NumberProblem::TooLarge | NumberProblem::TooSmall => DesignError::OutOfRange {
                        row,
                        column: m.column.clone(),
                        value: v.to_string(),
                        problem: why.problem(),
                    },
                    _ => DesignError::NotNumber {
                        row,
                        column: m.column.clone(),
                        value: v.to_string(),
                    },
                })?);
            }
            names.push(m.column.clone());
            columns.push(nums);
        }
    }
    Ok((
        DMatrix::from_fn(k, columns.len(), |r, c| columns[c][r]),
        names,
    ))
}
