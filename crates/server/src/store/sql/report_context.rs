//! A report as coordinators read it: its row, and the reported message with the five before it.

/// The helpers `sql_safety!` reads reports with (see `super::impl_store!`).
macro_rules! sql_report_context {
    ($store:ty, $db:ty) => {
        /// The reported message and the five before it in its conversation, oldest first.
        async fn report_context(conn: &mut Conn, message_id: Uuid) -> StoreResult<Vec<Message>> {
            let mut rows = sqlx::query_as::<_, $crate::store::records::MessageRow>(concat!(
                "SELECT ", message_columns!(), " FROM messages WHERE conversation_id = \
                 (SELECT conversation_id FROM messages WHERE message_id = $1) \
                 AND seq <= (SELECT seq FROM messages WHERE message_id = $1) ORDER BY seq DESC LIMIT 6"
            ))
            .bind(message_id)
            .fetch_all(conn)
            .await?;
            rows.reverse();
            Ok(rows.into_iter().map(Message::from).collect())
        }

        async fn load_report(conn: &mut Conn, report_id: Uuid) -> StoreResult<Option<ReportRow>> {
            Ok(sqlx::query_as::<_, ReportRow>(concat!("SELECT ", report_columns!(), " FROM reports WHERE report_id = $1"))
                .bind(report_id)
                .fetch_optional(conn)
                .await?)
        }

        async fn with_context(conn: &mut Conn, row: ReportRow) -> StoreResult<Report> {
            let context = match row.message_id {
                Some(id) => report_context(conn, id).await?,
                None => Vec::new(),
            };
            row.into_report(context)
        }
    };
}
