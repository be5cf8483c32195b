//! Any text as a policy: parsed, resolved and checked, and asked what an
//! editor asks at its end. Nothing may panic, overflow or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhibiao::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = zhibiao::check::compile(&SourceFile::new("fuzz.zb", text.as_ref()));
    if let Ok(uri) = "file:///fuzz/fuzz.zb".parse() {
        let analysis = zhibiao::lsp::Analysis::new(uri, text.to_string(), &mut |_| {
            Err(std::io::Error::other("no files"))
        });
        let _ = analysis.hover(text.len() / 2);
        let _ = analysis.complete(text.len());
    }
});
