//! No number of a network meta-analysis that reaches a reader is infinite or not a number:
//! [`NetworkResult::check_finite`], run by [`super::analyse`] on every result. Contrasts
//! whose weights span too many orders of magnitude (a standard error of 1e-150 next to ones
//! of 0.1) make the Laplacian's inverse overflow; the error then names the most precise and
//! the largest contrast with their studies and lines.

use super::{Fit, Network, NetworkError, NetworkResult, QTest, Split};
use crate::pool::finite::first_non_finite;

/// The most and the least precise contrast and the one with the largest effect, with study
/// and line.
fn extremes(net: &Network) -> String {
    let at = |e: usize| {
        let s = net.edges[e].study;
        let line = net.lines.get(s).copied().flatten();
        format!(
            "study '{}'{}",
            net.studies[s],
            line.map(|l| format!(" (line {l})")).unwrap_or_default()
        )
    };
    let by = |key: &dyn Fn(usize) -> f64| {
        (0..net.edges.len()).max_by(|&a, &b| key(a).total_cmp(&key(b)))
    };
    let (Some(precise), Some(vague), Some(large)) = (
        by(&|e| -net.edges[e].v),
        by(&|e| net.edges[e].v),
        by(&|e| net.edges[e].y.abs()),
    ) else {
        return "no contrasts".into();
    };
    format!(
        "smallest variance {:e} in {}; largest variance {:e} in {}; largest effect {} in {}",
        net.edges[precise].v,
        at(precise),
        net.edges[vague].v,
        at(vague),
        net.edges[large].y,
        at(large)
    )
}

/// The error of a Laplacian that cannot be inverted: with the network connected (checked
/// before), only weights that span too many orders of magnitude (variances of 1e-30 and 1e30)
/// make it singular in floating point, so the error names the extreme contrasts.
pub(super) fn singular(net: &Network) -> NetworkError {
    NetworkError::NonFinite {
        what: "Laplacian inverse",
        extremes: extremes(net),
    }
}

fn fit_values(f: &Fit, n: usize, out: &mut Vec<(&'static str, f64)>) {
    out.extend([("tau^2", f.tau2), ("Q statistic", f.q)]);
    out.extend(f.weights.iter().map(|&w| ("weight of a contrast", w)));
    for a in 0..n {
        for b in (0..n).filter(|&b| b != a) {
            out.push(("estimate of a comparison", f.d[(a, b)]));
            // A variance of 0 would give an infinite z and a CI of no width.
            let v = f.var[(a, b)];
            out.push((
                "variance of a comparison",
                if v > 0.0 { v } else { f64::NAN },
            ));
        }
    }
}

fn q_values(name: &'static str, q: &QTest, out: &mut Vec<(&'static str, f64)>) {
    out.push((name, q.q));
    out.push((name, q.p.unwrap_or(0.0)));
}

fn split_values(splits: &[Split], out: &mut Vec<(&'static str, f64)>) {
    for s in splits {
        out.extend([
            ("network estimate of a node-split", s.nma.0),
            ("direct estimate of a node-split", s.direct.0),
            ("variance of a direct estimate", s.direct.1),
        ]);
        if let Some((y, v)) = s.indirect {
            out.extend([
                ("indirect estimate", y),
                ("variance of an indirect estimate", v),
            ]);
        }
        if let Some((d, z, p)) = s.difference {
            out.extend([
                ("difference of direct and indirect", d),
                ("z of a node-split", z),
                ("p of a node-split", p),
            ]);
        }
    }
}

impl NetworkResult {
    /// Checks that every number of the result is finite (and every comparison's variance
    /// positive): both fits, the Q tests, τ², I², the node-splits and the P-scores.
    pub fn check_finite(&self) -> Result<(), NetworkError> {
        let n = self.network.treatments.len();
        let mut v: Vec<(&'static str, f64)> = Vec::new();
        fit_values(&self.common, n, &mut v);
        fit_values(&self.random, n, &mut v);
        q_values("Q statistic", &self.q_total, &mut v);
        q_values("Q within designs", &self.q_within, &mut v);
        q_values("Q between designs", &self.q_between, &mut v);
        q_values(
            "design-by-treatment interaction Q",
            &self.q_between_random,
            &mut v,
        );
        v.extend([
            ("tau^2 of the design-by-treatment model", self.tau2_within),
            ("I^2", self.i2),
        ]);
        split_values(&self.splits_common, &mut v);
        split_values(&self.splits_random, &mut v);
        let pscores = self.pscores_common.iter().chain(&self.pscores_random);
        v.extend(pscores.map(|&p| ("P-score", p)));
        match first_non_finite(&v) {
            Some(what) => Err(NetworkError::NonFinite {
                what,
                extremes: extremes(&self.network),
            }),
            None => Ok(()),
        }
    }
}
