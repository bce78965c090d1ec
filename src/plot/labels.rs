//! Labels of the forest plot in English, Dutch and French.

use crate::format::Lang;
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
}

/// The labels for `lang`.
pub fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::En => Labels {
            study: "Study",
            weight: "Weight",
            events: "Events",
            total: "Total",
            mean: "Mean",
            sd: "SD",
            treatment: "Treatment",
            control: "Control",
            subtotal: "Subtotal",
            total_row: "Total",
            total_events: "Total events",
            common: "common effect",
            random: "random effects",
            prediction_interval: "Prediction interval",
            heterogeneity: "Heterogeneity",
            overall_effect: "Test for overall effect",
            subgroup_differences: "Test for subgroup differences",
            favours: "Favours",
            not_estimable: "Not estimable",
            ci: "CI",
            no_subgroup: "(no subgroup)",
        },
        Lang::Nl => Labels {
            study: "Studie",
            weight: "Gewicht",
            events: "Events",
            total: "Totaal",
            mean: "Gem.",
            sd: "SD",
            treatment: "Behandeling",
            control: "Controle",
            subtotal: "Subtotaal",
            total_row: "Totaal",
            total_events: "Totaal events",
            common: "fixed effect",
            random: "random effects",
            prediction_interval: "Predictie-interval",
            heterogeneity: "Heterogeniteit",
            overall_effect: "Test voor het totale effect",
            subgroup_differences: "Test voor subgroepverschillen",
            favours: "In het voordeel van",
            not_estimable: "Niet schatbaar",
            ci: "BI",
            no_subgroup: "(geen subgroep)",
        },
        Lang::Fr => Labels {
            study: "Étude",
            weight: "Poids",
            events: "Événements",
            total: "Total",
            mean: "Moy.",
            sd: "ET",
            treatment: "Traitement",
            control: "Contrôle",
            subtotal: "Sous-total",
            total_row: "Total",
            total_events: "Total des événements",
            common: "effet fixe",
            random: "effets aléatoires",
            prediction_interval: "Intervalle de prédiction",
            heterogeneity: "Hétérogénéité",
            overall_effect: "Test de l'effet global",
            subgroup_differences: "Test des différences entre sous-groupes",
            favours: "En faveur de",
            not_estimable: "Non estimable",
            ci: "IC",
            no_subgroup: "(sans sous-groupe)",
        },
    }
}

/// The measure's name for the plot header.
pub fn measure_name(lang: Lang, m: Measure) -> &'static str {
    match (lang, m) {
        (Lang::En, Measure::LogRiskRatio) => "Risk ratio",
        (Lang::Nl, Measure::LogRiskRatio) => "Relatief risico",
        (Lang::Fr, Measure::LogRiskRatio) => "Risque relatif",
        (Lang::Fr, Measure::LogOddsRatio) => "Rapport de cotes",
        (_, Measure::LogOddsRatio) => "Odds ratio",
        (_, Measure::LogHazardRatio) => "Hazard ratio",
        (Lang::En, Measure::MeanDifference) => "Mean difference",
        (Lang::Nl, Measure::MeanDifference) => "Gemiddeld verschil",
        (Lang::Fr, Measure::MeanDifference) => "Différence moyenne",
        (Lang::En, Measure::StandardizedMeanDifference) => "Std. mean difference",
        (Lang::Nl, Measure::StandardizedMeanDifference) => "Gestand. gemiddeld verschil",
        (Lang::Fr, Measure::StandardizedMeanDifference) => "Différence moyenne std.",
        (Lang::En, Measure::RiskDifference) => "Risk difference",
        (Lang::Nl, Measure::RiskDifference) => "Risicoverschil",
        (Lang::Fr, Measure::RiskDifference) => "Différence de risque",
        (Lang::Fr, _) => "Effet",
        (_, _) => "Effect",
    }
}
