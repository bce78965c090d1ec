//! repool recomputes and checks meta-analyses: effect sizes (MD, SMD, RR, OR, RD),
//! common- and random-effects pooling with the τ² estimators of R's metafor
//! (DL, REML, ML, PM, HE, SJ, EB, HS), Mantel–Haenszel and Peto pooling,
//! heterogeneity (Q, I², H², τ²), HKSJ confidence intervals and prediction intervals.
//!
//! The numbers agree with metafor; every method's module documents its formula and
//! references.
//!
//! # Features
//! - `render` (on by default, through `cli`): `plot::render`, PNG and PDF from a figure's
//!   SVG (resvg, svg2pdf).
//! - `cli` (default): the `repool` binary and its server; implies `render`.
//!
//! A program that only computes depends on `repool = { default-features = false }`: the
//! computation and the readers and writers of `io`, without the command line's crates.
//! `examples/pool_and_check.rs` reads a CSV, pools it and checks a published claim.
//!
//! # Example: CSV text → pool → print
//! ```
//! use repool::io::read::{read_str, ReadOptions};
//! use repool::pool::{pool, PoolConfig};
//! use repool::Measure;
//!
//! // The first three BCG vaccine trials (Colditz et al. 1994; metadat::dat.bcg).
//! let csv = "study,events_t,n_t,events_c,n_c\n\
//!            Aronson 1948,4,123,11,139\n\
//!            Ferguson & Simes 1949,6,306,29,303\n\
//!            Rosenthal 1960,3,231,11,220\n";
//! let opts = ReadOptions { measure: Some(Measure::LogRiskRatio), ..ReadOptions::default() };
//! let analyses = read_str(csv, "bcg.csv", &opts).unwrap();
//! let studies = analyses[0].studies.as_ref().unwrap();
//! // metafor's rma() defaults: random effects, REML, z CI, 95%.
//! let config = PoolConfig::metafor(Measure::LogRiskRatio);
//! let result = pool(studies, &config).unwrap();
//! assert_eq!(result.k, 3);
//! assert_eq!(result.tau2, Some(0.0));
//! let text = repool::report::text::render(None, &result, 4);
//! assert!(text.contains("Random-effects model (k = 3; tau^2 estimator: REML)"));
//! ```
#![deny(missing_docs)]

pub mod check;
pub mod compare;
pub mod dataset;
pub mod dist;
pub mod effect;
pub mod explain;
pub mod format;
pub mod i18n;
pub mod io;
pub mod network;
pub mod plot;
pub mod pool;
pub mod report;
pub mod reproduce;
pub mod review;
pub mod sof;
pub mod study;

pub use effect::{EffectSize, Measure};
pub use pool::{pool, PoolConfig, PoolError, PooledEstimate};
pub use study::Study;
