//! queryCallState: its `retCode` values, call states, and the `reasonCode` of an ended call.
//!
//! In a bidirectional call the calling party ("caller") is the agent side and the called party is the customer side.
//! `reasonCode` 0 to 6 are the page's own reasons ([`REASONS`]); larger values come from the page's long
//! Q.850-like table ([`CAUSES`]), whose descriptions are kept as the page words them, with the Q.850 cause added.

use super::{lookup, Category as C, Code, Entry, entry as e};


/// What the page says about a `reasonCode` no table lists ("xxx").
const OTHER: &str =
    "Other exceptions occur (this reasonCode is not listed on the queryCallState page).";

/// queryCallState's `retCode` values.
#[rustfmt::skip]
pub const RET_CODES: &[Entry] = &[
    e("0", "success", C::Ok, false, "Success."),
    e("1", "queryFailed", C::Platform, false, "Failed to query the status (for an unknown call serial too: asking again does not help)."),
    e("3", "invalidCallSerialNo", C::Input, false, "The format of the call SN is incorrect."),
];

/// `result.state` values.
#[rustfmt::skip]
pub const STATES: &[Entry] = &[
    e("0", "toBeCalled", C::Ok, false, "To be called: the call has not started yet."),
    e("1", "calling", C::Ok, false, "Calling: a party is being called."),
    e("2", "talking", C::Ok, false, "Talking: the parties are connected."),
    e("3", "ended", C::Ok, false, "Ended: see reasonCode."),
];

/// `result.reasonCode` values 0 to 6, as the page lists them.
#[rustfmt::skip]
pub const REASONS: &[Entry] = &[
    e("0", "calledHungUp", C::Ok, false, "The call ends and the called party (customer side) hangs up."),
    e("1", "callerHungUp", C::Ok, false, "The call ends and the calling party (agent side) hangs up."),
    e("2", "callerLegFailed", C::Agent, true, "The outbound call fails to be made to the calling party (agent side)."),
    e("3", "calledLegFailed", C::Customer, true, "The called party (customer side) fails to be called."),
    e("4", "callerNoAnswer", C::Agent, true, "The calling party (agent side) does not answer the call."),
    e("5", "calledNoAnswer", C::Customer, true, "The called party (customer side) does not answer the call."),
    e("6", "callNotInitiated", C::Platform, true, "Failed to initiate the call."),
];

/// Every row of the page's long reason table (0 to 127, Q.850-like), explaining `reasonCode` values beyond 0 to 6.
#[rustfmt::skip]
pub const CAUSES: &[Entry] = &[
    e("0", "notApplicable", C::Ok, false, "N/A."),
    e("1", "unallocatedNumber", C::Input, false, "The number cannot be found. (Q.850: unallocated number)"),
    e("2", "noRouteToTransitNetwork", C::Network, false, "Failed to route to the network. (Q.850: no route to specified transit network)"),
    e("3", "noRouteToDestination", C::Network, false, "Failed to route to the destination. (Q.850: no route to destination)"),
    e("4", "specialInformationTone", C::Network, false, "Special messages are sent. (Q.850: send special information tone)"),
    e("5", "misdialledTrunkPrefix", C::Input, false, "Incorrect trunk prefix. (Q.850: misdialled trunk prefix)"),
    e("6", "channelUnacceptable", C::Network, false, "The channel cannot be accessed. (Q.850: channel unacceptable)"),
    e("7", "callAwardedInEstablishedChannel", C::Network, false, "A channel has been created. (Q.850: call awarded and being delivered in an established channel)"),
    e("8", "preemption", C::Network, true, "Preemption. (Q.850: preemption)"),
    e("9", "preemptionCircuitReserved", C::Network, true, "Preemption reservation. (Q.850: preemption, circuit reserved for reuse)"),
    e("16", "normalClearing", C::Ok, false, "Normal call clearance. (Q.850: normal call clearing)"),
    e("17", "userBusy", C::Customer, true, "The user is busy. (Q.850: user busy)"),
    e("18", "noUserResponding", C::Customer, true, "No answer. (Q.850: no user responding)"),
    e("19", "noAnswer", C::Customer, true, "No user answers the call. (Q.850: no answer from user, user alerted)"),
    e("20", "subscriberAbsent", C::Customer, true, "The user is unreachable. (Q.850: subscriber absent)"),
    e("21", "callRejected", C::Customer, true, "Call rejected. (Q.850: call rejected)"),
    e("22", "numberChanged", C::Input, false, "The number has been changed. (Q.850: number changed)"),
    e("23", "redirection", C::Network, false, "Redirection. (Q.850: redirection to new destination)"),
    e("25", "exchangeRoutingError", C::Network, false, "The switching route is incorrect. (Q.850: exchange routing error)"),
    e("26", "noUserPermission", C::Customer, false, "No user permission. (Q.850: non-selected user clearing)"),
    e("27", "destinationOutOfOrder", C::Customer, true, "The target is disordered. (Q.850: destination out of order)"),
    e("28", "invalidNumberFormat", C::Input, false, "Invalid number format. (Q.850: invalid number format, incomplete number)"),
    e("29", "facilityRejected", C::Network, false, "Rejected by the device. (Q.850: facility rejected)"),
    e("30", "responseToStatusEnquiry", C::Network, false, "Status query. (Q.850: response to STATUS ENQUIRY)"),
    e("31", "normalUnspecified", C::Ok, false, "Normal. (Q.850: normal, unspecified)"),
    e("34", "noCircuitAvailable", C::Network, true, "Unreachable route. (Q.850: no circuit/channel available)"),
    e("38", "networkOutOfOrder", C::Network, true, "Poor network quality. (Q.850: network out of order)"),
    e("39", "frameModeConnectionOutOfService", C::Network, true, "Service out of connection. (Q.850: permanent frame mode connection out of service)"),
    e("40", "frameModeConnectionOperational", C::Network, false, "Connecting. (Q.850: permanent frame mode connection operational)"),
    e("41", "temporaryFailure", C::Network, true, "Temporarily failed. (Q.850: temporary failure)"),
    e("42", "switchingEquipmentCongestion", C::Network, true, "The device is congested. (Q.850: switching equipment congestion)"),
    e("43", "accessInformationDiscarded", C::Network, false, "Discarded information. (Q.850: access information discarded)"),
    e("44", "requestedChannelNotAvailable", C::Network, true, "The channel cannot be accessed. (Q.850: requested circuit/channel not available)"),
    e("46", "precedenceCallBlocked", C::Network, true, "Call blocked. (Q.850: precedence call blocked)"),
    e("47", "resourceUnavailable", C::Network, true, "No available resource. (Q.850: resource unavailable, unspecified)"),
    e("49", "qualityOfServiceNotAvailable", C::Network, true, "Invalid quality. (Q.850: quality of service not available)"),
    e("50", "facilityNotSubscribed", C::Configuration, false, "The device is not reserved. (Q.850: requested facility not subscribed)"),
    e("53", "outgoingCallsBarredWithinCug", C::Permission, false, "Outbound calls barred within the CUG. (Q.850: outgoing calls barred within CUG)"),
    e("55", "incomingCallsBarredWithinCug", C::Permission, false, "Inbound calls barred within the CUG. (Q.850: incoming calls barred within CUG)"),
    e("57", "bearerCapabilityNotAuthorized", C::Permission, false, "No permission for transmission. (Q.850: bearer capability not authorized)"),
    e("58", "bearerCapabilityNotAvailable", C::Network, true, "Invalid transmission. (Q.850: bearer capability not presently available)"),
    e("62", "inconsistentAccessAndSubscriberClass", C::Permission, false, "The levels are inconsistent. (Q.850: inconsistency in designated outgoing access information and subscriber class)"),
    e("63", "serviceNotAvailable", C::Network, false, "Invalid service. (Q.850: service or option not available, unspecified)"),
    e("65", "bearerCapabilityNotImplemented", C::Network, false, "Transmission cannot be performed. (Q.850: bearer capability not implemented)"),
    e("66", "channelTypeNotImplemented", C::Network, false, "The channel cannot be implemented. (Q.850: channel type not implemented)"),
    e("69", "facilityNotImplemented", C::Network, false, "Invalid device. (Q.850: requested facility not implemented)"),
    e("70", "validTransmission", C::Network, false, "Valid transmission. (Q.850: only restricted digital information bearer capability is available)"),
    e("79", "serviceNotImplemented", C::Network, false, "The CV service is not configured. (Q.850: service or option not implemented, unspecified)"),
    e("81", "invalidCallReference", C::Network, false, "An invalid value is referenced. (Q.850: invalid call reference value)"),
    e("82", "channelDoesNotExist", C::Network, false, "The channel does not exist. (Q.850: identified channel does not exist)"),
    e("83", "callIdentityDoesNotExist", C::Network, false, "The ID does not exist. (Q.850: a suspended call exists, but this call identity does not)"),
    e("84", "callIdNotFound", C::Network, false, "The call ID does not exist. (Q.850: call identity in use)"),
    e("85", "noCallSuspended", C::Network, false, "No call is suspended. (Q.850: no call suspended)"),
    e("86", "anonymousCall", C::Network, false, "Anonymous call. (Q.850: call having the requested call identity has been cleared)"),
    e("87", "userNotMemberOfCug", C::Permission, false, "The CUG has no member. (Q.850: user not member of CUG)"),
    e("88", "incompatibleDestination", C::Customer, false, "Incompatible destination. (Q.850: incompatible destination)"),
    e("90", "nonExistentCug", C::Permission, false, "The CUG does not exist. (Q.850: non-existent CUG)"),
    e("91", "invalidTransitNetworkSelection", C::Network, false, "Invalid network. (Q.850: invalid transit network selection)"),
    e("95", "invalidMessage", C::Network, false, "Invalid information. (Q.850: invalid message, unspecified)"),
    e("96", "mandatoryElementMissing", C::Network, false, "Not hosting element. (Q.850: mandatory information element is missing)"),
    e("97", "messageTypeNonExistent", C::Network, false, "Type not found. (Q.850: message type non-existent or not implemented)"),
    e("98", "messageNotImplemented", C::Network, false, "The information is not implemented. (Q.850: message not compatible with call state or message type non-existent or not implemented)"),
    e("99", "elementNonExistent", C::Network, false, "The information element does not exist. (Q.850: information element/parameter non-existent or not implemented)"),
    e("100", "invalidElementContents", C::Network, false, "Invalid information element. (Q.850: invalid information element contents)"),
    e("101", "messageNotCompatibleWithCallState", C::Network, false, "Inconsistent call status. (Q.850: message not compatible with call state)"),
    e("102", "recoveryOnTimerExpiry", C::Network, true, "The timer times out. (Q.850: recovery on timer expiry)"),
    e("103", "parameterNonExistent", C::Network, false, "The parameter does not exist. (Q.850: parameter non-existent or not implemented, passed on)"),
    e("110", "unrecognizedParameterDiscarded", C::Network, false, "The message contains unidentified parameters. (Q.850: message with unrecognized parameter, discarded)"),
    e("111", "protocolError", C::Network, false, "Protocol error. (Q.850: protocol error, unspecified)"),
    e("127", "interworkingUnspecified", C::Network, false, "Unspecified interaction. (Q.850: interworking, unspecified)"),
];

/// Decodes a queryCallState `retCode`.
pub fn ret_code(code: &str) -> Code {
    super::service_code(RET_CODES, code)
}

/// Decodes a `result.state`.
pub fn state(code: u32) -> Code {
    lookup(STATES, &code.to_string())
}

/// Decodes a `result.reasonCode`: 0 to 6 from [`REASONS`], anything else from [`CAUSES`];
/// an unlisted value is `unknown` with the code kept and the page's "other exceptions" message.
pub fn reason(code: u32) -> Code {
    let code = code.to_string();
    let table = if REASONS.iter().any(|e| e.code == code) {
        REASONS
    } else {
        CAUSES
    };
    let mut found = lookup(table, &code);
    if !found.is_known() {
        found.message = OTHER;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(code: &str) -> Option<u32> {
        code.parse().ok()
    }

    #[test]
    fn every_row_is_reachable() {
        for row in RET_CODES {
            assert_eq!(ret_code(row.code), Code::from(row));
        }
        for row in STATES {
            assert_eq!(num(row.code).map(state), Some(Code::from(row)));
        }
        for row in REASONS {
            assert_eq!(num(row.code).map(reason), Some(Code::from(row)));
        }
        for row in CAUSES {
            let n = num(row.code);
            assert!(n.is_some_and(|n| n <= 127), "{}", row.code);
            if n.is_some_and(|n| n > 6) {
                assert_eq!(n.map(reason), Some(Code::from(row)));
            } else {
                // 0..=6 are shadowed by REASONS in `reason`; the rows stay readable through `lookup`.
                assert_eq!(lookup(CAUSES, row.code), Code::from(row));
            }
        }
    }

    #[test]
    fn causes_cover_the_whole_page_table() {
        assert_eq!(CAUSES.len(), 70);
        let codes: Vec<u32> = CAUSES.iter().filter_map(|e| num(e.code)).collect();
        assert_eq!(codes.len(), CAUSES.len());
        assert!(codes.windows(2).all(|w| w.first() < w.last()), "ascending");
    }

    #[test]
    fn unknown_keeps_the_code() {
        let r = ret_code("2");
        assert_eq!(
            (r.code.as_str(), r.name, r.is_known()),
            ("2", "unknown", false)
        );
        let s = state(4);
        assert_eq!((s.code.as_str(), s.name), ("4", "unknown"));
        let x = reason(65535);
        assert_eq!(
            (x.code.as_str(), x.name, x.category),
            ("65535", "unknown", C::Unknown)
        );
        assert!(x.message.starts_with("Other exceptions"));
        assert_eq!(reason(24).name, "unknown");
    }

    #[test]
    fn spot_checks() {
        assert_eq!(state(0).name, "toBeCalled");
        assert_eq!(state(3).name, "ended");
        assert_eq!(reason(0).name, "calledHungUp");
        assert!(reason(1).message.contains("agent side"));
        assert!(reason(5).message.contains("customer side"));
        assert_eq!(reason(6).name, "callNotInitiated");
        assert_eq!(reason(16).category, C::Ok);
        assert!(reason(17).message.starts_with("The user is busy."));
        assert!(reason(17).retryable);
        assert!(reason(42).retryable);
        assert!(reason(127).message.starts_with("Unspecified interaction."));
        assert_eq!(lookup(CAUSES, "0").message, "N/A.");
        assert_eq!(ret_code("3").category, C::Input);
    }
}
