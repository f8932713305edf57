#!/usr/bin/env python3
"""Writes fuzz/seeds/<target>/ from tests/fixtures/*.json, the simulator's answers (sim/) and the API pages'
examples (../shared/api-docs/). The seeds are committed; run this again only to change them:

    python3 fuzz/make_seeds.py

Each target's input format is described at the top of its fuzz_targets/<target>.rs. Parts are joined with
the byte 0xFF, which never occurs in UTF-8 text.
"""
import hashlib
import hmac
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
SEP = b"\xff"


def fixture(name):
    return (ROOT / "tests" / "fixtures" / name).read_text().strip()


def write(target, seeds):
    folder = SEEDS / target
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, data in seeds:
        if isinstance(data, str):
            data = data.encode()
        (folder / name).write_bytes(data)


def joined(*parts):
    return SEP.join(p.encode() if isinstance(p, str) else p for p in parts)


# Answers of the pages (api-docs), the fixtures and the simulator (sim/calls.mjs, lookup.mjs, cms.mjs,
# tokens.mjs, faults.mjs, respond.mjs).
PAGE_DATAS = ('{"time":1606115215000,"dsn":0,"handle":0,"server":0,"keyId":"","callingNum":"88881364","calledNum":"650550",'
              '"mid":5,"trunkNo":582,"priority":0,"deviceType":2,"deviceNo":1177,"callSkill":"defaultAudioSkill","partyNum":1,'
              '"callFeature":0,"orgiCalledNum":"","mediaType":5,"place":0,"waitTime":0,"totalTalkingTimes":275,"logonTimes":284,'
              '"serviceType":2,"callInCause":65535,"enterReason":0,"mediaBillType":0}')
ANSWERS = [(f"fixture-{p.name.split('.')[0]}", 200, p.read_text().strip())
           for p in sorted((ROOT / "tests" / "fixtures").glob("*.json"))] + [
    ("sim-queryCallDetailRecord-1", 200, '{"retCode":"1","retMsg":"No data"}'),
    ("page-createCall", 200, '{ "retMsg": "Add CallOutInfo in DB successfully", "retCode": "0" }'),
    ("page-getCalledInfo", 200, '{ "retMsg": "Called is not configured", "retCode": "5" }'),
    ("sim-createCall-ok", 200, '{"retCode":"0","retMsg":"success","result":{"callSerialNo":645735364434067472}}'),
    ("sim-createCall-5", 200, '{"retCode":"5","retMsg":"The format of called is incorrect"}'),
    ("sim-createCall-9", 200, '{"retCode":"9","retMsg":"The value of callBackUrl does not meet the requirements"}'),
    ("sim-createCall-1", 200, '{"retCode":"1","retMsg":"Failed to add the outbound call task."}'),
    ("sim-createCall-ita", 200, '{"retCode":"90104029","retMsg":"Too Many Requests"}'),
    ("sim-queryCallState-3", 200, '{"retCode":"3","retMsg":"The format of the call SN is incorrect"}'),
    ("sim-queryCallState-talking", 200, '{"retMsg":"Query call state successfully","retCode":"0","result":{"caller":"88889050","called":"88889060","state":"2","startTime":"1621823865000","callData":"order-1"}}'),
    ("sim-getCalledInfo-ok", 200, '{"retMsg":"success","retCode":"0","result":{"devType":0,"called":"6666601","skillId":1,"skillName":"defaultAudioSkill"}}'),
    ("sim-getCalledInfo-4", 200, '{"retMsg":"The called party ID cannot be obtained","retCode":"4"}'),
    ("sim-cms-new", 200, '{"resultCode":"0100000","resultDesc":' + PAGE_DATAS + '}'),
    ("sim-cms-legacy", 200, '{"result":"0","resultDatas":' + PAGE_DATAS + '}'),
    ("sim-cms-0100002", 200, '{"resultCode":"0100002","resultDesc":"Invalid parameter: callId"}'),
    ("sim-cms-numeric", 200, '{"resultCode":100000,"resultDesc":{"callingNum":1}}'),
    ("sim-token", 200, '{"AccessToken":"tok-1","ApplyType":"Bearer","CreateTime":"1545650171","Expires":"600","Scope":"default","AppKey":"demo-app-key","UserID":"Anonymous"}'),
    ("sim-401", 401, '{"error_code":"SIM.0401","error_msg":"Unauthorized: invalid or expired access token"}'),
    ("sim-403", 403, '{"error_code":"SIM.0403","error_msg":"Forbidden: invalid app_key or app_secret"}'),
    ("gateway-400", 400, '{"error":"invalidRequest","message":"createCall: called must contain only digits","field":"called","rule":"must contain only digits"}'),
    ("gateway-403", 403, '{"error":"forbidden","message":"this caller number is not allowed for this session"}'),
    ("fault-malformed", 200, '{"retCode":"0","retMsg":"succ'),
    ("fault-html", 502, "<html><body>502 Bad Gateway</body></html>"),
    ("fault-empty", 200, ""),
    ("fault-429", 429, '{"message":"rate limited"}'),
]

A = {name: body for name, _, body in ANSWERS}
write("decoders", [(name, f"{status}\n{body}") for name, status, body in ANSWERS])

# Callbacks: the release callback of docs/aicc-pages.md and the connection callback, with URLs signed as
# src/callback.rs describes.
SECRET = "a-long-enough-secret"


NOW = "1700000000000"
EXPIRY = "1700086400000"


def signed(url, secret=SECRET, expiry=EXPIRY, nonce="n0nce1"):
    base = f"{url}{'&' if '?' in url else '?'}aiccexp_{expiry}&aiccnonce_{nonce}"
    sig = hmac.new(secret.encode(), base.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{base}&aiccsig_{sig}"


RELEASE = ('{"callSerialNo":"645735364434067472","serviceNo":"640003","called":"88889060","caller":"88889050",'
           '"callerPresent":"640003","callData":"order-1234","createCallTime":"1621823860000","alertingTime":"1621823862000",'
           '"talkingTime":"1621823865000","releaseTime":"1621823872000","talkDuration":"7","recordfile":"","locationId":"1",'
           '"releaseReason":"0","agentAlertingTime":"1621823861000","agentTalkingTime":"1621823862000",'
           '"agentReleaseTime":"1621823872000","agentTalkDuration":"10"}')
CONNECT = '{"callSerialNo":645735364434067472,"serviceNo":"640003","called":"88889060","callData":"x"}'
write("callback", [
    ("release", joined(RELEASE, "https://crm.example.com/aicc/release", SECRET, "another-secret-value", "n1", EXPIRY, NOW, "POST")),
    ("connect", joined(CONNECT, "http://127.0.0.1:8787/cb?tenant_1", SECRET, SECRET + "\x00", "abc123", EXPIRY, NOW, "post")),
    ("signed", joined('{"releaseReason":"5"}', signed("https://gw.example.com/aicc/callback/release"), SECRET, "short", "n0nce1", EXPIRY, NOW, "POST")),
    ("signed-expired", joined('{"releaseTime":""}', signed("http://127.0.0.1:8787/cb?tenant_1"), SECRET, "a-long-enough-secreT", "x", EXPIRY, "1700086400001", "POST")),
    ("bad-url", joined("<html>", "https://x/a b#frag", "short", "", "bad nonce!", "-5", "x", "GET")),
    ("empty", b""),
])

# Gateway: the pages' request bodies, the verdicts of docs/gateway-policy.md.
CREATE = '{ "caller": "88889050", "called": "88889060", "agentWorkNo": "", "callerPresent": "640003", "agentPresent": "640060", "callData": "333333" }'
P = "/aicc"
OPS = {
    "createCall": "/apiaccess/CC-Management/v1/mobileAgent/createCall",
    "queryCallState": "/apiaccess/CC-Management/v1/mobileAgent/queryCallState",
    "getCalledInfo": "/apiaccess/CC-Management/v1/mobileAgent/getCalledInfo",
    "queryCallInfoByCallId": "/apiaccess/rest/workbench/v1/queryCallInfoByCallId",
    "querybasiccallinfo": "/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo",
    "token": "/apigovernance/api/oauth/tokenByAkSk",
}
ORIGIN = "http://127.0.0.1:5173"
VERDICT = '{"agentWorkNo":"101","callers":["88889050",88889051],"operations":["createCall","getCalledInfo","queryCallState"],"callBackUrl":"https://gw.example.com/aicc/callback/release"}'
CFG_ALL = b"\x00\x1f\x02\x00"  # prefix /aicc, every operation, the origin above allowed, prepare createCall too
write("gateway", [
    ("createCall-page", joined(CFG_ALL, "POST", P + OPS["createCall"], ORIGIN, CREATE, "true")),
    ("createCall-verdict", joined(CFG_ALL, "POST", P + OPS["createCall"], "", '{"caller":"88889050","called":"88889060"}', VERDICT)),
    ("createCall-agent", joined(CFG_ALL, "post", P + OPS["createCall"], ORIGIN, '{"caller":88889050,"called":"88889060","agentWorkNo":102}', '{"agentWorkNo":101}')),
    ("createCall-page-callback", joined(CFG_ALL, "POST", P + OPS["createCall"], "", '{"caller":"88889050","called":"88889060","callBackUrl":"aHR0cHM6Ly9jcm0uZXhhbXBsZS5jb20vY2I="}', '{"callBackUrl":"https://gw.example.com/cb"}')),
    ("getCalledInfo-page", joined(b"\x00\x1f\x01\x02", "POST", P + OPS["getCalledInfo"], "https://crm.example.com", '{ "caller": 8888888, "called": 6666614 }', '{"callers":["8888888"]}')),
    ("queryCallState-page", joined(b"\x01\x9f\x00\x01", "POST", OPS["queryCallState"] + "/", "", '{ "callSerialNo": "645735364434067472" }', '{"operations":["createCall"]}')),
    ("queryCallInfoByCallId-page", joined(b"\x00\x1f\x03\x03", "POST", P + OPS["queryCallInfoByCallId"], ORIGIN, '{ "callId": "1652317325-339", "userId": "1652268429538866153", "tenantId": "202205116084", "agentId": "109" }', '{"agentWorkNo":"109"}')),
    ("querybasiccallinfo-page", joined(b"\x03\x1f\x01\x04", "POST", "/gw/aicc" + OPS["querybasiccallinfo"], "https://evil.example", '{ "ccId":1, "vdn":1, "callId":"1453723531-574" }', '{"allow":false,"status":401,"reason":"unknown session"}')),
    ("preflight", joined(CFG_ALL, "OPTIONS", P + OPS["createCall"], ORIGIN, "", "false")),
    ("queryCallDetailRecord-page", joined(b"\x00\x3f\x01\x05", "POST", P + "/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord", "", '{"startTime":"1562786332000","endTime":"1563391072000","taskType":"0","offset":"0","limit":"10","caller":"88889050"}', '{"callers":["88889050"]}', "application/json; charset=UTF-8", "120")),
    ("queryCallDetailRecord-no-caller", joined(b"\x00\x3f\x01\x05", "POST", P + "/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord", "", '{"startTime":"1562786332000","endTime":"1563391072000","taskType":"0","offset":"0","limit":"10"}', "true", "text/plain", "99999999")),
    ("token-path", joined(b"\x00\x1f\x01\x05", "POST", P + OPS["token"], "", '{"app_key":"k","app_secret":"s"}', '{"reason":"no session"}')),
    ("bad-verdict", joined(CFG_ALL, "GET", P + OPS["createCall"], ORIGIN, "[1]", '{"allow":"false","agentWorkNo":"123456"}')),
])

# Validators: the pages' request examples and client inputs.
write("validators", [
    ("createCall-page", CREATE),
    ("createCall-full", '{"caller":"+8613800000000","called":88889060,"agentWorkNo":99999,"callData":"order-1234","callerPresent":"640003","agentPresent":"13800000000","callBackUrl":"https://crm.example.com:8443/aicc/release?tenant_1&x#z"}'),
    ("getCalledInfo-page", '{ "caller": 8888888, "called": 6666614 }'),
    ("queryCallState-page", '{ "callSerialNo": "645735364434067472" }'),
    ("queryCallInfoByCallId-page", '{ "callId": "1652317325-339", "userId": "1652268429538866153", "tenantId": "202205116084", "agentId": "109" }'),
    ("querybasiccallinfo-page", '{ "ccId":1, "vdn":1, "callId":"1453723531-574" }'),
    ("querybasiccallinfo-strings", '{ "ccId":"65535", "vdn":"5000", "callId":"1659513159000-546750" }'),
    ("queryCallDetailRecord-page", '{"startTime":"1562786332000","endTime":"1563391072000","taskType":"0","offset":"0","limit":"10"}'),
    ("queryCallDetailRecord-caller", '{"startTime":1562786332000,"endTime":1562786332001,"caller":"88889050","offset":99,"limit":100,"taskType":4}'),
    ("token", '{"appKey":"demo-app-key","appSecret":"demo-app-secret","tokenTtlSeconds":3600}'),
    ("everything", '{"caller":"88889050","called":"6666601","callSerialNo":"1","callId":"1-1","userId":"u","tenantId":"t","agentId":"a","ccId":1,"vdn":1,"appKey":"k","appSecret":"s"}'),
    ("parts", joined("88889050", "88889060", "101", "data", "640003", "640060", "https://x.example/cb", "645735364434067472", "1652317325-339", "u", "t", "109", "1", "1", "key", "secret", "600")),
])

# C2 signer: the published vector of docs/aicc-pages.md and variations.
VECTOR_BODY = '{"ccId":1,"vdn":1,"callId":"1700000000000-12345"}'
write("c2_signer", [
    ("vector", joined("globalaktest", "example-secret-key", "POST", OPS["querybasiccallinfo"], VECTOR_BODY, "host:10.22.26.181:28080", "", "1700000000000")),
    ("sim", joined("demo-ak", "demo-sk", "post", OPS["querybasiccallinfo"], '{ "ccId":1, "vdn":1, "callId":"1453723531-574" }', "Host: 127.0.0.1:8080\nContent-Type: application/json; charset=UTF-8", "b=2\na=1 2\né=~", "0")),
    ("leap", joined("ak/with/slashes", "sk", "GET", "/x y/é", "", "", "", "951782400000")),
    ("far", joined("a", "b", "PUT", "/", "body", "x-custom:v\nhost:h", "", "-62135596800001")),
    ("bytes", joined("a", "secret-key-1234", "POST", "/", "{}", "host:h", "", b"\x01\x02\x03\x04\x05\x06\x07\x80")),
])

# Client: configuration bytes, then the transport's answers in order.
CFG = b"\x02\x00\x2a\x80\x10\xf0"  # 2 retries, queryCallState, 589 s tokens, randoms
TOKEN = '{"AccessToken":"TOKEN-abc-123","Expires":"600","CreateTime":"1700000000"}'
write("client", [
    ("healthy", CFG),
    ("token-then-calls", joined(CFG, "200" + TOKEN, "200" + A["sim-createCall-ok"], "200" + fixture("queryCallState.response.json"))),
    ("create-401-refresh", joined(b"\x01\x01\x00", "200" + TOKEN, "401" + A["sim-401"], "200" + TOKEN, "200" + A["page-createCall"])),
    ("create-timeout", joined(b"\x03\x02\x01", "200" + TOKEN, "T", "503", "503", "T", "N$SECRET reset")),
    ("create-502-html", joined(b"\x00\x03\x05", "200" + TOKEN, "502<html>502</html>", "200" + A["sim-cms-new"])),
    ("create-unreadable", joined(b"\x0a\x04\x09", "200" + TOKEN, "200" + A["fault-malformed"], "200{\"resultCode\":\"0100002\",\"resultDesc\":\"$AUTH $SK\"}")),
    ("token-refused", joined(b"\x02\x00\x00", "403" + A["sim-403"], "200", "N", "T", "403{\"message\":\"$SECRET\"}")),
    ("echo-secrets", joined(b"\x01\x06\x10", "200" + TOKEN, "500{\"retMsg\":\"$SECRET $TOKEN $AUTH\"}", "401{\"message\":\"bad $AUTH\"}", "401{\"message\":\"$TOKEN\"}")),
    ("ita-retry", joined(b"\x04\x00\x00", "200" + TOKEN, "200" + A["sim-createCall-ita"], "200" + A["sim-createCall-ita"], "200" + A["sim-createCall-ita"], "429", "504", "200" + A["sim-queryCallState-talking"])),
    ("gateway-refusal", joined(b"\x00\x01\x00", "200" + TOKEN, "400" + A["gateway-400"], "400{\"error\":\"invalidRequest\",\"field\":\"caller\",\"rule\":\"$SECRET\"}")),
    ("retcode-secret", joined(b"\x00\x00\x00", "200" + TOKEN, "200{\"retCode\":\"$SECRET\",\"retMsg\":\"x\"}")),
    ("refused", joined(b"\x01\x00\x00", "200" + TOKEN, "Rthe value of the Authorization header", "200", "R$SECRET $AUTH")),
    ("records", joined(b"\x01\x04\x00", "200" + TOKEN, "200" + A["sim-createCall-ok"], "200" + fixture("queryCallDetailRecord.response.json"))),
    ("records-cms-signed", joined(b"\x01\x0d\x00", "200" + TOKEN, "200", "401{\"message\":\"bad $AUTH\"}", "N$AUTH")),
    ("short-token", joined(b"\x02\x00\x00", "200{\"AccessToken\":\"t\",\"Expires\":1}", "200" + A["sim-createCall-ok"], "401", "200{\"AccessToken\":\"x\",\"Expires\":\"1\"}")),
])
print("seeds written to", SEEDS)
