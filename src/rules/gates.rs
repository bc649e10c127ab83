//! One pass over a text for many literals: which of a rule's patterns can
//! match at all. A pattern whose literals (its gates) are all absent is
//! neither run nor compiled, and compiling is most of a one-file check.
//!
//! The candidates come from aho-corasick's packed searcher (Teddy), which
//! tests 16 or 32 bytes at a time with SIMD; each candidate is then
//! compared with every literal that could start there, so overlapping
//! literals are all found, not only the leftmost. Building it costs about
//! 50,000 instructions, where a full Aho-Corasick automaton over the same
//! literals cost a million to build, and as a contiguous NFA 50
//! instructions a byte to search (docs/performance.md). It is built on the
//! first text long enough for it, and pays for itself on one 4 KB file:
//! a search for each literal with memchr's `memmem` cost more on every
//! example (measured, not kept).
//!
//! Texts shorter than [`TEDDY_SHORTEST`] (the windows the blame rule reads
//! around its trigger words), and every text on a CPU without SSSE3 or
//! NEON, are read through a table by last byte, at about 10 instructions a
//! byte. Last bytes, not first: the literals end in rarer bytes (`_`, `-`,
//! `=`, capitals) than they start with.

use std::sync::OnceLock;

use aho_corasick::Span;
use aho_corasick::packed::{Config, MatchKind, Searcher};

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
}

/// Texts shorter than this are read through the table: Teddy has a
/// start-up cost for each search, and below its minimum length it falls
/// back to Rabin-Karp.
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
        }
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

    /// Every (start, literal, id) in `text`, found with Teddy: its
    /// candidates are positions in order, each compared with every literal,
    /// so overlapping literals are all found.
    fn by_teddy<'a>(
        &'a self,
        teddy: &'a Searcher,
        text: &'a [u8],
    ) -> impl Iterator<Item = (usize, &'static [u8], usize)> + 'a {
        let mut from = 0;
        let starts = std::iter::from_fn(move || {
            if from >= text.len() {
                return None;
            }
            let at = teddy.find_in(text, Span::from(from..text.len()))?.start();
            from = at + 1;
            Some(at)
        });
        starts.flat_map(move |at| {
            self.literals
                .iter()
                .filter(move |(literal, _)| text[at..].starts_with(literal))
                .map(move |&(literal, id)| (at, literal, id))
        })
    }

    /// Every (start, literal, id) in `text`, found through the table by
    /// last byte.
    fn by_table<'a>(
        &'a self,
        text: &'a [u8],
    ) -> impl Iterator<Item = (usize, &'static [u8], usize)> + 'a {
        (1..=text.len()).flat_map(move |end| {
            let (from, to) = self.by_last[usize::from(text[end - 1])];
            self.literals[from..to]
                .iter()
                .filter(move |(literal, _)| text[..end].ends_with(literal))
                .map(move |&(literal, id)| (end - literal.len(), literal, id))
        })
    }

    /// Which ids have a literal in `text`. With `word_start`, a literal that
    /// starts with an ASCII letter or digit counts only where the byte before
    /// it is not one (the patterns start with `\b`).
    pub fn hits(&self, text: &[u8], word_start: bool) -> Vec<bool> {
        match self.teddy(text.len()) {
            Some(teddy) => self.hits_in(text, word_start, self.by_teddy(teddy, text)),
            None => self.hits_in(text, word_start, self.by_table(text)),
        }
    }

    /// The ids among `found` that count, stopping once every id has.
    fn hits_in(
        &self,
        text: &[u8],
        word_start: bool,
        found: impl Iterator<Item = (usize, &'static [u8], usize)>,
    ) -> Vec<bool> {
        let mut hit = vec![false; self.ids];
        let mut left = self.ids;
        for (start, literal, id) in found {
            if hit[id] || !counts(text, literal, start, word_start) {
                continue;
            }
            hit[id] = true;
            left -= 1;
            if left == 0 {
                break;
            }
        }
        hit
    }

    /// Every position where a literal of `id` starts, in order (for the few
    /// gates that check more around them).
    pub fn positions(&self, text: &[u8], id: usize) -> Vec<usize> {
        match self.teddy(text.len()) {
            Some(teddy) => positions_in(id, self.by_teddy(teddy, text)),
            None => positions_in(id, self.by_table(text)),
        }
    }
}

/// The starts of `id`'s literals among `found`, in order, each once.
fn positions_in(
    id: usize,
    found: impl Iterator<Item = (usize, &'static [u8], usize)>,
) -> Vec<usize> {
    let mut starts: Vec<usize> = found
        .filter(|&(_, _, i)| i == id)
        .map(|(start, _, _)| start)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
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

    /// With Teddy (for texts of [`TEDDY_SHORTEST`] or more), and without.
    fn both() -> [Gates; 2] {
        [
            Gates::new(LITERALS, 5).with_teddy(),
            Gates::new(LITERALS, 5).without_teddy(),
        ]
    }

    #[test]
    fn teddy_is_built_on_the_first_long_text_only() {
        let gates = Gates::new(LITERALS, 5);
        for _ in 0..1000 {
            assert!(gates.hits(b"a://", false)[2]);
        }
        assert!(gates.teddy.get().is_none());
        let long = format!("://{}", " ".repeat(TEDDY_SHORTEST));
        assert!(gates.hits(long.as_bytes(), false)[2]);
        #[cfg(target_arch = "x86_64")]
        assert!(gates.teddy.get().is_some_and(Option::is_some));
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
        /// Teddy and the table find the same, in any text.
        #[test]
        fn teddy_and_the_table_agree(
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
            let table = gates.hits_in(text, word_start, gates.by_table(text));
            proptest::prop_assert_eq!(&gates.hits(text, word_start), &table);
            if let Some(teddy) = gates.teddy.get().and_then(Option::as_ref) {
                // Teddy's own answer, below its minimum length too.
                let hit = gates.hits_in(text, word_start, gates.by_teddy(teddy, text));
                proptest::prop_assert_eq!(&hit, &table);
                for id in 0..5 {
                    proptest::prop_assert_eq!(
                        positions_in(id, gates.by_teddy(teddy, text)),
                        positions_in(id, gates.by_table(text))
                    );
                }
            }
        }
    }
}
