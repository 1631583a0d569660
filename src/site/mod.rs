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
pub(crate) mod paged;
pub(crate) mod search;
mod shared;
mod spill;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::incremental::{self, CHANGED_DURING_BUILD, InputFile, RunKey};
use crate::inputs::MeetingFile;
use crate::meeting;
use crate::output;
use crate::publish::gate::{Gate, html_text};
use crate::publish::web;
use crate::render::Templates;

use model::{Brief, Entry, PublishedFile};
use search::SearchRecord;

/// The cache in the site folder.
const CACHE: &str = ".protokoll-site.json";
/// The search records of each part of the search index, `<STORE>/<part>.json`: what a part
/// is built again from when one of its meetings changed, without reading the others.
const STORE: &str = ".protokoll-site/sok";
/// The parts of the search index, one per year (`<PARTS>/<year>/`), merged
/// into the main index (`pagefind/`, the people) in the reader's browser.
const PARTS: &str = "pagefind/delar";
/// The cache's format; a cache of another is ignored (everything is read once).
const FORMAT: u32 = 4;

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
    /// Meetings on the site (their protocols).
    pub meetings: usize,
    /// Coming meetings on the site (planned, with their public kallelse).
    pub coming: usize,
    /// Meeting files left out because they are not justerade (drafts are never published).
    pub drafts: Vec<PathBuf>,
    /// Meetings read and redacted this time (the others came from the cache).
    pub read: usize,
    /// Files written (new or changed), files left as they were, files removed.
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// What the site folder remembers of the last build.
#[derive(Default, Serialize, Deserialize)]
struct Cache {
    #[serde(default)]
    format: u32,
    /// The run's key (the tool, its templates, the site's files): under another, every
    /// meeting is read and every page made again.
    #[serde(default)]
    run: String,
    /// Each meeting on the site, by page path.
    meetings: BTreeMap<String, Cached>,
    /// The files the last build wrote that no meeting owns and no part of the search index
    /// holds: the index pages, the organs' and people's pages, the main search index.
    files: BTreeSet<String>,
    /// The SHA-256 of the people's search records the main search index (`pagefind/`) was
    /// made from: made again only when they change.
    #[serde(default)]
    people_index: String,
}

/// One meeting as the last build left it.
#[derive(Clone, Serialize, Deserialize)]
struct Cached {
    /// Every file it was made from — the meeting file, its bilagor, its web editions — with
    /// size, time and hash: deciding it is unchanged is a `stat` per file.
    inputs: Vec<InputFile>,
    /// The names of its web editions (a new extract is a change).
    editions: Vec<String>,
    /// What the shared pages need of it.
    brief: Brief,
    /// The numbers the shared files take as declared not to be personnummer: those its page
    /// and search records show that its gate told apart — declared in its file, or told
    /// apart by the words around them (the search index keeps a number without those
    /// words). Only what it shows, nothing it withholds: this file is in the site's folder,
    /// readable by all ([`check_cached`]).
    not_numbers: Vec<String>,
    /// Its own files, relative to the site folder: its page and its PDFs.
    files: Vec<String>,
}

/// One part of the search index as stored: each meeting's records, by page path.
type Part = BTreeMap<String, Vec<SearchRecord>>;

/// A meeting read this time, made into its files.
struct Fresh {
    cached: Cached,
    /// Its own files (page, PDFs) by path relative to the site folder, until they are
    /// checked by its gate and staged ([`stage`]).
    files: Vec<(String, Vec<u8>)>,
    /// Its full gate (what it withholds); only the people it withholds are kept once its
    /// files are staged.
    gate: Gate,
    records: Vec<SearchRecord>,
}

/// Why a build from the cache could not go on.
enum Failed {
    Problems(Vec<Diagnostic>),
    /// Something the cache counts on is gone (a stored part of the search index, a shared
    /// file): build again with every meeting read.
    Incomplete,
}

impl From<Vec<Diagnostic>> for Failed {
    fn from(problems: Vec<Diagnostic>) -> Self {
        Failed::Problems(problems)
    }
}

/// Builds the site for `meetings` into `out`. Errors: every problem of every meeting that
/// cannot be published (a personnummer the guard finds, an invalid file, …), with its
/// location; a file that cannot be written. On error nothing of the site is changed.
///
/// Its cost follows the change: a meeting whose files are unchanged (a `stat` each) is not
/// read; only the pages that show a changed meeting are made again — its page, the people
/// it names, the index pages — and only its year's part of the search index.
pub fn build(
    meetings: &[MeetingFile],
    out: &Path,
    options: &Options,
) -> Result<Summary, Vec<Diagnostic>> {
    // The file's bytes go as soon as they are read (10 MB at 10,000 meetings): only what
    // they hold is kept through the build.
    let cache = read_cache(out);
    let files = cache.files.clone();
    match build_from(meetings, out, options, cache) {
        Ok(summary) => Ok(summary),
        Err(Failed::Problems(p)) => Err(p),
        Err(Failed::Incomplete) => {
            let everything = Cache {
                files,
                ..Cache::default()
            };
            build_from(meetings, out, options, everything).map_err(|f| match f {
                Failed::Problems(p) => p,
                Failed::Incomplete => unreachable!("a build without a cache counts on none"),
            })
        }
    }
}

/// The cache in the site folder; an empty one when it is missing or damaged, and of an older
/// format only the files it lists (those the new build does not make are removed: the single
/// search index of before, its fragments).
fn read_cache(out: &Path) -> Cache {
    let bytes = std::fs::read(out.join(CACHE)).unwrap_or_default();
    serde_json::from_slice::<Cache>(&bytes)
        .ok()
        .filter(|c| c.format == FORMAT)
        .unwrap_or_else(|| {
            #[derive(Deserialize)]
            struct Files {
                files: BTreeSet<String>,
            }
            Cache {
                files: serde_json::from_slice::<Files>(&bytes)
                    .map(|f| f.files)
                    .unwrap_or_default(),
                ..Cache::default()
            }
        })
}

fn build_from(
    meetings: &[MeetingFile],
    out: &Path,
    options: &Options,
    mut cache: Cache,
) -> Result<Summary, Failed> {
    let mut summary = Summary::default();
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
    let today = options.today.unwrap_or(time::Date::MAX);
    // A first build, or one that cannot count on its cache: every shared page and part.
    let full = cache.meetings.is_empty() || cache.run != run.as_str();

    let env = html::environment();
    let mut listings: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut kept: BTreeMap<String, Cached> = BTreeMap::new();
    let mut fresh: BTreeMap<String, Fresh> = BTreeMap::new();
    let mut retimed = false;
    let mut problems = Vec::new();
    // Each meeting's files are checked by its gate and written beside their places as soon
    // as they are made, and renamed into place only when the whole build has passed (all
    // or none, as before): a first build of 10,000 meetings holds no page (issue 28).
    let mut staged = output::StagedFiles::new(out);
    let mut made_names: BTreeSet<String> = BTreeSet::new();
    let mut leaks = Vec::new();
    // The people the meetings read now withhold: the shared files must not name them.
    let mut withheld_persons: Vec<String> = Vec::new();
    // Who each meeting read now withholds itself: a find in a shared file is placed in a
    // meeting that names the person unmarked.
    let mut withheld_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // The search records of the meetings read, by part, out of memory until their parts are
    // made: a first build holds no meeting's records (issue 28).
    let mut spilled = spill::Spill::default();
    for m in meetings {
        let path = page_path(&m.relative);
        let names = edition_names(options.editions.as_deref(), &m.relative, &mut listings);
        // A meeting kept is moved out of the cache: what is left there afterwards is what
        // changed or went.
        if !full
            && let Some(c) = cache.meetings.get(&path)
            && c.editions == names
            && c.files.iter().all(|f| out.join(f).is_file())
            && let Some(updated) = incremental::unchanged(&c.inputs)
        {
            let mut c = cache.meetings.remove(&path).expect("looked up above");
            if let Some(inputs) = updated {
                c.inputs = inputs;
                retimed = true;
            }
            kept.insert(path, c);
            continue;
        }
        let state = state_of(&m.path)?;
        if state == State::Draft {
            summary.drafts.push(m.path.clone());
            continue;
        }
        let started = SystemTime::now();
        let folder = edition_folder(options.editions.as_deref(), &m.relative);
        let stem = stem_of(&m.relative);
        // A protocol shows its web editions; a coming meeting its public kallelse and pack
        // (a kallelse left from before the meeting is not the protocol's).
        let coming = state == State::Planerat;
        let editions: Vec<(String, Vec<u8>)> = folder
            .iter()
            .flat_map(|f| {
                names
                    .iter()
                    .filter(|n| is_kallelse_edition(&stem, n) == coming)
                    .filter_map(|n| std::fs::read(f.join(n)).ok().map(|b| (n.clone(), b)))
            })
            .collect();
        let prepared = if coming {
            web::prepare_kallelse(&m.path, None)
        } else {
            web::prepare(&m.path, today)
        };
        match prepared {
            Ok(mut p) => {
                summary.read += 1;
                if !coming {
                    p.web_record.versions = versions(&p, &stem, &editions);
                }
                if let Some(stale) = stale_edition(&p, folder.as_deref(), &stem, &editions, coming)
                {
                    problems.push(stale);
                    continue;
                }
                let record = serde_json::to_value(&p.web_record)
                    .map_err(|e| vec![Diagnostic::error(e.to_string())])?;
                let mut files: Vec<PublishedFile> = editions
                    .iter()
                    .map(|(name, bytes)| PublishedFile {
                        label: label(&stem, name, &record),
                        name: name.clone(),
                        sha256: sha256(bytes),
                    })
                    .collect();
                files.sort_by_key(|f| file_order(&stem, &f.name));
                let entry = Entry {
                    path: path.clone(),
                    record,
                    files,
                };
                let edition_paths: Vec<PathBuf> = folder
                    .iter()
                    .flat_map(|f| names.iter().map(|n| f.join(n)))
                    .collect();
                let inputs = meeting_inputs(&m.path, &edition_paths, started);
                let mut f = if coming {
                    made_coming(entry, editions, p.gate, inputs, names)
                } else {
                    made(&env, entry, editions, p.gate, inputs, names)
                };
                if problems.is_empty() {
                    if !coming {
                        spilled
                            .add(out, &part_of(&f.cached.brief), &path, &f.records)
                            .map_err(|e| vec![write_error(out, &e)])?;
                    }
                    f.records = Vec::new();
                    leaks.extend(check_cached(out, &path, &f.cached, &f.gate));
                    stage(
                        out,
                        std::mem::take(&mut f.files),
                        &f.gate,
                        &mut leaks,
                        &mut made_names,
                        &mut staged,
                        &mut summary,
                    )?;
                }
                let persons = f.gate.persons();
                if !persons.is_empty() {
                    withheld_by.insert(path.clone(), persons.clone());
                    withheld_persons.extend(persons);
                }
                f.gate = Gate::default();
                fresh.insert(path, f);
            }
            Err(errs) => problems.extend(errs),
        }
    }
    if !problems.is_empty() {
        return Err(Failed::Problems(problems));
    }
    let all_briefs = || {
        kept.values()
            .chain(fresh.values().map(|f| &f.cached))
            .map(|c| &c.brief)
    };
    summary.coming = all_briefs().filter(|b| b.coming.is_some()).count();
    summary.meetings = kept.len() + fresh.len() - summary.coming;
    // What is left in the cache: the meetings changed (read again) or gone.
    let gone: Vec<&String> = cache.meetings.keys().collect();
    let parts_now: BTreeMap<String, Vec<String>> = {
        let mut parts: BTreeMap<String, Vec<String>> = BTreeMap::new();
        // A coming meeting has no page, so no search records.
        for b in all_briefs().filter(|b| b.coming.is_none()) {
            parts.entry(part_of(b)).or_default().push(b.path.clone());
        }
        parts
    };
    // Nothing read again, the same meetings as last time, every file still there: the site
    // is what it was (the no-op rebuild writes and indexes nothing).
    // (A first build always writes: an archive with nothing to publish yet still gets its
    // start page, as a rebuild of one whose last meeting went keeps it.)
    if fresh.is_empty()
        && gone.is_empty()
        && !cache.files.is_empty()
        && cache.files.iter().all(|f| out.join(f).is_file())
        && parts_now.keys().all(|p| {
            out.join(PARTS)
                .join(p)
                .join("pagefind-entry.json")
                .is_file()
        })
    {
        summary.unchanged = cache.files.len() + kept.values().map(|c| c.files.len()).sum::<usize>();
        if retimed {
            save_cache(out, &cache, &kept)?;
        }
        return Ok(summary);
    }

    // What the changed, new and gone meetings touch: the year pages they are on (as they
    // were and as they are; a meeting read again whose brief is the same touches none), and
    // their parts of the search index.
    let mut touched = paged::Touched::default();
    let mut touched_parts: BTreeSet<String> = BTreeSet::new();
    for (path, old) in &cache.meetings {
        let now = fresh.get(path).map(|f| &f.cached.brief);
        if now != Some(&old.brief) {
            touched.add(&old.brief);
        }
        if old.brief.coming.is_none() {
            touched_parts.insert(part_of(&old.brief));
        }
    }
    for (path, f) in &fresh {
        if cache.meetings.get(path).map(|c| &c.brief) != Some(&f.cached.brief) {
            touched.add(&f.cached.brief);
        }
        if f.cached.brief.coming.is_none() {
            touched_parts.insert(part_of(&f.cached.brief));
        }
    }
    if full {
        touched_parts.extend(parts_now.keys().cloned());
    }

    // The gate of the shared files: the numbers every meeting's gate told apart, and the
    // people a meeting read now withholds.
    let mut shared_gate = Gate::default();
    let mut declared: BTreeSet<String> = BTreeSet::new();
    for c in kept.values().chain(fresh.values().map(|f| &f.cached)) {
        declared.extend(c.not_numbers.iter().cloned());
    }
    for name in &withheld_persons {
        shared_gate.withhold_person(name, None);
    }
    // A find in a shared file is placed in the meeting file its text came from (read only
    // then): the person pages and the search index carry every meeting's text.
    for (path, c) in kept.iter().chain(fresh.iter().map(|(p, f)| (p, &f.cached))) {
        if let Some(meeting) = c.inputs.first() {
            let withholds = withheld_by.get(path).cloned().unwrap_or_default();
            shared_gate.place_in(&meeting.path, &withholds);
        }
    }
    shared_gate.declare(declared);
    let withholds = !shared_gate.persons().is_empty();

    // The shared pages, each checked by the shared gate and staged as it is made.
    let mut sink = shared::Sink::new(out, &shared_gate, withholds, leaks, staged);
    let protocols = paged::protocols_newest_first(all_briefs());
    let people = paged::people(&protocols);
    let organs = paged::organs(all_briefs());
    let coming = model::coming(all_briefs());
    let pages = shared::Pages {
        env: &env,
        full,
        touched: &touched,
    };
    pages.make(&mut sink, &protocols, &people, &organs, &coming)?;
    let parts: Vec<&String> = parts_now.keys().collect();
    sink.put(
        "sok/index.html".into(),
        html::render(
            &env,
            "search.html",
            context! { root => "../", parts => Value::from(minijinja::value::Serde(&parts)) },
        )
        .into_bytes(),
    )?;
    sink.put("sok/sok.js".into(), html::SEARCH_JS.as_bytes().to_vec())?;
    sink.put("site.css".into(), html::CSS.as_bytes().to_vec())?;
    let indexer = search::Indexer::new().map_err(index_error)?;
    // The people's index (Pagefind's whole bundle) is made again only when what it holds
    // changed: an edited meeting rarely changes a name or a party.
    let people_records: Vec<SearchRecord> = people.values().map(search::person_record).collect();
    let people_index = sha256(&serde_json::to_vec(&people_records).expect("records serialise"));
    let main_files = |f: &&String| f.starts_with("pagefind/") && !f.starts_with(PARTS);
    if !full
        && people_index == cache.people_index
        && cache.files.iter().filter(main_files).count() > 0
        && cache
            .files
            .iter()
            .filter(main_files)
            .all(|f| out.join(f).is_file())
    {
        sink.keep(cache.files.iter().filter(main_files).cloned());
    } else {
        for (name, bytes) in indexer.index(&people_records, false).map_err(index_error)? {
            sink.put(format!("pagefind/{name}"), bytes)?;
        }
    }
    drop(people_records);
    drop(organs);
    drop(people);
    drop(protocols);
    drop(coming);

    // The parts of the search index the change touched, each from its stored records with
    // the changed meetings' replaced (read back from where they were set aside); each part's
    // files checked and staged as it is made (a part is a year: its size does not grow with
    // the archive).
    let mut part_names: BTreeSet<String> = BTreeSet::new();
    let mut parts_gone: Vec<String> = Vec::new();
    for part in &touched_parts {
        let store = out.join(STORE).join(format!("{part}.json"));
        let mut records: Part = if full {
            Part::new()
        } else {
            match std::fs::read(&store)
                .ok()
                .and_then(|b| serde_json::from_slice::<Part>(&b).ok())
            {
                Some(p) => p,
                // A part with meetings kept from the cache but no stored records: read
                // everything again.
                None if parts_now
                    .get(part)
                    .is_some_and(|ps| ps.iter().any(|p| kept.contains_key(p))) =>
                {
                    return Err(Failed::Incomplete);
                }
                None => Part::new(),
            }
        };
        records.retain(|path, _| kept.contains_key(path));
        let read_now: Part = spilled
            .take(part)
            .map_err(|e| vec![write_error(out, &e)])?
            .into_iter()
            .collect();
        // The stored records of the meetings kept passed the gate when they were written:
        // of the stored part, the records read now are what is checked (all of it when a
        // meeting read now withholds a person).
        let read_now_bytes = serde_json::to_vec(&read_now).expect("records serialise");
        records.extend(read_now);
        if records.is_empty() {
            parts_gone.push(part.clone());
            continue;
        }
        let all: Vec<SearchRecord> = records.values().flatten().cloned().collect();
        let files = indexer.index(&all, true).map_err(index_error)?;
        drop(all);
        for (name, bytes) in files {
            let rel = format!("{PARTS}/{part}/{name}");
            sink.put_part(&rel, &bytes)?;
            part_names.insert(rel);
        }
        let rel = format!("{STORE}/{part}.json");
        let bytes = serde_json::to_vec(&records).expect("records serialise");
        drop(records);
        sink.put_store(&rel, &bytes, &read_now_bytes)?;
        part_names.insert(rel);
    }

    // The last gate: every file made was read back before it was staged (the meetings' own,
    // the shared pages and the parts above); when a meeting read now withholds a person,
    // every shared file kept from before is read back and checked as well.
    let made_shared = sink.names();
    if withholds {
        let kept_shared = cache
            .files
            .iter()
            .filter(|f| !made_shared.contains(*f))
            .map(|f| out.join(f))
            .chain(
                parts_now
                    .keys()
                    .filter(|p| !touched_parts.contains(*p))
                    .flat_map(|p| files_below(&out.join(PARTS).join(p))),
            );
        for path in kept_shared {
            if let Ok(bytes) = std::fs::read(&path) {
                sink.check(&path, &bytes);
            }
        }
    }
    let shared::Done {
        leaks,
        staged,
        alive,
        unchanged,
    } = sink.done();
    if !leaks.is_empty() {
        return Err(Failed::Problems(leaks));
    }
    summary.unchanged += unchanged;

    // What is removed: the own files of changed and gone meetings no longer made, the shared
    // files no longer made or kept (the pages of people no longer named, of years with no
    // meeting left), the touched parts' files no longer made, the gone parts.
    let mut remove: Vec<PathBuf> = Vec::new();
    for path in &gone {
        for f in &cache.meetings[*path].files {
            if !made_names.contains(f) {
                remove.push(out.join(f));
            }
        }
    }
    for f in &cache.files {
        // (A cache of an older format lists the meetings' pages too: made again, kept.)
        if !alive.contains(f) && !made_names.contains(f) && !part_names.contains(f) {
            remove.push(out.join(f));
        }
    }
    for part in &touched_parts {
        for path in files_below(&out.join(PARTS).join(part)) {
            let rel = path
                .strip_prefix(out)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if !part_names.contains(&rel) {
                remove.push(path);
            }
        }
    }
    for part in &parts_gone {
        remove.push(out.join(STORE).join(format!("{part}.json")));
    }
    if full {
        // Parts a build without the cache no longer makes (it does not know the old ones).
        for dir in std::fs::read_dir(out.join(PARTS))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = dir.file_name().to_string_lossy().into_owned();
            if !parts_now.contains_key(&name) {
                remove.extend(files_below(&dir.path()));
                remove.push(out.join(STORE).join(format!("{name}.json")));
            }
        }
    }

    let staged_count = staged.len();
    staged
        .persist()
        .map_err(|(p, e)| vec![write_error(&p, &e)])?;
    write(out, std::iter::empty(), &remove, &mut summary)?;
    summary.written += staged_count;
    summary.unchanged += kept.values().map(|c| c.files.len()).sum::<usize>();
    let mut next = kept;
    next.extend(fresh.into_iter().map(|(k, f)| (k, f.cached)));
    let cache = Cache {
        format: FORMAT,
        run: run.as_str().to_string(),
        meetings: BTreeMap::new(),
        files: alive,
        people_index,
    };
    save_cache(out, &cache, &next)?;
    Ok(summary)
}

/// One meeting's own files: each checked by its gate (the leaks it finds go to `leaks`),
/// then left alone when the file there has the same bytes, or else staged: written beside
/// its place, renamed in when the whole build has passed. Once a leak is found nothing more
/// is staged (the build fails; what was staged is removed).
fn stage(
    out: &Path,
    files: Vec<(String, Vec<u8>)>,
    gate: &Gate,
    leaks: &mut Vec<Diagnostic>,
    made_names: &mut BTreeSet<String>,
    staged: &mut output::StagedFiles,
    summary: &mut Summary,
) -> Result<(), Failed> {
    for (rel, bytes) in files {
        let path = out.join(&rel);
        leaks.extend(gate.check_file(&path.display().to_string(), &bytes));
        if std::fs::read(&path).is_ok_and(|b| b == bytes) {
            summary.unchanged += 1;
        } else if leaks.is_empty() {
            output::stage(&path, &bytes)
                .and_then(|f| staged.push(f))
                .map_err(|e| vec![write_error(&path, &e)])?;
        }
        made_names.insert(rel);
    }
    Ok(())
}

/// What the cache keeps of a meeting read now, read back by the meeting's own gate: the cache
/// is in the site's folder, as public as the pages. Its brief (what the shared pages show),
/// the paths of its files (a bilaga's file name may name someone) and its files' names are
/// checked; not the checksums (hex, whose digits may take a personnummer's shape by chance)
/// nor the numbers its gate told apart (its page shows each, among the words that told it
/// apart: [`not_numbers`]).
fn check_cached(out: &Path, path: &str, c: &Cached, gate: &Gate) -> Vec<Diagnostic> {
    fn without_checksums(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(o) => {
                o.remove("sha256");
                o.values_mut().for_each(without_checksums);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(without_checksums),
            _ => {}
        }
    }
    let mut v = serde_json::json!({ "meetings": { (path): c } });
    if let Some(o) = v["meetings"][path].as_object_mut() {
        o.remove("not_numbers");
    }
    without_checksums(&mut v);
    let bytes = serde_json::to_vec(&v).expect("a cache entry serialises");
    gate.check_file(&out.join(CACHE).display().to_string(), &bytes)
        .into_iter()
        .map(|d| {
            d.with_note(
                "the site's cache is in the site's folder, as public as its pages: it keeps \
                 the paths of the files each meeting is made from and what the shared pages \
                 show of it",
            )
            .with_hint("rename the file or folder whose name carries it")
        })
        .collect()
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
}

fn index_error(e: String) -> Vec<Diagnostic> {
    vec![Diagnostic::error(format!(
        "cannot build the search index: {e}"
    ))]
}

/// Writes the cache, compact (at 10,000 meetings it is read on every build), streamed to
/// the file: `header` gives all but the meetings, which are `meetings`.
fn save_cache(
    out: &Path,
    header: &Cache,
    meetings: &BTreeMap<String, Cached>,
) -> Result<(), Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct Written<'a> {
        format: u32,
        run: &'a str,
        meetings: &'a BTreeMap<String, Cached>,
        files: &'a BTreeSet<String>,
        people_index: &'a str,
    }
    let cache = Written {
        format: FORMAT,
        run: &header.run,
        meetings,
        files: &header.files,
        people_index: &header.people_index,
    };
    let path = out.join(CACHE);
    output::write_atomic_with(&path, |w| {
        serde_json::to_writer(w, &cache).map_err(std::io::Error::from)
    })
    .map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot write `{}`: {e}",
            path.display()
        ))]
    })
}

/// One meeting read now made into its files: its page (`<path>/index.html`), its PDFs, its
/// search records and what the cache keeps of it.
fn made(
    env: &minijinja::Environment<'_>,
    e: Entry,
    editions: Vec<(String, Vec<u8>)>,
    gate: Gate,
    inputs: Vec<InputFile>,
    names: Vec<String>,
) -> Fresh {
    let root = root_of(&e.path);
    let brief = Brief::of(&e);
    // A name links to the person's page when the person has one: everyone this meeting
    // names, except the stand-ins of the withheld.
    let linked: BTreeMap<&str, bool> = brief
        .people
        .iter()
        .map(|p| (p.slug.as_str(), true))
        .collect();
    let names_of: BTreeMap<&str, &str> = e.record["persons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (model::str_at(p, &["id"]), model::str_at(p, &["name"])))
        .collect();
    let page = html::render(
        env,
        "meeting.html",
        context! { root, e => Value::from(minijinja::value::Serde(&e)), linked => Value::from(minijinja::value::Serde(&linked)), names => Value::from(minijinja::value::Serde(&names_of)) },
    );
    let records = search::meeting_records(&e);
    let mut shown = html_text(&page);
    for r in &records {
        for t in [&r.title, &r.content] {
            shown.push('\n');
            shown.push_str(t);
        }
    }
    let not_numbers = not_numbers(&gate, &shown);
    let mut files = vec![(format!("{}/index.html", e.path), page.into_bytes())];
    for (name, bytes) in editions {
        files.push((format!("{}/{name}", e.path), bytes));
    }
    Fresh {
        cached: Cached {
            inputs,
            editions: names,
            brief,
            not_numbers,
            files: files.iter().map(|(f, _)| f.clone()).collect(),
        },
        files,
        gate,
        records,
    }
}

/// A coming meeting read now: no page of its own (the start page and its organ's page list
/// it, [`Brief::coming`]), its public kallelse and pack copied into its folder, no search
/// records.
fn made_coming(
    e: Entry,
    editions: Vec<(String, Vec<u8>)>,
    gate: Gate,
    inputs: Vec<InputFile>,
    names: Vec<String>,
) -> Fresh {
    let files: Vec<(String, Vec<u8>)> = editions
        .into_iter()
        .map(|(name, bytes)| (format!("{}/{name}", e.path), bytes))
        .collect();
    let brief = Brief::coming(&e);
    let shown = serde_json::to_string(&brief).expect("a brief serialises");
    Fresh {
        cached: Cached {
            inputs,
            editions: names,
            not_numbers: not_numbers(&gate, &shown),
            brief,
            files: files.iter().map(|(f, _)| f.clone()).collect(),
        },
        files,
        gate,
        records: Vec::new(),
    }
}

/// What the shared files take as declared of one meeting: the numbers in `shown` (its page
/// as a reader sees it and its search records) that its gate tells apart from personnummer —
/// declared in its file or told apart by the words around them (the search index keeps a
/// number without those words) — each once. Only numbers it shows: a number declared for a
/// withheld § is not kept where the public can read it.
fn not_numbers(gate: &Gate, shown: &str) -> Vec<String> {
    let mut all = gate.excused(shown);
    all.sort();
    all.dedup();
    all
}

/// The meeting file's name without `.toml` (`relative` has none): "2020-04-21", what its
/// editions are named by.
fn stem_of(relative: &Path) -> String {
    relative
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The part of the search index a meeting's records are in: its year ("2020"; "utan-datum"
/// for a dateless fragment), so that a changed meeting rebuilds one year of the archive.
/// By year and not by organ too: Pagefind ranks each merged index by its own word
/// statistics, so a hit is ranked against the other organs of its year as in one index (a
/// diarienummer of one nämnd, cited in another organ's §, finds the nämnd's own § first).
fn part_of(b: &Brief) -> String {
    paged::year_slug(&b.date)
}

/// Every file below `dir` (none if it is not there).
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The files a meeting is made from, each with size, time and hash as when `started`: the
/// meeting file, every bilaga file it names that it does not withhold, its web editions. A
/// withheld bilaga is not named (this cache is published with the site, and a file's name
/// can say what the bilaga withholds: docs/publishing.md); nothing of it is on the site, so
/// a change to it changes no page. One that cannot be read is
/// recorded so that it never matches (the meeting is read again next time).
fn meeting_inputs(meeting: &Path, editions: &[PathBuf], started: SystemTime) -> Vec<InputFile> {
    let mut paths = vec![meeting.to_path_buf()];
    let folder = meeting
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let (Ok(text), Ok(sandbox)) = (std::fs::read(meeting), crate::sandbox::Sandbox::new(folder))
        && let Ok(listed) = incremental::public_bilaga_files(&text)
    {
        // Recorded as the meeting file is, below its folder as given (not the resolved
        // absolute path): the cache is published with the site, and a build machine's
        // folders are nobody's business (nor does a moved checkout then read every meeting
        // again). Only a plain relative path the sandbox admits is recorded so; any other
        // is recorded resolved.
        paths.extend(listed.iter().filter_map(|rel| {
            let resolved = sandbox.resolve(rel).ok()?;
            let plain = Path::new(rel)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            Some(if plain { folder.join(rel) } else { resolved })
        }));
    }
    paths.extend(editions.iter().cloned());
    paths
        .into_iter()
        .map(|p| {
            InputFile::of(&p, started).unwrap_or(InputFile {
                path: p,
                size: 0,
                modified_ns: 0,
                sha256: CHANGED_DURING_BUILD.into(),
            })
        })
        .collect()
}

/// A web edition made from another state of the meeting than the file's now (published,
/// then the file changed, and not published again): its record (`<stem>-webb.json`, written
/// with the PDF; a public kallelse's `<stem>-kallelse-webb.json` beside it) is not the record
/// the meeting gives now — for a corrected protocol, with each version's web edition and
/// its checksum as found ([`versions`]). Such an edition is refused.
fn stale_edition(
    p: &web::Prepared,
    folder: Option<&Path>,
    stem: &str,
    editions: &[(String, Vec<u8>)],
    coming: bool,
) -> Option<Diagnostic> {
    let folder = folder?;
    let now = p.web_record.to_json();
    let records: Vec<(&String, String)> = if coming {
        editions
            .iter()
            .map(|(name, _)| (name, name.replace(".pdf", ".json")))
            .collect()
    } else {
        let (first, _) = editions.first()?;
        vec![(first, format!("{stem}-webb.json"))]
    };
    let (pdf, json) = records
        .into_iter()
        .find(|(_, json)| !std::fs::read_to_string(folder.join(json)).is_ok_and(|t| t == now))?;
    if let Some(changed) = changed_version(&folder.join(json), &p.web_record) {
        return Some(
            Diagnostic::error(format!(
                "the web edition `{}` is not the one its record lists (missing, or its SHA-256 \
                 differs): it is not published (nothing of the site is changed)",
                folder.join(changed).display()
            ))
            .at(&p.file, 0..0)
            .with_hint("publish the meeting again (`assemble publish`), then build the site"),
        );
    }
    let again = if coming {
        "make its public kallelse again (`assemble kallelse M.toml --public`, with `--pack` for the pack), then build the site"
    } else {
        "publish the meeting again (`assemble publish`), then build the site"
    };
    Some(
        Diagnostic::error(format!(
            "the web edition `{}` was not made from the meeting file as it is now: it is not \
             published (nothing of the site is changed)",
            folder.join(pdf).display()
        ))
        .at(&p.file, 0..0)
        .with_hint(again),
    )
}

/// The file of the first version whose checksum the record at `json` gives otherwise than
/// the file found, when that is all that differs (the record is the one the meeting gives
/// now): a version changed or gone since it was published.
fn changed_version(json: &Path, now: &crate::publish::record::Record) -> Option<String> {
    let mut written: serde_json::Value = serde_json::from_slice(&std::fs::read(json).ok()?).ok()?;
    let mut current = serde_json::to_value(now).ok()?;
    let listed = written.as_object_mut()?.remove("versions")?;
    let found = current.as_object_mut()?.remove("versions")?;
    if written != current {
        return None;
    }
    let (listed, found) = (listed.as_array()?, found.as_array()?);
    listed
        .iter()
        .zip(found)
        .find(|(l, f)| l != f)
        .and_then(|(l, _)| l["file"].as_str().map(str::to_string))
}

/// The versions of a corrected protocol's web edition as found among `editions`: 0
/// `<stem>-webb.pdf` (the justerat original's), N `<stem>-rattelse-N-webb.pdf`, each with
/// the checksum of its bytes (empty when it is not there, which no record `publish` wrote
/// gives: the edition is then refused as not made from the file now). None without
/// rättelser or without editions.
fn versions(
    p: &web::Prepared,
    stem: &str,
    editions: &[(String, Vec<u8>)],
) -> Vec<crate::publish::record::Version> {
    if p.versions.is_empty() || editions.is_empty() {
        return Vec::new();
    }
    (0..=p.versions.len())
        .map(|n| {
            let file = crate::documents::webbutgava::file_name(stem, n);
            let sha256 = editions
                .iter()
                .find(|(name, _)| *name == file)
                .map(|(_, bytes)| self::sha256(bytes))
                .unwrap_or_default();
            crate::publish::record::Version {
                version: n,
                file,
                sha256,
            }
        })
        .collect()
}

/// Writes the files whose bytes changed (all of them or none), then removes `remove`.
fn write(
    out: &Path,
    files: impl Iterator<Item = (String, Vec<u8>)>,
    remove: &[PathBuf],
    summary: &mut Summary,
) -> Result<(), Vec<Diagnostic>> {
    let mut changed = Vec::new();
    for (rel, bytes) in files {
        let path = out.join(rel);
        if std::fs::read(&path).is_ok_and(|b| b == bytes) {
            summary.unchanged += 1;
        } else {
            changed.push((path, bytes));
        }
    }
    summary.written = changed.len();
    output::write_all_atomic(&changed).map_err(|(p, e)| {
        vec![Diagnostic::error(format!(
            "cannot write `{}`: {e}",
            p.display()
        ))]
    })?;
    for path in remove {
        if std::fs::remove_file(path).is_ok() {
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

/// Where a meeting is in its life, as its file says (read, not validated: validation is
/// [`web::prepare`]'s and [`web::prepare_kallelse`]'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `status = "planerat"`: a coming meeting, listed with its public kallelse. The
    /// status decides, not the meeting's date against a clock: the same archive gives the
    /// same site whenever it is built.
    Planerat,
    /// Held, not justerat: never published.
    Draft,
    /// A justerat protocol: its page.
    Justerad,
}

fn state_of(path: &Path) -> Result<State, Vec<Diagnostic>> {
    Ok(match meeting::load(path)?.raw {
        meeting::raw::RawProtocol::Fvg(m) if m.justerad.is_some() => State::Justerad,
        meeting::raw::RawProtocol::Namnd(m) if m.justerad.is_some() => State::Justerad,
        meeting::raw::RawProtocol::Namnd(m) if m.status.is_some() => State::Planerat,
        _ => State::Draft,
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

/// The folder of the web editions of the meeting `relative` in `dir`.
fn edition_folder(dir: Option<&Path>, relative: &Path) -> Option<PathBuf> {
    Some(dir?.join(relative.parent().unwrap_or(Path::new(""))))
}

/// The names of the web-edition PDFs of the meeting `relative` in `dir`: `<stem>-webb.pdf`
/// first, then the others by name (extracts `<stem>-pN-webb.pdf`, a corrected protocol's
/// versions `<stem>-rattelse-N-webb.pdf`, a coming meeting's public kallelse and pack). Each folder is listed once
/// a build (`listings`): a folder of an organ's ten years of editions is not read again for
/// each of its meetings.
fn edition_names(
    dir: Option<&Path>,
    relative: &Path,
    listings: &mut BTreeMap<PathBuf, Vec<String>>,
) -> Vec<String> {
    let Some(folder) = edition_folder(dir, relative) else {
        return Vec::new();
    };
    let stem = stem_of(relative);
    let listed = listings.entry(folder.clone()).or_insert_with(|| {
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    });
    let mut names: Vec<String> = listed
        .iter()
        .filter(|n| is_own_edition(&stem, n))
        .cloned()
        .collect();
    let main = format!("{stem}-webb.pdf");
    names.sort_by_key(|n| (*n != main, n.clone()));
    names
}

/// Whether `name` is a web edition of the meeting `stem` itself: `<stem>-webb.pdf`,
/// `<stem>-pN-webb.pdf`, `<stem>-rattelse-N-webb.pdf`, `<stem>-kallelse-webb.pdf` or
/// `<stem>-handlingar-webb.pdf` — not of another meeting whose name begins the same
/// (`2020-04-21-extra-webb.pdf` is not 2020-04-21's).
fn is_own_edition(stem: &str, name: &str) -> bool {
    let Some(rest) = name.strip_prefix(stem).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    if matches!(
        rest,
        "webb.pdf" | "kallelse-webb.pdf" | "handlingar-webb.pdf"
    ) {
        return true;
    }
    let numbered = |prefix: &str| {
        rest.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix("-webb.pdf"))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    numbered("p") || numbered("rattelse-")
}

/// Whether `name` is the public kallelse or meeting pack of the meeting `stem` (`assemble
/// kallelse --public`), shown while the meeting is coming; the rest are its protocol's.
fn is_kallelse_edition(stem: &str, name: &str) -> bool {
    [
        format!("{stem}-kallelse-webb.pdf"),
        format!("{stem}-handlingar-webb.pdf"),
    ]
    .contains(&name.to_string())
}

/// The order of a meeting's files on its page: the protocol as it stands first, then its
/// earlier versions (newest first, the justerat original last), then the extracts; the
/// kallelse before the meeting pack.
fn file_order(stem: &str, name: &str) -> (u8, std::cmp::Reverse<usize>, String) {
    let rest = name
        .strip_prefix(stem)
        .and_then(|r| r.strip_prefix('-'))
        .unwrap_or(name);
    let version = rest
        .strip_prefix("rattelse-")
        .and_then(|r| r.strip_suffix("-webb.pdf"))
        .and_then(|n| n.parse::<usize>().ok());
    let rank = match (rest, version) {
        (_, Some(_)) | ("webb.pdf", _) => 0,
        ("kallelse-webb.pdf", _) => 1,
        ("handlingar-webb.pdf", _) => 2,
        _ => 3,
    };
    (
        rank,
        std::cmp::Reverse(version.unwrap_or(0)),
        name.to_string(),
    )
}

/// What a reader sees for a published PDF: the web edition `<stem>-webb.pdf`, an extract
/// `<stem>-p33-webb.pdf`, the anslagsbevis; of a corrected protocol each version, by the
/// record's dates ("Ursprunglig version, justerad den 24 april 2020"); of a coming meeting its
/// public kallelse and meeting pack.
fn label(stem: &str, name: &str, record: &serde_json::Value) -> String {
    let rest = name
        .strip_prefix(stem)
        .and_then(|r| r.strip_prefix('-'))
        .unwrap_or(name);
    let rattelser = record["rattelser"].as_array().map_or(0, Vec::len);
    let date = |v: &serde_json::Value| {
        let iso = v.as_str().unwrap_or("");
        html::long_date(iso).unwrap_or_else(|| iso.to_string())
    };
    let version = rest
        .strip_prefix("rattelse-")
        .and_then(|r| r.strip_suffix("-webb.pdf"))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=rattelser).contains(n));
    match (rest, version) {
        ("webb.pdf", _) if rattelser > 0 => format!(
            "Ursprunglig version, justerad den {} (webbutgåva, PDF)",
            date(&record["meeting"]["justerad"])
        ),
        (_, Some(n)) => {
            let when = date(&record["rattelser"][n - 1]["date"]);
            if n == rattelser {
                format!("Protokollet, rättat den {when} (webbutgåva, PDF)")
            } else {
                format!("Version {n}, rättad den {when} (webbutgåva, PDF)")
            }
        }
        ("kallelse-webb.pdf", _) => {
            "Kallelse med föredragningslista (offentlig utgåva, PDF)".into()
        }
        ("handlingar-webb.pdf", _) => "Sammanträdeshandlingar (offentlig utgåva, PDF)".into(),
        _ => plain_label(name),
    }
}

/// What a reader sees for a published PDF by its name alone.
fn plain_label(name: &str) -> String {
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
    use super::{file_order, label, plain_label};

    #[test]
    fn published_files_are_labelled_by_their_plain_names() {
        assert_eq!(
            plain_label("2020-04-21-webb.pdf"),
            "Protokollet (webbutgåva, PDF)"
        );
        assert_eq!(
            plain_label("2020-04-21-p33-webb.pdf"),
            "Protokollsutdrag § 33 (webbutgåva, PDF)"
        );
        assert_eq!(
            plain_label("2020-04-21-anslag-webb.pdf"),
            "Anslagsbevis (PDF)"
        );
    }

    /// A corrected protocol's versions are told apart by the record's dates, the one in
    /// force first and the justerat original last.
    #[test]
    fn versions_are_labelled_by_their_dates_and_the_current_comes_first() {
        let record = serde_json::json!({
            "meeting": { "justerad": "2020-04-24" },
            "rattelser": [{ "date": "2020-05-04" }, { "date": "2020-05-11" }],
        });
        let label = |name: &str| label("2020-04-21", name, &record);
        assert_eq!(
            label("2020-04-21-webb.pdf"),
            "Ursprunglig version, justerad den 24 april 2020 (webbutgåva, PDF)"
        );
        assert_eq!(
            label("2020-04-21-rattelse-1-webb.pdf"),
            "Version 1, rättad den 4 maj 2020 (webbutgåva, PDF)"
        );
        assert_eq!(
            label("2020-04-21-rattelse-2-webb.pdf"),
            "Protokollet, rättat den 11 maj 2020 (webbutgåva, PDF)"
        );
        let mut names = vec![
            "2020-04-21-p33-webb.pdf",
            "2020-04-21-webb.pdf",
            "2020-04-21-rattelse-1-webb.pdf",
            "2020-04-21-rattelse-2-webb.pdf",
        ];
        names.sort_by_key(|n| file_order("2020-04-21", n));
        assert_eq!(
            names,
            [
                "2020-04-21-rattelse-2-webb.pdf",
                "2020-04-21-rattelse-1-webb.pdf",
                "2020-04-21-webb.pdf",
                "2020-04-21-p33-webb.pdf",
            ]
        );
    }
}
