//! From printed lines to paragraphs. Pure: no I/O.
//!
//! In: the page's lines after character repair, blank lines kept. Out: [`Para`]s in stream order, each with its
//! first seed line and its printed lines. Blank lines mean different things on different pages (a paragraph break,
//! a column break, or nothing on pages that double-space every line), so the page's layout is measured first; a line
//! that does not end a sentence continues into the next one. Headings printed inside a paragraph, splitting a word,
//! are lifted out (`培|共建世界级先进制造业集群体系|育孵化`).

use super::text::{ends_sentence, push_line, width};
use super::LayoutLexicon;

/// One paragraph (or heading, byline, caption, …) as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// 1-based seed line of its first line.
    pub line: usize,
    pub lines: Vec<String>,
    /// True when it was printed inside another paragraph, which has been joined around it.
    pub inset: bool,
}

impl Para {
    /// The lines joined as one text.
    pub fn text(&self) -> String {
        let mut text = self.lines[0].clone();
        for line in &self.lines[1..] {
            push_line(&mut text, line);
        }
        text
    }

    /// The widest printed line, in ems.
    pub fn width(&self) -> f32 {
        self.lines.iter().map(|l| width(l)).fold(0.0, f32::max)
    }

    /// Column width of a body paragraph: its widest line when it has three or more, else unknown.
    pub fn column(&self) -> Option<f32> {
        (self.lines.len() >= 3).then(|| self.width())
    }
}

/// How the page uses blank lines and line length.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// One paragraph per line (pages extracted without hard wraps).
    long_lines: bool,
    /// A blank line after nearly every line: blank lines carry no meaning.
    double_spaced: bool,
    /// Typical full line width (80th percentile), in ems.
    width: f32,
    /// Widest of the next three lines after the line being continued: a heading is narrower than the text under it.
    ahead: f32,
    /// The line being placed opens a block of at most three heading-like lines.
    alone: bool,
    /// The line being placed has another line right under it, no blank line between.
    more: bool,
}

/// What the paragraph rules ask of one printed line, worked out once per line (the rules ask most of it several
/// times: of the line itself, then as the line before the next one, then as a paragraph's first line).
#[derive(Debug, Clone, Copy, Default)]
struct Facts {
    width: f32,
    ends_sentence: bool,
    /// [`LayoutLexicon::starts_unit`].
    starts_unit: bool,
    /// [`LayoutLexicon::stands_alone`].
    stands_alone: bool,
    /// [`LayoutLexicon::is_role_label`].
    role_label: bool,
    /// [`bare_byline`].
    bare_byline: bool,
    /// [`closes`].
    closes: bool,
    /// [`heading_line`] at the page's layout (known once the page is measured).
    heading: bool,
}

impl Facts {
    fn of(line: &str, lex: &LayoutLexicon) -> Facts {
        let width = width(line);
        let stands_alone = lex.stands_alone_sized(line, width);
        Facts {
            width,
            ends_sentence: ends_sentence(line),
            starts_unit: stands_alone || lex.opens_unit(line),
            stands_alone,
            role_label: lex.is_role_label(line),
            bare_byline: bare_byline(line, width, lex),
            closes: closes(line, lex),
            heading: false,
        }
    }
}

/// A page's lines (`None` = blank) with the facts of each.
struct Page<'a> {
    lines: Vec<(usize, Option<&'a str>)>,
    facts: Vec<Facts>,
}

/// The paragraph being built: its lines, where each is in the [`Page`], and its widest line.
struct Open {
    para: Para,
    at: Vec<usize>,
    widest: f32,
}

impl Open {
    fn new(number: usize, at: usize, line: &str, facts: &Facts) -> Open {
        Open {
            para: Para { line: number, lines: vec![line.to_string()], inset: false },
            at: vec![at],
            widest: facts.width,
        }
    }

    fn push(&mut self, at: usize, line: &str, facts: &Facts) {
        self.para.lines.push(line.to_string());
        self.at.push(at);
        self.widest = self.widest.max(facts.width);
    }

    /// [`heading_like`], from the facts of its lines.
    fn heading_like(&self, facts: &[Facts]) -> bool {
        let last = self.para.lines.last().expect("a paragraph has a line");
        self.at.len() <= 3
            && self.at.iter().all(|&k| facts[k].heading)
            && (!facts[self.at[self.at.len() - 1]].ends_sentence || last.trim_end().ends_with(['？', '！']))
    }
}

/// For each line, the widest of the next three non-blank lines.
fn widths_ahead(page: &Page) -> Vec<f32> {
    let widths: Vec<f32> =
        page.lines.iter().zip(&page.facts).filter(|((_, l), _)| l.is_some()).map(|(_, f)| f.width).collect();
    let mut seen = 0;
    page.lines
        .iter()
        .map(|(_, l)| {
            seen += usize::from(l.is_some());
            widths[seen.min(widths.len())..].iter().take(3).copied().fold(0.0, f32::max)
        })
        .collect()
}

/// Splits a page's lines (`None` = blank) into paragraphs.
pub fn paragraphs(lines: &[(usize, Option<String>)], lex: &LayoutLexicon) -> Vec<Para> {
    let page = single_spaced(lines, lex);
    let layout = measure(&page);
    let Page { lines, mut facts } = page;
    for ((_, line), f) in lines.iter().zip(facts.iter_mut()) {
        f.heading = line.is_some_and(|l| heading_sized(l, f.width, heading_max(layout)));
    }
    let page = Page { lines, facts };
    let (lines, facts) = (&page.lines, &page.facts);
    let mut paras: Vec<Para> = Vec::new();
    let mut open: Option<Open> = None;
    let mut gap = false;
    let ahead = widths_ahead(&page);
    let mut last_ahead = 0.0;
    // Whether the open paragraph's first line stands alone (asked once per paragraph, not once per line).
    let mut open_alone = false;
    for (i, ((number, line), next_width)) in lines.iter().zip(ahead).enumerate() {
        let Some(line) = *line else {
            gap = true;
            continue;
        };
        let here = Layout { ahead: last_ahead, ..layout };
        // Only a line after a gap can open a block of headings.
        let alone = gap && {
            let block = lines[i..].iter().zip(&facts[i..]).map_while(|((_, l), f)| l.map(|_| f)).take(4);
            let (count, all) = block.fold((0, true), |(n, all), f| (n + 1, all && (f.heading || f.starts_unit)));
            count <= 3 && all
        };
        let more = lines.get(i + 1).is_some_and(|(_, l)| l.is_some());
        let here = Layout { alone, more, ..here };
        match open.as_mut() {
            Some(p) if !open_alone && continues(p, i, line, gap, here, lex, facts) => p.push(i, line, &facts[i]),
            _ => {
                paras.extend(open.take().map(|o| o.para));
                open = Some(Open::new(*number, i, line, &facts[i]));
                open_alone = facts[i].stands_alone && !facts[i].role_label;
            }
        }
        let credit_next = lines
            .get(i + 1)
            .and_then(|(_, l)| *l)
            .is_some_and(|l| lex.caption_credit_words.iter().any(|w| l.starts_with(w.as_str())));
        let alone_line = |p: &Open| open_alone || p.at.len() == 1 && facts[p.at[0]].bare_byline && !credit_next;
        if open.as_ref().is_some_and(alone_line) {
            paras.extend(open.take().map(|o| o.para));
        }
        gap = false;
        last_ahead = next_width;
    }
    paras.extend(open.map(|o| o.para));
    lift_insets(paras, layout, lex)
}

/// Fewest lines a run of single-spaced-by-blank lines needs before its blank lines count as double spacing.
const DOUBLE_SPACED_RUN: usize = 8;

/// Widest column (80th-percentile line width) a double-spaced run may have to be read as single-spaced: no wider than
/// a subhead, so line width cannot tell its headings from its text. Wider columns keep their blank lines, which the
/// double-spaced page rules in [`continues`] read already.
const NARROW_COLUMN: f32 = 22.0;

/// The lines, with their facts, with the blank lines of double-spaced regions dropped, so they read like
/// single-spaced text.
///
/// A region is a run of text lines with exactly one blank line after each; it is double-spaced when it holds at least
/// [`DOUBLE_SPACED_RUN`] lines, most of them hard-wrapped (lines that stop without ending a sentence), in a column no
/// wider than [`NARROW_COLUMN`]. Pages printed one paragraph per line, and the blank lines between them, are left
/// alone. Two or more blank lines in a row stay a break (kept as one).
fn single_spaced<'a>(lines: &'a [(usize, Option<String>)], lex: &LayoutLexicon) -> Page<'a> {
    let lines: Vec<(usize, Option<&str>)> = lines.iter().map(|(n, l)| (*n, l.as_deref())).collect();
    let facts: Vec<Facts> = lines.iter().map(|(_, l)| l.map_or_else(Facts::default, |l| Facts::of(l, lex))).collect();
    let mut out = Page { lines: Vec::with_capacity(lines.len()), facts: Vec::with_capacity(lines.len()) };
    let mut i = 0;
    while i < lines.len() {
        let end = double_spaced_run(&lines, &facts, i);
        let (keep, next) = if end > i { (i..end, end) } else { (i..i + 1, i + 1) };
        let blank_dropped = end > i;
        for k in keep {
            if !blank_dropped || lines[k].1.is_some() {
                out.lines.push(lines[k]);
                out.facts.push(facts[k]);
            }
        }
        i = next;
    }
    out
}

/// The end of the double-spaced region starting at `start` (exclusive, after its last text line), or `start`.
fn double_spaced_run(lines: &[(usize, Option<&str>)], facts: &[Facts], start: usize) -> usize {
    let text = |k: usize| lines.get(k).is_some_and(|(_, l)| l.is_some());
    if !text(start) {
        return start;
    }
    let mut end = start;
    while text(end + 2) && !text(end + 1) {
        end += 2;
    }
    let run: Vec<&Facts> = (start..=end).filter(|&k| text(k)).map(|k| &facts[k]).collect();
    let wrapped = run.iter().filter(|f| !f.ends_sentence && f.width <= 50.0).count();
    let mut widths: Vec<f32> = run.iter().map(|f| f.width).collect();
    widths.sort_by(f32::total_cmp);
    let column = widths[(widths.len() - 1) * 4 / 5];
    if run.len() >= DOUBLE_SPACED_RUN && wrapped * 2 > run.len() && column <= NARROW_COLUMN {
        end + 1
    } else {
        start
    }
}

fn measure(page: &Page) -> Layout {
    let text_facts: Vec<&Facts> =
        page.lines.iter().zip(&page.facts).filter(|((_, l), _)| l.is_some()).map(|(_, f)| f).collect();
    let mut widths: Vec<f32> = text_facts.iter().map(|f| f.width).collect();
    widths.sort_by(f32::total_cmp);
    let pick = |q: f32| widths.get(((widths.len() as f32 - 1.0) * q) as usize).copied().unwrap_or(0.0);
    let followed_by_blank = page.lines.windows(2).filter(|w| w[0].1.is_some() && w[1].1.is_none()).count();
    // Pages extracted without hard wraps end most of their text lines at a sentence end.
    let text_lines: Vec<&&Facts> = text_facts.iter().filter(|f| f.width > 15.0).collect();
    let ended = text_lines.iter().filter(|f| f.ends_sentence).count();
    Layout {
        long_lines: pick(0.5) > 50.0 || !text_lines.is_empty() && ended * 2 >= text_lines.len(),
        double_spaced: followed_by_blank * 10 >= widths.len() * 7,
        width: pick(0.8),
        ahead: 0.0,
        alone: false,
        more: false,
    }
}

/// Whether `line`, line `i` of the page, continues the open paragraph `p`.
fn continues(p: &Open, i: usize, line: &str, gap: bool, layout: Layout, lex: &LayoutLexicon, facts: &[Facts]) -> bool {
    let prev = p.para.lines.last().expect("a paragraph has a line");
    let (first, before, this) = (&facts[p.at[0]], &facts[p.at[p.at.len() - 1]], &facts[i]);
    if first.role_label && !this.starts_unit {
        return continues_roles(&p.para, line, gap, lex);
    }
    let whole_bracket = |l: &str| l.trim().starts_with(['（', '(']) && l.trim().ends_with(['）', ')']);
    if this.starts_unit || this.bare_byline || whole_bracket(prev) {
        return false;
    }
    if before.closes && !before.ends_sentence {
        return false;
    }
    if starts_mid_sentence(line) {
        return true;
    }
    let narrower = !layout.double_spaced || layout.long_lines || before.width < 0.8 * layout.ahead;
    let heading_block = p.heading_like(facts);
    let heading = heading_block && narrower;
    let bullet = lex.databox_bullets.iter().any(|b| p.para.lines[0].starts_with(b.as_str()));
    let inset_candidate = this.heading && layout.alone && (!layout.double_spaced || layout.long_lines);
    if gap && !bullet && (heading || inset_candidate) {
        return false;
    }
    // A title printed right above its text, no blank line between: short heading lines, then wider text lines. The
    // first text line may lack punctuation; it is then as wide as the text under it, which carries on, and every
    // heading line is narrower.
    let narrow_block = p.widest < 0.8 * layout.ahead;
    let text_line = layout.more && narrow_block && this.width >= 0.8 * layout.ahead && !line.starts_with('—');
    let title_above =
        heading_block && !first.starts_unit && if this.heading { text_line } else { before.width < 0.8 * this.width };
    if !gap && title_above {
        return false;
    }
    if before.ends_sentence {
        if layout.long_lines || gap && !layout.double_spaced {
            return false;
        }
        let measure = p.widest.max(this.width);
        return before.width >= measure - 1.0;
    }
    true
}

/// An interview block (`主持人：` / `嘉宾：` and the people under them) takes every following line up to the first
/// gap after a line that ends with a name.
fn continues_roles(p: &Para, line: &str, gap: bool, lex: &LayoutLexicon) -> bool {
    let prev = p.lines.last().expect("a paragraph has a line");
    if width(line) > 30.0 || ends_sentence(line) {
        return false;
    }
    let last_token = prev.split_whitespace().last().unwrap_or("");
    !gap || prev.trim_end().ends_with(['：', ':']) || !lex.is_name(last_token)
}

/// A byline printed without a marker under its title: `本报记者 刘洋 实习生 张倩`.
fn bare_byline(line: &str, width: f32, lex: &LayoutLexicon) -> bool {
    width <= 30.0 && super::authors::byline(line, lex).is_some()
}

/// A line that ends its paragraph: a sentence end, an editor's signature (`——编者`), a photo credit.
fn closes(line: &str, lex: &LayoutLexicon) -> bool {
    ends_sentence(line)
        || lex.editor_note_ends.iter().any(|e| line.trim_end().ends_with(e.as_str()))
        || super::authors::credit_start(line, lex).is_some()
}

/// A line that cannot open a paragraph: it starts with punctuation, or with one character and a comma (`称，…`).
fn starts_mid_sentence(line: &str) -> bool {
    let mut chars = line.trim_start().chars();
    let first = chars.next();
    let second = chars.next();
    first.is_some_and(|c| "，。、；：）」』”,.;:".contains(c)) || second.is_some_and(|c| "，、".contains(c))
}

/// A short line with no sentence punctuation: a title, subtitle or subhead line.
pub(super) fn heading_text(line: &str, max_width: f32) -> bool {
    heading_sized(line, width(line), max_width)
}

/// [`heading_text`] for a line whose [`width`] `w` is known.
fn heading_sized(line: &str, w: f32, max_width: f32) -> bool {
    if line.trim_start().starts_with('—') {
        return (4.0..=40.0).contains(&w) && !line.contains(['。', '；']);
    }
    w >= 2.0 && w <= max_width && !line.contains(['，', '。', '；', ',']) && !line.trim_start().starts_with('（')
}

fn heading_line(line: &str, layout: Layout) -> bool {
    heading_text(line, heading_max(layout))
}

fn heading_max(layout: Layout) -> f32 {
    if layout.double_spaced && !layout.long_lines {
        (layout.width * 0.75).min(40.0)
    } else {
        40.0
    }
}

fn heading_like(lines: &[String], layout: Layout) -> bool {
    let last = lines.last().expect("a paragraph has a line");
    lines.len() <= 3
        && lines.iter().all(|l| heading_line(l, layout))
        && (!ends_sentence(last) || last.trim_end().ends_with(['？', '！']))
}

/// Lifts a heading printed inside a paragraph out of it: paragraph A stops mid-sentence, a short heading H follows,
/// and paragraph C carries on. A and C are joined; H stays, marked `inset`, before the joined paragraph.
fn lift_insets(paras: Vec<Para>, layout: Layout, lex: &LayoutLexicon) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    let mut iter = paras.into_iter().peekable();
    while let Some(para) = iter.next() {
        let joinable = |a: &Para, c: &Para| {
            !closes(a.lines.last().unwrap(), lex) && !lex.starts_unit(&c.lines[0]) && !lex.stands_alone(&a.lines[0])
        };
        // The cheap questions about the paragraph itself first: most paragraphs are not short headings.
        let is_inset = para.lines.len() <= 2
            && heading_like(&para.lines, layout)
            && out.last().zip(iter.peek()).is_some_and(|(a, c)| {
                joinable(a, c)
                    && !heading_like(&a.lines, layout)
                    && para.width() < a.width().min(c.width()) * 0.6
                    && !lex.starts_unit(&para.lines[0])
            });
        if is_inset {
            let c = iter.next().expect("peeked");
            let mut a = out.pop().expect("checked");
            a.lines.extend(c.lines);
            out.push(Para { inset: true, ..para });
            out.push(a);
        } else {
            out.push(para);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Vec<(usize, Option<String>)> {
        text.lines().enumerate().map(|(i, l)| (i + 1, (!l.trim().is_empty()).then(|| l.trim().to_string()))).collect()
    }

    fn spaced(lines: &[(usize, Option<String>)]) -> Vec<(usize, Option<String>)> {
        let page = single_spaced(lines, &LayoutLexicon::built_in());
        page.lines.into_iter().map(|(n, l)| (n, l.map(String::from))).collect()
    }

    fn texts(text: &str) -> Vec<String> {
        paragraphs(&page(text), &LayoutLexicon::built_in()).iter().map(Para::text).collect()
    }

    #[test]
    fn joins_hard_wraps_across_column_breaks() {
        let t = "为大型项目配套海外投资保险，\n跨境双向人民\n\n币资金池等工具。在平台端，设立\n跨境金融服务中心。\n\n新段落开始了，\n到此为止。";
        assert_eq!(
            texts(t),
            [
                "为大型项目配套海外投资保险，跨境双向人民币资金池等工具。在平台端，设立跨境金融服务中心。",
                "新段落开始了，到此为止。"
            ]
        );
    }

    #[test]
    fn breaks_after_a_short_line_that_ends_a_sentence() {
        let t = "出口份额占全国百分之五十以上，潼南也因\n成为中国柠檬最大的出口基地。\n与潼南柠檬出海路径相似的，还有忠\n县忠橙。";
        assert_eq!(texts(t).len(), 2);
    }

    #[test]
    fn keeps_headings_apart_on_double_spaced_pages() {
        let t = "强化基础能力建设 构建产业生态体系\n\n近日，在永川区，一场人工智能驱动的产业变革正\n\n火热进行。红江机械依托技术构建质检系统，通过自\n\n动校核报告，人工质检效率大幅提升。";
        assert_eq!(texts(t), ["强化基础能力建设 构建产业生态体系", "近日，在永川区，一场人工智能驱动的产业变革正火热进行。红江机械依托技术构建质检系统，通过自动校核报告，人工质检效率大幅提升。"]);
    }

    #[test]
    fn reads_a_double_spaced_region_as_single_spaced() {
        let body = "记者从市交通局获悉，今年新开\n通的轨道交通线路全长约三十公\n里，沿线设站十二座，连接主城\n多个居住区和产业园区。\n开通首周，日均客流超过八万人\n次。不少市民表示，通勤时间比\n过去缩短了一半。";
        let double = format!("轨道交通新线开通运营\n{body}").replace('\n', "\n\n");
        assert_eq!(spaced(&page(&double)).len(), 8);
        assert_eq!(
            texts(&double),
            [
                "轨道交通新线开通运营",
                "记者从市交通局获悉，今年新开通的轨道交通线路全长约三十公里，沿线设站十二座，连接主城多个居住区和产业园区。",
                "开通首周，日均客流超过八万人次。不少市民表示，通勤时间比过去缩短了一半。"
            ]
        );
    }

    #[test]
    fn keeps_the_blank_lines_of_a_double_spaced_column_wider_than_a_subhead() {
        let line = "市政协经济委今年提交集体提案建议推进人工智能发展";
        let double = [line; 9].join("\n\n");
        assert_eq!(spaced(&page(&double)), page(&double));
    }

    #[test]
    fn keeps_blank_lines_between_a_few_single_lines() {
        let t = "上一段到此为止。\n\n实现跨境融资 通达多个国家\n\n主标题在这里\n\n第一行正文";
        assert_eq!(spaced(&page(t)), page(t));
    }

    #[test]
    fn ends_a_title_above_a_text_line_without_punctuation() {
        let t = "凝聚共识 助力产业发展驶入快车道\n人工智能是新一轮科技革命和产业变革的重要驱\n动力量。重庆在人工智能领域持续发力，多方协同。";
        assert_eq!(texts(t).len(), 2);
    }

    #[test]
    fn lifts_a_title_printed_inside_a_paragraph() {
        let long = "发展壮大智能装备、生物医药、新能源制造等千亿级特色产业集群，".repeat(3);
        let t = format!("{long}培\n\n共建世界级先进制造业集群体系\n\n育孵化低空经济、氢能等未来产业集群。{long}");
        let paras = paragraphs(&page(&t), &LayoutLexicon::built_in());
        assert_eq!(paras.len(), 2);
        assert!(paras[0].inset);
        assert_eq!(paras[0].text(), "共建世界级先进制造业集群体系");
        assert!(paras[1].text().contains("培育孵化"));
    }

    #[test]
    fn continues_a_line_that_starts_mid_sentence() {
        let t =
            "（上接1版）\n市经济信息委汽车处负责人\n\n称，一旦新能源汽车生产全部使用绿色电能，\n碳排放量最少可减少。";
        assert_eq!(texts(t)[1], "市经济信息委汽车处负责人称，一旦新能源汽车生产全部使用绿色电能，碳排放量最少可减少。");
    }

    #[test]
    fn keeps_an_interview_block_together() {
        let t =
            "主持人：\n本报记者 朱涛\n\n嘉宾：\n某大学教授 李林\n某公司总经理\n\n李力\n\n做实场景应用\n\n问：怎样做？";
        let got = texts(t);
        assert_eq!(got[0], "主持人：本报记者 朱涛");
        assert_eq!(got[1], "嘉宾：某大学教授 李林某公司总经理李力");
        assert_eq!(got[2], "做实场景应用");
    }
}
