//! Graceful shutdown: on SIGTERM `insyn serve` stops accepting, lets a
//! request in flight finish, cuts off one that outlasts
//! `--shutdown-timeout`, and exits 0.

use crate::ops_process::Server;
use insyn_tests::TempDirGuard;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const BODY: &str = "email=nobody%40exempelstad.se&password=not-the-password-at-all";

/// Sends a sign-in post's headers and the first half of its body.
fn half_a_request(addr: &str) -> anyhow::Result<TcpStream> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(
        s,
        "POST /login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        BODY.len(),
        &BODY[..BODY.len() / 2]
    )?;
    s.flush()?;
    Ok(s)
}

#[test]
fn sigterm_lets_requests_in_flight_finish_and_exits_0() -> anyhow::Result<()> {
    let dir = TempDirGuard::new();
    let url = format!("sqlite://{}", dir.path().join("insyn.db").display());
    let mut server = Server::start(&url, &["--shutdown-timeout", "3"])?;
    let mut finishing = half_a_request(&server.addr)?;
    let _hanging = half_a_request(&server.addr)?;
    std::thread::sleep(Duration::from_millis(300));
    server.terminate()?;
    let signalled = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    // No new connections once stopping.
    assert!(
        TcpStream::connect(&server.addr).is_err(),
        "a new connection was accepted after SIGTERM"
    );
    // The request in flight gets its whole answer.
    finishing.write_all(&BODY.as_bytes()[BODY.len() / 2..])?;
    let mut answer = String::new();
    finishing.read_to_string(&mut answer)?;
    assert!(
        answer.starts_with("HTTP/1.1 ") && answer.contains("\r\n\r\n"),
        "no whole answer to the request in flight: {answer:?}"
    );
    let status: u16 = answer[9..12].parse()?;
    assert!(status < 500, "{answer}");
    // The one that never finishes is waited for up to the timeout, no longer.
    let code = server.wait(Duration::from_secs(20))?;
    let took = signalled.elapsed();
    assert_eq!(code, Some(0));
    assert!(
        took >= Duration::from_millis(2500),
        "exited after {took:?}: did not wait for the unfinished request"
    );
    Ok(())
}
