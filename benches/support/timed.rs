//! One process run through `/usr/bin/time`: its wall time, CPU time (user + system) and peak
//! memory, for the benches that measure whole runs of `assemble` and of the Python peer.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One process: wall seconds, CPU seconds (user + system), peak RSS in MiB, its stdout.
pub struct Proc {
    pub wall: f64,
    pub cpu: f64,
    pub mib: f64,
    pub out: String,
}

/// Runs `program args` in `cwd` through `/usr/bin/time`.
pub fn process(program: &Path, args: &[&str], cwd: &Path) -> Proc {
    let report = tempfile::NamedTempFile::new().expect("temp file");
    let start = Instant::now();
    let o = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M %U %S")
        .arg("-o")
        .arg(report.path())
        .arg(program)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("/usr/bin/time runs");
    let wall = start.elapsed().as_secs_f64();
    assert!(
        o.status.success(),
        "{} {args:?} failed: {}{}",
        program.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let said = std::fs::read_to_string(report.path()).unwrap_or_default();
    let f: Vec<f64> = said
        .trim()
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    Proc {
        wall,
        cpu: f.get(1).copied().unwrap_or(0.0) + f.get(2).copied().unwrap_or(0.0),
        mib: f.first().copied().unwrap_or(0.0) / 1024.0,
        out: String::from_utf8_lossy(&o.stdout).into_owned(),
    }
}
