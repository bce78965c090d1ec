//! Error messages in the reader's language.
//!
//! Every error a user's input can cause implements [`Localize`]: its message in English,
//! Dutch or French, from the `[errors]` section of the catalogue. The English message is the
//! error's `Display` text, unchanged (the tests check that `message(Lang::En)` equals
//! `to_string()` for every variant), so JSON and CSV error fields stay English. Positions
//! (file, line, column) and the offending values are kept as written in every language.
//!
//! Some errors carry a description that the reader composes from fixed phrases ("not a
//! number", "a number"); [`phrase`] finds such a phrase's translation in
//! `[errors.phrase]` by its English text, and leaves any other text as it is.
//!
//! Errors that only a bug can cause (an SVG that does not parse, a singular Laplacian) stay
//! English.

use crate::check::text::TextError;
use crate::check::ClaimError;
use crate::compare::CompareError;
use crate::effect::combine::CombineError;
use crate::effect::EffectError;
use crate::format::spelling::UnknownName;
use crate::format::Lang;
use crate::network::NetworkError;
use crate::pool::bias::BiasError;
use crate::pool::influence::InfluenceError;
use crate::pool::regression::RegressionError;
use crate::pool::revman5::RevmanPoolError;
use crate::pool::sensitivity::LooError;
use crate::pool::{NotConverged, PoolError};
use crate::sof::SofError;

use super::{entries, fill, text};

/// An error whose message can be given in each language of the catalogue.
pub trait Localize {
    /// The message in `lang`; in English, the error's `Display` text.
    fn message(&self, lang: Lang) -> String;
}

/// The translation of a fixed English phrase of `[errors.phrase]` (found by its English
/// text); any other text as it is.
///
/// ```
/// use repool::format::Lang;
/// use repool::i18n::errors::phrase;
/// assert_eq!(phrase(Lang::Nl, "not a number"), "geen getal");
/// assert_eq!(phrase(Lang::Nl, "study 'A'"), "study 'A'");
/// ```
pub fn phrase(lang: Lang, english: &str) -> String {
    if lang == Lang::En {
        return english.to_string();
    }
    entries(Lang::En)
        .iter()
        .find(|(key, en)| {
            (key.starts_with("errors.phrase.") || key.starts_with("errors.kind."))
                && **en == english
        })
        .map(|(key, _)| text(lang, key).to_string())
        .or_else(|| composed(lang, english))
        .unwrap_or_else(|| english.to_string())
}

/// The translation of a description composed from a template of `[errors.detail]` ("missing
/// columns 'vi', 'yi' for effects and variances (yi, vi)"): the values in its placeholders
/// are kept, or translated by [`phrase`] where they are phrases themselves. The template with
/// the most fixed text that matches is taken.
fn composed(lang: Lang, english: &str) -> Option<String> {
    let mut templates: Vec<(&String, &&str)> = entries(Lang::En)
        .iter()
        .filter(|(key, _)| key.starts_with("errors.detail."))
        .collect();
    templates.sort_by_key(|(key, en)| (std::cmp::Reverse(fixed_len(en)), key.as_str()));
    templates.into_iter().find_map(|(key, en)| {
        let values = match_template(en, english)?;
        let translated: Vec<(&str, String)> = values
            .into_iter()
            .map(|(name, value)| (name, phrase(lang, value)))
            .collect();
        let args: Vec<(&str, &str)> = translated.iter().map(|(n, v)| (*n, v.as_str())).collect();
        Some(fill(lang, key, &args))
    })
}

/// The length of a template's text outside its `{placeholders}`.
fn fixed_len(template: &str) -> usize {
    split_template(template).0.iter().map(|p| p.len()).sum()
}

/// A template's fixed pieces and, between them, its placeholders' names: `n` names and
/// `n + 1` pieces.
fn split_template(template: &str) -> (Vec<&str>, Vec<&str>) {
    let (mut pieces, mut names) = (Vec::new(), Vec::new());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        pieces.push(&rest[..open]);
        names.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    pieces.push(rest);
    (pieces, names)
}

/// The values of `template`'s placeholders in `text`, if `text` is the template filled in
/// (each value non-empty, ending at the first occurrence of the fixed text after it; the
/// last fixed piece ends the text).
fn match_template<'a, 't>(template: &'t str, text: &'a str) -> Option<Vec<(&'t str, &'a str)>> {
    let (pieces, names) = split_template(template);
    let mut rest = text.strip_prefix(pieces[0])?;
    let mut values = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let next = pieces[i + 1];
        let end = if i + 1 == names.len() {
            let end = rest.strip_suffix(next)?.len();
            (end > 0).then_some(end)?
        } else {
            rest.get(1..)?.find(next)? + 1
        };
        values.push((*name, rest.get(..end)?));
        rest = &rest[end + next.len()..];
    }
    (names.is_empty() && rest.is_empty() || !names.is_empty()).then_some(values)
}

/// A number as it is written in `lang`'s text: a decimal comma in Dutch and French.
pub fn num(lang: Lang, x: f64) -> String {
    decimal(lang, x.to_string())
}

/// A number already written with a decimal point, with a decimal comma in Dutch and French.
fn decimal(lang: Lang, s: String) -> String {
    match lang {
        Lang::En => s,
        Lang::Nl | Lang::Fr => s.replace('.', ","),
    }
}

/// ` (line 12)` after a study's name, or nothing.
fn at_line(lang: Lang, line: Option<u64>) -> String {
    line.map(|l| fill(lang, "errors.at_line", &[("line", &l.to_string())]))
        .unwrap_or_default()
}

/// The message of an I/O error: the system's own words in English, the kind of error in
/// Dutch and French when it is a common one.
pub fn io_message(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind;
    let key = match e.kind() {
        _ if lang == Lang::En => None,
        ErrorKind::NotFound => Some(text(lang, "errors.io.not_found")),
        ErrorKind::PermissionDenied => Some(text(lang, "errors.io.permission_denied")),
        ErrorKind::IsADirectory => Some(text(lang, "errors.io.is_a_directory")),
        ErrorKind::InvalidData => Some(text(lang, "errors.io.invalid_data")),
        _ => None,
    };
    key.map_or_else(|| e.to_string(), str::to_string)
}

impl Localize for EffectError {
    fn message(&self, lang: Lang) -> String {
        match self {
            EffectError::NonFiniteEffect { yi } => {
                fill(lang, "errors.effect.non_finite", &[("yi", &num(lang, *yi))])
            }
            EffectError::NonPositiveVariance { vi } => {
                fill(lang, "errors.effect.variance", &[("vi", &num(lang, *vi))])
            }
            EffectError::WrongData { measure, kind } => fill(
                lang,
                "errors.effect.wrong_data",
                &[("measure", measure.code()), ("kind", &phrase(lang, kind))],
            ),
            EffectError::ZeroCell { measure, detail } => fill(
                lang,
                "errors.effect.zero_cell",
                &[
                    ("measure", measure.code()),
                    ("detail", &phrase(lang, detail)),
                ],
            ),
            EffectError::SmdUndefined { detail } => fill(
                lang,
                "errors.effect.smd_undefined",
                &[("detail", &phrase(lang, detail))],
            ),
        }
    }
}

impl Localize for NotConverged {
    fn message(&self, lang: Lang) -> String {
        fill(
            lang,
            "errors.pool.not_converged",
            &[
                ("method", self.method.code()),
                ("iterations", &self.iterations.to_string()),
            ],
        )
    }
}

impl Localize for PoolError {
    fn message(&self, lang: Lang) -> String {
        match self {
            PoolError::Effect {
                study,
                line,
                source,
            } => fill(
                lang,
                "errors.pool.effect",
                &[
                    ("study", study),
                    ("line", &at_line(lang, *line)),
                    ("detail", &source.message(lang)),
                ],
            ),
            PoolError::NoStudies { excluded } => match excluded {
                0 => text(lang, "errors.pool.no_studies").to_string(),
                1 => text(lang, "errors.pool.no_studies_one_excluded").to_string(),
                n => fill(
                    lang,
                    "errors.pool.no_studies_excluded",
                    &[("n", &n.to_string())],
                ),
            },
            PoolError::NotConverged(e) => e.message(lang),
            PoolError::NeedsTwoByTwo {
                method,
                study,
                kind,
            } => fill(
                lang,
                "errors.pool.needs_two_by_two",
                &[
                    ("method", method),
                    ("study", study),
                    ("kind", &phrase(lang, kind)),
                ],
            ),
            PoolError::MethodMeasure { method, measure } => fill(
                lang,
                "errors.pool.method_measure",
                &[("method", method), ("measure", measure.code())],
            ),
            PoolError::VtypeMeasure { measure } => fill(
                lang,
                "errors.pool.vtype_measure",
                &[("measure", measure.code())],
            ),
            PoolError::MethodModel { method } => {
                fill(lang, "errors.pool.method_model", &[("method", method)])
            }
            PoolError::MethodCi { method } => {
                fill(lang, "errors.pool.method_ci", &[("method", method)])
            }
            PoolError::Undefined { method, detail } => fill(
                lang,
                "errors.pool.undefined",
                &[("method", method), ("detail", &phrase(lang, detail))],
            ),
            PoolError::HksjNeedsTwo => text(lang, "errors.pool.hksj_needs_two").to_string(),
            PoolError::RatioOverflow {
                study,
                line,
                what,
                log,
            } => fill(
                lang,
                "errors.pool.ratio_overflow",
                &[
                    ("study", study),
                    ("line", &at_line(lang, *line)),
                    ("what", &phrase(lang, what)),
                    ("log", &decimal(lang, format!("{log:.2}"))),
                ],
            ),
            PoolError::NonFinite { what } => fill(
                lang,
                "errors.pool.non_finite",
                &[("what", &phrase(lang, what))],
            ),
            PoolError::Level { level } => {
                fill(lang, "errors.pool.level", &[("level", &num(lang, *level))])
            }
        }
    }
}

impl Localize for TextError {
    fn message(&self, lang: Lang) -> String {
        fill(
            lang,
            "errors.check.text",
            &[
                ("text", &format!("{:?}", self.text)),
                ("reason", &phrase(lang, &self.reason)),
            ],
        )
    }
}

impl Localize for ClaimError {
    fn message(&self, lang: Lang) -> String {
        match self {
            ClaimError::CiOrder { low, high } => fill(
                lang,
                "errors.check.ci_order",
                &[("low", low), ("high", high)],
            ),
            ClaimError::NonPositiveRatio { what, value } => fill(
                lang,
                "errors.check.non_positive_ratio",
                &[("what", &phrase(lang, what)), ("value", value)],
            ),
            ClaimError::ThresholdAtNull { null } => fill(
                lang,
                "errors.check.threshold_at_null",
                &[("null", &num(lang, *null))],
            ),
            ClaimError::Level { level } => fill(
                lang,
                "errors.check.level",
                &[("level", &num(lang, level * 100.0))],
            ),
            ClaimError::NonFinite { what } => fill(
                lang,
                "errors.check.non_finite",
                &[("what", &phrase(lang, what))],
            ),
            ClaimError::Invalid {
                line,
                column,
                value,
                problem,
                expected,
            } => fill(
                lang,
                "errors.detail.invalid",
                &[
                    ("pos", &format!("{line}:{column}")),
                    ("problem", &phrase(lang, problem)),
                    ("value", value),
                    ("expected", &phrase(lang, expected)),
                ],
            ),
        }
    }
}

impl Localize for SofError {
    fn message(&self, lang: Lang) -> String {
        match self {
            SofError::NoControlRisk => text(lang, "errors.sof.no_control_risk").to_string(),
            SofError::TrialRisk { value } => fill(
                lang,
                "errors.sof.trial_risk",
                &[("value", &num(lang, *value))],
            ),
            SofError::ControlRisk { value } => fill(
                lang,
                "errors.sof.control_risk",
                &[("value", &num(lang, *value))],
            ),
            SofError::Sd { value } => fill(lang, "errors.sof.sd", &[("value", &num(lang, *value))]),
            SofError::Threshold { value, measure } => fill(
                lang,
                "errors.sof.threshold",
                &[
                    ("value", &num(lang, *value)),
                    ("measure", &phrase(lang, measure)),
                ],
            ),
            SofError::ThresholdSide { value, desirable } => {
                let value = num(lang, *value);
                if *desirable {
                    fill(
                        lang,
                        "errors.sof.threshold_side_desirable",
                        &[("value", &value)],
                    )
                } else {
                    fill(
                        lang,
                        "errors.sof.threshold_side_undesirable",
                        &[("value", &value)],
                    )
                }
            }
            SofError::TimePoint => text(lang, "errors.sof.time_point").to_string(),
            SofError::NoMirror { value } => fill(
                lang,
                "errors.sof.no_mirror",
                &[("value", &num(lang, *value))],
            ),
        }
    }
}

/// `study 'A' has` or `the network has` ... : the message of a network that is too large.
fn network_too_large(
    lang: Lang,
    study: Option<&str>,
    what: &str,
    count: usize,
    max: usize,
) -> String {
    let what = phrase(lang, what);
    let (count, max) = (count.to_string(), max.to_string());
    let args = [("what", what.as_str()), ("count", &count), ("max", &max)];
    match study {
        Some(s) => {
            let mut with = args.to_vec();
            with.push(("study", s));
            fill(lang, "errors.network_error.too_large_study", &with)
        }
        None => fill(lang, "errors.network_error.too_large_network", &args),
    }
}

/// The messages of the network errors about one study's arms.
fn network_arm_message(e: &NetworkError, lang: Lang) -> Option<String> {
    Some(match e {
        NetworkError::DuplicateArm {
            study,
            treatment,
            line,
        } => fill(
            lang,
            "errors.network_error.duplicate_arm",
            &[
                ("study", study),
                ("treatment", treatment),
                ("line", &at_line(lang, *line)),
            ],
        ),
        NetworkError::SelfComparison {
            study,
            treatment,
            line,
        } => fill(
            lang,
            "errors.network_error.self_comparison",
            &[
                ("study", study),
                ("treatment", treatment),
                ("line", &at_line(lang, *line)),
            ],
        ),
        NetworkError::SingleArm {
            study,
            treatment,
            line,
        } => fill(
            lang,
            "errors.network_error.single_arm",
            &[
                ("study", study),
                ("treatment", treatment),
                ("line", &at_line(lang, *line)),
            ],
        ),
        NetworkError::MixedArms { study, line } => fill(
            lang,
            "errors.network_error.mixed_arms",
            &[("study", study), ("line", &at_line(lang, *line))],
        ),
        NetworkError::Effect {
            study,
            treat1,
            treat2,
            line,
            detail,
        } => fill(
            lang,
            "errors.network_error.effect",
            &[
                ("study", study),
                ("line", &at_line(lang, *line)),
                ("treat1", treat1),
                ("treat2", treat2),
                ("detail", &phrase(lang, detail)),
            ],
        ),
        NetworkError::IncompleteMultiArm {
            study,
            treatments,
            missing,
        } => fill(
            lang,
            "errors.network_error.incomplete",
            &[
                ("study", study),
                ("treatments", treatments),
                ("missing", missing),
            ],
        ),
        NetworkError::InconsistentMultiArm { study, detail } => fill(
            lang,
            "errors.network_error.inconsistent",
            &[("study", study), ("detail", &phrase(lang, detail))],
        ),
        _ => return network_study_message(e, lang),
    })
}

/// The messages of the network errors about one study's contrasts.
fn network_study_message(e: &NetworkError, lang: Lang) -> Option<String> {
    Some(match e {
        NetworkError::PartialZeroMultiArm {
            study,
            line,
            pairs,
            arms,
        } => fill(
            lang,
            "errors.network_error.partial_zero",
            &[
                ("study", study),
                ("line", &at_line(lang, *line)),
                ("pairs", pairs),
                ("arms", &arms.to_string()),
            ],
        ),
        NetworkError::MultiArm { study } => {
            fill(lang, "errors.network_error.multi_arm", &[("study", study)])
        }
        NetworkError::BadContrast {
            study,
            line,
            treat1,
            treat2,
            y,
            v,
        } => fill(
            lang,
            "errors.network_error.bad_contrast",
            &[
                ("study", study),
                ("line", &at_line(lang, *line)),
                ("treat1", treat1),
                ("treat2", treat2),
                ("y", &num(lang, *y)),
                ("v", &num(lang, *v)),
            ],
        ),
        _ => return None,
    })
}

impl Localize for NetworkError {
    fn message(&self, lang: Lang) -> String {
        if let Some(m) = network_arm_message(self, lang) {
            return m;
        }
        match self {
            NetworkError::Empty => text(lang, "errors.network_error.empty").to_string(),
            NetworkError::AllDropped => text(lang, "errors.network_error.all_dropped").to_string(),
            NetworkError::Disconnected { components } => fill(
                lang,
                "errors.network_error.disconnected",
                &[
                    ("n", &components.len().to_string()),
                    (
                        "parts",
                        &components
                            .iter()
                            .map(|c| format!("{{{}}}", c.join(", ")))
                            .collect::<Vec<_>>()
                            .join(text(lang, "errors.network_error.and")),
                    ),
                ],
            ),
            NetworkError::UnknownReference {
                reference,
                treatments,
            } => fill(
                lang,
                "errors.network_error.unknown_reference",
                &[("reference", reference), ("treatments", treatments)],
            ),
            NetworkError::Measure { measure, kind } if *kind == "binary" => fill(
                lang,
                "errors.network_error.measure_binary",
                &[("measure", measure.code())],
            ),
            NetworkError::Measure { measure, kind } if *kind == "continuous" => fill(
                lang,
                "errors.network_error.measure_continuous",
                &[("measure", measure.code())],
            ),
            NetworkError::TooLarge {
                study,
                what,
                count,
                max,
            } => network_too_large(lang, study.as_deref(), what, *count, *max),
            NetworkError::NonFinite { what, extremes } => fill(
                lang,
                "errors.network_error.non_finite",
                &[("what", &phrase(lang, what)), ("extremes", extremes)],
            ),
            // A singular Laplacian only a bug can cause.
            _ => self.to_string(),
        }
    }
}

impl Localize for BiasError {
    fn message(&self, lang: Lang) -> String {
        match self {
            BiasError::TooFew { method, needed, k } => fill(
                lang,
                "errors.bias.too_few",
                &[
                    ("method", &phrase(lang, method)),
                    ("needed", &needed.to_string()),
                    ("k", &k.to_string()),
                ],
            ),
            BiasError::Degenerate { method } => fill(
                lang,
                "errors.bias.degenerate",
                &[("method", &phrase(lang, method))],
            ),
            BiasError::NonFinite { method, what } => fill(
                lang,
                "errors.bias.non_finite",
                &[
                    ("method", &phrase(lang, method)),
                    ("what", &phrase(lang, what)),
                ],
            ),
        }
    }
}

impl Localize for RegressionError {
    fn message(&self, lang: Lang) -> String {
        match self {
            RegressionError::TooFew { p, k } => fill(
                lang,
                "errors.regression.too_few",
                &[("p", &p.to_string()), ("k", &k.to_string())],
            ),
            RegressionError::Singular => text(lang, "errors.regression.singular").to_string(),
            RegressionError::ExactFit => text(lang, "errors.regression.exact_fit").to_string(),
            RegressionError::NotConverged(method) => fill(
                lang,
                "errors.regression.not_converged",
                &[("method", &method.to_string())],
            ),
            RegressionError::NonFinite { what } => fill(
                lang,
                "errors.regression.non_finite",
                &[("what", &phrase(lang, what))],
            ),
        }
    }
}

impl Localize for InfluenceError {
    fn message(&self, lang: Lang) -> String {
        match self {
            InfluenceError::NotConverged(e) => e.message(lang),
            InfluenceError::NonFinite { index, what } => fill(
                lang,
                "errors.influence.non_finite",
                &[("what", &phrase(lang, what)), ("index", &index.to_string())],
            ),
        }
    }
}

impl Localize for LooError {
    fn message(&self, lang: Lang) -> String {
        match self {
            LooError::NotConverged(e) => e.message(lang),
            LooError::NonFinite { index, what } => fill(
                lang,
                "errors.loo.non_finite",
                &[("what", &phrase(lang, what)), ("index", &index.to_string())],
            ),
        }
    }
}

impl Localize for CombineError {
    fn message(&self, lang: Lang) -> String {
        match self {
            CombineError::Kind => text(lang, "errors.combine.kind").to_string(),
            CombineError::ControlDiffers => {
                text(lang, "errors.combine.control_differs").to_string()
            }
        }
    }
}

impl Localize for CompareError {
    fn message(&self, lang: Lang) -> String {
        match self {
            CompareError::CohensD => text(lang, "errors.compare.cohens_d").to_string(),
            CompareError::Pool(e) => e.message(lang),
            CompareError::Revman5(e) => e.message(lang),
        }
    }
}

impl Localize for RevmanPoolError {
    fn message(&self, lang: Lang) -> String {
        match self {
            RevmanPoolError::NoEstimable => {
                text(lang, "errors.revman_pool.no_estimable").to_string()
            }
            RevmanPoolError::Unsupported(what) => phrase(lang, what),
            RevmanPoolError::NonFinite(e) => e.message(lang),
        }
    }
}

impl Localize for UnknownName {
    fn message(&self, lang: Lang) -> String {
        fill(
            lang,
            "errors.unknown_name.name",
            &[("name", &self.name), ("expected", &self.expected)],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::Measure;
    use crate::io::dataset::DatasetError;
    use crate::io::moderators::DesignError;
    use crate::io::network::NetworkReadError;
    use crate::io::read::{InputKind, MeasureProblem, Position, ReadError};
    use crate::io::revman::RevmanError;
    use crate::plot::render::RenderError;
    use crate::pool::Tau2Method;
    use crate::report::network::NetworkReportError;

    fn pos(column: bool) -> Position {
        Position {
            file: "f.csv".into(),
            line: 3,
            column: column.then(|| (2, "n_t".into())),
        }
    }

    fn io() -> std::io::Error {
        std::io::Error::from(std::io::ErrorKind::NotFound)
    }

    /// A case of [`every_error`]: the message in each language, the English `Display` text and
    /// the value every language must keep.
    type Case = (Box<dyn Fn(Lang) -> String>, String, &'static str);

    /// Adds error `e` as a case that must keep `keep`.
    fn add<E: Localize + std::fmt::Display + 'static>(
        out: &mut Vec<Case>,
        e: E,
        keep: &'static str,
    ) {
        let shown = e.to_string();
        out.push((Box::new(move |l| e.message(l)), shown, keep));
    }

    /// Every variant of every localised error, with the value each message must keep.
    fn every_error() -> Vec<Case> {
        let mut out = Vec::new();
        read_errors(&mut out);
        computation_errors(&mut out);
        document_errors(&mut out);
        network_errors(&mut out);
        other_errors(&mut out);
        out
    }

    /// The cases of the input readers' errors (tables and networks).
    fn read_errors(out: &mut Vec<Case>) {
        let p = pos(true);
        add(
            out,
            ReadError::Io {
                file: "f.csv".into(),
                source: io(),
            },
            "f.csv",
        );
        add(
            out,
            ReadError::Empty {
                file: "f.csv".into(),
            },
            "f.csv",
        );
        add(
            out,
            ReadError::Csv {
                pos: pos(false),
                message: "unclosed quote".into(),
            },
            "f.csv:3",
        );
        add(
            out,
            ReadError::Schema {
                file: "f.csv".into(),
                detail: "missing column 'vi'".into(),
                measure: None,
                found: "study, yi".into(),
            },
            "study, yi",
        );
        add(
            out,
            ReadError::Schema {
                file: "f.csv".into(),
                detail: "missing column 'n_c'".into(),
                measure: Some(Measure::LogOddsRatio),
                found: "study, n_t".into(),
            },
            "OR",
        );
        add(
            out,
            ReadError::DuplicateColumn {
                file: "f.csv".into(),
                first: (1, "yi".into()),
                second: (3, "YI".into()),
            },
            "'YI'",
        );
        add(
            out,
            ReadError::Measure {
                file: "f.csv".into(),
                problem: MeasureProblem::Needed {
                    kind: InputKind::TwoByTwo,
                },
            },
            "RR, OR",
        );
        add(
            out,
            ReadError::Measure {
                file: "f.csv".into(),
                problem: MeasureProblem::Needed {
                    kind: InputKind::MeanSd,
                },
            },
            "MD",
        );
        add(
            out,
            ReadError::Measure {
                file: "f.csv".into(),
                problem: MeasureProblem::Needed {
                    kind: InputKind::YiVi,
                },
            },
            "(yi, vi)",
        );
        add(
            out,
            ReadError::Measure {
                file: "f.csv".into(),
                problem: MeasureProblem::NotFrom {
                    measure: Measure::MeanDifference,
                    kind: InputKind::EstimateCi,
                },
            },
            "ci_low",
        );
        add(
            out,
            ReadError::Measure {
                file: "f.csv".into(),
                problem: MeasureProblem::InputLevel { level: 1.5 },
            },
            "1",
        );
        add(
            out,
            ReadError::Invalid {
                pos: p.clone(),
                value: "x".into(),
                problem: "not a number".into(),
                expected: "a number".into(),
            },
            "f.csv:3:2",
        );
        add(
            out,
            ReadError::Invalid {
                pos: p.clone(),
                value: "-1".into(),
                problem: "negative standard deviation".into(),
                expected: "a standard deviation of 0 or more".into(),
            },
            "'-1'",
        );
        add(
            out,
            ReadError::DecimalComma {
                pos: p.clone(),
                value: "1,5".into(),
            },
            "'1,5'",
        );
        add(
            out,
            ReadError::RowLength {
                pos: pos(false),
                found: 6,
                expected: 5,
            },
            "6",
        );
        add(
            out,
            ReadError::QuoteAcrossLines {
                pos: pos(false),
                last_line: 9,
            },
            "9",
        );
        add(
            out,
            ReadError::NotContiguous {
                pos: pos(false),
                analysis: "A1".into(),
            },
            "'A1'",
        );
        add(
            out,
            ReadError::Combine {
                pos: pos(false),
                key: "k".into(),
                lines: "3, 5".into(),
                detail: "x".into(),
            },
            "3, 5",
        );
        add(
            out,
            ReadError::NoRows {
                file: "f.csv".into(),
            },
            "f.csv",
        );
        add(
            out,
            NetworkReadError::Empty {
                file: "n.csv".into(),
            },
            "n.csv",
        );
        add(
            out,
            NetworkReadError::Csv {
                pos: p.clone(),
                message: "m".into(),
            },
            "f.csv:3:2",
        );
        add(
            out,
            NetworkReadError::Schema {
                file: "n.csv".into(),
                found: "a, b".into(),
            },
            "a, b",
        );
        add(
            out,
            NetworkReadError::DuplicateColumn {
                file: "n.csv".into(),
                first: (1, "n".into()),
                second: (2, "N".into()),
            },
            "'N'",
        );
        add(
            out,
            NetworkReadError::SeveralAnalyses {
                file: "n.csv".into(),
                names: "X, Y".into(),
            },
            "X, Y",
        );
        add(
            out,
            NetworkReadError::StudyNotContiguous {
                pos: pos(false),
                study: "S".into(),
                earlier: 2,
            },
            "'S'",
        );
        add(
            out,
            NetworkReadError::Invalid {
                pos: p.clone(),
                value: "-3".into(),
                problem: "missing value".into(),
                expected: "a name".into(),
            },
            "'-3'",
        );
    }

    /// The cases of the effect-size and pooling errors.
    fn computation_errors(out: &mut Vec<Case>) {
        add(
            out,
            EffectError::NonFiniteEffect { yi: f64::INFINITY },
            "inf",
        );
        add(out, EffectError::NonPositiveVariance { vi: -2.0 }, "-2");
        add(
            out,
            EffectError::WrongData {
                measure: Measure::MeanDifference,
                kind: "2x2 table",
            },
            "MD",
        );
        add(
            out,
            EffectError::ZeroCell {
                measure: Measure::LogRiskRatio,
                detail: "events_c = 0".into(),
            },
            "events_c = 0",
        );
        add(
            out,
            EffectError::ZeroCell {
                measure: Measure::LogOddsRatio,
                detail: "only events in the control arm".into(),
            },
            "OR",
        );
        add(
            out,
            EffectError::SmdUndefined {
                detail: "the pooled standard deviation is 0".into(),
            },
            "SMD",
        );
        add(
            out,
            NotConverged {
                method: Tau2Method::REML,
                iterations: 100,
            },
            "100",
        );
        add(
            out,
            PoolError::Effect {
                study: "Smith".into(),
                line: Some(4),
                source: EffectError::NonPositiveVariance { vi: 0.0 },
            },
            "4",
        );
        add(
            out,
            PoolError::Effect {
                study: "Smith".into(),
                line: None,
                source: EffectError::NonPositiveVariance { vi: 0.0 },
            },
            "'Smith'",
        );
        add(out, PoolError::NoStudies { excluded: 0 }, "k = 0");
        add(out, PoolError::NoStudies { excluded: 1 }, "k = 0");
        add(out, PoolError::NoStudies { excluded: 3 }, "3");
        add(
            out,
            PoolError::NotConverged(NotConverged {
                method: Tau2Method::REML,
                iterations: 7,
            }),
            "7",
        );
        add(
            out,
            PoolError::NeedsTwoByTwo {
                method: "MH",
                study: "S".into(),
                kind: "means and SDs",
            },
            "'S'",
        );
        add(
            out,
            PoolError::MethodMeasure {
                method: "PETO",
                measure: Measure::LogRiskRatio,
            },
            "PETO",
        );
        add(
            out,
            PoolError::VtypeMeasure {
                measure: Measure::StandardizedMeanDifference,
            },
            "SMD",
        );
        add(out, PoolError::MethodModel { method: "MH" }, "MH");
        add(out, PoolError::MethodCi { method: "MH" }, "MH");
        add(
            out,
            PoolError::Undefined {
                method: "MH",
                detail: "no study has both events and non-events",
            },
            "MH",
        );
        add(out, PoolError::HksjNeedsTwo, "k = 1");
        add(
            out,
            PoolError::RatioOverflow {
                study: "S".into(),
                line: Some(9),
                what: "upper confidence limit of the pooled ratio",
                log: 800.123,
            },
            "800",
        );
        add(out, PoolError::NonFinite { what: "p-value" }, "");
        add(out, PoolError::Level { level: 1.5 }, "1");
    }

    /// The cases of the errors of datasets, RevMan files, claims and summaries of findings.
    fn document_errors(out: &mut Vec<Case>) {
        add(
            out,
            DatasetError::Io {
                file: "d.toml".into(),
                source: io(),
            },
            "d.toml",
        );
        add(
            out,
            DatasetError::Toml {
                file: "d.toml".into(),
                message: "m".into(),
            },
            "d.toml: m",
        );
        add(
            out,
            DatasetError::Outside {
                file: "d.toml".into(),
                what: "data".into(),
                folder: "dir".into(),
            },
            "dir",
        );
        add(
            out,
            DatasetError::Invalid {
                file: "d.toml".into(),
                field: "measure".into(),
                value: "XX".into(),
                expected: "a number".into(),
            },
            "\"XX\"",
        );
        add(
            out,
            RevmanError::Xml {
                file: "r.rm5".into(),
                message: "m".into(),
            },
            "r.rm5",
        );
        add(
            out,
            RevmanError::TooDeep {
                file: "r.rm5".into(),
                line: 4,
                column: 7,
                limit: 64,
            },
            "r.rm5:4:7",
        );
        add(
            out,
            RevmanError::NotReview {
                file: "r.rm5".into(),
                root: "X".into(),
            },
            "<X>",
        );
        add(
            out,
            TextError {
                text: "DM -12".into(),
                reason: "no measure (MD, SMD, RR, OR, HR, RD or IRR)".into(),
            },
            "\"DM -12\"",
        );
        add(
            out,
            ClaimError::CiOrder {
                low: "2".into(),
                high: "1".into(),
            },
            "(2)",
        );
        add(
            out,
            ClaimError::NonPositiveRatio {
                what: "the threshold",
                value: "-1".into(),
            },
            "-1",
        );
        add(out, ClaimError::ThresholdAtNull { null: 1.0 }, "(1)");
        add(out, ClaimError::Level { level: 0.4 }, "40");
        add(out, ClaimError::NonFinite { what: "p-value" }, "");
        add(
            out,
            ClaimError::Invalid {
                line: 1,
                column: 19,
                value: "1.5".into(),
                problem: "not a p-value",
                expected: "e.g. 0.01, <0.001, 0,04 or p<0.00001",
            },
            "'1.5'",
        );
        add(
            out,
            TextError {
                text: "RR 2 (1 to 4), df = 0".into(),
                reason: "1:21: not a number of degrees of freedom: '0'; expected a number above 0"
                    .into(),
            },
            "1:21",
        );
        add(out, SofError::NoControlRisk, "2x2");
        add(
            out,
            SofError::ThresholdSide {
                value: 0.8,
                desirable: true,
            },
            "8",
        );
        add(
            out,
            SofError::ThresholdSide {
                value: 1.2,
                desirable: false,
            },
            "2",
        );
        add(out, SofError::TimePoint, "");
        add(out, SofError::NoMirror { value: 2.5 }, "5");
        add(out, SofError::TrialRisk { value: 0.0 }, "0");
        add(out, SofError::ControlRisk { value: 2.0 }, "2");
        add(out, SofError::Sd { value: -1.0 }, "-1");
        add(
            out,
            SofError::Threshold {
                value: 1.0,
                measure: "RR",
            },
            "RR",
        );
    }

    /// The cases of [`every_error`] for the errors of networks.
    fn network_errors(out: &mut Vec<Case>) {
        let s = || "A".to_string();
        add(out, NetworkError::Empty, "");
        add(
            out,
            NetworkError::DuplicateArm {
                study: s(),
                treatment: "x".into(),
                line: Some(4),
            },
            "'x'",
        );
        add(
            out,
            NetworkError::SelfComparison {
                study: s(),
                treatment: "x".into(),
                line: None,
            },
            "'x'",
        );
        add(
            out,
            NetworkError::SingleArm {
                study: s(),
                treatment: "x".into(),
                line: Some(4),
            },
            "4",
        );
        add(
            out,
            NetworkError::MixedArms {
                study: s(),
                line: Some(4),
            },
            "'A'",
        );
        add(
            out,
            NetworkError::Effect {
                study: s(),
                treat1: "x".into(),
                treat2: "y".into(),
                line: Some(4),
                detail: "more events than participants (3 > 2)".into(),
            },
            "3 > 2",
        );
        add(
            out,
            NetworkError::IncompleteMultiArm {
                study: s(),
                treatments: "x, y, z".into(),
                missing: "y vs z".into(),
            },
            "y vs z",
        );
        add(
            out,
            NetworkError::InconsistentMultiArm {
                study: s(),
                detail: "x vs y is 1, but x vs z minus y vs z is 2".into(),
            },
            "x vs y",
        );
        add(
            out,
            NetworkError::PartialZeroMultiArm {
                study: s(),
                line: Some(4),
                pairs: "x vs y".into(),
                arms: 3,
            },
            "x vs y",
        );
        add(out, NetworkError::AllDropped, "");
        add(out, NetworkError::MultiArm { study: s() }, "'A'");
        add(
            out,
            NetworkError::Disconnected {
                components: vec![vec!["x".into(), "y".into()], vec!["z".into()]],
            },
            "{x, y}",
        );
        add(
            out,
            NetworkError::UnknownReference {
                reference: "q".into(),
                treatments: "x, y".into(),
            },
            "'q'",
        );
        add(
            out,
            NetworkError::Measure {
                measure: Measure::MeanDifference,
                kind: "binary",
            },
            "MD",
        );
        add(
            out,
            NetworkError::Measure {
                measure: Measure::LogRiskRatio,
                kind: "continuous",
            },
            "RR",
        );
        add(
            out,
            NetworkError::TooLarge {
                study: Some(s()),
                what: "arms",
                count: 30,
                max: 20,
            },
            "30",
        );
        add(
            out,
            NetworkError::TooLarge {
                study: None,
                what: "pairwise comparisons",
                count: 3000,
                max: 2000,
            },
            "3000",
        );
        add(
            out,
            NetworkError::BadContrast {
                study: s(),
                line: Some(4),
                treat1: "x".into(),
                treat2: "y".into(),
                y: 1.0,
                v: -2.0,
            },
            "-2",
        );
        add(
            out,
            NetworkError::NonFinite {
                what: "I^2",
                extremes: "yi = 1e300".into(),
            },
            "1e300",
        );
    }

    /// The cases of [`every_error`] for the errors of bias tests, meta-regression, influence,
    /// leave-one-out, moderators, combined rows, comparisons, names and plots.
    fn other_errors(out: &mut Vec<Case>) {
        add(
            out,
            BiasError::TooFew {
                method: "Egger's test",
                needed: 3,
                k: 2,
            },
            "k = 2",
        );
        add(
            out,
            BiasError::Degenerate {
                method: "the rank correlation test",
            },
            "",
        );
        add(
            out,
            BiasError::NonFinite {
                method: "trim-and-fill",
                what: "p-value",
            },
            "trim-and-fill",
        );
        add(out, RegressionError::TooFew { p: 3, k: 2 }, "k = 2");
        add(out, RegressionError::Singular, "");
        add(out, RegressionError::ExactFit, "QE = 0");
        add(out, RegressionError::NotConverged(Tau2Method::REML), "REML");
        add(out, RegressionError::NonFinite { what: "p-value" }, "");
        add(
            out,
            InfluenceError::NonFinite {
                index: 7,
                what: "p-value",
            },
            "7",
        );
        add(
            out,
            LooError::NonFinite {
                index: 7,
                what: "p-value",
            },
            "7",
        );
        add(
            out,
            DesignError::Missing {
                row: 2,
                column: "dose".into(),
            },
            "'dose'",
        );
        add(
            out,
            DesignError::NotNumber {
                row: 2,
                column: "dose".into(),
                value: "x".into(),
            },
            "factor(dose)",
        );
        add(
            out,
            DesignError::OutOfRange {
                row: 2,
                column: "dose".into(),
                value: "1e999".into(),
                problem: "number too large to be represented (it would be infinite)",
            },
            "'1e999'",
        );
        add(out, CombineError::Kind, "2x2");
        add(out, CombineError::ControlDiffers, "");
        add(out, CompareError::CohensD, "'hedges'");
        add(out, RevmanPoolError::NoEstimable, "");
        add(
            out,
            NetworkReportError::UnknownReference {
                reference: "q".into(),
            },
            "'q'",
        );
        add(
            out,
            NetworkReportError::NotNetwork { name: "d".into() },
            "'d'",
        );
        add(
            out,
            UnknownName {
                name: "xx".into(),
                expected: "REML, DL".into(),
            },
            "'xx'",
        );
        add(
            out,
            RenderError::TooLarge {
                width: 10,
                height: 20,
            },
            "10 x 20",
        );
        add(
            out,
            RenderError::OverBudget {
                width: 10,
                height: 20,
                max_megapixels: 40,
            },
            "40",
        );
        add(
            out,
            RenderError::Encode {
                format: "PNG",
                message: "m".into(),
            },
            "PNG",
        );
    }

    #[test]
    fn the_english_message_is_the_display_text() {
        for (message, shown, _) in every_error() {
            assert_eq!(message(Lang::En), shown);
        }
    }

    /// The English texts of the `[errors]` catalogue that a translation must not contain:
    /// the longer entries and the words of the phrases.
    fn english_pieces() -> Vec<&'static str> {
        entries(Lang::En)
            .iter()
            .filter(|(k, _)| k.starts_with("errors.") && !k.starts_with("errors.cli."))
            .flat_map(|(_, t)| {
                t.split(|c| c == '{' || c == '}' || c == ':' || c == ';' || c == '(')
            })
            .map(str::trim)
            .filter(|piece| piece.len() > 12 && piece.contains(' ') && !piece.contains('_'))
            .collect()
    }

    #[test]
    fn dutch_and_french_messages_keep_the_values_and_no_english() {
        let english = english_pieces();
        for (message, shown, keep) in every_error() {
            for lang in [Lang::Nl, Lang::Fr] {
                let m = message(lang);
                assert!(m.contains(keep), "{lang:?}: {m:?} lost {keep:?}");
                // A message that is all data (the TOML parser's) is the same in every language.
                if shown != keep {
                    assert_ne!(m, shown, "{lang:?} is English");
                }
                for piece in &english {
                    assert!(!m.contains(piece), "{lang:?}: {m:?} has English {piece:?}");
                }
            }
        }
    }

    #[test]
    fn positions_keep_file_line_and_column() {
        let e = ReadError::DecimalComma {
            pos: pos(true),
            value: "1,5".into(),
        };
        assert_eq!(
            e.message(Lang::Nl),
            "f.csv:3:2 (kolom 'n_t'): geen getal: '1,5'; verwacht: een getal met een decimale punt (decimale komma's worden alleen gelezen als daarom gevraagd wordt)"
        );
        assert!(e
            .message(Lang::Fr)
            .starts_with("f.csv:3:2 (colonne 'n_t') : pas un nombre : '1,5'"));
    }

    #[test]
    fn composed_details_are_translated_with_their_values() {
        let cases = [
            (
                "missing columns 'estimate', 'ci_low' for estimates and confidence intervals (estimate, ci_low, ci_high)",
                "kolommen 'estimate', 'ci_low' ontbreken voor schattingen",
                "colonnes 'estimate', 'ci_low' manquantes pour ",
            ),
            (
                "missing column 'id' for claims (id, measure, estimate, ci_low, ci_high)",
                "kolom 'id' ontbreekt voor resultaten (id,",
                "colonne 'id' manquante pour résultats (id,",
            ),
            ("missing column 'vi'", "kolom 'vi' ontbreekt", "colonne 'vi' manquante"),
            (
                "more events than participants (3 > 2)",
                "meer gebeurtenissen dan deelnemers (3 > 2)",
                "plus d'événements que de participants (3 > 2)",
            ),
            (
                "needs more than 3 participants in both arms together, got 2",
                "heeft meer dan 3 deelnemers in beide armen samen nodig, maar heeft er 2",
                "demande plus de 3 participants dans les deux bras ensemble, reçu 2",
            ),
        ];
        for (english, nl, fr) in cases {
            assert_eq!(phrase(Lang::En, english), english);
            let m = phrase(Lang::Nl, english);
            assert!(m.starts_with(nl), "{m}");
            let m = phrase(Lang::Fr, english);
            assert!(m.starts_with(fr), "{m}");
        }
        // Text that no template describes stays as it is.
        assert_eq!(phrase(Lang::Nl, "study 'A'"), "study 'A'");
        assert_eq!(phrase(Lang::Fr, "missing"), "missing");
    }
}
