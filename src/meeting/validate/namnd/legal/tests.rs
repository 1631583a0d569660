//! One test (at least) per rule: a small valid meeting, changed in one place, and the
//! finding must name the line of that place.

use super::*;
use crate::diag::line_col;

/// Five seats; A (S) presides; E (Fi) serves for F (S), who had förhinder; G (KD) is an
/// ersättare who does not serve. § 1 is decided by vote, a beats b 3–2, B reserves.
const BASE: &str = r#"
kind = "namnd"
organ = "AMN"
namnd = "Arbetsmarknadsnämnden"
seats = 5
sekreterare = "S Sekreterare"
justerare = ["B"]

[organisation]
name = "Stockholms stad"
forvaltning = "Arbetsmarknadsförvaltningen"

[meeting]
date = 2020-04-21
start = "15:00"
end = "16:00"
place = "Stadshuset"

[attendance]
ordforande = { name = "A", party = "S" }
vice_ordforande = { name = "B", party = "M" }
ledamoter = [
  { name = "C", party = "V" },
  { name = "D", party = "M" },
]
tjanstgorande = [
  { name = "E", party = "Fi", for = "F" },
]
ersattare = [
  { name = "G", party = "KD" },
]
forhinder = [
  { name = "F", party = "S" },
]

[[paragraf]]
number = 1
title = "Ärende ett"
beslut = ["Nämnden beslutade att bifalla a."]
beslutsgang = "Förslagen ställdes mot varandra."
bifall = "a"
jav = []

[[paragraf.forslag]]
id = "a"
by = ["A"]
text = "att bifalla"

[[paragraf.forslag]]
id = "b"
by = ["B"]
text = "att avslå"

[paragraf.omrostning]
ja_for = "a"
nej_for = "b"
ja = ["A", "C", "E"]
nej = ["B", "D"]
avstar = []

[[paragraf.reservation]]
by = ["B"]
forslag = "b"
text = "Vi ville avslå."

[[paragraf.ersattaryttrande]]
by = ["G"]
text = "Ett yttrande."
"#;

fn parse(text: &str) -> (RawNamndMeeting, Roster) {
    let raw: RawNamndMeeting = toml::from_str(text).expect("the test meeting parses");
    let roster = Roster::new(&raw.attendance);
    (raw, roster)
}

/// The base meeting with `from` replaced by `to` (which must occur).
fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "`{from}` is in the base meeting");
    BASE.replacen(from, to, 1)
}

/// The 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

/// The 1-based line of the `n`th (from 1) line containing `needle`.
fn nth_line_of(text: &str, needle: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n - 1)
        .expect("needle")
        .0
        + 1
}

/// The findings' (line, message), errors only.
fn errors(text: &str, findings: Vec<Finding>) -> Vec<(usize, String)> {
    findings
        .into_iter()
        .filter(|f| f.error)
        .map(|f| (line_col(text, f.span.start).0, f.message))
        .collect()
}

fn all(text: &str) -> Vec<(usize, String)> {
    let (raw, roster) = parse(text);
    errors(text, check(&raw, &roster, 1))
}

#[test]
fn the_base_meeting_is_lawful() {
    assert_eq!(all(BASE), vec![]);
}

#[test]
fn a_decision_without_beslutsgang_is_an_error_at_the_paragraf() {
    let text = edit("beslutsgang = \"Förslagen ställdes mot varandra.\"\n", "");
    let (raw, _) = parse(&text);
    let found = errors(&text, decision_recorded(&raw.paragraf[0], 1, false));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "title = \"Ärende ett\""));
    assert!(found[0].1.contains("no beslutsgång"), "{found:?}");
    // A fragment may lack it.
    assert!(decision_recorded(&raw.paragraf[0], 1, true).is_empty());
}

#[test]
fn proposals_without_a_beslut_are_an_error() {
    let text = edit("beslut = [\"Nämnden beslutade att bifalla a.\"]\n", "");
    let (raw, _) = parse(&text);
    let found = errors(&text, decision_recorded(&raw.paragraf[0], 1, false));
    assert!(
        found.iter().any(|(_, m)| m.contains("but no beslut")),
        "{found:?}"
    );
}

#[test]
fn several_proposals_without_bifall_or_vote_is_an_error_at_the_second() {
    let text = edit("[paragraf.omrostning]", "[paragraf.x]")
        .replace("bifall = \"a\"\n", "")
        .replace("[paragraf.x]\nja_for = \"a\"\nnej_for = \"b\"\nja = [\"A\", \"C\", \"E\"]\nnej = [\"B\", \"D\"]\navstar = []\n", "");
    let (raw, _) = parse(&text);
    let found = errors(&text, decision_recorded(&raw.paragraf[0], 1, false));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "id = \"b\""));
}

#[test]
fn a_serving_member_missing_from_the_vote_is_an_error_at_the_omrostning() {
    let text = edit("ja = [\"A\", \"C\", \"E\"]", "ja = [\"A\", \"C\"]");
    let (raw, roster) = parse(&text);
    let found = errors(&text, omrostning_count(&raw.paragraf[0], 1, &roster, false));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "[paragraf.omrostning]"));
    // Who is missing, not sums that need not show it (issue 24: "ja + nej + avstår is 12,
    // but 12 members serve … missing").
    assert_eq!(
        found[0].1,
        "§ 1: E (Fi) serves in the § but is under none of ja, nej and avstar (1 of the 5 serving)"
    );
}

#[test]
fn voting_twice_or_without_serving_is_an_error_at_the_name() {
    let text = edit("avstar = []", "avstar = [\"C\", \"G\"]");
    let (raw, roster) = parse(&text);
    let found = errors(&text, omrostning_count(&raw.paragraf[0], 1, &roster, false));
    let line = line_of(&text, "avstar = [");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(l, _)| *l == line), "{found:?}");
    assert!(found[0].1.contains("`C` votes twice"), "{found:?}");
    assert!(found[1].1.contains("`G` does not serve"), "{found:?}");
}

#[test]
fn a_member_who_left_does_not_vote_and_their_replacement_does() {
    // D leaves after § 1 of 2; E2 serves for D in § 2 only.
    let text = edit("  { name = \"D\", party = \"M\" },", "  { name = \"D\", party = \"M\", only = \"1\" },")
        .replace(
            "  { name = \"E\", party = \"Fi\", for = \"F\" },",
            "  { name = \"E\", party = \"Fi\", for = \"F\" },\n  { name = \"E2\", party = \"M\", for = \"D\", only = \"2\" },",
        );
    let (raw, roster) = parse(&text);
    let serving: Vec<&str> = roster
        .serving(2, &[])
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(serving, ["A", "B", "C", "E", "E2"]);
    let serving: Vec<&str> = roster
        .serving(1, &[])
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(serving, ["A", "B", "C", "D", "E"]);
    assert!(errors(&text, omrostning_count(&raw.paragraf[0], 1, &roster, false)).is_empty());
}

#[test]
fn a_bifall_the_vote_contradicts_is_an_error_at_bifall() {
    let text = edit("bifall = \"a\"", "bifall = \"b\"");
    let (raw, roster) = parse(&text);
    let found = errors(&text, omrostning_result(&raw.paragraf[0], 1, &roster));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "bifall = \"b\""));
    assert!(found[0].1.contains("adopts `a`"), "{found:?}");
}

#[test]
fn a_tie_is_decided_by_the_ordforande_and_without_that_vote_is_an_error() {
    let tie = edit("ja = [\"A\", \"C\", \"E\"]", "ja = [\"A\", \"C\"]")
        .replace("avstar = []", "avstar = [\"E\"]");
    let (raw, roster) = parse(&tie);
    let t = tally(
        &raw.paragraf[0],
        raw.paragraf[0].omrostning.as_ref().unwrap().get_ref(),
        &roster,
        1,
    );
    assert_eq!(
        (t.ja, t.nej, t.winner.as_deref(), t.utslagsrost),
        (2, 2, Some("a"), true)
    );
    assert!(errors(&tie, omrostning_result(&raw.paragraf[0], 1, &roster)).is_empty());

    let no_chair = edit("ja = [\"A\", \"C\", \"E\"]", "ja = [\"C\", \"E\"]")
        .replace("avstar = []", "avstar = [\"A\"]");
    let (raw, roster) = parse(&no_chair);
    let found = errors(&no_chair, omrostning_result(&raw.paragraf[0], 1, &roster));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&no_chair, "[paragraf.omrostning]"));
}

#[test]
fn only_members_who_took_part_reserve() {
    let text = edit(
        "by = [\"B\"]\nforslag = \"b\"",
        "by = [\"G\"]\nforslag = \"b\"",
    );
    let (raw, roster) = parse(&text);
    let found = errors(&text, reservation_rights(&raw.paragraf[0], 1, &roster));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "by = [\"G\"]"));
    assert!(found[0].1.contains("did not take part"), "{found:?}");
}

#[test]
fn a_reservation_for_the_adopted_proposal_is_an_error() {
    let text = edit("forslag = \"b\"", "forslag = \"a\"");
    let (raw, roster) = parse(&text);
    let found = errors(&text, reservation_rights(&raw.paragraf[0], 1, &roster));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "forslag = \"a\""));
}

#[test]
fn a_javig_member_neither_votes_nor_reserves() {
    let text = edit("jav = []", "jav = [\"B\"]");
    let (raw, roster) = parse(&text);
    let found = errors(&text, jav_rules(&raw.paragraf[0], 1, &roster));
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    // The vote, the reservation, the proposal — each at its own line.
    assert_eq!(
        lines,
        [
            line_of(&text, "nej = [\"B\", \"D\"]"),
            nth_line_of(&text, "by = [\"B\"]", 2),
            nth_line_of(&text, "by = [\"B\"]", 1),
        ],
        "{found:?}"
    );
    assert!(found[0].1.contains("cannot vote"), "{found:?}");
    assert!(found[1].1.contains("cannot reserve"), "{found:?}");
    assert!(found[2].1.contains("cannot make a proposal"), "{found:?}");
    // The count leaves B out of those serving and does not report the jäv a second time.
    let count = errors(&text, omrostning_count(&raw.paragraf[0], 1, &roster, false));
    assert!(count.is_empty(), "{count:?}");
}

#[test]
fn an_ersattaryttrande_by_a_serving_member_is_an_error() {
    let text = edit("by = [\"G\"]", "by = [\"C\"]");
    let (raw, roster) = parse(&text);
    let found = errors(&text, uttalande_rights(&raw.paragraf[0], 1, &roster));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "by = [\"C\"]"));
}

#[test]
fn a_sarskilt_uttalande_by_a_non_serving_ersattare_is_an_error() {
    let text = format!("{BASE}\n[[paragraf.sarskilt_uttalande]]\nby = [\"G\"]\ntext = \"x\"\n");
    let (raw, roster) = parse(&text);
    let found = errors(&text, uttalande_rights(&raw.paragraf[0], 1, &roster));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, text.lines().count() - 1);
}

#[test]
fn too_few_serving_members_is_no_quorum() {
    let text = edit("seats = 5", "seats = 11");
    let (raw, roster) = parse(&text);
    let found = errors(&text, quorum(&raw, &roster, 1));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "title = \"Ärende ett\""));
    assert!(found[0].1.contains("5 of 11"), "{found:?}");
    // Six of eleven is more than half.
    let (raw, roster) = parse(&edit("seats = 5", "seats = 9"));
    assert!(quorum(&raw, &roster, 1).is_empty());
}

#[test]
fn missing_seats_is_an_error_at_the_namnd() {
    let text = edit("seats = 5\n", "");
    let (raw, roster) = parse(&text);
    let found = errors(&text, quorum(&raw, &roster, 1));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "namnd = "));
}

#[test]
fn officials_are_given_and_the_justerare_serves() {
    let text = edit("justerare = [\"B\"]", "justerare = [\"G\"]");
    let (raw, roster) = parse(&text);
    let found = errors(&text, officials(&raw, &roster));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "justerare = [\"G\"]"));

    let text = edit("sekreterare = \"S Sekreterare\"\n", "");
    let (raw, roster) = parse(&text);
    let found = errors(&text, officials(&raw, &roster));
    assert!(found[0].1.contains("no sekreterare"), "{found:?}");

    let text = edit("ordforande = { name = \"A\", party = \"S\" }\n", "");
    let (raw, roster) = parse(&text);
    let found = errors(&text, officials(&raw, &roster));
    assert!(found[0].1.contains("no ordförande"), "{found:?}");
}

#[test]
fn paragraf_numbers_run_on_from_the_first() {
    let text = edit("number = 1", "number = 3");
    let (raw, _) = parse(&text);
    let found = errors(&text, numbering(&raw, 1));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(&text, "number = 3"));
    assert!(found[0].1.contains("is § 1, not § 3"), "{found:?}");
}

#[test]
fn an_unknown_proposal_id_is_an_error_with_the_ids() {
    let text = edit("bifall = \"a\"", "bifall = \"c\"");
    let (raw, _) = parse(&text);
    let found = proposal_ids(&raw.paragraf[0]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        line_col(&text, found[0].span.start).0,
        line_of(&text, "bifall = \"c\"")
    );
    assert!(found[0].hint.contains("a, b"), "{found:?}");
}
