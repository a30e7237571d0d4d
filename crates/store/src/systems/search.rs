//! The register's search: exact, ranked, and from memory at national scale.
//!
//! **What matches.** A system matches when every word of the search (at most
//! `MAX_SEARCH_WORDS`, each cut at `MAX_SEARCH_CHARS`, lower-cased) stands
//! somewhere in its search text (name, short name, description, purpose,
//! vendor, capabilities, tags, lower-cased): the same as the SQL filter
//! (FTS5 trigrams on SQLite, trigram LIKE on PostgreSQL), which stays for
//! searches combined with other filters.
//!
//! **In which order.** By [`rank`]: the name equal to the search, then the
//! name starting with it, then a word of the name starting with it, then the
//! name containing it, then a match in another field only; within a rank by
//! name (`name_key`, then id). The register sorted by name (its default)
//! shows a search in this order; any other sort is the register's own.
//!
//! **From where.** Per organisation, an index in this process: its systems in
//! name order and, per trigram of their search text, the positions holding
//! it. A search intersects its words' trigrams, checks each candidate's text
//! (so matches are exact, never guessed from trigrams) and ranks them: every
//! match is found, and a page and its exact total are slices of that list.
//! The index is current for the organisation's *search version*: a number
//! that triggers on the systems table move in the writing transaction when a
//! system is added, removed, or changes what the index reads (name,
//! `name_key`, search text, archived), so a search after such a write never
//! reads an older index, and other writes (a reminder, a role, a
//! classification) do not make it be built again. When the version moved, an organisation of at most
//! [`SYNC_SYSTEMS`] systems rebuilds at once (within the request); a larger
//! one rebuilds in the background while its searches are answered by SQL,
//! ranked by the same function here, so their results are the same.
//! An index remembers the ranked results of its latest searches (at most
//! `MEMO_SEARCHES` of them, `MEMO_IDS` ids in all), so the next page of a
//! search, or the same search again, is a slice; they go with the index
//! when the version moves.
//! Memory is bounded: at most [`MAX_SYSTEMS`] systems are indexed over all
//! organisations, the least recently used organisation going first; an
//! organisation larger than that is always searched with SQL.

use crate::Store;
use crate::db::{Queryable, Result};
use crate::params;
use insyn_domain::validation::{MAX_SEARCH_CHARS, MAX_SEARCH_WORDS};
use insyn_domain::{OrgId, SystemId};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Organisations with at most this many systems rebuild their index within
/// the request that finds it old; larger ones in the background.
pub const SYNC_SYSTEMS: i64 = 10_000;
/// The most systems indexed over all organisations: as many as the
/// compliance snapshots keep (a national installation's 145,000 fit; about
/// 0.4 KB a system, 40 MB at 100,000).
pub const MAX_SYSTEMS: usize = 150_000;

/// The words of a search as the store matches them: split at white space,
/// control characters dropped, lower-cased, at most `MAX_SEARCH_WORDS` of at
/// most `MAX_SEARCH_CHARS` characters (the web layer refuses longer searches;
/// the store never matches more than the limits allow, whoever calls it).
pub(crate) fn search_words(q: &str) -> Vec<String> {
    q.split_whitespace()
        .take(MAX_SEARCH_WORDS)
        .map(|t| {
            t.chars()
                .filter(|c| !c.is_control())
                .take(MAX_SEARCH_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether a system's search text holds every word.
pub(crate) fn matches(words: &[String], text: &str) -> bool {
    words.iter().all(|w| text.contains(w.as_str()))
}

/// A match's rank for a search by its lower-cased name: 0 the name is the
/// search's words joined by spaces (`phrase`, joined once per search, not
/// per match), 1 it starts with them, 2 a word of it (after a space or a
/// hyphen) starts with them, 3 it holds them, 4 only other fields do.
fn rank_by(phrase: &str, name: &str) -> u8 {
    if name == phrase {
        0
    } else if name.starts_with(phrase) {
        1
    } else if name
        .match_indices(phrase)
        .any(|(i, _)| name[..i].ends_with([' ', '-']))
    {
        2
    } else if name.contains(phrase) {
        3
    } else {
        4
    }
}

/// The most searches an organisation's index remembers the ranked result
/// of, and the most ids over all of them (a search matching every one of
/// 100,000 systems keeps 1.6 MB).
const MEMO_SEARCHES: usize = 32;
const MEMO_IDS: usize = 250_000;

/// The ranked results of an index's latest searches, most recent last:
/// the next page of a search, and the same search again, are a slice of
/// what was ranked once. Kept inside the index, so it lives exactly as long
/// as the search version it was ranked at.
#[derive(Default)]
struct Memo {
    kept: VecDeque<(String, Arc<[SystemId]>)>,
    ids: usize,
}

impl Memo {
    fn get(&mut self, key: &str) -> Option<Arc<[SystemId]>> {
        let at = self.kept.iter().position(|(k, _)| k == key)?;
        let hit = self.kept.remove(at)?;
        let ids = hit.1.clone();
        self.kept.push_back(hit);
        Some(ids)
    }

    fn put(&mut self, key: String, ids: Arc<[SystemId]>) {
        if ids.len() > MEMO_IDS {
            return;
        }
        self.ids += ids.len();
        self.kept.push_back((key, ids));
        while self.kept.len() > MEMO_SEARCHES || self.ids > MEMO_IDS {
            match self.kept.pop_front() {
                Some((_, old)) => self.ids -= old.len(),
                None => break,
            }
        }
    }
}

/// One system as a search sees it.
struct Entry {
    id: Uuid,
    /// The name, lower-cased.
    name: Box<str>,
    name_key: Box<str>,
    text: Box<str>,
    archived: bool,
}

/// Orders matches by rank, then name, then id; returns their ids.
fn ranked(words: &[String], found: Vec<Entry>) -> Vec<SystemId> {
    let phrase = words.join(" ");
    let mut keyed: Vec<(u8, Entry)> = found
        .into_iter()
        .map(|e| (rank_by(&phrase, &e.name), e))
        .collect();
    keyed.sort_by(|(ra, a), (rb, b)| (ra, &a.name_key, a.id).cmp(&(rb, &b.name_key, b.id)));
    keyed.into_iter().map(|(_, e)| SystemId(e.id)).collect()
}

fn trigram(c: &[char]) -> u64 {
    (u64::from(c[0]) << 42) | (u64::from(c[1]) << 21) | u64::from(c[2])
}

fn trigrams(s: &str) -> Vec<u64> {
    let chars: Vec<char> = s.chars().collect();
    let mut g: Vec<u64> = chars.windows(3).map(trigram).collect();
    g.sort_unstable();
    g.dedup();
    g
}

/// Positions in both sorted lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    let mut from = 0;
    for &x in small {
        match large[from..].binary_search(&x) {
            Ok(i) => {
                out.push(x);
                from += i + 1;
            }
            Err(i) => from += i,
        }
        if from >= large.len() {
            break;
        }
    }
    out
}

/// An organisation's systems in name order, with their trigrams' postings.
struct OrgIndex {
    version: i64,
    entries: Vec<Entry>,
    grams: HashMap<u64, Vec<u32>>,
    took: Duration,
    memo: Mutex<Memo>,
}

impl OrgIndex {
    fn new(version: i64, mut entries: Vec<Entry>, took_so_far: Instant) -> Self {
        entries.sort_by(|a, b| (&a.name_key, a.id).cmp(&(&b.name_key, b.id)));
        let mut grams: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for g in trigrams(&e.text) {
                grams.entry(g).or_default().push(i as u32);
            }
        }
        for p in grams.values_mut() {
            p.shrink_to_fit();
        }
        OrgIndex {
            version,
            entries,
            grams,
            took: took_so_far.elapsed(),
            memo: Mutex::default(),
        }
    }

    /// Every match, ranked: remembered, or ranked now and remembered.
    fn search(&self, words: &[String], include_archived: bool) -> Arc<[SystemId]> {
        let key = format!("{}\n{}", u8::from(include_archived), words.join("\n"));
        let memo = || self.memo.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ids) = memo().get(&key) {
            return ids;
        }
        let ids: Arc<[SystemId]> = self.rank(words, include_archived).into();
        memo().put(key, ids.clone());
        ids
    }

    /// Every match, ranked now.
    fn rank(&self, words: &[String], include_archived: bool) -> Vec<SystemId> {
        let mut lists: Vec<&[u32]> = vec![];
        for w in words.iter().filter(|w| w.chars().count() >= 3) {
            for g in trigrams(w) {
                match self.grams.get(&g) {
                    Some(p) => lists.push(p),
                    None => return vec![],
                }
            }
        }
        lists.sort_by_key(|l| l.len());
        let candidates: Box<dyn Iterator<Item = u32>> = match lists.split_first() {
            None => Box::new(0..self.entries.len() as u32),
            Some((first, rest)) => {
                let mut c = first.to_vec();
                for l in rest {
                    c = intersect(&c, l);
                }
                Box::new(c.into_iter())
            }
        };
        let phrase = words.join(" ");
        let mut buckets: [Vec<SystemId>; 5] = Default::default();
        for i in candidates {
            let e = &self.entries[i as usize];
            if (include_archived || !e.archived) && matches(words, &e.text) {
                // Candidates come in name order, so each rank stays in it.
                buckets[usize::from(rank_by(&phrase, &e.name))].push(SystemId(e.id));
            }
        }
        buckets.concat()
    }
}

#[derive(Default)]
struct Slot {
    index: Option<Arc<OrgIndex>>,
    /// A background build has been started and not finished.
    building: bool,
    used: Option<Instant>,
}

/// The search indexes of this process, per organisation.
#[derive(Default)]
pub struct SearchCache {
    slots: Mutex<HashMap<OrgId, Slot>>,
}

impl std::fmt::Debug for SearchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchCache")
    }
}

impl SearchCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<OrgId, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps a new index, then drops the least recently used organisations'
    /// while more than [`MAX_SYSTEMS`] systems are indexed.
    fn put(&self, org: OrgId, index: Arc<OrgIndex>) {
        let mut slots = self.lock();
        let slot = slots.entry(org).or_default();
        slot.used = Some(Instant::now());
        if slot
            .index
            .as_ref()
            .is_some_and(|i| i.version > index.version)
        {
            return;
        }
        slot.index = Some(index);
        loop {
            let kept: usize = slots
                .values()
                .filter_map(|s| s.index.as_ref())
                .map(|i| i.entries.len())
                .sum();
            if kept <= MAX_SYSTEMS {
                break;
            }
            let oldest = slots
                .iter()
                .filter(|(_, s)| s.index.is_some())
                .min_by_key(|(o, s)| (**o == org, s.used))
                .map(|(o, _)| *o);
            match oldest {
                Some(o) => slots.get_mut(&o).expect("found above").index = None,
                None => break,
            }
        }
    }
}

/// How a search was answered (for tests and measurements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchedBy {
    Index,
    Sql,
}

impl Store {
    /// Every active (or, with `include_archived`, every) system of the
    /// organisation matching the search `q`, ranked (see the module's
    /// documentation): from the index when it is current, else from SQL.
    pub async fn search_systems(
        &self,
        org: OrgId,
        q: &str,
        include_archived: bool,
    ) -> Result<(Vec<SystemId>, SearchedBy)> {
        let (ids, by) = self.search_ranked(org, q, include_archived).await?;
        Ok((ids.to_vec(), by))
    }

    /// [`Store::search_systems`] without copying what the index remembers.
    pub(crate) async fn search_ranked(
        &self,
        org: OrgId,
        q: &str,
        include_archived: bool,
    ) -> Result<(Arc<[SystemId]>, SearchedBy)> {
        let words = search_words(q);
        let version = search_version(&mut self.db.read(), org).await?;
        if let Some(index) = self.search_index(org, version).await? {
            return Ok((index.search(&words, include_archived), SearchedBy::Index));
        }
        Ok((
            self.search_systems_sql(org, q, include_archived)
                .await?
                .into(),
            SearchedBy::Sql,
        ))
    }

    /// The organisation's search version now, and the version of the index
    /// this process keeps for it (none before its first search): equal when
    /// a search would read the kept index.
    pub async fn search_versions(&self, org: OrgId) -> Result<(i64, Option<i64>)> {
        let now = search_version(&mut self.db.read(), org).await?;
        let kept = self
            .search
            .lock()
            .get(&org)
            .and_then(|s| s.index.as_ref().map(|i| i.version));
        Ok((now, kept))
    }

    /// The same as [`Store::search_systems`], always through SQL: every
    /// match read with its name and text and ranked here.
    pub async fn search_systems_sql(
        &self,
        org: OrgId,
        q: &str,
        include_archived: bool,
    ) -> Result<Vec<SystemId>> {
        let filter = insyn_domain::SystemFilter {
            q: Some(q.to_owned()),
            include_archived,
            ..Default::default()
        };
        self.ranked_matches(org, &filter).await
    }

    /// Every system passing `filter` (which has a search), ranked.
    pub(crate) async fn ranked_matches(
        &self,
        org: OrgId,
        filter: &insyn_domain::SystemFilter,
    ) -> Result<Vec<SystemId>> {
        let words = search_words(filter.q.as_deref().unwrap_or(""));
        let mut p = crate::db::Params::default();
        let wh = super::list::where_clause(self.backend(), org, filter, &mut p);
        let found = self
            .db
            .read()
            .all(
                &format!(
                    "SELECT s.id, s.name, s.name_key, s.search_text, s.archived FROM {} WHERE {}",
                    wh.from, wh.cond
                ),
                p.0,
                entry,
            )
            .await?;
        Ok(ranked(&words, found))
    }

    /// The organisation's index at `version`: kept, or built now if the
    /// organisation is small; none while a large one builds in the background.
    async fn search_index(&self, org: OrgId, version: i64) -> Result<Option<Arc<OrgIndex>>> {
        let last = {
            let mut slots = self.search.lock();
            let slot = slots.entry(org).or_default();
            slot.used = Some(Instant::now());
            slot.index.clone()
        };
        if let Some(i) = last.filter(|i| i.version == version) {
            return Ok(Some(i));
        }
        let n = self
            .db
            .read()
            .count(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM system_counts WHERE org_id = $1",
                params![org.0],
            )
            .await?;
        if n > MAX_SYSTEMS as i64 {
            return Ok(None);
        }
        if n <= SYNC_SYSTEMS {
            let index = Arc::new(self.build_search_index(org).await?);
            self.search.put(org, index.clone());
            // Built from this version or a newer one: never older than asked.
            return Ok(Some(index));
        }
        {
            let mut slots = self.search.lock();
            let slot = slots.entry(org).or_default();
            if slot.building {
                return Ok(None);
            }
            slot.building = true;
        }
        let store = self.clone();
        tokio::spawn(async move {
            match store.build_search_index(org).await {
                Ok(index) => {
                    tracing::debug!(org = %org.0, systems = index.entries.len(), took_ms = index.took.as_millis() as u64, "search index built");
                    store.search.put(org, Arc::new(index));
                }
                Err(e) => {
                    tracing::warn!(org = %org.0, error = %e, "building a search index failed")
                }
            }
            if let Some(s) = store.search.lock().get_mut(&org) {
                s.building = false;
            }
        });
        Ok(None)
    }

    /// Reads the organisation's systems and indexes them. The version is read
    /// first: a write between the two makes the index look older than it is
    /// (built again), never newer.
    async fn build_search_index(&self, org: OrgId) -> Result<OrgIndex> {
        let started = Instant::now();
        let mut read = self.db.read();
        let version = search_version(&mut read, org).await?;
        let entries = read
            .all(
                "SELECT id, name, name_key, search_text, archived FROM systems s WHERE org_id = $1",
                params![org.0],
                entry,
            )
            .await?;
        Ok(OrgIndex::new(version, entries, started))
    }
}

/// The organisation's search version (0 before its first system).
async fn search_version(q: &mut impl Queryable, org: OrgId) -> Result<i64> {
    q.one(
        "SELECT COALESCE(MAX(version), 0) AS v FROM search_versions WHERE org_id = $1",
        params![org.0],
        |r| r.i64("v"),
    )
    .await
}

fn entry(r: &dyn crate::db::DbRow) -> Result<Entry> {
    Ok(Entry {
        id: r.uuid("id")?,
        name: r.text("name")?.to_lowercase().into(),
        name_key: r.text("name_key")?.into(),
        text: r.text("search_text")?.into(),
        archived: r.bool("archived")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[&str]) -> OrgIndex {
        let entries = names
            .iter()
            .map(|n| Entry {
                id: Uuid::new_v4(),
                name: n.to_lowercase().into(),
                name_key: n.to_lowercase().into(),
                text: n.to_lowercase().into(),
                archived: false,
            })
            .collect();
        OrgIndex::new(1, entries, Instant::now())
    }

    #[test]
    fn a_search_again_is_the_remembered_ranking_and_other_searches_are_not() {
        let i = index(&["Ekonomisystem", "Ekonomi", "Hemekonomi", "Personal"]);
        let words = search_words("ekonomi");
        let first = i.search(&words, false);
        assert_eq!(first.len(), 3);
        assert_eq!(first.to_vec(), i.rank(&words, false));
        assert!(Arc::ptr_eq(&first, &i.search(&words, false)), "remembered");
        let archived_too = i.search(&words, true);
        assert!(!Arc::ptr_eq(&first, &archived_too), "a different search");
        assert_eq!(i.search(&search_words("personal"), false).len(), 1);
    }

    #[test]
    fn the_memo_keeps_the_latest_searches_within_its_bounds() {
        let mut m = Memo::default();
        let ids = |n: usize| -> Arc<[SystemId]> { vec![SystemId(Uuid::nil()); n].into() };
        for k in 0..MEMO_SEARCHES + 5 {
            m.put(k.to_string(), ids(1));
        }
        assert_eq!(m.kept.len(), MEMO_SEARCHES);
        assert!(m.get("0").is_none(), "the oldest went first");
        assert!(m.get("5").is_some());
        // A hit is the most recent again: it outlives later puts.
        for k in 100..100 + MEMO_SEARCHES - 1 {
            m.put(k.to_string(), ids(1));
        }
        assert!(m.get("5").is_some());
        // The ids in all stay bounded; a result over the bound is not kept.
        m.put("big".into(), ids(MEMO_IDS - 10));
        assert!(m.ids <= MEMO_IDS, "{}", m.ids);
        assert!(m.get("big").is_some());
        m.put("huge".into(), ids(MEMO_IDS + 1));
        assert!(m.get("huge").is_none());
        assert_eq!(m.ids, m.kept.iter().map(|(_, v)| v.len()).sum::<usize>());
    }
}
