//! Rendering: the site model through the Tera templates of a theme folder to HTML files. No I/O but loading the
//! theme. TODO(site): index pages per theme, per author, metrics, home.

use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};

use crate::site::{OutputFile, Site};

/// Loads `templates/*.html` of `theme_dir` and renders every page of the site.
pub fn render(site: &Site, theme_dir: &Path) -> Result<Vec<OutputFile>> {
    let glob = theme_dir.join("templates/**/*.html");
    let tera =
        tera::Tera::new(&glob.to_string_lossy()).with_context(|| format!("loading templates {}", glob.display()))?;
    let mut files = Vec::new();
    for page in &site.pages {
        let mut ctx = tera::Context::new();
        ctx.insert("article", &page.article);
        ctx.insert("body", &page.html);
        ctx.insert("root", "../");
        let html = tera.render("article.html", &ctx).with_context(|| format!("rendering {}", page.article.stem))?;
        files.push(OutputFile {
            path: PathBuf::from(format!("articles/{}.html", page.article.stem)),
            bytes: html.into_bytes(),
        });
    }
    let mut ctx = tera::Context::new();
    let articles: Vec<_> =
        site.pages.iter().map(|p| serde_json::json!({"stem": p.article.stem, "title": p.article.title})).collect();
    ctx.insert("articles", &articles);
    ctx.insert("root", "");
    files.push(OutputFile { path: "index.html".into(), bytes: tera.render("index.html", &ctx)?.into_bytes() });
    Ok(files)
}
