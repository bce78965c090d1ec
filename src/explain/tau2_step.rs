//! Section 4, the between-study variance τ²: the estimator's formula with the numbers (closed
//! forms), or its estimating equation and the steps the solver took
//! ([`tau2::estimate_observed`], the same computation as the pool's).

use super::{small, Block, Context};
use crate::i18n::fill_template as fill;
use crate::pool::tau2::{self, Tau2Method};

/// The τ² section of a random-effects model with more than one study; `t2` is the pool's
/// estimate.
pub(super) fn tau2(cx: &Context, t2: f64) -> Vec<Block> {
    let method = cx.config.tau2_method;
    let mut b = vec![
        Block::Heading(cx.msg.tau2_heading.into()),
        Block::Text(cx.msg.tau2_intro.into()),
    ];
    match method {
        Tau2Method::DL | Tau2Method::HS | Tau2Method::HE | Tau2Method::SJ => {
            b.extend(closed_form(cx, method, t2))
        }
        Tau2Method::REML | Tau2Method::ML | Tau2Method::PM | Tau2Method::EB => {
            b.extend(iterative(cx, method, t2))
        }
    }
    b.push(Block::Math {
        plain: format!("τ = √τ² = {}", cx.n(t2.sqrt())),
        tex: format!("\\hat\\tau = {}", cx.n(t2.sqrt())),
    });
    b
}

/// The formula of a closed-form estimator with the numbers plugged in, and its reference.
fn closed_form(cx: &Context, method: Tau2Method, t2: f64) -> Vec<Block> {
    let n = |x: f64| cx.n(x);
    let (y, v) = (&cx.y, &cx.v);
    let k = y.len() as f64;
    let q = cx.result.heterogeneity.q;
    let (math, reference) = match method {
        Tau2Method::DL => {
            let sw: f64 = v.iter().map(|vi| 1.0 / vi).sum();
            let sw2: f64 = v.iter().map(|vi| 1.0 / vi).map(|x| x * x).sum();
            let c = sw - sw2 / sw;
            (Block::Math {
                plain: format!(
                    "C = Σw − Σw²/Σw = {} − {}/{} = {}   τ² = max(0, (Q − (k − 1)) / C) = max(0, ({} − {}) / {}) = {}",
                    n(sw), n(sw2), n(sw), n(c), n(q), k - 1.0, n(c), n(t2)
                ),
                tex: format!(
                    "C = \\sum w_i - \\frac{{\\sum w_i^2}}{{\\sum w_i}} = {},\\quad \\hat\\tau^2 = \\max\\left(0, \\frac{{Q - (k-1)}}{{C}}\\right) = \\max\\left(0, \\frac{{{} - {}}}{{{}}}\\right) = {}",
                    n(c), n(q), k - 1.0, n(c), n(t2)
                ),
            }, "DerSimonian R, Laird N (1986). Control Clin Trials 7:177–188; Cochrane Handbook 10.10.4.1.")
        }
        Tau2Method::HS => {
            let sw: f64 = v.iter().map(|vi| 1.0 / vi).sum();
            (Block::Math {
                plain: format!(
                    "τ² = max(0, (Q − k) / Σw) = max(0, ({} − {}) / {}) = {}",
                    n(q),
                    k,
                    n(sw),
                    n(t2)
                ),
                tex: format!(
                    "\\hat\\tau^2 = \\max\\left(0, \\frac{{Q - k}}{{\\sum w_i}}\\right) = {}",
                    n(t2)
                ),
            }, "Hunter JE, Schmidt FL (2004). Methods of Meta-Analysis, 2nd ed. Sage; metafor rma(method = \"HS\").")
        }
        Tau2Method::HE => {
            let (_, ss) = tau2::unweighted(y);
            let mv = v.iter().sum::<f64>() / k;
            (Block::Math {
                plain: format!(
                    "τ² = max(0, Σ(yᵢ − ȳ)²/(k − 1) − mean(vᵢ)) = max(0, {} − {}) = {}",
                    n(ss / (k - 1.0)), n(mv), n(t2)
                ),
                tex: format!(
                    "\\hat\\tau^2 = \\max\\left(0, \\frac{{\\sum (y_i - \\bar y)^2}}{{k-1}} - \\bar v\\right) = \\max(0, {} - {}) = {}",
                    n(ss / (k - 1.0)), n(mv), n(t2)
                ),
            }, "Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis. Academic Press; metafor rma(method = \"HE\").")
        }
        _ => {
            let (_, ss) = tau2::unweighted(y);
            let t0 = ss / k;
            (Block::Math {
                plain: format!(
                    "τ₀² = Σ(yᵢ − ȳ)²/k = {}   τ² = τ₀² · Σ (yᵢ − μ̂₀)²/(vᵢ + τ₀²) / (k − 1) = {}",
                    n(t0), n(t2)
                ),
                tex: format!(
                    "\\tau_0^2 = \\frac{{\\sum (y_i - \\bar y)^2}}{{k}} = {},\\quad \\hat\\tau^2 = \\frac{{\\tau_0^2}}{{k-1}} \\sum \\frac{{(y_i - \\hat\\mu_0)^2}}{{v_i + \\tau_0^2}} = {}",
                    n(t0), n(t2)
                ),
            }, "Sidik K, Jonkman JN (2005). Simple heterogeneity variance estimation for meta-analysis. J R Stat Soc C 54:367–384.")
        }
    };
    vec![math, Block::Text(reference.into())]
}

/// The estimating equation of an iterative estimator, the table of the solver's steps, a
/// second maximum of the likelihood when there is one, and the reference.
fn iterative(cx: &Context, method: Tau2Method, t2: f64) -> Vec<Block> {
    let msg = cx.msg;
    let (plain, tex, what) = match method {
        Tau2Method::REML => (
            "Σ wᵢ*²(yᵢ − μ̂)² − (Σwᵢ* − Σwᵢ*²/Σwᵢ*) = 0,   wᵢ* = 1/(vᵢ + τ²)",
            "\\sum w_i^{*2}(y_i - \\hat\\mu)^2 - \\left(\\sum w_i^* - \\frac{\\sum w_i^{*2}}{\\sum w_i^*}\\right) = 0",
            msg.reml_equation,
        ),
        Tau2Method::ML => (
            "Σ wᵢ*²(yᵢ − μ̂)² − Σwᵢ* = 0,   wᵢ* = 1/(vᵢ + τ²)",
            "\\sum w_i^{*2}(y_i - \\hat\\mu)^2 - \\sum w_i^* = 0",
            msg.ml_equation,
        ),
        _ => (
            "Q(τ²) = Σ wᵢ*(yᵢ − μ̂)² = k − 1,   wᵢ* = 1/(vᵢ + τ²)",
            "Q(\\tau^2) = \\sum w_i^*(y_i - \\hat\\mu)^2 = k - 1",
            msg.pm_equation,
        ),
    };
    let mut b = vec![
        Block::Text(format!("{what}{}", msg.by_iteration)),
        Block::Math {
            plain: plain.into(),
            tex: tex.into(),
        },
    ];
    let mut steps: Vec<tau2::Step> = Vec::new();
    let fit = tau2::estimate_observed(method, &cx.y, &cx.v, &mut steps);
    if matches!(method, Tau2Method::REML | Tau2Method::ML) {
        b.push(Block::Text(msg.scan.into()));
    }
    let other = fit.as_ref().ok().and_then(|fit| fit.other);
    b.push(match fit {
        Ok(_) if !steps.is_empty() => steps_table(cx, &steps),
        _ => Block::Text(msg.zero_at_start.into()),
    });
    b.push(Block::Math {
        plain: format!("τ² = {}", cx.n(t2)),
        tex: format!("\\hat\\tau^2 = {}", cx.n(t2)),
    });
    if let Some(o) = other {
        b.push(Block::Text(bimodal(cx, o.tau2, o.loglik_gap)));
    }
    b.push(Block::Text(match method {
        Tau2Method::REML => "Viechtbauer W (2005). J Educ Behav Stat 30:261–293; metafor rma(method = \"REML\").",
        Tau2Method::ML => "Hardy RJ, Thompson SG (1996). Stat Med 15:619–629; metafor rma(method = \"ML\").",
        _ => "Paule RC, Mandel J (1982). J Res Natl Bur Stand 87:377–385; Cochrane Handbook 10.10.4.1.",
    }.into()));
    b
}

/// The solver's steps: τ² and the value of the estimating equation at each.
fn steps_table(cx: &Context, steps: &[tau2::Step]) -> Block {
    Block::Table {
        head: vec![
            cx.msg.step.into(),
            "τ²".into(),
            cx.msg.equation_column.into(),
        ],
        rows: steps
            .iter()
            .enumerate()
            .map(|(i, s)| vec![(i + 1).to_string(), cx.n(s.tau2), small(cx.lang, s.value)])
            .collect(),
    }
}

/// The sentence that names a second maximum of the likelihood, at `tau2`, `gap`
/// log-likelihood units lower.
fn bimodal(cx: &Context, tau2: f64, gap: f64) -> String {
    let num4 = |x: f64, d: usize| crate::format::fmt_num(cx.lang, x, d);
    let t = match tau2 == 0.0 {
        true => "0".into(),
        false => num4(tau2, 4),
    };
    fill(cx.msg.bimodal, &[("tau2", &t), ("gap", &num4(gap, 2))])
}
