//! The § and their items: titles, diarienummer, statements, and every Markdown field,
//! converted to Typst markup with its problems placed in the TOML.

use std::ops::Range;

use toml::Spanned;

use super::{Origin, Validator};
use crate::diag::{Diagnostic, Severity};
use crate::markdown::{self, Context};
use crate::meeting::model::*;
use crate::meeting::raw::*;

impl Validator {
    pub(super) fn paragrafer(
        &mut self,
        raw: &[RawParagraf],
        first: u32,
        number_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Vec<Paragraf> {
        let mut out = Vec::new();
        for (i, p) in raw.iter().enumerate() {
            let number = first + i as u32;
            let prefix = format!("p{number}");
            let title = self.non_empty(&p.title, "the §'s title");
            let group = p.group.as_ref().map(|g| self.non_empty(g, "group"));
            let content = self.content(p.text.as_ref(), &p.said, &prefix, number_of);
            let mut items = Vec::new();
            for (j, item) in p.item.iter().enumerate() {
                let item_prefix = format!("{prefix}i{}", j + 1);
                let heading = self.non_empty(&item.heading, "the item's heading");
                let mut diarienummer = Vec::new();
                for d in &item.diarienummer {
                    let text = d.get_ref().trim().to_string();
                    if !is_diarienummer(&text) {
                        self.error(
                            d.span(),
                            format!("`{text}` is not a diarienummer"),
                            Some("write it like AMN 2020-0654-1.6: the organ's letters, a space, year-number-class"),
                        );
                    }
                    diarienummer.push(text);
                }
                let content = self.content(item.text.as_ref(), &item.said, &item_prefix, number_of);
                let closing =
                    self.rich(item.closing.as_ref(), &format!("{item_prefix}c"), number_of);
                items.push(Item {
                    heading,
                    diarienummer,
                    content,
                    closing,
                });
            }
            let closing = self.rich(p.closing.as_ref(), &format!("{prefix}c"), number_of);
            out.push(Paragraf {
                number,
                title,
                group,
                content,
                items,
                closing,
                place: self.place(p.title.span()),
            });
        }
        out
    }

    pub(super) fn content(
        &mut self,
        text: Option<&Spanned<String>>,
        said: &[RawSaid],
        prefix: &str,
        number_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Content {
        let text = self.rich(text, prefix, number_of);
        let said = said
            .iter()
            .enumerate()
            .map(|(k, s)| Said {
                by: self.non_empty(&s.by, "`by`"),
                verb: self.non_empty(&s.verb, "`verb`"),
                text: self.rich(Some(&s.text), &format!("{prefix}s{}", k + 1), number_of),
            })
            .collect();
        Content { text, said }
    }

    /// Converts a Markdown field of the meeting file, placing its problems in the TOML. Its
    /// `#` is heading level 3: every field sits below a § heading (level 2), so a heading in
    /// it never skips a level, which PDF/UA refuses at export (issue 13); under an item's
    /// heading (level 3) it is that heading's sibling, still no skip.
    pub(super) fn rich(
        &mut self,
        value: Option<&Spanned<String>>,
        prefix: &str,
        number_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Markup {
        self.rich_below(value, prefix, number_of, 2)
    }

    /// [`Self::rich`] for a field whose Markdown headings sit below heading level
    /// `heading_offset` (a bilaga's topic is level 2, so its text's `#` is level 3).
    pub(super) fn rich_below(
        &mut self,
        value: Option<&Spanned<String>>,
        prefix: &str,
        number_of: &dyn Fn(&str) -> Option<usize>,
        heading_offset: u8,
    ) -> Markup {
        let Some(value) = value else {
            return Markup::default();
        };
        let origin = Origin {
            file: self.file.clone(),
            offset: string_content_start(&self.file.text, value.span()),
        };
        let no_images = |src: &str| -> Result<String, String> {
            Err(format!(
                "image `{src}`: images belong in a bilaga, not in the meeting file"
            ))
        };
        let ctx = Context {
            bilaga_number: number_of,
            label_prefix: prefix,
            heading_offset,
            resolve_image: &no_images,
            caps: &crate::bilaga::limits::TEXT_CAPS,
            marks: &crate::publish::marks::SEKRETESS,
            meeting: self.budget.texts(),
        };
        let (mut markup, lines) = self.convert_lines(value.get_ref(), &origin, &ctx);
        // Kept as written for the views that keep the text so (the record).
        markup.1 = value.get_ref().clone();
        markup.2 = self
            .place(value.span())
            .map(|place| FieldPlace { place, lines });
        markup
    }

    pub(super) fn convert(&mut self, markdown: &str, origin: &Origin, ctx: &Context) -> Markup {
        self.convert_lines(markdown, origin, ctx).0
    }

    /// [`Self::convert`], with where each Markdown line's markup begins (offset in the
    /// markup, offset in `origin`'s file: [`FieldPlace::lines`]).
    fn convert_lines(
        &mut self,
        markdown: &str,
        origin: &Origin,
        ctx: &Context,
    ) -> (Markup, Vec<(usize, usize)>) {
        let converted = markdown::to_typst(markdown, ctx);
        // Counted on by the next text (the converter refused the one that went over).
        self.budget.add_text(converted.spent);
        // In the meeting file, a Markdown field's offsets are in its value, which is
        // composed: map them past the string's escapes and decomposed letters to where they
        // stand in the file.
        let mut offsets =
            crate::meeting::chars::ValueOffsets::new(&origin.file.text, origin.offset);
        let mut at = |offset: usize| {
            if origin.offset == 0 {
                offset
            } else {
                offsets.at(offset)
            }
        };
        if let Some(message) = self.count_table_cells(converted.cells) {
            // At the first table of the text that takes the meeting over.
            let table = converted.first_table.unwrap_or(0);
            self.problems.push(
                Diagnostic::error(message)
                    .at(&origin.file, at(table)..at(table))
                    .with_hint(TABLE_CELLS_HINT),
            );
        }
        for p in converted.problems {
            let range = at(p.range.start)..at(p.range.end).max(at(p.range.start));
            let mut d = match p.severity {
                Severity::Error => Diagnostic::error(p.message),
                Severity::Warning => Diagnostic::warning(p.message),
            }
            .at(&origin.file, range);
            if let Some(h) = p.hint {
                d = d.with_hint(h);
            }
            self.problems.push(d);
        }
        let markup = converted.markup.trim();
        // The markup's offsets, less the whitespace trimmed off its start.
        let lead = converted.markup.len() - converted.markup.trim_start().len();
        let lines = converted
            .lines
            .iter()
            .map(|&(m, s)| (m.saturating_sub(lead).min(markup.len()), at(s)))
            .collect();
        (Markup::typst(markup.to_string()), lines)
    }
}

/// What to do about a meeting over [`crate::bilaga::limits::MEETING_TABLE_CELLS`].
pub(super) const TABLE_CELLS_HINT: &str =
    "split the tables over several meetings' protocols, or give the largest as a PDF bilaga";

impl Validator {
    /// Adds a text's table cells to the meeting's count: the error message, once, for the
    /// text that takes the meeting over [`crate::bilaga::limits::MEETING_TABLE_CELLS`].
    pub(super) fn count_table_cells(&mut self, cells: u64) -> Option<String> {
        let cap = crate::bilaga::limits::MEETING_TABLE_CELLS;
        let before = self.table_cells;
        self.table_cells += cells;
        (cap.over(self.table_cells) && !cap.over(before)).then(|| {
            format!(
                "with this text, the meeting's tables have {}",
                cap.exceeded()
            )
        })
    }
}

/// Every Markdown field of the meeting in document order (for numbering bilagor).
pub(super) fn rich_texts(raw: &RawFvgMeeting) -> Vec<&Spanned<String>> {
    let mut out = Vec::new();
    for p in &raw.paragraf {
        out.extend(p.text.as_ref());
        out.extend(p.said.iter().map(|s| &s.text));
        for i in &p.item {
            out.extend(i.text.as_ref());
            out.extend(i.said.iter().map(|s| &s.text));
            out.extend(i.closing.as_ref());
        }
        out.extend(p.closing.as_ref());
    }
    out
}

/// `AMN 2020-0654-1.6`: capitals, a space, year-number-class with dotted subclasses.
pub(crate) fn is_diarienummer(text: &str) -> bool {
    let Some((organ, rest)) = text.split_once(' ') else {
        return false;
    };
    let organ_ok = !organ.is_empty() && organ.chars().all(|c| c.is_uppercase());
    let mut parts = rest.splitn(3, '-');
    let (Some(year), Some(number), Some(class)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    organ_ok && year.len() == 4 && digits(year) && digits(number) && class.split('.').all(digits)
}

/// Byte offset of the first character of a TOML string's content, given the literal's span.
pub(super) fn string_content_start(toml: &str, span: Range<usize>) -> usize {
    let literal = toml.get(span.clone()).unwrap_or("");
    if literal.starts_with("\"\"\"") || literal.starts_with("'''") {
        let after = span.start + 3;
        let rest = &toml[after.min(toml.len())..];
        if rest.starts_with("\r\n") {
            after + 2
        } else if rest.starts_with('\n') {
            after + 1
        } else {
            after
        }
    } else {
        span.start + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn diarienummer_format() {
        assert!(is_diarienummer("AMN 2020-0654-1.6"));
        assert!(is_diarienummer("AMN 2019-0395-1.2.1"));
        assert!(!is_diarienummer("AMN 2020-0654"));
        assert!(!is_diarienummer("amn 2020-0654-1.6"));
        assert!(!is_diarienummer("AMN 20-0654-1.6"));
        assert!(!is_diarienummer("AMN 2020-0654-1..6"));
    }

    #[test]
    pub(super) fn content_start_skips_quotes_and_first_newline() {
        let toml = "a = \"\"\"\nhej\"\"\"\nb = \"x\"";
        let span = 4..toml.find("\nb").unwrap();
        assert_eq!(&toml[string_content_start(toml, span)..][..3], "hej");
        let span_b = toml.rfind('"').unwrap() - 2..toml.len();
        assert_eq!(&toml[string_content_start(toml, span_b)..][..1], "x");
    }
}
