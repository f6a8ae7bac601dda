//! The desktop app's update feed (`GET /v1/app/latest`): the operator publishes a release in a
//! file (Tauri's static update format), the server answers each app with the release for its
//! platform when it is newer than the app's, and the app checks the release's minisign signature
//! against the public key built into it before anything is installed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The operating systems the app is built for, as the updater names them.
pub const TARGETS: [&str; 3] = ["linux", "windows", "darwin"];
/// The processor architectures, as the updater names them.
pub const ARCHES: [&str; 4] = ["x86_64", "aarch64", "i686", "armv7"];
/// How an app was installed, as the updater names it (`unknown`: a development build).
pub const BUNDLE_TYPES: [&str; 7] = ["deb", "rpm", "appimage", "msi", "nsis", "app", "unknown"];

/// Query of `GET /v1/app/latest`: who asks.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpdateQuery {
    /// `linux`, `windows` or `darwin`.
    pub target: Option<String>,
    /// `x86_64`, `aarch64`, `i686` or `armv7`.
    pub arch: Option<String>,
    /// The app's version (SemVer).
    pub current_version: Option<String>,
    /// How the app was installed (`deb`, `rpm`, `appimage`, `msi`, `nsis`, `app`, `unknown`).
    pub bundle_type: Option<String>,
}

/// A newer release for the asking app (the updater's "dynamic server" answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AppRelease {
    /// Its version.
    pub version: String,
    /// What changed, for the user.
    pub notes: Option<String>,
    /// When it was published (RFC 3339).
    pub pub_date: Option<String>,
    /// Where its installer (or update archive) is.
    pub url: String,
    /// The installer's minisign signature, as `tauri signer sign` writes it.
    pub signature: String,
}

/// One platform's download in the feed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPlatform {
    /// Where its installer is.
    pub url: String,
    /// Its minisign signature.
    pub signature: String,
}

/// The feed file an operator publishes (Tauri's static update JSON): one release, a download per
/// platform keyed `target-arch` or `target-arch-bundle_type` (`linux-x86_64-deb`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedFile {
    /// The release's version (SemVer, an optional leading `v`).
    pub version: String,
    /// What changed.
    #[serde(default)]
    pub notes: Option<String>,
    /// When (RFC 3339).
    #[serde(default)]
    pub pub_date: Option<String>,
    /// Each platform's download.
    pub platforms: BTreeMap<String, FeedPlatform>,
}
