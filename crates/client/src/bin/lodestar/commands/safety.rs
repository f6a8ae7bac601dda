//! PROGRAM.md's safety commands: `block`, `unblock`, `blocks`, `report` (offline like `send`),
//! `export` and `delete-account` (which need the server; the password read from stdin).

use std::io::Write;

use clap::Subcommand;
use lodestar_client::client::NewReport;
use lodestar_client::{Client, ClientError};
use serde_json::json;
use uuid::Uuid;

use super::account::read_password;
use super::mentorship::delivered;
use crate::output::Out;

/// The safety commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Block someone: neither of you can message the other; their conversation is hidden.
    Block { username: String },
    /// Lift a block.
    Unblock { username: String },
    /// Whom you have blocked.
    Blocks,
    /// Report someone to the program's coordinators.
    Report {
        username: String,
        /// harassment, spam, inappropriate, safety or other.
        #[arg(long)]
        reason: String,
        /// One of their messages (its id), shown to the coordinators with what came before.
        #[arg(long = "message")]
        message_id: Option<Uuid>,
        /// What happened.
        #[arg(long)]
        details: Option<String>,
    },
    /// Print everything the server holds about you, as one JSON document (`export > me.json`).
    Export,
    /// Delete your account for good (password read from stdin).
    DeleteAccount,
}

/// Runs one safety command.
pub async fn run(c: Command, client: &mut Client, out: &Out) -> Result<(), ClientError> {
    match c {
        Command::Block { username } => {
            let d = client.set_block(&username, true).await?;
            let text =
                format!("blocked {username}; their conversation is hidden until you unblock them");
            delivered(out, "block", &text, json!({"username": username, "blocked": true}), d)
        }
        Command::Unblock { username } => {
            let d = client.set_block(&username, false).await?;
            delivered(
                out,
                "block",
                &format!("unblocked {username}"),
                json!({"username": username, "blocked": false}),
                d,
            )
        }
        Command::Blocks => {
            let list = client.blocks().await?;
            let text = if list.is_empty() {
                "you have blocked nobody".to_owned()
            } else {
                list.iter().map(|b| b.username.as_str()).collect::<Vec<_>>().join("\n")
            };
            out.done(&text, json!({"blocked": list}));
            Ok(())
        }
        Command::Report { username, reason, message_id, details } => {
            let report = NewReport { username: username.clone(), reason, message_id, details };
            let (id, d) = client.report(report).await?;
            let text = format!("reported {username} to your program's coordinators ({id})");
            delivered(out, "report", &text, json!({"report_id": id}), d)
        }
        Command::Export => {
            let document = client.export().await?;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&document)
                .and_then(|()| stdout.write_all(b"\n"))
                .map_err(|e| ClientError::Corrupt(format!("cannot write the export: {e}")))
        }
        Command::DeleteAccount => {
            let password = read_password()?;
            client.delete_account(&password).await?;
            out.done(
                "your account was deleted; your messages stay with the others as from \"a deleted account\"",
                json!({"deleted": true}),
            );
            Ok(())
        }
    }
}
