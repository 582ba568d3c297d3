//! Writing a module to disk without ever losing a file that capform did not write.
//!
//! What capform owns in a module directory is what its manifest ([`manifest::MANIFEST`]) lists;
//! everything else is the user's and is never moved, replaced or deleted, `--force` or not.
//! A user file at the name of a generated file is a conflict. The directory itself is never
//! replaced: files are written into a staging directory inside it and renamed into place one by
//! one, so its mode, owner, group, setgid bit, ACLs and extended attributes stay as they are.
//!
//! The steps, each safe to interrupt (signal, disk full, no inodes left):
//! 1. **Check** the target (`target.rs`), lock it against a concurrent render, finish what an
//!    interrupted render left (see 4), read the manifest, refuse conflicts.
//! 2. **Stage** `DIR/.capform-staging-XXXXXX/`: `new/` holds every changed file (fsynced),
//!    `old/` a hard link to each file about to be replaced (a backup that costs no space).
//!    An interruption here leaves only the staging directory, holding capform's files only.
//! 3. **Commit**: `journal.json` (fsynced) lists the files to create, replace and remove. From
//!    here on the swap can always be finished or undone.
//! 4. **Swap**: new names are hard-linked into place (which fails, instead of overwriting, if a
//!    file of that name appeared meanwhile), then replaced files are renamed over the old ones
//!    (the manifest last), then files no longer generated are moved into `old/`. A failure
//!    rolls every step back from `old/`; a kill leaves the journal, and the next render rolls
//!    the swap forward before it starts. Either way capform's files end as the complete old set
//!    or the complete new set.
//! 5. **Clean up**: the staging directory is removed.
//!
//! A directory that does not exist yet is built complete inside a staging directory in its
//! nearest existing ancestor and appears with one rename.

pub mod manifest;
mod target;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::io::Write as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use self::manifest::{MANIFEST, Manifest, digest, is_plain_name};
use super::Files;

/// Prefix of the staging directory inside an existing module directory.
const STAGING: &str = ".capform-staging-";
/// Prefix of the staging directory in the ancestor of a module directory being created.
const STAGING_NEW: &str = ".capform-new-";
/// The commit record inside a staging directory.
const JOURNAL: &str = "journal.json";
/// How long to wait for a concurrent render of the same directory to finish.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Why a module could not be written or compared.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// `-o` names something that is not a directory.
    #[error("{0}: exists and is not a directory")]
    NotADirectory(PathBuf),
    /// `-o` is a symbolic link; capform will not write through one.
    #[error("{0}: is a symbolic link; give the real directory")]
    Symlink(PathBuf),
    /// The directory is read-only (no write permission bits), or cannot be written in.
    #[error("{0}: is read-only; make it writable (chmod u+w) or choose another output directory")]
    ReadOnly(PathBuf),
    /// `-o` names a directory no module belongs in (`/`, `.`, a mount point, …).
    #[error("{path}: {why}")]
    Refused {
        /// The path as given.
        path: PathBuf,
        /// Why it is refused.
        why: &'static str,
    },
    /// The directory holds files capform did not generate (and `--force` was not given).
    #[error(
        "{dir}: holds files capform did not generate ({files}); move them away or pass --force to keep them beside the module"
    )]
    Foreign {
        /// The directory.
        dir: PathBuf,
        /// Names of the foreign entries.
        files: String,
    },
    /// Files of the user's have the names of files the module needs.
    #[error(
        "{dir}: {files} would be replaced by generated files but capform did not write them (its manifest {MANIFEST} does not list them); rename or move them — --force never overwrites them"
    )]
    Conflict {
        /// The directory.
        dir: PathBuf,
        /// The names.
        files: String,
    },
    /// Generated files were edited by hand since capform wrote them.
    #[error(
        "{dir}: {files} changed since capform wrote them; undo the edit (and change the profile instead) or pass --force to overwrite them"
    )]
    Edited {
        /// The directory.
        dir: PathBuf,
        /// The names.
        files: String,
    },
    /// Another render is writing the same directory.
    #[error("{0}: another capform render is writing this directory; try again when it is done")]
    Busy(PathBuf),
    /// The manifest cannot be read.
    #[error(
        "{path}: {why}; restore it from version control, or remove it to treat every file as the user's"
    )]
    BadManifest {
        /// The manifest's path.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// An I/O failure, with what was being done.
    #[error("{path}: {action}: {source}")]
    Io {
        /// Path concerned.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// The swap failed and could not be undone; the staging directory records it and the next
    /// render finishes it.
    #[error(
        "{dir}: writing stopped part-way ({cause}) and could not be undone ({undo}); your files are untouched and `capform render` again completes the module from {staging}"
    )]
    Interrupted {
        /// The directory.
        dir: PathBuf,
        /// The staging directory holding the journal.
        staging: PathBuf,
        /// The failure.
        cause: Box<WriteError>,
        /// Why undoing it failed.
        undo: Box<WriteError>,
    },
}

impl WriteError {
    /// Whether the module directory is exactly as it was (true for every error but
    /// [`WriteError::Interrupted`]).
    pub fn changed_nothing(&self) -> bool {
        !matches!(self, WriteError::Interrupted { .. })
    }
}

fn io(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> WriteError {
    let path = path.to_owned();
    move |source| WriteError::Io {
        path,
        action,
        source,
    }
}

/// Failure injection for the tests of the all-or-nothing guarantee: step `fail_at` (counting
/// every change to the file system from 0) fails as an I/O error would.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Faults {
    /// The step to fail, if any.
    pub fail_at: Option<usize>,
    /// Steps taken so far.
    pub steps: std::cell::Cell<usize>,
}

impl Faults {
    fn step(&self, path: &Path, action: &'static str) -> Result<(), WriteError> {
        let n = self.steps.get();
        self.steps.set(n + 1);
        if self.fail_at == Some(n) {
            return Err(WriteError::Io {
                path: path.to_owned(),
                action,
                source: std::io::Error::other("injected failure"),
            });
        }
        Ok(())
    }
}

/// What a successful write did, for the user to read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written (created or replaced).
    pub written: Vec<String>,
    /// Files left as they were because their contents did not change.
    pub unchanged: usize,
    /// Generated files no longer generated, deleted.
    pub removed: Vec<String>,
    /// Generated files edited by hand that `--force` overwrote.
    pub overwritten_edits: Vec<String>,
    /// Generated files no longer generated but edited by hand: kept, and now the user's.
    pub kept_edits: Vec<String>,
    /// Interrupted renders whose swap was finished first.
    pub recovered: Vec<String>,
}

/// Write `files` into `dir`, creating it if needed (see the module docs for the guarantees).
/// Refuses a directory holding files capform did not generate unless `force`, in which case
/// those entries are kept beside the module, untouched.
pub fn write_module(dir: &Path, files: &Files, force: bool) -> Result<Written, WriteError> {
    write_module_with(dir, files, force, &Faults::default())
}

/// [`write_module`], the manifest also recording the identity of the render that produced
/// `files` ([`crate::render::identity`]), which lets `validate --profile` skip rendering again.
pub fn write_rendered(
    dir: &Path,
    files: &Files,
    force: bool,
    identity: &str,
) -> Result<Written, WriteError> {
    write_inner(dir, files, force, Some(identity), &Faults::default())
}

/// [`write_module`] with failures injected.
#[doc(hidden)]
pub fn write_module_with(
    dir: &Path,
    files: &Files,
    force: bool,
    faults: &Faults,
) -> Result<Written, WriteError> {
    write_inner(dir, files, force, None, faults)
}

fn write_inner(
    dir: &Path,
    files: &Files,
    force: bool,
    identity: Option<&str>,
    faults: &Faults,
) -> Result<Written, WriteError> {
    if files.contains_key(MANIFEST) || files.keys().any(|n| !is_plain_name(n)) {
        unreachable!("render produces plain file names other than the manifest");
    }
    match target::resolve(dir)? {
        target::Target::Existing => write_existing(dir, files, force, identity, faults),
        target::Target::New { ancestor, missing } => {
            write_new(dir, &ancestor, &missing, files, identity, faults)
        }
    }
}

/// An open directory holding an advisory lock (released when dropped, or when the process
/// dies, which is how a stale staging directory is told from one in use).
struct Locked(#[allow(dead_code)] fs::File);

fn try_lock(path: &Path) -> Result<Option<Locked>, WriteError> {
    let f = fs::File::open(path).map_err(io(path, "cannot open"))?;
    match f.try_lock() {
        Ok(()) => Ok(Some(Locked(f))),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        // a file system without locks: carry on unlocked
        Err(fs::TryLockError::Error(_)) => Ok(Some(Locked(f))),
    }
}

fn lock_waiting(path: &Path) -> Result<Locked, WriteError> {
    let start = std::time::Instant::now();
    loop {
        if let Some(l) = try_lock(path)? {
            return Ok(l);
        }
        if start.elapsed() > LOCK_WAIT {
            return Err(WriteError::Busy(path.to_owned()));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn sync_dir(path: &Path) -> Result<(), WriteError> {
    fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io(path, "cannot flush"))
}

/// What the swap does, written before it starts (the commit record).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Journal {
    /// `forward` while the swap runs, `back` while it is being undone.
    state: String,
    create: Vec<String>,
    replace: Vec<String>,
    remove: Vec<String>,
}

impl Journal {
    fn save(&self, staging: &Path, faults: &Faults) -> Result<(), WriteError> {
        let tmp = staging.join("journal.tmp");
        faults.step(&tmp, "cannot write")?;
        let mut f = fs::File::create(&tmp).map_err(io(&tmp, "cannot write"))?;
        f.write_all(serde_json::to_string(self).expect("serializes").as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(io(&tmp, "cannot write"))?;
        let path = staging.join(JOURNAL);
        faults.step(&path, "cannot write")?;
        fs::rename(&tmp, &path).map_err(io(&path, "cannot write"))?;
        sync_dir(staging)
    }

    fn load(staging: &Path) -> Option<Journal> {
        let text = fs::read_to_string(staging.join(JOURNAL)).ok()?;
        let j: Journal = serde_json::from_str(&text).ok()?;
        let plain = j.create.iter().chain(&j.replace).chain(&j.remove);
        plain.clone().all(|n| is_plain_name(n)).then_some(j)
    }
}

/// The swap, step by step: forward, or back from the backups in `old/`.
fn roll_forward(
    dir: &Path,
    staging: &Path,
    j: &Journal,
    faults: &Faults,
) -> Result<(), WriteError> {
    let (new, old) = (staging.join("new"), staging.join("old"));
    for name in &j.create {
        let (from, to) = (new.join(name), dir.join(name));
        if !from.exists() {
            continue; // done before an interruption
        }
        faults.step(&to, "cannot create")?;
        match fs::hard_link(&from, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if !same_file(&from, &to) {
                    return Err(WriteError::Conflict {
                        dir: dir.to_owned(),
                        files: format!("{name} (created while capform was writing)"),
                    });
                }
            }
            Err(e) => return Err(io(&to, "cannot create")(e)),
        }
        faults.step(&from, "cannot remove")?;
        fs::remove_file(&from).map_err(io(&from, "cannot remove"))?;
    }
    // the manifest is replaced last, so it never lists a file that is not yet in place
    let mut replace: Vec<&String> = j.replace.iter().filter(|n| *n != MANIFEST).collect();
    replace.extend(j.replace.iter().filter(|n| *n == MANIFEST));
    for name in replace {
        let (from, to) = (new.join(name), dir.join(name));
        if !from.exists() {
            continue;
        }
        faults.step(&to, "cannot replace")?;
        fs::rename(&from, &to).map_err(io(&to, "cannot replace"))?;
    }
    for name in &j.remove {
        let (from, to) = (dir.join(name), old.join(name));
        if fs::symlink_metadata(&from).is_err() {
            continue;
        }
        faults.step(&from, "cannot remove")?;
        fs::rename(&from, &to).map_err(io(&from, "cannot remove"))?;
    }
    faults.step(dir, "cannot flush")?;
    sync_dir(dir)
}

fn roll_back(dir: &Path, staging: &Path, j: &Journal) -> Result<(), WriteError> {
    let old = staging.join("old");
    for name in &j.create {
        let path = dir.join(name);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            fs::remove_file(&path).map_err(io(&path, "cannot remove"))?;
        }
    }
    for name in j.replace.iter().chain(&j.remove) {
        let from = old.join(name);
        if from.exists() {
            let to = dir.join(name);
            fs::rename(&from, &to).map_err(io(&to, "cannot restore"))?;
        }
    }
    sync_dir(dir)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Finish what interrupted renders left in `dir`: a staging directory with a journal is rolled
/// forward (or back, if it was being undone); one without is discarded, since nothing in `dir`
/// had changed yet. A staging directory still locked belongs to a live process and is left.
fn recover(dir: &Path) -> Result<Vec<String>, WriteError> {
    let mut done = Vec::new();
    for entry in fs::read_dir(dir).map_err(io(dir, "cannot list"))? {
        let entry = entry.map_err(io(dir, "cannot list"))?;
        let name = entry.file_name();
        let is_staging = name.to_str().is_some_and(|n| n.starts_with(STAGING));
        if !is_staging || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let staging = entry.path();
        let Some(_lock) = try_lock(&staging)? else {
            continue;
        };
        if let Some(j) = Journal::load(&staging) {
            if j.state == "back" {
                roll_back(dir, &staging, &j)?;
            } else {
                roll_forward(dir, &staging, &j, &Faults::default())?;
            }
            done.push(name.to_string_lossy().into_owned());
        }
        fs::remove_dir_all(&staging).map_err(io(&staging, "cannot remove"))?;
    }
    Ok(done)
}

/// Stale staging directories of modules once being created in `ancestor`.
fn recover_new(ancestor: &Path) {
    let Ok(entries) = fs::read_dir(ancestor) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(STAGING_NEW))
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if stale && let Ok(Some(_lock)) = try_lock(&entry.path()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The state of one name the new module has.
enum Slot {
    /// Absent: created.
    Create,
    /// capform's, with other contents: replaced.
    Replace,
    /// capform's, same bytes: left alone.
    Same,
}

fn write_existing(
    dir: &Path,
    files: &Files,
    force: bool,
    identity: Option<&str>,
    faults: &Faults,
) -> Result<Written, WriteError> {
    // A read-only module directory is a statement: it is not written, even by a user (such as
    // root) whom the permission bits would not stop.
    let meta = fs::metadata(dir).map_err(io(dir, "cannot inspect"))?;
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly(dir.to_owned()));
    }
    // 1. Check.
    let _lock = lock_waiting(dir)?;
    let mut out = Written {
        recovered: recover(dir)?,
        ..Written::default()
    };
    let known = read_manifest(dir)?;
    let manifest_text = Manifest::of(files).rendered_from(identity).to_text();
    let contents: Contents<'_> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .chain([(MANIFEST, manifest_text.as_bytes())])
        .collect();
    let (slots, edited) = classify(dir, &contents, &known)?;
    if !edited.is_empty() && !force {
        return Err(WriteError::Edited {
            dir: dir.to_owned(),
            files: edited.join(", "),
        });
    }
    out.overwritten_edits = edited;
    let (remove, kept) = obsolete(dir, files, &known)?;
    out.kept_edits = kept;
    let ours: BTreeSet<&str> = files
        .keys()
        .map(String::as_str)
        .chain(remove.iter().map(String::as_str))
        .chain(out.kept_edits.iter().map(String::as_str))
        .chain([MANIFEST])
        .collect();
    let foreign = foreign_entries(dir, &ours)?;
    if !foreign.is_empty() && !force {
        return Err(WriteError::Foreign {
            dir: dir.to_owned(),
            files: foreign.join(", "),
        });
    }
    let mut journal = Journal {
        state: "forward".into(),
        remove,
        ..Journal::default()
    };
    for (name, slot) in &slots {
        match slot {
            Slot::Create => journal.create.push((*name).to_owned()),
            Slot::Replace => journal.replace.push((*name).to_owned()),
            Slot::Same => out.unchanged += 1,
        }
    }
    if journal.create.is_empty() && journal.replace.is_empty() && journal.remove.is_empty() {
        return Ok(out);
    }
    // 2. Stage, 3. commit, 4. swap.
    let staging = stage(dir, &journal, &contents, faults)?;
    journal.save(staging.path(), faults)?;
    swap(dir, staging, &mut journal, faults)?;
    out.written = journal
        .create
        .into_iter()
        .chain(journal.replace)
        .filter(|n| n != MANIFEST)
        .collect();
    out.removed = journal.remove;
    Ok(out)
}

/// The new module's files and its manifest: name → bytes.
type Contents<'a> = BTreeMap<&'a str, &'a [u8]>;

/// What the directory's manifest says capform wrote (a module without one: see
/// [`Manifest::legacy`]).
fn read_manifest(dir: &Path) -> Result<Manifest, WriteError> {
    let path = dir.join(MANIFEST);
    match fs::read(&path) {
        Ok(bytes) => Manifest::parse(&String::from_utf8_lossy(&bytes))
            .map_err(|why| WriteError::BadManifest { path, why }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::legacy(dir)),
        Err(e) => Err(io(&path, "cannot read")(e)),
    }
}

/// What becomes of each name the new module has: created, replaced or left as it is. A name
/// held by anything capform did not write is a conflict; the generated files edited by hand
/// since are returned too (replaced only with `--force`).
fn classify<'a>(
    dir: &Path,
    contents: &Contents<'a>,
    known: &Manifest,
) -> Result<(BTreeMap<&'a str, Slot>, Vec<String>), WriteError> {
    let (mut conflicts, mut edited) = (Vec::new(), Vec::new());
    let mut slots = BTreeMap::new();
    for (&name, &want) in contents {
        let path = dir.join(name);
        let slot = match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Slot::Create,
            Err(e) => return Err(io(&path, "cannot inspect")(e)),
            Ok(m) if !m.is_file() => {
                conflicts.push(name.to_owned());
                continue;
            }
            Ok(_) => {
                let recorded = known.files.get(name);
                if name != MANIFEST && recorded.is_none() {
                    conflicts.push(name.to_owned());
                    continue;
                }
                let have = fs::read(&path).map_err(io(&path, "cannot read"))?;
                if have == want {
                    Slot::Same
                } else {
                    if recorded.is_some_and(|r| digest(&have) != *r) {
                        edited.push(name.to_owned());
                    }
                    Slot::Replace
                }
            }
        };
        slots.insert(name, slot);
    }
    if !conflicts.is_empty() {
        return Err(WriteError::Conflict {
            dir: dir.to_owned(),
            files: conflicts.join(", "),
        });
    }
    Ok((slots, edited))
}

/// Generated files the new module no longer has: those as capform wrote them are removed;
/// those edited by hand are kept (and are the user's from then on).
fn obsolete(
    dir: &Path,
    files: &Files,
    known: &Manifest,
) -> Result<(Vec<String>, Vec<String>), WriteError> {
    let (mut remove, mut kept) = (Vec::new(), Vec::new());
    for (name, recorded) in known.files.iter().filter(|(n, _)| !files.contains_key(*n)) {
        let path = dir.join(name);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            let have = fs::read(&path).map_err(io(&path, "cannot read"))?;
            match digest(&have) == *recorded {
                true => remove.push(name.clone()),
                false => kept.push(name.clone()),
            }
        }
    }
    Ok((remove, kept))
}

/// Step 2: `DIR/.capform-staging-XXXXXX/` with every changed file in `new/` (fsynced) and a
/// hard link to each file about to be replaced in `old/`.
fn stage(
    dir: &Path,
    journal: &Journal,
    contents: &Contents<'_>,
    faults: &Faults,
) -> Result<tempfile::TempDir, WriteError> {
    faults.step(dir, "cannot create a staging directory in")?;
    let staging = tempfile::Builder::new()
        .prefix(STAGING)
        .rand_bytes(6)
        .tempdir_in(dir)
        .map_err(io(dir, "cannot create a staging directory in"))?;
    let (new, old) = (staging.path().join("new"), staging.path().join("old"));
    for d in [&new, &old] {
        faults.step(d, "cannot create")?;
        fs::create_dir(d).map_err(io(d, "cannot create"))?;
    }
    let mut staged = Vec::new();
    for name in journal.create.iter().chain(&journal.replace) {
        let path = new.join(name);
        faults.step(&path, "cannot write")?;
        let mut f = fs::File::create(&path).map_err(io(&path, "cannot write"))?;
        f.write_all(contents[name.as_str()])
            .map_err(io(&path, "cannot write"))?;
        staged.push((path, f));
    }
    // A replaced file keeps the mode and (where permitted) the owner it had.
    for name in &journal.replace {
        let (now, path) = (dir.join(name), new.join(name));
        if let Ok(m) = fs::metadata(&now) {
            let _ = fs::set_permissions(&path, m.permissions());
            let _ = std::os::unix::fs::chown(&path, Some(m.uid()), Some(m.gid()));
        }
        faults.step(&old.join(name), "cannot back up")?;
        fs::hard_link(&now, old.join(name)).map_err(io(&now, "cannot back up"))?;
    }
    {
        use rayon::prelude::*;
        staged
            .par_iter()
            .try_for_each(|(path, f)| f.sync_all().map_err(io(path, "cannot write")))?;
    }
    drop(staged);
    sync_dir(&new)?;
    Ok(staging)
}

/// Step 4 and 5: the swap, undone on failure (or left to the next render when even that
/// fails), then the staging directory removed.
fn swap(
    dir: &Path,
    staging: tempfile::TempDir,
    journal: &mut Journal,
    faults: &Faults,
) -> Result<(), WriteError> {
    // the staging directory is locked while it is in use: a stale one is told by its lock
    let _staging_lock = try_lock(staging.path())?;
    if let Err(cause) = roll_forward(dir, staging.path(), journal, faults) {
        journal.state = "back".into();
        let undo = journal
            .save(staging.path(), &Faults::default())
            .and_then(|()| roll_back(dir, staging.path(), journal));
        return Err(match undo {
            Ok(()) => cause,
            Err(undo) => WriteError::Interrupted {
                dir: dir.to_owned(),
                staging: staging.keep(),
                cause: Box::new(cause),
                undo: Box::new(undo),
            },
        });
    }
    let _ = fs::remove_dir_all(staging.path());
    Ok(())
}

/// Entries of `dir` that are neither capform's nor its staging directories, sorted.
fn foreign_entries(dir: &Path, ours: &BTreeSet<&str>) -> Result<Vec<String>, WriteError> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io(dir, "cannot list"))? {
        let entry = entry.map_err(io(dir, "cannot list"))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !ours.contains(name.as_str()) && !name.starts_with(STAGING) {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

fn write_new(
    dir: &Path,
    ancestor: &Path,
    missing: &[std::ffi::OsString],
    files: &Files,
    identity: Option<&str>,
    faults: &Faults,
) -> Result<Written, WriteError> {
    recover_new(ancestor);
    faults.step(ancestor, "cannot create a staging directory in")?;
    let root = tempfile::Builder::new()
        .prefix(STAGING_NEW)
        .rand_bytes(6)
        .tempdir_in(ancestor)
        .map_err(io(ancestor, "cannot create a staging directory in"))?;
    let _lock = try_lock(root.path())?;
    // The directories are created with the process's umask (a temporary directory would be
    // private to its owner), so the module gets the mode `mkdir` would give it.
    let mut module = root.path().to_path_buf();
    for part in missing {
        module.push(part);
        faults.step(&module, "cannot create")?;
        fs::create_dir(&module).map_err(io(&module, "cannot create"))?;
    }
    let manifest_text = Manifest::of(files).rendered_from(identity).to_text();
    let all = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .chain([(MANIFEST, manifest_text.as_bytes())]);
    let mut staged = Vec::new();
    for (name, text) in all {
        let path = module.join(name);
        faults.step(&path, "cannot write")?;
        let mut f = fs::File::create(&path).map_err(io(&path, "cannot write"))?;
        f.write_all(text).map_err(io(&path, "cannot write"))?;
        staged.push((path, f));
    }
    {
        use rayon::prelude::*;
        staged
            .par_iter()
            .try_for_each(|(path, f)| f.sync_all().map_err(io(path, "cannot write")))?;
    }
    drop(staged);
    let mut d = module.clone();
    while d != root.path() {
        sync_dir(&d)?;
        d.pop();
    }
    let from = root.path().join(&missing[0]);
    let to = ancestor.join(&missing[0]);
    if fs::symlink_metadata(&to).is_ok() {
        return Err(WriteError::Busy(dir.to_owned()));
    }
    faults.step(&to, "cannot create")?;
    fs::rename(&from, &to).map_err(io(dir, "cannot create"))?;
    sync_dir(ancestor)?;
    let _ = fs::remove_dir(root.path());
    Ok(Written {
        written: files.keys().cloned().collect(),
        ..Written::default()
    })
}

/// One difference between a module on disk and what would be generated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileDiff {
    /// A file would be created.
    Missing(String),
    /// A generated file would be removed.
    Extra(String),
    /// A file differs; the unified diff.
    Changed(String, String),
    /// An interrupted render left this staging directory; the next render finishes it.
    Interrupted(String),
}

/// Compare `dir` with `files` without writing anything.
pub fn check_module(dir: &Path, files: &Files) -> Result<Vec<FileDiff>, WriteError> {
    let mut out = Vec::new();
    let present = match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() || m.file_type().is_symlink() => true,
        Ok(_) => return Err(WriteError::NotADirectory(dir.to_owned())),
        Err(_) => false,
    };
    for (name, want) in files {
        let path = dir.join(name);
        match fs::read(&path) {
            Ok(bytes) => {
                let have = String::from_utf8_lossy(&bytes);
                if have != *want {
                    let diff = similar::TextDiff::from_lines(have.as_ref(), want.as_str())
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{name}"), &format!("b/{name}"))
                        .to_string();
                    out.push(FileDiff::Changed(name.clone(), diff));
                }
            }
            Err(_) => out.push(FileDiff::Missing(name.clone())),
        }
    }
    if present {
        let manifest_path = dir.join(MANIFEST);
        let known = match fs::read_to_string(&manifest_path) {
            Ok(text) => Manifest::parse(&text).map_err(|why| WriteError::BadManifest {
                path: manifest_path,
                why,
            })?,
            Err(_) => Manifest::legacy(dir),
        };
        for name in known.files.keys() {
            if !files.contains_key(name) && dir.join(name).is_file() {
                out.push(FileDiff::Extra(name.clone()));
            }
        }
        let mut pending: Vec<String> = fs::read_dir(dir)
            .map_err(io(dir, "cannot list"))?
            .flatten()
            .map(|e| e.file_name())
            .filter_map(|n| n.to_str().map(str::to_owned))
            .filter(|n| n.starts_with(STAGING))
            .collect();
        pending.sort();
        out.extend(pending.into_iter().map(FileDiff::Interrupted));
    }
    Ok(out)
}

/// Whether a name is one of capform's staging directories (never a user's file).
pub fn is_staging_name(name: &OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with(STAGING) || n.starts_with(STAGING_NEW))
}
