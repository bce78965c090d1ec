//! The scanner on the development corpus: scanning the Minerva seeds in `../shared/seeds`
//! (test material beside the project, not part of it: the test says so and passes trivially
//! when that folder is absent) recovers every estimate of `datasets/minerva-claims` at its
//! line; and it never panics on arbitrary text.

mod util;

use proptest::prelude::*;
use repool::check::scan::{scan_text, Finding, ScanOptions};
use repool::check::Lang;

const OPTS: ScanOptions = ScanOptions {
    lang: Lang::Nl,
    threshold: None,
};

fn num(s: &str) -> f64 {
    s.replace(',', ".").parse().unwrap()
}

fn seeds() -> Option<std::path::PathBuf> {
    let dir = util::repo_path("../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} not found (test material beside the project)",
            dir.display()
        );
        None
    }
}

fn same(f: &Finding, rec: &csv::StringRecord) -> bool {
    let c = &f.claim;
    (c.estimate.value, c.ci_low.value, c.ci_high.value)
        == (num(&rec[7]), num(&rec[8]), num(&rec[9]))
}

#[test]
fn scanning_the_seeds_recovers_every_claim_at_its_line() {
    let Some(dir) = seeds() else { return };
    let claims = util::repo_path("datasets/minerva-claims/claims.csv");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_path(claims)
        .unwrap();
    let mut scanned = std::collections::HashMap::new();
    let mut missing = Vec::new();
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        n += 1;
        let found = scanned.entry(rec[1].to_string()).or_insert_with(|| {
            scan_text(&std::fs::read_to_string(dir.join(&rec[1])).unwrap(), &OPTS)
        });
        let line: usize = rec[2].parse().unwrap();
        let hit = found.iter().find(|f| f.line == line && same(f, &rec));
        match hit {
            None => missing.push(format!(
                "{} line {line}: {} {} ({} to {})",
                &rec[0], &rec[6], &rec[7], &rec[8], &rec[9]
            )),
            Some(f) => {
                if let Some(m) = f.measure {
                    assert_eq!(m, &rec[6], "{}: measure", &rec[0]);
                }
                if !rec[11].is_empty() {
                    assert_eq!(
                        f.claim.p.map(|p| p.printed()),
                        repool::check::ReportedP::parse(&rec[11]).map(|p| p.printed()),
                        "{}: p",
                        &rec[0]
                    );
                }
            }
        }
    }
    assert_eq!(n, 35);
    assert!(missing.is_empty(), "not found: {missing:#?}");
}

#[test]
#[ignore = "prints every finding of the seeds, for development"]
fn print_seed_findings() {
    let Some(dir) = seeds() else { return };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for p in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        for f in scan_text(&std::fs::read_to_string(p).unwrap(), &OPTS) {
            println!(
                "{}:{}:{} {:?} {} [{}; {}] p={:?} N={:?} n={:?} {:?}",
                p.file_name().unwrap().to_string_lossy(),
                f.line,
                f.column,
                f.measure,
                f.claim.estimate.value,
                f.claim.ci_low.value,
                f.claim.ci_high.value,
                f.claim.p.map(|p| p.printed()),
                f.n_studies,
                f.n_patients,
                f.text.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn the_scanner_never_panics(s in "\\PC{0,200}", t in "[-−–0-9.,;() %a-zA-Zéà\n]{0,120}") {
        let _ = scan_text(&s, &OPTS);
        for f in scan_text(&t, &OPTS) {
            prop_assert!(f.line >= 1 && f.column >= 1);
            prop_assert!(t.get(f.span.0..f.span.1).is_some());
        }
    }
}
