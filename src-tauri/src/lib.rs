//! lodestar-app: the Tauri shell. It opens `lodestar_client::app::App` over the data folder,
//! hands the window one-line commands into it, forwards the engine's events, and adds what only
//! a desktop has: notifications, the unread count in the title and tray, the keychain (through
//! lodestar-client).

mod bindings;
mod commands;
mod events;
mod ipc;
mod notify;
mod paths;
mod tray;

use lodestar_client::app::App;
use tauri::{Manager, RunEvent};

pub use bindings::typescript as typescript_bindings;

/// Starts the app and runs it until the window closes.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tao=warn,wry=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let built = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(commands::handler())
        .setup(|app| {
            let dir = paths::data_dir(app.handle())?;
            let core = tauri::async_runtime::block_on(App::open(&dir, paths::server_override()))?;
            tracing::info!(data_dir = %dir.display(), "opened");
            app.manage(core);
            events::forward(app.handle().clone());
            tray::install(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(e) => {
            eprintln!("lodestar-app: cannot start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            if let Some(core) = handle.try_state::<App>() {
                tauri::async_runtime::block_on(core.shutdown());
            }
        }
    });
}
