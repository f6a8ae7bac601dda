//! Attachments from the `lodestar` CLI (issue 16, item 6), real child processes against a real
//! server that goes away underneath them: `send --file` uploads then sends; the other person
//! `download`s the identical bytes by the message's short id; a file attached offline is
//! copied at once (its original may go), waits, and is sent once the server is back; a file
//! too large is refused before anything is queued, and one the server will not take (a
//! renamed program) fails with the server's reason while the message waits behind it.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli_support;

use cli_support::{clients, Cli};
use lodestar_tests::{Backend, TestServer};
use sha2::{Digest, Sha256};

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A real PNG.
fn png() -> Vec<u8> {
    lodestar_tests::image_host::png_of(64, 48)
}

/// The last 8 digits of the id of the newest message of `conversation` that carries media.
fn newest_with_media(who: &Cli, conversation: &str) -> String {
    let page = who.run(&["--json", "messages", conversation], "").json();
    let m = page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m["message"]["media_url"].is_string())
        .unwrap()
        .clone();
    let media = m["message"]["media_url"].as_str().unwrap();
    assert!(media.starts_with("/v1/media/"), "{media}");
    let id = m["message"]["message_id"].as_str().unwrap();
    id[id.len() - 8..].to_owned()
}

async fn files_go_through_the_outbox_and_come_back_identical(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let picture = png();
    let photo = files.path().join("photo.png");
    std::fs::write(&photo, &picture).unwrap();
    let (ann, ben) = clients(&s, dir.path());
    let out_dir = files.path().join("downloads");
    std::fs::create_dir(&out_dir).unwrap();
    let (ann, ben) = tokio::task::spawn_blocking({
        let (photo, out_dir, picture) = (photo.clone(), out_dir.clone(), picture.clone());
        move || {
            ann.register("ann");
            ben.register("ben");
            let sent = ann
                .run(&["send", "@ben", "from the hike", "--file", photo.to_str().unwrap()], "")
                .ok();
            assert!(sent.starts_with("sent"), "{sent}");
            ben.run(&["sync"], "").ok();
            let id = newest_with_media(&ben, "@ann");
            let saved = ben
                .run(&["--json", "download", &id, "--out", out_dir.to_str().unwrap()], "")
                .json();
            let path = saved["path"].as_str().unwrap();
            assert_eq!(saved["content_type"], "image/png");
            assert_eq!(sha(&std::fs::read(path).unwrap()), sha(&picture), "identical bytes");
            let again = ben.run(&["download", &id, "--out", path], "");
            assert_eq!(again.code, 1, "never over an existing file");
            // Too large: refused at once, nothing queued.
            let big = out_dir.join("big.bin");
            std::fs::File::create(&big).unwrap().set_len(25 * 1024 * 1024 + 1).unwrap();
            let refused = ann.run(&["send", "@ben", "--file", big.to_str().unwrap()], "");
            assert_eq!(refused.code, 1);
            assert!(refused.stderr.contains("file"), "{}", refused.stderr);
            (ann, ben)
        }
    })
    .await
    .unwrap();

    // Offline: the file is copied at once, so its original may go; sent when the server is back.
    let (db, addr) = s.stop().await;
    let doc = files.path().join("minutes.txt");
    std::fs::write(&doc, "minutes of our first session\nnext: the grant budget\n").unwrap();
    let ann = tokio::task::spawn_blocking({
        let doc = doc.clone();
        move || {
            let queued = ann.run(&["send", "@ben", "--file", doc.to_str().unwrap()], "").ok();
            assert!(queued.contains("queued"), "{queued}");
            std::fs::remove_file(&doc).unwrap();
            ann
        }
    })
    .await
    .unwrap();
    let s = TestServer::start_at(db, &addr).await;
    tokio::task::spawn_blocking(move || {
        let synced = ann.run(&["--json", "sync"], "").json();
        assert_eq!(
            (synced["pushed"].as_u64(), synced["failed"].as_u64()),
            (Some(2), Some(0)),
            "the upload, then the message: {synced}"
        );
        ben.run(&["sync"], "").ok();
        let id = newest_with_media(&ben, "@ann");
        let saved =
            ben.run(&["--json", "download", &id, "--out", out_dir.to_str().unwrap()], "").json();
        assert_eq!(
            std::fs::read_to_string(saved["path"].as_str().unwrap()).unwrap(),
            "minutes of our first session\nnext: the grant budget\n"
        );
        assert_eq!(saved["content_type"], "text/plain");

        // A program renamed to look like a picture: the server refuses the upload; the message waits.
        let fake = out_dir.join("cat.png");
        std::fs::write(&fake, [b"MZ\x90\0\x03\0\0\0".as_slice(), &[0u8; 200]].concat()).unwrap();
        let tried = ann.run(&["send", "@ben", "--file", fake.to_str().unwrap()], "");
        assert_eq!(tried.code, 1, "{}", tried.stdout);
        assert!(
            tried.stderr.contains("the server refused it")
                && tried.stderr.contains("file: type_not_allowed"),
            "{}",
            tried.stderr
        );
        let status = ann.run(&["--json", "status"], "").json();
        assert_eq!(
            status["outbox_failed"], 2,
            "the upload refused, its message blocked behind it: {status}"
        );
    })
    .await
    .unwrap();
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(files_go_through_the_outbox_and_come_back_identical);

/// The CLI is killed (SIGKILL) while its upload's answer is lost on the way back: the copy and
/// the queue survive; the next sync uploads again and sends the message once; the first
/// upload, named by nothing, is left for the sweep.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cli_killed_in_the_middle_of_an_upload_sends_its_picture_once() {
    use lodestar_tests::proxy::{FaultProxy, Mode};
    let s = TestServer::spawn(Backend::Sqlite).await;
    let ben = s.api.register("ben").await;
    let proxy = FaultProxy::start(s.server.addr).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = Cli { data_dir: dir.path().join("ann"), server: proxy.url() };
    let picture = png();
    let photo = dir.path().join("photo.png");
    std::fs::write(&photo, &picture).unwrap();
    let ann = tokio::task::spawn_blocking(move || {
        ann.register("ann");
        ann.run(&["open", "ben"], "").ok();
        ann
    })
    .await
    .unwrap();

    proxy.set_mode(Mode::SwallowResponses);
    let mut sending =
        ann.command(&["send", "@ben", "--file", photo.to_str().unwrap()]).spawn().unwrap();
    let store = s.store();
    let far = chrono::Utc::now() + chrono::Duration::days(1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while store.unused_media(far, 10).await.unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the upload never reached the server");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(sending.try_wait().unwrap().is_none(), "the CLI still waits for the answer");
    sending.kill().unwrap();
    let status = sending.wait().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status}");
    }

    proxy.set_mode(Mode::Pass);
    tokio::task::spawn_blocking(move || {
        let synced = ann.run(&["--json", "sync"], "").json();
        assert_eq!(
            (synced["pushed"].as_u64(), synced["failed"].as_u64()),
            (Some(2), Some(0)),
            "uploaded again, then sent: {synced}"
        );
    })
    .await
    .unwrap();
    let list = s.api.get("/v1/conversations", &ben.token).await.expect(200);
    let conv = list["conversations"][0]["conversation_id"].as_str().unwrap().to_owned();
    let page =
        s.api.get(&format!("/v1/conversations/{conv}/messages"), &ben.token).await.expect(200);
    let messages = page["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "sent once: {page}");
    let url = messages[0]["media_url"].as_str().unwrap();
    let got = s
        .api
        .http
        .get(format!("{}{url}", s.api.base))
        .bearer_auth(&ben.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(sha(&got), sha(&picture), "identical bytes");
    assert_eq!(
        store.unused_media(far, 10).await.unwrap().len(),
        1,
        "the first upload, named by nothing, waits for the sweep"
    );
    s.server.stop().await;
}
