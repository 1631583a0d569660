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
