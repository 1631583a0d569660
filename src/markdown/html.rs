//! Raw HTML in Markdown (issue 23): never printed, neither in the protocol nor in the web
//! edition or on the site. A comment (`<!-- intern anteckning -->`) is what the author hid, as
//! GitHub, VS Code and pandoc show it; any other tag is markup for a web page, not text of
//! the protocol. `<br>` is the one tag with a meaning on paper: a line break. Shared by the
//! converter and the site's `md` filter, so that both hide the same.

/// What a piece of raw HTML is, as far as the protocol cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Html {
    /// `<!-- … -->`: hidden by its author.
    Comment,
    /// `<br>`, `<br/>`, `<br />` (any case, with attributes, or `</br>` as browsers read it).
    LineBreak,
    /// Any other tag, declaration or processing instruction.
    Other,
}

/// The Markdown as published: `markdown` without what the protocol leaves out of it — every
/// HTML block and every inline tag or comment but `<br>` — cut at the parser's own byte
/// offsets, so that a `<!--` in a code span or code block (text, printed) stays. The records
/// (official and web) carry this, and the site's search indexes what they carry: a comment
/// the PDF hides must not be findable there. A block's line breaks stay (the paragraphs
/// around it stay apart); an inline comment goes whole, line breaks too (its paragraph stays
/// one, and no line of it can start a new block).
pub(crate) fn published(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut cuts: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
    let mut in_block = false;
    for (event, range) in Parser::new_ext(markdown, super::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => in_block = true,
            Event::End(TagEnd::HtmlBlock) => in_block = false,
            Event::Html(_) if in_block => cuts.push((range, true)),
            Event::Html(t) | Event::InlineHtml(t) if kind(&t) != Html::LineBreak => {
                cuts.push((range, false));
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(markdown.len());
    let mut last = 0;
    for (range, block) in cuts {
        // Events come in document order; a range never starts before the last cut's end.
        let start = range.start.max(last);
        out.push_str(&markdown[last..start]);
        if block {
            out.extend(markdown[start..range.end].chars().filter(|&c| c == '\n'));
        }
        last = last.max(range.end);
    }
    out.push_str(&markdown[last..]);
    out
}

/// What the raw HTML `html` (one inline HTML event) is.
pub(crate) fn kind(html: &str) -> Html {
    let html = html.trim();
    if html.starts_with("<!--") {
        return Html::Comment;
    }
    let name = html
        .strip_prefix("</")
        .or_else(|| html.strip_prefix('<'))
        .unwrap_or("");
    let is_br = name.len() >= 2
        && name[..2].eq_ignore_ascii_case("br")
        && name[2..]
            .chars()
            .next()
            .is_some_and(|c| c == '>' || c == '/' || c.is_ascii_whitespace());
    if is_br { Html::LineBreak } else { Html::Other }
}

/// What an HTML block (its whole text) holds besides comments and `<br>` tags, trimmed: the
/// part a reader would miss; empty when the block is only comments and breaks.
pub(crate) fn block_rest(block: &str) -> String {
    let mut rest = String::new();
    let mut from = block;
    while let Some(at) = from.find("<!--") {
        rest.push_str(&from[..at]);
        match from[at + 4..].find("-->") {
            Some(end) => from = &from[at + 4 + end + 3..],
            None => {
                from = "";
            }
        }
    }
    rest.push_str(from);
    // `<br>` tags alone say nothing.
    let mut out = String::new();
    let mut text = rest.as_str();
    while let Some(at) = text.find('<') {
        out.push_str(&text[..at]);
        let tag_end = text[at..].find('>').map_or(text.len(), |e| at + e + 1);
        if kind(&text[at..tag_end]) != Html::LineBreak {
            out.push_str(&text[at..tag_end]);
        }
        text = &text[tag_end..];
    }
    out.push_str(text);
    out.trim().to_owned()
}

/// Whether the block holds a comment.
pub(crate) fn has_comment(block: &str) -> bool {
    block.contains("<!--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_markdown_drops_comments_and_tags_but_not_code() {
        let md = "Före <!-- intern: sjuk --> efter<br>\n\n<!--\nblock\n-->\n\n\
                  `<!-- kod -->` och <span>text</span>\n\n```\n<!-- i kod -->\n```\n";
        let out = published(md);
        assert!(!out.contains("intern") && !out.contains("block"), "{out}");
        assert!(!out.contains("<span>") && out.contains("text"), "{out}");
        assert!(
            out.contains("`<!-- kod -->`") && out.contains("<!-- i kod -->"),
            "{out}"
        );
        assert!(out.contains("efter<br>"), "{out}");
    }

    #[test]
    fn comments_breaks_and_other_tags_are_told_apart() {
        assert_eq!(kind("<!-- dold -->"), Html::Comment);
        for br in [
            "<br>",
            "<br/>",
            "<br />",
            "<BR>",
            "</br>",
            "<br class=\"x\">",
        ] {
            assert_eq!(kind(br), Html::LineBreak, "{br}");
        }
        for other in [
            "<b>",
            "</b>",
            "<bra>",
            "<!DOCTYPE html>",
            "<?php ?>",
            "<span>",
        ] {
            assert_eq!(kind(other), Html::Other, "{other}");
        }
    }

    #[test]
    fn a_block_of_comments_and_breaks_has_nothing_else() {
        assert_eq!(block_rest("<!-- a -->\n<br>\n<!-- b\n\nc -->\n"), "");
        assert_eq!(
            block_rest("<div>\nText <!-- x --></div>"),
            "<div>\nText </div>"
        );
        assert_eq!(block_rest("<!-- never closed"), "");
    }
}
