//! Any bytes as a PDF bilaga: every page converted to SVG or the file refused, never a
//! panic, a hang or memory without bound (the caps in `protokoll::bilaga::limits`).
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use protokoll::bilaga::pdf::{Naming, PageOptions, convert};

fuzz_target!(|data: &[u8]| {
    let naming = Naming {
        number: 1,
        title: "Bilaga",
        file_name: "bilaga.pdf",
    };
    if let Ok(c) = convert(Arc::from(data), &naming, &PageOptions::default()) {
        assert_eq!(c.pdf.pages.len() + 1, c.assets.len());
    }
});
