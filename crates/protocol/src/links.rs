//! `lodestar://` links: what a link opens (a profile, a conversation, a mentor's request form)
//! and which program's server it belongs to.
//!
//! `lodestar://user/maya`, `lodestar://conversation/<uuid>`, `lodestar://request/raj.patel`,
//! each with an optional `?server=https://mentors.example.org`. The server is part of the link
//! because the same username names different people on different programs' servers: the app
//! opens a link only on the server it names (or on its own, when the link names none) and says
//! so otherwise. Parsed here so the app, the CLI and the server agree on one shape.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::rules;

/// The scheme the desktop app registers with the system.
pub const SCHEME: &str = "lodestar";

/// What a link, a notification or the tray asks the window to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// A conversation the user takes part in.
    Conversation {
        /// Its id.
        conversation_id: Uuid,
    },
    /// Someone's profile.
    Profile {
        /// Their username.
        username: String,
    },
    /// The mentorship request form addressed to a mentor.
    Request {
        /// The mentor's username.
        mentor: String,
    },
}

/// A parsed `lodestar://` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What it opens.
    pub target: Target,
    /// The server it belongs to (`https://host[:port]`, no trailing slash), when it names one.
    pub server: Option<String>,
}

/// Why a text is not a Lodestar link; `code()` is what the window switches on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Not `lodestar://…` at all.
    #[error("not a lodestar:// link")]
    NotALink,
    /// `lodestar://` with something it does not know how to open.
    #[error("a lodestar:// link to something this version cannot open")]
    UnknownTarget,
    /// A username or conversation id that cannot be one.
    #[error("the link names no valid user or conversation")]
    BadId,
    /// `server=` that is not an http(s) address.
    #[error("the link's server is not an http(s) address")]
    BadServer,
}

impl LinkError {
    /// A stable code for the window.
    pub fn code(&self) -> &'static str {
        match self {
            LinkError::NotALink => "not_a_link",
            LinkError::UnknownTarget => "unknown_target",
            LinkError::BadId => "bad_id",
            LinkError::BadServer => "bad_server",
        }
    }
}

impl Link {
    /// A link to `target` on `server`.
    pub fn new(target: Target, server: Option<&str>) -> Link {
        Link { target, server: server.map(normalize_server) }
    }

    /// Reads `text` (surrounding whitespace ignored).
    pub fn parse(text: &str) -> Result<Link, LinkError> {
        let url = url::Url::parse(text.trim()).map_err(|_| LinkError::NotALink)?;
        if url.scheme() != SCHEME {
            return Err(LinkError::NotALink);
        }
        // `lodestar://user/maya`: "user" is the URL's host, "/maya" its path.
        let kind = url.host_str().ok_or(LinkError::UnknownTarget)?;
        let mut segments = url.path_segments().into_iter().flatten().filter(|s| !s.is_empty());
        let id = segments.next().ok_or(LinkError::BadId)?;
        if segments.next().is_some() {
            return Err(LinkError::BadId);
        }
        let id = percent_decode(id).ok_or(LinkError::BadId)?;
        let name = || rules::username(&id).map_err(|_| LinkError::BadId);
        let target = match kind {
            "user" => Target::Profile { username: name()? },
            "request" => Target::Request { mentor: name()? },
            "conversation" => Target::Conversation {
                conversation_id: Uuid::parse_str(&id).map_err(|_| LinkError::BadId)?,
            },
            _ => return Err(LinkError::UnknownTarget),
        };
        let server = match url.query_pairs().find(|(k, _)| k == "server") {
            None => None,
            Some((_, v)) => {
                let parsed = url::Url::parse(&v).map_err(|_| LinkError::BadServer)?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                    return Err(LinkError::BadServer);
                }
                Some(normalize_server(&v))
            }
        };
        Ok(Link { target, server })
    }

    /// The link as text, ready to share.
    pub fn to_url(&self) -> String {
        let (kind, id) = match &self.target {
            Target::Conversation { conversation_id } => {
                ("conversation", conversation_id.to_string())
            }
            Target::Profile { username } => ("user", username.clone()),
            Target::Request { mentor } => ("request", mentor.clone()),
        };
        let mut url = format!("{SCHEME}://{kind}/{id}");
        if let Some(server) = &self.server {
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("server", server)
                .finish();
            url.push('?');
            url.push_str(&query);
        }
        url
    }

    /// Whether the link may be opened by someone signed in to `server`: it names no server, or
    /// the same one.
    pub fn is_for(&self, server: &str) -> bool {
        self.server.as_deref().is_none_or(|s| s == normalize_server(server))
    }
}

/// `https://Host:443/` and `https://host` are the same server.
fn normalize_server(server: &str) -> String {
    match url::Url::parse(server.trim()) {
        Ok(url) => url.origin().ascii_serialization(),
        Err(_) => server.trim().trim_end_matches('/').to_owned(),
    }
}

fn percent_decode(s: &str) -> Option<String> {
    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_back_what_it_wrote() {
        let id = Uuid::new_v4();
        for target in [
            Target::Profile { username: "maya".into() },
            Target::Request { mentor: "raj.patel".into() },
            Target::Conversation { conversation_id: id },
        ] {
            for server in [None, Some("https://mentors.example.org")] {
                let link = Link::new(target.clone(), server);
                assert_eq!(Link::parse(&link.to_url()), Ok(link.clone()), "{}", link.to_url());
            }
        }
        assert_eq!(
            Link::new(Target::Profile { username: "maya".into() }, Some("https://m.example.org/"))
                .to_url(),
            "lodestar://user/maya?server=https%3A%2F%2Fm.example.org"
        );
    }

    #[test]
    fn a_link_belongs_to_the_server_it_names() {
        let link =
            Link::parse("lodestar://user/maya?server=https://Mentors.example.org:443/").unwrap();
        assert_eq!(link.server.as_deref(), Some("https://mentors.example.org"));
        assert!(link.is_for("https://mentors.example.org/"));
        assert!(!link.is_for("https://other.example.org"));
        assert!(Link::parse("lodestar://user/maya").unwrap().is_for("http://127.0.0.1:8787"));
    }

    #[test]
    fn what_is_not_a_link_is_refused_with_its_reason() {
        assert_eq!(Link::parse("https://example.org/user/maya"), Err(LinkError::NotALink));
        assert_eq!(Link::parse("lodestar://admin/reports"), Err(LinkError::UnknownTarget));
        assert_eq!(Link::parse("lodestar://user/"), Err(LinkError::BadId));
        assert_eq!(Link::parse("lodestar://user/Bad Name!"), Err(LinkError::BadId));
        assert_eq!(Link::parse("lodestar://user/maya/extra"), Err(LinkError::BadId));
        assert_eq!(Link::parse("lodestar://conversation/not-a-uuid"), Err(LinkError::BadId));
        assert_eq!(
            Link::parse("lodestar://user/maya?server=javascript:alert(1)"),
            Err(LinkError::BadServer)
        );
    }
}
