//! Human-readable reports of results.

pub mod text;
