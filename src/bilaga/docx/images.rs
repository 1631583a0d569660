//! Embedded images: PNG, JPEG and SVG (checked by their bytes, not their name), served to
//! Typst from memory as assets, with the alt text PDF/UA requires.
//!
//! Word 2016 and later keep an SVG image beside a PNG copy it renders itself (the SVG in an
//! `asvg:svgBlip` extension of the `a:blip` that names the PNG). The SVG is drawn — it is the
//! image as inserted, sharp at any size — once it has passed the checks every SVG passes
//! before Typst reads it ([`crate::bilaga::svg_cost::admit`]: filters, elements, images
//! inside it, what Typst can parse; issue 29); one they refuse is named in a warning and
//! Word's PNG copy is drawn instead. An SVG the `a:blip` names itself has no copy: refused,
//! the bilaga with it.

use std::collections::HashMap;
use std::sync::Arc;

use super::Error;
use super::body::Walker;
use super::runs::Format;
use super::xml::Element;
use crate::bilaga::form::Asset;
use crate::bilaga::limits::IMAGE_PIXELS;
use crate::bilaga::svg_cost;
use crate::markdown::Extra;

pub(crate) struct Images {
    dir: String,
    pub alt_fallback: String,
    pub assets: Vec<Asset>,
    /// Archive part → asset path and pixels, so an image used twice is stored once.
    by_part: HashMap<String, (String, u64)>,
    /// SVG parts refused, and why: checked once, however often drawn.
    refused: HashMap<String, String>,
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
            refused: HashMap::new(),
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
            if svg_cost::looks_like_svg(&bytes) {
                // No PNG copy to fall back on: refused as a Markdown bilaga's SVG is.
                return match self.add_svg(part, bytes)? {
                    Svg::Drawn(path) => Ok(Some(path)),
                    Svg::Refused(why) => Err(Error::new(why).hint(SVG_HINT)),
                };
            }
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
        Ok(Some(self.store(part, ext, bytes, pixels)))
    }

    /// Registers the SVG image in archive part `part`, if it passes the checks every SVG
    /// passes before Typst reads it, and charges what it draws to the meeting's budget.
    pub fn add_svg(&mut self, part: &str, bytes: Vec<u8>) -> Result<Svg, Error> {
        if let Some(path) = self.known(part)? {
            return Ok(Svg::Drawn(path));
        }
        if let Some(why) = self.refused.get(part) {
            return Ok(Svg::Refused(why.clone()));
        }
        // A relative link would be read from beside the image's place in the Typst world,
        // which is no folder of the DOCX: nothing an SVG inside it may reach.
        let mut linked = |href: &str| -> Result<u64, String> {
            let href = href.strip_prefix("file://").unwrap_or(href);
            if href.starts_with('/') || href.contains("://") || href.is_empty() {
                return Ok(0); // Typst follows no such link: nothing is drawn.
            }
            Err(format!(
                "it links to the file `{href}`, which is not inside the DOCX"
            ))
        };
        let pixels = match svg_cost::admit(part, &bytes, &mut linked) {
            Ok(pixels) => pixels,
            Err(why) => {
                self.refused.insert(part.to_owned(), why.clone());
                return Ok(Svg::Refused(why));
            }
        };
        self.charge(part, pixels)?;
        Ok(Svg::Drawn(self.store(part, "svg", bytes, pixels)))
    }

    /// Stores the image as an asset and returns its Typst path.
    fn store(&mut self, part: &str, ext: &str, bytes: Vec<u8>, pixels: u64) -> String {
        let asset = Asset {
            name: format!("{}/image{}.{ext}", self.dir, self.assets.len() + 1),
            bytes: Arc::from(bytes),
        };
        let path = asset.virtual_path();
        self.by_part.insert(part.to_owned(), (path.clone(), pixels));
        self.assets.push(asset);
        path
    }
}

/// An SVG image: drawn at this Typst path, or refused, and why.
pub(crate) enum Svg {
    Drawn(String),
    Refused(String),
}

/// What to do about an SVG that is refused: the checks name why.
const SVG_HINT: &str = "insert the image as PNG instead (in Word: right-click it, Save as Picture, PNG, and insert that)";

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
        let path = match (self.svg_copy(blip)?, rel) {
            (Some(path), _) => Some(path),
            (None, Some(rel)) => {
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
            (None, None) => {
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
    /// The Typst path of the SVG image Word keeps beside the PNG copy `blip` names
    /// (`asvg:svgBlip`), when it has one inside the package that passes the checks; `None`
    /// draws the PNG copy (a refused SVG is named in a warning).
    fn svg_copy(&mut self, blip: &Element) -> Result<Option<String>, Error> {
        let mut svgs = Vec::new();
        blip.descendants("asvg:svgBlip", &mut svgs);
        let Some(rel) = svgs
            .first()
            .and_then(|s| s.attr("r:embed"))
            .and_then(|id| self.rels.get(id))
            .filter(|r| !r.external)
        else {
            return Ok(None);
        };
        let part = rel.part.clone();
        if let Some(path) = self.images.known(&part)? {
            return Ok(Some(path));
        }
        let para = self.state.paragraph;
        let Some(bytes) = self.zip.read(&part)? else {
            self.warnings.push(format!(
                "paragraph {para}: SVG image `{part}` is missing; Word's PNG copy of it is drawn"
            ));
            return Ok(None);
        };
        match self.images.add_svg(&part, bytes)? {
            Svg::Drawn(path) => Ok(Some(path)),
            Svg::Refused(why) => {
                self.warnings.push(format!(
                    "paragraph {para}: {why}; Word's PNG copy of it is drawn instead"
                ));
                Ok(None)
            }
        }
    }

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
