//! What a build sets aside by year until that year's pages are made (issue 28): the search
//! records of the meetings it reads, and every meeting's cache entry. A first build of
//! 10,000 meetings would otherwise hold every meeting's records — the archive's whole text —
//! and every meeting's entry until the end. Each part's items go to an unnamed temporary
//! file in the site folder (gone when the build ends, however it ends), one JSON line an
//! item, read back one part at a time.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The items set aside, by part.
#[derive(Default)]
pub(crate) struct Spill {
    parts: BTreeMap<String, BufWriter<std::fs::File>>,
}

impl Spill {
    /// Sets aside `item` in `part`; the temporary files are made in `dir`.
    pub fn add(&mut self, dir: &Path, part: &str, item: &impl Serialize) -> std::io::Result<()> {
        let w = self.writer(dir, part)?;
        // One item a line: JSON escapes every line break inside a string.
        serde_json::to_writer(&mut *w, item)?;
        w.write_all(b"\n")
    }

    /// Sets aside an item already written as JSON (`json`, one line).
    pub fn add_json(&mut self, dir: &Path, part: &str, json: &[u8]) -> std::io::Result<()> {
        let w = self.writer(dir, part)?;
        w.write_all(json)?;
        w.write_all(b"\n")
    }

    fn writer(&mut self, dir: &Path, part: &str) -> std::io::Result<&mut BufWriter<std::fs::File>> {
        Ok(match self.parts.entry(part.to_string()) {
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => {
                std::fs::create_dir_all(dir)?;
                v.insert(BufWriter::new(tempfile::tempfile_in(dir)?))
            }
        })
    }

    /// The parts with items set aside (and not taken yet).
    pub fn parts(&self) -> impl Iterator<Item = &String> {
        self.parts.keys()
    }

    /// The items set aside in `part`, in the order they were (none if none were).
    pub fn take<T: DeserializeOwned>(&mut self, part: &str) -> std::io::Result<Vec<T>> {
        let Some(w) = self.parts.remove(part) else {
            return Ok(Vec::new());
        };
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        BufReader::new(file)
            .lines()
            .map(|line| Ok(serde_json::from_str(&line?)?))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::search::SearchRecord;

    #[test]
    fn records_set_aside_come_back_by_part() {
        let dir = tempfile::tempdir().unwrap();
        let record = |url: &str| SearchRecord {
            url: url.into(),
            title: "§ 1 Öppnande".into(),
            context: ("Sammanträde".into(), "FVG 2020-09-17".into()),
            content: "rad ett\nrad två".into(),
        };
        let mut spill = Spill::default();
        spill
            .add(dir.path(), "2020", &("fvg/a", [record("fvg/a/#p1")]))
            .unwrap();
        let none: &[SearchRecord] = &[];
        spill.add(dir.path(), "2019", &("fvg/b", none)).unwrap();
        spill
            .add(dir.path(), "2020", &("fvg/c", [record("fvg/c/#p1")]))
            .unwrap();
        type Item = (String, Vec<SearchRecord>);
        let got: Vec<Item> = spill.take("2020").unwrap();
        assert_eq!(
            got,
            [
                ("fvg/a".to_string(), vec![record("fvg/a/#p1")]),
                ("fvg/c".to_string(), vec![record("fvg/c/#p1")])
            ]
        );
        let got: Vec<Item> = spill.take("2019").unwrap();
        assert_eq!(got, [("fvg/b".to_string(), vec![])]);
        assert!(spill.take::<Item>("2020").unwrap().is_empty());
        // Nothing is left in the folder: the files have no name.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
