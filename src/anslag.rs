//! `assemble anslag`: the anslagsbevis of a justerat nämnd protocol (KL 8 kap. 12 §).

pub mod dates;

use std::path::Path;

/// `assemble anslag MEETING [-o FILE]`.
pub fn run(_meeting: &Path, _output: Option<&Path>, _templates: Option<&Path>) -> Result<(), u8> {
    eprintln!("error: anslagsbevis need the nämnd model (not merged yet)");
    Err(crate::commands::EXIT_INPUT)
}
