//! Output written by a thread of its own, so the system calls and page-cache copies of a large
//! report (a 100k-class APK's JSON is 75 MB) overlap with rendering it instead of following it.

use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Bytes gathered before they are written (or handed to the writing thread): small, so a
/// batch killed midway loses little of what it scanned.
const CHUNK: usize = 64 << 10;
/// Output size from which the writing thread is started.
const THREAD_ABOVE: u64 = 1 << 20;

enum Message {
    Data(Vec<u8>),
    /// Flush the destination and answer on the acknowledgement channel.
    Flush,
}

/// A buffered [`Write`] that, once its output passes 1 MiB, starts a thread and hands it 64 KiB
/// chunks to write, in order, to the destination (smaller outputs are written here: a thread
/// costs more than they do). A write error on that thread is returned by the next `write` or
/// `flush` here.
pub struct BackgroundWriter {
    buf: Vec<u8>,
    /// Bytes taken so far.
    total: u64,
    state: State,
}

enum State {
    /// No thread yet.
    Direct(Box<dyn Write + Send>),
    Threaded {
        tx: SyncSender<Message>,
        /// Emptied chunks coming back for reuse.
        spare: Receiver<Vec<u8>>,
        acks: Receiver<io::Result<()>>,
        thread: JoinHandle<io::Result<()>>,
    },
    /// The thread stopped on an error (already returned).
    Closed,
}

impl BackgroundWriter {
    pub fn new<W: Write + Send + 'static>(dest: W) -> BackgroundWriter {
        BackgroundWriter {
            buf: Vec::new(),
            total: 0,
            state: State::Direct(Box::new(dest)),
        }
    }

    fn start(dest: Box<dyn Write + Send>) -> io::Result<State> {
        let mut dest = dest;
        let (tx, rx) = sync_channel::<Message>(2);
        let (spare_tx, spare) = sync_channel::<Vec<u8>>(3);
        let (ack_tx, acks) = sync_channel::<io::Result<()>>(1);
        let thread = std::thread::Builder::new()
            .name("appvet-output".into())
            .spawn(move || -> io::Result<()> {
                for message in rx {
                    match message {
                        Message::Data(mut chunk) => {
                            dest.write_all(&chunk)?;
                            chunk.clear();
                            let _ = spare_tx.try_send(chunk);
                        }
                        Message::Flush => {
                            let flushed = dest.flush();
                            let failed = flushed
                                .as_ref()
                                .err()
                                .map(|e| io::Error::new(e.kind(), e.to_string()));
                            let _ = ack_tx.send(flushed);
                            if let Some(e) = failed {
                                return Err(e);
                            }
                        }
                    }
                }
                dest.flush()
            })?;
        Ok(State::Threaded {
            tx,
            spare,
            acks,
            thread,
        })
    }

    /// The writing thread's error, once it has stopped.
    fn stopped(&mut self) -> io::Error {
        match std::mem::replace(&mut self.state, State::Closed) {
            State::Threaded { tx, thread, .. } => {
                drop(tx);
                match thread.join() {
                    Ok(Err(e)) => e,
                    Ok(Ok(())) => io::Error::other("the output thread has stopped"),
                    Err(_) => io::Error::other("the output thread panicked"),
                }
            }
            _ => io::Error::other("output already closed after an error"),
        }
    }

    /// Write the gathered bytes, or hand them to the thread (starting it past 1 MiB).
    fn send_buffer(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        if let State::Direct(dest) = &mut self.state {
            if self.total <= THREAD_ABOVE {
                dest.write_all(&self.buf)?;
                self.buf.clear();
                return Ok(());
            }
        }
        if matches!(self.state, State::Direct(_)) {
            if let State::Direct(dest) = std::mem::replace(&mut self.state, State::Closed) {
                self.state = Self::start(dest)?;
            }
        }
        let State::Threaded { tx, spare, .. } = &self.state else {
            return Err(self.stopped());
        };
        let next = spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        let full = std::mem::replace(&mut self.buf, next);
        if tx.send(Message::Data(full)).is_err() {
            return Err(self.stopped());
        }
        Ok(())
    }
}

impl Write for BackgroundWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // A write is never split between chunks (as with a BufWriter, which passes a large
        // write through whole): a batch killed midway leaves whole JSON lines, not one cut
        // inside a character. Large writers write in pieces (render_json_mut: 1 MiB blocks).
        if !self.buf.is_empty() && self.buf.len() + data.len() > CHUNK {
            self.send_buffer()?;
        }
        self.buf.extend_from_slice(data);
        self.total = self.total.saturating_add(data.len() as u64);
        if self.buf.len() >= CHUNK {
            self.send_buffer()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let State::Direct(dest) = &mut self.state {
            dest.write_all(&self.buf)?;
            self.buf.clear();
            return dest.flush();
        }
        self.send_buffer()?;
        let State::Threaded { tx, acks, .. } = &self.state else {
            return Err(self.stopped());
        };
        if tx.send(Message::Flush).is_err() {
            return Err(self.stopped());
        }
        match acks.recv() {
            Ok(result) => result,
            Err(_) => Err(self.stopped()),
        }
    }
}

impl Drop for BackgroundWriter {
    fn drop(&mut self) {
        // Best effort, as for a BufWriter: errors are for `flush` to report.
        let _ = self.flush();
        if let State::Threaded { tx, thread, .. } =
            std::mem::replace(&mut self.state, State::Closed)
        {
            drop(tx);
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Records each `write` call the destination receives.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<Vec<u8>>>>);

    impl Recorder {
        fn bytes(&self) -> Vec<u8> {
            self.0.lock().unwrap().concat()
        }
        fn sizes(&self) -> Vec<usize> {
            self.0.lock().unwrap().iter().map(Vec::len).collect()
        }
    }

    impl Write for Recorder {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().push(data.to_vec());
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Accepts `limit` bytes, then fails like a closed pipe.
    struct Closing(usize);

    impl Write for Closing {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            if data.len() > self.0 {
                return Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
            }
            self.0 -= data.len();
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn everything_written_arrives_in_order_by_flush() {
        let dest = Recorder::default();
        let mut w = BackgroundWriter::new(dest.clone());
        let mut expected = Vec::new();
        for i in 0..8_000u32 {
            let line = format!("record {i} {}\n", "x".repeat((i % 700) as usize));
            w.write_all(line.as_bytes()).unwrap();
            expected.extend_from_slice(line.as_bytes());
        }
        assert!(expected.len() as u64 > 2 * THREAD_ABOVE);
        w.flush().unwrap();
        assert_eq!(dest.bytes(), expected);
        w.write_all(b"tail").unwrap();
        drop(w);
        expected.extend_from_slice(b"tail");
        assert_eq!(dest.bytes(), expected);
    }

    #[test]
    fn a_failed_destination_is_reported_with_its_error_kind() {
        // Fails on the writing thread, past the point where it starts.
        let mut w = BackgroundWriter::new(Closing(2 * THREAD_ABOVE as usize));
        let chunk = vec![b'a'; CHUNK];
        let mut result = Ok(());
        for _ in 0..100 {
            result = w.write_all(&chunk);
            if result.is_err() {
                break;
            }
        }
        assert!(matches!(&w.state, State::Closed | State::Threaded { .. }));
        let err = result.and_then(|()| w.flush()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{err}");
    }

    #[test]
    fn small_output_is_written_without_a_thread() {
        let mut w = BackgroundWriter::new(Vec::new());
        w.write_all(b"hello").unwrap();
        w.flush().unwrap();
        assert!(matches!(&w.state, State::Direct(_)));
        w.write_all(&vec![b'x'; CHUNK]).unwrap();
        assert!(matches!(&w.state, State::Direct(_)));
        w.write_all(&vec![b'x'; THREAD_ABOVE as usize]).unwrap();
        assert!(matches!(&w.state, State::Threaded { .. }));
    }

    #[test]
    fn writes_reach_the_destination_whole() {
        let calls = Recorder::default();
        let mut w = BackgroundWriter::new(calls.clone());
        // Records of 30,001 bytes: two fit in a chunk, the third starts the next one.
        let record = vec![b'r'; 30_001];
        for _ in 0..200 {
            w.write_all(&record).unwrap();
        }
        w.flush().unwrap();
        let sizes = calls.sizes();
        assert_eq!(sizes.iter().sum::<usize>(), 200 * 30_001);
        assert!(sizes.iter().all(|s| s % 30_001 == 0), "{sizes:?}");
    }
}
