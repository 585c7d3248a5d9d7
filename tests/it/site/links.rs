//! A link checker: the href/src/action references of a page, decoded and resolved to files.

use std::path::{Component, Path, PathBuf};

/// Every `href`, `src` and `action` attribute value in `html`, with HTML entities decoded.
pub fn references(html: &str) -> Vec<String> {
    let pattern = regex::Regex::new(r#"(?i)\s(?:href|src|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"#).unwrap();
    pattern.captures_iter(html).map(|c| decode_entities(c.get(1).or(c.get(2)).or(c.get(3)).unwrap().as_str())).collect()
}

/// True for references that would load something from the network.
pub fn is_remote(reference: &str) -> bool {
    let r = reference.trim().to_ascii_lowercase();
    r.starts_with("//") || r.contains("://")
}

/// The file a reference on `page` (relative to `out`) points at: `#fragment` and `?query` stripped,
/// percent-decoded, resolved against the page's folder. Errors for references that cannot be a local file.
pub fn resolve(out: &Path, page: &Path, reference: &str) -> Result<PathBuf, String> {
    if is_remote(reference) || reference.starts_with('/') || reference.starts_with("mailto:") {
        return Err("not a relative link".into());
    }
    let path = reference.split(['#', '?']).next().unwrap();
    if path.is_empty() {
        return Ok(out.join(page));
    }
    if path.ends_with('/') {
        return Err("points at a folder, not a file".into());
    }
    let decoded = percent_decode(path)?;
    let mut resolved = page.parent().unwrap_or(Path::new("")).to_path_buf();
    for component in Path::new(&decoded).components() {
        match component {
            Component::ParentDir if !resolved.pop() => return Err("leaves the site".into()),
            Component::ParentDir | Component::CurDir => {}
            Component::Normal(part) => resolved.push(part),
            _ => return Err("not a relative path".into()),
        }
    }
    Ok(out.join(resolved))
}

/// Later pages of a paginated list (`x-2.html` beside `x.html`) are linked from the first page, not from the index.
pub fn is_later_page(path: &Path) -> bool {
    let stem = path.file_stem().unwrap().to_string_lossy();
    stem.rsplit_once('-').is_some_and(|(base, n)| {
        n.parse::<usize>().is_ok_and(|n| n >= 2) && path.with_file_name(format!("{base}.html")).is_file()
    })
}

fn decode_entities(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or("truncated %-escape")?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad %-escape %{hex}"))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "%-escapes are not UTF-8".to_string())
}

#[test]
fn the_link_checker_decodes_and_resolves() {
    let html = r#"<a href="../themes/%E4%BA%BA.html#top">x</a><img src='a.png'><form action="../search.html?q=1">"#;
    assert_eq!(references(html), ["../themes/%E4%BA%BA.html#top", "a.png", "../search.html?q=1"]);
    let out = Path::new("/site");
    assert_eq!(
        resolve(out, Path::new("articles/x.html"), "../themes/%E4%BA%BA.html#top").unwrap(),
        Path::new("/site/themes/人.html")
    );
    assert!(resolve(out, Path::new("index.html"), "../x.html").is_err());
    assert!(resolve(out, Path::new("index.html"), "themes/").is_err());
    assert!(is_remote("https://example.com/a.css") && is_remote("//cdn/x.js"));
}
