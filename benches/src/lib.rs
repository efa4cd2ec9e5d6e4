//! Benchmarks and input generators for appvet (see benches/README.md).
