//! The load balancer in front of the instances: Debian's HAProxy, configured here, run as a
//! child process in the foreground. It sends each new connection to the instance with the
//! fewest (event sockets live long), upgrades WebSockets (HTTP/1.1 `Upgrade` passes as is in
//! `mode http`), checks `/v1/health` every 200 ms, and retries a connection an instance refused
//! on another one, as a production balancer is set up for instances that die.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context};

use crate::server::process::{free_port, until_healthy};

/// A running HAProxy; killed when dropped.
pub struct Balancer {
    child: tokio::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

/// The configuration for `ports`, listening on `port`; `maxconn` bounds the connections.
fn config(port: u16, ports: &[u16], maxconn: usize) -> String {
    let servers: String = ports
        .iter()
        .enumerate()
        .map(|(i, p)| format!("    server lodestar{i} 127.0.0.1:{p} check\n"))
        .collect();
    format!(
        "global
    maxconn {maxconn}
defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    timeout http-keep-alive 10s
    # A connection the instance refused (it is dead, not yet marked down) goes to another.
    retries 3
    option redispatch 1
    default-server inter 200ms fastinter 200ms downinter 200ms fall 1 rise 1
frontend lodestar
    bind 127.0.0.1:{port}
    maxconn {maxconn}
    default_backend instances
backend instances
    balance leastconn
    option httpchk GET /v1/health
{servers}"
    )
}

impl Balancer {
    /// Starts HAProxy in front of the instances on `ports`, its configuration in `dir`; answers
    /// once a request through it reaches an instance.
    pub async fn start(dir: &Path, ports: &[u16], maxconn: usize) -> anyhow::Result<Balancer> {
        let port = free_port()?;
        let cfg = dir.join("haproxy.cfg");
        std::fs::write(&cfg, config(port, ports, maxconn))?;
        let log = std::fs::File::create(dir.join("haproxy.log"))?;
        let child = tokio::process::Command::new("haproxy")
            .arg("-db") // foreground, no daemon
            .arg("-f")
            .arg(&cfg)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .context(
                "starting haproxy (Debian: apt-get install haproxy; scripts/env.sh installs it)",
            )?;
        let mut b = Balancer { child, base: format!("http://127.0.0.1:{port}") };
        if let Err(e) = until_healthy(&mut b.child, &b.base, Duration::from_secs(20)).await {
            let _ = b.child.kill().await;
            let log = std::fs::read_to_string(dir.join("haproxy.log")).unwrap_or_default();
            bail!("haproxy did not pass a request to an instance: {e:#}\n{log}");
        }
        Ok(b)
    }
}
