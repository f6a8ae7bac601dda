//! The `lodestar` CLI and plain http: a server on another machine over `http://` is refused
//! unless the user allows it (and then warned about); loopback is fine as it is.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lodestar_tests::{Backend, TestServer};

/// The `lodestar` binary `cargo test --workspace` built beside this test.
fn lodestar_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let bin = dir.join(format!("lodestar{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: run `cargo build -p lodestar-client`", bin.display());
    bin
}

/// Runs `lodestar` with `args` and `stdin`: its exit code and stderr.
fn run(data_dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(lodestar_bin())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("LODESTAR_TOKEN_STORE", "file")
        .env_remove("LODESTAR_ALLOW_INSECURE_HTTP")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A refused command exits before it reads its password: a closed pipe here is its answer.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

/// No network is touched here: the refusal comes before any request, and the allowed run stops
/// at its empty password (a `.invalid` name never resolves anyway).
#[test]
fn plain_http_elsewhere_is_refused_unless_allowed_and_then_warned() {
    let dir = tempfile::tempdir().unwrap();
    let remote = "http://chat.example.invalid:8080";
    for cmd in [
        vec!["login", "ann"],
        vec![
            "register",
            "--username",
            "ann",
            "--email",
            "a@example.com",
            "--date-of-birth",
            "1991-02-03",
        ],
    ] {
        let mut args = vec!["--server", remote];
        args.extend(&cmd);
        let (code, _, stderr) = run(dir.path(), &args, "a long enough password\n");
        assert_ne!(code, 0, "{cmd:?} to plain http elsewhere must be refused: {stderr}");
        assert!(
            stderr.contains("plain http") && stderr.contains("--allow-insecure-http"),
            "{stderr}"
        );

        args.push("--allow-insecure-http");
        // An empty password ends the run before anything is sent.
        let (code, _, stderr) = run(dir.path(), &args, "");
        assert_ne!(code, 0);
        assert!(stderr.contains("warning:") && stderr.contains("unencrypted"), "{stderr}");
        assert!(
            stderr.contains("no password"),
            "allowed: it went on to read the password: {stderr}"
        );
    }
}

async fn loopback_needs_no_flag(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let port = s.api.base.rsplit(':').next().unwrap().trim_end_matches('/').to_owned();
    let dir = tempfile::tempdir().unwrap();
    for (who, server) in [("ann", format!("http://localhost:{port}")), ("ben", s.api.base.clone())]
    {
        let data = dir.path().join(who);
        let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
            run(
                &data,
                &[
                    "--server",
                    &server,
                    "register",
                    "--username",
                    who,
                    "--email",
                    &format!("{who}@example.com"),
                    "--date-of-birth",
                    "1991-02-03",
                ],
                "a long enough password\n",
            )
        })
        .await
        .unwrap();
        assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
        assert!(!stderr.contains("warning:"), "loopback is not warned about: {stderr}");
    }
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(loopback_needs_no_flag);
