use chrono::TimeZone;

use super::*;

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 8, d, h, m, 0)
        .single()
        .unwrap_or_default()
}

#[test]
fn shortest_series_wins_and_nulls_are_none() {
    let json = br#"{"hourly": {
        "time": ["2025-08-16T14:00", "2025-08-16T15:00", "2025-08-16T16:00"],
        "temperature_2m": [18.5, null, 17.0],
        "weather_code": [61, 63]
    }}"#;
    let hours = parse_forecast(json).unwrap_or_default();
    assert_eq!(hours.len(), 2);
    assert_eq!(hours[0].time, utc(16, 14, 0));
    assert_eq!(hours[0].temperature_c, Some(18.5));
    assert_eq!(hours[1].temperature_c, None);
    assert_eq!(hours[1].weather_code, Some(63));
    assert_eq!(hours[0].precipitation_mm, None);
    assert_eq!(hours[0].wind_speed_kmh, None);
}

#[test]
fn units_and_offsets_are_normalised() {
    let json = r#"{"utc_offset_seconds": 3600,
        "hourly_units": {"temperature_2m": "°F", "wind_speed_10m": "mph", "precipitation": "inch"},
        "hourly": {"time": ["2025-08-16T15:00"], "temperature_2m": [50.0],
                   "wind_speed_10m": [10.0], "precipitation": [0.1]}}"#;
    let hours = parse_forecast(json.as_bytes()).unwrap_or_default();
    assert_eq!(hours.len(), 1);
    assert_eq!(hours[0].time, utc(16, 14, 0));
    assert_eq!(hours[0].temperature_c, Some(10.0));
    assert!((hours[0].wind_speed_kmh.unwrap_or(0.0) - 16.09).abs() < 0.01);
    assert!((hours[0].precipitation_mm.unwrap_or(0.0) - 2.54).abs() < 0.001);
}

#[test]
fn unusable_payloads_are_errors() {
    assert!(matches!(parse_forecast(b"{}"), Err(LiveError::Missing(_))));
    assert!(matches!(parse_forecast(b"<html>"), Err(LiveError::Json(_))));
    assert!(matches!(
        parse_forecast(br#"{"hourly": {"time": "2025-08-16T14:00"}}"#),
        Err(LiveError::Missing(_))
    ));
    let error = parse_forecast(br#"{"error": true, "reason": "Latitude must be in range"}"#);
    assert!(matches!(error, Err(LiveError::Provider(r)) if r.contains("Latitude")));
    // Bad timestamps drop their hour only.
    let hours = parse_forecast(br#"{"hourly": {"time": ["soon", "2025-08-16T14:00"]}}"#);
    assert_eq!(hours.map(|h| h.len()).ok(), Some(1));
}

#[test]
fn nearest_hour_within_the_gap() {
    let hour = |h: u32, code: u8| WeatherHour {
        time: utc(16, h, 0),
        temperature_c: Some(14.2),
        precipitation_mm: Some(0.4),
        precipitation_probability: Some(70),
        wind_speed_kmh: Some(18.4),
        weather_code: Some(code),
    };
    let hours = [hour(14, 3), hour(15, 61), hour(16, 80)];
    let report = weather_at(&hours, utc(16, 15, 20));
    assert_eq!(report.as_ref().map(|r| r.hour.time), Some(utc(16, 15, 0)));
    assert_eq!(
        report.as_ref().map(|r| r.summary.as_str()),
        Some("Light rain, 14°C, 70% chance of rain, wind 18 km/h")
    );
    assert_eq!(report.map(|r| r.condition), Some(WeatherCondition::Rain));
    // A tie goes to the earlier hour.
    let tie = weather_at(&hours, utc(16, 14, 30));
    assert_eq!(tie.map(|r| r.hour.time), Some(utc(16, 14, 0)));
    assert!(weather_at(&hours, utc(16, 19, 0)).is_none());
    assert!(weather_at(&[], utc(16, 15, 0)).is_none());
    let bare = WeatherHour {
        temperature_c: None,
        precipitation_mm: None,
        precipitation_probability: None,
        wind_speed_kmh: None,
        weather_code: None,
        ..hour(15, 0)
    };
    let report = weather_at(&[bare], utc(16, 15, 0));
    assert_eq!(report.map(|r| r.summary), Some("No forecast details".to_string()));
}
