//! `assemble publish MEETING [-o FILE] [--embed-data]`: the web edition of a justerat
//! protocol, the web edition of every protokollsutdrag of a § justerad omedelbart that
//! carries withheld text, and the records as data (the web edition's and the official) — all
//! written together, or, on any problem (a personnummer the guard finds, a draft), nothing.

use std::path::{Path, PathBuf};

use protokoll::diag::display_path;
use protokoll::documents::webbutgava;
use protokoll::meeting::Protocol;
use protokoll::publish::web;
use protokoll::typeset::{self, Origin};

use super::{Failure, default_output, expect_extension, print_diagnostics, renderer};
use crate::cli::Common;

pub fn run(
    meeting: &Path,
    output: Option<PathBuf>,
    embed_data: bool,
    common: &Common,
) -> Result<(), Failure> {
    if let Some(path) = &output {
        expect_extension(path, "pdf", "the web edition")?;
    }
    let pdf = match output {
        Some(path) => path,
        None => default_output(meeting, &common.out_dir, "-webb")?,
    };
    let renderer = renderer(common.templates.as_deref())?;
    let fail = |p| Failure::meeting(meeting, p);
    let prepared = web::prepare(meeting).map_err(fail)?;
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
    let job = webbutgava::make(&prepared, &renderer, embed.as_deref()).map_err(fail)?;
    let generated = pdf.with_extension("typ");
    let done = typeset::typeset(
        job,
        &Origin {
            meeting,
            generated: &generated,
            library,
        },
    )
    .map_err(fail)?;
    warnings.extend(done.warnings);
    report.push(format!(
        "wrote {} ({} pages)",
        display_path(&pdf),
        done.pages
    ));
    files.push((pdf.clone(), done.pdf));
    if let Protocol::Namnd(m) = &prepared.official {
        for p in m.paragrafer.iter().filter(|p| p.omedelbar_justering) {
            if !prepared.utdrag_carries_removed(p.number) {
                continue;
            }
            let path = folder.join(format!("{official_stem}-§{}-webb.pdf", p.number));
            let job = webbutgava::make_utdrag(&prepared, p.number, &renderer).map_err(fail)?;
            let generated = path.with_extension("typ");
            let done = typeset::typeset(
                job,
                &Origin {
                    meeting,
                    generated: &generated,
                    library,
                },
            )
            .map_err(fail)?;
            warnings.extend(done.warnings);
            report.push(format!(
                "wrote {} ({} pages)",
                display_path(&path),
                done.pages
            ));
            files.push((path, done.pdf));
        }
    }
    files.push((web_json.clone(), prepared.web_record.to_json().into_bytes()));
    report.push(format!("wrote {}", display_path(&web_json)));
    let official_json = folder.join(format!("{official_stem}.json"));
    files.push((
        official_json.clone(),
        prepared.official_record.to_json().into_bytes(),
    ));
    report.push(format!("wrote {}", display_path(&official_json)));
    protokoll::output::write_all_atomic(&files).map_err(|(path, e)| {
        Failure::meeting(meeting, vec![protokoll::pipeline::write_error(&path, &e)])
    })?;
    print_diagnostics(&warnings);
    for line in report {
        println!("{line}");
    }
    Ok(())
}
