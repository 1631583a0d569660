//! `assemble publish MEETING… [-o FILE] [--embed-data]`: for each meeting, the web edition of
//! a justerat protocol, the web edition of every protokollsutdrag of a § justerad omedelbart that
//! carries withheld text, and the web edition's record as data — all read back through the
//! last gate ([`protokoll::publish::gate`]) and written together, or, on any problem (a
//! personnummer the guard or the gate finds, a draft), nothing. Only public files are
//! written, into `<out-dir>/webb/`: the official record is the build's, beside the official
//! protocol. Drafts met in a folder are skipped with a note.

use std::path::{Path, PathBuf};

use crate::commands::cwd::display_path;
use protokoll::documents::webbutgava;
use protokoll::meeting::Protocol;
use protokoll::publish::record::Version;
use protokoll::publish::web;
use protokoll::typeset::{self, Origin};

use protokoll::render::Renderer;

use super::{
    Failure, default_output, expect_extension, find_meetings, print_diagnostics, renderer,
};
use crate::cli::Common;

pub fn run(
    inputs: &[PathBuf],
    output: Option<PathBuf>,
    embed_data: bool,
    common: &Common,
) -> Result<(), Failure> {
    if let Some(path) = &output {
        expect_extension(path, "pdf", "the web edition")?;
    }
    let meetings = find_meetings(inputs)?;
    let renderer = renderer(common.templates.as_deref())?;
    // The library reads no clock: today is the command's (UTC).
    let today = time::OffsetDateTime::now_utc().date();
    let webb_dir = common.out_dir.join(WEBB_DIR);
    if let Some(pdf) = output {
        if meetings.len() != 1 {
            return Err(Failure::usage(
                format!(
                    "--output names one file, but {} meetings were given",
                    meetings.len()
                ),
                None,
            ));
        }
        return one(&meetings[0].path, pdf, embed_data, &renderer, today);
    }
    let one_file = inputs.len() == 1 && inputs[0].is_file();
    if let [m] = meetings.as_slice()
        && one_file
    {
        let pdf = default_output(&m.path, &webb_dir, "-webb")?;
        return one(&m.path, pdf, embed_data, &renderer, today);
    }
    // Many meetings: one that cannot be published never stops the others; a draft (not
    // justerad, found by reading the file) is skipped with a note.
    let mut failed = 0;
    let mut drafts = 0;
    for m in &meetings {
        if !protokoll::publish::web::is_justerad(&m.path).unwrap_or(true) {
            say!(
                "note: {} is not justerad: skipped (a draft is never published)",
                display_path(&m.path)
            );
            drafts += 1;
            continue;
        }
        let official = m.output(&webb_dir, "pdf");
        let pdf = official.with_file_name(format!(
            "{}-webb.pdf",
            official
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if let Err(failure) = one(&m.path, pdf, embed_data, &renderer, today) {
            failure.print();
            failed += 1;
        }
    }
    if failed > 0 {
        return Err(Failure::Input {
            problems: Vec::new(),
            closing: Some(format!(
                "{failed} of {} not published",
                super::count(meetings.len() - drafts, "meeting", "meetings")
            )),
        });
    }
    Ok(())
}

/// The folder below `--out-dir` the web editions go to, apart from the official documents.
const WEBB_DIR: &str = "webb";

/// Publishes one meeting: its web edition to `pdf`, the rest beside it.
fn one(
    meeting: &Path,
    pdf: PathBuf,
    embed_data: bool,
    renderer: &Renderer,
    today: time::Date,
) -> Result<(), Failure> {
    let fail = |p| Failure::meeting(meeting, p);
    let mut prepared = web::prepare(meeting, today).map_err(fail)?;
    let folder = pdf.parent().unwrap_or(Path::new("")).to_path_buf();
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    // The official record goes beside, named as the official protocol is: `<date>.json`.
    let official_stem = stem(meeting);
    let web_json = pdf.with_extension("json");
    let embed = embed_data.then(|| {
        web_json
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let library = renderer.templates().library();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut warnings = prepared.warnings.clone();
    let mut report = Vec::new();
    // Each document typeset, its warnings kept, its file queued and reported.
    let mut set = |job, path: PathBuf| -> Result<(), Failure> {
        let generated = path.with_extension("typ");
        let done = typeset::typeset(
            job,
            &Origin {
                meeting,
                generated: &generated,
                library,
                reads: None,
            },
            renderer.typeset_options(),
        )
        .map_err(fail)?;
        warnings.extend(done.warnings);
        report.push(format!(
            "wrote {} ({})",
            display_path(&path),
            super::count(done.pages, "page", "pages")
        ));
        files.push((path, done.pdf));
        Ok(())
    };
    // A corrected protocol (issue 27): the web edition of each version, named as the
    // official versions are with `-webb` (`<stem>-webb.pdf` the justerat original's,
    // `<stem>-rattelse-N-webb.pdf` version N's), so a published file keeps what it held
    // when a rättelse is added; the last version is the protocol as it stands.
    let earlier = prepared.versions.len();
    let version_file = |n: usize| match n {
        0 => pdf.clone(),
        n => folder.join(webbutgava::file_name(&official_stem, n)),
    };
    let version_files: Vec<PathBuf> = (0..=earlier).map(version_file).collect();
    let embed_name = |path: &Path| {
        embed.as_ref().map(|_| {
            path.with_extension("json")
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
    };
    for (n, path) in version_files.iter().enumerate().take(earlier) {
        set(
            webbutgava::make_version(&prepared, n, renderer, embed_name(path).as_deref())
                .map_err(fail)?,
            path.clone(),
        )?;
    }
    // Each version's attached record is named after its own PDF.
    let current_embed = match earlier {
        0 => embed.clone(),
        _ => embed_name(&version_files[earlier]),
    };
    set(
        webbutgava::make(&prepared, renderer, current_embed.as_deref()).map_err(fail)?,
        version_files[earlier].clone(),
    )?;
    if let Protocol::Namnd(m) = &prepared.official {
        for p in m.paragrafer.iter().filter(|p| p.omedelbar_justering) {
            if !prepared.utdrag_carries_removed(p.number) {
                continue;
            }
            let path = folder.join(format!("{official_stem}-p{}-webb.pdf", p.number));
            set(
                webbutgava::make_utdrag(&prepared, p.number, renderer).map_err(fail)?,
                path,
            )?;
        }
    }
    if earlier > 0 {
        // The record lists each version's web edition with the checksum of its bytes: what
        // the site shows and checks its copies against.
        prepared.web_record.versions = version_files
            .iter()
            .enumerate()
            .map(|(n, path)| Version {
                version: n,
                file: path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                sha256: files
                    .iter()
                    .find(|(p, _)| p == path)
                    .map(|(_, bytes)| protokoll::bundle::sha256_hex(bytes))
                    .unwrap_or_default(),
            })
            .collect();
    }
    files.push((web_json.clone(), prepared.web_record.to_json().into_bytes()));
    report.push(format!("wrote {}", display_path(&web_json)));
    // The last gate: every byte read back as a reader gets it; a hit writes nothing.
    let leaks: Vec<_> = files
        .iter()
        .flat_map(|(path, bytes)| prepared.gate.check_file(&display_path(path), bytes))
        .collect();
    if !leaks.is_empty() {
        return Err(fail(leaks));
    }
    protokoll::output::write_all_atomic(&files).map_err(|(path, e)| {
        Failure::meeting(meeting, vec![protokoll::pipeline::write_error(&path, &e)])
    })?;
    print_diagnostics(&warnings);
    for line in report {
        say!("{line}");
    }
    Ok(())
}
