//! Any text as a meeting file, either kind, through `check` (parse, the shape of each kind,
//! validation and the nämnd's legal check, bilagor inspected but not drawn): diagnostics,
//! never a panic, a hang or memory without bound (issue 29). The file is written into a
//! folder of its own, so a bilaga it names is looked for there and nowhere else.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("protokoll-fuzz-meeting-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("meeting.toml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(loaded) = protokoll::meeting::load(&path) {
        let _ = protokoll::meeting::check(loaded);
    }
});
