//! Bilagor as they are really sent (issue 12): each case of `../shared/cases/bilagor/` (copied
//! to `tests/fixtures/cases/`, one folder a fault, its README the right result) and, for each
//! kind of fault, further constructs in `tests/fixtures/bilagor-kinds/` (built by its
//! `make.py`). Every check reads the produced PDF back; what is left out must be named in a
//! warning at the bilaga's `file =` line.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Every object of the PDF, object streams unpacked.
fn objects(pdf: &Path) -> Vec<lopdf::Object> {
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.objects.values().cloned().collect()
}

/// The link targets (`/URI`) of the PDF.
fn uris(pdf: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for o in objects(pdf) {
        if let Ok(d) = o.as_dict()
            && let Ok(action) = d.get(b"A").and_then(|a| a.as_dict())
            && let Ok(uri) = action.get(b"URI").and_then(|u| u.as_str())
        {
            found.push(String::from_utf8_lossy(uri).into_owned());
        }
    }
    found
}

/// How many structure elements of type `tag` (`TH`, `TD`, `H2`…) the tagged PDF has.
fn structure_count(pdf: &Path, tag: &[u8]) -> usize {
    objects(pdf)
        .iter()
        .filter(|o| {
            o.as_dict()
                .ok()
                .and_then(|d| d.get(b"S").ok())
                .and_then(|s| s.as_name().ok())
                == Some(tag)
        })
        .count()
}

/// Whether any image or colour space of the PDF is CMYK (PDF/A refuses it without a profile).
fn has_cmyk(pdf: &Path) -> bool {
    objects(pdf).iter().any(|o| {
        let dict = match o {
            lopdf::Object::Stream(s) => &s.dict,
            lopdf::Object::Dictionary(d) => d,
            _ => return false,
        };
        dict.get(b"ColorSpace")
            .ok()
            .and_then(|c| c.as_name().ok())
            .is_some_and(|n| n == b"DeviceCMYK")
    })
}

fn images(pdf: &Path) -> usize {
    objects(pdf)
        .iter()
        .filter(|o| match o {
            lopdf::Object::Stream(s) => s
                .dict
                .get(b"Subtype")
                .ok()
                .and_then(|n| n.as_name().ok())
                .is_some_and(|n| n == b"Image"),
            _ => false,
        })
        .count()
}

// --- The cases of ../shared/cases/bilagor, one test each ---------------------------------

#[test]
fn case_docx_cmyk_jpeg_is_converted_and_the_protocol_exports() {
    let (_d, pdf, err) = built_fixture("cases/docx-cmyk-jpeg");
    assert!(!has_cmyk(&pdf), "no CMYK left in the PDF/A");
    assert!(images(&pdf) >= 1, "the image is shown");
    assert!(!err.contains("alt text is shown instead"), "{err}");
}

#[test]
fn case_docx_form_checkboxes_show_their_state() {
    let (_d, pdf, _) = built_fixture("cases/docx-form-checkboxes");
    let text = bilaga_text(&pdf);
    assert!(
        text.contains("Beviljas (formulärfält): ☒ Ja ☐ Nej"),
        "{text}"
    );
    assert!(
        text.contains("Beviljas (Wingdings-symbol): ☒ Ja ☐ Nej"),
        "{text}"
    );
}

#[test]
fn case_docx_hidden_text_is_not_printed() {
    let (_d, pdf, _) = built_fixture("cases/docx-hidden-text");
    let text = bilaga_text(&pdf);
    assert!(text.contains("Synlig text. Mer synlig text."), "{text}");
    assert!(!text.contains("DOLD"), "{text}");
}

#[test]
fn case_docx_table_rows_and_cells_in_content_controls_are_shown() {
    let (_d, pdf, _) = built_fixture("cases/docx-sdt-table-rows");
    assert_in_order(
        &bilaga_text(&pdf),
        &[
            "Namn",
            "Förbund",
            "Rad i innehållskontroll A",
            "Vision",
            "Rad i innehållskontroll B",
            "Kommunal",
            "Vanlig rad",
            "Cell i innehållskontroll",
            "Slut.",
        ],
    );
}

#[test]
fn case_docx_list_styles_number_their_paragraphs() {
    let (_d, pdf, _) = built_fixture("cases/docx-style-list-numbering");
    assert_in_order(
        &bilaga_text(&pdf),
        &[
            "1. Första punkten",
            "2. Andra punkten",
            "3. Tredje punkten",
            "Synpunkter från de fackliga:",
            "• Alfa",
            "• Beta",
        ],
    );
}

#[test]
fn case_docx_table_header_row_repeats_on_every_page_as_header_cells() {
    let (_d, pdf, _) = built_fixture("cases/docx-table-header-row");
    let bilaga: Vec<String> = pages(&pdf)
        .into_iter()
        .filter(|p| p.contains("Bilaga 1 till"))
        .collect();
    assert!(bilaga.len() >= 2, "the table runs over pages: {bilaga:?}");
    for p in &bilaga {
        assert!(
            p.contains("Enhet Antal anställda Sjukfrånvaro"),
            "the header row is on every page: {p}"
        );
    }
    // Tagged once, as the table's head (its repeats on later pages are artifacts).
    assert_eq!(
        structure_count(&pdf, b"TH"),
        3,
        "header cells are tagged TH"
    );
    assert_eq!(structure_count(&pdf, b"THead"), 1);
}

#[test]
fn case_empty_docx_heading_is_skipped_with_a_located_warning() {
    let (_d, pdf, err) = built_fixture("cases/empty-heading-pdfua");
    assert!(err.contains("empty heading"), "{err}");
    assert!(err.contains("meeting.toml:42:8"), "{err}");
    assert!(bilaga_text(&pdf).contains("Text under en tom rubrik."));
}

#[test]
fn case_empty_markdown_heading_is_skipped_with_a_warning_at_its_line() {
    let (_d, pdf, err) = built_fixture("cases/empty-heading-pdfua-md");
    assert!(err.contains("an empty heading is left out"), "{err}");
    assert!(err.contains("b.md:1:1"), "{err}");
    assert!(bilaga_text(&pdf).contains("Text efter en tom rubrik."));
}

#[test]
fn case_long_file_name_breaks_inside_the_right_margin() {
    let (_d, pdf, _) = built_fixture("cases/long-token-overflow");
    assert_glyphs_inside_text_area(&pdf);
    let joined: String = bilaga_text(&pdf).split_whitespace().collect();
    assert!(
        joined.contains(
            "Bemanningsplanering_arbetssatt_Arbetsmarknadsforvaltningen_2020-09-17_slutversion_REV3_granskad.docx"
        ),
        "{joined}"
    );
}

#[test]
fn case_markdown_footnote_labels_match_case_insensitively() {
    let (_d, pdf, err) = built_fixture("cases/md-footnote-label-case");
    assert!(!err.contains("footnote"), "{err}");
    let text = bilaga_text(&pdf);
    assert!(text.contains("1 Kollektivavtal 2020."), "{text}");
}

#[test]
fn case_ticked_pdf_checkbox_is_drawn_without_a_warning() {
    let (_d, _pdf, err) = built_fixture("cases/pdf-form-checkbox");
    // The page is an image (see src/bilaga/pdf/widgets.rs for the drawing itself); nothing
    // about the form may be reported, since everything is drawn.
    assert!(!err.contains("form field"), "{err}");
    assert!(!err.contains("cannot be drawn"), "{err}");
}

// --- Each kind beyond the cases ------------------------------------------------------------

fn kinds() -> (tempfile::TempDir, PathBuf, String) {
    built_fixture("bilagor-kinds")
}

/// The text of bilaga `n` of the kinds fixture.
fn kind_bilaga(pdf: &Path, n: usize) -> String {
    let header = format!("Bilaga {n} till protokoll");
    pages(pdf)
        .into_iter()
        .filter(|p| p.contains(&header))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn kind_1_numbering_follows_the_style_chain_and_style_levels() {
    let (_d, pdf, _) = kinds();
    let text = kind_bilaga(&pdf, 1);
    assert_in_order(
        &text,
        &[
            "I. Ärendet",
            "Nämnden beslutar:",
            "1. Godkänna budgeten",
            "a) för skolan",
            "b) för äldreomsorgen",
            "2. Uppdra åt förvaltningen",
            "Inte numrerad trots stilen",
            "3. Överlämna ärendet",
            "II. Yttrandet",
        ],
    );
    assert!(!text.contains("3. Inte numrerad"), "{text}");
}

#[test]
fn kind_2_hidden_deleted_and_moved_text_is_not_printed() {
    let (_d, pdf, _) = kinds();
    let text = kind_bilaga(&pdf, 2);
    assert!(
        text.contains("Första synliga. Andra synliga. Tredje synliga."),
        "{text}"
    );
    assert_in_order(
        &text,
        &["Kolumn A", "Kolumn B", "Kvar A", "Kvar B", "Slut på dolt."],
    );
    for gone in ["STILDOLD", "SPECDOLD", "STRUKEN", "FLYTTAD", "RADERAD"] {
        assert!(!text.contains(gone), "`{gone}` is not printed: {text}");
    }
}

#[test]
fn kind_3_controls_fields_and_chunks_are_shown_or_named() {
    let (_d, pdf, err) = kinds();
    let text = kind_bilaga(&pdf, 3);
    assert_in_order(
        &text,
        &[
            "Text i en blockkontroll.",
            "Enhet: Jobbtorg Stockholm",
            "Bifalles: ☒ Ja ☐ Nej",
            "Se stadens webbplats och en skriptlänk.",
            "Val: Bifall",
            "Inklistrad rubrik",
            "Inklistrat stycke med å och &.",
            "Efter bitarna.",
        ],
    );
    assert!(
        !text.contains("dolt()") && !text.contains("Ingen"),
        "{text}"
    );
    assert!(
        err.contains("`word/chunk2.rtf` is in a format that is not read"),
        "{err}"
    );
    assert!(err.contains("paragraph 4: a `javascript:` link"), "{err}");
    let links = uris(&pdf);
    assert!(
        links.iter().any(|u| u == "https://start.stockholm/"),
        "{links:?}"
    );
}

#[test]
fn kind_4_header_rows_repeat_and_long_compounds_stay_in_their_cells() {
    let (_d, pdf, _) = kinds();
    let table: Vec<String> = pages(&pdf)
        .into_iter()
        .filter(|p| p.contains("Bilaga 4 till"))
        .collect();
    assert!(table.len() >= 3, "{}", table.len());
    for p in &table {
        assert_in_order(p, &["Enhet", "Status", "Kolumn 1", "Kolumn 6", "Rad"]);
    }
    // Two header rows of six cells, tagged once (the repeats are artifacts).
    assert!(structure_count(&pdf, b"TH") >= 12);
    assert_glyphs_inside_text_area(&pdf);
    // No cell's text runs into its neighbour's: words on one line never overlap.
    let (words, _) = words_with_boxes(&pdf);
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            let same_line = a.page == b.page && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5;
            let overlap = a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5;
            assert!(
                !(same_line && overlap),
                "`{}` and `{}` overlap on page {}",
                a.text,
                b.text,
                a.page
            );
        }
    }
}

#[test]
fn kind_6_footnote_labels_fold_case_and_space_and_a_second_definition_is_reported() {
    let (_d, pdf, err) = kinds();
    let text = kind_bilaga(&pdf, 6).replace(' ', "");
    // The note referred to inside note 3 is note 4, set right after it (Typst cannot set a
    // note inside a note reliably): its number follows 3's in the text, and note 3 shows it.
    assert_in_order(
        &text,
        &[
            "Första1ochandra2ochtredje34.",
            "1Etikettenmatchasutanskiftläge",
            "2Svenskabokstäver",
            "3Se4vidare.",
            "4Deninrefotnotenskrivsut.",
        ],
    );
    assert!(err.contains("referred to inside footnote"), "{err}");
    assert!(!text.contains("Denandradefinitionen"), "{text}");
    assert!(err.contains("defined a second time"), "{err}");
    assert!(err.contains("fotnoter.md:7:1"), "{err}");
}

#[test]
fn kind_7_empty_headings_are_left_out_with_a_warning_each() {
    let (_d, pdf, err) = kinds();
    assert!(err.contains("paragraph 1: an empty heading"), "{err}");
    assert!(err.contains("paragraph 2: an empty heading"), "{err}");
    assert!(err.contains("tomma-rubriker.md:1:1"), "{err}");
    assert!(err.contains("tomma-rubriker.md:5:1"), "{err}");
    assert_in_order(
        &kind_bilaga(&pdf, 8),
        &[
            "Text efter en tom rubrik.",
            "Mer text.",
            "Riktig rubrik",
            "Slut.",
        ],
    );
    // A `# Rubrik` in a § text fits under the § heading (PDF/UA refuses a skipped level).
    assert!(pages(&pdf).join(" ").contains("Rubrik i paragraftexten"));
}

#[test]
fn kind_8_cmyk_adobe_and_16_bit_images_are_converted() {
    let (_d, pdf, err) = kinds();
    assert!(!has_cmyk(&pdf));
    // Three in the DOCX, one CMYK file beside a Markdown bilaga.
    assert!(images(&pdf) >= 4, "every image is shown");
    assert!(!err.contains("image `word/media"), "{err}");
    assert!(!err.contains("gul-cmyk"), "{err}");
    assert_in_order(&kind_bilaga(&pdf, 12), &["Före bilden.", "Efter bilden."]);
}

#[test]
fn kind_9_a_pdf_form_field_without_appearance_is_named_with_its_page() {
    let (_d, _pdf, err) = kinds();
    assert!(
        err.contains("page 1: form field `Datum` has no appearance"),
        "{err}"
    );
    // The ticked box, the chosen radio button and the text field are drawn: not named.
    assert!(
        !err.contains("`Beviljas`") && !err.contains("`Omfattning`"),
        "{err}"
    );
}

#[test]
fn empty_and_script_links_keep_their_text_and_never_become_pdf_links() {
    let (_d, pdf, err) = kinds();
    let text = kind_bilaga(&pdf, 11).replace(' ', "");
    assert!(
        text.contains("Entomlänkochenskriptlänkochendoldochenriktig."),
        "{text}"
    );
    assert!(err.contains("lankar.md:1:4"), "{err}");
    assert!(err.contains("lankar.md:1:24"), "{err}");
    let links = uris(&pdf);
    assert!(
        links
            .iter()
            .all(|u| !u.to_lowercase().contains("script") && !u.is_empty()),
        "{links:?}"
    );
}

/// Markdown tables (GFM pipe tables, as pandoc writes a Word table) are tables, in a bilaga
/// and in the text of a §: the header row bold, tagged TH and repeated on every page the
/// table runs onto; no pipe or delimiter row is printed; a footnote in a cell is a real note;
/// a row's cells beyond the header's (which GFM drops) are named at their place.
#[test]
fn markdown_tables_are_tables_and_cells_beyond_the_header_are_named() {
    let (_d, pdf, err) = built_fixture("markdown-table");
    let all = pages(&pdf);
    // § 2's table, in the protocol's own pages.
    let protocol: String = all
        .iter()
        .filter(|p| !p.contains("Bilaga 1 till"))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    assert_in_order(
        &protocol,
        &[
            "Avdelning",
            "Tertial 1",
            "Tertial 2",
            "Jobbtorg Stockholm",
            "6,1 %",
            "5,4 %",
            "Vuxenutbildning Stockholm",
            "4,8 %",
            "4,2 %",
            "Sammanställningen",
        ],
    );
    let bilaga: Vec<&String> = all.iter().filter(|p| p.contains("Bilaga 1 till")).collect();
    assert!(bilaga.len() >= 2, "the table runs onto a second page");
    for page in &bilaga {
        assert_in_order(page, &["Nr", "Åtgärd", "Ansvarig", "Status"]);
    }
    let text = bilaga
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert_in_order(
        &text,
        &[
            "1 Åtgärd 1 för Jobbtorg Skärholmen Stab Klar",
            "10 Extra kolumn Stab Klar",
            "60 Åtgärd 60",
            "Tabellen uppdateras inför varje möte.",
        ],
    );
    assert!(!text.contains('|') && !text.contains("---"), "{text}");
    assert!(
        !text.contains("överbliven"),
        "a dropped cell is not printed"
    );
    // The note in a cell is a footnote on the page of its reference.
    let note_page = bilaga
        .iter()
        .find(|p| p.contains("Klar enligt beslut i förvaltningsgruppen."))
        .expect("the footnote is printed");
    assert!(
        note_page.contains("Åtgärd 4 för Kommunikation"),
        "{note_page}"
    );
    // Header cells: 3 in § 2's table and 4 in the bilaga's, tagged once each.
    assert_eq!(structure_count(&pdf, b"TH"), 7);
    // The cell GFM drops is named at its line and column in the bilaga file.
    assert!(
        err.contains("more cells than the table's header (4 columns)")
            && err.contains("`överbliven cell` is left out")
            && err.contains("bilagor/tabell.md:14:37"),
        "{err}"
    );
}

/// A table header that cannot repeat is still set whole: one with a footnote or a link is set
/// once (a repeat is an artifact, which PDF/UA forbids a link, and the note would be set
/// twice); one taller than a page is set as ordinary rows that break across pages.
#[test]
fn a_header_with_a_note_or_too_long_to_repeat_is_set_once_and_whole() {
    let dir = fixture("markdown-table");
    let rows: String = (1..=80).map(|i| format!("| {i} | rad {i} |\n")).collect();
    std::fs::write(
        dir.path().join("bilagor/tabell.md"),
        format!(
            "| Nr[^h] | [Text](https://stockholm.se) |\n|---|---|\n{rows}\n[^h]: Fotnot i rubriken.\n"
        ),
    )
    .unwrap();
    let pdf = build(dir.path());
    let all = pages(&pdf).join(" ");
    assert_eq!(all.matches("Fotnot i rubriken.").count(), 1, "{all}");
    assert_in_order(&all, &["Nr", "Text", "1 rad 1", "80 rad 80"]);

    let words: Vec<String> = (0..1500).map(|i| format!("ord{i}")).collect();
    std::fs::write(
        dir.path().join("bilagor/tabell.md"),
        format!(
            "| {} |\n|---|\n| rad |\n\nEfter tabellen.\n",
            words.join(" ")
        ),
    )
    .unwrap();
    let pdf = build(dir.path());
    let text: String = pages(&pdf).join(" ");
    let mut needles: Vec<&str> = words.iter().map(String::as_str).collect();
    needles.extend(["rad", "Efter tabellen."]);
    assert_in_order(&text, &needles);
}

/// A Markdown bilaga that starts with a byte order mark (as Windows editors write) is read as
/// without it: its first table (indented, as Markdown allows) is a table, and problems keep
/// their line and column as an editor shows them.
#[test]
fn a_byte_order_mark_hides_neither_a_table_nor_a_place() {
    let dir = fixture("markdown-table");
    std::fs::write(
        dir.path().join("bilagor/tabell.md"),
        "\u{feff}  | Nr | Åtgärd |\n  |---|---|\n  | 1 | Bemanning | kvar |\n",
    )
    .unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("bilagor/tabell.md:3:21"), "{err}");
    let text = pages(&dir.path().join("out.pdf")).join(" ");
    assert_in_order(&text, &["Nr Åtgärd", "1 Bemanning"]);
    assert!(!text.contains('|') && !text.contains("---"), "{text}");
}
