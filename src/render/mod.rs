//! Rendering: the site model through a theme's Tera templates to the HTML files of the output, plus the theme's
//! static files.
//!
//! In: a [`Site`] and a [`Theme`] (loaded from disk by [`Theme::load`], the only I/O here). Out: [`OutputFile`]s
//! with paths relative to the output folder. Every link is relative (`{{ root }}` is the way back to the site root)
//! and names a file, so the site works hosted and from `file://`. Pages render in parallel; the output order is the
//! order of the jobs, which is deterministic.

mod metrics;
mod pages;
mod view;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::site::{OutputFile, Page, Site};

/// Shown when a theme has no `search.html`, so the search form in every header still leads to a page.
const SEARCH_FALLBACK: &str = r#"{% extends "base.html" %}{% block title %}检索 · {{ site_title }}{% endblock %}
{% block content %}<h1>检索</h1><div id="search-results"><p>本主题没有检索页面。</p></div>{% endblock %}"#;

/// Site-wide settings every page sees.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Shown in the header and in every `<title>`.
    pub site_title: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { site_title: "政策文摘".into() }
    }
}

/// A theme folder: `templates/*.html` (Tera) and `static/**` (copied to `static/` in the output).
pub struct Theme {
    tera: tera::Tera,
    statics: Vec<OutputFile>,
    /// Hash of every template and static file, so caches of rendered pages know when the theme changed.
    pub fingerprint: String,
}

impl Theme {
    /// Reads and parses a theme folder.
    pub fn load(dir: &Path) -> Result<Theme> {
        let templates = read_tree(&dir.join("templates"))?;
        if templates.is_empty() {
            anyhow::bail!("theme {} has no templates/ folder with *.html files", dir.display());
        }
        let mut tera = tera::Tera::default();
        tera.set_escape_fn(escape_html);
        let named: Vec<(String, String)> = templates
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
            .map(|f| (slash_path(&f.path), String::from_utf8_lossy(&f.bytes).into_owned()))
            .collect();
        tera.add_raw_templates(named)
            .map_err(|e| anyhow::anyhow!("{}", tera_chain(&e)))
            .with_context(|| format!("loading templates of theme {}", dir.display()))?;
        if !tera.get_template_names().any(|n| n == "search.html") {
            tera.add_raw_template("search.html", SEARCH_FALLBACK)?;
        }
        let statics: Vec<OutputFile> = read_tree(&dir.join("static"))?
            .into_iter()
            .map(|f| OutputFile { path: Path::new("static").join(f.path), bytes: f.bytes })
            .collect();
        let mut hasher = blake3::Hasher::new();
        for file in templates.iter().chain(&statics) {
            hasher.update(slash_path(&file.path).as_bytes()).update(&[0]).update(&file.bytes).update(&[0]);
        }
        Ok(Theme { tera, statics, fingerprint: hasher.finalize().to_hex().to_string() })
    }

    /// Renders one job, unless `previous` holds its key: then the page already in the output folder is reused.
    /// The key hashes the theme, the template and the whole context, so it changes whenever the page would.
    fn render(&self, job: Job, previous: &BTreeMap<String, String>) -> Result<Rendered> {
        let mut hasher = self.hasher(job.template);
        hasher.update(&job.digest.0);
        let key = hasher.finalize().to_hex()[..32].to_string();
        if previous.get(&job.path) == Some(&key) {
            return Ok(Rendered { path: job.path, key, bytes: None });
        }
        let (path, template) = (job.path.clone(), job.template);
        self.render_keyed(path, template, &job.context(), key)
    }

    /// An article page is a function of the article, its links and the settings: hashing those is much cheaper
    /// than building and hashing its context, which holds the body as HTML.
    fn render_article(
        &self,
        page: &Page,
        links: &pages::Links,
        settings: &Settings,
        previous: &BTreeMap<String, String>,
    ) -> Result<Rendered> {
        let mut hasher = self.hasher("article.html");
        hasher.update(settings.site_title.as_bytes()).update(&[0]);
        pages::hash_article_inputs(page, links, &mut hasher);
        let key = hasher.finalize().to_hex()[..32].to_string();
        let path = page.path();
        if previous.get(&path) == Some(&key) {
            return Ok(Rendered { path, key, bytes: None });
        }
        page.load()?;
        self.render_keyed(path, "article.html", &pages::article(page, links, settings), key)
    }

    fn hasher(&self, template: &str) -> blake3::Hasher {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.fingerprint.as_bytes()).update(template.as_bytes()).update(&[0]);
        hasher
    }

    fn render_keyed(&self, path: String, template: &str, context: &tera::Context, key: String) -> Result<Rendered> {
        // Into bytes directly: `Tera::render` would check the whole page is UTF-8 again to make a String.
        let mut html = Vec::new();
        self.tera
            .render_to(template, context, &mut html)
            .map_err(|e| anyhow::anyhow!("rendering {path} with {template}: {}", tera_chain(&e)))?;
        Ok(Rendered { path, key, bytes: Some(html) })
    }
}

/// A rendered page, or (`bytes: None`) a page whose key says the copy in the previous output is still right.
struct Rendered {
    path: String,
    key: String,
    bytes: Option<Vec<u8>>,
}

/// One page to render: where it goes, which template, what it sees. The context is only built if the page has to
/// be rendered; until then each value is just hashed (serializing into the hasher is much cheaper than building
/// Tera's values), so an unchanged page costs little.
pub(crate) struct Job<'a> {
    pub path: String,
    pub template: &'static str,
    digest: Inputs,
    fills: Vec<Fill<'a>>,
}

type Fill<'a> = Box<dyn FnOnce(&mut tera::Context) + Send + 'a>;

/// What a page's key is made from, hashed when the page is rendered: a blake3 hasher takes 2 KB, and thousands of
/// jobs wait in a list before they render.
#[derive(Default)]
pub(crate) struct Inputs(Vec<u8>);

impl Inputs {
    pub(crate) fn update(&mut self, bytes: &[u8]) -> &mut Inputs {
        self.0.extend_from_slice(bytes);
        self
    }
}

impl<'a> Job<'a> {
    /// A job whose context holds `root` (derived from the path) and `site_title`.
    pub(crate) fn new(path: String, template: &'static str, settings: &'a Settings) -> Job<'a> {
        let mut job = Job { path, template, digest: Inputs::default(), fills: Vec::new() };
        job.insert("root", root_of(&job.path));
        job.insert("site_title", settings.site_title.as_str());
        job
    }

    /// Adds `value` to the context as `key`.
    pub(crate) fn insert<T: serde::Serialize + Send + 'a>(&mut self, key: &'static str, value: T) {
        // One update with the whole value: serde_json writes token by token, and each small update costs.
        let json = serde_json::to_vec(&value).expect("template data serializes");
        self.digest.update(key.as_bytes()).update(&[0]).update(&json).update(&[0]);
        self.fills.push(Box::new(move |context| context.insert(key, &value)));
    }

    /// Adds to the context as `key` what `make` returns, made only if the page has to be rendered. In the page's key
    /// the value is stood for by what `inputs` feeds the hasher, which must cover everything `make` reads (for lists
    /// of articles, their stems and content hashes: see [`hash_pages`]). Much cheaper than [`Job::insert`] for
    /// long lists.
    pub(crate) fn insert_lazy<T: serde::Serialize>(
        &mut self,
        key: &'static str,
        inputs: impl FnOnce(&mut Inputs),
        make: impl FnOnce() -> T + Send + 'a,
    ) {
        self.digest.update(key.as_bytes()).update(&[1]);
        inputs(&mut self.digest);
        self.digest.update(&[0]);
        self.fills.push(Box::new(move |context| context.insert(key, &make())));
    }

    fn context(self) -> tera::Context {
        let mut context = tera::Context::new();
        for fill in self.fills {
            fill(&mut context);
        }
        context
    }
}

/// Feeds `hasher` what identifies each of `pages`' articles: its stem and its content file's hash.
pub(crate) fn hash_pages(hasher: &mut Inputs, site: &Site, pages: impl IntoIterator<Item = usize>) {
    for page in pages {
        let page = &site.pages[page];
        hasher.update(page.article.stem.as_bytes()).update(&[0]).update(page.hash.as_bytes()).update(&[0]);
    }
}

/// Feeds `hasher` what identifies each metric: its article (see [`hash_pages`]) and its place there.
pub(crate) fn hash_metrics(hasher: &mut Inputs, site: &Site, metrics: &[crate::site::MetricRef]) {
    for r in metrics {
        hash_pages(hasher, site, [r.page]);
        hasher.update(&(r.metric as u64).to_le_bytes());
    }
}

/// Where pages go as they are rendered: the path in the output folder, and the page (`None`: the copy in the
/// previous output is still right). Called from many threads.
pub type Sink<'a> = dyn Fn(&Path, Option<&[u8]>) -> Result<()> + Sync + 'a;

/// What a render did: every page's key, and which pages were reused.
#[derive(Debug, Default)]
pub struct Pages {
    /// Output path → key of what it was rendered from; give it back as `previous` to the next build.
    pub keys: BTreeMap<String, String>,
    pub reused: Vec<PathBuf>,
    pub rendered: usize,
}

/// Renders every page of the site and hands each to `sink` as soon as it is done, then the theme's static files.
/// A page whose key is in `previous` (output path → key) is not rendered but handed over as `None`.
pub fn render(
    site: &Site,
    theme: &Theme,
    settings: &Settings,
    previous: &BTreeMap<String, String>,
    sink: &Sink,
) -> Result<Pages> {
    let links = pages::Links::new(site);
    let deliver = |page: Rendered| -> Result<(String, String, bool)> {
        sink(Path::new(&page.path), page.bytes.as_deref())?;
        Ok((page.path, page.key, page.bytes.is_some()))
    };
    let mut done: Vec<(String, String, bool)> = site
        .pages
        .par_iter()
        .map(|page| deliver(theme.render_article(page, &links, settings, previous)?))
        .collect::<Result<_>>()?;
    let jobs = pages::indexes(site, settings);
    // One job per task: the costly pages (metrics tables) come last, and rayon's default pieces left them to one core.
    done.extend(
        jobs.into_par_iter()
            .with_max_len(1)
            .map(|job| deliver(theme.render(job, previous)?))
            .collect::<Result<Vec<_>>>()?,
    );
    for file in &theme.statics {
        sink(&file.path, Some(&file.bytes))?;
    }
    let mut pages = Pages::default();
    for (path, key, rendered) in done {
        if rendered {
            pages.rendered += 1;
        } else {
            pages.reused.push(PathBuf::from(&path));
        }
        if pages.keys.insert(path.clone(), key).is_some() {
            anyhow::bail!("two pages want the path {path}");
        }
    }
    Ok(pages)
}

/// [`render`] into memory: the files rendered (static files included), sorted by path, and what was reused.
pub fn render_files(
    site: &Site,
    theme: &Theme,
    settings: &Settings,
    previous: &BTreeMap<String, String>,
) -> Result<(Vec<OutputFile>, Pages)> {
    let files = std::sync::Mutex::new(Vec::new());
    let sink = |path: &Path, bytes: Option<&[u8]>| {
        if let Some(bytes) = bytes {
            files.lock().expect("no panics").push(OutputFile { path: path.to_path_buf(), bytes: bytes.to_vec() });
        }
        Ok(())
    };
    let pages = render(site, theme, settings, previous, &sink)?;
    let mut files = files.into_inner().expect("no panics");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, pages))
}

/// The relative way back to the site root from a page: `""` for `index.html`, `"../"` for `themes/x.html`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Every file under `dir` (none if it does not exist), paths relative to `dir`, sorted.
fn read_tree(dir: &Path) -> Result<Vec<OutputFile>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading theme folder {}", dir.display()))?;
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).with_context(|| format!("reading {}", entry.path().display()))?;
            files.push(OutputFile { path: entry.path().strip_prefix(dir)?.to_path_buf(), bytes });
        }
    }
    Ok(files)
}

fn slash_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Escapes what HTML needs escaped, but not `/` (Tera's default), so paths in links stay readable.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    let mut plain = 0;
    // The characters escaped are ASCII, so the text between them is copied in slices, not character by character.
    for (at, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&input[plain..at]);
        out.push_str(entity);
        plain = at + 1;
    }
    out.push_str(&input[plain..]);
    out
}

/// Tera hides the useful part (which variable, which line) in the error's sources.
fn tera_chain(err: &tera::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests;
