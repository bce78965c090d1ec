//! Notes on a network: what was left out, kept or used as it is, and why, in English, Dutch
//! and French. The library records a [`NetworkNote`]; the command line and the report show its
//! [`NetworkNote::message`] in the language asked for.

use crate::format::{fmt_num, Lang};

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
            NetworkNote::TreatmentLeftOut { treatment } => match lang {
                Lang::En => format!("treatment '{treatment}' is only in left-out studies and so not in the network"),
                Lang::Nl => format!("behandeling '{treatment}' komt alleen in weggelaten studies voor en zit dus niet in het netwerk"),
                Lang::Fr => format!("le traitement '{treatment}' ne figure que dans des études écartées et n'est donc pas dans le réseau"),
            },
            NetworkNote::SmdInconsistent {
                study,
                line,
                treatments: [a, b, c],
                direct,
                via,
            } => {
                let (d, v) = (fmt_num(lang, *direct, 3), fmt_num(lang, *via, 3));
                let w = who(lang, study, *line);
                match lang {
                    Lang::En => format!("{w}: its Hedges' g do not add up ({a} vs {c} is {d}, but {a} vs {b} plus {b} vs {c} is {v}) because each pair of arms is standardised by its own pooled SD; they are used as they are (--smd-method cohen standardises every arm by the SD pooled over all arms, as netmeta, so that they agree)"),
                    Lang::Nl => format!("{w}: de Hedges' g tellen niet op ({a} vs {c} is {d}, maar {a} vs {b} plus {b} vs {c} is {v}) omdat elk paar armen met zijn eigen gepoolde SD gestandaardiseerd wordt; ze worden gebruikt zoals ze zijn (--smd-method cohen standaardiseert elke arm met de SD gepoold over alle armen, zoals netmeta, zodat ze kloppen)"),
                    Lang::Fr => format!("{w} : ses g de Hedges ne s'additionnent pas ({a} vs {c} vaut {d}, mais {a} vs {b} plus {b} vs {c} vaut {v}) car chaque paire de bras est standardisée par son propre ET poolé ; ils sont utilisés tels quels (--smd-method cohen standardise chaque bras par l'ET poolé sur tous les bras, comme netmeta, pour qu'ils concordent)"),
                }
            }
        }
    }
}

/// The heading of a list of notes.
pub fn notes_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Notes",
        Lang::Nl => "Opmerkingen",
        Lang::Fr => "Remarques",
    }
}

fn who(lang: Lang, study: &str, line: Option<u64>) -> String {
    let (s, l) = match lang {
        Lang::En => ("study", "line"),
        Lang::Nl => ("studie", "regel"),
        Lang::Fr => ("l'étude", "ligne"),
    };
    match line {
        Some(n) => format!("{s} '{study}' ({l} {n})"),
        None => format!("{s} '{study}'"),
    }
}

fn fmt_add(lang: Lang, add: f64) -> String {
    let s = format!("{add}");
    match lang {
        Lang::En => s,
        _ => s.replace('.', ","),
    }
}

fn dropped(lang: Lang, who: &str, all_events: bool, add: String) -> String {
    let why = match (lang, all_events) {
        (Lang::En, false) => "no events in any arm",
        (Lang::En, true) => "every participant in every arm had the event",
        (Lang::Nl, false) => "geen events in enige arm",
        (Lang::Nl, true) => "elke deelnemer in elke arm had het event",
        (Lang::Fr, false) => "aucun événement dans aucun bras",
        (Lang::Fr, true) => "chaque participant de chaque bras a eu l'événement",
    };
    match lang {
        Lang::En => format!("{who} is left out: {why}, so it carries no information on the effect (netmeta's default, meta::pairwise(allstudies = FALSE)); keeping every study keeps it with {add} added to every cell"),
        Lang::Nl => format!("{who} is weggelaten: {why}, dus bevat ze geen informatie over het effect (standaard in netmeta, meta::pairwise(allstudies = FALSE)); wie alle studies behoudt, houdt ze erin met {add} opgeteld bij elke cel"),
        Lang::Fr => format!("{who} est écartée : {why}, elle n'apporte donc aucune information sur l'effet (par défaut dans netmeta, meta::pairwise(allstudies = FALSE)) ; garder toutes les études la garde en ajoutant {add} à chaque case"),
    }
}

fn kept(lang: Lang, who: &str, pairs: &[(String, String)], add: String) -> String {
    let vs = pairs
        .iter()
        .map(|(a, b)| format!("{a} vs {b}"))
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::En => format!("{who}: no events (or only events) in both arms of {vs}; kept with {add} added to every cell of every arm (every study kept; netmeta's default leaves such comparisons out)"),
        Lang::Nl => format!("{who}: geen events (of alleen events) in beide armen van {vs}; behouden met {add} opgeteld bij elke cel van elke arm (alle studies behouden; standaard laat netmeta zulke vergelijkingen weg)"),
        Lang::Fr => format!("{who} : aucun événement (ou seulement des événements) dans les deux bras de {vs} ; gardée en ajoutant {add} à chaque case de chaque bras (toutes les études gardées ; par défaut netmeta écarte ces comparaisons)"),
    }
}
