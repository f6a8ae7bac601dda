//! Attachments through the desktop app's core (`lodestar_client::app::App`, its engine live on
//! a real server): a picture attached offline (as the window hands it over: base64 bytes) is
//! shown at once from its private copy, survives the app closing, and once the server is back is
//! uploaded and sent exactly once; the other person's app shows it (the bytes identical) and its
//! thumbnail through the same core the window's `lodestar-media:` scheme uses.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod desktop_app_support;

use base64::Engine;
use desktop_app_support::*;
use lodestar_client::app::MediaRef;
use lodestar_client::engine::SyncState;
use lodestar_client::replica::MessageStatus;
use lodestar_tests::{Backend, TestServer};
use uuid::Uuid;

fn png() -> Vec<u8> {
    lodestar_tests::image_host::png_of(800, 600)
}

fn media_id(url: &str) -> Uuid {
    url.strip_prefix("/v1/media/").and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("{url}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picture_attached_offline_survives_a_restart_and_arrives_once() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ben = signed_up(&s, dir_b.path(), form("ben")).await;
    let ann = signed_up(&s, dir_a.path(), form("ann")).await;
    let conv = ann.open_direct("ben").await.unwrap();
    online(&ann).await;
    let (db, addr) = s.stop().await;
    eventually("offline", || async {
        matches!(ann.sync_state(), SyncState::Offline { .. }).then_some(())
    })
    .await;

    let picture = png();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&picture);
    ann.attach_bytes(conv, "../../hike.png", &b64).await.unwrap();
    let shown = ann.messages(conv, 50).await.unwrap().pop().unwrap();
    assert_eq!(shown.status, MessageStatus::Pending);
    let attachment = shown.attachment.clone().expect("shown with its file at once");
    assert_eq!(
        (attachment.file_name.as_str(), attachment.size),
        ("hike.png", picture.len() as i64),
        "only the name's last part"
    );
    assert!(
        attachment.path.starts_with(&dir_a.path().display().to_string()),
        "a copy inside the data folder"
    );
    let upload = lodestar_client::outbox::pending_upload(shown.message.media_url.as_deref())
        .expect("waits for its upload");
    let (local, kind) = ann.media(MediaRef::Upload(upload)).await.unwrap();
    assert_eq!(
        (local, kind.as_str()),
        (picture.clone(), "image/png"),
        "the window shows the local copy"
    );
    let big = base64::engine::general_purpose::STANDARD.encode(vec![b'x'; 25 * 1024 * 1024 + 1]);
    let refused = ann.attach_bytes(conv, "huge.txt", &big).await.unwrap_err();
    assert!(refused.to_string().contains("file"), "{refused}");
    let kinds: Vec<String> = ann.outbox().await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["upload", "message"], "the upload, then the message that names it");

    // The app closes with both waiting; it opens again over the same folder.
    ann.shutdown().await;
    drop(ann);
    let s = TestServer::start_at(db, &addr).await;
    let ann = open(&s, dir_a.path()).await;
    let sent = eventually("uploaded and sent after the restart", || async {
        let item = ann.messages(conv, 50).await.unwrap().pop()?;
        (item.status == MessageStatus::Sent).then_some(item)
    })
    .await;
    let url = sent.message.media_url.clone().unwrap();
    let id = media_id(&url);
    assert!(ann.outbox().await.unwrap().is_empty());

    let received = eventually("ben has it", || async {
        let page = ben.messages(conv, 50).await.unwrap();
        page.into_iter().find(|m| m.message.media_url.as_deref() == Some(url.as_str()))
    })
    .await;
    assert_eq!(ben.messages(conv, 50).await.unwrap().len(), 1, "exactly once");
    assert!(received.attachment.is_none(), "not attached from ben's device");
    let (bytes, _) = ben.media(MediaRef::Media(id)).await.unwrap();
    assert_eq!(bytes, picture, "identical bytes");
    let (thumb, kind) = ben.media(MediaRef::Thumbnail(id)).await.unwrap();
    assert_eq!(kind, "image/jpeg");
    let small = image::load_from_memory(&thumb).unwrap();
    assert_eq!((small.width(), small.height()), (320, 240));
    // Cached: the second look needs no server.
    let s_addr = s.server.addr;
    s.server.stop().await;
    let (again, _) = ben.media(MediaRef::Thumbnail(id)).await.unwrap();
    assert_eq!(again, thumb, "from the cache, offline (the server at {s_addr} is gone)");
    ann.shutdown().await;
    ben.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_picture_comes_through_the_server_once() {
    let (host, hits) = lodestar_tests::image_host::image_host().await;
    let mut db = lodestar_tests::Database::fresh(Backend::Sqlite).await;
    db.fetch_private_links = true;
    let s = TestServer::spawn_on(std::sync::Arc::new(db)).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = signed_up(&s, dir.path(), form("ann")).await;
    let link = format!("{host}/cat.png");
    let (bytes, kind) = ann.media(MediaRef::Linked(link.clone())).await.unwrap();
    assert_eq!((bytes, kind.as_str()), (lodestar_tests::image_host::png(), "image/png"));
    let (again, _) = ann.media(MediaRef::Linked(link)).await.unwrap();
    assert_eq!(again, lodestar_tests::image_host::png());
    assert_eq!(
        hits.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the server fetched it once; the app asked the host nothing"
    );
    let refused = ann.media(MediaRef::Linked(format!("{host}/page.html"))).await;
    assert!(refused.is_err(), "a web page is not an image");
    ann.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_cut_by_the_network_starts_again_and_the_message_goes_once() {
    use lodestar_tests::proxy::{FaultProxy, Mode};
    let s = TestServer::spawn(Backend::Sqlite).await;
    let proxy = FaultProxy::start(s.server.addr).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ben = signed_up(&s, dir_b.path(), form("ben")).await;
    file_tokens();
    let ann = lodestar_client::app::App::open(dir_a.path(), Some(proxy.url())).await.unwrap();
    ann.register(&proxy.url(), &form("ann")).await.unwrap();
    let conv = ann.open_direct("ben").await.unwrap();
    online(&ann).await;
    // 3 MiB that cannot compress: the network goes away after 1 MiB of it.
    let file = dir_a.path().join("scan.txt");
    let text: String = (0..3 * 1024 * 1024 / 16).map(|i| format!("{:015x}\n", i * 7919)).collect();
    std::fs::write(&file, &text).unwrap();
    proxy.set_mode(Mode::CutUpAfter { bytes_up: 1024 * 1024 });
    ann.attach(conv, &file, Some("the scan")).await.unwrap();
    eventually("the upload cut", || async {
        (proxy.connections() > 1 && matches!(ann.sync_state(), SyncState::Offline { .. }))
            .then_some(())
    })
    .await;
    assert!(!ann.outbox().await.unwrap().is_empty(), "still waiting, not failed");
    assert!(ann
        .outbox()
        .await
        .unwrap()
        .iter()
        .all(|e| e.state != lodestar_client::replica::OutboxState::Failed));
    proxy.set_mode(Mode::Pass);
    let sent = eventually("sent once the network is back", || async {
        let item = ann.messages(conv, 50).await.unwrap().pop()?;
        (item.status == MessageStatus::Sent).then_some(item)
    })
    .await;
    let id = media_id(sent.message.media_url.as_deref().unwrap());
    let got = eventually("ben has it", || async {
        let page = ben.messages(conv, 50).await.unwrap();
        (!page.is_empty()).then_some(page)
    })
    .await;
    assert_eq!(got.len(), 1, "delivered once");
    let (bytes, _) = ben.media(MediaRef::Media(id)).await.unwrap();
    assert_eq!(bytes, text.as_bytes(), "the whole file, identical");
    ann.shutdown().await;
    ben.shutdown().await;
    s.server.stop().await;
}
