//! Links the `pm` executable at a fixed address on Linux with glibc.
//!
//! A one-file `pm check` in a pre-commit hook is mostly the process
//! starting. Linked position-independent, the executable carries about
//! 47,000 relative relocations (vtables, the zone tables, static strings):
//! the loader patches each one at every start and copies the 1.3 MB they
//! sit in, page by page. Linked at a fixed address there are none, and a
//! one-file check takes about 2.7 ms rather than 4.3 ms and 2.8 M
//! instructions rather than 3.4 M (docs/performance.md, round eight).
//!
//! The cost is that the executable's own code is not placed at a random
//! address (its libraries, stack and heap still are). A packager whose
//! policy wants a position-independent executable sets `PM_PIE=1` when
//! building.
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
