//! Embedded schema migrations, one file each, shared by SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261121_000001_accounts;
mod m20261121_000002_football;
mod m20261121_000003_forecasts;
mod m20261121_000004_notifications;
mod m20261121_000005_picks;
mod m20261122_000006_social;
mod m20261122_000007_leagues;
mod m20261122_000008_agents;
mod m20261122_000009_insights;
mod m20261122_000010_monitoring;
mod m20261122_000011_chat;
mod m20261123_000012_audit;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_accounts::Migration),
            Box::new(m20261121_000002_football::Migration),
            Box::new(m20261121_000003_forecasts::Migration),
            Box::new(m20261121_000004_notifications::Migration),
            Box::new(m20261121_000005_picks::Migration),
            Box::new(m20261122_000006_social::Migration),
            Box::new(m20261122_000007_leagues::Migration),
            Box::new(m20261122_000008_agents::Migration),
            Box::new(m20261122_000009_insights::Migration),
            Box::new(m20261122_000010_monitoring::Migration),
            Box::new(m20261122_000011_chat::Migration),
            Box::new(m20261123_000012_audit::Migration),
        ]
    }
}
