//! Any bytes as what an editor sends the language server: every frame is
//! read or refused, with memory bounded by the largest message allowed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zhibiao::lsp::transport::messages(data);
});
