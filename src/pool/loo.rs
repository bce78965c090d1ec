//! Weighted sums of "all studies but one" at any τ² in O(1), for leave-one-out and
//! influence diagnostics on many studies.
//!
//! # Method
//! Every leave-one-out quantity of the intercept-only model (μ̂, Q, the REML/ML score and
//! its derivative, the Paule–Mandel equation, the HKSJ factor) is a function of the raw sums
//! `A_pq(τ²) = Σ_j w_j^p y_j^q` (`p = 0…3`, `q = 0…2`, `w = 1/(v + τ²)`) without the omitted
//! study. Around a centre `τ₀²` the weights expand as a geometric series,
//! ```text
//! w_j(τ₀² + δ)^p = w_j0^p (1 + w_j0 δ)^(−p) = Σ_n C(n+p−1, n) (−δ)^n w_j0^(p+n),
//! ```
//! so with the power moments `M_mq = Σ_j w_j0^m y_j^q` computed once (O(k)),
//! `A_pq(τ₀² + δ) = Σ_n C(n+p−1, n) (−δ)^n M_(p+n)q` costs a few terms when
//! `|δ| max_j w_j0 ≤ 0.2` (the series is summed until its terms fall below 1e-17 of the
//! leading one), and the omitted study's own term is subtracted exactly. Outside the radius
//! of every centre, or when the remaining weight would be dominated by one study (where the
//! subtraction would cancel), the sums are formed directly in O(k). Effects are centred
//! before the moments are taken, so `Σw(y − μ̂)²` does not cancel when the effects are
//! far from 0.
//!
//! Leaving out one of k studies moves τ² by O(1/k), so every Newton step of a leave-one-out
//! τ² falls inside the radius around the full data's τ²: leave-one-out on k studies costs
//! O(k) instead of O(k²).
//!
//! REML and ML take the global maximum of each subset's likelihood, as a full refit does
//! ([`super::tau2::global`]): the sums of all studies are also kept at every point of one
//! scan grid that covers every subset's stationary points, so the sign of each subset's
//! score on the grid costs O(1) per point (the omitted study subtracted, or the sums formed
//! directly where it holds most of the weight); each bracketed root is then solved from the
//! full data's τ², and the log-likelihoods are compared (O(k), only when there are several).
//!
//! # References
//! - Viechtbauer W, Cheung MWL (2010). Outlier and influence diagnostics for meta-analysis.
//!   Res Synth Methods 1:112–125 (the leave-one-out quantities).

use super::tau2::{
    self, dl, global, he, hs, sj, LogTerms, Moments, NotConverged, Quiet, Slope, Studies, Sums,
    Tau2Method,
};

/// Largest `|δ| max w` for which a centre's series is used.
pub(crate) const RADIUS: f64 = 0.2;
/// Number of series terms kept at most (0.2^40 · C(42, 2) ≈ 1e-25).
pub(crate) const TERMS: usize = 40;

/// The sums `a[p][q] = Σ w^p y^q` (`p = 0…3`, `q = 0…2`) of the studies in a fit, with the
/// effects centred at [`LooSums::centre`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Raw {
    pub a: [[f64; 3]; 4],
    /// `tr(P)` summed without cancellation (`2 Σ_{i<j} w_i w_j / Σw`), when known.
    pub exact_tr_p: Option<f64>,
}

impl Raw {
    /// Pooled effect (centred scale).
    pub fn mu(&self) -> f64 {
        self.a[1][1] / self.a[1][0]
    }

    /// `Σ w^p (y − μ)^2` with `μ` on the centred scale.
    pub fn centred2(&self, p: usize, mu: f64) -> f64 {
        let a = &self.a[p];
        (a[2] - 2.0 * mu * a[1] + mu * mu * a[0]).max(0.0)
    }

    /// Generalised Q at this τ²: `Σ w (y − μ̂)²`.
    pub fn q(&self) -> f64 {
        let a = &self.a[1];
        (a[2] - a[1] * a[1] / a[0]).max(0.0)
    }

    /// `tr(P) = Σw − Σw²/Σw`.
    pub fn tr_p(&self) -> f64 {
        self.exact_tr_p
            .unwrap_or_else(|| self.a[1][0] - self.a[2][0] / self.a[1][0])
    }

    /// The moments of the estimating equations ([`tau2::Moments`]) from these sums.
    pub fn moments(&self) -> Moments {
        let a = &self.a;
        let mu = self.mu();
        let sw = a[1][0];
        let sw2r = a[2][1] - mu * a[2][0];
        let p2 = a[2][0] / sw;
        Moments {
            ypy: self.q(),
            yppy: self.centred2(2, mu),
            d_yppy: -2.0 * self.centred2(3, mu) + 2.0 * sw2r * sw2r / sw,
            tr_p: self.tr_p(),
            tr_pp: a[2][0] - 2.0 * a[3][0] / sw + p2 * p2,
            sw,
            sw2: a[2][0],
        }
    }

    /// The sums from the power moments `m[n][q] = Σ (w/wmax)^n y^q` of a centre `τ₀²` at
    /// `τ₀² + δ`, with `d = −δ·wmax` (see the module documentation; `|d|` at most
    /// [`RADIUS`]).
    pub fn from_series(m: &[[f64; 3]], wmax: f64, d: f64) -> Raw {
        let mut raw = Raw::default();
        raw.a[0] = m[0];
        let mut scale = 1.0;
        for p in 1..=3usize {
            scale *= wmax;
            // coef_n = C(n+p−1, n) d^n
            let mut coef = 1.0;
            let mut s = [0.0; 3];
            for n in 0..=TERMS {
                for q in 0..3 {
                    s[q] += coef * m[p + n][q];
                }
                coef *= d * (n + p) as f64 / (n + 1) as f64;
                if coef.abs() < 1e-17 {
                    break;
                }
            }
            for q in 0..3 {
                raw.a[p][q] = s[q] * scale;
            }
        }
        raw
    }
}

struct Centre {
    tau2: f64,
    wmax: f64,
    /// `m[n][q] = Σ (w_j0/wmax)^n y_j^q`, n = 0…TERMS+3.
    m: Vec<[f64; 3]>,
}

/// Precomputed moments of all k studies around a few values of τ².
pub(crate) struct LooSums<'a> {
    y: Vec<f64>,
    v: &'a [f64],
    /// The value subtracted from every effect.
    pub centre: f64,
    /// `Σv` of all studies.
    pub sum_v: f64,
    centres: Vec<Centre>,
    /// Scan grid of REML and ML (see [`LooSums::for_method`]) and the sums of all studies
    /// at each of its points.
    grid: Vec<f64>,
    at_grid: Vec<Raw>,
}

impl<'a> LooSums<'a> {
    /// Moments of the effects `y` (centred at `centre`) with variances `v`, expanded around
    /// each value in `tau2s`.
    pub fn new(y: &[f64], v: &'a [f64], centre: f64, tau2s: &[f64]) -> LooSums<'a> {
        let y: Vec<f64> = y.iter().map(|yi| yi - centre).collect();
        let centres = tau2s
            .iter()
            .map(|&t0| {
                let wmax = v.iter().map(|vi| 1.0 / (vi + t0)).fold(0.0, f64::max);
                let mut m = vec![[0.0; 3]; TERMS + 4];
                for (&yi, &vi) in y.iter().zip(v) {
                    let u = (1.0 / (vi + t0)) / wmax;
                    let mut un = 1.0;
                    for row in m.iter_mut() {
                        row[0] += un;
                        row[1] += un * yi;
                        row[2] += un * yi * yi;
                        un *= u;
                        if un == 0.0 {
                            break;
                        }
                    }
                }
                Centre { tau2: t0, wmax, m }
            })
            .collect();
        LooSums {
            y,
            v,
            centre,
            sum_v: v.iter().sum(),
            centres,
            grid: Vec::new(),
            at_grid: Vec::new(),
        }
    }

    /// The sums that [`tau2_without`] needs for `method` (`None`: common effect), with the
    /// effects centred at `centre` and `full_tau2` the estimate of all studies: the series
    /// around [`centres`], and for REML and ML the scan grid of every subset (the bound of
    /// [`global::upper_bound`] with all studies' RSS and largest variance, which bound every
    /// subset's, and `m` one less than all studies').
    pub fn for_method(
        method: Option<Tau2Method>,
        y: &[f64],
        v: &'a [f64],
        centre: f64,
        full_tau2: f64,
    ) -> LooSums<'a> {
        let Some(method) = method else {
            return LooSums::new(y, v, centre, &[0.0]);
        };
        let mut sums = LooSums::new(y, v, centre, &centres(method, y, full_tau2));
        if matches!(method, Tau2Method::REML | Tau2Method::ML) && y.len() > 2 {
            let (_, rss) = tau2::unweighted(y);
            let (v_min, v_max) = v
                .iter()
                .fold((f64::INFINITY, 0.0f64), |(a, b), &t| (a.min(t), b.max(t)));
            let m = y.len() as f64 - if method == Tau2Method::REML { 2.0 } else { 1.0 };
            sums.grid = global::grid(v_min, global::upper_bound(rss, v_max, m));
            sums.at_grid = sums.grid.iter().map(|&t| sums.direct(t, None)).collect();
        }
        sums
    }

    /// The sums at grid point `j` of all studies except `omit`.
    fn at_grid_point(&self, j: usize, omit: usize) -> Raw {
        let t = self.grid[j];
        let mut raw = self.at_grid[j];
        let w = 1.0 / (self.v[omit] + t);
        if w > 0.5 * raw.a[1][0] {
            return self.direct(t, Some(omit));
        }
        subtract(&mut raw, w, self.y[omit]);
        raw
    }

    /// The sums at `tau2` of all studies except `omit`.
    pub fn at(&self, tau2: f64, omit: Option<usize>) -> Raw {
        let best = self
            .centres
            .iter()
            .map(|c| (c, ((tau2 - c.tau2) * c.wmax).abs()))
            .filter(|(_, r)| *r <= RADIUS)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let Some((c, _)) = best else {
            return self.direct(tau2, omit);
        };
        let d = -(tau2 - c.tau2) * c.wmax;
        let mut raw = Raw::from_series(&c.m, c.wmax, d);
        if let Some(i) = omit {
            subtract(&mut raw, 1.0 / (self.v[i] + tau2), self.y[i]);
            // The remaining largest weight is at most c.wmax/(1 − d) (d = −δ·wmax); when it
            // could be most of the total, the differences above may cancel: sum directly.
            let largest = c.wmax / (1.0 - d).max(1e-300);
            if largest > 0.5 * raw.a[1][0] || raw.a[1][0] <= 0.0 {
                return self.direct(tau2, omit);
            }
        }
        raw
    }

    /// The sums formed term by term (O(k)).
    pub fn direct(&self, tau2: f64, omit: Option<usize>) -> Raw {
        let mut raw = Raw::default();
        for (j, (&yj, &vj)) in self.y.iter().zip(self.v).enumerate() {
            if Some(j) == omit {
                continue;
            }
            let w = 1.0 / (vj + tau2);
            let mut wp = 1.0;
            for p in 0..=3 {
                raw.a[p][0] += wp;
                raw.a[p][1] += wp * yj;
                raw.a[p][2] += wp * yj * yj;
                wp *= w;
            }
        }
        raw
    }
}

/// Removes one study's terms (weight `w`, centred effect `y`) from `raw`.
fn subtract(raw: &mut Raw, w: f64, y: f64) {
    let mut wp = 1.0;
    for p in 0..=3 {
        raw.a[p][0] -= wp;
        raw.a[p][1] -= wp * y;
        raw.a[p][2] -= wp * y * y;
        wp *= w;
    }
}

/// The centres of the expansion that [`tau2_without`] needs: 0, the full data's τ², and for
/// SJ the full data's unweighted starting value.
pub(crate) fn centres(method: Tau2Method, y: &[f64], full_tau2: f64) -> Vec<f64> {
    let mut c = vec![0.0, full_tau2];
    if method == Tau2Method::SJ && y.len() > 1 {
        c.push(tau2::unweighted(y).1 / y.len() as f64);
    }
    c
}

/// All studies but `omit`, as the estimators of [`tau2`] see them: their sums at any τ² come
/// from the moments of `sums` in O(1) (see the module documentation).
pub(crate) struct Without<'s, 'a> {
    sums: &'s LooSums<'a>,
    omit: usize,
    /// The effects (not centred) and variances of all studies.
    y: &'s [f64],
    v: &'s [f64],
}

impl Without<'_, '_> {
    /// The effects and variances of the studies that are left, for the few computations
    /// that are O(k) anyway.
    fn rest(&self) -> (Vec<f64>, Vec<f64>) {
        let keep = |x: &[f64]| -> Vec<f64> {
            (0..x.len())
                .filter(|&j| j != self.omit)
                .map(|j| x[j])
                .collect()
        };
        (keep(self.y), keep(self.v))
    }
}

impl Sums for Without<'_, '_> {
    fn k(&self) -> usize {
        self.y.len() - 1
    }
    fn p(&self) -> usize {
        1
    }
    fn at(&self, tau2: f64) -> Moments {
        self.sums.at(tau2, Some(self.omit)).moments()
    }
    fn ss(&self) -> f64 {
        // The unweighted sums (w⁰) do not depend on τ².
        let a = self.sums.at(0.0, Some(self.omit)).a[0];
        (a[2] - a[1] * a[1] / a[0]).max(0.0)
    }
    fn ols(&self) -> (f64, f64) {
        let sum_v = self.sums.sum_v - self.v[self.omit];
        (self.ss(), sum_v / self.k() as f64)
    }
    fn v_range(&self) -> (f64, f64) {
        tau2::v_range(&self.rest().1)
    }
    fn log_terms(&self, tau2: f64) -> LogTerms {
        let (y, v) = self.rest();
        Studies { y: &y, v: &v }.log_terms(tau2)
    }
}

/// τ² of all studies except `omit` by `method`, from the moments in `sums` (whose centres
/// must include 0 and `full_tau2`, the estimate of all studies, and for SJ the full data's
/// unweighted starting value): the estimators of [`tau2`] on [`Without`]. Iterative
/// estimators take Newton steps from `full_tau2`; when a step leaves the series' reach or
/// the iteration does not settle, the estimate is computed from scratch with
/// [`tau2::estimate_from`], so the result is always that of the estimator itself.
pub(crate) fn tau2_without(
    method: Tau2Method,
    sums: &LooSums<'_>,
    omit: usize,
    full_tau2: f64,
    y: &[f64],
    v: &[f64],
) -> Result<f64, NotConverged> {
    let k = y.len();
    if k < 3 {
        return Ok(0.0);
    }
    let rest = Without { sums, omit, y, v };
    let df = (k - 2) as f64;
    match method {
        Tau2Method::DL => return Ok(dl::raw(&rest).max(0.0)),
        Tau2Method::HS => return Ok(hs::raw(&rest).max(0.0)),
        Tau2Method::HE => return Ok(he::raw(&rest).max(0.0)),
        Tau2Method::SJ => return Ok(sj::raw(&rest).max(0.0)),
        Tau2Method::REML | Tau2Method::ML => return likelihood_without(method, &rest, full_tau2),
        Tau2Method::PM | Tau2Method::EB => {}
    }
    let score = |t: f64| tau2::equation(method, &rest.at(t), df, Slope::Exact);
    if score(0.0).0 <= 0.0 {
        return Ok(0.0);
    }
    let slow = || -> Result<f64, NotConverged> {
        let (yd, vd) = rest.rest();
        Ok(tau2::estimate_from(method, &yd, &vd, Some(full_tau2))?.tau2)
    };
    if full_tau2 <= 0.0 {
        return slow();
    }
    match newton(&score, full_tau2) {
        Some(t) => Ok(t),
        None => slow(),
    }
}

/// The estimating function of an iterative `method` for `kd` studies with sums `raw`
/// ([`tau2::equation`]: the REML or ML score, or `Q(τ²) − (kd − 1)` for PM and EB), its
/// slope and magnitude, as the solvers of [`tau2`] take them.
pub(crate) fn score(method: Tau2Method, raw: &Raw, kd: f64) -> (f64, f64, f64) {
    tau2::equation(method, &raw.moments(), kd - 1.0, Slope::Exact)
}

/// Newton steps on a decreasing estimating function `f` (value, slope, magnitude) from
/// `start > 0`, at most 30: the root, or `None` when a step fails or leaves τ² > 0 (the
/// caller then solves from scratch).
pub(crate) fn newton(f: &impl Fn(f64) -> (f64, f64, f64), start: f64) -> Option<f64> {
    let mut x = start;
    for _ in 0..30 {
        let (fx, slope, magnitude) = f(x);
        if !(fx.is_finite() && slope < 0.0) {
            return None;
        }
        if fx.abs() <= 1e-12 * magnitude {
            return Some(x);
        }
        let next = x - fx / slope;
        if next.is_nan() || next <= 0.0 {
            return None;
        }
        if (next - x).abs() <= 1e-13 * next {
            return Some(next);
        }
        x = next;
    }
    None
}

/// The REML or ML τ² of `rest`: the global maximum of its likelihood, from the score's
/// signs on the grid of [`LooSums::for_method`] and Newton steps from `full_tau2`.
fn likelihood_without(
    method: Tau2Method,
    rest: &Without<'_, '_>,
    full_tau2: f64,
) -> Result<f64, NotConverged> {
    let sums = rest.sums;
    if sums.grid.is_empty() {
        let (yd, vd) = rest.rest();
        return Ok(tau2::estimate_from(method, &yd, &vd, Some(full_tau2))?.tau2);
    }
    let df = (rest.k() - 1) as f64;
    let values: Vec<f64> = (0..sums.grid.len())
        .map(|j| {
            let m = sums.at_grid_point(j, rest.omit).moments();
            tau2::equation(method, &m, df, Slope::Exact).0
        })
        .collect();
    let f = |t: f64| tau2::equation(method, &rest.at(t), df, Slope::Exact);
    let loglik = |t: f64| global::loglik(method == Tau2Method::REML, rest.log_terms(t));
    let start = (full_tau2 > 0.0).then_some(full_tau2);
    Ok(global::maximise(method, &sums.grid, &values, &f, &loglik, start, &mut Quiet)?.tau2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_equals_direct_sums() {
        let y: Vec<f64> = (0..200)
            .map(|i| 50.0 + ((i * 37) % 19) as f64 * 0.1)
            .collect();
        let v: Vec<f64> = (0..200)
            .map(|i| 0.05 + ((i * 13) % 7) as f64 * 0.03)
            .collect();
        let s = LooSums::new(&y, &v, 50.9, &[0.0, 0.3]);
        for t in [0.0, 0.29, 0.3, 0.31, 0.33, 0.01, 5.0] {
            for omit in [None, Some(0), Some(57)] {
                let (a, b) = (s.at(t, omit), s.direct(t, omit));
                for p in 0..4 {
                    for q in 0..3 {
                        let (x, z) = (a.a[p][q], b.a[p][q]);
                        assert!(
                            (x - z).abs() <= 1e-12 * b.a[p][0].abs().max(b.a[p][2].abs()),
                            "t={t} omit={omit:?} p={p} q={q}: {x} vs {z}"
                        );
                    }
                }
            }
        }
    }
}
