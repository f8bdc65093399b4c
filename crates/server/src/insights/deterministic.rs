//! The insight written without an LLM: a title and three to six plain sentences built only from
//! the facts, so it is always available, fast, and never says anything the numbers don't.

use super::facts::{ForecastFacts, Form, MatchFacts, Meetings};

/// A written insight before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub title: String,
    pub content: String,
    /// 0..=1: how clearly the model separates the favourite from the rest.
    pub confidence: f64,
}

const MAX_SENTENCES: usize = 6;

fn pct(p: f64) -> String {
    format!("{:.0}%", 100.0 * p)
}

/// The favourite's name and probability, and its margin over the next outcome; `None` as the
/// name when a draw is the likeliest result.
fn favourite<'a>(f: &ForecastFacts, facts: &'a MatchFacts) -> (Option<&'a str>, f64, f64) {
    let mut outcomes = [
        (Some(facts.home_team.as_str()), f.home),
        (None, f.draw),
        (Some(facts.away_team.as_str()), f.away),
    ];
    outcomes.sort_by(|a, b| b.1.total_cmp(&a.1));
    (outcomes[0].0, outcomes[0].1, outcomes[0].1 - outcomes[1].1)
}

/// Confidence from the favourite's margin: a coin flip is 0.4, a clear favourite up to 0.95;
/// without a forecast the insight rests on form alone, 0.2.
pub fn confidence(facts: &MatchFacts) -> f64 {
    match &facts.forecast {
        Some(f) => (0.4 + favourite(f, facts).2).clamp(0.1, 0.95),
        None => 0.2,
    }
}

pub fn title(facts: &MatchFacts) -> String {
    let (home, away) = (&facts.home_team, &facts.away_team);
    match (facts.status.as_str(), facts.score) {
        ("live", Some(s)) => format!(
            "{home} {}-{} {away}, {}': live analysis",
            s.home,
            s.away,
            facts.minute.unwrap_or(0)
        ),
        ("finished", Some(s)) => format!("{home} {}-{} {away}: full-time review", s.home, s.away),
        _ => match &facts.forecast {
            Some(f) => match favourite(f, facts) {
                (_, _, margin) if margin < 0.05 => format!("{home} v {away}: too close to call"),
                (Some(team), p, _) => format!("{home} v {away}: {team} favoured ({})", pct(p)),
                (None, p, _) => format!("{home} v {away}: a draw is likeliest ({})", pct(p)),
            },
            None => format!("{home} v {away}: preview"),
        },
    }
}

fn forecast_sentence(f: &ForecastFacts, facts: &MatchFacts) -> String {
    let (home, away) = (&facts.home_team, &facts.away_team);
    let when = match (f.kind.as_str(), facts.status.as_str()) {
        ("in_play", _) => "In play, the",
        (_, "finished") => "Before kick-off, the",
        _ => "The",
    };
    let split = format!(
        "{home} {}, draw {}, {away} {}",
        pct(f.home),
        pct(f.draw),
        pct(f.away)
    );
    match favourite(f, facts) {
        (_, _, margin) if margin < 0.05 => format!("{when} model sees an even contest: {split}."),
        (Some(team), p, _) => format!("{when} model makes {team} favourites at {} ({split}).", pct(p)),
        (None, p, _) => format!(
            "{when} model rates a draw as the single likeliest result at {} ({split}).",
            pct(p)
        ),
    }
}

fn goals_sentence(f: &ForecastFacts, facts: &MatchFacts) -> Option<String> {
    let xg = f.home_xg.zip(f.away_xg).map(|(h, a)| {
        format!(
            "Expected goals are {h:.2} for {} and {a:.2} for {}",
            facts.home_team, facts.away_team
        )
    });
    let likely = f.likely_score.as_ref().map(|s| {
        format!(
            "the likeliest score is {}-{} ({})",
            s.home,
            s.away,
            pct(s.probability)
        )
    });
    match (xg, likely) {
        (Some(x), Some(l)) => Some(format!("{x}, and {l}.")),
        (Some(x), None) => Some(format!("{x}.")),
        (None, Some(l)) => {
            let mut l = l;
            l.replace_range(..1, "T");
            Some(format!("{l}."))
        }
        (None, None) => None,
    }
}

fn lean_sentence(f: &ForecastFacts) -> Option<String> {
    let over = f.over_2_5?;
    let lean = if over >= 0.55 {
        "which points to an open game"
    } else if over <= 0.45 {
        "which points to a tight, low-scoring game"
    } else {
        "so goals could go either way"
    };
    Some(match f.btts {
        Some(btts) => format!(
            "Over 2.5 goals is {} likely and both teams score with {} probability, {lean}.",
            pct(over),
            pct(btts)
        ),
        None => format!("Over 2.5 goals is {} likely, {lean}.", pct(over)),
    })
}

/// The run at the end of a form string (newest result last), e.g. (`W`, 3).
fn streak(results: &str) -> Option<(char, usize)> {
    let last = results.chars().last()?;
    Some((last, results.chars().rev().take_while(|c| *c == last).count()))
}

fn form_phrase(team: &str, form: &Form) -> String {
    let wins = form.results.matches('W').count();
    let streak = match streak(&form.results).filter(|(_, n)| *n >= 3) {
        Some(('W', run)) => format!(", won the last {run}"),
        Some(('D', run)) => format!(", drew the last {run}"),
        Some((_, run)) => format!(", lost the last {run}"),
        None => String::new(),
    };
    format!(
        "{team} {} ({wins} win{} in {}, goals {}-{}{streak})",
        form.results,
        if wins == 1 { "" } else { "s" },
        form.results.len(),
        form.goals_for,
        form.goals_against
    )
}

fn form_sentence(facts: &MatchFacts) -> Option<String> {
    let home = facts.home_form.as_ref().map(|f| form_phrase(&facts.home_team, f));
    let away = facts.away_form.as_ref().map(|f| form_phrase(&facts.away_team, f));
    match (home, away) {
        (Some(h), Some(a)) => Some(format!("Recent form, oldest first: {h}; {a}.")),
        (Some(x), None) | (None, Some(x)) => Some(format!("Recent form, oldest first: {x}.")),
        (None, None) => None,
    }
}

fn meetings_sentence(m: &Meetings, facts: &MatchFacts) -> String {
    let last = m
        .last
        .first()
        .map(|l| format!("; the last one was {l}"))
        .unwrap_or_default();
    format!(
        "In {} earlier meeting{} {} won {}, {} won {} and {} ended level{last}.",
        m.played,
        if m.played == 1 { "" } else { "s" },
        facts.home_team,
        m.home_wins,
        facts.away_team,
        m.away_wins,
        m.draws
    )
}

fn situation_sentence(facts: &MatchFacts) -> Option<String> {
    let s = facts.score?;
    let (home, away) = (&facts.home_team, &facts.away_team);
    let state = match s.home.cmp(&s.away) {
        std::cmp::Ordering::Greater => format!("{home} lead {}-{}", s.home, s.away),
        std::cmp::Ordering::Less => format!("{away} lead {}-{}", s.away, s.home),
        std::cmp::Ordering::Equal => format!("it is level at {}-{}", s.home, s.away),
    };
    let events = if facts.events.is_empty() {
        String::new()
    } else {
        format!(" Key moments: {}.", facts.events.join(", "))
    };
    match facts.status.as_str() {
        "live" => Some(format!(
            "Live at {}': {state}.{events}",
            facts.minute.unwrap_or(0)
        )),
        "finished" => {
            let result = match s.home.cmp(&s.away) {
                std::cmp::Ordering::Greater => format!("{home} won {}-{}", s.home, s.away),
                std::cmp::Ordering::Less => format!("{away} won {}-{}", s.away, s.home),
                std::cmp::Ordering::Equal => format!("It finished level at {}-{}", s.home, s.away),
            };
            Some(format!("{result}.{events}"))
        }
        _ => None,
    }
}

/// The deterministic insight for `facts`.
pub fn write(facts: &MatchFacts) -> Written {
    let mut sentences = Vec::new();
    sentences.extend(situation_sentence(facts));
    match &facts.forecast {
        Some(f) => {
            sentences.push(forecast_sentence(f, facts));
            sentences.extend(goals_sentence(f, facts));
            sentences.extend(lean_sentence(f));
        }
        None => sentences.push(format!(
            "{} host {} in the {} on {}; no forecast is available for it yet.",
            facts.home_team,
            facts.away_team,
            if facts.competition.is_empty() {
                "league"
            } else {
                &facts.competition
            },
            facts.kickoff_at.format("%a %-d %b %Y, %H:%M UTC")
        )),
    }
    sentences.extend(form_sentence(facts));
    if let Some(m) = &facts.head_to_head {
        sentences.push(meetings_sentence(m, facts));
    }
    if let Some(w) = &facts.weather {
        sentences.push(format!("Weather at kick-off: {w}."));
    }
    if let Some(n) = facts.news.first() {
        sentences.push(format!("In the news: {}.", n.trim_end_matches('.')));
    }
    if sentences.len() < 3 && facts.home_form.is_none() && facts.away_form.is_none() {
        sentences.push("Neither side has recent results on record here.".into());
    }
    if sentences.len() < 3 && facts.head_to_head.is_none() {
        sentences.push("The two sides have no earlier meetings on record.".into());
    }
    sentences.truncate(MAX_SENTENCES);
    Written {
        title: title(facts),
        content: sentences.join(" "),
        confidence: confidence(facts),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::TimeZone;

    use super::*;
    use crate::insights::facts::{LikelyScore, Score};

    fn facts() -> MatchFacts {
        MatchFacts {
            match_id: 1,
            home_team: "Arsenal".into(),
            away_team: "Chelsea".into(),
            competition: "Premier League".into(),
            season: Some("2024-25".into()),
            kickoff_at: chrono::Utc.with_ymd_and_hms(2024, 11, 23, 15, 0, 0).unwrap(),
            status: "scheduled".into(),
            neutral: false,
            score: None,
            minute: None,
            stats: None,
            events: Vec::new(),
            forecast: Some(ForecastFacts {
                model: "dixon_coles".into(),
                kind: "pre_match".into(),
                home: 0.55,
                draw: 0.25,
                away: 0.20,
                home_xg: Some(1.8),
                away_xg: Some(0.9),
                likely_score: Some(LikelyScore {
                    home: 1,
                    away: 0,
                    probability: 0.12,
                }),
                over_2_5: Some(0.58),
                btts: Some(0.49),
            }),
            home_form: Some(Form {
                results: "DLWWW".into(),
                goals_for: 9,
                goals_against: 4,
            }),
            away_form: Some(Form {
                results: "WLDLL".into(),
                goals_for: 4,
                goals_against: 8,
            }),
            head_to_head: Some(Meetings {
                played: 4,
                home_wins: 2,
                draws: 1,
                away_wins: 1,
                last: vec!["2024-04-23 Arsenal 5-0 Chelsea".into()],
            }),
            weather: None,
            news: Vec::new(),
        }
    }

    fn sentences(text: &str) -> usize {
        text.matches(". ").count() + usize::from(text.ends_with('.'))
    }

    #[test]
    fn a_preview_names_the_favourite_goals_form_and_meetings() {
        let w = write(&facts());
        assert_eq!(w.title, "Arsenal v Chelsea: Arsenal favoured (55%)");
        assert!(
            w.content.contains("makes Arsenal favourites at 55%"),
            "{}",
            w.content
        );
        assert!(
            w.content
                .contains("Expected goals are 1.80 for Arsenal and 0.90 for Chelsea")
        );
        assert!(w.content.contains("likeliest score is 1-0 (12%)"));
        assert!(w.content.contains("open game"));
        assert!(
            w.content.contains(
                "Arsenal DLWWW (3 wins in 5, goals 9-4, won the last 3); Chelsea WLDLL (1 win in 5"
            )
        );
        assert!(!w.content.contains("lost the last"));
        assert!(w.content.contains("In 4 earlier meetings Arsenal won 2"));
        let n = sentences(&w.content);
        assert!((3..=6).contains(&n), "{n} sentences: {}", w.content);
        assert!((w.confidence - 0.7).abs() < 1e-9, "{}", w.confidence);
        assert_eq!(write(&facts()), w, "the same facts give the same words");
    }

    #[test]
    fn close_games_and_draws_are_described_as_such() {
        let mut f = facts();
        if let Some(fc) = f.forecast.as_mut() {
            (fc.home, fc.draw, fc.away) = (0.35, 0.32, 0.33);
        }
        let w = write(&f);
        assert!(w.title.contains("too close to call"), "{}", w.title);
        assert!(w.content.contains("even contest"));
        assert!(w.confidence < 0.45);
        if let Some(fc) = f.forecast.as_mut() {
            (fc.home, fc.draw, fc.away) = (0.30, 0.40, 0.30);
        }
        assert!(write(&f).title.contains("a draw is likeliest (40%)"));
    }

    #[test]
    fn live_and_finished_matches_lead_with_the_situation() {
        let mut f = facts();
        f.status = "live".into();
        f.minute = Some(63);
        f.score = Some(Score { home: 0, away: 1 });
        f.events = vec!["41' goal (away) Palmer".into()];
        let w = write(&f);
        assert_eq!(w.title, "Arsenal 0-1 Chelsea, 63': live analysis");
        assert!(
            w.content
                .starts_with("Live at 63': Chelsea lead 1-0. Key moments: 41' goal (away) Palmer.")
        );
        f.status = "finished".into();
        f.score = Some(Score { home: 2, away: 2 });
        let w = write(&f);
        assert!(w.title.ends_with("full-time review"));
        assert!(w.content.starts_with("It finished level at 2-2."));
        assert!(sentences(&w.content) <= 6 + 1, "{}", w.content);
    }

    #[test]
    fn with_nothing_but_the_fixture_it_still_writes_three_sentences() {
        let mut f = facts();
        f.forecast = None;
        f.home_form = None;
        f.away_form = None;
        f.head_to_head = None;
        let w = write(&f);
        assert_eq!(w.title, "Arsenal v Chelsea: preview");
        assert_eq!(sentences(&w.content), 3, "{}", w.content);
        assert!(w.content.contains("Sat 23 Nov 2024, 15:00 UTC"));
        assert!((w.confidence - 0.2).abs() < 1e-9);
    }

    #[test]
    fn streaks_count_the_newest_run() {
        assert_eq!(streak("LWWW"), Some(('W', 3)));
        assert_eq!(streak("WWDL"), Some(('L', 1)));
        assert_eq!(streak(""), None);
    }
}
