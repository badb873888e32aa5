//! The `moco` binary; everything is in the library (`lib.rs`).

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(mocoapp_cli::run(std::env::args_os().collect()))
}
