//! `lodestar-server coordinator add|remove|list`: the program's coordinators, set on the
//! database itself (the same `--database` as the server), so that making one needs the server's
//! machine, never an API an attacker could reach.

use crate::store::{self, StoreError};
use crate::StartError;

/// What `coordinator` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoordinatorChange {
    /// Makes this user a coordinator.
    Add(String),
    /// Makes this user a coordinator no more.
    Remove(String),
    /// Changes nothing.
    List,
}

/// Why `coordinator` failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoordinatorError {
    /// No account has that username.
    #[error("no account is named {0}")]
    NoSuchUser(String),
    /// The database could not be opened, migrated or written.
    #[error(transparent)]
    Store(#[from] StartError),
}

/// Applies `change` to the database at `database_url`; answers the coordinators after it.
pub async fn coordinator(
    database_url: &str,
    change: CoordinatorChange,
) -> Result<Vec<String>, CoordinatorError> {
    let store = store::open(database_url).await.map_err(StartError::from)?;
    let set = match &change {
        CoordinatorChange::Add(name) => Some((name, true)),
        CoordinatorChange::Remove(name) => Some((name, false)),
        CoordinatorChange::List => None,
    };
    if let Some((name, on)) = set {
        let name = name.trim().trim_start_matches('@');
        store.set_coordinator(name, on).await.map_err(|e| match e {
            StoreError::NotFound => CoordinatorError::NoSuchUser(name.to_owned()),
            other => CoordinatorError::Store(other.into()),
        })?;
    }
    Ok(store.coordinators().await.map_err(StartError::from)?)
}
