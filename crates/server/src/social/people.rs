//! Follows, blocks, profiles and user search.

use std::collections::HashMap;

use axum::{Json, extract::State};
use uuid::Uuid;

use super::{
    Viewer, active_user, graph, notify,
    posts::search_text,
    store,
    types::{BlockState, FollowState, PageQuery, SocialProfile, UpdateProfile, UserSearchQuery, UserSummary},
};
use crate::{
    auth::extract::{AuthUser, MaybeAuthUser},
    db::entities::user,
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Path, Query, ValidJson},
        pagination::{Page, page_and_limit},
    },
    state::AppState,
    users::{store as users, types::ProfileView},
};

/// The other user of a follow or block: active, and not the caller (a 422).
async fn other_user(
    state: &AppState,
    auth: &AuthUser,
    username: &str,
    action: &str,
) -> ApiResult<user::Model> {
    let target = active_user(state, username).await?;
    if target.id == auth.id() {
        return Err(ApiError::Unprocessable {
            code: "self_action",
            message: format!("you cannot {action} yourself"),
        });
    }
    Ok(target)
}

/// Follow someone (again is a no-op). Not yourself, nor someone who blocked you.
#[utoipa::path(post, path = "/users/{username}/follow", tag = "social", params(("username" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = FollowState), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn follow(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(username): Path<String>,
) -> ApiResult<Json<FollowState>> {
    let target = other_user(&state, &auth, &username, "follow").await?;
    if graph::is_blocked(&state.db, target.id, auth.id()).await? {
        return Err(ApiError::Forbidden(
            "this user does not accept follows from you".into(),
        ));
    }
    if graph::follow(&state.db, auth.id(), target.id).await? {
        notify::followed(&state, &auth, target.id).await;
    }
    Ok(Json(FollowState {
        following: true,
        follower_count: graph::follower_count(&state.db, target.id).await?,
    }))
}

/// Stop following someone (not following is a no-op).
#[utoipa::path(delete, path = "/users/{username}/follow", tag = "social", params(("username" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = FollowState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn unfollow(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(username): Path<String>,
) -> ApiResult<Json<FollowState>> {
    let target = other_user(&state, &auth, &username, "unfollow").await?;
    graph::unfollow(&state.db, auth.id(), target.id).await?;
    Ok(Json(FollowState {
        following: false,
        follower_count: graph::follower_count(&state.db, target.id).await?,
    }))
}

async fn people(state: &AppState, ids: Vec<Uuid>) -> ApiResult<Vec<UserSummary>> {
    let mut found: HashMap<Uuid, UserSummary> = graph::summaries(&state.db, &ids).await?;
    Ok(ids.into_iter().filter_map(|id| found.remove(&id)).collect())
}

async fn follow_page(
    state: &AppState,
    username: &str,
    followers: bool,
    query: &PageQuery,
) -> ApiResult<Json<Page<UserSummary>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let who = active_user(state, username).await?;
    let (ids, total) = graph::follow_list(&state.db, who.id, followers, page, limit).await?;
    Ok(Json(Page {
        items: people(state, ids).await?,
        total,
        page,
        limit,
    }))
}

/// Who follows a user, most recent first.
#[utoipa::path(get, path = "/users/{username}/followers", tag = "social",
    params(("username" = String, Path), PageQuery),
    responses((status = 200, body = Page<UserSummary>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn followers(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<UserSummary>>> {
    follow_page(&state, &username, true, &query).await
}

/// Whom a user follows, most recent first.
#[utoipa::path(get, path = "/users/{username}/following", tag = "social",
    params(("username" = String, Path), PageQuery),
    responses((status = 200, body = Page<UserSummary>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn following(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<UserSummary>>> {
    follow_page(&state, &username, false, &query).await
}

/// Block someone: their posts and comments disappear for you, follows both ways end, and they
/// can no longer follow you or notify you.
#[utoipa::path(post, path = "/users/{username}/block", tag = "social", params(("username" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = BlockState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn block(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(username): Path<String>,
) -> ApiResult<Json<BlockState>> {
    let target = other_user(&state, &auth, &username, "block").await?;
    graph::block(&state.db, auth.id(), target.id).await?;
    Ok(Json(BlockState { blocked: true }))
}

/// Unblock someone (not blocked is a no-op).
#[utoipa::path(delete, path = "/users/{username}/block", tag = "social", params(("username" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = BlockState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn unblock(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(username): Path<String>,
) -> ApiResult<Json<BlockState>> {
    let target = other_user(&state, &auth, &username, "unblock").await?;
    graph::unblock(&state.db, auth.id(), target.id).await?;
    Ok(Json(BlockState { blocked: false }))
}

async fn social_profile(
    state: &AppState,
    viewer: Option<Viewer>,
    who: user::Model,
) -> ApiResult<SocialProfile> {
    let profile = match users::profile_of(&state.db, who.id).await? {
        Some(p) => ProfileView::from(p),
        None => ProfileView {
            display_name: None,
            bio: None,
            location: None,
            website: None,
            avatar_url: None,
        },
    };
    let (followed_by_me, follows_me, blocked_by_me) = match viewer {
        Some(v) if v.id != who.id => (
            graph::is_following(&state.db, v.id, who.id).await?,
            graph::is_following(&state.db, who.id, v.id).await?,
            graph::is_blocked(&state.db, v.id, who.id).await?,
        ),
        _ => (false, false, false),
    };
    Ok(SocialProfile {
        follower_count: graph::follower_count(&state.db, who.id).await?,
        following_count: graph::following_count(&state.db, who.id).await?,
        post_count: store::post_count(&state.db, viewer, who.id).await?,
        followed_by_me,
        follows_me,
        blocked_by_me,
        id: who.id,
        username: who.username,
        display_name: profile.display_name,
        bio: profile.bio,
        location: profile.location,
        website: profile.website,
        avatar_url: profile.avatar_url,
        created_at: who.created_at,
    })
}

/// A user's social profile: profile fields, follower, following and post counts, and how you
/// relate to them.
#[utoipa::path(get, path = "/profiles/{username}", tag = "social", params(("username" = String, Path)),
    responses((status = 200, body = SocialProfile), (status = 404, body = ErrorBody)))]
pub async fn profile(
    State(state): State<AppState>,
    auth: MaybeAuthUser,
    Path(username): Path<String>,
) -> ApiResult<Json<SocialProfile>> {
    let who = active_user(&state, &username).await?;
    Ok(Json(social_profile(&state, Viewer::maybe(&auth), who).await?))
}

/// Change your own profile: bio, location, website, avatar URL (http/https), display name.
/// Omitted fields stay; empty strings clear.
#[utoipa::path(put, path = "/profiles", tag = "social", request_body = UpdateProfile,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = SocialProfile), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn update_profile(
    State(state): State<AppState>,
    auth: AuthUser,
    ValidJson(req): ValidJson<UpdateProfile>,
) -> ApiResult<Json<SocialProfile>> {
    save_profile(&state, auth, req).await
}

/// The same by username, for clients that address profiles by name: anyone else's is a 403.
#[utoipa::path(put, path = "/profiles/{username}", tag = "social", params(("username" = String, Path)),
    request_body = UpdateProfile, security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = SocialProfile), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn update_profile_of(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(username): Path<String>,
    ValidJson(req): ValidJson<UpdateProfile>,
) -> ApiResult<Json<SocialProfile>> {
    let who = active_user(&state, &username).await?;
    if who.id != auth.id() {
        return Err(ApiError::Forbidden("you may only change your own profile".into()));
    }
    save_profile(&state, auth, req).await
}

async fn save_profile(
    state: &AppState,
    auth: AuthUser,
    req: UpdateProfile,
) -> ApiResult<Json<SocialProfile>> {
    users::update_profile(&state.db, auth.id(), req)
        .await?
        .ok_or_else(|| ApiError::not_found("profile"))?;
    let viewer = Viewer::of(&auth);
    Ok(Json(social_profile(state, Some(viewer), auth.user).await?))
}

/// Users whose username or display name contains `q` (case-insensitive), by username.
#[utoipa::path(get, path = "/search/users", tag = "social", params(UserSearchQuery),
    responses((status = 200, body = Page<UserSummary>), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    Query(query): Query<UserSearchQuery>,
) -> ApiResult<Json<Page<UserSummary>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let q = search_text(&query.q)?;
    let (ids, total) = graph::search_users(&state.db, &q, page, limit).await?;
    Ok(Json(Page {
        items: people(&state, ids).await?,
        total,
        page,
        limit,
    }))
}
