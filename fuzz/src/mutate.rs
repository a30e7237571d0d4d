//! Seeded mutation: a small, fast random source and byte mutators that
//! know a little about the formats (tokens of each, numbers, zip entries).

use std::io::{Cursor, Read, Write};

/// xorshift64*: deterministic for a seed, good enough to pick mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True once in `n` times.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, from: &'a [T]) -> Option<&'a T> {
        if from.is_empty() {
            None
        } else {
            Some(&from[self.below(from.len())])
        }
    }
}

const INTERESTING_BYTES: &[u8] = b"\0\x01\x7f\x80\xff<>\"'/=&; ,\t\r\n0123456789-+.:#";

const INTERESTING_NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "255",
    "256",
    "16384",
    "16385",
    "65535",
    "65536",
    "100000",
    "1048575",
    "1048576",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "1e308",
    "1e309",
    "-0",
    "0.5",
    "NaN",
];

/// Applies one to four mutations to `data`, using tokens from `dict` and
/// chunks of `others` (the corpus); keeps it at most `max_len` bytes.
pub fn mutate(
    rng: &mut Rng,
    data: &mut Vec<u8>,
    others: &[Vec<u8>],
    dict: &[&str],
    max_len: usize,
) {
    let n = 1 + rng.below(4);
    for _ in 0..n {
        one(rng, data, others, dict);
    }
    data.truncate(max_len);
}

fn one(rng: &mut Rng, data: &mut Vec<u8>, others: &[Vec<u8>], dict: &[&str]) {
    let len = data.len();
    let at = rng.below(len + 1);
    match rng.below(11) {
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next() as u8;
        }
        2 if len > 0 => {
            let i = rng.below(len);
            data[i] = *rng.pick(INTERESTING_BYTES).unwrap_or(&0);
        }
        3 if len > 0 => {
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(64));
            data.drain(i..i + n);
        }
        4 => {
            let n = 1 + rng.below(32);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            data.splice(at..at, bytes);
        }
        5 if len > 0 => {
            // Duplicate a chunk, sometimes many times (repeated rows, cells).
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(256));
            let chunk = data[i..i + n].to_vec();
            let times = if rng.one_in(8) { 1 + rng.below(64) } else { 1 };
            let at = rng.below(len + 1);
            data.splice(at..at, chunk.repeat(times));
        }
        6 => {
            // Splice a chunk of another input.
            if let Some(other) = rng.pick(others).filter(|o| !o.is_empty()) {
                let i = rng.below(other.len());
                let n = 1 + rng.below((other.len() - i).min(512));
                let chunk = other[i..i + n].to_vec();
                if rng.one_in(2) && len > 0 {
                    let end = (at + n).min(len);
                    data.splice(at.min(len)..end, chunk);
                } else {
                    data.splice(at..at, chunk);
                }
            }
        }
        7 | 8 => {
            if let Some(tok) = rng.pick(dict) {
                data.splice(at..at, tok.bytes());
            }
        }
        9 => number(rng, data),
        10 if len > 1 => data.truncate(rng.below(len)),
        _ => {
            if let Some(tok) = rng.pick(dict) {
                data.splice(at..at, tok.bytes());
            }
        }
    }
}

/// Replaces a run of digits (near a random place) with an interesting number.
fn number(rng: &mut Rng, data: &mut Vec<u8>) {
    let Some(new) = rng.pick(INTERESTING_NUMBERS) else {
        return;
    };
    let len = data.len();
    if len == 0 {
        data.extend_from_slice(new.as_bytes());
        return;
    }
    let start = rng.below(len);
    let Some(i) = (start..len)
        .chain(0..start)
        .find(|&i| data[i].is_ascii_digit())
    else {
        data.splice(start..start, new.bytes());
        return;
    };
    let mut a = i;
    while a > 0 && data[a - 1].is_ascii_digit() {
        a -= 1;
    }
    let mut b = i;
    while b < len && data[b].is_ascii_digit() {
        b += 1;
    }
    data.splice(a..b, new.bytes());
}

/// A zip's entries: (name, content, stored), or None when it is not a readable zip.
pub fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>, bool)>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = vec![];
    for i in 0..z.len().min(64) {
        let mut f = z.by_index(i).ok()?;
        if f.size() > 8 * 1024 * 1024 {
            return None;
        }
        let mut v = vec![];
        f.by_ref().take(8 * 1024 * 1024).read_to_end(&mut v).ok()?;
        let stored = f.compression() == zip::CompressionMethod::Stored;
        out.push((f.name().ok()?.into_owned(), v, stored));
    }
    Some(out)
}

pub fn rezip(entries: &[(String, Vec<u8>, bool)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content, stored) in entries {
        let o = zip::write::SimpleFileOptions::default().compression_method(if *stored {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        });
        let o = if *stored {
            o
        } else {
            o.compression_level(Some(1))
        };
        if w.start_file(name.as_str(), o).is_err() || w.write_all(content).is_err() {
            continue;
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Mutates a workbook inside its zip: the XML of one entry (most often),
/// or which entries there are; then zips it again, so that the mutations
/// reach the XML readers instead of stopping at the zip's checksums.
pub fn mutate_zip(
    rng: &mut Rng,
    data: &mut Vec<u8>,
    others: &[Vec<u8>],
    dict: &[&str],
    max_len: usize,
) -> bool {
    let Some(mut entries) = unzip(data) else {
        return false;
    };
    if entries.is_empty() {
        return false;
    }
    match rng.below(12) {
        0 => {
            let i = rng.below(entries.len());
            entries.remove(i);
        }
        1 => {
            let i = rng.below(entries.len());
            let e = entries[i].clone();
            entries.insert(rng.below(entries.len() + 1), e);
        }
        2 => {
            let i = rng.below(entries.len());
            let mut name = entries[i].0.clone().into_bytes();
            mutate(rng, &mut name, &[], &[], 200);
            entries[i].0 = String::from_utf8_lossy(&name).into_owned();
        }
        3 => {
            let i = rng.below(entries.len());
            entries[i].2 = !entries[i].2;
        }
        _ => {
            // Prefer the XML parts, the sheet's most of all.
            let xml: Vec<usize> = (0..entries.len())
                .filter(|&i| entries[i].0.ends_with(".xml"))
                .collect();
            let sheets: Vec<usize> = xml
                .iter()
                .copied()
                .filter(|&i| {
                    let n = &entries[i].0;
                    n.contains("sheet") || n.contains("content") || n.contains("haredStrings")
                })
                .collect();
            let i = if !sheets.is_empty() && rng.one_in(2) {
                sheets[rng.below(sheets.len())]
            } else if !xml.is_empty() {
                xml[rng.below(xml.len())]
            } else {
                rng.below(entries.len())
            };
            let parts: Vec<Vec<u8>> = entries.iter().map(|e| e.1.clone()).collect();
            let mut content = std::mem::take(&mut entries[i].1);
            let pool: Vec<Vec<u8>> = parts.into_iter().chain(others.iter().cloned()).collect();
            mutate(rng, &mut content, &pool, dict, max_len);
            entries[i].1 = content;
        }
    }
    *data = rezip(&entries);
    data.truncate(max_len);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_makes_the_same_mutations() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            let mut d = b"<c r=\"A1\"><v>12</v></c>".to_vec();
            for _ in 0..50 {
                mutate(&mut rng, &mut d, &[b"other".to_vec()], &["<row>"], 4096);
            }
            d
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn zip_mutations_keep_a_readable_zip() {
        let zip = rezip(&[
            ("a.xml".into(), b"<a>1</a>".to_vec(), false),
            ("mimetype".into(), b"x".to_vec(), true),
        ]);
        let mut rng = Rng::new(1);
        for _ in 0..50 {
            let mut d = zip.clone();
            assert!(mutate_zip(&mut rng, &mut d, &[], &["<b/>"], 1 << 20));
            assert!(unzip(&d).is_some());
        }
    }
}
