//! Choices that define a goal model variant.

use serde::{Deserialize, Serialize};

/// Dixon & Coles' time decay: weight halves every ln(2)/0.0018 ≈ 385 days.
pub const DEFAULT_XI_PER_DAY: f64 = 0.0018;

/// Which likelihood to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GoalModelKind {
    /// Independent Poisson goals (Maher).
    Poisson,
    /// Poisson with the Dixon-Coles low-score dependence `ρ`.
    DixonColes,
}

/// How to rate a team the fitted model has never seen (e.g. just promoted).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum UnknownTeamPolicy {
    /// Return [`crate::ModelError::UnknownTeam`].
    Reject,
    /// Give it average attack and defence (zero ratings).
    LeagueAverage,
    /// Give it the mean ratings of the `n` weakest fitted teams: promoted sides
    /// usually replace the weakest (relegated) ones.
    LikeWeakest(usize),
}

/// Configuration of a goal-model fit. Use the named constructors for the standard variants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GoalModelConfig {
    pub kind: GoalModelKind,
    /// Time-decay rate ξ per day (0 = all matches weigh the same).
    pub xi_per_day: f64,
    /// L2 penalty `ridge/2 · Σ(attack² + defence²)`. A tiny value only keeps estimates finite
    /// for teams with very few matches (a side that never scored has MLE attack −∞);
    /// larger values shrink weakly-observed teams towards average.
    pub ridge: f64,
    /// Weight β of shots on target in the Poisson response:
    /// `y = (1−β)·goals + β·c·shots_on_target`, with `c` the training set's goals per shot
    /// on target. Shots on target are a less noisy measure of chance quality than goals.
    /// 0 = goals only. Matches without shot data use goals.
    pub shots_on_target_weight: f64,
    pub unknown_teams: UnknownTeamPolicy,
}

impl GoalModelConfig {
    /// Maher's independent Poisson model, no time decay.
    pub fn poisson() -> Self {
        Self {
            kind: GoalModelKind::Poisson,
            xi_per_day: 0.0,
            ridge: 1e-3,
            shots_on_target_weight: 0.0,
            unknown_teams: UnknownTeamPolicy::LikeWeakest(3),
        }
    }

    /// Dixon-Coles with the usual ξ = 0.0018/day.
    pub fn dixon_coles() -> Self {
        Self {
            kind: GoalModelKind::DixonColes,
            xi_per_day: DEFAULT_XI_PER_DAY,
            ..Self::poisson()
        }
    }

    /// Dixon-Coles with a shots-on-target blended response (β = 0.3), a ridge prior
    /// (2.0) that shrinks promoted and rarely-seen teams towards average, and a faster
    /// decay (ξ = 0.003/day) — chosen on 2015/16-2018/19 Premier League walk-forward
    /// backtests (RPS 0.1940 vs 0.1960 for plain Dixon-Coles).
    pub fn dixon_coles_shots() -> Self {
        Self {
            xi_per_day: 0.003,
            ridge: 2.0,
            shots_on_target_weight: 0.3,
            ..Self::dixon_coles()
        }
    }

    pub fn with_xi(mut self, xi_per_day: f64) -> Self {
        self.xi_per_day = xi_per_day;
        self
    }

    pub fn with_ridge(mut self, ridge: f64) -> Self {
        self.ridge = ridge;
        self
    }

    pub fn with_shots_on_target_weight(mut self, weight: f64) -> Self {
        self.shots_on_target_weight = weight;
        self
    }

    pub fn with_unknown_teams(mut self, policy: UnknownTeamPolicy) -> Self {
        self.unknown_teams = policy;
        self
    }
}
