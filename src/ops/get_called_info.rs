//! getCalledInfo: reads the destination device (skill queue or number) configured for a called number.

use serde::Serialize;

use super::{Endpoint, Op, Operation, Retry, decode, envelope, read_body, required_string};
use crate::codes::called_info;
use crate::error::Error;
use crate::rules;
use crate::wire::{Object, WireError};

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
        serde_json::json!({ "caller": self.caller, "called": self.called }).to_string()
    }

    /// Reads getCalledInfo's answer.
    fn decode(status: u16, body: &str) -> Result<CalledInfo, Error> {
        let obj = read_body(OP, status, body)?;
        let (result, _) = envelope(OP, &obj, called_info::ret_code)?;
        let result = result.ok_or_else(|| Error::decode(OP, status, "result is missing"))?;
        CalledInfo::read(&result).map_err(|e| decode(OP, e))
    }
}

#[cfg(feature = "server")]
impl crate::gateway::Gated for GetCalledInfo {
    /// Limits the caller numbers to the session's.
    fn apply(self, verdict: &crate::gateway::Verdict) -> Result<Self, crate::gateway::Refusal> {
        verdict.check_caller(&self.caller)?;
        Ok(self)
    }
}

/// Where calls to a number go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalledInfo {
    /// `devType`: 0 skill queue, 1 number.
    pub dev_type: u32,
    /// The device type's stable name: `skillQueue`, `number` (`unknown` otherwise).
    pub dev_type_name: &'static str,
    /// The called number (`called`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub called: Option<String>,
    /// The skill queue's ID (`skillId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill_id: Option<i64>,
    /// The skill queue's name (`skillName`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill_name: Option<String>,
}

impl CalledInfo {
    fn read(r: &Object) -> Result<Self, WireError> {
        let dev_type = r.u32("devType")?.ok_or_else(|| WireError("result.devType is missing".into()))?;
        Ok(CalledInfo {
            dev_type,
            dev_type_name: called_info::dev_type(dev_type).name,
            called: r.non_empty_string("called")?,
            skill_id: r.i64("skillId")?,
            skill_name: r.non_empty_string("skillName")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::wire::parse_object;

    #[test]
    fn page_example_request_with_numbers() {
        let input = parse_object(r#"{ "caller": 8888888, "called": 6666614 }"#).unwrap_or_default();
        let body = GetCalledInfo::from_input(&input).map(|r| r.body());
        assert_eq!(body.as_deref(), Ok(r#"{"called":"6666614","caller":"8888888"}"#));
    }

    #[test]
    fn page_example_response_is_ret_code_5() {
        let e = GetCalledInfo::decode(200, r#"{ "retMsg": "Called is not configured", "retCode": "5" }"#).err();
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
                dev_type: 0,
                dev_type_name: "skillQueue",
                called: Some("6666601".into()),
                skill_id: Some(12),
                skill_name: Some("voice".into())
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
        for body in ["", "<!doctype html>", r#"{"retCode":"0","result":{}}"#, r#"{"retCode":"0","result":{"devType":[]}}"#] {
            assert_eq!(GetCalledInfo::decode(200, body).err().map(|e| e.kind), Some(ErrorKind::Decode), "{body}");
        }
    }
}
