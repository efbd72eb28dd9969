//! An article's rendered body and search terms are kept in the cache and read back by the next
//! load when nothing they are made from changed (issue 10). A build that reads them must write
//! byte for byte what a build with an empty cache writes, after every kind of edit; an unchanged
//! article's entry must be read, not written again (also when an article is added), an edited
//! one's slot replaced, and so is the entry of a body whose link leads to an article that moved; a body with an
//! image is never kept; a damaged entry is not used; `check` and the preview (another base URL)
//! read the entries without writing or replacing them; a build's model holds no HTML nor words
//! of a kept body (its page reads the HTML back, the search index the words).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::{TestSite, snapshot};

const A: &str = "content/articles/goi-dien-gia-danh.md";
const B: &str = "content/articles/tin-nhan-trung-thuong.md";
const PHOTO: &str = "content/articles/anh-chup-man-hinh.md";

/// The `minimal` fixture (one article) with three more: one linking to another, one showing a
/// remote image.
fn site() -> TestSite {
    let site = TestSite::new("minimal");
    site.write(
        A,
        "---\ntitle: \"Giả danh công an gọi điện\"\ndate: 2025-03-01\nscams: [lua-dao]\n---\n\
         Kẻ gian gọi điện xưng là công an. Xem thêm [tin nhắn trúng thưởng](tin-nhan-trung-thuong.md).\n\n\
         ## Cách nhận biết\n\nCông an không làm việc qua điện thoại. Tra cứu tại chinhphu.vn.\n",
    );
    site.write(
        B,
        "---\ntitle: \"Tin nhắn trúng thưởng\"\ndate: 2025-02-01\nscams: [lua-dao]\n---\n\
         Tin nhắn báo trúng thưởng một chiếc xe máy.\n\n## Đừng bấm vào đường link\n\nXoá tin nhắn.\n",
    );
    site.write(
        PHOTO,
        "---\ntitle: \"Ảnh chụp màn hình\"\ndate: 2025-01-01\nscams: [lua-dao]\n---\n\
         Ảnh một tin nhắn giả: ![Tin nhắn giả](https://example.com/tin-nhan.png)\n",
    );
    site
}

/// The kept body entries, by name, with their inode (a replaced entry is a new file).
fn entries(site: &TestSite) -> BTreeMap<String, u64> {
    let mut found = BTreeMap::new();
    let Ok(folders) = fs::read_dir(site.root.join(".canhbao-cache/body")) else { return found };
    for folder in folders.flatten() {
        for entry in fs::read_dir(folder.path()).expect("folder").flatten() {
            let inode = entry.metadata().expect("metadata").ino();
            found.insert(entry.file_name().to_string_lossy().into_owned(), inode);
        }
    }
    found
}

/// Builds into `<dir>/<name>` with the cache as it is.
fn build(site: &TestSite, name: &str) -> BTreeMap<String, Vec<u8>> {
    let out = site.dir.join(name);
    site.build_with(canhbao::BuildOptions { output: Some(out.clone()), ..site.options() });
    snapshot(&out)
}

/// Asserts that two builds wrote the same files with the same bytes, naming those that differ.
fn assert_same(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{what}: the same files");
    let differ: Vec<&String> = want.iter().filter(|(f, b)| got[*f] != **b).map(|(f, _)| f).collect();
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}

/// Builds with the cache as it is, then with an empty one, and asserts both wrote the same bytes.
fn assert_kept_is_fresh(site: &TestSite, name: &str) {
    let kept = build(site, &format!("{name}-kept"));
    fs::remove_dir_all(site.root.join(".canhbao-cache")).expect("empty the cache");
    let fresh = build(site, &format!("{name}-fresh"));
    assert_same(&kept, &fresh, &format!("{name}, kept against an empty cache"));
    assert_eq!(entries(site).len(), 3, "{name}: the three bodies without images are kept");
}

/// A file of the site, as text.
fn source(site: &TestSite, rel: &str) -> String {
    fs::read_to_string(site.root.join(rel)).expect("a file of the site")
}

/// Forgets the URLs the builds registered as printed: as if nothing had been printed yet, so an
/// address may change.
fn nothing_printed(site: &TestSite) {
    let _ = fs::remove_file(site.root.join("printed-urls.txt"));
}

fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let text = source(site, rel);
    assert!(text.contains(from), "{rel} has `{from}`");
    site.write(rel, text.replacen(from, to, 1));
}

/// The page of article `slug` in a build's files.
fn page<'a>(files: &'a BTreeMap<String, Vec<u8>>, slug: &str) -> std::borrow::Cow<'a, str> {
    let file = files.iter().find(|(f, _)| f.ends_with(&format!("/{slug}/index.html"))).expect("the article's page");
    String::from_utf8_lossy(file.1)
}

#[test]
fn an_unchanged_body_is_read_from_the_cache_and_an_edited_one_rendered_again() {
    let site = site();
    let first = build(&site, "first");
    let kept = entries(&site);
    assert_eq!(kept.len(), 3, "one entry per article without an image: {kept:?}");

    let again = build(&site, "again");
    assert_eq!(entries(&site), kept, "nothing rendered again");
    assert_same(&again, &first, "again");

    edit(&site, B, "một chiếc xe máy", "một chiếc ô tô");
    let edited = build(&site, "edited");
    let now = entries(&site);
    assert_eq!(now.keys().collect::<Vec<_>>(), kept.keys().collect::<Vec<_>>(), "one slot per article, replaced");
    let unchanged = now.iter().filter(|(name, inode)| kept.get(*name) == Some(inode)).count();
    assert_eq!(unchanged, 2, "the other articles' entries are read; the edited one's replaced");
    assert!(page(&edited, "tin-nhan-trung-thuong").contains("một chiếc ô tô"), "the page shows the edit");
    assert!(!page(&edited, "tin-nhan-trung-thuong").contains("xe máy"));

    // A new article moves no other: every body is read, the new one's kept beside them.
    site.write(
        "content/articles/viec-nhe-luong-cao.md",
        "---\ntitle: \"Việc nhẹ lương cao\"\ndate: 2025-04-01\nscams: [lua-dao]\n---\nĐừng nộp tiền đặt cọc.\n",
    );
    build(&site, "added");
    let added = entries(&site);
    assert_eq!(added.len(), now.len() + 1, "the new article's body is kept");
    assert!(now.iter().all(|(name, inode)| added.get(name) == Some(inode)), "no other body is rendered again");

    // A linked article moves: the body linking to it is rendered again (its link shows the new
    // URL); the others are read.
    let _ = fs::remove_file(site.root.join("printed-urls.txt"));
    edit(&site, B, "date: 2025-02-01\n", "date: 2025-02-01\nslug: trung-thuong-xe-may\n");
    let moved = build(&site, "moved");
    let after = entries(&site);
    let read = added.iter().filter(|(name, inode)| after.get(*name) == Some(inode)).count();
    assert_eq!(read, added.len() - 2, "the moved article's body and the one linking to it are made again");
    assert!(page(&moved, "goi-dien-gia-danh").contains("href=\"/canh-bao/trung-thuong-xe-may/\""));
}

#[test]
fn kept_bodies_are_what_an_empty_cache_makes_after_every_kind_of_edit() {
    let site = site();
    assert_kept_is_fresh(&site, "start");
    edit(&site, A, "Công an không làm việc", "Công an không bao giờ làm việc");
    assert_kept_is_fresh(&site, "body");
    // `summary:` decides where the search index's excerpt starts.
    edit(&site, A, "date: 2025-03-01\n", "date: 2025-03-01\nsummary: \"Kẻ gian gọi điện xưng là công an.\"\n");
    assert_kept_is_fresh(&site, "summary");
    // The link in A leads to B's new URL.
    nothing_printed(&site);
    edit(&site, B, "date: 2025-02-01\n", "date: 2025-02-01\nslug: trung-thuong-xe-may\n");
    assert_kept_is_fresh(&site, "the slug of a linked article");
    // The links of every body start with the base path.
    nothing_printed(&site);
    edit(&site, "site.yaml", "base_url: \"https://canhbao.test\"", "base_url: \"https://canhbao.test/tinh\"");
    assert_kept_is_fresh(&site, "base path");
    // A domain named in the text becomes a link.
    fs::write(site.root.join("site.yaml"), source(&site, "site.yaml") + "official_sites:\n  - chinhphu.vn\n").unwrap();
    let built = build(&site, "official-site");
    assert!(page(&built, "goi-dien-gia-danh").contains("href=\"https://chinhphu.vn"), "the domain is a link now");
    assert_kept_is_fresh(&site, "official sites");
    site.write(
        "content/articles/ban-nhap.md",
        "---\ntitle: \"Bản nháp\"\ndate: 2025-04-01\nscams: [lua-dao]\ndraft: true\n---\nChưa xong.\n",
    );
    assert_kept_is_fresh(&site, "a draft added");
}

#[test]
fn another_base_url_check_and_the_preview_read_the_entries_without_replacing_them() {
    let site = site();
    let first = build(&site, "first");
    let kept = entries(&site);
    assert_eq!(kept.len(), 3);

    nothing_printed(&site);
    edit(&site, "site.yaml", "base_url: \"https://canhbao.test\"", "base_url: \"https://canhbao.example\"");
    let other_host = build(&site, "other-host");
    assert_eq!(entries(&site), kept, "the host is not in the key: the entries are read");
    assert!(page(&other_host, "goi-dien-gia-danh").contains("canhbao.example"));
    assert_eq!(
        page(&other_host, "goi-dien-gia-danh").replace("canhbao.example", "canhbao.test"),
        page(&first, "goi-dien-gia-danh"),
        "only the host differs"
    );

    canhbao::check::check(&site.options()).expect("the site checks");
    assert_eq!(entries(&site), kept, "check reads, never writes");
    fs::remove_dir_all(site.root.join(".canhbao-cache")).expect("empty the cache");
    canhbao::check::check(&site.options()).expect("the site checks");
    assert!(entries(&site).is_empty(), "check keeps nothing");

    build(&site, "refill");
    let kept = entries(&site);
    let config = canhbao::Config::load(&site.root, Some("http://127.0.0.1:1111"), true).expect("config");
    let preview = canhbao::site::update::Loader::default().load(config, None).expect("the preview loads");
    assert_eq!(entries(&site), kept, "the preview reads the build's entries");
    let a = preview.articles.iter().find(|a| a.path.contains("goi-dien-gia-danh")).expect("article A");
    assert!(a.body.html.contains("Công an không làm việc qua điện thoại"), "{}", a.body.html);
    assert!(a.search.words.contains("điện"), "its search terms are read back: {}", a.search.words);

    // What the preview renders it keeps, and the next build reads.
    fs::remove_dir_all(site.root.join(".canhbao-cache")).expect("empty the cache");
    let config = canhbao::Config::load(&site.root, Some("http://127.0.0.1:1111"), true).expect("config");
    canhbao::site::update::Loader::default().load(config, None).expect("the preview loads");
    let made = entries(&site);
    assert_eq!(made.len(), 3, "the preview keeps the bodies it renders");
    build(&site, "after-preview");
    assert_eq!(entries(&site), made, "the build reads them");
}

#[test]
fn a_damaged_entry_is_rendered_again_and_replaced() {
    let site = site();
    let first = build(&site, "first");
    let dir = site.root.join(".canhbao-cache/body");
    let files: Vec<_> = walk(&dir);
    assert_eq!(files.len(), 3);
    let cut = |file: &Path| fs::read(file).unwrap()[..20].to_vec();
    let damages = [b"garbage".to_vec(), Vec::new(), cut(&files[2])];
    for (file, damage) in files.iter().zip(damages) {
        fs::write(file, damage).unwrap();
    }
    let again = build(&site, "again");
    assert_same(&again, &first, "after damaged entries");
    for file in &files {
        assert!(fs::metadata(file).unwrap().len() > 100, "{} is made again", file.display());
    }
    let third = build(&site, "third");
    assert_same(&third, &first, "from the entries made again");

    // A body whose HTML or words are missing is rendered again, its entries replaced.
    let (html, words) =
        (walk(&site.root.join(".canhbao-cache/body-html")), walk(&site.root.join(".canhbao-cache/body-words")));
    fs::remove_file(&html[0]).unwrap();
    fs::remove_file(&words[1]).unwrap();
    let before = entries(&site);
    assert_same(&build(&site, "fourth"), &first, "after missing HTML and words");
    let replaced = entries(&site).iter().filter(|(name, inode)| before[*name] != **inode).count();
    assert_eq!(replaced, 2, "the two bodies rendered again, their entries replaced");
    assert!(fs::metadata(&html[0]).is_ok() && fs::metadata(&words[1]).is_ok(), "written again");
}

#[test]
fn a_build_holds_no_html_of_a_kept_body_and_reads_it_for_the_page() {
    let site = site();
    let first = build(&site, "first");
    let prepared = canhbao::pipeline::prepare(&site.options(), None).expect("prepared");
    let article = |slug: &str| prepared.site.articles.iter().find(|a| a.path.contains(slug)).expect("an article");
    let kept = article("goi-dien-gia-danh");
    assert!(kept.body.html.is_empty() && kept.kept.is_some(), "the model holds no HTML of a kept body");
    assert!(kept.search.words.is_empty(), "nor its words");
    let photo = article("anh-chup-man-hinh");
    assert!(photo.body.html.contains("<img") && photo.kept.is_none(), "a body with an image is held");
    assert!(photo.search.words.split(' ').any(|w| w == "tin"), "with its words");
    let cache = canhbao::cache::Cache::new(&site.root.join(".canhbao-cache"));
    assert!(kept.html(&cache).expect("read back").contains("Công an không làm việc qua điện thoại"));
    let words = kept.words(&cache).expect("read back");
    assert!(words.split(' ').any(|w| w == "điện") && words.split(' ').any(|w| w == "thoại"), "{words}");

    // One body's words gone (the search index reads them back): the index cannot be made, the
    // error names the file, and that body's entry is emptied (the next build renders it again).
    let gone = walk(&site.root.join(".canhbao-cache/body-words")).remove(0);
    fs::remove_file(&gone).expect("remove one body's words");
    let err = canhbao::pipeline::render_into(&prepared, &canhbao::output::Discard).expect_err("the words are gone");
    assert!(format!("{err:#}").contains(".canhbao-cache/body-words/"), "{err:#}");
    let emptied: Vec<_> = walk(&site.root.join(".canhbao-cache/body"))
        .into_iter()
        .filter(|f| fs::metadata(f).unwrap().len() == 0)
        .map(|f| f.file_name().unwrap().to_owned())
        .collect();
    assert_eq!(emptied, [gone.file_name().unwrap().to_owned()], "that body's entry emptied");
    assert_same(&build(&site, "words-again"), &first, "made again");
    assert!(fs::metadata(&gone).is_ok(), "its words written again");
    let prepared = canhbao::pipeline::prepare(&site.options(), None).expect("prepared");

    // Its HTML gone (another build replaced or removed it): the page cannot be made, and the
    // error names the file. The next build renders it again.
    fs::remove_dir_all(site.root.join(".canhbao-cache/body-html")).expect("the kept HTML");
    let err = canhbao::pipeline::render_into(&prepared, &canhbao::output::Discard).expect_err("the HTML is gone");
    assert!(format!("{err:#}").contains(".canhbao-cache/body-html/"), "{err:#}");
    assert_same(&build(&site, "again"), &first, "made again");
    assert_same(&build(&site, "third"), &first, "read back again");

    // Damaged: this build stops (the previous output stays), the next one renders it again.
    let html = walk(&site.root.join(".canhbao-cache/body-html"));
    fs::write(&html[0], b"garbage").expect("damage");
    let out = site.dir.join("third");
    let err = canhbao::build(&canhbao::BuildOptions { output: Some(out.clone()), ..site.options() });
    assert!(format!("{:#}", err.expect_err("damaged")).contains(".canhbao-cache/body-html/"));
    assert_same(&snapshot(&out), &first, "the previous output is untouched");
    assert_same(&build(&site, "fourth"), &first, "made again");
    assert!(fs::metadata(&html[0]).expect("made again").len() > 100);
}

#[test]
fn a_cache_that_cannot_be_written_still_builds_every_page() {
    let site = site();
    fs::create_dir_all(site.root.join(".canhbao-cache")).unwrap();
    fs::write(site.root.join(".canhbao-cache/body-html"), b"not a folder").unwrap();
    let built = build(&site, "unwritable");
    assert!(page(&built, "goi-dien-gia-danh").contains("Công an không làm việc qua điện thoại"), "the model holds it");
    assert!(entries(&site).is_empty(), "nothing kept without its HTML");
    fs::remove_file(site.root.join(".canhbao-cache/body-html")).unwrap();
    assert_same(&build(&site, "writable"), &built, "the same pages once it can be written");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for folder in fs::read_dir(dir).expect("the cache's bodies").flatten() {
        files.extend(fs::read_dir(folder.path()).expect("folder").flatten().map(|e| e.path()));
    }
    files.sort();
    files
}

/// `check` reads the ids and links of kept bodies back (a build's model holds neither): a link
/// to a missing heading of a kept article, in a kept article, is reported as with an empty cache.
#[test]
fn check_reads_back_the_ids_and_links_of_kept_bodies() {
    let site = site();
    edit(
        &site,
        B,
        "Xoá tin nhắn.",
        "Xoá tin nhắn. Đọc [cách nhận biết](goi-dien-gia-danh.md#cach-nhan-biet) và [mục cũ](goi-dien-gia-danh.md#cach-nhan-bie).",
    );
    build(&site, "first");
    assert_eq!(entries(&site).len(), 3, "the build does not look at headings: both bodies are kept");
    let prepared = canhbao::pipeline::prepare(&site.options(), None).expect("prepared");
    assert!(prepared.site.articles.iter().all(|a| a.kept.is_none() || a.body.links.is_empty()), "no links held");
    let kept = format!("{:#}", canhbao::check::check(&site.options()).expect_err("a broken link to a heading"));
    assert!(kept.contains("#cach-nhan-bie") && kept.contains("cach-nhan-biet"), "{kept}");
    assert!(kept.contains("tin-nhan-trung-thuong.md"), "names the file: {kept}");
    fs::remove_dir_all(site.root.join(".canhbao-cache")).expect("empty the cache");
    let fresh = format!("{:#}", canhbao::check::check(&site.options()).expect_err("a broken link to a heading"));
    assert_eq!(kept, fresh, "the same report as with an empty cache");
}
