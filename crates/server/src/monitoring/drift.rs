//! Drift detection for the versions serving each competition, on the finished matches after their
//! training data:
//! - `rps`: mean RPS of the latest window against the version's backtest RPS (or, without a
//!   backtest, the first matches after training);
//! - `calibration`: the window's expected calibration error against the baseline ECE;
//! - `goal_rate`: mean goals per match in the window against the version's training matches,
//!   when the change is significant (|z| ≥ 3 on Poisson rates): `info` below the relative
//!   threshold, `warning`/`critical` from it. Only warnings and criticals notify admins.
//!
//! A change of one threshold is a `warning`, of two a `critical`. Alerts are stored (an open alert
//! of the same version and kind is updated, not duplicated), published on the bus (topic
//! `monitoring`, event `monitoring:alert`) and sent to every admin as a `model_drift` notification.

use chrono::{Days, Utc};
use pundit_model::{Outcome3, metrics::MetricsAccumulator};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set};
use serde_json::json;
use uuid::Uuid;

use super::{EVENT_ALERT, TOPIC, evaluate::evaluate, serving, types::DriftAlertView};
use crate::{
    bus::Event,
    config::MonitoringConfig,
    db::entities::{drift_alert, model_version, user},
    error::ApiResult,
    forecasts::training,
    matches::store,
    notifications::{self, NotificationKind},
    state::AppState,
    users::types::Role,
};

/// A goal-rate change must also be this many standard errors away to count.
pub const GOAL_RATE_MIN_Z: f64 = 3.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Info, Self::Warning, Self::Critical]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    /// `warning` from one threshold, `critical` from two; `None` below.
    fn of(change: f64, threshold: f64) -> Option<Self> {
        if change >= 2.0 * threshold {
            Some(Self::Critical)
        } else if change >= threshold {
            Some(Self::Warning)
        } else {
            None
        }
    }
}

/// Something the latest window shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub kind: &'static str,
    pub severity: Severity,
    pub value: f64,
    pub baseline: f64,
    pub threshold: f64,
    pub window_matches: usize,
    pub message: String,
}

/// RPS of the window against the baseline.
pub fn rps_finding(window: &[f64], baseline: f64, config: &MonitoringConfig) -> Option<Finding> {
    let n = window.len();
    if n == 0 {
        return None;
    }
    let value = window.iter().sum::<f64>() / n as f64;
    let severity = Severity::of(value - baseline, config.drift_rps_delta)?;
    Some(Finding {
        kind: "rps",
        severity,
        value,
        baseline,
        threshold: config.drift_rps_delta,
        window_matches: n,
        message: format!(
            "RPS over the last {n} matches is {value:.4}, {:.4} above the baseline {baseline:.4}",
            value - baseline
        ),
    })
}

/// Calibration error (ECE, ten bins) of the window against the baseline ECE.
pub fn calibration_finding(
    window: &[(Outcome3, pundit_model::MatchOutcome)],
    baseline: f64,
    config: &MonitoringConfig,
) -> Option<Finding> {
    let mut acc = MetricsAccumulator::new();
    for (p, o) in window {
        acc.push(*p, *o);
    }
    let summary = acc.summary();
    if summary.matches == 0 {
        return None;
    }
    let value = summary.ece;
    let severity = Severity::of(value - baseline, config.drift_ece_delta)?;
    Some(Finding {
        kind: "calibration",
        severity,
        value,
        baseline,
        threshold: config.drift_ece_delta,
        window_matches: summary.matches,
        message: format!(
            "calibration error over the last {} matches is {value:.3} against {baseline:.3}",
            summary.matches
        ),
    })
}

/// Mean goals per match of the window against the training matches. `z` treats both means as
/// means of Poisson counts with the training rate.
pub fn goal_rate_finding(
    window: &[u32],
    training_mean: f64,
    training_matches: usize,
    config: &MonitoringConfig,
) -> Option<Finding> {
    let n = window.len();
    if n == 0 || training_matches == 0 || training_mean <= 0.0 {
        return None;
    }
    let value = window.iter().map(|&g| f64::from(g)).sum::<f64>() / n as f64;
    let relative = (value - training_mean) / training_mean;
    let se = (training_mean / n as f64 + training_mean / training_matches as f64).sqrt();
    let z = (value - training_mean) / se;
    if z.abs() < GOAL_RATE_MIN_Z {
        return None;
    }
    // Significant but smaller than the threshold: worth knowing, not worth paging anyone.
    let severity = Severity::of(relative.abs(), config.drift_goal_rate_delta).unwrap_or(Severity::Info);
    Some(Finding {
        kind: "goal_rate",
        severity,
        value,
        baseline: training_mean,
        threshold: config.drift_goal_rate_delta,
        window_matches: n,
        message: format!(
            "{value:.2} goals per match over the last {n} matches against {training_mean:.2} in the \
             training data ({:+.0}%, z = {z:.1})",
            100.0 * relative
        ),
    })
}

fn metric(version: &model_version::Model, key: &str) -> Option<f64> {
    version.metrics.as_ref()?.get(key)?.as_f64()
}

/// Every finding for one version.
async fn findings(state: &AppState, version: &model_version::Model) -> ApiResult<Vec<Finding>> {
    let config = &state.config.monitoring;
    let evaluated = evaluate(state, version).await?;
    let n = evaluated.len();
    if n < config.drift_min_matches.max(1) {
        return Ok(Vec::new());
    }
    let window_size = config.drift_window_matches.max(1);
    let latest = &evaluated[n.saturating_sub(window_size)..];
    let mut out = Vec::new();

    // Without backtest metrics, the first matches after training are the baseline, and only
    // later matches are judged against them.
    let early = &evaluated[..config.drift_min_matches.min(n)];
    let later = &evaluated[early.len()..];
    let later = &later[later.len().saturating_sub(window_size)..];
    let baseline_of = |key: &str, of_early: f64| match metric(version, key) {
        Some(v) => Some((v, latest)),
        None => (later.len() >= config.drift_min_matches).then_some((of_early, later)),
    };
    let mut early_acc = MetricsAccumulator::new();
    for e in early {
        early_acc.push(e.probabilities, e.outcome);
    }
    let early_summary = early_acc.summary();
    if let Some((baseline, window)) = baseline_of("rps", early_summary.rps) {
        let rps: Vec<f64> = window.iter().map(|e| e.rps).collect();
        out.extend(rps_finding(&rps, baseline, config));
    }
    if let Some((baseline, window)) = baseline_of("ece", early_summary.ece) {
        let pairs: Vec<_> = window.iter().map(|e| (e.probabilities, e.outcome)).collect();
        out.extend(calibration_finding(&pairs, baseline, config));
    }
    if let Some(as_of) = version
        .trained_through
        .and_then(|d| d.checked_add_days(Days::new(1)))
    {
        let history = training::load(&state.db, version.competition_id, as_of).await?;
        let t = history.records.len();
        let training_mean = history
            .records
            .iter()
            .map(|r| f64::from(r.home_goals) + f64::from(r.away_goals))
            .sum::<f64>()
            / t.max(1) as f64;
        let goals: Vec<u32> = latest.iter().map(|e| e.goals).collect();
        out.extend(goal_rate_finding(&goals, training_mean, t, config));
    }
    Ok(out)
}

/// Runs the checks for the versions serving one competition; returns the alerts raised or
/// updated.
pub async fn check(state: &AppState, competition_id: i32) -> ApiResult<Vec<DriftAlertView>> {
    let mut raised = Vec::new();
    for version in serving::serving_versions(state, competition_id).await? {
        for finding in findings(state, &version).await? {
            raised.push(record(state, &version, finding).await?);
        }
    }
    Ok(raised)
}

/// Runs the checks for every competition with a model version.
pub async fn check_all(state: &AppState) -> ApiResult<Vec<DriftAlertView>> {
    let competitions: Vec<i32> = model_version::Entity::find()
        .select_only()
        .column(model_version::Column::CompetitionId)
        .distinct()
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut raised = Vec::new();
    for id in competitions {
        raised.extend(check(state, id).await?);
    }
    Ok(raised)
}

pub async fn view(state: &AppState, a: drift_alert::Model) -> ApiResult<DriftAlertView> {
    let competition = store::competition(&state.db, &a.competition_id.to_string())
        .await?
        .map(|c| c.slug)
        .unwrap_or_default();
    Ok(DriftAlertView {
        id: a.id,
        competition_id: a.competition_id,
        competition,
        model_version_id: a.model_version_id,
        kind: a.kind,
        severity: a.severity,
        value: a.value,
        baseline: a.baseline,
        threshold: a.threshold,
        window_matches: a.window_matches,
        message: a.message,
        created_at: a.created_at,
        acknowledged_at: a.acknowledged_at,
    })
}

/// Stores a finding: updates the open alert of the same version and kind, or inserts one. New
/// alerts, and open ones whose severity rose, are broadcast and sent to admins.
async fn record(state: &AppState, version: &model_version::Model, f: Finding) -> ApiResult<DriftAlertView> {
    let open = drift_alert::Entity::find()
        .filter(drift_alert::Column::CompetitionId.eq(version.competition_id))
        .filter(drift_alert::Column::ModelVersionId.eq(version.id))
        .filter(drift_alert::Column::Kind.eq(f.kind))
        .filter(drift_alert::Column::AcknowledgedAt.is_null())
        .one(&state.db)
        .await?;
    let window = i32::try_from(f.window_matches).unwrap_or(i32::MAX);
    let (saved, announce) = match open {
        Some(existing) => {
            let rose = Severity::parse(&existing.severity).is_none_or(|old| f.severity > old);
            let mut active = existing.into_active_model();
            active.severity = Set(f.severity.as_str().to_string());
            active.value = Set(f.value);
            active.baseline = Set(f.baseline);
            active.threshold = Set(f.threshold);
            active.window_matches = Set(window);
            active.message = Set(f.message.clone());
            (active.update(&state.db).await?, rose)
        }
        None => {
            let inserted = drift_alert::ActiveModel {
                id: Set(Uuid::now_v7()),
                competition_id: Set(version.competition_id),
                model_version_id: Set(Some(version.id)),
                kind: Set(f.kind.to_string()),
                severity: Set(f.severity.as_str().to_string()),
                value: Set(f.value),
                baseline: Set(f.baseline),
                threshold: Set(f.threshold),
                window_matches: Set(window),
                message: Set(f.message.clone()),
                created_at: Set(Utc::now()),
                acknowledged_at: Set(None),
            }
            .insert(&state.db)
            .await?;
            (inserted, true)
        }
    };
    let alert = view(state, saved).await?;
    if announce {
        announce_alert(state, version, &alert).await?;
    }
    Ok(alert)
}

async fn announce_alert(
    state: &AppState,
    version: &model_version::Model,
    alert: &DriftAlertView,
) -> ApiResult<()> {
    let data = json!(alert);
    state
        .bus
        .publish(Event::new(TOPIC, EVENT_ALERT, data.clone()))
        .await;
    if alert.severity == Severity::Info.as_str() {
        return Ok(());
    }
    let admins: Vec<Uuid> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::IsActive.eq(true))
        .into_tuple()
        .all(&state.db)
        .await?;
    let title = format!(
        "{} drift: {} {} v{} ({})",
        alert.kind.replace('_', " "),
        alert.competition,
        version.model,
        version.version,
        alert.severity
    );
    for admin in admins {
        notifications::notify(
            state,
            admin,
            NotificationKind::ModelDrift,
            &title,
            &alert.message,
            json!({ "alert_id": alert.id, "competition_id": alert.competition_id, "model_version_id": version.id }),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn severities_follow_the_thresholds() {
        let config = MonitoringConfig::default();
        assert!(rps_finding(&[0.21; 50], 0.2, &config).is_none());
        assert_eq!(
            rps_finding(&[0.225; 50], 0.2, &config).unwrap().severity,
            Severity::Warning
        );
        let critical = rps_finding(&[0.25; 50], 0.2, &config).unwrap();
        assert_eq!(critical.severity, Severity::Critical);
        assert!((critical.value - 0.25).abs() < 1e-12);
        // Better than the baseline is not drift.
        assert!(rps_finding(&[0.1; 50], 0.2, &config).is_none());
    }

    #[test]
    fn goal_rate_needs_size_and_significance() {
        let config = MonitoringConfig::default();
        // +70% over 100 matches: critical.
        let shifted = goal_rate_finding(&[5; 100], 2.9, 700, &config).unwrap();
        assert_eq!(shifted.severity, Severity::Critical);
        assert_eq!(shifted.kind, "goal_rate");
        // +3%: within noise.
        assert!(goal_rate_finding(&[3; 100], 2.9, 700, &config).is_none());
        // +10% over 2000 matches: significant but small.
        let small = goal_rate_finding(&[3; 2000], 2.7, 2000, &config).unwrap();
        assert_eq!(small.severity, Severity::Info);
        // +20% but over 5 matches: not significant.
        assert!(goal_rate_finding(&[4, 3, 3, 4, 3], 2.9, 700, &config).is_none());
        // Fewer goals count too.
        let fewer = goal_rate_finding(&[1; 200], 2.9, 700, &config).unwrap();
        assert!(fewer.value < fewer.baseline && fewer.severity == Severity::Critical);
    }
}
