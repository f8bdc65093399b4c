//! Forecasting: model versions, forecasts as served, and background jobs (training runs).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ModelVersions {
    Table,
    Id,
    Model,
    CompetitionId,
    Version,
    Fingerprint,
    TrainedFrom,
    TrainedThrough,
    Matches,
    Parameters,
    Metrics,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Forecasts {
    Table,
    Id,
    MatchId,
    Model,
    ModelVersionId,
    HomeProbability,
    DrawProbability,
    AwayProbability,
    ExpectedHomeGoals,
    ExpectedAwayGoals,
    Reason,
    IssuedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Status,
    Progress,
    Params,
    Result,
    Error,
    CreatedBy,
    CreatedAt,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Competitions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Matches {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ModelVersions::Table)
                .col(pk_auto(ModelVersions::Id))
                .col(string_len(ModelVersions::Model, 32))
                .col(integer(ModelVersions::CompetitionId))
                .col(integer(ModelVersions::Version))
                .col(string_len(ModelVersions::Fingerprint, 64))
                .col(date_null(ModelVersions::TrainedFrom))
                .col(date_null(ModelVersions::TrainedThrough))
                .col(integer(ModelVersions::Matches))
                .col(json_binary_null(ModelVersions::Parameters))
                .col(json_binary_null(ModelVersions::Metrics))
                .col(timestamp_with_time_zone(ModelVersions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ModelVersions::Table, ModelVersions::CompetitionId)
                        .to(Competitions::Table, Competitions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // Fitting the same data twice (on two instances, say) yields the same version.
        m.create_index(
            Index::create()
                .name("uq_model_versions_fingerprint")
                .table(ModelVersions::Table)
                .col(ModelVersions::Model)
                .col(ModelVersions::CompetitionId)
                .col(ModelVersions::Fingerprint)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Forecasts::Table)
                .col(pk_auto(Forecasts::Id))
                .col(integer(Forecasts::MatchId))
                .col(string_len(Forecasts::Model, 32))
                .col(integer_null(Forecasts::ModelVersionId))
                .col(double(Forecasts::HomeProbability))
                .col(double(Forecasts::DrawProbability))
                .col(double(Forecasts::AwayProbability))
                .col(double_null(Forecasts::ExpectedHomeGoals))
                .col(double_null(Forecasts::ExpectedAwayGoals))
                .col(string_len(Forecasts::Reason, 32))
                .col(timestamp_with_time_zone(Forecasts::IssuedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Forecasts::Table, Forecasts::MatchId)
                        .to(Matches::Table, Matches::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Forecasts::Table, Forecasts::ModelVersionId)
                        .to(ModelVersions::Table, ModelVersions::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_forecasts_match")
                .table(Forecasts::Table)
                .col(Forecasts::MatchId)
                .col(Forecasts::IssuedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(pk_uuid(Jobs::Id))
                .col(string_len(Jobs::Kind, 32))
                .col(string_len(Jobs::Status, 16))
                .col(double(Jobs::Progress))
                .col(json_binary_null(Jobs::Params))
                .col(json_binary_null(Jobs::Result))
                .col(text_null(Jobs::Error))
                .col(uuid_null(Jobs::CreatedBy))
                .col(timestamp_with_time_zone(Jobs::CreatedAt))
                .col(timestamp_with_time_zone_null(Jobs::StartedAt))
                .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
