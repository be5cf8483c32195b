//! Syntax: policy text → [`ast::File`] with spans, and syntax diagnostics.
//!
//! The first phase after `source`. It depends on nothing but `source` and
//! `diagnostics`; no name is resolved here. Parsing never panics: a file that
//! cannot be read gives diagnostics and the declarations that could be.

pub mod ast;
mod comments;
mod depth;
pub use depth::{TOO_DEEP, brackets};
mod errors;
pub use errors::SYNTAX;
pub mod format;
mod grammar;
pub mod keywords;
mod lower;
mod parser;
pub mod print;

pub use parser::{parse, parse_at};
