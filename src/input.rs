//! Reading the files capform is given (profiles, price lists, Terraform files): regular files
//! only, and never more than a limit.
//!
//! The file is opened without blocking (a FIFO would otherwise wait forever for a writer) and
//! its type is taken from the open file, not the path, so nothing can be swapped in between. It
//! is read to the limit plus one byte, so `/dev/zero` or a file growing while it is read ends in
//! a clear error instead of exhausting memory.

use std::io::Read as _;
use std::os::unix::fs::{FileTypeExt as _, OpenOptionsExt as _};
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a regular file: a directory, FIFO, device or socket.
    #[error("is {0}, not a regular file")]
    NotRegular(&'static str),
    /// Larger than the limit.
    #[error("is larger than {limit} bytes, the most capform reads")]
    TooLarge {
        /// The limit, bytes.
        limit: u64,
        /// The file's size, when it says (a device or a growing file may not).
        size: Option<u64>,
    },
    /// The operating system refused.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Read a regular file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    let ft = meta.file_type();
    if !ft.is_file() {
        return Err(ReadError::NotRegular(if ft.is_dir() {
            "a directory"
        } else if ft.is_fifo() {
            "a FIFO (named pipe)"
        } else if ft.is_char_device() || ft.is_block_device() {
            "a device"
        } else if ft.is_socket() {
            "a socket"
        } else {
            "a special file"
        }));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            limit,
            size: Some(meta.len()),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file).take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit, size: None });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_refused_without_blocking() {
        assert!(matches!(
            read_limited(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular("a device"))
        ));
        assert!(matches!(
            read_limited(Path::new("/tmp"), 10),
            Err(ReadError::NotRegular("a directory"))
        ));
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(ok.success());
        assert!(matches!(
            read_limited(&fifo, 10),
            Err(ReadError::NotRegular("a FIFO (named pipe)"))
        ));
        let big = dir.path().join("big");
        std::fs::write(&big, [b'x'; 11]).unwrap();
        assert!(matches!(
            read_limited(&big, 10),
            Err(ReadError::TooLarge { limit: 10, .. })
        ));
        assert_eq!(read_limited(&big, 11).unwrap().len(), 11);
    }
}
