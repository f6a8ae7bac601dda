//! Running the `lodestar` command-line client as a real child process, for the CLI tests.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lodestar_tests::TestServer;
use serde_json::Value;

/// The `lodestar` binary `cargo test --workspace` built beside this test.
pub fn lodestar_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let bin = dir.join(format!("lodestar{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p lodestar-client` (make test builds it)",
        bin.display()
    );
    bin
}

pub struct Cli {
    pub data_dir: PathBuf,
    pub server: String,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> String {
        assert_eq!(self.code, 0, "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self.stdout
    }

    #[track_caller]
    pub fn json(self) -> Value {
        serde_json::from_str(&self.ok()).expect("one JSON document")
    }
}

impl Cli {
    /// The `lodestar` command for this data folder (and server, unless empty: then the one the
    /// CLI remembered is used), its token kept in the file.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(lodestar_bin());
        cmd.arg("--data-dir").arg(&self.data_dir);
        if !self.server.is_empty() {
            cmd.arg("--server").arg(&self.server);
        }
        cmd.args(args).env("LODESTAR_TOKEN_STORE", "file");
        cmd
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn register(&self, username: &str) {
        let out = self
            .run(
                &[
                    "register",
                    "--username",
                    username,
                    "--email",
                    &format!("{username}@example.com"),
                    "--date-of-birth",
                    "1991-02-03",
                ],
                "a long enough password\n",
            )
            .ok();
        assert!(out.contains(&format!("registered as {username}")), "{out}");
    }
}

pub fn clients(s: &TestServer, dir: &Path) -> (Cli, Cli) {
    let make = |name: &str| Cli { data_dir: dir.join(name), server: s.api.base.clone() };
    (make("ann"), make("ben"))
}
