//! Benchmark: `assemble site` over an archive (issue 28: its cost follows the change, not the
//! archive). For each size — BENCH_N (default 10,000) and a tenth of it, cheap meetings
//! (`tests/fixtures/minimal`, one folder each; `BENCH_REALISTIC=1`: the synthetic FVG
//! meetings of `benches/support/synthetic.rs`) — the first build, the no-op rebuild, one
//! meeting edited and, as the baseline in the same run, the site of that one meeting alone
//! (what reading and making one meeting costs, with no archive around it). Wall time, CPU
//! time and peak memory of each run (through `/usr/bin/time`).
//!
//! `BENCH_ONLY_N=1` skips the tenth. With `BENCH_BASELINE_BIN=/path/to/assemble` (a release build of the commit to compare
//! with) the same runs are made with that binary on a copy of the archive.
//!
//! Run: `nice -n 19 cargo bench --bench site` (release).

#[path = "support/synthetic.rs"]
mod synthetic;
#[path = "support/timed.rs"]
mod timed;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_assemble");

/// One run: wall time, CPU seconds (user + system), peak RSS in MiB, what it said.
struct Run {
    wall: Duration,
    cpu: f64,
    mib: f64,
    said: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3} s wall, {:.2} s CPU, {:.0} MiB  ({})",
            self.wall.as_secs_f64(),
            self.cpu,
            self.mib,
            self.said
        )
    }
}

fn run(bin: &Path, args: &[&str], cwd: &Path) -> Run {
    let p = timed::process(bin, args, cwd);
    Run {
        wall: Duration::from_secs_f64(p.wall),
        cpu: p.cpu,
        mib: p.mib,
        said: p.out.lines().last().unwrap_or_default().to_string(),
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// The rows of one archive of `n` meetings with `bin`.
fn rows(label: &str, bin: &Path, d: &Path, archive: &str, files: &[PathBuf]) {
    let n = files.len();
    let site = format!("{archive}-site");
    let first = run(bin, &["site", archive, "-o", &site], d);
    println!("{label} site, {n} meetings, first build: {first}");
    let noop = run(bin, &["site", archive, "-o", &site], d);
    println!("{label} site, {n} meetings, no-op rebuild: {noop}  (target < 0.5 s)");
    let noop = run(bin, &["site", archive, "-o", &site], d);
    println!("{label} site, {n} meetings, no-op rebuild again: {noop}");
    let edited = &files[n / 2];
    let text = std::fs::read_to_string(edited).unwrap();
    let changed = text.replacen("title = \"", "title = \"Ändrad ", 1);
    assert_ne!(changed, text, "the edit changes the meeting");
    std::fs::write(edited, changed).unwrap();
    let one = run(bin, &["site", archive, "-o", &site], d);
    println!("{label} site, {n} meetings, one meeting edited: {one}  (target < 1 s, < 200 MB)");
    let rel = edited
        .strip_prefix(d)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let alone_site = format!("{archive}-alone");
    let alone = run(bin, &["site", &rel, "-o", &alone_site], d);
    println!("{label} site of that one meeting alone (baseline): {alone}");
}

fn main() {
    let n = env_usize("BENCH_N", 10_000);
    let realistic = std::env::var("BENCH_REALISTIC").is_ok_and(|v| v == "1");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let generate = |name: &str, count: usize| {
        if realistic {
            synthetic::generate(&root.join("data"), &d.join(name), count)
        } else {
            synthetic::generate_cheap(&root.join("tests/fixtures/minimal"), &d.join(name), count)
        }
    };
    let kind = if realistic {
        "synthetic FVG meetings"
    } else {
        "small meetings (tests/fixtures/minimal)"
    };
    let baseline = std::env::var_os("BENCH_BASELINE_BIN").map(PathBuf::from);
    // `BENCH_ONLY_N=1`: only the archive of BENCH_N, not its tenth.
    let sizes = if std::env::var("BENCH_ONLY_N").is_ok_and(|v| v == "1") {
        vec![n]
    } else {
        vec![(n / 10).max(1), n]
    };
    for count in sizes {
        let name = format!("arkiv-{count}");
        let start = Instant::now();
        let files = generate(&name, count);
        println!(
            "\n{count} {kind}, generated in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        if let Some(base) = &baseline {
            let copy = format!("{name}-base");
            copy_tree(&d.join(&name), &d.join(&copy));
            let copied: Vec<PathBuf> = files
                .iter()
                .map(|f| d.join(&copy).join(f.strip_prefix(d.join(&name)).unwrap()))
                .collect();
            rows("baseline", base, d, &copy, &copied);
        }
        rows("this build", Path::new(BIN), d, &name, &files);
    }
}
