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
//! 0 skips it) — one built for real, the others given copies of its output and record entries
//! as a build makes them — then timed: a no-op rebuild (target < 1 s), a rebuild after one
//! meeting was edited (target < 1 s plus that meeting's own render, measured beside it),
//! `check` of all, cold (`--all`, target < 3 s) and of all unchanged (the check record
//! reused, target < 1 s; issue 28), and peak memory of no-op and check against an archive a
//! tenth of the size (target: flat in N). `BENCH_ONLY=scale` runs only this part.
//!
//! Against today's main and the alternative pipeline (issue 14, part 3): with
//! `BENCH_BASELINE_BIN=/path/to/assemble` (a release build of the commit to compare with),
//! the batch of BENCH_N is timed with that binary and with this one, alternately,
//! BENCH_ROUNDS times each (default 5), and the throughput ratio reported; then
//! `benches/typst_py_pool.py` (Python + Jinja2 + typst-py 0.15 in a
//! `multiprocessing.Pool(2)`) compiles the same generated sources — skipped, saying so, when
//! Python or typst-py is missing; then the batch with two workers is timed against two
//! batches with one each (`--shard`). `BENCH_ONLY=baseline` runs only this part.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_assemble");

/// CPU time (user + system, seconds) of the last run timed through `/usr/bin/time`.
static LAST_CPU: std::sync::Mutex<f64> = std::sync::Mutex::new(0.0);

/// Runs the binary; returns wall time and the child's peak resident memory in KiB.
fn timed(args: &[&str], cwd: &Path) -> (Duration, i64) {
    timed_with(Path::new(BIN), args, cwd)
}

/// Runs `bin` (an `assemble`); returns wall time and the child's peak resident memory in KiB.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its rusage
///
/// Through `/usr/bin/time` when it is there: a child spawned from this process inherits this
/// process's peak memory in its own (Rust spawns with vfork, and the peak survives `exec`),
/// which would report the benchmark's memory instead of the tool's.
fn timed_with(bin: &Path, args: &[&str], cwd: &Path) -> (Duration, i64) {
    let gnu_time = Path::new("/usr/bin/time");
    if gnu_time.exists() {
        let report = tempfile::NamedTempFile::new().expect("temp file");
        let start = Instant::now();
        let status = Command::new(gnu_time)
            .arg("-f")
            .arg("%M %U %S")
            .arg("-o")
            .arg(report.path())
            .arg(bin)
            .args(args)
            .current_dir(cwd)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("assemble runs");
        let elapsed = start.elapsed();
        assert!(status.success(), "assemble {args:?} failed");
        let said = std::fs::read_to_string(report.path()).unwrap_or_default();
        let fields: Vec<f64> = said
            .trim()
            .lines()
            .last()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        if let [_, user, system] = fields[..] {
            *LAST_CPU.lock().unwrap() = user + system;
        }
        return (elapsed, fields.first().map_or(0, |k| *k as i64));
    }
    let start = Instant::now();
    let child = Command::new(bin)
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
    // `BENCH_KEEP=1`: the archives stay, for measuring by hand.
    let d = &if std::env::var("BENCH_KEEP").is_ok() {
        let kept = dir.keep();
        println!("archives in {}", kept.display());
        kept
    } else {
        d.to_path_buf()
    };
    let secs = |t: Duration| t.as_secs_f64();
    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "scale") {
        archive_scale(d, env_usize("BENCH_N_HUGE", 10_000));
        return;
    }
    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "baseline") {
        let meetings = synthetic::generate(&data, &d.join("arkiv"), n);
        against_baseline_and_python(d, &meetings);
        threads_against_processes(d, n);
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
    against_baseline_and_python(d, &meetings);

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
        "peak RSS of the largest process: {:.0} MiB at {n}, {:.0} MiB at {large}  (target < 150 MiB, not growing with N)",
        rss_small as f64 / 1024.0,
        rss_large as f64 / 1024.0
    );
    archive_scale(d, env_usize("BENCH_N_HUGE", 10_000));
}

/// The archive-scale figures of issue 14 on a cheap archive of `n` small meetings.
///
/// Cheap: one meeting is built for real, and the other `n - 1` get a copy of its PDF and a
/// record entry made as a build would make it (each file's own size, time and SHA-256), so
/// that the archive is "built" in seconds; the runs timed are the real binary's.
fn archive_scale(d: &Path, n: usize) {
    if n == 0 {
        return;
    }
    let secs = |t: Duration| t.as_secs_f64();
    let mib = |kib: i64| kib as f64 / 1024.0;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let tenth = (n / 10).max(1);
    println!("\narchive scale: {n} small meetings (tests/fixtures/minimal, one folder each)");
    let start = Instant::now();
    synthetic::generate_cheap(&fixture, &d.join("seed"), 1);
    let (seed_build, _) = timed(&["seed", "--out-dir", "seed-out", "--quiet"], d);
    let small = synthetic::generate_cheap(&fixture, &d.join("small"), tenth);
    let huge = synthetic::generate_cheap(&fixture, &d.join("huge"), n);
    clone_built(d, "seed", "seed-out", "small", "small-out", &small);
    clone_built(d, "seed", "seed-out", "huge", "huge-out", &huge);
    println!(
        "generated and recorded as built in {:.1} s (one meeting built for real: {:.2} s)",
        secs(start.elapsed()),
        secs(seed_build)
    );

    let (noop_small, rss_noop_small) = timed(&["small", "--out-dir", "small-out", "--quiet"], d);
    let (noop, rss_noop) = timed(&["huge", "--out-dir", "huge-out", "--quiet"], d);
    let (noop2, _) = timed(&["huge", "--out-dir", "huge-out", "--quiet"], d);
    println!(
        "no-op rebuild of {n}: {:.3} s, again {:.3} s  (target < 1 s); of {tenth}: {:.3} s",
        secs(noop),
        secs(noop2),
        secs(noop_small)
    );

    // One meeting edited, in the middle of the archive.
    let edited = &huge[n / 2];
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
        "one meeting edited among {n}: {:.3} s; that meeting rendered alone (own process): {:.3} s; \
         difference {:.3} s  (target < 1 s)",
        secs(one),
        secs(alone),
        secs(one) - secs(alone)
    );

    // Issue 28: `--all` checks every meeting (the cold check, and the baseline); the check
    // after it finds every meeting unchanged in its record and checks none again.
    let cpu = || *LAST_CPU.lock().unwrap();
    let (cold, _) = timed(&["check", "huge", "--out-dir", "huge-out", "--all"], d);
    let cold_cpu = cpu();
    let (check, rss_check) = timed(&["check", "huge", "--out-dir", "huge-out"], d);
    let check_cpu = cpu();
    let (check2, _) = timed(&["check", "huge", "--out-dir", "huge-out"], d);
    let (check_small, rss_check_small) = timed(&["check", "small"], d);
    println!(
        "check of {n}, cold (--all, every meeting checked): {:.2} s, {:.2} s CPU  (target < 3 s); \
         unchanged (reused from the check record): {:.2} s, again {:.2} s, {:.2} s CPU  (target < 1 s); \
         cold of {tenth}: {:.2} s",
        secs(cold),
        cold_cpu,
        secs(check),
        secs(check2),
        check_cpu,
        secs(check_small)
    );
    println!(
        "peak RSS at {tenth} / {n}: no-op {:.0} / {:.0} MiB, check {:.0} / {:.0} MiB  (target: flat in N)",
        mib(rss_noop_small),
        mib(rss_noop),
        mib(rss_check_small),
        mib(rss_check)
    );
}

/// Gives each of `meetings` (below `d/archive`) the PDF and the build-record entry that the
/// one meeting below `d/seed` got from a real build into `d/seed_out`: the same files read,
/// relative to its own folder, each with its own size, time and hash.
fn clone_built(
    d: &Path,
    seed: &str,
    seed_out: &str,
    archive: &str,
    out: &str,
    meetings: &[std::path::PathBuf],
) {
    use sha2::Digest;
    let record: serde_json::Value = serde_json::from_slice(
        &std::fs::read(d.join(seed_out).join(".protokoll-builds.json")).unwrap(),
    )
    .unwrap();
    let (_, entry) = record["meetings"]
        .as_object()
        .unwrap()
        .iter()
        .next()
        .unwrap();
    let seed_folder = d.join(seed).canonicalize().unwrap().join("m00/m00000");
    // Each file read (relative to the meeting's folder), and whether it was recorded as
    // absent (the organ's house style, when the folder has none).
    let read: Vec<(std::path::PathBuf, bool)> = entry["inputs"].as_array().unwrap()[1..]
        .iter()
        .map(|i| {
            let path = Path::new(i["path"].as_str().unwrap())
                .strip_prefix(&seed_folder)
                .unwrap()
                .to_path_buf();
            (path, i["sha256"] == protokoll_absent())
        })
        .collect();
    let pdf = std::fs::read(d.join(seed_out).join("m00/m00000/meeting.pdf")).unwrap();
    let json = std::fs::read(d.join(seed_out).join("m00/m00000/meeting.json")).unwrap();
    let file = |path: &Path, shown: &Path, hash: bool| {
        let meta = std::fs::metadata(path).unwrap();
        let ns = meta
            .modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let mut v = serde_json::json!({
            "path": shown, "size": meta.len(), "modified_ns": ns as u64,
        });
        if hash {
            let digest = sha2::Sha256::digest(std::fs::read(path).unwrap());
            v["sha256"] = digest
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
                .into();
        }
        v
    };
    let mut entries = serde_json::Map::new();
    for meeting in meetings {
        let below = meeting
            .strip_prefix(d.join(archive))
            .unwrap()
            .with_extension("pdf");
        let output = Path::new(out).join(&below);
        std::fs::create_dir_all(d.join(&output).parent().unwrap()).unwrap();
        std::fs::write(d.join(&output), &pdf).unwrap();
        let record_out = output.with_extension("json");
        std::fs::write(d.join(&record_out), &json).unwrap();
        let folder = meeting.parent().unwrap().canonicalize().unwrap();
        let given = meeting.strip_prefix(d).unwrap();
        let mut inputs = vec![file(meeting, given, true)];
        inputs.extend(read.iter().map(|(r, absent)| {
            if *absent {
                serde_json::json!({
                    "path": folder.join(r), "size": 0, "modified_ns": 0,
                    "sha256": protokoll_absent(),
                })
            } else {
                file(&folder.join(r), &folder.join(r), true)
            }
        }));
        entries.insert(
            below.to_string_lossy().into_owned(),
            serde_json::json!({
                "run": entry["run"],
                "inputs": inputs,
                "outputs": [
                    file(&d.join(&output), &output, false),
                    file(&d.join(&record_out), &record_out, false),
                ],
            }),
        );
    }
    let record = serde_json::json!({ "format": record["format"], "meetings": entries });
    std::fs::write(
        d.join(out).join(".protokoll-builds.json"),
        serde_json::to_vec(&record).unwrap(),
    )
    .unwrap();
}

/// The CPU time (user + system, seconds) of this process's children that have ended,
/// theirs included.
fn children_cpu() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage to fill.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// The batch of `n` (below `d/arkiv`) with two workers against two batches with one worker
/// each, the archive split between them with `--shard`: what two compilations in one
/// process cost each other (Typst's memo cache and interners are process-wide) — nothing,
/// since the workers are processes (with threads: 12.06 s vs 9.68 s of CPU time). Wall and
/// CPU time, median of 3, alternating.
fn threads_against_processes(d: &Path, n: usize) {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (mut threads, mut threads_cpu, mut processes, mut processes_cpu) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3 {
        let cpu = children_cpu();
        let (t, _) = timed(
            &[
                "arkiv",
                "--out-dir",
                "threads-out",
                "--quiet",
                "--force",
                "--jobs",
                "2",
            ],
            d,
        );
        threads.push(t.as_secs_f64());
        threads_cpu.push(children_cpu() - cpu);

        let cpu = children_cpu();
        let start = Instant::now();
        let shards: Vec<_> = ["1/2", "2/2"]
            .iter()
            .map(|shard| {
                let out = format!("process-out-{}", &shard[..1]);
                Command::new(BIN)
                    .args([
                        "arkiv",
                        "--out-dir",
                        &out,
                        "--quiet",
                        "--force",
                        "--jobs",
                        "1",
                    ])
                    .args(["--shard", shard])
                    .current_dir(d)
                    .spawn()
                    .expect("assemble runs")
            })
            .collect();
        for mut child in shards {
            assert!(child.wait().expect("assemble ends").success());
        }
        processes.push(start.elapsed().as_secs_f64());
        processes_cpu.push(children_cpu() - cpu);
    }
    println!(
        "batch of {n}, the batch with 2 workers vs 2 batches with 1 worker each (--shard): \
         {:.2} s vs {:.2} s wall, {:.2} s vs {:.2} s CPU (median of 3)",
        median(threads),
        median(processes),
        median(threads_cpu),
        median(processes_cpu)
    );
}

/// How the build record marks a file that was looked for and is absent
/// (`protokoll::incremental::ABSENT`, private to the library).
fn protokoll_absent() -> &'static str {
    "absent"
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

/// The batch of `meetings` (below `d/arkiv`) with this build against `BENCH_BASELINE_BIN`
/// (today's main, release), alternately, `BENCH_ROUNDS` times each (default 5); then the Python + Jinja2 +
/// typst-py pipeline (`benches/typst_py_pool.py`, Pool(2)) on the same generated sources.
fn against_baseline_and_python(d: &Path, meetings: &[std::path::PathBuf]) {
    let n = meetings.len();
    let secs = |t: Duration| t.as_secs_f64();
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut ours = Vec::new();
    let mut rss_ours = 0;
    if let Ok(baseline) = std::env::var("BENCH_BASELINE_BIN") {
        let mut theirs = Vec::new();
        let mut rss_theirs = 0;
        let rounds = env_usize("BENCH_ROUNDS", 5);
        for _ in 0..rounds {
            let (t, rss) = timed_with(
                Path::new(&baseline),
                &["arkiv", "--out-dir", "base-out", "--quiet", "--force"],
                d,
            );
            theirs.push(secs(t));
            rss_theirs = rss_theirs.max(rss);
            let (t, rss) = timed(&["arkiv", "--out-dir", "ours-out", "--quiet", "--force"], d);
            ours.push(secs(t));
            rss_ours = rss_ours.max(rss);
        }
        let (a, b) = (median(ours.clone()), median(theirs));
        println!(
            "batch of {n}, this build vs {baseline} (median of {rounds}, alternating): {a:.2} s vs {b:.2} s: \
             x{:.2} throughput (target >= 1.15); peak RSS of the largest process {:.0} vs {:.0} MiB",
            b / a,
            rss_ours as f64 / 1024.0,
            rss_theirs as f64 / 1024.0
        );
    } else {
        println!("BENCH_BASELINE_BIN not set: comparison with today's main skipped");
    }

    // The generated sources, compiled by the Python pipeline.
    let (t, _) = timed(
        &[
            "arkiv",
            "--out-dir",
            "py-typ",
            "--quiet",
            "--force",
            "--emit-typst",
        ],
        d,
    );
    if ours.is_empty() {
        ours.push(secs(t));
    }
    let root = d.join("py-root");
    std::fs::create_dir_all(root.join(".protokoll")).unwrap();
    std::fs::write(
        root.join(".protokoll/protokoll.typ"),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/protokoll.typ"))
            .unwrap(),
    )
    .unwrap();
    let mut list = String::new();
    for (i, meeting) in meetings.iter().enumerate() {
        let below = meeting.strip_prefix(d.join("arkiv")).unwrap();
        let typ = d.join("py-typ").join(below).with_extension("typ");
        let target = root.join(format!("m{i:05}.typ"));
        std::fs::copy(&typ, &target).unwrap();
        list.push_str(&format!("{}\t{}\n", meeting.display(), target.display()));
    }
    std::fs::write(d.join("py-list"), list).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/typst_py_pool.py");
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/fonts");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&root)
        .arg(d.join("py-list"))
        .arg(&fonts)
        .output();
    let Ok(out) = out else {
        println!("Python pipeline: python3 not found, skipped");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    if out.status.code() == Some(3) {
        println!("Python pipeline: {}", text.trim());
        return;
    }
    assert!(
        out.status.success(),
        "the Python pipeline failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .expect("the script prints its figures")
    };
    let (python, python_rss) = (field("elapsed "), field("peak_rss_kib "));
    let a = median(ours);
    println!(
        "batch of {n}, this build vs Python + Jinja2 + typst-py Pool(2): {a:.2} s vs {python:.2} s: \
         x{:.2} throughput; peak RSS of the largest process {:.0} MiB (ours: {:.0} MiB)",
        python / a,
        python_rss / 1024.0,
        rss_ours as f64 / 1024.0
    );
}
