//! The Typst World for one protocol: the generated source and the template library in
//! memory, files only from inside the meeting's folder, embedded fonts, a fixed clock.
//!
//! Fonts and the standard library are expensive to build, so they live in [`Shared`], built
//! once per process and used by every meeting. Which fonts: [`crate::fonts`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::bilaga::form::Asset;
use crate::sandbox::{Refused, Sandbox};

/// What every compilation shares: the standard library and the fonts.
pub struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Shared {
    /// The process-wide instance, built on first use.
    pub fn get() -> Arc<Shared> {
        static SHARED: OnceLock<Arc<Shared>> = OnceLock::new();
        SHARED.get_or_init(|| Arc::new(Shared::build())).clone()
    }

    fn build() -> Self {
        let fonts: Vec<Font> = crate::fonts::faces().to_vec();
        let book = FontBook::from_fonts(&fonts);
        Self {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
        }
    }
}

/// The fixed path of the generated document. One id for every meeting: `FileId`s are
/// interned for the life of the process and never freed.
pub(crate) fn main_id() -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new("/.protokoll/main.typ").expect("valid path"),
    )
    .intern()
}

fn library_id() -> FileId {
    let path = format!("/{}", crate::render::library_virtual_name());
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("valid path"),
    )
    .intern()
}

/// The template library as parsed: the same text for every document of a run, so parsed once
/// per process rather than per document (issue 14). `watch` reloads changed templates: a
/// new text is parsed anew.
fn library_source(text: &str) -> Source {
    static LAST: LastParsed = LastParsed(Mutex::new(None));
    LAST.get(text)
}

/// One parsed source, kept while its text is asked for again.
struct LastParsed(Mutex<Option<Source>>);

impl LastParsed {
    fn get(&self, text: &str) -> Source {
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match &*last {
            Some(parsed) if parsed.text() == text => parsed.clone(),
            _ => {
                let parsed = Source::new(library_id(), text.to_string());
                *last = Some(parsed.clone());
                parsed
            }
        }
    }
}

/// One protocol's world.
pub struct ProtocolWorld {
    shared: Arc<Shared>,
    main: Source,
    library: Source,
    sandbox: Sandbox,
    /// In-memory files under [`Asset::ROOT`], by path below it.
    assets: HashMap<String, Bytes>,
    today: Datetime,
}

impl ProtocolWorld {
    pub fn new(
        shared: Arc<Shared>,
        main_text: String,
        library_text: &str,
        sandbox: Sandbox,
        assets: &[Asset],
        today: time::Date,
    ) -> Self {
        let today = Datetime::from_ymd(today.year(), u8::from(today.month()), today.day())
            .expect("a valid calendar date");
        Self {
            shared,
            main: Source::new(main_id(), main_text),
            library: library_source(library_text),
            sandbox,
            assets: assets
                .iter()
                .map(|a| (a.name.clone(), Bytes::new(a.bytes.clone())))
                .collect(),
            today,
        }
    }

    pub fn main_source(&self) -> &Source {
        &self.main
    }

    pub fn library_source(&self) -> &Source {
        &self.library
    }

    /// An in-memory asset of a bilaga, shared without copying.
    fn asset(&self, id: FileId) -> Option<Bytes> {
        let rooted = id.get();
        if !matches!(rooted.root(), VirtualRoot::Project) {
            return None;
        }
        let name = rooted
            .vpath()
            .get_without_slash()
            .strip_prefix(&Asset::ROOT[1..])?;
        self.assets.get(name).cloned()
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        let rooted = id.get();
        if matches!(rooted.root(), VirtualRoot::Package(_)) {
            return Err(FileError::Package(PackageError::Other(Some(
                "packages are not available to protocols: everything must come from the meeting's folder".into(),
            ))));
        }
        let vpath = rooted.vpath().get_without_slash();
        if let Some(bytes) = self.asset(id) {
            return Ok(bytes.to_vec());
        }
        if vpath.starts_with(".protokoll/") {
            return Err(FileError::NotFound(vpath.into()));
        }
        let real = self
            .sandbox
            .resolve(vpath)
            .map_err(|refused| match refused {
                Refused::Missing(_) => FileError::NotFound(vpath.into()),
                _ => FileError::AccessDenied,
            })?;
        // Named by the path the meeting wrote, never the real one: that may be a link's target
        // outside the folder the user sees (issue 29).
        crate::sandbox::read_file(&real)
            .map_err(|e| FileError::from_io(e, std::path::Path::new(vpath)))
    }
}

impl World for ProtocolWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.library.id() {
            Ok(self.library.clone())
        } else {
            let bytes = self.read(id)?;
            let text = String::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
            Ok(Source::new(id, text))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else if id == self.library.id() {
            Ok(Bytes::from_string(self.library.clone()))
        } else if let Some(bytes) = self.asset(id) {
            Ok(bytes)
        } else {
            self.read(id).map(Bytes::new)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        // The index may come from an older font book during incremental checks: never panic.
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_is_parsed_again_only_when_its_text_changes() {
        let cache = LastParsed(Mutex::new(None));
        let first = cache.get("#let a = 1\n");
        // The same parse again, not a new one: the syntax tree is shared.
        let again = cache.get("#let a = 1\n");
        assert!(std::ptr::eq(first.root(), again.root()));
        // A changed text (a template reloaded by `watch`) is parsed: it is what compiles.
        let changed = cache.get("#let a = 2\n");
        assert_eq!(changed.text(), "#let a = 2\n");
        assert!(!std::ptr::eq(first.root(), changed.root()));
    }
}
