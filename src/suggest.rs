//! "Did you mean" for keys, rule ids and zone names.

/// The candidate closest to `input`, if it is close enough to be a typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // No key, rule or zone name is this long: a typo of one is not either,
    // and comparing a hostile 5000-character value with every zone is slow.
    if input.len() > 64 {
        return None;
    }
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&input_lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn typos_find_their_key() {
        let keys = ["summary", "timeline", "title", "tasks"];
        assert_eq!(closest("sumary", keys), Some("summary"));
        assert_eq!(closest("timline", keys), Some("timeline"));
        assert_eq!(closest("Title", keys), Some("title"));
        assert_eq!(closest("owner", keys), None);
    }
}
