//! Model monitoring: which version serves each competition (promotions), drift alerts, A/B tests.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ModelVersions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Competitions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ModelPromotions {
    Table,
    Id,
    CompetitionId,
    ModelVersionId,
    PromotedBy,
    Reason,
    CreatedAt,
    RolledBackAt,
}

#[derive(DeriveIden)]
enum DriftAlerts {
    Table,
    Id,
    CompetitionId,
    ModelVersionId,
    Kind,
    Severity,
    Value,
    Baseline,
    Threshold,
    WindowMatches,
    Message,
    CreatedAt,
    AcknowledgedAt,
}

#[derive(DeriveIden)]
enum AbTests {
    Table,
    Id,
    Name,
    CompetitionId,
    VersionA,
    VersionB,
    Split,
    Status,
    CreatedBy,
    CreatedAt,
    StoppedAt,
}

fn to_competition(table: impl IntoTableRef, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Competitions::Table, Competitions::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn to_version(table: impl IntoTableRef, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(ModelVersions::Table, ModelVersions::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The newest promotion of a competition that was not rolled back is what serves.
        m.create_table(
            Table::create()
                .table(ModelPromotions::Table)
                .col(pk_auto(ModelPromotions::Id))
                .col(integer(ModelPromotions::CompetitionId))
                .col(integer(ModelPromotions::ModelVersionId))
                .col(uuid_null(ModelPromotions::PromotedBy))
                .col(text_null(ModelPromotions::Reason))
                .col(timestamp_with_time_zone(ModelPromotions::CreatedAt))
                .col(timestamp_with_time_zone_null(ModelPromotions::RolledBackAt))
                .foreign_key(&mut to_competition(
                    ModelPromotions::Table,
                    ModelPromotions::CompetitionId,
                ))
                .foreign_key(&mut to_version(
                    ModelPromotions::Table,
                    ModelPromotions::ModelVersionId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_model_promotions_competition")
                .table(ModelPromotions::Table)
                .col(ModelPromotions::CompetitionId)
                .col(ModelPromotions::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DriftAlerts::Table)
                .col(pk_uuid(DriftAlerts::Id))
                .col(integer(DriftAlerts::CompetitionId))
                .col(integer_null(DriftAlerts::ModelVersionId))
                .col(string_len(DriftAlerts::Kind, 16))
                .col(string_len(DriftAlerts::Severity, 16))
                .col(double(DriftAlerts::Value))
                .col(double(DriftAlerts::Baseline))
                .col(double(DriftAlerts::Threshold))
                .col(integer(DriftAlerts::WindowMatches))
                .col(text(DriftAlerts::Message))
                .col(timestamp_with_time_zone(DriftAlerts::CreatedAt))
                .col(timestamp_with_time_zone_null(DriftAlerts::AcknowledgedAt))
                .foreign_key(&mut to_competition(
                    DriftAlerts::Table,
                    DriftAlerts::CompetitionId,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(DriftAlerts::Table, DriftAlerts::ModelVersionId)
                        .to(ModelVersions::Table, ModelVersions::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_drift_alerts_competition")
                .table(DriftAlerts::Table)
                .col(DriftAlerts::CompetitionId)
                .col(DriftAlerts::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AbTests::Table)
                .col(pk_uuid(AbTests::Id))
                .col(string_len(AbTests::Name, 100))
                .col(integer(AbTests::CompetitionId))
                .col(integer(AbTests::VersionA))
                .col(integer(AbTests::VersionB))
                .col(double(AbTests::Split))
                .col(string_len(AbTests::Status, 16))
                .col(uuid_null(AbTests::CreatedBy))
                .col(timestamp_with_time_zone(AbTests::CreatedAt))
                .col(timestamp_with_time_zone_null(AbTests::StoppedAt))
                .foreign_key(&mut to_competition(AbTests::Table, AbTests::CompetitionId))
                .foreign_key(&mut to_version(AbTests::Table, AbTests::VersionA))
                .foreign_key(&mut to_version(AbTests::Table, AbTests::VersionB))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_ab_tests_competition")
                .table(AbTests::Table)
                .col(AbTests::CompetitionId)
                .col(AbTests::Status)
                .to_owned(),
        )
        .await
    }
}
