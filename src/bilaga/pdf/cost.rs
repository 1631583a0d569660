//! What drawing a PDF bilaga's pages would cost, counted before hayro draws any (issues 13
//! and 29): the operations of each page's content stream and of everything it draws — a form
//! XObject, an annotation's appearance, a soft mask, a tiling pattern and a Type 3 glyph, each
//! time it is drawn — and the pixels of every image, each time it is drawn. A page that shares
//! one heavy content stream with 200 others, draws a 20,000 × 20,000 image, fans out through an
//! appearance stream, or whose glyph draws itself, is refused here, naming the page and the
//! cap, instead of costing minutes, gigabytes or the stack while it is drawn. Counting stops at
//! the cap, so it costs no more than the cap allows; nesting is bounded by a counter
//! ([`PDF_NESTING`]), so the count itself never recurses deeper than that.

use std::collections::HashMap;
use std::rc::Rc;

use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::hayro_syntax::content::TypedIter;
use hayro_svg::hayro_syntax::content::ops::TypedInstruction;
use hayro_svg::hayro_syntax::object::{Array, Dict, Name, Object, ObjectIdentifier, Stream};
use hayro_svg::hayro_syntax::page::Resources;

use crate::bilaga::limits::{
    Cap, IMAGE_PIXELS, PDF_DECODED_BYTES, PDF_NESTING, PDF_OPERATIONS, PDF_OPERATIONS_PER_PAGE,
    PDF_STREAM_BYTES,
};

/// The first page (1-based) over a cap, and the cap's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverCap {
    pub page: usize,
    pub cap: Cap,
    /// What was found, e.g. "an image of 20000 × 20000 pixels"; empty for counts.
    pub found: String,
}

/// Checks what the Flate streams in `bytes` decode to against [`PDF_STREAM_BYTES`] and
/// [`PDF_DECODED_BYTES`], decoding each into nothing (memory stays flat) and stopping at the
/// cap. Streams are found in the raw bytes (`stream` … a zlib header), before any parser
/// keeps them, so a bomb costs only the decoding the caps allow. Returns the cap exceeded.
pub(crate) fn inflate_bomb(bytes: &[u8]) -> Option<Cap> {
    use std::io::Read;
    let mut total = 0u64;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let start = at + found;
        at = start + 6;
        // `endstream` ends one; only a keyword after a dictionary starts one.
        if start >= 3 && &bytes[start - 3..start] == b"end" {
            continue;
        }
        let mut data = at;
        for eol in [b'\r', b'\n'] {
            if bytes.get(data) == Some(&eol) {
                data += 1;
            }
        }
        let Some(head) = bytes.get(data..data + 2) else {
            break;
        };
        // A zlib header: deflate, and the check bits right (RFC 1950).
        if head[0] & 0x0f != 8 || (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 != 0 {
            continue;
        }
        let limit = PDF_STREAM_BYTES.value + 1;
        let decoded = std::io::copy(
            &mut flate2::read::ZlibDecoder::new(&bytes[data..]).take(limit),
            &mut std::io::sink(),
        )
        .unwrap_or(0);
        if PDF_STREAM_BYTES.over(decoded) {
            return Some(PDF_STREAM_BYTES);
        }
        total += decoded;
        if PDF_DECODED_BYTES.over(total) {
            return Some(PDF_DECODED_BYTES);
        }
    }
    None
}

/// Checks every page of `pdf` against the caps, in page order. `file_size`: the PDF's size in
/// bytes, which sets its budget of pixels drawn ([`crate::bilaga::limits::pdf_pixels_drawn`]).
pub fn check(pdf: &Pdf, file_size: usize) -> Result<(), OverCap> {
    let mut total = 0u64;
    let mut pixels = 0u64;
    let pixel_cap = crate::bilaga::limits::pdf_pixels_drawn(file_size as u64);
    let mut streams: HashMap<ObjectIdentifier, Rc<[u8]>> = HashMap::new();
    for (i, page) in pdf.pages().iter().enumerate() {
        let mut count = Count {
            page: 0,
            total: &mut total,
            pixels: &mut pixels,
            pixel_cap,
            streams: &mut streams,
        };
        let ops = page.page_stream().unwrap_or_default();
        let over = |(cap, found)| OverCap {
            page: i + 1,
            cap,
            found,
        };
        count.stream(ops, page.resources(), 0).map_err(over)?;
        // Annotations are drawn after the page, each from its appearance stream (a widget's
        // from the stream of its state), with the page's resources as the parent's.
        let Some(annots) = page.raw().get::<Array<'_>>(b"Annots") else {
            continue;
        };
        for annot in annots.iter::<Dict<'_>>() {
            let Some(normal) = annot
                .get::<Dict<'_>>(b"AP")
                .and_then(|ap| ap.get::<Object<'_>>(b"N"))
            else {
                continue;
            };
            let appearance = match normal {
                Object::Stream(s) => Some(s),
                Object::Dict(states) => annot
                    .get::<Name<'_>>(b"AS")
                    .and_then(|state| states.get::<Stream<'_>>(state.as_ref())),
                _ => None,
            };
            if let Some(appearance) = appearance {
                count.form(&appearance, page.resources(), 1).map_err(over)?;
            }
        }
    }
    Ok(())
}

/// What is counted, and the cap it met with what was found.
type Counted = Result<(), (Cap, String)>;

struct Count<'c> {
    page: u64,
    total: &'c mut u64,
    /// Pixels of images drawn in the whole document, each time drawn.
    pixels: &'c mut u64,
    pixel_cap: Cap,
    /// Decoded streams (forms, appearances, glyphs, patterns), by object: one drawn a thousand
    /// times is decoded once.
    streams: &'c mut HashMap<ObjectIdentifier, Rc<[u8]>>,
}

impl Count<'_> {
    /// The operations of `data`, drawn `depth` levels inside a page's content.
    fn stream<'a>(&mut self, data: &[u8], resources: &Resources<'a>, depth: u32) -> Counted {
        if PDF_NESTING.over(u64::from(depth)) {
            return Err((PDF_NESTING, String::new()));
        }
        // The Type 3 font selected by the last `Tf`: its glyphs are drawn from content streams.
        let mut type3: Option<Dict<'a>> = None;
        let mut ops = TypedIter::new(data);
        while let Some(op) = ops.next() {
            self.operation()?;
            match op {
                TypedInstruction::XObject(x) => {
                    let Some(stream) = resources.get_x_object(x.0) else {
                        continue;
                    };
                    let dict = stream.dict();
                    match dict.get::<Name<'_>>(b"Subtype".as_slice()).as_deref() {
                        Some(b"Image") => self.image(dict)?,
                        Some(b"Form") => self.form(&stream, resources, depth + 1)?,
                        _ => {}
                    }
                }
                TypedInstruction::InlineImage(image) => self.image(image.0.dict())?,
                TypedInstruction::SetGraphicsState(name) => {
                    // A soft mask's group is drawn for what is drawn under it.
                    let mask = resources
                        .get_ext_g_state(name.0)
                        .and_then(|gs| gs.get::<Dict<'_>>(b"SMask"))
                        .and_then(|mask| mask.get::<Stream<'_>>(b"G"));
                    if let Some(group) = mask {
                        self.form(&group, resources, depth + 1)?;
                    }
                }
                TypedInstruction::NonStrokeColorNamed(c) => {
                    if let Some(name) = c.1 {
                        self.pattern(name, resources, depth)?;
                    }
                }
                TypedInstruction::StrokeColorNamed(c) => {
                    if let Some(name) = c.1 {
                        self.pattern(name, resources, depth)?;
                    }
                }
                TypedInstruction::TextFont(f) => {
                    type3 = resources.get_font(f.0).filter(|font| {
                        font.get::<Name<'_>>(b"Subtype").as_deref() == Some(b"Type3".as_slice())
                    });
                }
                TypedInstruction::ShowText(t) => {
                    self.glyphs(type3.as_ref(), t.0.as_bytes(), resources, depth)?;
                }
                TypedInstruction::NextLineAndShowText(t) => {
                    self.glyphs(type3.as_ref(), t.0.as_bytes(), resources, depth)?;
                }
                TypedInstruction::ShowTextWithParameters(t) => {
                    self.glyphs(type3.as_ref(), t.2.as_bytes(), resources, depth)?;
                }
                TypedInstruction::ShowTexts(t) if type3.is_some() => {
                    for item in t.0.iter::<Object<'_>>() {
                        if let Object::String(s) = item {
                            self.glyphs(type3.as_ref(), s.as_bytes(), resources, depth)?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// One operation more, on this page and in the document.
    fn operation(&mut self) -> Counted {
        self.page += 1;
        *self.total += 1;
        if PDF_OPERATIONS_PER_PAGE.over(self.page) {
            return Err((PDF_OPERATIONS_PER_PAGE, String::new()));
        }
        if PDF_OPERATIONS.over(*self.total) {
            return Err((PDF_OPERATIONS, String::new()));
        }
        Ok(())
    }

    /// A content stream with its own resources (a form, an appearance, a mask's group, a
    /// tiling pattern, a Type 3 glyph), drawn once more at `depth`.
    fn form<'a>(&mut self, stream: &Stream<'a>, resources: &Resources<'a>, depth: u32) -> Counted {
        let data = self.decoded(stream);
        let inner = Resources::from_parent(
            stream
                .dict()
                .get::<Dict<'_>>(b"Resources".as_slice())
                .unwrap_or_default(),
            resources.clone(),
        );
        self.stream(&data, &inner, depth)
    }

    fn decoded(&mut self, stream: &Stream<'_>) -> Rc<[u8]> {
        let id = stream.obj_id();
        if let Some(data) = self.streams.get(&id) {
            return data.clone();
        }
        let data: Rc<[u8]> = Rc::from(stream.decoded().map(|d| d.to_vec()).unwrap_or_default());
        // Inline streams have no object of their own: not kept (they cannot be shared).
        if id.obj_number != 0 {
            self.streams.insert(id, data.clone());
        }
        data
    }

    /// A tiling pattern chosen as colour: its cell is drawn for what is filled with it.
    fn pattern<'a>(&mut self, name: &Name<'_>, resources: &Resources<'a>, depth: u32) -> Counted {
        if let Some(Object::Stream(cell)) = resources.get_pattern(name) {
            self.form(&cell, resources, depth + 1)?;
        }
        Ok(())
    }

    /// The glyphs of `codes` in a Type 3 font, each drawn from its own content stream.
    fn glyphs<'a>(
        &mut self,
        font: Option<&Dict<'a>>,
        codes: &[u8],
        resources: &Resources<'a>,
        depth: u32,
    ) -> Counted {
        let Some(font) = font else {
            return Ok(());
        };
        let procs = font.get::<Dict<'_>>(b"CharProcs").unwrap_or_default();
        // A glyph is drawn with the font's resources (which may name the font itself).
        let own = Resources::from_parent(
            font.get::<Dict<'_>>(b"Resources").unwrap_or_default(),
            resources.clone(),
        );
        let differences = font
            .get::<Dict<'_>>(b"Encoding")
            .and_then(|e| e.get::<Array<'_>>(b"Differences"));
        for &code in codes {
            let Some(name) = differences.as_ref().and_then(|d| glyph_name(d, code)) else {
                continue;
            };
            if let Some(glyph) = procs.get::<Stream<'_>>(name.as_ref()) {
                self.form(&glyph, &own, depth + 1)?;
            }
        }
        Ok(())
    }

    /// An image drawn once more: its size against [`IMAGE_PIXELS`], its pixels added to the
    /// document's pixels drawn (a shared image is decoded for each page that draws it).
    fn image(&mut self, dict: &Dict<'_>) -> Counted {
        let pixels = image_size(dict)?;
        *self.pixels = self.pixels.saturating_add(pixels);
        if self.pixel_cap.over(*self.pixels) {
            return Err((self.pixel_cap, String::new()));
        }
        Ok(())
    }
}

/// The glyph name a Type 3 font's `/Differences` gives `code`.
fn glyph_name<'a>(differences: &Array<'a>, code: u8) -> Option<Name<'a>> {
    let mut next = 0i64;
    let mut found = None;
    for item in differences.iter::<Object<'_>>() {
        match item {
            Object::Number(n) => next = n.as_f64() as i64,
            Object::Name(name) => {
                if next == i64::from(code) {
                    found = Some(name);
                }
                next += 1;
            }
            _ => {}
        }
    }
    found
}

/// An image's declared size against [`IMAGE_PIXELS`] (it is decoded whole when drawn); its
/// pixels.
fn image_size(dict: &Dict<'_>) -> Result<u64, (Cap, String)> {
    let get = |long: &[u8], short: &[u8]| {
        dict.get::<usize>(long)
            .or_else(|| dict.get::<usize>(short))
            .map_or(0, |n| n as u64)
    };
    let (w, h) = (get(b"Width", b"W"), get(b"Height", b"H"));
    if IMAGE_PIXELS.over(w.saturating_mul(h)) {
        return Err((IMAGE_PIXELS, format!("an image of {w} × {h} pixels")));
    }
    Ok(w.saturating_mul(h))
}

/// How many page tree nodes (`/Pages` names) the PDF's bytes hold, in its plain objects and
/// in its compressed object streams (`/ObjStm`, Flate), before hayro parses it; counting
/// stops past `limit`. A name split by an encryption or an unusual filter is not seen: such
/// a file is read by hayro as before.
pub(crate) fn page_tree_nodes(bytes: &[u8], limit: usize) -> usize {
    let mut found = count_pages_names(bytes, limit);
    let mut at = 0;
    // All object streams together unpack to at most this: a bomb stops here.
    let mut budget: u64 = 64 << 20;
    while found <= limit && budget > 0 {
        let Some(pos) = find(&bytes[at..], b"/ObjStm") else {
            break;
        };
        at += pos + 7;
        let Some(start) = find(&bytes[at..], b"stream").map(|p| at + p + 6) else {
            break;
        };
        let data = bytes[start..]
            .strip_prefix(b"\r")
            .unwrap_or(&bytes[start..]);
        let data = data.strip_prefix(b"\n").unwrap_or(data);
        let end = find(data, b"endstream").unwrap_or(data.len());
        let mut plain = Vec::new();
        let decoder = flate2::read::ZlibDecoder::new(&data[..end]);
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(decoder, budget), &mut plain);
        budget = budget.saturating_sub(plain.len() as u64);
        found += count_pages_names(&plain, limit);
    }
    found
}

/// `/Pages` as a whole name (not `/PagesX`), up to `limit` + 1.
fn count_pages_names(bytes: &[u8], limit: usize) -> usize {
    let mut n = 0;
    let mut at = 0;
    while n <= limit {
        let Some(pos) = find(&bytes[at..], b"/Pages") else {
            break;
        };
        at += pos + 6;
        let next = bytes.get(at).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphanumeric() || next == b'_' || next == b'#') {
            n += 1;
        }
    }
    n
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {

    /// `stream` + a zlib stream of `n` zero bytes, as it stands in a PDF's bytes.
    fn deflated_zeros(n: usize) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let chunk = vec![0u8; 1 << 20];
        let mut left = n;
        while left > 0 {
            let k = left.min(chunk.len());
            z.write_all(&chunk[..k]).unwrap();
            left -= k;
        }
        let mut out = b"<< /Filter /FlateDecode >>\nstream\n".to_vec();
        out.extend(z.finish().unwrap());
        out.extend(b"\nendstream\n");
        out
    }

    #[test]
    fn a_stream_just_under_the_inflate_cap_passes_and_one_over_is_caught() {
        let cap = PDF_STREAM_BYTES.value as usize;
        assert_eq!(inflate_bomb(&deflated_zeros(cap)), None);
        assert_eq!(
            inflate_bomb(&deflated_zeros(cap + 1)),
            Some(PDF_STREAM_BYTES)
        );
    }

    #[test]
    fn streams_are_capped_together() {
        let one = deflated_zeros(PDF_STREAM_BYTES.value as usize);
        // Streams at the per-stream cap that make exactly the total cap; one byte more is over.
        let n = (PDF_DECODED_BYTES.value / PDF_STREAM_BYTES.value) as usize;
        let all = one.repeat(n);
        assert_eq!(inflate_bomb(&all), None);
        let mut over = all;
        over.extend(deflated_zeros(1));
        assert_eq!(inflate_bomb(&over), Some(PDF_DECODED_BYTES));
    }

    use std::sync::Arc;

    use lopdf::{Document, Object, Stream as LoStream, dictionary};

    use super::*;

    /// A PDF of `pages` pages that all draw one content stream `content`; `form` and `image`
    /// become the XObjects `/F` and `/I` of every page.
    fn pdf(pages: usize, content: &[u8], form: Option<&[u8]>, image: Option<(i64, i64)>) -> Pdf {
        let mut doc = Document::with_version("1.4");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(LoStream::new(dictionary! {}, content.to_vec()));
        let mut xobjects = lopdf::Dictionary::new();
        if let Some(form) = form {
            let f = doc.add_object(LoStream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()] },
                form.to_vec(),
            ));
            xobjects.set("F", f);
        }
        if let Some((w, h)) = image {
            let i = doc.add_object(LoStream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w,
                "Height" => h, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
                vec![0; 16],
            ));
            xobjects.set("I", i);
        }
        let kids: Vec<Object> = (0..pages)
            .map(|_| {
                doc.add_object(dictionary! {
                    "Type" => "Page",
                    "Parent" => pages_id,
                    "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                    "Resources" => dictionary! { "XObject" => xobjects.clone() },
                    "Contents" => content,
                })
                .into()
            })
            .collect();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages as i64 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        Pdf::new(Arc::new(bytes)).unwrap()
    }

    fn check_(pdf: &Pdf) -> Result<(), OverCap> {
        check(pdf, 0)
    }

    fn ops(n: u64) -> Vec<u8> {
        b"0 0 1 1 re\n".repeat(n as usize)
    }

    #[test]
    fn operations_per_page_are_capped() {
        let cap = PDF_OPERATIONS_PER_PAGE.value;
        assert_eq!(check_(&pdf(1, &ops(cap), None, None)), Ok(()));
        let over = check_(&pdf(1, &ops(cap + 1), None, None)).unwrap_err();
        assert_eq!((over.page, over.cap), (1, PDF_OPERATIONS_PER_PAGE));
    }

    /// Pages sharing one heavy content stream: each page is under its cap, all of them
    /// together over the document's.
    #[test]
    fn pages_sharing_a_heavy_stream_are_capped_together() {
        let per_page = PDF_OPERATIONS_PER_PAGE.value;
        let pages = (PDF_OPERATIONS.value / per_page) as usize;
        assert_eq!(check_(&pdf(pages, &ops(per_page), None, None)), Ok(()));
        let over = check_(&pdf(pages + 1, &ops(per_page), None, None)).unwrap_err();
        assert_eq!((over.page, over.cap), (pages + 1, PDF_OPERATIONS));
    }

    /// A form drawn many times costs its operations each time.
    #[test]
    fn a_form_counts_each_time_it_is_drawn() {
        let form = ops(999);
        // Each `Do` is one operation, and draws 999 more: 250 of them are exactly the cap.
        let draws = PDF_OPERATIONS_PER_PAGE.value / 1000;
        let content = b"/F Do\n".repeat(draws as usize);
        assert_eq!(check_(&pdf(1, &content, Some(&form), None)), Ok(()));
        let content = b"/F Do\n".repeat(draws as usize + 1);
        let over = check_(&pdf(1, &content, Some(&form), None)).unwrap_err();
        assert_eq!(over.cap, PDF_OPERATIONS_PER_PAGE);
    }

    #[test]
    fn image_pixels_are_capped() {
        let (w, h) = (8_000, (IMAGE_PIXELS.value / 8_000) as i64);
        assert_eq!(check_(&pdf(1, b"/I Do", None, Some((w, h)))), Ok(()));
        let over = check_(&pdf(1, b"/I Do", None, Some((20_000, 20_000)))).unwrap_err();
        assert_eq!(over.cap, IMAGE_PIXELS);
        assert_eq!(over.found, "an image of 20000 × 20000 pixels");
        let over = check_(&pdf(1, b"/I Do", None, Some((w, h + 1)))).unwrap_err();
        assert_eq!(over.cap, IMAGE_PIXELS);
    }

    /// A page tree `depth` levels deep, written out plainly (lopdf would refuse to nest it).
    fn deep_tree(depth: usize) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".to_vec();
        for d in 0..depth {
            let n = 2 + d;
            out.extend(
                format!(
                    "{n} 0 obj << /Type /Pages /Kids [{} 0 R] /Count 1 >> endobj\n",
                    n + 1
                )
                .bytes(),
            );
        }
        out.extend(
            format!(
                "{} 0 obj << /Type /Page /MediaBox [0 0 9 9] >> endobj\n",
                depth + 2
            )
            .bytes(),
        );
        out.extend(b"trailer << /Root 1 0 R >>\n%%EOF\n");
        out
    }

    /// The issue's page tree 5,000 levels deep (2.4 GB in hayro): its nodes are counted in
    /// the bytes; the catalog's `/Pages` counts too.
    #[test]
    fn page_tree_nodes_are_counted_in_the_bytes() {
        let cap = crate::bilaga::limits::PDF_PAGE_TREE_NODES.value as usize;
        assert_eq!(page_tree_nodes(&deep_tree(cap - 1), cap), cap);
        assert_eq!(page_tree_nodes(&deep_tree(cap), cap), cap + 1);
        assert!(page_tree_nodes(&deep_tree(5_000), cap) > cap);
        // `/PagesX` is another name; `/Pages` in a compressed object stream counts.
        assert_eq!(page_tree_nodes(b"/PagesX /Pages/Page", cap), 1);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, &b"<</Type/Pages>>".repeat(cap + 1)).unwrap();
        let mut objstm = b"5 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n".to_vec();
        objstm.extend(z.finish().unwrap());
        objstm.extend(b"\nendstream endobj");
        assert_eq!(page_tree_nodes(&objstm, cap), cap + 1);
    }

    #[test]
    fn inline_images_are_capped() {
        let inline = b"BI /W 20000 /H 20000 /CS /G /BPC 8 ID\nxxxx\nEI\n";
        let over = check_(&pdf(1, inline, None, None)).unwrap_err();
        assert_eq!((over.page, over.cap), (1, IMAGE_PIXELS));
        let small = b"BI /W 2 /H 2 /CS /G /BPC 8 ID\nxxxx\nEI\n";
        assert_eq!(check_(&pdf(1, small, None, None)), Ok(()));
    }
}
