//! The forest plot's shared state and every string it writes: effects with their CIs, arm
//! data and totals, heterogeneity and overall-effect lines, p-values as RevMan prints them.

use super::{ForestInput, ForestOptions};
use crate::effect::StudyData;
use crate::format::{fmt_num, Lang};
use crate::plot::axis::tick_label;
use crate::plot::labels::{labels, Labels};
use crate::pool::{CommonMethod, Model, PooledEstimate, TestKind};
use crate::{Measure, Study};

/// What every step of the layout reads: the input, the options, and what follows from them.
pub(super) struct Forest<'a> {
    /// The studies, groups and pools.
    pub input: &'a ForestInput<'a>,
    /// The options.
    pub opts: &'a ForestOptions,
    /// The language of every string.
    pub lang: Lang,
    /// The fixed strings in that language.
    pub l: Labels,
    /// The pool whose study weights and CIs are shown (random effects if present).
    pub primary: &'a PooledEstimate,
    /// "95% CI" in the language.
    pub ci_label: String,
    /// Decimals of effects: 3 for risk differences, else 2.
    pub decimals: usize,
    /// The kind of arm data of the studies (that of the first study).
    pub kind: Option<StudyData>,
}

impl<'a> Forest<'a> {
    /// The state of the plot of `input` with `opts`.
    pub fn new(input: &'a ForestInput<'a>, opts: &'a ForestOptions) -> Forest<'a> {
        let lang = opts.lang;
        let l = labels(lang);
        let primary = input.overall.primary().expect("an overall pool");
        let ci_label = crate::plot::labels::ci_label(lang, primary.config.level * 100.0);
        Forest {
            input,
            opts,
            lang,
            l,
            primary,
            ci_label,
            decimals: if matches!(input.measure, Measure::RiskDifference) {
                3
            } else {
                2
            },
            kind: input.studies.first().map(|s| s.data.clone()),
        }
    }

    /// The measure.
    pub fn measure(&self) -> Measure {
        self.input.measure
    }

    /// Number of arm-data columns (events and totals, or means, SDs and totals, per arm).
    pub fn n_arm(&self) -> usize {
        match self.kind {
            Some(StudyData::TwoByTwo { .. }) => 4,
            Some(StudyData::MeanSd { .. }) => 6,
            _ => 0,
        }
    }

    /// The separator of two limits as the text outputs write an interval
    /// ([`crate::format::interval`]): "; " (unambiguous next to a decimal comma), " ; " in
    /// French.
    pub fn sep(&self) -> &'static str {
        crate::format::separator(self.lang)
    }

    /// A value of the analysis scale on the display scale, as text.
    fn num(&self, a: f64) -> String {
        fmt_num(self.lang, self.measure().display(a), self.decimals)
    }

    /// "0.49 [0.34; 0.70]": an effect and its CI (analysis scale) on the display scale.
    pub fn effect_text(&self, est: f64, lo: f64, hi: f64) -> String {
        format!(
            "{} [{}{}{}]",
            self.num(est),
            self.num(lo),
            self.sep(),
            self.num(hi)
        )
    }

    /// "[0.20; 1.20]": an interval (analysis scale) on the display scale, its limits
    /// separated by `sep`.
    pub fn interval_text(&self, lo: f64, hi: f64, sep: &str) -> String {
        format!("[{}{sep}{}]", self.num(lo), self.num(hi))
    }

    /// The prediction interval's text.
    pub fn prediction_text(&self, lo: f64, hi: f64) -> String {
        self.interval_text(lo, hi, self.sep())
    }

    /// A study's label: its name, with the year unless the name holds it.
    pub fn study_label(&self, s: &Study) -> String {
        match s.year {
            Some(y) if !s.label.contains(&y.to_string()) => format!("{} {y}", s.label),
            _ => s.label.clone(),
        }
    }

    /// A study's weight in the shown pool, percent.
    pub fn weight_of(&self, i: usize) -> f64 {
        self.primary.studies[i].weight_percent
    }

    /// A weight as text, "12.3%" ("12,3 %" in French).
    pub fn weight_text(&self, w: f64) -> String {
        crate::format::percent(self.lang, &fmt_num(self.lang, w, 1))
    }

    /// A study's arm data as text, one cell per arm column.
    pub fn arm_cells(&self, s: &Study) -> Vec<String> {
        let lang = self.lang;
        match s.data {
            StudyData::TwoByTwo {
                events_t,
                n_t,
                events_c,
                n_c,
            } => vec![count(events_t), count(n_t), count(events_c), count(n_c)],
            StudyData::MeanSd {
                mean_t,
                sd_t,
                n_t,
                mean_c,
                sd_c,
                n_c,
            } => vec![
                as_given(lang, mean_t),
                as_given(lang, sd_t),
                count(n_t),
                as_given(lang, mean_c),
                as_given(lang, sd_c),
                count(n_c),
            ],
            StudyData::Effect { .. } => vec![],
        }
    }

    /// The arm columns of a totals row: the participants of the studies `idx` per arm.
    pub fn total_cells(&self, idx: &[usize]) -> Vec<String> {
        let (mut nt, mut nc) = (0.0, 0.0);
        for &i in idx {
            match (&self.kind, &self.input.studies[i].data) {
                (Some(StudyData::TwoByTwo { .. }), StudyData::TwoByTwo { n_t, n_c, .. })
                | (Some(StudyData::MeanSd { .. }), StudyData::MeanSd { n_t, n_c, .. }) => {
                    nt += n_t;
                    nc += n_c;
                }
                _ => {}
            }
        }
        let e = String::new;
        match self.kind {
            Some(StudyData::TwoByTwo { .. }) => vec![e(), count(nt), e(), count(nc)],
            Some(StudyData::MeanSd { .. }) => vec![e(), e(), count(nt), e(), e(), count(nc)],
            _ => vec![],
        }
    }

    /// "Total events: 10 (treatment), 20 (control)" for 2×2 data.
    pub fn events_line(&self, idx: &[usize]) -> Option<String> {
        let Some(StudyData::TwoByTwo { .. }) = self.kind else {
            return None;
        };
        let (mut et, mut ec) = (0.0, 0.0);
        for &i in idx {
            if let StudyData::TwoByTwo {
                events_t, events_c, ..
            } = self.input.studies[i].data
            {
                et += events_t;
                ec += events_c;
            }
        }
        let l = &self.l;
        Some(format!(
            "{}: {} ({}), {} ({})",
            l.total_events,
            count(et),
            l.treatment.to_lowercase(),
            count(ec),
            l.control.to_lowercase()
        ))
    }

    /// "Heterogeneity: Tau² = …; Chi² = …, df = … (P = …); I² = …%", or "Heterogeneity: Not
    /// applicable" for a pool of one study, as RevMan prints it.
    pub fn heterogeneity_line(&self, r: &PooledEstimate) -> String {
        let lang = self.lang;
        let h = &r.heterogeneity;
        if r.k_estimable < 2 {
            return format!("{}: {}", self.l.heterogeneity, self.l.not_applicable);
        }
        let tau = r
            .tau2
            .map(|t| format!("Tau² = {}; ", fmt_num(lang, t, 2)))
            .unwrap_or_default();
        format!(
            "{}: {tau}Chi² = {}, df = {} ({}); I² = {}",
            self.l.heterogeneity,
            fmt_num(lang, h.q, 2),
            h.df,
            crate::format::p_revman(lang, h.p_value),
            crate::format::percent(lang, &fmt_num(lang, h.i2_percent, 0))
        )
    }

    /// "Test for overall effect: Z = … (P = …)".
    pub fn test_line(&self, r: &PooledEstimate) -> String {
        let lang = self.lang;
        let stat = match (r.test, r.statistic) {
            (TestKind::Z, Some(z)) => format!("Z = {}", fmt_num(lang, z.abs(), 2)),
            (TestKind::T { df }, Some(t)) => {
                format!("t = {} (df = {})", fmt_num(lang, t.abs(), 2), df)
            }
            _ => "-".to_string(),
        };
        let p = r
            .p_value
            .map(|p| format!(" ({})", crate::format::p_revman(lang, p)))
            .unwrap_or_default();
        format!("{}: {stat}{p}", self.l.overall_effect)
    }

    /// "Test for subgroup differences: Chi² = …, df = … (P = …), I² = …%".
    pub fn subgroup_test_line(&self) -> Option<String> {
        let lang = self.lang;
        self.input.subgroup_test.as_ref().map(|t| {
            format!(
                "{}: Chi² = {}, df = {} ({}), I² = {}",
                self.l.subgroup_differences,
                fmt_num(lang, t.q, 2),
                t.df,
                crate::format::p_revman(lang, t.p_value),
                crate::format::percent(lang, &fmt_num(lang, t.i2_percent, 1))
            )
        })
    }

    /// The name of a model: "Common effect", "Random effects".
    pub fn model_name(&self, m: Model) -> &'static str {
        match m {
            Model::Fixed => self.l.common,
            Model::Random => self.l.random,
        }
    }

    /// The models and methods above the plot, e.g. "Random, REML, 95% CI".
    pub fn model_description(&self) -> String {
        let (l, ci) = (&self.l, &self.ci_label);
        let overall = &self.input.overall;
        let both = |f: &PooledEstimate, r: &PooledEstimate| {
            let tau2 = r.config.tau2_method.to_string();
            let args = [
                ("common", l.common),
                ("method", method_code(f.config.method)),
                ("random", l.random),
                ("tau2", tau2.as_str()),
                ("ci", ci.as_str()),
            ];
            crate::i18n::fill(self.lang, "forest.models_both", &args)
        };
        let one = |model: &str, method: &str| {
            let args = [("model", model), ("method", method), ("ci", ci.as_str())];
            crate::i18n::fill(self.lang, "forest.models_one", &args)
        };
        match (overall.fixed.as_ref(), overall.random.as_ref()) {
            (Some(f), Some(r)) => both(f, r),
            (_, Some(r)) => one(l.random, &r.config.tau2_method.to_string()),
            (Some(f), None) => one(l.common, method_code(f.config.method)),
            _ => String::new(),
        }
    }

    /// The legend of the threshold line.
    pub fn threshold_legend(&self, t: f64) -> String {
        let t = self.threshold_values(t);
        crate::i18n::fill(self.lang, "forest.threshold_legend", &[("t", &t)])
    }
}

impl Forest<'_> {
    /// The threshold as the legend names it: "1.25", or with `--threshold-both` both lines,
    /// the lower first and written as an interval's limits are ("0.8; 1.25").
    fn threshold_values(&self, t: f64) -> String {
        if !self.opts.threshold_both {
            return tick_label(self.lang, t);
        }
        let m = self.measure();
        let mirrored = m.display(-m.from_display(t));
        let (lo, hi) = if mirrored < t {
            (mirrored, t)
        } else {
            (t, mirrored)
        };
        format!(
            "{}{}{}",
            tick_label(self.lang, lo),
            self.sep(),
            tick_label(self.lang, hi)
        )
    }
}

/// RevMan's code of a common-effect method.
fn method_code(m: CommonMethod) -> &'static str {
    match m {
        CommonMethod::IV => "IV",
        CommonMethod::MH => "MH",
        CommonMethod::Peto => "Peto",
    }
}

/// A value as it was probably entered: up to 3 decimals, trailing zeros dropped.
fn as_given(lang: Lang, x: f64) -> String {
    let mut s = format!("{x:.3}");
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    match lang {
        Lang::En => s,
        _ => s.replace('.', ","),
    }
}

/// A count: whole numbers without decimals, others with one.
fn count(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}
