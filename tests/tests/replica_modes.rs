//! The replica is its owner's alone (issue 11, item 14): the data folder 0700, the database and
//! its WAL and shared-memory files 0600, also when they existed before with looser modes.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use lodestar_client::replica::Replica;
use uuid::Uuid;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[tokio::test]
async fn a_new_replica_and_its_folder_are_private() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("org.lodestar.desktop");
    let path = dir.join(format!("{}.db", Uuid::new_v4()));
    let replica = Replica::open(&path).await.unwrap();
    // A write, so the WAL and the shared-memory file exist.
    replica.set_me(Uuid::new_v4()).await.unwrap();
    assert_eq!(mode(&dir), 0o700, "the data folder");
    assert_eq!(mode(&path), 0o600, "the database");
    for suffix in ["-wal", "-shm"] {
        let file = with_suffix(&path, suffix);
        assert!(file.exists(), "{} exists while the replica is open", file.display());
        assert_eq!(mode(&file), 0o600, "{suffix}");
    }
}

#[tokio::test]
async fn a_replica_made_world_readable_before_is_tightened_at_open() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data");
    let path = dir.join("old.db");
    {
        let replica = Replica::open(&path).await.unwrap();
        replica.set_me(Uuid::new_v4()).await.unwrap();
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let file = with_suffix(&path, suffix);
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let replica = Replica::open(&path).await.unwrap();
    replica.set_me(Uuid::new_v4()).await.unwrap();
    assert_eq!(mode(&dir), 0o700);
    for suffix in ["", "-wal", "-shm"] {
        let file = with_suffix(&path, suffix);
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}
