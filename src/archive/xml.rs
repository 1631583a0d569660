//! A small XML writer over quick-xml, for the package's METS, ERMS and PREMIS documents:
//! every text and attribute value from a meeting goes through quick-xml's escaping, so
//! nothing from the input can become markup. Indented, UTF-8, the same bytes each time.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

pub(crate) struct Xml {
    writer: Writer<Vec<u8>>,
}

/// A character XML 1.0 cannot carry (most C0 controls, unpaired surrogates cannot occur in
/// a Rust string): shown as U+FFFD rather than making the document unreadable. The meeting
/// check refuses such characters in what it prints, so this only guards the rest.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
        c => c,
    }
}

fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(|c| xml_char(c) == c) {
        text.into()
    } else {
        text.chars().map(xml_char).collect::<String>().into()
    }
}

impl Xml {
    /// A document with its declaration.
    pub(crate) fn new() -> Self {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        Self::write(
            &mut writer,
            Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)),
        );
        Self { writer }
    }

    // Writing into a Vec cannot fail: quick-xml's io::Result only carries the sink's errors.
    fn write(writer: &mut Writer<Vec<u8>>, event: Event) {
        writer
            .write_event(event)
            .expect("writing XML to memory cannot fail");
    }

    fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            start.push_attribute((*key, clean(value).as_ref()));
        }
        start
    }

    /// `<name attributes…>`, closed by [`Self::close`].
    pub(crate) fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        Self::write(
            &mut self.writer,
            Event::Start(Self::start(name, attributes)),
        );
    }

    pub(crate) fn close(&mut self, name: &str) {
        Self::write(&mut self.writer, Event::End(BytesEnd::new(name)));
    }

    /// `<name attributes…/>`
    pub(crate) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        Self::write(
            &mut self.writer,
            Event::Empty(Self::start(name, attributes)),
        );
    }

    /// `<name attributes…>text</name>`, the text escaped.
    pub(crate) fn leaf(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.open(name, attributes);
        let text = clean(text);
        Self::write(&mut self.writer, Event::Text(BytesText::new(&text)));
        self.close(name);
    }

    /// The document's bytes, ending in a newline.
    pub(crate) fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_text_never_becomes_markup() {
        let mut x = Xml::new();
        x.open("a", &[("title", "\"><evil x='1'/>")]);
        x.leaf("b", &[], "</b><injected/>&amp;\u{1}");
        x.close("a");
        let text = String::from_utf8(x.finish()).unwrap();
        assert!(!text.contains("<evil"), "{text}");
        assert!(!text.contains("<injected"), "{text}");
        assert!(
            text.contains("&lt;/b&gt;&lt;injected/&gt;&amp;amp;\u{FFFD}"),
            "{text}"
        );
    }
}
