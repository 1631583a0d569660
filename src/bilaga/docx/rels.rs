//! Relationships (`word/_rels/*.rels`): what an `r:id` or `r:embed` points at. External
//! targets are kept as addresses and never fetched.

use std::collections::HashMap;

use super::xml::Element;

#[derive(Debug, Clone)]
pub struct Rel {
    pub target: String,
    pub external: bool,
}

#[derive(Debug, Default)]
pub struct Rels(HashMap<String, Rel>);

impl Rels {
    pub fn from_xml(root: &Element) -> Self {
        let mut map = HashMap::new();
        for r in root.elements().filter(|e| e.name == "Relationship") {
            let (Some(id), Some(target)) = (r.attr("Id"), r.attr("Target")) else {
                continue;
            };
            let external = r
                .attr("TargetMode")
                .is_some_and(|m| m.eq_ignore_ascii_case("External"));
            map.insert(
                id.to_owned(),
                Rel {
                    target: target.to_owned(),
                    external,
                },
            );
        }
        Self(map)
    }

    pub fn get(&self, id: &str) -> Option<&Rel> {
        self.0.get(id)
    }
}

/// The archive path of an internal target, relative to `word/`: `media/a.png` →
/// `word/media/a.png`; `/word/media/a.png` → `word/media/a.png`; `..` resolved, never above
/// the archive root.
pub fn part_path(target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("word/{target}"),
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
        assert_eq!(part_path("media/a.png"), "word/media/a.png");
        assert_eq!(part_path("/word/media/a.png"), "word/media/a.png");
        assert_eq!(part_path("../../../etc/passwd"), "etc/passwd");
    }
}
