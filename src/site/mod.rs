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
//! is not read again (its entry comes from the site's cache, [`cache`]), a file whose bytes
//! are unchanged is not rewritten, and files of meetings no longer in the archive are
//! removed. The same archive gives the same bytes, however it is named.
//!
//! Its memory does not follow the archive (issue 28): the meetings are gone through one at a
//! time in page order beside their entries, each meeting's entry and search records set
//! aside on disk by year ([`spill`]); the pages listing organs, years and people are made
//! from summaries ([`paged::Summaries`]), each year's own pages and part of the search index
//! from that year's meetings, one year at a time.

mod cache;
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
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::incremental::{self, CHANGED_DURING_BUILD, InputFile, RunKey};
use crate::inputs::MeetingFile;
use crate::meeting;
use crate::output;
use crate::publish::gate::{Gate, html_text};
use crate::publish::web;
use crate::render::Templates;

use cache::Cached;
use model::{Brief, Entry, PublishedFile};
use search::SearchRecord;

/// The search records of each part of the search index, `<STORE>/<part>.json`: what a part
/// is built again from when one of its meetings changed, without reading the others.
const STORE: &str = ".protokoll-site/sok";
/// The parts of the search index, one per year (`<PARTS>/<year>/`), merged
/// into the main index (`pagefind/`, the people) in the reader's browser.
const PARTS: &str = "pagefind/delar";

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

/// One meeting on the site after this build, set aside with its year's meetings until that
/// year's pages are made (issue 28): whether it was read now, its meeting file as the build
/// was given it (a find of the gate is placed in it), its page path and its entry.
struct OnSite {
    fresh: bool,
    source: PathBuf,
    path: String,
    cached: Cached,
}

impl OnSite {
    /// Sets aside the meeting in `spill`, by its year: `[fresh, source, line]`, `line` its line
    /// in its year's file of the cache (`[path, entry]`; a kept meeting's as it was read, not
    /// written again).
    fn set_aside(
        spill: &mut spill::Spill,
        out: &Path,
        year: &str,
        fresh: bool,
        source: &Path,
        line: &str,
    ) -> std::io::Result<()> {
        let mut json = format!("[{fresh},").into_bytes();
        // (As text: a path that is not UTF-8 places no find, and fails nothing.)
        serde_json::to_writer(&mut json, &source.to_string_lossy())?;
        json.push(b',');
        json.extend_from_slice(line.as_bytes());
        json.push(b']');
        spill.add_json(out, year, &json)
    }

    /// The meetings of `year` set aside in `spill`, by page path.
    fn take(spill: &mut spill::Spill, year: &str) -> std::io::Result<Vec<OnSite>> {
        let lines: Vec<(bool, PathBuf, (String, Cached))> = spill.take(year)?;
        Ok(lines
            .into_iter()
            .map(|(fresh, source, (path, cached))| OnSite {
                fresh,
                source,
                path,
                cached,
            })
            .collect())
    }
}

/// What the changed, new and gone meetings touch, gathered as the build goes through the
/// meetings: the year pages they are on (as they were and as they are; a meeting read again
/// whose brief is the same touches none), their parts of the search index, their years'
/// files of the cache, and their files no meeting makes now.
#[derive(Default)]
struct Change {
    touched: paged::Touched,
    parts: BTreeSet<String>,
    years: BTreeSet<String>,
    remove: Vec<PathBuf>,
    /// Meetings on the site before and not now.
    gone: usize,
}

impl Change {
    /// The meeting at one page path as it was (`old`) and as it is now (`new`; `None`: gone).
    fn add(&mut self, out: &Path, old: Option<&Cached>, new: Option<&Cached>) {
        let (was, is) = (old.map(|c| &c.brief), new.map(|c| &c.brief));
        if was != is {
            was.into_iter().chain(is).for_each(|b| self.touched.add(b));
        }
        for b in was.into_iter().chain(is) {
            let year = part_of(b);
            // A coming meeting has no page, so no search records.
            if b.coming.is_none() {
                self.parts.insert(year.clone());
            }
            self.years.insert(year);
        }
        if let Some(old) = old {
            for f in &old.files {
                if !new.is_some_and(|n| n.files.contains(f)) {
                    self.remove.push(out.join(f));
                }
            }
        }
        if new.is_none() && old.is_some() {
            self.gone += 1;
        }
    }
}

/// Why a build from the cache could not go on.
enum Failed {
    Problems(Vec<Diagnostic>),
    /// Something the cache counts on is gone or damaged (a year's file of meetings, a stored
    /// part of the search index, a shared file): build again with every meeting read.
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
/// it names, the index pages — and only its year's part of the search index. Its memory
/// does not follow the archive: the meetings are gone through one at a time, each year's
/// pages made from that year's meetings, set aside on disk until then (issue 28).
pub fn build(
    meetings: &[MeetingFile],
    out: &Path,
    options: &Options,
) -> Result<Summary, Vec<Diagnostic>> {
    let header = cache::read_header(out);
    let files = header.files.clone();
    match build_from(meetings, out, options, header) {
        Ok(summary) => Ok(summary),
        Err(Failed::Problems(p)) => Err(p),
        Err(Failed::Incomplete) => {
            let everything = cache::Header {
                files,
                ..cache::Header::default()
            };
            build_from(meetings, out, options, everything).map_err(|f| match f {
                Failed::Problems(p) => p,
                Failed::Incomplete => unreachable!("a build without a cache counts on none"),
            })
        }
    }
}

fn build_from(
    meetings: &[MeetingFile],
    out: &Path,
    options: &Options,
    cache: cache::Header,
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
    let full = cache.years.is_empty() || cache.run != run.as_str();
    let damaged = |_: cache::Damaged| Failed::Incomplete;
    let set_aside = |e: std::io::Error| Failed::Problems(vec![write_error(out, &e)]);

    let env = html::environment();
    // The meetings in the order of their pages, the order of the cache's files: each is
    // taken with its entry as it was, one at a time.
    let mut order: Vec<(String, usize)> = meetings
        .iter()
        .enumerate()
        .map(|(i, m)| (page_path(&m.relative), i))
        .collect();
    order.sort();
    let mut old = cache::Old::open(out, &cache).map_err(damaged)?;
    let mut listing: Option<(PathBuf, Vec<String>)> = None;
    // Every meeting on the site after this build, by year, out of memory until its year's
    // pages are made; and the search records of the meetings read, by part.
    let mut on_site = spill::Spill::default();
    let mut spilled = spill::Spill::default();
    let mut sums = paged::Summaries::default();
    let mut change = Change::default();
    // The years with a meeting kept whose files' times moved (its entry is written again).
    let mut retimed: BTreeSet<String> = BTreeSet::new();
    let mut kept_files = 0;
    // The numbers the pages listing organs and people may show (a name with digits, a coming
    // meeting): those its meeting's gate told apart.
    let mut declared_lists: BTreeSet<String> = BTreeSet::new();
    let mut problems: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
    let mut drafts: Vec<(usize, PathBuf)> = Vec::new();
    // Each meeting's files are checked by its gate and written beside their places as soon
    // as they are made, and renamed into place only when the whole build has passed (all
    // or none, as before): a first build of 10,000 meetings holds no page (issue 28).
    let mut staged = output::StagedFiles::new(out);
    // The meetings' own files that the cache's shared files list (a cache of an older format
    // listed the meetings' pages): made, so not removed.
    let mut listed_made: BTreeSet<String> = BTreeSet::new();
    let mut leaks = Vec::new();
    // The people the meetings read now withhold: the shared files must not name them.
    let mut withheld_persons: Vec<String> = Vec::new();
    // Who each meeting read now withholds itself, by its meeting file: a find in a shared
    // file is placed in a meeting that names the person unmarked.
    let mut withheld_by: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut previous: Option<(&str, usize)> = None;
    for (path, i) in &order {
        let m = &meetings[*i];
        if let Some((p, j)) = previous
            && p == path
        {
            problems.push((
                *i,
                vec![
                    Diagnostic::error(format!(
                        "`{}` and `{}` would both be published at `{path}/`: neither is",
                        meetings[j].path.display(),
                        m.path.display()
                    ))
                    .with_hint("rename one of the two files"),
                ],
            ));
            continue;
        }
        previous = Some((path, *i));
        // The meetings of the last build before this one in page order are gone.
        while old.peek().is_some_and(|p| p < path.as_str()) {
            let (_, c, _) = old.pop().map_err(damaged)?.expect("looked at above");
            change.add(out, Some(&c), None);
        }
        let (before, line) = match old.peek() == Some(path.as_str()) {
            true => match old.pop().map_err(damaged)? {
                Some((_, c, line)) => (Some(c), line),
                None => (None, String::new()),
            },
            false => (None, String::new()),
        };
        let root = archive_root(m);
        let names = edition_names(options.editions.as_deref(), &m.relative, &mut listing);
        if !full
            && let Some(c) = &before
            && c.editions == names
            && c.files.iter().all(|f| out.join(f).is_file())
            && let Some(updated) = still(c, &root, options.editions.as_deref())
        {
            let mut c = before.expect("looked at above");
            let year = part_of(&c.brief);
            let mut line = line;
            if let Some((inputs, edition_inputs)) = updated {
                c.inputs = inputs;
                c.edition_inputs = edition_inputs;
                line = serde_json::to_string(&(path, &c)).expect("an entry serialises");
                retimed.insert(year.clone());
            }
            sums.add(&c.brief, &m.path);
            if shown_on_lists(&c.brief) {
                declared_lists.extend(c.not_numbers.iter().cloned());
            }
            kept_files += c.files.len();
            listed_made.extend(c.files.iter().filter(|f| cache.files.contains(*f)).cloned());
            OnSite::set_aside(&mut on_site, out, &year, false, &m.path, &line)
                .map_err(set_aside)?;
            continue;
        }
        let state = state_of(&m.path)?;
        if state == State::Draft {
            drafts.push((*i, m.path.clone()));
            change.add(out, before.as_ref(), None);
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
                    problems.push((*i, vec![stale]));
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
                let inputs = Inputs {
                    archive: meeting_inputs(&m.path, &root, started),
                    editions: edition_inputs(folder.as_deref(), &m.relative, &names, started),
                };
                let mut f = if coming {
                    made_coming(entry, editions, p.gate, inputs, names)
                } else {
                    made(&env, entry, editions, p.gate, inputs, names)
                };
                if problems.is_empty() {
                    if !coming {
                        spilled
                            .add(out, &part_of(&f.cached.brief), &(&path, &f.records))
                            .map_err(set_aside)?;
                    }
                    f.records = Vec::new();
                    leaks.extend(check_cached(out, path, &f.cached, &f.gate));
                    stage(
                        out,
                        std::mem::take(&mut f.files),
                        &f.gate,
                        &mut leaks,
                        &mut staged,
                        &mut summary,
                    )?;
                }
                let persons = f.gate.persons();
                if !persons.is_empty() {
                    withheld_by.insert(m.path.clone(), persons.clone());
                    withheld_persons.extend(persons);
                }
                change.add(out, before.as_ref(), Some(&f.cached));
                sums.add(&f.cached.brief, &m.path);
                if shown_on_lists(&f.cached.brief) {
                    declared_lists.extend(f.cached.not_numbers.iter().cloned());
                }
                listed_made.extend(
                    f.cached
                        .files
                        .iter()
                        .filter(|f| cache.files.contains(*f))
                        .cloned(),
                );
                let line = serde_json::to_string(&(path, &f.cached)).expect("an entry serialises");
                OnSite::set_aside(
                    &mut on_site,
                    out,
                    &part_of(&f.cached.brief),
                    true,
                    &m.path,
                    &line,
                )
                .map_err(set_aside)?;
            }
            Err(errs) => problems.push((*i, errs)),
        }
    }
    // What is left of the last build is gone (this also checks that every year's file was
    // read to its end, as many meetings as written).
    while let Some((_, c, _)) = old.pop().map_err(damaged)? {
        change.add(out, Some(&c), None);
    }
    drop(old);
    if !problems.is_empty() {
        // In the order the meetings were named, as each meeting's own.
        problems.sort_by_key(|(i, _)| *i);
        return Err(Failed::Problems(
            problems.into_iter().flat_map(|(_, p)| p).collect(),
        ));
    }
    drafts.sort();
    summary.drafts = drafts.into_iter().map(|(_, p)| p).collect();
    summary.coming = sums.coming_count();
    summary.meetings = sums.years.values().sum();

    // Nothing read again, the same meetings as last time, every file still there: the site
    // is what it was (the no-op rebuild writes and indexes nothing).
    // (A first build always writes: an archive with nothing to publish yet still gets its
    // start page, as a rebuild of one whose last meeting went keeps it.)
    if summary.read == 0
        && change.gone == 0
        && !cache.files.is_empty()
        && cache.files.iter().all(|f| out.join(f).is_file())
        && sums.years.keys().all(|p| {
            out.join(PARTS)
                .join(p)
                .join("pagefind-entry.json")
                .is_file()
        })
    {
        summary.unchanged = cache.files.len() + kept_files;
        if !retimed.is_empty() {
            let mut header = cache::Header {
                format: cache::FORMAT,
                run: cache.run.clone(),
                files: cache.files.clone(),
                people_index: cache.people_index.clone(),
                years: cache.years.clone(),
            };
            let mut years = output::StagedFiles::new(out);
            for y in &retimed {
                let lines = OnSite::take(&mut on_site, y).map_err(set_aside)?;
                header
                    .years
                    .insert(y.clone(), stage_year(out, y, &lines, &mut years)?);
            }
            years
                .persist()
                .map_err(|(p, e)| vec![write_error(&p, &e)])?;
            save_header(out, &header)?;
        }
        return Ok(summary);
    }

    // The gate of the pages listing organs, years and people: the people a meeting read now
    // withholds, the numbers those pages may show, placed in the meeting files their names
    // come from. Each year's pages have a gate of their own, made from that year's meetings.
    let withholds = !withheld_persons.is_empty();
    let lists_gate = gate_of(
        &withheld_persons,
        sums.sources()
            .into_iter()
            .chain(withheld_by.keys().map(PathBuf::as_path))
            .collect::<BTreeSet<&Path>>(),
        &withheld_by,
        declared_lists,
    );

    // The shared pages, each checked by its gate and staged as it is made.
    let mut sink = shared::Sink::new(out, lists_gate, withholds, leaks, staged);
    let people = sums.people();
    let organs = sums.organs();
    let coming = sums.coming();
    let pages = shared::Pages {
        env: &env,
        full,
        touched: &change.touched,
    };
    pages.lists(&mut sink, &people, &organs, &coming)?;
    drop(organs);
    drop(coming);
    let parts: Vec<&String> = sums.years.keys().collect();
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

    // Each year, one at a time, from that year's meetings (read back from where they were
    // set aside): its organs' and people's pages the change touched, its part of the search
    // index from its stored records with the changed meetings' replaced, its file of the
    // cache. A year no change touched is not read.
    let mut people_by_year: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in people.values() {
        for y in &p.years {
            people_by_year.entry(&y.slug).or_default().push(p.slug);
        }
    }
    let mut header = cache::Header {
        format: cache::FORMAT,
        run: run.as_str().to_string(),
        files: BTreeSet::new(),
        people_index,
        years: BTreeMap::new(),
    };
    let mut year_files = output::StagedFiles::new(out);
    let years: BTreeSet<String> = cache
        .years
        .keys()
        .cloned()
        .chain(on_site.parts().cloned())
        .chain(change.parts.iter().cloned())
        .collect();
    // The files of the parts built that the cache's shared files list (an older format's);
    // and the files of the parts built that were not made again, to be removed. (Not every
    // part's files: a part has a fragment a §, and they grow with the archive.)
    let mut part_names: BTreeSet<String> = BTreeSet::new();
    let mut parts_left: Vec<PathBuf> = Vec::new();
    let mut parts_gone: Vec<String> = Vec::new();
    let mut years_gone: Vec<String> = Vec::new();
    for y in &years {
        let wanted = pages.year_wanted(
            &mut sink,
            y,
            sums.organs_of_year(y),
            people_by_year
                .get(y.as_str())
                .into_iter()
                .flatten()
                .copied(),
        );
        let part = change.parts.contains(y) || full && sums.years.contains_key(y);
        let rewrite = full || change.years.contains(y) || retimed.contains(y);
        if !wanted.any() && !part && !withholds && !rewrite {
            if let Some(f) = cache.years.get(y) {
                header.years.insert(y.clone(), f.clone());
            }
            continue;
        }
        let lines = OnSite::take(&mut on_site, y).map_err(set_aside)?;
        if !rewrite {
            if let Some(f) = cache.years.get(y) {
                header.years.insert(y.clone(), f.clone());
            }
        } else if lines.is_empty() {
            years_gone.push(y.clone());
        } else {
            header
                .years
                .insert(y.clone(), stage_year(out, y, &lines, &mut year_files)?);
        }
        if !wanted.any() && !part && !withholds {
            continue;
        }
        let declared: BTreeSet<String> = lines
            .iter()
            .flat_map(|l| l.cached.not_numbers.iter().cloned())
            .collect();
        let year_gate = gate_of(
            &withheld_persons,
            lines.iter().map(|l| l.source.as_path()).collect(),
            &withheld_by,
            declared,
        );
        let lists_gate = sink.set_gate(year_gate);
        let briefs = paged::protocols_newest_first(lines.iter().map(|l| &l.cached.brief));
        pages.year(&mut sink, y, &briefs, &people, &wanted)?;
        drop(briefs);
        // A file kept from before passed the gate when it was written; when a meeting read
        // now withholds a person, it is read back and checked for the name too.
        if withholds {
            for rel in &wanted.kept {
                let path = out.join(rel);
                if let Ok(bytes) = std::fs::read(&path) {
                    sink.check(&path, &bytes);
                }
            }
        }
        if part {
            let kept: BTreeSet<&str> = lines
                .iter()
                .filter(|l| !l.fresh && l.cached.brief.coming.is_none())
                .map(|l| l.path.as_str())
                .collect();
            let store = out.join(STORE).join(format!("{y}.json"));
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
                    None if !kept.is_empty() => return Err(Failed::Incomplete),
                    None => Part::new(),
                }
            };
            records.retain(|path, _| kept.contains(path.as_str()));
            drop(kept);
            let read_now: Part = spilled
                .take::<(String, Vec<SearchRecord>)>(y)
                .map_err(set_aside)?
                .into_iter()
                .collect();
            // The stored records of the meetings kept passed the gate when they were
            // written: of the stored part, the records read now are what is checked (all of
            // it when a meeting read now withholds a person).
            let read_now_bytes = serde_json::to_vec(&read_now).expect("records serialise");
            records.extend(read_now);
            let mut names: BTreeSet<String> = BTreeSet::new();
            if records.is_empty() {
                parts_gone.push(y.clone());
            } else {
                let all: Vec<SearchRecord> = records.values().flatten().cloned().collect();
                let files = indexer.index(&all, true).map_err(index_error)?;
                drop(all);
                for (name, bytes) in files {
                    let rel = format!("{PARTS}/{y}/{name}");
                    sink.put_part(&rel, &bytes)?;
                    names.insert(rel);
                }
                let rel = format!("{STORE}/{y}.json");
                let bytes = serde_json::to_vec(&records).expect("records serialise");
                drop(records);
                sink.put_store(&rel, &bytes, &read_now_bytes)?;
                names.insert(rel);
            }
            for path in files_below(&out.join(PARTS).join(y)) {
                let rel = path
                    .strip_prefix(out)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                if !names.contains(&rel) {
                    parts_left.push(path);
                }
            }
            part_names.extend(names.into_iter().filter(|n| cache.files.contains(n)));
        } else if withholds {
            for path in files_below(&out.join(PARTS).join(y)) {
                if let Ok(bytes) = std::fs::read(&path) {
                    sink.check(&path, &bytes);
                }
            }
        }
        sink.set_gate(lists_gate);
    }
    drop(people_by_year);
    drop(people);

    // The last gate: every file made was read back before it was staged (the meetings' own,
    // the shared pages and the parts above); when a meeting read now withholds a person,
    // every shared file kept from before is read back and checked as well (each year's
    // above, with its year's gate; the rest here).
    if withholds {
        let made_shared = sink.names();
        for f in cache
            .files
            .iter()
            .filter(|f| !made_shared.contains(*f) && !is_year_page(f))
        {
            let path = out.join(f);
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
    // meeting left), the built parts' files no longer made, the gone parts, the years' files
    // of the cache of years with no meeting left.
    let mut remove: Vec<PathBuf> = change.remove;
    for f in &cache.files {
        // (A cache of an older format lists the meetings' pages too: made again, kept.)
        if !alive.contains(f) && !listed_made.contains(f) && !part_names.contains(f) {
            remove.push(out.join(f));
        }
    }
    remove.extend(parts_left);
    for part in &parts_gone {
        remove.push(out.join(STORE).join(format!("{part}.json")));
    }
    for y in &years_gone {
        remove.push(cache::year_file(out, y));
    }
    if full {
        // Parts and years' files a build without the cache no longer makes (it does not
        // know the old ones).
        for dir in std::fs::read_dir(out.join(PARTS))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = dir.file_name().to_string_lossy().into_owned();
            if !sums.years.contains_key(&name) {
                remove.extend(files_below(&dir.path()));
                remove.push(out.join(STORE).join(format!("{name}.json")));
            }
        }
        for file in files_below(&out.join(cache::YEARS)) {
            let year = file
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".jsonl"));
            if year.is_none_or(|y| !header.years.contains_key(y)) {
                remove.push(file);
            }
        }
    }

    let staged_count = staged.len();
    staged
        .persist()
        .map_err(|(p, e)| vec![write_error(&p, &e)])?;
    year_files
        .persist()
        .map_err(|(p, e)| vec![write_error(&p, &e)])?;
    write(out, std::iter::empty(), &remove, &mut summary)?;
    summary.written += staged_count;
    summary.unchanged += kept_files;
    header.files = alive;
    save_header(out, &header)?;
    Ok(summary)
}

/// The gate of files many meetings share: it looks for the people `withheld` (by the
/// meetings read now) and takes `declared` as not personnummer; a find is placed in one of
/// `sources` (meeting files; those in `withheld_by` withhold people themselves).
fn gate_of(
    withheld: &[String],
    sources: BTreeSet<&Path>,
    withheld_by: &BTreeMap<PathBuf, Vec<String>>,
    declared: BTreeSet<String>,
) -> Gate {
    let mut gate = Gate::default();
    for name in withheld {
        gate.withhold_person(name, None);
    }
    for source in sources {
        let withholds = withheld_by.get(source).map_or(&[][..], Vec::as_slice);
        gate.place_in(source, withholds);
    }
    gate.declare(declared);
    gate
}

/// Whether the pages listing organs and people may show a number of this meeting: a coming
/// meeting (its time, place and files are on the start page), or a name of an organ, a
/// person or a party written with digits.
fn shown_on_lists(b: &model::Brief) -> bool {
    let digits = |s: &str| s.bytes().any(|c| c.is_ascii_digit());
    b.coming.is_some()
        || digits(&b.organ)
        || b.people
            .iter()
            .any(|p| digits(&p.name) || p.party.as_deref().is_some_and(digits))
}

/// Whether `rel` is one year's page of an organ or a person (`organ/<slug>/<year>/index.html`).
fn is_year_page(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    matches!(parts[..], ["organ" | "person", _, _, "index.html"])
}

/// Writes the file of the meetings of year `y` (`lines`, by page path) beside its place, to
/// be renamed in with `staged`; what the header lists of it.
fn stage_year(
    out: &Path,
    y: &str,
    lines: &[OnSite],
    staged: &mut output::StagedFiles,
) -> Result<cache::YearFile, Failed> {
    let (bytes, f) = cache::year_lines(lines.iter().map(|l| (l.path.as_str(), &l.cached)));
    let path = cache::year_file(out, y);
    if !std::fs::read(&path).is_ok_and(|b| b == bytes) {
        output::stage(&path, &bytes)
            .and_then(|s| staged.push(s))
            .map_err(|e| vec![write_error(&path, &e)])?;
    }
    Ok(f)
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
    // As its line in its year's file: `[page path, entry]`.
    let mut v = serde_json::json!([path, c]);
    if let Some(o) = v[1].as_object_mut() {
        o.remove("not_numbers");
    }
    without_checksums(&mut v);
    let file = cache::year_file(out, &part_of(&c.brief));
    gate.check_json(&file.display().to_string(), &v)
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

/// Writes the cache's header (small: the years' files are written with the pages).
fn save_header(out: &Path, header: &cache::Header) -> Result<(), Vec<Diagnostic>> {
    let path = out.join(cache::HEADER);
    output::write_atomic_with(&path, |w| {
        serde_json::to_writer(w, header).map_err(std::io::Error::from)
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
    inputs: Inputs,
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
            inputs: inputs.archive,
            edition_inputs: inputs.editions,
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
    inputs: Inputs,
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
            inputs: inputs.archive,
            edition_inputs: inputs.editions,
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

/// What a meeting read now was made from, as its entry records it.
struct Inputs {
    /// Below the archive's folder ([`archive_root`]).
    archive: Vec<InputFile>,
    /// Below the editions folder.
    editions: Vec<InputFile>,
}

/// The folder the archive was named by for the meeting `m`: its path without the part below
/// the archive (`data/amn/2020-04-21.toml` → `data`; `/srv/data/amn/…` → `/srv/data`). What
/// the cache records of a meeting's files is below it, so that `data`, `/srv/data` and
/// `../data` give the same cache.
fn archive_root(m: &MeetingFile) -> PathBuf {
    let parts: Vec<std::path::Component> = m.path.components().collect();
    let below = m.relative.components().count().min(parts.len());
    parts[..parts.len() - below].iter().collect()
}

/// `path` below `root`, without `.` parts; `None` when it is not below it.
fn below(path: &Path, root: &Path) -> Option<PathBuf> {
    let rest = path.strip_prefix(root).ok().or_else(|| {
        // A root of `.` names the folder a relative path is in already.
        (path.is_relative()
            && root
                .components()
                .all(|c| matches!(c, std::path::Component::CurDir)))
        .then_some(path)
    })?;
    Some(
        rest.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect(),
    )
}

/// The file at `path` with size, time and hash as when `started`, recorded as `recorded`;
/// one that cannot be read is recorded so that it never matches (the meeting is read again
/// next time).
fn input(path: &Path, recorded: PathBuf, started: SystemTime) -> InputFile {
    match InputFile::of(path, started) {
        Some(f) => InputFile {
            path: recorded,
            ..f
        },
        None => InputFile {
            path: recorded,
            size: 0,
            modified_ns: 0,
            sha256: CHANGED_DURING_BUILD.into(),
        },
    }
}

/// The files a meeting is made from below the archive's folder `root`, each with size, time
/// and hash as when `started`: the meeting file, every bilaga file it names that it does not
/// withhold. A withheld bilaga is not named (this cache is published with the site, and a
/// file's name can say what the bilaga withholds: docs/publishing.md); nothing of it is on
/// the site, so a change to it changes no page.
fn meeting_inputs(meeting: &Path, root: &Path, started: SystemTime) -> Vec<InputFile> {
    let mut paths = vec![meeting.to_path_buf()];
    let folder = meeting
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let (Ok(text), Ok(sandbox)) = (std::fs::read(meeting), crate::sandbox::Sandbox::new(folder))
        && let Ok(listed) = incremental::public_bilaga_files(&text)
    {
        // A plain relative path the sandbox admits is taken as written below the meeting's
        // folder; any other as the sandbox resolved it, below the folder as given.
        paths.extend(listed.iter().filter_map(|rel| {
            let resolved = sandbox.resolve(rel).ok()?;
            let plain = Path::new(rel)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            Some(if plain {
                folder.join(rel)
            } else {
                sandbox.shown(&resolved)
            })
        }));
    }
    paths
        .into_iter()
        .map(|p| match below(&p, root) {
            Some(rel) => input(&p, rel, started),
            // Not below the archive's folder (a resolved path): never the machine's path in
            // the published cache; recorded so that it never matches.
            None => InputFile {
                path: p.file_name().map(PathBuf::from).unwrap_or_default(),
                size: 0,
                modified_ns: 0,
                sha256: CHANGED_DURING_BUILD.into(),
            },
        })
        .collect()
}

/// The web editions `names` of the meeting `relative` in `folder` (its folder of editions),
/// each recorded below the editions folder, as when `started`.
fn edition_inputs(
    folder: Option<&Path>,
    relative: &Path,
    names: &[String],
    started: SystemTime,
) -> Vec<InputFile> {
    let Some(folder) = folder else {
        return Vec::new();
    };
    let parent = relative.parent().unwrap_or(Path::new(""));
    names
        .iter()
        .map(|n| input(&folder.join(n), parent.join(n), started))
        .collect()
}

/// Whether a kept meeting's files are as its entry records them, a `stat` each (`root`: the
/// archive's folder, `editions`: the editions folder): `Some(None)` unchanged, `Some(Some(…))`
/// the same bytes with a time moved (its entry's inputs with the new times), `None` changed.
fn still(
    c: &Cached,
    root: &Path,
    editions: Option<&Path>,
) -> Option<Option<(Vec<InputFile>, Vec<InputFile>)>> {
    let at = |files: &[InputFile], base: &Path| -> Vec<InputFile> {
        files
            .iter()
            .map(|f| InputFile {
                path: base.join(&f.path),
                ..f.clone()
            })
            .collect()
    };
    let mut all = at(&c.inputs, root);
    if !c.edition_inputs.is_empty() {
        all.extend(at(&c.edition_inputs, editions?));
    }
    let updated = incremental::unchanged(&all)?;
    Some(updated.map(|u| {
        let recorded = |(f, r): (InputFile, &InputFile)| InputFile {
            path: r.path.clone(),
            ..f
        };
        let mut u = u.into_iter();
        let inputs = u.by_ref().take(c.inputs.len()).zip(&c.inputs).map(recorded);
        let inputs: Vec<InputFile> = inputs.collect();
        let editions = u.zip(&c.edition_inputs).map(recorded).collect();
        (inputs, editions)
    }))
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
/// versions `<stem>-rattelse-N-webb.pdf`, a coming meeting's public kallelse and pack). The
/// last folder listed is kept (`listing`): the meetings come in page order, an organ's
/// together, and a folder of its ten years of editions is not read again for each of them
/// (nor are every folder's names held: they grow with the archive).
fn edition_names(
    dir: Option<&Path>,
    relative: &Path,
    listing: &mut Option<(PathBuf, Vec<String>)>,
) -> Vec<String> {
    let Some(folder) = edition_folder(dir, relative) else {
        return Vec::new();
    };
    let stem = stem_of(relative);
    if listing.as_ref().is_none_or(|(f, _)| *f != folder) {
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        *listing = Some((folder, names));
    }
    let (_, listed) = listing.as_ref().expect("listed above");
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
