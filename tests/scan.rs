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

/// A real PDF (written by repool's own SVG-to-PDF renderer, text embedded with the bundled
/// font) is read through its text layer and its estimate found and checked.
#[test]
fn a_pdf_text_layer_is_scanned() {
    use repool::io::extract::{extract, Format};
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="120" viewBox="0 0 600 120">
<text x="10" y="40" font-family="DejaVu Sans" font-size="14">Mortality: RR 1.23 (95% CI 1.16 to 2.07), 5 trials.</text>
<text x="10" y="80" font-family="DejaVu Sans" font-size="14">Pain: MD -5.3 (95% CI -7.31 to -3.30).</text>
</svg>"#;
    let pdf = repool::plot::render::to_pdf(svg).unwrap();
    let text = extract(&pdf, Format::Pdf, "made.pdf").unwrap().text;
    assert!(text.contains("1.16"), "{text}");
    let findings = scan_text(&text, &OPTS);
    let got: Vec<(f64, f64, f64)> = findings
        .iter()
        .map(|f| {
            (
                f.claim.estimate.value,
                f.claim.ci_low.value,
                f.claim.ci_high.value,
            )
        })
        .collect();
    assert!(got.contains(&(1.23, 1.16, 2.07)), "{got:?} from {text}");
    assert!(got.contains(&(-5.3, -7.31, -3.30)), "{got:?} from {text}");
}

/// The scanner reads the French abbreviations (DM, DMS, DMP, RC) and written-out names as
/// `check --text` does; lower-case "dm" or "rc" in running text is not a measure.
#[test]
fn french_abbreviations_and_written_out_names_are_scanned() {
    let text = "Douleur : DM -12 (IC à 95 % -18 à -6).\n\
                Anxiété : DMS -0,40 (IC à 95 % -0,60 à -0,20).\n\
                Décès : RC 0,61 (IC à 95 % 0,43 à 0,87).\n\
                Mortality: hazard ratio 0.76 (0.62 to 0.93).\n\
                Les rc 2 (1 à 3) et dm 4 (3 à 5) ne sont pas des mesures.\n";
    let found: Vec<(usize, Option<&str>, f64)> = scan_text(text, &OPTS)
        .iter()
        .map(|f| (f.line, f.measure, f.claim.estimate.value))
        .collect();
    assert_eq!(
        found[..4],
        [
            (1, Some("MD"), -12.0),
            (2, Some("SMD"), -0.4),
            (3, Some("OR"), 0.61),
            (4, Some("HR"), 0.76)
        ]
    );
    assert!(found[4..].iter().all(|f| f.1.is_none()), "{found:?}");
}
