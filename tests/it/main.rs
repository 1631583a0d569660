//! Integration tests: run the real `assemble` binary on fixture folders and read the real
//! PDF back. One module per feature.

mod common;

mod bad_input;
mod batch;
mod bilagor_cases;
mod determinism;
mod docx;
mod namnd;
mod namnd_output;
mod pdf_bilaga;
mod samples;
mod scaffold;
mod structure;
mod synthetic;
mod templates;
mod text_area;
mod watch;
mod word_accounting;
mod yrkanden;
