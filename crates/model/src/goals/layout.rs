//! Where each parameter sits in the flat vector the optimizer works on.

/// `[attack_0..n, defence_0..n, μ, home, (ρ)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ParamLayout {
    pub n_teams: usize,
    pub has_rho: bool,
}

impl ParamLayout {
    pub fn attack(&self, team: usize) -> usize {
        team
    }
    pub fn defence(&self, team: usize) -> usize {
        self.n_teams + team
    }
    pub fn intercept(&self) -> usize {
        2 * self.n_teams
    }
    pub fn home(&self) -> usize {
        2 * self.n_teams + 1
    }
    pub fn rho(&self) -> usize {
        2 * self.n_teams + 2
    }
    pub fn dim(&self) -> usize {
        2 * self.n_teams + 2 + usize::from(self.has_rho)
    }
}
