//! Private leagues of the prediction game and their members.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Leagues {
    Table,
    Id,
    Name,
    Description,
    CompetitionId,
    OwnerId,
    InviteCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeagueMembers {
    Table,
    LeagueId,
    UserId,
    JoinedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The competition id is not a foreign key: competitions are never deleted, and the
        // league only uses it as a filter.
        m.create_table(
            Table::create()
                .table(Leagues::Table)
                .col(pk_uuid(Leagues::Id))
                .col(string_len(Leagues::Name, 60))
                .col(text_null(Leagues::Description))
                .col(integer_null(Leagues::CompetitionId))
                .col(uuid(Leagues::OwnerId))
                .col(string_len(Leagues::InviteCode, 16))
                .col(timestamp_with_time_zone(Leagues::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Leagues::Table, Leagues::OwnerId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // Joining looks a code up; the index also keeps codes unique under races.
        m.create_index(
            Index::create()
                .name("uq_leagues_invite_code")
                .table(Leagues::Table)
                .col(Leagues::InviteCode)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LeagueMembers::Table)
                .col(uuid(LeagueMembers::LeagueId))
                .col(uuid(LeagueMembers::UserId))
                .col(timestamp_with_time_zone(LeagueMembers::JoinedAt))
                .primary_key(
                    Index::create()
                        .col(LeagueMembers::LeagueId)
                        .col(LeagueMembers::UserId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LeagueMembers::Table, LeagueMembers::LeagueId)
                        .to(Leagues::Table, Leagues::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LeagueMembers::Table, LeagueMembers::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // "My leagues".
        m.create_index(
            Index::create()
                .name("idx_league_members_user")
                .table(LeagueMembers::Table)
                .col(LeagueMembers::UserId)
                .to_owned(),
        )
        .await
    }
}
