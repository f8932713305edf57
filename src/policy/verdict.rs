//! What `authorize` decided, read strictly: anything malformed denies (fail closed), never widens access.

use serde_json::{Map, Value};

use super::Refusal;
use crate::state::ledger;

/// The fields a verdict may have.
pub const KEYS: [&str; 10] = [
    "allow",
    "status",
    "reason",
    "agentWorkNo",
    "callers",
    "operations",
    "callBackUrl",
    "session",
    "createCallPerMinute",
    "createCallPerDay",
];
/// The most items a verdict's list (`callers`, `operations`) may have: a longer one is malformed (and the
/// bindings stop reading it there).
pub const MAX_LIST_ITEMS: u32 = 1000;
/// The longest `session` accepted.
const MAX_SESSION_LEN: usize = 256;

/// What `authorize` decided for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the request may go on at all.
    pub allow: bool,
    /// The status of a refusal: 401 (who are you?), 403 (not allowed), 500 (the verdict itself was malformed).
    pub status: u16,
    /// Why it was refused, shown to the page.
    pub reason: Option<String>,
    /// The agent this session acts as: createCall's `agentWorkNo` and queryCallInfoByCallId's `agentId` are
    /// set to it, and a different one is refused.
    pub agent_work_no: Option<String>,
    /// The caller (agent-side) numbers this session may use in createCall and getCalledInfo.
    pub callers: Option<Vec<String>>,
    /// The operations this session may use.
    pub operations: Option<Vec<String>>,
    /// The release callback URL the gateway puts in createCall (plain text); a page's own is refused.
    pub call_back_url: Option<String>,
    /// Who owns the calls this request places and may read (`session`; default: the agent).
    pub session: Option<String>,
    /// This session's createCall limit per minute, over the gateway's option.
    pub create_call_per_minute: Option<u32>,
    /// This session's createCall limit per day, over the gateway's option.
    pub create_call_per_day: Option<u32>,
}

impl Verdict {
    fn deny(status: u16, reason: &str) -> Verdict {
        Verdict {
            allow: false,
            status,
            reason: Some(reason.to_string()),
            agent_work_no: None,
            callers: None,
            operations: None,
            call_back_url: None,
            session: None,
            create_call_per_minute: None,
            create_call_per_day: None,
        }
    }

    /// A verdict `authorize` got wrong: refused with 500, so a mistake in the policy never widens access.
    pub fn malformed(why: &str) -> Verdict {
        Verdict::deny(500, &format!("authorize() returned an invalid verdict: {why}"))
    }

    fn allow_all() -> Verdict {
        Verdict { allow: true, ..Verdict::deny(403, "") }
    }

    /// Reads what `authorize` returned: `true`, `false`/nothing, or
    /// `{ allow?, status?, reason?, agentWorkNo?, callers?, operations?, callBackUrl?, session?,
    /// createCallPerMinute?, createCallPerDay? }`.
    pub fn from_value(value: &Value) -> Verdict {
        match value {
            Value::Bool(true) => Verdict::allow_all(),
            Value::Object(map) => Verdict::from_object(map).unwrap_or_else(|why| Verdict::malformed(&why)),
            _ => Verdict::deny(403, "not authorized"),
        }
    }

    fn from_object(map: &Map<String, Value>) -> Result<Verdict, String> {
        if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(format!("{unknown} is not a verdict field (known: {})", KEYS.join(", ")));
        }
        let reason = match map.get("reason") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
            Some(_) => return Err("reason must be a string".into()),
        };
        let allow = match map.get("allow") {
            None | Some(Value::Bool(true)) => true,
            Some(Value::Bool(false)) => false,
            Some(_) => return Err("allow must be true or false".into()),
        };
        let status = match map.get("status") {
            None => 403,
            Some(Value::Number(n)) if n.as_u64() == Some(401) => 401,
            Some(Value::Number(n)) if n.as_u64() == Some(403) => 403,
            Some(_) => return Err("status must be 401 or 403".into()),
        };
        if !allow {
            return Ok(Verdict::deny(status, reason.as_deref().unwrap_or("not authorized")));
        }
        // A refusal's status or reason without `allow: false` is a refusal written wrong: never let it through.
        if map.contains_key("status") || map.contains_key("reason") {
            return Err("status and reason belong to a refusal: add allow: false".into());
        }
        let agent_work_no = match map.get("agentWorkNo") {
            None => None,
            Some(Value::String(s)) if is_work_no(s) => Some(s.clone()),
            Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v <= 99_999) => Some(n.to_string()),
            Some(_) => return Err("agentWorkNo must be 1 to 5 digits".into()),
        };
        let call_back_url = match map.get("callBackUrl") {
            None => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(_) => return Err("callBackUrl must be a URL string".into()),
        };
        let session = match map.get("session") {
            None => None,
            Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= MAX_SESSION_LEN => Some(s.clone()),
            Some(_) => return Err(format!("session must be a non-blank string of at most {MAX_SESSION_LEN} characters")),
        };
        Ok(Verdict {
            allow,
            status,
            reason,
            agent_work_no,
            callers: strings(map, "callers")?,
            operations: strings(map, "operations")?,
            call_back_url,
            session,
            create_call_per_minute: limit(map, "createCallPerMinute", ledger::MAX_PER_MINUTE)?,
            create_call_per_day: limit(map, "createCallPerDay", ledger::MAX_PER_DAY)?,
        })
    }
}

impl Verdict {
    /// Whose calls these are, as one name space with a tag per kind, so that no two kinds can collide: the
    /// verdict's `session` (`session:<s>`), else its agent (`agent:<n>`), else `everyone`, the one session
    /// of every request a bare `true` allows. A CRM user whose id is "101" is never agent 101's session.
    pub fn session(&self) -> String {
        match (&self.session, &self.agent_work_no) {
            (Some(session), _) => format!("session:{session}"),
            (None, Some(agent)) => format!("agent:{agent}"),
            (None, None) => "everyone".to_string(),
        }
    }

    /// The value of an agent field (`agentWorkNo`, `agentId`) to send: the session's agent when the verdict
    /// pins one, else what the page asked. A page asking for another agent is refused.
    pub fn pin(&self, field: &str, asked: Option<String>) -> Result<Option<String>, Refusal> {
        let Some(pinned) = &self.agent_work_no else { return Ok(asked) };
        match asked.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            Some(other) if other != pinned => Err(Refusal::forbidden(format!("{field} is not this session's agent"))),
            _ => Ok(Some(pinned.clone())),
        }
    }

    /// Refuses an agent-side number the session may not use.
    pub fn check_caller(&self, caller: &str) -> Result<(), Refusal> {
        match &self.callers {
            Some(allowed) if !allowed.iter().any(|c| c == caller.trim()) => {
                Err(Refusal::forbidden("this caller number is not allowed for this session"))
            }
            _ => Ok(()),
        }
    }
}

fn is_work_no(s: &str) -> bool {
    (1..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// An optional limit: a whole number from 1 to `max`.
fn limit(map: &Map<String, Value>, name: &str, max: u32) -> Result<Option<u32>, String> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if (1..=u64::from(max)).contains(&v) => Ok(u32::try_from(v).ok()),
            _ => Err(format!("{name} must be a whole number from 1 to {max}")),
        },
        Some(_) => Err(format!("{name} must be a whole number from 1 to {max}")),
    }
}

/// An optional list of strings (numbers accepted for phone numbers); any other shape is an error.
fn strings(map: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>, String> {
    let Some(value) = map.get(name) else { return Ok(None) };
    let items = value.as_array().ok_or_else(|| format!("{name} must be an array of strings"))?;
    if items.len() > MAX_LIST_ITEMS as usize {
        return Err(format!("{name} must have at most {MAX_LIST_ITEMS} items"));
    }
    items
        .iter()
        .map(|v| match v {
            Value::String(s) => Ok(s.trim().to_string()),
            Value::Number(n) if n.is_u64() => Ok(n.to_string()),
            _ => Err(format!("{name} must be an array of strings")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_longer_than_the_most_items_is_malformed() {
        let most = vec![json!("88889050"); MAX_LIST_ITEMS as usize];
        assert!(Verdict::from_value(&json!({ "callers": most })).allow);
        let over = vec![json!("88889050"); MAX_LIST_ITEMS as usize + 1];
        let refused = Verdict::from_value(&json!({ "callers": over }));
        assert!(!refused.allow && refused.status == 500, "{refused:?}");
    }

    #[test]
    fn simple_answers() {
        assert!(Verdict::from_value(&json!(true)).allow);
        for denied in [json!(false), json!(null), json!("yes"), json!(1), json!([])] {
            let v = Verdict::from_value(&denied);
            assert_eq!((v.allow, v.status), (false, 403), "{denied}");
        }
    }

    #[test]
    fn restrictions_are_read() {
        let v = Verdict::from_value(&json!({ "agentWorkNo": 101, "callers": ["88889050", 88889051], "operations": ["createCall"],
            "callBackUrl": "https://gw.example/cb" }));
        assert!(v.allow);
        assert_eq!(v.agent_work_no.as_deref(), Some("101"));
        assert_eq!(v.callers, Some(vec!["88889050".to_string(), "88889051".to_string()]));
        assert_eq!(v.operations, Some(vec!["createCall".to_string()]));
        assert_eq!(v.call_back_url.as_deref(), Some("https://gw.example/cb"));
    }

    #[test]
    fn sessions_default_to_the_agent() {
        let v = Verdict::from_value(&json!({ "agentWorkNo": "101", "session": "crm-user-7", "createCallPerMinute": 3, "createCallPerDay": 10 }));
        assert_eq!((v.session().as_str(), v.create_call_per_minute, v.create_call_per_day), ("session:crm-user-7", Some(3), Some(10)));
        assert_eq!(Verdict::from_value(&json!({ "agentWorkNo": "101" })).session(), "agent:101");
        assert_eq!(Verdict::from_value(&json!(true)).session(), "everyone");
        // A CRM user named like an agent, or like a tag, is still its own session.
        let user = Verdict::from_value(&json!({ "session": "101" })).session();
        assert_ne!(user, Verdict::from_value(&json!({ "agentWorkNo": "101" })).session());
        assert_ne!(Verdict::from_value(&json!({ "session": "agent:101" })).session(), "agent:101");
        assert_ne!(Verdict::from_value(&json!({ "session": "everyone" })).session(), "everyone");
    }

    #[test]
    fn refusals_keep_reason_and_status() {
        let v = Verdict::from_value(&json!({ "allow": false, "status": 401, "reason": "session expired" }));
        assert_eq!((v.allow, v.status, v.reason.as_deref()), (false, 401, Some("session expired")));
    }

    #[test]
    fn malformed_verdicts_fail_closed() {
        for bad in [
            json!({ "allow": 0 }),
            json!({ "allow": "false" }),
            json!({ "allow": null }),
            json!({ "callers": "88889050" }),
            json!({ "callers": [{}] }),
            json!({ "operations": "queryCallState" }),
            json!({ "agentWorkNo": "" }),
            json!({ "agentWorkNo": "123456" }),
            json!({ "agentWorkNo": true }),
            json!({ "status": 200 }),
            json!({ "callBackUrl": 5 }),
            json!({ "reason": 5 }),
            json!({ "reason": "no session" }),
            json!({ "status": 401, "reason": "log in first" }),
            json!({ "agentWorkNo": "101", "caller": ["1"] }),
            json!({ "allowed": false }),
            json!({ "session": "" }),
            json!({ "session": 7 }),
            json!({ "session": "x".repeat(257) }),
            json!({ "createCallPerMinute": 0 }),
            json!({ "createCallPerMinute": 1.5 }),
            json!({ "createCallPerDay": "10" }),
            json!({ "createCallPerDay": 5001 }),
        ] {
            let v = Verdict::from_value(&bad);
            assert_eq!((v.allow, v.status), (false, 500), "{bad}");
        }
    }
}
