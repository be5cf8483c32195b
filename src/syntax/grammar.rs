//! The pest grammar (`grammar/zhibiao.pest`) as a parser type and its rules:
//! what the parser drives, lowering reads and the formatter walks.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/zhibiao.pest"]
pub(crate) struct ZbParser;
