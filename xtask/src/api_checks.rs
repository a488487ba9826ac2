//! The REST API against the connector's definition (`connector/apiDefinition.swagger.json`):
//! the definition checked by an independent OpenAPI 2.0 validator, then Schemathesis's checks
//! run against a live demo server with a token the sandbox issued, so that every status and
//! body the API gives is one the definition documents.

use std::fs;
use std::process::Command;
use std::time::Duration;

use crate::Result;
use crate::leptos::BIN_TARGET;
use crate::proc::{command, display, root, status};
use crate::python::tool;
use crate::server::{Server, free_port};
use crate::summary::Summary;
use crate::test::{check, header};

const DEFINITION: &str = "connector/apiDefinition.swagger.json";
/// A demo user whose organisation has records.
const CALLER: &str = "alex@contoso.example";

pub fn api_checks(s: &mut Summary) {
    s.step(
        "connector definition (openapi-spec-validator, OpenAPI 2.0)",
        check(
            command(tool("openapi-spec-validator"))
                .args(["--schema", "2.0"])
                .arg(root().join(DEFINITION)),
        ),
    );
    s.step(
        "REST API against the connector definition (schemathesis)",
        schemathesis(),
    );
}

fn schemathesis() -> Result {
    // Recreated each run and left behind: the database, the server's log, the reports.
    let dir = root().join("target/api-checks");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir)?;
    let port = free_port()?;
    let base_url = format!("http://localhost:{port}");
    let sandbox = format!("127.0.0.1:{}", free_port()?);
    let mut cmd = command(root().join("target/debug").join(BIN_TARGET));
    cmd.env(
        "DATABASE_URL",
        format!("sqlite://{}?mode=rwc", dir.join("api.db").display()),
    )
    .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
    .env("PUBLIC_URL", &base_url)
    .env("SANDBOX_ADDR", &sandbox)
    .env("SANDBOX_FLOW_ADDR", format!("127.0.0.1:{}", free_port()?))
    // Schemathesis calls far faster than a flow: its calls are not to be refused with 429.
    .env("API_REQUESTS_PER_MINUTE", "1000000")
    .env("RUST_LOG", "warn");
    let log = dir.join("server.log");
    header(&format!(
        "target/debug/{BIN_TARGET} on {base_url} for the API checks"
    ));
    let mut server = Server::start(cmd, port, &log)?;
    server.wait_ready(Duration::from_secs(60))?;

    let token = Command::new(tool("python"))
        .arg(root().join("tools/api_token.py"))
        .arg(format!("http://{sandbox}"))
        .arg(&base_url)
        .arg(CALLER)
        .output()?;
    if !token.status.success() {
        return Err(format!(
            "no API token from the sandbox: {}",
            String::from_utf8_lossy(&token.stderr)
        )
        .into());
    }
    let token = String::from_utf8(token.stdout)?.trim().to_owned();
    let mut st = command(tool("st"));
    st.arg("--config-file")
        .arg(root().join("tools/schemathesis.toml"))
        .args(["run", DEFINITION, "--url"])
        .arg(format!("{base_url}/api/v1"))
        .arg("--header")
        .arg(format!("Authorization: Bearer {token}"))
        // Which checks run is the config file's: all, save where it says otherwise.
        .args(["--workers", "1"])
        .arg("--report-dir")
        .arg(dir.join("reports"))
        .args(["--report", "junit"])
        .current_dir(root());
    // The token is not printed.
    header(&display(&st).replace(&token, "…"));
    let result = match status(&mut st)? {
        done if done.success() => Ok(()),
        done => Err(format!("exited with {done}").into()),
    };
    if result.is_err() {
        println!("--- last 30 lines of {} ---", server.log.display());
        println!("{}", server.log_tail(30));
    }
    result
}
