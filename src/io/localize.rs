//! The messages of the errors of reading input, in every language of the catalogue
//! ([`Localize`]): positions and offending values as written, the text from the `[errors]`
//! section.

use crate::format::Lang;
use crate::i18n::errors::{io_message, num, phrase, Localize};
use crate::i18n::{fill, text};
use crate::io::dataset::DatasetError;
use crate::io::moderators::DesignError;
use crate::io::network::NetworkReadError;
use crate::io::read::{InputKind, MeasureProblem, Position, ReadError};
use crate::io::revman::RevmanError;

impl Localize for Position {
    fn message(&self, lang: Lang) -> String {
        let (file, line) = (self.file.as_str(), self.line.to_string());
        match &self.column {
            Some((no, name)) => fill(
                lang,
                "errors.position.column",
                &[
                    ("file", file),
                    ("line", &line),
                    ("column", &no.to_string()),
                    ("name", name),
                ],
            ),
            None => format!("{file}:{line}"),
        }
    }
}

impl Localize for InputKind {
    fn message(&self, lang: Lang) -> String {
        match self {
            InputKind::TwoByTwo => text(lang, "errors.kind.two_by_two"),
            InputKind::MeanSd => text(lang, "errors.kind.mean_sd"),
            InputKind::YiVi => text(lang, "errors.kind.yi_vi"),
            InputKind::EstimateSe => text(lang, "errors.kind.estimate_se"),
            InputKind::EstimateCi => text(lang, "errors.kind.estimate_ci"),
        }
        .to_string()
    }
}

impl Localize for MeasureProblem {
    fn message(&self, lang: Lang) -> String {
        match self {
            MeasureProblem::Needed { kind } => match kind {
                InputKind::TwoByTwo => text(lang, "errors.read.needs_binary").to_string(),
                InputKind::MeanSd => text(lang, "errors.read.needs_continuous").to_string(),
                _ => fill(lang, "errors.read.needs", &[("kind", &kind.message(lang))]),
            },
            MeasureProblem::NotFrom { measure, kind } => fill(
                lang,
                "errors.read.not_from",
                &[("measure", measure.code()), ("kind", &kind.message(lang))],
            ),
            MeasureProblem::InputLevel { level } => fill(
                lang,
                "errors.read.input_level",
                &[("level", &num(lang, *level))],
            ),
        }
    }
}

impl Localize for ReadError {
    fn message(&self, lang: Lang) -> String {
        match self {
            ReadError::Io { file, source } => format!("{file}: {}", io_message(source, lang)),
            ReadError::Empty { file } => fill(lang, "errors.read.empty", &[("file", file)]),
            ReadError::Csv { pos, message } => fill(
                lang,
                "errors.read.csv",
                &[("pos", &pos.message(lang)), ("message", message)],
            ),
            ReadError::Schema {
                file,
                detail,
                measure,
                found,
            } => {
                let detail = phrase(lang, detail);
                match measure {
                    Some(m) => fill(
                        lang,
                        "errors.read.schema_measure",
                        &[
                            ("file", file),
                            ("detail", &detail),
                            ("measure", m.code()),
                            ("found", found),
                        ],
                    ),
                    None => fill(
                        lang,
                        "errors.read.schema",
                        &[("file", file), ("detail", &detail), ("found", found)],
                    ),
                }
            }
            ReadError::DuplicateColumn {
                file,
                first,
                second,
            } => duplicate_column(lang, file, first, second),
            ReadError::Measure { file, problem } => format!("{file}: {}", problem.message(lang)),
            ReadError::Invalid {
                pos,
                value,
                problem,
                expected,
            } => invalid(lang, pos, value, problem, expected),
            ReadError::DecimalComma { pos, value } => fill(
                lang,
                "errors.read.decimal_comma",
                &[("pos", &pos.message(lang)), ("value", value)],
            ),
            ReadError::RowLength {
                pos,
                found,
                expected,
            } => fill(
                lang,
                "errors.read.row_length",
                &[
                    ("pos", &pos.message(lang)),
                    ("found", &found.to_string()),
                    ("expected", &expected.to_string()),
                ],
            ),
            ReadError::QuoteAcrossLines { pos, last_line } => fill(
                lang,
                "errors.read.quote_across_lines",
                &[
                    ("pos", &pos.message(lang)),
                    ("line", &pos.line.to_string()),
                    ("last_line", &last_line.to_string()),
                ],
            ),
            ReadError::NotContiguous { pos, analysis } => fill(
                lang,
                "errors.read.not_contiguous",
                &[("pos", &pos.message(lang)), ("analysis", analysis)],
            ),
            ReadError::Combine {
                pos,
                key,
                lines,
                detail,
            } => fill(
                lang,
                "errors.read.combine",
                &[
                    ("pos", &pos.message(lang)),
                    ("key", key),
                    ("lines", lines),
                    ("detail", &phrase(lang, detail)),
                ],
            ),
            ReadError::NoRows { file } => fill(lang, "errors.read.no_rows", &[("file", file)]),
        }
    }
}

/// `{pos}: {problem}: '{value}'; expected {expected}`, the phrases translated.
fn invalid(lang: Lang, pos: &Position, value: &str, problem: &str, expected: &str) -> String {
    fill(
        lang,
        "errors.read.invalid",
        &[
            ("pos", &pos.message(lang)),
            ("problem", &phrase(lang, problem)),
            ("value", value),
            ("expected", &phrase(lang, expected)),
        ],
    )
}

/// Two columns of the same name.
fn duplicate_column(
    lang: Lang,
    file: &str,
    first: &(usize, String),
    second: &(usize, String),
) -> String {
    fill(
        lang,
        "errors.read.duplicate_column",
        &[
            ("file", file),
            ("first", &first.0.to_string()),
            ("first_name", &first.1),
            ("second", &second.0.to_string()),
            ("second_name", &second.1),
        ],
    )
}

impl Localize for NetworkReadError {
    fn message(&self, lang: Lang) -> String {
        match self {
            NetworkReadError::Empty { file } => {
                fill(lang, "errors.network.empty", &[("file", file)])
            }
            NetworkReadError::Csv { pos, message } => fill(
                lang,
                "errors.read.csv",
                &[("pos", &pos.message(lang)), ("message", message)],
            ),
            NetworkReadError::Schema { file, found } => fill(
                lang,
                "errors.network.schema",
                &[("file", file), ("found", found)],
            ),
            NetworkReadError::DuplicateColumn {
                file,
                first,
                second,
            } => duplicate_column(lang, file, first, second),
            NetworkReadError::SeveralAnalyses { file, names } => fill(
                lang,
                "errors.network.several_analyses",
                &[("file", file), ("names", names)],
            ),
            NetworkReadError::StudyNotContiguous {
                pos,
                study,
                earlier,
            } => fill(
                lang,
                "errors.network.study_not_contiguous",
                &[
                    ("pos", &pos.message(lang)),
                    ("study", study),
                    ("earlier", &earlier.to_string()),
                ],
            ),
            NetworkReadError::Invalid {
                pos,
                value,
                problem,
                expected,
            } => invalid(lang, pos, value, problem, expected),
        }
    }
}

impl Localize for DatasetError {
    fn message(&self, lang: Lang) -> String {
        match self {
            DatasetError::Io { file, source } => format!("{file}: {}", io_message(source, lang)),
            DatasetError::Toml { file, message } => format!("{file}: {message}"),
            DatasetError::Outside { file, what, folder } => fill(
                lang,
                "errors.dataset.outside",
                &[
                    ("file", file),
                    ("what", &phrase(lang, what)),
                    ("folder", folder),
                ],
            ),
            DatasetError::Invalid {
                file,
                field,
                value,
                expected,
            } => format!("{file}: {field} = {value:?}: {}", phrase(lang, expected)),
        }
    }
}

impl Localize for RevmanError {
    fn message(&self, lang: Lang) -> String {
        match self {
            RevmanError::Xml { file, message } => fill(
                lang,
                "errors.revman.xml",
                &[("file", file), ("message", message)],
            ),
            RevmanError::TooDeep {
                file,
                line,
                column,
                limit,
            } => fill(
                lang,
                "errors.revman.too_deep",
                &[
                    ("file", file),
                    ("line", &line.to_string()),
                    ("column", &column.to_string()),
                    ("limit", &limit.to_string()),
                ],
            ),
            RevmanError::NotReview { file, root } => fill(
                lang,
                "errors.revman.not_review",
                &[("file", file), ("root", root)],
            ),
        }
    }
}

impl Localize for DesignError {
    fn message(&self, lang: Lang) -> String {
        match self {
            DesignError::Missing { row, column } => fill(
                lang,
                "errors.design.missing",
                &[("row", &row.to_string()), ("column", column)],
            ),
            DesignError::NotNumber { row, column, value } => fill(
                lang,
                "errors.design.not_number",
                &[
                    ("row", &row.to_string()),
                    ("column", column),
                    ("value", value),
                ],
            ),
            DesignError::OutOfRange {
                row,
                column,
                value,
                problem,
            } => fill(
                lang,
                "errors.design.out_of_range",
                &[
                    ("row", &row.to_string()),
                    ("column", column),
                    ("value", value),
                    ("problem", &phrase(lang, problem)),
                ],
            ),
        }
    }
}
