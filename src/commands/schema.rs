//! `assemble schema [--markdown]`: the JSON Schema of the meeting file, for editors; or the
//! meeting-file reference made from the same doc comments, for docs/.

use protokoll::meeting::raw::{reference, schema_json};

use super::{Failure, print_bytes};

pub fn run(markdown: bool) -> Result<(), Failure> {
    if markdown {
        print_bytes(reference::reference_markdown().as_bytes())
    } else {
        print_bytes(schema_json().as_bytes())
    }
}
