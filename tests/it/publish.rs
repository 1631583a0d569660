//! `assemble publish`: the web edition (marked text replaced by notices, the official
//! protocol unchanged), the guard against personnummer, and the record as data (JSON sidecars
//! valid against the shipped schema).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::*;

const MEETING: &str = "2020-04-21.toml";

/// A temporary copy of data/amn, with the fabricated meeting `2020-04-21.toml` in it.
fn amn() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    dir
}

/// Replaces `from` (which must occur) in `file` below `dir`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) -> String {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` is in {file}");
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

/// Publishes the meeting in `dir` to `webb.pdf` (and its sidecars); panics on failure.
fn publish(dir: &Path) -> PathBuf {
    let out = assemble(dir, &["publish", MEETING, "-o", "webb.pdf"]);
    assert!(out.status.success(), "publish failed:\n{}", stderr(&out));
    dir.join("webb.pdf")
}

/// Publishing must fail: exit 1, no web edition written. Returns stderr.
fn refused(dir: &Path) -> String {
    let out = assemble(dir, &["publish", MEETING, "-o", "webb.pdf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "exit 1:\n{err}");
    assert!(!dir.join("webb.pdf").exists(), "no web edition written");
    assert!(!dir.join("webb.json").exists(), "no record written");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn official(dir: &Path) -> String {
    let out = assemble(dir, &[MEETING, "-o", "official.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    pages(&dir.join("official.pdf")).join(" ")
}

#[test]
fn marked_spans_are_replaced_in_the_web_edition_and_kept_in_the_official() {
    let dir = amn();
    let web = pages(&publish(dir.path()));
    let all = web.join(" ");
    assert!(web[0].contains("Webbutgåva"), "{}", web[0]);
    assert!(
        web[0].contains("Skäl för borttagandet: personuppgift, OSL 26 kap. 1 §"),
        "{}",
        web[0]
    );
    for gone in [
        "Åsa Lind",
        "Ove Ek",
        "070-765",
        "enskild deltagare",
        "{sekretess",
        "{/sekretess",
    ] {
        assert!(
            !all.contains(gone),
            "`{gone}` is not in the web edition:\n{all}"
        );
    }
    assert_in_order(
        &all,
        &[
            "kontaktperson är [Uppgift borttagen: personuppgift]",
            "en fråga om [Uppgift borttagen enligt OSL 26 kap. 1 §]",
            "föreningens ordförande [Uppgift borttagen: personuppgift]",
        ],
    );
    let off = official(dir.path());
    assert_in_order(
        &off,
        &[
            "kontaktperson är Åsa Lind",
            "en fråga om en enskild deltagare vid Jobbtorg Skärholmen",
            "föreningens ordförande Ove Ek, telefon 070-765 43 21",
        ],
    );
    for never in ["sekretess:", "Uppgift borttagen", "Webbutgåva"] {
        assert!(
            !off.contains(never),
            "`{never}` is not in the official protocol"
        );
    }
}

/// A note first referred to inside a withheld span and again outside it is set at the
/// reference outside: the web edition leaves the span out, and the later reference still has
/// its note (the web edition failed with "label does not exist"); the official protocol
/// keeps both references to the one note.
#[test]
fn a_note_referred_to_inside_and_outside_a_withheld_span_stays_in_the_web_edition() {
    let dir = amn();
    edit(
        dir.path(),
        "2020-04-21/trappsteget.md",
        "{sekretess:personuppgift}Ove Ek, telefon 070-765 43 21{/sekretess}.",
        "{sekretess:personuppgift}Ove Ek[^stadgar], telefon 070-765 43 21{/sekretess}.\n\n\
         Föreningens stadgar gäller[^stadgar].\n\n[^stadgar]: Stadgar antagna 2018.",
    );
    let web = pages(&publish(dir.path())).join(" ");
    assert_eq!(web.matches("Stadgar antagna 2018.").count(), 1, "{web}");
    assert!(!web.contains("Ove Ek"), "{web}");
    let off = official(dir.path());
    assert_eq!(off.matches("Stadgar antagna 2018.").count(), 1, "{off}");
    assert_in_order(
        &off,
        &[
            "Ove Ek",
            "Föreningens stadgar gäller",
            "Stadgar antagna 2018.",
        ],
    );

    // Referred to again only from inside another note.
    edit(
        dir.path(),
        "2020-04-21/trappsteget.md",
        "Föreningens stadgar gäller[^stadgar].",
        "Föreningens stadgar gäller[^not].\n\n[^not]: Se stadgarna[^stadgar].",
    );
    let web = pages(&publish(dir.path())).join(" ");
    assert_eq!(web.matches("Stadgar antagna 2018.").count(), 1, "{web}");
    assert!(web.contains("Se stadgarna"), "{web}");
    let off = official(dir.path());
    assert_eq!(off.matches("Stadgar antagna 2018.").count(), 1, "{off}");
}

#[test]
fn a_withheld_paragraf_and_bilaga_keep_only_number_title_and_reason() {
    let dir = amn();
    edit(
        dir.path(),
        MEETING,
        "title = \"Bidrag till föreningen Trappsteget 2020\"",
        "title = \"Bidrag till föreningen Trappsteget 2020\"\n\
         webbtitel = \"Bidrag till en förening\"\nsekretess = \"OSL 26 kap. 1 §\"",
    );
    edit(
        dir.path(),
        MEETING,
        "file = \"2020-04-21/trappsteget.md\"",
        "file = \"2020-04-21/trappsteget.md\"\nsekretess = \"personuppgift\"",
    );
    let web = pages(&publish(dir.path())).join(" ");
    assert_in_order(
        &web,
        &[
            "§ 34 Bidrag till en förening",
            "AMN 2020-0187-1.2.1",
            "[Uppgift borttagen enligt OSL 26 kap. 1 §]",
            "§ 35",
        ],
    );
    // The withheld bilaga keeps its number and title ("Föreningen Trappstegets ansökan …").
    for gone in [
        "driver studiecirklar",
        "450 000",
        "Jonas Berglund (MP) anmälde jäv",
        "matematik och svenska",
    ] {
        assert!(!web.contains(gone), "`{gone}` is withheld:\n{web}");
    }
    assert!(web.contains("[Uppgift borttagen: personuppgift]"), "{web}");
    let off = official(dir.path());
    for kept in [
        "§ 34 Bidrag till föreningen Trappsteget 2020",
        "450 000 kronor",
        "matematik och svenska",
    ] {
        assert!(off.contains(kept), "`{kept}` is in the official protocol");
    }
    assert!(!off.contains("Bidrag till en förening"));
}

#[test]
fn a_withheld_person_is_not_named_in_the_web_edition_and_still_votes() {
    let dir = amn();
    edit(
        dir.path(),
        MEETING,
        "{ name = \"Lena Strand\", party = \"M\" }",
        "{ name = \"Lena Strand\", party = \"M\", sekretess = \"skyddad identitet\" }",
    );
    let web = pages(&publish(dir.path())).join(" ");
    assert!(!web.contains("Lena Strand"), "{web}");
    assert!(
        web.contains("[Uppgift borttagen: skyddad identitet] (M)"),
        "{web}"
    );
    assert!(
        web.contains("mot 5 nej-röster"),
        "the vote is unchanged:\n{web}"
    );
    let record = json(&dir.path().join("webb.json"));
    assert!(!record.to_string().contains("Lena Strand"));
    assert!(official(dir.path()).contains("Lena Strand (M)"));
}

// ---- the guard ---------------------------------------------------------------------------

/// A valid personnummer (Skatteverket's example).
const PNR: &str = "811218-9876";

#[test]
fn a_personnummer_in_the_meeting_file_refuses_the_web_edition_at_its_line() {
    let dir = amn();
    let text = edit(
        dir.path(),
        MEETING,
        "som avbrutit gymnasiet. Ansökan och",
        &format!("som avbrutit gymnasiet ({PNR}). Ansökan och"),
    );
    let err = refused(dir.path());
    let line = line_of(&text, PNR);
    let at_line = text.lines().nth(line - 1).unwrap();
    let col = at_line[..at_line.find(PNR).unwrap()].chars().count() + 1;
    assert!(
        err.contains(&format!("{MEETING}:{line}:{col}")),
        "at {line}:{col}:\n{err}"
    );
    assert!(err.contains("personnummer (811218-XXXX)"), "{err}");
    let message = err.lines().next().unwrap();
    assert!(!message.contains(PNR), "the message masks it:\n{err}");
    // The official protocol is not affected.
    let out = assemble(dir.path(), &[MEETING, "-o", "official.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_personnummer_in_a_markdown_bilaga_or_its_footnote_is_refused_at_its_line() {
    for (from, to) in [
        (
            "varav 41 därefter",
            format!("varav 41 (en med pnr {PNR}) därefter"),
        ),
        (
            "inom komvux.",
            format!("inom komvux.[^1]\n\n[^1]: Intyg för 19{PNR} finns.\n"),
        ),
    ] {
        let dir = amn();
        let text = edit(dir.path(), "2020-04-21/trappsteget.md", from, &to);
        let err = refused(dir.path());
        let line = line_of(&text, PNR);
        assert!(
            err.contains(&format!("trappsteget.md:{line}:")),
            "at line {line}:\n{err}"
        );
        assert!(err.contains("bilaga 1"), "names the bilaga:\n{err}");
    }
}

#[test]
fn a_masked_or_withheld_personnummer_passes() {
    let dir = amn();
    edit(
        dir.path(),
        MEETING,
        "som avbrutit gymnasiet. Ansökan och",
        &format!(
            "som avbrutit gymnasiet (811218-XXXX, {{sekretess:personuppgift}}{PNR}{{/sekretess}}). Ansökan och"
        ),
    );
    let web = pages(&publish(dir.path())).join(" ");
    assert!(
        web.contains("811218-XXXX, [Uppgift borttagen: personuppgift]"),
        "{web}"
    );
    assert!(!web.contains(PNR));
}

#[test]
fn a_personnummer_in_a_withheld_paragraf_passes_and_one_after_it_does_not() {
    let dir = amn();
    edit(
        dir.path(),
        MEETING,
        "title = \"Bidrag till föreningen Trappsteget 2020\"",
        "title = \"Bidrag till föreningen Trappsteget 2020\"\nsekretess = \"OSL 26 kap. 1 §\"",
    );
    edit(
        dir.path(),
        MEETING,
        "som avbrutit gymnasiet. Ansökan och",
        &format!("som avbrutit gymnasiet ({PNR}). Ansökan och"),
    );
    let web = pages(&publish(dir.path())).join(" ");
    assert!(!web.contains(PNR));
    // § 35 follows the withheld § 34 and is published: a number there is found.
    let text = edit(
        dir.path(),
        MEETING,
        "Kommunstyrelsen har remitterat",
        &format!("Kommunstyrelsen ({PNR}) har remitterat"),
    );
    std::fs::remove_file(dir.path().join("webb.pdf")).unwrap();
    std::fs::remove_file(dir.path().join("webb.json")).unwrap();
    let err = refused(dir.path());
    let line = text
        .lines()
        .position(|l| l.contains(&format!("Kommunstyrelsen ({PNR})")))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert_eq!(err.matches("error: a personnummer").count(), 1, "{err}");
}

#[test]
fn a_mark_in_a_plain_field_is_refused_at_its_place() {
    let dir = amn();
    let text = edit(
        dir.path(),
        MEETING,
        "title = \"Inriktning för feriejobb 2020\"",
        "title = \"Inriktning för {sekretess:personuppgift}feriejobb{/sekretess} 2020\"",
    );
    let err = refused(dir.path());
    let line = line_of(&text, "title = \"Inriktning för {sekretess");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(err.contains("not Markdown"), "{err}");
}

/// A PDF bilaga's text is scanned page by page, reviewed or not: the guard does not trust the
/// reviewer. A text PDF with no number passes unreviewed; a scanned one needs the review.
#[test]
fn a_pdf_bilaga_is_scanned_and_a_scanned_one_must_be_reviewed() {
    let dir = amn();
    let d = dir.path();
    // The motion is a text PDF without a number: published without `publiceras`.
    let text = edit(d, MEETING, "publiceras = true\n", "");
    publish(d);
    let unpublish = || {
        for f in ["webb.pdf", "webb.json"] {
            let _ = std::fs::remove_file(d.join(f));
        }
    };
    unpublish();

    // A text PDF that holds a personnummer, on its second page: refused, reviewed or not.
    let planted = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/minimal"), planted.path());
    let minimal = planted.path().join("meeting.toml");
    let t = std::fs::read_to_string(&minimal).unwrap();
    std::fs::write(
        &minimal,
        t.replacen(
            "Ordförande förklarade mötet för öppnat.",
            "Sökande 811218-9876 anmälde sig.",
            1,
        ),
    )
    .unwrap();
    let out = assemble(planted.path(), &["meeting.toml", "-o", "x.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::copy(
        planted.path().join("x.pdf"),
        d.join("2020-04-21/motion-sprakstod.pdf"),
    )
    .unwrap();
    for reviewed in [false, true] {
        if reviewed {
            edit(
                d,
                MEETING,
                "file = \"2020-04-21/motion-sprakstod.pdf\"\n",
                "file = \"2020-04-21/motion-sprakstod.pdf\"\npubliceras = true\n",
            );
        }
        let err = refused(d);
        let line = line_of(&text, "file = \"2020-04-21/motion-sprakstod.pdf\"");
        assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
        // The page it is on is named (the protocol's § 1 is on its page 2).
        assert!(
            err.contains("on page 2 a personnummer (811218-XXXX)"),
            "{err}"
        );
    }

    // A scanned PDF (only an image, no text) cannot be checked: it needs the review.
    std::fs::copy(
        repo().join("tests/fixtures/pdf-bilaga/bilagor/skrivelse.pdf"),
        d.join("2020-04-21/motion-sprakstod.pdf"),
    )
    .unwrap();
    publish(d);
    unpublish();
    edit(d, MEETING, "publiceras = true\n", "");
    let err = refused(d);
    assert!(err.contains("cannot be read (scanned)"), "{err}");
    assert!(err.contains("publiceras = true"), "{err}");
}

#[test]
fn a_draft_is_never_published() {
    let dir = amn();
    edit(dir.path(), MEETING, "justerad = 2020-04-28\n", "");
    let err = refused(dir.path());
    assert!(err.contains("not justerat"), "{err}");
}

// ---- DOCX ----------------------------------------------------------------------------------

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A DOCX with `body` (paragraph XML), a character style "Sekretess OSL 26 kap. 1 §" (id
/// `Sek`) and optional footnotes.
fn docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:styles {W}><w:style w:type="character" w:styleId="Sek"><w:name w:val="Sekretess OSL 26 kap. 1 §"/></w:style></w:styles>"#
    );
    let notes = footnotes.map(|f| {
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>{f}</w:footnotes>"#)
    });
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("word/document.xml", document.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
    ];
    if let Some(n) = &notes {
        entries.push(("word/footnotes.xml", n.as_bytes()));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        z.start_file(name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

/// The AMN copy with a DOCX bilaga `yttrande` (referred to from § 35) made of `body`.
fn with_docx(body: &str, footnotes: Option<&str>) -> tempfile::TempDir {
    let dir = amn();
    std::fs::write(
        dir.path().join("2020-04-21/yttrande.docx"),
        docx(body, footnotes),
    )
    .unwrap();
    edit(
        dir.path(),
        MEETING,
        "Jobbtorg Stockholm.\n",
        "Jobbtorg Stockholm. Se även {bilaga:yttrande}.\n",
    );
    let path = dir.path().join(MEETING);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(
        "\n[[bilaga]]\nid = \"yttrande\"\ntitle = \"Yttrande från föreningen\"\nfile = \"2020-04-21/yttrande.docx\"\n",
    );
    std::fs::write(&path, text).unwrap();
    dir
}

fn run(text: &str, style: Option<&str>) -> String {
    let rpr = style.map_or(String::new(), |s| {
        format!(r#"<w:rPr><w:rStyle w:val="{s}"/></w:rPr>"#)
    });
    format!(r#"<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

#[test]
fn docx_text_in_a_sekretess_style_is_replaced_in_the_web_edition_and_kept_in_the_official() {
    // Word splits runs freely: two adjacent runs in the style give one notice.
    let body = format!(
        "<w:p>{}{}{}{}</w:p>",
        run("Sökande är ", None),
        run("Åsa ", Some("Sek")),
        run("Lind", Some("Sek")),
        run(", boende i Skärholmen.", None)
    );
    let dir = with_docx(&body, None);
    let web = pages(&publish(dir.path())).join(" ");
    assert!(
        web.contains("Sökande är [Uppgift borttagen enligt OSL 26 kap. 1 §]"),
        "{web}"
    );
    assert!(!web.contains("Åsa") && !web.contains("Lind,"), "{web}");
    let off = official(dir.path());
    assert!(off.contains("Sökande är Åsa Lind"), "{off}");
}

#[test]
fn a_personnummer_in_a_docx_bilaga_or_its_footnote_refuses_the_web_edition() {
    let in_body = format!("<w:p>{}</w:p>", run(&format!("Pnr {PNR}."), None));
    let note_ref = r#"<w:r><w:footnoteReference w:id="1"/></w:r>"#;
    let in_note = format!("<w:p>{}{note_ref}</w:p>", run("Se noten.", None));
    let note = format!(
        r#"<w:footnote w:id="1"><w:p>{}</w:p></w:footnote>"#,
        run(&format!("Intyg {PNR}."), None)
    );
    for (body, notes) in [(in_body, None), (in_note, Some(note.as_str()))] {
        let dir = with_docx(&body, notes);
        let err = refused(dir.path());
        let text = std::fs::read_to_string(dir.path().join(MEETING)).unwrap();
        let line = line_of(&text, "file = \"2020-04-21/yttrande.docx\"");
        assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
        assert!(err.contains("yttrande.docx"), "names the file:\n{err}");
        assert!(err.contains("811218-XXXX"), "{err}");
    }
    // In the style, it passes.
    let styled = format!("<w:p>{}{}</w:p>", run("Pnr ", None), run(PNR, Some("Sek")));
    let dir = with_docx(&styled, None);
    let web = pages(&publish(dir.path())).join(" ");
    assert!(!web.contains(PNR));
}

#[test]
fn an_extract_that_carries_withheld_text_gets_a_web_edition_and_others_do_not() {
    let dir = amn();
    // § 33 is justerad omedelbart; mark text in it.
    edit(
        dir.path(),
        MEETING,
        "som bär vidare. Staden bör därför bredda utbudet.",
        "som bär vidare. {sekretess:personuppgift}Min dotter fick sitt första jobb så.{/sekretess}",
    );
    publish(dir.path());
    let extract = dir.path().join("2020-04-21-p33-webb.pdf");
    let text = pages(&extract).join(" ");
    assert!(text.contains("Protokollsutdrag"), "{text}");
    assert!(
        text.contains("[Uppgift borttagen: personuppgift]"),
        "{text}"
    );
    assert!(!text.contains("Min dotter"), "{text}");
    // Its page 1 names only the reasons for what it leaves out (§ 37's OSL mark is not in it).
    assert!(
        text.contains("Skäl för borttagandet: personuppgift."),
        "{text}"
    );
    assert!(!text.contains("OSL 26 kap"), "{text}");
    // Without marked text in § 33 there is none.
    let plain = amn();
    publish(plain.path());
    assert!(!plain.path().join("2020-04-21-p33-webb.pdf").exists());
}

#[test]
fn embed_data_attaches_the_record_as_data_under_pdf_a_3() {
    let dir = amn();
    let out = assemble(
        dir.path(),
        &["publish", MEETING, "-o", "webb.pdf", "--embed-data"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = lopdf::Document::load(dir.path().join("webb.pdf")).unwrap();
    let mut data = Vec::new();
    for (_, object) in doc.objects.iter() {
        if let Ok(dict) = object.as_dict()
            && dict.get(b"AFRelationship").and_then(|r| r.as_name()).ok() == Some(&b"Data"[..])
        {
            let name = dict.get(b"F").and_then(|f| f.as_str()).unwrap_or_default();
            data.push(String::from_utf8_lossy(name).into_owned());
        }
    }
    assert_eq!(data, ["webb.json"], "the record is attached as data");
    let bytes = std::fs::read(dir.path().join("webb.pdf")).unwrap();
    let xmp = String::from_utf8_lossy(&bytes);
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"), "PDF/A-3");
}

// ---- the record ------------------------------------------------------------------------

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn sidecars_validate_against_the_shipped_schema_and_carry_each_members_vote() {
    let dir = amn();
    publish(dir.path());
    // The official record is the build's, beside the official protocol.
    let out = assemble(dir.path(), &[MEETING, "-o", "2020-04-21.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let schema = json(&repo().join("docs/protokoll-record.schema.json"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let official = json(&dir.path().join("2020-04-21.json"));
    let web = json(&dir.path().join("webb.json"));
    for record in [&official, &web] {
        let errors: Vec<String> = validator
            .iter_errors(record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    assert_eq!(official["edition"], "official");
    assert_eq!(web["edition"], "web");
    // The votes per member are the meeting file's.
    let toml: toml::Table = std::fs::read_to_string(dir.path().join(MEETING))
        .unwrap()
        .parse()
        .unwrap();
    let p33 = &toml["paragraf"].as_array().unwrap()[2];
    let o = &p33["omrostning"];
    let names_of = |key: &str| -> Vec<String> {
        o[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    let item = official["agenda_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["number"] == 33)
        .unwrap();
    let event = &item["vote_events"][0];
    let persons = official["persons"].as_array().unwrap();
    let name_of = |id: &serde_json::Value| -> String {
        persons.iter().find(|p| &p["id"] == id).unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for (key, option) in [("ja", "yes"), ("nej", "no"), ("avstar", "abstain")] {
        let mut from_record: Vec<String> = event["votes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["option"] == option)
            .map(|v| name_of(&v["voter_id"]))
            .collect();
        let mut from_toml = names_of(key);
        from_record.sort();
        from_toml.sort();
        assert_eq!(from_record, from_toml, "{key}");
        let count = event["counts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["option"] == option)
            .unwrap();
        assert_eq!(count["value"], from_toml.len(), "{key} count");
    }
    assert_eq!(event["motion_id"], "ordf");
    assert_eq!(event["result"], "ordf");
    // Redacted exactly as the PDF.
    let text = fold(&web.to_string().replace("\\n", " "));
    assert!(!text.contains("Åsa Lind"), "{text}");
    assert!(
        text.contains("kontaktperson är [Uppgift borttagen: personuppgift]"),
        "{text}"
    );
    assert!(fold(&official.to_string().replace("\\n", " ")).contains("kontaktperson är Åsa Lind"));
    // Bilagor with their checksums.
    let paper = &official["papers"][0];
    assert_eq!(paper["id"], "trappsteget");
    assert_eq!(paper["file"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn the_fvg_samples_publish_with_records_valid_against_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/fvg"), dir.path());
    let schema = json(&repo().join("docs/protokoll-record.schema.json"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    for date in ["2020-09-17", "2020-04-16"] {
        let pdf = format!("{date}-webb.pdf");
        let out = assemble(
            dir.path(),
            &["publish", &format!("{date}.toml"), "-o", &pdf],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let official = assemble(
            dir.path(),
            &[&format!("{date}.toml"), "-o", &format!("{date}.pdf")],
        );
        assert!(official.status.success(), "{}", stderr(&official));
        for file in [format!("{date}.json"), format!("{date}-webb.json")] {
            let record = json(&dir.path().join(&file));
            let errors: Vec<String> = validator
                .iter_errors(&record)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{file}: {errors:?}");
            assert_eq!(record["kind"], "fvg");
        }
        assert!(pages(&dir.path().join(&pdf))[0].contains("Webbutgåva"));
    }
}

#[test]
fn the_meeting_file_can_replace_the_web_editions_wording() {
    let dir = amn();
    edit(
        dir.path(),
        MEETING,
        "namnd = \"Arbetsmarknadsnämnden\"\n",
        "namnd = \"Arbetsmarknadsnämnden\"\nwebbtext = \"Publicerad på stockholm.se enligt nämndens riktlinjer.\"\n",
    );
    let web = pages(&publish(dir.path()));
    assert!(
        web[0].contains("Publicerad på stockholm.se enligt nämndens riktlinjer."),
        "{}",
        web[0]
    );
    assert!(!web[0].contains("Detta är webbutgåvan"), "{}", web[0]);
}

#[test]
fn publishing_an_archive_keeps_going_past_a_meeting_that_cannot_be_published() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &dir.path().join("data"));
    // A meeting that cannot be published: a personnummer in the FVG of 2020-09-17.
    let fvg = dir.path().join("data/fvg/2020-09-17.toml");
    let text = std::fs::read_to_string(&fvg).unwrap();
    let at = text.find("\ntext = \"\"\"\n").expect("a text field") + "\ntext = \"\"\"\n".len();
    let mut planted = text.clone();
    planted.insert_str(at, "Sökande 811218-9876. ");
    std::fs::write(&fvg, planted).unwrap();
    let out = assemble(dir.path(), &["publish", "data/"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "one is refused:\n{err}");
    // The excerpt is not justerat: skipped with a note, not a failure.
    assert!(
        stdout(&out).contains("2015-paragraf-8-9.toml is not justerad: skipped"),
        "{}",
        stdout(&out)
    );
    assert!(err.contains("2020-09-17.toml"), "{err}");
    assert!(err.contains("1 of 3 meetings not published"), "{err}");
    for file in [
        "out/webb/amn/2020-04-21-webb.pdf",
        "out/webb/fvg/2020-04-16-webb.pdf",
        "out/webb/fvg/2020-04-16-webb.json",
    ] {
        assert!(dir.path().join(file).exists(), "{file}");
    }
    for file in [
        "out/webb/amn/2015-paragraf-8-9-webb.pdf",
        "out/webb/fvg/2020-09-17-webb.pdf",
        "out/webb/amn/2020-04-21.json",
        "out/amn/2020-04-21.json",
    ] {
        assert!(!dir.path().join(file).exists(), "{file}");
    }
}

#[test]
fn publishing_twice_gives_the_same_bytes() {
    let dir = amn();
    publish(dir.path());
    let first: Vec<Vec<u8>> = ["webb.pdf", "webb.json"]
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap())
        .collect();
    publish(dir.path());
    for (i, f) in ["webb.pdf", "webb.json"].iter().enumerate() {
        assert_eq!(
            std::fs::read(dir.path().join(f)).unwrap(),
            first[i],
            "{f} is byte-identical"
        );
    }
}

/// Every build, not only `publish`, writes the record as data beside the protocol: the same
/// official record `publish` writes, valid against the shipped schema, the same bytes twice.
#[test]
fn a_plain_build_writes_the_official_record_beside_the_pdf() {
    let dir = amn();
    let d = dir.path();
    let out = assemble(d, &[MEETING, "-o", "p.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = std::fs::read(d.join("p.json")).unwrap();
    let schema = json(&repo().join("docs/protokoll-record.schema.json"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let record = json(&d.join("p.json"));
    assert!(validator.is_valid(&record), "valid against the schema");
    assert_eq!(record["edition"], "official");
    let out = assemble(d, &[MEETING, "-o", "p.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(d.join("p.json")).unwrap(),
        first,
        "same bytes twice"
    );
    publish(d);
    assert!(
        !d.join("2020-04-21.json").exists(),
        "publish writes no official record"
    );
}

/// An HTML comment in a § text is left out of the PDF; the record (and so the site's search)
/// kept its text. A `<!--` in a code span is text and stays.
#[test]
fn an_html_comment_in_a_paragraf_text_stays_out_of_the_web_record() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("tests/fixtures/publication/P24-html-comment-in-record"),
        dir.path(),
    );
    let out = assemble(
        dir.path(),
        &["publish", "amn/2020-04-21.toml", "--out-dir", "out"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let record = std::fs::read_to_string(dir.path().join("out/webb/2020-04-21-webb.json"))
        .expect("the web record is written");
    for hidden in [
        "Birgitta Söderholm",
        "sjukskriven",
        "Gunnar Tallberg",
        "intern",
    ] {
        assert!(
            !record.contains(hidden),
            "`{hidden}` in the record:\n{record}"
        );
    }
    assert!(
        record.contains("`<!-- kodexempel -->`"),
        "code stays:\n{record}"
    );
    assert!(
        record.contains("Trappsteget driver"),
        "the § text stays:\n{record}"
    );
}

// ---- the web edition is a redacted model ---------------------------------------------------

/// The web edition's model holds no marked text: a `--templates` copy whose `sekretess`
/// prints the text in both editions finds nothing to print. (The web edition used to carry the
/// marked text to the template and leave it to the template's edition switch; the last gate
/// then refused the edition.)
#[test]
fn a_template_that_prints_marked_text_in_the_web_edition_has_none_to_print() {
    let dir = amn();
    let library = std::fs::read_to_string(repo().join("templates/protokoll.typ")).unwrap();
    let switch = "if utgava.get() == \"webb\" { notice } else { body }";
    assert!(
        library.contains(switch),
        "the template's switch is as expected"
    );
    std::fs::create_dir(dir.path().join("mall")).unwrap();
    std::fs::write(
        dir.path().join("mall/protokoll.typ"),
        library.replace(switch, "body"),
    )
    .unwrap();
    let out = assemble(
        dir.path(),
        &["publish", MEETING, "-o", "webb.pdf", "--templates", "mall"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let web = pages(&dir.path().join("webb.pdf")).join(" ");
    for gone in ["Åsa Lind", "Ove Ek", "070-765", "enskild deltagare"] {
        assert!(
            !web.contains(gone),
            "`{gone}` is in the web edition:\n{web}"
        );
    }
    assert!(web.contains("kontaktperson är ."), "{web}");
}

/// Withheld people are replaced in every text the web edition's model holds: the attendance,
/// "för", a proposal's and a statement's proposers, the vote, jäv, a Markdown text of the
/// meeting file, the extract; each by a stand-in numbered in attendance order; the vote's
/// totals unchanged.
#[test]
fn several_withheld_people_are_replaced_wherever_the_model_names_them() {
    let dir = amn();
    let people = [
        ("Anna Ekblom", "S"),
        ("Per Lindqvist", "M"),
        ("Jonas Berglund", "MP"),
        ("Helena Rask", "S"),
        ("Petra Falk", "SD"),
        ("Ida Sjöberg", "M"),
    ];
    for (name, party) in people {
        edit(
            dir.path(),
            MEETING,
            &format!("{{ name = \"{name}\", party = \"{party}\""),
            &format!(
                "{{ name = \"{name}\", party = \"{party}\", sekretess = \"skyddad identitet\""
            ),
        );
    }
    let out = assemble(dir.path(), &["publish", MEETING, "--out-dir", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let web = pages(&dir.path().join("out/webb/2020-04-21-webb.pdf")).join(" ");
    let extract = pages(&dir.path().join("out/webb/2020-04-21-p33-webb.pdf")).join(" ");
    let record = std::fs::read_to_string(dir.path().join("out/webb/2020-04-21-webb.json")).unwrap();
    for (name, _) in people {
        let surname = name.split(' ').next_back().unwrap();
        for (what, text) in [("web", &web), ("extract", &extract), ("record", &record)] {
            assert!(
                !text.contains(surname),
                "`{surname}` in the {what}:\n{text}"
            );
        }
    }
    assert_in_order(
        &web,
        &[
            "[Uppgift borttagen: skyddad identitet (1)] (S)",
            "[Uppgift borttagen: skyddad identitet (2)] (M)",
            "Farida Amini (Fi) för [Uppgift borttagen: skyddad identitet (6)] (S)",
            "Nej för förslaget från vice ordföranden [Uppgift borttagen: skyddad identitet (2)] (M)",
            // Markdown of the meeting file (a beslutsgång).
            "Ordföranden [Uppgift borttagen: skyddad identitet (1)] (S) föreslog, med instämmande",
            "Ledamoten [Uppgift borttagen: skyddad identitet (4)] (SD) lämnade",
            "Ledamoten [Uppgift borttagen: skyddad identitet (3)] (MP) anmälde jäv",
        ],
    );
    assert!(
        web.contains("mot 5 nej-röster"),
        "the vote is unchanged:\n{web}"
    );
    let off = official(dir.path());
    for (name, _) in people {
        assert!(off.contains(name), "`{name}` is in the official protocol");
    }
}
