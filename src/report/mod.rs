//! Human-readable reports of results.

pub mod build;
pub mod dataset;
pub mod html;
pub mod markdown;
pub mod network;
pub mod scan_html;
pub mod sof;
pub mod text;
