//! The command line's wording of library errors. The library says what is wrong with the
//! data or the configuration; here the message names the option that changes it.
//!
//! Error messages are in the language of the command's `--lang`, set once by [`set_lang`]
//! when the arguments are parsed; the `*_error` functions without a language give the
//! English text that JSON and CSV error fields hold.

use std::error::Error;
use std::fmt;
use std::sync::OnceLock;

use repool::check::text::TextError;
use repool::check::ClaimError;
use repool::compare::CompareError;
use repool::effect::combine::CombineError;
use repool::effect::EffectError;
use repool::format::spelling::UnknownName;
use repool::format::Lang;
use repool::i18n::errors::{io_message, phrase, Localize};
use repool::i18n::fill;
use repool::io::dataset::DatasetError;
use repool::io::moderators::DesignError;
use repool::io::network::NetworkReadError;
use repool::io::read::{MeasureProblem, ReadError};
use repool::io::revman::RevmanError;
use repool::network::{NetworkError, NetworkNote};
use repool::plot::render::RenderError;
use repool::pool::bias::BiasError;
use repool::pool::influence::InfluenceError;
use repool::pool::regression::RegressionError;
use repool::pool::revman5::RevmanPoolError;
use repool::pool::sensitivity::LooError;
use repool::pool::NotConverged;
use repool::pool::Note;
use repool::report::network::NetworkReportError;
use repool::sof::SofError;
use repool::PoolError;

/// The language of error messages, once the arguments are parsed.
static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language of error messages (the command's `--lang`); the first call counts.
pub(crate) fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of error messages: the command's `--lang`, English without one.
pub(crate) fn lang() -> Lang {
    LANG.get().copied().unwrap_or(Lang::En)
}

/// The message of a pooling error as the command line prints it, with the options
/// (`--method`, `--model`, `--ci`, `--vtype`) that set what the error is about.
pub(crate) fn pool_error(e: &PoolError) -> String {
    pool_error_in(e, Lang::En)
}

/// [`pool_error`] in `lang`.
pub(crate) fn pool_error_in(e: &PoolError, lang: Lang) -> String {
    match e {
        PoolError::NeedsTwoByTwo {
            method,
            study,
            kind,
        } => fill(
            lang,
            "errors.cli.needs_two_by_two",
            &[
                ("method", method),
                ("study", study),
                ("kind", &phrase(lang, kind)),
            ],
        ),
        PoolError::MethodMeasure { method, measure } => fill(
            lang,
            "errors.cli.method_measure",
            &[("method", method), ("measure", measure.code())],
        ),
        PoolError::VtypeMeasure { measure } => fill(
            lang,
            "errors.cli.vtype_measure",
            &[("measure", measure.code())],
        ),
        PoolError::MethodModel { method } => {
            fill(lang, "errors.cli.method_model", &[("method", method)])
        }
        PoolError::MethodCi { method } => fill(lang, "errors.cli.method_ci", &[("method", method)]),
        PoolError::HksjNeedsTwo => fill(lang, "errors.cli.hksj", &[("message", &e.message(lang))]),
        PoolError::Effect {
            study,
            line,
            source,
        } => fill(
            lang,
            "errors.pool.effect",
            &[
                ("study", study),
                (
                    "line",
                    &line
                        .map(|l| fill(lang, "errors.at_line", &[("line", &l.to_string())]))
                        .unwrap_or_default(),
                ),
                ("detail", &effect_error_in(source, lang)),
            ],
        ),
        _ => e.message(lang),
    }
}

/// A pooling error in the command line's words: its `Display` is [`pool_error`], and
/// [`error_line`] gives it in the language of the command.
#[derive(Debug)]
struct Hinted(PoolError);

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&pool_error(&self.0))
    }
}

impl Error for Hinted {}

/// [`pool_error`] as an `anyhow` error; errors without an option to name keep their
/// source chain.
pub(crate) fn pool_anyhow(e: PoolError) -> anyhow::Error {
    match e {
        PoolError::NeedsTwoByTwo { .. }
        | PoolError::MethodMeasure { .. }
        | PoolError::VtypeMeasure { .. }
        | PoolError::MethodModel { .. }
        | PoolError::MethodCi { .. }
        | PoolError::HksjNeedsTwo
        | PoolError::Effect {
            source: EffectError::ZeroCell { .. },
            ..
        } => anyhow::Error::new(Hinted(e)),
        e => e.into(),
    }
}

/// The message of an effect-size error in `lang`, with the options that handle a zero cell.
fn effect_error_in(e: &EffectError, lang: Lang) -> String {
    match e {
        EffectError::ZeroCell { measure, detail } => fill(
            lang,
            "errors.cli.zero_cell",
            &[
                ("measure", measure.code()),
                ("detail", &phrase(lang, detail)),
            ],
        ),
        _ => e.message(lang),
    }
}

/// The message of an error reading a table of studies, with the options `--measure`,
/// `--input-level` and `--decimal-comma`.
pub(crate) fn read_error(e: &ReadError) -> String {
    read_error_in(e, Lang::En)
}

/// [`read_error`] in `lang`.
pub(crate) fn read_error_in(e: &ReadError, lang: Lang) -> String {
    match e {
        ReadError::Schema {
            file,
            detail,
            measure: Some(m),
            found,
        } => fill(
            lang,
            "errors.cli.schema_measure",
            &[
                ("file", file),
                ("detail", &phrase(lang, detail)),
                ("measure", m.code()),
                ("found", found),
            ],
        ),
        ReadError::Measure { file, problem } => {
            let detail = match problem {
                MeasureProblem::Needed { kind } => match kind.measures() {
                    Some((what, measures)) => fill(
                        lang,
                        "errors.cli.needs_measure",
                        &[
                            ("what", &phrase(lang, what)),
                            ("measures", &phrase(lang, measures)),
                        ],
                    ),
                    None => problem.message(lang),
                },
                MeasureProblem::NotFrom { measure, kind } => fill(
                    lang,
                    "errors.cli.not_from",
                    &[("measure", measure.code()), ("kind", &kind.message(lang))],
                ),
                MeasureProblem::InputLevel { level } => {
                    let level = level.to_string();
                    let level = if lang == Lang::En {
                        level
                    } else {
                        level.replace('.', ",")
                    };
                    fill(lang, "errors.cli.input_level", &[("level", &level)])
                }
                _ => problem.message(lang),
            };
            format!("{file}: {detail}")
        }
        ReadError::DecimalComma { pos, value } => fill(
            lang,
            "errors.cli.decimal_comma",
            &[("pos", &pos.message(lang)), ("value", value)],
        ),
        _ => e.message(lang),
    }
}

/// The message of an error reading a network file, with `--analysis`.
fn network_read_error(e: &NetworkReadError, lang: Lang) -> String {
    match e {
        NetworkReadError::SeveralAnalyses { file, names } => fill(
            lang,
            "errors.cli.several_analyses",
            &[("file", file), ("names", names)],
        ),
        _ => e.message(lang),
    }
}

/// The message of a network error in `lang`, with `--all-studies`.
fn network_error(e: &NetworkError, lang: Lang) -> String {
    match e {
        NetworkError::PartialZeroMultiArm {
            study,
            line,
            pairs,
            arms,
        } => fill(
            lang,
            "errors.cli.partial_zero",
            &[
                ("study", study),
                (
                    "line",
                    &line
                        .map(|l| fill(lang, "errors.at_line", &[("line", &l.to_string())]))
                        .unwrap_or_default(),
                ),
                ("pairs", pairs),
                ("arms", &arms.to_string()),
            ],
        ),
        NetworkError::AllDropped => repool::i18n::text(lang, "errors.cli.all_dropped").to_string(),
        _ => e.message(lang),
    }
}

/// The message of a rendering error, with `--dpi`.
pub(crate) fn render_error(e: &RenderError, lang: Lang) -> String {
    match e {
        RenderError::TooLarge { width, height } => fill(
            lang,
            "errors.cli.too_large",
            &[
                ("width", &width.to_string()),
                ("height", &height.to_string()),
            ],
        ),
        _ => e.message(lang),
    }
}

/// The message of a meta-regression error, with `--ci z` where the library names no option.
pub(crate) fn regression_error(e: &RegressionError, lang: Lang) -> String {
    match e {
        RegressionError::ExactFit => repool::i18n::text(lang, "errors.cli.exact_fit").into(),
        _ => e.message(lang),
    }
}

/// The command line's message of one library error, if it words it differently, and whether
/// that message already includes the error's sources.
fn hinted(e: &(dyn Error + 'static), lang: Lang) -> Option<(String, bool)> {
    if let Some(Hinted(e)) = e.downcast_ref::<Hinted>() {
        return Some((pool_error_in(e, lang), false));
    }
    if let Some(e) = e.downcast_ref::<PoolError>() {
        let covers = matches!(
            e,
            PoolError::Effect {
                source: EffectError::ZeroCell { .. },
                ..
            }
        );
        return Some((pool_error_in(e, lang), covers));
    }
    if let Some(e) = e.downcast_ref::<EffectError>() {
        return Some((effect_error_in(e, lang), false));
    }
    if let Some(e) = e.downcast_ref::<ReadError>() {
        return Some((read_error_in(e, lang), false));
    }
    if let Some(e) = e.downcast_ref::<NetworkReadError>() {
        return Some((network_read_error(e, lang), false));
    }
    if let Some(e) = e.downcast_ref::<NetworkError>() {
        return Some((network_error(e, lang), false));
    }
    if let Some(NetworkReportError::Network(e)) = e.downcast_ref::<NetworkReportError>() {
        return Some((network_error(e, lang), false));
    }
    if let Some(e) = e.downcast_ref::<RenderError>() {
        return Some((render_error(e, lang), false));
    }
    if let Some(e) = e.downcast_ref::<RegressionError>() {
        return Some((regression_error(e, lang), false));
    }
    localized(e, lang).map(|text| (text, false))
}

/// The message in `lang` of a library error that words it the same on the command line.
fn localized(e: &(dyn Error + 'static), lang: Lang) -> Option<String> {
    fn get<T: Localize + Error + 'static>(e: &(dyn Error + 'static), lang: Lang) -> Option<String> {
        e.downcast_ref::<T>().map(|e| e.message(lang))
    }
    get::<DatasetError>(e, lang)
        .or_else(|| get::<RevmanError>(e, lang))
        .or_else(|| get::<TextError>(e, lang))
        .or_else(|| get::<ClaimError>(e, lang))
        .or_else(|| get::<SofError>(e, lang))
        .or_else(|| get::<NotConverged>(e, lang))
        .or_else(|| get::<MeasureProblem>(e, lang))
        .or_else(|| get::<NetworkReportError>(e, lang))
        .or_else(|| get::<BiasError>(e, lang))
        .or_else(|| get::<RegressionError>(e, lang))
        .or_else(|| get::<InfluenceError>(e, lang))
        .or_else(|| get::<LooError>(e, lang))
        .or_else(|| get::<DesignError>(e, lang))
        .or_else(|| get::<CombineError>(e, lang))
        .or_else(|| get::<CompareError>(e, lang))
        .or_else(|| get::<RevmanPoolError>(e, lang))
        .or_else(|| get::<UnknownName>(e, lang))
        .or_else(|| {
            e.downcast_ref::<std::io::Error>()
                .map(|e| io_message(e, lang))
        })
}

/// An error and its causes as `{e:#}` prints them ("outer: inner: ..."), each library error
/// in the command line's words. An effect-size error is printed once, not again as the cause
/// of the pooling error that holds it. In English, for the error fields of JSON and CSV
/// output.
pub(crate) fn error_text(e: &anyhow::Error) -> String {
    error_text_in(e, Lang::En)
}

/// The line `repool: error: …` that the command line prints for a failed command, in the
/// command's language.
pub(crate) fn error_line(e: &anyhow::Error) -> String {
    fill(
        lang(),
        "errors.cli.error",
        &[("message", &error_text_in(e, lang()))],
    )
}

/// The line `repool: error: {what}: …` that a batch prints on standard error for one failed
/// item (an analysis, a dataset), in the command's language; the error fields of JSON and
/// CSV keep [`error_text`].
pub(crate) fn item_error_line(what: &str, e: &anyhow::Error) -> String {
    fill(
        lang(),
        "errors.cli.error",
        &[(
            "message",
            &fill(
                lang(),
                "errors.cli.file_message",
                &[("file", what), ("message", &error_text_in(e, lang()))],
            ),
        )],
    )
}

/// [`error_text`] in `lang`.
fn error_text_in(e: &anyhow::Error, lang: Lang) -> String {
    let mut out = String::new();
    for (i, cause) in e.chain().enumerate() {
        if i > 0 {
            out.push_str(repool::i18n::text(lang, "errors.cli.cause"));
        }
        match hinted(cause, lang) {
            Some((text, covers)) => {
                out.push_str(&text);
                if covers {
                    break;
                }
            }
            None => out.push_str(&cause.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_named_by_the_command_line_only() {
        let e = PoolError::MethodCi { method: "MH" };
        assert!(!e.to_string().contains("--"), "{e}");
        assert_eq!(pool_error(&e), "--method MH supports only --ci z");
        let e = PoolError::HksjNeedsTwo;
        assert_eq!(
            pool_anyhow(e).to_string(),
            "the Hartung-Knapp-Sidik-Jonkman CI needs at least 2 studies (k = 1); use --ci z"
        );
        let e = PoolError::NoStudies { excluded: 0 };
        assert_eq!(pool_error(&e), e.to_string());
    }

    #[test]
    fn read_and_effect_errors_get_their_options_back() {
        use repool::effect::Measure;
        use repool::io::read::{read_str, ReadOptions};
        let e = read_str(
            "study,events_t,n_t,events_c,n_c\nA,1,10,2,10\n",
            "f.csv",
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(!e.to_string().contains("--"), "{e}");
        assert_eq!(
            read_error(&e),
            "f.csv: 2x2 tables need a measure: --measure RR, OR or RD"
        );
        let zero = EffectError::ZeroCell {
            measure: Measure::LogRiskRatio,
            detail: "events_c = 0".into(),
        };
        assert!(!zero.to_string().contains("--"), "{zero}");
        assert!(effect_error_in(&zero, Lang::En)
            .ends_with("; use a continuity correction (--cc-to only0) or --method MH|PETO"));
        let e = PoolError::Effect {
            study: "A".into(),
            line: Some(2),
            source: zero,
        };
        let text = error_text(&pool_anyhow(e.clone()));
        assert_eq!(text, pool_error(&e));
        assert_eq!(error_text(&anyhow::Error::new(e)), text, "printed once");
        let e = RenderError::TooLarge {
            width: 1,
            height: 2,
        };
        assert!(!e.to_string().contains("--"));
        assert!(render_error(&e, Lang::En).contains("lower --dpi"));
    }

    #[test]
    fn the_error_line_speaks_the_language_of_every_localised_error() {
        let errors: Vec<anyhow::Error> = vec![
            NetworkError::AllDropped.into(),
            NetworkError::Empty.into(),
            NetworkReportError::NotNetwork { name: "d".into() }.into(),
            BiasError::Degenerate {
                method: "Egger's test",
            }
            .into(),
            RegressionError::Singular.into(),
            InfluenceError::NonFinite {
                index: 1,
                what: "p-value",
            }
            .into(),
            LooError::NonFinite {
                index: 1,
                what: "p-value",
            }
            .into(),
            DesignError::Missing {
                row: 1,
                column: "dose".into(),
            }
            .into(),
            CombineError::Kind.into(),
            CompareError::CohensD.into(),
            RevmanPoolError::NoEstimable.into(),
            UnknownName {
                name: "xx".into(),
                expected: "a, b".into(),
            }
            .into(),
            RenderError::OverBudget {
                width: 1,
                height: 2,
                max_megapixels: 3,
            }
            .into(),
        ];
        for e in &errors {
            let english = error_text_in(e, Lang::En);
            assert_eq!(english, error_text(e));
            for lang in [Lang::Nl, Lang::Fr] {
                let m = error_text_in(e, lang);
                assert_ne!(m, english, "{lang:?} is English");
            }
        }
        let e: anyhow::Error = NetworkError::AllDropped.into();
        assert!(error_text_in(&e, Lang::Nl).contains("--all-studies"));
        assert!(error_text(&e).contains("--all-studies"));
    }
}

/// A network note as the command line prints it: a note on studies without events names
/// `--all-studies`, the flag that keeps them.
pub(crate) fn network_note(n: &NetworkNote, lang: Lang) -> String {
    match n {
        NetworkNote::TrialDropped { .. } | NetworkNote::TrialKept { .. } => {
            format!("{} (--all-studies)", n.message(lang))
        }
        _ => n.message(lang),
    }
}

/// The option that answers a pool note, which the command line names after it: with every
/// effect equal, HKSJ's variance is 0, and `--ci hksj-adhoc` keeps it at least the z
/// method's.
fn pool_note_flag(n: &Note) -> Option<&'static str> {
    match n {
        Note::ZeroStandardError => Some("--ci hksj-adhoc"),
        _ => None,
    }
}

/// A pool's text printout with the option that answers a note after that note's line
/// (`- … (--ci hksj-adhoc)`).
pub(crate) fn with_note_flags(printout: String, notes: &[Note], lang: Lang) -> String {
    let mut out = printout;
    for n in notes {
        if let Some(flag) = pool_note_flag(n) {
            let line = format!("- {}\n", n.message(lang));
            let with = format!("- {} ({flag})\n", n.message(lang));
            out = out.replacen(&line, &with, 1);
        }
    }
    out
}

#[cfg(test)]
mod note_flag_tests {
    use super::*;

    #[test]
    fn the_zero_se_note_names_no_option_and_the_printout_adds_it() {
        for lang in [Lang::En, Lang::Nl, Lang::Fr] {
            let m = Note::ZeroStandardError.message(lang);
            assert!(!m.contains("--"), "{m}");
            let printout = format!("Notes:\n- {m}\n");
            let out = with_note_flags(printout, &[Note::ZeroStandardError], lang);
            assert_eq!(out, format!("Notes:\n- {m} (--ci hksj-adhoc)\n"));
        }
    }
}
