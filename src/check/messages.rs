//! Plain-language explanations of the checks, in English, Dutch and French.

use super::{Claim, ClaimMeasure, Relevance, ReportedP};

/// Language of the explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Dutch (decimal commas).
    Nl,
    /// French (decimal commas).
    Fr,
}

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
    match lang {
        Lang::En => s.to_string(),
        _ => s.replace('.', ","),
    }
}

/// Formats a number with `d` decimals in the language's convention (decimal comma for Dutch
/// and French); a value that rounds to zero is printed without a minus sign.
///
/// ```
/// use repool::check::{fmt_num, Lang};
/// assert_eq!(fmt_num(Lang::En, -5.3, 2), "-5.30");
/// assert_eq!(fmt_num(Lang::Nl, -5.3, 1), "-5,3");
/// assert_eq!(fmt_num(Lang::Fr, -0.001, 2), "0,00");
/// ```
pub fn fmt_num(lang: Lang, x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    };
    match lang {
        Lang::En => s,
        _ => s.replace('.', ","),
    }
}

fn f(lang: Lang, x: f64, digits: usize) -> String {
    fmt_num(lang, x, digits)
}

fn p_str(lang: Lang, p: f64) -> String {
    if p < 0.0001 {
        num(lang, "<0.0001")
    } else {
        f(lang, p, 4)
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

pub(crate) fn asymmetric(lang: Lang, c: &Claim, asym: f64, se: f64, suspect: &Suspect) -> String {
    let x = ci(lang, c);
    let scale = match (lang, c.measure.is_ratio()) {
        (Lang::En, true) => " on the log scale",
        (Lang::Nl, true) => " op de logschaal",
        (Lang::Fr, true) => " sur l'échelle logarithmique",
        (_, false) => "",
    };
    let pct = f(lang, 100.0 * asym.abs(), 0);
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
    match lang {
        Lang::En => format!("{x}: the interval is not symmetric around the estimate{scale} (asymmetry {pct}% of its width), which no rounding explains; {which}. Implied SE {se}. Exact or profile-likelihood intervals can be asymmetric: if the source used one, this is not an error."),
        Lang::Nl => format!("{x}: het interval is niet symmetrisch rond de schatting{scale} (asymmetrie {pct}% van de breedte), wat afronding niet verklaart; {which}. Afgeleide SE {se}. Exacte of profile-likelihood-intervallen kunnen asymmetrisch zijn: als de bron zo'n interval gebruikte, is dit geen fout."),
        Lang::Fr => format!("{x} : l'intervalle n'est pas symétrique autour de l'estimation{scale} (asymétrie de {pct} % de sa largeur), ce que les arrondis n'expliquent pas ; {which}. ET implicite {se}. Les intervalles exacts ou de vraisemblance profilée peuvent être asymétriques : si la source en a utilisé un, ce n'est pas une erreur."),
    }
}

pub(crate) fn p_mismatch(lang: Lang, p: &ReportedP, implied: f64, range: (f64, f64)) -> String {
    let rp = num(lang, &p.printed());
    let (ip, a, b) = (
        p_str(lang, implied),
        p_str(lang, range.0),
        p_str(lang, range.1),
    );
    match lang {
        Lang::En => format!("the CI implies p = {ip} (between {a} and {b} given rounding), but {rp} is reported."),
        Lang::Nl => format!("het betrouwbaarheidsinterval impliceert p = {ip} (tussen {a} en {b} rekening houdend met afronding), maar er wordt {rp} gerapporteerd."),
        Lang::Fr => format!("l'intervalle de confiance implique p = {ip} (entre {a} et {b} compte tenu des arrondis), mais {rp} est rapporté."),
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
