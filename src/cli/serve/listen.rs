//! The accept loop of `repool serve`: hyper's HTTP/1 connections with a timer, so that a
//! client that is slow to send its headers, or keeps an idle connection open, is
//! disconnected, and a cap on open connections, so that many clients cannot use up the file
//! descriptors. (`axum::serve` has neither: its connections have no timer.)

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

/// The server's timeouts and caps (`repool serve --help`, "Limits").
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// To send a request's headers, counted from the opening of the connection or the end of
    /// the previous answer: so also how long an idle connection stays open.
    pub header_timeout: Duration,
    /// To send a request's body.
    pub body_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// PNGs drawn at once.
    pub max_renders: usize,
    /// How long a PNG request waits for a rendering slot.
    pub render_wait: Duration,
}

/// The answer to a connection beyond the cap.
const TOO_MANY: &str = r#"{"ok":false,"errors":[{"row":null,"column":null,"message":"the server has too many open connections: try again in a moment"}]}"#;

/// Serves `app` on `listener` until `stop` resolves; then lets the open connections finish
/// the request they are answering, for at most `grace`.
pub(super) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    stop: impl Future<Output = ()>,
    grace: Duration,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stopping, stop_rx) = watch::channel(());
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let mut stop = pin!(stop);
    loop {
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors or a connection reset before it was accepted:
                    // do not spin; the connections that are open will end.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => connection(&http, stream, app.clone(), slot, stop_rx.clone()),
            Err(_) => refuse(&stream),
        }
    }
    drop(listener);
    let _ = stopping.send(());
    // Every connection holds a slot until it ends.
    let all = limits.max_connections as u32;
    let _ = tokio::time::timeout(grace, slots.acquire_many(all)).await;
}

/// Serves one connection on its own task, holding `slot` until the connection ends.
fn connection(
    http: &http1::Builder,
    stream: TcpStream,
    app: Router,
    slot: OwnedSemaphorePermit,
    mut stop: watch::Receiver<()>,
) {
    let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::spawn(async move {
        let mut conn = pin!(conn);
        tokio::select! {
            _ = conn.as_mut() => {}
            _ = stop.changed() => {
                // Closes the connection when idle, or after the answer it is writing.
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        }
        drop(slot);
    });
}

/// Answers a connection beyond the cap with 503, without waiting (the socket's buffer is
/// empty), and closes it.
fn refuse(stream: &TcpStream) {
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{TOO_MANY}",
        TOO_MANY.len()
    );
    let _ = stream.try_write(answer.as_bytes());
}
