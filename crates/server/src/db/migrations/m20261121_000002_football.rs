//! Football: competitions, seasons, teams and matches (fixtures and results, with stats and odds).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Competitions {
    Table,
    Id,
    Slug,
    Name,
    Country,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Seasons {
    Table,
    Id,
    CompetitionId,
    Name,
    StartYear,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    Name,
    Slug,
    Country,
    Venue,
    Latitude,
    Longitude,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Matches {
    Table,
    Id,
    CompetitionId,
    SeasonId,
    HomeTeamId,
    AwayTeamId,
    MatchDate,
    KickoffAt,
    Status,
    Minute,
    HomeGoals,
    AwayGoals,
    HomeHalfTimeGoals,
    AwayHalfTimeGoals,
    Referee,
    Neutral,
    Stats,
    Odds,
    Source,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Competitions::Table)
                .col(pk_auto(Competitions::Id))
                .col(string_uniq(Competitions::Slug))
                .col(string(Competitions::Name))
                .col(string_null(Competitions::Country))
                .col(string_len(Competitions::Kind, 16))
                .col(timestamp_with_time_zone(Competitions::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Seasons::Table)
                .col(pk_auto(Seasons::Id))
                .col(integer(Seasons::CompetitionId))
                .col(string_len(Seasons::Name, 16))
                .col(integer(Seasons::StartYear))
                .foreign_key(
                    ForeignKey::create()
                        .from(Seasons::Table, Seasons::CompetitionId)
                        .to(Competitions::Table, Competitions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_seasons_competition_name")
                .table(Seasons::Table)
                .col(Seasons::CompetitionId)
                .col(Seasons::Name)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Teams::Table)
                .col(pk_auto(Teams::Id))
                .col(string_uniq(Teams::Name))
                .col(string_uniq(Teams::Slug))
                .col(string_null(Teams::Country))
                .col(string_null(Teams::Venue))
                .col(double_null(Teams::Latitude))
                .col(double_null(Teams::Longitude))
                .col(timestamp_with_time_zone(Teams::CreatedAt))
                .to_owned(),
        )
        .await?;

        let team_fk = |column: Matches| {
            ForeignKey::create()
                .from(Matches::Table, column)
                .to(Teams::Table, Teams::Id)
                .on_delete(ForeignKeyAction::Restrict)
                .to_owned()
        };
        m.create_table(
            Table::create()
                .table(Matches::Table)
                .col(pk_auto(Matches::Id))
                .col(integer(Matches::CompetitionId))
                .col(integer(Matches::SeasonId))
                .col(integer(Matches::HomeTeamId))
                .col(integer(Matches::AwayTeamId))
                .col(date(Matches::MatchDate))
                .col(timestamp_with_time_zone(Matches::KickoffAt))
                .col(string_len(Matches::Status, 16))
                .col(small_integer_null(Matches::Minute))
                .col(small_integer_null(Matches::HomeGoals))
                .col(small_integer_null(Matches::AwayGoals))
                .col(small_integer_null(Matches::HomeHalfTimeGoals))
                .col(small_integer_null(Matches::AwayHalfTimeGoals))
                .col(string_null(Matches::Referee))
                .col(boolean(Matches::Neutral).default(false))
                .col(json_binary_null(Matches::Stats))
                .col(json_binary_null(Matches::Odds))
                .col(string_len(Matches::Source, 32))
                .col(timestamp_with_time_zone(Matches::CreatedAt))
                .col(timestamp_with_time_zone(Matches::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Matches::Table, Matches::CompetitionId)
                        .to(Competitions::Table, Competitions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Matches::Table, Matches::SeasonId)
                        .to(Seasons::Table, Seasons::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(&mut team_fk(Matches::HomeTeamId))
                .foreign_key(&mut team_fk(Matches::AwayTeamId))
                .to_owned(),
        )
        .await?;
        // The natural key imports upsert on: one fixture per competition, day and pairing.
        m.create_index(
            Index::create()
                .name("uq_matches_natural_key")
                .table(Matches::Table)
                .col(Matches::CompetitionId)
                .col(Matches::MatchDate)
                .col(Matches::HomeTeamId)
                .col(Matches::AwayTeamId)
                .unique()
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_matches_kickoff", vec![Matches::KickoffAt]),
            ("idx_matches_season", vec![Matches::SeasonId, Matches::MatchDate]),
            (
                "idx_matches_home_team",
                vec![Matches::HomeTeamId, Matches::MatchDate],
            ),
            (
                "idx_matches_away_team",
                vec![Matches::AwayTeamId, Matches::MatchDate],
            ),
            ("idx_matches_status", vec![Matches::Status, Matches::KickoffAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Matches::Table);
            for col in cols {
                index.col(col);
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }
}
