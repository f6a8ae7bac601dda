//! `sync` (`--watch` stays live, see `sync/watch.rs`) and `status`: where the replica stands
//! against the server.

mod watch;

use clap::Subcommand;
use lodestar_client::client::{Status, SyncReport};
use lodestar_client::{Client, ClientError};
use serde_json::json;

use crate::output::{print_json, Out};

/// The sync commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Push the outbox and pull until up to date; `--watch` stays live.
    Sync {
        #[arg(long)]
        watch: bool,
    },
    /// Online or not, cursor, outbox entries, last sync time.
    Status,
}

/// Runs one sync command.
pub async fn run(command: Command, client: &Client, out: &Out) -> Result<(), ClientError> {
    match command {
        Command::Sync { watch: false } => {
            let report = client.sync(|p| out.progress(p)).await?;
            synced(out, &report);
        }
        Command::Sync { watch: true } => watch::run(client, out).await?,
        Command::Status => status(out, &client.status().await?),
    }
    Ok(())
}

/// The end of a sync.
fn synced(out: &Out, r: &SyncReport) {
    let mut text = format!("up to date: {} changes pulled, {} sent", r.pulled, r.pushed);
    if r.failed > 0 {
        text.push_str(&format!(", {} refused (see `lodestar status`)", r.failed));
    }
    out.done(&text, json!({"pulled": r.pulled, "pushed": r.pushed, "failed": r.failed}));
}

/// `status`.
fn status(out: &Out, s: &Status) {
    if out.json() {
        return print_json(&json!(s));
    }
    println!("{} on {} — {}", s.username, s.server, if s.online { "online" } else { "offline" });
    println!("cursor: {}", s.cursor.as_deref().unwrap_or("(never synced)"));
    println!("outbox: {} waiting, {} failed", s.outbox_pending, s.outbox_failed);
    println!("last sync: {}", s.last_sync_at.map_or("never".to_owned(), |t| t.to_rfc3339()));
}
