//! The server under measurement as a separate process: the `lodestar-server` binary built beside
//! this harness, on a free loopback port, logging to a file (as a deployment would log to a
//! journal) so that neither a pipe nor the harness's cores pace it.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// A running `lodestar-server` child; killed if dropped without `stop`.
pub struct ServerProcess {
    child: tokio::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its process id, for `/proc`.
    pub pid: u32,
}

/// The `lodestar-server` binary of the same build profile as this harness.
pub fn server_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("where is lodestar-bench?")?;
    let dir = exe.parent().context("lodestar-bench has no folder")?;
    let bin = dir.join(format!("lodestar-server{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        bail!(
            "{} is missing: the server is measured as its own process; build it beside the \
             harness with `cargo build --release --workspace --bins` (or the same profile as \
             lodestar-bench)",
            bin.display()
        );
    }
    Ok(bin)
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> anyhow::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

impl ServerProcess {
    /// Starts a server on `database_url`, logging into `log_dir`; answers once `/v1/health` does.
    pub async fn start(database_url: &str, log_dir: &Path) -> anyhow::Result<ServerProcess> {
        ServerProcess::start_with(database_url, log_dir, &[]).await
    }

    /// [`ServerProcess::start`] with more arguments (`--media-store …`).
    pub async fn start_with(
        database_url: &str,
        log_dir: &Path,
        extra: &[String],
    ) -> anyhow::Result<ServerProcess> {
        let mut last_err = String::new();
        // A free port can be taken by someone else before the server binds it: try another.
        for _ in 0..5 {
            match ServerProcess::start_at(database_url, log_dir, free_port()?, extra).await {
                Ok(p) => return Ok(p),
                Err(e) => last_err = format!("{e:#}"),
            }
        }
        bail!("lodestar-server did not start: {last_err}")
    }

    /// [`ServerProcess::start_with`] on a given loopback port (an instance restarted where its
    /// load balancer expects it).
    pub async fn start_at(
        database_url: &str,
        log_dir: &Path,
        port: u16,
        extra: &[String],
    ) -> anyhow::Result<ServerProcess> {
        let bin = server_binary()?;
        let log = log_dir.join(format!("server-{port}-{}.log", uuid::Uuid::new_v4().simple()));
        let out = std::fs::File::create(&log)?;
        let child = tokio::process::Command::new(&bin)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--database", database_url])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = child.id().context("the server exited at once")?;
        let mut p = ServerProcess { child, base: format!("http://127.0.0.1:{port}"), pid };
        match p.wait_healthy().await {
            Ok(()) => Ok(p),
            Err(e) => {
                let _ = p.child.kill().await;
                drop(p);
                bail!("{e:#}\n{}", tail(&log))
            }
        }
    }

    async fn wait_healthy(&mut self) -> anyhow::Result<()> {
        until_healthy(&mut self.child, &self.base, Duration::from_secs(30))
            .await
            .context("lodestar-server")
    }

    /// Resident memory of the server process, in KiB (`VmRSS`).
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        proc_status_kib(self.pid, "VmRSS:")
    }

    /// Peak resident memory of the server process so far, in KiB (`VmHWM`).
    pub fn peak_kib(&self) -> anyhow::Result<u64> {
        proc_status_kib(self.pid, "VmHWM:")
    }

    /// CPU time the server process has used so far (user + system).
    pub fn cpu(&self) -> anyhow::Result<Duration> {
        cpu_of(&self.pid.to_string())
    }

    /// Kills the server with SIGKILL, as a crash or the kernel's OOM killer would: no request
    /// in flight finishes, no socket is closed politely.
    pub async fn kill(mut self) -> anyhow::Result<()> {
        self.child.kill().await?;
        Ok(())
    }

    /// Stops the server with SIGTERM (in-flight requests finish), killing it after 10 s.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.pid)?);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        match tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await {
            Ok(r) => {
                r?;
            }
            Err(_) => self.child.kill().await?,
        }
        Ok(())
    }
}

/// Polls `{base}/v1/health` every 50 ms until it answers 2xx; fails if `child` (the server, or a
/// balancer in front of servers) exits first or `within` passes.
pub async fn until_healthy(
    child: &mut tokio::process::Child,
    base: &str,
    within: Duration,
) -> anyhow::Result<()> {
    let http = reqwest::Client::builder().no_proxy().build()?;
    let started = Instant::now();
    while started.elapsed() < within {
        if let Some(status) = child.try_wait()? {
            bail!("exited with {status}");
        }
        if let Ok(r) = http.get(format!("{base}/v1/health")).send().await {
            if r.status().is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("did not answer {base}/v1/health within {} s", within.as_secs())
}

/// The last lines of a log, for error messages.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

/// A `kB` field of `/proc/<pid>/status`.
fn proc_status_kib(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with(field)).context("no such field")?;
    Ok(line.split_whitespace().nth(1).context("no value")?.parse()?)
}

/// User + system CPU time of `/proc/<who>/stat` (`who` = a pid or `self`), at Linux's fixed
/// 100 ticks per second for `/proc`.
pub fn cpu_of(who: &str) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{who}/stat"))?;
    // The command name (field 2) may hold spaces; the fields after its `)` are plain.
    let rest = &stat[stat.rfind(')').context("bad stat")? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f[11].parse::<u64>()? + f[12].parse::<u64>()?;
    Ok(Duration::from_millis(ticks * 10))
}

/// Raises this process's soft open-file limit to its hard limit (children inherit it); answers
/// the soft limit now in force.
pub fn raise_fd_limit() -> anyhow::Result<u64> {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft < hard {
        setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
    }
    Ok(getrlimit(Resource::RLIMIT_NOFILE)?.0)
}
