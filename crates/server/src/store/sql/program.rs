//! Coordinators (see `store/program.rs`).

/// Expands `ProgramStore` for one backend (see `super::impl_store!`).
macro_rules! sql_program {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl crate::store::ProgramStore for $store {
            async fn set_coordinator(&self, username: &str, on: bool) -> StoreResult<()> {
                let done = sqlx::query("UPDATE users SET is_coordinator = $1 WHERE username = $2")
                    .bind(on)
                    .bind(username.trim().to_lowercase())
                    .execute(self.writer())
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            }

            async fn coordinators(&self) -> StoreResult<Vec<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT username FROM users WHERE is_coordinator ORDER BY username",
                )
                .fetch_all(self.reader())
                .await?)
            }
        }
    };
}
