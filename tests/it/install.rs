//! `install.sh` against a local file server laid out as GitHub releases are: it installs
//! the binary and the labs of this machine's archive, and the installed labcheck finds its
//! labs from any folder; a download that does not match its checksum installs nothing.
//! The release workflow's archive names are the ones the script and `cargo binstall` ask for.

use crate::common;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// This machine's target, as install.sh names it.
fn target() -> Option<String> {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x86_64",
        "aarch64" => "aarch64",
        _ => return None,
    };
    match std::env::consts::OS {
        "linux" => Some(format!("{arch}-unknown-linux-musl")),
        "macos" => Some(format!("{arch}-apple-darwin")),
        _ => None,
    }
}

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A release as the workflow publishes it, under `root/releases/download/TAG/` and
/// `root/releases/latest/download/`: the archive (this build of labcheck and the labs)
/// and its `.sha256`.
fn publish(root: &Path, target: &str, tag: &str) {
    let staging = root.join("staging");
    let folder = staging.join(format!("labcheck-{target}"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(assert_cmd::cargo::cargo_bin("labcheck"), folder.join("labcheck")).unwrap();
    run(Command::new("cp").arg("-R").arg(common::repo().join("labs")).arg(&folder));
    let archive = format!("labcheck-{target}.tar.gz");
    run(Command::new("tar").current_dir(&staging).args(["czf", &archive, &format!("labcheck-{target}")]));
    let sum = run(Command::new("sha256sum").current_dir(&staging).arg(&archive));
    for dir in [format!("releases/download/{tag}"), "releases/latest/download".to_string()] {
        let dir = root.join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(staging.join(&archive), dir.join(&archive)).unwrap();
        std::fs::write(dir.join(format!("{archive}.sha256")), &sum.stdout).unwrap();
    }
}

/// A static file server on 127.0.0.1 for `root`, stopped when dropped.
struct FileServer {
    child: Child,
    url: String,
}

impl FileServer {
    fn start(root: &Path) -> FileServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1", &port.to_string(), "--directory"])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 on PATH");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the file server did not start in 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        FileServer { child, url: format!("http://127.0.0.1:{port}/releases") }
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// `sh install.sh` with only `env` and a plain PATH, from `cwd`.
fn install(home: &Path, env: &[(&str, &str)]) -> std::process::Output {
    std::fs::create_dir_all(home).unwrap();
    Command::new("sh")
        .arg(common::repo().join("install.sh"))
        .current_dir(home)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", home)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn install_script_installs_the_binary_and_labs_checked_against_the_checksum() {
    let Some(target) = target() else {
        eprintln!("skipped: install.sh has no build for {} {}", std::env::consts::OS, std::env::consts::ARCH);
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    publish(dir.path(), &target, "v9.9.9");
    let server = FileServer::start(dir.path());

    // The latest release, into ~/.local/bin and ~/.local/share/labcheck.
    let home = dir.path().join("home");
    let out = install(&home, &[("LABCHECK_RELEASES", &server.url)]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("add ") && said.contains(".local/bin to your PATH"), "{said}");
    let installed = home.join(".local/bin/labcheck");
    assert!(home.join(".local/share/labcheck/labs/skills.yaml").is_file(), "the labs are installed");
    // From a folder with no ./labs, the installed labcheck finds the installed labs.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let list = run(Command::new(&installed).arg("list").current_dir(&elsewhere).env_clear().env("HOME", &home));
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.contains("monitoring-metric-filter-alarm"), "{listed}");

    // A given version comes from its own tag.
    let pinned = dir.path().join("pinned");
    let out = install(&pinned, &[("LABCHECK_RELEASES", &server.url), ("LABCHECK_VERSION", "v9.9.9")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = install(&pinned, &[("LABCHECK_RELEASES", &server.url), ("LABCHECK_VERSION", "v0.0.1")]);
    assert!(!out.status.success(), "no such release");
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not download"), "{out:?}");

    // A download that is not what the checksum says installs nothing.
    let sum = dir.path().join(format!("releases/latest/download/labcheck-{target}.tar.gz.sha256"));
    std::fs::write(&sum, format!("{}  labcheck-{target}.tar.gz\n", "0".repeat(64))).unwrap();
    let tampered = dir.path().join("tampered");
    let out = install(&tampered, &[("LABCHECK_RELEASES", &server.url)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match its checksum"), "{out:?}");
    assert!(!tampered.join(".local/bin/labcheck").exists(), "nothing installed");
    drop(server);
}

/// `cargo binstall labcheck` reads Cargo.toml's [package.metadata.binstall]: it asks for
/// the archive names the release workflow publishes, with the binary inside the folder
/// the workflow packs.
#[test]
fn binstall_metadata_names_the_release_archives() {
    let out = run(Command::new(env!("CARGO"))
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(common::repo()));
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let binstall = &metadata["packages"][0]["metadata"]["binstall"];
    assert_eq!(binstall["pkg-url"], "{ repo }/releases/download/v{ version }/labcheck-{ target }.tar.gz");
    assert_eq!(binstall["bin-dir"], "labcheck-{ target }/{ bin }{ binary-ext }");
    assert_eq!(binstall["pkg-fmt"], "tgz");
    let windows = &binstall["overrides"]["x86_64-pc-windows-msvc"];
    assert_eq!(windows["pkg-url"], "{ repo }/releases/download/v{ version }/labcheck-{ target }.zip");
    assert_eq!(windows["pkg-fmt"], "zip");
    let workflow = std::fs::read_to_string(common::repo().join(".github/workflows/release.yml")).unwrap();
    for packed in
        ["name=\"labcheck-$TARGET\"", "\"$name.tar.gz\"", "\"$name.zip\"", "cp -R labs README.md \"dist/$name/\""]
    {
        assert!(workflow.contains(packed), "the release workflow packs {packed}");
    }
    let script = std::fs::read_to_string(common::repo().join("install.sh")).unwrap();
    assert!(script.contains("archive=\"labcheck-$target.tar.gz\""), "install.sh asks for the same archive");
}
