//! The `content/` folder: writing generated articles without overwriting hand edits, and reading every article.
//! TODO(site): record what was generated so hand edits are detected and kept.

use anyhow::{Context as _, Result};
use std::path::Path;

use crate::article::Article;

/// Writes each article to `dir/<stem>.md`.
pub fn write_content(dir: &Path, articles: &[Article]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for article in articles {
        let path = dir.join(format!("{}.md", article.stem));
        std::fs::write(&path, article.to_markdown()).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Reads every `*.md` in `dir`; a broken file fails with `path:line: what is wrong`.
pub fn read_content(dir: &Path) -> Result<Vec<Article>> {
    let mut articles = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let stem = path.file_stem().unwrap().to_string_lossy();
            let article = Article::from_markdown(&stem, &text)
                .map_err(|e| anyhow::anyhow!("{}:{}: {}", path.display(), e.line, e.message))?;
            articles.push(article);
        }
    }
    Ok(articles)
}
