//! getCalledInfo: reads the destination device (skill queue or number) configured for a called number.

use super::model::response_model;
use super::{Endpoint, Op, Operation, Retry, decode, envelope, read_body, required_string};
use crate::codes::called_info;
use crate::error::Error;
use crate::rules;
use crate::wire::Object;

/// Path of getCalledInfo on the AICC service domain.
pub const PATH: &str = "/apiaccess/CC-Management/v1/mobileAgent/getCalledInfo";
const OP: Operation = Operation::GetCalledInfo;

/// A valid getCalledInfo request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCalledInfo {
    caller: String,
    called: String,
}

impl GetCalledInfo {
    /// Checks both numbers (`caller`, `called`: 1 to 32 digits each) and builds the request.
    pub fn new(caller: impl Into<String>, called: impl Into<String>) -> Result<Self, Error> {
        let caller = caller.into().trim().to_string();
        let called = called.into().trim().to_string();
        rules::phone(OP, "caller", &caller, 32)?;
        rules::phone(OP, "called", &called, 32)?;
        Ok(GetCalledInfo { caller, called })
    }
}

impl Op for GetCalledInfo {
    const OPERATION: Operation = Operation::GetCalledInfo;
    const PATH: &'static str = PATH;
    const ENDPOINT: Endpoint = Endpoint::Service;
    const RETRY: Retry = Retry::Safe;
    const FIELDS: &'static [&'static str] = &["caller", "called"];
    type Answer = CalledInfo;

    /// Builds a request from a JS-style object `{ caller, called }`; numbers are accepted.
    fn from_input(input: &Object) -> Result<Self, Error> {
        GetCalledInfo::new(required_string(OP, input, "caller")?, required_string(OP, input, "called")?)
    }

    fn from_wire(body: &Object) -> Result<Self, Error> {
        Self::from_input(body)
    }

    /// The exact JSON body; numbers are sent as strings, as the page's table types them.
    fn body(&self) -> String {
        serde_json::to_string(&serde_json::json!({ "caller": self.caller, "called": self.called })).unwrap_or_default()
    }

    /// Reads getCalledInfo's answer.
    fn decode(status: u16, body: &str) -> Result<CalledInfo, Error> {
        let obj = read_body(OP, status, body)?;
        let (result, ret_msg) = envelope(OP, &obj, called_info::ret_code)?;
        // `result` and its fields are optional on the page ("No"): absent ones stay absent.
        let info = CalledInfo::read(&result.unwrap_or_default()).map_err(|e| decode(OP, e))?;
        Ok(CalledInfo { ret_msg, ..info })
    }
}

#[cfg(feature = "server")]
impl crate::policy::Gated for GetCalledInfo {
    /// Limits the caller numbers to the session's.
    fn apply(self, verdict: &crate::policy::Verdict) -> Result<Self, crate::policy::Refusal> {
        verdict.check_caller(&self.caller)?;
        Ok(self)
    }
}

response_model! {
    /// Where calls to a number go.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CalledInfo {
        /// `devType`: 0 skill queue, 1 number; optional on the page.
        pub dev_type: Option<u32> = (u32 "devType"),
        /// The device type's stable name: `skillQueue`, `number` (`unknown` otherwise).
        pub dev_type_name: Option<&'static str> = (= dev_type.map(|d| called_info::dev_type(d).name)),
        /// The called number (`called`).
        pub called: Option<String> = (non_empty_string "called"),
        /// The skill queue's ID (`skillId`, "number (16)" on the page): exact decimal text, as the serials.
        pub skill_id: Option<String> = (decimal_id "skillId"),
        /// The skill queue's name (`skillName`).
        pub skill_name: Option<String> = (non_empty_string "skillName"),
        /// AICC's message (`retMsg`), from the envelope: set by `decode`.
        pub ret_msg: Option<String> = (= None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::wire::parse_object;

    #[test]
    fn optional_fields_stay_optional_and_nothing_is_dropped() {
        let bare = GetCalledInfo::decode(200, r#"{"retCode":"0","retMsg":"ok"}"#);
        assert!(bare.as_ref().is_ok_and(|i| i.dev_type.is_none() && i.ret_msg.as_deref() == Some("ok")), "{bare:?}");
        let body = r#"{"retCode":"0","retMsg":"ok","result":{"skillId":9007199254740993123,"queue":"vip"}}"#;
        let info = GetCalledInfo::decode(200, body).ok();
        assert_eq!(info.as_ref().and_then(|i| i.skill_id.as_deref()), Some("9007199254740993123"), "exact beyond 2^53");
        assert!(info.is_some_and(|i| i.extra.contains_key("queue") && i.dev_type_name.is_none()));
    }

    #[test]
    fn page_example_request_with_numbers() {
        let input = parse_object(r#"{ "caller": 8888888, "called": 6666614 }"#).unwrap_or_default();
        let body = GetCalledInfo::from_input(&input).map(|r| r.body());
        assert_eq!(body.as_deref(), Ok(r#"{"called":"6666614","caller":"8888888"}"#));
    }

    #[test]
    fn page_example_response_is_ret_code_5() {
        let e = GetCalledInfo::decode(200, include_str!("../../tests/fixtures/getCalledInfo.response.json")).err();
        assert_eq!(e.as_ref().map(|e| e.kind), Some(ErrorKind::Api));
        assert!(e.is_some_and(|e| e.code.is_some_and(|c| c.code == "5" && c.is_known())
            && e.message.contains("Called is not configured")));
    }

    #[test]
    fn skill_queue_answer() {
        let body = r#"{"retCode":"0","result":{"devType":0,"called":"6666601","skillId":"12","skillName":"voice"}}"#;
        let info = GetCalledInfo::decode(200, body);
        assert_eq!(
            info,
            Ok(CalledInfo {
                dev_type: Some(0),
                dev_type_name: Some("skillQueue"),
                called: Some("6666601".into()),
                skill_id: Some("12".into()),
                skill_name: Some("voice".into()),
                ret_msg: None,
                extra: serde_json::Map::new(),
            })
        );
    }

    #[test]
    fn limits() {
        assert!(GetCalledInfo::new("1".repeat(32), "1").is_ok());
        assert_eq!(GetCalledInfo::new("1".repeat(33), "1").err().and_then(|e| e.field), Some("caller"));
        assert_eq!(GetCalledInfo::new("1", "").err().and_then(|e| e.field), Some("called"));
        assert_eq!(GetCalledInfo::new("1", "x").err().and_then(|e| e.field), Some("called"));
    }

    #[test]
    fn broken_bodies() {
        for body in ["", "<!doctype html>", r#"{"retCode":"0","result":{"devType":[]}}"#, r#"{"retCode":"0","result":[]}"#] {
            assert_eq!(GetCalledInfo::decode(200, body).err().map(|e| e.kind), Some(ErrorKind::Decode), "{body}");
        }
    }
}
