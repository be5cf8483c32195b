//! Any text through `zhibiao fmt`: formatting what parses gives text that
//! parses and formats to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(once) = zhibiao::syntax::format::format(&text) {
        let twice = zhibiao::syntax::format::format(&once);
        assert_eq!(twice.as_deref().ok(), Some(once.as_str()), "fmt is not idempotent");
    }
});
