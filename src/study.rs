//! A study: its label, optional descriptors, and its raw data.

use crate::effect::StudyData;

/// One study (one row of the input) of an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    /// The label shown in tables and plots.
    pub label: String,
    /// Publication year, if given.
    pub year: Option<i32>,
    /// Subgroup, if given.
    pub subgroup: Option<String>,
    /// Line of the study in its input file, if it came from one (for messages).
    pub line: Option<u64>,
    /// The data.
    pub data: StudyData,
    /// How many input rows (treatment arms of a multi-arm trial) were combined into this
    /// study; 1 for an ordinary row.
    pub combined_rows: usize,
    /// Values of further columns the reader was asked to keep (e.g. moderators), as written.
    pub extra: Vec<String>,
}

impl Study {
    /// A study with a label and data only.
    pub fn new(label: impl Into<String>, data: StudyData) -> Study {
        Study {
            label: label.into(),
            year: None,
            subgroup: None,
            line: None,
            data,
            combined_rows: 1,
            extra: Vec::new(),
        }
    }
}
