//! The `digest` command line: parses flags, runs [`digest::build`], prints the summary. Errors print their whole
//! chain and exit non-zero.

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use digest::build::{Flags, Options, Summary};
use digest::render::Settings;

/// How many hand-edited files are named one per line before the rest are counted.
const LISTED: usize = 20;

#[derive(Parser)]
#[command(
    name = "digest",
    version,
    about = "Chinese newspaper pages in, a searchable policy digest out",
    long_about = "Chinese newspaper pages in, a searchable policy digest out.\n\n\
        `digest build` reads the seed pages (seeds/*.txt), writes one annotated Markdown file per article to \
        content/<stem>.md, and renders a static site into public/ that works hosted and straight from disk.",
    after_help = "Example, from the repository root:\n  digest build\n  open public/index.html"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import the seed pages into content/ and render the site into public/.
    #[command(
        long_about = "Import the seed pages into content/ and render the site into public/.\n\n\
            Hand edits are kept: a content file that differs from what digest last wrote there is rendered as it \
            is and named in the output; --regenerate overwrites such files. Markdown files that no seed produced \
            are rendered too. Seeds that did not change since the last build are not imported again. New and \
            changed output files are written beside the output folder and moved in only when the whole build \
            succeeded; unchanged pages are kept, files no longer produced are removed.",
        after_help = "Examples:\n  digest build\n  digest build --seeds archive/2025 --out /var/www/digest\n  \
            digest build --regenerate --quiet"
    )]
    Build(BuildArgs),
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Folder of seed pages (*.txt). Example: --seeds archive/2025
    #[arg(long, value_name = "DIR", default_value = "seeds")]
    seeds: PathBuf,
    /// Folder of annotated Markdown articles, generated and hand-edited. Example: --content site/content
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// Output folder, updated only when the build succeeds. Example: --out /var/www/digest
    #[arg(long, value_name = "DIR", default_value = "public")]
    out: PathBuf,
    /// Theme folder with templates/ and static/. Example: --theme themes/print
    #[arg(long, value_name = "DIR", default_value = "themes/default")]
    theme: PathBuf,
    /// Folder of lexicon files (layout.yaml, units.yaml, themes.yaml) replacing the built-in ones; missing files
    /// fall back. Example: --lexicon my-lexicon
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
    /// Re-import every seed and overwrite hand-edited content files with the generated text.
    /// Example: digest build --regenerate
    #[arg(long)]
    regenerate: bool,
    /// Site title in the header and every page title. Example: --title "重庆智库文摘"
    #[arg(long, value_name = "TEXT", default_value = "政策文摘")]
    title: String,
    /// Worker threads (default: one per core). Example: --jobs 1
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Print nothing but errors. Example: digest build --quiet
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the time each stage took. Example: digest build --verbose
    #[arg(long, short = 'v')]
    verbose: bool,
}

/// mimalloc: a build makes and frees millions of small strings on every core, where it is markedly faster than the
/// system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    without_huge_pages();
    let Cli { command: Command::Build(args) } = Cli::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Turns transparent huge pages off for this process. A build touches hundreds of megabytes once and exits; with
/// huge pages each first touch makes the kernel zero 2 MB. On the 2-core VM of the README's figures that was half
/// of a one-page rebuild (0.93 s median with them, 0.55 s without, and 20% less peak memory); cold builds were
/// no slower. Best effort: an older kernel refuses and nothing changes.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process's memory; it takes no pointers.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn run(args: &BuildArgs) -> anyhow::Result<()> {
    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global()?;
    }
    let options = Options {
        seeds: args.seeds.clone(),
        content: args.content.clone(),
        out: args.out.clone(),
        theme: args.theme.clone(),
    };
    let flags = Flags {
        regenerate: args.regenerate,
        lexicon: args.lexicon.clone(),
        progress: !args.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
        settings: Settings { site_title: args.title.clone() },
    };
    let summary = digest::build::build_with(&options, &flags)?;
    if !args.quiet {
        report(&summary, args);
    }
    Ok(())
}

fn report(s: &Summary, args: &BuildArgs) {
    let file = |stem: &String| args.content.join(format!("{stem}.md"));
    for stem in s.kept.iter().take(LISTED) {
        println!("kept hand edit: {} (--regenerate overwrites it)", file(stem).display());
    }
    for stem in s.orphans.iter().take(LISTED) {
        println!("kept hand edit: {} (its seed no longer produces it; delete it if unwanted)", file(stem).display());
    }
    let unlisted = s.kept.len().saturating_sub(LISTED) + s.orphans.len().saturating_sub(LISTED);
    if unlisted > 0 {
        println!("kept {unlisted} more hand edits");
    }
    if args.verbose {
        for stage in &s.stages {
            let cpu = stage.cpu_seconds.map(|cpu| format!(" (CPU {cpu:.2}s)")).unwrap_or_default();
            println!("{:>8}: {:.3}s{cpu}", stage.name, stage.seconds);
        }
    }
    println!("{}", summary_line(s, &args.out));
}

/// `built 22 articles: 16 themes, 30 authors, 80 metrics, …` on one line.
fn summary_line(s: &Summary, out: &Path) -> String {
    format!(
        "built {} articles: {} themes, {} authors, {} metrics ({} conflicts), {} warnings, {} hand edits kept, \
         {} own articles; seeds {} imported, {} unchanged; content {} written, {} removed; {} files in {} ({} pages rendered) in {:.2}s",
        s.articles,
        s.themes,
        s.authors,
        s.metrics,
        s.conflicts,
        s.warnings,
        s.kept.len() + s.orphans.len(),
        s.own,
        s.imported,
        s.cached,
        s.written,
        s.removed,
        s.output_files,
        out.display(),
        s.rendered,
        s.seconds
    )
}
