//! RSS 2.0 and Atom news feeds (BBC Sport, Guardian, club sites...), read with `feed-rs`,
//! tagged by topic and matched to teams.
//!
//! Team matching uses every spelling in a [`TeamAliases`] table, as whole words, ignoring
//! case and accents, so "Manchester United" and "Man Utd" both give "Man United".

mod tags;
mod teams;
mod words;

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use feed_rs::model::Entry;
use serde::{Deserialize, Serialize};

pub use tags::NewsTag;

use self::teams::TeamMatcher;
use self::words::words;
use super::LiveError;
use crate::aliases::TeamAliases;

/// One feed item, with plain-text title and summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    /// The feed's id for the item (RSS `guid`, Atom `id`), or one feed-rs derives from the
    /// link when there is none: stable across polls, so usable for de-duplication.
    pub id: String,
    pub title: String,
    pub link: Option<String>,
    /// Publication time, else last update time.
    pub published: Option<DateTime<Utc>>,
    pub summary: Option<String>,
    pub tags: Vec<NewsTag>,
    /// Canonical names of the teams named in the title, summary or categories, in order of
    /// first mention.
    pub teams: Vec<String>,
}

impl NewsItem {
    pub fn has_tag(&self, tag: NewsTag) -> bool {
        self.tags.contains(&tag)
    }

    /// Whether the item names `canonical` (a canonical team name).
    pub fn mentions(&self, canonical: &str) -> bool {
        self.teams.iter().any(|t| t == canonical)
    }
}

/// Parses a feed, matching teams with the built-in alias table.
pub fn parse_feed(bytes: &[u8]) -> Result<Vec<NewsItem>, LiveError> {
    static BUILTIN: OnceLock<TeamAliases> = OnceLock::new();
    parse_feed_with(bytes, BUILTIN.get_or_init(TeamAliases::builtin))
}

/// Parses a feed, matching teams with `aliases`. Items with neither title nor summary are
/// dropped; anything that is not an RSS, Atom or JSON feed is an error.
pub fn parse_feed_with(bytes: &[u8], aliases: &TeamAliases) -> Result<Vec<NewsItem>, LiveError> {
    let feed = feed_rs::parser::parse(bytes)?;
    let matcher = TeamMatcher::new(aliases);
    Ok(feed
        .entries
        .into_iter()
        .filter_map(|entry| read_entry(entry, &matcher))
        .collect())
}

fn read_entry(entry: Entry, matcher: &TeamMatcher<'_>) -> Option<NewsItem> {
    let title = entry.title.map(|t| plain_text(&t.content)).unwrap_or_default();
    let summary = entry
        .summary
        .map(|s| s.content)
        .or_else(|| entry.content.and_then(|c| c.body))
        .map(|s| plain_text(&s))
        .filter(|s| !s.is_empty());
    if title.is_empty() && summary.is_none() {
        return None;
    }
    let categories = entry
        .categories
        .iter()
        .map(|c| c.label.as_deref().unwrap_or(&c.term))
        .collect::<Vec<_>>()
        .join(". ");
    let text = words(&format!(
        "{title}. {}. {categories}",
        summary.as_deref().unwrap_or_default()
    ));
    let mut teams = Vec::new();
    matcher.find(&text, &mut teams);
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|rel| rel == "alternate"))
        .or_else(|| entry.links.first())
        .map(|l| l.href.clone());
    Some(NewsItem {
        id: entry.id,
        title,
        link,
        published: entry.published.or(entry.updated),
        summary,
        tags: tags::tags(&text),
        teams,
    })
}

/// Feed text often carries HTML (`<p>`, `&nbsp;`): tags are dropped, the common entities
/// decoded and whitespace collapsed.
fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A lone "<" ("a < b") is text; a tag starts with a letter, "/" or "!".
            '<' if !in_tag
                && chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!')) =>
            {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = [
        ("&nbsp;", " "),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&apos;", "'"),
        ("&rsquo;", "’"),
        ("&lsquo;", "‘"),
        ("&ndash;", "–"),
        ("&mdash;", "—"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text, |t, (entity, plain)| t.replace(entity, plain));
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            plain_text("<p>Saka&nbsp;<b>out</b></p>\n<p>Rice &amp; Ødegaard&#39;s</p>"),
            "Saka out Rice & Ødegaard's"
        );
        assert_eq!(plain_text("a < b"), "a < b");
        assert_eq!(plain_text("   "), "");
    }

    #[test]
    fn not_a_feed_is_an_error() {
        for bad in [
            &b""[..],
            b"not xml at all",
            b"<html><body>502</body></html>",
            b"\xff\xfe",
        ] {
            assert!(matches!(parse_feed(bad), Err(LiveError::Feed(_))), "{bad:?}");
        }
    }

    #[test]
    fn minimal_rss_items() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>Wolves sign striker on loan</title><link>https://e.x/1</link></item>
            <item><link>https://e.x/empty</link></item>
            <item><description>Palace&apos;s Eze a doubt</description></item>
            </channel></rss>"#;
        let items = parse_feed(rss).unwrap_or_default();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].teams, ["Wolves"]);
        assert_eq!(items[0].tags, [NewsTag::Transfer]);
        assert_eq!(items[0].link.as_deref(), Some("https://e.x/1"));
        assert!(!items[0].id.is_empty());
        assert_eq!(items[1].title, "");
        assert_eq!(items[1].teams, ["Crystal Palace"]);
        assert!(items[1].has_tag(NewsTag::Injury));
    }
}
