//! Plain-text listings of the CLI's own (non-report) commands. Every string that comes from
//! outside the binary is passed through [`clean`] (shared with the report renderers), so no
//! terminal escape sequence or control character reaches the terminal.

use appvet_detect::Database;
pub use appvet_report::clean;
use std::io::{self, Write};

/// `appvet signatures list`.
pub fn write_catalogue(out: &mut dyn Write, db: &Database) -> io::Result<()> {
    let info = db.info();
    writeln!(
        out,
        "signatures {} ({}): {} SDKs, {} permissions, {} APIs, {} packers",
        clean(&info.version),
        clean(&info.source),
        info.sdks,
        info.permissions,
        info.apis,
        info.packers
    )?;
    for s in &db.sdks {
        writeln!(
            out,
            "{:<32} {:<6} {:<40} {}",
            clean(&s.id),
            clean(&s.region),
            clean(&s.name),
            clean(&s.categories.join(","))
        )?;
    }
    Ok(())
}
