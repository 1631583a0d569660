//! The site's pages from minijinja HTML templates (`templates/site/`, compiled in), with
//! HTML auto-escaping: every value from a meeting is escaped where it is written, and the
//! one filter that makes markup (`md`, a meeting's Markdown) leaves the text's own HTML out
//! (comments, tags, HTML blocks: as in the PDF, [`crate::markdown::html`]; `<br>` is a line
//! break), drops links that are not http(s) or mailto, and images, and makes its headings
//! paragraphs (the page's heading order is the template's). No text of a meeting can become
//! markup or script.

use minijinja::{Environment, Value};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::markdown::html;

/// The templates and the stylesheet, as shipped.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/site/base.html")),
    (
        "index.html",
        include_str!("../../templates/site/index.html"),
    ),
    (
        "coming.html",
        include_str!("../../templates/site/coming.html"),
    ),
    (
        "years.html",
        include_str!("../../templates/site/years.html"),
    ),
    (
        "organ.html",
        include_str!("../../templates/site/organ.html"),
    ),
    (
        "organ_year.html",
        include_str!("../../templates/site/organ_year.html"),
    ),
    (
        "meeting.html",
        include_str!("../../templates/site/meeting.html"),
    ),
    (
        "person.html",
        include_str!("../../templates/site/person.html"),
    ),
    (
        "person_year.html",
        include_str!("../../templates/site/person_year.html"),
    ),
    (
        "persons.html",
        include_str!("../../templates/site/persons.html"),
    ),
    (
        "search.html",
        include_str!("../../templates/site/search.html"),
    ),
];

/// The one stylesheet, `site.css`.
pub const CSS: &str = include_str!("../../templates/site/site.css");

/// The search page's script, `sok.js`: starts Pagefind's UI and runs the query in `?q=`.
pub(crate) const SEARCH_JS: &str = include_str!("../../templates/site/sok.js");

/// The template environment. Templates named `*.html` are auto-escaped (minijinja's
/// default for the extension).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    for (name, text) in FILES {
        env.add_template(name, text)
            .expect("the site's templates parse (tested)");
    }
    env.add_filter("md", |text: Option<String>| {
        Value::from_safe_string(markdown(text.as_deref().unwrap_or("")))
    });
    env.add_filter("url", |text: String| Value::from_safe_string(url(&text)));
    env.add_filter("said", |text: String, by: String, verb: String| {
        Value::from_safe_string(said(&text, &by, &verb))
    });
    env.add_filter("because", |reason: String| because(&reason));
    env.add_filter("long_date", |iso: String| long_date(&iso).unwrap_or(iso));
    env.add_filter("vote", |option: String| match option.as_str() {
        "yes" => "Ja",
        "no" => "Nej",
        _ => "Avstår",
    });
    env
}

/// Renders one page. An error here is a bug in a template (they are compiled in).
pub fn render(env: &Environment<'_>, template: &str, ctx: Value) -> String {
    env.get_template(template)
        .and_then(|t| t.render(ctx))
        .unwrap_or_else(|e| panic!("site template {template}: {e:#}"))
}

/// A path or file name for an `href`, percent-encoded except for letters, digits and
/// `/ . - _ ~ #` (so the result is safe in an attribute as it is).
pub fn url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/.-_~#".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An FVG statement as the protocol prints it, "**by** verb text": the speaker and the verb
/// open the text's first paragraph.
pub fn said(text: &str, by: &str, verb: &str) -> String {
    let lead = format!("<strong>{}</strong> {} ", escape(by), escape(verb));
    let body = markdown(text);
    match body.strip_prefix("<p>") {
        Some(rest) => format!("<p>{lead}{rest}"),
        None => format!("<p>{}</p>\n{body}", lead.trim_end()),
    }
}

/// "2015-05-07" → "7 maj 2015", as the protocol prints a date; `None` for anything else.
pub(crate) fn long_date(iso: &str) -> Option<String> {
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    Some(crate::swedish::long_date(date))
}

/// Why something is not published, as the web edition words it: a rule is cited "enligt
/// OSL 26 kap. 1 §", a kind of data is named "(skäl: personuppgift)" ("enligt personuppgift"
/// is no Swedish).
pub fn because(reason: &str) -> String {
    let reason = reason.trim();
    if reason.contains(|c: char| c.is_ascii_digit() || c == '§') {
        format!("enligt {reason}")
    } else {
        format!("(skäl: {reason})")
    }
}

/// Text as HTML text (for values joined into markup here rather than in a template).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// A meeting's Markdown as HTML that carries no markup of its own (see the module doc).
pub fn markdown(text: &str) -> String {
    let mut skip_link = Vec::new();
    // Tables as in the PDF (GFM pipe tables); the rest is CommonMark.
    let events =
        Parser::new_ext(text, pulldown_cmark::Options::ENABLE_TABLES).filter_map(|ev| match ev {
            // Never printed, as in the protocol: a comment is what its author hid.
            Event::InlineHtml(t) if html::kind(&t) == html::Html::LineBreak => {
                Some(Event::HardBreak)
            }
            Event::Html(_) | Event::InlineHtml(_) => None,
            Event::Start(Tag::Link { dest_url, .. }) => {
                let ok = ["https://", "http://", "mailto:"]
                    .iter()
                    .any(|p| dest_url.to_ascii_lowercase().starts_with(p));
                skip_link.push(!ok);
                if ok {
                    Some(Event::Start(Tag::Link {
                        link_type: pulldown_cmark::LinkType::Inline,
                        dest_url,
                        title: "".into(),
                        id: "".into(),
                    }))
                } else {
                    None
                }
            }
            Event::End(TagEnd::Link) => match skip_link.pop() {
                Some(false) => Some(Event::End(TagEnd::Link)),
                _ => None,
            },
            // An image's alt text stays, as text.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
            Event::Start(Tag::Heading { .. }) => Some(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::Heading(_)) => Some(Event::End(TagEnd::Paragraph)),
            other => Some(other),
        });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_a_table_on_the_site_too() {
        let h = markdown("| Nr | Vad |\n|---|---|\n| 1 | <b>x</b> |\n");
        assert!(h.contains("<table>") && h.contains("<th>Nr</th>"), "{h}");
        assert!(h.contains("<td>x</td>"), "{h}");
        assert!(!h.contains('|'), "{h}");
    }

    /// The text's own HTML is left out as in the PDF: no tag, no script, no comment (what
    /// its author hid) reaches the page; the text between inline tags stays; `<br>` breaks.
    #[test]
    fn markdown_leaves_html_and_comments_out() {
        let h = markdown("<script>alert(1)</script> <b>html</b> &lol;");
        assert!(!h.contains("script") && !h.contains("alert"), "{h}");
        let h = markdown(
            "Före.\n\n<!-- INTERN ANTECKNING -->\n\nEfter <!-- dold --> <b>fet</b> text<br>rad.\n",
        );
        assert!(!h.contains("INTERN") && !h.contains("dold"), "{h}");
        assert!(!h.contains("<b>") && !h.contains("&lt;"), "{h}");
        assert!(h.contains("fet") && h.contains("<br />"), "{h}");
    }

    #[test]
    fn markdown_drops_javascript_links_and_images() {
        let h = markdown("[click](javascript:alert(1)) ![img](/etc/passwd) [ok](https://x.se)");
        assert!(!h.contains("javascript"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("click"), "{h}");
        assert!(h.contains("<a href=\"https://x.se\">ok</a>"), "{h}");
    }

    #[test]
    fn said_opens_its_text_with_who_and_the_verb_escaped() {
        // Raw HTML in the text is not printed (issue 23), its words are; who is escaped.
        let h = said("att det <b>går</b>.\n\nMer.", "SACO-<rådet>", "svarade");
        assert!(
            h.starts_with("<p><strong>SACO-&lt;rådet&gt;</strong> svarade att det går.</p>"),
            "{h}"
        );
        assert!(h.contains("<p>Mer.</p>"), "{h}");
        assert_eq!(long_date("2015-05-07").as_deref(), Some("7 maj 2015"));
        assert_eq!(long_date("maj"), None);
        assert_eq!(because("OSL 26 kap. 1 §"), "enligt OSL 26 kap. 1 §");
        assert_eq!(because("personuppgift"), "(skäl: personuppgift)");
    }

    #[test]
    fn markdown_headings_become_paragraphs() {
        let h = markdown("# Rubrik\n\ntext");
        assert!(!h.contains("<h1"), "{h}");
        assert!(h.contains("<p>Rubrik</p>"), "{h}");
    }

    #[test]
    fn templates_escape_meeting_text() {
        let env = environment();
        let t = env
            .template_from_named_str("x.html", "{{ s }}")
            .unwrap()
            .render(minijinja::context! { s => "<script>alert(1)</script>" })
            .unwrap();
        assert_eq!(t, "&lt;script&gt;alert(1)&lt;&#x2f;script&gt;");
    }
}
