//! queryCallDetailRecord (cec_07_1305, "Querying Call History Records"): the call records of a time window,
//! a page at a time. It is how a createCall whose answer was lost is found afterwards.

use serde::Serialize;
use serde_json::Value;

use super::model::response_model;
use super::{decode, envelope, input_i64, input_string, read_body, Endpoint, Op, Operation, Retry};
use crate::codes::{call_state, entry as e, service_code, Category as C, Code, Entry};
use crate::error::Error;
use crate::rules;
use crate::wire::{Object, WireError};

/// Path of queryCallDetailRecord on the AICC service domain.
pub const PATH: &str = "/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord";
const OP: Operation = Operation::QueryCallDetailRecord;
/// The longest time window the page allows: 7 days, in milliseconds.
pub const MAX_WINDOW_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// The page size when none is given (the page's default).
pub const DEFAULT_LIMIT: i64 = 100;
/// The largest page asked for: the page gives no maximum, and its default is the sane bound.
pub const MAX_LIMIT: i64 = 100;

/// queryCallDetailRecord's `retCode` values.
#[rustfmt::skip]
pub const RET_CODES: &[Entry] = &[
    e("0", "success", C::Ok, false, "Success."),
    e("1", "noData", C::Ok, false, "No call record matches the query."),
    e("2", "invalidTimeRange", C::Input, false, "The time range is incorrect (endTime at most 7 days after startTime)."),
    e("4", "invalidPaging", C::Input, false, "The paging parameters (offset, limit) are incorrect."),
    e("12", "callerUnavailable", C::Input, false, "The caller number is unavailable."),
];

/// A valid queryCallDetailRecord request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCallDetailRecord {
    start_time: i64,
    end_time: i64,
    offset: i64,
    limit: i64,
    caller: Option<String>,
    task_type: Option<String>,
}

impl QueryCallDetailRecord {
    /// The records of calls that started between `start_time` and `end_time` (milliseconds since the Unix
    /// epoch, at most 7 days apart), first page of [`DEFAULT_LIMIT`].
    pub fn new(start_time: i64, end_time: i64) -> Result<Self, Error> {
        let request =
            QueryCallDetailRecord { start_time, end_time, offset: 0, limit: DEFAULT_LIMIT, caller: None, task_type: None };
        request.check()?;
        Ok(request)
    }

    /// Only the calls of this agent-side number (at most 32 characters).
    pub fn caller(mut self, caller: impl Into<String>) -> Result<Self, Error> {
        self.caller = Some(caller.into().trim().to_string());
        self.check()?;
        Ok(self)
    }

    /// The page starting at record `offset` (from 0), of `limit` records (1 to 100).
    pub fn page(mut self, offset: i64, limit: i64) -> Result<Self, Error> {
        self.offset = offset;
        self.limit = limit;
        self.check()?;
        Ok(self)
    }

    /// The agent-side number asked about, if any.
    pub fn caller_number(&self) -> Option<&str> {
        self.caller.as_deref()
    }

    /// The first record asked for.
    pub fn offset(&self) -> i64 {
        self.offset
    }

    /// The page size.
    pub fn limit(&self) -> i64 {
        self.limit
    }

    fn check(&self) -> Result<(), Error> {
        rules::range(OP, "startTime", self.start_time, 0, i64::MAX)?;
        rules::range(OP, "endTime", self.end_time, self.start_time, self.start_time.saturating_add(MAX_WINDOW_MS))
            .map_err(|_| Error::validation(OP, "endTime", "must be from startTime to 7 days after it"))?;
        rules::range(OP, "offset", self.offset, 0, i64::from(i32::MAX))?;
        rules::range(OP, "limit", self.limit, 1, MAX_LIMIT)?;
        if let Some(caller) = &self.caller {
            rules::phone(OP, "caller", caller, 32)?;
        }
        if let Some(task_type) = &self.task_type {
            if !["0", "1", "2", "3", "4"].contains(&task_type.as_str()) {
                return Err(Error::validation(OP, "taskType", "must be 0, 1, 2, 3 or 4"));
            }
        }
        Ok(())
    }
}

impl Op for QueryCallDetailRecord {
    const OPERATION: Operation = OP;
    const PATH: &'static str = PATH;
    const ENDPOINT: Endpoint = Endpoint::Service;
    const RETRY: Retry = Retry::Safe;
    const FIELDS: &'static [&'static str] = &["startTime", "endTime", "offset", "limit", "caller", "taskType"];
    type Answer = CallRecords;

    /// Builds a request from `{ startTime, endTime, offset?, limit?, caller?, taskType? }`; numbers and numeric
    /// strings are accepted.
    fn from_input(input: &Object) -> Result<Self, Error> {
        let required = |field| input_i64(OP, input, field)?.ok_or_else(|| Error::validation(OP, field, "is required"));
        let request = QueryCallDetailRecord {
            start_time: required("startTime")?,
            end_time: required("endTime")?,
            offset: input_i64(OP, input, "offset")?.unwrap_or(0),
            limit: input_i64(OP, input, "limit")?.unwrap_or(DEFAULT_LIMIT),
            caller: input_string(OP, input, "caller")?.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
            task_type: input_string(OP, input, "taskType")?.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
        };
        request.check()?;
        Ok(request)
    }

    fn from_wire(body: &Object) -> Result<Self, Error> {
        Self::from_input(body)
    }

    /// The exact JSON body: every value a string, as the page's example sends them.
    fn body(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire<'a> {
            start_time: String,
            end_time: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            task_type: Option<&'a str>,
            offset: String,
            limit: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            caller: Option<&'a str>,
        }
        let wire = Wire {
            start_time: self.start_time.to_string(),
            end_time: self.end_time.to_string(),
            task_type: self.task_type.as_deref(),
            offset: self.offset.to_string(),
            limit: self.limit.to_string(),
            caller: self.caller.as_deref(),
        };
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// Reads `result.total` and `result.callInfo[]`.
    /// Reads a page of records; retCode 1 ("no data") is an empty list, not an error.
    fn decode(status: u16, body: &str) -> Result<CallRecords, Error> {
        let obj = read_body(OP, status, body)?;
        if obj.string("retCode").ok().flatten().as_deref().map(str::trim) == Some("1") {
            return Ok(CallRecords { total: 0, call_info: Vec::new() });
        }
        let (result, _) = envelope(OP, &obj, ret_code)?;
        let result = result.ok_or_else(|| Error::decode(OP, status, "result is missing"))?;
        CallRecords::read(&result).map_err(|e| decode(OP, e))
    }
}

#[cfg(feature = "server")]
impl crate::policy::Gated for QueryCallDetailRecord {
    /// A query without `caller` lists every agent's calls: through a gateway, `caller` is required and must be
    /// one of the session's numbers.
    /// The session's numbers must be known (the verdict's `callers`): a session without them could list the
    /// calls of any number, other sessions' included.
    fn apply(self, verdict: &crate::policy::Verdict) -> Result<Self, crate::policy::Refusal> {
        let caller = self.caller.as_deref().ok_or_else(|| {
            crate::policy::Refusal::forbidden("caller is required through the gateway: without it the query lists every agent's calls")
        })?;
        if verdict.callers.is_none() {
            return Err(crate::policy::Refusal::forbidden(
                "queryCallDetailRecord needs the session's callers: authorize() must return callers for it",
            ));
        }
        verdict.check_caller(caller)?;
        Ok(self)
    }

    fn guard(&self) -> crate::policy::Guard {
        crate::policy::Guard::ClaimListed
    }
}

/// Decodes a queryCallDetailRecord `retCode` (or an ITA code of the API gateway).
pub fn ret_code(code: &str) -> Code {
    service_code(RET_CODES, code)
}

/// One page of call records.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRecords {
    /// How many records match in all (`result.total`), over every page.
    pub total: i64,
    /// This page's records (`result.callInfo`).
    pub call_info: Vec<CallRecord>,
}

response_model! {
    /// One call's record.
    #[derive(Debug, Clone, PartialEq)]
    pub struct CallRecord {
        /// The call's serial (`callSerialNo`), exact: 19 digits in the page's example.
        pub call_serial_no: Option<String> = (decimal_id "callSerialNo"),
        /// The agent-side number.
        pub caller: Option<String> = (non_empty_string "caller"),
        /// The customer number.
        pub called: Option<String> = (non_empty_string "called"),
        /// The number shown to the customer.
        pub caller_present: Option<String> = (non_empty_string "callerPresent"),
        /// The number shown to the agent.
        pub agent_present: Option<String> = (non_empty_string "agentPresent"),
        /// `state` (3 = ended), with its name.
        pub state: Option<u32> = (u32 "state"),
        /// The state's stable name (`ended`, ...).
        pub state_name: Option<&'static str> = (= state.map(|s| call_state::state(s).name)),
        /// Why the call ended (`reasonCode`, queryCallState's table).
        pub reason: Option<Code> = (u32 "reasonCode" => call_state::reason),
        /// When the call started (ms). (`startTime`)
        pub start_time: Option<i64> = (i64 "startTime"),
        /// When it ended (ms). (`endTime`)
        pub end_time: Option<i64> = (i64 "endTime"),
        /// When the customer's phone rang (ms). (`alertingTime`)
        pub alerting_time: Option<i64> = (i64 "alertingTime"),
        /// When the customer answered (ms). (`talkingTime`)
        pub talking_time: Option<i64> = (i64 "talkingTime"),
        /// When the customer's leg was released (ms). (`releaseTime`)
        pub release_time: Option<i64> = (i64 "releaseTime"),
        /// How long the customer talked (s). (`talkDuration`)
        pub talk_duration: Option<i64> = (i64 "talkDuration"),
        /// When the agent's phone rang (ms). (`agentAlertingTime`)
        pub agent_alerting_time: Option<i64> = (i64 "agentAlertingTime"),
        /// When the agent answered (ms). (`agentTalkingTime`)
        pub agent_talking_time: Option<i64> = (i64 "agentTalkingTime"),
        /// When the agent's leg was released (ms). (`agentReleaseTime`)
        pub agent_release_time: Option<i64> = (i64 "agentReleaseTime"),
        /// How long the agent talked (s). (`agentTalkDuration`)
        pub agent_talk_duration: Option<i64> = (i64 "agentTalkDuration"),
    }
}

impl CallRecords {
    fn read(r: &Object) -> Result<Self, WireError> {
        let total = r.i64("total")?.unwrap_or(0);
        let items = match r.get("callInfo") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(_) => return Err(WireError("result.callInfo must be an array".into())),
        };
        let call_info = items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => CallRecord::read(&Object(map)),
                _ => Err(WireError("result.callInfo must hold objects".into())),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CallRecords { total, call_info })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn no_data_is_an_empty_list() {
        let empty = QueryCallDetailRecord::decode(200, r#"{"retCode":"1","retMsg":"no data"}"#);
        assert_eq!(empty.map(|r| (r.total, r.call_info.len())), Ok((0, 0)));
        let refused = QueryCallDetailRecord::decode(200, r#"{"retCode":"2","retMsg":"bad range"}"#);
        assert!(refused.is_err_and(|e| e.ret_code() == Some("2")), "other codes stay errors");
    }

    const PAGE_RESPONSE: &str = include_str!("../../tests/fixtures/queryCallDetailRecord.response.json");

    #[test]
    fn page_example_request_body() {
        let r = QueryCallDetailRecord::from_input(&crate::wire::parse_object(
            r#"{"startTime":"1562786332000","endTime":"1563391072000","taskType":"0","offset":"0","limit":"10"}"#,
        )
        .unwrap_or_default());
        assert_eq!(
            r.map(|r| r.body()).ok().as_deref(),
            Some(r#"{"startTime":"1562786332000","endTime":"1563391072000","taskType":"0","offset":"0","limit":"10"}"#)
        );
    }

    #[test]
    fn page_example_response_keeps_19_digit_serials() {
        let records = QueryCallDetailRecord::decode(200, PAGE_RESPONSE);
        let records = records.as_ref().ok();
        assert_eq!(records.map(|r| (r.total, r.call_info.len())), Some((11, 2)));
        let first = records.and_then(|r| r.call_info.first());
        assert_eq!(first.and_then(|c| c.call_serial_no.as_deref()), Some("1211563329487453203"));
        assert_eq!(first.and_then(|c| c.caller.as_deref()), Some("88880001"));
        assert_eq!(first.and_then(|c| c.state_name), Some("ended"));
        assert_eq!(first.and_then(|c| c.reason.as_ref()).map(|r| r.name), Some("calledHungUp"));
        assert_eq!(first.and_then(|c| c.start_time), Some(1563329487000));
        assert_eq!(first.and_then(|c| c.talk_duration), Some(9));
    }

    #[test]
    fn rules_of_the_page() {
        let week = MAX_WINDOW_MS;
        assert!(QueryCallDetailRecord::new(1_000, 1_000 + week).is_ok());
        assert_eq!(QueryCallDetailRecord::new(1_000, 1_001 + week).err().and_then(|e| e.field), Some("endTime"));
        assert_eq!(QueryCallDetailRecord::new(2_000, 1_000).err().and_then(|e| e.field), Some("endTime"));
        let base = QueryCallDetailRecord::new(0, 1);
        assert_eq!(base.clone().and_then(|r| r.page(0, 0)).err().and_then(|e| e.field), Some("limit"));
        assert_eq!(base.clone().and_then(|r| r.page(-1, 10)).err().and_then(|e| e.field), Some("offset"));
        assert_eq!(base.clone().and_then(|r| r.caller("12a")).err().and_then(|e| e.field), Some("caller"));
        let bad_task = crate::wire::parse_object(r#"{"startTime":0,"endTime":1,"taskType":"5"}"#).unwrap_or_default();
        assert_eq!(QueryCallDetailRecord::from_input(&bad_task).err().and_then(|e| e.field), Some("taskType"));
    }

    #[test]
    fn codes_of_the_page() {
        assert_eq!(ret_code("1").name, "noData", "decoded to an empty list, but still in the table");
        for (code, name) in [("2", "invalidTimeRange"), ("4", "invalidPaging"), ("12", "callerUnavailable")] {
            let body = format!(r#"{{"retCode":"{code}","retMsg":"x"}}"#);
            let e = QueryCallDetailRecord::decode(200, &body).err();
            assert_eq!(e.as_ref().map(|e| (e.kind, e.code.as_ref().map(|c| c.name))), Some((ErrorKind::Api, Some(name))));
        }
    }
}
