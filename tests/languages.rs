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
    // regress prints its model heading and measure in English (src/cli/regress.rs, [regress]).
    ("regress", "log risk ratio"),
    ("regress", "; tau^2 estimator:"),
    ("regress", "analysed on the log scale"),
    ("regress", "on the log scale"),
    // explain's title names the measure in English (src/explain/messages.rs, [explain]).
    ("explain", "log risk ratio"),
    // network's text output names the measure, the models and the prediction interval in
    // English (src/cli/network.rs, [network]).
    ("network", "mean difference"),
    ("network", "prediction interval"),
    ("network", "common effect"),
    ("network", "random effects"),
    ("network", "Heterogeneity"),
    // reproduce's candidate labels come from src/reproduce/ in English.
    ("reproduce", "random effects"),
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
