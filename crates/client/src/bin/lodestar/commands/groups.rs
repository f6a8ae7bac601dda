//! `group create`, `group add`, `group remove`: a group's members (every change needs the
//! server).

use clap::Subcommand;
use lodestar_client::{Client, ClientError};
use serde_json::json;

use crate::output::Out;

/// The group commands, under `group`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Groups.
    #[command(subcommand)]
    Group(GroupCommand),
}

/// `group …`.
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group.
    Create {
        name: String,
        #[arg(long = "member")]
        members: Vec<String>,
    },
    /// Add a member.
    Add {
        group: String,
        username: String,
        #[arg(long, value_parser = ["admin", "member"])]
        role: Option<String>,
    },
    /// Remove a member (or yourself, to leave).
    Remove { group: String, username: String },
}

/// Runs one group command.
pub async fn run(command: Command, client: &Client, out: &Out) -> Result<(), ClientError> {
    let Command::Group(command) = command;
    match command {
        GroupCommand::Create { name, members } => {
            let id = client.group_create(&name, &members).await?;
            out.done(&id.to_string(), json!({"conversation_id": id}));
        }
        GroupCommand::Add { group, username, role } => {
            client.group_add(&group, &username, role.as_deref()).await?;
            out.done(&format!("{username} added to {group}"), json!({"added": username}));
        }
        GroupCommand::Remove { group, username } => {
            client.group_remove(&group, &username).await?;
            out.done(&format!("{username} removed from {group}"), json!({"removed": username}));
        }
    }
    Ok(())
}
