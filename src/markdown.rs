//! Markdown (CommonMark + footnotes) to Typst markup.
//!
//! This is the one converter for rich text: § bodies in the meeting file and Markdown
//! bilagor. Every text run it emits is composed (NFC) and goes through [`escape::markup`];
//! structure becomes calls of Typst functions (`#emph[..]`, `#list(..)`, `#footnote[..]`),
//! so no input can become Typst code. Its output is the only text the templates print unescaped.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::cap::Cap;
use crate::diag::Severity;
use crate::escape;

pub mod boundary;
mod budget;
mod driver;
pub(crate) mod html;
mod lengths;
mod unprintable;

use budget::{Budget, Cost};
use driver::ColumnAlign;
pub use driver::{Driver, Extra};

/// What the converter needs to know about the document the text is part of.
pub struct Context<'a> {
    /// The number of a bilaga by id, for `{bilaga:ID}` references.
    pub bilaga_number: &'a dyn Fn(&str) -> Option<usize>,
    /// Makes footnote labels unique in the whole document, e.g. `b2`.
    pub label_prefix: &'a str,
    /// Added to Markdown heading levels (`#` is level 1 + offset).
    pub heading_offset: u8,
    /// Resolves an image path to the path Typst should load, or says why it may not.
    pub resolve_image: &'a dyn Fn(&str) -> Result<String, String>,
    /// What the text may cost: the caller's caps (`crate::bilaga::limits::TEXT_CAPS`).
    pub caps: &'a Caps,
    /// The marks that withhold text from a public edition (the web edition's
    /// `crate::publish::marks::SEKRETESS`).
    pub marks: &'a Marks,
    /// What the texts converted before this one in the same meeting have spent of the caps
    /// counted over a meeting: this text counts on from there (nothing for a text on its
    /// own). [`Converted::spent`] is what this one adds.
    pub meeting: Spent,
}

/// What texts have spent of the caps counted over a whole meeting
/// ([`Caps::meeting_inline_elements`], [`Caps::meeting_long_words`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Spent {
    /// Inline elements, counted as in a paragraph.
    pub inline: u64,
    /// Characters of words longer than [`Caps::long_word`] characters.
    pub long_words: u64,
}

/// The caps on what one text may cost the typesetter, each counted as the converter writes
/// ([`budget`]): the text stops at the first one exceeded, with an error there naming it.
/// Given by the caller, so the converter holds no reader's numbers.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Characters of the whole text.
    pub(crate) text_chars: Cap,
    /// Characters of one word (no space between).
    pub(crate) word_chars: Cap,
    /// Paragraphs, headings and list items.
    pub(crate) blocks: Cap,
    /// Inline elements of one paragraph, heading, list item or table cell.
    pub(crate) inline_elements: Cap,
    /// Inline elements of all texts of one meeting (counted on from [`Context::meeting`]).
    pub(crate) meeting_inline_elements: Cap,
    /// From how many characters on a word is long: Typst's line breaking costs the square
    /// of a word's length, so long words are counted over a meeting.
    pub(crate) long_word: u64,
    /// Characters of long words in all texts of one meeting.
    pub(crate) meeting_long_words: Cap,
    pub links: Cap,
    /// Bytes of address and title reference links copy from their definitions.
    pub(crate) reference_bytes: Cap,
    /// Lines of code blocks.
    pub(crate) code_lines: Cap,
    /// Footnotes and references to them.
    pub footnotes: Cap,
    pub(crate) table_cells: Cap,
    /// Columns of one Markdown table.
    pub(crate) table_columns: Cap,
    /// Lists, quotes, tables and footnotes inside one another.
    pub nesting: Cap,
}

/// A mark in a text run that opens or closes a withheld span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark<'a> {
    /// Opens a span withheld for this reason (trimmed).
    Open(&'a str),
    /// Closes the open span.
    Close,
}

/// Every mark in a text run, in order, with its byte range.
pub(crate) type FindMarks = fn(&str) -> Vec<(Range<usize>, Mark<'_>)>;

/// The marks that keep a span of text out of a public edition, and what that edition prints
/// instead: the converter wraps each span in `#sekretess(reason, notice)[…]`, which the
/// official protocol prints as written and the web edition as the notice. Given by the
/// caller, which owns the marks' syntax and the notice's wording.
#[derive(Debug, Clone, Copy)]
pub struct Marks {
    /// Every mark in a text run, in order, with its byte range.
    pub find: FindMarks,
    /// What a public edition prints instead of a span withheld for this reason.
    pub notice: fn(&str) -> String,
}

/// A problem in the Markdown, located by byte range in the Markdown text.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// The Typst markup for a piece of Markdown, and what was wrong with it.
#[derive(Debug, Default)]
pub struct Converted {
    pub markup: String,
    pub problems: Vec<Problem>,
    /// Table cells in the markup: the caller caps a meeting's tables together.
    pub cells: u64,
    /// What this text spent of the caps counted over a meeting: the converter counts on
    /// from [`Context::meeting`]; the caller carries the sum to the next text.
    pub spent: Spent,
    /// Where the first table starts in the Markdown (byte offset), if it has one.
    pub(crate) first_table: Option<usize>,
    /// Where the markup of each Markdown line begins: (offset in `markup`, offset in the
    /// Markdown), in order, one for each line where a block, a text run or a line break of
    /// the document starts (footnotes' text is not mapped). A Typst problem in the markup
    /// is placed at its line of the meeting file from these (issue 21).
    pub(crate) lines: Vec<(usize, usize)>,
}

/// Finds `{bilaga:ID}` references in raw text, in order: (byte range, id).
pub(crate) fn bilaga_references(text: &str) -> Vec<(Range<usize>, &str)> {
    const OPEN: &str = "{bilaga:";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(OPEN) {
        let start = from + pos;
        let id_start = start + OPEN.len();
        match text[id_start..].find('}') {
            Some(len) if !text[id_start..id_start + len].contains(['{', '\n']) => {
                let end = id_start + len + 1;
                found.push((start..end, text[id_start..id_start + len].trim()));
                from = end;
            }
            _ => from = id_start,
        }
    }
    found
}

/// How the protocol reads Markdown; [`html::published`] reads it the same way, so that both
/// see the same HTML. Tables as GFM writes them (pandoc's Markdown of a Word table, too).
pub(crate) fn options() -> Options {
    Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// Converts Markdown to Typst markup.
pub fn to_typst(markdown: &str, ctx: &Context) -> Converted {
    let mut writer = Writer::new(markdown, ctx, true);
    writer.problems.extend(unprintable::problems(markdown));
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        writer.event(event, range);
        if writer.budget.stopped.is_some() {
            break;
        }
    }
    writer.finish()
}

/// A run of prose as markup: composed (Unicode NFC) first, then escaped ([`escape::markup`]).
/// A letter written as its base and a combining mark (as macOS, a copy from a PDF or a Word
/// document give it) is then set, hyphenated and read back from the PDF as the one letter
/// it is. Composed here, where text becomes markup, and not in the file as read: an image's
/// or a link's target names a file or an address byte for byte, and the places of problems
/// are the file's. The meeting file's fields come composed already (`meeting::compose`).
fn prose(text: &str) -> String {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        escape::markup(text)
    } else {
        escape::markup(&crate::meeting::compose::nfc(text))
    }
}

/// What ends every call the converter sets inside text. Typst reads on after a call: `#emph[41](11–12)`
/// is a call of what `#emph[41]` returns, `#raw("x").y` a field access, `#linebreak()[z]` a
/// trailing content argument — so an inline call followed by `(`, `[` or `.` would fail the
/// whole document or swallow the text after it (issue 23). A `;` right after the call ends
/// the embedded expression and is not printed; text's own `;` is escaped
/// ([`escape::markup`]), so the two never meet.
const END: &str = ";";

/// What follows a link whose word runs on (see where it is written): a break opportunity
/// that draws nothing and leaves the word whole for text extraction, as the template's
/// `breakable` gives long tokens (weak spacing of a thousandth of a point).
const LINK_END: &str = "#h(0.001pt, weak: true);";

/// An image inside a link is set in the line, as a browser shows a logo in a link: a block
/// there would split the link (PDF/UA refuses a link's tag split up). Without a size of its
/// own (Markdown), the height of a line and a half.
const INLINE_IMAGE: &str = "height: 1.5em";

/// `#image(…)`, or inside a link `#box(image(…))`, ended.
fn inline_if_linked(image: &str, linked: bool) -> String {
    if linked {
        format!("#box({image}){END}")
    } else {
        format!("#{image}{END}")
    }
}

/// Closes an inline call's content block (`#emph[`…, `#link(…)[`…), ended by [`END`].
const CLOSE: &str = "];";

/// A piece of output: markup, or a footnote reference resolved once all definitions are known.
enum Piece {
    Markup(String),
    /// `withheld`: inside a `{sekretess:…}` span, which the web edition leaves out.
    FootnoteRef {
        label: String,
        range: Range<usize>,
        withheld: bool,
    },
}

struct Writer<'a> {
    source: &'a str,
    ctx: &'a Context<'a>,
    /// Output targets: the document, or a footnote definition being collected.
    targets: Vec<Vec<Piece>>,
    definitions: HashMap<String, (Vec<Piece>, Range<usize>)>,
    definition_order: Vec<String>,
    /// Consecutive text events, flushed as one run so references split across events are found.
    text: String,
    text_range: Option<Range<usize>>,
    /// The text of the code block being read: printed verbatim, as a string.
    code: Option<String>,
    /// Destination and alt text of the image being read (its alt text arrives as events).
    image: Option<(String, String, Range<usize>)>,
    last_heading: u8,
    problems: Vec<Problem>,
    /// Markdown text: `{bilaga:ID}` and stray `[^n]` are interpreted; other formats' is literal.
    markdown: bool,
    /// Open lists, tables and footnotes, where a page break is not allowed.
    containers: usize,
    /// What the text has cost so far; once a cap is exceeded, nothing more is written.
    budget: Budget,
    /// Open structure that the markup brackets (`#emph[`, `#list(`, a footnote …): a marked
    /// span must close at the depth it opened at, or the Typst would not nest.
    depth: usize,
    /// The `{sekretess:…}` span open now: its depth and its mark's place.
    sekretess: Option<(usize, Range<usize>)>,
    /// A driven (DOCX) withheld span: its reason while open; once ended, the reason while
    /// its `]` is held back to join an adjacent span of the same reason.
    sekretess_open: Option<String>,
    sekretess_pending: Option<String>,
    open_heading: lengths::Open,
    /// For each open link: whether it became a PDF link (`false`: its text is kept as text).
    links: Vec<bool>,
    /// A link's `]` held back until the next markup, which tells whether a word runs on
    /// after it (see [`Writer::push`]).
    link_close: bool,
    /// The open heading: where its markup starts, so an empty one can be taken back.
    heading: Option<OpenHeading>,
    /// Where the Markdown table's last cell ended (to find cells beyond the header's, which
    /// the parser drops).
    last_cell_end: usize,
    /// Inside the header row of a Markdown table.
    table_head: bool,
    /// Where the first Markdown table starts.
    first_table: Option<usize>,
    /// The HTML block being read (its text, its place): never printed ([`html`]).
    html_block: Option<(String, Range<usize>)>,
    /// Raw HTML left out so far, each named in a warning up to [`HTML_WARNINGS`]; the place
    /// of the first one past that, named with the count at the end.
    html_dropped: usize,
    html_unsaid: Option<Range<usize>>,
    /// The columns of each open table (innermost last), and how many cells are open.
    open_tables: Vec<usize>,
    open_cells: usize,
    /// Where the open table header's markup begins: (target, piece, byte offset), and how
    /// many cells it has so far.
    table_header: Option<(usize, usize, usize)>,
    header_cells: usize,
    /// Where the document's markup stood when each new Markdown line began: (piece, byte
    /// offset in it, offset in the Markdown); made into [`Converted::lines`] once the
    /// pieces are joined.
    lines: Vec<(usize, usize, usize)>,
}

/// A heading being written: enough to take it back when it turns out empty (PDF/UA forbids an
/// empty heading, and Word and Markdown both allow one).
struct OpenHeading {
    pieces: usize,
    markup_len: usize,
    previous_level: u8,
    range: Range<usize>,
}

/// [`Converted::lines`] from the places noted while writing (piece, offset in it, Markdown
/// offset), `starts` being where each piece begins in the joined markup of length `len`. An
/// offset past its piece (a heading taken back) is held to the piece's end.
fn joined_lines(
    noted: &[(usize, usize, usize)],
    starts: &[usize],
    len: usize,
) -> Vec<(usize, usize)> {
    noted
        .iter()
        .map(|&(piece, offset, src)| {
            let start = starts.get(piece).copied().unwrap_or(len);
            let end = starts.get(piece + 1).copied().unwrap_or(len);
            ((start + offset).min(end), src)
        })
        .collect()
}

/// How a footnote label is matched: case-insensitively and with inner whitespace collapsed,
/// as GFM defines link labels and as pulldown-cmark itself matches them (`UniCase`).
/// Upper- then lowercasing folds `ß`/`SS` the way Unicode case folding does.
pub(crate) fn footnote_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
        .to_lowercase()
}

/// The URL schemes that may become a link in the PDF. Others (`javascript:`, `data:`,
/// `file:`, …) would run code or reach outside the document in a reader: their text is kept
/// and the link dropped with a warning (issue 13).
const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp", "ftps"];

/// Why `url` may not become a PDF link, or `None` when it may. A URL without a scheme
/// (`#anker`, `sida.html`) is allowed; an empty one is refused (Typst refuses it at export).
pub(crate) fn refused_link(url: &str) -> Option<String> {
    // Readers ignore whitespace and control characters inside a scheme ("java\tscript:").
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if squeezed.is_empty() {
        return Some("the link has no address".to_owned());
    }
    let scheme_end = squeezed.find(':')?;
    let scheme = &squeezed[..scheme_end];
    if scheme.contains(['/', '?', '#']) {
        return None;
    }
    let scheme = scheme.to_lowercase();
    if LINK_SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    Some(format!(
        "a `{scheme}:` link cannot be followed safely in a PDF"
    ))
}

impl<'a> Writer<'a> {
    fn new(source: &'a str, ctx: &'a Context<'a>, markdown: bool) -> Self {
        Self {
            source,
            ctx,
            targets: vec![Vec::new()],
            definitions: HashMap::new(),
            definition_order: Vec::new(),
            text: String::new(),
            text_range: None,
            code: None,
            image: None,
            last_heading: ctx.heading_offset,
            problems: Vec::new(),
            markdown,
            containers: 0,
            budget: Budget::new(*ctx.caps, ctx.meeting),
            depth: 0,
            sekretess: None,
            sekretess_open: None,
            sekretess_pending: None,
            open_heading: Default::default(),
            links: Vec::new(),
            link_close: false,
            heading: None,
            last_cell_end: 0,
            table_head: false,
            first_table: None,
            html_block: None,
            html_dropped: 0,
            html_unsaid: None,
            open_tables: Vec::new(),
            open_cells: 0,
            table_header: None,
            header_cells: 0,
            lines: Vec::new(),
        }
    }

    /// Inside a link that became a PDF link.
    fn in_link(&self) -> bool {
        self.links.iter().any(|&made| made)
    }

    /// Charges `cost` to the budget: false (and an error here, naming the cap) once a cap
    /// is exceeded, and for every event after that.
    fn charge(&mut self, cost: Cost, range: &Range<usize>) -> bool {
        // A text written in the source as it reads (no escape or entity in it) is placed at
        // the word or character that crossed a cap, not at the start of the text.
        let plain = matches!(cost, Cost::Text(t) if !t.is_empty() && t.len() == range.len());
        if let Some(cap) = self.budget.spend(cost) {
            let range = if plain {
                let at = range.start + self.budget.stopped_at;
                at..range.end
            } else {
                range.clone()
            };
            let range = &range;
            // Markdown is located by the range; a document from another reader as a whole.
            let (what, this) = if self.markdown {
                ("the text stops here: it has", "text")
            } else {
                ("the document has", "document")
            };
            let message = if let Some((before, here, counted)) = self.budget.meeting_count(cap) {
                // What was counted: the meeting's texts before this one, and this one.
                let stop = if self.markdown {
                    "the text stops here: "
                } else {
                    ""
                };
                format!(
                    "{stop}with this {this}, the meeting's texts and bilagor have {} {counted} ({} in the texts before it, {} in this {this} so far): {}",
                    crate::cap::thousands(before + here),
                    crate::cap::thousands(before),
                    crate::cap::thousands(here),
                    cap.exceeded()
                )
            } else {
                format!("{what} {}", cap.exceeded())
            };
            self.problem(
                Severity::Error,
                range.clone(),
                message,
                Some(self.budget.hint(cap)),
            );
        }
        self.budget.stopped.is_none()
    }

    /// What `event` costs (see [`budget`]), charged; false once the text is stopped.
    fn charge_event(&mut self, event: &Event<'_>, range: &Range<usize>) -> bool {
        let inline = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            }) => Some(match link_type {
                // The parser copies the definition's address at each use, within a budget
                // of its own past which the reference is printed as written (`[x]`): counted
                // here and refused well before that.
                LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                    Cost::Reference((dest_url.len() + title.len()) as u64)
                }
                _ if matches!(event, Event::Start(Tag::Image { .. })) => Cost::Inline,
                _ => Cost::Link,
            }),
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript,
            )
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::HardBreak
            | Event::FootnoteReference(_) => Some(Cost::Inline),
            Event::Text(t) if self.code.is_some() => {
                Some(Cost::CodeLines(t.matches('\n').count() as u64))
            }
            Event::Text(t) if self.image.is_none() => Some(Cost::Escapes(t)),
            _ => None,
        };
        if let Some(cost) = inline
            && !self.charge(cost, range)
        {
            return false;
        }
        let cost = match event {
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => Cost::Text(t),
            Event::FootnoteReference(_) => Cost::Footnote,
            Event::SoftBreak | Event::HardBreak => Cost::Text(" "),
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::CodeBlock(_)) => {
                Cost::Block
            }
            Event::Start(Tag::FootnoteDefinition(_)) => {
                if !self.charge(Cost::Footnote, range) {
                    return false;
                }
                Cost::Open
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_)) => Cost::Open,
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::Table,
            ) => Cost::Close,
            Event::Start(Tag::TableCell) => Cost::Cell,
            _ => Cost::Text(""),
        };
        self.charge(cost, range)
    }

    fn push(&mut self, markup: &str) {
        if self.link_close {
            self.link_close = false;
            let word_runs_on = markup.chars().next().is_some_and(char::is_alphabetic)
                && matches!(
                    self.targets.last().and_then(|t| t.last()),
                    Some(Piece::Markup(m)) if m.chars().last().is_some_and(char::is_alphabetic)
                );
            // A link whose text ends inside a word that runs on after it
            // (`[Arbetsmarknads](…)förvaltningens`): Typst hyphenating the word right at the
            // link's end sets the hyphen outside the link's tag, and the export fails with an
            // internal error (typst-pdf 0.15, `expected link ancestor`). A break opportunity
            // there makes the two parts words of their own, each hyphenated inside but never
            // at the link's end (a word joiner instead kept the whole compound from being
            // hyphenated, and it ran out of its table cell).
            self.push_markup(CLOSE);
            if word_runs_on {
                self.push_markup(LINK_END);
            }
        }
        self.push_markup(markup);
    }

    /// Closes a link held open by [`Writer::push`] before anything but markup is written.
    fn settle_link(&mut self) {
        if self.link_close {
            self.push("");
        }
    }

    fn push_markup(&mut self, markup: &str) {
        let target = self.targets.last_mut().expect("document target");
        if let Some(Piece::Markup(last)) = target.last_mut() {
            last.push_str(markup);
        } else {
            target.push(Piece::Markup(markup.to_owned()));
        }
    }

    /// Notes where the document's markup stands now as the place of Markdown offset `src`,
    /// when `src` is on a later line than the last one noted (see [`Converted::lines`]).
    fn note_line(&mut self, src: usize) {
        let [target] = self.targets.as_slice() else {
            return; // inside a footnote's text, which is set elsewhere
        };
        if let Some(&(_, _, last)) = self.lines.last()
            && (src <= last || !self.source.get(last..src).is_some_and(|s| s.contains('\n')))
        {
            return;
        }
        let (piece, offset) = match target.last() {
            Some(Piece::Markup(m)) => (target.len() - 1, m.len()),
            _ => (target.len(), 0),
        };
        self.lines.push((piece, offset, src));
    }

    fn problem(
        &mut self,
        severity: Severity,
        range: Range<usize>,
        message: String,
        hint: Option<&str>,
    ) {
        self.problems.push(Problem {
            severity,
            range,
            message,
            hint: hint.map(str::to_owned),
        });
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if !self.charge_event(&event, &range) {
            return;
        }
        self.measure_heading(&event, &range);
        if let Some((_, alt, _)) = &mut self.image {
            // Inside an image only its alt text matters.
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::End(TagEnd::Image) => self.finish_image(),
                _ => {}
            }
            return;
        }
        if let (Event::Text(text), Some(code)) = (&event, &mut self.code) {
            code.push_str(text);
            return;
        }
        if let Event::Text(text) = &event {
            self.text.push_str(text);
            let start = self.text_range.as_ref().map_or(range.start, |r| r.start);
            self.text_range = Some(start..range.end);
            return;
        }
        self.flush_text();
        self.settle_link();
        self.note_line(range.start);
        let line_break = matches!(event, Event::SoftBreak | Event::HardBreak).then_some(range.end);
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(_) => unreachable!("handled above"),
            Event::Code(code) => {
                let lit = escape::string_literal(&code);
                self.push(&format!("#raw({lit}){END}"));
            }
            Event::Html(html) => match &mut self.html_block {
                Some((block, _)) => block.push_str(&html),
                None => self.inline_html(&html, range),
            },
            Event::InlineHtml(html) => self.inline_html(&html, range),
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                let text = escape::markup(&math);
                self.push(&text);
            }
            Event::FootnoteReference(label) => {
                self.targets
                    .last_mut()
                    .expect("target")
                    .push(Piece::FootnoteRef {
                        label: label.to_string(),
                        range,
                        withheld: self.sekretess.is_some() || self.sekretess_open.is_some(),
                    });
            }
            Event::SoftBreak => self.push(" "),
            Event::HardBreak => self.push(&format!("#linebreak(){END}")),
            Event::Rule => self.push("\n#line(length: 100%, stroke: 0.5pt)\n\n"),
            Event::TaskListMarker(done) => self.push(if done { "☒ " } else { "☐ " }),
        }
        if let Some(next) = line_break {
            // The text after a line break is on the next line of the Markdown.
            self.note_line(next);
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        if inline_container(&tag) {
            self.containers += 1;
        }
        if bracketed(&tag) {
            self.depth += 1;
        }
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                let wanted = heading_number(level) + self.ctx.heading_offset;
                // PDF/UA needs consecutive heading levels: never skip one. (Both bounds are
                // at least offset + 1, so a heading never rises above its container.)
                let level = wanted.min(self.last_heading + 1);
                let target = self.targets.last().expect("target");
                self.heading = Some(OpenHeading {
                    pieces: target.len(),
                    markup_len: match target.last() {
                        Some(Piece::Markup(m)) => m.len(),
                        _ => 0,
                    },
                    previous_level: self.last_heading,
                    range: range.clone(),
                });
                self.last_heading = level;
                self.push(&format!(
                    "\n#heading(level: {level}, outlined: false, bookmarked: false)["
                ));
            }
            Tag::BlockQuote(_) => self.push("\n#quote(block: true)["),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) if !lang.is_empty() => {
                        format!(", lang: {}", escape::string_literal(&lang))
                    }
                    _ => String::new(),
                };
                self.push(&format!("\n#raw(block: true{lang}, "));
                // The code text follows as Text events: collect it verbatim.
                self.code = Some(String::new());
            }
            Tag::List(None) => {
                self.containers += 1;
                self.push("\n#list(")
            }
            Tag::List(Some(start)) => {
                self.containers += 1;
                self.push(&format!("\n#enum(start: {start}, "))
            }
            Tag::Item => self.push("["),
            Tag::FootnoteDefinition(label) => {
                self.containers += 1;
                self.targets.push(Vec::new());
                let key = footnote_key(&label);
                if self.definitions.contains_key(&key) {
                    // GFM: the first definition of a label counts; the second is reported.
                    self.problem(
                        Severity::Warning,
                        range,
                        format!(
                            "footnote `[^{label}]` is defined a second time; the first definition is used and this one is left out"
                        ),
                        Some("give each footnote its own label, e.g. [^2]"),
                    );
                    self.definition_order.push(String::new());
                } else {
                    self.definition_order.push(key.clone());
                    self.definitions.insert(key, (Vec::new(), range));
                }
            }
            Tag::Emphasis => self.push("#emph["),
            Tag::Strong => self.push("#strong["),
            Tag::Strikethrough => self.push("#strike["),
            Tag::Superscript => self.push("#super["),
            Tag::Subscript => self.push("#sub["),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                if let Some(why) = refused_link(&url) {
                    let shown: String = url.chars().take(60).collect();
                    self.problem(
                        Severity::Warning,
                        range,
                        format!("{why}: its text is shown without the link `{shown}`"),
                        Some("give the full address, e.g. https://www.stockholm.se/"),
                    );
                    self.links.push(false);
                } else {
                    self.links.push(true);
                    self.push(&format!("#link({})[", escape::string_literal(&url)));
                }
            }
            Tag::Image { dest_url, .. } => {
                self.image = Some((dest_url.to_string(), String::new(), range));
            }
            Tag::HtmlBlock => self.html_block = Some((String::new(), range)),
            Tag::Table(alignments) => {
                self.first_table.get_or_insert(range.start);
                let cap = self.ctx.caps.table_columns;
                if cap.over(alignments.len() as u64) {
                    // At the header row.
                    let header = self.source.get(range.clone()).and_then(|t| t.find('\n'));
                    let end = header.map_or(range.end, |n| range.start + n);
                    self.problem(
                        Severity::Error,
                        range.start..end,
                        format!(
                            "a table with {} columns has {}, which no page can show",
                            alignments.len(),
                            cap.exceeded()
                        ),
                        Some("split the table, or give it as a PDF bilaga"),
                    );
                }
                let align = alignments
                    .iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::None => ColumnAlign::Auto,
                        pulldown_cmark::Alignment::Left => ColumnAlign::Left,
                        pulldown_cmark::Alignment::Center => ColumnAlign::Center,
                        pulldown_cmark::Alignment::Right => ColumnAlign::Right,
                    })
                    .collect();
                self.extra(Extra::TableStart {
                    columns: alignments.len(),
                    align,
                });
            }
            // The header row repeats on every page the table runs onto, its cells tagged TH
            // and set bold, as GFM renderers show them.
            Tag::TableHead => {
                self.extra(Extra::TableHeaderStart);
                self.table_head = true;
            }
            Tag::TableCell => {
                self.extra(Extra::CellStart);
                if self.table_head {
                    self.push("#strong[");
                }
            }
            Tag::TableRow => {}
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        if inline_container_end(tag) {
            self.containers = self.containers.saturating_sub(1);
        }
        if bracketed_end(tag) {
            self.close_sekretess_leaving(self.depth);
            self.depth = self.depth.saturating_sub(1);
        }
        match tag {
            TagEnd::Paragraph => self.push("\n\n"),
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::BlockQuote(_) => self.push("]\n\n"),
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                self.push(&format!("{})\n\n", escape::string_literal(&code)));
            }
            TagEnd::List(_) => {
                self.containers = self.containers.saturating_sub(1);
                self.push(")\n\n")
            }
            TagEnd::Item => self.push("], "),
            TagEnd::FootnoteDefinition => {
                self.containers = self.containers.saturating_sub(1);
                let pieces = self.targets.pop().unwrap_or_default();
                match self.definition_order.last().cloned() {
                    // A repeated label's text was reported and is not kept.
                    Some(label) if label.is_empty() => {
                        self.definition_order.pop();
                    }
                    Some(label) => {
                        if let Some(def) = self.definitions.get_mut(&label) {
                            def.0 = pieces;
                        }
                    }
                    None => {}
                }
            }
            TagEnd::Link => {
                // A refused link kept only its text: there is no bracket to close.
                let made = self.links.pop().unwrap_or(true);
                if made {
                    // Closed by the next markup, which tells whether a word runs on.
                    self.settle_link();
                    self.link_close = true;
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => self.push(CLOSE),
            TagEnd::Image => self.finish_image(),
            TagEnd::HtmlBlock => self.finish_html_block(),
            TagEnd::Table => self.extra(Extra::TableEnd),
            TagEnd::TableHead => {
                self.report_excess_cells(range);
                self.extra(Extra::TableHeaderEnd);
                self.table_head = false;
            }
            TagEnd::TableRow => self.report_excess_cells(range),
            TagEnd::TableCell => {
                if self.table_head {
                    self.push(CLOSE);
                }
                self.extra(Extra::CellEnd);
                self.last_cell_end = range.end;
            }
            _ => {}
        }
    }

    /// Warns, at the cells, when a table row has more cells than its header: GFM (and
    /// pulldown-cmark) leave them out of the table, and their text would vanish unsaid.
    fn report_excess_cells(&mut self, row: Range<usize>) {
        let from = self.last_cell_end.clamp(row.start, row.end);
        let rest = self.source.get(from..row.end).unwrap_or("");
        let cells = rest.trim_matches(|c: char| c == '|' || c.is_whitespace());
        if cells.is_empty() {
            return;
        }
        let start = from + rest.find(cells).unwrap_or(0);
        let columns = self.columns();
        self.problem(
            Severity::Warning,
            start..start + cells.len(),
            format!(
                "this row has more cells than the table's header ({columns} columns): `{}` is left out",
                cells.chars().take(60).collect::<String>()
            ),
            Some("give the header row as many cells as the longest row, or join the extra cells"),
        );
    }

    /// Closes a heading; an empty one (a lone `#`, a Word heading paragraph without text)
    /// is taken back with a warning: PDF/UA refuses an empty heading at export, and it says
    /// nothing to a reader.
    fn end_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            self.push("]\n\n");
            return;
        };
        let target = self.targets.last_mut().expect("target");
        let written: String = target[open.pieces.saturating_sub(1)..]
            .iter()
            .enumerate()
            .map(|(i, p)| match p {
                Piece::Markup(m) if i == 0 && open.pieces > 0 => {
                    m.get(open.markup_len..).unwrap_or("").to_owned()
                }
                Piece::Markup(m) => m.clone(),
                Piece::FootnoteRef { .. } => "#footnote".to_owned(),
            })
            .collect();
        let content = written.split_once('[').map_or("", |(_, c)| c);
        if !content.trim().is_empty() {
            self.push("]\n\n");
            return;
        }
        target.truncate(open.pieces);
        if let Some(Piece::Markup(m)) = target.last_mut() {
            m.truncate(open.markup_len);
        }
        self.last_heading = open.previous_level;
        self.problem(
            Severity::Warning,
            open.range,
            "an empty heading is left out".to_owned(),
            Some("write the heading's text, or delete the empty heading"),
        );
    }

    fn finish_image(&mut self) {
        let Some((dest, alt, range)) = self.image.take() else {
            return;
        };
        if alt.trim().is_empty() {
            self.problem(
                Severity::Error,
                range.clone(),
                format!("image `{dest}` has no alt text"),
                Some(
                    "write a description between the brackets: ![Kartan över lokalerna](karta.png)",
                ),
            );
        }
        match (self.ctx.resolve_image)(&dest) {
            Ok(path) => {
                // The text area's width; in a table cell its column's share, as a length
                // (a ratio there would be taken of the cell, which is already the share).
                let share = self.cell_share();
                let width = if share < 1.0 {
                    format!("{:.1}pt", 420.0 * share)
                } else {
                    "100%".to_owned()
                };
                let image = format!(
                    "image({}, alt: {}, {})",
                    escape::string_literal(&path),
                    escape::string_literal(alt.trim()),
                    if self.in_link() {
                        INLINE_IMAGE.to_owned()
                    } else {
                        format!("width: {width}")
                    }
                );
                self.push(&inline_if_linked(&image, self.in_link()));
            }
            Err(why) => self.problem(Severity::Error, range, why, None),
        }
    }

    /// Inline raw HTML: `<br>` is a line break; a comment or any other tag is left out, named
    /// at its place (the text between tags is printed as text).
    fn inline_html(&mut self, raw: &str, range: Range<usize>) {
        match html::kind(raw) {
            html::Html::LineBreak => self.push(&format!("#linebreak(){END}")),
            html::Html::Comment => self.html_left_out(
                range,
                "an HTML comment (`<!-- … -->`) is not printed".to_owned(),
                "a comment stays in the file and never reaches the protocol; write the text without `<!--` and `-->` if it should be printed",
            ),
            html::Html::Other => {
                let tag: String = raw.trim().chars().take(60).collect();
                self.html_left_out(
                    range,
                    format!("the HTML `{tag}` is not printed (only the text around it)"),
                    HTML_HINT,
                );
            }
        }
    }

    /// An HTML block: never printed; a warning says whether a comment or text was left out.
    fn finish_html_block(&mut self) {
        let Some((block, range)) = self.html_block.take() else {
            return;
        };
        let rest = html::block_rest(&block);
        if !rest.is_empty() {
            let shown: String = rest
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(60)
                .collect();
            self.html_left_out(
                range,
                format!("raw HTML is not printed: `{shown}` is left out"),
                HTML_HINT,
            );
        } else if html::has_comment(&block) {
            self.html_left_out(
                range,
                "an HTML comment (`<!-- … -->`) is not printed".to_owned(),
                "a comment stays in the file and never reaches the protocol; write the text without `<!--` and `-->` if it should be printed",
            );
        }
    }

    /// Names raw HTML left out at `range`: each of the first [`HTML_WARNINGS`], then one
    /// warning for the rest (a file of thousands of tags must not flood the terminal).
    fn html_left_out(&mut self, range: Range<usize>, message: String, hint: &str) {
        self.html_dropped += 1;
        if self.html_dropped <= HTML_WARNINGS {
            self.problem(Severity::Warning, range, message, Some(hint));
        } else if self.html_unsaid.is_none() {
            self.html_unsaid = Some(range);
        }
    }

    /// Writes the collected text run, turning `{bilaga:ID}` into a link to that bilaga.
    fn flush_text(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        let range = self.text_range.take().unwrap_or(0..0);
        if !self.markdown {
            let out = prose(&text);
            self.push(&out);
            return;
        }
        let mut last = 0;
        for (r, mark) in (self.ctx.marks.find)(&text) {
            let before = self.text_run(&text[last..r.start], &range);
            self.push(&before);
            self.sekretess_mark(mark, &text[r.clone()], &range);
            last = r.end;
        }
        let out = self.text_run(&text[last..], &range);
        if let Some(pos) = text.find("[^") {
            let end = text[pos..].find(']').map_or(text.len(), |e| pos + e + 1);
            let place = self.locate(&text[pos..end], &range);
            self.problem(
                Severity::Error,
                place,
                format!("footnote reference `{}` has no footnote", &text[pos..end]),
                Some("add its text at the end of the file: [^1]: Källa …"),
            );
        }
        self.push(&out);
    }

    /// Markup for a piece of a text run without marks: `{bilaga:ID}` becomes a link to that
    /// bilaga, the rest is escaped.
    fn text_run(&mut self, text: &str, range: &Range<usize>) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut last = 0;
        for (r, id) in bilaga_references(text) {
            out.push_str(&prose(&text[last..r.start]));
            match (self.ctx.bilaga_number)(id) {
                Some(n) => out.push_str(&format!("#link(<bilaga-{n}>)[bilaga {n}]{END}")),
                None => {
                    let place = self.locate(&text[r.clone()], range);
                    self.problem(
                        Severity::Error,
                        place,
                        format!("no bilaga has the id `{id}`"),
                        Some(
                            "the id must be one of the `id`s under [[bilaga]] in the meeting file",
                        ),
                    );
                    out.push_str(&prose(&text[r.clone()]));
                }
            }
            last = r.end;
        }
        out.push_str(&prose(&text[last..]));
        out
    }

    /// A withheld span opens inside a link: the link becomes `#sekretess-link`, which the web
    /// edition prints without its target (an address names the person as well as the text).
    fn withhold_link_target(&mut self) {
        if self.links.last() != Some(&true) {
            return;
        }
        let Some(target) = self.targets.last_mut() else {
            return;
        };
        for piece in target.iter_mut().rev() {
            if let Piece::Markup(m) = piece
                && let Some(at) = m.rfind("#link(")
            {
                m.replace_range(at..at + "#link(".len(), "#sekretess-link(");
                return;
            }
        }
    }

    /// A `{sekretess:…}` or `{/sekretess}` mark: opens or closes a `#sekretess` call, whose
    /// body the web edition replaces with the notice (see [`Marks`]).
    fn sekretess_mark(&mut self, mark: Mark<'_>, written: &str, range: &Range<usize>) {
        let notice = self.ctx.marks.notice;
        let place = self.locate(written, range);
        match (mark, &self.sekretess) {
            (Mark::Open(reason), None) => {
                self.withhold_link_target();
                self.push(&format!(
                    "#sekretess({}, {})[",
                    escape::string_literal(reason),
                    escape::string_literal(&notice(reason))
                ));
                self.sekretess = Some((self.depth, place));
            }
            (Mark::Open(_), Some(_)) => self.problem(
                Severity::Error,
                place,
                "a `{sekretess:…}` span cannot begin inside another".into(),
                Some("close the first with `{/sekretess}` before opening the next"),
            ),
            (Mark::Close, Some((depth, _))) if *depth == self.depth => {
                self.push(CLOSE);
                self.sekretess = None;
            }
            (Mark::Close, Some(_)) => self.problem(
                Severity::Error,
                place,
                "`{/sekretess}` is not at the level its span began at".into(),
                Some(SPAN_HINT),
            ),
            (Mark::Close, None) => self.problem(
                Severity::Error,
                place,
                "`{/sekretess}` closes no `{sekretess:…}` span".into(),
                Some("open the span with `{sekretess:OSL 26 kap. 1 §}` before the text"),
            ),
        }
    }

    /// Closes the open marked span when the structure it began in ends at `depth` (a
    /// paragraph of a list item, an emphasis …): an error, closed so the markup still nests.
    fn close_sekretess_leaving(&mut self, depth: usize) {
        if let Some((open, place)) = self.sekretess.clone()
            && open >= depth
        {
            self.push(CLOSE);
            self.sekretess = None;
            self.problem(
                Severity::Error,
                place,
                "this `{sekretess:…}` span is not closed before the structure it began in ends"
                    .into(),
                Some(SPAN_HINT),
            );
        }
    }

    /// The byte range of `needle` in the source near `within`, or `within` itself.
    fn locate(&self, needle: &str, within: &Range<usize>) -> Range<usize> {
        let hay = self.source.get(within.clone()).unwrap_or("");
        match hay.find(needle) {
            Some(pos) => within.start + pos..within.start + pos + needle.len(),
            None => within.clone(),
        }
    }

    fn finish(mut self) -> Converted {
        self.flush_text();
        self.settle_link();
        if let Some(range) = self.html_unsaid.take() {
            let more = self.html_dropped - HTML_WARNINGS;
            self.problem(
                Severity::Warning,
                range,
                format!("{more} more pieces of raw HTML, from here on, are not printed"),
                Some(HTML_HINT),
            );
        }
        self.close_sekretess_leaving(0);
        let pieces = self.targets.swap_remove(0);
        // Indexed, so a document with many notes is not quadratic.
        let index_of: HashMap<String, usize> = self
            .definition_order
            .iter()
            .enumerate()
            .rev()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        let stopped = self.budget.stopped.is_some();
        // A note first referred to inside a withheld span and again outside one (in the text
        // or in another note) is set at a reference outside: the web edition leaves the span
        // out, and with it the note, which the later references would still point to.
        let mut withheld_first = std::collections::HashSet::new();
        let mut seen = std::collections::HashSet::new();
        let mut defer = std::collections::HashSet::new();
        let nested = self
            .definitions
            .values()
            .flat_map(|(pieces, _)| pieces.iter())
            .filter_map(|p| match p {
                Piece::FootnoteRef { label, .. } => Some((label, false)),
                Piece::Markup(_) => None,
            });
        let top = pieces.iter().filter_map(|p| match p {
            Piece::FootnoteRef {
                label, withheld, ..
            } => Some((label, *withheld)),
            Piece::Markup(_) => None,
        });
        for (label, withheld) in top.chain(nested) {
            let key = footnote_key(label);
            if seen.insert(key.clone()) {
                if withheld {
                    withheld_first.insert(key);
                }
            } else if !withheld && withheld_first.contains(&key) {
                defer.insert(key);
            }
        }
        // Should a deferred note find no reference that writes it (its other references are
        // in notes never set), it is set at its first reference after all.
        let (markup, notes, starts) = loop {
            let (markup, notes, starts) = self.assemble(&pieces, &index_of, stopped, defer.clone());
            let lost: Vec<String> = defer
                .iter()
                .filter(|k| !notes.used.contains(*k))
                .cloned()
                .collect();
            if lost.is_empty() {
                break (markup, notes, starts);
            }
            for k in lost {
                defer.remove(&k);
            }
        };
        let (used, mut problems) = (notes.used, notes.problems);
        self.problems.append(&mut problems);
        // A text stopped at a cap is refused: what was never read is no further problem.
        for label in &self.definition_order {
            if !used.contains(label) && !stopped {
                let range = self.definitions[label].1.clone();
                let label = self
                    .source
                    .get(range.clone())
                    .and_then(|d| d.strip_prefix("[^")?.split_once("]:"))
                    .map_or(label.as_str(), |(l, _)| l);
                self.problems.push(Problem {
                    severity: Severity::Error,
                    range,
                    message: format!(
                        "footnote `[^{label}]` is never referred to, so its text would be lost"
                    ),
                    hint: Some(format!(
                        "put `[^{label}]` where the note belongs, or delete the note"
                    )),
                });
            }
        }
        let lines = joined_lines(&self.lines, &starts, markup.len());
        Converted {
            markup,
            problems: self.problems,
            cells: self.budget.cells(),
            spent: self.budget.spent(),
            first_table: self.first_table,
            lines,
        }
    }

    /// The document's markup with every footnote reference resolved, and where each piece
    /// begins in it; notes in `defer` are set at their first reference outside a withheld
    /// span.
    fn assemble<'i>(
        &self,
        pieces: &[Piece],
        index_of: &'i HashMap<String, usize>,
        stopped: bool,
        defer: std::collections::HashSet<String>,
    ) -> (String, Notes<'i>, Vec<usize>) {
        let mut notes = Notes {
            index_of,
            used: std::collections::HashSet::new(),
            problems: Vec::new(),
            stopped,
            defer,
        };
        let mut markup = String::new();
        let mut starts = Vec::with_capacity(pieces.len());
        for piece in pieces {
            starts.push(markup.len());
            match piece {
                Piece::Markup(m) => markup.push_str(m),
                Piece::FootnoteRef {
                    label,
                    range,
                    withheld,
                } => {
                    let key = footnote_key(label);
                    if *withheld && notes.defer.contains(&key) {
                        if let Some(index) = notes.index_of.get(&key) {
                            // Refers forward to the note, set at a reference outside.
                            let name = format!("{}-fn-{}", self.ctx.label_prefix, index + 1);
                            markup.push_str(&format!("#footnote(<{name}>){END}"));
                        }
                        continue;
                    }
                    self.note_at_reference(&mut notes, label, range, None, &mut markup);
                }
            }
        }
        (markup, notes, starts)
    }

    /// Writes what a footnote reference becomes into `out`: the note at its first reference,
    /// a repeat of its number after that. `inside` is the note whose text holds the
    /// reference: Typst lays out a note inside a note unreliably (typst #6437), so such a
    /// note is set right after the one that refers to it, and the reference shows its
    /// number; the returned labels are those notes, still to be written.
    fn note_at_reference(
        &self,
        notes: &mut Notes,
        label: &str,
        range: &Range<usize>,
        inside: Option<&str>,
        out: &mut String,
    ) -> Vec<String> {
        let key = footnote_key(label);
        let Some(&index) = notes.index_of.get(&key) else {
            if notes.stopped {
                // Its note may lie past the cap, never read.
                return Vec::new();
            }
            notes.problems.push(Problem {
                severity: Severity::Error,
                range: range.clone(),
                message: format!("footnote reference `[^{label}]` has no footnote"),
                hint: Some("add its text at the end of the file: [^1]: Källa …".to_owned()),
            });
            return Vec::new();
        };
        let name = format!("{}-fn-{}", self.ctx.label_prefix, index + 1);
        if inside == Some(key.as_str()) {
            notes.problems.push(Problem {
                severity: Severity::Warning,
                range: range.clone(),
                message: format!(
                    "footnote `[^{label}]` refers to itself; the reference is left out"
                ),
                hint: None,
            });
            return Vec::new();
        }
        if !notes.used.insert(key.clone()) {
            out.push_str(&format!("#footnote(<{name}>){END}"));
            return Vec::new();
        }
        if let Some(outer) = inside {
            notes.problems.push(Problem {
                severity: Severity::Warning,
                range: range.clone(),
                message: format!(
                    "footnote `[^{label}]` is referred to inside footnote `[^{outer}]`; a note cannot hold a note, so it is set as the next note, its number shown at both places"
                ),
                hint: Some("refer to it from the text instead, or write its text into the note".to_owned()),
            });
            out.push_str(&format!("#footnote(<{name}>){END}"));
            return vec![key];
        }
        self.write_note(notes, &key, out);
        Vec::new()
    }

    /// Writes note `key` (not yet written) and, right after it, the notes its text refers
    /// to for the first time (a queue, not recursion: a chain of notes is input-sized).
    fn write_note(&self, notes: &mut Notes, key: &str, out: &mut String) {
        let mut queue = std::collections::VecDeque::from([key.to_owned()]);
        while let Some(key) = queue.pop_front() {
            let index = notes.index_of[&key];
            let name = format!("{}-fn-{}", self.ctx.label_prefix, index + 1);
            let mut body = String::new();
            for p in &self.definitions[&key].0 {
                match p {
                    Piece::Markup(m) => body.push_str(m),
                    Piece::FootnoteRef { label, range, .. } => {
                        let more =
                            self.note_at_reference(notes, label, range, Some(&key), &mut body);
                        queue.extend(more);
                    }
                }
            }
            // The no-break space separates the note's number from its text on the page (and
            // for text extraction), as a word processor does; a plain space would be absorbed.
            out.push_str(&format!("#footnote[~{}]<{name}>", body.trim()));
        }
    }
}

/// Footnotes while the output is assembled: which are written, and what went wrong.
struct Notes<'i> {
    index_of: &'i HashMap<String, usize>,
    used: std::collections::HashSet<String>,
    problems: Vec<Problem>,
    /// The text was stopped at a cap: a reference whose note was never read is no problem.
    stopped: bool,
    /// Notes first referred to inside a withheld span and later outside one: set at the
    /// first reference outside.
    defer: std::collections::HashSet<String>,
}

/// Raw HTML left out, each named in its own warning; the rest are counted in one.
const HTML_WARNINGS: usize = 20;

const HTML_HINT: &str = "HTML is not part of a protocol: write the text as Markdown (**fet**, *kursiv*, [länk](https://…)), or attach the document as PDF";

const SPAN_HINT: &str = "a span may cover words or whole paragraphs, but must end in the list item, table cell, \
emphasis, link or note it began in: close it with `{/sekretess}` there and open another after";

/// Structure whose markup is bracketed (`#emph[`…`]`, `#list(`…`)`, `#table(`…`)` and its
/// cells, a note's own target): a marked span may not cross its edge. Paragraphs and table
/// rows (no markup of their own) are not bracketed.
fn bracketed(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Paragraph
            | Tag::Image { .. }
            | Tag::HtmlBlock
            | Tag::TableRow
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
    )
}

fn bracketed_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Image
            | TagEnd::HtmlBlock
            | TagEnd::TableRow
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_)
    )
}

/// Content blocks in which Typst allows no page break (lists and notes are counted apart).
fn inline_container(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
    )
}

fn inline_container_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
    )
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The caps the tests convert with: a reader's, as the meeting's texts are converted.
    const CAPS: &Caps = &crate::bilaga::limits::TEXT_CAPS;

    fn convert(md: &str) -> Converted {
        let numbers = |id: &str| (id == "saco").then_some(2);
        let images = |p: &str| Ok(format!("/{p}"));
        let ctx = Context {
            bilaga_number: &numbers,
            label_prefix: "b2",
            heading_offset: 1,
            resolve_image: &images,
            caps: CAPS,
            marks: &crate::publish::marks::SEKRETESS,
            meeting: Spent::default(),
        };
        to_typst(md, &ctx)
    }

    #[test]
    fn each_markdown_line_is_mapped_to_where_its_markup_begins() {
        let md = "Första stycket.\n\nAndra stycket,\nockså *varmt* här.\n\n- en punkt";
        let c = convert(md);
        let lines: Vec<(&str, &str)> = c
            .lines
            .iter()
            .map(|&(m, s)| (&c.markup[m..], md[s..].lines().next().unwrap()))
            .collect();
        let starting = |text: &str| {
            lines
                .iter()
                .find(|(_, line)| *line == text)
                .unwrap_or_else(|| panic!("{text} is mapped: {lines:?}"))
                .0
        };
        assert!(starting("Första stycket.").starts_with("Första"));
        assert!(starting("Andra stycket,").contains("Andra"));
        // The line after a soft break begins with its own text.
        assert!(
            starting("också *varmt* här.").starts_with("också"),
            "{lines:?}"
        );
        assert!(starting("- en punkt").contains("en punkt"));
        // In order, one a line.
        assert!(
            c.lines
                .windows(2)
                .all(|w| w[0].0 <= w[1].0 && w[0].1 < w[1].1)
        );
    }

    #[test]
    fn text_is_escaped_and_structure_becomes_calls() {
        let out = convert("Hej *du* och **ni** #x $y$\n\n- a\n- b\n");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert!(
            out.markup
                .contains("Hej #emph[du]; och #strong[ni]; \\#x \\$y\\$"),
            "{}",
            out.markup
        );
        assert!(out.markup.contains("#list([a], [b], )"), "{}", out.markup);
    }

    /// Prose is composed, wherever it stands; code, an image's file and a link's address
    /// are kept as written, and a problem is placed in the text as written.
    #[test]
    fn prose_is_composed_and_targets_kept() {
        let md = "# O\u{308}versikt\n\nBjo\u{308}rn *A\u{30A}sa* `o\u{308}` \
                  [la\u{308}nk](https://example.org/o\u{308}) ![Ka\u{308}rta](ka\u{308}rta.png) \
                  o\u{308} {bilaga:nej}\n";
        let out = convert(md);
        let m = &out.markup;
        assert!(
            m.contains("Översikt") && m.contains("Björn #emph[Åsa];"),
            "{m}"
        );
        assert!(m.contains("#raw(\"o\u{308}\")"), "{m}");
        assert!(
            m.contains("https://example.org/o\u{308}") && m.contains("[länk]"),
            "{m}"
        );
        assert!(m.contains("/ka\u{308}rta.png"), "{m}");
        assert!(!m.contains("o\u{308}v") && !m.contains("jo\u{308}"), "{m}");
        let [p] = &out.problems[..] else {
            panic!("{:?}", out.problems)
        };
        assert_eq!(&md[p.range.clone()], "{bilaga:nej}");
    }

    /// A GFM table becomes a Typst table: the header row repeats and is bold, the
    /// delimiter row's alignments are kept, cell text is escaped like any other.
    #[test]
    fn a_table_becomes_a_table_with_its_header_and_alignments() {
        let md =
            "| Nr | Vad | Status |\n|---:|---|:---:|\n| 1 | #set page() | *klar* |\n| 2 | x |\n";
        let out = convert(md);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert!(
            out.markup.contains(
                "#table(columns: 3, align: (right, auto, center,), table.header(repeat: true, \
                 [#strong[Nr];], [#strong[Vad];], [#strong[Status];], ), \
                 [1], [\\#set page()], [#emph[klar];], [2], [x], [], )"
            ),
            "{}",
            out.markup
        );
        assert!(!out.markup.contains("|"), "{}", out.markup);
    }

    /// A header row with a footnote or a link is set once, not repeated (a repeat is an
    /// artifact: PDF/UA forbids it a link, and the note would be set twice); one too long to
    /// repeat is set as ordinary rows, which may break across pages.
    #[test]
    fn a_header_row_repeats_unless_it_holds_a_note_or_a_link_or_is_too_long() {
        let body = "|---|---|\n| 1 | 2 |\n";
        let plain = convert(&format!("| a | b |\n{body}"));
        assert!(
            plain.markup.contains("table.header(repeat: true, "),
            "{}",
            plain.markup
        );
        for header in [
            "| a[^n] | b |",
            "| [a](https://stockholm.se) | b |",
            "| <https://stockholm.se> | b |",
            "| se {bilaga:saco} | b |",
        ] {
            let out = convert(&format!("{header}\n{body}\n[^n]: Not.\n"));
            assert!(
                out.markup.contains("table.header(repeat: false, "),
                "{header}: {}",
                out.markup
            );
        }
        let after_backslash = convert(&format!("| C:\\\\[a](https://stockholm.se) | b |\n{body}"));
        assert!(
            after_backslash
                .markup
                .contains("table.header(repeat: false, "),
            "{}",
            after_backslash.markup
        );
        let escaped = convert(&format!("| \\#link(x) | b |\n{body}"));
        assert!(
            escaped.markup.contains("table.header(repeat: true, "),
            "{}",
            escaped.markup
        );
        let long = convert(&format!("| {} | b |\n{body}", "ord ".repeat(400)));
        assert!(!long.markup.contains("table.header"), "{}", long.markup);
        assert!(long.markup.contains("[#strong[ord ord"), "{}", long.markup);
        assert!(long.markup.contains("], [1], [2], )"), "{}", long.markup);
    }

    /// An image in a table cell takes its column's share of the text area, not all of it
    /// (which squeezed the other columns to slivers); elsewhere the text area's width.
    #[test]
    fn an_image_in_a_cell_takes_its_columns_share() {
        let out = convert(
            "![Karta](karta.png)\n\n| Bild | Text | Mer | Mest |\n|---|---|---|---|\n| ![Logga](logga.png) | ord | ord | ord |\n",
        );
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert!(
            out.markup.contains("alt: \"Karta\", width: 100%)"),
            "{}",
            out.markup
        );
        assert!(
            out.markup.contains("alt: \"Logga\", width: 105.0pt)"),
            "{}",
            out.markup
        );
    }

    /// Cells beyond the header's columns, which GFM drops, are named at their place.
    #[test]
    fn cells_beyond_the_header_are_named_where_they_stand() {
        let md = "| a | b |\n|---|---|\n| 1 | 2 | tre | fyra |\n| 5 | 6 |\n";
        let out = convert(md);
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        let p = &out.problems[0];
        assert_eq!(p.severity, Severity::Warning);
        assert_eq!(&md[p.range.clone()], "tre | fyra");
        assert!(p.message.contains("2 columns"), "{}", p.message);
    }

    /// Tables are capped like a DOCX's: columns per table, cells per text (issue 13).
    #[test]
    fn a_table_wider_than_the_cap_or_with_too_many_cells_is_refused_at_its_place() {
        let wide = format!("Text\n\n|{}\n|{}\n", "a|".repeat(65), "-|".repeat(65));
        let out = convert(&wide);
        let p = out
            .problems
            .iter()
            .find(|p| p.severity == Severity::Error)
            .expect("refused");
        assert!(p.message.contains("65 columns"), "{}", p.message);
        assert!(p.message.contains("cap: table columns"), "{}", p.message);
        assert_eq!(&wide[p.range.clone()], format!("|{}", "a|".repeat(65)));
        let widest = format!("Text\n\n|{}\n|{}\n", "a|".repeat(64), "-|".repeat(64));
        let out = convert(&widest);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert!(out.markup.contains("#table(columns: 64,"));

        let rows = "|x|y|\n".repeat(25_001);
        let many = format!("|a|b|\n|-|-|\n{rows}");
        let out = convert(&many);
        assert!(
            out.problems
                .iter()
                .any(|p| p.severity == Severity::Error && p.message.contains("cap: table cells")),
            "{:?}",
            out.problems.first()
        );
    }

    /// A withheld span must close in the cell it began in.
    #[test]
    fn a_sekretess_span_may_not_leave_its_table_cell() {
        let md = "| a | b |\n|---|---|\n| {sekretess:OSL 21:1}x | y{/sekretess} |\n";
        let out = convert(md);
        assert!(
            out.problems.iter().any(|p| p.severity == Severity::Error
                && p.message.contains("not closed before the structure")),
            "{:?}",
            out.problems
        );
    }

    #[test]
    fn bilaga_reference_becomes_numbered_link() {
        let out = convert("se {bilaga:saco}.");
        assert!(
            out.markup.contains("se #link(<bilaga-2>)[bilaga 2];\\."),
            "{}",
            out.markup
        );
    }

    #[test]
    fn unknown_bilaga_reference_is_located() {
        let md = "Text\n\nse {bilaga:okand} nu";
        let out = convert(md);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(&md[out.problems[0].range.clone()], "{bilaga:okand}");
    }

    #[test]
    fn footnotes_are_placed_at_reference_and_repeats_reuse_label() {
        let out =
            convert("Ett[^1] två[^a] tre[^1].\n\n[^1]: SOU 2020:41.\n[^a]: <https://x.se/a>\n");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert!(
            out.markup
                .contains("Ett#footnote[~SOU 2020\\:41\\.]<b2-fn-1>"),
            "{}",
            out.markup
        );
        assert!(
            out.markup
                .contains("två#footnote[~#link(\"https://x.se/a\")"),
            "{}",
            out.markup
        );
        assert!(
            out.markup.contains("tre#footnote(<b2-fn-1>)"),
            "{}",
            out.markup
        );
    }

    #[test]
    fn missing_and_unused_footnotes_are_errors() {
        let out = convert("Text[^9].\n\n[^1]: Oanvänd.\n");
        let messages: Vec<_> = out.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains("[^9]")), "{messages:?}");
        assert!(
            messages.iter().any(|m| m.contains("never referred")),
            "{messages:?}"
        );
    }

    #[test]
    fn code_prints_literally() {
        let out = convert("`#kod`");
        assert!(out.markup.contains("#raw(\"#kod\");"), "{}", out.markup);
    }

    /// Raw HTML is never printed (issue 23): a comment is what its author hid, a tag is web
    /// markup; each is named at its place, the text between tags stays, `<br>` breaks.
    #[test]
    fn html_is_left_out_with_a_warning_and_br_is_a_line_break() {
        let md = "<b>fet</b> och<br>ny <!-- dold --> rad\n\n<!--\nINTERN\n-->\n\n<div>\nhemlig\n</div>\n";
        let out = convert(md);
        assert!(
            out.markup.contains("fet och#linebreak();ny  rad"),
            "{}",
            out.markup
        );
        for hidden in ["dold", "INTERN", "hemlig", "div", "\\<"] {
            assert!(!out.markup.contains(hidden), "{hidden}: {}", out.markup);
        }
        let places: Vec<&str> = out.problems.iter().map(|p| &md[p.range.clone()]).collect();
        assert_eq!(
            places,
            [
                "<b>",
                "</b>",
                "<!-- dold -->",
                "<!--\nINTERN\n-->\n",
                "<div>\nhemlig\n</div>\n"
            ],
            "{:?}",
            out.problems
        );
        assert!(out.problems.iter().all(|p| p.severity == Severity::Warning));
        assert!(out.problems[4].message.contains("`<div> hemlig </div>`"));
        // Thousands of tags: twenty warnings and one for the rest.
        let many = convert(&"<i>x</i> ".repeat(500));
        assert_eq!(
            many.problems.len(),
            HTML_WARNINGS + 1,
            "{:?}",
            many.problems.last()
        );
        assert!(many.problems[HTML_WARNINGS].message.starts_with("980 more"));
    }

    /// Every inline construct followed by any character: each call ends where its markup
    /// ends, so nothing after it is read as its argument (issue 23: `#emph[41](11–12)`). The
    /// real binary typesets the same matrix in `tests/it/markup_boundaries.rs`.
    #[test]
    fn no_call_reads_on_into_the_character_after_it() {
        let constructs = [
            "*a*",
            "**a**",
            "~~a~~",
            "`a`",
            "[a](https://x.se)",
            "[a][r]",
            "<https://x.se>",
            "![a](x.png)",
            "a[^1]",
            "{bilaga:saco}",
            "a\\\n",
            "a<br>",
            "a<!-- c -->",
            "{sekretess:OSL 1}a{/sekretess}",
            "[a ![b](x.png) c](https://x.se)",
            "<b>a</b>",
        ];
        let followers = [
            "(", "[", ".", "a", "1", "*", "_", "`", "#", "$", "\\", "<", "@", "=", "-", "+", "/",
            ":", ";", "~", " ", "\n", "(1)", "[1]", ".x", "{", "]", ")", "'", "\"",
        ];
        for c in constructs {
            for f in followers {
                let md = format!("x {c}{f}beta\n\n[r]: https://x.se\n\n[^1]: Not.\n");
                let out = convert(&md);
                if let Some(why) = boundary::continued_call(&out.markup) {
                    panic!("`{c}` + `{f}`: {why}\n{}", out.markup);
                }
                let text = crate::publish::markup_text(&out.markup, true);
                assert!(text.contains("beta"), "`{c}` + `{f}`: {text}");
            }
        }
    }

    /// The budgets of issue 29: inline elements per paragraph, links and reference links
    /// per text, code-block lines; each refused at the element that goes over.
    #[test]
    fn inline_elements_links_references_and_code_lines_are_capped() {
        let n = CAPS.inline_elements.value as usize;
        assert_eq!(stopped_at(&convert(&"`a` ".repeat(n))), None);
        let md = "`a` ".repeat(n + 1);
        let out = convert(&md);
        assert!(stopped_at(&out).unwrap().contains("(cap: inline elements)"));
        assert_eq!(out.problems[0].range.start, n * 4);
        let paragraphs = format!("{}\n\n", "`a` ".repeat(n)).repeat(3);
        assert_eq!(stopped_at(&convert(&paragraphs)), None);

        let links = |k: usize| "[a](https://x.se)\n\n".repeat(k);
        assert_eq!(
            stopped_at(&convert(&links(CAPS.links.value as usize))),
            None
        );
        let over = convert(&links(CAPS.links.value as usize + 1));
        assert!(stopped_at(&over).unwrap().contains("(cap: links)"));

        let url = "a".repeat(899);
        let refs = |k: usize| format!("{}\n\n[x]: {url}\n", "[x]\n\n".repeat(k));
        assert_eq!(stopped_at(&convert(&refs(100))), None);
        let over = convert(&refs(101));
        assert!(
            stopped_at(&over)
                .unwrap()
                .contains("(cap: reference links)")
        );

        let code = |k: usize| format!("```\n{}```\n", "x\n".repeat(k));
        assert_eq!(
            stopped_at(&convert(&code(CAPS.code_lines.value as usize))),
            None
        );
        let over = convert(&code(CAPS.code_lines.value as usize + 1));
        assert!(stopped_at(&over).unwrap().contains("(cap: code lines)"));
    }

    #[test]
    fn code_blocks_become_raw_strings() {
        let out = convert("```\n#let x = [*a*]\n```\n");
        assert!(
            out.markup
                .contains("#raw(block: true, \"#let x = [*a*]\\n\")"),
            "{}",
            out.markup
        );
    }

    /// The problem a text stopped at `cap` has, if it was stopped.
    fn stopped_at(out: &Converted) -> Option<String> {
        out.problems
            .iter()
            .find(|p| p.message.contains("(cap: "))
            .map(|p| p.message.clone())
    }

    #[test]
    fn text_length_is_capped() {
        let under = "å ".repeat(CAPS.text_chars.value as usize / 2);
        assert_eq!(stopped_at(&convert(&under)), None);
        let over = format!("{under}x");
        let out = convert(&over);
        let message = stopped_at(&out).expect("stopped");
        assert!(message.contains("(cap: text length)"), "{message}");
        assert!(message.starts_with("the text stops here"), "{message}");
    }

    /// One word no line can hold took Typst minutes (issue 13: 300 kB of brackets, which the
    /// inline elements of a paragraph now stop first: each `[` is escaped, an element).
    #[test]
    fn word_length_is_capped() {
        let word = "x".repeat(CAPS.word_chars.value as usize);
        assert_eq!(stopped_at(&convert(&format!("{word} {word}"))), None);
        let out = convert(&format!("ett {word}x två"));
        let message = stopped_at(&out).expect("stopped");
        assert!(message.contains("(cap: word length)"), "{message}");
        let brackets = convert(&"[".repeat(300_000));
        assert!(stopped_at(&brackets).is_some());
    }

    #[test]
    fn paragraphs_are_capped() {
        let under = "a\n\n".repeat(CAPS.blocks.value as usize);
        assert_eq!(stopped_at(&convert(&under)), None);
        let over = format!("{under}b\n");
        let out = convert(&over);
        assert!(stopped_at(&out).unwrap().contains("(cap: paragraphs)"));
        // Located at the paragraph that went over.
        let p = out
            .problems
            .iter()
            .find(|p| p.message.contains("cap"))
            .unwrap();
        assert_eq!(p.range.start, under.len());
    }

    #[test]
    fn footnotes_are_capped() {
        let notes = CAPS.footnotes.value as usize / 2;
        let text = |n: usize| {
            let refs: String = (0..n).map(|i| format!("x[^{i}]\n\n")).collect();
            let defs: String = (0..n).map(|i| format!("[^{i}]: n\n\n")).collect();
            format!("{refs}\n\n{defs}")
        };
        let under = convert(&text(notes));
        assert_eq!(stopped_at(&under), None, "{:?}", under.problems.first());
        assert!(under.problems.is_empty());
        let over = convert(&text(notes + 1));
        assert!(stopped_at(&over).unwrap().contains("(cap: footnotes)"));
        // Nothing after the stop is reported besides it.
        assert_eq!(over.problems.len(), 1, "{:?}", over.problems);
    }

    #[test]
    fn nesting_is_capped() {
        let quotes = |n: usize| format!("{}x\n", "> ".repeat(n));
        assert_eq!(
            stopped_at(&convert(&quotes(CAPS.nesting.value as usize))),
            None
        );
        let out = convert(&quotes(CAPS.nesting.value as usize + 1));
        assert!(stopped_at(&out).unwrap().contains("(cap: nesting depth)"));
        let lists = |n: usize| {
            (0..n)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect::<String>()
        };
        assert_eq!(
            stopped_at(&convert(&lists(CAPS.nesting.value as usize))),
            None
        );
        let out = convert(&lists(CAPS.nesting.value as usize + 1));
        assert!(stopped_at(&out).unwrap().contains("(cap: nesting depth)"));
    }

    #[test]
    fn sekretess_span_becomes_a_call_with_reason_and_notice() {
        let out = convert("Sökande {sekretess:OSL 26 kap. 1 §}Åsa *Lind*{/sekretess} fick bidrag.");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert!(
            out.markup.contains(
                "Sökande #sekretess(\"OSL 26 kap. 1 §\", \"[Uppgift borttagen enligt OSL 26 kap. 1 §]\")[Åsa #emph[Lind];]; fick bidrag\\."
            ),
            "{}",
            out.markup
        );
    }

    #[test]
    fn sekretess_span_over_paragraphs_keeps_its_footnote_inside() {
        let out =
            convert("{sekretess:personuppgift}Ett[^1].\n\nTvå.{/sekretess} Tre.\n\n[^1]: Not.\n");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert!(out.markup.starts_with("#sekretess("), "{}", out.markup);
        assert!(
            out.markup
                .contains("Ett#footnote[~Not\\.]<b2-fn-1>\\.\n\nTvå\\.]; Tre"),
            "{}",
            out.markup
        );
    }

    #[test]
    fn sekretess_span_crossing_structure_is_an_error_and_the_markup_still_nests() {
        let md = "- a {sekretess:personuppgift}b\n- c{/sekretess}\n";
        let out = convert(md);
        let places: Vec<&str> = out.problems.iter().map(|p| &md[p.range.clone()]).collect();
        assert_eq!(
            places,
            ["{sekretess:personuppgift}", "{/sekretess}"],
            "{:?}",
            out.problems
        );
        let opens = out.markup.matches('[').count() - out.markup.matches("\\[").count();
        let closes = out.markup.matches(']').count() - out.markup.matches("\\]").count();
        assert_eq!(opens, closes, "{}", out.markup);
    }

    #[test]
    fn unclosed_and_stray_sekretess_marks_are_located() {
        let md = "{/sekretess} och {sekretess:x}öppen";
        let out = convert(md);
        let places: Vec<&str> = out.problems.iter().map(|p| &md[p.range.clone()]).collect();
        assert_eq!(
            places,
            ["{/sekretess}", "{sekretess:x}"],
            "{:?}",
            out.problems
        );
    }

    #[test]
    fn headings_never_skip_a_level() {
        let out = convert("### Djup\n\ntext");
        assert!(out.markup.contains("#heading(level: 2,"), "{}", out.markup);
    }
}
