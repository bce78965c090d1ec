//! The description of a bundled dataset, as the reports use it (defined in [`crate::dataset`]).

pub use crate::dataset::*;
