//! queryCallInfoByCallId (workbench): reads call information by call ID.

use serde::Serialize;

use super::model::response_model;
use super::{Endpoint, Op, Operation, Retry, decode, read_body, required_string};
use crate::codes::lookup;
use crate::error::Error;
use crate::rules;
use crate::wire::Object;

/// Path of queryCallInfoByCallId on the AICC service domain.
pub const PATH: &str = "/apiaccess/rest/workbench/v1/queryCallInfoByCallId";
const OP: Operation = Operation::QueryCallInfoByCallId;
/// Longest ID accepted for userId, tenantId and agentId: the page gives no limit, this keeps bodies sane.
const MAX_ID: usize = 64;

/// A valid queryCallInfoByCallId request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCallInfoByCallId {
    call_id: String,
    user_id: String,
    tenant_id: String,
    agent_id: String,
}

impl QueryCallInfoByCallId {
    /// Checks the fields (each required, at most 64 characters: the page gives no limit, this one is ours) and
    /// builds the request.
    pub fn new(
        call_id: impl Into<String>,
        user_id: impl Into<String>,
        tenant_id: impl Into<String>,
        agent_id: impl Into<String>,
    ) -> Result<Self, Error> {
        let req = QueryCallInfoByCallId {
            call_id: call_id.into().trim().to_string(),
            user_id: user_id.into().trim().to_string(),
            tenant_id: tenant_id.into().trim().to_string(),
            agent_id: agent_id.into().trim().to_string(),
        };
        // Its page gives callId no format or limit: only the sane bound of the other IDs is ours.
        rules::text(OP, "callId", &req.call_id, MAX_ID)?;
        rules::text(OP, "userId", &req.user_id, MAX_ID)?;
        rules::text(OP, "tenantId", &req.tenant_id, MAX_ID)?;
        rules::text(OP, "agentId", &req.agent_id, MAX_ID)?;
        Ok(req)
    }
}

impl Op for QueryCallInfoByCallId {
    const OPERATION: Operation = Operation::QueryCallInfoByCallId;
    const PATH: &'static str = PATH;
    const ENDPOINT: Endpoint = Endpoint::Service;
    const RETRY: Retry = Retry::Safe;
    const FIELDS: &'static [&'static str] = &["callId", "userId", "tenantId", "agentId"];
    type Answer = CallInfo;

    /// Builds a request from a JS-style object `{ callId, userId, tenantId, agentId }`.
    fn from_input(input: &Object) -> Result<Self, Error> {
        QueryCallInfoByCallId::new(
            required_string(OP, input, "callId")?,
            required_string(OP, input, "userId")?,
            required_string(OP, input, "tenantId")?,
            required_string(OP, input, "agentId")?,
        )
    }

    fn from_wire(body: &Object) -> Result<Self, Error> {
        Self::from_input(body)
    }

    /// The exact JSON body.
    fn body(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire<'a> {
            call_id: &'a str,
            user_id: &'a str,
            tenant_id: &'a str,
            agent_id: &'a str,
        }
        let wire = Wire { call_id: &self.call_id, user_id: &self.user_id, tenant_id: &self.tenant_id, agent_id: &self.agent_id };
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// Reads the answer: the page shows the fields at the top level, with no `retCode`; a `retCode` other than
    /// 0 (as other workbench APIs send) is an API error, and fields under `result` are read too.
    fn decode(status: u16, body: &str) -> Result<CallInfo, Error> {
        let obj = read_body(OP, status, body)?;
        if let Some(code) = obj.string("retCode").map_err(|e| decode(OP, e))? {
            if code.trim() != "0" {
                let message = obj.string("retMsg").ok().flatten();
                return Err(Error::api(OP, lookup(&[], &code), message.as_deref()));
            }
        }
        let data = match obj.object("result") {
            Ok(Some(inner)) => inner,
            _ => obj,
        };
        CallInfo::read(&data).map_err(|e| decode(OP, e))
    }
}

#[cfg(feature = "server")]
impl crate::policy::Gated for QueryCallInfoByCallId {
    /// Pins `agentId` to the session's agent: a page asking about another agent is refused.
    fn apply(mut self, verdict: &crate::policy::Verdict) -> Result<Self, crate::policy::Refusal> {
        if let Some(agent) = verdict.pin("agentId", Some(self.agent_id.clone()))? {
            self.agent_id = agent;
        }
        Ok(self)
    }
}

response_model! {
    /// Workbench information about a call.
    #[derive(Debug, Clone, PartialEq)]
    pub struct CallInfo {
        /// The calling number (`caller`), as text even when sent as a number.
        pub caller: Option<String> = (non_empty_string "caller"),
        /// The called number (`called`), as text even when sent as a number.
        pub called: Option<String> = (non_empty_string "called"),
        /// The media type (`mediaAbility`).
        pub media_ability: Option<i64> = (i64 "mediaAbility"),
        /// Call-associated data (`calldata` on the wire).
        pub call_data: Option<String> = (string "calldata"),
        /// The call ID (`callId`).
        pub call_id: Option<String> = (non_empty_string "callId"),
        /// The call's skill ID (`callSkillId`).
        pub call_skill_id: Option<i64> = (i64 "callSkillId"),
        /// The call's skill description (`callSkill`).
        pub call_skill: Option<String> = (non_empty_string "callSkill"),
        /// The call type (`callType`).
        pub call_type: Option<i64> = (i64 "callType"),
    }
    // The envelope, when the fields come at the top level.
    also_known: ["retCode", "retMsg", "result"]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn page_example_request_body() {
        let r = QueryCallInfoByCallId::new("1652317325-339", "1652268429538866153", "202205116084", "109");
        assert_eq!(
            r.map(|r| r.body()).as_deref(),
            Ok(r#"{"callId":"1652317325-339","userId":"1652268429538866153","tenantId":"202205116084","agentId":"109"}"#)
        );
    }

    #[test]
    fn page_example_response_numbers_become_strings() {
        let body = include_str!("../../tests/fixtures/queryCallInfoByCallId.response.json");
        let info = QueryCallInfoByCallId::decode(200, body);
        let info = info.as_ref().ok();
        assert_eq!(info.and_then(|i| i.caller.as_deref()), Some("70004"));
        assert_eq!(info.and_then(|i| i.called.as_deref()), Some("60015"));
        assert_eq!(info.and_then(|i| i.call_data.as_deref()), Some("1"));
        assert_eq!(info.and_then(|i| i.call_skill.as_deref()), Some("voice"));
        assert_eq!(info.map(|i| (i.media_ability, i.call_skill_id, i.call_type)), Some((Some(1), Some(1), Some(0))));
    }

    #[test]
    fn limits() {
        let ok = QueryCallInfoByCallId::new("1-1", "u", "t", "a");
        assert!(ok.is_ok());
        let field = |r: Result<QueryCallInfoByCallId, Error>| r.err().and_then(|e| e.field);
        assert!(QueryCallInfoByCallId::new("1652317325339", "u", "t", "a").is_ok(), "no format is guessed for callId");
        assert_eq!(field(QueryCallInfoByCallId::new("", "u", "t", "a")), Some("callId"));
        assert_eq!(field(QueryCallInfoByCallId::new("1".repeat(65), "u", "t", "a")), Some("callId"));
        assert_eq!(field(QueryCallInfoByCallId::new("1-1", "", "t", "a")), Some("userId"));
        assert_eq!(field(QueryCallInfoByCallId::new("1-1", "u", " ", "a")), Some("tenantId"));
        assert_eq!(field(QueryCallInfoByCallId::new("1-1", "u", "t", "a".repeat(65))), Some("agentId"));
        assert!(QueryCallInfoByCallId::new("1-1", "u", "t", "a".repeat(64)).is_ok());
    }

    #[test]
    fn failures() {
        let e = QueryCallInfoByCallId::decode(200, r#"{"retCode":"1","retMsg":"no such call"}"#).err();
        assert!(e.is_some_and(|e| e.kind == ErrorKind::Api && e.code.is_some_and(|c| c.name == "unknown")));
        for body in ["", "<html/>", "[]", r#"{"caller":{}}"#] {
            assert_eq!(QueryCallInfoByCallId::decode(200, body).err().map(|e| e.kind), Some(ErrorKind::Decode), "{body}");
        }
    }
}
