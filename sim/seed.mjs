// Seeded configuration answered by the lookup endpoints. Documented in sim/README.md.

/** Tenant access code used when callerPresent/agentPresent are absent, and as serviceNo. */
export const ACCESS_CODE = '640003';

/** createCall retCode 8: callers (softphone numbers) outside the tenant's mobile-agent range. */
export const OUT_OF_RANGE_CALLER_PREFIX = '99999';

/** Trial tenants (--trial): only callers starting with this prefix are on the trustlist (else retCode 16). */
export const TRIAL_TRUSTLIST_PREFIX = '8888';
export const TRIAL_DAILY_LIMIT = 10;

/** queryCallState: the page's example call, always present (ended, reason 0). */
export const EXAMPLE_CALL = {
  serial: '645735364434067472',
  caller: '88889050', called: '88889060', callerPresent: '640003', agentPresent: '640060',
  startTime: 1621823865000, endTime: 1621823872000, reasonCode: 0,
};

/** getCalledInfo: called number -> result. Any other non-empty called -> retCode "5". */
export const CALLED_INFO = {
  '6666601': { devType: 0, called: '6666601', skillId: 1, skillName: 'defaultAudioSkill' },
  '6666602': { devType: 1, called: '6666602' },
  '6666603': { devType: 0, called: '6666603', skillId: 12, skillName: 'salesVoice' },
};

/** queryCallInfoByCallId: matched on callId + tenantId. */
export const CALL_INFO = [
  {
    callId: '1652317325-339', userId: '1652268429538866153', tenantId: '202205116084', agentId: '109',
    text: '{"caller":70004,"called":60015,"mediaAbility":1,"calldata":"1","callId":"1652317325-339","callSkillId":1,"callSkill":"voice","callType":0}',
  },
  {
    callId: '1652317400-340', userId: '1652268429538866153', tenantId: '202205116084', agentId: '110',
    text: '{"caller":70005,"called":60016,"mediaAbility":5,"calldata":"","callId":"1652317400-340","callSkillId":2,"callSkill":"chat","callType":7}',
  },
];

/** CMS querybasiccallinfo (ccId 1, vdn 1): callId -> which response shapes it answers with. */
const PAGE_DATAS = '{"time":1606115215000,"dsn":0,"handle":0,"server":0,"keyId":"","callingNum":"88881364","calledNum":"650550","mid":5,"trunkNo":582,"priority":0,"deviceType":2,"deviceNo":1177,"callSkill":"defaultAudioSkill","partyNum":1,"callFeature":0,"orgiCalledNum":"","mediaType":5,"place":0,"waitTime":0,"totalTalkingTimes":275,"logonTimes":284,"serviceType":2,"callInCause":65535,"enterReason":0,"mediaBillType":0}';
const NEW_DATAS = '{"time":1659513159000,"dsn":3,"handle":1,"server":2,"keyId":"1659513159000-546750","callingNum":"13800000001","calledNum":"650551","mid":5,"trunkNo":12,"priority":0,"deviceType":2,"deviceNo":1001,"callSkill":"defaultAudioSkill","partyNum":2,"callFeature":7,"orgiCalledNum":"","mediaType":5,"place":0,"waitTime":3,"totalTalkingTimes":42,"logonTimes":3600,"serviceType":2,"callInCause":65535,"enterReason":0,"mediaBillType":0}';
const LEGACY_DATAS = '{"time":1606115300000,"dsn":1,"handle":0,"server":0,"keyId":"","callingNum":"88881365","calledNum":"650552","mid":5,"trunkNo":583,"priority":0,"deviceType":2,"deviceNo":1178,"callSkill":"defaultAudioSkill","partyNum":1,"callFeature":0,"orgiCalledNum":"","mediaType":5,"place":0,"waitTime":0,"totalTalkingTimes":12,"logonTimes":100,"serviceType":2,"callInCause":65535,"enterReason":0,"mediaBillType":0}';

export const CMS_CC_ID = 1;
export const CMS_VDN = 1;
export const CMS_CALLS = {
  // The page's example: both shapes in one body.
  '1453723531-574': `{"result":"0","resultCode":"0100000","resultDatas":${PAGE_DATAS},"resultDesc":${PAGE_DATAS}}`,
  // New shape only (resultCode + resultDesc).
  '1659513159000-546750': `{"resultCode":"0100000","resultDesc":${NEW_DATAS}}`,
  // Legacy (<= 8.13) shape only (result + resultDatas).
  '1606115300000-1178': `{"result":"0","resultDatas":${LEGACY_DATAS}}`,
};

/** createCall to this called number places the call but answers the page's own example reply, which has no
 * `result` (so no callSerialNo): `{"retMsg":"Add CallOutInfo in DB successfully","retCode":"0"}`. */
export const ACCEPTED_WITHOUT_SERIAL = '6666600';
