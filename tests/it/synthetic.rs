//! The benchmark's synthetic archive is valid input: every generated meeting checks clean.

#[path = "../../benches/support/synthetic.rs"]
mod generator;

use crate::common::*;

#[test]
fn generated_meetings_check_clean_and_vary() {
    let dir = tempfile::tempdir().unwrap();
    let meetings = generator::generate(&repo().join("data"), &dir.path().join("arkiv"), 7);
    let out = assemble(dir.path(), &["check", "arkiv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "no warnings either: {}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&out)
            .lines()
            .filter(|l| l.starts_with("ok "))
            .count(),
        7
    );
    let texts: Vec<String> = meetings
        .iter()
        .map(|m| std::fs::read_to_string(m).unwrap())
        .collect();
    assert_ne!(texts[0], texts[2], "meetings of the same sample differ");
    assert!(texts[6].contains("{bilaga:extra}") && texts[6].contains("Övrig fråga 1"));
}
