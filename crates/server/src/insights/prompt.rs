//! What the LLM is asked: the facts as compact JSON and a short, neutral brief.

use super::facts::MatchFacts;

pub const SYSTEM: &str = "You are a football analyst writing for a match-prediction website. \
Write a short, neutral analysis of the match in 3 to 5 sentences of plain prose: no title, no \
lists, no markdown. Use only the facts you are given: the model's probabilities and expected \
goals, both teams' recent form (results are oldest first), earlier meetings, and the live \
situation when the match is in play or finished. Do not invent players, injuries or numbers. \
Do not give betting advice or tell anyone to bet; report the probabilities as they are.";

/// The user message: the match facts without empty fields.
pub fn user(facts: &MatchFacts) -> String {
    let mut value = serde_json::to_value(facts).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.retain(|_, v| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)));
        map.remove("match_id");
    }
    format!("Match facts (JSON):\n{value}\n\nWrite the analysis.")
}
