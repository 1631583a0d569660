//! The characters of symbol fonts as the Unicode characters they show. A run set in Symbol
//! or Wingdings, or a `w:sym`, stores the font's own code (often shifted into the private
//! use area, F020–F0FF), so its letters are not what the reader sees: "a" in Symbol is α.
//!
//! Symbol: the whole font, from the Unicode Consortium's published mapping of the Adobe
//! Symbol encoding (`MAPPINGS/VENDORS/ADOBE/symbol.txt`); the few codes it maps into the
//! corporate use area (serif and sans-serif ®©™) as the character they are, the bracket
//! extenders and the Apple logo not at all. Wingdings and Wingdings 2: the check boxes and
//! ticks forms use as the protocol shows every check box (☐, ☒, ✔); every other glyph of
//! Wingdings, Wingdings 2, Wingdings 3 and Webdings through Unicode's published mapping
//! ([`dingbats`]). A code with no character has no known meaning, and is named in a warning
//! by its caller, never printed as a wrong letter; so is a character no embedded font draws.

use super::dingbats;

/// Unicode of Symbol codes 0x20–0xFF (0: no character).
const SYMBOL: [u32; 224] = [
    0x0020, 0x0021, 0x2200, 0x0023, 0x2203, 0x0025, 0x0026, 0x220B, 0x0028, 0x0029, 0x2217, 0x002B,
    0x002C, 0x2212, 0x002E, 0x002F, 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
    0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F, 0x2245, 0x0391, 0x0392, 0x03A7,
    0x0394, 0x0395, 0x03A6, 0x0393, 0x0397, 0x0399, 0x03D1, 0x039A, 0x039B, 0x039C, 0x039D, 0x039F,
    0x03A0, 0x0398, 0x03A1, 0x03A3, 0x03A4, 0x03A5, 0x03C2, 0x03A9, 0x039E, 0x03A8, 0x0396, 0x005B,
    0x2234, 0x005D, 0x22A5, 0x005F, 0x0000, 0x03B1, 0x03B2, 0x03C7, 0x03B4, 0x03B5, 0x03C6, 0x03B3,
    0x03B7, 0x03B9, 0x03D5, 0x03BA, 0x03BB, 0x03BC, 0x03BD, 0x03BF, 0x03C0, 0x03B8, 0x03C1, 0x03C3,
    0x03C4, 0x03C5, 0x03D6, 0x03C9, 0x03BE, 0x03C8, 0x03B6, 0x007B, 0x007C, 0x007D, 0x223C, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x20AC, 0x03D2, 0x2032, 0x2264,
    0x2044, 0x221E, 0x0192, 0x2663, 0x2666, 0x2665, 0x2660, 0x2194, 0x2190, 0x2191, 0x2192, 0x2193,
    0x00B0, 0x00B1, 0x2033, 0x2265, 0x00D7, 0x221D, 0x2202, 0x2022, 0x00F7, 0x2260, 0x2261, 0x2248,
    0x2026, 0x0000, 0x23AF, 0x21B5, 0x2135, 0x2111, 0x211C, 0x2118, 0x2297, 0x2295, 0x2205, 0x2229,
    0x222A, 0x2283, 0x2287, 0x2284, 0x2282, 0x2286, 0x2208, 0x2209, 0x2220, 0x2207, 0x00AE, 0x00A9,
    0x2122, 0x220F, 0x221A, 0x22C5, 0x00AC, 0x2227, 0x2228, 0x21D4, 0x21D0, 0x21D1, 0x21D2, 0x21D3,
    0x25CA, 0x2329, 0x00AE, 0x00A9, 0x2122, 0x2211, 0x239B, 0x239C, 0x239D, 0x23A1, 0x23A2, 0x23A3,
    0x23A7, 0x23A8, 0x23A9, 0x23AA, 0x0000, 0x232A, 0x222B, 0x2320, 0x23AE, 0x2321, 0x239E, 0x239F,
    0x23A0, 0x23A4, 0x23A5, 0x23A6, 0x23AB, 0x23AC, 0x23AD, 0x0000,
];

/// The Unicode character a symbol font's glyph `code` shows, or `None` when it has no
/// known meaning.
pub(super) fn symbol(font: &str, code: u32) -> Option<char> {
    let code = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    let font = font.to_ascii_lowercase().replace(' ', "");
    let ch = match (font.as_str(), code) {
        ("symbol", 0x20..=0xFF) => {
            return match SYMBOL[(code - 0x20) as usize] {
                0 => None,
                u => char::from_u32(u),
            };
        }
        ("wingdings", 0x6F | 0x70 | 0x71 | 0xA1 | 0xA8) => '\u{2610}',
        ("wingdings", 0x78 | 0xFD) => '\u{2612}',
        // A box with a tick: a ticked box, shown as every ticked box is (☒).
        ("wingdings", 0xFE) => '\u{2612}',
        ("wingdings", 0xFC) => '\u{2714}',
        ("wingdings", 0xFB) => '\u{2718}',
        ("wingdings", 0x9F | 0xA0) => '\u{2022}',
        ("wingdings", 0xE0) => '\u{2192}',
        ("wingdings", 0x20) | ("wingdings2", 0x20) => ' ',
        ("wingdings2", 0x2A | 0xA3) => '\u{2610}',
        ("wingdings2", 0x4F | 0x53 | 0x54 | 0x78 | 0xCF) => '\u{2612}',
        ("wingdings2", 0x51 | 0x52) => '\u{2612}',
        ("wingdings2", 0x50) => '\u{2714}',
        // Every other glyph of the dingbat fonts: the character Unicode encoded for it.
        (font, 0x20..=0xFF) => {
            let table = match font {
                "wingdings" => &dingbats::WINGDINGS,
                "wingdings2" => &dingbats::WINGDINGS_2,
                "wingdings3" => &dingbats::WINGDINGS_3,
                "webdings" => &dingbats::WEBDINGS,
                _ => return None,
            };
            return match table[(code - 0x20) as usize] {
                0 => None,
                u => char::from_u32(u),
            };
        }
        _ => return None,
    };
    Some(ch)
}

/// Whether a run in font `font` shows a symbol font's glyphs rather than its letters.
pub(super) fn is_symbol_font(font: &str) -> bool {
    let f = font.to_ascii_lowercase();
    f.starts_with("wingdings") || f == "symbol" || f == "webdings"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_font_letters_are_greek_and_its_codes_mathematics() {
        assert_eq!(symbol("Symbol", 0xF06D), Some('μ'));
        assert_eq!(symbol("Symbol", 'a' as u32), Some('α'));
        assert_eq!(symbol("Symbol", 'b' as u32), Some('β'));
        assert_eq!(symbol("Symbol", 'W' as u32), Some('Ω'));
        assert_eq!(symbol("Symbol", 0xF0B3), Some('≥'));
        assert_eq!(symbol("Symbol", 0xE5), Some('∑'));
        assert_eq!(symbol("Symbol", '1' as u32), Some('1'));
        // The Apple logo and the radical extender have no Unicode character.
        assert_eq!(symbol("Symbol", 0xF0), None);
        assert_eq!(symbol("Symbol", 0x60), None);
        assert_eq!(symbol("Wingdings", 0xFE), Some('\u{2612}'));
    }

    #[test]
    fn dingbat_glyphs_are_the_characters_unicode_encoded_for_them() {
        // The telephone, the victory hand, the pointing hands, the arrows of Wingdings.
        assert_eq!(symbol("Wingdings", 0x29), Some('\u{2706}'));
        assert_eq!(symbol("Wingdings", 0xF041), Some('\u{270C}'));
        assert_eq!(symbol("Wingdings", 0x46), Some('\u{261E}'));
        assert_eq!(symbol("Wingdings", 0x4A), Some('\u{263A}'));
        assert_eq!(symbol("Wingdings", 0xE8), Some('\u{1F87A}'));
        // Wingdings 2's pencil, Wingdings 3's arrows, Webdings' magnifier.
        assert_eq!(symbol("Wingdings 2", 0x21), Some('\u{1F58A}'));
        assert_eq!(symbol("Wingdings 3", 0xF0C6), Some('\u{1F846}'));
        assert_eq!(symbol("Webdings", 0x4C), Some('\u{1F50D}'));
        // The check boxes keep the forms' meaning the protocol gives every check box.
        assert_eq!(symbol("Wingdings", 0x6F), Some('\u{2610}'));
        assert_eq!(symbol("Wingdings 2", 0x52), Some('\u{2612}'));
        // A code the fonts leave empty, and another font, have none.
        assert_eq!(symbol("Wingdings 3", 0xF5), None);
        assert_eq!(symbol("Marlett", 0x41), None);
    }
}
