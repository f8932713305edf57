//! The AICC operations: one file each, holding the request (built only valid), its wire body, and the
//! lenient decoding of the answer into a result type.

use serde::Serialize;

use crate::codes::Code;
use crate::error::{CallAttempt, Error};
pub use crate::operation::{Endpoint, Operation, Retry};
use crate::wire::{self, Object, WireError};

macro_rules! operation_modules {
    ($($variant:ident $method:ident $name:tt => $module:ident :: $ty:ident,)*) => {
        $(
            #[doc = concat!("`", $name, "`.")]
            pub mod $module;
            pub use $module::$ty;
        )*
    };
}
crate::operation::api_operations!(operation_modules);
mod model;
pub mod token_by_ak_sk;

pub use create_call::CallPlaced;
pub use get_called_info::CalledInfo;
pub use query_basic_call_info::BasicCallInfo;
pub use query_call_info_by_call_id::CallInfo;
pub use query_call_state::CallState;
pub use token_by_ak_sk::{Token, TokenByAkSk};

/// What every API operation states about itself, in its own file. A request type can only be built valid
/// (`from_input`, `from_wire`, or its own constructor), knows its exact body, and decodes its answer.
pub trait Op: Sized + 'static {
    /// Which operation this is.
    const OPERATION: Operation;
    /// The request path on its endpoint.
    const PATH: &'static str;
    /// Where it is sent.
    const ENDPOINT: Endpoint;
    /// Whether it may be sent again after a transient failure.
    const RETRY: Retry;
    /// Its request fields (wire names), for errors that name one.
    const FIELDS: &'static [&'static str];
    /// The decoded answer.
    type Answer: Serialize;

    /// Builds a request from a JS-style object with the wire field names; numbers are accepted for numbers.
    fn from_input(input: &Object) -> Result<Self, Error>;
    /// Builds a request from a body as this SDK sends it (what a gateway receives from a page).
    fn from_wire(body: &Object) -> Result<Self, Error>;
    /// The exact JSON body.
    fn body(&self) -> String;
    /// Reads the answer.
    fn decode(status: u16, body: &str) -> Result<Self::Answer, Error>;

    /// For an operation with an effect: what is needed to find out later whether a request sent at
    /// `sent_at_ms` was carried out, when its answer was lost.
    fn call_attempt(&self, sent_at_ms: i64) -> Option<CallAttempt> {
        let _ = sent_at_ms;
        None
    }

    /// The HTTP request (POST, JSON), without authentication.
    fn http(&self) -> HttpRequest {
        HttpRequest::post_json(Self::OPERATION, Self::ENDPOINT, Self::PATH, self.body())
    }
}

macro_rules! operation_facts {
    ($($variant:ident $method:ident $name:tt => $module:ident :: $ty:ident,)*) => {
        impl Operation {
            /// The request path on its endpoint.
            pub fn path(self) -> &'static str {
                match self {
                    $(Operation::$variant => <$module::$ty as Op>::PATH,)*
                    Operation::TokenByAkSk => token_by_ak_sk::PATH,
                    Operation::Configuration => "",
                }
            }

            /// Where the operation is sent.
            pub fn endpoint(self) -> Endpoint {
                match self {
                    $(Operation::$variant => <$module::$ty as Op>::ENDPOINT,)*
                    Operation::TokenByAkSk | Operation::Configuration => Endpoint::Service,
                }
            }

            /// Whether it may be sent again after a transient failure.
            pub fn retry(self) -> Retry {
                match self {
                    $(Operation::$variant => <$module::$ty as Op>::RETRY,)*
                    Operation::TokenByAkSk => Retry::Safe,
                    Operation::Configuration => Retry::Never,
                }
            }
        }

        /// Decodes an answer of API operation `op`, dropping the result (for sweeps over every decoder);
        /// `None` for an operation that is not in the list.
        pub fn decode_answer(op: Operation, status: u16, body: &str) -> Option<Result<(), Error>> {
            match op {
                $(Operation::$variant => Some(<$module::$ty as Op>::decode(status, body).map(|_| ())),)*
                Operation::TokenByAkSk | Operation::Configuration => None,
            }
        }

        /// The request field called `name` in any operation, if there is one.
        pub fn request_field(name: &str) -> Option<&'static str> {
            [$(<$module::$ty as Op>::FIELDS,)*].into_iter().flatten().copied().find(|field| *field == name)
        }
    };
}
crate::operation::api_operations!(operation_facts);

/// Refuses a number in a request object that JS already rounded (beyond 2^53: an 18-digit serial, a long phone
/// number given as a number), naming its field, rather than send a different value. Fractions are left to
/// each field's own rule.
pub fn refuse_inexact_numbers(op: Operation, object: &wire::Object) -> Result<(), Error> {
    for (key, value) in &object.0 {
        if let serde_json::Value::Number(n) = value {
            let text = n.to_string();
            let digits = text.trim_start_matches('-');
            let exact = digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u64>().is_ok_and(|v| v <= wire::MAX_SAFE_INTEGER);
            let fractional = digits.contains('.') && !digits.contains(['e', 'E']);
            if let (false, false, Some(field)) = (exact, fractional, request_field(key)) {
                return Err(Error::validation(op, field, "is a number too large to be exact in JavaScript: pass it as a string"));
            }
        }
    }
    Ok(())
}

impl Operation {
    /// Whether the operation has an effect (a call is placed), so that a request lost on the way may have
    /// taken it: only an API operation whose [`Retry`] is `Never`.
    pub fn may_take_effect(self) -> bool {
        Operation::API.contains(&self) && self.retry() == Retry::Never
    }

    /// The API operation served at `path`, if any.
    pub fn from_path(path: &str) -> Option<Operation> {
        let path = path.trim_end_matches('/');
        Operation::API.iter().copied().find(|op| op.path() == path)
    }
}

/// A validated request, ready for a transport: method, path on its endpoint, headers and exact body.
///
/// Authentication headers are not included: the client adds the bearer token or C2 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The operation this request performs.
    pub operation: Operation,
    /// The HTTP method (AICC uses POST for every operation).
    pub method: &'static str,
    /// The path, appended to the endpoint's base URL.
    pub path: &'static str,
    /// Headers other than authentication.
    pub headers: Vec<(String, String)>,
    /// The JSON body text.
    pub body: String,
}

impl HttpRequest {
    pub(crate) fn post_json(operation: Operation, endpoint: Endpoint, path: &'static str, body: String) -> Self {
        let content_type = match endpoint {
            Endpoint::Cms => "application/json; charset=UTF-8",
            Endpoint::Service => "application/json",
        };
        HttpRequest { operation, method: "POST", path, headers: vec![("Content-Type".into(), content_type.into())], body }
    }
}

/// Checks the HTTP status and parses the body as one JSON object.
pub(crate) fn read_body(op: Operation, status: u16, body: &str) -> Result<Object, Error> {
    if (200..=299).contains(&status) {
        return wire::parse_object(body).map_err(|WireError(what)| Error::decode(op, status, what));
    }
    // An error body is parsed once, for all that is read from it.
    let said = wire::parse_object(body).ok();
    let said = said.as_ref();
    if let (400, Some((field, rule))) = (status, said.and_then(gateway_refusal)) {
        let mut e = Error::validation(op, field, rule);
        e.status = Some(status);
        return Err(e);
    }
    let mut e = match status {
        401 => Error::auth(op, Some(status), "credentials refused (HTTP 401)"),
        403 => Error::auth(op, Some(status), "access forbidden (HTTP 403)"),
        _ => Error::http(op, status),
    };
    e.message = with_server_text(&e.message, said);
    if status == 429 {
        e.retry_after_ms = said.and_then(retry_after_ms);
    }
    Err(e)
}

/// How long a gateway's rate-limit refusal (`{"error":"rateLimited","retryAfterMs"}`) asks to wait.
fn retry_after_ms(o: &Object) -> Option<u32> {
    let ms = o.i64("retryAfterMs").ok()??;
    u32::try_from(ms).ok()
}

/// A gateway's refusal of an invalid request (`{"error":"invalidRequest","field","rule"}`): nothing was sent on.
fn gateway_refusal(o: &Object) -> Option<(&'static str, String)> {
    if o.string("error").ok()??.as_str() != "invalidRequest" {
        return None;
    }
    let field = request_field(&o.string("field").ok()??)?;
    let rule: String = o.non_empty_string("rule").ok()??.chars().filter(|c| !c.is_control()).collect();
    let rule = rule.trim();
    if rule.is_empty() {
        return None;
    }
    Some((field, crate::error::truncate(rule, crate::error::RAW_TEXT_CHARS)))
}

/// Appends a short explanation the server put in its JSON error body `said`, if it has one.
fn with_server_text(message: &str, said: Option<&Object>) -> String {
    let said = said.and_then(|o| {
        ["message", "reason", "retMsg", "error_description", "error"]
            .iter()
            .find_map(|k| o.non_empty_string(k).ok().flatten())
    });
    match said {
        Some(text) => format!("{message}: {}", crate::error::truncate(&text, crate::error::RAW_TEXT_CHARS)),
        None => message.to_string(),
    }
}

/// Reads the `retCode`/`retMsg`/`result` envelope of the service operations.
///
/// Returns the `result` object (absent on some successes) and `retMsg`, or an API error decoded by `table`.
pub(crate) fn envelope(
    op: Operation,
    obj: &Object,
    table: fn(&str) -> Code,
) -> Result<(Option<Object>, Option<String>), Error> {
    let code = obj.string("retCode").map_err(|e| decode(op, e))?;
    let message = obj.string("retMsg").map_err(|e| decode(op, e))?;
    match code.as_deref().map(str::trim) {
        Some("0") => Ok((obj.object("result").map_err(|e| decode(op, e))?, message)),
        Some(other) => Err(Error::api(op, table(other), message.as_deref())),
        None => Err(Error::decode(op, 200, "retCode is missing")),
    }
}

/// A field of a successful answer could not be read.
pub(crate) fn decode(op: Operation, e: WireError) -> Error {
    Error::decode(op, 200, e.0)
}

/// Reads an input field (from a JS object or a forwarded body) as text, leniently: numbers become strings.
pub(crate) fn input_string(op: Operation, input: &Object, field: &'static str) -> Result<Option<String>, Error> {
    input.string(field).map_err(|_| Error::validation(op, field, "must be a string or a number"))
}

/// Reads an input field as a whole number; numeric strings are accepted.
pub(crate) fn input_i64(op: Operation, input: &Object, field: &'static str) -> Result<Option<i64>, Error> {
    input.i64(field).map_err(|_| Error::validation(op, field, "must be a whole number within ±2^53"))
}

/// A required input text field.
pub(crate) fn required_string(op: Operation, input: &Object, field: &'static str) -> Result<String, Error> {
    input_string(op, input, field)?.ok_or_else(|| Error::validation(op, field, "is required"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn numbers_js_rounded_are_refused_by_their_field() {
        let object = |text: &str| parse_object_or_empty(text);
        let op = Operation::QueryCallState;
        assert!(refuse_inexact_numbers(op, &object(r#"{"callSerialNo":9007199254740991}"#)).is_ok());
        let rounded = refuse_inexact_numbers(op, &object(r#"{"callSerialNo":9007199254740992}"#));
        assert!(rounded.is_err_and(|e| e.field == Some("callSerialNo")));
        assert!(refuse_inexact_numbers(op, &object(r#"{"callSerialNo":1.5}"#)).is_ok(), "a fraction is the field's rule's");
        assert!(refuse_inexact_numbers(op, &object(r#"{"notAField":1e300}"#)).is_ok());
        assert_eq!(wire::safe_integer(9_007_199_254_740_991.0), Some(9_007_199_254_740_991));
        assert_eq!(wire::safe_integer(9_007_199_254_740_992.0), None);
        assert_eq!(wire::safe_integer(-3.0), Some(-3));
        assert_eq!(wire::safe_integer(0.5), None);
    }

    #[test]
    fn a_whole_number_input_beyond_2_53_is_refused_with_that_rule_as_text_or_number() {
        let op = Operation::QueryBasicCallInfo;
        for text in [r#"{"ccId":"9007199254740993"}"#, r#"{"ccId":"-9007199254740993"}"#] {
            let refused = input_i64(op, &parse_object_or_empty(text), "ccId").unwrap_err();
            assert_eq!((refused.field, refused.rule.as_deref()), (Some("ccId"), Some("must be a whole number within ±2^53")), "{text}");
        }
        assert_eq!(input_i64(op, &parse_object_or_empty(r#"{"ccId":"9007199254740991"}"#), "ccId").ok(), Some(Some(9_007_199_254_740_991)));
    }

    fn parse_object_or_empty(text: &str) -> Object {
        wire::parse_object(text).unwrap_or_default()
    }

    #[test]
    fn paths_and_names_map_back_to_operations() {
        for &op in Operation::API {
            assert_eq!(Operation::from_path(op.path()), Some(op));
            assert_eq!(Operation::from_name(op.as_str()), Some(op));
        }
        assert_eq!(Operation::from_path("/nope"), None);
        assert_eq!(Operation::from_name("tokenByAkSk"), None, "the token stays inside the client");
        assert_eq!(request_field("callBackUrl"), Some("callBackUrl"));
        assert_eq!(request_field("password"), None);
    }

    #[test]
    fn only_create_call_has_an_effect() {
        let never: Vec<_> = Operation::API.iter().filter(|op| op.retry() == Retry::Never).collect();
        assert_eq!(never, [&Operation::CreateCall]);
    }

    #[test]
    fn statuses_are_classified() {
        let op = Operation::QueryCallState;
        let kind = |status, body| read_body(op, status, body).err().map(|e| e.kind);
        assert_eq!(kind(401, ""), Some(ErrorKind::Auth));
        assert_eq!(kind(403, "<html>"), Some(ErrorKind::Auth));
        assert_eq!(kind(502, "<html>bad gateway</html>"), Some(ErrorKind::Http));
        assert_eq!(kind(200, "<html>"), Some(ErrorKind::Decode));
        assert_eq!(kind(200, ""), Some(ErrorKind::Decode));
        assert_eq!(kind(200, "{\"retCode\":"), Some(ErrorKind::Decode));
        assert!(read_body(op, 200, "{}").is_ok());
    }

    #[test]
    fn a_gateway_refusal_of_invalid_input_is_a_validation_error() {
        let body = r#"{"error":"invalidRequest","message":"createCall: called must contain only digits","field":"called","rule":"must contain only digits"}"#;
        let e = read_body(Operation::CreateCall, 400, body).err();
        assert_eq!(e.as_ref().map(|e| (e.kind, e.field, e.status)), Some((ErrorKind::Validation, Some("called"), Some(400))));
        let limited = read_body(Operation::CreateCall, 429, r#"{"error":"rateLimited","message":"m","retryAfterMs":41000}"#).err();
        assert_eq!(limited.map(|e| (e.status, e.retryable, e.retry_after_ms)), Some((Some(429), true, Some(41_000))));
        let other = read_body(Operation::CreateCall, 400, r#"{"error":"invalidRequest","field":"password","rule":"x"}"#).err();
        assert_eq!(other.map(|e| e.kind), Some(ErrorKind::Http));
    }

    #[test]
    fn server_reason_is_kept_in_the_message() {
        let e = read_body(Operation::CreateCall, 403, r#"{"error":"forbidden","reason":"caller 123 not allowed"}"#);
        assert!(e.err().is_some_and(|e| e.message.contains("caller 123 not allowed")));
    }

    #[test]
    fn envelope_reads_numbers_and_strings() {
        let table = crate::codes::create_call::ret_code;
        let ok = wire::parse_object(r#"{"retCode": 0, "retMsg": "ok"}"#).unwrap_or_default();
        assert!(matches!(envelope(Operation::CreateCall, &ok, table), Ok((None, Some(_)))));
        let bad = wire::parse_object(r#"{"retCode": "5", "retMsg": "bad"}"#).unwrap_or_default();
        let e = envelope(Operation::CreateCall, &bad, table).err();
        assert_eq!(e.as_ref().and_then(|e| e.ret_code()), Some("5"));
        let missing = wire::parse_object(r#"{"retMsg": "?"}"#).unwrap_or_default();
        assert_eq!(envelope(Operation::CreateCall, &missing, table).err().map(|e| e.kind), Some(ErrorKind::Decode));
    }
}
