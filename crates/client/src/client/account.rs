//! The account's session: registering, signing in and out. These are the only calls that
//! change which user the client acts for; everything else reads the session they leave.

use std::path::PathBuf;

use chrono::Utc;
use lodestar_protocol::{Me, RegisterRequest};

use super::Client;
use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::session::{SessionInfo, TokenStorage};

impl Client {
    async fn start_session(
        &mut self,
        server: &str,
        me: &Me,
        token: &str,
    ) -> ClientResult<TokenStorage> {
        let info = SessionInfo {
            server: server.to_owned(),
            user_id: me.profile.user_id,
            username: me.profile.username.clone(),
        };
        let storage = self.sessions.save(&info, token)?;
        self.activate(info, token).await?;
        Ok(storage)
    }

    /// Creates an account on `server` and signs in.
    pub async fn register(
        &mut self,
        server: &str,
        req: &RegisterRequest,
    ) -> ClientResult<(Me, TokenStorage)> {
        lodestar_protocol::validate::register(req, Utc::now().date_naive())?;
        let auth = Api::new(server)?.register(req).await?;
        let storage = self.start_session(server, &auth.user, &auth.token).await?;
        Ok((auth.user, storage))
    }

    /// Signs in on `server`.
    pub async fn login(
        &mut self,
        server: &str,
        login: &str,
        password: &str,
    ) -> ClientResult<(Me, TokenStorage)> {
        let auth = Api::new(server)?.login(login, password).await?;
        let storage = self.start_session(server, &auth.user, &auth.token).await?;
        Ok((auth.user, storage))
    }

    /// Signs out: the server revokes the token when it can be reached, and the token is
    /// forgotten here either way. The replica stays unless `forget_replica`.
    pub async fn logout(&mut self, forget_replica: bool) -> ClientResult<()> {
        let active = self.active.take().ok_or(ClientError::NotSignedIn)?;
        if let Err(e) = active.api.logout().await {
            tracing::info!(error = %e, "the server did not hear the logout; the token is forgotten here");
        }
        self.sessions.forget_token()?;
        if forget_replica {
            let path = self.data_dir.join(format!("{}.db", active.info.user_id));
            drop(active);
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", path.display()));
                if file.exists() {
                    std::fs::remove_file(&file).map_err(|e| {
                        ClientError::Corrupt(format!("cannot remove {}: {e}", file.display()))
                    })?;
                }
            }
        }
        Ok(())
    }
}
