//! No answer, however broken, makes a decoder panic: every prefix of every recorded answer, wrong types in
//! every field, and bodies that are not JSON at all decode to a value or an error.

use aicc_call::ops::{decode_answer, TokenByAkSk};
use aicc_call::{ErrorKind, Operation};

const ANSWERS: &[&str] = &[
    include_str!("fixtures/queryCallState.response.json"),
    include_str!("fixtures/queryCallInfoByCallId.response.json"),
    include_str!("fixtures/querybasiccallinfo.response.json"),
    include_str!("fixtures/queryCallDetailRecord.response.json"),
    include_str!("fixtures/createCall.response.json"),
    include_str!("fixtures/getCalledInfo.response.json"),
    r#"{"retCode":"0","retMsg":"ok","result":{"callSerialNo":645735364434067472}}"#,
    r#"{"retMsg":"success","retCode":"0","result":{"devType":0,"called":"6666601","skillId":1,"skillName":"voice"}}"#,
    r#"{"AccessToken":"abc","ApplyType":"Bearer","CreateTime":"1545650171","Expires":"600"}"#,
];

/// Every decoder of the operation list, and the token's.
fn decode_all(status: u16, body: &str) -> Vec<Option<ErrorKind>> {
    let token = TokenByAkSk::new("key", "secret", None).ok();
    let mut kinds: Vec<Option<ErrorKind>> =
        Operation::API.iter().filter_map(|&op| decode_answer(op, status, body)).map(|r| r.err().map(|e| e.kind)).collect();
    assert_eq!(kinds.len(), Operation::API.len(), "every operation has a decoder");
    kinds.push(token.and_then(|t| t.decode(status, body).err()).map(|e| e.kind));
    kinds
}

#[test]
fn every_prefix_of_every_answer() {
    for answer in ANSWERS {
        for cut in 0..answer.len() {
            let Some(prefix) = answer.get(..cut) else { continue };
            let kinds = decode_all(200, prefix);
            if prefix.trim().is_empty() || !prefix.trim_end().ends_with('}') {
                assert!(kinds.iter().all(|k| *k == Some(ErrorKind::Decode)), "{prefix:?}: {kinds:?}");
            }
        }
    }
}

#[test]
fn wrong_types_in_every_field() {
    let replacements = ["null", "true", "[]", "{}", "\"\"", "\"x\"", "-1", "1.5", "1e999", "18446744073709551616"];
    for answer in ANSWERS {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(answer) else { continue };
        for key in map.keys() {
            for replacement in replacements {
                let mut changed = map.clone();
                if let Ok(v) = serde_json::from_str(replacement) {
                    changed.insert(key.clone(), v);
                } else {
                    continue;
                }
                let body = serde_json::Value::Object(changed).to_string();
                let _ = decode_all(200, &body);
            }
        }
    }
}

#[test]
fn bodies_that_are_not_json() {
    let bodies = ["", " ", "<html><body>502 Bad Gateway</body></html>", "null", "0", "\"ok\"", "[{}]", "\u{feff}{", "{\"retCode\":\u{0}}"];
    for status in [200, 201, 400, 401, 403, 404, 429, 500, 502, 503, 504] {
        for body in bodies {
            let kinds = decode_all(status, body);
            assert!(kinds.iter().all(Option::is_some), "{status} {body:?}: {kinds:?}");
        }
    }
}
