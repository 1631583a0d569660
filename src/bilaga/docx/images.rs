//! Embedded images: PNG and JPEG only (checked by their bytes, not their name), served to
//! Typst from memory as assets, with the alt text PDF/UA requires.

use std::collections::HashMap;
use std::sync::Arc;

use super::Error;
use super::body::Walker;
use super::runs::Format;
use super::xml::Element;
use crate::bilaga::form::Asset;
use crate::bilaga::limits::IMAGE_PIXELS;
use crate::markdown::Extra;

pub(crate) struct Images {
    dir: String,
    pub alt_fallback: String,
    pub assets: Vec<Asset>,
    /// Archive part → asset path and pixels, so an image used twice is stored once.
    by_part: HashMap<String, (String, u64)>,
    pub warnings: Vec<String>,
    /// Pixels decoded for the images drawn so far, each time drawn (issue 29).
    pub pixels: u64,
    /// What the meeting's budget leaves them.
    pixels_left: u64,
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
    pub fn new(dir: &str, alt_fallback: &str, pixels_left: u64) -> Self {
        Self {
            pixels: 0,
            pixels_left,
            dir: dir.to_owned(),
            alt_fallback: alt_fallback.to_owned(),
            assets: Vec::new(),
            by_part: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    /// The Typst path of an image part already added, drawn once more (charged again).
    pub fn known(&mut self, part: &str) -> Result<Option<String>, Error> {
        let Some((path, pixels)) = self.by_part.get(part).cloned() else {
            return Ok(None);
        };
        self.charge(part, pixels)?;
        Ok(Some(path))
    }

    /// Charges one drawing of `part`'s `pixels` to the meeting's budget.
    fn charge(&mut self, part: &str, pixels: u64) -> Result<(), Error> {
        self.pixels = self.pixels.saturating_add(pixels);
        if self.pixels > self.pixels_left {
            let cap = crate::bilaga::limits::MEETING_IMAGE_PIXELS;
            return Err(Error::new(format!(
                "image `{part}`: with it, the meeting's images decode {} pixels or more: {}",
                crate::bilaga::limits::thousands(cap.value - self.pixels_left + self.pixels),
                cap.exceeded()
            ))
            .hint("insert the images at a lower resolution (Word: Compress Pictures), or spread them over several protocols"));
        }
        Ok(())
    }

    /// Registers the image in archive part `part` and returns the Typst path to load it.
    /// An image over [`IMAGE_PIXELS`] (by its header: a 14 kB PNG may declare 40,000²) is
    /// an error: Typst would decode it whole.
    pub fn add(&mut self, part: &str, bytes: Vec<u8>) -> Result<Option<String>, Error> {
        if let Some(path) = self.known(part)? {
            return Ok(Some(path));
        }
        let Some(mut ext) = kind(&bytes) else {
            self.warnings.push(format!(
                "image `{part}` is neither PNG nor JPEG; its alt text is shown instead"
            ));
            return Ok(None);
        };
        if let Err(found) = crate::bilaga::limits::image_within_cap(&bytes) {
            return Err(Error::new(format!(
                "image `{part}` has {found}: {}",
                IMAGE_PIXELS.exceeded()
            ))
            .hint("insert the image at a lower resolution (Word: Compress Pictures)"));
        }
        let pixels = crate::bilaga::limits::image_size(&bytes)
            .map_or(0, |(w, h)| u64::from(w) * u64::from(h));
        self.charge(part, pixels)?;
        let mut bytes = bytes;
        // PDF/A refuses CMYK and some colour profiles: converted here, never at export.
        if let Some(what) = crate::bilaga::image::needs_conversion(&bytes) {
            match crate::bilaga::image::to_srgb_png(&bytes) {
                Ok(png) => {
                    bytes = png;
                    ext = "png";
                }
                Err(why) => {
                    self.warnings.push(format!(
                        "image `{part}` is {what}, which a PDF/A cannot hold, and {why}; its alt text is shown instead"
                    ));
                    return Ok(None);
                }
            }
        }
        let asset = Asset {
            name: format!("{}/image{}.{ext}", self.dir, self.assets.len() + 1),
            bytes: Arc::from(bytes),
        };
        let path = asset.virtual_path();
        self.by_part.insert(part.to_owned(), (path.clone(), pixels));
        self.assets.push(asset);
        Ok(Some(path))
    }
}

impl Walker<'_, '_> {
    pub(super) fn drawing(&mut self, d: &Element) -> Result<(), Error> {
        let mut props = Vec::new();
        d.descendants("wp:docPr", &mut props);
        let alt = props
            .first()
            .map(|p| {
                let descr = p.attr("descr").unwrap_or("").trim();
                let title = p.attr("title").unwrap_or("").trim();
                if descr.is_empty() { title } else { descr }.to_owned()
            })
            .unwrap_or_default();
        let mut extents = Vec::new();
        d.descendants("wp:extent", &mut extents);
        // EMU: 12,700 per point.
        let width_pt = extents
            .first()
            .and_then(|e| e.attr("cx"))
            .and_then(|cx| cx.parse::<f64>().ok())
            .map(|cx| cx / 12_700.0);
        let mut blips = Vec::new();
        d.descendants("a:blip", &mut blips);
        let Some(blip) = blips.first() else {
            return self.drawing_without_image(d);
        };
        let para = self.state.paragraph;
        let rel = blip
            .attr("r:embed")
            .and_then(|id| self.rels.get(id))
            .filter(|r| !r.external);
        let path = match rel {
            Some(rel) => {
                let part = rel.part.clone();
                if let Some(path) = self.images.known(&part)? {
                    Some(path)
                } else if let Some(bytes) = self.zip.read(&part)? {
                    self.images.add(&part, bytes)?
                } else {
                    self.warnings
                        .push(format!("paragraph {para}: image `{part}` is missing"));
                    None
                }
            }
            None => {
                self.warnings.push(format!(
                    "paragraph {para}: a linked (external) image is never fetched; its alt text is shown"
                ));
                None
            }
        };
        let Some(path) = path else {
            if !alt.is_empty() {
                self.text(&format!("[{alt}]"), Format::default());
            }
            return Ok(());
        };
        let alt = if alt.is_empty() {
            self.warnings.push(format!(
                "paragraph {para}: an image has no alt text; \"{}\" is used",
                self.images.alt_fallback
            ));
            self.images.alt_fallback.clone()
        } else {
            alt
        };
        self.driver.extra(Extra::Image {
            path,
            alt,
            width_pt,
        });
        Ok(())
    }
}

impl Walker<'_, '_> {
    /// A drawing that is not a picture: a text box's paragraphs are set after the paragraph
    /// (see `Walker::paragraph`); a SmartArt diagram is left out with its text quoted; a
    /// chart or a shape without text is left out. Either way the secretary is told.
    fn drawing_without_image(&mut self, d: &Element) -> Result<(), Error> {
        let para = self.state.paragraph;
        let mut boxes = Vec::new();
        d.descendants("w:txbxContent", &mut boxes);
        if !boxes.is_empty() {
            return Ok(());
        }
        let mut diagrams = Vec::new();
        d.descendants("dgm:relIds", &mut diagrams);
        if let Some(ids) = diagrams.first() {
            let text = match ids.attr("r:dm").and_then(|id| self.rels.get(id)) {
                Some(rel) if !rel.external => {
                    let part = rel.part.clone();
                    match self.zip.read(&part)? {
                        Some(bytes) => super::xml::parse(&bytes, &part).map(|root| {
                            let mut runs = Vec::new();
                            root.descendants("a:t", &mut runs);
                            runs.iter()
                                .map(|t| t.text())
                                .filter(|t| !t.trim().is_empty())
                                .collect::<Vec<_>>()
                                .join(" / ")
                        })?,
                        None => String::new(),
                    }
                }
                _ => String::new(),
            };
            self.warnings.push(if text.is_empty() {
                format!("paragraph {para}: a SmartArt diagram without text is left out")
            } else {
                let shown: String = text.chars().take(300).collect();
                let more = if shown.len() < text.len() { "…" } else { "" };
                format!(
                    "paragraph {para}: a SmartArt diagram is left out; its text: \"{shown}{more}\""
                )
            });
            return Ok(());
        }
        self.warnings.push(format!(
            "paragraph {para}: a drawing that is not a picture (a chart or a shape) is left out"
        ));
        Ok(())
    }
}
