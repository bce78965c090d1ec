//! One treatment against another in a fitted network: the estimate with its standard error,
//! confidence interval, p-value and (random effects) prediction interval; the tables built
//! from them (every treatment against a reference, the league table, the node-splits).
//!
//! # Formula
//! For treatments `a` and `b` of a fit (common or random effects, see the module
//! documentation of [`crate::network`]):
//! ```text
//! se = sqrt(Var(d̂_ab))
//! CI = d̂_ab ± z(1 − α/2) · se,          p = 2 (1 − Φ(|d̂_ab| / se))
//! PI = d̂_ab ± t(ν) · sqrt(Var(d̂_ab) + τ²)   (random effects; ν from PiDf)
//! ```
//! The node-split estimates (network, direct, indirect) get the same normal-theory interval
//! from their estimate and variance.
//!
//! # References
//! - Rücker G (2012). Network meta-analysis, electrical networks and graph theory. Res Synth
//!   Methods 3:312–324.
//! - R package netmeta (`netmeta()`: `lower.random`, `upper.random`, `pval.random`,
//!   `lower.predict`, `upper.predict`; `netleague()`; `netsplit()`).

use std::str::FromStr;

use super::{Fit, NetworkResult, Split};
use crate::dist;
use crate::Measure;

/// An interval on the scale of the numbers it bounds (for the analysis scale of ratio
/// measures, logs; [`Interval::display`] shows it as readers see it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// `centre ± half_width`.
    pub fn around(centre: f64, half_width: f64) -> Interval {
        Interval {
            low: centre - half_width,
            high: centre + half_width,
        }
    }

    /// Both bounds on the display scale of `measure` ([`Measure::display`]).
    ///
    /// ```
    /// use repool::network::Interval;
    /// use repool::Measure;
    /// let i = Interval { low: 0.0, high: 1.0 }.display(Measure::LogOddsRatio);
    /// assert_eq!((i.low, i.high), (1.0, 1f64.exp()));
    /// ```
    pub fn display(self, measure: Measure) -> Interval {
        Interval {
            low: measure.display(self.low),
            high: measure.display(self.high),
        }
    }
}

/// Which model of a network meta-analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NetworkModel {
    /// Common (fixed) effect.
    Common,
    /// Random effects, τ² by the generalised DerSimonian–Laird method.
    #[default]
    Random,
}

impl NetworkModel {
    /// The names [`NetworkModel::from_str`] accepts besides aliases, in the order of the
    /// variants (the command line's and JSON's spelling, [`NetworkModel::code`]).
    pub const NAMES: &'static [&'static str] = &["common", "random"];

    /// The model's name on the command line and in JSON.
    pub fn code(self) -> &'static str {
        match self {
            NetworkModel::Common => "common",
            NetworkModel::Random => "random",
        }
    }
}

impl FromStr for NetworkModel {
    type Err = UnknownName;

    /// `common` (or `fixed`, `EE`, `FE`) or `random` (or `RE`), case-insensitive.
    ///
    /// ```
    /// use repool::network::NetworkModel;
    /// assert_eq!("Fixed".parse::<NetworkModel>(), Ok(NetworkModel::Common));
    /// assert_eq!("random".parse::<NetworkModel>(), Ok(NetworkModel::Random));
    /// assert!("mixed".parse::<NetworkModel>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "common" | "fixed" | "ee" | "fe" => Ok(NetworkModel::Common),
            "random" | "re" => Ok(NetworkModel::Random),
            _ => Err(UnknownName::new("network model", s, Self::NAMES)),
        }
    }
}

/// A name that is not one of a choice's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a {what}; expected one of: {}", .expected.join(", "))]
pub struct UnknownName {
    /// What the name should have named.
    pub what: &'static str,
    /// The name given.
    pub value: String,
    /// The names accepted.
    pub expected: &'static [&'static str],
}

impl UnknownName {
    pub(crate) fn new(what: &'static str, value: &str, expected: &'static [&'static str]) -> Self {
        UnknownName {
            what,
            value: value.to_string(),
            expected,
        }
    }
}

/// One treatment against another: `treatment − reference` on the analysis scale (log scale
/// for ratio measures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Index of the treatment in [`super::Network::treatments`].
    pub treatment: usize,
    /// Index of the treatment it is compared with.
    pub reference: usize,
    /// The estimate `d̂`.
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// Confidence interval `d̂ ± z·se`.
    pub ci: Interval,
    /// Two-sided p-value of the z test of `d̂ = 0`.
    pub p_value: f64,
    /// Prediction interval (random effects, when Q has enough degrees of freedom).
    pub prediction: Option<Interval>,
}

/// A [`Comparison`] on the scale readers see ([`Comparison::display`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DisplayedComparison {
    /// The estimate (a ratio for ratio measures).
    pub estimate: f64,
    /// The confidence interval.
    pub ci: Interval,
    /// The prediction interval, if any.
    pub prediction: Option<Interval>,
}

impl Comparison {
    /// The normal-theory comparison of an estimate with variance `variance`, its confidence
    /// interval from the quantile `z` (see the module documentation); no prediction interval.
    ///
    /// ```
    /// use repool::network::Comparison;
    /// let c = Comparison::normal(1, 0, 0.5, 0.04, 1.96);
    /// assert!((c.se - 0.2).abs() < 1e-15);
    /// assert!((c.ci.low - (0.5 - 1.96 * 0.2)).abs() < 1e-15);
    /// assert!((c.p_value - 0.0124).abs() < 1e-4);
    /// ```
    pub fn normal(
        treatment: usize,
        reference: usize,
        estimate: f64,
        variance: f64,
        z: f64,
    ) -> Self {
        let se = variance.sqrt();
        Comparison {
            treatment,
            reference,
            estimate,
            se,
            ci: Interval {
                low: estimate - z * se,
                high: estimate + z * se,
            },
            p_value: dist::p_normal(estimate / se),
            prediction: None,
        }
    }

    /// The estimate and intervals on the display scale of `measure` ([`Measure::display`]:
    /// ratios for ratio measures).
    pub fn display(&self, measure: Measure) -> DisplayedComparison {
        DisplayedComparison {
            estimate: measure.display(self.estimate),
            ci: self.ci.display(measure),
            prediction: self.prediction.map(|p| p.display(measure)),
        }
    }
}

/// One treatment against the reference under both models, with its P-scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgainstReference {
    /// Common-effect model.
    pub common: Comparison,
    /// Random-effects model, with the prediction interval.
    pub random: Comparison,
    /// P-score under the common-effect model.
    pub pscore_common: f64,
    /// P-score under random effects.
    pub pscore_random: f64,
}

/// Every treatment against every other (the league table), row treatment against column
/// treatment.
#[derive(Debug, Clone, PartialEq)]
pub struct LeagueTable {
    /// Number of treatments.
    pub n_treatments: usize,
    /// The comparisons `a` against `b` for every `a ≠ b`, ordered by `a`, then `b`.
    pub comparisons: Vec<Comparison>,
}

impl LeagueTable {
    /// Treatment `a` against `b` (`None` on the diagonal or out of range).
    pub fn get(&self, a: usize, b: usize) -> Option<&Comparison> {
        if a == b || a >= self.n_treatments || b >= self.n_treatments {
            return None;
        }
        let col = if b < a { b } else { b - 1 };
        self.comparisons.get(a * (self.n_treatments - 1) + col)
    }
}

/// A node-split's estimates as comparisons of its first treatment against its second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitEstimates {
    /// The network estimate.
    pub network: Comparison,
    /// The direct evidence.
    pub direct: Comparison,
    /// The indirect evidence (`None` when all evidence is direct).
    pub indirect: Option<Comparison>,
}

impl Split {
    /// The network, direct and indirect estimates with their intervals at `level`.
    pub fn estimates(&self, level: f64) -> SplitEstimates {
        let z = dist::z_crit(level);
        let at = |(e, v): (f64, f64)| Comparison::normal(self.t1, self.t2, e, v, z);
        SplitEstimates {
            network: at(self.nma),
            direct: at(self.direct),
            indirect: self.indirect.map(at),
        }
    }

    /// Standard error of the network estimate.
    pub fn nma_se(&self) -> f64 {
        self.nma.1.sqrt()
    }

    /// Standard error of the direct estimate.
    pub fn direct_se(&self) -> f64 {
        self.direct.1.sqrt()
    }

    /// Standard error of the indirect estimate, if any.
    pub fn indirect_se(&self) -> Option<f64> {
        self.indirect.map(|x| x.1.sqrt())
    }
}

impl Fit {
    /// τ, the square root of the fit's τ² (0 for the common-effect fit).
    pub fn tau(&self) -> f64 {
        self.tau2.sqrt()
    }
}

impl NetworkResult {
    /// The fit of `model`.
    pub fn fit(&self, model: NetworkModel) -> &Fit {
        match model {
            NetworkModel::Common => &self.common,
            NetworkModel::Random => &self.random,
        }
    }

    /// The node-splits of `model`.
    pub fn splits(&self, model: NetworkModel) -> &[Split] {
        match model {
            NetworkModel::Common => &self.splits_common,
            NetworkModel::Random => &self.splits_random,
        }
    }

    /// The P-scores of `model`, one per treatment.
    pub fn pscores(&self, model: NetworkModel) -> &[f64] {
        match model {
            NetworkModel::Common => &self.pscores_common,
            NetworkModel::Random => &self.pscores_random,
        }
    }

    /// Treatment `a` against `b` under `model` at confidence `level`; under random effects
    /// with the prediction interval of [`NetworkResult::prediction_interval`].
    pub fn comparison(&self, a: usize, b: usize, model: NetworkModel, level: f64) -> Comparison {
        Quantiles::new(self, level).comparison(self, a, b, model)
    }

    /// Every treatment but `reference` against it, under both models, in the order of the
    /// treatments.
    pub fn against_reference(&self, reference: usize, level: f64) -> Vec<AgainstReference> {
        let q = Quantiles::new(self, level);
        (0..self.network.treatments.len())
            .filter(|&i| i != reference)
            .map(|i| AgainstReference {
                common: q.comparison(self, i, reference, NetworkModel::Common),
                random: q.comparison(self, i, reference, NetworkModel::Random),
                pscore_common: self.pscores_common[i],
                pscore_random: self.pscores_random[i],
            })
            .collect()
    }

    /// The league table of `model` at `level` (without prediction intervals).
    pub fn league(&self, model: NetworkModel, level: f64) -> LeagueTable {
        let n = self.network.treatments.len();
        let z = dist::z_crit(level);
        let fit = self.fit(model);
        let comparisons = (0..n)
            .flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)))
            .map(|(a, b)| Comparison::normal(a, b, fit.d[(a, b)], fit.var[(a, b)], z))
            .collect();
        LeagueTable {
            n_treatments: n,
            comparisons,
        }
    }
}

/// The quantiles of one table, computed once: `z` of the confidence intervals and the `t`
/// of the prediction intervals (`None` when Q has fewer than 2 degrees of freedom).
struct Quantiles {
    z: f64,
    t: Option<f64>,
}

impl Quantiles {
    fn new(res: &NetworkResult, level: f64) -> Quantiles {
        Quantiles {
            z: dist::z_crit(level),
            t: res
                .pi_df
                .df(res.q_total.df)
                .map(|nu| dist::t_crit(level, nu as f64)),
        }
    }

    fn comparison(
        &self,
        res: &NetworkResult,
        a: usize,
        b: usize,
        model: NetworkModel,
    ) -> Comparison {
        let fit = res.fit(model);
        let (e, v) = (fit.d[(a, b)], fit.var[(a, b)]);
        let mut c = Comparison::normal(a, b, e, v, self.z);
        if model == NetworkModel::Random {
            c.prediction = self
                .t
                .map(|t| Interval::around(e, t * (v + res.random.tau2).sqrt()));
        }
        c
    }
}
