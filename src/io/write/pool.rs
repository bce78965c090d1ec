//! The rows of `repool pool` (`repool.pool.v1`): one [`AnalysisRow`] per analysis (or subgroup)
//! with its studies, built from a [`PooledEstimate`], its CSV row, and the streaming JSON
//! document.

use std::borrow::Cow;

use serde::Serialize;

use crate::pool::{Model, PooledEstimate, TestKind};

use super::csv_header;

/// Schema name written into every JSON document of `repool pool`.
pub const POOL_SCHEMA: &str = "repool.pool.v1";

/// The `repool.pool.v1` JSON document written one analysis at a time, so that memory does not
/// grow with the number of analyses: `{"schema":"repool.pool.v1","analyses":[`, one
/// [`AnalysisRow`] per line, `]}`.
#[derive(Debug, Default)]
pub struct PoolJson {
    rows: usize,
}

impl PoolJson {
    /// Writes the opening of the document.
    pub fn begin(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        write!(w, "{{\"schema\":\"{POOL_SCHEMA}\",\"analyses\":[")
    }

    /// Writes one analysis.
    pub fn row(
        &mut self,
        w: &mut impl std::io::Write,
        row: &AnalysisRow,
    ) -> serde_json::Result<()> {
        let sep: &[u8] = if self.rows == 0 { b"\n" } else { b",\n" };
        w.write_all(sep).map_err(serde_json::Error::io)?;
        serde_json::to_writer(&mut *w, row)?;
        self.rows += 1;
        Ok(())
    }

    /// Writes one analysis already serialized (by `serde_json::to_writer` of an
    /// [`AnalysisRow`]), with the separator [`PoolJson::row`] would write.
    pub fn row_bytes(&mut self, w: &mut impl std::io::Write, row: &[u8]) -> std::io::Result<()> {
        let sep: &[u8] = if self.rows == 0 { b"\n" } else { b",\n" };
        w.write_all(sep)?;
        w.write_all(row)?;
        self.rows += 1;
        Ok(())
    }

    /// Writes the end of the document.
    pub fn end(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        w.write_all(b"\n]}\n")
    }
}

/// Back-transformed values of a ratio measure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Display {
    /// `exp(estimate)`.
    pub estimate: f64,
    /// `exp(ci_low)`.
    pub ci_low: f64,
    /// `exp(ci_high)`.
    pub ci_high: f64,
    /// `exp(pi_low)`.
    pub pi_low: Option<f64>,
    /// `exp(pi_high)`.
    pub pi_high: Option<f64>,
}

/// One study in the JSON output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StudyRow {
    /// Label.
    pub study: String,
    /// Effect (analysis scale).
    pub yi: Option<f64>,
    /// Variance.
    pub vi: Option<f64>,
    /// Lower CI limit (analysis scale).
    pub ci_low: Option<f64>,
    /// Upper CI limit (analysis scale).
    pub ci_high: Option<f64>,
    /// Weight, percent.
    pub weight: f64,
    /// Whether a continuity correction was applied.
    pub corrected: bool,
    /// Why the study has no effect, if so.
    pub excluded: Option<String>,
}

/// The test for subgroup differences in the output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubgroupTestRow {
    /// Q between subgroups.
    pub q: f64,
    /// Its degrees of freedom.
    pub df: usize,
    /// p-value.
    pub p_value: f64,
    /// I² for subgroup differences, percent.
    pub i2: f64,
}

/// One analysis: every scalar of the result, `null` where unused.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct AnalysisRow {
    /// The `analysis` value (null without an analysis column).
    pub analysis: Option<String>,
    /// The subgroup (with `--by-subgroup`; null for all studies).
    pub subgroup: Option<String>,
    /// Test for subgroup differences (on the all-studies row with `--by-subgroup`).
    pub subgroup_test: Option<SubgroupTestRow>,
    /// Measure code.
    pub measure: Option<Cow<'static, str>>,
    /// `fixed` or `random`.
    pub model: Option<Cow<'static, str>>,
    /// `IV`, `MH` or `PETO`.
    pub method: Option<Cow<'static, str>>,
    /// τ² estimator (random effects).
    pub tau2_method: Option<Cow<'static, str>>,
    /// `z`, `hksj` or `hksj-adhoc`.
    pub ci_method: Option<Cow<'static, str>>,
    /// Confidence level, e.g. 0.95.
    pub level: Option<f64>,
    /// Studies in the analysis (for Mantel–Haenszel and Peto pools every 2×2 table, as
    /// metafor's `rma.mh()`/`rma.peto()` and RevMan count them).
    pub k: Option<usize>,
    /// Studies with an effect of their own, the ones in Q (`q_df = k_estimable - 1`).
    pub k_estimable: Option<usize>,
    /// Pooled estimate (analysis scale).
    pub estimate: Option<f64>,
    /// Its SE.
    pub se: Option<f64>,
    /// Lower CI limit.
    pub ci_low: Option<f64>,
    /// Upper CI limit.
    pub ci_high: Option<f64>,
    /// `z` or `t`.
    pub statistic_type: Option<Cow<'static, str>>,
    /// z or t value.
    pub statistic: Option<f64>,
    /// df of t (null for z).
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
    /// τ².
    pub tau2: Option<f64>,
    /// τ.
    pub tau: Option<f64>,
    /// Iterations of the τ² estimator.
    pub tau2_iterations: Option<usize>,
    /// Cochran's Q.
    pub q: Option<f64>,
    /// df of Q.
    pub q_df: Option<usize>,
    /// p of Q.
    pub q_p: Option<f64>,
    /// I², percent.
    pub i2: Option<f64>,
    /// `tau2` or `q`.
    pub i2_method: Option<Cow<'static, str>>,
    /// H².
    pub h2: Option<f64>,
    /// Q-profile CI of τ², lower limit.
    pub tau2_ci_low: Option<f64>,
    /// Q-profile CI of τ², upper limit.
    pub tau2_ci_high: Option<f64>,
    /// I² at the lower τ² limit (percent).
    pub i2_ci_low: Option<f64>,
    /// I² at the upper τ² limit (percent).
    pub i2_ci_high: Option<f64>,
    /// H² at the lower τ² limit.
    pub h2_ci_low: Option<f64>,
    /// H² at the upper τ² limit.
    pub h2_ci_high: Option<f64>,
    /// Higgins–Thompson CI of I², lower limit (percent).
    pub i2_ht_ci_low: Option<f64>,
    /// Higgins–Thompson CI of I², upper limit (percent).
    pub i2_ht_ci_high: Option<f64>,
    /// Lower prediction limit.
    pub pi_low: Option<f64>,
    /// Upper prediction limit.
    pub pi_high: Option<f64>,
    /// `metafor` or `higgins`.
    pub pi_method: Option<Cow<'static, str>>,
    /// `log` for ratio measures, else `linear`.
    pub scale: Option<Cow<'static, str>>,
    /// Back-transformed values for ratio measures.
    pub display: Option<Display>,
    /// Studies.
    pub studies: Vec<StudyRow>,
    /// Notes.
    pub notes: Vec<String>,
    /// Error message, null when the analysis was pooled.
    pub error: Option<String>,
}

/// A CSV row of `repool pool`: the scalar fields of an [`AnalysisRow`] as cells (empty for
/// null, numbers with full precision); the field names are the header.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AnalysisCsvRow {
    analysis: String,
    measure: String,
    model: String,
    method: String,
    tau2_method: String,
    ci_method: String,
    level: String,
    k: String,
    estimate: String,
    se: String,
    ci_low: String,
    ci_high: String,
    statistic_type: String,
    statistic: String,
    df: String,
    p_value: String,
    tau2: String,
    tau: String,
    tau2_iterations: String,
    q: String,
    q_df: String,
    q_p: String,
    i2: String,
    i2_method: String,
    h2: String,
    pi_low: String,
    pi_high: String,
    pi_method: String,
    scale: String,
    display_estimate: String,
    display_ci_low: String,
    display_ci_high: String,
    display_pi_low: String,
    display_pi_high: String,
    notes: String,
    error: String,
    subgroup: String,
    subgroup_q: String,
    subgroup_df: String,
    subgroup_p: String,
    subgroup_i2: String,
    tau2_ci_low: String,
    tau2_ci_high: String,
    i2_ci_low: String,
    i2_ci_high: String,
    h2_ci_low: String,
    h2_ci_high: String,
    i2_ht_ci_low: String,
    i2_ht_ci_high: String,
    k_estimable: String,
}

impl AnalysisRow {
    /// The row of a pooled analysis without its per-study rows (enough for CSV output, and
    /// cheaper for large batches).
    pub fn summary_of(name: Option<String>, r: &PooledEstimate) -> AnalysisRow {
        AnalysisRow::build(name, r, false)
    }

    /// The row of a pooled analysis.
    pub fn from_result(name: Option<String>, r: &PooledEstimate) -> AnalysisRow {
        AnalysisRow::build(name, r, true)
    }

    fn build(name: Option<String>, r: &PooledEstimate, with_studies: bool) -> AnalysisRow {
        let c = &r.config;
        let ratio = c.measure.is_ratio();
        let (df, stype) = match r.test {
            TestKind::Z => (None, "z"),
            TestKind::T { df } => (Some(df), "t"),
        };
        let random = c.model == Model::Random;
        AnalysisRow {
            analysis: name,
            subgroup: None,
            subgroup_test: None,
            measure: Some(c.measure.code().into()),
            model: Some(c.model.code().into()),
            method: Some(c.method.code().into()),
            tau2_method: random.then(|| c.tau2_method.code().into()),
            ci_method: Some(c.ci.code().into()),
            level: Some(c.level),
            k: Some(r.k),
            k_estimable: Some(r.k_estimable),
            estimate: Some(r.estimate),
            se: Some(r.se),
            ci_low: Some(r.ci_low),
            ci_high: Some(r.ci_high),
            statistic_type: Some(stype.into()),
            statistic: r.statistic,
            df,
            p_value: r.p_value,
            tau2: r.tau2,
            tau: r.tau(),
            tau2_iterations: r.tau2_iterations,
            q: Some(r.heterogeneity.q),
            q_df: Some(r.heterogeneity.df),
            q_p: Some(r.heterogeneity.p_value),
            i2: Some(r.heterogeneity.i2_percent),
            i2_method: Some(
                match (c.i2, random) {
                    (crate::pool::I2Method::Tau2, true) => "tau2",
                    _ => "q",
                }
                .into(),
            ),
            h2: Some(r.heterogeneity.h2),
            tau2_ci_low: r.tau2_ci.map(|c| c.0),
            tau2_ci_high: r.tau2_ci.map(|c| c.1),
            i2_ci_low: r.i2_ci.map(|c| c.0),
            i2_ci_high: r.i2_ci.map(|c| c.1),
            h2_ci_low: r.h2_ci.map(|c| c.0),
            h2_ci_high: r.h2_ci.map(|c| c.1),
            i2_ht_ci_low: r.i2_ht_ci.map(|c| c.0),
            i2_ht_ci_high: r.i2_ht_ci.map(|c| c.1),
            pi_low: r.pi.map(|p| p.0),
            pi_high: r.pi.map(|p| p.1),
            pi_method: r.pi.map(|_| {
                match c.pi {
                    crate::pool::PiMethod::Metafor => "metafor",
                    crate::pool::PiMethod::Higgins => "higgins",
                }
                .into()
            }),
            scale: Some(if ratio { "log" } else { "linear" }.into()),
            display: ratio.then(|| {
                let d = |x: f64| c.measure.display(x);
                Display {
                    estimate: d(r.estimate),
                    ci_low: d(r.ci_low),
                    ci_high: d(r.ci_high),
                    pi_low: r.pi.map(|p| d(p.0)),
                    pi_high: r.pi.map(|p| d(p.1)),
                }
            }),
            studies: if !with_studies {
                Vec::new()
            } else {
                r.studies
                    .iter()
                    .map(|s| StudyRow {
                        study: s.label.clone(),
                        yi: s.effect.map(|e| e.yi()),
                        vi: s.effect.map(|e| e.vi()),
                        ci_low: s.ci.map(|c| c.0),
                        ci_high: s.ci.map(|c| c.1),
                        weight: s.weight_percent,
                        corrected: s.corrected,
                        excluded: s.excluded.clone(),
                    })
                    .collect()
            },
            notes: r.notes.iter().map(ToString::to_string).collect(),
            error: None,
        }
    }

    /// The row of an analysis that failed.
    pub fn from_error(name: Option<String>, message: String) -> AnalysisRow {
        AnalysisRow {
            analysis: name,
            error: Some(message),
            ..AnalysisRow::default()
        }
    }

    /// The CSV header of [`AnalysisRow::csv_record`].
    pub fn csv_header() -> Vec<String> {
        csv_header::<AnalysisCsvRow>()
    }

    /// Appends the cells of [`AnalysisRow::csv_record`] and the record's end to `out`: the same
    /// bytes as [`super::csv_writer`]'s `serialize(self.csv_record())`, without a `String` per
    /// cell or the CSV writer's per-cell state (numbers never need quotes; text is quoted as
    /// the CSV writer quotes it, see [`Cells::text`]).
    pub fn push_csv(&self, out: &mut Vec<u8>) {
        let mut c = Cells { out, first: true };
        let d = self.display.as_ref();
        let t = self.subgroup_test.as_ref();
        c.text(self.analysis.as_deref());
        for x in [&self.measure, &self.model, &self.method] {
            c.text(x.as_deref());
        }
        c.text(self.tau2_method.as_deref());
        c.text(self.ci_method.as_deref());
        c.num(self.level);
        c.count(self.k);
        for x in [self.estimate, self.se, self.ci_low, self.ci_high] {
            c.num(x);
        }
        c.text(self.statistic_type.as_deref());
        for x in [self.statistic, self.df, self.p_value, self.tau2, self.tau] {
            c.num(x);
        }
        c.count(self.tau2_iterations);
        c.num(self.q);
        c.count(self.q_df);
        c.num(self.q_p);
        c.num(self.i2);
        c.text(self.i2_method.as_deref());
        for x in [self.h2, self.pi_low, self.pi_high] {
            c.num(x);
        }
        c.text(self.pi_method.as_deref());
        c.text(self.scale.as_deref());
        c.num(d.map(|d| d.estimate));
        c.num(d.map(|d| d.ci_low));
        c.num(d.map(|d| d.ci_high));
        c.num(d.and_then(|d| d.pi_low));
        c.num(d.and_then(|d| d.pi_high));
        if self.notes.len() <= 1 {
            c.text(self.notes.first().map(String::as_str));
        } else {
            c.text(Some(&self.notes.join("; ")));
        }
        c.text(self.error.as_deref());
        c.text(self.subgroup.as_deref());
        c.num(t.map(|t| t.q));
        c.count(t.map(|t| t.df));
        c.num(t.map(|t| t.p_value));
        c.num(t.map(|t| t.i2));
        for x in [
            self.tau2_ci_low,
            self.tau2_ci_high,
            self.i2_ci_low,
            self.i2_ci_high,
        ] {
            c.num(x);
        }
        for x in [
            self.h2_ci_low,
            self.h2_ci_high,
            self.i2_ht_ci_low,
            self.i2_ht_ci_high,
        ] {
            c.num(x);
        }
        c.count(self.k_estimable);
        c.out.push(b'\n');
    }

    /// The scalar fields as CSV cells (empty for null), numbers with full precision; written
    /// by [`super::csv_writer`]'s `serialize`.
    pub fn csv_record(&self) -> AnalysisCsvRow {
        fn s<T: AsRef<str>>(x: &Option<T>) -> String {
            x.as_ref()
                .map(|x| x.as_ref().to_string())
                .unwrap_or_default()
        }
        fn f(x: Option<f64>) -> String {
            x.map(|v| format!("{v}")).unwrap_or_default()
        }
        fn u(x: Option<usize>) -> String {
            x.map(|v| v.to_string()).unwrap_or_default()
        }
        let d = self.display.as_ref();
        AnalysisCsvRow {
            analysis: s(&self.analysis),
            measure: s(&self.measure),
            model: s(&self.model),
            method: s(&self.method),
            tau2_method: s(&self.tau2_method),
            ci_method: s(&self.ci_method),
            level: f(self.level),
            k: u(self.k),
            estimate: f(self.estimate),
            se: f(self.se),
            ci_low: f(self.ci_low),
            ci_high: f(self.ci_high),
            statistic_type: s(&self.statistic_type),
            statistic: f(self.statistic),
            df: f(self.df),
            p_value: f(self.p_value),
            tau2: f(self.tau2),
            tau: f(self.tau),
            tau2_iterations: u(self.tau2_iterations),
            q: f(self.q),
            q_df: u(self.q_df),
            q_p: f(self.q_p),
            i2: f(self.i2),
            i2_method: s(&self.i2_method),
            h2: f(self.h2),
            pi_low: f(self.pi_low),
            pi_high: f(self.pi_high),
            pi_method: s(&self.pi_method),
            scale: s(&self.scale),
            display_estimate: f(d.map(|d| d.estimate)),
            display_ci_low: f(d.map(|d| d.ci_low)),
            display_ci_high: f(d.map(|d| d.ci_high)),
            display_pi_low: f(d.and_then(|d| d.pi_low)),
            display_pi_high: f(d.and_then(|d| d.pi_high)),
            notes: self.notes.join("; "),
            error: s(&self.error),
            subgroup: s(&self.subgroup),
            subgroup_q: f(self.subgroup_test.as_ref().map(|t| t.q)),
            subgroup_df: u(self.subgroup_test.as_ref().map(|t| t.df)),
            subgroup_p: f(self.subgroup_test.as_ref().map(|t| t.p_value)),
            subgroup_i2: f(self.subgroup_test.as_ref().map(|t| t.i2)),
            tau2_ci_low: f(self.tau2_ci_low),
            tau2_ci_high: f(self.tau2_ci_high),
            i2_ci_low: f(self.i2_ci_low),
            i2_ci_high: f(self.i2_ci_high),
            h2_ci_low: f(self.h2_ci_low),
            h2_ci_high: f(self.h2_ci_high),
            i2_ht_ci_low: f(self.i2_ht_ci_low),
            i2_ht_ci_high: f(self.i2_ht_ci_high),
            k_estimable: u(self.k_estimable),
        }
    }
}

/// The cells of one CSV record being appended to a buffer, separated by commas.
struct Cells<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl Cells<'_> {
    fn separate(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.out.push(b',');
        }
    }

    /// A text cell (empty for `None`), quoted as [`super::csv_writer`] quotes: when it holds a
    /// comma, a double quote, a carriage return or a line feed, inside double quotes with
    /// each double quote doubled.
    fn text(&mut self, x: Option<&str>) {
        self.separate();
        let bytes = x.unwrap_or("").as_bytes();
        if !bytes
            .iter()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        {
            self.out.extend_from_slice(bytes);
            return;
        }
        self.out.push(b'"');
        for &b in bytes {
            if b == b'"' {
                self.out.push(b'"');
            }
            self.out.push(b);
        }
        self.out.push(b'"');
    }

    /// A number with all its digits (empty for `None`), by [`push_f64`].
    fn num(&mut self, x: Option<f64>) {
        self.separate();
        if let Some(v) = x {
            push_f64(self.out, v);
        }
    }

    /// A count (empty for `None`).
    fn count(&mut self, x: Option<usize>) {
        self.separate();
        if let Some(v) = x {
            let mut digits = [0u8; 20];
            let mut i = digits.len();
            let mut n = v;
            loop {
                i -= 1;
                digits[i] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            self.out.extend_from_slice(&digits[i..]);
        }
    }
}

/// Appends `x` exactly as `format!("{x}")` writes it (the shortest decimal digits that read
/// back as `x`, never an exponent: `0.0000001`, `1e21` as `1000000000000000000000`, `-0`, `NaN`,
/// `inf`), but from the digits of `zmij` (the Żmij algorithm), which are the same shortest
/// digits found several times faster than by the standard library's Grisu with its Dragon
/// fallback, and faster than by Ryū.
pub fn push_f64(out: &mut Vec<u8>, x: f64) {
    if !x.is_finite() {
        out.extend_from_slice(if x.is_nan() {
            b"NaN"
        } else if x > 0.0 {
            b"inf"
        } else {
            b"-inf"
        });
        return;
    }
    if may_tie(x) {
        use std::io::Write as _;
        let _ = write!(out, "{x}");
        return;
    }
    let mut buf = zmij::Buffer::new();
    let s = buf.format_finite(x).as_bytes();
    // `zmij` writes most numbers of a result (`-0.123`, `45.6`) as `format!` does; only its
    // exponents and the `.0` of whole numbers need rewriting.
    // (An exponent is at most `e-324`: only the last five bytes can hold its `e`.)
    if !s[s.len().saturating_sub(5)..].contains(&b'e') && !s.ends_with(b".0") {
        out.extend_from_slice(s);
        return;
    }
    let (s, negative) = match s.split_first() {
        Some((b'-', rest)) => (rest, true),
        _ => (s, false),
    };
    // `zmij` writes `d.ddd`, `0.000ddd`, `ddd.0` or `d.ddde-N`, `d.ddde+N`: gather the digits and where the
    // decimal point falls among them.
    let (mantissa, exp) = match s.iter().position(|&b| b == b'e') {
        Some(i) => (&s[..i], parse_exp(&s[i + 1..])),
        None => (s, 0),
    };
    let mut digits = [0u8; 32];
    let mut n = 0usize;
    let mut point = None;
    for &b in mantissa {
        if b == b'.' {
            point = Some(n);
        } else {
            digits[n] = b;
            n += 1;
        }
    }
    let mut point = point.unwrap_or(n) as i32 + exp;
    let mut start = 0usize;
    while start < n && digits[start] == b'0' {
        start += 1;
        point -= 1;
    }
    while n > start && digits[n - 1] == b'0' {
        n -= 1;
    }
    if negative {
        out.push(b'-');
    }
    let d = &digits[start..n];
    if d.is_empty() {
        out.push(b'0');
    } else if point <= 0 {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + (-point) as usize, b'0');
        out.extend_from_slice(d);
    } else if point as usize >= d.len() {
        out.extend_from_slice(d);
        out.resize(out.len() + point as usize - d.len(), b'0');
    } else {
        out.extend_from_slice(&d[..point as usize]);
        out.push(b'.');
        out.extend_from_slice(&d[point as usize..]);
    }
}

/// Whether `x` might lie exactly halfway between its two nearest shortest decimals, where
/// `zmij` may pick the even one, and `format!` picks the one away from zero.
///
/// `x` is `m 2^-k` with `m` odd. A tie needs the exact decimal expansion of `x` to have at
/// most 18 significant digits (one more than the at most 17 of the shortest), and `m 5^k`,
/// those digits (it is odd, so no trailing zero), has more than `k log10 5` of them: more
/// than 18 when `k >= 26`. Integers (`k <= 0`) and zero are left to `format!` as well; the
/// numbers of a pooled result have `k` near 52 and never come here.
fn may_tie(x: f64) -> bool {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    if m == 0 {
        return true;
    }
    let k = -(e + i64::from(m.trailing_zeros()));
    k < 26
}

/// The exponent after `zmij`'s `e`: an optional sign and decimal digits.
fn parse_exp(s: &[u8]) -> i32 {
    let (digits, sign) = match s.split_first() {
        Some((b'-', rest)) => (rest, -1),
        Some((b'+', rest)) => (rest, 1),
        _ => (s, 1),
    };
    sign * digits
        .iter()
        .fold(0i32, |acc, &b| acc * 10 + i32::from(b - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn check(x: f64) {
        let mut out = Vec::new();
        push_f64(&mut out, x);
        assert_eq!(std::str::from_utf8(&out).unwrap(), format!("{x}"), "{x:e}");
    }

    #[test]
    fn push_f64_writes_what_display_writes() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.95,
            1e-7,
            1e21,
            1e22,
            1e15,
            1e16,
            1e17,
            123456789.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            5e-324,
            -5e-324,
            // Exactly halfway between two shortest decimals: the one away from zero.
            -(98_591_400_462_446.0 + 0.625),
            0.5,
            2.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check(x);
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20);
        for _ in 0..400_000 {
            // Any bit pattern: tiny, huge, subnormal, negative.
            check(f64::from_bits(rng.gen()));
            // Values like the ones in the output, with every count of significant digits.
            let x: f64 = rng.gen_range(-1000.0..1000.0) * 10f64.powi(rng.gen_range(-12..12));
            check(x);
            let digits = rng.gen_range(1..=17);
            check(format!("{x:.*e}", digits - 1).parse().unwrap());
            check(rng.gen_range(0u64..100_000) as f64 / 10f64.powi(rng.gen_range(0..8)));
        }
    }

    #[test]
    fn push_csv_writes_what_serialize_writes() {
        let full = AnalysisRow {
            analysis: Some("a, \"quoted\"".into()),
            measure: Some("RR".into()),
            level: Some(0.95),
            k: Some(10),
            estimate: Some(-0.0),
            se: Some(1e-9),
            tau2: Some(0.0),
            q: Some(1e300),
            display: Some(Display {
                estimate: 1.5,
                ci_low: 0.25,
                ci_high: 3.0,
                pi_low: None,
                pi_high: Some(7.0),
            }),
            subgroup_test: Some(SubgroupTestRow {
                q: 2.5,
                df: 3,
                p_value: 0.04,
                i2: 12.5,
            }),
            notes: vec!["one".into(), "two; three".into()],
            error: Some("line\nbreak".into()),
            k_estimable: Some(9),
            ..AnalysisRow::default()
        };
        let one_note = AnalysisRow {
            notes: vec!["only".into()],
            ..AnalysisRow::default()
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut random_text = || -> Option<String> {
            let n = rng.gen_range(0..6);
            (n > 0).then(|| {
                (0..n)
                    .map(|_| ['a', ',', '"', '\r', '\n', ';', ' ', 'é'][rng.gen_range(0..8)])
                    .collect()
            })
        };
        let mut rows = vec![AnalysisRow::default(), full, one_note];
        for i in 0..300 {
            rows.push(AnalysisRow {
                analysis: random_text(),
                measure: random_text().map(Into::into),
                error: random_text(),
                subgroup: random_text(),
                notes: random_text().into_iter().collect(),
                k: Some(i * 7919),
                q_df: Some(i),
                tau2_iterations: (i % 2 == 0).then_some(usize::MAX - i),
                ..AnalysisRow::default()
            });
        }
        for row in rows {
            let mut a = super::super::csv_writer(Vec::new());
            a.serialize(row.csv_record()).unwrap();
            let mut b = Vec::new();
            row.push_csv(&mut b);
            assert_eq!(a.into_inner().unwrap(), b);
        }
    }
}
