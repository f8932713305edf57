//! createCall (V1): places a bidirectional call between the agent's phone (`caller`) and a customer (`called`).

use base64::Engine as _;
use serde::Serialize;

use super::{Endpoint, Op, Operation, Retry, envelope, input_string, read_body, required_string};
use crate::codes::create_call::ret_code;
use crate::error::{CallAttempt, Error};
use crate::rules;
use crate::wire::Object;

/// Path of createCall on the AICC service domain.
pub const PATH: &str = "/apiaccess/CC-Management/v1/mobileAgent/createCall";
const OP: Operation = Operation::CreateCall;

/// A valid createCall request; build it with [`CreateCall::builder`] or [`CreateCall::from_input`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCall {
    caller: String,
    called: String,
    agent_work_no: Option<String>,
    call_data: Option<String>,
    caller_present: Option<String>,
    agent_present: Option<String>,
    call_back_url: Option<String>,
}

/// Collects createCall's fields; [`CreateCallBuilder::build`] checks every rule of the page.
#[derive(Debug, Clone, Default)]
pub struct CreateCallBuilder {
    caller: String,
    called: String,
    agent_work_no: Option<String>,
    call_data: Option<String>,
    caller_present: Option<String>,
    agent_present: Option<String>,
    call_back_url: Option<String>,
}

impl CreateCall {
    /// Starts a request from the agent-side number `caller` to the customer number `called` (32 characters each).
    pub fn builder(caller: impl Into<String>, called: impl Into<String>) -> CreateCallBuilder {
        CreateCallBuilder { caller: caller.into(), called: called.into(), ..Default::default() }
    }

    /// The agent's work number, if set.
    pub fn agent_work_no(&self) -> Option<&str> {
        self.agent_work_no.as_deref()
    }

    /// The agent-side (calling) number.
    pub fn caller(&self) -> &str {
        &self.caller
    }

    /// The customer (called) number.
    pub fn called(&self) -> &str {
        &self.called
    }

    /// The plain (not yet Base64-encoded) release callback URL, if any.
    pub fn call_back_url(&self) -> Option<&str> {
        self.call_back_url.as_deref()
    }

    /// Every rule of the page, on every field.
    fn check(&self) -> Result<(), Error> {
        rules::phone(OP, "caller", &self.caller, 32)?;
        rules::phone(OP, "called", &self.called, 32)?;
        if let Some(v) = &self.agent_work_no {
            rules::decimal(OP, "agentWorkNo", v, 5)?;
        }
        if let Some(v) = &self.call_data {
            rules::at_most(OP, "callData", v, 1024)?;
        }
        if let Some(v) = &self.caller_present {
            rules::presentation_number(OP, "callerPresent", v)?;
        }
        if let Some(v) = &self.agent_present {
            rules::presentation_number(OP, "agentPresent", v)?;
        }
        if let Some(v) = &self.call_back_url {
            rules::callback_url(OP, "callBackUrl", v)?;
        }
        Ok(())
    }
}

impl Op for CreateCall {
    const OPERATION: Operation = Operation::CreateCall;
    const PATH: &'static str = PATH;
    const ENDPOINT: Endpoint = Endpoint::Service;
    const RETRY: Retry = Retry::Never;
    const FIELDS: &'static [&'static str] = &["caller", "called", "agentWorkNo", "callData", "callerPresent", "agentPresent", "callBackUrl"];
    type Answer = CallPlaced;

    /// Builds a request from a JS-style object with the wire field names; numbers are accepted for numbers.
    fn from_input(input: &Object) -> Result<Self, Error> {
        let mut b = CreateCall::builder(required_string(OP, input, "caller")?, required_string(OP, input, "called")?);
        b.agent_work_no = input_string(OP, input, "agentWorkNo")?;
        b.call_data = input_string(OP, input, "callData")?;
        b.caller_present = input_string(OP, input, "callerPresent")?;
        b.agent_present = input_string(OP, input, "agentPresent")?;
        b.call_back_url = input_string(OP, input, "callBackUrl")?;
        b.build()
    }

    /// Builds a request from a body as sent on the wire (by this SDK in a browser): `callBackUrl` is Base64 there.
    fn from_wire(body: &Object) -> Result<Self, Error> {
        let mut input = body.clone();
        if let Some(encoded) = input_string(OP, body, "callBackUrl")?.filter(|s| !s.is_empty()) {
            let url = base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                // Blank text encodes no URL: refused rather than read as "no callBackUrl".
                .filter(|url| !url.trim().is_empty())
                .ok_or_else(|| Error::validation(OP, "callBackUrl", "must be the Base64 encoding of the URL"))?;
            input.0.insert("callBackUrl".into(), serde_json::Value::String(url));
        }
        CreateCall::from_input(&input)
    }

    /// The exact JSON body: absent fields are left out and `callBackUrl` is Base64-encoded.
    fn body(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire<'a> {
            caller: &'a str,
            called: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            agent_work_no: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            caller_present: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            agent_present: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            call_data: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            call_back_url: Option<String>,
        }
        let wire = Wire {
            caller: &self.caller,
            called: &self.called,
            agent_work_no: self.agent_work_no.as_deref(),
            caller_present: self.caller_present.as_deref(),
            agent_present: self.agent_present.as_deref(),
            call_data: self.call_data.as_deref(),
            call_back_url: self.call_back_url.as_ref().map(|u| base64::engine::general_purpose::STANDARD.encode(u)),
        };
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// The caller, the called number and the time: a lost createCall is found by them in the call records.
    fn call_attempt(&self, sent_at_ms: i64) -> Option<CallAttempt> {
        Some(CallAttempt { caller: self.caller.clone(), called: self.called.clone(), sent_at_ms })
    }

    /// Reads createCall's answer.
    fn decode(status: u16, body: &str) -> Result<CallPlaced, Error> {
        let obj = read_body(OP, status, body)?;
        let (result, ret_msg) = envelope(OP, &obj, ret_code)?;
        let call_serial_no = match result {
            Some(r) => r.decimal_id("callSerialNo").map_err(|e| super::decode(OP, e))?,
            None => None,
        };
        Ok(CallPlaced { call_serial_no, ret_msg: ret_msg.unwrap_or_default() })
    }
}

impl CreateCallBuilder {
    /// Sets the agent's work number, `decimal(5)`: 1 to 5 digits.
    pub fn agent_work_no(mut self, value: impl Into<String>) -> Self {
        self.agent_work_no = Some(value.into());
        self
    }

    /// Sets the call data handed back in call state and callbacks, at most 1024 characters in UTF-16 units
    /// (as AICC counts: an emoji is two).
    pub fn call_data(mut self, value: impl Into<String>) -> Self {
        self.call_data = Some(value.into());
        self
    }

    /// Sets the number shown to the customer: an access code or an 11-14 digit number.
    pub fn caller_present(mut self, value: impl Into<String>) -> Self {
        self.caller_present = Some(value.into());
        self
    }

    /// Sets the number shown to the agent: an access code or an 11-14 digit number.
    pub fn agent_present(mut self, value: impl Into<String>) -> Self {
        self.agent_present = Some(value.into());
        self
    }

    /// Sets the release callback URL, in plain text: it is Base64-encoded on the wire for you.
    pub fn call_back_url(mut self, value: impl Into<String>) -> Self {
        self.call_back_url = Some(value.into());
        self
    }

    /// Checks every rule of the page; empty optional fields count as absent.
    pub fn build(self) -> Result<CreateCall, Error> {
        let optional = |v: Option<String>| v.filter(|s| !s.is_empty());
        let req = CreateCall {
            caller: self.caller.trim().to_string(),
            called: self.called.trim().to_string(),
            agent_work_no: optional(self.agent_work_no),
            call_data: optional(self.call_data),
            caller_present: optional(self.caller_present),
            agent_present: optional(self.agent_present),
            call_back_url: optional(self.call_back_url),
        };
        req.check()?;
        Ok(req)
    }
}

#[cfg(feature = "server")]
impl crate::policy::Gated for CreateCall {
    /// Pins the agent, limits the caller numbers, and puts the gateway's release callback URL in: a page's own
    /// is refused. The verdict's values must keep the page's rules too.
    fn apply(mut self, verdict: &crate::policy::Verdict) -> Result<Self, crate::policy::Refusal> {
        if self.call_back_url.is_some() {
            return Err(crate::policy::Refusal::forbidden("callBackUrl is set by the gateway, not the page"));
        }
        self.agent_work_no = verdict.pin("agentWorkNo", self.agent_work_no)?;
        verdict.check_caller(&self.caller)?;
        self.call_back_url = verdict.call_back_url.clone();
        self.check().map_err(|e| crate::policy::Refusal::bad_verdict(&e))?;
        Ok(self)
    }

    fn guard(&self) -> crate::policy::Guard {
        crate::policy::Guard::PlaceCall
    }
}

/// The answer to createCall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallPlaced {
    /// The call's serial number as exact decimal text (`result.callSerialNo`). `None` when AICC accepted the
    /// call without returning one (the page's own example does this): the call may still be placed.
    pub call_serial_no: Option<String>,
    /// AICC's message (`retMsg`).
    pub ret_msg: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_wire_call_back_url_is_refused_not_dropped() {
        for blank in [" ", "ICAg"] {
            let body = crate::wire::parse_object(&format!(r#"{{"caller":"1","called":"2","callBackUrl":"{blank}"}}"#)).unwrap_or_default();
            assert_eq!(CreateCall::from_wire(&body).err().and_then(|e| e.field), Some("callBackUrl"), "{blank:?}");
        }
    }

    #[test]
    fn page_example_reply_is_a_success_without_serial() {
        let placed = CreateCall::decode(200, include_str!("../../tests/fixtures/createCall.response.json"));
        assert_eq!(
            placed,
            Ok(CallPlaced { call_serial_no: None, ret_msg: "Add CallOutInfo in DB successfully".into() })
        );
    }
    use crate::error::ErrorKind;
    use crate::wire::parse_object;

    fn field_of(r: Result<CreateCall, Error>) -> Option<&'static str> {
        r.err().and_then(|e| {
            assert_eq!(e.kind, ErrorKind::Validation);
            e.field
        })
    }

    #[test]
    fn page_example_request_body() {
        let req = CreateCall::builder("88889050", "88889060")
            .agent_work_no("")
            .caller_present("640003")
            .agent_present("640060")
            .call_data("333333")
            .build();
        let body = req.map(|r| r.body()).unwrap_or_default();
        let got: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        // The page sends "agentWorkNo": "", which means absent: it is left out.
        let want = serde_json::json!({ "caller": "88889050", "called": "88889060", "callerPresent": "640003",
            "agentPresent": "640060", "callData": "333333" });
        assert_eq!(got, want);
        assert!(body.starts_with(r#"{"caller":"88889050","called":"88889060""#));
    }

    #[test]
    fn callback_url_is_base64_encoded() {
        let req = CreateCall::builder("88889050", "88889060").call_back_url("https://crm.example.com/cb?a&b");
        let body = req.build().map(|r| r.body()).unwrap_or_default();
        assert!(body.contains(r#""callBackUrl":"aHR0cHM6Ly9jcm0uZXhhbXBsZS5jb20vY2I/YSZi""#), "{body}");
    }

    #[test]
    fn every_limit_is_enforced_with_its_boundary() {
        let b = || CreateCall::builder("88889050", "88889060");
        let n = |k: usize| "1".repeat(k);
        assert!(b().build().is_ok());
        assert!(CreateCall::builder(n(32), n(32)).build().is_ok());
        assert_eq!(field_of(CreateCall::builder(n(33), "1").build()), Some("caller"));
        assert_eq!(field_of(CreateCall::builder("1", n(33)).build()), Some("called"));
        assert_eq!(field_of(CreateCall::builder("", "1").build()), Some("caller"));
        assert_eq!(field_of(CreateCall::builder("1", "12-34").build()), Some("called"));
        assert!(b().agent_work_no("99999").build().is_ok());
        assert_eq!(field_of(b().agent_work_no("100000").build()), Some("agentWorkNo"));
        assert_eq!(field_of(b().agent_work_no("12a").build()), Some("agentWorkNo"));
        assert!(b().call_data("x".repeat(1024)).build().is_ok());
        assert!(b().call_data("é".repeat(1024)).build().is_ok());
        assert_eq!(field_of(b().call_data("x".repeat(1025)).build()), Some("callData"));
        // UTF-16 units, as AICC (Java) counts: an emoji is two.
        assert!(b().call_data("😀".repeat(512)).build().is_ok());
        assert_eq!(field_of(b().call_data("😀".repeat(513)).build()), Some("callData"));
        for ok in ["1", "640003", &n(11), &n(14)] {
            assert!(b().caller_present(ok).agent_present(ok).build().is_ok(), "{ok}");
        }
        assert_eq!(field_of(b().caller_present(n(15)).build()), Some("callerPresent"));
        assert_eq!(field_of(b().agent_present("+8613800000000").build()), Some("agentPresent"));
        assert_eq!(field_of(b().call_back_url("https://x/a b").build()), Some("callBackUrl"));
    }

    #[test]
    fn from_input_accepts_numbers_and_refuses_wrong_types() {
        let input = parse_object(r#"{"caller": 88889050, "called": "88889060", "agentWorkNo": 123}"#);
        let req = input.map_err(|_| ()).and_then(|i| CreateCall::from_input(&i).map_err(|_| ()));
        assert_eq!(req.as_ref().map(|r| r.caller()), Ok("88889050"));
        assert!(req.is_ok_and(|r| r.body().contains(r#""agentWorkNo":"123""#)));
        let wrong = parse_object(r#"{"caller": ["1"], "called": "2"}"#).unwrap_or_default();
        assert_eq!(field_of(CreateCall::from_input(&wrong)), Some("caller"));
        let missing = parse_object(r#"{"caller": "1"}"#).unwrap_or_default();
        let e = CreateCall::from_input(&missing).err();
        assert_eq!(e.as_ref().and_then(|e| e.field), Some("called"));
        assert!(e.is_some_and(|e| e.message.contains("called is required")));
    }

    #[test]
    fn wire_body_round_trips() {
        let req = CreateCall::builder("88889050", "88889060").call_back_url("https://crm.example.com/cb?a&b").build();
        let body = req.as_ref().map(|r| r.body()).unwrap_or_default();
        let again = parse_object(&body).map_err(|_| ()).and_then(|o| CreateCall::from_wire(&o).map_err(|_| ()));
        assert_eq!(again.ok(), req.ok());
        let bad = parse_object(r#"{"caller":"1","called":"2","callBackUrl":"%%%"}"#).unwrap_or_default();
        assert_eq!(CreateCall::from_wire(&bad).err().and_then(|e| e.field), Some("callBackUrl"));
    }

    #[test]
    fn page_example_response_has_no_serial() {
        let r = CreateCall::decode(200, r#"{ "retMsg": "Add CallOutInfo in DB successfully", "retCode": "0" }"#);
        assert_eq!(r, Ok(CallPlaced { call_serial_no: None, ret_msg: "Add CallOutInfo in DB successfully".into() }));
    }

    #[test]
    fn bare_eighteen_digit_serial_is_exact() {
        let r = CreateCall::decode(200, r#"{"retCode":"0","retMsg":"ok","result":{"callSerialNo":645735364434067472}}"#);
        assert_eq!(r.ok().and_then(|p| p.call_serial_no).as_deref(), Some("645735364434067472"));
    }

    #[test]
    fn ret_codes_become_api_errors() {
        let e = CreateCall::decode(200, r#"{"retCode":"5","retMsg":"bad number"}"#).err();
        assert_eq!(e.as_ref().map(|e| e.kind), Some(ErrorKind::Api));
        assert_eq!(e.as_ref().and_then(|e| e.ret_code()), Some("5"));
        let ita = CreateCall::decode(200, r#"{"retCode":"90104029","retMsg":"Too Many Requests"}"#).err();
        assert!(ita.is_some_and(|e| e.retryable && e.code.is_some_and(|c| c.is_known())));
        let unknown = CreateCall::decode(200, r#"{"retCode":77,"retMsg":"?"}"#).err();
        assert!(unknown.is_some_and(|e| e.code.is_some_and(|c| c.name == "unknown" && c.code == "77")));
    }

    #[test]
    fn broken_bodies_never_panic() {
        for body in ["", "<html>", r#"{"retCode":"0","result":{"callSerialNo":"12x"}}"#, r#"{"retCode":"0","result":5}"#, "{", "null"] {
            assert!(CreateCall::decode(200, body).is_err(), "{body}");
        }
    }
}
