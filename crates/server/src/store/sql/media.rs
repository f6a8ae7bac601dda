//! The records of uploaded media (see `store::MediaStore`).

/// Expands `MediaStore` for one backend (see `super::impl_store!`).
macro_rules! sql_media {
    ($store:ty, $db:ty) => {
        /// A `media` row.
        #[derive(sqlx::FromRow)]
        struct MediaRow {
            media_id: Uuid,
            uploader_id: Option<Uuid>,
            content_type: String,
            size: i64,
            sha256: String,
            width: Option<i32>,
            height: Option<i32>,
            created_at: DateTime<Utc>,
        }

        impl From<MediaRow> for $crate::store::MediaRecord {
            fn from(r: MediaRow) -> Self {
                $crate::store::MediaRecord {
                    media_id: r.media_id,
                    uploader_id: r.uploader_id,
                    content_type: r.content_type,
                    size: r.size,
                    sha256: r.sha256,
                    width: r.width,
                    height: r.height,
                    created_at: r.created_at,
                }
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::MediaStore for $store {
            async fn create_media(&self, m: &$crate::store::MediaRecord) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO media (media_id, uploader_id, content_type, size, sha256, width, height, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(m.media_id)
                .bind(m.uploader_id)
                .bind(&m.content_type)
                .bind(m.size)
                .bind(&m.sha256)
                .bind(m.width)
                .bind(m.height)
                .bind(micros(m.created_at))
                .execute(self.writer())
                .await?;
                Ok(())
            }

            async fn readable_media(&self, user: Uuid, id: Uuid) -> StoreResult<Option<$crate::store::MediaRecord>> {
                let row = sqlx::query_as::<_, MediaRow>(concat!(
                    "SELECT media_id, uploader_id, content_type, size, sha256, width, height, created_at FROM media \
                     WHERE media_id = $2 AND (uploader_id = $1 OR EXISTS (SELECT 1 FROM messages m \
                     WHERE m.media_url = $3 AND m.deleted_at IS NULL AND (m.status = 'delivered' OR m.sender_id = $1) \
                     AND m.conversation_id IN (", my_conversations!(), ")))"
                ))
                .bind(user)
                .bind(id)
                .bind($crate::store::media_url(id))
                .fetch_optional(self.reader())
                .await?;
                Ok(row.map(Into::into))
            }

            async fn unused_media(&self, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Uuid>> {
                let candidates: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT media_id FROM media WHERE created_at < $1 ORDER BY created_at LIMIT $2",
                )
                .bind(cutoff)
                .bind(limit.saturating_mul(4))
                .fetch_all(self.reader())
                .await?;
                let mut out = Vec::new();
                for id in candidates {
                    let named: i64 = sqlx::query_scalar(
                        "SELECT count(*) FROM messages WHERE media_url = $1 AND deleted_at IS NULL",
                    )
                    .bind($crate::store::media_url(id))
                    .fetch_one(self.reader())
                    .await?;
                    if named == 0 {
                        out.push(id);
                        if out.len() as i64 >= limit {
                            break;
                        }
                    }
                }
                Ok(out)
            }

            async fn delete_media(&self, id: Uuid) -> StoreResult<()> {
                sqlx::query("DELETE FROM media WHERE media_id = $1").bind(id).execute(self.writer()).await?;
                Ok(())
            }
        }
    };
}
