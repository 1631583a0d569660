//! Integration tests: run the real `assemble` binary on fixture folders and read the real
//! PDF back. One module per feature.

mod common;

mod all_at_once;
mod bad_input;
mod batch;
mod bilagor_cases;
mod browser;
mod caps;
mod determinism;
mod docx;
mod golden;
mod hostile;
mod hostile_bundles;
mod namnd;
mod namnd_output;
mod namnd_record;
mod outputs;
mod pdf_bilaga;
mod publish;
mod reference_docs;
mod samples;
mod scaffold;
mod site;
mod structure;
mod synthetic;
mod templates;
mod text_area;
mod typst_snapshots;
mod watch;
mod webdriver;
mod word_accounting;
mod yrkanden;
