//! The token in the OS keychain (see the module above for when it is used).

use super::{SessionInfo, KEYCHAIN_SERVICE};

/// The keychain entry of `info`'s token.
pub(super) fn keychain_entry(info: &SessionInfo) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, &info.keychain_account())
}

/// Puts the token in the keychain and reads it back: a keychain that takes it but cannot give
/// it back is no keychain to rely on.
pub(super) fn keychain_store(info: &SessionInfo, token: &str) -> keyring::Result<()> {
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
