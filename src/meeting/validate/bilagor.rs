//! Bilagor: ids, numbering by first reference, their files inside the meeting folder,
//! their Markdown and closing signatures. Yrkanden given as structure: [`super::yrkanden`].

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::yrkanden::{MeetingFacts, Source};
use super::{Origin, Validator, text::rich_texts};
use crate::bilaga;
use crate::diag::SourceFile;
use crate::markdown::{self, Context};
use crate::meeting::model::*;
use crate::meeting::raw::*;
use crate::sandbox::Sandbox;

impl Validator {
    /// Numbers the bilagor in the order the protocol first refers to them; unreferenced ones
    /// follow in the order listed.
    pub(super) fn number_bilagor(&mut self, raw: &RawFvgMeeting) -> HashMap<String, usize> {
        self.number_bilagor_in(&raw.bilaga, rich_texts(raw))
    }

    /// Numbers `bilaga` by first reference in `texts` (every Markdown field, document order);
    /// shared by both kinds of meeting.
    pub(super) fn number_bilagor_in(
        &mut self,
        bilaga: &[RawBilaga],
        texts: Vec<&Spanned<String>>,
    ) -> HashMap<String, usize> {
        let mut ids: Vec<&str> = Vec::new();
        let mut seen_ids: HashMap<&str, Range<usize>> = HashMap::new();
        for b in bilaga {
            let id = b.id.get_ref().as_str();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                self.error(
                    b.id.span(),
                    format!("bilaga id `{id}` may only use a-z, 0-9 and -"),
                    Some("e.g. id = \"saco-yttrande\""),
                );
            }
            if seen_ids.contains_key(id) {
                self.error(b.id.span(), format!("two bilagor have the id `{id}`"), None);
            }
            seen_ids.insert(id, b.id.span());
            ids.push(id);
        }
        let mut order: Vec<String> = Vec::new();
        for text in texts {
            for (_, id) in markdown::bilaga_references(text.get_ref()) {
                if ids.contains(&id) && !order.iter().any(|o| o == id) {
                    order.push(id.to_string());
                }
            }
        }
        for b in bilaga {
            let id = b.id.get_ref();
            if !order.contains(id) {
                self.warning(
                    b.id.span(),
                    format!("bilaga `{id}` is never referred to in the protocol"),
                    Some(&format!("write \"se {{bilaga:{id}}}\" where the protocol mentions it; it is numbered after the others")),
                );
                order.push(id.clone());
            }
        }
        order
            .into_iter()
            .enumerate()
            .map(|(i, id)| (id, i + 1))
            .collect()
    }

    pub(super) fn bilagor(
        &mut self,
        raw: &[RawBilaga],
        numbers: &HashMap<String, usize>,
        sandbox: &Sandbox,
        facts: &MeetingFacts,
    ) -> Vec<Bilaga> {
        let mut out = Vec::new();
        // What the bilagor give Typst so far, against the meeting's cap.
        let mut typeset = 0u64;
        for b in raw {
            let Some(&number) = numbers.get(b.id.get_ref()) else {
                continue;
            };
            // Over the meeting's cap, the meeting is refused (reported at the bilaga that
            // went over): the bilagor after it are not read, so their cost is not paid.
            if bilaga::limits::MEETING_TYPESET_BYTES.over(typeset) {
                break;
            }
            let title = self.non_empty(&b.title, "the bilaga's title");
            let file = match self.bilaga_source(b) {
                Some(Source::File(file)) => file,
                Some(Source::Yrkanden) => {
                    out.push(self.yrkanden_bilaga(b, number, title, numbers, facts));
                    continue;
                }
                None => continue,
            };
            let rel = file.get_ref();
            let path = match sandbox.resolve(rel) {
                Ok(p) => p,
                Err(refused) => {
                    self.error(file.span(), refused.message(rel), Some(refused.hint()));
                    continue;
                }
            };
            let extension = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            let id = b.id.get_ref();
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            if let Err(e) = bilaga::check_size(size) {
                self.error(
                    file.span(),
                    format!("bilaga `{id}` (`{rel}`): {}", e.message),
                    e.hint.as_deref(),
                );
                continue;
            }
            let bytes = match crate::sandbox::read_file(&path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    let why = crate::sandbox::io_reason(&e);
                    self.error(
                        file.span(),
                        format!("cannot read bilaga `{id}` (`{rel}`): {why}"),
                        None,
                    );
                    continue;
                }
            };
            let refuse = |v: &mut Self, e: bilaga::Error| {
                v.error(
                    file.span(),
                    format!("bilaga `{id}` (`{rel}`): {}", e.message),
                    e.hint.as_deref(),
                );
            };
            let format = match bilaga::detect(&extension, &bytes) {
                Ok(f) => f,
                Err(e) => {
                    refuse(self, e);
                    continue;
                }
            };
            let prefix = format!("b{number}");
            let (body, assets) = match format {
                // PDF bilagor: pages as images plus the original attached (see bilaga_pdf);
                // the bytes already read are the ones converted and attached.
                bilaga::Format::Pdf => {
                    let shown = sandbox.shown(&path);
                    if let Some(pdf) = self.pdf_bilaga(b, file, number, title, shown, bytes) {
                        let size = bilaga::limits::page_drawings(&pdf.assets);
                        if self.within_meeting_cap(&mut typeset, size, file, id) {
                            out.push(pdf);
                        }
                    }
                    continue;
                }
                bilaga::Format::Docx => match self.docx_bilaga(b, file, &bytes, number, numbers) {
                    Some(read) => read,
                    None => continue,
                },
                bilaga::Format::Markdown => {
                    // `detect` has checked that it is UTF-8.
                    let text = String::from_utf8(bytes).unwrap_or_default();
                    self.markdown_bilaga(&path, text, sandbox, numbers, &prefix)
                }
            };
            if !self.within_meeting_cap(&mut typeset, body.0.len() as u64, file, id) {
                continue;
            }
            let signature = b.signature.as_ref().map(|s| self.signature(s));
            out.push(Bilaga {
                id: b.id.get_ref().clone(),
                number,
                title,
                from: b.from.clone().filter(|f| !f.trim().is_empty()),
                // As the user names it (the same file): messages about it name it so.
                path: Some(sandbox.shown(&path)),
                body,
                yrkanden: None,
                signature,
                assets,
                pdf: None,
                place: self.place(file.span()),
            });
        }
        out.sort_by_key(|b| b.number);
        out
    }

    /// Adds a bilaga's `size` (markup or page drawings, bytes) to the meeting's `total`: false,
    /// with an error at its `file`, once the total is over [`bilaga::limits::MEETING_TYPESET_BYTES`].
    fn within_meeting_cap(
        &mut self,
        total: &mut u64,
        size: u64,
        file: &Spanned<String>,
        id: &str,
    ) -> bool {
        let cap = bilaga::limits::MEETING_TYPESET_BYTES;
        let before = *total;
        *total += size;
        if cap.over(*total) && !cap.over(before) {
            let (message, hint) = bilaga::limits::meeting_size_exceeded(id, file.get_ref());
            self.error(file.span(), message, Some(hint));
        }
        !cap.over(*total)
    }

    /// The markup and images of a DOCX bilaga, or `None` when it cannot be read (reported).
    fn docx_bilaga(
        &mut self,
        b: &RawBilaga,
        file: &Spanned<String>,
        bytes: &[u8],
        number: usize,
        numbers: &HashMap<String, usize>,
    ) -> Option<(Markup, Vec<Asset>)> {
        let (id, rel) = (b.id.get_ref(), file.get_ref());
        let number_of = |id: &str| numbers.get(id).copied();
        let no_files = |src: &str| -> Result<String, String> {
            Err(format!("`{src}` is not part of the document"))
        };
        let prefix = format!("b{number}");
        let ctx = Context {
            bilaga_number: &number_of,
            label_prefix: &prefix,
            heading_offset: 1,
            resolve_image: &no_files,
            caps: &crate::bilaga::limits::TEXT_CAPS,
            marks: &crate::publish::marks::SEKRETESS,
            meeting: self.budget.texts(),
        };
        let opts = bilaga::docx::Options {
            ctx: &ctx,
            asset_dir: &prefix,
            alt_fallback: &format!("Bild i bilaga {number}"),
            pixels_left: self.budget.left(bilaga::limits::MEETING_IMAGE_PIXELS),
        };
        match bilaga::docx::convert(bytes, &opts) {
            Ok(docx) => {
                // Within what was left (the reader stops at it): charged, never over.
                let _ = self
                    .budget
                    .charge(bilaga::limits::MEETING_IMAGE_PIXELS, docx.pixels);
                self.budget.add_text(docx.spent);
                for w in docx.warnings {
                    self.warning(file.span(), format!("bilaga `{id}` (`{rel}`): {w}"), None);
                }
                if let Some(message) = self.count_table_cells(docx.cells) {
                    self.error(
                        file.span(),
                        format!("bilaga `{id}` (`{rel}`): {message}"),
                        Some(super::text::TABLE_CELLS_HINT),
                    );
                }
                Some((Markup::typst(docx.markup), docx.assets))
            }
            Err(e) => {
                self.error(
                    file.span(),
                    format!("bilaga `{id}` (`{rel}`): {}", e.message),
                    e.hint.as_deref(),
                );
                None
            }
        }
    }

    /// The markup of a Markdown bilaga; its images are files beside it in the meeting folder,
    /// loaded by Typst as they are — except one PDF/A refuses (CMYK, 16-bit, a colour
    /// profile), converted here and served from memory (the returned assets).
    fn markdown_bilaga(
        &mut self,
        path: &std::path::Path,
        text: String,
        sandbox: &Sandbox,
        numbers: &HashMap<String, usize>,
        prefix: &str,
    ) -> (Markup, Vec<Asset>) {
        let converted: std::cell::RefCell<Vec<Asset>> = std::cell::RefCell::default();
        // The meeting's budget, charged by each image as the Markdown shows it (issue 29).
        let budget = std::cell::RefCell::new(std::mem::take(&mut self.budget));
        // A byte order mark (Windows editors write one) is no text, and before a table or a
        // heading it hides what it is. Left out; editors do not count it as a column either.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        let md_file = SourceFile::new(sandbox.shown(path), text);
        let origin = Origin {
            file: md_file.clone(),
            offset: 0,
        };
        let base_dir = path.parent().unwrap_or(sandbox.root()).to_path_buf();
        let resolve_image = |src: &str| -> Result<String, String> {
            let rel_to_root = base_dir.join(src);
            let rel = rel_to_root
                .strip_prefix(sandbox.root())
                .map_err(|_| format!("`{src}` is outside the meeting's folder"))?;
            let real = sandbox
                .resolve(&rel.to_string_lossy())
                .map_err(|r| r.message(src))?;
            // An image is read whole, as a bilaga is: the same cap on its file.
            let size = std::fs::metadata(&real).map_or(0, |m| m.len());
            bilaga::check_size(size).map_err(|e| format!("image `{src}`: {}", e.message))?;
            let vpath = sandbox
                .virtual_path(&real)
                .ok_or_else(|| format!("`{src}` is outside the meeting's folder"))?;
            let Ok(bytes) = crate::sandbox::read_file(&real) else {
                // Typst reports a file it cannot read, at the image.
                return Ok(vpath);
            };
            // Typst decodes an image whole: its size is checked from its header first, and
            // what it draws is charged to the meeting; an SVG by what it draws (issue 29).
            let pixels =
                if crate::bilaga::limits::image_size(&bytes).is_none() && is_svg(&real, &bytes) {
                    let svg_dir = real.parent().unwrap_or(sandbox.root());
                    let mut linked = |href: &str| linked_pixels(sandbox, svg_dir, href);
                    bilaga::svg_cost::admit(src, &bytes, &mut linked)?
                } else {
                    if let Err(found) = crate::bilaga::limits::image_within_cap(&bytes) {
                        return Err(format!(
                            "image `{src}` has {found}: {}",
                            crate::bilaga::limits::IMAGE_PIXELS.exceeded()
                        ));
                    }
                    crate::bilaga::limits::image_size(&bytes)
                        .map_or(0, |(w, h)| u64::from(w) * u64::from(h))
                };
            budget
                .borrow_mut()
                .charge(crate::bilaga::limits::MEETING_IMAGE_PIXELS, pixels)
                .map_err(|why| format!("image `{src}`: {why}"))?;
            let Some(what) = bilaga::image::needs_conversion(&bytes) else {
                return Ok(vpath);
            };
            let png = bilaga::image::to_srgb_png(&bytes).map_err(|why| {
                format!("image `{src}` is {what}, which a PDF/A cannot hold, and {why}")
            })?;
            let mut assets = converted.borrow_mut();
            let asset = Asset {
                name: format!("{prefix}/image{}.png", assets.len() + 1),
                bytes: std::sync::Arc::from(png),
            };
            let path = asset.virtual_path();
            assets.push(asset);
            Ok(path)
        };
        let number_of = |id: &str| numbers.get(id).copied();
        let ctx = Context {
            bilaga_number: &number_of,
            label_prefix: prefix,
            heading_offset: 1,
            resolve_image: &resolve_image,
            caps: &crate::bilaga::limits::TEXT_CAPS,
            marks: &crate::publish::marks::SEKRETESS,
            meeting: budget.borrow().texts(),
        };
        let markup = self.convert(md_file.text.as_ref(), &origin, &ctx);
        // What the text spent was added to the budget that stood in for the meeting's while
        // its images charged the one above (which started empty): carried over.
        let spent = self.budget.texts();
        self.budget = budget.take();
        self.budget.add_text(spent);
        (markup, converted.take())
    }

    pub(super) fn signature(&mut self, raw: &Spanned<RawSignature>) -> Signature {
        let s = raw.get_ref();
        let date = s
            .date
            .as_ref()
            .and_then(|d| self.date(d, "the signature's date"));
        let place_date = match (&s.place, date) {
            (Some(p), Some(d)) => Some(format!("{p} den {}", d.long())),
            (Some(p), None) => Some(p.clone()),
            (None, Some(d)) => Some(format!("den {}", d.long())),
            (None, None) => None,
        };
        let parts: Vec<String> = [s.title.clone(), place_date]
            .into_iter()
            .flatten()
            .collect();
        if parts.is_empty() && s.name.is_none() {
            self.error(
                raw.span(),
                "the signature is empty",
                Some("give at least a name or a title"),
            );
        }
        let closing = if parts.is_empty() {
            String::new()
        } else {
            format!("{}.", parts.join(", "))
        };
        Signature {
            name: s.name.clone(),
            closing,
        }
    }
}

/// An SVG file, by its name or its first bytes.
/// The pixels of the image an SVG in `svg_dir` links to as `href`, which Typst loads from
/// the meeting's folder (relative names only; `file://` is stripped as Typst does): held to
/// the cap of one image, and refused if it is another SVG. A link Typst will not follow
/// (absolute, a URL, outside the folder, no such file) draws nothing.
fn linked_pixels(
    sandbox: &crate::sandbox::Sandbox,
    svg_dir: &std::path::Path,
    href: &str,
) -> Result<u64, String> {
    let href = href.strip_prefix("file://").unwrap_or(href);
    if href.starts_with('/') || href.contains("://") || href.is_empty() {
        return Ok(0);
    }
    let Ok(rel) = svg_dir
        .join(href)
        .strip_prefix(sandbox.root())
        .map(std::path::Path::to_path_buf)
    else {
        return Ok(0);
    };
    let Ok(real) = sandbox.resolve(&rel.to_string_lossy()) else {
        return Ok(0);
    };
    let size = std::fs::metadata(&real).map_or(0, |m| m.len());
    bilaga::check_size(size)
        .map_err(|e| format!("the image it links to, `{href}`: {}", e.message))?;
    let Ok(bytes) = crate::sandbox::read_file(&real) else {
        return Ok(0);
    };
    let size = crate::bilaga::limits::image_size(&bytes);
    if size.is_none() && is_svg(&real, &bytes) {
        return Err(format!("it links to another SVG image, `{href}`"));
    }
    if let Err(found) = crate::bilaga::limits::image_within_cap(&bytes) {
        return Err(format!(
            "the image it links to, `{href}`, has {found}: {}",
            crate::bilaga::limits::IMAGE_PIXELS.exceeded()
        ));
    }
    Ok(size.map_or(0, |(w, h)| u64::from(w) * u64::from(h)))
}

fn is_svg(path: &std::path::Path, bytes: &[u8]) -> bool {
    let named = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    named || bilaga::svg_cost::looks_like_svg(bytes)
}
