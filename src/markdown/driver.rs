//! Driving the converter from another reader (DOCX): Markdown events plus [`Extra`] events
//! for what Markdown lacks, through the same [`Writer`] — same escaping, footnote labels and
//! heading rule as a Markdown bilaga.

use pulldown_cmark::Event;

use super::{Context, Converted, Cost, Writer};
use crate::escape;

/// Structure other formats have and Markdown lacks, for readers (DOCX) that drive the writer
/// with [`Driver`] instead of parsing Markdown.
#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    UnderlineStart,
    UnderlineEnd,
    /// A page break; inside a list, table or footnote (where Typst forbids one) a line break.
    PageBreak,
    Tab,
    /// An ordered list numbered with a Typst pattern (`"1."`, `"a)"`, `"i."`); `full` when the
    /// pattern shows the parents' numbers too (`"1.1."`).
    EnumStart {
        pattern: String,
        start: u64,
        full: bool,
    },
    /// Ends a list opened with [`Extra::EnumStart`] (or a bullet list).
    ListEnd,
    /// A table of `columns` columns; `align` gives each column's alignment (empty: all
    /// [`ColumnAlign::Auto`]).
    TableStart {
        columns: usize,
        align: Vec<ColumnAlign>,
    },
    /// The rows that repeat at the top of every page the table runs onto, tagged as header
    /// cells (PDF/UA `TH`); between [`Extra::TableStart`] and the first body row.
    TableHeaderStart,
    TableHeaderEnd,
    CellStart,
    CellEnd,
    TableEnd,
    /// Text withheld from the web edition (a DOCX run in a "Sekretess" character style) begins;
    /// adjacent spans of the same reason are joined. Must end before any structure around it.
    SekretessStart {
        reason: String,
    },
    SekretessEnd,
    /// An image already served to Typst at `path` (see `Asset`); `width_pt` from the document.
    Image {
        path: String,
        alt: String,
        width_pt: Option<f64>,
    },
}

/// How a table column's cells are aligned: a Markdown table's delimiter row (`---`, `:--`,
/// `:-:`, `--:`, GFM).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColumnAlign {
    /// As the text around it (the house style: left).
    Auto,
    Left,
    Center,
    Right,
}

/// Drives the one converter with events from another reader, so that every format renders
/// through the same path: same escaping, same footnote labels, same heading rule. Text
/// arrives literally (no `{bilaga:ID}` or `[^n]` interpretation: that is Markdown syntax).
pub struct Driver<'a> {
    writer: Writer<'a>,
    /// What cannot print in the text so far, named once each at the end.
    unprintable: super::unprintable::Tally,
}

impl<'a> Driver<'a> {
    pub fn new(ctx: &'a Context<'a>) -> Self {
        Self {
            writer: Writer::new("", ctx, false),
            unprintable: Default::default(),
        }
    }

    /// A Markdown event; footnotes are `FootnoteReference` at the reference and
    /// `Start(FootnoteDefinition)` … `End` anywhere (usually at the end).
    pub fn event(&mut self, event: Event<'_>) {
        self.writer.settle_sekretess();
        if let Event::Text(text) | Event::Code(text) = &event {
            self.unprintable.add(text);
        }
        self.writer.event(event, 0..0);
    }

    pub fn extra(&mut self, extra: Extra) {
        let cost = match &extra {
            Extra::EnumStart { .. } | Extra::TableStart { .. } => Cost::Open,
            Extra::ListEnd | Extra::TableEnd => Cost::Close,
            Extra::CellStart => Cost::Cell,
            Extra::UnderlineStart
            | Extra::Tab
            | Extra::Image { .. }
            | Extra::PageBreak
            | Extra::SekretessStart { .. } => Cost::Inline,
            _ => Cost::Text(""),
        };
        if !self.writer.charge(cost, &(0..0)) {
            return;
        }
        self.writer.flush_text();
        self.writer.settle_link();
        if !matches!(extra, Extra::SekretessStart { .. }) {
            self.writer.settle_sekretess();
        }
        self.writer.extra(extra);
    }

    /// The markup and its problems; what could not print is named in warnings (no place:
    /// the reader names its file).
    pub fn finish(mut self) -> Converted {
        self.writer.settle_sekretess();
        let warnings = self.unprintable.problems();
        self.writer.problems.extend(warnings);
        self.writer.finish()
    }
}

/// How a table's header rows open: repeated on every page the table runs onto.
const HEADER_OPEN: &str = "table.header(repeat: true, ";

/// Header rows longer than this (bytes of markup), or more of them than [`HEADER_ROWS`], are
/// set as ordinary rows: a header is neither broken across pages nor repeated, so one taller
/// than a page would lose its text. A real header is a row or two of labels (~200 bytes).
const HEADER_MAX: usize = 1_000;
const HEADER_ROWS: usize = 4;

impl Writer<'_> {
    /// The part of the text area an image may take where it stands: all of it, or in a table
    /// cell its column's share (an image as wide as the table would squeeze the other columns
    /// to slivers).
    pub(super) fn cell_share(&self) -> f64 {
        if self.open_cells > 0 {
            1.0 / self.columns() as f64
        } else {
            1.0
        }
    }

    /// The columns of the innermost open table (1 outside a table).
    pub(super) fn columns(&self) -> usize {
        self.open_tables.last().copied().unwrap_or(1)
    }

    /// Closes a table's header rows, deciding how they may be set now that they are known:
    /// repeated (the rule); once only, when they hold a footnote or a link (a repeat is an
    /// artifact, which PDF/UA forbids to carry a link, and a note would be set twice); or as
    /// ordinary rows, which may break across pages, when they are too long to repeat.
    fn end_table_header(&mut self) {
        let Some((target, piece, offset)) = self.table_header.take() else {
            self.push("), ");
            return;
        };
        let rows = self.header_cells.div_ceil(self.columns());
        let pieces = &mut self.targets[target];
        let mut size = 0;
        let mut links = false;
        for (i, p) in pieces.iter().enumerate().skip(piece) {
            match p {
                super::Piece::Markup(m) => {
                    let m = if i == piece {
                        m.get(offset..).unwrap_or("")
                    } else {
                        m
                    };
                    size += m.len();
                    // Text is escaped (`\#`, `\\`): a `#link(` after an even number of
                    // backslashes is a link the converter made.
                    links |= m.match_indices("#link(").any(|(at, _)| {
                        m[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0
                    });
                }
                super::Piece::FootnoteRef { .. } => links = true,
            }
        }
        let Some(super::Piece::Markup(open)) = pieces.get_mut(piece) else {
            self.push("), ");
            return;
        };
        let end = offset + HEADER_OPEN.len();
        if open.get(offset..end) != Some(HEADER_OPEN) {
            self.push("), ");
            return;
        }
        if size > HEADER_MAX || rows > HEADER_ROWS {
            open.replace_range(offset..end, "");
        } else {
            if links {
                open.replace_range(offset..end, "table.header(repeat: false, ");
            }
            self.push("), ");
        }
    }

    /// Closes a withheld span whose end was held back to join it with the next.
    pub(super) fn settle_sekretess(&mut self) {
        if self.sekretess_pending.take().is_some() {
            self.containers = self.containers.saturating_sub(1);
            self.push(super::CLOSE);
        }
    }

    pub(super) fn extra(&mut self, extra: Extra) {
        match extra {
            Extra::SekretessStart { reason } => {
                if self.sekretess_pending.as_deref() == Some(reason.as_str()) {
                    // The same reason right after: one span, one notice.
                    self.sekretess_open = self.sekretess_pending.take();
                    return;
                }
                self.settle_sekretess();
                self.withhold_link_target();
                // No page break inside: the span's text is one piece of content.
                self.containers += 1;
                self.push(&format!(
                    "#sekretess({}, {})[",
                    escape::string_literal(&reason),
                    escape::string_literal(&(self.ctx.marks.notice)(&reason))
                ));
                self.sekretess_open = Some(reason);
            }
            Extra::SekretessEnd => {
                self.sekretess_pending = self.sekretess_open.take();
            }
            Extra::UnderlineStart => {
                self.containers += 1;
                self.push("#underline[")
            }
            Extra::UnderlineEnd => {
                self.containers = self.containers.saturating_sub(1);
                self.push(super::CLOSE)
            }
            Extra::PageBreak if self.containers == 0 => self.push("\n#pagebreak(weak: true)\n"),
            Extra::PageBreak => self.push(&format!("#linebreak(){}", super::END)),
            Extra::Tab => self.push(&format!("#h(1.25cm){}", super::END)),
            Extra::EnumStart {
                pattern,
                start,
                full,
            } => {
                self.containers += 1;
                let pattern = escape::string_literal(&pattern);
                let full = if full { "full: true, " } else { "" };
                self.push(&format!(
                    "\n#enum(numbering: {pattern}, {full}start: {start}, "
                ));
            }
            Extra::ListEnd => {
                self.containers = self.containers.saturating_sub(1);
                self.push(")\n\n");
            }
            Extra::TableStart { columns, align } => {
                self.containers += 1;
                self.open_tables.push(columns.max(1));
                // Long Swedish compounds in narrow cells are hyphenated, as Word does (Typst
                // hyphenates only justified text unless told; issue 12 kind 4). Scoped to
                // this table: the protocol's own tables keep the house style.
                let align = if align.iter().all(|a| *a == ColumnAlign::Auto) {
                    String::new()
                } else {
                    let each: Vec<&str> = align
                        .iter()
                        .map(|a| match a {
                            ColumnAlign::Auto => "auto",
                            ColumnAlign::Left => "left",
                            ColumnAlign::Center => "center",
                            ColumnAlign::Right => "right",
                        })
                        .collect();
                    format!("align: ({},), ", each.join(", "))
                };
                self.push(&format!(
                    "\n#[#set text(hyphenate: true)\n#table(columns: {}, {align}",
                    columns.max(1)
                ));
            }
            Extra::TableHeaderStart => {
                let target = self.targets.len() - 1;
                let at = match self.targets[target].last() {
                    Some(super::Piece::Markup(m)) => (self.targets[target].len() - 1, m.len()),
                    _ => (self.targets[target].len(), 0),
                };
                self.table_header = Some((target, at.0, at.1));
                self.header_cells = 0;
                self.push(HEADER_OPEN);
            }
            Extra::TableHeaderEnd => self.end_table_header(),
            Extra::CellStart => {
                if self.table_header.is_some() {
                    self.header_cells += 1;
                }
                self.open_cells += 1;
                self.push("[")
            }
            Extra::CellEnd => {
                self.open_cells = self.open_cells.saturating_sub(1);
                self.push("], ")
            }
            Extra::TableEnd => {
                self.containers = self.containers.saturating_sub(1);
                self.open_tables.pop();
                self.push(")]\n\n");
            }
            Extra::Image {
                path,
                alt,
                width_pt,
            } => {
                // The document's size, but never wider than the text area of the page, nor in
                // a table than its share of the text area.
                let share = self.cell_share();
                let width = match width_pt {
                    Some(w) if w.is_finite() && w > 1.0 => {
                        format!("{:.1}pt", w.min(420.0 * share))
                    }
                    _ if share < 1.0 => format!("{:.1}pt", 420.0 * share),
                    _ => "100%".to_owned(),
                };
                let linked = self.in_link();
                let size = match (&width, linked) {
                    (w, true) if w.as_str() == "100%" => super::INLINE_IMAGE.to_owned(),
                    (w, _) => format!("width: {w}"),
                };
                let image = format!(
                    "image({}, alt: {}, {size})",
                    escape::string_literal(&path),
                    escape::string_literal(alt.trim()),
                );
                self.push(&super::inline_if_linked(&image, linked));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The caps the tests convert with: a reader's, as the meeting's texts are converted.
    const CAPS: &crate::markdown::Caps = &crate::bilaga::limits::TEXT_CAPS;

    fn no_bilaga(_: &str) -> Option<usize> {
        None
    }

    fn no_image(_: &str) -> Result<String, String> {
        Err(String::new())
    }

    /// A bilaga's context with no other bilaga and no image to resolve.
    fn context() -> Context<'static> {
        Context {
            bilaga_number: &no_bilaga,
            label_prefix: "b1",
            heading_offset: 1,
            resolve_image: &no_image,
            caps: CAPS,
            marks: &crate::publish::marks::SEKRETESS,
            meeting: Default::default(),
        }
    }

    fn table_of(cells: u64) -> Converted {
        let ctx = context();
        let mut d = Driver::new(&ctx);
        d.extra(Extra::TableStart {
            columns: 4,
            align: Vec::new(),
        });
        for _ in 0..cells {
            d.extra(Extra::CellStart);
            d.event(Event::Text("x".into()));
            d.extra(Extra::CellEnd);
        }
        d.extra(Extra::TableEnd);
        d.finish()
    }

    /// Header rows (a DOCX's `tblHeader` rows) taller than a page cannot repeat: more than
    /// four are set as ordinary rows, which break across pages.
    #[test]
    fn many_header_rows_are_set_as_ordinary_rows() {
        let ctx = context();
        let table = |header_rows: usize| {
            let mut d = Driver::new(&ctx);
            d.extra(Extra::TableStart {
                columns: 2,
                align: Vec::new(),
            });
            d.extra(Extra::TableHeaderStart);
            for i in 0..header_rows * 2 {
                d.extra(Extra::CellStart);
                d.event(Event::Text(format!("R{i}").into()));
                d.extra(Extra::CellEnd);
            }
            d.extra(Extra::TableHeaderEnd);
            for _ in 0..2 {
                d.extra(Extra::CellStart);
                d.event(Event::Text("sista".into()));
                d.extra(Extra::CellEnd);
            }
            d.extra(Extra::TableEnd);
            d.finish().markup
        };
        assert!(table(4).contains("table.header(repeat: true, [R0]"));
        let many = table(5);
        assert!(!many.contains("table.header"), "{many}");
        assert!(many.contains("[R9], [sista], [sista]"), "{many}");
    }

    /// A DOCX image in a table cell is no wider than its column's share of the text area.
    #[test]
    fn an_image_in_a_cell_is_no_wider_than_its_columns_share() {
        let ctx = context();
        let mut d = Driver::new(&ctx);
        let image = || Extra::Image {
            path: "/b1/image1.png".into(),
            alt: "Karta".into(),
            width_pt: Some(400.0),
        };
        d.extra(image());
        d.extra(Extra::TableStart {
            columns: 3,
            align: Vec::new(),
        });
        d.extra(Extra::CellStart);
        d.extra(image());
        d.extra(Extra::CellEnd);
        d.extra(Extra::TableEnd);
        d.extra(image());
        let markup = d.finish().markup;
        assert_eq!(markup.matches("width: 400.0pt)").count(), 2, "{markup}");
        assert!(markup.contains("width: 140.0pt)"), "{markup}");
    }

    /// What a DOCX's runs become, followed by any character, ends where its markup ends
    /// (issue 23): no call reads on into the text after it.
    #[test]
    fn no_call_from_a_document_reads_on_into_the_next_character() {
        use pulldown_cmark::{LinkType, Tag, TagEnd};
        let ctx = context();
        let wrapped: [(Tag<'static>, TagEnd); 6] = [
            (Tag::Emphasis, TagEnd::Emphasis),
            (Tag::Strong, TagEnd::Strong),
            (Tag::Strikethrough, TagEnd::Strikethrough),
            (Tag::Superscript, TagEnd::Superscript),
            (Tag::Subscript, TagEnd::Subscript),
            (
                Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: "https://x.se".into(),
                    title: "".into(),
                    id: "".into(),
                },
                TagEnd::Link,
            ),
        ];
        for f in [
            "(", "[", ".", "a", "1", ";", "#", "\\", " ", "(1)", "[1]", ".x", "]",
        ] {
            let mut d = Driver::new(&ctx);
            d.extra(Extra::TableStart {
                columns: 1,
                align: Vec::new(),
            });
            d.extra(Extra::CellStart);
            for (start, end) in wrapped.iter().cloned() {
                d.event(Event::Start(start));
                d.event(Event::Text("a".into()));
                d.event(Event::End(end));
                d.event(Event::Text(f.to_owned().into()));
            }
            for extra in [
                Extra::UnderlineStart,
                Extra::UnderlineEnd,
                Extra::Tab,
                Extra::PageBreak,
                Extra::Image {
                    path: "/b1/a.png".into(),
                    alt: "Bild".into(),
                    width_pt: None,
                },
                Extra::SekretessStart {
                    reason: "OSL 1".into(),
                },
                Extra::SekretessEnd,
            ] {
                d.extra(extra);
                d.event(Event::Text(f.to_owned().into()));
            }
            d.event(Event::Code("a".into()));
            d.event(Event::Text(f.to_owned().into()));
            d.event(Event::HardBreak);
            d.event(Event::Text(f.to_owned().into()));
            d.extra(Extra::CellEnd);
            d.extra(Extra::TableEnd);
            let markup = d.finish().markup;
            if let Some(why) = super::super::boundary::continued_call(&markup) {
                panic!("`{f}`: {why}\n{markup}");
            }
        }
    }

    #[test]
    fn table_cells_are_capped() {
        assert!(table_of(CAPS.table_cells.value).problems.is_empty());
        let over = table_of(CAPS.table_cells.value + 1);
        assert_eq!(over.problems.len(), 1);
        assert_eq!(
            over.problems[0].message,
            "the document has more than the 8,000 table cells allowed (cap: table cells)"
        );
    }

    /// Tables inside tables, as a DOCX may nest them: the cap counts them with lists.
    #[test]
    fn nested_tables_are_capped() {
        let ctx = context();
        let nest = |n: u64| {
            let mut d = Driver::new(&ctx);
            for _ in 0..n {
                d.extra(Extra::TableStart {
                    columns: 1,
                    align: Vec::new(),
                });
                d.extra(Extra::CellStart);
            }
            for _ in 0..n {
                d.extra(Extra::CellEnd);
                d.extra(Extra::TableEnd);
            }
            d.finish()
        };
        assert!(nest(CAPS.nesting.value).problems.is_empty());
        let over = nest(CAPS.nesting.value + 1);
        assert!(over.problems[0].message.contains("(cap: nesting depth)"));
    }
}
