//! `repool report` and `repool revman` over several inputs on several threads: the same bytes
//! and the same messages, in input order, whatever the number of threads.

mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use util::repo_path;

fn repool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `root`, by its path relative to `root`, with its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---- repool report ----

#[test]
fn report_writes_the_same_bytes_on_one_thread_and_on_several() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let many = tmp.path().join("many");
    let a = repool(&["report", "datasets", "--out", s(&one), "--jobs", "1"]);
    let b = repool(&["report", "datasets", "--out", s(&many), "--jobs", "4"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert_eq!(
        stderr(&a).replace(s(&one), "OUT"),
        stderr(&b).replace(s(&many), "OUT")
    );
    let (one, many) = (tree(&one), tree(&many));
    assert!(one.len() > 20, "{} files", one.len());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        many.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(bytes == &many[path], "{} differs", path.display());
    }
    // And the committed English reports are what both write.
    for (path, bytes) in &many {
        let committed = std::fs::read(repo_path("reports").join(path)).unwrap();
        assert!(
            bytes == &committed,
            "reports/{} is not what report writes",
            path.display()
        );
    }
}

#[test]
fn report_in_french_writes_the_same_bytes_on_one_thread_and_on_several() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let many = tmp.path().join("many");
    let a = repool(&[
        "report",
        "datasets",
        "--lang",
        "fr",
        "-o",
        s(&one),
        "-j",
        "1",
    ]);
    let b = repool(&[
        "report",
        "datasets",
        "--lang",
        "fr",
        "-o",
        s(&many),
        "-j",
        "3",
    ]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(tree(&one) == tree(&many), "the French reports differ");
}

/// A dataset folder named `name` under `root` with `dataset.toml`, and the BCG data when
/// `data` is set.
fn dataset(root: &Path, name: &str, toml: &str, data: bool) {
    let d = root.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("dataset.toml"), toml).unwrap();
    if data {
        std::fs::copy(repo_path("datasets/bcg/data.csv"), d.join("data.csv")).unwrap();
    }
}

#[test]
fn report_names_failing_datasets_in_folder_order_and_writes_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let good = "title = \"Good\"\nmeasure = \"RR\"\n";
    dataset(&data, "a-bad", "title = \"Bad\"\nmeasure = \"XX\"\n", true);
    dataset(&data, "b-good", good, true);
    dataset(&data, "c-no-title", "measure = \"RR\"\n", false);
    dataset(&data, "d-good", good, true);
    dataset(&data, "e-no-data", good, false);
    let mut runs = Vec::new();
    for jobs in ["1", "2", "5"] {
        let out = tmp.path().join(format!("out{jobs}"));
        let o = repool(&["report", s(&data), "--out", s(&out), "--jobs", jobs]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        let at = |name: &str| {
            err.find(&format!("error: {name}:"))
                .unwrap_or_else(|| panic!("{name} not named: {err}"))
        };
        assert!(
            at("a-bad") < at("c-no-title") && at("c-no-title") < at("e-no-data"),
            "{err}"
        );
        assert!(err.ends_with(&format!("wrote 2 dataset reports to {}\n", out.display())));
        assert!(out.join("b-good/index.html").is_file() && out.join("d-good/forest.svg").is_file());
        assert!(!out.join("a-bad").exists() && !out.join("e-no-data").exists());
        runs.push((err.replace(s(&out), "OUT"), tree(&out)));
    }
    assert!(runs.iter().all(|r| r == &runs[0]), "the runs differ");
}

// ---- repool revman ----

const RM5: &str = "tests/fixtures/Fleiss1993.rm5";
const CSV: &str = "tests/fixtures/Fleiss1993_CR.csv";
const PACKAGE: &str = "tests/fixtures/fleiss1993-datapackage";

#[test]
fn revman_several_files_in_text_have_a_section_each_in_order() {
    let o = repool(&["revman", CSV, RM5]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let csv_at = out.find(&format!("== {CSV} ==\n")).expect(&out);
    let rm5_at = out.find(&format!("== {RM5} ==\n")).expect(&out);
    assert!(csv_at == 0 && csv_at < rm5_at, "{out}");
    // Each section is the printout of the review alone.
    let alone = stdout(&repool(&["revman", RM5]));
    assert!(out[rm5_at..].contains(&alone), "{out}");
    assert!(
        out.ends_with("\n2 reviews: 2 reproduced, 0 with results not reproduced, 0 not read.\n"),
        "{out}"
    );
    let nl = stdout(&repool(&["revman", CSV, RM5, "--lang", "nl"]));
    assert!(nl.ends_with("\n2 reviews: 2 gereproduceerd, 0 met resultaten die niet gereproduceerd zijn, 0 niet gelezen.\n"), "{nl}");
}

#[test]
fn revman_several_files_in_json_and_csv_keep_the_fields_of_one() {
    let o = repool(&["revman", RM5, PACKAGE, "--format", "json", "-j", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "repool.revman-batch.v1");
    let reviews = v["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    for (entry, path) in reviews.iter().zip([RM5, PACKAGE]) {
        let alone: serde_json::Value =
            serde_json::from_slice(&repool(&["revman", path, "--format", "json"]).stdout).unwrap();
        assert_eq!(entry["file"], path);
        assert_eq!(entry["title"], alone["title"]);
        assert_eq!(entry["outcomes"], alone["outcomes"]);
        assert_eq!(entry["skipped"], alone["skipped"]);
        assert!(entry["error"].is_null());
    }
    let o = repool(&["revman", RM5, CSV, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut want = String::new();
    for path in [RM5, CSV] {
        let alone = stdout(&repool(&["revman", path, "--format", "csv"]));
        let mut lines = alone.lines();
        let header = lines.next().unwrap();
        if want.is_empty() {
            want.push_str(&format!("file,{header}\n"));
        }
        for l in lines {
            want.push_str(&format!("{path},{l}\n"));
        }
    }
    assert_eq!(stdout(&o), want);
}

#[test]
fn revman_folder_of_reviews_is_read_in_name_order_and_a_bad_review_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reviews");
    std::fs::create_dir_all(dir.join("more/package")).unwrap();
    std::fs::copy(repo_path(RM5), dir.join("b.rm5")).unwrap();
    std::fs::copy(repo_path(CSV), dir.join("a.CSV")).unwrap();
    std::fs::write(dir.join("c.rm5"), "<?xml version=\"1.0\"?><NOT_A_REVIEW/>").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a review").unwrap();
    std::fs::write(dir.join(".hidden.rm5"), "left out").unwrap();
    for e in std::fs::read_dir(repo_path(PACKAGE)).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join("more/package").join(p.file_name().unwrap())).unwrap();
    }
    let mut outputs = Vec::new();
    for jobs in ["1", "4"] {
        let o = repool(&["revman", s(&dir), "--jobs", jobs]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let out = stdout(&o);
        let heads: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
        let name = |f: &str| format!("== {} ==", dir.join(f).display());
        assert_eq!(
            heads,
            [
                name("a.CSV"),
                name("b.rm5"),
                name("c.rm5"),
                name("more/package")
            ]
        );
        assert!(
            out.contains("not read: ") && out.contains("not a RevMan 5 review"),
            "{out}"
        );
        assert!(
            out.ends_with("4 reviews: 3 reproduced, 0 with results not reproduced, 1 not read.\n")
        );
        let err = stderr(&o);
        assert!(
            err.contains(&format!("error: {}: ", dir.join("c.rm5").display())),
            "{err}"
        );
        outputs.push((out, err));
    }
    assert_eq!(outputs[0], outputs[1]);
    // A folder with no review is an error that names it.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = repool(&["revman", s(&empty), RM5]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no review in this folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn revman_data_package_folder_is_still_one_review() {
    let alone = repool(&["revman", PACKAGE]);
    assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
    assert!(!stdout(&alone).contains("== "), "{}", stdout(&alone));
    // A package beside its analysis-data folder, as RevMan Web writes it.
    let tmp = tempfile::tempdir().unwrap();
    let inner = tmp.path().join("pkg/921923100913455418-analysis-data");
    std::fs::create_dir_all(&inner).unwrap();
    for e in std::fs::read_dir(repo_path(PACKAGE)).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, inner.join(p.file_name().unwrap())).unwrap();
    }
    let o = repool(&["revman", s(&tmp.path().join("pkg"))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().skip(1).collect::<Vec<_>>(),
        stdout(&alone).lines().skip(1).collect::<Vec<_>>(),
        "the same review but for its title (the folder)"
    );
}

#[test]
fn revman_exit_codes_of_several_reviews() {
    // A review with an unreadable study row makes the batch an error, the others still come.
    let o = repool(&["revman", RM5, "tests/fixtures/traps.rm5", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stdout(&o)
        .lines()
        .any(|l| l.starts_with(&format!("{RM5},"))));
    assert!(
        stderr(&o).contains("SD_1=\"abc\" is not a number"),
        "{}",
        stderr(&o)
    );
    // A missing file is named; the other review is written.
    let o = repool(&["revman", "no-such.rm5", RM5, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["reviews"][0]["error"]
        .as_str()
        .unwrap()
        .contains("no-such.rm5"));
    assert_eq!(v["reviews"][1]["file"], RM5);
    assert!(
        stderr(&o).contains("error: no-such.rm5: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn revman_export_of_several_reviews_goes_into_a_folder_each() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("exported");
    let o = repool(&["revman", RM5, CSV, "--export", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out
        .join("Fleiss1993.rm5/comparison1_outcome1.csv")
        .is_file());
    assert!(out
        .join("Fleiss1993_CR.csv/comparison1_outcome1.csv")
        .is_file());
    let o = repool(&["revman", RM5, RM5, "--export", s(&tmp.path().join("twice"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("have the same name"), "{}", stderr(&o));
    assert!(!tmp.path().join("twice").exists());
}

#[test]
fn revman_sample_reviews_checked_together() {
    let dir = repo_path("../shared/revman-samples");
    if !dir.is_dir() {
        eprintln!(
            "skipped: {} not found (test material beside the project)",
            dir.display()
        );
        return;
    }
    let o = repool(&["revman", s(&dir), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let reviews = v["reviews"].as_array().unwrap();
    let files: Vec<&str> = reviews
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(
        files.iter().any(|f| f.ends_with("datapackage-v1")),
        "{files:?}"
    );
    assert!(
        files.iter().filter(|f| f.ends_with(".rm5")).count() >= 10,
        "{files:?}"
    );
    assert!(
        reviews.iter().all(|r| r["error"].is_null()),
        "{}",
        stderr(&o)
    );
}
