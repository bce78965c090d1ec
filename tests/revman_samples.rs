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
            .contains("traps.rm5:24: comparison 1, outcome 2, <CONT_DATA> of study Costa"),
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
        .map(ToString::to_string)
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

/// The Fleiss 1993 review with `from` replaced by `to` (which must occur once).
fn fleiss_with(from: &str, to: &str) -> String {
    let bytes = std::fs::read(util::repo_path("tests/fixtures/Fleiss1993.rm5")).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    text.replace(from, to)
}

#[test]
fn pooled_cis_are_recomputed_at_the_outcomes_ci_total() {
    let ci = |text: &str| {
        let review = read_rm5(text.as_bytes(), "level.rm5").unwrap();
        let checks = check_review(&review);
        let c = checks.iter().find(|c| c.outcome_no == 1).unwrap();
        let p = c.pooled.as_ref().expect("pooled");
        (
            p.estimate,
            p.ci_low,
            p.ci_high,
            c.reproduced,
            c.error.clone(),
        )
    };
    let as_stored = ci(&fleiss_with(
        "CI_STUDY=\"95\" CI_TOTAL=\"95\" DF=\"6\"",
        "CI_STUDY=\"95\" CI_TOTAL=\"95\" DF=\"6\"",
    ));
    assert_eq!(as_stored.3, Some(true));
    // The stored CI is the 95% one, so at 99% it is not reproduced, and is wider by
    // z(0.995) / z(0.975) on the log scale.
    let at_99 = ci(&fleiss_with(
        "CI_STUDY=\"95\" CI_TOTAL=\"95\" DF=\"6\"",
        "CI_STUDY=\"95\" CI_TOTAL=\"99\" DF=\"6\"",
    ));
    assert_eq!(at_99.3, Some(false));
    assert_eq!(at_99.0, as_stored.0);
    let ratio = (at_99.2 - at_99.1) / (as_stored.2 - as_stored.1);
    assert!(
        (ratio - 2.5758293035489004 / 1.959963984540054).abs() < 1e-12,
        "{ratio}"
    );
    // A level that is not one is an error naming it.
    let review = read_rm5(
        fleiss_with(
            "CI_STUDY=\"95\" CI_TOTAL=\"95\" DF=\"6\"",
            "CI_STUDY=\"95\" CI_TOTAL=\"abc\" DF=\"6\"",
        )
        .as_bytes(),
        "level.rm5",
    )
    .unwrap();
    let checks = check_review(&review);
    let e = checks[0].error.as_deref().unwrap_or("");
    assert!(
        e.contains("CI_TOTAL=\"abc\" is not a confidence level"),
        "{e}"
    );
}

#[test]
fn invalid_data_rows_are_errors_naming_file_line_and_value() {
    // Such rows used to be dropped as not estimable (events above the total, an empty
    // number) or used as if the value were positive (a negative SD or SE), without a word.
    let cases = [
        (
            fleiss_with("EVENTS_1=\"49\" EVENTS_2=\"67\"", "EVENTS_1=\"649\" EVENTS_2=\"67\""),
            1,
            "bad.rm5:447: comparison 1, outcome 1, <DICH_DATA> of study MRC-1: EVENTS_1=\"649\" is more than TOTAL_1=\"615\"",
        ),
        (
            fleiss_with("TOTAL_1=\"758\"", "TOTAL_1=\"-758\""),
            1,
            "bad.rm5:448: comparison 1, outcome 1, <DICH_DATA> of study CDP: TOTAL_1=\"-758\" is negative",
        ),
        (
            fleiss_with("SD_1=\"4.7\"", "SD_1=\"-4.7\""),
            2,
            "bad.rm5:461: comparison 1, outcome 2, <CONT_DATA> of study Davis: SD_1=\"-4.7\" is negative",
        ),
        (
            fleiss_with("SD_2=\"3.8\"", "SD_2=\"1e-400\""),
            2,
            "bad.rm5:461: comparison 1, outcome 2, <CONT_DATA> of study Davis: SD_2=\"1e-400\" is a number too close to 0",
        ),
        // An empty or absent number: RevMan writes every number of a row (not estimable
        // rows keep their counts), so the row is not left out without a word.
        (
            fleiss_with("EVENTS_1=\"49\" EVENTS_2=\"67\"", "EVENTS_1=\"\" EVENTS_2=\"67\""),
            1,
            "bad.rm5:447: comparison 1, outcome 1, <DICH_DATA> of study MRC-1: EVENTS_1=\"\" is empty (no number entered)",
        ),
        (
            fleiss_with("SD_1=\"4.7\"", ""),
            2,
            "bad.rm5:461: comparison 1, outcome 2, <CONT_DATA> of study Davis: SD_1 is missing (no number entered)",
        ),
    ];
    for (text, outcome, needle) in cases {
        let review = read_rm5(text.as_bytes(), "bad.rm5").unwrap();
        let checks = check_review(&review);
        let c = checks.iter().find(|c| c.outcome_no == outcome).unwrap();
        let e = c.error.as_deref().unwrap_or("");
        assert!(e.contains(needle), "{e}\nlacks {needle}");
        assert_eq!(c.k, 0, "the outcome is not pooled without the row");
        assert!(
            checks.iter().any(|c| c.outcome_no != outcome && c.k > 0),
            "the other outcome is still processed"
        );
    }
    // A negative SE of a generic inverse-variance row (tests/fixtures/traps.rm5, line 29).
    let bytes = std::fs::read(util::repo_path("tests/fixtures/traps.rm5")).unwrap();
    let text = String::from_utf8_lossy(&bytes).replace("SE=\"0.2\"", "SE=\"-0.2\"");
    let review = read_rm5(text.as_bytes(), "traps.rm5").unwrap();
    let e = review.outcomes[2].error.as_deref().unwrap_or("");
    assert!(
        e.contains("traps.rm5:29: comparison 1, outcome 3, <IV_DATA> of study Costa: SE=\"-0.2\" is negative"),
        "{e}"
    );
}

#[test]
fn invalid_rows_of_csv_exports_and_data_packages_are_errors() {
    use repool::io::revman_csv::{read_data_package, read_revman_csv};
    let text =
        std::fs::read_to_string(util::repo_path("tests/fixtures/Fleiss1993_CR.csv")).unwrap();
    let bad = text.replace("MRC-1,,,,,49,0,0,615", "MRC-1,,,,,649,0,0,615");
    assert_ne!(bad, text);
    let review = read_revman_csv(&bad, "bad.csv").unwrap();
    let e = review.outcomes[0].error.as_deref().unwrap_or("");
    assert!(
        e.contains(
            "bad.csv:4: study 'MRC-1': column 'Events 1' (649) is more than column 'Total 1' (615)"
        ),
        "{e}"
    );
    let checks = check_review(&review);
    assert_eq!(checks[0].k, 0);
    assert!(checks[0].error.is_some());

    let dir = tempfile::tempdir().unwrap();
    let src = util::repo_path("tests/fixtures/fleiss1993-datapackage");
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap().path();
        let mut text = std::fs::read_to_string(&f).unwrap();
        if f.to_string_lossy().ends_with("-data-rows.csv") {
            let n = text.matches(",4.7,").count();
            assert_eq!(n, 1, "one SD of 4.7 in the data rows");
            text = text.replace(",4.7,", ",-4.7,");
        }
        std::fs::write(dir.path().join(f.file_name().unwrap()), text).unwrap();
    }
    let review = read_data_package(dir.path()).unwrap();
    let e = review.outcomes[1].error.as_deref().unwrap_or("");
    assert!(
        e.contains("-data-rows.csv:")
            && e.contains("study Davis: column 'Experimental SD' (-4.7) is negative"),
        "{e}"
    );
}
