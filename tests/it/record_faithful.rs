//! Issue 21: the record (JSON) says what the protocol says — made from the validated model
//! alone, it keeps förhinder ledamöter and ersättare apart and has the omedelbar justering
//! point the protocol adds, numbered as the PDF numbers it. Each test builds its own fixture
//! with the binary and reads the JSON and the PDF back.

use std::path::Path;

use serde_json::Value;

use crate::common::*;

fn record(json: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap()
}

/// The role of the person named `name` in the record's memberships.
fn role_of(rec: &Value, name: &str) -> String {
    let id = rec["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} is a person of the record"))["id"]
        .clone();
    let m = rec["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person_id"] == id)
        .unwrap();
    m["role"].as_str().unwrap().to_string()
}

#[test]
fn forhinder_ledamoter_and_ersattare_keep_their_roles_in_the_record() {
    let dir = fixture("record-forhinder");
    let pdf = build(dir.path());
    let first = &pages(&pdf)[0];
    assert!(
        first.contains("Förhinder hade anmälts av ledamöterna Omar Ali (V), Rut Persson (L) samt ersättarna Bo Alm (S), Cia Berg (MP)."),
        "{first}"
    );
    let rec = record(&dir.path().join("out.json"));
    for name in ["Omar Ali", "Rut Persson"] {
        assert_eq!(role_of(&rec, name), "ledamot med förhinder", "{name}");
    }
    for name in ["Bo Alm", "Cia Berg"] {
        assert_eq!(role_of(&rec, name), "ersättare med förhinder", "{name}");
    }
    assert_eq!(role_of(&rec, "Lars Ström"), "ledamot");
    // The tjänstgörande ersättare replaces a ledamot who sent word: by id.
    let sara = rec["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "tjänstgörande ersättare")
        .unwrap();
    assert_eq!(sara["replaces"], "omar-ali", "{sara}");

    // One list says no seat: the record does not invent one.
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let split = "forhinder_ledamoter = [{ name = \"Omar Ali\", party = \"V\" }, { name = \"Rut Persson\", party = \"L\" }]\nforhinder_ersattare = [";
    assert!(text.contains(split));
    std::fs::write(
        &path,
        text.replace(
            split,
            "forhinder = [{ name = \"Omar Ali\", party = \"V\" }, { name = \"Rut Persson\", party = \"L\" }, ",
        ),
    )
    .unwrap();
    build(dir.path());
    let rec = record(&dir.path().join("out.json"));
    for name in ["Omar Ali", "Rut Persson", "Bo Alm", "Cia Berg"] {
        assert_eq!(role_of(&rec, name), "förhinder", "{name}");
    }
}

/// The decisions of § `number` in a record.
fn decisions(rec: &Value, number: u64) -> Vec<String> {
    rec["agenda_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["number"] == number)
        .unwrap()["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_omedelbar_point_the_protocol_adds_is_in_the_records_decisions_as_the_pdf_numbers_it() {
    let dir = fixture("record-omedelbar");
    let all = pages(&build(dir.path())).join(" ");
    let official = record(&dir.path().join("out.json"));
    let out = assemble(dir.path(), &["publish", "meeting.toml", "-o", "web.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let web = record(&dir.path().join("web.json"));

    let p2 = &all[all.find("§ 2 Kulturstöd").unwrap()..all.find("§ 3 Lokaler").unwrap()];
    let p3 = &all[all.find("§ 3 Lokaler").unwrap()..];
    for rec in [&official, &web] {
        // § 2: two points of the file, then the one the protocol adds.
        let d2 = decisions(rec, 2);
        assert_eq!(d2.len(), 3, "{d2:?}");
        assert_eq!(
            d2[2],
            "Kulturnämnden beslutade att justera paragrafen omedelbart."
        );
        // § 3 says it in its own point: nothing is added.
        let d3 = decisions(rec, 3);
        assert_eq!(d3.len(), 2, "{d3:?}");
        // Each as the PDF numbers it: same text, same number.
        for (section, list) in [(p2, &d2), (p3, &d3)] {
            for (k, d) in list.iter().enumerate() {
                let numbered = format!("{}. {d}", k + 1);
                assert!(section.contains(&numbered), "`{numbered}` in {section}");
            }
            let beyond = format!("{}. ", list.len() + 1);
            assert!(!section.contains(&beyond), "no point beyond: {section}");
        }
    }
}
