//! Embedded images: PNG and JPEG only (checked by their bytes, not their name), served to
//! Typst from memory as assets, with the alt text PDF/UA requires.

use std::collections::HashMap;
use std::sync::Arc;

use crate::meeting::model::Asset;

pub struct Images {
    dir: String,
    pub alt_fallback: String,
    pub assets: Vec<Asset>,
    /// Archive part → asset path, so an image used twice is stored once.
    by_part: HashMap<String, String>,
    pub warnings: Vec<String>,
}

/// `png` or `jpg` when the bytes are one of those.
pub fn kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else {
        None
    }
}

impl Images {
    pub fn new(dir: &str, alt_fallback: &str) -> Self {
        Self {
            dir: dir.to_owned(),
            alt_fallback: alt_fallback.to_owned(),
            assets: Vec::new(),
            by_part: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    /// The Typst path of an image part already added.
    pub fn known(&self, part: &str) -> Option<&str> {
        self.by_part.get(part).map(String::as_str)
    }

    /// Registers the image in archive part `part` and returns the Typst path to load it.
    pub fn add(&mut self, part: &str, bytes: Vec<u8>) -> Option<String> {
        if let Some(path) = self.by_part.get(part) {
            return Some(path.clone());
        }
        let Some(ext) = kind(&bytes) else {
            self.warnings.push(format!(
                "image `{part}` is neither PNG nor JPEG; its alt text is shown instead"
            ));
            return None;
        };
        let asset = Asset {
            name: format!("{}/image{}.{ext}", self.dir, self.assets.len() + 1),
            bytes: Arc::from(bytes),
        };
        let path = asset.virtual_path();
        self.by_part.insert(part.to_owned(), path.clone());
        self.assets.push(asset);
        Some(path)
    }
}
