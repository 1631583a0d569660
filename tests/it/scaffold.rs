//! `assemble new`: the next meeting from the previous one, or a skeleton — each passes
//! `check` as a draft and renders.

use crate::common::*;

/// `assemble new --from data/fvg/SAMPLE.toml --date DATE -o next.toml`: the folder and text.
fn new_from(sample: &str, date: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let from = repo().join(format!("data/fvg/{sample}.toml"));
    let out = assemble(
        dir.path(),
        &[
            "new",
            "--from",
            from.to_str().unwrap(),
            "--date",
            date,
            "-o",
            "next.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("next.toml")).unwrap();
    (dir, text)
}

#[test]
fn the_next_meeting_from_each_sample_checks_and_renders_as_a_draft() {
    for (sample, date) in [("2020-09-17", "2020-10-15"), ("2020-04-16", "2020-05-20")] {
        let (dir, text) = new_from(sample, date);
        assert!(text.contains(&format!("date = {date}")));
        assert!(
            !text.lines().any(|l| l.starts_with("justerad")),
            "a new meeting is a draft"
        );
        assert!(
            !text.contains("[[bilaga]]") && !text.contains("said"),
            "no content of the old §"
        );
        let check = assemble(dir.path(), &["check", "next.toml"]);
        assert!(
            check.status.success() && stderr(&check).is_empty(),
            "{}",
            stderr(&check)
        );
        let pdf = assemble(dir.path(), &["next.toml", "-o", "next.pdf"]);
        assert!(pdf.status.success(), "{}", stderr(&pdf));
        let pages = pages(&dir.path().join("next.pdf"));
        assert!(pages.iter().all(|p| p.contains("UTKAST – ej justerat")));
        let all = pages.join(" ");
        assert_in_order(
            &all,
            &["§ 1. Mötets öppnande", "Nästa möte", "Mötet avslutades"],
        );
    }
}

#[test]
fn it_carries_attendance_officials_agenda_and_balanslista_but_not_content() {
    let (_dir, text) = new_from("2020-04-16", "2020-05-20");
    // Everyone is expected, also those absent last time; nobody is marked remote.
    for name in [
        "Karina Uddén",
        "Izabella Petre",
        "Amanda Broman",
        "Anna Gräslund",
        "Erik Jung",
    ] {
        assert!(text.contains(&format!("name = \"{name}\"")), "{name}");
    }
    assert!(!text.contains("remote = true"));
    assert!(
        text.contains("ordforande = \"Karina Uddén\"")
            && text.contains("sekreterare = \"Carina Lennberg\"")
    );
    assert_in_order(
        &text,
        &[
            "Mötets öppnande",
            "group = \"Information\"",
            "group = \"Dialog\"",
            "Balanslista",
            "Uppföljning av lokaler",
            "Nästa möte",
            "Mötet avslutades",
        ],
    );
    assert!(text.contains("start = \"09:00\"  # as announced"));
    assert!(
        !text.contains("Förvaltningschef föredrog ärendet"),
        "old content left out"
    );
}

#[test]
fn the_skeleton_checks_and_an_existing_file_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = assemble(dir.path(), &["new", "--date", "2021-01-14"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("wrote 2021-01-14.toml"));
    let check = assemble(dir.path(), &["check", "2021-01-14.toml"]);
    assert!(
        check.status.success() && stderr(&check).is_empty(),
        "{}",
        stderr(&check)
    );
    assert!(
        assemble(dir.path(), &["2021-01-14.toml", "-o", "s.pdf"])
            .status
            .success()
    );
    let before = std::fs::read(dir.path().join("2021-01-14.toml")).unwrap();
    std::fs::write(dir.path().join("2021-01-14.toml"), b"# mitt arbete\n").unwrap();
    let again = assemble(dir.path(), &["new", "--date", "2021-01-14"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(dir.path().join("2021-01-14.toml")).unwrap(),
        b"# mitt arbete\n"
    );
    assert!(
        assemble(dir.path(), &["new", "--date", "2021-01-14", "--force"])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read(dir.path().join("2021-01-14.toml")).unwrap(),
        before
    );
    let bad = assemble(dir.path(), &["new", "--date", "14 januari"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// `assemble new --from PREVIOUS --date DATE -o next.toml` in a fresh folder: the folder and
/// the text written.
fn new_namnd(previous: &std::path::Path, date: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = assemble(
        dir.path(),
        &[
            "new",
            "--from",
            previous.to_str().unwrap(),
            "--date",
            date,
            "-o",
            "next.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("wrote next.toml"), "{}", stdout(&out));
    let text = std::fs::read_to_string(dir.path().join("next.toml")).unwrap();
    (dir, text)
}

/// The lines of a TOML text that are not comments, comments cut off.
fn keys(text: &str) -> String {
    text.lines()
        .map(|l| l.split(" #").next().unwrap_or(""))
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks clean (no warning either) and renders as a draft; the PDF's pages.
fn checks_and_renders(dir: &std::path::Path, file: &str) -> Vec<String> {
    let check = assemble(dir, &["check", file]);
    assert!(
        check.status.success() && stderr(&check).is_empty(),
        "{}",
        stderr(&check)
    );
    let pdf = assemble(dir, &[file, "-o", "next.pdf"]);
    assert!(pdf.status.success(), "{}", stderr(&pdf));
    let pages = pages(&dir.join("next.pdf"));
    assert!(pages.iter().all(|p| p.contains("UTKAST – ej justerat")));
    pages
}

#[test]
fn the_next_namnd_meeting_checks_and_renders_as_a_draft_numbered_on() {
    let (dir, text) = new_namnd(&repo().join("data/amn/2020-04-21.toml"), "2020-05-19");
    let keys = keys(&text);
    assert!(keys.contains("kind = \"namnd\""), "{text}");
    assert!(keys.contains("date = 2020-05-19"), "{text}");
    // The previous meeting's § were 31–38: this one begins at 39.
    assert!(keys.contains("first_paragraf = 39"), "{text}");
    let pages = checks_and_renders(dir.path(), "next.toml");
    let all = pages.join(" ");
    assert!(
        pages[0].contains("Protokoll AMN 2020-05-19"),
        "{}",
        pages[0]
    );
    assert_in_order(
        &all,
        &[
            "§ 39 Sammanträdets öppnande och godkännande av föredragningslistan",
            "§ 40 Val av justerare",
            "§ 41 Anmälningsärenden",
            "§ 42 Nämndens frågor",
            "§ 43 Förvaltningsinformation",
        ],
    );
    // No closing line is invented (issue 11): the new meeting has no `avslutning` yet.
    assert!(!all.contains("förklarade sammanträdet avslutat"), "{all}");
    assert!(!all.contains("§ 44"), "{all}");
}

#[test]
fn the_next_namnd_meeting_carries_members_and_officials_but_not_the_meetings_own() {
    let (_dir, text) = new_namnd(&repo().join("data/amn/2020-04-21.toml"), "2020-05-19");
    let keys = keys(&text);
    for line in [
        "organ = \"AMN\"",
        "namnd = \"Arbetsmarknadsnämnden\"",
        "seats = 13",
        "sekreterare = \"Malin Grönkvist\"",
        "ordforande = { name = \"Anna Ekblom\", party = \"S\" }",
        "vice_ordforande = { name = \"Per Lindqvist\", party = \"M\" }",
        "place = \"Stadshuset, Rosa rummet\"",
        "forvaltning = \"Arbetsmarknadsförvaltningen\"",
        "{ name = \"Karin Lövgren\", role = \"förvaltningschef\" }",
        "{ name = \"Johan Sten\", role = \"borgarrådssekreterare\" }",
        "tjanstgorande = []",
        "forhinder_ledamoter = []",
        "forhinder_ersattare = []",
    ] {
        assert!(keys.contains(line), "`{line}` in:\n{text}");
    }
    // Last time's förhinder are ledamöter again (both fill the 13 seats); last time's
    // tjänstgörande ersättare are ersättare, expected but not serving for anyone.
    assert_in_order(
        &keys,
        &[
            "ledamoter = [",
            "\"Sara Holm\"",
            "\"Omar Haddad\"",
            "\"Petra Falk\"",
            "\"Helena Rask\"",
            "\"Mikael Dahl\"",
            "]",
            "ersattare = [",
            "\"Farida Amini\"",
            "\"Tobias Lund\"",
            "\"Ida Sjöberg\"",
            "\"Leo Karlsson\"",
            "]",
        ],
    );
    assert_in_order(
        &keys,
        &[
            "typ = \"oppnande\"",
            "typ = \"justerare\"",
            "typ = \"anmalningsarenden\"",
            "typ = \"fragor\"",
            "typ = \"information\"",
        ],
    );
    // Nothing that belonged to the previous meeting.
    for gone in [
        "only",
        "for =",
        "justerad",
        "[justering]",
        "omrostning",
        "reservation",
        "jav",
        "sarskilt_uttalande",
        "ersattaryttrande",
        "forslag",
        "beslut",
        "arendet",
        "anmalningar",
        "[[bilaga]]",
        "Feriejobb",
        "feriejobb",
        "Trappsteget",
        "number =",
        "2020-04-21",
        "distansundervisning",
    ] {
        assert!(!keys.contains(gone), "`{gone}` left out:\n{keys}");
    }
    assert_eq!(keys.matches("[[paragraf]]").count(), 5, "{keys}");
}

#[test]
fn a_namnd_meeting_in_a_new_year_numbers_from_one_and_keeps_the_anslag_forvaring() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo().join("data/amn/2020-04-21.toml")).unwrap();
    let previous = dir.path().join("2020-12-15.toml");
    std::fs::write(
        &previous,
        sample
            .replace("2020-04-21", "2020-12-15")
            .replace("2020-04-28", "2020-12-22")
            + "\n[anslag]\nuppsatt = 2020-12-22\nforvaring = \"Stadsarkivet, Kungsklippan 6\"\n",
    )
    .unwrap();
    let (next, text) = new_namnd(&previous, "2021-01-19");
    let keys = keys(&text);
    assert!(keys.contains("first_paragraf = 1"), "{text}");
    assert!(
        keys.contains("[anslag]\nforvaring = \"Stadsarkivet, Kungsklippan 6\""),
        "{text}"
    );
    assert!(!keys.contains("uppsatt"), "{text}");
    let all = checks_and_renders(next.path(), "next.toml").join(" ");
    assert_in_order(
        &all,
        &["§ 1 Sammanträdets öppnande", "§ 5 Förvaltningsinformation"],
    );
}

#[test]
fn the_namnd_skeleton_checks_and_renders_and_the_fvg_default_stays() {
    let dir = tempfile::tempdir().unwrap();
    let out = assemble(
        dir.path(),
        &["new", "--kind", "namnd", "--date", "2021-02-09"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("2021-02-09.toml")).unwrap();
    assert!(text.contains("kind = \"namnd\""), "{text}");
    let all = checks_and_renders(dir.path(), "2021-02-09.toml").join(" ");
    assert_in_order(
        &all,
        &[
            "Protokoll AMN 2021-02-09",
            "§ 1 Sammanträdets öppnande",
            "§ 2 Val av justerare",
            "§ 3 Ett ärende",
            "Beslutsgång",
            "§ 4 Anmälningsärenden",
            "§ 6 Förvaltningsinformation",
            "Vid protokollet",
            "Justeras",
        ],
    );
    // Without --kind the skeleton is an FVG one, as before.
    let fvg = tempfile::tempdir().unwrap();
    assert!(
        assemble(fvg.path(), &["new", "--date", "2021-02-09"])
            .status
            .success()
    );
    let text = std::fs::read_to_string(fvg.path().join("2021-02-09.toml")).unwrap();
    assert!(text.contains("kind = \"fvg\""), "{text}");
    // --kind says what to start without a previous meeting: with --from it is a usage error.
    let both = assemble(
        dir.path(),
        &[
            "new",
            "--kind",
            "namnd",
            "--from",
            "2021-02-09.toml",
            "--date",
            "2021-03-09",
        ],
    );
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

#[test]
fn a_namnd_meeting_dated_before_the_previous_one_is_written_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let from = repo().join("data/amn/2020-04-21.toml");
    let args = [
        "new",
        "--from",
        from.to_str().unwrap(),
        "--date",
        "2020-04-01",
    ];
    let out = assemble(dir.path(), &[&args[..], &["-o", "n.toml"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: the new meeting (2020-04-01) is not after"),
        "{err}"
    );
    assert!(err.contains("2020-04-21.toml:28:8"), "{err}");
    let later = assemble(
        dir.path(),
        &[&args[..3], &["--date", "2020-04-22", "-o", "m.toml"]].concat(),
    );
    assert!(
        later.status.success() && stderr(&later).is_empty(),
        "{}",
        stderr(&later)
    );
}

#[test]
fn new_from_a_fragment_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let fragment = repo().join("data/amn/2015-paragraf-8-9.toml");
    let out = assemble(
        dir.path(),
        &[
            "new",
            "--from",
            fragment.to_str().unwrap(),
            "--date",
            "2015-06-01",
            "-o",
            "n.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("is a fragment"), "{err}");
    assert!(err.contains("2015-paragraf-8-9.toml:19:12"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert!(!dir.path().join("n.toml").exists());
}

#[test]
fn new_from_a_namnd_meeting_does_not_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    // The default name is DATE.toml beside the previous meeting.
    let args = ["new", "--from", "2020-04-21.toml", "--date", "2020-05-19"];
    std::fs::write(dir.path().join("2020-05-19.toml"), b"# mitt arbete\n").unwrap();
    let again = assemble(dir.path(), &args);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(dir.path().join("2020-05-19.toml")).unwrap(),
        b"# mitt arbete\n"
    );
    let forced = assemble(dir.path(), &[&args[..], &["--force"]].concat());
    assert!(forced.status.success(), "{}", stderr(&forced));
    let text = std::fs::read_to_string(dir.path().join("2020-05-19.toml")).unwrap();
    assert!(text.contains("first_paragraf = 39"), "{text}");
}

/// The shipped schema is the one the code derives, it accepts every sample in data/ and it
/// rejects an unknown key.
#[test]
fn the_schema_matches_the_code_and_validates_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let printed = stdout(&assemble(dir.path(), &["schema"]));
    let shipped = std::fs::read_to_string(repo().join("data/meeting.schema.json")).unwrap();
    assert_eq!(
        printed, shipped,
        "data/meeting.schema.json is stale: run `assemble schema > data/meeting.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&shipped).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut samples = 0;
    let folders = ["data/fvg", "data/amn"];
    for entry in folders
        .iter()
        .flat_map(|f| std::fs::read_dir(repo().join(f)).unwrap().flatten())
    {
        // An organ's house-style file (husstil.toml) is not a meeting file.
        if entry.path().extension().is_some_and(|e| e == "toml")
            && entry.file_name() != "husstil.toml"
        {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                text.starts_with("#:schema ../meeting.schema.json"),
                "{:?} names its schema",
                entry.path()
            );
            let json = to_json(text.parse::<toml::Table>().unwrap().into());
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{:?}: {errors:?}", entry.path());
            samples += 1;
        }
    }
    assert!(samples >= 3, "both kinds of sample are checked");
    let minimal =
        std::fs::read_to_string(repo().join("tests/fixtures/minimal/meeting.toml")).unwrap();
    let wrong = minimal.replace("title = \"Mötets öppnande\"", "titel = \"Mötets öppnande\"");
    let json = to_json(wrong.parse::<toml::Table>().unwrap().into());
    assert!(!validator.is_valid(&json), "an unknown key is rejected");
    let namnd = std::fs::read_to_string(repo().join("data/amn/2020-04-21.toml")).unwrap();
    let wrong = namnd.replace("beslutsgang = ", "beslutsgng = ");
    let json = to_json(wrong.parse::<toml::Table>().unwrap().into());
    assert!(
        !validator.is_valid(&json),
        "an unknown key in a nämnd file is rejected"
    );
    let wrong = namnd.replace("kind = \"namnd\"", "kind = \"fvg\"");
    let json = to_json(wrong.parse::<toml::Table>().unwrap().into());
    assert!(
        !validator.is_valid(&json),
        "a nämnd file is not an FVG file"
    );
}

/// TOML → JSON as editors see it: dates become strings.
fn to_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => s.into(),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => f.into(),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a.into_iter().map(to_json).collect(),
        toml::Value::Table(t) => t
            .into_iter()
            .map(|(k, v)| (k, to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

/// The page of the organisation's footer is the organisation's choice: the next meeting
/// keeps `footer_on` (and says nothing when the previous one kept the default).
#[test]
fn the_next_meeting_keeps_where_the_footer_stands() {
    let (_, text) = new_from("2020-09-17", "2020-10-15");
    assert!(!text.contains("footer_on"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo().join("data/fvg/2020-09-17.toml")).unwrap();
    let with = sample.replacen(
        "web = \"stockholm.se\"\n",
        "web = \"stockholm.se\"\nfooter_on = \"first-page\"\n",
        1,
    );
    assert_ne!(with, sample, "the sample's [organisation] changed");
    std::fs::write(dir.path().join("prev.toml"), with).unwrap();
    let out = assemble(
        dir.path(),
        &[
            "new",
            "--from",
            "prev.toml",
            "--date",
            "2020-10-15",
            "-o",
            "next.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let next = std::fs::read_to_string(dir.path().join("next.toml")).unwrap();
    let organisation = &next[next.find("[organisation]").unwrap()..];
    let organisation = &organisation[..organisation.find("\n[").unwrap()];
    assert!(
        organisation.contains("footer_on = \"first-page\""),
        "{organisation}"
    );
}

/// `new` dropped the `#:schema` line, which switches off the editor's completion and
/// checking: the next meeting (FVG and nämnd) keeps it, first.
#[test]
fn new_keeps_the_schema_directive_of_the_previous_meeting() {
    let (_dir, fvg) = new_from("2020-09-17", "2020-10-15");
    assert!(
        fvg.starts_with("#:schema ../meeting.schema.json\n"),
        "{fvg}"
    );
    let (_dir, namnd) = new_namnd(&repo().join("data/amn/2020-04-21.toml"), "2020-05-19");
    assert!(
        namnd.starts_with("#:schema ../meeting.schema.json\n"),
        "{namnd}"
    );
}

/// `new --from` wrote a member with skyddad identitet without her `sekretess`: her name would
/// have been published at the next meeting. Nämnd members and FVG people alike keep it.
#[test]
fn new_from_keeps_a_persons_sekretess() {
    let fixture = repo().join("tests/fixtures/scaffold/sekretess-person");
    let (_dir, text) = new_namnd(&fixture.join("amn/2020-04-21.toml"), "2020-05-19");
    assert!(
        text.contains(r#"{ name = "Lena Strand", party = "M", sekretess = "skyddad identitet" }"#),
        "{text}"
    );
    let (_dir, text) = new_namnd(&fixture.join("fvg/2020-09-17.toml"), "2020-10-15");
    assert!(
        text.contains(
            r#"{ name = "Helen Saeidpour", union = "SSR", sekretess = "skyddad identitet" }"#
        ),
        "{text}"
    );
}

/// `new` kept only the `#:schema` line: every comment the secretary wrote was lost at each
/// meeting. Comments beside what carries over unchanged (a key, a table's header, the end of
/// a key's line) are kept; those beside what changed (the date) or does not carry over (the
/// § and their texts) stay behind; the new file checks as a draft.
#[test]
fn new_keeps_the_secretarys_comments_that_still_apply() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo().join("data/amn/2020-04-21.toml")).unwrap();
    let commented = sample
        .replacen(
            "sekreterare = \"Malin Grönkvist\"",
            "# Vikarie under våren, se delegationsordningen.\nsekreterare = \"Malin Grönkvist\"",
            1,
        )
        .replacen(
            "[organisation]\nname = \"Stockholms stad\"",
            "# Som på kommunens webb.\n[organisation]\nname = \"Stockholms stad\"  # i sidhuvudet",
            1,
        )
        .replacen(
            "date = 2020-04-21",
            "date = 2020-04-21  # flyttat från den 14 april",
            1,
        )
        .replacen(
            "[[paragraf]]",
            "# Ordföranden öppnade tio minuter sent.\n[[paragraf]]",
            1,
        );
    assert_ne!(commented, sample);
    std::fs::write(dir.path().join("2020-04-21.toml"), &commented).unwrap();
    let (next_dir, next) = new_namnd(&dir.path().join("2020-04-21.toml"), "2020-05-19");
    for kept in [
        "# Vikarie under våren, se delegationsordningen.\nsekreterare = \"Malin Grönkvist\"",
        "# Som på kommunens webb.\n[organisation]",
        "name = \"Stockholms stad\"  # i sidhuvudet",
    ] {
        assert!(next.contains(kept), "{kept:?} kept:\n{next}");
    }
    for left in ["flyttat från den 14 april", "tio minuter sent"] {
        assert!(!next.contains(left), "{left:?} stays behind:\n{next}");
    }
    assert!(
        next.starts_with("#:schema ../meeting.schema.json\n"),
        "{next}"
    );
    let out = assemble(next_dir.path(), &["check", "next.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
