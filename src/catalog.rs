//! Every code a user can branch on, in one list: each operation's return codes, the API gateway's ITA codes,
//! the call states, the end reasons and the release reasons, with their names, messages and whether retrying
//! helps. The package ships it as `codes()` and types its names from it (`tests/generated.rs` writes both).

use serde::Serialize;

use crate::codes::{call_state, called_info, cms, create_call, release, Category, Entry};
use crate::operation::Operation;
use crate::ops::query_call_detail_record;

/// Which table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Table {
    /// An operation's `retCode` (or `resultCode`): an `AiccError`'s `codeName`.
    ReturnCode,
    /// A code of AICC's API gateway, answered for every service operation: also a `codeName`.
    ItaCode,
    /// A call state: `stateName`.
    State,
    /// Why a call ended: a state's `reason.name`.
    Reason,
    /// A release callback's `releaseReason.name`.
    ReleaseReason,
    /// getCalledInfo's `devTypeName`.
    DevType,
}

/// One row of [`catalog`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// The table the row belongs to.
    pub table: Table,
    /// For return codes: the operation that answers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    /// The code exactly as AICC sends it.
    pub code: &'static str,
    /// The stable name to branch on.
    pub name: &'static str,
    /// The page's explanation.
    pub message: &'static str,
    /// Who or what the code points at.
    pub category: Category,
    /// Whether sending the same request again later can help.
    pub retryable: bool,
}

/// The tables, in the order the catalog lists them.
fn tables() -> [(Table, Option<Operation>, &'static [Entry]); 10] {
    [
        (Table::ReturnCode, Some(Operation::CreateCall), create_call::RET_CODES),
        (Table::ReturnCode, Some(Operation::QueryCallState), call_state::RET_CODES),
        (Table::ReturnCode, Some(Operation::GetCalledInfo), called_info::RET_CODES),
        (Table::ReturnCode, Some(Operation::QueryCallDetailRecord), query_call_detail_record::RET_CODES),
        (Table::ReturnCode, Some(Operation::QueryBasicCallInfo), cms::RESULT_CODES),
        (Table::ItaCode, None, create_call::ITA_CODES),
        (Table::State, None, call_state::STATES),
        (Table::Reason, None, call_state::REASONS),
        (Table::Reason, None, call_state::CAUSES),
        (Table::ReleaseReason, None, release::RELEASE_REASONS),
    ]
}

/// Every row of every table, with getCalledInfo's device types last. A row whose code an earlier row of the
/// same table already has is left out: the decoders never reach it (the long reason table's 0 to 6).
pub fn catalog() -> Vec<Row> {
    let row = |table, operation, e: &Entry| Row {
        table,
        operation,
        code: e.code,
        name: e.name,
        message: e.message,
        category: e.category,
        retryable: e.retryable,
    };
    let all = tables().into_iter().flat_map(|(t, op, entries)| entries.iter().map(move |e| row(t, op, e)));
    let mut rows: Vec<Row> = Vec::new();
    for candidate in all.chain(called_info::DEV_TYPES.iter().map(|e| row(Table::DevType, None, e))) {
        let shadowed = rows.iter().any(|r| (r.table, r.operation, r.code) == (candidate.table, candidate.operation, candidate.code));
        if !shadowed {
            rows.push(candidate);
        }
    }
    rows
}

/// The distinct names of the rows of `tables`, in catalog order, then `"unknown"` (what an unlisted code decodes to).
pub fn names(tables: &[Table]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for row in catalog().iter().filter(|r| tables.contains(&r.table)) {
        if !names.contains(&row.name) {
            names.push(row.name);
        }
    }
    if !names.contains(&"unknown") {
        names.push("unknown");
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{lookup, service_code, Code};

    #[test]
    fn every_row_decodes_to_itself() {
        for row in catalog() {
            let decoded: Code = match row.table {
                Table::ReturnCode | Table::ItaCode => match row.operation {
                    Some(Operation::QueryBasicCallInfo) => cms::result_code(row.code),
                    Some(Operation::QueryCallDetailRecord) => query_call_detail_record::ret_code(row.code),
                    Some(Operation::QueryCallState) => call_state::ret_code(row.code),
                    Some(Operation::GetCalledInfo) => called_info::ret_code(row.code),
                    _ => service_code(create_call::RET_CODES, row.code),
                },
                Table::State => lookup(call_state::STATES, row.code),
                Table::Reason => row.code.parse().map_or_else(|_| lookup(&[], row.code), call_state::reason),
                Table::ReleaseReason => release::release_reason(row.code),
                Table::DevType => row.code.parse().map_or_else(|_| lookup(&[], row.code), called_info::dev_type),
            };
            assert_eq!((decoded.name, decoded.message, decoded.retryable), (row.name, row.message, row.retryable), "{row:?}");
        }
    }

    #[test]
    fn names_end_with_unknown_and_repeat_none() {
        let states = names(&[Table::State]);
        assert_eq!(states.last(), Some(&"unknown"));
        assert!(states.contains(&"talking"));
        let codes = names(&[Table::ReturnCode, Table::ItaCode]);
        for (i, a) in codes.iter().enumerate() {
            assert!(!codes[i + 1..].contains(a), "{a} twice");
        }
    }
}
