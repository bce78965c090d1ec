//! Recomputes every stored result in the real RevMan 5 files of `../shared/revman-samples/rm5`
//! (test material that is not part of the project; the test says so and passes trivially
//! only when that folder is absent) and in the committed Fleiss 1993 example.

mod util;

use repool::io::revman::read_rm5;
use repool::reproduce::check_review;

fn check_file(path: &std::path::Path) -> (usize, usize, Vec<String>) {
    let bytes = std::fs::read(path).unwrap();
    let review = read_rm5(&bytes, &path.display().to_string()).unwrap();
    let checks = check_review(&review);
    let compared = checks.iter().filter(|c| c.reproduced.is_some()).count();
    let failures: Vec<String> = checks
        .iter()
        .filter(|c| c.reproduced == Some(false))
        .map(|c| {
            format!(
                "{} {}.{}.{:?} {} [{} {} {}]: {}",
                path.file_name().unwrap().to_string_lossy(),
                c.comparison_no,
                c.outcome_no,
                c.subgroup_no,
                c.name,
                c.measure,
                c.method,
                c.model,
                c.differences.join("; ")
            )
        })
        .collect();
    (checks.len(), compared, failures)
}

#[test]
fn fleiss1993_is_reproduced() {
    let (n, compared, failures) = check_file(&util::repo_path("tests/fixtures/Fleiss1993.rm5"));
    assert_eq!(n, 2);
    assert_eq!(compared, 1, "the CONT outcome stores nothing");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_stored_result_in_the_sample_reviews_is_reproduced() {
    let dir = util::repo_path("../shared/revman-samples/rm5");
    if !dir.is_dir() {
        eprintln!(
            "skipped: {} not found (test material beside the project)",
            dir.display()
        );
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rm5"))
        .collect();
    files.sort();
    let (mut total, mut compared, mut failures) = (0, 0, Vec::new());
    for f in &files {
        let (n, c, fl) = check_file(f);
        total += n;
        compared += c;
        failures.extend(fl);
    }
    eprintln!(
        "{} analyses, {compared} compared with RevMan's stored results, {} not reproduced",
        total,
        failures.len()
    );
    assert!(compared > 900, "only {compared} compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} not reproduced:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_comparison_can_fail() {
    // A stored value changed by 1e-4 relative must be reported as not reproduced.
    let bytes = std::fs::read(util::repo_path("tests/fixtures/Fleiss1993.rm5")).unwrap();
    let text = String::from_utf8_lossy(&bytes).replace(
        "EFFECT_SIZE=\"0.8968655609130709\"",
        "EFFECT_SIZE=\"0.8969552474691622\"",
    );
    let review = read_rm5(text.as_bytes(), "changed.rm5").unwrap();
    let checks = check_review(&review);
    let c = checks.iter().find(|c| c.reproduced.is_some()).unwrap();
    assert_eq!(c.reproduced, Some(false));
    assert!(
        c.differences[0].starts_with("estimate"),
        "{:?}",
        c.differences
    );
}

#[test]
fn own_fixture_covers_the_traps() {
    // tests/fixtures/traps.rm5: ISO-8859-1, escaped IDs, NaN / -Infinity / empty attributes,
    // TOTALS="SUB", a generic inverse-variance outcome with log data and an EFFECT_MEASURE
    // element, a broken number, and an IPD outcome.
    let bytes = std::fs::read(util::repo_path("tests/fixtures/traps.rm5")).unwrap();
    let review = read_rm5(&bytes, "traps.rm5").unwrap();
    assert_eq!(review.title, "Fixture: RevMan traps");
    assert_eq!(review.outcomes.len(), 3);
    assert_eq!(
        review.skipped.len(),
        1,
        "the IPD outcome is reported as skipped"
    );
    let deaths = &review.outcomes[0];
    assert_eq!(deaths.groups.len(), 2);
    assert_eq!(deaths.groups[0].studies[0].label, "André A-1");
    assert_eq!(deaths.groups[0].studies[0].year, Some(2001));
    assert_eq!(deaths.total.tau2, None, "NaN is no number");
    assert_eq!(deaths.total.estimate, None, "empty means nothing stored");
    let hr = &review.outcomes[2];
    assert!(hr.log_scale);
    assert_eq!(hr.measure, repool::Measure::LogHazardRatio);
    assert_eq!(hr.measure_label, "Hazard Ratio");
    let pain = &review.outcomes[1];
    assert!(
        pain.error
            .as_deref()
            .unwrap()
            .contains("SD_1=\"abc\" is not a number"),
        "{:?}",
        pain.error
    );
    assert!(
        pain.error
            .as_deref()
            .unwrap()
            .contains("traps.rm5: comparison 1, outcome 2, <CONT_DATA> of study Costa")
            || pain
                .error
                .as_deref()
                .unwrap()
                .contains("<CONT_DATA> of study STD-C"),
        "{:?}",
        pain.error
    );
    let checks = check_review(&review);
    // Subgroups and the (SUB) total are recomputed; nothing is stored to compare with.
    let deaths_checks: Vec<_> = checks.iter().filter(|c| c.outcome_no == 1).collect();
    assert_eq!(deaths_checks.len(), 3);
    assert!(deaths_checks.iter().all(|c| c.reproduced.is_none()));
    // The double-zero study is not estimable for RR: the early subgroup has 2 studies, as
    // RevMan counts them, of which 1 is estimable; Q has df 0.
    assert_eq!(deaths_checks[0].k, 2);
    assert_eq!(deaths_checks[0].k_estimable, 1);
    assert_eq!(
        deaths_checks[0].recomputed.as_ref().and_then(|v| v.df),
        Some(0.0)
    );
    assert!(deaths_checks[0]
        .pooled
        .as_ref()
        .unwrap()
        .notes
        .iter()
        .any(|n| n.contains("1 study not estimable") && n.ends_with(": Bauer")));
    assert!(
        checks
            .iter()
            .any(|c| c.outcome_no == 2 && c.error.is_some()),
        "the broken outcome is reported"
    );
    assert!(
        checks.iter().any(|c| c.outcome_no == 3 && c.k == 2),
        "the other outcomes are still processed"
    );
}

#[test]
fn csv_export_and_data_package_of_fleiss1993_are_reproduced_at_printed_precision() {
    use repool::io::revman_csv::{read_data_package, read_revman_csv};
    let text =
        std::fs::read_to_string(util::repo_path("tests/fixtures/Fleiss1993_CR.csv")).unwrap();
    let review = read_revman_csv(&text, "Fleiss1993_CR.csv").unwrap();
    assert_eq!(review.outcomes.len(), 2);
    // Q / P(Q) / I²(Q) are heterogeneity in the CSV export.
    assert_eq!(review.outcomes[0].total.q, Some(9.94605598));
    let checks = check_review(&review);
    assert!(
        checks.iter().all(|c| c.reproduced == Some(true)),
        "{:#?}",
        checks.iter().map(|c| &c.differences).collect::<Vec<_>>()
    );
    // One printed digit changed is found.
    let changed = text.replace("0.89686556", "0.89686566");
    let checks = check_review(&read_rm_csv(&changed));
    assert_eq!(checks[0].reproduced, Some(false));

    let pkg = read_data_package(&util::repo_path("tests/fixtures/fleiss1993-datapackage")).unwrap();
    let checks = check_review(&pkg);
    assert_eq!(
        checks[0].reproduced,
        Some(true),
        "{:?}",
        checks[0].differences
    );
    assert_eq!(
        checks[1].reproduced, None,
        "0 everywhere means nothing computed"
    );
}

fn read_rm_csv(text: &str) -> repool::io::revman::RmReview {
    repool::io::revman_csv::read_revman_csv(text, "changed.csv").unwrap()
}
