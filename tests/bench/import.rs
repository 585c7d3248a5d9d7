//! Benchmark: annotating seed pages (`cargo bench --bench import`).
//!
//! Reads the seeds and loads the lexicons once (start-up, reported separately), then times `import_page` over every
//! seed on one thread, repeated, and prints the best and median pass, and a hash of every article's Markdown (a quick
//! check that a change kept the output byte for byte). Target for the five bundled seeds: ≤ 50 ms per pass.
//!
//! Environment: `SEEDS=DIR` benchmarks another folder (e.g. one from `gen_corpus.py`); `PASSES=N` sets the passes.

use std::time::{Duration, Instant};

use digest::import::import_page;
use digest::lexicon::Lexicon;
use digest::seed::read_seeds;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = std::env::var_os("SEEDS").map_or_else(|| root.join("seeds"), std::path::PathBuf::from);
    let passes_wanted: usize = std::env::var("PASSES").ok().and_then(|p| p.parse().ok()).unwrap_or(20).max(1);
    let start = Instant::now();
    let lexicon = Lexicon::built_in();
    let lexicon_time = start.elapsed();
    let pages = read_seeds(&seeds).expect("seeds read");
    let mut passes: Vec<Duration> = Vec::with_capacity(passes_wanted);
    let mut articles = 0;
    for _ in 0..passes_wanted {
        let start = Instant::now();
        articles = pages.iter().map(|p| std::hint::black_box(import_page(p, &lexicon)).len()).sum();
        passes.push(start.elapsed());
    }
    passes.sort();
    let mut hasher = blake3::Hasher::new();
    let imported: Vec<_> = pages.iter().flat_map(|p| import_page(p, &lexicon)).collect();
    for article in &imported {
        hasher.update(article.stem.as_bytes()).update(article.to_markdown().as_bytes());
    }
    // The share of metric extraction, run alone over the same bodies.
    let bodies: Vec<String> = imported.into_iter().map(|a| a.body).collect();
    let mut metric_passes: Vec<Duration> = (0..passes_wanted)
        .map(|_| {
            let start = Instant::now();
            for body in &bodies {
                std::hint::black_box(digest::metrics::extract(body, digest::article::Context::Body, &lexicon.units));
            }
            start.elapsed()
        })
        .collect();
    metric_passes.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("lexicon loading:            {:8.2} ms", ms(lexicon_time));
    println!("annotate {} seeds ({articles} articles) from {}, {passes_wanted} passes:", pages.len(), seeds.display());
    println!("  best                      {:8.2} ms", ms(passes[0]));
    println!("  median                    {:8.2} ms", ms(passes[passes_wanted / 2]));
    println!("  worst                     {:8.2} ms", ms(passes[passes_wanted - 1]));
    println!(
        "of which metric extraction (bodies only), best {:.2} ms, median {:.2} ms",
        ms(metric_passes[0]),
        ms(metric_passes[passes_wanted / 2])
    );
    println!("output hash: {}", hasher.finalize().to_hex());
}
