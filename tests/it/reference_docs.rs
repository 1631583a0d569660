//! The meeting-file reference in `docs/` is generated from the doc comments the JSON Schema
//! is made of (`protokoll::meeting::raw::reference::reference_markdown`): the committed file
//! must be what the code generates now. After changing a doc comment or a key,
//! `UPDATE_DOCS=1 cargo test --test it reference_docs` rewrites it.

use crate::common::*;
use crate::golden::assert_current;

/// Marks where the generated part of the file begins; everything above it is hand-written.
const BEGIN: &str = "<!-- BEGIN GENERATED";
const END: &str = "<!-- END GENERATED -->";

#[test]
fn the_committed_meeting_file_reference_is_generated_from_the_schema() {
    let path = repo().join("docs/meeting-file-reference.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    // Keep the hand-written head (and tail) of the file, replace what is between the markers.
    let (head, tail) = match (committed.find(BEGIN), committed.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            (&committed[..begin], &committed[end + END.len()..])
        }
        _ => panic!(
            "{} has no `{BEGIN} … -->` … `{END}` markers around the generated part",
            path.display()
        ),
    };
    // As a user makes it: `assemble schema --markdown`.
    let out = assemble(&repo(), &["schema", "--markdown"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = format!(
        "{head}{BEGIN} by protokoll::meeting::raw::reference::reference_markdown(); \
         do not edit, run UPDATE_DOCS=1 cargo test --test it reference_docs -->\n\n{}{END}{tail}",
        stdout(&out)
    );
    assert_current(&path, &expected, "UPDATE_DOCS");
}
