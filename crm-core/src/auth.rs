//! Who is acting, and what they may do: password hashing, session tokens, permission checks.

mod actor;
pub(crate) mod password;
pub(crate) mod token;

pub use actor::Actor;
pub(crate) use actor::Scope;
