//! The `canhbao` command: parse arguments, call the library, print errors, set the exit code.

use std::process::ExitCode;

use clap::Parser;

use canhbao::cli::{Cli, Command};
use canhbao::{BuildOptions, ContentErrors};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => {
            let options = BuildOptions::from(args);
            canhbao::build(&options).map(|report| {
                for warning in &report.warnings {
                    eprintln!("warning: {warning}");
                }
                for url in &report.registered {
                    eprintln!("registered printed URL {url} in {}", canhbao::registry::REGISTRY_FILE);
                }
                eprintln!("{report}");
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(&err);
            ExitCode::FAILURE
        }
    }
}

fn report_error(err: &anyhow::Error) {
    if let Some(problems) = err.downcast_ref::<ContentErrors>() {
        for diagnostic in &problems.0 {
            eprintln!("error: {diagnostic}");
        }
        eprintln!("error: build failed with {} problem(s); public/ was not changed", problems.0.len());
        return;
    }
    eprintln!("error: {err}");
    for cause in err.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}
