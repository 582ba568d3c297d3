//! Where a module may be written: the checks made before anything is touched.
//!
//! capform writes *into* the module directory, file by file, so the directory itself (its
//! inode, mode, owner, group, setgid bit, ACLs and extended attributes) is never replaced. A
//! directory that does not exist yet is built inside a staging directory in its nearest existing
//! ancestor and appears with one rename, so a failed render creates no directories.

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Component, Path, PathBuf};

use super::WriteError;

/// Where the module goes.
#[derive(Debug)]
pub(super) enum Target {
    /// The directory exists (and is a real directory that may be written in).
    Existing,
    /// It does not: `ancestor` is the nearest existing directory, `missing` the components to
    /// create below it, outermost first.
    New {
        ancestor: PathBuf,
        missing: Vec<OsString>,
    },
}

fn refused(path: &Path, why: &'static str) -> WriteError {
    WriteError::Refused {
        path: path.to_owned(),
        why,
    }
}

/// Decide whether `dir` may be written, and how.
pub(super) fn resolve(dir: &Path) -> Result<Target, WriteError> {
    if dir.as_os_str().is_empty() {
        return Err(refused(dir, "is an empty path"));
    }
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => Err(WriteError::Symlink(dir.to_owned())),
        Ok(m) if !m.is_dir() => Err(WriteError::NotADirectory(dir.to_owned())),
        Ok(_) => {
            let canon = fs::canonicalize(dir).map_err(super::io(dir, "cannot inspect"))?;
            refuse_special(dir, &canon)?;
            Ok(Target::Existing)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => new_target(dir),
        Err(e) => Err(WriteError::Io {
            path: dir.to_owned(),
            action: "cannot inspect",
            source: e,
        }),
    }
}

/// `/`, the working directory and its ancestors (`.`, `..`), and mount points are never module
/// directories: writing there is always a mistake, and a careless `-o .` must not scatter a
/// module among a project's files.
fn refuse_special(dir: &Path, canon: &Path) -> Result<(), WriteError> {
    if canon.parent().is_none() {
        return Err(refused(dir, "is the root directory"));
    }
    if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize)
        && cwd.starts_with(canon)
    {
        return Err(refused(
            dir,
            "is the working directory or one of its parents; name a module directory of its own",
        ));
    }
    if is_mount_point(canon) {
        return Err(refused(
            dir,
            "is a mount point; write the module into a directory below it",
        ));
    }
    Ok(())
}

/// A mount point: another device than its parent, or listed in `/proc/self/mountinfo` (which
/// also catches bind mounts of the same filesystem).
fn is_mount_point(canon: &Path) -> bool {
    let (Ok(me), Some(parent)) = (fs::metadata(canon), canon.parent()) else {
        return false;
    };
    if let Ok(up) = fs::metadata(parent)
        && (up.dev() != me.dev() || up.ino() == me.ino())
    {
        return true;
    }
    let Ok(info) = fs::read_to_string("/proc/self/mountinfo") else {
        return false;
    };
    info.lines()
        .filter_map(|line| line.split(' ').nth(4))
        .any(|point| Path::new(&unescape_mountinfo(point)) == canon)
}

/// mountinfo writes space, tab, newline and backslash as `\ooo`.
fn unescape_mountinfo(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A directory that does not exist: find the nearest existing ancestor, which must be a
/// directory (following symbolic links, as `mkdir -p` does).
fn new_target(dir: &Path) -> Result<Target, WriteError> {
    let mut missing: Vec<OsString> = Vec::new();
    let mut cur = dir.to_path_buf();
    loop {
        match cur.components().next_back() {
            Some(Component::Normal(name)) => missing.push(name.to_owned()),
            Some(Component::CurDir) => {}
            _ => {
                return Err(refused(
                    dir,
                    "has `..` after a directory that does not exist",
                ));
            }
        }
        cur.pop();
        let probe = if cur.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            cur.clone()
        };
        match fs::metadata(&probe) {
            Ok(m) if m.is_dir() => {
                missing.reverse();
                return Ok(Target::New {
                    ancestor: probe,
                    missing,
                });
            }
            Ok(_) => return Err(WriteError::NotADirectory(probe)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(WriteError::Io {
                    path: probe,
                    action: "cannot inspect",
                    source: e,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_escapes_are_decoded() {
        assert_eq!(unescape_mountinfo(r"/mnt/a\040b"), "/mnt/a b");
        assert_eq!(unescape_mountinfo(r"/x\134y"), r"/x\y");
        assert_eq!(unescape_mountinfo("/plain"), "/plain");
    }

    #[test]
    fn the_root_and_proc_are_mount_points() {
        assert!(is_mount_point(Path::new("/proc")) || !Path::new("/proc/self").exists());
    }

    #[test]
    fn a_new_target_names_its_missing_components() {
        let tmp = tempfile::tempdir().unwrap();
        let Target::New { ancestor, missing } = resolve(&tmp.path().join("a/b/c")).unwrap() else {
            panic!()
        };
        assert_eq!(ancestor, tmp.path());
        assert_eq!(missing, ["a", "b", "c"]);
        assert!(matches!(
            resolve(&tmp.path().join("a/../b")),
            Err(WriteError::Refused { .. })
        ));
    }
}
