//! The output layer: the rows every command writes as JSON and CSV, built from the library's
//! results, with the schema name of each JSON document (`repool.pool.v1`, …). One file per
//! command: `pool`, `check`, `compare`, `reproduce`, `bias`, `regress`, `scan`, `revman`, `sensitivity`
//! (leave-one-out, cumulative, influence), `sof` (summary of findings) and `serve` (the JSON replies of `repool serve`).
//!
//! These flat types are the serialisation boundary: the domain types can change without
//! changing the file formats scripts rely on. A CSV row is a struct of text cells whose field
//! names are the header ([`csv_header`], [`csv_writer`]).

use serde::Serialize;

mod bias;
mod check;
mod compare;
mod pool;
mod regress;
mod reproduce;
mod revman;
mod scan;
mod sensitivity;
pub mod serve;
mod sof;

pub use bias::{
    BeggRow, BiasCsvCells, BiasDoc, DisplayCi, EggerRmaRow, EggerRow, FilledRow, TrimFillRow,
    BIAS_SCHEMA,
};
pub use check::{CheckCsvRow, CheckDoc, CheckRow, FlagRow, CHECK_SCHEMA};
pub use compare::{CompareDoc, CompareRow, COMPARE_SCHEMA};
pub use pool::{
    AnalysisCsvRow, AnalysisRow, Display, PoolJson, StudyRow, SubgroupTestRow, POOL_SCHEMA,
};
pub use regress::{CoefficientRow, PermutationRow, RegressCsvRow, RegressDoc, REGRESS_SCHEMA};
pub use reproduce::{
    CandidateCsvRow, CandidateRow, MethodRow, PublishedRow, ReproduceDoc, REPRODUCE_SCHEMA,
};
pub use revman::{
    outcome_input_csv, OutcomeCsvRow, OutcomeRow, RevmanBatchDoc, RevmanBatchReview, RevmanDoc,
    RevmanSubgroupTestRow, ValuesRow, REVMAN_BATCH_SCHEMA, REVMAN_SCHEMA,
};
pub use scan::{ScanDoc, ScanDocRow, ScanFindingCsvRow, ScanFindingRow, SCAN_SCHEMA};
pub use sensitivity::{
    InfluenceCsvRow, InfluenceDoc, InfluenceRow, SensitivityDoc, SensitivityRow, INFLUENCE_SCHEMA,
    SENSITIVITY_SCHEMA,
};
pub use sof::{
    CertaintyRow, EstimateRow, JudgementRow, ReviewerInput, SofCsvRow, SofDoc, SofOutcomeRow,
    SofRiskRow, TrialRisksRow, SOF_SCHEMA,
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

    /// The CSV columns are part of the formats scripts rely on: a renamed or moved field of a
    /// row type changes them, so they are spelled out here.
    #[test]
    fn csv_headers_are_the_published_columns() {
        let cases: [(Vec<String>, &str); 8] = [
            (AnalysisRow::csv_header(), "analysis,measure,model,method,tau2_method,ci_method,level,k,estimate,se,ci_low,ci_high,statistic_type,statistic,df,p_value,tau2,tau,tau2_iterations,q,q_df,q_p,i2,i2_method,h2,pi_low,pi_high,pi_method,scale,display_estimate,display_ci_low,display_ci_high,display_pi_low,display_pi_high,notes,error,subgroup,subgroup_q,subgroup_df,subgroup_p,subgroup_i2,tau2_ci_low,tau2_ci_high,i2_ci_low,i2_ci_high,h2_ci_low,h2_ci_high,i2_ht_ci_low,i2_ht_ci_high,k_estimable"),
            (CheckRow::csv_header(), "id,line,measure,estimate,ci_low,ci_high,level,flags,severities,messages,implied_se,implied_p,implied_p_lower_half,implied_p_upper_half,implied_p_low,implied_p_high,asymmetry,relevance,relevance_text,imprecision,source,error,notes"),
            (OutcomeCsvRow::csv_header(), "comparison_no,outcome_no,subgroup_no,name,measure,method,model,k,estimate,ci_low,ci_high,q,df,i2,tau2,z,p_value,stored_estimate,stored_ci_low,stored_ci_high,stored_q,stored_df,stored_i2,stored_tau2,stored_z,stored_p_value,reproduced,differences,error,k_estimable"),
            (InfluenceCsvRow::csv_header(), "study,rstudent,dffits,cook_d,cov_r,tau2_del,qe_del,hat,weight,dfbetas,influential,baujat_x,baujat_y"),
            (BiasDoc::csv_header(), "test,measure,k,statistic_type,statistic,df,p_value,exact,estimate,se,ci_low,ci_high,tau2,display_estimate,display_ci_low,display_ci_high,slope,estimator,k0,side,warning"),
            (RegressDoc::csv_header(), "coefficient,estimate,se,statistic,p_value,ci_low,ci_high,permutation_p,k,measure,model,tau2_method,test,tau2,i2,h2,r2,qe,qe_df,qe_p,qm,qm_df1,qm_df2,qm_p,qm_permutation_p,permutations,permutation_exact,permutation_seed,tau2_other,tau2_other_loglik_gap"),
            (CandidateRow::csv_header(), "label,estimate,ci_low,ci_high,distance,reproduced,command,methods,metafor_default"),
            (ScanFindingRow::csv_header(), "file,line,column,measure,scale,estimate,ci_low,ci_high,level,p,p_relation,n_studies,n_patients,verdict,flags,severities,messages,implied_se,implied_p,relevance,error,text"),
        ];
        for (header, want) in cases {
            assert_eq!(header.join(","), want);
        }
    }
}
