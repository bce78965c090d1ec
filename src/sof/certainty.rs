//! Suggestions for the GRADE domains the data can inform: imprecision, inconsistency and
//! publication bias. Each is a suggestion with its reasons, never a rating: risk of bias and
//! indirectness, and the final rating, stay the reviewer's judgement.
//!
//! # Rules
//! Thresholds are on the analysis scale (log scale for ratios); the benefit threshold `T`
//! lies on the side of benefit, the harm threshold is its mirror image around the null.
//! Without a threshold, ratio measures use GRADE's rough guide of appreciable benefit and
//! harm, RR 0.75 and 1.25 (Guyatt et al. 2011).
//!
//! - **Imprecision** (Core GRADE 2): a CI that crosses both the benefit and the harm
//!   threshold: rate down two levels; one of them: one level; a CI that includes the null
//!   when there is no threshold: one level. Otherwise, when the effect is large, the sample
//!   is compared with the optimal information size ([`super::ois`]): below it, one level.
//! - **Inconsistency** (Core GRADE 3; Cochrane Handbook 10.10.2): I² with the Handbook's
//!   reading; the prediction interval and the studies' own estimates against the null or the
//!   threshold; the test for subgroup differences as a possible explanation. I² ≥ 50 % with
//!   the prediction interval or the studies on both sides of the line that matters: one
//!   level; I² ≥ 75 % with a prediction interval that reaches both an important benefit and
//!   an important harm: two levels.
//!   The line that matters is the threshold on the pooled estimate's side of the null: the
//!   harm threshold when the estimate lies on the side of harm. τ is set against the
//!   distance from the pooled estimate to that line: when 1.96 τ reaches past it, the true
//!   effects of a good share of settings lie on the other side (the reading of τ through
//!   the range of true effects, μ ± 1.96 τ, of the Cochrane Handbook 10.10.4.3 and Riley et
//!   al. 2011; the prediction interval adds the uncertainty of μ and τ). The reason informs;
//!   the suggestion rests on I² with the prediction interval and the studies' sides.
//! - **Imprecision and the OIS**: see [`super::ois`] for when the OIS applies (a large
//!   effect; Core GRADE 2).
//! - **Publication bias** (Cochrane Handbook 13.3.5; Sterne et al. 2011): only with at least
//!   10 studies. For odds ratios from 2×2 tables Peters' test (Peters et al. 2006), for every
//!   other measure Egger's test; p < 0.10 suggests rating down one level. Egger's test is
//!   not used for odds ratios from 2×2 tables because the log OR and its SE are correlated,
//!   which inflates its false-positive rate (Sterne et al. 2011, Box 2; Cochrane Handbook
//!   13.3.5.4). Trim-and-fill says how much the estimate moves and whether the conclusion
//!   changes.
//!
//! # References
//! - Guyatt G, Zeng L, Brignardello-Petersen R, et al. (2025). Core GRADE 2: choosing the
//!   target of certainty rating and assessing imprecision. BMJ 389:e081904.
//! - Guyatt G, Zeng L, Brignardello-Petersen R, et al. (2025). Core GRADE 3: rating certainty
//!   of evidence—assessing inconsistency. BMJ 389:e081905.
//! - Guyatt GH, Oxman AD, Kunz R, et al. (2011). GRADE guidelines 6. Rating the quality of
//!   evidence—imprecision. J Clin Epidemiol 64:1283–1293.
//! - Schünemann HJ, Neumann I, Hultcrantz M, et al. (2022). GRADE guidance 35: update on
//!   rating imprecision for assessing contextualized certainty of evidence and making
//!   decisions. J Clin Epidemiol 150:225–242.
//! - Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L (2006). Comparison of two methods
//!   to detect publication bias in meta-analysis. JAMA 295:676–680.
//! - Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects meta-analyses.
//!   BMJ 342:d549.
//! - Sterne JAC, Sutton AJ, Ioannidis JPA, et al. (2011). Recommendations for examining and
//!   interpreting funnel plot asymmetry in meta-analyses of randomised controlled trials.
//!   BMJ 343:d4002.
//! - Cochrane Handbook version 6.5 (2024), sections 10.10.2 (I²), 13.3.5 (funnel plots) and
//!   14.2 (GRADE).

/// What the data suggest for one domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Suggestion {
    /// The data give no reason to rate down.
    NoConcern,
    /// Rate down one level (serious concern).
    RateDownOne,
    /// Rate down two levels (very serious concern).
    RateDownTwo,
    /// The data cannot inform this domain (too few studies).
    NotAssessable,
}

impl Suggestion {
    /// `no_concern`, `rate_down_one`, `rate_down_two` or `not_assessable`.
    pub fn code(self) -> &'static str {
        match self {
            Suggestion::NoConcern => "no_concern",
            Suggestion::RateDownOne => "rate_down_one",
            Suggestion::RateDownTwo => "rate_down_two",
            Suggestion::NotAssessable => "not_assessable",
        }
    }
}

/// The line a CI or a study is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// The null (no effect).
    Null,
    /// The threshold of an important effect.
    Threshold,
    /// Both the threshold of an important benefit and that of an important harm.
    BenefitAndHarm,
}

/// One reason behind a suggestion, with the numbers it rests on (display scale where a
/// value is an effect). Worded at output ([`crate::sof::text`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Reason {
    /// The CI crosses both the benefit and the harm threshold.
    CrossesBenefitAndHarm {
        /// The benefit threshold.
        benefit: f64,
        /// The harm threshold.
        harm: f64,
    },
    /// The CI crosses the threshold of benefit or of harm.
    CrossesThreshold {
        /// The threshold it crosses.
        threshold: f64,
    },
    /// The CI includes no effect (and no threshold was given).
    IncludesNull,
    /// The CI lies entirely on one side of every threshold and of the null.
    ClearOfThresholds,
    /// The participants fall short of the optimal information size.
    BelowOis {
        /// Participants.
        participants: f64,
        /// The optimal information size.
        ois: f64,
    },
    /// The participants reach the optimal information size.
    ReachesOis {
        /// Participants.
        participants: f64,
        /// The optimal information size.
        ois: f64,
    },
    /// The optimal information size cannot be computed (no participants, or no control risk).
    OisUnknown,
    /// A ratio that is no large effect (a relative change of at most 30 %): with a CI clear
    /// of the thresholds the optimal information size is not needed.
    EffectNotLarge,
    /// τ, the SD of the true effects, against the distance from the pooled estimate to the
    /// line that matters (analysis scale): whether ±1.96 τ around the estimate reaches it.
    Tau {
        /// τ (analysis scale).
        tau: f64,
        /// The distance from the pooled estimate to the line (analysis scale).
        distance: f64,
        /// The line.
        line: Line,
    },
    /// A single study: inconsistency cannot be judged.
    SingleStudy,
    /// I² and the Handbook's reading of it (0: might not be important, 1: moderate,
    /// 2: substantial, 3: considerable).
    I2 {
        /// I², percent.
        i2: f64,
        /// The Handbook's band.
        band: usize,
    },
    /// The prediction interval crosses a line the CI does not.
    PredictionCrosses {
        /// The line.
        line: Line,
        /// Lower limit (display scale).
        low: f64,
        /// Upper limit (display scale).
        high: f64,
    },
    /// The studies' own estimates lie on both sides of a line.
    StudiesOnBothSides {
        /// The line.
        line: Line,
        /// Studies on the side of the pooled estimate.
        with_pool: usize,
        /// Studies on the other side.
        against: usize,
    },
    /// The test for subgroup differences.
    SubgroupTest {
        /// Its p-value.
        p: f64,
    },
    /// Fewer than 10 studies: funnel-plot tests have too little power.
    TooFewForFunnelTests {
        /// Studies.
        k: usize,
    },
    /// Egger's regression test.
    Egger {
        /// Its p-value.
        p: f64,
    },
    /// Peters' regression test (odds ratios from 2×2 tables).
    Peters {
        /// Its p-value.
        p: f64,
    },
    /// Trim-and-fill.
    TrimFill {
        /// Studies filled in.
        filled: usize,
        /// The estimate without them (display scale).
        before: f64,
        /// The estimate with them (display scale).
        after: f64,
        /// Whether the CI with them includes the null when the CI without them does not.
        changes_conclusion: bool,
    },
}

/// A suggestion and its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The suggestion.
    pub suggestion: Suggestion,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// The three domains the data can inform.
#[derive(Debug, Clone, PartialEq)]
pub struct Certainty {
    /// Imprecision.
    pub imprecision: Judgement,
    /// Inconsistency.
    pub inconsistency: Judgement,
    /// Publication bias.
    pub publication_bias: Judgement,
}

/// The Cochrane Handbook's (10.10.2) overlapping bands of I², read at their lower ends: 0–40 %
/// might not be important, 30–60 % moderate, 50–90 % substantial, 75–100 % considerable.
pub fn i2_band(i2: f64) -> usize {
    match i2 {
        x if x >= 75.0 => 3,
        x if x >= 50.0 => 2,
        x if x >= 30.0 => 1,
        _ => 0,
    }
}
