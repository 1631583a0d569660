//! Build script: a fingerprint of the source this binary is built from, given to the crate
//! as `PROTOKOLL_SOURCE`. The records that let a run skip work — the incremental build's
//! (`.protokoll-builds.json`), `check`'s (`.protokoll-checks.json`) and the PDF page cache —
//! are keyed by it, so a binary built from other code (an upgrade from git, with the same
//! version number) never trusts what an older one recorded. The same source gives the same
//! fingerprint on every machine, so a CI cache of `out/` stays valid between runs.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for dir in ["src", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root.join(dir), &mut files);
    }
    for file in ["Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={file}");
        files.push(root.join(file));
    }
    files.sort();
    // SipHash with fixed keys: the same bytes give the same value on every machine.
    let mut hasher = DefaultHasher::new();
    for file in &files {
        let name = file.strip_prefix(&root).unwrap_or(file);
        hasher.write(name.to_string_lossy().as_bytes());
        hasher.write_u8(0);
        hasher.write(&std::fs::read(file).unwrap_or_default());
        hasher.write_u8(0);
    }
    println!("cargo:rustc-env=PROTOKOLL_SOURCE={:016x}", hasher.finish());
}

/// Every file below `dir`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
