//! Your data: an export of everything Pundit holds about you, and account deletion (by you, or
//! by an admin). See docs/SECURITY.md, "Your data: export and deletion".

pub mod erase;
pub mod export;
pub mod handlers;

use crate::db::entities::user;

/// The password hash of a deleted account: no Argon2 hash looks like it, so nothing verifies
/// against it, and it marks the account as deleted without a schema change.
pub const ERASED_PASSWORD_HASH: &str = "!erased";

pub fn is_erased(user: &user::Model) -> bool {
    user.password_hash == ERASED_PASSWORD_HASH
}
