//! Issue 27: the justering as data (on paper, or digitally through a named service, who
//! signed in which role and when) and rättelse (a corrected protocol is a new version; the
//! justerat original stays byte for byte). Every test runs the binary on its own fixture and
//! reads the PDF, the record or the check's JSON back.

use std::path::Path;

use crate::common::*;

/// The fixture `name` with `edit` applied to its meeting file.
pub(crate) fn edited(name: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = fixture(name);
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    dir
}

/// `text` with `from` (which must occur) replaced once.
pub(crate) fn swap(text: String, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is in the fixture");
    text.replacen(from, to, 1)
}

/// The line (from 1) of the first line of `text` containing `needle`.
pub(crate) fn line_of(text: &str, needle: &str) -> u64 {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is in the file")) as u64
        + 1
}

/// The check's problems as "severity:line message".
pub(crate) fn problems(dir: &Path) -> (Option<i32>, Vec<String>) {
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

/// The check of fixture `name` with `edit` applied: (exit code, its problems as
/// [`problems`] gives them, the edited meeting file's text).
pub(crate) fn check_edited(
    name: &str,
    edit: impl Fn(String) -> String,
) -> (Option<i32>, Vec<String>, String) {
    let dir = edited(name, edit);
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let (code, said) = problems(dir.path());
    (code, said, text)
}

/// Asserts that a problem of `said` is "`severity`:`line` `message`…" at the line `line`
/// and holds each of `also` (in its message or hint).
pub(crate) fn assert_said_at(
    said: &[String],
    severity: &str,
    line: u64,
    message: &str,
    also: &[&str],
) {
    let start = format!("{severity}:{line} {message}");
    assert!(
        said.iter()
            .any(|s| s.starts_with(&start) && also.iter().all(|a| s.contains(a))),
        "`{start}` with {also:?} not in {said:?}"
    );
}

pub(crate) fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

pub(crate) fn assert_valid_record(record: &serde_json::Value) {
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

// ---------------------------------------------------------------------------
// 2. Rättelse: a new version; the justerat original stays byte for byte.
// ---------------------------------------------------------------------------

const NOTE: &str = "Rättelse den 4 maj 2020: § 34 ändrades från ”vägledningstjäsnter” till \
                    ”vägledningstjänster” (skrivfel). Rättelsen beslutades av ordföranden Anna Berg.";

/// The `rattelse` fixture without its `[[rattelse]]`: the protocol as justerat.
pub(crate) fn without_rattelse(text: String) -> String {
    let at = text
        .find("\n[[rattelse]]")
        .expect("the fixture has a rättelse");
    text[..at + 1].to_string()
}

pub(crate) fn sha256(path: &Path) -> String {
    use sha2::Digest;
    let bytes = std::fs::read(path).unwrap();
    format!("{:x}", sha2::Sha256::digest(&bytes))
}

/// Builds `meeting.toml` in `dir` into `dir/out/meeting.pdf`; panics on failure.
pub(crate) fn build_out(dir: &Path) -> String {
    let out = assemble(dir, &["meeting.toml", "-o", "out/meeting.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

/// A protocol's text without what moves with the page breaks — `furniture` (the running
/// header, the footnote at a page's foot) and "Sida X (Y)" — as a version may break its
/// pages elsewhere.
pub(crate) fn without_page_furniture(text: &str, furniture: &[&str]) -> String {
    let mut text = text.to_string();
    for furniture in furniture {
        text = text.replace(furniture, " ");
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Sida ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find(')').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    fold(&out)
}

#[test]
fn a_rattelse_leaves_the_justerat_original_byte_for_byte_even_once_it_was_signed() {
    assert_original_kept_once_signed("rattelse");
}

/// Fixture `name` (with a `[[rattelse]]`) built without its rättelser, the original then
/// "signed", then built with them: the original keeps its bytes, the version is made, and a
/// build again makes neither anew. For either kind.
pub(crate) fn assert_original_kept_once_signed(name: &str) {
    let dir = fixture(name);
    let meeting = dir.path().join("meeting.toml");
    let with = std::fs::read_to_string(&meeting).unwrap();
    std::fs::write(&meeting, without_rattelse(with.clone())).unwrap();
    build_out(dir.path());
    let original = dir.path().join("out/meeting.pdf");
    // Signed after building: a signature is an incremental update, bytes appended.
    let mut signed = std::fs::read(&original).unwrap();
    signed.extend_from_slice(b"\n% an incremental update: a signature\n%%EOF\n");
    std::fs::write(&original, &signed).unwrap();
    let before = sha256(&original);

    std::fs::write(&meeting, &with).unwrap();
    let said = build_out(dir.path());
    assert_eq!(sha256(&original), before, "the original was rewritten");
    let version = dir.path().join("out/meeting-rattelse-1.pdf");
    assert!(version.exists(), "{said}");
    // The original is what the file gives as justerat: nothing to warn about.
    assert!(!said.contains("is not the protocol"), "{said}");
    // Built again: neither file is made again.
    let first = sha256(&version);
    build_out(dir.path());
    assert_eq!((sha256(&original), sha256(&version)), (before, first));
}

#[test]
fn an_original_that_is_not_what_the_file_gives_is_kept_with_a_warning() {
    let dir = fixture("rattelse");
    build_out(dir.path());
    let original = dir.path().join("out/meeting.pdf");
    std::fs::write(&original, b"%PDF-1.7 not what was built").unwrap();
    let said = build_out(dir.path());
    assert_eq!(
        std::fs::read(&original).unwrap(),
        b"%PDF-1.7 not what was built"
    );
    assert!(
        said.contains("`meeting.pdf` is not the protocol the meeting file gives as justerat"),
        "{said}"
    );
}

#[test]
fn the_corrected_version_differs_from_the_original_only_at_the_corrected_place_and_its_notes() {
    let dir = fixture("rattelse");
    build_out(dir.path());
    let original = pages(&dir.path().join("out/meeting.pdf"));
    let corrected = pages(&dir.path().join("out/meeting-rattelse-1.pdf"));
    let original_text = original.join(" ");
    assert!(!original_text.contains("Rättelse"), "{original_text}");
    assert!(original_text.contains("vägledningstjäsnter"));
    // The note on page 1, under the justering, and at the end of § 34.
    assert_in_order(
        &corrected[0],
        &["Protokollet justerades den 24 april 2020", NOTE],
    );
    let all = corrected.join(" ");
    assert_in_order(
        &all,
        &[
            "§ 34 Upphandling",
            "Ledamoten Erik Falk (L) anmälde jäv",
            NOTE,
            "§ 35",
        ],
    );
    assert_eq!(all.matches(NOTE).count(), 2, "{all}");
    // Everything else is the original's, the slip corrected.
    let furniture = [
        "Arbetsmarknadsnämnden Protokoll AMN 2020-04-21",
        "1 Jobbtorg Stockholm har i dag tolv kontor.",
    ];
    let expected = without_page_furniture(
        &original_text.replace("vägledningstjäsnter", "vägledningstjänster"),
        &furniture,
    );
    let got = without_page_furniture(&all.replace(NOTE, " "), &furniture);
    assert_eq!(got, expected);
}

#[test]
fn a_corrected_version_is_pdf_ua_and_the_bundle_keeps_both_versions() {
    let dir = fixture("rattelse");
    let out = assemble(
        dir.path(),
        &["meeting.toml", "-o", "out/meeting.pdf", "--bundle"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<String> = {
        let file = std::fs::File::open(dir.path().join("out/meeting.zip")).unwrap();
        let zip = zip::ZipArchive::new(file).unwrap();
        zip.file_names().map(|n| n.unwrap().to_string()).collect()
    };
    for name in ["meeting.pdf", "meeting-rattelse-1.pdf"] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    let verified = assemble(dir.path(), &["verify", "out/meeting.zip"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    if crate::conformance::validator().is_some() {
        crate::conformance::assert_conforms(&dir.path().join("out/meeting-rattelse-1.pdf"));
    }
}

#[test]
fn the_record_lists_the_versions_with_their_checksums_and_the_rattelse() {
    let dir = fixture("rattelse");
    build_out(dir.path());
    let record = assert_versions_listed(dir.path());
    let r = &record["rattelser"][0];
    assert_eq!(
        (
            &r["date"],
            &r["paragraf"],
            &r["fore"],
            &r["efter"],
            &r["beslutad_av"]
        ),
        (
            &serde_json::json!("2020-05-04"),
            &serde_json::json!(34),
            &serde_json::json!("vägledningstjäsnter"),
            &serde_json::json!("vägledningstjänster"),
            &serde_json::json!("ordföranden Anna Berg"),
        )
    );
    // The record is of the protocol as it stands: § 34 as corrected.
    let p34 = record["agenda_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["number"] == 34)
        .unwrap()
        .to_string();
    assert!(
        p34.contains("vägledningstjänster.") && !p34.contains("tjäsnter"),
        "{p34}"
    );
}

/// The record `out/meeting.json` in `dir`, valid, listing the original and version 1 with
/// the SHA-256 of each file as it is in `out/`.
pub(crate) fn assert_versions_listed(dir: &Path) -> serde_json::Value {
    let record = json(&dir.join("out/meeting.json"));
    assert_valid_record(&record);
    let versions = record["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{versions:?}");
    for (n, (v, file)) in versions
        .iter()
        .zip(["meeting.pdf", "meeting-rattelse-1.pdf"])
        .enumerate()
    {
        assert_eq!(v["version"], n);
        assert_eq!(v["file"], file);
        assert_eq!(v["sha256"], sha256(&dir.join("out").join(file)).as_str());
    }
    record
}

#[test]
fn an_extract_of_a_corrected_paragraf_is_of_the_corrected_text_with_its_note() {
    let dir = fixture("rattelse");
    let out = assemble(
        dir.path(),
        &["extract", "meeting.toml", "-p", "34", "-o", "p34.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let all = pages(&dir.path().join("p34.pdf")).join(" ");
    assert_in_order(
        &all,
        &["förfrågningsunderlag för vägledningstjänster.", NOTE],
    );
}

#[test]
fn a_slip_corrected_outside_a_decision_checks_without_a_warning() {
    let dir = fixture("rattelse");
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(0), "{said:?}");
    assert!(!said.iter().any(|s| s.contains("rättelse")), "{said:?}");
}

#[test]
fn a_rattelse_that_changes_a_beslut_is_warned_of_citing_fl_36() {
    let dir = edited("rattelse", |t| {
        let t = swap(
            t,
            "fore = \"vägledningstjäsnter\"",
            "fore = \"godkänna förfrågningsunderlaget\"",
        );
        swap(
            t,
            "efter = \"vägledningstjänster\"",
            "efter = \"avslå förfrågningsunderlaget\"",
        )
    });
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let (_, said) = problems(dir.path());
    let line = line_of(&text, "efter = \"avslå");
    assert!(
        said.iter().any(|s| s.starts_with(&format!(
            "warning:{line} the rättelse changes the wording of what § 34 decided (its `beslut`)"
        )) && s.contains("förvaltningslagen (2017:900) 36 §")),
        "{said:?}"
    );
    // A number in a beslut is a decision too, however small the edit.
    let dir = edited("rattelse", |t| {
        let t = swap(
            t,
            "beslutade att godkänna förfrågningsunderlaget.",
            "beslutade att godkänna förfrågningsunderlaget för 2020.",
        );
        let t = swap(t, "fore = \"vägledningstjäsnter\"", "fore = \"för 2020\"");
        swap(t, "efter = \"vägledningstjänster\"", "efter = \"för 2021\"")
    });
    let (_, said) = problems(dir.path());
    assert!(
        said.iter()
            .any(|s| s.contains("changes the wording of what § 34 decided")),
        "{said:?}"
    );
}

#[test]
fn a_rattelse_whose_before_text_is_not_at_its_place_is_an_error_at_fore() {
    // In the meeting, but in another §.
    let dir = edited("rattelse", |t| {
        swap(
            t,
            "fore = \"vägledningstjäsnter\"",
            "fore = \"ungdomstorg\"",
        )
    });
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    let line = line_of(&text, "fore = \"ungdomstorg\"");
    assert!(
        said.iter()
            .any(|s| s.starts_with(&format!("error:{line} § 34 does not say `ungdomstorg`"))),
        "{said:?}"
    );
    // More than once in the §: which one is meant cannot be told.
    let dir = edited("rattelse", |t| {
        swap(t, "fore = \"vägledningstjäsnter\"", "fore = \"för\"")
    });
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    assert!(
        said.iter()
            .any(|s| s.contains("§ 34 says `för`") && s.contains("times")),
        "{said:?}"
    );
    // A § the meeting does not have.
    let dir = edited("rattelse", |t| swap(t, "paragraf = 34", "paragraf = 44"));
    let text = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let (_, said) = problems(dir.path());
    let line = line_of(&text, "paragraf = 44");
    assert!(
        said.iter()
            .any(|s| s.starts_with(&format!("error:{line} the meeting has no § 44"))),
        "{said:?}"
    );
}

#[test]
fn a_rattelse_of_a_draft_or_before_the_justering_is_an_error() {
    let dir = edited("rattelse", |t| swap(t, "justerad = 2020-04-24\n", ""));
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    assert!(
        said.iter().any(|s| s.contains("this one is not justerat")),
        "{said:?}"
    );
    let dir = edited("rattelse", |t| {
        swap(t, "date = 2020-05-04", "date = 2020-04-22")
    });
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(1), "{said:?}");
    assert!(
        said.iter()
            .any(|s| s.contains("dated before the justering (2020-04-24)")),
        "{said:?}"
    );
}

#[test]
fn the_site_shows_the_rattelse_and_the_protocol_as_corrected() {
    let dir = fixture("rattelse");
    let out = dir.path().join("site");
    crate::site::site(dir.path(), &["meeting.toml"], &out);
    let page = walk_html(&out)
        .into_iter()
        .find(|(_, html)| html.contains("<h2>Rättelser</h2>"))
        .map(|(_, html)| html)
        .expect("a meeting page lists the rättelse");
    assert!(
        page.contains("Rättelse den 4 maj 2020: <a href=\"#p34\">§ 34</a> ändrades från ”vägledningstjäsnter” till ”vägledningstjänster” (skrivfel). Rättelsen beslutades av ordföranden Anna Berg."),
        "{page}"
    );
    // The § as it reads now.
    assert!(
        page.contains("förfrågningsunderlag för vägledningstjänster."),
        "{page}"
    );
}

/// Every HTML page below `root`, with its text.
fn walk_html(root: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out
}
