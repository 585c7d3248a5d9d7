//! Reading seed pages: the plain-text pages extracted from newspaper PDFs.
//!
//! In: a folder of `*.txt` files, each maybe with a sidecar `<name>.yaml` beside it. Out: [`SeedFile`]s (listed with
//! what their sidecar or name tells, not read) and [`SeedPage`]s with decoded text, sorted by file name. Issue dates
//! are read here, from a sidecar, a file name or (for the importer) a page header line. I/O at the edge only:
//! [`decode`], [`PageInfo::from_sidecar`], [`date_in_name`] and [`date_in_header`] are pure.

use anyhow::{Context as _, Result};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::article::Article;
use crate::content::Stamp;

/// One newspaper page as text.
#[derive(Debug, Clone)]
pub struct SeedPage {
    /// File name, e.g. `000_352fccf6a5b3c55c.txt`.
    pub name: String,
    /// The decoded text, `\n` line ends, no BOM.
    pub text: String,
}

/// A seed file in the seed folder, not read yet.
#[derive(Debug, Clone)]
pub struct SeedFile {
    pub name: String,
    pub path: PathBuf,
    /// Size and modification time: a file whose stamp is unchanged since the previous build is not read again.
    pub stamp: Option<Stamp>,
    /// What the sidecar or the file name tells about the page (sidecars are read at every build: they are small).
    pub info: PageInfo,
}

/// What is known of a page besides its text. Every article of the page gets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// The issue date, `YYYY-MM-DD`: from the sidecar's `date`, or else from the file name.
    pub date: Option<String>,
}

/// A sidecar file: `<seed name without .txt>.yaml` beside the seed, e.g. `date: 2025-06-12`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    date: Option<String>,
}

impl PageInfo {
    /// The info of seed `name` from its sidecar's text (if there is one), else from the name. Errors give the line.
    pub fn from_sidecar(name: &str, sidecar: Option<&str>) -> Result<PageInfo, String> {
        let fields: Sidecar = match sidecar {
            Some(text) => serde_yaml::from_str::<Option<Sidecar>>(text).map_err(|e| e.to_string())?.unwrap_or_default(),
            None => Sidecar::default(),
        };
        let date = match fields.date {
            Some(date) => Some(iso_date(&date).ok_or_else(|| {
                let line = sidecar.and_then(|t| t.lines().position(|l| l.starts_with("date:"))).map_or(1, |i| i + 1);
                format!("line {line}: date `{date}` is not a date written YYYY-MM-DD")
            })?),
            None => date_in_name(name),
        };
        Ok(PageInfo { date })
    }

    /// The hash that stands for the page in the content manifest: its text's hash, with this info folded in when
    /// there is any (so a changed sidecar imports the page again, and pages without info keep their hashes).
    pub fn page_hash(&self, text_hash: &str) -> String {
        match &self.date {
            None => text_hash.to_string(),
            Some(date) => crate::content::hash(format!("{text_hash} date={date}").as_bytes()),
        }
    }

    /// Gives every article of the page what is known of the page: a date here wins over one the importer read in
    /// the page's header.
    pub fn apply(&self, articles: &mut [Article]) {
        for article in articles.iter_mut().filter(|_| self.date.is_some()) {
            article.date.clone_from(&self.date);
        }
    }
}

/// A date in a seed's file name: eight digits (`cqrb_20250612_03.txt`) or year, month and day joined by `-`, `_` or
/// `.` (`2025-06-12-p3.txt`, `重庆日报2025.6.12.txt`), not run together with other letters or digits (so a hash in
/// the name is not read as one), and a real calendar day. As `YYYY-MM-DD`; the first such date if there are several.
pub fn date_in_name(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    let bytes = stem.as_bytes();
    let glued = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let digits_from = |i: usize| bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = 0;
    while i < bytes.len() {
        let run = digits_from(i);
        if run == 0 {
            i += 1;
            continue;
        }
        let before = i.checked_sub(1).is_some_and(glued);
        let found = if before {
            None
        } else if run == 8 && !glued(i + 8) {
            calendar_day(&stem[i..i + 4], &stem[i + 4..i + 6], &stem[i + 6..i + 8]).map(|day| day.iso())
        } else if run == 4 {
            joined_date(stem, i)
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
        i += run;
    }
    None
}

/// `YYYY?M?D` at byte `at` of `stem`, `?` the same one of `-`, `_`, `.`, month and day one or two digits.
fn joined_date(stem: &str, at: usize) -> Option<String> {
    let bytes = stem.as_bytes();
    let sep = *bytes.get(at + 4).filter(|b| matches!(b, b'-' | b'_' | b'.'))?;
    let month_at = at + 5;
    let month_len = bytes[month_at..].iter().take_while(|b| b.is_ascii_digit()).count();
    let day_at = month_at + month_len + 1;
    if !(1..=2).contains(&month_len) || bytes.get(day_at - 1) != Some(&sep) {
        return None;
    }
    let day_len = bytes[day_at..].iter().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=2).contains(&day_len) || bytes.get(day_at + day_len).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let day = calendar_day(&stem[at..at + 4], &stem[month_at..month_at + month_len], &stem[day_at..day_at + day_len]);
    day.map(|day| day.iso())
}

/// The issue date a page header prints, `2025年6月12日 星期四`: a full date followed on the line by the weekday
/// (星期/周/礼拜 and 一…日/天) that is that date's, as `YYYY-MM-DD`. The weekday is what tells a header from a
/// sentence about some day, and checking it keeps a misread date out.
pub fn date_in_header(line: &str) -> Option<String> {
    let (year, rest) = line.split_once('年')?;
    let year = year.get(year.len().checked_sub(4)?..)?;
    let (month, rest) = rest.split_once('月')?;
    let (day, rest) = rest.split_once('日')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !year.bytes().all(|b| b.is_ascii_digit()) || !digits(month.trim()) || !digits(day.trim()) {
        return None;
    }
    let date = calendar_day(year, month.trim(), day.trim())?;
    let printed =
        ["星期", "礼拜", "周"].iter().find_map(|w| rest.split_once(w)).and_then(|(_, after)| after.chars().next());
    let weekday = "一二三四五六".chars().position(|c| Some(c) == printed).map(|i| i as u32 + 1);
    let weekday = weekday.or_else(|| printed.filter(|c| matches!(c, '日' | '天')).map(|_| 0))?;
    (date.weekday() == weekday).then(|| date.iso())
}

/// A date written `YYYY-MM-DD` (month and day may have one digit), as `YYYY-MM-DD`, if it is a real day.
fn iso_date(text: &str) -> Option<String> {
    let mut parts = text.trim().split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let widths = year.len() == 4 && (1..=2).contains(&month.len()) && (1..=2).contains(&day.len());
    if parts.next().is_some() || !widths || ![year, month, day].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    calendar_day(year, month, day).map(|day| day.iso())
}

/// Year (1800–2199), month and day, if they make a day of the Gregorian calendar.
fn calendar_day(year: &str, month: &str, day: &str) -> Option<Day> {
    let (y, m, d): (u32, u32, u32) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1800..=2199).contains(&y) && (1..=days).contains(&d)).then_some(Day { y, m, d })
}

/// A day of the calendar ([`calendar_day`] checked it).
struct Day {
    y: u32,
    m: u32,
    d: u32,
}

impl Day {
    /// `YYYY-MM-DD`.
    fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    /// 0 for Sunday to 6 for Saturday (Sakamoto's method).
    fn weekday(&self) -> u32 {
        const OFFSETS: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let y = if self.m < 3 { self.y - 1 } else { self.y };
        (y + y / 4 - y / 100 + y / 400 + OFFSETS[self.m as usize - 1] + self.d) % 7
    }
}

/// Every `*.txt` file in `dir`, sorted by name, with what its sidecar or name tells. A sidecar that cannot be read
/// is an error naming it.
pub fn list_seeds(dir: &Path) -> Result<Vec<SeedFile>> {
    let mut files = Vec::new();
    let mut sidecars = BTreeSet::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading seed folder {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading seed folder {}", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "txt") {
            let stamp = entry.metadata().ok().as_ref().and_then(Stamp::of);
            files.push(SeedFile { name, path, stamp, info: PageInfo::default() });
        } else if path.extension().is_some_and(|e| e == "yaml") {
            sidecars.insert(name);
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    for file in &mut files {
        let sidecar = format!("{}.yaml", file.name.strip_suffix(".txt").unwrap_or(&file.name));
        let text = match sidecars.contains(&sidecar) {
            true => {
                let path = dir.join(&sidecar);
                Some(std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?)
            }
            false => None,
        };
        file.info = PageInfo::from_sidecar(&file.name, text.as_deref())
            .map_err(|e| anyhow::anyhow!("{}: {e}", dir.join(&sidecar).display()))?;
    }
    Ok(files)
}

/// Reads and decodes one seed file; errors name the file.
pub fn read_seed(file: &SeedFile) -> Result<SeedPage> {
    let bytes = std::fs::read(&file.path).with_context(|| format!("reading {}", file.path.display()))?;
    let text = decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.path.display()))?;
    Ok(SeedPage { name: file.name.clone(), text })
}

/// Reads every `*.txt` page in `dir`, sorted by name.
pub fn read_seeds(dir: &Path) -> Result<Vec<SeedPage>> {
    list_seeds(dir)?.iter().map(read_seed).collect()
}

/// Decodes a page's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; CRLF and CR become `\n`.
/// A file that is neither gives an error naming the byte offset of the first byte that cannot be read.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return strict(encoding, &bytes[bom..]).map(|t| line_ends(&t)).map_err(|at| at_offset(encoding, at + bom));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(line_ends(text)),
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // Chinese text in UTF-8 before the bad byte means a damaged UTF-8 file, not a GB18030 one.
            let utf8_chinese = std::str::from_utf8(valid).is_ok_and(|t| t.chars().any(|c| c as u32 >= 0x800));
            if utf8_chinese {
                return Err(format!("byte {}: not valid UTF-8", err.valid_up_to()));
            }
            strict(encoding_rs::GB18030, bytes).map(|t| line_ends(&t)).map_err(|at| at_offset(encoding_rs::GB18030, at))
        }
    }
}

fn at_offset(encoding: &'static encoding_rs::Encoding, offset: usize) -> String {
    format!("byte {offset}: not valid {} (nor UTF-8)", encoding.name())
}

/// Decodes without replacement characters; the error is the offset of the first malformed byte.
fn strict(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let mut read = 0;
    loop {
        let capacity = decoder.max_utf8_buffer_length_without_replacement(bytes.len() - read).unwrap_or(usize::MAX);
        out.reserve(capacity.min(bytes.len() * 4 + 16));
        let (result, n) = decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(out),
            encoding_rs::DecoderResult::OutputFull => continue,
            encoding_rs::DecoderResult::Malformed(bad, extra) => {
                return Err(read - bad as usize - extra as usize);
            }
        }
    }
}

fn line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_with_and_without_bom() {
        assert_eq!(decode("重庆\n".as_bytes()).unwrap(), "重庆\n");
        assert_eq!(decode("\u{feff}重庆\n".as_bytes()).unwrap(), "重庆\n");
    }

    #[test]
    fn turns_crlf_into_newlines() {
        assert_eq!(decode("一\r\n二\r\n".as_bytes()).unwrap(), "一\n二\n");
    }

    #[test]
    fn reads_gb18030_and_gbk() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("本报讯（记者 张珺）6月11日，全市…\r\n");
        assert_eq!(decode(&bytes).unwrap(), "本报讯（记者 张珺）6月11日，全市…\n");
        let (bytes, _, _) = encoding_rs::GBK.encode("重庆日报");
        assert_eq!(decode(&bytes).unwrap(), "重庆日报");
    }

    #[test]
    fn reads_utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend("重庆".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&bytes).unwrap(), "重庆");
    }

    #[test]
    fn names_the_offset_of_a_bad_byte_in_utf8() {
        let mut bytes = "重庆日报".as_bytes().to_vec();
        bytes.push(0xff);
        bytes.extend("ok".as_bytes());
        assert_eq!(decode(&bytes).unwrap_err(), "byte 12: not valid UTF-8");
    }

    #[test]
    fn names_the_offset_of_a_bad_byte_in_gb18030() {
        let mut bytes = encoding_rs::GB18030.encode("ab重庆").0.into_owned();
        let at = bytes.len();
        bytes.extend([0xff, 0x41]);
        let err = decode(&bytes).unwrap_err();
        assert!(err.starts_with(&format!("byte {at}: ")), "{err}");
    }

    #[test]
    fn read_seeds_names_the_file_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.txt"), [b'a', 0xff, 0xff]).unwrap();
        let err = read_seeds(dir.path()).unwrap_err().to_string();
        assert!(err.contains("bad.txt") && err.contains("byte 1"), "{err}");
    }

    #[test]
    fn finds_a_date_in_a_file_name_only_when_it_stands_apart_and_is_a_real_day() {
        for (name, date) in [
            ("cqrb_20250612_03.txt", Some("2025-06-12")),
            ("2025-06-12-p3.txt", Some("2025-06-12")),
            ("重庆日报2025.6.9第3版.txt", Some("2025-06-09")),
            ("page_2024_02_29.txt", Some("2024-02-29")),
            ("20250612.txt", Some("2025-06-12")),
            ("000_352fccf6a5b3c55c.txt", None),
            ("a20250612.txt", None),
            ("20250612b.txt", None),
            ("120250612.txt", None),
            ("2025-06-12x.txt", None),
            ("2025-06.12.txt", None),
            ("20251312.txt", None),
            ("2023-02-29.txt", None),
            ("17990101.txt", None),
            ("scan 2025-6-1 and 2025-06-02.txt", Some("2025-06-01")),
        ] {
            assert_eq!(date_in_name(name).as_deref(), date, "{name}");
        }
    }

    #[test]
    fn a_sidecar_date_wins_over_the_name_and_a_bad_one_is_an_error_with_its_line() {
        let info = |name, text| PageInfo::from_sidecar(name, text);
        assert_eq!(info("cqrb_20250612.txt", None).unwrap().date.as_deref(), Some("2025-06-12"));
        assert_eq!(info("cqrb_20250612.txt", Some("date: 2025-6-13\n")).unwrap().date.as_deref(), Some("2025-06-13"));
        assert_eq!(info("cqrb_20250612.txt", Some("# nothing yet\n")).unwrap().date.as_deref(), Some("2025-06-12"));
        assert_eq!(info("p.txt", Some("date:\n")).unwrap(), PageInfo::default());
        let err = info("p.txt", Some("# issue\ndate: 2025-02-30\n")).unwrap_err();
        assert_eq!(err, "line 2: date `2025-02-30` is not a date written YYYY-MM-DD");
        let err = info("p.txt", Some("date: 20250612\n")).unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        let err = info("p.txt", Some("\ndaet: 2025-06-12\n")).unwrap_err();
        assert!(err.contains("unknown field `daet`") && err.contains("line 2"), "{err}");
    }

    #[test]
    fn reads_the_issue_date_of_a_header_only_with_its_own_weekday() {
        for (line, date) in [
            ("2025年6月12日 星期四", Some("2025-06-12")),
            ("重庆日报 2025年06月12日 星期四 第3版 责任编辑 王芳", Some("2025-06-12")),
            ("2024年2月29日 周四", Some("2024-02-29")),
            ("2025年6月15日 星期日", Some("2025-06-15")),
            ("2025年6月15日 礼拜天", Some("2025-06-15")),
            ("2025年1月1日 星期三", Some("2025-01-01")),
            ("2000年2月29日 星期二", Some("2000-02-29")),
            ("1900年3月1日 星期四", Some("1900-03-01")),
            ("2025年6月12日 星期五", None),
            ("2025年6月12日", None),
            ("2025年6月31日 星期二", None),
            ("6月12日 星期四", None),
            ("截至2025年6月", None),
        ] {
            assert_eq!(date_in_header(line).as_deref(), date, "{line}");
        }
    }

    #[test]
    fn page_hash_is_the_text_hash_unless_the_page_has_info() {
        let none = PageInfo::default();
        let dated = PageInfo { date: Some("2025-06-12".into()) };
        assert_eq!(none.page_hash("abc"), "abc");
        assert_ne!(dated.page_hash("abc"), "abc");
        assert_ne!(dated.page_hash("abc"), PageInfo { date: Some("2025-06-13".into()) }.page_hash("abc"));
    }

    #[test]
    fn list_seeds_reads_sidecars_and_names_a_broken_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "正文").unwrap();
        std::fs::write(dir.path().join("a.yaml"), "date: 2025-06-12\n").unwrap();
        std::fs::write(dir.path().join("b_20250101.txt"), "正文").unwrap();
        std::fs::write(dir.path().join("orphan.yaml"), "date: 2025-06-12\n").unwrap();
        let dates: Vec<_> = list_seeds(dir.path()).unwrap().into_iter().map(|f| (f.name, f.info.date)).collect();
        assert_eq!(
            dates,
            [
                ("a.txt".to_string(), Some("2025-06-12".to_string())),
                ("b_20250101.txt".into(), Some("2025-01-01".into()))
            ]
        );
        std::fs::write(dir.path().join("a.yaml"), "date: 2025-13-01\n").unwrap();
        let err = list_seeds(dir.path()).unwrap_err().to_string();
        assert!(err.contains("a.yaml: line 1: date `2025-13-01`"), "{err}");
    }
}
