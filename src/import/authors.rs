//! Reading people off the page: bylines, interview role blocks, author notes, photo credits. Pure: no I/O.
//!
//! In: the text of one byline-like paragraph. Out: [`Author`]s in byline order with roles and affiliations, or the
//! affiliations an author note gives (one per author when it says 分别, "respectively").

use super::text::{compact, is_han};
use super::LayoutLexicon;
use crate::article::{Author, Role};

/// Reads a byline: `新重庆-重庆日报首席记者 杨骏`, `詹宏伟 张鑫`, `本报记者 张三 通讯员 李四`, `记者张三`.
/// The text before a name (role word included) is its affiliation. None when a token is neither a name nor a role.
pub fn byline(text: &str, lex: &LayoutLexicon) -> Option<Vec<Author>> {
    let mut authors = Vec::new();
    let mut current: Option<(Role, String)> = None;
    for token in text.split_whitespace() {
        if !authors.is_empty() && lex.byline_trailers.iter().any(|t| token.starts_with(t.as_str())) {
            continue;
        }
        if lex.is_name(token) {
            let (role, affiliation) = current.clone().unwrap_or((Role::Author, String::new()));
            authors.push(Author { name: token.to_string(), role, affiliation: non_empty(affiliation) });
        } else if let Some((role, prefix, name)) = role_prefix(token, lex) {
            current = Some((role, prefix.clone()));
            if let Some(name) = name {
                authors.push(Author { name, role, affiliation: non_empty(prefix) });
            }
        } else {
            return None;
        }
    }
    (!authors.is_empty()).then_some(authors)
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// A token that names a role (`新重庆-重庆日报首席记者`, `记者张三`): the role, the affiliation text up to the end of
/// the role word, and a name glued after it.
fn role_prefix(token: &str, lex: &LayoutLexicon) -> Option<(Role, String, Option<String>)> {
    if !lex.scanners().role_words.occurs_in(token) {
        return None;
    }
    let mut best: Option<(usize, usize, Role)> = None;
    for (role, words) in role_lists(lex) {
        for word in words {
            if let Some(at) = token.rfind(word.as_str()) {
                let end = at + word.len();
                // The role word that ends last wins; on a tie the longer one (首席记者 over 记者).
                if best.is_none_or(|(a, e, _)| end > e || end == e && at < a) {
                    best = Some((at, end, role));
                }
            }
        }
    }
    let (_, end, role) = best?;
    let rest = &token[end..];
    let name = match rest {
        "" => None,
        r if lex.is_name(r) => Some(r.to_string()),
        _ => return None,
    };
    Some((role, token[..end].to_string(), name))
}

fn role_lists(lex: &LayoutLexicon) -> [(Role, &Vec<String>); 5] {
    let w = &lex.role_words;
    [
        (Role::Reporter, &w.reporter),
        (Role::Correspondent, &w.correspondent),
        (Role::Editor, &w.editor),
        (Role::Host, &w.host),
        (Role::Guest, &w.guest),
    ]
}

/// Reads an interview block: `主持人：` / `新重庆-重庆日报记者 朱涛` / `专访嘉宾：` / `重庆邮电大学党委书记、教授 李林` /
/// `重庆云威科技有限公司总经理、博士` / `李力`. Hosts first, then guests, each in printed order.
pub fn roles(lines: &[String], lex: &LayoutLexicon) -> Vec<Author> {
    let mut people: Vec<Author> = Vec::new();
    let mut role = Role::Guest;
    let mut pending = String::new();
    for line in lines {
        let mut line = line.trim();
        if let Some((label_role, rest)) = role_label(line, lex) {
            role = label_role;
            pending.clear();
            line = rest;
        }
        for entry in line.split(['；', ';']).map(str::trim).filter(|e| !e.is_empty()) {
            match person(entry, lex) {
                Some((name, affiliation)) => {
                    let affiliation = affiliation.unwrap_or_else(|| std::mem::take(&mut pending));
                    people.push(Author { name, role, affiliation: non_empty(affiliation) });
                    pending.clear();
                }
                None => pending.push_str(entry),
            }
        }
    }
    people.sort_by_key(|a| a.role != Role::Host);
    people
}

/// One person of an interview block: `重庆邮电大学教授 李林`, `李林 重庆邮电大学教授`, `朱涛（本报记者）`, `李力`.
/// The affiliation is None when the entry names nobody's affiliation (it may be on the line before).
fn person(entry: &str, lex: &LayoutLexicon) -> Option<(String, Option<String>)> {
    if let Some((name, rest)) = entry.split_once(['（', '(']) {
        let affiliation = rest.trim_end_matches(['）', ')']).trim();
        if lex.is_name(name.trim()) && !affiliation.is_empty() {
            return Some((name.trim().to_string(), Some(affiliation.to_string())));
        }
    }
    let tokens: Vec<&str> = entry.split_whitespace().collect();
    let (first, last) = (tokens.first()?, tokens.last()?);
    let rest = |range: std::ops::Range<usize>| tokens[range].join(" ");
    if lex.is_name(last) {
        let affiliation = rest(0..tokens.len() - 1);
        Some((last.to_string(), (!affiliation.is_empty()).then_some(affiliation)))
    } else if lex.is_name(first) {
        Some((first.to_string(), Some(rest(1..tokens.len()))))
    } else {
        None
    }
}

fn role_label<'a>(line: &'a str, lex: &LayoutLexicon) -> Option<(Role, &'a str)> {
    let labels =
        lex.host_labels.iter().map(|l| (Role::Host, l)).chain(lex.guest_labels.iter().map(|l| (Role::Guest, l)));
    for (role, label) in labels {
        if let Some(rest) = line.strip_prefix(label.as_str()) {
            if let Some(rest) = rest.strip_prefix(['：', ':']) {
                return Some((role, rest.trim()));
            }
        }
    }
    None
}

/// An author note, `（作者系…）` or `（作者单位：…，本文为…成果）`: the affiliation text and whether it is given
/// "respectively" (one per author). None when the text is not an author note.
pub fn note(text: &str, lex: &LayoutLexicon) -> Option<(String, bool)> {
    let inner = text.trim().strip_prefix(['（', '('])?.strip_suffix(['）', ')'])?;
    let inner = compact(inner);
    let prefix = lex.author_note_prefixes.iter().filter(|p| inner.starts_with(p.as_str())).max_by_key(|p| p.len())?;
    let mut body = &inner[prefix.len()..];
    for stop in &lex.author_note_stops {
        if let Some(at) = body.find(stop.as_str()) {
            body = &body[..at];
        }
    }
    let respectively = lex.respectively_words.iter().any(|w| prefix.contains(w.as_str()));
    Some((body.trim_end_matches(['。', '，']).to_string(), respectively))
}

/// Splits a "respectively" affiliation list into `count` parts, one per author. A part that is only a job title
/// (`教授`) belongs to the part before it. None when the parts and the authors do not pair up.
pub fn respectively(affiliations: &str, count: usize, lex: &LayoutLexicon) -> Option<Vec<String>> {
    let mut parts: Vec<String> = Vec::new();
    for piece in affiliations.split(['、', '；', ';']) {
        match parts.last_mut() {
            Some(last) if lex.job_titles.iter().any(|t| t == piece) => {
                last.push('、');
                last.push_str(piece);
            }
            _ => parts.push(piece.to_string()),
        }
    }
    (parts.len() == count).then_some(parts)
}

/// A photo credit at the end of a caption: `记者 柯俊彬 摄`, `首席记者 龙帆 摄/视觉重庆`, `记者 张锦辉 摄影 视觉重庆`.
/// Returns the byte offset where the credit starts.
pub fn credit_start(text: &str, lex: &LayoutLexicon) -> Option<usize> {
    let text = text.trim_end();
    if !lex.scanners().caption_credit_words.occurs_in(text) {
        return None;
    }
    for word in &lex.caption_credit_words {
        let Some(at) = text.rfind(word.as_str()) else { continue };
        let after = text[at + word.len()..].trim_start_matches([' ', '/', '／']).trim();
        if compact(after).chars().count() > 8 || after.contains(['，', '。', '、']) {
            continue;
        }
        if let Some(start) = name_before(&text[..at], lex) {
            return Some(start);
        }
    }
    None
}

/// Where the name (and the role words before it) that ends `before` starts.
fn name_before(before: &str, lex: &LayoutLexicon) -> Option<usize> {
    let trimmed = before.trim_end();
    let token_start = trimmed.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let token = &trimmed[token_start..];
    let name_start = if lex.is_name(token) {
        token_start
    } else {
        // A name glued to the text before it: try the last two to four characters.
        let chars: Vec<(usize, char)> = token.char_indices().collect();
        (2..=4.min(chars.len()))
            .rev()
            .map(|n| chars[chars.len() - n].0)
            .find(|&i| lex.is_name(&token[i..]) && role_prefix(&token[..i], lex).is_some())
            .map(|i| token_start + i)?
    };
    let head = trimmed[..name_start].trim_end();
    let role_start = head.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    match role_prefix(&head[role_start..], lex) {
        // A role word glued to the caption text before it (`…展厅一角。记者`) starts the credit itself.
        Some((_, prefix, None)) => {
            let role_token = &head[role_start..];
            let cut = role_token[..prefix.len()]
                .rfind(['。', '！', '？', '）'])
                .map_or(0, |i| i + role_token[i..].chars().next().map_or(0, char::len_utf8));
            Some(role_start + cut)
        }
        _ if head.is_empty() || head.ends_with(|c: char| !is_han(c)) => Some(name_start),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> LayoutLexicon {
        LayoutLexicon::built_in()
    }

    #[test]
    fn reads_reporter_bylines_with_affiliation() {
        let authors = byline("新重庆-重庆日报首席记者 杨骏", &lex()).unwrap();
        assert_eq!(authors.len(), 1);
        assert_eq!(authors[0].name, "杨骏");
        assert_eq!(authors[0].role, Role::Reporter);
        assert_eq!(authors[0].affiliation.as_deref(), Some("新重庆-重庆日报首席记者"));
    }

    #[test]
    fn reads_several_names_and_roles() {
        let authors = byline("本报记者 张三 李四 通讯员 王五", &lex()).unwrap();
        let got: Vec<_> = authors.iter().map(|a| (a.name.as_str(), a.role)).collect();
        assert_eq!(got, [("张三", Role::Reporter), ("李四", Role::Reporter), ("王五", Role::Correspondent)]);
        assert_eq!(byline("詹宏伟 张鑫", &lex()).unwrap().len(), 2);
        assert_eq!(byline("本报记者 张三 发自北京", &lex()).unwrap().len(), 1);
        assert!(byline("谈差距", &lex()).is_none());
    }

    #[test]
    fn reads_interview_hosts_and_guests() {
        let lines: Vec<String> = [
            "主持人：",
            "新重庆-重庆日报记者 朱涛",
            "专访嘉宾：",
            "重庆邮电大学党委书记、教授 李林",
            "重庆云威科技有限公司总经理、博士",
            "李力",
        ]
        .map(String::from)
        .to_vec();
        let people = roles(&lines, &lex());
        let got: Vec<_> = people.iter().map(|a| (a.name.as_str(), a.role, a.affiliation.clone().unwrap())).collect();
        assert_eq!(got[0], ("朱涛", Role::Host, "新重庆-重庆日报记者".to_string()));
        assert_eq!(got[1], ("李林", Role::Guest, "重庆邮电大学党委书记、教授".to_string()));
        assert_eq!(got[2], ("李力", Role::Guest, "重庆云威科技有限公司总经理、博士".to_string()));
    }

    #[test]
    fn reads_interview_people_in_other_orders() {
        let lines: Vec<String> =
            ["主持人：朱涛（本报记者）", "嘉宾：李林 重庆邮电大学教授；李力 重庆云威科技有限公司总经理"]
                .map(String::from)
                .to_vec();
        let got: Vec<_> = roles(&lines, &lex()).into_iter().map(|a| (a.name, a.role, a.affiliation.unwrap())).collect();
        assert_eq!(got[0], ("朱涛".to_string(), Role::Host, "本报记者".to_string()));
        assert_eq!(got[1], ("李林".to_string(), Role::Guest, "重庆邮电大学教授".to_string()));
        assert_eq!(got[2], ("李力".to_string(), Role::Guest, "重庆云威科技有限公司总经理".to_string()));
    }

    #[test]
    fn reads_author_notes() {
        let (aff, resp) = note("（作者单位：重庆工商大学马克思\n主义学院，本文为重庆市教委项目成果）", &lex()).unwrap();
        assert_eq!((aff.as_str(), resp), ("重庆工商大学马克思主义学院", false));
        let (aff, resp) = note("(作者分别系西部金融研究院院长、成渝经济促进会秘书长，本文为项目成果)", &lex()).unwrap();
        assert!(resp);
        assert_eq!(respectively(&aff, 2, &lex()).unwrap(), ["西部金融研究院院长", "成渝经济促进会秘书长"]);
        assert!(note("（资料图）", &lex()).is_none());
    }

    #[test]
    fn keeps_job_titles_with_their_institution() {
        let parts = respectively("西南大学经济管理学院副院长、教授、重庆大学研究员", 2, &lex()).unwrap();
        assert_eq!(parts, ["西南大学经济管理学院副院长、教授", "重庆大学研究员"]);
    }

    #[test]
    fn finds_photo_credits() {
        let text = "嘉陵江实验室开展研究。 记者 柯俊彬 摄";
        assert_eq!(&text[credit_start(text, &lex()).unwrap()..], "记者 柯俊彬 摄");
        let text = "西部科学城展厅一角。记者 高吕艳杏 摄";
        assert_eq!(&text[credit_start(text, &lex()).unwrap()..], "记者 高吕艳杏 摄");
        let text = "记者 崔力摄/视觉重庆";
        assert_eq!(credit_start(text, &lex()), Some(0));
        let text = "机器人有序作业。 记者 张锦辉 摄影 视觉重庆";
        assert!(text[credit_start(text, &lex()).unwrap()..].starts_with("记者 张锦辉"));
        assert_eq!(credit_start("他拿起相机拍摄", &lex()), None);
    }
}
