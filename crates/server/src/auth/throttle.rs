//! Login throttling (API.md): after 10 failures for one account or one client address within
//! 15 minutes, logins answer 429 with `Retry-After` until the window passes. Failures live in
//! the database so the limit holds across restarts and across instances.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::ApiError;
use crate::store::Store;

/// Failures allowed in one window.
pub const THROTTLE_LIMIT: i64 = 10;
/// The window.
pub const THROTTLE_WINDOW: chrono::Duration = chrono::Duration::minutes(15);

/// The keys one login attempt counts against.
pub struct LoginThrottle {
    account: String,
    address: String,
}

impl LoginThrottle {
    /// Keys for an attempt on `login` (resolved to `user_id` when it names an account) from `ip`.
    pub fn new(login: &str, user_id: Option<Uuid>, ip: IpAddr) -> Self {
        let account = match user_id {
            Some(id) => format!("user:{id}"),
            None => format!("login:{}", login.trim().to_lowercase()),
        };
        LoginThrottle { account, address: format!("ip:{ip}") }
    }

    /// 429 when either key is over the limit.
    pub async fn check(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<(), ApiError> {
        for key in [&self.account, &self.address] {
            let (count, oldest) = store.login_failures(key, now - THROTTLE_WINDOW).await?;
            if count >= THROTTLE_LIMIT {
                let until = oldest.unwrap_or(now) + THROTTLE_WINDOW;
                let retry_after = (until - now).num_seconds().max(1) as u64;
                return Err(ApiError::RateLimited { retry_after });
            }
        }
        Ok(())
    }

    /// Counts a failure against both keys.
    pub async fn failed(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<(), ApiError> {
        store.record_login_failure(&[self.account.clone(), self.address.clone()], now).await?;
        Ok(())
    }

    /// A success forgives the account's failures (not the address's).
    pub async fn succeeded(&self, store: &dyn Store) -> Result<(), ApiError> {
        store.clear_login_failures(&self.account).await?;
        Ok(())
    }
}
