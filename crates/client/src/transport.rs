//! How a server address carries a password and a token: the one rule the CLI and the desktop
//! app's sign-in screen both apply before anything is sent. A plain `http://` server elsewhere
//! on the network lets anyone on the way read both; on this machine (loopback) it is fine.

use std::net::IpAddr;

/// What a server address means for what is sent to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Transport {
    /// `https://`: encrypted.
    Encrypted,
    /// `http://` to this machine (`localhost`, 127.0.0.0/8, `::1`): never leaves it.
    Loopback,
    /// `http://` to another machine: passwords and tokens readable on the network.
    PlainRemote,
    /// Not an `http(s)://` address with a host.
    Invalid,
}

/// Classifies a server address.
pub fn transport(server: &str) -> Transport {
    let Ok(url) = reqwest::Url::parse(server.trim()) else { return Transport::Invalid };
    let host = match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            if d == "localhost" || d.ends_with(".localhost") {
                return loopback_or_encrypted(url.scheme());
            }
            None
        }
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        None => return Transport::Invalid,
    };
    match url.scheme() {
        "https" => Transport::Encrypted,
        "http" if host.is_some_and(|ip| ip.is_loopback()) => Transport::Loopback,
        "http" => Transport::PlainRemote,
        _ => Transport::Invalid,
    }
}

/// The server to sign in to, refused when it is plain http on another machine unless
/// `allow_plain` (the user said so, knowing the risk).
pub fn check(server: &str, allow_plain: bool) -> Result<Transport, crate::error::ClientError> {
    match transport(server) {
        Transport::PlainRemote if !allow_plain => {
            Err(crate::error::ClientError::InsecureServer(server.to_owned()))
        }
        t => Ok(t),
    }
}

fn loopback_or_encrypted(scheme: &str) -> Transport {
    match scheme {
        "https" => Transport::Encrypted,
        "http" => Transport::Loopback,
        _ => Transport::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_fine_only_on_this_machine() {
        assert_eq!(transport("https://mentors.example.org"), Transport::Encrypted);
        assert_eq!(transport("https://10.0.0.5:8787"), Transport::Encrypted);
        for local in [
            "http://localhost:8787",
            "http://127.0.0.1:8787/",
            "http://127.8.9.1",
            "http://[::1]:80",
            "http://app.localhost",
            "http://LOCALHOST.",
        ] {
            assert_eq!(transport(local), Transport::Loopback, "{local}");
        }
        for remote in [
            "http://mentors.example.org",
            "http://192.168.1.20:8787",
            "http://[2001:db8::1]",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
        ] {
            assert_eq!(transport(remote), Transport::PlainRemote, "{remote}");
        }
        for bad in ["", "mentors.example.org", "ftp://example.org", "http://"] {
            assert_eq!(transport(bad), Transport::Invalid, "{bad:?}");
        }
    }

    #[test]
    fn a_plain_remote_server_is_refused_unless_allowed() {
        let err = check("http://mentors.example.org", false).unwrap_err();
        assert_eq!(err.code(), lodestar_protocol::ErrorCode::InsecureServer);
        assert!(err.to_string().contains("--allow-insecure-http"), "{err}");
        assert_eq!(check("http://mentors.example.org", true).unwrap(), Transport::PlainRemote);
        assert_eq!(check("http://127.0.0.1:8787", false).unwrap(), Transport::Loopback);
        assert_eq!(check("https://mentors.example.org", false).unwrap(), Transport::Encrypted);
    }
}
