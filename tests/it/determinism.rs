//! Same input, same bytes.

use crate::common::*;

#[test]
fn two_runs_give_identical_bytes() {
    let dir = fixture("minimal");
    let first = std::fs::read(build(dir.path())).unwrap();
    std::fs::rename(dir.path().join("out.pdf"), dir.path().join("first.pdf")).unwrap();
    let second = std::fs::read(build(dir.path())).unwrap();
    assert!(first == second, "the PDF differs between two runs");
}

#[test]
fn source_date_epoch_sets_the_timestamp_and_stays_reproducible() {
    let dir = fixture("minimal");
    let run = |name: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_assemble"))
            .args(["meeting.toml", "-o", name])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1600387200")
            .output()
            .unwrap();
        assert!(out.status.success());
        std::fs::read(dir.path().join(name)).unwrap()
    };
    assert!(run("a.pdf") == run("b.pdf"));
}
