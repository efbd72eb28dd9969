//! The output-folder rule (issue 9): only a missing folder, an empty one or one a canhbao build
//! wrote (it holds `.canhbao-output`) is replaced; `--force` takes over any other folder except
//! the site, its sources, `/` and home; a symbolic link keeps pointing at its updated target;
//! what a killed build left beside the output is removed; `init` writes nothing when it would
//! overwrite a file. Every test runs in its own temporary folder.

mod common;

use std::fs;
use std::path::Path;

use common::{TestSite, snapshot};

const MARKER: &str = ".canhbao-output";

/// Runs `cmd`, asserts exit code 1 and returns stderr.
fn failing(mut cmd: assert_cmd::Command) -> String {
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "expected a refusal; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// A folder of someone else's files, next to the site.
fn foreign_folder(site: &TestSite) -> std::path::PathBuf {
    let folder = site.dir.join("tai-lieu");
    fs::create_dir_all(folder.join("con")).unwrap();
    fs::write(folder.join("luan-van.docx"), "years of work").unwrap();
    fs::write(folder.join("con/anh.jpg"), "a photo").unwrap();
    folder
}

#[test]
fn refuses_a_folder_canhbao_did_not_write_issue_9() {
    let site = TestSite::new("minimal");
    let folder = foreign_folder(&site);
    let before = snapshot(&site.dir);
    let stderr = failing(site.cmd_to(&folder));
    let expected = format!(
        "error: refusing to use `{}` as the output folder: it is not empty and was not written by canhbao (it has no `.canhbao-output` file); choose an empty or generated folder such as `public`\nhelp: the build would delete everything in it: pass --force to replace it anyway, or choose another folder",
        folder.display()
    );
    assert!(stderr.contains(&expected), "expected:\n{expected}\ngot:\n{stderr}");
    assert!(snapshot(&site.dir) == before, "files changed");
    assert_eq!(fs::read_to_string(folder.join("luan-van.docx")).unwrap(), "years of work");
}

#[test]
fn the_refusal_is_in_vietnamese_too_issue_9() {
    let site = TestSite::new("minimal");
    let folder = foreign_folder(&site);
    let mut cmd = site.cmd_to(&folder);
    cmd.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "vi_VN.UTF-8");
    let stderr = failing(cmd);
    let expected = format!(
        "lỗi: không dùng `{}` làm thư mục kết quả: thư mục đó không trống và không do canhbao tạo ra (không có tệp \
         `.canhbao-output`); hãy chọn một thư mục trống hoặc thư mục do canhbao tạo, ví dụ `public`\n\
         gợi ý: build sẽ xoá mọi thứ trong đó: dùng --force nếu vẫn muốn thay thế, hoặc chọn thư mục khác",
        folder.display()
    );
    assert!(stderr.contains(&expected), "expected:\n{expected}\ngot:\n{stderr}");
    assert_eq!(fs::read_to_string(folder.join("luan-van.docx")).unwrap(), "years of work");
}

#[test]
fn check_refuses_the_same_folder_issue_9() {
    let site = TestSite::new("minimal");
    let public = site.root.join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("ghi-chu.txt"), "mine").unwrap();
    let stderr = site.check_fails();
    assert!(stderr.contains("was not written by canhbao"), "{stderr}");
    assert!(public.join("ghi-chu.txt").is_file());
}

#[test]
fn accepts_a_missing_or_empty_folder_and_marks_it() {
    let site = TestSite::new("minimal");
    site.cmd().assert().success();
    assert!(site.exists("index.html"));
    assert!(site.read(MARKER).contains("canhbao"), "the output carries the marker");

    let empty = site.dir.join("trong");
    fs::create_dir_all(&empty).unwrap();
    site.cmd_to(&empty).assert().success();
    assert!(empty.join("index.html").is_file() && empty.join(MARKER).is_file());
}

#[test]
fn replaces_its_own_output_again_and_again() {
    let site = TestSite::new("minimal");
    site.cmd().assert().success();
    fs::write(site.path("stale.txt"), "left by hand").unwrap();
    site.cmd().assert().success();
    assert!(site.exists("index.html") && site.exists(MARKER));
    assert!(!site.exists("stale.txt"), "our own folder is replaced as a whole");
}

#[test]
fn the_marker_is_not_listed_anywhere() {
    let site = TestSite::new("minimal");
    site.build();
    let files = site.output();
    assert!(files.contains_key(MARKER));
    for (path, bytes) in &files {
        if path.ends_with(".html") || path.ends_with(".xml") || path.ends_with(".json") {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains(MARKER), "{path} mentions the marker");
        }
    }
}

#[test]
fn force_takes_over_a_foreign_folder_issue_9() {
    let site = TestSite::new("minimal");
    let folder = foreign_folder(&site);
    site.cmd_to(&folder).arg("--force").assert().success();
    assert!(folder.join("index.html").is_file() && folder.join(MARKER).is_file());
    assert!(!folder.join("luan-van.docx").exists());
    // Taken over once, it is ours: no --force needed any more.
    site.cmd_to(&folder).assert().success();
}

#[test]
fn force_still_refuses_the_site_its_sources_and_home_issue_9() {
    let site = TestSite::new("minimal");
    fs::write(site.dir.join("sentinel.txt"), "keep me").unwrap();
    let home = site.dir.join("home");
    fs::create_dir_all(&home).unwrap();
    fs::write(home.join("thu.txt"), "a letter").unwrap();
    let before = snapshot(&site.dir);
    for (out, reason) in [
        (site.root.clone(), "it holds the site itself"),
        (site.dir.clone(), "it holds the site itself"),
        (site.root.join("content"), "it is inside a source folder of the site"),
        (site.root.join("content/articles"), "it is inside a source folder of the site"),
        (home.clone(), "it is your home folder"),
        (Path::new("/").to_path_buf(), "it is the root of the file system"),
    ] {
        let mut cmd = site.cmd_to(&out);
        cmd.arg("--force").env("HOME", &home);
        let stderr = failing(cmd);
        assert!(stderr.contains(&format!("as the output folder: {reason}")), "{}: {stderr}", out.display());
    }
    assert!(snapshot(&site.dir) == before, "files changed");
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_updates_its_target_and_keeps_the_link_issue_9() {
    let site = TestSite::new("minimal");
    let target = site.dir.join("that-muc");
    site.cmd_to(&target).assert().success();
    let link = site.dir.join("public");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    fs::write(target.join("stale.txt"), "old").unwrap();

    site.cmd_to(&link).assert().success();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert_eq!(fs::read_link(&link).unwrap(), target);
    assert!(target.join("index.html").is_file() && target.join(MARKER).is_file());
    assert!(!target.join("stale.txt").exists(), "the target was replaced");
    let names: Vec<String> =
        fs::read_dir(&site.dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!names.iter().any(|n| n.contains(".canhbao-")), "{names:?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_foreign_folder_or_to_nothing_is_refused_issue_9() {
    let site = TestSite::new("minimal");
    let folder = foreign_folder(&site);
    let link = site.dir.join("public");
    std::os::unix::fs::symlink(&folder, &link).unwrap();
    let stderr = failing(site.cmd_to(&link));
    assert!(stderr.contains("was not written by canhbao"), "{stderr}");
    assert!(folder.join("luan-van.docx").is_file());

    let dangling = site.dir.join("public2");
    std::os::unix::fs::symlink(site.dir.join("khong-co"), &dangling).unwrap();
    let stderr = failing(site.cmd_to(&dangling));
    assert!(stderr.contains("it is a symbolic link to a folder that does not exist"), "{stderr}");
    assert!(fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
}

/// The id of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_nothing_the_next_build_keeps_issue_9() {
    let site = TestSite::new("minimal");
    site.cmd().assert().success();
    let dead = dead_pid();
    for which in ["new", "old"] {
        let left = site.dir.join(format!(".public.canhbao-{which}-{dead}"));
        fs::create_dir_all(left.join("canh-bao")).unwrap();
        fs::write(left.join("canh-bao/index.html"), "half a site").unwrap();
    }
    // Not ours to remove: a running process (pid 1), another output's name, a file.
    let running = site.dir.join(".public.canhbao-new-1");
    let other = site.dir.join(format!(".khac.canhbao-new-{dead}"));
    let file = site.dir.join(".public.canhbao-old-999999999");
    for dir in [&running, &other] {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("x.txt"), "x").unwrap();
    }
    fs::write(&file, "a file").unwrap();

    site.cmd().assert().success();
    assert!(!site.dir.join(format!(".public.canhbao-new-{dead}")).exists(), "staging folder left by a dead build");
    assert!(!site.dir.join(format!(".public.canhbao-old-{dead}")).exists(), "old output left by a dead build");
    assert!(running.join("x.txt").is_file() && other.join("x.txt").is_file() && file.is_file());
    assert!(site.exists("index.html"));
}

#[test]
fn init_refuses_without_writing_anything_issue_9() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("trang");
    fs::create_dir_all(dir.join("static")).unwrap();
    fs::write(dir.join("static/favicon.svg"), "<svg/>").unwrap();
    let before = snapshot(&dir);
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("canhbao");
    cmd.env("LC_ALL", "C").arg("init").arg(&dir);
    let stderr = failing(cmd);
    assert!(stderr.contains("static/favicon.svg` already exists; it was not overwritten"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(snapshot(&dir) == before, "init wrote something: {:?}", snapshot(&dir).keys().collect::<Vec<_>>());
    assert!(!dir.join("site.yaml").exists() && !dir.join("content").exists());
}
