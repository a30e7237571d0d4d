//! The `insyn` binary run as an operator runs it: commands, and a server
//! started, checked and stopped with SIGTERM (the operations tests).

use insyn_tests::{free_port, insyn_bin};
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What a command printed and how it ended.
pub struct Ran {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `insyn ARGS…` with nothing on standard input.
pub fn insyn(args: &[&str]) -> anyhow::Result<Ran> {
    insyn_with(args, &[])
}

/// [`insyn`] with environment variables set.
pub fn insyn_with(args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<Ran> {
    let out = Command::new(insyn_bin())
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()?;
    Ok(Ran {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// [`insyn`] that must succeed; its standard output.
pub fn insyn_ok(args: &[&str]) -> anyhow::Result<String> {
    let r = insyn(args)?;
    anyhow::ensure!(
        r.status.success(),
        "insyn {args:?} failed ({}):\n{}{}",
        r.status,
        r.stdout,
        r.stderr
    );
    Ok(r.stdout)
}

/// One `GET` over a new connection; the whole answer as text.
pub fn http_get(addr: &str, path: &str, headers: &str) -> std::io::Result<String> {
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

/// `insyn serve` on a free port of 127.0.0.1.
pub struct Server {
    child: Child,
    /// host:port
    pub addr: String,
    /// http://host:port
    pub base: String,
}

impl Server {
    /// Starts the server on the database and waits until `/healthz` answers.
    pub fn start(database_url: &str, extra: &[&str]) -> anyhow::Result<Server> {
        let addr = format!("127.0.0.1:{}", free_port());
        let child = Command::new(insyn_bin())
            .args(["serve", "--addr", &addr, "--database-url", database_url])
            .args(["--mail-interval", "3600"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut server = Server {
            child,
            base: format!("http://{addr}"),
            addr,
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = http_get(&server.addr, "/healthz", "")
                && r.starts_with("HTTP/1.1 200")
            {
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                anyhow::bail!("insyn serve ended at start: {status}");
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(60),
                "insyn serve did not answer /healthz within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) -> anyhow::Result<()> {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?
            .success();
        anyhow::ensure!(ok, "kill -TERM failed");
        Ok(())
    }

    /// Waits up to `limit` for the process to end; its exit code.
    pub fn wait(&mut self, limit: Duration) -> anyhow::Result<Option<i32>> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status.code());
            }
            anyhow::ensure!(
                started.elapsed() < limit,
                "insyn serve still runs {} s after SIGTERM",
                limit.as_secs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, then the exit code (within 30 s).
    pub fn stop(mut self) -> anyhow::Result<Option<i32>> {
        self.terminate()?;
        self.wait(Duration::from_secs(30))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
