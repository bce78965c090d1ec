//! The words of `repool explain` in English, Dutch and French: one [`Messages`] per
//! language ([`EN`], [`NL`], [`FR`]). Sentences with numbers in them are templates whose
//! `{name}` placeholders [`fill`] replaces; formulas and references are the same in every
//! language and stay with the step that writes them.

use crate::format::Lang;
use crate::Measure;

/// Every sentence, heading and table heading of a derivation, in one language.
pub(super) struct Messages {
    /// Title: `{measure}`.
    pub title: &'static str,
    /// The analysis in one line: `{k}`, `{own}`, `{model}`, `{estimator}`, `{level}`.
    pub summary: &'static str,
    /// "τ² by DL": the preposition.
    pub by: &'static str,
    /// ` (17 with an effect of their own)`.
    pub with_own_effect: &'static str,
    /// Names of the measures in the order of [`measure_index`]; `None`: the measure's own
    /// name ([`Measure::name`]).
    pub measures: Option<[&'static str; 7]>,
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

/// The messages of `lang`.
pub(super) fn messages(lang: Lang) -> &'static Messages {
    match lang {
        Lang::En => &EN,
        Lang::Nl => &NL,
        Lang::Fr => &FR,
    }
}

/// The position of a measure in [`Messages::measures`].
pub(super) fn measure_index(m: Measure) -> usize {
    match m {
        Measure::MeanDifference => 0,
        Measure::StandardizedMeanDifference => 1,
        Measure::LogRiskRatio => 2,
        Measure::LogOddsRatio => 3,
        Measure::RiskDifference => 4,
        Measure::LogHazardRatio => 5,
        Measure::Generic => 6,
    }
}

/// `template` with every `{name}` of `args` replaced by its value, in one pass (a value is
/// never read as a template); other braces are kept.
pub(super) fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out += &rest[..open];
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let value = args.iter().find(|(n, _)| *n == name)?.1;
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                out += value;
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out + rest
}

/// English.
pub(super) const EN: Messages = Messages {
    title: "How the pooled {measure} is computed",
    summary: "{k} studies{own}; {model} model{estimator}; {level}% confidence level.",
    by: "by",
    with_own_effect: "with an effect of their own",
    measures: None,
    inverse_variance: "inverse variance",
    common_model: "common-effect ({method})",
    random_model: "random-effects",

    effects_heading: "1. Each study's effect and its variance",
    effects_intro: "Each study gives an effect yᵢ and its sampling variance vᵢ.",
    effects_log_scale: " Ratios are analysed on the log scale, where they are symmetric and close to normal; only the final result is exponentiated back.",
    study: "study",
    data: "data",
    excluded: "excluded",
    corrected: "* {add} was added to each cell of this table (continuity correction for a zero cell).",

    weights_heading: "2. Inverse-variance weights and the common-effect estimate",
    weights_intro: "A study's weight is the inverse of its variance: precise studies count more. The common-effect estimate is the weighted mean of the effects.",
    share: "share",
    mh_instead: "This analysis uses the Mantel–Haenszel method instead (Cochrane Handbook 10.4.2): it weights the 2×2 tables directly (for the OR, wᵢ = bᵢcᵢ/Nᵢ), which behaves better with few events. The inverse-variance numbers above show the idea; the pooled common effect below is the Mantel–Haenszel one, and Q is computed around it.",
    peto_instead: "This analysis uses Peto's method instead (Cochrane Handbook 10.4.4.2): each study's log odds ratio is (O − E)/V from the observed and expected events, with weight V. The pooled common effect below is Peto's.",

    q_heading: "3. Heterogeneity: Cochran's Q",
    q_intro: "Q adds up each study's squared distance from the common estimate, in units of its own variance. Without heterogeneity Q follows a χ² distribution with k − 1 degrees of freedom, so Q is expected to be about k − 1.",

    tau2_heading: "4. Between-study variance τ²",
    tau2_intro: "τ² is the variance of the true effects between studies. Each estimator asks how much more the effects scatter than their sampling variances explain; negative values are set to 0.",
    reml_equation: "REML maximises the restricted likelihood: τ² solves its score equation",
    ml_equation: "ML maximises the likelihood: τ² solves its score equation",
    pm_equation: "Paule–Mandel: τ² makes the generalised Q equal to its expectation k − 1",
    by_iteration: ", found by iteration (Newton steps inside a bracket):",
    scan: "The likelihood can have more than one maximum, so the sign of the score is first scanned over every τ² where it can be 0; every change from + to − is a maximum, solved as below, and the one with the largest likelihood (τ² = 0 included) is the estimate. The steps toward it:",
    step: "step",
    equation_column: "equation (→ 0)",
    zero_at_start: "The equation is already ≤ 0 at τ² = 0, so τ² = 0.",
    bimodal: "The likelihood is bimodal: it has a second maximum at τ² = {tau2}, only {gap} log-likelihood units lower (less than 1.92, so inside the 95 % likelihood-ratio region). Both values of τ² are compatible with the data.",

    re_weights_heading: "5. Random-effects weights",
    re_weights_intro: "Each study's variance now includes τ²: wᵢ* = 1/(vᵢ + τ²). Adding the same τ² to every variance shrinks the differences between the weights, so the weights are flatter: large studies lose share and small studies gain it.",
    share_random: "share (random)",
    share_common: "share (common)",
    weights_flatten: "The largest study ({largest}) falls from {largest_ce} to {largest_re}; the smallest ({smallest}) rises from {smallest_ce} to {smallest_re}.",
    weights_unchanged: "Here τ² = 0, so the random-effects weights equal the common-effect weights.",

    pooled_heading_random: "6. The pooled estimate and its confidence interval",
    pooled_heading_common: "4. The pooled estimate and its confidence interval",
    hksj_intro: "Hartung–Knapp–Sidik–Jonkman: the variance is rescaled by how much the effects actually scatter around μ̂ (s²), and a t distribution with k − 1 degrees of freedom replaces the normal (Cochrane Handbook 10.10.4.2).",
    back_transformed: "Back on the ratio scale (exp): {code} {estimate} ({level}% CI {low} to {high}).",
    wider: "The random-effects CI is wider than the common-effect one (SE {se} instead of {se_common}) because the pooled mean is now uncertain also through τ²: every study carries the between-study variance.",

    pi_heading: "7. Prediction interval",
    pi_intro: "Where the true effect of a new, similar study would lie: it adds τ² to the uncertainty of the mean (Cochrane Handbook 10.10.4.3).",

    i2_tau2_intro: "I² is the share of the total variability that is between-study variance: τ² against τ² plus a typical within-study variance s².",
    i2_q_intro: "I² is the share of Q beyond what chance alone would give (its expectation, k − 1).",
    i2_reading: "Rough guide of the Cochrane Handbook (10.10.2): I² = {i2} % {band}. I² describes inconsistency, not the size of τ²: with large, precise studies even a small τ² gives a high I².",
    i2_bands: [
        "might not be important",
        "may represent moderate heterogeneity",
        "may represent substantial heterogeneity",
        "represents considerable heterogeneity",
    ],

    relevance_heading: "Clinical relevance",
    notes_heading: "Notes",
};

/// Dutch.
pub(super) const NL: Messages = Messages {
    title: "Hoe de gepoolde {measure} berekend wordt",
    summary: "{k} studies{own}; {model}{estimator}; betrouwbaarheidsniveau {level}%.",
    by: "volgens",
    with_own_effect: "met een eigen effect",
    measures: Some([
        "gemiddelde verschil",
        "gestandaardiseerde gemiddelde verschil (Hedges' g)",
        "log risk ratio",
        "log odds ratio",
        "risicoverschil",
        "log hazard ratio",
        "effect",
    ]),
    inverse_variance: "inverse variantie",
    common_model: "model met vast effect ({method})",
    random_model: "random-effectsmodel",

    effects_heading: "1. Het effect van elke studie en zijn variantie",
    effects_intro: "Elke studie levert een effect yᵢ en zijn steekproefvariantie vᵢ.",
    effects_log_scale: " Ratio's worden op de logschaal geanalyseerd, waar ze symmetrisch en bijna normaal verdeeld zijn; alleen het eindresultaat wordt terug geëxponentieerd.",
    study: "studie",
    data: "gegevens",
    excluded: "uitgesloten",
    corrected: "* {add} is bij elke cel van deze tabel opgeteld (continuïteitscorrectie voor een lege cel).",

    weights_heading: "2. Gewichten (inverse variantie) en de schatting met vast effect",
    weights_intro: "Het gewicht van een studie is het omgekeerde van haar variantie: precieze studies tellen zwaarder. De schatting met vast effect is het gewogen gemiddelde van de effecten.",
    share: "aandeel",
    mh_instead: "Deze analyse gebruikt in plaats daarvan de Mantel–Haenszelmethode (Cochrane Handbook 10.4.2): die weegt de 2×2-tabellen rechtstreeks (voor de OR wᵢ = bᵢcᵢ/Nᵢ), wat beter werkt bij weinig events. De cijfers hierboven tonen het idee; het gepoolde vaste effect hieronder is dat van Mantel–Haenszel, en Q wordt daarrond berekend.",
    peto_instead: "Deze analyse gebruikt in plaats daarvan de methode van Peto (Cochrane Handbook 10.4.4.2): de log odds ratio van elke studie is (O − E)/V uit waargenomen en verwachte events, met gewicht V. Het gepoolde vaste effect hieronder is dat van Peto.",

    q_heading: "3. Heterogeniteit: Cochrans Q",
    q_intro: "Q telt de gekwadrateerde afstand van elke studie tot de gemeenschappelijke schatting op, in eenheden van haar eigen variantie. Zonder heterogeniteit volgt Q een χ²-verdeling met k − 1 vrijheidsgraden; Q is dan ongeveer k − 1.",

    tau2_heading: "4. Variantie tussen de studies τ²",
    tau2_intro: "τ² is de variantie van de ware effecten tussen de studies. Elke schatter vraagt hoeveel meer de effecten spreiden dan hun steekproefvarianties verklaren; negatieve waarden worden 0.",
    reml_equation: "REML maximaliseert de restricted likelihood: τ² lost de scorevergelijking op",
    ml_equation: "ML maximaliseert de likelihood: τ² lost de scorevergelijking op",
    pm_equation: "Paule–Mandel: τ² maakt de veralgemeende Q gelijk aan zijn verwachting k − 1",
    by_iteration: ", gevonden door iteratie (Newtonstappen binnen een interval):",
    scan: "De likelihood kan meer dan één maximum hebben; daarom wordt eerst het teken van de score afgetast over elke τ² waar ze 0 kan zijn. Elke overgang van + naar − is een maximum, opgelost zoals hieronder, en het maximum met de grootste likelihood (τ² = 0 inbegrepen) is de schatting. De stappen ernaartoe:",
    step: "stap",
    equation_column: "vergelijking (→ 0)",
    zero_at_start: "De vergelijking is al ≤ 0 bij τ² = 0, dus τ² = 0.",
    bimodal: "De likelihood is bimodaal: ze heeft een tweede maximum bij τ² = {tau2}, slechts {gap} log-likelihood-eenheden lager (minder dan 1,92, dus binnen het 95%-likelihood-ratiogebied). Beide waarden van τ² zijn verenigbaar met de gegevens.",

    re_weights_heading: "5. Gewichten in het random-effectsmodel",
    re_weights_intro: "De variantie van elke studie bevat nu ook τ²: wᵢ* = 1/(vᵢ + τ²). Dezelfde τ² bij elke variantie optellen verkleint de verschillen tussen de gewichten: grote studies verliezen aandeel, kleine winnen.",
    share_random: "aandeel (random)",
    share_common: "aandeel (vast)",
    weights_flatten: "De grootste studie ({largest}) zakt van {largest_ce} naar {largest_re}; de kleinste ({smallest}) stijgt van {smallest_ce} naar {smallest_re}.",
    weights_unchanged: "Hier is τ² = 0: de gewichten zijn dezelfde als in het model met vast effect.",

    pooled_heading_random: "6. De gepoolde schatting en haar betrouwbaarheidsinterval",
    pooled_heading_common: "4. De gepoolde schatting en haar betrouwbaarheidsinterval",
    hksj_intro: "Hartung–Knapp–Sidik–Jonkman: de variantie wordt herschaald naar hoe sterk de effecten werkelijk rond μ̂ spreiden (s²), en een t-verdeling met k − 1 vrijheidsgraden vervangt de normale (Cochrane Handbook 10.10.4.2).",
    back_transformed: "Terug op de ratioschaal (exp): {code} {estimate} ({level}%-BI {low} tot {high}).",
    wider: "Het random-effects-interval is breder dan dat met vast effect (SE {se} in plaats van {se_common}) omdat het gepoolde gemiddelde nu ook onzeker is door τ²: elke studie draagt de variantie tussen de studies.",

    pi_heading: "7. Predictie-interval",
    pi_intro: "Waar het ware effect van een nieuwe, vergelijkbare studie zou liggen: τ² komt bij de onzekerheid van het gemiddelde (Cochrane Handbook 10.10.4.3).",

    i2_tau2_intro: "I² is het aandeel van de totale variabiliteit dat variantie tussen de studies is: τ² tegenover τ² plus een typische variantie binnen de studies s².",
    i2_q_intro: "I² is het deel van Q dat uitstijgt boven wat toeval alleen zou geven (de verwachting k − 1).",
    i2_reading: "Vuistregel van het Cochrane Handbook (10.10.2): I² = {i2} % {band}. I² beschrijft inconsistentie, niet de grootte van τ²: bij grote, precieze studies geeft zelfs een kleine τ² een hoge I².",
    i2_bands: [
        "is mogelijk niet belangrijk",
        "wijst mogelijk op matige heterogeniteit",
        "wijst mogelijk op aanzienlijke heterogeniteit",
        "wijst op grote heterogeniteit",
    ],

    relevance_heading: "Klinische relevantie",
    notes_heading: "Opmerkingen",
};

/// French.
pub(super) const FR: Messages = Messages {
    title: "Comment le {measure} poolé est calculé",
    summary: "{k} études{own} ; {model}{estimator} ; niveau de confiance {level} %.",
    by: "par",
    with_own_effect: "avec un effet propre",
    measures: Some([
        "différence de moyennes",
        "différence de moyennes standardisée (g de Hedges)",
        "log du risque relatif",
        "log de l'odds ratio",
        "différence de risques",
        "log du hazard ratio",
        "effet",
    ]),
    inverse_variance: "inverse de la variance",
    common_model: "modèle à effet commun ({method})",
    random_model: "modèle à effets aléatoires",

    effects_heading: "1. L'effet de chaque étude et sa variance",
    effects_intro: "Chaque étude fournit un effet yᵢ et sa variance d'échantillonnage vᵢ.",
    effects_log_scale: " Les rapports sont analysés sur l'échelle logarithmique, où ils sont symétriques et presque normaux ; seul le résultat final est ramené par l'exponentielle.",
    study: "étude",
    data: "données",
    excluded: "exclue",
    corrected: "* {add} a été ajouté à chaque case de ce tableau (correction de continuité pour une case nulle).",

    weights_heading: "2. Poids (inverse de la variance) et l'estimation à effet commun",
    weights_intro: "Le poids d'une étude est l'inverse de sa variance : les études précises comptent davantage. L'estimation à effet commun est la moyenne pondérée des effets.",
    share: "part",
    mh_instead: "Cette analyse utilise plutôt la méthode de Mantel–Haenszel (Cochrane Handbook 10.4.2) : elle pondère directement les tableaux 2×2 (pour l'OR, wᵢ = bᵢcᵢ/Nᵢ), ce qui se comporte mieux avec peu d'événements. Les chiffres ci-dessus montrent l'idée ; l'effet commun poolé ci-dessous est celui de Mantel–Haenszel, et Q est calculé autour de lui.",
    peto_instead: "Cette analyse utilise plutôt la méthode de Peto (Cochrane Handbook 10.4.4.2) : le log odds ratio de chaque étude est (O − E)/V à partir des événements observés et attendus, avec le poids V. L'effet commun poolé ci-dessous est celui de Peto.",

    q_heading: "3. Hétérogénéité : le Q de Cochran",
    q_intro: "Q additionne la distance au carré de chaque étude à l'estimation commune, en unités de sa propre variance. Sans hétérogénéité, Q suit une loi du χ² à k − 1 degrés de liberté : on attend Q proche de k − 1.",

    tau2_heading: "4. Variance entre les études τ²",
    tau2_intro: "τ² est la variance des effets réels entre études. Chaque estimateur mesure combien les effets se dispersent au-delà de ce qu'expliquent leurs variances d'échantillonnage ; les valeurs négatives sont ramenées à 0.",
    reml_equation: "REML maximise la vraisemblance restreinte : τ² résout l'équation du score",
    ml_equation: "ML maximise la vraisemblance : τ² résout l'équation du score",
    pm_equation: "Paule–Mandel : τ² rend le Q généralisé égal à son espérance k − 1",
    by_iteration: ", trouvé par itération (pas de Newton dans un intervalle) :",
    scan: "La vraisemblance peut avoir plus d'un maximum : le signe du score est d'abord parcouru sur toutes les valeurs de τ² où il peut s'annuler ; chaque passage de + à − est un maximum, résolu comme ci-dessous, et celui de plus grande vraisemblance (τ² = 0 compris) est l'estimation. Les pas vers celui-ci :",
    step: "pas",
    equation_column: "équation (→ 0)",
    zero_at_start: "L'équation est déjà ≤ 0 en τ² = 0, donc τ² = 0.",
    bimodal: "La vraisemblance est bimodale : elle a un second maximum en τ² = {tau2}, plus bas de seulement {gap} unités de log-vraisemblance (moins de 1,92, donc dans la région à 95 % du rapport de vraisemblance). Les deux valeurs de τ² sont compatibles avec les données.",

    re_weights_heading: "5. Poids du modèle à effets aléatoires",
    re_weights_intro: "La variance de chaque étude inclut maintenant τ² : wᵢ* = 1/(vᵢ + τ²). Ajouter le même τ² à chaque variance réduit les écarts entre les poids : les grandes études perdent de leur part, les petites en gagnent.",
    share_random: "part (aléatoire)",
    share_common: "part (commun)",
    weights_flatten: "La plus grande étude ({largest}) passe de {largest_ce} à {largest_re} ; la plus petite ({smallest}) monte de {smallest_ce} à {smallest_re}.",
    weights_unchanged: "Ici τ² = 0 : les poids sont ceux du modèle à effet commun.",

    pooled_heading_random: "6. L'estimation poolée et son intervalle de confiance",
    pooled_heading_common: "4. L'estimation poolée et son intervalle de confiance",
    hksj_intro: "Hartung–Knapp–Sidik–Jonkman : la variance est remise à l'échelle de la dispersion réelle des effets autour de μ̂ (s²), et une loi t à k − 1 degrés de liberté remplace la loi normale (Cochrane Handbook 10.10.4.2).",
    back_transformed: "De retour sur l'échelle des rapports (exp) : {code} {estimate} (IC à {level} % {low} à {high}).",
    wider: "L'intervalle à effets aléatoires est plus large que celui à effet commun (SE {se} au lieu de {se_common}) car la moyenne poolée est maintenant incertaine aussi à cause de τ² : chaque étude porte la variance entre études.",

    pi_heading: "7. Intervalle de prédiction",
    pi_intro: "Où se situerait l'effet réel d'une nouvelle étude semblable : τ² s'ajoute à l'incertitude de la moyenne (Cochrane Handbook 10.10.4.3).",

    i2_tau2_intro: "I² est la part de la variabilité totale due à la variance entre études : τ² rapporté à τ² plus une variance intra-étude typique s².",
    i2_q_intro: "I² est la part de Q au-delà de ce que le hasard seul donnerait (son espérance, k − 1).",
    i2_reading: "Repère du Cochrane Handbook (10.10.2) : I² = {i2} % {band}. I² décrit l'incohérence, pas l'ampleur de τ² : avec de grandes études précises, même un petit τ² donne un I² élevé.",
    i2_bands: [
        "n'est peut-être pas importante",
        "peut représenter une hétérogénéité modérée",
        "peut représenter une hétérogénéité substantielle",
        "représente une hétérogénéité considérable",
    ],

    relevance_heading: "Pertinence clinique",
    notes_heading: "Remarques",
};
