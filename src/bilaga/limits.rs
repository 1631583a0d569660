//! The caps on what one input may cost (issue 13): every reader stops at these, whatever the
//! file claims, and says which cap it met. A bilaga under 1 MB must never make one meeting's
//! render take more than 1 GiB or 30 s; a real protocol's bilaga stays far below every cap
//! (the largest in the archive: 40 pages, ~60,000 characters).
//!
//! Each cap is a [`Cap`]: a name the message and README ("Limits") share, and its value.
//! The numbers are chosen from what Typst and hayro cost per unit on the 2-core CI machine,
//! with room for the largest documents a nämnd really attaches (a 200-page utredning).

pub use crate::cap::Cap;
pub(crate) use crate::cap::thousands;

/// The caps the one converter ([`crate::markdown`]) applies to one text: a § text, a
/// Markdown or DOCX bilaga. Given to it in its [`crate::markdown::Context`], so the
/// converter names no reader's numbers.
pub const TEXT_CAPS: crate::markdown::Caps = crate::markdown::Caps {
    text_chars: TEXT_CHARS,
    word_chars: WORD_CHARS,
    blocks: BLOCKS,
    inline_elements: INLINE_ELEMENTS,
    meeting_inline_elements: MEETING_INLINE_ELEMENTS,
    long_word: LONG_WORD,
    meeting_long_words: MEETING_LONG_WORDS,
    links: LINKS,
    reference_bytes: MARKDOWN_REFERENCE_BYTES,
    code_lines: CODE_LINES,
    footnotes: FOOTNOTES,
    table_cells: TABLE_CELLS,
    table_columns: TABLE_COLUMNS,
    nesting: NESTING,
};

/// Characters of text one bilaga (or one § text) may have: about 400 pages.
pub(crate) const TEXT_CHARS: Cap = Cap {
    name: "text length",
    value: 1_000_000,
    unit: "characters",
};

/// Characters of one word (no space between): Typst's line breaking costs more than the
/// square of a word's length (a 300,000-character one took minutes). A URL is a few hundred.
pub(crate) const WORD_CHARS: Cap = Cap {
    name: "word length",
    value: 10_000,
    unit: "characters in one word",
};

/// Characters from which on a word is long (a URL is a few hundred): see
/// [`MEETING_LONG_WORDS`].
pub(crate) const LONG_WORD: u64 = 1_000;

/// Characters of long words ([`LONG_WORD`] characters or more) in one meeting's texts and
/// bilagor together: each is under [`WORD_CHARS`], but Typst's line breaking costs the
/// square of a word's length, word after word (issue 29: 50 words of 9,000 letters took
/// 68 s, and a worker's 60 s of CPU time here). Two words of 10,000 take a few seconds.
pub(crate) const MEETING_LONG_WORDS: Cap = Cap {
    name: "long words",
    value: 20_000,
    unit: "characters in words of 1,000 characters or more in one meeting's texts and bilagor",
};

/// Paragraphs, headings and list items of one bilaga: each is a Typst element to lay out.
pub(crate) const BLOCKS: Cap = Cap {
    name: "paragraphs",
    value: 50_000,
    unit: "paragraphs, headings and list items",
};

/// Inline elements of one paragraph, heading, list item or table cell: emphasis, links,
/// code, line breaks, note references, images, raw HTML, and the characters Typst's markup
/// sets apart (`.`, `-`, `:`, `/` …, each escaped). Typst's cost grows with the square of
/// their number in one paragraph (issue 29: 120,000 emphases in one paragraph took 94 s,
/// 40,000 took 9 s; 50,000 lines of `]([` over 150 s). A long real paragraph has a few
/// hundred; a reference list written as one paragraph with line breaks, a few thousand.
pub(crate) const INLINE_ELEMENTS: Cap = Cap {
    name: "inline elements",
    value: 5_000,
    unit: "inline elements (emphasis, links, code, line breaks, punctuation …) in one paragraph",
};

/// Inline elements of one meeting: its § texts and its Markdown and DOCX bilagor together,
/// counted as [`INLINE_ELEMENTS`] counts them in a paragraph (issue 29). Each paragraph under
/// that cap costs Typst linearly, but the cost adds up: 120,000 emphases in paragraphs of
/// 2,000 took 832 MB (about 6 kB each). A real meeting's texts have a few thousand.
pub(crate) const MEETING_INLINE_ELEMENTS: Cap = Cap {
    name: "meeting inline elements",
    value: 100_000,
    unit: "inline elements (emphasis, links, code, line breaks, punctuation …) in one meeting's texts and bilagor",
};

/// Links of one text (a bilaga, a § text): each is a PDF annotation and a tagged element
/// (issue 29: 30,000 links in one § text took 58 s). A list of sources has a few hundred.
pub(crate) const LINKS: Cap = Cap {
    name: "links",
    value: 5_000,
    unit: "links",
};

/// Bytes of address and title that reference links (`[text][ref]`, `[ref]`) of one Markdown
/// text copy from their definitions. The Markdown parser stops resolving them at a budget of
/// its own (100,000 bytes, or the text's length if longer) and prints the rest as written
/// (`[x]`): refused here before that can happen.
pub(crate) const MARKDOWN_REFERENCE_BYTES: Cap = Cap {
    name: "reference links",
    value: 90_000,
    unit: "bytes of addresses copied by reference links",
};

/// Lines of code blocks in one text: a code block is set on as many pages as it has lines
/// (issue 29: 150,000 lines took 46 s and 2,683 pages). About 90 pages.
pub(crate) const CODE_LINES: Cap = Cap {
    name: "code lines",
    value: 5_000,
    unit: "lines of code blocks",
};

/// Footnotes and endnotes (and references to them) of one bilaga.
pub const FOOTNOTES: Cap = Cap {
    name: "footnotes",
    value: 5_000,
    unit: "footnotes and references to them",
};

/// Table cells of one text (a bilaga, a § text): a table is laid out as a whole, cell by
/// cell. Measured (release build, 2-core machine): 50,000 cells (a 1.8 kB Markdown table
/// whose short rows GFM pads to 64 columns) cost 7.5 s and 1 GB; 20,000 such cells 4.3 s
/// and 450 MB; 20,000 cells of words (4 columns, 5,000 rows) 6.6 s and 660 MB. A DOCX table
/// of 19,980 cells of a few words each (54 kB, 240 pages) peaked at 1.5 GB (issue 23): about
/// 70 kB a cell, whether laid out as one table or as tables of 100 rows, so the cap is what
/// keeps a text under 1 GiB.
pub(crate) const TABLE_CELLS: Cap = Cap {
    name: "table cells",
    value: 8_000,
    unit: "table cells",
};

/// Table cells of one meeting: its § texts and its Markdown and DOCX bilagor together, so
/// that several texts just under [`TABLE_CELLS`] cannot add up to gigabytes.
pub(crate) const MEETING_TABLE_CELLS: Cap = Cap {
    name: "meeting table cells",
    value: 8_000,
    unit: "table cells in one meeting's texts and bilagor",
};

/// Columns of one table (DOCX or Markdown): a wider one cannot be read on a page, and padding
/// its rows could blow up.
pub(crate) const TABLE_COLUMNS: Cap = Cap {
    name: "table columns",
    value: 64,
    unit: "columns in one table",
};

/// How deep lists, quotes, tables and footnotes may nest in one another. Typst applies the
/// template's show rules at every level and stops at its own depth limit (an error that
/// names only generated code); Word offers 9 list levels.
pub(crate) const NESTING: Cap = Cap {
    name: "nesting depth",
    value: 10,
    unit: "levels of lists, quotes, tables and footnotes inside one another",
};

/// XML elements and text nodes in one part of a DOCX (`word/document.xml`, …): the tree is
/// held in memory while it is read.
pub(crate) const XML_NODES: Cap = Cap {
    name: "XML nodes",
    value: 500_000,
    unit: "XML elements, attributes and text runs in one part",
};

/// Attributes of one XML element in a DOCX part: the XML reader's duplicate check costs
/// the square of their number (300,000 on one element held `check` for minutes). Word's
/// root element, with all its namespace declarations, has about 40.
pub(crate) const XML_ATTRIBUTES: Cap = Cap {
    name: "XML attributes",
    value: 256,
    unit: "attributes on one XML element",
};

/// Decoded pixels of one image (DOCX, Markdown or PDF bilaga): A4 scanned at 600 dpi is
/// 35 million. The image is decoded whole (4 bytes a pixel) by Typst or hayro.
pub(crate) const IMAGE_PIXELS: Cap = Cap {
    name: "image pixels",
    value: 40_000_000,
    unit: "pixels in one image",
};

/// Content-stream operations drawn for one page of a PDF bilaga, counting the forms it
/// draws each time it draws them: a page becomes an SVG with about one element for each.
pub(crate) const PDF_OPERATIONS_PER_PAGE: Cap = Cap {
    name: "PDF operations per page",
    value: 100_000,
    unit: "drawing operations on one page",
};

/// Content-stream operations drawn for all pages of a PDF bilaga together (pages may share
/// one heavy content stream).
pub(crate) const PDF_OPERATIONS: Cap = Cap {
    name: "PDF operations",
    value: 600_000,
    unit: "drawing operations in one PDF",
};

/// How deep the drawing of a PDF bilaga's page may nest: forms inside forms, appearance
/// streams, soft masks, tiling patterns and Type 3 glyphs drawn from a glyph. Every level is
/// a nested interpretation in hayro with a deep stack of its own: a Type 3 glyph that draws
/// itself overflowed the stack at hayro's own limit (50). Real documents nest a few levels.
pub(crate) const PDF_NESTING: Cap = Cap {
    name: "PDF nesting depth",
    value: 16,
    unit: "levels of forms, appearances, masks, patterns and Type 3 glyphs inside one another",
};

/// Pixels of images drawn for all pages of a PDF bilaga together, an image counted each time
/// it is drawn: hayro decodes an image for every page (and every form) that draws it, so 100
/// pages sharing one 36-megapixel image cost 100 decodings (108 s). The budget grows with the
/// file: [`PDF_PIXELS_DRAWN_BASE`] plus [`PDF_PIXELS_PER_BYTE`] for each byte, so a PDF under
/// 1 MB stays under 800 million (about 25 s on the CI machine), while a real scan — whose
/// compressed pixels take at least a byte for every few hundred — keeps all its pages.
pub(crate) fn pdf_pixels_drawn(file_size: u64) -> Cap {
    Cap {
        name: "PDF image pixels drawn",
        value: PDF_PIXELS_DRAWN_BASE.saturating_add(file_size.saturating_mul(PDF_PIXELS_PER_BYTE)),
        unit: "image pixels drawn (each image each time it is drawn) for a PDF of this size",
    }
}

/// See [`pdf_pixels_drawn`].
pub(crate) const PDF_PIXELS_DRAWN_BASE: u64 = 500_000_000;

/// See [`pdf_pixels_drawn`].
pub(crate) const PDF_PIXELS_PER_BYTE: u64 = 300;

/// What one meeting's bilagor give Typst to typeset, together: the markup of its Markdown
/// and DOCX bilagor, and the drawings (SVG) of its PDF bilagors' pages counted at
/// [`DRAWING_WEIGHT`]. Each bilaga is capped on its own above; this bounds a meeting of many
/// (a hundred small DOCX files that each unpack to a book). Measured: 1 MB of markup costs
/// Typst ~5 s and ~210 MB; 26 MB of page drawings ~10 s and ~330 MB.
pub(crate) const MEETING_TYPESET_BYTES: Cap = Cap {
    name: "meeting size",
    value: 3_000_000,
    unit: "bytes of bilaga text (page drawings of PDF bilagor counted at a twelfth) in one meeting",
};

/// Bytes of a PDF page's drawing that cost Typst what one byte of markup does.
pub(crate) const DRAWING_WEIGHT: u64 = 12;

/// What the page drawings (SVG) among a PDF bilaga's `assets` count towards
/// [`MEETING_TYPESET_BYTES`]: their [`drawing_size`]s at [`DRAWING_WEIGHT`].
pub(crate) fn page_drawings(assets: &[crate::bilaga::form::Asset]) -> u64 {
    assets
        .iter()
        .filter(|a| a.name.ends_with(".svg"))
        .map(|a| drawing_size(&a.bytes))
        .sum::<u64>()
        / DRAWING_WEIGHT
}

/// The error for the bilaga `id` (its `file =` as written, `file`) with which a meeting's
/// bilagor cross [`MEETING_TYPESET_BYTES`]: the message and its hint.
pub(crate) fn meeting_size_exceeded(id: &str, file: &str) -> (String, &'static str) {
    (
        format!(
            "bilaga `{id}` (`{file}`): with it, the meeting's bilagor have {}",
            MEETING_TYPESET_BYTES.exceeded()
        ),
        "split the meeting's bilagor over several protocols, or attach them as fewer, smaller files (see \"Limits\" in README.md)",
    )
}

/// The size of a page's drawing (SVG) as [`MEETING_TYPESET_BYTES`] counts it: without the
/// images embedded in it (`data:…;base64,…`). A scanned page is one image whose PNG may be
/// megabytes; counted like paths, two or three scans would fill a meeting. Images are
/// bounded by [`IMAGE_PIXELS`] each and by the pages of a PDF instead.
pub(crate) fn drawing_size(svg: &[u8]) -> u64 {
    let mut size = svg.len() as u64;
    let mut rest = svg;
    while let Some(at) = rest.windows(7).position(|w| w == b"base64,") {
        rest = &rest[at + 7..];
        let end = rest.iter().position(|&b| b == b'"').unwrap_or(rest.len());
        size -= end as u64;
        rest = &rest[end..];
    }
    size
}

/// Nodes of the page tree of a PDF bilaga (`/Pages` dictionaries), counted in its bytes before
/// hayro reads it: hayro-syntax 0.7 walks the tree with a cost that grows with the square of
/// its depth (5,000 levels took 2.4 GB). A PDF of 200 pages needs a few dozen.
pub(crate) const PDF_PAGE_TREE_NODES: Cap = Cap {
    name: "PDF page tree",
    value: 1_000,
    unit: "page tree nodes",
};

/// Bytes one Flate-compressed stream of a PDF bilaga may decode to, counted while decoding it
/// to nothing before hayro reads the file: a few kilobytes of zeros inflate to gigabytes, and
/// hayro decodes a page's content whole. The largest image the pixel cap allows (40 MP, CMYK)
/// decodes to 160 MB.
pub(crate) const PDF_STREAM_BYTES: Cap = Cap {
    name: "PDF stream size",
    value: 200_000_000,
    unit: "decoded bytes in one stream",
};

/// Decoded bytes of all Flate streams of one PDF bilaga together: 200 pages scanned at 300 dpi
/// in grey and stored with Flate decode to ~1.7 GB (most scanners write JPEG, not counted).
pub(crate) const PDF_DECODED_BYTES: Cap = Cap {
    name: "PDF decoded size",
    value: 2_000_000_000,
    unit: "decoded bytes in one PDF",
};

/// Pixels decoded for all images one meeting draws, each time it draws them (issue 29): the
/// per-image cap let a 43 kB DOCX hold 100 images of 36 MP each (3.7 GB). Typst keeps every
/// decoded image until the PDF is written, at 1–4 bytes a pixel. A report with 50 photos
/// as Word stores them (220 ppi, ~2 MP each) uses a twentieth of this.
pub const MEETING_IMAGE_PIXELS: Cap = Cap {
    name: "meeting image pixels",
    value: 200_000_000,
    unit: "pixels decoded for the images one meeting draws, each time it draws them",
};

/// Votes in the roll calls (omröstningar) of one meeting, each voter once a roll call
/// (issue 29: a 904 kB nämnd file of 100 roll calls of 401 members took 1.4 GB). A
/// fullmäktige of 101 members may hold 99 roll calls within it.
pub(crate) const ROLL_CALL_VOTES: Cap = Cap {
    name: "roll-call votes",
    value: 10_000,
    unit: "votes in one meeting's roll calls (voters × omröstningar)",
};

/// Elements of one SVG image: usvg holds the tree, Typst draws each.
pub(crate) const SVG_ELEMENTS: Cap = Cap {
    name: "SVG elements",
    value: 100_000,
    unit: "elements in one SVG image",
};

/// What one meeting has drawn so far of the caps counted over a whole meeting. Made by the
/// validator for each meeting and passed down to the readers (never global): a batch
/// builds meetings side by side.
#[derive(Debug, Default, Clone)]
pub struct Budget {
    pixels: u64,
    votes: u64,
    inline: u64,
    long_words: u64,
}

impl Budget {
    /// Charges `n` of `cap` (one of the meeting-wide caps): `Err` with what was counted,
    /// for a message, for the charge that takes the meeting over it (once: the meeting
    /// fails with that error, and what comes after it is not named again).
    pub(crate) fn charge(&mut self, cap: Cap, n: u64) -> Result<(), String> {
        let used = if cap == MEETING_IMAGE_PIXELS {
            &mut self.pixels
        } else if cap == ROLL_CALL_VOTES {
            &mut self.votes
        } else if cap == MEETING_INLINE_ELEMENTS {
            &mut self.inline
        } else if cap == MEETING_LONG_WORDS {
            &mut self.long_words
        } else {
            return Ok(());
        };
        let before = *used;
        *used = used.saturating_add(n);
        if cap.over(*used) && !cap.over(before) {
            Err(format!(
                "with it, the meeting counts {}: {}",
                thousands(*used),
                cap.exceeded()
            ))
        } else {
            Ok(())
        }
    }

    /// What is left of `cap` (one of the meeting-wide caps).
    pub fn left(&self, cap: Cap) -> u64 {
        cap.value.saturating_sub(self.used(cap))
    }

    /// What the meeting has used of `cap` (one of the meeting-wide caps) so far.
    pub(crate) fn used(&self, cap: Cap) -> u64 {
        if cap == MEETING_IMAGE_PIXELS {
            self.pixels
        } else if cap == ROLL_CALL_VOTES {
            self.votes
        } else if cap == MEETING_INLINE_ELEMENTS {
            self.inline
        } else if cap == MEETING_LONG_WORDS {
            self.long_words
        } else {
            0
        }
    }

    /// What the meeting's texts have spent so far, for the [`crate::markdown::Context`] of
    /// the next one.
    pub(crate) fn texts(&self) -> crate::markdown::Spent {
        crate::markdown::Spent {
            inline: self.inline,
            long_words: self.long_words,
        }
    }

    /// Adds what a text spent (the converter refused the one that went over, at its place).
    pub(crate) fn add_text(&mut self, spent: crate::markdown::Spent) {
        self.inline = self.inline.saturating_add(spent.inline);
        self.long_words = self.long_words.saturating_add(spent.long_words);
    }
}

/// Width and height of a PNG or JPEG (or another image the `image` crate reads the header
/// of), from its header; `None` when the bytes are no such image.
pub(crate) fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    png_size(bytes).or_else(|| {
        let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .ok()?;
        reader.into_dimensions().ok()
    })
}

/// Checks a PNG or JPEG's size, read from its header (nothing is decoded), against
/// [`IMAGE_PIXELS`]; over it, what was found, e.g. "40000 × 40000 pixels". Bytes that are no
/// image with a readable header pass: whoever decodes them reports that.
pub(crate) fn image_within_cap(bytes: &[u8]) -> Result<(), String> {
    let Some((w, h)) = image_size(bytes) else {
        return Ok(());
    };
    if IMAGE_PIXELS.over(u64::from(w) * u64::from(h)) {
        Err(format!("{w} × {h} pixels"))
    } else {
        Ok(())
    }
}

/// A PNG's size from its first chunk (`IHDR`), read here: a decoder also wants the chunks
/// after it, and a hostile PNG may be no more than its header.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let rest = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    if rest.get(4..8)? != b"IHDR" {
        return None;
    }
    let be = |at: usize| Some(u32::from_be_bytes(rest.get(at..at + 4)?.try_into().ok()?));
    Some((be(8)?, be(12)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_names_itself_and_its_value() {
        assert_eq!(
            TEXT_CHARS.exceeded(),
            "more than the 1,000,000 characters allowed (cap: text length)"
        );
        assert_eq!(thousands(10), "10");
        assert_eq!(thousands(250_000), "250,000");
        assert!(NESTING.over(11) && !NESTING.over(10));
    }

    /// A PNG whose header declares `w` × `h` (the data after it need not be there).
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(w.to_be_bytes());
        png.extend(h.to_be_bytes());
        png.extend([8, 0, 0, 0, 0]);
        let crc = {
            // CRC-32 of "IHDR" and its data, as PNG requires.
            let mut c = 0xFFFF_FFFFu32;
            for &b in &png[12..] {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 != 0 {
                        0xEDB8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        };
        png.extend(crc.to_be_bytes());
        png
    }

    #[test]
    fn embedded_images_are_not_counted_as_drawing() {
        let svg =
            br#"<svg><path d="M0 0"/><image xlink:href="data:image/png;base64,AAAABBBB"/></svg>"#;
        assert_eq!(drawing_size(svg), svg.len() as u64 - 8);
        assert_eq!(drawing_size(b"<svg/>"), 6);
    }

    #[test]
    fn image_pixels_are_read_from_the_header() {
        let side = 6_324; // 6,324² = 39,992,976: just under
        assert_eq!(image_within_cap(&png_header(side, side)), Ok(()));
        assert_eq!(
            image_within_cap(&png_header(8_000, 5_001)),
            Err("8000 × 5001 pixels".into())
        );
        assert_eq!(image_within_cap(&png_header(8_000, 5_000)), Ok(()));
        assert!(image_within_cap(&png_header(40_000, 40_000)).is_err());
        assert_eq!(image_within_cap(b"not an image"), Ok(()));
    }
}
