//! A TCP proxy between the console and PostgreSQL that a test can break on cue: drop
//! every connection (a network cut the server notices), refuse new ones (the server is
//! down), or drop only the client's side while the server's stays open (a network drop
//! the server does not notice: its session lives on, finishing what it runs and holding
//! its locks, and its answers go nowhere), or go silent (a middlebox that keeps both
//! sides open and passes nothing on: nothing arrives and nothing is closed).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

pub struct Proxy {
    pub port: u16,
    shared: Arc<Shared>,
    accept: tokio::task::JoinHandle<()>,
}

struct Shared {
    upstream: String,
    refusing: AtomicBool,
    /// Links opened so far.
    opened: AtomicUsize,
    tokens: std::sync::Mutex<Tokens>,
    /// The proxy is gone: stalled links close too.
    closed: CancellationToken,
}

/// Tokens of the links open now; replaced after each use so new links are unaffected.
#[derive(Clone, Default)]
struct Tokens {
    cut: CancellationToken,
    drop_client: CancellationToken,
    stall: CancellationToken,
}

impl Proxy {
    pub async fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            upstream: upstream.to_owned(),
            refusing: AtomicBool::new(false),
            opened: AtomicUsize::new(0),
            tokens: std::sync::Mutex::new(Tokens::default()),
            closed: CancellationToken::new(),
        });
        let accepting = shared.clone();
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if accepting.refusing.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&accepting.upstream).await else {
                    continue;
                };
                accepting.opened.fetch_add(1, Ordering::SeqCst);
                let tokens = accepting.tokens.lock().unwrap().clone();
                tokio::spawn(link(client, server, tokens, accepting.closed.clone()));
            }
        });
        Proxy {
            port,
            shared,
            accept,
        }
    }

    /// `url` (a postgres:// URL on 127.0.0.1:5432) through this proxy.
    pub fn url(&self, url: &str) -> String {
        url.replace("127.0.0.1:5432", &format!("127.0.0.1:{}", self.port))
    }

    pub fn opened(&self) -> usize {
        self.shared.opened.load(Ordering::SeqCst)
    }

    /// Closes every open connection on both sides.
    pub fn cut(&self) {
        let old = std::mem::take(&mut *self.shared.tokens.lock().unwrap());
        old.cut.cancel();
    }

    /// Closes the client's side of every open connection; the server's stays open and
    /// its answers are read and thrown away.
    pub fn drop_clients(&self) {
        let old = std::mem::take(&mut *self.shared.tokens.lock().unwrap());
        old.drop_client.cancel();
    }

    /// Every open connection stops passing anything on, both sides left open; new
    /// connections work.
    pub fn stall(&self) {
        let old = std::mem::take(&mut *self.shared.tokens.lock().unwrap());
        old.stall.cancel();
    }

    /// While set, new connections are accepted and closed at once.
    pub fn refuse(&self, refusing: bool) {
        self.shared.refusing.store(refusing, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
        self.shared.closed.cancel();
    }
}

enum Step {
    Stop,
    DropClient,
    Stall,
    FromClient(usize),
    FromServer(usize),
}

async fn link(client: TcpStream, server: TcpStream, tokens: Tokens, closed: CancellationToken) {
    // Without it, Nagle's algorithm and delayed acknowledgements stall every small
    // message by tens of milliseconds.
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut server_read, mut server_write) = server.into_split();
    let (mut client_read, mut client_write) = client.into_split();
    let mut from_client = vec![0u8; 64 * 1024];
    let mut from_server = vec![0u8; 64 * 1024];
    loop {
        let step = tokio::select! {
            () = tokens.cut.cancelled() => Step::Stop,
            () = tokens.drop_client.cancelled() => Step::DropClient,
            () = tokens.stall.cancelled() => Step::Stall,
            n = client_read.read(&mut from_client) => match n {
                Ok(n) if n > 0 => Step::FromClient(n),
                _ => Step::Stop,
            },
            n = server_read.read(&mut from_server) => match n {
                Ok(n) if n > 0 => Step::FromServer(n),
                _ => Step::Stop,
            },
        };
        match step {
            Step::Stop => return,
            Step::DropClient => break,
            Step::Stall => {
                let _silent = (client_read, client_write, server_read, server_write);
                closed.cancelled().await;
                return;
            }
            Step::FromClient(n) => {
                if server_write.write_all(&from_client[..n]).await.is_err() {
                    return;
                }
            }
            Step::FromServer(n) => {
                if client_write.write_all(&from_server[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
    drop(client_read);
    drop(client_write);
    let _keep_open = server_write;
    // The server's side stays open, unanswered, until the test cuts it or the server
    // ends the session.
    loop {
        tokio::select! {
            () = tokens.cut.cancelled() => return,
            n = server_read.read(&mut from_server) => {
                if !matches!(n, Ok(n) if n > 0) {
                    return;
                }
            }
        }
    }
}
