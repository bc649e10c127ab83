//! The templates of `pm site` (`templates/site/`): HTML pages that extend
//! `base.html`, and the style sheet and script every page embeds (as
//! text, not compiled as templates).

use super::{Error, Escape, Templates};

/// The page templates of `templates/site/`, by the name pages use for them.
pub const FILES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/site/base.html")),
    (
        "index.html",
        include_str!("../../templates/site/index.html"),
    ),
    (
        "incident.html",
        include_str!("../../templates/site/incident.html"),
    ),
    (
        "follow-ups.html",
        include_str!("../../templates/site/follow-ups.html"),
    ),
    (
        "figures.html",
        include_str!("../../templates/site/figures.html"),
    ),
];

/// The style sheet every page embeds.
pub const CSS: &str = include_str!("../../templates/site/site.css");
/// The script every page embeds: sorting, filtering and search.
pub const JS: &str = include_str!("../../templates/site/site.js");

/// The site's templates, compiled with HTML escaping.
pub fn templates() -> Result<Templates, Error> {
    let mut templates = Templates::new(Escape::Html);
    templates.add_all(
        FILES
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect(),
    )?;
    Ok(templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_templates_site_is_registered_and_compiles() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/site");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("templates/site/")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut registered: Vec<String> = FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        registered.extend(["site.css".to_owned(), "site.js".to_owned()]);
        registered.sort();
        assert_eq!(files, registered);
        templates().expect("the site's templates compile");
    }
}
