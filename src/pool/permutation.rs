//! Permutation test for meta-regression: p-values of the moderator test and of each
//! coefficient that do not lean on the normal (or t / F) reference distribution.
//!
//! # Method
//! The rows of the design matrix are permuted against the effects and their variances, the
//! model is refitted (τ² re-estimated each time), and the p-values are the proportions of
//! permutations whose statistics are at least as extreme as the observed ones:
//! ```text
//! p(QM) = #{ QM* ≥ QM − ε } / N          p(βⱼ) = #{ |zⱼ*| ≥ |zⱼ| − ε } / N
//! ```
//! with `ε = √(machine ε)` as metafor's `comptol`. When the number of distinct orderings of
//! the rows, `k! / Π mᵢ!` (`mᵢ` = multiplicities of identical rows), is at most the number of
//! permutations asked for, every distinct ordering is used once (an exact test); otherwise
//! `N` random permutations are drawn, the first being the observed order. Permutations whose
//! refit fails (τ² does not converge) are left out of `N`, as metafor does (`na.rm`).
//!
//! # References
//! - Higgins JPT, Thompson SG (2004). Controlling the risk of spurious findings from
//!   meta-regression. Stat Med 23:1663–1682.
//! - Viechtbauer W, López-López JA, Sánchez-Meca J, Marín-Martínez F (2015). A comparison of
//!   procedures to test for moderators in mixed-effects meta-regression models. Psychol
//!   Methods 20:360–374.
//! - Cochrane Handbook, version 6.4 (2023), section 10.11.4; metafor `permutest()`.

use nalgebra::DMatrix;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::regression::{core, RegressionError};
use super::tau2::Tau2Method;

/// Result of a permutation test.
#[derive(Debug, Clone, PartialEq)]
pub struct PermutationTest {
    /// Whether every distinct ordering was used (exact test).
    pub exact: bool,
    /// Permutations that entered the p-values (the observed order included).
    pub permutations: usize,
    /// Permutations left out because the refit failed.
    pub failed: usize,
    /// p-value of the omnibus test of the moderators.
    pub qm_p: f64,
    /// p-value of each coefficient (intercept first), two-sided.
    pub coefficient_p: Vec<f64>,
}

/// The number of distinct orderings of the rows of `x`, `k! / Π mᵢ!`, or `None` when it
/// exceeds `limit`.
pub fn distinct_orderings(x: &DMatrix<f64>, limit: usize) -> Option<usize> {
    let classes = row_classes(x);
    let mut counts = vec![0usize; classes.iter().max().map_or(0, |m| m + 1)];
    // Multinomial coefficient built up one row at a time: C(n, c) for each class in turn.
    let mut total: u128 = 1;
    let mut n = 0u128;
    for &c in &classes {
        counts[c] += 1;
        n += 1;
        // total · n / counts[c] stays an integer: it is the multinomial of the rows so far.
        total = total.checked_mul(n)? / counts[c] as u128;
        if total > limit as u128 {
            return None;
        }
    }
    Some(total as usize)
}

/// Class label of each row: rows that are identical share a label (labels in order of
/// first appearance).
fn row_classes(x: &DMatrix<f64>) -> Vec<usize> {
    let (k, p) = x.shape();
    let mut reps: Vec<usize> = Vec::new();
    let mut classes = Vec::with_capacity(k);
    for i in 0..k {
        let same = |r: usize| (0..p).all(|c| x[(r, c)].to_bits() == x[(i, c)].to_bits());
        match reps.iter().position(|&r| same(r)) {
            Some(c) => classes.push(c),
            None => {
                classes.push(reps.len());
                reps.push(i);
            }
        }
    }
    classes
}

/// Next permutation in lexicographic order (false after the last one).
fn next_permutation(a: &mut [usize]) -> bool {
    let Some(i) = (1..a.len()).rev().find(|&i| a[i - 1] < a[i]) else {
        return false;
    };
    let j = (i..a.len())
        .rev()
        .find(|&j| a[j] > a[i - 1])
        .expect("exists");
    a.swap(i - 1, j);
    a[i..].reverse();
    true
}

/// Runs the permutation test of the meta-regression of `y` (variances `v`) on `x` with
/// `iterations` permutations (exact when there are no more distinct orderings than that) and
/// the random seed `seed`.
pub fn permutation_test(
    x: &DMatrix<f64>,
    y: &[f64],
    v: &[f64],
    method: Option<Tau2Method>,
    knapp_hartung: bool,
    iterations: usize,
    seed: u64,
) -> Result<PermutationTest, RegressionError> {
    let (k, p) = x.shape();
    if k <= p {
        return Err(RegressionError::TooFew { p, k });
    }
    let observed = core(x, y, v, method, knapp_hartung)?;
    let tol = f64::EPSILON.sqrt();
    let mut hits_qm = 0usize;
    let mut hits = vec![0usize; p];
    let mut used = 0usize;
    let mut failed = 0usize;
    let mut permuted = x.clone();
    let mut tally = |order: &[usize], permuted: &mut DMatrix<f64>| {
        for (i, &src) in order.iter().enumerate() {
            for c in 0..p {
                permuted[(i, c)] = x[(src, c)];
            }
        }
        match core(&*permuted, y, v, method, knapp_hartung) {
            Ok(fit) => {
                used += 1;
                if fit.qm >= observed.qm - tol {
                    hits_qm += 1;
                }
                for j in 0..p {
                    if fit.statistics[j].abs() >= observed.statistics[j].abs() - tol {
                        hits[j] += 1;
                    }
                }
            }
            Err(_) => failed += 1,
        }
    };
    let exact = distinct_orderings(x, iterations).is_some();
    if exact {
        // Walk the distinct orderings of the row classes; each class stands for any of its
        // identical rows.
        let classes = row_classes(x);
        let reps: Vec<usize> = (0..=*classes.iter().max().unwrap_or(&0))
            .map(|c| classes.iter().position(|&l| l == c).expect("class used"))
            .collect();
        let mut order = classes.clone();
        order.sort_unstable();
        let mut rows = vec![0usize; k];
        loop {
            for (i, &c) in order.iter().enumerate() {
                rows[i] = reps[c];
            }
            tally(&rows, &mut permuted);
            if !next_permutation(&mut order) {
                break;
            }
        }
    } else {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut order: Vec<usize> = (0..k).collect();
        tally(&order, &mut permuted);
        for _ in 1..iterations {
            order.shuffle(&mut rng);
            tally(&order, &mut permuted);
        }
    }
    let n = used.max(1) as f64;
    Ok(PermutationTest {
        exact,
        permutations: used,
        failed,
        qm_p: (hits_qm as f64 / n).min(1.0),
        coefficient_p: hits.iter().map(|&h| (h as f64 / n).min(1.0)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_distinct_orderings() {
        // Rows a, a, b, c: 4! / 2! = 12.
        let x = DMatrix::from_row_slice(4, 2, &[1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 2.0]);
        assert_eq!(distinct_orderings(&x, 100), Some(12));
        assert_eq!(distinct_orderings(&x, 11), None);
        let mut order = row_classes(&x);
        order.sort_unstable();
        let mut n = 1;
        while next_permutation(&mut order) {
            n += 1;
        }
        assert_eq!(n, 12);
    }
}
