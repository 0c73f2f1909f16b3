use clap::Parser;

fn main() {
    let cli = labcheck::cli::Cli::parse();
    let code = labcheck::app::run(cli);
    std::process::exit(code);
}
