//! Using repool as a library: read a bundled dataset, pool it with metafor's defaults and
//! check a published claim against the pooled result.
//!
//! ```text
//! cargo run --example pool_and_check
//! cargo run --no-default-features --example pool_and_check   # the library alone
//! ```
//!
//! The data are the 13 BCG vaccine trials (Colditz et al., JAMA 1994; `metadat::dat.bcg`);
//! the claim is the abstract's pooled risk ratio, 0.49 (95% CI 0.34 to 0.70).

use repool::check::{check, Claim, ClaimMeasure, Lang, Reported};
use repool::io::read::{read_str, ReadOptions};
use repool::pool::{pool, PoolConfig};
use repool::Measure;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Read: the input schema of `repool pool` (study, events_t, n_t, events_c, n_c).
    let file = "datasets/bcg/data.csv";
    let text = std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR")))?;
    let measure = Measure::LogRiskRatio;
    let opts = ReadOptions {
        measure: Some(measure),
        ..ReadOptions::default()
    };
    let analyses = read_str(&text, file, &opts)?;
    let studies = analyses[0].studies.as_ref().map_err(|e| e.to_string())?;

    // Pool: metafor's rma() defaults (random effects, REML, z CI, 95%).
    let pooled = pool(studies, &PoolConfig::metafor(measure))?;
    let (estimate, low, high) = (
        measure.display(pooled.estimate),
        measure.display(pooled.ci_low),
        measure.display(pooled.ci_high),
    );
    println!(
        "{file}: k = {}, RR {estimate:.4} (95% CI {low:.4} to {high:.4}), tau^2 = {:.4}, I^2 = {:.1}%",
        pooled.k,
        pooled.tau2.unwrap_or(0.0),
        pooled.heterogeneity.i2_percent,
    );

    // Check the claim: is it consistent in itself (a symmetric CI on the log scale)?
    let printed = |s: &str| Reported::parse(s).ok_or_else(|| format!("not a number: {s}"));
    let claim = Claim {
        id: "Colditz 1994, abstract".into(),
        measure: ClaimMeasure::RR,
        estimate: printed("0.49")?,
        ci_low: printed("0.34")?,
        ci_high: printed("0.70")?,
        level: 0.95,
        p: None,
        df: None,
        threshold: None,
        verdict: None,
    };
    let result = check(&claim, Lang::En)?;
    println!("claim: {}: RR 0.49 (95% CI 0.34 to 0.70)", claim.id);
    if result.flags.is_empty() {
        println!(
            "  consistent in itself (implied SE on the log scale {:.4})",
            result.implied_se
        );
    }
    for flag in &result.flags {
        println!("  {}: {}", flag.code.code(), flag.message);
    }

    // ... and against the pooled result: does each recomputed number round to the printed one?
    let mut all = true;
    for (what, reported, value) in [
        ("estimate", claim.estimate, estimate),
        ("lower limit", claim.ci_low, low),
        ("upper limit", claim.ci_high, high),
    ] {
        let rounds = reported.lo() <= value && value <= reported.hi();
        all &= rounds;
        println!(
            "  {what}: printed {}, recomputed {value:.4}: {}",
            reported.printed(),
            if rounds { "rounds to it" } else { "differs" }
        );
    }
    println!(
        "{}",
        if all {
            "the pooled result reproduces the claim"
        } else {
            "the pooled result does not reproduce the claim"
        }
    );
    Ok(())
}
