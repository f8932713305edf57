//! queryCallState: reads the state of a call by its serial number.

use super::model::response_model;
use super::{Endpoint, Op, Operation, Retry, decode, envelope, read_body, required_string};
use crate::codes::{call_state, Code};
use crate::error::Error;
use crate::rules;
use crate::wire::Object;

/// Path of queryCallState on the AICC service domain.
pub const PATH: &str = "/apiaccess/CC-Management/v1/mobileAgent/queryCallState";
const OP: Operation = Operation::QueryCallState;

/// A valid queryCallState request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCallState {
    call_serial_no: String,
}

impl QueryCallState {
    /// Checks the serial (`callSerialNo`: 1 to 50 digits) and builds the request.
    pub fn new(call_serial_no: impl Into<String>) -> Result<Self, Error> {
        let call_serial_no = call_serial_no.into().trim().to_string();
        rules::serial(OP, "callSerialNo", &call_serial_no)?;
        Ok(QueryCallState { call_serial_no })
    }

    /// The serial asked about.
    pub fn call_serial_no(&self) -> &str {
        &self.call_serial_no
    }
}

impl Op for QueryCallState {
    const OPERATION: Operation = Operation::QueryCallState;
    const PATH: &'static str = PATH;
    const ENDPOINT: Endpoint = Endpoint::Service;
    const RETRY: Retry = Retry::Safe;
    const FIELDS: &'static [&'static str] = &["callSerialNo"];
    type Answer = CallState;

    /// Builds a request from a JS-style object `{ callSerialNo }`.
    fn from_input(input: &Object) -> Result<Self, Error> {
        QueryCallState::new(required_string(OP, input, "callSerialNo")?)
    }

    fn from_wire(body: &Object) -> Result<Self, Error> {
        Self::from_input(body)
    }

    /// The exact JSON body.
    fn body(&self) -> String {
        serde_json::to_string(&serde_json::json!({ "callSerialNo": self.call_serial_no })).unwrap_or_default()
    }

    /// Reads queryCallState's answer.
    fn decode(status: u16, body: &str) -> Result<CallState, Error> {
        let obj = read_body(OP, status, body)?;
        let (result, ret_msg) = envelope(OP, &obj, call_state::ret_code)?;
        // `result` and its fields are optional on the page ("No"): absent ones stay absent.
        let state = CallState::read(&result.unwrap_or_default()).map_err(|e| decode(OP, e))?;
        Ok(CallState { ret_msg, ..state })
    }
}

#[cfg(feature = "server")]
impl crate::policy::Gated for QueryCallState {
    /// The serial in its one spelling (no leading zeros), so that ownership is keyed and the request forwarded
    /// on the same number AICC reads; the shared state then decides who may read it.
    fn apply(mut self, _verdict: &crate::policy::Verdict) -> Result<Self, crate::policy::Refusal> {
        self.call_serial_no = rules::canonical_serial(&self.call_serial_no);
        Ok(self)
    }

    fn guard(&self) -> crate::policy::Guard {
        crate::policy::Guard::OwnCall(self.call_serial_no.clone())
    }
}

response_model! {
    /// The state of a call.
    #[derive(Debug, Clone, PartialEq)]
    pub struct CallState {
        /// `state`: 0 to be called, 1 calling, 2 talking, 3 ended; optional on the page.
        pub state: Option<u32> = (u32 "state"),
        /// The state's stable name: `toBeCalled`, `calling`, `talking`, `ended` (`unknown` for other values).
        pub state_name: Option<&'static str> = (= state.map(|s| call_state::state(s).name)),
        /// Why the call ended (`reasonCode`, decoded), whenever AICC sends one.
        pub reason: Option<Code> = (u32 "reasonCode" => call_state::reason),
        /// AICC's message (`retMsg`), from the envelope: set by `decode`.
        pub ret_msg: Option<String> = (= None),
        /// The agent-side number (`caller`).
        pub caller: Option<String> = (non_empty_string "caller"),
        /// The customer number (`called`).
        pub called: Option<String> = (non_empty_string "called"),
        /// The call data given to createCall (`callData`).
        pub call_data: Option<String> = (string "callData"),
        /// When the call started, in milliseconds since the Unix epoch (`startTime`).
        pub start_time: Option<i64> = (i64 "startTime"),
        /// When the call ended, in milliseconds since the Unix epoch (`endTime`).
        pub end_time: Option<i64> = (i64 "endTime"),
        /// The number shown to the customer (`callerPresent`).
        pub caller_present: Option<String> = (non_empty_string "callerPresent"),
        /// The number shown to the agent (`agentPresent`).
        pub agent_present: Option<String> = (non_empty_string "agentPresent"),
    }
}

/// The value of `state` once a call has ended.
pub const STATE_ENDED: u32 = 3;

impl CallState {
    /// Whether the call has ended (state 3); nothing changes after that.
    pub fn is_ended(&self) -> bool {
        self.state == Some(STATE_ENDED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const PAGE_RESPONSE: &str = include_str!("../../tests/fixtures/queryCallState.response.json");

    #[test]
    fn page_example_request_body() {
        let body = QueryCallState::new("645735364434067472").map(|r| r.body());
        assert_eq!(body.as_deref(), Ok(r#"{"callSerialNo":"645735364434067472"}"#));
    }

    #[test]
    fn page_example_response() {
        let s = QueryCallState::decode(200, PAGE_RESPONSE);
        let s = s.as_ref().ok();
        assert_eq!(s.map(|s| (s.state, s.state_name)), Some((Some(3), Some("ended"))));
        assert_eq!(s.and_then(|s| s.reason.as_ref()).map(|r| r.name), Some("calledHungUp"));
        assert_eq!(s.and_then(|s| s.start_time), Some(1621823865000));
        assert_eq!(s.and_then(|s| s.end_time), Some(1621823872000));
        assert_eq!(s.and_then(|s| s.caller.as_deref()), Some("88889050"));
        assert_eq!(s.and_then(|s| s.agent_present.as_deref()), Some("640060"));
        assert!(s.is_some_and(|s| s.is_ended() && s.extra.is_empty()));
    }

    #[test]
    fn times_as_strings_and_reasons_beyond_six() {
        let body = r#"{"retCode":0,"result":{"state":"3","reasonCode":"17","startTime":"1572794607000","future":1}}"#;
        let s = QueryCallState::decode(200, body).ok();
        assert_eq!(s.as_ref().and_then(|s| s.start_time), Some(1572794607000));
        assert_eq!(s.as_ref().and_then(|s| s.reason.as_ref()).map(|r| r.code.as_str()), Some("17"));
        assert!(s.is_some_and(|s| s.extra.contains_key("future")));
    }

    #[test]
    fn nothing_sent_is_dropped_and_optional_fields_stay_optional() {
        let s = QueryCallState::decode(200, r#"{"retCode":"0","retMsg":"ok","result":{"state":1,"reasonCode":0}}"#);
        assert!(s.as_ref().is_ok_and(|s| s.state_name == Some("calling") && s.reason.is_some() && s.ret_msg.as_deref() == Some("ok")), "{s:?}");
        let bare = QueryCallState::decode(200, r#"{"retCode":"0","retMsg":"ok"}"#);
        assert!(bare.is_ok_and(|s| s.state.is_none() && s.state_name.is_none() && !s.is_ended()));
    }

    #[test]
    fn serial_rules() {
        assert!(QueryCallState::new("1".repeat(50)).is_ok());
        for bad in ["", "1".repeat(51).as_str(), "12ab"] {
            assert_eq!(QueryCallState::new(bad).err().and_then(|e| e.field), Some("callSerialNo"), "{bad}");
        }
    }

    #[test]
    fn failures() {
        let e = QueryCallState::decode(200, r#"{"retCode":"1","retMsg":"not found"}"#).err();
        assert!(e.is_some_and(|e| e.kind == ErrorKind::Api && e.code.is_some_and(|c| c.code == "1" && c.is_known())));
        for body in ["", "<html></html>", r#"{"retCode":"0","result":[]}"#, r#"{"retCode":"0","result":{"state":"x"}}"#, "{\"ret"] {
            assert_eq!(QueryCallState::decode(200, body).err().map(|e| e.kind), Some(ErrorKind::Decode), "{body}");
        }
    }
}
