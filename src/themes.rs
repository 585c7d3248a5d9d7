//! Themes: the catalogue maintainers edit (`src/lexicon/themes.yaml`) and the assignment of themes to an article.
//! Pure: no I/O.

use serde::Deserialize;

/// The theme catalogue: each theme's name and the words that signal it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Catalogue {
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Theme {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The catalogue themes an article is about, in catalogue order. TODO(metrics): weigh title and body mentions.
pub fn assign(title: &str, body: &str, catalogue: &Catalogue) -> Vec<String> {
    catalogue
        .themes
        .iter()
        .filter(|t| {
            std::iter::once(&t.name).chain(&t.aliases).any(|w| title.contains(w.as_str()) || body.contains(w.as_str()))
        })
        .map(|t| t.name.clone())
        .collect()
}
