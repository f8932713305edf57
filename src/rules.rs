//! The input rules of the API pages, each a function that names the field and the rule when it refuses.

use crate::error::Error;
use crate::operation::Operation;

/// A required text of at most `max` characters, not blank.
pub(crate) fn text(op: Operation, field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::validation(op, field, "is required and must not be blank"));
    }
    at_most(op, field, value, max)
}

/// At most `max` characters, counted as AICC counts them: it runs on Java, where a string's length is in
/// UTF-16 units, so a character outside the Basic Multilingual Plane (an emoji) counts twice.
pub(crate) fn at_most(op: Operation, field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    let len = value.encode_utf16().count();
    if len > max {
        return Err(Error::validation(op, field, format!("must be at most {max} characters, counted in UTF-16 units (got {len})")));
    }
    Ok(())
}

/// A phone number: 1 to `max` characters, digits with an optional leading `+`.
pub(crate) fn phone(op: Operation, field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    text(op, field, value, max)?;
    let digits = value.strip_prefix('+').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(op, field, "must contain only digits (an optional leading + is allowed)"));
    }
    Ok(())
}

/// A presentation (CLIP) number: an access code or an 11-14 digit number, so 1 to 14 digits.
pub(crate) fn presentation_number(op: Operation, field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() || value.len() > 14 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(
            op,
            field,
            "must be an access code or an 11-14 digit number (digits only, at most 14)",
        ));
    }
    Ok(())
}

/// A non-negative whole number of at most `max_digits` digits (`decimal(max_digits)` in the page).
pub(crate) fn decimal(op: Operation, field: &'static str, value: &str, max_digits: usize) -> Result<(), Error> {
    if value.is_empty() || value.len() > max_digits || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(op, field, format!("must be a whole number of 1 to {max_digits} digits")));
    }
    Ok(())
}

/// A whole number in `min..=max`.
pub(crate) fn range(op: Operation, field: &'static str, value: i64, min: i64, max: i64) -> Result<(), Error> {
    if value < min || value > max {
        return Err(Error::validation(op, field, format!("must be between {min} and {max} (got {value})")));
    }
    Ok(())
}

/// Characters the page allows in a callback URL besides letters and digits.
const URL_SPECIALS: &str = "-:./_#?&";

/// A release callback URL: http(s), made only of letters, digits and `-:./_#?&`.
pub(crate) fn callback_url(op: Operation, field: &'static str, value: &str) -> Result<(), Error> {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err(Error::validation(op, field, "must start with http:// or https://"));
    };
    if rest.is_empty() || rest.starts_with(['/', ':', '?', '#']) {
        return Err(Error::validation(op, field, "must name a host after the scheme"));
    }
    if let Some(bad) = value.chars().find(|c| !c.is_ascii_alphanumeric() && !URL_SPECIALS.contains(*c)) {
        let shown = if bad.is_ascii_graphic() { format!("'{bad}'") } else { format!("U+{:04X}", bad as u32) };
        return Err(Error::validation(
            op,
            field,
            format!("may contain only letters, digits and -:./_#?& (found {shown})"),
        ));
    }
    Ok(())
}

/// A call ID in the form `<start time>-<sequence>` (digits, one hyphen), at most 20 characters.
pub(crate) fn call_id(op: Operation, field: &'static str, value: &str) -> Result<(), Error> {
    text(op, field, value, 20)?;
    let well_formed = value.split_once('-').is_some_and(|(time, seq)| {
        !time.is_empty() && !seq.is_empty() && (time.bytes().chain(seq.bytes())).all(|b| b.is_ascii_digit())
    });
    if !well_formed {
        return Err(Error::validation(op, field, "must look like <start time>-<sequence>, digits only, e.g. 1659513159000-546750"));
    }
    Ok(())
}

/// A call serial number: 1 to 50 digits.
pub(crate) fn serial(op: Operation, field: &'static str, value: &str) -> Result<(), Error> {
    text(op, field, value, 50)?;
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(op, field, "must contain only digits"));
    }
    Ok(())
}

#[cfg(feature = "server")]
/// A serial's one spelling: its digits without leading zeros (`0` for zeros only), as AICC reads the number.
/// A gateway keys ownership on it and forwards it, so `00<serial>` is the same call as `<serial>`.
pub fn canonical_serial(serial: &str) -> String {
    let digits = serial.trim().trim_start_matches('0');
    if digits.is_empty() { "0".to_string() } else { digits.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: Operation = Operation::CreateCall;

    #[test]
    #[cfg(feature = "server")]
    fn serials_have_one_spelling() {
        assert_eq!(canonical_serial("00645735364434067472"), "645735364434067472");
        assert_eq!(canonical_serial("645735364434067472"), "645735364434067472");
        assert_eq!(canonical_serial("000"), "0");
    }

    fn rule(r: Result<(), Error>) -> Option<String> {
        r.err().and_then(|e| e.rule)
    }

    #[test]
    fn phone_rules() {
        assert!(phone(OP, "caller", "88889050", 32).is_ok());
        assert!(phone(OP, "caller", "+8613800000000", 32).is_ok());
        assert!(phone(OP, "caller", &"1".repeat(32), 32).is_ok());
        assert!(rule(phone(OP, "caller", &"1".repeat(33), 32)).is_some_and(|r| r.contains("at most 32")));
        assert!(rule(phone(OP, "caller", "", 32)).is_some_and(|r| r.contains("required")));
        assert!(rule(phone(OP, "caller", "12a4", 32)).is_some_and(|r| r.contains("only digits")));
        assert!(rule(phone(OP, "caller", "+", 32)).is_some_and(|r| r.contains("only digits")));
        assert!(rule(phone(OP, "caller", "1+2", 32)).is_some_and(|r| r.contains("only digits")));
    }

    #[test]
    fn callback_url_rules() {
        assert!(callback_url(OP, "callBackUrl", "https://crm.example.com:8443/aicc/release?tenant_1&x#z").is_ok());
        assert!(callback_url(OP, "callBackUrl", "http://10.0.0.1:80/cb_x").is_ok());
        for bad in ["ftp://x", "crm.example.com", "https://", "https://a b", "https://a/%20", "https://a/é", "https://a/?x=1", "https://a/?x;y"] {
            assert!(callback_url(OP, "callBackUrl", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn call_id_rules() {
        assert!(call_id(OP, "callId", "1659513159000-546750").is_ok());
        assert!(call_id(OP, "callId", "1-2").is_ok());
        assert!(call_id(OP, "callId", &format!("{}-{}", "1".repeat(13), "2".repeat(6))).is_ok());
        for bad in ["1659513159000546750", "-1", "1-", "a-1", "1-2-3", "16595131590000-546750"] {
            assert!(call_id(OP, "callId", bad).is_err(), "{bad}");
        }
    }
}
