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
