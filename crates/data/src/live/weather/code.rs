//! WMO weather interpretation codes (the `weather_code` Open-Meteo returns).

use serde::{Deserialize, Serialize};

/// Coarse weather, enough to tell a wet or frozen pitch from a dry one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WeatherCondition {
    Clear,
    Cloudy,
    Fog,
    Drizzle,
    Rain,
    Snow,
    Showers,
    Thunderstorm,
    Unknown,
}

impl WeatherCondition {
    /// The condition for a WMO code: 0 clear, 1-3 cloud, 45/48 fog, 51-57 drizzle,
    /// 61-67 rain, 71-77 and 85-86 snow, 80-82 showers, 95-99 thunderstorm.
    pub fn from_wmo(code: u8) -> Self {
        match code {
            0 => Self::Clear,
            1..=3 => Self::Cloudy,
            45 | 48 => Self::Fog,
            51..=57 => Self::Drizzle,
            61..=67 => Self::Rain,
            71..=77 | 85 | 86 => Self::Snow,
            80..=82 => Self::Showers,
            95..=99 => Self::Thunderstorm,
            _ => Self::Unknown,
        }
    }

    /// Whether the pitch is likely wet, heavy or slippery.
    pub fn is_wet(self) -> bool {
        matches!(
            self,
            Self::Drizzle | Self::Rain | Self::Snow | Self::Showers | Self::Thunderstorm
        )
    }
}

/// The WMO table's wording for a code, for people to read.
pub fn describe_wmo(code: u8) -> &'static str {
    match code {
        0 => "Clear sky",
        1 => "Mainly clear",
        2 => "Partly cloudy",
        3 => "Overcast",
        45 => "Fog",
        48 => "Freezing fog",
        51 => "Light drizzle",
        53 => "Drizzle",
        55 => "Heavy drizzle",
        56 | 57 => "Freezing drizzle",
        61 => "Light rain",
        63 => "Rain",
        65 => "Heavy rain",
        66 | 67 => "Freezing rain",
        71 => "Light snow",
        73 => "Snow",
        75 => "Heavy snow",
        77 => "Snow grains",
        80 => "Light showers",
        81 => "Showers",
        82 => "Violent showers",
        85 | 86 => "Snow showers",
        95 => "Thunderstorm",
        96 | 99 => "Thunderstorm with hail",
        _ => match WeatherCondition::from_wmo(code) {
            WeatherCondition::Clear => "Clear sky",
            WeatherCondition::Cloudy => "Cloudy",
            WeatherCondition::Fog => "Fog",
            WeatherCondition::Drizzle => "Drizzle",
            WeatherCondition::Rain => "Rain",
            WeatherCondition::Snow => "Snow",
            WeatherCondition::Showers => "Showers",
            WeatherCondition::Thunderstorm => "Thunderstorm",
            WeatherCondition::Unknown => "Unknown weather",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wmo_codes() {
        for (code, condition, text) in [
            (0, WeatherCondition::Clear, "Clear sky"),
            (2, WeatherCondition::Cloudy, "Partly cloudy"),
            (3, WeatherCondition::Cloudy, "Overcast"),
            (45, WeatherCondition::Fog, "Fog"),
            (48, WeatherCondition::Fog, "Freezing fog"),
            (53, WeatherCondition::Drizzle, "Drizzle"),
            (61, WeatherCondition::Rain, "Light rain"),
            (67, WeatherCondition::Rain, "Freezing rain"),
            (64, WeatherCondition::Rain, "Rain"),
            (75, WeatherCondition::Snow, "Heavy snow"),
            (81, WeatherCondition::Showers, "Showers"),
            (95, WeatherCondition::Thunderstorm, "Thunderstorm"),
            (99, WeatherCondition::Thunderstorm, "Thunderstorm with hail"),
            (4, WeatherCondition::Unknown, "Unknown weather"),
            (200, WeatherCondition::Unknown, "Unknown weather"),
        ] {
            assert_eq!(WeatherCondition::from_wmo(code), condition, "{code}");
            assert_eq!(describe_wmo(code), text, "{code}");
        }
        assert!(WeatherCondition::Showers.is_wet());
        assert!(!WeatherCondition::Fog.is_wet());
    }
}
