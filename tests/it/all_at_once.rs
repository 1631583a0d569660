//! Every problem of a file in one run (issue 24): unknown keys, values of the wrong type and
//! missing keys, each with its did-you-mean; a key typed with å, ä, ö; a name that is not
//! among those present; and `check`'s closing summary. Whole messages are pinned.

use std::path::Path;

use crate::common::*;

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture contains `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// `assemble check meeting.toml` in `dir`: exit code, stderr, stdout.
fn check(dir: &Path) -> (Option<i32>, String, String) {
    let out = assemble(dir, &["check", "meeting.toml"]);
    (out.status.code(), stderr(&out), stdout(&out))
}

/// Three mistyped keys took three runs: one run reports all three, and a value of the wrong
/// type beside them, each at its line with the key the schema has.
#[test]
fn three_mistyped_keys_and_a_wrong_type_are_reported_in_one_run() {
    let dir = fixture("minimal");
    edit(dir.path(), "sekreterare = ", "sekreterar = ");
    edit(dir.path(), "address = ", "adress = ");
    edit(
        dir.path(),
        "place = \"Livdjursgatan 4\"",
        "plats = \"Livdjursgatan 4\"",
    );
    edit(dir.path(), "start = \"09:00\"", "start = 900");
    let (code, err, out) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err, EXPECTED_MISTYPED, "\n{err}");
    assert_eq!(out, "checked 1 file: 4 errors, 0 warnings\n");
}

const EXPECTED_MISTYPED: &str = "\
error: unknown key `sekreterar` in a meeting file
  ┌─ meeting.toml:5:1
  │
5 │ sekreterar = \"Niklas Malmström\"
  │ ^^^^^^^^^^
  │
  = hint: did you mean `sekreterare`?

error: unknown key `adress` in `organisation`
   ┌─ meeting.toml:12:1
   │
12 │ adress = \"Livdjursgatan 4\"
   │ ^^^^^^
   │
   = hint: did you mean `address`?

error: `start` takes text, not a number
   ┌─ meeting.toml:17:9
   │
17 │ start = 900
   │         ^^^
   │
   = hint: write the text in quotes: start = \"…\"

error: unknown key `plats` in `meeting`
   ┌─ meeting.toml:19:1
   │
19 │ plats = \"Livdjursgatan 4\"
   │ ^^^^^
   │
   = hint: did you mean `place`?

";

/// `tjänsteutlåtande` typed with its letters is no bare TOML key: the parser's error gets the
/// key the file meant.
#[test]
fn a_key_typed_with_swedish_letters_gets_its_spelling() {
    let dir = fixture("namnd");
    edit(
        dir.path(),
        "tjansteutlatande = 2020-04-07",
        "tjänsteutlåtande = 2020-04-07",
    );
    let (code, err, _) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err, EXPECTED_SWEDISH, "\n{err}");
}

const EXPECTED_SWEDISH: &str = "\
error: invalid unquoted key, expected letters, numbers, `-`, `_`
   ┌─ meeting.toml:71:3
   │
71 │ tjänsteutlåtande = 2020-04-07
   │   ^
   │
   = hint: did you mean `tjansteutlatande`? keys are written without å, ä and ö

";

/// The FVG chair's name got no did-you-mean where a nämnd's names do.
#[test]
fn a_mistyped_fvg_chair_gets_the_closest_name_present() {
    let dir = fixture("minimal");
    edit(
        dir.path(),
        "ordforande = \"Karina Uddén\"",
        "ordforande = \"Karina Uden\"",
    );
    let (code, err, _) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err, EXPECTED_CHAIR, "\n{err}");
}

const EXPECTED_CHAIR: &str = "\
error: ordförande `Karina Uden` is not among those present
  ┌─ meeting.toml:4:14
  │
4 │ ordforande = \"Karina Uden\"
  │              ^^^^^^^^^^^^^
  │
  = hint: did you mean `Karina Uddén`?

";

/// Adding `justerad` to a fresh `new` file passed `check` with the previous meeting's end
/// time. Before justering `check --ready` lists it; once `justerad` is set it is an error.
#[test]
fn a_new_file_is_not_ready_until_its_end_time_is_this_meetings() {
    let dir = tempfile::tempdir().unwrap();
    let from = repo().join("data/amn/2020-04-21.toml");
    let out = assemble(
        dir.path(),
        &[
            "new",
            "--from",
            from.to_str().unwrap(),
            "--date",
            "2020-05-19",
            "-o",
            "meeting.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // A draft passes check; --ready lists what remains, as warnings.
    let plain = assemble(dir.path(), &["check", "meeting.toml"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    assert!(
        !stderr(&plain).contains("previous meeting's"),
        "{}",
        stderr(&plain)
    );
    let ready = assemble(dir.path(), &["check", "--ready", "meeting.toml"]);
    assert!(ready.status.success(), "{}", stderr(&ready));
    assert_eq!(stderr(&ready), EXPECTED_READY, "\n{}", stderr(&ready));
    // Justerad with the previous meeting's end time: an error.
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "\n[organisation]",
        "justerad = 2020-05-26\n\n[organisation]",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let (code, err, _) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: the end time is still the previous meeting's (as `assemble new` wrote it), but the file says `justerad`"),
        "{err}"
    );
}

const EXPECTED_READY: &str = "\
warning: the end time is still the previous meeting's (as `assemble new` wrote it)
   ┌─ meeting.toml:32:7
   │
32 │ end = \"16:25\"  # the previous meeting's end: correct it after the meeting
   │       ^^^^^^^
   │
   = hint: write this meeting's end time and delete the comment after it

";

/// A nämnd ärende without beslut, in a justerat protocol: an error at the §. The same §
/// marked `arende = false` (it decided nothing) passes: a lawful protocol is not refused.
#[test]
fn a_justerat_arende_without_beslut_is_an_error_unless_it_decided_nothing() {
    let dir = fixture("namnd");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!(
            "{text}\n[[paragraf]]\ntitle = \"Rapport om lokalerna\"\ntext = \"Förvaltningen redogjorde för lokalerna.\"\n"
        ),
    )
    .unwrap();
    let (code, err, _) = check(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("records no beslut, but the file says `justerad`"),
        "{err}"
    );
    std::fs::write(
        &path,
        format!(
            "{text}\n[[paragraf]]\ntitle = \"Rapport om lokalerna\"\narende = false\ntext = \"Förvaltningen redogjorde för lokalerna.\"\n"
        ),
    )
    .unwrap();
    let (code, err, _) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
}

/// A personnummer in the meeting file: `check` warns now (the web edition refuses it later).
#[test]
fn check_warns_of_a_personnummer_in_the_meeting_file() {
    let dir = fixture("minimal");
    edit(
        dir.path(),
        "text = \"Ordförande förklarade mötet för öppnat.\"",
        "text = \"Ordförande förklarade mötet för öppnat. Ärendet gäller 811218-9876.\"",
    );
    let (code, err, out) = check(dir.path());
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning: a personnummer (811218-XXXX) in the meeting file: the web edition refuses to publish it"),
        "{err}"
    );
    assert!(
        out.ends_with("checked 1 file: 0 errors, 1 warning\n"),
        "{out}"
    );
}
