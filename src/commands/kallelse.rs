//! `assemble kallelse MEETING [--pack] [--public] [-o FILE]`: the kallelse with
//! föredragningslista of a nämnd meeting, or the meeting pack; the members' edition, or the
//! public one (what is marked sekretess left out, every byte read back by the last gate).

use std::path::{Path, PathBuf};

use crate::commands::cwd::display_path;
use protokoll::diag::Diagnostic;
use protokoll::documents::kallelse::{self, Edition};
use protokoll::meeting::Protocol;
use protokoll::meeting::model::namnd::NamndMeeting;
use protokoll::pipeline;
use protokoll::publish::web;
use protokoll::typeset::{self, Origin};

use super::{Failure, default_output, expect_extension, print_diagnostics, renderer};
use crate::cli::Common;

/// The folder below `--out-dir` the public editions go to (as `publish` writes them).
const WEBB_DIR: &str = "webb";

pub fn run(
    meeting: &Path,
    pack: bool,
    public: bool,
    output: Option<PathBuf>,
    common: &Common,
) -> Result<(), Failure> {
    let what = if pack { "a meeting pack" } else { "a kallelse" };
    if let Some(path) = &output {
        expect_extension(path, "pdf", what)?;
    }
    let fail = |p| Failure::meeting(meeting, p);
    let suffix = match (pack, public) {
        (false, false) => "-kallelse",
        (true, false) => "-handlingar",
        (false, true) => "-kallelse-webb",
        (true, true) => "-handlingar-webb",
    };
    // The pages of the PDF handlingar the pack prints are kept in the output folder's page
    // cache, as a build keeps its bilagor's (none for a file named with -o, as for a
    // protocol built alone).
    let pages = protokoll::bilaga::pdf::PageOptions {
        cache: output
            .is_none()
            .then(|| protokoll::bilaga::pdf::cache::dir_in(&common.out_dir)),
        route: None,
    };
    let pdf = match output {
        Some(p) => p,
        None if public => default_output(meeting, &common.out_dir.join(WEBB_DIR), suffix)?,
        None => default_output(meeting, &common.out_dir, suffix)?,
    };
    let renderer = renderer(common.templates.as_deref())?;
    let (model, edition, warnings, gate) = if public {
        let prepared = web::prepare_kallelse(meeting, pack.then_some(&pages)).map_err(fail)?;
        let edition = Edition {
            pack,
            public: Some(prepared.withheld_handlingar()),
        };
        // The public edition's record goes beside it (`<name>.json`): what the site checks
        // that the PDF was made from the meeting file as it is now.
        let record = prepared.web_record.to_json();
        (
            prepared.web,
            edition,
            prepared.warnings,
            Some((prepared.gate, record)),
        )
    } else {
        let edition = Edition { pack, public: None };
        let (protocol, warnings) = pipeline::kallelse(meeting, &edition, &pages).map_err(fail)?;
        (protocol, edition, warnings, None)
    };
    let Protocol::Namnd(m) = &model else {
        return Err(Failure::Usage(vec![
            Diagnostic::error(format!(
                "{what} is made of a nämnd meeting, and `{}` is not one",
                display_path(meeting)
            ))
            .with_hint("its kind is \"fvg\"; only a file with kind = \"namnd\" has one"),
        ]));
    };
    let job = kallelse::make(m, &edition, &renderer).map_err(fail)?;
    let generated = pdf.with_extension("typ");
    let done = typeset::typeset(
        job,
        &Origin {
            meeting,
            generated: &generated,
            library: renderer.templates().library(),
            reads: None,
        },
        renderer.typeset_options(),
    )
    .map_err(fail)?;
    let mut files = vec![(pdf.clone(), done.pdf)];
    if let Some((gate, record)) = gate {
        files.push((pdf.with_extension("json"), record.into_bytes()));
        // The last gate: the public edition's bytes read back as a reader gets them.
        let leaks: Vec<_> = files
            .iter()
            .flat_map(|(path, bytes)| gate.check_file(&display_path(path), bytes))
            .collect();
        if !leaks.is_empty() {
            return Err(fail(leaks));
        }
    }
    protokoll::output::write_all_atomic(&files)
        .map_err(|(path, e)| fail(vec![pipeline::write_error(&path, &e)]))?;
    print_diagnostics(&warnings);
    print_diagnostics(&done.warnings);
    notes(m);
    say!(
        "wrote {} ({})",
        display_path(&pdf),
        super::count(done.pages, "page", "pages")
    );
    for (json, _) in files.iter().skip(1) {
        say!("wrote {}", display_path(json));
    }
    Ok(())
}

/// What the secretary is told besides the document: the last days the rules allow, and a
/// kallelse that does not say how to report förhinder (the organ words that; nothing is
/// invented).
fn notes(m: &NamndMeeting) {
    if let Some(last) = m.kallelse.sista_tillkannagivande {
        tell!(
            "note: the tillkännagivande must go up on the anslagstavla by {} (a week before the meeting day, KL 5 kap. 13–15 §§)",
            last.0
        );
    }
    if let Some(last) = m.kallelse.sista_kallelse {
        tell!("note: the kallelse must be sent by {}", last.0);
    }
    if m.style.forhinder_anmals.is_none() {
        tell!(
            "warning: the kallelse does not say how to report förhinder\n  = help: word it once for the organ in husstil.toml: [kallelse] forhinder = \"Förhinder anmäls till …\""
        );
    }
}
