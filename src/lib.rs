//! zhibiao (指标): a policy language and evaluator for government evaluation
//! indicator systems (评价指标体系).
//!
//! The pipeline, one module per phase; data flows one way:
//!
//! | phase | module | from → to |
//! |---|---|---|
//! | source | [`source`] | a file → text with [`source::Span`]s |
//! | numbers | [`num`] | every number: an exact fraction ([`num::Num`]) |
//! | syntax | [`syntax`] | text → [`syntax::ast::File`] (spans and comments kept) |
//! | derive | [`derive`] | a policy and those it `extends` → one syntax tree |
//! | check | [`check`] | syntax tree → [`ir::Policy`] and [`diagnostics::Diagnostic`]s |
//! | data | [`data`] | CSV / JSON → [`data::Dataset`], typed against the inputs |
//! | eval | [`eval`] | policy × dataset → [`eval::Evaluation`] |
//! | report | [`report`] | evaluation → table, JSON, CSV (written as rendered), or [`report::Report`] |
//! | testing | [`testing`] | a policy's `test` blocks → outcomes and coverage |
//! | diff | [`diff`] | two versions (and their reports) → what changed, and its impact |
//! | lsp | [`lsp`] | the same phases behind the language server editors talk to |
//! | cli | [`cli`] | the `zhibiao` command, a thin shell over the above |
//!
//! ```
//! use zhibiao::{compile, data::Dataset, eval, report::Report, source::SourceFile};
//!
//! let policy = compile(&SourceFile::new("p.zb", r#"
//!     policy "示例" { total 10  precision 2 half_up }
//!     input 年度计划: bool
//!     category 统筹 10 { item 计划 10 score 年度计划 }
//! "#)).result.expect("a valid policy").policy;
//! let data = Dataset::from_csv(&policy, "units.csv", "id,name,kind,年度计划\nA,甲,,是\n".as_bytes())
//!     .expect("valid data");
//! let evaluation = eval::evaluate(&policy, &data);
//! let report = Report::new(&policy, &data, &evaluation);
//! assert_eq!(report.units[0].score.map(|s| s.to_string()), Some("10".into()));
//! ```

extern crate alloc;

pub mod check;
pub mod cli;
pub mod data;
pub mod derive;
pub mod diagnostics;
pub mod diff;
pub mod eval;
pub mod import;
pub mod ir;
pub mod lsp;
pub mod num;
pub mod report;
pub mod script;
pub mod sensitivity;
pub mod source;
pub mod syntax;
pub mod testing;

pub use check::{Checked, Compiled, compile};
