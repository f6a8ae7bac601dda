//! `sqlx::migrate!` embeds the migrations at compile time but does not tell cargo about the
//! folders: without this, a new migration file is silently left out of an incremental build.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations/server-sqlite");
    println!("cargo:rerun-if-changed=../../migrations/server-postgres");
}
