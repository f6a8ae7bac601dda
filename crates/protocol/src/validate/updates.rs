//! The update feed: a query's values, a feed file's, and which release answers a query.

use semver::Version;

use super::FieldErrors;
use crate::updates::{AppRelease, FeedFile, UpdateQuery, ARCHES, BUNDLE_TYPES, TARGETS};

/// SemVer, with the leading `v` release tags often carry.
fn version(s: &str) -> Result<Version, &'static str> {
    Version::parse(s.trim().trim_start_matches('v')).map_err(|_| "invalid")
}

fn one_of(value: Option<&str>, allowed: &[&str]) -> Result<String, &'static str> {
    match value.map(str::trim) {
        None | Some("") => Err("required"),
        Some(v) if allowed.contains(&v) => Ok(v.to_owned()),
        Some(_) => Err("invalid"),
    }
}

/// Who asks, read from a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asker {
    target: String,
    arch: String,
    current: Version,
    bundle: Option<String>,
}

/// Reads a query, naming every bad field.
pub fn asker(q: &UpdateQuery) -> Result<Asker, FieldErrors> {
    let mut e = FieldErrors::default();
    let target = e.check("target", one_of(q.target.as_deref(), &TARGETS));
    let arch = e.check("arch", one_of(q.arch.as_deref(), &ARCHES));
    let current = e.check("current_version", version(q.current_version.as_deref().unwrap_or("")));
    let bundle = match q.bundle_type.as_deref() {
        None => None,
        some => e.check("bundle_type", one_of(some, &BUNDLE_TYPES)),
    };
    match (target, arch, current) {
        (Some(target), Some(arch), Some(current)) if e.is_empty() => {
            Ok(Asker { target, arch, current, bundle })
        }
        _ => Err(e),
    }
}

/// What the feed names for `who`: `None` when it is up to date, or the feed has no download for
/// its platform.
pub fn release_of(feed: &FeedFile, who: &Asker) -> Option<AppRelease> {
    // The feed was checked when it was loaded; a version that no longer parses offers nothing.
    let latest = version(&feed.version).ok()?;
    if latest <= who.current {
        return None;
    }
    let general = format!("{}-{}", who.target, who.arch);
    let platform = who
        .bundle
        .as_ref()
        .map(|b| format!("{general}-{b}"))
        .and_then(|key| feed.platforms.get(&key))
        .or_else(|| feed.platforms.get(&general))?;
    Some(AppRelease {
        version: latest.to_string(),
        notes: feed.notes.clone(),
        pub_date: feed.pub_date.clone(),
        url: platform.url.clone(),
        signature: platform.signature.clone(),
    })
}

/// Whatever the feed names for the asking app (`asker`, then `release_of`).
pub fn release_for(feed: &FeedFile, q: &UpdateQuery) -> Result<Option<AppRelease>, FieldErrors> {
    Ok(release_of(feed, &asker(q)?))
}

/// A feed file an operator wrote: every problem, one per line, for the server's start-up error.
pub fn feed(feed: &FeedFile) -> Result<(), String> {
    let mut problems = Vec::new();
    if version(&feed.version).is_err() {
        problems.push(format!("version {:?} is not SemVer", feed.version));
    }
    if feed.platforms.is_empty() {
        problems.push("platforms is empty".to_owned());
    }
    for (key, p) in &feed.platforms {
        let mut parts = key.splitn(3, '-');
        let known = TARGETS.contains(&parts.next().unwrap_or(""))
            && ARCHES.contains(&parts.next().unwrap_or(""))
            && parts.next().is_none_or(|b| BUNDLE_TYPES.contains(&b));
        if !known {
            problems.push(format!("platform {key:?} is not TARGET-ARCH[-BUNDLE]"));
        }
        if super::rules::url(&p.url).is_err() {
            problems
                .push(format!("{key}: url is not an http(s) address of at most 255 characters"));
        }
        if p.signature.trim().is_empty() {
            problems.push(format!("{key}: signature is empty"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::updates::FeedPlatform;

    fn feed_of(version: &str, keys: &[&str]) -> FeedFile {
        FeedFile {
            version: version.into(),
            notes: Some("Faster sync".into()),
            pub_date: None,
            platforms: keys
                .iter()
                .map(|k| {
                    let p = FeedPlatform {
                        url: format!("https://dl.example.org/{k}"),
                        signature: "sig".into(),
                    };
                    ((*k).to_owned(), p)
                })
                .collect(),
        }
    }

    fn ask(target: &str, version: &str, bundle: Option<&str>) -> UpdateQuery {
        UpdateQuery {
            target: Some(target.into()),
            arch: Some("x86_64".into()),
            current_version: Some(version.into()),
            bundle_type: bundle.map(Into::into),
        }
    }

    #[test]
    fn a_newer_release_is_offered_for_the_platform_and_its_installer() {
        let f = feed_of("v0.2.0", &["linux-x86_64", "linux-x86_64-deb", "windows-x86_64"]);
        let deb = release_for(&f, &ask("linux", "0.1.0", Some("deb"))).unwrap().unwrap();
        assert_eq!(deb.url, "https://dl.example.org/linux-x86_64-deb");
        assert_eq!(deb.version, "0.2.0");
        let rpm = release_for(&f, &ask("linux", "0.1.0", Some("rpm"))).unwrap().unwrap();
        assert_eq!(rpm.url, "https://dl.example.org/linux-x86_64", "falls back to target-arch");
        assert_eq!(release_for(&f, &ask("linux", "0.2.0", None)).unwrap(), None, "up to date");
        assert_eq!(release_for(&f, &ask("linux", "0.3.0", None)).unwrap(), None, "newer already");
        assert_eq!(release_for(&f, &ask("darwin", "0.1.0", None)).unwrap(), None, "no download");
    }

    #[test]
    fn a_bad_query_names_each_field() {
        let f = feed_of("0.2.0", &["linux-x86_64"]);
        let q = UpdateQuery {
            target: Some("beos".into()),
            arch: None,
            current_version: Some("one".into()),
            bundle_type: Some("zip".into()),
        };
        let e = release_for(&f, &q).unwrap_err();
        assert_eq!(e.0.get("target").map(String::as_str), Some("invalid"));
        assert_eq!(e.0.get("arch").map(String::as_str), Some("required"));
        assert_eq!(e.0.get("current_version").map(String::as_str), Some("invalid"));
        assert_eq!(e.0.get("bundle_type").map(String::as_str), Some("invalid"));
    }

    #[test]
    fn a_feed_file_is_checked_whole() {
        assert_eq!(feed(&feed_of("0.2.0", &["linux-x86_64-deb"])), Ok(()));
        let mut bad = feed_of("latest", &["linux-x86_64", "plan9-x86_64"]);
        bad.platforms.get_mut("linux-x86_64").unwrap().url = "ftp://x".into();
        let problems = feed(&bad).unwrap_err();
        assert!(problems.contains("not SemVer"), "{problems}");
        assert!(problems.contains("plan9-x86_64"), "{problems}");
        assert!(problems.contains("linux-x86_64: url"), "{problems}");
    }
}
