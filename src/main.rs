//! The `repool` command-line tool (built with the `cli` feature, on by default).

#[macro_use]
mod cli;

/// mimalloc: a batch of 100,000 analyses allocates and frees millions of small strings and
/// vectors; the system allocator spent a quarter of the run there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (e.g. `repool pool ... | head`) is not an error.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            stderr_line!("{}", cli::error_line(&err));
            ExitCode::from(2)
        }
    }
}
