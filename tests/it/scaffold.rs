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
        if entry.path().extension().is_some_and(|e| e == "toml") {
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
