//! What a combination of methods computes, in words: a [`Label`] is a list of pieces, each a
//! catalogue entry (`[reproduce.label]`), written in the reader's language when it is
//! shown. The English text is the `label` of the JSON and CSV output.

use crate::format::Lang;
use crate::i18n::{fill, text};

/// One piece of a [`Label`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// "common effect".
    CommonEffect,
    /// "random effects".
    RandomEffects,
    /// "inverse variance", "Mantel–Haenszel" or "Peto".
    Method(crate::pool::CommonMethod),
    /// "on the uncorrected tables" (Mantel–Haenszel and Peto with zero cells).
    Uncorrected,
    /// "τ² REML"; the codes of several estimators that give the same result are joined by
    /// `/` ("τ² DL/REML/PM").
    Tau2(String),
    /// "z CI", "hksj CI", "hksj-adhoc CI" (the `--ci` code).
    Ci(&'static str),
    /// "no continuity correction (no table has a zero cell)".
    NoCorrection,
    /// "0.5 to all tables".
    HalfToAll,
    /// "0.5 to all tables (each has a zero cell)".
    HalfToAllEachZero,
    /// "0.5 to tables with a zero".
    HalfToZero,
    /// "double-zero tables dropped".
    DoubleZeroDropped,
    /// "exact Hedges correction".
    ExactHedges,
    /// "RevMan's approximate correction".
    ApproximateCorrection,
    /// "each arm's own SD".
    OwnSd,
    /// "pooled SD (equal variances)".
    PooledSd,
    /// "RevMan 5's rules", followed by a colon.
    RevmanRules,
    /// "τ² DL from Q around the … estimate" (RevMan 5's random effects).
    RevmanTau2(crate::pool::CommonMethod),
    /// "0.5 added to all cells of tables with a zero".
    RevmanHalf,
    /// "(also in the MH sums)".
    AlsoMh,
    /// "the RD itself from the raw counts".
    RdRaw,
    /// "double-zero tables not estimable".
    DoubleZeroNotEstimable,
    /// "(RevMan 5's rules give the same estimate and CI)".
    RevmanSame,
}

impl Piece {
    /// The piece in `lang`.
    fn text(&self, lang: Lang) -> String {
        match self {
            Piece::CommonEffect => text(lang, "reproduce.label.common_effect").into(),
            Piece::RandomEffects => text(lang, "reproduce.label.random_effects").into(),
            Piece::Method(m) => method_name(lang, *m).into(),
            Piece::Uncorrected => text(lang, "reproduce.label.uncorrected").into(),
            Piece::Tau2(codes) => fill(lang, "reproduce.label.tau2", &[("codes", codes)]),
            Piece::Ci(code) => fill(lang, "reproduce.label.ci", &[("code", code)]),
            Piece::NoCorrection => text(lang, "reproduce.label.no_correction").into(),
            Piece::HalfToAll => text(lang, "reproduce.label.half_to_all").into(),
            Piece::HalfToAllEachZero => text(lang, "reproduce.label.half_to_all_zero").into(),
            Piece::HalfToZero => text(lang, "reproduce.label.half_to_zero").into(),
            Piece::DoubleZeroDropped => text(lang, "reproduce.label.double_zero_dropped").into(),
            Piece::ExactHedges => text(lang, "reproduce.label.exact_hedges").into(),
            Piece::ApproximateCorrection => text(lang, "reproduce.label.approximate").into(),
            Piece::OwnSd => text(lang, "reproduce.label.own_sd").into(),
            Piece::PooledSd => text(lang, "reproduce.label.pooled_sd").into(),
            Piece::RevmanRules => text(lang, "reproduce.label.revman_rules").into(),
            Piece::RevmanTau2(m) => fill(
                lang,
                "reproduce.label.revman_tau2",
                &[("method", method_name(lang, *m))],
            ),
            Piece::RevmanHalf => text(lang, "reproduce.label.revman_half").into(),
            Piece::AlsoMh => text(lang, "reproduce.label.also_mh").into(),
            Piece::RdRaw => text(lang, "reproduce.label.rd_raw").into(),
            Piece::DoubleZeroNotEstimable => {
                text(lang, "reproduce.label.double_zero_not_estimable").into()
            }
            Piece::RevmanSame => text(lang, "reproduce.label.revman_same").into(),
        }
    }

    /// Whether the piece follows the one before it after a space rather than a comma.
    fn attached(&self) -> bool {
        matches!(self, Piece::Uncorrected | Piece::AlsoMh | Piece::RevmanSame)
    }
}

/// "inverse variance", "Mantel–Haenszel", "Peto".
fn method_name(lang: Lang, m: crate::pool::CommonMethod) -> &'static str {
    match m {
        crate::pool::CommonMethod::IV => text(lang, "reproduce.label.inverse_variance"),
        crate::pool::CommonMethod::MH => "Mantel–Haenszel",
        crate::pool::CommonMethod::Peto => "Peto",
    }
}

/// What a combination computes: its pieces, written in a language by [`Label::text`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Label {
    /// The pieces, in the order they are written.
    pub pieces: Vec<Piece>,
}

impl Label {
    /// A label of these pieces.
    pub fn new(pieces: Vec<Piece>) -> Label {
        Label { pieces }
    }

    /// The label with `more` added at the end.
    pub fn with(mut self, more: impl IntoIterator<Item = Piece>) -> Label {
        self.pieces.extend(more);
        self
    }

    /// The label in `lang`: pieces joined by ", " (after "RevMan 5's rules" by ": ").
    ///
    /// ```
    /// use repool::format::Lang;
    /// use repool::reproduce::label::{Label, Piece};
    /// let l = Label::new(vec![Piece::RandomEffects, Piece::Tau2("REML".into()), Piece::Ci("z")]);
    /// assert_eq!(l.text(Lang::En), "random effects, τ² REML, z CI");
    /// ```
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        for (i, p) in self.pieces.iter().enumerate() {
            if i > 0 {
                out += match (&self.pieces[i - 1], p.attached()) {
                    (_, true) => " ",
                    (Piece::RevmanRules, _) => ": ",
                    _ => ", ",
                };
            }
            out += &p.text(lang);
        }
        out
    }

    /// Labels that differ only in the τ² estimator written as one, in the order of their
    /// first appearance: "random effects, τ² DL/REML/PM, z CI".
    pub fn merge_tau2(labels: &[&Label]) -> Vec<Label> {
        let mut out: Vec<Label> = Vec::new();
        for l in labels {
            let Some(at) = l.pieces.iter().position(|p| matches!(p, Piece::Tau2(_))) else {
                out.push((*l).clone());
                continue;
            };
            let same = |o: &Label| {
                o.pieces.len() == l.pieces.len()
                    && matches!(o.pieces[at], Piece::Tau2(_))
                    && o.pieces
                        .iter()
                        .zip(&l.pieces)
                        .enumerate()
                        .all(|(j, (a, b))| j == at || a == b)
            };
            let code = match &l.pieces[at] {
                Piece::Tau2(c) => c.clone(),
                _ => unreachable!("position found a Tau2 piece"),
            };
            match out.iter_mut().find(|o| same(o)) {
                Some(Label { pieces }) => {
                    if let Piece::Tau2(codes) = &mut pieces[at] {
                        codes.push('/');
                        codes.push_str(&code);
                    }
                }
                None => out.push((*l).clone()),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::CommonMethod;

    #[test]
    fn revman_labels_read_as_before() {
        let l = Label::new(vec![
            Piece::RevmanRules,
            Piece::RandomEffects,
            Piece::RevmanTau2(CommonMethod::MH),
            Piece::Ci("z"),
            Piece::RevmanHalf,
            Piece::AlsoMh,
        ]);
        assert_eq!(
            l.text(Lang::En),
            "RevMan 5's rules: random effects, τ² DL from Q around the Mantel–Haenszel estimate, z CI, 0.5 added to all cells of tables with a zero (also in the MH sums)"
        );
        let nl = l.text(Lang::Nl);
        assert!(!nl.contains("random effects"), "{nl}");
        let fr = l.text(Lang::Fr);
        assert!(!fr.contains("random effects"), "{fr}");
    }

    #[test]
    fn estimators_with_the_same_result_are_written_as_one() {
        let l = |t: &str, ci| {
            Label::new(vec![
                Piece::RandomEffects,
                Piece::Tau2(t.into()),
                Piece::Ci(ci),
            ])
        };
        let (a, b, c) = (l("DL", "z"), l("PM", "z"), l("DL", "hksj"));
        let merged = Label::merge_tau2(&[&a, &b, &c]);
        let texts: Vec<String> = merged.iter().map(|m| m.text(Lang::Fr)).collect();
        assert_eq!(texts.len(), 2);
        assert!(texts[0].contains("τ² DL/PM"), "{texts:?}");
    }
}
