//! Agents: their durable task queue, events, workflows, and outgoing webhooks.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Agents {
    Table,
    Id,
    Name,
    Kind,
    Description,
    Config,
    Status,
    RemoteId,
    OwnerId,
    NextRunAt,
    LastRunAt,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgentTasks {
    Table,
    Id,
    AgentId,
    Kind,
    Params,
    Priority,
    Status,
    Attempts,
    MaxAttempts,
    TimeoutSecs,
    RunAt,
    LeaseOwner,
    LeaseExpiresAt,
    Result,
    Error,
    ExecutionId,
    Step,
    CreatedAt,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum AgentEvents {
    Table,
    Id,
    AgentId,
    Kind,
    Severity,
    Message,
    Data,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgentWorkflows {
    Table,
    Id,
    AgentId,
    Name,
    Steps,
    ScheduleSecs,
    NextRunAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WorkflowExecutions {
    Table,
    Id,
    WorkflowId,
    AgentId,
    Status,
    CurrentStep,
    Data,
    Error,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
    OwnerId,
    Name,
    Url,
    Events,
    Secret,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    IntegrationId,
    Event,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    ResponseStatus,
    Error,
    CreatedAt,
    DeliveredAt,
}

fn cascade(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Agents::Table)
                .col(pk_uuid(Agents::Id))
                .col(string_len(Agents::Name, 80))
                .col(string_len(Agents::Kind, 20))
                .col(text_null(Agents::Description))
                .col(json(Agents::Config))
                .col(string_len(Agents::Status, 16))
                .col(string_len_null(Agents::RemoteId, 200))
                .col(uuid(Agents::OwnerId))
                .col(timestamp_with_time_zone_null(Agents::NextRunAt))
                .col(timestamp_with_time_zone_null(Agents::LastRunAt))
                .col(text_null(Agents::LastError))
                .col(timestamp_with_time_zone(Agents::CreatedAt))
                .col(timestamp_with_time_zone(Agents::UpdatedAt))
                .foreign_key(&mut cascade(
                    (Agents::Table, Agents::OwnerId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AgentWorkflows::Table)
                .col(pk_uuid(AgentWorkflows::Id))
                .col(uuid(AgentWorkflows::AgentId))
                .col(string_len(AgentWorkflows::Name, 80))
                .col(json(AgentWorkflows::Steps))
                .col(integer_null(AgentWorkflows::ScheduleSecs))
                .col(timestamp_with_time_zone_null(AgentWorkflows::NextRunAt))
                .col(timestamp_with_time_zone(AgentWorkflows::CreatedAt))
                .foreign_key(&mut cascade(
                    (AgentWorkflows::Table, AgentWorkflows::AgentId),
                    (Agents::Table, Agents::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WorkflowExecutions::Table)
                .col(pk_uuid(WorkflowExecutions::Id))
                .col(uuid(WorkflowExecutions::WorkflowId))
                .col(uuid(WorkflowExecutions::AgentId))
                .col(string_len(WorkflowExecutions::Status, 16))
                .col(integer(WorkflowExecutions::CurrentStep))
                .col(json(WorkflowExecutions::Data))
                .col(text_null(WorkflowExecutions::Error))
                .col(timestamp_with_time_zone(WorkflowExecutions::StartedAt))
                .col(timestamp_with_time_zone_null(WorkflowExecutions::FinishedAt))
                .foreign_key(&mut cascade(
                    (WorkflowExecutions::Table, WorkflowExecutions::WorkflowId),
                    (AgentWorkflows::Table, AgentWorkflows::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_workflow_executions_workflow")
                .table(WorkflowExecutions::Table)
                .col(WorkflowExecutions::WorkflowId)
                .col(WorkflowExecutions::StartedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AgentTasks::Table)
                .col(pk_uuid(AgentTasks::Id))
                .col(uuid(AgentTasks::AgentId))
                .col(string_len(AgentTasks::Kind, 40))
                .col(json(AgentTasks::Params))
                .col(integer(AgentTasks::Priority))
                .col(string_len(AgentTasks::Status, 16))
                .col(integer(AgentTasks::Attempts))
                .col(integer(AgentTasks::MaxAttempts))
                .col(integer(AgentTasks::TimeoutSecs))
                .col(timestamp_with_time_zone(AgentTasks::RunAt))
                .col(string_len_null(AgentTasks::LeaseOwner, 64))
                .col(timestamp_with_time_zone_null(AgentTasks::LeaseExpiresAt))
                .col(json_null(AgentTasks::Result))
                .col(text_null(AgentTasks::Error))
                .col(uuid_null(AgentTasks::ExecutionId))
                .col(integer_null(AgentTasks::Step))
                .col(timestamp_with_time_zone(AgentTasks::CreatedAt))
                .col(timestamp_with_time_zone_null(AgentTasks::StartedAt))
                .col(timestamp_with_time_zone_null(AgentTasks::FinishedAt))
                .foreign_key(&mut cascade(
                    (AgentTasks::Table, AgentTasks::AgentId),
                    (Agents::Table, Agents::Id),
                ))
                .to_owned(),
        )
        .await?;
        // Workers look for the next due task: by status, then due time.
        m.create_index(
            Index::create()
                .name("ix_agent_tasks_queue")
                .table(AgentTasks::Table)
                .col(AgentTasks::Status)
                .col(AgentTasks::RunAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_agent_tasks_agent")
                .table(AgentTasks::Table)
                .col(AgentTasks::AgentId)
                .col(AgentTasks::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AgentEvents::Table)
                .col(pk_uuid(AgentEvents::Id))
                .col(uuid(AgentEvents::AgentId))
                .col(string_len(AgentEvents::Kind, 60))
                .col(string_len(AgentEvents::Severity, 10))
                .col(text(AgentEvents::Message))
                .col(json_null(AgentEvents::Data))
                .col(timestamp_with_time_zone(AgentEvents::CreatedAt))
                .foreign_key(&mut cascade(
                    (AgentEvents::Table, AgentEvents::AgentId),
                    (Agents::Table, Agents::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_agent_events_agent")
                .table(AgentEvents::Table)
                .col(AgentEvents::AgentId)
                .col(AgentEvents::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Integrations::Table)
                .col(pk_uuid(Integrations::Id))
                .col(uuid(Integrations::OwnerId))
                .col(string_len(Integrations::Name, 80))
                .col(string_len(Integrations::Url, 500))
                .col(json(Integrations::Events))
                .col(string_len(Integrations::Secret, 128))
                .col(boolean(Integrations::Active))
                .col(timestamp_with_time_zone(Integrations::CreatedAt))
                .foreign_key(&mut cascade(
                    (Integrations::Table, Integrations::OwnerId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .col(pk_uuid(WebhookDeliveries::Id))
                .col(uuid(WebhookDeliveries::IntegrationId))
                .col(string_len(WebhookDeliveries::Event, 60))
                .col(json(WebhookDeliveries::Payload))
                .col(string_len(WebhookDeliveries::Status, 16))
                .col(integer(WebhookDeliveries::Attempts))
                .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                .col(integer_null(WebhookDeliveries::ResponseStatus))
                .col(text_null(WebhookDeliveries::Error))
                .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                .col(timestamp_with_time_zone_null(WebhookDeliveries::DeliveredAt))
                .foreign_key(&mut cascade(
                    (WebhookDeliveries::Table, WebhookDeliveries::IntegrationId),
                    (Integrations::Table, Integrations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_webhook_deliveries_due")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::Status)
                .col(WebhookDeliveries::NextAttemptAt)
                .to_owned(),
        )
        .await
    }
}
