//! Return codes of createCall (bidirectional call V1): the page's `retCode` list and its Table 4 of ITA codes.

use super::{Category as C, Code, Entry, entry as e};


/// createCall's own `retCode` values (Table 3 of the page).
#[rustfmt::skip]
pub const RET_CODES: &[Entry] = &[
    e("0", "success", C::Ok, false, "Success: the outbound call task was added (the reply may still carry no callSerialNo)."),
    e("1", "addTaskFailed", C::Platform, false, "Failed to add the outbound call task. The same outbound call task may exist in the outbound call database."),
    e("2", "callDataError", C::Input, false, "Call data information: the page says no more; check the callData value (at most 1024 characters, not supported for ITA calls)."),
    e("3", "callSerialNoNotQueried", C::Platform, true, "The call SN field is not queried."),
    e("5", "invalidNumberFormat", C::Input, false, "The format of the calling number, called number, or CLIP number is incorrect."),
    e("6", "vdnUnavailable", C::Configuration, false, "The VDN is unavailable."),
    e("8", "callerNotInSoftphoneRange", C::Configuration, false, "The calling number is not in the softphone number range used by the mobile agent assigned by the tenant."),
    e("9", "invalidCallBackUrl", C::Input, false, "The value of callBackUrl does not meet the requirements (Base64, allowed characters, trustlisted host)."),
    e("16", "trialAgentNotTrustlisted", C::Configuration, false, "The agent-side number of the trial tenant is not in the trustlist."),
    e("21", "trialDailyLimitExceeded", C::Limit, true, "The number of one-click bidirectional calls of the trial tenant exceeds the upper limit 10 per day."),
];

/// Return codes of ITA bidirectional calls (Table 4 of the createCall page); each message keeps the page's retMsg.
#[rustfmt::skip]
pub const ITA_CODES: &[Entry] = &[
    e("90100100", "invalidInputParameter", C::Input, false, "Invalid Input Parameter: the request message is incorrect, for example a parameter is missing or not supported."),
    e("90100200", "authFailed", C::Permission, false, "Auth Failed: the request source or signature does not pass the verification."),
    e("90100300", "badRequest", C::Input, false, "Bad Request: the request is incorrect."),
    e("90100400", "notFound", C::Input, false, "Not found: the requested resource does not exist."),
    e("90100600", "internalServerError", C::Platform, true, "Internal Server Error: internal system error."),
    e("90102001", "insufficientBalance", C::Limit, false, "Insufficient Balance: insufficient balance."),
    e("90102002", "requestRestriction", C::Limit, true, "Request Restriction: request restriction."),
    e("90104001", "insufficientPermission", C::Permission, false, "Insufficient Permission: insufficient permission."),
    e("90104003", "requestForbidden", C::Permission, false, "Request Forbidden: request forbidden."),
    e("90104004", "serviceUnavailable", C::Configuration, false, "Service Unavailable: the business function is not supported or implemented."),
    e("90104008", "serviceProcessFailure", C::Platform, true, "Service Process Failure: the business processing times out or fails."),
    e("90104029", "tooManyRequests", C::Limit, true, "Too Many Requests: too many requests."),
    e("90106001", "bindingAlreadyExists", C::Configuration, false, "Binding relationship already exists: the number binding relationship exists."),
    e("90106002", "bindingNotExists", C::Configuration, false, "Binding relationship not exists: the number binding relationship does not exist."),
    e("90106003", "insufficientNumberResources", C::Limit, true, "Insufficient Number resources: the number resource pool is insufficient."),
    e("90106004", "noNumberFound", C::Limit, true, "No corresponding number found: no available number is found."),
    e("90106005", "inconsistentBindingData", C::Configuration, false, "Inconsistent binding data: the number binding data is inconsistent."),
    e("90106006", "otherNumberError", C::Platform, false, "Other Error: an error occurs due to other number reasons."),
    e("90106010", "policyForbidden", C::Permission, false, "Policy Forbid: forbidden by policies."),
    e("90106011", "callerForbidden", C::Agent, false, "Caller Forbid: the calling number is restricted."),
    e("90106012", "calledForbidden", C::Customer, false, "Callee forbid: the called number is restricted."),
];

/// Decodes a createCall `retCode`, looking in [`RET_CODES`] and then [`ITA_CODES`].
pub fn ret_code(code: &str) -> Code {
    super::service_code(RET_CODES, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_reachable() {
        for row in RET_CODES.iter().chain(ITA_CODES) {
            assert_eq!(ret_code(row.code), Code::from(row), "{}", row.code);
        }
        assert_eq!(RET_CODES.len(), 10);
        assert_eq!(ITA_CODES.len(), 21);
    }

    #[test]
    fn tables_do_not_overlap() {
        for a in RET_CODES {
            assert!(
                ITA_CODES
                    .iter()
                    .all(|b| a.code != b.code && a.name != b.name),
                "{}",
                a.code
            );
        }
    }

    #[test]
    fn unknown_keeps_the_code() {
        let c = ret_code(" 7 ");
        assert_eq!(
            (c.code.as_str(), c.name, c.category, c.retryable),
            ("7", "unknown", C::Unknown, false)
        );
        assert!(!ret_code("90199999").is_known());
    }

    #[test]
    fn spot_checks() {
        let ok = ret_code("0");
        assert_eq!((ok.name, ok.category), ("success", C::Ok));
        assert_eq!(
            ret_code("90104029").message,
            "Too Many Requests: too many requests."
        );
        assert!(ret_code("90104029").retryable);
        assert_eq!(ret_code("5").name, "invalidNumberFormat");
        assert!(!ret_code("5").retryable);
        assert!(ret_code("21").message.contains("10 per day"));
        assert_eq!(ret_code("90106012").category, C::Customer);
    }
}
