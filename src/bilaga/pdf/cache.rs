//! The converted pages of PDF bilagor, cached on disk and addressed by content, so that a
//! meeting whose PDF bilaga did not change — every edit in `watch`, a rebuild after a
//! template change — costs no conversion (issue 14).
//!
//! An entry is named by the SHA-256 of the PDF's bytes and of [`CONVERTER`] (the renderer's
//! version, the route and its options, this tool's version): any change to how pages are
//! made gives other names, never a stale page. The cache lives in the output folder
//! (`<out>/.protokoll-cache/pdf/`, chosen by the command: [`super::PageOptions::cache`];
//! without one, nothing is cached) and is:
//! - **bounded**: after a store, the least recently used entries (by file time, refreshed on
//!   every hit) are removed until the cache is under [`MAX_BYTES`];
//! - **safe against concurrent runs**: an entry is written to a temporary file in the same
//!   folder and renamed into place, so a reader sees a whole entry or none, and two writers
//!   of one entry write the same bytes;
//! - **safe against corruption**: an entry carries the SHA-256 of its content and is parsed
//!   completely before use; a damaged one is removed and the pages converted again.
//!
//! Failing to read or write the cache is never an error: the pages are converted instead.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Problem;

/// What makes the pages: a change here must change every entry's name. (With
/// [`super::route::POLICY`]: which route a page takes, at which resolution.)
pub(crate) const CONVERTER: &str = concat!(
    "protokoll ",
    env!("CARGO_PKG_VERSION"),
    " source ",
    env!("PROTOKOLL_SOURCE"),
    "; hayro-svg 0.7.0, default settings; svg_compact 2 decimals; hayro 0.7.1 raster, png unfiltered zlib 1, \
     tones with the page's flat greys, light drawings kept from white; \
     shown: hidden annotations and /VE left out, ink/square/circle/free text drawn, \
     boxes as pdf.js sizes them, TrueType loca cut to glyf, blending groups drawn onto the page"
);

/// The cache's size limit, all entries together.
pub(crate) const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// The first bytes of every entry, with the format's version.
const MAGIC: &[u8] = b"protokoll pdf pages 2\n";

/// One converted page: what Typst is given, and what the renderer could not draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub bytes: Vec<u8>,
    pub format: Format,
    pub warnings: Vec<String>,
}

/// The kind of image a page became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

/// The cache folder below an output folder.
pub fn dir_in(out_dir: &Path) -> PathBuf {
    out_dir.join(".protokoll-cache").join("pdf")
}

/// The pages of the PDF `bytes`: from the cache in `dir` (none: no cache) when a sound
/// entry is there, else from `convert`, then stored. `policy` is the route policy in force
/// ([`super::route::policy`]). A conversion's error is returned and nothing is stored.
pub fn pages(
    dir: Option<&Path>,
    policy: &str,
    bytes: &[u8],
    convert: impl FnOnce() -> Result<Vec<Page>, Problem>,
) -> Result<Vec<Page>, Problem> {
    let Some(dir) = dir else {
        return convert();
    };
    let cache = Cache::new(dir.to_path_buf(), MAX_BYTES);
    let key = key(policy, bytes);
    if let Some(pages) = cache.load(&key) {
        return Ok(pages);
    }
    let pages = convert()?;
    cache.store(&key, &pages);
    Ok(pages)
}

/// An entry's name: hex SHA-256 of the converter, the route `policy` and the PDF's bytes.
pub fn key(policy: &str, bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [CONVERTER, policy] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.update(bytes);
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A cache folder and its limit.
pub(crate) struct Cache {
    dir: PathBuf,
    max_bytes: u64,
}

impl Cache {
    pub fn new(dir: PathBuf, max_bytes: u64) -> Self {
        Self { dir, max_bytes }
    }

    fn entry(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.pages"))
    }

    /// The pages stored under `key`, if the entry is whole and sound; a damaged entry is
    /// removed. A hit refreshes the entry's time (it is used: evict it last).
    pub fn load(&self, key: &str) -> Option<Vec<Page>> {
        let path = self.entry(key);
        let bytes = std::fs::read(&path).ok()?;
        match decode(&bytes) {
            Some(pages) => {
                if let Ok(file) = std::fs::File::options().write(true).open(&path) {
                    let _ = file.set_modified(std::time::SystemTime::now());
                }
                Some(pages)
            }
            None => {
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores `pages` under `key` (temporary file, then rename), then trims the cache to
    /// its limit. An entry larger than a quarter of the limit is not kept.
    pub(crate) fn store(&self, key: &str, pages: &[Page]) {
        let bytes = encode(pages);
        if bytes.len() as u64 > self.max_bytes / 4 || std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        // The prefix and suffix of every temporary file of ours: a run that holds the output
        // folder's lock removes those a killed run left (`output::remove_stale_temporaries`).
        let written = tempfile::Builder::new()
            .prefix(".protokoll-")
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .and_then(|mut tmp| {
                tmp.write_all(&bytes)?;
                tmp.persist(self.entry(key)).map_err(|e| e.error)?;
                Ok(())
            });
        if written.is_ok() {
            self.trim(key);
        }
    }

    /// Removes the least recently used entries (never `keep`) until the total is under the
    /// limit.
    fn trim(&self, keep: &str) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut found: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "pages"))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((meta.modified().ok()?, meta.len(), e.path()))
            })
            .collect();
        let mut total: u64 = found.iter().map(|(_, len, _)| len).sum();
        if total <= self.max_bytes {
            return;
        }
        found.sort();
        let keep = self.entry(keep);
        for (_, len, path) in found {
            if total <= self.max_bytes {
                break;
            }
            if path != keep && std::fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
}

/// MAGIC, SHA-256 of the rest, then: page count (u32), and per page the format (u8: 0 SVG,
/// 1 PNG), the image (u64 length, bytes), the warning count (u32) and each warning (u32
/// length, UTF-8). Little-endian.
fn encode(pages: &[Page]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend((pages.len() as u32).to_le_bytes());
    for page in pages {
        body.push(match page.format {
            Format::Svg => 0,
            Format::Png => 1,
        });
        body.extend((page.bytes.len() as u64).to_le_bytes());
        body.extend(&page.bytes);
        body.extend((page.warnings.len() as u32).to_le_bytes());
        for w in &page.warnings {
            body.extend((w.len() as u32).to_le_bytes());
            body.extend(w.as_bytes());
        }
    }
    let mut out = Vec::with_capacity(MAGIC.len() + 32 + body.len());
    out.extend(MAGIC);
    out.extend(Sha256::digest(&body));
    out.extend(body);
    out
}

/// The pages of an entry; `None` for anything but a whole, unchanged entry.
fn decode(bytes: &[u8]) -> Option<Vec<Page>> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (sum, body) = rest.split_at_checked(32)?;
    if Sha256::digest(body).as_slice() != sum {
        return None;
    }
    let mut at = body;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = at.split_at_checked(n)?;
        at = tail;
        Some(head)
    };
    let u32_of = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize;
    let count = u32_of(take(4)?);
    let mut pages = Vec::new();
    for _ in 0..count {
        let format = match take(1)? {
            [0] => Format::Svg,
            [1] => Format::Png,
            _ => return None,
        };
        let len = u64::from_le_bytes(take(8)?.try_into().ok()?);
        let bytes = take(usize::try_from(len).ok()?)?.to_vec();
        let n = u32_of(take(4)?);
        let mut warnings = Vec::new();
        for _ in 0..n {
            let len = u32_of(take(4)?);
            warnings.push(String::from_utf8(take(len)?.to_vec()).ok()?);
        }
        pages.push(Page {
            bytes,
            format,
            warnings,
        });
    }
    (count > 0 && at.is_empty()).then_some(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Vec<Page> {
        vec![
            Page {
                bytes: b"<svg>1</svg>".to_vec(),
                format: Format::Svg,
                warnings: vec![],
            },
            Page {
                bytes: b"\x89PNG".to_vec(),
                format: Format::Png,
                warnings: vec!["an image could not be decoded".into()],
            },
        ]
    }

    #[test]
    fn a_miss_then_a_hit_of_the_same_pages() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf(), MAX_BYTES);
        let k = key("p", b"%PDF-1.7 a");
        assert_eq!(cache.load(&k), None);
        cache.store(&k, &pages());
        assert_eq!(cache.load(&k), Some(pages()));
        assert_eq!(cache.load(&key("p", b"%PDF-1.7 b")), None);
        assert_ne!(key("p", b"%PDF-1.7 a"), key("p", b"%PDF-1.7 b"));
    }

    /// Every kind of damage — a flipped byte, a cut, garbage, an empty file — is a miss,
    /// and the damaged entry is gone afterwards.
    #[test]
    fn a_corrupt_entry_is_a_miss_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf(), MAX_BYTES);
        let k = key("p", b"x");
        cache.store(&k, &pages());
        let good = std::fs::read(cache.entry(&k)).unwrap();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        for bad in [
            flipped,
            good[..good.len() - 3].to_vec(),
            b"garbage".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(cache.entry(&k), bad).unwrap();
            assert_eq!(cache.load(&k), None);
            assert!(!cache.entry(&k).exists());
        }
    }

    /// A sound checksum over a body that does not parse (e.g. written by another format
    /// version with the same magic) is a miss too.
    #[test]
    fn a_checksummed_body_that_does_not_parse_is_a_miss() {
        let body = 5u32.to_le_bytes();
        let mut entry = MAGIC.to_vec();
        entry.extend(Sha256::digest(body));
        entry.extend(body);
        assert_eq!(decode(&entry), None);
    }

    #[test]
    fn the_cache_stays_under_its_limit_removing_the_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let one = encode(&pages()).len() as u64;
        let cache = Cache::new(dir.path().to_path_buf(), 4 * one + one / 2);
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(100);
        for i in 0..4u8 {
            let k = key("p", &[i]);
            cache.store(&k, &pages());
            let file = std::fs::File::options()
                .write(true)
                .open(cache.entry(&k))
                .unwrap();
            file.set_modified(old + std::time::Duration::from_secs(u64::from(i)))
                .unwrap();
        }
        // The oldest is used again: now the second oldest is the one to go.
        assert!(cache.load(&key("p", &[0])).is_some());
        cache.store(&key("p", &[9]), &pages());
        assert!(cache.load(&key("p", &[0])).is_some());
        assert!(cache.load(&key("p", &[1])).is_none());
        assert!(cache.load(&key("p", &[9])).is_some());
        let total: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum();
        assert!(total <= 4 * one + one / 2);
    }

    /// Two runs storing and loading one entry at once (threads here, processes in use: the
    /// same temporary-file-and-rename) never see a partial entry, and leave no temporary.
    #[test]
    fn two_runs_at_once_see_whole_entries_only() {
        let dir = tempfile::tempdir().unwrap();
        let k = key("p", b"shared");
        let big = vec![Page {
            bytes: vec![b'x'; 4 << 20],
            format: Format::Svg,
            warnings: vec![],
        }];
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let cache = Cache::new(dir.path().to_path_buf(), MAX_BYTES);
                    for _ in 0..20 {
                        cache.store(&k, &big);
                        if let Some(p) = cache.load(&k) {
                            assert_eq!(p, big);
                        }
                    }
                });
            }
        });
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![format!("{k}.pages")]);
    }
}
