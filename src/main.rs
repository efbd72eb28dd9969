//! The `canhbao` command: parse arguments, call the library, print errors, set the exit code.

use std::process::ExitCode;

use clap::Parser;

use canhbao::cli::{Cli, Command};
use canhbao::report::{self, Reporter};
use canhbao::scaffold::{self, Refusal};
use canhbao::{BuildOptions, check};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    match cli.command {
        Command::Build(args) => {
            let reporter = Reporter::new(&args.root, quiet);
            let progress = std::sync::Arc::new(canhbao::progress::Progress::default());
            let options = BuildOptions { progress: Some(progress.clone()), ..BuildOptions::from(args) };
            match reporter.with_progress(Some(&progress), || canhbao::build(&options)) {
                Ok(r) => {
                    let lang = reporter.lang;
                    for warning in &r.warnings {
                        reporter.warn(warning);
                    }
                    // The first build after articles got short links registers two URLs an
                    // article: name a few, count the rest.
                    const NAMED: usize = 10;
                    for url in r.registered.iter().take(NAMED) {
                        reporter.info(&lang.registered(url, canhbao::registry::REGISTRY_FILE));
                    }
                    if r.registered.len() > NAMED {
                        let more = r.registered.len() - NAMED;
                        reporter.info(&lang.registered_more(more, canhbao::registry::REGISTRY_FILE));
                    }
                    reporter.info(&lang.build_summary(&r));
                    ExitCode::SUCCESS
                }
                Err(err) => fail(&reporter, &err, |n| reporter.lang.build_failed(n)),
            }
        }
        Command::Check(args) => {
            let reporter = Reporter::new(&args.root, quiet);
            let options = BuildOptions {
                root: args.root,
                drafts: args.drafts,
                pdf: args.print.pdf,
                chromium: args.print.chromium,
                ..BuildOptions::default()
            };
            match reporter.with_progress(None, || check::check(&options)) {
                Ok(r) => {
                    let lang = reporter.lang;
                    for warning in &r.warnings {
                        reporter.warn(warning);
                    }
                    let counts = format!("{}{}", lang.counts(r.articles, r.pages, r.leaflets), lang.pdfs(r.pdfs));
                    reporter.info(&lang.checked(&counts, r.time));
                    ExitCode::SUCCESS
                }
                Err(err) => fail(&reporter, &err, |n| reporter.lang.check_failed(n)),
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) => {
            let reporter = Reporter::new(&args.root, quiet);
            match canhbao::serve::serve(args.into(), &reporter) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(&reporter, &err, |n| reporter.lang.build_failed(n)),
            }
        }
        Command::New(args) => {
            let reporter = Reporter::new(&args.root, quiet);
            let lang = reporter.lang;
            match scaffold::new_item(&args.root, args.kind, &args.title, args.slug.as_deref(), scaffold::today()) {
                Ok(rel) => {
                    let shown = report::display_path(&args.root.join(&rel));
                    println!("{}", lang.created(&shown, true));
                    ExitCode::SUCCESS
                }
                Err(err) => match err.downcast_ref::<Refusal>() {
                    Some(Refusal::Exists(rel)) => {
                        let shown = report::display_path(&args.root.join(rel));
                        refuse(&reporter, &lang.exists(&shown), Some(lang.exists_help()))
                    }
                    Some(Refusal::NoSlug) => refuse(&reporter, &lang.no_slug(&args.title), None),
                    _ => fail(&reporter, &err, |n| lang.fix_first(n)),
                },
            }
        }
        Command::Import(args) => import(args, quiet),
        Command::Init(args) => {
            let reporter = Reporter::new(&args.dir, quiet);
            let lang = reporter.lang;
            let shown = report::display_path(&args.dir);
            match scaffold::init(&args.dir) {
                Ok(_) => {
                    println!("{}", lang.initialised(&shown));
                    ExitCode::SUCCESS
                }
                Err(err) => match err.downcast_ref::<Refusal>() {
                    Some(Refusal::Exists(rel)) => {
                        let existing = report::display_path(&args.dir.join(rel));
                        refuse(&reporter, &lang.exists(&existing), Some(&lang.init_nothing_written(&shown)))
                    }
                    Some(_) => refuse(&reporter, &lang.init_refused(&shown), None),
                    None => fail(&reporter, &err, |n| lang.fix_first(n)),
                },
            }
        }
        Command::Scans(args) => scans(args, quiet),
    }
}

/// `canhbao scans`: the table (or CSV) on standard output, the HTML report to its file.
fn scans(args: canhbao::cli::ScansArgs, quiet: bool) -> ExitCode {
    let reporter = Reporter::new(&args.root, quiet);
    let lang = reporter.lang;
    let options = canhbao::scans::Options { root: args.root.clone(), logs: args.logs, window: args.window };
    let result = canhbao::scans::run(&options, args.html.as_deref());
    match result {
        Ok(report) => {
            for damaged in &report.damaged {
                let message = canhbao::Message::LogDamaged { line: damaged.line, error: damaged.error.clone() };
                reporter.warn(&canhbao::Diagnostic::new(&damaged.file, message));
            }
            if args.csv {
                print!("{}", canhbao::scans::report::csv(&report));
                if !quiet {
                    eprint!("{}", canhbao::scans::report::summary(&report, lang));
                }
            } else {
                print!("{}", canhbao::scans::report::table(&report, lang));
            }
            ExitCode::SUCCESS
        }
        Err(err) => fail(&reporter, &err, |n| lang.fix_first(n)),
    }
}

/// `canhbao import`: the report on standard output, problems on standard error.
fn import(args: canhbao::cli::ImportArgs, quiet: bool) -> ExitCode {
    use canhbao::import::{self, ImportOptions};
    let reporter = Reporter::new(std::path::Path::new("."), quiet);
    let progress = std::sync::Arc::new(canhbao::progress::Progress::default());
    let options = ImportOptions {
        source: args.source,
        root: args.into,
        map: args.map,
        dry_run: args.dry_run,
        fetch_images: args.fetch_images,
        progress: Some(progress.clone()),
    };
    match reporter.with_progress(Some(&progress), || import::run(&options)) {
        Ok(r) => {
            // Posts not imported and notes name files from here; the check's, from the site root.
            if !r.problems.is_empty() {
                anstream::eprintln!("{}\n", reporter.render_all(&r.problems));
            }
            r.notes.iter().for_each(|note| reporter.warn(note));
            if !quiet {
                import::report::lines(&r, reporter.lang).iter().for_each(|line| println!("{line}"));
            }
            if let Some(problems) = r.check.as_ref().filter(|p| !p.is_empty()) {
                anstream::eprintln!("{}", Reporter::new(&options.root, quiet).render_all(problems));
            }
            if r.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(err) => fail(&reporter, &err, |n| reporter.lang.fix_first(n)),
    }
}

fn fail(reporter: &Reporter, err: &anyhow::Error, failed: impl Fn(usize) -> String) -> ExitCode {
    reporter.error(err, failed);
    ExitCode::FAILURE
}

fn refuse(reporter: &Reporter, message: &str, help: Option<&str>) -> ExitCode {
    reporter.refuse(message, help);
    ExitCode::FAILURE
}
