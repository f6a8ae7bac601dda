//! Tauri's build step: reads tauri.conf.json and the capabilities.
//!
//! The app embeds the built UI (`ui/dist`, the `custom-protocol` feature). A fresh clone has
//! none yet, and Tauri's own error for it points at its configuration rather than the fix: say
//! the one command that builds it.
fn main() {
    let embeds_ui = std::env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some();
    let index = std::path::Path::new("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist/index.html");
    if embeds_ui && !index.exists() {
        eprintln!(
            "\nlodestar-app embeds the built UI, and ui/dist is missing (a fresh clone).\n\
             Build it once, then build again:\n\n    npm --prefix ui ci && npm --prefix ui run build\n\n\
             (`make test` and `make run` do this for you.)\n"
        );
        std::process::exit(1);
    }
    tauri_build::build()
}
