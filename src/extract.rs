//! `assemble extract`: a protokollsutdrag, the certified extract of one § of a nämnd protocol.

use std::path::Path;

/// `assemble extract MEETING --paragraf N [-o FILE]`.
pub fn run(
    _meeting: &Path,
    _paragraf: u32,
    _output: Option<&Path>,
    _templates: Option<&Path>,
) -> Result<(), u8> {
    eprintln!("error: protokollsutdrag need the nämnd model (not merged yet)");
    Err(crate::commands::EXIT_INPUT)
}
