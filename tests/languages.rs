//! Every command that prints text for a person, and every note, in Dutch and French: no
//! English text of the translation catalogue may appear in them.
//!
//! The English fragments are taken from the catalogue itself, so every entry added to it is
//! checked as soon as it exists: each English template is cut at its `{placeholders}`, and
//! each fixed piece of at least [`MIN_FRAGMENT`] characters with a letter in it must not
//! appear in the output, unless the translation of the same entry contains it too (a
//! formula, a program's name, a citation).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use repool::format::Lang;
use repool::i18n::entries;
use repool::pool::Note;

/// The shortest fixed piece of an English template that is looked for.
const MIN_FRAGMENT: usize = 12;

/// English catalogue text that some output still prints in Dutch and French, each outside
/// the part of the program these checks were written with, and named here so that it is
/// not forgotten: `(command, fragment)`.
const KNOWN_ENGLISH: &[(&str, &str)] = &[
    // compare names each program's own analysis as that program does ("random effects" is
    // the name of RevMan's option, as "metan, random" is Stata's), not a translated term.
    ("compare", "random effects"),
];

/// The fixed pieces of a template: the text between its `{name}` placeholders.
fn fixed_pieces(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}').filter(|&c| {
            let name = &after[..c];
            !name.is_empty()
                && name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        });
        match close {
            Some(c) => {
                piece += &rest[..open];
                out.push(std::mem::take(&mut piece));
                rest = &after[c + 1..];
            }
            None => {
                // A brace of a formula: part of the fixed text.
                piece += &rest[..open + 1];
                rest = after;
            }
        }
    }
    piece += rest;
    out.push(piece);
    out
}

/// `(key, fragment)`: the English pieces that must not appear in an output in `lang`.
fn english_fragments(lang: Lang) -> Vec<(String, String)> {
    let translated = entries(lang);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (key, en) in entries(Lang::En) {
        let tr = translated.get(key).copied().unwrap_or("");
        if tr == *en {
            continue;
        }
        for piece in fixed_pieces(en) {
            let piece = piece.trim();
            let long = piece.chars().count() >= MIN_FRAGMENT;
            let worded = piece.chars().any(char::is_alphabetic);
            if long && worded && !tr.contains(piece) && seen.insert(piece.to_string()) {
                out.push((key.clone(), piece.to_string()));
            }
        }
    }
    assert!(
        !out.is_empty(),
        "no English fragment found in the catalogue"
    );
    out
}

/// SVG and HTML text as a reader sees it.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The English fragments found in `output`, except the known ones of `command`.
fn english_in(command: &str, output: &str, lang: Lang) -> Vec<String> {
    let output = unescape(output);
    english_fragments(lang)
        .into_iter()
        .filter(|(_, f)| output.contains(f.as_str()))
        .filter(|(_, f)| !KNOWN_ENGLISH.contains(&(command, f.as_str())))
        .map(|(key, f)| format!("{key}: {f:?}"))
        .collect()
}

/// Runs the binary from the repository root; returns its standard output and error and the
/// text of the file it wrote (if `written` is given).
fn run(args: &[&str], written: Option<&Path>) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    text += &String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "repool {}: exit {:?}\n{text}",
        args.join(" "),
        o.status.code()
    );
    if let Some(p) = written {
        text += &std::fs::read_to_string(p).unwrap();
    }
    text
}

/// Every command that prints text for a person, as `(name, arguments, written file)`.
fn commands(dir: &Path) -> Vec<(&'static str, Vec<String>, Option<std::path::PathBuf>)> {
    let svg = |name: &str| dir.join(name);
    let article = dir.join("article.txt");
    std::fs::write(
        &article,
        "Intro.\nRR 1.23 (95% CI 1.16 to 2.07) and OR 1.5 (95% CI 1.1 to 2.0).\n",
    )
    .unwrap();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let bcg = "datasets/bcg/data.csv";
    let p = |x: &std::path::PathBuf| x.to_str().unwrap().to_string();
    let mut out = vec![
        ("pool", s(&["pool", bcg, "--measure", "RR"]), None),
        (
            "pool",
            s(&[
                "pool",
                bcg,
                "--measure",
                "RR",
                "--model",
                "fixed",
                "--method",
                "MH",
            ]),
            None,
        ),
        (
            "check",
            s(&["check", "datasets/minerva-claims/claims.csv"]),
            None,
        ),
        (
            "check",
            s(&["check", "--text", "RR 0.79 (95% CI 0.61 to 1.02)"]),
            None,
        ),
        ("bias", s(&["bias", bcg, "--measure", "RR"]), None),
        (
            "regress",
            s(&["regress", bcg, "--measure", "RR", "--mod", "latitude"]),
            None,
        ),
        (
            "sensitivity",
            s(&["sensitivity", bcg, "--measure", "RR", "--leave-one-out"]),
            None,
        ),
        (
            "sensitivity",
            s(&["sensitivity", bcg, "--measure", "RR", "--cumulative"]),
            None,
        ),
        (
            "sensitivity",
            s(&["sensitivity", bcg, "--measure", "RR", "--influence"]),
            None,
        ),
        ("explain", s(&["explain", bcg, "--measure", "RR"]), None),
        ("compare", s(&["compare", bcg, "--measure", "RR"]), None),
        ("sof", s(&["sof", bcg, "--measure", "RR"]), None),
        (
            "sof",
            s(&[
                "sof",
                "datasets/normand1999/data.csv",
                "--measure",
                "SMD",
                "--sd",
                "10",
                "--threshold",
                "-0.5",
                "--format",
                "markdown",
            ]),
            None,
        ),
        (
            "network",
            s(&["network", "datasets/senn2013/data.csv", "--measure", "MD"]),
            None,
        ),
        ("scan", s(&["scan", &p(&article)]), None),
        (
            "reproduce",
            s(&[
                "reproduce",
                "datasets/hackshaw1998/data.csv",
                "--published",
                "OR 1.24 (95% CI 1.13 to 1.36)",
            ]),
            None,
        ),
        (
            "revman",
            s(&["revman", "tests/fixtures/Fleiss1993.rm5"]),
            None,
        ),
    ];
    let f = svg("forest.svg");
    out.push((
        "forest",
        s(&["forest", bcg, "--measure", "RR", "--output", &p(&f)]),
        Some(f),
    ));
    let f = svg("funnel.svg");
    out.push((
        "funnel",
        s(&[
            "funnel",
            bcg,
            "--measure",
            "RR",
            "--contours",
            "--output",
            &p(&f),
        ]),
        Some(f),
    ));
    out
}

#[test]
fn every_command_speaks_dutch_and_french() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (name, args, written) in commands(dir.path()) {
        for (lang, code) in [(Lang::Nl, "nl"), (Lang::Fr, "fr")] {
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            args.extend(["--lang", code]);
            let text = run(&args, written.as_deref());
            for e in english_in(name, &text, lang) {
                failures.push(format!("repool {} prints English: {e}", args.join(" ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_note_speaks_dutch_and_french() {
    let mut failures = Vec::new();
    for note in Note::examples() {
        for lang in [Lang::Nl, Lang::Fr] {
            let m = note.message(lang);
            for e in english_in("notes", &m, lang) {
                failures.push(format!("{lang:?} {m:?}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_check_finds_english_in_a_dutch_output() {
    let english = "Test for heterogeneity:\nQ(df = 12) = 152,2330";
    assert!(!english_in("pool", english, Lang::Nl).is_empty());
    assert!(english_in("pool", "Toets op heterogeniteit:", Lang::Nl).is_empty());
}

#[test]
fn formulas_and_placeholders_are_not_fragments() {
    assert_eq!(
        fixed_pieces("a {k} of \\frac{A}{B} {n}"),
        ["a ", " of \\frac{A}{B} ", ""]
    );
}

#[test]
fn a_pool_of_one_study_shows_heterogeneity_as_not_applicable_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("one.csv");
    std::fs::write(&csv, "study,yi,vi\nA,0.5,0.04\n").unwrap();
    let f = csv.to_str().unwrap();
    for (code, said) in [
        ("en", "not applicable (one study)"),
        ("nl", "niet van toepassing (één studie)"),
        ("fr", "non applicable (une seule étude)"),
    ] {
        let out = run(&["pool", f, "--measure", "MD", "--lang", code], None);
        assert!(out.contains(said), "{out}");
        assert!(!out.contains("Q(df = 0)"), "{out}");
        assert_eq!(
            out.matches(said).count(),
            2,
            "heterogeneity and prediction interval: {out}"
        );
    }
}

#[test]
fn pool_in_dutch_has_decimal_commas_and_english_stays_as_it_was() {
    let nl = run(
        &[
            "pool",
            "datasets/bcg/data.csv",
            "--measure",
            "RR",
            "--lang",
            "nl",
        ],
        None,
    );
    assert!(
        nl.contains("Gepoolde RR: 0,4894 [95%-BI 0,3441; 0,6962]"),
        "{nl}"
    );
    assert!(nl.contains("REML convergeerde na 5 iteraties"), "{nl}");
    let en = run(&["pool", "datasets/bcg/data.csv", "--measure", "RR"], None);
    assert!(
        en.contains("Random-effects model (k = 13; tau^2 estimator: REML)"),
        "{en}"
    );
    assert!(
        en.contains("Pooled RR: 0.4894 [95% CI 0.3441; 0.6962]"),
        "{en}"
    );
}

#[test]
fn no_output_counts_one_study_in_the_plural() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("one.csv");
    std::fs::write(&csv, "study,yi,vi\nA,0.5,0.04\n").unwrap();
    let f = csv.to_str().unwrap();
    for code in ["en", "nl", "fr"] {
        let out = run(&["compare", f, "--measure", "MD", "--lang", code], None);
        let article = dir.path().join("article.txt");
        std::fs::write(
            &article,
            "Pooled: RR 0.79 (95% CI 0.61 to 1.02), 1 study.\n",
        )
        .unwrap();
        let out = out + &run(&["scan", article.to_str().unwrap(), "--lang", code], None);
        for plural in [
            "1 studies",
            "1 études",
            "1 iterations",
            "1 iteraties",
            "1 itérations",
            "1 estimates",
            "1 schattingen",
            "1 estimations",
        ] {
            assert!(!out.contains(plural), "{out}");
        }
    }
}

/// Runs the binary and returns its standard output and error, whatever its exit code.
fn run_any(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn regress_speaks_the_readers_language_and_english_stays_as_it_was() {
    let args = [
        "regress",
        "datasets/bcg/data.csv",
        "--measure",
        "RR",
        "--mod",
        "latitude",
        "--permutations",
        "2",
    ];
    let with = |code: &str| {
        let mut a = args.to_vec();
        a.extend(["--lang", code]);
        run(&a, None)
    };
    let en = with("en");
    assert!(
        en.contains("Mixed-effects meta-regression (k = 13; tau^2 estimator: REML)"),
        "{en}"
    );
    assert!(
        en.contains("Measure: RR (log risk ratio), analysed on the log scale"),
        "{en}"
    );
    assert!(en.contains("QE(df = 11) = 30.7331, p-val = 0.0012"), "{en}");
    assert!(en.contains("2 permutations"), "{en}");
    let nl = with("nl");
    assert!(
        nl.contains("Maat: RR (log relatief risico), geanalyseerd op de logschaal"),
        "{nl}"
    );
    assert!(nl.contains("QE(df = 11) = 30,7331, p = 0,0012"), "{nl}");
    assert!(nl.contains("2 permutaties"), "{nl}");
    let fr = with("fr");
    assert!(fr.contains("Test d'hétérogénéité résiduelle :"), "{fr}");
    assert!(fr.contains("2 permutations, graine 1"), "{fr}");
    for out in [&nl, &fr] {
        assert!(!out.contains("log risk ratio"), "{out}");
        assert!(!out.contains("residual heterogeneity"), "{out}");
    }
}

#[test]
fn network_counts_in_the_singular_and_the_plural_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("net.csv");
    // Two studies of the same two treatments: one design.
    std::fs::write(
        &csv,
        "study,treatment,n,mean,sd\nA,x,20,1.0,1.0\nA,y,20,1.5,1.0\nB,x,30,1.2,1.1\nB,y,30,1.4,0.9\n",
    )
    .unwrap();
    let f = csv.to_str().unwrap();
    for (code, said) in [
        ("en", "2 studies (0 multi-arm), 2 treatments, 2 pairwise comparisons, 1 design"),
        ("nl", "2 studies (0 met meer dan twee armen), 2 behandelingen, 2 paarsgewijze vergelijkingen, 1 design"),
        ("fr", "2 études (0 à plus de deux bras), 2 traitements, 2 comparaisons par paire, 1 plan d'étude"),
    ] {
        let out = run_any(&["network", f, "--measure", "MD", "--lang", code]);
        assert!(out.contains(said), "{out}");
    }
    let nl = run(
        &[
            "network",
            "datasets/senn2013/data.csv",
            "--measure",
            "MD",
            "--lang",
            "nl",
        ],
        None,
    );
    assert!(nl.contains("26 studies (1 met meer dan twee armen), 10 behandelingen, 28 paarsgewijze vergelijkingen, 15 designs"), "{nl}");
    assert!(nl.contains("Heterogeniteit en inconsistentie"), "{nl}");
    assert!(nl.contains("tau^2 = 0,1087"), "{nl}");
}

#[test]
fn explain_counts_one_study_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("two.csv");
    std::fs::write(&csv, "study,yi,vi\nA,0.5,0.04\nB,0.3,0.09\n").unwrap();
    let f = csv.to_str().unwrap();
    for (code, two) in [
        ("en", "2 studies;"),
        ("nl", "2 studies;"),
        ("fr", "2 études ;"),
    ] {
        let out = run(&["explain", f, "--measure", "MD", "--lang", code], None);
        assert!(out.contains(two), "{out}");
    }
    std::fs::write(&csv, "study,yi,vi\nA,0.5,0.04\n").unwrap();
    for (code, one) in [("en", "1 study;"), ("nl", "1 studie;"), ("fr", "1 étude ;")] {
        let out = run_any(&["explain", f, "--measure", "MD", "--lang", code]);
        assert!(out.contains(one), "{out}");
    }
}

#[test]
fn reproduce_labels_are_in_the_readers_language_and_json_keeps_the_codes() {
    let args = [
        "reproduce",
        "datasets/hackshaw1998/data.csv",
        "--published",
        "OR 1.24 (95% CI 1.13 to 1.36)",
    ];
    let with = |extra: &[&str]| {
        let mut a = args.to_vec();
        a.extend(extra);
        run(&a, None)
    };
    let en = with(&[]);
    assert!(
        en.contains("random effects, τ² DL, z CI (RevMan 5's rules give the same estimate and CI)"),
        "{en}"
    );
    let nl = with(&["--lang", "nl"]);
    assert!(nl.contains("random-effectsmodel, τ² DL, z-BI"), "{nl}");
    let fr = with(&["--lang", "fr"]);
    assert!(
        fr.contains("modèle à effets aléatoires, τ² DL, IC z"),
        "{fr}"
    );
    let json = with(&["--lang", "fr", "--format", "json"]);
    assert!(
        json.contains("\"label\": \"random effects, τ² DL, z CI"),
        "{json}"
    );
}

#[test]
fn an_estimate_outside_its_ci_is_reported_with_the_interval_as_low_semicolon_high() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("t.csv");
    std::fs::write(&csv, "study,estimate,ci_low,ci_high\nA,2.5,1.1,1.5\n").unwrap();
    let out = run_any(&["pool", csv.to_str().unwrap(), "--measure", "RR"]);
    assert!(out.contains("estimate outside its CI [1.1; 1.5]"), "{out}");
}

/// Every string of a dataset's `dataset.toml` except its title, outcome and teaching text
/// (which have translations): publication labels, citations, explanations, column notes.
/// They are the dataset's content, quoted as the source gives it, not the program's words.
fn dataset_content(dir: &Path) -> Vec<String> {
    fn strings(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::String(s) => out.push(s.clone()),
            toml::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            toml::Value::Table(t) => t.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path().join("dataset.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let table: toml::Table = text.parse().unwrap();
        for (k, v) in &table {
            if !["title", "outcome", "teaches", "nl", "fr"].contains(&k.as_str()) {
                strings(v, &mut out);
            }
        }
    }
    // Longest first, so that a label is removed before a shorter one inside it.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// Every `.html` and `.md` file under `dir`.
fn pages(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            pages(&p, out);
        } else if p.extension().is_some_and(|e| e == "html" || e == "md") {
            out.push(p);
        }
    }
}

#[test]
fn every_report_page_speaks_dutch_and_french() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = dataset_content(&root.join("datasets"));
    let mut failures = Vec::new();
    for (lang, code) in [(Lang::Nl, "nl"), (Lang::Fr, "fr")] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        run(
            &["report", "--lang", code, "-o", out.to_str().unwrap()],
            None,
        );
        let mut files = Vec::new();
        pages(&out, &mut files);
        assert!(files.len() > 20, "{files:?}");
        for f in files {
            // The scan pages are in the language of the scanned text (`repool scan`).
            if f.file_name().is_some_and(|n| n == "scan.html") {
                continue;
            }
            let mut text = unescape(&std::fs::read_to_string(&f).unwrap());
            for c in &content {
                text = text.replace(c.as_str(), "");
            }
            if code == "nl" {
                assert!(
                    !f.ends_with("index.html") || text.contains("<html lang=\"nl\">"),
                    "{}",
                    f.display()
                );
            }
            for e in english_in("report", &text, lang) {
                failures.push(format!("{} ({code}): {e}", f.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs the binary on a command that fails; returns its standard error.
fn run_failing(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "repool {}", args.join(" "));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn errors_speak_dutch_and_french() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "study,events_t,n_t,events_c,n_c\nA,1,10,2,10\nB,x,10,3,10\n",
    )
    .unwrap();
    let zero = dir.path().join("zero.csv");
    std::fs::write(
        &zero,
        "study,events_t,n_t,events_c,n_c\nA,0,10,2,10\nB,3,10,3,10\n",
    )
    .unwrap();
    let missing = dir.path().join("missing.csv");
    let png = dir.path().join("x.png");
    let (bad, zero, missing, png) = (
        bad.to_str().unwrap(),
        zero.to_str().unwrap(),
        missing.to_str().unwrap(),
        png.to_str().unwrap(),
    );
    // (arguments, what the message must keep, its start in nl, in fr)
    let cases: [(Vec<&str>, Vec<String>, &str, &str); 4] = [
        (
            vec!["pool", bad, "--measure", "RR"],
            vec![format!("{bad}:3:2 ("), "'events_t'".into(), "'x'".into()],
            "repool: fout: ",
            "repool : erreur : ",
        ),
        (
            vec!["pool", missing],
            vec![missing.to_string()],
            "repool: fout: kan ",
            "repool : erreur : impossible d'ouvrir ",
        ),
        (
            vec!["forest", bad, "--measure", "RR", "--dpi", "5", "-o", png],
            vec!["--dpi".into(), " 5".into()],
            "repool: fout: --dpi moet",
            "repool : erreur : --dpi doit",
        ),
        (
            vec!["pool", zero, "--measure", "RR", "--cc", "0"],
            vec!["'A'".into(), "2".into(), "--cc-to only0".into()],
            "repool: fout: ",
            "repool : erreur : ",
        ),
    ];
    for (args, keep, nl, fr) in &cases {
        let english = run_failing(args);
        assert!(english.starts_with("repool: error: "), "{english}");
        for (lang, code, start) in [(Lang::Nl, "nl", nl), (Lang::Fr, "fr", fr)] {
            let mut with_lang = args.clone();
            with_lang.extend(["--lang", code]);
            let message = run_failing(&with_lang);
            assert!(message.starts_with(start), "{code}: {message}");
            for k in keep {
                assert!(message.contains(k.as_str()), "{code}: {message} lost {k}");
            }
            let found = english_in("error", &message, lang);
            assert!(found.is_empty(), "{code}: {message}\nEnglish: {found:#?}");
        }
    }
}

#[test]
fn bad_option_values_are_refused_in_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "study,events_t,n_t,events_c,n_c\nA,3,20,6,20\nB,4,30,8,30\nC,5,25,9,25\n",
    )
    .unwrap();
    let net = dir.path().join("net.csv");
    std::fs::write(
        &net,
        "study,treatment,events,n\nA,a,3,20\nA,b,6,20\nB,b,4,30\nB,c,8,30\nC,a,5,25\nC,c,9,25\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "study,x\nA,1\n").unwrap();
    let svg = dir.path().join("x.svg");
    let (good, net, bad, svg) = (
        good.to_str().unwrap(),
        net.to_str().unwrap(),
        bad.to_str().unwrap(),
        svg.to_str().unwrap(),
    );
    let forest = |extra: &[&'static str]| {
        let mut a = vec!["forest", good, "--measure", "RR", "-o", svg];
        a.extend(extra);
        a
    };
    let published = "0.56 (0.43 to 0.68)";
    // (arguments, the English message as it was, the values every language keeps)
    let cases: Vec<(Vec<&str>, String, Vec<&str>)> = vec![
        (
            forest(&["--threshold", "0"]),
            "--threshold 0: for RR the threshold is a ratio and must be > 0 (e.g. 0.8 or 1.25)".into(),
            vec!["--threshold 0", "RR"],
        ),
        (
            forest(&["--threshold", "1"]),
            "--threshold 1 is the null value: give the minimal important difference".into(),
            vec!["--threshold 1"],
        ),
        (
            forest(&["--xlim", "2,3"]),
            "--xlim 2,3: for a ratio measure give two ratios around 1, e.g. 0.1,10".into(),
            vec!["--xlim 2,3", "0.1,10"],
        ),
        (
            forest(&["--xlim", "a"]),
            "--xlim a: give two numbers separated by a comma, e.g. 0.1,10".into(),
            vec!["--xlim a"],
        ),
        (
            vec!["network", net, "--measure", "OR", "--level", "2x"],
            "--level '2x' is not a number".into(),
            vec!["--level '2x'"],
        ),
        (
            vec!["network", net, "--measure", "OR", "--level", "200"],
            "--level '200' is not a confidence level: give e.g. 0.95 or 95".into(),
            vec!["--level '200'"],
        ),
        (
            vec!["reproduce", good, "--published", published],
            format!("cannot read \"{published}\" as a result: no measure (MD, SMD, RR, OR, HR, RD or IRR); name it in the text (\"OR 0.56 (0.43 to 0.68)\") or give --measure"),
            vec![published, "--measure"],
        ),
        (
            vec!["reproduce", good, "--published", published, "--measure", "GEN"],
            "--measure GEN: give the measure of the published result (MD, SMD, RR, OR, RD or HR)".into(),
            vec!["--measure GEN"],
        ),
        (
            vec!["reproduce", good, "--published", "OR 0.5 (0.4 to 0.7)", "--measure", "RR"],
            "--published names OR but --measure says RR".into(),
            vec!["--published", "OR", "RR"],
        ),
        (
            vec!["reproduce", bad, "--published", "OR 0.5 (0.4 to 0.7)"],
            format!("reading {bad} for OR: "),
            vec![bad, "OR"],
        ),
        (
            vec!["sof", good, "--measure", "RR", "--rrr", "2"],
            "--rrr must lie between 0 and 1, got 2".into(),
            vec!["--rrr", " 2"],
        ),
        (
            vec!["explain", good, "--measure", "RR", "--preset", "revman5"],
            "repool explain does not take --preset: it explains repool's own computation (set --tau2, --ci, --i2 ... to match a program; 'repool compare' shows the programs side by side)".into(),
            vec!["--preset", "repool compare"],
        ),
        (
            vec!["explain", good, "--measure", "RR", "--threshold", "-1"],
            "--threshold -1: for RR the threshold is a ratio and must be > 0 (e.g. 0.8 or 1.25)".into(),
            vec!["--threshold -1", "RR"],
        ),
    ];
    for (args, english, keep) in &cases {
        let message = run_failing(args);
        assert!(
            message.starts_with(&format!("repool: error: {english}")),
            "{message}"
        );
        for (lang, code, start) in [
            (Lang::Nl, "nl", "repool: fout: "),
            (Lang::Fr, "fr", "repool : erreur : "),
        ] {
            let mut with_lang = args.clone();
            with_lang.extend(["--lang", code]);
            let message = run_failing(&with_lang);
            assert!(message.starts_with(start), "{code}: {message}");
            for k in keep {
                assert!(message.contains(k), "{code}: {message} lost {k}");
            }
            let found = english_in("error", message.lines().next().unwrap(), lang);
            assert!(found.is_empty(), "{code}: {message}\nEnglish: {found:#?}");
        }
    }
}

#[test]
fn network_errors_and_a_batchs_error_lines_are_in_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let batch = write(
        "batch.csv",
        "analysis,study,treatment,events,n\nA1,S1,a,3,20\nA1,S1,b,6,20\nA1,S2,b,4,30\nA1,S2,c,8,30\nA2,S1,a,3,20\nA2,S2,b,4,30\nA2,S2,b,5,30\n",
    );
    let parts = write(
        "parts.csv",
        "study,treatment,events,n\nS1,a,3,20\nS1,b,6,20\nS2,c,4,30\nS2,d,8,30\n",
    );
    // (arguments, the English line as it was, the values every language keeps)
    let cases: Vec<(Vec<&str>, String, Vec<&str>)> = vec![
        (
            vec!["network", &batch, "--measure", "OR"],
            format!("repool: error: {batch} (analysis 'A2'): study 'S1' (line 6) has only one arm ('a'): a study must compare at least two treatments"),
            vec!["'S1'", "6", "('a')"],
        ),
        (
            vec!["network", &parts, "--measure", "OR"],
            format!("repool: error: {parts}: the network is disconnected: 2 separate parts: {{a, b}} and {{c, d}}"),
            vec!["{a, b}", "{c, d}", " 2 "],
        ),
        (
            vec!["network", &parts, "--measure", "MD"],
            format!("repool: error: {parts}: measure MD does not fit binary arm data (binary: RR, OR, RD; continuous: MD, SMD)"),
            vec!["MD", "RR, OR, RD"],
        ),
    ];
    for (args, english, keep) in &cases {
        let o = Command::new(env!("CARGO_BIN_EXE_repool"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(stderr.lines().next(), Some(english.as_str()), "{stderr}");
        for (lang, code, start) in [
            (Lang::Nl, "nl", "repool: fout: "),
            (Lang::Fr, "fr", "repool : erreur : "),
        ] {
            let mut with_lang = args.clone();
            with_lang.extend(["--lang", code]);
            let o = Command::new(env!("CARGO_BIN_EXE_repool"))
                .args(&with_lang)
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(2));
            let message = String::from_utf8_lossy(&o.stderr).into_owned();
            let line = message.lines().next().unwrap();
            assert!(line.starts_with(start), "{code}: {message}");
            for k in keep {
                assert!(line.contains(k), "{code}: {line} lost {k}");
            }
            let found = english_in("error", line, lang);
            assert!(found.is_empty(), "{code}: {line}\nEnglish: {found:#?}");
        }
    }
    // A batch's JSON keeps its error fields in English.
    let o = Command::new(env!("CARGO_BIN_EXE_repool"))
        .args([
            "network",
            &batch,
            "--measure",
            "OR",
            "--format",
            "json",
            "--lang",
            "nl",
        ])
        .output()
        .unwrap();
    let json = String::from_utf8_lossy(&o.stdout);
    assert!(json.contains("has only one arm"), "{json}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("heeft maar één arm"));
    // French sets a space before the colon between an error and its cause.
    let o = Command::new(env!("CARGO_BIN_EXE_repool"))
        .args(["network", &parts, "--measure", "OR", "--lang", "fr"])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        line.starts_with(&format!("repool : erreur : {parts} : le réseau")),
        "{line}"
    );
}

#[test]
fn a_summary_of_findings_reports_each_failed_outcome_in_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.csv");
    std::fs::write(
        &g,
        "study,events_t,n_t,events_c,n_c\nA,3,20,6,20\nB,4,30,8,30\nC,5,25,9,25\n",
    )
    .unwrap();
    let hr = dir.path().join("hr.csv");
    std::fs::write(
        &hr,
        "study,estimate,ci_low,ci_high\nA,0.8,0.6,0.9\nB,0.7,0.5,0.9\n",
    )
    .unwrap();
    let (g, hr) = (g.to_str().unwrap(), hr.to_str().unwrap());
    // (arguments, the English lines as they were, the values every language keeps)
    let cases: Vec<(Vec<&str>, &str, Vec<&str>)> = vec![
        (
            vec!["sof", g, "--measure", "RR", "--threshold", "1.25"],
            "repool: error: g: a threshold of 1.25 lies on the side of harm for an undesirable outcome (less is better): a threshold of an important benefit lies below the null (--desirable not given): give a threshold on the other side, or add --desirable\nrepool: error: no outcome could be summarised\n",
            vec!["1,25", "--desirable", "g"],
        ),
        (
            vec!["sof", g, "--measure", "RR", "--threshold", "0.8", "--desirable"],
            "repool: error: g: a threshold of 0.8 lies on the side of harm for a desirable outcome (more is better): a threshold of an important benefit lies above the null (--desirable given): give a threshold on the other side, or leave out --desirable\nrepool: error: no outcome could be summarised\n",
            vec!["0,8", "--desirable"],
        ),
        (
            vec!["sof", hr, "--measure", "HR", "--control-risk", "0.3"],
            "repool: error: hr: a hazard ratio gives absolute effects only at a time point: give the time at which the control risk applies (--time-point, e.g. --control-risk 0.33 --time-point \"10 years\")\nrepool: error: no outcome could be summarised\n",
            vec!["--time-point", "--control-risk 0.33", "hr"],
        ),
    ];
    for (args, english, keep) in &cases {
        let o = Command::new(env!("CARGO_BIN_EXE_repool"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stderr), *english);
        for (lang, code, start) in [
            (Lang::Nl, "nl", "repool: fout: "),
            (Lang::Fr, "fr", "repool : erreur : "),
        ] {
            let mut with_lang = args.clone();
            with_lang.extend(["--lang", code]);
            let message = run_failing(&with_lang);
            for line in message.lines() {
                assert!(line.starts_with(start), "{code}: {message}");
            }
            for k in keep {
                assert!(message.contains(k), "{code}: {message} lost {k}");
            }
            let found = english_in("error", &message, lang);
            assert!(found.is_empty(), "{code}: {message}\nEnglish: {found:#?}");
        }
    }
}
