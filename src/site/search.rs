//! Full-text search, fully static: a Pagefind index (<https://pagefind.app>, the `pagefind`
//! crate's `api`, built in process) and Pagefind's own search UI.
//!
//! Each § is one search record — its number, title, diarienummer, decisions, beslutsgång,
//! proposals, the names of who voted, reserved or declared jäv, an FVG §'s text, statements
//! and closing — whose URL is the §'s anchor on its meeting's page, so a hit is the § itself;
//! each sub-item of an FVG § (a nämndärende, a piece of information) is a record of its own
//! at its own anchor. Each person page is a record
//! too. URLs are relative to the site root (`amn/2020-04-21/#p8`); the search page gives
//! Pagefind the root, so the site works below any path of a host.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{Entry, str_at};
use super::paged::Person;

/// One thing to find.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct SearchRecord {
    /// Relative to the site root: "amn/2020-04-21/#p8".
    pub url: String,
    /// "§ 8 Ansökan om …".
    pub title: String,
    /// Shown under the title as "<label>: <value>" by Pagefind's UI, so the label is Swedish:
    /// ("Sammanträde", "Arbetsmarknadsnämnden 2020-04-21").
    pub context: (String, String),
    /// The searchable text.
    pub content: String,
}

/// The strings of a JSON array.
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// "by verb text" of each FVG statement.
fn said(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            format!(
                "{} {} {}",
                str_at(s, &["by"]),
                str_at(s, &["verb"]),
                str_at(s, &["text"])
            )
        })
        .collect()
}

/// The records of one meeting: one per §, and one per sub-item of an FVG § (its own
/// heading and anchor, so a search for what only that item says finds the item first).
pub(crate) fn meeting_records(e: &Entry) -> Vec<SearchRecord> {
    let empty = Vec::new();
    let context = (
        "Sammanträde".to_string(),
        format!("{} {}", e.organ(), e.date()),
    );
    let names: BTreeMap<&str, &str> = e.record["persons"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|p| (str_at(p, &["id"]), str_at(p, &["name"])))
        .collect();
    let mut out = Vec::new();
    for item in e.record["agenda_items"].as_array().unwrap_or(&empty) {
        let n = item["number"].as_u64().unwrap_or(0);
        let title = format!("§ {n} {}", str_at(item, &["name"]));
        let mut parts: Vec<String> = vec![title.clone()];
        parts.extend(strings(&item["diarienummer"]));
        parts.extend(strings(&item["decisions"]));
        for key in ["text", "arendet", "beslutsgang"] {
            if let Some(t) = item[key].as_str() {
                parts.push(t.to_string());
            }
        }
        parts.extend(strings(&item["anmalningar"]));
        for m in item["motions"].as_array().unwrap_or(&empty) {
            parts.push(format!(
                "{} {}",
                str_at(m, &["proposed_by"]),
                str_at(m, &["text"])
            ));
        }
        for key in ["reservations", "sarskilda_uttalanden", "ersattaryttranden"] {
            for s in item[key].as_array().unwrap_or(&empty) {
                parts.push(format!("{} {}", str_at(s, &["by"]), str_at(s, &["text"])));
            }
        }
        for ev in item["vote_events"].as_array().unwrap_or(&empty) {
            for v in ev["votes"].as_array().unwrap_or(&empty) {
                if let Some(name) = names.get(str_at(v, &["voter_id"])) {
                    parts.push((*name).to_string());
                }
            }
        }
        parts.extend(said(&item["said"]));
        let items = item["items"].as_array().unwrap_or(&empty);
        // The § record names its items, so a search for the § finds what it covers.
        parts.extend(items.iter().map(|it| str_at(it, &["heading"]).to_string()));
        parts.extend(item["closing"].as_str().map(str::to_string));
        out.push(SearchRecord {
            url: format!("{}/#p{n}", e.path),
            title: title.clone(),
            context: context.clone(),
            content: parts.join("\n"),
        });
        for (i, it) in items.iter().enumerate() {
            let heading = str_at(it, &["heading"]);
            let mut parts = vec![heading.to_string()];
            parts.extend(strings(&it["diarienummer"]));
            parts.extend(it["text"].as_str().map(str::to_string));
            parts.extend(said(&it["said"]));
            parts.extend(it["closing"].as_str().map(str::to_string));
            out.push(SearchRecord {
                url: format!("{}/#p{n}-{}", e.path, i + 1),
                title: format!("{title}: {heading}"),
                context: context.clone(),
                content: parts.join("\n"),
            });
        }
    }
    out
}

/// The record of a person's page.
pub(crate) fn person_record(p: &Person<'_>) -> SearchRecord {
    SearchRecord {
        url: format!("person/{}/", p.slug),
        title: p.name.to_string(),
        context: ("Parti".to_string(), p.parties.join(", ")),
        content: format!("{} {}", p.name, p.parties.join(" ")),
    }
}

/// Builds Pagefind indexes, one runtime for all of a build's.
pub(crate) struct Indexer {
    runtime: tokio::runtime::Runtime,
}

impl Indexer {
    /// Errors: Pagefind's, as text.
    pub fn new() -> Result<Self, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(1)
            .build()
            .map_err(|e| format!("cannot start the search indexer: {e}"))?;
        Ok(Self { runtime })
    }

    /// Builds one index of `records`: its files, by path below its folder (sorted). The
    /// site's main index (`pagefind/`) has Pagefind's whole bundle (its UI, its WebAssembly);
    /// a `part` (`pagefind/delar/<year>/`), merged into it in the reader's browser,
    /// only its data — the search UI runs the main bundle's code over every part.
    pub fn index(
        &self,
        records: &[SearchRecord],
        part: bool,
    ) -> Result<Vec<(String, Vec<u8>)>, String> {
        self.runtime.block_on(async move {
            let config = PagefindServiceConfig::builder()
                .keep_index_url(true)
                .force_language("sv".to_string())
                .build();
            let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
            for r in records {
                let meta = BTreeMap::from([
                    ("title".to_string(), r.title.clone()),
                    (r.context.0.clone(), r.context.1.clone()),
                ]);
                index
                    .add_custom_record(
                        r.url.clone(),
                        r.content.clone(),
                        "sv".into(),
                        Some(meta),
                        None,
                        None,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
            }
            let files = index.get_files().await.map_err(|e| e.to_string())?;
            let mut out: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
                .filter(|(name, _)| !part || is_data(name))
                .collect();
            out.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(out)
        })
    }
}

/// Whether a file of a Pagefind bundle is its index data (what a merged index is read
/// from), not its code.
fn is_data(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || ["index/", "fragment/", "filter/"]
            .iter()
            .any(|d| name.starts_with(d))
}
