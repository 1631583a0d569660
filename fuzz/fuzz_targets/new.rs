//! `assemble new --from`: any previous meeting file that parses (either kind) is turned into
//! the next meeting's file. What `new` writes must parse as the same kind, carry the same
//! organ, and hold nothing the previous meeting's text could smuggle in: no justering, and a
//! nämnd draft is never a fragment.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::meeting::raw::RawFvgMeeting;
use protokoll::meeting::raw::namnd::RawNamndMeeting;
use protokoll::scaffold;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let date = time::macros::date!(2026 - 12 - 01);
    if let Ok(previous) = toml::from_str::<RawFvgMeeting>(text) {
        let next = scaffold::from_previous(&previous, date, "prev.toml");
        let parsed: RawFvgMeeting = match toml::from_str(&next) {
            Ok(p) => p,
            Err(e) => panic!("`new` wrote a file that does not parse: {e}\n{next}"),
        };
        assert_eq!(parsed.organ.get_ref(), previous.organ.get_ref());
        assert!(
            parsed.justerad.is_none(),
            "`new` wrote a justering:\n{next}"
        );
    }
    if let Ok(previous) = toml::from_str::<RawNamndMeeting>(text) {
        if previous.fragment {
            return;
        }
        let next = scaffold::namnd::from_previous(&previous, date, "prev.toml");
        let parsed: RawNamndMeeting = match toml::from_str(&next) {
            Ok(p) => p,
            Err(e) => panic!("`new` wrote a nämnd file that does not parse: {e}\n{next}"),
        };
        assert!(!parsed.fragment, "a nämnd draft became a fragment:\n{next}");
        assert_eq!(parsed.organ.get_ref(), previous.organ.get_ref());
        assert!(
            parsed.justerad.is_none(),
            "`new` wrote a justering:\n{next}"
        );
    }
});
