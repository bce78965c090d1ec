//! The rows of the forest plot from top to bottom: per group a heading (with subgroups),
//! its studies and its pool; then the overall pool and the test for subgroup differences.
//! A pool is one diamond per model, the prediction interval, the total events, and the
//! heterogeneity and overall-effect lines of each model.

use super::text::Forest;
use super::Pooled;
use crate::pool::PooledEstimate;

/// One row, before it is placed.
pub(super) enum Row {
    /// A subgroup heading.
    Heading(String),
    /// The study at this index of the input.
    Study { idx: usize },
    /// A pooled result (a diamond), with its totals cells and weight.
    Pooled {
        label: String,
        res: PooledEstimate,
        cells: Vec<String>,
        weight: Option<String>,
    },
    /// A subgroup whose pool failed, and why.
    NotEstimable { label: String, reason: String },
    /// The prediction interval of a random-effects pool.
    Prediction { res: PooledEstimate },
    /// A line of text.
    Text(String),
    /// Half a row of space between subgroups.
    Blank,
}

impl Row {
    /// Whether the row has something on the plot (the null and threshold lines run behind
    /// such rows).
    pub fn in_plot(&self) -> bool {
        matches!(
            self,
            Row::Study { .. }
                | Row::Pooled { .. }
                | Row::Prediction { .. }
                | Row::NotEstimable { .. }
        )
    }
}

/// The rows of the plot.
pub(super) fn plan(f: &Forest) -> Vec<Row> {
    let (input, l) = (f.input, &f.l);
    let mut rows = Vec::new();
    for g in &input.groups {
        if input.has_subgroups {
            rows.push(Row::Heading(
                g.name.clone().unwrap_or_else(|| l.no_subgroup.to_string()),
            ));
        }
        rows.extend(g.indices.iter().map(|&idx| Row::Study { idx }));
        if input.has_subgroups {
            let w: f64 = g.indices.iter().map(|&i| f.weight_of(i)).sum();
            match &g.pooled {
                Ok(p) if p.primary().is_some() => {
                    pool_rows(f, &mut rows, p, &g.indices, l.subtotal, Some(w))
                }
                Ok(_) => {}
                Err(reason) => rows.push(Row::NotEstimable {
                    label: format!("{} ({})", l.subtotal, f.ci_label),
                    reason: reason.clone(),
                }),
            }
            rows.push(Row::Blank);
        }
    }
    let all: Vec<usize> = (0..input.studies.len()).collect();
    pool_rows(f, &mut rows, &input.overall, &all, l.total_row, Some(100.0));
    if let Some(t) = f.subgroup_test_line() {
        rows.push(Row::Text(t));
    }
    rows
}

/// The rows of one pool of the studies `idx`: a diamond per model (the totals cells and
/// `weight` on the first), the prediction interval, the total events, and the heterogeneity
/// and test lines of each model (marked with the model when there are two).
fn pool_rows(
    f: &Forest,
    rows: &mut Vec<Row>,
    pooled: &Pooled,
    idx: &[usize],
    total_label: &str,
    weight: Option<f64>,
) {
    let both = pooled.fixed.is_some() && pooled.random.is_some();
    let models = || {
        [pooled.fixed.as_ref(), pooled.random.as_ref()]
            .into_iter()
            .flatten()
    };
    for (n, r) in models().enumerate() {
        let label = if both {
            format!("{total_label}, {}", f.model_name(r.config.model))
        } else {
            format!("{total_label} ({})", f.ci_label)
        };
        rows.push(Row::Pooled {
            label,
            res: r.clone(),
            cells: if n == 0 {
                f.total_cells(idx)
            } else {
                vec![String::new(); f.n_arm()]
            },
            weight: weight.filter(|_| n == 0).map(|w| f.weight_text(w)),
        });
    }
    if let Some(r) = pooled.random.as_ref().filter(|r| r.pi.is_some()) {
        if r.k_estimable < 2 {
            // One study: no between-study spread to predict from (RevMan: not applicable).
            let l = &f.l;
            rows.push(Row::Text(format!(
                "{}: {}",
                l.prediction_interval, l.not_applicable
            )));
        } else {
            rows.push(Row::Prediction { res: r.clone() });
        }
    }
    if let Some(e) = f.events_line(idx) {
        rows.push(Row::Text(e));
    }
    for r in models() {
        let suffix = if both {
            format!(" [{}]", f.model_name(r.config.model))
        } else {
            String::new()
        };
        rows.push(Row::Text(format!("{}{suffix}", f.heterogeneity_line(r))));
        rows.push(Row::Text(format!("{}{suffix}", f.test_line(r))));
    }
}
