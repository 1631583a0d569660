//! The public archive as a static website (issue 16): `assemble site DATA… -o SITE/`.
//!
//! Only what may be published is on it: each justerat protocol's web edition
//! ([`crate::publish::web::prepare`]: withheld § and bilagor, marked spans and withheld
//! people already removed), as its record ([`crate::publish::record`]) made into pages, and
//! the web-edition PDFs `assemble publish` wrote (`--editions`). Drafts are left out.
//!
//! Pages ([`html`]): the index by organ and year (`index.html`), one page per meeting
//! (`amn/2020-04-21/`: the meeting file's path below `data/`), one per person
//! (`person/<slug>/`, the slug made from the name), the people (`person/`), the search
//! (`sok/`, Pagefind: [`search`]), one stylesheet (`site.css`). URLs never change when
//! meetings are added; links are relative, so the site can live below any path.
//!
//! Incremental and deterministic: a meeting whose file, bilagor and editions are unchanged
//! is not read again (its record comes from `.protokoll-site.json` in the site folder), a
//! file whose bytes are unchanged is not rewritten, and files of meetings no longer in the
//! archive are removed. The same archive gives the same bytes.

pub(crate) mod html;
pub(crate) mod model;
pub(crate) mod search;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, display_path};
use crate::incremental::RunKey;
use crate::inputs::MeetingFile;
use crate::meeting;
use crate::output;
use crate::publish::gate::{Gate, html_text};
use crate::publish::web;
use crate::render::Templates;

use model::{Entry, PublishedFile};

/// The cache in the site folder.
const CACHE: &str = ".protokoll-site.json";

/// What to build from.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The folder `assemble publish` wrote the web editions to (the same tree as the
    /// archive's: `amn/2020-04-21-webb.pdf`); without it the pages link to no PDF.
    pub editions: Option<PathBuf>,
    /// Today, from the caller's clock (the library reads none): a protocol `justerad` after
    /// it is refused. `None`: not checked.
    pub today: Option<time::Date>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Meetings on the site.
    pub meetings: usize,
    /// Meeting files left out because they are not justerade (drafts are never published).
    pub drafts: Vec<PathBuf>,
    /// Meetings read and redacted this time (the others came from the cache).
    pub read: usize,
    /// Files written (new or changed), files left as they were, files removed.
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

#[derive(Default, Serialize, Deserialize)]
struct Cache {
    /// Key of each meeting (by page path) → its entry.
    meetings: BTreeMap<String, (String, Entry)>,
    /// Every file the last build wrote, relative to the site folder.
    files: BTreeSet<String>,
    /// Each meeting's last gate by page path, without what it withholds (this file is in the
    /// site's folder, readable by all): a meeting taken from the cache, whose pages are the
    /// same as when its full gate passed them, is checked again for personnummer.
    #[serde(default)]
    gates: BTreeMap<String, Gate>,
}

/// Builds the site for `meetings` into `out`. Errors: every problem of every meeting that
/// cannot be published (a personnummer the guard finds, an invalid file, …), with its
/// location; a file that cannot be written. On error nothing of the site is changed.
pub fn build(
    meetings: &[MeetingFile],
    out: &Path,
    options: &Options,
) -> Result<Summary, Vec<Diagnostic>> {
    let mut summary = Summary::default();
    let cache: Cache = std::fs::read(out.join(CACHE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let site_files: String = html::FILES
        .iter()
        .map(|(_, t)| *t)
        .chain([html::CSS, html::SEARCH_JS])
        .collect();
    // The site's pages carry no PDF timestamp.
    let run = RunKey::new(
        &Templates::load(None)?,
        None,
        &format!("site\n{site_files}"),
    );

    let mut entries = Vec::new();
    let mut keys = BTreeMap::new();
    let mut gates: BTreeMap<String, Gate> = BTreeMap::new();
    let mut problems = Vec::new();
    for m in meetings {
        let path = page_path(&m.relative);
        let editions = find_editions(options.editions.as_deref(), &m.relative);
        let mut key = meeting_key(&run, &m.path);
        for (name, bytes) in &editions {
            key.push_str(&format!(" {name}:{}", sha256(bytes)));
        }
        if let Some((k, e)) = cache.meetings.get(&path)
            && *k == key
        {
            gates.insert(
                path.clone(),
                cache.gates.get(&path).cloned().unwrap_or_default(),
            );
            keys.insert(path, key);
            entries.push((e.clone(), editions));
            continue;
        }
        if !is_justerad(&m.path)? {
            summary.drafts.push(m.path.clone());
            continue;
        }
        let today = options.today.unwrap_or(time::Date::MAX);
        match web::prepare(&m.path, today) {
            Ok(p) => {
                summary.read += 1;
                if let Some(stale) =
                    stale_edition(&p, options.editions.as_deref(), &m.relative, &editions)
                {
                    problems.push(stale);
                    continue;
                }
                gates.insert(path.clone(), p.gate.clone());
                let record = serde_json::to_value(&p.web_record)
                    .map_err(|e| vec![Diagnostic::error(e.to_string())])?;
                let files = editions
                    .iter()
                    .map(|(name, bytes)| PublishedFile {
                        label: label(name),
                        name: name.clone(),
                        sha256: sha256(bytes),
                    })
                    .collect();
                keys.insert(path.clone(), key);
                entries.push((
                    Entry {
                        path,
                        record,
                        files,
                    },
                    editions,
                ));
            }
            Err(errs) => problems.extend(errs),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Nothing read again, the same meetings as last time, every file still there: the site
    // is what it was (the no-op rebuild writes and indexes nothing).
    if summary.read == 0
        && keys.len() == cache.meetings.len()
        && cache.files.iter().all(|f| out.join(f).is_file())
    {
        summary.meetings = keys.len();
        summary.unchanged = cache.files.len();
        return Ok(summary);
    }
    entries.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let (entries, editions): (Vec<Entry>, Vec<_>) = entries.into_iter().unzip();
    summary.meetings = entries.len();

    let files = pages(&entries, editions)?;
    // The last gate: every file of the site read back (pages, PDFs, the search index's
    // fragments) before one is written.
    let leaks = gate_files(&files, &gates, out);
    if !leaks.is_empty() {
        return Err(leaks);
    }
    let new_cache = Cache {
        files: files.keys().cloned().collect(),
        gates: gates
            .iter()
            .map(|(k, g)| (k.clone(), g.without_withheld()))
            .collect(),
        meetings: entries
            .into_iter()
            .map(|e| (e.path.clone(), (keys[&e.path].clone(), e)))
            .collect(),
    };
    write(out, files, &cache, &mut summary)?;
    let bytes = serde_json::to_vec(&new_cache).expect("the cache serialises");
    let path = out.join(CACHE);
    output::write_atomic(&path, &bytes).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot write `{}`: {e}",
            display_path(&path)
        ))]
    })?;
    Ok(summary)
}

/// Every problem the last gate finds in the site's files: a meeting's own files (its page,
/// its PDFs) checked with its gate; the shared ones (the index, person pages, the search
/// index) for personnummer and every withheld person of any meeting.
fn gate_files(
    files: &BTreeMap<String, Vec<u8>>,
    gates: &BTreeMap<String, Gate>,
    out: &Path,
) -> Vec<Diagnostic> {
    // Each file's meeting, by the page folder it is in: one lookup a file, not a scan of
    // every meeting (an archive of ten thousand meetings has some seventy thousand files).
    let owner = |rel: &str| -> Option<(&String, &Gate)> {
        let mut dir = rel;
        while let Some(at) = dir.rfind('/') {
            dir = &dir[..at];
            if let Some(found) = gates.get_key_value(dir) {
                return Some(found);
            }
        }
        None
    };
    let mut shared = Gate::default();
    let mut declared: BTreeSet<String> = BTreeSet::new();
    // A number a meeting's page shows and its own gate passed — a stamp of the meeting, an
    // OCR reference, a declared number — is in the search index too, without the words that
    // told it apart: the shared files take it as declared.
    for (rel, bytes) in files.iter().filter(|(rel, _)| rel.ends_with(".html")) {
        if let Some((_, g)) = owner(rel) {
            declared.extend(g.excused(&html_text(&String::from_utf8_lossy(bytes))));
        }
    }
    for g in gates.values() {
        for name in g.persons() {
            shared.withhold_person(&name, None);
        }
        declared.extend(g.declared().iter().cloned());
    }
    shared.declare(declared);
    let mut problems = Vec::new();
    for (rel, bytes) in files {
        let gate = owner(rel).map_or(&shared, |(_, g)| g);
        problems.extend(gate.check_file(&display_path(&out.join(rel)), bytes));
    }
    problems
}

/// A web edition made from another state of the meeting than the file's now (published,
/// then the file changed, and not published again): its record (`<stem>-webb.json`, written
/// with the PDF) is not the record the meeting gives now. Such an edition is refused.
fn stale_edition(
    p: &web::Prepared,
    dir: Option<&Path>,
    relative: &Path,
    editions: &[(String, Vec<u8>)],
) -> Option<Diagnostic> {
    let dir = dir?;
    let (first, _) = editions.first()?;
    let folder = dir.join(relative.parent().unwrap_or(Path::new("")));
    let stem = relative
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let json = folder.join(format!("{stem}-webb.json"));
    let now = p.web_record.to_json();
    let fresh = std::fs::read_to_string(&json).is_ok_and(|t| t == now);
    (!fresh).then(|| {
        Diagnostic::error(format!(
            "the web edition `{}` was not made from the meeting file as it is now: it is not \
             published (nothing of the site is changed)",
            display_path(&folder.join(first))
        ))
        .at(&p.file, 0..0)
        .with_hint("publish the meeting again (`assemble publish`), then build the site")
    })
}

/// Every file of the site, by path relative to its folder.
fn pages(
    entries: &[Entry],
    editions: Vec<Vec<(String, Vec<u8>)>>,
) -> Result<BTreeMap<String, Vec<u8>>, Vec<Diagnostic>> {
    let env = html::environment();
    let persons = model::persons(entries);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut records = Vec::new();
    for (e, eds) in entries.iter().zip(editions) {
        let root = root_of(&e.path);
        let linked: BTreeMap<&str, bool> = persons.keys().map(|k| (k.as_str(), true)).collect();
        let names: BTreeMap<&str, &str> = e.record["persons"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| (model::str_at(p, &["id"]), model::str_at(p, &["name"])))
            .collect();
        let page = html::render(
            &env,
            "meeting.html",
            context! { root, e => Value::from(minijinja::value::Serde(e)), linked => Value::from(minijinja::value::Serde(&linked)), names => Value::from(minijinja::value::Serde(&names)) },
        );
        files.insert(format!("{}/index.html", e.path), page.into_bytes());
        for (name, bytes) in eds {
            files.insert(format!("{}/{name}", e.path), bytes);
        }
        records.extend(search::meeting_records(e));
    }
    for p in persons.values() {
        let page = html::render(
            &env,
            "person.html",
            context! { root => "../../", p => Value::from(minijinja::value::Serde(p)) },
        );
        files.insert(format!("person/{}/index.html", p.slug), page.into_bytes());
        records.push(search::person_record(p));
    }
    let index = model::index(entries);
    files.insert(
        "index.html".into(),
        html::render(
            &env,
            "index.html",
            context! { root => "", index => Value::from(minijinja::value::Serde(&index)) },
        )
        .into_bytes(),
    );
    let list: Vec<_> = persons.values().collect();
    files.insert(
        "person/index.html".into(),
        html::render(
            &env,
            "persons.html",
            context! { root => "../", persons => Value::from(minijinja::value::Serde(&list)) },
        )
        .into_bytes(),
    );
    files.insert(
        "sok/index.html".into(),
        html::render(&env, "search.html", context! { root => "../" }).into_bytes(),
    );
    files.insert("sok/sok.js".into(), html::SEARCH_JS.as_bytes().to_vec());
    files.insert("site.css".into(), html::CSS.as_bytes().to_vec());
    for (name, bytes) in search::index(records).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot build the search index: {e}"
        ))]
    })? {
        files.insert(format!("pagefind/{name}"), bytes);
    }
    Ok(files)
}

/// Writes the files whose bytes changed (all of them or none), then removes those of the
/// last build that are gone.
fn write(
    out: &Path,
    files: BTreeMap<String, Vec<u8>>,
    old: &Cache,
    summary: &mut Summary,
) -> Result<(), Vec<Diagnostic>> {
    let err = |p: &Path, e: std::io::Error| {
        vec![Diagnostic::error(format!(
            "cannot write `{}`: {e}",
            display_path(p)
        ))]
    };
    let mut changed = Vec::new();
    for (rel, bytes) in &files {
        let path = out.join(rel);
        if std::fs::read(&path).is_ok_and(|b| b == *bytes) {
            summary.unchanged += 1;
        } else {
            changed.push((path, bytes.clone()));
        }
    }
    summary.written = changed.len();
    output::write_all_atomic(&changed).map_err(|(p, e)| err(&p, e))?;
    for gone in old.files.iter().filter(|f| !files.contains_key(*f)) {
        let path = out.join(gone);
        if std::fs::remove_file(&path).is_ok() {
            summary.removed += 1;
            // Leave no empty folder of a removed meeting behind.
            let mut dir = path.parent();
            while let Some(d) = dir
                && d != out
                && std::fs::remove_dir(d).is_ok()
            {
                dir = d.parent();
            }
        }
    }
    Ok(())
}

/// The key of one meeting: the run's key, the meeting file, and each bilaga file it names
/// (hex SHA-256). A file that cannot be read makes a key that never matches a cached one.
fn meeting_key(run: &RunKey, meeting: &Path) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(run.as_str().as_bytes());
    let Ok(text) = std::fs::read(meeting) else {
        return "unreadable".into();
    };
    field(&text);
    let folder = meeting
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let (Ok(listed), Ok(sandbox)) = (
        crate::incremental::bilaga_files(&text),
        crate::sandbox::Sandbox::new(folder),
    ) {
        for rel in listed {
            field(rel.as_bytes());
            match sandbox
                .resolve(&rel)
                .ok()
                .and_then(|p| std::fs::read(p).ok())
            {
                Some(bytes) => field(&bytes),
                None => return "missing bilaga".into(),
            }
        }
    }
    sha256(&hasher.finalize())
}

/// Whether the meeting file says the protocol is justerat (read, not validated: validation
/// is [`web::prepare`]'s).
fn is_justerad(path: &Path) -> Result<bool, Vec<Diagnostic>> {
    Ok(match meeting::load(path)?.raw {
        meeting::raw::RawProtocol::Fvg(m) => m.justerad.is_some(),
        meeting::raw::RawProtocol::Namnd(m) => m.justerad.is_some(),
    })
}

/// "amn/2020-04-21" from the meeting's path below the archive, each part made safe for a
/// URL (letters, digits, `-`, `_`, `.`; anything else `-`).
fn page_path(relative: &Path) -> String {
    relative
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .chars()
                .map(|ch| {
                    if ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.') {
                        ch.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// "../../" for "amn/2020-04-21".
fn root_of(path: &str) -> String {
    "../".repeat(path.split('/').count())
}

/// The web-edition PDFs of the meeting `relative` in `dir`: `<stem>-webb.pdf` first, then
/// the other `<stem>-…webb….pdf` (extracts, anslagsbevis) by name.
fn find_editions(dir: Option<&Path>, relative: &Path) -> Vec<(String, Vec<u8>)> {
    let Some(dir) = dir else { return Vec::new() };
    let folder = dir.join(relative.parent().unwrap_or(Path::new("")));
    let stem = relative
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Ok(read) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut names: Vec<String> = read
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_own_edition(&stem, n))
        .collect();
    let main = format!("{stem}-webb.pdf");
    names.sort_by_key(|n| (*n != main, n.clone()));
    names
        .into_iter()
        .filter_map(|n| std::fs::read(folder.join(&n)).ok().map(|b| (n, b)))
        .collect()
}

/// Whether `name` is a web edition of the meeting `stem` itself: `<stem>-webb.pdf` or
/// `<stem>-pN-webb.pdf` — not of another meeting whose name begins the same
/// (`2020-04-21-extra-webb.pdf` is not 2020-04-21's).
fn is_own_edition(stem: &str, name: &str) -> bool {
    let Some(rest) = name.strip_prefix(stem).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    if rest == "webb.pdf" {
        return true;
    }
    rest.strip_prefix('p')
        .and_then(|r| r.strip_suffix("-webb.pdf"))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// What a reader sees for a published PDF: the web edition `<stem>-webb.pdf`, an extract
/// `<stem>-p33-webb.pdf`, the anslagsbevis.
fn label(name: &str) -> String {
    let extract = name
        .strip_suffix("-webb.pdf")
        .and_then(|s| s.rsplit('-').next())
        .and_then(|last| last.strip_prefix('p'))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if let Some(n) = extract {
        format!("Protokollsutdrag § {n} (webbutgåva, PDF)")
    } else if name.contains("anslag") {
        "Anslagsbevis (PDF)".into()
    } else if name.ends_with("-webb.pdf") {
        "Protokollet (webbutgåva, PDF)".into()
    } else {
        format!("{name} (PDF)")
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn published_files_are_labelled_by_their_plain_names() {
        assert_eq!(
            label("2020-04-21-webb.pdf"),
            "Protokollet (webbutgåva, PDF)"
        );
        assert_eq!(
            label("2020-04-21-p33-webb.pdf"),
            "Protokollsutdrag § 33 (webbutgåva, PDF)"
        );
        assert_eq!(label("2020-04-21-anslag-webb.pdf"), "Anslagsbevis (PDF)");
    }
}
