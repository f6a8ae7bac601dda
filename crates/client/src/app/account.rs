//! Signing up, in and out of the window.

use chrono::Utc;
use lodestar_protocol::FieldErrors;

use super::views::{self, RegisterForm, SessionView};
use super::{signed_out, App};
use crate::error::ClientResult;

impl App {
    /// Every rule the server applies to the sign-up form.
    pub fn check_register(&self, form: &RegisterForm) -> FieldErrors {
        form.check(Utc::now().date_naive())
    }

    /// Who is signed in.
    pub async fn session(&self) -> ClientResult<SessionView> {
        let client = self.client.read().await;
        // The override is for the sign-in screen; once signed in, the server in use is the one
        // the session was opened on.
        let server = match (&self.server_override, client.signed_in()) {
            (Some(s), None) => s.clone(),
            _ => client.server(None)?,
        };
        Ok(match client.signed_in() {
            Some((id, name)) => SessionView {
                signed_in: true,
                user_id: Some(id),
                username: Some(name.to_owned()),
                server,
            },
            None => SessionView { signed_in: false, user_id: None, username: None, server },
        })
    }

    /// Creates an account and signs in.
    pub async fn register(
        &self,
        server: &str,
        form: &views::RegisterForm,
    ) -> ClientResult<SessionView> {
        let server = server.trim().trim_end_matches('/');
        self.client.write().await.register(server, &form.request()).await?;
        self.restart_engine().await;
        self.session().await
    }

    /// Signs in.
    pub async fn login(
        &self,
        server: &str,
        login: &str,
        password: &str,
    ) -> ClientResult<SessionView> {
        let server = server.trim().trim_end_matches('/');
        self.client.write().await.login(server, login.trim(), password).await?;
        self.restart_engine().await;
        self.session().await
    }

    /// Signs out; the replica stays for the next sign-in.
    pub async fn logout(&self) -> ClientResult<()> {
        if let Some(engine) = self.engine.lock().await.take() {
            engine.stop().await;
        }
        // No engine, no sync: the last state it reported no longer holds.
        *self.sync.lock().unwrap_or_else(|p| p.into_inner()) = signed_out();
        self.client.write().await.logout(false).await
    }
}
