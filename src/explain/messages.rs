//! The words of `repool explain` in English, Dutch and French: one [`Messages`] per
//! language, read from the translation catalogue (`[explain]` and `measure.*.the_pooled`
//! in `locales/*.toml`). Sentences with numbers in them are templates whose `{name}`
//! placeholders [`crate::i18n::fill_template`] replaces; formulas and references are the
//! same in every language and stay with the step that writes them.

use std::sync::OnceLock;

use crate::format::Lang;
use crate::i18n::text;
use crate::Measure;

/// Every sentence, heading and table heading of a derivation, in one language.
pub(super) struct Messages {
    /// Title: `{measure}` ("the pooled log risk ratio").
    pub title: &'static str,
    /// The analysis in one line: `{k}`, `{own}`, `{model}`, `{estimator}`, `{level}`.
    pub summary: &'static str,
    /// "τ² by DL": the preposition.
    pub by: &'static str,
    /// ` (17 with an effect of their own)`.
    pub with_own_effect: &'static str,
    /// "inverse variance", the common-effect method.
    pub inverse_variance: &'static str,
    /// Common-effect model: `{method}`.
    pub common_model: &'static str,
    /// Random-effects model.
    pub random_model: &'static str,

    /// Section 1.
    pub effects_heading: &'static str,
    pub effects_intro: &'static str,
    pub effects_log_scale: &'static str,
    pub study: &'static str,
    pub data: &'static str,
    pub excluded: &'static str,
    /// Zero-cell correction: `{add}`.
    pub corrected: &'static str,

    /// Section 2.
    pub weights_heading: &'static str,
    pub weights_intro: &'static str,
    pub share: &'static str,
    pub mh_instead: &'static str,
    pub peto_instead: &'static str,

    /// Section 3.
    pub q_heading: &'static str,
    pub q_intro: &'static str,

    /// Section 4.
    pub tau2_heading: &'static str,
    pub tau2_intro: &'static str,
    pub reml_equation: &'static str,
    pub ml_equation: &'static str,
    pub pm_equation: &'static str,
    pub by_iteration: &'static str,
    pub scan: &'static str,
    pub step: &'static str,
    pub equation_column: &'static str,
    pub zero_at_start: &'static str,
    /// A second maximum of the likelihood: `{tau2}`, `{gap}`.
    pub bimodal: &'static str,

    /// Section 5.
    pub re_weights_heading: &'static str,
    pub re_weights_intro: &'static str,
    pub share_random: &'static str,
    pub share_common: &'static str,
    /// How the weights flatten: `{largest}`, `{largest_ce}`, `{largest_re}`, `{smallest}`,
    /// `{smallest_ce}`, `{smallest_re}`.
    pub weights_flatten: &'static str,
    pub weights_unchanged: &'static str,

    /// Section 6 (4 in a common-effect model).
    pub pooled_heading_random: &'static str,
    pub pooled_heading_common: &'static str,
    pub hksj_intro: &'static str,
    /// `{code}`, `{estimate}`, `{level}`, `{low}`, `{high}`.
    pub back_transformed: &'static str,
    /// `{se}`, `{se_common}`.
    pub wider: &'static str,

    /// Section 7.
    pub pi_heading: &'static str,
    pub pi_intro: &'static str,

    /// I².
    pub i2_tau2_intro: &'static str,
    pub i2_q_intro: &'static str,
    /// The Cochrane Handbook's reading: `{i2}`, `{band}`.
    pub i2_reading: &'static str,
    /// The four bands: below 30 %, 30–50 %, 50–75 %, from 75 %.
    pub i2_bands: [&'static str; 4],

    /// The end.
    pub relevance_heading: &'static str,
    pub notes_heading: &'static str,
}

/// The messages of `lang`, read from the catalogue once.
pub(super) fn messages(lang: Lang) -> &'static Messages {
    static ALL: OnceLock<[Messages; 3]> = OnceLock::new();
    let all = ALL.get_or_init(|| [Lang::En, Lang::Nl, Lang::Fr].map(build));
    match lang {
        Lang::En => &all[0],
        Lang::Nl => &all[1],
        Lang::Fr => &all[2],
    }
}

/// The messages of `lang` from the catalogue's `[explain]` table.
fn build(lang: Lang) -> Messages {
    Messages {
        title: text(lang, "explain.title"),
        summary: text(lang, "explain.summary"),
        by: text(lang, "explain.by"),
        with_own_effect: text(lang, "explain.with_own_effect"),
        inverse_variance: text(lang, "explain.inverse_variance"),
        common_model: text(lang, "explain.common_model"),
        random_model: text(lang, "explain.random_model"),
        effects_heading: text(lang, "explain.effects_heading"),
        effects_intro: text(lang, "explain.effects_intro"),
        effects_log_scale: text(lang, "explain.effects_log_scale"),
        study: text(lang, "explain.study"),
        data: text(lang, "explain.data"),
        excluded: text(lang, "explain.excluded"),
        corrected: text(lang, "explain.corrected"),
        weights_heading: text(lang, "explain.weights_heading"),
        weights_intro: text(lang, "explain.weights_intro"),
        share: text(lang, "explain.share"),
        mh_instead: text(lang, "explain.mh_instead"),
        peto_instead: text(lang, "explain.peto_instead"),
        q_heading: text(lang, "explain.q_heading"),
        q_intro: text(lang, "explain.q_intro"),
        tau2_heading: text(lang, "explain.tau2_heading"),
        tau2_intro: text(lang, "explain.tau2_intro"),
        reml_equation: text(lang, "explain.reml_equation"),
        ml_equation: text(lang, "explain.ml_equation"),
        pm_equation: text(lang, "explain.pm_equation"),
        by_iteration: text(lang, "explain.by_iteration"),
        scan: text(lang, "explain.scan"),
        step: text(lang, "explain.step"),
        equation_column: text(lang, "explain.equation_column"),
        zero_at_start: text(lang, "explain.zero_at_start"),
        bimodal: text(lang, "explain.bimodal"),
        re_weights_heading: text(lang, "explain.re_weights_heading"),
        re_weights_intro: text(lang, "explain.re_weights_intro"),
        share_random: text(lang, "explain.share_random"),
        share_common: text(lang, "explain.share_common"),
        weights_flatten: text(lang, "explain.weights_flatten"),
        weights_unchanged: text(lang, "explain.weights_unchanged"),
        pooled_heading_random: text(lang, "explain.pooled_heading_random"),
        pooled_heading_common: text(lang, "explain.pooled_heading_common"),
        hksj_intro: text(lang, "explain.hksj_intro"),
        back_transformed: text(lang, "explain.back_transformed"),
        wider: text(lang, "explain.wider"),
        pi_heading: text(lang, "explain.pi_heading"),
        pi_intro: text(lang, "explain.pi_intro"),
        i2_tau2_intro: text(lang, "explain.i2_tau2_intro"),
        i2_q_intro: text(lang, "explain.i2_q_intro"),
        i2_reading: text(lang, "explain.i2_reading"),
        relevance_heading: text(lang, "explain.relevance_heading"),
        notes_heading: text(lang, "explain.notes_heading"),
        i2_bands: [
            text(lang, "explain.i2_band_low"),
            text(lang, "explain.i2_band_moderate"),
            text(lang, "explain.i2_band_substantial"),
            text(lang, "explain.i2_band_considerable"),
        ],
    }
}

/// "the pooled log risk ratio", "het gepoolde gemiddelde verschil", … for the title (the
/// catalogue's `measure.*.the_pooled`).
pub(super) fn the_pooled(lang: Lang, m: Measure) -> &'static str {
    match m {
        Measure::MeanDifference => text(lang, "measure.md.the_pooled"),
        Measure::StandardizedMeanDifference => text(lang, "measure.smd.the_pooled"),
        Measure::LogRiskRatio => text(lang, "measure.rr.the_pooled"),
        Measure::LogOddsRatio => text(lang, "measure.or.the_pooled"),
        Measure::RiskDifference => text(lang, "measure.rd.the_pooled"),
        Measure::LogHazardRatio => text(lang, "measure.hr.the_pooled"),
        Measure::Generic => text(lang, "measure.generic.the_pooled"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::fill_template;

    #[test]
    fn the_title_names_the_measure_in_the_readers_language() {
        let title =
            |lang, m| fill_template(messages(lang).title, &[("measure", the_pooled(lang, m))]);
        assert_eq!(
            title(Lang::En, Measure::LogRiskRatio),
            "How the pooled log risk ratio is computed"
        );
        let nl = title(Lang::Nl, Measure::LogRiskRatio);
        assert!(!nl.contains("risk ratio"), "{nl}");
        assert_eq!(
            title(Lang::Nl, Measure::MeanDifference),
            "Hoe het gepoolde gemiddelde verschil berekend wordt"
        );
        assert_eq!(
            title(Lang::Fr, Measure::MeanDifference),
            "Comment on calcule la différence moyenne poolée"
        );
        assert!(messages(Lang::Nl)
            .common_model
            .starts_with("fixed-effectmodel"));
        assert!(messages(Lang::Fr)
            .common_model
            .starts_with("modèle à effet fixe"));
    }
}
