//! Where frames' bytes are read again from: the file, a window of it that a page read, or the
//! capture kept in memory.

use super::Frame;

/// Gives frames' captured bytes, read again from where the capture is: the file, a window of
/// it that a page read, or the capture kept in memory.
pub trait FrameSource {
    fn frame_bytes(&mut self, frame: &Frame) -> std::io::Result<&[u8]>;
}

/// A part of the (decompressed) capture held in memory: `bytes` starts at byte `start`.
pub struct Window<'a> {
    pub start: u64,
    pub bytes: &'a [u8],
}

impl<'a> Window<'a> {
    /// The frame's bytes, if the window holds all of them.
    pub fn get(&self, frame: &Frame) -> Option<&'a [u8]> {
        let from = usize::try_from(frame.offset().checked_sub(self.start)?).ok()?;
        self.bytes
            .get(from..from.checked_add(frame.cap_len() as usize)?)
    }
}

impl FrameSource for Window<'_> {
    fn frame_bytes(&mut self, frame: &Frame) -> std::io::Result<&[u8]> {
        self.get(frame).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!(
                    "frame {} (bytes {} to {}) is not in the part of the capture at hand",
                    frame.number,
                    frame.offset(),
                    frame.end()
                ),
            )
        })
    }
}
