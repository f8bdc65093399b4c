//! Small statistics for comparing forecasters: the standard normal distribution and the
//! Diebold-Mariano test of equal predictive accuracy on paired per-match losses.

use serde::{Deserialize, Serialize};

/// Complementary error function, erfc(x) = 1 − erf(x).
///
/// Chebyshev fit of Numerical Recipes (`erfcc`): fractional error below 1.2e-7 everywhere,
/// plenty for p-values.
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Standard normal cumulative distribution function Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|).
pub fn two_sided_p_value(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2).clamp(0.0, 1.0)
}

/// The Diebold-Mariano test on loss differentials `d_t = loss_a(t) − loss_b(t)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DieboldMariano {
    pub n: usize,
    /// Mean of `d`: positive means A had the larger loss (B was better).
    pub mean_difference: f64,
    /// Long-run variance estimate of `d` (Newey-West with `lags` Bartlett-weighted autocovariances;
    /// with zero lags the plain sample variance).
    pub variance: f64,
    /// mean / sqrt(variance / n), asymptotically standard normal under equal accuracy.
    pub statistic: f64,
    /// Two-sided p-value from the normal approximation.
    pub p_value: f64,
}

/// Diebold & Mariano (1995) with a Newey-West (Bartlett) long-run variance over `lags`
/// autocovariances. For one-step-ahead forecasts (h = 1) the textbook choice is `lags = 0`, the
/// plain variance. `None` with fewer than two differences or when they are all equal (the
/// statistic is undefined).
pub fn diebold_mariano(differences: &[f64], lags: usize) -> Option<DieboldMariano> {
    let n = differences.len();
    if n < 2 || differences.iter().any(|d| !d.is_finite()) || differences.iter().all(|d| *d == differences[0])
    {
        return None;
    }
    let nf = n as f64;
    let mean = differences.iter().sum::<f64>() / nf;
    let autocovariance = |k: usize| {
        differences[k..]
            .iter()
            .zip(differences)
            .map(|(a, b)| (a - mean) * (b - mean))
            .sum::<f64>()
            / nf
    };
    let mut variance = autocovariance(0);
    for k in 1..=lags.min(n - 1) {
        let weight = 1.0 - k as f64 / (lags as f64 + 1.0);
        variance += 2.0 * weight * autocovariance(k);
    }
    if variance <= 0.0 || !variance.is_finite() {
        return None;
    }
    let statistic = mean / (variance / nf).sqrt();
    Some(DieboldMariano {
        n,
        mean_difference: mean,
        variance,
        statistic,
        p_value: two_sided_p_value(statistic),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn normal_cdf_matches_tables() {
        for (x, expected) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746),
            (-1.0, 0.158_655_254),
            (1.959_963_985, 0.975),
            (-2.575_829_304, 0.005),
            (3.0, 0.998_650_102),
            (-4.0, 3.167_124e-5),
        ] {
            let got = normal_cdf(x);
            assert!(
                (got - expected).abs() < 2e-7,
                "Φ({x}) = {got}, expected {expected}"
            );
        }
        assert!((erfc(0.5) - 0.479_500_122).abs() < 1e-7);
        assert!((erfc(-0.5) - 1.520_499_878).abs() < 1e-7);
        assert!((two_sided_p_value(1.959_963_985) - 0.05).abs() < 1e-6);
        assert!((two_sided_p_value(-1.959_963_985) - 0.05).abs() < 1e-6);
        assert_eq!(two_sided_p_value(0.0), 1.0);
    }

    #[test]
    fn diebold_mariano_by_hand() {
        let d = [0.1, -0.05, 0.2, 0.0, 0.15, 0.05];
        let dm = diebold_mariano(&d, 0).unwrap();
        let mean = 0.075;
        let var = d.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 6.0;
        assert!((dm.mean_difference - mean).abs() < 1e-12);
        assert!((dm.variance - var).abs() < 1e-12);
        assert!((dm.statistic - mean / (var / 6.0).sqrt()).abs() < 1e-12);
        assert!((dm.p_value - two_sided_p_value(dm.statistic)).abs() < 1e-15);
        // One lag adds the Bartlett-weighted first autocovariance.
        let gamma1 = d.windows(2).map(|w| (w[1] - mean) * (w[0] - mean)).sum::<f64>() / 6.0;
        let hac = diebold_mariano(&d, 1).unwrap();
        assert!((hac.variance - (var + gamma1)).abs() < 1e-12);
        assert!(diebold_mariano(&[0.1], 0).is_none());
        assert!(diebold_mariano(&[0.1, 0.1, 0.1], 0).is_none());
    }

    #[test]
    fn equal_forecasters_are_not_significant_and_a_clear_winner_is() {
        let noise: Vec<f64> = (0..200).map(|i| if i % 2 == 0 { 0.05 } else { -0.05 }).collect();
        assert!(diebold_mariano(&noise, 0).unwrap().p_value > 0.9);
        let better: Vec<f64> = noise.iter().map(|x| x + 0.02).collect();
        let dm = diebold_mariano(&better, 0).unwrap();
        assert!(dm.statistic > 5.0 && dm.p_value < 1e-6, "{dm:?}");
    }
}
