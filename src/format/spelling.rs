//! The names of the library's choices as people type them: the metafor codes of measures and
//! τ² estimators, the command line's names of CI, prediction-interval and I² methods, and so
//! on. Each enum lists its values with their [`Spelling`] ([`Spelled::SPELLINGS`]: the name,
//! other accepted spellings, a one-line description) and parses them with
//! [`std::str::FromStr`], ignoring ASCII case. The command line builds its value parsers and
//! help from these lists, so a name is written once.

use std::str::FromStr;

use super::Lang;
use crate::effect::{CcTo, MdVariance, SmdCorrection};
use crate::pool::preset::Preset;
use crate::pool::{CiMethod, CommonMethod, I2Method, PiMethod, Tau2Method};
use crate::Measure;

/// How one value of a choice is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spelling {
    /// The name shown in help and written by the program.
    pub name: &'static str,
    /// Other accepted spellings (not shown in lists of values).
    pub aliases: &'static [&'static str],
    /// A one-line description.
    pub help: &'static str,
}

const fn s(name: &'static str, help: &'static str) -> Spelling {
    Spelling {
        name,
        aliases: &[],
        help,
    }
}

/// A choice whose values have names.
pub trait Spelled: Sized + Copy + PartialEq + 'static {
    /// Every value with its spelling, in the order they are listed.
    const SPELLINGS: &'static [(Self, Spelling)];

    /// The value's spelling.
    ///
    /// ```
    /// use repool::format::spelling::Spelled;
    /// assert_eq!(repool::pool::CiMethod::HksjAdhoc.spelling().name, "hksj-adhoc");
    /// ```
    fn spelling(self) -> Spelling {
        Self::SPELLINGS
            .iter()
            .find(|(v, _)| *v == self)
            .map(|(_, s)| *s)
            .expect("every value is listed in SPELLINGS")
    }
}

/// A name that is none of a choice's spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{name}' is not one of {expected}")]
pub struct UnknownName {
    /// The name given.
    pub name: String,
    /// The accepted names, comma-separated.
    pub expected: String,
}

/// The value of `T` spelled `name` (a name or an alias, ASCII case ignored).
///
/// # Examples
/// ```
/// use repool::format::spelling::parse;
/// use repool::pool::Tau2Method;
/// assert_eq!(parse::<Tau2Method>("reml"), Ok(Tau2Method::REML));
/// assert!(parse::<Tau2Method>("XX").is_err());
/// ```
pub fn parse<T: Spelled>(name: &str) -> Result<T, UnknownName> {
    T::SPELLINGS
        .iter()
        .find(|(_, s)| {
            s.name.eq_ignore_ascii_case(name)
                || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
        .map(|(v, _)| *v)
        .ok_or_else(|| UnknownName {
            name: name.to_string(),
            expected: T::SPELLINGS
                .iter()
                .map(|(_, s)| s.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

macro_rules! spelled {
    ($t:ty, [$(($v:expr, $s:expr)),* $(,)?]) => {
        impl Spelled for $t {
            const SPELLINGS: &'static [(Self, Spelling)] = &[$(($v, $s)),*];
        }

        impl FromStr for $t {
            type Err = UnknownName;

            fn from_str(name: &str) -> Result<Self, UnknownName> {
                parse(name)
            }
        }
    };
}

spelled!(
    Measure,
    [
        (Measure::MeanDifference, s("MD", "Mean difference")),
        (
            Measure::StandardizedMeanDifference,
            s("SMD", "Standardised mean difference (Hedges' g)")
        ),
        (
            Measure::LogRiskRatio,
            s("RR", "Risk ratio (analysed as log RR)")
        ),
        (
            Measure::LogOddsRatio,
            s("OR", "Odds ratio (analysed as log OR)")
        ),
        (Measure::RiskDifference, s("RD", "Risk difference")),
        (
            Measure::LogHazardRatio,
            s(
                "HR",
                "Hazard ratio (precomputed estimates only; analysed as log HR)"
            )
        ),
        (
            Measure::Generic,
            s("GEN", "Generic effect (yi, vi as given)")
        ),
    ]
);

spelled!(
    CommonMethod,
    [
        (CommonMethod::IV, s("IV", "Inverse variance")),
        (
            CommonMethod::MH,
            s("MH", "Mantel-Haenszel (RR, OR, RD; common effect)")
        ),
        (
            CommonMethod::Peto,
            s("PETO", "Peto odds ratio (OR; common effect)")
        ),
    ]
);

spelled!(
    Tau2Method,
    [
        (Tau2Method::DL, s("DL", "DerSimonian-Laird")),
        (Tau2Method::REML, s("REML", "Restricted maximum likelihood")),
        (Tau2Method::ML, s("ML", "Maximum likelihood")),
        (Tau2Method::PM, s("PM", "Paule-Mandel")),
        (Tau2Method::HE, s("HE", "Hedges")),
        (Tau2Method::SJ, s("SJ", "Sidik-Jonkman")),
        (Tau2Method::EB, s("EB", "Empirical Bayes")),
        (Tau2Method::HS, s("HS", "Hunter-Schmidt")),
    ]
);

spelled!(
    CiMethod,
    [
        (CiMethod::Z, s("z", "Normal (Wald) CI and z test")),
        (
            CiMethod::Hksj,
            s("hksj", "Hartung-Knapp-Sidik-Jonkman: t with k-1 df")
        ),
        (
            CiMethod::HksjAdhoc,
            s("hksj-adhoc", "HKSJ, never narrower than the z CI")
        ),
    ]
);

spelled!(
    PiMethod,
    [
        (
            PiMethod::Metafor,
            s("metafor", "As metafor's predict(): z, or t(k-1) with HKSJ")
        ),
        (
            PiMethod::Higgins,
            s(
                "higgins",
                "t with k-2 df (Higgins, Thompson & Spiegelhalter 2009)"
            )
        ),
    ]
);

spelled!(
    I2Method,
    [
        (I2Method::Tau2, s("tau2", "From tau^2 (metafor)")),
        (I2Method::Q, s("q", "(Q - df)/Q (RevMan 5)")),
    ]
);

spelled!(
    SmdCorrection,
    [
        (
            SmdCorrection::Exact,
            s(
                "exact",
                "Exact Hedges correction and large-sample variance (metafor)"
            )
        ),
        (
            SmdCorrection::Approx,
            s("approx", "RevMan 5's approximation")
        ),
    ]
);

spelled!(
    MdVariance,
    [
        (
            MdVariance::Unequal,
            Spelling {
                name: "LS",
                aliases: &["unequal"],
                help: "Each arm's own SD: sd1^2/n1 + sd2^2/n2 (metafor's default, RevMan)",
            }
        ),
        (
            MdVariance::Pooled,
            Spelling {
                name: "HO",
                aliases: &["pooled"],
                help: "The pooled SD of both arms (equal variances): sp^2 (1/n1 + 1/n2)",
            }
        ),
    ]
);

spelled!(
    CcTo,
    [
        (CcTo::Only0, s("only0", "Only tables with a zero cell")),
        (CcTo::All, s("all", "All tables")),
        (
            CcTo::If0All,
            s("if0all", "All tables, if any table has a zero cell")
        ),
        (CcTo::None, s("none", "No correction")),
    ]
);

spelled!(
    Preset,
    [
        (Preset::Revman5, s("revman5", "RevMan 5")),
        (
            Preset::RevmanWeb,
            s("revman-web", "RevMan Web (2025 defaults)")
        ),
    ]
);

spelled!(
    Lang,
    [
        (Lang::En, s("en", "English")),
        (Lang::Nl, s("nl", "Dutch")),
        (Lang::Fr, s("fr", "French")),
    ]
);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Spelled + std::fmt::Debug>() {
        for (v, s) in T::SPELLINGS {
            assert_eq!(parse::<T>(s.name).as_ref(), Ok(v));
            assert_eq!(parse::<T>(&s.name.to_ascii_lowercase()).as_ref(), Ok(v));
            for a in s.aliases {
                assert_eq!(parse::<T>(a).as_ref(), Ok(v));
            }
            assert_eq!(v.spelling(), *s);
        }
    }

    #[test]
    fn every_name_and_alias_parses_back_to_its_value() {
        round_trip::<Measure>();
        round_trip::<CommonMethod>();
        round_trip::<Tau2Method>();
        round_trip::<CiMethod>();
        round_trip::<PiMethod>();
        round_trip::<I2Method>();
        round_trip::<SmdCorrection>();
        round_trip::<MdVariance>();
        round_trip::<CcTo>();
        round_trip::<Preset>();
        round_trip::<Lang>();
    }

    #[test]
    fn the_names_are_the_codes_the_library_writes() {
        for (v, s) in Measure::SPELLINGS {
            assert_eq!(v.code(), s.name);
        }
        for (v, s) in Tau2Method::SPELLINGS {
            assert_eq!(v.code(), s.name);
        }
        for (v, s) in MdVariance::SPELLINGS {
            assert_eq!(v.code(), s.name);
        }
        for (v, s) in CommonMethod::SPELLINGS {
            assert_eq!(v.code(), s.name);
        }
        for (v, s) in CiMethod::SPELLINGS {
            assert_eq!(v.code(), s.name);
        }
        for (v, s) in CcTo::SPELLINGS {
            assert_eq!(v.code(), s.name);
        }
    }

    #[test]
    fn an_unknown_name_lists_the_accepted_ones() {
        let e = parse::<CiMethod>("t").unwrap_err();
        assert_eq!(e.to_string(), "'t' is not one of z, hksj, hksj-adhoc");
    }
}
