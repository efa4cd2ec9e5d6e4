//! Temporary: time macho::parse_file on the fixtures' Mach-O files.
fn main() {
    let limits = appvet_model::Limits::default();
    let list = std::fs::read_to_string("/tmp/machox/list.txt").unwrap();
    let files: Vec<Vec<u8>> = list
        .lines()
        .map(|f| std::fs::read(format!("/tmp/machox/bins/{f}")).unwrap())
        .collect();
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..200 {
        for d in &files {
            n += appvet_ios::macho::parse_file(d, "e", "b", true, &limits)
                .slices
                .len();
        }
    }
    println!(
        "200 x {} files: {:?} ({n} slices)",
        files.len(),
        t.elapsed()
    );
}
