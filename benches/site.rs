//! Benchmark: `assemble site` for a synthetic archive (default 1,000 meetings, BENCH_N):
//! the first build, the no-op rebuild (every meeting from the cache, no file rewritten),
//! and the rebuild after one meeting changed.
//!
//! Run: `nice -n 19 cargo bench --bench site` (release).

#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_assemble");

fn site(arkiv: &Path, out: &Path) -> (Duration, String) {
    let start = Instant::now();
    let o = Command::new(BIN)
        .arg("site")
        .arg(arkiv)
        .arg("-o")
        .arg(out)
        .output()
        .expect("assemble runs");
    let elapsed = start.elapsed();
    assert!(
        o.status.success(),
        "assemble site failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (
        elapsed,
        String::from_utf8_lossy(&o.stdout).trim().to_string(),
    )
}

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let n = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let arkiv = dir.path().join("arkiv");
    let files = synthetic::generate(&data, &arkiv, n);
    let out = dir.path().join("site");

    let (first, said) = site(&arkiv, &out);
    println!(
        "site, {n} meetings, first build: {:.2} s  ({said})",
        first.as_secs_f64()
    );
    let (noop, said) = site(&arkiv, &out);
    println!(
        "site, {n} meetings, no-op rebuild: {:.2} s  ({said})",
        noop.as_secs_f64()
    );
    let text = std::fs::read_to_string(&files[n / 2]).unwrap();
    std::fs::write(
        &files[n / 2],
        text.replacen("title = \"", "title = \"Ändrad ", 1),
    )
    .unwrap();
    let (one, said) = site(&arkiv, &out);
    println!(
        "site, {n} meetings, one meeting changed: {:.2} s  ({said})",
        one.as_secs_f64()
    );
}
