//! Nämnd output: the protocol PDF (§ structure, vote table, reservation, "Sida X (Y)"),
//! the protokollsutdrag (certification, justering statement, refused before justering) and
//! the anslagsbevis (dates, refused for a draft). Every check reads the real PDF back.

use std::path::Path;

use crate::common::*;

/// The fixture with `edit` applied to its meeting file.
fn namnd(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = fixture("namnd");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    dir
}

fn draft(text: String) -> String {
    text.replace("justerad = 2020-04-24\n", "")
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let out = assemble(dir, args);
    assert!(
        out.status.success(),
        "assemble {args:?} failed:\n{}",
        stderr(&out)
    );
    stdout(&out)
}

fn every_page_numbered(pages: &[String]) {
    let n = pages.len();
    let expected: Vec<_> = (1..=n).map(|x| Some((x, n))).collect();
    assert_eq!(sida(pages), expected, "Sida X (Y) on every page");
}

#[test]
fn the_protocol_has_every_paragraf_in_order_with_its_sections() {
    let dir = namnd(|t| t);
    let pages = pages(&build(dir.path()));
    every_page_numbered(&pages);
    assert!(
        pages[0].contains("Protokoll AMN 2020-04-21"),
        "{}",
        pages[0]
    );
    for row in [
        "Ordförande Anna Berg (S)",
        "Vice ordf. Per Holm (M)",
        "Tjänstg. ers. Sara Lind (Fi) för Omar Ali (S)",
        "Ej tjänstg. ers. Eva Sund (KD)",
        "Förhinder hade anmälts av",
        "Föredragande Karin Lund, förvaltningschef",
        "Övriga närvarande Nils Dahl, borgarrådssekreterare",
    ] {
        assert!(pages[0].contains(row), "`{row}` on page 1:\n{}", pages[0]);
    }
    let all = pages.join(" ");
    assert_in_order(
        &all,
        &[
            "§ 31",
            "§ 32",
            "§ 33 Inrättande av två nya ungdomstorg",
            "AMN 2020-0120-1.1",
            "Arbetsmarknadsnämndens beslut",
            "1. Arbetsmarknadsnämnden beslutade att inrätta två nya ungdomstorg",
            "2. Arbetsmarknadsnämnden beslutade att justera paragrafen omedelbart.",
            "Ärendet",
            "tjänsteutlåtande daterat den 7 april 2020",
            "Förslag till beslut",
            "Beslutsgång",
            "Ledamot Ja Nej Avstår",
            "Reservation",
            "Därutöver anförs",
            "Ersättaryttrande",
            "§ 34 Upphandling av vägledningstjänster",
            "Särskilt uttalande",
            "Erik Falk (L) anmälde jäv",
            "§ 35",
            "a) Protokoll från pensionärsrådet",
            "b) Delegationsbeslut",
            "c) Skrivelse från revisionskontoret",
            "§ 36",
            "Vid protokollet",
            "Lina Ek, sekreterare",
            "Justeras den 24 april 2020",
            "Anna Berg (S), ordförande",
            "Per Holm (M), justerare",
        ],
    );
}

#[test]
fn the_vote_is_a_table_with_totals_and_the_outcome() {
    let dir = namnd(|t| t);
    let all = pages(&build(dir.path())).join(" ");
    assert_in_order(
        &all,
        &[
            "Ledamot Ja Nej Avstår",
            "Anna Berg (S) X",
            "Per Holm (M) X",
            "Björn Viklund (SD) X",
            "Summa 8 5 2",
            "Med 8 ja-röster mot 5 nej-röster, 2 avstod,",
        ],
    );
    // The reservation says who, and their text follows.
    assert_in_order(
        &all,
        &[
            "Per Holm (M)",
            "reserverade sig",
            "Därutöver anförs att befintliga jobbtorg",
        ],
    );
}

#[test]
fn a_draft_protocol_is_marked() {
    let dir = namnd(draft);
    let pages = pages(&build(dir.path()));
    every_page_numbered(&pages);
    assert!(pages[0].contains("UTKAST – ej justerat"), "{}", pages[0]);
    assert!(pages[0].contains("Ej justerat – utkast"), "{}", pages[0]);
}

#[test]
fn the_protocol_is_deterministic() {
    let dir = namnd(|t| t);
    run_ok(dir.path(), &["meeting.toml", "-o", "a.pdf"]);
    run_ok(dir.path(), &["meeting.toml", "-o", "b.pdf"]);
    let a = std::fs::read(dir.path().join("a.pdf")).unwrap();
    let b = std::fs::read(dir.path().join("b.pdf")).unwrap();
    assert!(a == b, "two runs gave different bytes");
    let doc = lopdf::Document::load_mem(&a).unwrap();
    let info = format!("{:?}", doc.trailer);
    assert!(info.contains("Info"), "{info}");
}

#[test]
fn an_extract_carries_the_paragraf_its_justering_and_the_certification() {
    let dir = namnd(|t| t);
    let said = run_ok(
        dir.path(),
        &["extract", "meeting.toml", "--paragraf", "34", "-o", "u.pdf"],
    );
    assert!(said.contains("wrote u.pdf"), "{said}");
    let pages = pages(&dir.path().join("u.pdf"));
    every_page_numbered(&pages);
    let all = pages.join(" ");
    assert!(all.contains("Protokollsutdrag AMN 2020-04-21"), "{all}");
    assert_in_order(
        &all,
        &[
            "Beslutande",
            "§ 34 Upphandling av vägledningstjänster",
            "Arbetsmarknadsnämndens beslut",
            "Erik Falk (L) anmälde jäv",
            "Protokollet justerades den 24 april 2020.",
            "Rätt utdraget intygar",
            "Lina Ek, sekreterare",
        ],
    );
    assert!(!all.contains("§ 33"), "only the one §: {all}");
}

/// The organisation's address and telephone, given in the meeting file, stand at the foot
/// of the last page of the protocol and of a protokollsutdrag, once each (they were read
/// and not printed before; bilaga pages never carry them: see `structure`).
#[test]
fn the_organisations_footer_ends_the_protocol_and_the_extract() {
    let footer = "Telefon 08-508 35 000";
    let dir = namnd(|t| {
        t.replace(
            "forvaltning = \"Arbetsmarknadsförvaltningen\"\n",
            "forvaltning = \"Arbetsmarknadsförvaltningen\"\naddress = \"Swedenborgsgatan 20\"\nphone = \"08-508 35 000\"\n",
        )
    });
    run_ok(dir.path(), &["meeting.toml", "-o", "p.pdf"]);
    let pages = pages(&dir.path().join("p.pdf"));
    let protocol = pages
        .iter()
        .take_while(|p| !p.contains("Bilaga 1 till"))
        .count();
    assert!(protocol >= 2, "{pages:#?}");
    let with_footer: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].contains(footer))
        .collect();
    assert_eq!(with_footer, [protocol - 1], "{pages:#?}");
    assert_in_order(
        &pages[protocol - 1],
        &["Justeras", "Swedenborgsgatan 20", footer],
    );

    run_ok(
        dir.path(),
        &["extract", "meeting.toml", "--paragraf", "34", "-o", "u.pdf"],
    );
    let pages = crate::common::pages(&dir.path().join("u.pdf"));
    let with_footer: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].contains(footer))
        .collect();
    assert_eq!(with_footer, [pages.len() - 1], "{pages:#?}");
    assert_in_order(pages.last().unwrap(), &["Rätt utdraget intygar", footer]);
}

#[test]
fn an_extract_of_an_ordinary_paragraf_is_refused_before_justering() {
    let dir = namnd(draft);
    let out = assemble(dir.path(), &["extract", "meeting.toml", "--paragraf", "34"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot be extracted before the protocol is justerat"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn an_extract_of_an_omedelbart_justerad_paragraf_is_allowed_before_justering() {
    let dir = namnd(draft);
    run_ok(dir.path(), &["extract", "meeting.toml", "--paragraf", "33"]);
    // The default name, beside where the protocol goes.
    let pdf = dir.path().join("out/meeting-p33.pdf");
    let all = pages(&pdf).join(" ");
    assert_in_order(
        &all,
        &[
            "§ 33 Inrättande av två nya ungdomstorg",
            "Summa 8 5 2",
            "Paragrafen justerades omedelbart.",
            "Rätt utdraget intygar",
        ],
    );
    assert!(!all.contains("UTKAST"), "a justerad § is no draft: {all}");
}

#[test]
fn an_extract_of_a_missing_paragraf_lists_those_there_are() {
    let dir = namnd(|t| t);
    let out = assemble(dir.path(), &["extract", "meeting.toml", "--paragraf", "8"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has no § 8"), "{}", stderr(&out));
    assert!(stderr(&out).contains("§ 31–36"), "{}", stderr(&out));
}

#[test]
fn the_anslag_gives_the_dates_up_and_down_three_weeks_later() {
    let dir = namnd(|t| t);
    let said = run_ok(dir.path(), &["anslag", "meeting.toml", "-o", "a.pdf"]);
    // One page is "1 page", not "1 pages" (issue 24).
    assert_eq!(said, "wrote a.pdf (1 page)\n");
    let pages = pages(&dir.path().join("a.pdf"));
    every_page_numbered(&pages);
    assert_in_order(
        &pages[0],
        &[
            "Anslagsbevis AMN 2020-04-21",
            "Anslagsbevis",
            "Organ Arbetsmarknadsnämnden",
            "Sammanträdesdatum 21 april 2020",
            "Förvaringsplats för protokollet Arbetsmarknadsförvaltningen, Swedenborgsgatan 20",
            // § 33 was justerad omedelbart: announced from the meeting day (issue 11).
            "Paragrafer justerade omedelbart vid sammanträdet",
            "Paragrafer § 33",
            "Datum för justering 21 april 2020",
            "Anslaget sätts upp 21 april 2020",
            "Anslaget tas ned 12 maj 2020",
            "Övriga paragrafer",
            "Paragrafer § 31–32, 34–36",
            "Datum för justering 24 april 2020",
            "Anslaget sätts upp 25 april 2020",
            "Anslaget tas ned 16 maj 2020",
            "Lina Ek, underskrift",
        ],
    );
}

#[test]
fn the_anslag_defaults_to_the_justering_day_and_warns_when_late() {
    let dir = namnd(|t| t.replace("uppsatt = 2020-04-25\n", ""));
    run_ok(dir.path(), &["anslag", "meeting.toml", "-o", "a.pdf"]);
    let text = pages(&dir.path().join("a.pdf")).join(" ");
    assert!(text.contains("Anslaget sätts upp 24 april 2020"), "{text}");
    assert!(text.contains("Anslaget tas ned 15 maj 2020"), "{text}");

    let dir = namnd(|t| t.replace("uppsatt = 2020-04-25", "uppsatt = 2020-04-28"));
    let out = assemble(dir.path(), &["anslag", "meeting.toml", "-o", "a.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 days later than KL 8 kap. 12 § allows"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("meeting.toml:18:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_anslag_is_refused_for_a_draft_without_a_paragraf_justerad_omedelbart() {
    let dir = namnd(|t| draft(t).replace("omedelbar_justering = true\n", ""));
    let out = assemble(dir.path(), &["anslag", "meeting.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not justerat"), "{}", stderr(&out));
    assert!(!dir.path().join("out").exists(), "nothing written");
}

/// `check` too: `[anslag]` is validated with the meeting (issue 10), not by the anslag alone.
#[test]
fn the_anslag_before_justering_is_an_error_at_its_line() {
    let dir = namnd(|t| t.replace("uppsatt = 2020-04-25", "uppsatt = 2020-04-23"));
    let checked = assemble(dir.path(), &["check", "meeting.toml"]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(
        stderr(&checked).contains("meeting.toml:18:"),
        "{}",
        stderr(&checked)
    );
    let out = assemble(dir.path(), &["anslag", "meeting.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("meeting.toml:18:"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("before the protocol was justerat"),
        "{}",
        stderr(&out)
    );
}

fn zip_names(path: &Path) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect()
}

/// The text of one PDF inside a bundle.
fn zip_pdf_text(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(name).unwrap(), &mut bytes).unwrap();
    fold(&pdf_extract::extract_text_from_mem(&bytes).unwrap())
}

#[test]
fn a_bundle_carries_the_immediate_extracts_and_the_anslag_once_justerat() {
    let dir = namnd(|t| t);
    run_ok(dir.path(), &["meeting.toml", "-o", "p.pdf", "--bundle"]);
    let zip = dir.path().join("p.zip");
    assert_eq!(
        zip_names(&zip),
        ["manifest.json", "p.pdf", "p-p33.pdf", "p-anslag.pdf"]
    );
    assert!(zip_pdf_text(&zip, "p-p33.pdf").contains("Paragrafen justerades omedelbart."));
    assert!(zip_pdf_text(&zip, "p-anslag.pdf").contains("Anslaget tas ned 16 maj 2020"));
    let out = assemble(dir.path(), &["verify", "p.zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("3 files, protocol p.pdf (AMN 2020-04-21)"),
        "{}",
        stdout(&out)
    );

    let first = std::fs::read(&zip).unwrap();
    run_ok(dir.path(), &["meeting.toml", "-o", "p.pdf", "--bundle"]);
    assert!(
        first == std::fs::read(&zip).unwrap(),
        "same input, same bundle"
    );
}

#[test]
fn a_draft_bundle_has_the_immediate_extracts_and_their_anslag() {
    let dir = namnd(draft);
    run_ok(dir.path(), &["meeting.toml", "-o", "p.pdf", "--bundle"]);
    let zip = dir.path().join("p.zip");
    assert_eq!(
        zip_names(&zip),
        ["manifest.json", "p.pdf", "p-p33.pdf", "p-anslag.pdf"]
    );
    let anslag = zip_pdf_text(&zip, "p-anslag.pdf");
    assert!(anslag.contains("Paragrafer § 33"), "{anslag}");
    assert!(!anslag.contains("Övriga paragrafer"), "{anslag}");
    // Without a § justerad omedelbart, a draft has nothing to announce.
    let dir = namnd(|t| draft(t).replace("omedelbar_justering = true\n", ""));
    run_ok(dir.path(), &["meeting.toml", "-o", "p.pdf", "--bundle"]);
    assert_eq!(
        zip_names(&dir.path().join("p.zip")),
        ["manifest.json", "p.pdf"]
    );
}

#[test]
fn every_document_carries_title_and_identifier_in_its_metadata() {
    let dir = namnd(|t| t);
    run_ok(dir.path(), &["meeting.toml", "-o", "p.pdf"]);
    run_ok(
        dir.path(),
        &["extract", "meeting.toml", "-p", "33", "-o", "u.pdf"],
    );
    run_ok(dir.path(), &["anslag", "meeting.toml", "-o", "a.pdf"]);
    let mut ids = Vec::new();
    for (file, title) in [
        ("p.pdf", "Protokoll från arbetsmarknadsnämndens sammanträde"),
        ("u.pdf", "Protokollsutdrag § 33"),
        ("a.pdf", "Anslagsbevis"),
    ] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let got = pdf_title(&doc);
        assert!(got.starts_with(title), "{file}: title `{got}`");
        // Typst derives the document ID from the ident: each document has its own.
        ids.push(format!("{:?}", doc.trailer.get(b"ID").unwrap()));
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("pdfaid:part>2<") || text.contains("pdfaid:part=\"2\""),
            "{file}: PDF/A-2"
        );
        assert!(
            text.contains("pdfuaid:part>1<") || text.contains("pdfuaid:part=\"1\""),
            "{file}: PDF/UA-1"
        );
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three documents, three identifiers");
}

#[test]
fn the_amn_sample_renders_with_every_part_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = repo().join("data/amn/2020-04-21.toml");
    let pdf = dir.path().join("amn.pdf");
    run_ok(
        dir.path(),
        &[meeting.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
    );
    let pages = pages(&pdf);
    // The protocol in 4 pages, then bilaga 1 (Markdown) on its own page and bilaga 2 (the
    // motion, a PDF of 2 pages shown page for page), each with its own numbering.
    assert_eq!(
        sida(&pages),
        [(1, 4), (2, 4), (3, 4), (4, 4), (1, 1), (1, 2), (2, 2)].map(Some)
    );
    assert!(pages[0].contains("Protokoll AMN 2020-04-21"));
    // The signatures stay with the end of the text when they fit (issue 24): page 4 was a
    // third full and page 5 held only the signatures.
    assert_in_order(
        &pages[3],
        &["§ 38", "avslutat kl. 16:25", "Vid protokollet", "Justeras"],
    );
    // The vote's result once: the outcome sentence, not also "Omröstningen utföll med …".
    let all = pages.join(" ");
    assert_eq!(
        all.matches("Med 6 ja-röster mot 5 nej-röster").count(),
        1,
        "{all}"
    );
    assert!(!all.contains("Omröstningen utföll"), "{all}");
    assert!(pages[4].contains("Bilaga 1 till protokoll AMN 2020-04-21"));
    assert!(pages[5].contains("Bilaga 2 till protokoll AMN 2020-04-21"));
    assert!(pages[6].contains("Bilaga 2 till protokoll AMN 2020-04-21"));
    assert_in_order(
        &pages.join(" "),
        &[
            "se bilaga 2",
            "Vid protokollet",
            "Justeras",
            "Bilaga 1",
            "Bilaga 2",
        ],
    );
    // The motion's original is attached, so the protocol is PDF/A-3.
    let bytes = std::fs::read(&pdf).unwrap();
    let xmp = String::from_utf8_lossy(&bytes);
    assert!(
        xmp.contains("<pdfaid:part>3</pdfaid:part>"),
        "PDF/A-3 claimed"
    );
}

#[test]
fn text_from_the_meeting_file_never_becomes_typst_code() {
    let hostile = r#"Bidrag #set page(width: 1cm) [x] $y$ // *z* _w_ <l> @r"#;
    let dir = namnd(|t| {
        t.replace("Upphandling av vägledningstjänster", hostile)
            .replace("\"Lina Ek\"", "\"Lina #Ek\"")
    });
    let pages = pages(&build(dir.path()));
    let all = pages.join(" ");
    assert!(all.contains(&format!("§ 34 {hostile}")), "{all}");
    assert!(all.contains("Lina #Ek, sekreterare"), "{all}");
    let out = assemble(
        dir.path(),
        &["extract", "meeting.toml", "-p", "34", "-o", "u.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let all = pages_of(&dir.path().join("u.pdf"));
    assert!(all.contains(hostile), "{all}");
}

fn pages_of(pdf: &Path) -> String {
    pages(pdf).join(" ")
}

#[test]
fn a_footnote_in_a_reservation_lands_on_the_page_of_its_reference() {
    let dir = namnd(|t| t);
    let pages = pages(&build(dir.path()));
    let at = pages
        .iter()
        .position(|p| p.contains("redan har uppdraget"))
        .expect("the reservation's text");
    assert!(
        pages[at].contains("Jobbtorg Stockholm har i dag tolv kontor."),
        "{}",
        pages[at]
    );
}

#[test]
fn the_nämnd_templates_are_overridable() {
    let dir = namnd(|t| t);
    let mall = dir.path().join("mall");
    std::fs::create_dir(&mall).unwrap();
    let library = std::fs::read_to_string(repo().join("templates/protokoll.typ")).unwrap();
    std::fs::write(
        mall.join("protokoll.typ"),
        library.replace("Rätt utdraget intygar", "Rätt utdraget betygar"),
    )
    .unwrap();
    let template = std::fs::read_to_string(repo().join("templates/namnd.typ.j2")).unwrap();
    std::fs::write(
        mall.join("namnd.typ.j2"),
        template.replace("#namnd-underskrifter(", "Egen mall.\n#namnd-underskrifter("),
    )
    .unwrap();
    run_ok(
        dir.path(),
        &[
            "extract",
            "meeting.toml",
            "-p",
            "33",
            "-o",
            "u.pdf",
            "--templates",
            "mall",
        ],
    );
    assert!(pages_of(&dir.path().join("u.pdf")).contains("Rätt utdraget betygar"));
    run_ok(
        dir.path(),
        &["meeting.toml", "-o", "p.pdf", "--templates", "mall"],
    );
    assert!(pages_of(&dir.path().join("p.pdf")).contains("Egen mall."));
}

#[test]
fn extract_and_anslag_are_refused_for_an_fvg_meeting() {
    let dir = fixture("minimal");
    for args in [
        &["extract", "meeting.toml", "-p", "1"][..],
        &["anslag", "meeting.toml"][..],
    ] {
        let out = assemble(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("is made from a nämnd protocol"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn the_generated_source_only_calls_the_library_with_data() {
    let dir = namnd(|t| t);
    run_ok(dir.path(), &["meeting.toml", "-o", "p.pdf", "--emit-typst"]);
    let typ = std::fs::read_to_string(dir.path().join("p.typ")).unwrap();
    assert_in_order(
        &typ,
        &[
            "#show: namnd-dokument.with(",
            "header: \"Protokoll AMN 2020-04-21\"",
            "#namnd-forsta-sida(",
            "#namnd-paragraf(\n  number: 33,",
            "#omrostning(",
            "ja: 8,\n  nej: 5,\n  avstar: 2,",
            "#namnd-underskrifter(",
        ],
    );
}

#[test]
fn the_2015_fragment_begins_with_the_end_of_paragraf_7_and_claims_no_draft() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    let out = assemble(dir.path(), &["2015-paragraf-8-9.toml", "-o", "f.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pages = pages(&dir.path().join("f.pdf"));
    every_page_numbered(&pages);
    let all = fold(&pages.join("\n"));
    // The source's first words, then its § 8: nothing of it is left out, nothing reordered.
    assert_in_order(
        &all,
        &[
            "Slutet av § 7",
            "Det är oundvikligt att olika system",
            "kommer KSLs utvecklingsarbete till del.",
            "§ 8",
            "Tertialrapport 1 2015",
        ],
    );
    // A transcription of a protocol kept elsewhere is not our draft.
    assert!(!all.contains("UTKAST"), "{all}");
    assert!(!all.contains("Ej justerat"), "{all}");
}

#[test]
fn text_before_the_first_paragraf_is_refused_outside_a_fragment() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    let path = dir.path().join("2020-04-21.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "kind = \"namnd\"\n",
        "kind = \"namnd\"\npreceding = \"slutet\"\n",
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let out = assemble(dir.path(), &["check", "2020-04-21.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let line = text
        .lines()
        .position(|l| l.starts_with("preceding"))
        .unwrap()
        + 1;
    let err = stderr(&out);
    assert!(
        err.contains("only a fragment may begin with the end of an earlier §"),
        "{err}"
    );
    assert!(err.contains(&format!("2020-04-21.toml:{line}:")), "{err}");
}

/// Regression: an extract of a § that refers to a bilaga failed ("label `<bilaga-1>` does not
/// exist") because the extract carried no bilagor. It carries those its § refers to, under
/// their numbers in the protocol, and nothing else.
#[test]
fn an_extract_carries_the_bilagor_its_paragraf_refers_to() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    // § 34 refers to bilaga 1 (Markdown).
    run_ok(
        dir.path(),
        &["extract", "2020-04-21.toml", "-p", "34", "-o", "u34.pdf"],
    );
    let pages34 = pages(&dir.path().join("u34.pdf"));
    assert_eq!(sida(&pages34), [(1, 2), (2, 2), (1, 1)].map(Some));
    let all = pages34.join(" ");
    assert_in_order(
        &all,
        &[
            "bilaga 1",
            "Rätt utdraget intygar",
            "Bilaga 1: Föreningen Trappstegets",
        ],
    );
    assert!(!all.contains("Bilaga 2"), "{all}");
    // § 35 refers to bilaga 2, a PDF: its pages follow and its original is attached (PDF/A-3).
    run_ok(
        dir.path(),
        &["extract", "2020-04-21.toml", "-p", "35", "-o", "u35.pdf"],
    );
    let pdf35 = dir.path().join("u35.pdf");
    let pages35 = pages(&pdf35);
    assert_eq!(
        &sida(&pages35)[pages35.len() - 2..],
        [(1, 2), (2, 2)].map(Some)
    );
    assert!(pages35.last().unwrap().contains("Bilaga 2 till"));
    let bytes = String::from_utf8_lossy(&std::fs::read(&pdf35).unwrap()).into_owned();
    assert!(bytes.contains("<pdfaid:part>3</pdfaid:part>"));
    // § 33 refers to none: the extract stays PDF/A-2 and has no bilaga.
    run_ok(
        dir.path(),
        &["extract", "2020-04-21.toml", "-p", "33", "-o", "u33.pdf"],
    );
    let pdf33 = dir.path().join("u33.pdf");
    assert!(!pages(&pdf33).join(" ").contains("Bilaga"));
    let bytes = String::from_utf8_lossy(&std::fs::read(&pdf33).unwrap()).into_owned();
    assert!(bytes.contains("<pdfaid:part>2</pdfaid:part>"));
}

/// A signature line with nobody named printed ", sekreterare": the role alone is printed,
/// to be signed by hand (the fragment names no sekreterare).
#[test]
fn a_signature_line_without_a_name_prints_the_role_alone() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = repo().join("data/amn/2015-paragraf-8-9.toml");
    let pdf = dir.path().join("f.pdf");
    run_ok(
        dir.path(),
        &[meeting.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
    );
    let text = pages(&pdf).join("\n");
    assert!(text.contains("sekreterare"), "{text}");
    assert!(!text.contains(", sekreterare"), "{text}");
}
