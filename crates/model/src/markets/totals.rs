//! Goal-count markets: totals, both teams to score, exact scores.

use super::ScoreMatrix;
use crate::ModelError;

impl ScoreMatrix {
    /// `(P(total > line), P(total < line))` for a half-goal line such as 2.5.
    pub fn over_under(&self, line: f64) -> Result<(f64, f64), ModelError> {
        if !line.is_finite() || line < 0.0 || (line - line.floor() - 0.5).abs() > 1e-9 {
            return Err(ModelError::InvalidInput(format!(
                "total line {line} must be a non-negative half line (0.5, 1.5, ...)"
            )));
        }
        let over: f64 = self
            .cells()
            .filter(|(i, j, _)| (i + j) as f64 > line)
            .map(|(_, _, p)| p)
            .sum();
        Ok((over, (1.0 - over).max(0.0)))
    }

    /// `P(both teams score)`.
    pub fn both_teams_to_score(&self) -> f64 {
        self.cells()
            .filter(|(i, j, _)| *i > 0 && *j > 0)
            .map(|(_, _, p)| p)
            .sum()
    }

    /// The `count` most likely exact scores, most likely first.
    pub fn most_likely_scores(&self, count: usize) -> Vec<(usize, usize, f64)> {
        let mut cells: Vec<_> = self.cells().collect();
        cells.sort_by(|a, b| b.2.total_cmp(&a.2));
        cells.truncate(count);
        cells
    }
}
