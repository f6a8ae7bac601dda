//! A TCP proxy on loopback that breaks connections on purpose, for fault-injection tests.
//!
//! The harness can stop and restart a server, but some failures only happen *between* the two
//! ends: the server acted and its answer never arrived, or a long answer stopped halfway. A
//! client must survive those without losing or duplicating anything, and the only honest way to
//! show it is to make them happen on a real socket. [`FaultProxy`] sits between a client and a
//! server and does exactly one of a few things to every connection, as its [`Mode`] says.
//!
//! The mode applies to every connection, open or new: [`FaultProxy::set_mode`] reaches the
//! connections already open as well as those accepted later, and a byte budget
//! ([`Mode::CutAfter`], [`Mode::SwallowAfter`]) counts from the moment a connection adopts the
//! mode. Client-to-server bytes are always forwarded (except under [`Mode::Refuse`], which
//! forwards nothing); the modes differ in what happens to server-to-client bytes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// What the proxy does to connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Forwards both ways, untouched.
    Pass,
    /// Accepts and closes at once, reaching nothing upstream; open connections are dropped.
    Refuse,
    /// Forwards client-to-server bytes but drops every server-to-client byte: the server acts,
    /// the client never hears back (it times out, or is killed while it waits).
    SwallowResponses,
    /// Forwards `bytes_down` server-to-client bytes per connection, then swallows the rest, the
    /// connection staying open: the answer stops in the middle and the client waits.
    SwallowAfter {
        /// Bytes let through before the proxy starts swallowing.
        bytes_down: usize,
    },
    /// Forwards `bytes_down` server-to-client bytes *in all*, over every connection since the
    /// mode was set, then drops the connections: a long answer (a page of a pull) is cut in the
    /// middle even when a client spreads its requests over several pooled connections.
    CutAfter {
        /// Bytes let through before the cut.
        bytes_down: usize,
    },
    /// Forwards `bytes_up` client-to-server bytes *in all* since the mode was set, then drops
    /// the connection both ways, as a network that goes away: an upload stops in the middle.
    CutUpAfter {
        /// Bytes let through to the server before the cut.
        bytes_up: usize,
    },
}

/// Byte counters, shared with the connection tasks.
#[derive(Debug, Default)]
struct Counters {
    down: AtomicU64,
    /// Bytes reserved under the current `CutAfter` budget, over every connection.
    cut_used: AtomicU64,
    /// Bytes reserved under the current `CutUpAfter` budget, over every connection.
    up_used: AtomicU64,
    swallowed: AtomicU64,
    accepted: AtomicU64,
}

/// A fault-injecting TCP proxy to one upstream address, on `127.0.0.1:0`. Dropping it closes
/// the listener and every connection.
pub struct FaultProxy {
    addr: SocketAddr,
    mode: watch::Sender<Mode>,
    cut: watch::Sender<u64>,
    counters: Arc<Counters>,
    accept: JoinHandle<()>,
}

impl FaultProxy {
    /// Listens on a free loopback port and forwards to `upstream`, in [`Mode::Pass`].
    ///
    /// Each accepted connection dials `upstream` anew, so the upstream may be stopped and
    /// started again at the same address: while it is down, connections are closed at once.
    pub async fn start(upstream: SocketAddr) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds a port");
        let addr = listener.local_addr().expect("proxy address");
        let (mode, mode_rx) = watch::channel(Mode::Pass);
        let (cut, cut_rx) = watch::channel(0u64);
        let counters = Arc::new(Counters::default());
        let accept =
            tokio::spawn(accept_loop(listener, upstream, mode_rx, cut_rx, counters.clone()));
        FaultProxy { addr, mode, cut, counters, accept }
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, for an HTTP client's base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Switches the mode, for open connections and new ones alike.
    pub fn set_mode(&self, mode: Mode) {
        self.counters.cut_used.store(0, Ordering::SeqCst);
        self.counters.up_used.store(0, Ordering::SeqCst);
        self.mode.send_replace(mode);
    }

    /// The current mode.
    pub fn mode(&self) -> Mode {
        *self.mode.borrow()
    }

    /// Drops every open connection now (new ones are accepted as the mode says).
    pub fn cut_all(&self) {
        self.cut.send_modify(|generation| *generation += 1);
    }

    /// Server-to-client bytes delivered to clients so far, over every connection.
    pub fn bytes_down(&self) -> u64 {
        self.counters.down.load(Ordering::SeqCst)
    }

    /// Server-to-client bytes dropped so far: once above zero, the server has answered a
    /// request whose client will never hear the answer.
    pub fn swallowed_bytes(&self) -> u64 {
        self.counters.swallowed.load(Ordering::SeqCst)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.counters.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        // The senders go with `self`: every connection task sees it and closes.
        self.accept.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    mode: watch::Receiver<Mode>,
    cut: watch::Receiver<u64>,
    counters: Arc<Counters>,
) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            // Out of descriptors, most likely: let connections close before trying again.
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            continue;
        };
        counters.accepted.fetch_add(1, Ordering::SeqCst);
        let mut mode = mode.clone();
        let mut cut = cut.clone();
        // A new connection owes nothing to changes made before it existed.
        mode.borrow_and_update();
        cut.borrow_and_update();
        tokio::spawn(relay(client, upstream, mode, cut, counters.clone()));
    }
}

/// One connection: client-to-server bytes in a task of their own, server-to-client bytes here,
/// where the mode decides their fate.
async fn relay(
    client: TcpStream,
    upstream: SocketAddr,
    mut mode: watch::Receiver<Mode>,
    mut cut: watch::Receiver<u64>,
    counters: Arc<Counters>,
) {
    let mut current = *mode.borrow_and_update();
    if current == Mode::Refuse {
        return;
    }
    let Ok(server) = TcpStream::connect(upstream).await else { return };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let (cut_up, mut cut_up_heard) = tokio::sync::oneshot::channel::<()>();
    let up_mode = mode.clone();
    let up_counters = counters.clone();
    let up = tokio::spawn(async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let allowed = match *up_mode.borrow() {
                Mode::CutUpAfter { bytes_up } => {
                    let before = up_counters.up_used.fetch_add(n as u64, Ordering::SeqCst) as usize;
                    n.min(bytes_up.saturating_sub(before))
                }
                _ => n,
            };
            if allowed > 0 && server_write.write_all(&buf[..allowed]).await.is_err() {
                break;
            }
            if allowed < n {
                // The network went away: neither side hears another byte.
                let _ = cut_up.send(());
                return;
            }
        }
        let _ = server_write.shutdown().await;
    });
    // Server-to-client bytes let through since this connection adopted the current mode.
    let mut let_through = 0usize;
    let mut up_ended = false;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        tokio::select! {
            _ = cut.changed() => break,
            // The upload side ended: cut (break), or simply done (keep reading the answer).
            heard = &mut cut_up_heard, if !up_ended => {
                up_ended = true;
                if heard.is_ok() {
                    break;
                }
            }
            changed = mode.changed() => {
                if changed.is_err() {
                    break;
                }
                current = *mode.borrow_and_update();
                let_through = 0;
                if current == Mode::Refuse {
                    break;
                }
            }
            read = server_read.read(&mut buf) => {
                let n = match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let budget = match current {
                    Mode::Pass | Mode::CutUpAfter { .. } => n,
                    Mode::Refuse | Mode::SwallowResponses => 0,
                    Mode::SwallowAfter { bytes_down } => n.min(bytes_down.saturating_sub(let_through)),
                    Mode::CutAfter { bytes_down } => {
                        // Reserve the bytes in the shared budget first, so two connections
                        // cannot both spend the same remainder.
                        let before = counters.cut_used.fetch_add(n as u64, Ordering::SeqCst) as usize;
                        n.min(bytes_down.saturating_sub(before))
                    }
                };
                if budget > 0 {
                    if client_write.write_all(&buf[..budget]).await.is_err() {
                        break;
                    }
                    let_through += budget;
                    counters.down.fetch_add(budget as u64, Ordering::SeqCst);
                }
                if let Mode::CutAfter { bytes_down } = current {
                    if counters.cut_used.load(Ordering::SeqCst) as usize >= bytes_down {
                        break;
                    }
                } else if budget < n {
                    counters.swallowed.fetch_add((n - budget) as u64, Ordering::SeqCst);
                }
            }
        }
    }
    up.abort();
    // Dropping both halves closes the client's socket and the server's.
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An upstream that echoes every byte back, on its own port.
    async fn echo() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let (mut r, mut w) = socket.into_split();
                    let _ = tokio::io::copy(&mut r, &mut w).await;
                });
            }
        });
        addr
    }

    async fn read_exact(socket: &mut TcpStream, n: usize) -> Vec<u8> {
        let mut buf = vec![0u8; n];
        socket.read_exact(&mut buf).await.unwrap();
        buf
    }

    /// Reads until the proxy closes the connection.
    async fn read_to_end(socket: &mut TcpStream) -> Vec<u8> {
        let mut buf = Vec::new();
        let _ = socket.read_to_end(&mut buf).await;
        buf
    }

    async fn until(probe: impl Fn() -> bool) {
        for _ in 0..2_000 {
            if probe() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("the proxy never got there");
    }

    #[tokio::test]
    async fn passes_refuses_and_cuts() {
        let proxy = FaultProxy::start(echo().await).await;
        let mut a = TcpStream::connect(proxy.addr()).await.unwrap();
        a.write_all(b"hello").await.unwrap();
        assert_eq!(read_exact(&mut a, 5).await, b"hello");
        proxy.cut_all();
        assert!(read_to_end(&mut a).await.is_empty(), "cut: the open connection ends");

        proxy.set_mode(Mode::Refuse);
        let mut b = TcpStream::connect(proxy.addr()).await.unwrap();
        let _ = b.write_all(b"hello").await;
        assert!(read_to_end(&mut b).await.is_empty(), "refused: closed at once");

        proxy.set_mode(Mode::CutAfter { bytes_down: 3 });
        let mut c = TcpStream::connect(proxy.addr()).await.unwrap();
        c.write_all(b"hello").await.unwrap();
        assert_eq!(read_to_end(&mut c).await, b"hel", "three bytes, then the cut");
        assert_eq!(proxy.connections(), 3);
    }

    #[tokio::test]
    async fn swallows_answers_and_lets_them_through_again() {
        let proxy = FaultProxy::start(echo().await).await;
        proxy.set_mode(Mode::SwallowAfter { bytes_down: 3 });
        let mut a = TcpStream::connect(proxy.addr()).await.unwrap();
        a.write_all(b"hello").await.unwrap();
        until(|| proxy.swallowed_bytes() == 2).await;
        proxy.set_mode(Mode::SwallowResponses);
        a.write_all(b"lost").await.unwrap();
        until(|| proxy.swallowed_bytes() == 6).await;
        // The open connection adopts the new mode: what was swallowed stays lost.
        proxy.set_mode(Mode::Pass);
        a.write_all(b"!").await.unwrap();
        assert_eq!(read_exact(&mut a, 4).await, b"hel!");
        assert_eq!(proxy.bytes_down(), 4);
    }

    #[tokio::test]
    async fn closes_connections_while_the_upstream_is_down() {
        let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let proxy = FaultProxy::start(nowhere).await;
        let mut a = TcpStream::connect(proxy.addr()).await.unwrap();
        assert!(read_to_end(&mut a).await.is_empty());
    }
}
