//! Relationships (`_rels/.rels`, `word/_rels/*.rels`): what an `r:id` or `r:embed` points
//! at, and which part is the document, its styles, its numbering (by relationship type, so
//! a main part named `document2.xml`, as Word for the web writes, is found). External
//! targets are kept as addresses and never fetched.

use std::collections::HashMap;

use super::xml::Element;

#[derive(Debug, Clone)]
pub(crate) struct Rel {
    pub target: String,
    pub(crate) external: bool,
    /// The relationship type's last segment, e.g. `officeDocument`, `styles`, `image`.
    pub kind: String,
    /// The archive path of an internal target, resolved against the source part's folder.
    pub part: String,
}

#[derive(Debug, Default)]
pub(crate) struct Rels(HashMap<String, Rel>);

impl Rels {
    /// The relationships in `root`, of a part in folder `base` (`word/`, or `""` for the
    /// package's own `_rels/.rels`).
    pub(crate) fn from_xml(root: &Element, base: &str) -> Self {
        let mut map = HashMap::new();
        for r in root.elements().filter(|e| e.name == "Relationship") {
            let (Some(id), Some(target)) = (r.attr("Id"), r.attr("Target")) else {
                continue;
            };
            let external = r
                .attr("TargetMode")
                .is_some_and(|m| m.eq_ignore_ascii_case("External"));
            let kind = r
                .attr("Type")
                .and_then(|t| t.rsplit('/').next())
                .unwrap_or("")
                .to_owned();
            map.insert(
                id.to_owned(),
                Rel {
                    target: target.to_owned(),
                    external,
                    kind,
                    part: part_path(base, target),
                },
            );
        }
        Self(map)
    }

    pub fn get(&self, id: &str) -> Option<&Rel> {
        self.0.get(id)
    }

    /// The part of the first internal relationship of type `kind` (by id, so the choice is
    /// the same on every run).
    pub(crate) fn part_of(&self, kind: &str) -> Option<String> {
        let mut found: Vec<(&String, &Rel)> = self
            .0
            .iter()
            .filter(|(_, r)| !r.external && r.kind == kind)
            .collect();
        found.sort_by(|a, b| a.0.cmp(b.0));
        found.first().map(|(_, r)| r.part.clone())
    }
}

/// The folder of part `path`, with its slash: `word/document2.xml` → `word/`.
pub fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// The relationships part of part `path`: `word/document2.xml` →
/// `word/_rels/document2.xml.rels`.
pub(crate) fn rels_of(path: &str) -> String {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    if dir.is_empty() {
        format!("_rels/{name}.rels")
    } else {
        format!("{dir}/_rels/{name}.rels")
    }
}

/// The archive path of an internal target, relative to folder `base`: `media/a.png` from
/// `word/` → `word/media/a.png`; `/word/media/a.png` → `word/media/a.png`; `..` resolved,
/// never above the archive root.
pub(crate) fn part_path(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_paths_stay_inside_the_archive() {
        assert_eq!(part_path("word/", "media/a.png"), "word/media/a.png");
        assert_eq!(part_path("word/", "/word/media/a.png"), "word/media/a.png");
        assert_eq!(part_path("word/", "../../../etc/passwd"), "etc/passwd");
        assert_eq!(part_path("", "word/document2.xml"), "word/document2.xml");
        assert_eq!(
            rels_of("word/document2.xml"),
            "word/_rels/document2.xml.rels"
        );
        assert_eq!(folder("word/document2.xml"), "word/");
    }
}
