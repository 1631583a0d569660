//! Whatever follows an inline construct, the protocol builds and keeps its words (issue 23
//! kind 1): Typst read `#emph[41](11–12)` as a call of what `#emph[41]` returned and the
//! whole protocol failed. Every inline construct of a § text, a Markdown bilaga and a DOCX
//! bilaga, each followed by every character that means something somewhere in Typst or
//! Markdown, in one generated meeting run through the real binary; every word is read back
//! from the PDF.

use std::io::Write;

use crate::common::*;

/// What may follow a construct: Typst's call, field and markup characters, Markdown's, and
/// ordinary text.
const FOLLOWERS: &[&str] = &[
    "(",
    "[",
    ".",
    "a",
    "Z",
    "1",
    "*",
    "_",
    "`",
    "#",
    "$",
    "\\",
    "<",
    "@",
    "=",
    "-",
    "+",
    "/",
    ":",
    ";",
    "~",
    "'",
    "\"",
    "{",
    "}",
    "]",
    ")",
    "!",
    ",",
    "?",
    "&",
    "%",
    "|",
    "^",
    "å",
    " ",
    "\n",
    "(11–12)",
    "[1]",
    ".x",
    "()",
    "[]",
];

/// A word no hyphenation splits, unique to one construct, follower and text.
fn word(text: char, kind: char, construct: usize, follower: usize) -> String {
    format!("{text}{kind}{construct}x{follower}{kind}")
}

/// Markdown inline constructs around `w`: (Markdown, whether `w` is printed, definitions
/// to add at the end of the text).
fn markdown_constructs(w: &str, n: &str) -> Vec<(String, bool, String)> {
    vec![
        (format!("*{w}*"), true, String::new()),
        (format!("**{w}**"), true, String::new()),
        (format!("***{w}***"), true, String::new()),
        (format!("~~{w}~~"), true, String::new()),
        (format!("`{w}`"), true, String::new()),
        (format!("[{w}](https://example.se/x)"), true, String::new()),
        (
            format!("[{w}][r{n}]"),
            true,
            format!("[r{n}]: https://example.se/r\n\n"),
        ),
        (format!("<https://example.se/{w}>"), true, String::new()),
        (format!("![{w}](logo.png)"), false, String::new()),
        (
            format!("{w}[^n{n}]"),
            true,
            format!("[^n{n}]: Not {n}.\n\n"),
        ),
        ("{bilaga:b2}".to_owned(), false, String::new()),
        (format!("{w}\\\n"), true, String::new()),
        (format!("{w}<br>"), true, String::new()),
        (format!("{w}<br/>"), true, String::new()),
        (
            format!("{{sekretess:OSL 21 kap. 7 §}}{w}{{/sekretess}}"),
            true,
            String::new(),
        ),
        (format!("*[{w}](https://example.se)*"), true, String::new()),
        (
            format!("[{w} ![Logotyp](logo.png) här](https://example.se)"),
            true,
            String::new(),
        ),
        (format!("{w}<!-- dold -->"), true, String::new()),
        (format!("<b>{w}</b>"), true, String::new()),
    ]
}

/// A Markdown text of every construct followed by every character, one paragraph each, and
/// the words its PDF must show.
fn markdown_text(text: char) -> (String, Vec<String>) {
    let mut body = String::new();
    let mut definitions = String::new();
    let mut words = Vec::new();
    for (f, follower) in FOLLOWERS.iter().enumerate() {
        for c in 0..markdown_constructs("", "").len() {
            let w = word(text, 'a', c, f);
            let (markdown, printed, defs) =
                markdown_constructs(&w, &format!("{f}c{c}")).swap_remove(c);
            // Markdown's own meaning: `[^1](x)` is a link, `[^1][x]` a reference (GFM too);
            // a meeting file's text holds no images.
            let note_as_link = markdown.ends_with(']') && markdown.contains("[^");
            if (note_as_link && ["(11–12)", "[1]", "()", "[]"].contains(follower))
                || (text == 'p' && markdown.contains("!["))
            {
                continue;
            }
            let after = word(text, 'b', c, f);
            body.push_str(&format!("x {markdown}{follower}{after} y\n\n"));
            if printed {
                words.push(w);
            }
            words.push(after);
            definitions.push_str(&defs);
        }
    }
    (format!("{body}\n{definitions}"), words)
}

/// A DOCX paragraph's runs for each construct around `w` (and whether `w` is printed).
fn docx_constructs(w: &str) -> Vec<(String, bool)> {
    let run = |props: &str| {
        format!(r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{w}</w:t></w:r>"#)
    };
    let drawing = r#"<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="228600" cy="114300"/><wp:docPr id="1" name="Bild" descr="Logotyp"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#;
    vec![
        (run("<w:b/>"), true),
        (run("<w:i/>"), true),
        (run("<w:b/><w:i/>"), true),
        (run(r#"<w:u w:val="single"/>"#), true),
        (run("<w:strike/>"), true),
        (run(r#"<w:vertAlign w:val="superscript"/>"#), true),
        (run(r#"<w:vertAlign w:val="subscript"/>"#), true),
        (
            format!(r#"<w:hyperlink r:id="rIdLink">{}</w:hyperlink>"#, run("")),
            true,
        ),
        (
            format!(
                r#"<w:hyperlink r:id="rIdLink">{}{drawing}{}</w:hyperlink>"#,
                run(""),
                run("<w:i/>")
            ),
            true,
        ),
        (format!("{}<w:r><w:tab/></w:r>", run("")), true),
        (format!("{}<w:r><w:br/></w:r>", run("")), true),
        (
            format!(r#"{}<w:r><w:footnoteReference w:id="2"/></w:r>"#, run("")),
            true,
        ),
        (drawing.to_owned(), false),
    ]
}

fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A DOCX of every construct followed by every character, and the words its PDF must show.
fn docx_bilaga() -> (Vec<u8>, Vec<String>) {
    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let mut body = String::new();
    let mut words = Vec::new();
    for (f, follower) in FOLLOWERS.iter().enumerate() {
        for c in 0..docx_constructs("").len() {
            let w = word('d', 'a', c, f);
            let (runs, printed) = docx_constructs(&w).swap_remove(c);
            let after = word('d', 'b', c, f);
            body.push_str(&format!(
                r#"<w:p><w:r><w:t xml:space="preserve">x </w:t></w:r>{runs}<w:r><w:t xml:space="preserve">{}{after} y</w:t></w:r></w:p>"#,
                xml_text(follower)
            ));
            if printed {
                words.push(w);
            }
            words.push(after);
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:id="2"><w:p><w:r><w:t>Fotnoten.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.se/d" TargetMode="External"/><Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/logo.png"/></Relationships>"#;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in [
        ("word/document.xml", document.as_bytes()),
        ("word/footnotes.xml", footnotes.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/logo.png", PNG),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    (out.into_inner(), words)
}

/// A 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";

/// A TOML multi-line basic string holding `text`.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"\"\"\n");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push_str("\"\"\"");
    out
}

#[test]
fn every_inline_construct_followed_by_any_character_builds_and_keeps_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let (paragraf, mut words) = markdown_text('p');
    let (bilaga, bilaga_words) = markdown_text('m');
    let (docx, docx_words) = docx_bilaga();
    words.extend(bilaga_words);
    words.extend(docx_words);
    std::fs::create_dir(dir.path().join("bilagor")).unwrap();
    std::fs::write(dir.path().join("bilagor/text.md"), bilaga).unwrap();
    std::fs::write(dir.path().join("bilagor/logo.png"), PNG).unwrap();
    std::fs::write(dir.path().join("logo.png"), PNG).unwrap();
    std::fs::write(dir.path().join("bilagor/word.docx"), docx).unwrap();
    let meeting = format!(
        r#"kind = "fvg"
organ = "FVG"
ordforande = "Eva Exempel"
sekreterare = "Sven Sekreterare"
justerare = ["Jonas Justerare"]
justerad = 2020-09-18

[organisation]
name = "Exempelstads kommun"
forvaltning = "Arbetsmarknadsförvaltningen"

[meeting]
date = 2020-09-17
start = "09:00"
end = "10:00"
place = "Stadshuset, sal 1"

[[attendance.group]]
heading = "För arbetsgivaren"
people = [
  {{ name = "Eva Exempel", role = "förvaltningschef" }},
  {{ name = "Jonas Justerare", union = "Vision" }},
]

[[paragraf]]
title = "Mötets öppnande"
text = {}

[[bilaga]]
id = "b1"
title = "Markdown"
file = "bilagor/text.md"

[[bilaga]]
id = "b2"
title = "Word"
file = "bilagor/word.docx"
"#,
        toml_string(&paragraf)
    );
    std::fs::write(dir.path().join("meeting.toml"), meeting).unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    let shown: String = err.chars().take(4_000).collect();
    assert!(out.status.success(), "the protocol builds:\n{shown}");
    assert!(!err.contains("error"), "{shown}");
    let text: String = pages(&dir.path().join("out.pdf"))
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .collect();
    let missing: Vec<&String> = words.iter().filter(|w| !text.contains(*w)).collect();
    assert!(missing.is_empty(), "words not printed: {missing:?}");
}
