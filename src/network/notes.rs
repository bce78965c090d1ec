//! Notes on a network: what was left out, kept or used as it is, and why, in English, Dutch
//! and French. The library records a [`NetworkNote`]; the command line and the report show its
//! [`NetworkNote::message`] in the language asked for.

use crate::format::{fmt_num, localise_number, Lang};
use crate::i18n::{fill, text};

/// Something the analysis did with the data that the reader must know.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NetworkNote {
    /// A trial left out because none of its comparisons carries information: no events in any
    /// arm (or, for the odds ratio, events in every participant of every arm). netmeta's default
    /// (`pairwise(allstudies = FALSE)` in meta, then `netmeta()` drops comparisons without an
    /// estimate).
    TrialDropped {
        /// Study.
        study: String,
        /// Line of its first arm.
        line: Option<u64>,
        /// True when every participant had the event (false: no events).
        all_events: bool,
        /// The constant that `allstudies = TRUE` would add to every cell.
        add: f64,
    },
    /// A trial kept although some comparisons have no events (or only events) in both arms:
    /// the continuity correction is added to every cell of every arm (`allstudies = TRUE`).
    TrialKept {
        /// Study.
        study: String,
        /// Line of its first arm.
        line: Option<u64>,
        /// The comparisons without information, as (treatment, treatment).
        pairs: Vec<(String, String)>,
        /// The constant added to every cell.
        add: f64,
    },
    /// A treatment that is only in left-out trials and so not in the network.
    TreatmentLeftOut {
        /// Treatment.
        treatment: String,
    },
    /// A multi-arm trial whose pairwise Hedges' g do not add up (each pair is standardised by
    /// its own pooled SD): `y_ac ≠ y_ab + y_bc` by more than netmeta's `tol.multiarm` (0.001).
    SmdInconsistent {
        /// Study.
        study: String,
        /// Line of its first arm.
        line: Option<u64>,
        /// Treatments a, b, c of the comparison that disagrees most.
        treatments: [String; 3],
        /// `y_ac` as computed.
        direct: f64,
        /// `y_ab + y_bc`.
        via: f64,
    },
}

impl NetworkNote {
    /// A short stable name of the kind of note (for JSON).
    pub fn kind(&self) -> &'static str {
        match self {
            NetworkNote::TrialDropped { .. } => "trial_dropped",
            NetworkNote::TrialKept { .. } => "trial_kept",
            NetworkNote::TreatmentLeftOut { .. } => "treatment_left_out",
            NetworkNote::SmdInconsistent { .. } => "smd_inconsistent",
        }
    }

    /// The study the note is about, if any.
    pub fn study(&self) -> Option<&str> {
        match self {
            NetworkNote::TrialDropped { study, .. }
            | NetworkNote::TrialKept { study, .. }
            | NetworkNote::SmdInconsistent { study, .. } => Some(study),
            NetworkNote::TreatmentLeftOut { .. } => None,
        }
    }

    /// The note as a sentence in `lang`.
    ///
    /// ```
    /// use repool::format::Lang;
    /// use repool::network::NetworkNote;
    /// let n = NetworkNote::TrialDropped {
    ///     study: "WASPO".into(), line: Some(37), all_events: false, add: 0.5,
    /// };
    /// assert!(n.message(Lang::En).ends_with("keeping every study keeps it with 0.5 added to every cell"));
    /// assert!(n.message(Lang::Fr).contains("en ajoutant 0,5 à chaque case"));
    /// assert!(n.message(Lang::En).starts_with("study 'WASPO' (line 37) is left out: no events in any arm"));
    /// assert!(n.message(Lang::Nl).starts_with("studie 'WASPO' (regel 37) is weggelaten"));
    /// assert!(n.message(Lang::Fr).starts_with("l'étude 'WASPO' (ligne 37) est écartée"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        match self {
            NetworkNote::TrialDropped {
                study,
                line,
                all_events,
                add,
            } => dropped(
                lang,
                &who(lang, study, *line),
                *all_events,
                fmt_add(lang, *add),
            ),
            NetworkNote::TrialKept {
                study,
                line,
                pairs,
                add,
            } => kept(lang, &who(lang, study, *line), pairs, fmt_add(lang, *add)),
            NetworkNote::TreatmentLeftOut { treatment } => fill(
                lang,
                "network.treatment_left_out",
                &[("treatment", treatment)],
            ),
            NetworkNote::SmdInconsistent {
                study,
                line,
                treatments: [a, b, c],
                direct,
                via,
            } => {
                let (d, v) = (fmt_num(lang, *direct, 3), fmt_num(lang, *via, 3));
                let w = who(lang, study, *line);
                let args = [
                    ("who", w.as_str()),
                    ("a", a.as_str()),
                    ("b", b.as_str()),
                    ("c", c.as_str()),
                    ("direct", d.as_str()),
                    ("via", v.as_str()),
                ];
                fill(lang, "network.smd_inconsistent", &args)
            }
        }
    }
}

/// The heading of a list of notes.
pub fn notes_heading(lang: Lang) -> &'static str {
    text(lang, "network.notes_heading")
}

fn who(lang: Lang, study: &str, line: Option<u64>) -> String {
    match line {
        Some(n) => fill(
            lang,
            "network.study_at_line",
            &[("study", study), ("line", &n.to_string())],
        ),
        None => fill(lang, "network.study", &[("study", study)]),
    }
}

fn fmt_add(lang: Lang, add: f64) -> String {
    localise_number(lang, &format!("{add}"))
}

fn dropped(lang: Lang, who: &str, all_events: bool, add: String) -> String {
    let why = if all_events {
        text(lang, "network.all_events")
    } else {
        text(lang, "network.no_events")
    };
    let args = [("who", who), ("why", why), ("add", add.as_str())];
    fill(lang, "network.dropped", &args)
}

fn kept(lang: Lang, who: &str, pairs: &[(String, String)], add: String) -> String {
    let vs = pairs
        .iter()
        .map(|(a, b)| format!("{a} vs {b}"))
        .collect::<Vec<_>>()
        .join(", ");
    let args = [("who", who), ("pairs", vs.as_str()), ("add", add.as_str())];
    fill(lang, "network.kept", &args)
}
