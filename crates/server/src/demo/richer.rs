//! The demo's richer messages: in Owen and Maya's conversation (the one the README shows), a
//! picture Owen attaches, Maya's reply quoting it (edited once), and a reaction each way.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use lodestar_protocol::validate;
use uuid::Uuid;

use super::id;
use crate::error::ApiError;
use crate::media::Media;
use crate::store::{media_url, MediaRecord, NewMessage, SendOutcome, Store};

/// A one-page design sketch: three boxes (API, queue, workers) joined by arrows' shafts.
fn sketch() -> Result<Vec<u8>, ApiError> {
    let (w, h) = (720u32, 420u32);
    let boxes =
        [(60u32, 150u32, [66u8, 133, 244]), (300, 150, [251, 188, 4]), (540, 150, [52, 168, 83])];
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        for (bx, by, color) in boxes {
            let inside = x >= bx && x < bx + 120 && y >= by && y < by + 120;
            let border = inside && (x < bx + 4 || x >= bx + 116 || y < by + 4 || y >= by + 116);
            if border {
                return image::Rgb([40, 40, 48]);
            }
            if inside {
                return image::Rgb(color);
            }
        }
        let shaft = (y == 210 || y == 211) && ((180..300).contains(&x) || (420..540).contains(&x));
        if shaft {
            image::Rgb([40, 40, 48])
        } else if (x / 24 + y / 24) % 2 == 0 {
            image::Rgb([250, 250, 246])
        } else {
            image::Rgb([244, 244, 238])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| ApiError::Internal(format!("demo picture: {e}")))?;
    Ok(out.into_inner())
}

async fn say(
    store: &dyn Store,
    sender: Uuid,
    conversation_id: Uuid,
    text: &str,
    media: Option<String>,
    reply_to: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<Uuid, ApiError> {
    let body = validate::message_body(Some(text), media.as_deref())?;
    let message =
        NewMessage { message_id: Uuid::now_v7(), conversation_id, body, sent_at: at, reply_to };
    match store.send_message(sender, message).await? {
        SendOutcome::Created(m) => Ok(m.message_id),
        other => Err(ApiError::Internal(format!("demo message not stored: {other:?}"))),
    }
}

/// Seeds the picture, the reply, its edit and the reactions.
pub(super) async fn seed(
    store: &dyn Store,
    media: &Media,
    ids: &HashMap<&'static str, Uuid>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let (owen, maya) = (id(ids, "owen.fischer")?, id(ids, "maya.chen")?);
    let conversation = store.open_direct(owen, maya, now).await?.conversation.conversation_id;
    let media_id = Uuid::new_v4();
    let up = media.upload(media_id, axum::body::Body::from(sketch()?)).await?;
    let record = MediaRecord {
        media_id,
        uploader_id: Some(owen),
        content_type: up.content_type,
        size: i64::try_from(up.size).unwrap_or(i64::MAX),
        sha256: up.sha256,
        width: up.width.and_then(|v| i32::try_from(v).ok()),
        height: up.height.and_then(|v| i32::try_from(v).ok()),
        created_at: now - Duration::hours(3),
    };
    store.create_media(&record).await?;
    let at = now - Duration::hours(3);
    let photo = say(
        store,
        owen,
        conversation,
        "Here's my one-page sketch of the scheduler for Thursday.",
        Some(media_url(media_id)),
        None,
        at,
    )
    .await?;
    let reply = say(store, maya, conversation, "Great start. The queue between the API and the workers is where your races live, so we start there.", None, Some(photo), at + Duration::minutes(12)).await?;
    store
        .edit_message(maya, reply, "Great start! The queue between the API and the workers is where your data races live, so that's where we start.".into(), at + Duration::minutes(14))
        .await?;
    store.react(maya, photo, "👍", at + Duration::minutes(11)).await?;
    store.react(owen, reply, "🙏", at + Duration::minutes(20)).await?;
    Ok(())
}
