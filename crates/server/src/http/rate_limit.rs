//! Fixed-window request budgets (the window opens at a client's first request) kept in the cache, so with Redis every instance shares them.
//! Auth endpoints are limited per client IP; the rest of the API per user, API key or IP, with
//! optional tighter budgets for particular routes (`PUNDIT_RATE_LIMIT_ROUTES`).

use axum::{
    extract::{Request, State},
    http::{HeaderValue, header::AUTHORIZATION},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{auth::tokens::hash_secret, error::ApiError, http::client_ip::client_ip, state::AppState};

struct Bucket {
    scope: String,
    client: String,
    limit: u64,
}

fn bucket_for(state: &AppState, req: &Request) -> Option<Bucket> {
    let path = req.uri().path();
    let limits = &state.config.rate_limits;
    let ip = || {
        client_ip(req.headers(), req.extensions(), state.config.trust_proxy)
            .map_or_else(|| "unknown".into(), |ip| ip.to_string())
    };
    if path.starts_with("/api/v1/auth/") {
        return Some(Bucket {
            scope: "auth".into(),
            client: format!("ip:{}", ip()),
            limit: limits.auth_per_ip,
        });
    }
    if !path.starts_with("/api/v1/") {
        return None;
    }
    let headers = req.headers();
    let client = if let Some(key) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        format!("key:{}", &hash_secret(key)[..16])
    } else if let Some(claims) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|token| state.jwt.verify(token).ok())
    {
        format!("user:{}", claims.sub)
    } else {
        format!("ip:{}", ip())
    };
    // The most specific route rule wins; otherwise the general API budget.
    let route = limits
        .routes
        .iter()
        .filter(|(prefix, _)| path.starts_with(prefix.as_str()))
        .max_by_key(|(p, _)| p.len());
    Some(match route {
        Some((prefix, limit)) => Bucket {
            scope: format!("route:{prefix}"),
            client,
            limit: *limit,
        },
        None => Bucket {
            scope: "api".into(),
            client,
            limit: limits.api_per_client,
        },
    })
}

pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(bucket) = bucket_for(&state, &req) else {
        return next.run(req).await;
    };
    let key = format!("rl:{}:{}", bucket.scope, bucket.client);
    // Fail open: an unreachable cache must not take the API down with it.
    let (count, reset) = match state.cache.incr(&key, state.config.rate_limits.window).await {
        Ok(counted) => counted,
        Err(e) => {
            tracing::warn!(error = %e, "rate limit not enforced: cache unavailable");
            return next.run(req).await;
        }
    };
    // Round up so clients never retry a moment too early.
    let retry_after = (reset.as_secs() + u64::from(reset.subsec_nanos() > 0)).max(1);
    if count > bucket.limit {
        metrics::counter!("pundit_rate_limited_total", "scope" => bucket.scope.clone()).increment(1);
        return ApiError::TooManyRequests {
            code: "rate_limited",
            message: format!("too many requests; retry in {retry_after} s"),
            retry_after_secs: retry_after,
        }
        .into_response();
    }
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(bucket.limit));
    headers.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(bucket.limit.saturating_sub(count)),
    );
    response
}
