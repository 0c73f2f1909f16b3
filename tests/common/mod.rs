//! Shared by the integration tests: the emulator endpoints and the binary.
#![allow(dead_code)]

use std::path::PathBuf;

/// The endpoint of an emulator the test command started, from `var`.
/// `bash tests/run.sh` starts both emulators and sets these variables.
pub fn endpoint(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: run the suite with `bash tests/run.sh`, which installs and starts the emulators")
    })
}

pub fn moto() -> String {
    endpoint("LABCHECK_MOTO_ENDPOINT")
}

pub fn localstack() -> String {
    endpoint("LABCHECK_LOCALSTACK_ENDPOINT")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The labcheck binary, run from the repository root with emulator-style credentials
/// and nothing of the caller's AWS environment.
pub fn labcheck() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("labcheck").expect("binary");
    cmd.current_dir(repo());
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") || key == "LABCHECK_LABS" || key == "NO_COLOR" {
            cmd.env_remove(key);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "test").env("AWS_SECRET_ACCESS_KEY", "test").env("AWS_REGION", "us-east-1");
    cmd.env("AWS_CONFIG_FILE", "/dev/null").env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    cmd
}
