//! The output layer: the rows every command writes as JSON and CSV, built from the library's
//! results, with the schema name of each JSON document (`repool.pool.v1`, …). One file per
//! command: `pool`, `check`, `reproduce`, `bias`, `regress`, `scan`, `revman`, `sensitivity`
//! (leave-one-out, cumulative, influence) and `serve` (the JSON replies of `repool serve`).
//!
//! These flat types are the serialisation boundary: the domain types can change without
//! changing the file formats scripts rely on. A CSV row is a struct of text cells whose field
//! names are the header ([`csv_header`], [`csv_writer`]).

use serde::Serialize;

mod bias;
mod check;
mod pool;
mod regress;
mod reproduce;
mod revman;
mod scan;
mod sensitivity;
pub mod serve;

pub use bias::{
    BeggRow, BiasCsvCells, BiasDoc, DisplayCi, EggerRmaRow, EggerRow, FilledRow, TrimFillRow,
    BIAS_SCHEMA,
};
pub use check::{CheckCsvRow, CheckDoc, CheckRow, FlagRow, CHECK_SCHEMA};
pub use pool::{
    AnalysisCsvRow, AnalysisRow, Display, PoolJson, StudyRow, SubgroupTestRow, POOL_SCHEMA,
};
pub use regress::{CoefficientRow, PermutationRow, RegressCsvRow, RegressDoc, REGRESS_SCHEMA};
pub use reproduce::{CandidateCsvRow, CandidateRow, PublishedRow, ReproduceDoc, REPRODUCE_SCHEMA};
pub use revman::{
    outcome_input_csv, OutcomeCsvRow, OutcomeRow, RevmanDoc, RevmanSubgroupTestRow, ValuesRow,
    REVMAN_SCHEMA,
};
pub use scan::{ScanDoc, ScanDocRow, ScanFindingCsvRow, ScanFindingRow, SCAN_SCHEMA};
pub use sensitivity::{
    InfluenceCsvRow, InfluenceDoc, InfluenceRow, SensitivityDoc, SensitivityRow, INFLUENCE_SCHEMA,
    SENSITIVITY_SCHEMA,
};

/// The header of a CSV row type: the names of its fields, in order. The row types hold
/// their cells as text (numbers with full precision, empty for none), so that a cell reads
/// the same whichever writer wrote it.
pub fn csv_header<T: Serialize + Default>() -> Vec<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(T::default())
        .expect("a row of text cells serialises");
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(String::from).collect())
        .unwrap_or_default()
}

/// A CSV writer of rows whose header is written apart ([`csv_header`]), so that a file
/// without rows still has its header.
pub fn csv_writer<W: std::io::Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().has_headers(false).from_writer(w)
}

/// Writes `doc` as indented JSON with the keys of every object in alphabetical order, as the
/// `check`, `revman` and `sensitivity` documents have always been written (their order is
/// part of the format; `pool`, `scan`, `bias`, `regress` and `reproduce` keep their fields'
/// order).
pub fn to_writer_sorted_pretty<W: std::io::Write, T: Serialize>(
    w: W,
    doc: &T,
) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(w, &serde_json::to_value(doc)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_header_and_records_have_the_same_width() {
        fn width<T: Serialize>(row: T) -> usize {
            let mut w = csv_writer(Vec::new());
            w.serialize(row).unwrap();
            let bytes = w.into_inner().unwrap();
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice())
                .records()
                .next()
                .unwrap()
                .unwrap()
                .len()
        }
        assert_eq!(
            AnalysisRow::csv_header().len(),
            width(AnalysisRow::default().csv_record())
        );
        assert_eq!(
            CheckRow::csv_header().len(),
            width(CheckRow::default().csv_record())
        );
        assert_eq!(
            CandidateRow::csv_header().len(),
            width(CandidateRow::default().csv_record())
        );
        assert_eq!(
            ScanFindingRow::csv_header().len(),
            width(ScanFindingRow::default().csv_record("f.txt"))
        );
        assert_eq!(
            AnalysisRow::csv_header()[..3],
            ["analysis", "measure", "model"]
        );
        assert_eq!(ScanFindingRow::csv_header()[0], "file");
    }
}
