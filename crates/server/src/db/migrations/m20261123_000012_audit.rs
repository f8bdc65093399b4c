//! The audit log: security-relevant actions, queryable by admins.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Action,
    TargetType,
    TargetId,
    Ip,
    Details,
}

fn index(name: &str, cols: &[AuditLog]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(AuditLog::Table);
    for col in cols {
        stmt.col(*col);
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No foreign keys: entries outlive the accounts and content they name.
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(pk_uuid(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(uuid_null(AuditLog::ActorId))
                .col(string_len(AuditLog::Action, 64))
                .col(string_len_null(AuditLog::TargetType, 32))
                .col(string_len_null(AuditLog::TargetId, 64))
                .col(string_len_null(AuditLog::Ip, 64))
                .col(json_binary_null(AuditLog::Details))
                .to_owned(),
        )
        .await?;
        // Pages are read newest first by id (time-ordered), optionally narrowed by one of these.
        m.create_index(index("ix_audit_log_actor", &[AuditLog::ActorId, AuditLog::Id]))
            .await?;
        m.create_index(index("ix_audit_log_action", &[AuditLog::Action, AuditLog::Id]))
            .await?;
        m.create_index(index(
            "ix_audit_log_target",
            &[AuditLog::TargetType, AuditLog::TargetId, AuditLog::Id],
        ))
        .await?;
        m.create_index(index("ix_audit_log_at", &[AuditLog::At])).await
    }
}
