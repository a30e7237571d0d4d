/// mimalloc instead of the C library's malloc: under load glibc's spent a
/// fifth of a request's CPU in its own bookkeeping (`_int_malloc`,
/// `unlink_chunk`, `malloc_consolidate` in the bench's profiles) and kept
/// freed memory in per-thread arenas (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let parsed = match insyn::config_file::parse() {
        Ok(p) => p,
        Err(e) => match e.downcast::<clap::Error>() {
            // Help, the version, or a mistake on the command line.
            Ok(clap_error) => clap_error.exit(),
            Err(e) => {
                eprintln!("insyn: {e:#}");
                return std::process::ExitCode::from(2);
            }
        },
    };
    insyn::init_logging(parsed.cli.log_format);
    match insyn::run_parsed(parsed).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("insyn: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
