//! Funnel plots: each study's effect against its standard error (0 at the top), with
//! pseudo-confidence limits `μ̂ ± z SE` around the pooled estimate, and optionally the
//! contour-enhanced version (shading where a study would be significant at 10 %, 5 %, 1 %
//! around the null).
//!
//! # References
//! - Sterne JAC, Egger M (2001). Funnel plots for detecting bias in meta-analysis:
//!   guidelines on choice of axis. J Clin Epidemiol 54:1046–1055.
//! - Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L (2008). Contour-enhanced
//!   meta-analysis funnel plots help distinguish publication bias from other causes of
//!   asymmetry. J Clin Epidemiol 61:991–996.
//! - Cochrane Handbook, version 6.4 (2023), section 13.3.5.2; metafor `funnel()`.

use super::axis::{axis, tick_label};
use super::font::text_width;
use super::labels::measure_name;
use super::primitives::{title_item, Anchor, Canvas, Item};
use crate::dist;
use crate::format::Lang;
use crate::pool::bias::TrimFill;
use crate::pool::PooledEstimate;

/// A funnel plot.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelLayout {
    /// Canvas width, px.
    pub width: f64,
    /// Canvas height, px.
    pub height: f64,
    /// Drawing primitives.
    pub items: Vec<Item>,
    /// Axis range of the effect on the display scale.
    pub x_range: (f64, f64),
    /// Largest SE on the axis.
    pub se_max: f64,
    /// Points in px, one per study with an effect.
    pub points: Vec<(f64, f64)>,
}

impl Canvas for FunnelLayout {
    fn width(&self) -> f64 {
        self.width
    }
    fn height(&self) -> f64 {
        self.height
    }
    fn items(&self) -> &[Item] {
        &self.items
    }
}

const X0: f64 = 70.0;
const W: f64 = 380.0;
const Y0: f64 = 40.0;
const H: f64 = 300.0;

/// Lays out the funnel plot of a pooled result. With `trimfill` (the result and the name of
/// its estimator) the studies it filled in are drawn as open circles and the funnel is
/// centred on the adjusted estimate, as metafor's `funnel(trimfill(...))`.
pub fn funnel_layout(
    r: &PooledEstimate,
    lang: Lang,
    contours: bool,
    title: Option<&str>,
    trimfill: Option<(&TrimFill, &str)>,
) -> FunnelLayout {
    let ratio = r.config.measure.is_ratio();
    let z = dist::z_crit(r.config.level);
    let pts: Vec<(f64, f64)> = r
        .studies
        .iter()
        .filter_map(|s| s.effect.map(|e| (e.yi(), e.se())))
        .collect();
    let se_raw = pts.iter().map(|p| p.1).fold(0.0, f64::max);
    let se_max = nice_se(se_raw * 1.05);
    let filled: Vec<(f64, f64)> = trimfill
        .map(|(t, _)| t.filled.iter().map(|&(y, v)| (y, v.sqrt())).collect())
        .unwrap_or_default();
    let mu = trimfill.map_or(r.estimate, |(t, _)| t.estimate);
    let mut vals: Vec<f64> = pts.iter().chain(&filled).map(|p| p.0).collect();
    vals.extend([mu - z * se_max, mu + z * se_max]);
    let ((xlo, xhi), ticks) = axis(ratio, &vals, &vals, None);
    let a = |v: f64| if ratio { v.ln() } else { v };
    let (alo, ahi) = (a(xlo), a(xhi));
    let px = |v: f64| X0 + (v - alo) / (ahi - alo) * W;
    let py = |se: f64| Y0 + se / se_max * H;
    let mut items = Vec::new();
    let top = if title.is_some() { 24.0 } else { 0.0 };
    // Background and contours.
    items.push(Item::Rect {
        x: X0,
        y: Y0 + top,
        w: W,
        h: H,
        fill: if contours { "#f2f2f2" } else { "#ffffff" },
    });
    let tri = |centre: f64, z: f64| -> Vec<(f64, f64)> {
        clip(
            &[
                (px(centre), py(0.0) + top),
                (px(centre - z * se_max), py(se_max) + top),
                (px(centre + z * se_max), py(se_max) + top),
            ],
            X0,
            X0 + W,
        )
    };
    if contours {
        for (p, fill) in [(0.01, "#bfbfbf"), (0.05, "#8c8c8c"), (0.10, "#ffffff")] {
            let zc = dist::z_crit(1.0 - p);
            items.push(Item::Polygon {
                points: tri(0.0, zc),
                fill,
                stroke: fill,
            });
        }
    }
    // Pseudo-confidence funnel around the estimate.
    for side in [-1.0, 1.0] {
        let x2 = px(mu + side * z * se_max).clamp(X0, X0 + W);
        let se_at = if (mu + side * z * se_max) < alo || (mu + side * z * se_max) > ahi {
            ((if side < 0.0 { alo } else { ahi }) - mu).abs() / z
        } else {
            se_max
        };
        let x2 = if se_at < se_max {
            px(mu + side * z * se_at)
        } else {
            x2
        };
        items.push(Item::Line {
            x1: px(mu),
            y1: py(0.0) + top,
            x2,
            y2: py(se_at) + top,
            stroke: "#000000",
            width: 0.8,
            dash: Some("4,3"),
        });
    }
    items.push(Item::Line {
        x1: px(mu),
        y1: py(0.0) + top,
        x2: px(mu),
        y2: py(se_max) + top,
        stroke: "#000000",
        width: 0.8,
        dash: None,
    });
    // Frame and axes.
    items.push(Item::Line {
        x1: X0,
        y1: Y0 + H + top,
        x2: X0 + W,
        y2: Y0 + H + top,
        stroke: "#000000",
        width: 0.8,
        dash: None,
    });
    items.push(Item::Line {
        x1: X0,
        y1: Y0 + top,
        x2: X0,
        y2: Y0 + H + top,
        stroke: "#000000",
        width: 0.8,
        dash: None,
    });
    for &t in &ticks {
        let x = px(a(t));
        items.push(Item::Line {
            x1: x,
            y1: Y0 + H + top,
            x2: x,
            y2: Y0 + H + 4.0 + top,
            stroke: "#000000",
            width: 0.8,
            dash: None,
        });
        items.push(Item::Text {
            x,
            y: Y0 + H + 16.0 + top,
            text: tick_label(lang, t),
            size: 11.0,
            bold: false,
            anchor: Anchor::Middle,
            fill: "#000000",
        });
    }
    for k in 0..=4 {
        let se = se_max * k as f64 / 4.0;
        let y = py(se) + top;
        items.push(Item::Line {
            x1: X0 - 4.0,
            y1: y,
            x2: X0,
            y2: y,
            stroke: "#000000",
            width: 0.8,
            dash: None,
        });
        items.push(Item::Text {
            x: X0 - 7.0,
            y: y + 4.0,
            text: tick_label(lang, se),
            size: 11.0,
            bold: false,
            anchor: Anchor::End,
            fill: "#000000",
        });
    }
    let log = match lang {
        Lang::En => " (log scale)",
        Lang::Nl => " (logschaal)",
        Lang::Fr => " (échelle log)",
    };
    let xlabel = measure_name(lang, r.config.measure).to_string() + if ratio { log } else { "" };
    items.push(Item::Text {
        x: X0 + W / 2.0,
        y: Y0 + H + 34.0 + top,
        text: xlabel,
        size: 11.0,
        bold: true,
        anchor: Anchor::Middle,
        fill: "#000000",
    });
    let ylabel = match lang {
        Lang::En => "Standard error",
        Lang::Nl => "Standaardfout",
        Lang::Fr => "Erreur standard",
    };
    items.push(Item::Text {
        x: 12.0,
        y: Y0 - 12.0 + top,
        text: ylabel.into(),
        size: 11.0,
        bold: true,
        anchor: Anchor::Start,
        fill: "#000000",
    });
    let mut points = Vec::new();
    for &(y, se) in &filled {
        let (cx, cy) = (px(y), py(se) + top);
        if (X0..=X0 + W).contains(&cx) {
            items.push(Item::Circle {
                cx,
                cy,
                r: 3.5,
                fill: "#ffffff",
                stroke: "#1f3b73",
            });
        }
    }
    for &(y, se) in &pts {
        let (cx, cy) = (px(y), py(se) + top);
        if (X0..=X0 + W).contains(&cx) {
            items.push(Item::Circle {
                cx,
                cy,
                r: 3.5,
                fill: "#1f3b73",
                stroke: "#ffffff",
            });
        }
        points.push((cx, cy));
    }
    let mut height = Y0 + H + 44.0 + top;
    if contours {
        let legend = match lang {
            Lang::En => "white: p > 0.10; dark grey: 0.05 < p < 0.10; grey: 0.01 < p < 0.05; light: p < 0.01",
            Lang::Nl => "wit: p > 0,10; donkergrijs: 0,05 < p < 0,10; grijs: 0,01 < p < 0,05; licht: p < 0,01",
            Lang::Fr => "blanc : p > 0,10 ; gris foncé : 0,05 < p < 0,10 ; gris : 0,01 < p < 0,05 ; clair : p < 0,01",
        };
        items.push(Item::Text {
            x: 12.0,
            y: height + 8.0,
            text: legend.into(),
            size: 10.0,
            bold: false,
            anchor: Anchor::Start,
            fill: "#000000",
        });
        height += 14.0;
    }
    let mut width = X0 + W + 20.0;
    if let Some((t, estimator)) = trimfill {
        let text = match lang {
            Lang::En => format!(
                "open circles: {} studies filled in by trim-and-fill ({estimator}); funnel centred on the adjusted estimate",
                t.k0
            ),
            Lang::Nl => format!(
                "open cirkels: {} studies aangevuld door trim-and-fill ({estimator}); trechter rond de aangepaste schatting",
                t.k0
            ),
            Lang::Fr => format!(
                "cercles vides : {} études ajoutées par trim-and-fill ({estimator}) ; entonnoir centré sur l'estimation ajustée",
                t.k0
            ),
        };
        width = width.max(text_width(&text, 10.0, false) + 24.0);
        items.push(Item::Text {
            x: 12.0,
            y: height + 8.0,
            text,
            size: 10.0,
            bold: false,
            anchor: Anchor::Start,
            fill: "#000000",
        });
        height += 14.0;
    }
    if let Some(t) = title {
        let (item, w) = title_item(t);
        items.push(item);
        width = width.max(w);
    }
    if contours {
        width = width.max(text_width("white: p > 0.10; dark grey: 0.05 < p < 0.10; grey: 0.01 < p < 0.05; light: p < 0.01", 10.0, false) + 24.0);
    }
    FunnelLayout {
        width: width.ceil(),
        height: height.ceil(),
        items,
        x_range: (xlo, xhi),
        se_max,
        points,
    }
}

fn nice_se(x: f64) -> f64 {
    if !(x > 0.0) {
        return 1.0;
    }
    let e = 10f64.powf(x.log10().floor());
    for f in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if f * e >= x {
            return f * e;
        }
    }
    10.0 * e
}

/// Clips a polygon to the vertical band `x0 ≤ x ≤ x1` (Sutherland–Hodgman).
fn clip(poly: &[(f64, f64)], x0: f64, x1: f64) -> Vec<(f64, f64)> {
    let mut out = poly.to_vec();
    for (edge, keep_greater) in [(x0, true), (x1, false)] {
        let input = std::mem::take(&mut out);
        let inside = |p: &(f64, f64)| {
            if keep_greater {
                p.0 >= edge
            } else {
                p.0 <= edge
            }
        };
        for i in 0..input.len() {
            let (cur, prev) = (input[i], input[(i + input.len() - 1) % input.len()]);
            let cross = |a: (f64, f64), b: (f64, f64)| {
                let t = (edge - a.0) / (b.0 - a.0);
                (edge, a.1 + t * (b.1 - a.1))
            };
            match (inside(&cur), inside(&prev)) {
                (true, true) => out.push(cur),
                (true, false) => {
                    out.push(cross(prev, cur));
                    out.push(cur);
                }
                (false, true) => out.push(cross(prev, cur)),
                (false, false) => {}
            }
        }
    }
    out
}
