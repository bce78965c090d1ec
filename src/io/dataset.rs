//! Reading `dataset.toml`: the description of a bundled dataset (see
//! `datasets/README.md` for the schema), validated with the file named in every error.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::check::Reported;
use crate::dataset::{Dataset, DatasetKind, DatasetText, Published, PublishedStatistic, Source};
use crate::format::Lang;
use crate::pool::{CommonMethod, Model, Tau2Method};
use crate::Measure;

/// Why a `dataset.toml` could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatasetError {
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// File.
        file: String,
        /// Error.
        source: std::io::Error,
    },
    /// TOML syntax or a missing or mistyped field.
    #[error("{file}: {message}")]
    Toml {
        /// File.
        file: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// A file the dataset reads lies outside its folder (an absolute path, `..`, or a
    /// symbolic link leading out).
    #[error("{file}: {what} lies outside the dataset folder {folder}; a dataset reads only files inside its folder")]
    Outside {
        /// The `dataset.toml`.
        file: String,
        /// The key and its value, or the file name.
        what: String,
        /// The dataset folder.
        folder: String,
    },
    /// A field has a value that is not allowed.
    #[error("{file}: {field} = {value:?}: {expected}")]
    Invalid {
        /// File.
        file: String,
        /// Field path.
        field: String,
        /// The value.
        value: String,
        /// What is allowed.
        expected: String,
    },
}

/// `[nl]` / `[fr]`: the title, outcome and teaching text in that language.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    title: Option<String>,
    outcome: Option<String>,
    teaches: Option<String>,
}

impl RawText {
    fn into_text(self) -> DatasetText {
        DatasetText {
            title: self.title,
            outcome: self.outcome,
            teaches: self.teaches,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataset {
    title: String,
    #[serde(default = "pool_kind")]
    kind: String,
    file: Option<String>,
    source_text: Option<String>,
    delimiter: Option<String>,
    measure: Option<String>,
    outcome: Option<String>,
    scale: Option<String>,
    follow_up: Option<String>,
    threshold: Option<f64>,
    benefit: Option<String>,
    direction_of_benefit: Option<String>,
    teaches: Option<String>,
    nl: Option<RawText>,
    fr: Option<RawText>,
    #[serde(default)]
    analysis: RawAnalysis,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    published: Vec<RawPublished>,
    #[serde(default)]
    published_statistic: Vec<RawStatistic>,
    reference: Option<String>,
    small_values: Option<String>,
    #[serde(default)]
    columns: toml::Table,
    #[serde(default)]
    derived: toml::Table,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    not_included: toml::Table,
    #[serde(default)]
    recomputed: toml::Table,
}

fn pool_kind() -> String {
    "pool".into()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAnalysis {
    drop_double_zero: Option<bool>,
    model: Option<String>,
    method: Option<String>,
    tau2: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    citation: String,
    doi: Option<String>,
    url: Option<String>,
    document: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatistic {
    label: String,
    statistic: String,
    value: String,
    df: Option<usize>,
    source: String,
    verified: String,
    explanation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublished {
    label: String,
    measure: Option<String>,
    model: String,
    method: Option<String>,
    tau2: Option<String>,
    vtype: Option<String>,
    estimate: String,
    ci_low: String,
    ci_high: String,
    tau2_value: Option<String>,
    i2: Option<String>,
    k: Option<usize>,
    n: Option<usize>,
    source: String,
    verified: String,
    explanation: Option<String>,
    certainty: Option<String>,
    downgraded: Option<Vec<String>>,
    risk_of_bias: Option<String>,
    indirectness: Option<String>,
    certainty_source: Option<String>,
}

/// Reads the fields of a `dataset.toml` (named `file` in messages), each error naming the
/// field and its value.
struct Fields<'a> {
    file: &'a str,
}

impl Fields<'_> {
    fn invalid(&self, field: &str, value: &str, expected: &str) -> DatasetError {
        DatasetError::Invalid {
            file: self.file.to_string(),
            field: field.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        }
    }

    fn measure(&self, field: &str, m: &str) -> Result<Measure, DatasetError> {
        Measure::from_code(m)
            .ok_or_else(|| self.invalid(field, m, "one of MD, SMD, RR, OR, RD, HR, GEN"))
    }

    fn model(&self, field: &str, s: &str) -> Result<Model, DatasetError> {
        match s {
            "fixed" | "common" => Ok(Model::Fixed),
            "random" => Ok(Model::Random),
            _ => Err(self.invalid(field, s, "\"fixed\" or \"random\"")),
        }
    }

    fn method(&self, field: &str, s: &str) -> Result<CommonMethod, DatasetError> {
        match s.to_ascii_uppercase().as_str() {
            "IV" => Ok(CommonMethod::IV),
            "MH" => Ok(CommonMethod::MH),
            "PETO" => Ok(CommonMethod::Peto),
            _ => Err(self.invalid(field, s, "IV, MH or PETO")),
        }
    }

    fn tau2(&self, field: &str, s: &str) -> Result<Tau2Method, DatasetError> {
        Tau2Method::from_code(s)
            .ok_or_else(|| self.invalid(field, s, "one of DL, REML, ML, PM, HE, SJ, EB, HS"))
    }

    fn num(&self, field: &str, s: &str) -> Result<Reported, DatasetError> {
        Reported::parse(s)
            .ok_or_else(|| self.invalid(field, s, "a number as printed, in quotes, e.g. \"0.70\""))
    }

    /// The dataset's kind, with the fields of claims and network datasets.
    fn kind(&self, raw: &RawDataset) -> Result<DatasetKind, DatasetError> {
        Ok(match raw.kind.as_str() {
            "pool" => DatasetKind::Pool,
            "claims" => DatasetKind::Claims {
                file: raw.file.clone().ok_or_else(|| {
                    self.invalid(
                        "file",
                        "",
                        "a claims dataset names its claims CSV in 'file'",
                    )
                })?,
            },
            "network" => DatasetKind::Network {
                reference: raw.reference.clone(),
                small_values_good: match raw.small_values.as_deref() {
                    None | Some("good") => true,
                    Some("bad") => false,
                    Some(v) => return Err(self.invalid("small_values", v, "\"good\" or \"bad\"")),
                },
            },
            other => {
                return Err(self.invalid("kind", other, "\"pool\", \"claims\" or \"network\""))
            }
        })
    }

    /// The `[[published]]` results.
    fn published(&self, raw: &RawDataset) -> Result<Vec<Published>, DatasetError> {
        let mut published = Vec::new();
        for (i, p) in raw.published.iter().enumerate() {
            let f = |x: &str| format!("published[{i}].{x}");
            let method_p = match &p.method {
                Some(m) => self.method(&f("method"), m)?,
                None => CommonMethod::IV,
            };
            let measure_p = match &p.measure {
                Some(m) => Some(self.measure(&f("measure"), m)?),
                None => None,
            };
            published.push(Published {
                label: p.label.clone(),
                measure: measure_p,
                model: self.model(&f("model"), &p.model)?,
                method: method_p,
                tau2: p
                    .tau2
                    .as_deref()
                    .map(|t| self.tau2(&f("tau2"), t))
                    .transpose()?,
                vtype: match p.vtype.as_deref().map(str::to_ascii_uppercase).as_deref() {
                    None | Some("LS") => None,
                    Some("HO") => Some(crate::effect::MdVariance::Pooled),
                    Some(_) => {
                        return Err(self.invalid(
                            &f("vtype"),
                            p.vtype.as_deref().unwrap_or(""),
                            "LS (each arm's SD) or HO (pooled SD), as metafor's vtype",
                        ))
                    }
                },
                estimate: self.num(&f("estimate"), &p.estimate)?,
                ci_low: self.num(&f("ci_low"), &p.ci_low)?,
                ci_high: self.num(&f("ci_high"), &p.ci_high)?,
                tau2_value: p
                    .tau2_value
                    .as_deref()
                    .map(|t| self.num(&f("tau2_value"), t))
                    .transpose()?,
                i2: p.i2.clone(),
                k: p.k,
                n: p.n,
                source: p.source.clone(),
                verified: p.verified.clone(),
                explanation: p.explanation.clone(),
                certainty: crate::sof::PublishedCertainty::from_keys(
                    p.certainty.as_deref(),
                    p.downgraded.clone().unwrap_or_default(),
                    p.risk_of_bias.clone(),
                    p.indirectness.clone(),
                    p.certainty_source.clone(),
                )
                .map_err(|(field, value, expected)| self.invalid(&f(field), &value, expected))?,
            });
        }
        Ok(published)
    }

    /// The `[[published_statistic]]` values.
    fn published_statistics(
        &self,
        raw: &RawDataset,
    ) -> Result<Vec<PublishedStatistic>, DatasetError> {
        let mut published_statistics = Vec::new();
        for (i, p) in raw.published_statistic.iter().enumerate() {
            let f = |x: &str| format!("published_statistic[{i}].{x}");
            if !["q_total", "q_within", "q_between", "tau2"].contains(&p.statistic.as_str()) {
                return Err(self.invalid(
                    &f("statistic"),
                    &p.statistic,
                    "q_total, q_within, q_between or tau2",
                ));
            }
            published_statistics.push(PublishedStatistic {
                label: p.label.clone(),
                statistic: p.statistic.clone(),
                value: self.num(&f("value"), &p.value)?,
                df: p.df,
                source: p.source.clone(),
                verified: p.verified.clone(),
                explanation: p.explanation.clone(),
            });
        }
        Ok(published_statistics)
    }
}

/// A TOML table as pairs of key and text (strings as they are, other values as TOML).
fn string_table(t: &toml::Table) -> Vec<(String, String)> {
    t.iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string()),
            )
        })
        .collect()
}

/// Parses the text of a `dataset.toml` (named `file` in messages) of the folder `name`.
///
/// # Examples
/// ```
/// let toml = r#"
/// title = "Example"
/// measure = "RR"
/// [[sources]]
/// citation = "A paper"
/// "#;
/// let d = repool::io::dataset::parse_dataset(toml, "x/dataset.toml", "x").unwrap();
/// assert_eq!(d.title, "Example");
/// let err = repool::io::dataset::parse_dataset("title = \"T\"\nmeasure = \"XX\"\n", "y/dataset.toml", "y").unwrap_err();
/// assert!(err.to_string().starts_with("y/dataset.toml: measure = \"XX\""));
/// ```
pub fn parse_dataset(text: &str, file: &str, name: &str) -> Result<Dataset, DatasetError> {
    let raw: RawDataset = toml::from_str(text).map_err(|e| DatasetError::Toml {
        file: file.to_string(),
        message: e.to_string().trim_end().to_string(),
    })?;
    let fields = Fields { file };
    let kind = fields.kind(&raw)?;
    let _ = raw.delimiter;
    let measure = match (&raw.measure, &kind) {
        (Some(m), _) => Some(fields.measure("measure", m)?),
        (None, DatasetKind::Pool | DatasetKind::Network { .. }) => {
            return Err(fields.invalid(
                "measure",
                "",
                "a pool dataset needs a measure (MD, SMD, RR, OR, RD, HR, GEN)",
            ))
        }
        (None, DatasetKind::Claims { .. }) => None,
    };
    let published = fields.published(&raw)?;
    let published_statistics = fields.published_statistics(&raw)?;
    if let Some(t) = raw.threshold {
        if measure.is_some_and(|m| m.is_ratio()) && t <= 0.0 {
            return Err(fields.invalid(
                "threshold",
                &t.to_string(),
                "a ratio threshold must be > 0",
            ));
        }
    }
    let mut notes = raw.notes.clone();
    for (k, v) in string_table(&raw.not_included) {
        notes.push(format!("not included ({k}): {v}"));
    }
    let _ = raw.recomputed;
    let translations = [(Lang::Nl, raw.nl), (Lang::Fr, raw.fr)]
        .into_iter()
        .filter_map(|(l, t)| t.map(|t| (l, t.into_text())))
        .collect();
    Ok(Dataset {
        translations,
        name: name.to_string(),
        title: raw.title,
        kind,
        measure,
        outcome: raw.outcome,
        scale: raw.scale,
        follow_up: raw.follow_up,
        threshold: raw.threshold,
        benefit: raw.benefit.or(raw.direction_of_benefit),
        model: match &raw.analysis.model {
            Some(m) => fields.model("analysis.model", m)?,
            None => Model::Random,
        },
        method: match &raw.analysis.method {
            Some(m) => fields.method("analysis.method", m)?,
            None => CommonMethod::IV,
        },
        tau2: match &raw.analysis.tau2 {
            Some(t) => fields.tau2("analysis.tau2", t)?,
            None => Tau2Method::REML,
        },
        teaches: raw.teaches,
        sources: raw
            .sources
            .into_iter()
            .map(|s| Source {
                citation: s.citation,
                doi: s.doi,
                url: s.url,
                document: s.document,
            })
            .collect(),
        published,
        published_statistics,
        drop_double_zero: raw.analysis.drop_double_zero.unwrap_or(false),
        columns: string_table(&raw.columns),
        derived: string_table(&raw.derived),
        notes,
        source_text: raw.source_text.clone(),
    })
}

/// Reads `DIR/NAME/dataset.toml` (which must lie inside `DIR/NAME`).
pub fn read_dataset(dir: &Path) -> Result<Dataset, DatasetError> {
    let path = inside(dir, "dataset.toml", || "dataset.toml".into())?;
    let file = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| DatasetError::Io {
        file: file.clone(),
        source,
    })?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse_dataset(&text, &file, &name)
}

/// The file a dataset's data are read from: `data.csv`, or the claims CSV its `file` names,
/// which must lie inside the dataset folder `dir` (after `..` and symbolic links).
pub fn data_path(dir: &Path, d: &Dataset) -> Result<PathBuf, DatasetError> {
    match &d.kind {
        DatasetKind::Claims { file } => inside(dir, file, || format!("file = {file:?}")),
        DatasetKind::Pool | DatasetKind::Network { .. } => {
            inside(dir, "data.csv", || "data.csv".into())
        }
    }
}

/// The document a dataset's published numbers were taken from (`source_text`), if it names
/// one; it must lie inside the dataset folder `dir`, as its data do.
pub fn source_text_path(dir: &Path, d: &Dataset) -> Result<Option<PathBuf>, DatasetError> {
    d.source_text
        .as_deref()
        .map(|f| inside(dir, f, || format!("source_text = {f:?}")))
        .transpose()
}

/// `dir/rel`, if it lies inside `dir`: `rel` is relative without `..`, and what it resolves
/// to (symbolic links followed) is below the resolved `dir`. `what` names it in the error.
fn inside(dir: &Path, rel: &str, what: impl Fn() -> String) -> Result<PathBuf, DatasetError> {
    let outside = || DatasetError::Outside {
        file: dir.join("dataset.toml").display().to_string(),
        what: what(),
        folder: dir.display().to_string(),
    };
    let io = |p: &Path| {
        let file = p.display().to_string();
        move |source| DatasetError::Io { file, source }
    };
    let lexical = Path::new(rel);
    if !lexical
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(outside());
    }
    let path = dir.join(lexical);
    let folder = std::fs::canonicalize(dir).map_err(io(dir))?;
    let real = std::fs::canonicalize(&path).map_err(io(&path))?;
    if real.starts_with(&folder) && real != folder {
        Ok(path)
    } else {
        Err(outside())
    }
}
