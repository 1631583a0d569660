//! Hostile and odd input (issue 13): the hostile strings print literally in every kind of
//! text, what cannot print is named where it is, `new` never turns a copied value into
//! TOML, and errors that used to come without a place are located.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// The hostile strings of `tests/fixtures/hostile/strings.txt` (a copy of the shared cases'
/// `hostile-strings.txt`), one per line.
fn hostile() -> Vec<String> {
    std::fs::read_to_string(repo().join("tests/fixtures/hostile/strings.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Text pasted from e-mail and Word: (as typed, as printed). Control characters,
/// noncharacters and a BOM are removed; a private-use character prints as U+FFFD.
const PASTED: &[(&str, &str)] = &[
    ("emoji 😀 👍🏽 ❤️ 🇸🇪 ☐☒✓✔→€ ½", "emoji 😀 👍🏽 ❤️ 🇸🇪 ☐☒✓✔→€ ½"),
    ("Ωμέγα Жизнь Հայերեն ქართული", "Ωμέγα Жизнь Հայերեն ქართული"),
    (
        "bom\u{FEFF}non\u{FFFE}\u{FFFF}\u{FDD0}pua\u{E000}end",
        "bomnonpua\u{FFFD}end",
    ),
];

/// Only in multi-line text (one-line fields refuse them): control characters and line
/// separators.
const PASTED_TEXT: &[(&str, &str)] = &[
    (
        "nul\u{0}esc\u{1B}c1\u{85}\u{9F}del\u{7F}end",
        "nulescc1delend",
    ),
    ("rad\u{2028}ny\u{2029}stycke", "rad ny stycke"),
];

/// The line with a 105-letter word: its breaking is a separate fix; it must render, but the
/// part past the margin is not in the text.
fn is_long_word(line: &str) -> bool {
    line.split_whitespace().any(|w| w.chars().count() > 60)
}

/// Markdown that is refused on purpose, at its place: images in the meeting file, a footnote
/// reference without a footnote.
fn refused_in_markdown(line: &str) -> bool {
    line.contains("![") || line.contains("[^")
}

/// Text for comparison: no whitespace or invisible formatting characters (the PDF's text
/// places spaces and bidi marks its own way), straight quotes (Typst sets Swedish ones).
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .filter(
            |c| !matches!(*c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF),
        )
        .map(|c| match c {
            '”' | '“' | '„' => '"',
            '’' | '‘' => '\'',
            c => c,
        })
        .collect()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

// ---- DOCX, built here ---------------------------------------------------------------------

fn xml_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 has no way to write U+0000, not even as a reference: Word never does.
            '\0' => {}
            c if (c as u32) < 0x20 || (0x7F..=0x9F).contains(&(c as u32)) => {
                out.push_str(&format!("&#x{:X};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// A DOCX with one paragraph per line.
fn docx(lines: &[String]) -> Vec<u8> {
    use std::io::Write as _;
    let body: String = lines
        .iter()
        .map(|l| {
            format!(
                r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                xml_text(l)
            )
        })
        .collect();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    z.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(document.as_bytes()).unwrap();
    z.finish().unwrap();
    out.into_inner()
}

// ---- every character prints ---------------------------------------------------------------

/// The minimal FVG meeting with one § per hostile string: the string as its title (a
/// one-line field) and as its text (Markdown); all of them in a Markdown bilaga and, one
/// paragraph each, in a DOCX bilaga.
fn hostile_fvg() -> tempfile::TempDir {
    let dir = fixture("minimal");
    let d = dir.path();
    let mut one_line: Vec<(String, String)> =
        hostile().into_iter().map(|l| (l.clone(), l)).collect();
    one_line.extend(PASTED.iter().map(|(a, b)| (a.to_string(), b.to_string())));
    let mut paragrafer = String::new();
    for (typed, _) in &one_line {
        paragrafer += &format!("\n[[paragraf]]\ntitle = {}\n", toml_string(typed));
        if !refused_in_markdown(typed) {
            paragrafer += &format!("text = {}\n", toml_string(typed));
        }
    }
    for (typed, _) in PASTED_TEXT {
        paragrafer += &format!(
            "\n[[paragraf]]\ntitle = \"Inklistrat\"\ntext = {}\n",
            toml_string(typed)
        );
    }
    paragrafer += "\n[[paragraf]]\ntitle = \"Ord\"\ntext = \"Se {bilaga:word}.\"\n";
    let meeting = std::fs::read_to_string(d.join("meeting.toml")).unwrap();
    let meeting = meeting.replacen(
        "[[paragraf]]\ntitle = \"Mötet avslutades\"",
        &format!("{paragrafer}\n[[paragraf]]\ntitle = \"Mötet avslutades\""),
        1,
    ) + "\n[[bilaga]]\nid = \"word\"\ntitle = \"Ordbilaga\"\nfile = \"bilagor/hostile.docx\"\n";
    std::fs::write(d.join("meeting.toml"), meeting).unwrap();

    let all: Vec<String> = one_line
        .iter()
        .map(|(t, _)| t.clone())
        .chain(PASTED_TEXT.iter().map(|(t, _)| t.to_string()))
        .collect();
    let markdown: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|l| !refused_in_markdown(l))
        .collect();
    std::fs::write(d.join("bilagor/lista.md"), markdown.join("\n\n")).unwrap();
    std::fs::write(d.join("bilagor/hostile.docx"), docx(&all)).unwrap();
    dir
}

#[test]
fn hostile_strings_print_literally_in_titles_text_and_markdown_and_docx_bilagor() {
    let dir = hostile_fvg();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("error"), "{err}");
    let text = pdftotext(&dir.path().join("out.pdf"));
    let all = squash(&text);
    // The DOCX bilaga is the last one: its text is literal, Markdown syntax and all.
    let docx_part = squash(text.rsplit("Ordbilaga").next().unwrap());
    let expected = hostile()
        .into_iter()
        .map(|l| (l.clone(), l))
        .chain(PASTED.iter().map(|(a, b)| (a.to_string(), b.to_string())));
    for (typed, printed) in expected {
        if is_long_word(&typed) {
            continue;
        }
        assert!(
            all.contains(&squash(&printed)),
            "title `{typed}` not literal in:\n{text}"
        );
        assert!(
            docx_part.contains(&squash(&printed)),
            "DOCX `{typed}` not literal"
        );
    }
    for (typed, printed) in PASTED_TEXT {
        assert!(all.contains(&squash(printed)), "`{typed:?}` in:\n{text}");
        assert!(docx_part.contains(&squash(printed)), "DOCX `{typed:?}`");
    }
    assert!(!text.contains('\u{FFFE}') && !text.contains('\u{1B}'));
}

#[test]
fn what_cannot_print_is_named_where_it_is() {
    let dir = hostile_fvg();
    let out = assemble(
        dir.path(),
        &["check", "--message-format", "json", "meeting.toml"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let problems: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let named = |file: &str, what: &str| {
        problems.iter().any(|p| {
            p["severity"] == "warning"
                && p["file"].as_str().is_some_and(|f| f.ends_with(file))
                && p["line"].as_u64().is_some()
                && p["message"].as_str().unwrap().contains(what)
        })
    };
    let meeting = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    for what in ["U+0000", "U+001B", "U+FFFE", "U+FEFF", "U+E000"] {
        assert!(named("meeting.toml", what), "{what} in the meeting file");
        assert!(named("lista.md", what), "{what} in the Markdown bilaga");
    }
    // The DOCX has no lines: its warnings stand at its `file =` line, naming it.
    let docx_line = meeting
        .lines()
        .position(|l| l.contains("hostile.docx"))
        .unwrap() as u64
        + 1;
    let docx = problems
        .iter()
        .find(|p| {
            p["message"].as_str().unwrap().contains("bilaga `word`")
                && p["message"].as_str().unwrap().contains("U+001B")
        })
        .expect("the DOCX's control character named");
    assert_eq!(docx["line"].as_u64(), Some(docx_line));
    assert!(
        problems.iter().all(|p| p["line"].as_u64().is_some()),
        "{problems:?}"
    );
}

#[test]
fn hostile_strings_print_in_a_namnd_protocol() {
    let dir = fixture("namnd");
    let d = dir.path();
    let mut extra = String::new();
    let lines: Vec<(String, String)> = hostile()
        .into_iter()
        .map(|l| (l.clone(), l))
        .chain(PASTED.iter().map(|(a, b)| (a.to_string(), b.to_string())))
        .collect();
    for (i, (typed, _)) in lines.iter().enumerate() {
        let markdown = if refused_in_markdown(typed) {
            "Text."
        } else {
            typed
        };
        extra += &format!(
            "\n[[paragraf]]\ntitle = {}\ndiarienummer = [\"AMN 2020-{:04}-1.1\"]\narendet = {}\nbeslut = [{}]\nbeslutsgang = \"Ordföranden föreslog att nämnden skulle besluta enligt förslaget.\"\n",
            toml_string(typed),
            200 + i,
            toml_string(markdown),
            toml_string(&format!("Arbetsmarknadsnämnden beslutade att {markdown}")),
        );
    }
    for (i, (typed, _)) in PASTED_TEXT.iter().enumerate() {
        extra += &format!(
            "\n[[paragraf]]\ntitle = \"Inklistrat\"\ndiarienummer = [\"AMN 2020-{:04}-1.1\"]\narendet = {}\nbeslut = [\"Arbetsmarknadsnämnden beslutade att notera.\"]\nbeslutsgang = \"Ordföranden föreslog att nämnden skulle besluta så.\"\n",
            300 + i,
            toml_string(typed),
        );
    }
    let meeting = std::fs::read_to_string(d.join("meeting.toml")).unwrap();
    let at = meeting
        .find("[[paragraf]]\ntyp = \"anmalningsarenden\"")
        .unwrap();
    let meeting = format!("{}{extra}\n{}", &meeting[..at], &meeting[at..]);
    std::fs::write(d.join("meeting.toml"), meeting).unwrap();
    let out = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("error"), "{err}");
    let text = pdftotext(&d.join("out.pdf"));
    let all = squash(&text);
    for (typed, printed) in &lines {
        if !is_long_word(typed) {
            assert!(all.contains(&squash(printed)), "`{typed}` in:\n{text}");
        }
    }
    for (typed, printed) in PASTED_TEXT {
        assert!(all.contains(&squash(printed)), "`{typed:?}` in:\n{text}");
    }
}

#[test]
fn emoji_and_other_scripts_come_out_the_same_twice() {
    let dir = hostile_fvg();
    let a = build(dir.path());
    let first = std::fs::read(&a).unwrap();
    std::fs::remove_file(&a).unwrap();
    let second = std::fs::read(build(dir.path())).unwrap();
    assert!(first == second, "same input, same bytes");
    // The fallback fonts are embedded, not referred to.
    let fonts = Command::new("pdffonts").arg(&a).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
    for family in ["NotoEmoji", "DejaVuSans", "NotoSansArabic"] {
        let line = fonts
            .lines()
            .find(|l| l.contains(family))
            .unwrap_or_else(|| panic!("{family}: {fonts}"));
        assert!(line.contains(" yes yes yes "), "{line}");
    }
}

// ---- one-line fields -------------------------------------------------------------------

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture contains `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn line_of(dir: &Path, needle: &str) -> usize {
    std::fs::read_to_string(dir.join("meeting.toml"))
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

#[test]
fn a_line_break_in_a_one_line_field_is_refused_at_check_and_by_new() {
    for (from, to, at) in [
        (
            "organ = \"FVG\"",
            "organ = \"FVG\\njusterad = 2020-09-18\"",
            "organ = ",
        ),
        (
            "place = \"Livdjursgatan 4\"",
            "place = \"Livdjursgatan 4\u{2028}rum 2\"",
            "place = ",
        ),
        (
            "heading = \"För arbetsgivaren\"",
            "heading = \"För\\rarbetsgivaren\"",
            "heading = ",
        ),
        (
            "name = \"Karina Uddén\"",
            "name = \"Karina\\u001bUddén\"",
            "Karina\\u001b",
        ),
    ] {
        let dir = fixture("minimal");
        let d = dir.path();
        edit(d, from, to);
        let line = line_of(d, at);
        let check = assemble(d, &["check", "meeting.toml"]);
        let err = stderr(&check);
        assert_eq!(check.status.code(), Some(1), "{to}: {err}");
        assert!(
            err.contains(&format!("meeting.toml:{line}:")),
            "{to}: {err}"
        );
        assert!(err.contains("hint:"), "{err}");
        let new = assemble(
            d,
            &[
                "new",
                "--from",
                "meeting.toml",
                "--date",
                "2020-10-15",
                "-o",
                "next.toml",
            ],
        );
        assert_eq!(new.status.code(), Some(1), "{}", stderr(&new));
        assert!(!d.join("next.toml").exists());
    }
}

#[test]
fn a_title_over_the_cap_is_refused_at_its_line_and_one_at_it_builds() {
    let dir = fixture("minimal");
    let d = dir.path();
    let at_cap = "Å".repeat(2000);
    edit(
        d,
        "title = \"Mötets öppnande\"",
        &format!("title = \"{at_cap}\""),
    );
    let ok = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    edit(d, &at_cap, &format!("{at_cap}Å"));
    let line = line_of(d, "title = \"ÅÅ");
    let over = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&over);
    assert_eq!(over.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: `title` is 2001 characters long"),
        "{err}"
    );
    assert!(err.contains(&format!("meeting.toml:{line}:9")), "{err}");
}

#[test]
fn a_meeting_file_that_is_not_utf8_is_refused_at_the_line_of_the_bad_byte() {
    let dir = fixture("minimal");
    let d = dir.path();
    let text = std::fs::read(d.join("meeting.toml")).unwrap();
    let at = text.windows(6).position(|w| w == b"Udd\xC3\xA9n").unwrap();
    // "Uddén" as Windows-1252 would write it.
    let mut latin1 = text[..at + 3].to_vec();
    latin1.push(0xE9);
    latin1.extend_from_slice(&text[at + 5..]);
    std::fs::write(d.join("meeting.toml"), latin1).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: the meeting file is not UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("0xE9") && err.contains("meeting.toml:4:25"),
        "{err}"
    );
}

// ---- `assemble new` ----------------------------------------------------------------------

/// Parses the file `new` wrote.
fn written(dir: &Path) -> toml::Table {
    let text = std::fs::read_to_string(dir.join("next.toml")).unwrap();
    text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn keys(t: &toml::Table) -> Vec<&str> {
    t.keys().map(String::as_str).collect()
}

#[test]
fn new_from_a_hostile_previous_meeting_writes_exactly_its_fields() {
    let dir = fixture("minimal");
    let d = dir.path();
    let lines = hostile();
    let tricky = "Anna \"x\" = 1 ''' \"\"\" # [organisation] \\ \u{FEFF}";
    edit(
        d,
        "forvaltning = \"Arbetsmarknadsförvaltningen\"",
        &format!("forvaltning = {}", toml_string(tricky)),
    );
    edit(
        d,
        "heading = \"För arbetsgivaren\"",
        &format!("heading = {}", toml_string(&lines[0])),
    );
    let markdown: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .filter(|l| !refused_in_markdown(l))
        .collect();
    let mut balans = markdown.join("\n");
    balans += "\n'''\n\"\"\"\njusterad = 2020-01-01\n[[bilaga]]\nesc\u{1B} nul\u{0}\n";
    let mut paragrafer = String::new();
    for l in &lines {
        paragrafer += &format!("\n[[paragraf]]\ntitle = {}\n", toml_string(l));
    }
    paragrafer += &format!(
        "\n[[paragraf]]\ntitle = \"Balanslista\"\ntext = {}\n",
        toml_string(&balans)
    );
    edit(
        d,
        "[[paragraf]]\ntitle = \"Mötet avslutades\"",
        &format!("{paragrafer}\n[[paragraf]]\ntitle = \"Mötet avslutades\""),
    );
    // A file name that would end a comment line and start live TOML.
    let name = "prev\njusterad = 2020-10-16\n[x]\n.toml";
    std::fs::rename(d.join("meeting.toml"), d.join(name)).unwrap();
    let out = assemble(
        d,
        &[
            "new",
            "--from",
            name,
            "--date",
            "2020-10-15",
            "-o",
            "next.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let previous: toml::Table = std::fs::read_to_string(d.join(name))
        .unwrap()
        .parse()
        .unwrap();
    let new = written(d);
    assert_eq!(
        keys(&new),
        [
            "attendance",
            "justerare",
            "kind",
            "meeting",
            "ordforande",
            "organ",
            "organisation",
            "paragraf",
            "sekreterare"
        ]
    );
    for key in ["organ", "ordforande", "sekreterare", "organisation"] {
        assert_eq!(new[key], previous[key], "{key}");
    }
    let titles = |t: &toml::Table| -> Vec<toml::Value> {
        t["paragraf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].clone())
            .collect()
    };
    assert_eq!(titles(&new), titles(&previous));
    let carried: Vec<&toml::Value> = new["paragraf"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p.as_table().unwrap().contains_key("text"))
        .collect();
    assert_eq!(carried.len(), 1, "only the balanslista's text");
    assert_eq!(carried[0]["text"].as_str(), Some(balans.as_str()));
    assert_eq!(
        new["attendance"]["group"][0]["heading"],
        previous["attendance"]["group"][0]["heading"]
    );
    // And the draft checks: warnings for what cannot print, no error.
    let check = assemble(d, &["check", "next.toml"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn new_from_a_hostile_namnd_meeting_writes_exactly_its_fields() {
    let dir = fixture("namnd");
    let d = dir.path();
    let tricky = "AMN\" \nfragment = true\n#";
    edit(
        d,
        "organ = \"AMN\"",
        &format!("organ = {}", toml_string(&tricky.replace('\n', " "))),
    );
    edit(
        d,
        "namnd = \"Arbetsmarknadsnämnden\"",
        &format!("namnd = {}", toml_string("Nämnden ''' \"\"\" [meeting]")),
    );
    edit(
        d,
        "place = \"Stadshuset, Rosa rummet\"",
        &format!("place = {}", toml_string("#{read(\"/etc/passwd\")}")),
    );
    let name = "prev\nfragment = true\n.toml";
    std::fs::rename(d.join("meeting.toml"), d.join(name)).unwrap();
    let out = assemble(
        d,
        &[
            "new",
            "--from",
            name,
            "--date",
            "2020-05-19",
            "-o",
            "next.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let previous: toml::Table = std::fs::read_to_string(d.join(name))
        .unwrap()
        .parse()
        .unwrap();
    let new = written(d);
    assert_eq!(
        keys(&new),
        [
            "anslag",
            "attendance",
            "first_paragraf",
            "justerare",
            "kind",
            "meeting",
            "namnd",
            "organ",
            "organisation",
            "paragraf",
            "seats",
            "sekreterare"
        ]
    );
    for key in ["organ", "namnd", "seats", "sekreterare", "organisation"] {
        assert_eq!(new[key], previous[key], "{key}");
    }
    assert_eq!(new["meeting"]["place"], previous["meeting"]["place"]);
    let check = assemble(d, &["check", "next.toml"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

// ---- output names ------------------------------------------------------------------------

#[test]
fn a_dotted_date_is_written_to_its_own_pdf_not_the_months() {
    // Was: `2020.09.17.toml` written to `2020.09.pdf`.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&repo().join("tests/fixtures/minimal"), &d.join("data/fvg"));
    std::fs::rename(
        d.join("data/fvg/meeting.toml"),
        d.join("data/fvg/2020.09.17.toml"),
    )
    .unwrap();
    let out = assemble(d, &["data/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        d.join("out/fvg/2020.09.17.pdf").exists(),
        "{}",
        stdout(&out)
    );
    assert!(!d.join("out/fvg/2020.09.pdf").exists());
    assert!(page_count(&d.join("out/fvg/2020.09.17.pdf")) > 1);
}

#[test]
fn a_markdown_heading_over_the_cap_is_refused_at_its_line_not_at_export() {
    // Was: "PDF/A-2a error: a PDF string is longer than 32767 characters", no place.
    let dir = fixture("minimal");
    let d = dir.path();
    let heading = |n: usize| format!("Inledning\n\n# {}\n\nText.\n", "Å".repeat(n));
    std::fs::write(d.join("bilagor/lista.md"), heading(2000)).unwrap();
    let ok = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    std::fs::write(d.join("bilagor/lista.md"), heading(17_000)).unwrap();
    let over = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&over);
    assert_eq!(over.status.code(), Some(1), "{err}");
    assert!(err.contains("bilagor/lista.md:3:1"), "{err}");
    assert!(err.contains("at most 2000"), "{err}");
    assert!(!err.contains("pdf export"), "{err}");
}

#[test]
fn a_markdown_bilaga_that_is_not_utf8_names_the_line_of_the_bad_byte() {
    let dir = fixture("minimal");
    let d = dir.path();
    std::fs::write(d.join("bilagor/lista.md"), b"# Rubrik\n\nGr\xE5 text\n").unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("byte 0xE5 on line 3, column 3"), "{err}");
    assert!(err.contains("bilaga `lista`"), "{err}");
}

#[test]
fn a_broken_image_in_a_docx_bilaga_is_named_at_the_bilaga_not_in_the_generated_source() {
    // Was: "failed to decode image" at out.typ:140, naming neither bilaga nor image.
    let dir = fixture("docx");
    let d = dir.path();
    let listor = std::fs::read(d.join("bilagor/listor.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(listor)).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        if name.starts_with("word/media/") {
            // The PNG signature stays (it is read as a PNG); what follows is broken.
            bytes.truncate(40);
            bytes.extend([0u8; 200]);
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, &bytes).unwrap();
    }
    w.finish().unwrap();
    std::fs::write(d.join("bilagor/listor.docx"), out.into_inner()).unwrap();
    let line = line_of(d, "file = \"bilagor/listor.docx\"");
    let run = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "bilaga `lista` (`bilagor/listor.docx`), image 1: typst: failed to decode image"
        ),
        "{err}"
    );
    assert!(err.contains(&format!("meeting.toml:{line}:8")), "{err}");
}

/// A one-page PDF whose content stream is `content`.
fn one_page_pdf(content: &[u8]) -> Vec<u8> {
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
            .to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A PDF page of `n` nested clips (each `q … W n` inside the last).
fn nested_clips(n: usize) -> Vec<u8> {
    let mut content = Vec::new();
    for i in 0..n {
        content.extend(format!("q 1 0 0 1 1 1 cm {i} {i} 500 700 re W n 0.5 g\n").as_bytes());
    }
    content.extend(b"10 10 100 100 re f\n");
    content.extend(b"Q\n".repeat(n));
    one_page_pdf(&content)
}

#[test]
fn too_deep_nesting_in_a_pdf_bilaga_names_the_bilaga_and_page_not_just_the_export() {
    // Was: "pdf export: PDF/A-3a error: the PDF has too high q nesting" (30 levels) and
    // "failed to parse SVG (nodes limit reached)" (1,100), naming no bilaga and no page.
    for (n, what) in [
        (
            30,
            "pdf export: PDF/A-3a error: the PDF has too high q nesting",
        ),
        (1100, "failed to parse SVG (nodes limit reached)"),
    ] {
        let dir = fixture("pdf-bilaga");
        let d = dir.path();
        std::fs::write(d.join("bilagor/skrivelse.pdf"), nested_clips(n)).unwrap();
        let line = line_of(d, "file = \"bilagor/skrivelse.pdf\"");
        let run = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(1), "{err}");
        assert!(
            err.contains("bilaga `skrivelse` (`bilagor/skrivelse.pdf`), probably page 1: "),
            "{err}"
        );
        assert!(err.contains(what), "{err}");
        assert!(err.contains(&format!("meeting.toml:{line}:8")), "{err}");
    }
}
