//! Result codes of the CMS openapi (querybasiccallinfo and siblings), from cec_07_0696.

use super::{lookup, Category as C, Code, Entry, entry as e};


/// The CMS `resultCode` that means success.
pub const SUCCESS: &str = "0100000";

/// CMS `resultCode` values, as 7-character strings with the leading zero.
#[rustfmt::skip]
pub const RESULT_CODES: &[Entry] = &[
    e(SUCCESS, "success", C::Ok, false, "Success."),
    e("0100001", "failed", C::Platform, true, "The request failed."),
    e("0100002", "invalidParameter", C::Input, false, "Invalid parameter."),
    e("0100003", "requiresCtiV3r8", C::Configuration, false, "The interface needs CTI V3R8 or later."),
    e("0100999", "unknownError", C::Platform, true, "Unknown error."),
    e("0101001", "qualityInspectionRelationError", C::Configuration, false, "Quality-inspection relation error."),
    e("0101002", "numberNotInUap", C::Configuration, false, "The number is not in the UAP."),
    e("0101003", "insufficientPermission", C::Permission, false, "Insufficient permission."),
];

/// Decodes a CMS `resultCode` (send the string as received: `"100000"` without the leading zero is unknown).
pub fn result_code(code: &str) -> Code {
    lookup(RESULT_CODES, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_reachable() {
        for row in RESULT_CODES {
            assert_eq!(row.code.len(), 7, "{}", row.code);
            assert_eq!(result_code(row.code), Code::from(row));
        }
    }

    #[test]
    fn unknown_keeps_the_code() {
        let c = result_code("0100004");
        assert_eq!(
            (c.code.as_str(), c.name, c.is_known()),
            ("0100004", "unknown", false)
        );
        assert!(!result_code("100000").is_known());
    }

    #[test]
    fn spot_checks() {
        let ok = result_code(SUCCESS);
        assert_eq!(
            (ok.name, ok.category, ok.retryable),
            ("success", C::Ok, false)
        );
        assert_eq!(result_code("0100002").message, "Invalid parameter.");
        assert_eq!(result_code("0101003").category, C::Permission);
        assert_ne!(result_code("0100999").name, "unknown");
    }
}
