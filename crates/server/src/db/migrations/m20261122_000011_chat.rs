//! Live match chat: messages in a match room, reportable and hidden like comments.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Matches {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ChatMessages {
    Table,
    Id,
    MatchId,
    UserId,
    Body,
    HiddenAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    ChatMessageId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ChatMessages::Table)
                .col(pk_uuid(ChatMessages::Id))
                .col(integer(ChatMessages::MatchId))
                .col(uuid(ChatMessages::UserId))
                .col(text(ChatMessages::Body))
                .col(timestamp_with_time_zone_null(ChatMessages::HiddenAt))
                .col(timestamp_with_time_zone(ChatMessages::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ChatMessages::Table, ChatMessages::MatchId)
                        .to(Matches::Table, Matches::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ChatMessages::Table, ChatMessages::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // History is read newest first per match.
        m.create_index(
            Index::create()
                .name("ix_chat_messages_match")
                .table(ChatMessages::Table)
                .col(ChatMessages::MatchId)
                .col(ChatMessages::CreatedAt)
                .to_owned(),
        )
        .await?;
        // Reports may name a chat message (no foreign key: reports outlive what they report).
        m.alter_table(
            Table::alter()
                .table(Reports::Table)
                .add_column(uuid_null(Reports::ChatMessageId))
                .to_owned(),
        )
        .await
    }
}
