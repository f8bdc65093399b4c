//! Turns stored posts and comments into views: authors, tags, counts and the caller's likes,
//! each fetched once per page rather than once per item.

use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{
    graph, store,
    store::Viewer,
    types::{CommentView, PostView, UserSummary},
};
use crate::db::entities::{comment, post};

fn unknown_author(id: Uuid) -> UserSummary {
    UserSummary {
        id,
        username: String::new(),
        display_name: None,
        avatar_url: None,
    }
}

pub async fn posts(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    posts: Vec<post::Model>,
) -> Result<Vec<PostView>, DbErr> {
    let ids: Vec<Uuid> = posts.iter().map(|p| p.id).collect();
    let authors: Vec<Uuid> = posts.iter().map(|p| p.user_id).collect();
    let summaries = graph::summaries(db, &authors).await?;
    let mut tags = store::tags_of(db, &ids).await?;
    let likes = graph::post_like_counts(db, &ids).await?;
    let comments = store::comment_counts(db, viewer, &ids).await?;
    let liked = match viewer {
        Some(v) => graph::liked_posts(db, v.id, &ids).await?,
        None => Default::default(),
    };
    Ok(posts
        .into_iter()
        .map(|p| PostView {
            author: summaries
                .get(&p.user_id)
                .cloned()
                .unwrap_or_else(|| unknown_author(p.user_id)),
            hashtags: tags.remove(&p.id).unwrap_or_default(),
            like_count: likes.get(&p.id).copied().unwrap_or(0),
            comment_count: comments.get(&p.id).copied().unwrap_or(0),
            liked_by_me: liked.contains(&p.id),
            hidden: p.hidden_at.is_some(),
            id: p.id,
            kind: p.kind,
            content: p.body,
            match_id: p.match_id,
            pick_id: p.pick_id,
            visibility: p.visibility,
            created_at: p.created_at,
            edited_at: p.edited_at,
        })
        .collect())
}

pub async fn post(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    post: post::Model,
) -> Result<PostView, DbErr> {
    let mut views = posts(db, viewer, vec![post]).await?;
    views
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("post view".into()))
}

pub async fn comments(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    comments: Vec<comment::Model>,
) -> Result<Vec<CommentView>, DbErr> {
    let ids: Vec<Uuid> = comments.iter().map(|c| c.id).collect();
    let authors: Vec<Uuid> = comments.iter().map(|c| c.user_id).collect();
    let summaries = graph::summaries(db, &authors).await?;
    let likes = graph::comment_like_counts(db, &ids).await?;
    let liked = match viewer {
        Some(v) => graph::liked_comments(db, v.id, &ids).await?,
        None => Default::default(),
    };
    Ok(comments
        .into_iter()
        .map(|c| CommentView {
            author: summaries
                .get(&c.user_id)
                .cloned()
                .unwrap_or_else(|| unknown_author(c.user_id)),
            like_count: likes.get(&c.id).copied().unwrap_or(0),
            liked_by_me: liked.contains(&c.id),
            hidden: c.hidden_at.is_some(),
            id: c.id,
            post_id: c.post_id,
            parent_id: c.parent_id,
            content: c.body,
            created_at: c.created_at,
            edited_at: c.edited_at,
        })
        .collect())
}

pub async fn comment(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    comment: comment::Model,
) -> Result<CommentView, DbErr> {
    let mut views = comments(db, viewer, vec![comment]).await?;
    views
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("comment view".into()))
}
