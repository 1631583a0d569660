//! Any UTF-8 text as a Markdown bilaga (or § text): the converter must return markup and
//! problems, never panic, hang or allocate without bound, and its markup must be balanced
//! (every `[` it opens for content closed), so no input can leave the template's code. A
//! text it accepts (no error) gives markup Typst parses, in which every call ends where the
//! converter ended it: none reads on into the character after it (issue 23).
#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::diag::Severity;
use protokoll::markdown::boundary::continued_call;
use protokoll::markdown::{Context, to_typst};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let numbers = |id: &str| (id == "a").then_some(1);
    let images = |path: &str| {
        if path.ends_with(".png") {
            Ok(format!("/b1/{path}"))
        } else {
            Err(String::from("not a PNG"))
        }
    };
    let ctx = Context {
        bilaga_number: &numbers,
        label_prefix: "b1",
        heading_offset: 1,
        resolve_image: &images,
        caps: &protokoll::bilaga::limits::TEXT_CAPS,
        marks: &protokoll::publish::marks::SEKRETESS,
        meeting: Default::default(),
    };
    let out = to_typst(text, &ctx);
    if out.problems.iter().all(|p| p.severity != Severity::Error)
        && let Some(why) = continued_call(&out.markup)
    {
        panic!("{why}\n{}", out.markup);
    }
});
