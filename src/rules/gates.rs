//! One pass over a text for many literals: which of a rule's patterns can
//! match at all. A pattern whose literals (its gates) are all absent is
//! neither run nor compiled, and compiling is most of a one-file check.
//!
//! The candidates come from aho-corasick's packed searcher (Teddy), which
//! tests 16 or 32 bytes at a time with SIMD; each candidate is then
//! compared with every literal that could start there, so overlapping
//! literals are all found, not only the leftmost. Building it costs 60,000
//! to 100,000 instructions, where a full Aho-Corasick automaton over the
//! same literals cost a million to build, and as a contiguous NFA 50
//! instructions a byte to search (docs/performance.md).
//!
//! Until a process has searched [`TEDDY_AFTER`] bytes, and on a CPU
//! without SSSE3 or NEON, each literal is searched for on its own with
//! memchr's `memmem`, also SIMD: a check of one small file would spend
//! more building Teddy than it saves.
//!
//! Texts shorter than [`TEDDY_SHORTEST`] (the windows the blame rule reads
//! around its trigger words) are read through a table by last byte, at
//! about 10 instructions a byte, as a search per literal costs more to
//! start than such a text costs to read. Last bytes, not first: the
//! literals end in rarer bytes (`_`, `-`, `=`, capitals) than they start
//! with.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use aho_corasick::Span;
use aho_corasick::packed::{Config, MatchKind, Searcher};
use memchr::memmem::Finder;

/// Literals, each with the pattern (or family) it gates.
#[derive(Debug)]
pub struct Gates {
    /// For each byte, the range of `literals` that end with it.
    by_last: Vec<(usize, usize)>,
    literals: Vec<(&'static [u8], usize)>,
    ids: usize,
    /// Teddy over the same literals, once built; `None` inside where the
    /// CPU has no Teddy.
    teddy: OnceLock<Option<Searcher>>,
    /// A `memmem` searcher for each of `literals`, once built.
    finders: OnceLock<Vec<Finder<'static>>>,
    /// Bytes searched literal by literal, in texts long enough for Teddy.
    scanned: AtomicUsize,
}

/// Bytes searched literal by literal, in texts of [`TEDDY_SHORTEST`] or
/// more, before Teddy is built: about where building it has paid for
/// itself.
const TEDDY_AFTER: usize = 16 * 1024;

/// Texts shorter than this are read through the table: Teddy and `memmem`
/// have a start-up cost for each search, and below its minimum length
/// Teddy falls back to Rabin-Karp.
const TEDDY_SHORTEST: usize = 256;

impl Gates {
    /// `literals` as (literal, id); ids are `0..ids`. An empty literal is
    /// ignored (it would gate nothing).
    pub fn new(literals: impl IntoIterator<Item = (&'static str, usize)>, ids: usize) -> Self {
        let mut literals: Vec<(&'static [u8], usize)> = literals
            .into_iter()
            .map(|(l, id)| (l.as_bytes(), id))
            .filter(|(l, _)| !l.is_empty())
            .collect();
        literals.sort_by_key(|(l, _)| l.last().copied());
        let mut by_last = vec![(0, 0); 256];
        for (index, (literal, _)) in literals.iter().enumerate() {
            let last = literal.last().map_or(0, |b| usize::from(*b));
            if by_last[last].1 == 0 {
                by_last[last].0 = index;
            }
            by_last[last].1 = index + 1;
        }
        Gates {
            by_last,
            literals,
            ids,
            teddy: OnceLock::new(),
            finders: OnceLock::new(),
            scanned: AtomicUsize::new(0),
        }
    }

    fn finders(&self) -> &[Finder<'static>] {
        self.finders
            .get_or_init(|| self.literals.iter().map(|(l, _)| Finder::new(*l)).collect())
    }

    /// Every start of `literals[index]` in `text`, overlapping ones too.
    fn occurrences<'a>(&'a self, text: &'a [u8], index: usize) -> impl Iterator<Item = usize> + 'a {
        let finder = &self.finders()[index];
        let mut from = 0;
        std::iter::from_fn(move || {
            let at = from + finder.find(text.get(from..)?)?;
            from = at + 1;
            Some(at)
        })
    }

    fn build_teddy(&self) -> Option<Searcher> {
        Config::new()
            .match_kind(MatchKind::LeftmostFirst)
            .builder()
            .extend(self.literals.iter().map(|(literal, _)| literal))
            .build()
    }

    /// Teddy for a text of `len` bytes, if it is to be used for it.
    fn teddy(&self, len: usize) -> Option<&Searcher> {
        if len < TEDDY_SHORTEST {
            return None;
        }
        if let Some(teddy) = self.teddy.get() {
            return teddy.as_ref();
        }
        if self.scanned.fetch_add(len, Ordering::Relaxed) + len < TEDDY_AFTER {
            return None;
        }
        self.teddy.get_or_init(|| self.build_teddy()).as_ref()
    }

    /// The same gates with Teddy built now, for texts of any length past
    /// [`TEDDY_SHORTEST`]: for the tests.
    #[cfg(test)]
    fn with_teddy(self) -> Self {
        let teddy = self.build_teddy();
        assert!(self.teddy.set(teddy).is_ok());
        self
    }

    /// The same gates searched only through the table: for the tests.
    #[cfg(test)]
    fn without_teddy(self) -> Self {
        assert!(self.teddy.set(None).is_ok());
        self
    }

    /// Every position where a literal may start, with Teddy: each is one
    /// where some literal does start, and no such position is skipped.
    fn starts<'a>(teddy: &'a Searcher, text: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        let mut from = 0;
        std::iter::from_fn(move || {
            if from >= text.len() {
                return None;
            }
            let at = teddy.find_in(text, Span::from(from..text.len()))?.start();
            from = at + 1;
            Some(at)
        })
    }

    /// The literals that start at `at`, as (literal, id).
    fn starting_at<'a>(
        &'a self,
        text: &'a [u8],
        at: usize,
    ) -> impl Iterator<Item = (&'static [u8], usize)> + 'a {
        self.literals
            .iter()
            .copied()
            .filter(move |(literal, _)| text[at..].starts_with(literal))
    }

    /// `hits` through Teddy, or `None` where Teddy is not used for this
    /// text (see [`TEDDY_AFTER`]).
    fn hits_by_teddy(&self, text: &[u8], word_start: bool) -> Option<Vec<bool>> {
        let teddy = self.teddy(text.len())?;
        let mut hit = vec![false; self.ids];
        let mut left = self.ids;
        for at in Self::starts(teddy, text) {
            for (literal, id) in self.starting_at(text, at) {
                if hit[id] || !counts(text, literal, at, word_start) {
                    continue;
                }
                hit[id] = true;
                left -= 1;
                if left == 0 {
                    return Some(hit);
                }
            }
        }
        Some(hit)
    }

    /// Which ids have a literal in `text`. With `word_start`, a literal that
    /// starts with an ASCII letter or digit counts only where the byte before
    /// it is not one (the patterns start with `\b`).
    pub fn hits(&self, text: &[u8], word_start: bool) -> Vec<bool> {
        if let Some(hit) = self.hits_by_teddy(text, word_start) {
            return hit;
        }
        if text.len() >= TEDDY_SHORTEST {
            return self.hits_by_literal(text, word_start);
        }
        self.hits_by_table(text, word_start)
    }

    fn hits_by_literal(&self, text: &[u8], word_start: bool) -> Vec<bool> {
        let mut hit = vec![false; self.ids];
        for (index, &(literal, id)) in self.literals.iter().enumerate() {
            if !hit[id] {
                hit[id] = self
                    .occurrences(text, index)
                    .any(|at| counts(text, literal, at, word_start));
            }
        }
        hit
    }

    fn hits_by_table(&self, text: &[u8], word_start: bool) -> Vec<bool> {
        let mut hit = vec![false; self.ids];
        let mut left = self.ids;
        for (at, &byte) in text.iter().enumerate() {
            let (from, to) = self.by_last[usize::from(byte)];
            if from == to {
                continue;
            }
            let end = at + 1;
            for &(literal, id) in &self.literals[from..to] {
                if hit[id] || !text[..end].ends_with(literal) {
                    continue;
                }
                if !counts(text, literal, end - literal.len(), word_start) {
                    continue;
                }
                hit[id] = true;
                left -= 1;
                if left == 0 {
                    return hit;
                }
            }
        }
        hit
    }

    /// Every position where a literal of `id` starts (for the few gates
    /// that check more around them).
    pub fn positions(&self, text: &[u8], id: usize) -> Vec<usize> {
        if let Some(teddy) = self.teddy(text.len()) {
            return self.positions_by_teddy(teddy, text, id);
        }
        if text.len() >= TEDDY_SHORTEST {
            return self.positions_by_literal(text, id);
        }
        self.positions_by_table(text, id)
    }

    fn positions_by_teddy(&self, teddy: &Searcher, text: &[u8], id: usize) -> Vec<usize> {
        Self::starts(teddy, text)
            .filter(|&at| self.starting_at(text, at).any(|(_, i)| i == id))
            .collect()
    }

    fn positions_by_literal(&self, text: &[u8], id: usize) -> Vec<usize> {
        let mut found: Vec<usize> = (0..self.literals.len())
            .filter(|&index| self.literals[index].1 == id)
            .flat_map(|index| self.occurrences(text, index))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    fn positions_by_table(&self, text: &[u8], id: usize) -> Vec<usize> {
        let mut found = Vec::new();
        for end in 1..=text.len() {
            let (from, to) = self.by_last[usize::from(text[end - 1])];
            for &(literal, i) in &self.literals[from..to] {
                if i == id && text[..end].ends_with(literal) {
                    found.push(end - literal.len());
                }
            }
        }
        found
    }
}

/// Whether `literal` at `start` counts: with `word_start`, one that starts
/// with an ASCII letter or digit counts only where the byte before it is
/// not one.
fn counts(text: &[u8], literal: &[u8], start: usize, word_start: bool) -> bool {
    !(word_start
        && literal[0].is_ascii_alphanumeric()
        && start > 0
        && text[start - 1].is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LITERALS: [(&str, usize); 7] = [
        ("fault", 0),
        ("'s fault", 1),
        ("://", 2),
        ("sk-", 3),
        ("sk_live_", 3),
        ("k_l", 4),
        ("x-x", 4),
    ];

    /// With Teddy, and without (literal by literal past
    /// [`TEDDY_SHORTEST`], the table below).
    fn both() -> [Gates; 2] {
        [
            Gates::new(LITERALS, 5).with_teddy(),
            Gates::new(LITERALS, 5).without_teddy(),
        ]
    }

    #[test]
    fn teddy_is_built_only_once_the_table_has_searched_enough() {
        let gates = Gates::new(LITERALS, 5);
        let text = format!("://{}", " ".repeat(TEDDY_SHORTEST));
        let mut searched = 0;
        while searched + text.len() < TEDDY_AFTER {
            assert!(gates.hits(text.as_bytes(), false)[2]);
            searched += text.len();
            assert!(gates.teddy.get().is_none(), "built after {searched} bytes");
        }
        assert!(gates.hits(text.as_bytes(), false)[2]);
        #[cfg(target_arch = "x86_64")]
        assert!(gates.teddy.get().is_some_and(Option::is_some));
        // Short texts never count, and never build it.
        let short = Gates::new(LITERALS, 5);
        for _ in 0..TEDDY_AFTER {
            assert!(short.hits(b"a://", false)[2]);
        }
        assert!(short.teddy.get().is_none());
    }

    #[test]
    fn literals_are_found_anywhere_or_at_word_starts() {
        // Where pm is built and tested, Teddy runs: the first of both().
        #[cfg(target_arch = "x86_64")]
        assert!(
            Gates::new(LITERALS, 5)
                .with_teddy()
                .teddy(TEDDY_SHORTEST)
                .is_some()
        );
        for gates in both() {
            let long = |text: &str| format!("{text}{}", " pad".repeat(TEDDY_SHORTEST / 4));
            for (text, word_start, expected) in [
                ("a faulty disk", false, [true, false, false, false, false]),
                ("bob's fault", true, [true, true, false, false, false]),
                ("default", true, [false; 5]),
                ("default", false, [true, false, false, false, false]),
                ("https://x", true, [false, false, true, false, false]),
                // Overlapping literals are each found.
                ("sk_live_x", false, [false, false, false, true, true]),
                ("sk_live_x", true, [false, false, false, true, false]),
                // At a word start only where it overlaps itself.
                ("xx-x-x", true, [false, false, false, false, true]),
                ("", true, [false; 5]),
            ] {
                assert_eq!(gates.hits(text.as_bytes(), word_start), expected, "{text}");
                // Long enough for Teddy, not only its short-text path.
                assert_eq!(
                    gates.hits(long(text).as_bytes(), word_start),
                    expected,
                    "{text}"
                );
            }
            assert_eq!(gates.positions(b"a://b://", 2), [1, 5]);
            assert_eq!(gates.positions(long("a://b://").as_bytes(), 2), [1, 5]);
        }
    }

    proptest::proptest! {
        /// Teddy, the search literal by literal and the table find the
        /// same, in any text.
        #[test]
        fn every_way_of_searching_agrees(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "fau", "lt", "'s ", "fault", ":/", "/", "sk", "-", "_live_", "k_l", "x", "a", " ", "é",
            ]), 0..60),
            word_start: bool,
            padded: bool,
        ) {
            let mut text = pieces.concat();
            if padded {
                // Long enough for Teddy's SIMD path.
                text.push_str(&"x".repeat(TEDDY_SHORTEST));
            }
            let text = text.as_bytes();
            let gates = Gates::new(LITERALS, 5).with_teddy();
            let table = gates.hits_by_table(text, word_start);
            proptest::prop_assert_eq!(&gates.hits_by_literal(text, word_start), &table);
            if let Some(teddy) = gates.teddy.get().and_then(Option::as_ref) {
                // Teddy's own answer, below its minimum length too.
                let mut hit = vec![false; 5];
                for at in Gates::starts(teddy, text) {
                    for (literal, id) in gates.starting_at(text, at) {
                        hit[id] |= counts(text, literal, at, word_start);
                    }
                }
                proptest::prop_assert_eq!(&hit, &table);
                for id in 0..5 {
                    proptest::prop_assert_eq!(
                        gates.positions_by_teddy(teddy, text, id),
                        gates.positions_by_table(text, id)
                    );
                }
            }
            for id in 0..5 {
                proptest::prop_assert_eq!(
                    gates.positions_by_literal(text, id),
                    gates.positions_by_table(text, id)
                );
            }
        }
    }
}
