//! The protocol's structure on paper: bilaga numbering, footnotes, draft marking, attendance
//! forms, metadata and outline — on the small fixture and generated variants of it.

use std::fmt::Write as _;

use crate::common::*;

#[test]
fn bilagor_are_numbered_in_order_of_first_reference() {
    let dir = fixture("minimal");
    let pages = pages(&build(dir.path()));
    let all = pages.join(" ");
    // "yttrande" is listed second but referred to first (in §2).
    assert_in_order(
        &all,
        &[
            "se bilaga 1",
            "se även bilaga 2",
            "Bilaga 1: Särskilt yttrande",
            "Bilaga 2: Lista",
        ],
    );
    assert!(
        pages
            .iter()
            .any(|p| p.contains("Bilaga 1 till protokoll FVG 2020-09-17"))
    );
    assert!(
        pages
            .iter()
            .any(|p| p.contains("Bilaga 2 till protokoll FVG 2020-09-17"))
    );
}

#[test]
fn attendance_shows_remote_partial_presence_and_absence() {
    let dir = fixture("minimal");
    let first = &pages(&build(dir.path()))[0];
    assert!(
        first.contains("Karina Uddén, förvaltningschef, ordförande"),
        "{first}"
    );
    assert!(
        first.contains("Anna Gräslund, Lärarnas Riksförbund (Skype)"),
        "{first}"
    );
    assert!(
        first.contains("Carl Korch, SACO-rådet – Närvarande under §1–2"),
        "{first}"
    );
    assert_in_order(
        first,
        &["Anmält förhinder/frånvarande", "Malin Appelqvist, Kommunal"],
    );
}

/// Adds `line` to the `[organisation]` of the meeting in `dir` (after its `phone`, line 13).
fn with_organisation_line(dir: &std::path::Path, line: &str) {
    let path = dir.join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let phone = "phone = \"0850835518\"\n";
    assert!(text.contains(phone), "the fixture's [organisation] changed");
    std::fs::write(&path, text.replace(phone, &format!("{phone}{line}\n"))).unwrap();
}

/// The organisation's footer (address, "Telefon …") stands at the foot of the protocol's
/// last page only, after its last §, as in the real FVG protocol of 2020-09-17
/// (`../shared/seeds/000`); `footer_on = "first-page"` puts it on the cover instead. Never on
/// a bilaga's pages.
#[test]
fn the_organisations_footer_stands_on_one_page_of_the_protocol_only() {
    let footer = "Telefon 0850835518";
    let dir = fixture("minimal");
    let pages = pages(&build(dir.path()));
    // The protocol's own pages are those before the first bilaga page.
    let protocol = pages
        .iter()
        .take_while(|p| !p.contains("Bilaga 1 till protokoll"))
        .count();
    assert!(
        protocol >= 2 && protocol < pages.len(),
        "the fixture must have a protocol of several pages and bilagor: {pages:#?}"
    );
    let with_footer: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].contains(footer))
        .collect();
    assert_eq!(with_footer, [protocol - 1], "{pages:#?}");
    let last = &pages[protocol - 1];
    assert_in_order(last, &["Mötet avslutades", "Livdjursgatan 4", footer]);

    with_organisation_line(dir.path(), "footer_on = \"first-page\"");
    let pages = crate::common::pages(&build(dir.path()));
    let with_footer: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].contains(footer))
        .collect();
    assert_eq!(with_footer, [0], "{pages:#?}");
    assert_in_order(&pages[0], &["Anmält förhinder/frånvarande", footer]);
}

/// Contact lines that do not fit in the bottom margin (a long address; a nämnd's small
/// margin) stand at the bottom of the text area instead: no line is cut off by the page edge.
#[test]
fn contact_lines_too_tall_for_the_margin_are_never_cut_off() {
    let address = "Arbetsmarknadsförvaltningen, Avdelningen för vuxenutbildning och \
                   arbetsmarknadsinsatser, Besöksadress: Livdjursgatan 4, 121 62 Johanneshov, \
                   Postadress: Box 44, 121 25 Stockholms-Globen";
    let dir = fixture("minimal");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "address = \"Livdjursgatan 4\"\n",
        &format!("address = \"{address}\"\nemail = \"amf@stockholm.se\"\nweb = \"stockholm.se\"\n"),
    );
    std::fs::write(&path, text).unwrap();
    let pdf = build(dir.path());
    let all = pages(&pdf).join(" ");
    assert_in_order(
        &all,
        &[
            "Besöksadress",
            "Stockholms-Globen",
            "Telefon 0850835518",
            "amf@stockholm.se",
            "stockholm.se",
        ],
    );
    assert_glyphs_inside_text_area(&pdf);
    // Every glyph of the page also lies above its bottom edge.
    let (words, sizes) = words_with_boxes(&pdf);
    for w in &words {
        let (_, height) = sizes[w.page - 1];
        assert!(w.y1 <= height, "`{}` runs off page {}", w.text, w.page);
    }
}

/// A page the meeting file names that does not exist is refused at its line, with the
/// choices as the hint.
#[test]
fn an_unknown_footer_page_is_refused_at_its_line() {
    let dir = fixture("minimal");
    with_organisation_line(dir.path(), "footer_on = \"every-page\"");
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("meeting.toml:14:"), "{err}");
    assert!(
        err.contains("last-page") && err.contains("first-page"),
        "{err}"
    );
    assert!(!dir.path().join("out.pdf").exists());
}

/// A value of the wrong type where a key takes one of some words gets the words as a hint
/// (serde itself says only "wanted string or table").
#[test]
fn a_number_where_a_word_is_wanted_names_the_words() {
    let dir = fixture("minimal");
    with_organisation_line(dir.path(), "footer_on = 1");
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("meeting.toml:14:13"), "{err}");
    assert!(
        err.contains("`footer_on` takes one of \"last-page\", \"first-page\""),
        "{err}"
    );
}

#[test]
fn a_protocol_without_justering_is_marked_draft_on_every_page() {
    let dir = fixture("minimal");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("justerad = 2020-09-18\n", "");
    std::fs::write(&path, text).unwrap();
    let pages = pages(&build(dir.path()));
    assert!(pages.len() >= 3);
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("UTKAST – ej justerat"),
            "page {} lacks the draft mark:\n{page}",
            i + 1
        );
    }
    assert!(!pages[0].contains("Justerat den"));
}

#[test]
fn footnotes_sit_on_the_page_of_their_reference_numbered_per_bilaga() {
    let dir = fixture("minimal");
    // A long bilaga: 40 paragraphs, each ending in its own footnote, over several pages.
    let mut md = String::new();
    let mut notes = String::new();
    for n in 1..=40 {
        writeln!(
            md,
            "Stycke {n} börjar här. {}Stycke {n} slut.[^{n}]\n",
            "Fyllnadstext i stycket. ".repeat(6)
        )
        .unwrap();
        writeln!(notes, "[^{n}]: Fotnot för stycke {n}.").unwrap();
    }
    std::fs::write(
        dir.path().join("bilagor/yttrande.md"),
        format!("{md}\n{notes}"),
    )
    .unwrap();
    let pdf = build(dir.path());
    let pages = pages(&pdf);
    let bilaga_pages: Vec<&String> = pages
        .iter()
        .filter(|p| p.contains("Bilaga 1 till protokoll"))
        .collect();
    assert!(bilaga_pages.len() >= 3, "the long bilaga spans pages");
    for n in 1..=40 {
        let reference = format!("Stycke {n} slut.");
        let note = format!("Fotnot för stycke {n}.");
        let page = pages.iter().find(|p| p.contains(&reference)).unwrap();
        assert!(
            page.contains(&note),
            "footnote {n} is not on the page of its reference:\n{page}"
        );
    }
    // Numbered from 1 in this bilaga: the 40th note carries the number 40.
    let last = pages
        .iter()
        .find(|p| p.contains("Fotnot för stycke 40."))
        .unwrap();
    assert!(
        last.contains("40Fotnot för stycke 40.") || last.contains("40 Fotnot för stycke 40."),
        "{last}"
    );
}

#[test]
fn pdf_has_title_author_language_keywords_and_an_outline() {
    let dir = fixture("minimal");
    let pdf = build(dir.path());
    let bytes = std::fs::read(&pdf).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // The XMP metadata carries what archives index (PDF/A requires it to match the Info dict).
    for needle in [
        "Protokoll från möte med FVG den 17 september 2020",
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "pdfuaid:part",
        "AMN 2020-0654-1.6",
        "sv-SE",
    ] {
        assert!(text.contains(needle), "metadata lacks {needle}");
    }
    let toc = doc.get_toc().unwrap();
    let titles: Vec<&str> = toc.toc.iter().map(|t| t.title.as_str()).collect();
    let expected_prefixes = [
        "Protokoll från möte med FVG",
        "§ 1. Mötets öppnande",
        "§ 2. Nämndärenden",
        "§ 3. Mötet avslutades",
        "Bilaga 1: Särskilt yttrande",
        "Bilaga 2: Lista",
    ];
    assert_eq!(titles.len(), expected_prefixes.len(), "{titles:?}");
    for (t, e) in titles.iter().zip(expected_prefixes) {
        assert!(t.starts_with(e), "{titles:?}");
    }
}

#[test]
fn first_paragraf_number_is_configurable() {
    let dir = fixture("minimal");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(
            "organ = \"FVG\"\n",
            "organ = \"FVG\"\nfirst_paragraf = 41\n",
        )
        .replace("only = \"1-2\"", "only = \"41-42\"");
    std::fs::write(&path, text).unwrap();
    let all = pages(&build(dir.path())).join(" ");
    assert_in_order(
        &all,
        &[
            "Närvarande under §41–42",
            "§ 41. Mötets öppnande",
            "§ 42. Nämndärenden",
            "§ 43. Mötet avslutades",
        ],
    );
}
