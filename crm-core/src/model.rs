//! Plain data: ids, fixed sets, records and the inputs that create or change them.

mod activity;
mod contact;
mod fixed_set;
mod ids;
mod page;
mod role;
mod user;

pub use activity::{Activity, EntityKind};
pub use contact::{Contact, ContactPatch, ContactQuery, ContactSort, NewContact};
pub use fixed_set::ParseEnumError;
pub use ids::{ContactId, UserId};
pub use page::Page;
pub use role::Role;
pub use user::{NewUser, SessionToken, User, UserPatch};
