//! Loading the Premier League CSVs, shared by the examples.

use chrono::NaiveDate;
use pundit_model::MatchRecord;

/// Enough seasons for four previous seasons before 2015/16, through 2022/23.
const SEASONS: [&str; 13] = [
    "1011", "1112", "1213", "1314", "1415", "1516", "1617", "1718", "1819", "1920", "2021", "2122", "2223",
];

/// Every match of [`SEASONS`], sorted by date.
pub fn load_premier_league(dir: &str) -> Result<Vec<MatchRecord>, Box<dyn std::error::Error>> {
    let mut records = Vec::new();
    for season in SEASONS {
        let text = std::fs::read_to_string(format!("{dir}/season-{season}.csv"))?;
        records.extend(parse_csv(&text)?);
    }
    records.sort_by_key(|r| r.date);
    Ok(records)
}

/// Plain string splitting: the files have no quoted fields.
fn parse_csv(text: &str) -> Result<Vec<MatchRecord>, Box<dyn std::error::Error>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty file")?.split(',').collect();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let (date, home, away) = (column("Date"), column("HomeTeam"), column("AwayTeam"));
    let (home_goals, away_goals) = (column("FTHG"), column("FTAG"));
    let (home_shots, away_shots) = (column("HS"), column("AS"));
    let (home_sot, away_sot) = (column("HST"), column("AST"));
    let mut out = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        let get = |i: Option<usize>| {
            i.and_then(|i| fields.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let (Some(d), Some(h), Some(a), Some(hg), Some(ag)) =
            (get(date), get(home), get(away), get(home_goals), get(away_goals))
        else {
            continue;
        };
        let date = NaiveDate::parse_from_str(d, "%Y-%m-%d")?;
        let mut r = MatchRecord::new(date, h, a, hg.parse()?, ag.parse()?);
        r.home_shots = get(home_shots).and_then(|s| s.parse().ok());
        r.away_shots = get(away_shots).and_then(|s| s.parse().ok());
        r.home_shots_on_target = get(home_sot).and_then(|s| s.parse().ok());
        r.away_shots_on_target = get(away_sot).and_then(|s| s.parse().ok());
        out.push(r);
    }
    Ok(out)
}
