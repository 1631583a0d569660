//! Issue 27: the justering as data (on paper, or digitally through a named service, who
//! signed in which role and when) and rättelse (a corrected protocol is a new version; the
//! justerat original stays byte for byte). Every test runs the binary on its own fixture and
//! reads the PDF, the record or the check's JSON back.

use std::path::Path;

use crate::common::*;

/// The fixture `name` with `edit` applied to its meeting file.
fn edited(name: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = fixture(name);
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    dir
}

/// `text` with `from` (which must occur) replaced once.
fn swap(text: String, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is in the fixture");
    text.replacen(from, to, 1)
}

/// The line (from 1) of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is in the file")) as u64
        + 1
}

/// The check's problems as "severity:line message".
fn problems(dir: &Path) -> (Option<i32>, Vec<String>) {
    let (code, objects) = check_json(dir, "meeting.toml");
    let said = objects
        .iter()
        .map(|o| {
            format!(
                "{}:{} {} | {}",
                o["severity"].as_str().unwrap_or(""),
                o["line"],
                o["message"].as_str().unwrap_or(""),
                o["hint"].as_str().unwrap_or("")
            )
        })
        .collect();
    (code, said)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_valid_record(record: &serde_json::Value) {
    let schema = json(&repo().join("docs/protokoll-record.schema.json"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(record)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

// ---------------------------------------------------------------------------
// 1. The justering as data.
// ---------------------------------------------------------------------------

const BLOCK: [&str; 4] = [
    "Justerat digitalt",
    "Protokollet har justerats digitalt genom Netpublicator Sign, referens NPS-2020-0424-118.",
    "Anna Berg (S), ordförande, den 23 april 2020 kl. 16:02",
    "Per Holm (M), justerare, den 24 april 2020 kl. 09:12",
];

#[test]
fn a_digital_justering_prints_its_block_in_place_of_the_lines_for_ink() {
    let dir = fixture("justering-digital");
    let all = pages(&build(dir.path())).join(" ");
    let mut expected = vec!["Vid protokollet", "Lina Ek, sekreterare"];
    expected.extend(BLOCK);
    assert_in_order(&all, &expected);
    // The lines for ink are not printed beside it: nobody signs this PDF by hand.
    assert!(!all.contains("Justeras"), "{all}");
}

#[test]
fn a_digital_justering_is_stated_in_the_extract_of_a_paragraf_not_justerad_omedelbart() {
    let dir = fixture("justering-digital");
    let out = assemble(
        dir.path(),
        &["extract", "meeting.toml", "-p", "34", "-o", "p34.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let all = pages(&dir.path().join("p34.pdf")).join(" ");
    let mut expected = vec!["Protokollet justerades den 24 april 2020."];
    expected.extend(BLOCK);
    expected.push("Rätt utdraget intygar");
    assert_in_order(&all, &expected);
    // A § justerad omedelbart was justerad at the meeting, not by the signatures.
    let out = assemble(
        dir.path(),
        &["extract", "meeting.toml", "-p", "33", "-o", "p33.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let p33 = pages(&dir.path().join("p33.pdf")).join(" ");
    assert!(p33.contains("Paragrafen justerades omedelbart."), "{p33}");
    assert!(!p33.contains("Justerat digitalt"), "{p33}");
}

#[test]
fn a_digital_justering_block_keeps_the_protocol_and_extract_pdf_ua() {
    if crate::conformance::validator().is_none() {
        return;
    }
    let dir = fixture("justering-digital");
    let pdf = build(dir.path());
    crate::conformance::assert_conforms(&pdf);
    let out = assemble(
        dir.path(),
        &["extract", "meeting.toml", "-p", "34", "-o", "p34.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    crate::conformance::assert_conforms(&dir.path().join("p34.pdf"));
}

#[test]
fn a_paper_justering_keeps_the_lines_for_ink() {
    let dir = fixture("namnd");
    let all = pages(&build(dir.path())).join(" ");
    assert_in_order(
        &all,
        &[
            "Vid protokollet",
            "Lina Ek, sekreterare",
            "Justeras den 24 april 2020",
            "Anna Berg (S), ordförande",
            "Per Holm (M), justerare",
        ],
    );
    assert!(!all.contains("Justerat digitalt"), "{all}");
}

#[test]
fn a_nämnd_rewords_the_digital_justering_in_its_house_style() {
    let dir = edited("justering-digital", |t| {
        format!(
            "{t}\n[husstil.fraser]\njusterat_digitalt_rubrik = \"Elektroniskt justerat\"\n\
             justerat_digitalt = \"Signerat i {{tjanst}}{{referens}}.\"\n\
             signatur = \"{{roll}} {{namn}} {{datum}}\"\n"
        )
    });
    let all = pages(&build(dir.path())).join(" ");
    assert_in_order(
        &all,
        &[
            "Elektroniskt justerat",
            "Signerat i Netpublicator Sign, referens NPS-2020-0424-118.",
            "Ordförande Anna Berg (S) 23 april 2020",
            "Justerare Per Holm (M) 24 april 2020",
        ],
    );
}

#[test]
fn the_record_names_how_and_by_whom_the_protocol_was_justerat() {
    let dir = fixture("justering-digital");
    build(dir.path());
    let record = json(&dir.path().join("out.json"));
    assert_valid_record(&record);
    let j = &record["meeting"]["justering"];
    assert_eq!(j["satt"], "digitalt");
    assert_eq!(j["tjanst"], "Netpublicator Sign");
    assert_eq!(j["referens"], "NPS-2020-0424-118");
    let signers: Vec<(String, String, String)> = j["signaturer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["person_id"].as_str().unwrap().into(),
                s["roll"].as_str().unwrap().into(),
                s["time"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        signers,
        [
            (
                "anna-berg".into(),
                "ordförande".into(),
                "2020-04-23T16:02".into()
            ),
            (
                "per-holm".into(),
                "justerare".into(),
                "2020-04-24T09:12".into()
            ),
        ]
    );
    // Each signer is a person of the record.
    let persons = record["persons"].as_array().unwrap();
    for (id, _, _) in &signers {
        assert!(persons.iter().any(|p| p["id"] == id.as_str()), "{id}");
    }
    // Paper: said so, no service, no signers unless listed.
    let paper = fixture("namnd");
    build(paper.path());
    let record = json(&paper.path().join("out.json"));
    assert_valid_record(&record);
    assert_eq!(record["meeting"]["justering"]["satt"], "papper");
    assert_eq!(
        record["meeting"]["justering"]["tjanst"],
        serde_json::Value::Null
    );
}

#[test]
fn a_digital_justering_without_its_service_is_an_error_at_satt() {
    let dir = edited("justering-digital", |t| {
        swap(
            t,
            "tjanst = \"Netpublicator Sign\"\nreferens = \"NPS-2020-0424-118\"\n",
            "",
        )
    });
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    let line = line_of(&text, "satt = \"digitalt\"");
    assert!(
        said.iter().any(|s| s.starts_with(&format!(
            "error:{line} a digital justering names its signing service"
        )) && s.contains("tjanst")),
        "{said:?}"
    );
}

#[test]
fn a_service_named_for_a_paper_justering_is_an_error() {
    let dir = edited("justering-digital", |t| {
        swap(t, "satt = \"digitalt\"\n", "")
    });
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    let line = line_of(&text, "tjanst = ");
    assert!(
        said.iter()
            .any(|s| s.starts_with(&format!("error:{line} a signing service is named"))),
        "{said:?}"
    );
}

#[test]
fn a_signer_who_is_neither_ordförande_nor_justerare_is_an_error_naming_who_may_sign() {
    let dir = edited("justering-digital", |t| {
        swap(
            t,
            "name = \"Per Holm\"\ndate = 2020-04-24",
            "name = \"Lars Ström\"\ndate = 2020-04-24",
        )
    });
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    let line = line_of(&text, "name = \"Lars Ström\"");
    assert!(
        said.iter().any(|s| s.starts_with(&format!(
            "error:{line} `Lars Ström` is neither the ordförande nor a justerare"
        )) && s.contains("Anna Berg, Per Holm")),
        "{said:?}"
    );
}

#[test]
fn a_signature_before_the_meeting_or_after_justerad_is_an_error_at_its_date() {
    let dir = edited("justering-digital", |t| {
        let t = swap(
            t,
            "date = 2020-04-23\ntime = \"16:02\"",
            "date = 2020-04-20\ntime = \"16:02\"",
        );
        swap(
            t,
            "date = 2020-04-24\ntime = \"09:12\"",
            "date = 2020-04-27\ntime = \"09:12\"",
        )
    });
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    let before = line_of(&text, "date = 2020-04-20");
    let after = line_of(&text, "date = 2020-04-27");
    assert!(
        said.iter().any(|s| s.starts_with(&format!(
            "error:{before} signed before the meeting (2020-04-21)"
        ))),
        "{said:?}"
    );
    assert!(
        said.iter().any(|s| s.starts_with(&format!(
            "error:{after} signed after the day the file says the protocol was justerat (2020-04-24)"
        ))),
        "{said:?}"
    );
}

#[test]
fn a_signer_listed_twice_is_an_error() {
    let dir = edited("justering-digital", |t| {
        swap(
            t,
            "name = \"Per Holm\"\ndate = 2020-04-24",
            "name = \"Anna Berg\"\ndate = 2020-04-24",
        )
    });
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    assert!(
        said.iter().any(|s| s.contains("`Anna Berg` signs twice")),
        "{said:?}"
    );
}
