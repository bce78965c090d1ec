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
use crate::format::Lang;
use crate::i18n;
use crate::pool::bias::{FunnelLimits, TrimFill};
use crate::pool::PooledEstimate;
use crate::Measure;

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
    let f = Funnel::new(r, trimfill.map(|(t, _)| t), title.is_some());
    let mut items = Vec::new();
    f.background(contours, &mut items);
    f.pseudo_confidence_limits(&mut items);
    f.axes(lang, &mut items);
    let points = f.studies(&mut items);
    let mut height = Y0 + H + 44.0 + f.top;
    let mut width = X0 + W + 20.0;
    // A line of small text under the plot; `widen`: the canvas widens to hold it.
    let mut note = |text: String, widen: bool, items: &mut Vec<Item>| {
        if widen {
            width = width.max(text_width(&text, 10.0, false) + 24.0);
        }
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
    };
    if contours {
        note(contour_legend(lang).into(), false, &mut items);
    }
    if let Some((t, estimator)) = trimfill {
        note(trimfill_note(lang, t.k0, estimator), true, &mut items);
    }
    if let Some(t) = title {
        let (item, w) = title_item(t);
        items.push(item);
        width = width.max(w);
    }
    if contours {
        // The contour legend's room is that of the English one, in every language.
        width = width.max(text_width(contour_legend(Lang::En), 10.0, false) + 24.0);
    }
    FunnelLayout {
        width: width.ceil(),
        height: height.ceil(),
        items,
        x_range: f.x_range,
        se_max: f.se_max,
        points,
    }
}

/// What the parts of the funnel plot share: the studies, the centre and the axes.
struct Funnel {
    measure: Measure,
    /// Quantile of the pseudo-confidence limits.
    limits: FunnelLimits,
    /// Each study's effect (analysis scale) and SE.
    pts: Vec<(f64, f64)>,
    /// The studies filled in by trim-and-fill: effect and SE.
    filled: Vec<(f64, f64)>,
    /// The centre of the funnel: the pooled (or trim-and-fill adjusted) estimate.
    mu: f64,
    /// The largest SE on the axis.
    se_max: f64,
    /// The effect axis' range on the display scale.
    x_range: (f64, f64),
    /// Its ticks.
    ticks: Vec<f64>,
    /// The range on the analysis scale.
    alo: f64,
    ahi: f64,
    /// Room for the title above the plot, px.
    top: f64,
}

impl Funnel {
    fn new(r: &PooledEstimate, trimfill: Option<&TrimFill>, titled: bool) -> Funnel {
        let measure = r.config.measure;
        let pts: Vec<(f64, f64)> = r
            .studies
            .iter()
            .filter_map(|s| s.effect.map(|e| (e.yi(), e.se())))
            .collect();
        let se_raw = pts.iter().map(|p| p.1).fold(0.0, f64::max);
        let se_max = nice_se(se_raw * 1.05);
        let filled: Vec<(f64, f64)> = trimfill
            .map(|t| t.filled.iter().map(|&(y, v)| (y, v.sqrt())).collect())
            .unwrap_or_default();
        let mu = trimfill.map_or(r.estimate, |t| t.estimate);
        let limits = FunnelLimits::pseudo_confidence(mu, r.config.level);
        let mut vals: Vec<f64> = pts.iter().chain(&filled).map(|p| p.0).collect();
        let (lo, hi) = limits.at(se_max);
        vals.extend([lo, hi]);
        let ((xlo, xhi), ticks) = axis(measure.is_ratio(), &vals, &vals, None);
        Funnel {
            measure,
            limits,
            pts,
            filled,
            mu,
            se_max,
            x_range: (xlo, xhi),
            ticks,
            alo: measure.from_display(xlo),
            ahi: measure.from_display(xhi),
            top: if titled { 24.0 } else { 0.0 },
        }
    }

    /// x of an effect (analysis scale), px.
    fn px(&self, v: f64) -> f64 {
        X0 + (v - self.alo) / (self.ahi - self.alo) * W
    }

    /// y of a standard error, px (0 at the top).
    fn py(&self, se: f64) -> f64 {
        Y0 + se / self.se_max * H + self.top
    }

    /// The plot's background, and the significance contours around the null.
    fn background(&self, contours: bool, items: &mut Vec<Item>) {
        items.push(Item::Rect {
            x: X0,
            y: Y0 + self.top,
            w: W,
            h: H,
            fill: if contours { "#f2f2f2" } else { "#ffffff" },
        });
        if !contours {
            return;
        }
        for (p, fill) in [(0.01, "#bfbfbf"), (0.05, "#8c8c8c"), (0.10, "#ffffff")] {
            let (lo, hi) = FunnelLimits::significance_contour(p).at(self.se_max);
            let triangle = [
                (self.px(0.0), self.py(0.0)),
                (self.px(lo), self.py(self.se_max)),
                (self.px(hi), self.py(self.se_max)),
            ];
            items.push(Item::Polygon {
                points: clip(&triangle, X0, X0 + W),
                fill,
                stroke: fill,
            });
        }
    }

    /// The funnel `μ̂ ± z SE` (dashed, ending where it leaves the plot) and the vertical line
    /// at `μ̂`.
    fn pseudo_confidence_limits(&self, items: &mut Vec<Item>) {
        let (mu, limits, se_max) = (self.mu, self.limits, self.se_max);
        let side_of = |(lo, hi): (f64, f64), side: f64| if side < 0.0 { lo } else { hi };
        let line = |x2: f64, y2: f64, dash: Option<&'static str>| Item::Line {
            x1: self.px(mu),
            y1: self.py(0.0),
            x2,
            y2,
            stroke: "#000000",
            width: 0.8,
            dash,
        };
        for side in [-1.0, 1.0] {
            let end = side_of(limits.at(se_max), side);
            let se_at = if end < self.alo || end > self.ahi {
                limits.se_at(side_of((self.alo, self.ahi), side))
            } else {
                se_max
            };
            let x2 = if se_at < se_max {
                self.px(side_of(limits.at(se_at), side))
            } else {
                self.px(end).clamp(X0, X0 + W)
            };
            items.push(line(x2, self.py(se_at), Some("4,3")));
        }
        items.push(line(self.px(mu), self.py(se_max), None));
    }

    /// The frame, the ticks of both axes and the axis titles.
    fn axes(&self, lang: Lang, items: &mut Vec<Item>) {
        let top = self.top;
        let line = |x1, y1, x2, y2| Item::Line {
            x1,
            y1,
            x2,
            y2,
            stroke: "#000000",
            width: 0.8,
            dash: None,
        };
        let text = |x, y, text: String, bold, anchor| Item::Text {
            x,
            y,
            text,
            size: 11.0,
            bold,
            anchor,
            fill: "#000000",
        };
        items.push(line(X0, Y0 + H + top, X0 + W, Y0 + H + top));
        items.push(line(X0, Y0 + top, X0, Y0 + H + top));
        for &t in &self.ticks {
            let x = self.px(self.measure.from_display(t));
            items.push(line(x, Y0 + H + top, x, Y0 + H + 4.0 + top));
            let label = tick_label(lang, t);
            items.push(text(x, Y0 + H + 16.0 + top, label, false, Anchor::Middle));
        }
        for k in 0..=4 {
            let se = self.se_max * k as f64 / 4.0;
            let y = self.py(se);
            items.push(line(X0 - 4.0, y, X0, y));
            items.push(text(
                X0 - 7.0,
                y + 4.0,
                tick_label(lang, se),
                false,
                Anchor::End,
            ));
        }
        let log = i18n::text(lang, "funnel.log_scale");
        let ratio = self.measure.is_ratio();
        let xlabel = measure_name(lang, self.measure).to_string() + if ratio { log } else { "" };
        items.push(text(
            X0 + W / 2.0,
            Y0 + H + 34.0 + top,
            xlabel,
            true,
            Anchor::Middle,
        ));
        let ylabel = i18n::text(lang, "funnel.standard_error");
        items.push(text(
            12.0,
            Y0 - 12.0 + top,
            ylabel.into(),
            true,
            Anchor::Start,
        ));
    }

    /// The filled-in studies as open circles, then the studies as dots (those inside the
    /// plot); returns every study's position.
    fn studies(&self, items: &mut Vec<Item>) -> Vec<(f64, f64)> {
        let circle = |cx, cy, fill, stroke| Item::Circle {
            cx,
            cy,
            r: 3.5,
            fill,
            stroke,
        };
        for &(y, se) in &self.filled {
            let (cx, cy) = (self.px(y), self.py(se));
            if (X0..=X0 + W).contains(&cx) {
                items.push(circle(cx, cy, "#ffffff", "#1f3b73"));
            }
        }
        let mut points = Vec::new();
        for &(y, se) in &self.pts {
            let (cx, cy) = (self.px(y), self.py(se));
            if (X0..=X0 + W).contains(&cx) {
                items.push(circle(cx, cy, "#1f3b73", "#ffffff"));
            }
            points.push((cx, cy));
        }
        points
    }
}

/// The legend of the significance contours.
fn contour_legend(lang: Lang) -> &'static str {
    i18n::text(lang, "funnel.contours")
}

/// The note on the `k0` studies filled in by trim-and-fill.
fn trimfill_note(lang: Lang, k0: usize, estimator: &str) -> String {
    i18n::count_with(
        lang,
        "funnel.trimfill",
        k0 as u64,
        &[("estimator", estimator)],
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trimfill_note_counts_in_the_singular_and_the_plural() {
        for (lang, one, two) in [
            (Lang::En, "1 study filled in", "2 studies filled in"),
            (Lang::Nl, "1 studie aangevuld", "2 studies aangevuld"),
            (Lang::Fr, "1 étude ajoutée", "2 études ajoutées"),
        ] {
            assert!(trimfill_note(lang, 1, "L0").contains(one), "{lang:?}");
            assert!(trimfill_note(lang, 2, "L0").contains(two), "{lang:?}");
        }
    }
}
