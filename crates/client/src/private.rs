//! Files only their owner may read: the data folder (0700) and the replica with its WAL and
//! shared-memory files (0600). The replica holds every message the user may see and their own
//! email, phone number and date of birth; created with the default umask it was readable by
//! every account on the machine. Platforms without modes (Windows) keep the folder's ACL, which
//! is already per user under the user's profile.

use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) and makes `dir` itself its owner's alone.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        // Created with the mode from the start (no instant of 0755), then tightened in case it
        // already existed with looser modes.
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Makes an SQLite database at `path` its owner's alone before SQLite opens it: the file is
/// created 0600 if missing (SQLite then creates its `-wal` and `-shm` files with the same mode),
/// and an existing file, WAL or shared-memory file is tightened to 0600.
pub fn private_database(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(path)?;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            match std::fs::set_permissions(&name, std::fs::Permissions::from_mode(0o600)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
