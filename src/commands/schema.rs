//! `assemble schema`: the JSON Schema of the meeting file, for editors.

use super::{Failure, print_bytes};

pub fn run() -> Result<(), Failure> {
    print_bytes(protokoll::meeting::raw::schema_json().as_bytes())
}
