//! lodestar-app: the Tauri shell. It opens `lodestar_client::app::App` over the data folder,
//! hands the window one-line commands into it, forwards the engine's events, and adds what only
//! a desktop has: notifications, the unread count in the title and tray, the keychain (through
//! lodestar-client).

mod bindings;
mod commands;
mod desktop;
mod events;
mod first_show;
mod heap;
mod ipc;
mod media;
mod notify;
mod open;
mod paths;
mod tray;
mod update;
mod window_state;

use lodestar_client::app::App;
use tauri::{Manager, RunEvent};

pub use bindings::typescript as typescript_bindings;

/// WebKitGTK settings for a page of plain DOM like ours, each measured on this machine (Xvfb,
/// software GL; BENCHMARKS.md), each left as the user's environment sets it:
/// - accelerated compositing off: the web process held 179 MiB with it and 106 MiB without, and a
///   frame after jumping through history took 68 ms with it, 34 ms without;
/// - without compositing the DMA-BUF renderer is never used, yet setting it up keeps ~5 MiB in
///   the UI process.
///
/// Tried and left out: JavaScriptCore without its JIT (`JSC_useJIT=0`) saves 8 MiB in the web
/// process but made the frame after a jump through history 42 ms instead of 27.
#[cfg(target_os = "linux")]
const LINUX_WEBVIEW_DEFAULTS: [(&str, &str); 2] =
    [("WEBKIT_DISABLE_COMPOSITING_MODE", "1"), ("WEBKIT_DISABLE_DMABUF_RENDERER", "1")];

/// Applies `LINUX_WEBVIEW_DEFAULTS` (the web processes inherit them). Must run before any thread
/// starts.
fn linux_webview_defaults() {
    #[cfg(target_os = "linux")]
    for (name, value) in LINUX_WEBVIEW_DEFAULTS {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
}

/// Links: one the app was started with opens once the window takes it; later ones come from a
/// second launch (Linux, Windows: `desktop::single_instance`) or the system (macOS).
fn links<R: tauri::Runtime>(handle: &tauri::AppHandle<R>) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let args: Vec<String> = std::env::args().collect();
    open::at_start(handle, &args);
    let h = handle.clone();
    handle.deep_link().on_open_url(move |event| {
        if cfg!(target_os = "macos") {
            for url in event.urls() {
                open::link(&h, url.to_string());
            }
        }
    });
    // Installed by a .deb, .rpm, .msi or .dmg, the scheme is registered by the package; an
    // AppImage registers itself.
    #[cfg(target_os = "linux")]
    if matches!(
        tauri::utils::platform::bundle_type(),
        Some(tauri::utils::config::BundleType::AppImage)
    ) {
        if let Err(e) = handle.deep_link().register_all() {
            tracing::info!(error = %e, "lodestar:// links not registered");
        }
    }
}

/// Starts the app and runs it until the window closes.
pub fn run() {
    linux_webview_defaults();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tao=warn,wry=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let built = tauri::Builder::default()
        // First: a second launch must hand over its link and exit before anything else opens.
        .plugin(desktop::single_instance())
        .plugin(tauri_plugin_deep_link::init())
        .plugin(window_state::plugin())
        .plugin(desktop::autostart())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(commands::handler())
        .register_asynchronous_uri_scheme_protocol(media::SCHEME, media::handle)
        .on_page_load(first_show::on_page_load)
        .on_window_event(window_state::on_event)
        .setup(|app| {
            // First, as Tauri creates configured windows: the web process starts and loads the
            // page while the engine opens (its IPC waits for this setup, on the main thread).
            // Started with the session, only the tray: no webview until the user opens one.
            if !desktop::started_hidden() {
                first_show::open(app.handle())?;
            }
            let dir = paths::data_dir(app.handle())?;
            let core = tauri::async_runtime::block_on(App::open(&dir, paths::server_override()))?;
            tracing::info!(data_dir = %dir.display(), "opened");
            app.manage(core);
            app.manage(notify::Notifier::default());
            notify::listen(app.handle());
            app.manage(open::Pending::default());
            app.manage(update::Updates::default());
            events::forward(app.handle().clone());
            tray::install(app.handle());
            links(app.handle());
            update::schedule(app.handle());
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
    app.run(|handle, event| match event {
        RunEvent::ExitRequested { code: None, api, .. } => tray::keep_running(handle, &api),
        RunEvent::Exit => {
            if let Some(core) = handle.try_state::<App>() {
                tauri::async_runtime::block_on(core.shutdown());
            }
        }
        _ => {}
    });
}
