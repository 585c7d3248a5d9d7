//! The content contract: one annotated article, and its Markdown form in `content/<stem>.md`.
//!
//! In: an [`Article`] (from the importer) or the text of a content file (from disk, maybe hand-edited).
//! Out: the Markdown text, or the parsed [`Article`]. Pure: no I/O here; the caller names the file so that
//! errors read `path:line: what is wrong`. The keys follow `tests/fixtures/front-matter.md`.

use serde::{Deserialize, Serialize};

use crate::yaml::Map;

/// One article as the importer annotates it and the renderer reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Page name: `content/<stem>.md`, `public/articles/<stem>.html`. Not in the front matter: it is the file name.
    #[serde(skip)]
    pub stem: String,
    pub title: String,
    #[serde(default)]
    pub title_inferred: bool,
    #[serde(default)]
    pub kicker: Option<String>,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub authors: Vec<Author>,
    /// The affiliation an author note gives when the byline itself was lost (`authors` is then empty).
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub captions: Vec<String>,
    #[serde(default)]
    pub warnings: Vec<String>,
    /// The cleaned body as Markdown: paragraphs, `##` subheads, `**Speaker：**` turns. Not in the front matter.
    #[serde(skip)]
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Commentary,
    Interview,
    News,
    Brief,
    Sidebar,
    Continuation,
    Report,
}

impl Kind {
    /// The name the front matter uses (serde's).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Commentary => "commentary",
            Kind::Interview => "interview",
            Kind::News => "news",
            Kind::Brief => "brief",
            Kind::Sidebar => "sidebar",
            Kind::Continuation => "continuation",
            Kind::Report => "report",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    #[serde(default)]
    pub role: Role,
    #[serde(default)]
    pub affiliation: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Author,
    Host,
    Guest,
    Reporter,
    Correspondent,
    Editor,
}

/// One quantitative statement, normalized (16.3亿元 → value 1630000000, unit 元).
impl Role {
    /// The name the front matter uses (serde's).
    pub fn name(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Host => "host",
            Role::Guest => "guest",
            Role::Reporter => "reporter",
            Role::Correspondent => "correspondent",
            Role::Editor => "editor",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// As printed, after whitespace repair.
    pub text: String,
    /// Number × scale; written as an integer when it is one.
    #[serde(serialize_with = "serialize_number")]
    pub value: f64,
    /// Unit without the scale (元, %, 个百分点, 班次, …).
    pub unit: String,
    #[serde(default)]
    pub qualifier: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    /// What is measured, in words.
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub context: Context,
    #[serde(default)]
    pub sentence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    #[default]
    Body,
    Headline,
    Databox,
    Caption,
    Sidebar,
}

impl Context {
    /// The name the front matter uses (serde's).
    pub fn name(self) -> &'static str {
        match self {
            Context::Body => "body",
            Context::Headline => "headline",
            Context::Databox => "databox",
            Context::Caption => "caption",
            Context::Sidebar => "sidebar",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File name of the seed page.
    pub seed: String,
    /// First line of the article in the seed, 1-based.
    pub line: usize,
}

/// A content file that could not be read as an article. `line` is 1-based in the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl Article {
    /// The Markdown text of `content/<stem>.md`: YAML front matter between `---` lines, a blank line, the body.
    pub fn to_markdown(&self) -> String {
        let mut out = String::with_capacity(2048 + self.body.len());
        out.push_str("---\n");
        self.write_front_matter(&mut Map::new(&mut out));
        out.push_str("---\n\n");
        out.push_str(self.body.trim());
        out.push('\n');
        out
    }

    /// The front matter: what serde_yaml would write for this struct (its tests check), field by field in order.
    fn write_front_matter(&self, map: &mut Map) {
        map.str("title", &self.title);
        map.plain("title_inferred", self.title_inferred);
        map.opt_str("kicker", self.kicker.as_deref());
        map.opt_str("subtitle", self.subtitle.as_deref());
        map.opt_str("section", self.section.as_deref());
        map.plain("kind", self.kind.name());
        map.opt_str("date", self.date.as_deref());
        map.maps("authors", &self.authors, |m, a| {
            m.str("name", &a.name);
            m.plain("role", a.role.name());
            m.opt_str("affiliation", a.affiliation.as_deref());
        });
        map.opt_str("affiliation", self.affiliation.as_deref());
        map.strs("themes", &self.themes);
        map.maps("metrics", &self.metrics, |m, x| {
            m.str("text", &x.text);
            match whole_number(x.value) {
                Some(n) => m.plain("value", n),
                None => m.float("value", x.value),
            }
            m.str("unit", &x.unit);
            m.opt_str("qualifier", x.qualifier.as_deref());
            match x.year {
                Some(year) => m.plain("year", year),
                None => m.plain("year", "null"),
            }
            m.str("measure", &x.measure);
            m.plain("context", x.context.name());
            m.str("sentence", &x.sentence);
        });
        map.opt_map("source", self.source.as_ref(), |m, source| {
            m.str("seed", &source.seed);
            m.plain("line", source.line);
        });
        map.strs("captions", &self.captions);
        map.strs("warnings", &self.warnings);
    }

    /// Parses the text of a content file. Line numbers in errors count from the file's first line.
    pub fn from_markdown(stem: &str, text: &str) -> Result<Article, ParseError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (yaml, body) = split_front_matter(text)?;
        let mut article: Article = serde_yaml::from_str(yaml).map_err(|err| ParseError {
            // +1: the opening `---` line comes before the YAML.
            line: err.location().map_or(2, |loc| loc.line() + 1),
            message: yaml_message(&err),
        })?;
        if article.title.trim().is_empty() {
            let line = yaml.lines().position(|l| l.starts_with("title:")).map_or(2, |i| i + 2);
            return Err(ParseError { line, message: "title is empty".into() });
        }
        article.stem = stem.to_string();
        article.body = body.trim().to_string();
        Ok(article)
    }
}

/// Writes 1630000000 rather than 1630000000.0, so the front matter reads like the page.
fn serialize_number<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    match whole_number(*value) {
        Some(n) => serializer.serialize_i64(n),
        None => serializer.serialize_f64(*value),
    }
}

/// `value` as an integer, if it is one that an f64 holds exactly.
fn whole_number(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

/// Splits `---\n<yaml>---\n<body>` into its two parts.
fn split_front_matter(text: &str) -> Result<(&str, &str), ParseError> {
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")).ok_or_else(|| ParseError {
        line: 1,
        message: "expected front matter: the file must start with `---`".into(),
    })?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(ParseError { line: 1, message: "front matter is not closed: no `---` line after the opening one".into() })
}

/// serde_yaml's message without its own " at line N column M" suffix: the caller prints the file's line.
fn yaml_message(err: &serde_yaml::Error) -> String {
    let message = err.to_string();
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Article {
        Article {
            stem: "000-01".into(),
            title: "集成打造国际化综合服务体系".into(),
            title_inferred: false,
            kicker: None,
            subtitle: None,
            section: Some("决策建议".into()),
            kind: Kind::Commentary,
            date: None,
            authors: vec![Author {
                name: "余元玲".into(),
                role: Role::Author,
                affiliation: Some("重庆交通大学".into()),
            }],
            affiliation: None,
            themes: vec!["西部陆海新通道".into()],
            metrics: vec![Metric {
                text: "16.3亿元".into(),
                value: 1_630_000_000.0,
                unit: "元".into(),
                qualifier: None,
                year: Some(2024),
                measure: "重庆农产品出口额".into(),
                context: Context::Body,
                sentence: "出口达到16.3亿元。".into(),
            }],
            source: Some(Source { seed: "000.txt".into(), line: 9 }),
            captions: vec![],
            warnings: vec![],
            body: "第一段。\n\n## 小标题\n\n第二段。".into(),
        }
    }

    #[test]
    fn round_trips_through_markdown() {
        let article = sample();
        let text = article.to_markdown();
        assert!(text.starts_with("---\ntitle: 集成打造国际化综合服务体系\n"));
        assert_eq!(Article::from_markdown("000-01", &text).unwrap(), article);
    }

    /// The front matter is written by hand ([`crate::yaml`]); serde_yaml's output for the same struct is the
    /// reference, so that a field added to the struct but not to the writer fails here.
    #[test]
    fn writes_the_front_matter_serde_yaml_writes() {
        let mut full = sample();
        full.title_inferred = true;
        full.kicker = Some("【智库圆桌】".into());
        full.subtitle = Some("——访 'A: B' #1".into());
        full.date = Some("2025-03-01".into());
        full.affiliation = Some("".into());
        full.captions = vec!["2024".into(), "图为现场。记者 王芳 摄".into()];
        full.warnings = vec!["title lost on the page: inferred".into()];
        full.metrics[0].qualifier = Some("近".into());
        let kinds = [
            Kind::Commentary,
            Kind::Interview,
            Kind::News,
            Kind::Brief,
            Kind::Sidebar,
            Kind::Continuation,
            Kind::Report,
        ];
        let roles = [Role::Author, Role::Host, Role::Guest, Role::Reporter, Role::Correspondent, Role::Editor];
        let contexts = [Context::Body, Context::Headline, Context::Databox, Context::Caption, Context::Sidebar];
        for (i, kind) in kinds.into_iter().enumerate() {
            let mut a = full.clone();
            a.kind = kind;
            a.authors[0].role = roles[i % roles.len()];
            a.metrics[0].context = contexts[i % contexts.len()];
            a.metrics.push(Metric { value: [0.5, 2.25e-7, 1e20, -3.0][i % 4], year: None, ..a.metrics[0].clone() });
            a.source = (i % 2 == 0).then(|| Source { seed: "001_x.txt".into(), line: i });
            let text = a.to_markdown();
            let front = text.strip_prefix("---\n").and_then(|t| t.split("---\n").next()).unwrap();
            assert_eq!(front, serde_yaml::to_string(&a).unwrap(), "{kind:?}");
        }
    }

    #[test]
    fn writes_large_values_as_plain_numbers() {
        let text = sample().to_markdown();
        assert!(text.contains("value: 1630000000\n"), "{text}");
    }

    #[test]
    fn reports_yaml_errors_at_file_lines() {
        let text = "---\ntitle: 标题\nauthors: [\n---\n正文\n";
        let err = Article::from_markdown("x", text).unwrap_err();
        assert_eq!(err.line, 4, "{err:?}");
    }

    #[test]
    fn rejects_missing_front_matter() {
        let err = Article::from_markdown("x", "正文\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("must start with `---`"));
    }

    #[test]
    fn rejects_unknown_kind() {
        let text = "---\ntitle: 标题\nkind: essay\n---\n正文\n";
        let err = Article::from_markdown("x", text).unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
        assert!(err.message.contains("unknown variant"), "{}", err.message);
    }
}
