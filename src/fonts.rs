//! The fonts protokoll typesets with, embedded in the binary: which files, and which
//! characters they cover (so a character no font has is caught before Typst,
//! [`has_glyph`]). The faces are parsed once a process ([`faces`]), for both: the Typst
//! world ([`crate::world`]) builds its font book from them. They need no fingerprint of
//! their own in the incremental build key: they are part of the binary, whose source
//! fingerprint (`build.rs`: `templates/fonts/`, and `Cargo.lock` for typst-assets') the key
//! names.

use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::Font;

/// The fonts shipped with protokoll: Liberation Sans for text, DejaVu Sans Mono (from
/// typst-assets) for code, and the fallback chain `house.font` in `protokoll.typ` names
/// after Liberation Sans, so that every character a user can type prints (issue 13):
/// Noto Sans Arabic, DejaVu Sans (Latin, Greek, Cyrillic and Hebrew beyond Liberation's,
/// Armenian, Georgian, arrows, box drawing, ☐☒✓), Noto Sans Symbols 2 and Symbols, and the
/// monochrome Noto Emoji. No system fonts, so the output is the same on every machine.
/// Sources and licences: `templates/fonts/README.md`.
const EMBEDDED_FONTS: &[&[u8]] = &[
    include_bytes!("../templates/fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../templates/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../templates/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../templates/fonts/LiberationSans-BoldItalic.ttf"),
    include_bytes!("../templates/fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../templates/fonts/DejaVuSans.ttf"),
    include_bytes!("../templates/fonts/NotoSansSymbols2-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSansSymbols-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoEmoji-Regular.ttf"),
];

/// Whether any embedded font has a glyph for `c` (from the fonts' character maps). What no
/// font has would print as an empty box, which PDF/A refuses: see
/// [`crate::escape::printable`].
pub(crate) fn has_glyph(c: char) -> bool {
    // The characters covered, as sorted runs (first, last): a few thousand runs where the
    // characters one by one were 200 kB held for the whole process (issue 28).
    static COVERED: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    let covered = COVERED.get_or_init(|| {
        let mut all: Vec<u32> = faces()
            .iter()
            .flat_map(|font| font.info().coverage.iter())
            .collect();
        all.sort_unstable();
        all.dedup();
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for c in all {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == c => *last = c,
                _ => runs.push((c, c)),
            }
        }
        runs.shrink_to_fit();
        runs
    });
    let c = c as u32;
    // The last run starting at or before `c`, if it reaches `c`.
    let after = covered.partition_point(|&(first, _)| first <= c);
    after > 0 && covered[after - 1].1 >= c
}

/// The faces in use, parsed once a process (issue 28: the character check and the Typst
/// world parsed every font each, ~5 % of a one-meeting run): every face of the embedded
/// files, and of typst-assets' files those of its monospace family.
pub(crate) fn faces() -> &'static [Font] {
    static FACES: OnceLock<Vec<Font>> = OnceLock::new();
    FACES.get_or_init(|| {
        let embedded = EMBEDDED_FONTS
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)));
        let mono = typst_assets::fonts()
            .filter(|data| is_mono(data))
            .flat_map(|data| Font::iter(Bytes::new(data)));
        embedded.chain(mono).collect()
    })
}

/// Only the monospace family of typst-assets: the others would let a missing font silently
/// fall back to a serif face. Told from the file's name table alone, without parsing the
/// face as Typst does (its character map read whole): the serif and math files left out are
/// 4 MiB of the binary that a run then never reads (issue 28, peak memory).
fn is_mono(data: &[u8]) -> bool {
    let Ok(face) = ttf_parser::RawFace::parse(data, 0) else {
        return false;
    };
    let Some(names) = face
        .table(ttf_parser::Tag::from_bytes(b"name"))
        .and_then(ttf_parser::name::Table::parse)
    else {
        return false;
    };
    names.names.into_iter().any(|name| {
        matches!(
            name.name_id,
            ttf_parser::name_id::FAMILY | ttf_parser::name_id::TYPOGRAPHIC_FAMILY
        ) && name
            .to_string()
            .is_some_and(|family| family.contains("Mono"))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The faces are the embedded files' and typst-assets' monospace family, told by the
    /// name table alone: neither its serif (Libertinus Serif) nor its math (New Computer
    /// Modern) families, which would let a missing font fall back to a serif face.
    #[test]
    fn the_faces_are_the_embedded_ones_and_the_monospace_family() {
        let families: BTreeSet<&str> = super::faces()
            .iter()
            .map(|face| face.info().family.as_str())
            .collect();
        assert_eq!(
            families,
            BTreeSet::from([
                "DejaVu Sans",
                "DejaVu Sans Mono",
                "Liberation Sans",
                "Noto Emoji",
                "Noto Sans Arabic",
                "Noto Sans Symbols",
                "Noto Sans Symbols2",
            ])
        );
        // The monospace family's four styles, as before.
        let mono = super::faces()
            .iter()
            .filter(|face| face.info().family == "DejaVu Sans Mono")
            .count();
        assert_eq!(mono, 4);
    }

    /// A character is covered exactly when a face has it, at every code point: inside the
    /// runs, at their ends and beside them.
    #[test]
    fn has_glyph_is_the_faces_coverage() {
        let mut covered: Vec<u32> = super::faces()
            .iter()
            .flat_map(|face| face.info().coverage.iter())
            .collect();
        covered.sort_unstable();
        covered.dedup();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(
                super::has_glyph(c),
                covered.binary_search(&(c as u32)).is_ok(),
                "U+{:04X}",
                c as u32
            );
        }
        assert!(super::has_glyph('å') && super::has_glyph('\u{1f600}'));
    }
}
