//! Publication that cannot leak (issue 22): the cases of `tests/fixtures/publication/` (the
//! sample nämnd meeting with one edit each), and a planting harness that puts unique
//! personnummer and withheld strings into every channel, publishes, builds the site and
//! searches every public byte — PDF text and every decompressed object, JSON, HTML, the
//! search index's gzip'd fragments.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::*;

const MEETING: &str = "data/amn/2020-04-21.toml";

fn case(name: &str) -> tempfile::TempDir {
    fixture(&format!("publication/{name}"))
}

fn publish(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["publish"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out-dir", "out"]);
    assemble(dir, &all)
}

fn site(dir: &Path) -> Output {
    assemble(
        dir,
        &["site", "data", "--editions", "out/webb", "-o", "site"],
    )
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` is in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Refused: exit 1, nothing public written. Returns stderr.
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = publish(dir, args);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit 1:\n{err}\n{}",
        stdout(&out)
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !dir.join("out/webb").exists() || every_file(&dir.join("out/webb")).is_empty(),
        "nothing written"
    );
    err
}

fn published(dir: &Path, args: &[&str]) {
    let out = publish(dir, args);
    assert!(
        out.status.success(),
        "publish failed:\n{}{}",
        stderr(&out),
        stdout(&out)
    );
}

/// The 1-based line numbers of the errors in stderr at `file`.
fn error_lines(err: &str, file: &str) -> Vec<usize> {
    let mut out: Vec<usize> = err
        .lines()
        .filter_map(|l| {
            let at = l.find(&format!("{file}:"))?;
            l[at + file.len() + 1..].split(':').next()?.parse().ok()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn line_of(dir: &Path, file: &str, needle: &str) -> usize {
    std::fs::read_to_string(dir.join(file))
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

// ---- reading every public byte ----------------------------------------------------------

fn every_file(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in read.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every text a reader can get out of `bytes`: a PDF's extracted text and every string and
/// decompressed stream of every object (PDFs inside read the same way), gzip'd data
/// decompressed, anything else as it is.
fn readable(bytes: &[u8], out: &mut String, depth: usize) {
    if bytes.starts_with(&[0x1F, 0x8B]) {
        let mut inner = Vec::new();
        if flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut inner)
            .is_ok()
        {
            readable(&inner, out, depth);
        }
        return;
    }
    if !bytes.starts_with(b"%PDF") || depth > 3 {
        out.push_str(&String::from_utf8_lossy(bytes));
        out.push('\n');
        return;
    }
    if let Ok(t) = pdf_extract::extract_text_from_mem(bytes) {
        out.push_str(&t);
    }
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF lopdf reads");
    fn object(o: &lopdf::Object, out: &mut String, depth: usize) {
        use lopdf::Object;
        match o {
            Object::String(b, _) => {
                if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
                    let units: Vec<u16> = rest
                        .chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                        .collect();
                    out.push_str(&String::from_utf16_lossy(&units));
                } else {
                    out.push_str(&String::from_utf8_lossy(b));
                }
                out.push('\n');
            }
            Object::Name(n) => out.push_str(&String::from_utf8_lossy(n)),
            Object::Array(a) => a.iter().for_each(|x| object(x, out, depth)),
            Object::Dictionary(d) => d.iter().for_each(|(_, v)| object(v, out, depth)),
            Object::Stream(s) => {
                s.dict.iter().for_each(|(_, v)| object(v, out, depth));
                let c = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                readable(&c, out, depth + 1);
            }
            _ => {}
        }
    }
    for o in doc.objects.values() {
        object(o, out, depth);
    }
}

/// Every public byte below `roots`, readable.
fn public_text(roots: &[&Path]) -> String {
    let mut out = String::new();
    for root in roots {
        for f in every_file(root) {
            readable(&std::fs::read(&f).unwrap(), &mut out, 0);
        }
    }
    out
}

/// Only the digits, full-width ones as ASCII: a number however it was written.
fn digits(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFF10 + '0' as u32),
            _ => None,
        })
        .collect()
}

/// Only the letters and digits, lower case: a word however it was spaced or marked up.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A personnummer `YYMMDD-NNNC` with the right check digit for the nine digits given.
fn pnr(nine: &str) -> String {
    let d: Vec<u32> = nine.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let p = if i % 2 == 0 { x * 2 } else { x };
            p / 10 + p % 10
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    format!("{}-{}{check}", &nine[..6], &nine[6..])
}

// ---- the cases ---------------------------------------------------------------------------

/// P07: the same number written 16 ways in a Markdown field: each is refused at its line
/// (TOML escapes and line-ending backslashes read as parsed, not as written).
#[test]
fn a_personnummer_written_any_way_in_the_meeting_file_is_refused_at_its_line() {
    let dir = case("P07-pnr-written-forms-meeting-file");
    let err = refused(dir.path(), &[MEETING]);
    let lines = error_lines(&err, "2020-04-21.toml");
    let first = line_of(dir.path(), MEETING, "- mellanslag: 811218 9876");
    let last = line_of(dir.path(), MEETING, "- helbredd:");
    // 17 lines for 16 forms: the wrapped one is one number over two lines.
    let expected: Vec<usize> = (first..=last)
        .filter(|l| *l != line_of(dir.path(), MEETING, "- radbrytning: 811218-") + 1)
        .filter(|l| *l != line_of(dir.path(), MEETING, "- hård radbrytning") + 1)
        .collect();
    for l in &expected {
        assert!(lines.contains(l), "line {l} is refused: {lines:?}\n{err}");
    }
    assert_eq!(err.matches("error: a personnummer (").count(), 16, "{err}");
}

/// Forms a review found published after P07 was fixed: a `<br>` after the hyphen, a line
/// break before it, spaces around a dash, Arabic-Indic digits; then a space inside a digit
/// group, and a slash, full stop or middle dot for the hyphen. Each is refused at its line;
/// a range of years and telephone numbers written the same way are not.
#[test]
fn a_personnummer_around_a_spaced_dash_a_br_or_in_arabic_digits_is_refused() {
    let dir = case("review-number-forms");
    let err = refused(dir.path(), &[MEETING]);
    let lines = error_lines(&err, "2020-04-21.toml");
    for needle in [
        "- br-tagg:",
        "- radbrytning före:",
        "- mellanslag kring streck:",
        "- tankstreck med mellanslag:",
        "- arabiska siffror:",
        "- mellanslag i gruppen:",
        "- mellanslag i datumet:",
        "- snedstreck:",
        "- punkt:",
        "- mittpunkt:",
    ] {
        let l = line_of(dir.path(), MEETING, needle);
        assert!(lines.contains(&l), "{needle} at line {l}: {lines:?}\n{err}");
    }
    let telephone = line_of(dir.path(), MEETING, "- mobil 070-123 45 67");
    assert!(!lines.contains(&telephone), "{lines:?}\n{err}");
    assert_eq!(err.matches("error: a personnummer (").count(), 10, "{err}");
}

/// P09: what stays of a withheld § or bilaga (the title without `webbtitel`, a bilaga's
/// title) is published, and scanned.
#[test]
fn what_stays_of_a_withheld_paragraf_or_bilaga_is_scanned() {
    let dir = case("P09-withheld-para-title-not-scanned");
    let err = refused(dir.path(), &[MEETING]);
    let lines = error_lines(&err, "2020-04-21.toml");
    for needle in [
        "title = \"Ansökan om bidrag, Åsa Lind",
        "title = \"Läkarintyg Åsa Lind",
    ] {
        let l = line_of(dir.path(), MEETING, needle);
        assert!(lines.contains(&l), "{needle} at line {l}: {lines:?}\n{err}");
    }
}

/// P10: a withheld person named in free text in another form than the attendance's is an
/// error asking for a mark; "Lena Strand-Berg" is another person and is left alone.
#[test]
fn a_withheld_person_named_in_another_form_is_refused_and_a_hyphenated_name_is_kept() {
    let dir = case("P10-protected-identity-name-forms");
    let err = refused(dir.path(), &[MEETING]);
    assert!(
        err.contains("a withheld person (skyddad identitet) is named here"),
        "{err}"
    );
    let lines = error_lines(&err, "2020-04-21.toml");
    let first = line_of(dir.path(), MEETING, "Lena Strands yrkande avslogs");
    for l in [first, first + 1, first + 2] {
        assert!(lines.contains(&l), "line {l}: {lines:?}\n{err}");
    }
    assert!(
        !lines.contains(&line_of(dir.path(), MEETING, "by = [\"Lena Strand-Berg\"]")),
        "{err}"
    );
    // Written as the attendance writes it, the name is replaced; the other person stays.
    edit(
        dir.path(),
        MEETING,
        "Lena Strands yrkande avslogs. Strand (M) reserverade sig. L. Strand\n(M) och ledamoten Lena\nStrand begärde omröstning; LENA STRAND, Lena\u{A0}Strand.",
        "Lena Strand begärde omröstning.",
    );
    published(dir.path(), &[MEETING]);
    let all = public_text(&[&dir.path().join("out/webb")]);
    let flat = fold(&all);
    assert!(
        flat.contains("Lena Strand-Berg"),
        "the other person is named whole"
    );
    assert!(!flat.contains("-Berg (M)") || flat.contains("Lena Strand-Berg (M)"));
    assert!(
        !letters(&all)
            .replace("lenastrandberg", "")
            .contains("lenastrand"),
        "the withheld person is named nowhere"
    );
}

/// A withheld person written decomposed in the attendance (`o` + U+0308, as a Mac or a PDF
/// gives it) and composed everywhere else — justerare, avstår, särskilt uttalande — is one
/// person: the meeting is read composed, so the web edition replaces every mention, and
/// publishing neither refuses the name's own declaration nor leaves it anywhere public.
/// Then the same with every letter of the file decomposed.
#[test]
fn a_withheld_person_written_decomposed_is_replaced_everywhere() {
    use unicode_normalization::UnicodeNormalization;
    for all_decomposed in [false, true] {
        let dir = fixture("cases/names-decomposed");
        edit(
            dir.path(),
            "meeting.toml",
            "{ name = \"Bjo\u{308}rn Viklund\", party = \"SD\" }",
            "{ name = \"Bjo\u{308}rn Viklund\", party = \"SD\", sekretess = \"skyddad identitet\" }",
        );
        if all_decomposed {
            let path = dir.path().join("meeting.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.nfd().collect::<String>()).unwrap();
        }
        // The bilaga names him as Markdown, where nothing is replaced: left out here.
        std::fs::write(
            dir.path().join("m/yttrande.md"),
            "# Yttrande\n\nInget att tillägga.\n",
        )
        .unwrap();
        published(dir.path(), &["meeting.toml"]);
        let all: String = public_text(&[&dir.path().join("out/webb")]).nfc().collect();
        assert!(
            !letters(&all).contains("viklund"),
            "the withheld person is named nowhere (all decomposed: {all_decomposed})"
        );
        let flat = fold(&all);
        for line in [
            "justera dagens protokoll utsågs [Uppgift borttagen: skyddad identitet]",
            "Ledamoten [Uppgift borttagen: skyddad identitet] (SD) lämnade följande särskilda uttalande.",
        ] {
            assert!(flat.contains(line), "{line}\n{flat}");
        }
    }
}

/// P11: a "Sekretess" style made by Word's quick Create a Style (a linked paragraph style
/// applied to a paragraph, or its "Sekretess Char" half on a run) withholds its text.
#[test]
fn a_sekretess_paragraph_style_in_word_withholds_its_paragraph() {
    let dir = case("P11-docx-sekretess-paragraph-style");
    published(dir.path(), &[MEETING]);
    let all = public_text(&[&dir.path().join("out/webb")]);
    assert!(!all.contains("KANARIE"), "the styled text is withheld");
    assert!(
        !fold(&all).contains("borttagen: Char]"),
        "Char is not a reason"
    );
    assert!(fold(&all).contains("[Uppgift borttagen: sekretess]"));
}

/// P13: a link whose text is marked loses its target with its text, in the PDF, the
/// § extract, the record and the site.
#[test]
fn a_marked_link_loses_its_target() {
    let dir = case("P13-marked-link-keeps-url");
    published(dir.path(), &[MEETING]);
    assert!(site(dir.path()).status.success());
    let all = public_text(&[&dir.path().join("out/webb"), &dir.path().join("site")]);
    assert!(
        !all.contains("lind@example.se"),
        "no mailto target is published"
    );
    assert!(
        dir.path()
            .join("out/webb/amn/2020-04-21-p33-webb.pdf")
            .exists()
    );
}

/// P15: a footnote referred to only inside a marked span is withheld in the record, the
/// attached record, the site and its search index, as in the PDF.
#[test]
fn a_footnote_of_a_marked_span_is_withheld_everywhere() {
    let dir = case("P15-footnote-of-marked-span-in-record");
    published(dir.path(), &[MEETING, "--embed-data"]);
    let o = site(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let all = public_text(&[&dir.path().join("out/webb"), &dir.path().join("site")]);
    assert!(
        !letters(&all).contains("hemligagatan"),
        "the footnote is withheld"
    );
    assert!(
        all.contains("har bekräftat"),
        "the text around it is published"
    );
}

/// P16: the site refuses an edition made before the meeting file changed, and lists under a
/// meeting only its own editions.
#[test]
fn the_site_refuses_a_stale_edition_and_takes_only_the_meetings_own_files() {
    let dir = case("P16-site-stale-edition");
    // Another meeting whose name begins with this one's.
    std::fs::copy(
        dir.path().join(MEETING),
        dir.path().join("data/amn/2020-04-21-extra.toml"),
    )
    .unwrap();
    published(dir.path(), &["data/"]);
    let o = site(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let own: Vec<String> = std::fs::read_dir(dir.path().join("site/amn/2020-04-21"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    assert!(
        own.iter().all(|n| !n.contains("extra")),
        "only the meeting's own editions: {own:?}"
    );
    let before: Vec<(PathBuf, Vec<u8>)> = every_file(&dir.path().join("site"))
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    edit(
        dir.path(),
        MEETING,
        "HEMLIGT-S01",
        "{sekretess:OSL 26 kap. 1 §}HEMLIGT-S01{/sekretess}",
    );
    let o = site(dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("2020-04-21-webb.pdf"), "{err}");
    assert!(
        err.contains("not made from the meeting file as it is now"),
        "{err}"
    );
    let after: Vec<(PathBuf, Vec<u8>)> = every_file(&dir.path().join("site"))
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    assert!(before == after, "the site is unchanged");
    // Published again, the site takes it.
    published(dir.path(), &[MEETING]);
    let o = site(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!public_text(&[&dir.path().join("site/amn/2020-04-21")]).contains("HEMLIGT-S01"));
}

/// P18: a `justerad` day after today is refused (today: the system's date).
#[test]
fn a_justerad_day_after_today_is_refused() {
    let dir = case("P18-draft-future-justerad");
    let meeting = "data/amn/2026-12-03.toml";
    // The case's day is days ahead of when it was found; a day far ahead keeps it so.
    edit(
        dir.path(),
        meeting,
        "justerad = 2026-12-10",
        "justerad = 2099-12-10",
    );
    let err = refused(dir.path(), &[meeting]);
    assert!(err.contains("after today"), "{err}");
    assert_eq!(
        error_lines(&err, "2026-12-03.toml"),
        [line_of(dir.path(), meeting, "justerad = 2099-12-10")]
    );
    let o = site(dir.path());
    assert_eq!(o.status.code(), Some(1), "the site refuses it too");
}

/// `publish data/` skips a draft with a note instead of failing, and writes the web
/// editions apart from the official documents, with no official record among them.
#[test]
fn publishing_a_folder_skips_drafts_and_writes_only_public_files() {
    let dir = case("P18-draft-future-justerad");
    let meeting = dir.path().join("data/amn/2026-12-03.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    let draft = text.replace("justerad = 2026-12-10\n", "");
    std::fs::write(dir.path().join("data/amn/2026-12-04.toml"), &draft).unwrap();
    std::fs::write(
        &meeting,
        text.replace("justerad = 2026-12-10", "justerad = 2026-12-04"),
    )
    .unwrap();
    let o = publish(dir.path(), &["data/"]);
    assert!(o.status.success(), "{}{}", stderr(&o), stdout(&o));
    assert!(
        stdout(&o).contains("2026-12-04.toml is not justerad: skipped"),
        "{}",
        stdout(&o)
    );
    let files: Vec<String> = every_file(&dir.path().join("out"))
        .iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "out/webb/amn/2026-12-03-webb.json",
            "out/webb/amn/2026-12-03-webb.pdf"
        ]
    );
}

/// P19: marks written almost right (`{Sekretess:`, `{ sekretess:`) are errors at their place.
#[test]
fn near_miss_marks_are_errors_at_their_place() {
    let dir = case("P19-near-miss-marks");
    let err = refused(dir.path(), &[MEETING]);
    assert_eq!(
        err.matches("written almost as a sekretess mark").count(),
        4,
        "{err}"
    );
    assert_eq!(
        error_lines(&err, "2020-04-21.toml"),
        [line_of(dir.path(), MEETING, "Kontakt {Sekretess:")]
    );
}

/// A mark in inline code, an HTML comment or an image's alt text cannot act: an error; a
/// closing mark shown in code is text and does not pair with a real one.
#[test]
fn marks_where_they_cannot_act_are_errors_and_a_closing_mark_in_code_is_text() {
    let dir = case("P19-near-miss-marks");
    let text = "Kontakt {Sekretess:personuppgift}Åsa Lind{/Sekretess} och { sekretess:personuppgift}Bo Ek{ /sekretess} har bekräftat.";
    edit(
        dir.path(),
        MEETING,
        text,
        "Skriv `{/sekretess}` efter texten. Kontakt {sekretess:personuppgift}Åsa Lind{/sekretess}.",
    );
    published(dir.path(), &[MEETING]);
    let json =
        std::fs::read_to_string(dir.path().join("out/webb/amn/2020-04-21-webb.json")).unwrap();
    assert!(
        !json.contains("Åsa Lind"),
        "the mark after the code still withholds"
    );
    edit(
        dir.path(),
        MEETING,
        "Skriv `{/sekretess}` efter texten.",
        "<!-- {sekretess:x} --> `{sekretess:y}`",
    );
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let err = refused(dir.path(), &[MEETING]);
    assert!(err.contains("in HTML or an HTML comment"), "{err}");
    assert!(err.contains("a sekretess mark in code"), "{err}");
}

/// P22: telephone numbers without separators, date-time stamps of the meeting and payment
/// references are not personnummer; a number the meeting file declares is not one passes,
/// and the record keeps the declaration.
#[test]
fn numbers_that_are_not_personnummer_pass_and_a_declared_exception_is_kept() {
    let dir = case("P22-false-positives");
    published(dir.path(), &[MEETING]);
    // A number the rules cannot tell from a personnummer, declared with why.
    let number = pnr("811218987");
    edit(
        dir.path(),
        MEETING,
        "Betala med OCR",
        &format!("Ärendenummer {number}. Betala med OCR"),
    );
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    refused(dir.path(), &[MEETING]);
    edit(
        dir.path(),
        MEETING,
        "\n[[paragraf]]",
        &format!(
            "\n[[inte_personnummer]]\nnummer = \"{number}\"\nskal = \"ärendenummer i leverantörens system\"\n\n[[paragraf]]"
        ),
    );
    published(dir.path(), &[MEETING]);
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/webb/amn/2020-04-21-webb.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["inte_personnummer"][0]["nummer"], number.as_str());
    assert_eq!(
        record["inte_personnummer"][0]["skal"],
        "ärendenummer i leverantörens system"
    );
}

/// The gate reads what leaves, not what came in: a template that prints a number of its own
/// is refused by the gate, which names the output and the channel.
#[test]
fn the_last_gate_refuses_a_number_no_input_check_saw() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), &dir.path().join("data/amn"));
    copy_dir(&repo().join("templates"), &dir.path().join("tpl"));
    // A link whose target only the PDF's annotation carries (its text says "Länk").
    let template = dir.path().join("tpl/namnd.typ.j2");
    let mut text = std::fs::read_to_string(&template).unwrap();
    text.push_str("\n#link(\"https://example.se/?id=811218\u{2011}9876\")[Länk]\n");
    std::fs::write(&template, text).unwrap();
    let err = refused(dir.path(), &[MEETING, "--templates", "tpl"]);
    assert!(
        err.contains("2020-04-21-webb.pdf` would publish a personnummer"),
        "{err}"
    );
    assert!(err.contains("PDF object") && err.contains("/URI"), "{err}");
}

// ---- the planting harness ----------------------------------------------------------------

/// Ways of writing a number, for a nine-digit prefix: each must be refused unmarked and
/// never published marked.
fn written_ways(n: &str) -> Vec<String> {
    let (d, s) = n.split_once('-').unwrap();
    vec![
        format!("{d}-{s}"),
        format!("{d} {s}"),
        format!("{d}\u{2013}{s}"),
        format!("{d}\u{2011}{s}"),
        format!("{d}\u{2212}{s}"),
        format!("{d}\u{A0}{s}"),
        format!("{d}-{}\u{AD}{}", &s[..2], &s[2..]),
        format!("{d}-\u{200B}{s}"),
        format!("19{d}{s}"),
        format!("{}-{}-{}-{s}", &d[..2], &d[2..4], &d[4..]),
        format!("{d}-*{s}*"),
        d.chars()
            .chain("-".chars())
            .chain(s.chars())
            .map(|c| match c.to_digit(10) {
                Some(v) => char::from_u32(0xFF10 + v).unwrap(),
                None => c,
            })
            .collect(),
    ]
}

/// A unique number per planting: `8112` + two digits + three digits.
fn planted(i: usize) -> String {
    pnr(&format!("81121{}{:03}", i % 10, 100 + i))
}

/// Where a text can be planted in the sample meeting: (file, anchor, text before, after).
const CHANNELS: &[(&str, &str)] = &[
    // § 33's arendet (Markdown, a § justerad omedelbart: its extract too).
    (MEETING, "Staden erbjuder varje sommar feriejobb"),
    // § 34's beslut (a list of decisions).
    (MEETING, "Föreningen Trappsteget driver"),
    // A Markdown bilaga.
    (
        "data/amn/2020-04-21/trappsteget.md",
        "Föreningen Trappsteget",
    ),
];

#[test]
fn planted_numbers_and_withheld_text_never_reach_a_public_byte() {
    let ways = written_ways(&planted(0));
    // 1. Unmarked, in every channel and every way: refused, every one found.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), &dir.path().join("data/amn"));
    for (n, (file, anchor)) in CHANNELS.iter().enumerate() {
        let mut text = String::new();
        for w in &written_ways(&planted(n)) {
            text.push_str(&format!("Nr {w}. "));
        }
        edit(dir.path(), file, anchor, &format!("{text}{anchor}"));
    }
    let err = refused(dir.path(), &[MEETING]);
    let found = err.matches("that is not withheld").count();
    assert_eq!(
        found,
        CHANNELS.len() * ways.len(),
        "every planting found:\n{err}"
    );

    // 2. Marked, in every channel and every way, with a withheld word, a marked link and a
    // footnote of the span: published, and not one public byte holds them.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), &dir.path().join("data/amn"));
    let mut secrets: Vec<String> = Vec::new();
    for (i, (file, anchor)) in CHANNELS.iter().enumerate() {
        let number = planted(10 + i);
        let word = format!("Kanarieord{i}x");
        let mut text = String::new();
        for w in &written_ways(&number) {
            text.push_str(&format!(
                "{{sekretess:personuppgift}}Nr {w} {word}{{/sekretess}} "
            ));
        }
        text.push_str(&format!(
            "[{{sekretess:personuppgift}}e-post{{/sekretess}}](mailto:{word}@example.se) \
             {{sekretess:personuppgift}}Se not[^k{i}]{{/sekretess}} "
        ));
        edit(dir.path(), file, anchor, &format!("{text}{anchor}"));
        let path = dir.path().join(file);
        let mut all = std::fs::read_to_string(&path).unwrap();
        let note = format!("\n\n[^k{i}]: Noten{i}x bor på Hemliga gatan.\n");
        // The footnote's definition at the end of the same text.
        if file.ends_with(".md") {
            all.push_str(&note);
        } else {
            let at = all[all.find(anchor).unwrap()..].find("\"\"\"").unwrap()
                + all.find(anchor).unwrap();
            all.insert_str(at, &note);
        }
        std::fs::write(&path, all).unwrap();
        secrets.push(digits(&number)[..10].to_string());
        secrets.push(letters(&word));
        secrets.push(format!("noten{i}x"));
    }
    published(dir.path(), &[MEETING, "--embed-data"]);
    let o = site(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let all = public_text(&[&dir.path().join("out/webb"), &dir.path().join("site")]);
    let (d, l) = (digits(&all), letters(&all));
    let leaks: Vec<&String> = secrets
        .iter()
        .filter(|s| {
            if s.chars().all(|c| c.is_ascii_digit()) {
                d.contains(s.as_str())
            } else {
                l.contains(s.as_str())
            }
        })
        .collect();
    assert!(leaks.is_empty(), "leaked: {leaks:?}");
    assert!(
        dir.path().join("site/pagefind").exists(),
        "the search index was read too"
    );
}

/// P22 on the site: the search index keeps a number without the words that told it apart
/// ("OCR", the meeting's own day and time), so the site refused what the web edition had
/// passed. The site takes as declared what the meeting's own page showed and passed, and a
/// personnummer added to the same meeting is still refused, at its line.
#[test]
fn numbers_the_meeting_page_tells_apart_pass_the_site_search_index() {
    let dir = case("P22-false-positives");
    published(dir.path(), &[MEETING]);
    let out = site(dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_dir(dir.path().join("site/pagefind/index"))
            .unwrap()
            .next()
            .is_some()
    );

    let number = pnr("811218987");
    edit(
        dir.path(),
        MEETING,
        "Betala med OCR",
        &format!("Sökande {number}. Betala med OCR"),
    );
    let out = site(dir.path());
    assert!(!out.status.success());
    let err = stderr(&out);
    let line = line_of(dir.path(), MEETING, "Sökande ");
    assert!(
        err.contains(&format!("2020-04-21.toml:{line}:")),
        "line {line}: {err}"
    );
}

/// Forms a review found published after P10 was fixed: the surname first, the names run
/// together or as a web address's slug, the surname after a role word, the initials with the
/// party, a zero-width space inside. Each is refused at its line; "Lena Strand-Berg" and
/// another Strand are left alone.
#[test]
fn a_withheld_person_surname_first_run_together_or_as_initials_is_refused() {
    let dir = case("P10-protected-identity-name-forms");
    edit(
        dir.path(),
        MEETING,
        "Lena Strands yrkande avslogs. Strand (M) reserverade sig. L. Strand\n(M) och ledamoten Lena\nStrand begärde omröstning; LENA STRAND, Lena\u{A0}Strand.",
        "Lena Strand begärde omröstning.\n\n- efternamn först: Strand, Lena yrkade bifall\n- ihopskrivet: LenaStrand\n- webbadress: stockholm.se/lena-strand\n- med roll: ledamoten Strand\n- initialer: LS (M)\n- nollbredd: Lena Str\u{200B}and\n- andra: Per Strand, Jonas Ek och LB (M)",
    );
    let err = refused(dir.path(), &[MEETING]);
    let lines = error_lines(&err, "2020-04-21.toml");
    for needle in [
        "- efternamn först:",
        "- ihopskrivet:",
        "- webbadress:",
        "- med roll:",
        "- initialer:",
        "- nollbredd:",
    ] {
        let l = line_of(dir.path(), MEETING, needle);
        assert!(lines.contains(&l), "{needle} at line {l}: {lines:?}\n{err}");
    }
    let other = line_of(dir.path(), MEETING, "- andra:");
    assert!(!lines.contains(&other), "{lines:?}\n{err}");
}

/// A mark in a line indented four spaces after a blank line is in a Markdown code block,
/// where it is text: refused (its text would be published), and the error says why, not
/// that the field is not Markdown.
#[test]
fn a_mark_in_an_indented_code_block_is_refused_and_named_as_code() {
    let dir = case("P22-false-positives");
    edit(
        dir.path(),
        MEETING,
        "Kontakt 0704875749",
        "Adress:\n\n    {sekretess:personuppgift}Hemliga gatan 5{/sekretess}\n\nKontakt 0704875749",
    );
    let err = refused(dir.path(), &[MEETING]);
    let line = line_of(dir.path(), MEETING, "    {sekretess:personuppgift}Hemliga");
    assert!(
        err.contains(&format!(
            "error: a sekretess mark in an indented line prints as written: in Markdown, a line indented four spaces after a blank line is code\n    ┌─ data/amn/2020-04-21.toml:{line}:5"
        )),
        "{err}"
    );
    assert!(err.contains("= hint: remove the indentation"), "{err}");
}

/// A person withheld in one meeting and named in another: the site's shared files (the
/// people's pages, the search index) would publish the name, and each refusal names the
/// meeting file and line the name came from, and the meeting that withholds the person —
/// not only the output. Withheld in both, not one public byte holds the name.
#[test]
fn a_shared_site_file_refusal_names_the_meeting_file_the_text_came_from() {
    let dir = case("site-person-withheld-in-another-meeting");
    published(dir.path(), &["data/"]);
    let o = site(dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        every_file(&dir.path().join("site")).is_empty(),
        "nothing written"
    );
    let other = "data/amn/2020-04-22.toml";
    let line = line_of(dir.path(), other, "{ name = \"Lena Strand\"");
    for output in ["site/person/index.html", "pagefind/delar/2020/fragment/"] {
        let at = err
            .find(output)
            .unwrap_or_else(|| panic!("{output}: {err}"));
        let next = err[at..].find("\n   ┌─ ").expect("a place") + at;
        assert!(
            err[next..].starts_with(&format!("\n   ┌─ {other}:{line}:")),
            "{output} placed at {other}:{line}: {err}"
        );
    }
    assert!(
        err.contains("the person is withheld in `data/amn/2020-04-21.toml`"),
        "{err}"
    );
    assert!(
        !err.lines().any(|l| l.starts_with("error:")
            && !err[err.find(l).unwrap()..]
                .lines()
                .nth(1)
                .unwrap_or("")
                .contains("┌─")),
        "every refusal is placed: {err}"
    );
    edit(
        dir.path(),
        other,
        "{ name = \"Lena Strand\", party = \"M\" }",
        "{ name = \"Lena Strand\", party = \"M\", sekretess = \"skyddad identitet\" }",
    );
    published(dir.path(), &["data/"]);
    let o = site(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let all = public_text(&[&dir.path().join("out/webb"), &dir.path().join("site")]);
    assert!(!letters(&all).contains("lenastrand"), "the name is nowhere");
    assert!(dir.path().join("site/pagefind").exists());
}

// ---- images: what a JPEG carries besides its pixels ---------------------------------------

/// A small baseline JPEG (8×8 grey) with `segments` (marker, body) after its start.
fn jpeg_with(segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(8, 8, image::Rgb([90, 90, 90])))
        .write_to(
            &mut std::io::Cursor::new(&mut plain),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let mut out = plain[..2].to_vec();
    for (marker, body) in segments {
        out.extend([0xFF, *marker]);
        out.extend(u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        out.extend(body);
    }
    out.extend(&plain[2..]);
    out
}

/// An IFD entry: tag, type, count, and the value inline (`Ok`) or as data after the IFD.
type IfdEntry = (u16, u16, u32, Result<u32, Vec<u8>>);

/// An EXIF segment's body (little-endian TIFF, one IFD): the orientation (6: turned a
/// quarter), and an `ImageDescription` (ASCII) and `XPComment` (Windows' UTF-16LE) if given.
fn exif(description: Option<&str>, xp_comment: Option<&str>) -> Vec<u8> {
    let desc: Option<Vec<u8>> = description.map(|d| [d.as_bytes(), b"\0"].concat());
    let xp: Option<Vec<u8>> = xp_comment.map(|c| {
        c.encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect()
    });
    // (tag, type, count, inline value or data)
    let mut entries: Vec<IfdEntry> = Vec::new();
    if let Some(d) = &desc {
        entries.push((0x010E, 2, d.len() as u32, Err(d.clone())));
    }
    entries.push((0x0112, 3, 1, Ok(6)));
    if let Some(x) = &xp {
        entries.push((0x9C9C, 1, x.len() as u32, Err(x.clone())));
    }
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    let mut data_at = 8 + 2 + 12 * entries.len() as u32 + 4;
    let mut data: Vec<u8> = Vec::new();
    tiff.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in &entries {
        tiff.extend(tag.to_le_bytes());
        tiff.extend(kind.to_le_bytes());
        tiff.extend(count.to_le_bytes());
        match value {
            Ok(v) => tiff.extend(v.to_le_bytes()),
            Err(bytes) => {
                tiff.extend(data_at.to_le_bytes());
                data_at += bytes.len() as u32;
                data.extend(bytes);
            }
        }
    }
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(data);
    [b"Exif\0\0".as_slice(), &tiff].concat()
}

/// A DOCX of one paragraph and one JPEG, `word/media/image1.jpeg`.
fn docx_with_jpeg(jpeg: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let document = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:p><w:r><w:t>Lokalen sedd från entrén.</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="Bild" descr="Lokalen"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:embed="rId1"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p></w:body></w:document>"#;
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.jpeg"/></Relationships>"#;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/image1.jpeg", jpeg),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

/// A personnummer in a JPEG's comment or EXIF text is published with the image (the PDF
/// holds the JPEG as it is): refused at the image's source — the Markdown bilaga's image
/// line, the DOCX bilaga's `file =` line naming the image's part — not only by the last
/// gate. A clean photo with its EXIF orientation is published as it is (rotation kept).
#[test]
fn a_personnummer_in_a_jpegs_metadata_is_refused_at_the_images_source() {
    let dir = case("image-metadata");
    let folder = dir.path().join("data/amn/2020-04-21");
    let number = pnr("811218987");
    let clean_exif = exif(Some("Studiecirkeln"), None);
    let clean = jpeg_with(&[(0xE1, clean_exif.clone())]);
    std::fs::write(folder.join("foto.jpg"), &clean).unwrap();
    std::fs::write(folder.join("bilder.docx"), docx_with_jpeg(&clean)).unwrap();
    published(dir.path(), &[MEETING]);
    let web = std::fs::read(dir.path().join("out/webb/amn/2020-04-21-webb.pdf")).unwrap();
    assert!(
        web.windows(clean_exif.len()).any(|w| w == clean_exif),
        "the JPEG is embedded with its EXIF (orientation) as it is"
    );

    // The comment of the Markdown bilaga's photo.
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let commented = jpeg_with(&[
        (0xE1, clean_exif.clone()),
        (0xFE, format!("Sökande {number}").into_bytes()),
    ]);
    std::fs::write(folder.join("foto.jpg"), &commented).unwrap();
    let err = refused(dir.path(), &[MEETING]);
    let md = "data/amn/2020-04-21/trappsteget.md";
    let line = line_of(dir.path(), md, "](foto.jpg)");
    assert!(
        err.contains(
            "shows image `foto.jpg`, which carries a personnummer (811218-XXXX) in its JPEG comment"
        ),
        "{err}"
    );
    assert_eq!(error_lines(&err, "trappsteget.md"), [line], "{err}");
    assert!(
        !err.contains("would publish"),
        "found before the gate: {err}"
    );
    // Withheld in a marked span, the photo is not published, and not refused.
    edit(
        dir.path(),
        md,
        "![Studiecirkeln i föreningens lokal](foto.jpg)",
        "{sekretess:personuppgift}![Studiecirkeln i föreningens lokal](foto.jpg){/sekretess}",
    );

    // The EXIF of the DOCX bilaga's photo, as Windows writes a comment (UTF-16).
    let tagged = jpeg_with(&[(0xE1, exif(None, Some(&format!("pnr {number}"))))]);
    std::fs::write(folder.join("bilder.docx"), docx_with_jpeg(&tagged)).unwrap();
    let err = refused(dir.path(), &[MEETING]);
    assert!(
        err.contains("shows image `word/media/image1.jpeg`, which carries a personnummer (811218-XXXX) in its EXIF metadata"),
        "{err}"
    );
    assert_eq!(
        error_lines(&err, "2020-04-21.toml"),
        [line_of(
            dir.path(),
            MEETING,
            "file = \"2020-04-21/bilder.docx\""
        )],
        "{err}"
    );
    assert!(error_lines(&err, "trappsteget.md").is_empty(), "{err}");
    // Every public byte of what was published holds no number (the withheld photo's
    // comment included).
    std::fs::write(folder.join("bilder.docx"), docx_with_jpeg(&clean)).unwrap();
    published(dir.path(), &[MEETING]);
    let all = public_text(&[&dir.path().join("out/webb")]);
    assert!(
        !digits(&all).contains(&digits(&number)),
        "no number published"
    );
}

/// Who a mark protects (issue 22): a span of a person's name alone marked "skyddad
/// identitet" protects that person — someone the attendance does not list — and every other
/// mention of them, in any usual form, is an error at its place (meeting file and Markdown
/// bilaga), as for a person the attendance withholds. A longer span withholds what it says,
/// not the names in it: the ledamot named inside one is named lawfully elsewhere. Marked, not
/// one public byte names the person.
#[test]
fn a_person_protected_by_a_span_is_looked_for_everywhere_and_a_name_in_a_longer_span_is_not() {
    let dir = case("span-protected-person");
    let err = refused(dir.path(), &[MEETING]);
    assert!(
        err.contains("a person marked skyddad identitet at `data/amn/2020-04-21.toml:"),
        "{err}"
    );
    assert_eq!(
        error_lines(&err, "2020-04-21.toml"),
        [line_of(dir.path(), MEETING, "Åsa Linds ansökan")],
        "the genitive, and not the ledamot: {err}"
    );
    let md = "data/amn/2020-04-21/trappsteget.md";
    assert_eq!(
        error_lines(&err, "trappsteget.md"),
        [line_of(dir.path(), md, "Lind, Åsa")],
        "{err}"
    );
    edit(
        dir.path(),
        MEETING,
        "Åsa Linds ansökan",
        "{sekretess:skyddad identitet}Åsa Linds{/sekretess} ansökan",
    );
    edit(
        dir.path(),
        md,
        "av Lind, Åsa.",
        "av {sekretess:skyddad identitet}Lind, Åsa{/sekretess}.",
    );
    published(dir.path(), &[MEETING]);
    let o = site(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let all = public_text(&[&dir.path().join("out/webb"), &dir.path().join("site")]);
    let l = letters(&fold(&all));
    for name in ["asalind", "lindasa", "åsalind", "lindåsa"] {
        assert!(!l.contains(name), "{name} is published");
    }
    assert!(
        fold(&all).contains("Eva Nordin (S) upplyste"),
        "the ledamot stays"
    );
}

/// The site's cache (`.protokoll-site.json` and its years' files of meetings,
/// `.protokoll-site/moten/<year>.jsonl`) is in the site's folder, as public as its
/// pages, and the gate reads it too: it keeps the paths of the files a meeting is made from,
/// which the guard does not read where the meeting file does not name them (its own folder).
/// A meeting filed in a folder named after the protected person is refused, the field named,
/// nothing of the site written.
#[test]
fn the_site_cache_is_read_by_the_gate_and_a_folder_named_after_a_protected_person_is_refused() {
    let dir = case("span-protected-person");
    edit(
        dir.path(),
        MEETING,
        "Åsa Linds ansökan",
        "{sekretess:skyddad identitet}Åsa Linds{/sekretess} ansökan",
    );
    edit(
        dir.path(),
        "data/amn/2020-04-21/trappsteget.md",
        "av Lind, Åsa.",
        "av {sekretess:skyddad identitet}Lind, Åsa{/sekretess}.",
    );
    let o = assemble(dir.path(), &["site", "data", "-o", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cache = crate::site::cache_text(&dir.path().join("site"));
    assert!(!letters(&fold(&cache)).contains("asalind"), "{cache}");

    std::fs::rename(
        dir.path().join("data/amn"),
        dir.path().join("data/Åsa Lind"),
    )
    .unwrap();
    let o = assemble(dir.path(), &["site", "data", "-o", "site2"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(".protokoll-site/moten/2020.jsonl` would publish withheld text"),
        "{err}"
    );
    assert!(err.contains(".inputs[0].path"), "{err}");
    assert!(
        err.contains("hint: rename the file or folder whose name carries it"),
        "{err}"
    );
    assert!(!dir.path().join("site2/index.html").exists());
}

/// The site's cache keeps, of the numbers a meeting declares not to be personnummer, only
/// those its page shows (the search index needs them): one declared for a withheld span
/// is on no public byte of the site, its cache included. The numbers the page tells apart
/// ("OCR") are kept, and the search index takes them.
#[test]
fn the_site_cache_keeps_no_declared_number_the_pages_do_not_show() {
    let dir = case("P22-false-positives");
    let number = pnr("811218987");
    edit(
        dir.path(),
        MEETING,
        "Betala med OCR",
        &format!("{{sekretess:personuppgift}}Ärendenummer {number}{{/sekretess}}. Betala med OCR"),
    );
    edit(
        dir.path(),
        MEETING,
        "\n[[paragraf]]",
        &format!(
            "\n[[inte_personnummer]]\nnummer = \"{number}\"\nskal = \"ärendenummer i leverantörens system\"\n\n[[paragraf]]"
        ),
    );
    let o = assemble(dir.path(), &["site", "data", "-o", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all = public_text(&[&dir.path().join("site")]);
    assert!(!digits(&all).contains(&digits(&number)), "published");
    let cache = crate::site::cache_text(&dir.path().join("site"));
    assert!(cache.contains("\"2904205263\""), "{cache}");
}

/// A protected person's name written decomposed (`A` + U+030A, as a Mac or a PDF gives
/// it) is the same name: found unmarked and refused at its line, in the meeting file and in
/// a bilaga, as the composed form is.
#[test]
fn a_protected_name_written_with_combining_marks_is_found_as_the_composed_one() {
    let dir = case("span-protected-person");
    edit(
        dir.path(),
        MEETING,
        "Åsa Linds ansökan",
        "A\\u030Asa Linds ansökan",
    );
    let md = "data/amn/2020-04-21/trappsteget.md";
    edit(dir.path(), md, "av Lind, Åsa.", "av Lind, A\u{30A}sa.");
    let err = refused(dir.path(), &[MEETING]);
    assert_eq!(
        error_lines(&err, "2020-04-21.toml"),
        [line_of(dir.path(), MEETING, "Linds ansökan")],
        "{err}"
    );
    assert_eq!(
        error_lines(&err, "trappsteget.md"),
        [line_of(dir.path(), md, "av Lind, A")],
        "{err}"
    );
}

/// A DOCX of one paragraph of `runs`, each `(bold, text)` a run of its own.
fn docx_of_runs(runs: &[(bool, &str)]) -> Vec<u8> {
    use std::io::Write;
    let body: String = runs
        .iter()
        .map(|(bold, t)| {
            format!(
                "<w:r>{}<w:t xml:space=\"preserve\">{t}</w:t></w:r>",
                if *bold { "<w:rPr><w:b/></w:rPr>" } else { "" }
            )
        })
        .collect();
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>{body}</w:p></w:body></w:document>"#
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

/// Found by a tester: a withheld person's name in a DOCX bilaga whose letters change format
/// inside it (`Le` + bold `na Strand`) was published — the bilaga's text is not rewritten,
/// and the last gate read the PDF's text with a space where the bold run began ("Le na
/// Strand"). The DOCX's text is now read across its runs before anything is made, and the
/// mention refused at the bilaga (the message shows the words around it, not the name).
/// The same name in one run, bold or not, is refused the same way.
#[test]
fn a_withheld_name_split_across_docx_runs_is_refused_at_the_bilaga() {
    let dir = case("P10-protected-identity-name-forms");
    edit(
        dir.path(),
        MEETING,
        "Lena Strands yrkande avslogs. Strand (M) reserverade sig. L. Strand\n(M) och ledamoten Lena\nStrand begärde omröstning; LENA STRAND, Lena\u{A0}Strand.",
        "Lena Strand begärde omröstning.",
    );
    edit(
        dir.path(),
        MEETING,
        "\n# A PDF bilaga,",
        "\n[[bilaga]]\nid = \"yttrande\"\ntitle = \"Yttrande\"\nfile = \"2020-04-21/yttrande.docx\"\n\n# A PDF bilaga,",
    );
    let docx = dir.path().join("data/amn/2020-04-21/yttrande.docx");
    for runs in [
        &[(false, "Delad: Le"), (true, "na Strand slut.")][..],
        &[
            (false, "Delad: Lena Str"),
            (true, "and"),
            (false, "s yttrande."),
        ][..],
        &[(true, "Hel: Lena Strand slut.")][..],
    ] {
        std::fs::write(&docx, docx_of_runs(runs)).unwrap();
        let err = refused(dir.path(), &[MEETING]);
        assert!(
            err.contains(
                "error: bilaga 3 (Yttrande, `data/amn/2020-04-21/yttrande.docx`) names a withheld \
                 person (skyddad identitet) in its text: no web edition is written"
            ),
            "{runs:?}\n{err}"
        );
        assert_eq!(
            error_lines(&err, "2020-04-21.toml"),
            [line_of(dir.path(), MEETING, "yttrande.docx")],
            "{err}"
        );
        assert!(!letters(&fold(&err)).contains("lenastrand"), "{err}");
    }
    // Without the name, the edition is made.
    std::fs::write(&docx, docx_of_runs(&[(false, "Inget namn här.")])).unwrap();
    published(dir.path(), &[MEETING]);
}

/// Found by a tester: a protecting reason written decomposed (`folkbo` + U+0308 `ring`, as a
/// Mac types it) was not recognised by the guard, which reads the file as written: the
/// person's other mentions ("Åsa Linds ansökan", "Lind, Åsa", "Å. Lind", "ledamoten Lind")
/// were published. Each is refused as with the reason composed, the message naming the
/// reason composed.
#[test]
fn a_protecting_reason_written_decomposed_protects_the_person() {
    let dir = case("span-protected-person");
    edit(
        dir.path(),
        MEETING,
        "{sekretess:skyddad identitet}Åsa Lind{/sekretess}.\n\"\"\"",
        "{sekretess:skyddad folkbokfo\u{308}ring}Åsa Lind{/sekretess}.\n\"\"\"",
    );
    edit(
        dir.path(),
        MEETING,
        "Åsa Linds ansökan hade kompletterats.",
        "Åsa Linds ansökan hade kompletterats. Lind, Åsa kom. Å. Lind kom. Ledamoten Lind kom.",
    );
    let err = refused(dir.path(), &[MEETING]);
    let mark = line_of(dir.path(), MEETING, "folkbokfo\u{308}ring");
    let said = format!(
        "error: a person marked skyddad folkbokföring at `data/amn/2020-04-21.toml:{mark}` is named here unmarked"
    );
    // Four in the meeting file, one in the bilaga.
    assert_eq!(err.matches(&said).count(), 4 + 1, "{err}");
    assert_eq!(
        error_lines(&err, "2020-04-21.toml"),
        [line_of(dir.path(), MEETING, "Åsa Linds ansökan")],
        "{err}"
    );
    assert_eq!(
        error_lines(&err, "trappsteget.md"),
        [line_of(
            dir.path(),
            "data/amn/2020-04-21/trappsteget.md",
            "Lind, Åsa"
        )],
        "{err}"
    );
}

/// Found by a tester: a protected name written with an HTML named reference (`&Aring;sa
/// Lind`) printed "Åsa Lind" (the converter decodes it) and the record kept it as written;
/// the guard did not read the reference. It is now read as the letter it stands for, as the
/// converter and a browser read it: an error at its place, as the composed name is.
#[test]
fn a_protected_name_written_with_a_named_html_reference_is_refused_at_its_line() {
    let dir = case("span-protected-person");
    edit(
        dir.path(),
        MEETING,
        "Åsa Linds ansökan hade kompletterats.",
        "Ansökan hade kompletterats av &Aring;sa Lind.",
    );
    edit(
        dir.path(),
        "data/amn/2020-04-21/trappsteget.md",
        "av Lind, Åsa.",
        "av sökanden.",
    );
    let err = refused(dir.path(), &[MEETING]);
    assert!(
        err.contains("a person marked skyddad identitet at `data/amn/2020-04-21.toml:"),
        "{err}"
    );
    assert_eq!(
        error_lines(&err, "2020-04-21.toml"),
        [line_of(dir.path(), MEETING, "&Aring;sa Lind.")],
        "{err}"
    );
    assert!(
        !err.contains("would publish"),
        "refused before anything is made: {err}"
    );
}

/// Found by a tester: combining marks on a digit (`8112` + U+0301 `18-9876`, or one after
/// every character) hid a personnummer from the guard and the last gate: both read the
/// digits with the marks dropped now, and each is refused at its line.
#[test]
fn a_personnummer_with_combining_marks_on_its_digits_is_refused_at_its_line() {
    let dir = case("span-protected-person");
    let number = pnr("811218987");
    let one = format!("{}\u{301}{}", &number[..4], &number[4..]);
    let every: String = number.chars().flat_map(|c| [c, '\u{301}']).collect();
    edit(
        dir.path(),
        MEETING,
        "Åsa Linds ansökan hade kompletterats.",
        &format!("Ansökan från {one} och {every} hade kompletterats."),
    );
    let err = refused(dir.path(), &[MEETING]);
    assert_eq!(
        err.matches(
            "error: a personnummer (811218-XXXX) that is not withheld: no web edition is written"
        )
        .count(),
        2,
        "{err}"
    );
    let at = line_of(dir.path(), MEETING, "Ansökan från");
    assert_eq!(error_lines(&err, "2020-04-21.toml"), [at], "{err}");
}

/// Found while fixing the above: a withheld name split by inline HTML (`Le<em>na</em>
/// Strand`: the tag is dropped, the name printed whole) at the start of a paragraph below a
/// heading was published: the guard read the text as written, the PDF reader ran the heading
/// into the paragraph ("bedömningLena Strand"), and the last gate took that for one word.
/// The gate now also begins a word where a lower-case letter meets a capital (a § text:
/// caught by the gate), and a Markdown bilaga's converted text is read by the guard (refused
/// at the bilaga before anything is made).
#[test]
fn a_withheld_name_split_by_a_tag_below_a_heading_is_refused() {
    let dir = case("P10-protected-identity-name-forms");
    edit(
        dir.path(),
        MEETING,
        "Lena Strands yrkande avslogs. Strand (M) reserverade sig. L. Strand\n(M) och ledamoten Lena\nStrand begärde omröstning; LENA STRAND, Lena\u{A0}Strand.",
        "Lena Strand begärde omröstning.",
    );
    edit(
        dir.path(),
        "data/amn/2020-04-21/trappsteget.md",
        "Förvaltningen bedömer",
        "Le<em>na</em> Strand bedömer",
    );
    let err = refused(dir.path(), &[MEETING]);
    assert!(
        err.contains(
            "error: bilaga 1 (Föreningen Trappstegets ansökan om bidrag 2020, \
             `data/amn/2020-04-21/trappsteget.md`) names a withheld person (skyddad identitet) \
             in its text: no web edition is written"
        ),
        "{err}"
    );
    assert!(!letters(&fold(&err)).contains("lenastrand"), "{err}");
    edit(
        dir.path(),
        "data/amn/2020-04-21/trappsteget.md",
        "Le<em>na</em> Strand bedömer",
        "Förvaltningen bedömer",
    );
    edit(
        dir.path(),
        MEETING,
        "text = \"Förvaltningschefen informerade om hur",
        "text = \"Le<span>na</span> Strand informerade om hur",
    );
    // In a § text the record leaves the tag out as the PDF does: the gate reads the name.
    let err = refused(dir.path(), &[MEETING]);
    assert!(
        err.contains("would publish the name of a withheld person (“le… (2 words)”)"),
        "{err}"
    );
}
