//! The `insyn` binary as a process of its own, and ports to run it on.

use std::path::{Path, PathBuf};

/// A port on 127.0.0.1 that nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The environment variable naming the `insyn` binary for tests that run it
/// as a process of its own.
pub const BIN_VAR: &str = "INSYN_BIN";

/// The `insyn` binary from `INSYN_BIN`, which `scripts/test.sh` builds and
/// sets; panics with how to get one.
pub fn insyn_bin() -> PathBuf {
    match std::env::var(BIN_VAR) {
        Ok(p) if Path::new(&p).is_file() => PathBuf::from(p),
        _ => panic!(
            "{BIN_VAR} is not set to a file: this test runs the insyn binary. Run \
             `scripts/test.sh`, which builds it, or `cargo build -p insyn` and set \
             {BIN_VAR}=target/debug/insyn"
        ),
    }
}
