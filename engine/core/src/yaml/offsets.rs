//! Conversion of the parser's character indexes into byte offsets.
//!
//! `saphyr-parser` reports positions as character indexes. ASCII text needs no
//! conversion; other text uses a sparse table holding the byte offset of every
//! [`STRIDE`]th character, and walks forward at most `STRIDE - 1` characters
//! from the nearest checkpoint (or from the previous conversion when that is
//! closer).

use std::cell::Cell;

/// Characters between two checkpoints.
const STRIDE: usize = 64;

/// Maps character indexes of `text` to byte offsets, shifted by `base`.
#[derive(Debug)]
pub(crate) struct Offsets<'t> {
    text: &'t str,
    base: usize,
    /// Byte offset of character `k * STRIDE`; empty for ASCII text.
    checkpoints: Vec<usize>,
    ascii: bool,
    /// The last conversion, `(index, byte)`: the parser's positions mostly move
    /// forward, so the next one is usually a short walk from here.
    cursor: Cell<(usize, usize)>,
}

impl<'t> Offsets<'t> {
    /// Prepare conversions for `text`, whose first byte is at `base` in the
    /// original source (3 after a stripped byte order mark).
    pub(crate) fn new(text: &'t str, base: usize) -> Self {
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        if !ascii {
            checkpoints.reserve(text.len() / STRIDE + 1);
            let mut chars = 0usize;
            for (byte, &b) in text.as_bytes().iter().enumerate() {
                // Every byte but a UTF-8 continuation byte starts a character.
                if b & 0xC0 != 0x80 {
                    if chars.is_multiple_of(STRIDE) {
                        checkpoints.push(byte);
                    }
                    chars += 1;
                }
            }
        }
        Self {
            text,
            base,
            checkpoints,
            ascii,
            cursor: Cell::new((0, 0)),
        }
    }

    /// Byte offset (in the original source) of the character at `index`;
    /// indexes past the end map to the end of the text.
    #[inline]
    pub(crate) fn byte(&self, index: usize) -> usize {
        let len = self.text.len();
        if self.ascii {
            return self.base + index.min(len);
        }
        let Some(&checkpoint) = self.checkpoints.get(index / STRIDE) else {
            return self.base + len;
        };
        let (cursor_index, cursor_byte) = self.cursor.get();
        let (mut at, mut byte) = if cursor_index <= index && cursor_index >= index - index % STRIDE
        {
            (cursor_index, cursor_byte)
        } else {
            (index - index % STRIDE, checkpoint)
        };
        let bytes = self.text.as_bytes();
        while at < index {
            match bytes.get(byte) {
                Some(&lead) => byte += utf8_width(lead),
                None => break,
            }
            at += 1;
        }
        let byte = byte.min(len);
        self.cursor.set((index, byte));
        self.base + byte
    }
}

/// Length of the UTF-8 sequence starting with `lead` (a valid leading byte).
const fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}
