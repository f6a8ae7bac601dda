//! `lodestar-server`: runs the program's server.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lodestar_server::coordinators::{coordinator, CoordinatorChange};

/// Lodestar's server: the wire contract of API.md over SQLite (default) or PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "lodestar-server", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "LODESTAR_LISTEN", default_value = "127.0.0.1:8787")]
    listen: String,
    /// `sqlite://PATH` or `postgres://...`; default: a SQLite file in the per-user data folder.
    #[arg(long, env = "LODESTAR_DATABASE_URL")]
    database: Option<String>,
    /// Fill an empty database with a believable demo program.
    #[arg(long)]
    demo: bool,
    /// Behind a load balancer: take each client's address (for login throttling) from the last
    /// `X-Forwarded-For` entry. Only set this when a proxy you run always sets that header.
    #[arg(long, env = "LODESTAR_TRUST_PROXY")]
    trust_proxy: bool,
    /// Where attachments are kept: a folder, or `s3://BUCKET` (endpoint and credentials from
    /// the usual AWS_* environment variables). Default: `media/` beside a SQLite database, in
    /// the working folder for PostgreSQL.
    #[arg(long, env = "LODESTAR_MEDIA_STORE")]
    media_store: Option<String>,
    /// The desktop app's update feed: a JSON file in Tauri's static update format (`version`,
    /// `notes`, `pub_date`, `platforms` keyed `linux-x86_64`, `windows-x86_64-nsis`, … each with
    /// `url` and `signature`), served by `GET /v1/app/latest` and re-read when it changes.
    #[arg(long, env = "LODESTAR_APP_FEED")]
    app_feed: Option<PathBuf>,
    /// Instead of serving: a change to the program on the database, then exit.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The program's coordinators (they see its reports and statistics).
    Coordinator {
        #[command(subcommand)]
        action: CoordinatorAction,
    },
}

#[derive(Debug, Subcommand)]
enum CoordinatorAction {
    /// Make USERNAME a coordinator.
    Add { username: String },
    /// Make USERNAME a coordinator no more.
    Remove { username: String },
    /// List the coordinators.
    List,
}

fn default_database() -> anyhow::Result<String> {
    let dirs = directories::ProjectDirs::from("org", "Lodestar", "Lodestar")
        .context("no home folder to keep the database in; pass --database")?;
    let path: PathBuf = dirs.data_dir().join("server.db");
    Ok(format!("sqlite://{}", path.display()))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args = Args::parse();
    let database_url = match args.database {
        Some(url) => url,
        None => default_database()?,
    };
    tracing::info!(
        database = %lodestar_server::redact_database_url(&database_url),
        "opening the database"
    );
    if let Some(Command::Coordinator { action }) = args.command {
        let change = match action {
            CoordinatorAction::Add { username } => CoordinatorChange::Add(username),
            CoordinatorAction::Remove { username } => CoordinatorChange::Remove(username),
            CoordinatorAction::List => CoordinatorChange::List,
        };
        let said = match &change {
            CoordinatorChange::Add(name) => Some(format!("{name} is a coordinator")),
            CoordinatorChange::Remove(name) => Some(format!("{name} is no longer a coordinator")),
            CoordinatorChange::List => None,
        };
        let list = coordinator(&database_url, change).await?;
        match said {
            Some(line) => println!("{line}"),
            None if list.is_empty() => println!("no coordinators"),
            None => list.iter().for_each(|name| println!("{name}")),
        }
        return Ok(());
    }
    let config = lodestar_server::Config {
        listen: args.listen,
        database_url,
        demo: args.demo,
        trust_proxy: args.trust_proxy,
        media_store: args.media_store,
        fetch_private_links: false,
        app_feed: args.app_feed,
    };
    let server = lodestar_server::start(config).await.context("lodestar-server could not start")?;
    println!("Lodestar server listening on {}", server.url());
    server.run_until(shutdown_signal()).await;
    Ok(())
}
