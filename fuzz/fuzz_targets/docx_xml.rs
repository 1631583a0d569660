//! The XML side of the DOCX reader: the input is split at NUL bytes into document.xml,
//! footnotes.xml, endnotes.xml, numbering.xml, styles.xml and document.xml.rels, zipped with
//! correct checksums, so mutations reach the XML walker instead of failing the zip's CRC.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use protokoll::bilaga::docx::{Options, convert};
use protokoll::markdown::Context;

const PARTS: [&str; 7] = [
    "word/document.xml",
    "word/footnotes.xml",
    "word/endnotes.xml",
    "word/numbering.xml",
    "word/styles.xml",
    "word/_rels/document.xml.rels",
    "word/media/image1.png",
];

fuzz_target!(|data: &[u8]| {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in PARTS.iter().zip(data.split(|b| *b == 0)) {
        if z.start_file(*name, opts).is_err() || z.write_all(bytes).is_err() {
            return;
        }
    }
    if z.finish().is_err() {
        return;
    }
    let docx = out.into_inner();
    let numbers = |_: &str| Some(1);
    let images = |_: &str| Err(String::from("no files"));
    let ctx = Context {
        bilaga_number: &numbers,
        label_prefix: "b1",
        heading_offset: 1,
        resolve_image: &images,
        caps: &protokoll::bilaga::limits::TEXT_CAPS,
        marks: &protokoll::publish::marks::SEKRETESS,
        meeting: Default::default(),
    };
    let opts = Options {
        ctx: &ctx,
        asset_dir: "b1",
        alt_fallback: "Bild i bilaga 1",
        pixels_left: protokoll::bilaga::limits::MEETING_IMAGE_PIXELS.value,
    };
    let _ = convert(&docx, &opts);
});
