-- Why: attachments (API.md, "Richer messages"). The bytes live in object storage under the
-- media id; this row says who uploaded them and what they are. A message names media by its
-- `media_url` (`/v1/media/{id}`): the partial index finds the messages naming one quickly (who
-- may read it; whether anything still does).
CREATE TABLE media (
    media_id     BLOB PRIMARY KEY NOT NULL,
    uploader_id  BLOB REFERENCES users (user_id) ON DELETE SET NULL,
    content_type VARCHAR(255) NOT NULL,
    size         INTEGER NOT NULL,
    sha256       CHAR(64) NOT NULL,
    width        INTEGER,
    height       INTEGER,
    created_at   TEXT NOT NULL
);
CREATE INDEX media_created ON media (created_at);
CREATE INDEX messages_media ON messages (media_url) WHERE media_url IS NOT NULL;
