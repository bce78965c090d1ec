//! A bundled dataset as described by its `dataset.toml`: what it is, where its numbers
//! come from, how to pool it, and the published results to compare with.

use crate::check::Reported;
use crate::pool::{CommonMethod, Model, Tau2Method};
use crate::Measure;

/// What a dataset holds.
#[derive(Debug, Clone, PartialEq)]
pub enum DatasetKind {
    /// Trial-level data (`data.csv`) to pool.
    Pool,
    /// Reported results (a claims CSV) to check.
    Claims {
        /// The claims file, relative to the dataset folder.
        file: String,
    },
    /// Arm- or contrast-level rows (`data.csv`) of a network meta-analysis.
    Network {
        /// Reference treatment.
        reference: Option<String>,
        /// Smaller effects are better (for P-scores).
        small_values_good: bool,
    },
}

/// A statistic of a network meta-analysis as printed in a publication (Q, τ², …).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedStatistic {
    /// What it is, e.g. "Q between designs".
    pub label: String,
    /// Which statistic: `q_total`, `q_within`, `q_between`, `tau2`.
    pub statistic: String,
    /// The value as printed.
    pub value: Reported,
    /// Degrees of freedom, if printed.
    pub df: Option<usize>,
    /// Where exactly it is printed.
    pub source: String,
    /// How it was verified.
    pub verified: String,
    /// What could explain a difference.
    pub explanation: Option<String>,
}

/// A source of the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Full citation.
    pub citation: String,
    /// DOI, if any.
    pub doi: Option<String>,
    /// URL, if any.
    pub url: Option<String>,
    /// The text the numbers were transcribed from (a file and line), a secondary detail
    /// shown after the citation, if any.
    pub document: Option<String>,
}

/// A pooled result as printed in a publication.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// Short label, e.g. "Colditz 1994, abstract".
    pub label: String,
    /// Measure of the published result, when it differs from the dataset's.
    pub measure: Option<Measure>,
    /// Model.
    pub model: Model,
    /// Common-effect method.
    pub method: CommonMethod,
    /// τ² estimator, if the publication states it.
    pub tau2: Option<Tau2Method>,
    /// MD variance from the pooled SD (metafor `vtype = "HO"`), if the publication states it.
    pub vtype: Option<crate::effect::MdVariance>,
    /// Estimate as printed (ratio scale for ratios).
    pub estimate: Reported,
    /// Lower limit as printed.
    pub ci_low: Reported,
    /// Upper limit as printed.
    pub ci_high: Reported,
    /// τ² as printed, if given.
    pub tau2_value: Option<Reported>,
    /// I² as printed (e.g. "92%", ">50%").
    pub i2: Option<String>,
    /// Number of studies in the published pool.
    pub k: Option<usize>,
    /// Number of participants in the published pool.
    pub n: Option<usize>,
    /// Where exactly the numbers are printed.
    pub source: String,
    /// How the numbers were verified.
    pub verified: String,
    /// What could explain a difference, if known.
    pub explanation: Option<String>,
    /// The certainty of the evidence the publication states, if it does.
    pub certainty: Option<crate::sof::PublishedCertainty>,
}

/// A dataset folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Folder name.
    pub name: String,
    /// Title.
    pub title: String,
    /// What kind of data.
    pub kind: DatasetKind,
    /// Measure (pool datasets).
    pub measure: Option<Measure>,
    /// Outcome description.
    pub outcome: Option<String>,
    /// Scale of the outcome.
    pub scale: Option<String>,
    /// Follow-up.
    pub follow_up: Option<String>,
    /// Minimal important difference on the display scale.
    pub threshold: Option<f64>,
    /// "lower" or "higher": which direction is benefit.
    pub benefit: Option<String>,
    /// Model of the report's main analysis.
    pub model: Model,
    /// Method of the main analysis.
    pub method: CommonMethod,
    /// τ² estimator of the main analysis.
    pub tau2: Tau2Method,
    /// What the dataset teaches.
    pub teaches: Option<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// Published results.
    pub published: Vec<Published>,
    /// Published statistics of a network meta-analysis.
    pub published_statistics: Vec<PublishedStatistic>,
    /// Where each column comes from (column, description), in file order.
    pub columns: Vec<(String, String)>,
    /// Drop 2×2 tables without events in both arms (the dataset's analyses).
    pub drop_double_zero: bool,
    /// Derived values and their rule (what, rule).
    pub derived: Vec<(String, String)>,
    /// Free notes.
    pub notes: Vec<String>,
    /// The source document in the dataset's folder (text, HTML, PDF or DOCX), scanned by
    /// `repool report` for every estimate it prints.
    pub source_text: Option<String>,
    /// Title, outcome and teaching text translated into other languages (the `[nl]` and
    /// `[fr]` tables of `dataset.toml`).
    pub translations: Vec<(crate::format::Lang, DatasetText)>,
}

/// A dataset's title, outcome and teaching text in one other language; a missing field
/// falls back to the English text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DatasetText {
    /// Title.
    pub title: Option<String>,
    /// Outcome description.
    pub outcome: Option<String>,
    /// What the dataset teaches.
    pub teaches: Option<String>,
}

impl Dataset {
    fn translated(&self, lang: crate::format::Lang) -> Option<&DatasetText> {
        self.translations
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, t)| t)
    }

    /// The title in `lang`, else in English.
    pub fn title_in(&self, lang: crate::format::Lang) -> &str {
        self.translated(lang)
            .and_then(|t| t.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The outcome in `lang`, else in English.
    pub fn outcome_in(&self, lang: crate::format::Lang) -> Option<&str> {
        self.translated(lang)
            .and_then(|t| t.outcome.as_deref())
            .or(self.outcome.as_deref())
    }

    /// What the dataset teaches, in `lang`, else in English.
    pub fn teaches_in(&self, lang: crate::format::Lang) -> Option<&str> {
        self.translated(lang)
            .and_then(|t| t.teaches.as_deref())
            .or(self.teaches.as_deref())
    }
}
