//! The sample archive in data/: both seed FVG protocols, rendered whole and read back.

use crate::common::*;

fn render_sample(name: &str) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join(format!("{name}.pdf"));
    let meeting = repo().join("data/fvg").join(format!("{name}.toml"));
    let out = assemble(
        dir.path(),
        &[meeting.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("wrote"), "{}", stdout(&out));
    let pages = pages(&pdf);
    assert_eq!(pages.len(), page_count(&pdf));
    (dir, pages)
}

/// Every page's "Sida X (Y)": parts numbered from 1, Y the part's own page count.
fn assert_numbering(pages: &[String], parts: &[usize]) {
    let mut expected = Vec::new();
    for &len in parts {
        expected.extend((1..=len).map(|x| Some((x, len))));
    }
    assert_eq!(sida(pages), expected);
}

#[test]
fn fvg_2020_09_17_has_every_paragraf_footnote_and_signature() {
    let (_dir, pages) = render_sample("2020-09-17");
    let all = pages.join(" ");
    assert!(pages[0].contains("Protokoll från möte med FVG den 17 september 2020"));
    assert!(pages[0].contains("Torsdag den 17 september 2020, kl. 09:00 – 10:50"));
    assert!(pages[0].contains("Livdjursgatan 4, konferensrummet Maracanã samt via Skype"));
    assert!(
        pages[0].contains("Karin Eriksson-Bech, utvecklingschef – Närvarande under §1–7 och §9")
    );
    assert!(pages[0].contains("Justerat den 18 september 2020"));
    for name in [
        "Karina Uddén, ordförande",
        "Anna Gräslund, justerare",
        "Niklas Malmström, sekreterare",
    ] {
        assert!(
            pages[0].contains(name),
            "signature `{name}` on page 1:\n{}",
            pages[0]
        );
    }
    assert_in_order(
        &all,
        &[
            "§ 1. Mötets öppnande",
            "§ 2. Val av sekreterare",
            "§ 3. Val justerare och justeringsdag",
            "§ 4. Föregående protokoll",
            "§ 5. Godkännande av dagordning",
            "§ 6. Närvarande personalföreträdare",
            "Information",
            "§ 7. Information om verksamheten i förvaltningen",
            "Dialog",
            "§ 8. Aktuellt dialogämne",
            "Ärendehantering",
            "§ 9. Nämndärenden",
            "AMN 2020-0654-1.6",
            "se bilaga 2",
            "se bilaga 3",
            "§ 10. Skyddskommittéärenden",
            "§ 11. Nästa möte",
            "§ 12. Mötet avslutades",
            "Bilaga 1",
            "Bilaga 2",
            "Carl Korch",
            "Bilaga 3",
        ],
    );
    // Bilaga 2 (SACO-rådet on SOU 2020:41): all eight footnotes, in order, in its pages.
    let start = pages
        .iter()
        .position(|p| p.contains("Bilaga 2 till protokoll FVG 2020-09-17"))
        .unwrap();
    let end = pages
        .iter()
        .position(|p| p.contains("Bilaga 3 till protokoll FVG 2020-09-17"))
        .unwrap();
    let bilaga2 = pages[start..end].join(" ");
    assert_in_order(
        &bilaga2,
        &[
            "SOU 2020:41. Sid 153.",
            "Inid. Sid. 155.",
            "Ibid. Sid 49.",
            "Ibid. Sid 143.",
            "riksdagen.se",
            "Ibid. 182",
            "Ibid. Sid 196",
            "Ibid, sid 67-68.",
        ],
    );
    assert!(bilaga2.contains("Ordförande för SACO-rådet, Kista den 14 september 2020."));
}

#[test]
fn fvg_2020_09_17_numbers_every_page_per_part() {
    let (_dir, pages) = render_sample("2020-09-17");
    let parts = part_lengths(&pages, "2020-09-17");
    // Protocol 5 pages (cover + §), bilaga 1–3: 2, 2, 3. Update when the layout changes on purpose.
    assert_eq!(
        parts,
        [5, 2, 2, 3],
        "pages of the protocol and its three bilagor"
    );
    assert_numbering(&pages, &parts);
}

#[test]
fn fvg_2020_04_16_has_every_paragraf_and_both_bilagor() {
    let (_dir, pages) = render_sample("2020-04-16");
    let all = pages.join(" ");
    assert!(pages[0].contains("Torsdag den 16 april 2020, kl. 09:00 – 11:15"));
    let titles: Vec<String> = (1..=17).map(|n| format!("§ {n}. ")).collect();
    let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    assert_in_order(&all, &refs);
    assert_in_order(
        &all,
        &[
            "§ 15. Balanslista",
            "Uppföljning av lokaler på Livdjursgatan",
            "§ 17. Mötet avslutades",
        ],
    );
    assert_in_order(
        &all,
        &[
            "Bilaga 1",
            "Hälsningar Carl Korch",
            "Bilaga 2",
            "Besvaras:",
            "Besvaras:",
            "Besvaras:",
        ],
    );
    let parts = part_lengths(&pages, "2020-04-16");
    assert_eq!(
        parts,
        [9, 2, 2],
        "pages of the protocol and its two bilagor"
    );
    assert_numbering(&pages, &parts);
}

/// Page counts of the protocol and each bilaga, from the header each page carries.
fn part_lengths(pages: &[String], date: &str) -> Vec<usize> {
    let mut parts: Vec<usize> = Vec::new();
    let mut current = String::new();
    for page in pages {
        let label = match page.find("Bilaga ") {
            Some(at) if page[at..].contains(&format!("till protokoll FVG {date}")) => {
                page[at..].split(" till").next().unwrap().to_string()
            }
            _ => "protokoll".to_string(),
        };
        if label != current {
            parts.push(0);
            current = label;
        }
        *parts.last_mut().unwrap() += 1;
    }
    parts
}
