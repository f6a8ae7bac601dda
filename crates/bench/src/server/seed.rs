//! Users, sessions and direct conversations written straight through the server's own `Store`
//! before the server process starts: the same rows `POST /v1/auth/register` and
//! `POST /v1/conversations/direct` write, minus one argon2id hash per user (one hash of the shared
//! password serves every account, so logins still verify). A thousand users cost seconds, not
//! the ~25 s of a thousand hashes on two cores, and the measured server reads them unchanged.

use anyhow::Context;
use chrono::Utc;
use lodestar_protocol::{validate, ProfileFields, RegisterRequest};
use lodestar_server::auth::{new_token, token_hash, PasswordHasher, TOKEN_LIFETIME};
use lodestar_server::store::{NewAccount, Store};
use lodestar_tests::{User, DOB, PASSWORD};
use uuid::Uuid;

/// The database of one run, opened in this process only while seeding.
pub struct Seeder {
    store: std::sync::Arc<dyn Store>,
    hash: String,
}

impl Seeder {
    /// Opens (and migrates) the database at `url`.
    pub async fn open(url: &str) -> anyhow::Result<Seeder> {
        let store = lodestar_server::store::open(url).await.context("open the store to seed")?;
        let hash = PasswordHasher::new(1)?.hash(PASSWORD).await?;
        Ok(Seeder { store, hash })
    }

    /// `n` users named `{prefix}{i}`, each with a session token.
    pub async fn users(&self, prefix: &str, n: usize) -> anyhow::Result<Vec<User>> {
        let now = Utc::now();
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let username = format!("{prefix}{i}");
            let req = RegisterRequest {
                username: username.clone(),
                email: format!("{username}@example.com"),
                password: PASSWORD.to_owned(),
                date_of_birth: DOB.to_owned(),
                profile: ProfileFields::default(),
            };
            let user = validate::register(&req, now.date_naive())
                .map_err(|e| anyhow::anyhow!("seed user {username} invalid: {e:?}"))?;
            let me = self
                .store
                .create_user(NewAccount { user, password_hash: self.hash.clone() }, now)
                .await?;
            let token = new_token();
            let id = me.profile.user_id;
            self.store.create_session(id, &token_hash(&token), now, now + TOKEN_LIFETIME).await?;
            out.push(User { id, username, token });
        }
        Ok(out)
    }

    /// Opens the direct conversation of `a` and `b`; answers its id.
    pub async fn direct(&self, a: &User, b: &User) -> anyhow::Result<Uuid> {
        let opened = self.store.open_direct(a.id, b.id, Utc::now()).await?;
        Ok(opened.conversation.conversation_id)
    }

    /// The newest change's seq: a cursor from which a socket misses nothing that follows.
    pub async fn latest_seq(&self) -> anyhow::Result<i64> {
        Ok(self.store.latest_seq().await?)
    }
}
