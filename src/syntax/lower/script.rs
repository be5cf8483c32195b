//! Lowering `script { ... }` and `script "FILE.rhai"`.

use super::{Lower, P, kids};
use crate::source::Spanned;
use crate::syntax::ast::Script;
use crate::syntax::parser::Rule;

impl Lower<'_> {
    pub(super) fn script(&mut self, pair: P) -> Script {
        let span = self.span(&pair);
        let mut script = Script {
            path: None,
            code: String::new(),
            base: span.start,
            span,
        };
        for p in kids(pair) {
            match p.as_rule() {
                Rule::string => {
                    let at = self.span(&p);
                    script.path = Some(Spanned::new(self.string(p), at));
                }
                Rule::script_body => {
                    if let Some(code) = p.into_inner().next() {
                        script.base = self.span(&code).start;
                        script.code = code.as_str().to_string();
                    }
                }
                _ => {}
            }
        }
        script
    }
}
