//! Return codes and device types of getCalledInfo.

use super::{lookup, Category as C, Code, Entry, entry as e};


/// getCalledInfo's `retCode` values.
#[rustfmt::skip]
pub const RET_CODES: &[Entry] = &[
    e("0", "success", C::Ok, false, "Success."),
    e("4", "calledIdNotObtained", C::Platform, true, "The called party ID cannot be obtained."),
    e("5", "calledNotConfigured", C::Configuration, false, "The called party ID is not configured."),
];

/// getCalledInfo's `result.devType` values.
#[rustfmt::skip]
pub const DEV_TYPES: &[Entry] = &[
    e("0", "skillQueue", C::Ok, false, "The destination device is a skill queue (see skillId and skillName)."),
    e("1", "number", C::Ok, false, "The destination device is a number (see called)."),
];

/// Decodes a getCalledInfo `retCode` (or an ITA code of the API gateway).
pub fn ret_code(code: &str) -> Code {
    super::service_code(RET_CODES, code)
}

/// Decodes a getCalledInfo `devType`.
pub fn dev_type(code: u32) -> Code {
    lookup(DEV_TYPES, &code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_reachable() {
        for row in RET_CODES {
            assert_eq!(ret_code(row.code), Code::from(row));
        }
        for row in DEV_TYPES {
            let n: Option<u32> = row.code.parse().ok();
            assert_eq!(n.map(dev_type), Some(Code::from(row)));
        }
    }

    #[test]
    fn unknown_keeps_the_code() {
        let c = ret_code("9");
        assert_eq!(
            (c.code.as_str(), c.name, c.is_known()),
            ("9", "unknown", false)
        );
        let d = dev_type(2);
        assert_eq!((d.code.as_str(), d.name), ("2", "unknown"));
    }

    #[test]
    fn spot_checks() {
        assert_eq!(
            ret_code("5").message,
            "The called party ID is not configured."
        );
        assert_eq!(ret_code("5").category, C::Configuration);
        assert_eq!(dev_type(0).name, "skillQueue");
        assert_eq!(dev_type(1).name, "number");
    }
}
