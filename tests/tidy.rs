//! The invariants of ARCHITECTURE.md that can be read off the source, checked on every test
//! run: which module may import which, which crates only the edges may use, and that the
//! computation does no I/O. A failure names the file, the line and the rule it breaks.

use std::fs;
use std::path::{Path, PathBuf};

/// The modules that compute: they never import the edges (files and formats, the command
/// line, figures, reports).
const CORE: &[&str] = &[
    "check",
    "compare",
    "dataset",
    "dist",
    "effect",
    "explain",
    "format",
    "i18n",
    "network",
    "pool",
    "reproduce",
    "review",
    "sof",
    "study",
];

/// `(module, modules it must not import, why)`.
fn layer_rules() -> Vec<(&'static str, Vec<&'static str>, &'static str)> {
    let mut rules: Vec<_> = CORE
        .iter()
        .map(|&m| {
            (
                m,
                vec!["io", "plot", "report", "cli"],
                "the computation never imports io, plot, report or the command line",
            )
        })
        .collect();
    rules.push((
        "plot",
        vec!["check", "io", "report", "explain", "reproduce", "cli"],
        "figures draw results: no checks, files, reports or explanations",
    ));
    rules.push((
        "io",
        vec!["report", "plot", "explain", "cli"],
        "io reads and writes data; reports and figures build on it, not the other way",
    ));
    rules.push(("report", vec!["cli"], "reports are built by the library"));
    rules
}

/// Crates only the binary (`src/cli`, `src/main.rs`) may use.
const CLI_ONLY: &[&str] = &[
    "clap",
    "anyhow",
    "axum",
    "tokio",
    "hyper",
    "indicatif",
    "mimalloc",
    "signal_hook",
];

/// Crates and calls that read or write files and formats: only `src/io` uses them.
const IO_ONLY: &[&str] = &[
    "std::fs",
    "File::",
    "csv::",
    "toml::",
    "roxmltree",
    "lopdf",
    "serde_json",
    "stdin()",
    "stdout()",
    "println!",
    "eprintln!",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/pool/tau2/reml.rs` → `pool`,
/// `src/dist.rs` → `dist`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The code lines of a file, numbered from 1, without comments and without the unit tests
/// at its end (`#[cfg(test)]`), which may use anything.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        let code = match line.find("//") {
            Some(j) if !line[..j].contains('"') => &line[..j],
            _ => line,
        };
        out.push((i + 1, code));
    }
    out
}

/// The top-level modules a line imports through `crate::`: `crate::io::x` gives `io`,
/// `use crate::{io, pool::Model}` gives `io` and `pool`.
fn crate_imports(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for part in inner.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.push(name);
            }
        } else {
            found.push(
                after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
        rest = after;
    }
    found
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn library_files() -> Vec<(String, PathBuf)> {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|f| (module_of(&src, &f), f))
        .filter(|(m, _)| m != "cli" && m != "main")
        .collect()
}

#[test]
fn layers_import_only_downwards() {
    let rules = layer_rules();
    let mut broken = Vec::new();
    for (module, file) in library_files() {
        let Some((_, forbidden, why)) = rules.iter().find(|(m, _, _)| *m == module) else {
            continue;
        };
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in code_lines(&text) {
            for imported in crate_imports(line) {
                if forbidden.contains(&imported.as_str()) {
                    broken.push(format!(
                        "{}:{n}: {module} imports {imported} ({why})",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_library_does_not_use_the_binarys_crates() {
    let mut broken = Vec::new();
    for (_, file) in library_files() {
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in code_lines(&text) {
            for krate in CLI_ONLY {
                let used = line.contains(&format!("{krate}::"))
                    || line.contains(&format!("use {krate}"))
                    || line.contains(&format!("#[{krate}"));
                if used {
                    broken.push(format!("{}:{n}: uses {krate}", file.display()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "only src/cli may use these:\n{}",
        broken.join("\n")
    );
}

/// `(module or file, call, why)`: the formats parsed outside `io`, from text in memory
/// rather than read from a file: the catalogue compiled into the library, and the SVG the
/// PNG renderer is given.
const COMPILED_IN: &[(&str, &str, &str)] = &[
    (
        "i18n",
        "toml::",
        "the translation catalogue is compiled in (include_str!); it reads no file",
    ),
    (
        "plot/svg_text.rs",
        "roxmltree",
        "the PNG renderer reads the SVG text it was given, in memory, as usvg does; no file",
    ),
];

#[test]
fn only_io_reads_and_writes() {
    let mut broken = Vec::new();
    for (module, file) in library_files() {
        if module == "io" {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in code_lines(&text) {
            for call in IO_ONLY {
                // An exception names a module or one file.
                let compiled_in = COMPILED_IN
                    .iter()
                    .any(|(m, c, _)| (*m == module || file.ends_with(m)) && c == call);
                if line.contains(call) && !compiled_in {
                    broken.push(format!("{}:{n}: {call}", file.display()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "files, formats and standard streams belong to src/io:\n{}",
        broken.join("\n")
    );
}

/// The checks above must see what they look for, or they could not fail.
#[test]
fn the_checks_recognise_imports() {
    assert_eq!(crate_imports("use crate::io::number;"), ["io"]);
    assert_eq!(
        crate_imports("use crate::{io, pool::Model};"),
        ["io", "pool"]
    );
    assert_eq!(
        crate_imports("let x = crate::plot::a(crate::check::b);"),
        ["plot", "check"]
    );
    let lines =
        code_lines("use a; // crate::io\n/// crate::io\nfn f() {}\n#[cfg(test)]\nuse crate::io;");
    assert!(lines.iter().all(|(_, l)| crate_imports(l).is_empty()));
    assert_eq!(
        module_of(Path::new("src"), Path::new("src/pool/tau2/reml.rs")),
        "pool"
    );
    assert_eq!(
        module_of(Path::new("src"), Path::new("src/dist.rs")),
        "dist"
    );
    assert!(library_files().iter().any(|(m, _)| m == "pool"));
}

/// The `#[error(...)]` attributes of a file, with the line each starts on (an attribute may
/// span lines).
fn error_attributes(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some((_, acc)) = open.as_mut() {
            acc.push_str(t);
        } else if t.starts_with("#[error(") {
            open = Some((i + 1, t.to_string()));
        }
        if open.as_ref().is_some_and(|(_, acc)| acc.ends_with(")]")) {
            out.extend(open.take());
        }
    }
    out
}

/// Whether a message names a command-line option: `--` after a space or bracket, followed by
/// a letter.
fn names_an_option(message: &str) -> bool {
    let b = message.as_bytes();
    (1..b.len().saturating_sub(2)).any(|i| {
        matches!(b[i - 1], b' ' | b'(' | b'\'' | b'`')
            && &b[i..i + 2] == b"--"
            && b[i + 2].is_ascii_alphabetic()
    })
}

/// The library says what is wrong with the data; the command line (src/cli/hints.rs) adds the
/// options that change it.
#[test]
fn library_errors_name_no_command_line_options() {
    let mut broken = Vec::new();
    for (_, file) in library_files() {
        let text = fs::read_to_string(&file).unwrap();
        for (n, attr) in error_attributes(&text) {
            if names_an_option(&attr) {
                broken.push(format!("{}:{n}: {attr}", file.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "library error messages name command-line options (word the hint in src/cli/hints.rs):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_option_check_recognises_options() {
    assert!(names_an_option(r#"#[error("lower --dpi or use SVG")]"#));
    assert!(names_an_option(
        r#"#[error("a correction (--cc-to only0)")]"#
    ));
    assert!(!names_an_option(r#"#[error("{a} -- {b}: 2 - -1")]"#));
    let attrs = error_attributes("    #[error(\n        \"x --all\",\n    )]\n    A,\n");
    assert_eq!(attrs.len(), 1);
    assert!(names_an_option(&attrs[0].1));
}

/// The longest a function in `src/` may be, in lines from its `fn` line to its closing
/// brace: beyond it a function holds more steps than a reader can follow at once.
const MAX_FUNCTION_LINES: usize = 120;

/// The name of the function a line declares (`pub(crate) async fn name<T>(` → `name`), if it
/// declares one.
fn declared_fn(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
        "extern \"C\" ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The functions of a file as `(line of fn, name, lines)`, `lines` counted from the `fn` line
/// to the closing brace at the same indentation (rustfmt puts it there). Items under
/// `#[cfg(test)]` are skipped, and so are declarations without a body.
fn functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let closing = |from: usize, at: usize| {
        (from..lines.len()).find(|&j| indent(lines[j]) == at && lines[j].trim() == "}")
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if t.starts_with("#[cfg(test)]") {
            // Skip the item the attribute applies to.
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim_start().starts_with("#[") {
                j += 1;
            }
            let body = (j..lines.len())
                .find(|&m| lines[m].contains('{') || lines[m].trim_end().ends_with(';'));
            i = match body {
                Some(m) if lines[m].contains('{') && !lines[m].trim_end().ends_with('}') => {
                    closing(m + 1, indent(lines[j])).map_or(lines.len(), |e| e + 1)
                }
                Some(m) => m + 1,
                None => lines.len(),
            };
            continue;
        }
        if !t.starts_with("//") {
            if let Some(name) = declared_fn(lines[i]) {
                let body = (i..lines.len())
                    .find(|&m| lines[m].contains('{') || lines[m].trim_end().ends_with(';'));
                if let Some(m) = body.filter(|&m| lines[m].contains('{')) {
                    let one_line = lines[m].trim_end().ends_with('}');
                    if !one_line {
                        if let Some(end) = closing(m + 1, indent(lines[i])) {
                            out.push((i + 1, name.to_string(), end - i + 1));
                        }
                    }
                }
            }
        }
        i += 1;
    }
    out
}

#[test]
fn no_function_is_longer_than_a_reader_can_follow() {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut long = Vec::new();
    let mut n_functions = 0;
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (line, name, n_lines) in functions(&text) {
            n_functions += 1;
            if n_lines > MAX_FUNCTION_LINES {
                let rel = file
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap_or(&file);
                long.push(format!(
                    "{}:{line}: {name} ({n_lines} lines)",
                    rel.display()
                ));
            }
        }
    }
    // The scan must see functions, or it could not fail.
    assert!(
        n_functions > 500,
        "only {n_functions} functions found in src/"
    );
    let sample = "pub fn f(\n    x: u8,\n) -> u8 {\n    x\n}\n#[cfg(test)]\nmod tests {\n    fn g() {\n        h();\n    }\n}\n";
    assert_eq!(functions(sample), [(1, "f".to_string(), 5)]);
    assert!(
        long.is_empty(),
        "functions longer than {MAX_FUNCTION_LINES} lines; split them into named steps:\n{}",
        long.join("\n")
    );
}
