//! Issue 27 for the FVG protocol (the other meeting kind): the justering as data, the
//! "Justerat digitalt" block, and rättelse as a new version with the justerat original kept
//! byte for byte — the same rules and the same code as a nämnd's (`justering.rs`), on FVG
//! fixtures of their own.

use crate::common::*;
use crate::justering::{
    assert_original_kept_once_signed, assert_said_at, assert_valid_record, assert_versions_listed,
    build_out, check_edited, edited, json, line_of, problems, swap, without_page_furniture,
};

const BLOCK: [&str; 4] = [
    "Justerat digitalt",
    "Protokollet har justerats digitalt genom Kommunens e-sigill, referens ES-2020-0918-7.",
    "Karina Uddén, ordförande, den 18 september 2020 kl. 08:30",
    "Anna Gräslund, justerare, den 18 september 2020 kl. 09:05",
];

#[test]
fn an_fvg_protocol_justerat_digitally_prints_its_block_in_place_of_the_lines_for_ink() {
    let dir = fixture("fvg-justering-digital");
    let all = pages(&build(dir.path())).join(" ");
    let mut expected = vec![
        // The agreed time and place, as for a nämnd.
        "Justering",
        "fredag den 18 september 2020 kl. 08:00, Livdjursgatan 4",
        "Justerat den 18 september 2020",
        "Niklas Malmström, sekreterare",
    ];
    expected.extend(BLOCK);
    expected.push("§ 1");
    assert_in_order(&all, &expected);
    // No line for ink beside the block: each signer is named once, in it.
    assert_eq!(all.matches("Anna Gräslund, justerare").count(), 1, "{all}");
    // On paper (no [justering]), the lines for ink as always.
    let paper = fixture("minimal");
    let all = pages(&build(paper.path())).join(" ");
    assert!(!all.contains("Justerat digitalt"), "{all}");
    assert_in_order(
        &all,
        &["Karina Uddén, ordförande", "Anna Gräslund, justerare"],
    );
}

#[test]
fn an_fvg_digital_justering_block_keeps_the_protocol_pdf_ua() {
    if crate::conformance::validator().is_none() {
        return;
    }
    let dir = fixture("fvg-justering-digital");
    crate::conformance::assert_conforms(&build(dir.path()));
}

#[test]
fn the_fvg_record_names_how_and_by_whom_the_protocol_was_justerat() {
    let dir = fixture("fvg-justering-digital");
    build(dir.path());
    let record = json(&dir.path().join("out.json"));
    assert_valid_record(&record);
    let j = &record["meeting"]["justering"];
    assert_eq!(
        (&j["satt"], &j["tjanst"], &j["referens"]),
        (
            &serde_json::json!("digitalt"),
            &serde_json::json!("Kommunens e-sigill"),
            &serde_json::json!("ES-2020-0918-7")
        )
    );
    let signers: Vec<String> = j["signaturer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{} {} {}", s["person_id"], s["roll"], s["time"]))
        .collect();
    assert_eq!(
        signers,
        [
            "\"karina-udden\" \"ordförande\" \"2020-09-18T08:30\"",
            "\"anna-graslund\" \"justerare\" \"2020-09-18T09:05\"",
        ]
    );
    let persons = record["persons"].as_array().unwrap();
    for id in ["karina-udden", "anna-graslund"] {
        assert!(persons.iter().any(|p| p["id"] == id), "{id} in {persons:?}");
    }
}

#[test]
fn an_fvg_signer_who_is_neither_ordförande_nor_justerare_is_an_error_naming_who_may_sign() {
    let (code, said, text) = check_edited("fvg-justering-digital", |t| {
        swap(
            t,
            "name = \"Anna Gräslund\"\ndate",
            "name = \"Carl Korch\"\ndate",
        )
    });
    assert_eq!(code, Some(1), "{said:?}");
    // The signer's line, not the attendance's (`{ name = "Carl Korch", … }`).
    let line = text
        .lines()
        .position(|l| l == "name = \"Carl Korch\"")
        .unwrap() as u64
        + 1;
    let message = "`Carl Korch` is neither the ordförande nor a justerare";
    assert_said_at(
        &said,
        "error",
        line,
        message,
        &["Karina Uddén, Anna Gräslund"],
    );
    // The nämnd's rule (kommunallagen) is not cited for an FVG protocol.
    assert!(!said.iter().any(|s| s.contains("KL ")), "{said:?}");
    // A digital justering names its service, as a nämnd's does.
    let (code, said, text) = check_edited("fvg-justering-digital", |t| {
        swap(
            t,
            "tjanst = \"Kommunens e-sigill\"\nreferens = \"ES-2020-0918-7\"\n",
            "",
        )
    });
    assert_eq!(code, Some(1), "{said:?}");
    let line = line_of(&text, "satt = \"digitalt\"");
    let message = "a digital justering names its signing service";
    assert_said_at(&said, "error", line, message, &["tjanst"]);
}

// ---------------------------------------------------------------------------
// Rättelse.
// ---------------------------------------------------------------------------

const NOTE: &str = "Rättelse den 25 september 2020: § 2 ändrades från ”föredorg” till \
                    ”föredrog” (skrivfel). Rättelsen beslutades av ordföranden Karina Uddén.";

#[test]
fn an_fvg_rattelse_leaves_the_justerat_original_byte_for_byte_even_once_it_was_signed() {
    assert_original_kept_once_signed("fvg-rattelse");
}

#[test]
fn the_corrected_fvg_version_differs_from_the_original_only_at_the_corrected_place_and_its_notes() {
    let dir = fixture("fvg-rattelse");
    build_out(dir.path());
    let original = pages(&dir.path().join("out/meeting.pdf"));
    let corrected = pages(&dir.path().join("out/meeting-rattelse-1.pdf"));
    let original_text = original.join(" ");
    assert!(!original_text.contains("Rättelse"), "{original_text}");
    // The note on page 1, under the justering, and at the end of § 2.
    assert_in_order(&corrected[0], &["Justerat den 18 september 2020", NOTE]);
    let all = corrected.join(" ");
    assert_in_order(
        &all,
        &[
            "§ 2. Nämndärenden",
            "Förvaltningschef föredrog ärendet.",
            NOTE,
            "§ 3.",
        ],
    );
    assert_eq!(all.matches(NOTE).count(), 2, "{all}");
    let furniture = ["Arbetsmarknadsförvaltningen", "Protokoll FVG 2020-09-17"];
    let expected =
        without_page_furniture(&original_text.replace("föredorg", "föredrog"), &furniture);
    let got = without_page_furniture(&all.replace(NOTE, " "), &furniture);
    assert_eq!(got, expected);
}

#[test]
fn the_fvg_record_and_bundle_list_both_versions_with_their_checksums() {
    let dir = fixture("fvg-rattelse");
    let out = assemble(
        dir.path(),
        &["meeting.toml", "-o", "out/meeting.pdf", "--bundle"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let record = assert_versions_listed(dir.path());
    let r = &record["rattelser"][0];
    assert_eq!(
        format!(
            "{} {} {} {} {}",
            r["date"], r["paragraf"], r["fore"], r["efter"], r["beslutad_av"]
        ),
        "\"2020-09-25\" 2 \"föredorg\" \"föredrog\" \"ordföranden Karina Uddén\""
    );
    // The record is of the protocol as it stands.
    let p2 = record["agenda_items"][1].to_string();
    assert!(p2.contains("föredrog") && !p2.contains("föredorg"), "{p2}");
    let verified = assemble(dir.path(), &["verify", "out/meeting.zip"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    let file = std::fs::File::open(dir.path().join("out/meeting.zip")).unwrap();
    let zip = zip::ZipArchive::new(file).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    for name in ["meeting.pdf", "meeting-rattelse-1.pdf"] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
}

#[test]
fn an_fvg_rattelse_of_what_a_party_said_is_warned_of_and_a_slip_is_not() {
    let dir = fixture("fvg-rattelse");
    let (code, said) = problems(dir.path());
    assert_eq!(code, Some(0), "{said:?}");
    assert!(!said.iter().any(|s| s.contains("rättelse")), "{said:?}");
    // A party's statement is what both sides justerade: more than a slip is warned of.
    let (_, said, text) = check_edited("fvg-rattelse", |t| {
        let t = swap(t, "fore = \"föredorg\"", "fore = \"ett särskilt yttrande\"");
        swap(t, "efter = \"föredrog\"", "efter = \"en reservation\"")
    });
    let line = line_of(&text, "efter = \"en reservation\"");
    let message = "the rättelse changes the wording of what § 2 records the parties saying (its `item.said.text`)";
    assert_said_at(
        &said,
        "warning",
        line,
        message,
        &["förvaltningslagen (2017:900) 36 §"],
    );
}

#[test]
fn an_fvg_rattelse_whose_before_text_is_not_in_its_paragraf_or_of_a_draft_is_an_error() {
    let (code, said, text) = check_edited("fvg-rattelse", |t| {
        swap(t, "fore = \"föredorg\"", "fore = \"tackade\"")
    });
    assert_eq!(code, Some(1), "{said:?}");
    let line = line_of(&text, "fore = \"tackade\"");
    assert_said_at(&said, "error", line, "§ 2 does not say `tackade`", &[]);
    let (code, said, _) = check_edited("fvg-rattelse", |t| swap(t, "justerad = 2020-09-18\n", ""));
    assert_eq!(code, Some(1), "{said:?}");
    assert!(
        said.iter().any(|s| s.contains("this one is not justerat")),
        "{said:?}"
    );
}

#[test]
fn the_fvg_web_edition_is_of_the_corrected_version_and_a_withheld_paragraf_hides_its_rattelse() {
    let dir = fixture("fvg-rattelse");
    let out = assemble(dir.path(), &["publish", "meeting.toml", "-o", "webb.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let all = pages(&dir.path().join("webb.pdf")).join(" ");
    assert_in_order(&all, &[NOTE, "Förvaltningschef föredrog ärendet.", NOTE]);
    // § 2 withheld: the notice stands for what the rättelse quotes of it.
    let dir = edited("fvg-rattelse", |t| {
        swap(
            t,
            "title = \"Nämndärenden\"\n",
            "title = \"Nämndärenden\"\nsekretess = \"OSL 39 kap. 3 §\"\n",
        )
    });
    let out = assemble(dir.path(), &["publish", "meeting.toml", "-o", "webb.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let all = pages(&dir.path().join("webb.pdf")).join(" ");
    assert!(all.contains("Rättelse den 25 september 2020: § 2"), "{all}");
    assert!(
        !all.contains("föredorg") && !all.contains("föredrog"),
        "{all}"
    );
}

#[test]
fn a_personnummer_in_an_fvg_rattelse_refuses_the_web_edition() {
    let dir = edited("fvg-rattelse", |t| {
        swap(
            t,
            "efter = \"föredrog\"",
            "efter = \"föredrog (811218-9876)\"",
        )
    });
    let out = assemble(dir.path(), &["publish", "meeting.toml", "-o", "webb.pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("personnummer (811218-XXXX)"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("webb.pdf").exists());
}
