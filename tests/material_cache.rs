//! An article's material (channel texts, page for officials, poster, screen card, deck) is kept
//! in the cache and written from it by the next build when nothing it is made from changed
//! (issue 10). Kept material must be byte for byte what a build with an empty cache makes, after
//! every kind of edit; an unchanged article must be read from the cache, not made again, and an
//! edited one's entry replaced (one per article); a damaged or hostile entry must not be used.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use common::{TestSite, snapshot};

/// The `present` fixture (an article, a leaflet that leads to it, a deck and a handbook) with a
/// second article.
fn site() -> TestSite {
    let site = TestSite::new("present");
    let first = source(&site, "content/articles/gia-danh-cong-an.md");
    let second = first
        .replace("Giả danh công an gọi điện", "Mạo danh nhân viên ngân hàng")
        .replace("code: congan", "code: nganhang")
        .replace("công an", "ngân hàng");
    site.write("content/articles/mao-danh-ngan-hang.md", second);
    site
}

/// The kept material entries, by name, with their inode (a file made again is a new inode:
/// the cache writes a new file and renames it over the old).
fn entries(site: &TestSite) -> BTreeMap<String, u64> {
    let dir = site.root.join(".canhbao-cache/material");
    let mut found = BTreeMap::new();
    for folder in fs::read_dir(&dir).expect("the material is kept").flatten() {
        for entry in fs::read_dir(folder.path()).expect("folder").flatten() {
            let inode = entry.metadata().expect("metadata").ino();
            found.insert(entry.file_name().to_string_lossy().into_owned(), inode);
        }
    }
    found
}

/// Builds into `out` with the cache as it is.
fn build(site: &TestSite, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let options = canhbao::BuildOptions { output: Some(out.to_path_buf()), ..site.options() };
    site.build_with(options);
    snapshot(out)
}

/// Builds into `<dir>/<name>-kept` with the cache as it is, then into `<dir>/<name>-fresh`
/// with an empty cache, and asserts that both wrote the same bytes.
fn assert_kept_is_fresh(site: &TestSite, name: &str) {
    let kept = build(site, &site.dir.join(format!("{name}-kept")));
    fs::remove_dir_all(site.root.join(".canhbao-cache")).expect("empty the cache");
    let fresh = build(site, &site.dir.join(format!("{name}-fresh")));
    assert_same(&kept, &fresh, &format!("{name}, kept against an empty cache"));
    assert!(fresh.keys().any(|f| f.ends_with("/kenh/sms.txt")), "{name}: material is made");
}

/// A file of the site, as text.
fn source(site: &TestSite, rel: &str) -> String {
    fs::read_to_string(site.root.join(rel)).expect("a file of the site")
}

/// Asserts that two builds wrote the same files with the same bytes, naming those that differ.
fn assert_same(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{what}: the same files");
    let differ: Vec<&String> = want.iter().filter(|(f, b)| got[*f] != **b).map(|(f, _)| f).collect();
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}

fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let text = source(site, rel);
    assert!(text.contains(from), "{rel} has `{from}`");
    site.write(rel, text.replacen(from, to, 1));
}

#[test]
fn an_unchanged_article_is_read_from_the_cache_and_an_edited_one_made_again() {
    let site = site();
    let first = build(&site, &site.dir.join("first"));
    let kept = entries(&site);
    assert_eq!(kept.len(), 2, "one entry per article: {kept:?}");

    let again = build(&site, &site.dir.join("again"));
    assert_eq!(entries(&site), kept, "nothing made again");
    assert_same(&again, &first, "again");

    edit(&site, "content/articles/mao-danh-ngan-hang.md", "Gọi từ số lạ", "Gọi từ số máy bàn lạ");
    let edited = build(&site, &site.dir.join("edited"));
    let now = entries(&site);
    assert_eq!(now.keys().collect::<Vec<_>>(), kept.keys().collect::<Vec<_>>(), "one slot per article, replaced");
    let unchanged: Vec<_> = now.iter().filter(|(name, inode)| kept.get(*name) == Some(inode)).collect();
    assert_eq!(unchanged.len(), 1, "the other article's entry is read, not made again; the edited one's replaced");
    let slides = edited
        .iter()
        .find(|(f, _)| f.contains("mao-danh") && f.ends_with("trinh-chieu/index.html"))
        .expect("the edited article's deck");
    assert!(String::from_utf8_lossy(slides.1).contains("số máy bàn lạ"), "the deck shows the edit");
}

#[test]
fn kept_material_is_what_an_empty_cache_makes_after_every_kind_of_edit() {
    let site = site();
    assert_kept_is_fresh(&site, "start");
    let article = "content/articles/gia-danh-cong-an.md";
    edit(&site, article, "Yêu cầu giữ bí mật", "Yêu cầu tuyệt đối giữ bí mật");
    assert_kept_is_fresh(&site, "body");
    edit(&site, article, "title: \"Giả danh công an gọi điện\"", "title: \"Giả danh công an gọi điện thoại\"");
    assert_kept_is_fresh(&site, "title");
    // A printed code may not change (the registry of printed URLs refuses it): as if the old
    // one had never been printed.
    fs::remove_file(site.root.join("printed-urls.txt")).expect("the registry");
    edit(&site, article, "code: congan", "code: congan2");
    assert_kept_is_fresh(&site, "short link");
    edit(&site, "content/leaflets/ong-ba.md", "title: \"Ông bà", "title: \"Cụ ông cụ bà");
    assert_kept_is_fresh(&site, "a leaflet that leads to it");
    edit(&site, "site.yaml", "number: \"113\"", "number: \"0243 113 113\"");
    assert_kept_is_fresh(&site, "site.yaml");
    let theme = Path::new(common::REPO).join("themes/default/templates/slides.html");
    let slides = fs::read_to_string(theme).expect("theme's slides.html");
    site.write("templates/slides.html", slides.replacen("</body>", "<!-- riêng của trang -->\n</body>", 1));
    assert_kept_is_fresh(&site, "a template");
    site.write("content/articles/them.md", source(&site, article).replace("code: congan2", "code: them"));
    assert_kept_is_fresh(&site, "an article added");
}

/// The key an entry was made with (its first field, after the format's name).
fn key_of(entry: &Path) -> String {
    use std::io::Read;
    let mut raw = Vec::new();
    flate2::read::DeflateDecoder::new(&fs::read(entry).expect("entry")[..]).read_to_end(&mut raw).expect("inflate");
    let rest = raw.strip_prefix(b"canhbao-recording-2\n").expect("the format's name");
    let n = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
    String::from_utf8(rest[4..4 + n].to_vec()).expect("a key")
}

/// The one entry of the material namespace.
fn only_entry(site: &TestSite) -> PathBuf {
    let names = entries(site);
    let name = names.keys().next().expect("an entry");
    site.root.join(".canhbao-cache/material").join(&name[..2]).join(name)
}

#[test]
fn a_damaged_or_hostile_entry_is_not_used() {
    let site = TestSite::new("present");
    let first = build(&site, &site.dir.join("first"));
    let entry = only_entry(&site);
    let good = fs::read(&entry).expect("entry");

    for (what, bytes) in [
        ("garbage", b"not an entry at all".to_vec()),
        ("cut short", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
    ] {
        fs::write(&entry, &bytes).expect("damage the entry");
        let out = build(&site, &site.dir.join(what));
        assert_same(&out, &first, &format!("{what}: the material is made again, the same"));
        assert_eq!(fs::read(&entry).expect("entry"), good, "{what}: the entry is made again");
    }
}

#[test]
fn an_entry_naming_a_file_outside_the_cache_is_not_used() {
    // An entry that links a file by a name with `..` would copy that file into the site.
    use std::io::Write;
    let site = TestSite::new("present");
    let first = build(&site, &site.dir.join("first"));
    let entry = only_entry(&site);
    let secret = site.dir.join("bi-mat.txt");
    fs::write(&secret, "mật khẩu").expect("secret");

    // The format of `src/render/recording.rs`: magic, the key it was made with (the right one:
    // only the name of the linked file is hostile), count, then tag, path and body of each file,
    // then the data; deflated.
    let mut raw = b"canhbao-recording-2\n".to_vec();
    let key = key_of(&entry);
    raw.extend((key.len() as u32).to_le_bytes());
    raw.extend(key.as_bytes());
    raw.extend(1u32.to_le_bytes());
    raw.push(1);
    let path = "canh-bao/gia-danh-cong-an/kenh/sms.txt";
    assert!(first.contains_key(path), "{:?}", first.keys().filter(|k| k.contains("sms")).collect::<Vec<_>>());
    // A well-formed SMS: only the name of the linked file is wrong.
    let sms = br#"{"gsm":"x","accented":"x","septets":1,"segments":1,"ucs2_units":1,"ucs2_segments":1}"#;
    for field in [path.as_bytes(), b"../../bi-mat.txt", sms] {
        raw.extend((field.len() as u32).to_le_bytes());
        raw.extend(field);
    }
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&raw).expect("deflate");
    fs::write(&entry, z.finish().expect("deflate")).expect("hostile entry");

    let out = build(&site, &site.dir.join("out"));
    assert_same(&out, &first, "the entry is not used");
    assert!(!out.values().any(|b| b == "mật khẩu".as_bytes()), "the file outside is not copied");
}
