//! Sums of the first n studies at any τ², kept up to date as studies are added one at a
//! time, for cumulative meta-analysis of many studies.
//!
//! # Method
//! The pool of the first n studies needs, as leave-one-out does ([`super::loo`]), the sums
//! `A_pq(τ²) = Σ_{j≤n} w_j^p (y_j − c)^q` (`p = 0…3`, `q = 0…2`, `w = 1/(v + τ²)`) at a few
//! values of τ². They are kept at fixed *centres* `τ₀²`: 0 and the points of one scan grid
//! ([`super::tau2::global::grid`]) that covers the stationary points of every prefix's
//! REML and ML likelihoods (the bound of [`super::tau2::global::upper_bound`] with all
//! studies' RSS and largest variance, which bound every prefix's, and `m = 1`, the smallest
//! `m` of any prefix). At each centre the effects are centred at that centre's weighted mean
//! `μ₀` of the studies added so far; adding a study moves `μ₀` by `δ = w(y − μ₀)/Σw` and
//! shifts the centred sums (`Σw^p(y−μ₀−δ)² = Σw^p(y−μ₀)² − 2δΣw^p(y−μ₀) + δ²Σw^p`), which
//! keeps them free of cancellation however far the effects lie from 0 or drift as studies
//! are added. `Σ_{i<j} w_i w_j` is kept too, so that `tr(P)` needs no difference.
//!
//! At a centre the sums are exact; at any other τ² within [`super::loo::RADIUS`] of a
//! centre they follow from the centre's power moments `Σ (w/w_max)^m (y − μ₀)^q` by the
//! series of [`super::loo`]. The power moments of a centre are formed (O(n)) the first time
//! a τ² near it is asked for, and kept up to date from then on. Where no centre is near,
//! or where one study holds more than half of the weight (so that `Σw − Σw²/Σw` would
//! cancel), the sums are formed directly over the n studies.
//!
//! Closed-form estimators then cost O(1) per prefix, and iterative ones a few Newton steps
//! from the previous prefix's τ², each O(1); REML and ML take the global maximum of each
//! prefix's likelihood from the signs of its score at the centres ([`super::tau2::global`]).
//! Memory does not grow with the number of prefixes.

use std::cell::RefCell;

use super::loo::{self, Raw, RADIUS, TERMS};
use super::tau2::{
    self, dl, global, he, hs, sj, LogTerms, Moments, NotConverged, Sums, Tau2Method,
};

/// Prefixes of at most this many studies are estimated directly by [`tau2::estimate`]:
/// cheap at that size, and where one study most often holds most of the weight.
const DIRECT_MAX: usize = 30;

/// The sums of the studies added so far at one value of τ².
#[derive(Debug, Clone)]
struct Centre {
    tau2: f64,
    /// `1/(v_min + τ₀²)` of all studies: the normalisation of the power moments.
    wmax: f64,
    sw: f64,
    /// The weighted mean of the studies added so far, at which the effects are centred.
    mu: f64,
    /// `Σ_{i<j} w_i w_j`.
    pairs: f64,
    /// `Σ w^p (y − μ₀)^q`, p = 0…3.
    low: [[f64; 3]; 4],
    /// `Σ (w/wmax)^m (y − μ₀)^q`, m = 0…TERMS+3, once needed.
    high: Option<Vec<[f64; 3]>>,
}

/// Moves the centre of the sums `Σ x (y − μ)^q` in `rows` from `μ` to `μ + δ`.
fn shift(rows: &mut [[f64; 3]], delta: f64) {
    for r in rows {
        r[2] += delta * (delta * r[0] - 2.0 * r[1]);
        r[1] -= delta * r[0];
    }
}

impl Centre {
    fn new(tau2: f64, v_min: f64) -> Centre {
        Centre {
            tau2,
            wmax: 1.0 / (v_min + tau2),
            sw: 0.0,
            mu: 0.0,
            pairs: 0.0,
            low: [[0.0; 3]; 4],
            high: None,
        }
    }

    fn add(&mut self, y: f64, v: f64) {
        let w = 1.0 / (v + self.tau2);
        let sw = self.sw + w;
        let delta = w * (y - self.mu) / sw;
        self.mu += delta;
        shift(&mut self.low, delta);
        let e = y - self.mu;
        let mut wp = 1.0;
        for row in &mut self.low {
            row[0] += wp;
            row[1] += wp * e;
            row[2] += wp * e * e;
            wp *= w;
        }
        if let Some(high) = &mut self.high {
            shift(high, delta);
            let u = w / self.wmax;
            let mut un = 1.0;
            for row in high.iter_mut() {
                row[0] += un;
                row[1] += un * e;
                row[2] += un * e * e;
                un *= u;
                if un == 0.0 {
                    break;
                }
            }
        }
        self.pairs += w * self.sw;
        self.sw = sw;
    }

    /// The exact sums at the centre's own τ², effects centred at `self.mu`.
    fn raw(&self) -> Raw {
        Raw {
            a: self.low,
            exact_tr_p: Some(2.0 * self.pairs / self.sw),
        }
    }
}

/// The sums of the first `n` of `y`, `v` (see the module documentation).
pub(crate) struct PrefixSums<'a> {
    y: &'a [f64],
    v: &'a [f64],
    /// Studies added so far.
    pub n: usize,
    /// τ² of the centres: 0, then the scan grid.
    pub grid: Vec<f64>,
    centres: RefCell<Vec<Centre>>,
    /// Whether every centre keeps its sums (the scan of REML and ML), or only τ² = 0 and the
    /// centres asked for.
    every_centre: bool,
    v_min_all: f64,
    /// Smallest variance of the prefix.
    v_min: f64,
    /// Unweighted mean and sum of squared deviations of the prefix's effects (Welford).
    mean: f64,
    ss: f64,
    sum_v: f64,
}

impl<'a> PrefixSums<'a> {
    /// No studies yet of `y`, `v`; `every_centre` for REML and ML.
    pub fn new(y: &'a [f64], v: &'a [f64], every_centre: bool) -> PrefixSums<'a> {
        let (v_min, v_max) = v
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
        let grid = if y.len() > 1 {
            let (_, rss) = tau2::unweighted(y);
            global::grid(v_min, global::upper_bound(rss, v_max, 1.0))
        } else {
            vec![0.0]
        };
        let centres = grid.iter().map(|&t| Centre::new(t, v_min)).collect();
        PrefixSums {
            y,
            v,
            n: 0,
            grid,
            centres: RefCell::new(centres),
            every_centre,
            v_min_all: v_min,
            v_min: f64::INFINITY,
            mean: 0.0,
            ss: 0.0,
            sum_v: 0.0,
        }
    }

    /// The effects and variances of the prefix.
    pub fn prefix(&self) -> (&'a [f64], &'a [f64]) {
        (&self.y[..self.n], &self.v[..self.n])
    }

    /// Adds the next study.
    pub fn push(&mut self) {
        let (y, v) = (self.y[self.n], self.v[self.n]);
        for (j, c) in self.centres.get_mut().iter_mut().enumerate() {
            if j == 0 || self.every_centre || c.high.is_some() {
                c.add(y, v);
            }
        }
        self.n += 1;
        let d = y - self.mean;
        self.mean += d / self.n as f64;
        self.ss += d * (y - self.mean);
        self.sum_v += v;
        self.v_min = self.v_min.min(v);
    }

    /// The exact sums at τ² = 0 and the value the effects are centred at.
    pub fn at0(&self) -> (Raw, f64) {
        let c = &self.centres.borrow()[0];
        (c.raw(), c.mu)
    }

    /// The exact sums at grid point `j` (every centre kept: REML and ML).
    pub fn at_grid(&self, j: usize) -> (Raw, f64) {
        debug_assert!(self.every_centre || j == 0);
        let c = &self.centres.borrow()[j];
        (c.raw(), c.mu)
    }

    /// The sums at `tau2` and the value the effects are centred at.
    pub fn at(&self, tau2: f64) -> (Raw, f64) {
        if tau2.is_nan() || tau2 < 0.0 {
            return self.direct(tau2);
        }
        let j = self.grid.partition_point(|&g| g <= tau2);
        let mut centres = self.centres.borrow_mut();
        let best = [j.saturating_sub(1), j.min(self.grid.len() - 1)]
            .into_iter()
            .map(|i| (i, ((tau2 - self.grid[i]) * centres[i].wmax).abs()))
            .filter(|&(_, r)| r <= RADIUS)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let Some((i, _)) = best else {
            drop(centres);
            return self.direct(tau2);
        };
        if centres[i].high.is_none() {
            centres[i] = self.activated(i);
        }
        let c = &centres[i];
        let d = -(tau2 - c.tau2) * c.wmax;
        let raw = Raw::from_series(c.high.as_deref().unwrap_or_default(), c.wmax, d);
        let mu = c.mu;
        drop(centres);
        // When one study could hold most of the weight, Σw − Σw²/Σw may cancel.
        let sw = raw.a[1][0];
        if 1.0 / (self.v_min + tau2) > 0.5 * sw || sw.is_nan() || sw <= 0.0 {
            return self.direct(tau2);
        }
        (raw, mu)
    }

    /// Centre `i` with its power moments over the prefix (formed in O(n)).
    fn activated(&self, i: usize) -> Centre {
        let mut c = Centre::new(self.grid[i], self.v_min_all);
        c.high = Some(vec![[0.0; 3]; TERMS + 4]);
        for j in 0..self.n {
            c.add(self.y[j], self.v[j]);
        }
        c
    }

    /// The sums at `tau2` formed term by term over the prefix (O(n)), centred at their
    /// weighted mean.
    pub fn direct(&self, tau2: f64) -> (Raw, f64) {
        let (y, v) = self.prefix();
        let (sw, swy) = y.iter().zip(v).fold((0.0, 0.0), |(a, b), (&yj, &vj)| {
            let w = 1.0 / (vj + tau2);
            (a + w, b + w * yj)
        });
        let mu = swy / sw;
        let mut raw = Raw::default();
        let mut pairs = 0.0;
        for (&yj, &vj) in y.iter().zip(v) {
            let w = 1.0 / (vj + tau2);
            pairs += w * raw.a[1][0];
            let e = yj - mu;
            let mut wp = 1.0;
            for row in &mut raw.a {
                row[0] += wp;
                row[1] += wp * e;
                row[2] += wp * e * e;
                wp *= w;
            }
        }
        raw.exact_tr_p = Some(2.0 * pairs / raw.a[1][0]);
        (raw, mu)
    }
}

/// τ² of the prefix in `sums` by `method` (`prev`: the previous prefix's estimate), the same
/// as [`tau2::estimate`] of the prefix: prefixes of at most [`DIRECT_MAX`] studies and every
/// case the sums cannot carry are estimated by it directly.
pub(crate) fn tau2_prefix(
    method: Tau2Method,
    sums: &PrefixSums<'_>,
    prev: f64,
) -> Result<f64, NotConverged> {
    let n = sums.n;
    let (y, v) = sums.prefix();
    if n <= DIRECT_MAX {
        return Ok(tau2::estimate(method, y, v)?.tau2);
    }
    let kd = n as f64;
    match method {
        Tau2Method::DL => Ok(dl::raw(sums).max(0.0)),
        Tau2Method::HS => Ok(hs::raw(sums).max(0.0)),
        Tau2Method::HE => Ok(he::raw(sums).max(0.0)),
        Tau2Method::SJ => Ok(sj::raw(sums).max(0.0)),
        Tau2Method::REML | Tau2Method::ML => likelihood_prefix(method, sums, prev),
        Tau2Method::PM | Tau2Method::EB => {
            let score = |t: f64| loo::score(method, &sums.at(t).0, kd);
            if loo::score(method, &sums.at0().0, kd).0 <= 0.0 {
                return Ok(0.0);
            }
            let start = if prev > 0.0 {
                prev
            } else {
                he::raw(sums).max(0.0)
            };
            match (start > 0.0).then(|| loo::newton(&score, start)).flatten() {
                Some(t) => Ok(t),
                None => Ok(tau2::estimate_from(method, y, v, Some(prev))?.tau2),
            }
        }
    }
}

/// The prefix as the estimators of [`tau2`] see it: the kept sums, exact at τ² = 0.
impl Sums for PrefixSums<'_> {
    fn k(&self) -> usize {
        self.n
    }
    fn p(&self) -> usize {
        1
    }
    fn at(&self, tau2: f64) -> Moments {
        match tau2 == 0.0 {
            true => self.at0().0.moments(),
            false => PrefixSums::at(self, tau2).0.moments(),
        }
    }
    fn ss(&self) -> f64 {
        self.ss
    }
    fn ols(&self) -> (f64, f64) {
        (self.ss, self.sum_v / self.n as f64)
    }
    fn v_range(&self) -> (f64, f64) {
        tau2::v_range(self.prefix().1)
    }
    fn log_terms(&self, tau2: f64) -> LogTerms {
        let (y, v) = self.prefix();
        tau2::Studies { y, v }.log_terms(tau2)
    }
}

/// The REML or ML τ² of the prefix: the global maximum of its likelihood, from the score's
/// signs at the centres and Newton steps from `prev`.
fn likelihood_prefix(
    method: Tau2Method,
    sums: &PrefixSums<'_>,
    prev: f64,
) -> Result<f64, NotConverged> {
    let (y, v) = sums.prefix();
    let kd = sums.n as f64;
    let values: Vec<f64> = (0..sums.grid.len())
        .map(|j| loo::score(method, &sums.at_grid(j).0, kd).0)
        .collect();
    let f = |t: f64| loo::score(method, &sums.at(t).0, kd);
    let loglik = |t: f64| match method {
        Tau2Method::REML => tau2::reml::loglik(y, v, t),
        _ => tau2::ml::loglik(y, v, t),
    };
    let start = (prev > 0.0).then_some(prev);
    Ok(global::maximise(
        method,
        &sums.grid,
        &values,
        &f,
        &loglik,
        start,
        &mut tau2::Quiet,
    )?
    .tau2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Effects far from 0 that drift as studies are added, variances over four decades:
    /// the kept sums equal the direct ones at the centres, near them and far from them.
    #[test]
    fn kept_sums_equal_direct_sums() {
        let k = 400;
        let y: Vec<f64> = (0..k)
            .map(|i| 1e4 + i as f64 * 0.01 + ((i as f64) * 0.618_034).fract())
            .collect();
        let v: Vec<f64> = (0..k)
            .map(|i| 10f64.powf(-2.0 + 4.0 * ((i as f64) * 0.414_214).fract()))
            .collect();
        let mut s = PrefixSums::new(&y, &v, true);
        for n in 1..=k {
            s.push();
            if n % 97 != 0 {
                continue;
            }
            let probes = [0.0, s.grid[5], s.grid[5] * 1.05, 0.37, 3.3, 1e7];
            for t in probes {
                let ((a, ca), (b, cb)) = (s.at(t), s.direct(t));
                let (qa, qb) = (a.q(), b.q());
                assert!((qa - qb).abs() <= 1e-10 * qb, "n={n} t={t}: Q {qa} vs {qb}");
                assert!(((a.mu() + ca) - (b.mu() + cb)).abs() <= 1e-10 * 1e4);
                for p in 0..4 {
                    let (x, z) = (a.a[p][0], b.a[p][0]);
                    assert!((x - z).abs() <= 1e-10 * z, "n={n} t={t} p={p}: {x} vs {z}");
                }
                assert!((a.tr_p() - b.tr_p()).abs() <= 1e-10 * b.tr_p());
            }
        }
    }
}
