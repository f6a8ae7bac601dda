//! The session store on a real data folder (the file store; the keychain is the OS's).

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
    for err in [store.load().unwrap_err(), store.info().unwrap_err(), store.server().unwrap_err()] {
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
