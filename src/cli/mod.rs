//! The command line: argument parsing and the subcommands, each a thin
//! shell over library calls. Exit codes are documented in the README.

mod check;
mod diff;
mod eval;
mod explain;
mod fmt;
mod git;
mod import;
mod output;
mod progress;
mod sensitivity;
mod show;
mod template;
mod test;

use crate::diagnostics::Format;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes.
pub const OK: u8 = 0;
pub const POLICY_ERROR: u8 = 1;
pub const USAGE: u8 = 2;
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
    /// The project folder: a policy may extend policy files anywhere under it
    /// (default: the folder of the policy being read).
    #[arg(long, value_name = "FOLDER", global = true)]
    pub root: Option<PathBuf>,
    /// The sheet data is read from, in workbooks (.xlsx, .xls, .ods) given as
    /// data (default: each workbook's first sheet).
    #[arg(long, value_name = "NAME", global = true)]
    pub sheet: Option<String>,
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
    /// Rewrite policy files in one canonical layout, keeping comments and the keywords'
    /// language. Without PATH: every *.zb file under the current directory.
    Fmt {
        paths: Vec<PathBuf>,
        /// Change nothing: show what would change, exit 1 if anything would.
        #[arg(long)]
        check: bool,
    },
    /// Run the tests of policies: their `test` blocks and NAME.test.zb beside them.
    /// Without PATH: every policy under the current directory. Exit 1 if one fails.
    Test {
        paths: Vec<PathBuf>,
        /// Also say which items, N/A paths, arms and bands, bonus and deduction items
        /// and vetoes no test exercised.
        #[arg(long)]
        coverage: bool,
        /// Run the tests that read their units from data (`test "..." from FILE`)
        /// over these files instead, as `eval` takes them.
        #[arg(long)]
        data: Vec<String>,
    },
    /// Evaluate a policy over the units' data.
    Eval {
        policy: PathBuf,
        /// The units' data: CSV (UTF-8, with or without BOM, or GB18030) or JSON.
        /// For several periods, give each as PERIOD=FILE, oldest first: rules
        /// may read the previous period.
        #[arg(long, required = true)]
        data: Vec<String>,
        /// The period to report (default: the last given).
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormat,
        /// Write here (whole or not at all) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Threads to score and write units with (default: one per core); the
        /// output is the same for any number.
        #[arg(long, short, default_value_t = 0)]
        jobs: usize,
    },
    /// How far each unit's rank could move had the method been set otherwise
    /// (the policy's `uncertainty` block): rank intervals, grade chances and
    /// each choice's sensitivity indices.
    Sensitivity {
        policy: PathBuf,
        /// The units' data, as `eval` takes it.
        #[arg(long, required = true)]
        data: Vec<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: sensitivity::SensitivityFormat,
        /// Write here (whole or not at all) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Threads (default: one per core); the results are the same for any number.
        #[arg(long, short, default_value_t = 0)]
        jobs: usize,
        /// Base samples, instead of the policy's `samples`.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
        samples: Option<u32>,
        /// The seed, instead of the policy's `seed`.
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Compare two versions of a policy: what changed, and with --data what it does to
    /// every unit. Exit 0 when equal, 1 when different, 2 on trouble.
    Diff {
        /// OLD NEW (or the seven arguments git passes to a diff driver, nine
        /// for a renamed file).
        #[arg(required = true, num_args = 2..=9)]
        files: Vec<PathBuf>,
        /// Evaluate both versions on these units and show the impact (as `eval`
        /// takes them: a file, PERIOD=FILE per period, SOURCE=FILE per source).
        #[arg(long)]
        data: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: diff::DiffFormat,
    },
    /// Write the data-collection template: a header row with the columns a unit
    /// (of a kind) fills in, and FILE.columns.csv describing each column.
    Template {
        policy: PathBuf,
        /// Only the columns this kind of unit needs.
        #[arg(long)]
        kind: Option<String>,
        /// Only the columns this source collects (a policy with sources).
        #[arg(long)]
        source: Option<String>,
        /// `xlsx`: one workbook, a sheet per kind or source with Excel's checks
        /// (also chosen by an output file ending in .xlsx).
        #[arg(long, value_enum, default_value = "csv")]
        format: template::TemplateFormat,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Explain one unit's score: every node with its score and maximum, the values each
    /// rule read, why a node did not apply, the parts, vetoes and rounding.
    Explain {
        policy: PathBuf,
        /// As `eval` takes it: a file, PERIOD=FILE per period, SOURCE=FILE per source.
        #[arg(long, required = true)]
        data: Vec<String>,
        /// Explain an earlier period (of several given).
        #[arg(long)]
        period: Option<String>,
        /// The unit's id.
        #[arg(long)]
        unit: String,
        #[arg(long, value_enum, default_value = "text")]
        format: explain::ExplainFormat,
    },
    /// Turn a published indicator table (CSV: 序号, level columns, 内容, 分值, 关联单位,
    /// 按需) into a policy skeleton whose rules are left as `待定` for an author.
    Import {
        table: PathBuf,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Print a policy with everything it extends applied, as one canonical file.
    Show {
        policy: PathBuf,
        /// Keyword language of the output.
        #[arg(long, value_enum, default_value = "auto")]
        keywords: show::Language,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Serve editors over stdin and stdout (the Language Server Protocol): diagnostics as
    /// you type, hover, definitions, references, completion, outline, formatting.
    Lsp,
    /// Print the shell completion script: `zhibiao completions bash > ~/.local/share/bash-completion/completions/zhibiao`.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff): `zhibiao man > zhibiao.1 && man ./zhibiao.1`.
    Man,
    /// Print a policy as its published table (序号, levels, content, points, 关联单位, 按需).
    Table {
        policy: PathBuf,
        #[arg(long, value_enum, default_value = "markdown")]
        format: show::TableFormat,
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
    /// An Excel workbook (needs `--output FILE.xlsx`).
    Xlsx,
    /// A report for leaders: one self-contained HTML file.
    Html,
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
    if let Some(sheet) = &cli.sheet {
        crate::data::workbook::set_sheet(sheet);
    }
    if let Some(root) = &cli.root {
        check::set_root(root);
    }
    let code = match cli.command {
        Command::Check { files } => check::run(&files, format),
        Command::Fmt { paths, check } => fmt::run(&paths, check, format),
        Command::Test {
            paths,
            coverage,
            data,
        } => test::run(&paths, coverage, &data, format),
        Command::Eval {
            policy,
            data,
            period,
            format: out,
            output,
            jobs,
        } => {
            let request = eval::Request {
                policy: &policy,
                data: &data,
                period: period.as_deref(),
                format: out,
                output: output.as_deref(),
                jobs,
            };
            eval::run(&request, format)
        }
        Command::Sensitivity {
            policy,
            data,
            format: how,
            output,
            jobs,
            samples,
            seed,
        } => sensitivity::run(
            &sensitivity::Request {
                policy: &policy,
                data: &data,
                format: how,
                output: output.as_deref(),
                jobs,
                samples: samples.map(|n| n as usize),
                seed,
            },
            format,
        ),
        Command::Diff {
            files,
            data,
            format: how,
        } => diff::run(&files, &data, how, format),
        Command::Explain {
            policy,
            data,
            period,
            unit,
            format: how,
        } => explain::run(&policy, &data, period.as_deref(), &unit, how, format),
        Command::Import { table, output } => import::run(&table, output.as_deref()),
        Command::Template {
            policy,
            kind,
            source,
            format: layout,
            output,
        } => template::run(
            &policy,
            kind.as_deref(),
            source.as_deref(),
            (layout, output.as_deref()),
            format,
        ),
        Command::Show {
            policy,
            keywords,
            output,
        } => show::show(&policy, keywords, output.as_deref(), format),
        Command::Table {
            policy,
            format: table,
            output,
        } => show::table(&policy, table, output.as_deref(), format),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "zhibiao", &mut out);
            output::emit(&String::from_utf8_lossy(&out), None)
        }
        Command::Man => {
            let mut out = Vec::new();
            let page = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            match page.render(&mut out) {
                Ok(()) => output::emit(&String::from_utf8_lossy(&out), None),
                Err(e) => {
                    eprintln!("error: {e}");
                    IO_ERROR
                }
            }
        }
        Command::Lsp => match crate::lsp::run() {
            Ok(()) => OK,
            Err(e) => {
                eprintln!("zhibiao lsp: {e}");
                IO_ERROR
            }
        },
    };
    ExitCode::from(code)
}
