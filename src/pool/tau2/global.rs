//! The global maximum of a (restricted) likelihood over τ² ≥ 0, shared by the REML and ML
//! estimators of the random-effects model, of meta-regression and of leave-one-out.
//!
//! # Why a root of the score is not enough
//! The REML and ML likelihoods of τ² are not concave. With studies of very unequal precision
//! and outlying effects they can have two maxima (one of them possibly at the boundary
//! τ² = 0), and Fisher scoring or Newton's method from one starting value stops at whichever
//! maximum is nearer. The estimate is the *global* maximum over `[0, ∞)`.
//!
//! # Method
//! 1. **Where stationary points can be.** With `w = 1/(v + τ²)`, residuals `r` of the
//!    weighted fit, `RSS` the residual sum of squares of the unweighted (OLS) fit and
//!    `m = k − p` (REML) or `m = k` (ML):
//!    ```text
//!    y'PPy = Σ w² r² ≤ w_max · y'Py < RSS / τ⁴        (y'Py ≤ Σ w (y − Xβ̂_OLS)²)
//!    tr(P) = Σ w (1 − h) ≥ (k − p) / (v_max + τ²),    Σ w ≥ k / (v_max + τ²)
//!    ```
//!    so the score `y'PPy − tr(P)` (REML) or `y'PPy − Σw` (ML) is negative for every
//!    `τ² ≥ U = (RSS + √(RSS² + 4 m RSS v_max)) / (2m)`: all maxima lie in `[0, U)`.
//! 2. **Scan.** The score is evaluated at 0 and on a geometric grid from `10⁻³ min(v_min, U)`
//!    to `U`, [`STEPS_PER_DECADE`] points per factor 10 (features of the likelihood have a
//!    width of about a factor 10 in τ², the range over which one study's weight changes).
//!    Below `10⁻³ v_min` the weights are constant to 0.1 %, so the score is linear there and
//!    has at most one root, bracketed by `[0, first grid point]`.
//! 3. **Polish.** Every change of sign from + to − brackets a local maximum; each is solved
//!    to full precision by safeguarded Newton steps inside its bracket
//!    ([`super::solve_in_bracket`]). τ² = 0 is a candidate when the score is ≤ 0 there.
//! 4. **Compare.** The candidate with the largest log-likelihood is the estimate. The best
//!    of the others is reported when its log-likelihood is within [`BIMODAL_GAP`] of it.
//!
//! # References
//! - Harville DA (1977). Maximum likelihood approaches to variance component estimation
//!   and to related problems. J Am Stat Assoc 72:320–338 (REML likelihood and its score).
//! - Hardy RJ, Thompson SG (1996). A likelihood approach to meta-analysis with random
//!   effects. Stat Med 15:619–629 (ML).
//! - Raudenbush SW (2009). Analyzing effect sizes: random-effects models. In The Handbook of
//!   Research Synthesis and Meta-Analysis, 2nd ed. (multiple maxima of the likelihood).
//! - metafor `rma(method = "REML"/"ML")`, whose Fisher scoring finds one local maximum from
//!   its starting value (`control = list(tau2.init = ...)` picks another).

use super::{
    equation, solve_in_bracket, NotConverged, Observer, Quiet, Slope, Step, Sums, Tau2Fit,
    Tau2Method,
};

/// Grid points per factor 10 of τ².
pub const STEPS_PER_DECADE: f64 = 12.0;

/// A second maximum whose log-likelihood is within this many units of the highest is
/// reported: `χ²₁(0.95)/2 = 1.92`, so the other maximum lies inside the likelihood-ratio 95 %
/// confidence region of τ².
pub const BIMODAL_GAP: f64 = 1.920729410347062;

/// Another local maximum of the likelihood, lower than the estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OtherMaximum {
    /// τ² at that maximum.
    pub tau2: f64,
    /// How much lower its log-likelihood is (≥ 0).
    pub loglik_gap: f64,
}

/// The global maximum found by [`maximise`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Maximum {
    pub tau2: f64,
    /// Newton steps taken inside the winning bracket.
    pub iterations: usize,
    /// The highest other local maximum, when within [`BIMODAL_GAP`].
    pub other: Option<OtherMaximum>,
    /// The solver's steps toward this maximum (only when an observer wants them).
    pub steps: Vec<Step>,
}

/// The bound `U` of the module documentation: the score is negative for every τ² ≥ `U`.
/// `rss` is the residual sum of squares of the unweighted fit, `m` is `k − p` (REML) or `k`
/// (ML).
pub(crate) fn upper_bound(rss: f64, v_max: f64, m: f64) -> f64 {
    if !(rss > 0.0) || !(m > 0.0) {
        return 0.0;
    }
    // (RSS + √(RSS² + 4m·RSS·v_max)) / 2m, without squaring RSS (which could overflow).
    rss / (2.0 * m) * (1.0 + (1.0 + 4.0 * m * v_max / rss).sqrt())
}

/// The scan points: 0, then geometric from `10⁻³ min(v_min, U)` to the first point ≥ `U`.
pub(crate) fn grid(v_min: f64, upper: f64) -> Vec<f64> {
    if !(upper > 0.0) || !upper.is_finite() {
        return vec![0.0];
    }
    let lo = 1e-3 * v_min.min(upper);
    // The span in decades; when `upper / lo` overflows (variances of 1e-300 and 1e300 in one
    // analysis), from the logs, so the grid keeps at most a few thousand points.
    let span = upper / lo;
    let decades = if span.is_finite() {
        span.log10()
    } else {
        upper.log10() - lo.log10()
    };
    let n = (decades * STEPS_PER_DECADE).ceil().max(1.0) as usize;
    let ratio = if span.is_finite() {
        span.powf(1.0 / n as f64)
    } else {
        10f64.powf(decades / n as f64)
    };
    let mut g = Vec::with_capacity(n + 2);
    g.push(0.0);
    let mut t = lo;
    for _ in 0..n {
        g.push(t);
        t *= ratio;
    }
    // The last point lies strictly beyond U, where the score is negative.
    g.push(upper * (1.0 + 1e-9));
    g
}

/// The scan grid of the fit whose sums are `sums`: the bound uses the residual sum of
/// squares of its unweighted fit and `m = k − p` (`reml`) or `m = k`.
pub(crate) fn grid_for(sums: &impl Sums, reml: bool) -> Vec<f64> {
    let (rss, _) = sums.ols();
    let (v_min, v_max) = sums.v_range();
    let m = if reml { sums.k() - sums.p() } else { sums.k() } as f64;
    grid(v_min, upper_bound(rss, v_max, m))
}

impl Maximum {
    /// The estimate as a [`Tau2Fit`] (truncated when the maximum is at the boundary 0).
    pub fn fit(self) -> Tau2Fit {
        Tau2Fit {
            tau2: self.tau2,
            iterations: Some(self.iterations),
            truncated: self.tau2 == 0.0,
            other: self.other,
        }
    }
}

/// The REML (`method` REML) or ML estimate of the fit whose sums are `sums`: the global
/// maximum of its likelihood (see the module documentation), with the score of
/// [`super::reml`] or [`super::ml`] solved with `slope`, from `start` when it lies in the
/// winning bracket; `observer` is told the steps toward the winner.
pub(crate) fn estimate(
    method: Tau2Method,
    sums: &impl Sums,
    slope: Slope,
    start: Option<f64>,
    observer: &mut impl Observer,
) -> Result<Maximum, NotConverged> {
    let reml = method == Tau2Method::REML;
    let df = (sums.k() - sums.p()) as f64;
    let grid = grid_for(sums, reml);
    let score = |t: f64| equation(method, &sums.at(t), df, slope);
    let values: Vec<f64> = grid.iter().map(|&t| sums.value_at(method, t, df)).collect();
    let loglik = |t: f64| loglik(reml, sums.log_terms(t));
    maximise(method, &grid, &values, &score, &loglik, start, observer)
}

/// The log-likelihood (`reml`: restricted) up to its constant, from its terms:
/// ```text
/// ML:   ℓ(τ²)  = −½ (Σ ln(vᵢ + τ²) + y'Py)
/// REML: ℓR(τ²) = −½ (Σ ln(vᵢ + τ²) + ln det(X'WX) + y'Py)
/// ```
/// (Harville 1977; for the intercept-only model `det(X'WX) = Σw`.)
pub(crate) fn loglik(reml: bool, t: super::LogTerms) -> f64 {
    if reml {
        -0.5 * (t.sum_log_v + t.log_det + t.ypy)
    } else {
        -0.5 * (t.sum_log_v + t.ypy)
    }
}

/// Finds the global maximum over the grid's range (see the module documentation).
///
/// `values[j]` is the sign-bearing score at `grid[j]` (`grid[0] = 0`); `score` gives the
/// value, its slope and the magnitude of its terms anywhere (as for
/// [`super::solve_decreasing`]); `loglik` the log-likelihood up to a constant, evaluated only
/// when there is more than one candidate; `start` a first guess used inside the bracket that
/// contains it; `observer` is told the steps toward the winner.
pub(crate) fn maximise(
    method: Tau2Method,
    grid: &[f64],
    values: &[f64],
    score: &impl Fn(f64) -> (f64, f64, f64),
    loglik: &impl Fn(f64) -> f64,
    start: Option<f64>,
    observer: &mut impl Observer,
) -> Result<Maximum, NotConverged> {
    let fail = NotConverged {
        method,
        iterations: 0,
    };
    if values.iter().any(|x| x.is_nan()) {
        return Err(fail);
    }
    let mut candidates: Vec<Maximum> = Vec::new();
    if values[0] <= 0.0 {
        candidates.push(Maximum {
            tau2: 0.0,
            iterations: 0,
            other: None,
            steps: Vec::new(),
        });
    }
    for j in 1..grid.len() {
        if values[j - 1] > 0.0 && values[j] <= 0.0 {
            candidates.push(polish(
                method,
                score,
                grid[j - 1],
                grid[j],
                start,
                observer,
            )?);
        }
    }
    if values.last().is_some_and(|&x| x > 0.0) {
        // Only rounding can leave the score positive beyond U: solve beyond the grid.
        let lo = *grid.last().unwrap_or(&0.0);
        let hi = expand(score, lo).ok_or(fail.clone())?;
        candidates.push(polish(method, score, lo, hi, start, observer)?);
    }
    let winner = pick(candidates, loglik).ok_or(fail)?;
    for &s in &winner.steps {
        observer.step(s);
    }
    Ok(winner)
}

/// Solves the score within `[lo, hi]` (positive at `lo`, ≤ 0 at `hi`), keeping its steps
/// when `observer` wants them (they are told only for the winner).
fn polish(
    method: Tau2Method,
    score: &impl Fn(f64) -> (f64, f64, f64),
    lo: f64,
    hi: f64,
    start: Option<f64>,
    observer: &impl Observer,
) -> Result<Maximum, NotConverged> {
    let start = start.filter(|&s| s > lo && s < hi);
    let mut steps = Vec::new();
    let (tau2, iterations) = if observer.wants_steps() {
        solve_in_bracket(method, score, lo, hi, start, 0, &mut steps)?
    } else {
        solve_in_bracket(method, score, lo, hi, start, 0, &mut Quiet)?
    };
    Ok(Maximum {
        tau2,
        iterations,
        other: None,
        steps,
    })
}

/// A point beyond `lo` where the score is ≤ 0, by doubling.
fn expand(score: &impl Fn(f64) -> (f64, f64, f64), lo: f64) -> Option<f64> {
    let mut hi = lo.max(1e-300) * 2.0;
    for _ in 0..4000 {
        let f = score(hi).0;
        if f.is_nan() || !hi.is_finite() {
            return None;
        }
        if f <= 0.0 {
            return Some(hi);
        }
        hi *= 2.0;
    }
    None
}

/// The candidate with the largest log-likelihood, with the runner-up when it is close.
fn pick(mut candidates: Vec<Maximum>, loglik: &impl Fn(f64) -> f64) -> Option<Maximum> {
    if candidates.len() <= 1 {
        return candidates.pop();
    }
    let ll: Vec<f64> = candidates.iter().map(|c| loglik(c.tau2)).collect();
    let best = (0..ll.len()).max_by(|&a, &b| ll[a].total_cmp(&ll[b]))?;
    let other = (0..ll.len())
        .filter(|&i| i != best)
        .max_by(|&a, &b| ll[a].total_cmp(&ll[b]))
        .map(|i| OtherMaximum {
            tau2: candidates[i].tau2,
            loglik_gap: ll[best] - ll[i],
        })
        .filter(|o| o.loglik_gap <= BIMODAL_GAP);
    let mut winner = candidates.swap_remove(best);
    winner.other = other;
    Some(winner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_covers_zero_to_beyond_the_bound() {
        let g = grid(0.01, 4.0);
        assert_eq!(g[0], 0.0);
        assert!((g[1] - 1e-5).abs() < 1e-18);
        assert!(*g.last().unwrap() > 4.0);
        assert!(g.windows(2).all(|w| w[1] > w[0]));
        // 5.6 decades at 12 points each.
        assert!(g.len() > 60 && g.len() < 75, "{}", g.len());
    }

    #[test]
    fn grid_stays_small_when_the_span_of_variances_overflows() {
        // 1e-303 to 1e300: the ratio is infinite, which made the grid grow without end.
        let g = grid(1e-300, 1e300);
        assert!(g.len() < 8000, "{}", g.len());
        assert!(*g.last().unwrap() > 1e300 && g.iter().all(|t| t.is_finite()));
        assert!(g.windows(2).all(|w| w[1] > w[0]));
    }

    #[test]
    fn the_scan_values_are_the_scores_to_the_bit() {
        use super::super::{equation, Slope, Studies, Sums, Tau2Method};
        let y = [0.0, 10.0, -7.0, 3.0, 0.25, -1e-3, 1e3];
        let v = [0.001, 5.0, 2.0, 0.3, 1e-9, 7.5, 1e4];
        for k in 2..=y.len() {
            let s = Studies {
                y: &y[..k],
                v: &v[..k],
            };
            let df = (k - 1) as f64;
            for t in grid_for(&s, true).into_iter().chain([1e-12, 3.7, 1e9]) {
                for method in [Tau2Method::REML, Tau2Method::ML, Tau2Method::PM] {
                    let want = equation(method, &s.at(t), df, Slope::Exact).0;
                    assert_eq!(s.value_at(method, t, df).to_bits(), want.to_bits());
                }
            }
        }
    }

    #[test]
    fn score_is_negative_beyond_the_bound() {
        // Effects far apart and a precise study: the REML score beyond U is negative.
        let y = [0.0, 10.0, -7.0, 3.0];
        let v = [0.001, 5.0, 2.0, 0.3];
        let studies = super::super::Studies { y: &y, v: &v };
        let g = grid_for(&studies, true);
        let u = *g.last().unwrap();
        for f in [1.0, 1.5, 10.0, 1e3] {
            let m = studies.at(u * f);
            assert!(m.yppy - m.tr_p < 0.0);
        }
    }
}
