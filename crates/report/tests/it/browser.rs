//! Headless Chromium, driven from the command line: `--dump-dom` gives the DOM after the page's
//! script ran, `--screenshot` a PNG. No network: the pages are files and load nothing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one Chromium run may take before the test fails.
const TIMEOUT: Duration = Duration::from_secs(90);

pub struct Browser {
    exe: PathBuf,
    /// Pages and Chromium profiles, removed when the browser is dropped.
    scratch: tempfile::TempDir,
}

/// The browser, or `None` (with a message) when Chromium is absent and `CHISO_REQUIRE_BROWSER`
/// is not set; with it set, a missing browser fails the test.
pub fn browser(test: &str) -> Option<Browser> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH")
                .into_iter()
                .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        });
    match found {
        Some(exe) => {
            let scratch = tempfile::Builder::new()
                .prefix(&format!("chiso-report-{test}-"))
                .tempdir()
                .expect("the system temp dir is writable");
            Some(Browser { exe, scratch })
        }
        None if std::env::var_os("CHISO_REQUIRE_BROWSER").is_some() => {
            panic!(
                "CHISO_REQUIRE_BROWSER is set but no chromium is on PATH: apt-get install -y chromium"
            )
        }
        None => {
            eprintln!(
                "SKIPPED {test}: chromium is not installed (set CHISO_REQUIRE_BROWSER=1 to make this a failure)"
            );
            None
        }
    }
}

impl Browser {
    /// Writes `html` to a file of the scratch directory and gives its path.
    pub fn page(&self, name: &str, html: &str) -> PathBuf {
        let path = self.scratch.path().join(name);
        std::fs::write(&path, html).expect("the scratch dir is writable");
        path
    }

    /// The `file://` address of a page, with an optional query.
    pub fn url(path: &Path, query: &str) -> String {
        let abs = std::fs::canonicalize(path).expect("the page was just written");
        format!("file://{}{query}", abs.display())
    }

    fn run(&self, profile: &str, args: &[String]) -> (Vec<u8>, Vec<u8>) {
        let profile = self.scratch.path().join(format!("profile-{profile}"));
        let mut cmd = Command::new(&self.exe);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--lang=en-US",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.exe.display()));
        let reader = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut buf);
                }
                buf
            })
        };
        let stdout = reader(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let stderr = reader(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let started = Instant::now();
        let status = loop {
            match child.try_wait().expect("chromium can be waited for") {
                Some(status) => break status,
                None if started.elapsed() > TIMEOUT => {
                    // Our own child, not yet reaped: its pid cannot have been reused.
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("chromium took more than {TIMEOUT:?}: {args:?}");
                }
                None => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        let stdout = stdout.join().expect("the stdout reader does not panic");
        let stderr = stderr.join().expect("the stderr reader does not panic");
        assert!(
            status.success(),
            "chromium failed ({status}): {}",
            String::from_utf8_lossy(&stderr)
        );
        (stdout, stderr)
    }

    /// The DOM after load and scripts, serialised.
    pub fn dump_dom(&self, url: &str) -> String {
        let (stdout, stderr) = self.run(
            "dom",
            &[
                "--virtual-time-budget=2000".into(),
                "--dump-dom".into(),
                url.into(),
            ],
        );
        let dom = String::from_utf8(stdout).expect("chromium dumps UTF-8");
        assert!(
            dom.contains("</html>"),
            "no DOM from chromium for {url}: {}",
            String::from_utf8_lossy(&stderr)
        );
        dom
    }

    /// A PNG of the page's top `width` × `height` pixels.
    pub fn screenshot(&self, url: &str, png: &Path, width: u32, height: u32) {
        if let Some(dir) = png.parent() {
            std::fs::create_dir_all(dir).expect("the screenshot directory can be made");
        }
        let _ = std::fs::remove_file(png);
        self.run(
            "shot",
            &[
                format!("--window-size={width},{height}"),
                "--virtual-time-budget=2000".into(),
                format!("--screenshot={}", png.display()),
                url.into(),
            ],
        );
        let bytes = std::fs::read(png)
            .unwrap_or_else(|e| panic!("no screenshot at {}: {e}", png.display()));
        assert!(
            bytes.starts_with(b"\x89PNG"),
            "{} is not a PNG",
            png.display()
        );
    }
}
