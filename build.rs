//! Links the `pm` executable at a fixed address on Linux with glibc.
//!
//! A one-file `pm check` is mostly the process starting, and linked
//! position-independent, most of the start is the loader patching about
//! 47,000 relative relocations. At a fixed address there are none
//! (figures: docs/performance.md, round eight). The executable's own code
//! is then not placed at a random address; its libraries, stack and heap
//! still are. `PM_PIE=1` when building gives a position-independent one.
use std::env;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=PM_PIE");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let libc = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let pie = env::var("PM_PIE").is_ok_and(|value| !value.is_empty() && value != "0");
    if os == "linux" && libc == "gnu" && !pie {
        // Only the executables: the library, tests and benches link as usual.
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
