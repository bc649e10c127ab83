//! One pass over a text for many literals: which of a rule's patterns can
//! match at all. A pattern whose literals (its gates) are all absent is
//! neither run nor compiled, and compiling is most of a one-file check.
//!
//! A table by last byte, then a comparison where a byte ends a literal:
//! building it costs a few thousand instructions, where an Aho-Corasick
//! automaton over the same literals cost a million to build, and as a
//! contiguous NFA 50 instructions a byte to search (docs/performance.md).
//! Last bytes, not first: the literals end in rarer bytes (`_`, `-`, `=`,
//! capitals) than they start with.

/// Literals, each with the pattern (or family) it gates.
#[derive(Debug)]
pub struct Gates {
    /// For each byte, the range of `literals` that end with it.
    by_last: Vec<(usize, usize)>,
    literals: Vec<(&'static [u8], usize)>,
    ids: usize,
}

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
        }
    }

    /// Which ids have a literal in `text`. With `word_start`, a literal that
    /// starts with an ASCII letter or digit counts only where the byte before
    /// it is not one (the patterns start with `\b`).
    pub fn hits(&self, text: &[u8], word_start: bool) -> Vec<bool> {
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
                let start = end - literal.len();
                if word_start
                    && literal[0].is_ascii_alphanumeric()
                    && start > 0
                    && text[start - 1].is_ascii_alphanumeric()
                {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_found_anywhere_or_at_word_starts() {
        let gates = Gates::new([("fault", 0), ("'s fault", 1), ("://", 2)], 3);
        assert_eq!(gates.hits(b"a faulty disk", false), [true, false, false]);
        assert_eq!(gates.hits(b"bob's fault", true), [true, true, false]);
        assert_eq!(gates.hits(b"default", true), [false, false, false]);
        assert_eq!(gates.hits(b"default", false), [true, false, false]);
        assert_eq!(gates.hits(b"https://x", true), [false, false, true]);
        assert_eq!(gates.hits(b"", true), [false, false, false]);
        assert_eq!(gates.positions(b"a://b://", 2), [1, 5]);
    }
}
