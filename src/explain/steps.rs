//! The sections of a derivation, one function each, in the order [`super::explain`] writes
//! them (τ² is in [`super::tau2_step`], the Mantel–Haenszel and Peto sums in
//! [`super::mantel_haenszel`]).

use super::messages::the_pooled;
use super::{count, level_pct, num, pval, Block, Context, Weights};
use crate::check::{relevance_category, Relevance};
use crate::dist;
use crate::effect::{MdVariance, SmdCorrection, StudyData};
use crate::i18n::fill_template as fill;
use crate::pool::{CiMethod, CommonMethod, I2Method, Model, PiMethod, TestKind};
use crate::Measure;

/// The title: "How the pooled log risk ratio is computed".
pub(super) fn title(cx: &Context) -> String {
    fill(cx.msg.title, &[("measure", &measure_name(cx))])
}

/// The analysis in one sentence: studies, model, τ² estimator, confidence level.
pub(super) fn summary(cx: &Context) -> Block {
    let (config, result) = (cx.config, cx.result);
    let estimator = match config.model {
        Model::Random => format!(", τ² {} {}", cx.msg.by, tau2_name(config.tau2_method)),
        Model::Fixed => String::new(),
    };
    // When some studies have no effect of their own (double-zero tables of a
    // Mantel–Haenszel or Peto pool), how many do: ` (17 with an effect of their own)`.
    let own = match result.k == result.k_estimable {
        true => String::new(),
        false => format!(" ({} {})", result.k_estimable, cx.msg.with_own_effect),
    };
    Block::Text(fill(
        cx.msg.summary,
        &[
            (
                "studies",
                &crate::i18n::count(cx.lang, "count.studies", result.k as u64),
            ),
            ("own", &own),
            ("model", &model_name(cx)),
            ("estimator", &estimator),
            ("level", &level_pct(cx.lang, config.level)),
        ],
    ))
}

/// Section 1: each study's data, effect and variance, with the formula of the measure.
pub(super) fn effects(cx: &Context) -> Vec<Block> {
    let (msg, config) = (cx.msg, cx.config);
    let m = config.measure;
    let (plain, tex) = effect_formula(m, config.effect.smd_correction, config.effect.md_variance);
    let intro = match m.is_ratio() {
        true => format!("{}{}", msg.effects_intro, msg.effects_log_scale),
        false => msg.effects_intro.to_string(),
    };
    let mut b = vec![
        Block::Heading(msg.effects_heading.into()),
        Block::Text(intro),
        Block::Math { plain, tex },
    ];
    let mut rows = Vec::new();
    let mut any_corrected = false;
    for (s, r) in cx.studies.iter().zip(&cx.result.studies) {
        let data = study_data(cx, &s.data);
        any_corrected |= r.corrected;
        let label = match r.corrected {
            true => format!("{} *", r.label),
            false => r.label.clone(),
        };
        rows.push(match r.effect {
            Some(e) => vec![label, data, cx.n(e.yi()), cx.n(e.vi())],
            None => vec![label, data, msg.excluded.into(), "–".into()],
        });
    }
    b.push(Block::Table {
        head: vec![msg.study.into(), msg.data.into(), "yᵢ".into(), "vᵢ".into()],
        rows,
    });
    if any_corrected {
        let add = cx.n(config.effect.zero_cell.add);
        b.push(Block::Text(fill(msg.corrected, &[("add", &add)])));
    }
    b
}

/// A study's data as the table shows it: "4/123 vs 11/139", means (SDs) and sizes, or "–".
fn study_data(cx: &Context, data: &StudyData) -> String {
    let (lang, dg) = (cx.lang, cx.dg);
    match *data {
        StudyData::TwoByTwo {
            events_t,
            n_t,
            events_c,
            n_c,
        } => format!(
            "{}/{} vs {}/{}",
            count(lang, events_t, dg),
            count(lang, n_t, dg),
            count(lang, events_c, dg),
            count(lang, n_c, dg)
        ),
        StudyData::MeanSd {
            mean_t,
            sd_t,
            n_t,
            mean_c,
            sd_c,
            n_c,
        } => format!(
            "{} ({}) n={} vs {} ({}) n={}",
            cx.n(mean_t),
            cx.n(sd_t),
            count(lang, n_t, dg),
            cx.n(mean_c),
            cx.n(sd_c),
            count(lang, n_c, dg)
        ),
        StudyData::Effect { .. } => "–".into(),
    }
}

/// Section 2: inverse-variance weights and the common-effect estimate; for Mantel–Haenszel and
/// Peto pools, what they do instead and their sums.
pub(super) fn common_weights(cx: &Context, w: &Weights) -> Vec<Block> {
    let (msg, n) = (cx.msg, |x: f64| cx.n(x));
    let rows = cx
        .labels
        .iter()
        .zip(&w.w)
        .zip(&w.rel_ce)
        .zip(&cx.y)
        .map(|(((lab, wi), p), yi)| vec![lab.to_string(), n(*wi), cx.pct(*p), n(wi * yi)])
        .collect();
    let (sw, swy) = (n(w.sw), n(w.swy));
    let mut b = vec![
        Block::Heading(msg.weights_heading.into()),
        Block::Text(msg.weights_intro.into()),
        Block::Table {
            head: vec![
                msg.study.into(),
                "wᵢ = 1/vᵢ".into(),
                msg.share.into(),
                "wᵢyᵢ".into(),
            ],
            rows,
        },
        Block::Math {
            plain: format!(
                "Σw = {sw}   Σwy = {swy}   μ̂_CE = Σwy / Σw = {swy} / {sw} = {}   SE = 1/√Σw = {}",
                n(w.mu_ce),
                n(w.se_ce)
            ),
            tex: format!(
                "\\sum w_i = {sw},\\quad \\sum w_i y_i = {swy},\\quad \\hat\\mu_{{CE}} = \\frac{{\\sum w_i y_i}}{{\\sum w_i}} = {},\\quad SE = \\frac{{1}}{{\\sqrt{{\\sum w_i}}}} = {}",
                n(w.mu_ce),
                n(w.se_ce)
            ),
        },
    ];
    match cx.config.method {
        CommonMethod::IV => {}
        CommonMethod::MH => b.push(Block::Text(msg.mh_instead.into())),
        CommonMethod::Peto => b.push(Block::Text(msg.peto_instead.into())),
    }
    if cx.config.method != CommonMethod::IV {
        b.extend(super::mantel_haenszel::sums(cx));
    }
    b
}

/// Section 3: Cochran's Q, its degrees of freedom and p-value.
pub(super) fn heterogeneity(cx: &Context) -> Vec<Block> {
    let het = cx.result.heterogeneity;
    let (q, p) = (cx.n(het.q), pval(cx.lang, het.p_value));
    // The studies that enter Q, which may be fewer than the analysis's: with Peto's or
    // Mantel-Haenszel's method a study without events in either arm (or with only events)
    // has no effect of its own.
    let (k, df) = (het.df + 1, het.df);
    vec![
        Block::Heading(cx.msg.q_heading.into()),
        Block::Text(cx.msg.q_intro.into()),
        Block::Math {
            plain: format!("Q = Σ wᵢ (yᵢ − μ̂_CE)² = {q}   df = k − 1 = {k} − 1 = {df}   p {p}"),
            tex: format!(
                "Q = \\sum w_i (y_i - \\hat\\mu_{{CE}})^2 = {q},\\quad df = k - 1 = {k} - 1 = {df},\\quad p {p}"
            ),
        },
    ]
}

/// Section 5: the random-effects weights against the common-effect ones, and how they flatten.
pub(super) fn random_weights(cx: &Context, w: &Weights) -> Vec<Block> {
    let msg = cx.msg;
    let rows = cx
        .labels
        .iter()
        .zip(&w.wstar)
        .zip(w.rel_re.iter().zip(&w.rel_ce))
        .map(|((lab, wi), (pr, pc))| vec![lab.to_string(), cx.n(*wi), cx.pct(*pr), cx.pct(*pc)])
        .collect();
    let mut b = vec![
        Block::Heading(msg.re_weights_heading.into()),
        Block::Text(msg.re_weights_intro.into()),
        Block::Table {
            head: vec![
                msg.study.into(),
                "wᵢ*".into(),
                msg.share_random.into(),
                msg.share_common.into(),
            ],
            rows,
        },
    ];
    if w.t2 > 0.0 {
        b.push(weights_flatten(cx, w));
    } else {
        b.push(Block::Text(msg.weights_unchanged.into()));
    }
    b
}

/// How the largest study loses share and the smallest gains it when τ² > 0.
fn weights_flatten(cx: &Context, w: &Weights) -> Block {
    let rel = &w.rel_ce;
    let (imax, _) = rel
        .iter()
        .enumerate()
        .fold((0, f64::MIN), |a, (i, &p)| if p > a.1 { (i, p) } else { a });
    let (imin, _) = rel
        .iter()
        .enumerate()
        .fold((0, f64::MAX), |a, (i, &p)| if p < a.1 { (i, p) } else { a });
    Block::Text(fill(
        cx.msg.weights_flatten,
        &[
            ("largest", cx.labels[imax]),
            ("largest_ce", &cx.pct(rel[imax])),
            ("largest_re", &cx.pct(w.rel_re[imax])),
            ("smallest", cx.labels[imin]),
            ("smallest_ce", &cx.pct(rel[imin])),
            ("smallest_re", &cx.pct(w.rel_re[imin])),
        ],
    ))
}

/// Section 6 (4 in a common-effect model): the pooled estimate, its SE, test and CI, back on the
/// ratio scale for ratios, and why the random-effects CI is wider.
pub(super) fn pooled(cx: &Context, w: &Weights) -> Vec<Block> {
    let (msg, result, n) = (cx.msg, cx.result, |x: f64| cx.n(x));
    let heading = match cx.random {
        true => msg.pooled_heading_random,
        false => msg.pooled_heading_common,
    };
    let star = if cx.random { "*" } else { "" };
    let mut b = vec![Block::Heading(heading.into())];
    b.push(match cx.config.method {
        CommonMethod::IV => Block::Math {
            plain: format!(
                "μ̂ = Σw{star}y / Σw{star} = {} / {} = {}",
                n(w.swstary),
                n(w.swstar),
                n(result.estimate)
            ),
            tex: format!(
                "\\hat\\mu = \\frac{{\\sum w_i{star} y_i}}{{\\sum w_i{star}}} = \\frac{{{}}}{{{}}} = {}",
                n(w.swstary),
                n(w.swstar),
                n(result.estimate)
            ),
        },
        _ => Block::Math {
            plain: format!("μ̂ = {}", n(result.estimate)),
            tex: format!("\\hat\\mu = {}", n(result.estimate)),
        },
    });
    b.extend(standard_error(cx, w, star));
    b.extend(test_and_interval(cx));
    if cx.config.measure.is_ratio() {
        b.push(Block::Text(fill(
            msg.back_transformed,
            &[
                ("code", cx.config.measure.code()),
                ("estimate", &n(result.estimate.exp())),
                ("level", &level_pct(cx.lang, cx.config.level)),
                ("low", &n(result.ci_low.exp())),
                ("high", &n(result.ci_high.exp())),
            ],
        )));
    }
    if cx.random && cx.k() > 1 && w.t2 > 0.0 {
        b.push(Block::Text(fill(
            msg.wider,
            &[("se", &n(result.se)), ("se_common", &n(w.se_ce))],
        )));
    }
    b
}

/// The SE of the pooled estimate: HKSJ's rescaled variance, `1/√Σw`, or the method's own.
fn standard_error(cx: &Context, w: &Weights, star: &str) -> Vec<Block> {
    let (config, se) = (cx.config, cx.n(cx.result.se));
    if matches!(config.ci, CiMethod::Hksj | CiMethod::HksjAdhoc) && cx.random {
        let s2 = cx.n(cx.result.se * cx.result.se * w.swstar);
        let at_least_1 = match config.ci == CiMethod::HksjAdhoc {
            true => ", at least 1",
            false => "",
        };
        return vec![
            Block::Text(cx.msg.hksj_intro.into()),
            Block::Math {
                plain: format!(
                    "s² = Σw*(y − μ̂)² / (k − 1){at_least_1} = {s2}   SE = √(s² / Σw*) = {se}"
                ),
                tex: format!(
                    "s^2 = \\frac{{\\sum w_i^*(y_i - \\hat\\mu)^2}}{{k-1}} = {s2},\\quad SE = \\sqrt{{s^2 / \\sum w_i^*}} = {se}"
                ),
            },
        ];
    }
    vec![match config.method {
        CommonMethod::IV => Block::Math {
            plain: format!("SE = 1/√Σw{star} = {se}"),
            tex: format!("SE = \\frac{{1}}{{\\sqrt{{\\sum w_i{star}}}}} = {se}"),
        },
        _ => Block::Math {
            plain: format!("SE = {se}"),
            tex: format!("SE = {se}"),
        },
    }]
}

/// The z or t test of the pooled estimate and its confidence interval.
fn test_and_interval(cx: &Context) -> Vec<Block> {
    let (lang, result, n) = (cx.lang, cx.result, |x: f64| cx.n(x));
    let level = cx.config.level;
    let crit = match result.test {
        TestKind::Z => dist::z_crit(level),
        TestKind::T { df } => dist::t_crit(level, df),
    };
    let q_at = num(lang, 1.0 - (1.0 - level) / 2.0, 3);
    let (stat_name, crit_name) = match result.test {
        TestKind::Z => ("z", format!("z({q_at}) = {}", n(crit))),
        TestKind::T { df } => (
            "t",
            format!("t({q_at}; {}) = {}", count(lang, df, 3), n(crit)),
        ),
    };
    let mut b = Vec::new();
    if let (Some(st), Some(p)) = (result.statistic, result.p_value) {
        b.push(Block::Math {
            plain: format!(
                "{stat_name} = μ̂ / SE = {} / {} = {}   p {}",
                n(result.estimate),
                n(result.se),
                n(st),
                pval(lang, p)
            ),
            tex: format!(
                "{stat_name} = \\hat\\mu / SE = {},\\quad p {}",
                n(st),
                pval(lang, p)
            ),
        });
    }
    b.push(Block::Math {
        plain: format!(
            "c = {crit_name}   CI = μ̂ ± c × SE = {} ± {} × {} = [{}; {}]",
            n(result.estimate),
            n(crit),
            n(result.se),
            n(result.ci_low),
            n(result.ci_high)
        ),
        tex: format!(
            "CI = \\hat\\mu \\pm {} \\times SE = [{};\\ {}]",
            n(crit),
            n(result.ci_low),
            n(result.ci_high)
        ),
    });
    b
}

/// Section 7: the prediction interval of a random-effects model.
pub(super) fn prediction(cx: &Context, t2: f64) -> Vec<Block> {
    let (config, result, n) = (cx.config, cx.result, |x: f64| cx.n(x));
    let (true, Some((lo, hi))) = (cx.random, result.pi) else {
        return Vec::new();
    };
    let k = cx.k();
    let (pcrit, pname) = match (config.pi, result.test) {
        (PiMethod::Higgins, _) => (
            dist::t_crit(config.level, k as f64 - 2.0),
            format!("t({})", k - 2),
        ),
        (_, TestKind::T { df }) => (dist::t_crit(config.level, df), format!("t({df})")),
        _ => (dist::z_crit(config.level), "z".into()),
    };
    let mut b = vec![
        Block::Heading(cx.msg.pi_heading.into()),
        Block::Text(cx.msg.pi_intro.into()),
        Block::Math {
            plain: format!(
                "PI = μ̂ ± {pname} × √(τ² + SE²) = {} ± {} × √({} + {}) = [{}; {}]",
                n(result.estimate),
                n(pcrit),
                n(t2),
                n(result.se * result.se),
                n(lo),
                n(hi)
            ),
            tex: format!(
                "PI = \\hat\\mu \\pm {} \\sqrt{{\\tau^2 + SE^2}} = [{};\\ {}]",
                n(pcrit),
                n(lo),
                n(hi)
            ),
        },
    ];
    if config.measure.is_ratio() {
        b.push(Block::Text(format!(
            "exp: {} – {}",
            n(lo.exp()),
            n(hi.exp())
        )));
    }
    b
}

/// Section 8: i², from τ² or from Q, and the Cochrane Handbook's reading of it.
pub(super) fn i2(cx: &Context, t2: f64) -> Vec<Block> {
    if cx.k() <= 1 {
        return Vec::new();
    }
    let (msg, n) = (cx.msg, |x: f64| cx.n(x));
    let het = cx.result.heterogeneity;
    let i2 = num(cx.lang, het.i2_percent, 3);
    let mut b = vec![Block::Heading("I²".into())];
    if cx.random && cx.config.i2 == I2Method::Tau2 {
        let s2 = n(crate::pool::heterogeneity::typical_variance(&cx.v));
        b.push(Block::Text(msg.i2_tau2_intro.into()));
        b.push(Block::Math {
            plain: format!(
                "s² = (k − 1) / (Σw − Σw²/Σw) = {s2}   I² = τ² / (τ² + s²) = {} / ({} + {s2}) = {i2} %",
                n(t2),
                n(t2),
            ),
            tex: format!(
                "s^2 = \\frac{{k-1}}{{\\sum w_i - \\sum w_i^2/\\sum w_i}} = {s2},\\quad I^2 = \\frac{{\\tau^2}}{{\\tau^2 + s^2}} = {i2}\\,\\%",
            ),
        });
    } else {
        b.push(Block::Text(msg.i2_q_intro.into()));
        b.push(Block::Math {
            plain: format!(
                "I² = max(0, (Q − df) / Q) = ({} − {}) / {} = {i2} %",
                n(het.q),
                het.df,
                n(het.q),
            ),
            tex: format!("I^2 = \\max\\left(0, \\frac{{Q - df}}{{Q}}\\right) = {i2}\\,\\%"),
        });
    }
    // Cochrane Handbook 10.10.2: 0–40 % might not be important; 30–60 % moderate;
    // 50–90 % substantial; 75–100 % considerable (overlapping on purpose).
    let band = match het.i2_percent {
        x if x < 30.0 => 0,
        x if x < 50.0 => 1,
        x if x < 75.0 => 2,
        _ => 3,
    };
    b.push(Block::Text(fill(
        msg.i2_reading,
        &[("i2", &i2), ("band", msg.i2_bands[band])],
    )));
    b
}

/// Section 9: the clinical-relevance category of the estimate and its CI against `threshold`
/// (display scale; a ratio must be positive).
pub(super) fn relevance(cx: &Context, threshold: Option<f64>) -> Vec<Block> {
    let Some(t) = threshold else {
        return Vec::new();
    };
    let ratio = cx.config.measure.is_ratio();
    if ratio && t <= 0.0 {
        // Not a ratio threshold: nothing sensible to say.
        return Vec::new();
    }
    let g = |x: f64| if ratio { x.ln() } else { x };
    let null = if ratio { 1.0 } else { 0.0 };
    let r = cx.result;
    let cat: Relevance = relevance_category(r.estimate, r.ci_low, r.ci_high, g(t), g(null));
    vec![
        Block::Heading(cx.msg.relevance_heading.into()),
        Block::Text(crate::check::messages::relevance(cx.lang, cat, t)),
    ]
}

/// The notes of the pool (corrections, exclusions, boundary estimates).
pub(super) fn notes(cx: &Context) -> Vec<Block> {
    if cx.result.notes.is_empty() {
        return Vec::new();
    }
    let mut b = vec![Block::Heading(cx.msg.notes_heading.into())];
    b.extend(
        cx.result
            .notes
            .iter()
            .map(|note| Block::Text(note.message(cx.lang))),
    );
    b
}

/// The measure's name in the reader's language.
fn measure_name(cx: &Context) -> String {
    the_pooled(cx.lang, cx.config.measure).to_string()
}

/// The model: "random-effects", "common-effect (Mantel–Haenszel)", … .
fn model_name(cx: &Context) -> String {
    let method = match cx.config.method {
        CommonMethod::IV => cx.msg.inverse_variance,
        CommonMethod::MH => "Mantel–Haenszel",
        CommonMethod::Peto => "Peto",
    };
    match cx.config.model {
        Model::Fixed => fill(cx.msg.common_model, &[("method", method)]),
        Model::Random => cx.msg.random_model.to_string(),
    }
}

/// The name of a τ² estimator, the same in every language.
pub(super) fn tau2_name(m: crate::pool::Tau2Method) -> &'static str {
    use crate::pool::Tau2Method;
    match m {
        Tau2Method::DL => "DerSimonian–Laird (DL)",
        Tau2Method::REML => "REML",
        Tau2Method::ML => "ML",
        Tau2Method::PM => "Paule–Mandel (PM)",
        Tau2Method::HE => "Hedges (HE)",
        Tau2Method::SJ => "Sidik–Jonkman (SJ)",
        Tau2Method::EB => "empirical Bayes (EB)",
        Tau2Method::HS => "Hunter–Schmidt (HS)",
    }
}

/// The effect-size formula of a measure (plain, LaTeX); a, b, c, d are the cells of the 2×2
/// table (events and non-events, treatment then control).
fn effect_formula(m: Measure, smd: SmdCorrection, mdv: MdVariance) -> (String, String) {
    let (p, t): (&str, &str) = match m {
        Measure::LogRiskRatio => (
            "yᵢ = ln[(a/n₁) / (c/n₂)]   vᵢ = 1/a − 1/n₁ + 1/c − 1/n₂",
            "y_i = \\ln\\frac{a/n_1}{c/n_2},\\quad v_i = \\frac1a - \\frac1{n_1} + \\frac1c - \\frac1{n_2}",
        ),
        Measure::LogOddsRatio => (
            "yᵢ = ln[(a·d) / (b·c)]   vᵢ = 1/a + 1/b + 1/c + 1/d",
            "y_i = \\ln\\frac{ad}{bc},\\quad v_i = \\frac1a + \\frac1b + \\frac1c + \\frac1d",
        ),
        Measure::RiskDifference => (
            "yᵢ = a/n₁ − c/n₂   vᵢ = p₁(1 − p₁)/n₁ + p₂(1 − p₂)/n₂",
            "y_i = \\frac{a}{n_1} - \\frac{c}{n_2},\\quad v_i = \\frac{p_1(1-p_1)}{n_1} + \\frac{p_2(1-p_2)}{n_2}",
        ),
        Measure::MeanDifference => match mdv {
            MdVariance::Unequal => (
                "yᵢ = m₁ − m₂   vᵢ = sd₁²/n₁ + sd₂²/n₂",
                "y_i = m_1 - m_2,\\quad v_i = \\frac{sd_1^2}{n_1} + \\frac{sd_2^2}{n_2}",
            ),
            MdVariance::Pooled => (
                "sₚ² = ((n₁−1)sd₁² + (n₂−1)sd₂²)/(n₁+n₂−2)   yᵢ = m₁ − m₂   vᵢ = sₚ²·(1/n₁ + 1/n₂)   (pooled SD)",
                "s_p^2 = \\frac{(n_1-1)sd_1^2 + (n_2-1)sd_2^2}{n_1+n_2-2},\\quad y_i = m_1 - m_2,\\quad v_i = s_p^2\\left(\\frac1{n_1} + \\frac1{n_2}\\right)",
            ),
        },
        Measure::StandardizedMeanDifference => match smd {
            SmdCorrection::Exact => (
                "s = √[((n₁−1)sd₁² + (n₂−1)sd₂²)/(n₁+n₂−2)]   yᵢ = J·(m₁ − m₂)/s   vᵢ = 1/n₁ + 1/n₂ + yᵢ²/(2(n₁+n₂))   (J: Hedges' exact correction)",
                "s = \\sqrt{\\frac{(n_1-1)sd_1^2 + (n_2-1)sd_2^2}{n_1+n_2-2}},\\quad y_i = J\\,\\frac{m_1 - m_2}{s},\\quad v_i = \\frac1{n_1} + \\frac1{n_2} + \\frac{y_i^2}{2(n_1+n_2)}",
            ),
            SmdCorrection::Approx => (
                "s = √[((n₁−1)sd₁² + (n₂−1)sd₂²)/(n₁+n₂−2)]   yᵢ = (1 − 3/(4N − 9))·(m₁ − m₂)/s   vᵢ = N/(n₁n₂) + yᵢ²/(2(N − 3.94))",
                "s = \\sqrt{\\frac{(n_1-1)sd_1^2 + (n_2-1)sd_2^2}{n_1+n_2-2}},\\quad y_i = \\left(1 - \\frac{3}{4N-9}\\right)\\frac{m_1 - m_2}{s},\\quad v_i = \\frac{N}{n_1 n_2} + \\frac{y_i^2}{2(N-3.94)}",
            ),
        },
        Measure::LogHazardRatio | Measure::Generic => (
            "yᵢ, vᵢ as given (vᵢ = SEᵢ²)",
            "y_i,\\ v_i = SE_i^2 \\text{ as given}",
        ),
    };
    (p.to_string(), t.to_string())
}
