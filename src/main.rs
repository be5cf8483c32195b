use clap::Parser;

fn main() -> std::process::ExitCode {
    zhibiao::cli::run(zhibiao::cli::Cli::parse())
}
