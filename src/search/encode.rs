//! Compact posting lists for the page: a list of document numbers as a short printable string that needs no
//! escaping inside a JavaScript string literal. `themes/default/static/search-index.js` decodes it. Pure.
//!
//! A list is written either as gaps (`d` + one variable-length number per document: the gap to the previous one)
//! or as a bitmap (`b` + six documents per character), whichever is shorter. A token's entry is three lists
//! separated by spaces: the documents where it is frequent, the others, and (a subset of both) those where it is in
//! a heading (title or author). An entry of one list holds only "the others"; an empty third list is left out.

/// The 92 printable ASCII characters other than space, `"` and `\`, in code order.
pub const ALPHABET: &[u8; 92] =
    b"!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Digits that end a number (the first half of the alphabet); the second half continues one.
const BASE: u32 = 46;

/// Writes `ids` (ascending document numbers below `docs`) in the shorter of the two forms.
pub fn encode_list(ids: &[u32], docs: u32) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let bitmap_len = 1 + docs.div_ceil(6) as usize;
    // Every gap takes a character at least, so a list this long is a bitmap without trying.
    if 1 + ids.len() > bitmap_len {
        return encode_bitmap(ids, docs);
    }
    let gaps = encode_gaps(ids);
    if gaps.len() <= bitmap_len {
        gaps
    } else {
        encode_bitmap(ids, docs)
    }
}

/// A token's entry: frequent documents, the others, the heading hits.
pub fn encode_entry(frequent: &[u32], others: &[u32], heading: &[u32], docs: u32) -> String {
    match (frequent.is_empty(), heading.is_empty()) {
        (true, true) => encode_list(others, docs),
        (_, true) => format!("{} {}", encode_list(frequent, docs), encode_list(others, docs)),
        _ => format!("{} {} {}", encode_list(frequent, docs), encode_list(others, docs), encode_list(heading, docs)),
    }
}

fn encode_gaps(ids: &[u32]) -> String {
    let mut out = String::from("d");
    let mut next = 0;
    for &id in ids {
        push_number(id - next, &mut out);
        next = id + 1;
    }
    out
}

fn push_number(mut n: u32, out: &mut String) {
    let mut digits = [0u8; 8];
    let mut at = digits.len() - 1;
    digits[at] = ALPHABET[(n % BASE) as usize];
    n /= BASE;
    while n > 0 {
        n -= 1;
        at -= 1;
        digits[at] = ALPHABET[(BASE + n % BASE) as usize];
        n /= BASE;
    }
    out.extend(digits[at..].iter().map(|&b| b as char));
}

fn encode_bitmap(ids: &[u32], docs: u32) -> String {
    let mut sextets = vec![0u8; docs.div_ceil(6) as usize];
    for &id in ids {
        sextets[(id / 6) as usize] |= 1 << (id % 6);
    }
    std::iter::once('b').chain(sextets.iter().map(|&s| ALPHABET[s as usize] as char)).collect()
}

/// The value of each character of [`ALPHABET`] (0 for others).
const DIGITS: [u8; 256] = {
    let mut table = [0; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// The documents of a list written by [`encode_list`] (search-index.js decodes the same way).
pub fn decode_list(list: &str) -> Vec<u32> {
    let digit = |b: u8| u32::from(DIGITS[b as usize]);
    let mut ids = Vec::new();
    match list.as_bytes().split_first() {
        Some((b'b', body)) => {
            for (i, &b) in body.iter().enumerate() {
                (0..6).filter(|bit| digit(b) & (1 << bit) != 0).for_each(|bit| ids.push(i as u32 * 6 + bit));
            }
        }
        Some((_, body)) => {
            let (mut next, mut n) = (0, 0);
            for &b in body {
                let d = digit(b);
                if d >= BASE {
                    n = (n + d - BASE + 1) * BASE;
                } else {
                    next += n + d;
                    ids.push(next);
                    next += 1;
                    n = 0;
                }
            }
        }
        None => {}
    }
    ids
}

/// The three lists of an entry written by [`encode_entry`]: frequent, others, heading.
pub fn decode_entry(entry: &str) -> [Vec<u32>; 3] {
    let parts: Vec<&str> = entry.split(' ').collect();
    match parts[..] {
        [others] => [Vec::new(), decode_list(others), Vec::new()],
        [frequent, others] => [decode_list(frequent), decode_list(others), Vec::new()],
        [frequent, others, heading, ..] => [decode_list(frequent), decode_list(others), decode_list(heading)],
        [] => Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_round_trip_small_and_large_numbers() {
        let ids = [0, 1, 45, 46, 2000, 2161, 99_000, 4_000_000];
        let list = encode_list(&ids, 5_000_000);
        assert!(list.starts_with('d'));
        assert_eq!(decode_list(&list), ids);
    }

    #[test]
    fn dense_lists_become_bitmaps() {
        let ids: Vec<u32> = (0..1000).filter(|i| i % 3 != 0).collect();
        let list = encode_list(&ids, 1000);
        assert!(list.starts_with('b'));
        assert_eq!(list.len(), 1 + 167);
        assert_eq!(decode_list(&list), ids);
    }

    #[test]
    fn output_needs_no_escaping() {
        let list = encode_list(&(0..5000).step_by(7).collect::<Vec<_>>(), 5000);
        assert!(!list.contains(['"', '\\', ' ']));
    }

    #[test]
    fn entry_puts_frequent_documents_first() {
        assert_eq!(encode_entry(&[2], &[0, 5], &[], 10), "d$ d!&");
        assert_eq!(encode_entry(&[], &[0], &[], 10), "d!");
        assert_eq!(encode_entry(&[], &[0], &[0], 10), " d! d!");
    }

    #[test]
    fn entries_round_trip() {
        for (f, o, h) in [(vec![2], vec![0, 5], vec![]), (vec![], vec![0], vec![0]), (vec![], vec![3], vec![])] {
            assert_eq!(decode_entry(&encode_entry(&f, &o, &h, 10)), [f, o, h]);
        }
    }
}
