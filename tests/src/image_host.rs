//! An HTTP host on loopback serving pictures (and things that are not), counting requests: the
//! stranger's server a message or a profile links to.

use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A real PNG of `w`×`h` pixels (a gradient, so it does not compress to nothing).
pub fn png_of(w: u32, h: u32) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).expect("png");
    out.into_inner()
}

/// The host's picture: a real 40×30 PNG.
pub fn png() -> Vec<u8> {
    png_of(40, 30)
}

/// Starts the host: `/cat.png` ([`png`]), `/page.html` (a web page claiming to be a PNG),
/// `/huge.png` (11 MiB); answers its base URL and its request count.
pub async fn image_host() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (kind, body) = match path.as_str() {
                    "/cat.png" => ("image/png", png()),
                    "/page.html" => {
                        ("image/png", b"<!DOCTYPE html><html><img src=x onerror=alert(1)>".to_vec())
                    }
                    "/huge.png" => ("image/png", [png(), vec![0u8; 11 * 1024 * 1024]].concat()),
                    _ => ("text/plain", b"no".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body).await;
            });
        }
    });
    (base, hits)
}
