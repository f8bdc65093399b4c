//! The OpenAPI document, assembled from the handlers' annotations.

use utoipa::{
    Modify, OpenApi,
    openapi::{
        self, ContentBuilder, Ref, RefOr, ResponseBuilder,
        path::Operation,
        security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
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
    components(schemas(crate::picks::types::Period, crate::matches::types::MatchSort)),
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

/// Documents on every operation the errors that shared layers and extractors can return, so the
/// document lists every status a client can see: malformed input (400), a missing or bad credential
/// (401), body limits (413, 415), validation (422), the rate limiter (429) and an unavailable
/// database (503). Runs on the assembled document, after every router has added its paths.
pub fn document_shared_errors(doc: &mut openapi::OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let under_api = path.starts_with("/api/");
        let has_path_params = path.contains('{');
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add_shared_errors(operation, under_api, has_path_params);
        }
    }
}

fn add_shared_errors(operation: &mut Operation, under_api: bool, has_path_params: bool) {
    let has_params = has_path_params || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let has_body = operation.request_body.is_some();
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let shared: [(&str, &str, bool); 7] = [
        ("400", "Malformed path, query or body", has_params || has_body),
        ("401", "Missing, invalid or expired credentials", secured),
        ("413", "The body is larger than the server accepts", has_body),
        ("415", "The body is not JSON", has_body),
        (
            "422",
            "A value failed validation; `details` names the fields",
            has_params || has_body,
        ),
        (
            "429",
            "Rate limited; retry after the `Retry-After` seconds",
            under_api,
        ),
        (
            "503",
            "A dependency (the database) is unavailable; retry later",
            under_api,
        ),
    ];
    let responses = &mut operation.responses.responses;
    for (status, description, applies) in shared {
        if applies && !responses.contains_key(status) {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build();
            let response = ResponseBuilder::new()
                .description(description)
                .content("application/json", content)
                .build();
            responses.insert(status.to_string(), RefOr::T(response));
        }
    }
}
