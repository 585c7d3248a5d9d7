//! The `digest` command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "digest", version, about = "Chinese newspaper pages in, a searchable policy digest out")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import the seed pages into content/ and render the site into public/.
    Build {
        /// Folder of seed pages (*.txt). Example: --seeds archive/2025
        #[arg(long, default_value = "seeds")]
        seeds: PathBuf,
        /// Folder of annotated Markdown articles. Example: --content site/content
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Output folder, replaced whole on success. Example: --out /var/www/digest
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Theme folder with templates/ and static/. Example: --theme themes/print
        #[arg(long, default_value = "themes/default")]
        theme: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { seeds, content, out, theme } => {
            digest::build::build(&digest::build::Options { seeds, content, out, theme }).map(|summary| {
                println!("built {} articles in {:.2}s", summary.articles, summary.seconds);
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
