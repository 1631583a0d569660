//! The DOCX zip container, read with caps: a zip bomb stops at the cap, whatever its headers
//! claim, because every entry is read through a limited reader.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::Error;

/// Total uncompressed bytes read from one document.
pub(crate) const MAX_TOTAL: u64 = 200 * 1024 * 1024;
/// Entries in the archive.
pub(crate) const MAX_ENTRIES: usize = 10_000;

pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Bytes still allowed to be read.
    budget: u64,
}

impl<'a> Archive<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, Error> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            Error::new(format!("not a readable DOCX (zip): {}", zip_reason(&e)))
                .hint("save the document again as .docx with Word or LibreOffice")
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(Error::new(format!(
                "the DOCX has {} entries, more than the {MAX_ENTRIES} allowed",
                zip.len()
            ))
            .hint("a document with this many parts is most likely a zip bomb"));
        }
        Ok(Self {
            zip,
            budget: MAX_TOTAL,
        })
    }

    /// The names of the entries.
    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect()
    }

    /// The bytes of entry `name`, or `None` when there is none.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(Error::new(format!(
                    "cannot read `{name}` in the DOCX: {}",
                    zip_reason(&e)
                )));
            }
        };
        // The header's size only sizes the buffer (bounded); the limit is what protects.
        let hint = entry.size().min(16 * 1024 * 1024) as usize;
        let mut out = Vec::with_capacity(hint);
        let mut limited = entry.take(self.budget + 1);
        limited.read_to_end(&mut out).map_err(|e| {
            Error::new(format!("cannot unpack `{name}` in the DOCX: {e}").to_lowercase())
        })?;
        if out.len() as u64 > self.budget {
            return Err(Error::new(format!(
                "the DOCX unpacks to more than {} MB",
                MAX_TOTAL / 1024 / 1024
            ))
            .hint("a document this large is most likely a zip bomb"));
        }
        self.budget -= out.len() as u64;
        Ok(Some(out))
    }
}

fn zip_reason(e: &ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(why) if why.contains("ncrypt") || why.contains("assword") => {
            "it is encrypted".to_owned()
        }
        other => other.to_string().to_lowercase(),
    }
}
