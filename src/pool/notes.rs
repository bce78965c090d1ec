//! What a pool did that a reader should know, as typed values: a correction, a truncation,
//! an exclusion, a warning about the data. The pool records them; each output renders them
//! in its own language with [`Note::message`] (words from the `[notes]` section of the
//! translation catalogue). [`Note`]'s `Display` is the English sentence, which the JSON and
//! CSV outputs keep.

use std::fmt;

use crate::effect::doubt::Doubt;
use crate::effect::{CcTo, Measure};
use crate::format::{localise_number, Lang};
use crate::i18n::{count_with, fill, text};
use crate::pool::{CommonMethod, Tau2Method};

/// One thing a pool did that a reader should know.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Note {
    /// A study's data are valid but unusual ([`crate::effect::doubt`]).
    Doubts {
        /// The study's label.
        study: String,
        /// Its line in the input, if known.
        line: Option<u64>,
        /// What is unusual, in the order of its columns.
        doubts: Vec<Doubt>,
    },
    /// Several treatment arms sharing one control arm were combined into one group
    /// (Cochrane Handbook 23.3.4).
    ArmsCombined {
        /// The study's label.
        study: String,
        /// How many treatment arms were combined.
        arms: usize,
    },
    /// A continuity correction was added to the cells of some tables.
    ContinuityCorrection {
        /// The amount added to each cell.
        add: f64,
        /// Which tables the rule corrects.
        to: CcTo,
        /// The studies whose tables were corrected.
        studies: Vec<String>,
    },
    /// Tables without events in both arms (or with only events) left out of an
    /// inverse-variance pool.
    DoubleZeroExcluded {
        /// The studies left out.
        studies: Vec<String>,
    },
    /// Tables without events in both arms (or with only events) in a Mantel–Haenszel or
    /// Peto pool: no effect of their own, counted in k.
    DoubleZeroCounted {
        /// The studies.
        studies: Vec<String>,
        /// Mantel–Haenszel or Peto.
        method: CommonMethod,
        /// The measure pooled.
        measure: Measure,
    },
    /// A random-effects pool of one study: τ² is 0 and the pooled effect is the study's own.
    SingleStudy,
    /// The τ² estimate was truncated at 0.
    Tau2OnBoundary {
        /// The τ² estimator.
        method: Tau2Method,
    },
    /// The (restricted) likelihood of τ² has a second maximum within its 95%
    /// likelihood-ratio region.
    Bimodal {
        /// The τ² estimator.
        method: Tau2Method,
        /// τ² at the maximum used.
        tau2: f64,
        /// τ² at the other maximum.
        other: f64,
        /// How much lower the other maximum is (log-likelihood units).
        gap: f64,
        /// The gap below which both maxima are reported.
        limit: f64,
    },
    /// An iterative τ² estimator converged.
    Converged {
        /// The τ² estimator.
        method: Tau2Method,
        /// Its iterations.
        iterations: usize,
    },
    /// The HKSJ method was asked for with a common-effect model.
    HksjWithCommonEffect,
    /// The Higgins prediction interval needs at least 3 studies.
    NoHigginsInterval {
        /// The number of studies.
        k: usize,
    },
    /// How a Mantel–Haenszel or Peto pool was estimated.
    MhPetoEstimate {
        /// Mantel–Haenszel or Peto.
        method: CommonMethod,
    },
    /// The standard error of the pooled effect is 0, so there is no test.
    ZeroStandardError,
    /// The τ² estimate lies outside its Q-profile CI.
    Tau2OutsideCi {
        /// The τ² estimator.
        method: Tau2Method,
        /// The estimate.
        tau2: f64,
        /// The CI's lower limit.
        low: f64,
        /// The CI's upper limit.
        high: f64,
    },
    /// The prediction interval's upper limit cannot be represented.
    PredictionTooLarge {
        /// The upper limit on the analysis scale.
        high: f64,
        /// Whether the measure is a ratio (shown back-transformed).
        ratio: bool,
    },
    /// The pool followed RevMan 5's rules.
    RevMan5Rules,
    /// Studies RevMan 5 calls not estimable: not in Q, counted in k.
    NotEstimable {
        /// The studies.
        studies: Vec<String>,
    },
}

/// `x` with `d` decimals, with a decimal comma for Dutch and French.
fn num(lang: Lang, x: f64, d: usize) -> String {
    localise_number(lang, &format!("{x:.d$}"))
}

/// τ² in a note: `0` at the boundary, otherwise six decimals.
fn tau2_text(lang: Lang, t: f64) -> String {
    if t == 0.0 {
        "0".into()
    } else {
        num(lang, t, 6)
    }
}

/// One reason to look at a study's data again, in `lang`.
pub fn doubt_message(doubt: &Doubt, lang: Lang) -> String {
    match *doubt {
        Doubt::Fractional { column, value } => fill(
            lang,
            "notes.doubt_fractional",
            &[
                ("column", column),
                ("value", &localise_number(lang, &value.to_string())),
            ],
        ),
        Doubt::ZeroSd { column } => fill(lang, "notes.doubt_zero_sd", &[("column", column)]),
        Doubt::SingleParticipant { column } => {
            fill(lang, "notes.doubt_single", &[("column", column)])
        }
    }
}

/// The studies with double-zero tables as the subject of a sentence.
fn double_zero_subject(lang: Lang, studies: &[String]) -> String {
    count_with(lang, "notes.double_zero_subject", studies.len() as u64, &[])
}

/// The note on a study's unusual data, in `lang`.
fn doubts_message(lang: Lang, study: &str, line: Option<u64>, doubts: &[Doubt]) -> String {
    let at = line
        .map(|l| fill(lang, "notes.at_line", &[("line", &l.to_string())]))
        .unwrap_or_default();
    let what: Vec<String> = doubts.iter().map(|d| doubt_message(d, lang)).collect();
    fill(
        lang,
        "notes.doubts",
        &[("study", study), ("at", &at), ("doubts", &what.join("; "))],
    )
}

/// The note on a continuity correction, in `lang`.
fn continuity_message(lang: Lang, add: f64, to: CcTo, studies: &[String]) -> String {
    let to = match to {
        CcTo::Only0 => text(lang, "notes.cc_only0"),
        CcTo::All => text(lang, "notes.cc_all"),
        CcTo::If0All => text(lang, "notes.cc_if0all"),
        CcTo::None => text(lang, "notes.cc_none"),
    };
    fill(
        lang,
        "notes.continuity_correction",
        &[
            ("add", &localise_number(lang, &add.to_string())),
            ("to", to),
            ("count", &studies.len().to_string()),
            ("studies", &studies.join(", ")),
        ],
    )
}

impl Note {
    /// The note as a sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Note::Doubts {
                study,
                line,
                doubts,
            } => doubts_message(lang, study, *line, doubts),
            Note::ArmsCombined { study, arms } => fill(
                lang,
                "notes.arms_combined",
                &[("study", study), ("arms", &arms.to_string())],
            ),
            Note::ContinuityCorrection { add, to, studies } => {
                continuity_message(lang, *add, *to, studies)
            }
            Note::DoubleZeroExcluded { studies } => fill(
                lang,
                "notes.double_zero_excluded",
                &[
                    ("subject", &double_zero_subject(lang, studies)),
                    ("studies", &studies.join(", ")),
                ],
            ),
            Note::DoubleZeroCounted {
                studies,
                method,
                measure,
            } => self.double_zero_counted(lang, studies, *method, *measure),
            Note::SingleStudy => text(lang, "notes.single_study").to_string(),
            Note::Tau2OnBoundary { method } => fill(
                lang,
                "notes.tau2_on_boundary",
                &[("method", &method.to_string())],
            ),
            Note::Bimodal {
                method,
                tau2,
                other,
                gap,
                limit,
            } => fill(
                lang,
                "notes.bimodal",
                &[
                    ("method", &method.to_string()),
                    ("tau2", &tau2_text(lang, *tau2)),
                    ("other", &tau2_text(lang, *other)),
                    ("gap", &num(lang, *gap, 2)),
                    ("limit", &num(lang, *limit, 2)),
                ],
            ),
            Note::Converged { method, iterations } => converged(lang, *method, *iterations),
            Note::HksjWithCommonEffect => text(lang, "notes.hksj_common_effect").to_string(),
            Note::NoHigginsInterval { k } => {
                fill(lang, "notes.no_higgins_interval", &[("k", &k.to_string())])
            }
            Note::MhPetoEstimate { method } => match method {
                CommonMethod::Peto => text(lang, "notes.peto_estimate").to_string(),
                _ => text(lang, "notes.mh_estimate").to_string(),
            },
            Note::ZeroStandardError => text(lang, "notes.zero_standard_error").to_string(),
            Note::Tau2OutsideCi {
                method,
                tau2,
                low,
                high,
            } => fill(
                lang,
                "notes.tau2_outside_ci",
                &[
                    ("method", &method.to_string()),
                    ("tau2", &num(lang, *tau2, 6)),
                    ("low", &num(lang, *low, 6)),
                    ("high", &num(lang, *high, 6)),
                ],
            ),
            Note::PredictionTooLarge { high, ratio } => {
                let high = num(lang, *high, 4);
                if *ratio {
                    fill(lang, "notes.prediction_too_large_ratio", &[("high", &high)])
                } else {
                    fill(lang, "notes.prediction_too_large", &[("high", &high)])
                }
            }
            Note::RevMan5Rules => text(lang, "notes.revman5_rules").to_string(),
            Note::NotEstimable { studies } => count_with(
                lang,
                "notes.not_estimable",
                studies.len() as u64,
                &[("studies", &studies.join(", "))],
            ),
        }
    }

    /// The note on double-zero tables of a Mantel–Haenszel or Peto pool: as in metafor's
    /// `rma.mh()`/`rma.peto()` they have no effect of their own, so they are not in Q and
    /// its df, but they are counted in k; only the MH risk difference takes them into its
    /// sums. RevMan counts them in k too, but gives a double-zero risk difference an effect
    /// (0).
    fn double_zero_counted(
        &self,
        lang: Lang,
        studies: &[String],
        method: CommonMethod,
        measure: Measure,
    ) -> String {
        let n = studies.len() as u64;
        let sums = match (method, measure) {
            (CommonMethod::MH, Measure::RiskDifference) => {
                count_with(lang, "notes.sums_mh_rd", n, &[])
            }
            (CommonMethod::MH, _) => count_with(lang, "notes.sums_mh", n, &[]),
            _ => count_with(lang, "notes.sums_peto", n, &[]),
        };
        let like = match (method, measure) {
            (CommonMethod::Peto, _) => text(lang, "notes.like_peto"),
            (_, Measure::RiskDifference) => text(lang, "notes.like_mh_rd"),
            _ => text(lang, "notes.like_mh"),
        };
        count_with(
            lang,
            "notes.double_zero_counted",
            n,
            &[
                ("subject", &double_zero_subject(lang, studies)),
                ("like", like),
                ("sums", &sums),
                ("studies", &studies.join(", ")),
            ],
        )
    }

    /// One example of every kind of note, for tests and catalogue checks.
    pub fn examples() -> Vec<Note> {
        let two = vec!["A".to_string(), "B".to_string()];
        let one = vec!["A".to_string()];
        let mut out = vec![
            Note::Doubts {
                study: "A".into(),
                line: Some(3),
                doubts: vec![
                    Doubt::Fractional {
                        column: "events_t",
                        value: 12.5,
                    },
                    Doubt::ZeroSd { column: "sd_t" },
                    Doubt::SingleParticipant { column: "n_c" },
                ],
            },
            Note::ArmsCombined {
                study: "A".into(),
                arms: 2,
            },
        ];
        for to in [CcTo::Only0, CcTo::All, CcTo::If0All, CcTo::None] {
            out.push(Note::ContinuityCorrection {
                add: 0.5,
                to,
                studies: two.clone(),
            });
        }
        for studies in [&one, &two] {
            out.push(Note::DoubleZeroExcluded {
                studies: studies.clone(),
            });
            for (method, measure) in [
                (CommonMethod::MH, Measure::RiskDifference),
                (CommonMethod::MH, Measure::LogRiskRatio),
                (CommonMethod::Peto, Measure::LogOddsRatio),
            ] {
                out.push(Note::DoubleZeroCounted {
                    studies: studies.clone(),
                    method,
                    measure,
                });
            }
            out.push(Note::NotEstimable {
                studies: studies.clone(),
            });
        }
        out.extend([
            Note::SingleStudy,
            Note::Tau2OnBoundary {
                method: Tau2Method::REML,
            },
            Note::Bimodal {
                method: Tau2Method::REML,
                tau2: 0.0,
                other: 0.1234567,
                gap: 1.2,
                limit: 1.92,
            },
            Note::Converged {
                method: Tau2Method::REML,
                iterations: 1,
            },
            Note::Converged {
                method: Tau2Method::REML,
                iterations: 5,
            },
            Note::HksjWithCommonEffect,
            Note::NoHigginsInterval { k: 2 },
            Note::MhPetoEstimate {
                method: CommonMethod::MH,
            },
            Note::MhPetoEstimate {
                method: CommonMethod::Peto,
            },
            Note::ZeroStandardError,
            Note::Tau2OutsideCi {
                method: Tau2Method::PM,
                tau2: 0.1,
                low: 0.2,
                high: 0.5,
            },
            Note::PredictionTooLarge {
                high: 800.0,
                ratio: true,
            },
            Note::PredictionTooLarge {
                high: 800.0,
                ratio: false,
            },
            Note::RevMan5Rules,
        ]);
        out
    }
}

/// The English sentence, as the JSON and CSV outputs print it.
impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// The heading above a list of notes, in `lang`.
pub fn notes_heading(lang: Lang) -> &'static str {
    text(lang, "notes.heading")
}

/// "REML converged after 6 iterations": a batch writes the same few sentences again and
/// again, so each thread keeps the last ones it wrote.
fn converged(lang: Lang, method: Tau2Method, iterations: usize) -> String {
    use std::cell::RefCell;
    const KEEP: usize = 32;
    thread_local! {
        static WRITTEN: RefCell<Vec<((Lang, Tau2Method, usize), String)>> =
            const { RefCell::new(Vec::new()) };
    }
    let key = (lang, method, iterations);
    let found = WRITTEN.with(|w| {
        let w = w.borrow();
        w.iter().find(|(k, _)| *k == key).map(|(_, s)| s.clone())
    });
    if let Some(s) = found {
        return s;
    }
    let s = count_with(
        lang,
        "notes.converged",
        iterations as u64,
        &[("method", &method.to_string())],
    );
    WRITTEN.with(|w| {
        let mut w = w.borrow_mut();
        if w.len() >= KEEP {
            w.remove(0);
        }
        w.push((key, s.clone()));
    });
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_sentences_read_as_before() {
        let n = Note::Tau2OnBoundary {
            method: Tau2Method::REML,
        };
        assert_eq!(
            n.to_string(),
            "the REML estimate of tau^2 is on the boundary (0): no between-study variance is estimated"
        );
        let n = Note::DoubleZeroCounted {
            studies: vec!["A".into()],
            method: CommonMethod::MH,
            measure: Measure::LogOddsRatio,
        };
        assert_eq!(
            n.to_string(),
            "1 study without events in both arms (or with only events) has no effect of its own: not in Q and its df, but counted in k (as in metafor's rma.mh() and RevMan); it adds nothing to the Mantel-Haenszel sums: A"
        );
        let n = Note::Converged {
            method: Tau2Method::REML,
            iterations: 1,
        };
        assert_eq!(n.to_string(), "REML converged after 1 iteration");
    }

    #[test]
    fn every_note_reads_differently_in_dutch_and_french_with_decimal_commas() {
        for n in Note::examples() {
            let en = n.message(Lang::En);
            for lang in [Lang::Nl, Lang::Fr] {
                let m = n.message(lang);
                assert_ne!(m, en, "{lang:?}: {en}");
                assert!(!m.contains("0.5") && !m.contains("12.5"), "{lang:?}: {m}");
            }
        }
    }
}
