//! Credentials and personal data in the text, which a published postmortem
//! would publish with it.
//!
//! The scan reads the source text line by line, not the YAML tree: comments
//! and files that do not parse are published too, and a line is where
//! `# pm: allow` comments live. Findings quote the match redacted, never
//! whole, and emitters that show source mask it there too.

use super::gates::Gates;
use super::{Rule, RuleDocs};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::source::Source;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

pub static SECRET: Rule = Rule {
    id: "secret",
    severity: Severity::Error,
    summary: "A likely credential: cloud or API keys, tokens, private keys, JWTs, passwords in URLs.",
    docs: RuleDocs {
        what: "The text holds something that looks like a credential: an AWS access key (`AKIA...`), a GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), a GitLab token (`glpat-`), a Slack token (`xoxb-`, `xoxp-`, ...) or webhook URL, a SendGrid key (`SG.`), an OpenAI key (`sk-proj-`, `sk-...T3BlbkFJ...`), an Azure storage account key (`AccountKey=`), a Stripe key (`sk_live_`, `rk_live_`, `sk_test_`), a Google API key (`AIza`), an npm token (`npm_`), a private key block, a JSON Web Token, a password in a URL (`scheme://user:password@host`), or a long random-looking token written shortly after a word such as key, token, secret or password, in any of the forms of configs, shell history, `.env` files and URLs (`token: X`, `token = X`, `--token X`, `token=X`, `API_KEY=X`, `--token=X`, `?access_token=X&`). Comments count, and so does a file that is not valid YAML. The finding quotes the match redacted (`AKIA************MPLE`), never whole, in every output format. Documentation placeholders do not fire: values containing EXAMPLE, SAMPLE, DUMMY, PLACEHOLDER, REDACTED, `xxxx` or `your`, values with little variety (`ghp_aaaa...`), passwords such as `password` or `${DB_PASSWORD}`. Hex strings (commit hashes, digests), UUIDs and base64 data after `base64,` (images in data URLs) never count as random tokens.",
        why: "Postmortems quote logs, configs and commands, and are then published, often to the whole company or the world. A credential in one is leaked to everyone who reads it, and stays in the repository's history after it is deleted.",
        example: "text: Rolled back; the deploy used AKIAZ7VRSQ5TLPKU4M2B from the old CI runner.",
        fix: "Remove the credential, and rotate it: deleting it does not un-leak it, since the file's history and anyone who read it keep it. Write what it was instead (\"the CI runner's AWS key\"). For a false positive, add `# pm: allow secret` at the end of the line or on the line above, or list the value under the `allow` setting.",
        fixes: "",
    },
};

pub static PERSONAL_DATA: Rule = Rule {
    id: "personal-data",
    severity: Severity::Warning,
    summary: "An email address or phone number, personal data that a published postmortem would publish.",
    docs: RuleDocs {
        what: "The text holds an email address, or a phone number written internationally (`+44 20 7946 0018`) or in North American form (`(415) 555-2671`). Addresses at the domains reserved for documentation (`example.com`, `example.org`, `example.net`, and anything under `.example`, `.test`, `.invalid`, `.localhost`) do not fire, nor do addresses of roles and systems rather than people (`support@`, `noreply@`, `oncall@`, `git@`, `root@`, ...), nor the fictional `555-01xx` numbers and obvious placeholders such as `123-456-7890`. The finding quotes the match redacted.",
        why: "Postmortems are blameless and often public: they describe what happened, not who. An engineer's or a customer's address or number in one is personal data published without consent, which privacy law (such as the GDPR) and most companies' policies forbid.",
        example: "text: Customer jane.doe@gmail.com reported the outage by phone (+1 415 555 2671).",
        fix: "Name roles, not people: \"a customer\", \"the on-call engineer\", or a team's address. For a false positive, add `# pm: allow personal-data` at the end of the line or on the line above, or list the value under the `allow` setting.",
        fixes: "",
    },
};

/// Whether findings of a rule quote sensitive text, which emitters mask
/// wherever they show the source.
pub fn is_sensitive(rule: &super::Rule) -> bool {
    rule.id == SECRET.id || rule.id == PERSONAL_DATA.id
}

/// A match: where it is in the text, what kind, and how to show it.
struct Finding {
    rule: &'static Rule,
    /// Byte range in the source text.
    start: usize,
    end: usize,
    /// "AWS access key", "email address".
    what: &'static str,
    /// The match as it may be shown.
    shown: String,
}

struct Detector {
    what: &'static str,
    regex: &'static LazyLock<Regex>,
    /// Capture group holding the secret itself; 0 for the whole match.
    group: usize,
    /// Literals one of which every match holds, case and all: a text with
    /// none of them skips the detector, whose pattern is then not compiled.
    /// Cut short where the full prefix ends in a common byte (`AIz`, not
    /// `AIza`): the gate pass stops at every byte that ends a literal.
    gates: &'static [&'static str],
    /// The part of the secret that is a public, fixed prefix.
    prefix_len: usize,
}

macro_rules! regex {
    ($name:ident, $pattern:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| {
            // A literal pattern that is tested: cannot fail at run time.
            Regex::new($pattern).unwrap_or_else(|err| panic!("{}: {err}", stringify!($name)))
        });
    };
}

regex!(AWS_KEY, r"(?-u)\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b");
regex!(GITHUB_TOKEN, r"(?-u)\bgh[pousr]_[A-Za-z0-9]{36,255}\b");
regex!(GITHUB_PAT, r"(?-u)\bgithub_pat_[A-Za-z0-9_]{40,255}\b");
regex!(GITLAB_TOKEN, r"(?-u)\bglpat-[A-Za-z0-9_-]{20,}");
regex!(SLACK_TOKEN, r"(?-u)\bxox[abposr]-[A-Za-z0-9-]{10,}");
regex!(
    SLACK_WEBHOOK,
    r"(?-u)https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{16,}"
);
regex!(
    JWT,
    r"(?-u)\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
);
regex!(
    PRIVATE_KEY,
    r"(?-u)-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
);
regex!(
    URL_PASSWORD,
    r"\b[A-Za-z][A-Za-z0-9+.-]{0,20}://[^\s:/?#@'`<>]+:([^\s/?#@'`<>]+)@[A-Za-z0-9\[]"
);
regex!(
    SENDGRID_KEY,
    r"(?-u)\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b"
);
regex!(
    OPENAI_KEY,
    r"(?-u)\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b)"
);
regex!(AZURE_ACCOUNT_KEY, r"(?-u)AccountKey=([A-Za-z0-9+/]{86}==)");
regex!(
    STRIPE_KEY,
    r"(?-u)\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}\b"
);
regex!(
    GOOGLE_API_KEY,
    r"\b(AIza[A-Za-z0-9_-]{35})(?:[^A-Za-z0-9_-]|$)"
);
regex!(NPM_TOKEN, r"(?-u)\bnpm_[A-Za-z0-9]{36}\b");
regex!(
    KEYWORD,
    r"(?i)(?:key|token|secret|passw(?:or)?d|pwd|credential|bearer|authori[sz]ation)s?(?:[^a-z]|$)"
);
regex!(
    EMAIL,
    r"(?-u)\b[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b"
);
regex!(
    PHONE_INTERNATIONAL,
    r"(?-u)\+[1-9][0-9]{0,2}[ .-]?(?:\([0-9]{1,4}\)[ .-]?)?[0-9]{1,4}(?:[ .-][0-9]{2,4}){1,4}"
);
regex!(
    PHONE_NORTH_AMERICA,
    r"(?-u)(?:\([0-9]{3}\) ?|\b[0-9]{3}([-.]))[0-9]{3}[-. ][0-9]{4}\b"
);
regex!(
    ALLOW_COMMENT,
    r"#\s*pm:\s*allow\s+([a-z-]+(?:\s*,\s*[a-z-]+)*)"
);

/// Specific credential formats, most specific first: where matches
/// overlap, the first one found is kept.
static DETECTORS: &[Detector] = &[
    Detector {
        what: "private key",
        regex: &PRIVATE_KEY,
        group: 0,
        gates: &["PRIVATE KEY"],
        prefix_len: 0,
    },
    Detector {
        what: "Slack webhook URL",
        regex: &SLACK_WEBHOOK,
        group: 0,
        gates: &["https://hooks.slack.com/services/T"],
        prefix_len: 34,
    },
    Detector {
        what: "JSON Web Token",
        regex: &JWT,
        group: 0,
        gates: &["eyJ"],
        prefix_len: 3,
    },
    Detector {
        what: "AWS access key",
        regex: &AWS_KEY,
        group: 0,
        gates: &["AKIA", "ASIA", "ABIA", "ACCA"],
        prefix_len: 4,
    },
    Detector {
        what: "GitHub token",
        regex: &GITHUB_PAT,
        group: 0,
        gates: &["github_pat_"],
        prefix_len: 11,
    },
    Detector {
        what: "GitHub token",
        regex: &GITHUB_TOKEN,
        group: 0,
        gates: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        prefix_len: 4,
    },
    Detector {
        what: "GitLab token",
        regex: &GITLAB_TOKEN,
        group: 0,
        gates: &["glpat-"],
        prefix_len: 6,
    },
    Detector {
        what: "Slack token",
        regex: &SLACK_TOKEN,
        group: 0,
        gates: &["xox"],
        prefix_len: 5,
    },
    Detector {
        what: "SendGrid API key",
        regex: &SENDGRID_KEY,
        group: 0,
        gates: &["SG."],
        prefix_len: 3,
    },
    Detector {
        what: "OpenAI API key",
        regex: &OPENAI_KEY,
        group: 0,
        gates: &["sk-", "T3BlbkFJ"],
        prefix_len: 3,
    },
    Detector {
        what: "Azure storage account key",
        regex: &AZURE_ACCOUNT_KEY,
        group: 1,
        gates: &["AccountKey="],
        prefix_len: 0,
    },
    Detector {
        what: "Stripe API key",
        regex: &STRIPE_KEY,
        group: 0,
        gates: &["sk_live_", "rk_live_", "sk_test_", "rk_test_"],
        prefix_len: 8,
    },
    Detector {
        what: "Google API key",
        regex: &GOOGLE_API_KEY,
        group: 1,
        gates: &["AIz"],
        prefix_len: 4,
    },
    Detector {
        what: "npm access token",
        regex: &NPM_TOKEN,
        group: 0,
        gates: &["npm_"],
        prefix_len: 4,
    },
    Detector {
        what: "password in a URL",
        regex: &URL_PASSWORD,
        group: 1,
        gates: &["://"],
        prefix_len: 0,
    },
];

/// Scans a source for secrets and personal data. `allow` holds the
/// configured allowlist patterns.
pub fn check(source: &Source, allow: &[String], out: &mut Vec<Diagnostic>) {
    let text = source.text.as_str();
    let mut found = Found::default();
    let gated = gated(text);
    for (index, detector) in DETECTORS.iter().enumerate() {
        if !gated[index] {
            continue;
        }
        #[cfg(test)]
        REQUESTED.with(|r| r.borrow_mut().push(detector.what));
        for captures in detector.regex.captures_iter(text) {
            let Some(m) = captures.get(detector.group) else {
                continue;
            };
            if found.overlaps(m.start(), m.end()) {
                continue;
            }
            let secret = m.as_str();
            let real = match detector.what {
                "private key" => private_key_follows(&text[m.end()..]),
                "password in a URL" => !is_placeholder_password(secret),
                _ => !is_placeholder(&secret[detector.prefix_len..]),
            };
            if !real {
                continue;
            }
            let shown = if detector.what == "password in a URL" {
                "****".to_owned()
            } else if detector.what == "private key" {
                secret.to_owned()
            } else {
                redact(secret, detector.prefix_len)
            };
            found.push(Finding {
                rule: &SECRET,
                start: m.start(),
                end: m.end(),
                what: detector.what,
                shown,
            });
        }
    }
    skip_key_blocks(text, &mut found);
    random_tokens(source, &mut found);
    personal_data(text, &mut found);

    for finding in found.findings {
        let span = source.span_of(finding.start..finding.end);
        let line_text = source.line(span.line);
        let above = span.line.checked_sub(1).map_or("", |l| source.line(l));
        let matched = &text[finding.start..finding.end];
        if allowed_by_comment(line_text, finding.rule.id)
            || allowed_by_comment(above, finding.rule.id)
            || allow.iter().any(|pattern| glob_match(pattern, matched))
        {
            continue;
        }
        out.push(diagnostic(&finding, span));
    }
}

fn diagnostic(finding: &Finding, span: Span) -> Diagnostic {
    let silence = format!(
        "if it is not one, add `# pm: allow {}` to the line or the line above",
        finding.rule.id
    );
    if finding.rule.id == SECRET.id {
        Diagnostic::new(
            &SECRET,
            span,
            format!("possible {}: `{}`", finding.what, finding.shown),
        )
        .label("a credential here is published with the postmortem")
        .help(format!(
            "remove it and rotate the credential: the file's history keeps it; {silence}"
        ))
    } else {
        Diagnostic::new(
            &PERSONAL_DATA,
            span,
            format!("{} `{}`", finding.what, finding.shown),
        )
        .label("personal data is published with the postmortem")
        .help(format!(
            "name a role or a team instead of a person; {silence}"
        ))
    }
}

/// Findings so far, and the byte ranges they cover, which never overlap:
/// a match overlapping an earlier one is not reported again.
#[derive(Default)]
struct Found {
    findings: Vec<Finding>,
    /// Covered ranges by start. A lookup is a logarithmic search, so a
    /// file with tens of thousands of matches stays linear.
    covered: BTreeMap<usize, usize>,
}

impl Found {
    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.covered
            .range(..end)
            .next_back()
            .is_some_and(|(_, &covered_end)| covered_end > start)
    }

    fn cover(&mut self, start: usize, end: usize) {
        self.covered.insert(start, end);
    }

    fn push(&mut self, finding: Finding) {
        self.cover(finding.start, finding.end);
        self.findings.push(finding);
    }
}

/// Shows a secret's public prefix and a few characters at each end, the
/// rest as `*`: enough to find it again, too little to use it.
pub fn redact(secret: &str, prefix_len: usize) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let n = chars.len();
    // At most a fifth of the secret, and four characters, from each end.
    let keep = (n / 5).min(4);
    let head = keep.max(prefix_len.min(n / 2));
    let tail = keep.min(n.saturating_sub(head));
    let hidden = n - head - tail;
    let mut shown: String = chars[..head].iter().collect();
    shown.push_str(&"*".repeat(hidden.min(12)));
    shown.extend(&chars[n - tail..]);
    shown
}

/// Documentation placeholders and values with too little variety to be keys.
fn is_placeholder(value: &str) -> bool {
    has_placeholder_word(value)
        || KNOWN_EXAMPLES.iter().any(|known| value.contains(known))
        || entropy(value) < 3.0
}

fn has_placeholder_word(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    PLACEHOLDER_WORDS.iter().any(|word| lower.contains(word))
}

/// Words that mark a value as a placeholder.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "xxxx",
    "your",
    "fake",
    "changeme",
    "123456789",
    "abcdefgh",
];

/// Passwords that documentation uses for "a password goes here".
const PLACEHOLDER_PASSWORDS: &[&str] = &[
    "password", "passwd", "pass", "pwd", "pw", "secret", "changeme", "redacted", "hidden",
    "masked", "...", "…",
];

/// Local parts of addresses that belong to roles and systems, not people.
const ROLES: &[&str] = &[
    "abuse",
    "admin",
    "administrator",
    "alerts",
    "billing",
    "contact",
    "deploy",
    "devops",
    "ec2-user",
    "git",
    "help",
    "helpdesk",
    "hostmaster",
    "info",
    "mailer-daemon",
    "no-reply",
    "noreply",
    "notifications",
    "oncall",
    "on-call",
    "ops",
    "postmaster",
    "privacy",
    "root",
    "sales",
    "security",
    "sre",
    "status",
    "support",
    "team",
    "ubuntu",
    "webmaster",
];

/// Well-known examples from documentation that do not contain a telltale word.
const KNOWN_EXAMPLES: &[&str] = &[
    // jwt.io's example token (its signature)
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    // Stripe's documented test key
    "4eC39HqLyjWDarjtT1zdp7dc",
    // Azurite's (the Azure storage emulator's) published account key
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
];

fn is_placeholder_password(password: &str) -> bool {
    let lower = password.to_ascii_lowercase();
    PLACEHOLDER_PASSWORDS.contains(&lower.as_str())
        || lower.chars().all(|c| c == '*' || c == 'x' || c == '.')
        || lower.starts_with(['$', '%', '<', '{', '['])
        || has_placeholder_word(password)
}

/// A private key header is a secret when key material follows it, not when
/// a postmortem only names the header or shows `...`.
fn private_key_follows(after: &str) -> bool {
    let body: String = after
        .chars()
        .take(300)
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '|' | '>' | '-'))
        .collect();
    let body = body.replace("\\n", "");
    body.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | ':' | ','))
        .count()
        >= 20
}

/// The lines of a reported private key are part of that finding, not more:
/// they are covered, so random tokens inside are not reported.
fn skip_key_blocks(text: &str, found: &mut Found) {
    let blocks: Vec<(usize, usize)> = found
        .findings
        .iter()
        .filter(|f| f.what == "private key")
        .map(|f| {
            // A 4096-bit RSA key is about 3 KiB; looking further for the end
            // of each of many unclosed blocks would make the scan quadratic.
            let limit = (f.end + 16 * 1024).min(text.len());
            let end = text.as_bytes()[f.end..limit]
                .windows(8)
                .position(|w| w == b"-----END")
                .map_or(limit, |i| f.end + i);
            (f.end, end)
        })
        .collect();
    for (start, end) in blocks {
        found.cover(start, end);
    }
}

/// Long random-looking tokens written shortly after a word such as key,
/// token, secret or password.
fn random_tokens(source: &Source, found: &mut Found) {
    let text = source.text.as_str();
    for run in token_runs(text.as_bytes()) {
        let (token, start) = value_of_assignment(&text[run.clone()], run.start);
        let token = token.trim_end_matches('.');
        let end = start + token.len();
        if token.len() < 16
            || found.overlaps(start, end)
            || !looks_random(token)
            || text[..start].ends_with("base64,")
        {
            continue;
        }
        let mut window_start = start.saturating_sub(40).max(source.line_start(start));
        while !text.is_char_boundary(window_start) {
            window_start += 1;
        }
        if !KEYWORD.is_match(&text[window_start..start]) {
            continue;
        }
        found.push(Finding {
            rule: &SECRET,
            start,
            end,
            what: "secret",
            shown: redact(token, 0),
        });
    }
}

/// Bytes a token is made of: base64, base64url, and `~ . =`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'~' | b'.' | b'-')
}

/// Shortest run of token bytes looked at.
const TOKEN_MIN: usize = 16;

/// Every maximal run of at least [`TOKEN_MIN`] token bytes, as the regex
/// `[A-Za-z0-9+/=_~.-]{16,}` finds them. It looks at the byte 15 past
/// where a run could start: in prose that is most often a space, and the
/// 15 bytes before it are skipped unread. A regex did this at a cost of
/// 0.4 M instructions for one file, compiling it and building its states.
fn token_runs(text: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        // `from` is 0 or follows a byte that is not a token byte.
        while from + TOKEN_MIN <= text.len() {
            let probe = from + TOKEN_MIN - 1;
            if !is_token_byte(text[probe]) {
                from = probe + 1;
                continue;
            }
            let mut start = probe;
            while start > from && is_token_byte(text[start - 1]) {
                start -= 1;
            }
            let mut end = probe + 1;
            while end < text.len() && is_token_byte(text[end]) {
                end += 1;
            }
            from = end + 1;
            if end - start >= TOKEN_MIN {
                return Some(start..end);
            }
        }
        None
    })
}

/// `token=VALUE`, `API_KEY=VALUE`, `--token=VALUE`: a run of token
/// characters that is an assignment is its value, at its own offset, and
/// the name before `=` is where the keyword is looked for. Base64 padding
/// (`...==` at the end) is no assignment.
fn value_of_assignment(run: &str, start: usize) -> (&str, usize) {
    match run.find('=') {
        Some(eq) if eq > 0 && run.len() - eq > 16 && !run[eq + 1..].starts_with('=') => {
            (&run[eq + 1..], start + eq + 1)
        }
        _ => (run, start),
    }
}

/// Random-looking: varied, mixing letters and digits, neither a hex string
/// (commit hashes, digests, UUIDs) nor an identifier made of words.
fn looks_random(token: &str) -> bool {
    if token.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return false;
    }
    let has = |f: fn(&char) -> bool| token.chars().any(|c| f(&c));
    let mixed_case = has(char::is_ascii_uppercase) && has(char::is_ascii_lowercase);
    let digits = has(char::is_ascii_digit);
    let longest_mixed = token
        .split(['_', '-', '.', '/', '+', '=', '~'])
        .filter(|part| {
            part.chars().any(|c| c.is_ascii_digit())
                && part.chars().any(|c| c.is_ascii_alphabetic())
        })
        .map(str::len)
        .max()
        .unwrap_or(0);
    digits
        && (mixed_case || longest_mixed >= 12)
        && longest_mixed >= 4
        && entropy(token) >= 3.0
        && !is_placeholder(token)
}

/// Shannon entropy in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts = [0_u32; 256];
    let mut n = 0_u32;
    for byte in text.bytes() {
        counts[usize::from(byte)] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = f64::from(n);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

fn personal_data(text: &str, found: &mut Found) {
    let emails = text.contains('@').then(|| EMAIL.find_iter(text));
    for m in emails.into_iter().flatten() {
        // `user:password@host` in a URL is not an address.
        let in_url =
            text[..m.start()].ends_with([':', '/']) && !text[..m.start()].ends_with("mailto:");
        if in_url || found.overlaps(m.start(), m.end()) || !is_personal_email(m.as_str()) {
            continue;
        }
        let (local, domain) = m.as_str().split_once('@').unwrap_or((m.as_str(), ""));
        let first: String = local.chars().take(1).collect();
        found.push(Finding {
            rule: &PERSONAL_DATA,
            start: m.start(),
            end: m.end(),
            what: "email address",
            shown: format!("{first}***@{domain}"),
        });
    }
    let international = text.contains('+').then(|| &*PHONE_INTERNATIONAL);
    // Once compiled for one file, the pattern is cheaper to run than the scan.
    let north_american = (PHONE_NORTH_AMERICA_READY.load(std::sync::atomic::Ordering::Relaxed)
        || has_phone_tail(text))
    .then(|| {
        PHONE_NORTH_AMERICA_READY.store(true, std::sync::atomic::Ordering::Relaxed);
        &*PHONE_NORTH_AMERICA
    });
    for regex in international.into_iter().chain(north_american) {
        for m in regex.find_iter(text) {
            let (start, end) = (m.start(), m.end());
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            // Part of a longer number, an identifier or a time.
            let glued = before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '+')
                || after.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-'));
            if glued || found.overlaps(start, end) || !is_personal_phone(m.as_str()) {
                continue;
            }
            found.push(Finding {
                rule: &PERSONAL_DATA,
                start,
                end,
                what: "phone number",
                shown: redact_digits(m.as_str()),
            });
        }
    }
}

/// Domains reserved for documentation (RFC 2606, RFC 6761).
fn is_documentation_domain(domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    ["example.com", "example.org", "example.net"]
        .iter()
        .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
        || [".example", ".test", ".invalid", ".localhost", ".local"]
            .iter()
            .any(|tld| domain.ends_with(tld))
}

fn is_personal_email(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let local = local.to_ascii_lowercase();
    !is_documentation_domain(domain)
        && !ROLES.contains(&local.as_str())
        && !local.ends_with("-team")
        && !local.ends_with("-oncall")
        // `logo@2x.png`: a file name, not an address.
        && ![".png", ".jpg", ".svg", ".gif"]
            .iter()
            .any(|ext| domain.to_ascii_lowercase().ends_with(ext))
}

fn is_personal_phone(number: &str) -> bool {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if !(10..=15).contains(&digits.len()) {
        return false;
    }
    let first = digits.chars().next().unwrap_or('0');
    let fictional = digits.len() >= 7 && digits[digits.len() - 7..].starts_with("55501");
    !(fictional
        || digits.chars().all(|c| c == first)
        || digits.contains("1234567")
        || digits.contains("0000000"))
}

/// Every digit but the last two as `*`.
fn redact_digits(number: &str) -> String {
    let total = number.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    number
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen <= total.saturating_sub(2) {
                    return '*';
                }
            }
            c
        })
        .collect()
}

/// Whether a detector's fixed part occurs in the text at all: most texts
/// hold no credential, and then its pattern is neither compiled nor run.
/// Every detector's gates, found in one pass over the text.
static GATES: LazyLock<Gates> = LazyLock::new(|| {
    Gates::new(
        DETECTORS
            .iter()
            .enumerate()
            .flat_map(|(index, d)| d.gates.iter().map(move |g| (*g, index))),
        DETECTORS.len(),
    )
});

#[cfg(test)]
thread_local! {
    /// Detectors run on this thread: a test-only count of the patterns a
    /// text made pm compile (or reuse).
    static REQUESTED: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Which detectors' gates occur in the text, in one pass over it.
fn gated(text: &str) -> Vec<bool> {
    let mut hit = GATES.hits(text.as_bytes(), false);
    if let Some(url) = DETECTORS.iter().position(|d| d.what == "password in a URL")
        && hit[url]
    {
        hit[url] = GATES
            .positions(text.as_bytes(), url)
            .into_iter()
            .any(|at| has_url_password(&text[at..]));
    }
    hit
}

/// Whether a URL at `://` has `user:password@` before its path: the
/// authority, up to ASCII whitespace or one of `/ ? # ' < >` and the
/// backtick, holds a `:`
/// with an `@` after it. The pattern stops at any whitespace, so this
/// never stops before it does.
fn has_url_password(from_scheme: &str) -> bool {
    let authority = from_scheme.as_bytes()[3..]
        .iter()
        .take_while(|b| {
            !b.is_ascii_whitespace()
                && !matches!(b, b'/' | b'?' | b'#' | b'\'' | b'`' | b'<' | b'>' | 0x0b)
        })
        .copied();
    let mut colon = false;
    for b in authority {
        match b {
            b':' => colon = true,
            b'@' if colon => return true,
            _ => {}
        }
    }
    false
}

/// Set once `PHONE_NORTH_AMERICA` has been compiled in this process.
static PHONE_NORTH_AMERICA_READY: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Whether the text has `ddd-dddd` (or with `.` or a space), the end of
/// every North American number: compiling that pattern costs more than
/// checking a whole postmortem, and most postmortems hold no phone number.
///
/// Every such tail holds four digits in a row, so one of them is at an
/// offset of the form `4k + 3`: only those bytes are read, and a digit
/// there is looked at in the 11 bytes around it (the 7 before reach the
/// tail's start, the 3 after its end).
fn has_phone_tail(text: &str) -> bool {
    let bytes = text.as_bytes();
    (3..bytes.len()).step_by(4).any(|probe| {
        bytes[probe].is_ascii_digit()
            && has_phone_tail_in(&bytes[probe.saturating_sub(7)..(probe + 4).min(bytes.len())])
    })
}

/// `has_phone_tail` by reading every byte.
fn has_phone_tail_in(bytes: &[u8]) -> bool {
    let mut digits = 0;
    for (at, byte) in bytes.iter().enumerate() {
        if byte.is_ascii_digit() {
            digits += 1;
            continue;
        }
        if digits >= 3
            && matches!(byte, b'-' | b'.' | b' ')
            && bytes
                .get(at + 1..at + 5)
                .is_some_and(|four| four.iter().all(u8::is_ascii_digit))
        {
            return true;
        }
        digits = 0;
    }
    false
}

/// `# pm: allow secret` or `# pm: allow secret, personal-data` on a line.
fn allowed_by_comment(line: &str, rule: &str) -> bool {
    if !line.contains("pm:") {
        return false;
    }
    ALLOW_COMMENT.captures_iter(line).any(|c| {
        c.get(1)
            .is_some_and(|ids| ids.as_str().split(',').any(|id| id.trim() == rule))
    })
}

/// Matches `text` against a pattern where `*` stands for any run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// The source text with every sensitive finding's span masked, for
/// emitters that show source lines. Byte offsets are kept, so the spans of
/// other findings still apply.
pub fn masked_text(source: &Source, diagnostics: &[Diagnostic]) -> Option<String> {
    let mut ranges: Vec<_> = diagnostics
        .iter()
        .filter(|d| is_sensitive(d.rule))
        .map(|d| source.byte_range(d.span))
        .collect();
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_by_key(|r| r.start);
    let text = &source.text;
    let mut masked = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        let start = range.start.max(at);
        if start >= range.end {
            continue;
        }
        masked.push_str(&text[at..start]);
        masked.push_str(&"*".repeat(range.end - start));
        at = range.end;
    }
    masked.push_str(&text[at..]);
    Some(masked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<(String, String)> {
        let source = Source::new("t.yaml", text);
        let mut out = Vec::new();
        check(&source, &[], &mut out);
        out.into_iter()
            .map(|d| (d.rule.id.to_owned(), d.message))
            .collect()
    }

    fn fires(text: &str, rule: &str) {
        let found = scan(text);
        assert!(
            found.iter().any(|(id, _)| id == rule),
            "expected {rule} in {text:?}, got {found:?}"
        );
    }

    /// The findings of a scan and the detectors it ran.
    fn requested(text: &str) -> (Vec<(String, String)>, Vec<&'static str>) {
        REQUESTED.with(|r| r.borrow_mut().clear());
        let found = scan(text);
        (found, REQUESTED.with(|r| r.borrow().clone()))
    }

    #[test]
    fn a_gate_letter_without_its_prefix_runs_no_detector() {
        // "high" has `gh` and `root_cause` an underscore: the old GitHub
        // gate ran the pattern on most postmortems.
        for text in [
            "root_cause: latency was high after the deploy\n",
            "timezone: Asia/Tokyo\nlinks:\n  - https://status.example.com/incidents/42\n",
            "text: the SG team and npm install; AI and xo-x, ask_me\n",
        ] {
            assert_eq!(requested(text), (vec![], vec![]), "{text}");
        }
        // With the prefix, the detector runs and finds what it found before.
        let (found, ran) =
            requested("text: token ghp_aB3dE6gH9jK2mN5pQ8rS1tU4vW7xY0zA3bC6 leaked\n");
        assert_eq!(ran, ["GitHub token"]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("GitHub token"), "{found:?}");
        let (found, ran) = requested("text: db at postgres://app:s3cr3tP4ss@db.internal/orders\n");
        assert_eq!(ran, ["password in a URL"]);
        assert_eq!(found.len(), 1, "{found:?}");
    }

    proptest::proptest! {
        /// The URL gate never refuses a text the URL pattern matches.
        #[test]
        fn the_url_gate_lets_every_url_password_through(
            text in "[a-z]{1,3}://[a-z:@/ ?#'`<>\t\u{a0}]{0,12}[a-z]{0,2}",
        ) {
            if URL_PASSWORD.is_match(&text) {
                let at = text.find("://").expect("the pattern has `://`");
                proptest::prop_assert!(has_url_password(&text[at..]), "{:?}", text);
            }
        }
    }

    fn quiet(text: &str) {
        let found = scan(text);
        assert!(
            found.is_empty(),
            "expected nothing in {text:?}, got {found:?}"
        );
    }

    #[test]
    fn redaction_keeps_the_ends_only() {
        assert_eq!(redact("AKIAZ7VRSQ5TLPKU4MPLE", 4), "AKIA************MPLE");
        assert_eq!(redact("AKIAZ7VRSQ5TLPKU4MPL", 4), "AKIA************4MPL");
        assert_eq!(redact("hunter2", 0), "h*****2");
        assert_eq!(redact("ab", 0), "**");
        let jwt = format!("eyJ{}", "a1".repeat(100));
        assert_eq!(
            redact(&jwt, 3).len(),
            20,
            "long secrets show 12 stars at most"
        );
        assert_eq!(redact_digits("+1 415 555 2671"), "+* *** *** **71");
    }

    #[test]
    fn real_credentials_fire_and_are_never_quoted_whole() {
        // (text, the part of it that is secret)
        let cases = [
            ("key: AKIAZ7VRSQ5TLPKU4M2B", "Z7VRSQ5TLPKU4M2B"),
            (
                "text: token ghp_R8x2Lq9ZcVb4Nw7Ty1Ks5Pd3Fg6Hj0Mn2Xa8",
                "R8x2Lq9ZcVb4Nw7Ty1Ks5Pd3Fg6Hj0Mn2Xa8",
            ),
            (
                "text: gho_16C7e42F292c6912E7710c838347Ae178B4a",
                "16C7e42F292c6912E7710c838347Ae178B4a",
            ),
            (
                "pat: github_pat_11ABCDEFG0Qx7Rb2Kp9LmN3_x8Zv1Yq4Wt6Us2Rp0On9Ml7Kj5Ih3Gf1Ed8Cb6Az4Yx2Wv0Ut",
                "11ABCDEFG0Qx7Rb2Kp9LmN3_x8Zv1Yq4Wt6Us2Rp0On9Ml7Kj5Ih3Gf1Ed8Cb6Az4Yx2Wv0Ut",
            ),
            (
                "text: GitLab token glpat-x8Rt2Vb9Kq4Lm7Np1Zs3W",
                "x8Rt2Vb9Kq4Lm7Np1Zs3W",
            ),
            (
                "text: the bot used xoxb-2048151234-3345678901234-Qw8Er7Ty6Ui5Op4As3Df2",
                "2048151234-3345678901234-Qw8Er7Ty6Ui5Op4As3Df2",
            ),
            (
                "url: https://hooks.slack.com/services/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b",
                "0A1B2C3D/B0Z9Y8X7W/k8Jm2Nq4Pr6St8Uv0Wx2Yz4Ab",
            ),
            (
                "text: Authorization was eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMtYm90In0.Qm9vbXRoZXJlX2lzX2FfcmVhbF9zaWc",
                "hbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMtYm90In0.Qm9vbXRoZXJlX2lzX2FfcmVhbF9zaWc",
            ),
            (
                "text: DATABASE_URL=postgres://app:S3cr3tP4ss@db.internal:5432/app",
                "S3cr3tP4ss",
            ),
            (
                "config: aws_secret_access_key = Zk8Qp2Lr5Vt9Wx3Yb7Nc1Md4Fg6Hj0Ks2Pa8Re5",
                "Zk8Qp2Lr5Vt9Wx3Yb7Nc1Md4Fg6Hj0Ks2Pa8Re5",
            ),
            (
                "text: the API key was sk_live_51Hx8Qp2Lr5Vt9Wx3Yb7Nc1Md4Fg",
                "51Hx8Qp2Lr5Vt9Wx3Yb7Nc1Md4Fg",
            ),
        ];
        for (text, secret) in cases {
            let found = scan(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].0, "secret", "{text}");
            // No run of 6 characters of the secret survives in the message.
            for window in secret.as_bytes().windows(6) {
                let window = std::str::from_utf8(window).expect("ASCII");
                assert!(
                    !found[0].1.contains(window),
                    "{text}: `{window}` shown in {}",
                    found[0].1
                );
            }
        }
    }

    #[test]
    fn private_keys_fire_on_key_material_only() {
        fires(
            "text: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEowIBAAKCAQEAx8Jk2mQp9LzR4vTnYw3b\n  Kq4Lm7Np1Zs3W8Rt2Vb9Kq4Lm7Np1Zs3W8Rt\n  -----END RSA PRIVATE KEY-----\n",
            "secret",
        );
        let found = scan(
            "text: |\n  -----BEGIN OPENSSH PRIVATE KEY-----\n  b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n  QyNTUxOQAAACB8xJk2mQp9LzR4vTnYw3bKq4Lm7Np1Zs3W8Rt2Vb9Kq4Lm7Np1Zs3W8Rt2\n  -----END OPENSSH PRIVATE KEY-----\n",
        );
        assert_eq!(found.len(), 1, "one finding per key block: {found:?}");
        quiet("text: grep the repo for -----BEGIN RSA PRIVATE KEY----- ... and found none\n");
        quiet("text: |\n  -----BEGIN PRIVATE KEY-----\n  ...\n  -----END PRIVATE KEY-----\n");
    }

    #[test]
    fn near_misses_do_not_fire() {
        for text in [
            // AWS's own documentation placeholders
            "key: AKIAIOSFODNN7EXAMPLE",
            "secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            // commit hashes and digests, even next to the word "key"
            "text: the key rotation was reverted in 3f786850e387550fdab836ed7e6dc881de23001b",
            "text: token cache image sha256:9b2a3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809",
            // UUIDs
            "text: secret id 123e4567-e89b-12d3-a456-426614174000",
            // identifiers and names near the words
            "text: the token_bucket_rate_limiter2 in ReplicationLagThresholdSeconds",
            "text: Kubernetes secret api-7d9f8b6c5-x2k4m was recreated",
            "text: password reset emails for us-east-1.amazonaws.com/prod2023 failed",
            // placeholders
            "text: export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "text: set token ghp_YOUR_TOKEN_GOES_HERE_0000000000000000",
            "url: postgres://user:password@localhost:5432/db",
            "url: postgres://user:password@db.internal.corp.com:5432/db",
            "url: https://admin:${DB_PASSWORD}@db.internal/",
            "url: https://user:****@host/",
            "text: jwt.io's eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            // a timeline entry with nothing sensitive
            "at: 2023-09-10 16:15 +01:00\ntext: Slack alert in #incidents at 16:15; https://status.example.com/incidents/42",
            "text: key rotation is monthly, see https://wiki.internal/runbooks/rotate-keys-2023",
        ] {
            quiet(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn token_runs_are_what_the_regex_finds(
            picks in proptest::collection::vec((0..6usize, 0..40usize), 0..24)
        ) {
            const PIECES: [&str; 6] = [" ", "a", "Z9+/=", "_~.-", "é", "\n"];
            let text: String = picks
                .iter()
                .map(|&(piece, times)| PIECES[piece].repeat(times))
                .collect();
            let regex = regex::Regex::new(r"(?-u)[A-Za-z0-9+/=_~.-]{16,}").expect("compiles");
            let expected: Vec<_> = regex.find_iter(&text).map(|m| m.range()).collect();
            let found: Vec<_> = token_runs(text.as_bytes()).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn personal_data_is_found_and_documentation_is_not() {
        fires("text: reported by jane.doe@gmail.com", "personal-data");
        fires("text: call Jane on +44 20 7946 0018", "personal-data");
        fires("text: call (415) 867-5309 after hours", "personal-data");
        fires("text: call 415-867-5309 after hours", "personal-data");
        for text in [
            "text: write to ops-team@corp.com or support@corp.com",
            "text: jane@example.com and bob@mail.example.org",
            "text: git@github.com:org/repo.git",
            "text: the fictional (415) 555-0123",
            "text: call 123-456-7890",
            "at: 2023-09-10 16:15 +01:00",
            "text: 10.0.0.1 and 192.168.100.200 and v1.2.3",
            "text: 2023-09-10 between 16:00 and 18:30, ids 20230910160000 and 1694361600",
            "text: logo@2x.png and lodash@4.17.21",
        ] {
            quiet(text);
        }
    }

    #[test]
    fn the_phone_pattern_is_only_run_on_texts_with_a_phone_tail() {
        for text in [
            "415-867-5309",
            "(415) 867-5309",
            "x 415.867.5309 y",
            "867 5309",
        ] {
            assert!(has_phone_tail(text), "{text}");
        }
        for text in [
            "2023-09-10 16:40",
            "10.0.0.1 192.168.100.200",
            "+44 20 7946",
            "12-3456",
        ] {
            assert!(!has_phone_tail(text), "{text}");
        }
    }

    proptest::proptest! {
        /// Reading every fourth byte finds what reading every byte finds.
        #[test]
        fn the_phone_tail_is_found_as_by_reading_every_byte(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "5", "55", "555", "1234", "-", ".", " ", "a", "+1 ", "(", ")", "é",
            ]), 0..30)
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(has_phone_tail(&text), has_phone_tail_in(text.as_bytes()));
        }
    }

    #[test]
    fn comments_and_the_allowlist_silence_findings() {
        quiet("key: AKIAZ7VRSQ5TLPKU4M2B  # pm: allow secret");
        quiet("# pm: allow secret, personal-data\nkey: AKIAZ7VRSQ5TLPKU4M2B jane.doe@gmail.com");
        fires(
            "# pm: allow personal-data\nkey: AKIAZ7VRSQ5TLPKU4M2B",
            "secret",
        );
        fires("# pm: allow secret\n\nkey: AKIAZ7VRSQ5TLPKU4M2B", "secret");
        let source = Source::new("t.yaml", "a: AKIAZ7VRSQ5TLPKU4M2B jane.doe@gmail.com\n");
        let mut out = Vec::new();
        check(
            &source,
            &["AKIAZ7VRSQ5*".to_owned(), "*@gmail.com".to_owned()],
            &mut out,
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn globs() {
        assert!(glob_match("a*c", "abbbc"));
        assert!(glob_match("*@corp.com", "x@corp.com"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
        assert!(!glob_match("a*b*c", "acb"));
        assert!(glob_match("a*b*c", "a-b-c"));
        assert!(!glob_match("ab*ba", "aba"));
    }

    #[test]
    fn findings_point_at_the_secret() {
        let source = Source::new("t.yaml", "title: x\ntext: \"é key AKIAZ7VRSQ5TLPKU4M2B\"\n");
        let mut out = Vec::new();
        check(&source, &[], &mut out);
        assert_eq!(
            out[0].span,
            Span {
                line: 2,
                column: 14,
                len: 20
            }
        );
        let masked = masked_text(&source, &out).expect("masked");
        assert_eq!(masked, "title: x\ntext: \"é key ********************\"\n");
    }

    /// The secret's name, and that no six characters of `secret` show.
    fn fires_once_hidden(text: &str, secret: &str, what: &str) {
        let found = scan(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].0, "secret", "{text}");
        assert!(found[0].1.contains(what), "{text}: {}", found[0].1);
        for window in secret.as_bytes().windows(6) {
            let window = std::str::from_utf8(window).expect("ASCII");
            assert!(
                !found[0].1.contains(window),
                "{text}: `{window}` shown in {}",
                found[0].1
            );
        }
    }

    #[test]
    fn keywords_joined_by_equals_are_caught() {
        for (text, secret) in [
            (
                "text: ran token=qsR6RZ24lPoQj3oPUlieI2nV",
                "qsR6RZ24lPoQj3oPUlieI2nV",
            ),
            (
                "text: API_KEY=sbBi1RMar1jf3YZ4Zq0CVB8iY4qw in .env",
                "sbBi1RMar1jf3YZ4Zq0CVB8iY4qw",
            ),
            (
                "text: PASSWORD=2oF5WJKBQx4BOuPhw0MZOqSCJNViCRUC",
                "2oF5WJKBQx4BOuPhw0MZOqSCJNViCRUC",
            ),
            (
                "text: db_password=IlsmlHwqxDqMrz4iKFJp was logged",
                "IlsmlHwqxDqMrz4iKFJp",
            ),
            (
                "text: secretKey=Kp4mSxieBPO9DyaUB73cojFZS1COqk",
                "Kp4mSxieBPO9DyaUB73cojFZS1COqk",
            ),
            (
                "text: deploy --token=UAV3q4WZwmT2OxHTQi5TMpUFn3 --prod",
                "UAV3q4WZwmT2OxHTQi5TMpUFn3",
            ),
            (
                "text: export GITHUB_TOKEN=NcLSLcwLUKvlsmkYRJh5ok",
                "NcLSLcwLUKvlsmkYRJh5ok",
            ),
            (
                "text: GET /v1/items?access_token=eBPMJZIScC0vPfHaithAt6rKMSe8EHx21cauvjFJ&x=1",
                "eBPMJZIScC0vPfHaithAt6rKMSe8EHx21cauvjFJ",
            ),
            // The forms that were caught before still are.
            (
                "text: token = qsR6RZ24lPoQj3oPUlieI2nV",
                "qsR6RZ24lPoQj3oPUlieI2nV",
            ),
            (
                "text: 'token: qsR6RZ24lPoQj3oPUlieI2nV'",
                "qsR6RZ24lPoQj3oPUlieI2nV",
            ),
            (
                "text: --token qsR6RZ24lPoQj3oPUlieI2nV",
                "qsR6RZ24lPoQj3oPUlieI2nV",
            ),
        ] {
            fires_once_hidden(text, secret, "possible secret");
        }
    }

    /// Families of gitleaks' rules (`cmd/generate/config/rules/*.go`), each
    /// caught by its own prefix, without a keyword near it.
    #[test]
    fn credential_families_are_caught_by_their_own_prefixes() {
        for (text, secret, what) in [
            (
                "text: 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",
                "8CALeWusH2BH2ETFK2AS2e.OY6lifaNy59XQhL3rsgoVuBNMXLeSqmU_43fSLqgPvq",
                "SendGrid API key",
            ),
            (
                // One of gitleaks' own true positives for openai-api-key.
                "text: 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",
                "SevzWEV_NmNnMndQ5gn6PjFcX_9ay5SEKse8AL0EuYAB0cIgFW7Equ3vCbUbYShvii6L3rBw3WT3BlbkFJdD9FqO9Z3BoBu9F-KFR6YJtvW6fUfqg2o2Lfel3diT3OCRmBB24hjcd_uLEjgr9tCqnnerVw8A",
                "OpenAI API key",
            ),
            (
                "text: 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",
                "JWARXiHjpLXSh6W_0pFGb3sW7yr0cKheXXtWGMY0Q8kbBNqsxLskJy0LCOT3BlbkFJgTJWgjMvdi6YlPvdXRqmSlZ4dLK",
                "OpenAI API key",
            ),
            (
                "text: 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",
                "EK5VdfqnajIut19HnB7JT3BlbkFJsanO4fVhPi9eJyOnukbk",
                "OpenAI API key",
            ),
            (
                "text: DefaultEndpointsProtocol=https;AccountName=prodlogs;AccountKey=xghD3w0k+togSgwl2N1MFHK1KJBmkugpGtCNmn/4nf1r9D9QUpa+lmI5b1rarFSt23cTUQSynsuv2h3p+0AtWc==;EndpointSuffix=core.windows.net",
                "xghD3w0k+togSgwl2N1MFHK1KJBmkugpGtCNmn/4nf1r9D9QUpa+lmI5b1rarFSt23cTUQSynsuv2h3p+0AtWc==",
                "Azure storage account key",
            ),
            (
                "text: charged with sk_live_zYzv6BzsfJpzk19MWJdYDCgI",
                "zYzv6BzsfJpzk19MWJdYDCgI",
                "Stripe API key",
            ),
            (
                "text: rk_live_2WGUCVj5XJcJUmbpBcFr5BcX",
                "2WGUCVj5XJcJUmbpBcFr5BcX",
                "Stripe API key",
            ),
            (
                "text: maps used AIzaSy6Zu4A3YhYZCy2Aeec5YZq6l-_5kbh_wEo.",
                "Sy6Zu4A3YhYZCy2Aeec5YZq6l-_5kbh_wEo",
                "Google API key",
            ),
            (
                // gitleaks' true positive with a non-word character at the end.
                "text: AIzaSyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-",
                "SyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-",
                "Google API key",
            ),
            (
                "text: published with npm_bAS7J3nDEcA1cmrUZFH9jjjY0UblKeskSE9m",
                "bAS7J3nDEcA1cmrUZFH9jjjY0UblKeskSE9m",
                "npm access token",
            ),
        ] {
            fires_once_hidden(text, secret, what);
        }
    }

    #[test]
    fn look_alikes_of_the_new_families_and_forms_do_not_fire() {
        for text in [
            // Commit hashes, digests and UUIDs as values of a keyword.
            "text: key=9fceb02d0ae598e95dc970b74767f19372d61af8",
            "text: cache_key=sha256:9b2a3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809",
            "text: token_id=3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "text: digest=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            // Base64 image data, even after the word key.
            "text: key_image=data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
            // Base64 padding is no assignment.
            "text: token cache iVBORw0KGgo== evicted",
            // gitleaks' false positives for gcp-api-key: too long, wrong case, low entropy.
            "text: AIzaTesb6Tscfcni8vIpWZqNCXFDFslJtVSvFDqabcd123",
            "text: AIZASYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O",
            "text: apiKey: \"AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
            // Azurite's published development key.
            "text: AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            "text: AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net",
            // Words that share the prefixes.
            "text: the SG.team and sk-learn and npm_install_hook and rk_live_rollout",
            "text: flag=enable_dark_mode_for_all_users",
        ] {
            quiet(text);
        }
    }
}
