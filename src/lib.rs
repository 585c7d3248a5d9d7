//! digest: Chinese newspaper pages in, annotated Markdown and a searchable static site out.
//!
//! The stages, each a module (see README.md for the picture):
//! `seed` reads pages → `import` splits and annotates them into [`article::Article`]s → `content` writes and reads
//! `content/*.md` → `site` gathers the articles → `render` and `search` make the output files → `output` swaps
//! them into place. `build` runs the recipe.

pub mod article;
pub mod build;
pub mod content;
pub mod import;
pub mod lexicon;
pub mod metrics;
pub mod output;
pub mod render;
pub mod search;
pub mod seed;
pub mod site;
pub mod themes;
mod yaml;
