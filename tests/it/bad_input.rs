//! Bad input: a clear error at file:line:col, exit 1, no partial PDF, the previous PDF kept.

use std::path::Path;

use crate::common::*;

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture contains `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A justerare who was not there, and a malformed diarienummer.
fn break_two_rules(dir: &Path) {
    edit(
        dir,
        "justerare = [\"Anna Gräslund\"]",
        "justerare = [\"Nils Nilsson\"]",
    );
    edit(
        dir,
        "diarienummer = [\"AMN 2020-0654-1.6\"]",
        "diarienummer = [\"2020-0654\"]",
    );
}

fn fails(dir: &Path) -> String {
    let out = assemble(dir, &["meeting.toml", "-o", "out.pdf"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit 1 for bad input; stderr:\n{}",
        stderr(&out)
    );
    assert!(!dir.join("out.pdf").exists(), "no PDF for bad input");
    stderr(&out)
}

#[test]
fn malformed_toml_names_file_line_and_column() {
    let dir = fixture("minimal");
    edit(dir.path(), "start = \"09:00\"", "start = \"09:00");
    let err = fails(dir.path());
    let line = std::fs::read_to_string(dir.path().join("meeting.toml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("start = "))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("meeting.toml:{line}:")),
        "line {line} named:\n{err}"
    );
    assert!(
        err.contains("start = \"09:00"),
        "the offending line is shown:\n{err}"
    );
}

#[test]
fn unknown_field_names_the_closest_known_one() {
    let dir = fixture("minimal");
    edit(
        dir.path(),
        "title = \"Mötets öppnande\"",
        "titel = \"Mötets öppnande\"",
    );
    let err = fails(dir.path());
    assert!(err.contains("unknown key `titel` in `paragraf`"), "{err}");
    assert!(err.contains("hint: did you mean `title`?"), "{err}");
}

#[test]
fn all_validation_problems_are_reported_at_once() {
    let dir = fixture("minimal");
    break_two_rules(dir.path());
    edit(dir.path(), "{bilaga:lista}", "{bilaga:listan}");
    let err = fails(dir.path());
    assert!(
        err.contains("justerare `Nils Nilsson` is not among those present"),
        "{err}"
    );
    assert!(err.contains("`2020-0654` is not a diarienummer"), "{err}");
    assert!(err.contains("no bilaga has the id `listan`"), "{err}");
    // Each points at its own line of the meeting file.
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for needle in ["Nils Nilsson", "\"2020-0654\"", "{bilaga:listan}"] {
        assert!(
            err.contains(&format!("meeting.toml:{}:", line_of(needle))),
            "`{needle}` located:\n{err}"
        );
    }
}

#[test]
fn a_failed_run_keeps_the_previous_pdf() {
    let dir = fixture("minimal");
    let good = build(dir.path());
    let before = std::fs::read(&good).unwrap();
    edit(
        dir.path(),
        "ordforande = \"Karina Uddén\"",
        "ordforande = \"Okänd Person\"",
    );
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("ordförande `Okänd Person` is not among those present"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(&good).unwrap(),
        before,
        "previous PDF untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");
}

#[test]
fn a_bilaga_outside_the_meeting_folder_is_refused() {
    let dir = fixture("minimal");
    let outside = dir
        .path()
        .parent()
        .unwrap()
        .join(format!("secret-{}.md", std::process::id()));
    std::fs::write(&outside, "hemlig text").unwrap();
    let name = outside.file_name().unwrap().to_str().unwrap();
    edit(
        dir.path(),
        "file = \"bilagor/lista.md\"",
        &format!("file = \"../{name}\""),
    );
    let err = fails(dir.path());
    assert!(err.contains("is outside the meeting's folder"), "{err}");
    std::fs::remove_file(&outside).unwrap();
}

#[cfg(unix)]
#[test]
fn a_symlink_leading_outside_the_meeting_folder_is_refused() {
    let dir = fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "hemlig text").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        dir.path().join("bilagor/link.md"),
    )
    .unwrap();
    edit(
        dir.path(),
        "file = \"bilagor/lista.md\"",
        "file = \"bilagor/link.md\"",
    );
    let err = fails(dir.path());
    assert!(
        err.contains("is a link to a file outside the meeting's folder"),
        "{err}"
    );
}

#[test]
fn a_footnote_without_text_is_an_error_in_the_bilaga_file() {
    let dir = fixture("minimal");
    std::fs::write(
        dir.path().join("bilagor/lista.md"),
        "Text med not[^saknas].\n",
    )
    .unwrap();
    let err = fails(dir.path());
    assert!(err.contains("lista.md:1:"), "{err}");
    assert!(err.contains("[^saknas]"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixture("minimal");
    let out = assemble(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = assemble(dir.path(), &["--no-such-flag", "meeting.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_missing_meeting_file_is_an_input_error() {
    let dir = fixture("minimal");
    let out = assemble(dir.path(), &["nope.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`nope.toml` does not exist"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unreferenced_bilaga_is_a_warning_and_still_printed() {
    let dir = fixture("minimal");
    edit(dir.path(), "se även {bilaga:lista}", "se även listan");
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: bilaga `lista` is never referred to"),
        "{}",
        stderr(&out)
    );
    let all = pages(&dir.path().join("out.pdf")).join(" ");
    assert!(
        all.contains("Bilaga 2: Lista"),
        "numbered after the referenced ones"
    );
}

#[test]
fn check_validates_without_writing() {
    let dir = fixture("minimal");
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok meeting.toml"));
    edit(dir.path(), "start = \"09:00\"", "start = \"25:00\"");
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("start `25:00` is not a time"),
        "{}",
        stderr(&out)
    );
    let pdfs = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count();
    assert_eq!(pdfs, 0, "check writes no PDF");
}

#[test]
fn check_prints_one_json_object_per_problem() {
    let dir = fixture("minimal");
    break_two_rules(dir.path());
    let out = assemble(
        dir.path(),
        &["check", "meeting.toml", "--message-format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let objects: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(objects.len(), 2, "{}", stdout(&out));
    let justerare = objects
        .iter()
        .find(|o| o["message"].as_str().unwrap().contains("Nils Nilsson"))
        .unwrap();
    assert_eq!(justerare["file"], "meeting.toml");
    assert_eq!(justerare["line"], line_of("Nils Nilsson"));
    assert_eq!(justerare["column"], 14);
    assert_eq!(justerare["severity"], "error");
    assert!(
        justerare["hint"]
            .as_str()
            .unwrap()
            .contains("attendance.group")
    );
    let diarie = objects
        .iter()
        .find(|o| o["message"].as_str().unwrap().contains("diarienummer"))
        .unwrap();
    assert_eq!(diarie["line"], line_of("\"2020-0654\""));
}

/// Each class of problem — TOML syntax, unknown key, a rule of the meeting, a bilaga's
/// Markdown — comes out of `check --message-format json` with its file and line.
#[test]
fn check_json_places_every_class_of_problem() {
    let json_of = |dir: &Path| -> Vec<serde_json::Value> {
        let out = assemble(dir, &["check", "meeting.toml", "--message-format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let cases: [(&str, &str, &str, &str); 3] = [
        (
            "start = \"09:00\"",
            "start = \"09:00",
            "meeting.toml",
            "start = ",
        ),
        (
            "title = \"Mötets öppnande\"",
            "titel = \"Mötets öppnande\"",
            "meeting.toml",
            "titel = ",
        ),
        (
            "ordforande = \"Karina Uddén\"",
            "ordforande = \"Karin\"",
            "meeting.toml",
            "ordforande = ",
        ),
    ];
    for (from, to, file, line_start) in cases {
        let dir = fixture("minimal");
        edit(dir.path(), from, to);
        let objects = json_of(dir.path());
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let line = text
            .lines()
            .position(|l| l.starts_with(line_start))
            .unwrap() as u64
            + 1;
        assert!(
            objects
                .iter()
                .any(|o| o["file"] == file && o["line"] == line && o["severity"] == "error"),
            "{to}: {objects:?}"
        );
    }
    let dir = fixture("minimal");
    std::fs::write(
        dir.path().join("bilagor/lista.md"),
        "Rad ett.\n\nRad två[^x].\n",
    )
    .unwrap();
    let objects = json_of(dir.path());
    assert!(
        objects
            .iter()
            .any(|o| o["file"] == "bilagor/lista.md" && o["line"] == 3 && o["column"] == 8),
        "{objects:?}"
    );
}

/// The library never reads the working directory (issue 21): the command line hands it the
/// paths relative to its own, so a problem in a meeting run from its parent folder — named
/// relative or absolute — stands at the path from there, in the text and in JSON, and so does
/// a problem of the organ's house style beside it.
#[test]
fn paths_are_shown_relative_to_the_working_directory_it_was_run_from() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("amn");
    copy_dir(&repo().join("tests/fixtures/namnd"), &dir);
    edit(&dir, "start = \"15:00\"", "start = \"klockan tre\"");
    std::fs::write(dir.join("husstil.toml"), "ingen_sadan_nyckel = 1\n").unwrap();
    let line = std::fs::read_to_string(dir.join("meeting.toml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("start = "))
        .unwrap()
        + 1;
    let absolute = dir.join("meeting.toml");
    for named in ["amn/meeting.toml", absolute.to_str().unwrap()] {
        let out = assemble(parent.path(), &["check", named]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!(" amn/meeting.toml:{line}:")),
            "{named}:\n{err}"
        );
        assert!(err.contains(" amn/husstil.toml:1:1"), "{named}:\n{err}");
        assert!(
            !err.contains(parent.path().to_str().unwrap()),
            "{named}:\n{err}"
        );
        let json = assemble(parent.path(), &["check", named, "--message-format", "json"]);
        assert!(
            stdout(&json).contains("\"file\":\"amn/meeting.toml\""),
            "{named}:\n{}",
            stdout(&json)
        );
    }
    // From the meeting's own folder the same problem names the file alone.
    let err = stderr(&assemble(&dir, &["check", absolute.to_str().unwrap()]));
    assert!(err.contains(&format!(" meeting.toml:{line}:")), "{err}");
    assert!(!err.contains("amn/"), "{err}");
}

/// The text of the PDF as poppler's `pdftotext` reads it.
fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian package poppler-utils)");
    assert!(out.status.success(), "pdftotext: {}", stderr(&out));
    stdout(&out)
}

/// A name written with its accent as a separate character (decomposed, as macOS tools and
/// copy-pastes give it) in one place and composed in another is the same name: the meeting
/// is read composed (Unicode NFC), so the nämnd meeting of `cases/names-decomposed` — whose
/// attendance, justerare, votes, jäv, förhinder and statements write names each way, and
/// whose § text and Markdown bilaga are written decomposed — is built, and its PDF and
/// record carry every name once, composed. (Read as written, each of
/// them was refused as an unknown person.)
/// A bilaga named composed in the meeting file while the file on disk has its letters
/// decomposed (made on a Mac) is not found — names are bytes — and the error, at the
/// `file =` line, names the file that looks the same and how to rename it.
#[test]
fn a_bilaga_named_otherwise_coded_than_its_file_is_explained() {
    let dir = fixture("cases/names-decomposed");
    std::fs::rename(
        dir.path().join("m/yttrande.md"),
        dir.path().join("m/yttra\u{308}nde.md"),
    )
    .unwrap();
    let meeting = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    std::fs::write(
        &meeting,
        text.replacen(
            "file = \"m/yttrande.md\"",
            "file = \"m/yttr\u{e4}nde.md\"",
            1,
        ),
    )
    .unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "cannot read `m/yttr\u{e4}nde.md`: no such file; the folder has `yttra\u{308}nde.md`, \
             which looks the same but codes its letters otherwise"
        ),
        "{err}"
    );
    assert!(err.contains("meeting.toml:142:"), "{err}");
    assert!(!dir.path().join("out.pdf").exists());
}

/// Composing the meeting's text leaves the angle brackets U+2329 and U+232A as written: NFC
/// makes them U+3008 and U+3009, which no embedded font has, so composed they printed as
/// U+FFFD — with a warning in the meeting file, silently in a Markdown bilaga. Written
/// beside decomposed letters, which are composed, in both.
#[test]
fn angle_brackets_print_as_written_beside_composed_letters() {
    let dir = fixture("cases/names-decomposed");
    let meeting = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    let from = "text = \"Upphandlingen bör följas upp särskilt.\"";
    assert!(text.contains(from));
    std::fs::write(
        &meeting,
        text.replacen(
            from,
            "text = \"Upphandlingen bo\u{308}r fo\u{308}ljas upp \u{2329}kl. 9\u{232A}.\"",
            1,
        ),
    )
    .unwrap();
    let bilaga = dir.path().join("m/yttrande.md");
    let md = std::fs::read_to_string(&bilaga).unwrap();
    std::fs::write(
        &bilaga,
        format!("{md}\nIntervallet \u{2329}a, b\u{232A} ga\u{308}ller.\n"),
    )
    .unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let text = pdftotext(&dir.path().join("out.pdf"));
    assert!(!text.contains('\u{FFFD}'), "{text}");
    assert!(
        fold(&text).contains("Upphandlingen bör följas upp \u{2329}kl. 9\u{232A}."),
        "{text}"
    );
    assert!(
        fold(&text).contains("Intervallet \u{2329}a, b\u{232A} gäller."),
        "{text}"
    );
}

#[test]
fn a_name_decomposed_in_one_place_and_composed_in_another_is_one_person() {
    let (dir, pdf, err) = built_fixture("cases/names-decomposed");
    assert!(!err.contains("warning"), "{err}");
    let decomposed = |s: &str| s.chars().any(|c| ('\u{300}'..='\u{36F}').contains(&c));
    let text = pdftotext(&pdf);
    assert!(!decomposed(&text), "{text}");
    for line in [
        "Att jämte ordföranden justera dagens protokoll utsågs Björn Viklund (SD). Justering sker",
        "Hanna Ek (V) för Rut Pérsson (V)",
        "Förhinder hade anmälts av Omar Ali (S) och Rut Pérsson (V).",
        "Ledamoten Björn Viklund (SD) lämnade följande särskilda uttalande.",
        "Ledamoten Märta Olsson (C) anmälde jäv och deltog inte i handläggningen av ärendet.",
        "Björn Viklund (SD), justerare",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}\n{text}");
    }
    assert!(
        text.contains("förfrågningsunderlag för vägledningstjänster; Sofia Åkesson"),
        "{text}"
    );
    // The Markdown bilaga's prose is composed too; its link's address is kept as written.
    for line in [
        "Yttrande från Björn Viklund",
        "Särskilt uttalande av Björn Viklund (SD) och Märta Olsson (C) om upphandlingen, se",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}\n{text}");
    }
    let doc = lopdf::Document::load(&pdf).unwrap();
    let uris: Vec<Vec<u8>> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"A").and_then(|a| a.as_dict()).ok())
        .filter_map(|a| a.get(b"URI").and_then(|u| u.as_str()).ok())
        .map(<[u8]>::to_vec)
        .collect();
    assert_eq!(
        uris,
        ["https://example.org/fo\u{308}rfra\u{30A}gan".as_bytes()],
        "{uris:?}"
    );
    let json = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert!(!decomposed(&json), "{json}");
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = record["persons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for name in [
        "Björn Viklund",
        "Sofia Åkesson",
        "Märta Olsson",
        "Rut Pérsson",
    ] {
        assert_eq!(
            names.iter().filter(|n| **n == name).count(),
            1,
            "{name}: {names:?}"
        );
    }
    assert_eq!(names.len(), 20, "{names:?}");
}

/// A problem in a value written decomposed is still placed where it is written in the file:
/// the value is read composed, shorter than the file's text, and its places are mapped back
/// (an unknown person at its string; a Markdown problem after decomposed letters at its
/// column, counted in the file's characters).
#[test]
fn a_problem_in_a_decomposed_value_is_placed_in_the_file_as_written() {
    let dir = fixture("minimal");
    edit(
        dir.path(),
        "justerare = [\"Anna Gräslund\"]",
        "justerare = [\"Anna Gra\u{308}slund\", \"Nils Nilsso\u{308}n\"]",
    );
    edit(
        dir.path(),
        "text = \"Ordförande förklarade mötet för öppnat.\"",
        "text = \"Ordfo\u{308}rande fo\u{308}rklarade mo\u{308}tet, se {bilaga:ingen}.\"",
    );
    let toml = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    // `error: <message>`, then the line that places it: `┌─ meeting.toml:<line>:<col>`,
    // the column counted in the file's characters, the combining marks among them.
    let placed = |message: &str, needle: &str| {
        let (n, line) = toml
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        let col = line[..line.find(needle).unwrap()].chars().count() + 1;
        (
            format!("error: {message}\n"),
            format!("┌─ meeting.toml:{}:{col}", n + 1),
        )
    };
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for (message, needle) in [
        (
            "justerare `Nils Nilssön` is not among those present",
            "\"Nils Nilsso\u{308}n\"",
        ),
        ("no bilaga has the id `ingen`", "{bilaga:ingen}"),
    ] {
        let (head, at) = placed(message, needle);
        let after = err.find(&head).map(|i| &err[i + head.len()..]);
        let place = after.and_then(|a| a.lines().next()).map(str::trim_start);
        assert_eq!(place, Some(at.as_str()), "{err}");
    }
    // The one written decomposed in the attendance's spelling is no problem.
    assert!(!err.contains("Gräslund"), "{err}");
}
