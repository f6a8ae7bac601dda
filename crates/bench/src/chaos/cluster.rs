//! The instances: `lodestar-server` processes on one PostgreSQL database, each on its own
//! loopback port, which an instance keeps when it is restarted (as a supervisor restarts a
//! service where its load balancer expects it).

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::server::process::{free_port, ServerProcess};

/// The running instances.
pub struct Cluster {
    url: String,
    logs: PathBuf,
    /// Each instance's port, in order.
    pub ports: Vec<u16>,
    running: Vec<Option<ServerProcess>>,
}

impl Cluster {
    /// Starts `count` instances on `url`, one after the other (the first migrates the database).
    pub async fn start(url: &str, logs: &Path, count: usize) -> anyhow::Result<Cluster> {
        let mut ports: Vec<u16> = Vec::with_capacity(count);
        while ports.len() < count {
            let p = free_port()?;
            if !ports.contains(&p) {
                ports.push(p);
            }
        }
        let mut c =
            Cluster { url: url.to_owned(), logs: logs.to_owned(), ports, running: Vec::new() };
        for i in 0..count {
            let p = ServerProcess::start_at(&c.url, &c.logs, c.ports[i], &[]).await?;
            c.running.push(Some(p));
        }
        Ok(c)
    }

    /// SIGKILLs instance `i`.
    pub async fn kill(&mut self, i: usize) -> anyhow::Result<()> {
        let p = self.running[i].take().with_context(|| format!("instance {i} is not running"))?;
        p.kill().await
    }

    /// Starts instance `i` again on its port.
    pub async fn restart(&mut self, i: usize) -> anyhow::Result<()> {
        let p = ServerProcess::start_at(&self.url, &self.logs, self.ports[i], &[]).await?;
        self.running[i] = Some(p);
        Ok(())
    }

    /// Stops every instance still running.
    pub async fn stop(self) -> anyhow::Result<()> {
        for p in self.running.into_iter().flatten() {
            p.stop().await?;
        }
        Ok(())
    }
}
