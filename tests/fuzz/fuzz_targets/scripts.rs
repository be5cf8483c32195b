//! Any text as a policy's script: compiled, and every function of up to
//! three parameters called with a few numbers, inside the sandbox's bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhibiao::num::Num;
use zhibiao::script::Value;
use zhibiao::syntax::ast::Script;

fuzz_target!(|data: &[u8]| {
    let code = String::from_utf8_lossy(data).into_owned();
    let script = Script { path: None, code, base: 0, span: Default::default() };
    let (Some(scripts), _) = zhibiao::script::compile(&[script]) else {
        return;
    };
    let args = [Value::Number(Num::from(3u8)), Value::Bool(true), Value::Number(Num::ZERO)];
    for (i, f) in scripts.functions.iter().enumerate() {
        if let Some(args) = args.get(..f.params.len()) {
            let _ = scripts.call(i, args);
        }
    }
});
