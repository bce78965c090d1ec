//! Frequentist network meta-analysis by the graph-theoretical method of Rücker (2012), as in
//! R's netmeta: common- and random-effects models, τ² by the generalised DerSimonian–Laird
//! method, the decomposition of Q into heterogeneity within designs and inconsistency
//! between designs, node-splitting by back-calculation, league tables and P-scores.
//!
//! # Method
//! Every study contributes all pairwise contrasts of its arms, `y_e` (treatment 1 minus
//! treatment 2 of edge `e`) with variance `v_e`. For a study with `m > 2` arms the contrasts
//! are correlated; the variances are replaced by the "reduced" ones of Rücker & Schwarzer
//! (2014): with `R` the `m × m` matrix of the study's pairwise variances and `C = I − J/m`,
//! ```text
//! L̃ = (−½ C R C)⁺,     w_ij = −L̃_ij (i ≠ j),     ṽ_ij = 1 / w_ij
//! ```
//! after which the contrasts are treated as independent. With `B` the `E × n` edge–treatment
//! incidence matrix and `W = diag(w)`:
//! ```text
//! L  = Bᵀ W B,   L⁺ = (L − J/n)⁻¹ + J/n            (the network is connected)
//! θ̂  = L⁺ Bᵀ W y                                   treatment "potentials"
//! d̂_ab = θ̂_a − θ̂_b,   Var(d̂_ab) = L⁺_aa + L⁺_bb − 2 L⁺_ab
//! Q  = Σ w_e (y_e − (Bθ̂)_e)²,   df = Σ_s (m_s − 1) − (n − 1)
//! τ² = max(0, (Q − df) / tr((I − H) P W)),   H = B L⁺ Bᵀ W,   P = (B Bᵀ ∘ E)/2
//! ```
//! where `E_ef = 1` when edges `e, f` belong to the same study. The random-effects model adds
//! τ² to every pairwise variance before the multi-arm reduction and refits. The prediction
//! interval is `d̂ ± t(ν) sqrt(Var + τ²)`, given when the degrees of freedom of Q are at least 2,
//! with `ν = df(Q)` as netmeta since 3.0-2 or `ν = df(Q) − 1` as netmeta 0.9-6 to 2.9-0
//! ([`PiDf`]).
//!
//! Arm rows become contrasts as in meta's `pairwise()` ([`pairwise()`]): trials without
//! information (no events in any arm) are left out by default, SMDs are Cohen's d over the SD
//! pooled across all arms; what was left out or used as it is goes into [`Network::notes`].
//!
//! Design decomposition (Krahn, Binder & König 2013): fitting the network separately within
//! each design (set of treatments compared in a study) gives `Q_within = Σ_d Q_d` with
//! `df_within = Σ_d (Σ_s∈d (m_s − 1) − (|d| − 1))`; `Q_between = Q − Q_within` tests
//! inconsistency between designs. Under random effects, the design-by-treatment interaction
//! test (Higgins et al. 2012) compares the consistency model and the design-by-treatment model,
//! both with τ² of the design-by-treatment model (generalised DL from `Q_within`).
//!
//! Node-splitting (SIDE by back-calculation, König, Krahn & Binder 2013): for a comparison
//! with direct evidence, `d_dir` pools its studies' contrasts (inverse variance, original
//! variances plus τ² for random effects), and the indirect estimate is
//! `d_ind = (d_nma/V_nma − d_dir/V_dir) / (1/V_nma − 1/V_dir)`, `V_ind = 1/(1/V_nma − 1/V_dir)`;
//! `z = (d_dir − d_ind)/sqrt(V_dir + V_ind)`.
//!
//! P-scores (Rücker & Schwarzer 2015): `P_a = mean_{b≠a} Φ((d̂_ab)/SE_ab)` when larger values
//! are better, with `−d̂_ab` when smaller values are better.
//!
//! What a reader is shown comes from [`comparison`]: every treatment against another as a
//! [`Comparison`] (estimate, standard error, confidence and prediction intervals, p-value,
//! [`Comparison::display`] on the reader's scale), the treatments against a reference
//! ([`NetworkResult::against_reference`]) and the league table ([`NetworkResult::league`]);
//! [`graph`] gives the pairs compared directly, for the network graph.
//!
//! # References
//! - Rücker G (2012). Network meta-analysis, electrical networks and graph theory. Res Synth
//!   Methods 3:312–324.
//! - Rücker G, Schwarzer G (2014). Reduce dimension or reduce weights? Comparing two approaches
//!   to multi-arm studies in network meta-analysis. Stat Med 33:4353–4369.
//! - Jackson D, White IR, Riley RD (2012). Quantifying the impact of between-study
//!   heterogeneity in multivariate meta-analyses. Stat Med 31:3805–3820 (generalised DL).
//! - Krahn U, Binder H, König J (2013). A graphical tool for locating inconsistency in network
//!   meta-analyses. BMC Med Res Methodol 13:35.
//! - Higgins JPT et al. (2012). Consistency and inconsistency in network meta-analysis:
//!   concepts and models for multi-arm studies. Res Synth Methods 3:98–110.
//! - König J, Krahn U, Binder H (2013). Visualizing the flow of evidence in network
//!   meta-analysis and characterizing mixed treatment comparisons. Stat Med 32:5414–5429.
//! - Rücker G, Schwarzer G (2015). Ranking treatments in frequentist network meta-analysis
//!   works without resampling methods. BMC Med Res Methodol 15:58.
//! - R package netmeta (`netmeta()`, `decomp.design()`, `netsplit()`, `netrank()`).

pub mod comparison;
pub mod contrasts;
mod finite;
pub mod graph;
pub mod notes;
pub mod pairwise;

use nalgebra::DMatrix;

use crate::dist;

pub use comparison::{
    AgainstReference, Comparison, DisplayedComparison, Interval, LeagueTable, NetworkModel,
    SplitEstimates, UnknownName,
};
pub use contrasts::{from_contrasts, Arm, ArmData, Contrast, NetworkError};
pub use graph::DirectPair;

/// The most treatments a network may have. The fit inverts `T × T` Laplacians (O(T³)) and
/// keeps the league table's `T × T` effects and variances per model: 1,000 treatments take
/// seconds and a few hundred megabytes, and the league table alone has a million rows.
/// Published networks have fewer than 100.
pub const MAX_TREATMENTS: usize = 1_000;
/// The most arms a study may have: its contrasts are all pairs of its arms, and the
/// heterogeneity's trace takes O(arms⁴) per study. Trials have rarely more than ten.
pub const MAX_ARMS: usize = 100;
/// The most pairwise comparisons (contrasts) a network may have.
pub const MAX_COMPARISONS: usize = 100_000;

/// `count` of `what` against its limit `max` (`study` for a limit per study).
pub(crate) fn check_limit(
    study: Option<&str>,
    what: &'static str,
    count: usize,
    max: usize,
) -> Result<(), NetworkError> {
    if count <= max {
        return Ok(());
    }
    Err(NetworkError::TooLarge {
        study: study.map(String::from),
        what,
        count,
        max,
    })
}
pub use notes::NetworkNote;
pub use pairwise::{pairwise, PairwiseOptions, SmdMethod};

/// A pairwise comparison entering the network: `y = treat1 − treat2`, variance `v`.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Study index (into [`Network::studies`]).
    pub study: usize,
    /// First treatment (index into [`Network::treatments`]).
    pub t1: usize,
    /// Second treatment.
    pub t2: usize,
    /// Effect of `t1` against `t2` (analysis scale).
    pub y: f64,
    /// Its sampling variance.
    pub v: f64,
}

/// A network of pairwise comparisons, grouped by study.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Treatment names, sorted.
    pub treatments: Vec<String>,
    /// Study labels, in input order.
    pub studies: Vec<String>,
    /// Line of each study's first row in the input, if known.
    pub lines: Vec<Option<u64>>,
    /// Arms of each study (treatment indices).
    pub arms: Vec<Vec<usize>>,
    /// All comparisons, each study's consecutive, every pair of its arms once.
    pub edges: Vec<Edge>,
    /// Participants per treatment (arm data), for the network graph.
    pub participants: Option<Vec<f64>>,
    /// What was left out, kept or used as it is, and why.
    pub notes: Vec<NetworkNote>,
}

/// One fitted model (common or random effects).
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// `d[a][b]`: effect of treatment a against b.
    pub d: DMatrix<f64>,
    /// Its variance.
    pub var: DMatrix<f64>,
    /// τ² added to the pairwise variances (0 for the common-effect model).
    pub tau2: f64,
    /// Fitted effect of each edge.
    pub fitted: Vec<f64>,
    /// Weights of the edges after the multi-arm reduction.
    pub weights: Vec<f64>,
    /// The network's Q for these weights.
    pub q: f64,
}

/// The generalised Cochran Q and its decomposition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QTest {
    /// The statistic.
    pub q: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// p-value (`None` when df = 0).
    pub p: Option<f64>,
}

impl QTest {
    fn new(q: f64, df: usize) -> QTest {
        QTest {
            q,
            df,
            p: (df > 0).then(|| dist::chi2_sf(q.max(0.0), df as f64)),
        }
    }
}

/// Node-splitting of one comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// First treatment.
    pub t1: usize,
    /// Second treatment.
    pub t2: usize,
    /// Studies with direct evidence.
    pub k: usize,
    /// Network estimate and variance.
    pub nma: (f64, f64),
    /// Direct estimate and variance.
    pub direct: (f64, f64),
    /// Indirect estimate and variance (`None` when all evidence is direct).
    pub indirect: Option<(f64, f64)>,
    /// Direct minus indirect, its z and p.
    pub difference: Option<(f64, f64, f64)>,
}

/// A complete network meta-analysis.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NetworkResult {
    /// The data.
    pub network: Network,
    /// Common-effect model.
    pub common: Fit,
    /// Random-effects model (τ² by generalised DL).
    pub random: Fit,
    /// Total Q (common-effect weights).
    pub q_total: QTest,
    /// Within designs.
    pub q_within: QTest,
    /// Between designs (inconsistency).
    pub q_between: QTest,
    /// Between designs under random effects (design-by-treatment interaction).
    pub q_between_random: QTest,
    /// τ² of the design-by-treatment interaction model.
    pub tau2_within: f64,
    /// I² from Q, percent.
    pub i2: f64,
    /// Node-splits, one per comparison with direct evidence, for (common, random).
    pub splits_common: Vec<Split>,
    /// Node-splits under random effects.
    pub splits_random: Vec<Split>,
    /// P-scores (common, random) per treatment.
    pub pscores_common: Vec<f64>,
    /// P-scores under random effects.
    pub pscores_random: Vec<f64>,
    /// Designs: treatment sets and their studies.
    pub designs: Vec<(Vec<usize>, Vec<usize>)>,
    /// Degrees of freedom of the prediction interval.
    pub pi_df: PiDf,
}

/// Options of a network meta-analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkOptions {
    /// Confidence level.
    pub level: f64,
    /// True when smaller effects are better (for P-scores).
    pub small_values_good: bool,
    /// Degrees of freedom of the prediction interval's t quantile.
    pub pi_df: PiDf,
}

impl Default for NetworkOptions {
    /// 95% level, smaller values better (netmeta's `small.values = "desirable"`), the
    /// prediction interval of the current netmeta.
    fn default() -> Self {
        NetworkOptions {
            level: 0.95,
            small_values_good: true,
            pi_df: PiDf::default(),
        }
    }
}

/// The degrees of freedom `ν` of the t quantile of the prediction interval
/// `d̂ ± t(ν) sqrt(Var(d̂) + τ²)`. Both rules give no interval when `df(Q) < 2`, as netmeta.
///
/// netmeta computed prediction intervals from version 0.9-6 (2017) with `ν = df(Q) − 1`; from
/// 3.0-2 (2025; git commit 47a54bf, not in its NEWS) `R/netmeta.R` calls
/// `ci(TE.random, seTE.predict, level.predict, df.Q)`, that is `ν = df(Q)` (unchanged in 3.6-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PiDf {
    /// `ν = df(Q)`: netmeta 3.0-2 and later.
    #[default]
    Q,
    /// `ν = df(Q) − 1`: netmeta 0.9-6 to 2.9-0.
    QMinus1,
}

impl PiDf {
    /// The names [`PiDf::from_str`](std::str::FromStr::from_str) accepts besides aliases, in
    /// the order of the variants ([`PiDf::code`]).
    pub const NAMES: &'static [&'static str] = &["q", "q-minus-1"];

    /// `ν` for a network whose Q has `df_q` degrees of freedom (`None`: no interval).
    ///
    /// ```
    /// use repool::network::PiDf;
    /// assert_eq!(PiDf::Q.df(16), Some(16));
    /// assert_eq!(PiDf::QMinus1.df(16), Some(15));
    /// assert_eq!(PiDf::Q.df(1), None);
    /// ```
    pub fn df(self, df_q: usize) -> Option<usize> {
        (df_q >= 2).then_some(match self {
            PiDf::Q => df_q,
            PiDf::QMinus1 => df_q - 1,
        })
    }

    /// The rule's name on the command line and in JSON.
    pub fn code(self) -> &'static str {
        match self {
            PiDf::Q => "q",
            PiDf::QMinus1 => "q-minus-1",
        }
    }

    /// One sentence saying which t quantile the prediction intervals use, in `lang`.
    pub fn describe(self, df_q: usize, lang: crate::format::Lang) -> String {
        use crate::i18n::{fill, text};
        let Some(nu) = self.df(df_q) else {
            return text(lang, "network.no_prediction").to_string();
        };
        let nu = nu.to_string();
        match self {
            PiDf::Q => fill(lang, "network.prediction_q", &[("nu", &nu)]),
            PiDf::QMinus1 => fill(lang, "network.prediction_q_minus_1", &[("nu", &nu)]),
        }
    }
}

impl std::str::FromStr for PiDf {
    type Err = UnknownName;

    /// `q` (or `netmeta3`) or `q-minus-1` (or `netmeta2`), case-insensitive.
    ///
    /// ```
    /// use repool::network::PiDf;
    /// assert_eq!("netmeta2".parse::<PiDf>(), Ok(PiDf::QMinus1));
    /// assert_eq!("Q".parse::<PiDf>(), Ok(PiDf::Q));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "q" | "netmeta3" => Ok(PiDf::Q),
            "q-minus-1" | "netmeta2" => Ok(PiDf::QMinus1),
            _ => Err(UnknownName::new("prediction-interval rule", s, Self::NAMES)),
        }
    }
}

/// Reduced variances of a multi-arm study's pairwise contrasts (see the module
/// documentation). `r` holds the pairwise variances in the order (0,1), (0,2), …, (1,2), …
/// of `m` arms. Returns `None` when the reduction gives a non-positive weight.
pub fn reduce_multiarm(r: &[f64], m: usize) -> Option<Vec<f64>> {
    if m == 2 {
        return Some(r.to_vec());
    }
    let mut rm = DMatrix::zeros(m, m);
    let mut e = 0;
    for i in 0..m {
        for j in i + 1..m {
            rm[(i, j)] = r[e];
            rm[(j, i)] = r[e];
            e += 1;
        }
    }
    let c = DMatrix::<f64>::identity(m, m) - DMatrix::from_element(m, m, 1.0 / m as f64);
    let lt = (&c * &rm * &c) * -0.5;
    let l = pinv_laplacian(&lt)?;
    let mut out = Vec::with_capacity(r.len());
    for i in 0..m {
        for j in i + 1..m {
            let w = -l[(i, j)];
            // netmeta sets tiny negative weights (< 0.1 % of the total) to 0; repool refuses
            // them instead of inventing an infinite variance.
            if w <= 0.0 || !w.is_finite() {
                return None;
            }
            out.push(1.0 / w);
        }
    }
    Some(out)
}

/// Moore–Penrose inverse of a matrix whose null space is the constant vector (a Laplacian
/// of a connected graph, or its pseudo-inverse): `(X − J/n)⁻¹ + J/n`.
fn pinv_laplacian(x: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let n = x.nrows();
    let j = DMatrix::from_element(n, n, 1.0 / n as f64);
    (x - &j).try_inverse().map(|inv| inv + j)
}

/// Fits the network with pairwise variances `v + tau2` (multi-arm studies reduced).
fn fit(net: &Network, tau2: f64) -> Result<Fit, NetworkError> {
    Ok(fit_with_lplus(net, tau2)?.0)
}

/// [`fit`] and the pseudo-inverse of its Laplacian.
fn fit_with_lplus(net: &Network, tau2: f64) -> Result<(Fit, DMatrix<f64>), NetworkError> {
    let n = net.treatments.len();
    let studies: Vec<usize> = (0..net.studies.len()).collect();
    // Weights after the multi-arm reduction, study by study.
    let by_study = edges_by_study(net);
    let mut edges: Vec<usize> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for &s in &studies {
        let idx = &by_study[s];
        let r: Vec<f64> = idx.iter().map(|&e| net.edges[e].v + tau2).collect();
        let m = net.arms[s].len();
        let red = reduce_multiarm(&r, m).ok_or_else(|| NetworkError::MultiArm {
            study: net.studies[s].clone(),
        })?;
        edges.extend(idx);
        weights.extend(red.iter().map(|v| 1.0 / v));
    }
    // Laplacian.
    let mut l = DMatrix::<f64>::zeros(n, n);
    let mut bwy = vec![0.0; n];
    for (&e, &w) in edges.iter().zip(&weights) {
        let Edge { t1, t2, y, .. } = net.edges[e];
        l[(t1, t1)] += w;
        l[(t2, t2)] += w;
        l[(t1, t2)] -= w;
        l[(t2, t1)] -= w;
        bwy[t1] += w * y;
        bwy[t2] -= w * y;
    }
    // Treatments outside the subset: give them a unit self-loop so that the inverse exists;
    // they are not reported.
    let used: Vec<bool> = (0..n).map(|t| l[(t, t)] > 0.0).collect();
    let k_used = used.iter().filter(|u| **u).count();
    let lplus = if k_used == n {
        pinv_laplacian(&l)
    } else {
        // Restrict to the used treatments.
        let map: Vec<usize> = (0..n).filter(|&t| used[t]).collect();
        let sub = DMatrix::from_fn(k_used, k_used, |i, j| l[(map[i], map[j])]);
        pinv_laplacian(&sub).map(|p| {
            let mut full = DMatrix::zeros(n, n);
            for i in 0..k_used {
                for j in 0..k_used {
                    full[(map[i], map[j])] = p[(i, j)];
                }
            }
            full
        })
    }
    .ok_or_else(|| finite::singular(net))?;
    let theta: Vec<f64> = (0..n)
        .map(|a| (0..n).map(|b| lplus[(a, b)] * bwy[b]).sum())
        .collect();
    let d = DMatrix::from_fn(n, n, |a, b| theta[a] - theta[b]);
    let var = DMatrix::from_fn(n, n, |a, b| {
        (lplus[(a, a)] + lplus[(b, b)] - 2.0 * lplus[(a, b)]).max(0.0)
    });
    let mut fitted = vec![f64::NAN; net.edges.len()];
    let mut wts = vec![0.0; net.edges.len()];
    let mut q = 0.0;
    for (&e, &w) in edges.iter().zip(&weights) {
        let Edge { t1, t2, y, .. } = net.edges[e];
        let f = theta[t1] - theta[t2];
        fitted[e] = f;
        wts[e] = w;
        q += w * (y - f) * (y - f);
    }
    let fit = Fit {
        d,
        var,
        tau2,
        fitted,
        weights: wts,
        q,
    };
    Ok((fit, lplus))
}

/// The edges of each study (edges of a study are consecutive).
fn edges_by_study(net: &Network) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); net.studies.len()];
    for (e, edge) in net.edges.iter().enumerate() {
        out[edge.study].push(e);
    }
    out
}

/// `tr((I − H) P W)` of a common-effect fit over the edges of `studies` (the denominator of
/// the generalised DerSimonian–Laird estimator).
fn gdl_trace(
    net: &Network,
    by_study: &[Vec<usize>],
    weight: &dyn Fn(usize) -> f64,
    studies: &[usize],
    lplus: &dyn Fn(usize, usize) -> f64,
) -> f64 {
    // tr(PW) − tr(HPW); P is block-diagonal by study.
    let mut tr = 0.0;
    for &s in studies {
        let idx = &by_study[s];
        for &e in idx {
            let we = weight(e);
            tr += we; // P_ee = 1
            for &g in idx {
                let (a, b) = (net.edges[e].t1, net.edges[e].t2);
                let (c, dd) = (net.edges[g].t1, net.edges[g].t2);
                // G_eg = b_eᵀ L⁺ b_g, H_eg = G_eg w_g
                let geg = lplus(a, c) - lplus(a, dd) - lplus(b, c) + lplus(b, dd);
                let h_eg = geg * weight(g);
                // P_ge = (b_g · b_e)/2
                let dot = |x: usize| -> f64 {
                    let bg = if x == c {
                        1.0
                    } else if x == dd {
                        -1.0
                    } else {
                        0.0
                    };
                    let be = if x == a {
                        1.0
                    } else if x == b {
                        -1.0
                    } else {
                        0.0
                    };
                    bg * be
                };
                let p_ge = (dot(a) + dot(b)) / 2.0;
                tr -= h_eg * p_ge * we;
            }
        }
    }
    tr
}

/// Connected components of the network (treatment indices), largest first.
pub fn components(net: &Network) -> Vec<Vec<usize>> {
    let n = net.treatments.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let next = p[y];
            p[y] = r;
            y = next;
        }
        r
    }
    for e in &net.edges {
        let (a, b) = (find(&mut parent, e.t1), find(&mut parent, e.t2));
        if a != b {
            parent[a] = b;
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for t in 0..n {
        let r = find(&mut parent, t);
        groups.entry(r).or_default().push(t);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out
}

/// The designs (sorted treatment sets) and their studies, in order of first appearance.
fn designs(net: &Network) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut designs: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<Vec<usize>, usize> = Default::default();
    for (s, arms) in net.arms.iter().enumerate() {
        let mut key = arms.clone();
        key.sort_unstable();
        match index.get(&key) {
            Some(&d) => designs[d].1.push(s),
            None => {
                index.insert(key.clone(), designs.len());
                designs.push((key, vec![s]));
            }
        }
    }
    designs
}

/// Q and (when `with_trace`) the generalised DL trace of the fit of one design's studies
/// `ss` (treatments `key`) with pairwise variances `v + tau2`.
struct DesignFit {
    q: f64,
    trace: f64,
}

/// Fits the studies of one design on the design's own treatments: a `|key| × |key|`
/// Laplacian, so that a network of many designs costs O(designs · arms³), not
/// O(designs · T²).
fn design_fit(
    net: &Network,
    by_study: &[Vec<usize>],
    tau2: f64,
    (key, ss): (&[usize], &[usize]),
    with_trace: bool,
) -> Result<DesignFit, NetworkError> {
    let m = key.len();
    let local = |t: usize| key.binary_search(&t).unwrap_or(0);
    // The design's edges (ascending: studies in order, each study's edges consecutive) and
    // their weights.
    let mut edges: Vec<usize> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    let mut l = DMatrix::<f64>::zeros(m, m);
    let mut bwy = vec![0.0; m];
    for &s in ss {
        let idx = &by_study[s];
        let r: Vec<f64> = idx.iter().map(|&e| net.edges[e].v + tau2).collect();
        let red = reduce_multiarm(&r, net.arms[s].len()).ok_or_else(|| NetworkError::MultiArm {
            study: net.studies[s].clone(),
        })?;
        for (&e, rv) in idx.iter().zip(&red) {
            let w = 1.0 / rv;
            edges.push(e);
            weights.push(w);
            let Edge { t1, t2, y, .. } = net.edges[e];
            let (a, b) = (local(t1), local(t2));
            l[(a, a)] += w;
            l[(b, b)] += w;
            l[(a, b)] -= w;
            l[(b, a)] -= w;
            bwy[a] += w * y;
            bwy[b] -= w * y;
        }
    }
    let lplus = pinv_laplacian(&l).ok_or_else(|| finite::singular(net))?;
    let theta: Vec<f64> = (0..m)
        .map(|a| (0..m).map(|b| lplus[(a, b)] * bwy[b]).sum())
        .collect();
    let mut q = 0.0;
    for (&e, &w) in edges.iter().zip(&weights) {
        let Edge { t1, t2, y, .. } = net.edges[e];
        let f = theta[local(t1)] - theta[local(t2)];
        q += w * (y - f) * (y - f);
    }
    let weight = |e: usize| edges.binary_search(&e).map_or(0.0, |i| weights[i]);
    let trace = if with_trace {
        gdl_trace(net, by_study, &weight, ss, &|a, b| {
            lplus[(local(a), local(b))]
        })
    } else {
        0.0
    };
    Ok(DesignFit { q, trace })
}

/// Runs the network meta-analysis (see the module documentation).
pub fn analyse(net: Network, opts: &NetworkOptions) -> Result<NetworkResult, NetworkError> {
    let comps = components(&net);
    if comps.len() > 1 {
        return Err(NetworkError::Disconnected {
            components: comps
                .iter()
                .map(|c| c.iter().map(|&t| net.treatments[t].clone()).collect())
                .collect(),
        });
    }
    let n = net.treatments.len();
    check_limit(None, "treatments", n, MAX_TREATMENTS)?;
    check_limit(
        None,
        "pairwise comparisons",
        net.edges.len(),
        MAX_COMPARISONS,
    )?;
    for (s, arms) in net.arms.iter().enumerate() {
        check_limit(Some(&net.studies[s]), "arms", arms.len(), MAX_ARMS)?;
    }
    let all: Vec<usize> = (0..net.studies.len()).collect();
    let (common, lplus) = fit_with_lplus(&net, 0.0)?;
    let by_study = edges_by_study(&net);
    let df_total = net.arms.iter().map(|a| a.len() - 1).sum::<usize>() - (n - 1);
    let tau2 = if df_total > 0 {
        let weight = |e: usize| common.weights[e];
        let tr = gdl_trace(&net, &by_study, &weight, &all, &|a, b| lplus[(a, b)]);
        ((common.q - df_total as f64) / tr).max(0.0)
    } else {
        0.0
    };
    let random = fit(&net, tau2)?;
    let q_total = QTest::new(common.q, df_total);
    let i2 = if df_total > 0 && common.q > 0.0 {
        (100.0 * (common.q - df_total as f64) / common.q).max(0.0)
    } else {
        0.0
    };

    let designs = designs(&net);
    let (mut q_within, mut df_within, mut tr_within) = (0.0, 0usize, 0.0);
    for (key, ss) in &designs {
        let df_d = ss.iter().map(|&s| net.arms[s].len() - 1).sum::<usize>() - (key.len() - 1);
        let f = design_fit(&net, &by_study, 0.0, (key, ss), df_d > 0)?;
        q_within += f.q;
        df_within += df_d;
        tr_within += f.trace;
    }
    let tau2_within = if df_within > 0 && tr_within > 0.0 {
        ((q_within - df_within as f64) / tr_within).max(0.0)
    } else {
        0.0
    };
    let q_between = QTest::new((common.q - q_within).max(0.0), df_total - df_within);
    // Design-by-treatment interaction under random effects, τ² from the interaction model.
    let cons_w = fit(&net, tau2_within)?;
    let mut q_dbt = 0.0;
    for (key, ss) in &designs {
        q_dbt += design_fit(&net, &by_study, tau2_within, (key, ss), false)?.q;
    }
    let q_between_random = QTest::new((cons_w.q - q_dbt).max(0.0), df_total - df_within);

    let splits_common = node_split(&net, &common, 0.0);
    let splits_random = node_split(&net, &random, tau2);
    let pscores_common = pscores(&common, opts.small_values_good);
    let pscores_random = pscores(&random, opts.small_values_good);
    let result = NetworkResult {
        network: net,
        common,
        random,
        q_total,
        q_within: QTest::new(q_within, df_within),
        q_between,
        q_between_random,
        tau2_within,
        i2,
        splits_common,
        splits_random,
        pscores_common,
        pscores_random,
        designs,
        pi_df: opts.pi_df,
    };
    result.check_finite()?;
    Ok(result)
}

impl NetworkResult {
    /// Prediction interval of treatment `a` against `b` under random effects at `level`:
    /// `d̂ ± t(ν) sqrt(Var + τ²)` with `ν` from [`NetworkResult::pi_df`] (see [`PiDf`]; `None`
    /// when Q has fewer than 2 degrees of freedom, as netmeta).
    pub fn prediction_interval(&self, a: usize, b: usize, level: f64) -> Option<(f64, f64)> {
        let nu = self.pi_df.df(self.q_total.df)?;
        let h =
            dist::t_crit(level, nu as f64) * (self.random.var[(a, b)] + self.random.tau2).sqrt();
        Some((self.random.d[(a, b)] - h, self.random.d[(a, b)] + h))
    }
}

/// P-scores of every treatment (see the module documentation).
pub fn pscores(f: &Fit, small_values_good: bool) -> Vec<f64> {
    let n = f.d.nrows();
    if n < 2 {
        return vec![1.0; n];
    }
    (0..n)
        .map(|a| {
            let s: f64 = (0..n)
                .filter(|&b| b != a)
                .map(|b| {
                    let se = f.var[(a, b)].sqrt();
                    let z = if small_values_good {
                        -f.d[(a, b)]
                    } else {
                        f.d[(a, b)]
                    } / se;
                    dist::normal_cdf(z)
                })
                .sum();
            s / (n - 1) as f64
        })
        .collect()
}

fn node_split(net: &Network, f: &Fit, tau2: f64) -> Vec<Split> {
    // The contrasts of each compared pair (a < b), in the order of the pairs.
    let mut by_pair: std::collections::BTreeMap<(usize, usize), Vec<&Edge>> = Default::default();
    for e in &net.edges {
        by_pair
            .entry((e.t1.min(e.t2), e.t1.max(e.t2)))
            .or_default()
            .push(e);
    }
    let mut out = Vec::new();
    for ((a, b), edges) in by_pair {
        // Direct: the pairwise contrasts of (a, b), original variances + τ².
        let (mut sw, mut swy, mut studies) = (0.0, 0.0, Vec::new());
        for e in edges {
            let y = if e.t1 == a { e.y } else { -e.y };
            let w = 1.0 / (e.v + tau2);
            sw += w;
            swy += w * y;
            if studies.last() != Some(&e.study) {
                studies.push(e.study);
            }
        }
        let direct = (swy / sw, 1.0 / sw);
        let nma = (f.d[(a, b)], f.var[(a, b)]);
        let indirect = if 1.0 / nma.1 - 1.0 / direct.1 > 1e-10 / nma.1 {
            let vi = 1.0 / (1.0 / nma.1 - 1.0 / direct.1);
            Some(((nma.0 / nma.1 - direct.0 / direct.1) * vi, vi))
        } else {
            None
        };
        let difference = indirect.map(|(yi, vi)| {
            let diff = direct.0 - yi;
            let z = diff / (direct.1 + vi).sqrt();
            (diff, z, dist::p_normal(z))
        });
        out.push(Split {
            t1: a,
            t2: b,
            k: studies.len(),
            nma,
            direct,
            indirect,
            difference,
        });
    }
    out
}
