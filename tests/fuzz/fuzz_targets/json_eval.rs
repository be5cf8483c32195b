//! Any bytes as the JSON data of the 黑河 2023 policy: read, and scored
//! when they read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhibiao::ir::Policy;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let text = include_str!("../../../policies/heihe/2023.zb");
        let source = zhibiao::source::SourceFile::new("2023.zb", text);
        zhibiao::check::compile(&source).result.expect("the flagship policy compiles").policy
    })
}

fuzz_target!(|data: &[u8]| {
    let policy = policy();
    if let Ok(units) = zhibiao::data::Dataset::from_json(policy, "fuzz.json", data) {
        let _ = zhibiao::eval::evaluate(policy, &units);
    }
});
