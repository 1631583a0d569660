//! The nämnd's own wording (issue 21): the protocol's phrases come from the house style's
//! `[fraser]` where the nämnd words them its own way — the role before or after an
//! official's name, the attendance labels' capitals, "Förslag till beslut" with its colon —
//! and a reservation's own förslag has its lead sentence before its att-satser. Each
//! fixture under `tests/fixtures/wording-*` is built by the real binary and read back.

use std::path::Path;

use crate::common::*;

fn text_of(dir: &Path) -> String {
    pages(&build(dir)).join(" ")
}

fn check(dir: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    crate::common::check_json(dir, "meeting.toml")
}

fn append(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    let before = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, format!("{before}{text}")).unwrap();
}

#[test]
fn the_foredragande_sentence_names_the_role_before_or_after_the_name_as_the_house_style_says() {
    let dir = fixture("wording-role-first");
    let text = text_of(dir.path());
    for sentence in [
        "Föredragande vid sammanträdet var förvaltningschef Karina Uddén.",
        "Närvarade gjorde även nämndsekreterare Nils Dahl.",
    ] {
        assert!(text.contains(sentence), "`{sentence}` in:\n{text}");
    }
    assert!(!text.contains("Karina Uddén, förvaltningschef"), "{text}");

    // The meeting's own [husstil] words it back, role after the name.
    append(
        dir.path(),
        "meeting.toml",
        "\n[husstil.fraser]\ntjansteman = \"{namn}, {roll}\"\n",
    );
    let text = text_of(dir.path());
    assert!(
        text.contains("Föredragande vid sammanträdet var Karina Uddén, förvaltningschef."),
        "{text}"
    );
}

#[test]
fn attendance_labels_are_capitalised_as_the_namnd_writes_them() {
    let dir = fixture("wording-labels");
    let page1 = &pages(&build(dir.path()))[0];
    for row in [
        "Tjänstg. Ers. Sara Lind (S) för Omar Ali (S)",
        "Ej tjänstg. Ers. Eva Sund (KD)",
        "Ordförande Anna Berg (S)",
    ] {
        assert!(page1.contains(row), "`{row}` on page 1:\n{page1}");
    }
    assert!(!page1.contains("Tjänstg. ers."), "{page1}");
}

#[test]
fn a_reservations_own_forslag_has_its_lead_sentence_before_its_att_satser() {
    let dir = fixture("wording-own-forslag");
    let text = text_of(dir.path());
    assert_in_order(
        &text,
        &[
            "Reservation",
            "Vice ordföranden Per Holm (M) och ledamoten Ida Sandberg (M) reserverade sig mot beslutet till förmån för eget förslag.",
            "Förslag till beslut",
            "Moderaterna föreslår att nämnden beslutar",
            "1. att återremittera ärendet till förvaltningen,",
            "2. att riktlinjerna kompletteras med en konsekvensanalys.",
            "Riktlinjerna saknar en analys",
            "Särskilt uttalande",
            "Ledamoten Erik Falk (L) lämnade följande särskilda uttalande.",
            "Förslag till beslut",
            "Liberalerna hade föreslagit",
            "1. att riktlinjerna följs upp efter ett år.",
        ],
    );
    // Without a house style, the heading is the built-in one, without a colon.
    assert!(!text.contains("Förslag till beslut:"), "{text}");

    // A lead sentence leads att-satser: alone it is an error at its line.
    let path = dir.path().join("meeting.toml");
    let meeting = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        meeting.replace(
            "att = [\"att riktlinjerna följs upp efter ett år.\"]\n",
            "text = \"Se ovan.\"\n",
        ),
    )
    .unwrap();
    let (code, objects) = check(dir.path());
    assert_eq!(code, Some(1), "{objects:?}");
    let o = &objects[0];
    assert!(
        o["message"].as_str().unwrap().contains("forslag_inledning"),
        "{o}"
    );
    assert_eq!(o["line"], 75, "{o}");
}

#[test]
fn forslag_till_beslut_keeps_its_colon_as_the_namnd_writes_it() {
    let dir = fixture("wording-colon");
    let text = text_of(dir.path());
    // The § section, and the reservation's and the uttalande's own förslag.
    assert_eq!(text.matches("Förslag till beslut:").count(), 3, "{text}");
    assert_eq!(text.matches("Förslag till beslut").count(), 3, "{text}");
}

#[test]
fn an_unknown_placeholder_in_a_house_style_phrase_is_an_error_at_its_place() {
    let dir = fixture("wording-role-first");
    std::fs::write(
        dir.path().join("husstil.toml"),
        "foredragande = \"sentence\"\n\n[fraser]\ntjansteman = \"{titel} {namn}\"\n",
    )
    .unwrap();
    let (code, objects) = check(dir.path());
    assert_eq!(code, Some(1), "{objects:?}");
    let o = &objects[0];
    assert_eq!(o["file"], "husstil.toml", "{o}");
    assert_eq!(
        (o["line"].as_u64(), o["column"].as_u64()),
        (Some(4), Some(15)),
        "{o}"
    );
    assert!(o["message"].as_str().unwrap().contains("`{titel}`"), "{o}");
    let hint = o["hint"].as_str().unwrap();
    assert!(hint.contains("{namn}") && hint.contains("{roll}"), "{o}");

    // Nothing is written, and the same in the meeting's own [husstil] is placed there.
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    assert!(!out.status.success() && !dir.path().join("out.pdf").exists());
    std::fs::remove_file(dir.path().join("husstil.toml")).unwrap();
    append(
        dir.path(),
        "meeting.toml",
        "\n[husstil.fraser]\njav = \"{namn} var jävig.\"\n",
    );
    let (code, objects) = check(dir.path());
    assert_eq!(code, Some(1), "{objects:?}");
    let o = &objects[0];
    assert_eq!(o["file"], "meeting.toml", "{o}");
    assert_eq!(
        (o["line"].as_u64(), o["column"].as_u64()),
        (Some(79), Some(8)),
        "{o}"
    );
}

#[test]
fn a_phrase_and_its_placeholder_values_are_text_never_typst_code() {
    let dir = fixture("wording-role-first");
    let path = dir.path().join("meeting.toml");
    let meeting = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        meeting.replace(
            "role = \"förvaltningschef\"",
            "role = \"chef #strong[x] $y$\"",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("husstil.toml"),
        "foredragande = \"sentence\"\n\n[fraser]\ntjansteman = \"{roll} {namn} #emph[z]\"\n",
    )
    .unwrap();
    let text = text_of(dir.path());
    assert!(
        text.contains(
            "Föredragande vid sammanträdet var chef #strong[x] $y$ Karina Uddén #emph[z]."
        ),
        "{text}"
    );
}

#[test]
fn a_misspelt_phrase_key_gets_a_did_you_mean() {
    let dir = fixture("wording-own-forslag");
    append(
        dir.path(),
        "meeting.toml",
        "\n[husstil.fraser]\nrubrik_forslg = \"Förslag till beslut:\"\n",
    );
    let (code, objects) = check(dir.path());
    assert_eq!(code, Some(1), "{objects:?}");
    let o = &objects[0];
    assert!(
        o["message"].as_str().unwrap().contains("rubrik_forslg"),
        "{o}"
    );
    assert!(
        o["hint"].as_str().unwrap().contains("`rubrik_forslag`"),
        "{o}"
    );
}

#[test]
fn the_next_meeting_carries_the_meetings_own_phrases() {
    let dir = fixture("wording-own-forslag");
    let phrase = "Förslag till beslut:\"\"\" {{x}}";
    append(
        dir.path(),
        "meeting.toml",
        &format!(
            "\n[husstil.fraser]\nrubrik_forslag = {}\n",
            toml_string(phrase)
        ),
    );
    let next = new_next(dir.path(), "2024-04-11");
    let table: toml::Table = next.parse().unwrap();
    assert_eq!(
        table["husstil"]["fraser"]["rubrik_forslag"].as_str(),
        Some(phrase),
        "{next}"
    );
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[test]
fn the_omedelbar_point_worded_by_the_house_style_is_the_records_decision_too() {
    let dir = fixture("wording-own-forslag");
    let path = dir.path().join("meeting.toml");
    let meeting = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        meeting.replace(
            "bifall = \"a\"\n",
            "bifall = \"a\"\nomedelbar_justering = true\n",
        ),
    )
    .unwrap();
    let point = "Paragrafen förklarades omedelbart justerad av välfärdsnämnden.";
    std::fs::write(
        dir.path().join("husstil.toml"),
        format!("[fraser]\nomedelbar_justering = \"{point}\"\n"),
    )
    .unwrap();
    let text = text_of(dir.path());
    assert!(text.contains(&format!("2. {point}")), "{text}");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap();
    let item = record["agenda_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["number"] == 14)
        .unwrap();
    assert_eq!(item["decisions"][1], point, "{item}");
}

/// Who made the förvaltning's proposal, how a list's last name is joined and the justering
/// line are the nämnd's to word (`forvaltningen`, `lista`, `justering_*`), in the PDF and
/// the record alike; without its house style the built-in wording stays.
#[test]
fn the_forvaltnings_proposal_the_lists_join_and_the_justering_line_are_worded_as_the_namnd_writes_them()
 {
    let dir = fixture("wording-own-list");
    let text = text_of(dir.path());
    let own = [
        "Justerare Per Holm (M) samt Erik Falk (L)",
        "Justering onsdag den 20 mars 2024 klockan 10:00 i Kommunhuset",
        "Att jämte ordföranden justera dagens protokoll utsågs Per Holm (M) samt Erik Falk (L). Justering sker onsdag den 20 mars 2024 klockan 10:00 i Kommunhuset.",
        "Välfärdsförvaltningen föreslog att anta riktlinjerna.",
        "Vice ordföranden Per Holm (M) samt ledamoten Ida Sandberg (M) reserverade sig mot beslutet",
    ];
    for phrase in own {
        assert!(text.contains(phrase), "`{phrase}` in:\n{text}");
    }
    for built_in in [
        " och Erik Falk",
        "Förvaltningen föreslog",
        "kl. 10:00",
        "(M) och ledamoten",
    ] {
        assert!(!text.contains(built_in), "`{built_in}` in:\n{text}");
    }
    let record = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap()
    };
    let r = record(dir.path());
    let item = &r["agenda_items"][2];
    assert_eq!(
        item["motions"][0]["proposed_by"], "Välfärdsförvaltningen",
        "{item}"
    );
    assert_eq!(
        item["reservations"][0]["by"],
        "vice ordföranden Per Holm (M) samt ledamoten Ida Sandberg (M)",
        "{item}"
    );

    // Without the house style: the built-in wording.
    std::fs::remove_file(dir.path().join("husstil.toml")).unwrap();
    let text = text_of(dir.path());
    for phrase in [
        "Justerare Per Holm (M) och Erik Falk (L)",
        "Justering onsdag den 20 mars 2024 kl. 10:00, Kommunhuset",
        "Att jämte ordföranden justera dagens protokoll utsågs Per Holm (M) och Erik Falk (L). Justering sker onsdag den 20 mars 2024 kl. 10:00, Kommunhuset.",
        "Förvaltningen föreslog att anta riktlinjerna.",
        "Vice ordföranden Per Holm (M) och ledamoten Ida Sandberg (M) reserverade sig mot beslutet",
    ] {
        assert!(text.contains(phrase), "`{phrase}` in:\n{text}");
    }
    assert!(!text.contains("samt"), "{text}");
    let r = record(dir.path());
    let item = &r["agenda_items"][2];
    assert_eq!(item["motions"][0]["proposed_by"], "Förvaltningen", "{item}");
    assert_eq!(
        item["reservations"][0]["by"],
        "vice ordföranden Per Holm (M) och ledamoten Ida Sandberg (M)",
        "{item}"
    );
}

/// The record of the meeting built in `dir`.
fn record_in(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap()
}

#[test]
fn who_proposed_is_followed_by_the_verb_the_namnd_writes() {
    let dir = fixture("wording-foreslog");
    let text = text_of(dir.path());
    for lead in [
        "Förvaltningen yrkade att anta riktlinjerna.",
        "Vice ordföranden Per Holm (M) yrkade att återremittera ärendet.",
    ] {
        assert!(text.contains(lead), "`{lead}` in:\n{text}");
    }
    assert!(!text.contains("föreslog"), "{text}");
    // The record names who proposed as before: the verb is the protocol's.
    let r = record_in(dir.path());
    assert_eq!(
        r["agenda_items"][2]["motions"][1]["proposed_by"],
        "Vice ordföranden Per Holm (M)"
    );
}

#[test]
fn the_page_header_is_worded_as_the_namnd_writes_it() {
    let dir = fixture("wording-header");
    let pdf = build(dir.path());
    let pages = pages(&pdf);
    assert!(pages.len() > 1, "{pages:?}");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("VFN:s protokoll 2024-03-14"),
            "page {}: {page}",
            i + 1
        );
    }
    assert!(!pages.join(" ").contains("Protokoll VFN"), "{pages:?}");
}

#[test]
fn the_title_is_worded_as_the_namnd_writes_it_on_page_1_and_in_the_record() {
    let dir = fixture("wording-title");
    let pdf = build(dir.path());
    let title = "Protokoll fört vid välfärdsnämndens sammanträde 14 mars 2024";
    assert!(pages(&pdf)[0].contains(title), "{:?}", pages(&pdf)[0]);
    assert_eq!(record_in(dir.path())["meeting"]["name"], title);
    // The extract's heading names the protocol by it too.
    let out = assemble(
        dir.path(),
        &["extract", "meeting.toml", "-p", "14", "-o", "u.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let extract = pages(&dir.path().join("u.pdf")).join(" ");
    assert!(
        extract.contains("Utdrag ur protokoll fört vid välfärdsnämndens sammanträde 14 mars 2024"),
        "{extract}"
    );
}

#[test]
fn when_the_meeting_was_held_is_worded_as_the_namnd_writes_it() {
    let dir = fixture("wording-tidpunkt");
    let page1 = &pages(&build(dir.path()))[0];
    assert!(
        page1.contains("Torsdag den 14 mars 2024 klockan 13:00–15:10"),
        "{page1}"
    );
    assert!(!page1.contains("kl. 13:00"), "{page1}");
}

#[test]
fn a_meeting_held_partly_at_a_distance_says_so_as_the_namnd_writes_it() {
    let dir = fixture("wording-remote");
    let page1 = &pages(&build(dir.path()))[0];
    let plats = "Kommunhuset, Sal A och på distans via Teams";
    assert!(page1.contains(plats), "{page1}");
    assert!(!page1.contains("samt via"), "{page1}");
    assert_eq!(record_in(dir.path())["meeting"]["location"], plats);
}

/// An FVG words its protocol's lines in its house style as a nämnd does (issue 21): the
/// title on page 1, in the PDF's metadata and the record; a placeholder its key does not
/// take, and a nämnd's key an FVG protocol has no use for, stand at `husstil.toml:line:col`.
#[test]
fn an_fvg_words_its_title_as_its_house_style_says() {
    let dir = fixture("wording-fvg");
    let pdf = build(dir.path());
    let title = "Protokoll fört vid FVG:s möte 17 september 2020";
    assert!(pages(&pdf)[0].contains(title), "{:?}", pages(&pdf)[0]);
    assert!(
        !pages(&pdf)[0].contains("Protokoll från möte med FVG"),
        "{:?}",
        pages(&pdf)[0]
    );
    assert_eq!(record_in(dir.path())["meeting"]["name"], title);
    // Untouched keys keep the built-in wording.
    assert!(
        pages(&pdf)[0].contains("Livdjursgatan 4 samt via Skype"),
        "{:?}",
        pages(&pdf)[0]
    );

    let style = dir.path().join("husstil.toml");
    std::fs::write(&style, "[fraser]\ntitel = \"Möte {namnd_genitiv}\"\n").unwrap();
    let err = stderr(&assemble(dir.path(), &["check", "meeting.toml"]));
    assert!(err.contains("husstil.toml:2:15"), "{err}");
    assert!(err.contains("`titel` takes `{organ}`, `{datum}`"), "{err}");
    std::fs::write(&style, "new_page = \"all\"\n").unwrap();
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("husstil.toml:1:1"),
        "{}",
        stderr(&out)
    );
}

/// A dateless fragment's title is a phrase of the house style too (`titel_utdrag`, issue
/// 21): the sample fragment of 2015 titled as the nämnd words it.
#[test]
fn a_dateless_fragments_title_is_worded_as_the_house_style_says() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    let style = dir.path().join("husstil.toml");
    let mut text = std::fs::read_to_string(&style).unwrap();
    text.push_str("\n[fraser]\ntitel_utdrag = \"Ur {namnd_genitiv} protokoll år {ar}\"\n");
    std::fs::write(&style, text).unwrap();
    let out = assemble(
        dir.path(),
        &["2015-paragraf-8-9.toml", "-o", "fragment.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let page1 = &pages(&dir.path().join("fragment.pdf"))[0];
    assert!(
        page1.contains("Ur arbetsmarknadsnämndens protokoll år 2015"),
        "{page1}"
    );
    assert!(!page1.contains("Utdrag ur protokoll från"), "{page1}");
}
