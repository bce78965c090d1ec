//! Absolute effects: the risk with the intervention that corresponds to an assumed control
//! risk and a pooled relative effect, and the difference per 1,000.
//!
//! # Formulas
//! With assumed control risk `ACR` and the pooled effect on its display scale:
//! ```text
//! RR:  IR = ACR · RR
//! OR:  IR = OR · ACR / (1 − ACR + OR · ACR)
//! HR:  IR = 1 − (1 − ACR)^HR            (ACR: the control risk at the chosen time point)
//! RD:  IR = ACR + RD
//! difference per 1,000 = 1000 · (IR − ACR)
//! ```
//! The confidence limits apply the same formula to the limits of the relative effect (each
//! formula is increasing in the effect), so they do not include the uncertainty of the
//! assumed risk. A corresponding risk outside 0–1 (a large RR, or an RD, with a high control
//! risk) is held at the bound and reported as such.
//!
//! # References
//! - Higgins JPT, Thomas J, et al. (eds). Cochrane Handbook for Systematic Reviews of
//!   Interventions, version 6.5 (2024), section 15.4.4 (section 12.5.4 in version 5.1).
//! - Schünemann HJ, et al. Chapter 14: Completing 'Summary of findings' tables and grading the
//!   certainty of the evidence. Cochrane Handbook version 6.5 (2024), section 14.1.6.

use crate::Measure;

/// One risk of a summary of findings: the assumed control risk and what the pooled effect
/// makes of it, all as proportions (0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorrespondingRisk {
    /// The assumed control risk.
    pub control: f64,
    /// The corresponding risk with the intervention.
    pub intervention: f64,
    /// Its lower confidence limit.
    pub intervention_low: f64,
    /// Its upper confidence limit.
    pub intervention_high: f64,
    /// Whether a limit had to be held at 0 or 1.
    pub bounded: bool,
}

impl CorrespondingRisk {
    /// The risk difference `IR − ACR` and its limits, as proportions.
    pub fn difference(&self) -> (f64, f64, f64) {
        (
            self.intervention - self.control,
            self.intervention_low - self.control,
            self.intervention_high - self.control,
        )
    }
}

/// The risk with the intervention that `effect` (on the display scale: the ratio for RR, OR
/// and HR, the difference for RD) makes of the control risk `acr`; `None` for a measure of a
/// continuous outcome. See the module's formulas.
///
/// # Examples
/// ```
/// use repool::sof::absolute::corresponding_risk;
/// use repool::Measure;
/// // Cochrane Handbook 5.1, 12.5.4.3: OR 0.73 with ACR 0.3 gives 62 fewer per 1,000.
/// let ir = corresponding_risk(Measure::LogOddsRatio, 0.73, 0.3).unwrap();
/// assert_eq!((1000.0 * (ir - 0.3)).round(), -62.0);
/// ```
pub fn corresponding_risk(measure: Measure, effect: f64, acr: f64) -> Option<f64> {
    let ir = match measure {
        Measure::LogRiskRatio => acr * effect,
        Measure::LogOddsRatio => effect * acr / (1.0 - acr + effect * acr),
        Measure::LogHazardRatio => 1.0 - (1.0 - acr).powf(effect),
        Measure::RiskDifference => acr + effect,
        _ => return None,
    };
    Some(ir)
}

/// The corresponding risk and its limits for the control risk `acr` and a pooled effect with
/// its CI on the display scale; limits outside 0–1 are held at the bound.
pub fn risks(measure: Measure, effect: (f64, f64, f64), acr: f64) -> Option<CorrespondingRisk> {
    let (est, low, high) = effect;
    let one = |x: f64| corresponding_risk(measure, x, acr);
    let (ir, a, b) = (one(est)?, one(low)?, one(high)?);
    let bounded = [ir, a, b].iter().any(|r| !(0.0..=1.0).contains(r));
    let clamp = |r: f64| r.clamp(0.0, 1.0);
    Some(CorrespondingRisk {
        control: acr,
        intervention: clamp(ir),
        intervention_low: clamp(a.min(b)),
        intervention_high: clamp(a.max(b)),
        bounded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handbooks_risk_ratio_example() {
        // Cochrane Handbook 5.1, 12.5.4.2: RR 0.92 with ACR 0.3: 24 fewer per 1,000.
        let ir = corresponding_risk(Measure::LogRiskRatio, 0.92, 0.3).unwrap();
        assert_eq!((1000.0 * (ir - 0.3)).round(), -24.0);
    }

    #[test]
    fn a_hazard_ratio_of_one_changes_nothing() {
        let ir = corresponding_risk(Measure::LogHazardRatio, 1.0, 0.2).unwrap();
        assert!((ir - 0.2).abs() < 1e-15);
    }

    #[test]
    fn a_risk_above_one_is_held_at_one_and_said() {
        let r = risks(Measure::LogRiskRatio, (2.0, 1.5, 3.0), 0.5).unwrap();
        assert!(r.bounded);
        assert_eq!(r.intervention_high, 1.0);
        assert_eq!(r.intervention, 1.0);
    }
}
