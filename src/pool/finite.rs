//! No number that reaches a reader is infinite or not a number. [`PooledEstimate::check_finite`]
//! is the check of the pooled result, run where every result is made ([`super::pool`],
//! [`super::revman5::pool`]): extreme input ends in an error naming what could not be
//! computed, and the study where one is at fault, instead of `NaN` or `inf` in the output.
//! Ratio measures are also checked back-transformed, since `exp` of a finite log ratio can
//! overflow (a log ratio above 709.78).

use super::{PoolError, PooledEstimate};

/// The name of the first value that is not finite.
pub(crate) fn first_non_finite(values: &[(&'static str, f64)]) -> Option<&'static str> {
    values
        .iter()
        .find(|(_, x)| !x.is_finite())
        .map(|&(what, _)| what)
}

/// Whether `exp(x)`, a ratio shown back-transformed, is a finite number.
pub(crate) fn ratio_fits(x: f64) -> bool {
    // exp(709) ≈ 8.2e307 is finite; above it (up to ln(f64::MAX) ≈ 709.78) ask exp itself.
    x <= 709.0 || x.exp().is_finite()
}

impl PooledEstimate {
    /// Checks that every number of the result is finite: the pooled values, the heterogeneity
    /// statistics, the intervals and each study's row, and for ratio measures the
    /// back-transformed effects and upper limits too. The error names the value, and the
    /// study (with its line) when a study's row is at fault.
    pub fn check_finite(&self) -> Result<(), PoolError> {
        let ratio = self.config.measure.is_ratio();
        for s in &self.studies {
            let (Some(e), Some((lo, hi))) = (s.effect, s.ci) else {
                continue;
            };
            let at_fault = |what: &'static str, log: f64| PoolError::RatioOverflow {
                study: s.label.clone(),
                line: s.line,
                what,
                log,
            };
            if let Some(what) = first_non_finite(&[
                ("study confidence limit", lo),
                ("study confidence limit", hi),
                ("study weight", s.weight_percent),
            ]) {
                return Err(PoolError::NonFinite { what });
            }
            if ratio && !ratio_fits(e.yi()) {
                return Err(at_fault("effect", e.yi()));
            }
            if ratio && !ratio_fits(hi) {
                return Err(at_fault("upper confidence limit", hi));
            }
        }
        let h = &self.heterogeneity;
        let values = [
            ("pooled estimate", self.estimate),
            ("standard error", self.se),
            ("lower confidence limit", self.ci_low),
            ("upper confidence limit", self.ci_high),
            ("tau^2", self.tau2.unwrap_or(0.0)),
            ("Q statistic", h.q),
            ("p-value of Q", h.p_value),
            ("I^2", h.i2_percent),
            ("H^2", h.h2),
            ("test statistic", self.statistic.unwrap_or(0.0)),
            ("p-value", self.p_value.unwrap_or(0.0)),
        ];
        let intervals = [
            ("prediction interval", self.pi),
            ("CI of tau^2", self.tau2_ci),
            ("CI of I^2", self.i2_ci),
            ("CI of H^2", self.h2_ci),
            ("Higgins-Thompson CI of I^2", self.i2_ht_ci),
        ];
        if let Some(what) = first_non_finite(&values) {
            return Err(PoolError::NonFinite { what });
        }
        for (what, iv) in intervals {
            if let Some((lo, hi)) = iv {
                if first_non_finite(&[(what, lo), (what, hi)]).is_some() {
                    return Err(PoolError::NonFinite { what });
                }
            }
        }
        if ratio {
            let shown = [
                ("pooled ratio", self.estimate),
                ("upper confidence limit of the pooled ratio", self.ci_high),
                (
                    "upper limit of the prediction interval of the ratio",
                    self.pi.map_or(0.0, |p| p.1),
                ),
            ];
            if let Some(&(what, _)) = shown.iter().find(|(_, x)| !ratio_fits(*x)) {
                return Err(PoolError::NonFinite { what });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::StudyData;
    use crate::pool::TestKind;
    use crate::pool::{pool, PoolConfig};
    use crate::{Measure, Study};

    fn bcg_like() -> PooledEstimate {
        let studies: Vec<Study> = [(-0.9, 0.33), (-1.6, 0.19), (-1.4, 0.42), (0.01, 0.07)]
            .iter()
            .enumerate()
            .map(|(i, &(yi, vi))| Study::new(format!("s{i}"), StudyData::Effect { yi, vi }))
            .collect();
        let config = PoolConfig::metafor(Measure::LogRiskRatio);
        pool(&studies, &config).unwrap()
    }

    #[test]
    fn every_number_of_the_result_is_checked() {
        let ok = bcg_like();
        assert_eq!(ok.check_finite(), Ok(()));
        let mut r = ok.clone();
        r.i2_ht_ci = Some((10.0, f64::NAN));
        assert_eq!(
            r.check_finite(),
            Err(PoolError::NonFinite {
                what: "Higgins-Thompson CI of I^2"
            })
        );
        let mut r = ok.clone();
        r.test = TestKind::Z;
        r.p_value = Some(f64::NAN);
        assert_eq!(
            r.check_finite(),
            Err(PoolError::NonFinite { what: "p-value" })
        );
        let mut r = ok.clone();
        r.studies[1].ci = Some((-2.0, 710.0));
        r.studies[1].line = Some(3);
        let e = r.check_finite().unwrap_err().to_string();
        assert!(
            e.starts_with(
                "study 's1' (line 3): its upper confidence limit as a ratio, exp(710.00)"
            ),
            "{e}"
        );
        let mut r = ok;
        r.ci_high = 720.0;
        assert_eq!(
            r.check_finite(),
            Err(PoolError::NonFinite {
                what: "upper confidence limit of the pooled ratio"
            })
        );
    }
}
