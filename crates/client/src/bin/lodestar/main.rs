//! `lodestar`: the headless client (API.md, "The command-line client"), on the same engine as
//! the desktop app. It parses, calls one `lodestar_client::Client` method, and prints.

mod output;
mod watch;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lodestar_client::client::ConversationSpec;
use lodestar_client::{Client, ClientError};
use lodestar_protocol::{ProfileFields, RegisterRequest, UpdateMeRequest, UsersQuery};
use uuid::Uuid;

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

#[derive(Debug, Subcommand)]
enum Command {
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
    /// Push the outbox and pull until up to date; `--watch` stays live.
    Sync {
        #[arg(long)]
        watch: bool,
    },
    /// Online or not, cursor, outbox entries, last sync time.
    Status,
    /// Conversations with unread counts.
    Conversations,
    /// Open (or create) the direct conversation with a user; prints its id.
    Open { username: String },
    /// Send a message (queued locally first; sent when online).
    Send {
        conversation: String,
        text: Option<String>,
        #[arg(long)]
        media: Option<String>,
    },
    /// Show a conversation's messages.
    Messages {
        conversation: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Mark every message of a conversation read.
    Read { conversation: String },
    /// Show or set the unsent draft of a conversation.
    Draft { conversation: String, text: Option<String> },
    /// Full-text search of the local replica.
    Search { text: String },
    /// The program's directory.
    Directory {
        #[arg(long)]
        mentor: bool,
        #[arg(long)]
        mentee: bool,
        #[arg(long)]
        skill: Option<String>,
        #[arg(long)]
        industry: Option<String>,
        #[arg(long)]
        state: Option<String>,
        query: Option<String>,
    },
    /// Suggested mentors (or mentees, for a mentor).
    Matches,
    /// Groups.
    #[command(subcommand)]
    Group(GroupCommand),
    /// Show the profile, or edit it with `--set FIELD=VALUE` (an empty value clears).
    Profile {
        #[arg(long = "set", value_parser = parse_assignment)]
        set: Vec<(String, String)>,
    },
}

#[derive(Debug, Subcommand)]
enum GroupCommand {
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

fn parse_assignment(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected FIELD=VALUE, got `{s}`"))
}

/// How a conversation is named on the command line: an id, `@username` or `#group-name`.
fn parse_conversation_spec(spec: &str) -> ConversationSpec {
    if let Some(user) = spec.strip_prefix('@') {
        ConversationSpec::Direct(user.to_owned())
    } else if let Some(group) = spec.strip_prefix('#') {
        ConversationSpec::Group(group.to_owned())
    } else {
        match Uuid::parse_str(spec) {
            Ok(id) => ConversationSpec::Id(id),
            Err(_) => ConversationSpec::Invalid(spec.to_owned()),
        }
    }
}

/// Builds a `PATCH /v1/me` body from `FIELD=VALUE` pairs (an empty value clears the field).
fn profile_patch(fields: &[(String, String)]) -> Result<UpdateMeRequest, ClientError> {
    let mut object = serde_json::Map::new();
    let mut bad = lodestar_protocol::FieldErrors::default();
    for (field, value) in fields {
        let v = value.trim();
        let json = match field.as_str() {
            _ if v.is_empty() => serde_json::Value::Null,
            "mentor_status" | "mentee_status" => match v {
                "true" | "yes" | "1" => true.into(),
                "false" | "no" | "0" => false.into(),
                _ => {
                    bad.add(field, "invalid");
                    continue;
                }
            },
            "years_of_experience" => match v.parse::<i64>() {
                Ok(n) => n.into(),
                Err(_) => {
                    bad.add(field, "invalid");
                    continue;
                }
            },
            "skills" | "interests" => v
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .into(),
            _ => v.into(),
        };
        object.insert(field.clone(), json);
    }
    if !bad.is_empty() {
        return Err(ClientError::Invalid(bad));
    }
    serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| {
        let mut bad = lodestar_protocol::FieldErrors::default();
        let field = e.to_string().split('`').nth(1).unwrap_or("profile").to_owned();
        bad.add(&field, "unknown");
        ClientError::Invalid(bad)
    })
}

fn default_data_dir() -> Result<PathBuf, ClientError> {
    directories::ProjectDirs::from("org", "Lodestar", "Lodestar")
        .map(|d| d.data_dir().to_owned())
        .ok_or(ClientError::Corrupt("no home folder for the data; pass --data-dir".into()))
}

fn read_password() -> Result<String, ClientError> {
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

async fn run(cli: Cli, out: &Out) -> Result<(), ClientError> {
    let data_dir = match cli.data_dir {
        Some(d) => d,
        None => default_data_dir()?,
    };
    let mut client = Client::open(&data_dir).await?;
    match cli.command {
        Command::Register { username, email, date_of_birth } => {
            let server = sign_in_server(&client, cli.server.as_deref(), cli.allow_insecure_http)?;
            let password = read_password()?;
            let req = RegisterRequest {
                username,
                email,
                password,
                date_of_birth,
                profile: ProfileFields::default(),
            };
            let (me, storage) = client.register(&server, &req).await?;
            out.signed_in("registered", &me, &server, &storage);
        }
        Command::Login { login } => {
            let server = sign_in_server(&client, cli.server.as_deref(), cli.allow_insecure_http)?;
            let password = read_password()?;
            let (me, storage) = client.login(&server, &login, &password).await?;
            out.signed_in("signed in", &me, &server, &storage);
        }
        Command::Logout { forget } => {
            client.logout(forget).await?;
            out.done(
                "signed out",
                serde_json::json!({"signed_out": true, "replica_forgotten": forget}),
            );
        }
        Command::Sync { watch: false } => {
            let report = client.sync(|p| out.progress(p)).await?;
            out.synced(&report);
        }
        Command::Sync { watch: true } => watch::run(&client, out).await?,
        Command::Status => out.status(&client.status().await?),
        Command::Conversations => out.conversations(&client.conversations().await?),
        Command::Open { username } => {
            let id = client.open_direct(&username).await?;
            out.done(&id.to_string(), serde_json::json!({"conversation_id": id}));
        }
        Command::Send { conversation, text, media } => {
            let id = client.resolve(parse_conversation_spec(&conversation)).await?;
            let (message, delivered) = client.send(id, text.as_deref(), media.as_deref()).await?;
            out.sent(&message, delivered);
        }
        Command::Messages { conversation, limit } => {
            let id = client.resolve(parse_conversation_spec(&conversation)).await?;
            out.messages(&client.messages(id, limit).await?, client.signed_in().map(|s| s.0));
        }
        Command::Read { conversation } => {
            let id = client.resolve(parse_conversation_spec(&conversation)).await?;
            let n = client.read(id).await?;
            out.done(&format!("{n} messages marked read"), serde_json::json!({"marked_read": n}));
        }
        Command::Draft { conversation, text } => {
            let id = client.resolve(parse_conversation_spec(&conversation)).await?;
            match text {
                Some(t) => {
                    client.set_draft(id, &t).await?;
                    out.done("draft saved", serde_json::json!({"draft": t}));
                }
                None => {
                    let d = client.draft(id).await?.map(|d| d.content);
                    out.done(d.as_deref().unwrap_or(""), serde_json::json!({"draft": d}));
                }
            }
        }
        Command::Search { text } => out.search(&client.search(&text).await?),
        Command::Directory { mentor, mentee, skill, industry, state, query } => {
            let q = UsersQuery {
                q: query,
                mentor: mentor.then_some(true),
                mentee: mentee.then_some(true),
                skill,
                industry,
                state,
                limit: Some(100),
                ..UsersQuery::default()
            };
            out.profiles(&client.directory(&q).await?);
        }
        Command::Matches => out.matches(&client.matches().await?),
        Command::Group(GroupCommand::Create { name, members }) => {
            let id = client.group_create(&name, &members).await?;
            out.done(&id.to_string(), serde_json::json!({"conversation_id": id}));
        }
        Command::Group(GroupCommand::Add { group, username, role }) => {
            client.group_add(&group, &username, role.as_deref()).await?;
            out.done(
                &format!("{username} added to {group}"),
                serde_json::json!({"added": username}),
            );
        }
        Command::Group(GroupCommand::Remove { group, username }) => {
            client.group_remove(&group, &username).await?;
            out.done(
                &format!("{username} removed from {group}"),
                serde_json::json!({"removed": username}),
            );
        }
        Command::Profile { set } if set.is_empty() => out.profile(&client.profile().await?),
        Command::Profile { set } => {
            // Signed out is said before anything about the fields, as it always was.
            if client.signed_in().is_none() {
                return Err(ClientError::NotSignedIn);
            }
            out.profile(&client.set_profile(&profile_patch(&set)?).await?)
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_names_parse() {
        let id = Uuid::new_v4();
        assert_eq!(parse_conversation_spec(&id.to_string()), ConversationSpec::Id(id));
        assert_eq!(parse_conversation_spec("@ann"), ConversationSpec::Direct("ann".into()));
        assert_eq!(
            parse_conversation_spec("#Rust Circle"),
            ConversationSpec::Group("Rust Circle".into())
        );
        assert_eq!(parse_conversation_spec("ann"), ConversationSpec::Invalid("ann".into()));
    }

    #[test]
    fn profile_fields_become_a_patch() {
        let set = |pairs: &[(&str, &str)]| {
            profile_patch(
                &pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>(),
            )
        };
        let p = set(&[
            ("city", "Austin"),
            ("bio", ""),
            ("mentor_status", "yes"),
            ("skills", "rust, sql"),
        ])
        .unwrap();
        assert_eq!(p.city, Some(Some("Austin".into())));
        assert_eq!(p.bio, Some(None), "an empty value clears");
        assert_eq!(p.mentor_status, Some(Some(true)));
        assert_eq!(p.skills, Some(Some(vec!["rust".into(), "sql".into()])));
        assert_eq!(p.state, None, "absent stays");
        assert!(
            matches!(set(&[("nickname", "x")]), Err(ClientError::Invalid(e)) if e.0.contains_key("nickname"))
        );
        assert!(matches!(set(&[("years_of_experience", "many")]), Err(ClientError::Invalid(_))));
    }
}
