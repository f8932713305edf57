//! Response models declared once: `response_model!` turns one list of fields into the result struct (serialised
//! in camelCase, absent fields left out, the unlisted ones kept in `extra`), the wire names it knows, and its
//! lenient reader.
//!
//! Each field is written as in the struct, followed by where its value comes from:
//! - `= (i64 "time")`: the wire field `time`, read by that getter of [`crate::wire::Object`] (`i64`, `u32`,
//!   `string`, `non_empty_string`, `decimal_id`);
//! - `= (u32 "reasonCode" => call_state::reason)`: the same, its value mapped by the function;
//! - `= (= state.map(...))`: computed from the fields above it (read first, in order), or `(= None)` for one the
//!   operation's `decode` fills from elsewhere (the envelope's `retMsg`).
//!
//! After the fields, `also_known: ["retCode"]` names wire fields that are read elsewhere and so are not `extra`.
//! The reader reads the fields in their order, so a body with several bad fields is refused for the first.

/// Declares a response model once: the struct, its known wire names (`KNOWN`) and its reader (`read`).
macro_rules! response_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident : $ty:ty = $spec:tt,
            )*
        }
        $(also_known: [$($also:literal),* $(,)?])?
    ) => {
        $(#[$meta])*
        #[derive(::serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: $ty,
            )*
            /// Fields the page does not list, kept as received.
            #[serde(skip_serializing_if = "::serde_json::Map::is_empty")]
            pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        impl $name {
            /// The wire fields this model reads, and those read elsewhere; any other is kept in `extra`.
            pub(crate) const KNOWN: &'static [&'static str] =
                $crate::ops::model::response_model!(@known [] $($spec)* $($(($also))*)?);

            /// Each field's Rust name, and the wire field it is read from (`None` for a computed one).
            #[cfg(test)]
            pub(crate) const FIELDS: &'static [(&'static str, Option<&'static str>)] =
                &[$((stringify!($field), $crate::ops::model::response_model!(@wire $spec)),)*];

            /// Reads the model from a response object, field by field in their order.
            pub(crate) fn read(r: &$crate::wire::Object) -> Result<Self, $crate::wire::WireError> {
                $(let $field = $crate::ops::model::response_model!(@read r $spec);)*
                Ok($name { $($field,)* extra: r.rest(Self::KNOWN) })
            }
        }
    };

    (@read $r:ident ($getter:ident $wire:literal)) => { $r.$getter($wire)? };
    (@read $r:ident ($getter:ident $wire:literal => $map:expr)) => { $r.$getter($wire)?.map($map) };
    (@read $r:ident (= $value:expr)) => { $value };

    (@wire ($getter:ident $wire:literal $($map:tt)*)) => { Some($wire) };
    (@wire (= $value:expr)) => { None };

    (@known [$($names:literal,)*]) => { &[$($names),*] };
    (@known [$($names:literal,)*] ($getter:ident $wire:literal $($map:tt)*) $($more:tt)*) => {
        $crate::ops::model::response_model!(@known [$($names,)* $wire,] $($more)*)
    };
    (@known [$($names:literal,)*] (= $value:expr) $($more:tt)*) => {
        $crate::ops::model::response_model!(@known [$($names,)*] $($more)*)
    };
    (@known [$($names:literal,)*] ($also:literal) $($more:tt)*) => {
        $crate::ops::model::response_model!(@known [$($names,)* $also,] $($more)*)
    };
}
pub(crate) use response_model;

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::{Map, Value};

    use super::super::{BasicCallInfo, CallInfo, CallState, CalledInfo};
    use crate::ops::query_call_detail_record::CallRecord;
    use crate::wire::{Object, WireError};

    /// The fields whose result name differs from their wire name, on purpose; any other difference is a typo.
    const RENAMED: &[(&str, &str)] = &[("calldata", "callData"), ("reasonCode", "reason")];

    fn camel_case(rust_name: &str) -> String {
        let mut parts = rust_name.split('_');
        let first = parts.next().unwrap_or_default().to_string();
        parts.fold(first, |mut name, part| {
            let mut chars = part.chars();
            name.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            name.push_str(chars.as_str());
            name
        })
    }

    fn object(fields: &[(&str, &str)]) -> Object {
        Object(fields.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect())
    }

    fn serialised<M: Serialize>(model: Result<M, WireError>) -> Map<String, Value> {
        assert!(model.is_ok(), "{:?}", model.as_ref().err());
        let value = model.ok().map(|m| serde_json::to_value(m));
        assert!(matches!(value, Some(Ok(Value::Object(_)))), "not an object: {value:?}");
        match value {
            Some(Ok(Value::Object(map))) => map,
            _ => Map::new(),
        }
    }

    /// The model's known wire names, its reader and its serialised names agree: every known name is read (none
    /// lands in `extra`), an unknown one is kept, each read field lands under its own result name (the wire
    /// name, but for the renames listed), and nothing is serialised that the list does not declare.
    fn agree<M: Serialize>(
        model: &str,
        known: &[&str],
        fields: &[(&str, Option<&str>)],
        read: fn(&Object) -> Result<M, WireError>,
    ) {
        let declared: Vec<String> = fields.iter().map(|(rust, _)| camel_case(rust)).chain(["extra".into()]).collect();
        let wire: Vec<&str> = fields.iter().filter_map(|(_, wire)| *wire).collect();
        assert!(wire.iter().all(|w| known.contains(w)), "{model}: a field read is missing from KNOWN");

        let mut every: Vec<(&str, &str)> = known.iter().map(|k| (*k, "1")).collect();
        every.push(("notListedByThePage", "x"));
        let all = serialised(read(&object(&every)));
        for name in all.keys() {
            assert!(declared.contains(name), "{model}: serialises {name}, which its field list does not declare");
        }
        assert_eq!(all.get("extra"), Some(&serde_json::json!({ "notListedByThePage": "x" })), "{model}: extra");

        for (rust, wire) in fields {
            let Some(wire) = wire else { continue };
            let result_name = camel_case(rust);
            let expected = RENAMED.iter().find(|(from, _)| from == wire).map_or(*wire, |(_, to)| to);
            assert_eq!(result_name, expected, "{model}: the wire field {wire} is read into {rust}");
            let alone = serialised(read(&object(&[(wire, "1")])));
            assert!(alone.contains_key(&result_name), "{model}: {wire} alone does not give {result_name}: {alone:?}");
            assert!(!alone.contains_key("extra"), "{model}: {wire} alone lands in extra");
        }
    }

    #[test]
    fn every_model_reads_and_serialises_the_fields_it_lists() {
        agree("BasicCallInfo", BasicCallInfo::KNOWN, BasicCallInfo::FIELDS, BasicCallInfo::read);
        agree("CallInfo", CallInfo::KNOWN, CallInfo::FIELDS, CallInfo::read);
        agree("CallState", CallState::KNOWN, CallState::FIELDS, CallState::read);
        agree("CalledInfo", CalledInfo::KNOWN, CalledInfo::FIELDS, CalledInfo::read);
        agree("CallRecord", CallRecord::KNOWN, CallRecord::FIELDS, CallRecord::read);
        let checked = ["BasicCallInfo", "CallInfo", "CallState", "CalledInfo", "CallRecord"];
        let mut declared = declared_models(std::path::Path::new("src"));
        declared.sort();
        let mut checked: Vec<String> = checked.iter().map(|m| m.to_string()).collect();
        checked.sort();
        assert_eq!(declared, checked, "every model that response_model! declares in src/ is checked above");
    }

    /// The names of the structs declared with `response_model!` in the sources under `dir`.
    fn declared_models(dir: &std::path::Path) -> Vec<String> {
        let entries = std::fs::read_dir(dir);
        assert!(entries.is_ok(), "{dir:?}: {entries:?}");
        let mut models = Vec::new();
        for path in entries.into_iter().flatten().flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                models.extend(declared_models(&path));
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            for after in source.split("\nresponse_model! {").skip(1) {
                let name = after.split_once("pub struct ").map(|(_, rest)| rest);
                let name = name.and_then(|rest| rest.split_whitespace().next()).unwrap_or_default();
                models.push(name.to_string());
            }
        }
        models
    }

    #[test]
    fn names_read_elsewhere_are_known_but_not_fields() {
        for envelope in ["retCode", "retMsg", "result"] {
            assert!(CallInfo::KNOWN.contains(&envelope));
            assert!(CallInfo::FIELDS.iter().all(|(_, wire)| *wire != Some(envelope)));
        }
        assert_eq!(camel_case("total_talking_times"), "totalTalkingTimes");
    }
}
