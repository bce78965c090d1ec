//! Subgroup analysis: pooling each subgroup and the test for subgroup differences.
//!
//! # Formula
//! With subgroup estimates `θ_g` and standard errors `s_g` (from the chosen model), `G` groups:
//! ```text
//! w_g = 1 / s_g²,   θ̄ = Σ w_g θ_g / Σ w_g
//! Q_between = Σ w_g (θ_g - θ̄)²,   df = G - 1,   p = P(χ²(df) ≥ Q_between)
//! I² = 100 max(0, (Q_between - df) / Q_between)
//! ```
//!
//! # References
//! - Borenstein M, Higgins JPT (2013). Meta-analysis and subgroups. Prev Sci 14:134–143.
//! - Deeks JJ, Higgins JPT (2010). Statistical algorithms in Review Manager 5, "Test for
//!   subgroup differences".
//! - Cochrane Handbook, version 6.4 (2023), section 10.11.3.1.

use crate::dist;
use crate::pool::PooledEstimate;
use crate::Study;

/// The test for subgroup differences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SubgroupTest {
    /// Q between subgroups.
    pub q: f64,
    /// Degrees of freedom, `G - 1`.
    pub df: usize,
    /// p-value.
    pub p_value: f64,
    /// I² for subgroup differences, percent.
    pub i2_percent: f64,
}

/// Test for subgroup differences from `(estimate, se)` of each subgroup; `None` with fewer
/// than two subgroups.
///
/// # Examples
/// ```
/// let t = repool::pool::subgroups::difference_test(&[(0.0, 0.1), (0.5, 0.2)]).unwrap();
/// // w = 100 and 25; mean = 0.1; Q = 100·0.01 + 25·0.16 = 5.
/// assert!((t.q - 5.0).abs() < 1e-12);
/// assert_eq!(t.df, 1);
/// ```
pub fn difference_test(groups: &[(f64, f64)]) -> Option<SubgroupTest> {
    if groups.len() < 2 {
        return None;
    }
    let w: Vec<f64> = groups.iter().map(|(_, s)| 1.0 / (s * s)).collect();
    let sw: f64 = w.iter().sum();
    let mean = groups.iter().zip(&w).map(|((t, _), w)| w * t).sum::<f64>() / sw;
    let q: f64 = groups
        .iter()
        .zip(&w)
        .map(|((t, _), w)| w * (t - mean) * (t - mean))
        .sum();
    let df = groups.len() - 1;
    let i2 = if q > 0.0 {
        (100.0 * (q - df as f64) / q).max(0.0)
    } else {
        0.0
    };
    Some(SubgroupTest {
        q,
        df,
        p_value: dist::chi2_sf(q, df as f64),
        i2_percent: i2,
    })
}

/// Splits studies by their `subgroup` (in order of first appearance; studies without one
/// form the group `None`), keeping input order within each group.
pub fn split(studies: &[Study]) -> Vec<(Option<String>, Vec<Study>)> {
    let mut groups: Vec<(Option<String>, Vec<Study>)> = Vec::new();
    for s in studies {
        match groups.iter_mut().find(|(g, _)| *g == s.subgroup) {
            Some((_, v)) => v.push(s.clone()),
            None => groups.push((s.subgroup.clone(), vec![s.clone()])),
        }
    }
    groups
}

/// One subgroup pooled on its own: its name (`None` for studies without one), where its
/// studies are, and the result (`T`: one [`PooledEstimate`], or a pair of models).
#[derive(Debug, Clone)]
pub struct SubgroupPool<E, T = PooledEstimate> {
    /// The subgroup, as in the studies' `subgroup` column.
    pub subgroup: Option<String>,
    /// Indices of the subgroup's studies in the analysed studies, in input order.
    pub indices: Vec<usize>,
    /// The subgroup's pool, or why it failed.
    pub result: Result<T, E>,
}

/// Each subgroup pooled on its own (in order of first appearance) and the test for subgroup
/// differences, without the pool of all studies.
#[derive(Debug, Clone)]
pub struct Subgroups<T, E> {
    /// Each subgroup's pool.
    pub subgroups: Vec<SubgroupPool<E, T>>,
    /// The test for subgroup differences ([`difference_test`]) over the subgroups whose
    /// pool gave an estimate with a positive standard error; `None` with fewer than two.
    pub test: Option<SubgroupTest>,
}

/// Pools each subgroup of `studies` ([`split`]) with `pool`, and tests for subgroup
/// differences from the estimate and standard error that `estimate` picks from each
/// subgroup's result (see the module's formula). A subgroup whose pool fails, whose result
/// has no estimate, or whose standard error is zero, is left out of the test.
pub fn pool_each<T, E>(
    studies: &[Study],
    mut pool: impl FnMut(&[Study]) -> Result<T, E>,
    estimate: impl Fn(&T) -> Option<&PooledEstimate>,
) -> Subgroups<T, E> {
    let mut estimates = Vec::new();
    let mut pools = Vec::new();
    for (subgroup, members) in split(studies) {
        let indices = studies
            .iter()
            .enumerate()
            .filter(|(_, s)| s.subgroup == subgroup)
            .map(|(i, _)| i)
            .collect();
        let result = pool(&members);
        if let Some(r) = result.as_ref().ok().and_then(&estimate) {
            if r.se > 0.0 {
                estimates.push((r.estimate, r.se));
            }
        }
        pools.push(SubgroupPool {
            subgroup,
            indices,
            result,
        });
    }
    Subgroups {
        subgroups: pools,
        test: difference_test(&estimates),
    }
}

/// [`pool_each`] when at least one study has a subgroup; `None` (nothing pooled) otherwise.
pub fn pool_each_if_any<T, E>(
    studies: &[Study],
    pool: impl FnMut(&[Study]) -> Result<T, E>,
    estimate: impl Fn(&T) -> Option<&PooledEstimate>,
) -> Option<Subgroups<T, E>> {
    if studies.iter().any(|s| s.subgroup.is_some()) {
        Some(pool_each(studies, pool, estimate))
    } else {
        None
    }
}

/// A subgroup analysis: each subgroup pooled on its own (in order of first appearance), all
/// studies pooled together, and the test for subgroup differences.
#[derive(Debug, Clone)]
pub struct SubgroupAnalysis<E> {
    /// Each subgroup's pool.
    pub subgroups: Vec<SubgroupPool<E>>,
    /// The pool of all studies.
    pub overall: Result<PooledEstimate, E>,
    /// The test for subgroup differences ([`difference_test`]) over the subgroups that
    /// pooled with a positive standard error; `None` with fewer than two of them.
    pub test: Option<SubgroupTest>,
}

/// Pools each subgroup of `studies` ([`split`]) and all studies with `pool`, and tests for
/// subgroup differences from the subgroups' estimates and standard errors (see the module's
/// formula). A subgroup whose pool fails, or has a standard error of zero, is left out of the
/// test.
///
/// # Examples
/// ```
/// # use repool::effect::StudyData;
/// # use repool::pool::{pool, Model, PoolConfig};
/// # use repool::{Measure, Study};
/// let study = |y: f64, g: &str| Study {
///     subgroup: Some(g.into()),
///     ..Study::new(format!("{g}{y}"), StudyData::Effect { yi: y, vi: 0.04 })
/// };
/// let studies = [study(0.1, "a"), study(0.2, "a"), study(0.6, "b"), study(0.7, "b")];
/// let config = PoolConfig::metafor(Measure::Generic).model(Model::Fixed);
/// let a = repool::pool::subgroups::analyse(&studies, |s| pool(s, &config));
/// assert_eq!(a.subgroups.len(), 2);
/// assert_eq!(a.test.unwrap().df, 1);
/// assert!((a.overall.unwrap().estimate - 0.4).abs() < 1e-12);
/// ```
pub fn analyse<E>(
    studies: &[Study],
    mut pool: impl FnMut(&[Study]) -> Result<PooledEstimate, E>,
) -> SubgroupAnalysis<E> {
    let each = pool_each(studies, &mut pool, itself);
    SubgroupAnalysis {
        subgroups: each.subgroups,
        overall: pool(studies),
        test: each.test,
    }
}

/// The estimate of a single pool, for [`pool_each`].
fn itself(r: &PooledEstimate) -> Option<&PooledEstimate> {
    Some(r)
}
