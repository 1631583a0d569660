//! Which new meeting file to write: from the previous meeting of either kind, or a skeleton
//! of the kind asked for. The one place `new` decides by kind.

use std::path::{Path, PathBuf};

use time::Date;

use crate::diag::Diagnostic;
use crate::meeting::raw::{Kind, RawProtocol};

/// A new meeting file, not yet written.
#[derive(Debug)]
pub struct Draft {
    /// The TOML text.
    pub text: String,
    /// The folder it belongs in by default: the previous meeting's, if started from one.
    pub beside: Option<PathBuf>,
    /// E.g. a nämnd meeting dated before the previous one (its § numbering runs on).
    pub warnings: Vec<Diagnostic>,
}

/// The next meeting's file on `date`, from the meeting file `from` (its kind) or, without
/// one, a commented skeleton of `kind`. Errors: `from` cannot be read or parsed (at its
/// line), or is a fragment of a nämnd protocol, which has no next meeting.
pub fn start(from: Option<&Path>, kind: Kind, date: Date) -> Result<Draft, Vec<Diagnostic>> {
    let Some(previous) = from else {
        let text = match kind {
            Kind::Fvg => super::skeleton(date),
            Kind::Namnd => super::namnd::skeleton(date),
        };
        return Ok(Draft {
            text,
            beside: None,
            warnings: Vec::new(),
        });
    };
    let loaded = crate::meeting::load(previous)?;
    let name = previous
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let mut warnings = Vec::new();
    let text = match &loaded.raw {
        RawProtocol::Fvg(raw) => super::from_previous(raw, date, &name),
        RawProtocol::Namnd(raw) if raw.fragment => {
            return Err(vec![super::namnd::fragment_refused(&loaded.file, date)]);
        }
        RawProtocol::Namnd(raw) => {
            warnings.extend(super::namnd::date_warning(raw, &loaded.file, date));
            super::namnd::from_previous(raw, date, &name)
        }
    };
    // The secretary's comments beside what carried over unchanged still apply.
    let text = super::comments::carry(&loaded.file.text, &text);
    // The editor's schema directive switches on completion and checking as one types: the
    // only editing aid, so the next meeting keeps it (first, where editors look for it). It
    // is relative to the file's folder, where the new file goes by default.
    let text = match schema_directive(&loaded.file.text) {
        Some(line) => format!("{line}\n{text}"),
        None => text,
    };
    Ok(Draft {
        text,
        beside: previous.parent().map(Path::to_path_buf),
        warnings,
    })
}

/// The `#:schema …` line of a meeting file's opening comments (Taplo's directive, which the
/// editors' TOML extensions read), if it has one.
fn schema_directive(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with('#'))
        .find(|l| l.starts_with("#:schema ") && !l.contains(|c: char| c.is_control()))
}

/// The draft as a planned meeting (`assemble new --planerat`, issue 26): `status =
/// "planerat"` after the kind, and no end time (a planned meeting has none; the previous
/// meeting's is not carried). Only a nämnd meeting can be planned.
pub fn planned(mut draft: Draft) -> Result<Draft, Vec<Diagnostic>> {
    if !draft.text.lines().any(|l| l == "kind = \"namnd\"") {
        return Err(vec![
            Diagnostic::error("only a nämnd meeting can be planned (`--planerat`)")
                .with_hint("start it from a nämnd meeting (--from) or with --kind namnd"),
        ]);
    }
    let mut out = String::with_capacity(draft.text.len() + 64);
    for line in draft.text.split_inclusive('\n') {
        if line.starts_with("end = ") {
            continue;
        }
        out.push_str(line);
        if line.trim_end() == "kind = \"namnd\"" {
            out.push_str(
                "status = \"planerat\"  # the plan (kallelse); delete this line once the meeting is held\n",
            );
        }
    }
    draft.text = out;
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::schema_directive;

    #[test]
    fn the_schema_directive_is_found_in_the_opening_comments_only() {
        assert_eq!(
            schema_directive("\n# x\n#:schema ../meeting.schema.json\nkind = \"fvg\"\n"),
            Some("#:schema ../meeting.schema.json")
        );
        assert_eq!(schema_directive("kind = \"fvg\"\n#:schema x.json\n"), None);
    }
}
