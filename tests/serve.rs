//! `repool serve`: the HTTP API as the page uses it, its limits, and a bounded load test on
//! loopback (no errors, stable memory).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `repool serve --port 0`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start() -> Server {
        Server::with(&[])
    }

    /// With more arguments, e.g. short timeouts.
    fn with(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_repool"))
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Server { child, addr }
    }

    /// A connection that gives up reading after 10 s (no test waits that long).
    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s
    }

    /// One request; returns (status, body).
    fn request(&self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        self.request_as(method, path, "Content-Type: application/json", body)
    }

    /// One request with the header line `header`.
    fn request_as(&self, method: &str, path: &str, header: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let mut s = self.connect();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{header}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        )
        .unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        parse_response(&raw)
    }

    fn pool(&self, req: &serde_json::Value) -> serde_json::Value {
        let (status, body) = self.request("POST", "/api/pool", req.to_string().as_bytes());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap()
    }

    /// A number from /proc/PID/status: "VmRSS", "VmHWM" (KiB), "Threads".
    fn proc_status(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find(|l| l.split(':').next() == Some(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap()
            .parse()
            .unwrap()
    }

    fn rss_kib(&self) -> u64 {
        self.proc_status("VmRSS")
    }

    /// File descriptors the server has open.
    fn open_fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .unwrap()
            .count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (status, body) of a raw HTTP/1.1 response.
fn parse_response(raw: &[u8]) -> (u16, Vec<u8>) {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 4 + n..];
    }
}

/// The first three BCG trials, as the page sends them (tab-separated).
const BCG3: &str = "study\tevents_t\tn_t\tevents_c\tn_c\nAronson\t4\t123\t11\t139\nFerguson & Simes\t6\t306\t29\t303\nRosenthal\t3\t231\t11\t220\n";

#[test]
fn serve_pools_like_the_command_line_and_locates_errors() {
    let srv = Server::start();
    let (status, page) = srv.request("GET", "/", b"");
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("<table class=\"data\">") && page.contains("Aronson"));
    // Offline: nothing is loaded from elsewhere.
    for needle in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!page.contains(needle), "the page loads {needle}");
    }
    // Its labels in every language, from the catalogue, for the page to apply.
    assert!(!page.contains("__LABELS__"));
    for needle in [
        "\"add_row\":\"Rij toevoegen\"",
        "\"how\":\"Comment c'est calculé\"",
        "data-t=\"add_row\"",
    ] {
        assert!(page.contains(needle), "the page lacks {needle}");
    }

    // The 13 BCG trials: metafor rma(measure = "RR", ...): RR exp(-0.7145), tau^2 0.3132.
    let bcg = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/bcg/data.csv"
    ))
    .unwrap();
    let v = srv.pool(&serde_json::json!({"csv": bcg, "measure": "RR"}));
    assert_eq!(v["ok"], true, "{v}");
    let r = &v["result"];
    assert!(
        (r["estimate"].as_f64().unwrap().ln() + 0.7145).abs() < 5e-5,
        "{r}"
    );
    assert!((r["tau2"].as_f64().unwrap() - 0.3132).abs() < 5e-5);
    assert!(r["svg"].as_str().unwrap().starts_with("<svg"));
    assert!(r["explain"].as_str().unwrap().contains("τ² = 0.3132"));
    assert_eq!(r["summary"], "RR 0.489 [95% CI 0.344; 0.696], k = 13");
    let v = srv.pool(&serde_json::json!({"csv": bcg, "measure": "RR", "lang": "nl"}));
    assert_eq!(
        v["result"]["summary"],
        "RR 0,489 [95%-BI 0,344; 0,696], k = 13"
    );

    // Switching a study off: the pool without it, and the pool of all for comparison.
    let v = srv.pool(&serde_json::json!({"csv": BCG3, "measure": "RR", "excluded": [1]}));
    assert_eq!(v["result"]["k"], 2);
    assert!(v["result"]["with_all"]["estimate"].as_f64().is_some());

    // A bad cell: row and column of the table, and the value.
    let v =
        srv.pool(&serde_json::json!({"csv": BCG3.replace("\t306\t", "\t3O6\t"), "measure": "RR"}));
    assert_eq!(v["ok"], false);
    let e = &v["errors"][0];
    assert_eq!(e["row"], 1);
    assert_eq!(e["column"], "n_t");
    assert!(e["message"].as_str().unwrap().contains("'3O6'"), "{e}");
    // Decimal commas are accepted (tab-separated input).
    let v = srv.pool(&serde_json::json!({"csv": "study\tyi\tvi\na\t0,1\t0,02\nb\t0,3\t0,04\n", "measure": "GEN"}));
    assert_eq!(v["ok"], true, "{v}");
    // Options are validated like the command line's.
    for (req, needle) in [
        (
            serde_json::json!({"csv": BCG3, "measure": "XX"}),
            "unknown measure",
        ),
        (
            serde_json::json!({"csv": BCG3, "measure": "RR", "level": 1.5}),
            "confidence level",
        ),
        (
            serde_json::json!({"csv": BCG3, "measure": "RR", "threshold": -1}),
            "ratio",
        ),
        (
            serde_json::json!({"csv": BCG3, "measure": "RR", "excluded": [0, 1, 2]}),
            "switched off",
        ),
        // In the page's language.
        (
            serde_json::json!({"csv": BCG3, "measure": "RR", "excluded": [0, 1, 2], "lang": "nl"}),
            "elke studie is uitgevinkt",
        ),
        (
            serde_json::json!({"csv": BCG3, "measure": "RR", "level": 1.5, "lang": "fr"}),
            "niveau de confiance 1,5 %",
        ),
    ] {
        let v = srv.pool(&req);
        assert_eq!(v["ok"], false);
        assert!(
            v["errors"][0]["message"].as_str().unwrap().contains(needle),
            "{v}"
        );
    }
    // There is no file access.
    assert_eq!(srv.request("GET", "/../Cargo.toml", b"").0, 404);
    assert_eq!(srv.request("GET", "/datasets/bcg/data.csv", b"").0, 404);
    // PNG download.
    let (status, png) = srv.request(
        "POST",
        "/api/png",
        serde_json::json!({"csv": BCG3, "measure": "RR"})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 200);
    assert!(png.starts_with(b"\x89PNG"));
}

/// The refusal's JSON: `{"ok": false, "errors": [{"row", "column", "message"}]}`.
fn refusal(status: u16, body: &[u8], want: u16) -> serde_json::Value {
    let text = String::from_utf8_lossy(body);
    assert_eq!(status, want, "{text}");
    let v: serde_json::Value =
        serde_json::from_slice(body).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    assert_eq!(v["ok"], false, "{v}");
    assert!(v["errors"][0]["message"].is_string(), "{v}");
    v
}

fn message(v: &serde_json::Value) -> &str {
    v["errors"][0]["message"].as_str().unwrap()
}

#[test]
fn serve_refuses_bad_requests_with_json_errors() {
    let srv = Server::start();
    let (status, body) = srv.request("POST", "/api/pool", b"{not json");
    let v = refusal(status, &body, 400);
    assert!(message(&v).contains("not valid JSON"), "{v}");
    let (status, body) = srv.request("POST", "/api/pool", br#"{"csv": 1, "measure": "RR"}"#);
    let v = refusal(status, &body, 422);
    assert!(message(&v).contains("csv"), "{v}");
    let req = serde_json::json!({"csv": BCG3, "measure": "RR"}).to_string();
    let (status, body) = srv.request_as(
        "POST",
        "/api/png",
        "Content-Type: text/plain",
        req.as_bytes(),
    );
    let v = refusal(status, &body, 415);
    assert!(message(&v).contains("application/json"), "{v}");
    let big = serde_json::json!({"csv": "x".repeat(300_000), "measure": "RR"}).to_string();
    let (status, body) = srv.request("POST", "/api/pool", big.as_bytes());
    let v = refusal(status, &body, 413);
    assert!(message(&v).contains("256 KiB"), "{v}");
    // In the page's language, which it sends as Accept-Language.
    let (status, body) = srv.request_as(
        "POST",
        "/api/pool",
        "Content-Type: text/plain\r\nAccept-Language: nl",
        req.as_bytes(),
    );
    let v = refusal(status, &body, 415);
    assert!(message(&v).starts_with("stuur het verzoek als JSON"), "{v}");
    // A PNG of a table with a bad cell: the error at its row and column, as /api/pool's.
    let bad = serde_json::json!({"csv": BCG3.replace("\t306\t", "\t3O6\t"), "measure": "RR"});
    let (status, body) = srv.request("POST", "/api/png", bad.to_string().as_bytes());
    let v = refusal(status, &body, 422);
    assert_eq!(
        (&v["errors"][0]["row"], &v["errors"][0]["column"]),
        (&1.into(), &"n_t".into())
    );
}

/// Reads from `s` until the server closes the connection; returns what it sent and when it
/// closed (None: still open after `patience`). `tick`, if given, is sent every 50 ms.
fn until_closed(
    s: &mut TcpStream,
    tick: Option<&[u8]>,
    patience: Duration,
) -> (Vec<u8>, Option<Duration>) {
    let t0 = Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while t0.elapsed() < patience {
        if let Some(t) = tick {
            if s.write_all(t).is_err() {
                return (got, Some(t0.elapsed()));
            }
        }
        match s.read(&mut buf) {
            Ok(0) => return (got, Some(t0.elapsed())),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return (got, Some(t0.elapsed())),
        }
    }
    (got, None)
}

/// With 0.5 s timeouts: a client that is slow with its headers or its body, or that keeps
/// an idle connection, is disconnected after about 0.5 s rather than never.
#[test]
fn serve_disconnects_slow_and_idle_clients() {
    let srv = Server::with(&["--header-timeout", "0.5", "--body-timeout", "0.5"]);
    let patience = Duration::from_secs(5);
    let in_time = |closed: Option<Duration>, what: &str| {
        let t = closed.unwrap_or_else(|| panic!("{what}: still open after {patience:?}"));
        assert!(
            t >= Duration::from_millis(400) && t < Duration::from_secs(3),
            "{what}: {t:?}"
        );
    };
    // Connected, nothing sent.
    let (_, closed) = until_closed(&mut srv.connect(), None, patience);
    in_time(closed, "a silent connection");
    // Headers one byte every 50 ms.
    let mut s = srv.connect();
    s.write_all(b"POST /api/pool HTTP/1.1\r\n").unwrap();
    let (_, closed) = until_closed(&mut s, Some(b"X"), patience);
    in_time(closed, "slow headers");
    // A Content-Length, and no body: 408 with a JSON error, then closed.
    let mut s = srv.connect();
    write!(s, "POST /api/pool HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n").unwrap();
    let (got, closed) = until_closed(&mut s, None, patience);
    in_time(closed, "a missing body");
    let (status, body) = parse_response(&got);
    refusal(status, &body, 408);
    // A body one byte every 50 ms (a JSON string that would be valid at the end).
    let mut s = srv.connect();
    write!(s, "POST /api/pool HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n\"").unwrap();
    let (got, closed) = until_closed(&mut s, Some(b"x"), patience);
    in_time(closed, "a slow body");
    let (status, body) = parse_response(&got);
    refusal(status, &body, 408);
    // A kept-alive connection: answered, then closed once idle.
    let mut s = srv.connect();
    write!(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (got, closed) = until_closed(&mut s, None, patience);
    in_time(closed, "an idle kept-alive connection");
    assert_eq!(parse_response(&got).0, 200);
    // Requests in time are answered as before.
    assert_eq!(srv.request("GET", "/", b"").0, 200);
}

/// With at most 8 connections, 100 idle ones: 8 are kept (until the header timeout), the
/// others are answered 503 at once and closed, so the server's file descriptors do not grow
/// with them; once they are gone, requests are answered again.
#[test]
fn serve_caps_open_connections() {
    let srv = Server::with(&["--max-connections", "8", "--header-timeout", "30"]);
    assert_eq!(srv.request("GET", "/", b"").0, 200);
    // That connection is closed and its slot free (the server closed it first).
    std::thread::sleep(Duration::from_millis(100));
    let fds = srv.open_fds();
    let mut idle: Vec<TcpStream> = (0..100).map(|_| srv.connect()).collect();
    let mut refused = 0;
    for s in &mut idle {
        let (got, closed) = until_closed(s, None, Duration::from_millis(300));
        if closed.is_some() {
            let (status, body) = parse_response(&got);
            let v = refusal(status, &body, 503);
            assert!(message(&v).contains("too many open connections"), "{v}");
            refused += 1;
        }
    }
    assert_eq!(refused, 92);
    assert!(
        srv.open_fds() <= fds + 8,
        "{} file descriptors, {fds} before",
        srv.open_fds()
    );
    drop(idle);
    let t0 = Instant::now();
    loop {
        let mut s = srv.connect();
        write!(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        if raw.starts_with(b"HTTP/1.1 200") {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "still refused after the idle ones left"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A 2x2 table of `k` trials; with `subgroups`, each trial in its own subgroup.
fn trials(k: usize, subgroups: bool) -> String {
    let mut csv = String::from(if subgroups {
        "study\tsubgroup\tevents_t\tn_t\tevents_c\tn_c\n"
    } else {
        "study\tevents_t\tn_t\tevents_c\tn_c\n"
    });
    for i in 0..k {
        let sub = if subgroups {
            format!("\tg{i}")
        } else {
            String::new()
        };
        csv += &format!(
            "T{i}{sub}\t{}\t{}\t{}\t{}\n",
            5 + i % 40,
            100 + 7 * i,
            6 + i % 35,
            110 + 5 * i
        );
    }
    csv
}

/// 500 trials, each in its own subgroup: a forest plot of about 1,300 x 100,000 px at
/// 150 dpi (130 megapixels, half a gigabyte as RGBA). Refused before it is drawn: no memory
/// peak, a JSON error naming the size.
#[test]
fn serve_refuses_a_png_over_the_pixel_budget_before_drawing_it() {
    let srv = Server::start();
    let req = serde_json::json!({"csv": trials(500, true), "measure": "RR"}).to_string();
    assert!(req.len() < 16 * 1024);
    let peak = srv.proc_status("VmHWM");
    let (status, body) = srv.request("POST", "/api/png", req.as_bytes());
    let v = refusal(status, &body, 422);
    assert!(message(&v).contains("megapixels allowed"), "{v}");
    let grown = srv.proc_status("VmHWM") - peak;
    assert!(grown < 64 * 1024, "the peak memory grew by {grown} KiB");
    // The SVG of the same table is still given.
    assert_eq!(srv.pool(&serde_json::from_str(&req).unwrap())["ok"], true);
}

/// With one rendering slot and a millisecond of waiting for it: of two PNG requests at once, one is
/// drawn and the other answered 503; then the slot is free again.
#[test]
fn serve_draws_one_png_at_a_time() {
    // A wait far shorter than drawing 200 studies takes, so the second request cannot have
    // its turn.
    let srv = Server::with(&["--max-renders", "1", "--render-wait", "0.001"]);
    let req = serde_json::json!({"csv": trials(200, false), "measure": "RR"}).to_string();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| srv.request("POST", "/api/png", req.as_bytes()));
        let b = s.spawn(|| srv.request("POST", "/api/png", req.as_bytes()));
        (a.join().unwrap(), b.join().unwrap())
    });
    let (drawn, busy) = if a.0 == 200 { (a, b) } else { (b, a) };
    assert_eq!(drawn.0, 200);
    assert!(drawn.1.starts_with(b"\x89PNG"));
    let v = refusal(busy.0, &busy.1, 503);
    assert!(message(&v).contains("drawing other PNGs"), "{v}");
    let small = serde_json::json!({"csv": BCG3, "measure": "RR"}).to_string();
    assert_eq!(srv.request("POST", "/api/png", small.as_bytes()).0, 200);
}

/// 20,000 requests on loopback, one after the other: every one answered correctly, and the
/// server's memory after the last is close to what it was after the warm-up (a burst of 16
/// requests at once, then 1,000 one after the other). The server's threads are few and
/// fixed: main, 2 workers, 2 pooling threads and 1 rendering thread, started by the burst
/// (threads started later, as tokio did by default, each grew the memory by 1 to 2 MiB).
#[test]
fn serve_load_test_no_errors_and_stable_memory() {
    let srv = Server::start();
    let req = serde_json::json!({"csv": BCG3, "measure": "OR", "model": "random", "tau2": "DL"})
        .to_string();
    let bad =
        serde_json::json!({"csv": BCG3.replace("\t4\t", "\t-4\t"), "measure": "OR"}).to_string();
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| assert_eq!(srv.request("POST", "/api/pool", req.as_bytes()).0, 200));
        }
    });
    let threads = srv.proc_status("Threads");
    assert!(threads <= 6, "{threads} threads after 16 requests at once");
    let mut rss_after_warmup = 0;
    for i in 0..20_000 {
        let body = if i % 10 == 9 { &bad } else { &req };
        let (status, out) = srv.request("POST", "/api/pool", body.as_bytes());
        assert_eq!(status, 200, "request {i}");
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["ok"], i % 10 != 9, "request {i}: {v}");
        if i == 999 {
            rss_after_warmup = srv.rss_kib();
        }
    }
    let rss = srv.rss_kib();
    assert!(
        rss < rss_after_warmup + 8 * 1024,
        "memory grew from {rss_after_warmup} KiB to {rss} KiB"
    );
    assert_eq!(srv.proc_status("Threads"), threads);
}
