//! Text as a reader takes it in, for the guard and the last gate: what makes one number or
//! one name look like another to a person, but not to a byte comparison, is folded away.
//!
//! - every dash, minus and hyphen (en dash, Word's non-breaking hyphen U+2011, minus U+2212,
//!   full-width hyphen …) becomes `-`;
//! - every space (no-break U+00A0, narrow no-break U+202F, the U+2000 series, tabs, line
//!   breaks) becomes one ` `; after a hyphen that ends a line the next line follows directly
//!   (`811218-⏎9876` is `811218-9876`, `Skär-⏎holmen` `Skär-holmen`), a space beside a
//!   hyphen between digits goes (`811218 - 9876`), and Markdown's `<br>` is a line break;
//! - format characters (soft hyphen, zero-width space and joiners, word joiner, BOM,
//!   direction marks) are dropped;
//! - full-width, mathematical and Arabic-Indic digits and full-width letters become ASCII;
//! - HTML character references (`&#56;`, `&#x38;`, `&nbsp;`, `&shy;`, `&ouml;` — every named
//!   one the Markdown converter decodes) and TOML's Unicode escapes (`\u00C5`) are decoded
//!   first;
//! - Markdown emphasis and code marks (`*`, `_`, `` ` ``, `~`) and a backslash escape are
//!   dropped (`811218-*9876*`);
//! - a letter written as a base and combining marks is composed (NFC): `A` + U+030A is `Å`;
//!   combining marks on a digit, a hyphen or a space are dropped (`8112` + U+0301 `18-9876`
//!   is `811218-9876`).
//!
//! Each byte of the result knows the byte of the input it came from, so a find is placed in
//! the text as written.

/// A normalised text and, for each of its bytes, the byte of the input it stands for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Normalised {
    pub text: String,
    /// For each byte of `text`: the input character it came from (start and end).
    origin: Vec<(usize, usize)>,
    /// The input's length: where a range ending at the text's end maps.
    len: usize,
}

impl Normalised {
    /// The input range that the normalised range `r` was made from.
    pub fn source(&self, r: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.origin.get(r.start).map_or(self.len, |o| o.0);
        let end = match r.end.checked_sub(1).and_then(|e| self.origin.get(e)) {
            Some(o) if r.end > r.start => o.1,
            _ => start,
        };
        start..end.max(start)
    }
}

/// `text` as a reader takes it in (see the module).
pub(crate) fn normalise(text: &str) -> Normalised {
    let mut out = Normalised {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
        len: text.len(),
    };
    let push = |out: &mut Normalised, c: char, at: (usize, usize)| {
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        out.text.push_str(s);
        out.origin.extend(std::iter::repeat_n(at, s.len()));
    };
    let mut i = 0;
    // A space is held back until the next character shows whether it is needed: runs of
    // spaces become one, and a line break after a hyphen joins.
    let mut pending_space: Option<(usize, bool)> = None;
    while i < text.len() {
        let (c, len) = match decode_reference(&text[i..]).or_else(|| decode_escape(&text[i..])) {
            Some((c, len)) => (c, len),
            // Markdown's `<br>` is a line break on every page that shows the text.
            None => match line_break_tag(&text[i..]) {
                Some(len) => ('\n', len),
                None => {
                    let c = text[i..].chars().next().expect("a character at a boundary");
                    (c, c.len_utf8())
                }
            },
        };
        let at = i;
        i += len;
        if c == '\\' && text[i..].starts_with(|n: char| n.is_ascii_punctuation()) {
            continue; // a Markdown escape: the character follows
        }
        if is_format(c) || matches!(c, '*' | '_' | '`' | '~') {
            continue;
        }
        if c.is_whitespace() {
            let line_break = matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}');
            pending_space = Some(match pending_space {
                Some((first, lb)) => (first, lb || line_break),
                None => (at, line_break),
            });
            continue;
        }
        let folded = fold(c);
        if let Some((first, line_break)) = pending_space.take() {
            // A hyphen that ends a line joins the lines, and a space beside a hyphen between
            // digits goes (`811218 - 9876`, `811218⏎-9876` read as `811218-9876`); otherwise
            // one space.
            let digit_hyphen = folded == '-' && out.text.ends_with(|p: char| p.is_ascii_digit());
            let hyphen_digit = folded.is_ascii_digit() && ends_with_digit_hyphen(&out.text);
            let joined = line_break && out.text.ends_with('-');
            if !(joined || digit_hyphen || hyphen_digit) {
                push(&mut out, ' ', (first, first + 1));
            }
        }
        push(&mut out, folded, (at, i));
    }
    if let Some((first, _)) = pending_space {
        push(&mut out, ' ', (first, first + 1));
    }
    composed(out)
}

/// `n` with each letter written as a base and combining marks in its composed form (NFC):
/// `A` + U+030A reads as the `Å` it shows (a name typed on a Mac, or pasted from a PDF,
/// comes so), and is compared as one; marks on anything but a letter (a digit: `2` +
/// U+0301) are dropped. Each composed character stands for the whole run it was made from.
/// A text with no combining mark is returned as it is.
fn composed(n: Normalised) -> Normalised {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    if !n.text.chars().any(is_combining_mark) {
        return n;
    }
    let mut out = Normalised {
        text: String::with_capacity(n.text.len()),
        origin: Vec::with_capacity(n.origin.len()),
        len: n.len,
    };
    let chars: Vec<(usize, char)> = n.text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        // A base and the marks that follow it.
        let mut end = k + 1;
        while end < chars.len() && is_combining_mark(chars[end].1) {
            end += 1;
        }
        let from = chars[k].0;
        let to = chars.get(end).map_or(n.text.len(), |c| c.0);
        let at = (n.origin[from].0, n.origin[to - 1].1);
        // Marks on what is not a letter (a digit, a hyphen, a space) make no letter: they
        // are read through, as a reader's eye reads `8112́18-9876` as the number.
        let letter = chars[k].1.is_alphabetic();
        for c in n.text[from..to]
            .nfc()
            .filter(|c| letter || !is_combining_mark(*c))
        {
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            out.text.push_str(s);
            out.origin.extend(std::iter::repeat_n(at, s.len()));
        }
        k = end;
    }
    out
}

/// Whether `text` ends with a hyphen that follows a digit (`811218-`).
fn ends_with_digit_hyphen(text: &str) -> bool {
    text.strip_suffix('-')
        .is_some_and(|t| t.ends_with(|p: char| p.is_ascii_digit()))
}

/// The length of a `<br>`, `<br/>` or `<br />` tag (any case) at the start of `s`.
fn line_break_tag(s: &str) -> Option<usize> {
    let head = s.get(..3)?;
    if !head.eq_ignore_ascii_case("<br") {
        return None;
    }
    let rest = &s[3..];
    let after_space = rest.trim_start_matches(' ');
    let spaces = rest.len() - after_space.len();
    if after_space.starts_with('>') {
        Some(3 + spaces + 1)
    } else if after_space.starts_with("/>") {
        Some(3 + spaces + 2)
    } else {
        None
    }
}

/// One character as the scan sees it.
fn fold(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{2043}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{058A}'
        | '\u{1400}'
        | '\u{30FC}' => '-',
        '\u{FF0B}' | '\u{FE62}' | '\u{207A}' | '\u{208A}' => '+',
        // A middle dot between digit groups reads as a full stop (`811218·9876`).
        '\u{00B7}' | '\u{2219}' | '\u{22C5}' | '\u{30FB}' | '\u{FF0E}' => '.',
        '\u{FF0F}' | '\u{2044}' | '\u{2215}' => '/',
        '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
        // Arabic-Indic and Extended Arabic-Indic digits (٨١١٢١٨, ۸۱۱۲۱۸).
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        // Mathematical bold, double-struck, sans-serif, sans-serif bold and monospace digits.
        '\u{1D7CE}'..='\u{1D7FF}' => char::from(b'0' + ((c as u32 - 0x1D7CE) % 10) as u8),
        // Superscript and subscript digits.
        '\u{2070}' => '0',
        '\u{00B9}' => '1',
        '\u{00B2}' => '2',
        '\u{00B3}' => '3',
        '\u{2074}'..='\u{2079}' => char::from(b'4' + (c as u32 - 0x2074) as u8),
        '\u{2080}'..='\u{2089}' => char::from(b'0' + (c as u32 - 0x2080) as u8),
        '\u{FF21}'..='\u{FF3A}' => char::from(b'A' + (c as u32 - 0xFF21) as u8),
        '\u{FF41}'..='\u{FF5A}' => char::from(b'a' + (c as u32 - 0xFF41) as u8),
        c => c,
    }
}

/// Characters that show nothing (Unicode category Cf and the like): a number or a name with
/// one inside reads as without.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{E0000}'..='\u{E007F}')
}

/// A value of the meeting file as written (`raw`) as the loaded meeting holds it: TOML's
/// Unicode escapes decoded and composed (NFC), as the meeting is read
/// (`meeting::compose`) — what the web edition's replacement of a withheld name is given,
/// and so what it replaces, however the file wrote the letters.
pub(crate) fn as_loaded(raw: &str) -> String {
    let mut decoded = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        match decode_escape(rest) {
            Some((e, n)) => {
                decoded.push(e);
                rest = &rest[n..];
            }
            None => {
                decoded.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    crate::meeting::compose::nfc(&decoded)
}

/// A TOML (and JSON) Unicode escape at the start of `s`, `\u00C5` or `\U000000C5`: the
/// character and the escape's length. The guard reads the meeting file as written, and
/// `"\u00C5sa Lind"` or `"A\u030Asa Lind"` is the name "Åsa Lind" in the file's value.
fn decode_escape(s: &str) -> Option<(char, usize)> {
    let rest = s.strip_prefix('\\')?;
    let digits = match rest.as_bytes().first()? {
        b'u' => 4,
        b'U' => 8,
        _ => return None,
    };
    let hex = rest.get(1..1 + digits)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((c, 2 + digits))
}

/// An HTML character reference at the start of `s`: the character and the reference's length.
fn decode_reference(s: &str) -> Option<(char, usize)> {
    let rest = s.strip_prefix('&')?;
    // Byte by byte: a letter after the reference must not hide it (`;` is ASCII, so where
    // it stands is a character boundary).
    let end = rest.bytes().take(40).position(|b| b == b';')?;
    let name = &rest[..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n)?
    } else {
        match name {
            "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
            "shy" | "zwsp" | "zwj" | "zwnj" | "lrm" | "rlm" => '\u{200B}',
            "ndash" | "mdash" | "minus" | "hyphen" | "dash" => '-',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => named_letter(name)?,
        }
    };
    Some((c, end + 2))
}

/// The character a named reference other than those above stands for (`&ouml;` is `ö`), as
/// the Markdown converter reads it — the same table (HTML5's, which browsers use), so what
/// the converter prints is what is read here. `None` for a name that is not a reference, or
/// one that stands for more than one character.
fn named_letter(name: &str) -> Option<char> {
    use pulldown_cmark::{Event, Parser};
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let written = format!("&{name};");
    let mut read = String::new();
    for event in Parser::new(&written) {
        if let Event::Text(t) = event {
            read.push_str(&t);
        }
    }
    let mut chars = read.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if read != written => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_escaped_or_decomposed_reads_as_the_composed_letter_and_is_placed_whole() {
        for written in [
            "Åsa Lind",
            "A\u{30A}sa Lind",
            "\\u00C5sa Lind",
            "\\U000000C5sa Lind",
            "A\\u030Asa Lind",
            "A&#x30A;sa Lind",
            "&Aring;sa Lind",
        ] {
            let n = normalise(written);
            assert_eq!(n.text, "Åsa Lind", "{written:?}");
            // "Åsa" stands for all of what was written for it.
            let asa = n.source(&(0.."Åsa".len()));
            assert_eq!(
                &written[asa],
                &written[..written.find(' ').unwrap()],
                "{written:?}"
            );
        }
        // Not an escape: kept as written.
        assert_eq!(normalise("\\u00G5").text, "\\u00G5");
        // A reference is read whatever follows it (a letter of two bytes where a fixed
        // window of bytes ended hid it); a name that is no reference is kept.
        assert_eq!(normalise("&#56;xöööö").text, "8xöööö");
        assert_eq!(
            normalise("Bj&ouml;rn &nosuch; &amp").text,
            "Björn &nosuch; &amp"
        );
    }

    #[test]
    fn every_way_of_writing_a_number_reads_the_same() {
        for written in [
            "811218-9876",
            "811218–9876",
            "811218\u{2011}9876",
            "811218\u{2010}9876",
            "811218\u{2212}9876",
            "811218-\n9876",
            "811218-  \n  9876",
            "811218-98\u{AD}76",
            "811218-\u{200B}9876",
            "&#56;11218-9876",
            "811218-*9876*",
            "８１１２１８-９８７６",
            "811218\\-9876",
            // Found by a review of the web edition (issue 22): a `<br>` after the hyphen, a line
            // break before it, spaces around a dash, Arabic-Indic digits.
            "811218-<br>9876",
            "811218-<BR />9876",
            "811218\n-9876",
            "811218 - 9876",
            "811218 – 9876",
            "٨١١٢١٨-٩٨٧٦",
            "۸۱۱۲۱۸-۹۸۷۶",
            // Found by a tester: combining marks on a digit, or on every character.
            "8112\u{301}18-9876",
            "8\u{301}1\u{301}1\u{301}2\u{301}1\u{301}8\u{301}-\u{301}9\u{301}8\u{301}7\u{301}6\u{301}",
            "811218-\u{20DD}9876",
        ] {
            assert_eq!(normalise(written).text, "811218-9876", "{written:?}");
        }
        assert_eq!(normalise("811218\u{A0}9876").text, "811218 9876");
        // Words keep their spaces around a dash; only digits close up.
        assert_eq!(normalise("Skärholmen – Farsta").text, "Skärholmen - Farsta");
        assert_eq!(normalise("a<brx>b").text, "a<brx>b");
    }

    #[test]
    fn ranges_map_back_to_the_text_as_written() {
        let t = "Åsa ８１１２１８-9876 x";
        let n = normalise(t);
        let at = n.text.find("811218").unwrap();
        let r = n.source(&(at..at + "811218-9876".len()));
        assert_eq!(&t[r], "８１１２１８-9876");
    }

    #[test]
    fn a_line_wrapped_word_joins_and_spaces_fold() {
        assert_eq!(
            normalise("Skär-\nholmen  och\u{202F}x").text,
            "Skär-holmen och x"
        );
    }
}
