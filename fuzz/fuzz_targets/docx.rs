//! Any bytes into the DOCX reader: it must return markup or an error, never panic, hang or
//! allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::bilaga::docx::{Options, convert};
use protokoll::markdown::Context;

fuzz_target!(|data: &[u8]| {
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
    let _ = convert(data, &opts);
});
