//! `lodestar-server`: runs the program's server.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;

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
    let config = lodestar_server::Config {
        listen: args.listen,
        database_url,
        demo: args.demo,
        trust_proxy: args.trust_proxy,
    };
    let server = lodestar_server::start(config).await.context("lodestar-server could not start")?;
    println!("Lodestar server listening on {}", server.url());
    server.run_until(shutdown_signal()).await;
    Ok(())
}
