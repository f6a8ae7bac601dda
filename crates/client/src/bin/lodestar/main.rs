//! `lodestar`: the headless client (API.md, "The command-line client"), on the same engine as
//! the desktop app. It parses, calls one `lodestar_client::Client` method, and prints; each
//! domain's commands live in `commands/<domain>.rs`.

mod commands;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lodestar_client::{Client, ClientError};

use crate::commands::{
    account, conversations, directory, groups, mentorship, profile, safety, sessions, sync,
};
use crate::output::Out;

/// Lodestar from the command line: the same offline-first engine as the desktop app.
#[derive(Debug, Parser)]
#[command(name = "lodestar", version)]
struct Cli {
    /// The data folder (default: the desktop app's per-user folder).
    #[arg(long, global = true, env = "LODESTAR_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// The server (remembered after the first login).
    #[arg(long, global = true, env = "LODESTAR_SERVER")]
    server: Option<String>,
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Sign in to a plain `http://` server on another machine (password and token cross the
    /// network unencrypted); without it such a server is refused.
    #[arg(long, global = true, env = "LODESTAR_ALLOW_INSECURE_HTTP")]
    allow_insecure_http: bool,
    #[command(subcommand)]
    command: Command,
}

/// Every domain's commands side by side on one flat command line (`lodestar send`, not
/// `lodestar conversations send`), in the order `--help` lists them.
#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Account(account::Command),
    #[command(flatten)]
    Sync(sync::Command),
    #[command(flatten)]
    Conversations(conversations::Command),
    #[command(flatten)]
    Directory(directory::Command),
    #[command(flatten)]
    Groups(groups::Command),
    #[command(flatten)]
    Profile(profile::Command),
    #[command(flatten)]
    Mentorship(mentorship::Command),
    #[command(flatten)]
    Sessions(sessions::Command),
    #[command(flatten)]
    Safety(safety::Command),
}

fn default_data_dir() -> Result<PathBuf, ClientError> {
    directories::ProjectDirs::from("org", "Lodestar", "Lodestar")
        .map(|d| d.data_dir().to_owned())
        .ok_or(ClientError::Corrupt("no home folder for the data; pass --data-dir".into()))
}

async fn run(cli: Cli, out: &Out) -> Result<(), ClientError> {
    let data_dir = match cli.data_dir {
        Some(d) => d,
        None => default_data_dir()?,
    };
    let mut client = Client::open(&data_dir).await?;
    match cli.command {
        Command::Account(c) => {
            let target = account::Target {
                server: cli.server.as_deref(),
                allow_insecure_http: cli.allow_insecure_http,
            };
            account::run(c, &mut client, target, out).await
        }
        Command::Sync(c) => sync::run(c, &client, out).await,
        Command::Conversations(c) => conversations::run(c, &client, out).await,
        Command::Directory(c) => directory::run(c, &client, out).await,
        Command::Groups(c) => groups::run(c, &client, out).await,
        Command::Profile(c) => profile::run(c, &client, out).await,
        Command::Mentorship(c) => mentorship::run(c, &client, out).await,
        Command::Sessions(c) => sessions::run(c, &client, out).await,
        Command::Safety(c) => safety::run(c, &mut client, out).await,
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber_init();
    let cli = Cli::parse();
    let out = Out::new(cli.json);
    match run(cli, &out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::from(1)
        }
    }
}

/// Logs go to stderr, quiet unless `RUST_LOG` asks.
fn tracing_subscriber_init() {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}
