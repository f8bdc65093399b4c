//! The prediction game: users' picks, their stats, and achievements.

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
enum Picks {
    Table,
    Id,
    UserId,
    MatchId,
    Type,
    Outcome,
    HomeGoals,
    AwayGoals,
    Line,
    Side,
    HomeProbability,
    DrawProbability,
    AwayProbability,
    Status,
    Points,
    Correct,
    Rps,
    ModelRps,
    ModelCorrect,
    ScoredAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PickStats {
    Table,
    UserId,
    Picks,
    Pending,
    Scored,
    Graded,
    Correct,
    Points,
    ExactScores,
    CurrentStreak,
    BestStreak,
    ProbabilityPicks,
    MeanRps,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Achievements {
    Table,
    UserId,
    Code,
    GrantedAt,
}

fn user_fk<T: IntoIden + 'static>(table: T, column: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Picks::Table)
                .col(pk_uuid(Picks::Id))
                .col(uuid(Picks::UserId))
                .col(integer(Picks::MatchId))
                .col(string_len(Picks::Type, 16))
                .col(string_len_null(Picks::Outcome, 8))
                .col(small_integer_null(Picks::HomeGoals))
                .col(small_integer_null(Picks::AwayGoals))
                .col(double_null(Picks::Line))
                .col(string_len_null(Picks::Side, 8))
                .col(double_null(Picks::HomeProbability))
                .col(double_null(Picks::DrawProbability))
                .col(double_null(Picks::AwayProbability))
                .col(string_len(Picks::Status, 16))
                .col(integer(Picks::Points).default(0))
                .col(boolean_null(Picks::Correct))
                .col(double_null(Picks::Rps))
                .col(double_null(Picks::ModelRps))
                .col(boolean_null(Picks::ModelCorrect))
                .col(timestamp_with_time_zone_null(Picks::ScoredAt))
                .col(timestamp_with_time_zone(Picks::CreatedAt))
                .col(timestamp_with_time_zone(Picks::UpdatedAt))
                .foreign_key(&mut user_fk(Picks::Table, Picks::UserId))
                .foreign_key(
                    ForeignKey::create()
                        .from(Picks::Table, Picks::MatchId)
                        .to(Matches::Table, Matches::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // One pick per type per match per user; also serves "my picks" look-ups.
        m.create_index(
            Index::create()
                .name("uq_picks_user_match_type")
                .table(Picks::Table)
                .col(Picks::UserId)
                .col(Picks::MatchId)
                .col(Picks::Type)
                .unique()
                .to_owned(),
        )
        .await?;
        // Scoring reads a match's picks; the sweep looks for pending ones.
        m.create_index(
            Index::create()
                .name("idx_picks_match_status")
                .table(Picks::Table)
                .col(Picks::MatchId)
                .col(Picks::Status)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PickStats::Table)
                .col(pk_uuid(PickStats::UserId))
                .col(integer(PickStats::Picks))
                .col(integer(PickStats::Pending))
                .col(integer(PickStats::Scored))
                .col(integer(PickStats::Graded))
                .col(integer(PickStats::Correct))
                .col(integer(PickStats::Points))
                .col(integer(PickStats::ExactScores))
                .col(integer(PickStats::CurrentStreak))
                .col(integer(PickStats::BestStreak))
                .col(integer(PickStats::ProbabilityPicks))
                .col(double_null(PickStats::MeanRps))
                .col(timestamp_with_time_zone(PickStats::UpdatedAt))
                .foreign_key(&mut user_fk(PickStats::Table, PickStats::UserId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Achievements::Table)
                .col(uuid(Achievements::UserId))
                .col(string_len(Achievements::Code, 32))
                .col(timestamp_with_time_zone(Achievements::GrantedAt))
                .primary_key(Index::create().col(Achievements::UserId).col(Achievements::Code))
                .foreign_key(&mut user_fk(Achievements::Table, Achievements::UserId))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
