//! The one error type of the crate: every failure lands in exactly one [`ErrorKind`].

use std::fmt;

use crate::codes::Code;
use crate::operation::Operation;

/// What went wrong, in the classes a caller reacts to differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The input broke a rule of the API page; nothing was sent.
    Validation,
    /// AICC answered with a non-success return code (`retCode`/`resultCode`).
    Api,
    /// AICC (or a proxy in front of it) answered with an unexpected HTTP status.
    Http,
    /// Credentials were refused (HTTP 401/403) or could not be obtained.
    Auth,
    /// The request could not be sent or the connection broke before an answer.
    Network,
    /// No answer arrived within the timeout.
    Timeout,
    /// An answer arrived but could not be read (empty, HTML, truncated, wrong types).
    Decode,
    /// The caller aborted the call (its `signal`).
    Aborted,
}

impl ErrorKind {
    /// The kind's name as the JS `AiccError.kind` string.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Api => "api",
            ErrorKind::Http => "http",
            ErrorKind::Auth => "auth",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
            ErrorKind::Aborted => "aborted",
        }
    }
}

/// A failure of one operation. Its message never contains a secret, a token or a signature.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Error {
    /// The class of failure.
    pub kind: ErrorKind,
    /// The operation that failed.
    pub operation: Operation,
    /// For validation errors: the request field that broke a rule (wire name, e.g. `callBackUrl`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// For validation errors: the rule that was broken, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// For API errors: the return code, decoded from the page's tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Box<Code>>,
    /// The HTTP status, where an answer arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Whether sending the same request again can help.
    pub retryable: bool,
    /// True when the request may have reached AICC and its effect is unknown (createCall only).
    pub outcome_unknown: bool,
    /// A readable explanation, without secrets.
    pub message: String,
    /// How many attempts were made before giving up (0 for validation errors).
    pub attempts: u32,
    /// For a rate-limit refusal (429) of a gateway: how long to wait before the next call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u32>,
    /// For a createCall whose outcome is unknown: what is needed to find out whether it was placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<Box<CallAttempt>>,
    /// What the runtime threw, for network errors (the JS `cause`): opaque to the core.
    #[serde(skip)]
    pub cause: Option<Cause>,
}

/// A value the runtime gave as the reason of a failure (a JS `Error`), carried without being looked at.
#[derive(Clone)]
pub struct Cause(pub std::rc::Rc<dyn std::any::Any>);

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cause(..)")
    }
}

impl PartialEq for Cause {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Cause {}

/// The createCall attempt behind an outcome-unknown error: enough to look the call up in the call records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallAttempt {
    /// The agent-side number.
    pub caller: String,
    /// The customer number.
    pub called: String,
    /// When the request was first sent, in milliseconds since the Unix epoch.
    pub sent_at_ms: i64,
}

impl Error {
    fn new(kind: ErrorKind, operation: Operation, message: String) -> Self {
        Error {
            kind,
            operation,
            field: None,
            rule: None,
            code: None,
            status: None,
            retryable: false,
            outcome_unknown: false,
            message,
            attempts: 0,
            retry_after_ms: None,
            call: None,
            cause: None,
        }
    }

    /// A request field broke a rule; the message names both, never the value.
    pub fn validation(operation: Operation, field: &'static str, rule: impl Into<String>) -> Self {
        let rule = rule.into();
        let mut e = Error::new(ErrorKind::Validation, operation, format!("{field} {rule}"));
        e.field = Some(field);
        e.rule = Some(rule);
        e
    }

    /// AICC refused the request with a return code.
    pub fn api(operation: Operation, code: Code, server_message: Option<&str>) -> Self {
        let mut message = format!("AICC return code {} ({}): {}", code.code, code.name, code.message);
        if let Some(text) = server_message.map(str::trim).filter(|t| !t.is_empty()) {
            message.push_str(&format!(" (server said: {})", truncate(text, RAW_TEXT_CHARS)));
        }
        let mut e = Error::new(ErrorKind::Api, operation, message);
        e.retryable = code.retryable;
        e.code = Some(Box::new(code));
        e.status = Some(200);
        e
    }

    /// An unexpected HTTP status; [`RETRYABLE_STATUSES`] are retryable.
    pub fn http(operation: Operation, status: u16) -> Self {
        let mut e = Error::new(ErrorKind::Http, operation, http_message(status, true));
        e.status = Some(status);
        e.retryable = RETRYABLE_STATUSES.contains(&status);
        e
    }

    /// Credentials were refused or could not be obtained.
    pub fn auth(operation: Operation, status: Option<u16>, message: impl Into<String>) -> Self {
        let mut e = Error::new(ErrorKind::Auth, operation, message.into());
        e.status = status;
        e
    }

    /// The request could not be completed on the network; `detail` must not contain secrets.
    pub fn network(operation: Operation, detail: &str) -> Self {
        // What fetch says when it reached nothing: Chromium, Firefox, Safari, Node.
        const UNREACHED: [&str; 4] = ["Failed to fetch", "NetworkError", "Load failed", "fetch failed"];
        let hint = if UNREACHED.iter().any(|m| detail.contains(m)) { UNREACHED_HINT } else { "" };
        let mut e = Error::new(ErrorKind::Network, operation, format!("network error: {}{hint}", truncate(detail, RAW_TEXT_CHARS)));
        e.retryable = true;
        e
    }

    /// No answer within `timeout_ms`.
    pub fn timeout(operation: Operation, timeout_ms: u32) -> Self {
        let mut e = Error::new(ErrorKind::Timeout, operation, format!("no answer within {timeout_ms} ms"));
        e.retryable = true;
        e
    }

    /// An answer that could not be read (cut short, empty, HTML); asking again can help. `what` says what was
    /// wrong with it.
    pub fn decode(operation: Operation, status: u16, what: impl Into<String>) -> Self {
        let mut e = Error::new(ErrorKind::Decode, operation, format!("unreadable answer: {}", what.into()));
        e.status = Some(status);
        e.retryable = true;
        e
    }

    /// The caller aborted the call (for an operation with an effect whose request was already on its way, the
    /// client marks it with [`Error::with_outcome_unknown`]).
    pub fn aborted(operation: Operation) -> Self {
        Error::new(ErrorKind::Aborted, operation, "aborted by the caller's signal".to_string())
    }

    /// Marks an error of a request that may have reached AICC: its effect is unknown and it must not be retried.
    pub fn with_outcome_unknown(mut self) -> Self {
        const WARNING: &str = "; the call may or may not have been placed: check before trying again (resolveOutcome)";
        if let (ErrorKind::Http, Some(status)) = (self.kind, self.status) {
            // Only what to do now: check, never "try again later" (the server's own text stays).
            self.message = self.message.replacen(&http_message(status, true), &http_message(status, false), 1);
        }
        if !self.message.ends_with(WARNING) {
            self.message.push_str(WARNING);
        }
        self.outcome_unknown = true;
        self.retryable = false;
        self
    }

    /// Removes every secret from the error's texts, then cuts them to their final length: scrubbing first, so
    /// that a secret cut in half by the length limit cannot slip through. Secrets shorter than 4 characters
    /// are ignored (they would match ordinary words).
    pub fn scrubbed<S: AsRef<str>>(mut self, secrets: &[S]) -> Self {
        let scrubber = Scrubber::new(secrets);
        self.message = scrubber.scrub(&self.message);
        self.rule = self.rule.map(|rule| scrubber.scrub(&rule));
        if let Some(code) = self.code.as_mut() {
            code.code = scrubber.scrub(&code.code);
        }
        self.message = truncate(&self.message, MAX_MESSAGE_CHARS);
        self.rule = self.rule.map(|rule| truncate(&rule, MAX_RULE_CHARS));
        if let Some(code) = self.code.as_mut() {
            code.code = code.code.chars().take(crate::codes::MAX_CODE_CHARS).collect();
        }
        self
    }

    /// The return code as AICC sent it, if this is an API error.
    pub fn ret_code(&self) -> Option<&str> {
        self.code.as_ref().map(|c| c.code.as_str())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// What an HTTP status means, and what to do about it (left out when the outcome is unknown: check first).
fn status_hint(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("bad request", ": check the path and parameters"),
        401 => ("unauthorized", ""),
        403 => ("forbidden", ": check the credentials and the IP trustlist"),
        404 => ("not found", ": check the base URL and path"),
        418 | 429 => ("rate limited", ": slow down"),
        500 => ("business failure", ": check the parameter values"),
        502..=504 => ("gateway unavailable", ": try again later"),
        _ => ("", ""),
    }
}

/// "the server answered HTTP 502 (gateway unavailable: try again later)", the advice only `with_advice`.
fn http_message(status: u16, with_advice: bool) -> String {
    match status_hint(status) {
        ("", _) => format!("the server answered HTTP {status}"),
        (meaning, advice) => format!("the server answered HTTP {status} ({meaning}{})", if with_advice { advice } else { "" }),
    }
}

/// The likely causes when fetch reached nothing.
const UNREACHED_HINT: &str = " (the server could not be reached: it is down or its address is wrong, or, from a browser page, \
the page's origin is not allowed by the server's CORS: a gateway's cors.origins, ALLOWED_ORIGINS in the example worker)";

/// HTTP statuses that mean "try again later": rate limited (429), or a gateway in front of AICC unavailable.
pub const RETRYABLE_STATUSES: [u16; 4] = [429, 502, 503, 504];

/// `text` with every secret (of 4 characters or more) replaced.
pub fn scrub_text<S: AsRef<str>>(text: &str, secrets: &[S]) -> String {
    Scrubber::new(secrets).scrub(text)
}

/// Scrubs text after text with the same few secrets (a gateway, every answer): the server build keeps its
/// [`Scrubber`], whose pieces are cut and sorted once, for as long as the secrets are the same.
#[derive(Default)]
pub struct ScrubCache {
    #[cfg(feature = "server")]
    last: std::cell::RefCell<Option<Scrubber>>,
}

impl ScrubCache {
    /// `text` with every secret (of 4 characters or more) replaced, as [`scrub_text`].
    pub fn scrub(&self, text: &str, secrets: Vec<String>) -> String {
        #[cfg(feature = "server")]
        if let Ok(mut last) = self.last.try_borrow_mut() {
            if last.as_ref().is_some_and(|scrubber| scrubber.secrets != secrets) {
                *last = None;
            }
            return last.get_or_insert_with(|| Scrubber::of(secrets)).scrub(text);
        }
        scrub_text(text, &secrets)
    }
}

/// How many characters of a secret in a row give it away: any run this long of a secret is redacted.
pub const SECRET_PIECE_CHARS: usize = 8;

/// A browser client holds no secret of the server's, only the page's own token: whole occurrences of it are
/// enough there (and keep the browser's payload small). The gateway, which holds the secrets, uses the full
/// [`Scrubber`] of the server build.
#[cfg(not(feature = "server"))]
struct Scrubber<'a, S>(&'a [S]);

#[cfg(not(feature = "server"))]
impl<'a, S: AsRef<str>> Scrubber<'a, S> {
    fn new(secrets: &'a [S]) -> Self {
        Scrubber(secrets)
    }

    fn scrub(&self, text: &str) -> String {
        self.0.iter().map(AsRef::as_ref).filter(|s| s.len() >= 4).fold(text.to_string(), |t, secret| t.replace(secret, REDACTED))
    }
}

/// Finds secrets in a text however they are written: whole, cut (any [`SECRET_PIECE_CHARS`] of them in a row,
/// so a clipped or partly echoed secret is caught too) and JSON-escaped (`\\/`, `\\u0061`: the text is read as
/// a JSON string would decode it, and the raw characters behind each decoded one are redacted).
#[cfg(feature = "server")]
struct Scrubber {
    /// The secrets, as given.
    secrets: Vec<String>,
    /// Every run of [`SECRET_PIECE_CHARS`] characters of every secret; a secret shorter than that, whole
    /// (from 4 characters): as the secret and the byte range in it. Sorted by their text, each once.
    pieces: Vec<(usize, std::ops::Range<usize>)>,
    /// The lengths of the pieces in characters, each once.
    lengths: Vec<usize>,
    /// The pieces of 8 bytes (8 ASCII characters, as most secrets are cut) as big-endian numbers, with their
    /// index in `pieces`: in the same order, so a run of 8 bytes is looked up without comparing text.
    words: Vec<(u64, usize)>,
}

#[cfg(feature = "server")]
impl Scrubber {
    fn new<S: AsRef<str>>(secrets: &[S]) -> Self {
        Scrubber::of(secrets.iter().map(|s| s.as_ref().to_string()).collect())
    }

    fn of(secrets: Vec<String>) -> Self {
        let mut pieces = Vec::new();
        let mut lengths = Vec::new();
        for (index, secret) in secrets.iter().enumerate() {
            let starts: Vec<usize> = secret.char_indices().map(|(at, _)| at).chain([secret.len()]).collect();
            if starts.len() > SECRET_PIECE_CHARS {
                pieces.extend(starts.windows(SECRET_PIECE_CHARS + 1).filter_map(|w| Some((index, *w.first()?..*w.last()?))));
                lengths.push(SECRET_PIECE_CHARS);
            } else if starts.len() > 4 {
                pieces.push((index, 0..secret.len()));
                lengths.push(starts.len() - 1);
            }
        }
        let text = |piece: &(usize, std::ops::Range<usize>)| piece_text(&secrets, piece);
        pieces.sort_unstable_by(|a, b| text(a).cmp(text(b)));
        pieces.dedup_by(|a, b| text(a) == text(b));
        lengths.sort_unstable();
        lengths.dedup();
        let words = pieces.iter().enumerate().filter_map(|(i, piece)| Some((word(text(piece))?, i))).collect();
        Scrubber { secrets, pieces, lengths, words }
    }

    /// The text of a piece.
    fn text(&self, piece: &(usize, std::ops::Range<usize>)) -> &str {
        piece_text(&self.secrets, piece)
    }

    /// Where `text` holds a piece, as `str::match_indices` finds each piece (left to right, its occurrences not
    /// overlapping each other), in one pass a length: each run of characters looked up among the sorted pieces.
    fn find(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).chain([text.len()]).collect();
        let mut ends = vec![0; self.pieces.len()];
        let mut found = Vec::new();
        for &length in &self.lengths {
            for w in starts.windows(length + 1) {
                let (Some(&from), Some(&to)) = (w.first(), w.last()) else { continue };
                let Some(run) = text.get(from..to) else { continue };
                let at = match word(run) {
                    Some(key) => self.words.binary_search_by_key(&key, |(word, _)| *word).ok().and_then(|i| self.words.get(i)).map(|w| w.1),
                    None => self.pieces.binary_search_by(|piece| self.text(piece).cmp(run)).ok(),
                };
                let Some(end) = at.and_then(|i| ends.get_mut(i)) else { continue };
                if from >= *end {
                    *end = to;
                    found.push(from..to);
                }
            }
        }
        found
    }

    fn scrub(&self, text: &str) -> String {
        if self.pieces.is_empty() {
            return text.to_string();
        }
        // Which raw bytes to hide: pieces found in the text as written, and in the text as JSON decodes it
        // (mapped back to the raw bytes behind each decoded character); a secret that itself holds `\n` or
        // `\"` is found in the first, one echoed escaped in the second. Without a `\\` both are the same text.
        let mut hidden = vec![false; text.len()];
        for found in self.find(text) {
            hidden.iter_mut().skip(found.start).take(found.len()).for_each(|h| *h = true);
        }
        if text.contains('\\') {
            let decoded = decode_escapes(text);
            let plain: String = decoded.iter().map(|(c, _)| *c).collect();
            let mut starts = Vec::with_capacity(decoded.len());
            let mut at = 0;
            for (c, _) in &decoded {
                starts.push(at);
                at += c.len_utf8();
            }
            for found in self.find(&plain) {
                for ((_, raw), start) in decoded.iter().zip(&starts) {
                    if found.contains(start) {
                        hidden.iter_mut().skip(raw.start).take(raw.len()).for_each(|h| *h = true);
                    }
                }
            }
        }
        if !hidden.contains(&true) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut redacting = false;
        for (at, c) in text.char_indices() {
            let hide = hidden.get(at).copied().unwrap_or(false);
            match (hide, redacting) {
                (true, false) => out.push_str(REDACTED),
                (false, _) => out.push(c),
                (true, true) => {}
            }
            redacting = hide;
        }
        out
    }
}

/// The text of a piece: its secret's bytes in its range.
#[cfg(feature = "server")]
fn piece_text<'a>(secrets: &'a [String], (index, range): &(usize, std::ops::Range<usize>)) -> &'a str {
    secrets.get(*index).and_then(|s| s.get(range.clone())).unwrap_or_default()
}

/// An 8-byte text as a big-endian number (ordered as the text is), `None` for any other length.
#[cfg(feature = "server")]
fn word(text: &str) -> Option<u64> {
    text.as_bytes().try_into().ok().map(u64::from_be_bytes)
}

/// Each character of `text` as a JSON string would decode it, with the raw bytes it came from.
#[cfg(feature = "server")]
fn decode_escapes(text: &str) -> Vec<(char, std::ops::Range<usize>)> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text.char_indices().peekable();
    while let Some((at, c)) = rest.next() {
        if c != '\\' {
            out.push((c, at..at + c.len_utf8()));
            continue;
        }
        let simple = match rest.peek().map(|(_, n)| *n) {
            Some('/') => Some('/'),
            Some('\\') => Some('\\'),
            Some('"') => Some('"'),
            Some('n') => Some('\n'),
            Some('t') => Some('\t'),
            Some('r') => Some('\r'),
            Some('b') => Some('\u{8}'),
            Some('f') => Some('\u{c}'),
            _ => None,
        };
        if let Some(decoded) = simple {
            rest.next();
            out.push((decoded, at..at + 2));
            continue;
        }
        let unit = |from: usize| text.get(from..from + 4).and_then(|hex| u32::from_str_radix(hex, 16).ok());
        match (rest.peek().map(|(_, n)| *n), unit(at + 2)) {
            (Some('u'), Some(high)) => {
                let low = (0xD800..0xDC00).contains(&high).then(|| text.get(at + 6..at + 8).filter(|s| *s == "\\u").and_then(|_| unit(at + 8))).flatten();
                let (decoded, len) = match low.filter(|l| (0xDC00..0xE000).contains(l)) {
                    Some(low) => (char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)), 12),
                    None => (char::from_u32(high), 6),
                };
                for _ in 1..len {
                    rest.next();
                }
                out.push((decoded.unwrap_or('\u{fffd}'), at..at + len));
            }
            _ => out.push((c, at..at + 1)),
        }
    }
    out
}

/// What a scrubbed secret is replaced with.
const REDACTED: &str = "<redacted>";
/// Server text (messages, reasons, network details) is kept up to this many characters until it is scrubbed.
pub(crate) const RAW_TEXT_CHARS: usize = 2_000;
/// The longest error message after scrubbing, in characters.
pub const MAX_MESSAGE_CHARS: usize = 400;
/// The longest rule text after scrubbing, in characters.
pub const MAX_RULE_CHARS: usize = 200;

/// Shortens `text` to at most `max` characters, on a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_field_and_rule() {
        let e = Error::validation(Operation::CreateCall, "caller", "must be at most 32 characters");
        assert_eq!(e.to_string(), "createCall: caller must be at most 32 characters");
        assert_eq!(e.field, Some("caller"));
        assert!(!e.retryable);
    }

    #[test]
    fn http_retryable_statuses() {
        for s in [429, 502, 503, 504] {
            assert!(Error::http(Operation::QueryCallState, s).retryable, "{s}");
        }
        for s in [400, 404, 500] {
            assert!(!Error::http(Operation::QueryCallState, s).retryable, "{s}");
        }
    }

    #[test]
    fn an_outcome_unknown_error_says_only_to_check_and_a_failed_fetch_its_likely_causes() {
        let e = Error::http(Operation::CreateCall, 502).with_outcome_unknown();
        assert!(!e.message.contains("try again later"), "{}", e.message);
        let mut told = Error::http(Operation::CreateCall, 502);
        told.message.push_str(": the gateway failed while forwarding");
        assert!(told.with_outcome_unknown().message.contains("(gateway unavailable): the gateway failed while forwarding"), "the server's text stays");
        assert!(e.message.contains("HTTP 502 (gateway unavailable)") && e.message.contains("check before trying again"), "{}", e.message);
        assert!(Error::http(Operation::QueryCallState, 502).message.contains("try again later"));
        let unreached = Error::network(Operation::CreateCall, "TypeError: Failed to fetch").with_outcome_unknown();
        assert!(unreached.message.contains("could not be reached") && unreached.message.contains("CORS"), "{}", unreached.message);
        assert!(unreached.message.contains("may or may not have been placed"));
        assert!(!Error::network(Operation::CreateCall, "socket hang up").message.contains("CORS"));
    }

    #[test]
    fn outcome_unknown_is_not_retryable_and_said_once() {
        let e = Error::timeout(Operation::CreateCall, 1000).with_outcome_unknown();
        assert!(e.outcome_unknown && !e.retryable);
        let again = e.clone().with_outcome_unknown();
        assert_eq!(again.message, e.message);
        assert_eq!(e.message.matches("may or may not have been placed").count(), 1);
    }

    #[test]
    fn scrubbing_comes_before_cutting() {
        let secret = "s3cr3t-value-0123456789";
        let server_text = format!("{}{secret}{secret}", "x".repeat(MAX_MESSAGE_CHARS - 60));
        let code = crate::codes::lookup(&[], &format!("9{secret}"));
        let e = Error::api(Operation::QueryCallState, code, Some(&server_text)).scrubbed(&[secret]);
        assert!(!e.message.contains("s3cr3t"), "{}", e.message);
        assert!(e.message.chars().count() <= MAX_MESSAGE_CHARS + 1);
        assert_eq!(e.ret_code(), Some("9<redacted>"));
        let long = Error::api(Operation::QueryCallState, crate::codes::lookup(&[], &"7".repeat(5000)), Some(&"y".repeat(100_000)));
        let long = long.scrubbed::<&str>(&[]);
        assert_eq!(long.ret_code().map(str::len), Some(crate::codes::MAX_CODE_CHARS));
        assert!(long.message.chars().count() <= MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    #[cfg(feature = "server")]
    fn a_secret_is_redacted_cut_short_and_however_json_escapes_it() {
        let token = "TKN18012abe0f9c7d6e5b4a39281706f5e4";
        let escaped = token.replace('0', "\\u0030").replacen('T', "\\u0054", 1);
        for text in [
            format!("{{\"echo\":\"{escaped}\"}}"),
            format!("field callSerialNo is not a decimal identifier: {}…", &token[..20]),
            format!("tail {}", &token[token.len() - 9..]),
            format!("{{\"sig\":\"a\\/b{}\"}}", &token[4..30]),
        ] {
            let scrubbed = scrub_text(&text, &[token]);
            for piece in token.as_bytes().windows(SECRET_PIECE_CHARS) {
                let piece = std::str::from_utf8(piece).unwrap_or_default();
                assert!(!scrubbed.contains(piece), "{piece} left in {scrubbed} (from {text})");
            }
            assert!(scrubbed.contains(REDACTED), "{scrubbed}");
        }
        assert_eq!(scrub_text(r#"{"a":"\u00e9\/x","b":"TKN1"}"#, &[token]), r#"{"a":"\u00e9\/x","b":"TKN1"}"#, "untouched without a piece");
        assert_eq!(scrub_text("pw=hunter2!", &["hunter2"]), "pw=<redacted>!", "short secrets whole");
        // What is not a secret stays exactly as written, escapes and all, right beside a redaction.
        let beside = format!(r#"{{"e":"\ud83d\ude00\/\u12","t":"\u{}{}","n":"\n"}}"#, "0054", &token[1..]);
        assert_eq!(scrub_text(&beside, &[token]), r#"{"e":"\ud83d\ude00\/\u12","t":"<redacted>","n":"\n"}"#);
        // A secret that holds an escape's own characters, echoed as it is.
        let odd = r#"AAAAAAA\nBBBBBBB"#;
        assert_eq!(scrub_text(&format!("sk={odd};"), &[odd]), "sk=<redacted>;");
    }

    /// The pieces' occurrences as `str::match_indices` gives them, piece by piece: what `Scrubber::find`
    /// must match in one pass.
    #[cfg(feature = "server")]
    fn found_by_search(scrubber: &Scrubber, text: &str) -> Vec<std::ops::Range<usize>> {
        let pieces: Vec<&str> = scrubber.pieces.iter().map(|piece| scrubber.text(piece)).collect();
        let mut found: Vec<_> = pieces.iter().flat_map(|p| text.match_indices(p).map(|(at, m)| at..at + m.len())).collect();
        found.sort_by_key(|r| (r.start, r.end));
        found
    }

    #[test]
    #[cfg(feature = "server")]
    fn one_pass_finds_what_a_search_of_each_piece_finds() {
        let secrets = ["TKN18012abe0f9c7d6e5b4a39281706f5e4", "aaaaaaaaaaa", "pw=é😀", "abcabcabcab", "xy"];
        let scrubber = Scrubber::new(&secrets);
        let texts = [
            "aaaaaaaaaaaaaaaaaaaaaaaaa".to_string(),
            "abcabcabcabcabcabcabcabc abcabcab".to_string(),
            "é😀pw=é😀pw=é😀 TKN18012abe0f9c TKN18012abe0f9c7d6e5b4a39281706f5e4TKN1801".to_string(),
            r#"{"a":"\u0054KN18012abe","b":"\/aaaaaaaaa\naaaa"}"#.to_string(),
            String::new(),
            "xy xy".to_string(),
        ];
        for text in &texts {
            let mut found = scrubber.find(text);
            found.sort_by_key(|r| (r.start, r.end));
            assert_eq!(found, found_by_search(&scrubber, text), "{text}");
        }
        // As a search finds them: the second "aaaaaaaa" would overlap the first, and one "a" is no secret.
        assert_eq!(scrub_text("aaaaaaaaa|pw=é😀|abcabcabca", &secrets), "<redacted>a|<redacted>|<redacted>");
    }

    #[test]
    fn a_kept_scrubber_follows_the_secrets() {
        let cache = ScrubCache::default();
        let (old, new) = ("TKNold012345678", "TKNnew987654321");
        assert_eq!(cache.scrub(&format!("a {old}"), vec![old.into()]), "a <redacted>");
        assert_eq!(cache.scrub(&format!("b {old}"), vec![old.into()]), "b <redacted>", "the same secrets again");
        assert_eq!(cache.scrub(&format!("c {new} {old}"), vec![new.into()]), format!("c <redacted> {old}"), "a renewed token");
        assert_eq!(cache.scrub(&format!("d {old}"), Vec::new()), format!("d {old}"), "no secret left");
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("ééé", 2), "éé…");
        assert_eq!(truncate("ab", 5), "ab");
    }
}
