//! The fonts protokoll typesets with, embedded in the binary: which files, which characters
//! they cover (so a character no font has is caught before Typst, [`has_glyph`]) and a
//! fingerprint of them for the incremental build key ([`fingerprint`]). The Typst world
//! ([`crate::world`]) loads its font book from [`files`].

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
    static COVERED: OnceLock<Vec<u32>> = OnceLock::new();
    let covered = COVERED.get_or_init(|| {
        let mut all: Vec<u32> = files()
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .flat_map(|font| font.info().coverage.iter().collect::<Vec<u32>>())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    });
    covered.binary_search(&(c as u32)).is_ok()
}

/// The font files in use, chosen once: the embedded faces and typst-assets' monospace.
pub(crate) fn files() -> &'static [&'static [u8]] {
    static FILES: OnceLock<Vec<&'static [u8]>> = OnceLock::new();
    FILES.get_or_init(|| {
        EMBEDDED_FONTS
            .iter()
            .copied()
            .chain(typst_assets::fonts().filter(is_mono))
            .collect()
    })
}

/// A fingerprint of the fonts in use, for the incremental build key.
pub(crate) fn fingerprint() -> &'static str {
    static PRINT: OnceLock<String> = OnceLock::new();
    PRINT.get_or_init(|| {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for data in files() {
            hasher.update((data.len() as u64).to_le_bytes());
            hasher.update(data);
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    })
}

/// Only the monospace family of typst-assets: the others would let a missing font silently
/// fall back to a serif face.
fn is_mono(data: &&'static [u8]) -> bool {
    Font::iter(Bytes::new(*data)).any(|f| f.info().family.contains("Mono"))
}
