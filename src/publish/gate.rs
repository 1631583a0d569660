//! The last gate: every public byte read back as a reader gets it before anything is written.
//!
//! The guard ([`super::guard`]) checks what goes *into* a web edition, at its place in the
//! meeting file; the gate checks what comes *out* — the web edition's PDF (its text as a PDF
//! reader extracts it, and every string and decompressed stream of every object: metadata,
//! outline, annotations and link URIs, alt text, attached files and the PDFs inside them),
//! its JSON record, the site's HTML (text and attributes) and search index — so that what no
//! check of the input foresaw (a template, a converter, a new field) cannot publish either.
//! Each text is normalised ([`super::normalise`]) and scanned for personnummer and
//! samordningsnummer ([`super::personnummer`]) and for every withheld string: the text of
//! the marked spans, the names of withheld people (genitive too), the real title of a §
//! published under its `webbtitel`. A hit is an error naming the output, the channel and,
//! where it can be found, the place in the meeting file; the caller then writes nothing.

use std::ops::Range;

use crate::diag::{Diagnostic, SourceFile};

use super::normalise::normalise;
use super::personnummer::{self, Context};

/// A withheld string the gate looks for: its words, lower case, hyphens inside words dropped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Needle {
    words: Vec<String>,
    /// A person's name: the genitive ("Lena Strands") is the same person.
    person: bool,
    /// Its place in the meeting file, if it is there.
    place: Option<Range<usize>>,
}

/// What the gate looks for, and the meeting file to place finds in.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Gate {
    needles: Vec<Needle>,
    context: Context,
    /// Not kept in a cache: a gate read back from one places nothing.
    #[serde(skip)]
    file: Option<SourceFile>,
    /// The meeting files a gate of files many meetings share (a site's search index and
    /// person pages) places its finds in: read only when something is found.
    #[serde(skip)]
    sources: Vec<SharedSource>,
}

/// A meeting file whose text a shared output carries, and the people it withholds itself
/// (their names there are marked: a find of one is placed in another meeting's file first).
#[derive(Debug, Clone, Default)]
struct SharedSource {
    path: std::path::PathBuf,
    withholds: Vec<Vec<String>>,
}

/// How much of a withheld text is needed before it is looked for: shorter texts ("ja", "Bo")
/// are words any text may hold.
const MIN_CHARS: usize = 6;

impl Gate {
    /// A gate for one meeting: `context` for telling numbers apart, `file` (the meeting file)
    /// to place finds in.
    pub fn new(context: Context, file: Option<SourceFile>) -> Self {
        Gate {
            needles: Vec::new(),
            context,
            file,
            sources: Vec::new(),
        }
    }

    /// Places what this gate finds in `meeting` (a meeting file whose text a shared output
    /// carries) when it has no file of its own; `withholds`: the names of the people that
    /// meeting withholds itself. The file is read only when a find is to be placed.
    pub(crate) fn place_in(&mut self, meeting: &std::path::Path, withholds: &[String]) {
        self.sources.push(SharedSource {
            path: meeting.to_path_buf(),
            withholds: withholds.iter().map(String::as_str).map(words).collect(),
        });
    }

    /// Looks for a withheld text (a marked span's text, a § title), at `place` in the meeting
    /// file if known. Its Markdown is split at links, footnote references and line structure:
    /// each piece, and each link target, is looked for on its own.
    pub(crate) fn withhold_text(&mut self, text: &str, place: Option<Range<usize>>) {
        // A footnote reference's label (`[^stadgar]`) is not text a reader sees.
        let mut plain = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("[^") {
            plain.push_str(&rest[..at]);
            match rest[at..].find(']') {
                Some(end) => {
                    plain.push(' ');
                    rest = &rest[at + end + 1..];
                }
                None => {
                    rest = &rest[at..];
                    break;
                }
            }
        }
        plain.push_str(rest);
        for piece in plain.split(['[', ']', '(', ')', '^', '\n', '|', '<', '>', '"']) {
            let words = words(piece);
            // One word alone is looked for only when it is a name or an identifier (a capital,
            // a digit): "stadgar" withheld in one place is an ordinary word in another.
            let one_word_ok = words.len() > 1
                || piece
                    .trim()
                    .chars()
                    .any(|c| c.is_uppercase() || c.is_ascii_digit());
            if words.iter().map(|w| w.chars().count()).sum::<usize>() >= MIN_CHARS
                && one_word_ok
                && !words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()))
            {
                self.push(Needle {
                    words,
                    person: false,
                    place: place.clone(),
                });
            }
        }
    }

    /// Looks for a withheld person's name (and its genitive).
    pub(crate) fn withhold_person(&mut self, name: &str, place: Option<Range<usize>>) {
        let words = words(name);
        if !words.is_empty() {
            self.push(Needle {
                words,
                person: true,
                place,
            });
        }
    }

    fn push(&mut self, n: Needle) {
        if !self.needles.iter().any(|m| m.words == n.words) {
            self.needles.push(n);
        }
    }

    /// The numbers in `text` this gate's context tells apart from a personnummer (see
    /// [`personnummer::excused`]).
    pub(crate) fn excused(&self, text: &str) -> Vec<String> {
        personnummer::excused(text, &self.context)
    }

    /// Takes `numbers` as declared not to be personnummer: the gate of the files many
    /// meetings share (a site's index) takes every meeting's, each once.
    pub(crate) fn declare(&mut self, numbers: impl IntoIterator<Item = String>) {
        self.context.not_numbers.extend(numbers);
    }

    /// The names of the withheld people, as words.
    pub fn persons(&self) -> Vec<String> {
        self.needles
            .iter()
            .filter(|n| n.person)
            .map(|n| n.words.join(" "))
            .collect()
    }

    /// Every problem with one output file about to be written (`output`: its name as shown),
    /// read by its kind: PDF, JSON, HTML, gzip'd data, other text.
    pub fn check_file(&self, output: &str, bytes: &[u8]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let lower = output.to_ascii_lowercase();
        if bytes.starts_with(b"%PDF") || lower.ends_with(".pdf") {
            self.pdf(output, bytes, &mut out, 0);
        } else if bytes.starts_with(&[0x1F, 0x8B]) {
            match gunzip(bytes) {
                Some(inner) => self.bytes_as_text(output, "compressed data", &inner, &mut out),
                None => out.push(Diagnostic::error(format!(
                    "`{output}` cannot be read back to be checked: nothing is written"
                ))),
            }
        } else if lower.ends_with(".json") {
            match serde_json::from_slice::<serde_json::Value>(bytes) {
                Ok(v) => self.json(output, &v, &mut String::new(), &mut out),
                Err(_) => self.bytes_as_text(output, "JSON", bytes, &mut out),
            }
        } else if lower.ends_with(".html") || lower.ends_with(".htm") {
            let html = String::from_utf8_lossy(bytes);
            self.text(output, "HTML text", &html_text(&html), &mut out);
            self.text(output, "HTML markup", &html, &mut out);
        } else {
            self.bytes_as_text(output, "text", bytes, &mut out);
        }
        dedup(out)
    }

    /// Every problem with one JSON value about to be written in `output` (a line of a file of
    /// JSON lines), read as [`Gate::check_file`] reads a JSON file.
    pub(crate) fn check_json(&self, output: &str, v: &serde_json::Value) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        self.json(output, v, &mut String::new(), &mut out);
        dedup(out)
    }

    /// Scans one text of an output.
    pub fn text(&self, output: &str, channel: &str, text: &str, out: &mut Vec<Diagnostic>) {
        let text = &without_file_hashes(text);
        for f in personnummer::find_in(text, &self.context) {
            let written = &text[f.range.clone()];
            let digits: String = normalise(written)
                .text
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let mut d = Diagnostic::error(format!(
                "`{output}` would publish a {} ({}) in its {channel}: nothing is written",
                f.kind.name(),
                masked(&digits)
            ))
            .with_hint(
                "withhold it where it is written ({sekretess:personuppgift}…{/sekretess}), or \
                 declare it not a personnummer in [[inte_personnummer]]",
            );
            if let Some(file) = &self.file
                && let Some(place) = personnummer::find_in(&file.text, &self.context)
                    .into_iter()
                    .find(|g| {
                        normalise(&file.text[g.range.clone()])
                            .text
                            .chars()
                            .filter(char::is_ascii_digit)
                            .collect::<String>()
                            == digits
                    })
            {
                d = d.at(file, place.range);
            } else if let Some((file, place)) = self.shared_number_place(&digits) {
                d = d.at(&file, place);
            }
            out.push(d);
        }
        if self.needles.is_empty() {
            return;
        }
        let hay = words(text);
        for n in &self.needles {
            if contains(&hay, n) {
                let what = if n.person {
                    "the name of a withheld person"
                } else {
                    "withheld text"
                };
                let mut d = Diagnostic::error(format!(
                    "`{output}` would publish {what} (“{}”) in its {channel}: nothing is written",
                    hint_of(&n.words)
                ))
                .with_hint(if n.person {
                    "mark each mention of the person with {sekretess:skyddad identitet}…{/sekretess}"
                } else {
                    "the text is withheld here but written unmarked elsewhere, or carried along by \
                     a link, footnote or title: mark it there too"
                });
                if let (Some(file), Some(place)) = (&self.file, &n.place) {
                    d = d.at(file, place.clone());
                } else if let Some((file, place, withheld_in)) = self.shared_needle_place(n) {
                    if let Some(w) = withheld_in {
                        d = d.with_hint(format!(
                            "the person is withheld in `{}`: withhold them here too (`sekretess = \"…\"` on the person), or mark the mention",
                            w.display()
                        ));
                    }
                    d = d.at(&file, place);
                }
                out.push(d);
            }
        }
    }

    /// The shared sources' files, read now (only a find needs them), comments blanked.
    fn shared_files(&self) -> impl Iterator<Item = (&SharedSource, SourceFile, String)> {
        self.sources.iter().filter_map(|s| {
            let text = std::fs::read_to_string(&s.path).ok()?;
            let blank = super::guard::blank_comments(&text);
            Some((s, SourceFile::new(s.path.clone(), text), blank))
        })
    }

    /// Where a number found in a shared output is written in a meeting file.
    fn shared_number_place(&self, digits: &str) -> Option<(SourceFile, Range<usize>)> {
        self.shared_files().find_map(|(_, file, blank)| {
            let at = personnummer::find_any(&blank).into_iter().find(|g| {
                normalise(&blank[g.range.clone()])
                    .text
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
                    == digits
            })?;
            Some((file, at.range))
        })
    }

    /// Where a withheld string found in a shared output is written in a meeting file: first
    /// in one that does not withhold it itself (a person withheld in one meeting and named
    /// in another), with the file that withholds it.
    fn shared_needle_place(
        &self,
        n: &Needle,
    ) -> Option<(SourceFile, Range<usize>, Option<std::path::PathBuf>)> {
        let mut own = None;
        let mut withheld_in = None;
        for (s, file, blank) in self.shared_files() {
            let withholds = s.withholds.contains(&n.words);
            if withholds && withheld_in.is_none() {
                withheld_in = Some(s.path.clone());
            }
            let Some(at) = find_words(&blank, n) else {
                continue;
            };
            if !withholds {
                return Some((file, at, withheld_in.or_else(|| self.withheld_in(n))));
            }
            own.get_or_insert((file, at));
        }
        own.map(|(f, at)| (f, at, None))
    }

    /// The first shared source that withholds `n` itself.
    fn withheld_in(&self, n: &Needle) -> Option<std::path::PathBuf> {
        self.sources
            .iter()
            .find(|s| s.withholds.contains(&n.words))
            .map(|s| s.path.clone())
    }

    fn bytes_as_text(&self, output: &str, channel: &str, bytes: &[u8], out: &mut Vec<Diagnostic>) {
        self.text(output, channel, &decode_lossy(bytes), out);
    }

    fn json(
        &self,
        output: &str,
        v: &serde_json::Value,
        path: &mut String,
        out: &mut Vec<Diagnostic>,
    ) {
        match v {
            serde_json::Value::String(s) => {
                self.text(output, &format!("JSON value {path}"), s, out);
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    self.json(output, x, path, out);
                    path.truncate(len);
                }
            }
            serde_json::Value::Object(o) => {
                for (k, x) in o {
                    if k == "sha256" && x.as_str().is_some_and(is_file_hash) {
                        // This tool's hash of a file's bytes (see `without_file_hashes`).
                        continue;
                    }
                    let len = path.len();
                    path.push('.');
                    path.push_str(k);
                    self.text(output, &format!("JSON key {path}"), k, out);
                    self.json(output, x, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// A PDF: its text as a reader extracts it, and every string and stream of every object;
    /// a PDF inside (an attachment) is read the same way.
    fn pdf(&self, output: &str, bytes: &[u8], out: &mut Vec<Diagnostic>, depth: usize) {
        let unreadable = |what: &str| {
            Diagnostic::error(format!(
                "`{output}` cannot be read back ({what}) to be checked: nothing is written"
            ))
        };
        let text = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes).ok())
            .ok()
            .flatten();
        match text {
            Some(t) => self.text(output, "PDF text", &t, out),
            None if depth == 0 => out.push(unreadable("its text")),
            None => {}
        }
        let doc = std::panic::catch_unwind(|| lopdf::Document::load_mem(bytes).ok())
            .ok()
            .flatten();
        let Some(doc) = doc else {
            out.push(unreadable("its objects"));
            return;
        };
        for (id, object) in &doc.objects {
            let mut texts = Vec::new();
            let mut pdfs = Vec::new();
            object_texts(object, "", &mut texts, &mut pdfs);
            for (key, t) in texts {
                self.text(output, &format!("PDF object {} {key}", id.0), &t, out);
            }
            for inner in pdfs {
                if depth < 3 {
                    self.pdf(&format!("{output} (attached PDF)"), &inner, out, depth + 1);
                }
            }
        }
    }
}

/// Whether `s` is a SHA-256 as this tool writes a file's hash: 64 lower-case hex digits.
fn is_file_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `text` with the hashes this tool writes of files (`"sha256": "<64 hex digits>"`, in the
/// records, manifests and caches, also when a PDF carries one as an attachment) blanked to
/// spaces, places kept. Their digits are a hash of bytes, not a number anyone wrote; read as
/// numbers, about one hash in a few thousand holds a run with a personnummer's date and
/// check digit — a bilaga's `84eb0303804595ab…` was read as a samordningsnummer and refused
/// its web edition, a false positive. Only the value of that key is left out: the same hex
/// written anywhere else is read as any text is.
fn without_file_hashes(text: &str) -> std::borrow::Cow<'_, str> {
    const KEY: &str = "\"sha256\"";
    if !text.contains(KEY) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for (at, _) in text.match_indices(KEY) {
        let rest = &text[at + KEY.len()..];
        let value = rest.trim_start_matches([' ', '\n', '\r', '\t']);
        let Some(value) = value.strip_prefix(':') else {
            continue;
        };
        let value = value.trim_start_matches([' ', '\n', '\r', '\t']);
        let Some(hash) = value.strip_prefix('"').and_then(|v| v.get(..64)) else {
            continue;
        };
        if is_file_hash(hash) && value.get(65..).is_some_and(|r| r.starts_with('"')) {
            let start = text.len() - value.len() + 1;
            out.replace_range(start..start + 64, &" ".repeat(64));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every string of an object (and its dictionaries, arrays and stream), by the key it
/// stands at; a stream's decompressed content as text, or as a PDF when it is one.
fn object_texts(
    o: &lopdf::Object,
    key: &str,
    texts: &mut Vec<(String, String)>,
    pdfs: &mut Vec<Vec<u8>>,
) {
    use lopdf::Object;
    match o {
        Object::String(b, _) => texts.push((key.to_string(), pdf_string(b))),
        Object::Name(n) => texts.push((key.to_string(), decode_lossy(n))),
        Object::Array(a) => a.iter().for_each(|x| object_texts(x, key, texts, pdfs)),
        Object::Dictionary(d) => {
            for (k, v) in d.iter() {
                object_texts(v, &format!("/{}", decode_lossy(k)), texts, pdfs);
            }
        }
        Object::Stream(s) => {
            for (k, v) in s.dict.iter() {
                object_texts(v, &format!("/{}", decode_lossy(k)), texts, pdfs);
            }
            let content = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            if content.starts_with(b"%PDF") {
                pdfs.push(content);
            } else if content.starts_with(&[0xFF, 0xD8]) {
                // A JPEG passed through: its metadata as a reader's tool decodes it (EXIF's
                // Unicode comments are UTF-16), besides its bytes as they are.
                for carried in super::image_meta::jpeg_texts(&content) {
                    texts.push((format!("image: {}", carried.channel), carried.text));
                }
                texts.push(("stream".into(), decode_lossy(&content)));
            } else if content.starts_with(&[0x1F, 0x8B]) {
                if let Some(inner) = gunzip(&content) {
                    texts.push(("stream".into(), decode_lossy(&inner)));
                }
            } else {
                texts.push(("stream".into(), decode_lossy(&content)));
            }
        }
        _ => {}
    }
}

/// A PDF string: UTF-16BE with its byte order mark, UTF-8 with its mark, else
/// PDFDocEncoding (Latin-1 for the letters that matter here).
fn pdf_string(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    decode_lossy(b)
}

/// Bytes as text: UTF-8 where they are, Latin-1 otherwise (digits are ASCII either way).
fn decode_lossy(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| char::from(c)).collect(),
    }
}

/// Gzip'd bytes (Pagefind's fragments), at most 64 MiB of them.
fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(64 << 20)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// The text of HTML as a reader sees it: tags dropped (inline ones joining their text, as a
/// browser does), character references decoded by [`normalise`].
pub(crate) fn html_text(html: &str) -> String {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
        "del", "ins",
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            out.push_str(&rest[lt..]);
            return out;
        };
        let tag = after[..gt].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &after[gt + 1..];
    }
    out.push_str(rest);
    out
}

/// The words of a text as the gate compares them: normalised, lower case, without accents
/// (an e-mail address spells "Åsa" "asa"), split at anything not a letter, digit or hyphen,
/// hyphens inside a word dropped ("Strand-Berg" is one word, "strandberg", never "Strand"),
/// and where a lower-case letter meets a capital (see [`word_ranges`]).
fn words(text: &str) -> Vec<String> {
    let t = normalise(text).text;
    word_ranges(&t)
        .into_iter()
        .map(|r| {
            t[r].to_lowercase()
                .chars()
                .filter(|c| *c != '-')
                .map(unaccented)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words of a normalised text as byte ranges: runs of letters, digits and hyphens, split
/// too where a lower-case letter meets a capital. A PDF reader runs a heading into the
/// paragraph below it ("YttrandeBjörn Viklund"), and a name must still begin a word there;
/// a needle is split the same way, and its letters are matched across splits
/// ([`match_len`]), so a split never hides what it divides.
fn word_ranges(t: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev_lower = false;
    for (i, c) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
        let inside = c.is_alphanumeric() || c == '-';
        match start {
            Some(s) if !inside => {
                out.push(s..i);
                start = None;
            }
            Some(s) if prev_lower && c.is_uppercase() => {
                out.push(s..i);
                start = Some(i);
            }
            None if inside => start = Some(i),
            _ => {}
        }
        prev_lower = c.is_lowercase();
    }
    out
}

/// A lower-case letter without its accent.
fn unaccented(c: char) -> char {
    match c {
        'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' | 'æ' => 'a',
        'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' => 'o',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ü' | 'ú' | 'ù' | 'û' => 'u',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ç' => 'c',
        'ñ' => 'n',
        'ý' | 'ÿ' => 'y',
        c => c,
    }
}

/// Whether `hay` holds the needle's words in a row (see [`match_len`]).
fn contains(hay: &[String], n: &Needle) -> bool {
    (0..hay.len()).any(|i| match_len(&hay[i..], n).is_some())
}

/// How many words at the start of `hay` spell the needle, if they do: its words in a row (a
/// person's last word also with a genitive s), or its letters run over words split anywhere
/// else. A reader's text breaks words where the writer changed the font: a PDF reader puts a
/// space where a bold run begins ("Bj" + bold "örn Viklund" reads "Bj örn Viklund"), and the
/// names run together ("BjörnViklund") are the person too. A match begins and ends at a
/// word's edge: "Strandberg" is not "Strand".
fn match_len(hay: &[String], n: &Needle) -> Option<usize> {
    let k = n.words.len();
    if k == 0 {
        return None;
    }
    let word_by_word = hay.len() >= k
        && n.words.iter().enumerate().all(|(j, w)| {
            let h = &hay[j];
            h == w || (n.person && j == k - 1 && genitive_of(h, w))
        });
    if word_by_word {
        return Some(k);
    }
    let whole: String = n.words.concat();
    let mut run = String::new();
    for (j, h) in hay.iter().enumerate() {
        run.push_str(h);
        if run == whole || (n.person && genitive_of(&run, &whole)) {
            return Some(j + 1);
        }
        if !whole.starts_with(run.as_str()) {
            return None;
        }
    }
    None
}

/// Whether `h` is `w` in the genitive ("strands", "strands'").
fn genitive_of(h: &str, w: &str) -> bool {
    h.strip_suffix('s') == Some(w) || h.strip_suffix("s'") == Some(w)
}

/// The place in `text` of the first run of words that spells the needle (as [`match_len`]
/// reads them), as a byte range of `text`.
fn find_words(text: &str, n: &Needle) -> Option<Range<usize>> {
    let norm = normalise(text);
    let t = &norm.text;
    let mut spans: Vec<(Range<usize>, String)> = word_ranges(t)
        .into_iter()
        .map(|r| {
            let w = words(&t[r.clone()]).concat();
            (r, w)
        })
        .collect();
    spans.retain(|(_, w)| !w.is_empty());
    let hay: Vec<String> = spans.iter().map(|(_, w)| w.clone()).collect();
    (0..hay.len()).find_map(|i| {
        let len = match_len(&hay[i..], n)?;
        Some(norm.source(&(spans[i].0.start..spans[i + len - 1].0.end)))
    })
}

/// The first letters of a withheld text, for a message that must not publish it again (a
/// CI log is public too).
fn hint_of(words: &[String]) -> String {
    let first: String = words
        .first()
        .map(|w| w.chars().take(2).collect())
        .unwrap_or_default();
    format!("{first}… ({} words)", words.len())
}

/// "811218XXXX": the number as a message may show it.
fn masked(digits: &str) -> String {
    let keep = digits.len().saturating_sub(4);
    format!("{}XXXX", &digits[..keep])
}

/// The same message once.
fn dedup(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in found {
        if !out.iter().any(|o| o.message == d.message) {
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> Gate {
        let mut g = Gate::default();
        g.withhold_person("Lena Strand", None);
        g.withhold_text("en enskild deltagare vid Jobbtorg", None);
        g
    }

    fn hits(text: &str) -> usize {
        let mut out = Vec::new();
        gate().text("x", "text", text, &mut out);
        out.len()
    }

    #[test]
    fn names_in_their_usual_forms_are_found_and_other_people_are_not() {
        assert_eq!(hits("Lena Strands yrkande"), 1);
        assert_eq!(hits("LENA\u{A0}STRAND"), 1);
        assert_eq!(hits("Lena\nStrand"), 1);
        assert_eq!(hits("Lena Strand-Berg (M)"), 0);
        assert_eq!(hits("Lena Strandberg"), 0);
        assert_eq!(hits("en enskild deltagare vid Jobbtorg Skärholmen"), 1);
        assert_eq!(hits("en deltagare vid Jobbtorg"), 0);
    }

    /// A PDF reader breaks a word where its font changes ("Bj" + bold "örn" reads "Bj örn");
    /// the letters are the same name. A match still ends at a word's edge.
    #[test]
    fn a_name_broken_where_its_font_changes_is_found() {
        assert_eq!(hits("Delad: Le na Strand slut."), 1);
        assert_eq!(hits("Delad: Lena Str and slut."), 1);
        assert_eq!(hits("Le na Strands yrkande"), 1);
        assert_eq!(hits("LenaStrand"), 1);
        assert_eq!(hits("en enskild delta gare vid Jobb torg"), 1);
        assert_eq!(hits("Lena Strand berg"), 1);
        assert_eq!(
            hits("Lena Strandberg, Le na Strandberg, Magdalena Strand"),
            0
        );
        // A heading run into the paragraph below it, or a word after the name.
        assert_eq!(hits("YttrandeLena Strand kom."), 1);
        assert_eq!(hits("Lena StrandKom."), 1);
    }

    /// A shared output (a site's search index) keeps a number without its words: the gate
    /// places it in the meeting file it is written in, read only when found.
    #[test]
    fn a_shared_gate_places_a_number_in_the_meeting_file_it_came_from() {
        let dir = std::env::temp_dir().join(format!("gate-shared-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (clean, meeting) = (dir.join("a.toml"), dir.join("b.toml"));
        std::fs::write(&clean, "text = \"Inget här.\"\n").unwrap();
        std::fs::write(
            &meeting,
            "# 811218-9876\ntext = \"Sökande 811218\u{2011}9876.\"\n",
        )
        .unwrap();
        let mut g = Gate::default();
        g.place_in(&clean, &[]);
        g.place_in(&meeting, &[]);
        let found = g.check_file("index.json", br#"{"c":"8112189876"}"#);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        let (file, range) = found[0].location.clone().expect("placed");
        assert_eq!(file.path, meeting);
        // Not the comment: the value, on line 2.
        assert_eq!(&file.text[range], "811218\u{2011}9876");
    }

    /// Found by a tester: the web edition's JSON kept "Bj&ouml;rn Viklund" (a Markdown text
    /// as written) while its PDF printed the name; a named reference reads as its letter.
    #[test]
    fn a_name_written_with_named_references_is_found_in_json() {
        let mut g = Gate::default();
        g.withhold_person("Björn Viklund", None);
        let found = g.check_file(
            "a-webb.json",
            br#"{"text":"Informerade. Bj&ouml;rn Viklund fr&aring;gade."}"#,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("in its JSON value .text"),
            "{}",
            found[0].message
        );
    }

    /// A file's hash under `"sha256"` is not read as numbers — as JSON, and as text (a
    /// record attached to a PDF, a JSON line) — though the hash below holds `0303804595`, a
    /// samordningsnummer's shape, date and check digit; the same digits anywhere else are.
    #[test]
    fn a_file_hash_is_not_a_number_but_its_digits_elsewhere_are() {
        let g = Gate::default();
        let hash = "84eb0303804595ab5f1c2d3e4a5b6c7d8e9fa0b1c2d3e4f5a6b7c8d9e0f1a2b3";
        let json = format!(r#"{{"papers":[{{"file":{{"name":"a.pdf","sha256":"{hash}"}}}}]}}"#);
        let found = g.check_file("a-webb.json", json.as_bytes());
        assert!(found.is_empty(), "{found:?}");
        let pretty = format!("{{\n  \"sha256\" :\n    \"{hash}\"\n}}");
        let found = g.check_file("a.txt", pretty.as_bytes());
        assert!(found.is_empty(), "{found:?}");
        for elsewhere in [
            format!(r#"{{"text":"{hash}"}}"#),
            format!(r#"{{"sha256":"{}"}}"#, hash.to_uppercase()),
            format!("sha256 {hash}"),
        ] {
            let found = g.check_file("a.json", elsewhere.as_bytes());
            assert_eq!(found.len(), 1, "{elsewhere}: {found:?}");
        }
    }

    #[test]
    fn numbers_in_html_are_found_in_text_and_attributes() {
        let g = Gate::default();
        let found = g.check_file("a.html", b"<p>811218-<em>9876</em></p>");
        assert_eq!(found.len(), 1, "{found:?}");
        let found = g.check_file("a.html", b"<a href=\"x?p=811218-9876\">x</a>");
        assert_eq!(found.len(), 1, "{found:?}");
        let found = g.check_file("a.json", br#"{"a":"811218\u20119876"}"#);
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
