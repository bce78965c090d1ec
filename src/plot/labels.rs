//! Labels of the forest plot in English, Dutch and French, read from the translation
//! catalogue (`[forest]` and `[measure]` in `locales/*.toml`).

use crate::format::Lang;
use crate::i18n::text;
use crate::Measure;

/// Every fixed string of a forest plot in one language (fields named by what they label).
#[allow(missing_docs)]
#[derive(Debug, Clone)]
pub struct Labels {
    pub study: &'static str,
    pub weight: &'static str,
    pub events: &'static str,
    pub total: &'static str,
    pub mean: &'static str,
    pub sd: &'static str,
    pub treatment: &'static str,
    pub control: &'static str,
    pub subtotal: &'static str,
    pub total_row: &'static str,
    pub total_events: &'static str,
    pub common: &'static str,
    pub random: &'static str,
    pub prediction_interval: &'static str,
    pub heterogeneity: &'static str,
    pub overall_effect: &'static str,
    pub subgroup_differences: &'static str,
    pub favours: &'static str,
    pub not_estimable: &'static str,
    pub ci: &'static str,
    pub no_subgroup: &'static str,
    pub not_applicable: &'static str,
}

/// The labels for `lang`, from the catalogue's `[forest]` table.
pub fn labels(lang: Lang) -> Labels {
    Labels {
        study: text(lang, "forest.study"),
        weight: text(lang, "forest.weight"),
        events: text(lang, "forest.events"),
        total: text(lang, "forest.total"),
        mean: text(lang, "forest.mean"),
        sd: text(lang, "forest.sd"),
        treatment: text(lang, "forest.treatment"),
        control: text(lang, "forest.control"),
        subtotal: text(lang, "forest.subtotal"),
        total_row: text(lang, "forest.total_row"),
        total_events: text(lang, "forest.total_events"),
        common: text(lang, "forest.common"),
        random: text(lang, "forest.random"),
        prediction_interval: text(lang, "forest.prediction_interval"),
        heterogeneity: text(lang, "forest.heterogeneity"),
        overall_effect: text(lang, "forest.overall_effect"),
        subgroup_differences: text(lang, "forest.subgroup_differences"),
        favours: text(lang, "forest.favours"),
        not_estimable: text(lang, "forest.not_estimable"),
        ci: text(lang, "forest.ci"),
        no_subgroup: text(lang, "forest.no_subgroup"),
        not_applicable: text(lang, "forest.not_applicable"),
    }
}

/// The measure's name for the plot header (the catalogue's `measure.*.heading`).
pub fn measure_name(lang: Lang, m: Measure) -> &'static str {
    match m {
        Measure::MeanDifference => text(lang, "measure.md.heading"),
        Measure::StandardizedMeanDifference => text(lang, "measure.smd.heading"),
        Measure::LogRiskRatio => text(lang, "measure.rr.heading"),
        Measure::LogOddsRatio => text(lang, "measure.or.heading"),
        Measure::RiskDifference => text(lang, "measure.rd.heading"),
        Measure::LogHazardRatio => text(lang, "measure.hr.heading"),
        Measure::Generic => text(lang, "measure.generic.heading"),
    }
}

/// "95% CI" in `lang` (the catalogue's `forest.ci_level`) for a level of `level_percent`.
pub fn ci_label(lang: Lang, level_percent: f64) -> String {
    crate::i18n::fill(
        lang,
        "forest.ci_level",
        &[
            ("level", &crate::format::fmt_num(lang, level_percent, 0)),
            ("ci", crate::i18n::text(lang, "forest.ci")),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_french_labels_use_their_own_terms() {
        let nl = labels(Lang::Nl);
        assert_eq!(
            (nl.events, nl.common, nl.random),
            ("Gebeurtenissen", "fixed-effectmodel", "random-effectsmodel")
        );
        assert_eq!(measure_name(Lang::Nl, Measure::LogOddsRatio), "Oddsratio");
        assert_eq!(
            measure_name(Lang::Nl, Measure::MeanDifference),
            "Gemiddeld verschil"
        );
        assert_eq!(
            measure_name(Lang::Fr, Measure::LogOddsRatio),
            "Rapport des cotes"
        );
        assert_eq!(labels(Lang::En).random, "random effects");
    }
}
