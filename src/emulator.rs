//! The one place labcheck writes: a local AWS emulator, proven local before anything runs.
//!
//! `labcheck selftest` runs the labs' solution scripts, which create resources. Three
//! layers keep those writes (and selftest's own AssumeRole calls) on this machine:
//!
//! 1. [`check_local_endpoint`]: the endpoint must be `localhost` or a loopback IP
//!    literal, parsed with a URL parser and written in its one canonical spelling, so
//!    that no other parser (the AWS CLI's, the SDK's) can read it as another host.
//! 2. [`Emulator::new`] pins that endpoint for every SDK client: a service-specific
//!    endpoint from the environment or a profile (`AWS_ENDPOINT_URL_STS`, a profile's
//!    `services` section) would otherwise win over it.
//! 3. [`Emulator::script_command`] runs scripts with no `AWS_*` variable inherited and
//!    no shared config or credentials file, so the AWS CLI sees only the emulator's
//!    endpoint and the scenario's keys.

use aws_types::SdkConfig;
use aws_types::origin::Origin;
use std::path::Path;
use url::{Host, Url};

/// Why `raw` is not an endpoint on this machine; `Ok` when it is.
///
/// Accepted: `http` or `https`, host `localhost`, a 127.0.0.0/8 address or `[::1]`, an
/// optional port, an optional trailing `/`, in the spelling the URL standard gives it
/// (case aside). Everything else is refused, even where it would reach this machine
/// (`http://127.1`, `http://%6Cocalhost`): parsers disagree on such forms, and the
/// guard must read the URL as every client that later receives it does.
pub fn check_local_endpoint(raw: &str) -> Result<(), String> {
    let url = Url::parse(raw).map_err(|e| format!("`{raw}` is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{raw}` is not an http:// or https:// URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("`{raw}` has user information before an `@`: the host is what follows it"));
    }
    let local = match url.host() {
        Some(Host::Domain(name)) => name == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let host = url.host_str().unwrap_or_default();
    if !local {
        return Err(format!("`{raw}` names the host `{host}`, which is not localhost or a loopback address"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`{raw}` has a path, query or fragment; an endpoint is scheme://host:port"));
    }
    let canonical = url.as_str().strip_suffix('/').unwrap_or(url.as_str());
    let given = raw.strip_suffix('/').unwrap_or(raw);
    // The URL standard drops a scheme's default port; `http://localhost:80` is plain too.
    let with_default_port = url.port_or_known_default().map(|port| format!("{}://{host}:{port}", url.scheme()));
    if given.eq_ignore_ascii_case(canonical) || with_default_port.is_some_and(|c| given.eq_ignore_ascii_case(&c)) {
        Ok(())
    } else {
        Err(format!("`{raw}` is not written plainly; write it as {canonical}"))
    }
}

/// What an emulator said to a request to clone an account (see [`Emulator::clone_account`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cloned {
    /// The target account now holds a copy of the source's state in these services.
    Services(Vec<String>),
    /// The emulator has no such endpoint (LocalStack, or moto without labcheck's extension).
    Unsupported,
}

/// The moto extension's endpoint (`localstack/moto_ext/account_clone.py`). Not an AWS API.
const CLONE_ACCOUNT_PATH: &str = "/_labcheck/clone-account";

/// An SDK configuration whose every client is known to talk to a local emulator.
#[derive(Clone, Debug)]
pub struct Emulator {
    conf: SdkConfig,
    endpoint: String,
}

impl Emulator {
    /// Accept `conf` if its endpoint is local, and pin that endpoint for every service.
    pub fn new(conf: SdkConfig) -> Result<Self, String> {
        let endpoint = conf.endpoint_url().ok_or("no endpoint URL is set, so requests would go to real AWS")?;
        check_local_endpoint(endpoint)?;
        let endpoint = endpoint.to_string();
        let mut builder = conf.into_builder();
        // A programmatic origin makes each service client take this endpoint over a
        // service-specific one from the environment or a profile.
        builder.insert_origin("endpoint_url", Origin::shared_config());
        Ok(Emulator { conf: builder.build(), endpoint })
    }

    pub fn conf(&self) -> &SdkConfig {
        &self.conf
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// `bash` with `args`, in `dir`, with `env` as the only AWS settings it has: every
    /// inherited `AWS_*` variable is removed and the shared config and credentials files
    /// are replaced by empty ones. `env` should carry the keys, the Region and
    /// `AWS_ENDPOINT_URL` (this emulator's endpoint is set when it does not).
    pub fn script_command(&self, args: &[&str], dir: &Path, env: &[(String, String)]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new("bash");
        cmd.args(args).current_dir(dir).stdin(std::process::Stdio::null()).kill_on_drop(true);
        for (key, _) in std::env::vars_os() {
            if key.to_str().is_some_and(|k| k.starts_with("AWS_")) {
                cmd.env_remove(key);
            }
        }
        cmd.env("AWS_CONFIG_FILE", "/dev/null").env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        cmd.env("AWS_ENDPOINT_URL", &self.endpoint);
        cmd.envs(env.iter().filter(|(k, _)| k != "AWS_ENDPOINT_URL").map(|(k, v)| (k.as_str(), v.as_str())));
        cmd
    }

    /// Replace `target`'s state with a copy of `source`'s, where the emulator offers it:
    /// selftest then starts a near miss from a solved account instead of re-running the
    /// solution. Only over plain HTTP, to the endpoint the guard accepted.
    pub async fn clone_account(&self, source: &str, target: &str) -> Result<Cloned, String> {
        use http_body_util::{BodyExt, Full};
        use hyper_util::client::legacy::Client;
        use hyper_util::rt::TokioExecutor;

        if !self.endpoint.starts_with("http://") {
            return Ok(Cloned::Unsupported);
        }
        let url = format!("{}{CLONE_ACCOUNT_PATH}", self.endpoint.trim_end_matches('/'));
        let body = serde_json::json!({ "source": source, "target": target }).to_string();
        let request = hyper::Request::post(&url)
            .header("content-type", "application/json")
            .body(Full::new(bytes::Bytes::from(body)))
            .map_err(|e| format!("cloning account {source}: {e}"))?;
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<bytes::Bytes>>();
        let response = client.request(request).await.map_err(|e| format!("cloning account {source}: {e}"))?;
        let status = response.status();
        let body = response.into_body().collect().await.map_err(|e| format!("cloning account {source}: {e}"))?;
        let answer: serde_json::Value = serde_json::from_slice(&body.to_bytes()).unwrap_or_default();
        match (status.as_u16(), answer.get("services"), answer.get("error")) {
            (200, Some(services), _) => {
                Ok(Cloned::Services(serde_json::from_value(services.clone()).unwrap_or_default()))
            }
            (400 | 500, _, Some(error)) => {
                Err(format!("the emulator could not clone account {source}: {}", error.as_str().unwrap_or_default()))
            }
            _ => Ok(Cloned::Unsupported),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_localhost_and_loopback_literals() {
        for url in [
            "http://localhost:4566",
            "http://localhost:4566/",
            "https://localhost",
            "HTTP://LOCALHOST:5123",
            "http://127.0.0.1:5123",
            "http://127.0.0.1",
            "http://127.1.2.3:80",
            "http://[::1]:4566",
            "http://[::1]",
            "http://localhost:80",
            "https://localhost:443/",
        ] {
            assert_eq!(check_local_endpoint(url), Ok(()), "{url}");
        }
    }

    /// Each of these is refused, and the reason names what is wrong with it.
    #[test]
    fn refuses_hostile_and_remote_urls() {
        let cases = [
            // user information: the host is sts.amazonaws.com
            ("http://127.0.0.1@sts.amazonaws.com", "user information"),
            ("http://localhost:4566@sts.amazonaws.com", "user information"),
            ("http://user:pw@localhost:4566", "user information"),
            // hostnames that start like a loopback address or localhost
            ("http://127.attacker.example", "not localhost"),
            ("http://127.0.0.1.nip.io:4566", "not localhost"),
            ("http://localhost.attacker.example", "not localhost"),
            ("http://localhost.:4566", "not localhost"),
            ("http://127.0.0.1.:4566", "not written plainly"),
            // remote addresses and hosts
            ("https://sts.amazonaws.com", "not localhost"),
            ("http://10.0.0.1:4566", "not localhost"),
            ("http://0.0.0.0:4566", "not localhost"),
            ("http://[::]:4566", "not localhost"),
            ("http://[::ffff:10.0.0.1]:4566", "not localhost"),
            ("http://[2001:db8::1]:4566", "not localhost"),
            // no scheme, or not HTTP
            ("127.0.0.1:4566", "not an absolute URL"),
            ("localhost:4566", "not an http"),
            ("//localhost:4566", "not an absolute URL"),
            ("ftp://localhost", "not an http"),
            ("file:///tmp/x", "not an http"),
            // spellings other parsers may read as another host
            ("http://%6Cocalhost:4566", "not written plainly"),
            ("http://127.0.0.1%2f@sts.amazonaws.com", "user information"),
            ("http://127.1:4566", "not written plainly"),
            ("http://2130706433:4566", "not written plainly"),
            ("http://0x7f.0.0.1:4566", "not written plainly"),
            ("http://127.0.0.1\\@sts.amazonaws.com", "path"),
            ("http://[0:0:0:0:0:0:0:1]:4566", "not written plainly"),
            ("http://localhost:04566", "not written plainly"),
            (" http://localhost:4566", "not written plainly"),
            ("http://local\thost:4566", "not written plainly"),
            ("http://localhost:4566\n", "not written plainly"),
            // more than scheme://host:port
            ("http://localhost:4566/path", "path"),
            ("http://localhost:4566?x=1", "query"),
            ("http://localhost:4566#x", "fragment"),
            ("", "not an absolute URL"),
        ];
        for (url, why) in cases {
            match check_local_endpoint(url) {
                Ok(()) => panic!("{url:?} was accepted"),
                Err(reason) => assert!(reason.contains(why), "{url:?}: {reason:?} does not say {why:?}"),
            }
        }
    }

    #[test]
    fn a_config_without_a_local_endpoint_is_no_emulator() {
        let conf = |url: Option<&str>| {
            let mut b = SdkConfig::builder().behavior_version(aws_config::BehaviorVersion::latest());
            b.set_endpoint_url(url.map(str::to_string));
            b.build()
        };
        assert!(Emulator::new(conf(None)).unwrap_err().contains("real AWS"));
        assert!(Emulator::new(conf(Some("http://127.0.0.1@sts.amazonaws.com"))).is_err());
        let emulator = Emulator::new(conf(Some("http://127.0.0.1:5123"))).expect("local");
        assert_eq!(emulator.endpoint(), "http://127.0.0.1:5123");
        assert!(emulator.conf().get_origin("endpoint_url").is_client_config());
    }
}
