//! Where output goes: `-o FILE` replaces a regular file atomically and nothing else. Symbolic
//! links are followed and kept, permissions and hard links are kept, devices, FIFOs and
//! descriptors (`-`, `/dev/fd/1`) are written as they are, temporary files never stay behind
//! (also on SIGINT and SIGTERM), and a closed stdout or stderr is never a panic.
#![cfg(unix)]

mod util;

use std::os::fd::OwnedFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use util::repo_path;

const BIN: &str = env!("CARGO_BIN_EXE_repool");

fn repool_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn bcg() -> String {
    repo_path("datasets/bcg/data.csv")
        .to_string_lossy()
        .into_owned()
}

/// `pool` of the BCG trials as CSV, written to `out`.
fn pool_to(dir: &Path, out: &str) -> Output {
    repool_in(
        dir,
        &[
            "pool",
            &bcg(),
            "--measure",
            "RR",
            "--format",
            "csv",
            "-o",
            out,
        ],
    )
}

/// Names in `dir` starting with `.repool-` (temporary output files).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".repool-"))
        .collect()
}

fn is_root() -> bool {
    let o = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&o.stdout).trim() == "0"
}

#[test]
fn dash_writes_standard_output_not_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = pool_to(dir.path(), "-");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("analysis,"));
    assert!(!dir.path().join("-").exists());
}

#[test]
fn dev_fd_1_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let o = pool_to(dir.path(), "/dev/fd/1");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("analysis,"));
}

#[test]
fn a_symbolic_link_is_followed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("real.csv"), "old\n").unwrap();
    std::os::unix::fs::symlink("real.csv", d.join("link.csv")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink("../new.csv", d.join("sub/dangling.csv")).unwrap();
    for (link, file) in [("link.csv", "real.csv"), ("sub/dangling.csv", "new.csv")] {
        let o = pool_to(d, link);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(std::fs::symlink_metadata(d.join(link))
            .unwrap()
            .file_type()
            .is_symlink());
        let text = std::fs::read_to_string(d.join(file)).unwrap();
        assert!(text.starts_with("analysis,"), "{file}: {text}");
    }
    assert!(leftovers(d).is_empty() && leftovers(&d.join("sub")).is_empty());
}

#[test]
fn every_command_that_writes_files_keeps_a_symbolic_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let link = |name: &str| {
        let real = d.join(format!("real-{name}"));
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, d.join(name)).unwrap();
        (d.join(name).to_string_lossy().into_owned(), real)
    };
    let (forest, forest_real) = link("forest.svg");
    let (plot, plot_real) = link("loo.svg");
    let (graph, graph_real) = link("graph.svg");
    let hasselblad = repo_path("datasets/hasselblad1998/data.csv");
    let fleiss = repo_path("tests/fixtures/Fleiss1993.rm5");
    std::fs::create_dir(d.join("export")).unwrap();
    let export_real = d.join("real-export.csv");
    std::fs::write(&export_real, "old").unwrap();
    std::os::unix::fs::symlink(&export_real, d.join("export/comparison1_outcome1.csv")).unwrap();
    let runs: [&[&str]; 4] = [
        &["forest", &bcg(), "--measure", "RR", "--output", &forest],
        &[
            "sensitivity",
            &bcg(),
            "--measure",
            "RR",
            "--leave-one-out",
            "--plot",
            &plot,
        ],
        &[
            "network",
            hasselblad.to_str().unwrap(),
            "--measure",
            "OR",
            "--graph",
            &graph,
        ],
        &["revman", fleiss.to_str().unwrap(), "--export", "export"],
    ];
    for args in runs {
        let o = repool_in(d, args);
        assert!(o.status.code() != Some(2), "{args:?}: {}", stderr(&o));
    }
    for (name, real, start) in [
        ("forest.svg", &forest_real, "<svg"),
        ("loo.svg", &plot_real, "<svg"),
        ("graph.svg", &graph_real, "<svg"),
        ("export/comparison1_outcome1.csv", &export_real, "study,"),
    ] {
        assert!(
            std::fs::symlink_metadata(d.join(name))
                .unwrap()
                .file_type()
                .is_symlink(),
            "{name} replaced"
        );
        let text = std::fs::read_to_string(real).unwrap();
        assert!(
            text.starts_with(start),
            "{name}: {}",
            &text[..text.len().min(80)]
        );
    }
}

#[test]
fn report_out_keeps_a_symbolic_link_to_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("data/bcg")).unwrap();
    std::fs::copy(bcg(), d.join("data/bcg/data.csv")).unwrap();
    std::fs::write(
        d.join("data/bcg/dataset.toml"),
        "title = \"BCG\"\nmeasure = \"RR\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("out")).unwrap();
    std::fs::write(d.join("kept.html"), "old").unwrap();
    std::os::unix::fs::symlink("../kept.html", d.join("out/index.html")).unwrap();
    let o = repool_in(d, &["report", "data", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(d.join("out/index.html"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(d.join("kept.html"))
        .unwrap()
        .contains("bcg/index.html"));
}

#[test]
fn permissions_are_kept_and_new_files_follow_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let private = d.join("private.csv");
    std::fs::write(&private, "old\n").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = pool_to(d, "private.csv");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = std::fs::metadata(&private).unwrap().mode() & 0o7777;
    assert_eq!(mode, 0o600, "{mode:o}");
    assert!(std::fs::read_to_string(&private)
        .unwrap()
        .starts_with("analysis,"));
    // Run as root, another user's file stays theirs.
    if is_root() {
        std::os::unix::fs::chown(&private, Some(4321), Some(4321)).unwrap();
        let o = pool_to(d, "private.csv");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let m = std::fs::metadata(&private).unwrap();
        assert_eq!((m.uid(), m.gid(), m.mode() & 0o7777), (4321, 4321, 0o600));
    }
    // A new file gets 0666 minus the umask, as any file a program creates.
    let o = Command::new("sh")
        .args(["-c", "umask 027 && exec \"$0\" \"$@\"", BIN])
        .args(["pool", &bcg(), "--measure", "RR", "-o", "new.txt"])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = std::fs::metadata(d.join("new.txt")).unwrap().mode() & 0o7777;
    assert_eq!(mode, 0o640, "{mode:o}");
}

#[test]
fn a_hard_linked_file_is_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.csv"), "old\n").unwrap();
    std::fs::hard_link(d.join("a.csv"), d.join("b.csv")).unwrap();
    let o = pool_to(d, "a.csv");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (a, b) = (
        std::fs::metadata(d.join("a.csv")).unwrap(),
        std::fs::metadata(d.join("b.csv")).unwrap(),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    assert!(std::fs::read_to_string(d.join("b.csv"))
        .unwrap()
        .starts_with("analysis,"));
    assert!(leftovers(d).is_empty());
}

/// A character device stays one. The node is made in a temporary folder (the same device as
/// /dev/null), so that a regression cannot replace the machine's /dev/null.
#[test]
fn a_device_node_stays_a_device() {
    if !is_root() {
        eprintln!("skipped: making a device node needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("null");
    let made = Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: mknod is not allowed here");
        return;
    }
    let o = pool_to(dir.path(), "null");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = std::fs::symlink_metadata(&node).unwrap().file_type();
    assert!(t.is_char_device(), "{t:?}");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_fifo_is_written_directly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::read_to_string(path).unwrap_or_default());
    });
    let o = pool_to(dir.path(), "pipe");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
    assert!(got.starts_with("analysis,"), "the reader got {got:?}");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(leftovers(dir.path()).is_empty());
}

/// Sends `signal` to `repool pool - -o out.txt` while it writes a large output (standard
/// input stays open, so the write is still going on), then closes its input. `shell` runs
/// first, in the shell that starts repool (e.g. `trap '' HUP`, as nohup ignores SIGHUP).
/// Returns the exit code, the temporary files left and whether out.txt exists.
fn interrupted_write(signal: &str, shell: &str) -> (Option<i32>, Vec<String>, bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new("sh")
        .args(["-c", &format!("{shell}\nexec \"$0\" \"$@\""), BIN])
        .args(["pool", "-", "-o", "out.txt"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = String::from("analysis,study,yi,vi\n");
    for a in 0..3000 {
        input.push_str(&format!(
            "a{a},x,0.1,0.01\na{a},y,0.3,0.02\na{a},z,0.2,0.04\n"
        ));
    }
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, input.as_bytes()).unwrap();
    let start = Instant::now();
    let temp_size = || -> u64 {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".repool-"))
            .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
            .sum()
    };
    while temp_size() < 100_000 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(temp_size() >= 100_000, "the output never grew");
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args([signal, &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(300));
    drop(stdin);
    let status = child.wait().unwrap();
    (
        status.code(),
        leftovers(dir.path()),
        dir.path().join("out.txt").exists(),
    )
}

#[test]
fn sigterm_and_sigint_during_a_large_write_leave_no_temporary_file() {
    for (signal, code) in [("-TERM", 143), ("-INT", 130), ("-HUP", 129)] {
        let (status, left, out) = interrupted_write(signal, "");
        assert_eq!(status, Some(code), "{signal}");
        assert!(left.is_empty(), "{signal}: {left:?}");
        assert!(!out, "{signal}: an unfinished output was moved into place");
    }
}

/// A signal the process was started with ignored (nohup, a script's background job) stays
/// ignored: the write goes on and completes.
#[test]
fn an_ignored_signal_stays_ignored() {
    for (signal, name) in [("-HUP", "HUP"), ("-INT", "INT")] {
        let (status, left, out) = interrupted_write(signal, &format!("trap '' {name}"));
        assert_eq!(status, Some(0), "{signal}");
        assert!(left.is_empty() && out, "{signal}: {left:?}");
    }
}

/// The write end of a pipe whose read end is closed: writing to it fails with EPIPE.
fn broken_pipe() -> OwnedFd {
    let mut reader = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let w = OwnedFd::from(reader.stdin.take().unwrap());
    reader.wait().unwrap();
    w
}

#[test]
fn a_closed_stderr_or_stdout_is_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, toml) in [
        ("bad", "title = \"Bad\"\nmeasure = \"XX\"\n"),
        ("good", "title = \"Good\"\nmeasure = \"RR\"\n"),
    ] {
        std::fs::create_dir_all(d.join("data").join(name)).unwrap();
        std::fs::copy(bcg(), d.join("data").join(name).join("data.csv")).unwrap();
        std::fs::write(d.join("data").join(name).join("dataset.toml"), toml).unwrap();
    }
    // `repool report 2>&1 | head -0`: stdout and stderr both go to a closed pipe.
    let pipe = broken_pipe();
    let o = Command::new(BIN)
        .args(["report", "data", "--out", "out"])
        .current_dir(d)
        .stdout(Stdio::from(pipe.try_clone().unwrap()))
        .stderr(Stdio::from(pipe))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "the bad dataset, not a panic (101)"
    );
    assert!(d.join("out/good/index.html").exists());
    // `repool pool ... | head -0`: a closed stdout ends the command quietly.
    let o = Command::new(BIN)
        .args(["pool", &bcg(), "--measure", "RR"])
        .stdout(Stdio::from(broken_pipe()))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn a_folder_or_a_missing_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    for (out, needle) in [("sub", "sub"), ("missing/out.csv", "missing")] {
        let o = pool_to(d, out);
        assert_eq!(o.status.code(), Some(2), "{out}");
        assert!(stderr(&o).contains(needle), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    assert!(leftovers(d).is_empty() && leftovers(&d.join("sub")).is_empty());
}

/// Every option that names an output file, pointed into a missing folder or below a regular
/// file: the error names that folder, never a temporary file, and nothing is left behind.
#[test]
fn every_output_option_into_a_missing_folder_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("plain"), "x").unwrap();
    let hasselblad = repo_path("datasets/hasselblad1998/data.csv");
    let hasselblad = hasselblad.to_str().unwrap();
    let claims = repo_path("datasets/minerva-claims/claims.csv");
    let claims = claims.to_str().unwrap();
    for (folder, needle) in [
        ("no-such-folder", "the folder no-such-folder does not exist"),
        ("plain", "plain is not a folder"),
    ] {
        let out = format!("{folder}/out.svg");
        let bcg = bcg();
        let runs: Vec<Vec<&str>> = vec![
            vec!["pool", &bcg, "--measure", "RR", "-o", &out],
            vec!["forest", &bcg, "--measure", "RR", "-o", &out],
            vec!["funnel", &bcg, "--measure", "RR", "-o", &out],
            vec!["explain", &bcg, "--measure", "RR", "-o", &out],
            vec![
                "sensitivity",
                &bcg,
                "--measure",
                "RR",
                "--leave-one-out",
                "--plot",
                &out,
            ],
            vec!["network", hasselblad, "--measure", "OR", "-o", &out],
            vec!["network", hasselblad, "--measure", "OR", "--graph", &out],
            vec!["check", claims, "-o", &out],
        ];
        for args in runs {
            let o = repool_in(d, &args);
            let err = stderr(&o);
            assert_ne!(o.status.code(), Some(0), "{args:?}");
            assert!(err.contains(needle), "{args:?}: {err}");
            assert!(
                !err.contains(".repool-") && !err.contains("panicked"),
                "{args:?}: {err}"
            );
        }
    }
    assert!(leftovers(d).is_empty());
}
