//! `repool serve`: the HTTP API as the page uses it, its limits, and a bounded load test on
//! loopback (no errors, stable memory).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// A running `repool serve --port 0`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_repool"))
            .args(["serve", "--port", "0"])
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

    /// One request; returns (status, body).
    fn request(&self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        )
        .unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
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

    fn pool(&self, req: &serde_json::Value) -> serde_json::Value {
        let (status, body) = self.request("POST", "/api/pool", req.to_string().as_bytes());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap()
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap()
            .parse()
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
    ] {
        let v = srv.pool(&req);
        assert_eq!(v["ok"], false);
        assert!(
            v["errors"][0]["message"].as_str().unwrap().contains(needle),
            "{v}"
        );
    }
    // Malformed or oversized requests are refused; there is no file access.
    let (status, _) = srv.request("POST", "/api/pool", b"{not json");
    assert!((400..500).contains(&status), "{status}");
    let big = serde_json::json!({"csv": "x".repeat(300_000), "measure": "RR"}).to_string();
    assert_eq!(srv.request("POST", "/api/pool", big.as_bytes()).0, 413);
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

/// 10,000 requests on loopback, one after the other: every one answered correctly, and the
/// server's memory after the last is close to what it was after the first thousand.
#[test]
fn serve_load_test_no_errors_and_stable_memory() {
    let srv = Server::start();
    let req = serde_json::json!({"csv": BCG3, "measure": "OR", "model": "random", "tau2": "DL"})
        .to_string();
    let bad =
        serde_json::json!({"csv": BCG3.replace("\t4\t", "\t-4\t"), "measure": "OR"}).to_string();
    let mut rss_after_warmup = 0;
    for i in 0..10_000 {
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
}
