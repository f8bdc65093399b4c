//! A circuit breaker: after `threshold` consecutive failures it opens and refuses calls for
//! `cool_down`, then lets one trial call through (half-open); success closes it again.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug, thiserror::Error)]
#[error("{service} is unavailable (circuit open; retry in {retry_in:?})")]
pub struct CircuitOpen {
    pub service: String,
    pub retry_in: Duration,
}

enum Phase {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// One trial call is in flight.
    HalfOpen,
}

pub struct CircuitBreaker {
    service: String,
    threshold: u32,
    cool_down: Duration,
    phase: Mutex<Phase>,
}

impl CircuitBreaker {
    pub fn new(service: impl Into<String>, threshold: u32, cool_down: Duration) -> Self {
        Self {
            service: service.into(),
            threshold: threshold.max(1),
            cool_down,
            phase: Mutex::new(Phase::Closed { failures: 0 }),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// May a call go ahead now?
    pub fn allow(&self) -> Result<(), CircuitOpen> {
        let Ok(mut phase) = self.phase.lock() else {
            return Ok(());
        };
        match *phase {
            Phase::Closed { .. } => Ok(()),
            Phase::Open { until } if Instant::now() >= until => {
                *phase = Phase::HalfOpen;
                Ok(())
            }
            Phase::Open { until } => Err(CircuitOpen {
                service: self.service.clone(),
                retry_in: until.saturating_duration_since(Instant::now()),
            }),
            Phase::HalfOpen => Err(CircuitOpen {
                service: self.service.clone(),
                retry_in: Duration::ZERO,
            }),
        }
    }

    pub fn record_success(&self) {
        if let Ok(mut phase) = self.phase.lock() {
            *phase = Phase::Closed { failures: 0 };
        }
        self.report(BreakerState::Closed);
    }

    pub fn record_failure(&self) {
        let Ok(mut phase) = self.phase.lock() else { return };
        let opened = match *phase {
            Phase::Closed { failures } if failures + 1 < self.threshold => {
                *phase = Phase::Closed {
                    failures: failures + 1,
                };
                false
            }
            _ => {
                *phase = Phase::Open {
                    until: Instant::now() + self.cool_down,
                };
                true
            }
        };
        drop(phase);
        if opened {
            tracing::warn!(service = %self.service, cool_down = ?self.cool_down, "circuit opened");
            self.report(BreakerState::Open);
        }
    }

    pub fn state(&self) -> BreakerState {
        match self.phase.lock().map(|p| match *p {
            Phase::Closed { .. } => BreakerState::Closed,
            Phase::Open { until } if Instant::now() >= until => BreakerState::HalfOpen,
            Phase::Open { .. } => BreakerState::Open,
            Phase::HalfOpen => BreakerState::HalfOpen,
        }) {
            Ok(state) => state,
            Err(_) => BreakerState::Closed,
        }
    }

    fn report(&self, state: BreakerState) {
        let value = match state {
            BreakerState::Closed => 0.0,
            BreakerState::HalfOpen => 0.5,
            BreakerState::Open => 1.0,
        };
        metrics::gauge!("pundit_circuit_open", "service" => self.service.clone()).set(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_then_half_opens_and_closes() {
        let b = CircuitBreaker::new("x", 2, Duration::from_millis(50));
        assert!(b.allow().is_ok());
        b.record_failure();
        assert_eq!(b.state(), BreakerState::Closed);
        b.record_failure();
        assert_eq!(b.state(), BreakerState::Open);
        assert!(b.allow().is_err());
        std::thread::sleep(Duration::from_millis(60));
        assert!(b.allow().is_ok(), "one trial after the cool-down");
        assert!(b.allow().is_err(), "only one trial at a time");
        b.record_failure();
        assert!(b.allow().is_err(), "a failed trial re-opens");
        std::thread::sleep(Duration::from_millis(60));
        assert!(b.allow().is_ok());
        b.record_success();
        assert_eq!(b.state(), BreakerState::Closed);
        assert!(b.allow().is_ok());
    }
}
