//! Reading lab files from disk: discovery, parsing, and validation, with every problem
//! reported against its file and line.

use super::locate::Locator;
use super::skills::Outline;
use super::validate::validate_lab;
use super::{Diagnostic, Lab};
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing: no lab is anywhere near it.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// How deep below the labs folder lab files are looked for.
const MAX_DEPTH: usize = 6;

/// What a labs folder holds: the labs that loaded, the outline, and every problem found.
#[derive(Debug, Default)]
pub struct LoadedLabs {
    pub labs: Vec<Lab>,
    pub outline: Option<Outline>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedLabs {
    /// The lab with this id, or whose folder or file is this path.
    pub fn find(&self, wanted: &str) -> Option<&Lab> {
        self.labs.iter().find(|l| l.id == wanted).or_else(|| {
            let wanted = std::fs::canonicalize(wanted).ok()?;
            self.labs.iter().find(|l| {
                let file = std::fs::canonicalize(&l.file).ok();
                file.as_deref() == Some(wanted.as_path())
                    || file.as_deref().and_then(Path::parent) == Some(wanted.as_path())
            })
        })
    }
}

/// Read a text file, refusing what is too large or not UTF-8.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let whole =
        |message: String| Diagnostic { file: path.to_path_buf(), line: None, col: None, field: String::new(), message };
    let meta = std::fs::metadata(path).map_err(|e| whole(format!("cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(whole(format!("file is {} bytes; the limit is {MAX_FILE_BYTES}", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| whole(format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|_| whole("not UTF-8 text".into()))
}

/// Deepest `[`/`{` nesting accepted. The YAML parser's time grows with the square of the
/// flow nesting depth, so a hostile file of brackets is refused before it is parsed.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Parse YAML text into `T`, turning serde's error into a diagnostic with a line.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    if let Some((line, col)) = too_deep(text) {
        return Err(Diagnostic {
            file: path.to_path_buf(),
            line: Some(line),
            col: Some(col),
            field: String::new(),
            message: format!("nested deeper than {MAX_FLOW_DEPTH} levels of [ ] or {{ }}"),
        });
    }
    serde_yaml::from_str(text).map_err(|err| yaml_diagnostic(path, text, &err))
}

/// Where flow nesting first passes [`MAX_FLOW_DEPTH`], ignoring quoted text and comments.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q && !(q == '"' && prev == '\\') => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if prev.is_whitespace() || "[{,:".contains(prev) => quote = Some(c),
                (None, '#') if prev.is_whitespace() => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some((n + 1, col + 1));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            prev = c;
        }
    }
    None
}

fn yaml_diagnostic(path: &Path, text: &str, err: &serde_yaml::Error) -> Diagnostic {
    let message = err.to_string();
    // serde_yaml says "checks[1]: unknown field `kindd`, expected one of ... at line 5 column 5".
    let (field, rest) = match message.split_once(": ") {
        Some((f, rest)) if !f.contains(' ') && !f.is_empty() => (f.to_string(), rest.to_string()),
        _ => (String::new(), message.clone()),
    };
    let rest = match rest.rfind(" at line ") {
        Some(i) => rest[..i].to_string(),
        None => rest,
    };
    let (line, col) = match err.location() {
        Some(loc) => (Some(loc.line()), Some(loc.column())),
        None => match Locator::new(text).find(&field) {
            Some(p) => (Some(p.line), Some(p.col)),
            None => (None, None),
        },
    };
    let message = suggest_field(&rest).unwrap_or(rest);
    Diagnostic { file: path.to_path_buf(), line, col, field, message }
}

/// "unknown field `kindd`, expected one of `a`, `kind`" → add "did you mean `kind`?".
fn suggest_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = super::diagnostic::did_you_mean(unknown, candidates.iter().copied())?;
    Some(format!("unknown field `{unknown}` (did you mean `{best}`?); allowed: {}", candidates.join(", ")))
}

/// Load the outline (`skills.yaml`) from `dir` or the nearest folder above it.
pub fn find_outline(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_file() { start.parent()?.to_path_buf() } else { start.to_path_buf() };
    for _ in 0..4 {
        let candidate = dir.join("skills.yaml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = dir.parent()?.to_path_buf();
    }
    None
}

/// The outline for the labs at `root`, when there is one; a broken one is a diagnostic.
fn load_outline(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Outline> {
    let skills = find_outline(root)?;
    read_text(&skills).and_then(|text| parse_yaml::<Outline>(&skills, &text)).map_err(|d| diagnostics.push(d)).ok()
}

fn find_lab_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    // The entry's own type (no further stat; a symlink is not followed into).
    let mut entries: Vec<_> =
        entries.filter_map(Result::ok).map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir()))).collect();
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir && depth < MAX_DEPTH {
            find_lab_files(&path, depth + 1, out);
        } else if path.file_name().is_some_and(|n| n == "lab.yaml") {
            out.push(path);
        }
    }
}

/// Load one lab file, validated against the outline.
pub fn load_lab_file(path: &Path, outline: Option<&Outline>) -> Result<Lab, Vec<Diagnostic>> {
    let text = read_text(path).map_err(|d| vec![d])?;
    let mut lab: Lab = parse_yaml(path, &text).map_err(|d| vec![d])?;
    lab.file = path.to_path_buf();
    let problems = validate_lab(&lab, &text, outline);
    if problems.is_empty() { Ok(lab) } else { Err(problems) }
}

/// labcheck's data folder: `$XDG_DATA_HOME/labcheck`, else `~/.local/share/labcheck`,
/// else `%LOCALAPPDATA%\labcheck`. Installed labs and the progress history live there.
pub fn data_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let data =
        var("XDG_DATA_HOME").or_else(|| var("HOME").map(|h| h.join(".local/share"))).or_else(|| var("LOCALAPPDATA"));
    data.map(|d| d.join("labcheck"))
}

/// Where the labs are when neither `--labs` nor `LABCHECK_LABS` says: `./labs` (a
/// checkout of the repository, a lab author's folder), else the labs `install.sh` put in
/// the data folder (`$XDG_DATA_HOME/labcheck/labs`, `~/.local/share/labcheck/labs`, on
/// Windows `%LOCALAPPDATA%\labcheck\labs`), else beside the binary (an unpacked release
/// archive). `./labs` when none is there, so the error names the usual place.
pub fn default_root() -> PathBuf {
    let here = PathBuf::from("labs");
    if here.is_dir() {
        return here;
    }
    let installed = data_dir().map(|d| d.join("labs"));
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join("labs")));
    installed.into_iter().chain(beside).find(|d| d.is_dir()).unwrap_or(here)
}

/// Load every lab under `root` (a labs folder, a lab folder, or a lab file).
pub fn load_labs(root: &Path) -> LoadedLabs {
    let mut loaded = LoadedLabs::default();
    if !root.exists() {
        loaded.diagnostics.push(Diagnostic {
            file: root.to_path_buf(),
            line: None,
            col: None,
            field: String::new(),
            message: "no such file or folder".into(),
        });
        return loaded;
    }
    loaded.outline = load_outline(root, &mut loaded.diagnostics);
    let mut files = Vec::new();
    if root.is_file() {
        files.push(root.to_path_buf());
    } else {
        find_lab_files(root, 0, &mut files);
    }
    for file in files {
        match load_lab_file(&file, loaded.outline.as_ref()) {
            Ok(lab) => {
                if let Some(first) = loaded.labs.iter().find(|l| l.id == lab.id) {
                    let text = read_text(&file).unwrap_or_default();
                    let pos = Locator::new(&text).find("id");
                    loaded.diagnostics.push(Diagnostic {
                        file: file.clone(),
                        line: pos.map(|p| p.line),
                        col: pos.map(|p| p.col),
                        field: "id".into(),
                        message: format!("duplicate lab id `{}` (also in {})", lab.id, first.file.display()),
                    });
                } else {
                    loaded.labs.push(lab);
                }
            }
            Err(problems) => loaded.diagnostics.extend(problems),
        }
    }
    loaded.diagnostics.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    loaded
}

/// The labs `wanted` names (ids, or lab folders or files) from under `root`, without
/// parsing or validating the others: a lab file's top-level `id:` line tells whether it
/// is one of them. Whenever that is not certain (a wanted id found on no file or on
/// several, a path), everything is loaded as [`load_labs`] does, so what is found and
/// what is reported (did-you-mean, duplicate ids) stays the same.
pub fn load_wanted(root: &Path, wanted: &[String]) -> LoadedLabs {
    if wanted.is_empty() || !root.is_dir() {
        return load_labs(root);
    }
    let mut files = Vec::new();
    find_lab_files(root, 0, &mut files);
    let ids: Vec<Option<String>> = files.iter().map(|f| top_level_id(f)).collect();
    let mut chosen = Vec::new();
    for w in wanted {
        let hits: Vec<&PathBuf> =
            files.iter().zip(&ids).filter(|(_, id)| id.as_deref() == Some(w)).map(|(f, _)| f).collect();
        match hits.as_slice() {
            [file] if !chosen.contains(*file) => chosen.push((*file).clone()),
            [_] => {}
            _ => return load_labs(root),
        }
    }
    let mut loaded = LoadedLabs::default();
    loaded.outline = load_outline(root, &mut loaded.diagnostics);
    if !loaded.diagnostics.is_empty() {
        return load_labs(root);
    }
    for file in chosen {
        match load_lab_file(&file, loaded.outline.as_ref()) {
            Ok(lab) => loaded.labs.push(lab),
            Err(problems) => loaded.diagnostics.extend(problems),
        }
    }
    loaded
}

/// The value of a lab file's top-level `id:` line, quotes and comment removed.
fn top_level_id(file: &Path) -> Option<String> {
    let text = read_text(file).ok()?;
    let line = text.lines().find(|l| l.starts_with("id:"))?;
    let value = line["id:".len()..].split(" #").next()?.trim();
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    (!value.is_empty()).then(|| value.to_string())
}

/// Load a single lab folder (used by `selftest` and tests).
pub fn load_lab_dir(dir: &Path) -> Result<Lab, Vec<Diagnostic>> {
    let outline = find_outline(dir).and_then(|p| read_text(&p).ok().and_then(|t| parse_yaml::<Outline>(&p, &t).ok()));
    load_lab_file(&dir.join("lab.yaml"), outline.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_gets_a_suggestion_and_a_line() {
        let text = "id: a\ntitle: t\nsummary: s\nchecks:\n  - id: c\n    title: t\n    kindd: logs.log_group\n";
        let d = parse_yaml::<Lab>(Path::new("lab.yaml"), text).unwrap_err();
        assert_eq!(d.line, Some(7), "{d}");
        assert_eq!(d.field, "checks[0]");
        assert!(d.message.contains("did you mean `kind`?"), "{d}");
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let text = format!("id: a\nchecks: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let d = parse_yaml::<Lab>(Path::new("lab.yaml"), &text).unwrap_err();
        assert_eq!((d.line, d.col), (Some(2), Some(MAX_FLOW_DEPTH + 9)), "{d}");
        assert!(d.message.contains("nested deeper than 64"), "{d}");
        // Brackets in quotes, comments and balanced JMESPath paths do not count.
        let fine = "a: \"[[[[\"\nb: '{{{{' # [[[[\nc: Stages[0].actions[?x == `1`]\n";
        assert_eq!(too_deep(&fine.repeat(40)), None);
    }

    #[test]
    fn named_labs_load_alone_and_anything_uncertain_loads_everything() {
        let labs = Path::new(env!("CARGO_MANIFEST_DIR")).join("labs");
        let all = load_labs(&labs);
        let one = load_wanted(&labs, &["monitoring-metric-filter-alarm".into()]);
        assert_eq!(one.labs.len(), 1);
        assert!(one.diagnostics.is_empty() && one.outline.is_some());
        let same = all.find("monitoring-metric-filter-alarm").unwrap();
        assert_eq!(format!("{:?}", one.labs[0]), format!("{same:?}"), "the same lab as a full load gives");
        // A misspelt id, or a folder: the full load, with everything it can tell.
        assert_eq!(load_wanted(&labs, &["monitoring-metric-filter-alarn".into()]).labs.len(), all.labs.len());
        let folder = labs.join("monitoring/metric-filter-alarm").display().to_string();
        assert_eq!(load_wanted(&labs, &[folder]).labs.len(), all.labs.len());

        // Two files with the id: the full load, which reports both.
        let dir = tempfile::tempdir().unwrap();
        for name in ["a", "b"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
            let text = "id: \"same\" # a comment\ntitle: t\nsummary: s\nchecks: []\n";
            std::fs::write(dir.path().join(name).join("lab.yaml"), text).unwrap();
        }
        assert_eq!(top_level_id(&dir.path().join("a/lab.yaml")).as_deref(), Some("same"));
        let dup = load_wanted(dir.path(), &["same".into()]);
        assert_eq!(dup.diagnostics, load_labs(dir.path()).diagnostics, "both files, as the full load reports them");
        assert!(dup.diagnostics.iter().any(|d| d.file.ends_with("b/lab.yaml")));
    }

    #[test]
    fn wrong_type_names_the_field() {
        let text = "id: a\ntitle: t\nsummary: s\nchecks:\n  - id: c\n    title: t\n    kind: x\n    points: many\n";
        let d = parse_yaml::<Lab>(Path::new("lab.yaml"), text).unwrap_err();
        assert_eq!(d.line, Some(8), "{d}");
        assert!(d.field.starts_with("checks[0]"), "{d}");
    }
}
