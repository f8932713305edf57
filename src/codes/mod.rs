//! Return-code and reason tables of the AICC call APIs, as data.
//!
//! Every table is a slice of [`Entry`]; [`lookup`] turns a code that arrived on the wire into a [`Code`],
//! and a code no table lists decodes to `name: "unknown"` with the number kept.

use serde::Serialize;

pub mod call_state;
pub mod called_info;
pub mod cms;
pub mod create_call;
pub mod release;

/// Who or what a code points at, so a UI can group codes without knowing them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    /// Success, or a call that ended normally.
    Ok,
    /// The request's values are wrong: fix the input.
    Input,
    /// Tenant or platform configuration is missing (numbers, trustlists, VDN, callback URL).
    Configuration,
    /// Credentials, signature or permissions.
    Permission,
    /// A quota or rate limit was hit.
    Limit,
    /// The platform failed or is unavailable.
    Platform,
    /// The agent's (calling) side of the call.
    Agent,
    /// The customer's (called) side of the call.
    Customer,
    /// The telephone network between the parties.
    Network,
    /// The code is not in any table.
    Unknown,
}

/// One row of a code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The code exactly as AICC sends it (decimal text, e.g. `"5"`, `"90104029"`, `"0100002"`).
    pub code: &'static str,
    /// A stable camelCase name to branch on.
    pub name: &'static str,
    /// The page's explanation, in plain words.
    pub message: &'static str,
    /// Who or what the code points at.
    pub category: Category,
    /// Whether sending the same request again later can help.
    pub retryable: bool,
}

/// A decoded code: a table row, or `unknown` with the raw code kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// The code exactly as received.
    pub code: String,
    /// The stable name, or `"unknown"`.
    pub name: &'static str,
    /// The explanation, or a generic one for unknown codes.
    pub message: &'static str,
    /// Who or what the code points at.
    pub category: Category,
    /// Whether sending the same request again later can help.
    pub retryable: bool,
}

impl Code {
    /// Whether a table listed this code.
    pub fn is_known(&self) -> bool {
        self.category != Category::Unknown
    }
}

impl From<&Entry> for Code {
    fn from(e: &Entry) -> Self {
        Code { code: e.code.to_string(), name: e.name, message: e.message, category: e.category, retryable: e.retryable }
    }
}

/// One row of a table, in the order the tables are written in: code, name, category, retryable, message.
pub(crate) const fn entry(code: &'static str, name: &'static str, category: Category, retryable: bool, message: &'static str) -> Entry {
    Entry { code, name, message, category, retryable }
}

/// Looks `code` up in a service-domain operation's `table`, then in the ITA codes that AICC's API gateway
/// answers for every such operation (createCall's Table 4).
pub fn service_code(table: &[Entry], code: &str) -> Code {
    let found = lookup(table, code);
    if found.is_known() {
        found
    } else {
        lookup(create_call::ITA_CODES, code)
    }
}

/// Looks `code` up in `table`; an unlisted code becomes `unknown` with the code kept.
pub fn lookup(table: &[Entry], code: &str) -> Code {
    let code = cap_code(code.trim());
    match table.iter().find(|e| e.code == code) {
        Some(e) => Code::from(e),
        None => Code {
            code: code.to_string(),
            name: "unknown",
            message: "This code is not documented in the AICC API pages; see the platform's logs or support.",
            category: Category::Unknown,
            retryable: false,
        },
    }
}

/// The longest return code kept, in characters; no table lists one longer than 10.
pub const MAX_CODE_CHARS: usize = 32;

/// A code cut to [`MAX_CODE_CHARS`] characters, on a character boundary.
fn cap_code(code: &str) -> &str {
    code.char_indices().nth(MAX_CODE_CHARS).map_or(code, |(cut, _)| code.get(..cut).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[Entry] = &[Entry {
        code: "7",
        name: "seven",
        message: "Seven.",
        category: Category::Input,
        retryable: false,
    }];

    #[test]
    fn known_and_unknown() {
        assert_eq!(lookup(TABLE, "7").name, "seven");
        let u = lookup(TABLE, "8");
        assert_eq!((u.code.as_str(), u.name, u.is_known()), ("8", "unknown", false));
    }

    #[test]
    fn long_codes_are_capped() {
        let long = "9".repeat(100_000);
        assert_eq!(lookup(TABLE, &long).code.chars().count(), MAX_CODE_CHARS);
        assert_eq!(lookup(TABLE, &"é".repeat(40)).code, "é".repeat(MAX_CODE_CHARS));
    }

    #[test]
    fn every_table_has_unique_codes_and_names() {
        let tables: &[(&str, &[Entry])] = &[
            ("createCall", create_call::RET_CODES),
            ("ita", create_call::ITA_CODES),
            ("queryCallState", call_state::RET_CODES),
            ("states", call_state::STATES),
            ("reasons", call_state::REASONS),
            ("causes", call_state::CAUSES),
            ("getCalledInfo", called_info::RET_CODES),
            ("devType", called_info::DEV_TYPES),
            ("cms", cms::RESULT_CODES),
            ("release", release::RELEASE_REASONS),
        ];
        for (what, table) in tables {
            for (i, a) in table.iter().enumerate() {
                for b in table.iter().skip(i + 1) {
                    assert_ne!(a.code, b.code, "{what}: duplicate code");
                    assert_ne!(a.name, b.name, "{what}: duplicate name");
                }
                assert!(!a.message.is_empty() && !a.name.is_empty(), "{what} {}", a.code);
                assert_eq!(lookup(table, a.code), Code::from(a), "{what} {}", a.code);
            }
        }
    }
}
