//! Tauri's build step: reads tauri.conf.json (the static page in `page/` is embedded).
fn main() {
    tauri_build::build()
}
