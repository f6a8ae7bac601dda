//! The typed bridge to the web UI: one macro declares every command once, and from that one
//! declaration come the Tauri handler and the TypeScript bindings (`ui/src/lib/ipc/bindings.ts`),
//! so the two cannot drift. The types are ts-rs's; `i64` goes out as `number` (serde_json writes
//! it as a JSON number, and no id or count here comes near 2^53).

use std::any::TypeId;
use std::collections::BTreeSet;

use ts_rs::{Config, TS};

/// One command as TypeScript sees it.
pub struct Signature {
    /// The Rust name (what `invoke` is called with).
    pub name: &'static str,
    /// Its doc comment.
    pub doc: &'static str,
    /// Argument names (Rust, snake_case) and their TypeScript types.
    pub args: Vec<(&'static str, String)>,
    /// The TypeScript type of its answer.
    pub ret: String,
}

/// ts-rs's settings for this project.
pub fn config() -> Config {
    Config::new().with_large_int("number")
}

/// The TypeScript name of `T`.
pub fn ts_name<T: TS + 'static>() -> String {
    T::name(&config())
}

/// Declares the app's commands: `fn name(app, arg: Type, ...) -> Answer { body }`, where the
/// body is an expression of `ClientResult<Answer>` over `app: &App`; `fn name(app & shell, ...)`
/// also names the `AppHandle` as `shell`, for what only the desktop shell does (the window, the
/// clipboard, autostart, updates). Generates the commands, `handler()` for Tauri and
/// `signatures()` for the bindings.
#[macro_export]
macro_rules! commands {
    ($( $(#[doc = $doc:literal])* fn $name:ident($app:ident $(& $shell:ident)? $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty $body:block )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            #[allow(unused_variables)]
            pub async fn $name(
                state: tauri::State<'_, lodestar_client::app::App>,
                handle: tauri::AppHandle,
                $($arg: $ty),*
            ) -> Result<$ret, lodestar_client::app::AppError> {
                let $app: &lodestar_client::app::App = state.inner();
                $(let $shell = &handle;)?
                let answer: lodestar_client::ClientResult<$ret> = async move $body.await;
                answer.map_err(Into::into)
            }
        )*

        /// Tauri's handler for every command above.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command above, for the TypeScript bindings.
        pub fn signatures() -> Vec<$crate::ipc::Signature> {
            vec![$($crate::ipc::Signature {
                name: stringify!($name),
                doc: concat!($($doc, "\n",)* ""),
                args: vec![$((stringify!($arg), $crate::ipc::ts_name::<$ty>())),*],
                ret: $crate::ipc::ts_name::<$ret>(),
            }),*]
        }
    };
}

/// Collects type declarations, each once, and checks that every type they mention is declared.
#[derive(Default)]
pub struct Declarations {
    seen: BTreeSet<String>,
    ids: Vec<TypeId>,
    text: String,
    mentioned: Vec<(String, String)>,
}

impl Declarations {
    /// Declares `T` (a struct or enum deriving `TS`).
    pub fn add<T: TS + 'static>(&mut self) -> &mut Self {
        let cfg = config();
        if self.ids.contains(&TypeId::of::<T>()) {
            return self;
        }
        self.ids.push(TypeId::of::<T>());
        self.seen.insert(T::ident(&cfg));
        if let Some(doc) = T::docs() {
            // ts-rs hands the doc comment over already in JSDoc form.
            self.text.push_str(doc.trim_end());
            self.text.push('\n');
        }
        self.text.push_str(&format!("export {}\n\n", T::decl(&cfg)));
        for dep in T::dependencies(&cfg) {
            self.mentioned.push((T::ident(&cfg), dep.ts_name));
        }
        self
    }

    /// Notes a type a command or event mentions, to check that it is declared.
    pub fn mention<T: TS + 'static>(&mut self, by: &str) {
        for dep in T::dependencies(&config()) {
            self.mentioned.push((by.to_owned(), dep.ts_name));
        }
        if T::output_path().is_some() {
            self.mentioned.push((by.to_owned(), T::ident(&config())));
        }
    }

    /// The declarations, or the types mentioned but never declared.
    pub fn finish(self) -> Result<String, String> {
        let missing: Vec<String> = self
            .mentioned
            .iter()
            .filter(|(_, name)| !self.seen.contains(name))
            .map(|(by, name)| format!("{name} (used by {by})"))
            .collect();
        if missing.is_empty() {
            Ok(self.text)
        } else {
            Err(format!("declare these in bindings.rs: {}", missing.join(", ")))
        }
    }
}

/// `snake_case` to `camelCase`, as Tauri names command arguments on the JavaScript side.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
