//! The site model: every article with its body rendered once, to HTML and to plain text, for pages and search alike.
//! Pure: no I/O.

use crate::article::Article;
use std::path::PathBuf;

/// One file of the output, path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// An article ready to render.
#[derive(Debug, Clone)]
pub struct Page {
    pub article: Article,
    /// The body as HTML.
    pub html: String,
    /// The body as plain text, paragraphs separated by `\n`.
    pub text: String,
}

/// Everything the renderer and the search index need.
#[derive(Debug, Clone)]
pub struct Site {
    /// Sorted by stem.
    pub pages: Vec<Page>,
}

impl Site {
    pub fn new(mut articles: Vec<Article>) -> Site {
        articles.sort_by(|a, b| a.stem.cmp(&b.stem));
        let pages = articles
            .into_iter()
            .map(|article| {
                let (html, text) = markdown_to_html_and_text(&article.body);
                Page { article, html, text }
            })
            .collect();
        Site { pages }
    }
}

/// Renders Markdown to HTML (raw HTML in the source is escaped) and to plain text.
pub fn markdown_to_html_and_text(markdown: &str) -> (String, String) {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let events: Vec<Event> = Parser::new(markdown)
        .map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        })
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    let mut text = String::new();
    for event in &events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => {}
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => text.push('\n'),
            _ => {}
        }
    }
    (html, text)
}
