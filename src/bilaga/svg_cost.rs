//! What an SVG image shown from a bilaga costs to draw, counted before Typst reads it
//! (issue 29). Its size says nothing: a 223-byte SVG with a blur and a morphology filter ran
//! for minutes (filters are rasterised when the PDF is written), and one that draws an
//! embedded 40,000² PNG three times passed the pixel cap, which only looked at image files.
//!
//! So: filters are refused (the hint says to export the image as PNG); each image embedded
//! in it (`data:` URI) or linked from it by a relative file name (Typst loads those from the
//! meeting's folder) is held to the pixel cap of one image, and counted towards the
//! meeting's pixels once for every time the SVG may draw it (once, and once more for each
//! `<use>`, which may repeat it); an SVG inside an SVG is refused; and the elements are
//! capped. The file itself is parsed as XML once, here, without building a tree.

use base64::Engine;
use quick_xml::events::Event;

use super::limits::{IMAGE_PIXELS, SVG_ELEMENTS, image_size};

/// Whether `bytes` hold an SVG image (by its text, whatever its name): an `<svg` element in
/// its first kilobyte.
pub(crate) fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
    head.contains("<svg")
}

/// The pixels showing the SVG image `name` decodes, or why it is refused: the checks every
/// SVG passes before it reaches Typst, from a Markdown bilaga or a DOCX ([`pixels_drawn`],
/// then [`unreadable`]). `linked` as for [`pixels_drawn`].
pub(crate) fn admit(
    name: &str,
    bytes: &[u8],
    linked: &mut dyn FnMut(&str) -> Result<u64, String>,
) -> Result<u64, String> {
    let pixels = pixels_drawn(bytes, linked)
        .map_err(|why| format!("SVG image `{name}` is refused: {why}"))?;
    // What Typst cannot parse would fail the export with no place in the meeting: refused
    // here, where the image is named.
    if let Some(why) = unreadable(bytes) {
        return Err(format!("SVG image `{name}` cannot be read: {why}"));
    }
    Ok(pixels)
}

/// Why Typst's SVG reader cannot read `bytes`, if it cannot: usvg takes the bytes as UTF-8
/// and parses them with roxmltree, DTDs allowed — the same parse with the same options here,
/// so the verdict is Typst's own and an SVG Typst reads is never refused. (A gzip-compressed
/// SVGZ is decompressed by usvg first: left to Typst.)
pub(crate) fn unreadable(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("it is not UTF-8 text".to_string());
    };
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .err()
        .map(|e| e.to_string())
}

/// The pixels drawing the SVG `bytes` decodes, counting each embedded or linked image once
/// for every time it may be drawn; or why it is refused. `linked` gives the pixels of an
/// image the SVG links to by file name (as written in its `href`), or why it is refused.
pub(crate) fn pixels_drawn(
    bytes: &[u8],
    linked: &mut dyn FnMut(&str) -> Result<u64, String>,
) -> Result<u64, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buffer = Vec::new();
    let (mut elements, mut uses, mut pixels) = (0u64, 0u64, 0u64);
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|e| format!("it is not readable as SVG: {e}"))?;
        let element = match &event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Eof => break,
            _ => {
                buffer.clear();
                continue;
            }
        };
        elements += 1;
        if SVG_ELEMENTS.over(elements) {
            return Err(SVG_ELEMENTS.exceeded());
        }
        let name = element.local_name();
        let name = String::from_utf8_lossy(name.as_ref()).into_owned();
        if name == "filter" || (name.starts_with("fe") && name.len() > 2) {
            return Err(format!(
                "it uses the SVG filter element `<{name}>`: filters are rasterised when the PDF is written, at a cost its size does not show"
            ));
        }
        if name == "use" {
            uses += 1;
        }
        if name == "image" {
            for attribute in element.attributes().flatten() {
                let key = attribute.key.local_name();
                if key.as_ref() != b"href" {
                    continue;
                }
                let drawn = if attribute.value.starts_with(b"data:") {
                    embedded_pixels(&attribute.value)?
                } else {
                    let href = attribute
                        .unescape_value()
                        .map_err(|e| format!("it is not readable as SVG: {e}"))?;
                    linked(&href)?
                };
                pixels = pixels.saturating_add(drawn);
            }
        }
        buffer.clear();
    }
    Ok(pixels.saturating_mul(uses + 1))
}

/// The pixels of an image embedded as a `data:` URI (by its header: nothing is decoded
/// past it).
fn embedded_pixels(href: &[u8]) -> Result<u64, String> {
    let Some(rest) = href.strip_prefix(b"data:") else {
        return Ok(0);
    };
    let Some(at) = rest.windows(7).position(|w| w == b";base64") else {
        // Not base64: percent-encoded text, which an image is not.
        if rest.starts_with(b"image/svg") {
            return Err("it holds another SVG image inside it".into());
        }
        return Ok(0);
    };
    let data = rest[at..]
        .iter()
        .position(|&b| b == b',')
        .map_or(&[][..], |comma| &rest[at + comma + 1..]);
    // The header is in the first bytes (JPEG metadata may put it some way in).
    let mut head: Vec<u8> = data
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .take(700 * 1024)
        .collect();
    head.truncate(head.len() / 4 * 4);
    while head.last() == Some(&b'=') {
        head.pop();
    }
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&head[..head.len() / 4 * 4])
        .map_err(|e| format!("an image embedded in it is not readable: {e}"))?;
    let text = String::from_utf8_lossy(&decoded[..decoded.len().min(512)]).to_lowercase();
    if rest.starts_with(b"image/svg") || text.contains("<svg") {
        return Err("it holds another SVG image inside it".into());
    }
    let Some((w, h)) = image_size(&decoded) else {
        return Ok(0);
    };
    let pixels = u64::from(w) * u64::from(h);
    if IMAGE_PIXELS.over(pixels) {
        return Err(format!(
            "an image embedded in it has {w} × {h} pixels: {}",
            IMAGE_PIXELS.exceeded()
        ));
    }
    Ok(pixels)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG whose header declares `w` × `h`.
    fn png(w: u32, h: u32) -> String {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(w.to_be_bytes());
        png.extend(h.to_be_bytes());
        png.extend([1, 0, 0, 0, 0, 0, 0, 0, 0]);
        base64::engine::general_purpose::STANDARD.encode(png)
    }

    fn no_files(href: &str) -> Result<u64, String> {
        Err(format!("no file {href}"))
    }

    #[test]
    fn linked_images_are_asked_for_and_count_each_time_they_may_be_drawn() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image id="i" xlink:href="bilder/stor&#46;png"/><use href="#i"/></svg>"##;
        let mut asked = Vec::new();
        let drawn = pixels_drawn(svg, &mut |href| {
            asked.push(href.to_string());
            Ok(1_000)
        });
        assert_eq!(drawn, Ok(2_000));
        assert_eq!(asked, ["bilder/stor.png"]);
        let why = pixels_drawn(svg, &mut no_files).unwrap_err();
        assert_eq!(why, "no file bilder/stor.png");
    }

    #[test]
    fn filters_are_refused() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><filter id="f"><feGaussianBlur stdDeviation="20"/></filter><rect width="500" height="500" filter="url(#f)"/></svg>"#;
        let why = pixels_drawn(svg, &mut no_files).unwrap_err();
        assert!(why.contains("`<filter>`"), "{why}");
    }

    #[test]
    fn embedded_images_count_each_time_they_may_be_drawn() {
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image id="i" xlink:href="data:image/png;base64,{}"/><use href="#i"/><use href="#i"/></svg>"##,
            png(1000, 2000)
        );
        assert_eq!(pixels_drawn(svg.as_bytes(), &mut no_files), Ok(6_000_000));
        let big = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,{}"/></svg>"#,
            png(40_000, 40_000)
        );
        assert!(
            pixels_drawn(big.as_bytes(), &mut no_files)
                .unwrap_err()
                .contains("40000 × 40000")
        );
        let plain =
            br#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>"#;
        assert_eq!(pixels_drawn(plain, &mut no_files), Ok(0));
    }
}
