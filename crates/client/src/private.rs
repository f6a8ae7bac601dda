//! Files only their owner may read: the data folder (0700) and the replica with its WAL and
//! shared-memory files (0600). The replica holds every message the user may see and their own
//! email, phone number and date of birth; created with the default umask it was readable by
//! every account on the machine. The session's token file is written the same way. Platforms without modes (Windows) keep the folder's ACL, which
//! is already per user under the user's profile.

use std::io::{self, Write};
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

/// Writes `bytes` to `path` atomically (a temporary file in the same folder, then a rename), the
/// file being readable and writable by its owner only from the moment it exists: on Unix it is
/// created with mode 0600. Elsewhere (Windows) the data folder's permissions, which are the
/// user's, apply.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = write_new_private(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Creates `path` (which must not exist yet) with owner-only permissions and writes `bytes`.
fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
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
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// Copies `from` to a new file `to` that only its owner may read (0600 on Unix from the moment
/// it exists); answers the bytes copied.
pub fn copy_private(from: &Path, to: &Path) -> io::Result<u64> {
    let mut source = std::fs::File::open(from)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut target = options.open(to)?;
    let n = io::copy(&mut source, &mut target)?;
    target.sync_all()?;
    Ok(n)
}
