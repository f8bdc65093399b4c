//! The social network: posts, comments, likes, follows, blocks, hashtags and reports.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    UserId,
    Type,
    Body,
    MatchId,
    PickId,
    Visibility,
    HiddenAt,
    EditedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    PostId,
    UserId,
    ParentId,
    Body,
    HiddenAt,
    EditedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PostLikes {
    Table,
    PostId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CommentLikes {
    Table,
    CommentId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Follows {
    Table,
    FollowerId,
    FolloweeId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Blocks {
    Table,
    BlockerId,
    BlockedId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PostHashtags {
    Table,
    PostId,
    Tag,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    ReporterId,
    PostId,
    CommentId,
    Reason,
    Status,
    CreatedAt,
    ResolvedAt,
}

fn fk<T: IntoIden + 'static, R: IntoIden + 'static>(
    table: T,
    column: impl IntoIden + 'static,
    to: R,
    to_column: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(to, to_column)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden + 'static, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(col);
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Match and pick ids are not foreign keys: a post outlives a withdrawn pick.
        m.create_table(
            Table::create()
                .table(Posts::Table)
                .col(pk_uuid(Posts::Id))
                .col(uuid(Posts::UserId))
                .col(string_len(Posts::Type, 16))
                .col(text(Posts::Body))
                .col(integer_null(Posts::MatchId))
                .col(uuid_null(Posts::PickId))
                .col(string_len(Posts::Visibility, 16))
                .col(timestamp_with_time_zone_null(Posts::HiddenAt))
                .col(timestamp_with_time_zone_null(Posts::EditedAt))
                .col(timestamp_with_time_zone(Posts::CreatedAt))
                .foreign_key(&mut fk(Posts::Table, Posts::UserId, Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_posts_user",
            Posts::Table,
            vec![Posts::UserId.into_iden(), Posts::Id.into_iden()],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Comments::Table)
                .col(pk_uuid(Comments::Id))
                .col(uuid(Comments::PostId))
                .col(uuid(Comments::UserId))
                .col(uuid_null(Comments::ParentId))
                .col(text(Comments::Body))
                .col(timestamp_with_time_zone_null(Comments::HiddenAt))
                .col(timestamp_with_time_zone_null(Comments::EditedAt))
                .col(timestamp_with_time_zone(Comments::CreatedAt))
                .foreign_key(&mut fk(
                    Comments::Table,
                    Comments::PostId,
                    Posts::Table,
                    Posts::Id,
                ))
                .foreign_key(&mut fk(
                    Comments::Table,
                    Comments::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(
                    Comments::Table,
                    Comments::ParentId,
                    Comments::Table,
                    Comments::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_comments_post",
            Comments::Table,
            vec![Comments::PostId.into_iden(), Comments::Id.into_iden()],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(PostLikes::Table)
                .col(uuid(PostLikes::PostId))
                .col(uuid(PostLikes::UserId))
                .col(timestamp_with_time_zone(PostLikes::CreatedAt))
                .primary_key(Index::create().col(PostLikes::PostId).col(PostLikes::UserId))
                .foreign_key(&mut fk(
                    PostLikes::Table,
                    PostLikes::PostId,
                    Posts::Table,
                    Posts::Id,
                ))
                .foreign_key(&mut fk(
                    PostLikes::Table,
                    PostLikes::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CommentLikes::Table)
                .col(uuid(CommentLikes::CommentId))
                .col(uuid(CommentLikes::UserId))
                .col(timestamp_with_time_zone(CommentLikes::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(CommentLikes::CommentId)
                        .col(CommentLikes::UserId),
                )
                .foreign_key(&mut fk(
                    CommentLikes::Table,
                    CommentLikes::CommentId,
                    Comments::Table,
                    Comments::Id,
                ))
                .foreign_key(&mut fk(
                    CommentLikes::Table,
                    CommentLikes::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Follows::Table)
                .col(uuid(Follows::FollowerId))
                .col(uuid(Follows::FolloweeId))
                .col(timestamp_with_time_zone(Follows::CreatedAt))
                .primary_key(Index::create().col(Follows::FollowerId).col(Follows::FolloweeId))
                .foreign_key(&mut fk(
                    Follows::Table,
                    Follows::FollowerId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(
                    Follows::Table,
                    Follows::FolloweeId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_follows_followee",
            Follows::Table,
            vec![Follows::FolloweeId.into_iden(), Follows::FollowerId.into_iden()],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Blocks::Table)
                .col(uuid(Blocks::BlockerId))
                .col(uuid(Blocks::BlockedId))
                .col(timestamp_with_time_zone(Blocks::CreatedAt))
                .primary_key(Index::create().col(Blocks::BlockerId).col(Blocks::BlockedId))
                .foreign_key(&mut fk(Blocks::Table, Blocks::BlockerId, Users::Table, Users::Id))
                .foreign_key(&mut fk(Blocks::Table, Blocks::BlockedId, Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PostHashtags::Table)
                .col(uuid(PostHashtags::PostId))
                .col(string_len(PostHashtags::Tag, 64))
                .col(timestamp_with_time_zone(PostHashtags::CreatedAt))
                .primary_key(Index::create().col(PostHashtags::PostId).col(PostHashtags::Tag))
                .foreign_key(&mut fk(
                    PostHashtags::Table,
                    PostHashtags::PostId,
                    Posts::Table,
                    Posts::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_post_hashtags_tag",
            PostHashtags::Table,
            vec![PostHashtags::Tag.into_iden(), PostHashtags::PostId.into_iden()],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Reports::Table)
                .col(pk_uuid(Reports::Id))
                .col(uuid(Reports::ReporterId))
                .col(uuid_null(Reports::PostId))
                .col(uuid_null(Reports::CommentId))
                .col(string_len(Reports::Reason, 500))
                .col(string_len(Reports::Status, 16))
                .col(timestamp_with_time_zone(Reports::CreatedAt))
                .col(timestamp_with_time_zone_null(Reports::ResolvedAt))
                .foreign_key(&mut fk(
                    Reports::Table,
                    Reports::ReporterId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(Reports::Table, Reports::PostId, Posts::Table, Posts::Id))
                .foreign_key(&mut fk(
                    Reports::Table,
                    Reports::CommentId,
                    Comments::Table,
                    Comments::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_reports_status",
            Reports::Table,
            vec![Reports::Status.into_iden(), Reports::CreatedAt.into_iden()],
        ))
        .await?;
        Ok(())
    }
}
