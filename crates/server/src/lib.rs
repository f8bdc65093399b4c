//! Pundit: the service behind the `pundit` binary.

pub mod app;
pub mod auth;
pub mod bus;
pub mod cache;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod forecasts;
pub mod gateway;
pub mod health;
pub mod http;
pub mod jobs;
pub mod live;
pub mod matches;
pub mod notifications;
pub mod openapi;
pub mod outbound;
pub mod picks;
pub mod realtime;
pub mod social;
pub mod state;
pub mod telemetry;
pub mod users;
pub mod web;
