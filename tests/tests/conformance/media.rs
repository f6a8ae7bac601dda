//! The records of attachments, on both backends: who may read media (its uploader; members of
//! a conversation where a message they can see names it, until that message is deleted), and
//! which media nothing names any more.

use lodestar_protocol::validate::MessageBody;
use lodestar_server::store::{media_url, MediaRecord, NewMessage, SendOutcome};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::{direct, fx, t, user, Fx};

fn record(uploader: Uuid, at: i64) -> MediaRecord {
    MediaRecord {
        media_id: Uuid::new_v4(),
        uploader_id: Some(uploader),
        content_type: "image/png".into(),
        size: 1234,
        sha256: "ab".repeat(32),
        width: Some(640),
        height: Some(480),
        created_at: t(at),
    }
}

async fn media_is_read_by_its_uploader_and_where_it_was_sent(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ann, ben, cat) = (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await);
    let conv = direct(s, ann, ben, t(0)).await;
    let photo = record(ann, 1);
    s.create_media(&photo).await.unwrap();
    let id = photo.media_id;
    assert_eq!(s.readable_media(ann, id).await.unwrap(), Some(photo.clone()));
    assert_eq!(s.readable_media(ben, id).await.unwrap(), None, "not sent yet");
    assert_eq!(s.readable_media(ann, Uuid::new_v4()).await.unwrap(), None);

    let m = NewMessage {
        message_id: Uuid::new_v4(),
        conversation_id: conv,
        body: MessageBody { content: None, media_url: Some(media_url(id)) },
        sent_at: t(2),
        reply_to: None,
    };
    let SendOutcome::Created(sent) = s.send_message(ann, m).await.unwrap() else {
        panic!("not created")
    };
    assert_eq!(s.readable_media(ben, id).await.unwrap().map(|r| r.media_id), Some(id));
    assert_eq!(s.readable_media(cat, id).await.unwrap(), None, "not in that conversation");
    assert_eq!(s.unused_media(t(100), 10).await.unwrap(), Vec::<Uuid>::new(), "named by a message");

    s.delete_message(ann, sent.message_id, t(3)).await.unwrap();
    assert_eq!(s.readable_media(ben, id).await.unwrap(), None, "its message deleted");
    assert!(s.readable_media(ann, id).await.unwrap().is_some(), "the uploader, until the sweep");
    let never_sent = record(ben, 5);
    s.create_media(&never_sent).await.unwrap();
    assert_eq!(s.unused_media(t(4), 10).await.unwrap(), [id], "only what is older than the cutoff");
    let mut both = s.unused_media(t(6), 10).await.unwrap();
    both.sort();
    let mut want = vec![id, never_sent.media_id];
    want.sort();
    assert_eq!(both, want);
    assert_eq!(s.unused_media(t(6), 1).await.unwrap().len(), 1, "the limit holds");
    s.delete_media(id).await.unwrap();
    assert_eq!(s.readable_media(ann, id).await.unwrap(), None);
}

lodestar_tests::on_both_backends!(media_is_read_by_its_uploader_and_where_it_was_sent);
