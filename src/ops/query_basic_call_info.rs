//! querybasiccallinfo (CMS openapi, C2-signed): basic information about a call in progress.

use serde::Serialize;

use super::model::response_model;
use super::{Endpoint, Op, Operation, Retry, decode, input_i64, read_body, required_string};
use crate::codes::cms;
use crate::error::Error;
use crate::rules;
use crate::wire::Object;

/// Path of querybasiccallinfo on the CMS endpoint.
pub const PATH: &str = "/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo";
const OP: Operation = Operation::QueryBasicCallInfo;
/// The legacy (8.13 and earlier) `result` value meaning success.
const LEGACY_SUCCESS: &str = "0";

/// A valid querybasiccallinfo request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryBasicCallInfo {
    cc_id: u16,
    vdn: u16,
    call_id: String,
}

impl QueryBasicCallInfo {
    /// Checks `ccId` (1..=65535), `vdn` (1..=5000) and `callId` (`<ms time>-<sequence>`, at most 20 characters).
    pub fn new(cc_id: i64, vdn: i64, call_id: impl Into<String>) -> Result<Self, Error> {
        rules::range(OP, "ccId", cc_id, 1, 65535)?;
        rules::range(OP, "vdn", vdn, 1, 5000)?;
        let call_id = call_id.into().trim().to_string();
        rules::call_id(OP, "callId", &call_id)?;
        let cc_id = u16::try_from(cc_id).map_err(|_| Error::validation(OP, "ccId", "must be between 1 and 65535"))?;
        let vdn = u16::try_from(vdn).map_err(|_| Error::validation(OP, "vdn", "must be between 1 and 5000"))?;
        Ok(QueryBasicCallInfo { cc_id, vdn, call_id })
    }
}

impl Op for QueryBasicCallInfo {
    const OPERATION: Operation = Operation::QueryBasicCallInfo;
    const PATH: &'static str = PATH;
    const ENDPOINT: Endpoint = Endpoint::Cms;
    const RETRY: Retry = Retry::Safe;
    const FIELDS: &'static [&'static str] = &["ccId", "vdn", "callId"];
    type Answer = BasicCallInfo;

    /// Builds a request from a JS-style object `{ ccId, vdn, callId }`; numeric strings are accepted.
    fn from_input(input: &Object) -> Result<Self, Error> {
        let cc_id = input_i64(OP, input, "ccId")?.ok_or_else(|| Error::validation(OP, "ccId", "is required"))?;
        let vdn = input_i64(OP, input, "vdn")?.ok_or_else(|| Error::validation(OP, "vdn", "is required"))?;
        QueryBasicCallInfo::new(cc_id, vdn, required_string(OP, input, "callId")?)
    }

    fn from_wire(body: &Object) -> Result<Self, Error> {
        Self::from_input(body)
    }

    /// The exact JSON body, with `ccId` and `vdn` as JSON numbers.
    fn body(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire<'a> {
            cc_id: u16,
            vdn: u16,
            call_id: &'a str,
        }
        serde_json::to_string(&Wire { cc_id: self.cc_id, vdn: self.vdn, call_id: &self.call_id }).unwrap_or_default()
    }

    /// Reads the answer in either shape: `resultCode` + `resultDesc` (current) or `result` + `resultDatas` (8.13 and earlier).
    fn decode(status: u16, body: &str) -> Result<BasicCallInfo, Error> {
        let obj = read_body(OP, status, body)?;
        let result_code = obj.non_empty_string("resultCode").map_err(|e| decode(OP, e))?.map(|c| seven_digits(&c));
        let legacy_result = obj.non_empty_string("result").map_err(|e| decode(OP, e))?;
        let success = match (&result_code, &legacy_result) {
            (Some(code), _) => code.trim() == cms::SUCCESS,
            (None, Some(result)) => result.trim() == LEGACY_SUCCESS || result.trim() == cms::SUCCESS,
            (None, None) => return Err(Error::decode(OP, status, "neither resultCode nor result is present")),
        };
        if !success {
            let code = result_code.or(legacy_result).unwrap_or_default();
            let said = obj.string("resultDesc").ok().flatten();
            return Err(Error::api(OP, cms::result_code(&code), said.as_deref()));
        }
        let data = match obj.object("resultDesc").map_err(|e| decode(OP, e))? {
            Some(data) => data,
            None => obj
                .object("resultDatas")
                .map_err(|e| decode(OP, e))?
                .ok_or_else(|| Error::decode(OP, status, "neither resultDesc nor resultDatas holds the call"))?,
        };
        BasicCallInfo::read(&data).map_err(|e| decode(OP, e))
    }
}

#[cfg(feature = "server")]
impl crate::policy::Gated for QueryBasicCallInfo {
    /// The CMS ids are not scoped by the gateway (see docs/gateway-policy.md): `authorize` can check them.
    fn apply(self, _verdict: &crate::policy::Verdict) -> Result<Self, crate::policy::Refusal> {
        Ok(self)
    }
}

/// CMS result codes are 7-digit strings; one sent as a JSON number (`100000`) lost its leading zero.
fn seven_digits(code: &str) -> String {
    let code = code.trim();
    if code.len() < 7 && !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("{code:0>7}")
    } else {
        code.to_string()
    }
}

response_model! {
    /// CMS basic information about a call (table 4 of the page).
    #[derive(Debug, Clone, PartialEq)]
    pub struct BasicCallInfo {
        /// When the call entered the platform, in milliseconds since the Unix epoch (`time`).
        pub time: Option<i64> = (i64 "time"),
        /// Call task ID (`dsn`).
        pub dsn: Option<i64> = (i64 "dsn"),
        /// Times the call task control block was reused (`handle`).
        pub handle: Option<i64> = (i64 "handle"),
        /// Media server ID (`server`).
        pub server: Option<i64> = (i64 "server"),
        /// The call's unique ID (`keyId`).
        pub key_id: Option<String> = (non_empty_string "keyId"),
        /// Calling number (`callingNum`).
        pub calling_num: Option<String> = (non_empty_string "callingNum"),
        /// Called number (`calledNum`).
        pub called_num: Option<String> = (non_empty_string "calledNum"),
        /// UAP module ID (`mid`).
        pub mid: Option<i64> = (i64 "mid"),
        /// Trunk ID (`trunkNo`).
        pub trunk_no: Option<i64> = (i64 "trunkNo"),
        /// User level (`priority`).
        pub priority: Option<i64> = (i64 "priority"),
        /// Type of the device handling the call (`deviceType`).
        pub device_type: Option<i64> = (i64 "deviceType"),
        /// ID of the device handling the call (`deviceNo`).
        pub device_no: Option<i64> = (i64 "deviceNo"),
        /// Skill queue description (`callSkill`; typed Integer, sent as text such as "defaultAudioSkill").
        pub call_skill: Option<String> = (non_empty_string "callSkill"),
        /// Devices in the call track (`partyNum`).
        pub party_num: Option<i64> = (i64 "partyNum"),
        /// Call feature (`callFeature`).
        pub call_feature: Option<i64> = (i64 "callFeature"),
        /// The first called number if it changed (`orgiCalledNum`; `""` counts as absent).
        pub orgi_called_num: Option<String> = (non_empty_string "orgiCalledNum"),
        /// Media type (`mediaType`).
        pub media_type: Option<i64> = (i64 "mediaType"),
        /// Call access place (`place`).
        pub place: Option<i64> = (i64 "place"),
        /// Waiting time in a queue (`waitTime`).
        pub wait_time: Option<i64> = (i64 "waitTime"),
        /// Call duration (`totalTalkingTimes`).
        pub total_talking_times: Option<i64> = (i64 "totalTalkingTimes"),
        /// Total sign-in duration (`logonTimes`).
        pub logon_times: Option<i64> = (i64 "logonTimes"),
        /// Business type (`serviceType`).
        pub service_type: Option<i64> = (i64 "serviceType"),
        /// Reason for an inbound call (`callInCause`).
        pub call_in_cause: Option<i64> = (i64 "callInCause"),
        /// Reason for accessing the device (`enterReason`).
        pub enter_reason: Option<i64> = (i64 "enterReason"),
        /// Multimedia report type (`mediaBillType`; typed String, sent as a number in the example).
        pub media_bill_type: Option<String> = (string "mediaBillType"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const PAGE_RESPONSE: &str = include_str!("../../tests/fixtures/querybasiccallinfo.response.json");

    #[test]
    fn page_example_request_body() {
        let r = QueryBasicCallInfo::new(1, 1, "1453723531-574").map(|r| r.body());
        assert_eq!(r.as_deref(), Ok(r#"{"ccId":1,"vdn":1,"callId":"1453723531-574"}"#));
    }

    /// Every field of the page's example, one by one.
    fn check_page_call(info: &BasicCallInfo) {
        assert_eq!(info.time, Some(1606115215000));
        assert_eq!((info.dsn, info.handle, info.server), (Some(0), Some(0), Some(0)));
        assert_eq!(info.key_id, None, "an empty keyId is absent");
        assert_eq!(info.calling_num.as_deref(), Some("88881364"));
        assert_eq!(info.called_num.as_deref(), Some("650550"));
        assert_eq!((info.mid, info.trunk_no, info.priority), (Some(5), Some(582), Some(0)));
        assert_eq!((info.device_type, info.device_no), (Some(2), Some(1177)));
        assert_eq!(info.call_skill.as_deref(), Some("defaultAudioSkill"));
        assert_eq!((info.party_num, info.call_feature), (Some(1), Some(0)));
        assert_eq!(info.orgi_called_num, None);
        assert_eq!((info.media_type, info.place, info.wait_time), (Some(5), Some(0), Some(0)));
        assert_eq!((info.total_talking_times, info.logon_times), (Some(275), Some(284)));
        assert_eq!((info.service_type, info.call_in_cause, info.enter_reason), (Some(2), Some(65535), Some(0)));
        assert_eq!(info.media_bill_type.as_deref(), Some("0"));
        assert!(info.extra.is_empty());
    }

    #[test]
    fn the_request_is_json_in_utf8_as_the_cms_expects() {
        let http = QueryBasicCallInfo::new(1, 1, "1453723531-574").map(|r| r.http());
        let content_type = http.as_ref().ok().and_then(|h| h.headers.iter().find(|(k, _)| k == "Content-Type")).map(|(_, v)| v.as_str());
        assert_eq!(content_type, Some("application/json; charset=UTF-8"));
    }

    #[test]
    fn page_example_response_both_shapes() {
        let info = QueryBasicCallInfo::decode(200, PAGE_RESPONSE);
        assert!(info.as_ref().is_ok(), "{info:?}");
        if let Ok(info) = info {
            check_page_call(&info);
        }
    }

    #[test]
    fn each_shape_alone() {
        let page = crate::wire::parse_object(PAGE_RESPONSE).unwrap_or_default();
        let data = page.get("resultDesc").cloned().unwrap_or_default();
        let new = serde_json::json!({ "resultCode": "0100000", "resultDesc": data }).to_string();
        let legacy = serde_json::json!({ "result": "0", "resultDatas": data }).to_string();
        for body in [new, legacy] {
            let info = QueryBasicCallInfo::decode(200, &body);
            assert!(info.is_ok(), "{body}");
            if let Ok(info) = info {
                check_page_call(&info);
            }
        }
    }

    #[test]
    fn failures_decode_cms_codes() {
        let e = QueryBasicCallInfo::decode(200, r#"{"resultCode":"0100002","resultDesc":"invalid parameter"}"#).err();
        assert!(e.is_some_and(|e| e.kind == ErrorKind::Api && e.code.is_some_and(|c| c.code == "0100002" && c.is_known())));
        let numeric = QueryBasicCallInfo::decode(200, r#"{"resultCode":100000,"resultDesc":{"callingNum":"1"}}"#);
        assert!(numeric.is_ok_and(|i| i.calling_num.as_deref() == Some("1")));
        let numeric_failure = QueryBasicCallInfo::decode(200, r#"{"resultCode":100002}"#).err();
        assert_eq!(numeric_failure.and_then(|e| e.code).map(|c| c.name), Some("invalidParameter"));
        let legacy = QueryBasicCallInfo::decode(200, r#"{"result":"0100001"}"#).err();
        assert_eq!(legacy.and_then(|e| e.code).map(|c| c.code), Some("0100001".to_string()));
        for body in ["", "<html>", "{}", r#"{"resultCode":"0100000"}"#, r#"{"resultCode":"0100000","resultDesc":{"time":[]}}"#] {
            assert_eq!(QueryBasicCallInfo::decode(200, body).err().map(|e| e.kind), Some(ErrorKind::Decode), "{body}");
        }
        let auth = QueryBasicCallInfo::decode(401, "").err();
        assert_eq!(auth.map(|e| e.kind), Some(ErrorKind::Auth));
    }

    #[test]
    fn limits() {
        let field = |r: Result<QueryBasicCallInfo, Error>| r.err().and_then(|e| e.field);
        assert!(QueryBasicCallInfo::new(65535, 5000, "1-1").is_ok());
        assert!(QueryBasicCallInfo::new(1, 1, "12345678901234567-12").is_ok());
        assert_eq!(field(QueryBasicCallInfo::new(0, 1, "1-1")), Some("ccId"));
        assert_eq!(field(QueryBasicCallInfo::new(65536, 1, "1-1")), Some("ccId"));
        assert_eq!(field(QueryBasicCallInfo::new(1, 0, "1-1")), Some("vdn"));
        assert_eq!(field(QueryBasicCallInfo::new(1, 5001, "1-1")), Some("vdn"));
        assert_eq!(field(QueryBasicCallInfo::new(1, 1, "123456789012345678-12")), Some("callId"));
        assert_eq!(field(QueryBasicCallInfo::new(1, 1, "abc")), Some("callId"));
        let input = crate::wire::parse_object(r#"{"ccId":"1","vdn":2.5,"callId":"1-1"}"#).unwrap_or_default();
        assert_eq!(field(QueryBasicCallInfo::from_input(&input)), Some("vdn"));
    }
}
