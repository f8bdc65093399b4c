//! Insights: short written analyses of a match (AI or deterministic) and agents' findings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Matches {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Insights {
    Table,
    Id,
    AgentId,
    MatchId,
    Kind,
    Title,
    Content,
    Confidence,
    Source,
    Model,
    Facts,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // `agent_id` is not a foreign key: agents get their own table later, and an insight
        // outlives the agent that wrote it.
        m.create_table(
            Table::create()
                .table(Insights::Table)
                .col(pk_uuid(Insights::Id))
                .col(uuid_null(Insights::AgentId))
                .col(integer_null(Insights::MatchId))
                .col(string_len(Insights::Kind, 64))
                .col(string_len(Insights::Title, 200))
                .col(text(Insights::Content))
                .col(double(Insights::Confidence))
                .col(string_len(Insights::Source, 16))
                .col(string_len_null(Insights::Model, 100))
                .col(json_binary_null(Insights::Facts))
                .col(timestamp_with_time_zone(Insights::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Insights::Table, Insights::MatchId)
                        .to(Matches::Table, Matches::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // A match's insights, newest first.
        m.create_index(
            Index::create()
                .name("idx_insights_match_created")
                .table(Insights::Table)
                .col(Insights::MatchId)
                .col(Insights::CreatedAt)
                .to_owned(),
        )
        .await?;
        // An agent's insights, newest first.
        m.create_index(
            Index::create()
                .name("idx_insights_agent_created")
                .table(Insights::Table)
                .col(Insights::AgentId)
                .col(Insights::CreatedAt)
                .to_owned(),
        )
        .await
    }
}
