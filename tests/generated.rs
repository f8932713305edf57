//! The package's code list (`js/codes.js`), its name types (`js/names.d.ts`) and their page in the docs
//! (`docs/codes.md`) are generated from the core's tables: this test fails when a file differs from what the
//! tables give. To regenerate after changing a
//! table: `AICC_WRITE_GENERATED=1 cargo test --test generated`.

use std::path::PathBuf;

use aicc_call::catalog::{catalog, names, Table};

const HEADER: &str = "// Generated from the Rust core's code tables (src/catalog.rs) by `AICC_WRITE_GENERATED=1 cargo test --test generated`; do not edit.\n";

fn codes_js() -> String {
    let rows: Vec<String> = catalog().iter().map(|row| serde_json::to_string(row).unwrap_or_default()).collect();
    format!(
        "{HEADER}const ROWS = [\n  {}\n];\n\n/** Every return code, call state and end reason the package decodes: a new copy at each call. */\nexport function codes() {{\n  return ROWS.map((row) => ({{ ...row }}));\n}}\n",
        rows.join(",\n  ")
    )
}

fn union(doc: &str, name: &str, tables: &[Table]) -> String {
    let members: Vec<String> = names(tables).iter().map(|n| format!("  | '{n}'")).collect();
    format!("/** {doc} */\nexport type {name} =\n{};\n", members.join("\n"))
}

fn names_d_ts() -> String {
    [
        HEADER.to_string(),
        union("An `AiccError`'s `codeName`: every operation's return codes and the API gateway's ITA codes, or `'unknown'`.", "CodeName", &[Table::ReturnCode, Table::ItaCode]),
        union("Why a call ended (`reason.name` of a call state) or was released (`releaseReason.name`), or `'unknown'`.", "ReasonName", &[Table::Reason, Table::ReleaseReason]),
        union("A call's `stateName`, or `'unknown'`.", "StateName", &[Table::State]),
    ]
    .join("\n")
}

fn codes_md() -> String {
    let mut out = String::from("<!-- Generated from the Rust core's code tables (src/catalog.rs) by `AICC_WRITE_GENERATED=1 cargo test --test generated`; do not edit. -->\n# Codes, states and reasons\n\nEvery name the package decodes, as `codes()` returns them (`import { codes } from 'aicc-call'`) and as the\ntypes `CodeName`, `ReasonName` and `StateName` list them. A code no table has decodes to `unknown`, with the\ncode kept. `retryable`: whether sending the same request again later can help.\n");
    let sections = [
        (Table::ReturnCode, "Return codes (`AiccError.codeName`), by operation"),
        (Table::ItaCode, "ITA codes of AICC's API gateway (`AiccError.codeName`, any service operation)"),
        (Table::State, "Call states (`stateName`)"),
        (Table::Reason, "End reasons (`reason.name` of a call state)"),
        (Table::ReleaseReason, "Release reasons (`releaseReason.name` of a release callback)"),
        (Table::DevType, "Device types (`devTypeName` of getCalledInfo)"),
    ];
    for (table, title) in sections {
        out.push_str(&format!("\n## {title}\n\n| operation | code | name | retryable | message |\n| --- | --- | --- | --- | --- |\n"));
        for row in catalog().iter().filter(|r| r.table == table) {
            let operation = row.operation.map_or("", |op| op.as_str());
            let message = row.message.replace('|', "\\|");
            out.push_str(&format!("| {operation} | `{}` | `{}` | {} | {message} |\n", row.code, row.name, if row.retryable { "yes" } else { "no" }));
        }
    }
    out
}

fn check(path: &str, expected: &str) {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("AICC_WRITE_GENERATED").is_some() {
        assert!(std::fs::write(&file, expected).is_ok(), "cannot write {path}");
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(committed == expected, "{path} differs from the core's tables: run `AICC_WRITE_GENERATED=1 cargo test --test generated`");
}

#[test]
fn the_code_list_is_the_tables() {
    check("js/codes.js", &codes_js());
}

#[test]
fn the_name_types_are_the_tables() {
    check("js/names.d.ts", &names_d_ts());
}

#[test]
fn the_docs_list_the_tables() {
    check("docs/codes.md", &codes_md());
}
