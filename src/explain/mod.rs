//! Worked derivations of a pooled result, the way a teacher writes them on the board: each
//! step's formula with the analysis's own numbers plugged in.
//!
//! The numbers are those of [`crate::pool()`]: the derivation calls it once and takes the
//! estimate, SE, CI, Q, τ², I² and prediction interval from its result; the intermediate
//! sums (Σw, Σwy, …) come from the same library functions the pool uses
//! ([`crate::pool::common::inverse_variance`], [`crate::pool::tau2::estimate_observed`]).
//!
//! The document is a list of [`Block`]s, rendered as Markdown, plain text or LaTeX by
//! [`render`]. Pure: no I/O.
//!
//! # References
//! - Cochrane Handbook, version 6.4 (2023), sections 10.3 (inverse-variance and
//!   Mantel–Haenszel methods), 10.10.2 (I² and its rough guide), 10.10.4 (random effects,
//!   prediction intervals).
//! - Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to
//!   Meta-Analysis, chapters 11–12 and 16. Wiley.

mod text;

use crate::check::{relevance_category, Relevance};
use crate::effect::{MdVariance, SmdCorrection, StudyData};
use crate::format::Lang;
use crate::pool::{
    common, tau2, tau2::Tau2Method, CiMethod, CommonMethod, I2Method, Model, PiMethod, PoolConfig,
    PoolError, PooledEstimate, TestKind,
};
use crate::{dist, Measure, Study};

pub use text::{render, Format};

/// One piece of a derivation.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph of prose.
    Text(String),
    /// A formula, as plain text (Unicode) and as LaTeX.
    Math {
        /// Plain-text form.
        plain: String,
        /// LaTeX form (without surrounding `$`).
        tex: String,
    },
    /// A table with a header row.
    Table {
        /// Column headings.
        head: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
    },
}

/// A worked derivation and the result it derives.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Title of the document.
    pub title: String,
    /// The steps.
    pub blocks: Vec<Block>,
    /// The pooled result whose numbers the derivation shows.
    pub result: PooledEstimate,
}

/// Options of a derivation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExplainOptions {
    /// Language of the prose (Dutch and French use decimal commas).
    pub lang: Lang,
    /// Minimal important difference on the display scale (a ratio for RR/OR/HR), signed in
    /// the direction of benefit; adds the clinical-relevance reading.
    pub threshold: Option<f64>,
    /// Significant digits of the numbers shown.
    pub digits: usize,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            lang: Lang::En,
            threshold: None,
            digits: 4,
        }
    }
}

/// Picks the sentence of the language.
/// The sentence that names a second maximum of the likelihood.
fn bimodal(lang: Lang, tau2: f64, gap: f64) -> String {
    let num = |x: f64, d: usize| crate::format::fmt_num(lang, x, d);
    let t = if tau2 == 0.0 {
        "0".into()
    } else {
        num(tau2, 4)
    };
    let g = num(gap, 2);
    match lang {
        Lang::En => format!("The likelihood is bimodal: it has a second maximum at τ² = {t}, only {g} log-likelihood units lower (less than 1.92, so inside the 95 % likelihood-ratio region). Both values of τ² are compatible with the data."),
        Lang::Nl => format!("De likelihood is bimodaal: ze heeft een tweede maximum bij τ² = {t}, slechts {g} log-likelihood-eenheden lager (minder dan 1,92, dus binnen het 95%-likelihood-ratiogebied). Beide waarden van τ² zijn verenigbaar met de gegevens."),
        Lang::Fr => format!("La vraisemblance est bimodale : elle a un second maximum en τ² = {t}, plus bas de seulement {g} unités de log-vraisemblance (moins de 1,92, donc dans la région à 95 % du rapport de vraisemblance). Les deux valeurs de τ² sont compatibles avec les données."),
    }
}

fn l(lang: Lang, en: &str, nl: &str, fr: &str) -> String {
    match lang {
        Lang::En => en,
        Lang::Nl => nl,
        Lang::Fr => fr,
    }
    .to_string()
}

/// A number with `digits` significant digits (at least 1 and at most 8 decimals shown),
/// with a decimal comma in Dutch and French.
fn num(lang: Lang, x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let mag = if x == 0.0 {
        0
    } else {
        x.abs().log10().floor() as i64
    };
    let decimals = (digits as i64 - 1 - mag).clamp(1, 8) as usize;
    crate::format::fmt_num(lang, x, decimals)
}

/// A p-value as usually printed, with its relation: "= 0.031" or "< 0.0001".
fn pval(lang: Lang, p: f64) -> String {
    if p < 0.0001 {
        match lang {
            Lang::En => "< 0.0001".into(),
            _ => "< 0,0001".into(),
        }
    } else {
        format!("= {}", num(lang, p, 2))
    }
}

/// A value that goes to 0: three significant digits, in scientific notation below 0.001.
fn small(lang: Lang, x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        let s = format!("{x:.2e}");
        match lang {
            Lang::En => s,
            _ => s.replace('.', ","),
        }
    } else {
        num(lang, x, 3)
    }
}

/// A count: whole numbers without decimals.
fn count(lang: Lang, x: f64, digits: usize) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        num(lang, x, digits)
    }
}

/// A confidence level in percent: "95", "99.5".
fn level_pct(lang: Lang, level: f64) -> String {
    let x = (level * 1000.0).round() / 10.0;
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        num(lang, x, 3)
    }
}

/// The derivation of the pool of `studies` under `config` (see the module documentation).
///
/// # Examples
/// ```
/// use repool::effect::{EffectOptions, StudyData};
/// use repool::explain::{explain, render, ExplainOptions, Format};
/// use repool::pool::{CiMethod, CommonMethod, I2Method, Model, PiMethod, PoolConfig, Tau2Method};
/// use repool::{Measure, Study};
/// let studies = vec![
///     Study::new("Aronson 1948", StudyData::TwoByTwo { events_t: 4.0, n_t: 123.0, events_c: 11.0, n_c: 139.0 }),
///     Study::new("Ferguson & Simes 1949", StudyData::TwoByTwo { events_t: 6.0, n_t: 306.0, events_c: 29.0, n_c: 303.0 }),
///     Study::new("Rosenthal 1960", StudyData::TwoByTwo { events_t: 3.0, n_t: 231.0, events_c: 11.0, n_c: 220.0 }),
/// ];
/// let config = PoolConfig { measure: Measure::LogRiskRatio, model: Model::Random,
///     method: CommonMethod::IV, tau2_method: Tau2Method::DL, ci: CiMethod::Z, level: 0.95,
///     pi: PiMethod::Metafor, i2: I2Method::Tau2, effect: EffectOptions::default() };
/// let ex = explain(&studies, &config, &ExplainOptions::default()).unwrap();
/// let text = render(&ex, Format::Text);
/// assert!(text.contains("DerSimonian"));
/// assert!(text.contains("Σw"));
/// ```
pub fn explain(
    studies: &[Study],
    config: &PoolConfig,
    opts: &ExplainOptions,
) -> Result<Explanation, PoolError> {
    let result = crate::pool(studies, config)?;
    let lang = opts.lang;
    let dg = opts.digits.max(2);
    let n = |x: f64| num(lang, x, dg);
    let m = config.measure;
    let ratio = m.is_ratio();
    let mut b = Vec::new();
    let (y, v) = result.effects();
    let k = y.len();
    let labels: Vec<&str> = result
        .studies
        .iter()
        .filter(|s| s.effect.is_some())
        .map(|s| s.label.as_str())
        .collect();
    let title = match lang {
        Lang::En => format!("How the pooled {} is computed", measure_name(lang, m)),
        Lang::Nl => format!("Hoe de gepoolde {} berekend wordt", measure_name(lang, m)),
        Lang::Fr => format!("Comment le {} poolé est calculé", measure_name(lang, m)),
    };
    let by = l(lang, "by", "volgens", "par");
    let estimator = if config.model == Model::Random {
        format!(", τ² {by} {}", tau2_name(config.tau2_method))
    } else {
        String::new()
    };
    let (model, level) = (model_name(lang, config), level_pct(lang, config.level));
    let own = estimable_part(lang, &result);
    b.push(Block::Text(match lang {
        Lang::En => format!(
            "{} studies{own}; {model} model{estimator}; {level}% confidence level.",
            result.k
        ),
        Lang::Nl => format!(
            "{} studies{own}; {model}{estimator}; betrouwbaarheidsniveau {level}%.",
            result.k
        ),
        Lang::Fr => format!(
            "{} études{own} ; {model}{estimator} ; niveau de confiance {level} %.",
            result.k
        ),
    }));

    // 1. Study effects.
    b.push(Block::Heading(l(
        lang,
        "1. Each study's effect and its variance",
        "1. Het effect van elke studie en zijn variantie",
        "1. L'effet de chaque étude et sa variance",
    )));
    let (fplain, ftex) = effect_formula(m, config.effect.smd_correction, config.effect.md_variance);
    b.push(Block::Text(effect_intro(lang, m)));
    b.push(Block::Math {
        plain: fplain,
        tex: ftex,
    });
    let mut rows = Vec::new();
    let mut any_corrected = false;
    for (s, r) in studies.iter().zip(&result.studies) {
        let data = match s.data {
            StudyData::TwoByTwo {
                events_t,
                n_t,
                events_c,
                n_c,
            } => format!(
                "{}/{} vs {}/{}",
                count(lang, events_t, dg),
                count(lang, n_t, dg),
                count(lang, events_c, dg),
                count(lang, n_c, dg)
            ),
            StudyData::MeanSd {
                mean_t,
                sd_t,
                n_t,
                mean_c,
                sd_c,
                n_c,
            } => format!(
                "{} ({}) n={} vs {} ({}) n={}",
                n(mean_t),
                n(sd_t),
                count(lang, n_t, dg),
                n(mean_c),
                n(sd_c),
                count(lang, n_c, dg)
            ),
            StudyData::Effect { .. } => "–".into(),
        };
        any_corrected |= r.corrected;
        let label = if r.corrected {
            format!("{} *", r.label)
        } else {
            r.label.clone()
        };
        match r.effect {
            Some(e) => rows.push(vec![label, data, n(e.yi()), n(e.vi())]),
            None => rows.push(vec![
                label,
                data,
                l(lang, "excluded", "uitgesloten", "exclue"),
                "–".into(),
            ]),
        }
    }
    b.push(Block::Table {
        head: vec![
            l(lang, "study", "studie", "étude"),
            l(lang, "data", "gegevens", "données"),
            "yᵢ".into(),
            "vᵢ".into(),
        ],
        rows,
    });
    if any_corrected {
        b.push(Block::Text(match lang {
            Lang::En => format!("* {} was added to each cell of this table (continuity correction for a zero cell).", n(config.effect.zero_cell.add)),
            Lang::Nl => format!("* {} is bij elke cel van deze tabel opgeteld (continuïteitscorrectie voor een lege cel).", n(config.effect.zero_cell.add)),
            Lang::Fr => format!("* {} a été ajouté à chaque case de ce tableau (correction de continuité pour une case nulle).", n(config.effect.zero_cell.add)),
        }));
    }

    // 2. Common-effect weights.
    let (mu_ce, se_ce, rel_ce) = common::inverse_variance(&y, &v, 0.0);
    let w: Vec<f64> = v.iter().map(|vi| 1.0 / vi).collect();
    let sw: f64 = w.iter().sum();
    let swy: f64 = w.iter().zip(&y).map(|(wi, yi)| wi * yi).sum();
    b.push(Block::Heading(l(
        lang,
        "2. Inverse-variance weights and the common-effect estimate",
        "2. Gewichten (inverse variantie) en de schatting met vast effect",
        "2. Poids (inverse de la variance) et l'estimation à effet commun",
    )));
    b.push(Block::Text(l(
        lang,
        "A study's weight is the inverse of its variance: precise studies count more. The common-effect estimate is the weighted mean of the effects.",
        "Het gewicht van een studie is het omgekeerde van haar variantie: precieze studies tellen zwaarder. De schatting met vast effect is het gewogen gemiddelde van de effecten.",
        "Le poids d'une étude est l'inverse de sa variance : les études précises comptent davantage. L'estimation à effet commun est la moyenne pondérée des effets.",
    )));
    b.push(Block::Table {
        head: vec![
            l(lang, "study", "studie", "étude"),
            "wᵢ = 1/vᵢ".into(),
            l(lang, "share", "aandeel", "part"),
            "wᵢyᵢ".into(),
        ],
        rows: labels
            .iter()
            .zip(&w)
            .zip(&rel_ce)
            .zip(&y)
            .map(|(((lab, wi), p), yi)| {
                vec![
                    lab.to_string(),
                    n(*wi),
                    format!("{} %", num(lang, 100.0 * p, 3)),
                    n(wi * yi),
                ]
            })
            .collect(),
    });
    b.push(Block::Math {
        plain: format!(
            "Σw = {}   Σwy = {}   μ̂_CE = Σwy / Σw = {} / {} = {}   SE = 1/√Σw = {}",
            n(sw),
            n(swy),
            n(swy),
            n(sw),
            n(mu_ce),
            n(se_ce)
        ),
        tex: format!(
            "\\sum w_i = {},\\quad \\sum w_i y_i = {},\\quad \\hat\\mu_{{CE}} = \\frac{{\\sum w_i y_i}}{{\\sum w_i}} = {},\\quad SE = \\frac{{1}}{{\\sqrt{{\\sum w_i}}}} = {}",
            n(sw),
            n(swy),
            n(mu_ce),
            n(se_ce)
        ),
    });
    if config.method != CommonMethod::IV {
        b.push(Block::Text(match (lang, config.method) {
            (Lang::En, CommonMethod::MH) => "This analysis uses the Mantel–Haenszel method instead (Cochrane Handbook 10.4.2): it weights the 2×2 tables directly (for the OR, wᵢ = bᵢcᵢ/Nᵢ), which behaves better with few events. The inverse-variance numbers above show the idea; the pooled common effect below is the Mantel–Haenszel one, and Q is computed around it.".into(),
            (Lang::Nl, CommonMethod::MH) => "Deze analyse gebruikt in plaats daarvan de Mantel–Haenszelmethode (Cochrane Handbook 10.4.2): die weegt de 2×2-tabellen rechtstreeks (voor de OR wᵢ = bᵢcᵢ/Nᵢ), wat beter werkt bij weinig events. De cijfers hierboven tonen het idee; het gepoolde vaste effect hieronder is dat van Mantel–Haenszel, en Q wordt daarrond berekend.".into(),
            (Lang::Fr, CommonMethod::MH) => "Cette analyse utilise plutôt la méthode de Mantel–Haenszel (Cochrane Handbook 10.4.2) : elle pondère directement les tableaux 2×2 (pour l'OR, wᵢ = bᵢcᵢ/Nᵢ), ce qui se comporte mieux avec peu d'événements. Les chiffres ci-dessus montrent l'idée ; l'effet commun poolé ci-dessous est celui de Mantel–Haenszel, et Q est calculé autour de lui.".into(),
            (Lang::En, _) => "This analysis uses Peto's method instead (Cochrane Handbook 10.4.4.2): each study's log odds ratio is (O − E)/V from the observed and expected events, with weight V. The pooled common effect below is Peto's.".into(),
            (Lang::Nl, _) => "Deze analyse gebruikt in plaats daarvan de methode van Peto (Cochrane Handbook 10.4.4.2): de log odds ratio van elke studie is (O − E)/V uit waargenomen en verwachte events, met gewicht V. Het gepoolde vaste effect hieronder is dat van Peto.".into(),
            (Lang::Fr, _) => "Cette analyse utilise plutôt la méthode de Peto (Cochrane Handbook 10.4.4.2) : le log odds ratio de chaque étude est (O − E)/V à partir des événements observés et attendus, avec le poids V. L'effet commun poolé ci-dessous est celui de Peto.".into(),
        }));
    }

    if config.method != CommonMethod::IV {
        b.extend(mh_peto_blocks(lang, dg, studies, &result));
    }

    // 3. Heterogeneity: Q.
    let het = result.heterogeneity;
    b.push(Block::Heading(l(
        lang,
        "3. Heterogeneity: Cochran's Q",
        "3. Heterogeniteit: Cochrans Q",
        "3. Hétérogénéité : le Q de Cochran",
    )));
    b.push(Block::Text(l(
        lang,
        "Q adds up each study's squared distance from the common estimate, in units of its own variance. Without heterogeneity Q follows a χ² distribution with k − 1 degrees of freedom, so Q is expected to be about k − 1.",
        "Q telt de gekwadrateerde afstand van elke studie tot de gemeenschappelijke schatting op, in eenheden van haar eigen variantie. Zonder heterogeniteit volgt Q een χ²-verdeling met k − 1 vrijheidsgraden; Q is dan ongeveer k − 1.",
        "Q additionne la distance au carré de chaque étude à l'estimation commune, en unités de sa propre variance. Sans hétérogénéité, Q suit une loi du χ² à k − 1 degrés de liberté : on attend Q proche de k − 1.",
    )));
    b.push(Block::Math {
        plain: format!(
            "Q = Σ wᵢ (yᵢ − μ̂_CE)² = {}   df = k − 1 = {}   p {}",
            n(het.q),
            het.df,
            pval(lang, het.p_value)
        ),
        tex: format!(
            "Q = \\sum w_i (y_i - \\hat\\mu_{{CE}})^2 = {},\\quad df = k - 1 = {},\\quad p {}",
            n(het.q),
            het.df,
            pval(lang, het.p_value)
        ),
    });

    // 4. τ².
    let mut t2 = 0.0;
    if config.model == Model::Random && k > 1 {
        t2 = result.tau2.unwrap_or(0.0);
        b.push(Block::Heading(l(
            lang,
            "4. Between-study variance τ²",
            "4. Variantie tussen de studies τ²",
            "4. Variance entre les études τ²",
        )));
        b.extend(tau2_blocks(lang, dg, config.tau2_method, &y, &v, het.q, t2));
    }

    // 5. Random-effects weights.
    let random = config.model == Model::Random;
    let (_, _, rel_re) = common::inverse_variance(&y, &v, t2);
    let wstar: Vec<f64> = v.iter().map(|vi| 1.0 / (vi + t2)).collect();
    let swstar: f64 = wstar.iter().sum();
    let swstary: f64 = wstar.iter().zip(&y).map(|(wi, yi)| wi * yi).sum();
    if random && k > 1 {
        b.push(Block::Heading(l(
            lang,
            "5. Random-effects weights",
            "5. Gewichten in het random-effectsmodel",
            "5. Poids du modèle à effets aléatoires",
        )));
        b.push(Block::Text(l(
            lang,
            "Each study's variance now includes τ²: wᵢ* = 1/(vᵢ + τ²). Adding the same τ² to every variance shrinks the differences between the weights, so the weights are flatter: large studies lose share and small studies gain it.",
            "De variantie van elke studie bevat nu ook τ²: wᵢ* = 1/(vᵢ + τ²). Dezelfde τ² bij elke variantie optellen verkleint de verschillen tussen de gewichten: grote studies verliezen aandeel, kleine winnen.",
            "La variance de chaque étude inclut maintenant τ² : wᵢ* = 1/(vᵢ + τ²). Ajouter le même τ² à chaque variance réduit les écarts entre les poids : les grandes études perdent de leur part, les petites en gagnent.",
        )));
        b.push(Block::Table {
            head: vec![
                l(lang, "study", "studie", "étude"),
                "wᵢ*".into(),
                l(
                    lang,
                    "share (random)",
                    "aandeel (random)",
                    "part (aléatoire)",
                ),
                l(lang, "share (common)", "aandeel (vast)", "part (commun)"),
            ],
            rows: labels
                .iter()
                .zip(&wstar)
                .zip(rel_re.iter().zip(&rel_ce))
                .map(|((lab, wi), (pr, pc))| {
                    vec![
                        lab.to_string(),
                        n(*wi),
                        format!("{} %", num(lang, 100.0 * pr, 3)),
                        format!("{} %", num(lang, 100.0 * pc, 3)),
                    ]
                })
                .collect(),
        });
        if t2 > 0.0 {
            let (imax, _) =
                rel_ce
                    .iter()
                    .enumerate()
                    .fold((0, f64::MIN), |a, (i, &p)| if p > a.1 { (i, p) } else { a });
            let (imin, _) =
                rel_ce
                    .iter()
                    .enumerate()
                    .fold((0, f64::MAX), |a, (i, &p)| if p < a.1 { (i, p) } else { a });
            let pct = |p: f64| format!("{} %", num(lang, 100.0 * p, 3));
            b.push(Block::Text(match lang {
                Lang::En => format!("The largest study ({}) falls from {} to {}; the smallest ({}) rises from {} to {}.", labels[imax], pct(rel_ce[imax]), pct(rel_re[imax]), labels[imin], pct(rel_ce[imin]), pct(rel_re[imin])),
                Lang::Nl => format!("De grootste studie ({}) zakt van {} naar {}; de kleinste ({}) stijgt van {} naar {}.", labels[imax], pct(rel_ce[imax]), pct(rel_re[imax]), labels[imin], pct(rel_ce[imin]), pct(rel_re[imin])),
                Lang::Fr => format!("La plus grande étude ({}) passe de {} à {} ; la plus petite ({}) monte de {} à {}.", labels[imax], pct(rel_ce[imax]), pct(rel_re[imax]), labels[imin], pct(rel_ce[imin]), pct(rel_re[imin])),
            }));
        } else {
            b.push(Block::Text(l(
                lang,
                "Here τ² = 0, so the random-effects weights equal the common-effect weights.",
                "Hier is τ² = 0: de gewichten zijn dezelfde als in het model met vast effect.",
                "Ici τ² = 0 : les poids sont ceux du modèle à effet commun.",
            )));
        }
    }

    // 6. Pooled estimate, SE, test, CI.
    b.push(Block::Heading(if random {
        l(
            lang,
            "6. The pooled estimate and its confidence interval",
            "6. De gepoolde schatting en haar betrouwbaarheidsinterval",
            "6. L'estimation poolée et son intervalle de confiance",
        )
    } else {
        l(
            lang,
            "4. The pooled estimate and its confidence interval",
            "4. De gepoolde schatting en haar betrouwbaarheidsinterval",
            "4. L'estimation poolée et son intervalle de confiance",
        )
    }));
    let star = if random { "*" } else { "" };
    if config.method == CommonMethod::IV {
        b.push(Block::Math {
            plain: format!(
                "μ̂ = Σw{star}y / Σw{star} = {} / {} = {}",
                n(swstary),
                n(swstar),
                n(result.estimate)
            ),
            tex: format!(
                "\\hat\\mu = \\frac{{\\sum w_i{star} y_i}}{{\\sum w_i{star}}} = \\frac{{{}}}{{{}}} = {}",
                n(swstary),
                n(swstar),
                n(result.estimate)
            ),
        });
    } else {
        b.push(Block::Math {
            plain: format!("μ̂ = {}", n(result.estimate)),
            tex: format!("\\hat\\mu = {}", n(result.estimate)),
        });
    }
    let crit = match result.test {
        TestKind::Z => dist::z_crit(config.level),
        TestKind::T { df } => dist::t_crit(config.level, df),
    };
    let q_at = 1.0 - (1.0 - config.level) / 2.0;
    let crit_name = match result.test {
        TestKind::Z => format!("z({}) = {}", num(lang, q_at, 3), n(crit)),
        TestKind::T { df } => format!(
            "t({}; {}) = {}",
            num(lang, q_at, 3),
            count(lang, df, 3),
            n(crit)
        ),
    };
    if matches!(config.ci, CiMethod::Hksj | CiMethod::HksjAdhoc) && random {
        let s2 = result.se * result.se * swstar;
        b.push(Block::Text(l(
            lang,
            "Hartung–Knapp–Sidik–Jonkman: the variance is rescaled by how much the effects actually scatter around μ̂ (s²), and a t distribution with k − 1 degrees of freedom replaces the normal (Cochrane Handbook 10.10.4.2).",
            "Hartung–Knapp–Sidik–Jonkman: de variantie wordt herschaald naar hoe sterk de effecten werkelijk rond μ̂ spreiden (s²), en een t-verdeling met k − 1 vrijheidsgraden vervangt de normale (Cochrane Handbook 10.10.4.2).",
            "Hartung–Knapp–Sidik–Jonkman : la variance est remise à l'échelle de la dispersion réelle des effets autour de μ̂ (s²), et une loi t à k − 1 degrés de liberté remplace la loi normale (Cochrane Handbook 10.10.4.2).",
        )));
        b.push(Block::Math {
            plain: format!(
                "s² = Σw*(y − μ̂)² / (k − 1){} = {}   SE = √(s² / Σw*) = {}",
                if config.ci == CiMethod::HksjAdhoc {
                    ", at least 1"
                } else {
                    ""
                },
                n(s2),
                n(result.se)
            ),
            tex: format!(
                "s^2 = \\frac{{\\sum w_i^*(y_i - \\hat\\mu)^2}}{{k-1}} = {},\\quad SE = \\sqrt{{s^2 / \\sum w_i^*}} = {}",
                n(s2),
                n(result.se)
            ),
        });
    } else if config.method == CommonMethod::IV {
        b.push(Block::Math {
            plain: format!("SE = 1/√Σw{star} = {}", n(result.se)),
            tex: format!(
                "SE = \\frac{{1}}{{\\sqrt{{\\sum w_i{star}}}}} = {}",
                n(result.se)
            ),
        });
    } else {
        b.push(Block::Math {
            plain: format!("SE = {}", n(result.se)),
            tex: format!("SE = {}", n(result.se)),
        });
    }
    let stat_name = match result.test {
        TestKind::Z => "z",
        TestKind::T { .. } => "t",
    };
    if let (Some(st), Some(p)) = (result.statistic, result.p_value) {
        b.push(Block::Math {
            plain: format!(
                "{stat_name} = μ̂ / SE = {} / {} = {}   p {}",
                n(result.estimate),
                n(result.se),
                n(st),
                pval(lang, p)
            ),
            tex: format!(
                "{stat_name} = \\hat\\mu / SE = {},\\quad p {}",
                n(st),
                pval(lang, p)
            ),
        });
    }
    b.push(Block::Math {
        plain: format!(
            "c = {crit_name}   CI = μ̂ ± c × SE = {} ± {} × {} = [{}; {}]",
            n(result.estimate),
            n(crit),
            n(result.se),
            n(result.ci_low),
            n(result.ci_high)
        ),
        tex: format!(
            "CI = \\hat\\mu \\pm {} \\times SE = [{};\\ {}]",
            n(crit),
            n(result.ci_low),
            n(result.ci_high)
        ),
    });
    if ratio {
        let lv = level_pct(lang, config.level);
        let (e, lo, hi) = (
            n(result.estimate.exp()),
            n(result.ci_low.exp()),
            n(result.ci_high.exp()),
        );
        let code = m.code();
        b.push(Block::Text(match lang {
            Lang::En => format!("Back on the ratio scale (exp): {code} {e} ({lv}% CI {lo} to {hi})."),
            Lang::Nl => format!("Terug op de ratioschaal (exp): {code} {e} ({lv}%-BI {lo} tot {hi})."),
            Lang::Fr => format!("De retour sur l'échelle des rapports (exp) : {code} {e} (IC à {lv} % {lo} à {hi})."),
        }));
    }
    if random && k > 1 && t2 > 0.0 {
        b.push(Block::Text(match lang {
            Lang::En => format!("The random-effects CI is wider than the common-effect one (SE {} instead of {}) because the pooled mean is now uncertain also through τ²: every study carries the between-study variance.", n(result.se), n(se_ce)),
            Lang::Nl => format!("Het random-effects-interval is breder dan dat met vast effect (SE {} in plaats van {}) omdat het gepoolde gemiddelde nu ook onzeker is door τ²: elke studie draagt de variantie tussen de studies.", n(result.se), n(se_ce)),
            Lang::Fr => format!("L'intervalle à effets aléatoires est plus large que celui à effet commun (SE {} au lieu de {}) car la moyenne poolée est maintenant incertaine aussi à cause de τ² : chaque étude porte la variance entre études.", n(result.se), n(se_ce)),
        }));
    }

    // 7. Prediction interval.
    if let (true, Some((lo, hi))) = (random, result.pi) {
        let (pcrit, pname) = match (config.pi, result.test) {
            (PiMethod::Higgins, _) => (
                dist::t_crit(config.level, k as f64 - 2.0),
                format!("t({})", k - 2),
            ),
            (_, TestKind::T { df }) => (dist::t_crit(config.level, df), format!("t({df})")),
            _ => (dist::z_crit(config.level), "z".into()),
        };
        b.push(Block::Heading(l(
            lang,
            "7. Prediction interval",
            "7. Predictie-interval",
            "7. Intervalle de prédiction",
        )));
        b.push(Block::Text(l(
            lang,
            "Where the true effect of a new, similar study would lie: it adds τ² to the uncertainty of the mean (Cochrane Handbook 10.10.4.3).",
            "Waar het ware effect van een nieuwe, vergelijkbare studie zou liggen: τ² komt bij de onzekerheid van het gemiddelde (Cochrane Handbook 10.10.4.3).",
            "Où se situerait l'effet réel d'une nouvelle étude semblable : τ² s'ajoute à l'incertitude de la moyenne (Cochrane Handbook 10.10.4.3).",
        )));
        b.push(Block::Math {
            plain: format!(
                "PI = μ̂ ± {pname} × √(τ² + SE²) = {} ± {} × √({} + {}) = [{}; {}]",
                n(result.estimate),
                n(pcrit),
                n(t2),
                n(result.se * result.se),
                n(lo),
                n(hi)
            ),
            tex: format!(
                "PI = \\hat\\mu \\pm {} \\sqrt{{\\tau^2 + SE^2}} = [{};\\ {}]",
                n(pcrit),
                n(lo),
                n(hi)
            ),
        });
        if ratio {
            b.push(Block::Text(format!(
                "exp: {} – {}",
                n(lo.exp()),
                n(hi.exp())
            )));
        }
    }

    // 8. I².
    if k > 1 {
        b.push(Block::Heading(l(lang, "I²", "I²", "I²")));
        if random && config.i2 == I2Method::Tau2 {
            let s2 = crate::pool::heterogeneity::typical_variance(&v);
            b.push(Block::Text(l(
                lang,
                "I² is the share of the total variability that is between-study variance: τ² against τ² plus a typical within-study variance s².",
                "I² is het aandeel van de totale variabiliteit dat variantie tussen de studies is: τ² tegenover τ² plus een typische variantie binnen de studies s².",
                "I² est la part de la variabilité totale due à la variance entre études : τ² rapporté à τ² plus une variance intra-étude typique s².",
            )));
            b.push(Block::Math {
                plain: format!(
                    "s² = (k − 1) / (Σw − Σw²/Σw) = {}   I² = τ² / (τ² + s²) = {} / ({} + {}) = {} %",
                    n(s2),
                    n(t2),
                    n(t2),
                    n(s2),
                    num(lang, het.i2_percent, 3)
                ),
                tex: format!(
                    "s^2 = \\frac{{k-1}}{{\\sum w_i - \\sum w_i^2/\\sum w_i}} = {},\\quad I^2 = \\frac{{\\tau^2}}{{\\tau^2 + s^2}} = {}\\,\\%",
                    n(s2),
                    num(lang, het.i2_percent, 3)
                ),
            });
        } else {
            b.push(Block::Text(l(
                lang,
                "I² is the share of Q beyond what chance alone would give (its expectation, k − 1).",
                "I² is het deel van Q dat uitstijgt boven wat toeval alleen zou geven (de verwachting k − 1).",
                "I² est la part de Q au-delà de ce que le hasard seul donnerait (son espérance, k − 1).",
            )));
            b.push(Block::Math {
                plain: format!(
                    "I² = max(0, (Q − df) / Q) = ({} − {}) / {} = {} %",
                    n(het.q),
                    het.df,
                    n(het.q),
                    num(lang, het.i2_percent, 3)
                ),
                tex: format!(
                    "I^2 = \\max\\left(0, \\frac{{Q - df}}{{Q}}\\right) = {}\\,\\%",
                    num(lang, het.i2_percent, 3)
                ),
            });
        }
        b.push(Block::Text(i2_reading(lang, het.i2_percent)));
    }

    // 9. Clinical relevance.
    if let Some(t) = opts.threshold {
        let g = |x: f64| if ratio { x.ln() } else { x };
        let null = if ratio { 1.0 } else { 0.0 };
        if ratio && t <= 0.0 {
            // Not a ratio threshold: nothing sensible to say.
        } else {
            let cat: Relevance = relevance_category(
                result.estimate,
                result.ci_low,
                result.ci_high,
                g(t),
                g(null),
            );
            b.push(Block::Heading(l(
                lang,
                "Clinical relevance",
                "Klinische relevantie",
                "Pertinence clinique",
            )));
            b.push(Block::Text(crate::check::messages::relevance(lang, cat, t)));
        }
    }
    if !result.notes.is_empty() {
        b.push(Block::Heading(l(lang, "Notes", "Opmerkingen", "Remarques")));
        for note in &result.notes {
            b.push(Block::Text(note.clone()));
        }
    }
    // Sums the derivation shows can overflow where the pool's own computation does not (Σw²
    // of a variance of 1e-300): no "inf" or "NaN" is shown as if it were a step.
    if shows_non_finite(&b, &labels) {
        return Err(PoolError::NonFinite {
            what: "intermediate result of the derivation (a sum of weights)",
        });
    }
    Ok(Explanation {
        title,
        blocks: b,
        result,
    })
}

/// When some studies have no effect of their own (double-zero tables of a Mantel–Haenszel
/// or Peto pool), how many do: ` (17 with an effect of their own)`; else empty.
fn estimable_part(lang: Lang, r: &PooledEstimate) -> String {
    if r.k == r.k_estimable {
        return String::new();
    }
    let own = l(
        lang,
        "with an effect of their own",
        "met een eigen effect",
        "avec un effet propre",
    );
    format!(" ({} {own})", r.k_estimable)
}

/// Whether a formula or table cell shows a number that is not finite (`NaN`, `inf` as they
/// are formatted); words of the study labels do not count.
fn shows_non_finite(blocks: &[Block], labels: &[&str]) -> bool {
    let bad = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|w| (w == "NaN" || w == "inf") && !labels.iter().any(|l| l.contains(w)))
    };
    blocks.iter().any(|b| match b {
        Block::Math { plain, .. } => bad(plain),
        Block::Table { rows, .. } => rows.iter().flatten().any(|c| bad(c)),
        Block::Heading(_) | Block::Text(_) => false,
    })
}

/// The Mantel–Haenszel or Peto sums of the 2×2 tables (uncorrected, as the pool uses them):
/// each study's weight and share, and the estimate from the sums. Every table is listed,
/// double-zero ones included: they enter the sums as the pool enters them (with weight 0,
/// except in the MH risk difference).
fn mh_peto_blocks(lang: Lang, dg: usize, studies: &[Study], result: &PooledEstimate) -> Vec<Block> {
    use crate::effect::zero_cell::Table;
    let n = |x: f64| num(lang, x, dg);
    let m = result.config.measure;
    let rows: Vec<(&str, Table)> = studies
        .iter()
        .zip(&result.studies)
        .filter_map(|(s, r)| match s.data {
            StudyData::TwoByTwo {
                events_t,
                n_t,
                events_c,
                n_c,
            } => Some((
                r.label.as_str(),
                Table::from_arms(events_t, n_t, events_c, n_c),
            )),
            _ => None,
        })
        .collect();
    let tables: Vec<Table> = rows.iter().map(|(_, t)| *t).collect();
    let study = l(lang, "study", "studie", "étude");
    let share = l(lang, "share", "aandeel", "part");
    let mut b = Vec::new();
    if result.config.method == CommonMethod::Peto {
        let ov: Vec<(f64, f64)> = tables.iter().map(crate::pool::peto::o_minus_e).collect();
        let (so, sv) = ov.iter().fold((0.0, 0.0), |a, x| (a.0 + x.0, a.1 + x.1));
        b.push(Block::Table {
            head: vec![study, "Oᵢ − Eᵢ".into(), "Vᵢ".into(), share],
            rows: rows
                .iter()
                .zip(&ov)
                .map(|((lab, _), (o, v))| {
                    vec![
                        lab.to_string(),
                        n(*o),
                        n(*v),
                        format!("{} %", num(lang, 100.0 * v / sv, 3)),
                    ]
                })
                .collect(),
        });
        b.push(Block::Math {
            plain: format!(
                "ln OR_Peto = Σ(O − E) / ΣV = {} / {} = {}   SE = 1/√ΣV = {}",
                n(so),
                n(sv),
                n(result.estimate),
                n(result.se)
            ),
            tex: format!(
                "\\ln OR_{{Peto}} = \\frac{{\\sum (O_i - E_i)}}{{\\sum V_i}} = \\frac{{{}}}{{{}}} = {},\\quad SE = {}",
                n(so),
                n(sv),
                n(result.estimate),
                n(result.se)
            ),
        });
        return b;
    }
    let Some(est) = crate::pool::mh::estimate(m, &tables) else {
        return b;
    };
    let sw: f64 = est.weights.iter().sum();
    let (wname, plain, tex) = match m {
        Measure::LogOddsRatio => {
            let r: f64 = tables.iter().map(|t| t.a * t.d / (t.n1() + t.n2())).sum();
            (
                "bᵢcᵢ/Nᵢ",
                format!("R = Σ aᵢdᵢ/Nᵢ = {}   S = Σ bᵢcᵢ/Nᵢ = {}   ln OR_MH = ln(R/S) = {}", n(r), n(sw), n(result.estimate)),
                format!("R = \\sum \\frac{{a_i d_i}}{{N_i}} = {},\\quad S = \\sum \\frac{{b_i c_i}}{{N_i}} = {},\\quad \\ln OR_{{MH}} = \\ln\\frac{{R}}{{S}} = {}", n(r), n(sw), n(result.estimate)),
            )
        }
        Measure::LogRiskRatio => {
            let r: f64 = tables
                .iter()
                .map(|t| t.a * t.n2() / (t.n1() + t.n2()))
                .sum();
            (
                "cᵢn₁ᵢ/Nᵢ",
                format!("R = Σ aᵢn₂ᵢ/Nᵢ = {}   S = Σ cᵢn₁ᵢ/Nᵢ = {}   ln RR_MH = ln(R/S) = {}", n(r), n(sw), n(result.estimate)),
                format!("R = \\sum \\frac{{a_i n_{{2i}}}}{{N_i}} = {},\\quad S = \\sum \\frac{{c_i n_{{1i}}}}{{N_i}} = {},\\quad \\ln RR_{{MH}} = \\ln\\frac{{R}}{{S}} = {}", n(r), n(sw), n(result.estimate)),
            )
        }
        _ => {
            let num_: f64 = tables
                .iter()
                .map(|t| (t.a * t.n2() - t.c * t.n1()) / (t.n1() + t.n2()))
                .sum();
            (
                "n₁ᵢn₂ᵢ/Nᵢ",
                format!("RD_MH = Σ (aᵢn₂ᵢ − cᵢn₁ᵢ)/Nᵢ / Σ n₁ᵢn₂ᵢ/Nᵢ = {} / {} = {}", n(num_), n(sw), n(result.estimate)),
                format!("RD_{{MH}} = \\frac{{\\sum (a_i n_{{2i}} - c_i n_{{1i}})/N_i}}{{\\sum n_{{1i}} n_{{2i}}/N_i}} = {}", n(result.estimate)),
            )
        }
    };
    b.push(Block::Table {
        head: vec![study, format!("wᵢ = {wname}"), share],
        rows: rows
            .iter()
            .zip(&est.weights)
            .map(|((lab, _), w)| {
                vec![
                    lab.to_string(),
                    n(*w),
                    format!("{} %", num(lang, 100.0 * w / sw, 3)),
                ]
            })
            .collect(),
    });
    b.push(Block::Math { plain, tex });
    b.push(Block::Math {
        plain: format!(
            "SE = {}   ({} variance)",
            n(result.se),
            match m {
                Measure::LogOddsRatio => "Robins–Breslow–Greenland",
                Measure::LogRiskRatio => "Greenland–Robins",
                _ => "Sato–Greenland–Robins",
            }
        ),
        tex: format!("SE = {}", n(result.se)),
    });
    b
}

fn measure_name(lang: Lang, m: Measure) -> String {
    match (lang, m) {
        (Lang::En, _) => m.name().to_string(),
        (Lang::Nl, Measure::MeanDifference) => "gemiddelde verschil".into(),
        (Lang::Nl, Measure::StandardizedMeanDifference) => {
            "gestandaardiseerde gemiddelde verschil (Hedges' g)".into()
        }
        (Lang::Nl, Measure::LogRiskRatio) => "log risk ratio".into(),
        (Lang::Nl, Measure::LogOddsRatio) => "log odds ratio".into(),
        (Lang::Nl, Measure::RiskDifference) => "risicoverschil".into(),
        (Lang::Nl, Measure::LogHazardRatio) => "log hazard ratio".into(),
        (Lang::Nl, Measure::Generic) => "effect".into(),
        (Lang::Fr, Measure::MeanDifference) => "différence de moyennes".into(),
        (Lang::Fr, Measure::StandardizedMeanDifference) => {
            "différence de moyennes standardisée (g de Hedges)".into()
        }
        (Lang::Fr, Measure::LogRiskRatio) => "log du risque relatif".into(),
        (Lang::Fr, Measure::LogOddsRatio) => "log de l'odds ratio".into(),
        (Lang::Fr, Measure::RiskDifference) => "différence de risques".into(),
        (Lang::Fr, Measure::LogHazardRatio) => "log du hazard ratio".into(),
        (Lang::Fr, Measure::Generic) => "effet".into(),
    }
}

fn model_name(lang: Lang, c: &PoolConfig) -> String {
    let method = match c.method {
        CommonMethod::IV => l(
            lang,
            "inverse variance",
            "inverse variantie",
            "inverse de la variance",
        ),
        CommonMethod::MH => "Mantel–Haenszel".into(),
        CommonMethod::Peto => "Peto".into(),
    };
    match (lang, c.model) {
        (Lang::En, Model::Fixed) => format!("common-effect ({method})"),
        (Lang::Nl, Model::Fixed) => format!("model met vast effect ({method})"),
        (Lang::Fr, Model::Fixed) => format!("modèle à effet commun ({method})"),
        (Lang::En, Model::Random) => "random-effects".into(),
        (Lang::Nl, Model::Random) => "random-effectsmodel".into(),
        (Lang::Fr, Model::Random) => "modèle à effets aléatoires".into(),
    }
}

fn tau2_name(m: Tau2Method) -> &'static str {
    match m {
        Tau2Method::DL => "DerSimonian–Laird (DL)",
        Tau2Method::REML => "REML",
        Tau2Method::ML => "ML",
        Tau2Method::PM => "Paule–Mandel (PM)",
        Tau2Method::HE => "Hedges (HE)",
        Tau2Method::SJ => "Sidik–Jonkman (SJ)",
        Tau2Method::EB => "empirical Bayes (EB)",
        Tau2Method::HS => "Hunter–Schmidt (HS)",
    }
}

fn effect_intro(lang: Lang, m: Measure) -> String {
    let log = m.is_ratio();
    let base = l(
        lang,
        "Each study gives an effect yᵢ and its sampling variance vᵢ.",
        "Elke studie levert een effect yᵢ en zijn steekproefvariantie vᵢ.",
        "Chaque étude fournit un effet yᵢ et sa variance d'échantillonnage vᵢ.",
    );
    if log {
        base + &l(
            lang,
            " Ratios are analysed on the log scale, where they are symmetric and close to normal; only the final result is exponentiated back.",
            " Ratio's worden op de logschaal geanalyseerd, waar ze symmetrisch en bijna normaal verdeeld zijn; alleen het eindresultaat wordt terug geëxponentieerd.",
            " Les rapports sont analysés sur l'échelle logarithmique, où ils sont symétriques et presque normaux ; seul le résultat final est ramené par l'exponentielle.",
        )
    } else {
        base
    }
}

/// The effect-size formula of a measure (plain, LaTeX); a, b, c, d are the cells of the 2×2
/// table (events and non-events, treatment then control).
fn effect_formula(m: Measure, smd: SmdCorrection, mdv: MdVariance) -> (String, String) {
    let (p, t): (&str, &str) = match m {
        Measure::LogRiskRatio => (
            "yᵢ = ln[(a/n₁) / (c/n₂)]   vᵢ = 1/a − 1/n₁ + 1/c − 1/n₂",
            "y_i = \\ln\\frac{a/n_1}{c/n_2},\\quad v_i = \\frac1a - \\frac1{n_1} + \\frac1c - \\frac1{n_2}",
        ),
        Measure::LogOddsRatio => (
            "yᵢ = ln[(a·d) / (b·c)]   vᵢ = 1/a + 1/b + 1/c + 1/d",
            "y_i = \\ln\\frac{ad}{bc},\\quad v_i = \\frac1a + \\frac1b + \\frac1c + \\frac1d",
        ),
        Measure::RiskDifference => (
            "yᵢ = a/n₁ − c/n₂   vᵢ = p₁(1 − p₁)/n₁ + p₂(1 − p₂)/n₂",
            "y_i = \\frac{a}{n_1} - \\frac{c}{n_2},\\quad v_i = \\frac{p_1(1-p_1)}{n_1} + \\frac{p_2(1-p_2)}{n_2}",
        ),
        Measure::MeanDifference => match mdv {
            MdVariance::Unequal => (
                "yᵢ = m₁ − m₂   vᵢ = sd₁²/n₁ + sd₂²/n₂",
                "y_i = m_1 - m_2,\\quad v_i = \\frac{sd_1^2}{n_1} + \\frac{sd_2^2}{n_2}",
            ),
            MdVariance::Pooled => (
                "sₚ² = ((n₁−1)sd₁² + (n₂−1)sd₂²)/(n₁+n₂−2)   yᵢ = m₁ − m₂   vᵢ = sₚ²·(1/n₁ + 1/n₂)   (pooled SD)",
                "s_p^2 = \\frac{(n_1-1)sd_1^2 + (n_2-1)sd_2^2}{n_1+n_2-2},\\quad y_i = m_1 - m_2,\\quad v_i = s_p^2\\left(\\frac1{n_1} + \\frac1{n_2}\\right)",
            ),
        },
        Measure::StandardizedMeanDifference => match smd {
            SmdCorrection::Exact => (
                "s = √[((n₁−1)sd₁² + (n₂−1)sd₂²)/(n₁+n₂−2)]   yᵢ = J·(m₁ − m₂)/s   vᵢ = 1/n₁ + 1/n₂ + yᵢ²/(2(n₁+n₂))   (J: Hedges' exact correction)",
                "s = \\sqrt{\\frac{(n_1-1)sd_1^2 + (n_2-1)sd_2^2}{n_1+n_2-2}},\\quad y_i = J\\,\\frac{m_1 - m_2}{s},\\quad v_i = \\frac1{n_1} + \\frac1{n_2} + \\frac{y_i^2}{2(n_1+n_2)}",
            ),
            SmdCorrection::Approx => (
                "s = √[((n₁−1)sd₁² + (n₂−1)sd₂²)/(n₁+n₂−2)]   yᵢ = (1 − 3/(4N − 9))·(m₁ − m₂)/s   vᵢ = N/(n₁n₂) + yᵢ²/(2(N − 3.94))",
                "s = \\sqrt{\\frac{(n_1-1)sd_1^2 + (n_2-1)sd_2^2}{n_1+n_2-2}},\\quad y_i = \\left(1 - \\frac{3}{4N-9}\\right)\\frac{m_1 - m_2}{s},\\quad v_i = \\frac{N}{n_1 n_2} + \\frac{y_i^2}{2(N-3.94)}",
            ),
        },
        Measure::LogHazardRatio | Measure::Generic => (
            "yᵢ, vᵢ as given (vᵢ = SEᵢ²)",
            "y_i,\\ v_i = SE_i^2 \\text{ as given}",
        ),
    };
    (p.to_string(), t.to_string())
}

fn i2_reading(lang: Lang, i2: f64) -> String {
    // Cochrane Handbook 10.10.2: 0–40 % might not be important; 30–60 % moderate;
    // 50–90 % substantial; 75–100 % considerable (overlapping on purpose).
    let band = if i2 < 30.0 {
        0
    } else if i2 < 50.0 {
        1
    } else if i2 < 75.0 {
        2
    } else {
        3
    };
    let en = [
        "might not be important",
        "may represent moderate heterogeneity",
        "may represent substantial heterogeneity",
        "represents considerable heterogeneity",
    ];
    let nl = [
        "is mogelijk niet belangrijk",
        "wijst mogelijk op matige heterogeniteit",
        "wijst mogelijk op aanzienlijke heterogeniteit",
        "wijst op grote heterogeniteit",
    ];
    let fr = [
        "n'est peut-être pas importante",
        "peut représenter une hétérogénéité modérée",
        "peut représenter une hétérogénéité substantielle",
        "représente une hétérogénéité considérable",
    ];
    let v = num(lang, i2, 3);
    match lang {
        Lang::En => format!("Rough guide of the Cochrane Handbook (10.10.2): I² = {v} % {}. I² describes inconsistency, not the size of τ²: with large, precise studies even a small τ² gives a high I².", en[band]),
        Lang::Nl => format!("Vuistregel van het Cochrane Handbook (10.10.2): I² = {v} % {}. I² beschrijft inconsistentie, niet de grootte van τ²: bij grote, precieze studies geeft zelfs een kleine τ² een hoge I².", nl[band]),
        Lang::Fr => format!("Repère du Cochrane Handbook (10.10.2) : I² = {v} % {}. I² décrit l'incohérence, pas l'ampleur de τ² : avec de grandes études précises, même un petit τ² donne un I² élevé.", fr[band]),
    }
}

/// The τ² step: formula with numbers (closed forms) or the iteration table.
fn tau2_blocks(
    lang: Lang,
    dg: usize,
    method: Tau2Method,
    y: &[f64],
    v: &[f64],
    q: f64,
    t2: f64,
) -> Vec<Block> {
    let n = |x: f64| num(lang, x, dg);
    let k = y.len() as f64;
    let w: Vec<f64> = v.iter().map(|vi| 1.0 / vi).collect();
    let sw: f64 = w.iter().sum();
    let sw2: f64 = w.iter().map(|x| x * x).sum();
    let mut b = vec![Block::Text(l(
        lang,
        "τ² is the variance of the true effects between studies. Each estimator asks how much more the effects scatter than their sampling variances explain; negative values are set to 0.",
        "τ² is de variantie van de ware effecten tussen de studies. Elke schatter vraagt hoeveel meer de effecten spreiden dan hun steekproefvarianties verklaren; negatieve waarden worden 0.",
        "τ² est la variance des effets réels entre études. Chaque estimateur mesure combien les effets se dispersent au-delà de ce qu'expliquent leurs variances d'échantillonnage ; les valeurs négatives sont ramenées à 0.",
    ))];
    match method {
        Tau2Method::DL => {
            let c = sw - sw2 / sw;
            b.push(Block::Math {
                plain: format!(
                    "C = Σw − Σw²/Σw = {} − {}/{} = {}   τ² = max(0, (Q − (k − 1)) / C) = max(0, ({} − {}) / {}) = {}",
                    n(sw), n(sw2), n(sw), n(c), n(q), k - 1.0, n(c), n(t2)
                ),
                tex: format!(
                    "C = \\sum w_i - \\frac{{\\sum w_i^2}}{{\\sum w_i}} = {},\\quad \\hat\\tau^2 = \\max\\left(0, \\frac{{Q - (k-1)}}{{C}}\\right) = \\max\\left(0, \\frac{{{} - {}}}{{{}}}\\right) = {}",
                    n(c), n(q), k - 1.0, n(c), n(t2)
                ),
            });
            b.push(Block::Text("DerSimonian R, Laird N (1986). Control Clin Trials 7:177–188; Cochrane Handbook 10.10.4.1.".into()));
        }
        Tau2Method::HS => {
            b.push(Block::Math {
                plain: format!(
                    "τ² = max(0, (Q − k) / Σw) = max(0, ({} − {}) / {}) = {}",
                    n(q),
                    k,
                    n(sw),
                    n(t2)
                ),
                tex: format!(
                    "\\hat\\tau^2 = \\max\\left(0, \\frac{{Q - k}}{{\\sum w_i}}\\right) = {}",
                    n(t2)
                ),
            });
            b.push(Block::Text("Hunter JE, Schmidt FL (2004). Methods of Meta-Analysis, 2nd ed. Sage; metafor rma(method = \"HS\").".into()));
        }
        Tau2Method::HE => {
            let (_, ss) = tau2::unweighted(y);
            let mv = v.iter().sum::<f64>() / k;
            b.push(Block::Math {
                plain: format!(
                    "τ² = max(0, Σ(yᵢ − ȳ)²/(k − 1) − mean(vᵢ)) = max(0, {} − {}) = {}",
                    n(ss / (k - 1.0)), n(mv), n(t2)
                ),
                tex: format!(
                    "\\hat\\tau^2 = \\max\\left(0, \\frac{{\\sum (y_i - \\bar y)^2}}{{k-1}} - \\bar v\\right) = \\max(0, {} - {}) = {}",
                    n(ss / (k - 1.0)), n(mv), n(t2)
                ),
            });
            b.push(Block::Text("Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis. Academic Press; metafor rma(method = \"HE\").".into()));
        }
        Tau2Method::SJ => {
            let (_, ss) = tau2::unweighted(y);
            let t0 = ss / k;
            b.push(Block::Math {
                plain: format!(
                    "τ₀² = Σ(yᵢ − ȳ)²/k = {}   τ² = τ₀² · Σ (yᵢ − μ̂₀)²/(vᵢ + τ₀²) / (k − 1) = {}",
                    n(t0), n(t2)
                ),
                tex: format!(
                    "\\tau_0^2 = \\frac{{\\sum (y_i - \\bar y)^2}}{{k}} = {},\\quad \\hat\\tau^2 = \\frac{{\\tau_0^2}}{{k-1}} \\sum \\frac{{(y_i - \\hat\\mu_0)^2}}{{v_i + \\tau_0^2}} = {}",
                    n(t0), n(t2)
                ),
            });
            b.push(Block::Text("Sidik K, Jonkman JN (2005). Simple heterogeneity variance estimation for meta-analysis. J R Stat Soc C 54:367–384.".into()));
        }
        Tau2Method::REML | Tau2Method::ML | Tau2Method::PM | Tau2Method::EB => {
            let (plain, tex, what) = match method {
                Tau2Method::REML => (
                    "Σ wᵢ*²(yᵢ − μ̂)² − (Σwᵢ* − Σwᵢ*²/Σwᵢ*) = 0,   wᵢ* = 1/(vᵢ + τ²)",
                    "\\sum w_i^{*2}(y_i - \\hat\\mu)^2 - \\left(\\sum w_i^* - \\frac{\\sum w_i^{*2}}{\\sum w_i^*}\\right) = 0",
                    l(lang, "REML maximises the restricted likelihood: τ² solves its score equation", "REML maximaliseert de restricted likelihood: τ² lost de scorevergelijking op", "REML maximise la vraisemblance restreinte : τ² résout l'équation du score"),
                ),
                Tau2Method::ML => (
                    "Σ wᵢ*²(yᵢ − μ̂)² − Σwᵢ* = 0,   wᵢ* = 1/(vᵢ + τ²)",
                    "\\sum w_i^{*2}(y_i - \\hat\\mu)^2 - \\sum w_i^* = 0",
                    l(lang, "ML maximises the likelihood: τ² solves its score equation", "ML maximaliseert de likelihood: τ² lost de scorevergelijking op", "ML maximise la vraisemblance : τ² résout l'équation du score"),
                ),
                _ => (
                    "Q(τ²) = Σ wᵢ*(yᵢ − μ̂)² = k − 1,   wᵢ* = 1/(vᵢ + τ²)",
                    "Q(\\tau^2) = \\sum w_i^*(y_i - \\hat\\mu)^2 = k - 1",
                    l(lang, "Paule–Mandel: τ² makes the generalised Q equal to its expectation k − 1", "Paule–Mandel: τ² maakt de veralgemeende Q gelijk aan zijn verwachting k − 1", "Paule–Mandel : τ² rend le Q généralisé égal à son espérance k − 1"),
                ),
            };
            b.push(Block::Text(format!(
                "{what}{}",
                l(
                    lang,
                    ", found by iteration (Newton steps inside a bracket):",
                    ", gevonden door iteratie (Newtonstappen binnen een interval):",
                    ", trouvé par itération (pas de Newton dans un intervalle) :"
                )
            )));
            b.push(Block::Math {
                plain: plain.into(),
                tex: tex.into(),
            });
            let mut steps: Vec<tau2::Step> = Vec::new();
            let traced = tau2::estimate_observed(method, y, v, &mut steps).map(|fit| (fit, steps));
            if matches!(method, Tau2Method::REML | Tau2Method::ML) {
                b.push(Block::Text(l(
                    lang,
                    "The likelihood can have more than one maximum, so the sign of the score is first scanned over every τ² where it can be 0; every change from + to − is a maximum, solved as below, and the one with the largest likelihood (τ² = 0 included) is the estimate. The steps toward it:",
                    "De likelihood kan meer dan één maximum hebben; daarom wordt eerst het teken van de score afgetast over elke τ² waar ze 0 kan zijn. Elke overgang van + naar − is een maximum, opgelost zoals hieronder, en het maximum met de grootste likelihood (τ² = 0 inbegrepen) is de schatting. De stappen ernaartoe:",
                    "La vraisemblance peut avoir plus d'un maximum : le signe du score est d'abord parcouru sur toutes les valeurs de τ² où il peut s'annuler ; chaque passage de + à − est un maximum, résolu comme ci-dessous, et celui de plus grande vraisemblance (τ² = 0 compris) est l'estimation. Les pas vers celui-ci :",
                )));
            }
            let other = traced.as_ref().ok().and_then(|(fit, _)| fit.other);
            match traced {
                Ok((_, steps)) if !steps.is_empty() => {
                    b.push(Block::Table {
                        head: vec![
                            l(lang, "step", "stap", "pas"),
                            "τ²".into(),
                            l(
                                lang,
                                "equation (→ 0)",
                                "vergelijking (→ 0)",
                                "équation (→ 0)",
                            ),
                        ],
                        rows: steps
                            .iter()
                            .enumerate()
                            .map(|(i, s)| {
                                vec![(i + 1).to_string(), n(s.tau2), small(lang, s.value)]
                            })
                            .collect(),
                    });
                }
                _ => b.push(Block::Text(l(
                    lang,
                    "The equation is already ≤ 0 at τ² = 0, so τ² = 0.",
                    "De vergelijking is al ≤ 0 bij τ² = 0, dus τ² = 0.",
                    "L'équation est déjà ≤ 0 en τ² = 0, donc τ² = 0.",
                ))),
            }
            b.push(Block::Math {
                plain: format!("τ² = {}", n(t2)),
                tex: format!("\\hat\\tau^2 = {}", n(t2)),
            });
            if let Some(o) = other {
                b.push(Block::Text(bimodal(lang, o.tau2, o.loglik_gap)));
            }
            b.push(Block::Text(match method {
                Tau2Method::REML => "Viechtbauer W (2005). J Educ Behav Stat 30:261–293; metafor rma(method = \"REML\").".into(),
                Tau2Method::ML => "Hardy RJ, Thompson SG (1996). Stat Med 15:619–629; metafor rma(method = \"ML\").".into(),
                _ => "Paule RC, Mandel J (1982). J Res Natl Bur Stand 87:377–385; Cochrane Handbook 10.10.4.1.".into(),
            }));
        }
    }
    b.push(Block::Math {
        plain: format!("τ = √τ² = {}", n(t2.sqrt())),
        tex: format!("\\hat\\tau = {}", n(t2.sqrt())),
    });
    b
}
