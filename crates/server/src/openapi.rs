//! The OpenAPI document, assembled from the handlers' annotations.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pundit API",
        description = "Football forecasts, the prediction game, social and live data. \
                       Errors are always `{\"error\":{\"code\",\"message\",\"details\"}}`.",
        license(name = "MIT")
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Accounts, sessions and tokens"),
        (name = "users", description = "Your account and public profiles"),
        (name = "api-keys", description = "Keys for programs: send as X-API-Key"),
        (name = "admin", description = "Administration (admin role)"),
        (name = "matches", description = "Competitions, teams, fixtures, results, standings"),
        (name = "forecasts", description = "Model forecasts, markets, value bets, model versions, accuracy, simulation"),
        (name = "insights", description = "Written analyses of matches: by an LLM (Ollama) when configured, else deterministic"),
        (name = "live", description = "Live match state, weather, team news, providers, replays"),
        (name = "jobs", description = "Background jobs such as training runs"),
        (name = "realtime", description = "Server-Sent Events; Socket.IO is served at /socket.io/ (see docs/REALTIME.md)"),
        (name = "notifications", description = "Your notifications and which channels deliver them"),
        (name = "picks", description = "The prediction game: your picks, scoring, stats, leaderboards, achievements"),
        (name = "leagues", description = "Private leagues: invite codes, members, the league leaderboard and weekly winners"),
        (name = "social", description = "Posts, comments, likes, follows, blocks, profiles, hashtags, search, moderation"),
        (name = "monitoring", description = "Model versions and which serves, promotion and rollback, live accuracy, drift alerts, A/B tests"),
        (name = "analytics", description = "Performance of users and models, system totals, reports (CSV export)"),
        (name = "agents", description = "Background agents: lifecycle, durable tasks, events, insights, workflows, performance, webhooks"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}
