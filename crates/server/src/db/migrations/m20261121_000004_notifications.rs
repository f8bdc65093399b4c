//! Notifications and per-type, per-channel notification preferences.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Type,
    Title,
    Body,
    Data,
    ReadAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    UserId,
    Type,
    Channel,
    Enabled,
    UpdatedAt,
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
                .table(Notifications::Table)
                .col(pk_uuid(Notifications::Id))
                .col(uuid(Notifications::UserId))
                .col(string_len(Notifications::Type, 32))
                .col(text(Notifications::Title))
                .col(text(Notifications::Body))
                .col(json_binary_null(Notifications::Data))
                .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .foreign_key(&mut user_fk(Notifications::Table, Notifications::UserId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notifications_user_created")
                .table(Notifications::Table)
                .col(Notifications::UserId)
                .col(Notifications::CreatedAt)
                .to_owned(),
        )
        .await?;

        // The composite primary key is the (user_id, type, channel) uniqueness.
        m.create_table(
            Table::create()
                .table(NotificationPreferences::Table)
                .col(uuid(NotificationPreferences::UserId))
                .col(string_len(NotificationPreferences::Type, 32))
                .col(string_len(NotificationPreferences::Channel, 16))
                .col(boolean(NotificationPreferences::Enabled))
                .col(timestamp_with_time_zone(NotificationPreferences::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(NotificationPreferences::UserId)
                        .col(NotificationPreferences::Type)
                        .col(NotificationPreferences::Channel),
                )
                .foreign_key(&mut user_fk(
                    NotificationPreferences::Table,
                    NotificationPreferences::UserId,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
