//! Images that messages and profiles link to, fetched by the server (API.md, "Richer
//! messages"): a reader's app never asks a host a sender chose (no tracking pixels, no
//! requests into the reader's network). The server fetches each URL once, checks that it is an
//! image, keeps it, and serves it to members.
//!
//! The fetch itself must not become a way into the server's own network: every address a name
//! resolves to, and every IP literal (also after a redirect), must be public; a body is bounded
//! and must be a picture.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use super::{sniff, Media, MediaError};

/// The largest linked image fetched.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// How long one fetch may take, redirects included.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The types served.
const IMAGES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Why a linked image is not served.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// Not an `http`/`https` URL the server may fetch (bad form, credentials, a private
    /// address).
    #[error("this link cannot be fetched: {0}")]
    NotAllowed(&'static str),
    /// The host did not answer with a picture.
    #[error("no image at this link: {0}")]
    Unavailable(String),
    /// Keeping it failed.
    #[error("{0}")]
    Media(#[from] MediaError),
}

/// Whether an address is on the public internet: not loopback, private, link-local, shared,
/// documentation, multicast or unspecified (IPv4, IPv6, and IPv4 inside IPv6).
pub fn public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// Resolves names, keeping only the addresses the fetch may reach.
struct PublicOnly {
    allow_private: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> =
                found.into_iter().filter(|a| allow_private || public(a.ip())).collect();
            if kept.is_empty() {
                return Err("the host resolves to no public address".into());
            }
            Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Checks a URL's form, and its host when it is an IP literal (names are checked as they
/// resolve).
fn checked(raw: &str, allow_private: bool) -> Result<url::Url, RemoteError> {
    let url = url::Url::parse(raw.trim()).map_err(|_| RemoteError::NotAllowed("not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(RemoteError::NotAllowed("only http and https links"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(RemoteError::NotAllowed("a link with credentials"));
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(RemoteError::NotAllowed("a link without a host")),
    };
    if literal.is_some_and(|ip| !allow_private && !public(ip)) {
        return Err(RemoteError::NotAllowed("a private address"));
    }
    Ok(url)
}

/// The fetcher; cheap to clone.
#[derive(Clone)]
pub struct RemoteImages {
    http: reqwest::Client,
    allow_private: bool,
}

impl RemoteImages {
    /// A fetcher that reaches public addresses only (`allow_private`: tests on loopback).
    pub fn new(allow_private: bool) -> Result<RemoteImages, String> {
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 3 {
                attempt.error("too many redirects")
            } else if checked(attempt.url().as_str(), allow_private).is_err() {
                attempt.error("a redirect to a link that cannot be fetched")
            } else {
                attempt.follow()
            }
        });
        let http = reqwest::Client::builder()
            .no_proxy()
            .dns_resolver(Arc::new(PublicOnly { allow_private }))
            .redirect(redirects)
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .user_agent("Lodestar image proxy")
            .build()
            .map_err(|e| e.to_string())?;
        Ok(RemoteImages { http, allow_private })
    }

    /// The image at `raw` and its type: kept from an earlier fetch, or fetched now and kept.
    pub async fn get(
        &self,
        media: &Media,
        raw: &str,
    ) -> Result<(Bytes, &'static str), RemoteError> {
        let url = checked(raw, self.allow_private)?;
        let key: String =
            Sha256::digest(url.as_str().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        if let Some(kept) = media.kept_remote(&key).await? {
            if let Some(kind) = image_type(&kept) {
                return Ok((kept, kind));
            }
        }
        let bytes = self.fetch(url).await?;
        let kind =
            image_type(&bytes).ok_or_else(|| RemoteError::Unavailable("not an image".into()))?;
        media.keep_remote(&key, bytes.clone()).await?;
        Ok((bytes, kind))
    }

    async fn fetch(&self, url: url::Url) -> Result<Bytes, RemoteError> {
        let unavailable = |e: reqwest::Error| RemoteError::Unavailable(e.to_string());
        let res = self.http.get(url).send().await.map_err(unavailable)?;
        if !res.status().is_success() {
            return Err(RemoteError::Unavailable(format!("the host answered {}", res.status())));
        }
        if res.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
            return Err(RemoteError::Unavailable("larger than 10 MiB".into()));
        }
        let mut body = res.bytes_stream();
        let mut out = Vec::new();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(unavailable)?;
            if out.len() + chunk.len() > MAX_BYTES {
                return Err(RemoteError::Unavailable("larger than 10 MiB".into()));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(out))
    }
}

/// The picture type of `bytes`, read from them.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    sniff::content_type(&bytes[..bytes.len().min(sniff::HEAD)]).ok().filter(|k| IMAGES.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_fetched() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!public(private.parse().unwrap()), "{private}");
        }
        for open in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(public(open.parse().unwrap()), "{open}");
        }
        assert!(matches!(
            checked("http://169.254.169.254/latest/meta-data", false),
            Err(RemoteError::NotAllowed(_))
        ));
        assert!(matches!(
            checked("http://[::1]:8080/x.png", false),
            Err(RemoteError::NotAllowed(_))
        ));
        assert!(matches!(checked("file:///etc/passwd", false), Err(RemoteError::NotAllowed(_))));
        assert!(matches!(
            checked("https://user:pw@example.com/x.png", false),
            Err(RemoteError::NotAllowed(_))
        ));
        assert!(checked("https://example.com/cat.png", false).is_ok());
        assert!(checked("http://127.0.0.1:9/x.png", true).is_ok(), "tests may reach loopback");
    }
}
