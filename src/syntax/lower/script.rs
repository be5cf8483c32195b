//! Lowering `script { ... }` and `script "FILE.rhai"`.

use super::{Lower, P, kids};
use crate::source::Spanned;
use crate::syntax::ast::Script;
use crate::syntax::grammar::Rule;

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
                    // The code between the braces.
                    let body = p.as_str();
                    let code = body.get(1..body.len().saturating_sub(1)).unwrap_or("");
                    script.base = self.span(&p).start + 1;
                    script.code = code.to_string();
                }
                _ => {}
            }
        }
        script
    }
}
