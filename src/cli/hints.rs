//! The command line's wording of library errors. The library says what is wrong with the
//! data or the configuration; here the message names the option that changes it.

use std::error::Error;

use repool::effect::EffectError;
use repool::format::Lang;
use repool::io::network::NetworkReadError;
use repool::io::read::{MeasureProblem, ReadError};
use repool::network::{NetworkError, NetworkNote};
use repool::plot::render::RenderError;
use repool::pool::Note;
use repool::report::network::NetworkReportError;
use repool::PoolError;

/// The message of a pooling error as the command line prints it, with the options
/// (`--method`, `--model`, `--ci`, `--vtype`) that set what the error is about.
pub(crate) fn pool_error(e: &PoolError) -> String {
    match e {
        PoolError::NeedsTwoByTwo {
            method,
            study,
            kind,
        } => format!("--method {method} needs 2x2 tables (events_t, n_t, events_c, n_c), but study '{study}' has {kind}"),
        PoolError::MethodMeasure { method, measure } => format!(
            "--method {method} is not defined for measure {measure} (MH: RR, OR, RD; PETO: OR)"
        ),
        PoolError::VtypeMeasure { measure } => format!("--vtype HO (pooled-SD variance) applies to the mean difference (--measure MD) from means and SDs, not to {measure}"),
        PoolError::MethodModel { method } => format!("--method {method} is a common-effect method: use it with --model fixed (random-effects pooling uses inverse-variance weights, --method IV)"),
        PoolError::MethodCi { method } => format!("--method {method} supports only --ci z"),
        PoolError::HksjNeedsTwo => format!("{e}; use --ci z"),
        PoolError::Effect { study, line, source } => format!(
            "study '{study}'{}: {}",
            line.map(|l| format!(" (line {l})")).unwrap_or_default(),
            effect_error(source)
        ),
        _ => e.to_string(),
    }
}

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
        } => anyhow::anyhow!(pool_error(&e)),
        e => e.into(),
    }
}

/// The message of an effect-size error, with the options that handle a zero cell.
pub(crate) fn effect_error(e: &EffectError) -> String {
    match e {
        EffectError::ZeroCell { measure, detail } => format!("{measure} is undefined for this 2x2 table ({detail}); use a continuity correction (--cc-to only0) or --method MH|PETO"),
        _ => e.to_string(),
    }
}

/// The message of an error reading a table of studies, with the options `--measure`,
/// `--input-level` and `--decimal-comma`.
pub(crate) fn read_error(e: &ReadError) -> String {
    match e {
        ReadError::Schema {
            file,
            detail,
            measure: Some(m),
            found,
        } => format!("{file}:1: cannot tell what the columns hold: {detail} for --measure {m}; found columns: {found}"),
        ReadError::Measure { file, problem } => {
            let detail = match problem {
                MeasureProblem::Needed { kind } => match kind.measures() {
                    Some((what, measures)) => format!("{what} need a measure: --measure {measures}"),
                    None => problem.to_string(),
                },
                MeasureProblem::NotFrom { measure, kind } => {
                    format!("--measure {measure} cannot be computed from {}", kind.describe())
                }
                MeasureProblem::InputLevel { level } => {
                    format!("--input-level must be between 0 and 100 (exclusive), got {level}")
                }
                _ => problem.to_string(),
            };
            format!("{file}: {detail}")
        }
        ReadError::DecimalComma { pos, value } => format!("{pos}: not a number: '{value}'; expected a number with a decimal point (use --decimal-comma for decimal commas)"),
        _ => e.to_string(),
    }
}

/// The message of an error reading a network file, with `--analysis`.
pub(crate) fn network_read_error(e: &NetworkReadError) -> String {
    match e {
        NetworkReadError::SeveralAnalyses { file, names } => format!("{file}: the 'analysis' column holds several analyses ({names}); analyse them one at a time (repool network --analysis NAME) or together as a batch"),
        _ => e.to_string(),
    }
}

/// The message of a network error, with `--all-studies`.
pub(crate) fn network_error(e: &NetworkError) -> String {
    match e {
        NetworkError::PartialZeroMultiArm { study, line, pairs, arms } => format!("study '{study}'{}: the comparisons {pairs} have no events (or only events) in both arms and are left out (as netmeta's default, meta::pairwise(allstudies = FALSE)), after which the study no longer gives every pair of its {arms} arms; keep them with the continuity correction added to every cell (--all-studies) or leave the study out", line.map(|l| format!(" (line {l})")).unwrap_or_default()),
        NetworkError::AllDropped => "every study is left out: each has no events (or, for the odds ratio, only events) in all its arms; --all-studies keeps them with the continuity correction added to every cell".to_string(),
        _ => e.to_string(),
    }
}

/// The message of a rendering error, with `--dpi`.
pub(crate) fn render_error(e: &RenderError) -> String {
    match e {
        RenderError::TooLarge { width, height } => format!("the plot is too large for a PNG of {width} x {height} pixels; lower --dpi or use .svg or .pdf"),
        _ => e.to_string(),
    }
}

/// The command line's message of one library error, if it words it differently, and whether
/// that message already includes the error's sources.
fn hinted(e: &(dyn Error + 'static)) -> Option<(String, bool)> {
    if let Some(e) = e.downcast_ref::<PoolError>() {
        let covers = matches!(
            e,
            PoolError::Effect {
                source: EffectError::ZeroCell { .. },
                ..
            }
        );
        return Some((pool_error(e), covers));
    }
    if let Some(e) = e.downcast_ref::<EffectError>() {
        return Some((effect_error(e), false));
    }
    if let Some(e) = e.downcast_ref::<ReadError>() {
        return Some((read_error(e), false));
    }
    if let Some(e) = e.downcast_ref::<NetworkReadError>() {
        return Some((network_read_error(e), false));
    }
    if let Some(e) = e.downcast_ref::<NetworkError>() {
        return Some((network_error(e), false));
    }
    if let Some(NetworkReportError::Network(e)) = e.downcast_ref::<NetworkReportError>() {
        return Some((network_error(e), false));
    }
    if let Some(e) = e.downcast_ref::<RenderError>() {
        return Some((render_error(e), false));
    }
    None
}

/// An error and its causes as `{e:#}` prints them ("outer: inner: ..."), each library error
/// in the command line's words. An effect-size error is printed once, not again as the cause
/// of the pooling error that holds it.
pub(crate) fn error_text(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for (i, cause) in e.chain().enumerate() {
        if i > 0 {
            out.push_str(": ");
        }
        match hinted(cause) {
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
        assert!(effect_error(&zero)
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
        assert!(render_error(&e).contains("lower --dpi"));
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
