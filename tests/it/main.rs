//! Integration tests: run the real `assemble` binary on fixture folders and read the real
//! PDF back. One module per feature.

mod common;

mod all_at_once;
mod archive;
mod bad_input;
mod batch;
mod bilagor_cases;
mod browser;
mod caps;
mod conformance;
mod determinism;
mod docx;
mod docx_cases;
mod golden;
mod hostile;
mod hostile3;
mod hostile_bundles;
mod html_validity;
mod markdown_cases;
mod markup_boundaries;
mod namnd;
mod namnd_output;
mod namnd_record;
mod outputs;
mod pdf_bilaga;
mod pdf_cost;
mod pdf_shown;
mod placement;
mod publication;
mod publish;
mod publish_pdf;
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
