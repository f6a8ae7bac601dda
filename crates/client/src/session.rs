//! The signed-in session of one data folder: who is signed in where, and the token that proves it.
//!
//! Two things are kept, apart:
//!
//! - **`session.json`** in the data folder: the server URL, the user's id and username
//!   ([`SessionInfo`]). No secret is in it, so it is read without touching the keychain, and it
//!   outlives a logout so that the next login needs no `--server`.
//! - **The token**, in the OS keychain when one answers: the macOS Keychain, the Windows Credential
//!   Manager, or the Secret Service over D-Bus on Linux (GNOME Keyring, KWallet). The entry's
//!   service is `lodestar` and its account `{server}|{user_id}`. Where no keychain answers
//!   (headless Linux without a D-Bus session or a Secret Service, CI), the token goes to the file
//!   `token` in the data folder instead, created with mode 0600 on Unix so that no other user can
//!   ever read it. [`SessionStore::save`] logs (`tracing::info!`) which of the two is used and why.
//!
//! The environment variable **`LODESTAR_TOKEN_STORE=file`** forces the file and leaves the
//! keychain alone; tests and CI set it for determinism (and it is the way out on a Linux desktop
//! whose keyring is locked with nobody there to unlock it). It is read when the store is made
//! ([`SessionStore::new`]); [`SessionStore::with_file_only`] does the same without the variable.
//!
//! Logging out is [`SessionStore::forget_token`]: the keychain entry and the file are both
//! removed, `session.json` stays.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ClientError, ClientResult};

/// The keychain service every Lodestar token is filed under.
const KEYCHAIN_SERVICE: &str = "lodestar";
/// The name of the file with the account, in the data folder.
const INFO_FILE: &str = "session.json";
/// The name of the file with the token where no keychain answers, in the data folder.
const TOKEN_FILE: &str = "token";
/// The environment variable that chooses the token's storage; `file` forces the file.
const TOKEN_STORE_ENV: &str = "LODESTAR_TOKEN_STORE";

/// What the engine remembers between runs about the signed-in account (no secret in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The server's base URL, as given at login.
    pub server: String,
    /// The signed-in user's id.
    pub user_id: Uuid,
    /// The signed-in user's username.
    pub username: String,
}

impl SessionInfo {
    /// The keychain account of this session's token: `{server}|{user_id}`.
    fn keychain_account(&self) -> String {
        format!("{}|{}", self.server, self.user_id)
    }
}

/// Where the token was put.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenStorage {
    /// The OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret Service).
    Keychain,
    /// This file, readable by its owner only (mode 0600 on Unix).
    File(PathBuf),
}

/// The session of one data folder.
#[derive(Debug, Clone)]
pub struct SessionStore {
    /// The data folder that holds `session.json` and, without a keychain, `token`.
    dir: PathBuf,
    /// Whether the keychain is left alone and the token always goes to the file.
    file_only: bool,
}

impl SessionStore {
    /// The session of the data folder `data_dir` (made when something is first saved). The token
    /// goes to the OS keychain when one answers, unless `LODESTAR_TOKEN_STORE=file` is set.
    pub fn new(data_dir: &Path) -> Self {
        SessionStore {
            dir: data_dir.to_path_buf(),
            file_only: forces_file(std::env::var(TOKEN_STORE_ENV).ok().as_deref()),
        }
    }

    /// The session of the data folder `data_dir` with the token always in the file, never in the
    /// keychain: what `LODESTAR_TOKEN_STORE=file` does, without reading the environment.
    pub fn with_file_only(data_dir: &Path) -> Self {
        SessionStore { dir: data_dir.to_path_buf(), file_only: true }
    }

    /// Saves info (as `session.json` in the data dir) and the token (keychain, else `token` file
    /// with mode 0600 created atomically with that mode — never world-readable even for an
    /// instant), logging with `tracing::info!` which storage is used.
    ///
    /// A token saved earlier for another account is forgotten first; a stale token file is
    /// removed when the keychain takes the new token.
    pub fn save(&self, info: &SessionInfo, token: &str) -> ClientResult<TokenStorage> {
        crate::private::private_dir(&self.dir)
            .map_err(|e| io_error("cannot create the data folder", &self.dir, e))?;

        // Signing in as someone else (or elsewhere) must not leave the old token behind.
        if !self.file_only {
            if let Ok(Some(old)) = self.info() {
                if old.keychain_account() != info.keychain_account() {
                    self.delete_from_keychain(&old);
                }
            }
        }

        let json = serde_json::to_vec_pretty(info)
            .map_err(|e| ClientError::Corrupt(format!("cannot encode the session: {e}")))?;
        write_private(&self.info_path(), &json)?;

        let storage = if self.file_only {
            tracing::info!(
                path = %self.token_path().display(),
                "session token stored in a file readable by this user only \
                 ({TOKEN_STORE_ENV}=file: the OS keychain is not used)"
            );
            self.write_token_file(token)?
        } else {
            match keychain_store(info, token) {
                Ok(()) => {
                    self.remove_token_file()?;
                    tracing::info!(
                        account = %info.keychain_account(),
                        "session token stored in the OS keychain"
                    );
                    TokenStorage::Keychain
                }
                Err(e) => {
                    tracing::info!(
                        path = %self.token_path().display(),
                        reason = %e,
                        "no OS keychain answered: session token stored in a file readable by \
                         this user only"
                    );
                    self.write_token_file(token)?
                }
            }
        };
        Ok(storage)
    }

    /// The saved info and token, if any (keychain first, then the file).
    ///
    /// `None` when nobody signed in, or after [`SessionStore::forget_token`]. An unreadable
    /// `session.json` or token file is an error ([`ClientError::Corrupt`]), not a `None`.
    pub fn load(&self) -> ClientResult<Option<(SessionInfo, String)>> {
        let Some(info) = self.info()? else {
            return Ok(None);
        };
        if !self.file_only {
            match keychain_entry(&info).and_then(|entry| entry.get_password()) {
                Ok(token) => {
                    tracing::debug!("session token read from the OS keychain");
                    return Ok(Some((info, token)));
                }
                Err(keyring::Error::NoEntry) => {
                    tracing::debug!("no session token in the OS keychain; trying the file");
                }
                Err(e) => {
                    tracing::debug!(reason = %e, "the OS keychain did not answer; trying the file");
                }
            }
        }
        let path = self.token_path();
        match fs::read_to_string(&path) {
            Ok(token) => {
                let token = token.trim().to_string();
                if token.is_empty() {
                    return Ok(None);
                }
                tracing::debug!(path = %path.display(), "session token read from the file");
                Ok(Some((info, token)))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("cannot read the session token", &path, e)),
        }
    }

    /// Just the info (works without touching the keychain), e.g. to remember the server URL
    /// after logout.
    pub fn info(&self) -> ClientResult<Option<SessionInfo>> {
        let path = self.info_path();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("cannot read the session", &path, e)),
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            ClientError::Corrupt(format!(
                "{} is not a valid session ({e}); sign in again, or delete the file",
                path.display()
            ))
        })
    }

    /// Forgets the token everywhere (keychain entry and file); keeps session.json's server so
    /// the next login needs no --server, but the token is gone.
    ///
    /// Doing it twice, or with nothing saved, is fine. A keychain that does not answer is logged
    /// and passed over: a token saved while it did not answer is in the file, which goes.
    pub fn forget_token(&self) -> ClientResult<()> {
        // The file goes first, whatever else fails.
        self.remove_token_file()?;
        let info = self.info()?;
        if let Some(info) = info {
            if !self.file_only {
                self.delete_from_keychain(&info);
            }
        }
        Ok(())
    }

    /// The server URL remembered from the last login, if any.
    pub fn server(&self) -> ClientResult<Option<String>> {
        Ok(self.info()?.map(|info| info.server))
    }

    fn info_path(&self) -> PathBuf {
        self.dir.join(INFO_FILE)
    }

    fn token_path(&self) -> PathBuf {
        self.dir.join(TOKEN_FILE)
    }

    fn write_token_file(&self, token: &str) -> ClientResult<TokenStorage> {
        let path = self.token_path();
        write_private(&path, token.as_bytes())?;
        Ok(TokenStorage::File(path))
    }

    fn remove_token_file(&self) -> ClientResult<()> {
        let path = self.token_path();
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("cannot remove the session token", &path, e)),
        }
    }

    /// Removes the keychain entry of `info`'s token, if there is one; a keychain that does not
    /// answer is only logged (there is nothing more to do about it).
    fn delete_from_keychain(&self, info: &SessionInfo) {
        let account = info.keychain_account();
        let result = keychain_entry(info).and_then(|entry| match entry.delete_credential() {
            // Several matching items (made by another program or an old version): remove all.
            Err(keyring::Error::Ambiguous(items)) => {
                items.iter().try_for_each(|item| item.delete_credential())
            }
            other => other,
        });
        match result {
            Ok(()) => tracing::info!(%account, "session token removed from the OS keychain"),
            Err(keyring::Error::NoEntry) => {}
            Err(e) => tracing::debug!(%account, reason = %e, "the OS keychain did not answer"),
        }
    }
}

/// Whether a value of `LODESTAR_TOKEN_STORE` forces the file.
fn forces_file(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("file"))
}

/// The keychain entry of `info`'s token.
fn keychain_entry(info: &SessionInfo) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, &info.keychain_account())
}

/// Puts the token in the keychain and reads it back: a keychain that takes it but cannot give
/// it back is no keychain to rely on.
fn keychain_store(info: &SessionInfo, token: &str) -> keyring::Result<()> {
    let entry = keychain_entry(info)?;
    entry.set_password(token)?;
    match entry.get_password() {
        Ok(back) if back == token => Ok(()),
        Ok(_) => {
            // Leave nothing half-done behind before falling back to the file.
            let _ = entry.delete_credential();
            Err(keyring::Error::PlatformFailure(
                "the keychain gave back another token than the one saved".into(),
            ))
        }
        Err(e) => {
            let _ = entry.delete_credential();
            Err(e)
        }
    }
}

/// Writes `bytes` to `path` atomically (a temporary file in the same folder, then a rename), the
/// file being readable and writable by its owner only from the moment it exists: on Unix it is
/// created with mode 0600. Elsewhere (Windows) the data folder's permissions, which are the
/// user's, apply.
fn write_private(path: &Path, bytes: &[u8]) -> ClientResult<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", Uuid::new_v4().simple()));
    let result = write_new_private(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io_error("cannot write", path, e));
    }
    Ok(())
}

/// Creates `path` (which must not exist yet) with owner-only permissions and writes `bytes`.
fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        // The umask can only take bits away; this makes the mode exactly 0600 whatever it is.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

fn io_error(what: &str, path: &Path, e: io::Error) -> ClientError {
    ClientError::Corrupt(format!("{what} {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn info() -> SessionInfo {
        SessionInfo {
            server: "http://127.0.0.1:8080".into(),
            user_id: Uuid::new_v4(),
            username: "ada".into(),
        }
    }

    #[test]
    fn nothing_saved_loads_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::with_file_only(dir.path());
        assert_eq!(store.load().unwrap(), None);
        assert_eq!(store.info().unwrap(), None);
        assert_eq!(store.server().unwrap(), None);
        // Forgetting nothing is fine, twice.
        store.forget_token().unwrap();
        store.forget_token().unwrap();
    }

    #[test]
    fn save_then_load_round_trips_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("not-yet-made");
        let store = SessionStore::with_file_only(&data);
        let info = info();
        let storage = store.save(&info, "tok-123").unwrap();
        assert_eq!(storage, TokenStorage::File(data.join("token")));
        assert_eq!(store.load().unwrap(), Some((info.clone(), "tok-123".into())));
        assert_eq!(store.info().unwrap(), Some(info.clone()));

        // A new login replaces the token, and a new store on the same folder sees it.
        store.save(&info, "tok-456").unwrap();
        let again = SessionStore::with_file_only(&data);
        assert_eq!(again.load().unwrap(), Some((info, "tok-456".into())));
        // No temporary file is left behind.
        let mut names: Vec<_> = fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["session.json", "token"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_token_file_is_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::with_file_only(dir.path());
        let TokenStorage::File(path) = store.save(&info(), "secret").unwrap() else {
            panic!("file-only store used the keychain");
        };
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "token file mode is {mode:o}");
        // Replacing it keeps the mode.
        store.save(&info(), "secret2").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "token file mode is {mode:o}");
    }

    #[test]
    fn forget_token_keeps_the_server() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::with_file_only(dir.path());
        let info = info();
        store.save(&info, "tok").unwrap();
        store.forget_token().unwrap();
        assert_eq!(store.load().unwrap(), None);
        assert!(!dir.path().join("token").exists());
        assert_eq!(store.server().unwrap(), Some(info.server.clone()));
        assert_eq!(store.info().unwrap(), Some(info));
        store.forget_token().unwrap();
    }

    #[test]
    fn a_corrupt_session_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("session.json"), b"{\"server\": 42").unwrap();
        let store = SessionStore::with_file_only(dir.path());
        for err in
            [store.load().unwrap_err(), store.info().unwrap_err(), store.server().unwrap_err()]
        {
            assert_eq!(err.code(), lodestar_protocol::ErrorCode::Corrupt);
            let text = err.to_string();
            assert!(text.contains("session.json"), "{text}");
        }
    }

    #[test]
    fn the_environment_variable_value_file_forces_the_file() {
        assert!(forces_file(Some("file")));
        assert!(forces_file(Some(" FILE ")));
        assert!(!forces_file(Some("keychain")));
        assert!(!forces_file(Some("")));
        assert!(!forces_file(None));
        assert!(SessionStore::with_file_only(Path::new("/x")).file_only);
    }
}
