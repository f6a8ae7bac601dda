//! The Windows `lodestar.exe`, cross-compiled on Linux (`x86_64-pc-windows-gnu`), run under Wine
//! against a real Linux server (issue 17, item 7): register, send online, send offline while the
//! server is down, sync once it is back, the message reaching a Linux-side user through the
//! server, the reply coming back, and search finding both. Then the Windows-only paths: the token
//! in the Windows Credential Manager (through the `keyring` crate; Wine implements CredWrite and
//! CredRead), falling back to a private file if Wine's store refuses, and the default data
//! folder under `%APPDATA%`, which must land in the Wine prefix's own profile.
//!
//! Ignored by `cargo test`: it needs the `.exe` and Wine. `scripts/windows.sh` builds the one,
//! installs the other, and runs it as
//! `LODESTAR_WINDOWS_CLI=…/lodestar.exe cargo test -p lodestar-tests --test cli_wine -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lodestar_tests::{Backend, TestServer, PASSWORD};
use serde_json::Value;

/// How long one `lodestar.exe` command may take under Wine before the test gives up on it.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// A private Wine prefix (its own `C:` drive, registry and credential store) and the `.exe`.
struct Wine {
    exe: PathBuf,
    /// Holds the prefix; removed with it.
    dir: tempfile::TempDir,
    /// How long each `lodestar.exe` command took, for the closing line.
    took: std::sync::Mutex<Vec<(String, Duration)>>,
    /// A program kept running in the prefix for the whole test (see [`Wine::keep_up`]).
    keeper: Option<std::process::Child>,
}

/// One finished command.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn ok(self) -> String {
        assert_eq!(self.code, 0, "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self.stdout
    }

    #[track_caller]
    fn json(self) -> Value {
        serde_json::from_str(&self.ok()).expect("one JSON document")
    }
}

impl Wine {
    /// A fresh prefix, initialised (`wineboot -i`) and timed: Wine's first start.
    fn new() -> Wine {
        let exe = PathBuf::from(std::env::var_os("LODESTAR_WINDOWS_CLI").expect(
            "LODESTAR_WINDOWS_CLI is not set: it names the cross-compiled lodestar.exe \
             (scripts/windows.sh builds it and runs this test)",
        ));
        assert!(exe.is_file(), "LODESTAR_WINDOWS_CLI={} is not a file", exe.display());
        let mut wine = Wine {
            exe,
            dir: tempfile::tempdir().expect("temp dir"),
            took: Default::default(),
            keeper: None,
        };
        let started = Instant::now();
        let out = wine
            .command("wineboot")
            .arg("-i")
            .stdin(Stdio::null())
            .output()
            .expect("wineboot runs: install Wine (scripts/windows.sh does)");
        assert!(out.status.success(), "wineboot -i: {}", String::from_utf8_lossy(&out.stderr));
        assert!(wine.prefix().join("drive_c").is_dir(), "wineboot made no C: drive");
        eprintln!("wine: a new prefix initialised in {:.1} s", started.elapsed().as_secs_f64());
        wine.add_shims();
        wine.keep_up();
        wine
    }

    /// Starts `cmd.exe` reading a pipe that stays open until the test ends. Without one program
    /// running, Wine starts its own (services.exe and the like) with each command and stops them
    /// after it; they hold the command's output pipes for two seconds after it exited, and a
    /// test of sixteen commands would spend half a minute waiting for their end of file.
    fn keep_up(&mut self) {
        let keeper = self
            .command("wine")
            .arg("cmd.exe")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wine cmd.exe starts");
        self.keeper = Some(keeper);
    }

    /// Puts each DLL of `LODESTAR_WINE_SHIMS` (a folder) into the prefix's `system32` where Wine
    /// has none of that name. Rust's standard library imports `ProcessPrng` from
    /// `bcryptprimitives.dll` (Windows 10 and later have it), which Wine only has from 9.0 on;
    /// Debian 12's Wine is 8.0, so scripts/windows.sh builds a stand-in with mingw-w64.
    fn add_shims(&self) {
        let system32 = self.prefix().join("drive_c").join("windows").join("system32");
        if let Some(dir) = std::env::var_os("LODESTAR_WINE_SHIMS") {
            for entry in std::fs::read_dir(&dir).expect("LODESTAR_WINE_SHIMS is a folder") {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_owned();
                if path.extension().is_some_and(|e| e == "dll") && !system32.join(&name).exists() {
                    std::fs::copy(&path, system32.join(&name)).unwrap();
                    eprintln!(
                        "wine: this Wine has no {}: using {}",
                        name.to_string_lossy(),
                        path.display()
                    );
                }
            }
        }
        let version = self.command("wine").arg("--version").output().unwrap();
        assert!(
            system32.join("bcryptprimitives.dll").exists(),
            "{} has no bcryptprimitives.dll, which every Rust program for Windows needs: point \
             LODESTAR_WINE_SHIMS at a folder with a stand-in (scripts/windows.sh builds one)",
            String::from_utf8_lossy(&version.stdout).trim()
        );
    }

    fn prefix(&self) -> PathBuf {
        self.dir.path().join("prefix")
    }

    /// A Wine program with this prefix, quiet, and without Mono and Gecko (whose installers
    /// would otherwise be offered on the first start).
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.dir.path())
            .env("WINEPREFIX", self.prefix())
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            // No window is needed: console programs only.
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            // Whatever the machine's environment says, the test chooses the token store and the
            // data folder.
            .env_remove("LODESTAR_TOKEN_STORE")
            .env_remove("LODESTAR_DATA_DIR")
            .env_remove("LODESTAR_SERVER")
            .env_remove("RUST_LOG");
        cmd
    }

    /// `wine lodestar.exe ARGS` with `stdin`, killed if it outlasts [`COMMAND_TIMEOUT`].
    fn run(&self, args: &[&str], stdin: &str) -> Run {
        self.run_with(args, stdin, &[])
    }

    fn run_with(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        let mut cmd = self.command("wine");
        cmd.arg(&self.exe).args(args).envs(env.iter().copied());
        let started = Instant::now();
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wine runs");
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        // Read the pipes on threads so that a chatty child never blocks on a full pipe.
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || read_all(&mut stdout));
        let err = std::thread::spawn(move || read_all(&mut stderr));
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > COMMAND_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("wine lodestar.exe {args:?} still running after {COMMAND_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: out.join().unwrap(),
            stderr: err.join().unwrap(),
        };
        self.took.lock().unwrap().push((args.join(" "), started.elapsed()));
        run
    }

    /// A Linux path as a Windows program sees it: Wine maps `/` to drive `Z:`.
    fn windows_path(path: &Path) -> String {
        format!("Z:{}", path.display()).replace('/', "\\")
    }

    /// `AppData\Roaming` of the prefix's one user (Wine names that user after the Unix one).
    fn roaming_app_data(&self) -> PathBuf {
        let users = self.prefix().join("drive_c").join("users");
        let mut found = std::fs::read_dir(&users)
            .unwrap()
            .map(|e| e.unwrap().path().join("AppData").join("Roaming"))
            .filter(|p| p.is_dir())
            .collect::<Vec<_>>();
        assert_eq!(found.len(), 1, "one user profile with AppData in {}", users.display());
        found.remove(0)
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        // cmd.exe ends at the end of its input; the prefix's wineserver lingers a few seconds
        // after its last program, so it is ended before its folder goes.
        if let Some(mut keeper) = self.keeper.take() {
            drop(keeper.stdin.take());
            let _ = keeper.wait();
        }
        let _ = self.command("wineserver").arg("-k").status();
    }
}

fn read_all(r: &mut impl std::io::Read) -> String {
    let mut bytes = Vec::new();
    let _ = r.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The `register` arguments of `username`.
fn register_args(username: &str) -> Vec<String> {
    ["register", "--username", username, "--email", &format!("{username}@example.com")]
        .iter()
        .map(|s| s.to_string())
        .chain(["--date-of-birth".to_owned(), "1991-02-03".to_owned()])
        .collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs lodestar.exe under Wine: scripts/windows.sh runs it"]
async fn the_windows_cli_under_wine_against_a_linux_server() {
    let wine = tokio::task::spawn_blocking(Wine::new).await.unwrap();
    let s = TestServer::spawn(Backend::Sqlite).await;
    let server = s.api.base.clone();
    // Ben is on Linux, talking to the server directly.
    let ben = s.api.register("ben").await;

    let data = wine.dir.path().join("ann");
    let data_arg = Wine::windows_path(&data);
    let (wine, token_in_keychain) = {
        let (server, data_arg, data) = (server.clone(), data_arg.clone(), data.clone());
        tokio::task::spawn_blocking(move || {
            let cli = |extra: &[&str]| -> Vec<String> {
                ["--data-dir", &data_arg, "--server", &server]
                    .iter()
                    .chain(extra)
                    .map(|s| s.to_string())
                    .collect()
            };
            // The keychain is left to decide: no LODESTAR_TOKEN_STORE. The session module logs
            // which store it used and, on a fallback, why.
            let started = Instant::now();
            let register = wine.run_with(
                &strs(&cli(&strs(&register_args("ann")))),
                &format!("{PASSWORD}\n"),
                &[("RUST_LOG", "lodestar_client::session=info")],
            );
            let took = started.elapsed();
            let stderr = register.stderr.clone();
            let out = register.ok();
            eprintln!("wine: register took {:.1} s: {}", took.as_secs_f64(), out.trim());
            eprintln!("wine: its log: {}", stderr.trim());
            assert!(out.starts_with(&format!("registered as ann on {server}; token kept in ")));
            let token_file = data.join("token");
            let in_keychain = out.contains("token kept in the OS keychain");
            if in_keychain {
                assert!(!token_file.exists(), "the keychain took the token: no file beside it");
            } else {
                // The fallback: a file in the data folder, named as Windows names it.
                assert!(
                    out.contains(&format!("{}\\token (a file only you can read)", data_arg)),
                    "{out}"
                );
                assert!(token_file.is_file(), "the token file {}", token_file.display());
            }
            assert!(
                data.join("session.json").is_file(),
                "the data folder is where --data-dir says"
            );

            // Online: this opens the conversation with Ben (found through the directory).
            let sent = wine.run(&strs(&cli(&["send", "@ben", "Hi Ben, from Windows"])), "").ok();
            assert!(sent.starts_with("sent ("), "{sent}");
            (wine, in_keychain)
        })
        .await
        .unwrap()
    };

    // The server goes away; the Windows client keeps working.
    let (db, addr) = s.stop().await;
    let (wine, offline_id) = {
        let data_arg = data_arg.clone();
        tokio::task::spawn_blocking(move || {
            let cli = |extra: &[&str]| -> Vec<String> {
                ["--data-dir", &data_arg].iter().chain(extra).map(|s| s.to_string()).collect()
            };
            let text = "Offline on Windows: the zephyr notes, draft two";
            let queued = wine.run(&strs(&cli(&["--json", "send", "@ben", text])), "").json();
            assert_eq!(queued["delivered"], false, "{queued}");
            let id = queued["message"]["message_id"].as_str().unwrap().to_owned();
            let status = wine.run(&strs(&cli(&["status"])), "").ok();
            assert!(status.contains("ann on http://127.0.0.1:") && status.contains("— offline"));
            assert!(status.contains("outbox: 1 waiting, 0 failed"), "{status}");
            let mine = wine.run(&strs(&cli(&["messages", "@ben"])), "").ok();
            assert!(mine.contains(&format!("me: {text}  (pending)")), "{mine}");
            (wine, id)
        })
        .await
        .unwrap()
    };

    // Back: the outbox goes out once, and Ben, on Linux, has it.
    let s = TestServer::start_at(db, &addr).await;
    let wine = {
        let data_arg = data_arg.clone();
        tokio::task::spawn_blocking(move || {
            let synced = wine.run(&["--data-dir", &data_arg, "--json", "sync"], "").json();
            assert_eq!(
                (synced["pushed"].as_u64(), synced["failed"].as_u64()),
                (Some(1), Some(0)),
                "{synced}"
            );
            wine
        })
        .await
        .unwrap()
    };
    let (changes, _) = s.api.sync_all(&ben, None, 100).await;
    let received: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "message" && c["data"]["message_id"] == offline_id.as_str())
        .collect();
    assert_eq!(received.len(), 1, "Ben receives the offline message once: {changes:?}");
    assert_eq!(received[0]["data"]["content"], "Offline on Windows: the zephyr notes, draft two");
    let conversation = received[0]["data"]["conversation_id"].as_str().unwrap().parse().unwrap();
    s.api.send(&ben, conversation, "Got the zephyr notes on Linux, thanks").await;

    // Ann syncs the reply and searches.
    let wine = {
        let data_arg = data_arg.clone();
        tokio::task::spawn_blocking(move || {
            let cli = |extra: &[&str]| -> Vec<String> {
                ["--data-dir", &data_arg].iter().chain(extra).map(|s| s.to_string()).collect()
            };
            let synced = wine.run(&strs(&cli(&["sync"])), "").ok();
            assert!(synced.starts_with("up to date: ") && synced.contains(", 0 sent"), "{synced}");
            let thread = wine.run(&strs(&cli(&["messages", "@ben"])), "").ok();
            assert!(
                thread.contains("me: Offline on Windows: the zephyr notes, draft two")
                    && !thread.contains("(pending)")
                    && thread.contains("ben: Got the zephyr notes on Linux, thanks"),
                "{thread}"
            );
            let found = wine.run(&strs(&cli(&["--json", "search", "zephyr"])), "").json();
            let hits = found["results"].as_array().unwrap();
            assert_eq!(hits.len(), 2, "both messages: {found}");
            assert!(hits.iter().any(|h| h["message_id"] == offline_id.as_str()), "{found}");
            let human = wine.run(&strs(&cli(&["search", "zephyr"])), "").ok();
            assert_eq!(human.lines().count(), 2, "{human}");
            assert!(human.lines().all(|l| l.to_lowercase().contains("zephyr")), "{human}");
            wine
        })
        .await
        .unwrap()
    };

    // No --data-dir: the default folder is the Windows per-user one, %APPDATA%, inside the
    // prefix. Signing in there also reads the token back from wherever it went.
    let wine = {
        let server = server.clone();
        tokio::task::spawn_blocking(move || {
            let login = wine.run(&["--server", &server, "login", "ann"], &format!("{PASSWORD}\n"));
            let out = login.ok();
            assert!(out.starts_with(&format!("signed in as ann on {server}; token kept in ")));
            let data = wine.roaming_app_data().join("Lodestar").join("Lodestar").join("data");
            assert!(
                data.join("session.json").is_file(),
                "the default data folder is %APPDATA%\\Lodestar\\Lodestar\\data: {}",
                data.display()
            );
            assert_eq!(
                out.contains("token kept in the OS keychain"),
                token_in_keychain,
                "the same store as before: {out}"
            );
            if !token_in_keychain {
                assert!(out.contains("\\AppData\\Roaming\\Lodestar\\Lodestar\\data\\token"));
            }
            // A new replica: the history comes with the first sync.
            let synced = wine.run(&["sync"], "").ok();
            assert!(synced.starts_with("up to date: "), "{synced}");
            let replica = data
                .read_dir()
                .unwrap()
                .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "db"));
            assert!(replica, "the replica ({{user id}}.db) is in the default folder too");
            let status = wine.run(&["status"], "").ok();
            assert!(status.starts_with(&format!("ann on {server} — online")), "{status}");
            let found = wine.run(&["--json", "search", "zephyr"], "").json();
            assert_eq!(found["results"].as_array().unwrap().len(), 2, "pulled anew: {found}");
            let out = wine.run(&["logout"], "").ok();
            assert!(out.starts_with("signed out"), "{out}");
            assert!(!data.join("token").exists(), "logging out removes any token file");
            let after = wine.run(&["status"], "");
            assert_eq!(after.code, 1, "signed out: {}", after.stdout);
            assert!(after.stderr.contains("not signed in"), "{}", after.stderr);
            wine
        })
        .await
        .unwrap()
    };
    eprintln!(
        "wine: the token went to {}",
        if token_in_keychain {
            "the Windows Credential Manager (Wine's)"
        } else {
            "the private file (Wine's credential store refused)"
        }
    );
    let took = wine.took.lock().unwrap().clone();
    let total: Duration = took.iter().map(|(_, d)| *d).sum();
    let (slowest, longest) = took.iter().max_by_key(|(_, d)| *d).unwrap();
    eprintln!(
        "wine: {} runs of lodestar.exe in {:.1} s, {:.2} s on average; the slowest {:.1} s ({slowest})",
        took.len(),
        total.as_secs_f64(),
        total.as_secs_f64() / took.len() as f64,
        longest.as_secs_f64()
    );
    drop(wine);
    s.server.stop().await;
}
