//! Open-Meteo hourly forecasts (`api.open-meteo.com/v1/forecast?...&hourly=temperature_2m,
//! precipitation,precipitation_probability,wind_speed_10m,weather_code&timezone=UTC`),
//! for the weather at a match's kick-off.
//!
//! Values are normalised to °C, mm and km/h whatever units were asked for, and times to UTC
//! whatever `timezone` was asked for, so callers cannot mix them up.

mod code;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use code::{WeatherCondition, describe_wmo};

use super::LiveError;
use super::time::parse_timestamp;

/// One forecast hour; each value is `None` when its series was not requested or is null.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeatherHour {
    pub time: DateTime<Utc>,
    pub temperature_c: Option<f32>,
    pub precipitation_mm: Option<f32>,
    /// Chance of precipitation in percent.
    pub precipitation_probability: Option<u8>,
    pub wind_speed_kmh: Option<f32>,
    /// WMO weather interpretation code.
    pub weather_code: Option<u8>,
}

impl WeatherHour {
    pub fn condition(&self) -> WeatherCondition {
        self.weather_code
            .map_or(WeatherCondition::Unknown, WeatherCondition::from_wmo)
    }
}

/// The forecast for a kick-off: the nearest hour and a line people can read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeatherReport {
    pub hour: WeatherHour,
    pub condition: WeatherCondition,
    /// E.g. "Light rain, 14°C, 70% chance of rain, wind 18 km/h".
    pub summary: String,
}

/// How far the nearest forecast hour may be from kick-off. Further away the forecast
/// does not cover the match (kick-off beyond its range) and saying nothing is more honest.
pub const MAX_GAP: Duration = Duration::hours(2);

/// Parses an Open-Meteo forecast. Missing series give `None` values; series of different
/// lengths are cut to the shortest. Only a payload without `hourly.time` is an error
/// (or Open-Meteo's own `{"error": true, "reason"}`).
pub fn parse_forecast(bytes: &[u8]) -> Result<Vec<WeatherHour>, LiveError> {
    let root: Value = serde_json::from_slice(bytes)?;
    if root.get("error").and_then(Value::as_bool) == Some(true) {
        let reason = root.get("reason").and_then(Value::as_str).unwrap_or("unknown");
        return Err(LiveError::Provider(reason.to_string()));
    }
    let times = root
        .pointer("/hourly/time")
        .and_then(Value::as_array)
        .ok_or(LiveError::Missing("hourly.time array"))?;
    let series = |name: &str| root.pointer(&format!("/hourly/{name}")).and_then(Value::as_array);
    let unit = |name: &str| {
        root.pointer(&format!("/hourly_units/{name}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let temperature = series("temperature_2m");
    let precipitation = series("precipitation");
    let probability = series("precipitation_probability");
    let wind = series("wind_speed_10m").or_else(|| series("windspeed_10m"));
    let code = series("weather_code").or_else(|| series("weathercode"));
    let len = [temperature, precipitation, probability, wind, code]
        .iter()
        .flatten()
        .map(|s| s.len())
        .fold(times.len(), usize::min);

    let to_celsius = temperature_converter(&unit("temperature_2m"));
    let to_mm = precipitation_converter(&unit("precipitation"));
    let wind_unit = unit("wind_speed_10m");
    let wind_unit = if wind_unit.is_empty() {
        unit("windspeed_10m")
    } else {
        wind_unit
    };
    let to_kmh = wind_converter(&wind_unit);
    // Times are local to the requested zone; `utc_offset_seconds` takes them back to UTC.
    let offset = Duration::seconds(
        root.get("utc_offset_seconds")
            .and_then(Value::as_i64)
            .unwrap_or(0),
    );

    let at =
        |s: Option<&Vec<Value>>, i: usize| -> Option<f64> { s?.get(i)?.as_f64().filter(|v| v.is_finite()) };
    Ok((0..len)
        .filter_map(|i| {
            let time = parse_timestamp(times.get(i)?.as_str()?)? - offset;
            Some(WeatherHour {
                time,
                temperature_c: at(temperature, i).map(|t| to_celsius(t) as f32),
                precipitation_mm: at(precipitation, i).map(|p| to_mm(p) as f32),
                precipitation_probability: at(probability, i)
                    .filter(|p| (0.0..=100.0).contains(p))
                    .map(|p| p.round() as u8),
                wind_speed_kmh: at(wind, i).map(|w| to_kmh(w) as f32),
                weather_code: at(code, i)
                    .filter(|c| (0.0..=255.0).contains(c) && c.fract() == 0.0)
                    .map(|c| c as u8),
            })
        })
        .collect())
}

fn temperature_converter(unit: &str) -> fn(f64) -> f64 {
    if unit.contains('f') {
        |f| (f - 32.0) * 5.0 / 9.0
    } else {
        |c| c
    }
}

fn precipitation_converter(unit: &str) -> fn(f64) -> f64 {
    if unit.starts_with("inch") {
        |i| i * 25.4
    } else {
        |mm| mm
    }
}

fn wind_converter(unit: &str) -> fn(f64) -> f64 {
    match unit {
        "m/s" => |v| v * 3.6,
        "mph" => |v| v * 1.609_344,
        "kn" | "kt" | "knots" => |v| v * 1.852,
        _ => |v| v,
    }
}

/// The forecast hour nearest `kickoff` (earlier hour on a tie) with a summary, or `None`
/// when no hour lies within [`MAX_GAP`].
pub fn weather_at(hours: &[WeatherHour], kickoff: DateTime<Utc>) -> Option<WeatherReport> {
    let hour = *hours.iter().min_by_key(|h| ((h.time - kickoff).abs(), h.time))?;
    if (hour.time - kickoff).abs() > MAX_GAP {
        return None;
    }
    Some(WeatherReport {
        hour,
        condition: hour.condition(),
        summary: summarise(&hour),
    })
}

fn summarise(hour: &WeatherHour) -> String {
    let mut parts = Vec::new();
    if let Some(code) = hour.weather_code {
        parts.push(describe_wmo(code).to_string());
    }
    if let Some(t) = hour.temperature_c {
        parts.push(format!("{t:.0}°C"));
    }
    if let Some(p) = hour.precipitation_probability.filter(|&p| p > 0) {
        let what = match hour.condition() {
            WeatherCondition::Snow => "snow",
            _ => "rain",
        };
        parts.push(format!("{p}% chance of {what}"));
    }
    if let Some(w) = hour.wind_speed_kmh {
        parts.push(format!("wind {w:.0} km/h"));
    }
    if parts.is_empty() {
        return "No forecast details".to_string();
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests;
