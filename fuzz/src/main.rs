//! insyn's fuzz harness, on stable Rust (cargo-fuzz needs nightly and
//! instrumentation; this needs neither). For each parser of outside input
//! (`insyn-fuzz list`) it mutates seed files (bit flips, byte inserts and
//! deletes, chunk duplication, splicing between inputs, the format's own
//! tokens and numbers; inside a workbook's zip entries, zipped again), runs
//! the parser with panics caught, and keeps inputs that led to an outcome
//! not seen before as further seeds (feedback by outcome, not coverage),
//! mutating those that were read, not refused, three times in four.
//!
//!   insyn-fuzz TARGET [--seconds N | --cases N] [--seed S]
//!   insyn-fuzz replay TARGET FILE…     runs saved inputs as insyn runs them
//!   insyn-fuzz list
//!
//! A panic, or a case slower than --timeout seconds (default 10), is saved
//! under fuzz/crashes/TARGET/ (the input, and a .txt saying what happened)
//! and counted; the exit status is 1 when there was one. Memory is capped
//! from outside (`ulimit -v` in scripts/fuzz.sh): an allocation over the cap
//! aborts the process, and the script saves the input it was running
//! (fuzz/crashes/TARGET/.last-input, written before each case).

mod mutate;
mod targets;

use mutate::{Rng, mutate, mutate_zip};
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use targets::{TARGETS, Target, target};

/// The last panic's message and place (the hook keeps it instead of printing).
static PANIC: Mutex<Option<String>> = Mutex::new(None);
/// When the running case started (ms since the harness started; 0: none running).
static CASE_STARTED: AtomicU64 = AtomicU64::new(0);

const CORPUS_MAX: usize = 512;
const CORPUS_INPUT_MAX: usize = 256 * 1024;

struct Options {
    seconds: Option<u64>,
    cases: Option<u64>,
    seed: u64,
    timeout: u64,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("-h" | "--help") => {
            eprintln!(
                "usage: insyn-fuzz TARGET [--seconds N | --cases N] [--seed S] [--timeout S]\n       insyn-fuzz replay TARGET FILE…\n       insyn-fuzz list\ntargets: {}",
                names()
            );
            ExitCode::from(2)
        }
        Some("list") => {
            for t in TARGETS {
                println!("{}", t.name);
            }
            ExitCode::SUCCESS
        }
        Some("replay") => replay(&args[1..]),
        Some(name) => {
            let Some(t) = target(name) else {
                eprintln!("insyn-fuzz: no target {name:?}; targets: {}", names());
                return ExitCode::from(2);
            };
            match options(&args[1..]) {
                Ok(o) => fuzz(t, &o),
                Err(e) => {
                    eprintln!("insyn-fuzz: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn names() -> String {
    TARGETS
        .iter()
        .map(|t| t.name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        seconds: None,
        cases: None,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        timeout: 10,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or(format!("{a} needs a number"))
        };
        match a.as_str() {
            "--seconds" => o.seconds = Some(value()?),
            "--cases" => o.cases = Some(value()?),
            "--seed" => o.seed = value()?,
            "--timeout" => o.timeout = value()?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if o.seconds.is_none() && o.cases.is_none() {
        o.seconds = Some(60);
    }
    Ok(o)
}

fn crash_dir(t: &Target) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("crashes")
        .join(t.name)
}

/// FNV-1a, to name saved inputs by their content.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn save(dir: &Path, prefix: &str, input: &[u8], what: &str) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    let path = dir.join(format!("{prefix}{:016x}.bin", hash(input)));
    let _ = std::fs::write(&path, input);
    let _ = std::fs::write(path.with_extension("txt"), what);
    path
}

fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        *PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{msg} at {at}"));
    }));
}

/// Runs one input; `Err` with what happened when it panicked.
fn run_case(f: fn(&[u8]) -> targets::Outcome, input: &[u8]) -> Result<targets::Outcome, String> {
    catch_unwind(AssertUnwindSafe(|| f(input))).map_err(|_| {
        PANIC
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "a panic".into())
    })
}

fn fuzz(t: &'static Target, o: &Options) -> ExitCode {
    quiet_panics();
    let dir = crash_dir(t);
    let _ = std::fs::create_dir_all(&dir);
    let last_input = dir.join(".last-input");
    let began = Instant::now();
    watchdog(t, began, Duration::from_secs(o.timeout), last_input.clone());

    let mut rng = Rng::new(o.seed);
    let mut corpus: Vec<Vec<u8>> = (t.seeds)();
    let seeds = corpus.len();
    // The inputs that were read (not refused): most mutations start from one
    // of them, so that the fuzzing does not drift into broken zips only.
    let mut good: Vec<Vec<u8>> = corpus.clone();
    let mut seen: HashSet<String> = HashSet::new();
    let (mut cases, mut crashes, mut slow) = (0u64, 0u64, 0u64);
    let mut crash_kinds: HashSet<String> = HashSet::new();
    let deadline = o.seconds.map(|s| began + Duration::from_secs(s));
    // The seeds themselves first.
    let mut queue: Vec<Vec<u8>> = corpus.clone();
    loop {
        if o.cases.is_some_and(|n| cases >= n) || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let input = match queue.pop() {
            Some(i) => i,
            None => {
                let pool = if rng.below(4) != 0 { &good } else { &corpus };
                let mut input = rng.pick(pool).cloned().unwrap_or_default();
                let zipped = t.zip
                    && rng.below(3) != 0
                    && mutate_zip(&mut rng, &mut input, &corpus, t.dict, t.max_len);
                if !zipped {
                    mutate(&mut rng, &mut input, &corpus, t.dict, t.max_len);
                }
                input
            }
        };
        let _ = std::fs::write(&last_input, &input);
        CASE_STARTED.store(began.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
        let started = Instant::now();
        let result = run_case(t.probe, &input);
        let took = started.elapsed();
        CASE_STARTED.store(0, Ordering::SeqCst);
        cases += 1;
        match result {
            Ok(outcome) => {
                let key = match &outcome {
                    Ok(s) => format!("ok {s}"),
                    Err(s) => format!("err {s}"),
                };
                // New outcomes join the corpus (small inputs only: it stays in memory).
                if seen.insert(key) && input.len() <= CORPUS_INPUT_MAX {
                    keep(&mut corpus, seeds, &mut rng, &input);
                    if outcome.is_ok() {
                        keep(&mut good, seeds, &mut rng, &input);
                    }
                }
            }
            Err(what) => {
                crashes += 1;
                let first = crash_kinds.insert(what.clone());
                let path = save(
                    &dir,
                    "crash-",
                    &input,
                    &format!("{}: panic: {what}\n", t.name),
                );
                if first {
                    eprintln!(
                        "{}: CRASH {what}\n  input saved: {}",
                        t.name,
                        path.display()
                    );
                }
            }
        }
        if took > Duration::from_secs(o.timeout) / 2 {
            slow += 1;
            let path = save(
                &dir,
                "slow-",
                &input,
                &format!("{}: took {:.1} s\n", t.name, took.as_secs_f64()),
            );
            eprintln!(
                "{}: SLOW {:.1} s, input saved: {}",
                t.name,
                took.as_secs_f64(),
                path.display()
            );
        }
    }
    let _ = std::fs::remove_file(&last_input);
    let secs = began.elapsed().as_secs_f64();
    println!(
        "insyn-fuzz {}: {cases} cases in {secs:.0} s ({:.0}/s), {crashes} crashes ({} kinds), {slow} slow, {} outcomes seen, corpus {} ({} read) (seed {})",
        t.name,
        cases as f64 / secs.max(0.001),
        crash_kinds.len(),
        seen.len(),
        corpus.len(),
        good.len(),
        o.seed
    );
    if crashes + slow > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Adds an input to a pool, replacing one that is not a seed when it is full.
fn keep(pool: &mut Vec<Vec<u8>>, seeds: usize, rng: &mut Rng, input: &[u8]) {
    if pool.len() < CORPUS_MAX {
        pool.push(input.to_vec());
    } else {
        let i = seeds + rng.below(CORPUS_MAX - seeds);
        pool[i] = input.to_vec();
    }
}

/// Ends the process (status 3) when a case runs longer than `timeout`,
/// saving its input: a hang is a finding too.
fn watchdog(t: &'static Target, began: Instant, timeout: Duration, last_input: PathBuf) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let started = CASE_STARTED.load(Ordering::SeqCst);
            if started == 0 {
                continue;
            }
            let now = began.elapsed().as_millis() as u64 + 1;
            if now.saturating_sub(started) > timeout.as_millis() as u64 {
                let input = std::fs::read(&last_input).unwrap_or_default();
                let path = save(
                    &crash_dir(t),
                    "hang-",
                    &input,
                    &format!("{}: still running after {} s\n", t.name, timeout.as_secs()),
                );
                eprintln!(
                    "{}: HANG over {} s, input saved: {}",
                    t.name,
                    timeout.as_secs(),
                    path.display()
                );
                std::process::exit(3);
            }
        }
    });
}

/// Runs saved inputs through the parser as insyn runs it: each must end
/// without a panic.
fn replay(args: &[String]) -> ExitCode {
    let Some(t) = args.first().and_then(|n| target(n)) else {
        eprintln!("insyn-fuzz replay: name a target: {}", names());
        return ExitCode::from(2);
    };
    quiet_panics();
    let mut failed = false;
    for file in &args[1..] {
        let input = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                failed = true;
                continue;
            }
        };
        let started = Instant::now();
        if let Err(what) = run_case(t.probe, &input) {
            println!("{file}: PANIC (as the fuzzer runs it) {what}");
            failed = true;
        }
        match run_case(t.run, &input) {
            Ok(outcome) => println!("{file}: {outcome:?} in {:?}", started.elapsed()),
            Err(what) => {
                println!("{file}: PANIC {what}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every input the harness ever saved (fuzz/crashes/TARGET/*.bin) runs
    /// through the parser without a panic, within seconds, both as the
    /// fuzzer runs it (a reader's panic let through: the cause is fixed, not
    /// only caught) and as insyn runs it: each crash found is a regression
    /// test from then on.
    #[test]
    fn saved_crashes_no_longer_crash() {
        quiet_panics();
        let mut ran = 0;
        for t in TARGETS {
            let Ok(dir) = std::fs::read_dir(crash_dir(t)) else {
                continue;
            };
            for entry in dir.flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "bin") {
                    continue;
                }
                let input = std::fs::read(&path).expect("readable");
                let started = Instant::now();
                for f in [t.probe, t.run] {
                    let r = run_case(f, &input);
                    assert!(r.is_ok(), "{}: {}", path.display(), r.unwrap_err());
                }
                assert!(
                    started.elapsed() < Duration::from_secs(10),
                    "{}: took {:?}",
                    path.display(),
                    started.elapsed()
                );
                ran += 1;
            }
        }
        eprintln!("{ran} saved inputs replayed");
    }

    /// Each target's seeds are read as insyn reads them (a target whose
    /// seeds all fail would fuzz only the refusals).
    #[test]
    fn every_target_reads_its_seeds() {
        for t in TARGETS {
            let seeds = (t.seeds)();
            assert!(!seeds.is_empty(), "{}", t.name);
            let ok = seeds.iter().filter(|s| (t.run)(s).is_ok()).count();
            assert!(ok > 0, "{}: no seed is read", t.name);
        }
    }
}
