//! Benchmark: importing a DOCX bilaga (unzip + XML parse + conversion to Typst markup) against
//! the Markdown path on the same content: a generated 50-page document with 100 footnotes,
//! headings, bold and italic runs and a numbered list.
//!
//! Run: `cargo bench --bench docx` (release). Prints the median of each and their ratio.
//! Target: DOCX import under 30 ms.

use std::io::Write;
use std::time::{Duration, Instant};

use protokoll::bilaga::docx::{self, Options};
use protokoll::markdown::{self, Context};

const ROUNDS: usize = 50;
/// 200 paragraphs of ~90 words: 50 pages as a bilaga (checked with BENCH_DOCX_OUT).
const PARAGRAPHS: usize = 200;
const WORDS: usize = 90;
const FOOTNOTES: usize = 100;

const WORDLIST: &[&str] = &[
    "förvaltningen",
    "yttrande",
    "arbetsmarknaden",
    "kommunen",
    "samverkan",
    "och",
    "att",
    "det",
    "för",
    "utredningen",
    "förslaget",
    "ersättning",
    "myndigheten",
    "enligt",
    "inom",
    "ramen",
    "säkerställa",
    "verksamheten",
    "nämnden",
    "arbetstagarna",
];

struct Doc {
    markdown: String,
    docx: Vec<u8>,
}

/// The same text as Markdown and as a DOCX (document.xml, footnotes.xml, numbering.xml).
fn generate() -> Doc {
    let mut md = String::new();
    let mut body = String::new();
    let mut notes = String::new();
    let mut md_notes = String::new();
    let mut note = 0;
    // A fixed linear congruential sequence: varied text (so the zip is not trivially small),
    // the same every run.
    let mut seed: u64 = 0x2020_0917;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        WORDLIST[(seed >> 33) as usize % WORDLIST.len()]
    };
    for p in 0..PARAGRAPHS {
        if p % 25 == 0 {
            let title = format!("Avsnitt {}", p / 25 + 1);
            md.push_str(&format!("## {title}\n\n"));
            body.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>{title}</w:t></w:r></w:p>"#
            ));
        }
        let list = p % 25 == 10;
        if list {
            body.push_str(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>"#,
            );
        } else {
            body.push_str("<w:p>");
        }
        let mut text = Vec::new();
        for w in 0..WORDS {
            text.push(next());
            if w == 30 {
                let run: String = text.join(" ");
                text.clear();
                md.push_str(&format!("{run} **{}** *{}* ", next(), next()));
                body.push_str(&format!(
                    r#"<w:r><w:t xml:space="preserve">{run} </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>{}</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>"#,
                    next(),
                    next()
                ));
            }
        }
        let run = text.join(" ");
        if list {
            md.push_str("\n1. ");
        }
        md.push_str(&run);
        body.push_str(&format!(
            r#"<w:r><w:t xml:space="preserve">{run}.</w:t></w:r>"#
        ));
        md.push('.');
        if note < FOOTNOTES && (p * FOOTNOTES) / PARAGRAPHS >= note {
            note += 1;
            let n = note;
            md.push_str(&format!("[^{n}]"));
            md_notes.push_str(&format!("[^{n}]: SOU 2020:41, sid {}.\n", 100 + n));
            body.push_str(&format!(
                r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{n}"/></w:r>"#
            ));
            notes.push_str(&format!(
                r#"<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> SOU 2020:41, sid {}.</w:t></w:r></w:p></w:footnote>"#,
                100 + n
            ));
        }
        md.push_str("\n\n");
        body.push_str("</w:p>");
    }
    md.push_str(&md_notes);
    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
    );
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>{notes}</w:footnotes>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {NS}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("word/document.xml", &document),
        ("word/footnotes.xml", &footnotes),
        ("word/numbering.xml", &numbering),
    ] {
        z.start_file(name, opts).expect("zip entry");
        z.write_all(text.as_bytes()).expect("zip write");
    }
    z.finish().expect("zip");
    Doc {
        markdown: md,
        docx: out.into_inner(),
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let doc = generate();
    // To look at the input (e.g. to count its pages as a bilaga): BENCH_DOCX_OUT=folder.
    if let Some(dir) = std::env::var_os("BENCH_DOCX_OUT") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::write(dir.join("bench.docx"), &doc.docx).expect("write bench.docx");
        std::fs::write(dir.join("bench.md"), &doc.markdown).expect("write bench.md");
    }
    let numbers = |_: &str| None;
    let images = |_: &str| Err(String::from("no images"));
    let ctx = Context {
        bilaga_number: &numbers,
        label_prefix: "b2",
        heading_offset: 1,
        resolve_image: &images,
        caps: &protokoll::bilaga::limits::TEXT_CAPS,
        marks: &protokoll::publish::marks::SEKRETESS,
        meeting: Default::default(),
    };
    let opts = Options {
        ctx: &ctx,
        asset_dir: "b2",
        alt_fallback: "Bild i bilaga 2",
        pixels_left: protokoll::bilaga::limits::MEETING_IMAGE_PIXELS.value,
    };
    // Both paths must produce the same text before their speed means anything.
    let from_docx = docx::convert(&doc.docx, &opts).expect("the generated DOCX converts");
    let from_md = markdown::to_typst(&doc.markdown, &ctx);
    assert!(from_md.problems.is_empty(), "{:?}", from_md.problems);
    assert_eq!(from_docx.markup.matches("#footnote[").count(), FOOTNOTES);
    assert_eq!(from_md.markup.matches("#footnote[").count(), FOOTNOTES);

    let (mut d, mut m) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let out = docx::convert(&doc.docx, &opts).expect("converts");
        d.push(t.elapsed());
        std::hint::black_box(out);
        let t = Instant::now();
        let out = markdown::to_typst(&doc.markdown, &ctx);
        m.push(t.elapsed());
        std::hint::black_box(out);
    }
    let (d, m) = (median(d), median(m));
    println!(
        "input: {} paragraphs, {FOOTNOTES} footnotes; DOCX {} KB zipped, Markdown {} KB",
        PARAGRAPHS,
        doc.docx.len() / 1024,
        doc.markdown.len() / 1024
    );
    println!(
        "DOCX import (unzip + parse + markup): median {:.2} ms",
        ms(d)
    );
    println!(
        "Markdown to markup:                   median {:.2} ms",
        ms(m)
    );
    println!("ratio DOCX / Markdown: {:.1}x", ms(d) / ms(m));
    println!(
        "target < 30 ms: {}",
        if ms(d) < 30.0 { "met" } else { "MISSED" }
    );
}
