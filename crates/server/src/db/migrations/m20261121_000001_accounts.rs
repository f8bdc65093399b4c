//! Accounts: users, profiles, refresh-token families, API keys, login attempts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Username,
    UsernameKey,
    PasswordHash,
    Role,
    IsActive,
    CreatedAt,
    UpdatedAt,
    LastLoginAt,
    PasswordChangedAt,
}

#[derive(DeriveIden)]
enum Profiles {
    Table,
    UserId,
    DisplayName,
    Bio,
    Location,
    Website,
    AvatarUrl,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokenFamilies {
    Table,
    Id,
    UserId,
    CreatedAt,
    RevokedAt,
    RevokedReason,
    UserAgent,
    Ip,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    UserId,
    Name,
    Prefix,
    KeyHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    Identifier,
    UserId,
    Ip,
    Succeeded,
    CreatedAt,
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
                .table(Users::Table)
                .col(pk_uuid(Users::Id))
                .col(string_uniq(Users::Email))
                .col(string(Users::Username))
                .col(string_uniq(Users::UsernameKey))
                .col(string(Users::PasswordHash))
                .col(string_len(Users::Role, 16))
                .col(boolean(Users::IsActive).default(true))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                .col(timestamp_with_time_zone(Users::PasswordChangedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Profiles::Table)
                .col(pk_uuid(Profiles::UserId))
                .col(string_null(Profiles::DisplayName))
                .col(text_null(Profiles::Bio))
                .col(string_null(Profiles::Location))
                .col(string_null(Profiles::Website))
                .col(string_null(Profiles::AvatarUrl))
                .col(timestamp_with_time_zone(Profiles::UpdatedAt))
                .foreign_key(&mut user_fk(Profiles::Table, Profiles::UserId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RefreshTokenFamilies::Table)
                .col(pk_uuid(RefreshTokenFamilies::Id))
                .col(uuid(RefreshTokenFamilies::UserId))
                .col(timestamp_with_time_zone(RefreshTokenFamilies::CreatedAt))
                .col(timestamp_with_time_zone_null(RefreshTokenFamilies::RevokedAt))
                .col(string_null(RefreshTokenFamilies::RevokedReason))
                .col(string_null(RefreshTokenFamilies::UserAgent))
                .col(string_null(RefreshTokenFamilies::Ip))
                .foreign_key(&mut user_fk(
                    RefreshTokenFamilies::Table,
                    RefreshTokenFamilies::UserId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_refresh_token_families_user")
                .table(RefreshTokenFamilies::Table)
                .col(RefreshTokenFamilies::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .col(pk_uuid(RefreshTokens::Id))
                .col(uuid(RefreshTokens::FamilyId))
                .col(string_uniq(RefreshTokens::TokenHash))
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RefreshTokens::Table, RefreshTokens::FamilyId)
                        .to(RefreshTokenFamilies::Table, RefreshTokenFamilies::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_refresh_tokens_family")
                .table(RefreshTokens::Table)
                .col(RefreshTokens::FamilyId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiKeys::Table)
                .col(pk_uuid(ApiKeys::Id))
                .col(uuid(ApiKeys::UserId))
                .col(string(ApiKeys::Name))
                .col(string(ApiKeys::Prefix))
                .col(string_uniq(ApiKeys::KeyHash))
                .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                .foreign_key(&mut user_fk(ApiKeys::Table, ApiKeys::UserId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_api_keys_user")
                .table(ApiKeys::Table)
                .col(ApiKeys::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginAttempts::Table)
                .col(pk_uuid(LoginAttempts::Id))
                .col(string(LoginAttempts::Identifier))
                .col(uuid_null(LoginAttempts::UserId))
                .col(string_null(LoginAttempts::Ip))
                .col(boolean(LoginAttempts::Succeeded))
                .col(timestamp_with_time_zone(LoginAttempts::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_login_attempts_identifier_time")
                .table(LoginAttempts::Table)
                .col(LoginAttempts::Identifier)
                .col(LoginAttempts::CreatedAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
