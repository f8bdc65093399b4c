//! Views sent to clients and request bodies of the social API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

/// What a post is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    #[default]
    General,
    /// About a match: `match_id` is required.
    Match,
    /// Shares one of the author's picks: `pick_id` is required.
    Prediction,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Match => "match",
            Self::Prediction => "prediction",
        }
    }
}

/// Who may see a post.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Public,
    /// The author's followers (and the author).
    Followers,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Followers => "followers",
        }
    }
}

/// The author of a post or comment, or a user in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: Uuid,
    pub username: String,
    pub display_name: Option<String>,
    pub avatar_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostView {
    pub id: Uuid,
    pub author: UserSummary,
    #[serde(rename = "type")]
    pub kind: String,
    /// Plain text: clients must render it as text, never as HTML.
    pub content: String,
    pub match_id: Option<i32>,
    pub pick_id: Option<Uuid>,
    pub visibility: String,
    /// Lowercased, without `#`.
    pub hashtags: Vec<String>,
    pub like_count: u64,
    pub comment_count: u64,
    pub liked_by_me: bool,
    /// Only moderators ever see a hidden post.
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommentView {
    pub id: Uuid,
    pub post_id: Uuid,
    /// The comment this one replies to, if any.
    pub parent_id: Option<Uuid>,
    pub author: UserSummary,
    pub content: String,
    pub like_count: u64,
    pub liked_by_me: bool,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

/// Newest first; pass `next_cursor` as `cursor` for the next page (null at the end).
#[derive(Debug, Serialize, ToSchema)]
pub struct PostPage {
    pub items: Vec<PostView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CursorQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Only posts of people you follow (and your own).
    pub following: Option<bool>,
    pub cursor: Option<String>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearchQuery {
    /// Case-insensitive part of a username or display name (1–100 characters).
    pub q: String,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostSearchQuery {
    /// Case-insensitive text to look for in posts (1–100 characters).
    pub q: String,
    pub cursor: Option<String>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePost {
    /// 1–2000 characters of plain text; `#tags` and `@mentions` are picked out of it.
    pub content: String,
    #[serde(rename = "type", default)]
    pub kind: PostKind,
    pub match_id: Option<i32>,
    pub pick_id: Option<Uuid>,
    #[serde(default)]
    pub visibility: Visibility,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePost {
    pub content: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateComment {
    /// 1–1000 characters of plain text.
    pub content: String,
    /// Reply to this comment (of the same post).
    pub parent_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateComment {
    pub content: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LikeState {
    pub liked: bool,
    pub like_count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowState {
    pub following: bool,
    pub follower_count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockState {
    pub blocked: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SocialProfile {
    pub id: Uuid,
    pub username: String,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub location: Option<String>,
    pub website: Option<String>,
    pub avatar_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub follower_count: u64,
    pub following_count: u64,
    /// Posts the caller can see.
    pub post_count: u64,
    pub followed_by_me: bool,
    pub follows_me: bool,
    pub blocked_by_me: bool,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReport {
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub id: Uuid,
    pub reporter: String,
    /// `post`, `comment` or `chat`.
    pub target: String,
    pub post_id: Option<Uuid>,
    pub comment_id: Option<Uuid>,
    pub chat_message_id: Option<Uuid>,
    pub reason: String,
    /// `open` or `resolved`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `open` (default) or `resolved`.
    pub status: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrendingTag {
    pub tag: String,
    /// Visible public posts with the tag in the window.
    pub post_count: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendingQuery {
    /// Window in days, 1–90 (default 7).
    pub days: Option<i64>,
    /// Tags to return, 1–50 (default 10).
    pub limit: Option<u64>,
}

pub use crate::users::types::UpdateProfile;
