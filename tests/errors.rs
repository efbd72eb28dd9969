//! Invalid sites (`tests/fixtures/invalid/<case>/`): the binary exits with code 1 and prints
//! `error: path:line:column: message` and `  help: ...` lines an editor can act on. The texts
//! asserted here are the ones users see; change them on purpose only.

mod common;

use canhbao::ContentErrors;
use common::TestSite;

/// Runs the binary on `site`, expects exit code 1 and every line of `expected` as a whole line
/// of stderr; returns stderr.
fn assert_errors(site: &TestSite, expected: &[&str]) -> String {
    let stderr = site.fail();
    for line in expected {
        assert!(stderr.lines().any(|l| l == *line), "missing line:\n{line}\nin stderr:\n{stderr}");
    }
    stderr
}

fn failed_with(n: usize) -> String {
    let problems = if n == 1 { "problem" } else { "problems" };
    format!("error: build failed with {n} {problems}; the output folder was not changed")
}

#[test]
fn malformed_yaml() {
    let site = TestSite::new("invalid/malformed_yaml");
    assert_errors(&site, &["error: content/articles/hong.md:2:8: unclosed quote", &failed_with(1)]);
}

#[test]
fn missing_title() {
    let site = TestSite::new("invalid/missing_title");
    // Issue 9: reported where the front matter starts, with the field to add, not at the line of
    // an unrelated key (serde-saphyr only knows where the mapping ended).
    assert_errors(
        &site,
        &[
            "error: content/articles/thieu-tieu-de.md:1:1: missing field `title`",
            "  = help: add a line `title: …` with the other fields",
            &failed_with(1),
        ],
    );
}

#[test]
fn empty_title_and_missing_front_matter() {
    let site = TestSite::new("minimal");
    site.write("content/articles/trong.md", "---\ntitle: \"  \"\ndate: 2024-05-08\n---\nNội dung.\n");
    site.write("content/articles/khong-fm.md", "Chỉ có nội dung.\n");
    site.write("content/articles/rong.md", "---\n---\nNội dung.\n");
    assert_errors(
        &site,
        &[
            "error: content/articles/trong.md:2:1: title is empty",
            "error: content/articles/khong-fm.md:1:1: missing front matter: the file must start with a line `---`, \
             then the YAML fields, then `---`",
            "error: content/articles/rong.md:2:1: front matter is empty: `title` and the other fields are missing",
            &failed_with(3),
        ],
    );
}

#[test]
fn bad_date() {
    let site = TestSite::new("invalid/bad_date");
    assert_errors(
        &site,
        &[
            "error: content/articles/sai-ngay.md:3:7: date `2024-02-30` is not a valid date",
            "  = help: write dates as YYYY-MM-DD, e.g. 2024-05-08, or 2024-05-08T09:30:00+07:00",
            &failed_with(1),
        ],
    );
}

#[test]
fn unknown_front_matter_field() {
    let site = TestSite::new("invalid/unknown_field");
    let stderr = assert_errors(&site, &["  = help: did you mean `title`?", &failed_with(1)]);
    // The list of valid fields grows with the code; its start is enough here.
    let prefix = "error: content/articles/sai-truong.md:2:1: unknown field `titel`, expected one of title, date,";
    assert!(stderr.lines().any(|l| l.starts_with(prefix)), "{stderr}");
}

#[test]
fn unknown_site_yaml_field() {
    let site = TestSite::new("minimal");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replace("hotline:", "paginateby: 3\nhotline:"));
    let stderr = assert_errors(&site, &["  = help: did you mean `paginate_by`?", &failed_with(1)]);
    let prefix = "error: site.yaml:4:1: unknown field `paginateby`, expected one of title, description,";
    assert!(stderr.lines().any(|l| l.starts_with(prefix)), "{stderr}");
}

#[test]
fn unknown_scam_type_suggests_the_nearest() {
    let site = TestSite::new("invalid/unknown_scam");
    assert_errors(
        &site,
        &[
            "error: content/articles/sai-thu-doan.md:4:18: unknown scam type \"gia-danh-cong-ann\"",
            "  = help: did you mean \"gia-danh-cong-an\"?",
            &failed_with(1),
        ],
    );
}

#[test]
fn url_collision_names_both_files() {
    let site = TestSite::new("invalid/url_collision");
    assert_errors(
        &site,
        &[
            "error: content/articles/cong-an-gia.md: URL `/canh-bao/gia-danh-cong-an/` is used by both \
             `content/articles/gia-danh-cong-an.md` and `content/articles/cong-an-gia.md`",
            "help: give one of them another `slug` (or remove the alias)",
            &failed_with(1),
        ],
    );
}

#[test]
fn alias_collision_names_the_alias_line() {
    let site = TestSite::new("minimal");
    site.write(
        "content/articles/bi-danh.md",
        "---\ntitle: \"Bí danh\"\ndate: 2024-01-01\naliases: [\"/canh-bao/bai-mau/\"]\n---\nNội dung.\n",
    );
    assert_errors(
        &site,
        &[
            "error: content/articles/bi-danh.md:4:1: URL `/canh-bao/bai-mau/` is used by both \
             `content/articles/bai-mau.md` and `content/articles/bi-danh.md:4`",
            &failed_with(1),
        ],
    );
}

#[test]
fn broken_internal_link() {
    let site = TestSite::new("invalid/broken_link");
    assert_errors(
        &site,
        &[
            "error: content/articles/lien-ket-hong.md:7:14: broken link `khong-co.md#muc`: no article or page at \
             `content/articles/khong-co.md`",
            &failed_with(1),
        ],
    );
}

#[test]
fn link_to_a_draft() {
    let site = TestSite::new("drafts");
    let source = std::fs::read_to_string(site.root.join("content/articles/da-dang.md")).unwrap();
    site.write("content/articles/da-dang.md", format!("{source}\nXem [bản nháp](ban-nhap.md).\n"));
    assert_errors(
        &site,
        &[
            "error: content/articles/da-dang.md:7:5: broken link `ban-nhap.md`: no article or page at \
             `content/articles/ban-nhap.md`",
            "  = help: the target is a draft: publish it, or build with --drafts",
            &failed_with(1),
        ],
    );
    site.cmd().arg("--drafts").assert().success();
}

#[test]
fn template_syntax_error_names_the_site_template() {
    let site = TestSite::new("invalid/template_error");
    assert_errors(&site, &["error: template error: Found `}` but expected }}.", " --> templates/article.html:5:23"]);
}

#[test]
fn non_utf8_file() {
    let site = TestSite::new("invalid/non_utf8");
    site.write("content/articles/hong.md", b"---\ntitle: \xff\n---\n");
    assert_errors(
        &site,
        &[
            "error: content/articles/hong.md:2:8: not valid UTF-8 (line 2, column 8); save the file as UTF-8",
            &failed_with(1),
        ],
    );
}

#[test]
fn missing_site_yaml() {
    let site = TestSite::new("invalid/missing_site_yaml");
    let expected = format!(
        "error: no site.yaml in `{}`: is this a canhbao site? (use --root DIR, or canhbao init)",
        site.root.display()
    );
    assert_errors(&site, &[&expected]);
    assert!(!site.out.exists());
}

#[test]
fn bad_base_url() {
    let site = TestSite::new("invalid/bad_base_url");
    assert_errors(
        &site,
        &[
            "error: site.yaml: base_url `canhbao.test` must be an absolute http(s) URL such as https://canhbao.example.vn",
            &failed_with(1),
        ],
    );
}

#[test]
fn bad_base_url_flag() {
    let site = TestSite::new("minimal");
    let output = site.cmd().args(["--base-url", "ftp://canhbao.test"]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    // The value came from the command line, yet the message names site.yaml.
    let expected = "error: site.yaml: base_url `ftp://canhbao.test` must be an absolute http(s) URL such as https://canhbao.example.vn";
    assert!(stderr.lines().any(|l| l == expected), "{stderr}");
}

#[test]
fn site_yaml_values_are_checked_together() {
    let site = TestSite::new("minimal");
    let yaml = [
        "title: \"Cảnh báo thử\"",
        "description: \"Thử.\"",
        "base_url: \"https://canhbao.test\"",
        "paginate_by: 0",
        "hotline:",
        "  number: \"gọi công an\"",
        "  label: \"Công an\"",
        "sections:",
        "  articles: \"Cảnh báo\"",
        "scams:",
        "  - key: lua-dao",
        "    name: \"Lừa đảo\"",
        "  - key: lua-dao",
        "    name: \"Lừa đảo 2\"",
        "  - key: Lừa Đảo",
        "    name: \"Lừa đảo 3\"",
    ];
    site.write("site.yaml", yaml.join("\n") + "\n");
    assert_errors(
        &site,
        &[
            "error: site.yaml: paginate_by must be at least 1",
            "error: site.yaml: sections.articles `Cảnh báo` must be a URL segment (lower-case letters, digits and -), \
             e.g. `canh-bao`",
            "error: site.yaml: scams: key `lua-dao` is defined twice",
            "error: site.yaml: scams: key `Lừa Đảo` must be lower-case ASCII letters, digits and -, e.g. `lua-dao`",
            "error: site.yaml: hotline.number `gọi công an` has no digits",
            &failed_with(5),
        ],
    );
}

#[test]
fn several_errors_in_several_files_are_reported_together() {
    let site = TestSite::new("invalid/several_errors");
    let stderr = assert_errors(
        &site,
        &[
            "error: content/articles/ba.md:4:11: unknown variant `khan`, expected one of info, warning, urgent",
            "error: content/articles/bon.md:5:5: broken link `../bai-cu.md`: no article or page at `content/bai-cu.md`",
            "error: content/articles/hai.md:4:18: unknown scam type \"khong-ro\"",
            "  = help: known scam types: lua-dao",
            "error: content/articles/mot.md:3:7: date `2024-13-01` is not a valid date",
            "  = help: write dates as YYYY-MM-DD, e.g. 2024-05-08, or 2024-05-08T09:30:00+07:00",
            &failed_with(4),
        ],
    );
    let located: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: content/")).collect();
    assert_eq!(located.len(), 4, "{stderr}");
    assert!(located.is_sorted(), "sorted by file: {located:?}");
}

#[test]
fn library_returns_every_diagnostic() {
    let site = TestSite::new("invalid/several_errors");
    let err = canhbao::build(&site.options()).unwrap_err();
    let problems = &err.downcast_ref::<ContentErrors>().expect("ContentErrors").0;
    let located: Vec<(&str, Option<usize>, Option<usize>)> =
        problems.iter().map(|d| (d.path.as_str(), d.line, d.column)).collect();
    assert_eq!(
        located,
        [
            ("content/articles/ba.md", Some(4), Some(11)),
            ("content/articles/bon.md", Some(5), Some(5)),
            ("content/articles/hai.md", Some(4), Some(18)),
            ("content/articles/mot.md", Some(3), Some(7)),
        ]
    );
    assert!(!site.out.exists(), "nothing was written");
}

// Issue 9, "errors people can act on": every error names the file and, where known, the line
// and column; nothing prints a screenful; every message exists in Vietnamese.

#[test]
fn missing_site_yaml_field_is_reported_at_the_file_start_with_help() {
    let site = TestSite::new("minimal");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    // `title` is gone; the last key of the file (`scams`) has nothing to do with it.
    site.write("site.yaml", yaml.replace("title: \"Cảnh báo thử\"\n", ""));
    assert_errors(
        &site,
        &[
            "error: site.yaml:1:1: missing field `title`",
            "  = help: add a line `title: …` with the other fields",
            &failed_with(1),
        ],
    );
}

#[test]
fn a_bad_slug_is_reported_at_its_line() {
    let site = TestSite::new("minimal");
    site.write("content/articles/slug.md", "---\ntitle: \"Bài\"\ndate: 2024-01-01\nslug: \"!!!\"\n---\nNội dung.\n");
    let stderr = assert_errors(
        &site,
        &[
            "error: content/articles/slug.md:4:7: cannot make a URL slug from `!!!`",
            "4 | slug: \"!!!\"",
            "  = help: set `slug:` to a few words in Latin letters, e.g. `slug: gia-danh-cong-an`",
            &failed_with(1),
        ],
    );
    assert!(stderr.contains("  |       ^^^^^\n"), "the caret is under the value:\n{stderr}");
}

#[test]
fn a_huge_yaml_file_gives_a_short_located_error() {
    let site = TestSite::new("minimal");
    // One 1 MB line with more YAML nodes than the parser accepts.
    let aliases = vec!["/a"; 300_000].join(",");
    site.write("content/articles/lon.md", format!("---\ntitle: A\ndate: 2024-01-01\naliases: [{aliases}]\n---\nx\n"));
    let stderr = site.fail();
    let first = stderr.lines().next().unwrap();
    assert!(first.starts_with("error: content/articles/lon.md:4:"), "{first}");
    assert!(first.contains("the YAML is too large or too deeply nested to read"), "{first}");
    assert!(stderr.len() < 2_000, "{} bytes of stderr", stderr.len());
    assert!(stderr.lines().all(|l| l.chars().count() < 400), "{stderr}");
}

#[test]
fn a_long_quoted_value_is_shown_shortened() {
    let site = TestSite::new("minimal");
    let long = "x".repeat(60_000);
    site.write("content/articles/dai.md", format!("---\ntitle: A\ndate: 2024-01-01\nsummary: \"{long}\n---\nx\n"));
    let stderr = assert_errors(&site, &["error: content/articles/dai.md:4:10: unclosed quote", &failed_with(1)]);
    assert!(stderr.len() < 2_000, "{} bytes of stderr", stderr.len());
}

/// `canhbao new` in the site, in English, without colour.
fn new_cmd(site: &TestSite) -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("canhbao");
    cmd.arg("new").arg("--root").arg(&site.root).env_remove("LANG").env_remove("LC_ALL").env("NO_COLOR", "1");
    cmd
}

#[test]
fn new_with_a_5_kb_title_makes_a_short_file_name() {
    let site = TestSite::new("minimal");
    let title = "Cảnh báo lừa đảo qua mạng ".repeat(200);
    let output = new_cmd(&site).args(["article", &title]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let files: Vec<String> = std::fs::read_dir(site.root.join("content/articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "bai-mau.md")
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = &files[0];
    let stem = name.strip_suffix(".md").unwrap();
    assert!(stem.len() <= 80, "{name}");
    assert!(stem.starts_with("canh-bao-lua-dao-qua-mang-") && !stem.ends_with('-'), "cut at a word: {name}");
    assert!(stdout.contains(name.as_str()), "{stdout}");
    // The whole title is kept in the file.
    let text = std::fs::read_to_string(site.root.join("content/articles").join(name)).unwrap();
    assert!(text.contains(title.trim()));
}

#[test]
fn new_with_a_too_long_slug_says_so() {
    let site = TestSite::new("minimal");
    let slug = "a".repeat(5_000);
    let output = new_cmd(&site).args(["article", "Tiêu đề", "--slug", &slug]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr,
        "error: the --slug is 5000 characters long, too long for a file name (at most 80): pass a shorter one, \
         e.g. --slug lua-dao\n"
    );
}

#[test]
fn every_site_yaml_problem_is_in_vietnamese() {
    // Messages the old English-parsing translation never knew.
    let site = TestSite::new("minimal");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}paginate_by: 0\n").replace("number: \"113\"", "number: \"gọi\""));
    let output = site.cmd().env("LANG", "vi_VN.UTF-8").env("NO_COLOR", "1").output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr,
        "lỗi: site.yaml: paginate_by phải từ 1 trở lên\n\n\
         lỗi: site.yaml: hotline.number `gọi` không có chữ số nào\n\n\
         lỗi: build không thành công: 2 lỗi; thư mục kết quả không bị thay đổi\n"
    );
}

#[test]
fn a_huge_value_in_a_message_is_cut_in_the_middle() {
    let site = TestSite::new("minimal");
    let slug = "!".repeat(100_000);
    site.write("content/articles/slug.md", format!("---\ntitle: A\ndate: 2024-01-01\nslug: \"{slug}\"\n---\nx\n"));
    let stderr = site.fail();
    let first = stderr.lines().next().unwrap();
    assert!(first.starts_with("error: content/articles/slug.md:4:7: cannot make a URL slug from `!!!"), "{first}");
    assert!(first.contains(" … ") && first.ends_with("!!!`"), "{first}");
    assert!(stderr.len() < 5_000, "{} bytes of stderr", stderr.len());
}

/// Issue 9: a `slug:` or an alias segment too long for a file name is a located error in `build`
/// and `check` (not an OS error naming an output path at write time), and nothing is written.
#[test]
fn issue_9_a_too_long_slug_or_alias_is_located() {
    let site = TestSite::new("minimal");
    let long = "a".repeat(300);
    site.write("content/articles/dai.md", format!("---\ntitle: A\ndate: 2024-01-01\nslug: {long}\n---\nx\n"));
    site.write("content/pages/cu.md", format!("---\ntitle: B\naliases:\n  - /cu/{long}/\n---\nx\n"));
    let expected = [
        "error: content/articles/dai.md:4:7: the URL slug is 300 characters long, too long for a file name (at most 255)",
        "  = help: set `slug:` to a few words in Latin letters, e.g. `slug: gia-danh-cong-an`",
        "error: content/pages/cu.md:4:5: a part of this alias is 300 characters long, too long for a file name \
         (at most 255): shorten it",
    ];
    let stderr = assert_errors(&site, &[&expected[0..], &[failed_with(2).as_str()]].concat());
    assert!(!stderr.contains("os error"), "{stderr}");
    assert!(!site.out.exists(), "nothing is written");
    let stderr = site.check_fails();
    for line in expected {
        assert!(stderr.lines().any(|l| l == line), "missing line:\n{line}\nin check's stderr:\n{stderr}");
    }
    assert!(!site.out.exists() && !site.root.join("public").exists(), "check writes nothing");
}

/// Issue 9: a file name whose slug is too long is reported at the file, with a help to rename it.
#[test]
fn issue_9_a_too_long_file_name_is_reported_at_the_file() {
    let site = TestSite::new("minimal");
    // 180 bytes of file name, but each `中` spells `zhong`: a slug of 359 bytes, more than a
    // file name may hold.
    let stem = "中".repeat(60);
    site.write(&format!("content/pages/{stem}.md"), "---\ntitle: B\n---\nx\n");
    assert_errors(
        &site,
        &[
            &format!(
                "error: content/pages/{stem}.md: the URL slug is 359 characters long, too long for a file name (at most 255)"
            ),
            "help: the slug is made from the file name: rename the file, or set a shorter `slug:`, \
             e.g. `slug: gia-danh-cong-an`",
            &failed_with(1),
        ],
    );
}
