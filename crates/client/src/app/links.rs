//! `lodestar://` links in and out of the window: what a clicked link opens, and the link to share
//! for a profile, a conversation or a mentor's request form (with this program's server in it).

use lodestar_protocol::links::{Link, Target};

use super::views::Opening;
use super::App;
use crate::error::ClientResult;

impl App {
    /// What a clicked link should open; a link of another program's server, or one that cannot
    /// be read, says so instead.
    pub async fn opening_for_link(&self, text: &str) -> Opening {
        let link = match Link::parse(text) {
            Ok(link) => link,
            Err(e) => {
                // A link is typed or pasted by anyone: the window shows its start, not a page of it.
                let link: String = text.trim().chars().take(200).collect();
                return Opening::Invalid { link, code: e.code().to_owned() };
            }
        };
        // Signed out, the sign-in screen shows first and the link opens on whatever server the
        // user then signs in to; signed in, only on the server the link names.
        match (self.session().await, &link.server) {
            (Ok(session), Some(server)) if session.signed_in && !link.is_for(&session.server) => {
                Opening::OtherServer { target: link.target, server: server.clone() }
            }
            _ => Opening::Open { target: link.target },
        }
    }

    /// The link to share for `target`, naming the server the user is signed in to.
    pub async fn share_link(&self, target: Target) -> ClientResult<String> {
        let server = self.session().await?.server;
        Ok(Link::new(target, Some(&server)).to_url())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use lodestar_protocol::links::Target;
    use uuid::Uuid;

    use super::super::views::Opening;
    use super::super::App;
    use crate::client::Client;
    use crate::session::{SessionInfo, SessionStore};

    const SERVER: &str = "http://127.0.0.1:9";

    async fn signed_in(dir: &std::path::Path) -> App {
        let info =
            SessionInfo { server: SERVER.into(), user_id: Uuid::new_v4(), username: "ann".into() };
        SessionStore::with_file_only(dir).save(&info, "token").unwrap();
        App::over(Client::open_file_only(dir).await.unwrap(), dir, None)
    }

    #[tokio::test]
    async fn a_link_opens_on_its_own_server_and_says_so_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let app = signed_in(dir.path()).await;
        let maya = Target::Profile { username: "maya".into() };
        for link in ["lodestar://user/maya", "lodestar://user/maya?server=http://127.0.0.1:9/"] {
            assert_eq!(
                app.opening_for_link(link).await,
                Opening::Open { target: maya.clone() },
                "{link}"
            );
        }
        assert_eq!(
            app.opening_for_link("lodestar://user/maya?server=https://other.example.org").await,
            Opening::OtherServer {
                target: maya.clone(),
                server: "https://other.example.org".into()
            }
        );
        let Opening::Invalid { code, .. } = app.opening_for_link("lodestar://admin/x").await else {
            panic!("an unknown target is invalid")
        };
        assert_eq!(code, "unknown_target");
        let shared = app.share_link(maya).await.unwrap();
        assert_eq!(shared, "lodestar://user/maya?server=http%3A%2F%2F127.0.0.1%3A9");
    }
}
