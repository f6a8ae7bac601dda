//! Throttling of what costs a password hash: logins, password changes and registrations.
//!
//! API.md: after 10 failures for one login or one client address within 15 minutes, logins
//! answer 429 with `Retry-After` until the window passes. Attempts live in the database so the
//! limit holds across restarts and across instances.
//!
//! Each attempt is *counted before the password is checked*: its rows are written and committed
//! first, then the keys are counted. The n-th attempt to commit counts at least n rows, so
//! however many guesses arrive at once, at most [`THROTTLE_LIMIT`] of them reach the hasher
//! (checking first and recording the failure after let dozens through before the tenth failure
//! was written). An attempt refused by the throttle removes its rows again (it checked nothing),
//! and one that succeeds removes its own (a right password is not a failure).
//!
//! The account key is the login *as typed* (folded), never the account it resolves to: keyed by
//! account, ten failures by username made the account's email answer 429 where an unknown email
//! answers 401, telling anyone which email belongs to which username. So a throttled login
//! answers exactly as an unknown one would, and an account has one budget per name it can be
//! reached by (its username and its email), besides the per-address budget.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::ApiError;
use crate::store::Store;

/// Failures allowed per key in one window.
pub const THROTTLE_LIMIT: i64 = 10;
/// The window.
pub const THROTTLE_WINDOW: chrono::Duration = chrono::Duration::minutes(15);
/// Registrations allowed per client address in one window: enough for a classroom behind one
/// address, far too few for a flood that would keep the hasher from serving logins.
pub const REGISTER_LIMIT: i64 = 50;

/// The keys one attempt counts against, and how many each allows.
pub struct Throttle {
    /// The key a success clears (the login or the account); `None` for registrations.
    account: Option<String>,
    keys: Vec<String>,
    limit: i64,
}

/// An attempt that passed the throttle and is counted until it succeeds.
#[must_use = "an attempt ends kept or succeeded"]
pub struct Attempt {
    id: Uuid,
    account: Option<String>,
}

impl Throttle {
    /// A login as typed, from `ip`.
    pub fn login(login: &str, ip: IpAddr) -> Self {
        Self::password_check(format!("login:{}", login.trim().to_lowercase()), ip)
    }

    /// A password change by `user` from `ip`: the same budget per address as logins, so a
    /// stolen token cannot be used to guess the password at the hasher's speed.
    pub fn password_change(user: Uuid, ip: IpAddr) -> Self {
        Self::password_check(format!("password:{user}"), ip)
    }

    /// A password check counted against `account` and the address's budget shared by all.
    fn password_check(account: String, ip: IpAddr) -> Self {
        Throttle {
            keys: vec![account.clone(), address_key(ip)],
            account: Some(account),
            limit: THROTTLE_LIMIT,
        }
    }

    /// A registration from `ip`.
    pub fn register(ip: IpAddr, limit: i64) -> Self {
        Throttle { account: None, keys: vec![format!("register:{ip}")], limit }
    }

    /// Counts an attempt against every key; 429 (and nothing counted) when any key is over.
    pub async fn attempt(
        &self,
        store: &dyn Store,
        now: DateTime<Utc>,
    ) -> Result<Attempt, ApiError> {
        let id = Uuid::new_v4();
        store.record_attempt(&self.keys, id, now).await?;
        for key in &self.keys {
            let (count, oldest) = store.login_failures(key, now - THROTTLE_WINDOW).await?;
            if count > self.limit {
                store.forget_attempt(id).await?;
                let until = oldest.unwrap_or(now) + THROTTLE_WINDOW;
                let retry_after = (until - now).num_seconds().max(1) as u64;
                return Err(ApiError::RateLimited { retry_after });
            }
        }
        Ok(Attempt { id, account: self.account.clone() })
    }
}

impl Attempt {
    /// The attempt stays counted: a wrong password, or a registration (which costs a hash
    /// whatever its outcome).
    pub fn keep(self) {}

    /// The password was right: this attempt no longer counts, and neither do the earlier
    /// failures of the login it named (those of the address stay).
    pub async fn succeeded(self, store: &dyn Store) -> Result<(), ApiError> {
        store.forget_attempt(self.id).await?;
        if let Some(account) = &self.account {
            store.clear_login_failures(account).await?;
        }
        Ok(())
    }
}

fn address_key(ip: IpAddr) -> String {
    format!("ip:{ip}")
}
