//! Plain-language explanations of the checks, in English, Dutch and French.

use super::{Claim, ClaimMeasure, ImpliedP, Relevance, ReportedP, Severity};
pub use crate::format::{fmt_num, localise_number, Lang};
use crate::format::{p_equals, p_value};

/// Which CI limit is the likely typo, with the value a symmetric CI would have.
#[derive(Debug, Clone, PartialEq)]
pub enum Suspect {
    /// The lower limit.
    Low(String),
    /// The upper limit.
    High(String),
    /// Either (symmetric lower, symmetric upper).
    Either(String, String),
}

fn num(lang: Lang, s: &str) -> String {
    localise_number(lang, s)
}

/// What a CI implies about p, for a summary line: `p(CI) 0.0240`, or for an asymmetric CI
/// the p of its lower and upper half, `p(CI halves) <0.0001; 0.4357` (`helften`, `moitiés`).
///
/// ```
/// use repool::check::{messages::implied_p_summary, Lang};
/// assert_eq!(implied_p_summary(Lang::En, Some(0.024), None), "p(CI) 0.0240");
/// assert_eq!(implied_p_summary(Lang::Nl, None, Some((1e-9, 0.4357))), "p(CI helften) <0,0001; 0,4357");
/// ```
pub fn implied_p_summary(lang: Lang, whole: Option<f64>, halves: Option<(f64, f64)>) -> String {
    let word = match lang {
        Lang::En => "halves",
        Lang::Nl => "helften",
        Lang::Fr => "moitiés",
    };
    match (halves, whole) {
        (Some((a, b)), _) => format!("p(CI {word}) {}; {}", p_value(lang, a), p_value(lang, b)),
        (None, Some(p)) => format!("p(CI) {}", p_value(lang, p)),
        (None, None) => String::new(),
    }
}

fn f(lang: Lang, x: f64, digits: usize) -> String {
    fmt_num(lang, x, digits)
}

/// The word for a severity: error/warning, fout/waarschuwing, erreur/avertissement.
///
/// ```
/// use repool::check::{messages::severity_label, Lang, Severity};
/// assert_eq!(severity_label(Lang::Nl, Severity::Warning), "waarschuwing");
/// assert_eq!(severity_label(Lang::Fr, Severity::Error), "erreur");
/// ```
pub fn severity_label(lang: Lang, s: Severity) -> &'static str {
    match (lang, s) {
        (Lang::En, Severity::Error) => "error",
        (Lang::En, Severity::Warning) => "warning",
        (Lang::Nl, Severity::Error) => "fout",
        (Lang::Nl, Severity::Warning) => "waarschuwing",
        (Lang::Fr, Severity::Error) => "erreur",
        (Lang::Fr, Severity::Warning) => "avertissement",
    }
}

fn ci(lang: Lang, c: &Claim) -> String {
    let (e, l, h) = (
        num(lang, &c.estimate.printed()),
        num(lang, &c.ci_low.printed()),
        num(lang, &c.ci_high.printed()),
    );
    match lang {
        Lang::En => format!("{} {e} ({l} to {h})", c.measure.code()),
        Lang::Nl => format!("{} {e} ({l} tot {h})", c.measure.code()),
        Lang::Fr => format!("{} {e} ({l} à {h})", c.measure.code()),
    }
}

pub(crate) fn estimate_outside(lang: Lang, c: &Claim) -> String {
    let x = ci(lang, c);
    match lang {
        Lang::En => format!("{x}: the point estimate lies outside its own confidence interval, even allowing for rounding; one of the three numbers is wrong."),
        Lang::Nl => format!("{x}: de puntschatting ligt buiten haar eigen betrouwbaarheidsinterval, ook rekening houdend met afronding; een van de drie getallen is fout."),
        Lang::Fr => format!("{x} : l'estimation ponctuelle se trouve hors de son propre intervalle de confiance, même en tenant compte des arrondis ; l'un des trois nombres est erroné."),
    }
}

/// A fraction as a percentage: whole percents from 10%, one decimal below (so that a small
/// asymmetry does not print as 0%).
fn percent(lang: Lang, x: f64) -> String {
    let pct = 100.0 * x;
    f(lang, pct, if pct.abs() >= 9.95 { 0 } else { 1 })
}

pub(crate) fn asymmetric(
    lang: Lang,
    c: &Claim,
    (asym, min_asym): (f64, f64),
    se: f64,
    suspect: &Suspect,
    severity: Severity,
) -> String {
    let x = ci(lang, c);
    let scale = match (lang, c.measure.is_ratio()) {
        (Lang::En, true) => " on the log scale",
        (Lang::Nl, true) => " op de logschaal",
        (Lang::Fr, true) => " sur l'échelle logarithmique",
        (_, false) => "",
    };
    let pct = percent(lang, asym.abs());
    let min = percent(lang, min_asym);
    let se = f(lang, se, 4);
    let which = match (lang, suspect) {
        (Lang::En, Suspect::Low(v)) => format!("the lower limit is the likely typo: a symmetric CI would have {v}"),
        (Lang::En, Suspect::High(v)) => format!("the upper limit is the likely typo: a symmetric CI would have {v}"),
        (Lang::En, Suspect::Either(a, b)) => format!("a symmetric CI would have a lower limit of {a} or an upper limit of {b}"),
        (Lang::Nl, Suspect::Low(v)) => format!("waarschijnlijk is de ondergrens fout: een symmetrisch interval zou {} geven", num(lang, v)),
        (Lang::Nl, Suspect::High(v)) => format!("waarschijnlijk is de bovengrens fout: een symmetrisch interval zou {} geven", num(lang, v)),
        (Lang::Nl, Suspect::Either(a, b)) => format!("een symmetrisch interval zou een ondergrens van {} of een bovengrens van {} hebben", num(lang, a), num(lang, b)),
        (Lang::Fr, Suspect::Low(v)) => format!("la borne inférieure est probablement erronée : un intervalle symétrique donnerait {}", num(lang, v)),
        (Lang::Fr, Suspect::High(v)) => format!("la borne supérieure est probablement erronée : un intervalle symétrique donnerait {}", num(lang, v)),
        (Lang::Fr, Suspect::Either(a, b)) => format!("un intervalle symétrique aurait une borne inférieure de {} ou une borne supérieure de {}", num(lang, a), num(lang, b)),
    };
    let why = match (lang, severity) {
        (Lang::En, Severity::Warning) => "Profile-likelihood, exact and Bayesian intervals reach asymmetries of this size (up to half the width): if the source used one, this is not an error.",
        (Lang::En, Severity::Error) => "That is more than profile-likelihood, exact or Bayesian intervals reach (at most half the width, one half three times the other): one limit is most likely wrong.",
        (Lang::Nl, Severity::Warning) => "Profile-likelihood-, exacte en bayesiaanse intervallen bereiken zo'n asymmetrie (tot de helft van de breedte): als de bron zo'n interval gebruikte, is dit geen fout.",
        (Lang::Nl, Severity::Error) => "Dat is meer dan profile-likelihood-, exacte of bayesiaanse intervallen bereiken (hoogstens de helft van de breedte, de ene helft driemaal de andere): waarschijnlijk is een van de grenzen fout.",
        (Lang::Fr, Severity::Warning) => "Les intervalles de vraisemblance profilée, exacts et bayésiens atteignent une telle asymétrie (jusqu'à la moitié de la largeur) : si la source en a utilisé un, ce n'est pas une erreur.",
        (Lang::Fr, Severity::Error) => "C'est plus que ce qu'atteignent les intervalles de vraisemblance profilée, exacts ou bayésiens (au plus la moitié de la largeur, une moitié trois fois l'autre) : l'une des bornes est très probablement erronée.",
    };
    match lang {
        Lang::En => format!("{x}: the interval is not symmetric around the estimate{scale} (asymmetry {pct}% of its width, at least {min}% given rounding), which no rounding explains; {which}. Implied SE {se}. {why}"),
        Lang::Nl => format!("{x}: het interval is niet symmetrisch rond de schatting{scale} (asymmetrie {pct}% van de breedte, minstens {min}% rekening houdend met afronding), wat afronding niet verklaart; {which}. Afgeleide SE {se}. {why}"),
        Lang::Fr => format!("{x} : l'intervalle n'est pas symétrique autour de l'estimation{scale} (asymétrie de {pct} % de sa largeur, au moins {min} % compte tenu des arrondis), ce que les arrondis n'expliquent pas ; {which}. ET implicite {se}. {why}"),
    }
}

/// The p-mismatch explanation: what the CI implies (its whole width, or each half when it is
/// asymmetric), and with `t_fits` that a t reading with few degrees of freedom would fit.
pub(crate) fn p_mismatch(lang: Lang, p: &ReportedP, implied: &ImpliedP, t_fits: bool) -> String {
    let rp = num(lang, &p.printed());
    let (a, b) = (
        p_value(lang, implied.range.0),
        p_value(lang, implied.range.1),
    );
    let what = match (lang, implied.halves, implied.whole) {
        (Lang::En, Some((lo, hi)), _) => format!("the CI is asymmetric, so it implies no single p: its lower half implies {}, its upper half {} (p between {a} and {b} for any SE between the halves', given rounding)", p_equals(lang, lo), p_equals(lang, hi)),
        (Lang::Nl, Some((lo, hi)), _) => format!("het betrouwbaarheidsinterval is asymmetrisch en impliceert dus niet één p: de onderste helft impliceert {}, de bovenste {} (p tussen {a} en {b} voor elke SE tussen die van de helften, rekening houdend met afronding)", p_equals(lang, lo), p_equals(lang, hi)),
        (Lang::Fr, Some((lo, hi)), _) => format!("l'intervalle de confiance est asymétrique et n'implique donc pas une seule valeur de p : sa moitié inférieure implique {}, sa moitié supérieure {} (p entre {a} et {b} pour toute ET entre celles des moitiés, compte tenu des arrondis)", p_equals(lang, lo), p_equals(lang, hi)),
        (Lang::En, None, w) => format!("the CI implies {} (between {a} and {b} given rounding)", p_equals(lang, w.unwrap_or(f64::NAN))),
        (Lang::Nl, None, w) => format!("het betrouwbaarheidsinterval impliceert {} (tussen {a} en {b} rekening houdend met afronding)", p_equals(lang, w.unwrap_or(f64::NAN))),
        (Lang::Fr, None, w) => format!("l'intervalle de confiance implique {} (entre {a} et {b} compte tenu des arrondis)", p_equals(lang, w.unwrap_or(f64::NAN))),
    };
    let t = match (lang, t_fits) {
        (_, false) => "",
        (Lang::En, true) => " A t-based CI and test with few degrees of freedom (such as Knapp–Hartung with few studies) would fit: give df to check against it.",
        (Lang::Nl, true) => " Een op t gebaseerd interval en toets met weinig vrijheidsgraden (zoals Knapp–Hartung met weinig studies) zou passen: geef df op om daartegen te toetsen.",
        (Lang::Fr, true) => " Un intervalle et un test fondés sur la loi t avec peu de degrés de liberté (comme Knapp–Hartung avec peu d'études) conviendraient : indiquez df pour vérifier.",
    };
    match lang {
        Lang::En => format!("{what}, but {rp} is reported.{t}"),
        Lang::Nl => format!("{what}, maar er wordt {rp} gerapporteerd.{t}"),
        Lang::Fr => format!("{what}, mais {rp} est rapporté.{t}"),
    }
}

pub(crate) fn significance(lang: Lang, p: &ReportedP, c: &Claim, p_significant: bool) -> String {
    let rp = num(lang, &p.printed());
    let null = num(lang, &format!("{}", c.measure.null()));
    let alpha = num(lang, &format!("{}", ((1.0 - c.level) * 1e6).round() / 1e6));
    match (lang, p_significant) {
        (Lang::En, true) => format!("{rp} is below {alpha}, yet the CI includes the null value {null}: significance by p and by the CI disagree."),
        (Lang::En, false) => format!("{rp} is not below {alpha}, yet the CI excludes the null value {null}: significance by p and by the CI disagree."),
        (Lang::Nl, true) => format!("{rp} is kleiner dan {alpha}, maar het interval bevat de nulwaarde {null}: significantie volgens p en volgens het interval spreken elkaar tegen."),
        (Lang::Nl, false) => format!("{rp} is niet kleiner dan {alpha}, maar het interval sluit de nulwaarde {null} uit: significantie volgens p en volgens het interval spreken elkaar tegen."),
        (Lang::Fr, true) => format!("{rp} est inférieur à {alpha}, mais l'intervalle contient la valeur nulle {null} : la significativité selon p et selon l'intervalle se contredisent."),
        (Lang::Fr, false) => format!("{rp} n'est pas inférieur à {alpha}, mais l'intervalle exclut la valeur nulle {null} : la significativité selon p et selon l'intervalle se contredisent."),
    }
}

/// The plain-language sentence of a relevance category.
pub fn relevance(lang: Lang, cat: Relevance, threshold: f64) -> String {
    let t = num(lang, &format!("{threshold}"));
    match (lang, cat) {
        (Lang::En, Relevance::A) => format!("A: the whole CI lies beyond the threshold {t}: a clinically relevant effect is shown."),
        (Lang::En, Relevance::B) => format!("B: the estimate lies beyond the threshold {t} but the CI crosses it: a relevant effect is possible, not shown."),
        (Lang::En, Relevance::C) => format!("C: the estimate falls short of the threshold {t} but the CI includes it: a relevant effect is not excluded."),
        (Lang::En, Relevance::D) => format!("D: the whole CI falls short of the threshold {t}: a clinically relevant effect is excluded."),
        (Lang::Nl, Relevance::A) => format!("A: het hele interval ligt voorbij de drempel {t}: een klinisch relevant effect is aangetoond."),
        (Lang::Nl, Relevance::B) => format!("B: de schatting ligt voorbij de drempel {t}, maar het interval overschrijdt hem: een relevant effect is mogelijk, niet aangetoond."),
        (Lang::Nl, Relevance::C) => format!("C: de schatting blijft onder de drempel {t}, maar het interval bevat hem: een relevant effect is niet uitgesloten."),
        (Lang::Nl, Relevance::D) => format!("D: het hele interval blijft onder de drempel {t}: een klinisch relevant effect is uitgesloten."),
        (Lang::Fr, Relevance::A) => format!("A : tout l'intervalle se situe au-delà du seuil {t} : un effet cliniquement pertinent est démontré."),
        (Lang::Fr, Relevance::B) => format!("B : l'estimation dépasse le seuil {t} mais l'intervalle le franchit : un effet pertinent est possible, non démontré."),
        (Lang::Fr, Relevance::C) => format!("C : l'estimation n'atteint pas le seuil {t} mais l'intervalle l'inclut : un effet pertinent n'est pas exclu."),
        (Lang::Fr, Relevance::D) => format!("D : tout l'intervalle reste en deçà du seuil {t} : un effet cliniquement pertinent est exclu."),
    }
}

pub(crate) fn verdict(
    lang: Lang,
    reported: bool,
    cat: Relevance,
    t: f64,
    m: ClaimMeasure,
) -> String {
    let _ = m;
    let t = num(lang, &format!("{t}"));
    let c = cat.code();
    match (lang, reported) {
        (Lang::En, true) => format!("reported as clinically relevant, but the CI does not lie entirely beyond the threshold {t} (category {c}), even allowing for rounding: relevance is not shown."),
        (Lang::En, false) => format!("reported as not clinically relevant, but the CI still reaches the threshold {t} (category {c}), even allowing for rounding: a relevant effect is not excluded."),
        (Lang::Nl, true) => format!("gerapporteerd als klinisch relevant, maar het interval ligt niet volledig voorbij de drempel {t} (categorie {c}), ook rekening houdend met afronding: relevantie is niet aangetoond."),
        (Lang::Nl, false) => format!("gerapporteerd als niet klinisch relevant, maar het interval reikt nog tot de drempel {t} (categorie {c}), ook rekening houdend met afronding: een relevant effect is niet uitgesloten."),
        (Lang::Fr, true) => format!("rapporté comme cliniquement pertinent, mais l'intervalle ne se situe pas entièrement au-delà du seuil {t} (catégorie {c}), même en tenant compte des arrondis : la pertinence n'est pas démontrée."),
        (Lang::Fr, false) => format!("rapporté comme non cliniquement pertinent, mais l'intervalle atteint encore le seuil {t} (catégorie {c}), même en tenant compte des arrondis : un effet pertinent n'est pas exclu."),
    }
}

pub(crate) fn transcription(
    lang: Lang,
    differing: &[(&str, super::Reported, super::Reported)],
) -> String {
    let parts: Vec<String> = differing
        .iter()
        .map(|(what, printed, original)| {
            let what = match (lang, *what) {
                (Lang::Nl, "estimate") => "schatting",
                (Lang::Nl, "lower limit") => "ondergrens",
                (Lang::Nl, "upper limit") => "bovengrens",
                (Lang::Fr, "estimate") => "estimation",
                (Lang::Fr, "lower limit") => "borne inférieure",
                (Lang::Fr, "upper limit") => "borne supérieure",
                (_, w) => w,
            };
            format!(
                "{what} {} ≠ {}",
                num(lang, &printed.printed()),
                num(lang, &original.printed())
            )
        })
        .collect();
    let list = parts.join(", ");
    match lang {
        Lang::En => format!("the transcription differs from the original paper beyond rounding: {list} (printed ≠ original)."),
        Lang::Nl => format!("de overname verschilt van het oorspronkelijke artikel, meer dan afronding verklaart: {list} (overgenomen ≠ origineel)."),
        Lang::Fr => format!("la transcription diffère de l'article original au-delà des arrondis : {list} (transcrit ≠ original)."),
    }
}

/// The note for a claim whose original paper's numbers are given only in part: the
/// transcription check needs all three and is not done. `missing` names the empty columns.
///
/// ```
/// use repool::check::{messages::partial_original, Lang};
/// assert!(partial_original(Lang::Nl, &["original_ci_high"]).contains("original_ci_high ontbreekt"));
/// ```
pub fn partial_original(lang: Lang, missing: &[&str]) -> String {
    let list = missing.join(", ");
    match lang {
        Lang::En => format!("transcription not checked: {list} {} empty, and the check needs the original estimate and both limits.", if missing.len() == 1 { "is" } else { "are" }),
        Lang::Nl => format!("overname niet gecontroleerd: {list} {}, en de controle heeft de oorspronkelijke schatting en beide grenzen nodig.", if missing.len() == 1 { "ontbreekt" } else { "ontbreken" }),
        Lang::Fr => format!("transcription non vérifiée : {list} {}, et la vérification a besoin de l'estimation originale et des deux bornes.", if missing.len() == 1 { "est vide" } else { "sont vides" }),
    }
}

/// The words of `repool scan`'s text and HTML output.
#[derive(Debug, Clone, Copy)]
pub struct ScanWords {
    /// "estimates found".
    pub found: &'static str,
    /// "no estimate with a confidence interval found".
    pub none: &'static str,
    /// "cannot be read".
    pub unreadable: &'static str,
    /// "note".
    pub note: &'static str,
    /// "cannot be checked".
    pub unchecked: &'static str,
    /// "studies".
    pub studies: &'static str,
    /// "patients".
    pub patients: &'static str,
    /// "unnamed measure".
    pub unnamed: &'static str,
    /// Title of the HTML page.
    pub title: &'static str,
}

/// [`ScanWords`] in a language.
///
/// ```
/// use repool::check::{messages::scan_words, Lang};
/// assert_eq!(scan_words(Lang::Nl).studies, "studies");
/// assert_eq!(scan_words(Lang::Fr).patients, "patients");
/// ```
pub fn scan_words(lang: Lang) -> ScanWords {
    match lang {
        Lang::En => ScanWords {
            found: "estimates found",
            none: "no estimate with a confidence interval found",
            unreadable: "cannot be read",
            note: "note",
            unchecked: "cannot be checked",
            studies: "studies",
            patients: "patients",
            unnamed: "measure not named",
            title: "Estimates found and checked",
        },
        Lang::Nl => ScanWords {
            found: "schattingen gevonden",
            none: "geen schatting met betrouwbaarheidsinterval gevonden",
            unreadable: "kan niet gelezen worden",
            note: "opmerking",
            unchecked: "kan niet gecontroleerd worden",
            studies: "studies",
            patients: "patiënten",
            unnamed: "maat niet genoemd",
            title: "Gevonden en gecontroleerde schattingen",
        },
        Lang::Fr => ScanWords {
            found: "estimations trouvées",
            none: "aucune estimation avec intervalle de confiance trouvée",
            unreadable: "illisible",
            note: "remarque",
            unchecked: "ne peut pas être vérifiée",
            studies: "études",
            patients: "patients",
            unnamed: "mesure non nommée",
            title: "Estimations trouvées et vérifiées",
        },
    }
}
