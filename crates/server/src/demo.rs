//! The demo program (being written).
use crate::auth::PasswordHasher;
use crate::error::ApiError;
use crate::store::Store;
/// Seeds the demo.
pub async fn seed(_store: &dyn Store, _hasher: &PasswordHasher) -> Result<(), ApiError> {
    Ok(())
}
