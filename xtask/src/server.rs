//! The server under test for Playwright: started in the background, awaited on
//! /readyz, and killed when the guard goes out of scope (also on an early return or a
//! panic).

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::Result;
use crate::proc::display;

pub struct Server {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

/// A port nobody listens on right now (the OS picks it; it stays free until the server
/// binds it, barring a rare race).
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

impl Server {
    /// Spawns `cmd` with stdout and stderr going to `log`.
    pub fn start(mut cmd: Command, port: u16, log: &Path) -> Result<Server> {
        let out = File::create(log)?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .map_err(|err| format!("cannot start `{}`: {err}", display(&cmd)))?;
        Ok(Server {
            child,
            port,
            log: log.to_path_buf(),
        })
    }

    /// Polls `GET /readyz` until it answers 200; fails at once if the server exits.
    pub fn wait_ready(&mut self, timeout: Duration) -> Result {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(format!("the server exited ({status}) before /readyz answered").into());
            }
            if http_status(self.port, "/readyz") == Some(200) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(
                    format!("/readyz did not answer 200 within {} s", timeout.as_secs()).into(),
                );
            }
            sleep(Duration::from_millis(250));
        }
    }

    /// The last `n` lines of the server's log.
    pub fn log_tail(&self, n: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The status code of `GET path` on 127.0.0.1:port, or `None` if nothing answers.
/// A few lines of HTTP/1.1 keep xtask free of an HTTP client dependency.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 256];
    while !head.contains(&b'\n') {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    // "HTTP/1.1 200 OK"
    String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
