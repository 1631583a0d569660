//! The files many meetings share — the start page, the organs' and the people's pages
//! ([`super::paged`]), the search page, the search index — made, read back through the
//! shared gate and staged one at a time (issue 28): a build holds one page at a time, not
//! every person's page of every year; each year's pages are made from that year's meetings
//! only, one year at a time; and a page no change touches is not made at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use minijinja::{Environment, Value, context};

use crate::diag::Diagnostic;
use crate::output;
use crate::publish::gate::Gate;

use super::model::Brief;
use super::paged::{self, OrganPage, Person, Touched};
use super::{Failed, html, write_error};

/// Where shared files go: each checked by the shared gate, then left alone when the file
/// there has the same bytes, or else staged (renamed in when the whole build has passed).
pub(super) struct Sink<'a> {
    out: &'a Path,
    /// The gate of the files being made: the pages listing organs, years and people have
    /// one; each year's pages and part of the search index have that year's.
    gate: Gate,
    /// A meeting read now withholds a person: a file made again with the bytes it has is
    /// checked again too.
    recheck: bool,
    leaks: Vec<Diagnostic>,
    staged: output::StagedFiles,
    /// The shared files made this time.
    made: BTreeSet<String>,
    /// The shared files the site has after this build: made, or kept as they are.
    alive: BTreeSet<String>,
    unchanged: usize,
}

/// What a [`Sink`] leaves: the leaks found, the files staged, the shared files the site has
/// now, how many files were left as they were.
pub(super) struct Done {
    pub leaks: Vec<Diagnostic>,
    pub staged: output::StagedFiles,
    pub alive: BTreeSet<String>,
    pub unchanged: usize,
}

impl<'a> Sink<'a> {
    /// `leaks` and `staged`: what the meetings' own files left (once a leak is found, nothing
    /// more is staged).
    pub fn new(
        out: &'a Path,
        gate: Gate,
        recheck: bool,
        leaks: Vec<Diagnostic>,
        staged: output::StagedFiles,
    ) -> Self {
        Sink {
            out,
            gate,
            recheck,
            leaks,
            staged,
            made: BTreeSet::new(),
            alive: BTreeSet::new(),
            unchanged: 0,
        }
    }

    /// Checks what is made from now on with `gate`; the gate until now is returned.
    pub fn set_gate(&mut self, gate: Gate) -> Gate {
        std::mem::replace(&mut self.gate, gate)
    }

    /// A shared file made: `rel` below the site folder.
    pub fn put(&mut self, rel: String, bytes: Vec<u8>) -> Result<(), Failed> {
        self.put_part(&rel, &bytes)?;
        self.made.insert(rel.clone());
        self.alive.insert(rel);
        Ok(())
    }

    /// A file of a part of the search index made (the parts are listed apart from the other
    /// shared files).
    pub fn put_part(&mut self, rel: &str, bytes: &[u8]) -> Result<(), Failed> {
        self.put_checked(rel, bytes, bytes)
    }

    /// A part's stored search records (`bytes`), of which `new` — the records of the
    /// meetings read now — is what is checked unless every file is checked again: the rest
    /// passed the gate when it was first written.
    pub fn put_store(&mut self, rel: &str, bytes: &[u8], new: &[u8]) -> Result<(), Failed> {
        let checked = if self.recheck { bytes } else { new };
        self.put_checked(rel, bytes, checked)
    }

    fn put_checked(&mut self, rel: &str, bytes: &[u8], checked: &[u8]) -> Result<(), Failed> {
        let path = self.out.join(rel);
        // A file made again with the bytes it has (most of a rebuilt part: Pagefind names a
        // fragment by its content) passed the gate when it was written; it is checked again
        // only when a meeting read now withholds a person.
        let same = std::fs::read(&path).is_ok_and(|b| b == bytes);
        if !same || self.recheck {
            self.check(&path, checked);
        }
        if same {
            self.unchanged += 1;
        } else if self.leaks.is_empty() {
            output::stage(&path, bytes)
                .and_then(|f| self.staged.push(f))
                .map_err(|e| vec![write_error(&path, &e)])?;
        }
        Ok(())
    }

    /// Shared files kept as they are (no change touched them).
    pub fn keep(&mut self, rels: impl IntoIterator<Item = String>) {
        for rel in rels {
            self.unchanged += 1;
            self.alive.insert(rel);
        }
    }

    /// Reads `bytes` (the file at `path`) through the shared gate.
    pub fn check(&mut self, path: &Path, bytes: &[u8]) {
        self.leaks
            .extend(self.gate.check_file(&path.display().to_string(), bytes));
    }

    /// The shared files made this time (not the parts').
    pub fn names(&self) -> BTreeSet<String> {
        self.made.clone()
    }

    pub fn done(self) -> Done {
        Done {
            leaks: self.leaks,
            staged: self.staged,
            alive: self.alive,
            unchanged: self.unchanged,
        }
    }
}

/// The shared pages of one build.
pub(super) struct Pages<'a> {
    pub env: &'a Environment<'static>,
    /// Every page is made (a first build, or one that cannot count on its cache).
    pub full: bool,
    /// The year pages the change touched; the others are made only when their file is gone.
    pub touched: &'a Touched,
}

impl Pages<'_> {
    /// Makes the pages listing organs, years and people into `sink`: the people's list and
    /// each person's page of years, each organ's page, the start page. `people` and `organs`
    /// are made from every meeting ([`paged::Summaries`]), `coming` the coming meetings
    /// (soonest first).
    pub fn lists(
        &self,
        sink: &mut Sink<'_>,
        people: &BTreeMap<&str, Person<'_>>,
        organs: &[OrganPage<'_>],
        coming: &[&Brief],
    ) -> Result<(), Failed> {
        let list: Vec<&Person> = people.values().collect();
        self.put(
            sink,
            "person/index.html".into(),
            "persons.html",
            context! { root => "../", persons => Value::from(minijinja::value::Serde(&list)) },
        )?;
        for p in people.values() {
            let rel = format!("person/{}/index.html", p.slug);
            if self.wanted(sink, &rel, || self.touched.persons.contains(p.slug)) {
                self.put(
                    sink,
                    rel,
                    "person.html",
                    context! { root => "../../", p => Value::from(minijinja::value::Serde(p)) },
                )?;
            } else {
                sink.keep([rel]);
            }
        }
        for o in organs {
            self.put(
                sink,
                format!("organ/{}/index.html", o.slug),
                "organ.html",
                context! { root => "../../", o => Value::from(minijinja::value::Serde(o)) },
            )?;
        }
        self.put(
            sink,
            "index.html".into(),
            "index.html",
            context! {
                root => "",
                organs => Value::from(minijinja::value::Serde(organs)),
                coming => Value::from(minijinja::value::Serde(coming)),
            },
        )
    }

    /// Which of the year `y`'s pages are made — each organ's (`organs`, by name) and each
    /// person's (`persons`, by slug) that the change touched or whose file is gone, every
    /// one in a full build; the others are kept as they are (in `sink`, and returned).
    pub fn year_wanted<'p>(
        &self,
        sink: &mut Sink<'_>,
        y: &str,
        organs: impl IntoIterator<Item = &'p str>,
        persons: impl IntoIterator<Item = &'p str>,
    ) -> YearPages<'p> {
        let mut pages = YearPages::default();
        for organ in organs {
            let rel = format!("organ/{}/{y}/index.html", paged::organ_slug(organ));
            let touched = || {
                self.touched
                    .organ_years
                    .contains(&(organ.to_string(), y.to_string()))
            };
            if self.wanted(sink, &rel, touched) {
                pages.organs.insert(organ);
            } else {
                sink.keep([rel.clone()]);
                pages.kept.push(rel);
            }
        }
        for slug in persons {
            let rel = format!("person/{slug}/{y}/index.html");
            let touched = || {
                self.touched
                    .person_years
                    .contains(&(slug.to_string(), y.to_string()))
            };
            if self.wanted(sink, &rel, touched) {
                pages.persons.insert(slug);
            } else {
                sink.keep([rel.clone()]);
                pages.kept.push(rel);
            }
        }
        pages
    }

    /// Makes the year `y`'s pages `wanted` from that year's meetings (`briefs`, newest
    /// first, [`paged::protocols_newest_first`]).
    pub fn year(
        &self,
        sink: &mut Sink<'_>,
        y: &str,
        briefs: &[&Brief],
        people: &BTreeMap<&str, Person<'_>>,
        wanted: &YearPages<'_>,
    ) -> Result<(), Failed> {
        for o in paged::organ_years(briefs, |organ| wanted.organs.contains(organ)) {
            self.put(
                sink,
                format!("organ/{}/{y}/index.html", o.slug),
                "organ_year.html",
                context! { root => "../../../", o => Value::from(minijinja::value::Serde(&o)) },
            )?;
        }
        for (slug, p) in paged::person_years(briefs, people, |s| wanted.persons.contains(s)) {
            self.put(
                sink,
                format!("person/{slug}/{y}/index.html"),
                "person_year.html",
                context! { root => "../../../", p => Value::from(minijinja::value::Serde(&p)) },
            )?;
        }
        Ok(())
    }

    /// Whether the page at `rel` is made: every page in a full build; else one the change
    /// touched, or whose file is gone.
    fn wanted(&self, sink: &Sink<'_>, rel: &str, touched: impl FnOnce() -> bool) -> bool {
        self.full || touched() || !sink.out.join(rel).is_file()
    }

    fn put(
        &self,
        sink: &mut Sink<'_>,
        rel: String,
        template: &str,
        ctx: Value,
    ) -> Result<(), Failed> {
        sink.put(rel, html::render(self.env, template, ctx).into_bytes())
    }
}

/// One year's pages: those to make, by organ name and person slug, and those kept.
#[derive(Default)]
pub(super) struct YearPages<'p> {
    pub organs: BTreeSet<&'p str>,
    pub persons: BTreeSet<&'p str>,
    pub kept: Vec<String>,
}

impl YearPages<'_> {
    /// Whether any page of the year is made.
    pub fn any(&self) -> bool {
        !self.organs.is_empty() || !self.persons.is_empty()
    }
}
