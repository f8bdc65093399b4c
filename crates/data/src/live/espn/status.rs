//! ESPN's status block → [`LiveStatus`], clock and display text.

use serde_json::Value;

use super::json::{flag, number, text};
use crate::live::LiveStatus;
use crate::live::time::parse_minute;

/// What the status block says, read once.
pub(super) struct Status {
    pub status: LiveStatus,
    pub detail: Option<String>,
    pub minute: Option<u16>,
}

/// Reads `{"clock", "displayClock", "type": {"name", "state", "completed", "shortDetail"}}`.
/// A missing block reads as scheduled: it asks nothing of the caller, who will poll again.
pub(super) fn read_status(block: Option<&Value>) -> Status {
    let empty = Value::Null;
    let block = block.unwrap_or(&empty);
    let status = status_from_name(text(block, "/type/name").as_deref())
        .or_else(|| status_from_state(block))
        .unwrap_or(LiveStatus::Scheduled);
    let detail = text(block, "/type/shortDetail").or_else(|| text(block, "/type/detail"));
    let minute = status
        .is_in_play()
        .then(|| {
            text(block, "/displayClock")
                .and_then(|clock| parse_minute(&clock))
                // `clock` is seconds played; only trusted when there is no display clock.
                .or_else(|| clock_minutes(block.get("clock")?))
        })
        .flatten();
    Status {
        status,
        detail,
        minute,
    }
}

fn clock_minutes(clock: &Value) -> Option<u16> {
    let seconds = number(clock)?;
    (0.0..=12_000.0)
        .contains(&seconds)
        .then(|| (seconds / 60.0).ceil() as u16)
}

/// ESPN's status names. Unknown names fall through to the coarser `state`.
fn status_from_name(name: Option<&str>) -> Option<LiveStatus> {
    Some(match name? {
        "STATUS_SCHEDULED" | "STATUS_DELAYED" | "STATUS_RAIN_DELAY" => LiveStatus::Scheduled,
        "STATUS_IN_PROGRESS"
        | "STATUS_FIRST_HALF"
        | "STATUS_SECOND_HALF"
        | "STATUS_OVERTIME"
        | "STATUS_EXTRA_TIME"
        | "STATUS_END_OF_REGULATION"
        | "STATUS_END_OF_EXTRATIME"
        | "STATUS_HALFTIME_ET"
        | "STATUS_SHOOTOUT" => LiveStatus::Live,
        "STATUS_HALFTIME" => LiveStatus::HalfTime,
        "STATUS_FULL_TIME" | "STATUS_FINAL" | "STATUS_FINAL_AET" | "STATUS_FINAL_PEN" | "STATUS_FULL_PEN"
        | "STATUS_END_PERIOD" => LiveStatus::Finished,
        "STATUS_POSTPONED" => LiveStatus::Postponed,
        "STATUS_CANCELED" | "STATUS_CANCELLED" | "STATUS_ABANDONED" | "STATUS_FORFEIT" => {
            LiveStatus::Cancelled
        }
        _ => return None,
    })
}

fn status_from_state(block: &Value) -> Option<LiveStatus> {
    if flag(block, "/type/completed") == Some(true) {
        return Some(LiveStatus::Finished);
    }
    Some(match text(block, "/type/state")?.as_str() {
        "pre" => LiveStatus::Scheduled,
        "in" => LiveStatus::Live,
        "post" => LiveStatus::Finished,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_states_and_minutes() {
        let live = read_status(Some(&json!({
            "clock": 5580.0, "displayClock": "90'+3'",
            "type": {"name": "STATUS_SECOND_HALF", "state": "in", "shortDetail": "90'+3'"}
        })));
        assert_eq!(live.status, LiveStatus::Live);
        assert_eq!(live.minute, Some(93));
        assert_eq!(live.detail.as_deref(), Some("90'+3'"));

        let unknown_name = read_status(Some(&json!({"type": {"name": "STATUS_NEW", "state": "post"}})));
        assert_eq!(unknown_name.status, LiveStatus::Finished);
        assert_eq!(unknown_name.minute, None);

        let clock_only = read_status(Some(&json!({"clock": 4020, "type": {"state": "in"}})));
        assert_eq!(clock_only.minute, Some(67));

        let scheduled = read_status(Some(
            &json!({"displayClock": "0'", "type": {"name": "STATUS_SCHEDULED"}}),
        ));
        assert_eq!(
            (scheduled.status, scheduled.minute),
            (LiveStatus::Scheduled, None)
        );

        assert_eq!(read_status(None).status, LiveStatus::Scheduled);
        assert_eq!(read_status(Some(&json!("odd"))).status, LiveStatus::Scheduled);
        let abandoned = read_status(Some(
            &json!({"type": {"name": "STATUS_ABANDONED", "state": "post"}}),
        ));
        assert_eq!(abandoned.status, LiveStatus::Cancelled);
    }
}
