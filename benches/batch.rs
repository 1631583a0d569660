//! Benchmark: a whole archive in one batch against running the single-meeting command once
//! per meeting (the baseline), measured in the same run; peak memory at two archive sizes;
//! a no-op rebuild; and that both ways give the same bytes.
//!
//! Run: `cargo bench --bench batch` (release). Sizes: BENCH_N (default 200) and
//! BENCH_N_LARGE (default 1000). If `typst` is on PATH, the typst CLI compiling the same
//! generated sources (`xargs -P 2`) is measured too. `BENCH_GENERATE_ONLY=DIR` only writes a
//! synthetic archive of BENCH_N meetings to DIR, for experiments by hand.
//!
//! Archive scale (issue 14): a cheap archive of BENCH_N_HUGE small meetings (default 10,000;
//! 0 skips it) is built once, then timed: a no-op rebuild (target < 1 s), a rebuild after one
//! meeting was edited (target < 1 s plus that meeting's own render, measured beside it),
//! `check` of all (target < 5 s), and peak memory of build and no-op against an archive a
//! tenth of the size (target: flat in N). `BENCH_ONLY=scale` runs only this part.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_assemble");

/// Runs the binary; returns wall time and the child's peak resident memory in KiB.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its rusage
fn timed(args: &[&str], cwd: &Path) -> (Duration, i64) {
    let start = Instant::now();
    let child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("assemble runs");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `usage` is a valid rusage to fill.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "assemble {args:?} failed"
    );
    (elapsed, usage.ru_maxrss)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let n = env_usize("BENCH_N", 200);
    let large = env_usize("BENCH_N_LARGE", 1000);
    if let Ok(path) = std::env::var("BENCH_GENERATE_ONLY") {
        // For experiments by hand: just write the synthetic archive.
        synthetic::generate(&data, Path::new(&path), n);
        println!("wrote {n} meetings to {path}");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let secs = |t: Duration| t.as_secs_f64();
    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "scale") {
        archive_scale(d, env_usize("BENCH_N_HUGE", 10_000));
        return;
    }

    println!(
        "archive of {n} synthetic meetings (from data/fvg), {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let meetings = synthetic::generate(&data, &d.join("arkiv"), n);

    // Baseline first, then the batch: the same machine, the same minute.
    let loop_start = Instant::now();
    for (i, m) in meetings.iter().enumerate() {
        let out = format!("loop/{i:04}.pdf");
        timed(&[m.to_str().unwrap(), "-o", &out, "--quiet"], d);
    }
    let per_file = loop_start.elapsed();
    let (batch, rss_small) = timed(&["arkiv", "--out-dir", "batch", "--quiet", "--force"], d);
    println!(
        "per-meeting loop (baseline): {:.2} s, {:.1} ms a meeting",
        secs(per_file),
        1000.0 * secs(per_file) / n as f64
    );
    println!(
        "batch:                       {:.2} s, {:.1} ms a meeting",
        secs(batch),
        1000.0 * secs(batch) / n as f64
    );
    println!(
        "batch throughput / loop:     {:.2}x  (target ≥ 1.5x)",
        secs(per_file) / secs(batch)
    );

    let mut same = 0;
    for (i, m) in meetings.iter().enumerate() {
        let name = m
            .strip_prefix(d.join("arkiv"))
            .unwrap()
            .with_extension("pdf");
        let a = std::fs::read(d.join("batch").join(name)).unwrap();
        let b = std::fs::read(d.join(format!("loop/{i:04}.pdf"))).unwrap();
        same += usize::from(a == b);
    }
    println!("identical bytes, batch vs single runs: {same}/{n}");

    typst_cli_comparison(d, n, batch);

    let (noop_small, _) = timed(&["arkiv", "--out-dir", "batch", "--quiet"], d);
    println!("no-op rebuild of {n}: {:.3} s", secs(noop_small));

    println!("\narchive of {large} synthetic meetings");
    synthetic::generate(&data, &d.join("stort"), large);
    let (batch_large, rss_large) = timed(
        &["stort", "--out-dir", "stort-out", "--quiet", "--force"],
        d,
    );
    println!(
        "batch: {:.2} s, {:.1} ms a meeting",
        secs(batch_large),
        1000.0 * secs(batch_large) / large as f64
    );
    let (noop, _) = timed(&["stort", "--out-dir", "stort-out", "--quiet"], d);
    println!(
        "no-op rebuild of {large}: {:.3} s  (target < 1 s)",
        secs(noop)
    );
    println!(
        "peak RSS: {:.0} MiB at {n}, {:.0} MiB at {large}  (target < 150 MiB, not growing with N)",
        rss_small as f64 / 1024.0,
        rss_large as f64 / 1024.0
    );
    archive_scale(d, env_usize("BENCH_N_HUGE", 10_000));
}

/// The archive-scale figures of issue 14 on a cheap archive of `n` small meetings.
fn archive_scale(d: &Path, n: usize) {
    if n == 0 {
        return;
    }
    let secs = |t: Duration| t.as_secs_f64();
    let mib = |kib: i64| kib as f64 / 1024.0;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let tenth = (n / 10).max(1);
    println!(
        "
archive scale: {n} small meetings (tests/fixtures/minimal, one folder each)"
    );
    let start = Instant::now();
    synthetic::generate_cheap(&fixture, &d.join("small"), tenth);
    let meetings = synthetic::generate_cheap(&fixture, &d.join("huge"), n);
    println!("generated in {:.1} s", secs(start.elapsed()));

    let (build_small, rss_build_small) = timed(&["small", "--out-dir", "small-out", "--quiet"], d);
    let (build, rss_build) = timed(&["huge", "--out-dir", "huge-out", "--quiet"], d);
    println!(
        "first build: {:.1} s for {n} ({:.2} ms a meeting); {:.1} s for {tenth}",
        secs(build),
        1000.0 * secs(build) / n as f64,
        secs(build_small)
    );
    let (noop_small, rss_noop_small) = timed(&["small", "--out-dir", "small-out", "--quiet"], d);
    let (noop, rss_noop) = timed(&["huge", "--out-dir", "huge-out", "--quiet"], d);
    println!(
        "no-op rebuild of {n}: {:.3} s  (target < 1 s); of {tenth}: {:.3} s",
        secs(noop),
        secs(noop_small)
    );

    // One meeting edited, in the middle of the archive.
    let edited = &meetings[n / 2];
    let text = std::fs::read_to_string(edited).unwrap();
    std::fs::write(
        edited,
        text.replacen("för öppnat.", "för öppnat. Ändrat i efterhand.", 1),
    )
    .unwrap();
    let (one, _) = timed(&["huge", "--out-dir", "huge-out", "--quiet"], d);
    let edited_arg = edited
        .strip_prefix(d)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let (alone, _) = timed(&[&edited_arg, "-o", "alone.pdf", "--quiet"], d);
    println!(
        "one meeting edited among {n}: {:.3} s; that meeting rendered alone (own process): {:.3} s; difference {:.3} s  (target < 1 s)",
        secs(one),
        secs(alone),
        secs(one) - secs(alone)
    );

    let (check, rss_check) = timed(&["check", "huge"], d);
    let (check_small, _) = timed(&["check", "small"], d);
    println!(
        "check of {n}: {:.2} s  (target < 5 s); of {tenth}: {:.2} s",
        secs(check),
        secs(check_small)
    );
    println!(
        "peak RSS at {tenth} / {n}: build {:.0} / {:.0} MiB, no-op {:.0} / {:.0} MiB, check {:.0} MiB  (target: flat in N)",
        mib(rss_build_small),
        mib(rss_build),
        mib(rss_noop_small),
        mib(rss_noop),
        mib(rss_check)
    );
}

/// If the `typst` command-line compiler is on PATH: the same generated sources compiled with
/// `typst compile` once per file, two processes at a time (`xargs -P 2`), as a reference.
fn typst_cli_comparison(d: &Path, n: usize, batch: Duration) {
    let Ok(version) = Command::new("typst").arg("--version").output() else {
        println!("typst CLI: not on PATH, comparison skipped");
        return;
    };
    let (elapsed, _) = timed(
        &[
            "arkiv",
            "--out-dir",
            "typ",
            "--quiet",
            "--force",
            "--emit-typst",
        ],
        d,
    );
    let _ = elapsed;
    // One project root holding the library where the sources import it from.
    let root = d.join("typst-root");
    std::fs::create_dir_all(root.join(".protokoll")).unwrap();
    std::fs::write(
        root.join(".protokoll/protokoll.typ"),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/protokoll.typ"))
            .unwrap(),
    )
    .unwrap();
    let mut list = String::new();
    for (i, entry) in walk(&d.join("typ"), "typ").into_iter().enumerate() {
        let target = root.join(format!("m{i:04}.typ"));
        std::fs::copy(entry, &target).unwrap();
        list.push_str(&format!("{}\n", target.display()));
    }
    std::fs::write(d.join("typst-list"), list).unwrap();
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/fonts");
    let script = format!(
        "xargs -P 2 -I{{}} typst compile --root {} --font-path {} --ignore-system-fonts --pdf-standard a-2a --pdf-standard ua-1 {{}} < {}",
        root.display(),
        fonts.display(),
        d.join("typst-list").display()
    );
    let start = Instant::now();
    let status = Command::new("sh").arg("-c").arg(&script).status().unwrap();
    let cli = start.elapsed();
    assert!(status.success(), "typst compile failed");
    println!(
        "{} once per file, xargs -P 2: {:.2} s, {:.1} ms a meeting; batch is {:.2}x its throughput",
        String::from_utf8_lossy(&version.stdout).trim(),
        cli.as_secs_f64(),
        1000.0 * cli.as_secs_f64() / n as f64,
        cli.as_secs_f64() / batch.as_secs_f64()
    );
}

fn walk(dir: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    found.sort();
    found
}
