//! Social notifications (like, comment, reply, follow, @mention) through the notifications
//! module. A failed notification is logged, never a failed request: the action itself succeeded.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    auth::extract::AuthUser,
    notifications::{NotificationKind, notify},
    state::AppState,
    users::store as users,
};

async fn send(
    state: &AppState,
    actor: &AuthUser,
    to: Uuid,
    kind: NotificationKind,
    title: &str,
    body: &str,
    mut data: Value,
) {
    // Never tell people about their own actions.
    if to == actor.id() {
        return;
    }
    // Nor about people they blocked.
    match super::graph::is_blocked(&state.db, to, actor.id()).await {
        Ok(false) => {}
        Ok(true) => return,
        Err(e) => {
            tracing::warn!(error = %e, "block look-up failed");
            return;
        }
    }
    if let Value::Object(map) = &mut data {
        map.insert("actor".into(), json!(actor.user.username));
    }
    if let Err(e) = notify(state, to, kind, title, body, data).await {
        tracing::warn!(error = %e, kind = kind.as_str(), "social notification not sent");
    }
}

pub async fn liked_post(state: &AppState, actor: &AuthUser, owner: Uuid, post_id: Uuid) {
    let who = &actor.user.username;
    send(
        state,
        actor,
        owner,
        NotificationKind::Like,
        &format!("{who} liked your post"),
        "",
        json!({"post_id": post_id}),
    )
    .await;
}

pub async fn liked_comment(state: &AppState, actor: &AuthUser, owner: Uuid, post_id: Uuid, comment_id: Uuid) {
    let who = &actor.user.username;
    let data = json!({"post_id": post_id, "comment_id": comment_id});
    send(
        state,
        actor,
        owner,
        NotificationKind::Like,
        &format!("{who} liked your comment"),
        "",
        data,
    )
    .await;
}

/// The post's author hears of a comment; the parent comment's author (if any) of a reply.
pub async fn commented(
    state: &AppState,
    actor: &AuthUser,
    post_owner: Uuid,
    parent_owner: Option<Uuid>,
    post_id: Uuid,
    comment_id: Uuid,
    text: &str,
) {
    let who = &actor.user.username;
    let data = |reply: bool| json!({"post_id": post_id, "comment_id": comment_id, "reply": reply});
    if let Some(parent_owner) = parent_owner {
        send(
            state,
            actor,
            parent_owner,
            NotificationKind::Comment,
            &format!("{who} replied to your comment"),
            text,
            data(true),
        )
        .await;
    }
    if parent_owner != Some(post_owner) {
        send(
            state,
            actor,
            post_owner,
            NotificationKind::Comment,
            &format!("{who} commented on your post"),
            text,
            data(false),
        )
        .await;
    }
}

pub async fn followed(state: &AppState, actor: &AuthUser, followee: Uuid) {
    let who = &actor.user.username;
    send(
        state,
        actor,
        followee,
        NotificationKind::Follow,
        &format!("{who} followed you"),
        "",
        json!({}),
    )
    .await;
}

/// Everyone `@mentioned` in the text of (or under) `post_id` who exists, is active and can see
/// the post, except those in `skip` (already told about the same text) and the author.
pub async fn mentioned(
    state: &AppState,
    actor: &AuthUser,
    text: &str,
    skip: &[Uuid],
    post_id: Uuid,
    data: Value,
) {
    let who = &actor.user.username;
    for name in super::text::mentions(text) {
        let user = match users::by_username(&state.db, &name).await {
            Ok(Some(u)) if u.is_active && !skip.contains(&u.id) => u,
            Ok(_) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "mention look-up failed");
                continue;
            }
        };
        // A followers-only post must not reach others through a notification's text.
        let reader = super::Viewer {
            id: user.id,
            moderator: false,
        };
        match super::store::post(&state.db, Some(reader), post_id).await {
            Ok(Some(_)) => {}
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "mention visibility check failed");
                continue;
            }
        }
        send(
            state,
            actor,
            user.id,
            NotificationKind::Mention,
            &format!("{who} mentioned you"),
            text,
            data.clone(),
        )
        .await;
    }
}
