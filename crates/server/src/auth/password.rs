//! argon2id hashing, off the async runtime and bounded.
//!
//! Each hash costs 19 MiB and tens of milliseconds of CPU. Hashing runs on the blocking pool
//! behind a semaphore sized to the machine's cores, so a login flood queues for the hasher
//! instead of starving every other request of worker threads.

use std::sync::Arc;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier, Version};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// OWASP's argon2id minimum: 19 MiB, two passes, one lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;
/// Hashes that may wait for the hasher beyond those running: a second or two of work on a small
/// machine, so a request that does get a place is answered in reasonable time.
pub const MAX_WAITING: usize = 64;

/// Hashes and verifies passwords with argon2id.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Places for hashes running or waiting: past them a request is refused at once (503 with
    /// `Retry-After`) instead of queueing without end behind a flood.
    places: Arc<Semaphore>,
    /// A real hash to verify against when the account does not exist, so an unknown login takes
    /// as long as a wrong password.
    decoy: Arc<String>,
}

fn argon2() -> Result<Argon2<'static>, ApiError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .map_err(|e| ApiError::Internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_now(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("argon2 hash: {e}")))
}

impl PasswordHasher {
    /// A hasher allowing `parallel` hashes at once.
    pub fn new(parallel: usize) -> Result<Self, ApiError> {
        Ok(PasswordHasher {
            permits: Arc::new(Semaphore::new(parallel.max(1))),
            places: Arc::new(Semaphore::new(parallel.max(1) + MAX_WAITING)),
            decoy: Arc::new(hash_now("decoy password never used")?),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _place = self
            .places
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::Unavailable { retry_after: 1 })?;
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::Internal("the hasher is shut down".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| ApiError::Internal(format!("hashing task failed: {e}")))?
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &str) -> Result<String, ApiError> {
        let password = password.to_owned();
        self.run(move || hash_now(&password)).await
    }

    /// Whether `password` matches `hash`; with no hash, spends the same time and answers false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, ApiError> {
        let password = password.to_owned();
        let (hash, real) = match hash {
            Some(h) => (h.to_owned(), true),
            None => (self.decoy.as_ref().clone(), false),
        };
        self.run(move || {
            let parsed = PasswordHash::new(&hash)
                .map_err(|e| ApiError::Internal(format!("stored hash unreadable: {e}")))?;
            Ok(argon2()?.verify_password(password.as_bytes(), &parsed).is_ok() && real)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_at_the_required_cost_and_verifies() {
        let h = PasswordHasher::new(1).expect("hasher");
        let hash = h.hash("correct horse battery").await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(h.verify("correct horse battery", Some(&hash)).await.expect("verify"));
        assert!(!h.verify("wrong horse battery", Some(&hash)).await.expect("verify"));
        assert!(!h.verify("correct horse battery", None).await.expect("verify"));
    }
}
