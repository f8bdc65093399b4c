//! The social network: posts (general, match, prediction), nested comments, likes, follows,
//! blocks, profiles, hashtags, search, the feed and moderation. Mounted at `/api/v1/social`.
//!
//! Text is stored exactly as sent (trimmed) and returned as JSON strings: clients render it as
//! text, never as HTML. Visibility rules live in [`store::visible_posts`] and
//! [`store::visible_comments`], which every listing goes through.

pub mod comments;
pub mod graph;
pub mod moderation;
pub mod notify;
pub mod people;
pub mod posts;
pub mod store;
pub mod text;
pub mod types;
pub mod views;

use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::extract::{AuthUser, MaybeAuthUser},
    db::entities::{post, user},
    error::ApiError,
    http::pagination::page_and_limit,
    state::AppState,
    users::{store as users, types::Role},
};
use store::Viewer;
use types::PostPage;

/// Mounted at `/api/v1/social`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(posts::create))
        .routes(routes!(posts::get, posts::update, posts::delete))
        .routes(routes!(posts::feed))
        .routes(routes!(posts::user_posts))
        .routes(routes!(posts::hashtag_posts))
        .routes(routes!(posts::trending))
        .routes(routes!(posts::search))
        .routes(routes!(comments::create, comments::list))
        .routes(routes!(comments::update, comments::delete))
        .routes(routes!(comments::like, comments::unlike))
        .routes(routes!(posts::like, posts::unlike))
        .routes(routes!(people::follow, people::unfollow))
        .routes(routes!(people::followers))
        .routes(routes!(people::following))
        .routes(routes!(people::block, people::unblock))
        .routes(routes!(people::profile, people::update_profile_of))
        .routes(routes!(people::update_profile))
        .routes(routes!(people::search))
        .routes(routes!(moderation::report_post))
        .routes(routes!(moderation::report_comment))
        .routes(routes!(moderation::reports))
        .routes(routes!(moderation::hide_post, moderation::unhide_post))
        .routes(routes!(moderation::hide_comment, moderation::unhide_comment))
}

impl Viewer {
    pub fn of(auth: &AuthUser) -> Self {
        Self {
            id: auth.id(),
            moderator: auth.role >= Role::Moderator,
        }
    }

    pub fn maybe(auth: &MaybeAuthUser) -> Option<Self> {
        auth.0.as_ref().map(Self::of)
    }
}

/// An active account by username (case-insensitive), or a 404.
pub async fn active_user(state: &AppState, username: &str) -> Result<user::Model, ApiError> {
    users::by_username(&state.db, username)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| ApiError::not_found("user"))
}

/// The `cursor` and `limit` of a cursor-paginated listing.
pub fn cursor_and_limit(cursor: Option<&str>, limit: Option<u64>) -> Result<(Option<Uuid>, u64), ApiError> {
    let (_, limit) = page_and_limit(None, limit)?;
    let cursor = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(c.parse().map_err(|_| {
            ApiError::invalid_field("cursor", "invalid", "not a cursor from a previous page")
        })?),
        None => None,
    };
    Ok((cursor, limit))
}

/// Lists one page: fetches one post more than `limit` to know whether another page follows.
pub async fn post_page(
    state: &AppState,
    viewer: Option<Viewer>,
    filter: &store::PostFilter,
    cursor: Option<Uuid>,
    limit: u64,
) -> Result<PostPage, ApiError> {
    let mut found: Vec<post::Model> = store::posts(&state.db, viewer, filter, cursor, limit + 1).await?;
    let more = found.len() as u64 > limit;
    found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more.then(|| found.last().map(|p| p.id.to_string())).flatten();
    Ok(PostPage {
        items: views::posts(&state.db, viewer, found).await?,
        next_cursor,
    })
}
