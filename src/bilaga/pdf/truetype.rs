//! Embedded TrueType programs read as viewers read them (issue 23, item 5): a `loca` entry
//! that points past the end of the `glyf` table is cut back to that end.
//!
//! Some writers (Aspose.Cells, pdf.js corpus `issue4398.pdf`: a Calibri subset) give the
//! `glyf` table its length without the padding that the last glyph's `loca` entry counts, so
//! the last glyph ends two bytes past the table. FreeType (poppler) and pdf.js cut such an
//! offset back to the table's end (FreeType's `tt_face_get_location`, pdf.js's
//! `sanitizeGlyphLocations`) and draw the glyph, whose data is whole; hayro's font reader
//! (read-fonts) refuses it, and with it every composite glyph built from it — there, the "8",
//! drawn from the same outline as the last glyph, vanished while every other digit was drawn.
//! The program is repaired in the copy hayro draws (as an uncompressed, hex-encoded stream);
//! the attached original is never changed.

use std::collections::HashSet;

use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::hayro_syntax::object::{Dict, Object, ObjectIdentifier, Stream};

use super::shown::Update;
use super::widgets::hex_stream;

/// The largest font program repaired (decoded): real subsets are tens of kilobytes, whole
/// CJK fonts a few megabytes; past this the program is drawn as it is.
const MAX_FONT_BYTES: usize = 16 * 1024 * 1024;

/// New versions of the embedded TrueType programs (`/FontFile2`) whose `loca` points past
/// their `glyf` table, each with those offsets cut back to the table's end.
pub(crate) fn repairs(pdf: &Pdf) -> Vec<Update> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for object in pdf.objects() {
        let Object::Dict(d) = object else { continue };
        // A font descriptor, or a font whose descriptor is written inside it.
        let descriptors = [Some(d.clone()), d.get::<Dict<'_>>(b"FontDescriptor")];
        for descriptor in descriptors.into_iter().flatten() {
            let (Some(id), Some(stream)) = (
                descriptor.get_ref(b"FontFile2"),
                descriptor.get::<Stream<'_>>(b"FontFile2"),
            ) else {
                continue;
            };
            let id: ObjectIdentifier = id.into();
            if !seen.insert(id) {
                continue;
            }
            let Ok(program) = stream.decoded() else {
                continue;
            };
            if program.len() > MAX_FONT_BYTES {
                continue;
            }
            if let Some(fixed) = repaired(&program) {
                out.push((
                    id.obj_number,
                    id.gen_number,
                    hex_stream(&format!("/Length1 {}", fixed.len()), &fixed),
                ));
            }
        }
    }
    out
}

/// The font program with every `loca` offset past the end of `glyf` set to that end, or
/// `None` when none is (or the program is not a TrueType font whose tables can be found).
fn repaired(font: &[u8]) -> Option<Vec<u8>> {
    let u16_at = |at: usize| -> Option<u16> {
        Some(u16::from_be_bytes(font.get(at..at + 2)?.try_into().ok()?))
    };
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(font.get(at..at + 4)?.try_into().ok()?))
    };
    let tables = usize::from(u16_at(4)?);
    let table = |tag: &[u8; 4]| -> Option<(usize, usize)> {
        (0..tables).find_map(|i| {
            let record = 12 + 16 * i;
            (font.get(record..record + 4)? == tag)
                .then_some((u32_at(record + 8)? as usize, u32_at(record + 12)? as usize))
        })
    };
    let (head, _) = table(b"head")?;
    let (loca, loca_len) = table(b"loca")?;
    let (_, glyf_len) = table(b"glyf")?;
    let long = u16_at(head + 50)? == 1;
    let (width, unit) = if long { (4, 1) } else { (2, 2) };
    let entries = loca_len / width;
    let mut fixed = None::<Vec<u8>>;
    for i in 0..entries {
        let at = loca + i * width;
        let offset = if long {
            u32_at(at)? as usize
        } else {
            usize::from(u16_at(at)?) * 2
        };
        if offset <= glyf_len {
            continue;
        }
        let out = fixed.get_or_insert_with(|| font.to_vec());
        let end = glyf_len / unit;
        if long {
            out[at..at + 4].copy_from_slice(&(end as u32).to_be_bytes());
        } else {
            out[at..at + 2].copy_from_slice(&(end.min(usize::from(u16::MAX)) as u16).to_be_bytes());
        }
    }
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A font of two tables' worth: `head` (long offsets), `loca` of three glyphs whose last
    /// ends two bytes past `glyf` (10 bytes declared).
    fn font(ends: [u32; 3]) -> Vec<u8> {
        let mut f = vec![0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0];
        let head = 12 + 16 * 3;
        let loca = head + 54;
        let glyf = loca + 16;
        for (tag, off, len) in [
            (b"head", head, 54),
            (b"loca", loca, 16),
            (b"glyf", glyf, 10),
        ] {
            f.extend_from_slice(tag);
            f.extend_from_slice(&[0; 4]);
            f.extend_from_slice(&(off as u32).to_be_bytes());
            f.extend_from_slice(&(len as u32).to_be_bytes());
        }
        let mut head = vec![0; 54];
        head[51] = 1;
        f.extend_from_slice(&head);
        f.extend_from_slice(&0u32.to_be_bytes());
        for e in ends {
            f.extend_from_slice(&e.to_be_bytes());
        }
        f.extend_from_slice(&[0; 12]);
        f
    }

    #[test]
    fn an_offset_past_the_glyf_table_is_cut_back_to_its_end() {
        let fixed = repaired(&font([4, 4, 12])).expect("repaired");
        assert_eq!(fixed, font([4, 4, 10]));
        assert!(repaired(&font([4, 6, 10])).is_none());
        assert!(repaired(b"not a font").is_none());
    }
}
