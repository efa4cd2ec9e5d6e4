/// Caps on what a parser will accept from an untrusted package.
///
/// Every count or size read from a file is checked against these before anything is allocated,
/// so no input can make a parser allocate without bound or run for long. The defaults are far
/// above what any real package needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries a zip central directory may list.
    pub max_zip_entries: usize,
    /// Most bytes one entry may inflate to.
    pub max_entry_size: u64,
    /// Most bytes all inflated entries of one package may add up to.
    pub max_total_inflated: u64,
    /// Highest inflated/compressed ratio accepted for an entry larger than 1 MiB (zip bombs).
    pub max_compression_ratio: u64,
    /// Most nested containers (an APK inside an `.apks` is depth 1).
    pub max_nesting: u32,
    /// Most items read from one table of a binary format (DEX ids, string pool, XML nodes).
    pub max_table_items: u32,
    /// Most items of one kind kept in an Inventory list (e.g. URL strings); the rest are
    /// counted and reported as truncated.
    pub max_list_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_zip_entries: 200_000,
            max_entry_size: 1 << 30,
            max_total_inflated: 4 << 30,
            max_compression_ratio: 1_000,
            max_nesting: 2,
            max_table_items: 4_000_000,
            max_list_items: 100_000,
        }
    }
}

/// Total size of a package's code files (DEX, Mach-O) above which the platform readers parse
/// them in parallel: below it, starting a thread pool costs more than the parsing.
pub const PARALLEL_ABOVE_BYTES: u64 = 2 << 20;
