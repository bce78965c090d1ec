//! Input and output files: the only module that knows CSV and JSON.
//!
//! [`read`] turns a CSV (path or stdin) into analyses of validated [`Study`](crate::Study)
//! values, with file, line, column and value in every error; [`write`] turns results into
//! the JSON and CSV formats scripts rely on (`repool.pool.v1`).

pub mod claims;
pub mod dataset;
pub mod extract;
pub mod localize;
pub mod moderators;
pub mod network;
pub mod network_rows;
pub mod number;
mod pdf_text;
pub mod read;
mod records;
pub mod revman;
pub mod revman_csv;
pub mod write;
mod xml_depth;

pub use read::{Analysis, AnalysisReader, InputKind, MeasureProblem, ReadError, ReadOptions};
