//! The one list of the API operations, and the [`Operation`] names that errors and rules carry.
//!
//! This module imports nothing of the crate: errors, rules and codes name an operation without depending on
//! the operations themselves. Each operation's facts (path, endpoint, retry, request fields, typed request and
//! answer, how a gateway verdict applies) live in its own file under `src/ops/`, as an implementation of
//! [`crate::ops::Op`]. Everything that goes over all operations (the lookups on [`Operation`], the gateway's
//! dispatch, the JS methods) is generated from the list in `api_operations!`.

/// Hands the list of API operations to the macro `$then`, one entry per operation:
/// `Variant method_and_module "jsName" => module::RequestType,`. To add an operation, write its file under
/// `src/ops/` and add its line here (see docs/adding-an-operation.md). Exported: the bindings generate
/// their JS methods from it too.
#[macro_export]
macro_rules! api_operations {
    ($then:ident) => {
        $then! {
            CreateCall create_call "createCall" => create_call::CreateCall,
            QueryCallState query_call_state "queryCallState" => query_call_state::QueryCallState,
            GetCalledInfo get_called_info "getCalledInfo" => get_called_info::GetCalledInfo,
            QueryCallInfoByCallId query_call_info_by_call_id "queryCallInfoByCallId" => query_call_info_by_call_id::QueryCallInfoByCallId,
            QueryBasicCallInfo query_basic_call_info "queryBasicCallInfo" => query_basic_call_info::QueryBasicCallInfo,
            QueryCallDetailRecord query_call_detail_record "queryCallDetailRecord" => query_call_detail_record::QueryCallDetailRecord,
        }
    };
}
pub use crate::api_operations;

/// Which base URL an operation is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The AICC service domain (`baseUrl`), with a bearer token.
    Service,
    /// The CMS openapi (`cmsBaseUrl`), with a C2 signature.
    Cms,
}

/// Whether sending an operation again is safe: every operation says which, there is no default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// It only reads: it is retried after a transient failure.
    Safe,
    /// It has an effect (a call is placed): never sent twice, except after a 401, which is refused unread.
    Never,
}

macro_rules! define_operation {
    ($($variant:ident $method:ident $name:tt => $module:ident :: $ty:ident,)*) => {
        /// One AICC operation, or the context of an error that belongs to none.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            $(
                #[doc = concat!("`", $name, "`: see `ops::", stringify!($module), "`.")]
                $variant,
            )*
            /// Obtains a bearer token with the app key and secret (inside the client, never served by a gateway).
            TokenByAkSk,
            /// Not an API call: setting up a client or gateway (errors in its options).
            Configuration,
        }

        impl Operation {
            /// The operations a client offers and a gateway can serve, in the list's order.
            pub const API: &'static [Operation] = &[$(Operation::$variant,)*];

            /// The operation's name as used in the JS API and in errors (`createCall`, ...).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Operation::$variant => $name,)*
                    Operation::TokenByAkSk => "tokenByAkSk",
                    Operation::Configuration => "configuration",
                }
            }
        }
    };
}
api_operations!(define_operation);

impl Operation {
    /// The API operation called `name` in the JS API, if any.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::API.iter().copied().find(|op| op.as_str() == name)
    }
}

impl serde::Serialize for Operation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
