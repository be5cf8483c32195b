//! The command line: argument parsing and the subcommands, each a thin
//! shell over library calls. Exit codes are documented in the README.

mod check;
mod eval;
mod output;

use crate::diagnostics::Format;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes.
pub const OK: u8 = 0;
pub const POLICY_ERROR: u8 = 1;
pub const DATA_ERROR: u8 = 3;
pub const IO_ERROR: u8 = 4;

#[derive(Parser, Debug)]
#[command(
    name = "zhibiao",
    version,
    about = "指标: a policy language and evaluator for evaluation indicator systems (评价指标体系)"
)]
pub struct Cli {
    /// How diagnostics are shown.
    #[arg(long, value_enum, default_value = "human", global = true)]
    pub error_format: ErrorFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check policy files: exit 0 if valid (warnings are printed), 1 if any error.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Evaluate a policy over the units' data.
    Eval {
        policy: PathBuf,
        /// The units' data: CSV (UTF-8, with or without BOM, or GB18030) or JSON.
        #[arg(long)]
        data: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormat,
        /// Write here (whole or not at all) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ErrorFormat {
    Human,
    Plain,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}

impl ErrorFormat {
    fn format(self) -> Format {
        match self {
            ErrorFormat::Human => Format::Human,
            ErrorFormat::Plain => Format::Plain,
            ErrorFormat::Json => Format::Json,
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let format = cli.error_format.format();
    let code = match cli.command {
        Command::Check { files } => check::run(&files, format),
        Command::Eval {
            policy,
            data,
            format: out,
            output,
        } => eval::run(&policy, &data, out, output.as_deref(), format),
    };
    ExitCode::from(code)
}
