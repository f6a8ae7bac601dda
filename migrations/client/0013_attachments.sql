-- Why: attachments that upload offline (API.md, "Richer messages"). A file attached here is
-- copied into the data folder at once (so a moved or deleted original, a crash or a restart
-- loses nothing) and its upload queued; the message waits in the outbox for it, showing
-- `upload:ID` as its media until the server's `/v1/media/…` replaces it.
CREATE TABLE attachments (
    upload_id  BLOB PRIMARY KEY NOT NULL,
    message_id BLOB NOT NULL,
    file_name  TEXT NOT NULL,
    path       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    media_url  TEXT
);
CREATE INDEX attachments_message ON attachments (message_id);
