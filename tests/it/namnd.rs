//! Nämnd meetings through `assemble check`: the samples are clean, and a problem in the
//! attendance, a vote or the legal record is reported at its line with a hint. (Reading the
//! nämnd PDF back belongs with the nämnd template.)

use std::path::Path;

use crate::common::*;

/// A temporary copy of data/amn; the fabricated meeting is `2020-04-21.toml` in it.
fn amn() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    dir
}

const MEETING: &str = "2020-04-21.toml";

/// Replaces `from` (which must occur) in the fabricated meeting; returns the new text.
fn edit(dir: &Path, from: &str, to: &str) -> String {
    let path = dir.join(MEETING);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` is in the sample");
    let text = text.replacen(from, to, 1);
    std::fs::write(&path, &text).unwrap();
    text
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

fn check_fails(dir: &Path) -> String {
    let out = assemble(dir, &["check", MEETING]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    stderr(&out)
}

#[test]
fn the_namnd_samples_check_clean() {
    let out = assemble(&repo(), &["check", "data/amn"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let ok = stdout(&out);
    assert!(ok.contains("ok data/amn/2020-04-21.toml"), "{ok}");
    assert!(ok.contains("ok data/amn/2015-paragraf-8-9.toml"), "{ok}");
}

#[test]
fn a_misspelt_voter_is_an_error_at_the_vote_with_a_did_you_mean() {
    let dir = amn();
    let text = edit(
        dir.path(),
        "\"Sara Holm\", \"Jonas",
        "\"Sara Holmm\", \"Jonas",
    );
    let err = check_fails(dir.path());
    let line = line_of(&text, "Sara Holmm");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(
        err.contains("`Sara Holmm` is not among those present"),
        "{err}"
    );
    assert!(err.contains("did you mean `Sara Holm`?"), "{err}");
}

#[test]
fn a_vote_that_misses_a_serving_member_names_the_omrostning_line() {
    let dir = amn();
    let text = edit(dir.path(), "avstar = [\"Petra Falk\"]", "avstar = []");
    let err = check_fails(dir.path());
    let line = line_of(&text, "[paragraf.omrostning]");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(
        err.contains(
            "§ 33: Petra Falk (SD) serves in the § but is under none of ja, nej and avstar"
        ),
        "{err}"
    );
    assert!(err.contains("KL 5 kap. 67 §"), "{err}");
}

#[test]
fn the_ersattare_who_took_over_votes_only_in_their_own_paragrafer() {
    // Tobias Lund serves for Omar Haddad from § 36: in § 33 he may not vote.
    let dir = amn();
    let text = edit(
        dir.path(),
        "avstar = [\"Petra Falk\"]",
        "avstar = [\"Petra Falk\", \"Tobias Lund\"]",
    );
    let err = check_fails(dir.path());
    let line = line_of(&text, "Tobias Lund\"]");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(
        err.contains("`Tobias Lund` does not serve in § 33"),
        "{err}"
    );
}

#[test]
fn a_javig_member_who_reserves_is_an_error_at_the_reservation() {
    let dir = amn();
    let text = edit(
        dir.path(),
        "jav = [\"Jonas Berglund\"]",
        "jav = [\"Jonas Berglund\"]\n\n[[paragraf.reservation]]\nby = [\"Jonas Berglund\"]\ntext = \"Emot.\"",
    );
    let err = check_fails(dir.path());
    let line = line_of(&text, "by = [\"Jonas Berglund\"]");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(
        err.contains("declared jäv in § 34 and cannot reserve"),
        "{err}"
    );
}

#[test]
fn too_few_members_is_no_quorum_at_each_paragraf() {
    let dir = amn();
    let text = edit(dir.path(), "seats = 13", "seats = 25");
    let err = check_fails(dir.path());
    let line = line_of(&text, "title = \"Inriktning för feriejobb 2020\"");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(err.contains("§ 33: 12 of 25 ledamöter serve"), "{err}");
    assert!(err.contains("KL 5 kap. 57 §"), "{err}");
}

#[test]
fn a_wrong_paragraf_number_and_a_contradicted_bifall_are_both_reported() {
    let dir = amn();
    edit(dir.path(), "number = 34", "number = 35");
    let text = edit(
        dir.path(),
        "diarienummer = [\"AMN 2020-0211-1.4\"]",
        "diarienummer = [\"AMN 2020-0211-1.4\"]\nbifall = \"m\"",
    );
    let out = assemble(dir.path(), &["check", MEETING, "--message-format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let objects: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let at = |needle: &str| {
        objects
            .iter()
            .find(|o| o["message"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("`{needle}` in {objects:?}"))["line"]
            .as_u64()
            .unwrap() as usize
    };
    assert_eq!(
        at("this § is § 34, not § 35"),
        line_of(&text, "number = 35")
    );
    assert_eq!(
        at("adopts `ordf`, but bifall says `m`"),
        line_of(&text, "bifall = \"m\"")
    );
}

#[test]
fn a_misspelt_key_in_a_namnd_file_gets_a_did_you_mean() {
    let dir = amn();
    let text = edit(
        dir.path(),
        "beslutsgang = \"\"\"\nOrdföranden ställde",
        "beslutsgng = \"\"\"\nOrdföranden ställde",
    );
    let err = check_fails(dir.path());
    let line = line_of(&text, "beslutsgng");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(err.contains("did you mean `beslutsgang`?"), "{err}");
}

#[test]
fn a_whole_meeting_needs_what_only_a_fragment_may_leave_out() {
    let dir = amn();
    let path = dir.path().join("2015-paragraf-8-9.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("fragment = true\n", "")).unwrap();
    let out = assemble(dir.path(), &["check", "2015-paragraf-8-9.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for needle in [
        "no [meeting] table",
        "no sekreterare",
        "no justerare",
        "number of seats is not given",
    ] {
        assert!(err.contains(needle), "`{needle}` in:\n{err}");
    }
    // § 9 decided without competing proposals: no beslutsgång is required (issue 11).
    assert!(!err.contains("beslutsgång"), "{err}");
}

#[test]
fn an_ersattare_and_the_ledamot_they_replace_cannot_both_serve() {
    let dir = amn();
    let text = edit(
        dir.path(),
        "for = \"Omar Haddad\", only = \"36-38\"",
        "for = \"Omar Haddad\"",
    );
    let err = check_fails(dir.path());
    let line = line_of(&text, "for = \"Omar Haddad\"");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(
        err.contains("`Tobias Lund` and `Omar Haddad`, whom they replace, both serve in § 31"),
        "{err}"
    );
    // With both serving from § 31 the vote in § 33 also lacks Tobias Lund.
    assert!(
        err.contains("Tobias Lund (S) serves in the § but is under none of ja, nej and avstar"),
        "{err}"
    );
}

#[test]
fn attendance_mistakes_are_reported_at_their_lines() {
    let dir = amn();
    edit(dir.path(), "only = \"31-35\"", "only = \"31-45\"");
    edit(dir.path(), "for = \"Helena Rask\"", "for = \"Helena Rusk\"");
    let text = edit(
        dir.path(),
        "{ name = \"Leo Karlsson\", party = \"L\" }",
        "{ name = \"Leo Karlsson\", party = \"L\", for = \"Per Lindqvist\" }",
    );
    let err = check_fails(dir.path());
    for (needle, message) in [
        (
            "only = \"31-45\"",
            "`31-45` is not within the § of this meeting (§ 31–§ 38)",
        ),
        ("for = \"Helena Rusk\"", "did you mean `Helena Rask`?"),
        (
            "Leo Karlsson",
            "`for` is only for a tjänstgörande ersättare",
        ),
    ] {
        let line = line_of(&text, needle);
        assert!(
            err.contains(&format!("{MEETING}:{line}:")),
            "line {line} in:\n{err}"
        );
        assert!(err.contains(message), "`{message}` in:\n{err}");
    }
}

#[test]
fn a_late_justering_is_a_warning_not_an_error() {
    let dir = amn();
    let text = edit(dir.path(), "justerad = 2020-04-28", "justerad = 2020-05-20");
    let out = assemble(dir.path(), &["check", MEETING]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let line = line_of(&text, "justerad = 2020-05-20");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(err.contains("justerat 29 days after the meeting"), "{err}");
}
