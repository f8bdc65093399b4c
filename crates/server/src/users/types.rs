//! Users: roles, views sent to clients, and request bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::db::entities::{profile, user};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Moderator,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    /// Unknown stored roles get the least privilege.
    pub fn from_db(value: &str) -> Self {
        match value {
            "admin" => Self::Admin,
            "moderator" => Self::Moderator,
            _ => Self::User,
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "user" => Ok(Self::User),
            "moderator" => Ok(Self::Moderator),
            "admin" => Ok(Self::Admin),
            other => Err(format!(
                "unknown role {other:?}: expected user, moderator or admin"
            )),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileView {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub location: Option<String>,
    pub website: Option<String>,
    pub avatar_url: Option<String>,
}

impl From<profile::Model> for ProfileView {
    fn from(p: profile::Model) -> Self {
        Self {
            display_name: p.display_name,
            bio: p.bio,
            location: p.location,
            website: p.website,
            avatar_url: p.avatar_url,
        }
    }
}

/// The account as its owner (or an admin) sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub username: String,
    pub role: Role,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub profile: Option<ProfileView>,
}

impl UserView {
    pub fn new(u: user::Model, profile: Option<profile::Model>) -> Self {
        Self {
            id: u.id,
            role: Role::from_db(&u.role),
            email: u.email,
            username: u.username,
            is_active: u.is_active,
            created_at: u.created_at,
            updated_at: u.updated_at,
            last_login_at: u.last_login_at,
            profile: profile.map(ProfileView::from),
        }
    }
}

/// What anyone may see of an account: no email, no login times.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicUserView {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub profile: Option<ProfileView>,
}

impl PublicUserView {
    pub fn new(u: user::Model, profile: Option<profile::Model>) -> Self {
        Self {
            id: u.id,
            role: Role::from_db(&u.role),
            username: u.username,
            created_at: u.created_at,
            profile: profile.map(ProfileView::from),
        }
    }
}

/// Fields a user may change about themselves. Unknown fields (such as `role`) are refused.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    #[validate(custom(function = "crate::users::validate::username"))]
    pub username: Option<String>,
    #[validate(length(max = 80))]
    pub display_name: Option<String>,
    #[validate(length(max = 1000))]
    pub bio: Option<String>,
    #[validate(length(max = 120))]
    pub location: Option<String>,
    #[validate(length(max = 300), custom(function = "crate::users::validate::web_url"))]
    pub website: Option<String>,
    #[validate(length(max = 500), custom(function = "crate::users::validate::web_url"))]
    pub avatar_url: Option<String>,
}

impl UpdateMe {
    /// The new username, if any, and the profile fields.
    pub fn split(self) -> (Option<String>, UpdateProfile) {
        let profile = UpdateProfile {
            display_name: self.display_name,
            bio: self.bio,
            location: self.location,
            website: self.website,
            avatar_url: self.avatar_url,
        };
        (self.username, profile)
    }
}

/// Your own profile fields; empty strings clear a field.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProfile {
    #[validate(length(max = 80))]
    pub display_name: Option<String>,
    #[validate(length(max = 1000))]
    pub bio: Option<String>,
    #[validate(length(max = 120))]
    pub location: Option<String>,
    #[validate(length(max = 300), custom(function = "crate::users::validate::web_url"))]
    pub website: Option<String>,
    #[validate(length(max = 500), custom(function = "crate::users::validate::web_url"))]
    pub avatar_url: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[validate(length(min = 1, max = 1024))]
    pub current_password: String,
    #[validate(length(min = 1, max = 1024))]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRole {
    pub role: Role,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    /// Case-insensitive match on username or email.
    pub q: Option<String>,
    pub role: Option<Role>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}
