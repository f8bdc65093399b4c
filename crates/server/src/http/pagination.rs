//! Page + limit pagination with totals.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;
/// Far beyond any real listing; keeps `(page - 1) * limit` a valid SQL offset.
pub const MAX_PAGE: u64 = 1_000_000;

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub limit: u64,
}

/// Validates `page` (1..=1,000,000) and `limit` (1..=100), applying defaults.
pub fn page_and_limit(page: Option<u64>, limit: Option<u64>) -> Result<(u64, u64), ApiError> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(ApiError::invalid_field(
            "page",
            "range",
            "page must be between 1 and 1000000",
        ));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            "range",
            "limit must be between 1 and 100",
        ));
    }
    Ok((page, limit))
}
