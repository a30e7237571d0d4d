use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    insyn::init_logging();
    let cli = insyn::Cli::parse();
    match insyn::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("insyn: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
