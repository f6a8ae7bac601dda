//! `register`, `login`, `logout`: the session. The password is read from stdin, and a server
//! it would cross the network to unencrypted is refused unless allowed (then warned about).

use std::io::{BufRead, IsTerminal, Write};

use clap::Subcommand;
use lodestar_client::session::TokenStorage;
use lodestar_client::{Client, ClientError};
use lodestar_protocol::{Me, ProfileFields, RegisterRequest};
use serde_json::json;

use crate::output::Out;

/// The account's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an account and sign in (password read from stdin).
    Register {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long = "date-of-birth")]
        date_of_birth: String,
    },
    /// Sign in with a username or email (password read from stdin).
    Login { login: String },
    /// Sign out; `--forget` also deletes this account's replica.
    Logout {
        #[arg(long)]
        forget: bool,
    },
}

/// Where to sign in: the global `--server` and `--allow-insecure-http`.
pub struct Target<'a> {
    /// The server given, if any.
    pub server: Option<&'a str>,
    /// Whether a plain `http://` server on another machine is allowed.
    pub allow_insecure_http: bool,
}

/// Runs one account command.
pub async fn run(
    command: Command,
    client: &mut Client,
    target: Target<'_>,
    out: &Out,
) -> Result<(), ClientError> {
    match command {
        Command::Register { username, email, date_of_birth } => {
            let server = sign_in_server(client, target.server, target.allow_insecure_http)?;
            // Said before the password is asked for, not after it was typed.
            let today = chrono::Utc::now().date_naive();
            lodestar_protocol::validate::register_identity(
                &username,
                &email,
                &date_of_birth,
                today,
            )
            .map_err(ClientError::Invalid)?;
            let password = read_password()?;
            let req = RegisterRequest {
                username,
                email,
                password,
                date_of_birth,
                profile: ProfileFields::default(),
            };
            let (me, storage) = client.register(&server, &req).await?;
            signed_in(out, "registered", &me, &server, &storage);
        }
        Command::Login { login } => {
            let server = sign_in_server(client, target.server, target.allow_insecure_http)?;
            let password = read_password()?;
            let (me, storage) = client.login(&server, &login, &password).await?;
            signed_in(out, "signed in", &me, &server, &storage);
        }
        Command::Logout { forget } => {
            client.logout(forget).await?;
            out.done("signed out", json!({"signed_out": true, "replica_forgotten": forget}));
        }
    }
    Ok(())
}

pub(crate) fn read_password() -> Result<String, ClientError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| ClientError::Corrupt(format!("cannot read the password: {e}")))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(ClientError::Corrupt("no password on stdin".into()));
    }
    Ok(password)
}

/// The server a password is about to be sent to: refused when it is plain http elsewhere
/// (unless allowed), and warned about on stderr when it is allowed anyway.
fn sign_in_server(
    client: &Client,
    given: Option<&str>,
    allow_plain: bool,
) -> Result<String, ClientError> {
    let server = client.server(given)?;
    if lodestar_client::transport::check(&server, allow_plain)?
        == lodestar_client::transport::Transport::PlainRemote
    {
        eprintln!(
            "warning: {server} is plain http on another machine; your password and session \
             cross the network unencrypted (--allow-insecure-http)"
        );
    }
    Ok(server)
}

/// Signed in after register or login.
fn signed_in(out: &Out, what: &str, me: &Me, server: &str, storage: &TokenStorage) {
    let place = match storage {
        TokenStorage::Keychain => "the OS keychain".to_owned(),
        TokenStorage::File(p) => format!("{} (a file only you can read)", p.display()),
    };
    out.done(
        &format!("{what} as {} on {server}; token kept in {place}", me.profile.username),
        json!({"user": me, "server": server, "token_storage": place}),
    );
}
