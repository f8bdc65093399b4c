//! SeaORM entities: one struct per table, the same for SQLite and PostgreSQL.

pub mod achievement;
pub mod api_key;
pub mod block;
pub mod comment;
pub mod comment_like;
pub mod competition;
pub mod follow;
pub mod football_match;
pub mod forecast;
pub mod job;
pub mod login_attempt;
pub mod model_version;
pub mod notification;
pub mod notification_preference;
pub mod pick;
pub mod pick_stats;
pub mod post;
pub mod post_hashtag;
pub mod post_like;
pub mod profile;
pub mod refresh_token;
pub mod refresh_token_family;
pub mod report;
pub mod season;
pub mod team;
pub mod user;
